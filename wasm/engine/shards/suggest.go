package shards

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/lefloat"
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

// ErrNotPortable reports a suggestion with a Fitter or a Criterion: a Go
// func cannot be sent to a helper worker.
var ErrNotPortable = errors.New("shards: a suggestion with a Fitter or a Criterion cannot be spread over workers (use eval.Suggest)")

// Suggest suggests a number of clusters for the rows of x as eval.Suggest
// does, with the ks shared between this worker and the helpers: each helper
// gets the fit sample and the options once, then one k at a time, the
// largest first (a k costs more the larger it is), and answers with that
// k's eval.KResult; this worker scores ks too, reading the helpers' answers
// (and handing them further ks) between its own fits, and decides once
// every k is in. The Suggestion is eval.Suggest's bit for bit, whatever the
// number of workers. It also returns the number of workers that scored at
// least one k. Without helpers, with a fit sample under MinSuggestRows or a
// single k, this worker scores every k itself.
//
// opt.Progress is called after each fit of this worker and once per k a
// helper scores (counting that k's fits). The context is checked between
// fits; once it is done Suggest returns its error and drops the late
// answers of the helpers. Errors are eval.Suggest's, a helper's (naming
// it), or ErrNotPortable.
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
	r := &suggestRun{c: c, plan: plan, ks: ks, used: used, sample: sample, opt: popt,
		held: make([]int, used), started: make([]bool, used), owner: make([]int, ks[0]+1), scored: make([]bool, used+1)}
	for range suggestWindow {
		for h := range used {
			if _, err := r.give(h); err != nil {
				return nil, 0, err
			}
		}
	}
	total := len(ks) * plan.FitsPerK()
	report := func(fits int) {
		r.done += fits
		if opt.Progress != nil {
			opt.Progress(r.done, total)
		}
	}
	var helperErr error
	poll := func() {
		if helperErr == nil {
			helperErr = r.poll(report)
		}
	}
	for r.next < len(ks) && helperErr == nil {
		k := ks[r.next]
		r.next++
		kr, err := plan.Score(ctx, k, func() { report(1); poll() })
		if err != nil {
			return nil, 0, err
		}
		r.results = append(r.results, *kr)
		r.scored[0] = true
	}
	for len(r.results) < len(ks) && helperErr == nil {
		select {
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-c.signal:
			poll()
		}
	}
	if helperErr != nil {
		return nil, 0, helperErr
	}
	s, err := plan.Decide(r.results)
	workers := 0
	for _, ok := range r.scored {
		if ok {
			workers++
		}
	}
	return s, workers, err
}

// suggestWindow is the most ks a helper holds at once: the one it scores
// and the next, queued in its port, so that it does not wait for this
// worker, which reads the helpers' answers only between its own fits.
const suggestWindow = 2

// suggestRun is the coordinator's state during one Client.Suggest.
type suggestRun struct {
	c       *Client
	plan    *eval.Plan
	ks      []int // largest first; ks[next] is the next to hand out
	next    int
	used    int // helpers taking part
	sample  *matrix.Dense
	opt     eval.SuggestOptions
	held    []int  // by helper: ks sent and not yet answered
	started []bool // by helper: whether it has the sample
	owner   []int  // by k: 1 + the helper scoring it, 0 for none
	scored  []bool // by worker, this one first: whether it scored a k
	results []eval.KResult
	done    int // fits done, for progress
}

// poll reads the helpers' answers that have arrived: the KResult of each k
// goes to the results, and its helper gets a further k.
func (r *suggestRun) poll(report func(int)) error {
	r.c.mu.Lock()
	queue := r.c.queue
	r.c.queue = nil
	r.c.mu.Unlock()
	for _, in := range queue {
		h := in.from
		if len(in.msg) < 5 || h < 0 || h >= r.used || binary.LittleEndian.Uint32(in.msg[1:5]) != r.c.seq {
			continue // another request's, or not a helper in use
		}
		var kr eval.KResult
		switch in.msg[0] {
		case msgError:
			return fmt.Errorf("helper %d: %s", h+1, in.msg[5:])
		case msgScores:
			if err := kr.UnmarshalBinary(in.msg[5:]); err != nil {
				return fmt.Errorf("helper %d: %w", h+1, err)
			}
		default:
			continue
		}
		if kr.K >= len(r.owner) || r.owner[kr.K] != h+1 {
			return fmt.Errorf("helper %d: scores for k = %d, which it was not asked for", h+1, kr.K)
		}
		r.owner[kr.K] = 0
		r.held[h]--
		r.results = append(r.results, kr)
		r.scored[h+1] = true
		report(r.plan.FitsPerK())
		for sent := true; sent; {
			var err error
			if sent, err = r.give(h); err != nil {
				return err
			}
		}
	}
	return nil
}

// give sends helper h one more k, if there is one and h holds fewer than
// suggestWindow: the first k it holds at any time, a second only while
// more ks are left than there are workers (so that the last, cheapest ks
// go to whoever is free first).
func (r *suggestRun) give(h int) (sent bool, err error) {
	n, left := r.held[h], len(r.ks)-r.next
	if n >= suggestWindow || left == 0 || (n > 0 && left <= r.used+1) {
		return false, nil
	}
	k := r.ks[r.next]
	r.next++
	var msg []byte
	if r.started[h] {
		msg = binary.AppendUvarint(r.c.header(msgScoreK), uint64(k))
	} else {
		msg = appendSuggest(r.c.header(msgSuggest), k, r.sample, r.opt)
		r.started[h] = true
	}
	if err := r.c.t.Send(h, msg); err != nil {
		return false, fmt.Errorf("helper %d: %w", h+1, err)
	}
	r.owner[k] = h + 1
	r.held[h]++
	return true, nil
}

// suggestFields are the integers of a suggest message after its k and
// Seed, in order: KMin, KMax, NInit, SilhouetteSample, CheckSample,
// GapReferences, StabilityRuns, then the rows and columns of the fit
// sample. SampleSize is −1 (the sample is all of it) and not sent.
func suggestFields(opt *eval.SuggestOptions, rows, cols *int) []*int {
	return []*int{&opt.KMin, &opt.KMax, &opt.NInit, &opt.SilhouetteSample, &opt.CheckSample, &opt.GapReferences, &opt.StabilityRuns, rows, cols}
}

// appendSuggest appends the payload of a suggest message as 64-bit
// little-endian words: k, the Seed, suggestFields (two's complement), then
// the bits of the rows' float64s.
func appendSuggest(b []byte, k int, x *matrix.Dense, opt eval.SuggestOptions) []byte {
	rows, cols := x.Rows, x.Cols
	b = binary.LittleEndian.AppendUint64(b, uint64(k))
	b = binary.LittleEndian.AppendUint64(b, opt.Seed)
	for _, v := range suggestFields(&opt, &rows, &cols) {
		b = binary.LittleEndian.AppendUint64(b, uint64(*v))
	}
	return lefloat.Append(b, x.Data)
}

// suggestHead is the number of words before the rows of a suggest message.
const suggestHead = 11

// readSuggest reads the payload of a suggest message.
func readSuggest(b []byte) (k int, x *matrix.Dense, opt eval.SuggestOptions, err error) {
	w := make([]uint64, len(b)/8)
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	bad := len(b)%8 != 0 || len(w) < suggestHead
	var rows, cols int
	if !bad {
		k, opt.Seed, opt.SampleSize = int(int32(w[0])), w[1], -1
		for i, f := range suggestFields(&opt, &rows, &cols) {
			*f = int(int32(w[2+i]))
			bad = bad || int64(w[2+i]) != int64(*f)
		}
		bad = bad || k < 0 || rows <= 0 || cols <= 0 || uint64(len(w)-suggestHead) != uint64(rows)*uint64(cols)
	}
	if bad {
		return 0, nil, opt, fmt.Errorf("malformed suggest message: %d bytes", len(b))
	}
	data := make([]float64, rows*cols)
	for i := range data {
		data[i] = math.Float64frombits(w[suggestHead+i])
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
		switch {
		case n <= 0 || n != len(b) || v > math.MaxInt32:
			return msgError, []byte("a malformed score message")
		case s.plan == nil:
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
