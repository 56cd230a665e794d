package cluster

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// kmCoord is the coordinator side of k-means: it owns the centres, the
// cluster sums and counts, the random stream of the seeding and the
// decisions, and sends every piece of per-row work to the shards that hold
// the rows (kmState), which answer per chunk. It adds the chunks' answers in
// global chunk order, exactly as a single process would, so the result does
// not depend on how the rows are split (as long as every shard holds whole
// chunks) or on the number of workers in each. Only O(chunks·k·d) numbers
// cross per iteration.
type kmCoord struct {
	shards           shardConn
	bounds           []int // shard i holds rows [bounds[i], bounds[i+1])
	chunk0           []int // shard i holds chunks [chunk0[i], chunk0[i+1])
	n, d, k          int
	trials           int
	centers, next    []float64 // k×d: current centres and the update
	centersT         []float64 // the centres by transposeGroups
	half, shift      []float64 // per centre: see kmState
	maxShift, shift2 float64
	maxShiftIdx      int
	sums             []float64 // k×d sum of the rows of each cluster
	counts           []int     // k rows per cluster
	fullSums         bool      // the next pass recomputes sums and counts from scratch
	pot              []float64 // per chunk: sum of the nearest squared distances
	cand             []float64 // trials×d candidate rows of this round
	ccMin            []float64 // k: squared distance from each centre to the nearest candidate
	pending          int       // centre whose candidate is yet to be applied, or -1
	pendingCand      int       // index of that candidate
	last             []*ShardReply
}

// shardConn sends reqs[i] to shard i and returns the replies in shard order.
type shardConn interface {
	do(ctx context.Context, reqs []*ShardRequest) ([]*ShardReply, error)
}

// localShard is the one shard of a single-process fit, called directly.
type localShard struct{ st *kmState }

func (l localShard) do(_ context.Context, reqs []*ShardRequest) ([]*ShardReply, error) {
	rep, err := l.st.handle(reqs[0], 0)
	if err != nil {
		return nil, err
	}
	return []*ShardReply{rep}, nil
}

// newKMCoord returns a coordinator for shards holding the rows split at
// bounds (bounds[0] = 0, bounds[len-1] = n; every split a multiple of
// chunkRows).
func newKMCoord(shards shardConn, bounds []int, d, k int) *kmCoord {
	n := bounds[len(bounds)-1]
	chunk0 := make([]int, len(bounds))
	for i, b := range bounds {
		chunk0[i] = numChunks(b)
	}
	trials := seedTrials(k)
	return &kmCoord{
		shards: shards, bounds: bounds, chunk0: chunk0, n: n, d: d, k: k, trials: trials,
		centers: make([]float64, k*d), next: make([]float64, k*d),
		centersT: make([]float64, k/4*4*d),
		half:     make([]float64, k), shift: make([]float64, k),
		sums: make([]float64, k*d), counts: make([]int, k),
		pot: make([]float64, numChunks(n)), cand: make([]float64, trials*d),
		ccMin: make([]float64, k), pending: -1,
	}
}

// broadcast sends the same request to every shard.
func (c *kmCoord) broadcast(ctx context.Context, req *ShardRequest) ([]*ShardReply, error) {
	reqs := make([]*ShardRequest, len(c.bounds)-1)
	for i := range reqs {
		reqs[i] = req
	}
	return c.shards.do(ctx, reqs)
}

// run performs one k-means run from a k-means++ seeding drawn from rng. On
// return the shards hold its labels and c.centers its centres.
func (c *kmCoord) run(ctx context.Context, rng *rand.Rand, maxIter int, tol float64, progress func(int, float64)) (kmRun, error) {
	if err := c.seed(ctx, rng); err != nil {
		return kmRun{}, err
	}
	return c.lloyd(ctx, maxIter, tol, progress)
}

// keep makes the shards remember the current labels as the best run's.
func (c *kmCoord) keep(ctx context.Context) error {
	_, err := c.broadcast(ctx, &ShardRequest{Op: ShardKeep})
	return err
}

// bestLabels collects the labels the shards kept, in row order.
func (c *kmCoord) bestLabels(ctx context.Context) ([]int, error) {
	reps, err := c.broadcast(ctx, &ShardRequest{Op: ShardLabels})
	if err != nil {
		return nil, err
	}
	if len(reps) == 1 {
		return reps[0].Labels, nil
	}
	labels := make([]int, 0, c.n)
	for _, rep := range reps {
		labels = append(labels, rep.Labels...)
	}
	if len(labels) != c.n {
		return nil, fmt.Errorf("shards returned %d labels for %d rows", len(labels), c.n)
	}
	return labels, nil
}

// target is a row to find: the first row of global chunk chunk whose
// cumulative squared distance, added to off, reaches r; or, with chunk < 0,
// the row row.
type target struct {
	chunk  int
	off, r float64
	row    int
}

// locate finds the chunk of the first row whose cumulative squared distance
// reaches r (the chunk sums added in order), or the last row when r is
// beyond the total.
func (c *kmCoord) locate(r float64) target {
	off := 0.0
	for g, s := range c.pot {
		if off+s >= r {
			return target{chunk: g, off: off, r: r}
		}
		off += s
	}
	return target{chunk: -1, row: c.n - 1}
}

// shardOf returns the shard holding global chunk g (or, with chunk false,
// global row g).
func (c *kmCoord) shardOf(g int, chunk bool) int {
	b := c.bounds
	if chunk {
		b = c.chunk0
	}
	return sort.Search(len(b)-1, func(i int) bool { return b[i+1] > g })
}

// search finds the targets on the shards that hold them and copies each
// found row into dst (row t at t·d). With newRound the shards start a
// seeding round (the last round's candidates become the pending ones).
func (c *kmCoord) search(ctx context.Context, targets []target, newRound bool, dst []float64) error {
	ns := len(c.bounds) - 1
	reqs := make([]*ShardRequest, ns)
	owner := make([]int, len(targets))
	for i := range reqs {
		reqs[i] = &ShardRequest{Op: ShardSearch, NewRound: newRound, Pending: c.pending, PendingCand: c.pendingCand}
	}
	for t, tg := range targets {
		var s int
		var st ShardTarget
		if tg.chunk >= 0 {
			s = c.shardOf(tg.chunk, true)
			st = ShardTarget{Chunk: tg.chunk - c.chunk0[s], Offset: tg.off, Target: tg.r}
		} else {
			s = c.shardOf(tg.row, false)
			st = ShardTarget{Chunk: -1, Row: tg.row - c.bounds[s]}
		}
		owner[t] = s
		reqs[s].Targets = append(reqs[s].Targets, st)
	}
	reps, err := c.shards.do(ctx, reqs)
	if err != nil {
		return err
	}
	next := make([]int, ns)
	d := c.d
	for t, s := range owner {
		q := next[s]
		next[s]++
		if len(reps[s].RowData) < (q+1)*d {
			return fmt.Errorf("shard %d returned %d values for %d rows", s, len(reps[s].RowData), len(reqs[s].Targets))
		}
		copy(dst[t*d:t*d+d], reps[s].RowData[q*d:q*d+d])
	}
	return nil
}

// seed chooses the initial centres by greedy k-means++ exactly as
// scikit-learn's _kmeans_plusplus: the first centre is a uniformly drawn row;
// each further centre is the best of `trials` rows drawn with probability
// proportional to the squared distance to the nearest chosen centre, best
// meaning the lowest resulting potential (the first on ties). On return
// every row is labelled with its nearest centre, with the squared distance to
// it in the shard's lower and a lower bound on the squared distance to the
// second nearest in its upper (trialChunk), once the pending last candidate
// is applied (acceptRow, done by the first assignment pass).
//
// Two savings leave the result unchanged: a row whose distance to its
// nearest centre is at most half the distance from that centre to every
// candidate cannot get closer to any candidate (triangle inequality), so its
// distances are not computed; and the update of the nearest distances for the
// chosen candidate is made in the same pass over the rows as the evaluation
// of the next round's candidates (the sampling needs only the per-chunk sums,
// which the evaluation already produced, plus the rows of the chunks it
// lands in, recomputed on the fly).
func (c *kmCoord) seed(ctx context.Context, rng *rand.Rand) error {
	n, d, k, T := c.n, c.d, c.k, c.trials
	c.pending = -1
	first := rng.IntN(n)
	if err := c.search(ctx, []target{{chunk: -1, row: first}}, false, c.centers[:d]); err != nil {
		return err
	}
	reps, err := c.broadcast(ctx, &ShardRequest{Op: ShardStart, Center: c.centers[:d]})
	if err != nil {
		return err
	}
	g := 0
	for _, rep := range reps {
		g += copy(c.pot[g:], rep.Pot)
	}
	pot := 0.0
	for _, s := range c.pot {
		pot += s
	}
	targets := make([]target, T)
	potT := make([]float64, T)
	for ci := 1; ci < k; ci++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("cancelled while seeding centre %d: %w", ci+1, err)
		}
		for t := range T {
			targets[t] = c.locate(rng.Float64() * pot)
		}
		if err := c.search(ctx, targets, true, c.cand); err != nil {
			return err
		}
		for j := range ci {
			c.ccMin[j] = math.Inf(1)
			for t := range T {
				c.ccMin[j] = min(c.ccMin[j], sqdist(c.centers[j*d:j*d+d], c.cand[t*d:t*d+d]))
			}
		}
		reps, err := c.broadcast(ctx, &ShardRequest{Op: ShardTrial, Cand: c.cand, CCMin: c.ccMin,
			Pending: c.pending, PendingCand: c.pendingCand})
		if err != nil {
			return err
		}
		clear(potT)
		for _, rep := range reps {
			for ch := range len(rep.Pot) / T {
				for t := range T {
					potT[t] += rep.Pot[ch*T+t]
				}
			}
		}
		bt := 0
		for t := 1; t < T; t++ {
			if potT[t] < potT[bt] {
				bt = t
			}
		}
		copy(c.centers[ci*d:ci*d+d], c.cand[bt*d:bt*d+d])
		g := 0
		for _, rep := range reps {
			for ch := range len(rep.Pot) / T {
				c.pot[g] = rep.Pot[ch*T+bt]
				g++
			}
		}
		pot = potT[bt]
		c.pending, c.pendingCand = ci, bt
	}
	// The last candidate is applied by the first assignment pass.
	_, err = c.broadcast(ctx, &ShardRequest{Op: ShardSeeded, Pending: c.pending, PendingCand: c.pendingCand})
	return err
}

// lloyd iterates from c.centers, given every row labelled with its nearest
// centre, the squared distance to it in the shards' lower and a bound on the
// second nearest in their upper, once any pending k-means++ candidate is
// applied (as seed leaves them).
func (c *kmCoord) lloyd(ctx context.Context, maxIter int, tol float64, progress func(int, float64)) (kmRun, error) {
	c.fullSums = true
	transposeGroups(c.centersT, c.centers, c.k, c.d)
	clear(c.shift)
	c.maxShift, c.shift2, c.maxShiftIdx = 0, 0, 0
	c.halfDistances()

	r := kmRun{iterations: maxIter}
	for it := 1; it <= maxIter; it++ {
		if it > 1 {
			if err := ctx.Err(); err != nil {
				return kmRun{}, fmt.Errorf("cancelled at iteration %d: %w", it, err)
			}
		}
		changed, inertia, err := c.assign(ctx, it == 1, true, progress != nil)
		if err != nil {
			return kmRun{}, err
		}
		if it == 1 {
			// As in scikit-learn, the first labels are compared with none.
			changed = c.n
		}
		shiftTot, err := c.update(ctx)
		if err != nil {
			return kmRun{}, err
		}
		if progress != nil {
			progress(it, inertia)
		}
		if changed == 0 || shiftTot <= tol {
			r.iterations, r.converged = it, true
			break
		}
	}
	// Final E-step: labels match the centres, and the exact inertia.
	_, inertia, err := c.assign(ctx, false, false, true)
	if err != nil {
		return kmRun{}, err
	}
	r.inertia = inertia
	return r, nil
}

// halfDistances sets half[j] to half the distance from centre j to the
// nearest other centre (+Inf when k == 1).
func (c *kmCoord) halfDistances() {
	d := c.d
	for j := range c.k {
		m := math.Inf(1)
		for o := range c.k {
			if o != j {
				m = min(m, sqdist(c.centers[j*d:j*d+d], c.centers[o*d:o*d+d]))
			}
		}
		c.half[j] = math.Sqrt(m) / 2
	}
}

// assign runs one assignment pass with Hamerly's bounds on every shard,
// first moving the bounds by the last centre shifts, or with first, setting
// them up from the seeding (an exact upper bound, a trivial lower one). With
// accumulate the shards collect per-chunk sums and counts for the update
// (when c.fullSums, of all rows; otherwise only the changes: rows leaving
// and joining clusters); with exact it also returns the inertia (which then
// costs one distance per pruned row). It returns the number of labels
// changed.
func (c *kmCoord) assign(ctx context.Context, first, accumulate, exact bool) (changed int, inertia float64, err error) {
	full := accumulate && c.fullSums
	reps, err := c.broadcast(ctx, &ShardRequest{Op: ShardAssign,
		First: first, Accumulate: accumulate, Full: full, Exact: exact,
		Centers: c.centers, CentersT: c.centersT, Half: c.half, Shift: c.shift,
		MaxShift: c.maxShift, Shift2: c.shift2, MaxShiftIdx: c.maxShiftIdx})
	if err != nil {
		return 0, 0, err
	}
	c.pending = -1
	for _, rep := range reps {
		for ch := range rep.Changed {
			changed += rep.Changed[ch]
			inertia += rep.Inertia[ch]
		}
	}
	c.last = reps
	return changed, inertia, nil
}

// update adds up the chunk sums (or changes) of the last pass in chunk
// order, relocates empty clusters, moves the centres to the means, records
// the shifts for the bounds and returns the total squared shift.
func (c *kmCoord) update(ctx context.Context) (float64, error) {
	d, k := c.d, c.k
	if c.fullSums {
		clear(c.sums)
		clear(c.counts)
		c.fullSums = false
	}
	for _, rep := range c.last {
		for ch := range len(rep.Counts) / k {
			for j, v := range rep.Sums[ch*k*d : (ch+1)*k*d] {
				c.sums[j] += v
			}
			for j, v := range rep.Counts[ch*k : (ch+1)*k] {
				c.counts[j] += v
			}
		}
	}
	moved, err := c.relocateEmpty(ctx)
	if err != nil {
		return 0, err
	}
	if moved {
		c.fullSums = true // the sums no longer follow the labels
	}
	for j := range k {
		nc, oc := c.next[j*d:j*d+d], c.centers[j*d:j*d+d]
		if c.counts[j] == 0 {
			copy(nc, oc) // can only follow a relocation that emptied it
			continue
		}
		cnt := float64(c.counts[j])
		for t, v := range c.sums[j*d : j*d+d] {
			nc[t] = v / cnt
		}
	}
	shiftTot := 0.0
	c.maxShift, c.shift2, c.maxShiftIdx = 0, 0, 0
	for j := range k {
		s := sqdist(c.next[j*d:j*d+d], c.centers[j*d:j*d+d])
		shiftTot += s
		c.shift[j] = math.Sqrt(s)
		if c.shift[j] > c.maxShift {
			c.shift2 = c.maxShift
			c.maxShift, c.maxShiftIdx = c.shift[j], j
		} else if c.shift[j] > c.shift2 {
			c.shift2 = c.shift[j]
		}
	}
	// The centres live in c.centers (shared with a single-process shard),
	// so the new ones are copied rather than swapped in.
	copy(c.centers, c.next)
	transposeGroups(c.centersT, c.centers, k, d)
	c.halfDistances()
	return shiftTot, nil
}

// relocateEmpty gives each empty cluster (in index order) one of the rows
// farthest from their current centre (farthest first, lowest row on ties),
// taking the row out of its own cluster's sum, as scikit-learn's
// _relocate_empty_clusters_dense does. Labels are left unchanged. It reports
// whether it moved any.
func (c *kmCoord) relocateEmpty(ctx context.Context) (bool, error) {
	d := c.d
	var empty []int
	for j, n := range c.counts {
		if n == 0 {
			empty = append(empty, j)
		}
	}
	if len(empty) == 0 {
		return false, nil
	}
	reps, err := c.broadcast(ctx, &ShardRequest{Op: ShardFarthest, M: len(empty), Centers: c.centers})
	if err != nil {
		return false, err
	}
	type far struct {
		row, label int
		dist       float64
		values     []float64
	}
	var all []far
	for s, rep := range reps {
		if len(rep.FarDist) != len(rep.Rows) || len(rep.Labels) != len(rep.Rows) || len(rep.RowData) != len(rep.Rows)*d {
			return false, fmt.Errorf("shard %d returned a malformed farthest-rows reply", s)
		}
		for q, row := range rep.Rows {
			all = append(all, far{row, rep.Labels[q], rep.FarDist[q], rep.RowData[q*d : q*d+d]})
		}
	}
	sort.SliceStable(all, func(a, b int) bool {
		if all[a].dist != all[b].dist {
			return all[a].dist > all[b].dist
		}
		return all[a].row < all[b].row
	})
	if len(all) < len(empty) {
		return false, fmt.Errorf("shards returned %d farthest rows for %d empty clusters", len(all), len(empty))
	}
	for idx, e := range empty {
		f := all[idx]
		o := f.label
		so, se := c.sums[o*d:o*d+d], c.sums[e*d:e*d+d]
		for t, v := range f.values {
			so[t] -= v
			se[t] = v
		}
		c.counts[e] = 1
		c.counts[o]--
	}
	return true, nil
}
