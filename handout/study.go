package handout

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/plots"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// The files of a claims study's output directory (`normsim claims -o
// DIR`) that the study's handout reads.
const (
	FindingsFile    = "findings.csv"
	RobustnessFile  = "robustness.csv"
	RobustnessChart = "robustness.svg"
)

// RobustRow is one claim in one robustness setting: a row of
// robustness.csv.
type RobustRow struct {
	Scenario, Claim, Setting string
	Supported                bool
	Effect, Lo, Hi           float64
}

// ReadRobustness reads robustness.csv as `normsim claims --robust` writes
// it (columns scenario, claim, setting, supported, effect, lo, hi, found
// by name).
func ReadRobustness(r io.Reader) ([]RobustRow, error) {
	recs, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("handout: robustness: %w", err)
	}
	if len(recs) == 0 {
		return nil, errors.New("handout: robustness: empty file")
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, h := range []string{"scenario", "claim", "setting", "supported", "effect", "lo", "hi"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("handout: robustness: no column %q", h)
		}
	}
	var out []RobustRow
	for i, rec := range recs[1:] {
		num := func(h string) float64 {
			s := rec[col[h]]
			if s == "" {
				return math.NaN()
			}
			x, perr := strconv.ParseFloat(s, 64)
			if perr != nil && err == nil {
				err = fmt.Errorf("handout: robustness: row %d: %s = %q is not a number", i+2, h, s)
			}
			return x
		}
		out = append(out, RobustRow{Scenario: rec[col["scenario"]], Claim: rec[col["claim"]], Setting: rec[col["setting"]],
			Supported: rec[col["supported"]] == "true", Effect: num("effect"), Lo: num("lo"), Hi: num("hi")})
	}
	return out, err
}

// ReadFindings reads the findings and robustness files of a claims
// study's directory, each if it exists (nil when neither does).
func ReadFindings(dir string) ([]goals.Finding, []RobustRow, error) {
	var finds []goals.Finding
	var rs []RobustRow
	f, err := os.Open(filepath.Join(dir, FindingsFile))
	switch {
	case err == nil:
		finds, err = goals.ReadFindings(f)
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, FindingsFile), err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, nil, err
	}
	f, err = os.Open(filepath.Join(dir, RobustnessFile))
	switch {
	case err == nil:
		rs, err = ReadRobustness(f)
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, RobustnessFile), err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, nil, err
	}
	return finds, rs, nil
}

// StudyInput is what the claims study's handout is made of.
type StudyInput struct {
	// Scenarios are the claims scenarios (scenarios.Claims), loaded and
	// changed as the command was asked to.
	Scenarios []*scenarios.Scenario
	// Findings and Robustness are a claims study's results with
	// robustness (ReadFindings), From the directory they come from; nil
	// when there are none.
	Findings   []goals.Finding
	Robustness []RobustRow
	From       string
	// Source says how the claims were tested ("Ran by normsim report
	// claims."); Program is the version of the program ("": sim.Version).
	Source, Program string
	// Workers runs the variants (0: all cores); results do not depend on it.
	Workers int
	// Progress, if not nil, is called after each claim is tested.
	Progress func(done, total int)
}

// Study is the handout of the claims study: build it with [NewStudy],
// write it with [Study.Render].
type Study struct {
	Program, Source, From string
	Claims                []studyClaim
	Supported             int
	Robust                bool // robustness results were given
	Fragile               int
	Stale                 int    // claims whose own-set-up effect differs from the findings file's
	Settings              int    // robustness settings per claim
	Chart                 *chart // the robustness chart, when the findings' directory has it
}

// studyClaim is one claim's section.
type studyClaim struct {
	N                 int
	ID                string
	Scenario, File    string
	Title             string
	Seed              uint64
	Steps, Replicates int
	What, How         template.HTML
	References        []template.HTML
	View              claimView
	// Robustness, when a findings file has the claim.
	Finding *goals.Finding
	Grid    *robustGrid
	// Stale says how the findings file's own-set-up effect differs from
	// this test's, when it does.
	Stale string
}

// NewStudy tests every claim of the claims scenarios, in the order of
// MODEL.md's numbering of the claims (a scenario's [info] what says
// "MODEL.md claim N"), and gathers its section.
func NewStudy(ctx context.Context, in StudyInput) (*Study, error) {
	st := &Study{Program: cmp.Or(in.Program, sim.Version), Source: in.Source, From: in.From, Robust: len(in.Robustness) > 0}
	if in.From != "" {
		if b, err := os.ReadFile(filepath.Join(in.From, RobustnessChart)); err == nil {
			svg, err := inlineSVG(b, "Robustness of the claims")
			if err != nil {
				return nil, fmt.Errorf("%s: %w", filepath.Join(in.From, RobustnessChart), err)
			}
			st.Chart = &chart{ID: "robustness", Title: "Robustness of the claims", SVG: svg, Tall: tall(svg), Wide: wide(svg),
				Reading: "One row per claim, one column per setting (population size, network, decision precision β). Each cell is coloured by the claim's effect in that setting in units of the half-width of its 95% interval, signed so that the claimed direction is positive: blue for the claimed direction, vermillion against it, white for no effect; beyond ±1 the interval excludes zero. A cross marks a setting where the claim is not supported; the right column counts the settings where it is."}
		}
	}
	scs := slices.Clone(in.Scenarios)
	slices.SortStableFunc(scs, func(a, b *scenarios.Scenario) int { return cmp.Compare(modelNumber(a), modelNumber(b)) })
	total := 0
	for _, s := range scs {
		for _, c := range s.Expect {
			if c.IsClaim() {
				total++
			}
		}
	}
	keys := knownKeys()
	for _, s := range scs {
		cfg, err := s.Config()
		if err != nil {
			return nil, err
		}
		var refs []template.HTML
		for _, r := range s.Info.References {
			refs = append(refs, linkify(r))
		}
		pm := plots.Meta{Scenario: s.Name, Seed: cfg.Run.Seed, Replicates: cfg.Run.Replicates, Version: sim.Version, Hash: s.Hash()}
		for _, c := range s.Expect {
			if !c.IsClaim() {
				continue
			}
			cl, err := goals.Run(ctx, s, c, sim.RunOptions{Workers: in.Workers})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.Name, err)
			}
			n := len(st.Claims) + 1
			v, err := newClaimView(cl, pm, fmt.Sprintf("claim-%d", n))
			if err != nil {
				return nil, err
			}
			sc := studyClaim{N: n, ID: v.ID, Scenario: s.Name, File: s.File, Title: s.Title, Seed: cfg.Run.Seed,
				Steps: cfg.Run.Steps, Replicates: cfg.Run.Replicates,
				What: codify(s.Info.What, keys), How: codify(s.Info.How, keys), References: refs, View: v}
			if cl.Supported {
				st.Supported++
			}
			for i := range in.Findings {
				if f := in.Findings[i]; f.Scenario == s.Name && f.Claim == c.Claim {
					sc.Finding = &f
					sc.Stale = staleness(f, cl, s.Hash(), cfg.Run.Seed)
				}
			}
			if sc.Finding != nil && sc.Finding.Settings > 0 {
				st.Settings = max(st.Settings, sc.Finding.Settings)
				if sc.Finding.Fragile() {
					st.Fragile++
				}
				sc.Grid = newRobustGrid(in.Robustness, s.Name, c.Claim)
			}
			if sc.Stale != "" {
				st.Stale++
			}
			st.Claims = append(st.Claims, sc)
			if in.Progress != nil {
				in.Progress(n, total)
			}
		}
	}
	return st, nil
}

var modelNumberRE = regexp.MustCompile(`MODEL\.md claims? (\d+)`)

// modelNumber is the number of the first MODEL.md claim a scenario tests,
// read from its [info] what ("MODEL.md claim 2: ..."); scenarios that do
// not say come last.
func modelNumber(s *scenarios.Scenario) int {
	if m := modelNumberRE.FindStringSubmatch(s.Info.What); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return math.MaxInt
}

// staleness says why the findings' test of a claim in its own set-up may
// not be this one (and so its robustness may be out of date), or "" when
// it is the same test: the same scenario (hash), seed and replicates,
// and the same effect and verdict.
func staleness(f goals.Finding, c goals.Claim, hash string, seed uint64) string {
	e := c.Effect()
	same := goals.Num(f.Effect) == goals.Num(e.Mean) && goals.Num(f.Lo) == goals.Num(e.Lo) && goals.Num(f.Hi) == goals.Num(e.Hi) && f.Supported == c.Supported
	var why string
	switch {
	case f.Hash != "" && f.Hash != hash:
		why = "the scenario changed since the findings were written"
	case f.Hash != "" && (f.Seed != seed || f.Replicates != c.Replicates):
		why = fmt.Sprintf("the findings were measured with seed %d and %d replicates, this handout with seed %d and %d", f.Seed, f.Replicates, seed, c.Replicates)
	case !same:
		why = "the program changed since the findings were written"
		if f.Version != "" {
			why = "the findings were written by normsim " + f.Version
		}
	default:
		return ""
	}
	verdict := "NOT SUPPORTED"
	if f.Supported {
		verdict = "SUPPORTED"
	}
	return fmt.Sprintf("May be out of date: %s. There, this set-up gave %s %s (%s); here %s %s.",
		why, signed(f.Effect), interval(f.Lo, f.Hi), verdict, signed(e.Mean), interval(e.Lo, e.Hi))
}

// robustGrid lays a claim's robustness settings out as a table: a row per
// population size, a column per network and decision precision.
type robustGrid struct {
	Cols  []string // "complete, β = 2"
	Rows  []robustRow
	Other []RobustRow // settings whose names do not fit the grid
}

type robustRow struct {
	Label string
	Cells []robustCell
}

type robustCell struct {
	Has, Supported bool
	Effect         float64
}

var settingRE = regexp.MustCompile(`^N=(\d+) (\S+) beta=(\S+)$`)

func newRobustGrid(rows []RobustRow, scenario, claim string) *robustGrid {
	g := &robustGrid{}
	type key struct{ n, col string }
	var ns, cols []string
	cells := map[key]robustCell{}
	for _, r := range rows {
		if r.Scenario != scenario || r.Claim != claim {
			continue
		}
		m := settingRE.FindStringSubmatch(r.Setting)
		if m == nil {
			g.Other = append(g.Other, r)
			continue
		}
		col := m[2] + ", β = " + m[3]
		if !slices.Contains(ns, m[1]) {
			ns = append(ns, m[1])
		}
		if !slices.Contains(cols, col) {
			cols = append(cols, col)
		}
		cells[key{m[1], col}] = robustCell{Has: true, Supported: r.Supported, Effect: r.Effect}
	}
	if len(ns) == 0 && len(g.Other) == 0 {
		return nil
	}
	g.Cols = cols
	for _, n := range ns {
		row := robustRow{Label: "N = " + n}
		for _, c := range cols {
			row.Cells = append(row.Cells, cells[key{n, c}])
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// Kind is the class of the document's body, which its print style
// follows.
func (st *Study) Kind() string { return "study" }

// DocTitle is the title of the document.
func (st *Study) DocTitle() string {
	return "The claims study: what the model says about the seed's argument"
}

// Footer is the provenance line at the end.
func (st *Study) Footer() string {
	return fmt.Sprintf("Made by normsim %s from the %d claims of the scenarios in scenarios/claims.", st.Program, len(st.Claims))
}

// Render writes the study's handout as one self-contained HTML document.
func (st *Study) Render(w io.Writer) error { return studyTemplate.ExecuteTemplate(w, "study", st) }

var studyTemplate = template.Must(template.Must(template.New("study").Funcs(funcs).Parse(head)).Parse(claimHTML + studyHTML))

// argumentHTML is "The argument being modelled" of MODEL.md (version 2),
// word for word (a test keeps it so).
const argumentHTML = `<p>No treaty made the norms of state behaviour in cyberspace. They come from
practice: states watch each other, test thresholds, hold back from some
operations (for example against civilian critical infrastructure) and punish
others. Three forces shape what everyone comes to expect:</p>
<ol>
<li><b>State practice.</b> Each state repeatedly chooses <i>restraint</i> or
<i>escalation</i> (an operation that crosses the norm's line) when it has an
opportunity. What it expects others to do, and what it expects an
escalation to cost, shapes the choice; it adapts by observing and
imitating others.</li>
<li><b>Attribution politics.</b> An escalation costs its author only if it is
detected and attributed, and attribution is a political act. Evidence
standards trade missed culprits against wrongful accusations; going
public deters but exposes sources and methods; attribution takes time;
joint statements and independent verification lend weight; the accused
deny; misattribution and opportunistic accusations cost credibility, and
weak attribution invites retaliation without accountability (spirals).
Firms report incidents and improve forensics.</li>
<li><b>Multilateral forums.</b> States meet, share incident reports, move
towards a common view and negotiate a norm text. Powerful states prefer
looser norms that protect their capabilities; if they dominate the
agenda, the text is weaker and smaller states feel marginalised, so they
comply less and renounce sooner. Consensus can fail. States that have not
signed adopt the norm once enough of those around them have (a cascade),
and adopters renounce it when practice around them betrays it.</li>
</ol>
<p>Technology changes (new tools make escalation cheaper or attribution
harder); a minority of states may be committed to escalation whatever
happens. The outcome is read on two axes, <b>practice</b> (do states hold
back?) and <b>expectations</b> (do they expect others to?), and their
convergence: how far apart beliefs are, whether they settle, and where.</p>`

const studyHTML = `{{define "study"}}{{template "head" .}}<header>
<h1>What the model says about the seed's claims</h1>
<p class="sub">The claims study of normsim: {{len .Claims}} claims, {{.Supported}} supported in their own set-up{{if .Robust}}, {{.Fragile}} fragile over the robustness settings{{end}}.</p>
<div class="provenance">
Every claim tested by normsim {{.Program}} in its scenario of <code>scenarios/claims</code>, with the scenario's seed and replicates. {{.Source}}
{{if .From}}Robustness from <code>{{.From}}</code> (written by <code>normsim claims --robust</code>).{{else}}No robustness results were given: each claim is shown in its own set-up only (<code>normsim claims --robust -o DIR</code> computes them, <code>normsim report DIR</code> shows them).{{end}}
</div>
{{if .Stale}}<p class="warning">{{.Stale}} of the claims were tested differently in {{.From}} than here, so its robustness results may be out of date for them (each claim's section says why). Rerun <code>normsim claims --robust -o {{.From}} --force</code>.</p>{{end}}
</header>

<section id="argument">
<h2>The argument</h2>
<p>normsim exists to test an argument about the norms of cyber operations: that they grow from practice, that attribution politics and evidence standards decide their strength, and that inclusive forums make them last. In the words of the model (MODEL.md, version 2):</p>
<blockquote>` + argumentHTML + `</blockquote>
<p>The model turns each force into a mechanism, and each mechanism into a <b>claim</b>: a direction the model must produce for the reason given. A claim the model does not support is reported as not supported, never tuned away.</p>
</section>

<section id="method">
<h2>How the claims are tested</h2>
<p>Each claim names a measure (for example <code>final_restraint</code>: restraint among the states that are not revisionists over the last 50 steps), a key to vary (for example <code>attribution.evidence_standard</code>) over a list of values, and the expected trend. Every value, a <i>variant</i>, is run with the <b>same seeds</b>: replicate r of every variant draws from the same random stream, so that the variants meet the same luck and differ only by the key (common random numbers). The differences between variants are then <b>paired</b> by replicate, and each has a 95% Student's t interval.</p>
<ul>
<li><b>increasing</b> (<b>decreasing</b>): every difference between consecutive variants is above (below) zero, its 95% interval excluding zero;</li>
<li><b>peaked</b> (<b>dipped</b>): an interior variant is above (below) both ends;</li>
<li><b>differs</b>: the last variant differs from the first.</li>
</ul>
<p>The verdict is <span class="SUPPORTED">SUPPORTED</span> or <span class="NOT-SUPPORTED">NOT SUPPORTED</span>. The <b>effect size</b> is the paired difference that decides it: the last variant minus the first, or for a peak (dip) the smaller of its differences from the two ends.{{if .Robust}} <b>Robustness</b>: each claim is tested again in {{.Settings}} settings beyond its own set-up (three population sizes, three networks: complete, blocs and scale-free, and two decision precisions β); a claim supported in fewer than two thirds of them is <i>fragile</i>.{{end}} Each claim's section shows its set-up and mechanism (the scenario's own words), the variants with their means and paired differences, the chart of every replicate, the verdict{{if .Robust}} and its robustness{{end}}.</p>
{{with .Chart}}{{template "chart" .}}{{end}}
<div class="keep">
<h3>The claims at a glance</h3>
<table class="wide toc">
<thead><tr><th>#</th><th>claim</th><th>verdict</th><th class="n">effect</th><th class="n">95% interval</th>{{if .Robust}}<th class="n">robust in</th>{{end}}</tr></thead>
<tbody>{{range .Claims}}
<tr><td><a href="#{{.ID}}">{{.N}}</a></td><td><a href="#{{.ID}}">{{.View.Claim.Expect.Claim}}</a> <span class="note">({{.Scenario}})</span></td><td class="{{.View.Class}}">{{.View.Verdict}}</td><td class="n">{{signed .View.Effect.Mean}}</td><td class="n">{{interval .View.Effect.Lo .View.Effect.Hi}}</td>{{if $.Robust}}<td class="n">{{if and .Finding .Finding.Settings}}{{.Finding.Robust}} of {{.Finding.Settings}}{{if .Finding.Fragile}} (fragile){{end}}{{else}}n/a{{end}}</td>{{end}}</tr>{{end}}
</tbody>
</table>
</div>
</section>
{{range .Claims}}
<section class="claim" id="{{.ID}}">
<h2>{{.N}}. {{.View.Claim.Expect.Claim}}</h2>
<p class="sub">Scenario <code>{{.Scenario}}</code> (<code>{{.File}}</code>): {{.Replicates}} paired replicates of {{.Steps}} steps, seed {{.Seed}}. Rerun it: <code>normsim check {{.Scenario}}</code>.</p>
<h3>Set-up and mechanism</h3>
<p>{{.What}}</p>
<h3>How it is measured</h3>
<p>{{.How}}</p>
<h3>Test</h3>
{{template "claim" .View}}
{{if .Finding}}<div class="keep">
<h3>Robustness</h3>
{{if .Stale}}<p class="stale">{{.Stale}}</p>{{end}}
{{if .Finding.Settings}}<p>Supported in <b>{{.Finding.Robust}} of {{.Finding.Settings}}</b> settings{{if .Finding.Fragile}}: <b>fragile</b> (fewer than two thirds){{end}}.{{if .Finding.Fails}} Not supported with {{range $i, $f := .Finding.Fails}}{{if $i}}; {{end}}{{$f}}{{end}}.{{end}}</p>
{{with .Grid}}{{if .Rows}}<table class="keep">
<caption><span class="note">Each cell: ✓ supported or ✗ not, and the effect size in that setting (network, decision precision β; number of states).</span></caption>
<thead><tr><th>states</th>{{range .Cols}}<th class="n">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}
<tr><td>{{.Label}}</td>{{range .Cells}}<td class="n">{{if .Has}}<span class="{{if .Supported}}yes{{else}}no{{end}}">{{if .Supported}}✓{{else}}✗{{end}}</span> {{signed .Effect}}{{end}}</td>{{end}}</tr>{{end}}
</tbody>
</table>
{{end}}
{{range .Other}}<p>{{.Setting}}: {{if .Supported}}supported{{else}}not supported{{end}}, effect {{signed .Effect}} {{interval .Lo .Hi}}.</p>{{end}}{{end}}
{{else}}<p>Not checked beyond its own set-up in {{$.From}}.</p>{{end}}
</div>{{else if $.From}}<h3>Robustness</h3>
<p>{{$.From}} has no findings for this claim: rerun <code>normsim claims --robust -o {{$.From}} --force</code>.</p>{{end}}
{{if .References}}<div class="refs"><b>References.</b>{{range $i, $r := .References}} [{{inc $i}}] {{$r}}{{end}}</div>{{end}}
</section>
{{end}}
{{template "foot" .}}{{end}}`
