package cluster

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/segkit/segkit/core/matrix"
)

// maxCategoryCells bounds K times the total number of distinct categories
// over the categorical columns, the size of the mode counters of KPrototypes
// (8 bytes each: 512 MB).
const maxCategoryCells = 1 << 26

// KPrototypes is Huang's k-prototypes (1997, 1998) for rows mixing numeric
// and categorical columns. The cost of a row x against a prototype c is
//
//	cost(x, c) = Σ_numeric (x_j - c_j)² + Gamma · #{categorical j : x_j != c_j},
//
// a prototype holds the mean of its rows' numeric columns and the mode (most
// frequent code, the lowest code on ties) of each categorical column, and a
// run alternates assigning every row to its cheapest prototype (the lowest
// index on ties) and recomputing the prototypes, until no row changes
// prototype or MaxIter iterations pass. The updates are made in batch
// (Lloyd-style), not one row at a time as in Huang's paper and the Python
// kmodes package; each step cannot increase the total cost. A prototype left
// without rows takes the row of highest cost (the lowest row on ties), as
// k-means does. Of NInit runs the one with the lowest total cost is kept
// (the earliest on ties).
//
// Numeric columns should be on comparable scales (standardised, for example
// z-scores): the squared differences add up unweighted and Gamma is relative
// to their spread. With no categorical column the cost is the squared
// Euclidean distance, the k-means++ initialisation draws exactly as
// [KMeans] does for the same Seed, and the iterations are Lloyd's: the
// result is k-means' (KMeans may stop a little earlier on its centre-shift
// tolerance).
//
// Memory: O(n·d) beyond the input: the input split into numeric values and
// compressed category indices (8 bytes per numeric cell, 4 per categorical
// one), labels and per-row costs (16 bytes a row), plus K×d prototypes and K
// times the number of distinct categories in counters; inputs with K ×
// (distinct categories) above 2^26 are refused with ErrTooLarge before those
// counters are allocated. There is no other size limit (1e5 rows × 6 columns
// take about 7 MB). Time per iteration is O(n·K·d), with no pruning bounds
// (unlike KMeans); the Cao initialisation costs O(n·K·d), k-means++
// O(n·K·d·log K).
type KPrototypes struct {
	// K is the number of clusters; required, > 0 and at most the number of
	// rows.
	K int
	// Categorical marks the categorical columns (one entry per column; true
	// means the column holds category codes, whole numbers >= 0). nil means
	// all columns are numeric.
	Categorical []bool
	// Gamma weighs a categorical mismatch against squared numeric
	// differences. 0 means Huang's recommendation as implemented by the
	// kmodes package: half the mean, over the numeric columns, of their
	// population standard deviations, γ = 0.5 · mean_j σ_j (Huang 1997
	// suggests γ between σ/3 and 2σ/3; with z-scored numeric columns γ =
	// 0.5). With no numeric column, 0 means 1. It must not be negative.
	Gamma float64
	// Init chooses the initial prototypes of each run:
	//   - "cao" (or ""): the first run uses Cao, Liang and Bai's (2009)
	//     density method, as the kmodes package does by default — the
	//     density of a row is the mean over categorical columns of the
	//     frequency of its category; the first prototype is the densest row
	//     and each next one the row maximising density × cost to the nearest
	//     chosen prototype (the first row on ties). kmodes applies the rule to
	//     the categorical columns only and draws the numeric parts at random;
	//     here the cost includes the numeric columns and a prototype is the
	//     whole chosen row. Cao's method is deterministic, so the other NInit
	//     runs start from "k-means++". With no categorical column every run
	//     uses "k-means++".
	//   - "huang": Huang's (1998) method as in kmodes: each column of each
	//     prototype is drawn from the column's values (with their
	//     frequencies), then the prototype is replaced by the cheapest row not
	//     already chosen.
	//   - "k-means++": greedy k-means++ on the k-prototypes cost: the first
	//     prototype a uniformly drawn row, each next the best (lowest total
	//     cost) of 2+⌊ln K⌋ rows drawn with probability proportional to their
	//     cost to the nearest chosen prototype.
	Init string
	// NInit is the number of runs; 0 means 10 (as kmodes).
	NInit int
	// MaxIter limits the iterations of each run; 0 means 100 (as kmodes).
	MaxIter int
	// Seed makes the result reproducible: the same data, settings and Seed
	// give identical labels natively and in the browser.
	Seed uint64
	// Workers is the number of goroutines sharing the assignment step; 0
	// means runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Progress, if not nil, is called once per iteration, from the
	// goroutine that called Fit, with Inertia the total cost after the
	// iteration's assignment.
	Progress func(Progress)
}

// Fit clusters the rows of x. The returned Model's Centers hold the
// prototypes (means in numeric columns, modal codes in categorical ones),
// Inertia the total cost, and its Predictor is a [PrototypePredictor]. Fit
// returns an error wrapping ErrBadSettings, ErrInvalidInput (a NaN or
// infinite value, or a categorical cell that is not a whole number >= 0,
// with its row and column), ErrTooFewPoints, ErrTooLarge, or the context's
// error if ctx is cancelled (checked between iterations).
func (kp *KPrototypes) Fit(ctx context.Context, x *matrix.Dense) (m *Model, err error) {
	defer recoverError(&err)
	if kp == nil {
		return nil, fmt.Errorf("%w: nil KPrototypes", ErrBadSettings)
	}
	if err := checkKMeansSettings(kp.K, kp.NInit, kp.MaxIter, 0, kp.Workers); err != nil {
		return nil, err
	}
	if kp.Gamma < 0 || math.IsNaN(kp.Gamma) || math.IsInf(kp.Gamma, 0) {
		return nil, fmt.Errorf("%w: Gamma = %v, want a finite value >= 0", ErrBadSettings, kp.Gamma)
	}
	switch kp.Init {
	case "", "cao", "huang", "k-means++":
	default:
		return nil, fmt.Errorf("%w: Init = %q, want \"cao\", \"huang\" or \"k-means++\"", ErrBadSettings, kp.Init)
	}
	if x != nil {
		if err := checkMask(kp.Categorical, x.Cols); err != nil {
			return nil, err
		}
	}
	workers := resolveWorkers(kp.Workers)
	if _, err := checkMatrix(x, kp.K, workers); err != nil {
		return nil, err
	}
	if err := checkCategorical(x, kp.Categorical); err != nil {
		return nil, err
	}
	st, err := newKPState(x, kp.K, kp.Categorical, kp.Gamma, workers)
	if err != nil {
		return nil, err
	}
	nInit := cmp0(kp.NInit, 10)
	maxIter := cmp0(kp.MaxIter, 100)
	init := kp.Init
	if init == "" {
		init = "cao"
	}
	bestLabels := make([]int, st.n)
	bestCenters := make([]float64, st.k*st.d)
	var best kmRun
	for run := range nInit {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cluster: kprototypes cancelled before run %d: %w", run+1, err)
		}
		rng := rand.New(rand.NewPCG(kp.Seed, uint64(run)))
		switch {
		case init == "huang":
			st.initHuang(rng)
		case init == "cao" && run == 0 && len(st.cat) > 0:
			st.initCao()
		default:
			if err := st.initPlusPlus(ctx, rng); err != nil {
				return nil, fmt.Errorf("cluster: kprototypes run %d: %w", run+1, err)
			}
		}
		var progress func(int, float64)
		if kp.Progress != nil {
			progress = func(iter int, cost float64) {
				kp.Progress(Progress{Algorithm: "kprototypes", Run: run + 1, Runs: nInit,
					Iteration: iter, MaxIter: maxIter, Inertia: cost})
			}
		}
		r, err := st.iterate(ctx, maxIter, progress)
		if err != nil {
			return nil, fmt.Errorf("cluster: kprototypes run %d: %w", run+1, err)
		}
		if run == 0 || r.inertia < best.inertia {
			best = r
			copy(bestLabels, st.labels)
			copy(bestCenters, st.centers)
		}
	}
	centers := &matrix.Dense{Rows: st.k, Cols: st.d, Data: bestCenters}
	var mask []bool
	if kp.Categorical != nil {
		mask = slices.Clone(kp.Categorical)
	}
	return &Model{
		Algorithm:  "kprototypes",
		K:          st.k,
		Labels:     bestLabels,
		Centers:    centers,
		Inertia:    best.inertia,
		Iterations: best.iterations,
		Converged:  best.converged,
		Predictor:  &PrototypePredictor{Centers: centers, Categorical: mask, Gamma: st.gamma},
	}, nil
}

// PrototypePredictor is the prediction rule of k-prototypes: a point joins
// the prototype of lowest cost, Σ_numeric (x_j-c_j)² + Gamma · mismatches
// (the lowest index on ties); Distance is the square root of that cost (the
// Euclidean distance when there is no categorical column). A category code
// not seen in training is valid and mismatches every prototype.
type PrototypePredictor struct {
	// Centers holds one prototype per row: means in numeric columns, modal
	// codes in categorical ones.
	Centers *matrix.Dense
	// Categorical marks the categorical columns; nil means none.
	Categorical []bool
	// Gamma is the weight of one categorical mismatch.
	Gamma float64
}

// Dim returns the number of values a point must have.
func (p *PrototypePredictor) Dim() int {
	if p == nil || p.Centers == nil {
		return 0
	}
	return p.Centers.Cols
}

// Predict returns the cheapest prototype for x and the square root of its
// cost. It returns an error wrapping ErrInvalidInput for a point of the wrong
// length, a non-finite value or a categorical value that is not a whole
// number >= 0.
func (p *PrototypePredictor) Predict(x []float64) (Assignment, error) {
	if p == nil || p.Centers == nil || p.Centers.Rows == 0 || len(p.Centers.Data) < p.Centers.Rows*p.Centers.Cols {
		return Assignment{}, fmt.Errorf("%w: no prototypes", ErrNotInductive)
	}
	d := p.Centers.Cols
	if err := checkPoint(x, d); err != nil {
		return Assignment{}, err
	}
	if err := checkMask(p.Categorical, d); err != nil {
		return Assignment{}, err
	}
	if err := checkCategoricalPoint(x, p.Categorical); err != nil {
		return Assignment{}, err
	}
	best, bestCost := 0, math.Inf(1)
	for c := range p.Centers.Rows {
		pc := p.Centers.Data[c*d : c*d+d]
		s, mis := 0.0, 0
		for j, v := range x {
			if isCat(p.Categorical, j) {
				if v != pc[j] {
					mis++
				}
				continue
			}
			dv := v - pc[j]
			s += float64(dv * dv)
		}
		if cost := s + float64(p.Gamma*float64(mis)); cost < bestCost {
			best, bestCost = c, cost
		}
	}
	return Assignment{Label: best, Distance: math.Sqrt(bestCost)}, nil
}

// kpState holds the data and buffers of k-prototypes, reused across runs.
type kpState struct {
	x               []float64
	n, d, k         int
	workers, chunks int
	num, cat        []int     // numeric and categorical column indices
	xn              []float64 // n×len(num) numeric columns, contiguous
	codes           []int32   // n×len(cat) compressed category indices
	values          [][]float64
	offset          []int // start of column t's categories in counts
	gamma           float64
	centers         []float64 // k×d prototypes in the input's layout
	cn              []float64 // k×len(num) numeric parts
	cc              []int32   // k×len(cat) compressed modes
	labels          []int
	cost            []float64 // per row: cost to its prototype
	pchanged        []int
	pcost           []float64
	sums            []float64
	counts          []int
	catCounts       []int // k × total categories
}

func newKPState(x *matrix.Dense, k int, mask []bool, gamma float64, workers int) (*kpState, error) {
	n, d := x.Rows, x.Cols
	st := &kpState{x: x.Data[:n*d], n: n, d: d, k: k, workers: workers, chunks: numChunks(n)}
	for j := range d {
		if isCat(mask, j) {
			st.cat = append(st.cat, j)
		} else {
			st.num = append(st.num, j)
		}
	}
	// Distinct categories of each column, in increasing code order.
	total := 0
	st.offset = make([]int, len(st.cat)+1)
	for t, j := range st.cat {
		seen := map[float64]struct{}{}
		for i := range n {
			seen[st.x[i*d+j]] = struct{}{}
		}
		vals := make([]float64, 0, len(seen))
		for v := range seen {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		st.values = append(st.values, vals)
		total += len(vals)
		st.offset[t+1] = total
		if k*total > maxCategoryCells {
			return nil, fmt.Errorf("%w: K × distinct categories = %d × %d exceeds %d; group rare categories before clustering, or one-hot encode them and use KMeans",
				ErrTooLarge, k, total, maxCategoryCells)
		}
	}
	nn, nc := len(st.num), len(st.cat)
	st.xn = make([]float64, n*nn)
	st.codes = make([]int32, n*nc)
	for i := range n {
		row := st.x[i*d : i*d+d]
		for t, j := range st.num {
			st.xn[i*nn+t] = row[j]
		}
		for t, j := range st.cat {
			idx, _ := slices.BinarySearch(st.values[t], row[j])
			st.codes[i*nc+t] = int32(idx)
		}
	}
	if gamma == 0 {
		gamma = 1
		if nn > 0 {
			// 0.5 × mean population standard deviation of the numeric columns.
			s := 0.0
			for t := range nn {
				mu := 0.0
				for i := range n {
					mu += st.xn[i*nn+t]
				}
				mu /= float64(n)
				ss := 0.0
				for i := range n {
					dv := st.xn[i*nn+t] - mu
					ss += float64(dv * dv)
				}
				s += math.Sqrt(ss / float64(n))
			}
			gamma = 0.5 * s / float64(nn)
		}
	}
	st.gamma = gamma
	st.centers = make([]float64, k*d)
	st.cn = make([]float64, k*nn)
	st.cc = make([]int32, k*nc)
	st.labels = make([]int, n)
	st.cost = make([]float64, n)
	st.pchanged = make([]int, st.chunks)
	st.pcost = make([]float64, st.chunks)
	st.sums = make([]float64, k*nn)
	st.counts = make([]int, k)
	st.catCounts = make([]int, k*total)
	return st, nil
}

// rowCost returns the cost of row i against the prototype with numeric part
// cn and compressed modes cc. The numeric part is summed as sqdist does.
func (st *kpState) rowCost(i int, cn []float64, cc []int32) float64 {
	nn, nc := len(st.num), len(st.cat)
	s := sqdist(st.xn[i*nn:i*nn+nn], cn)
	if nc > 0 {
		mis := 0
		for t, c := range st.codes[i*nc : i*nc+nc] {
			if c != cc[t] {
				mis++
			}
		}
		s += float64(st.gamma * float64(mis))
	}
	return s
}

// rowToRow returns the cost between rows i and p.
func (st *kpState) rowToRow(i, p int) float64 {
	nn, nc := len(st.num), len(st.cat)
	return st.rowCost(i, st.xn[p*nn:p*nn+nn], st.codes[p*nc:p*nc+nc])
}

// setPrototype makes prototype c a copy of row i.
func (st *kpState) setPrototype(c, i int) {
	nn, nc := len(st.num), len(st.cat)
	copy(st.cn[c*nn:c*nn+nn], st.xn[i*nn:i*nn+nn])
	copy(st.cc[c*nc:c*nc+nc], st.codes[i*nc:i*nc+nc])
}

// initPlusPlus seeds the prototypes by greedy k-means++ on the k-prototypes
// cost, drawing from rng exactly as KMeans' seeding does (the potentials are
// summed per chunk of rows, then the chunks in order), so with no
// categorical column the same rows are chosen.
func (st *kpState) initPlusPlus(ctx context.Context, rng *rand.Rand) error {
	n, k := st.n, st.k
	trials := min(2+int(math.Log(float64(k))), 15)
	closest := st.cost
	first := rng.IntN(n)
	st.setPrototype(0, first)
	pot := make([]float64, st.chunks)
	forEachChunk(st.workers, st.chunks, func(c int) {
		lo, hi := chunkBounds(c, n)
		s := 0.0
		for i := lo; i < hi; i++ {
			v := st.rowToRow(i, first)
			closest[i] = v
			s += v
		}
		pot[c] = s
	})
	total := 0.0
	for _, s := range pot {
		total += s
	}
	ids := make([]int, trials)
	ppot := make([]float64, st.chunks*trials)
	for c := 1; c < k; c++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("cancelled while seeding prototype %d: %w", c+1, err)
		}
		for t := range trials {
			ids[t] = searchCum(closest, pot, n, rng.Float64()*total)
		}
		forEachChunk(st.workers, st.chunks, func(ch int) {
			lo, hi := chunkBounds(ch, n)
			p := ppot[ch*trials : ch*trials+trials]
			clear(p)
			for i := lo; i < hi; i++ {
				for t, id := range ids {
					p[t] += min(closest[i], st.rowToRow(i, id))
				}
			}
		})
		bt, bestPot := 0, math.Inf(1)
		for t := range trials {
			s := 0.0
			for ch := range st.chunks {
				s += ppot[ch*trials+t]
			}
			if s < bestPot {
				bt, bestPot = t, s
			}
		}
		id := ids[bt]
		st.setPrototype(c, id)
		forEachChunk(st.workers, st.chunks, func(ch int) {
			lo, hi := chunkBounds(ch, n)
			s := 0.0
			for i := lo; i < hi; i++ {
				closest[i] = min(closest[i], st.rowToRow(i, id))
				s += closest[i]
			}
			pot[ch] = s
		})
		total = bestPot
	}
	return nil
}

// searchCum returns the first row whose cumulative value reaches r, the
// cumulative sum being the chunk's offset (chunk sums added in order) plus
// the running sum within the chunk, as KMeans' search does.
func searchCum(v, pot []float64, n int, r float64) int {
	off := 0.0
	for c, s := range pot {
		if off+s >= r {
			lo, hi := chunkBounds(c, n)
			run := 0.0
			for i := lo; i < hi; i++ {
				run += v[i]
				if off+run >= r {
					return i
				}
			}
			return hi - 1
		}
		off += s
	}
	return n - 1
}

// initCao chooses the prototypes by Cao et al.'s density rule (see
// KPrototypes.Init).
func (st *kpState) initCao() {
	n, nc := st.n, len(st.cat)
	freq := make([]int, st.offset[nc])
	for i := range n {
		for t, c := range st.codes[i*nc : i*nc+nc] {
			freq[st.offset[t]+int(c)]++
		}
	}
	dens := make([]float64, n)
	first := 0
	for i := range n {
		s := 0.0
		for t, c := range st.codes[i*nc : i*nc+nc] {
			s += float64(freq[st.offset[t]+int(c)]) / float64(n) / float64(nc)
		}
		dens[i] = s
		if s > dens[first] {
			first = i
		}
	}
	st.setPrototype(0, first)
	minCost := st.cost
	for i := range n {
		minCost[i] = st.rowToRow(i, first)
	}
	nn := len(st.num)
	for c := 1; c < st.k; c++ {
		best, bestV := 0, math.Inf(-1)
		for i := range n {
			if v := dens[i] * minCost[i]; v > bestV {
				best, bestV = i, v
			}
		}
		st.setPrototype(c, best)
		cn, cc := st.cn[c*nn:c*nn+nn], st.cc[c*nc:c*nc+nc]
		for i := range n {
			minCost[i] = min(minCost[i], st.rowCost(i, cn, cc))
		}
	}
}

// initHuang chooses the prototypes by Huang's frequency method (see
// KPrototypes.Init).
func (st *kpState) initHuang(rng *rand.Rand) {
	n, k, nn, nc := st.n, st.k, len(st.num), len(st.cat)
	// Drawing a uniform row per column draws its values with their
	// frequencies.
	cn := make([]float64, nn)
	cc := make([]int32, nc)
	chosen := make(map[int]bool, k)
	for c := range k {
		for t := range nn {
			cn[t] = st.xn[rng.IntN(n)*nn+t]
		}
		for t := range nc {
			cc[t] = st.codes[rng.IntN(n)*nc+t]
		}
		best, bestCost := -1, math.Inf(1)
		for i := range n {
			if chosen[i] {
				continue
			}
			if v := st.rowCost(i, cn, cc); v < bestCost {
				best, bestCost = i, v
			}
		}
		chosen[best] = true
		st.setPrototype(c, best)
	}
}

// iterate runs batch k-prototypes from the prototypes in st.cn and st.cc.
func (st *kpState) iterate(ctx context.Context, maxIter int, progress func(int, float64)) (kmRun, error) {
	r := kmRun{iterations: maxIter}
	for it := 1; it <= maxIter; it++ {
		if it > 1 {
			if err := ctx.Err(); err != nil {
				return kmRun{}, fmt.Errorf("cancelled at iteration %d: %w", it, err)
			}
		}
		changed, cost := st.assign(it == 1)
		if progress != nil {
			progress(it, cost)
		}
		if it > 1 && changed == 0 {
			r.iterations, r.converged = it, true
			break
		}
		st.update()
	}
	// The prototypes match the labels; a final assignment makes the labels
	// match the prototypes and gives the exact cost.
	_, r.inertia = st.assign(false)
	st.writeCenters()
	return r, nil
}

// assign labels every row with its cheapest prototype and returns the number
// of labels changed and the total cost, summed per chunk then in chunk order.
func (st *kpState) assign(first bool) (changed int, cost float64) {
	nn, nc, k := len(st.num), len(st.cat), st.k
	forEachChunk(st.workers, st.chunks, func(c int) {
		lo, hi := chunkBounds(c, st.n)
		ch, s := 0, 0.0
		for i := lo; i < hi; i++ {
			b, bc := 0, math.Inf(1)
			for p := range k {
				if v := st.rowCost(i, st.cn[p*nn:p*nn+nn], st.cc[p*nc:p*nc+nc]); v < bc {
					b, bc = p, v
				}
			}
			if first || st.labels[i] != b {
				ch++
			}
			st.labels[i] = b
			st.cost[i] = bc
			s += bc
		}
		st.pchanged[c], st.pcost[c] = ch, s
	})
	for c := range st.chunks {
		changed += st.pchanged[c]
		cost += st.pcost[c]
	}
	return changed, cost
}

// update moves each prototype to the means and modes of its rows, first
// giving each empty cluster (in index order) the row of highest cost among
// those not yet moved.
func (st *kpState) update() {
	n, k, nn, nc := st.n, st.k, len(st.num), len(st.cat)
	clear(st.counts)
	for _, l := range st.labels {
		st.counts[l]++
	}
	for c := range k {
		if st.counts[c] > 0 {
			continue
		}
		far := -1
		for i := range n {
			if st.counts[st.labels[i]] > 1 && (far < 0 || st.cost[i] > st.cost[far]) {
				far = i
			}
		}
		if far < 0 {
			break
		}
		st.counts[st.labels[far]]--
		st.labels[far] = c
		st.cost[far] = 0
		st.counts[c] = 1
	}
	clear(st.sums)
	clear(st.catCounts)
	total := st.offset[nc]
	for i, l := range st.labels {
		s := st.sums[l*nn : l*nn+nn]
		for t, v := range st.xn[i*nn : i*nn+nn] {
			s[t] += v
		}
		cc := st.catCounts[l*total : l*total+total]
		for t, c := range st.codes[i*nc : i*nc+nc] {
			cc[st.offset[t]+int(c)]++
		}
	}
	for c := range k {
		if st.counts[c] == 0 {
			continue
		}
		cnt := float64(st.counts[c])
		for t := range nn {
			st.cn[c*nn+t] = st.sums[c*nn+t] / cnt
		}
		cc := st.catCounts[c*total : c*total+total]
		for t := range nc {
			col := cc[st.offset[t]:st.offset[t+1]]
			mode := 0
			for v, m := range col {
				if m > col[mode] {
					mode = v
				}
			}
			st.cc[c*nc+t] = int32(mode)
		}
	}
}

// writeCenters writes the prototypes in the input's column layout, modes as
// their original codes.
func (st *kpState) writeCenters() {
	d, nn, nc := st.d, len(st.num), len(st.cat)
	for c := range st.k {
		row := st.centers[c*d : c*d+d]
		for t, j := range st.num {
			row[j] = st.cn[c*nn+t]
		}
		for t, j := range st.cat {
			row[j] = st.values[t][st.cc[c*nc+t]]
		}
	}
}
