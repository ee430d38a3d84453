package handout

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/plots"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// Input is what a run's handout is made of: the scenario as run, its
// configuration and results, and where they come from.
type Input struct {
	Scenario *scenarios.Scenario
	Config   sim.Config
	Result   *sim.Result
	// Meta is the provenance of the results: the program version, hash,
	// seed and replicates asked for.
	Meta results.Meta
	// Program is the version of the program that makes the handout; ""
	// means sim.Version.
	Program string
	// Kernel is the engine that ran (from a run directory's summary);
	// "" means sim.Kernel of Config.
	Kernel string
	// Source says how the results were obtained ("Ran by normsim report
	// baseline."); Incomplete why the run is incomplete, if it is.
	Source, Incomplete string
	// Workers runs the claims' variants (0: all cores); the results do not
	// depend on it.
	Workers int
}

// Run is the handout of one run: build it with [NewRun], write it with
// [Run.Render].
type Run struct {
	Name, Title, File string
	Program           string // the version of the program that made the handout
	Version           string // of the program that made the results
	Hash              string
	Seed              uint64
	Kernel            string
	Steps             int
	Requested         int // replicates asked for
	Finished          int
	Source            string
	Incomplete        string

	Task, Solution, How template.HTML
	Notice, Try         []template.HTML
	NoticeCaveat        string // when the run changes the scenario: its notices may not hold
	References          []template.HTML

	Goals    []goals.Result
	GoalsMet int
	Claims   []claimView

	Outcomes     []stats.OutcomeShare
	OutcomeNote  string
	Converged    int
	ConvergedEnd int
	ConvSteps    []convQuantile
	Key          []measure
	All          []measure // every metric, for the appendix

	Charts   []chart
	Params   []Param
	Events   []sim.Event
	Resolved string
}

type convQuantile struct {
	P    float64
	Step float64
}

// measure is one quantity over replicates: the mean of the replicates'
// values with its 95% interval, their sd, min and max.
type measure struct {
	Name, Meaning              string
	Mean, Lo, Hi, SD, Min, Max float64
}

// NewRun gathers what the handout of a run shows. It tests the scenario's
// claims (running every variant with the run's seeds, as `normsim check`
// does), which takes as long as running the scenario once per variant.
func NewRun(ctx context.Context, in Input) (*Run, error) {
	s, cfg, res, m := in.Scenario, in.Config, in.Result, in.Meta
	if s == nil || res == nil {
		return nil, errors.New("handout: no scenario or no results")
	}
	h := &Run{
		Name: s.Name, Title: cmp.Or(s.Title, s.Name), File: s.File,
		Program: cmp.Or(in.Program, sim.Version), Version: m.Version, Hash: m.Hash, Seed: m.Seed,
		Kernel: cmp.Or(in.Kernel, sim.Kernel(&cfg)), Steps: cfg.Run.Steps, Requested: m.Replicates, Finished: len(res.Replicates),
		Source: in.Source, Incomplete: in.Incomplete,
		Events: cfg.Events, Resolved: string(s.Resolved()),
	}
	h.info(s.Info)
	h.NoticeCaveat = s.NoticeCaveat()
	pm := plots.Meta{Scenario: m.Scenario, Seed: m.Seed, Replicates: m.Replicates, Version: m.Version, Hash: m.Hash}
	if err := h.grade(ctx, s, res, pm, in.Workers); err != nil {
		return nil, err
	}
	sm := stats.Summarize(&res.Config, res.Replicates)
	h.Outcomes, h.Converged, h.ConvergedEnd = sm.Outcomes, sm.Converged, sm.ConvergedEnd
	h.OutcomeNote = outcomeNote(h.Kernel, res.Config.Convergence)
	for i, p := range sm.QuantileProbs {
		h.ConvSteps = append(h.ConvSteps, convQuantile{P: p, Step: sm.Quantiles[i]})
	}
	h.Key, h.All = measures(h.Kernel, res.Replicates)
	var err error
	if h.Params, err = ChangedParams(s); err != nil {
		return nil, err
	}
	if err := h.charts(res, pm); err != nil {
		return nil, err
	}
	return h, nil
}

// info sets the scenario's texts, with its keys as code and an exercise's
// solution set apart from its task.
func (h *Run) info(info scenarios.Info) {
	keys := knownKeys()
	h.How = codify(info.How, keys)
	task, sol := splitSolution(info.What)
	h.Task, h.Solution = codify(task, keys), codify(sol, keys)
	for _, t := range info.Notice {
		h.Notice = append(h.Notice, codify(t, keys))
	}
	for _, t := range info.Try {
		h.Try = append(h.Try, codify(t, keys))
	}
	for _, r := range info.References {
		h.References = append(h.References, linkify(r))
	}
}

// grade grades the scenario's goals on the run's replicates and tests its
// claims, each with its chart.
func (h *Run) grade(ctx context.Context, s *scenarios.Scenario, res *sim.Result, pm plots.Meta, workers int) error {
	h.Goals = goals.Grade(s.Expect, res.Replicates)
	for _, g := range h.Goals {
		if g.Pass {
			h.GoalsMet++
		}
	}
	for _, c := range s.Expect {
		if !c.IsClaim() {
			continue
		}
		cl, err := goals.Run(ctx, s, c, sim.RunOptions{Workers: workers})
		if err != nil {
			return err
		}
		v, err := newClaimView(cl, pm, fmt.Sprintf("claim-%d", len(h.Claims)+1))
		if err != nil {
			return err
		}
		h.Claims = append(h.Claims, v)
	}
	return nil
}

// charts draws the run's charts with their reading guides.
func (h *Run) charts(res *sim.Result, pm plots.Meta) error {
	for _, name := range plots.Charts(res) {
		fig, err := plots.Draw(name, res, pm)
		if err != nil {
			return err
		}
		title, guide := plots.Reading(name, res)
		svg, err := figureSVG(fig, title)
		if err != nil {
			return err
		}
		h.Charts = append(h.Charts, chart{ID: "chart-" + name, Title: title, Reading: guide, SVG: svg, Tall: tall(svg)})
	}
	if len(h.Charts) > 1 {
		// The first chart (convergence) leads; the others follow from the
		// shortest to the tallest, which fills printed pages best.
		rest := h.Charts[1:]
		slices.SortStableFunc(rest, func(a, b chart) int { return cmp.Compare(height(a.SVG), height(b.SVG)) })
	}
	return nil
}

// ChartColumns deals the charts into the two columns they print in, so
// that the columns end as nearly level as can be: the first chart
// (convergence) leads the first column, and each column keeps the charts'
// order. A chart's height is estimated from its aspect and the length of
// its reading guide, which prints below it.
func (h *Run) ChartColumns() [][]chart {
	if len(h.Charts) < 2 {
		return [][]chart{h.Charts}
	}
	est := make([]float64, len(h.Charts))
	for i, c := range h.Charts {
		// In units of the column's width: the chart, the guide's lines
		// (about 70 characters each) and the space below the figure.
		est[i] = height(c.SVG) + 0.038*math.Ceil(float64(len(c.Reading)+16)/70) + 0.04
	}
	best, bestMax := 0, math.Inf(1)
	n := len(h.Charts)
	for mask := 0; mask < 1<<n; mask += 2 { // bit i set: chart i goes right; chart 0 stays left
		var l, r float64
		for i := range n {
			if mask&(1<<i) != 0 {
				r += est[i]
			} else {
				l += est[i]
			}
		}
		if m := math.Max(l, r); m < bestMax-1e-9 {
			best, bestMax = mask, m
		}
	}
	cols := make([][]chart, 2)
	for i, c := range h.Charts {
		side := 0
		if best&(1<<i) != 0 {
			side = 1
		}
		cols[side] = append(cols[side], c)
	}
	return cols
}

// outcomeNote says how the outcome classes are read for kernel k.
func outcomeNote(k string, c sim.ConvergenceConfig) string {
	if k == "axelrod" {
		return "Outcomes are Galan and Izquierdo's (2005) regions of the mean traits at the end: established at boldness ≤ 2/7 with vengefulness ≥ 5/7, collapsed at boldness ≥ 6/7 with vengefulness ≤ 1/7, contested otherwise."
	}
	return fmt.Sprintf("Outcomes (95%% Wilson intervals) are read over the last %d steps on practice P (restraint among non-revisionists) and expectations B (mean restraint belief), high at ≥ %s, low at ≤ %s: established (both high), latent (P high, B low), hollow (B high, P low), collapsed (both low), contested otherwise.",
		c.Window, goals.Num(c.High), goals.Num(c.Low))
}

// keyMeasures are the measures a kernel's handout shows in its results, by
// name (a column of replicates.csv), with what each means.
var keyMeasures = map[string][][2]string{
	"cyber": {
		{"final_restraint", "practice P: restraint among non-revisionists"},
		{"final_belief", "expectations B: mean restraint belief"},
		{"expectation_gap", "belief minus practice"},
		{"restraint_rate", "restraint over all opportunities"},
		{"true_accusations", "culprits named, per step"},
		{"false_accusations", "innocents named, per step"},
		{"spirals", "escalation spirals, per step"},
		{"credibility_mean", "accusers' mean credibility"},
		{"adoption", "share of states that adopted the text"},
		{"stringency", "stringency of the text in force"},
		{"legitimacy_mean", "adopters' mean legitimacy"},
	},
	"axelrod": {
		{"restraint_rate", "opportunities not taken"},
		{"boldness_mean", "mean boldness"},
		{"vengefulness_mean", "mean vengefulness"},
		{"payoff_mean", "mean payoff per agent"},
	},
	"game": {
		{"restraint_rate", "share of cooperators"},
		{"payoff_mean", "mean payoff per state"},
	},
}

// measures computes the key measures of kernel k and every measure, each
// over the replicates' values over the last convergence window.
func measures(k string, reps []sim.Replicate) (key, all []measure) {
	of := func(name, meaning string) measure {
		x := make([]float64, len(reps))
		for i, r := range reps {
			x[i] = goals.Value(name, r)
		}
		return newMeasure(name, meaning, x)
	}
	list, ok := keyMeasures[k]
	if !ok {
		list = keyMeasures["game"]
	}
	for _, km := range list {
		m := of(km[0], km[1])
		if math.IsNaN(m.Mean) || km[0] == "adoption" && m.Max == 0 {
			continue // no value, or no text was ever adopted
		}
		key = append(key, m)
	}
	for _, name := range []string{"final_restraint", "final_belief"} {
		all = append(all, of(name, ""))
	}
	for m := range sim.NumMetrics {
		switch m {
		case sim.ForumMarker, sim.EventMarker:
			continue
		}
		all = append(all, of(m.String(), ""))
	}
	return key, all
}

func newMeasure(name, meaning string, x []float64) measure {
	v, _ := stats.Finite(x)
	m := measure{Name: name, Meaning: meaning, Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), SD: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	if len(v) == 0 {
		return m
	}
	m.Mean, m.Lo, m.Hi = stats.Mean(v, goals.Support(name))
	m.Min, m.Max = math.Inf(1), math.Inf(-1)
	var ss float64
	for _, y := range v {
		m.Min, m.Max = math.Min(m.Min, y), math.Max(m.Max, y)
		ss += (y - m.Mean) * (y - m.Mean)
	}
	if len(v) > 1 {
		m.SD = math.Sqrt(ss / float64(len(v)-1))
	}
	return m
}

// Kind is the class of the document's body, which its print style
// follows.
func (h *Run) Kind() string { return "run" }

// DocTitle is the title of the document.
func (h *Run) DocTitle() string { return fmt.Sprintf("%s (%s)", h.Title, h.Name) }

// Footer is the provenance line at the end.
func (h *Run) Footer() string {
	return fmt.Sprintf("Made by normsim %s from scenario %s, hash %s, seed %d.", h.Program, h.Name, h.Hash, h.Seed)
}

// Render writes the handout as one self-contained HTML document that is
// also well-formed XML (XHTML syntax).
func (h *Run) Render(w io.Writer) error { return runTemplate.ExecuteTemplate(w, "run", h) }

var runTemplate = template.Must(template.Must(template.New("handout").Funcs(funcs).Parse(head)).Parse(claimHTML + runHTML))

const runHTML = `{{define "run"}}{{template "head" .}}<header>
<h1>{{.Title}}</h1>
<p class="sub">Scenario <code>{{.Name}}</code>{{if .File}} from <code>{{.File}}</code>{{end}}: a handout made by normsim.</p>
<div class="provenance">
<b>{{plural .Finished "replicate" "replicates"}}</b> of <b>{{.Steps}} steps</b>, master seed <b>{{.Seed}}</b>, kernel {{.Kernel}};
normsim {{.Version}}{{if ne .Version .Program}} (handout by normsim {{.Program}}){{end}}; scenario hash <code>{{short .Hash}}</code>.
{{.Source}}
</div>
{{if .Incomplete}}<p class="warning">Incomplete run: {{.Incomplete}}</p>{{end}}
</header>

<section id="about">
<h2>About this scenario</h2>
{{if .Task}}<p>{{.Task}}</p>{{end}}
{{if .How}}<h3>How it works</h3>
<p>{{.How}}</p>{{end}}
{{if .Notice}}<h3>Things to notice</h3>
{{if .NoticeCaveat}}<p class="caveat">{{.NoticeCaveat}}</p>{{end}}
<ul>{{range .Notice}}
<li>{{.}}</li>{{end}}
</ul>{{end}}
{{if .Try}}<h3>Things to try</h3>
<ul>{{range .Try}}
<li>{{.}}</li>{{end}}
</ul>{{end}}
{{if .Solution}}<div class="solution" id="solution">
<h3>Solution</h3>
<p>{{.Solution}}</p>
</div>{{end}}
{{if .References}}<div class="refs"><b>References.</b>{{range $i, $r := .References}} [{{inc $i}}] {{$r}}{{end}}</div>{{end}}
</section>
{{if .Goals}}
<section id="goals">
<div class="keep">
<h2>Goals: {{.GoalsMet}} of {{len .Goals}} met</h2>
<table class="wide">
<thead><tr><th>#</th><th>goal</th><th class="n">measured</th><th class="n">95% interval</th><th>verdict</th></tr></thead>
<tbody>{{range $i, $g := .Goals}}
<tr><td>{{inc $i}}</td><td><code>{{goal $g.Goal}}</code>{{if $g.Note}}<br /><span class="note">{{$g.Note}}</span>{{end}}{{if and (not $g.Pass) $g.Goal.Hint}}<br /><span class="hint">Hint: {{$g.Goal.Hint}}</span>{{end}}</td><td class="n">{{num $g.Value}}</td><td class="n">{{interval $g.Lo $g.Hi}}{{if $g.Method}} <span class="note">({{$g.Method}})</span>{{end}}</td><td class="{{$g.Verdict}}">{{$g.Verdict}}{{if $g.Close}} (close call){{end}}</td></tr>{{end}}
</tbody>
</table>
</div>
<p class="note">A goal is a statistic over the replicates with its 95% interval (mean: Student's t; share: Wilson; quantile: order statistics). It is met when the statistic is within its bounds; a close call is one whose interval crosses a bound, so that another seed could change the verdict.</p>
</section>{{end}}
{{if .Claims}}
<section id="claims">
<h2>Claims</h2>
<p class="note">A claim is a direction: the mean of a measure must rise, fall, peak, dip or differ as one key varies. Every variant runs with the same seeds, so replicate r of each variant meets the same luck and the differences are paired; a difference counts when its 95% interval excludes zero.</p>
{{range .Claims}}<div class="claim" id="{{.ID}}">
<h3>{{.Claim.Expect.Claim}}</h3>
{{template "claimtest" .}}</div>
{{end}}</section>{{end}}

<section id="parameters">
<h2>Parameters that differ from the defaults</h2>
{{if .Params}}<ul class="params">{{range .Params}}
<li><code>{{.Key}} = {{.Value}}</code> <span class="note">(default {{.Default}})</span></li>{{end}}
<li class="note">What each key means: in the appendix (open it in the browser).</li>
</ul>{{else}}<p>None: every key has its default.</p>{{end}}
{{if .Events}}<table class="wide keep">
<caption>Timeline</caption>
<thead><tr><th class="n">step</th><th>event</th><th>sets</th></tr></thead>
<tbody>{{range .Events}}
<tr><td class="n">{{.Step}}</td><td>{{.Label}}</td><td>{{range $i, $a := .Set}}{{if $i}}, {{end}}<code>{{$a.Key}} = {{num $a.Value}}</code>{{end}}</td></tr>{{end}}
</tbody>
</table>{{end}}
</section>

<section id="results">
<div class="keep">
<h2>Results</h2>
<table class="wide">
<caption>Outcomes</caption>
<thead><tr><th></th>{{range .Outcomes}}<th class="n">{{.Outcome}}</th>{{end}}</tr></thead>
<tbody>
<tr><td>replicates</td>{{range .Outcomes}}<td class="n">{{.Count}} of {{.N}}</td>{{end}}</tr>
<tr><td>share</td>{{range .Outcomes}}<td class="n">{{pct .Share}}</td>{{end}}</tr>
<tr><td>95% interval</td>{{range .Outcomes}}<td class="n">{{pct .Lo}} to {{pct .Hi}}</td>{{end}}</tr>
</tbody>
</table>
</div>
<p class="note">{{.OutcomeNote}} {{if .Converged}}Expectations converged in {{.Converged}} of {{.Finished}} replicates ({{.ConvergedEnd}} still converged at the end), at steps with quantiles{{range $i, $q := .ConvSteps}}{{if $i}},{{end}} {{pct $q.P}}: {{num $q.Step}}{{end}}.{{else}}Expectations converged in none of the {{.Finished}} replicates.{{end}}</p>
{{if .Key}}<table class="wide keep">
<caption>Key measures <span class="note">(each replicate's mean over the last window, averaged over replicates, with a Student's t interval; the appendix lists every measure)</span></caption>
<thead><tr><th>measure</th><th class="n">mean</th><th class="n">95% interval</th><th>meaning</th></tr></thead>
<tbody>{{range .Key}}
<tr><td><code>{{.Name}}</code></td><td class="n">{{num .Mean}}</td><td class="n">{{interval .Lo .Hi}}</td><td class="doc">{{.Meaning}}</td></tr>{{end}}
</tbody>
</table>{{end}}
</section>

<section id="charts">
<h2>Charts</h2>
{{if .Claims}}<div class="claim-charts{{if eq (len .Claims) 1}} single{{end}}">{{range .Claims}}
<div class="claim-chart" id="{{.Chart.ID}}">{{.Chart.SVG}}</div>{{end}}
<p class="reading"><b>How to read the claim {{if eq (len .Claims) 1}}chart{{else}}charts{{end}}.</b> {{claimReading}}</p>
</div>
{{end}}<div class="charts">{{range .ChartColumns}}
<div class="chart-column">
{{range .}}{{template "chart" .}}
{{end}}</div>{{end}}
</div>
</section>

<details class="appendix" id="appendix">
<summary>Appendix: {{if .Params}}the parameters' meanings, {{end}}every measure and the resolved scenario <span>(collapsed: open it to read it or to print it)</span></summary>
{{if .Params}}<h3>What the changed parameters mean</h3>
<table class="wide">
<thead><tr><th>key</th><th class="n">value</th><th class="n">default</th><th>meaning</th></tr></thead>
<tbody>{{range .Params}}
<tr><td><code>{{.Key}}</code></td><td class="n wrap"><code>{{.Value}}</code></td><td class="n wrap"><code>{{.Default}}</code></td><td class="doc">{{.Doc}}</td></tr>{{end}}
</tbody>
</table>{{end}}
<h3>Every measure</h3>
<p>Each replicate's mean over the last convergence window (final_restraint and final_belief: practice and expectations), over replicates.</p>
<table class="wide">
<thead><tr><th>measure</th><th class="n">mean</th><th class="n">95% interval</th><th class="n">sd</th><th class="n">min</th><th class="n">max</th></tr></thead>
<tbody>{{range .All}}
<tr><td><code>{{.Name}}</code></td><td class="n">{{num .Mean}}</td><td class="n">{{interval .Lo .Hi}}</td><td class="n">{{num .SD}}</td><td class="n">{{num .Min}}</td><td class="n">{{num .Max}}</td></tr>{{end}}
</tbody>
</table>
<h3>The scenario, resolved</h3>
<p>Every key with its value. Saved as a file, it reproduces these results exactly: <code>normsim run scenario.toml</code> (same seed, same bytes).</p>
<pre>{{.Resolved}}</pre>
</details>
{{template "foot" .}}{{end}}`
