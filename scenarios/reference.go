package scenarios

import (
	"fmt"
	"strings"

	"github.com/normsim/normsim/sim"
)

// metaKeys document the keys that are not part of sim.Config.
var metaKeys = []struct{ key, def, doc string }{
	{"schema", "required", "format version; this normsim reads 1"},
	{"name", "required", "short id: letters, digits, '.', '_', '-'; used in output paths and the scenario column"},
	{"title", `""`, "one-line description"},
	{"info.what", `""`, "what the scenario is (shown above a run's results, by show, in handouts)"},
	{"info.how", `""`, "how it works"},
	{"info.notice", "[]", "things to notice"},
	{"info.try", "[]", "things to try"},
	{"info.references", "[]", "references"},
}

var tailKeys = []struct{ key, def, doc string }{
	{"events[].step", "required", "[[events]]: the step before whose update the event fires, 1 <= step <= run.steps"},
	{"events[].label", `""`, "shown on the charts"},
	{"events[].set", "{}", `parameters to change: { "payoffs.temptation" = 4.5, ... }; keys: ` + strings.Join(sim.EventParams(), ", ")},
	{"sweep.design", `"grid"`, "grid | lhs | sobol | morris"},
	{"sweep.replicates", "10", "replicates per design point, >= 1"},
	{"sweep.samples", "256", "design points of lhs, sobol and morris, >= 1"},
	{"sweep.seed", "run.seed", "seed of the design, >= 0"},
	{"sweep.levels", "0", "morris: grid levels, even, >= 2; 0 = the sweep package's default"},
	{"sweep.bootstrap", "0", "bootstrap resamples behind sensitivity intervals; 0 = default"},
	{"sweep.common_seed", "false", "every design point uses the master seed (common random numbers)"},
	{"sweep.parameters", "required", `"key" = [values] or { from, to, steps } (grid); { min, max } (lhs, sobol, morris); keys are numeric keys of this table, e.g. "world.power.alpha"`},
	{"expect[].claim", "", "[[expect]] as a claim: the claim in a sentence (then metric, vary and trend; no stat or bounds)"},
	{"expect[].vary", "", `a claim's key and values: { "attribution.evidence_standard" = [0.5, 1.5, 3.0] }; any key --set accepts, events' values included`},
	{"expect[].trend", "", "a claim's direction: increasing | decreasing | peaked | dipped | differs"},
	{"expect[].metric", "required", `[[expect]]: a column of replicates.csv (final_restraint, final_belief, converged, converged_end, tipping_step, a metric's window mean) or "outcome"`},
	{"expect[].stat", `"mean"`, "a goal's statistic: mean | share (of an outcome) | quantile"},
	{"expect[].outcome", "", "with stat = \"share\": established | latent | contested | hollow | collapsed"},
	{"expect[].q", "", "with stat = \"quantile\": the quantile, in [0,1]"},
	{"expect[].at_least", "", "lower bound of the statistic (at_least, at_most or both)"},
	{"expect[].at_most", "", "upper bound"},
	{"expect[].hint", `""`, "shown when the goal is missed"},
}

// Reference returns the scenario format's key reference as a Markdown
// table: every key, its default, what values it allows, whether events
// (and sweeps) may change it while a world runs, and what it means. It is
// generated from sim's parameter registry; the README's format reference
// is this table (a test keeps them in step).
func Reference() string {
	var b strings.Builder
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	code := func(s string) string {
		if s == "" {
			return ""
		}
		return "`" + esc(s) + "`"
	}
	row := func(key, def, allowed, event, doc string) {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", key, code(def), code(allowed), event, esc(doc))
	}
	b.WriteString("| key | default | allowed | event | meaning |\n|---|---|---|---|---|\n")
	for _, k := range metaKeys {
		row(k.key, k.def, "", "", k.doc)
	}
	def := sim.DefaultConfig()
	for _, f := range fields {
		ev := ""
		if f.p.Event {
			ev = "yes"
		}
		row(f.key, encodeField(fieldByKey[f.key], &def), f.p.Allowed(), ev, f.doc)
	}
	for _, k := range tailKeys {
		row(k.key, k.def, "", "", k.doc)
	}
	return b.String()
}
