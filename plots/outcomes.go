package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/internal/stats"
	"github.com/normsim/normsim/sim"
)

// shareBars draws one horizontal bar per outcome share at y = n-1, ...,
// 0 (the first outcome on top), with its Wilson interval as a whisker
// and "k of n" written beside it.
type shareBars struct {
	Shares []stats.OutcomeShare
	Colors []color.Color
}

// Plot implements plot.Plotter.
func (b *shareBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	whisker := draw.LineStyle{Color: oiBlack, Width: vg.Points(1.5)}
	lab := textStyle(legendSize-0.5, false, color.Black)
	lab.YAlign = draw.YCenter
	n := len(b.Shares)
	for i, s := range b.Shares {
		y := float64(n - 1 - i)
		y0, y1 := trY(y-0.3), trY(y+0.3)
		x0, x1 := trX(0), trX(s.Share)
		if x1 > x0 {
			c.FillPolygon(b.Colors[i%len(b.Colors)], []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		}
		Y := trY(y)
		lo, hi := trX(s.Lo), trX(s.Hi)
		capH := vg.Points(5)
		c.StrokeLine2(whisker, lo, Y, hi, Y)
		c.StrokeLine2(whisker, lo, Y-capH, lo, Y+capH)
		c.StrokeLine2(whisker, hi, Y-capH, hi, Y+capH)
		txt := keep(fmt.Sprintf("%d of %d", s.Count, s.N))
		w := textWidth(lab, txt)
		st := lab
		x := hi + vg.Points(5)
		if x+w > c.Max.X && lo-vg.Points(5)-w > c.Min.X {
			st.XAlign = draw.XRight // no room on the right of the whisker
			x = lo - vg.Points(5)
		}
		c.FillText(st, vg.Point{X: x, Y: Y + (y1-y0)*0.33}, txt)
	}
}

// DataRange implements plot.DataRanger.
func (b *shareBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, 1, -0.5, float64(len(b.Shares)) - 0.5
}

// Thumbnail implements plot.Thumbnailer: a whisker.
func (b *shareBars) Thumbnail(c *draw.Canvas) {
	st := draw.LineStyle{Color: oiBlack, Width: vg.Points(1.5)}
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(st, c.Min.X, y, c.Max.X, y)
	c.StrokeLine2(st, c.Min.X, c.Min.Y, c.Min.X, c.Max.Y)
	c.StrokeLine2(st, c.Max.X, c.Min.Y, c.Max.X, c.Max.Y)
}

// region is a rectangle of one outcome class on the end-position panel.
type region struct {
	X0, X1, Y0, Y1 float64
	Outcome        sim.Outcome
	// LabelX, LabelY place the class's name (data coordinates), aligned
	// by AlignX and AlignY.
	LabelX, LabelY float64
	AlignX         draw.XAlignment
	AlignY         draw.YAlignment
}

// endPositions draws the outcome regions and each replicate's end point.
type endPositions struct {
	Regions  []region
	X, Y     []float64
	Outcomes []sim.Outcome
}

// Plot implements plot.Plotter.
func (e *endPositions) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	lab := textStyle(legendSize-1, false, grey)
	var dots []vg.Point
	for i := range e.X {
		if !math.IsNaN(e.X[i]) && !math.IsNaN(e.Y[i]) {
			dots = append(dots, vg.Point{X: trX(e.X[i]), Y: trY(e.Y[i])})
		}
	}
	for _, r := range e.Regions {
		x0, x1, y0, y1 := trX(r.X0), trX(r.X1), trY(r.Y0), trY(r.Y1)
		c.FillPolygon(withAlpha(outcomeColor(r.Outcome), regionAlpha), []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	}
	for _, r := range e.Regions {
		// The region's name, unless a replicate's dot would hide it.
		st := lab
		st.XAlign, st.YAlign = r.AlignX, r.AlignY
		pad := vg.Points(3)
		x, y := trX(r.LabelX), trY(r.LabelY)
		switch r.AlignX {
		case draw.XLeft:
			x = trX(r.LabelX) + pad
		case draw.XRight:
			x = trX(r.LabelX) - pad
		}
		switch r.AlignY {
		case draw.YBottom:
			y += pad
		case draw.YTop:
			y -= pad
		}
		box := st.Rectangle(r.Outcome.String()).Add(vg.Point{X: x, Y: y})
		box.Min.X -= 5
		box.Min.Y -= 5
		box.Max.X += 5
		box.Max.Y += 5
		hidden := false
		for _, d := range dots {
			if d.X >= box.Min.X && d.X <= box.Max.X && d.Y >= box.Min.Y && d.Y <= box.Max.Y {
				hidden = true
				break
			}
		}
		if !hidden {
			c.FillText(st, vg.Point{X: x, Y: y}, r.Outcome.String())
		}
	}
	for i := range e.X {
		if math.IsNaN(e.X[i]) || math.IsNaN(e.Y[i]) {
			continue
		}
		pt := vg.Point{X: trX(e.X[i]), Y: trY(e.Y[i])}
		c.DrawGlyph(draw.GlyphStyle{Color: withAlpha(outcomeColor(e.Outcomes[i]), 0xd0), Radius: vg.Points(4), Shape: draw.CircleGlyph{}}, pt)
		c.DrawGlyph(draw.GlyphStyle{Color: oiBlack, Radius: vg.Points(4), Shape: draw.RingGlyph{}}, pt)
	}
}

// DataRange implements plot.DataRanger.
func (e *endPositions) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 1, 0, 1 }

// endPanel returns the panel of each replicate's end position on the two
// axes that name its outcome: expectations and practice for the general
// model, mean boldness and vengefulness for Axelrod's games.
func endPanel(res *sim.Result) (panel, bool) {
	e := &endPositions{Outcomes: outcomesOf(res)}
	var p *plot.Plot
	heading := "Where each replicate ends"
	var notes []string
	if sim.Kernel(&res.Config) == "axelrod" {
		p = newPlot("mean boldness at the end", "mean vengefulness")
		for _, r := range res.Replicates {
			e.X = append(e.X, r.Final[sim.BoldnessMean])
			e.Y = append(e.Y, r.Final[sim.VengefulnessMean])
		}
		e.Regions = []region{
			{0, sim.AxelrodEstablishedBoldness, sim.AxelrodEstablishedVengefulness, 1, sim.Established, 0, 1, draw.XLeft, draw.YTop},
			{sim.AxelrodCollapseBoldness, 1, 0, sim.AxelrodCollapseVengefulness, sim.Collapsed, 1, 0, draw.XRight, draw.YBottom},
		}
	} else {
		cc := res.Config.Convergence
		xl, yl := "expectations B (mean restraint belief)", "practice P (restraint)"
		if k := sim.Kernel(&res.Config); k == "game" || k == "lattice-game" {
			xl, yl = "B: neighbours' share cooperating", "P: share cooperating"
		}
		p = newPlot(xl, yl)
		for _, r := range res.Replicates {
			e.X = append(e.X, r.FinalBelief)
			e.Y = append(e.Y, r.FinalRestraint)
		}
		h, l := cc.High, cc.Low
		e.Regions = []region{
			{h, 1, h, 1, sim.Established, 1, 1, draw.XRight, draw.YTop},
			{0, l, h, 1, sim.Latent, 0, 1, draw.XLeft, draw.YTop},
			{h, 1, 0, l, sim.Hollow, 1, 0, draw.XRight, draw.YBottom},
			{0, l, 0, l, sim.Collapsed, 0, 0, draw.XLeft, draw.YBottom},
			{l, h, l, h, sim.Contested, (l + h) / 2, (l + h) / 2, draw.XCenter, draw.YCenter},
		}
		missing := 0
		for i := range e.X {
			if math.IsNaN(e.X[i]) || math.IsNaN(e.Y[i]) {
				missing++
			}
		}
		if missing == len(e.X) {
			return panel{}, false
		}
		if missing > 0 {
			notes = append(notes, fmt.Sprintf("%d replicates had no opportunity in their last window and are not drawn.", missing))
		}
	}
	p.Add(grid())
	p.Add(e)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.X.Tick.Marker, p.Y.Tick.Marker = unitTicks, unitTicks
	p.X.Padding, p.Y.Padding = vg.Points(6), vg.Points(6)
	if sim.Kernel(&res.Config) == "axelrod" {
		notes = append([]string{"Shaded: Galan and Izquierdo's regions, established (top left) and collapsed (bottom right)."}, notes...)
	} else {
		notes = append([]string{fmt.Sprintf("Shaded: the outcome regions (high ≥ %g, low ≤ %g).", res.Config.Convergence.High, res.Config.Convergence.Low)}, notes...)
	}
	return panel{Plot: p, Heading: heading, Notes: notes}, true
}

// outcomeShares classifies every replicate at every recorded step and
// returns, per step, the share of replicates in each of the kernel's
// outcomes (shares[k][j] for outcome outs[k] at step x[j]); a replicate
// that cannot be classified at a step (no practice yet) is in no share.
//
// The general model classifies as [sim.Classify] does at the end of a
// run, on the means of practice (restraint_compliant) and expectations
// (belief_restraint_mean) over a trailing window of Convergence.Window
// steps (the recorded steps in (t - window, t], fewer at the start), so
// that the last step's shares are the outcome shares. Axelrod's games
// classify each step's mean traits by Galan and Izquierdo's regions, as
// the engine names their outcome.
func outcomeShares(res *sim.Result) (x []float64, outs []sim.Outcome, shares [][]float64) {
	outs = sim.Outcomes(&res.Config)
	pos := map[sim.Outcome]int{}
	for k, o := range outs {
		pos[o] = k
	}
	steps := res.Replicates[0].Steps
	nj := len(steps)
	shares = make([][]float64, len(outs))
	for k := range shares {
		shares[k] = make([]float64, nj)
	}
	x = make([]float64, nj)
	for j, t := range steps {
		x[j] = float64(t)
	}
	n := float64(len(res.Replicates))
	axelrod := sim.Kernel(&res.Config) == "axelrod"
	cc := res.Config.Convergence
	w := max(1, cc.Window)
	for i := range res.Replicates {
		rows := res.Replicates[i].Rows
		var sp, sb float64
		var np, nb int
		lo := 0
		for j := range nj {
			var o sim.Outcome
			if axelrod {
				o = sim.AxelrodRegion(rows[j][sim.BoldnessMean], rows[j][sim.VengefulnessMean])
			} else {
				if v := rows[j][sim.RestraintCompliant]; !math.IsNaN(v) {
					sp += v
					np++
				}
				if v := rows[j][sim.BeliefRestraintMean]; !math.IsNaN(v) {
					sb += v
					nb++
				}
				for steps[lo] <= steps[j]-w {
					if v := rows[lo][sim.RestraintCompliant]; !math.IsNaN(v) {
						sp -= v
						np--
					}
					if v := rows[lo][sim.BeliefRestraintMean]; !math.IsNaN(v) {
						sb -= v
						nb--
					}
					lo++
				}
				if np == 0 || nb == 0 {
					continue
				}
				o = sim.Classify(cc, sp/float64(np), sb/float64(nb))
			}
			if k, ok := pos[o]; ok {
				shares[k][j] += 1 / n
			}
		}
	}
	return x, outs, shares
}

// stacked draws shares stacked from the bottom, layer k between the sum
// of the layers below and that plus its own share.
type stacked struct {
	X      []float64
	Shares [][]float64
	Colors []color.NRGBA
}

// Plot implements plot.Plotter. A share holds from its step to the next
// recorded one: the layers are steps, not slopes between classifications.
func (s *stacked) Plot(c draw.Canvas, p *plot.Plot) {
	n := len(s.X)
	if n == 0 {
		return
	}
	x := make([]float64, 0, 2*n)
	for j := range n {
		x = append(x, s.X[j])
		if j+1 < n {
			x = append(x, s.X[j+1])
		}
	}
	base := make([]float64, len(x))
	for k := range s.Shares {
		top := make([]float64, 0, len(x))
		for j := range n {
			v := s.Shares[k][j]
			top = append(top, v)
			if j+1 < n {
				top = append(top, v)
			}
		}
		for i := range top {
			top[i] += base[i]
		}
		(&area{X: x, Lo: base, Hi: top, Color: s.Colors[k]}).Plot(c, p)
		base = top
	}
}

// DataRange implements plot.DataRanger.
func (s *stacked) DataRange() (xmin, xmax, ymin, ymax float64) {
	if len(s.X) == 0 {
		return 0, 0, 0, 1
	}
	return s.X[0], s.X[len(s.X)-1], 0, 1
}

// thinShares reduces the shares to at most max steps by the runs of
// [thinLine].
func thinShares(x []float64, shares [][]float64, max int, norm func(float64) float64) ([]float64, [][]float64) {
	out := make([][]float64, len(shares))
	var tx []float64
	for k := range shares {
		tx, out[k] = thinLine(x, shares[k], max, norm)
	}
	if len(shares) == 0 {
		tx = x
	}
	return tx, out
}

// convergenceBins bins convergence steps into bins of a whole, round
// width (1, 2 or 5 times a power of ten, the nearest to): the width of
// Freedman and Diaconis (1981), 2 IQR / n^(1/3), or the range over
// sqrt(n) + 1 when the quartiles coincide; at least five bins over the
// range and at most forty. It returns the bins, their width and an axis
// range around them with a bin's room on each side, so that the bars
// fill the axis whatever the run's length.
func convergenceBins(steps []float64) (bins []plotter.HistogramBin, w, xmin, xmax float64) {
	s := slices.Clone(steps)
	slices.Sort(s)
	lo, hi := s[0], s[len(s)-1]
	n := float64(len(s))
	iqr := stats.Quantile(s, 0.75) - stats.Quantile(s, 0.25)
	raw := 2 * iqr / math.Cbrt(n)
	if !(raw > 0) {
		raw = (hi - lo) / (math.Ceil(math.Sqrt(n)) + 1)
	}
	raw = math.Max(math.Min(raw, (hi-lo)/5), (hi-lo)/40)
	w = math.Max(1, nearNice(math.Max(1, raw)))
	if hi == lo {
		w = math.Max(1, nearNice(math.Max(1, lo*0.02)))
	}
	start := math.Floor(lo/w) * w
	nb := int(math.Floor((hi-start)/w)) + 1
	bins = make([]plotter.HistogramBin, nb)
	for i := range bins {
		bins[i].Min = start + float64(i)*w
		bins[i].Max = bins[i].Min + w
	}
	for _, s := range steps {
		i := min(max(int(math.Floor((s-start)/w)), 0), nb-1)
		bins[i].Weight++
	}
	xmin = math.Max(0, start-w)
	xmax = start + float64(nb+1)*w
	return bins, w, xmin, xmax
}

// nearNice returns the 1, 2 or 5 times a power of ten nearest to x > 0
// (in ratio).
func nearNice(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	best := p
	for _, m := range []float64{1, 2, 5, 10} {
		if math.Abs(math.Log(m*p/x)) < math.Abs(math.Log(best/x)) {
			best = m * p
		}
	}
	return best
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

// drawOutcomes draws the outcomes chart: each replicate's end position
// (practice against expectations) over the outcome regions, and the
// shares of the five outcomes with their intervals. Long for the reason
// given at drawConvergence: one figure's layout, read top to bottom.
func drawOutcomes(res *sim.Result, meta Meta) (*Figure, error) {
	if err := checkReplicates(res); err != nil {
		return nil, err
	}
	sum := stats.Summarize(&res.Config, res.Replicates)
	for _, s := range sum.Outcomes {
		for _, v := range []float64{s.Share, s.Lo, s.Hi} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plots: share of %s outcomes is %v", s.Outcome, v)
			}
		}
	}
	tl := newTimeline(res)
	n := len(res.Replicates)
	axelrod := sim.Kernel(&res.Config) == "axelrod"

	// Shares with their intervals.
	left := newPlot("share of replicates", "")
	left.Add(grid())
	sb := &shareBars{Shares: sum.Outcomes}
	names := make([]string, len(sum.Outcomes))
	for i, s := range sum.Outcomes {
		o, _ := sim.ParseOutcome(s.Outcome)
		sb.Colors = append(sb.Colors, outcomeColor(o))
		names[len(names)-1-i] = s.Outcome
	}
	left.Add(sb)
	left.NominalY(names...)
	left.Y.Tick.Label.Font = sans(labelSize, false)
	left.X.Min, left.X.Max = 0, 1
	left.X.Tick.Marker = unitTicks
	bars := panel{Plot: left, Heading: howEnd(n), Legend: []entry{{Label: "95% Wilson interval", Thumbs: []plot.Thumbnailer{sb}}}}

	ends, hasEnds := endPanel(res)

	// The outcome share over time.
	x, outs, shares := outcomeShares(res)
	x, shares = thinShares(x, shares, maxPoints, tl.norm)
	// Stack from the bottom: the last outcome (collapsed) first.
	st := &stacked{X: x}
	var legend []entry
	for k := len(outs) - 1; k >= 0; k-- {
		st.Shares = append(st.Shares, shares[k])
		st.Colors = append(st.Colors, withAlpha(outcomeColor(outs[k]), 0xd8))
	}
	for _, o := range outs {
		legend = append(legend, entry{Label: o.String(), Thumbs: []plot.Thumbnailer{swatch(withAlpha(outcomeColor(o), 0xd8))}})
	}
	over := newPlot("", "share of replicates")
	over.Add(grid())
	over.Add(st)
	tl.decorate(over, true)
	over.Y.Min, over.Y.Max = 0, 1
	over.Y.Tick.Marker = unitTicks
	cc := res.Config.Convergence
	overNote := fmt.Sprintf("Each replicate classified at each step over the trailing %d %ss, as at the end.", cc.Window, tl.XLabel)
	if axelrod {
		overNote = "Each replicate classified at each step by its mean traits, as at the end."
	}
	overPanel := panel{Plot: over, Heading: "Outcome over time", Notes: []string{overNote}, Legend: legend, Weight: 1.5}

	// First convergence.
	var conv []float64
	for _, r := range res.Replicates {
		if r.Converged >= 0 {
			conv = append(conv, float64(r.Converged))
		}
	}
	var bottom []panel
	classified := false
	for k := range shares {
		for _, v := range shares[k] {
			classified = classified || v > 0
		}
	}
	if classified {
		bottom = append(bottom, overPanel)
	}
	var sub []string
	if note := incompleteNote(meta, res); note != "" {
		sub = append(sub, note)
	}
	if !hasEnds || !classified {
		sub = append(sub, "No replicate had an opportunity, so none has practice to place on the two axes: they are all contested.")
	}
	switch {
	case axelrod:
		sub = append(sub, "A replicate's outcome is named by its mean traits at the end (Galan and Izquierdo 2005): established at boldness ≤ 2/7 with vengefulness ≥ 5/7, collapsed at boldness ≥ 6/7 with vengefulness ≤ 1/7, contested otherwise.")
	default:
		sub = append(sub, fmt.Sprintf("A replicate's outcome is read over its last %d %ss on two axes, practice P and expectations B, each high at ≥ %g and low at ≤ %g: established (both high), latent (P high, B low), hollow (P low, B high), collapsed (both low), contested otherwise.",
			cc.Window, tl.XLabel, cc.High, cc.Low))
	}
	if len(conv) > 0 {
		bins, w, xmin, xmax := convergenceBins(conv)
		hp := newPlot(fmt.Sprintf("%s of first convergence", tl.XLabel), "replicates")
		hp.Add(grid())
		h := &plotter.Histogram{Bins: nonEmpty(bins), Width: w, FillColor: oiSkyBlue,
			LineStyle: draw.LineStyle{Color: oiBlue, Width: vg.Points(0.8)}}
		hp.Add(h)
		med := sum.Quantiles[2]
		v := &vlines{X: []float64{med}, Style: convStyle}
		hp.Add(v)
		hp.X.Min, hp.X.Max = xmin, xmax
		hp.X.Tick.Marker = intTicks{}
		hp.Y.Min = 0
		for _, b := range bins {
			hp.Y.Max = math.Max(hp.Y.Max, b.Weight)
		}
		hp.Y.Max = math.Max(hp.Y.Max, 1) * 1.1
		hp.Y.Tick.Marker = intTicks{}
		var notes []string
		if never := n - len(conv); never > 0 {
			notes = append(notes, keep(fmt.Sprintf("%d of %d", never, n))+" never converged.")
		}
		bottom = append(bottom, panel{Plot: hp, Heading: "First convergence: " + keep(fmt.Sprintf("%d of %d", len(conv), n)),
			Notes: notes,
			Legend: []entry{
				{Label: keep(fmt.Sprintf("bins of %s", fmtNum(w))), Thumbs: []plot.Thumbnailer{h}},
				{Label: keep(fmt.Sprintf("median %s", fmtNum(med))), Thumbs: []plot.Thumbnailer{v}},
			}, Weight: 1})
	} else {
		sub = append(sub, fmt.Sprintf("No replicate converged (the spread never stayed below ε = %g for %d %ss with the mean steady), so there is no histogram of convergence steps.",
			cc.Epsilon, cc.Window, tl.XLabel))
	}
	if note := tl.axisNote(); note != "" {
		sub = append(sub, note)
	}
	fr := frame{
		Title:    "Outcomes: does the norm hold?",
		Subtitle: strings.Join(sub, " "),
		Caption:  runCaption(meta, res),
	}
	top := []panel{bars}
	if hasEnds {
		bars.Weight, ends.Weight = 1.25, 1
		top = []panel{bars, ends}
	}
	h := 8 * vg.Inch
	if len(bottom) == 0 {
		h = figHeight
	}
	return &Figure{Width: figWidth, Height: h, draw: func(c draw.Canvas) {
		body := fr.draw(c)
		if len(bottom) == 0 {
			row(body, top)
			return
		}
		parts := split(body, panelGap*1.5, 1.1, 1)
		row(parts[0], top)
		row(parts[1], bottom)
	}}, nil
}

func howEnd(n int) string {
	if n == 1 {
		return "How the replicate ends"
	}
	return fmt.Sprintf("How the %d replicates end", n)
}
