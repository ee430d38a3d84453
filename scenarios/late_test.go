package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestOpenDroppingLateEvents(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const head = "schema = 1\nname = \"late\"\n[run]\nsteps = 60\n"
	const events = "[[events]]\nstep = 50\nlabel = \"early\"\nset = { \"payoffs.temptation\" = 4.0 }\n" +
		"[[events]]\nstep = 250\nlabel = \"late\"\nset = { \"payoffs.temptation\" = 4.5 }\n"

	late := write("late.toml", head+events)
	if _, err := Open(late); err == nil {
		t.Fatal("Open accepts an event after run.steps")
	}
	s, dropped, err := OpenDroppingLateEvents(late)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{`event "late" at step 250`}; !reflect.DeepEqual(dropped, want) {
		t.Errorf("dropped %q, want %q", dropped, want)
	}
	cfg, _ := s.Config()
	if len(cfg.Events) != 1 || cfg.Events[0].Label != "early" {
		t.Errorf("events %+v, want only the early one", cfg.Events)
	}
	if _, err := Parse("resolved", s.Resolved()); err != nil {
		t.Errorf("the resolved scenario does not load: %v", err)
	}

	// Other problems are still reported, without the dropped event.
	bad := write("bad.toml", head+"[forum]\ninclusivity = 2.0\n"+events)
	_, _, err = OpenDroppingLateEvents(bad)
	var se *Error
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "forum.inclusivity = 2") || strings.Contains(err.Error(), "events[") {
		t.Errorf("bad file: got %v, want the forum.inclusivity problem alone", err)
	}

	// A valid file, or a shipped name, opens as with Open.
	if s, dropped, err := OpenDroppingLateEvents("baseline"); err != nil || dropped != nil || s.Name != "baseline" {
		t.Errorf("baseline: %v, dropped %q", err, dropped)
	}
}
