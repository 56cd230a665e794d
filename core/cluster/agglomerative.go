package cluster

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/order"
)

// Linkages accepted by Agglomerative.Linkage.
const (
	LinkageWard     = "ward"
	LinkageComplete = "complete"
	LinkageAverage  = "average"
	LinkageSingle   = "single"
)

// Input bounds of Agglomerative (see its doc comment).
const (
	// AgglomerativeMaxRows is the largest number of rows Ward and single
	// linkage accept: their memory is O(n·d) but their time is O(n²·d).
	AgglomerativeMaxRows = 50000
	// AgglomerativeMaxMatrixRows is the largest number of rows complete and
	// average linkage accept: they keep the n(n−1)/2 pairwise distances as
	// float32, at most 512 MiB.
	AgglomerativeMaxMatrixRows = 16384
)

// wardMatrixRows is the largest number of rows for which Ward linkage keeps
// the pairwise distances (float64, at most 64 MiB) and updates them with
// the Lance–Williams formula as scipy does, which is faster than recomputing
// centroid distances, the more so the more columns; above it Ward needs no
// matrix. A variable so that tests can reach the matrix-free path with few
// rows.
var wardMatrixRows = 4096

// aggloFloat64Rows is the largest number of rows for which complete and
// average linkage keep the distances as float64 (at most 512 MiB), which
// reproduces scipy exactly, ties included. A variable so that tests can
// reach the float32 path with few rows.
var aggloFloat64Rows = 11585

// Agglomerative is bottom-up hierarchical clustering with Euclidean
// distances, as scikit-learn 1.2's AgglomerativeClustering (which calls
// scipy's linkage): every row starts as its own cluster and the two closest
// clusters merge until one is left; the tree is then cut into K clusters
// (undoing the last K−1 merges) or at DistanceThreshold.
//
// Linkages and their bounds (n rows, d columns):
//   - "ward" (the default): merges the pair that least increases the total
//     within-cluster sum of squares. Above 4,096 rows it runs as a
//     nearest-neighbour chain whose distances are computed from the
//     clusters' centroids and sizes, never stored: O(n·d) memory, O(n²·d)
//     time; up to 4,096 rows, where the matrix takes at most 64 MiB, it
//     keeps the pairwise distances and updates them with the Lance–Williams
//     formula as scipy does (faster, and the same tree as scipy). Up to
//     AgglomerativeMaxRows rows.
//   - "single": the distance between clusters is that of their closest
//     rows; computed as a minimum spanning tree with Prim's algorithm:
//     O(n·d) memory (a compact copy of the rows not yet in the tree),
//     O(n²·d) time. Up to AgglomerativeMaxRows
//     rows.
//   - "complete" (farthest rows) and "average" (mean distance over all
//     pairs of rows): there is no exact update without the pairwise
//     distances, so they are kept in a condensed matrix updated by the
//     Lance–Williams formulas along a nearest-neighbour chain, as scipy
//     does: as float64 up to 11,585 rows (4·n² bytes, at most 512 MiB;
//     the same tree as scipy), as float32 above (2·n² bytes; heights agree
//     with scipy's to about 1e-7 relative, and distances that differ only
//     beyond float32 precision tie). O(n²·d) time. Up to
//     AgglomerativeMaxMatrixRows rows (512 MiB).
//
// Larger inputs are refused with ErrTooLarge before anything is allocated;
// use BIRCH (whose global step is Ward on its subclusters) or mini-batch
// k-means for them.
//
// Merge heights are those of scipy and of scikit-learn's distances_: the
// Euclidean distance between the merged clusters under the linkage; for Ward
// sqrt(2·nA·nB/(nA+nB))·‖cA−cB‖, the square root of twice the increase of
// the within-cluster sum of squares. Merges at equal height are taken in the
// order the chain finds them, so on exact ties the tree may differ from
// scipy's.
//
// Labels are numbered by first appearance in row order (row 0 is in cluster
// 0, the first row not in cluster 0 is in cluster 1, ...); scikit-learn's
// label ids are arbitrary, the partition is the same.
//
// Predict: with Ward a new point joins the nearest cluster centroid (Centers
// holds the centroids); with the other linkages the nearest cluster medoid
// (Centers holds the medoids: the training row of each cluster with the
// least sum of Euclidean distances to its cluster's rows, the lowest row on
// ties, found without a pairwise matrix: exact, with trimed's
// triangle-inequality bounds pruning most rows, for clusters of up to 2,048
// rows, O(size²·d) at worst; in a larger cluster the row of least sum of
// distances to an evenly spaced sample of 2,048 of its rows, O(size·2048·d)).
// Inertia is the sum of squared distances of the rows to their cluster's
// centre in Centers.
type Agglomerative struct {
	// K is the number of clusters to cut the tree into. Exactly one of K and
	// DistanceThreshold must be set; K must be at most the number of rows.
	K int
	// DistanceThreshold cuts the tree at a height instead of a count, as
	// scikit-learn's distance_threshold: merges at heights of at least the
	// threshold are undone, so K = 1 + the number of such merges. 0 means
	// unset; it must not be negative.
	DistanceThreshold float64
	// Linkage is "ward", "complete", "average" or "single"; "" means
	// "ward" (scikit-learn's default).
	Linkage string
	// Workers is the number of goroutines sharing the distance work; 0 means
	// runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Progress, if not nil, is called from the goroutine that called Fit as
	// the tree grows (about a hundred times per fit): Iteration counts the
	// merges, MaxIter is n−1, Inertia is the within-cluster sum of squares
	// so far for Ward and 0 for the other linkages.
	Progress func(Progress)
}

// Merge is one step of a dendrogram: clusters A and B (A < B) join into a
// new cluster at Height. Ids follow scipy: 0..n−1 are the rows, n+i is the
// cluster made by merge i.
type Merge struct {
	// A and B are the ids of the merged clusters, A < B.
	A, B int
	// Height is the linkage distance at which they merge; heights never
	// decrease along Merges.
	Height float64
	// Size is the number of rows of the new cluster.
	Size int
}

// Dendrogram is the full merge tree of n rows: n−1 merges in order of
// height, scipy's linkage matrix. A UI draws it by placing leaves in the
// order of Leaves and each merge at its Height.
type Dendrogram struct {
	// N is the number of rows (leaves).
	N int
	// Merges holds the n−1 merges in order.
	Merges []Merge
}

// Cut returns the labels of the n rows when the tree is cut into k
// clusters, by undoing its last k−1 merges (scikit-learn's rule). Labels are
// numbered by first appearance in row order. It returns an error wrapping
// ErrBadSettings unless 1 <= k <= N.
func (dg *Dendrogram) Cut(k int) ([]int, error) {
	if dg == nil || k < 1 || k > dg.N || len(dg.Merges) != dg.N-1 {
		return nil, fmt.Errorf("%w: cannot cut a tree of %d leaves into %d clusters", ErrBadSettings, dg.leaves(), k)
	}
	n := dg.N
	parent := make([]int32, 2*n-1)
	for i := range parent {
		parent[i] = int32(i)
	}
	for i, mg := range dg.Merges[:n-k] {
		if mg.A < 0 || mg.B < 0 || mg.A >= n+i || mg.B >= n+i {
			return nil, fmt.Errorf("%w: merge %d joins unknown clusters %d and %d", ErrBadSettings, i, mg.A, mg.B)
		}
		parent[mg.A] = int32(n + i)
		parent[mg.B] = int32(n + i)
	}
	find := func(v int) int {
		r := v
		for int(parent[r]) != r {
			r = int(parent[r])
		}
		for int(parent[v]) != r { // path compression
			next := int(parent[v])
			parent[v] = int32(r)
			v = next
		}
		return r
	}
	return firstAppearance(n, find), nil
}

func (dg *Dendrogram) leaves() int {
	if dg == nil {
		return 0
	}
	return dg.N
}

// CutHeight returns the labels of the rows when the tree is cut at height h:
// as scikit-learn's distance_threshold, the merges at height h or above are
// undone, giving 1 + their number of clusters. h must be positive.
func (dg *Dendrogram) CutHeight(h float64) ([]int, error) {
	if dg == nil || !(h > 0) || math.IsInf(h, 0) {
		return nil, fmt.Errorf("%w: cut height %v must be positive and finite", ErrBadSettings, h)
	}
	return dg.Cut(dg.clustersAt(h))
}

// clustersAt returns the number of clusters of a cut at height h.
func (dg *Dendrogram) clustersAt(h float64) int {
	k := 1
	for _, mg := range dg.Merges {
		if mg.Height >= h {
			k++
		}
	}
	return min(k, dg.N)
}

// Leaves returns the rows in the order a dendrogram plot places them, so
// that no branches cross: the left-to-right leaf order of the tree, with
// A's side before B's at every merge (scipy's dendrogram leaves order). It
// returns nil for an empty or malformed tree.
func (dg *Dendrogram) Leaves() []int {
	if dg == nil || dg.N <= 0 || len(dg.Merges) != dg.N-1 {
		return nil
	}
	for i, mg := range dg.Merges {
		if mg.A < 0 || mg.B < 0 || mg.A >= dg.N+i || mg.B >= dg.N+i {
			return nil
		}
	}
	n := dg.N
	out := make([]int, 0, n)
	stack := []int{2*n - 2}
	if n == 1 {
		stack[0] = 0
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if v < n {
			out = append(out, v)
			continue
		}
		mg := dg.Merges[v-n]
		stack = append(stack, mg.B, mg.A)
	}
	return out
}

// firstAppearance numbers the roots returned by find for rows 0..n−1 in the
// order they first appear.
func firstAppearance(n int, find func(int) int) []int {
	labels := make([]int, n)
	ids := map[int]int{}
	for i := range n {
		r := find(i)
		id, ok := ids[r]
		if !ok {
			id = len(ids)
			ids[r] = id
		}
		labels[i] = id
	}
	return labels
}

// rawMerge is a merge found by a linkage algorithm, naming each cluster by
// one of its rows; relabel turns a list of them into a Dendrogram.
type rawMerge struct {
	x, y   int32
	height float64
}

// relabel sorts the raw merges by height (stably) and names the clusters as
// scipy does, with a union-find over the representative rows.
func relabel(n int, raw []rawMerge) *Dendrogram {
	order.SortFunc(raw, func(a, b rawMerge) int {
		switch {
		case a.height < b.height:
			return -1
		case a.height > b.height:
			return 1
		}
		return 0
	})
	parent := make([]int32, 2*n-1)
	size := make([]int32, 2*n-1)
	for i := range parent {
		parent[i] = int32(i)
		size[i] = 1
	}
	find := func(v int32) int32 {
		r := v
		for parent[r] != r {
			r = parent[r]
		}
		for parent[v] != r {
			next := parent[v]
			parent[v] = r
			v = next
		}
		return r
	}
	merges := make([]Merge, len(raw))
	for i, m := range raw {
		a, b := find(m.x), find(m.y)
		if a > b {
			a, b = b, a
		}
		id := int32(n + i)
		parent[a], parent[b] = id, id
		size[id] = size[a] + size[b]
		merges[i] = Merge{A: int(a), B: int(b), Height: m.height, Size: int(size[id])}
	}
	return &Dendrogram{N: n, Merges: merges}
}

// Fit builds the tree and cuts it (see Agglomerative). It returns an error
// wrapping ErrBadSettings, ErrInvalidInput, ErrTooFewPoints, ErrTooLarge
// (beyond the linkage's bound, before allocating) or the context's error.
func (a *Agglomerative) Fit(ctx context.Context, x *matrix.Dense) (*Model, error) {
	m, _, err := a.FitTree(ctx, x)
	return m, err
}

// FitTree is Fit that also returns the full dendrogram, which a UI can draw
// and cut again (Dendrogram.Cut, CutHeight) without refitting.
func (a *Agglomerative) FitTree(ctx context.Context, x *matrix.Dense) (m *Model, dg *Dendrogram, err error) {
	defer recoverError(&err)
	if a == nil {
		return nil, nil, fmt.Errorf("%w: nil Agglomerative", ErrBadSettings)
	}
	linkage := a.Linkage
	if linkage == "" {
		linkage = LinkageWard
	}
	if err := checkAggloSettings(a.K, a.DistanceThreshold, linkage, a.Workers); err != nil {
		return nil, nil, err
	}
	if x != nil && x.Rows > 0 {
		if err := checkAggloSize(x.Rows, linkage); err != nil {
			return nil, nil, err
		}
	}
	workers := resolveWorkers(a.Workers)
	if _, err := checkMatrix(x, max(a.K, 1), workers); err != nil {
		return nil, nil, err
	}
	dg, err = buildTree(ctx, x, linkage, workers, a.Progress)
	if err != nil {
		return nil, nil, err
	}
	k := a.K
	if k == 0 {
		k = dg.clustersAt(a.DistanceThreshold)
	}
	labels, err := dg.Cut(k)
	if err != nil {
		return nil, nil, err
	}
	var centers *matrix.Dense
	if linkage == LinkageWard {
		centers = centroids(x, labels, k)
	} else {
		if centers, err = medoids(ctx, x, labels, k, workers); err != nil {
			return nil, nil, err
		}
	}
	return &Model{
		Algorithm:  "agglomerative-" + linkage,
		K:          k,
		Labels:     labels,
		Centers:    centers,
		Inertia:    inertiaTo(x, labels, centers),
		Iterations: x.Rows - 1,
		Converged:  true,
		Predictor:  NearestCenter{Centers: centers},
	}, dg, nil
}

// buildTree runs the linkage's algorithm on the checked matrix x.
func buildTree(ctx context.Context, x *matrix.Dense, linkage string, workers int, progress func(Progress)) (*Dendrogram, error) {
	n := x.Rows
	if n == 1 {
		return &Dendrogram{N: 1}, nil
	}
	report := newMergeReporter(ctx, "agglomerative-"+linkage, n, progress)
	var raw []rawMerge
	var err error
	switch linkage {
	case LinkageWard:
		if n <= wardMatrixRows {
			raw, err = matrixChain[float64](x, LinkageWard, workers, report)
		} else {
			raw, err = wardChain(x, workers, report)
		}
	case LinkageSingle:
		raw, err = primMST(x, workers, report)
	default:
		if x.Rows <= aggloFloat64Rows {
			raw, err = matrixChain[float64](x, linkage, workers, report)
		} else {
			raw, err = matrixChain[float32](x, linkage, workers, report)
		}
	}
	if err != nil {
		return nil, err
	}
	return relabel(n, raw), nil
}

func checkAggloSettings(k int, threshold float64, linkage string, workers int) error {
	switch linkage {
	case LinkageWard, LinkageComplete, LinkageAverage, LinkageSingle:
	default:
		return fmt.Errorf("%w: unknown linkage %q (want ward, complete, average or single)", ErrBadSettings, linkage)
	}
	if k < 0 {
		return fmt.Errorf("%w: K = %d is negative", ErrBadSettings, k)
	}
	if math.IsNaN(threshold) || math.IsInf(threshold, 0) || threshold < 0 {
		return fmt.Errorf("%w: DistanceThreshold = %v must be a finite value >= 0", ErrBadSettings, threshold)
	}
	if (k == 0) == (threshold == 0) {
		return fmt.Errorf("%w: set exactly one of K and DistanceThreshold", ErrBadSettings)
	}
	if workers < 0 {
		return fmt.Errorf("%w: Workers = %d is negative", ErrBadSettings, workers)
	}
	return nil
}

func checkAggloSize(n int, linkage string) error {
	switch linkage {
	case LinkageWard, LinkageSingle:
		if n > AgglomerativeMaxRows {
			return fmt.Errorf("%w: %s linkage takes at most %d rows (O(n²) time), got %d; use BIRCH or mini-batch k-means",
				ErrTooLarge, linkage, AgglomerativeMaxRows, n)
		}
	default:
		if n > AgglomerativeMaxMatrixRows {
			return fmt.Errorf("%w: %s linkage keeps all pairwise distances and takes at most %d rows (512 MiB), got %d; use ward linkage (no distance matrix) or BIRCH",
				ErrTooLarge, linkage, AgglomerativeMaxMatrixRows, n)
		}
	}
	return nil
}

// mergeReporter checks the context and reports progress every so many
// merges.
type mergeReporter struct {
	ctx      context.Context
	algo     string
	n, every int
	progress func(Progress)
	merges   int
}

func newMergeReporter(ctx context.Context, algo string, n int, progress func(Progress)) *mergeReporter {
	return &mergeReporter{ctx: ctx, algo: algo, n: n, every: max(1, (n-1)/100), progress: progress}
}

// merged is called after each merge; it returns the context's error when
// cancelled.
func (r *mergeReporter) merged(inertia float64) error {
	r.merges++
	if r.merges%r.every != 0 && r.merges != r.n-1 {
		return nil
	}
	if err := r.ctx.Err(); err != nil {
		return fmt.Errorf("cluster: %s cancelled after %d merges: %w", r.algo, r.merges, err)
	}
	if r.progress != nil {
		r.progress(Progress{Algorithm: r.algo, Run: 1, Runs: 1, Iteration: r.merges, MaxIter: r.n - 1, Inertia: inertia})
	}
	return nil
}

// argmin is the best item of a scan and its value.
type argmin struct {
	i int
	v float64
}

// scanMinWork is the least work (operations) worth a goroutine in scanMin;
// a variable so that tests can make small scans split.
var scanMinWork = 32768

// scanMin returns the best of scan over [0, m), which costs about work
// operations. With workers > 1 and enough work the range is split in contiguous parts scanned concurrently and combined by
// the least value, ties going to the least key(i) (nil key: to the earlier
// part, right when scan prefers the lowest index), so the answer does not
// depend on workers.
func scanMin(workers, m, work int, key func(i int) int, scan func(lo, hi int) argmin) argmin {
	parts := min(workers, work/scanMinWork, m)
	if parts <= 1 {
		return scan(0, m)
	}
	res := make([]argmin, parts)
	var wg sync.WaitGroup
	var panicked any
	var mu sync.Mutex
	for p := range parts {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					panicked = r
					mu.Unlock()
				}
			}()
			res[p] = scan(p*m/parts, (p+1)*m/parts)
		})
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
	best := res[0]
	for _, r := range res[1:] {
		if r.v < best.v || (key != nil && r.v == best.v && r.i >= 0 && (best.i < 0 || key(r.i) < key(best.i))) {
			best = r
		}
	}
	return best
}

// wardChain runs the nearest-neighbour chain with Ward distances computed
// from the active clusters' centroids and sizes, kept compact (a removed
// cluster's slot is filled by the last one).
func wardChain(x *matrix.Dense, workers int, report *mergeReporter) ([]rawMerge, error) {
	n, d := x.Rows, x.Cols
	cent := slices.Clone(x.Data[:n*d])
	size := make([]float64, n)
	rep := make([]int32, n)  // a row of the cluster in each slot
	slot := make([]int32, n) // slot of the cluster whose representative is row r
	for i := range n {
		size[i] = 1
		rep[i] = int32(i)
		slot[i] = int32(i)
	}
	m := n
	raw := make([]rawMerge, 0, n-1)
	chain := make([]int32, 0, 64) // representative rows
	inertia := 0.0
	wardSq := func(i, j int) float64 {
		ni, nj := size[i], size[j]
		return 2 * ni * nj / (ni + nj) * sqdist(cent[i*d:i*d+d], cent[j*d:j*d+d])
	}
	for m > 1 {
		if len(chain) == 0 {
			chain = append(chain, rep[0])
		}
		var a, b int // slots to merge
		var dist float64
		for {
			a = int(slot[chain[len(chain)-1]])
			prev := -1
			if len(chain) > 1 {
				prev = int(slot[chain[len(chain)-2]])
			}
			ca, na := cent[a*d:a*d+d], size[a]
			best := scanMin(workers, m, m*d, nil, func(lo, hi int) argmin {
				r := argmin{-1, math.Inf(1)}
				try := func(j int, s float64) {
					if j != a {
						nj := size[j]
						if v := 2 * na * nj / (na + nj) * s; v < r.v {
							r = argmin{j, v}
						}
					}
				}
				j := lo
				for ; j+4 <= hi; j += 4 {
					c := cent[j*d : (j+4)*d]
					s0, s1, s2, s3 := sqdist4(ca, c[:d], c[d:2*d], c[2*d:3*d], c[3*d:])
					try(j, s0)
					try(j+1, s1)
					try(j+2, s2)
					try(j+3, s3)
				}
				for ; j < hi; j++ {
					try(j, sqdist(ca, cent[j*d:j*d+d]))
				}
				return r
			})
			if prev >= 0 && wardSq(a, prev) <= best.v {
				best = argmin{prev, wardSq(a, prev)}
			}
			if best.i == prev {
				b, dist = prev, best.v
				break
			}
			chain = append(chain, rep[best.i])
		}
		chain = chain[:len(chain)-2]
		raw = append(raw, rawMerge{x: rep[a], y: rep[b], height: math.Sqrt(dist)})
		inertia += dist / 2
		// The new cluster takes the lower slot; the last slot fills the other.
		lo, hi := min(a, b), max(a, b)
		nl, nh := size[lo], size[hi]
		cl, ch := cent[lo*d:lo*d+d], cent[hi*d:hi*d+d]
		for j := range cl {
			cl[j] = (float64(nl*cl[j]) + float64(nh*ch[j])) / (nl + nh)
		}
		size[lo] = nl + nh
		m--
		if hi != m {
			copy(cent[hi*d:hi*d+d], cent[m*d:m*d+d])
			size[hi] = size[m]
			rep[hi] = rep[m]
			slot[rep[hi]] = int32(hi)
		}
		if err := report.merged(inertia); err != nil {
			return nil, err
		}
	}
	return raw, nil
}

// primMST builds the single-linkage tree as a minimum spanning tree (Prim's
// algorithm on the implicit complete graph), keeping for each row outside
// the tree its squared distance to the tree.
func primMST(x *matrix.Dense, workers int, report *mergeReporter) ([]rawMerge, error) {
	n, d := x.Rows, x.Cols
	// The rows not yet in the tree, kept compact and contiguous (a removed
	// row's place is filled by the last one) so that each scan reads memory
	// in order: their coordinates, ids, squared distance to the tree and
	// the tree row it is measured to.
	rows := slices.Clone(x.Data[:n*d])
	ids := make([]int32, n)
	dmin := make([]float64, n)
	from := make([]int32, n)
	for i := range n {
		ids[i] = int32(i)
		dmin[i] = math.Inf(1)
	}
	remove := func(t, m int) { // m: index of the last live entry
		copy(rows[t*d:t*d+d], rows[m*d:m*d+d])
		ids[t], dmin[t], from[t] = ids[m], dmin[m], from[m]
	}
	raw := make([]rawMerge, 0, n-1)
	cur := make([]float64, d)
	copy(cur, rows[:d])
	curID := int32(0)
	m := n - 1
	remove(0, m)
	for m > 0 {
		best := scanMin(workers, m, m*d, func(t int) int { return int(ids[t]) }, func(lo, hi int) argmin {
			r := argmin{-1, math.Inf(1)}
			try := func(t int, s float64) {
				if s < dmin[t] {
					dmin[t] = s
					from[t] = curID
				}
				if v := dmin[t]; v < r.v || (v == r.v && r.i >= 0 && ids[t] < ids[r.i]) {
					r = argmin{t, v}
				}
			}
			t := lo
			for ; t+4 <= hi; t += 4 {
				c := rows[t*d : (t+4)*d]
				s0, s1, s2, s3 := sqdist4(cur, c[:d], c[d:2*d], c[2*d:3*d], c[3*d:])
				try(t, s0)
				try(t+1, s1)
				try(t+2, s2)
				try(t+3, s3)
			}
			for ; t < hi; t++ {
				try(t, sqdist(cur, rows[t*d:t*d+d]))
			}
			return r
		})
		if best.i < 0 { // unreachable with finite data
			best.i = 0
		}
		t := best.i
		raw = append(raw, rawMerge{x: from[t], y: ids[t], height: math.Sqrt(dmin[t])})
		copy(cur, rows[t*d:t*d+d])
		curID = ids[t]
		m--
		remove(t, m)
		if err := report.merged(0); err != nil {
			return nil, err
		}
	}
	return raw, nil
}

// condensed returns the index of pair i < j in a condensed matrix of n rows.
func condensed(n, i, j int) int {
	return n*i - i*(i+1)/2 + j - i - 1
}

// matrixChain runs the nearest-neighbour chain for complete or average
// linkage on a float32 condensed distance matrix, updated with the
// Lance–Williams formulas; a merged cluster lives on in the higher of its
// two slots, as in scipy.
func matrixChain[T float32 | float64](x *matrix.Dense, linkage string, workers int, report *mergeReporter) ([]rawMerge, error) {
	average, ward := linkage == LinkageAverage, linkage == LinkageWard
	n, d := x.Rows, x.Cols
	dm := make([]T, n*(n-1)/2)
	rowsPerChunk := max(1, chunkRows/max(1, n/64))
	chunks := (n + rowsPerChunk - 1) / rowsPerChunk
	forEachChunk(workers, chunks, func(c int) {
		for i := c * rowsPerChunk; i < min(n, (c+1)*rowsPerChunk); i++ {
			xi := x.Data[i*d : i*d+d]
			base := condensed(n, i, i+1)
			for j := i + 1; j < n; j++ {
				dm[base+j-i-1] = T(math.Sqrt(sqdist(xi, x.Data[j*d:j*d+d])))
			}
		}
	})
	size := make([]int32, n) // 0 for a removed slot
	for i := range n {
		size[i] = 1
	}
	// rowOf returns the distances from slot i to the slots after it.
	rowOf := func(i int) []T {
		base := condensed(n, i, i+1)
		return dm[base : base+n-i-1]
	}
	raw := make([]rawMerge, 0, n-1)
	chain := make([]int32, 0, 64)
	first := 0     // lowest live slot
	inertia := 0.0 // Ward: the within-cluster sum of squares so far
	for merged := 0; merged < n-1; merged++ {
		if len(chain) == 0 {
			for size[first] == 0 {
				first++
			}
			chain = append(chain, int32(first))
		}
		var a, b int
		var h T
		for {
			a = int(chain[len(chain)-1])
			prev := -1
			if len(chain) > 1 {
				prev = int(chain[len(chain)-2])
			}
			ra := rowOf(a)
			// Slots are scanned in increasing order (the lowest slot wins
			// ties), reading the column above a with a fixed stride and the
			// row after it contiguously, as scipy does.
			// A scan reads each distance once: too little work to share
			// between goroutines at the sizes accepted (work = n).
			best := scanMin(workers, n, n, nil, func(lo, hi int) argmin {
				r := argmin{-1, math.Inf(1)}
				j := lo
				if j < a {
					idx := condensed(n, j, a)
					for ; j < min(hi, a); j++ {
						if size[j] != 0 {
							if v := float64(dm[idx]); v < r.v {
								r = argmin{j, v}
							}
						}
						idx += n - j - 2
					}
				}
				for j = max(j, a+1); j < hi; j++ {
					if size[j] != 0 {
						if v := float64(ra[j-a-1]); v < r.v {
							r = argmin{j, v}
						}
					}
				}
				return r
			})
			if prev >= 0 {
				if v := float64(dist(dm, n, a, prev)); v <= best.v {
					best = argmin{prev, v}
				}
			}
			if best.i == prev {
				b, h = prev, T(best.v)
				break
			}
			chain = append(chain, int32(best.i))
		}
		chain = chain[:len(chain)-2]
		raw = append(raw, rawMerge{x: int32(a), y: int32(b), height: float64(h)})
		if ward {
			inertia += float64(h) * float64(h) / 2
		}
		lo, hi := min(a, b), max(a, b) // the merged cluster lives in hi
		nl, nh := T(size[lo]), T(size[hi])
		size[lo] = 0
		// Lance–Williams: the distances of the merged cluster (in slot hi)
		// to every live slot j, walking the condensed matrix with
		// incremental indices.
		lw := func(dl, dh T, j int) T {
			switch {
			case ward: // scipy's _ward
				nk := T(size[j])
				t := 1 / (nl + nh + nk)
				// Each product is converted so that no platform fuses it
				// into a multiply-add: the same bits everywhere.
				return T(math.Sqrt(float64(T((nk+nl)*t*dl*dl) + T((nk+nh)*t*dh*dh) - T(nk*t*h*h))))
			case average:
				return (T(nl*dl) + T(nh*dh)) / (nl + nh)
			}
			return max(dl, dh)
		}
		il, ih := lo-1, hi-1 // condensed(n, 0, lo), condensed(n, 0, hi)
		for j := range lo {
			if size[j] != 0 {
				dm[ih] = lw(dm[il], dm[ih], j)
			}
			il += n - j - 2
			ih += n - j - 2
		}
		// lo < j < hi: (lo, j) along lo's row, (j, hi) down hi's column.
		il = condensed(n, lo, lo+1)
		if lo+1 < hi {
			ih = condensed(n, lo+1, hi)
		}
		for j := lo + 1; j < hi; j++ {
			if size[j] != 0 {
				dm[ih] = lw(dm[il], dm[ih], j)
			}
			il++
			ih += n - j - 2
		}
		// j > hi: both along rows.
		if hi+1 < n {
			rl, rh := rowOf(lo)[hi-lo:], rowOf(hi)
			for t := range rh {
				if size[hi+1+t] != 0 {
					rh[t] = lw(rl[t], rh[t], hi+1+t)
				}
			}
		}
		size[hi] += int32(nl)
		if err := report.merged(inertia); err != nil {
			return nil, err
		}
	}
	return raw, nil
}

// dist returns the distance between slots i != j of the condensed matrix.
func dist[T float32 | float64](dm []T, n, i, j int) T {
	if i > j {
		i, j = j, i
	}
	return dm[condensed(n, i, j)]
}

// centroids returns the k×d matrix of cluster means.
func centroids(x *matrix.Dense, labels []int, k int) *matrix.Dense {
	d := x.Cols
	c := matrix.New(k, d)
	cnt := make([]float64, k)
	for i, l := range labels {
		row := c.Data[l*d : l*d+d]
		for j, v := range x.Data[i*d : i*d+d] {
			row[j] += v
		}
		cnt[l]++
	}
	for l := range k {
		for j := range d {
			c.Data[l*d+j] /= cnt[l]
		}
	}
	return c
}

// medoidSampleRows is the most rows of a cluster whose distances decide its
// medoid; see medoids.
const medoidSampleRows = 2048

// medoids returns, for each cluster, the row with the least sum of
// Euclidean distances to the rows of its cluster (the lowest row on ties).
// A cluster of more than medoidSampleRows rows takes instead the row with
// the least sum of distances to an evenly spaced sample of medoidSampleRows
// of its rows (every row is a candidate): O(N·2048·d) rather than up to
// O(N²·d), the exact medoid of the sample's distance sums.
//
// It uses the bound of Newling and Fleuret's trimed: once the sum S_j of a
// row j is known, any row i of the same N-row cluster has a sum of at least
// |S_j − N·d(i, j)| (triangle inequality). Rows are visited in order of
// distance to the cluster's centroid, near which the medoid lies, and a
// row's sum is computed only if its bound does not rule it out; each
// computed sum costs one pass over the cluster, which also tightens every
// bound. On low-dimensional data a handful of passes suffice; at worst it
// is the O(N²·d) of computing every sum. Memory: O(N) per cluster.
func medoids(ctx context.Context, x *matrix.Dense, labels []int, k, workers int) (*matrix.Dense, error) {
	d := x.Cols
	members := make([][]int32, k)
	for i, l := range labels {
		members[l] = append(members[l], int32(i))
	}
	cent := centroids(x, labels, k)
	out := matrix.New(k, d)
	for l, ms := range members {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cluster: medoids cancelled: %w", err)
		}
		nm := len(ms)
		if nm == 0 {
			continue
		}
		row := func(p int) []float64 { i := int(ms[p]); return x.Data[i*d : i*d+d] }
		if nm > medoidSampleRows {
			copy(out.Data[l*d:l*d+d], row(sampledMedoid(x, ms, workers)))
			continue
		}
		toCent := make([]float64, nm)
		byCent := make([]int32, nm)
		for p := range nm {
			toCent[p] = sqdist(row(p), cent.Data[l*d:l*d+d])
			byCent[p] = int32(p)
		}
		order.SortFunc(byCent, func(a, b int32) int {
			switch {
			case toCent[a] < toCent[b]:
				return -1
			case toCent[a] > toCent[b]:
				return 1
			}
			return int(a - b)
		})
		lower := toCent // reused: the lower bound of each row's sum
		clear(lower)
		dist := make([]float64, nm)
		chunks := numChunks(nm)
		part := make([]float64, chunks)
		best, bestS := -1, math.Inf(1)
		for _, p := range byCent {
			// The slack covers rounding in the sums and bounds.
			if best >= 0 && lower[p] > bestS*(1+1e-9) {
				continue
			}
			xp := row(int(p))
			forEachChunk(workers, chunks, func(c int) {
				lo, hi := chunkBounds(c, nm)
				s := 0.0
				for q := lo; q < hi; q++ {
					v := math.Sqrt(sqdist(xp, row(q)))
					dist[q] = v
					s += v
				}
				part[c] = s
			})
			sum := 0.0
			for _, v := range part {
				sum += v
			}
			if sum < bestS || (sum == bestS && ms[p] < ms[best]) {
				best, bestS = int(p), sum
			}
			fn := float64(nm)
			for q, v := range dist {
				lower[q] = max(lower[q], math.Abs(sum-float64(fn*v)))
			}
		}
		copy(out.Data[l*d:l*d+d], row(best))
	}
	return out, nil
}

// sampledMedoid returns the position in ms of the row with the least sum of
// Euclidean distances to medoidSampleRows rows of ms spaced evenly (the
// lowest position on ties).
func sampledMedoid(x *matrix.Dense, ms []int32, workers int) int {
	d, nm := x.Cols, len(ms)
	sample := make([]float64, 0, medoidSampleRows*d)
	for t := range medoidSampleRows {
		i := int(ms[t*nm/medoidSampleRows])
		sample = append(sample, x.Data[i*d:i*d+d]...)
	}
	chunks := numChunks(nm)
	bestP, bestS := make([]int, chunks), make([]float64, chunks)
	forEachChunk(workers, chunks, func(c int) {
		lo, hi := chunkBounds(c, nm)
		bestP[c], bestS[c] = -1, math.Inf(1)
		buf := make([]float64, medoidSampleRows)
		for p := lo; p < hi; p++ {
			i := int(ms[p])
			distances(x.Data[i*d:i*d+d], sample, buf)
			s := 0.0
			for _, v := range buf {
				s += math.Sqrt(v)
			}
			if s < bestS[c] {
				bestP[c], bestS[c] = p, s
			}
		}
	})
	best := 0
	for c := range chunks {
		if bestS[c] < bestS[best] {
			best = c
		}
	}
	return bestP[best]
}

// inertiaTo returns the sum of squared distances of the rows to the centre
// of their cluster.
func inertiaTo(x *matrix.Dense, labels []int, centers *matrix.Dense) float64 {
	d := x.Cols
	s := 0.0
	for i, l := range labels {
		s += sqdist(x.Data[i*d:i*d+d], centers.Data[l*d:l*d+d])
	}
	return s
}
