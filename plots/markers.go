package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/sim"
)

// runs returns the maximal runs [start, end) of indices where ok holds.
func runs(n int, ok func(int) bool) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i <= n; i++ {
		if i < n && ok(i) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	return out
}

// gapLine is a line through (X[i], Y[i]) that breaks where Y is NaN: a
// step with nothing to measure is a gap, never a spike. An isolated point
// between gaps is drawn as a dot.
type gapLine struct {
	X, Y  []float64
	Style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l *gapLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, r := range runs(len(l.X), func(i int) bool { return !math.IsNaN(l.Y[i]) }) {
		if r[1]-r[0] == 1 {
			pt := vg.Point{X: trX(l.X[r[0]]), Y: trY(l.Y[r[0]])}
			if c.Contains(pt) {
				c.DrawGlyph(draw.GlyphStyle{Color: l.Style.Color, Radius: l.Style.Width, Shape: draw.CircleGlyph{}}, pt)
			}
			continue
		}
		ps := make([]vg.Point, 0, r[1]-r[0])
		for i := r[0]; i < r[1]; i++ {
			ps = append(ps, vg.Point{X: trX(l.X[i]), Y: trY(l.Y[i])})
		}
		c.StrokeLines(l.Style, c.ClipLinesXY(ps)...)
	}
}

// DataRange implements plot.DataRanger: the extent of the values.
func (l *gapLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return dataRange(l.X, l.Y, l.Y)
}

// dataRange is the extent of the points (x, lo..hi) where neither lo nor
// hi is NaN; all zeros when there is none.
func dataRange(x, lo, hi []float64) (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range x {
		if math.IsNaN(lo[i]) || math.IsNaN(hi[i]) {
			continue
		}
		xmin, xmax = math.Min(xmin, x[i]), math.Max(xmax, x[i])
		ymin, ymax = math.Min(ymin, lo[i]), math.Max(ymax, hi[i])
	}
	if xmin > xmax {
		return 0, 0, 0, 0
	}
	return
}

// Thumbnail implements plot.Thumbnailer.
func (l *gapLine) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(l.Style, c.Min.X, y, c.Max.X, y)
}

// area fills the region between Lo and Hi over X, broken where they are
// NaN. A hatched area is drawn with diagonal lines instead of a fill, so
// that two bands that overlap stay apart: a fill over a fill mixes their
// colours (blue and orange into olive or grey), a hatch over a fill does
// not.
type area struct {
	X, Lo, Hi []float64
	Color     color.NRGBA // the fill, or the hatch lines' colour
	Hatch     bool
}

// hatchGap and hatchWidth are the spacing and width of hatch lines.
var (
	hatchGap   = vg.Points(4)
	hatchWidth = vg.Points(0.9)
)

// Plot implements plot.Plotter.
func (a *area) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, r := range runs(len(a.X), func(i int) bool { return !math.IsNaN(a.Lo[i]) && !math.IsNaN(a.Hi[i]) }) {
		n := r[1] - r[0]
		xs := make([]vg.Length, n)
		lo := make([]vg.Length, n)
		hi := make([]vg.Length, n)
		for k := range n {
			i := r[0] + k
			xs[k], lo[k], hi[k] = trX(a.X[i]), trY(a.Lo[i]), trY(a.Hi[i])
		}
		if a.Hatch {
			hatch(c, xs, lo, hi, draw.LineStyle{Color: a.Color, Width: hatchWidth})
			continue
		}
		if n == 1 {
			c.StrokeLine2(draw.LineStyle{Color: a.Color, Width: vg.Points(1)}, xs[0], lo[0], xs[0], hi[0])
			continue
		}
		poly := make([]vg.Point, 0, 2*n)
		for k := range n {
			poly = append(poly, vg.Point{X: xs[k], Y: hi[k]})
		}
		for k := n - 1; k >= 0; k-- {
			poly = append(poly, vg.Point{X: xs[k], Y: lo[k]})
		}
		c.FillPolygon(a.Color, c.ClipPolygonXY(poly))
	}
}

// hatch draws diagonal lines (rising at 45 degrees, hatchGap apart) over
// the region between lo and hi, which are functions of the increasing xs
// (canvas coordinates), clipped to the canvas.
func hatch(c draw.Canvas, xs, lo, hi []vg.Length, sty draw.LineStyle) {
	n := len(xs)
	if n < 2 {
		return
	}
	const dx = vg.Length(0.6)
	x0, x1 := max(xs[0], c.Min.X), min(xs[n-1], c.Max.X)
	if x0 >= x1 {
		return
	}
	// The region at x: interpolated lo and hi.
	nx := int((x1-x0)/dx) + 2
	los, his := make([]vg.Length, nx), make([]vg.Length, nx)
	j := 0
	for k := range nx {
		x := min(x0+vg.Length(k)*dx, x1)
		for j < n-2 && xs[j+1] < x {
			j++
		}
		f := vg.Length(0)
		if xs[j+1] > xs[j] {
			f = (x - xs[j]) / (xs[j+1] - xs[j])
		}
		f = min(max(f, 0), 1)
		l, h := lo[j]+f*(lo[j+1]-lo[j]), hi[j]+f*(hi[j+1]-hi[j])
		if l > h {
			l, h = h, l
		}
		los[k], his[k] = max(l, c.Min.Y), min(h, c.Max.Y)
	}
	// Lines y = x - x0 + off, for offsets covering the region; anchored
	// to the canvas so that neighbouring runs share their lines.
	first := vg.Length(math.Floor(float64(-(x1-c.Min.X)/hatchGap))) * hatchGap
	last := c.Max.Y - c.Min.Y - (x0 - c.Min.X)
	for off := first; off <= last; off += hatchGap {
		inside := false
		var sx, sy vg.Length
		for k := range nx {
			x := x0 + vg.Length(k)*dx
			y := c.Min.Y + off + (x - c.Min.X)
			in := y >= los[k] && y <= his[k]
			switch {
			case in && !inside:
				sx, sy, inside = x, y, true
			case !in && inside:
				c.StrokeLine2(sty, sx, sy, x-dx, y-dx)
				inside = false
			}
		}
		if inside {
			x := x0 + vg.Length(nx-1)*dx
			c.StrokeLine2(sty, sx, sy, x, c.Min.Y+off+(x-c.Min.X))
		}
	}
}

// DataRange implements plot.DataRanger.
func (a *area) DataRange() (xmin, xmax, ymin, ymax float64) {
	return dataRange(a.X, a.Lo, a.Hi)
}

// Thumbnail implements plot.Thumbnailer: a patch of the fill or hatch.
func (a *area) Thumbnail(c *draw.Canvas) {
	r := []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}}
	if !a.Hatch {
		c.FillPolygon(a.Color, r)
		return
	}
	sub := draw.Canvas{Canvas: c.Canvas, Rectangle: c.Rectangle}
	h := c.Max.Y - c.Min.Y
	hatch(sub, []vg.Length{c.Min.X, c.Max.X}, []vg.Length{c.Min.Y, c.Min.Y}, []vg.Length{c.Min.Y + h, c.Min.Y + h},
		draw.LineStyle{Color: a.Color, Width: hatchWidth})
}

// vlines draws vertical lines across the data area at data x positions.
// Their labels, if any, are written above the data area by the panel
// (see [marks]), never over the data. Lines closer than a hairline to one
// drawn already are not drawn again, so that the cost is bounded by the
// width of the canvas (a scenario may have tens of thousands of events).
type vlines struct {
	X     []float64
	Style draw.LineStyle
}

// minLineGap is the distance below which two lines look like one.
const minLineGap = vg.Length(0.25)

// Plot implements plot.Plotter.
func (v *vlines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	drawn := make(map[int64]bool) // hairline slots stroked already
	for _, x := range v.X {
		if x < p.X.Min || x > p.X.Max {
			continue
		}
		X := trX(x)
		slot := int64(math.Round(float64(X / minLineGap)))
		if drawn[slot] {
			continue
		}
		drawn[slot] = true
		c.StrokeLine2(v.Style, X, c.Min.Y, X, c.Max.Y)
	}
}

// Thumbnail implements plot.Thumbnailer: one vertical line.
func (v *vlines) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(v.Style, x, c.Min.Y-vg.Points(2), x, c.Max.Y+vg.Points(2))
}

// dots marks data x positions with rings on a horizontal line at Y: each
// replicate's first convergence on the ε line, or its tipping point on
// the half-adopted line.
type dots struct {
	X     []float64
	Y     float64
	Color color.NRGBA
}

// Plot implements plot.Plotter.
func (d *dots) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := draw.GlyphStyle{Color: d.Color, Radius: vg.Points(3.2), Shape: draw.RingGlyph{}}
	for _, x := range d.X {
		pt := vg.Point{X: trX(x), Y: trY(d.Y)}
		if c.Contains(pt) {
			c.DrawGlyph(sty, pt)
		}
	}
}

// Thumbnail implements plot.Thumbnailer.
func (d *dots) Thumbnail(c *draw.Canvas) {
	sty := draw.GlyphStyle{Color: d.Color, Radius: vg.Points(3.2), Shape: draw.RingGlyph{}}
	y := (c.Min.Y + c.Max.Y) / 2
	for _, f := range []vg.Length{0.25, 0.75} {
		c.DrawGlyph(sty, vg.Point{X: c.Min.X + (c.Max.X-c.Min.X)*f, Y: y})
	}
}

// hline is a horizontal line across the data area at y.
type hline struct {
	Y     float64
	Style draw.LineStyle
}

// Plot implements plot.Plotter.
func (h *hline) Plot(c draw.Canvas, p *plot.Plot) {
	if h.Y < p.Y.Min || h.Y > p.Y.Max {
		return
	}
	_, trY := p.Transforms(&c)
	y := trY(h.Y)
	c.StrokeLine2(h.Style, c.Min.X, y, c.Max.X, y)
}

// Thumbnail implements plot.Thumbnailer.
func (h *hline) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(h.Style, c.Min.X, y, c.Max.X, y)
}

// grid returns light grid lines.
func grid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = gridGrey
	g.Horizontal.Color = gridGrey
	g.Vertical.Width = vg.Points(0.6)
	g.Horizontal.Width = vg.Points(0.6)
	return g
}

// bandSpec is one series of a panel: its band, colour, dash and label.
// A hatched band is drawn with lines instead of a fill (see [area]).
type bandSpec struct {
	B      band
	Color  color.NRGBA
	Dashes []vg.Length
	Label  string
	Hatch  bool
	NoBand bool // the median line only
}

// addBands adds the bands of specs to p, then their median lines on top
// (so no band hides a line), and returns their legend entries (the band
// with the line through it). When two bands share a panel, give the
// second Hatch: two fills that overlap blend into a third colour.
func addBands(p *plot.Plot, specs ...bandSpec) []entry {
	var lines []plot.Plotter
	var es []entry
	for _, s := range specs {
		b := s.B
		ln := &gapLine{X: b.X, Y: b.Mid, Style: lineStyle(s.Color, s.Dashes...)}
		lines = append(lines, ln)
		if s.NoBand || b.flat() {
			es = append(es, entry{Label: s.Label, Thumbs: []plot.Thumbnailer{ln}})
			continue
		}
		a := &area{X: b.X, Lo: b.Lo, Hi: b.Hi, Color: withAlpha(s.Color, bandAlpha)}
		if s.Hatch {
			a.Color = withAlpha(s.Color, hatchAlpha)
			a.Hatch = true
		}
		p.Add(a)
		es = append(es, entry{Label: s.Label, Thumbs: []plot.Thumbnailer{a, ln}})
	}
	p.Add(lines...)
	return es
}

// addReplicateLines adds each replicate's values of s (thinned) to p as
// a thin line coloured by the replicate's outcome, the largest outcome
// class first so that the rarer ones are drawn on top.
func addReplicateLines(p *plot.Plot, s series, outcomes []sim.Outcome, norm func(float64) float64) {
	order := make([]int, len(s.Vals))
	for i := range order {
		order[i] = i
	}
	var count [sim.NumOutcomes]int
	for _, o := range outcomes {
		count[o]++
	}
	// Stable: larger classes first, then replicate order.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && count[outcomes[order[j]]] > count[outcomes[order[j-1]]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	x := make([]float64, len(s.Steps))
	for j, t := range s.Steps {
		x[j] = float64(t)
	}
	for _, i := range order {
		tx, ty := thinLine(x, s.Vals[i], maxPoints, norm)
		c := outcomeColor(outcomes[i])
		p.Add(&gapLine{X: tx, Y: ty, Style: draw.LineStyle{Color: withAlpha(c, repAlpha), Width: vg.Points(0.9)}})
	}
}
