package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/sim"
)

// shareBars draws one bar per outcome share at x = 0, 1, 2, ... with its
// Wilson interval as a whisker and "k of n" written above.
type shareBars struct {
	Shares []stats.OutcomeShare
	Colors []color.Color
}

// Plot implements plot.Plotter.
func (b *shareBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	whisker := draw.LineStyle{Color: oiBlack, Width: vg.Points(1.5)}
	lab := textStyle(legendSize, false, color.Black)
	lab.XAlign = draw.XCenter
	for i, s := range b.Shares {
		x0, x1 := trX(float64(i)-0.32), trX(float64(i)+0.32)
		y0, y1 := trY(0), trY(s.Share)
		c.FillPolygon(b.Colors[i%len(b.Colors)], []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		x := trX(float64(i))
		lo, hi := trY(s.Lo), trY(s.Hi)
		capW := vg.Points(6)
		c.StrokeLine2(whisker, x, lo, x, hi)
		c.StrokeLine2(whisker, x-capW, lo, x+capW, lo)
		c.StrokeLine2(whisker, x-capW, hi, x+capW, hi)
		c.FillText(lab, vg.Point{X: x, Y: hi + vg.Points(4)}, fmt.Sprintf("%d of %d (%s)", s.Count, s.N, percent(s.Share)))
	}
}

// DataRange implements plot.DataRanger.
func (b *shareBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(len(b.Shares)) - 0.5, 0, 1
}

// Thumbnail implements plot.Thumbnailer: a whisker.
func (b *shareBars) Thumbnail(c *draw.Canvas) {
	st := draw.LineStyle{Color: oiBlack, Width: vg.Points(1.5)}
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(st, x, c.Min.Y, x, c.Max.Y)
	c.StrokeLine2(st, x-vg.Points(4), c.Min.Y, x+vg.Points(4), c.Min.Y)
	c.StrokeLine2(st, x-vg.Points(4), c.Max.Y, x+vg.Points(4), c.Max.Y)
}

// unitTicks marks 0, 0.2, ..., 1 whatever the axis range.
var unitTicks = plot.ConstantTicks{
	{Value: 0, Label: "0"}, {Value: 0.2, Label: "0.2"}, {Value: 0.4, Label: "0.4"},
	{Value: 0.6, Label: "0.6"}, {Value: 0.8, Label: "0.8"}, {Value: 1, Label: "1"},
}

// intTicks labels whole numbers only.
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	step := niceStep((hi - lo) / 5)
	step = math.Max(1, math.Round(step))
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: fmtNum(v)})
	}
	return ts
}

// niceTicks labels multiples of a round step (1, 2 or 5 times a power of
// ten), about four to six of them, with zero among them when the range
// holds it: gonum's default ticker can pick steps such as 0.3 that put 0.1,
// -0.2, -0.5 on an axis.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	step := niceStep((hi - lo) / 5)
	decimals := max(0, int(math.Ceil(-math.Log10(step)-1e-9))) // enough for the step: 0.05 needs 2
	var ts []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		v := k * step
		if v == 0 {
			v = 0 // not -0
		}
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	return ts
}

// niceStep returns the smallest of 1, 2, 5 times a power of ten that is
// at least x (x > 0).
func niceStep(x float64) float64 {
	if !(x > 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}

// convergenceBins bins convergence steps into bins of a round width over
// [0, last], about twenty of them.
func convergenceBins(steps []float64, last int) ([]plotter.HistogramBin, float64) {
	w := niceStep(float64(max(last, 1)) / 20)
	n := int(math.Ceil(float64(max(last, 1)) / w))
	if float64(n)*w <= float64(last) {
		n++ // the last bin holds last itself
	}
	bins := make([]plotter.HistogramBin, n)
	for i := range bins {
		bins[i].Min = float64(i) * w
		bins[i].Max = float64(i+1) * w
	}
	for _, s := range steps {
		i := min(max(int(s/w), 0), n-1)
		bins[i].Weight++
	}
	return bins, w
}

// nonEmpty returns the bins with a positive weight (an empty bin would be
// drawn as a flat line along the axis).
func nonEmpty(bins []plotter.HistogramBin) []plotter.HistogramBin {
	var out []plotter.HistogramBin
	for _, b := range bins {
		if b.Weight > 0 {
			out = append(out, b)
		}
	}
	return out
}

// percent formats a share as a whole percentage, rounding halves up.
func percent(x float64) string {
	return fmt.Sprintf("%d%%", int(math.Floor(100*x+0.5)))
}

func drawOutcomes(res *sim.Result, meta Meta) (*Figure, error) {
	if res == nil || len(res.Replicates) == 0 {
		return nil, fmt.Errorf("plots: result has no replicates")
	}
	sum := stats.Summarize(&res.Config, res.Replicates)
	for _, s := range sum.Outcomes {
		for _, v := range []float64{s.Share, s.Lo, s.Hi} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plots: share of %s outcomes is %v", s.Outcome, v)
			}
		}
	}
	last := res.Config.Run.Steps
	if r0 := res.Replicates[0]; len(r0.Steps) > 0 {
		last = max(last, r0.Steps[len(r0.Steps)-1])
	}
	tlabel := timeLabel(res)

	// Left: outcome shares.
	left := newPlot("", "share of replicates")
	left.Add(grid())
	sb := &shareBars{Shares: sum.Outcomes}
	for _, s := range sum.Outcomes {
		switch s.Outcome {
		case sim.Established.String():
			sb.Colors = append(sb.Colors, oiBluishGreen)
		case sim.Collapsed.String():
			sb.Colors = append(sb.Colors, oiVermillion)
		default:
			sb.Colors = append(sb.Colors, lightGrey)
		}
	}
	left.Add(sb)
	names := make([]string, len(sum.Outcomes))
	for i, s := range sum.Outcomes {
		names[i] = s.Outcome
	}
	left.NominalX(names...)
	left.X.Tick.Label.Font = sans(labelSize, false)
	left.Y.Min, left.Y.Max = 0, 1.13
	left.Y.Tick.Marker = unitTicks

	// Right: convergence times.
	var conv []float64
	for _, r := range res.Replicates {
		if r.Converged >= 0 {
			conv = append(conv, float64(r.Converged))
		}
	}
	right := newPlot(fmt.Sprintf("%s at which expectations converged", tlabel), "replicates")
	right.Add(grid())
	bins, w := convergenceBins(conv, last)
	h := &plotter.Histogram{Bins: nonEmpty(bins), Width: w, FillColor: oiSkyBlue,
		LineStyle: draw.LineStyle{Color: oiBlue, Width: vg.Points(0.8)}}
	right.Add(h)
	right.X.Min, right.X.Max = 0, float64(last)
	for _, b := range h.Bins {
		right.X.Max = math.Max(right.X.Max, b.Max)
	}
	right.Y.Min = 0
	right.Y.Tick.Marker = intTicks{}
	var rightLegend []entry
	rp := panel{Plot: right}
	if len(conv) == 0 {
		right.Y.Max = 1
		rp.Heading = fmt.Sprintf("When beliefs converged (0 of %d)", len(res.Replicates))
		cc := res.Config.Convergence
		rp.Note = fmt.Sprintf("No replicate converged: the spread of restraint beliefs never stayed below ε = %g for %d %ss.",
			cc.Epsilon, cc.Window, tlabel)
	} else {
		right.Y.Max = math.Max(right.Y.Max, 1) * 1.1
		rp.Heading = fmt.Sprintf("When beliefs converged (%d of %d)", len(conv), len(res.Replicates))
		med := sum.Quantiles[2]
		v := &vlines{X: []float64{med}, Style: convStyle}
		right.Add(v)
		rightLegend = append(rightLegend,
			entry{Label: fmt.Sprintf("converged replicates (bins of %s)", fmtNum(w)), Thumbs: []plot.Thumbnailer{h}},
			entry{Label: fmt.Sprintf("median %s", fmtNum(med)), Thumbs: []plot.Thumbnailer{v}})
	}
	rp.Legend = rightLegend

	cc := res.Config.Convergence
	sub := fmt.Sprintf("At the end of a run the norm is established when the restraint rate and the mean belief are both at least %g, collapsed when both are at most %g, contested otherwise.",
		cc.High, cc.Low)
	if sim.Kernel(&res.Config) == "axelrod" {
		// The Axelrod kernel names outcomes by the traits (sim.AxelrodRegion).
		sub = "At the end of a run the norm is established when mean boldness is at most 2/7 and mean vengefulness at least 5/7, collapsed when boldness is at least 6/7 and vengefulness at most 1/7 (Galan and Izquierdo 2005), contested otherwise."
	}
	fr := frame{
		Title:    "Outcomes: does the norm hold?",
		Subtitle: sub,
		Caption:  caption(metaFor(meta, res), false),
	}
	pns := []panel{
		{Plot: left, Weight: 1.05, Heading: howEnd(len(res.Replicates)),
			Legend: []entry{{Label: "95% Wilson interval", Thumbs: []plot.Thumbnailer{sb}}}},
		rp,
	}
	return &Figure{Width: figWidth, Height: figHeight, draw: func(c draw.Canvas) {
		row(fr.draw(c), pns)
	}}, nil
}

func howEnd(n int) string {
	if n == 1 {
		return "How the replicate ends"
	}
	return fmt.Sprintf("How the %d replicates end", n)
}
