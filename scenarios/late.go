package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/normsim/normsim/sim"
)

// OpenDroppingLateEvents is Open for a command that runs a scenario only
// up to its run.steps, whatever its events say: `normsim sweep`, whose
// design points may end before an event (when run.steps is swept), and
// which therefore also accepts a file shortened by hand. Events after the
// file's run.steps are dropped, and described in the returned list (as
// DropEventsAfter describes them), instead of being refused as Open
// refuses them. Every other problem is reported as Open reports it.
func OpenDroppingLateEvents(arg string) (*Scenario, []string, error) {
	s, err := Open(arg)
	if err == nil {
		return s, nil, nil
	}
	if !IsPath(arg) {
		return nil, nil, err // a shipped name, as Open reads it: never a file
	}
	data, p := readFile(arg)
	if p != nil {
		return nil, nil, err // not a file (shipped scenarios are valid), or unreadable
	}
	tree, pos, derr := decodeFile(arg, data)
	if derr != nil {
		return nil, nil, err
	}
	dropped := dropLateEvents(tree)
	if len(dropped) == 0 {
		return nil, nil, err
	}
	t := &Scenario{File: arg, pos: pos}
	if berr := t.build(tree); berr != nil {
		return nil, nil, berr
	}
	return t, dropped, nil
}

// dropLateEvents removes from tree the events after its run.steps (and
// the claims that vary them: see [pruneEvents]) and returns their
// descriptions; nil when it cannot tell (a run.steps that is not an
// integer is left for the decoder to report).
func dropLateEvents(tree map[string]any) []string {
	steps := int64(sim.DefaultConfig().Run.Steps)
	if run, ok := tree["run"].(map[string]any); ok {
		if v, has := run["steps"]; has {
			n, ok := v.(int64)
			if !ok {
				return nil
			}
			steps = n
		}
	}
	return pruneEvents(tree, int(steps))
}

// pruneEvents removes from tree the events that fire after step, and the
// [[expect]] claims that vary a setting of one of them, and returns what
// it removed: each event's label and step, each claim's text. The events
// are in step order in a valid file, so those kept are the first ones and
// keep their indices. It is the one implementation behind
// [Scenario.DropEventsAfter] and [OpenDroppingLateEvents]. An [[events]]
// or [[expect]] array with an entry that is not a table is left as it is
// (nil), for the decoder to report.
func pruneEvents(tree map[string]any, step int) []string {
	var dropped []string
	events, ok := tables(tree["events"])
	expects, ok2 := tables(tree["expect"])
	if !ok || !ok2 {
		return nil
	}
	var kept []any
	for _, e := range events {
		if n, ok := e["step"].(int64); ok && n > int64(step) {
			label, _ := e["label"].(string)
			dropped = append(dropped, fmt.Sprintf("event %q at step %d", label, n))
			continue
		}
		kept = append(kept, e)
	}
	if len(dropped) == 0 {
		return nil
	}
	if len(kept) == 0 {
		delete(tree, "events")
	} else {
		tree["events"] = kept
	}
	if expects != nil {
		var keep []any
		for _, x := range expects {
			if i, ok := variesEvent(x); ok && i >= len(kept) {
				dropped = append(dropped, fmt.Sprintf("the claim %q (it varies events[%d])", x["claim"], i))
				continue
			}
			keep = append(keep, x)
		}
		if len(keep) == 0 {
			delete(tree, "expect")
		} else {
			tree["expect"] = keep
		}
	}
	return dropped
}

// tables returns the tables of an array of tables as the TOML decoder
// gives it ([]map[string]any, or []any of maps), and false when an entry
// is not a table (the decoder reports it).
func tables(v any) ([]map[string]any, bool) {
	switch l := v.(type) {
	case []map[string]any:
		return l, true
	case []any:
		var out []map[string]any
		for _, e := range l {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out = append(out, m)
		}
		return out, true
	}
	return nil, true
}

// variesEvent reports the index of the event whose setting an [[expect]]
// entry varies (vary = { "events[1].set.\"payoffs.temptation\"" = [...] }).
func variesEvent(x map[string]any) (int, bool) {
	v, _ := x["vary"].(string)
	if m, ok := x["vary"].(map[string]any); ok && len(m) == 1 {
		for k := range m {
			v = k
		}
	}
	rest, ok := strings.CutPrefix(v, "events[")
	if !ok {
		return 0, false
	}
	num, _, ok := strings.Cut(rest, "]")
	i, err := strconv.Atoi(num)
	return i, ok && err == nil
}
