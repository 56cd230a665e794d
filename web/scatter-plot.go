package main

import (
	"fmt"
)

// Size of the scatter plot, in SVG units.
const (
	scatterW, scatterH                                   = 840.0, 420.0
	scatterLeft, scatterRight, scatterTop, scatterBottom = 50.0, 212.0, 12.0, 42.0
)

// ScatterPlot draws the segmented rows on their first two principal
// components, one circle per row (a sample of large files) coloured by
// segment, with a hover note per point.
type ScatterPlot struct {
	Root *Root

	f      frame
	points []chartPoint
	xTicks []tick
	yTicks []tick
}

// BeforeBuild lays the plot out.
func (c *ScatterPlot) BeforeBuild() {
	s := c.Root.Result.Scatter
	if s == nil {
		return
	}
	x0, x1, y0, y1 := 0.0, 0.0, 0.0, 0.0
	for i := range s.X {
		if i == 0 || s.X[i] < x0 {
			x0 = s.X[i]
		}
		if i == 0 || s.X[i] > x1 {
			x1 = s.X[i]
		}
		if i == 0 || s.Y[i] < y0 {
			y0 = s.Y[i]
		}
		if i == 0 || s.Y[i] > y1 {
			y1 = s.Y[i]
		}
	}
	px, py := (x1-x0)*0.04, (y1-y0)*0.04
	c.f = newFrame(scatterLeft, scatterTop, scatterW-scatterLeft-scatterRight, scatterH-scatterTop-scatterBottom, x0-px, x1+px, y0-py, y1+py)
	names := c.Root.segmentNames()
	c.points = c.points[:0]
	for i := range s.X {
		l := s.Labels[i]
		name := "noise"
		if l >= 0 && l < len(names) {
			name = names[l]
		}
		c.points = append(c.points, chartPoint{X: coord(c.f.X(s.X[i])), Y: coord(c.f.Y(s.Y[i])), R: "3",
			Fill: segmentColour(l), Title: name + " — " + s.Text[i]})
	}
	c.xTicks = c.xTicks[:0]
	for _, v := range ticks(c.f.X0, c.f.X1, 6) {
		c.xTicks = append(c.xTicks, tick{Pos: coord(c.f.X(v)), Label: number(v)})
	}
	c.yTicks = c.yTicks[:0]
	for _, v := range ticks(c.f.Y0, c.f.Y1, 5) {
		c.yTicks = append(c.yTicks, tick{Pos: coord(c.f.Y(v)), Label: number(v)})
	}
}

func (c *ScatterPlot) xLabel() string {
	return fmt.Sprintf("first principal component (%s of the variance)", percent(c.Root.Result.Scatter.Variance[0]))
}

func (c *ScatterPlot) yLabel() string {
	return fmt.Sprintf("second principal component (%s)", percent(c.Root.Result.Scatter.Variance[1]))
}

func (c *ScatterPlot) caption() string {
	s := c.Root.Result.Scatter
	if len(s.X) < s.Rows {
		return fmt.Sprintf("A random sample of %d of the %d segmented rows, on the two directions that spread them most (PCA). Point at a dot for its row.", len(s.X), s.Rows)
	}
	return fmt.Sprintf("All %d segmented rows on the two directions that spread them most (PCA). Point at a dot for its row.", s.Rows)
}

// legend is one entry per segment: its colour and name.
func (c *ScatterPlot) legend() []chartPoint {
	var out []chartPoint
	for i, name := range c.Root.segmentNames() {
		out = append(out, chartPoint{Fill: segmentColour(i), Title: name,
			Y: coord(scatterTop + 4 + 16*float64(i))})
	}
	return out
}
