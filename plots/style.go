package plots

import (
	"image/color"

	xfnt "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/normsim/normsim/sim"
)

// The Okabe-Ito palette (Okabe and Ito 2008, "Color Universal Design"),
// distinguishable under the common forms of colour-vision deficiency.
var (
	oiBlack         = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	oiOrange        = color.NRGBA{0xE6, 0x9F, 0x00, 0xff}
	oiSkyBlue       = color.NRGBA{0x56, 0xB4, 0xE9, 0xff}
	oiBluishGreen   = color.NRGBA{0x00, 0x9E, 0x73, 0xff}
	oiYellow        = color.NRGBA{0xF0, 0xE4, 0x42, 0xff}
	oiBlue          = color.NRGBA{0x00, 0x72, 0xB2, 0xff}
	oiVermillion    = color.NRGBA{0xD5, 0x5E, 0x00, 0xff}
	oiReddishPurple = color.NRGBA{0xCC, 0x79, 0xA7, 0xff}

	grey      = color.NRGBA{0x55, 0x55, 0x55, 0xff}
	warnRed   = color.NRGBA{0xA8, 0x3A, 0x00, 0xff} // a darker vermillion, for text
	lightGrey = color.NRGBA{0x99, 0x99, 0x99, 0xff}
	gridGrey  = color.NRGBA{0xe4, 0xe4, 0xe4, 0xff}
)

// bandAlpha is the opacity of the filled 10-90% bands, hatchAlpha that
// of the lines of a hatched band, repAlpha that of a replicate's thin
// line, regionAlpha that of the outcome regions behind the end positions.
const (
	bandAlpha   = 0x48
	hatchAlpha  = 0xb0
	repAlpha    = 0x8c
	regionAlpha = 0x30
)

// contestedGrey is the colour of the contested outcome: neither end.
var contestedGrey = color.NRGBA{0xa8, 0xa8, 0xa8, 0xff}

// outcomeColors are the colours of the outcome classes, the same on every
// chart: bluish green established, sky blue latent (practice without
// expectation), grey contested, orange hollow (expectation without
// practice), vermillion collapsed. They stay apart under simulated
// colour-vision deficiencies (TestOutcomeColorsCVD).
var outcomeColors = [sim.NumOutcomes]color.NRGBA{
	sim.Established: oiBluishGreen,
	sim.Latent:      oiSkyBlue,
	sim.Contested:   contestedGrey,
	sim.Hollow:      oiOrange,
	sim.Collapsed:   oiVermillion,
}

// outcomeColor is the colour of outcome o.
func outcomeColor(o sim.Outcome) color.NRGBA {
	if o < 0 || o >= sim.NumOutcomes {
		return grey
	}
	return outcomeColors[o]
}

// withAlpha returns c with opacity a.
func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}

// Sizes. Figures are drawn in points and rasterised at dpi, so that a
// default figure of 8 x 5.33 in is 1200 x 800 px: text of 11 pt is then
// 23 px high, readable on a projector.
const dpi = 150

var (
	figWidth  = 8 * vg.Inch
	figHeight = 8 * vg.Inch * 2 / 3
	margin    = vg.Points(10)
	lineWidth = vg.Points(1.75)
)

// Font sizes, in points.
const (
	titleSize   = 15
	headingSize = 12
	labelSize   = 11.5
	tickSize    = 10.5
	legendSize  = 10.5
	captionSize = 9
	noteSize    = 10.5
)

// sans returns the Liberation Sans font at size pt (bold when bold).
func sans(pt vg.Length, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: pt}
	if bold {
		f.Weight = xfnt.WeightBold
	}
	return f
}

// textStyle is a left-aligned, bottom-aligned text style.
func textStyle(pt vg.Length, bold bool, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    sans(pt, bold),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a plot in the package's style: sans-serif text at
// projector sizes, light grid lines drawn by the caller, no title (panels
// are headed by the figure).
func newPlot(xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(labelSize, false)
		a.Tick.Label.Font = sans(tickSize, false)
		a.Label.Padding = vg.Points(4)
		a.Padding = vg.Points(2)
		a.LineStyle.Color = grey
		a.Tick.LineStyle.Color = grey
		a.Tick.Marker = niceTicks{}
	}
	p.Legend.TextStyle.Font = sans(legendSize, false)
	return p
}

// lineStyle is a solid or dashed line of the package's width.
func lineStyle(c color.Color, dashes ...vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: lineWidth, Dashes: dashes}
}

// Dash patterns: every series of a panel differs in dash as well as colour,
// so that a chart printed in grey still reads.
var (
	dashed   = []vg.Length{vg.Points(7), vg.Points(3)}
	dotted   = []vg.Length{vg.Points(2), vg.Points(2.5)}
	dashDot  = []vg.Length{vg.Points(7), vg.Points(2.5), vg.Points(2), vg.Points(2.5)}
	longDash = []vg.Length{vg.Points(12), vg.Points(4)}
)
