package plots

import (
	"image/color"
	"math"
	"testing"
)

// Colour-vision deficiency is simulated with the full-severity matrices of
// Machado, Oliveira and Fernandes (2009), "A physiologically-based model
// for simulation of color vision deficiency", IEEE TVCG 15(6), applied to
// linear RGB; colours are compared by their CIE76 distance in CIELAB.
var cvdMatrices = map[string][3][3]float64{
	"protanopia":   {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
	"deuteranopia": {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
	"tritanopia":   {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
	"normal":       {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
}

func linear(c uint8) float64 {
	v := float64(c) / 255
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// seenLab returns the CIELAB (D65) coordinates of c as seen with the
// deficiency m.
func seenLab(c color.NRGBA, m [3][3]float64) [3]float64 {
	in := [3]float64{linear(c.R), linear(c.G), linear(c.B)}
	var rgb [3]float64
	for i := range 3 {
		for j := range 3 {
			rgb[i] += m[i][j] * in[j]
		}
		rgb[i] = math.Min(1, math.Max(0, rgb[i]))
	}
	x := 0.4124*rgb[0] + 0.3576*rgb[1] + 0.1805*rgb[2]
	y := 0.2126*rgb[0] + 0.7152*rgb[1] + 0.0722*rgb[2]
	z := 0.0193*rgb[0] + 0.1192*rgb[1] + 0.9505*rgb[2]
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x/0.95047), f(y), f(z/1.08883)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}

// minDistance is the smallest CIE76 distance between two of cs as seen
// with the deficiency m.
func minDistance(cs []color.NRGBA, m [3][3]float64) float64 {
	d := math.Inf(1)
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			a, b := seenLab(cs[i], m), seenLab(cs[j], m)
			d = math.Min(d, math.Sqrt((a[0]-b[0])*(a[0]-b[0])+(a[1]-b[1])*(a[1]-b[1])+(a[2]-b[2])*(a[2]-b[2])))
		}
	}
	return d
}

// TestLatticeColorsCVD checks that the four lattice colours stay apart
// (CIE76 distance at least 15; about 2.3 is a just-noticeable difference)
// under every simulated deficiency, and that Nowak and May's original
// pure colours do not (their green and yellow merge under protanopia),
// which is why the Okabe-Ito variant is used.
func TestLatticeColorsCVD(t *testing.T) {
	for name, m := range cvdMatrices {
		if d := minDistance(latticeColors[:], m); d < 15 {
			t.Errorf("%s: lattice colours %.1f apart, want >= 15", name, d)
		}
	}
	nm := []color.NRGBA{{0, 0, 255, 255}, {255, 0, 0, 255}, {0, 255, 0, 255}, {255, 255, 0, 255}}
	if d := minDistance(nm, cvdMatrices["protanopia"]); d >= 15 {
		t.Errorf("protanopia: Nowak and May's pure colours %.1f apart; the check would not tell them from the variant", d)
	}
}

// TestSeriesColorsCVD checks the colours that share a panel.
func TestSeriesColorsCVD(t *testing.T) {
	panels := map[string][]color.NRGBA{
		"convergence": {oiBlue, oiOrange},
		"attribution": {oiBlue, oiBluishGreen, oiVermillion},
		"traits":      {oiVermillion, oiBlue},
		"outcomes":    {oiBluishGreen, oiVermillion, lightGrey},
	}
	for pn, cs := range panels {
		for name, m := range cvdMatrices {
			if d := minDistance(cs, m); d < 10 {
				t.Errorf("%s panel, %s: colours %.1f apart, want >= 10", pn, name, d)
			}
		}
	}
}

// TestViridis checks the colour map's ends and that its lightness rises
// monotonically (so that it reads in grey).
func TestViridis(t *testing.T) {
	if c := viridis(0); c != viridisAnchors[0] {
		t.Errorf("viridis(0) = %v, want %v", c, viridisAnchors[0])
	}
	if c := viridis(1); c != viridisAnchors[len(viridisAnchors)-1] {
		t.Errorf("viridis(1) = %v", c)
	}
	prev := -1.0
	for i := 0; i <= 100; i++ {
		l := seenLab(viridis(float64(i)/100), cvdMatrices["normal"])[0]
		if l <= prev {
			t.Fatalf("viridis lightness falls at %d%%: %.2f after %.2f", i, l, prev)
		}
		prev = l
	}
}
