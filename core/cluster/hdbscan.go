package cluster

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/order"
)

// HDBSCAN is hierarchical density-based clustering (Campello, Moulavi and
// Sander, 2013) as in the hdbscan library of McInnes, Healy and Astels
// (scikit-learn-contrib/hdbscan) and scikit-learn ≥ 1.3:
//
//  1. the core distance of a row is the distance to its MinSamples-th
//     nearest row, the row itself counting as the first (scikit-learn 1.3's
//     convention; the hdbscan library does not count the row itself, so its
//     min_samples=m matches MinSamples=m+1 here);
//  2. the mutual-reachability distance of two rows is the largest of their
//     distance and their two core distances; its minimum spanning tree is
//     built with Borůvka's algorithm on a k-d tree (per component, the
//     nearest row of another component, pruned by the box distance and the
//     smallest core distance inside each box);
//  3. the tree, as a single-linkage hierarchy, is condensed: a split where
//     both sides have at least MinClusterSize rows creates two clusters,
//     otherwise the smaller side's rows fall out of the cluster at
//     λ = 1/distance;
//  4. clusters are selected by excess of mass (the default: a cluster is
//     kept when its stability Σ(λ_p − λ_birth) is at least the sum of its
//     descendants' selected stabilities) or as the leaves of the condensed
//     tree (Selection "leaf"); the root is never a cluster, so every row may
//     be noise (label -1).
//
// Clusters are numbered in the order of their identifiers in the condensed
// tree (breadth first from the root), as the hdbscan library numbers them.
// Rows with identical values share the label of the first of them (ties in
// the spanning tree can otherwise split copies between a cluster and noise).
//
// Per-row scores (see [HDBSCANScores]) come from [HDBSCAN.FitScores]: the
// membership strength of the hdbscan library's probabilities_ and GLOSH
// outlier scores.
//
// Time: O(n log n) for the k-d tree, n k-nearest-neighbour queries for the
// core distances, and O(log n) Borůvka rounds of n pruned queries — about
// O(n log² n) on low-dimensional data, degrading towards O(n²) in high
// dimension. Memory: O(n·d) beyond the input, about 24·d + 220 bytes per
// row (a reordered copy of the rows for the index, a copy kept by the
// prediction rule, core and exit distances, the spanning tree, the
// hierarchy, the condensed tree, and briefly a key per row to find
// identical rows); never an n×n matrix. MinSamples neighbours are held per
// worker during the core distances. Inputs beyond
// [DBSCANMaxValues] values are refused with ErrTooLarge.
//
// Predict follows [HDBSCANRule].
type HDBSCAN struct {
	// MinClusterSize is the fewest rows a cluster may have; 0 means 5. It
	// must be at least 2.
	MinClusterSize int
	// MinSamples sets the core distance (see above); 0 means
	// MinClusterSize.
	MinSamples int
	// Selection is the cluster selection method: "" or "eom" (excess of
	// mass), or "leaf".
	Selection string
	// Metric is the distance; "" means Euclidean. Haversine needs two
	// columns (latitude, longitude in degrees); distances are in km.
	Metric Metric
	// Workers is the number of goroutines computing core distances; 0 means
	// runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Progress, if not nil, is called after the core distances (Iteration
	// 1), after each Borůvka round and after the cluster selection, from
	// the goroutine that called Fit. MaxIter is an upper bound on the
	// rounds.
	Progress func(Progress)
}

// HDBSCANScores holds per-row scores of an HDBSCAN fit.
type HDBSCANScores struct {
	// Probabilities is the membership strength of each row in its cluster,
	// as the hdbscan library's probabilities_: min(λ_p, λ_max)/λ_max, where
	// λ_p = 1/distance at which the row left the condensed tree and λ_max
	// is the largest λ at which anything leaves the row's selected cluster
	// directly; 1 for rows at the cluster's densest level, 0 for noise. It
	// is not a probability distribution over clusters.
	Probabilities []float64
	// OutlierScores is the GLOSH score (Campello et al., 2015) of each row:
	// 1 − λ_p/λ_max(C), where C is the condensed-tree cluster the row leaves
	// and λ_max(C) the largest λ at which any row of C or its descendants
	// leaves; 0 for the densest rows, near 1 for outliers.
	OutlierScores []float64
	// CoreDistances is the core distance of each row, in the metric's units.
	CoreDistances []float64
}

func (h *HDBSCAN) settings() (mcs, ms int, leaf bool, metric Metric, err error) {
	if h == nil {
		return 0, 0, false, "", fmt.Errorf("%w: nil HDBSCAN", ErrBadSettings)
	}
	mcs = cmp0(h.MinClusterSize, 5)
	ms = cmp0(h.MinSamples, mcs)
	switch {
	case mcs < 2:
		return 0, 0, false, "", fmt.Errorf("%w: MinClusterSize is %d, want >= 2", ErrBadSettings, h.MinClusterSize)
	case ms < 1:
		return 0, 0, false, "", fmt.Errorf("%w: MinSamples is %d, want >= 1", ErrBadSettings, h.MinSamples)
	case h.Workers < 0:
		return 0, 0, false, "", fmt.Errorf("%w: Workers is %d, want >= 0", ErrBadSettings, h.Workers)
	}
	switch strings.ToLower(h.Selection) {
	case "", "eom":
	case "leaf":
		leaf = true
	default:
		return 0, 0, false, "", fmt.Errorf("%w: Selection %q, want eom or leaf", ErrBadSettings, h.Selection)
	}
	metric, err = checkMetric(h.Metric)
	return mcs, ms, leaf, metric, err
}

// Fit clusters the rows of x; see [HDBSCAN.FitScores].
func (h *HDBSCAN) Fit(ctx context.Context, x *matrix.Dense) (*Model, error) {
	m, _, err := h.FitScores(ctx, x)
	return m, err
}

// FitScores clusters the rows of x and also returns per-row scores. It
// returns an error wrapping ErrBadSettings, ErrInvalidInput, ErrTooFewPoints
// (no rows) or ErrTooLarge, or the context's error if ctx is cancelled
// (checked between Borůvka rounds).
func (h *HDBSCAN) FitScores(ctx context.Context, x *matrix.Dense) (m *Model, sc *HDBSCANScores, err error) {
	defer recoverError(&err)
	mcs, ms, leaf, metric, err := h.settings()
	if err != nil {
		return nil, nil, err
	}
	workers := resolveWorkers(h.Workers)
	pts, d, err := densityIndex(x, metric, workers, "HDBSCAN", "DBSCAN or MiniBatchKMeans")
	if err != nil {
		return nil, nil, err
	}
	n := x.Rows
	progress := func(it int) {
		if h.Progress != nil {
			h.Progress(Progress{Algorithm: "hdbscan", Run: 1, Runs: 1, Iteration: it, MaxIter: 66})
		}
	}
	t := newKDTree(pts, n, d, metric == Manhattan, false, false)
	core := coreDistances(t, min(ms, n), workers)
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("cluster: hdbscan cancelled: %w", err)
	}
	progress(1)
	edges, err := boruvka(ctx, t, core, progress)
	if err != nil {
		return nil, nil, err
	}
	// Edges between original rows, in true distances, sorted.
	for i := range edges {
		e := &edges[i]
		e.a, e.b = t.idx[e.a], t.idx[e.b]
		if e.a > e.b {
			e.a, e.b = e.b, e.a
		}
		e.w = metricDist(t, metric, e.w)
	}
	order.SortFunc(edges, func(p, q mstEdge) int {
		if c := cmp.Compare(p.w, q.w); c != 0 {
			return c
		}
		if c := cmp.Compare(p.a, q.a); c != 0 {
			return c
		}
		return cmp.Compare(p.b, q.b)
	})
	ct := condense(singleLinkage(edges, n), n, mcs)
	labels, clusters, _, maxLambda := ct.selectClusters(leaf)
	probs := ct.probabilities(labels, clusters, maxLambda)
	glosh := ct.outlierScores()
	sameAsFirstCopy(x, labels, probs)
	coreRows := make([]float64, n)
	for p, i := range t.idx {
		coreRows[i] = metricDist(t, metric, core[p])
	}
	exit, birthDist, densest := ct.distances(clusters)
	own := &matrix.Dense{Rows: n, Cols: x.Cols, Data: slices.Clone(x.Data[:n*x.Cols])}
	rule, err := newHDBSCANRule(HDBSCANState{Points: own, CoreDistances: coreRows, ExitDistances: exit, Labels: labels,
		BirthDistances: birthDist, DensestDistances: densest, MinSamples: min(ms, n), Metric: metric}, t)
	if err != nil {
		return nil, nil, err
	}
	m = &Model{Algorithm: "hdbscan", K: len(clusters), Labels: labels, Iterations: 1, Converged: true, Predictor: rule}
	return m, &HDBSCANScores{Probabilities: probs, OutlierScores: glosh, CoreDistances: coreRows}, nil
}

// sameAsFirstCopy gives every row that repeats an earlier row's values the
// label and membership strength of the first copy. Identical rows are
// merged at their core distance, but when several edges of the spanning
// tree have that same weight the order in which they are merged may leave
// one copy in a cluster and another as noise (the hdbscan library keeps such
// splits); the prediction rule cannot tell copies apart, so the fit does
// not either.
func sameAsFirstCopy(x *matrix.Dense, labels []int, probs []float64) {
	d := x.Cols
	first := make(map[string]int, x.Rows)
	key := make([]byte, 8*d)
	for i := range x.Rows {
		for j, v := range x.Data[i*d : i*d+d] {
			if v == 0 {
				v = 0 // -0 and +0 are the same point
			}
			binary.LittleEndian.PutUint64(key[8*j:], math.Float64bits(v))
		}
		if f, ok := first[string(key)]; ok {
			labels[i], probs[i] = labels[f], probs[f]
			continue
		}
		first[string(key)] = i
	}
}

// coreDistances returns, per tree position, the tree distance to the k-th
// nearest point (itself first).
func coreDistances(t *kdTree, k, workers int) []float64 {
	n, d := len(t.idx), t.d
	core := make([]float64, n)
	forEachChunk(workers, numChunks(n), func(c int) {
		var h knnHeap
		lo, hi := chunkBounds(c, n)
		for p := lo; p < hi; p++ {
			t.knn(t.data[p*d:p*d+d], k, &h)
			core[p] = h.dist[0]
		}
	})
	return core
}

type mstEdge struct {
	a, b int32 // tree positions during Borůvka, then rows (a < b)
	w    float64
}

// boruvka returns the n−1 edges of a minimum spanning tree of the mutual
// reachability graph (tree distances, tree positions).
func boruvka(ctx context.Context, t *kdTree, core []float64, progress func(int)) ([]mstEdge, error) {
	n, d := len(t.idx), t.d
	uf := newUnionFind(n)
	comp := make([]int32, n)
	nodeComp := make([]int32, len(t.nodes))
	nodeCore := make([]float64, len(t.nodes))
	for k := len(t.nodes) - 1; k >= 0; k-- { // children have larger indices
		nd := t.nodes[k]
		if nd.left < 0 {
			mc := math.Inf(1)
			for p := nd.lo; p < nd.hi; p++ {
				mc = min(mc, core[p])
			}
			nodeCore[k] = mc
		} else {
			nodeCore[k] = min(nodeCore[nd.left], nodeCore[nd.right])
		}
	}
	edges := make([]mstEdge, 0, max(n-1, 0))
	best := make([]mstEdge, n) // per component root: best edge (w = +Inf: none)
	round := 0
	for len(edges) < n-1 {
		round++
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cluster: hdbscan cancelled: %w", err)
		}
		for p := range n {
			comp[p] = uf.find(int32(p))
			best[p] = mstEdge{a: -1, b: -1, w: math.Inf(1)}
		}
		for k := len(t.nodes) - 1; k >= 0; k-- {
			nd := t.nodes[k]
			if nd.left < 0 {
				c := comp[nd.lo]
				for p := nd.lo + 1; p < nd.hi; p++ {
					if comp[p] != c {
						c = -1
						break
					}
				}
				nodeComp[k] = c
			} else if nodeComp[nd.left] == nodeComp[nd.right] {
				nodeComp[k] = nodeComp[nd.left]
			} else {
				nodeComp[k] = -1
			}
		}
		var stack []int32
		for p := range int32(n) {
			c := comp[p]
			b := &best[c]
			cp := core[p]
			if cp > b.w {
				continue
			}
			q := t.data[int(p)*d : int(p)*d+d]
			stack = append(stack[:0], 0)
			for len(stack) > 0 {
				k := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if nodeComp[k] == c {
					continue
				}
				if max(nodeCore[k], cp) > b.w || t.minDistBound(q, k, b.w) > b.w {
					continue
				}
				nd := t.nodes[k]
				if nd.left >= 0 {
					l, r := nd.left, nd.right
					if t.minDist(q, l) < t.minDist(q, r) {
						l, r = r, l
					}
					stack = append(stack, l, r) // nearer child on top
					continue
				}
				for r := nd.lo; r < nd.hi; r++ {
					if comp[r] == c || core[r] > b.w {
						continue
					}
					w := max(t.dist(q, t.data[int(r)*d:int(r)*d+d]), cp, core[r])
					a, z := min(p, r), max(p, r)
					if w < b.w || (w == b.w && (a < b.a || (a == b.a && z < b.b))) {
						*b = mstEdge{a: a, b: z, w: w}
					}
				}
			}
		}
		added := 0
		for c := range int32(n) {
			if comp[c] != c || best[c].a < 0 {
				continue
			}
			e := best[c]
			if uf.union(e.a, e.b) {
				edges = append(edges, e)
				added++
			}
		}
		if added == 0 {
			return nil, fmt.Errorf("cluster: internal error: Borůvka round %d added no edge", round)
		}
		progress(1 + round)
	}
	return edges, nil
}

type unionFind struct{ parent, size []int32 }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n)}
	for i := range u.parent {
		u.parent[i], u.size[i] = int32(i), 1
	}
	return u
}

func (u *unionFind) find(x int32) int32 {
	r := x
	for u.parent[r] != r {
		r = u.parent[r]
	}
	for u.parent[x] != r {
		u.parent[x], x = r, u.parent[x]
	}
	return r
}

func (u *unionFind) union(a, b int32) bool {
	a, b = u.find(a), u.find(b)
	if a == b {
		return false
	}
	if u.size[a] < u.size[b] {
		a, b = b, a
	}
	u.parent[b] = a
	u.size[a] += u.size[b]
	return true
}

// slNode is an internal node n+i of the single-linkage hierarchy.
type slNode struct {
	left, right int32
	dist        float64
	size        int32
}

// singleLinkage turns sorted MST edges into the hierarchy (scipy's linkage
// layout: leaves 0..n−1, merge i is node n+i).
func singleLinkage(edges []mstEdge, n int) []slNode {
	parent := make([]int32, 2*n-1)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		r := x
		for parent[r] != r {
			r = parent[r]
		}
		for parent[x] != r {
			parent[x], x = r, parent[x]
		}
		return r
	}
	size := func(nodes []slNode, x int32) int32 {
		if int(x) < n {
			return 1
		}
		return nodes[int(x)-n].size
	}
	nodes := make([]slNode, 0, n-1)
	for _, e := range edges {
		a, b := find(e.a), find(e.b)
		id := int32(n + len(nodes))
		nodes = append(nodes, slNode{left: a, right: b, dist: e.w, size: size(nodes, a) + size(nodes, b)})
		parent[a], parent[b] = id, id
	}
	return nodes
}

// ctRow is a row of the condensed tree: child (a row < n, or a cluster ≥ n)
// leaves parent at lambda.
type ctRow struct {
	parent, child int32
	lambda        float64 // 1/dist
	dist          float64 // the mutual-reachability distance of the split
	size          int32
}

type condensedTree struct {
	n    int
	rows []ctRow
	next int32 // one past the largest cluster id
}

// condense builds the condensed tree of the hdbscan library.
func condense(nodes []slNode, n, mcs int) *condensedTree {
	ct := &condensedTree{n: n, next: int32(n + 1)}
	if n == 1 {
		ct.rows = append(ct.rows, ctRow{parent: int32(n), child: 0, lambda: math.Inf(1), dist: 0, size: 1})
		return ct
	}
	size := func(x int32) int32 {
		if int(x) < n {
			return 1
		}
		return nodes[int(x)-n].size
	}
	var leaves []int32
	fallOut := func(parent, sub int32, lambda, dist float64) {
		leaves = append(leaves[:0], sub)
		for len(leaves) > 0 {
			x := leaves[len(leaves)-1]
			leaves = leaves[:len(leaves)-1]
			if int(x) < n {
				ct.rows = append(ct.rows, ctRow{parent: parent, child: x, lambda: lambda, dist: dist, size: 1})
				continue
			}
			nd := nodes[int(x)-n]
			leaves = append(leaves, nd.right, nd.left)
		}
	}
	type item struct{ node, label int32 }
	queue := []item{{int32(2*n - 2), int32(n)}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		nd := nodes[int(it.node)-n]
		lambda := math.Inf(1)
		if nd.dist > 0 {
			lambda = 1 / nd.dist
		}
		lc, rc := size(nd.left), size(nd.right)
		big := func(c int32) bool { return int(c) >= mcs }
		switch {
		case big(lc) && big(rc):
			for _, ch := range []int32{nd.left, nd.right} {
				id := ct.next
				ct.next++
				ct.rows = append(ct.rows, ctRow{parent: it.label, child: id, lambda: lambda, dist: nd.dist, size: size(ch)})
				queue = append(queue, item{ch, id})
			}
		case !big(lc) && !big(rc):
			fallOut(it.label, nd.left, lambda, nd.dist)
			fallOut(it.label, nd.right, lambda, nd.dist)
		case !big(lc):
			fallOut(it.label, nd.left, lambda, nd.dist)
			queue = append(queue, item{nd.right, it.label})
		default:
			fallOut(it.label, nd.right, lambda, nd.dist)
			queue = append(queue, item{nd.left, it.label})
		}
	}
	return ct
}

// selectClusters selects clusters (EOM or leaves) and labels the rows. It
// returns the labels, the selected cluster ids in label order, and per label
// the λ at which the cluster was born and the largest λ of its direct
// children.
func (ct *condensedTree) selectClusters(leaf bool) (labels []int, selected []int32, births, maxLambda []float64) {
	n, root := ct.n, int32(ct.n)
	nc := int(ct.next) - n // clusters, root included
	birth := make([]float64, nc)
	stab := make([]float64, nc)
	deaths := make([]float64, nc)
	children := make([][]int32, nc)
	for _, r := range ct.rows {
		if int(r.child) >= n {
			birth[int(r.child)-n] = r.lambda
			children[int(r.parent)-n] = append(children[int(r.parent)-n], r.child)
		}
	}
	for _, r := range ct.rows {
		p := int(r.parent) - n
		stab[p] += (r.lambda - birth[p]) * float64(r.size)
		deaths[p] = max(deaths[p], r.lambda)
	}
	isSel := make([]bool, nc)
	if leaf {
		for c := 1; c < nc; c++ {
			isSel[c] = len(children[c]) == 0
		}
	} else {
		for c := nc - 1; c >= 1; c-- {
			isSel[c] = true
		}
		for c := nc - 1; c >= 1; c-- {
			sub := 0.0
			for _, ch := range children[c] {
				sub += stab[int(ch)-n]
			}
			if sub > stab[c] {
				isSel[c] = false
				stab[c] = sub
			} else {
				// Deselect every descendant.
				st := slices.Clone(children[c])
				for len(st) > 0 {
					x := int(st[len(st)-1]) - n
					st = st[:len(st)-1]
					isSel[x] = false
					st = append(st, children[x]...)
				}
			}
		}
	}
	labelOf := make([]int, nc)
	for c := range nc {
		labelOf[c] = -1
		if isSel[c] {
			labelOf[c] = len(selected)
			selected = append(selected, int32(n+c))
			births = append(births, birth[c])
			maxLambda = append(maxLambda, deaths[c])
		}
	}
	// A row's cluster is its nearest selected ancestor in the condensed tree.
	up := make([]int32, nc) // parent cluster
	up[0] = -1
	for _, r := range ct.rows {
		if int(r.child) >= n {
			up[int(r.child)-n] = r.parent - int32(n)
		}
	}
	labels = make([]int, n)
	for _, r := range ct.rows {
		if int(r.child) >= n {
			continue
		}
		c := r.parent - root
		for c > 0 && !isSel[c] {
			c = up[c]
		}
		labels[r.child] = labelOf[c] // root: -1
	}
	return labels, selected, births, maxLambda
}

// probabilities returns the hdbscan library's probabilities_.
func (ct *condensedTree) probabilities(labels []int, selected []int32, maxLambda []float64) []float64 {
	out := make([]float64, ct.n)
	for _, r := range ct.rows {
		if int(r.child) >= ct.n || labels[r.child] < 0 {
			continue
		}
		ml := maxLambda[labels[r.child]]
		if ml == 0 || math.IsInf(r.lambda, 0) {
			out[r.child] = 1
		} else {
			out[r.child] = min(r.lambda, ml) / ml
		}
	}
	return out
}

// outlierScores returns the GLOSH scores.
func (ct *condensedTree) outlierScores() []float64 {
	n := ct.n
	nc := int(ct.next) - n
	deaths := make([]float64, nc)
	for _, r := range ct.rows {
		p := int(r.parent) - n
		deaths[p] = max(deaths[p], r.lambda)
	}
	// Propagate from children (larger ids) to parents.
	clusterRows := make([]ctRow, 0)
	for _, r := range ct.rows {
		if int(r.child) >= n {
			clusterRows = append(clusterRows, r)
		}
	}
	order.SortFunc(clusterRows, func(a, b ctRow) int { return cmp.Compare(b.child, a.child) })
	for _, r := range clusterRows {
		c, p := int(r.child)-n, int(r.parent)-n
		deaths[p] = max(deaths[p], deaths[c])
	}
	out := make([]float64, n)
	for _, r := range ct.rows {
		if int(r.child) >= n {
			continue
		}
		lm := deaths[int(r.parent)-n]
		if lm == 0 || math.IsInf(r.lambda, 0) {
			out[r.child] = 0
		} else {
			out[r.child] = (lm - r.lambda) / lm
		}
	}
	return out
}

// distances returns, in the metric's units, the distance at which each row
// left the condensed tree and, per selected cluster (in label order), the
// distance at which it was born and the smallest distance at which a direct
// member left it (1/λ_max; 0 when members leave at distance 0).
func (ct *condensedTree) distances(selected []int32) (exit, birth, densest []float64) {
	n := ct.n
	exit = make([]float64, n)
	label := make(map[int32]int, len(selected))
	for l, c := range selected {
		label[c] = l
	}
	birth = make([]float64, len(selected))
	densest = make([]float64, len(selected))
	for l := range densest {
		densest[l] = math.Inf(1)
	}
	for _, r := range ct.rows {
		if int(r.child) < n {
			exit[r.child] = r.dist
		} else if l, ok := label[r.child]; ok {
			birth[l] = r.dist
		}
		if l, ok := label[r.parent]; ok {
			densest[l] = min(densest[l], r.dist)
		}
	}
	return exit, birth, densest
}

// HDBSCANState is what [HDBSCANRule] needs from a fit: every training row
// (a new point's core distance is measured against all of them) with its
// core distance, the distance at which it left the condensed tree and its
// cluster, and per cluster the distances of its birth and of its densest
// members. Distances are in the metric's units (km for haversine).
type HDBSCANState struct {
	// Points holds the training rows (latitude, longitude in degrees for
	// haversine).
	Points *matrix.Dense
	// CoreDistances holds each row's core distance: the distance to its
	// MinSamples-th nearest row, itself counting as the first.
	CoreDistances []float64
	// ExitDistances holds the mutual-reachability distance at which each
	// row left the condensed tree (1/λ_p).
	ExitDistances []float64
	// Labels holds each row's cluster, -1 for noise.
	Labels []int
	// BirthDistances holds, per cluster, the distance at which it split from
	// its parent (1/λ_birth).
	BirthDistances []float64
	// DensestDistances holds, per cluster, the smallest distance at which a
	// direct member left it (1/λ_max), for membership strengths.
	DensestDistances []float64
	// MinSamples is the fit's MinSamples (at most the number of rows).
	MinSamples int
	// Metric is the distance.
	Metric Metric
}

// HDBSCANRule is the prediction rule of [HDBSCAN]: it inserts a new point x
// into the fitted hierarchy, as the hdbscan library's approximate_predict
// does, with the library's own labelling of the result.
//
//  1. x's core distance c is its distance to the MinSamples-th nearest
//     training row (a training row at distance 0 counts);
//  2. x is linked to the training row q of least mutual-reachability
//     distance r = max(dist(x, q), c, core(q)) (ties: the nearer row, then
//     the lower row); x joins the hierarchy at r;
//  3. if q is noise, x is noise (-1). Otherwise let S be q's cluster: x
//     joins S if r is at most the distance at which q left the condensed
//     tree (x departs with q) or below the distance at which S was born (at
//     level r, S already exists and holds q); else x only meets q above
//     S's level, where nothing is a cluster, and is noise.
//
// A training row is its own nearest row at r = its core distance, never
// beyond the distance at which it left the tree, so the rule gives every
// training row its training label (noise included). Distance is dist(x, q);
// Probabilities[label] is the membership strength min(1, d_S/r), with d_S
// the distance of S's densest members (1 when either is 0), every other
// entry 0; nil for noise.
//
// Memory: the training rows and a k-d tree over them, O(n·d). Time per
// point: a k-nearest-neighbour query and a pruned nearest-neighbour search
// on the tree, about O(log n) on low-dimensional data.
type HDBSCANRule struct {
	state    HDBSCANState
	tree     *kdTree
	coreNode []float64 // per tree node: smallest core distance inside
}

// NewHDBSCANRule builds the rule, with its spatial index, from the saved
// state of a fitted model. It returns an error wrapping ErrInvalidInput when
// the parts do not fit together, and ErrBadSettings for an unknown metric.
func NewHDBSCANRule(st HDBSCANState) (*HDBSCANRule, error) {
	metric, err := checkMetric(st.Metric)
	if err != nil {
		return nil, err
	}
	st.Metric = metric
	p := st.Points
	if p == nil || p.Rows <= 0 || p.Cols <= 0 || len(p.Data) < p.Rows*p.Cols {
		return nil, fmt.Errorf("%w: HDBSCAN rule without training rows", ErrInvalidInput)
	}
	pts, d := p.Data[:p.Rows*p.Cols], p.Cols
	if metric == Haversine {
		if d != 2 {
			return nil, fmt.Errorf("%w: the haversine metric needs 2 columns, got %d", ErrInvalidInput, d)
		}
		if pts, err = toUnitVectors(pts, p.Rows, 0); err != nil {
			return nil, err
		}
		d = 3
	}
	t := newKDTree(pts, p.Rows, d, metric == Manhattan, false, false)
	return newHDBSCANRule(st, t)
}

// newHDBSCANRule checks st against the tree t built over its points.
func newHDBSCANRule(st HDBSCANState, t *kdTree) (*HDBSCANRule, error) {
	n, k := st.Points.Rows, len(st.BirthDistances)
	switch {
	case len(st.CoreDistances) != n || len(st.ExitDistances) != n || len(st.Labels) != n:
		return nil, fmt.Errorf("%w: HDBSCAN rule: %d rows with %d core distances, %d exit distances, %d labels",
			ErrInvalidInput, n, len(st.CoreDistances), len(st.ExitDistances), len(st.Labels))
	case len(st.DensestDistances) != k:
		return nil, fmt.Errorf("%w: HDBSCAN rule: %d birth distances, %d densest distances", ErrInvalidInput, k, len(st.DensestDistances))
	case st.MinSamples < 1 || st.MinSamples > n:
		return nil, fmt.Errorf("%w: HDBSCAN rule: min samples %d for %d rows", ErrInvalidInput, st.MinSamples, n)
	}
	for i, l := range st.Labels {
		if l < -1 || l >= k {
			return nil, fmt.Errorf("%w: HDBSCAN rule: row %d has cluster %d (there are %d)", ErrInvalidInput, i, l, k)
		}
	}
	for _, v := range [][]float64{st.CoreDistances, st.ExitDistances, st.BirthDistances, st.DensestDistances} {
		for i, x := range v {
			if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%w: HDBSCAN rule: distance %d is %v", ErrInvalidInput, i, x)
			}
		}
	}
	r := &HDBSCANRule{state: st, tree: t, coreNode: make([]float64, len(t.nodes))}
	for j := len(t.nodes) - 1; j >= 0; j-- { // children have larger indices
		nd := t.nodes[j]
		if nd.left >= 0 {
			r.coreNode[j] = min(r.coreNode[nd.left], r.coreNode[nd.right])
			continue
		}
		mc := math.Inf(1)
		for p := nd.lo; p < nd.hi; p++ {
			mc = min(mc, st.CoreDistances[t.idx[p]])
		}
		r.coreNode[j] = mc
	}
	return r, nil
}

// State returns the rule's state (shared, not copied: do not change it).
func (r *HDBSCANRule) State() HDBSCANState { return r.state }

// Dim returns the number of values a point must have.
func (r *HDBSCANRule) Dim() int {
	if r == nil || r.state.Points == nil {
		return 0
	}
	return r.state.Points.Cols
}

// Predict applies the rule to x.
func (r *HDBSCANRule) Predict(x []float64) (Assignment, error) {
	if r == nil || r.tree == nil {
		return Assignment{}, fmt.Errorf("%w: HDBSCANRule not built with NewHDBSCANRule", ErrNotInductive)
	}
	if err := checkPoint(x, r.Dim()); err != nil {
		return Assignment{}, err
	}
	st, t := &r.state, r.tree
	q := x
	if st.Metric == Haversine {
		q = make([]float64, 3)
		if err := unitVector(x, q); err != nil {
			return Assignment{}, err
		}
	}
	// Distances are compared in the metric's units, computed exactly as the
	// fit computed the core distances, so a training row meets its own.
	var h knnHeap
	t.knn(q, st.MinSamples, &h)
	c := metricDist(t, st.Metric, h.dist[0])
	d := t.d
	bestR, bestD, best := math.Inf(1), math.Inf(1), int32(-1)
	stack := []int32{0}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		lo := metricDist(t, st.Metric, t.minDist(q, k))
		if lb := max(lo, c, r.coreNode[k]); lb > bestR || (lb == bestR && lo > bestD) {
			continue
		}
		nd := t.nodes[k]
		if nd.left >= 0 {
			a, b := nd.left, nd.right
			if t.minDist(q, a) < t.minDist(q, b) {
				a, b = b, a
			}
			stack = append(stack, a, b) // nearer child on top
			continue
		}
		for p := nd.lo; p < nd.hi; p++ {
			row := t.idx[p]
			dv := metricDist(t, st.Metric, t.dist(q, t.data[int(p)*d:int(p)*d+d]))
			w := max(dv, c, st.CoreDistances[row])
			if w < bestR || (w == bestR && (dv < bestD || (dv == bestD && row < best))) {
				bestR, bestD, best = w, dv, row
			}
		}
	}
	lab := st.Labels[best]
	if lab < 0 || (bestR > st.ExitDistances[best] && bestR >= st.BirthDistances[lab]) {
		return Assignment{Label: -1, Distance: bestD}, nil
	}
	probs := make([]float64, len(st.BirthDistances))
	probs[lab] = 1
	if ds := st.DensestDistances[lab]; ds > 0 && bestR > ds {
		probs[lab] = ds / bestR
	}
	return Assignment{Label: lab, Distance: bestD, Probabilities: probs}, nil
}
