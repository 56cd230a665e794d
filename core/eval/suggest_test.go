package eval

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/cluster"
	"github.com/segkit/segkit/core/dataset"
	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/prep"
	"github.com/segkit/segkit/internal/benchdata"
	"github.com/segkit/segkit/internal/shareddata"
	"github.com/segkit/segkit/internal/synth"
)

// mallIncomeSpending returns Mall_Customers.csv's annual income and spending
// score with prep's default standard scaling.
func mallIncomeSpending(t testing.TB) *matrix.Dense {
	t.Helper()
	tab, err := dataset.ReadFile(shareddata.Path(t, "Mall_Customers.csv"), dataset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, x, _, err := prep.Fit(tab, prep.Spec{Columns: []string{"Annual Income (k$)", "Spending Score (1-100)"}})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// benchSet returns the points of a labelled benchmark set and the number of
// clusters of its first reference partition.
func benchSet(t testing.TB, battery, name string) (*matrix.Dense, int) {
	t.Helper()
	x, err := benchdata.Points(shareddata.Path(t, "bench", battery, name+".data.gz"))
	if err != nil {
		t.Fatal(err)
	}
	labels, err := benchdata.Labels(shareddata.Path(t, "bench", battery, name+".labels0.gz"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, l := range labels {
		if l > 0 { // 0 is noise
			seen[l] = true
		}
	}
	return x, len(seen)
}

// TestSuggestRealData checks the suggestion on real data against the truth
// of each set. Where the honest method does not recover the truth, the test
// pins what it gives and says why.
func TestSuggestRealData(t *testing.T) {
	tests := []struct {
		name  string
		load  func(t testing.TB) (*matrix.Dense, int)
		kmax  int
		seeds []uint64
		want  int
		slow  bool // seconds natively, half a minute under js/wasm: skipped with -short, run in parallel
	}{
		// Five groups by income × spending, the textbook answer: silhouette,
		// Davies–Bouldin and the elbow agree on 5 (Calinski–Harabasz prefers
		// 8 and the gap's one-standard-error rule stops at 3).
		{"mall income × spending", func(t testing.TB) (*matrix.Dense, int) { return mallIncomeSpending(t), 5 }, 0, []uint64{1, 2, 3}, 5, false},
		// Seven well separated balls.
		{"fcps/hepta", func(t testing.TB) (*matrix.Dense, int) { return benchSet(t, "fcps", "hepta") }, 0, []uint64{1, 2}, 7, false},
		// Fifteen Gaussian clusters; silhouette, Calinski–Harabasz and
		// Davies–Bouldin peak at 15.
		{"sipu/s1", func(t testing.TB) (*matrix.Dense, int) { return benchSet(t, "sipu", "s1") }, 20, []uint64{1}, 15, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.slow {
				if testing.Short() {
					t.Skip("slow: skipped with -short")
				}
				t.Parallel()
			}
			x, truth := tt.load(t)
			for _, seed := range tt.seeds {
				s, err := Suggest(context.Background(), x, SuggestOptions{KMax: tt.kmax, Seed: seed})
				if err != nil {
					t.Fatal(err)
				}
				if s.SuggestedK != tt.want {
					t.Errorf("seed %d: suggested %d, want %d (truth %d); votes %v; reasons %q",
						seed, s.SuggestedK, tt.want, truth, s.Votes, s.Reasons)
				}
				if !strings.HasPrefix(s.Reasons[0], "k = ") {
					t.Errorf("first reason %q does not name k", s.Reasons[0])
				}
			}
		})
	}
}

// threeBlobs is a small data set with three clearly separated groups.
func threeBlobs() *matrix.Dense {
	x, _ := synth.Blobs(600, 2, 3, 20, 7)
	return x
}

// TestSuggestDeterministic checks that the same data, options and Seed give
// the same Suggestion, and that Progress counts every fit.
func TestSuggestDeterministic(t *testing.T) {
	x := threeBlobs()
	var calls, last, total int
	opt := SuggestOptions{KMax: 6, Seed: 42, Progress: func(done, tot int) {
		calls++
		if done != last+1 {
			t.Errorf("progress %d after %d", done, last)
		}
		last, total = done, tot
	}}
	a, err := Suggest(context.Background(), x, opt)
	if err != nil {
		t.Fatal(err)
	}
	// 5 ks × (1 fit + 5 gap references + 2 × 5 stability fits).
	if want := 5 * (1 + 5 + 10); calls != want || total != want || last != want {
		t.Errorf("progress: %d calls, last %d of %d; want %d", calls, last, total, want)
	}
	opt.Progress = nil
	b, err := Suggest(context.Background(), x, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two runs differ:\n%+v\n%+v", a, b)
	}
	if a.SuggestedK != 3 {
		t.Errorf("suggested %d for three blobs; reasons %q", a.SuggestedK, a.Reasons)
	}
}

// TestSuggestSampling checks the sample sizes on a large input and that they
// are stated in the result and its reasons.
func TestSuggestSampling(t *testing.T) {
	n := 1_000_000
	if testing.Short() {
		n = 60_000
	}
	x, _ := synth.Blobs(n, 2, 4, 20, 3)
	tests := []struct {
		name                          string
		opt                           SuggestOptions
		sample, sil, check, stability int
	}{
		{"defaults", SuggestOptions{}, 20000, 5000, 5000, 4000},
		{"set sizes", SuggestOptions{SampleSize: 3000, SilhouetteSample: 1000, CheckSample: 2000}, 3000, 1000, 2000, 1600},
		{"check sample is the fit sample", SuggestOptions{SampleSize: 3000, CheckSample: -1, GapReferences: -1}, 3000, 3000, 3000, 2400},
		{"no gap, no stability", SuggestOptions{SampleSize: 3000, GapReferences: -1, StabilityRuns: -1}, 3000, 3000, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.KMax = 6
			tt.opt.Seed = 5
			s, err := Suggest(context.Background(), x, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if s.Rows != n || s.SampleSize != tt.sample || s.SilhouetteSample != tt.sil ||
				s.CheckSample != tt.check || s.StabilitySample != tt.stability {
				t.Errorf("rows %d, sample %d, silhouette %d, check %d, stability %d; want %d, %d, %d, %d, %d",
					s.Rows, s.SampleSize, s.SilhouetteSample, s.CheckSample, s.StabilitySample,
					n, tt.sample, tt.sil, tt.check, tt.stability)
			}
			if s.SuggestedK != 4 {
				t.Errorf("suggested %d for four blobs; reasons %q", s.SuggestedK, s.Reasons)
			}
			sizes := s.Reasons[len(s.Reasons)-1]
			if tt.sample < n && !strings.Contains(sizes, "sample of") {
				t.Errorf("sizes reason %q does not state the sample", sizes)
			}
		})
	}
}

// TestSuggestCancel checks that a cancelled context stops Suggest between
// fits.
func TestSuggestCancel(t *testing.T) {
	x := threeBlobs()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Suggest(ctx, x, SuggestOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: error %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	fits := 0
	_, err := Suggest(ctx, x, SuggestOptions{Progress: func(done, total int) {
		fits = done
		if done == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || fits != 3 {
		t.Errorf("cancelled after 3 fits: error %v after %d fits", err, fits)
	}
}

// panicFitter panics in Fit.
type panicFitter struct{}

func (panicFitter) Fit(context.Context, *matrix.Dense) (*cluster.Model, error) { panic("boom") }

// shortFitter returns too few labels.
type shortFitter struct{}

func (shortFitter) Fit(_ context.Context, x *matrix.Dense) (*cluster.Model, error) {
	return &cluster.Model{Labels: make([]int, x.Rows-1)}, nil
}

// TestSuggestErrors checks the errors of bad data and bad options.
func TestSuggestErrors(t *testing.T) {
	x := threeBlobs()
	nan := &matrix.Dense{Rows: 30, Cols: 1, Data: make([]float64, 30)}
	nan.Data[4] = math.NaN()
	tiny := &matrix.Dense{Rows: 8, Cols: 1, Data: []float64{1, 2, 3, 4, 5, 6, 7, 8}}
	tests := []struct {
		name string
		x    *matrix.Dense
		opt  SuggestOptions
		want error
	}{
		{"nil data", nil, SuggestOptions{}, ErrInvalidInput},
		{"NaN", nan, SuggestOptions{}, ErrInvalidInput},
		{"KMin 1", x, SuggestOptions{KMin: 1}, ErrBadOptions},
		{"KMax < KMin", x, SuggestOptions{KMin: 5, KMax: 4}, ErrBadOptions},
		{"too few rows", tiny, SuggestOptions{StabilityRuns: -1, GapReferences: -1}, ErrBadOptions},
		{"too few rows for stability", tiny, SuggestOptions{KMax: 6, GapReferences: -1}, ErrBadOptions},
		{"check sample too small", x, SuggestOptions{CheckSample: 5}, ErrBadOptions},
		{"nil fitter", x, SuggestOptions{Fitter: func(int) cluster.Fitter { return nil }}, ErrBadOptions},
		{"fitter panics", x, SuggestOptions{Fitter: func(int) cluster.Fitter { return panicFitter{} }}, ErrInvalidInput},
		{"fitter loses labels", x, SuggestOptions{Fitter: func(int) cluster.Fitter { return shortFitter{} }}, ErrLengthMismatch},
		{"fitter fails", x, SuggestOptions{Fitter: func(k int) cluster.Fitter { return &cluster.KMeans{K: k, NInit: -1} }}, cluster.ErrBadSettings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Suggest(context.Background(), tt.x, tt.opt)
			if !errors.Is(err, tt.want) || s != nil {
				t.Errorf("Suggest = %v, %v; want an error wrapping %v", s, err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "eval: ") {
				t.Errorf("error %q lacks the eval prefix", err)
			}
		})
	}
}

// TestSuggestCriterion checks that BIC and AIC from a Criterion are recorded
// and that BIC votes, and the JSON names of the result.
func TestSuggestCriterion(t *testing.T) {
	x := threeBlobs()
	// A made-up BIC with its minimum at k = 3, a parabola in k.
	crit := func(m *cluster.Model) (float64, float64, bool) {
		k := float64(m.K)
		return (k - 3) * (k - 3), k, m.K != 4
	}
	s, err := Suggest(context.Background(), x, SuggestOptions{KMax: 5, Seed: 1, Criterion: crit})
	if err != nil {
		t.Fatal(err)
	}
	if s.Votes["bic"] != 3 {
		t.Errorf("BIC voted %d, want 3 (votes %v)", s.Votes["bic"], s.Votes)
	}
	for _, sc := range s.Scores {
		if (sc.BIC == nil) != (sc.K == 4) || (sc.AIC == nil) != (sc.K == 4) {
			t.Errorf("k = %d: BIC %v, AIC %v; want them set unless k = 4", sc.K, sc.BIC, sc.AIC)
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"suggested_k":3`, `"reasons":`, `"elbow":`, `"scores":`, `"rows":600`,
		`"sample_size":600`, `"silhouette_sample":600`, `"check_sample":600`, `"votes":`, `"bic":`,
		`"calinski_harabasz":`, `"davies_bouldin":`, `"gap_se":`, `"stability":`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}
