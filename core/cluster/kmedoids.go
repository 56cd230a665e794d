package cluster

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"

	"github.com/segkit/segkit/core/matrix"
)

// MaxKMedoidsRows is the most rows KMedoids accepts: it keeps every pairwise
// distance, n(n-1)/2 float32 values, which is 200 MB at 10,000 rows.
const MaxKMedoidsRows = 10000

// KMedoids is k-medoids clustering on Gower's distance (see [Gower]) for
// rows mixing numeric and categorical columns: it chooses K rows, the
// medoids, minimising the sum over rows of the Gower distance to the nearest
// medoid. Numeric columns are range-normalised by their training range (no
// scaling is needed beforehand), categorical columns count 0 on equal codes
// and 1 otherwise, and the per-column terms are averaged (with Weights, if
// given).
//
// Methods:
//   - "fasterpam" (or ""): FasterPAM (Schubert and Rousseeuw, 2021), the
//     PAM swap phase with eager swapping: the rows are visited in turn, each
//     non-medoid row is evaluated as a replacement for every medoid at once
//     in O(n) (an O(K) saving over PAM), and the best improving swap is made
//     at once; it stops after a full pass over the rows with no improving
//     swap (a local optimum of single swaps, like PAM's) or MaxIter passes.
//   - "alternate": Voronoi iteration ("k-means style"): assign every row to
//     its nearest medoid, then make each cluster's medoid the row with the
//     least total distance to its cluster, until the medoids stop changing.
//     Faster per iteration but usually a worse optimum than FasterPAM.
//
// Memory: the condensed matrix of pairwise distances, 2·n(n-1) bytes
// (float32; 200 MB at n = 10,000), plus O(n) per-row state. Inputs above
// MaxKMedoidsRows rows are refused with ErrTooLarge before anything is
// allocated (use KPrototypes, which is O(n) in memory). Time: the matrix is
// O(n²·d) (shared among Workers); BUILD is O(n²·K); a FasterPAM pass is
// O(n²), usually a few passes; an "alternate" iteration is O(Σ cluster
// size²).
type KMedoids struct {
	// K is the number of clusters; required, > 0 and at most the number of
	// rows.
	K int
	// Categorical marks the categorical columns (one entry per column; true
	// means the column holds category codes, whole numbers >= 0). nil means
	// all columns are numeric (Gower is then the range-normalised Manhattan
	// distance divided by d).
	Categorical []bool
	// Weights holds one weight >= 0 per column for Gower's mean (not all
	// 0); nil weights the columns equally.
	Weights []float64
	// Method is "fasterpam" (or "") or "alternate"; see above.
	Method string
	// Init chooses the initial medoids:
	//   - "build" (or ""): PAM's BUILD, greedy and deterministic: first the
	//     row of least total distance, then each time the row that lowers the
	//     total distance most (the lowest row on ties).
	//   - "k-medoids++": the first medoid a uniformly drawn row, each next one
	//     drawn with probability proportional to its distance to the nearest
	//     chosen medoid (k-means++ with distances, not squared distances).
	//   - "random": K distinct rows drawn uniformly.
	Init string
	// MaxIter limits FasterPAM's passes over the rows, or the "alternate"
	// iterations; 0 means 100.
	MaxIter int
	// Seed makes "k-medoids++" and "random" reproducible: the same data,
	// settings and Seed give identical labels natively and in the browser.
	Seed uint64
	// Workers is the number of goroutines computing the distance matrix; 0
	// means runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Progress, if not nil, is called once per pass (FasterPAM) or
	// iteration ("alternate"), from the goroutine that called Fit, with
	// Inertia the current total distance.
	Progress func(Progress)
}

// Fit clusters the rows of x. The returned Model's Centers hold the medoid
// rows (as given), Inertia the sum of the Gower distances of the rows to
// their medoid, and its Predictor is a [MedoidPredictor] (which also holds
// the medoids' row indices). Fit returns an error wrapping ErrBadSettings,
// ErrInvalidInput (a NaN or infinite value, or a categorical cell that is
// not a whole number >= 0, with its row and column), ErrTooFewPoints,
// ErrTooLarge (more than MaxKMedoidsRows rows), or the context's error if
// ctx is cancelled (checked between passes and during long steps).
func (km *KMedoids) Fit(ctx context.Context, x *matrix.Dense) (m *Model, err error) {
	defer recoverError(&err)
	if km == nil {
		return nil, fmt.Errorf("%w: nil KMedoids", ErrBadSettings)
	}
	if err := checkKMeansSettings(km.K, 0, km.MaxIter, 0, km.Workers); err != nil {
		return nil, err
	}
	switch km.Method {
	case "", "fasterpam", "alternate":
	default:
		return nil, fmt.Errorf("%w: Method = %q, want \"fasterpam\" or \"alternate\"", ErrBadSettings, km.Method)
	}
	switch km.Init {
	case "", "build", "k-medoids++", "random":
	default:
		return nil, fmt.Errorf("%w: Init = %q, want \"build\", \"k-medoids++\" or \"random\"", ErrBadSettings, km.Init)
	}
	if x != nil {
		if err := checkMask(km.Categorical, x.Cols); err != nil {
			return nil, err
		}
		if err := checkWeights(km.Weights, x.Cols); err != nil {
			return nil, err
		}
		if x.Rows > MaxKMedoidsRows {
			return nil, fmt.Errorf("%w: k-medoids keeps all pairwise distances and accepts at most %d rows (%d MB), got %d; use KPrototypes, which needs O(n) memory",
				ErrTooLarge, MaxKMedoidsRows, condensedLen(MaxKMedoidsRows)*4>>20, x.Rows)
		}
	}
	workers := resolveWorkers(km.Workers)
	if _, err := checkMatrix(x, km.K, workers); err != nil {
		return nil, err
	}
	if err := checkCategorical(x, km.Categorical); err != nil {
		return nil, err
	}
	var mask []bool
	var weights []float64
	if km.Categorical != nil {
		mask = slices.Clone(km.Categorical)
	}
	if km.Weights != nil {
		weights = slices.Clone(km.Weights)
	}
	g := Gower{Categorical: mask, Ranges: columnRanges(x, mask), Weights: weights}
	dm, err := newDistMatrix(ctx, x, newGowerCoef(g), workers)
	if err != nil {
		return nil, fmt.Errorf("cluster: kmedoids: %w", err)
	}
	maxIter := cmp0(km.MaxIter, 100)
	pm := &pamState{dm: dm, n: x.Rows, k: km.K}
	rng := rand.New(rand.NewPCG(km.Seed, 0))
	switch km.Init {
	case "", "build":
		err = pm.build(ctx)
	case "k-medoids++":
		pm.plusPlus(rng)
	case "random":
		pm.med = rng.Perm(pm.n)[:pm.k]
	}
	if err != nil {
		return nil, fmt.Errorf("cluster: kmedoids init: %w", err)
	}
	var progress func(int, float64)
	if km.Progress != nil {
		progress = func(iter int, loss float64) {
			km.Progress(Progress{Algorithm: "kmedoids", Run: 1, Runs: 1,
				Iteration: iter, MaxIter: maxIter, Inertia: loss})
		}
	}
	var r kmRun
	if km.Method == "alternate" {
		r, err = pm.alternate(ctx, maxIter, progress)
	} else {
		r, err = pm.fasterPAM(ctx, maxIter, progress)
	}
	if err != nil {
		return nil, fmt.Errorf("cluster: kmedoids: %w", err)
	}
	d := x.Cols
	centers := matrix.New(pm.k, d)
	for c, i := range pm.med {
		copy(centers.Data[c*d:c*d+d], x.Data[i*d:i*d+d])
	}
	// The final labels follow the prediction rule (float64 Gower distances;
	// the search used the float32 matrix), so a saved model gives every
	// training row its label.
	pred := &MedoidPredictor{Gower: g, Medoids: centers, Rows: slices.Clone(pm.med)}
	labels := make([]int, x.Rows)
	r.inertia = 0
	for i := range x.Rows {
		c, dist := pred.nearest(x.Data[i*d : i*d+d])
		labels[i] = c
		r.inertia += dist
	}
	return &Model{
		Algorithm:  "kmedoids",
		K:          pm.k,
		Labels:     labels,
		Centers:    centers,
		Inertia:    r.inertia,
		Iterations: r.iterations,
		Converged:  r.converged,
		Predictor:  pred,
	}, nil
}

func checkWeights(w []float64, d int) error {
	if w == nil {
		return nil
	}
	if len(w) != d {
		return fmt.Errorf("%w: Weights has %d entries for %d columns", ErrBadSettings, len(w), d)
	}
	s := 0.0
	for j, v := range w {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: Weights[%d] = %v, want a finite value >= 0", ErrBadSettings, j, v)
		}
		s += v
	}
	if s == 0 {
		return fmt.Errorf("%w: all Weights are 0", ErrBadSettings)
	}
	return nil
}

// MedoidPredictor is the prediction rule of k-medoids: a point joins the
// medoid at the least Gower distance (computed with the training ranges; the
// lowest index on ties), and Distance is that Gower distance. A category
// code not seen in training is valid and mismatches every medoid.
type MedoidPredictor struct {
	// Gower is the distance, with the training ranges, mask and weights.
	Gower Gower
	// Medoids holds the medoid rows, one per cluster.
	Medoids *matrix.Dense
	// Rows holds the training row index of each medoid (informational).
	Rows []int
}

// Dim returns the number of values a point must have.
func (p *MedoidPredictor) Dim() int {
	if p == nil || p.Medoids == nil {
		return 0
	}
	return p.Medoids.Cols
}

// Predict returns the nearest medoid to x by Gower distance. It returns an
// error wrapping ErrInvalidInput for a point of the wrong length, a
// non-finite value or a categorical value that is not a whole number >= 0.
func (p *MedoidPredictor) Predict(x []float64) (Assignment, error) {
	if p == nil || p.Medoids == nil || p.Medoids.Rows == 0 || len(p.Medoids.Data) < p.Medoids.Rows*p.Medoids.Cols {
		return Assignment{}, fmt.Errorf("%w: no medoids", ErrNotInductive)
	}
	d := p.Medoids.Cols
	if err := checkPoint(x, d); err != nil {
		return Assignment{}, err
	}
	if len(p.Gower.Ranges) != d || checkMask(p.Gower.Categorical, d) != nil || checkWeights(p.Gower.Weights, d) != nil {
		return Assignment{}, fmt.Errorf("%w: the Gower settings do not match the %d columns of the medoids", ErrNotInductive, d)
	}
	if err := checkCategoricalPoint(x, p.Gower.Categorical); err != nil {
		return Assignment{}, err
	}
	best, bestD := p.nearest(x)
	return Assignment{Label: best, Distance: bestD}, nil
}

// nearest returns the medoid at the least Gower distance from the checked
// point x (the lowest index on ties) and that distance.
func (p *MedoidPredictor) nearest(x []float64) (best int, bestD float64) {
	d := p.Medoids.Cols
	bestD = math.Inf(1)
	for c := range p.Medoids.Rows {
		if v := p.Gower.Distance(x, p.Medoids.Data[c*d:c*d+d]); v < bestD {
			best, bestD = c, v
		}
	}
	return best, bestD
}

// condensedLen is the number of pairs of n rows.
func condensedLen(n int) int { return n * (n - 1) / 2 }

// distMatrix is the condensed (upper triangle, row-major) matrix of pairwise
// distances: d(i, j), i < j, is at i·n - i(i+1)/2 + j - i - 1.
type distMatrix struct {
	n int
	d []float32
}

func (m *distMatrix) rowStart(i int) int { return i*m.n - i*(i+1)/2 - i - 1 }

func (m *distMatrix) at(i, j int) float32 {
	if i == j {
		return 0
	}
	if i > j {
		i, j = j, i
	}
	return m.d[m.rowStart(i)+j]
}

// row writes d(i, ·) to out (n values).
func (m *distMatrix) row(i int, out []float32) {
	for o := range i {
		out[o] = m.d[m.rowStart(o)+i]
	}
	out[i] = 0
	s := m.rowStart(i)
	copy(out[i+1:], m.d[s+i+1:s+m.n])
}

// rowBlock writes the rows d(j, ·) of j = j0..j1-1 to out, row j at
// out[(j-j0)·n:]. For o < j0 the values d(o, j0..j1-1) are contiguous in
// the condensed matrix, so one sweep reads each cache line once for the
// whole block, instead of one cache miss per value when rows are gathered
// one at a time.
func (m *distMatrix) rowBlock(j0, j1 int, out []float32) {
	n, b := m.n, j1-j0
	for o := range j0 {
		seg := m.d[m.rowStart(o)+j0 : m.rowStart(o)+j1]
		for t, v := range seg {
			out[t*n+o] = v
		}
	}
	for t := range b {
		j := j0 + t
		row := out[t*n : t*n+n]
		for o := j0; o < j1; o++ {
			row[o] = m.at(j, o)
		}
		s := m.rowStart(j)
		copy(row[j1:], m.d[s+j1:s+n])
	}
}

// pamBlock is the number of candidate rows FasterPAM gathers at once.
const pamBlock = 64

// distBlock is the number of rows of the distance matrix computed as one
// unit of parallel work.
const distBlock = 64

func newDistMatrix(ctx context.Context, x *matrix.Dense, gc gowerCoef, workers int) (*distMatrix, error) {
	n, d := x.Rows, x.Cols
	m := &distMatrix{n: n, d: make([]float32, condensedLen(n))}
	// Blocks of distBlock rows, handed out dynamically (later blocks are
	// shorter).
	blocks := (n + distBlock - 1) / distBlock
	var cancelled atomic.Bool
	forEachChunk(workers, blocks, func(b int) {
		if b%16 == 0 && ctx.Err() != nil {
			cancelled.Store(true)
		}
		if cancelled.Load() {
			return
		}
		for i := b * distBlock; i < min((b+1)*distBlock, n); i++ {
			xi := x.Data[i*d : i*d+d]
			s := m.rowStart(i)
			for j := i + 1; j < n; j++ {
				m.d[s+j] = float32(gc.dist(xi, x.Data[j*d:j*d+d]))
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("cancelled while computing distances: %w", err)
	}
	return m, nil
}

// pamState holds the medoids and, for FasterPAM, each row's nearest and
// second-nearest medoid.
type pamState struct {
	dm   *distMatrix
	n, k int
	med  []int // row of each medoid
	// Per row: index (into med) and distance of the nearest and second
	// nearest medoid.
	nearI, secI []int32
	nearD, secD []float32
}

// build runs PAM's BUILD.
func (pm *pamState) build(ctx context.Context) error {
	n, dm := pm.n, pm.dm
	// First medoid: least total distance. Each pair is read once, in order.
	sums := make([]float64, n)
	for i := range n {
		s := dm.rowStart(i)
		for j := i + 1; j < n; j++ {
			v := float64(dm.d[s+j])
			sums[i] += v
			sums[j] += v
		}
	}
	first := 0
	for i, v := range sums {
		if v < sums[first] {
			first = i
		}
	}
	pm.med = []int{first}
	near := make([]float32, n)
	isMed := make([]bool, n)
	isMed[first] = true
	row := make([]float32, n)
	dm.row(first, row)
	copy(near, row)
	gain := sums
	for len(pm.med) < pm.k {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("cancelled while choosing medoid %d: %w", len(pm.med)+1, err)
		}
		clear(gain)
		for i := range n {
			s := dm.rowStart(i)
			ni := near[i]
			for j := i + 1; j < n; j++ {
				v := dm.d[s+j]
				if v < near[j] {
					gain[i] += float64(near[j] - v)
				}
				if v < ni {
					gain[j] += float64(ni - v)
				}
			}
		}
		best := -1
		for i, g := range gain {
			if !isMed[i] && (best < 0 || g > gain[best]) {
				best = i
			}
		}
		pm.med = append(pm.med, best)
		isMed[best] = true
		dm.row(best, row)
		for i, v := range row {
			near[i] = min(near[i], v)
		}
	}
	return nil
}

// plusPlus draws the medoids by k-medoids++.
func (pm *pamState) plusPlus(rng *rand.Rand) {
	n := pm.n
	first := rng.IntN(n)
	pm.med = []int{first}
	near := make([]float32, n)
	pm.dm.row(first, near)
	row := make([]float32, n)
	isMed := make([]bool, n)
	isMed[first] = true
	for len(pm.med) < pm.k {
		total := 0.0
		for _, v := range near {
			total += float64(v)
		}
		next := -1
		if total > 0 {
			r := rng.Float64() * total
			cum := 0.0
			for i, v := range near {
				cum += float64(v)
				if cum >= r && !isMed[i] && v > 0 {
					next = i
					break
				}
			}
		}
		if next < 0 {
			// All remaining rows duplicate a medoid (or rounding ran off
			// the end): take the first row that is not a medoid.
			for i := range n {
				if !isMed[i] {
					next = i
					break
				}
			}
		}
		pm.med = append(pm.med, next)
		isMed[next] = true
		pm.dm.row(next, row)
		for i, v := range row {
			near[i] = min(near[i], v)
		}
	}
}

// assignAll labels every row with its nearest medoid (the lowest medoid
// index on ties) and returns the labels and the total distance.
func (pm *pamState) assignAll() ([]int, float64) {
	labels := make([]int, pm.n)
	total := 0.0
	for i := range pm.n {
		b, bd := 0, float32(math.Inf(1))
		for c, m := range pm.med {
			if v := pm.dm.at(i, m); v < bd {
				b, bd = c, v
			}
		}
		labels[i] = b
		total += float64(bd)
	}
	return labels, total
}

// initNearest sets each row's nearest and second-nearest medoid and returns
// the total distance.
func (pm *pamState) initNearest() float64 {
	n := pm.n
	pm.nearI, pm.secI = make([]int32, n), make([]int32, n)
	pm.nearD, pm.secD = make([]float32, n), make([]float32, n)
	inf := float32(math.Inf(1))
	loss := 0.0
	for o := range n {
		ni, si, nd, sd := int32(-1), int32(-1), inf, inf
		for c, m := range pm.med {
			v := pm.dm.at(o, m)
			if v < nd {
				si, sd = ni, nd
				ni, nd = int32(c), v
			} else if v < sd {
				si, sd = int32(c), v
			}
		}
		pm.nearI[o], pm.nearD[o], pm.secI[o], pm.secD[o] = ni, nd, si, sd
		loss += float64(nd)
	}
	return loss
}

// removalLoss sets loss[c] to the increase of the total distance if medoid
// c were removed: Σ over its rows of (second-nearest - nearest).
func (pm *pamState) removalLoss(loss []float64) {
	clear(loss)
	for o := range pm.n {
		loss[pm.nearI[o]] += float64(pm.secD[o] - pm.nearD[o])
	}
}

// fasterPAM runs FasterPAM's eager swap passes from pm.med.
func (pm *pamState) fasterPAM(ctx context.Context, maxIter int, progress func(int, float64)) (kmRun, error) {
	n, k := pm.n, pm.k
	if k == 1 {
		// The best single medoid: least total distance (BUILD's first
		// choice, computed whatever the Init).
		return pm.single(ctx, progress)
	}
	loss := pm.initNearest()
	rl := make([]float64, k)
	pm.removalLoss(rl)
	ploss := make([]float64, k)
	block := make([]float32, min(pamBlock, n)*n)
	b0, b1 := 0, 0 // rows gathered in block
	r := kmRun{iterations: maxIter}
	lastSwap := n
	for it := 1; it <= maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return kmRun{}, fmt.Errorf("cancelled at pass %d: %w", it, err)
		}
		swapped, before := false, loss
		for j := range n {
			if j == lastSwap {
				break
			}
			if j&1023 == 1023 {
				if err := ctx.Err(); err != nil {
					return kmRun{}, fmt.Errorf("cancelled at pass %d: %w", it, err)
				}
			}
			if pm.med[pm.nearI[j]] == j {
				continue // already a medoid
			}
			if j < b0 || j >= b1 {
				b0, b1 = j, min(j+pamBlock, n)
				pm.dm.rowBlock(b0, b1, block)
			}
			row := block[(j-b0)*n : (j-b0+1)*n]
			copy(ploss, rl)
			acc := 0.0
			for o, djo := range row {
				nd, sd := pm.nearD[o], pm.secD[o]
				if djo < nd {
					acc += float64(djo - nd)
					ploss[pm.nearI[o]] += float64(nd - sd)
				} else if djo < sd {
					ploss[pm.nearI[o]] += float64(djo - sd)
				}
			}
			b := 0
			for c, v := range ploss {
				if v < ploss[b] {
					b = c
				}
			}
			if ploss[b]+acc >= 0 {
				continue
			}
			swapped, lastSwap = true, j
			loss = pm.doSwap(b, j, row)
			pm.removalLoss(rl)
		}
		if progress != nil {
			progress(it, loss)
		}
		if !swapped || loss >= before {
			r.iterations, r.converged = it, true
			break
		}
	}
	return r, nil
}

// doSwap replaces medoid b by row j, whose distances are in row, updates
// the nearest and second-nearest medoids, and returns the new total
// distance.
func (pm *pamState) doSwap(b, j int, row []float32) float64 {
	pm.med[b] = j
	bi := int32(b)
	loss := 0.0
	for o, djo := range row {
		if o == j {
			if pm.nearI[o] != bi {
				pm.secI[o], pm.secD[o] = pm.nearI[o], pm.nearD[o]
			}
			pm.nearI[o], pm.nearD[o] = bi, 0
			continue
		}
		if pm.nearI[o] == bi {
			if djo < pm.secD[o] {
				pm.nearD[o] = djo
			} else {
				pm.nearI[o], pm.nearD[o] = pm.secI[o], pm.secD[o]
				pm.secI[o], pm.secD[o] = pm.secondNearest(o, b, djo)
			}
		} else {
			switch {
			case djo < pm.nearD[o]:
				pm.secI[o], pm.secD[o] = pm.nearI[o], pm.nearD[o]
				pm.nearI[o], pm.nearD[o] = bi, djo
			case djo < pm.secD[o]:
				pm.secI[o], pm.secD[o] = bi, djo
			case pm.secI[o] == bi:
				pm.secI[o], pm.secD[o] = pm.secondNearest(o, b, djo)
			}
		}
		loss += float64(pm.nearD[o])
	}
	return loss
}

// secondNearest returns the closest medoid to row o other than its nearest,
// starting from medoid b (the new one) at distance djo.
func (pm *pamState) secondNearest(o, b int, djo float32) (int32, float32) {
	si, sd := int32(b), djo
	near := int(pm.nearI[o])
	for c, m := range pm.med {
		if c == near || c == b {
			continue
		}
		if v := pm.dm.at(o, m); v < sd {
			si, sd = int32(c), v
		}
	}
	return si, sd
}

// single sets the one medoid to the row of least total distance.
func (pm *pamState) single(ctx context.Context, progress func(int, float64)) (kmRun, error) {
	if err := ctx.Err(); err != nil {
		return kmRun{}, err
	}
	best, bestS := 0, math.Inf(1)
	row := make([]float32, pm.n)
	for i := range pm.n {
		pm.dm.row(i, row)
		s := 0.0
		for _, v := range row {
			s += float64(v)
		}
		if s < bestS {
			best, bestS = i, s
		}
	}
	pm.med = []int{best}
	if progress != nil {
		progress(1, bestS)
	}
	return kmRun{iterations: 1, converged: true}, nil
}

// alternate runs the Voronoi iteration from pm.med.
func (pm *pamState) alternate(ctx context.Context, maxIter int, progress func(int, float64)) (kmRun, error) {
	r := kmRun{iterations: maxIter}
	members := make([][]int, pm.k)
	for it := 1; it <= maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return kmRun{}, fmt.Errorf("cancelled at iteration %d: %w", it, err)
		}
		labels, loss := pm.assignAll()
		if progress != nil {
			progress(it, loss)
		}
		for c := range members {
			members[c] = members[c][:0]
		}
		for i, l := range labels {
			members[l] = append(members[l], i)
		}
		changed := false
		for c, rows := range members {
			best, bestS := pm.med[c], math.Inf(1)
			for _, i := range rows {
				s := 0.0
				for _, o := range rows {
					s += float64(pm.dm.at(i, o))
				}
				// Keep the current medoid unless another row is strictly
				// better, so the iteration cannot cycle.
				if s < bestS || (s == bestS && i == pm.med[c]) {
					best, bestS = i, s
				}
			}
			if best != pm.med[c] {
				pm.med[c] = best
				changed = true
			}
		}
		if !changed {
			r.iterations, r.converged = it, true
			break
		}
	}
	return r, nil
}
