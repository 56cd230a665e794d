package shards

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/core/matrix"
)

// Message types of a suggestion of k (eval.Plan with its ks spread over the
// workers).
const (
	msgSuggest = 'G' // coordinator → helper: a k, the options and the fit sample
	msgScoreK  = 'N' // coordinator → helper: a further k on the sample it holds
	msgScores  = 'V' // helper → coordinator: an eval.KResult (MarshalBinary)
)

// MinSuggestRows is the smallest fit sample whose suggestion is spread over
// the helpers: below it every k takes a few milliseconds and the engine
// scores them alone.
const MinSuggestRows = 100

// suggestWindow is the most ks a helper holds at once: the one it scores
// and the next, queued in its port, so that it never waits for the
// coordinator (which reads the helpers' answers only between its own fits
// in the browser).
const suggestWindow = 2

// ErrNotPortable reports a suggestion with a Fitter or a Criterion: a Go
// func cannot be sent to a helper worker.
var ErrNotPortable = errors.New("shards: a suggestion with a Fitter or a Criterion cannot be spread over workers (use eval.Suggest)")

// Suggest suggests a number of clusters for the rows of x as eval.Suggest
// does, with the ks shared between this worker and the helpers: each helper
// gets the fit sample and the options once, then one k at a time, the
// largest first (a k costs more the larger it is), and answers with that
// k's eval.KResult; this worker scores ks too, and decides once every k is
// in. The Suggestion is eval.Suggest's bit for bit, whatever the number of
// workers. It also returns the number of workers that scored at least one
// k. Without helpers, with a fit sample under MinSuggestRows or a single k,
// this worker scores every k itself.
//
// opt.Progress is called after each fit of this worker and once per k a
// helper scores (counting that k's fits), never concurrently. The context
// is checked between fits; once it is done Suggest returns its error and
// drops the late answers of the helpers. Errors are eval.Suggest's, a
// helper's (naming it), or ErrNotPortable.
func (c *Client) Suggest(ctx context.Context, x *matrix.Dense, opt eval.SuggestOptions) (*eval.Suggestion, int, error) {
	if opt.Fitter != nil || opt.Criterion != nil {
		return nil, 0, ErrNotPortable
	}
	plan, err := eval.NewPlan(x, opt)
	if err != nil {
		return nil, 0, err
	}
	sample, popt := plan.Portable()
	ks := plan.Ks()
	slices.Reverse(ks)
	used := 0
	if sample.Rows >= MinSuggestRows {
		used = min(c.helpers, len(ks)-1)
	}
	c.seq++
	run := &suggestRun{
		c: c, plan: plan, ks: ks, used: used,
		body:        appendSuggestBody(nil, sample, popt),
		outstanding: make([][]int, used),
		started:     make([]bool, used),
		progress:    opt.Progress,
		total:       len(ks) * plan.FitsPerK(),
	}
	return run.run(ctx)
}

// suggestRun is the coordinator's state during one Client.Suggest.
type suggestRun struct {
	c           *Client
	plan        *eval.Plan
	ks          []int // largest first
	used        int   // helpers taking part
	body        []byte
	outstanding [][]int // ks sent to each helper and not yet answered
	started     []bool  // whether each helper has the sample

	mu   sync.Mutex // guards next
	next int        // the next k to hand out is ks[next]

	progressMu  sync.Mutex // serialises progress
	progress    func(done, total int)
	done, total int
}

// localResult is a k scored in this worker.
type localResult struct {
	r   *eval.KResult
	err error
}

// take hands out the next k.
func (r *suggestRun) take() (k int, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next == len(r.ks) {
		return 0, false
	}
	r.next++
	return r.ks[r.next-1], true
}

// left is the number of ks not handed out yet.
func (r *suggestRun) left() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.ks) - r.next
}

// report counts fits done and reports progress.
func (r *suggestRun) report(fits int) {
	r.progressMu.Lock()
	defer r.progressMu.Unlock()
	r.done += fits
	if r.progress != nil {
		r.progress(r.done, r.total)
	}
}

// run hands out the ks, scores some here, collects the helpers' and
// decides.
func (r *suggestRun) run(ctx context.Context) (*eval.Suggestion, int, error) {
	for range suggestWindow {
		for h := range r.used {
			if _, err := r.give(h); err != nil {
				return nil, 0, err
			}
		}
	}
	lctx, stop := context.WithCancel(ctx)
	defer stop()
	local := make(chan localResult, len(r.ks))
	go func() {
		defer close(local)
		for {
			k, ok := r.take()
			if !ok {
				return
			}
			kr, err := r.plan.Score(lctx, k, func() { r.report(1) })
			local <- localResult{kr, err}
			if err != nil {
				return
			}
		}
	}()
	fail := func(err error) (*eval.Suggestion, int, error) {
		stop()
		for range local {
			// Wait for this worker's fit to stop, so that nothing runs
			// (or reports progress) after Suggest returns.
		}
		return nil, 0, err
	}

	results := make([]eval.KResult, 0, len(r.ks))
	scored := make([]bool, r.used+1) // by worker, this one first
	for len(results) < len(r.ks) {
		r.c.mu.Lock()
		queue := r.c.queue
		r.c.queue = nil
		r.c.mu.Unlock()
		for _, in := range queue {
			kr, err := r.answer(in)
			if err != nil {
				return fail(err)
			}
			if kr != nil {
				results = append(results, *kr)
				scored[in.from+1] = true
				r.report(r.plan.FitsPerK())
				if err := r.topUp(in.from); err != nil {
					return fail(err)
				}
			}
		}
		if len(results) == len(r.ks) {
			break
		}
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-r.c.signal:
		case lr, ok := <-local:
			switch {
			case !ok:
				local = nil // every k handed out; the helpers' answers remain
			case lr.err != nil:
				return fail(lr.err)
			default:
				results = append(results, *lr.r)
				scored[0] = true
			}
		}
	}
	s, err := r.plan.Decide(results)
	if err != nil {
		return nil, 0, err
	}
	workers := 0
	for _, ok := range scored {
		if ok {
			workers++
		}
	}
	return s, workers, nil
}

// answer reads one message from a helper: the KResult of a k it was asked
// for, nil for a message to drop (another request's, or not a helper in
// use), or an error.
func (r *suggestRun) answer(in incoming) (*eval.KResult, error) {
	h := in.from
	if len(in.msg) < 5 || h < 0 || h >= r.used || binary.LittleEndian.Uint32(in.msg[1:5]) != r.c.seq {
		return nil, nil
	}
	switch in.msg[0] {
	case msgError:
		return nil, fmt.Errorf("helper %d: %s", h+1, in.msg[5:])
	case msgScores:
		var kr eval.KResult
		if err := kr.UnmarshalBinary(in.msg[5:]); err != nil {
			return nil, fmt.Errorf("helper %d: %w", h+1, err)
		}
		i := slices.Index(r.outstanding[h], kr.K)
		if i < 0 {
			return nil, fmt.Errorf("helper %d: scores for k = %d, which it was not asked for", h+1, kr.K)
		}
		r.outstanding[h] = slices.Delete(r.outstanding[h], i, i+1)
		return &kr, nil
	}
	return nil, nil
}

// topUp sends helper h as many further ks as give allows.
func (r *suggestRun) topUp(h int) error {
	for {
		if sent, err := r.give(h); !sent || err != nil {
			return err
		}
	}
}

// give sends helper h one more k, if there is one and h holds fewer than
// suggestWindow: the first k it holds at any time, a second only while
// more ks are left than there are workers (so that the last, cheapest ks
// go to whoever is free first).
func (r *suggestRun) give(h int) (sent bool, err error) {
	if n := len(r.outstanding[h]); n >= suggestWindow || (n > 0 && r.left() <= r.used+1) {
		return false, nil
	}
	k, ok := r.take()
	if !ok {
		return false, nil
	}
	var msg []byte
	if r.started[h] {
		msg = binary.AppendUvarint(r.c.header(msgScoreK), uint64(k))
	} else {
		msg = binary.AppendUvarint(r.c.header(msgSuggest), uint64(k))
		msg = append(msg, r.body...)
		r.started[h] = true
	}
	if err := r.c.t.Send(h, msg); err != nil {
		return false, fmt.Errorf("helper %d: %w", h+1, err)
	}
	r.outstanding[h] = append(r.outstanding[h], k)
	return true, nil
}

// appendSuggestBody appends the options and the fit sample of a suggest
// message: KMin and KMax (uvarints), Seed (8 bytes, little-endian), NInit,
// SilhouetteSample, CheckSample, GapReferences and StabilityRuns (signed
// varints), rows and columns (uvarints), then the rows as float64 bytes.
// SampleSize is −1 (the sample is all of it) and not sent.
func appendSuggestBody(b []byte, x *matrix.Dense, opt eval.SuggestOptions) []byte {
	b = binary.AppendUvarint(b, uint64(opt.KMin))
	b = binary.AppendUvarint(b, uint64(opt.KMax))
	b = binary.LittleEndian.AppendUint64(b, opt.Seed)
	for _, v := range []int{opt.NInit, opt.SilhouetteSample, opt.CheckSample, opt.GapReferences, opt.StabilityRuns} {
		b = binary.AppendVarint(b, int64(v))
	}
	b = binary.AppendUvarint(b, uint64(x.Rows))
	b = binary.AppendUvarint(b, uint64(x.Cols))
	b = slices.Grow(b, 8*len(x.Data))
	for _, v := range x.Data {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// errSuggest is wrapped by the errors of a malformed suggest message.
var errSuggest = errors.New("malformed suggest message")

// readSuggest reads the payload of a suggest message: the k to score, the
// options and the fit sample.
func readSuggest(b []byte) (k int, x *matrix.Dense, opt eval.SuggestOptions, err error) {
	uv := func(field string) int {
		v, n := binary.Uvarint(b)
		if err == nil && (n <= 0 || v > math.MaxInt32) {
			err = fmt.Errorf("%w: field %s", errSuggest, field)
		}
		if err != nil {
			return 0
		}
		b = b[n:]
		return int(v)
	}
	sv := func(field string) int {
		v, n := binary.Varint(b)
		if err == nil && (n <= 0 || v > math.MaxInt32 || v < math.MinInt32) {
			err = fmt.Errorf("%w: field %s", errSuggest, field)
		}
		if err != nil {
			return 0
		}
		b = b[n:]
		return int(v)
	}
	k = uv("k")
	opt.KMin, opt.KMax = uv("kmin"), uv("kmax")
	if err == nil {
		if len(b) < 8 {
			return 0, nil, opt, fmt.Errorf("%w: field seed", errSuggest)
		}
		opt.Seed, b = binary.LittleEndian.Uint64(b), b[8:]
	}
	opt.NInit = sv("n_init")
	opt.SilhouetteSample = sv("silhouette_sample")
	opt.CheckSample = sv("check_sample")
	opt.GapReferences = sv("gap_references")
	opt.StabilityRuns = sv("stability_runs")
	opt.SampleSize = -1
	rows, cols := uv("rows"), uv("cols")
	if err != nil {
		return 0, nil, opt, err
	}
	if rows <= 0 || cols <= 0 || uint64(len(b)) != uint64(rows)*uint64(cols)*8 {
		return 0, nil, opt, fmt.Errorf("%w: %d×%d rows in %d bytes", errSuggest, rows, cols, len(b))
	}
	data := make([]float64, rows*cols)
	for i := range data {
		data[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return k, &matrix.Dense{Rows: rows, Cols: cols, Data: data}, opt, nil
}

// suggestState is a helper's part of a suggestion: the plan made from the
// last suggest message.
type suggestState struct {
	plan *eval.Plan
}

// suggest answers a suggest or score message with the scores of its k.
func (s *suggestState) suggest(typ byte, b []byte) (byte, []byte) {
	var k int
	if typ == msgSuggest {
		var x *matrix.Dense
		var opt eval.SuggestOptions
		var err error
		if k, x, opt, err = readSuggest(b); err != nil {
			return msgError, []byte(err.Error())
		}
		s.plan = nil
		if s.plan, err = eval.NewPlan(x, opt); err != nil {
			return msgError, []byte(err.Error())
		}
	} else {
		v, n := binary.Uvarint(b)
		if n <= 0 || n != len(b) || v > math.MaxInt32 {
			return msgError, []byte("a malformed score message")
		}
		if s.plan == nil {
			return msgError, []byte("a score request before the sample arrived")
		}
		k = int(v)
	}
	kr, err := s.plan.Score(context.Background(), k, nil)
	if err != nil {
		return msgError, []byte(err.Error())
	}
	body, err := kr.MarshalBinary()
	if err != nil {
		return msgError, []byte(err.Error())
	}
	return msgScores, body
}
