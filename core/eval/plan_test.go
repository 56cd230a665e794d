package eval

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/fixtures"
	"github.com/segkit/segkit/internal/synth"
)

// suggestionDiff names the first field where a and b differ (floats compared
// with ==, BIC and AIC by value), or returns "".
func suggestionDiff(a, b *Suggestion) string {
	if len(a.Scores) != len(b.Scores) {
		return fmt.Sprintf("%d scores vs %d", len(a.Scores), len(b.Scores))
	}
	for i := range a.Scores {
		if !reflect.DeepEqual(a.Scores[i], b.Scores[i]) {
			return fmt.Sprintf("k = %d: %+v vs %+v", a.Scores[i].K, a.Scores[i], b.Scores[i])
		}
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("%+v vs %+v", *a, *b)
	}
	return ""
}

// TestPlanSplitEqualsSuggest scores the ks of a suggestion in several
// plans, as separate processes would — each made from the first's Portable
// sample and options, each scoring its own ks in its own order — and checks
// that Decide on the pooled results is Suggest's answer, field by field.
func TestPlanSplitEqualsSuggest(t *testing.T) {
	blobs, _ := synth.Blobs(30_000, 4, 6, 3, 9)
	crit := func(m *cluster.Model) (float64, float64, bool) {
		k := float64(m.K)
		return (k - 4) * (k - 4), 2 * k, m.K != 5
	}
	tests := []struct {
		name string
		x    *matrix.Dense
		opt  SuggestOptions
	}{
		{"wholesale, defaults", fixtures.Wholesale(t), SuggestOptions{Seed: 1}},
		{"wholesale, k 3 to 8, 2 restarts", fixtures.Wholesale(t), SuggestOptions{Seed: 7, KMin: 3, KMax: 8, NInit: 2}},
		{"wholesale, no gap, BIC", fixtures.Wholesale(t), SuggestOptions{Seed: 2, GapReferences: -1, Criterion: crit}},
		// A fit sample of 4000 of 30000 rows, a check sample of 1000 of it:
		// every sample drawn, gap and stability on.
		{"blobs, sampled", blobs, SuggestOptions{Seed: 3, SampleSize: 4000, CheckSample: 1000, SilhouetteSample: 800, KMax: 9}},
		{"blobs, no stability", blobs, SuggestOptions{Seed: 4, SampleSize: 3000, StabilityRuns: -1, GapReferences: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := Suggest(context.Background(), tt.x, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			first, err := NewPlan(tt.x, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			sample, opt := first.Portable()
			if sample.Rows != want.SampleSize || opt.SampleSize != -1 || opt.NInit == 0 {
				t.Errorf("Portable: %d rows, SampleSize %d, NInit %d; want %d, -1, set", sample.Rows, opt.SampleSize, opt.NInit, want.SampleSize)
			}
			for _, workers := range []int{1, 2, 3} {
				plans := []*Plan{first}
				for range workers - 1 {
					y := &matrix.Dense{Rows: sample.Rows, Cols: sample.Cols, Data: append([]float64(nil), sample.Data...)}
					p, err := NewPlan(y, opt)
					if err != nil {
						t.Fatal(err)
					}
					plans = append(plans, p)
				}
				// Largest k first, dealt round robin: no plan sees the ks
				// in Suggest's order.
				ks := first.Ks()
				var res []KResult
				for i := range ks {
					k := ks[len(ks)-1-i]
					r, err := plans[i%workers].Score(context.Background(), k, nil)
					if err != nil {
						t.Fatal(err)
					}
					res = append(res, *r)
				}
				got, err := first.Decide(res)
				if err != nil {
					t.Fatal(err)
				}
				if d := suggestionDiff(got, want); d != "" {
					t.Errorf("%d plans: differs from Suggest: %s", workers, d)
				}
			}
		})
	}
}

// TestPlanErrors checks the errors of Score and Decide.
func TestPlanErrors(t *testing.T) {
	p, err := NewPlan(threeBlobs(), SuggestOptions{KMax: 4, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.FitsPerK() != 1+5+10 {
		t.Errorf("FitsPerK = %d, want 16", p.FitsPerK())
	}
	if _, err := p.Score(context.Background(), 5, nil); !errors.Is(err, ErrBadOptions) {
		t.Errorf("Score(5) outside 2..4: %v, want ErrBadOptions", err)
	}
	var res []KResult
	for _, k := range p.Ks() {
		r, err := p.Score(context.Background(), k, nil)
		if err != nil {
			t.Fatal(err)
		}
		res = append(res, *r)
	}
	short := res[1]
	short.PairARI = short.PairARI[:4]
	noGap := res[2]
	noGap.RefLogW = nil
	stray := res[0]
	stray.K = 9
	tests := []struct {
		name string
		res  []KResult
	}{
		{"missing k", res[:2]},
		{"k twice", []KResult{res[0], res[1], res[1]}},
		{"k outside", []KResult{res[1], res[2], stray}},
		{"a pair short", []KResult{res[0], short, res[2]}},
		{"no references", []KResult{res[0], res[1], noGap}},
	}
	for _, tt := range tests {
		if s, err := p.Decide(tt.res); !errors.Is(err, ErrInvalidInput) || s != nil {
			t.Errorf("%s: Decide = %v, %v; want an error wrapping ErrInvalidInput", tt.name, s, err)
		}
	}
	if _, err := p.Decide([]KResult{res[2], res[0], res[1]}); err != nil {
		t.Errorf("results out of order: %v", err)
	}
}

// TestKResultBinary round-trips results, every float64 bit for bit, and
// rejects malformed bytes with an error naming the field.
func TestKResultBinary(t *testing.T) {
	bic, aic := -12.5, math.Inf(1)
	tests := []KResult{
		{K: 2},
		{K: 7, Inertia: 1844.0640687542134, Silhouette: -0.25, CalinskiHarabasz: 189.05, DaviesBouldin: 1.35,
			LogW: math.Inf(-1), RefLogW: []float64{1, 2, math.NaN(), 4, 5}, PairARI: []float64{0.5, 1}},
		{K: 300, BIC: &bic, AIC: &aic, PairARI: []float64{-0.0}},
	}
	for _, r := range tests {
		b, err := r.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got KResult
		if err := got.UnmarshalBinary(b); err != nil {
			t.Fatalf("k = %d: %v", r.K, err)
		}
		if !sameBits(&got, &r) {
			t.Errorf("round trip: %+v, want %+v", got, r)
		}
	}
	good, _ := tests[1].MarshalBinary()
	word := func(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }
	header := func(k, refs, pairs, crit uint64) []byte {
		return append(append(append(word(k), word(refs)...), word(pairs)...), word(crit)...)
	}
	bad := []struct {
		name  string
		b     []byte
		field string
	}{
		{"empty", nil, "0 bytes"},
		{"cut in a word", good[:12], "12 bytes"},
		{"bad flag", append(header(2, 0, 0, 2), make([]byte, 7*8)...), "88 bytes"},
		{"too many references", append(header(2, 1<<40, 0, 0), make([]byte, 5*8)...), "72 bytes"},
		{"references cut", good[:len(good)-16], "112 bytes"},
		{"left over", append(good, make([]byte, 8)...), "136 bytes"},
	}
	for _, tt := range bad {
		var r KResult
		err := r.UnmarshalBinary(tt.b)
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%s: %v, want ErrMalformed naming %q", tt.name, err, tt.field)
		}
	}
	if _, err := (&KResult{K: 2, BIC: &bic}).MarshalBinary(); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("BIC without AIC: %v, want ErrInvalidInput", err)
	}
}

// sameBits compares two results bit for bit, NaNs included.
func sameBits(a, b *KResult) bool {
	eq := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
	eqs := func(x, y []float64) bool {
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !eq(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	eqp := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || eq(*x, *y)) }
	return a.K == b.K && eq(a.Inertia, b.Inertia) && eq(a.Silhouette, b.Silhouette) &&
		eq(a.CalinskiHarabasz, b.CalinskiHarabasz) && eq(a.DaviesBouldin, b.DaviesBouldin) &&
		eqp(a.BIC, b.BIC) && eqp(a.AIC, b.AIC) && eq(a.LogW, b.LogW) && eqs(a.RefLogW, b.RefLogW) && eqs(a.PairARI, b.PairARI)
}

// FuzzKResultUnmarshal: any bytes decode without panicking, and what
// decodes encodes to bytes that decode to the same result.
func FuzzKResultUnmarshal(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, r := range []KResult{{K: 3}, {K: 10, Inertia: rng.Float64(), RefLogW: []float64{1, 2}, PairARI: []float64{0.9}}} {
		b, _ := r.MarshalBinary()
		f.Add(b)
	}
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		var r KResult
		if err := r.UnmarshalBinary(b); err != nil {
			return
		}
		again, err := r.MarshalBinary()
		if err != nil {
			t.Fatalf("decoded %+v does not encode: %v", r, err)
		}
		var r2 KResult
		if err := r2.UnmarshalBinary(again); err != nil || !sameBits(&r, &r2) {
			t.Fatalf("re-encoded result decodes to %+v, %v; want %+v", r2, err, r)
		}
	})
}
