package plots

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/normsim/normsim/goals"
	"github.com/normsim/normsim/scenarios"
	"github.com/normsim/normsim/sim"
)

// svgText draws chart name of res as SVG and returns the document, whose
// text elements hold the chart's words.
func svgText(t *testing.T, name string, res *sim.Result, meta Meta) string {
	t.Helper()
	f, err := Draw(name, res, meta)
	if err != nil {
		t.Fatalf("Draw(%s): %v", name, err)
	}
	return figText(t, f)
}

// figText writes f as SVG and returns the document with its no-break
// spaces as spaces, so that a chart's words can be looked for.
func figText(t *testing.T, f *Figure) string {
	t.Helper()
	var b bytes.Buffer
	if err := f.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(b.String(), nbsp, " ")
}

// TestCaptionsTrue checks that titles and captions say only what is true
// for the kernel shown: the Axelrod traits caption only for Axelrod's
// games, "the gap between them is the point" only where practice and
// expectations are different series (the cyber model).
func TestCaptionsTrue(t *testing.T) {
	const axelrodCaption = "a norm holds with low boldness and high vengefulness"
	const gapPoint = "the gap between them is the point"
	if s := svgText(t, ChartTraits, axelrodFixture(), fixtureMeta); !strings.Contains(s, axelrodCaption) {
		t.Errorf("axelrod traits chart lacks %q", axelrodCaption)
	}
	if s := svgText(t, ChartTraits, cyberFixture(), fixtureMeta); strings.Contains(s, axelrodCaption) {
		t.Errorf("cyber traits chart says %q", axelrodCaption)
	}
	if s := svgText(t, ChartConvergence, cyberFixture(), fixtureMeta); !strings.Contains(s, gapPoint) {
		t.Errorf("cyber convergence chart lacks %q", gapPoint)
	}
	for name, res := range map[string]*sim.Result{"lattice": latticeFixture(), "axelrod": axelrodFixture()} {
		if s := svgText(t, ChartConvergence, res, fixtureMeta); strings.Contains(s, gapPoint) {
			t.Errorf("%s convergence chart says %q", name, gapPoint)
		}
	}
	// The lattice's practice and expectations are one curve: one line.
	if s := svgText(t, ChartConvergence, latticeFixture(), fixtureMeta); !strings.Contains(s, "not drawn separately") {
		t.Errorf("lattice convergence chart does not say the neighbours' share is the same curve")
	}
}

// TestNaNGaps checks that a step with nothing to measure (NaN) is a gap:
// no chart fails on it, the band has no value there (no spike at step 0),
// and a line breaks there instead of joining its neighbours.
func TestNaNGaps(t *testing.T) {
	res := cyberFixture()
	// Holes in the middle of every metric that may be empty.
	for i := range res.Replicates {
		for j := 40; j < 45; j++ {
			for m := range sim.NumMetrics {
				if m.MayBeEmpty() {
					res.Replicates[i].Rows[j][m] = math.NaN()
				}
			}
		}
	}
	for _, fx := range []*sim.Result{res, mixedFixture(), axelrodFixture(), latticeFixture()} {
		for _, name := range Charts(fx) {
			f, err := Draw(name, fx, fixtureMeta)
			if err != nil {
				t.Errorf("%s: Draw(%s): %v", fx.Config.Name, name, err)
				continue
			}
			if err := f.WriteSVG(&bytes.Buffer{}); err != nil {
				t.Errorf("%s: %s.svg: %v", fx.Config.Name, name, err)
			}
		}
	}
	s, err := metricSeries(res, sim.RestraintCompliant, 1)
	if err != nil {
		t.Fatal(err)
	}
	b := bandOf(s)
	if !math.IsNaN(b.Mid[0]) || !math.IsNaN(b.Lo[0]) || !math.IsNaN(b.Hi[0]) {
		t.Errorf("band at step 0 = %v [%v, %v], want NaN: no opportunity yet", b.Mid[0], b.Lo[0], b.Hi[0])
	}
	if math.IsNaN(b.Mid[1]) {
		t.Errorf("band at step %v is NaN, want a value", b.X[1])
	}
	if tb := thinBy(b, 20, linearNorm(b.X[0], b.X[len(b.X)-1])); !math.IsNaN(tb.Mid[0]) {
		t.Errorf("thinning filled the gap at step 0: %v", tb.Mid[0])
	}

	// A line through a gap is two strokes.
	rec := &recorder.Canvas{}
	c := draw.NewCanvas(rec, vg.Points(400), vg.Points(300))
	p := plot.New()
	l := &gapLine{X: []float64{0, 1, 2, 3, 4, 5}, Y: []float64{0.1, 0.2, math.NaN(), 0.4, 0.5, 0.6}, Style: lineStyle(oiBlue)}
	p.Add(l)
	l.Plot(p.DataCanvas(c), p)
	strokes := 0
	for _, a := range rec.Actions {
		if _, ok := a.(*recorder.Stroke); ok {
			strokes++
		}
	}
	if strokes != 2 {
		t.Errorf("a line with one NaN in the middle is %d strokes, want 2", strokes)
	}
}

// TestBimodal checks that a run whose replicates end in different
// outcomes draws each replicate, not a median.
func TestBimodal(t *testing.T) {
	if bimodal(cyberFixture()) {
		t.Errorf("cyberFixture (every replicate %s) is bimodal", cyberFixture().Replicates[0].Outcome)
	}
	mixed := mixedFixture()
	if !bimodal(mixed) {
		t.Fatalf("mixedFixture (outcomes %s) is not bimodal", outcomeCounts(mixed))
	}
	s := svgText(t, ChartConvergence, mixed, fixtureMeta)
	if !strings.Contains(s, "each is drawn as a thin line") || strings.Contains(s, "Lines: median") {
		t.Errorf("bimodal convergence chart does not say it draws each replicate")
	}
}

// TestOutcomeShares checks the outcome share over time: at every step the
// shares sum to at most 1, and at the last step (every step recorded)
// they are the outcome shares.
func TestOutcomeShares(t *testing.T) {
	for _, res := range []*sim.Result{cyberFixtureWith(true, 1), axelrodFixture()} {
		x, outs, shares := outcomeShares(res)
		for j := range x {
			sum := 0.0
			for k := range outs {
				sum += shares[k][j]
			}
			if sum > 1+1e-9 {
				t.Fatalf("%s: shares at step %v sum to %v", res.Config.Name, x[j], sum)
			}
		}
		last := len(x) - 1
		for k, o := range outs {
			want := 0.0
			for _, r := range res.Replicates {
				if r.Outcome == o {
					want += 1 / float64(len(res.Replicates))
				}
			}
			if math.Abs(shares[k][last]-want) > 1e-9 {
				t.Errorf("%s: share of %s at the last step = %v, want the outcome share %v", res.Config.Name, o, shares[k][last], want)
			}
		}
	}
	// Step 0 of the cyber model has no practice: no replicate is classified.
	_, outs, shares := outcomeShares(cyberFixture())
	for k := range outs {
		if shares[k][0] != 0 {
			t.Errorf("share of %s at step 0 = %v, want 0 (nothing to classify)", outs[k], shares[k][0])
		}
	}
}

// TestConvergenceBins checks that the histogram's bins fit the data: a
// few convergence steps early in a long run get narrow bins on an axis
// around them, not two bars on a 0-500 axis.
func TestConvergenceBins(t *testing.T) {
	for _, c := range []struct {
		name  string
		steps []float64
	}{
		{"clustered early", []float64{20, 22, 25, 25, 26, 31, 33, 40}},
		{"spread", []float64{21, 40, 62, 88, 120, 150, 180, 210, 260, 290, 305, 340, 390, 400, 450}},
		{"one", []float64{57}},
		{"identical", []float64{100, 100, 100}},
	} {
		bins, w, xmin, xmax := convergenceBins(c.steps)
		if w < 1 || w != math.Round(w) {
			t.Errorf("%s: bin width %v, want a whole number", c.name, w)
		}
		if len(bins) > 40 {
			t.Errorf("%s: %d bins", c.name, len(bins))
		}
		total := 0.0
		for _, b := range bins {
			total += b.Weight
		}
		if total != float64(len(c.steps)) {
			t.Errorf("%s: bins hold %v of %d steps", c.name, total, len(c.steps))
		}
		span := bins[len(bins)-1].Max - bins[0].Min
		if span < (xmax-xmin)/3 {
			t.Errorf("%s: bins span %v of an axis of %v..%v", c.name, span, xmin, xmax)
		}
		if lo, hi := slices.Min(c.steps), slices.Max(c.steps); xmin > lo || xmax < hi {
			t.Errorf("%s: axis %v..%v does not hold the steps %v..%v", c.name, xmin, xmax, lo, hi)
		}
		if len(c.steps) >= 8 && len(nonEmpty(bins)) < 4 {
			t.Errorf("%s: %d steps in %d bars", c.name, len(c.steps), len(nonEmpty(bins)))
		}
	}
}

// TestTickLabelsApart checks that the labels of the time axis do not
// collide on a chart's width, whatever the run's length ("80000 100000").
func TestTickLabelsApart(t *testing.T) {
	sty := textStyle(tickSize, false, grey)
	width := 4.5 * vg.Inch // the narrowest time axis: a panel of a row
	for _, last := range []float64{10, 50, 99, 100, 150, 500, 999, 1000, 1500, 5000, 20000, 99999, 100000, 250000, 1e6, 3e6} {
		for _, tk := range []plot.Ticker{intTicks{}, log1pTicks{}} {
			ticks := tk.Ticks(0, last)
			norm := func(v float64) float64 { return v / last }
			if _, ok := tk.(log1pTicks); ok {
				norm = func(v float64) float64 { return log1pScale{}.Normalize(0, last, v) }
			}
			for i := 1; i < len(ticks); i++ {
				a, b := ticks[i-1], ticks[i]
				gap := vg.Length(norm(b.Value)-norm(a.Value)) * width
				need := (textWidth(sty, a.Label)+textWidth(sty, b.Label))/2 + vg.Points(4)
				if gap < need {
					t.Errorf("%T over 0..%v: labels %q and %q are %.1f pt apart, need %.1f", tk, last, a.Label, b.Label, gap, need)
				}
			}
		}
	}
	if got := compact(100000, 0); got != "100k" {
		t.Errorf("compact(100000) = %q, want 100k", got)
	}
}

// TestWrapKeepsPhrases checks that a heading wraps at spaces but never
// inside a phrase joined by non-breaking spaces ("32 of 32").
func TestWrapKeepsPhrases(t *testing.T) {
	sty := textStyle(headingSize, true, grey)
	s := "When expectations converged: " + keep("32 of 32")
	for w := vg.Points(60); w < vg.Points(400); w += vg.Points(7) {
		for _, l := range wrap(s, sty, w) {
			if strings.HasSuffix(l, "32 of") || strings.HasPrefix(l, "32") && !strings.HasPrefix(l, keep("32 of 32")) {
				t.Fatalf("wrap at %v splits the phrase: %q", w, wrap(s, sty, w))
			}
		}
	}
}

// TestInterrupted checks that the charts of an interrupted run say so.
func TestInterrupted(t *testing.T) {
	res := cyberFixture()
	res.Replicates = res.Replicates[:6]
	res.Status = sim.Canceled
	meta := fixtureMeta
	meta.Replicates = 16
	want := "6 of 16 replicates, interrupted"
	if got := runCaption(meta, res); !strings.Contains(got, want) {
		t.Errorf("caption %q lacks %q", got, want)
	}
	for _, name := range Charts(res) {
		if s := svgText(t, name, res, meta); !strings.Contains(s, want) || !strings.Contains(s, "INCOMPLETE") {
			t.Errorf("%s chart of an interrupted run does not say so", name)
		}
	}
	// Fewer replicates than asked, even without the status.
	res.Status = sim.StepLimit
	if got := runCaption(meta, res); !strings.Contains(got, want) {
		t.Errorf("caption %q lacks %q", got, want)
	}
	meta.Replicates = 6
	if got := runCaption(meta, res); strings.Contains(got, "interrupted") {
		t.Errorf("caption of a complete run %q says interrupted", got)
	}
}

// TestLogTimeAxis checks that a transient squashed into the first steps
// of a long run gets a log(1 + step) axis, and a run that moves late
// does not.
func TestLogTimeAxis(t *testing.T) {
	res := cyberFixtureWith(false, 20)
	if tl := newTimeline(res); tl.Log {
		t.Errorf("cyberFixture (300 steps, shock at 150) has a log time axis")
	}
	// A fast transient, then a steady level for 5000 steps.
	long := func(every int) *sim.Result {
		res := cyberFixture()
		for i := range res.Replicates {
			r := &res.Replicates[i]
			r.Steps, r.Rows = nil, nil
			for t := 0; t <= 5000; t += every {
				row := emptyRow()
				row[sim.BeliefRestraintSD] = 0.1
				if t > 0 {
					row[sim.RestraintCompliant] = 0.32 + 0.6*math.Exp(-float64(t)/8) + 0.005*math.Sin(float64(t+i))
				}
				r.Steps, r.Rows = append(r.Steps, t), append(r.Rows, row)
			}
		}
		return res
	}
	tl := newTimeline(long(1))
	if !tl.Log || tl.Settle > 100 {
		t.Errorf("a transient of ~40 steps in 5000: Log = %v, settles by %d", tl.Log, tl.Settle)
	}
	// Recorded every 100 steps, the record does not show the transient:
	// a log axis would draw a straight line over it.
	if tl := newTimeline(long(100)); tl.Log {
		t.Errorf("a transient of ~40 steps recorded every 100: log axis")
	}
}

// TestEventLabelsApart checks the lane of event labels: events a few
// points apart share a label, labels on a level do not overlap, and all
// stay within the lane. (A dashed line up to a higher label passes behind
// the labels below it: they are drawn on white.)
func TestEventLabelsApart(t *testing.T) {
	p := plot.New()
	p.X.Min, p.X.Max = 0, 300
	m := &marks{Axis: &p.X, Events: []float64{40, 46, 47, 150, 155, 295}, Labels: []string{"Tallinn Manual", "leak of state tools", "sanctions", "AI-enabled tools", "second wave", "late"}}
	x0, x1 := vg.Points(0), vg.Points(500)
	ps, levels := m.layout(x0, x1)
	if len(ps) != 5 || levels < 2 {
		t.Fatalf("layout placed %d labels on %d levels, want 5 (46 and 47 share one) on 2 or more", len(ps), levels)
	}
	if ps[1].Label != "leak of state tools; sanctions" {
		t.Errorf("events 46 and 47 are labelled %q", ps[1].Label)
	}
	sty := noteStyle()
	for i, a := range ps {
		aw := textWidth(sty, a.Label)
		if a.X0 < x0 || a.X0+aw > x1+vg.Points(1) {
			t.Errorf("label %q at %v..%v leaves the lane", a.Label, a.X0, a.X0+aw)
		}
		for j, b := range ps {
			if i == j {
				continue
			}
			if a.Level == b.Level && a.X0 < b.X0+textWidth(sty, b.Label) && b.X0 < a.X0+aw {
				t.Errorf("labels %q and %q overlap on level %d", a.Label, b.Label, a.Level)
			}
		}
	}
}

// claimFixture is a tested claim with a real effect, paired replicates
// and one replicate without a value in a variant.
func claimFixture() goals.Claim {
	e := scenarios.Expect{Claim: "Without forums, better attribution raises restraint", Metric: "final_restraint",
		Vary: "attribution.private_sector_boost", Values: []float64{0, 1, 2}, Trend: "increasing"}
	x := make([][]float64, 3)
	for j := range x {
		for i := range 12 {
			v := 0.2 + 0.25*float64(j) + 0.03*float64(i%5) - 0.02*float64(j*i%3)
			x[j] = append(x[j], v)
		}
	}
	x[1][4] = math.NaN()
	return goals.Evaluate(e, x)
}

func TestClaim(t *testing.T) {
	c := claimFixture()
	f, err := Claim(c, fixtureMeta)
	if err != nil {
		t.Fatal(err)
	}
	s := figText(t, f)
	for _, want := range []string{"Claim: Without forums, better attribution raises restraint", "Verdict: SUPPORTED", "attribution.private_sector_boost", "final_restraint"} {
		if !strings.Contains(s, want) {
			t.Errorf("claim chart lacks %q", want)
		}
	}
	bad := c
	bad.X = bad.X[:2]
	if _, err := Claim(bad, fixtureMeta); err == nil {
		t.Errorf("Claim with 2 variants of 3 values: no error")
	}
	none := claimFixture()
	for j := range none.X {
		for i := range none.X[j] {
			none.X[j][i] = math.NaN()
		}
	}
	if _, err := Claim(none, fixtureMeta); err == nil || !strings.Contains(err.Error(), "no replicate has a value") {
		t.Errorf("Claim without values: error %v", err)
	}

	dir := t.TempDir()
	for _, stale := range []string{"claim-3.png", "claim-3.svg", "claim-notes.txt"} {
		os.WriteFile(filepath.Join(dir, stale), []byte("x"), 0o644)
	}
	paths, err := SaveClaims(dir, []goals.Claim{c, c}, fixtureMeta)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"claim-1.png", "claim-1.svg", "claim-2.png", "claim-2.svg"}
	var got []string
	for _, p := range paths {
		got = append(got, filepath.Base(p))
	}
	if !slices.Equal(got, want) {
		t.Errorf("SaveClaims wrote %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "claim-3.png")); !os.IsNotExist(err) {
		t.Errorf("the stale claim-3.png of an earlier check is still there")
	}
	if _, err := os.Stat(filepath.Join(dir, "claim-notes.txt")); err != nil {
		t.Errorf("SaveClaims removed a file that is not a claim chart: %v", err)
	}
}

// TestSweepScales checks the sweep charts' fixes: a share's colour scale
// runs from 0 to 1, binned points are not called design points, and Sobol
// estimates outside [0, 1] are flagged and not called shares of variance.
func TestSweepScales(t *testing.T) {
	svg := func(f *Figure, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := f.WriteSVG(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	x, y, z := phaseFixture() // values up to 0.75
	s := svg(PhaseDiagram(x, y, z, "tau", "inclusivity", "established share", fixtureMeta, UnitScale()))
	if !strings.Contains(s, ">1<") && !strings.Contains(s, ">1</") {
		t.Errorf("a share's colour bar does not reach 1")
	}
	z[0][0] = 1.2
	if _, err := PhaseDiagram(x, y, z, "tau", "inclusivity", "established share", fixtureMeta, UnitScale()); err == nil {
		t.Errorf("a share of 1.2 on a unit scale: no error")
	}

	px, mean, lo, hi := paramFixture()
	if s := svg(ParamLine(px, mean, lo, hi, "tau", "established share", fixtureMeta)); !strings.Contains(s, "design points") || strings.Contains(s, "not design points") {
		t.Errorf("a grid's parameter line does not call its dots design points")
	}
	if s := svg(ParamLine(px, mean, lo, hi, "tau", "established share", fixtureMeta, Binned(9), UnitScale())); !strings.Contains(s, "not design points") {
		t.Errorf("a binned parameter line does not say its dots are not design points")
	}

	names, s1, s1lo, s1hi, st, stlo, sthi, meta := sobolFixture()
	if s := svg(SobolBars(names, s1, s1lo, s1hi, st, stlo, sthi, meta)); !strings.Contains(s, "share of output variance") || strings.Contains(s, "Warning") {
		t.Errorf("valid Sobol indices: the axis is not a share of variance, or a warning is shown")
	}
	s1[0], s1hi[0], st[2], stlo[2] = 1.21, 1.3, -0.2, -0.3
	s = svg(SobolBars(names, s1, s1lo, s1hi, st, stlo, sthi, meta))
	if !strings.Contains(s, "Warning") || strings.Contains(s, "share of output variance)") {
		t.Errorf("Sobol estimates outside [0, 1]: no warning, or the axis still says share of variance")
	}
}

// TestReading checks that every chart has a reading guide, true for the
// kernel: the Axelrod caption only for Axelrod's games.
func TestReading(t *testing.T) {
	for _, name := range ChartNames() {
		for _, res := range []*sim.Result{cyberFixture(), axelrodFixture(), latticeFixture()} {
			title, guide := Reading(name, res)
			if title == name || guide == "" {
				t.Errorf("Reading(%s, %s) = %q, %q", name, sim.Kernel(&res.Config), title, guide)
			}
		}
	}
	if _, g := Reading(ChartTraits, cyberFixture()); strings.Contains(g, "norm holds with low boldness") {
		t.Errorf("cyber traits guide: %q", g)
	}
	if _, g := Reading(ChartConvergence, latticeFixture()); strings.Contains(g, "gap between them is the point") {
		t.Errorf("lattice convergence guide: %q", g)
	}
}

// TestAttributionPanels checks that a panel is drawn only when it has
// something to show: credibility only when it moves, co-signing never
// when nobody co-signs (and the subtitle says so).
func TestAttributionPanels(t *testing.T) {
	res := cyberFixture()
	s := svgText(t, ChartAttribution, res, fixtureMeta)
	if strings.Contains(s, "Credibility of accusers") {
		t.Errorf("attribution chart draws a constant credibility")
	}
	if strings.Contains(s, "co-signed by partners") || !strings.Contains(s, "Zero throughout, not drawn: cosigned, denied, misrepresentations") {
		t.Errorf("attribution chart draws co-signing that never happens, or does not say it left it out")
	}
	for i := range res.Replicates {
		for j := range res.Replicates[i].Rows {
			res.Replicates[i].Rows[j][sim.CredibilityMean] = 0.8 - 0.001*float64(j)
		}
	}
	if s := svgText(t, ChartAttribution, res, fixtureMeta); !strings.Contains(s, "Credibility of accusers") {
		t.Errorf("attribution chart leaves out a credibility that moves")
	}
}
