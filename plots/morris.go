package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// morrisPoints draws each parameter as a dot at (mu*, sigma) with the 95%
// interval of mu* as a horizontal whisker, and its name beside it.
type morrisPoints struct {
	Names             []string
	MuStar, Sigma     []float64
	MuStarLo, MuStarH []float64
}

// Plot implements plot.Plotter.
func (m *morrisPoints) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ws := draw.LineStyle{Color: grey, Width: vg.Points(1.2)}
	dot := draw.GlyphStyle{Color: oiBlue, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
	lab := textStyle(legendSize, false, color.Black)
	lab.YAlign = draw.YCenter
	for i := range m.Names {
		x, y := trX(m.MuStar[i]), trY(m.Sigma[i])
		lo, hi := trX(m.MuStarLo[i]), trX(m.MuStarH[i])
		c.StrokeLines(ws, c.ClipLinesX([]vg.Point{{X: lo, Y: y}, {X: hi, Y: y}})...)
		c.DrawGlyph(dot, vg.Point{X: x, Y: y})
		// The name right of the dot, or left of it near the right edge.
		l := lab
		at := x + vg.Points(7)
		if at+textWidth(l, m.Names[i]) > c.Max.X {
			l.XAlign = draw.XRight
			at = x - vg.Points(7)
		}
		c.FillText(l, vg.Point{X: at, Y: y + vg.Points(7)}, m.Names[i])
	}
}

// DataRange implements plot.DataRanger.
func (m *morrisPoints) DataRange() (xmin, xmax, ymin, ymax float64) {
	for i := range m.Names {
		xmax = math.Max(xmax, math.Max(m.MuStar[i], m.MuStarH[i]))
		ymax = math.Max(ymax, m.Sigma[i])
	}
	return 0, xmax, 0, ymax
}

// Thumbnail implements plot.Thumbnailer.
func (m *morrisPoints) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(draw.LineStyle{Color: grey, Width: vg.Points(1.2)}, c.Min.X+2, y, c.Max.X-2, y)
	c.DrawGlyph(draw.GlyphStyle{Color: oiBlue, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: y})
}

// diagonal draws sigma = mu* across the data area.
type diagonal struct{ Style draw.LineStyle }

// Plot implements plot.Plotter.
func (d *diagonal) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	top := math.Max(p.X.Max, p.Y.Max)
	c.StrokeLines(d.Style, c.ClipLinesXY([]vg.Point{{X: trX(0), Y: trY(0)}, {X: trX(top), Y: trY(top)}})...)
}

// Thumbnail implements plot.Thumbnailer.
func (d *diagonal) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(d.Style, c.Min.X+2, y-vg.Points(4), c.Max.X-2, y+vg.Points(4))
}

// MorrisPlane draws Morris screening as the (mu*, sigma) plane (Morris
// 1991; Campolongo, Cariboni and Saltelli 2007): each parameter a dot at
// the mean absolute elementary effect mu* (how much it matters), with its
// 95% bootstrap interval, and their standard deviation sigma (how much
// its effect changes with the other parameters or along its own range).
// Parameters near the origin do not matter; above the diagonal sigma =
// mu*, a parameter's effect is mostly interaction or non-linearity.
func MorrisPlane(names []string, muStar, muStarLo, muStarHi, sigma []float64, output string, meta Meta) (*Figure, error) {
	n := len(names)
	if n == 0 {
		return nil, fmt.Errorf("plots: morris plane: no parameters")
	}
	for _, s := range []struct {
		name string
		v    []float64
	}{{"mu_star", muStar}, {"mu_star_lo", muStarLo}, {"mu_star_hi", muStarHi}, {"sigma", sigma}} {
		if len(s.v) != n {
			return nil, fmt.Errorf("plots: morris plane: %s has %d values, want one per parameter (%d)", s.name, len(s.v), n)
		}
		for i, v := range s.v {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 && s.name != "mu_star_lo" {
				return nil, fmt.Errorf("plots: morris plane: %s of %s is %v", s.name, names[i], v)
			}
		}
	}
	p := newPlot("mu*: mean absolute effect of the parameter on "+output, "sigma: how much that effect varies")
	p.Add(grid())
	pts := &morrisPoints{Names: names, MuStar: muStar, Sigma: sigma, MuStarLo: muStarLo, MuStarH: muStarHi}
	diag := &diagonal{Style: draw.LineStyle{Color: lightGrey, Width: vg.Points(1.2), Dashes: dashed}}
	p.Add(diag, pts)
	_, xmax, _, ymax := pts.DataRange()
	top := math.Max(math.Max(xmax, ymax), 1e-9) * 1.12
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, top, 0, top
	fr := frame{
		Title: "Which parameters matter: Morris screening of " + output,
		Subtitle: "Right: the parameter moves the output more (effects per unit of its whole range). Up: its effect changes with the other parameters or along its range. " +
			"Near the origin: it does not matter.",
		Caption: caption(meta, true),
	}
	pns := []panel{{Plot: p, Legend: []entry{
		{Label: "a parameter: mu* with its 95% bootstrap interval", Thumbs: []plot.Thumbnailer{pts}},
		{Label: "sigma = mu*: above it, interactions or non-linearity dominate", Thumbs: []plot.Thumbnailer{diag}},
	}}}
	return &Figure{Name: "morris", Width: figWidth, Height: figHeight, draw: func(c draw.Canvas) {
		stack(fr.draw(c), pns)
	}}, nil
}
