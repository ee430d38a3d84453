package plots

import (
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

var whiteBG = color.White

// frame is what every figure has around its panels: a title, a one-line
// explanation of how to read it, and the provenance caption.
type frame struct {
	Title    string
	Subtitle string
	// Warning, if set, is written under the subtitle in vermillion: what
	// makes the chart unreliable.
	Warning string
	Caption string
}

// draw draws the frame on c and returns the canvas left for the body.
func (fr frame) draw(c draw.Canvas) draw.Canvas {
	c = draw.Crop(c, margin, -margin, margin, -margin)
	width := c.Max.X - c.Min.X

	title := textStyle(titleSize, true, color.Black)
	title.YAlign = draw.YTop
	y := c.Max.Y
	for _, l := range wrap(fr.Title, title, width) {
		c.FillText(title, vg.Point{X: c.Min.X, Y: y}, l)
		y -= lineHeight(title)
	}
	if fr.Subtitle != "" {
		sub := textStyle(legendSize, false, grey)
		sub.YAlign = draw.YTop
		y -= vg.Points(2)
		for _, l := range wrap(fr.Subtitle, sub, width) {
			c.FillText(sub, vg.Point{X: c.Min.X, Y: y}, l)
			y -= lineHeight(sub)
		}
	}
	if fr.Warning != "" {
		w := textStyle(legendSize, true, warnRed)
		w.YAlign = draw.YTop
		y -= vg.Points(3)
		for _, l := range wrap(fr.Warning, w, width) {
			c.FillText(w, vg.Point{X: c.Min.X, Y: y}, l)
			y -= lineHeight(w)
		}
	}
	c.Max.Y = y - vg.Points(4)

	capt := textStyle(captionSize, false, grey)
	lines := wrap(fr.Caption, capt, width)
	yb := c.Min.Y
	for i := len(lines) - 1; i >= 0; i-- {
		c.FillText(capt, vg.Point{X: c.Min.X, Y: yb + capt.FontExtents().Descent}, lines[i])
		yb += lineHeight(capt)
	}
	c.Min.Y = yb + vg.Points(6)
	return c
}

// lineHeight is the distance between baselines of sty.
func lineHeight(sty text.Style) vg.Length {
	e := sty.FontExtents()
	return e.Height * 1.15
}

// wrap breaks s into lines no wider than width, at ASCII spaces only: a
// non-breaking space (nbsp) keeps a phrase such as "32 of 32" on one line.
// Explicit newlines are kept.
func wrap(s string, sty text.Style, width vg.Length) []string {
	if s == "" {
		return nil
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.FieldsFunc(para, func(r rune) bool { return r == ' ' || r == '\t' })
		line := ""
		for _, w := range words {
			cand := w
			if line != "" {
				cand = line + " " + w
			}
			if line != "" && textWidth(sty, cand) > width {
				lines = append(lines, line)
				line = w
				continue
			}
			line = cand
		}
		lines = append(lines, line)
	}
	return lines
}

// entry is one item of a panel's legend: thumbnails drawn on top of each
// other, then the label.
type entry struct {
	Label  string
	Thumbs []plot.Thumbnailer
}

// nbsp is a non-breaking space: [wrap] does not break a line there.
const nbsp = "\u00a0"

// keep joins the words of s with non-breaking spaces.
func keep(s string) string { return strings.ReplaceAll(s, " ", nbsp) }

// panel is one plot of a figure with its heading, notes, legend and
// marks (event labels, forum meetings) drawn above the data area, never
// on top of the data.
type panel struct {
	Plot    *plot.Plot
	Heading string
	// Notes are short lines of grey text under the heading (what a line
	// means, what failed).
	Notes  []string
	Legend []entry
	// Marks, if set, is a lane just above the data area: the labels of
	// timeline events and ticks for forum meetings ([marks]), or the
	// paired differences of a claim.
	Marks lane
	// Weight is the panel's share of the figure's height (in a stack) or
	// width (in a row), relative to the others'; 0 means 1.
	Weight float64
	// Note, if set, is written in the middle of the data area (used for
	// "no replicate converged").
	Note string
}

var (
	thumbWidth = vg.Points(26)
	entryGap   = vg.Points(14)
	thumbGap   = vg.Points(5)
)

// legendRows lays the legend out in rows no wider than width.
func legendRows(es []entry, width vg.Length) [][]entry {
	sty := textStyle(legendSize, false, color.Black)
	var rows [][]entry
	var row []entry
	x := vg.Length(0)
	for _, e := range es {
		w := textWidth(sty, e.Label)
		if len(e.Thumbs) > 0 {
			w += thumbWidth + thumbGap
		}
		if len(row) > 0 && x+entryGap+w > width {
			rows = append(rows, row)
			row, x = nil, 0
		}
		if len(row) > 0 {
			x += entryGap
		}
		x += w
		row = append(row, e)
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// noteStyle is the style of a panel's notes and of the labels in its
// marks lane.
func noteStyle() text.Style { return textStyle(legendSize-0.5, false, grey) }

// stripHeight is the height of the heading, notes, legend and marks lane
// above a panel's data area spanning [x0, x1].
func (pn *panel) stripHeight(x0, x1 vg.Length) vg.Length {
	width := x1 - x0
	var h vg.Length
	if pn.Heading != "" {
		sty := textStyle(headingSize, true, color.Black)
		h += vg.Length(len(wrap(pn.Heading, sty, width))) * lineHeight(sty)
	}
	for _, n := range pn.Notes {
		h += vg.Length(len(wrap(n, noteStyle(), width))) * lineHeight(noteStyle())
	}
	h += legendHeight(pn.Legend, width)
	if pn.Marks != nil {
		h += pn.Marks.height(x0, x1)
	}
	if h > 0 {
		h += vg.Points(4)
	}
	return h
}

// drawStrip draws the heading, notes and legend in the strip [x0, x1]
// below top.
func (pn *panel) drawStrip(c draw.Canvas, x0, x1, top vg.Length) {
	y := top
	if pn.Heading != "" {
		sty := textStyle(headingSize, true, color.Black)
		sty.YAlign = draw.YTop
		for _, l := range wrap(pn.Heading, sty, x1-x0) {
			c.FillText(sty, vg.Point{X: x0, Y: y}, l)
			y -= lineHeight(sty)
		}
	}
	for _, n := range pn.Notes {
		sty := noteStyle()
		sty.YAlign = draw.YTop
		for _, l := range wrap(n, sty, x1-x0) {
			c.FillText(sty, vg.Point{X: x0, Y: y}, l)
			y -= lineHeight(sty)
		}
	}
	drawLegend(c, pn.Legend, x0, x1, y)
}

// drawLegend draws the entries in rows between x0 and x1, from top down,
// and returns the height used.
func drawLegend(c draw.Canvas, es []entry, x0, x1, top vg.Length) vg.Length {
	sty := textStyle(legendSize, false, color.Black)
	sty.YAlign = draw.YCenter
	lh := lineHeight(sty)
	y := top
	for _, row := range legendRows(es, x1-x0) {
		x := x0
		mid := y - lh/2
		for _, e := range row {
			if len(e.Thumbs) > 0 {
				th := sty.FontExtents().Height * 0.8
				tc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
					Min: vg.Point{X: x, Y: mid - th/2},
					Max: vg.Point{X: x + thumbWidth, Y: mid + th/2},
				}}
				for _, t := range e.Thumbs {
					t.Thumbnail(&tc)
				}
				x += thumbWidth + thumbGap
			}
			c.FillText(sty, vg.Point{X: x, Y: mid}, e.Label)
			x += textWidth(sty, e.Label) + entryGap
		}
		y -= lh
	}
	return top - y
}

// legendHeight is the height drawLegend takes for es between x0 and x1.
func legendHeight(es []entry, width vg.Length) vg.Length {
	return vg.Length(len(legendRows(es, width))) * lineHeight(textStyle(legendSize, false, color.Black))
}

// drawNote writes the panel's note in the middle of its data area.
func (pn *panel) drawNote(dc draw.Canvas) {
	if pn.Note == "" {
		return
	}
	sty := textStyle(noteSize+1, false, grey)
	sty.XAlign = draw.XCenter
	sty.YAlign = draw.YCenter
	lines := wrap(pn.Note, sty, (dc.Max.X-dc.Min.X)*0.85)
	lh := lineHeight(sty)
	y := dc.Center().Y + lh*vg.Length(len(lines)-1)/2
	for _, l := range lines {
		dc.FillText(sty, vg.Point{X: dc.Center().X, Y: y}, l)
		y -= lh
	}
}

func weights(pns []panel) []float64 {
	w := make([]float64, len(pns))
	for i, p := range pns {
		w[i] = p.Weight
		if w[i] <= 0 {
			w[i] = 1
		}
	}
	return w
}

var panelGap = vg.Points(12)

// stack draws panels top to bottom on c, their data areas aligned on the
// left and right so that a shared x axis lines up, and their heights in
// proportion to the panels' weights (after the headings, legends and axes
// have taken their room).
func stack(c draw.Canvas, pns []panel) {
	w := weights(pns)
	var total float64
	for _, x := range w {
		total += x
	}
	// The horizontal extent of a data area does not depend on the
	// canvas height, so align first, then split off the strips.
	var left, right vg.Length
	for _, pn := range pns {
		dc := pn.Plot.DataCanvas(c)
		left = max(left, dc.Min.X-c.Min.X)
		right = max(right, c.Max.X-dc.Max.X)
	}
	x0, x1 := c.Min.X+left, c.Max.X-right
	over := make([]vg.Length, len(pns)) // room taken by strip and axes
	var fixed vg.Length
	for i, pn := range pns {
		dc := pn.Plot.DataCanvas(c)
		over[i] = pn.stripHeight(x0, x1) + (c.Max.Y - c.Min.Y) - (dc.Max.Y - dc.Min.Y)
		fixed += over[i]
	}
	avail := max(0, c.Max.Y-c.Min.Y-panelGap*vg.Length(len(pns)-1)-fixed)

	top := c.Max.Y
	for i := range pns {
		pn := &pns[i]
		h := over[i] + avail*vg.Length(w[i]/total)
		r := c
		r.Max.Y, r.Min.Y = top, top-h
		top -= h + panelGap
		dc := pn.Plot.DataCanvas(r)
		r.Min.X += left - (dc.Min.X - r.Min.X)
		r.Max.X -= right - (r.Max.X - dc.Max.X)
		pr := r
		pr.Max.Y -= pn.stripHeight(x0, x1)
		pn.Plot.Draw(pr)
		pn.drawStrip(c, x0, x1, r.Max.Y)
		dc = pn.Plot.DataCanvas(pr)

		pn.drawNote(dc)
		if pn.Marks != nil {
			pn.Marks.draw(c, dc.Min.X, dc.Max.X, dc.Max.Y)
		}
	}
}

// row draws panels left to right on c, their data areas aligned at the
// top and bottom.
func row(c draw.Canvas, pns []panel) {
	w := weights(pns)
	var total float64
	for _, x := range w {
		total += x
	}
	gap := panelGap * 2
	avail := c.Max.X - c.Min.X - gap*vg.Length(len(pns)-1)
	rects := make([]draw.Canvas, len(pns))
	x := c.Min.X
	for i := range pns {
		wd := avail * vg.Length(w[i]/total)
		rects[i] = c
		rects[i].Min.X = x
		rects[i].Max.X = x + wd
		x += wd + gap
	}
	var strip, bottom vg.Length
	for i, pn := range pns {
		dc := pn.Plot.DataCanvas(rects[i])
		strip = max(strip, pn.stripHeight(dc.Min.X, dc.Max.X))
		bottom = max(bottom, dc.Min.Y-rects[i].Min.Y)
	}
	for i := range pns {
		pn := &pns[i]
		r := rects[i]
		r.Max.Y -= strip
		dc := pn.Plot.DataCanvas(r)
		r.Min.Y += bottom - (dc.Min.Y - r.Min.Y)
		pn.Plot.Draw(r)
		dc = pn.Plot.DataCanvas(r)
		pn.drawStrip(c, dc.Min.X, dc.Max.X, rects[i].Max.Y)
		pn.drawNote(dc)
		if pn.Marks != nil {
			pn.Marks.draw(c, dc.Min.X, dc.Max.X, dc.Max.Y)
		}
	}
}

// split cuts c into horizontal bands from top to bottom, their heights
// in proportion to weights, gap apart.
func split(c draw.Canvas, gap vg.Length, weights ...float64) []draw.Canvas {
	var total float64
	for _, w := range weights {
		total += w
	}
	avail := c.Max.Y - c.Min.Y - gap*vg.Length(len(weights)-1)
	out := make([]draw.Canvas, len(weights))
	top := c.Max.Y
	for i, w := range weights {
		h := avail * vg.Length(w/total)
		out[i] = c
		out[i].Max.Y, out[i].Min.Y = top, top-h
		top -= h + gap
	}
	return out
}

// lane is what a panel draws between its legend and its data area.
type lane interface {
	// height is the lane's height over a data area spanning [x0, x1].
	height(x0, x1 vg.Length) vg.Length
	// draw draws the lane over the data area [x0, x1] whose top is top.
	draw(c draw.Canvas, x0, x1, top vg.Length)
}

// marks is the lane above a panel's data area: the labels of timeline
// events, each joined by a dashed line to its line in the data area, and
// a tick for each forum meeting. Labels that would overlap move up a
// level.
type marks struct {
	Axis   *plot.Axis // the panel's x axis
	Events []float64
	Labels []string
	Forums []float64
}

var (
	markPad     = vg.Points(3)
	forumTick   = vg.Points(6)
	forumGap    = vg.Points(3)
	mergeGap    = vg.Points(6)
	markConnect = draw.LineStyle{Color: lightGrey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
)

// maxMerged is the number of labels of events too close to tell apart
// that are listed in one label (the others are counted), and
// maxMarkLevels the levels of labels in a lane: with thousands of events
// the lane stays a few lines high and is laid out in linear time.
const (
	maxMerged     = 4
	maxMarkLevels = 4
)

// placed is an event label laid out in the lane.
type placed struct {
	X, X0 vg.Length // the event's position, the label's left end
	Level int
	Label string
}

// layout places the labels between x0 and x1 on levels (0 nearest the
// data), returning them and the number of levels. Events closer than
// mergeGap on the axis share one label, their labels joined by "; ".
func (m *marks) layout(x0, x1 vg.Length) ([]placed, int) {
	sty := noteStyle()
	type ev struct {
		X     vg.Length
		Label string
	}
	var evs []ev
	more := 0 // labels merged into the last one beyond maxMerged
	flush := func() {
		if n := len(evs); n > 0 && more > 0 {
			evs[n-1].Label += fmt.Sprintf("; +%d more", more)
		}
		more = 0
	}
	merged := 0
	for i, x := range m.Events {
		if i >= len(m.Labels) || m.Labels[i] == "" || x < m.Axis.Min || x > m.Axis.Max {
			continue
		}
		X := x0 + vg.Length(m.Axis.Norm(x))*(x1-x0)
		if n := len(evs); n > 0 && X-evs[n-1].X < mergeGap {
			if merged++; merged < maxMerged {
				evs[n-1].Label += "; " + m.Labels[i]
			} else {
				more++ // a crowd of events: counted, not listed
			}
			continue
		}
		flush()
		merged = 0
		evs = append(evs, ev{X, m.Labels[i]})
	}
	flush()
	var out []placed
	var ends []vg.Length // rightmost end of a label per level
	for _, e := range evs {
		w := textWidth(sty, e.Label)
		l0 := e.X + markPad
		if l0+w > x1 {
			l0 = max(x0, e.X-markPad-w) // no room on the right: write on the left
		}
		lvl := 0
		for ; lvl < len(ends); lvl++ {
			if ends[lvl]+markPad < l0 {
				break
			}
		}
		if lvl == maxMarkLevels {
			continue // no room: the event's line is drawn, its label is not
		}
		for len(ends) <= lvl {
			ends = append(ends, x0-markPad*2)
		}
		ends[lvl] = l0 + w
		out = append(out, placed{X: e.X, X0: l0, Level: lvl, Label: e.Label})
	}
	return out, len(ends)
}

// height is the lane's height for a data area spanning [x0, x1].
func (m *marks) height(x0, x1 vg.Length) vg.Length {
	_, levels := m.layout(x0, x1)
	h := vg.Length(levels) * lineHeight(noteStyle())
	if len(m.Forums) > 0 {
		h += forumTick + vg.Points(2)
	}
	if h > 0 {
		h += vg.Points(2)
	}
	return h
}

// draw draws the lane over the data area [x0, x1] whose top is at top.
func (m *marks) draw(c draw.Canvas, x0, x1, top vg.Length) {
	base := top + vg.Points(1)
	if len(m.Forums) > 0 {
		st := draw.LineStyle{Color: grey, Width: vg.Points(1.2)}
		last := x0 - forumGap
		for _, f := range m.Forums {
			if f < m.Axis.Min || f > m.Axis.Max {
				continue
			}
			X := x0 + vg.Length(m.Axis.Norm(f))*(x1-x0)
			if X-last < forumGap {
				continue // closer than a tick can be told apart
			}
			last = X
			c.StrokeLine2(st, X, base, X, base+forumTick)
		}
		base += forumTick + vg.Points(2)
	}
	ps, _ := m.layout(x0, x1)
	sty := noteStyle()
	sty.YAlign = draw.YCenter
	lh := lineHeight(sty)
	// The dashed lines first, then each label on a white box: a line that
	// runs up to a higher label passes behind the labels below it.
	for _, p := range ps {
		mid := base + lh*vg.Length(p.Level) + lh/2
		c.StrokeLine2(markConnect, p.X, top, p.X, mid)
	}
	for _, p := range ps {
		mid := base + lh*vg.Length(p.Level) + lh/2
		w := textWidth(sty, p.Label)
		c.FillPolygon(whiteBG, []vg.Point{{X: p.X0 - 1, Y: mid - lh/2}, {X: p.X0 + w + 1, Y: mid - lh/2}, {X: p.X0 + w + 1, Y: mid + lh/2}, {X: p.X0 - 1, Y: mid + lh/2}})
		c.FillText(sty, vg.Point{X: p.X0, Y: mid}, p.Label)
	}
}

// fontSlack widens measured text for layout. Text is measured with
// Liberation Sans; an SVG viewer without it falls back to Arial (the same
// metrics) or to a sans-serif such as DejaVu Sans, about a tenth wider.
// Laying text out with this slack keeps labels from running into each
// other in either case.
const fontSlack = 1.15

// textWidth is the width of txt in sty, with fontSlack.
func textWidth(sty text.Style, txt string) vg.Length {
	return sty.Width(txt) * fontSlack
}
