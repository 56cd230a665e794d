package main

import (
	"math"
	"strconv"
	"strings"
)

// palette is the Okabe–Ito palette (as segkit.css): eight colours that stay
// distinguishable with every common colour-vision deficiency. Charts carry
// their colours as SVG attributes, so a downloaded chart keeps them.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

// segmentColour is the colour of the segment at index i (noise, i < 0, is grey).
func segmentColour(i int) string {
	if i < 0 {
		return "#999999"
	}
	return palette[i%len(palette)]
}

// frame maps data coordinates onto a rectangle of an SVG drawing: x grows
// to the right, y upwards (SVG's y grows downwards).
type frame struct {
	Left, Top, Width, Height float64 // the plotting area, in SVG units
	X0, X1, Y0, Y1           float64 // the data range shown
}

// newFrame returns a frame for the data ranges [x0, x1] × [y0, y1], widened
// to nice tick values and never empty.
func newFrame(left, top, width, height, x0, x1, y0, y1 float64) frame {
	x0, x1 = widen(x0, x1)
	y0, y1 = widen(y0, y1)
	return frame{Left: left, Top: top, Width: width, Height: height, X0: x0, X1: x1, Y0: y0, Y1: y1}
}

// widen makes an empty or inverted range usable.
func widen(lo, hi float64) (float64, float64) {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, 1
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	if hi-lo < 1e-12*math.Max(1, math.Abs(lo)) {
		d := math.Max(math.Abs(lo)*0.1, 0.5)
		return lo - d, hi + d
	}
	return lo, hi
}

// X returns the SVG x of a data value.
func (f frame) X(v float64) float64 { return f.Left + (v-f.X0)/(f.X1-f.X0)*f.Width }

// Y returns the SVG y of a data value.
func (f frame) Y(v float64) float64 { return f.Top + f.Height - (v-f.Y0)/(f.Y1-f.Y0)*f.Height }

// Bottom is the SVG y of the bottom edge of the plotting area.
func (f frame) Bottom() float64 { return f.Top + f.Height }

// Right is the SVG x of the right edge of the plotting area.
func (f frame) Right() float64 { return f.Left + f.Width }

// ticks returns about n round values covering [lo, hi] (steps of 1, 2 or 5
// times a power of ten), all within the range.
func ticks(lo, hi float64, n int) []float64 {
	if n < 1 || !(hi > lo) {
		return []float64{lo}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, v)
	}
	return out
}

// coord formats an SVG coordinate with two decimals.
func coord(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// polyline returns the points attribute of an SVG polyline through (xs[i], ys[i]).
func (f frame) polyline(xs, ys []float64) string {
	var b strings.Builder
	for i := range xs {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(coord(f.X(xs[i])))
		b.WriteByte(',')
		b.WriteString(coord(f.Y(ys[i])))
	}
	return b.String()
}

// tick is a labelled position along an axis, in SVG units.
type tick struct {
	Pos   string
	Label string
}
