package cluster

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/segkit/segkit/core/matrix"
)

// KMeans is k-means clustering: k-means++ seeding and Lloyd iterations,
// following scikit-learn 1.2's KMeans(algorithm="lloyd"), accelerated with
// Hamerly's distance bounds, which skip distance computations that cannot
// change a label (the labels are those of plain Lloyd iterations).
//
// Each run seeds its centres with greedy k-means++ as scikit-learn does (the
// first centre a uniformly drawn row; each further one the best of 2+⌊ln K⌋
// rows drawn with probability proportional to the squared distance to the
// nearest centre, best meaning the lowest resulting potential), then
// alternates assignment and centre update until the labels stop changing or
// the total squared centre shift falls to Tol times the mean per-feature
// variance; a final assignment makes the labels match the centres. A cluster
// left empty is moved to the row farthest from its centre, as scikit-learn
// does. Of NInit runs the one with the lowest inertia is kept (the earliest on
// ties). The cluster sums are updated as rows change cluster rather than
// recomputed, so centres may differ from scikit-learn's in the last bits.
//
// Memory: O(n + K·d) beyond the input: about 34 bytes per row (two labels,
// two bounds, seeding flags), plus K·(d+1) partial sums per chunk of 4096
// rows. Time per iteration is O(n·d) when the bounds prune, O(n·K·d) at worst.
type KMeans struct {
	// K is the number of clusters; required, > 0 and at most the number of
	// rows.
	K int
	// NInit is the number of runs from different seeds; 0 means 10
	// (scikit-learn 1.2's default).
	NInit int
	// MaxIter limits the iterations of each run; 0 means 300.
	MaxIter int
	// Tol is the convergence tolerance relative to the mean per-feature
	// variance of the data: a run stops when the sum of squared centre
	// shifts is at most Tol times that variance (scikit-learn's rule). 0
	// means 1e-4; it must not be negative.
	Tol float64
	// Seed makes the result reproducible: the same data, settings and Seed
	// give identical labels natively and in the browser.
	Seed uint64
	// Workers is the number of goroutines sharing the work; 0 means
	// runtime.GOMAXPROCS(0). The result does not depend on it.
	Workers int
	// Progress, if not nil, is called once per iteration, from the
	// goroutine that called Fit.
	Progress func(Progress)
}

// Fit clusters the rows of x. It returns an error wrapping ErrBadSettings,
// ErrInvalidInput (with the row and column of a NaN or infinite value) or
// ErrTooFewPoints (fewer rows than K), or the context's error if ctx is
// cancelled; the context is checked between iterations.
func (km *KMeans) Fit(ctx context.Context, x *matrix.Dense) (m *Model, err error) {
	defer recoverError(&err)
	if km == nil {
		return nil, fmt.Errorf("%w: nil KMeans", ErrBadSettings)
	}
	if err := checkKMeansSettings(km.K, km.NInit, km.MaxIter, km.Tol, km.Workers); err != nil {
		return nil, err
	}
	workers := resolveWorkers(km.Workers)
	meanVar, err := checkMatrix(x, km.K, workers)
	if err != nil {
		return nil, err
	}
	st := newKMState(x, km.K, workers)
	return km.fit(ctx, st.coordinator(), meanVar)
}

// fit runs NInit k-means runs through the coordinator c, whose shards hold
// the rows, and returns the best.
func (km *KMeans) fit(ctx context.Context, c *kmCoord, meanVar float64) (*Model, error) {
	nInit := cmp0(km.NInit, 10)
	maxIter := cmp0(km.MaxIter, 300)
	tol := km.Tol
	if tol == 0 {
		tol = 1e-4
	}
	tol *= meanVar

	bestCenters := make([]float64, c.k*c.d)
	var best kmRun
	for run := range nInit {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cluster: kmeans cancelled before run %d: %w", run+1, err)
		}
		rng := rand.New(rand.NewPCG(km.Seed, uint64(run)))
		var progress func(iter int, inertia float64)
		if km.Progress != nil {
			progress = func(iter int, inertia float64) {
				km.Progress(Progress{Algorithm: "kmeans", Run: run + 1, Runs: nInit,
					Iteration: iter, MaxIter: maxIter, Inertia: inertia})
			}
		}
		r, err := c.run(ctx, rng, maxIter, tol, progress)
		if err != nil {
			return nil, fmt.Errorf("cluster: kmeans run %d: %w", run+1, err)
		}
		if run == 0 || r.inertia < best.inertia {
			best = r
			if err := c.keep(ctx); err != nil {
				return nil, fmt.Errorf("cluster: kmeans run %d: %w", run+1, err)
			}
			copy(bestCenters, c.centers)
		}
	}
	labels, err := c.bestLabels(ctx)
	if err != nil {
		return nil, fmt.Errorf("cluster: kmeans: %w", err)
	}
	centers := &matrix.Dense{Rows: c.k, Cols: c.d, Data: bestCenters}
	return &Model{
		Algorithm:  "kmeans",
		K:          c.k,
		Labels:     labels,
		Centers:    centers,
		Inertia:    best.inertia,
		Iterations: best.iterations,
		Converged:  best.converged,
		Predictor:  NearestCenter{Centers: centers},
	}, nil
}

// cmp0 returns v, or def when v is 0.
func cmp0(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func checkKMeansSettings(k, nInit, maxIter int, tol float64, workers int) error {
	switch {
	case k <= 0:
		return fmt.Errorf("%w: K = %d, want > 0", ErrBadSettings, k)
	case nInit < 0:
		return fmt.Errorf("%w: NInit = %d, want >= 0", ErrBadSettings, nInit)
	case maxIter < 0:
		return fmt.Errorf("%w: MaxIter = %d, want >= 0", ErrBadSettings, maxIter)
	case tol < 0 || math.IsNaN(tol) || math.IsInf(tol, 0):
		return fmt.Errorf("%w: Tol = %v, want a finite value >= 0", ErrBadSettings, tol)
	case workers < 0:
		return fmt.Errorf("%w: Workers = %d, want >= 0", ErrBadSettings, workers)
	}
	return nil
}

// kmRun is the outcome of one k-means run.
type kmRun struct {
	inertia    float64
	iterations int
	converged  bool
}

// kmState is a shard's side of k-means: its rows, their labels and bounds,
// and its per-chunk partial results. The coordinator (kmCoord) owns the
// centres and what is derived from them, and hands them over with each
// request (handle); in a single-process fit the one shard holds every row
// and shares the coordinator's buffers. Row indices here are the shard's
// own, from 0.
type kmState struct {
	x                []float64
	n, d, k          int
	workers, chunks  int
	centers          []float64 // k×d: the current centres (the coordinator's)
	centersT         []float64 // the centres by transposeGroups (the coordinator's)
	labels, best     []int     // per row: this run's labels; the best run's (after keep)
	kept             bool      // whether best holds this fit's best run (a renewed state's best is a buffer)
	upper, lower     []float64 // per row: Hamerly bounds (while seeding: a bound on the second-nearest and the nearest squared distance)
	half             []float64 // per centre: half the distance to the nearest other centre
	shift            []float64 // per centre: distance moved in the last update
	maxShift, shift2 float64   // largest shift and largest among the other centres
	maxShiftIdx      int
	psum             []float64 // chunks×k×d partial sums
	pcount           []int     // chunks×k partial counts
	pchanged         []int     // chunks: labels changed
	pval             []float64 // chunks×trials: partial inertia or potentials
	trials           int       // k-means++ candidates per centre
	pot              []float64 // chunks: sum of the nearest squared distances
	cand, candPrev   []float64 // trials×d candidate rows of this and the last round
	ccMin            []float64 // k: squared distance from each centre to the nearest candidate
	pending          int       // centre whose candidate is yet to be applied, or -1
	improve          []uint16  // per row: bit t set if candidate t of the last round is closer; bit 15: not all pruned
	pendingCand      int       // index of that candidate in candPrev
	coord            *kmCoord  // the single-process coordinator over this shard alone (coordinator)
}

// seedTrials is the number of k-means++ candidates per centre:
// scikit-learn's 2+⌊ln k⌋, capped at 15 (reached for k above 1.2 million)
// to fit the per-row bit mask.
func seedTrials(k int) int {
	return min(2+int(math.Log(float64(k))), 15)
}

func newKMState(x *matrix.Dense, k, workers int) *kmState {
	return renewKMState(nil, x, k, workers)
}

// renewKMState is newKMState, taking the per-row buffers of prev (when not
// nil) if it has as many rows: a fit sets every row's label and bounds
// before it reads them (start, trialChunk and the first assignment pass),
// so what prev left in them does not matter.
func renewKMState(prev *kmState, x *matrix.Dense, k, workers int) *kmState {
	n, d := x.Rows, x.Cols
	chunks := numChunks(n)
	trials := seedTrials(k)
	st := &kmState{
		x: x.Data[:n*d], n: n, d: d, k: k, workers: workers, chunks: chunks,
		centers: make([]float64, k*d), centersT: make([]float64, k/4*4*d),
		pending: -1,
		half:    make([]float64, k), shift: make([]float64, k),
		psum: make([]float64, chunks*k*d), pcount: make([]int, chunks*k),
		pchanged: make([]int, chunks), pval: make([]float64, chunks*trials),
		trials: trials, pot: make([]float64, chunks),
		cand: make([]float64, trials*d), candPrev: make([]float64, trials*d),
		ccMin: make([]float64, k),
	}
	if prev != nil && prev.n == n {
		st.labels, st.upper, st.lower, st.improve, st.best = prev.labels, prev.upper, prev.lower, prev.improve, prev.best
	} else {
		st.labels, st.upper, st.lower, st.improve = make([]int, n), make([]float64, n), make([]float64, n), make([]uint16, n)
	}
	return st
}

// coordinator returns the coordinator of a single-process fit over st
// alone; it shares st's centres, so st.centers is the fit's.
func (st *kmState) coordinator() *kmCoord {
	if st.coord == nil {
		st.coord = newKMCoord(localShard{st}, []int{0, st.n}, st.d, st.k)
		st.coord.centers = st.centers
	}
	return st.coord
}

// seed is coordinator().seed, for a fit over st alone.
func (st *kmState) seed(ctx context.Context, rng *rand.Rand) error {
	return st.coordinator().seed(ctx, rng)
}

// lloyd is coordinator().lloyd, for a fit over st alone.
func (st *kmState) lloyd(ctx context.Context, maxIter int, tol float64, progress func(int, float64)) (kmRun, error) {
	return st.coordinator().lloyd(ctx, maxIter, tol, progress)
}

// start sets every row's nearest centre to the first one, c0, with its
// squared distance, and each chunk's potential (their sum).
func (st *kmState) start(c0 []float64) {
	n, d, x := st.n, st.d, st.x
	st.pending = -1
	forEachChunk(st.workers, st.chunks, func(c int) {
		lo, hi := chunkBounds(c, n)
		s := 0.0
		for i := lo; i < hi; i++ {
			v := sqdist(x[i*d:i*d+d], c0)
			st.lower[i] = v
			st.upper[i] = math.Inf(1) // no second centre yet
			st.labels[i] = 0
			s += v
		}
		st.pot[c] = s
	})
}

// searchChunk returns the first row of chunk c whose cumulative squared
// distance, added to off, reaches r (numpy's searchsorted, side left),
// clipped to the chunk's last row. The distances are those after the
// pending candidate is accepted, summed in row order, so the cumulative sum
// agrees exactly with the potential.
func (st *kmState) searchChunk(c int, off, r float64) int {
	lo, hi := chunkBounds(c, st.n)
	run := 0.0
	for i := lo; i < hi; i++ {
		run += st.acceptRow(i, true)
		if off+run >= r {
			return i
		}
	}
	return hi - 1
}

// assign runs one assignment pass over the shard's chunks (assignChunk),
// leaving per chunk the labels changed, the inertia (with exact) and the
// sums and counts (with accumulate: of all rows with full, otherwise the
// changes). It applies the pending k-means++ candidate, if any.
func (st *kmState) assign(first, accumulate, full, exact bool) {
	forEachChunk(st.workers, st.chunks, func(c int) {
		st.assignChunk(c, first, accumulate, full, exact)
	})
	st.pending = -1
}

// assignBlock is the number of rows assignChunk takes at a time: it first
// works out the bounds of each, then computes the distances needed to tighten
// them in one batch (sqdistRows), then searches the rows the bounds do not
// settle in another (nearest2Rows), then updates labels, bounds and sums in
// row order.
const assignBlock = 128

func (st *kmState) assignChunk(c int, first, accumulate, full, exact bool) {
	if !first && !full && !exact {
		st.assignChunkPruned(c, accumulate)
		return
	}
	n, d, k := st.n, st.d, st.k
	lo, hi := chunkBounds(c, n)
	sums, counts := st.partials(c, accumulate)
	x, cs, csT := st.x, st.centers, st.centersT
	var pbit uint16 // the pending k-means++ candidate's bit (0: none)
	if st.pending >= 0 {
		pbit = 1 << st.pendingCand
	}
	half, shift := st.half, st.shift
	maxShift, shift2, maxIdx := st.maxShift, st.shift2, st.maxShiftIdx
	changed, inertia := 0, 0.0
	var (
		ub, lb, mb, db [assignBlock]float64 // per row of the block: u, l, m, dsq
		xo, co         [assignBlock]int     // rows to tighten or search: offsets of row and centre
		pos            [assignBlock]int     // and their index in the block
		tight          [assignBlock]float64 // their squared distances
		nb             [assignBlock]int     // searched rows: nearest centre,
		n1, n2         [assignBlock]float64 // nearest and second-nearest squared distance
	)
	for blo := lo; blo < hi; blo += assignBlock {
		bhi := min(blo+assignBlock, hi)
		labels, upper, lower := st.labels[blo:bhi], st.upper[blo:bhi], st.lower[blo:bhi]
		improve := st.improve[blo:bhi]
		nt := 0
		for r := range labels {
			var u, l float64
			dsq := -1.0 // the exact squared distance to centre a, once known
			if first {
				// The seeding left the exact distance to the nearest centre
				// and a bound on the second nearest (trialChunk); shifts are
				// zero. So the bounds settle nearly every row.
				dsq, sec := lower[r], upper[r]
				if improve[r]&pbit != 0 {
					sec = fmin(sec, dsq)
					dsq = st.acceptDist(blo+r, false)
				}
				u, l = math.Sqrt(dsq), math.Sqrt(sec)
			} else {
				u, l = upper[r], lower[r]
			}
			a := labels[r]
			u += shift[a]
			if a == maxIdx {
				l -= shift2
			} else {
				l -= maxShift
			}
			m := fmax(half[a], l)
			xo[nt], co[nt], pos[nt] = (blo+r)*d, a*d, r
			nt += b2i(dsq < 0 && (u > m || exact))
			ub[r], lb[r], mb[r], db[r] = u, l, m, dsq
		}
		sqdistRows(x, cs, d, xo[:], co[:], tight[:nt])
		for q, r := range pos[:nt] {
			db[r] = tight[q]
			ub[r] = math.Sqrt(tight[q])
		}
		// Rows whose bound still fails go on to the full search. Past the
		// first pass only tightened rows can fail (the others passed the
		// bound test above), so only they are looked at.
		ns := 0
		if first {
			for r := range labels {
				xo[ns] = (blo + r) * d
				ns += b2i(ub[r] > mb[r])
			}
		} else {
			for _, r := range pos[:nt] {
				xo[ns] = (blo + r) * d
				ns += b2i(ub[r] > mb[r])
			}
		}
		nearest2Rows(x, csT, cs, d, k, xo[:ns], nb[:], n1[:], n2[:])
		q := 0
		for r := range labels {
			xi := x[(blo+r)*d : (blo+r)*d+d]
			u, l, dsq := ub[r], lb[r], db[r]
			a := labels[r]
			if u > mb[r] {
				b, d1, d2 := nb[q], n1[q], n2[q]
				q++
				if b != a {
					if accumulate && !full {
						so, sb := sums[a*d:a*d+d], sums[b*d:b*d+d]
						for j, v := range xi {
							so[j] -= v
							sb[j] += v
						}
						counts[a]--
						counts[b]++
					}
					a = b
					labels[r] = b
					changed++
				}
				dsq = d1
				u = math.Sqrt(d1)
				l = math.Sqrt(d2)
			}
			upper[r], lower[r] = u, l
			if full {
				s := sums[a*d : a*d+d]
				for j, v := range xi {
					s[j] += v
				}
				counts[a]++
			}
			if exact {
				inertia += dsq
			}
		}
	}
	st.pchanged[c] = changed
	st.pval[c] = inertia
}

// partials returns chunk c's partial sums and counts, cleared when the pass
// accumulates into them.
func (st *kmState) partials(c int, accumulate bool) ([]float64, []int) {
	k, d := st.k, st.d
	sums, counts := st.psum[c*k*d:(c+1)*k*d], st.pcount[c*k:(c+1)*k]
	if accumulate {
		clear(sums)
		clear(counts)
	}
	return sums, counts
}

// assignChunkPruned is assignChunk for the passes of most iterations: not
// the first (the bounds are set up), no sums from scratch and no inertia.
// Only the bounds of a row the shifts leave unsettled need more than the
// first sweep, so that sweep writes every row's moved bounds back at once
// and lists the unsettled ones; the later steps (tightening, the full
// search, the label and sum changes) visit only those. Its results are
// those of the general path, bit for bit.
func (st *kmState) assignChunkPruned(c int, accumulate bool) {
	n, d, k := st.n, st.d, st.k
	lo, hi := chunkBounds(c, n)
	sums, counts := st.partials(c, accumulate)
	x, cs, csT := st.x, st.centers, st.centersT
	half, shift := st.half, st.shift
	maxShift, shift2, maxIdx := st.maxShift, st.shift2, st.maxShiftIdx
	changed := 0
	var (
		xo, co   [assignBlock]int     // unsettled rows: offsets of row and own centre
		pos, sp  [assignBlock]int     // their index in the block; of the searched rows
		mq, tigh [assignBlock]float64 // their bound to beat; squared distance to the own centre
		nb       [assignBlock]int     // searched rows: nearest centre,
		n1, n2   [assignBlock]float64 // nearest and second-nearest squared distance
	)
	for blo := lo; blo < hi; blo += assignBlock {
		bhi := min(blo+assignBlock, hi)
		labels, upper, lower := st.labels[blo:bhi], st.upper[blo:bhi], st.lower[blo:bhi]
		upper, lower = upper[:len(labels)], lower[:len(labels)]
		nt := 0
		for r, a := range labels {
			u := upper[r] + shift[a]
			ls := maxShift
			if a == maxIdx {
				ls = shift2
			}
			l := lower[r] - ls
			m := fmax(half[a], l)
			upper[r], lower[r] = u, l
			xo[nt], co[nt], pos[nt], mq[nt] = (blo+r)*d, a*d, r, m
			nt += b2i(u > m)
		}
		if nt == 0 {
			continue
		}
		sqdistRows(x, cs, d, xo[:], co[:], tigh[:nt])
		ns := 0
		for q, r := range pos[:nt] {
			u := math.Sqrt(tigh[q])
			upper[r] = u
			xo[ns], sp[ns] = (blo+r)*d, r
			ns += b2i(u > mq[q])
		}
		if ns == 0 {
			continue
		}
		nearest2Rows(x, csT, cs, d, k, xo[:ns], nb[:], n1[:], n2[:])
		for q, r := range sp[:ns] {
			a, b := labels[r], nb[q]
			if b != a {
				if accumulate {
					xi := x[(blo+r)*d : (blo+r)*d+d]
					so, sb := sums[a*d:a*d+d], sums[b*d:b*d+d]
					for j, v := range xi {
						so[j] -= v
						sb[j] += v
					}
					counts[a]--
					counts[b]++
				}
				labels[r] = b
				changed++
			}
			upper[r], lower[r] = math.Sqrt(n1[q]), math.Sqrt(n2[q])
		}
	}
	st.pchanged[c] = changed
	st.pval[c] = 0
}

// farthestRows returns the m rows with the largest squared distance to their
// labelled centre, farthest first and the lower row first on ties, with
// those distances.
func farthestRows(x []float64, n, d int, cs []float64, labels []int, m int) ([]int, []float64) {
	rows := make([]int, 0, m+1)
	dist := make([]float64, 0, m+1)
	for i := range n {
		a := labels[i]
		s := sqdist(x[i*d:i*d+d], cs[a*d:a*d+d])
		if len(rows) == m && s <= dist[m-1] {
			continue
		}
		p := len(rows)
		for p > 0 && dist[p-1] < s {
			p--
		}
		rows = append(rows, 0)
		dist = append(dist, 0)
		copy(rows[p+1:], rows[p:])
		copy(dist[p+1:], dist[p:])
		rows[p], dist[p] = i, s
		if len(rows) > m {
			rows, dist = rows[:m], dist[:m]
		}
	}
	return rows, dist
}

// acceptRow returns row i's squared distance to its nearest centre once the
// pending candidate (if any) has become a centre, and records the distance
// and label unless peek. trialChunk marked the rows the candidate is closer
// to; their distance is recomputed with the same arithmetic, so the
// distances agree exactly with the potentials.
func (st *kmState) acceptRow(i int, peek bool) float64 {
	if st.pending < 0 || st.improve[i]&(1<<st.pendingCand) == 0 {
		return st.lower[i]
	}
	return st.acceptDist(i, peek)
}

// acceptDist is acceptRow for a row the pending candidate is closer to.
func (st *kmState) acceptDist(i int, peek bool) float64 {
	d, bt := st.d, st.pendingCand
	s := sqdist(st.x[i*d:i*d+d], st.candPrev[bt*d:bt*d+d])
	if !peek {
		st.lower[i] = s
		st.labels[i] = st.pending
	}
	return s
}

// trialChunk applies the pending candidate to the rows of chunk ch and
// computes the potential each new candidate would leave: the sum over rows of
// the lower of the candidate's distance and the row's current one, recording
// in st.improve which candidates are closer. It also keeps, in st.upper, a
// lower bound on each row's squared distance to every chosen centre but its
// nearest: the minimum of the distances a row had to its nearest centre
// before it moved, and of the distances to the candidates that were not
// closer than its nearest (any candidate may be the one chosen; one that is
// not only lowers the bound). Each of these is at least the row's final
// nearest distance, so after seeding the bounds settle nearly every row of
// the first assignment pass without a search. When every candidate is pruned
// by the triangle inequality no distance is computed. The first four
// candidates are handled in the same sweep as the pending one (each row is
// read from memory once), a block of assignBlock rows at a time: the rows the
// pending candidate is closer to get their distance in one batch
// (sqdistRows), the unpruned rows their distances to the four in another
// (dist4Rows). Any further candidates are handled in sweeps over the chunk,
// which is then in cache. Each potential is summed over the rows in order.
func (st *kmState) trialChunk(ch int) {
	d, T := st.d, st.trials
	lo, hi := chunkBounds(ch, st.n)
	ccMin := st.ccMin
	pot := st.pval[ch*T : ch*T+T]
	clear(pot)
	g := min(T, 4)
	// The first four candidates interleaved, ct[4j+t] = coordinate j of
	// candidate t (the last one repeated when there are fewer), so the inner
	// loop needs one pointer.
	var ctBuf [4 * 64]float64
	ct := ctBuf[:0]
	if 4*d > len(ctBuf) {
		ct = make([]float64, 0, 4*d)
	}
	for j := range d {
		for t := range 4 {
			ct = append(ct, st.cand[min(t, g-1)*d+j])
		}
	}
	var p0, p1, p2, p3 float64
	// The pending candidate's bit in the last round's marks (0: none), and
	// its offset in candPrev.
	var pbit uint16
	var po int
	if st.pending >= 0 {
		pbit = 1 << st.pendingCand
		po = st.pendingCand * d
	}
	var (
		xo, co [assignBlock]int     // rows of the block to compute: offsets of row and candidate
		pos    [assignBlock]int     // and their index in the block
		acc    [assignBlock]float64 // squared distances to the pending candidate
		s4     [4 * assignBlock]float64
	)
	for blo := lo; blo < hi; blo += assignBlock {
		bhi := min(blo+assignBlock, hi)
		lower, labels, improve := st.lower[blo:bhi], st.labels[blo:bhi], st.improve[blo:bhi]
		na := 0
		for r, m := range improve {
			xo[na], co[na], pos[na] = (blo+r)*d, po, r
			na += b2i(m&pbit != 0)
		}
		sqdistRows(st.x, st.candPrev, d, xo[:], co[:], acc[:na])
		upper := st.upper[blo:bhi]
		upper = upper[:len(lower)]
		for q, r := range pos[:na] {
			upper[r] = fmin(upper[r], lower[r])
			lower[r] = acc[q]
			labels[r] = st.pending
		}
		nu := 0
		for r, ci := range lower {
			xo[nu] = (blo + r) * d
			nu += b2i(ccMin[labels[r]] < 4*ci)
		}
		dist4Rows(st.x, ct, d, xo[:nu], s4[:4*nu])
		q := 0
		for r, ci := range lower {
			if cc := ccMin[labels[r]]; cc >= 4*ci {
				// Every candidate is at least √cc − √ci ≥ √ci away (triangle
				// inequality); the bound is lowered a few ulps for rounding.
				b := math.Sqrt(cc) - math.Sqrt(ci)
				upper[r] = fmin(upper[r], b*b*(1-0x1p-50))
				improve[r] = 0
				p0 += ci
				p1 += ci
				p2 += ci
				p3 += ci
				continue
			}
			s := s4[4*q : 4*q+4 : 4*q+4]
			q++
			// Each candidate closer than the nearest centre is marked and
			// counts its distance; the others count the nearest and lower
			// the bound on the second nearest.
			m, sec := uint16(needBit), upper[r]
			if s0 := s[0]; s0 < ci {
				m |= 1
				p0 += s0
			} else {
				p0 += ci
				sec = fmin(sec, s0)
			}
			if s1 := s[1]; s1 < ci {
				m |= 2
				p1 += s1
			} else {
				p1 += ci
				sec = fmin(sec, s1)
			}
			if s2 := s[2]; s2 < ci {
				m |= 4
				p2 += s2
			} else {
				p2 += ci
				sec = fmin(sec, s2)
			}
			if s3 := s[3]; s3 < ci {
				m |= 8
				p3 += s3
			} else {
				p3 += ci
				sec = fmin(sec, s3)
			}
			upper[r] = sec
			improve[r] = m & (needBit | (1<<g - 1))
		}
	}
	p := [4]float64{p0, p1, p2, p3}
	copy(pot, p[:g])
	x := st.x[lo*d : hi*d]
	lower, upper, improve := st.lower[lo:hi], st.upper[lo:hi], st.improve[lo:hi]
	for t := g; t < T; t++ {
		ct := st.cand[t*d : t*d+d]
		pt := 0.0
		for r, ci := range lower {
			if improve[r] != 0 {
				if s := sqdist(x[r*d:r*d+d], ct); s < ci {
					improve[r] |= 1 << t
					ci = s
				} else {
					upper[r] = fmin(upper[r], s)
				}
			}
			pt += ci
		}
		pot[t] = pt
	}
}

// needBit marks, in st.improve, a row for which some candidate was not
// pruned.
const needBit = 1 << 15

// fmax and fmin are max and min for values that are never NaN: distances,
// bounds and potentials. Go's max and min of floats also order NaN and −0,
// which on js/wasm costs a call into the runtime per use (7 % of a k-means
// fit under Node); for these values the results are the same.
func fmax(a, b float64) float64 {
	if b > a {
		return b
	}
	return a
}

func fmin(a, b float64) float64 {
	if b < a {
		return b
	}
	return a
}

// b2i is 1 for true and 0 for false; the compiler makes it a flag set, so
// the row selections of assignChunk need no unpredictable branch.
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}
