package plots

import (
	"fmt"

	"github.com/normsim/normsim/sim"
)

// Reading returns a title and a short reading guide for chart name of
// res, true for the run's kernel (docs/charts.md has the full guide): for
// a handout that shows the chart. It returns the name and "" for a chart
// it does not know.
func Reading(name string, res *sim.Result) (title, guide string) {
	k := "cyber"
	if res != nil {
		k = sim.Kernel(&res.Config)
	}
	var cc sim.ConvergenceConfig
	if res != nil {
		cc = res.Config.Convergence
	}
	switch name {
	case ChartConvergence:
		spread := fmt.Sprintf(" The lower panel is the spread of beliefs across states against the threshold ε = %g (dashed); rings on that line mark each replicate's first convergence, and a note says which replicates were still converged over the last window and, for the others, whether the spread or the drift failed.", cc.Epsilon)
		each := " When the replicates end in different outcomes, each is drawn as a thin line coloured by its outcome; otherwise lines are medians and bands the 10-90% range of replicates."
		switch k {
		case "axelrod":
			return "Convergence: restraint in practice and in disposition",
				"The share of opportunities not taken (practice) and 1 − mean boldness (the restraint the agents are disposed to show; Axelrod's agents hold no beliefs)." + each + spread
		case "game", "lattice-game":
			return "Convergence: the share of cooperators",
				"The share of states that cooperate (restrain); the share cooperating among each state's neighbours, what it sees, is the same curve within 0.01." + each + spread
		}
		return "Convergence: what states do and what they expect",
			"Practice (restraint among the states that are not revisionists: dashed orange, hatched band) and expectations (the mean restraint belief: solid blue). The gap between them is the point: undetected escalation looks like restraint, so beliefs can run ahead of practice; false accusations push them below it." + each + spread
	case ChartAttribution:
		return "Attribution: what is seen, who is blamed",
			"Per state per step, each group on its own scale: detections and publicly reported incidents; true accusations (the culprit named) and false ones (an innocent named; false close to true means attribution is noise); public, private, co-signed, denied and misrepresented accusations; escalation spirals; the accusers' mean credibility and forensic skill when they move. Series that stay zero are listed in the subtitle, not drawn. Last: the expectation gap, mean belief minus practice (above zero, more restraint is believed than practised)."
	case ChartOutcomes:
		classes := fmt.Sprintf("read over the last %d steps on two axes, practice P and expectations B (high at ≥ %g, low at ≤ %g): established (both high), latent (practice without expectation), hollow (expectation without practice), collapsed (both low), contested otherwise", cc.Window, cc.High, cc.Low)
		if k == "axelrod" {
			classes = "named by Galan and Izquierdo's regions of the mean traits at the end (established at boldness ≤ 2/7 with vengefulness ≥ 5/7, collapsed at boldness ≥ 6/7 with vengefulness ≤ 1/7, contested otherwise)"
		}
		return "Outcomes: does the norm hold?",
			"Top left: the share of replicates in each outcome class, " + classes + ", with 95% Wilson intervals (shares whose intervals overlap are not shown to differ). Top right: where each replicate ends on those axes. Bottom: the outcome share over time, each replicate classified at each step as at the end; and, when some replicate converged, a histogram of the first convergence steps."
	case ChartAdoption:
		return "Adoption: the norm's life cycle",
			"The share of states that adopted the norm text (plain and weighted by power), with each replicate's tipping point (half adopted) as a ring; the stringency of the text in force and the adopters' mean legitimacy; for each forum meeting the share of replicates whose forum agreed a text (green) or failed (vermillion); adoption and restraint by power tercile."
	case ChartTraits:
		if k == "axelrod" {
			return "Traits: boldness and vengefulness",
				"The mean readiness to escalate (boldness) and to punish (vengefulness). In Axelrod's game a norm holds with low boldness and high vengefulness: Galan and Izquierdo (2005) call it established at boldness ≤ 2/7 with vengefulness ≥ 5/7, collapsed at boldness ≥ 6/7 with vengefulness ≤ 1/7."
		}
		return "Traits: boldness and vengefulness",
			"The mean readiness to escalate (boldness) and to respond to an escalation a state attributes (vengefulness), as learning changes them."
	case ChartLattice:
		return "The lattice",
			"The first replicate's lattice at its last step (large) and at earlier steps. Blue: cooperated (restrained) and did so before; vermillion: defected (escalated) again; green: a new cooperator; yellow: a new defector. Green and yellow show where the lattice is still changing."
	}
	return name, ""
}
