package main

import (
	"context"
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

func ptr(x float64) *float64 { return &x }

// TestMeanCI checks the t interval against a hand computation: x = 1..5 has
// mean 3 and sd sqrt(2.5); t(0.975, 4) = 2.7764451 (any t table, e.g.
// Abramowitz and Stegun 1964, table 26.10).
func TestMeanCI(t *testing.T) {
	m, lo, hi := meanCI([]float64{1, 2, 3, 4, 5})
	h := 2.7764451 * math.Sqrt(2.5) / math.Sqrt(5)
	if math.Abs(m-3) > 1e-12 || math.Abs(lo-(3-h)) > 1e-6 || math.Abs(hi-(3+h)) > 1e-6 {
		t.Errorf("meanCI(1..5) = %v [%v, %v], want 3 [%v, %v]", m, lo, hi, 3-h, 3+h)
	}
	if m, lo, hi := meanCI([]float64{7}); m != 7 || !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("meanCI of one value = %v [%v, %v], want 7 and no interval", m, lo, hi)
	}
}

// TestQuantile7 checks definition 7 of Hyndman and Fan (1996) against R's
// quantile(): quantile(1:4, 0.5) = 2.5, quantile(1:10, 0.9) = 9.1,
// quantile(c(3, 1, 2), 0) = 1 and quantile(c(3, 1, 2), 1) = 3.
func TestQuantile7(t *testing.T) {
	for _, c := range []struct {
		x       []float64
		q, want float64
	}{
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1},
		{[]float64{1, 2, 3}, 0, 1},
		{[]float64{1, 2, 3}, 1, 3},
		{[]float64{5, math.Inf(1), math.Inf(1)}, 0.5, math.Inf(1)},
		{[]float64{5, 6, math.Inf(1)}, 0.5, 6},
	} {
		if got := quantile7(c.x, c.q); math.Abs(got-c.want) > 1e-12 && got != c.want {
			t.Errorf("quantile7(%v, %v) = %v, want %v", c.x, c.q, got, c.want)
		}
	}
}

// TestQuantileCIRanks checks the order-statistic interval's ranks against
// the tabulated distribution-free confidence interval for the median
// (e.g. Conover 1999, Practical Nonparametric Statistics, table A3; the
// binomial CDF for n = 20, p = 1/2: P(B <= 5) = 0.0207, P(B <= 14) =
// 0.9793): (x(6), x(15)) for n = 20, and (x(1), x(8)) for n = 8.
func TestQuantileCIRanks(t *testing.T) {
	for _, c := range []struct{ n, lo, hi int }{{20, 6, 15}, {8, 1, 8}} {
		x := make([]float64, c.n)
		for i := range x {
			x[i] = float64(i + 1) // x(k) = k
		}
		lo, hi := quantileCI(x, 0.5)
		if lo != float64(c.lo) || hi != float64(c.hi) {
			t.Errorf("n = %d: median interval (x(%v), x(%v)), want (x(%d), x(%d))", c.n, lo, hi, c.lo, c.hi)
		}
	}
	// With 5 values the 0.9-quantile has no upper order statistic that
	// covers it with 97.5% confidence: P(B <= 4) = 1 - 0.9^5 = 0.41.
	if _, hi := quantileCI([]float64{1, 2, 3, 4, 5}, 0.9); !math.IsInf(hi, 1) {
		t.Errorf("0.9-quantile of 5 values: upper end %v, want +Inf", hi)
	}
}

// TestIntervalCoverage checks by simulation that the intervals cover the
// true value at least 95% of the time: the t interval for the mean of
// Normal(2, 1) samples of 8 (exact: 95%), and the order-statistic interval
// for the median and the 0.8-quantile of Uniform(0, 1) samples of 16
// (at least 95%, by construction). 4000 samples: a standard error of
// 0.0034 at 95%, so each must reach 0.95 - 4 x 0.0034.
func TestIntervalCoverage(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	const trials = 4000
	var tHits, medHits, q8Hits int
	for range trials {
		x := make([]float64, 8)
		for i := range x {
			x[i] = 2 + rnd.NormFloat64()
		}
		if _, lo, hi := meanCI(x); lo <= 2 && 2 <= hi {
			tHits++
		}
		u := make([]float64, 16)
		for i := range u {
			u[i] = rnd.Float64()
		}
		slices.Sort(u)
		if lo, hi := quantileCI(u, 0.5); lo <= 0.5 && 0.5 <= hi {
			medHits++
		}
		if lo, hi := quantileCI(u, 0.8); lo <= 0.8 && 0.8 <= hi {
			q8Hits++
		}
	}
	minCover := 0.95 - 4*math.Sqrt(0.95*0.05/trials)
	for _, c := range []struct {
		name string
		hits int
	}{{"t interval", tHits}, {"median interval", medHits}, {"0.8-quantile interval", q8Hits}} {
		if p := float64(c.hits) / trials; p < minCover {
			t.Errorf("%s covers the true value in %.4f of %d samples, want >= %.4f", c.name, p, trials, minCover)
		}
	}
	// The t interval is exact for normal samples: not far above 95% either.
	if p := float64(tHits) / trials; p > 0.95+4*math.Sqrt(0.95*0.05/trials) {
		t.Errorf("t interval covers in %.4f of samples, want about 0.95", p)
	}
}

// TestGrade grades goals of each kind on hand-made replicates.
func TestGrade(t *testing.T) {
	var reps []sim.Replicate
	for i, v := range []float64{0.2, 0.4, 0.6, 0.8} {
		r := sim.Replicate{Index: i, Converged: -1, Outcome: sim.Contested, FinalRestraint: v}
		r.Final[sim.RestraintRate] = v
		if i < 3 {
			r.Converged = 10 * (i + 1) // 10, 20, 30; replicate 3 never converged
		}
		if v >= 0.6 {
			r.Outcome = sim.Established
		}
		reps = append(reps, r)
	}
	for _, c := range []struct {
		goal      scenarios.Expect
		value     float64
		pass      bool
		n         int
		noteMatch string
	}{
		{scenarios.Expect{Metric: "restraint_rate", Stat: "mean", AtLeast: ptr(0.5)}, 0.5, true, 4, ""},
		{scenarios.Expect{Metric: "final_restraint", Stat: "mean", AtLeast: ptr(0.55)}, 0.5, false, 4, ""},
		{scenarios.Expect{Metric: "outcome", Stat: "share", Outcome: "established", AtLeast: ptr(0.5), AtMost: ptr(0.5)}, 0.5, true, 4, ""},
		{scenarios.Expect{Metric: "converged", Stat: "mean", AtMost: ptr(25)}, 20, true, 3, "1 of 4 replicates never converged"},
		// Quantiles count the unconverged replicate as later than any step:
		// sorted 10, 20, 30, +Inf; the median is 25, the 0.9-quantile +Inf.
		{scenarios.Expect{Metric: "converged", Stat: "quantile", Q: 0.5, AtMost: ptr(25)}, 25, true, 4, "1 of 4 replicates never converged"},
		{scenarios.Expect{Metric: "converged", Stat: "quantile", Q: 0.9, AtMost: ptr(1000)}, math.Inf(1), false, 4, "never converged"},
	} {
		r := gradeOne(c.goal, reps)
		if r.Value != c.value && math.Abs(r.Value-c.value) > 1e-12 || r.Pass != c.pass || r.N != c.n || !strings.Contains(r.Note, c.noteMatch) {
			t.Errorf("%s: value %v pass %v n %d note %q; want %v %v %d %q", describeGoal(c.goal), r.Value, r.Pass, r.N, r.Note, c.value, c.pass, c.n, c.noteMatch)
		}
	}
	// The mean 0.5 meets ">= 0.5" but its interval crosses the bound.
	if r := gradeOne(scenarios.Expect{Metric: "restraint_rate", Stat: "mean", AtLeast: ptr(0.5)}, reps); !r.Close {
		t.Errorf("mean on the bound: not flagged as a close call")
	}
	if r := gradeOne(scenarios.Expect{Metric: "restraint_rate", Stat: "mean", AtLeast: ptr(0.5)}, nil); r.Pass || r.Note == "" {
		t.Errorf("no replicates: pass %v, note %q", r.Pass, r.Note)
	}
}

func TestDescribeGoal(t *testing.T) {
	for _, c := range []struct {
		g    scenarios.Expect
		want string
	}{
		{scenarios.Expect{Metric: "restraint_rate", Stat: "mean", AtLeast: ptr(0.7)}, "mean restraint_rate >= 0.7"},
		{scenarios.Expect{Metric: "outcome", Stat: "share", Outcome: "collapsed", AtMost: ptr(0.2)}, "share collapsed <= 0.2"},
		{scenarios.Expect{Metric: "converged", Stat: "quantile", Q: 0.5, AtLeast: ptr(10), AtMost: ptr(100000)}, "0.5-quantile of converged in [10, 100000]"},
	} {
		if got := describeGoal(c.g); got != c.want {
			t.Errorf("describeGoal = %q, want %q", got, c.want)
		}
	}
}

// writeScenario writes a small scenario with the given goals into dir.
func writeGoalScenario(t *testing.T, dir, name, goals string) string {
	t.Helper()
	p := filepath.Join(dir, name+".toml")
	src := "schema = 1\nname = \"" + name + "\"\n[run]\nsteps = 40\nreplicates = 4\n[world]\nstates = 30\n" + goals
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	pass := writeGoalScenario(t, dir, "pass", "[[expect]]\nmetric = \"restraint_rate\"\nat_least = 0\nat_most = 1\n")
	fail := writeGoalScenario(t, dir, "fail", "[[expect]]\nmetric = \"restraint_rate\"\nat_least = 2\nhint = \"no rate exceeds one\"\n[[expect]]\nmetric = \"restraint_rate\"\nat_most = 1\n")
	none := writeGoalScenario(t, dir, "none", "")
	out := filepath.Join(dir, "out")
	before, _ := os.ReadDir(".")
	for _, c := range []struct {
		args             string
		wantOut, wantErr string
		wantCode         int
	}{
		{"check", "-", "want one scenario", 2},
		{"check " + pass + " extra", "-", "want one scenario", 2},
		{"check " + none, "-", "no [[expect]] goals to check", 2},
		{"check baseline", "-", "no [[expect]] goals to check", 2},
		{"check nosuch", "-", "no such file, and no shipped scenario", 2},
		{"check " + pass + " --replicates 0", "-", "--replicates: run.replicates = 0", 2},
		{"check " + pass + " --set attribution.publicity=2", "-", "attribution.publicity = 2", 2},
		{"check " + pass + " --workers -1", "-", "--workers = -1", 2},
		{"check " + pass + " --bogus", "-", "flag provided but not defined: -bogus", 2},
		{"check " + pass + " --quiet", "PASS  mean restraint_rate in [0, 1]: ", "-", 0},
		{"check " + pass, "pass: 1 of 1 goals met: PASS", "-", 0},
		{"check --quiet " + fail, "FAIL  mean restraint_rate >= 2: ", "-", 1},
		{"check --quiet " + fail, "      hint: no rate exceeds one\nPASS  mean restraint_rate <= 1", "-", 1},
		{"check --quiet " + fail, "fail: 1 of 2 goals met: FAIL", "-", 1},
		{"check --quiet " + fail + " --set expect[0].at_least=0", "fail: 2 of 2 goals met: PASS", "-", 0},
		{"check --quiet " + pass + " -o " + out, "wrote " + out, "-", 0},
		{"check --quiet " + pass + " -o " + out, "-", "already holds a result", 2},
		{"check --quiet --force " + pass + " -o " + out, "PASS", "-", 0},
	} {
		expectCall(t, c.args, c.wantOut, c.wantErr, c.wantCode)
	}
	// Without -o, check writes nothing.
	if after, _ := os.ReadDir("."); len(after) != len(before) {
		t.Errorf("check without -o changed the working directory: %d entries before, %d after", len(before), len(after))
	}
	// With -o, the run's files and goals.csv.
	for _, f := range []string{"scenario.toml", "replicates.csv", "timeseries.csv", "summary.json", "convergence.svg", goalsFile} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("check -o wrote no %s", f)
		}
	}
	f, err := os.Open(filepath.Join(out, goalsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][4] != "1" || recs[1][16] != "true" {
		t.Errorf("goals.csv = %q (%v), want a header and one passing goal", recs, err)
	}
}

// TestExercises checks the course pack: every exercise has a solution,
// every starting file fails `normsim check` (exit 1, not 2) and every
// solution passes it (exit 0). Exercises whose kernel is not implemented
// yet are skipped.
func TestExercises(t *testing.T) {
	list := scenarios.Exercises()
	var starts []string
	for _, e := range list {
		if !strings.HasSuffix(e, ".solution") {
			starts = append(starts, e)
			if !slices.Contains(list, e+".solution") {
				t.Errorf("%s has no solution", e)
			}
		}
	}
	if len(starts) < 9 {
		t.Errorf("%d exercises, want at least 9", len(starts))
	}
	for _, e := range starts {
		t.Run(strings.TrimPrefix(e, "exercises/"), func(t *testing.T) {
			for _, c := range []struct {
				file string
				want int
			}{{e, exitFailure}, {e + ".solution", exitOK}} {
				o, errs, code := call(context.Background(), "check", "--quiet", c.file)
				if code != c.want {
					t.Errorf("normsim check %s: exit %d, want %d\n%s%s", c.file, code, c.want, o, errs)
				}
				if code == exitFailure && errs != "" {
					t.Errorf("normsim check %s: a failed goal should not be a runtime error: %s", c.file, errs)
				}
			}
		})
	}
}

// TestClassicsReplicate runs `normsim check` on every shipped scenario with
// goals (the classics: their published results) and wants them met.
// The 100,000-generation runs are skipped in short mode (CI runs them).
func TestClassicsReplicate(t *testing.T) {
	n := 0
	for _, e := range scenarios.List() {
		s, err := scenarios.Open(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Expect) == 0 {
			continue
		}
		n++
		t.Run(e.Name, func(t *testing.T) {
			if cfg, _ := s.Config(); testing.Short() && cfg.Run.Steps*cfg.Run.Replicates > 1e6 {
				t.Skip("long run: skipped in short mode")
			}
			o, errs, code := call(context.Background(), "check", "--quiet", e.Name)
			if code != exitOK {
				t.Errorf("normsim check %s: exit %d\n%s%s", e.Name, code, o, errs)
			}
		})
	}
	if n < 6 {
		t.Errorf("%d shipped scenarios with goals, want the 6 classics", n)
	}
}
