package handout

import (
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
	"github.com/normsim/normsim/sweep"
)

// maxPointRows is the number of design points the handout's body lists;
// a design with more lists them in the appendix only (up to
// maxAppendixRows).
const (
	maxPointRows    = 40
	maxAppendixRows = 5000
)

// IsSweep reports whether dir holds a sweep (its manifest).
func IsSweep(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, sweep.ManifestFile))
	return err == nil
}

// Sweep is the handout of a finished sweep: build it with [ReadSweep],
// write it with [Sweep.Render].
type Sweep struct {
	Dir                string
	Name, Title        string
	What               template.HTML
	Program            string // the version of the program that made the handout
	Version            string // of the program that ran the sweep
	Hash               string
	Design             sweep.Design
	Points, Runs, Done int
	Params             []sweepParam
	Outcomes           map[string]int // runs by outcome
	OutcomeNames       []string

	Never    string   // the outcomes no point reached, which get no column
	Columns  []string // the points table's headers, every column numbers
	Rows     [][]string
	InBody   bool // the points are few enough to list in the body
	Cut      int  // rows left out of the appendix
	Charts   []chart
	NoCharts string
	Sens     []sensTable // the main outputs' indices
	SensAll  []sensRow   // every index, for the appendix
	SensNote string
}

type sweepParam struct {
	Key, Values string
}

type sensTable struct {
	Output string
	Stats  []string
	Rows   []sensParam
}

type sensParam struct {
	Param string
	Cells []string
}

type sensRow struct {
	Output, Param, Stat string
	Value, Lo, Hi       float64
}

// ReadSweep reads a finished sweep's directory: its manifest, summary,
// scenario, points.csv, sensitivity.csv and the charts the sweep drew
// (SVG). It fails on a shard (merge the shards first) and on an
// unfinished sweep.
func ReadSweep(dir string) (*Sweep, error) {
	m, err := sweep.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if m.Shard != nil && !m.Shard.Whole() {
		return nil, fmt.Errorf("%s holds shard %s of a sweep: merge the shards first (normsim merge DIR... -o OUT), then make the handout of OUT", dir, m.Shard)
	}
	sum, err := sweep.ReadSummary(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: the sweep is not finished (no summary.json): resume it with normsim sweep SCENARIO -o %s --resume", dir, dir)
	}
	d := m.Design
	h := &Sweep{Dir: dir, Name: m.Scenario, Title: m.Scenario, Program: sim.Version, Version: strings.TrimPrefix(m.Program, "normsim "),
		Hash: m.ScenarioHash, Design: d, Points: m.Points, Runs: m.Runs, Done: sum.Done, Outcomes: sum.Outcomes, OutcomeNames: m.Outcomes}
	if s, err := scenarios.Load(filepath.Join(dir, results.ScenarioFile)); err == nil {
		if s.Title != "" {
			h.Title = s.Title
		}
		h.What = codify(s.Info.What, knownKeys())
	}
	for _, p := range d.Params {
		v := fmt.Sprintf("uniform on [%s, %s]", goals.Num(p.Min), goals.Num(p.Max))
		if len(p.Values) > 0 {
			var vs []string
			for _, x := range p.Values {
				vs = append(vs, goals.Num(x))
			}
			v = strings.Join(vs, ", ")
		}
		h.Params = append(h.Params, sweepParam{Key: p.Key, Values: v})
	}
	if err := h.readPoints(filepath.Join(dir, sweep.PointsFile), m); err != nil {
		return nil, err
	}
	if err := h.readCharts(dir, m); err != nil {
		return nil, err
	}
	if err := h.readSensitivity(filepath.Join(dir, sweep.SensitivityFile)); err != nil {
		return nil, err
	}
	return h, nil
}

// readCSV reads a CSV file with a header into the header's column index
// and the records.
func readCSV(path string) (map[string]int, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, nil, fmt.Errorf("%s: empty", path)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	return col, recs[1:], nil
}

// num is a CSV cell's number: NaN when it is empty or not a number.
func num(s string) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// readPoints turns points.csv into the points table: the point, its
// parameter values, runs, each outcome's share, the share converged, and
// practice and expectations with their intervals.
func (h *Sweep) readPoints(path string, m *sweep.Manifest) error {
	col, recs, err := readCSV(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: no %s: the sweep is not finished or not merged", h.Dir, sweep.PointsFile)
	}
	if err != nil {
		return err
	}
	cell := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	type column struct {
		head string
		get  func(rec []string) string
	}
	// An outcome no point ever reached gets no column.
	var never []string
	reached := func(o string) bool {
		for _, r := range recs {
			if x := num(cell(r, o+"_share")); x > 0 {
				return true
			}
		}
		return false
	}
	cols := []column{{"point", func(r []string) string { return cell(r, "point") }}}
	for _, p := range m.Design.Params {
		cols = append(cols, column{p.Key, func(r []string) string { return goals.Num(num(cell(r, p.Key))) }})
	}
	cols = append(cols, column{"runs", func(r []string) string { return cell(r, "runs") }})
	for _, o := range m.Outcomes {
		if !reached(o) {
			never = append(never, o)
			continue
		}
		cols = append(cols, column{o, func(r []string) string { return pct(num(cell(r, o+"_share"))) }})
	}
	if len(never) > 0 {
		h.Never = strings.Join(never, ", ")
	}
	cols = append(cols, column{"converged", func(r []string) string { return pct(num(cell(r, "converged_share"))) }})
	for _, v := range [][2]string{{"final_restraint", "practice P"}, {"final_belief", "expectations B"}} {
		if _, ok := col[v[0]+"_mean"]; !ok {
			continue
		}
		cols = append(cols, column{v[1], func(r []string) string {
			return goals.Num(num(cell(r, v[0]+"_mean"))) + " " + interval(num(cell(r, v[0]+"_lo")), num(cell(r, v[0]+"_hi")))
		}})
	}
	for _, c := range cols {
		h.Columns = append(h.Columns, c.head)
	}
	h.InBody = len(recs) <= maxPointRows
	if len(recs) > maxAppendixRows {
		h.Cut = len(recs) - maxAppendixRows
		recs = recs[:maxAppendixRows]
	}
	for _, r := range recs {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = c.get(r)
		}
		h.Rows = append(h.Rows, row)
	}
	return nil
}

// readCharts inlines the charts the sweep drew into dir (their SVG
// files): the phase diagram, each parameter's lines, the Sobol' bars.
func (h *Sweep) readCharts(dir string, m *sweep.Manifest) error {
	var names []string
	add := func(pattern string) {
		found, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, f := range found {
			if !slices.Contains(names, f) {
				names = append(names, f)
			}
		}
	}
	add("phase_*.svg")
	for _, p := range m.Design.Params {
		add("param_" + sweep.FileSafe(p.Key) + "_*.svg")
	}
	add("param_*.svg")
	add("sobol_*.svg")
	add("morris_*.svg")
	for _, f := range names {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		base := strings.TrimSuffix(filepath.Base(f), ".svg")
		title, guide := sweepReading(base, m)
		svg, err := inlineSVG(b, title)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		h.Charts = append(h.Charts, chart{ID: "chart-" + base, Title: title, Reading: guide, SVG: svg, Tall: tall(svg)})
	}
	if len(h.Charts) == 0 {
		h.NoCharts = fmt.Sprintf("The directory holds no charts (SVG files): normsim plot %s draws them.", h.Dir)
	}
	return nil
}

// sweepReading is a sweep chart's title and reading guide, by file name.
func sweepReading(base string, m *sweep.Manifest) (title, guide string) {
	d := m.Design
	pooled := ""
	if len(d.Params) > 1 {
		pooled = " Runs are pooled over the other parameters, so a flat line can hide effects that cancel."
	}
	binned := ""
	if d.Kind != sweep.Grid {
		binned = " The parameter's range is cut into bins; each dot is a bin's runs, at their mean value."
	}
	switch {
	case strings.HasPrefix(base, "phase_"):
		return "Phase diagram: the established share",
			"The share of runs in which the norm ended established, at each combination of the two parameters (colour scale from 0 to 1): where the regions change is where the outcome depends on the parameters."
	case strings.HasPrefix(base, "param_") && strings.HasSuffix(base, "_established"):
		key := strings.TrimSuffix(strings.TrimPrefix(base, "param_"), "_established")
		return "The established share against " + key,
			"The share of runs that ended established at each value, with its 95% Wilson interval." + binned + pooled
	case strings.HasPrefix(base, "param_") && strings.HasSuffix(base, "_practice"):
		key := strings.TrimSuffix(strings.TrimPrefix(base, "param_"), "_practice")
		return "Practice against " + key,
			"The mean practice P (final_restraint: restraint among the states that are not revisionists, over the last window) at each value, with its 95% Student's t interval." + binned + pooled
	case strings.HasPrefix(base, "morris_"):
		return "Morris screening of " + strings.ReplaceAll(strings.TrimPrefix(base, "morris_"), "_", " "),
			"For each parameter, mu* (the mean absolute elementary effect, per unit of the parameter's whole range, with its 95% bootstrap interval) against sigma (the spread of its effects). Far right: the parameter matters; high up: it acts non-linearly or through interactions; near the origin: it does not matter."
	case strings.HasPrefix(base, "sobol_"):
		return "Sobol' indices of " + strings.ReplaceAll(strings.TrimPrefix(base, "sobol_"), "_", " "),
			"For each parameter, the share of the output's variance it explains alone (first-order S1) and with its interactions (total ST), with 95% bootstrap intervals. ST much above S1 means interactions; an index near 0 means the parameter does not matter. Indices below 0 or above 1, or S1 above ST, mean the design is too small to estimate them: raise sweep.samples."
	}
	return base, ""
}

// mainOutputs are the outputs whose sensitivity the body shows.
var mainOutputs = []string{"established_share", "final_restraint_mean", "restraint_rate_mean"}

// readSensitivity reads sensitivity.csv, if there is one.
func (h *Sweep) readSensitivity(path string) error {
	col, recs, err := readCSV(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, c := range []string{"output", "parameter", "statistic", "value", "lo", "hi"} {
		if _, ok := col[c]; !ok {
			return fmt.Errorf("%s: no column %q", path, c)
		}
	}
	for _, r := range recs {
		h.SensAll = append(h.SensAll, sensRow{Output: r[col["output"]], Param: r[col["parameter"]], Stat: r[col["statistic"]],
			Value: num(r[col["value"]]), Lo: num(r[col["lo"]]), Hi: num(r[col["hi"]])})
	}
	bad, undefined, practice := false, false, false
	for _, out := range mainOutputs {
		if out == "restraint_rate_mean" && practice {
			continue // final_restraint_mean is there: practice is enough
		}
		t := sensTable{Output: out}
		byParam := map[string]map[string]sensRow{}
		var params []string
		for _, r := range h.SensAll {
			if r.Output != out {
				continue
			}
			if !slices.Contains(t.Stats, r.Stat) {
				t.Stats = append(t.Stats, r.Stat)
			}
			if byParam[r.Param] == nil {
				byParam[r.Param] = map[string]sensRow{}
				params = append(params, r.Param)
			}
			byParam[r.Param][r.Stat] = r
			if math.IsNaN(r.Value) {
				undefined = true
			} else if (r.Stat == "S1" || r.Stat == "ST") && (r.Value < 0 || r.Value > 1) {
				bad = true
			}
		}
		if len(params) == 0 {
			continue
		}
		practice = practice || out == "final_restraint_mean"
		for _, p := range params {
			row := sensParam{Param: p}
			for _, s := range t.Stats {
				r := byParam[p][s]
				row.Cells = append(row.Cells, goals.Num(r.Value)+" "+interval(r.Lo, r.Hi))
				if s == "S1" {
					if st, ok := byParam[p]["ST"]; ok && r.Value > st.Value+0.05 {
						bad = true
					}
				}
			}
			t.Rows = append(t.Rows, row)
		}
		h.Sens = append(h.Sens, t)
	}
	var notes []string
	if bad {
		notes = append(notes, fmt.Sprintf("Some indices are below 0, above 1, or first-order above total: %d base samples are too few to estimate them; raise sweep.samples (a power of two, e.g. 256 or 1024).", h.Design.Samples))
	}
	if undefined {
		notes = append(notes, "n/a: the output does not vary over the design, so its indices are undefined.")
	}
	h.SensNote = strings.Join(notes, " ")
	return nil
}

// Kind is the class of the document's body, which its print style
// follows.
func (h *Sweep) Kind() string { return "sweep" }

// DocTitle is the title of the document.
func (h *Sweep) DocTitle() string { return fmt.Sprintf("Sweep of %s (%s)", h.Title, h.Name) }

// Footer is the provenance line at the end.
func (h *Sweep) Footer() string {
	return fmt.Sprintf("Made by normsim %s from the sweep in %s (scenario %s, hash %s, seed %d).", h.Program, h.Dir, h.Name, h.Hash, h.Design.Seed)
}

// Render writes the sweep's handout as one self-contained HTML document.
func (h *Sweep) Render(w io.Writer) error { return sweepTemplate.ExecuteTemplate(w, "sweep", h) }

var sweepTemplate = template.Must(template.Must(template.New("sweep").Funcs(funcs).Parse(head)).Parse(sweepHTML))

const sweepHTML = `{{define "points"}}<table class="wide points">
<thead><tr>{{range .Columns}}<th class="n">{{breakable .}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}
<tr>{{range .}}<td class="n wrap">{{.}}</td>{{end}}</tr>{{end}}
</tbody>
</table>{{if .Never}}<p class="note">No point ended {{.Never}}: those outcomes get no column.</p>{{end}}{{end}}
{{define "sweep"}}{{template "head" .}}<header>
<h1>Sweep: {{.Title}}</h1>
<p class="sub">Scenario <code>{{.Name}}</code>, swept by normsim {{.Version}}{{if ne .Version .Program}} (handout by normsim {{.Program}}){{end}}; results in <code>{{.Dir}}</code>.</p>
<div class="provenance">
<b>{{.Design.Kind}}</b> design: <b>{{.Points}} points x {{plural .Design.Replicates "replicate" "replicates"}} = {{.Runs}} runs</b>{{if ne .Done .Runs}} ({{.Done}} done){{end}}, master seed <b>{{.Design.Seed}}</b>{{if .Design.CommonSeed}}, common random numbers (every point runs the master seed){{end}}; scenario hash <code>{{short .Hash}}</code>. Reproduce it: <code>normsim sweep scenario.toml</code> with the directory's <code>scenario.toml</code>.
</div>
</header>

<section id="design">
<h2>The design</h2>
{{if .What}}<p>{{.What}}</p>{{end}}
<table class="keep">
<thead><tr><th>parameter</th><th>values</th></tr></thead>
<tbody>{{range .Params}}
<tr><td><code>{{.Key}}</code></td><td>{{.Values}}</td></tr>{{end}}
</tbody>
</table>
<p>{{if eq .Design.Kind "grid"}}A grid runs every combination of the values.{{else if eq .Design.Kind "lhs"}}A Latin hypercube of {{.Design.Samples}} points: each parameter's range is cut into {{.Design.Samples}} bins, each holding one point.{{else if eq .Design.Kind "sobol"}}Saltelli's design for Sobol' indices from {{.Design.Samples}} base samples (points = samples x (parameters + 2)).{{else if eq .Design.Kind "morris"}}{{.Design.Samples}} Morris trajectories, each moving every parameter once.{{end}} Each point runs {{plural .Design.Replicates "replicate" "replicates"}}. Outcomes over all runs:{{range $i, $o := .OutcomeNames}}{{if $i}},{{end}} {{$o}} {{index $.Outcomes $o}}{{end}}.</p>
</section>

<section id="points">
<div class="keep">
<h2>The design points</h2>
<p class="note">From <code>points.csv</code>: each point's outcome shares and share converged over its runs, and the mean of its runs' practice P (restraint among non-revisionists over the last window) and expectations B (mean restraint belief) with 95% Student's t intervals.</p>
{{if .InBody}}{{template "points" .}}{{else}}<p>{{.Points}} points are too many to print: the appendix lists them{{if .Cut}} (the first {{len .Rows}}; points.csv has them all){{end}}, and the charts below summarise them.</p>{{end}}
</div>
</section>

<section id="charts">
{{range $i, $c := .Charts}}{{if eq $i 0}}<div class="keep">
<h2>Charts</h2>
{{template "chart" $c}}
</div>{{else}}{{template "chart" $c}}{{end}}
{{else}}<h2>Charts</h2>
<p>{{.NoCharts}}</p>
{{end}}</section>
{{if .Sens}}
<section id="sensitivity">
<h2>Sensitivity</h2>
<p class="note">From <code>sensitivity.csv</code>, with 95% bootstrap intervals. {{if eq .Design.Kind "sobol"}}S1: the share of the output's variance a parameter explains alone; ST: with its interactions.{{else}}mu_star: the mean absolute elementary effect (near 0: the parameter does not matter); mu: the mean effect; sigma: non-linearity or interactions. Effects are per unit of the parameter's whole range.{{end}}</p>
{{if .SensNote}}<p class="warning">{{.SensNote}}</p>{{end}}
{{range .Sens}}<table class="keep">
<caption><code>{{.Output}}</code></caption>
<thead><tr><th>parameter</th>{{range .Stats}}<th class="n">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}
<tr><td><code>{{.Param}}</code></td>{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>{{end}}
</tbody>
</table>
{{end}}</section>{{end}}

<details class="appendix" id="appendix">
<summary>Appendix: every design point{{if .SensAll}} and every sensitivity index{{end}} <span>(collapsed: open it to read it or to print it)</span></summary>
<h3>Design points</h3>
{{template "points" .}}
{{if .Cut}}<p>{{.Cut}} more points are in points.csv.</p>{{end}}
{{if .SensAll}}<h3>Sensitivity indices</h3>
<table class="wide">
<thead><tr><th>output</th><th>parameter</th><th>statistic</th><th class="n">value</th><th class="n">95% interval</th></tr></thead>
<tbody>{{range .SensAll}}
<tr><td><code>{{.Output}}</code></td><td><code>{{.Param}}</code></td><td>{{.Stat}}</td><td class="n">{{num .Value}}</td><td class="n">{{interval .Lo .Hi}}</td></tr>{{end}}
</tbody>
</table>{{end}}
</details>
{{template "foot" .}}{{end}}`
