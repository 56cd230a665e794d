package main

import (
	"testing"

	"github.com/segkit/segkit/wasm/engine/protocol"
)

// Three groups: leaves 0 and 2 (segment 0) join first at height 1, then
// leaf 1 (segment 1) at height 4. Depth-first order puts 0, 2, 1 left to
// right; the first U is in segment 0's colour, the root's in grey.
func TestDendrogramLayout(t *testing.T) {
	d := &protocol.Dendrogram{
		Leaves: []protocol.DendrogramLeaf{{Size: 3, Segment: 0}, {Size: 5, Segment: 1}, {Size: 2, Segment: 0}},
		Merges: []protocol.Merge{{A: 0, B: 2, Height: 1, Size: 5}, {A: 3, B: 1, Height: 4, Size: 10}},
		Cut:    2.5, Rows: 10,
	}
	var c Dendrogram
	c.layout(d, []string{"Big", "Small"})
	// The plot is 578 units wide: leaves at the middles of three thirds.
	wantX := []string{"146.33", "531.67", "339.00"} // leaf 0, leaf 1, leaf 2
	gotX := map[string]string{}
	for _, l := range c.Leaves {
		gotX[l.Label] = l.X
	}
	if gotX["3"] != wantX[0] || gotX["5"] != wantX[1] || gotX["2"] != wantX[2] {
		t.Errorf("leaf positions %v, want %v", gotX, wantX)
	}
	if len(c.Lines) != 2 || c.Lines[0].Stroke != segmentColour(0) || c.Lines[1].Stroke != dendroMixed {
		t.Fatalf("lines %+v", c.Lines)
	}
	// Heights 0..4.16 over 244 units from y = 254 up: height 1 at 195.35.
	if c.Lines[0].Path != "M146.33,254.00 V195.35 H339.00 V254.00" {
		t.Errorf("first merge %q", c.Lines[0].Path)
	}
	if c.CutY != "107.37" { // 254 − 2.5/4.16·244 = 107.365
		t.Errorf("cut at y %s", c.CutY)
	}
}
