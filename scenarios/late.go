package scenarios

import (
	"fmt"

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

// dropLateEvents removes from tree the events after its run.steps and
// returns their descriptions; nil when it cannot tell (a run.steps that
// is not an integer is left for the decoder to report).
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
	var events []map[string]any
	switch l := tree["events"].(type) {
	case []map[string]any:
		events = l
	case []any:
		for _, e := range l {
			m, ok := e.(map[string]any)
			if !ok {
				return nil
			}
			events = append(events, m)
		}
	default:
		return nil
	}
	var kept []any
	var late []int
	for i, e := range events {
		if n, ok := e["step"].(int64); ok && n > steps {
			late = append(late, i)
			continue
		}
		kept = append(kept, e)
	}
	if len(late) == 0 {
		return nil
	}
	claims := dropEventClaims(tree, len(kept))
	var dropped []string
	for _, i := range late {
		label, _ := events[i]["label"].(string)
		dropped = append(dropped, describeDropped(label, events[i]["step"].(int64), claims[i]))
	}
	if len(kept) == 0 {
		delete(tree, "events")
	} else {
		tree["events"] = kept
	}
	return dropped
}

// describeDropped describes a dropped event and the claims dropped with it.
func describeDropped(label string, step int64, claims []string) string {
	d := fmt.Sprintf("%q at step %d", label, step)
	switch len(claims) {
	case 0:
		return d
	case 1:
		return d + ", and the claim " + claims[0] + " that varies it"
	}
	for i, c := range claims {
		if i == 0 {
			d += ", and the claims " + c
		} else {
			d += ", " + c
		}
	}
	return d + " that vary it"
}
