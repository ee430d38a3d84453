package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
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

// TestExercises checks the course pack on seeds 1 to 10: every exercise has
// a solution, every starting file fails normsim check (exit 1, not 2) and
// every solution passes it (exit 0). Solutions are not opened by name
// (normsim show needs --solutions), so they are checked from their files in
// the repository, as a teacher or the acceptance check does.
func TestExercises(t *testing.T) {
	starts := scenarios.Exercises()
	if len(starts) < 10 {
		t.Errorf("%d exercises, want at least 10", len(starts))
	}
	for _, e := range starts {
		t.Run(strings.TrimPrefix(e.Name, "exercises/"), func(t *testing.T) {
			solution := filepath.Join("..", "..", strings.TrimSuffix(e.File, ".toml")+".solution.toml")
			if _, err := os.Stat(solution); err != nil {
				t.Fatalf("%s has no solution: %v", e.Name, err)
			}
			for seed := 1; seed <= 10; seed++ {
				for _, c := range []struct {
					file string
					want int
				}{{e.Name, exitFailure}, {solution, exitOK}} {
					o, errs, code := call(context.Background(), "check", "--quiet", "--seed", strconv.Itoa(seed), c.file)
					if code != c.want {
						t.Errorf("normsim check %s --seed %d: exit %d, want %d\n%s%s", c.file, seed, code, c.want, o, errs)
					}
					if code == exitFailure && errs != "" {
						t.Errorf("normsim check %s --seed %d: a failed goal should not be a runtime error: %s", c.file, seed, errs)
					}
				}
			}
		})
	}
}

// TestSolutionsHidden: a student's binary lists the exercises' starting
// files, not their solutions, and opens a solution only when asked.
func TestSolutionsHidden(t *testing.T) {
	out, _, _ := call(context.Background(), "list", "--exercises")
	if !strings.Contains(out, "exercises/restraint-emerges ") || strings.Contains(out, "solution") {
		t.Errorf("normsim list --exercises = %q, want the starting files only", out)
	}
	if out, _, _ := call(context.Background(), "list"); strings.Contains(out, "exercises/") {
		t.Errorf("normsim list lists exercises: %q", out)
	}
	for _, c := range []struct {
		args             string
		wantOut, wantErr string
		wantCode         int
	}{
		{"show exercises/restraint-emerges.solution", "-", "exercise solutions are not opened by name: a teacher shows one with 'normsim show --solutions exercises/restraint-emerges.solution'", 2},
		{"check exercises/restraint-emerges.solution", "-", "exercise solutions are not opened by name", 2},
		{"run exercises/restraint-emerges.solution", "-", "exercise solutions are not opened by name", 2},
		{"show --solutions exercises/restraint-emerges", `name = "ex1-restraint-emerges-solution"`, "-", 0},
		{"show --solutions exercises/restraint-emerges.solution", "SOLUTION:", "-", 0},
		{"show --solutions exercises/restraint-emerge", "-", `did you mean "exercises/restraint-emerges"?`, 2},
		{"show exercises/restraint-emerge", "-", `did you mean "exercises/restraint-emerges"?`, 2},
		{"check exercises/technology-shok", "-", `did you mean "exercises/technology-shock"?`, 2},
		{"show exercises/restraint-emerges", `name = "ex1-restraint-emerges"`, "-", 0},
	} {
		expectCall(t, c.args, c.wantOut, c.wantErr, c.wantCode)
	}
}

// TestShippedNameNotShadowed: a bare name is a shipped scenario even when
// a file or directory of that name is in the working directory (a run's
// output directory, runs/baseline-seed1 or -o baseline); a path opens the
// file.
func TestShippedNameNotShadowed(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.Mkdir("baseline", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("mine", []byte("schema = 1\nname = \"mine\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	expectCall(t, "show baseline", `name = "baseline"`, "-", 0)
	expectCall(t, "validate baseline", "baseline: ok (baseline)", "-", 0)
	expectCall(t, "show mine", "-", "no shipped scenario of that name (to open the file or directory mine, give its path: ./mine)", 2)
	expectCall(t, "show ./mine", `name = "mine"`, "-", 0)
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

// TestCheckRobustFiles: check --robust -o writes the robustness of every
// claim as the claims study does: robustness.csv, one row per claim and
// setting, and the robustness chart.
func TestCheckRobustFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	expectCall(t, "check claims/evidence --robust --replicates 2 --steps 30 --quiet -o "+dir, "robustness: every claim in 18 settings", "", 1)
	data, err := os.ReadFile(filepath.Join(dir, RobustnessFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if lines[0] != strings.Join(robustnessHeader, ",") || len(lines) != 1+3*18 {
		t.Errorf("robustness.csv: header %q and %d rows, want 3 claims x 18 settings", lines[0], len(lines)-1)
	}
	if !strings.HasPrefix(lines[1], "claims-evidence,") || !strings.Contains(lines[1], ",N=50 complete beta=2,") {
		t.Errorf("robustness.csv: first row %q", lines[1])
	}
	for _, ext := range []string{".png", ".svg"} {
		if _, err := os.Stat(filepath.Join(dir, RobustnessChart+ext)); err != nil {
			t.Error(err)
		}
	}
}
