package handout

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/results"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// runHandout runs a shipped scenario (with the --set assignments given)
// and builds its handout.
func runHandout(t *testing.T, name string, sets ...string) *Run {
	t.Helper()
	open := scenarios.Open
	if strings.HasSuffix(name, ".solution") {
		open = scenarios.OpenSolution
	}
	s, err := open(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sets {
		if err := s.Set(a); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := s.Config()
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), cfg, sim.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := results.Meta{Scenario: s.Name, Title: s.Title, Version: sim.Version, Hash: s.Hash(), Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates}
	h, err := NewRun(context.Background(), Input{Scenario: s, Config: cfg, Result: res, Meta: m, Source: "A test."})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func render(t *testing.T, r interface{ Render(io.Writer) error }) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.Render(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// element is an element of a parsed document, with its children.
type element struct {
	Name     string
	Attr     map[string]string
	Children []*element
	Text     string // all the text inside, children's included
}

func (e *element) class(c string) bool {
	return strings.Contains(" "+e.Attr["class"]+" ", " "+c+" ")
}

// all returns the elements named name under e, in document order.
func (e *element) all(name string) []*element {
	var out []*element
	for _, c := range e.Children {
		if c.Name == name {
			out = append(out, c)
		}
		out = append(out, c.all(name)...)
	}
	return out
}

// parse parses a handout as XML (it is written in XHTML syntax, so that a
// strict XML parser checks that every element is closed and nested).
func parse(t *testing.T, doc string) *element {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	d.Strict = true
	root := &element{Name: "#document"}
	stack := []*element{root}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			e := &element{Name: tk.Name.Local, Attr: map[string]string{}}
			for _, a := range tk.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			top := stack[len(stack)-1]
			top.Children = append(top.Children, e)
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			for _, e := range stack {
				e.Text += string(tk)
			}
		}
	}
	if len(stack) != 1 {
		t.Fatalf("unclosed elements")
	}
	return root
}

// numberRE matches a cell that holds only numbers: "0.25", "16 of 16",
// "[0.1, 0.2]", "45%", "0% to 19%", "+0.03".
var numberRE = regexp.MustCompile(`^[-+]?(\d[\d.e+-]*%?|n/a|inf)((,|\s|of|to|\[|\])+[-+]?(\d[\d.e+-]*%?|n/a|inf))*$`)

// checkStructure checks what every handout must be: well-formed, loading
// nothing from the network, no page break forced before a chart, the
// appendix collapsed, and numbers right-aligned under right-aligned
// headers.
func checkStructure(t *testing.T, name, doc string) *element {
	t.Helper()
	root := parse(t, doc)
	ext := regexp.MustCompile(`^\s*(https?:)?//`)
	var walk func(e *element)
	walk = func(e *element) {
		for k, v := range e.Attr {
			if (k == "src" || k == "srcset" || k == "href" || k == "data") && e.Name != "a" && ext.MatchString(v) {
				t.Errorf("%s: <%s %s=%q> loads from the network", name, e.Name, k, v)
			}
		}
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(root)
	if regexp.MustCompile(`url\(\s*['"]?(https?:)?//`).MatchString(doc) {
		t.Errorf("%s: CSS loads a url() from the network", name)
	}
	// Only a claim of the study starts a page.
	for _, m := range regexp.MustCompile(`([^{}]*)\{[^}]*break-before:\s*page`).FindAllStringSubmatch(css, -1) {
		if sel := strings.TrimSpace(m[1]); sel != "section.claim" {
			t.Errorf("%s: the print style starts a page before %q", name, sel)
		}
	}
	if !strings.Contains(css, "details.appendix:not([open]) { display: none; }") {
		t.Errorf("%s: the collapsed appendix is printed", name)
	}
	for _, d := range root.all("details") {
		if _, open := d.Attr["open"]; open {
			t.Errorf("%s: the appendix is open", name)
		}
	}
	for _, f := range root.all("figure") {
		if n := len(f.all("figcaption")); n != 1 {
			t.Errorf("%s: figure %s has %d captions, want 1", name, f.Attr["id"], n)
		}
	}
	for ti, tb := range root.all("table") {
		var head []*element
		for _, th := range tb.all("th") {
			head = append(head, th)
		}
		for _, tr := range tb.all("tr") {
			tds := tr.all("td")
			if len(tds) == 0 {
				continue
			}
			if len(tds) != len(head) {
				t.Errorf("%s: table %d: a row of %d cells under %d headers", name, ti, len(tds), len(head))
				continue
			}
			for i, td := range tds {
				txt := strings.TrimSpace(td.Text)
				if td.class("n") != head[i].class("n") {
					t.Errorf("%s: table %d column %q: cell %q and header aligned differently", name, ti, strings.TrimSpace(head[i].Text), txt)
				}
				if txt != "" && numberRE.MatchString(txt) && !td.class("n") && i > 0 {
					t.Errorf("%s: table %d column %q: the number %q is not right-aligned", name, ti, strings.TrimSpace(head[i].Text), txt)
				}
			}
		}
	}
	return root
}

func TestRunHandout(t *testing.T) {
	h := runHandout(t, "baseline", "run.steps=260", "run.replicates=3")
	doc := render(t, h)
	root := checkStructure(t, "baseline", doc)
	for _, want := range []string{`id="chart-convergence"`, `id="chart-outcomes"`, "Key measures", `<p class="caveat">These notices describe the scenario as written; this run changes run.steps, so they may not hold.</p>`, "<th class=\"n\">hollow</th>",
		"<code>forum.every</code></td><td class=\"n wrap\"><code>12</code></td><td class=\"n wrap\"><code>0</code>", "<code>normsim run baseline --set forum.every=0 -o runs/baseline-no-forum</code>"} {
		if !strings.Contains(doc, want) {
			t.Errorf("baseline: no %q", want)
		}
	}
	if !strings.Contains(doc, "Goals:") || strings.Contains(doc, `class="solution"`) {
		t.Errorf("baseline: no goals section, or a solution for a scenario without one")
	}
	// The outcomes of version 2, all five.
	for _, o := range sim.OutcomeNames() {
		if !strings.Contains(doc, ">"+o+"</th>") {
			t.Errorf("baseline: outcome %s missing", o)
		}
	}
	// Charts come with the reading guide of plots.Reading, once: the title
	// is the chart's own.
	for _, c := range h.Charts {
		if c.Reading == "" {
			t.Errorf("chart %s has no reading guide", c.ID)
		}
		if n := strings.Count(doc, template.HTMLEscapeString(c.Reading)); n != 1 {
			t.Errorf("chart %s: its reading guide appears %d times", c.ID, n)
		}
	}
	if n := len(root.all("svg")); n != len(h.Charts)+len(h.Claims) || n < 3 {
		t.Errorf("baseline: %d charts drawn, %d listed", n, len(h.Charts))
	}
	// The claims' charts share one reading guide; their own (which name
	// the measure) are the study's.
	if len(h.Claims) < 2 {
		t.Fatalf("baseline: %d claims, want 2 or more", len(h.Claims))
	}
	if n := strings.Count(doc, template.HTMLEscapeString(claimReading)); n != 1 {
		t.Errorf("the claims' reading guide appears %d times, want once", n)
	}
	for _, c := range h.Claims {
		if strings.Contains(doc, template.HTMLEscapeString(c.Chart.Reading)) {
			t.Errorf("claim %s: its own reading guide is in a run's handout", c.ID)
		}
	}
	// The changed parameters print as a list; what they mean is in the
	// appendix (the table above), not printed.
	if !strings.Contains(doc, "<li><code>forum.every = 12</code> <span class=\"note\">(default 0)</span></li>") {
		t.Errorf("baseline: forum.every is not in the list of changed parameters")
	}
	for _, d := range root.all("details") {
		if !strings.Contains(d.Text, h.Params[0].Doc) {
			t.Errorf("baseline: the appendix does not say what %s means", h.Params[0].Key)
		}
	}
	if !strings.Contains(doc, `<body class="run">`) {
		t.Errorf("baseline: the body is not of class run, which its print style needs")
	}
	var b bytes.Buffer
	if err := h.Render(&b); err != nil || b.String() != doc {
		t.Errorf("rendering twice gives other bytes")
	}
}

func TestExerciseHandout(t *testing.T) {
	task := render(t, runHandout(t, "exercises/restraint-emerges", "run.steps=80", "run.replicates=3"))
	checkStructure(t, "exercise", task)
	sh := runHandout(t, "exercises/restraint-emerges.solution", "run.steps=80", "run.replicates=3")
	sol := render(t, sh)
	root := checkStructure(t, "solution", sol)
	if strings.Contains(task, `class="solution"`) || strings.Contains(task, "SOLUTION") {
		t.Errorf("the exercise's handout shows a solution")
	}
	var box *element
	for _, d := range root.all("div") {
		if d.class("solution") {
			box = d
		}
	}
	if box == nil || !strings.Contains(box.Text, "Solution") {
		t.Fatalf("the solution's handout has no solution box")
	}
	if strings.Contains(string(sh.Task), "SOLUTION") || sh.Solution == "" {
		t.Errorf("the solution is still in the task's text")
	}
	for _, want := range []string{"Goals: ", "<code>mean final_restraint &gt;= 0.9</code>"} {
		if !strings.Contains(sol, want) {
			t.Errorf("solution: no %q", want)
		}
	}
}

func TestClaimInRunHandout(t *testing.T) {
	h := runHandout(t, "claims-joint", "run.replicates=4", "run.steps=60")
	if len(h.Claims) == 0 {
		t.Fatal("claims-joint: no claim tested")
	}
	doc := render(t, h)
	checkStructure(t, "claims-joint", doc)
	c := h.Claims[0]
	for _, want := range []string{c.Claim.Expect.Claim, "paired difference from the row above", "Effect size:", `id="claim-1-chart"`, c.Verdict + "</b>"} {
		if !strings.Contains(doc, want) {
			t.Errorf("claims-joint: no %q", want)
		}
	}
	if len(c.Variants) != len(c.Claim.Expect.Values) || c.Variants[0].HasDiff || !c.Variants[1].HasDiff {
		t.Errorf("claim variants %+v", c.Variants)
	}
}

func TestChangedParams(t *testing.T) {
	s, err := scenarios.Parse("c.toml", []byte(`schema = 1
name = "changed"
[run]
steps = 500
[forum]
inclusivity = 1.0
every = 25
dominance = 1.0
[decision]
rule = "logit"
conformity = 4.0
[expectations]
initial_spread = 0.1
`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ChangedParams(s)
	if err != nil {
		t.Fatal(err)
	}
	// The file sets seven keys, but only these to other than their
	// defaults, listed in the order of the resolved scenario.
	want := []Param{
		{Key: "expectations.initial_spread", Value: "0.1", Default: "0.0"},
		{Key: "forum.every", Value: "25", Default: "0"},
		{Key: "forum.dominance", Value: "1.0", Default: "0.0"},
		{Key: "decision.conformity", Value: "4.0", Default: "1.0"},
	}
	if len(got) != len(want) {
		t.Fatalf("ChangedParams = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Key != want[i].Key || got[i].Value != want[i].Value || got[i].Default != want[i].Default || got[i].Doc == "" {
			t.Errorf("ChangedParams[%d] = %+v, want %+v with its comment", i, got[i], want[i])
		}
	}
	if err := s.Set(`world.power={ dist = "constant", value = 2.0 }`); err != nil {
		t.Fatal(err)
	}
	got, _ = ChangedParams(s)
	if len(got) != len(want)+1 || got[0].Key != "world.power" || !strings.Contains(got[0].Value, "constant") {
		t.Errorf("after --set world.power: %+v", got)
	}
	def, err := scenarios.Parse("d.toml", []byte(defaultScenario))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := ChangedParams(def); len(got) != 0 {
		t.Errorf("ChangedParams of the defaults = %+v, want none", got)
	}
}

// svgOf is an inline SVG whose view box has height h for a width of 1.
func svgOf(h float64) template.HTML {
	return template.HTML(fmt.Sprintf(`<svg viewBox="0 0 576 %g"></svg>`, 576*h))
}

func TestChartColumns(t *testing.T) {
	var h Run
	if cols := h.ChartColumns(); len(cols) != 1 || len(cols[0]) != 0 {
		t.Errorf("no chart: columns %v", cols)
	}
	// A run's charts: convergence first, then from the shortest to the
	// tallest, each with a reading guide of some length.
	for i, hh := range []float64{0.75, 1, 1.25, 1.625} {
		h.Charts = append(h.Charts, chart{ID: fmt.Sprint(i), SVG: svgOf(hh), Reading: strings.Repeat("x", 400+100*i)})
	}
	cols := h.ChartColumns()
	var ids [2]string
	for i, c := range cols {
		for _, ch := range c {
			ids[i] += ch.ID
		}
	}
	// The most level split: 0.75 + 1.625 against 1 + 1.25, each column in
	// the charts' order, convergence leading the first.
	if len(cols) != 2 || ids != [2]string{"03", "12"} {
		t.Errorf("columns %q, want [03 12]", ids)
	}
	h.Charts = h.Charts[:1]
	if cols := h.ChartColumns(); len(cols) != 1 || len(cols[0]) != 1 {
		t.Errorf("one chart: %d columns", len(cols))
	}
}

func TestInlineSVG(t *testing.T) {
	doc := []byte("<?xml version=\"1.0\"?>\n<!-- Generated -->\n<svg width=\"576pt\" height=\"432pt\" viewBox=\"0 0 576 432\"\n\txmlns=\"http://www.w3.org/2000/svg\"><rect width=\"5\" height=\"6\"/></svg>\n")
	got, err := inlineSVG(doc, "a <chart>")
	if err != nil {
		t.Fatal(err)
	}
	want := "<svg viewBox=\"0 0 576 432\"\n\txmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"a &lt;chart&gt;\"><rect width=\"5\" height=\"6\"/></svg>"
	if string(got) != want {
		t.Errorf("inlineSVG = %q, want %q", got, want)
	}
	if height(got) != 0.75 || tall(got) {
		t.Errorf("height = %v, tall = %v", height(got), tall(got))
	}
	if _, err := inlineSVG([]byte("<p/>"), "x"); err == nil {
		t.Errorf("inlineSVG of a non-SVG: no error")
	}
}

func TestLinkify(t *testing.T) {
	got := linkify("Smith & Co (2005). JASSS 8(3) 2. https://www.jasss.org/8/3/2.html.")
	want := `Smith &amp; Co (2005). JASSS 8(3) 2. <a href="https://www.jasss.org/8/3/2.html">https://www.jasss.org/8/3/2.html</a>.`
	if string(got) != want {
		t.Errorf("linkify = %q, want %q", got, want)
	}
}

func TestCodify(t *testing.T) {
	keys := knownKeys()
	for _, c := range []struct{ in, want string }{
		{"normsim run baseline --set forum.every=0: no forum at all.",
			"<code>normsim run baseline --set forum.every=0</code>: no forum at all."},
		{"Run it first: normsim run exercises/restraint-emerges. The restraint rate falls.",
			"Run it first: <code>normsim run exercises/restraint-emerges</code>. The restraint rate falls."},
		{"--set attribution.false_flag=0 and compare.", "<code>--set attribution.false_flag=0</code> and compare."},
		{"Give the states a forum: forum.every = 25. Is a forum enough?", "Give the states a forum: <code>forum.every = 25</code>. Is a forum enough?"},
		{"attribution.evidence_standard = 1.0, 1.5, 2.0: fewer accusations", "<code>attribution.evidence_standard = 1.0, 1.5, 2.0</code>: fewer accusations"},
		{`Try axelrod.selection = "tournament".`, `Try <code>axelrod.selection = &#34;tournament&#34;</code>.`},
		{"Raise decision.conformity to 2, 3 (see timeseries.csv).", "Raise <code>decision.conformity</code> to 2, 3 (see timeseries.csv)."},
		{"a < b & c", "a &lt; b &amp; c"},
	} {
		if got := string(codify(c.in, keys)); got != c.want {
			t.Errorf("codify(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestSplitSolution(t *testing.T) {
	task, sol := splitSolution("Your task: find it. SOLUTION: metanorms.enabled = true. Because.")
	if task != "Your task: find it." || sol != "metanorms.enabled = true. Because." {
		t.Errorf("splitSolution = %q, %q", task, sol)
	}
	if task, sol := splitSolution("No solution here."); task != "No solution here." || sol != "" {
		t.Errorf("splitSolution without one = %q, %q", task, sol)
	}
}

// TestArgumentIsModel keeps the study's quotation of MODEL.md's argument
// word for word.
func TestArgumentIsModel(t *testing.T) {
	b, err := os.ReadFile("../docs/MODEL.md")
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	i := strings.Index(md, "## The argument being modelled")
	if i < 0 {
		t.Fatal("docs/MODEL.md has no section 'The argument being modelled'")
	}
	md = md[i+len("## The argument being modelled"):]
	if j := strings.Index(md, "\n## "); j >= 0 {
		md = md[:j]
	}
	words := func(s string) string {
		s = regexp.MustCompile(`<[^>]*>|\*|(?m)^\s*\d+\.\s`).ReplaceAllString(s, " ")
		return strings.Join(strings.Fields(s), " ")
	}
	if got, want := words(argumentHTML), words(md); got != want {
		t.Errorf("the study's argument is not MODEL.md's:\n got %q\nwant %q", got, want)
	}
}

func TestReadRobustness(t *testing.T) {
	in := "scenario,version,scenario_hash,seed,claim,setting,supported,effect,lo,hi\n" +
		"claims-x,0.2.0,abc,1,A claim,N=50 complete beta=2,true,0.5,0.25,0.75\n" +
		"claims-x,0.2.0,abc,1,A claim,N=50 complete beta=5,false,,,\n"
	rs, err := ReadRobustness(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0] != (RobustRow{"claims-x", "A claim", "N=50 complete beta=2", true, 0.5, 0.25, 0.75}) || rs[1].Supported || !math.IsNaN(rs[1].Effect) {
		t.Errorf("ReadRobustness = %+v", rs)
	}
	if _, err := ReadRobustness(strings.NewReader("scenario,claim\nx,y\n")); err == nil || !strings.Contains(err.Error(), `no column "setting"`) {
		t.Errorf("ReadRobustness of a file without settings: %v", err)
	}
	if _, err := ReadRobustness(strings.NewReader(strings.Replace(in, "0.25", "x", 1))); err == nil || !strings.Contains(err.Error(), "row 2") {
		t.Errorf("ReadRobustness of a bad number: %v", err)
	}
}

func TestRobustGrid(t *testing.T) {
	var rows []RobustRow
	for i, st := range goals.Settings() {
		rows = append(rows, RobustRow{Scenario: "s", Claim: "c", Setting: st.Name, Supported: i != 3, Effect: float64(i)})
	}
	rows = append(rows, RobustRow{Scenario: "s", Claim: "c", Setting: "a lattice", Effect: 7}, RobustRow{Scenario: "s", Claim: "other", Setting: "N=50 complete beta=2"})
	g := newRobustGrid(rows, "s", "c")
	if g == nil || len(g.Rows) != 3 || len(g.Cols) != 6 || g.Cols[0] != "complete, β = 2" || g.Rows[2].Label != "N = 1000" {
		t.Fatalf("grid = %+v", g)
	}
	if c := g.Rows[0].Cells[3]; !c.Has || c.Supported || c.Effect != 3 { // N=50 blocs beta=5
		t.Errorf("cell N=50, blocs, β = 5 = %+v", c)
	}
	if len(g.Other) != 1 || g.Other[0].Setting != "a lattice" {
		t.Errorf("settings off the grid = %+v", g.Other)
	}
	if newRobustGrid(rows, "s", "none") != nil {
		t.Errorf("a grid for a claim without settings")
	}
}

func TestStaleness(t *testing.T) {
	x := [][]float64{{0, 0.1, 0.2}, {1, 1.1, 1.25}}
	c := goals.Evaluate(scenarios.Expect{Claim: "c", Metric: "final_restraint", Vary: "k", Values: []float64{0, 1}, Trend: "increasing"}, x)
	e := c.Effect()
	f := goals.Finding{Hash: "h", Seed: 1, Replicates: 3, Effect: e.Mean, Lo: e.Lo, Hi: e.Hi, Supported: c.Supported, Version: "0.2.0"}
	if s := staleness(f, c, "h", 1); s != "" {
		t.Errorf("the same test is stale: %s", s)
	}
	for _, tc := range []struct {
		f    func(*goals.Finding)
		hash string
		seed uint64
		want string
	}{
		{func(*goals.Finding) {}, "other", 1, "the scenario changed"},
		{func(*goals.Finding) {}, "h", 2, "seed 1 and 3 replicates, this handout with seed 2 and 3"},
		{func(f *goals.Finding) { f.Effect = 2 }, "h", 1, "written by normsim 0.2.0. There, this set-up gave +2"},
		{func(f *goals.Finding) { f.Hash, f.Version, f.Supported = "", "", false }, "h", 1, "the program changed"},
	} {
		g := f
		tc.f(&g)
		if s := staleness(g, c, tc.hash, tc.seed); !strings.Contains(s, tc.want) {
			t.Errorf("staleness = %q, want it to contain %q", s, tc.want)
		}
	}
}

func TestStudyHandout(t *testing.T) {
	var scs []*scenarios.Scenario
	for _, name := range []string{"claims-timeliness", "claims-practice"} {
		s, err := scenarios.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetAll(scenarios.Assign{Origin: "test", Text: "run.replicates=3"}, scenarios.Assign{Origin: "test", Text: "run.steps=60"}); err != nil {
			t.Fatal(err)
		}
		scs = append(scs, s)
	}
	finds := []goals.Finding{{Scenario: "claims-practice", Claim: scs[1].Expect[len(scs[1].Expect)-1].Claim, Hash: "old", Settings: 18, Robust: 10,
		Fails: []string{"N=50 complete beta=2"}, Supported: true}}
	for _, e := range scs[1].Expect {
		if e.IsClaim() {
			finds[0].Claim = e.Claim
		}
	}
	rob := []RobustRow{{Scenario: "claims-practice", Claim: finds[0].Claim, Setting: "N=50 complete beta=2", Effect: -0.5}}
	calls := 0
	st, err := NewStudy(context.Background(), StudyInput{Scenarios: scs, Findings: finds, Robustness: rob, From: "docs/claims",
		Source: "A test.", Progress: func(done, total int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Claims) < 2 || calls != len(st.Claims) {
		t.Fatalf("%d claims, %d progress calls", len(st.Claims), calls)
	}
	// MODEL.md's order: claim 1 (practice) before claim 6 (timeliness).
	if st.Claims[0].Scenario != "claims-practice" || st.Claims[len(st.Claims)-1].Scenario != "claims-timeliness" {
		t.Errorf("claims in the order %s, ..., %s", st.Claims[0].Scenario, st.Claims[len(st.Claims)-1].Scenario)
	}
	doc := render(t, st)
	root := checkStructure(t, "study", doc)
	var sections []*element
	for _, s := range root.all("section") {
		if s.class("claim") {
			sections = append(sections, s)
		}
	}
	if len(sections) != len(st.Claims) {
		t.Errorf("%d claim sections for %d claims", len(sections), len(st.Claims))
	}
	for i, s := range sections {
		if id := fmt.Sprintf("claim-%d", i+1); s.Attr["id"] != id || !strings.Contains(doc, `href="#`+id+`"`) {
			t.Errorf("section %d: id %q, or no link to it", i+1, s.Attr["id"])
		}
		if n := len(s.all("svg")); n != 1 {
			t.Errorf("section %d: %d charts, want 1", i+1, n)
		}
	}
	for _, want := range []string{"The argument", "How the claims are tested", "common random numbers", "Supported in <b>10 of 18</b>",
		"Not supported with N=50 complete beta=2", "the scenario changed since the findings were written", "N = 50", "complete, β = 2",
		"docs/claims has no findings for this claim", "Effect size:"} {
		if !strings.Contains(doc, want) {
			t.Errorf("study: no %q", want)
		}
	}
}
