package engine

import (
	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/wasm/engine/protocol"
)

// dendrogram keeps the top of an agglomerative tree for drawing: the last
// merges that join at most MaxDendrogramLeaves clusters into one, with the
// size and segment of each of those clusters (labels: the segment of every
// row; k: the number of segments the tree was cut into).
func dendrogram(dg *cluster.Dendrogram, labels []int, k int) *protocol.Dendrogram {
	n := dg.N
	merges := dg.Merges
	if n < 2 || len(merges) != n-1 {
		return nil
	}
	// At least k leaves, so that each lies inside one segment.
	leaves := min(max(protocol.MaxDendrogramLeaves, k), n)
	// rep is a row of each cluster id, to find its segment.
	rep := make([]int, n+len(merges))
	size := make([]int, n+len(merges))
	for i := range n {
		rep[i], size[i] = i, 1
	}
	for i, m := range merges {
		rep[n+i], size[n+i] = rep[m.A], m.Size
	}
	first := len(merges) - (leaves - 1)
	out := &protocol.Dendrogram{Rows: n}
	ids := map[int]int{} // tree id → drawn id
	leaf := func(id int) int {
		if id >= n+first {
			return leaves + (id - n - first)
		}
		if d, ok := ids[id]; ok {
			return d
		}
		ids[id] = len(out.Leaves)
		out.Leaves = append(out.Leaves, protocol.DendrogramLeaf{Size: size[id], Segment: labels[rep[id]]})
		return ids[id]
	}
	for _, m := range merges[first:] {
		a, b := leaf(m.A), leaf(m.B)
		out.Merges = append(out.Merges, protocol.Merge{A: a, B: b, Height: m.Height, Size: m.Size})
	}
	// Cutting into k segments undoes the last k−1 merges.
	if top := len(merges) - (k - 1); k >= 2 && top >= 1 {
		out.Cut = (merges[top-1].Height + merges[top].Height) / 2
	}
	return out
}
