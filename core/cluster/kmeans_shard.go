package cluster

import (
	"context"
	"errors"
	"fmt"

	"github.com/segkit/segkit/core/matrix"
)

// ShardAlign is the granularity of a sharded k-means fit: every shard but
// the last must hold a multiple of ShardAlign rows, so that the shards'
// chunks are the chunks of the whole and their partial results add up in
// the same order.
const ShardAlign = chunkRows

// ShardOp is what a ShardRequest asks of a KMeansShard.
type ShardOp string

// The requests of a sharded k-means fit, in the order a fit sends them.
const (
	ShardStats    ShardOp = "stats"    // check the rows are finite; per-chunk means and squared deviations
	ShardSearch   ShardOp = "search"   // find rows by cumulative potential or by index, return their values
	ShardStart    ShardOp = "start"    // nearest distances to the first centre; per-chunk potentials
	ShardTrial    ShardOp = "trial"    // apply the pending candidate; per-chunk potentials of the new ones
	ShardSeeded   ShardOp = "seeded"   // the seeding is over; the last candidate is pending
	ShardAssign   ShardOp = "assign"   // one assignment pass; per-chunk changes, inertia, sums, counts
	ShardFarthest ShardOp = "farthest" // the M rows farthest from their centres (to refill empty clusters)
	ShardKeep     ShardOp = "keep"     // remember the current labels as the best run's
	ShardLabels   ShardOp = "labels"   // return the best run's labels
)

// ShardTarget is a row for ShardSearch to find: the first row of the shard's
// chunk Chunk whose cumulative squared distance, added to Offset, reaches
// Target; or, when Chunk < 0, the shard's row Row.
type ShardTarget struct {
	Chunk  int     `json:"chunk"`
	Offset float64 `json:"offset,omitempty"`
	Target float64 `json:"target,omitempty"`
	Row    int     `json:"row,omitempty"`
}

// ShardRequest is one message from the coordinator of a sharded k-means fit
// (KMeans.FitSharded) to a shard (KMeansShard.Handle). Only the fields of
// its Op are set. It is plain data with JSON tags, so it can cross to a Web
// Worker.
type ShardRequest struct {
	Op ShardOp `json:"op"`
	// ShardSearch: the rows to find (possibly none), and whether a new
	// seeding round starts.
	Targets  []ShardTarget `json:"targets,omitempty"`
	NewRound bool          `json:"new_round,omitempty"`
	// ShardSearch, ShardTrial, ShardSeeded: the centre whose k-means++
	// candidate is pending (-1: none) and that candidate's index.
	Pending     int `json:"pending"`
	PendingCand int `json:"pending_cand"`
	// ShardStart: the first centre.
	Center []float64 `json:"center,omitempty"`
	// ShardTrial: the candidates (trials×d) and each centre's squared
	// distance to the nearest of them.
	Cand  []float64 `json:"cand,omitempty"`
	CCMin []float64 `json:"cc_min,omitempty"`
	// ShardAssign: the pass's kind and the centres with their bounds data.
	First       bool      `json:"first,omitempty"`
	Accumulate  bool      `json:"accumulate,omitempty"`
	Full        bool      `json:"full,omitempty"`
	Exact       bool      `json:"exact,omitempty"`
	Centers     []float64 `json:"centers,omitempty"` // also ShardFarthest
	CentersT    []float64 `json:"centers_t,omitempty"`
	Half        []float64 `json:"half,omitempty"`
	Shift       []float64 `json:"shift,omitempty"`
	MaxShift    float64   `json:"max_shift,omitempty"`
	Shift2      float64   `json:"shift2,omitempty"`
	MaxShiftIdx int       `json:"max_shift_idx,omitempty"`
	// ShardFarthest: how many rows.
	M int `json:"m,omitempty"`
}

// ShardReply is a shard's answer to a ShardRequest; per-chunk fields hold
// one entry (or block) per chunk of the shard, in order. A reply may share
// the shard's buffers: it is valid until the shard's next request.
type ShardReply struct {
	// ShardStats: the first non-finite value (its row and column in the
	// shard, or Row -1), and per chunk and column the mean and the sum of
	// squared deviations.
	BadRow   int       `json:"bad_row"`
	BadCol   int       `json:"bad_col,omitempty"`
	BadValue float64   `json:"-"` // NaN or ±Inf, which JSON cannot carry; the coordinator only names it
	Mean     []float64 `json:"mean,omitempty"`
	M2       []float64 `json:"m2,omitempty"`
	// ShardSearch, ShardFarthest: the rows found (as rows of the whole
	// matrix) and their values (len(Rows)×d).
	Rows    []int     `json:"rows,omitempty"`
	RowData []float64 `json:"row_data,omitempty"`
	// ShardFarthest: their squared distances to their centres.
	FarDist []float64 `json:"far_dist,omitempty"`
	// ShardStart: per chunk, the potential; ShardTrial: per chunk, the
	// potential of each candidate (chunks×trials).
	Pot []float64 `json:"pot,omitempty"`
	// ShardAssign: per chunk, labels changed, inertia (with Exact) and, with
	// Accumulate, sums (chunks×k×d) and counts (chunks×k).
	Changed []int     `json:"changed,omitempty"`
	Inertia []float64 `json:"inertia,omitempty"`
	Sums    []float64 `json:"sums,omitempty"`
	Counts  []int     `json:"counts,omitempty"`
	// ShardLabels: the best run's labels; ShardFarthest: the rows' labels.
	Labels []int `json:"labels,omitempty"`
}

// KMeansShard holds a contiguous run of the rows of a sharded k-means fit —
// in the page, one Web Worker's share — with their labels and bounds, and
// answers the coordinator's requests. Memory: as KMeans, for its rows.
type KMeansShard struct {
	st    *kmState
	first int
}

// NewKMeansShard returns the shard holding the rows of x, which are the rows
// first, first+1, … of the whole matrix (first a multiple of ShardAlign),
// for k clusters, sharing its work between workers goroutines (0:
// GOMAXPROCS). It keeps x; x must not change during the fit.
func NewKMeansShard(x *matrix.Dense, first, k, workers int) (*KMeansShard, error) {
	if err := checkShard(x, first, k, workers); err != nil {
		return nil, err
	}
	return &KMeansShard{st: newKMState(x, k, resolveWorkers(workers)), first: first}, nil
}

// Reset makes s the shard NewKMeansShard(x, first, k, workers) would return,
// with s's workers, but keeps the per-row buffers of its last fit when x has
// as many rows: a new fit of the same rows with another k or seed then
// allocates almost nothing. The replies s gave before share those buffers
// (ShardLabels), so they must no longer be in use.
func (s *KMeansShard) Reset(x *matrix.Dense, first, k int) error {
	if err := checkShard(x, first, k, 0); err != nil {
		return err
	}
	s.st, s.first = renewKMState(s.st, x, k, s.st.workers), first
	return nil
}

// checkShard checks NewKMeansShard's arguments.
func checkShard(x *matrix.Dense, first, k, workers int) error {
	switch {
	case x == nil || x.Rows <= 0 || x.Cols <= 0 || len(x.Data) < x.Rows*x.Cols:
		return fmt.Errorf("%w: a shard needs a non-empty matrix", ErrInvalidInput)
	case first < 0 || first%ShardAlign != 0:
		return fmt.Errorf("%w: a shard starts at row %d, want a multiple of %d", ErrBadSettings, first, ShardAlign)
	case k <= 0:
		return fmt.Errorf("%w: K = %d, want > 0", ErrBadSettings, k)
	case workers < 0:
		return fmt.Errorf("%w: Workers = %d, want >= 0", ErrBadSettings, workers)
	}
	return nil
}

// Handle answers one request of the coordinator. A request that does not fit
// the shard (wrong sizes, unknown op) is an error, never a panic.
func (s *KMeansShard) Handle(req *ShardRequest) (rep *ShardReply, err error) {
	defer recoverError(&err)
	if req == nil {
		return nil, fmt.Errorf("%w: nil shard request", ErrBadSettings)
	}
	return s.st.handle(req, s.first)
}

// handle answers req for the rows of st, which start at row first of the
// whole matrix. The reply shares st's buffers.
func (st *kmState) handle(req *ShardRequest, first int) (*ShardReply, error) {
	n, d, k, T := st.n, st.d, st.k, st.trials
	need := func(name string, v []float64, size int) error {
		if len(v) != size {
			return fmt.Errorf("%w: shard request %s: %s has %d values, want %d", ErrBadSettings, req.Op, name, len(v), size)
		}
		return nil
	}
	pending := func() error {
		if req.Pending < -1 || req.Pending >= k || req.PendingCand < 0 || req.PendingCand >= T {
			return fmt.Errorf("%w: shard request %s: pending candidate %d of centre %d", ErrBadSettings, req.Op, req.PendingCand, req.Pending)
		}
		st.pending, st.pendingCand = req.Pending, req.PendingCand
		return nil
	}
	rep := &ShardReply{}
	switch req.Op {
	case ShardStats:
		ms := chunkStats(st.x, d, st.workers)
		rep.BadRow, rep.Mean, rep.M2 = -1, ms.mean, ms.m2
		if ms.bad >= 0 {
			rep.BadRow, rep.BadCol, rep.BadValue = first+ms.bad/d, ms.bad%d, ms.badValue
		}
	case ShardSearch:
		if err := pending(); err != nil {
			return nil, err
		}
		if req.NewRound {
			st.cand, st.candPrev = st.candPrev, st.cand
		}
		for _, t := range req.Targets {
			var i int
			switch {
			case t.Chunk >= 0 && t.Chunk < st.chunks:
				i = st.searchChunk(t.Chunk, t.Offset, t.Target)
			case t.Chunk < 0 && t.Row >= 0 && t.Row < n:
				i = t.Row
			default:
				return nil, fmt.Errorf("%w: shard request search: chunk %d, row %d outside the shard", ErrBadSettings, t.Chunk, t.Row)
			}
			rep.Rows = append(rep.Rows, first+i)
			rep.RowData = append(rep.RowData, st.x[i*d:i*d+d]...)
		}
	case ShardStart:
		if err := need("center", req.Center, d); err != nil {
			return nil, err
		}
		st.start(req.Center)
		rep.Pot = st.pot
	case ShardTrial:
		if err := errors.Join(need("cand", req.Cand, T*d), need("cc_min", req.CCMin, k), pending()); err != nil {
			return nil, err
		}
		copy(st.cand, req.Cand)
		copy(st.ccMin, req.CCMin)
		forEachChunk(st.workers, st.chunks, st.trialChunk)
		rep.Pot = st.pval[:st.chunks*T]
	case ShardSeeded:
		if err := pending(); err != nil {
			return nil, err
		}
		st.cand, st.candPrev = st.candPrev, st.cand
	case ShardAssign:
		if err := errors.Join(need("centers", req.Centers, k*d), need("centers_t", req.CentersT, k/4*4*d),
			need("half", req.Half, k), need("shift", req.Shift, k)); err != nil {
			return nil, err
		}
		if req.MaxShiftIdx < 0 || req.MaxShiftIdx >= k {
			return nil, fmt.Errorf("%w: shard request assign: max_shift_idx %d", ErrBadSettings, req.MaxShiftIdx)
		}
		st.centers, st.centersT, st.half, st.shift = req.Centers, req.CentersT, req.Half, req.Shift
		st.maxShift, st.shift2, st.maxShiftIdx = req.MaxShift, req.Shift2, req.MaxShiftIdx
		st.assign(req.First, req.Accumulate, req.Full, req.Exact)
		rep.Changed, rep.Inertia = st.pchanged, st.pval[:st.chunks]
		if req.Accumulate {
			rep.Sums, rep.Counts = st.psum, st.pcount
		}
	case ShardFarthest:
		if err := need("centers", req.Centers, k*d); err != nil {
			return nil, err
		}
		if req.M <= 0 || req.M > k {
			return nil, fmt.Errorf("%w: shard request farthest: m = %d", ErrBadSettings, req.M)
		}
		rows, dist := farthestRows(st.x, n, d, req.Centers, st.labels, req.M)
		for _, i := range rows {
			rep.Rows = append(rep.Rows, first+i)
			rep.RowData = append(rep.RowData, st.x[i*d:i*d+d]...)
			rep.Labels = append(rep.Labels, st.labels[i])
		}
		rep.FarDist = dist
	case ShardKeep:
		if st.best == nil {
			st.best = make([]int, n)
		}
		st.labels, st.best = st.best, st.labels
		st.kept = true
	case ShardLabels:
		if !st.kept {
			return nil, fmt.Errorf("%w: shard request labels before any run was kept", ErrBadSettings)
		}
		rep.Labels = st.best
	default:
		return nil, fmt.Errorf("%w: unknown shard request %q", ErrBadSettings, req.Op)
	}
	return rep, nil
}

// ShardClient carries the requests of a sharded k-means fit to its shards.
type ShardClient interface {
	// Do sends reqs[i] to shard i, all at once (the shards work in
	// parallel), and returns their replies in the same order. It should
	// return promptly with ctx's error when ctx is cancelled.
	Do(ctx context.Context, reqs []*ShardRequest) ([]*ShardReply, error)
}

// clientConn adapts a ShardClient to the coordinator, checking the replies'
// shapes so that a faulty client gives an error, not a panic.
type clientConn struct {
	client ShardClient
	k, d   int
	chunks []int // per shard
}

func (c clientConn) do(ctx context.Context, reqs []*ShardRequest) ([]*ShardReply, error) {
	reps, err := c.client.Do(ctx, reqs)
	if err != nil {
		return nil, err
	}
	if len(reps) != len(reqs) {
		return nil, fmt.Errorf("%d replies to %d shard requests", len(reps), len(reqs))
	}
	for i, rep := range reps {
		if rep == nil {
			return nil, fmt.Errorf("shard %d: no reply", i)
		}
		ch, T := c.chunks[i], seedTrials(c.k)
		bad := false
		switch reqs[i].Op {
		case ShardStats:
			bad = len(rep.Mean) != ch*c.d || len(rep.M2) != ch*c.d
		case ShardSearch:
			bad = len(rep.Rows) != len(reqs[i].Targets) || len(rep.RowData) != len(rep.Rows)*c.d
		case ShardStart:
			bad = len(rep.Pot) != ch
		case ShardTrial:
			bad = len(rep.Pot) != ch*T
		case ShardAssign:
			bad = len(rep.Changed) != ch || len(rep.Inertia) != ch ||
				reqs[i].Accumulate && (len(rep.Sums) != ch*c.k*c.d || len(rep.Counts) != ch*c.k)
		}
		if bad {
			return nil, fmt.Errorf("shard %d: malformed reply to %s", i, reqs[i].Op)
		}
	}
	return reps, nil
}

// FitSharded is Fit over rows spread over shards: shard i holds shardRows[i]
// rows of d columns, in row order (every shard but the last a multiple of
// ShardAlign rows), each a KMeansShard reached through client. The result —
// labels, centres, inertia, iterations — is Fit's on the whole matrix, bit
// for bit, however the rows are split. Workers is ignored: each shard has its
// own.
func (km *KMeans) FitSharded(ctx context.Context, client ShardClient, shardRows []int, d int) (m *Model, err error) {
	defer recoverError(&err)
	if km == nil {
		return nil, fmt.Errorf("%w: nil KMeans", ErrBadSettings)
	}
	if err := checkKMeansSettings(km.K, km.NInit, km.MaxIter, km.Tol, 0); err != nil {
		return nil, err
	}
	if client == nil || len(shardRows) == 0 || d <= 0 {
		return nil, fmt.Errorf("%w: a sharded fit needs a client, shards and d > 0", ErrBadSettings)
	}
	bounds := []int{0}
	chunks := make([]int, len(shardRows))
	for i, r := range shardRows {
		if r <= 0 || (i < len(shardRows)-1 && r%ShardAlign != 0) {
			return nil, fmt.Errorf("%w: shard %d holds %d rows, want a positive multiple of %d (any positive number for the last)", ErrBadSettings, i, r, ShardAlign)
		}
		bounds = append(bounds, bounds[i]+r)
		chunks[i] = numChunks(r)
	}
	n := bounds[len(bounds)-1]
	conn := clientConn{client: client, k: km.K, d: d, chunks: chunks}
	c := newKMCoord(conn, bounds, d, km.K)
	reps, err := c.broadcast(ctx, &ShardRequest{Op: ShardStats})
	if err != nil {
		return nil, fmt.Errorf("cluster: kmeans: %w", err)
	}
	ms := matrixStats{bad: -1}
	for _, rep := range reps {
		if rep.BadRow >= 0 {
			return nil, &InputError{Row: rep.BadRow, Column: rep.BadCol, Value: rep.BadValue}
		}
		ms.mean = append(ms.mean, rep.Mean...)
		ms.m2 = append(ms.m2, rep.M2...)
	}
	if n < km.K {
		return nil, fmt.Errorf("%w: %d rows for %d clusters", ErrTooFewPoints, n, km.K)
	}
	return km.fit(ctx, c, ms.meanVar(n, d))
}
