package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/normsim/normsim/sim"
)

// Resolved returns the scenario as canonical TOML: every key with its value
// and a one-line comment, in a fixed order. It is what `normsim show`
// prints and what a run saves as scenario.toml. Resolving twice gives the
// same bytes, and Parse(Resolved()) gives the same configuration.
func (s *Scenario) Resolved() []byte {
	var r resolved
	r.WriteString("# normsim scenario, resolved: every key with its value (`normsim show`).\n")
	r.w("schema", strconv.Itoa(Schema), "format version")
	r.w("name", quoteString(s.Name), "short id, used in output paths")
	r.w("title", quoteString(s.Title), "")
	r.info(s.Info)
	r.config(&s.cfg)
	for _, ev := range s.cfg.Events {
		r.event(ev)
	}
	if s.Sweep != nil {
		r.sweep(s.Sweep)
	}
	for _, x := range s.Expect {
		r.expect(x)
	}
	return []byte(r.String())
}

// resolved builds the canonical TOML of [Scenario.Resolved], one section
// a method.
type resolved struct{ strings.Builder }

// w writes key = value, with doc as a comment when there is one.
func (r *resolved) w(key, value, doc string) {
	line := key + " = " + value
	if doc != "" {
		line += "  # " + doc
	}
	r.WriteString(line)
	r.WriteByte('\n')
}

func (r *resolved) info(info Info) {
	r.WriteString("\n[info]\n")
	r.w("what", quoteString(info.What), "")
	r.w("how", quoteString(info.How), "")
	for _, l := range []struct {
		k  string
		xs []string
	}{{"notice", info.Notice}, {"try", info.Try}, {"references", info.References}} {
		if len(l.xs) == 0 {
			r.w(l.k, "[]", "")
			continue
		}
		r.WriteString(l.k + " = [\n")
		for _, x := range l.xs {
			r.WriteString("  " + quoteString(x) + ",\n")
		}
		r.WriteString("]\n")
	}
}

// config writes every section of the configuration, every key in the
// registry's order.
func (r *resolved) config(c *sim.Config) {
	section := ""
	for _, v := range values(c) {
		if v.Section != section {
			section = v.Section
			fmt.Fprintf(r, "\n[%s]  # %s\n", section, sectionDocs[section])
		}
		r.w(v.Name, v.Value, v.Doc)
	}
}

// Value is one configuration key of a scenario as `normsim show` prints
// it: its section and name ("forum", "every"), its value as TOML text
// ("12") and its one-line doc.
type Value struct {
	Section, Name, Value, Doc string
}

// Key is the value's key path, "forum.every".
func (v Value) Key() string { return v.Section + "." + v.Name }

// Values returns every configuration key of the scenario with its value,
// in the order of [Scenario.Resolved]: the keys of its [section] tables,
// not its text, events, sweep or goals.
func (s *Scenario) Values() []Value { return values(&s.cfg) }

func values(c *sim.Config) []Value {
	var out []Value
	for _, sec := range sections {
		for _, name := range sectionFields(sec) {
			f := fieldByKey[sec+"."+name]
			doc := f.doc
			if f.key == "decision.reciprocal" {
				if p := presetOf(c); p != "" {
					doc = "= " + p + "; " + doc
				}
			}
			out = append(out, Value{Section: sec, Name: name, Value: encodeField(f, c), Doc: doc})
		}
	}
	return out
}

func (r *resolved) event(ev sim.Event) {
	r.WriteString("\n[[events]]\n")
	r.w("step", strconv.Itoa(ev.Step), "fires before this step's update")
	r.w("label", quoteString(ev.Label), "shown on the charts")
	parts := make([]string, len(ev.Set))
	for i, a := range ev.Set {
		parts[i] = quoteString(a.Key) + " = " + formatFloat(a.Value)
	}
	r.w("set", "{ "+strings.Join(parts, ", ")+" }", "")
}

func (r *resolved) sweep(sw *Sweep) {
	r.WriteString("\n[sweep]  # the experiment `normsim sweep` runs\n")
	r.w("design", quoteString(sw.Design), "grid | lhs | sobol | morris")
	r.w("replicates", strconv.Itoa(sw.Replicates), "per design point")
	r.w("samples", strconv.Itoa(sw.Samples), "design points of lhs, sobol and morris")
	if sw.Seed != nil {
		r.w("seed", strconv.FormatInt(*sw.Seed, 10), "design seed")
	}
	r.w("levels", strconv.Itoa(sw.Levels), "morris grid levels, even; 0 = default")
	r.w("bootstrap", strconv.Itoa(sw.Bootstrap), "bootstrap resamples of sensitivity intervals; 0 = default")
	r.w("common_seed", strconv.FormatBool(sw.CommonSeed), "every design point uses the same seed (common random numbers)")
	r.WriteString("\n[sweep.parameters]\n")
	for _, p := range sw.Params {
		var v string
		switch p.Kind {
		case "list":
			v = floatList(p.Values)
		case "range":
			v = fmt.Sprintf("{ from = %s, to = %s, steps = %d }", formatFloat(p.From), formatFloat(p.To), p.Steps)
		default:
			v = fmt.Sprintf("{ min = %s, max = %s }", formatFloat(p.Min), formatFloat(p.Max))
		}
		r.w(quoteString(p.Key), v, "")
	}
}

// expect writes a claim or a goal.
func (r *resolved) expect(x Expect) {
	if x.IsClaim() {
		r.WriteString("\n[[expect]]  # a claim `normsim check` tests with paired seeds\n")
		r.w("claim", quoteString(x.Claim), "")
		r.w("metric", quoteString(x.Metric), "a column of replicates.csv: its mean over replicates")
		r.w("vary", "{ "+quoteString(x.Vary)+" = "+floatList(x.Values)+" }", "the key varied, and its values")
		r.w("trend", quoteString(x.Trend), strings.Join(Trends, " | "))
		if x.Hint != "" {
			r.w("hint", quoteString(x.Hint), "")
		}
		return
	}
	r.WriteString("\n[[expect]]  # a goal `normsim check` grades\n")
	r.w("metric", quoteString(x.Metric), "a column of replicates.csv, or \"outcome\"")
	r.w("stat", quoteString(x.Stat), "mean | share | quantile")
	if x.Stat == "share" {
		r.w("outcome", quoteString(x.Outcome), "")
	}
	if x.Stat == "quantile" {
		r.w("q", formatFloat(x.Q), "")
	}
	if x.AtLeast != nil {
		r.w("at_least", formatFloat(*x.AtLeast), "")
	}
	if x.AtMost != nil {
		r.w("at_most", formatFloat(*x.AtMost), "")
	}
	if x.Hint != "" {
		r.w("hint", quoteString(x.Hint), "")
	}
}

// encodeField writes one configuration key's value as TOML.
func encodeField(f *field, c *sim.Config) string {
	p := f.p
	switch p.Kind {
	case sim.KindFloat:
		return formatFloat(*p.Float(c))
	case sim.KindInt:
		return strconv.Itoa(*p.Int(c))
	case sim.KindSeed:
		return strconv.FormatUint(*p.Seed(c), 10)
	case sim.KindBool:
		return strconv.FormatBool(*p.Bool(c))
	case sim.KindEnum:
		return quoteString(p.EnumName(c))
	}
	return f.c.encode(c)
}

// Hash returns the hex SHA-256 of Resolved(): the identity of a scenario
// in every output.
func (s *Scenario) Hash() string {
	h := sha256.Sum256(s.Resolved())
	return hex.EncodeToString(h[:])
}
