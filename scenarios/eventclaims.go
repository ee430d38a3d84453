package scenarios

import (
	"regexp"
	"strconv"
)

var eventKey = regexp.MustCompile(`^events\[(\d+)\]`)

// dropEventClaims follows the events dropped from tree (a run that ends
// before they fire) into its claims: a claim that varies a key of a
// dropped event cannot be tested, and is removed. Events are in step
// order, so the first kept events stay and the others are dropped. It
// returns, for each dropped event's index, the claims removed with it.
func dropEventClaims(tree map[string]any, kept int) map[int][]string {
	var list []map[string]any
	switch l := tree["expect"].(type) {
	case []map[string]any:
		list = l
	case []any:
		for _, e := range l {
			if m, ok := e.(map[string]any); ok {
				list = append(list, m)
			}
		}
	}
	removed := map[int][]string{}
	var left []any
	for _, x := range list {
		vary, _ := x["vary"].(map[string]any)
		drop := false
		for k := range vary {
			if m := eventKey.FindStringSubmatch(k); m != nil {
				if i, _ := strconv.Atoi(m[1]); i >= kept {
					claim, _ := x["claim"].(string)
					removed[i] = append(removed[i], strconv.Quote(claim))
					drop = true
				}
			}
		}
		if !drop {
			left = append(left, x)
		}
	}
	if len(removed) > 0 {
		if len(left) == 0 {
			delete(tree, "expect")
		} else {
			tree["expect"] = left
		}
	}
	return removed
}
