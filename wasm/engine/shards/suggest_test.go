package shards

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/eval"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/fixtures"
	"github.com/segkit/segkit/internal/synth"
)

// sameSuggestion reports the first field where a and b differ (every float
// compared with ==), or "".
func sameSuggestion(a, b *eval.Suggestion) string {
	for i := range min(len(a.Scores), len(b.Scores)) {
		if !reflect.DeepEqual(a.Scores[i], b.Scores[i]) {
			return fmt.Sprintf("the scores of k = %d", a.Scores[i].K)
		}
	}
	if !reflect.DeepEqual(a, b) {
		return "the suggestion"
	}
	return ""
}

// TestSuggestSplitEqualsSuggest spreads suggestions over 0 to 3 goroutine
// helpers — the sample and options sent in binary, each k's result sent
// back in binary — and compares each with eval.Suggest in one process,
// field by field.
func TestSuggestSplitEqualsSuggest(t *testing.T) {
	blobs, _ := synth.Blobs(50_000, 5, 6, 3, 4)
	tests := []struct {
		name string
		x    *matrix.Dense
		opt  eval.SuggestOptions
	}{
		// 440 rows: every k on all of them, gap and stability on.
		{"wholesale", fixtures.Wholesale(t), eval.SuggestOptions{Seed: 1, NInit: 3}},
		{"wholesale, k 3 to 7, 1 restart", fixtures.Wholesale(t), eval.SuggestOptions{Seed: 5, KMin: 3, KMax: 7, NInit: 1}},
		// A fit sample of 3000 of 50000 rows and a check sample of 1000
		// of it, a silhouette sample of 800; gap and stability on.
		{"blobs, sampled", blobs, eval.SuggestOptions{Seed: 2, SampleSize: 3000, CheckSample: 1000, SilhouetteSample: 800}},
		{"blobs, no gap", blobs, eval.SuggestOptions{Seed: 3, SampleSize: 2000, GapReferences: -1, StabilityRuns: 3, KMax: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := eval.Suggest(context.Background(), tt.x, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			nk := len(want.Scores)
			for _, helpers := range []int{0, 1, 2, 3} {
				tr := newGoTransport(helpers)
				opt := tt.opt
				last, total, calls := 0, 0, 0
				opt.Progress = func(done, tot int) {
					if done <= last {
						t.Errorf("%d helpers: progress %d after %d", helpers, done, last)
					}
					last, total = done, tot
					calls++
				}
				got, workers, err := tr.client.Suggest(context.Background(), tt.x, opt)
				tr.close()
				if err != nil {
					t.Fatal(err)
				}
				if d := sameSuggestion(got, want); d != "" {
					t.Errorf("%d helpers: %s differs from eval.Suggest's:\n%+v\n%+v", helpers, d, got, want)
				}
				if w := min(helpers, nk-1) + 1; workers != w {
					t.Errorf("%d helpers: %d workers scored, want %d", helpers, workers, w)
				}
				if last != total || calls == 0 {
					t.Errorf("%d helpers: progress ended at %d of %d after %d calls", helpers, last, total, calls)
				}
			}
		})
	}
}

// TestSuggestSmallAlone: a fit sample under MinSuggestRows, or a single k,
// is scored here alone, with eval.Suggest's result.
func TestSuggestSmallAlone(t *testing.T) {
	x, _ := synth.Blobs(MinSuggestRows-1, 2, 3, 10, 1)
	tests := []eval.SuggestOptions{{Seed: 1, KMax: 5}, {Seed: 1, KMin: 3, KMax: 3}}
	big, _ := synth.Blobs(600, 2, 3, 10, 1)
	for i, opt := range tests {
		data := x
		if i == 1 {
			data = big
		}
		want, err := eval.Suggest(context.Background(), data, opt)
		if err != nil {
			t.Fatal(err)
		}
		tr := newGoTransport(2)
		got, workers, err := tr.client.Suggest(context.Background(), data, opt)
		tr.close()
		if err != nil {
			t.Fatal(err)
		}
		if workers != 1 || sameSuggestion(got, want) != "" {
			t.Errorf("case %d: %d workers (want 1), result differs: %q", i, workers, sameSuggestion(got, want))
		}
		if tr.sent[msgSuggest] != 0 {
			t.Errorf("case %d: %d suggest messages sent, want none", i, tr.sent[msgSuggest])
		}
	}
}

// TestSuggestCancelThenAgain cancels a suggestion while the helpers score,
// then suggests again on the same client: the late answers of the cancelled
// one, and a forged stale one, are dropped, not taken for the new one's.
func TestSuggestCancelThenAgain(t *testing.T) {
	x := fixtures.Wholesale(t)
	opt := eval.SuggestOptions{Seed: 9}
	want, err := eval.Suggest(context.Background(), x, opt)
	if err != nil {
		t.Fatal(err)
	}
	tr := newGoTransport(2)
	defer tr.close()
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := opt
	cancelled.Progress = func(done, _ int) {
		if done == 1 {
			cancel()
		}
	}
	if _, _, err := tr.client.Suggest(ctx, x, cancelled); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled suggestion: err = %v, want context.Canceled", err)
	}
	// A stale answer with the cancelled run's sequence number: k = 10 with
	// made-up scores that would change the suggestion.
	stale, _ := (&eval.KResult{K: 10, Silhouette: 0.99, RefLogW: make([]float64, 5), PairARI: []float64{1, 1, 1, 1, 1}}).MarshalBinary()
	tr.client.Deliver(0, append(tr.client.header(msgScores), stale...))
	got, workers, err := tr.client.Suggest(context.Background(), x, opt)
	if err != nil {
		t.Fatal(err)
	}
	if d := sameSuggestion(got, want); d != "" || workers != 3 {
		t.Errorf("the suggestion after a cancelled one: %s differs, %d workers", d, workers)
	}
}

// replyTransport answers every message of helper 0 with a fixed reply,
// built from the message's header.
type replyTransport struct {
	c     *Client
	reply func(msg []byte) []byte
}

func (r *replyTransport) Send(h int, msg ...[]byte) error {
	r.c.Deliver(h, r.reply(slices.Concat(msg...)))
	return nil
}

// TestSuggestHelperFaults: a helper's error, an answer for a k it was not
// asked, undecodable scores and a failed send each end the suggestion with
// an error naming the helper; a Fitter cannot be sent.
func TestSuggestHelperFaults(t *testing.T) {
	x := fixtures.Wholesale(t)
	tests := []struct {
		name  string
		reply func(msg []byte) []byte
		want  string
	}{
		{"error", func(msg []byte) []byte { return append([]byte{msgError}, append(msg[1:5:5], "out of memory"...)...) }, "helper 1: out of memory"},
		{"unasked k", func(msg []byte) []byte {
			b, _ := (&eval.KResult{K: 99}).MarshalBinary()
			return append([]byte{msgScores}, append(msg[1:5:5], b...)...)
		}, "helper 1: scores for k = 99"},
		{"garbage", func(msg []byte) []byte { return append([]byte{msgScores}, append(msg[1:5:5], 1, 2, 3)...) }, "helper 1: eval: malformed"},
	}
	for _, tt := range tests {
		rt := &replyTransport{reply: tt.reply}
		rt.c = NewClient(rt, 1)
		_, _, err := rt.c.Suggest(context.Background(), x, eval.SuggestOptions{Seed: 1})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if _, _, err := NewClient(nil, 1).Suggest(context.Background(), x, eval.SuggestOptions{
		Fitter: func(k int) cluster.Fitter { return &cluster.KMeans{K: k} }}); !errors.Is(err, ErrNotPortable) {
		t.Errorf("with a Fitter: err = %v, want ErrNotPortable", err)
	}
	if _, _, err := NewClient(&goTransport{}, 1).Suggest(context.Background(), x, eval.SuggestOptions{}); err == nil || !strings.Contains(err.Error(), "helper 1: no such helper") {
		t.Errorf("a failed send: err = %v", err)
	}
}

// TestServerSuggestMalformed: the helper answers malformed or untimely
// suggest messages with an error, never a panic.
func TestServerSuggestMalformed(t *testing.T) {
	x := fixtures.Wholesale(t)
	_, opt := mustPlan(t, x).Portable()
	good := appendSuggest(nil, 4, x, opt)
	badOpt := opt
	badOpt.KMin, badOpt.KMax = 5, 4
	tests := []struct {
		name string
		msg  []byte
		want string
	}{
		{"score before the sample", []byte{msgScoreK, 1, 0, 0, 0, 3}, "before the sample"},
		{"score without k", []byte{msgScoreK, 1, 0, 0, 0}, "malformed score"},
		{"suggest cut short", append([]byte{msgSuggest, 1, 0, 0, 0}, good[:len(good)-3]...), "malformed suggest message"},
		{"suggest with k outside", appendSuggest([]byte{msgSuggest, 1, 0, 0, 0}, 40, x, opt), "outside the plan"},
		{"suggest with bad options", appendSuggest([]byte{msgSuggest, 1, 0, 0, 0}, 4, x, badOpt), "KMin <= KMax"},
	}
	var s Server
	for _, tt := range tests {
		out := s.Handle(tt.msg)
		if out[0] != msgError || !strings.Contains(string(out[5:]), tt.want) {
			t.Errorf("%s: answer %.80q, want an error containing %q", tt.name, out, tt.want)
		}
	}
	out := s.Handle(append([]byte{msgSuggest, 7, 0, 0, 0}, good...))
	var kr eval.KResult
	if out[0] != msgScores || !slices.Equal(out[1:5], []byte{7, 0, 0, 0}) || kr.UnmarshalBinary(out[5:]) != nil || kr.K != 4 {
		t.Errorf("a good suggest message: answer %.80q", out)
	}
}

func mustPlan(t *testing.T, x *matrix.Dense) *eval.Plan {
	t.Helper()
	p, err := eval.NewPlan(x, eval.SuggestOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// FuzzReadSuggest: any payload reads without panicking, and what reads
// writes back to a payload that reads the same.
func FuzzReadSuggest(f *testing.F) {
	x, _ := synth.Blobs(20, 2, 2, 3, 1)
	f.Add(appendSuggest(nil, 3, x, eval.SuggestOptions{KMin: 2, KMax: 5, Seed: 7, NInit: 3, GapReferences: -1}))
	f.Add([]byte{2, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		k, y, opt, err := readSuggest(b)
		if err != nil {
			return
		}
		k2, y2, opt2, err := readSuggest(appendSuggest(nil, k, y, opt))
		if err != nil || k2 != k || !reflect.DeepEqual(opt2, opt) || y2.Rows != y.Rows || y2.Cols != y.Cols ||
			!slices.Equal(bitsOf(y2.Data), bitsOf(y.Data)) {
			t.Fatalf("re-read: k %d, %+v, err %v; want k %d, %+v", k2, opt2, err, k, opt)
		}
	})
}

func bitsOf(v []float64) []uint64 {
	out := make([]uint64, len(v))
	for i := range v {
		out[i] = math.Float64bits(v[i])
	}
	return out
}

// BenchmarkSuggest100k times Client.Suggest with eval.Suggest's defaults on
// the rows of core/eval's BenchmarkSuggest100k, with 0 and 1 goroutine
// helpers (natively the silhouette already uses every core).
func BenchmarkSuggest100k(b *testing.B) {
	x, _ := synth.Blobs(100000, 8, 8, 1.5, 1)
	for _, helpers := range []int{0, 1} {
		b.Run(fmt.Sprintf("helpers=%d", helpers), func(b *testing.B) {
			tr := newGoTransport(helpers)
			defer tr.close()
			b.ReportAllocs()
			var workers int
			for b.Loop() {
				var err error
				if _, workers, err = tr.client.Suggest(context.Background(), x, eval.SuggestOptions{Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(workers), "workers")
		})
	}
}
