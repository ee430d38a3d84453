package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/sim"
)

// countSpec is one count series of the attribution chart.
type countSpec struct {
	M     sim.Metric
	Label string
	Color color.NRGBA
}

// countGroup is one panel of counts: series on a common scale, each
// panel on its own, so that no series is squashed flat by a larger one.
type countGroup struct {
	Heading string
	Specs   []countSpec
}

// attributionGroups are the panels of the attribution chart, in order.
var attributionGroups = []countGroup{
	{"What is seen", []countSpec{
		{sim.Detections, "incidents detected by their victims", oiBlue},
		{sim.Reported, "detected incidents reported publicly", oiOrange},
	}},
	{"Who is named", []countSpec{
		{sim.TrueAccusations, "true accusations (the culprit named)", oiBluishGreen},
		{sim.FalseAccusations, "false accusations (an innocent named)", oiVermillion},
	}},
	{"How accusations are made", []countSpec{
		{sim.PublicAccusations, "public", oiBlue},
		{sim.PrivateAccusations, "private (to the accuser and its bloc)", oiOrange},
		{sim.Cosigned, "co-signed by partners", oiBluishGreen},
		{sim.Denied, "denied by the accused", oiReddishPurple},
		{sim.Misrepresentations, "misrepresentations (no incident behind them)", oiVermillion},
	}},
	{"Escalation spirals", []countSpec{
		{sim.Spirals, "spirals: a punished innocent hits back", oiVermillion},
	}},
}

// seriesDashes are the dash patterns of the series of one panel, in order.
var seriesDashes = [][]vg.Length{nil, dashed, dotted, dashDot, longDash}

// drawAttribution draws the attribution chart: one panel per group of
// attributionPanels (detections, true and false accusations, public and
// private, responses, spirals), each drawn only when the run has data for
// it. Long for the reason given at drawConvergence: one figure's layout.
func drawAttribution(res *sim.Result, meta Meta) (*Figure, error) {
	if err := checkReplicates(res); err != nil {
		return nil, err
	}
	n := res.Config.World.States
	if n <= 0 {
		return nil, fmt.Errorf("plots: world.states = %d: cannot express counts per state", n)
	}
	scale := 1 / float64(n)
	tl := newTimeline(res)
	var pns []panel
	var zero []string
	for _, g := range attributionGroups {
		var shown []countSpec
		var ss []series
		for _, sp := range g.Specs {
			s, err := metricSeries(res, sp.M, scale)
			if err != nil {
				return nil, err
			}
			if !s.anyNonZero() {
				zero = append(zero, sp.M.String())
				continue
			}
			shown, ss = append(shown, sp), append(ss, s)
		}
		if len(shown) == 0 {
			continue
		}
		p := newPlot("", "per state")
		p.Add(grid())
		tl.decorate(p, false)
		bands := len(shown) <= 2 // more bands than two would hide each other
		var specs []bandSpec
		for i, sp := range shown {
			specs = append(specs, bandSpec{B: tl.band(ss[i]), Color: sp.Color, Dashes: seriesDashes[i%len(seriesDashes)],
				Label: sp.Label, Hatch: i == 1, NoBand: !bands})
		}
		legend := addBands(p, specs...)
		hi := 0.0
		for _, sp := range specs {
			if _, h := sp.B.extent(); h > hi {
				hi = h
			}
		}
		p.Y.Min, p.Y.Max = 0, hi*1.08
		if !(p.Y.Max > 0) {
			p.Y.Max = 0.1
		}
		heading := g.Heading
		if !bands {
			heading += " (medians)"
		}
		pn := panel{Plot: p, Heading: heading, Legend: legend}
		if len(pns) == 0 {
			m, me := tl.marks(p)
			pn.Marks, pn.Legend = m, append(pn.Legend, me...)
		}
		pns = append(pns, pn)
	}

	// Credibility and forensics, when they move by more than 0.01 in some
	// replicate (verification, exposure, events): each on its own scale.
	for _, lv := range []struct {
		m              sim.Metric
		heading, label string
		ylabel         string
		unit           bool
	}{
		{sim.CredibilityMean, "Credibility of accusers", "mean credibility (verified accusations raise it, wrong ones lower it)", "credibility", true},
		{sim.ForensicsMean, "Forensics", "mean forensic skill d' (exposure lowers it)", "d'", false},
	} {
		s, err := metricSeries(res, lv.m, 1)
		if err != nil {
			return nil, err
		}
		if !s.moves(0.01) {
			continue
		}
		p := newPlot("", lv.ylabel)
		p.Add(grid())
		tl.decorate(p, false)
		b := tl.band(s)
		legend := addBands(p, bandSpec{B: b, Color: oiBlue, Label: lv.label})
		_, hi := b.extent()
		p.Y.Min, p.Y.Max = 0, hi*1.08
		if lv.unit {
			p.Y.Max = 1
			p.Y.Tick.Marker = unitTicks
		}
		pns = append(pns, panel{Plot: p, Heading: lv.heading, Legend: legend})
	}

	gs, err := metricSeries(res, sim.ExpectationGap, 1)
	if err != nil {
		return nil, err
	}
	var noGap string
	if gs.anyFinite() {
		gap := tl.band(gs)
		bot := newPlot("", "gap")
		bot.Add(grid())
		bot.Add(&hline{Y: 0, Style: draw.LineStyle{Color: grey, Width: vg.Points(1)}})
		tl.decorate(bot, true)
		botLegend := addBands(bot, bandSpec{B: gap, Color: oiReddishPurple, Label: "expectations minus practice: mean restraint belief − " + strings.TrimPrefix(textsFor(res).Practice, "practice: ")})
		lo, hi := gap.extent()
		lo, hi = math.Min(0, lo), math.Max(0, hi)
		if hi-lo < 0.1 {
			hi, lo = hi+0.05, lo-0.05
		}
		bot.Y.Min, bot.Y.Max = lo-(hi-lo)*0.05, hi+(hi-lo)*0.05
		pns = append(pns, panel{Plot: bot, Heading: "Expectation gap (above 0: more restraint believed than practised)", Legend: botLegend})
	} else {
		noGap = "No expectation gap is drawn: no state had an opportunity, so there is no practice to compare beliefs with."
	}
	if len(pns) == 0 {
		return nil, fmt.Errorf("plots: nothing to draw: no detection, accusation or opportunity in any replicate")
	}
	last := pns[len(pns)-1].Plot
	last.X.Label.Text = tl.XLabel
	if tl.Log {
		last.X.Label.Text += " (log scale: log(1 + " + tl.XLabel + "))"
	}

	var sub []string
	if note := incompleteNote(meta, res); note != "" {
		sub = append(sub, note)
	}
	sub = append(sub, readingNote(res), fmt.Sprintf("Counts per %s are divided by the %d states; each panel has its own scale.", tl.XLabel, n))
	if len(zero) > 0 {
		sub = append(sub, "Zero throughout, not drawn: "+strings.ReplaceAll(strings.Join(zero, ", "), "_", " ")+".")
	}
	if noGap != "" {
		sub = append(sub, noGap)
	}
	if note := tl.axisNote(); note != "" {
		sub = append(sub, note)
	}
	fr := frame{
		Title:    "Attribution: what is seen, who is blamed",
		Subtitle: strings.Join(sub, " "),
		Caption:  runCaption(meta, res),
	}
	h := max(figHeight, 1.3*vg.Inch+vg.Length(len(pns))*1.95*vg.Inch)
	return &Figure{Width: figWidth, Height: h, draw: func(c draw.Canvas) {
		stack(fr.draw(c), pns)
	}}, nil
}
