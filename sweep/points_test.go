package sweep

import (
	"context"
	"strings"
	"testing"

	"github.com/normsim/normsim/sim"
)

// TestPointsDo: a sweep's run is the replicate 'normsim run' runs with the
// point's values and the run's seed; an invalid point is named with its
// values; a sampled integer key is rounded.
func TestPointsDo(t *testing.T) {
	base := sim.DefaultConfig()
	base.World.States = 30
	base.Run.Steps, base.Run.Replicates = 40, 2
	d := Design{Kind: Grid, Replicates: 2, Seed: 3, Params: []Param{
		{Key: "attribution.evidence_standard", Values: []float64{0.5, 2}},
	}}
	pts := NewPoints(base, d)
	points, err := d.Points()
	if err != nil {
		t.Fatal(err)
	}
	if err := pts.Check(points); err != nil {
		t.Fatal(err)
	}
	if pts.Fit() < 1 {
		t.Errorf("Fit() = %d", pts.Fit())
	}
	run := Run{Point: 1, Values: points[1], Seed: 99, Replicate: 1}
	got, err := pts.Do(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	cfg := base.Clone()
	cfg.Attribution.EvidenceStandard = 2
	cfg.Run.Seed = 99
	cfg.Run.RecordEvery = cfg.Run.Steps
	rep, _, err := sim.RunReplicate(context.Background(), cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != rep.Outcome.String() || got.Converged != rep.Converged || got.Final[len(got.Final)-1] != rep.FinalBelief ||
		got.Final[sim.RestraintRate] != rep.Window[sim.RestraintRate] || len(got.Final) != len(EngineMetrics) {
		t.Errorf("Do = %+v, want the replicate %v %d %g", got, rep.Outcome, rep.Converged, rep.FinalBelief)
	}

	bad := NewPoints(base, Design{Kind: Grid, Params: []Param{{Key: "attribution.false_flag", Values: []float64{0.1, 2, 3}}}})
	err = bad.Check([][]float64{{0.1}, {2}, {3}})
	if err == nil || !strings.Contains(err.Error(), "design point 1 (attribution.false_flag=2) is invalid") ||
		!strings.Contains(err.Error(), "(2 of 3 design points are invalid)") {
		t.Errorf("Check = %v", err)
	}

	lhs := NewPoints(base, Design{Kind: LHS, Params: []Param{{Key: "world.states", Min: 20, Max: 40}}})
	if a := lhs.Assignments([]float64{23.6}); a[0] != "world.states=24" {
		t.Errorf("Assignments = %q, want world.states rounded", a)
	}
}
