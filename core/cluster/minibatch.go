package cluster

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/order"
)

// MiniBatchKMeans is k-means fitted on random mini-batches, following
// scikit-learn 1.2's MiniBatchKMeans, for inputs too large for full Lloyd
// iterations. It trades a little inertia for speed: each step touches only
// BatchSize rows.
//
// The centres are seeded by k-means++ on a random sample of 3·BatchSize rows
// (at least 3·K, at most n); of NInit seedings the one with the lowest inertia
// on a separate random validation sample is kept. Each step then draws
// BatchSize rows with replacement, assigns them to the nearest centre and
// moves each centre to the running mean of all rows it has received (the
// per-centre counts make the step size decay). Centres whose count falls below
// 1% of the largest are moved to random rows of the batch (at most every
// 10·K rows drawn, or whenever a centre has no rows). A run stops after
// MaxIter passes over the data, when an exponentially weighted average of the
// mini-batch inertia has not improved for MaxNoImprovement steps, or when the
// squared centre shift falls to Tol times the mean per-feature variance.
// Finally every row is labelled with its nearest centre.
//
// Memory: O(n + (BatchSize + K)·d) beyond the input (the labels, the batch
// and the seeding sample).
type MiniBatchKMeans struct {
	// K is the number of clusters; required, > 0 and at most the number of
	// rows.
	K int
	// BatchSize is the number of rows per step; 0 means 1024. It is capped
	// at the number of rows.
	BatchSize int
	// MaxIter is the most passes over the data (epochs), so at most
	// MaxIter·n/BatchSize steps; 0 means 100.
	MaxIter int
	// MaxNoImprovement stops the run after this many consecutive steps in
	// which the smoothed mini-batch inertia did not improve; 0 means 10, a
	// negative value disables the rule.
	MaxNoImprovement int
	// NInit is the number of k-means++ seedings tried; 0 means 3 (the
	// default of scikit-learn 1.2). Only the best seeding is iterated.
	NInit int
	// Tol stops the run when the sum of squared centre shifts in a step is
	// at most Tol times the mean per-feature variance; 0 disables the rule
	// (scikit-learn's default tol=0.0). It must not be negative.
	Tol float64
	// Seed makes the result reproducible: the same data, settings and Seed
	// give identical labels natively and in the browser.
	Seed uint64
	// Workers is the number of goroutines sharing the passes over all rows
	// (validation and final labelling); 0 means runtime.GOMAXPROCS(0). The
	// result does not depend on it.
	Workers int
	// Progress, if not nil, is called once per mini-batch step, from the
	// goroutine that called Fit.
	Progress func(Progress)
}

// reassignmentRatio is scikit-learn's default: centres with a count below this
// fraction of the largest count are moved to random rows.
const reassignmentRatio = 0.01

// Fit clusters the rows of x. It returns an error wrapping ErrBadSettings,
// ErrInvalidInput (with the row and column of a NaN or infinite value) or
// ErrTooFewPoints (fewer rows than K), or the context's error if ctx is
// cancelled; the context is checked between steps.
func (mb *MiniBatchKMeans) Fit(ctx context.Context, x *matrix.Dense) (m *Model, err error) {
	defer recoverError(&err)
	if mb == nil {
		return nil, fmt.Errorf("%w: nil MiniBatchKMeans", ErrBadSettings)
	}
	if err := checkKMeansSettings(mb.K, mb.NInit, mb.MaxIter, mb.Tol, mb.Workers); err != nil {
		return nil, err
	}
	if mb.BatchSize < 0 {
		return nil, fmt.Errorf("%w: BatchSize = %d, want >= 0", ErrBadSettings, mb.BatchSize)
	}
	workers := resolveWorkers(mb.Workers)
	meanVar, err := checkMatrix(x, mb.K, workers)
	if err != nil {
		return nil, err
	}
	n, d, k := x.Rows, x.Cols, mb.K
	X := x.Data[:n*d]
	batch := min(cmp0(mb.BatchSize, 1024), n)
	maxIter := cmp0(mb.MaxIter, 100)
	maxNoImp := cmp0(mb.MaxNoImprovement, 10)
	nInit := cmp0(mb.NInit, 3)
	initSize := 3 * batch
	if initSize < k {
		initSize = 3 * k
	}
	initSize = min(initSize, n)
	tol := 0.0
	if mb.Tol > 0 {
		tol = mb.Tol * meanVar
	}
	rng := rand.New(rand.NewPCG(mb.Seed, 0))

	// Seeding: the best of nInit k-means++ seedings on samples, judged on a
	// validation sample.
	valid := sampleRows(X, d, initSize, n, rng, nil)
	sample := matrix.New(initSize, d)
	buf := make([]float64, k)
	centers := make([]float64, k*d)
	bestInertia := math.Inf(1)
	for init := range nInit {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cluster: minibatch-kmeans cancelled before seeding %d: %w", init+1, err)
		}
		sampleRows(X, d, initSize, n, rng, sample.Data)
		st := newKMState(sample, k, workers)
		if err := st.seed(ctx, rng); err != nil {
			return nil, fmt.Errorf("cluster: minibatch-kmeans seeding %d: %w", init+1, err)
		}
		inertia := 0.0
		for i := range initSize {
			_, d1 := nearest(valid[i*d:i*d+d], st.centers, buf)
			inertia += d1
		}
		if inertia < bestInertia {
			bestInertia = inertia
			copy(centers, st.centers)
		}
	}

	// Mini-batch steps.
	s := miniBatchState{
		k: k, d: d, batch: batch, n: n,
		centers: centers, next: make([]float64, k*d),
		counts: make([]float64, k), labels: make([]int, batch),
		bx: make([]float64, batch*d), buf: buf,
	}
	nSteps := max(maxIter*n/batch, 1)
	steps, converged := nSteps, false
	var ewa, ewaMin float64
	haveEWA, haveMin, noImp := false, false, 0
	sinceReassign := 0
	for step := range nSteps {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cluster: minibatch-kmeans cancelled at step %d: %w", step+1, err)
		}
		sinceReassign += batch
		reassign := false
		if slices.Contains(s.counts, 0) || sinceReassign >= 10*k {
			sinceReassign, reassign = 0, true
		}
		sampleRows(X, d, batch, n, rng, s.bx)
		batchInertia := s.step(rng, reassign)
		shift := 0.0
		if tol > 0 {
			shift = sqdist(s.next, s.centers)
		}
		s.centers, s.next = s.next, s.centers

		// scikit-learn's _mini_batch_convergence.
		bi := batchInertia / float64(batch)
		stop := false
		if step > 0 { // the first batch measures the seeding, not progress
			if !haveEWA {
				ewa, haveEWA = bi, true
			} else {
				alpha := min(float64(batch)*2/float64(n+1), 1)
				ewa = ewa*(1-alpha) + bi*alpha
			}
			if tol > 0 && shift <= tol {
				stop = true
			} else {
				if !haveMin || ewa < ewaMin {
					noImp, ewaMin, haveMin = 0, ewa, true
				} else {
					noImp++
				}
				stop = maxNoImp > 0 && noImp >= maxNoImp
			}
		}
		if mb.Progress != nil {
			est := bi
			if haveEWA {
				est = ewa
			}
			mb.Progress(Progress{Algorithm: "minibatch-kmeans", Run: 1, Runs: 1,
				Iteration: step + 1, MaxIter: nSteps, Inertia: est * float64(n)})
		}
		if stop {
			steps, converged = step+1, true
			break
		}
	}

	labels := make([]int, n)
	inertia := assignAll(workers, X, n, d, s.centers, k, labels)
	cm := &matrix.Dense{Rows: k, Cols: d, Data: s.centers}
	return &Model{
		Algorithm:  "minibatch-kmeans",
		K:          k,
		Labels:     labels,
		Centers:    cm,
		Inertia:    inertia,
		Iterations: steps,
		Converged:  converged,
		Predictor:  NearestCenter{Centers: cm},
	}, nil
}

// sampleRows draws m row indices uniformly with replacement and copies the
// rows into dst (allocated when nil), which it returns.
func sampleRows(x []float64, d, m, n int, rng *rand.Rand, dst []float64) []float64 {
	if dst == nil {
		dst = make([]float64, m*d)
	}
	for i := range m {
		r := rng.IntN(n)
		copy(dst[i*d:i*d+d], x[r*d:r*d+d])
	}
	return dst
}

// miniBatchState holds the buffers of the mini-batch steps.
type miniBatchState struct {
	k, d, batch, n int
	centers, next  []float64 // k×d
	counts         []float64 // rows received per centre
	labels         []int     // per batch row
	bx             []float64 // batch×d rows of the current batch
	buf            []float64 // k distances
}

// step is scikit-learn's _mini_batch_step: it labels the batch with the
// current centres, writes the updated centres to s.next (and moves
// under-used centres when reassign) and returns the batch inertia before the
// update.
func (s *miniBatchState) step(rng *rand.Rand, reassign bool) float64 {
	d, k := s.d, s.k
	inertia := 0.0
	for i := range s.batch {
		b, d1 := nearest(s.bx[i*d:i*d+d], s.centers, s.buf)
		s.labels[i] = b
		inertia += d1
	}
	// _minibatch_update_dense: per centre, undo the count scaling, add the
	// new rows in batch order, rescale by the new count.
	copy(s.next, s.centers)
	wsum := s.buf[:k]
	clear(wsum)
	for _, l := range s.labels {
		wsum[l]++
	}
	for j := range k {
		if wsum[j] == 0 {
			continue
		}
		c := s.next[j*d : j*d+d]
		for t := range c {
			c[t] *= s.counts[j]
		}
	}
	for i, l := range s.labels {
		c := s.next[l*d : l*d+d]
		for t, v := range s.bx[i*d : i*d+d] {
			c[t] += v
		}
	}
	for j := range k {
		if wsum[j] == 0 {
			continue
		}
		s.counts[j] += wsum[j]
		alpha := 1 / s.counts[j]
		c := s.next[j*d : j*d+d]
		for t := range c {
			c[t] *= alpha
		}
	}
	if reassign {
		s.reassign(rng)
	}
	return inertia
}

// reassign moves the centres whose count is below reassignmentRatio of the
// largest to distinct random rows of the batch (at most half the batch, the
// lowest counts first) and resets their counts to the smallest remaining
// count, as scikit-learn does.
func (s *miniBatchState) reassign(rng *rand.Rand) {
	d := s.d
	limit := reassignmentRatio * slices.Max(s.counts)
	var low []int
	for j, c := range s.counts {
		if c < limit {
			low = append(low, j)
		}
	}
	if half := s.batch / 2; len(low) > half {
		order.SortFunc(low, func(a, b int) int {
			switch {
			case s.counts[a] < s.counts[b]:
				return -1
			case s.counts[a] > s.counts[b]:
				return 1
			}
			return a - b
		})
		low = low[:half]
		order.SortFunc(low, cmp.Compare[int])
	}
	if len(low) == 0 {
		return
	}
	moved := make([]bool, s.k)
	for _, j := range low {
		moved[j] = true
	}
	minKept := math.Inf(1)
	for j, c := range s.counts {
		if !moved[j] {
			minKept = min(minKept, c)
		}
	}
	// Distinct batch rows by a partial Fisher–Yates shuffle.
	perm := make([]int, s.batch)
	for i := range perm {
		perm[i] = i
	}
	for i, j := range low {
		r := i + rng.IntN(s.batch-i)
		perm[i], perm[r] = perm[r], perm[i]
		copy(s.next[j*d:j*d+d], s.bx[perm[i]*d:perm[i]*d+d])
		s.counts[j] = minKept
	}
}
