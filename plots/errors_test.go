package plots

import (
	"math"
	"strings"
	"testing"

	"github.com/normsim/normsim/sim"
)

// TestDrawBadData checks that bad data is an error naming the series, the
// replicate and the step, never a blank chart.
func TestDrawBadData(t *testing.T) {
	for _, c := range []struct {
		name  string
		chart string
		spoil func(*sim.Result)
		want  string
	}{
		{"NaN belief", ChartConvergence, func(r *sim.Result) { r.Replicates[2].Rows[15][sim.BeliefRestraintMean] = math.NaN() },
			"plots: convergence chart: series belief_restraint_mean of replicate 2 is NaN at step 30"},
		{"Inf spread", ChartConvergence, func(r *sim.Result) { r.Replicates[0].Rows[1][sim.BeliefRestraintSD] = math.Inf(1) },
			"plots: convergence chart: series belief_restraint_sd of replicate 0 is +Inf at step 2"},
		{"NaN detections", ChartAttribution, func(r *sim.Result) { r.Replicates[7].Rows[150][sim.Detections] = math.NaN() },
			"plots: attribution chart: series detections of replicate 7 is NaN at step 300"},
		{"Inf restraint", ChartConvergence, func(r *sim.Result) { r.Replicates[7].Rows[150][sim.RestraintCompliant] = math.Inf(1) },
			"series restraint_compliant of replicate 7 is +Inf at step 300"},
		{"NaN false accusations", ChartAttribution, func(r *sim.Result) { r.Replicates[5].Rows[3][sim.FalseAccusations] = math.NaN() },
			"plots: attribution chart: series false_accusations of replicate 5 is NaN at step 6"},
		{"-Inf gap", ChartAttribution, func(r *sim.Result) { r.Replicates[1].Rows[0][sim.ExpectationGap] = math.Inf(-1) },
			"series expectation_gap of replicate 1 is -Inf at step 0"},
		{"no states", ChartAttribution, func(r *sim.Result) { r.Config.World.States = 0 },
			"plots: attribution chart: world.states = 0: cannot express counts per state"},
		{"NaN boldness", ChartTraits, func(r *sim.Result) { r.Replicates[3].Rows[10][sim.BoldnessMean] = math.NaN() },
			"plots: traits chart: series boldness_mean of replicate 3 is NaN at step 20"},
		{"no replicates", ChartConvergence, func(r *sim.Result) { r.Replicates = nil },
			"plots: convergence chart: result has no replicates"},
		{"no replicates (outcomes)", ChartOutcomes, func(r *sim.Result) { r.Replicates = nil },
			"plots: outcomes chart: result has no replicates"},
		{"empty replicate", ChartAttribution, func(r *sim.Result) { r.Replicates[4].Steps, r.Replicates[4].Rows = nil, nil },
			"plots: attribution chart: replicate 4 has no recorded steps"},
		{"rows and steps differ", ChartTraits, func(r *sim.Result) { r.Replicates[1].Rows = r.Replicates[1].Rows[:10] },
			"plots: traits chart: replicate 1 has 151 steps but 10 rows"},
		{"different steps", ChartConvergence, func(r *sim.Result) {
			r.Replicates[6].Steps = r.Replicates[6].Steps[:100]
			r.Replicates[6].Rows = r.Replicates[6].Rows[:100]
		}, "plots: convergence chart: replicate 6 records 100 steps (0..198), replicate 0 records 151 (0..300); replicates of one run must share their steps"},
		{"no lattice", ChartLattice, func(r *sim.Result) {},
			"plots: lattice chart: no lattice snapshots in the first replicate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := cyberFixture()
			c.spoil(res)
			f, err := Draw(c.chart, res, fixtureMeta)
			if err == nil {
				t.Fatalf("Draw(%s) = %v, nil; want error %q", c.chart, f, c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("Draw(%s) error\n got %q\nwant %q", c.chart, err, c.want)
			}
		})
	}
}

// TestDrawBadLattice checks the lattice snapshots' shape and cell codes.
func TestDrawBadLattice(t *testing.T) {
	for _, c := range []struct {
		name  string
		spoil func(*sim.LatticeSnapshot)
		want  string
	}{
		{"short", func(s *sim.LatticeSnapshot) { s.Cells = s.Cells[:100] },
			"plots: lattice chart: lattice snapshot at step 10 has 100 cells, want 9801 (99x99)"},
		{"bad code", func(s *sim.LatticeSnapshot) { s.Cells[99*2+5] = 7 },
			"plots: lattice chart: lattice snapshot at step 10: cell 203 (x=5, y=2) is 7, want 0..3"},
		{"no width", func(s *sim.LatticeSnapshot) { s.Width = 0 },
			"plots: lattice chart: lattice snapshot at step 10 is 0x99"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := latticeFixture()
			snaps := res.Replicates[0].Lattice
			for i := range snaps {
				if snaps[i].Step == 10 {
					c.spoil(&snaps[i])
				}
			}
			_, err := Draw(ChartLattice, res, fixtureMeta)
			if err == nil || err.Error() != c.want {
				t.Errorf("Draw(lattice) error\n got %v\nwant %q", err, c.want)
			}
		})
	}
}

func TestDrawUnknown(t *testing.T) {
	_, err := Draw("pie", cyberFixture(), fixtureMeta)
	want := `plots: unknown chart "pie" (want one of convergence, attribution, outcomes, adoption, traits, lattice)`
	if err == nil || err.Error() != want {
		t.Errorf("Draw(pie) error = %v, want %q", err, want)
	}
	if _, err := Draw(ChartOutcomes, nil, fixtureMeta); err == nil || err.Error() != "plots: outcomes: no result" {
		t.Errorf("Draw(outcomes, nil) error = %v", err)
	}
}

// TestSweepBadData checks that the sweep charts name the bad value.
func TestSweepBadData(t *testing.T) {
	x, y, z := phaseFixture()
	z[2][3] = math.NaN()
	_, err := PhaseDiagram(x, y, z, "tau", "inclusivity", "share established", fixtureMeta)
	want := "plots: phase diagram: share established z[2][3] (tau = 2, inclusivity = 0.5) is NaN"
	if err == nil || err.Error() != want {
		t.Errorf("PhaseDiagram with NaN: error = %v, want %q", err, want)
	}
	x, y, z = phaseFixture()
	_, err = PhaseDiagram(x, y, z[:4], "tau", "inclusivity", "share", fixtureMeta)
	want = "plots: phase diagram: z has 4 rows, want one per y value (5)"
	if err == nil || err.Error() != want {
		t.Errorf("PhaseDiagram short z: error = %v, want %q", err, want)
	}
	_, err = PhaseDiagram([]float64{1, 1, 2, 3, 4, 5}, y, z, "tau", "inclusivity", "share", fixtureMeta)
	want = "plots: phase diagram: x is not increasing: x[1] = 1 after 1"
	if err == nil || err.Error() != want {
		t.Errorf("PhaseDiagram repeated x: error = %v, want %q", err, want)
	}
	_, err = PhaseDiagram(nil, y, z, "tau", "inclusivity", "share", fixtureMeta)
	if err == nil || err.Error() != "plots: phase diagram: x is empty" {
		t.Errorf("PhaseDiagram empty x: error = %v", err)
	}

	px, mean, lo, hi := paramFixture()
	mean[4] = math.Inf(1)
	_, err = ParamLine(px, mean, lo, hi, "tau", "restraint", fixtureMeta)
	want = "plots: parameter line: mean[4] is +Inf of restraint"
	if err == nil || err.Error() != want {
		t.Errorf("ParamLine with Inf: error = %v, want %q", err, want)
	}
	px, mean, lo, hi = paramFixture()
	lo[2] = hi[2] + 1
	_, err = ParamLine(px, mean, lo, hi, "tau", "restraint", fixtureMeta)
	if err == nil || !strings.Contains(err.Error(), "interval at tau = 1 is") {
		t.Errorf("ParamLine lo > hi: error = %v", err)
	}
	_, err = ParamLine(px, mean[:3], lo, hi, "tau", "restraint", fixtureMeta)
	if err == nil || err.Error() != "plots: parameter line: mean has 3 values, x has 9" {
		t.Errorf("ParamLine short mean: error = %v", err)
	}

	names, s1, s1lo, s1hi, st, stlo, sthi, meta := sobolFixture()
	st[1] = math.NaN()
	_, err = SobolBars(names, s1, s1lo, s1hi, st, stlo, sthi, meta)
	want = "plots: sobol bars: st of forum.inclusivity is NaN"
	if err == nil || err.Error() != want {
		t.Errorf("SobolBars with NaN: error = %v, want %q", err, want)
	}
	_, err = SobolBars(nil, nil, nil, nil, nil, nil, nil, meta)
	if err == nil || err.Error() != "plots: sobol bars: no parameters" {
		t.Errorf("SobolBars empty: error = %v", err)
	}
}
