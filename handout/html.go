package handout

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/plots"
)

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
		return "", fmt.Errorf("handout: no <svg> element in the %s chart", label)
	}
	doc = doc[i:]
	end := bytes.IndexByte(doc, '>')
	if end < 0 {
		return "", fmt.Errorf("handout: unclosed <svg> tag in the %s chart", label)
	}
	root := svgSizeRE.ReplaceAll(doc[:end], nil)
	var b strings.Builder
	b.Write(root)
	fmt.Fprintf(&b, ` role="img" aria-label="%s"`, template.HTMLEscapeString(label))
	b.Write(doc[end:])
	return template.HTML(strings.TrimSpace(b.String())), nil
}

// figureSVG renders a figure as an inline SVG element.
func figureSVG(f *plots.Figure, label string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := f.WriteSVG(&buf); err != nil {
		return "", err
	}
	return inlineSVG(buf.Bytes(), label)
}

var viewBoxRE = regexp.MustCompile(`viewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+) ([0-9.]+)"`)

// size is the width and height of an inline SVG's view box (0 when it
// has none).
func size(svg template.HTML) (w, h float64) {
	m := viewBoxRE.FindStringSubmatch(string(svg))
	if m == nil {
		return 0, 0
	}
	w, _ = strconv.ParseFloat(m[1], 64)
	h, _ = strconv.ParseFloat(m[2], 64)
	return w, h
}

// height is an inline SVG's height relative to its width.
func height(svg template.HTML) float64 {
	w, h := size(svg)
	if w == 0 {
		return 0
	}
	return h / w
}

// tall reports whether an inline SVG is higher than wide by a third.
func tall(svg template.HTML) bool { return height(svg) > 1.34 }

// wide reports whether an inline SVG is drawn wider than the charts of a
// run (8 inches, 576 points): a landscape chart.
func wide(svg template.HTML) bool {
	w, _ := size(svg)
	return w > 700
}

// chart is one chart with how to read it. The chart draws its own title
// (the same as Title, which labels it for screen readers), so the caption
// holds only the reading guide.
type chart struct {
	ID, Title, Reading string
	SVG                template.HTML
	Tall               bool // higher than wide by a third: printed narrower
	Wide               bool // wider than a page's width: printed across it, its guide below
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

// codeRE finds what a reader would type in a text: a normsim command (up
// to the colon, comma or parenthesis that ends it), a --set assignment,
// or a key path assigned a value ("forum.every = 25", with a list of
// numbers after it).
var codeRE = regexp.MustCompile(
	`normsim [a-z]+(?: [^\s:,;()]*[^\s:,;().])*` +
		`|--set [A-Za-z0-9_."\[\]-]+=[^\s:,;()]+` +
		`|\b[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+ = (?:"[^"]*"|\[[^\]]*\]|[A-Za-z0-9_.+-]+)(?:,\s[0-9][0-9.]*)*`)

// codify escapes text and sets in <code> the commands, --set assignments
// and key assignments in it, and the names of the keys it mentions
// (keys: the configuration keys of a scenario, such as "forum.every").
func codify(s string, keys map[string]bool) template.HTML {
	var b strings.Builder
	last := 0
	for _, m := range codeRE.FindAllStringIndex(s, -1) {
		end := m[1]
		for end > m[0] && strings.ContainsRune(".", rune(s[end-1])) {
			end-- // a full stop ends the sentence, not the command
		}
		b.WriteString(codeKeys(s[last:m[0]], keys))
		fmt.Fprintf(&b, "<code>%s</code>", template.HTMLEscapeString(s[m[0]:end]))
		last = end
	}
	b.WriteString(codeKeys(s[last:], keys))
	return template.HTML(b.String())
}

var keyRE = regexp.MustCompile(`\b[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+\b`)

// codeKeys escapes text and sets the known key paths in it in <code>.
func codeKeys(s string, keys map[string]bool) string {
	var b strings.Builder
	last := 0
	for _, m := range keyRE.FindAllStringIndex(s, -1) {
		if !keys[s[m[0]:m[1]]] {
			continue
		}
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		fmt.Fprintf(&b, "<code>%s</code>", template.HTMLEscapeString(s[m[0]:m[1]]))
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return b.String()
}

// splitSolution separates an exercise's task from its solution: the text
// from "SOLUTION:" on (the solution files' convention) is the solution.
func splitSolution(what string) (task, solution string) {
	i := strings.Index(what, "SOLUTION:")
	if i < 0 {
		return what, ""
	}
	return strings.TrimSpace(what[:i]), strings.TrimSpace(what[i+len("SOLUTION:"):])
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", 100*x)
}

func signed(x float64) string {
	if x > 0 {
		return "+" + goals.Num(x)
	}
	return goals.Num(x)
}

// interval writes "[lo, hi]", or "no interval".
func interval(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "no interval"
	}
	return "[" + goals.Num(lo) + ", " + goals.Num(hi) + "]"
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// breakable escapes a key path and lets a line break after each dot, so
// that a long key in a column's header wraps instead of widening the
// column.
func breakable(key string) template.HTML {
	return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(key), ".", ".<wbr />"))
}

// funcs are the template functions of every handout.
var funcs = template.FuncMap{
	"num":          goals.Num,
	"pct":          pct,
	"signed":       signed,
	"interval":     interval,
	"short":        short,
	"inc":          func(i int) int { return i + 1 },
	"goal":         goals.Describe,
	"breakable":    breakable,
	"claimReading": func() string { return claimReading },
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %s", n, many)
	},
}

// css lays a handout out for the screen and for print on A4. In print the
// body is small and dense, charts take about two thirds of the width with
// their reading guide beside them (a run's handout prints them in two
// columns: [runCSS]), nothing but a claim of the study starts a page,
// small tables and figures never split, and a collapsed appendix is left
// out.
const css = `
:root { --ink: #1d1d1f; --muted: #55555f; --rule: #d6d6dc; --pass: #0b6e3a; --fail: #a3121a; --accent: #0072b2; --sol: #8a5200; }
* { box-sizing: border-box; }
html { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink); background: #fff; }
body { max-width: 58rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; line-height: 1.42; font-size: 11pt; }
h1 { font-size: 1.6em; margin: 0 0 0.2rem; line-height: 1.2; }
h2 { font-size: 1.25em; margin: 1.6rem 0 0.5rem; padding-bottom: 0.15rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.02em; margin: 0.9rem 0 0.3rem; }
p, li { margin: 0.3rem 0; }
ul, ol { margin: 0.3rem 0; padding-left: 1.4rem; }
.sub { color: var(--muted); margin: 0 0 0.6rem; }
.provenance { font-size: 0.88em; color: var(--muted); border: 1px solid var(--rule); border-radius: 4px; padding: 0.4rem 0.7rem; }
.provenance b { color: var(--ink); }
.warning { border: 2px solid var(--fail); color: var(--fail); padding: 0.4rem 0.7rem; border-radius: 4px; }
.solution { border: 2px dashed var(--sol); background: #fff7e8; border-radius: 4px; padding: 0.3rem 0.8rem 0.5rem; margin: 0.8rem 0; }
.caveat { font-style: italic; color: #555; }
.solution h3 { color: var(--sol); margin-top: 0.3rem; }
.refs { font-size: 0.85em; color: var(--muted); }
.stale { color: var(--fail); font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.4rem 0 0.8rem; font-size: 0.9em; }
table.wide { width: 100%; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.2rem; }
caption .note { font-weight: normal; }
th, td { text-align: left; padding: 0.18rem 0.5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { border-bottom: 2px solid var(--ink); }
th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.wrap { white-space: normal; }
th.n { white-space: normal; }
table.points th { font-size: 0.92em; }
td.doc { color: var(--muted); font-size: 0.92em; }
.tables { display: flex; flex-wrap: wrap; column-gap: 2rem; align-items: flex-start; }
code, pre { font-family: "Liberation Mono", "DejaVu Sans Mono", Consolas, monospace; font-size: 0.88em; }
code { background: #f1f1f4; border-radius: 3px; padding: 0 0.2em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f8; border: 1px solid var(--rule); padding: 0.6rem; font-size: 8pt; line-height: 1.3; }
.PASS, .SUPPORTED, .yes { color: var(--pass); font-weight: bold; }
.FAIL, .NOT-SUPPORTED, .no { color: var(--fail); font-weight: bold; }
.sig { font-weight: bold; }
.hint, .note { color: var(--muted); font-style: italic; }
.verdict { border-left: 4px solid var(--rule); padding: 0.2rem 0.7rem; margin: 0.5rem 0; }
.verdict.ok { border-color: var(--pass); }
.verdict.bad { border-color: var(--fail); }
.verdict b { font-size: 1.05em; }
figure { margin: 0.9rem 0; }
figure.chart { display: grid; grid-template-columns: minmax(0, 64%) minmax(0, 1fr); column-gap: 1rem; align-items: start; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 0.88em; color: var(--muted); }
figcaption b { color: var(--ink); }
details.appendix { margin-top: 1.6rem; border-top: 2px solid var(--accent); padding-top: 0.4rem; }
details.appendix > summary { cursor: pointer; font-weight: bold; font-size: 1.1em; }
details.appendix > summary span { font-weight: normal; font-size: 0.9em; color: var(--muted); }
.toc td:first-child { white-space: nowrap; }
footer { margin-top: 1.5rem; font-size: 0.82em; color: var(--muted); }
figure.chart.wide { grid-template-columns: minmax(0, 1fr); row-gap: 0.3rem; }
@media (max-width: 44rem) { figure.chart { grid-template-columns: minmax(0, 1fr); } }
@page { size: A4; margin: 13mm 12mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 8.5pt; line-height: 1.3; }
  h1 { font-size: 16pt; }
  h2 { font-size: 11.5pt; margin: 3.5mm 0 1.5mm; }
  h3 { font-size: 10pt; margin: 2.5mm 0 1mm; }
  h2, h3, caption { break-after: avoid; }
  figure, .keep, tr, .provenance, .warning, .solution, .verdict, li { break-inside: avoid; }
  figure { margin: 2.5mm 0; }
  figure.chart { grid-template-columns: 100mm minmax(0, 1fr); column-gap: 5mm; }
  figure.chart.tall { grid-template-columns: 86mm minmax(0, 1fr); }
  figure.chart.wide { grid-template-columns: minmax(0, 1fr); }
  thead { display: table-header-group; }
  details.appendix:not([open]) { display: none; }
  section.claim { break-before: page; }
  section.claim figure.chart { grid-template-columns: 90mm minmax(0, 1fr); }
  section.claim h3 { margin: 1.8mm 0 0.8mm; }
  section.claim h2 { margin-top: 0; }
  a { color: inherit; text-decoration: none; }
  code { background: none; padding: 0; }
  pre { font-size: 7pt; }
  figcaption { font-size: 7.5pt; }
  table { font-size: 8pt; margin: 1mm 0 2mm; }
  table.points { font-size: 7.5pt; }
  p, li { margin: 0.8mm 0; }
}
` + runCSS

// runCSS lays out a run's handout (body class "run") to print on two or
// three pages: smaller type and margins than the other handouts; the
// changed parameters as a list in two columns (the appendix says what
// they mean); the claims' charts open the charts section, small and three
// to a row, with one reading guide for them all (each claim's numbers are
// in its table above); then the run's charts in two columns, each with its
// reading guide below it, dealt by [Run.ChartColumns] so that the columns
// end level. No block larger than a chart or a small table is kept from
// breaking across pages. The footer is not printed: the header gives the
// same provenance.
const runCSS = `
.claim-charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); column-gap: 1rem; align-items: start; }
.claim-charts > .reading { grid-column: 1 / -1; }
.claim-charts > .claim-chart:nth-of-type(odd):last-of-type + .reading { grid-column: 2; align-self: center; }
.claim-chart svg { display: block; width: 100%; height: auto; }
ul.params { columns: 2; column-gap: 1.5rem; list-style: none; padding: 0; font-size: 0.9em; }
ul.params li { margin: 0; break-inside: avoid; }
.reading { font-size: 0.88em; color: var(--muted); }
.reading b { color: var(--ink); }
@media screen and (max-width: 44rem) {
  .claim-charts { grid-template-columns: minmax(0, 1fr); }
  .claim-charts > .claim-chart:nth-of-type(odd):last-of-type + .reading { grid-column: auto; }
  ul.params { columns: 1; }
}
@page run { size: A4; margin: 10mm 11mm 11mm; }
@media print {
  body.run { page: run; font-size: 8pt; line-height: 1.28; }
  body.run table { font-size: 7.5pt; }
  body.run th, body.run td { padding: 0.3mm 1.2mm; line-height: 1.2; }
  body.run figcaption, body.run .reading { font-size: 7pt; }
  #claims .claim > p { break-after: avoid; }
  .claim-charts { grid-template-columns: repeat(3, minmax(0, 1fr)); column-gap: 5mm; }
  .claim-charts.single { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .claim-charts > .claim-chart:nth-of-type(odd):last-of-type + .reading { grid-column: auto; }
  .claim-charts > .reading { grid-column: auto; align-self: center; }
  .claim-chart { break-inside: avoid; }
  ul.params { font-size: 7pt; column-gap: 6mm; }
  .charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); column-gap: 5mm; align-items: start; }
  .charts figure.chart { display: block; margin: 0 0 2.5mm; }
  .charts figure.chart.tall svg { width: 88%; }
  .charts figure.chart figcaption { margin-top: 1mm; line-height: 1.22; }
  body.run footer { display: none; }
}
`

// head and foot are the parts every handout shares.
const head = `{{define "head"}}<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="normsim {{.Program}}" />
<title>{{.DocTitle}}</title>
<style>` + css + `</style>
</head>
<body class="{{.Kind}}">
{{end}}
{{define "chart"}}<figure class="chart{{if .Tall}} tall{{end}}{{if .Wide}} wide{{end}}" id="{{.ID}}">
{{.SVG}}
<figcaption><b>How to read it.</b> {{.Reading}}</figcaption>
</figure>{{end}}
{{define "foot"}}<footer>
<p>{{.Footer}} The handout is one self-contained file: it loads nothing from the network. A collapsed appendix, when there is one, prints only when opened first.</p>
</footer>
</body>
</html>
{{end}}`
