package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// vlines draws vertical lines across the data area at data x positions,
// each with an optional label written at the top, beside its line.
// Labels that would overlap move down a level; a label with no level left
// above the bottom of the data area is left out, and lines closer than a
// hairline to the one drawn before are drawn once, so that the cost is
// linear in the number of lines (a scenario may have tens of thousands of
// events) and bounded by the size of the canvas.
type vlines struct {
	X      []float64
	Labels []string
	Style  draw.LineStyle
	Text   text.Style
}

// minLineGap is the distance below which two lines look like one.
const minLineGap = vg.Length(0.25)

// Plot implements plot.Plotter.
func (v *vlines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	drawn := make(map[int64]bool) // hairline slots already stroked
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
	if len(v.Labels) > 0 {
		v.labels(c, trX, p)
	}
}

// labels writes the labels at the top of the data area, each on the
// highest level where it does not overlap the label before it.
func (v *vlines) labels(c draw.Canvas, trX func(float64) vg.Length, p *plot.Plot) {
	pad := vg.Points(3)
	lh := lineHeight(v.Text)
	maxLevels := max(1, int((c.Max.Y-c.Min.Y-pad)/lh))
	var levels []vg.Length // right end of the last label on each level
	for i, x := range v.X {
		if i >= len(v.Labels) || v.Labels[i] == "" || x < p.X.Min || x > p.X.Max {
			continue
		}
		X := trX(x)
		w := textWidth(v.Text, v.Labels[i])
		x0 := X + pad
		if x0+w > c.Max.X {
			x0 = X - pad - w // no room on the right: write on the left
		}
		lvl := 0
		for lvl < len(levels) && x0 < levels[lvl]+pad {
			lvl++
		}
		if lvl == maxLevels {
			continue // no room left: the line is drawn, the label is not
		}
		if lvl == len(levels) {
			levels = append(levels, 0)
		}
		levels[lvl] = x0 + w
		top := c.Max.Y - pad - vg.Length(lvl)*lh
		box := vg.Rectangle{Min: vg.Point{X: x0 - 1, Y: top - lh}, Max: vg.Point{X: x0 + w + 1, Y: top}}
		c.FillPolygon(color.NRGBA{255, 255, 255, 0x70}, []vg.Point{ // light: the data stays visible under a label
			box.Min, {X: box.Max.X, Y: box.Min.Y}, box.Max, {X: box.Min.X, Y: box.Max.Y},
		})
		sty := v.Text
		sty.XAlign = draw.XLeft
		sty.YAlign = draw.YCenter
		c.FillText(sty, vg.Point{X: x0, Y: top - lh/2}, v.Labels[i])
	}
}

// Thumbnail implements plot.Thumbnailer: one vertical line.
func (v *vlines) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(v.Style, x, c.Min.Y-vg.Points(2), x, c.Max.Y+vg.Points(2))
}

// rug draws short ticks at data x positions along the bottom (or top)
// edge of the data area.
type rug struct {
	X     []float64
	Top   bool
	Len   vg.Length
	Style draw.LineStyle
}

// Plot implements plot.Plotter.
func (r *rug) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, x := range r.X {
		if x < p.X.Min || x > p.X.Max {
			continue
		}
		X := trX(x)
		if r.Top {
			c.StrokeLine2(r.Style, X, c.Max.Y, X, c.Max.Y-r.Len)
		} else {
			c.StrokeLine2(r.Style, X, c.Min.Y, X, c.Min.Y+r.Len)
		}
	}
}

// Thumbnail implements plot.Thumbnailer: three ticks.
func (r *rug) Thumbnail(c *draw.Canvas) {
	w := c.Max.X - c.Min.X
	for _, f := range []vg.Length{0.2, 0.5, 0.8} {
		x := c.Min.X + w*f
		c.StrokeLine2(r.Style, x, c.Min.Y, x, c.Min.Y+min(r.Len, c.Max.Y-c.Min.Y))
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
type bandSpec struct {
	B      band
	Color  color.NRGBA
	Dashes []vg.Length
	Label  string
}

// addBands adds the bands of specs to p as filled areas, then their median
// lines on top (so no band hides a line), and returns their legend entries
// (the band with the line through it).
func addBands(p *plot.Plot, specs ...bandSpec) ([]entry, error) {
	var lines []plot.Plotter
	var es []entry
	for _, s := range specs {
		b := s.B
		n := len(b.X)
		poly := make(plotter.XYs, 0, 2*n)
		for j := range n {
			poly = append(poly, plotter.XY{X: b.X[j], Y: b.Hi[j]})
		}
		for j := n - 1; j >= 0; j-- {
			poly = append(poly, plotter.XY{X: b.X[j], Y: b.Lo[j]})
		}
		mid := make(plotter.XYs, n)
		for j := range n {
			mid[j] = plotter.XY{X: b.X[j], Y: b.Mid[j]}
		}
		pg, err := plotter.NewPolygon(poly)
		if err != nil {
			return nil, err
		}
		pg.Color = withAlpha(s.Color, bandAlpha)
		pg.LineStyle.Width = 0
		ln, err := plotter.NewLine(mid)
		if err != nil {
			return nil, err
		}
		ln.LineStyle = lineStyle(s.Color, s.Dashes...)
		p.Add(pg)
		lines = append(lines, ln)
		es = append(es, entry{Label: s.Label, Thumbs: []plot.Thumbnailer{pg, ln}})
	}
	p.Add(lines...)
	return es, nil
}
