package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// viridisAnchors are ten evenly spaced colours of the viridis colour map
// (van der Walt and Smith 2015, matplotlib): perceptually uniform,
// monotonic in lightness, readable with colour-vision deficiencies and in
// grey.
var viridisAnchors = []color.NRGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x48, 0x28, 0x78, 0xff}, {0x3E, 0x4A, 0x89, 0xff},
	{0x31, 0x68, 0x8E, 0xff}, {0x26, 0x82, 0x8E, 0xff}, {0x1F, 0x9E, 0x89, 0xff},
	{0x35, 0xB7, 0x79, 0xff}, {0x6D, 0xCD, 0x59, 0xff}, {0xB4, 0xDE, 0x2C, 0xff},
	{0xFD, 0xE7, 0x25, 0xff},
}

// viridis returns the colour of t in [0, 1], interpolated between anchors.
func viridis(t float64) color.NRGBA {
	t = math.Min(1, math.Max(0, t))
	f := t * float64(len(viridisAnchors)-1)
	i := min(int(f), len(viridisAnchors)-2)
	u := f - float64(i)
	a, b := viridisAnchors[i], viridisAnchors[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + u*(float64(y)-float64(x)))) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// checkFinite fails on the first NaN or infinite value of x, naming the
// series.
func checkFinite(name string, x []float64) error {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("plots: %s[%d] is %v", name, i, v)
		}
	}
	return nil
}

// checkAxis checks that a grid axis is non-empty, finite and strictly
// increasing.
func checkAxis(name string, x []float64) error {
	if len(x) == 0 {
		return fmt.Errorf("plots: %s is empty", name)
	}
	if err := checkFinite(name, x); err != nil {
		return err
	}
	for i := 1; i < len(x); i++ {
		if !(x[i] > x[i-1]) {
			return fmt.Errorf("plots: %s is not increasing: %s[%d] = %v after %v", name, name, i, x[i], x[i-1])
		}
	}
	return nil
}

// edges returns the cell boundaries of grid centres x: midpoints between
// neighbours, and half a step beyond the ends (a cell of width 1, or 10%
// of |x|, for a single centre).
func edges(x []float64) []float64 {
	e := make([]float64, len(x)+1)
	if len(x) == 1 {
		h := math.Max(0.5, math.Abs(x[0])*0.1)
		return []float64{x[0] - h, x[0] + h}
	}
	for i := 1; i < len(x); i++ {
		e[i] = (x[i-1] + x[i]) / 2
	}
	e[0] = x[0] - (e[1] - x[0])
	e[len(x)] = x[len(x)-1] + (x[len(x)-1] - e[len(x)-1])
	return e
}

// cells draws the heat map cells of a phase diagram, each labelled with
// its value when the grid is small enough to read them.
type cells struct {
	X, Y     []float64
	Z        [][]float64 // Z[row = y index][column = x index]
	Min, Max float64
	Labels   bool
}

func (h *cells) color(v float64) color.NRGBA {
	return viridis((v - h.Min) / (h.Max - h.Min))
}

// Plot implements plot.Plotter.
func (h *cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ex, ey := edges(h.X), edges(h.Y)
	lab := textStyle(tickSize, false, color.Black)
	lab.XAlign, lab.YAlign = draw.XCenter, draw.YCenter
	for r := range h.Y {
		for col := range h.X {
			x0, x1 := trX(ex[col]), trX(ex[col+1])
			y0, y1 := trY(ey[r]), trY(ey[r+1])
			clr := h.color(h.Z[r][col])
			// Overlap by a hair to avoid seams between cells.
			d := vg.Points(0.3)
			c.FillPolygon(clr, []vg.Point{{X: x0 - d, Y: y0 - d}, {X: x1 + d, Y: y0 - d}, {X: x1 + d, Y: y1 + d}, {X: x0 - d, Y: y1 + d}})
			if h.Labels {
				s := lab
				if luminance(clr) < 0.45 {
					s.Color = color.White
				}
				c.FillText(s, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, fmtValue(h.Z[r][col]))
			}
		}
	}
}

// DataRange implements plot.DataRanger.
func (h *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	ex, ey := edges(h.X), edges(h.Y)
	return ex[0], ex[len(ex)-1], ey[0], ey[len(ey)-1]
}

// luminance is the relative luminance of c (sRGB, 0..1), approximately.
func luminance(c color.NRGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

// fmtValue formats a value with about three significant digits.
func fmtValue(v float64) string {
	return fmt.Sprintf("%.3g", v)
}

// colorBar draws the colour scale of a phase diagram as a vertical bar
// over the plot's y range.
type colorBar struct{ Min, Max float64 }

// Plot implements plot.Plotter.
func (b *colorBar) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	const n = 128
	for i := range n {
		v0 := b.Min + (b.Max-b.Min)*float64(i)/n
		v1 := b.Min + (b.Max-b.Min)*float64(i+1)/n
		y0, y1 := trY(v0), trY(v1)+vg.Points(0.3)
		c.FillPolygon(viridis((float64(i)+0.5)/n), []vg.Point{{X: c.Min.X, Y: y0}, {X: c.Max.X, Y: y0}, {X: c.Max.X, Y: y1}, {X: c.Min.X, Y: y1}})
	}
}

// DataRange implements plot.DataRanger.
func (b *colorBar) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 1, b.Min, b.Max }

// Option changes how a sweep chart reads its values: [UnitScale],
// [Binned], [Pooled].
type Option func(*options)

type options struct {
	unit   bool
	bins   int
	pooled []string
}

// UnitScale says the values are shares or rates: a phase diagram's colour
// scale and a parameter line's axis then run from 0 to 1 whatever the
// values (so that 0.75 does not look like the top), and a value outside
// [0, 1] is an error.
func UnitScale() Option { return func(o *options) { o.unit = true } }

// Binned says a parameter line's points are the means of the runs in
// bins bins of the parameter's range (a sampled design: Latin hypercube,
// Sobol, Morris), not design points.
func Binned(bins int) Option { return func(o *options) { o.bins = bins } }

// Pooled says a parameter line's points pool the runs over the other
// parameters of the design, named by keys.
func Pooled(keys ...string) Option { return func(o *options) { o.pooled = keys } }

func apply(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}

// PhaseDiagram draws a heat map of z over two parameters: z[i][j] is the
// value at (x[j], y[i]) (one row per y value, as in an image or a matrix
// whose columns run along x). x and y are the grid's centres, strictly
// increasing and not necessarily evenly spaced. A colour bar names the
// scale (viridis), from the lowest to the highest value, or from 0 to 1
// with [UnitScale]; grids of at most 12 x 12 cells show each value.
func PhaseDiagram(x, y []float64, z [][]float64, xlabel, ylabel, zlabel string, meta Meta, opts ...Option) (*Figure, error) {
	o := apply(opts)
	if err := checkAxis("x", x); err != nil {
		return nil, fmt.Errorf("plots: phase diagram: %s", trimPrefix(err))
	}
	if err := checkAxis("y", y); err != nil {
		return nil, fmt.Errorf("plots: phase diagram: %s", trimPrefix(err))
	}
	if len(z) != len(y) {
		return nil, fmt.Errorf("plots: phase diagram: z has %d rows, want one per y value (%d)", len(z), len(y))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, row := range z {
		if len(row) != len(x) {
			return nil, fmt.Errorf("plots: phase diagram: z[%d] has %d values, want one per x value (%d)", i, len(row), len(x))
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plots: phase diagram: %s z[%d][%d] (%s = %v, %s = %v) is %v", zlabel, i, j, xlabel, x[j], ylabel, y[i], v)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if o.unit {
		if lo < 0 || hi > 1 {
			return nil, fmt.Errorf("plots: phase diagram: %s ranges over [%v, %v], not a share in [0, 1]", zlabel, lo, hi)
		}
		lo, hi = 0, 1
	}
	if hi == lo {
		d := math.Max(0.5, math.Abs(lo)*0.05)
		lo, hi = lo-d, hi+d
	}
	hm := &cells{X: x, Y: y, Z: z, Min: lo, Max: hi, Labels: len(x) <= 12 && len(y) <= 12}
	p := newPlot(xlabel, ylabel)
	p.Add(hm)
	p.X.Padding, p.Y.Padding = 0, 0
	if len(x) <= 12 {
		p.X.Tick.Marker = valueTicks(x)
	}
	if len(y) <= 12 {
		p.Y.Tick.Marker = valueTicks(y)
	}

	bar := newPlot("", zlabel)
	bar.Add(&colorBar{Min: lo, Max: hi})
	bar.HideX()
	bar.Y.Padding = 0
	bar.Y.Min, bar.Y.Max = lo, hi
	if o.unit {
		bar.Y.Tick.Marker = unitTicks
	}

	fr := frame{
		Title:    fmt.Sprintf("%s over %s and %s", capitalize(zlabel), xlabel, ylabel),
		Subtitle: "Each cell is one design point; its colour (and number) is the value. Lighter is higher.",
		Caption:  caption(meta, true),
	}
	pns := []panel{{Plot: p, Weight: 1}, {Plot: bar, Weight: 0.1}}
	return &Figure{Name: "phase", Width: figWidth, Height: figHeight, draw: func(c draw.Canvas) {
		body := fr.draw(c)
		// The colour bar sits beside the map, a fixed width wide.
		main, side := body, body
		side.Min.X = body.Max.X - vg.Points(80)
		main.Max.X = side.Min.X - vg.Points(12)
		row(main, pns[:1])
		// Align the bar's extent with the map's data area.
		dc := p.DataCanvas(main)
		side.Min.Y, side.Max.Y = dc.Min.Y, dc.Max.Y
		bc := bar.DataCanvas(side)
		side.Min.Y -= bc.Min.Y - side.Min.Y
		side.Max.Y += side.Max.Y - bc.Max.Y
		bar.Draw(side)
	}}, nil
}

// valueTicks labels each grid value.
func valueTicks(x []float64) plot.ConstantTicks {
	t := make(plot.ConstantTicks, len(x))
	for i, v := range x {
		t[i] = plot.Tick{Value: v, Label: fmtValue(v)}
	}
	return t
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}

func trimPrefix(err error) string {
	s := err.Error()
	const p = "plots: "
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// ParamLine draws mean against one parameter x, with the interval
// [lo, hi] as a band: for a sweep over one parameter. x must be strictly
// increasing and lo <= hi at every point. By default each point is a
// design point; say so otherwise with [Binned] or [Pooled]. [UnitScale]
// puts the values on a 0 to 1 axis.
func ParamLine(x, mean, lo, hi []float64, xlabel, ylabel string, meta Meta, opts ...Option) (*Figure, error) {
	o := apply(opts)
	if err := checkAxis("x", x); err != nil {
		return nil, fmt.Errorf("plots: parameter line: %s", trimPrefix(err))
	}
	for _, s := range []struct {
		name string
		v    []float64
	}{{"mean", mean}, {"lo", lo}, {"hi", hi}} {
		if len(s.v) != len(x) {
			return nil, fmt.Errorf("plots: parameter line: %s has %d values, x has %d", s.name, len(s.v), len(x))
		}
		if err := checkFinite(s.name, s.v); err != nil {
			return nil, fmt.Errorf("plots: parameter line: %s of %s", trimPrefix(err), ylabel)
		}
	}
	for i := range x {
		if lo[i] > hi[i] {
			return nil, fmt.Errorf("plots: parameter line: interval at %s = %v is [%v, %v], lo above hi", xlabel, x[i], lo[i], hi[i])
		}
	}
	p := newPlot(xlabel, ylabel)
	p.Add(grid())
	b := band{X: x, Lo: lo, Mid: mean, Hi: hi}
	legend := addBands(p, bandSpec{B: b, Color: oiBlue, Label: "mean over the runs, with its 95% interval"})
	pts := make(plotter.XYs, len(x))
	for i := range x {
		pts[i] = plotter.XY{X: x[i], Y: mean[i]}
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: oiBlue, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
	p.Add(sc)
	legend[0].Thumbs = append(legend[0].Thumbs, sc)
	if len(x) <= 12 && o.bins == 0 {
		p.X.Tick.Marker = valueTicks(x)
	}
	ymin, ymax := slices.Min(lo), slices.Max(hi)
	pad := (ymax - ymin) * 0.06
	if pad == 0 { // a flat line: give it a visible scale
		pad = math.Max(math.Abs(ymax)*0.1, 0.1)
	}
	p.Y.Min, p.Y.Max = ymin-pad, ymax+pad
	if o.unit {
		p.Y.Min, p.Y.Max = 0, 1
		p.Y.Tick.Marker = unitTicks
	}

	dots := "Dots: the design points, each the mean of its runs"
	switch {
	case o.bins > 0:
		dots = fmt.Sprintf("Dots: the mean of the runs in each of %d bins of the sampled range (not design points)", o.bins)
		if len(o.pooled) > 0 {
			dots += ", pooled over " + strings.Join(o.pooled, ", ")
		}
	case len(o.pooled) > 0:
		dots = fmt.Sprintf("Dots: the values of %s in the design, each the mean of the runs pooled over %s", xlabel, strings.Join(o.pooled, ", "))
	}
	fr := frame{
		Title:    fmt.Sprintf("%s against %s", capitalize(ylabel), xlabel),
		Subtitle: dots + "; band: the 95% interval at each dot.",
		Caption:  caption(meta, true),
	}
	pns := []panel{{Plot: p, Legend: legend}}
	return &Figure{Name: "param", Width: figWidth, Height: figHeight, draw: func(c draw.Canvas) {
		stack(fr.draw(c), pns)
	}}, nil
}

// SobolBars draws first-order (s1) and total (st) Sobol sensitivity
// indices per parameter as horizontal bars with their intervals
// ([s1lo, s1hi], [stlo, sthi]), sorted by total index, largest on top
// (Saltelli et al. 2010, "Variance based sensitivity analysis of model
// output", Computer Physics Communications 181). It is long because it
// checks its six series and lays out one figure, with the warnings that
// estimates outside [0, 1] call for, in one reading order.
func SobolBars(names []string, s1, s1lo, s1hi, st, stlo, sthi []float64, meta Meta) (*Figure, error) {
	n := len(names)
	if n == 0 {
		return nil, fmt.Errorf("plots: sobol bars: no parameters")
	}
	for _, s := range []struct {
		name string
		v    []float64
	}{{"s1", s1}, {"s1lo", s1lo}, {"s1hi", s1hi}, {"st", st}, {"stlo", stlo}, {"sthi", sthi}} {
		if len(s.v) != n {
			return nil, fmt.Errorf("plots: sobol bars: %s has %d values, want one per parameter (%d)", s.name, len(s.v), n)
		}
		for i, v := range s.v {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("plots: sobol bars: %s of %s is %v", s.name, names[i], v)
			}
		}
	}
	for i := range n {
		if s1lo[i] > s1hi[i] || stlo[i] > sthi[i] {
			return nil, fmt.Errorf("plots: sobol bars: interval of %s has lo above hi (s1 [%v, %v], st [%v, %v])",
				names[i], s1lo[i], s1hi[i], stlo[i], sthi[i])
		}
	}
	// Order: largest total index on top; gonum puts index 0 at the bottom.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return st[order[a]] < st[order[b]] })

	// Estimates outside [0, 1], or a first-order index above the total,
	// are not shares of variance: the design is too small to estimate
	// them (or the output barely varies). Say so on the chart.
	var bad []string
	for i := range n {
		for _, e := range []struct {
			name string
			v    float64
		}{{"S1", s1[i]}, {"ST", st[i]}} {
			if e.v < -0.005 || e.v > 1.005 {
				bad = append(bad, fmt.Sprintf("%s of %s = %.2f", e.name, names[i], e.v))
			}
		}
		if s1[i] > st[i]+0.005 {
			bad = append(bad, fmt.Sprintf("S1 of %s above its ST (%.2f > %.2f)", names[i], s1[i], st[i]))
		}
	}
	xlabel := "Sobol index (share of output variance)"
	var warning string
	if len(bad) > 0 {
		xlabel = "Sobol index (estimate)"
		what := fmt.Sprintf("%d estimates are", len(bad))
		if len(bad) == 1 {
			what = "1 estimate is"
		}
		warning = fmt.Sprintf("Warning: %s impossible for a share of variance (%s). A Sobol index lies in [0, 1] and S1 ≤ ST: the design is too small for this output. Run more base samples before reading the bars.",
			what, strings.Join(bad, "; "))
	}
	p := newPlot(xlabel, "")
	p.Add(grid())
	ys := make([]string, n)
	xmin, xmax := 0.0, 0.0
	var ents []entry
	for _, spec := range []struct {
		v, lo, hi []float64
		c         color.NRGBA
		label     string
		off       float64
	}{
		{st, stlo, sthi, oiOrange, "total effect ST (with interactions)", 0.19},
		{s1, s1lo, s1hi, oiBlue, "first-order S1 (alone)", -0.19},
	} {
		hb := &hbars{Color: spec.c, Off: spec.off, Half: 0.17}
		for pos, i := range order {
			hb.V = append(hb.V, spec.v[i])
			hb.Lo = append(hb.Lo, spec.lo[i])
			hb.Hi = append(hb.Hi, spec.hi[i])
			ys[pos] = names[i]
			xmin = math.Min(xmin, spec.lo[i])
			xmax = math.Max(xmax, spec.hi[i])
		}
		p.Add(hb)
		ents = append(ents, entry{Label: spec.label, Thumbs: []plot.Thumbnailer{hb}})
	}
	p.NominalY(ys...)
	p.Y.Tick.Label.Font = sans(labelSize, false)
	// The axis holds the estimates (and 0 and 1); an interval that reaches
	// further ends in an arrow, so that a wild interval does not squash the
	// bars.
	emin, emax := 0.0, 0.0
	for i := range n {
		emin = math.Min(emin, math.Min(s1[i], st[i]))
		emax = math.Max(emax, math.Max(s1[i], st[i]))
	}
	p.X.Min = math.Max(xmin, math.Min(emin*1.1, -0.05))
	p.X.Max = math.Min(math.Max(xmax*1.05, 0.1), math.Max(1.05, emax*1.15))
	p.Add(&vlines{X: []float64{0}, Style: draw.LineStyle{Color: grey, Width: vg.Points(1)}})
	ents = append(ents, entry{Label: "95% interval", Thumbs: []plot.Thumbnailer{&whisker{}}})
	if len(bad) > 0 {
		one := &vlines{X: []float64{1}, Style: draw.LineStyle{Color: oiVermillion, Width: vg.Points(1.2), Dashes: dashed}}
		p.Add(one)
		p.X.Max = math.Max(p.X.Max, 1.05)
		ents = append(ents, entry{Label: "the range of a share, [0, 1]", Thumbs: []plot.Thumbnailer{one}})
	}

	sub := "First-order: the share of output variance a parameter explains alone; total: including its interactions. A large gap means interactions."
	if len(bad) > 0 {
		sub = "First-order S1: what a parameter explains alone; total ST: with its interactions."
	}
	fr := frame{
		Title:    "Which parameters matter: Sobol sensitivity indices",
		Subtitle: sub,
		Warning:  warning,
		Caption:  caption(meta, true),
	}
	h := max(figHeight, vg.Length(n)*vg.Points(34)+3*vg.Inch)
	pns := []panel{{Plot: p, Legend: ents}}
	return &Figure{Name: "sobol", Width: figWidth, Height: h, draw: func(c draw.Canvas) {
		stack(fr.draw(c), pns)
	}}, nil
}

// hbars draws horizontal bars at y = 0, 1, ... (plus Off), Half thick on
// each side, with interval whiskers.
type hbars struct {
	V, Lo, Hi []float64
	Color     color.NRGBA
	Off, Half float64
}

// Plot implements plot.Plotter.
func (h *hbars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ws := draw.LineStyle{Color: oiBlack, Width: vg.Points(1.3)}
	for i, v := range h.V {
		y := float64(i) + h.Off
		x0, x1 := trX(0), trX(v)
		y0, y1 := trY(y-h.Half), trY(y+h.Half)
		c.FillPolygon(h.Color, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		ym := trY(y)
		capH := (y1 - y0) * 0.3
		// An interval beyond the axis ends in an arrow at the edge.
		end := func(v float64, edge vg.Length, out bool, dir vg.Length) vg.Length {
			if !out {
				x := trX(v)
				c.StrokeLine2(ws, x, ym-capH, x, ym+capH)
				return x
			}
			c.StrokeLine2(ws, edge, ym, edge-dir*capH, ym-capH)
			c.StrokeLine2(ws, edge, ym, edge-dir*capH, ym+capH)
			return edge
		}
		lo := end(h.Lo[i], c.Min.X, h.Lo[i] < p.X.Min, -1)
		hi := end(h.Hi[i], c.Max.X, h.Hi[i] > p.X.Max, 1)
		c.StrokeLine2(ws, lo, ym, hi, ym)
	}
}

// DataRange implements plot.DataRanger.
func (h *hbars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = 0, 0
	for i := range h.V {
		xmin = math.Min(xmin, math.Min(h.Lo[i], h.V[i]))
		xmax = math.Max(xmax, math.Max(h.Hi[i], h.V[i]))
	}
	return xmin, xmax, -0.5, float64(len(h.V)) - 0.5
}

// Thumbnail implements plot.Thumbnailer.
func (h *hbars) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(h.Color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

// whisker is the legend thumbnail of an interval.
type whisker struct{}

// Thumbnail implements plot.Thumbnailer.
func (whisker) Thumbnail(c *draw.Canvas) {
	ws := draw.LineStyle{Color: oiBlack, Width: vg.Points(1.3)}
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(ws, c.Min.X, y, c.Max.X, y)
	c.StrokeLine2(ws, c.Min.X, c.Min.Y, c.Min.X, c.Max.Y)
	c.StrokeLine2(ws, c.Max.X, c.Min.Y, c.Max.X, c.Max.Y)
}
