package sim_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"testing"

	"github.com/normsim/normsim/sim"
)

// randomConfigs draws n small configurations of the general model across
// topologies, rules, learning rules and switches, for property tests.
func randomConfigs(n int, seed uint64) []sim.Config {
	r := rand.New(rand.NewPCG(seed, 99))
	topos := []sim.TopologyKind{sim.TopoComplete, sim.TopoLattice, sim.TopoRandom, sim.TopoSmallWorld, sim.TopoScaleFree, sim.TopoBlocs}
	rules := []sim.Rule{sim.RuleThreshold, sim.RuleLogit, sim.RuleReciprocal}
	learn := []sim.LearningRule{sim.LearnNone, sim.LearnImitation, sim.LearnBestNeighbour, sim.LearnReinforcement, sim.LearnAxelrod, sim.LearnConformist}
	var out []sim.Config
	for i := range n {
		c := sim.DefaultConfig()
		c.Name = fmt.Sprintf("random-%d", i)
		c.World.States = 36
		c.Topology.Kind = topos[r.IntN(len(topos))]
		c.Topology.Width, c.Topology.Height = 6, 6
		c.Topology.Torus = r.IntN(2) == 0
		c.Topology.P = 0.2
		c.Decision.Rule = rules[r.IntN(len(rules))]
		c.Learning.Rule = learn[r.IntN(len(learn))]
		c.Learning.Every = 1 + r.IntN(5)
		c.Learning.Schedule = []sim.Schedule{sim.Synchronous, sim.Asynchronous}[r.IntN(2)]
		c.Opportunity.Rate = r.Float64()
		c.Opportunity.Targets = []sim.Targets{sim.TargetsOne, sim.TargetsOne, sim.TargetsAll}[r.IntN(3)]
		c.Attribution.Suspects = r.IntN(4)
		c.Attribution.BackgroundRate = 0.1 * r.Float64()
		c.Attribution.FalseFlag = r.Float64()
		c.Attribution.PublicStandard = c.Attribution.EvidenceStandard + r.Float64()
		c.Attribution.Exposure = 0.5 * r.Float64()
		c.Attribution.Lag = 3 * r.Float64()
		c.Attribution.Cosign = r.Float64()
		c.Attribution.Denial = r.Float64()
		c.Attribution.Misrepresentation = 0.1 * r.Float64()
		c.Attribution.Reporting = r.Float64()
		c.Payoffs.Misrepresentation = r.Float64()
		c.World.Revisionists = r.IntN(4)
		c.World.StringencyPowerSlope = 0.3 * r.Float64()
		c.World.ForensicsPowerExponent = r.Float64()
		c.Opportunity.PowerExponent = r.Float64()
		c.Expectations.Correction = r.Float64()
		c.Forum.Tolerance = 0.5 * r.Float64()
		c.Forum.Consensus = r.Float64()
		c.Norms.Every = 1 + r.IntN(5)
		c.Attribution.Joint = r.IntN(2) == 0
		c.Payoffs.Spillover = r.Float64()
		c.Response.AllianceSolidarity = r.Float64()
		c.Metanorms.Enabled = r.IntN(2) == 0
		c.Forum.Every = r.IntN(10)
		c.Forum.Inclusivity = r.Float64()
		c.Forum.Dominance = 2 * r.Float64()
		c.Expectations.InitialSpread = 0.2 * r.Float64()
		c.Run.Steps = 60
		c.Run.Replicates = 2
		c.Events = []sim.Event{{Step: 30, Label: "shock", Set: []sim.Assignment{
			{Key: "payoffs.temptation", Value: 5}, {Key: "attribution.private_sector_boost", Value: -0.5}}}}
		out = append(out, c)
	}
	return out
}

// TestInvariants runs random configurations and checks every recorded
// row: rates and beliefs in [0, 1], counts non-negative and whole, no NaN
// or Inf anywhere, accusations no more than detections allow.
func TestInvariants(t *testing.T) {
	for _, c := range randomConfigs(40, 1) {
		res, err := sim.Run(context.Background(), c, sim.RunOptions{Workers: 1})
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		for _, rep := range res.Replicates {
			for s, row := range rep.Rows {
				for m, x := range row {
					if math.IsNaN(x) && !sim.Metric(m).MayBeEmpty() || math.IsInf(x, 0) {
						t.Fatalf("%s (%s, %s): step %d: %s = %v", c.Name, c.Topology.Kind, c.Decision.Rule, rep.Steps[s], sim.MetricNames[m], x)
					}
				}
				for _, m := range []sim.Metric{sim.RestraintRate, sim.RestraintCompliant, sim.BeliefRestraintMean, sim.BeliefResponseMean,
					sim.BoldnessMean, sim.VengefulnessMean, sim.CredibilityMean, sim.BeliefRestraintSD, sim.BeliefResponseSD,
					sim.Adoption, sim.AdoptionPower, sim.Stringency, sim.LegitimacyMean} {
					if row[m] < 0 || row[m] > 1 {
						t.Fatalf("%s: step %d: %s = %v, want it in [0, 1]", c.Name, rep.Steps[s], m, row[m])
					}
				}
				for _, m := range []sim.Metric{sim.Opportunities, sim.Escalations, sim.Detections, sim.TrueAccusations,
					sim.FalseAccusations, sim.Responses, sim.Spirals} {
					if row[m] < 0 || row[m] != math.Trunc(row[m]) {
						t.Fatalf("%s: step %d: %s = %v, want a count", c.Name, rep.Steps[s], m, row[m])
					}
				}
				if row[sim.Escalations] > row[sim.Opportunities] {
					t.Fatalf("%s: step %d: %v escalations of %v opportunities", c.Name, rep.Steps[s], row[sim.Escalations], row[sim.Opportunities])
				}
				if c.Opportunity.Targets == sim.TargetsOne && c.Attribution.Lag == 0 && row[sim.TrueAccusations] > row[sim.Detections] {
					t.Fatalf("%s: step %d: %v true accusations of %v detections", c.Name, rep.Steps[s], row[sim.TrueAccusations], row[sim.Detections])
				}
			}
			if !sim.SameRow(rep.Rows[len(rep.Rows)-1], rep.Final) {
				t.Fatalf("%s: final row differs from the last recorded row", c.Name)
			}
		}
	}
}

// TestWorkersDoNotChangeResults runs the same configurations with one and
// with two workers, and with only some replicates: every replicate's
// record is identical, because replicate r always draws from
// PCG(seed, r).
func TestWorkersDoNotChangeResults(t *testing.T) {
	for _, c := range randomConfigs(6, 2) {
		c.Run.Replicates = 5
		a, err := sim.Run(context.Background(), c, sim.RunOptions{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		b, err := sim.Run(context.Background(), c, sim.RunOptions{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%#v", a.Replicates) != fmt.Sprintf("%#v", b.Replicates) { // NaN-aware, unlike DeepEqual
			t.Fatalf("%s: one and two workers give different replicates", c.Name)
		}
		only, err := sim.Run(context.Background(), c, sim.RunOptions{Workers: 2, Only: []int{3}})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%#v", only.Replicates[0]) != fmt.Sprintf("%#v", a.Replicates[3]) {
			t.Fatalf("%s: replicate 3 alone differs from replicate 3 of the full run", c.Name)
		}
	}
}

// TestCancel checks that a cancelled run returns the error and no partial
// replicate.
func TestCancel(t *testing.T) {
	c := randomConfigs(1, 3)[0]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := sim.Run(ctx, c, sim.RunOptions{})
	if err == nil {
		t.Fatal("a cancelled run returned no error")
	}
	if res.Status != sim.Canceled || len(res.Replicates) != 0 {
		t.Fatalf("status %v with %d replicates, want Canceled with none", res.Status, len(res.Replicates))
	}
}
