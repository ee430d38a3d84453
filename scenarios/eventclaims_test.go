package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A claim that varies a key of an event follows the event: when a run ends
// before the event fires (--steps, or a file shortened by hand for a
// sweep), the claim is dropped with it; a claim on a kept event stays.
func TestDropEventsDropsTheirClaims(t *testing.T) {
	const src = `schema = 1
name = "two-events"
[run]
steps = 60
[[events]]
step = 10
label = "early"
set = { "attribution.false_flag" = 0.2 }
[[events]]
step = 50
label = "late"
set = { "payoffs.temptation" = 5.0 }
[[expect]]
claim = "the late event matters"
metric = "final_restraint"
vary = { "events[1].set.\"payoffs.temptation\"" = [3.0, 5.0] }
trend = "decreasing"
[[expect]]
claim = "the early event matters"
metric = "final_restraint"
vary = { "events[0].set.\"attribution.false_flag\"" = [0.05, 0.2] }
trend = "decreasing"
`
	check := func(how string, s *Scenario, dropped []string) {
		t.Helper()
		want := []string{`event "late" at step 50`, `the claim "the late event matters" (it varies events[1])`}
		if len(dropped) != 2 || dropped[0] != want[0] || dropped[1] != want[1] {
			t.Errorf("%s: dropped %q, want %q", how, dropped, want)
		}
		if len(s.Expect) != 1 || s.Expect[0].Claim != "the early event matters" || s.Expect[0].Vary != `events[0].set."attribution.false_flag"` {
			t.Errorf("%s: claims left %+v, want the early event's", how, s.Expect)
		}
		if cfg, err := s.Config(); err != nil || len(cfg.Events) != 1 || cfg.Events[0].Label != "early" {
			t.Errorf("%s: events left %+v (%v)", how, cfg.Events, err)
		}
	}

	s, err := Parse("two.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	dropped := s.DropEventsAfter(20)
	if err := s.Set("run.steps=20"); err != nil {
		t.Fatal(err)
	}
	check("DropEventsAfter", s, dropped)

	p := filepath.Join(t.TempDir(), "short.toml")
	if err := os.WriteFile(p, []byte(src[:len("schema = 1\nname = \"two-events\"\n[run]\nsteps = ")]+"20"+src[len("schema = 1\nname = \"two-events\"\n[run]\nsteps = 60"):]), 0o644); err != nil {
		t.Fatal(err)
	}
	s, dropped, err = OpenDroppingLateEvents(p)
	if err != nil {
		t.Fatal(err)
	}
	check("OpenDroppingLateEvents", s, dropped)
}

// TestDropEventsNotATable: an [[events]] array with an entry that is not a
// table is refused by OpenDroppingLateEvents as by Load, not quietly
// repaired by dropping the entry.
func TestDropEventsNotATable(t *testing.T) {
	src := "schema = 1\nname = \"bad\"\n" +
		"events = [7, { step = 5, label = \"a\", set = { \"payoffs.temptation\" = 4.0 } }, { step = 20, label = \"b\", set = { \"payoffs.temptation\" = 5.0 } }]\n" +
		"[run]\nsteps = 10\n"
	p := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, loadErr := Load(p)
	s, dropped, err := OpenDroppingLateEvents(p)
	if loadErr == nil || err == nil || !strings.Contains(err.Error(), "want a table") {
		t.Errorf("Load: %v; OpenDroppingLateEvents = %v, %q, %v; want both refused", loadErr, s, dropped, err)
	}
}
