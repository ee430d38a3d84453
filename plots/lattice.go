package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/sim"
)

// latticeColors are the colours of the four cell states of a
// [sim.LatticeSnapshot], after Nowak and May (1992), "Evolutionary games
// and spatial chaos", Nature 359: blue C after C, red D after D, green C
// after D (new cooperator), yellow D after C (new defector). Their pure
// red, green and yellow are hard to tell apart with a red-green
// deficiency, so the Okabe-Ito blue, vermillion, bluish green and yellow
// stand in: same hues and meaning, distinguishable under simulated
// protanopia, deuteranopia and tritanopia (see TestLatticeColorsCVD).
var latticeColors = [4]color.NRGBA{oiBlue, oiVermillion, oiBluishGreen, oiYellow}

// latticeKey describes the cell states, in the order of latticeColors.
var latticeKey = [4]string{
	"C→C: restrained again",
	"D→D: escalated again",
	"D→C: new restrainer",
	"C→D: new escalator",
}

// maxSmall is the number of earlier snapshots shown beside the final one.
const maxSmall = 6

func checkSnapshot(s *sim.LatticeSnapshot) error {
	if s.Width <= 0 || s.Height <= 0 {
		return fmt.Errorf("plots: lattice snapshot at step %d is %dx%d", s.Step, s.Width, s.Height)
	}
	if len(s.Cells) != s.Width*s.Height {
		return fmt.Errorf("plots: lattice snapshot at step %d has %d cells, want %d (%dx%d)",
			s.Step, len(s.Cells), s.Width*s.Height, s.Width, s.Height)
	}
	for i, v := range s.Cells {
		if v > 3 {
			return fmt.Errorf("plots: lattice snapshot at step %d: cell %d (x=%d, y=%d) is %d, want 0..3",
				s.Step, i, i%s.Width, i/s.Width, v)
		}
	}
	return nil
}

// pickSnapshots returns up to n of snaps, spread evenly in log(1+step)
// (the interesting changes of a lattice come early), always with the first.
func pickSnapshots(snaps []sim.LatticeSnapshot, n int) []sim.LatticeSnapshot {
	if len(snaps) <= n {
		return snaps
	}
	a := math.Log1p(float64(max(snaps[0].Step, 0)))
	b := math.Log1p(float64(max(snaps[len(snaps)-1].Step, 0)))
	used := make([]bool, len(snaps))
	var idx []int
	for k := range n {
		target := a + (b-a)*float64(k)/float64(n-1)
		best, bestD := -1, math.Inf(1)
		for i, s := range snaps {
			if used[i] {
				continue
			}
			d := math.Abs(math.Log1p(float64(max(s.Step, 0))) - target)
			if d < bestD {
				best, bestD = i, d
			}
		}
		used[best] = true
		idx = append(idx, best)
	}
	slices.Sort(idx)
	out := make([]sim.LatticeSnapshot, len(idx))
	for i, j := range idx {
		out[i] = snaps[j]
	}
	return out
}

// latticeImage renders s with each cell a k x k block of pixels, k chosen
// so that the image is at least px pixels wide (nearest-neighbour, so
// cells stay crisp when the image is scaled).
func latticeImage(s *sim.LatticeSnapshot, px float64) *image.NRGBA {
	k := max(1, int(math.Ceil(px/float64(s.Width))))
	img := image.NewNRGBA(image.Rect(0, 0, s.Width*k, s.Height*k))
	for y := range s.Height {
		for x := range s.Width {
			c := latticeColors[s.Cells[y*s.Width+x]]
			for dy := range k {
				o := img.PixOffset(x*k, y*k+dy)
				for dx := range k {
					img.Pix[o+4*dx] = c.R
					img.Pix[o+4*dx+1] = c.G
					img.Pix[o+4*dx+2] = c.B
					img.Pix[o+4*dx+3] = 0xff
				}
			}
		}
	}
	return img
}

// cooperators is the share of cells that cooperated (restrained) last.
func cooperators(s *sim.LatticeSnapshot) float64 {
	n := 0
	for _, v := range s.Cells {
		if v == 0 || v == 2 {
			n++
		}
	}
	return float64(n) / float64(len(s.Cells))
}

// drawSnapshot draws s fitted into box, under a label of one or more
// lines.
func drawSnapshot(c draw.Canvas, box vg.Rectangle, s *sim.LatticeSnapshot, label string, size vg.Length) {
	sty := textStyle(size, false, color.Black)
	sty.XAlign = draw.XCenter
	sty.YAlign = draw.YTop
	lh := lineHeight(sty)
	y := box.Max.Y
	for _, l := range strings.Split(label, "\n") {
		c.FillText(sty, vg.Point{X: (box.Min.X + box.Max.X) / 2, Y: y}, l)
		y -= lh
	}
	avail := box
	avail.Max.Y = y - vg.Points(2)
	bw, bh := avail.Max.X-avail.Min.X, avail.Max.Y-avail.Min.Y
	scale := min(bw/vg.Length(s.Width), bh/vg.Length(s.Height))
	w, h := scale*vg.Length(s.Width), scale*vg.Length(s.Height)
	x0 := avail.Min.X + (bw-w)/2
	y0 := avail.Max.Y - h
	r := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x0 + w, Y: y0 + h}}
	c.DrawImage(r, latticeImage(s, w.Points()/72*dpi))
	c.StrokeLines(draw.LineStyle{Color: grey, Width: vg.Points(0.75)}, []vg.Point{
		r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min,
	})
}

func drawLattice(res *sim.Result, meta Meta) (*Figure, error) {
	if len(res.Replicates) == 0 || len(res.Replicates[0].Lattice) == 0 {
		return nil, fmt.Errorf("plots: no lattice snapshots in the first replicate")
	}
	r0 := &res.Replicates[0]
	snaps := slices.Clone(r0.Lattice)
	slices.SortStableFunc(snaps, func(a, b sim.LatticeSnapshot) int { return a.Step - b.Step })
	for i := range snaps {
		if err := checkSnapshot(&snaps[i]); err != nil {
			return nil, err
		}
	}
	final := snaps[len(snaps)-1]
	small := pickSnapshots(snaps[:len(snaps)-1], maxSmall)
	tlabel := timeLabel(res)

	fr := frame{
		Title: fmt.Sprintf("Lattice: who restrains where (replicate %d)", r0.Index),
		Subtitle: "Colours of Nowak and May (1992) in a colour-blind-safe variant: blue and green sites restrained (cooperated) " +
			"in the last " + tlabel + ", vermillion and yellow escalated (defected); green and yellow sites have just changed.",
		Caption: caption(metaFor(meta, res), false),
	}
	draw1 := func(c draw.Canvas) {
		body := fr.draw(c)
		// Colour key along the bottom, two by two: restrainers in the
		// first column, escalators in the second; kept in the first row,
		// changed in the second.
		var keyCols [2][]entry
		for i, lab := range latticeKey {
			e := entry{Label: lab, Thumbs: []plot.Thumbnailer{swatch(latticeColors[i])}}
			keyCols[i%2] = append(keyCols[i%2], e) // 0, 2: C; 1, 3: D
		}
		sty := textStyle(legendSize, false, color.Black)
		w0 := max(textWidth(sty, latticeKey[0]), textWidth(sty, latticeKey[2])) + thumbWidth + thumbGap + 2*entryGap
		kh := 2 * lineHeight(sty)
		for i, col := range keyCols {
			x := body.Min.X + vg.Length(i)*w0
			for j, e := range col {
				drawLegend(c, []entry{e}, x, body.Max.X, body.Min.Y+kh-vg.Length(j)*lineHeight(sty))
			}
		}
		body.Min.Y += kh + vg.Points(8)

		bw, bh := body.Max.X-body.Min.X, body.Max.Y-body.Min.Y
		bigW := min(bh, bw*0.5)
		big := vg.Rectangle{Min: body.Min, Max: vg.Point{X: body.Min.X + bigW, Y: body.Max.Y}}
		drawSnapshot(c, big, &final, fmt.Sprintf("final: %s %d, %s restrain", tlabel, final.Step, percent(cooperators(&final))), headingSize)

		right := vg.Rectangle{Min: vg.Point{X: big.Max.X + vg.Points(18), Y: body.Min.Y}, Max: body.Max}
		if len(small) == 0 {
			sty := textStyle(noteSize, false, grey)
			sty.XAlign = draw.XCenter
			sty.YAlign = draw.YCenter
			c.FillText(sty, vg.Point{X: (right.Min.X + right.Max.X) / 2, Y: (right.Min.Y + right.Max.Y) / 2}, "no earlier snapshots")
			return
		}
		cols := 3
		if len(small) <= 2 {
			cols = len(small)
		}
		rows := (len(small) + cols - 1) / cols
		gap := vg.Points(10)
		cw := (right.Max.X - right.Min.X - gap*vg.Length(cols-1)) / vg.Length(cols)
		rh := (right.Max.Y - right.Min.Y - gap*vg.Length(rows-1)) / vg.Length(rows)
		for i := range small {
			ci, ri := i%cols, i/cols
			b := vg.Rectangle{
				Min: vg.Point{X: right.Min.X + vg.Length(ci)*(cw+gap), Y: right.Max.Y - vg.Length(ri+1)*rh - vg.Length(ri)*gap},
			}
			b.Max = vg.Point{X: b.Min.X + cw, Y: b.Min.Y + rh}
			drawSnapshot(c, b, &small[i], fmt.Sprintf("%s %d\n%s restrain", tlabel, small[i].Step, percent(cooperators(&small[i]))), legendSize)
		}
	}
	return &Figure{Width: figWidth, Height: figHeight, draw: draw1}, nil
}

// swatch is a legend thumbnail: a patch of one colour.
type swatch color.NRGBA

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(color.NRGBA(s), []vg.Point{
		c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y},
	})
}
