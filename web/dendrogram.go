package main

import (
	"fmt"
	"strconv"

	"github.com/segkit/segkit/wasm/engine/protocol"
)

// Size of the dendrogram, in SVG units.
const (
	dendroW, dendroH                                 = 640.0, 300.0
	dendroLeft, dendroRight, dendroTop, dendroBottom = 50.0, 12.0, 10.0, 46.0
	dendroMixed                                      = "#777777" // a merge of two segments
)

// Dendrogram draws the top of an agglomerative tree: each U joins two
// groups at the height of their merge, coloured by segment below the cut,
// with the cut that makes the segments as a dashed line.
type Dendrogram struct {
	Root *Root

	Lines  []dendroLine
	Leaves []dendroLeaf
	YTicks []tick
	CutY   string
}

// dendroLine is one merge, drawn as a U.
type dendroLine struct {
	Path   string
	Stroke string
	Title  string
}

// dendroLeaf is a group at the bottom of the drawing.
type dendroLeaf struct {
	X, Y  string
	Fill  string
	Label string
	Title string
}

// BeforeBuild lays the tree out.
func (c *Dendrogram) BeforeBuild() {
	d := c.Root.Result.Dendrogram
	if d == nil {
		return
	}
	c.layout(d, c.Root.segmentNames())
}

// layout computes the drawing of d: leaves in the order of a depth-first
// walk from the root (so no lines cross), merges above the mean position of
// their two children.
func (c *Dendrogram) layout(d *protocol.Dendrogram, names []string) {
	nl := len(d.Leaves)
	top := 0.0
	if len(d.Merges) > 0 {
		top = d.Merges[len(d.Merges)-1].Height
	}
	f := newFrame(dendroLeft, dendroTop, dendroW-dendroLeft-dendroRight, dendroH-dendroTop-dendroBottom, 0, 1, 0, top*1.04)
	// Depth-first order of the leaves, from the root (the last merge).
	var order []int
	var walk func(id int)
	walk = func(id int) {
		if id < nl {
			order = append(order, id)
			return
		}
		m := d.Merges[id-nl]
		walk(m.A)
		walk(m.B)
	}
	if len(d.Merges) > 0 {
		walk(nl + len(d.Merges) - 1)
	} else {
		for i := range nl {
			order = append(order, i)
		}
	}
	n := nl + len(d.Merges)
	x := make([]float64, n)
	y := make([]float64, n)
	seg := make([]int, n)
	step := f.Width / float64(max(nl, 1))
	c.Leaves = c.Leaves[:0]
	for pos, id := range order {
		l := d.Leaves[id]
		x[id], y[id], seg[id] = dendroLeft+step*(float64(pos)+0.5), f.Y(0), l.Segment
		name := ""
		if l.Segment >= 0 && l.Segment < len(names) {
			name = names[l.Segment]
		}
		c.Leaves = append(c.Leaves, dendroLeaf{X: coord(x[id]), Y: coord(f.Y(0)), Fill: segmentColour(l.Segment),
			Label: strconv.Itoa(l.Size), Title: fmt.Sprintf("%d customers in %s", l.Size, name)})
	}
	c.Lines = c.Lines[:0]
	for i, m := range d.Merges {
		id := nl + i
		x[id], y[id] = (x[m.A]+x[m.B])/2, f.Y(m.Height)
		seg[id] = -1
		if seg[m.A] == seg[m.B] {
			seg[id] = seg[m.A]
		}
		stroke := dendroMixed
		if seg[id] >= 0 {
			stroke = segmentColour(seg[id])
		}
		c.Lines = append(c.Lines, dendroLine{
			Path:   fmt.Sprintf("M%s,%s V%s H%s V%s", coord(x[m.A]), coord(y[m.A]), coord(y[id]), coord(x[m.B]), coord(y[m.B])),
			Stroke: stroke, Title: fmt.Sprintf("%d customers joined at height %s", m.Size, number(m.Height)),
		})
	}
	c.CutY = coord(f.Y(d.Cut))
	c.YTicks = c.YTicks[:0]
	for _, v := range ticks(f.Y0, f.Y1, 5) {
		c.YTicks = append(c.YTicks, tick{Pos: coord(f.Y(v)), Label: number(v)})
	}
}

func (c *Dendrogram) caption() string {
	d := c.Root.Result.Dendrogram
	return fmt.Sprintf("The top of the merge tree of all %d rows: each of the %d groups at the bottom (with its number of customers) lies in one segment; the dashed line is where the tree is cut into %d segments. Higher joins mean less similar groups.",
		d.Rows, len(d.Leaves), c.Root.Result.K)
}
