package main

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"regexp"
	"strings"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/plots"
	"github.com/normsim/normsim/sim"
)

// handout is what a handout shows: the scenario's text, its results and
// the provenance to reproduce them.
type handout struct {
	Name, Title, File string
	What, How         string
	Notice, Try       []string
	References        []template.HTML // with links
	Source            string          // how the results were obtained
	Kernel            string
	Steps             int
	Requested         int // replicates asked for
	Finished          int
	Seed              uint64
	Version           string // of the program that made the results
	ReportVersion     string // of the program that made the handout, when it differs
	Hash              string
	Incomplete        string // why the run is incomplete, if it is

	Goals    []goals.Result
	GoalsMet int

	Outcomes  []stats.OutcomeShare
	Converged int
	ConvSteps []convQuantile
	Finals    []finalRow

	Charts   []chart
	Params   []paramDiff
	Events   []sim.Event
	Resolved string
}

type convQuantile struct {
	P    float64
	Step float64
}

// finalRow is one metric's final value over replicates.
type finalRow struct {
	Name               string
	Mean, SD, Min, Max float64
}

// chart is one inline SVG chart with how to read it.
type chart struct {
	Name, Title, Reading string
	SVG                  template.HTML
}

// chartText gives each chart a title and a reading guide (see the plots
// package doc for the full description).
var chartText = map[string][2]string{
	plots.ChartConvergence: {"Convergence: what states expect and what they do",
		"Top panel: the mean belief that others hold back (solid blue) and the actual restraint rate (dashed orange), the median over replicates with the band between the 10% and 90% quantiles. The gap between the lines is the expectation gap: unseen escalation looks like restraint. Bottom panel: the spread (standard deviation) of beliefs across states against the convergence threshold (dashed); forums (grey ticks) usually show as drops of the spread, events as dashed vertical lines."},
	plots.ChartAttribution: {"Attribution: who is named",
		"Top panel: detections, true accusations (the culprit named) and false accusations (an innocent named) per state per step. False accusations close to true ones mean attribution is noise. Bottom panel: the expectation gap, mean restraint belief minus restraint rate; above zero, states believe in more restraint than there is."},
	plots.ChartOutcomes: {"Outcomes and convergence times",
		"Left: the share of replicates in which the norm ended established, collapsed or contested, each with its 95% Wilson interval; shares whose intervals overlap are not shown to differ. Right: a histogram of the steps at which shared expectations converged, with the median."},
	plots.ChartTraits: {"Traits: boldness and vengefulness",
		"The mean readiness to escalate (boldness) and to punish (vengefulness) across states over time. In Axelrod's norms game a norm holds when boldness is low and vengefulness high; Galan and Izquierdo (2005) call it established at boldness <= 2/7 and vengefulness >= 5/7, collapsed at boldness >= 6/7 and vengefulness <= 1/7."},
	plots.ChartLattice: {"The lattice",
		"The first replicate's lattice at its last step (large) and at earlier steps. Blue: cooperated (restrained) and did so before; vermillion: defected (escalated) again; green: a new cooperator; yellow: a new defector. Green and yellow show where the lattice is still changing."},
}

var (
	svgSizeRE = regexp.MustCompile(`\s(width|height)="[^"]*"`)
	urlRE     = regexp.MustCompile(`https?://[^\s<>"]+`)
)

// inlineSVG turns an SVG document into an element to put inside HTML: no
// XML declaration or comment before it, and no fixed size on the root, so
// that CSS scales it through its viewBox.
func inlineSVG(doc []byte, label string) (template.HTML, error) {
	i := bytes.Index(doc, []byte("<svg"))
	if i < 0 {
		return "", fmt.Errorf("no <svg> element in the %s chart", label)
	}
	doc = doc[i:]
	end := bytes.IndexByte(doc, '>')
	if end < 0 {
		return "", fmt.Errorf("unclosed <svg> tag in the %s chart", label)
	}
	root := svgSizeRE.ReplaceAll(doc[:end], nil)
	var b strings.Builder
	b.Write(root)
	fmt.Fprintf(&b, ` role="img" aria-label="%s"`, template.HTMLEscapeString(label))
	b.Write(doc[end:])
	return template.HTML(strings.TrimSpace(b.String())), nil
}

// linkify escapes text and turns the web addresses in it into links.
func linkify(s string) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range urlRE.FindAllStringIndex(s, -1) {
		u := strings.TrimRight(s[m[0]:m[1]], ".,;:)")
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, template.HTMLEscapeString(u), template.HTMLEscapeString(u))
		last = m[0] + len(u)
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String())
}

// renderHandout writes the handout as one self-contained HTML document
// that is also well-formed XML (XHTML syntax), so that it can be checked
// with encoding/xml.
func renderHandout(w io.Writer, h *handout) error {
	return handoutTemplate.Execute(w, h)
}

var handoutTemplate = template.Must(template.New("handout").Funcs(template.FuncMap{
	"num": goals.Num,
	"pct": func(x float64) string {
		if math.IsNaN(x) {
			return "n/a"
		}
		return fmt.Sprintf("%.0f%%", 100*x)
	},
	"short": func(h string) string {
		if len(h) > 12 {
			return h[:12]
		}
		return h
	},
	"inc":  func(i int) int { return i + 1 },
	"goal": goals.Describe,
}).Parse(handoutHTML))

// handoutCSS lays the handout out for the screen and for print on A4: each
// part starts a page, charts scale to the page width and never split.
const handoutCSS = `
:root { --ink: #1d1d1f; --muted: #5b5b66; --rule: #d6d6dc; --pass: #0b6e3a; --fail: #a3121a; --accent: #0072b2; }
* { box-sizing: border-box; }
html { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink); background: #fff; }
body { max-width: 54rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; line-height: 1.45; font-size: 11pt; }
h1 { font-size: 1.7rem; margin: 0 0 0.3rem; line-height: 1.2; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
p, li { margin: 0.35rem 0; }
.sub { color: var(--muted); margin: 0 0 1rem; }
.provenance { font-size: 0.9rem; color: var(--muted); border: 1px solid var(--rule); border-radius: 4px; padding: 0.5rem 0.8rem; }
.provenance b { color: var(--ink); }
.warning { border: 2px solid var(--fail); color: var(--fail); padding: 0.5rem 0.8rem; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { border-bottom: 2px solid var(--ink); }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre { font-family: "Liberation Mono", "DejaVu Sans Mono", Consolas, monospace; font-size: 0.88em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f8; border: 1px solid var(--rule); padding: 0.6rem; font-size: 8pt; line-height: 1.3; }
.verdict { font-weight: bold; }
.PASS { color: var(--pass); }
.FAIL { color: var(--fail); }
.hint { color: var(--muted); font-style: italic; }
figure { margin: 1rem 0 1.5rem; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: var(--muted); margin-top: 0.3rem; }
figcaption b { color: var(--ink); }
footer { margin-top: 2rem; font-size: 0.85rem; color: var(--muted); }
@page { size: A4; margin: 15mm 14mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  section.part { break-before: page; }
  h2, h3 { break-after: avoid; }
  figure, tr, .provenance, .warning { break-inside: avoid; }
  thead { display: table-header-group; }
  figure svg { max-height: 150mm; }
  a { color: inherit; text-decoration: none; }
  pre { font-size: 7pt; }
}
`

const handoutHTML = `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="normsim {{.ReportVersionOrVersion}}" />
<title>{{.Title}} ({{.Name}})</title>
<style>` + handoutCSS + `</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p class="sub">Scenario <code>{{.Name}}</code>{{if .File}} from <code>{{.File}}</code>{{end}}: a handout made by normsim.</p>
<div class="provenance">
<b>{{.Finished}} replicate{{if ne .Finished 1}}s{{end}}</b> of <b>{{.Steps}} steps</b>, master seed <b>{{.Seed}}</b>, kernel {{.Kernel}};
normsim {{.Version}}{{if .ReportVersion}} (handout by normsim {{.ReportVersion}}){{end}}; scenario hash <code>{{short .Hash}}</code>.
{{.Source}}
</div>
{{if .Incomplete}}<p class="warning">Incomplete run: {{.Incomplete}}</p>{{end}}
</header>

<section>
<h2>About this scenario</h2>
{{if .What}}<h3>What it is</h3>
<p>{{.What}}</p>{{end}}
{{if .How}}<h3>How it works</h3>
<p>{{.How}}</p>{{end}}
{{if .Notice}}<h3>Things to notice</h3>
<ul>{{range .Notice}}
<li>{{.}}</li>{{end}}
</ul>{{end}}
{{if .Try}}<h3>Things to try</h3>
<ul>{{range .Try}}
<li>{{.}}</li>{{end}}
</ul>{{end}}
{{if .References}}<h3>References</h3>
<ol>{{range .References}}
<li>{{.}}</li>{{end}}
</ol>{{end}}
</section>
{{if .Goals}}
<section>
<h2>Goals: {{.GoalsMet}} of {{len .Goals}} met</h2>
<p>Each goal is a statistic over the replicates, with its 95% interval (mean: Student's t; share: Wilson; quantile: order statistics). A goal is met when the statistic is within its bounds; a close call is one whose interval crosses a bound.</p>
<table>
<thead><tr><th>#</th><th>goal</th><th>measured</th><th>95% interval</th><th>verdict</th></tr></thead>
<tbody>{{range $i, $g := .Goals}}
<tr><td>{{inc $i}}</td><td>{{goal $g.Goal}}{{if $g.Note}}<br /><span class="hint">{{$g.Note}}</span>{{end}}{{if and (not $g.Pass) $g.Goal.Hint}}<br /><span class="hint">Hint: {{$g.Goal.Hint}}</span>{{end}}</td><td class="n">{{num $g.Value}}</td><td class="n">[{{num $g.Lo}}, {{num $g.Hi}}] {{$g.Method}}</td><td class="verdict {{$g.Verdict}}">{{$g.Verdict}}{{if $g.Close}} (close call){{end}}</td></tr>{{end}}
</tbody>
</table>
</section>{{end}}

<section>
<h2>Results</h2>
<h3>Outcomes</h3>
<table>
<thead><tr><th>outcome</th><th>replicates</th><th>share</th><th>95% Wilson interval</th></tr></thead>
<tbody>{{range .Outcomes}}
<tr><td>{{.Outcome}}</td><td class="n">{{.Count}} of {{.N}}</td><td class="n">{{pct .Share}}</td><td class="n">{{pct .Lo}} to {{pct .Hi}}</td></tr>{{end}}
</tbody>
</table>
<p>{{if .Converged}}Shared expectations converged in {{.Converged}} of {{.Finished}} replicates, at steps with quantiles{{range $i, $q := .ConvSteps}}{{if $i}},{{end}} {{pct $q.P}}: {{num $q.Step}}{{end}}.{{else}}Shared expectations converged in none of the {{.Finished}} replicates.{{end}}</p>
<h3>Final values</h3>
<p>Each metric at the last step, over replicates (final_restraint is the restraint rate averaged over the last convergence window).</p>
<table>
<thead><tr><th>metric</th><th>mean</th><th>sd</th><th>min</th><th>max</th></tr></thead>
<tbody>{{range .Finals}}
<tr><td><code>{{.Name}}</code></td><td class="n">{{num .Mean}}</td><td class="n">{{num .SD}}</td><td class="n">{{num .Min}}</td><td class="n">{{num .Max}}</td></tr>{{end}}
</tbody>
</table>
</section>

<section class="part">
<h2>Charts</h2>
<p>Lines are the median over replicates; shaded bands span the 10% to 90% quantiles: a wide band means the replicates disagree, and the outcome depends on chance as well as on the scenario.</p>
{{range .Charts}}
<figure id="chart-{{.Name}}">
{{.SVG}}
<figcaption><b>{{.Title}}.</b> {{.Reading}}</figcaption>
</figure>
{{end}}
</section>

<section class="part">
<h2>Parameters that differ from the defaults</h2>
{{if .Params}}<table>
<thead><tr><th>key</th><th>value</th><th>default</th><th>meaning</th></tr></thead>
<tbody>{{range .Params}}
<tr><td><code>{{.Key}}</code></td><td><code>{{.Value}}</code></td><td><code>{{.Default}}</code></td><td>{{.Doc}}</td></tr>{{end}}
</tbody>
</table>{{else}}<p>None: every key has its default.</p>{{end}}
{{if .Events}}<h3>Timeline</h3>
<table>
<thead><tr><th>step</th><th>event</th><th>sets</th></tr></thead>
<tbody>{{range .Events}}
<tr><td class="n">{{.Step}}</td><td>{{.Label}}</td><td>{{range $i, $a := .Set}}{{if $i}}, {{end}}<code>{{$a.Key}} = {{num $a.Value}}</code>{{end}}</td></tr>{{end}}
</tbody>
</table>{{end}}
</section>

<section class="part">
<h2>Appendix: the scenario, resolved</h2>
<p>Every key with its value. Saved as a file, it reproduces these results exactly: <code>normsim run scenario.toml</code> (same seed, same bytes).</p>
<pre>{{.Resolved}}</pre>
</section>

<footer>
<p>Made by normsim {{.ReportVersionOrVersion}} from scenario <code>{{.Name}}</code>, hash <code>{{.Hash}}</code>, seed {{.Seed}}. The handout is one self-contained file: it loads nothing from the network.</p>
</footer>
</body>
</html>
`

// ReportVersionOrVersion is the version of the program that made the
// handout.
func (h *handout) ReportVersionOrVersion() string {
	if h.ReportVersion != "" {
		return h.ReportVersion
	}
	return h.Version
}
