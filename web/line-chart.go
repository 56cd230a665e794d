package main

import (
	"fmt"
	"strconv"
)

// Size of a line chart, in SVG units.
const (
	lineW, lineH                              = 300.0, 190.0
	lineLeft, lineRight, lineTop, lineBottom  = 46.0, 10.0, 12.0, 36.0
	lineTicks                                 = 4
	lineMarkColour, lineColour, thresholdText = "#D55E00", "#0072B2", "#555555"
)

// LineChart draws one score against the number of segments k as an SVG
// line chart, with the suggested k marked and, optionally, a threshold line.
type LineChart struct {
	ID     string    // the id of the svg element (for tests and #download-chart-*)
	Title  string    // the chart's title, also its accessible name
	Ks     []int     // the x values
	Values []float64 // one per k
	Mark   int       // the k to mark (the suggestion); 0 marks none
	// Threshold, when HasThreshold, is drawn as a dashed line labelled
	// ThresholdLabel (stability: 0.75, below which a k cannot win).
	Threshold      float64
	HasThreshold   bool
	ThresholdLabel string

	f      frame
	points []chartPoint
	yTicks []tick
	xTicks []tick
}

// chartPoint is one marker of a chart.
type chartPoint struct {
	X, Y   string
	R      string
	Fill   string
	Title  string
	Marked bool
}

// BeforeBuild lays the chart out.
func (c *LineChart) BeforeBuild() {
	lo, hi := 0.0, 0.0
	for i, v := range c.Values {
		if i == 0 || v < lo {
			lo = v
		}
		if i == 0 || v > hi {
			hi = v
		}
	}
	if c.HasThreshold {
		lo, hi = min(lo, c.Threshold), max(hi, c.Threshold)
	}
	pad := (hi - lo) * 0.08
	x0, x1 := 0.0, 1.0
	if len(c.Ks) > 0 {
		x0, x1 = float64(c.Ks[0])-0.5, float64(c.Ks[len(c.Ks)-1])+0.5
	}
	c.f = newFrame(lineLeft, lineTop, lineW-lineLeft-lineRight, lineH-lineTop-lineBottom, x0, x1, lo-pad, hi+pad)
	c.points = c.points[:0]
	for i, k := range c.Ks {
		if i >= len(c.Values) {
			break
		}
		p := chartPoint{X: coord(c.f.X(float64(k))), Y: coord(c.f.Y(c.Values[i])), R: "3", Fill: lineColour,
			Title: fmt.Sprintf("k = %d: %s", k, number(c.Values[i]))}
		if k == c.Mark {
			p.R, p.Fill, p.Marked = "5.5", lineMarkColour, true
			p.Title += " (suggested)"
		}
		c.points = append(c.points, p)
	}
	c.yTicks = c.yTicks[:0]
	for _, v := range ticks(c.f.Y0, c.f.Y1, lineTicks) {
		c.yTicks = append(c.yTicks, tick{Pos: coord(c.f.Y(v)), Label: number(v)})
	}
	c.xTicks = c.xTicks[:0]
	for _, k := range c.Ks {
		c.xTicks = append(c.xTicks, tick{Pos: coord(c.f.X(float64(k))), Label: strconv.Itoa(k)})
	}
}

func (c *LineChart) line() string {
	xs := make([]float64, 0, len(c.Ks))
	ys := make([]float64, 0, len(c.Ks))
	for i, k := range c.Ks {
		if i < len(c.Values) {
			xs, ys = append(xs, float64(k)), append(ys, c.Values[i])
		}
	}
	return c.f.polyline(xs, ys)
}

func (c *LineChart) markX() string { return coord(c.f.X(float64(c.Mark))) }

func (c *LineChart) thresholdY() string { return coord(c.f.Y(c.Threshold)) }

// marked is the data-marked attribute: "true" on the suggested k.
func (p chartPoint) marked() string {
	if p.Marked {
		return "true"
	}
	return "false"
}
