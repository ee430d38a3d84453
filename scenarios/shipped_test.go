package scenarios

import (
	"os"
	"strings"
	"testing"
)

func TestIsPath(t *testing.T) {
	for arg, want := range map[string]bool{
		"baseline":              false,
		"claims/evidence":       false,
		"exercises/gi-long-run": false,
		"mine.toml":             true,
		"./baseline":            true,
		"runs/baseline-seed1":   true,
		"/tmp/x/scenario":       true,
		"exercises/mine.toml":   true,
		"claims-evidence":       false,
		"../scenarios/baseline": true,
	} {
		if got := IsPath(arg); got != want {
			t.Errorf("IsPath(%q) = %v, want %v", arg, got, want)
		}
	}
}

// The exercises are listed by their starting files; a solution opens only
// through OpenSolution, and every start has one.
func TestExercisesAndSolutions(t *testing.T) {
	list := Exercises()
	if len(list) == 0 {
		t.Fatal("no exercises")
	}
	for _, e := range list {
		if strings.Contains(e.Name, "solution") || !strings.HasPrefix(e.Name, "exercises/") || e.Title == "" || strings.HasPrefix(e.Title, "(invalid") {
			t.Errorf("exercise %+v", e)
		}
		if _, err := Open(e.Name); err != nil {
			t.Errorf("Open(%s): %v", e.Name, err)
		}
		s, err := OpenSolution(e.Name)
		if err != nil {
			t.Errorf("OpenSolution(%s): %v", e.Name, err)
			continue
		}
		if !strings.Contains(s.Info.What, "SOLUTION: ") {
			t.Errorf("%s.solution: its [info] what does not give the answer", e.Name)
		}
		if _, err := Open(e.Name + ".solution"); err == nil || !strings.Contains(err.Error(), "not opened by name") {
			t.Errorf("Open(%s.solution) = %v, want it refused", e.Name, err)
		}
	}
	if _, err := OpenSolution("exercises/nosuch"); err == nil || !strings.Contains(err.Error(), "no shipped exercise") {
		t.Errorf("OpenSolution(nosuch) = %v", err)
	}
}

// A bare name is never read as a file, even by OpenDroppingLateEvents
// (normsim sweep), which reads a file that Open refuses for its late
// events.
func TestBareNameIsNotAFile(t *testing.T) {
	t.Chdir(t.TempDir())
	late := "schema = 1\nname = \"late\"\n[run]\nsteps = 10\n[[events]]\nstep = 20\nlabel = \"x\"\nset = { \"payoffs.temptation\" = 4.0 }\n"
	if err := os.WriteFile("late", []byte(late), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := OpenDroppingLateEvents("late"); err == nil || !strings.Contains(err.Error(), "give its path: ./late") {
		t.Errorf("OpenDroppingLateEvents(late) = %v, want a shipped name not found", err)
	}
	if s, dropped, err := OpenDroppingLateEvents("./late"); err != nil || s.Name != "late" || len(dropped) != 1 {
		t.Errorf("OpenDroppingLateEvents(./late) = %v, %q, %v", s, dropped, err)
	}
}

// TestExerciseByKey: an exercise opens by the name key check prints
// (ex1-restraint-emerges), its solution does not.
func TestExerciseByKey(t *testing.T) {
	s, err := Open("ex1-restraint-emerges")
	if err != nil || s.Name != "ex1-restraint-emerges" || strings.Contains(s.Info.What, "SOLUTION: ") {
		t.Errorf("Open(ex1-restraint-emerges) = %v, %v", s, err)
	}
	if _, err := Open("ex1-restraint-emerges-solution"); err == nil {
		t.Error("a solution opens by its name key")
	}
}
