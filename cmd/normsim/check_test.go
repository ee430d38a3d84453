package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/normsim/normsim/scenarios"
)

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
		{"check " + none, "-", "no [[expect]] goals or claims to check", 2},
		{"check baseline", "-", "no [[expect]] goals or claims to check", 2},
		{"check nosuch", "-", "no such file, and no shipped scenario", 2},
		{"check " + pass + " --replicates 0", "-", "--replicates: run.replicates = 0", 2},
		{"check " + pass + " --set attribution.reporting=2", "-", "attribution.reporting = 2", 2},
		{"check " + pass + " --workers -1", "-", "--workers = -1", 2},
		{"check " + pass + " --bogus", "-", "unknown flag --bogus", 2},
		{"check " + pass + " --quiet", "PASS  mean restraint_rate in [0, 1]: ", "-", 0},
		{"check " + pass, "pass: 1 of 1 goals and claims met: PASS", "-", 0},
		{"check --quiet " + fail, "FAIL  mean restraint_rate >= 2: ", "-", 1},
		{"check --quiet " + fail, "      hint: no rate exceeds one\nPASS  mean restraint_rate <= 1", "-", 1},
		{"check --quiet " + fail, "fail: 1 of 2 goals and claims met: FAIL", "-", 1},
		{"check --quiet " + fail + " --set expect[0].at_least=0", "fail: 2 of 2 goals and claims met: PASS", "-", 0},
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
