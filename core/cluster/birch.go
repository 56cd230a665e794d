package cluster

import (
	"context"
	"fmt"
	"math"

	"github.com/segkit/segkit/core/matrix"
)

// Global clustering steps accepted by Birch.Global.
const (
	GlobalAgglomerative = "agglomerative"
	GlobalKMeans        = "kmeans"
)

// Birch is BIRCH clustering as scikit-learn 1.2's Birch: the rows are
// inserted one at a time into a clustering-feature (CF) tree whose leaves
// hold subclusters of radius at most Threshold (a row joins the closest
// subcluster if the merged radius stays within Threshold, else starts its
// own; a node with more than BranchingFactor entries is split around its
// farthest pair of subclusters, as scikit-learn does), then a global step
// groups the subcluster centroids into K clusters.
//
// The rows can also stream through in chunks: PartialFit inserts a chunk
// into the tree kept in the Birch value, Finish runs the global step. Fit
// uses its own tree and leaves the streaming state alone.
//
// Labels of the training rows, and Predict for new points, follow
// scikit-learn's predict: the nearest subcluster centroid (Euclidean), then
// that subcluster's global label. Assignment.Distance is the distance to
// that subcluster centroid. Centers holds the mean of each global cluster
// (from the subclusters' sums); Inertia is the sum of squared distances of
// the training rows to the centre of their cluster.
//
// Memory: O(S·d) for S subclusters (S <= n; smaller with a larger
// Threshold relative to the spread of the data), plus, in Fit, one label per
// row. Time: O(n·B·h·d) to build the tree (B the branching factor, h its
// height), O(n·S·d) to label the rows, and the global step: Ward on the
// subcluster centroids is O(S²·d) time (with a distance matrix of at most
// 64 MiB when S <= 4,096, none above) and accepts at most
// AgglomerativeMaxRows subclusters (beyond, ErrTooLarge suggests a larger
// Threshold or Global "kmeans"); k-means is O(S·K·d) per iteration. The
// rows' labels cost O(n·S·d): with many subclusters (a Threshold small for
// the data's scale) labelling dominates, as in scikit-learn.
type Birch struct {
	// Threshold is the largest radius of a subcluster (the root mean
	// squared distance of its rows to its centroid); 0 means 0.5
	// (scikit-learn's default). It must not be negative. Scale the data
	// first: the threshold is in the units of the columns.
	Threshold float64
	// BranchingFactor is the most subclusters a node holds; 0 means 50
	// (scikit-learn's default). It must be at least 2.
	BranchingFactor int
	// K is the number of clusters of the global step; 0 means no global
	// step: each subcluster is a cluster. When the tree has fewer than K
	// subclusters each is a cluster (scikit-learn warns and does the same),
	// so Model.K may be less than K.
	K int
	// Global is the global step: "agglomerative" (the default, as
	// scikit-learn: Ward linkage on the unweighted subcluster centroids) or
	// "kmeans" (KMeans with K, Seed and 10 runs on the centroids).
	Global string
	// Seed makes the k-means global step reproducible.
	Seed uint64
	// Workers is the number of goroutines sharing the labelling and the
	// global step; 0 means runtime.GOMAXPROCS(0). The result does not
	// depend on it.
	Workers int
	// Progress, if not nil, is called from the calling goroutine every 4096
	// rows inserted (Iteration: rows so far; MaxIter: rows of the input, or
	// of the chunks so far when streaming).
	Progress func(Progress)

	stream *cfTree
}

// cfSub is a subcluster: its clustering feature (count, linear sum, sum of
// squared norms) and, in non-leaf nodes, the node below.
type cfSub struct {
	n      float64
	ls     []float64
	ss     float64
	c      []float64 // centroid
	sqNorm float64   // squared norm of the centroid
	child  *cfNode
}

// cfNode is a node of the CF tree. cent and sqn hold a copy of the
// subclusters' centroids and squared norms, contiguous for the search.
type cfNode struct {
	leaf       bool
	subs       []*cfSub
	cent       []float64
	sqn        []float64
	prev, next *cfNode
}

// cfTree is the CF tree with its settings; dummy heads the list of leaves.
type cfTree struct {
	d, bf       int
	thr         float64
	root, dummy *cfNode
	rows        int
	scratch     []float64
}

func newCFTree(d, bf int, thr float64) *cfTree {
	t := &cfTree{d: d, bf: bf, thr: thr, scratch: make([]float64, 2*d)}
	t.root = t.newNode(true)
	t.dummy = t.newNode(true)
	t.dummy.next = t.root
	t.root.prev = t.dummy
	return t
}

func (t *cfTree) newNode(leaf bool) *cfNode {
	return &cfNode{leaf: leaf, subs: make([]*cfSub, 0, t.bf+1),
		cent: make([]float64, 0, (t.bf+1)*t.d), sqn: make([]float64, 0, t.bf+1)}
}

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	s := 0.0
	for i, v := range a {
		s += float64(v * b[i])
	}
	return s
}

func (nd *cfNode) appendSub(s *cfSub) {
	nd.subs = append(nd.subs, s)
	nd.cent = append(nd.cent, s.c...)
	nd.sqn = append(nd.sqn, s.sqNorm)
}

func (nd *cfNode) setRow(i int, s *cfSub) {
	d := len(s.c)
	copy(nd.cent[i*d:i*d+d], s.c)
	nd.sqn[i] = s.sqNorm
}

// update adds the clustering feature of o to s (scikit-learn's update).
func (s *cfSub) update(o *cfSub) {
	s.n += o.n
	for j, v := range o.ls {
		s.ls[j] += v
	}
	s.ss += o.ss
	for j, v := range s.ls {
		s.c[j] = v / s.n
	}
	s.sqNorm = dot(s.c, s.c)
}

// pointSub returns the subcluster of the single row x.
func pointSub(x []float64) *cfSub {
	ls := append([]float64(nil), x...)
	c := append([]float64(nil), x...)
	sq := dot(x, x)
	return &cfSub{n: 1, ls: ls, ss: sq, c: c, sqNorm: sq}
}

// insertRow inserts one row; it returns whether the root must split.
func (t *cfTree) insertRow(x []float64) {
	sq := dot(x, x)
	if t.insert(t.root, x, sq) {
		n1, n2 := t.split(t.root)
		t.root = t.newNode(false)
		t.root.appendSub(n1)
		t.root.appendSub(n2)
	}
	t.rows++
}

// insert inserts the row x (squared norm sq) below nd and reports whether nd
// now has more than bf subclusters and must be split by its parent.
func (t *cfTree) insert(nd *cfNode, x []float64, sq float64) bool {
	if len(nd.subs) == 0 {
		nd.appendSub(pointSub(x))
		return false
	}
	d := t.d
	best, bestV := 0, math.Inf(1)
	for i := range nd.subs {
		v := float64(-2 * dot(nd.cent[i*d:i*d+d], x)) // no fused multiply-add
		v += nd.sqn[i]
		if v < bestV {
			best, bestV = i, v
		}
	}
	cs := nd.subs[best]
	if cs.child != nil {
		if !t.insert(cs.child, x, sq) {
			cs.n++
			for j, v := range x {
				cs.ls[j] += v
			}
			cs.ss += sq
			for j, v := range cs.ls {
				cs.c[j] = v / cs.n
			}
			cs.sqNorm = dot(cs.c, cs.c)
			nd.setRow(best, cs)
			return false
		}
		n1, n2 := t.split(cs.child)
		nd.subs[best] = n1
		nd.setRow(best, n1)
		nd.appendSub(n2)
		return len(nd.subs) > t.bf
	}
	// A leaf: merge into the closest subcluster if the radius allows.
	newLS, newC := t.scratch[:d], t.scratch[d:2*d]
	newN := cs.n + 1
	newSS := cs.ss + sq
	inv := 1 / newN
	for j, v := range x {
		newLS[j] = cs.ls[j] + v
		newC[j] = inv * newLS[j]
	}
	newSq := dot(newC, newC)
	if newSS/newN-newSq <= t.thr*t.thr {
		cs.n, cs.ss, cs.sqNorm = newN, newSS, newSq
		copy(cs.ls, newLS)
		copy(cs.c, newC)
		nd.setRow(best, cs)
		return false
	}
	nd.appendSub(pointSub(x))
	return len(nd.subs) > t.bf
}

// split divides the subclusters of nd between two new nodes around its
// farthest pair (scikit-learn's _split_node) and returns the two subclusters
// that hold them.
func (t *cfTree) split(nd *cfNode) (*cfSub, *cfSub) {
	d := t.d
	s1 := &cfSub{ls: make([]float64, d), c: make([]float64, d)}
	s2 := &cfSub{ls: make([]float64, d), c: make([]float64, d)}
	n1, n2 := t.newNode(nd.leaf), t.newNode(nd.leaf)
	s1.child, s2.child = n1, n2
	if nd.leaf {
		if nd.prev != nil {
			nd.prev.next = n1
		}
		n1.prev = nd.prev
		n1.next = n2
		n2.prev = n1
		n2.next = nd.next
		if nd.next != nil {
			nd.next.prev = n2
		}
	}
	m := len(nd.subs)
	sqd := func(i, j int) float64 {
		if i == j {
			return 0
		}
		v := float64(-2 * dot(nd.cent[i*d:i*d+d], nd.cent[j*d:j*d+d]))
		v += nd.sqn[i]
		v += nd.sqn[j]
		return max(v, 0)
	}
	fi, fj, fv := 0, 0, math.Inf(-1)
	for i := range m {
		for j := range m {
			if v := sqd(i, j); v > fv {
				fi, fj, fv = i, j, v
			}
		}
	}
	for i, s := range nd.subs {
		if i == fi || sqd(fi, i) < sqd(fj, i) {
			n1.appendSub(s)
			s1.update(s)
		} else {
			n2.appendSub(s)
			s2.update(s)
		}
	}
	return s1, s2
}

// subclusters returns the leaf subclusters in leaf-list order.
func (t *cfTree) subclusters() []*cfSub {
	var out []*cfSub
	for nd := t.dummy.next; nd != nil; nd = nd.next {
		out = append(out, nd.subs...)
	}
	return out
}

// settings returns the resolved threshold, branching factor and global step.
func (b *Birch) settings() (thr float64, bf int, global string, err error) {
	thr, bf, global = b.Threshold, b.BranchingFactor, b.Global
	if thr == 0 {
		thr = 0.5
	}
	if bf == 0 {
		bf = 50
	}
	if global == "" {
		global = GlobalAgglomerative
	}
	switch {
	case math.IsNaN(thr) || math.IsInf(thr, 0) || thr < 0:
		err = fmt.Errorf("%w: Threshold = %v must be a finite value >= 0", ErrBadSettings, b.Threshold)
	case bf < 2:
		err = fmt.Errorf("%w: BranchingFactor = %d must be at least 2", ErrBadSettings, b.BranchingFactor)
	case b.K < 0:
		err = fmt.Errorf("%w: K = %d is negative", ErrBadSettings, b.K)
	case global != GlobalAgglomerative && global != GlobalKMeans:
		err = fmt.Errorf("%w: unknown Global %q (want agglomerative or kmeans)", ErrBadSettings, b.Global)
	case b.Workers < 0:
		err = fmt.Errorf("%w: Workers = %d is negative", ErrBadSettings, b.Workers)
	}
	return thr, bf, global, err
}

// grow inserts the rows of x into t, checking ctx and reporting progress
// every 4096 rows.
func (b *Birch) grow(ctx context.Context, t *cfTree, x *matrix.Dense, total int) error {
	d := x.Cols
	for i := range x.Rows {
		if i%chunkRows == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("cluster: birch cancelled after %d rows: %w", t.rows, err)
			}
			if b.Progress != nil {
				b.Progress(Progress{Algorithm: "birch", Run: 1, Runs: 1, Iteration: t.rows, MaxIter: total})
			}
		}
		t.insertRow(x.Data[i*d : i*d+d])
	}
	return nil
}

// Fit builds a CF tree of the rows of x, runs the global step and labels
// every row (see Birch). It returns an error wrapping ErrBadSettings,
// ErrInvalidInput, ErrTooFewPoints, ErrTooLarge (too many subclusters for
// the Ward global step) or the context's error. Fit does not touch the
// streaming state of PartialFit.
func (b *Birch) Fit(ctx context.Context, x *matrix.Dense) (m *Model, err error) {
	defer recoverError(&err)
	if b == nil {
		return nil, fmt.Errorf("%w: nil Birch", ErrBadSettings)
	}
	thr, bf, global, err := b.settings()
	if err != nil {
		return nil, err
	}
	workers := resolveWorkers(b.Workers)
	if _, err := checkMatrix(x, 1, workers); err != nil {
		return nil, err
	}
	t := newCFTree(x.Cols, bf, thr)
	if err := b.grow(ctx, t, x, x.Rows); err != nil {
		return nil, err
	}
	m, err = b.global(ctx, t, global, workers)
	if err != nil {
		return nil, err
	}
	bp := m.Predictor.(*BirchPredictor)
	m.Labels = bp.labelRows(workers, x)
	m.Inertia = inertiaTo(x, m.Labels, m.Centers)
	return m, nil
}

// PartialFit inserts the rows of chunk into the tree kept in b (starting a
// new one on the first call, or after Reset), so a file too large to hold
// can stream through. All chunks must have the same number of columns.
// Errors are as Fit's; after an error the tree holds the rows inserted so
// far.
func (b *Birch) PartialFit(ctx context.Context, chunk *matrix.Dense) (err error) {
	defer recoverError(&err)
	if b == nil {
		return fmt.Errorf("%w: nil Birch", ErrBadSettings)
	}
	thr, bf, _, err := b.settings()
	if err != nil {
		return err
	}
	if _, err := checkMatrix(chunk, 1, resolveWorkers(b.Workers)); err != nil {
		return err
	}
	if b.stream == nil {
		b.stream = newCFTree(chunk.Cols, bf, thr)
	} else if chunk.Cols != b.stream.d {
		return fmt.Errorf("%w: chunk has %d columns, earlier chunks had %d", ErrInvalidInput, chunk.Cols, b.stream.d)
	}
	return b.grow(ctx, b.stream, chunk, b.stream.rows+chunk.Rows)
}

// Finish runs the global step on the tree built by PartialFit and returns
// the model. Its Labels are nil (the rows were not kept): label them with
// the model's Predict, or BirchPredictor.Labels, in a second pass. Inertia
// is computed from the subclusters' sums: the sum of squared distances of
// the streamed rows to the centre of their subcluster's cluster. The tree
// is kept, so more chunks may follow and Finish be called again; Reset
// drops it. It returns an error wrapping ErrTooFewPoints when no rows were
// given.
func (b *Birch) Finish(ctx context.Context) (m *Model, err error) {
	defer recoverError(&err)
	if b == nil {
		return nil, fmt.Errorf("%w: nil Birch", ErrBadSettings)
	}
	_, _, global, err := b.settings()
	if err != nil {
		return nil, err
	}
	if b.stream == nil || b.stream.rows == 0 {
		return nil, fmt.Errorf("%w: no rows were given to PartialFit", ErrTooFewPoints)
	}
	return b.global(ctx, b.stream, global, resolveWorkers(b.Workers))
}

// Reset drops the tree built by PartialFit.
func (b *Birch) Reset() { b.stream = nil }

// global runs the global step on the subclusters of t and returns the model
// without row labels; Inertia comes from the clustering features.
func (b *Birch) global(ctx context.Context, t *cfTree, global string, workers int) (*Model, error) {
	subs := t.subclusters()
	s, d := len(subs), t.d
	cents := matrix.New(s, d)
	for i, sc := range subs {
		copy(cents.Data[i*d:i*d+d], sc.c)
	}
	subLabels := make([]int, s)
	k := b.K
	switch {
	case k == 0 || s < k:
		k = s
		for i := range subLabels {
			subLabels[i] = i
		}
	case global == GlobalKMeans:
		km, err := (&KMeans{K: k, Seed: b.Seed, Workers: b.Workers}).Fit(ctx, cents)
		if err != nil {
			return nil, fmt.Errorf("cluster: birch global k-means: %w", err)
		}
		subLabels = km.Labels
		k = km.K
	default:
		if s > AgglomerativeMaxRows {
			return nil, fmt.Errorf("%w: birch made %d subclusters, more than the %d its Ward global step takes; raise Threshold or use Global \"kmeans\"",
				ErrTooLarge, s, AgglomerativeMaxRows)
		}
		ag, err := (&Agglomerative{K: k, Workers: b.Workers}).Fit(ctx, cents)
		if err != nil {
			return nil, fmt.Errorf("cluster: birch global step: %w", err)
		}
		subLabels = ag.Labels
		k = ag.K
	}
	// Cluster centres and inertia from the clustering features.
	centers := matrix.New(k, d)
	cnt := make([]float64, k)
	ss := make([]float64, k)
	for i, sc := range subs {
		l := subLabels[i]
		row := centers.Data[l*d : l*d+d]
		for j, v := range sc.ls {
			row[j] += v
		}
		cnt[l] += sc.n
		ss[l] += sc.ss
	}
	inertia := 0.0
	for l := range k {
		row := centers.Data[l*d : l*d+d]
		for j := range row {
			row[j] /= cnt[l]
		}
		inertia += max(0, ss[l]-float64(cnt[l]*dot(row, row)))
	}
	return &Model{
		Algorithm:  "birch",
		K:          k,
		Centers:    centers,
		Inertia:    inertia,
		Iterations: t.rows,
		Converged:  true,
		Predictor:  &BirchPredictor{Subclusters: cents, SubclusterLabels: subLabels},
	}, nil
}

// BirchPredictor is the prediction rule of BIRCH models: a point takes the
// global label of its nearest subcluster centroid (the lowest index on
// ties), at the Euclidean distance to that centroid. Its fields must not be
// changed while it is in use.
type BirchPredictor struct {
	// Subclusters holds the centroid of each leaf subcluster, one per row.
	Subclusters *matrix.Dense
	// SubclusterLabels holds the global cluster of each subcluster.
	SubclusterLabels []int
}

// Dim returns the number of values a point must have.
func (bp *BirchPredictor) Dim() int {
	if bp == nil || bp.Subclusters == nil {
		return 0
	}
	return bp.Subclusters.Cols
}

// Predict returns the cluster of x's nearest subcluster and the distance to
// that subcluster's centroid.
func (bp *BirchPredictor) Predict(x []float64) (Assignment, error) {
	if bp == nil || bp.Subclusters == nil || bp.Subclusters.Rows == 0 ||
		len(bp.SubclusterLabels) != bp.Subclusters.Rows || len(bp.Subclusters.Data) < bp.Subclusters.Rows*bp.Subclusters.Cols {
		return Assignment{}, fmt.Errorf("%w: no subclusters", ErrNotInductive)
	}
	if err := checkPoint(x, bp.Subclusters.Cols); err != nil {
		return Assignment{}, err
	}
	j, sq := nearest(x, bp.Subclusters.Data, make([]float64, bp.Subclusters.Rows))
	return Assignment{Label: bp.SubclusterLabels[j], Distance: math.Sqrt(sq)}, nil
}

// Labels returns the cluster of every row of x (as Predict, in parallel),
// for labelling a streamed file in a second pass. It returns an error
// wrapping ErrInvalidInput when x has the wrong number of columns or a
// non-finite value.
func (bp *BirchPredictor) Labels(x *matrix.Dense) (labels []int, err error) {
	defer recoverError(&err)
	if bp == nil || bp.Subclusters == nil || bp.Subclusters.Rows == 0 || len(bp.SubclusterLabels) != bp.Subclusters.Rows {
		return nil, fmt.Errorf("%w: no subclusters", ErrNotInductive)
	}
	workers := resolveWorkers(0)
	if _, err := checkMatrix(x, 1, workers); err != nil {
		return nil, err
	}
	if x.Cols != bp.Subclusters.Cols {
		return nil, fmt.Errorf("%w: rows have %d values, the model expects %d", ErrInvalidInput, x.Cols, bp.Subclusters.Cols)
	}
	return bp.labelRows(workers, x), nil
}

// labelRows labels the rows of the checked matrix x.
func (bp *BirchPredictor) labelRows(workers int, x *matrix.Dense) []int {
	labels := make([]int, x.Rows)
	assignAll(workers, x.Data, x.Rows, x.Cols, bp.Subclusters.Data, bp.Subclusters.Rows, labels)
	for i, j := range labels {
		labels[i] = bp.SubclusterLabels[j]
	}
	return labels
}
