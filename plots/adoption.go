package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/sim"
)

// forumBars draws, at each forum meeting, a bar of the share of
// replicates whose forum agreed a text (bottom) and failed (on top).
type forumBars struct {
	X              []float64
	Agreed, Failed []float64 // shares of replicates
}

// Plot implements plot.Plotter.
func (f *forumBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	w := vg.Points(5)
	if len(f.X) > 1 { // narrower than the gap between meetings
		gap := c.Max.X - c.Min.X
		for i := 1; i < len(f.X); i++ {
			gap = min(gap, trX(f.X[i])-trX(f.X[i-1]))
		}
		w = max(vg.Points(1.5), min(w, gap*0.7))
	}
	box := func(x, y0, y1 vg.Length, clr color.Color) {
		if y1 <= y0 {
			return
		}
		c.FillPolygon(clr, c.ClipPolygonX([]vg.Point{{X: x - w/2, Y: y0}, {X: x + w/2, Y: y0}, {X: x + w/2, Y: y1}, {X: x - w/2, Y: y1}}))
	}
	for i, x := range f.X {
		if x < p.X.Min || x > p.X.Max {
			continue
		}
		X := trX(x)
		box(X, trY(0), trY(f.Agreed[i]), oiBluishGreen)
		box(X, trY(f.Agreed[i]), trY(f.Agreed[i]+f.Failed[i]), oiVermillion)
	}
}

// DataRange implements plot.DataRanger.
func (f *forumBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	if len(f.X) == 0 {
		return 0, 0, 0, 1
	}
	return f.X[0], f.X[len(f.X)-1], 0, 1
}

// forumOutcomes returns the recorded forum meetings: at each step where
// some replicate's forum met, the share of replicates whose forum agreed
// a text and the share whose forum failed.
func forumOutcomes(res *sim.Result) (x, agreed, failed []float64) {
	r0 := &res.Replicates[0]
	n := float64(len(res.Replicates))
	for j, t := range r0.Steps {
		var held, fail int
		for i := range res.Replicates {
			row := &res.Replicates[i].Rows[j]
			if row[sim.ForumMarker] == 1 {
				held++
				if row[sim.ForumFailed] == 1 {
					fail++
				}
			}
		}
		if held > 0 {
			x = append(x, float64(t))
			agreed = append(agreed, float64(held-fail)/n)
			failed = append(failed, float64(fail)/n)
		}
	}
	return x, agreed, failed
}

// terciles are the power terciles' series and styles, lowest power first.
var terciles = []struct {
	Label  string
	Color  color.NRGBA
	Dashes []vg.Length
}{
	{"weakest", oiSkyBlue, nil},
	{"middle", oiBlue, dashed},
	{"strongest", oiVermillion, dotted},
}

// drawAdoption draws the adoption chart: the share of states that have
// adopted the codified norm, by power tercile, the text's stringency and
// the adopters' legitimacy. Long for the reason given at drawConvergence:
// one figure's layout, read top to bottom.
func drawAdoption(res *sim.Result, meta Meta) (*Figure, error) {
	if err := checkReplicates(res); err != nil {
		return nil, err
	}
	tl := newTimeline(res)
	get := func(ms ...sim.Metric) ([]band, error) {
		var out []band
		for _, m := range ms {
			s, err := metricSeries(res, m, 1)
			if err != nil {
				return nil, err
			}
			out = append(out, tl.band(s))
		}
		return out, nil
	}
	unit := func(p *plot.Plot) {
		p.Y.Min, p.Y.Max = 0, 1
		p.Y.Tick.Marker = unitTicks
	}
	n := len(res.Replicates)

	// The S-curve, with the tipping points.
	ad, err := get(sim.Adoption, sim.AdoptionPower)
	if err != nil {
		return nil, err
	}
	top := newPlot("", "share")
	top.Add(grid())
	tl.decorate(top, false)
	legend := addBands(top,
		bandSpec{B: ad[0], Color: oiBlue, Label: "adoption: share of states"},
		bandSpec{B: ad[1], Color: oiOrange, Dashes: dashed, Label: "weighted by power", Hatch: true},
	)
	unit(top)
	var tips []float64
	for _, r := range res.Replicates {
		if r.Tipping >= 0 {
			tips = append(tips, float64(r.Tipping))
		}
	}
	heading := "Adoption of the norm text"
	if len(tips) > 0 {
		slices.Sort(tips)
		med := stats.Quantile(tips, 0.5)
		v := &vlines{X: []float64{med}, Style: convStyle}
		top.Add(v)
		top.Add(&hline{Y: 0.5, Style: draw.LineStyle{Color: lightGrey, Width: vg.Points(0.8), Dashes: dotted}})
		legend = append(legend, entry{Label: keep(fmt.Sprintf("tipping point (half adopted): median %s %s", tl.XLabel, fmtNum(med))), Thumbs: []plot.Thumbnailer{v}})
		if n > 1 {
			d := &dots{X: tips, Y: 0.5, Color: oiBlack}
			top.Add(d)
			legend = append(legend, entry{Label: "each replicate's tipping point", Thumbs: []plot.Thumbnailer{d}})
		}
		heading += ": " + keep(fmt.Sprintf("tipped in %d of %d", len(tips), n))
	} else {
		heading += ": " + keep(fmt.Sprintf("never half adopted (0 of %d)", n))
	}
	m, me := tl.marks(top)
	pns := []panel{{Plot: top, Heading: heading, Legend: append(legend, me...), Marks: m, Weight: 1.4}}

	// The text and its legitimacy.
	tx, err := get(sim.Stringency, sim.LegitimacyMean)
	if err != nil {
		return nil, err
	}
	mid := newPlot("", "0–1")
	mid.Add(grid())
	tl.decorate(mid, false)
	specs := []bandSpec{{B: tx[0], Color: oiBluishGreen, Label: "stringency of the text in force"}}
	if tx[1].finite() {
		specs = append(specs, bandSpec{B: tx[1], Color: oiReddishPurple, Dashes: dashed, Label: "mean legitimacy among adopters", Hatch: true})
	}
	mid.Y.Min, mid.Y.Max = 0, 1
	mid.Y.Tick.Marker = unitTicks
	withText := 0
	for _, r := range res.Replicates {
		if !math.IsNaN(r.Final[sim.Stringency]) {
			withText++
		}
	}
	pns = append(pns, panel{Plot: mid, Heading: "The text in force and its legitimacy",
		Notes:  []string{fmt.Sprintf("Over the replicates with a text in force (%s at the end); none before the first forum agrees one.", keep(fmt.Sprintf("%d of %d", withText, n)))},
		Legend: addBands(mid, specs...), Weight: 1})

	// Forum outcomes.
	fx, agreed, failed := forumOutcomes(res)
	var sub []string
	if note := incompleteNote(meta, res); note != "" {
		sub = append(sub, note)
	}
	sub = append(sub, readingNote(res))
	if len(fx) > 0 {
		fp := newPlot("", "share")
		fp.Add(grid())
		tl.decorate(fp, false)
		fb := &forumBars{X: fx, Agreed: agreed, Failed: failed}
		fp.Add(fb)
		unit(fp)
		fp.Y.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0"}, {Value: 0.5, Label: "0.5"}, {Value: 1, Label: "1"}}
		var notes []string
		if every := res.Config.Run.RecordEvery; every > 1 {
			notes = append(notes, fmt.Sprintf("Only the meetings at recorded steps: the record keeps every %d%s %s.", every, ordinal(every), tl.XLabel))
		}
		pns = append(pns, panel{Plot: fp, Heading: "Forum meetings: did they agree a text? (share of replicates)", Notes: notes,
			Legend: []entry{
				{Label: "agreed a text", Thumbs: []plot.Thumbnailer{swatch(oiBluishGreen)}},
				{Label: "failed to agree", Thumbs: []plot.Thumbnailer{swatch(oiVermillion)}},
			}, Weight: 0.55})
	} else if res.Config.Forum.Every > 0 {
		sub = append(sub, fmt.Sprintf("The record is thinned (every %d %ss), so it does not show which forums agreed a text.", res.Config.Run.RecordEvery, tl.XLabel))
	}

	// By power tercile.
	tercile := func(title, ylabel string, ms ...sim.Metric) (panel, error) {
		bs, err := get(ms...)
		if err != nil {
			return panel{}, err
		}
		p := newPlot("", ylabel)
		p.Add(grid())
		tl.decorate(p, true)
		var specs []bandSpec
		for i, b := range bs {
			if b.finite() {
				specs = append(specs, bandSpec{B: b, Color: terciles[i].Color, Dashes: terciles[i].Dashes, Label: terciles[i].Label, NoBand: true})
			}
		}
		lg := addBands(p, specs...)
		unit(p)
		return panel{Plot: p, Heading: title, Legend: lg}, nil
	}
	pa, err := tercile("Adoption by power tercile", "adopted", sim.AdoptionLow, sim.AdoptionMid, sim.AdoptionHigh)
	if err != nil {
		return nil, err
	}
	pr, err := tercile("Restraint by power tercile", "restraint", sim.RestraintLow, sim.RestraintMid, sim.RestraintHigh)
	if err != nil {
		return nil, err
	}
	sub = append(sub, "Bottom: medians over the replicates by power tercile (revisionists left out).")
	if note := tl.axisNote(); note != "" {
		sub = append(sub, note)
	}
	fr := frame{
		Title:    "Adoption: the norm's life cycle",
		Subtitle: strings.Join(sub, " "),
		Caption:  runCaption(meta, res),
	}
	return &Figure{Width: figWidth, Height: 10 * vg.Inch, draw: func(c draw.Canvas) {
		body := fr.draw(c)
		parts := split(body, panelGap*1.5, 3.1, 1.25)
		stack(parts[0], pns)
		row(parts[1], []panel{pa, pr})
	}}, nil
}

// ordinal is the English suffix of n: st, nd, rd or th.
func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return "th"
	case n%10 == 1:
		return "st"
	case n%10 == 2:
		return "nd"
	case n%10 == 3:
		return "rd"
	}
	return "th"
}
