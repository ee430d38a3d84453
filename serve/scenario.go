package serve

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// origin is where a session's scenario came from, which a share link
// names: a shipped scenario or exercise by its name, or the text of a file
// (uploaded, or given on the command line).
type origin struct {
	name string // "baseline", "exercises/restraint-emerges"; "" for a file
	file string // the file's name, for messages
	text []byte // the file's text
}

// source names the origin for people.
func (o origin) source() string {
	if o.name != "" {
		return o.name
	}
	return "file " + o.file
}

// catalog is the scenarios a page may pick by name.
type catalog struct {
	Scenarios []entry `json:"scenarios"`
	Exercises []entry `json:"exercises"`
	known     map[string]bool
}

type entry struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

// newCatalog lists the shipped scenarios and exercises. Exercise solutions
// are neither listed nor opened by name (scenarios.Open refuses them).
func newCatalog() *catalog {
	c := &catalog{known: map[string]bool{}}
	for _, e := range scenarios.List() {
		c.Scenarios = append(c.Scenarios, entry{Name: e.Name, Title: e.Title})
		c.known[e.Name] = true
	}
	for _, e := range scenarios.Exercises() {
		c.known[e.Name] = true
		c.Exercises = append(c.Exercises, entry{Name: e.Name, Title: e.Title})
	}
	return c
}

// names returns every name the catalog knows.
func (c *catalog) names() []string {
	var out []string
	for _, e := range c.Scenarios {
		out = append(out, e.Name)
	}
	for _, e := range c.Exercises {
		out = append(out, e.Name)
	}
	return out
}

// maxScenarioBytes bounds a scenario file, uploaded or in a link.
const maxScenarioBytes = 256 << 10

// openOrigin loads a scenario from its origin.
func openOrigin(o origin) (*scenarios.Scenario, error) {
	if o.name != "" {
		return scenarios.Open(o.name)
	}
	return scenarios.Parse(o.file, o.text)
}

// openArg opens the scenario named on the command line: a file when one
// exists by that name or it ends in .toml, else a shipped name.
func openArg(arg string) (*scenarios.Scenario, origin, error) {
	if _, err := os.Stat(arg); err == nil || strings.HasSuffix(arg, ".toml") {
		data, err := os.ReadFile(arg)
		if err != nil {
			return nil, origin{}, err
		}
		if len(data) > maxScenarioBytes {
			return nil, origin{}, fmt.Errorf("%s: %d bytes, more than a scenario may have here (%d)", arg, len(data), maxScenarioBytes)
		}
		o := origin{file: filepath.Base(arg), text: data}
		s, err := scenarios.Parse(arg, data)
		return s, o, err
	}
	o := origin{name: arg}
	s, err := openOrigin(o)
	return s, o, err
}

// loadRequest is how a page asks for a scenario: by name, as the text of a
// file, or as a share link's compressed text; then with assignments.
type loadRequest struct {
	Scenario string   `json:"scenario"`
	TOML     string   `json:"toml"`
	TOMLZ    string   `json:"toml_z"`
	File     string   `json:"file"`
	Set      []string `json:"set"`
}

// load turns a load request into a scenario as loaded (base), the same with
// the request's assignments (sc), its origin and notes about the
// assignments. def is the scenario to use when the request names none.
func (c *catalog) load(req loadRequest, def origin) (base, sc *scenarios.Scenario, o origin, notes []string, err error) {
	n := 0
	for _, s := range []string{req.Scenario, req.TOML, req.TOMLZ} {
		if s != "" {
			n++
		}
	}
	switch {
	case n > 1:
		return nil, nil, o, nil, badRequest("give one of scenario, toml and toml_z, not %d", n)
	case req.Scenario != "":
		if !c.known[req.Scenario] {
			msg := fmt.Sprintf("unknown scenario %q", req.Scenario)
			if s := scenarios.Suggest(req.Scenario, c.names()); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			return nil, nil, o, nil, &apiError{status: http.StatusNotFound, msg: msg + " (GET /api/scenarios lists them)"}
		}
		o = origin{name: req.Scenario}
	case req.TOML != "" || req.TOMLZ != "":
		text := []byte(req.TOML)
		if req.TOMLZ != "" {
			var err error
			if text, err = inflate(req.TOMLZ); err != nil {
				return nil, nil, o, nil, badRequest("toml_z: %v", err)
			}
		}
		if len(text) > maxScenarioBytes {
			return nil, nil, o, nil, &apiError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("the scenario has %d bytes, more than the %d allowed", len(text), maxScenarioBytes)}
		}
		file := filepath.Base(req.File)
		if req.File == "" || file == "." || file == "/" {
			file = "upload.toml"
		}
		o = origin{file: file, text: text}
	default:
		o = def
	}
	if base, err = openOrigin(o); err != nil {
		return nil, nil, o, nil, scenarioError(err)
	}
	sc = base.Clone()
	if notes, err = applySets(sc, "set", req.Set); err != nil {
		return nil, nil, o, nil, err
	}
	return base, sc, o, notes, nil
}

// maxSets bounds the assignments of one request.
const maxSets = 200

// applySets applies key=value assignments to s, all checked together. When
// they set run.steps, the events after the new last step are dropped first,
// as `normsim run --steps` drops them; the notes say which.
func applySets(s *scenarios.Scenario, origin string, sets []string) ([]string, error) {
	if len(sets) == 0 {
		return nil, nil
	}
	if len(sets) > maxSets {
		return nil, badRequest("%d assignments: at most %d at once", len(sets), maxSets)
	}
	var notes []string
	as := make([]scenarios.Assign, len(sets))
	for i, a := range sets {
		k, v, ok := strings.Cut(a, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, badRequest("set[%d] = %q: want key=value, for example forum.every=25", i, a)
		}
		if k == "run.steps" {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 1 {
				t := s.Clone()
				for _, d := range t.DropEventsAfter(n) {
					notes = append(notes, "run.steps = "+strconv.Itoa(n)+": skipping "+d)
				}
				if notes != nil {
					*s = *t
				}
			}
		}
		as[i] = scenarios.Assign{Origin: origin, Text: a}
	}
	if err := s.SetAll(as...); err != nil {
		return nil, scenarioError(err)
	}
	return notes, nil
}

// scenarioError turns a scenario's problems into a 400 that lists them.
func scenarioError(err error) error {
	var se *scenarios.Error
	if errors.As(err, &se) {
		e := &apiError{status: http.StatusBadRequest, msg: "invalid scenario"}
		for _, p := range se.Problems {
			e.problems = append(e.problems, p.String())
		}
		if len(e.problems) == 1 {
			e.msg = e.problems[0]
		}
		return e
	}
	return badRequest("%v", err)
}

// resolvedValues returns the configuration keys of s in resolved order,
// and their values as TOML text, by key.
func resolvedValues(s *scenarios.Scenario) (keys []string, values map[string]string) {
	vs := s.Values()
	values = make(map[string]string, len(vs))
	for _, v := range vs {
		keys = append(keys, v.Key())
		values[v.Key()] = v.Value
	}
	return keys, values
}

// changed lists, in resolved order, the keys whose values in s differ from
// those of base, as key=value assignments that turn base into s.
func changed(base, s *scenarios.Scenario) []string {
	_, was := resolvedValues(base)
	keys, now := resolvedValues(s)
	var out []string
	for _, k := range keys {
		if was[k] != now[k] {
			out = append(out, k+"="+now[k])
		}
	}
	return out
}

// maxShare bounds a share link's query: a longer one is not offered.
const maxShare = 8000

// shareQuery is the query string of a link that restores s, loaded from o
// and changed by sets: "scenario=NAME&set=key%3Dvalue...", or toml_z with
// the compressed file. It returns "" with a reason when the link would be
// too long.
func shareQuery(o origin, sets []string) (string, string) {
	var b strings.Builder
	if o.name != "" {
		b.WriteString("scenario=" + url.QueryEscape(o.name))
	} else {
		b.WriteString("toml_z=" + deflate(o.text) + "&file=" + url.QueryEscape(o.file))
	}
	for _, a := range sets {
		b.WriteString("&set=" + url.QueryEscape(a))
	}
	if b.Len() > maxShare {
		return "", fmt.Sprintf("a link to these settings would be %d characters long, more than browsers keep: download the scenario instead", b.Len())
	}
	return b.String(), ""
}

// deflate compresses text for a link: raw DEFLATE, base64url.
func deflate(text []byte) string {
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression) // only a bad level errs
	zw.Write(text)
	zw.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// inflate reverses deflate, refusing more than maxScenarioBytes.
func inflate(s string) ([]byte, error) {
	if len(s) > 2*maxScenarioBytes {
		return nil, fmt.Errorf("%d characters: too long", len(s))
	}
	z, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, fmt.Errorf("not base64url: %v", err)
	}
	r := flate.NewReader(bytes.NewReader(z))
	data, err := io.ReadAll(io.LimitReader(r, maxScenarioBytes+1))
	if err != nil {
		return nil, fmt.Errorf("not a compressed scenario: %v", err)
	}
	if len(data) > maxScenarioBytes {
		return nil, fmt.Errorf("more than %d bytes once decompressed", maxScenarioBytes)
	}
	return data, nil
}

// worldBytes estimates the memory of one world of cfg: the states, the
// network's adjacency and, for the reciprocal rule, the memory of every
// pair.
func worldBytes(cfg *sim.Config) float64 {
	n := float64(cfg.World.States)
	t := &cfg.Topology
	var edges float64
	switch t.Kind {
	case sim.TopoLattice:
		edges = n * 9
	case sim.TopoRandom:
		edges = n * (n - 1) / 2 * t.P
	case sim.TopoSmallWorld:
		edges = n * float64(t.K) / 2
	case sim.TopoScaleFree:
		edges = n * float64(t.M)
	case sim.TopoBlocs:
		b := float64(max(1, cfg.World.Blocs))
		edges = n * n / 2 * (t.PIn/b + t.POut)
	case sim.TopoEdges:
		edges = float64(len(t.Edges))
	}
	bytes := n*256 + edges*2*8
	if cfg.Decision.Rule == sim.RuleReciprocal {
		bytes += n * n * 4
	}
	return bytes
}
