package scenarios

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/normsim/normsim/sim"
)

func mustOpen(t *testing.T, name string) *Scenario {
	t.Helper()
	s, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSet(t *testing.T) {
	for _, c := range []struct {
		scenario string
		assign   []string
		check    func(c sim.Config) bool
	}{
		{"baseline", []string{"attribution.public_standard=2.25"}, func(c sim.Config) bool { return c.Attribution.PublicStandard == 2.25 }},
		{"baseline", []string{"decision.rule=threshold"}, func(c sim.Config) bool { return c.Decision.Rule == sim.RuleThreshold }},
		{"baseline", []string{`decision.rule="game"`}, func(c sim.Config) bool { return c.Decision.Rule == sim.RuleGame }},
		{"baseline", []string{"run.seed=42", "run.steps=40"}, func(c sim.Config) bool { return c.Run.Seed == 42 && c.Run.Steps == 40 && len(c.Events) == 0 }},
		{"baseline", []string{"world.power=2"}, func(c sim.Config) bool { return c.World.Power.Kind == sim.DistConstant && c.World.Power.Value == 2 }},
		{"baseline", []string{"world.power.alpha=2.5"}, func(c sim.Config) bool { return c.World.Power.Alpha == 2.5 && c.World.Power.Kind == sim.DistPareto }},
		{"baseline", []string{"world.power.values=[1, 2]"}, func(c sim.Config) bool { return c.World.Power.Kind == sim.DistValues && len(c.World.Power.Values) == 2 }},
		// One alternative of a choice replaces the others.
		{"nowak-may-kaleidoscope", []string{"world.initial.escalators=0.2"}, func(c sim.Config) bool {
			return c.World.Initial.Pattern == sim.InitRandom && c.World.Initial.Escalators == 0.2
		}},
		{"nowak-may-chaos", []string{"world.initial.site=5"}, func(c sim.Config) bool {
			return c.World.Initial.Pattern == sim.InitSingle && c.World.Initial.Site == 5
		}},
		{"baseline", []string{"decision.reciprocal=generous-tit-for-tat", "decision.reciprocal.initial=0.5"}, func(c sim.Config) bool {
			return c.Decision.Reciprocal == [4]float64{1, 1.0 / 3, 1, 1.0 / 3} && c.Decision.ReciprocalInitial == 0.5
		}},
		{"ai-shock", []string{"events[1].set.\"attribution.false_flag\"=0.4"}, func(c sim.Config) bool {
			return c.Events[1].Set[0].Key == "attribution.false_flag" && c.Events[1].Set[0].Value == 0.4
		}},
		{"baseline", []string{"forum.blocs=[0, 2]"}, func(c sim.Config) bool { return len(c.Forum.Blocs) == 2 }},
	} {
		s := mustOpen(t, c.scenario)
		if strings.HasPrefix(c.assign[len(c.assign)-1], "run.steps") {
			s.DropEventsAfter(40)
		}
		for _, a := range c.assign {
			if err := s.Set(a); err != nil {
				t.Fatalf("%s: Set(%q): %v", c.scenario, a, err)
			}
		}
		cfg, err := s.Config()
		if err != nil || !c.check(cfg) {
			t.Errorf("%s %q: wrong config (err %v)", c.scenario, c.assign, err)
		}
		// The change survives resolving.
		s2, err := Parse("r.toml", s.Resolved())
		if err != nil {
			t.Fatalf("%s %q: resolved does not parse: %v", c.scenario, c.assign, err)
		}
		if s2.Hash() != s.Hash() {
			t.Errorf("%s %q: hash changes through Resolved", c.scenario, c.assign)
		}
	}
}

func TestSetErrors(t *testing.T) {
	for _, c := range []struct{ assign, want string }{
		{"attribution.reporting=1.5", "--set: attribution.reporting = 1.5: want a probability, 0 <= x <= 1"},
		{"attribution.evidence_standard=nan", "--set: attribution.evidence_standard = nan: want a finite number"},
		{"run.seed=-1", "--set: run.seed = -1: want an integer >= 0"},
		{"attribution.nosuch=1", "--set: attribution.nosuch = 1: unknown key in [attribution]; known keys: evidence_standard, suspects, background_rate, false_flag, public_standard, exposure, recovery, lag, cosign, cosigners, denial, misrepresentation, reporting, private_sector_boost, joint, joint_partners"},
		{"attribution.reportng=0.1", `--set: attribution.reportng = 0.1: unknown key in [attribution]; did you mean "reporting"?`},
		{"world.states=1000000000000", "--set: world.states = 1000000000000: want at most 10000000 (about 2000 MB of memory at most; larger worlds are refused before anything is allocated)"},
		{"run.steps=100", fmt.Sprintf("shipped scenario baseline, line %d: events[0].step = 120: want a step 1 <= step <= run.steps (100); to shorten a run, --steps N skips the events after step N", lineOf(t, "baseline.toml", "step = 120"))},
		{"run.steps", "--set: run.steps: want key=value, e.g. attribution.reporting=0.5"},
		{"world.states=0", "--set: world.states = 0: want an integer >= 1\n" + fmt.Sprintf("shipped scenario baseline, line %d: world.revisionists = 4: want a number 0 <= k <= world.states (0), or a list of states", lineOf(t, "baseline.toml", "revisionists = 4"))},
		{"run.seed=99999999999999999999999", "--set: run.seed = 99999999999999999999999: out of range of a 64-bit integer: want at most 9223372036854775807"},
		{"forum.pull=-1e999", "--set: forum.pull = -1e999: out of range of a 64-bit float: want a finite number"},
		{"run.steps=9223372036854775807", "--set: run.steps = 9223372036854775807: want at most 1000000000000"},
		{"run..x=1", `--set: run..x = 1: unexpected '.' in key "run..x"`},
		{"schema=2", "--set: schema = 2: unsupported format version: this normsim reads schema = 1"},
	} {
		s := mustOpen(t, "baseline")
		before := s.Hash()
		err := s.Set(c.assign)
		if err == nil || err.Error() != c.want {
			t.Errorf("Set(%q):\n got %v\nwant %s", c.assign, err, c.want)
		}
		if s.Hash() != before {
			t.Errorf("Set(%q) failed but changed the scenario", c.assign)
		}
	}
}

// lineOf returns the 1-based line of file that starts with prefix.
func lineOf(t *testing.T, file, prefix string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line starting %q", file, prefix)
	return 0
}

func TestClone(t *testing.T) {
	s := mustOpen(t, "baseline")
	c := s.Clone()
	if err := c.Set("payoffs.harm=3"); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := s.Config(); cfg.Payoffs.Harm != 1 {
		t.Errorf("Set on a clone changed the original: harm %g", cfg.Payoffs.Harm)
	}
}

// TestDropEventsAfterClaims: a claim that varies a dropped event goes
// with it (claims-shock at --steps 20 was refused: its claims varied
// events[0] and events[1]).
func TestDropEventsAfterClaims(t *testing.T) {
	s := mustOpen(t, "claims-shock")
	got := s.DropEventsAfter(20)
	if len(got) != 4 || !strings.Contains(got[2], "the claim") || !strings.Contains(got[3], "events[1]") {
		t.Errorf("dropped %q, want two events and the two claims that vary them", got)
	}
	if err := s.Set("run.steps=20"); err != nil {
		t.Errorf("after dropping: %v", err)
	}
	if _, err := s.Config(); err != nil {
		t.Error(err)
	}
	for _, e := range s.Expect {
		if strings.HasPrefix(e.Vary, "events[") {
			t.Errorf("a claim varying %s is left", e.Vary)
		}
	}
}

func TestDropEventsAfter(t *testing.T) {
	s := mustOpen(t, "ai-shock")
	got := s.DropEventsAfter(150)
	want := []string{
		`event "AI tools, wave 2" at step 160`,
		`the claim "Losing firms' forensics in wave 2 collapses the norm" (it varies events[1])`,
		`the claim "AI-made false flags deepen the collapse" (it varies events[1])`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("dropped %q, want %q", got, want)
	}
	if err := s.Set("run.steps=150"); err != nil {
		t.Errorf("after dropping: %v", err)
	}
	if cfg, _ := s.Config(); len(cfg.Events) != 1 || cfg.Events[0].Step != 120 {
		t.Errorf("events left: %+v", cfg.Events)
	}
	var claims []string
	for _, e := range s.Expect {
		if e.IsClaim() {
			claims = append(claims, e.Vary)
		}
	}
	if len(claims) != 1 || claims[0] != `events[0].set."payoffs.temptation"` {
		t.Errorf("claims left vary %q, want the one of wave 1", claims)
	}
}

func TestScanPositions(t *testing.T) {
	src := "a = 1\n[t]  # c\nb = { c = [1, 2], 'd.e' = \"x\" }\n\n[[ev]]\ns = 1\n[[ev]]\n  s = \"\"\"\nq\n\"\"\"\nu.v = 2\n"
	pos, _ := scanPositions([]byte(src))
	for key, want := range map[string]position{
		"a": {1, 1}, "t": {2, 1}, "t.b": {3, 1}, "t.b.c": {3, 7}, "t.b.c[1]": {3, 15},
		`t.b."d.e"`: {3, 19}, "ev": {5, 1}, "ev[0].s": {6, 1}, "ev[1]": {7, 1}, "ev[1].s": {8, 3}, "ev[1].u.v": {11, 1},
	} {
		if got := pos[key]; got != want {
			t.Errorf("%s at %v, want %v", key, got, want)
		}
	}
}

// TestSetAllChecksOnce checks that assignments are checked together, so
// that keys which must change together can be set one by one, and that
// every problem is reported at once.
func TestSetAllChecksOnce(t *testing.T) {
	s, err := Open("baseline")
	if err != nil {
		t.Fatal(err)
	}
	lattice := []Assign{
		{"--set", "topology.kind=lattice"}, {"--set", "topology.width=10"},
		{"--set", "topology.height=10"}, {"--set", "world.states=100"},
	}
	if err := s.Set(lattice[0].Text); err == nil {
		t.Fatal("topology.kind=lattice alone was accepted with width 0")
	}
	if err := s.SetAll(lattice...); err != nil {
		t.Fatalf("a lattice set key by key: %v", err)
	}
	if c, _ := s.Config(); c.Topology.Width != 10 || c.World.States != 100 {
		t.Errorf("after SetAll: width %d, states %d", c.Topology.Width, c.World.States)
	}
	err = s.SetAll(Assign{"--set", "forum.pull=2"}, Assign{"--seed", "run.seed=-1"})
	if err == nil || !strings.Contains(err.Error(), "forum.pull") || !strings.Contains(err.Error(), "--seed") {
		t.Errorf("two bad assignments: %v, want both reported", err)
	}
	if c, _ := s.Config(); c.Forum.Pull != 0.5 {
		t.Errorf("a failed SetAll changed the scenario: forum.pull = %v", c.Forum.Pull)
	}
}

// TestShippedNames: each shipped file's name key is the name messages
// cite it by and Open takes ("shipped scenario claims-shock, line 76").
func TestShippedNames(t *testing.T) {
	for _, e := range List() {
		if got := shippedName(strings.TrimPrefix(e.File, "scenarios/")); got != e.Name {
			t.Errorf("%s: name key %q, but messages call it %q", e.File, e.Name, got)
		}
		s, err := Open(e.Name)
		if err != nil || s.File != shippedLabel+e.Name {
			t.Errorf("Open(%q): file %q, error %v", e.Name, s.File, err)
		}
	}
}

// TestChanged: the keys a command changed, less the seed and the number of
// replicates, and the caveat above the notices they call for.
func TestChanged(t *testing.T) {
	s := mustOpen(t, "baseline")
	if got := s.Changed(); len(got) != 0 || s.NoticeCaveat() != "" {
		t.Errorf("as shipped: Changed() = %q, caveat %q", got, s.NoticeCaveat())
	}
	if err := s.SetAll(Assign{"--seed", "run.seed=7"}, Assign{"--replicates", "run.replicates=3"}); err != nil {
		t.Fatal(err)
	}
	if got := s.Changed(); len(got) != 0 {
		t.Errorf("another seed and fewer replicates: Changed() = %q, want none", got)
	}
	if err := s.SetAll(Assign{"--set", "forum.every=0"}, Assign{"--set", "attribution.suspects=3"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.Changed(), " "); got != "attribution.suspects forum.every" {
		t.Errorf("Changed() = %q", got)
	}
	if c := s.NoticeCaveat(); !strings.Contains(c, "this run changes attribution.suspects, forum.every, so they may not hold") {
		t.Errorf("caveat %q", c)
	}
}
