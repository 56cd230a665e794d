package main

import (
	"fmt"
	"strings"
)

// Size of the silhouette plot, in SVG units.
const (
	silW, silH                         = 640.0, 320.0
	silLeft, silRight, silTop, silBase = 200.0, 16.0, 10.0, 40.0
	silGap                             = 6.0 // between segments
)

// SilhouettePlot draws each segment's silhouettes (a sample of rows, sorted)
// as a horizontal band: how well each row sits in its segment (near 1) rather
// than the next one (near 0 or below).
type SilhouettePlot struct {
	Root *Root

	f      frame
	bands  []silBand
	xTicks []tick
	mean   string
	zero   string
}

// silBand is one segment of the plot.
type silBand struct {
	Path   string // the band's outline
	Fill   string
	LabelY string
	Label  string
	Title  string
}

// BeforeBuild lays the plot out.
func (c *SilhouettePlot) BeforeBuild() {
	res := c.Root.Result
	lo := 0.0
	n := 0
	for _, s := range res.Segments {
		for _, v := range s.Silhouette {
			lo = min(lo, v)
		}
		n += len(s.Silhouette)
	}
	height := silH - silTop - silBase
	c.f = newFrame(silLeft, silTop, silW-silLeft-silRight, height, lo-0.02, 1, 0, 1)
	unit := 0.0
	if n > 0 {
		unit = (height - silGap*float64(len(res.Segments)-1)) / float64(n)
	}
	names := c.Root.segmentNames()
	c.bands = c.bands[:0]
	y := silTop
	weighted := 0.0
	for _, s := range res.Segments {
		if len(s.Silhouette) == 0 {
			continue
		}
		h := unit * float64(len(s.Silhouette))
		var b strings.Builder
		x0 := coord(c.f.X(0))
		fmt.Fprintf(&b, "M%s,%s", x0, coord(y))
		for i, v := range s.Silhouette {
			yi := y + unit*float64(i)
			fmt.Fprintf(&b, " L%s,%s L%s,%s", coord(c.f.X(v)), coord(yi), coord(c.f.X(v)), coord(yi+unit))
		}
		fmt.Fprintf(&b, " L%s,%s Z", x0, coord(y+h))
		name := names[s.ID]
		c.bands = append(c.bands, silBand{Path: b.String(), Fill: segmentColour(s.ID), LabelY: coord(y + h/2),
			Label: name, Title: fmt.Sprintf("%s: mean silhouette %.2f over %d rows", name, s.SilhouetteMean, len(s.Silhouette))})
		weighted += s.SilhouetteMean * float64(len(s.Silhouette))
		y += h + silGap
	}
	if n > 0 {
		c.mean = coord(c.f.X(weighted / float64(n)))
	}
	c.zero = coord(c.f.X(0))
	c.xTicks = c.xTicks[:0]
	for _, v := range ticks(c.f.X0, c.f.X1, 6) {
		c.xTicks = append(c.xTicks, tick{Pos: coord(c.f.X(v)), Label: number(v)})
	}
}

func (c *SilhouettePlot) caption() string {
	r := c.Root.Result
	what := fmt.Sprintf("all %d rows", r.SilhouetteRows)
	if r.SilhouetteRows < r.Rows {
		what = fmt.Sprintf("a random sample of %d of the %d rows", r.SilhouetteRows, r.Rows)
	}
	return "Silhouette of " + what + ", by segment: near 1 a row sits well inside its segment, near 0 it lies between two, below 0 it is closer to another segment. The dashed line is the mean."
}
