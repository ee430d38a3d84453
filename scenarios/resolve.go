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
	var b strings.Builder
	w := func(key, value, doc string) {
		line := key + " = " + value
		if doc != "" {
			line += "  # " + doc
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	b.WriteString("# normsim scenario, resolved: every key with its value (`normsim show`).\n")
	w("schema", strconv.Itoa(Schema), "format version")
	w("name", quoteString(s.Name), "short id, used in output paths")
	w("title", quoteString(s.Title), "")

	b.WriteString("\n[info]\n")
	w("what", quoteString(s.Info.What), "")
	w("how", quoteString(s.Info.How), "")
	for _, l := range []struct {
		k  string
		xs []string
	}{{"notice", s.Info.Notice}, {"try", s.Info.Try}, {"references", s.Info.References}} {
		if len(l.xs) == 0 {
			w(l.k, "[]", "")
			continue
		}
		b.WriteString(l.k + " = [\n")
		for _, x := range l.xs {
			b.WriteString("  " + quoteString(x) + ",\n")
		}
		b.WriteString("]\n")
	}

	c := &s.cfg
	for _, sec := range sections {
		fmt.Fprintf(&b, "\n[%s]  # %s\n", sec, sectionDocs[sec])
		for _, name := range sectionFields(sec) {
			f := fieldByKey[sec+"."+name]
			doc := f.doc
			if f.key == "decision.reciprocal" {
				if p := presetOf(c); p != "" {
					doc = "= " + p + "; " + doc
				}
			}
			w(name, encodeField(f, c), doc)
		}
	}

	for _, ev := range c.Events {
		b.WriteString("\n[[events]]\n")
		w("step", strconv.Itoa(ev.Step), "fires before this step's update")
		w("label", quoteString(ev.Label), "shown on the charts")
		parts := make([]string, len(ev.Set))
		for i, a := range ev.Set {
			parts[i] = quoteString(a.Key) + " = " + formatFloat(a.Value)
		}
		w("set", "{ "+strings.Join(parts, ", ")+" }", "")
	}

	if sw := s.Sweep; sw != nil {
		b.WriteString("\n[sweep]  # the experiment `normsim sweep` runs\n")
		w("design", quoteString(sw.Design), "grid | lhs | sobol | morris")
		w("replicates", strconv.Itoa(sw.Replicates), "per design point")
		w("samples", strconv.Itoa(sw.Samples), "design points of lhs, sobol and morris")
		if sw.Seed != nil {
			w("seed", strconv.FormatInt(*sw.Seed, 10), "design seed")
		}
		w("levels", strconv.Itoa(sw.Levels), "morris grid levels, even; 0 = default")
		w("bootstrap", strconv.Itoa(sw.Bootstrap), "bootstrap resamples of sensitivity intervals; 0 = default")
		w("common_seed", strconv.FormatBool(sw.CommonSeed), "every design point uses the same seed (common random numbers)")
		b.WriteString("\n[sweep.parameters]\n")
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
			w(quoteString(p.Key), v, "")
		}
	}

	for _, x := range s.Expect {
		if x.IsClaim() {
			b.WriteString("\n[[expect]]  # a claim `normsim check` tests with paired seeds\n")
			w("claim", quoteString(x.Claim), "")
			w("metric", quoteString(x.Metric), "a column of replicates.csv: its mean over replicates")
			w("vary", "{ "+quoteString(x.Vary)+" = "+floatList(x.Values)+" }", "the key varied, and its values")
			w("trend", quoteString(x.Trend), strings.Join(Trends, " | "))
			if x.Hint != "" {
				w("hint", quoteString(x.Hint), "")
			}
			continue
		}
		b.WriteString("\n[[expect]]  # a goal `normsim check` grades\n")
		w("metric", quoteString(x.Metric), "a column of replicates.csv, or \"outcome\"")
		w("stat", quoteString(x.Stat), "mean | share | quantile")
		if x.Stat == "share" {
			w("outcome", quoteString(x.Outcome), "")
		}
		if x.Stat == "quantile" {
			w("q", formatFloat(x.Q), "")
		}
		if x.AtLeast != nil {
			w("at_least", formatFloat(*x.AtLeast), "")
		}
		if x.AtMost != nil {
			w("at_most", formatFloat(*x.AtMost), "")
		}
		if x.Hint != "" {
			w("hint", quoteString(x.Hint), "")
		}
	}
	return []byte(b.String())
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
