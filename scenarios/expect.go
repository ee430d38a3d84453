package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/normsim/normsim/sim"
)

// Expect is one [[expect]] entry: a goal or a claim.
//
// A goal is a statistic (Stat) over replicates of one column of
// replicates.csv (Metric) or of the outcome, with bounds: `normsim check`
// grades it PASS or FAIL.
//
// A claim (Claim set) is a direction: Metric's mean must follow Trend
// when the key Vary varies over Values, every variant run with the same
// replicate seeds (common random numbers, so that differences are
// paired). `normsim check` reports it SUPPORTED or NOT SUPPORTED.
type Expect struct {
	Claim  string // the claim in a sentence; "" for a goal
	Metric string // a column of replicates.csv, or "outcome"
	Stat   string // mean | share | quantile (goals)
	// Outcome is the outcome whose share is meant (with Stat "share").
	Outcome string
	// Q is the quantile (with Stat "quantile"), in [0,1].
	Q float64
	// AtLeast and AtMost bound a goal's statistic; at least one is set.
	AtLeast, AtMost *float64
	// Vary names the key a claim varies (any key --set accepts), Values
	// its values in order, Trend the direction: increasing | decreasing |
	// peaked | dipped | differs.
	Vary   string
	Values []float64
	Trend  string
	Hint   string
}

// IsClaim reports whether e is a claim.
func (e Expect) IsClaim() bool { return e.Claim != "" }

// Trends are the directions a claim may state.
var Trends = []string{"increasing", "decreasing", "peaked", "dipped", "differs"}

// ReplicateMetrics are the replicate-level columns of replicates.csv a
// goal or claim may name besides the metrics: the outcome, the
// first-passage convergence step, convergence over the last window (1 or
// 0), the tipping step of adoption, practice and expectations.
var ReplicateMetrics = []string{"outcome", "converged", "converged_end", "tipping_step", "final_restraint", "final_belief"}

// expectMetrics are the names a goal or claim may measure.
func expectMetrics() []string {
	return append(slices.Clone(ReplicateMetrics), sim.MetricNames[:]...)
}

// VariantScenario returns a copy of s with claim c's key set to its i-th
// value, its goals and claims dropped.
func (s *Scenario) VariantScenario(c Expect, i int) (*Scenario, error) {
	t := s.Clone()
	t.Expect = nil
	delete(t.tree, "expect")
	if err := t.SetFrom(fmt.Sprintf("claim %q", c.Claim), c.Vary+"="+formatFloat(c.Values[i])); err != nil {
		return nil, err
	}
	return t, nil
}

func (d *decoder) expects(v any) []Expect {
	l, ok := d.list("expect", v)
	if !ok {
		return nil
	}
	var out []Expect
	for i, e := range l {
		path := index("expect", i)
		m, ok := d.table(path, e)
		if !ok {
			continue
		}
		x := Expect{Stat: "mean"}
		if c, has := m["claim"]; has {
			x.Claim, _ = d.string(join(path, "claim"), c)
			if x.Claim == "" {
				x.Claim = "(a claim)"
			}
			d.claim(path, m, &x)
		} else {
			d.goal(path, m, &x)
		}
		if y, has := m["hint"]; has {
			x.Hint, _ = d.string(join(path, "hint"), y)
		}
		out = append(out, x)
	}
	return out
}

// claim decodes the keys of a claim: metric, vary, trend.
func (d *decoder) claim(path string, m map[string]any, x *Expect) {
	d.known(path, m, []string{"claim", "metric", "vary", "trend", "hint"})
	if y, has := m["metric"]; has {
		metrics := slices.DeleteFunc(expectMetrics(), func(s string) bool { return s == "outcome" })
		x.Metric, _ = d.enum(join(path, "metric"), y, metrics)
	} else {
		d.ps.add(join(path, "metric"), "", "missing: the column of replicates.csv whose mean the claim is about (e.g. final_restraint)")
	}
	if y, has := m["trend"]; has {
		x.Trend, _ = d.enum(join(path, "trend"), y, Trends)
	} else {
		d.ps.add(join(path, "trend"), "", "missing: one of %s", strings.Join(Trends, ", "))
	}
	y, has := m["vary"]
	if !has {
		d.ps.add(join(path, "vary"), "", `missing: the key to vary and its values, e.g. vary = { "attribution.evidence_standard" = [0.5, 1.5, 3.0] }`)
		return
	}
	vm, ok := d.table(join(path, "vary"), y)
	if !ok {
		return
	}
	if len(vm) != 1 {
		d.ps.add(join(path, "vary"), repr(y), "want exactly one key to vary")
		return
	}
	for k, vals := range vm {
		x.Vary = k
		kp := join(join(path, "vary"), k)
		x.Values, ok = d.floats(kp, vals)
		switch {
		case !ok:
		case len(x.Values) < 2:
			d.ps.add(kp, repr(vals), "want at least two values to compare")
		case len(x.Values) < 3 && (x.Trend == "peaked" || x.Trend == "dipped"):
			d.ps.add(kp, repr(vals), "a %s claim needs at least three values (an interior one)", x.Trend)
		}
	}
}

// goal decodes the keys of a goal: metric, stat, outcome, q, bounds.
func (d *decoder) goal(path string, m map[string]any, x *Expect) {
	d.known(path, m, []string{"claim", "metric", "stat", "outcome", "q", "at_least", "at_most", "hint", "vary", "trend"})
	for _, k := range []string{"vary", "trend"} {
		if y, has := m[k]; has {
			d.ps.add(join(path, k), repr(y), "%s goes with a claim: add claim = \"...\" (the claim in a sentence)", k)
		}
	}
	if y, has := m["stat"]; has {
		x.Stat, _ = d.enum(join(path, "stat"), y, []string{"mean", "share", "quantile"})
	}
	if y, has := m["metric"]; has {
		x.Metric, _ = d.enum(join(path, "metric"), y, expectMetrics())
	} else if x.Stat == "share" {
		x.Metric = "outcome"
	} else {
		d.ps.add(join(path, "metric"), "", "missing: a column of replicates.csv (e.g. final_restraint) or \"outcome\"")
	}
	switch x.Stat {
	case "share":
		if x.Metric != "" && x.Metric != "outcome" {
			d.ps.add(join(path, "metric"), repr(m["metric"]), "stat = \"share\" counts outcomes: want metric = \"outcome\"")
		}
		if y, has := m["outcome"]; has {
			x.Outcome, _ = d.enum(join(path, "outcome"), y, sim.OutcomeNames())
		} else {
			d.ps.add(join(path, "outcome"), "", "missing: stat = \"share\" needs outcome = %s", strings.Join(sim.OutcomeNames(), " | "))
		}
	case "mean", "quantile":
		if x.Metric == "outcome" {
			d.ps.add(join(path, "metric"), repr(m["metric"]), "the outcome is graded with stat = \"share\"")
		}
		if _, has := m["outcome"]; has {
			d.ps.add(join(path, "outcome"), repr(m["outcome"]), "outcome goes with stat = \"share\"")
		}
	}
	if y, has := m["q"]; has {
		if q, ok := d.float(join(path, "q"), y); ok {
			if q < 0 || q > 1 {
				d.ps.add(join(path, "q"), repr(y), "want a quantile, 0 <= q <= 1")
			}
			x.Q = q
		}
		if x.Stat != "quantile" {
			d.ps.add(join(path, "q"), repr(y), "q goes with stat = \"quantile\"")
		}
	} else if x.Stat == "quantile" {
		d.ps.add(join(path, "q"), "", "missing: stat = \"quantile\" needs q, 0 <= q <= 1")
	}
	for _, b := range []struct {
		k   string
		dst **float64
	}{{"at_least", &x.AtLeast}, {"at_most", &x.AtMost}} {
		if y, has := m[b.k]; has {
			if f, ok := d.float(join(path, b.k), y); ok {
				*b.dst = &f
			}
		}
	}
	if x.AtLeast == nil && x.AtMost == nil && m["at_least"] == nil && m["at_most"] == nil {
		d.ps.add(path, "", "want at_least, at_most or both")
	}
	if x.AtLeast != nil && x.AtMost != nil && *x.AtLeast > *x.AtMost {
		d.ps.add(join(path, "at_most"), formatFloat(*x.AtMost), "want at_most >= at_least (%s)", formatFloat(*x.AtLeast))
	}
}

// checkClaims applies each variant of each claim to a copy of s, so that a
// value that would make the scenario invalid is refused with the file.
func (s *Scenario) checkClaims(ps *problems) {
	for i, c := range s.Expect {
		if !c.IsClaim() {
			continue
		}
		path := join(join(index("expect", i), "vary"), c.Vary)
		for j := range c.Values {
			if _, err := s.VariantScenario(c, j); err != nil {
				ps.add(path, formatFloat(c.Values[j]), "this value does not make a valid scenario:\n%s", indentLines(err.Error()))
				break
			}
		}
	}
}

func indentLines(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
