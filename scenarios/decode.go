package scenarios

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/normsim/normsim/sim"
)

// decoder walks the generic tree that the TOML library returns and fills a
// sim.Config, reporting every problem with its key path.
type decoder struct {
	ps  *problems
	cfg sim.Config
}

// sortedKeys returns a table's keys in a fixed order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// known reports the keys of m that are not in names, suggesting the
// nearest known key. table names the table for messages ("" = the top).
func (d *decoder) known(path string, m map[string]any, names []string) {
	for _, k := range sortedKeys(m) {
		if slices.Contains(names, k) {
			continue
		}
		d.ps.add(join(path, k), repr(m[k]), "%s", unknownMsg(path, k, names))
	}
}

func unknownMsg(path, k string, names []string) string {
	where := "at the top of the file"
	if path != "" {
		where = "in [" + path + "]"
	}
	if s := suggest(k, names); s != "" {
		if strings.EqualFold(s, k) {
			return fmt.Sprintf("unknown key %s (key names are case-sensitive); did you mean %q?", where, s)
		}
		return fmt.Sprintf("unknown key %s; did you mean %q?", where, s)
	}
	return fmt.Sprintf("unknown key %s; known keys: %s", where, strings.Join(names, ", "))
}

// Suggest returns the name in names nearest to k (by edit distance, or a
// unique name that k begins), or "" when none is near enough: the
// did-you-mean of every message about an unknown name.
func Suggest(k string, names []string) string { return suggest(k, names) }

// suggest returns the known name nearest to k, if it is near enough.
func suggest(k string, names []string) string {
	best, bestD := "", 1<<30
	lk := strings.ToLower(k)
	for _, n := range names {
		if dd := editDistance(lk, strings.ToLower(n)); dd < bestD {
			best, bestD = n, dd
		}
	}
	if bestD <= max(2, len(k)/3) {
		return best
	}
	// The shortest known name that starts with k, if only one is that
	// short ("restraint" for "restraint_rate", not "restraint_compliant").
	found, tie := "", false
	for _, n := range names {
		if len(lk) >= 3 && strings.HasPrefix(strings.ToLower(n), lk) {
			switch {
			case found == "" || len(n) < len(found):
				found, tie = n, false
			case len(n) == len(found):
				tie = true
			}
		}
	}
	if tie {
		return ""
	}
	return found
}

// editDistance is the Levenshtein distance between a and b, by bytes.
func editDistance(a, b string) int {
	if len(a) > 200 || len(b) > 200 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// repr renders a decoded value as TOML, shortened to 60 bytes, for
// messages.
func repr(v any) string {
	const short = 60
	var b strings.Builder
	writeRepr(&b, v, short+1)
	s := b.String()
	if len(s) > short {
		cut := short - 3
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// writeRepr writes v as TOML to b, and stops once b holds limit bytes: a
// message about a deeply nested or huge value costs no more than its
// first bytes.
func writeRepr(b *strings.Builder, v any, limit int) {
	if b.Len() >= limit {
		return
	}
	list := func(n int, el func(i int) any) {
		b.WriteString("[")
		for i := 0; i < n && b.Len() < limit; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, el(i), limit)
		}
		b.WriteString("]")
	}
	switch x := v.(type) {
	case string:
		if len(x) > limit { // quote only what can be shown
			x = x[:limit]
		}
		b.WriteString(quoteString(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(formatFloat(x))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case []any:
		list(len(x), func(i int) any { return x[i] })
	case []map[string]any:
		list(len(x), func(i int) any { return x[i] })
	case map[string]any:
		b.WriteString("{ ")
		for i, k := range sortedKeys(x) {
			if b.Len() >= limit {
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quoteKey(k) + " = ")
			writeRepr(b, x[k], limit)
		}
		b.WriteString(" }")
	case time.Time:
		b.WriteString(x.Format(time.RFC3339))
	default:
		fmt.Fprint(b, v)
	}
}

// formatFloat writes x so that TOML reads it back as the same float.
func formatFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}

func (d *decoder) table(path string, v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		d.ps.add(path, repr(v), "want a table, not %s", typeName(v))
	}
	return m, ok
}

func (d *decoder) float(path string, v any) (float64, bool) {
	var x float64
	switch n := v.(type) {
	case int64:
		x = float64(n)
	case float64:
		x = n
	default:
		d.ps.add(path, repr(v), "want a number, not %s", typeName(v))
		return 0, false
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		d.ps.add(path, repr(v), "want a finite number")
		return 0, false
	}
	return x, true
}

// int accepts an integer, or a float with an integral value.
func (d *decoder) int(path string, v any) (int, bool) {
	switch n := v.(type) {
	case int64:
		return int(n), true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int(n), true
		}
	}
	d.ps.add(path, repr(v), "want an integer, not %s", typeName(v))
	return 0, false
}

func (d *decoder) bool(path string, v any) (bool, bool) {
	b, ok := v.(bool)
	if !ok {
		d.ps.add(path, repr(v), "want true or false, not %s", typeName(v))
	}
	return b, ok
}

func (d *decoder) string(path string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		d.ps.add(path, repr(v), "want a string, not %s", typeName(v))
	}
	return s, ok
}

func (d *decoder) enum(path string, v any, values []string) (string, bool) {
	s, ok := d.string(path, v)
	if !ok {
		return "", false
	}
	if slices.Contains(values, s) {
		return s, true
	}
	msg := "want one of " + strings.Join(values, ", ")
	if sg := suggest(s, values); sg != "" {
		msg += fmt.Sprintf("; did you mean %q?", sg)
	}
	d.ps.add(path, repr(v), "%s", msg)
	return "", false
}

// list returns the elements of an array.
func (d *decoder) list(path string, v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []map[string]any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = x[i]
		}
		return out, true
	}
	d.ps.add(path, repr(v), "want an array, not %s", typeName(v))
	return nil, false
}

func (d *decoder) ints(path string, v any) ([]int, bool) {
	l, ok := d.list(path, v)
	if !ok {
		return nil, false
	}
	out := make([]int, 0, len(l))
	for i, e := range l {
		n, ok1 := d.int(index(path, i), e)
		ok = ok && ok1
		out = append(out, n)
	}
	if len(out) == 0 {
		out = nil
	}
	return out, ok
}

func (d *decoder) floats(path string, v any) ([]float64, bool) {
	l, ok := d.list(path, v)
	if !ok {
		return nil, false
	}
	out := make([]float64, 0, len(l))
	for i, e := range l {
		x, ok1 := d.float(index(path, i), e)
		ok = ok && ok1
		out = append(out, x)
	}
	return out, ok
}

func (d *decoder) strings(path string, v any) ([]string, bool) {
	l, ok := d.list(path, v)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(l))
	for i, e := range l {
		s, ok1 := d.string(index(path, i), e)
		ok = ok && ok1
		out = append(out, s)
	}
	return out, ok
}

// field decodes one configuration key.
func (d *decoder) field(f *field, v any) {
	p := f.p
	switch p.Kind {
	case sim.KindFloat:
		if x, ok := d.float(f.key, v); ok {
			*p.Float(&d.cfg) = x
		}
	case sim.KindInt:
		if n, ok := d.int(f.key, v); ok {
			*p.Int(&d.cfg) = n
		}
	case sim.KindSeed:
		if n, ok := d.int(f.key, v); ok {
			if n < 0 {
				d.ps.add(f.key, repr(v), "want an integer >= 0")
			} else {
				*p.Seed(&d.cfg) = uint64(n)
			}
		}
	case sim.KindBool:
		if b, ok := d.bool(f.key, v); ok {
			*p.Bool(&d.cfg) = b
		}
	case sim.KindEnum:
		if s, ok := d.enum(f.key, v, p.EnumNames()); ok {
			p.SetEnum(&d.cfg, s) // a name enum accepted
		}
	default:
		f.c.decode(d, f.key, v)
	}
}

// A codec reads and writes a value with its own syntax.
type codec interface {
	decode(d *decoder, path string, v any)
	encode(c *sim.Config) string
	// expand returns the table form of a short form (a number for a
	// distribution, a preset name), so that --set can change one of its
	// keys; nil when v has no table form.
	expand(v any) map[string]any
	// exclusive returns the keys that setting key replaces.
	exclusive(key string) []string
	// table returns the value in cfg in the form a file would write,
	// decoded (a table, a list or a number).
	table(cfg *sim.Config) any
}

// distCodec: a number, { dist = ..., params }, or { values = [...] }.
type distCodec struct{ p *sim.Param }

func (c distCodec) get(cfg *sim.Config) *sim.Dist { return c.p.Dist(cfg) }

// distRequired are the parameters each kind needs (a normal's bounds are
// optional).
var distRequired = map[sim.DistKind][]string{
	sim.DistConstant: {"value"},
	sim.DistUniform:  {"min", "max"},
	sim.DistNormal:   {"mean", "sd"},
	sim.DistPareto:   {"alpha", "min"},
	sim.DistValues:   {"values"},
}

func (c distCodec) kinds() []string {
	k := sim.DistKind(0).Names()
	if !c.p.Levels {
		k = k[:len(k)-1]
	}
	return k
}

func (c distCodec) decode(d *decoder, path string, v any) {
	switch v.(type) {
	case int64, float64:
		if x, ok := d.float(path, v); ok {
			*c.get(&d.cfg) = sim.Dist{Kind: sim.DistConstant, Value: x}
		}
		return
	case map[string]any:
	default:
		d.ps.add(path, repr(v), "want a number or a distribution such as { dist = \"uniform\", min = 0.0, max = 1.0 }, not %s", typeName(v))
		return
	}
	m := v.(map[string]any)
	var kind sim.DistKind
	if k, ok := m["dist"]; ok {
		s, ok := d.enum(join(path, "dist"), k, c.kinds())
		if !ok {
			return
		}
		kind.UnmarshalText([]byte(s)) // a name enum accepted
	} else if _, ok := m["values"]; ok {
		kind = sim.DistValues
	} else {
		d.ps.add(path, repr(v), "want a dist key (%s) or values = [...]", strings.Join(c.kinds(), ", "))
		return
	}
	names := append([]string{"dist"}, sim.DistParams[kind]...)
	for _, k := range sortedKeys(m) {
		if !slices.Contains(names, k) {
			d.ps.add(join(path, k), repr(m[k]), "not a parameter of dist = %q (it takes %s)", kind, strings.Join(sim.DistParams[kind], ", "))
		}
	}
	for _, k := range distRequired[kind] {
		if _, has := m[k]; !has {
			d.ps.add(join(path, k), "", "missing: dist = %q needs %s", kind, strings.Join(distRequired[kind], " and "))
		}
	}
	dist := sim.Dist{Kind: kind}
	num := func(k string, dst *float64) bool {
		x, has := m[k]
		if !has {
			return false
		}
		f, good := d.float(join(path, k), x)
		*dst = f
		return good
	}
	switch kind {
	case sim.DistConstant:
		num("value", &dist.Value)
	case sim.DistUniform:
		num("min", &dist.Min)
		num("max", &dist.Max)
	case sim.DistNormal:
		num("mean", &dist.Mean)
		num("sd", &dist.SD)
		dist.HasMin = num("min", &dist.Min)
		dist.HasMax = num("max", &dist.Max)
	case sim.DistPareto:
		num("alpha", &dist.Alpha)
		num("min", &dist.Min)
	case sim.DistValues:
		if x, has := m["values"]; has {
			dist.Values, _ = d.floats(join(path, "values"), x)
		}
	}
	// Set even when a parameter is missing or wrong, so that validation
	// reports the problems of the others too (pareto's alpha = -1 with
	// its min missing); what is already reported is not reported twice.
	*c.get(&d.cfg) = dist
}

func (c distCodec) encode(cfg *sim.Config) string {
	x := *c.get(cfg)
	switch x.Kind {
	case sim.DistConstant:
		return fmt.Sprintf("{ dist = \"constant\", value = %s }", formatFloat(x.Value))
	case sim.DistUniform:
		return fmt.Sprintf("{ dist = \"uniform\", min = %s, max = %s }", formatFloat(x.Min), formatFloat(x.Max))
	case sim.DistNormal:
		s := fmt.Sprintf("{ dist = \"normal\", mean = %s, sd = %s", formatFloat(x.Mean), formatFloat(x.SD))
		if x.HasMin {
			s += ", min = " + formatFloat(x.Min)
		}
		if x.HasMax {
			s += ", max = " + formatFloat(x.Max)
		}
		return s + " }"
	case sim.DistPareto:
		return fmt.Sprintf("{ dist = \"pareto\", alpha = %s, min = %s }", formatFloat(x.Alpha), formatFloat(x.Min))
	case sim.DistValues:
		return "{ values = " + floatList(x.Values) + " }"
	case sim.DistLevels:
		return "{ dist = \"levels\" }"
	}
	return quoteString(x.Kind.String())
}

func (c distCodec) expand(v any) map[string]any {
	switch x := v.(type) {
	case int64, float64:
		return map[string]any{"dist": "constant", "value": x}
	}
	return nil
}

func (c distCodec) exclusive(key string) []string {
	switch key {
	case "values":
		return []string{"dist", "value", "min", "max", "mean", "sd", "alpha"}
	case "dist":
		return []string{"values"}
	}
	return []string{"values"}
}

func floatList(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = formatFloat(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func intList(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// blocsCodec: world.blocs is a count or one bloc per state.
type blocsCodec struct{}

func (blocsCodec) decode(d *decoder, path string, v any) {
	switch v.(type) {
	case []any:
		l, ok := d.ints(path, v)
		if !ok {
			return
		}
		d.cfg.World.BlocOf = l
		if len(l) > 0 {
			d.cfg.World.Blocs = slices.Max(l) + 1
		}
	default:
		if _, isNum := v.(int64); !isNum {
			d.ps.add(path, repr(v), "want a number of blocs or a list with each state's bloc, not %s", typeName(v))
			return
		}
		if n, ok := d.int(path, v); ok {
			d.cfg.World.Blocs = n
			d.cfg.World.BlocOf = nil
		}
	}
}

func (blocsCodec) encode(c *sim.Config) string {
	if c.World.BlocOf != nil {
		return intList(c.World.BlocOf)
	}
	return strconv.Itoa(c.World.Blocs)
}

func (blocsCodec) expand(any) map[string]any { return nil }
func (blocsCodec) exclusive(string) []string { return nil }

// revisionistsCodec: world.revisionists is a count or a list of states.
type revisionistsCodec struct{}

func (revisionistsCodec) decode(d *decoder, path string, v any) {
	w := &d.cfg.World
	switch v.(type) {
	case []any:
		if l, ok := d.ints(path, v); ok {
			w.Revisionists, w.RevisionistList = len(l), l
		}
	case int64:
		if n, ok := d.int(path, v); ok {
			w.Revisionists, w.RevisionistList = n, nil
		}
	default:
		d.ps.add(path, repr(v), "want a number of revisionists or a list of states, not %s", typeName(v))
	}
}

func (revisionistsCodec) encode(c *sim.Config) string {
	if c.World.RevisionistList != nil {
		return intList(c.World.RevisionistList)
	}
	return strconv.Itoa(c.World.Revisionists)
}

func (revisionistsCodec) expand(any) map[string]any { return nil }
func (revisionistsCodec) exclusive(string) []string { return nil }

// intListCodec: a list of integers (forum.blocs).
type intListCodec struct{ get func(*sim.Config) *[]int }

func (c intListCodec) decode(d *decoder, path string, v any) {
	if l, ok := d.ints(path, v); ok {
		*c.get(&d.cfg) = l
	}
}
func (c intListCodec) encode(cfg *sim.Config) string { return intList(*c.get(cfg)) }
func (intListCodec) expand(any) map[string]any       { return nil }
func (intListCodec) exclusive(string) []string       { return nil }

// pairsCodec: topology.pairs = [[0, 1], ...].
type pairsCodec struct{}

func (pairsCodec) decode(d *decoder, path string, v any) {
	l, ok := d.list(path, v)
	if !ok {
		return
	}
	var pairs [][2]int
	for i, e := range l {
		p, ok1 := d.ints(index(path, i), e)
		if !ok1 {
			ok = false
			continue
		}
		if len(p) != 2 {
			d.ps.add(index(path, i), repr(e), "want a pair [i, j]")
			ok = false
			continue
		}
		pairs = append(pairs, [2]int{p[0], p[1]})
	}
	if ok {
		d.cfg.Topology.Edges = pairs
	}
}

func (pairsCodec) encode(c *sim.Config) string {
	parts := make([]string, len(c.Topology.Edges))
	for i, e := range c.Topology.Edges {
		parts[i] = fmt.Sprintf("[%d, %d]", e[0], e[1])
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (pairsCodec) expand(any) map[string]any { return nil }
func (pairsCodec) exclusive(string) []string { return nil }

// initialCodec: world.initial, one of three forms.
type initialCodec struct{}

func (initialCodec) decode(d *decoder, path string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		d.ps.add(path, repr(v), "want { escalators = 0.1 }, { pattern = \"single\" } or { escalating = [0, 5] }, not %s", typeName(v))
		return
	}
	d.known(path, m, []string{"escalators", "pattern", "site", "escalating"})
	in := sim.InitialConfig{Site: -1}
	pattern := ""
	if p, has := m["pattern"]; has {
		s, ok := d.enum(join(path, "pattern"), p, sim.Pattern(0).Names())
		if !ok {
			return
		}
		pattern = s
	}
	_, hasEsc := m["escalators"]
	_, hasList := m["escalating"]
	_, hasSite := m["site"]
	forms := 0
	for _, b := range []bool{hasEsc, hasList, hasSite || pattern == "single"} {
		if b {
			forms++
		}
	}
	switch {
	case forms > 1:
		d.ps.add(path, repr(v), "want one form: escalators = share, pattern = \"single\" (with an optional site), or escalating = [...]")
		return
	case hasEsc:
		if pattern != "" && pattern != "random" {
			d.ps.add(join(path, "pattern"), repr(m["pattern"]), "escalators goes with pattern = \"random\"")
			return
		}
		x, ok := d.float(join(path, "escalators"), m["escalators"])
		if !ok {
			return
		}
		in.Pattern, in.Escalators = sim.InitRandom, x
	case hasList:
		if pattern != "" && pattern != "list" {
			d.ps.add(join(path, "pattern"), repr(m["pattern"]), "escalating goes with pattern = \"list\"")
			return
		}
		l, ok := d.ints(join(path, "escalating"), m["escalating"])
		if !ok {
			return
		}
		in.Pattern, in.Escalating = sim.InitList, l
	case hasSite || pattern == "single":
		in.Pattern = sim.InitSingle
		if hasSite {
			n, ok := d.int(join(path, "site"), m["site"])
			if !ok {
				return
			}
			if n < 0 {
				d.ps.add(join(path, "site"), repr(m["site"]), "want a state index >= 0 (leave site out for the centre)")
				return
			}
			in.Site = n
		}
	default:
		d.ps.add(path, repr(v), "want escalators = share, pattern = \"single\" or escalating = [...]")
		return
	}
	d.cfg.World.Initial = in
}

func (initialCodec) encode(c *sim.Config) string {
	in := c.World.Initial
	switch in.Pattern {
	case sim.InitSingle:
		if in.Site >= 0 {
			return fmt.Sprintf("{ pattern = \"single\", site = %d }", in.Site)
		}
		return "{ pattern = \"single\" }"
	case sim.InitList:
		return "{ escalating = " + intList(in.Escalating) + " }"
	}
	return "{ escalators = " + formatFloat(in.Escalators) + " }"
}

func (initialCodec) expand(any) map[string]any { return nil }

func (initialCodec) exclusive(key string) []string {
	switch key {
	case "escalators":
		return []string{"pattern", "site", "escalating"}
	case "escalating":
		return []string{"pattern", "site", "escalators"}
	case "pattern", "site":
		return []string{"escalators", "escalating"}
	}
	return nil
}

// Reciprocal presets: the chance of restraint given (my last move, their
// perceived last move), C = restraint. Tit-for-tat copies their move;
// win-stay-lose-shift (Nowak and Sigmund 1993, Nature 364) repeats a move
// that paid (CC, DC) and switches after one that did not (CD, DD);
// generous tit-for-tat (Nowak and Sigmund 1992, Nature 355) forgives a
// defection with probability 1/3.
var reciprocalPresets = []struct {
	name string
	v    [5]float64 // cc, cd, dc, dd, initial
}{
	{"tit-for-tat", [5]float64{1, 0, 1, 0, 1}},
	{"win-stay-lose-shift", [5]float64{1, 0, 0, 1, 1}},
	{"generous-tit-for-tat", [5]float64{1, 1.0 / 3, 1, 1.0 / 3, 1}},
}

var reciprocalKeys = []string{"cc", "cd", "dc", "dd", "initial"}

func presetNames() []string {
	var n []string
	for _, p := range reciprocalPresets {
		n = append(n, p.name)
	}
	return n
}

type reciprocalCodec struct{}

func (reciprocalCodec) decode(d *decoder, path string, v any) {
	dc := &d.cfg.Decision
	switch x := v.(type) {
	case string:
		name, ok := d.enum(path, x, presetNames())
		if !ok {
			return
		}
		for _, p := range reciprocalPresets {
			if p.name == name {
				copy(dc.Reciprocal[:], p.v[:4])
				dc.ReciprocalInitial = p.v[4]
			}
		}
	case map[string]any:
		d.known(path, x, reciprocalKeys)
		for i, k := range reciprocalKeys {
			e, has := x[k]
			if !has {
				continue
			}
			if f, ok := d.float(join(path, k), e); ok {
				if i < 4 {
					dc.Reciprocal[i] = f
				} else {
					dc.ReciprocalInitial = f
				}
			}
		}
	default:
		d.ps.add(path, repr(v), "want a preset (%s) or a table { cc, cd, dc, dd, initial }, not %s", strings.Join(presetNames(), ", "), typeName(v))
	}
}

func (reciprocalCodec) encode(c *sim.Config) string {
	r := c.Decision.Reciprocal
	return fmt.Sprintf("{ cc = %s, cd = %s, dc = %s, dd = %s, initial = %s }",
		formatFloat(r[0]), formatFloat(r[1]), formatFloat(r[2]), formatFloat(r[3]), formatFloat(c.Decision.ReciprocalInitial))
}

func (reciprocalCodec) expand(v any) map[string]any {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	for _, p := range reciprocalPresets {
		if p.name == s {
			m := map[string]any{}
			for i, k := range reciprocalKeys {
				m[k] = p.v[i]
			}
			return m
		}
	}
	return nil
}

func (reciprocalCodec) exclusive(string) []string { return nil }

// presetOf names the preset a reciprocal table equals, or "".
func presetOf(c *sim.Config) string {
	for _, p := range reciprocalPresets {
		if [4]float64(p.v[:4]) == c.Decision.Reciprocal && p.v[4] == c.Decision.ReciprocalInitial {
			return p.name
		}
	}
	return ""
}

// decoded parses the TOML value text (as encode writes it) back into the
// generic form the decoder reads.
func decoded(text string) any {
	var m map[string]any
	if _, err := toml.Decode("v = "+text, &m); err != nil {
		return nil
	}
	return m["v"]
}

func (c distCodec) table(cfg *sim.Config) any         { return decoded(c.encode(cfg)) }
func (c blocsCodec) table(cfg *sim.Config) any        { return decoded(c.encode(cfg)) }
func (c revisionistsCodec) table(cfg *sim.Config) any { return decoded(c.encode(cfg)) }
func (c intListCodec) table(cfg *sim.Config) any      { return decoded(c.encode(cfg)) }
func (c pairsCodec) table(cfg *sim.Config) any        { return decoded(c.encode(cfg)) }
func (c initialCodec) table(cfg *sim.Config) any      { return decoded(c.encode(cfg)) }
func (c reciprocalCodec) table(cfg *sim.Config) any   { return decoded(c.encode(cfg)) }
