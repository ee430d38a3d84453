package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/goals"
)

// claimPoints draws each replicate's value in each variant as a dot at
// x = variant (spread a little sideways, the same for a replicate in
// every variant), and joins a replicate's dots across consecutive
// variants with a thin line: the pairs the claim's differences are
// computed on.
type claimPoints struct {
	X [][]float64 // X[variant][replicate]
}

// jitter is the sideways offset of replicate i's dots.
func jitter(i, n int) float64 {
	if n <= 1 {
		return -0.08
	}
	return -0.2 + 0.24*float64(i)/float64(n-1)
}

// Plot implements plot.Plotter.
func (cp *claimPoints) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := 0
	for _, v := range cp.X {
		n = max(n, len(v))
	}
	pair := draw.LineStyle{Color: withAlpha(lightGrey, 0x90), Width: vg.Points(0.7)}
	dot := draw.GlyphStyle{Color: withAlpha(oiBlue, 0xa0), Radius: vg.Points(2.6), Shape: draw.CircleGlyph{}}
	for i := range n {
		for j := 0; j+1 < len(cp.X); j++ {
			if i >= len(cp.X[j]) || i >= len(cp.X[j+1]) {
				continue
			}
			a, b := cp.X[j][i], cp.X[j+1][i]
			if math.IsNaN(a) || math.IsNaN(b) {
				continue
			}
			ps := c.ClipLinesXY([]vg.Point{{X: trX(float64(j) + jitter(i, n)), Y: trY(a)}, {X: trX(float64(j+1) + jitter(i, n)), Y: trY(b)}})
			c.StrokeLines(pair, ps...)
		}
	}
	for j, v := range cp.X {
		for i, y := range v {
			if math.IsNaN(y) {
				continue
			}
			pt := vg.Point{X: trX(float64(j) + jitter(i, n)), Y: trY(y)}
			if c.Contains(pt) {
				c.DrawGlyph(dot, pt)
			}
		}
	}
}

// DataRange implements plot.DataRanger.
func (cp *claimPoints) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for _, v := range cp.X {
		for _, y := range v {
			if !math.IsNaN(y) {
				ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
			}
		}
	}
	if ymin > ymax {
		ymin, ymax = 0, 1
	}
	return -0.5, float64(len(cp.X)) - 0.5, ymin, ymax
}

// Thumbnail implements plot.Thumbnailer: two dots joined.
func (cp *claimPoints) Thumbnail(c *draw.Canvas) {
	a := vg.Point{X: c.Min.X + 4, Y: c.Min.Y + 2}
	b := vg.Point{X: c.Max.X - 4, Y: c.Max.Y - 2}
	c.StrokeLine2(draw.LineStyle{Color: lightGrey, Width: vg.Points(0.8)}, a.X, a.Y, b.X, b.Y)
	dot := draw.GlyphStyle{Color: withAlpha(oiBlue, 0xa0), Radius: vg.Points(2.6), Shape: draw.CircleGlyph{}}
	c.DrawGlyph(dot, a)
	c.DrawGlyph(dot, b)
}

// claimMeans draws each variant's mean as a diamond right of its dots,
// with its 95% interval as a whisker.
type claimMeans struct {
	Mean, Lo, Hi []float64
}

const meanOffset = 0.22

// Plot implements plot.Plotter.
func (m *claimMeans) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ws := draw.LineStyle{Color: oiBlack, Width: vg.Points(1.6)}
	for j := range m.Mean {
		if math.IsNaN(m.Mean[j]) {
			continue
		}
		x := trX(float64(j) + meanOffset)
		if !math.IsNaN(m.Lo[j]) && !math.IsNaN(m.Hi[j]) {
			lo, hi := trY(m.Lo[j]), trY(m.Hi[j])
			w := vg.Points(5)
			c.StrokeLine2(ws, x, lo, x, hi)
			c.StrokeLine2(ws, x-w, lo, x+w, lo)
			c.StrokeLine2(ws, x-w, hi, x+w, hi)
		}
		c.DrawGlyph(draw.GlyphStyle{Color: oiVermillion, Radius: vg.Points(5), Shape: draw.PyramidGlyph{}}, vg.Point{X: x, Y: trY(m.Mean[j])})
		c.DrawGlyph(draw.GlyphStyle{Color: oiBlack, Radius: vg.Points(5), Shape: draw.PyramidGlyph{}}, vg.Point{X: x, Y: trY(m.Mean[j])})
	}
}

// DataRange implements plot.DataRanger.
func (m *claimMeans) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for j := range m.Mean {
		for _, v := range []float64{m.Mean[j], m.Lo[j], m.Hi[j]} {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
			}
		}
	}
	if ymin > ymax {
		ymin, ymax = 0, 1
	}
	return -0.5, float64(len(m.Mean)) - 0.5, ymin, ymax
}

// Thumbnail implements plot.Thumbnailer.
func (m *claimMeans) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	ws := draw.LineStyle{Color: oiBlack, Width: vg.Points(1.6)}
	c.StrokeLine2(ws, x, c.Min.Y-2, x, c.Max.Y+2)
	pt := vg.Point{X: x, Y: (c.Min.Y + c.Max.Y) / 2}
	c.DrawGlyph(draw.GlyphStyle{Color: oiVermillion, Radius: vg.Points(4), Shape: draw.PyramidGlyph{}}, pt)
	c.DrawGlyph(draw.GlyphStyle{Color: oiBlack, Radius: vg.Points(4), Shape: draw.PyramidGlyph{}}, pt)
}

// diffLane writes the paired differences of consecutive variants above
// the data area, each centred between its two variants: bold when its
// interval excludes zero.
type diffLane struct {
	Axis  *plot.Axis
	Steps []goals.Diff
}

func (d *diffLane) height(x0, x1 vg.Length) vg.Length {
	if len(d.Steps) == 0 {
		return 0
	}
	sty := textStyle(legendSize-1, true, color.Black)
	w := (x1 - x0) / vg.Length(len(d.Steps)+1)
	lines := 1
	for _, s := range d.Steps {
		lines = max(lines, len(wrap(diffText(s), sty, w*0.95)))
	}
	return vg.Length(lines)*lineHeight(sty) + vg.Points(4)
}

func (d *diffLane) draw(c draw.Canvas, x0, x1, top vg.Length) {
	w := (x1 - x0) / vg.Length(len(d.Steps)+1)
	for _, s := range d.Steps {
		sig := s.Positive() || s.Negative()
		sty := textStyle(legendSize-1, sig, grey)
		if sig {
			sty.Color = color.Black
		}
		sty.XAlign = draw.XCenter
		x := x0 + vg.Length(d.Axis.Norm((float64(s.From)+float64(s.To))/2))*(x1-x0)
		lines := wrap(diffText(s), sty, w*0.95)
		y := top + vg.Points(3)
		for k := len(lines) - 1; k >= 0; k-- {
			c.FillText(sty, vg.Point{X: x, Y: y}, lines[k])
			y += lineHeight(sty)
		}
	}
}

// diffText is a paired difference with its interval.
func diffText(d goals.Diff) string {
	sign := "+"
	if d.Mean < 0 {
		sign = ""
	}
	if math.IsNaN(d.Lo) || math.IsNaN(d.Hi) {
		return keep(sign+goals.Num(d.Mean)) + " (no interval)"
	}
	return keep(sign+goals.Num(d.Mean)) + " " + keep("["+goals.Num(d.Lo)+", "+goals.Num(d.Hi)+"]")
}

// Claim draws a tested claim: each variant of the varied key side by
// side, every replicate's value a dot (paired replicates, which share
// their seed, joined across variants by thin lines), each variant's mean
// with its 95% interval, the paired differences of consecutive variants
// above the panel, and the claim and its verdict as the title. It fails
// on a claim whose variants do not match its values, or with no value at
// all.
func Claim(c goals.Claim, meta Meta) (*Figure, error) {
	e := c.Expect
	k := len(c.X)
	if k == 0 {
		return nil, fmt.Errorf("plots: claim %q: no variants", e.Claim)
	}
	if len(e.Values) != k || len(c.Mean) != k || len(c.Lo) != k || len(c.Hi) != k {
		return nil, fmt.Errorf("plots: claim %q: %d variants of values but %d values, %d means", e.Claim, k, len(e.Values), len(c.Mean))
	}
	has := false
	for j, v := range c.X {
		for i, y := range v {
			if math.IsInf(y, 0) {
				return nil, fmt.Errorf("plots: claim %q: replicate %d of %s = %s is %v", e.Claim, i, e.Vary, goals.Num(e.Values[j]), y)
			}
			has = has || !math.IsNaN(y)
		}
	}
	if !has {
		return nil, fmt.Errorf("plots: claim %q: no replicate has a value of %s", e.Claim, e.Metric)
	}
	p := newPlot(e.Vary, e.Metric)
	p.Add(grid())
	cp := &claimPoints{X: c.X}
	cm := &claimMeans{Mean: c.Mean, Lo: c.Lo, Hi: c.Hi}
	p.Add(cp, cm)
	ticks := make(plot.ConstantTicks, k)
	for j, v := range e.Values {
		ticks[j] = plot.Tick{Value: float64(j), Label: goals.Num(v)}
	}
	p.X.Tick.Marker = ticks
	p.X.Min, p.X.Max = -0.5, float64(k)-0.5
	_, _, lo, hi := cp.DataRange()
	_, _, mlo, mhi := cm.DataRange()
	lo, hi = math.Min(lo, mlo), math.Max(hi, mhi)
	pad := math.Max((hi-lo)*0.08, 1e-3)
	lo, hi = lo-pad, hi+pad
	if s := goals.Support(e.Metric); !math.IsInf(s.Lo, 0) {
		lo = math.Max(lo, s.Lo)
		if !math.IsInf(s.Hi, 0) {
			hi = math.Min(hi, s.Hi)
		}
	}
	p.Y.Min, p.Y.Max = lo, hi

	n := c.Replicates
	notes := []string{capitalize(c.Reason) + "."}
	if c.Note != "" {
		notes = append(notes, "Note: "+c.Note+".")
	}
	legend := []entry{
		{Label: "a replicate (joined across variants: the same seed)", Thumbs: []plot.Thumbnailer{cp}},
		{Label: "mean with its 95% t interval", Thumbs: []plot.Thumbnailer{cm}},
	}
	if c.CensoredAtStep > 0 {
		notes = append(notes, fmt.Sprintf("A replicate whose %s never came counts as step %d, after the run (dashed line).", e.Metric, c.CensoredAtStep))
		h := &hline{Y: float64(c.CensoredAtStep), Style: draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: dashed}}
		p.Add(h)
		legend = append(legend, entry{Label: keep(fmt.Sprintf("never: counted as step %d", c.CensoredAtStep)), Thumbs: []plot.Thumbnailer{h}})
	}
	pn := panel{Plot: p, Heading: "Verdict: " + c.Verdict(), Notes: notes,
		Legend: legend,
		Marks:  &diffLane{Axis: &p.X, Steps: c.Steps}}
	fr := frame{
		Title: "Claim: " + e.Claim,
		Subtitle: fmt.Sprintf("Mean %s as %s varies (expected trend: %s), over %s paired replicates: every variant runs with the same seeds. Above the panel: the paired difference of each variant from the one before, with its 95%% interval (bold when it excludes zero).",
			e.Metric, e.Vary, e.Trend, keep(strconv.Itoa(n))),
		Caption: caption(metaForClaim(meta, n), false),
	}
	return &Figure{Name: "claim", Width: figWidth, Height: figHeight * 1.1, draw: func(cv draw.Canvas) {
		stack(fr.draw(cv), []panel{pn})
	}}, nil
}

func metaForClaim(meta Meta, n int) Meta {
	if meta.Replicates == 0 {
		meta.Replicates = n
	}
	return meta
}

// SaveClaims draws every claim ([Claim]) and writes claim-1.png and
// claim-1.svg, claim-2..., into dir (which must exist), in the order of
// cs, each atomically; it removes the claim charts of an earlier check
// beyond the last. It returns the paths written; a claim that cannot be
// drawn does not stop the others.
func SaveClaims(dir string, cs []goals.Claim, meta Meta) ([]string, error) {
	var paths []string
	var errs []error
	for i, c := range cs {
		f, err := Claim(c, meta)
		if err == nil {
			var ps []string
			ps, err = f.Save(dir, fmt.Sprintf("claim-%d", i+1))
			paths = append(paths, ps...)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	old, _ := filepath.Glob(filepath.Join(dir, "claim-*.*"))
	for _, f := range old {
		base := filepath.Base(f)
		ext := filepath.Ext(base)
		if ext != ".png" && ext != ".svg" {
			continue
		}
		num, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(base, "claim-"), ext))
		if err == nil && num > len(cs) && !slices.Contains(paths, f) {
			os.Remove(f)
		}
	}
	return paths, errors.Join(errs...)
}
