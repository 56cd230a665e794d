package cluster

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/order"
)

// MeanShiftBandwidthRows is the most rows the bandwidth estimate of
// [MeanShift] looks at; larger inputs are subsampled to this many rows.
const MeanShiftBandwidthRows = 10000

// MeanShift is mean-shift clustering with a flat kernel and bin seeding,
// following scikit-learn 1.2's MeanShift(bin_seeding=True): seeds are the
// centres of the occupied cells of a grid of side Bandwidth (cells holding
// at least MinBinFreq rows; when every row has a cell of its own, the rows
// themselves are the seeds, as in scikit-learn); each seed moves to the mean
// of the rows within Bandwidth of it (distance <= Bandwidth) until it moves
// less than 1e-3·Bandwidth or MaxIter iterations pass. The resulting modes
// are sorted by decreasing intensity (rows within Bandwidth at the last step;
// ties by decreasing coordinates), and a mode within Bandwidth of a
// higher-ranked kept mode is dropped. Each row joins its nearest mode (or is
// noise beyond Bandwidth when LeaveOrphans is set). Clusters are numbered
// in that ranking, as in scikit-learn.
//
// When Bandwidth is 0 it is estimated as scikit-learn's estimate_bandwidth
// does: the mean over rows of the distance to the ⌊Quantile·n⌋-th nearest
// row (the row itself counting as the first). That costs O(n²·d); above
// [MeanShiftBandwidthRows] rows the estimate uses that many rows drawn
// without replacement with Seed (scikit-learn's n_samples argument), and
// the neighbours are sought among the drawn rows only.
//
// Time: O(m²·d) for the estimate (m = min(n, MeanShiftBandwidthRows)), plus
// per seed and iteration a radius query on a k-d tree whose nodes keep
// coordinate sums, so boxes wholly inside the window are added without
// visiting their rows — at worst O(n·d) per query. Memory: O(n·d) beyond the
// input (the tree's copy of the rows and node sums) plus O(m) per worker.
// Inputs beyond [DBSCANMaxValues] values are refused with ErrTooLarge.
//
// Predict assigns a new point to the nearest mode ([NearestMode]).
type MeanShift struct {
	// Bandwidth is the radius of the flat kernel and the grid's cell size;
	// 0 means estimated from the data (see above). It must not be negative.
	Bandwidth float64
	// Quantile sets the neighbour used by the bandwidth estimate; 0 means
	// 0.3 (scikit-learn's default). It must be in [0, 1].
	Quantile float64
	// MinBinFreq is the fewest rows a grid cell needs to seed; 0 means 1.
	MinBinFreq int
	// MaxIter limits the iterations of each seed; 0 means 300.
	MaxIter int
	// LeaveOrphans, when true, labels rows farther than Bandwidth from
	// every mode as noise (-1), like scikit-learn's cluster_all=False. The
	// default, false, assigns every row to its nearest mode
	// (cluster_all=True).
	LeaveOrphans bool
	// Seed draws the rows of the bandwidth estimate on inputs larger than
	// MeanShiftBandwidthRows; results are identical natively and in the
	// browser.
	Seed uint64
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// The result does not depend on it.
	Workers int
	// Progress, if not nil, is called after the bandwidth estimate
	// (Iteration 1) and after the seeds have converged (Iteration 2), from
	// the goroutine that called Fit.
	Progress func(Progress)
}

// Fit clusters the rows of x. It returns an error wrapping ErrBadSettings,
// ErrInvalidInput (a NaN or infinite value, or all rows equal so that the
// estimated bandwidth is 0), ErrTooFewPoints (no rows) or ErrTooLarge, or the
// context's error if ctx is cancelled.
func (ms *MeanShift) Fit(ctx context.Context, x *matrix.Dense) (m *Model, err error) {
	defer recoverError(&err)
	if ms == nil {
		return nil, fmt.Errorf("%w: nil MeanShift", ErrBadSettings)
	}
	bw, q := ms.Bandwidth, ms.Quantile
	if q == 0 {
		q = 0.3
	}
	switch {
	case bw < 0 || math.IsNaN(bw) || math.IsInf(bw, 0):
		return nil, fmt.Errorf("%w: Bandwidth is %v, want >= 0", ErrBadSettings, bw)
	case q < 0 || q > 1 || math.IsNaN(q):
		return nil, fmt.Errorf("%w: Quantile is %v, want a value in [0, 1]", ErrBadSettings, q)
	case ms.MinBinFreq < 0 || ms.MaxIter < 0 || ms.Workers < 0:
		return nil, fmt.Errorf("%w: MinBinFreq, MaxIter and Workers must not be negative", ErrBadSettings)
	}
	minFreq, maxIter := cmp0(ms.MinBinFreq, 1), cmp0(ms.MaxIter, 300)
	workers := resolveWorkers(ms.Workers)
	if _, _, err := densityIndex(x, Euclidean, workers, "MeanShift", "MiniBatchKMeans"); err != nil {
		return nil, err
	}
	n, d := x.Rows, x.Cols
	if bw == 0 {
		bw = estimateBandwidth(x, q, ms.Seed, workers, MeanShiftBandwidthRows)
		if !(bw > 0) {
			return nil, fmt.Errorf("%w: estimated bandwidth is 0 (too many equal rows); set Bandwidth", ErrInvalidInput)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("cluster: mean-shift cancelled: %w", err)
	}
	if ms.Progress != nil {
		ms.Progress(Progress{Algorithm: "meanshift", Run: 1, Runs: 1, Iteration: 1, MaxIter: 2})
	}

	seeds := binSeeds(x, bw, minFreq)
	ns := len(seeds) / d
	t := newKDTree(x.Data, n, d, false, true, false)
	rk := bw * bw
	stop := 1e-3 * bw
	modes := make([]float64, ns*d)
	counts := make([]int, ns)
	iters := make([]int, ns)
	const perChunk = 8
	var cancelled error
	var mu sync.Mutex
	forEachChunk(workers, (ns+perChunk-1)/perChunk, func(c int) {
		if ctx.Err() != nil {
			mu.Lock()
			cancelled = ctx.Err()
			mu.Unlock()
			return
		}
		sum := make([]float64, d)
		for s := c * perChunk; s < min(ns, (c+1)*perChunk); s++ {
			mean := modes[s*d : s*d+d]
			copy(mean, seeds[s*d:s*d+d])
			it := 0
			for {
				clear(sum)
				cnt := t.sumWithin(mean, rk, sum)
				if cnt == 0 {
					break
				}
				counts[s] = cnt
				shift := 0.0
				for j := range mean {
					v := sum[j] / float64(cnt)
					dv := v - mean[j]
					shift += float64(dv * dv)
					mean[j] = v
				}
				if math.Sqrt(shift) < stop || it == maxIter {
					break
				}
				it++
			}
			iters[s] = it
		}
	})
	if cancelled != nil {
		return nil, fmt.Errorf("cluster: mean-shift cancelled: %w", cancelled)
	}
	maxIt := 0
	for _, it := range iters {
		maxIt = max(maxIt, it)
	}

	// Distinct modes with rows, ranked by intensity then coordinates.
	byCount := make([]int, 0, ns)
	for s := range ns {
		if counts[s] > 0 {
			byCount = append(byCount, s)
		}
	}
	if len(byCount) == 0 {
		return nil, fmt.Errorf("%w: no seed has rows within Bandwidth %v; increase it", ErrBadSettings, bw)
	}
	cmpMode := func(a, b int) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return slices.Compare(modes[b*d:b*d+d], modes[a*d:a*d+d])
	}
	order.SortFunc(byCount, cmpMode)
	// Equal modes count once (scikit-learn keys them in a dict).
	byCount = slices.CompactFunc(byCount, func(a, b int) bool {
		return slices.Equal(modes[a*d:a*d+d], modes[b*d:b*d+d])
	})
	cand := make([]float64, len(byCount)*d)
	for i, s := range byCount {
		copy(cand[i*d:], modes[s*d:s*d+d])
	}
	ct := newKDTree(cand, len(byCount), d, false, false, false)
	unique := make([]bool, len(byCount))
	for i := range unique {
		unique[i] = true
	}
	for i := range byCount {
		if !unique[i] {
			continue
		}
		ct.forEachWithin(cand[i*d:i*d+d], rk, func(p int32) { unique[ct.idx[p]] = false })
		unique[i] = true
	}
	var kept []float64
	for i := range byCount {
		if unique[i] {
			kept = append(kept, cand[i*d:i*d+d]...)
		}
	}
	k := len(kept) / d
	centers := &matrix.Dense{Rows: k, Cols: d, Data: kept}
	labels := make([]int, n)
	dists := make([]float64, n)
	forEachChunk(workers, numChunks(n), func(c int) {
		lo, hi := chunkBounds(c, n)
		for i := lo; i < hi; i++ {
			best, bestSq := 0, math.Inf(1)
			row := x.Data[i*d : i*d+d]
			for j := range k {
				if s := sqdist(row, kept[j*d:j*d+d]); s < bestSq {
					best, bestSq = j, s
				}
			}
			labels[i], dists[i] = best, bestSq
		}
	})
	inertia := 0.0
	for i := range n {
		if ms.LeaveOrphans && math.Sqrt(dists[i]) > bw {
			labels[i] = -1
			continue
		}
		inertia += dists[i]
	}
	if ms.Progress != nil {
		ms.Progress(Progress{Algorithm: "meanshift", Run: 1, Runs: 1, Iteration: 2, MaxIter: 2, Inertia: inertia})
	}
	var radius float64
	if ms.LeaveOrphans {
		radius = bw
	}
	return &Model{
		Algorithm: "meanshift", K: k, Labels: labels, Centers: centers, Inertia: inertia,
		Iterations: maxIt, Converged: maxIt < maxIter,
		Predictor: NearestMode{Centers: centers, Radius: radius},
	}, nil
}

// estimateBandwidth is scikit-learn's estimate_bandwidth: the mean over rows
// of the distance to the max(1, ⌊q·m⌋)-th nearest of m rows (itself
// first), m = min(n, maxRows) rows drawn with seed when n is larger.
func estimateBandwidth(x *matrix.Dense, q float64, seed uint64, workers, maxRows int) float64 {
	n, d := x.Rows, x.Cols
	pts := x.Data[:n*d]
	m := n
	if n > maxRows {
		m = maxRows
		rng := rand.New(rand.NewPCG(seed, 0xba4d))
		perm := rng.Perm(n)[:m]
		pts = make([]float64, m*d)
		for i, r := range perm {
			copy(pts[i*d:], x.Data[r*d:r*d+d])
		}
	}
	k := max(1, int(float64(m)*q))
	const perChunk = 64
	chunks := (m + perChunk - 1) / perChunk
	part := make([]float64, chunks)
	forEachChunk(workers, chunks, func(c int) {
		buf := make([]float64, m)
		for i := c * perChunk; i < min(m, (c+1)*perChunk); i++ {
			row := pts[i*d : i*d+d]
			for j := range m {
				buf[j] = sqdist(row, pts[j*d:j*d+d])
			}
			part[c] += math.Sqrt(selectKth(buf, k-1))
		}
	})
	total := 0.0
	for _, v := range part {
		total += v
	}
	return total / float64(m)
}

// selectKth returns the k-th smallest (0-based) value of a, reordering it,
// with Floyd and Rivest's SELECT (about 1.5·len(a) comparisons).
func selectKth(a []float64, k int) float64 {
	floydRivest(a, 0, len(a)-1, k)
	return a[k]
}

func floydRivest(a []float64, left, right, k int) {
	for right > left {
		if right-left > 600 {
			n := float64(right - left + 1)
			i := float64(k - left + 1)
			z := math.Log(n)
			s := 0.5 * math.Exp(2*z/3)
			sd := 0.5 * math.Sqrt(z*s*(n-s)/n)
			if i < n/2 {
				sd = -sd
			}
			newLeft := max(left, int(float64(k)-i*s/n+sd))
			newRight := min(right, int(float64(k)+(n-i)*s/n+sd))
			floydRivest(a, newLeft, newRight, k)
		}
		t := a[k]
		i, j := left, right
		a[left], a[k] = a[k], a[left]
		if a[right] > t {
			a[right], a[left] = a[left], a[right]
		}
		for i < j {
			a[i], a[j] = a[j], a[i]
			i++
			j--
			for a[i] < t {
				i++
			}
			for a[j] > t {
				j--
			}
		}
		if a[left] == t {
			a[left], a[j] = a[j], a[left]
		} else {
			j++
			a[j], a[right] = a[right], a[j]
		}
		if j <= k {
			left = j + 1
		}
		if k <= j {
			right = j - 1
		}
	}
}

// binSeeds returns scikit-learn's get_bin_seeds: the grid cells (rounded
// row/size, half to even as numpy rounds) holding at least minFreq rows, in
// order of first occupation, scaled back by size; or the rows themselves when
// every row has a cell of its own.
func binSeeds(x *matrix.Dense, size float64, minFreq int) []float64 {
	n, d := x.Rows, x.Cols
	type cell struct {
		first int // row
		count int
	}
	index := make(map[string]int, n/4)
	var cells []cell
	key := make([]byte, 8*d)
	bins := make([]float64, n*d)
	for i := range n {
		for j, v := range x.Data[i*d : i*d+d] {
			b := math.RoundToEven(v / size)
			bins[i*d+j] = b
			u := math.Float64bits(b + 0) // +0 folds -0 into 0
			for s := range 8 {
				key[8*j+s] = byte(u >> (8 * s))
			}
		}
		if c, ok := index[string(key)]; ok {
			cells[c].count++
			continue
		}
		index[string(key)] = len(cells)
		cells = append(cells, cell{first: i, count: 1})
	}
	var seeds []float64
	for _, c := range cells {
		if c.count >= minFreq {
			for _, b := range bins[c.first*d : c.first*d+d] {
				seeds = append(seeds, float64(float32(b))*size)
			}
		}
	}
	if len(seeds) == n*d {
		return slices.Clone(x.Data[:n*d])
	}
	return seeds
}

// NearestMode is the prediction rule of [MeanShift]: a new point joins the
// nearest mode (the lowest index on ties), at the Euclidean distance to it;
// when Radius > 0 (MeanShift.LeaveOrphans), a point farther than Radius from
// every mode is noise (-1). Probabilities is nil.
type NearestMode struct {
	// Centers holds the modes, one per row.
	Centers *matrix.Dense
	// Radius is the bandwidth beyond which a point is noise; 0 means no
	// limit.
	Radius float64
}

// Dim returns the number of values a point must have.
func (nm NearestMode) Dim() int { return NearestCenter{Centers: nm.Centers}.Dim() }

// Predict returns the nearest mode, or -1 beyond Radius.
func (nm NearestMode) Predict(x []float64) (Assignment, error) {
	a, err := NearestCenter{Centers: nm.Centers}.Predict(x)
	if err == nil && nm.Radius > 0 && a.Distance > nm.Radius {
		a.Label = -1
	}
	return a, err
}
