package scenarios

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/normsim/normsim/sim"
)

// Schema is the version of the scenario format this package reads.
const Schema = 1

// Scenario is a loaded, validated scenario: its configuration and what the
// command and the teaching tools show about it.
type Scenario struct {
	// Name is the short id used in output paths and the scenario column.
	Name string
	// Title is a one-line description.
	Title string
	// Info is shown by `normsim show`, above a run's results and in
	// handouts.
	Info Info
	// Sweep is the experiment `normsim sweep` runs, nil when there is none.
	Sweep *Sweep
	// Expect are the goals `normsim check` grades, in file order.
	Expect []Expect
	// File is where the scenario was read from.
	File string

	cfg       sim.Config
	tree      map[string]any
	pos       map[string]position
	overrides map[string]string // keys set by SetFrom, and the origin their problems name
}

// Info is the [info] table: text for people.
type Info struct {
	What, How               string
	Notice, Try, References []string
}

// Sweep is the [sweep] table of an experiment.
type Sweep struct {
	Design     string // grid | lhs | sobol | morris
	Replicates int    // per design point
	Samples    int    // for lhs, sobol and morris
	Seed       *int64 // design seed; nil means run.seed
	// Levels is the number of Morris grid levels (even, >= 2; 0 means the
	// sweep package's default).
	Levels int
	// Bootstrap is the number of bootstrap resamples behind sensitivity
	// intervals (0 means the sweep package's default).
	Bootstrap int
	// CommonSeed gives every design point the same seed (common random
	// numbers).
	CommonSeed bool
	Params     []SweepParam
}

// SweepParam is one varied parameter, in file order. Kind "list" uses
// Values, "range" From, To and Steps (evenly spaced, ends included),
// "bounds" Min and Max (for sampling designs).
type SweepParam struct {
	Key      string
	Values   []float64
	From, To float64
	Steps    int
	Min, Max float64
	Kind     string
}

// Load reads and validates a scenario file. It reads only regular files
// of at most MaxFileSize bytes.
func Load(path string) (*Scenario, error) {
	data, p := readFile(path)
	if p != nil {
		return nil, &Error{Problems: []Problem{*p}}
	}
	return Parse(path, data)
}

// Parse decodes and validates a scenario. file names it in messages.
// Problems are reported all at once, as an *Error.
func Parse(file string, data []byte) (*Scenario, error) {
	tree, pos, err := decodeFile(file, data)
	if err != nil {
		return nil, err
	}
	s := &Scenario{File: file, pos: pos}
	if err := s.build(tree); err != nil {
		return nil, err
	}
	return s, nil
}

// decodeFile checks that data is a TOML document within the loader's
// limits, decodes it and finds where its keys are written.
func decodeFile(file string, data []byte) (map[string]any, map[string]position, error) {
	fail := func(p Problem) (map[string]any, map[string]position, error) {
		return nil, nil, &Error{Problems: []Problem{p}}
	}
	switch {
	case len(data) > MaxFileSize:
		return fail(Problem{File: file, Msg: fmt.Sprintf("%d bytes: too large for a scenario (at most %d MiB)", len(data), MaxFileSize>>20)})
	case len(bytes.TrimSpace(data)) == 0:
		return fail(Problem{File: file, Msg: "empty file: a scenario needs at least schema = 1 and name = \"...\""})
	}
	if line, col, r, bad := firstBadByte(data); bad {
		msg := "not a TOML file: it is not UTF-8 text"
		if r == 0 {
			msg = "not a TOML file: it holds a NUL byte (a binary file?)"
		}
		return fail(Problem{File: file, Line: line, Col: col, Msg: msg})
	}
	if p := checkNesting(file, data); p != nil {
		return fail(*p)
	}
	var tree map[string]any
	if _, err := toml.Decode(string(data), &tree); err != nil {
		return fail(syntaxProblem(file, data, err))
	}
	pos, redefined := scanPositions(data)
	if len(redefined) > 0 {
		ps := make([]Problem, len(redefined))
		for i, r := range redefined {
			ps[i] = Problem{File: file, Line: r.at.line, Col: r.at.col,
				Msg: fmt.Sprintf("TOML syntax: the table %s is defined twice, by the dotted key %s at line %d and by this [%s] header; TOML 1.0 forbids that: write its keys in one place",
					r.table, r.by.key, r.by.at.line, r.table)}
		}
		return nil, nil, &Error{Problems: ps}
	}
	return tree, pos, nil
}

// firstBadByte finds the first byte that is not UTF-8 text, or a NUL: its
// line and column, the rune (0 for a NUL), and whether there is one.
func firstBadByte(data []byte) (line, col int, r rune, bad bool) {
	if utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 {
		return 0, 0, 0, false
	}
	line, col = 1, 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 || r == 0 {
			return line, col, r, true
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[n:]
	}
	return line, col, utf8.RuneError, true
}

// lineCol returns the 1-based line and column (in runes) of byte offset
// off of data.
func lineCol(data []byte, off int) (line, col int) {
	off = min(off, len(data))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return bytes.Count(data[:start], []byte{'\n'}) + 1, utf8.RuneCount(data[start:off]) + 1
}

var lineRE = regexp.MustCompile(`line (\d+)`)

// syntaxProblem turns a TOML library error into a Problem. Its position
// is taken from the byte offset the library reports, which is right where
// its line and column are not: an unexpected newline is counted on the
// line after it ("[run" unclosed at line 3 was reported at 4:5).
func syntaxProblem(file string, data []byte, err error) Problem {
	var pe toml.ParseError // a value type in v1.6.0
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.LastKey != "" {
			msg += fmt.Sprintf(" (after key %s)", pe.LastKey)
		}
		line, col := pe.Position.Line, pe.Position.Col
		if off := pe.Position.Start; off > 0 && off <= len(data) {
			if l, c := lineCol(data, off); l == line || l == line-1 {
				line, col = l, c
			}
		}
		return Problem{File: file, Line: line, Col: col, Msg: "TOML syntax: " + msg}
	}
	p := Problem{File: file, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
	if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Col = 1
	}
	return p
}

// build decodes tree into s, validates it and keeps tree on success.
func (s *Scenario) build(tree map[string]any) error {
	ps := &problems{file: s.File, pos: s.pos, overrides: s.overrides}
	d := &decoder{ps: ps, cfg: sim.DefaultConfig()}
	var (
		name, title string
		info        Info
		sweep       *Sweep
		expect      []Expect
	)
	d.known("", tree, topLevel)

	schema, hasSchema := tree["schema"]
	if !hasSchema {
		ps.add("schema", "", "missing: write schema = %d at the top of the file", Schema)
	} else if n, ok := d.int("schema", schema); ok && n != Schema {
		ps.add("schema", repr(schema), "unsupported format version: this normsim reads schema = %d", Schema)
	}
	if v, has := tree["name"]; !has {
		ps.add("name", "", "missing: write name = \"...\" (letters, digits, '.', '_' or '-'), used in output paths")
	} else if n, ok := d.string("name", v); ok {
		if !nameRE.MatchString(n) {
			ps.add("name", repr(v), "want letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters")
		}
		name = n
	}
	if v, has := tree["title"]; has {
		title, _ = d.string("title", v)
	}
	if v, has := tree["info"]; has {
		info = d.info(v)
	}
	for _, sec := range sections {
		v, has := tree[sec]
		if !has {
			continue
		}
		m, ok := d.table(sec, v)
		if !ok {
			continue
		}
		names := sectionFields(sec)
		d.known(sec, m, names)
		for _, k := range names {
			if x, has := m[k]; has {
				d.field(fieldByKey[sec+"."+k], x)
			}
		}
	}
	if v, has := tree["events"]; has {
		d.events(v)
	}
	if v, has := tree["sweep"]; has {
		sweep = d.sweep(v)
	}
	if v, has := tree["expect"]; has {
		expect = d.expects(v)
	}
	d.cfg.Name = name

	if err := d.cfg.Validate(); err != nil {
		var ve *sim.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		for _, fe := range ve.Problems {
			key := simKey(fe.Key)
			if ps.hasAt(key) {
				continue // already reported while decoding
			}
			ps.add(key, fe.Value, "%s", fe.Msg)
		}
	}
	if err := ps.err(); err != nil {
		return err
	}
	s.Name, s.Title, s.Info, s.Sweep, s.Expect = name, title, info, sweep, expect
	s.cfg, s.tree = d.cfg, tree
	s.checkClaims(ps)
	return ps.err()
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// simKey turns a sim.FieldError key into a key path of the format.
func simKey(k string) string {
	if strings.HasPrefix(k, "decision.reciprocal[") && len(k) == len("decision.reciprocal[0]") {
		if i := int(k[len(k)-2] - '0'); i >= 0 && i < 4 {
			return "decision.reciprocal." + reciprocalKeys[i]
		}
	}
	if k == "decision.reciprocal_initial" {
		return "decision.reciprocal.initial"
	}
	if strings.HasPrefix(k, "events[") {
		if i := strings.Index(k, "].set."); i >= 0 {
			return k[:i+len("].set")] + "." + quoteKey(k[i+len("].set."):])
		}
	}
	return k
}

func (d *decoder) info(v any) Info {
	var in Info
	m, ok := d.table("info", v)
	if !ok {
		return in
	}
	d.known("info", m, []string{"what", "how", "notice", "try", "references"})
	if x, has := m["what"]; has {
		in.What, _ = d.string("info.what", x)
	}
	if x, has := m["how"]; has {
		in.How, _ = d.string("info.how", x)
	}
	if x, has := m["notice"]; has {
		in.Notice, _ = d.strings("info.notice", x)
	}
	if x, has := m["try"]; has {
		in.Try, _ = d.strings("info.try", x)
	}
	if x, has := m["references"]; has {
		in.References, _ = d.strings("info.references", x)
	}
	return in
}

func (d *decoder) events(v any) {
	l, ok := d.list("events", v)
	if !ok {
		return
	}
	params := sim.EventParams()
	var evs []sim.Event
	for i, e := range l {
		path := index("events", i)
		m, ok := d.table(path, e)
		if !ok {
			continue
		}
		d.known(path, m, []string{"step", "label", "set"})
		ev := sim.Event{}
		if x, has := m["step"]; has {
			ev.Step, _ = d.int(join(path, "step"), x)
		} else {
			d.ps.add(join(path, "step"), "", "missing: the step at which the event fires")
		}
		if x, has := m["label"]; has {
			ev.Label, _ = d.string(join(path, "label"), x)
		}
		if x, has := m["set"]; has {
			if sm, ok := d.table(join(path, "set"), x); ok {
				flat := map[string]any{}
				flatten("", sm, flat)
				for _, k := range sortedKeys(flat) {
					kp := join(join(path, "set"), k)
					if !slices.Contains(params, k) {
						msg := "not a parameter an event can set"
						if s := suggest(k, params); s != "" {
							msg += fmt.Sprintf("; did you mean %q?", s)
						} else {
							msg += " (events set numeric parameters, such as payoffs.temptation)"
						}
						d.ps.add(kp, repr(flat[k]), "%s", msg)
						continue
					}
					if f, ok := d.float(kp, flat[k]); ok {
						ev.Set = append(ev.Set, sim.Assignment{Key: k, Value: f})
					}
				}
			}
		}
		evs = append(evs, ev)
	}
	d.cfg.Events = evs
}

// flatten turns nested tables (set = { payoffs.temptation = 4 }) into
// dotted keys (set = { "payoffs.temptation" = 4 }).
func flatten(prefix string, m map[string]any, out map[string]any) {
	for k, v := range m {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			flatten(key, sub, out)
		} else {
			out[key] = v
		}
	}
}

// sweepKey reports whether --set (and so a sweep) can give key a number.
func sweepKey(key string) bool {
	ok, _ := sim.NumberKey(key)
	return ok
}

func (d *decoder) sweep(v any) *Sweep {
	m, ok := d.table("sweep", v)
	if !ok {
		return nil
	}
	d.known("sweep", m, []string{"design", "replicates", "samples", "seed", "levels", "bootstrap", "common_seed", "parameters"})
	sw := &Sweep{Design: "grid", Replicates: 10, Samples: 256}
	if x, has := m["design"]; has {
		sw.Design, _ = d.enum("sweep.design", x, []string{"grid", "lhs", "sobol", "morris"})
	}
	d.intWithin(m, "replicates", &sw.Replicates, func(n int) bool { return n >= 1 }, "want an integer >= 1")
	d.intWithin(m, "samples", &sw.Samples, func(n int) bool { return n >= 1 }, "want an integer >= 1")
	var seed int
	if d.intWithin(m, "seed", &seed, func(n int) bool { return n >= 0 }, "want an integer >= 0") && seed >= 0 {
		s := int64(seed)
		sw.Seed = &s
	}
	d.intWithin(m, "levels", &sw.Levels, func(n int) bool { return n == 0 || n >= 2 && n%2 == 0 && n <= 1000 },
		"want an even number of Morris levels, 2 <= levels <= 1000 (0 = default)")
	d.intWithin(m, "bootstrap", &sw.Bootstrap, func(n int) bool { return n >= 0 && n <= 1_000_000 },
		"want 0 <= bootstrap <= 1000000 (0 = default)")
	if x, has := m["common_seed"]; has {
		sw.CommonSeed, _ = d.bool("sweep.common_seed", x)
	}
	x, has := m["parameters"]
	if !has {
		d.ps.add("sweep.parameters", "", "missing: a [sweep.parameters] table of the keys to vary")
		return sw
	}
	pm, ok := d.table("sweep.parameters", x)
	if !ok {
		return sw
	}
	if len(pm) == 0 {
		d.ps.add("sweep.parameters", "{}", "want at least one parameter")
	}
	for _, k := range sortedKeys(pm) {
		if p, ok := d.sweepParam(k, pm[k], sw.Design); ok {
			sw.Params = append(sw.Params, p)
		}
	}
	d.inFileOrder(sw.Params)
	return sw
}

// intWithin decodes the integer m[key] of [sweep] into *dst, when the key
// is there, and reports a value that fails within with the message want.
// It reports whether an integer was decoded.
func (d *decoder) intWithin(m map[string]any, key string, dst *int, within func(int) bool, want string) bool {
	x, has := m[key]
	if !has {
		return false
	}
	n, ok := d.int(join("sweep", key), x)
	if !ok {
		return false
	}
	if !within(n) {
		d.ps.add(join("sweep", key), repr(x), "%s", want)
	}
	*dst = n
	return true
}

// sweepParam decodes [sweep.parameters] key = v: a list of values, a
// range { from, to, steps } (grid designs) or bounds { min, max } (lhs,
// sobol, morris). It reports false for a key a sweep cannot vary or a
// value of the wrong type.
func (d *decoder) sweepParam(k string, v any, design string) (SweepParam, bool) {
	path := join("sweep.parameters", k)
	if !sweepKey(k) {
		d.ps.add(path, repr(v), "not a numeric parameter a sweep can vary (for example \"attribution.evidence_standard\", \"world.power.alpha\")")
		return SweepParam{}, false
	}
	p := SweepParam{Key: k}
	switch y := v.(type) {
	case []any:
		p.Kind = "list"
		vals, ok := d.floats(path, y)
		if ok && len(vals) == 0 {
			d.ps.add(path, "[]", "want at least one value")
		}
		p.Values = vals
		if design != "grid" {
			d.ps.add(path, repr(y), "design = %q samples a parameter from { min = ..., max = ... }, not a list", design)
		}
	case map[string]any:
		if _, hasFrom := y["from"]; hasFrom || y["to"] != nil || y["steps"] != nil {
			d.sweepRange(&p, path, y, design)
		} else {
			p.Kind = "bounds"
			d.known(path, y, []string{"min", "max", "from", "to", "steps"})
			lo, ok1 := d.need(path, y, "min")
			hi, ok2 := d.need(path, y, "max")
			p.Min, p.Max = lo, hi
			if ok1 && ok2 && lo >= hi {
				d.ps.add(join(path, "max"), formatFloat(hi), "want max > min (%s)", formatFloat(lo))
			}
			if design == "grid" {
				d.ps.add(path, repr(y), "design = \"grid\" wants a list [..] or { from, to, steps }; { min, max } is for lhs, sobol and morris")
			}
		}
	default:
		d.ps.add(path, repr(y), "want a list of values, { from, to, steps } or { min, max }, not %s", typeName(y))
		return SweepParam{}, false
	}
	return p, true
}

// sweepRange decodes a grid parameter's { from, to, steps } into p.
func (d *decoder) sweepRange(p *SweepParam, path string, y map[string]any, design string) {
	p.Kind = "range"
	d.known(path, y, []string{"from", "to", "steps"})
	p.From, _ = d.need(path, y, "from")
	p.To, _ = d.need(path, y, "to")
	if s, has := y["steps"]; has {
		if n, ok := d.int(join(path, "steps"), s); ok {
			if n < 2 || n > 100000 {
				d.ps.add(join(path, "steps"), repr(s), "want 2 <= steps <= 100000 (the ends are included)")
			}
			p.Steps = n
		}
	} else {
		d.ps.add(join(path, "steps"), "", "missing: the number of values from..to, ends included")
	}
	if design != "grid" {
		d.ps.add(path, repr(y), "design = %q samples a parameter from { min = ..., max = ... }, not a range", design)
	}
}

// inFileOrder sorts the parameters by their position in the file, so
// that Resolved output (which writes them in this order) reads back the
// same.
func (d *decoder) inFileOrder(params []SweepParam) {
	slices.SortStableFunc(params, func(a, b SweepParam) int {
		pa, oka := d.ps.pos[join("sweep.parameters", a.Key)]
		pb, okb := d.ps.pos[join("sweep.parameters", b.Key)]
		switch {
		case oka && okb:
			if c := cmp.Compare(pa.line, pb.line); c != 0 {
				return c
			}
			return cmp.Compare(pa.col, pb.col)
		case oka:
			return -1
		case okb:
			return 1
		}
		return 0
	})
}

// need decodes a required number of table m.
func (d *decoder) need(path string, m map[string]any, k string) (float64, bool) {
	x, has := m[k]
	if !has {
		d.ps.add(join(path, k), "", "missing")
		return 0, false
	}
	return d.float(join(path, k), x)
}

// Config returns the scenario's configuration (a copy), validated when the
// scenario was built.
func (s *Scenario) Config() (sim.Config, error) {
	return s.cfg.Clone(), nil
}
