package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/goals"
)

// robustClip is where the colour scale of [Robustness] saturates, in
// half-widths of the effect's 95% interval.
const robustClip = 4

// RobustRow is one claim of a robustness chart: its text, its expected
// trend (as in a scenario's [[expect]]: increasing, decreasing, peaked,
// dipped or differs) and one cell per setting.
type RobustRow struct {
	Claim string
	Trend string
	Cells []RobustCell
}

// RobustCell is a claim tested in one setting: its verdict and its effect
// ([goals.Claim.Effect]) with the 95% interval.
type RobustCell struct {
	Supported  bool
	Effect     float64
	Lo, Hi     float64
	Replicates int
}

// RobustRows turns tested claims, claims[i][j] being claim i in setting
// j, into the rows of a robustness chart.
func RobustRows(claims [][]goals.Claim) []RobustRow {
	rows := make([]RobustRow, len(claims))
	for i, cs := range claims {
		if len(cs) == 0 {
			continue
		}
		rows[i] = RobustRow{Claim: cs[0].Expect.Claim, Trend: cs[0].Expect.Trend}
		for _, c := range cs {
			d := c.Effect()
			rows[i].Cells = append(rows[i].Cells, RobustCell{Supported: c.Supported, Effect: d.Mean, Lo: d.Lo, Hi: d.Hi, Replicates: c.Replicates})
		}
	}
	return rows
}

// Robustness draws the robustness of claims as a grid: one row per claim,
// one column per setting (the names' words, such as "N=50 complete
// beta=2", become header rows, with equal neighbours merged), each cell
// coloured by the claim's effect in that setting in units of the half
// width of its 95% interval, signed so that the claimed direction is
// positive: blue for the claimed direction, vermillion against it, white
// for no effect, saturated from ±4. Beyond ±1 the interval excludes
// zero. A cross marks a setting where the claim is not supported; the
// right column counts the settings where it is.
func Robustness(settings []string, rows []RobustRow, meta Meta) (*Figure, error) {
	if len(rows) == 0 || len(settings) == 0 {
		return nil, fmt.Errorf("plots: robustness: %d claims in %d settings, nothing to draw", len(rows), len(settings))
	}
	reps := 0
	for i, r := range rows {
		if len(r.Cells) != len(settings) {
			return nil, fmt.Errorf("plots: robustness: claim %d (%q) has %d settings, want %d", i+1, r.Claim, len(r.Cells), len(settings))
		}
		for j, c := range r.Cells {
			if math.IsInf(c.Effect, 0) || math.IsInf(c.Lo, 0) || math.IsInf(c.Hi, 0) {
				return nil, fmt.Errorf("plots: robustness: claim %d (%q) in %s: effect %v [%v, %v] is not finite", i+1, r.Claim, settings[j], c.Effect, c.Lo, c.Hi)
			}
			reps = max(reps, c.Replicates)
		}
	}
	g := robustGrid{settings: settings, rows: rows}
	fr := frame{
		Title: fmt.Sprintf("Robustness: %d claims in %d settings", len(rows), len(settings)),
		Subtitle: fmt.Sprintf("Each cell is one claim tested in one setting with %s paired replicates. Colour: the effect divided by the half-width of its 95%% interval, in the claimed direction: blue as claimed, vermillion against, white none (beyond ±1 the interval excludes zero). A cross: not supported in that setting. Right: the settings where the claim is supported (bold: fewer than two thirds, fragile).",
			keep(fmt.Sprint(reps))),
		Caption: caption(metaForClaim(meta, reps), true),
	}
	h := g.height()
	return &Figure{Name: "robustness", Width: figRobustWidth, Height: h, draw: func(c draw.Canvas) {
		g.draw(fr.draw(c))
	}}, nil
}

// figRobustWidth is the robustness chart's width: landscape A4 less
// margins, so that 18 settings fit side by side.
var figRobustWidth = 11 * vg.Inch

// robustGrid lays out and draws the body of [Robustness].
type robustGrid struct {
	settings []string
	rows     []RobustRow
}

// Column and row sizes of the grid.
var (
	robustLabelWidth = vg.Points(270)
	robustCountWidth = vg.Points(60)
	robustHeaderSize = vg.Length(9)
	robustLabelSize  = vg.Length(legendSize - 0.5)
)

// headerLevels splits the setting names into their words: level l is the
// l-th word of each name ("" when a name is shorter). A level whose words
// all read KEY=VALUE with one KEY is shown as its values, with KEY as the
// level's name (keys[l]), so that narrow columns stay readable.
func (g *robustGrid) headerLevels() (levels [][]string, keys []string) {
	var words [][]string
	depth := 0
	for _, s := range g.settings {
		w := strings.Fields(s)
		words = append(words, w)
		depth = max(depth, len(w))
	}
	levels = make([][]string, depth)
	keys = make([]string, depth)
	for l := range levels {
		levels[l] = make([]string, len(g.settings))
		key, same := "", true
		for j, w := range words {
			if l < len(w) {
				levels[l][j] = w[l]
			}
			k, _, ok := strings.Cut(levels[l][j], "=")
			if !ok || j > 0 && k != key {
				same = false
			}
			key = k
		}
		if same {
			keys[l] = key
			for j, w := range levels[l] {
				_, levels[l][j], _ = strings.Cut(w, "=")
			}
		}
	}
	return levels, keys
}

// rowLines wraps claim i's text into the label column.
func (g *robustGrid) rowLines(i int) []string {
	return wrap(g.rows[i].Claim, textStyle(robustLabelSize, false, color.Black), robustLabelWidth-vg.Points(6))
}

// height is the figure height that fits every row at width w.
func (g *robustGrid) height() vg.Length {
	sty := textStyle(robustLabelSize, false, color.Black)
	rows := vg.Length(0)
	for i := range g.rows {
		rows += vg.Length(len(g.rowLines(i)))*lineHeight(sty) + vg.Points(6)
	}
	levels, _ := g.headerLevels()
	head := vg.Length(len(levels)) * lineHeight(textStyle(robustHeaderSize, false, color.Black))
	// Title, subtitle (about four lines at this width), caption, the
	// colour key and the gaps between them.
	return rows + head + vg.Points(150)
}

// draw draws the header, the rows and the colour key on c.
func (g *robustGrid) draw(c draw.Canvas) {
	x0 := c.Min.X + robustLabelWidth
	x1 := c.Max.X - robustCountWidth
	cw := (x1 - x0) / vg.Length(len(g.settings))
	y := c.Max.Y

	// Header: one line per word of the setting names, equal neighbours
	// merged (when the words above are equal too).
	hs := textStyle(robustHeaderSize, false, grey)
	hs.XAlign, hs.YAlign = draw.XCenter, draw.YTop
	levels, keys := g.headerLevels()
	ks := hs
	ks.XAlign = draw.XRight
	for l, words := range levels {
		if keys[l] != "" {
			c.FillText(ks, vg.Point{X: x0 - vg.Points(6), Y: y}, keys[l])
		}
		for j := 0; j < len(words); {
			k := j + 1
			for k < len(words) && sameUpTo(levels, l, j, k) {
				k++
			}
			mid := x0 + cw*vg.Length(j+k)/2
			c.FillText(hs, vg.Point{X: mid, Y: y}, words[j])
			if k-j > 1 {
				// A rule under a merged header shows its span.
				ry := y - lineHeight(hs) + vg.Points(2)
				c.StrokeLine2(draw.LineStyle{Color: lightGrey, Width: vg.Points(0.6)}, x0+cw*vg.Length(j)+2, ry, x0+cw*vg.Length(k)-2, ry)
			}
			j = k
		}
		y -= lineHeight(hs)
	}
	cs := textStyle(robustHeaderSize, true, grey)
	cs.XAlign, cs.YAlign = draw.XCenter, draw.YTop
	c.FillText(cs, vg.Point{X: x1 + robustCountWidth/2, Y: y + lineHeight(hs)}, "supported")
	y -= vg.Points(3)

	ls := textStyle(robustLabelSize, false, color.Black)
	ls.YAlign = draw.YTop
	xs := textStyle(robustLabelSize+2, true, color.NRGBA{0x22, 0x22, 0x22, 0xff})
	xs.XAlign, xs.YAlign = draw.XCenter, draw.YCenter
	for i, r := range g.rows {
		row := r.Cells
		lines := g.rowLines(i)
		rh := vg.Length(len(lines))*lineHeight(ls) + vg.Points(6)
		ty := y - vg.Points(3)
		for _, l := range lines {
			c.FillText(ls, vg.Point{X: c.Min.X, Y: ty}, l)
			ty -= lineHeight(ls)
		}
		n := 0
		for j, cl := range row {
			a, b := x0+cw*vg.Length(j), x0+cw*vg.Length(j+1)
			clr := robustColor(robustScore(cl, r.Trend))
			c.FillPolygon(clr, []vg.Point{{X: a, Y: y - rh}, {X: b, Y: y - rh}, {X: b, Y: y}, {X: a, Y: y}})
			if cl.Supported {
				n++
			} else {
				c.FillText(xs, vg.Point{X: (a + b) / 2, Y: y - rh/2}, "×")
			}
		}
		// White rules between cells, a grey one under the row.
		for j := 1; j < len(row); j++ {
			xj := x0 + cw*vg.Length(j)
			c.StrokeLine2(draw.LineStyle{Color: color.White, Width: vg.Points(0.8)}, xj, y, xj, y-rh)
		}
		c.StrokeLine2(draw.LineStyle{Color: gridGrey, Width: vg.Points(0.8)}, c.Min.X, y-rh, c.Max.X, y-rh)
		ns := textStyle(robustLabelSize, n*3 < len(row)*2, color.Black)
		ns.XAlign, ns.YAlign = draw.XCenter, draw.YCenter
		c.FillText(ns, vg.Point{X: x1 + robustCountWidth/2, Y: y - rh/2}, fmt.Sprintf("%d of %d", n, len(row)))
		y -= rh
	}
	g.drawKey(c, x0, y-vg.Points(12))
}

// sameUpTo reports whether settings j and k share their words at every
// level up to l.
func sameUpTo(levels [][]string, l, j, k int) bool {
	for m := 0; m <= l; m++ {
		if levels[m][j] != levels[m][k] {
			return false
		}
	}
	return true
}

// drawKey draws the colour scale under the grid, its top at y.
func (g *robustGrid) drawKey(c draw.Canvas, x0, y vg.Length) {
	w, h := vg.Points(260), vg.Points(10)
	const n = 64
	for k := range n {
		a := x0 + w*vg.Length(k)/n
		b := x0 + w*vg.Length(k+1)/n + vg.Points(0.3)
		v := -robustClip + 2*robustClip*(float64(k)+0.5)/n
		c.FillPolygon(robustColor(v), []vg.Point{{X: a, Y: y - h}, {X: b, Y: y - h}, {X: b, Y: y}, {X: a, Y: y}})
	}
	ts := textStyle(robustHeaderSize, false, grey)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
	for _, v := range []float64{-robustClip, -1, 0, 1, robustClip} {
		x := x0 + w*vg.Length((v+robustClip)/(2*robustClip))
		c.StrokeLine2(draw.LineStyle{Color: grey, Width: vg.Points(0.6)}, x, y-h, x, y-h-vg.Points(3))
		lab := fmt.Sprintf("%+g", v)
		switch v {
		case 0:
			lab = "0"
		case -robustClip:
			lab = fmt.Sprintf("−%d or less", robustClip)
		case robustClip:
			lab = fmt.Sprintf("+%d or more", robustClip)
		}
		c.FillText(ts, vg.Point{X: x, Y: y - h - vg.Points(4)}, lab)
	}
	ks := textStyle(robustHeaderSize, false, grey)
	ks.XAlign, ks.YAlign = draw.XRight, draw.YCenter
	c.FillText(ks, vg.Point{X: x0 - vg.Points(6), Y: y - h/2}, "effect ÷ half-width of its 95% interval")
	gs := textStyle(robustHeaderSize, false, grey)
	gs.YAlign = draw.YCenter
	gx := x0 + w + vg.Points(24)
	c.FillPolygon(robustColor(math.NaN()), []vg.Point{{X: gx, Y: y - h}, {X: gx + h, Y: y - h}, {X: gx + h, Y: y}, {X: gx, Y: y}})
	c.FillText(gs, vg.Point{X: gx + h + vg.Points(5), Y: y - h/2}, "no effect measured (no replicate had a value)")
}

// robustScore is a cell's effect over the half-width of its interval,
// signed so that the claimed direction (by trend) is positive, and
// clipped to ±robustClip; NaN when there is no effect or no interval.
func robustScore(c RobustCell, trend string) float64 {
	half := (c.Hi - c.Lo) / 2
	if math.IsNaN(c.Effect) || math.IsNaN(half) {
		return math.NaN()
	}
	var z float64
	switch {
	case half > 0:
		z = c.Effect / half
	case c.Effect == 0:
		z = 0
	default:
		z = math.Copysign(robustClip, c.Effect)
	}
	switch trend {
	case "decreasing", "dipped":
		z = -z
	case "differs":
		z = math.Abs(z)
	}
	return math.Max(-robustClip, math.Min(robustClip, z))
}

// noEffectGrey is the colour of a cell without an effect.
var noEffectGrey = color.NRGBA{0xc8, 0xc8, 0xc8, 0xff}

// robustColor maps a score in [-robustClip, robustClip] to a diverging
// scale from vermillion through white to blue (Okabe-Ito ends); NaN is
// light grey.
func robustColor(z float64) color.NRGBA {
	if math.IsNaN(z) {
		return noEffectGrey
	}
	end := oiBlue
	if z < 0 {
		end = oiVermillion
	}
	t := math.Min(1, math.Abs(z)/robustClip)
	mix := func(a uint8) uint8 { return uint8(math.Round(255 + t*(float64(a)-255))) }
	return color.NRGBA{mix(end.R), mix(end.G), mix(end.B), 0xff}
}
