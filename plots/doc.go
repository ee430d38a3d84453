// Package plots draws normsim's charts from a [sim.Result]: what a run
// shows, as PNG (for slides) and SVG (for documents) images. It knows
// nothing of the engine beyond the types of package sim, does no
// simulation, and takes every statistic it prints from internal/stats, so
// that a median or an interval on a chart is the one the command prints.
//
// [Charts] names the charts that mean something for a result, [Draw]
// draws one as a [Figure], and [SaveAll] writes them all. [Claim] and
// [SaveClaims] draw the claims that normsim check tests. [PhaseDiagram],
// [ParamLine] and [SobolBars] draw the results of experiments (sweeps).
//
// # Which charts a run gets
//
// A chart or a panel is drawn only when it means something for the
// run's kernel ([sim.Kernel]) and for what its replicates recorded:
//
//   - convergence and outcomes: every run;
//   - attribution: the cyber model (the classic games accuse nobody), when
//     something was detected or accused, or there was practice;
//   - adoption: the cyber model, once a norm text was in force in some
//     replicate (a forum agreed one);
//   - traits: Axelrod's games, and the cyber model when boldness or
//     vengefulness moves (learning); not the games of Nowak and May,
//     whose "traits" are the strategies the convergence chart shows;
//   - lattice: lattice worlds (the first replicate's snapshots).
//
// Within a chart, a series that is zero throughout is left out and named
// in the subtitle, and a panel with nothing to draw is left out.
//
// # Reading the charts
//
// A chart over time shows, at each recorded step, the median over
// replicates as a line and the band between the 10% and 90% quantiles of
// the replicates (quantiles by definition 7 of Hyndman and Fan 1996, the
// default of R and NumPy). A wide band means the outcome depends on
// chance, not only on the scenario. When two bands share a panel, the
// second is hatched rather than filled, so that where they overlap neither
// hides the other and their colours do not blend. When the replicates end
// in different outcome classes, a median would be a line that no
// replicate follows: the chart then draws each replicate as a thin line
// coloured by its outcome instead. A step with nothing to measure (no
// opportunity yet, no text in force) is a gap in a line, never a value:
// step 0 of the cyber model has no practice.
//
// Timeline events are dashed grey vertical lines, labelled in a lane
// above the data (labels that would overlap move up a level); forum
// meetings are grey ticks in the same lane. When a run settles within its
// first 5% of steps (a fast transient in a long run, as in Nowak and May's
// chaos), the time axis is log(1 + step), and the subtitle says so. Every
// chart ends with a caption: scenario, seed, replicates, normsim version
// and scenario hash, which is enough to reproduce it; the charts of an
// interrupted run say so in the caption ("6 of 16 replicates,
// interrupted") and under the title.
//
// convergence: practice and expectations. In the cyber model practice is
// the restraint among the states that are not revisionists (orange,
// dashed, hatched band) and expectations the mean restraint belief (blue):
// the gap between them is the point (undetected escalation looks like
// restraint, so beliefs can run ahead of practice; false accusations push
// them below it). In Axelrod's games the second line is 1 − mean
// boldness (the agents hold no beliefs); in the games of Nowak and May the
// neighbours' share cooperating is the share cooperating within 0.01, so
// one curve is drawn and the subtitle says so. The lower panel is the
// spread of beliefs (their sd across states) against the threshold ε
// (dashed): expectations converge when the spread stays below ε for a
// window of steps and the mean moves less than δ between the window's
// halves. Rings on the ε line mark each replicate's first convergence,
// the dotted line their median; a note says how many were still converged
// over the last window and, for the others, which condition failed there
// (the spread or the drift).
//
// attribution (cyber model): counts per state per step, each group on its
// own scale so that none is squashed flat by a larger one: what is seen
// (detections, publicly reported incidents), who is named (true and false
// accusations), how (public, private, co-signed, denied,
// misrepresentations), escalation spirals; the accusers' mean
// credibility and the mean forensic skill when they move (verification,
// exposure); then the expectation gap,
// mean belief minus practice (above zero, more restraint is believed than
// practised).
//
// outcomes: the share of replicates in each of the kernel's outcome
// classes with its 95% Wilson (1927) score interval (established, latent,
// contested, hollow, collapsed for the general model, read on two axes,
// practice P and expectations B, over the last window; established,
// contested, collapsed by Galan and Izquierdo's regions of the mean traits
// for Axelrod's games); where each replicate ends on those two axes, over
// the shaded regions; the outcome share over time, each replicate
// classified at each recorded step as at the end (the general model on
// the means of practice and expectations over the trailing window of
// Convergence.Window steps, fewer at the start; Axelrod's games by the
// step's mean traits), stacked, so that its last step is the outcome
// shares; and a histogram of the first convergence steps with bins that
// fit them (the Freedman-Diaconis width rounded to 1, 2 or 5 times a
// power of ten), when some replicate converged. The outcome colours are
// the same on every chart: bluish green established, sky blue latent,
// grey contested, orange hollow, vermillion collapsed.
//
// adoption (cyber model with a text in force): the share of states that
// adopted the norm text, plain and weighted by power, with each
// replicate's tipping point (the first step at which half had adopted) as
// a ring on the half-adopted line and their median; the stringency of the
// text in force and the mean legitimacy of the adopters (over the
// replicates that have a text); for each forum meeting the share of
// replicates whose forum agreed a text and whose failed; adoption and
// restraint by power tercile (medians).
//
// traits: mean boldness (readiness to escalate) and vengefulness
// (readiness to respond). In Axelrod's (1986) game a norm holds with low
// boldness and high vengefulness: Galan and Izquierdo (2005) call it
// established at boldness ≤ 2/7 with vengefulness ≥ 5/7 and collapsed at
// boldness ≥ 6/7 with vengefulness ≤ 1/7 (dotted lines when each
// replicate is drawn). That caption appears only on Axelrod's games; in
// the cyber model boldness scales what a state expects to gain from
// escalating.
//
// lattice (lattice worlds): the final state of the first replicate's
// lattice, large, and up to six earlier snapshots, spread evenly in
// log(1 + step) because the interesting changes come early. The colours
// are those of Nowak and May (1992), "Evolutionary games and spatial
// chaos", Nature 359: blue, a site that cooperated (restrained) and did
// so before; red, a site that defected (escalated) again; green, a new
// cooperator; yellow, a new defector. Their pure red, green and yellow are
// hard to tell apart with a red-green colour-vision deficiency, so the
// package uses the Okabe-Ito blue, vermillion, bluish green and yellow:
// the same hues and meaning, with every pair well apart under simulated
// protanopia, deuteranopia and tritanopia (Machado et al. 2009; see
// TestLatticeColorsCVD). Green and yellow thus mark where the lattice is
// changing; a picture of only blue and vermillion is frozen.
//
// claim (normsim check): the variants of the varied key side by side,
// each replicate's value a dot, the replicates that share a seed joined
// across variants by thin lines (the pairs the differences are computed
// on), each variant's mean with its 95% t interval, the paired
// difference of each variant from the one before (with its interval, bold
// when it excludes zero) above the panel, and the claim and its verdict
// (SUPPORTED or NOT SUPPORTED, with the reason) as the title.
//
// Sweep charts: [PhaseDiagram] colours each design point of a
// two-parameter grid by a value (the viridis colour map, light = high,
// with the number written in each cell of a small grid), on a scale from
// 0 to 1 for shares ([UnitScale]); [ParamLine] draws a value against one
// parameter with its interval as a band, its dots being design points,
// or the pooled runs of a parameter value ([Pooled]), or bins of a
// sampled range ([Binned]), as the subtitle says; [SobolBars] compares
// first-order and total Sobol indices per parameter (Saltelli et al.
// 2010): the first-order index is the share of output variance a
// parameter explains alone, the total index adds its interactions. An
// estimate outside [0, 1], or a first-order index above the total, is
// impossible for a share of variance: the chart then carries a warning
// that the design is too small, marks [0, 1], and stops calling the axis
// a share of variance.
//
// # Conventions
//
//   - Colours are from the Okabe-Ito palette (Okabe and Ito 2008), and
//     series that share a panel also differ in dash pattern (and a band in
//     fill or hatch), so that the charts read with a colour-vision
//     deficiency and in grey print.
//   - A PNG has 150 dots per inch: a chart is 1200 px wide and 800 to
//     about 1700 px high, with text of 9 to 15 pt, readable on a projector. An
//     SVG has the same layout in points; its text names Liberation Sans
//     with Arial, Helvetica and sans-serif as fallbacks.
//   - Tick labels of large whole numbers are compact (20k, 1.5M), so that
//     neighbours do not collide; a heading keeps phrases such as "32 of
//     32" on one line.
//   - Bad data is an error, never a blank or misleading image: no
//     replicates, replicates with different recorded steps, an infinite
//     value, or a NaN in a metric that always has a value
//     ([sim.Metric.MayBeEmpty] false), named with the replicate and step
//     ("plots: convergence chart: series belief_restraint_mean of
//     replicate 2 is NaN at step 30"). A NaN in a metric that may be
//     empty is a gap.
//   - Replicates are thinned by Run.RecordEvery alike, so the bands are
//     computed per recorded step. A series longer than 1500 points is
//     thinned for drawing by merging runs of steps that take about the
//     same width on the axis (linear or logarithmic): the median becomes
//     the run's mean, and the band the run's envelope, so no excursion is
//     hidden.
//   - Forum meetings are taken from the recorded forum markers when every
//     step is recorded, and from Forum.Every otherwise (a thinned record
//     can miss them; the legend then says "scheduled").
//   - Each file is written atomically: to a temporary file in the same
//     directory, renamed over the target. [SaveAll] removes the files of
//     the package's charts that do not apply to the result, and
//     [SaveClaims] the claim charts beyond the last claim, so that a
//     redrawn directory never shows a chart of an earlier result.
//
// Golden images in testdata guard the look of six charts (convergence,
// outcomes, adoption, claim, lattice, phase diagram); they are compared
// with a small tolerance (cmpimg.CheckPlotApprox), and regenerated with
// go test ./plots -run Golden -regen (look at each one before committing
// it). The numbers are tested directly, not through pixels; set PLOTS_OUT
// to a directory to have the tests write every chart of the fixtures
// there, for looking at them.
package plots
