package cluster

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/segkit/segkit/core/matrix"
)

// DBSCANMaxValues is the largest input DBSCAN and HDBSCAN accept, counted in
// values (rows × columns): 2^26, about 67 million (512 MB of input). Their
// memory is O(n·d) beyond the input; larger inputs are refused with
// ErrTooLarge.
const DBSCANMaxValues = 1 << 26

// DBSCAN is density-based clustering (Ester, Kriegel, Sander and Xu, 1996)
// with scikit-learn 1.2's semantics: a row is a core point when at least
// MinSamples rows (itself included) lie within distance Eps of it; clusters
// are the connected groups of core points (two cores within Eps are
// connected) together with the non-core rows within Eps of one of their
// cores (border points); every other row is noise (label -1).
//
// Clusters are discovered and numbered as scikit-learn does: rows are
// scanned in order, and each core row not yet labelled starts a new cluster
// that is expanded completely. A border point within Eps of cores of several
// clusters therefore joins the cluster discovered first (the one whose
// lowest-index core row comes first), exactly as in scikit-learn.
//
// Neighbourhoods come from a k-d tree (never an n×n matrix): core points
// are found with radius counts that stop at MinSamples, and clusters are
// expanded with radius queries that skip subtrees whose rows all have a
// label already.
//
// Time: O(n log n) to build the index plus, per row, a radius query —
// O(n·m) in all for m rows per neighbourhood on average, O(n²) when Eps
// covers everything. Memory: O(n·d) beyond the input, independent of Eps:
// a reordered copy of the rows, the tree and per-row state (about 8·d + 30
// bytes per row), plus the copy of the core points kept by the prediction
// rule (at most 8·d bytes per row). Inputs beyond [DBSCANMaxValues] values are refused with
// ErrTooLarge.
//
// Predict assigns a new point to the cluster of its nearest core point when
// that core is within Eps, else to noise (-1); see [NearestCore].
type DBSCAN struct {
	// Eps is the neighbourhood radius, in the units of the data (for
	// Haversine, kilometres); 0 means 0.5 (scikit-learn's default). It must
	// not be negative. [DBSCAN.KDistances] and [SuggestEps] help choose it.
	Eps float64
	// MinSamples is the number of rows within Eps (the row itself
	// included) that makes a row a core point; 0 means 5 (scikit-learn's
	// default).
	MinSamples int
	// Metric is the distance; "" means Euclidean. Haversine needs exactly
	// two columns, latitude and longitude in degrees, and Eps in km.
	Metric Metric
	// Workers is the number of goroutines finding core points; 0 means
	// runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Progress, if not nil, is called after each of the two passes (core
	// points, cluster expansion), from the goroutine that called Fit.
	Progress func(Progress)
}

// densityIndex prepares the rows of x for a metric: it validates them (and
// the limit on size) and returns the rows the tree works on (unit vectors for
// Haversine) with the query radius on the tree's scale.
func densityIndex(x *matrix.Dense, metric Metric, workers int, name, alt string) (pts []float64, d int, err error) {
	if x != nil && x.Rows > 0 && x.Cols > 0 && x.Rows*x.Cols > DBSCANMaxValues {
		return nil, 0, fmt.Errorf("%w: %s accepts at most %d values (rows × columns), got %d×%d; use %s instead",
			ErrTooLarge, name, DBSCANMaxValues, x.Rows, x.Cols, alt)
	}
	if _, err := checkMatrix(x, 1, workers); err != nil {
		return nil, 0, err
	}
	if metric == Haversine {
		if x.Cols != 2 {
			return nil, 0, fmt.Errorf("%w: the haversine metric needs 2 columns (latitude, longitude in degrees), got %d", ErrInvalidInput, x.Cols)
		}
		u, err := toUnitVectors(x.Data, x.Rows, 0)
		if err != nil {
			return nil, 0, err
		}
		return u, 3, nil
	}
	return x.Data[:x.Rows*x.Cols], x.Cols, nil
}

// radiusKey converts a radius in the metric's units to the tree's scale.
func radiusKey(t *kdTree, metric Metric, r float64) float64 {
	if metric == Haversine {
		return t.key(kmToChord(r))
	}
	return t.key(r)
}

// metricDist converts a tree distance to the metric's units.
func metricDist(t *kdTree, metric Metric, v float64) float64 {
	if metric == Haversine {
		return chordToKm(t.unkey(v))
	}
	return t.unkey(v)
}

func (db *DBSCAN) settings() (eps float64, minSamples int, metric Metric, err error) {
	if db == nil {
		return 0, 0, "", fmt.Errorf("%w: nil DBSCAN", ErrBadSettings)
	}
	eps, minSamples = db.Eps, db.MinSamples
	if eps == 0 {
		eps = 0.5
	}
	if minSamples == 0 {
		minSamples = 5
	}
	if eps < 0 || math.IsNaN(eps) || math.IsInf(eps, 0) {
		return 0, 0, "", fmt.Errorf("%w: Eps is %v, want a finite value > 0", ErrBadSettings, db.Eps)
	}
	if minSamples < 0 {
		return 0, 0, "", fmt.Errorf("%w: MinSamples is %d, want >= 1", ErrBadSettings, db.MinSamples)
	}
	if db.Workers < 0 {
		return 0, 0, "", fmt.Errorf("%w: Workers is %d, want >= 0", ErrBadSettings, db.Workers)
	}
	metric, err = checkMetric(db.Metric)
	return eps, minSamples, metric, err
}

// Fit clusters the rows of x. It returns an error wrapping ErrBadSettings,
// ErrInvalidInput (a NaN or infinite value, or a latitude outside [-90, 90]
// for Haversine), ErrTooFewPoints (no rows) or ErrTooLarge, or the context's
// error if ctx is cancelled (checked between chunks of work).
func (db *DBSCAN) Fit(ctx context.Context, x *matrix.Dense) (m *Model, err error) {
	defer recoverError(&err)
	eps, minSamples, metric, err := db.settings()
	if err != nil {
		return nil, err
	}
	workers := resolveWorkers(db.Workers)
	pts, d, err := densityIndex(x, metric, workers, "DBSCAN", "MiniBatchKMeans")
	if err != nil {
		return nil, err
	}
	n := x.Rows
	t := newKDTree(pts, n, d, metric == Manhattan, false, true)
	rk := radiusKey(t, metric, eps)

	// Pass 1: core points, in tree order (counts stop at MinSamples).
	core := make([]bool, n)
	var cancelled error
	var mu sync.Mutex
	forEachChunk(workers, numChunks(n), func(c int) {
		if ctx.Err() != nil {
			mu.Lock()
			cancelled = ctx.Err()
			mu.Unlock()
			return
		}
		lo, hi := chunkBounds(c, n)
		for p := lo; p < hi; p++ {
			core[p] = t.countWithin(t.data[p*d:p*d+d], rk, minSamples) >= minSamples
		}
	})
	if cancelled != nil {
		return nil, fmt.Errorf("cluster: dbscan cancelled: %w", cancelled)
	}
	if db.Progress != nil {
		db.Progress(Progress{Algorithm: "dbscan", Run: 1, Runs: 1, Iteration: 1, MaxIter: 2})
	}

	// Pass 2: expand clusters from core rows in row order.
	posOf := make([]int32, n)
	for p, i := range t.idx {
		posOf[i] = int32(p)
	}
	lab := make([]int32, n) // by tree position
	for p := range lab {
		lab[p] = -1
	}
	unl := make([]int32, len(t.nodes)) // unlabelled rows per node
	for k, nd := range t.nodes {
		unl[k] = nd.hi - nd.lo
	}
	mark := func(p int32, c int32) {
		lab[p] = c
		for k := t.leafOf[p]; k >= 0; k = t.parent[k] {
			unl[k]--
		}
	}
	var stack, qstack []int32
	k := int32(0)
	for i := range n {
		p := posOf[i]
		if lab[p] >= 0 || !core[p] {
			continue
		}
		if k%256 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("cluster: dbscan cancelled: %w", ctx.Err())
		}
		mark(p, k)
		stack = append(stack[:0], p)
		for len(stack) > 0 {
			q := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			qp := t.data[int(q)*d : int(q)*d+d]
			qstack = append(qstack[:0], 0)
			for len(qstack) > 0 {
				nk := qstack[len(qstack)-1]
				qstack = qstack[:len(qstack)-1]
				if unl[nk] == 0 || t.minDistBound(qp, nk, rk) > rk {
					continue
				}
				nd := t.nodes[nk]
				if nd.left >= 0 {
					qstack = append(qstack, nd.right, nd.left)
					continue
				}
				for v := nd.lo; v < nd.hi; v++ {
					if lab[v] < 0 && t.dist(qp, t.data[int(v)*d:int(v)*d+d]) <= rk {
						mark(v, k)
						if core[v] {
							stack = append(stack, v)
						}
					}
				}
			}
		}
		k++
	}
	labels := make([]int, n)
	nCore := 0
	for p, i := range t.idx {
		labels[i] = int(lab[p])
		if core[p] {
			nCore++
		}
	}
	// Core points in row order, for prediction.
	cp := matrix.New(nCore, x.Cols)
	cl := make([]int, 0, nCore)
	for i := range n {
		if core[posOf[i]] {
			copy(cp.Data[len(cl)*x.Cols:], x.Data[i*x.Cols:i*x.Cols+x.Cols])
			cl = append(cl, labels[i])
		}
	}
	pred, err := NewNearestCore(cp, cl, eps, metric)
	if err != nil {
		return nil, err
	}
	if db.Progress != nil {
		db.Progress(Progress{Algorithm: "dbscan", Run: 1, Runs: 1, Iteration: 2, MaxIter: 2})
	}
	return &Model{Algorithm: "dbscan", K: int(k), Labels: labels, Iterations: 1, Converged: true, Predictor: pred}, nil
}

// NearestCore is the prediction rule of [DBSCAN]: a new point joins the
// cluster of its nearest core point (the lowest row on ties) if that core is
// within Eps, else it is noise (-1). Distance is the distance to that core
// point in the metric's units (kilometres for Haversine, L1 for Manhattan),
// also for noise. Probabilities is nil. Build it with [NewNearestCore]; its
// fields must not be changed afterwards.
type NearestCore struct {
	// Points holds the core points, one per row (for Haversine: latitude,
	// longitude in degrees).
	Points *matrix.Dense
	// Labels holds the cluster of each core point.
	Labels []int
	// Eps is the radius within which a core point captures a new point.
	Eps float64
	// Metric is the distance.
	Metric Metric

	tree *kdTree
}

// NewNearestCore builds the rule (and its spatial index) from the core
// points of a fitted DBSCAN model, for instance one read back from a file.
func NewNearestCore(points *matrix.Dense, labels []int, eps float64, metric Metric) (*NearestCore, error) {
	metric, err := checkMetric(metric)
	if err != nil {
		return nil, err
	}
	if points == nil || points.Cols <= 0 || points.Rows < 0 || len(points.Data) < points.Rows*points.Cols || len(labels) != points.Rows {
		return nil, fmt.Errorf("%w: core points and labels do not match", ErrInvalidInput)
	}
	if !(eps >= 0) || math.IsInf(eps, 0) {
		return nil, fmt.Errorf("%w: Eps is %v", ErrBadSettings, eps)
	}
	nc := &NearestCore{Points: points, Labels: labels, Eps: eps, Metric: metric}
	pts, d := points.Data[:points.Rows*points.Cols], points.Cols
	if metric == Haversine {
		if d != 2 {
			return nil, fmt.Errorf("%w: the haversine metric needs 2 columns", ErrInvalidInput)
		}
		if pts, err = toUnitVectors(pts, points.Rows, 0); err != nil {
			return nil, err
		}
		d = 3
	}
	nc.tree = newKDTree(pts, points.Rows, d, metric == Manhattan, false, false)
	return nc, nil
}

// Dim returns the number of values a point must have.
func (nc *NearestCore) Dim() int {
	if nc == nil || nc.Points == nil {
		return 0
	}
	return nc.Points.Cols
}

// Predict returns the cluster of the nearest core point within Eps, or -1.
func (nc *NearestCore) Predict(x []float64) (Assignment, error) {
	if nc == nil || nc.tree == nil {
		return Assignment{}, fmt.Errorf("%w: NearestCore not built with NewNearestCore", ErrNotInductive)
	}
	if err := checkPoint(x, nc.Points.Cols); err != nil {
		return Assignment{}, err
	}
	if nc.Points.Rows == 0 {
		return Assignment{Label: -1, Distance: math.Inf(1)}, nil
	}
	q := x
	if nc.Metric == Haversine {
		q = make([]float64, 3)
		if err := unitVector(x, q); err != nil {
			return Assignment{}, err
		}
	}
	var h knnHeap
	nc.tree.knn(q, 1, &h)
	dist := metricDist(nc.tree, nc.Metric, h.dist[0])
	lab := nc.Labels[nc.tree.idx[h.pos[0]]]
	if dist > nc.Eps {
		lab = -1
	}
	return Assignment{Label: lab, Distance: dist}, nil
}

// KDistances returns, sorted in increasing order, the distance from each row
// of x to its MinSamples-th nearest row (the row itself counting as the
// first), in the units of Eps: the k-distance curve. A row is a core point
// for every Eps at least its k-distance, so the curve shows how many rows are
// core points for each Eps; its knee ([SuggestEps]) is a common choice of
// Eps. Eps itself is ignored. Time O(n log n · MinSamples) with the k-d
// tree, memory O(n·d).
func (db *DBSCAN) KDistances(ctx context.Context, x *matrix.Dense) (kd []float64, err error) {
	defer recoverError(&err)
	_, minSamples, metric, err := db.settings()
	if err != nil {
		return nil, err
	}
	workers := resolveWorkers(db.Workers)
	pts, d, err := densityIndex(x, metric, workers, "DBSCAN", "MiniBatchKMeans")
	if err != nil {
		return nil, err
	}
	n := x.Rows
	k := min(minSamples, n)
	t := newKDTree(pts, n, d, metric == Manhattan, false, false)
	kd = make([]float64, n)
	var cancelled error
	var mu sync.Mutex
	forEachChunk(workers, numChunks(n), func(c int) {
		if ctx.Err() != nil {
			mu.Lock()
			cancelled = ctx.Err()
			mu.Unlock()
			return
		}
		var h knnHeap
		lo, hi := chunkBounds(c, n)
		for p := lo; p < hi; p++ {
			t.knn(t.data[p*d:p*d+d], k, &h)
			kd[p] = metricDist(t, metric, h.dist[0])
		}
	})
	if cancelled != nil {
		return nil, fmt.Errorf("cluster: k-distances cancelled: %w", cancelled)
	}
	slices.Sort(kd)
	return kd, nil
}

// SuggestEps returns the knee of an increasing k-distance curve (as
// [DBSCAN.KDistances] returns it): after scaling both axes to [0, 1], the
// point farthest below the chord from the first to the last point — where
// the curve turns from the slow rise of dense regions to the steep rise of
// sparse rows. It returns 0 when the curve has fewer than 3 points or is
// straight. (This is the "maximum distance to the chord" knee; the eval
// package's Kneedle, which core/cluster cannot import, usually finds a
// nearby point.)
func SuggestEps(kd []float64) float64 {
	n := len(kd)
	if n < 3 {
		return 0
	}
	lo, hi := kd[0], kd[n-1]
	if !(hi > lo) {
		return 0
	}
	best, bestGap := -1, 0.0
	for i, v := range kd {
		xs := float64(i) / float64(n-1)
		ys := (v - lo) / (hi - lo)
		if gap := xs - ys; gap > bestGap {
			best, bestGap = i, gap
		}
	}
	if best < 0 {
		return 0
	}
	return kd[best]
}
