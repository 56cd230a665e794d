package cluster

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

func mustRows(t testing.TB, rows [][]float64) *matrix.Dense {
	t.Helper()
	m, err := matrix.FromRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fitters returns every algorithm of the package with k clusters.
func fitters(k int) map[string]Fitter {
	return map[string]Fitter{
		"kmeans":           &KMeans{K: k, Seed: 1},
		"minibatch-kmeans": &MiniBatchKMeans{K: k, Seed: 1},
	}
}

func TestFitRejectsBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	good := mustRows(t, [][]float64{{0, 0}, {1, 1}, {5, 5}})
	tests := []struct {
		name    string
		fitter  Fitter
		x       *matrix.Dense
		want    error
		wantMsg string // substring of the message
	}{
		{"nil matrix", &KMeans{K: 1}, nil, ErrInvalidInput, "nil matrix"},
		{"short data", &KMeans{K: 1}, &matrix.Dense{Rows: 2, Cols: 2, Data: []float64{1, 2, 3}}, ErrInvalidInput, "2×2"},
		{"no rows", &KMeans{K: 1}, matrix.New(0, 3), ErrTooFewPoints, "no rows"},
		{"no columns", &KMeans{K: 1}, matrix.New(4, 0), ErrInvalidInput, "no columns"},
		{"NaN", &KMeans{K: 1}, mustRows(t, [][]float64{{0, 0}, {1, nan}}), ErrInvalidInput, "row 1, column 1 is NaN"},
		{"Inf", &MiniBatchKMeans{K: 1}, mustRows(t, [][]float64{{-inf, 0}}), ErrInvalidInput, "row 0, column 0 is -Inf"},
		{"K > n", &KMeans{K: 4}, good, ErrTooFewPoints, "3 rows for 4 clusters"},
		{"K > n minibatch", &MiniBatchKMeans{K: 4}, good, ErrTooFewPoints, "3 rows for 4 clusters"},
		{"K = 0", &KMeans{}, good, ErrBadSettings, "K = 0"},
		{"K < 0 minibatch", &MiniBatchKMeans{K: -1}, good, ErrBadSettings, "K = -1"},
		{"NInit < 0", &KMeans{K: 1, NInit: -1}, good, ErrBadSettings, "NInit"},
		{"MaxIter < 0", &KMeans{K: 1, MaxIter: -1}, good, ErrBadSettings, "MaxIter"},
		{"Tol < 0", &KMeans{K: 1, Tol: -1}, good, ErrBadSettings, "Tol"},
		{"Tol NaN", &MiniBatchKMeans{K: 1, Tol: nan}, good, ErrBadSettings, "Tol"},
		{"Workers < 0", &KMeans{K: 1, Workers: -2}, good, ErrBadSettings, "Workers"},
		{"BatchSize < 0", &MiniBatchKMeans{K: 1, BatchSize: -2}, good, ErrBadSettings, "BatchSize"},
		{"nil KMeans", (*KMeans)(nil), good, ErrBadSettings, "nil"},
		{"nil MiniBatchKMeans", (*MiniBatchKMeans)(nil), good, ErrBadSettings, "nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.fitter.Fit(context.Background(), tt.x)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Fit: model %v, error %v; want %v", m, err, tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "cluster: ") || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("error %q: want prefix %q and %q", msg, "cluster: ", tt.wantMsg)
			}
		})
	}
}

func TestInputErrorPosition(t *testing.T) {
	x := mustRows(t, [][]float64{{0, 0, 0}, {0, 0, 0}, {0, 0, math.Inf(-1)}})
	_, err := (&KMeans{K: 1}).Fit(context.Background(), x)
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v is not an *InputError", err)
	}
	if ie.Row != 2 || ie.Column != 2 || !math.IsInf(ie.Value, -1) {
		t.Errorf("InputError = %+v, want row 2, column 2, -Inf", *ie)
	}
}

func TestPredict(t *testing.T) {
	centers := mustRows(t, [][]float64{{0, 0}, {4, 0}, {0, 3}})
	m := &Model{Algorithm: "kmeans", K: 3, Centers: centers, Predictor: NearestCenter{Centers: centers}}
	tests := []struct {
		name      string
		x         []float64
		wantLabel int
		wantDist  float64
		wantErr   error
	}{
		{"on a centre", []float64{4, 0}, 1, 0, nil},
		{"3-4-5 triangle", []float64{4, 3}, 1, 3, nil},          // to (4,0): 3; to (0,3): 4; to (0,0): 5
		{"nearest origin", []float64{-3, -4}, 0, 5, nil},        // to (0,0): 5
		{"tie goes to lower label", []float64{2, 0}, 0, 2, nil}, // 2 from (0,0) and (4,0)
		{"closer to third", []float64{1, 2.5}, 2, math.Sqrt(1.25), nil},
		{"too short", []float64{1}, 0, 0, ErrInvalidInput},
		{"too long", []float64{1, 2, 3}, 0, 0, ErrInvalidInput},
		{"NaN", []float64{math.NaN(), 1}, 0, 0, ErrInvalidInput},
		{"Inf", []float64{1, math.Inf(1)}, 0, 0, ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range []Predictor{m, NearestCenter{Centers: centers}} {
				a, err := p.Predict(tt.x)
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("%T.Predict: error %v, want %v", p, err, tt.wantErr)
				}
				if err != nil {
					continue
				}
				if a.Label != tt.wantLabel || math.Abs(a.Distance-tt.wantDist) > 1e-15 || a.Probabilities != nil {
					t.Errorf("%T.Predict = %+v, want label %d distance %v", p, a, tt.wantLabel, tt.wantDist)
				}
			}
		})
	}
}

func TestPredictNotInductive(t *testing.T) {
	for _, m := range []*Model{nil, {Algorithm: "x", K: 2, Labels: []int{0, 1}}} {
		if _, err := m.Predict([]float64{1}); !errors.Is(err, ErrNotInductive) {
			t.Errorf("Predict on %v: error %v, want ErrNotInductive", m, err)
		}
	}
	if _, err := (NearestCenter{}).Predict([]float64{1}); !errors.Is(err, ErrNotInductive) {
		t.Errorf("NearestCenter{}.Predict: error %v, want ErrNotInductive", err)
	}
}

// TestPredictMatchesLabels checks, for every algorithm, that the model's rule
// for new points gives each training row its training label.
func TestPredictMatchesLabels(t *testing.T) {
	x, _ := synth.Blobs(3000, 4, 5, 4, 11)
	for name, f := range fitters(5) {
		t.Run(name, func(t *testing.T) {
			m, err := f.Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			if m.Algorithm != name || m.K != 5 || len(m.Labels) != x.Rows || m.Centers.Rows != 5 || m.Centers.Cols != 4 {
				t.Fatalf("model %s K=%d labels=%d centres %d×%d", m.Algorithm, m.K, len(m.Labels), m.Centers.Rows, m.Centers.Cols)
			}
			inertia := 0.0
			for i, l := range m.Labels {
				a, err := m.Predict(x.Row(i))
				if err != nil {
					t.Fatal(err)
				}
				if a.Label != l {
					t.Fatalf("row %d: Predict %d, label %d", i, a.Label, l)
				}
				inertia += a.Distance * a.Distance
			}
			if math.Abs(inertia-m.Inertia) > 1e-9*m.Inertia {
				t.Errorf("inertia %v, from Predict %v", m.Inertia, inertia)
			}
		})
	}
}

func TestCheckMatrixVariance(t *testing.T) {
	big, _ := synth.Blobs(3*chunkRows+17, 3, 4, 4, 9)
	naive := func(x *matrix.Dense) float64 {
		v := 0.0
		for j := range x.Cols {
			mean := 0.0
			for i := range x.Rows {
				mean += x.At(i, j)
			}
			mean /= float64(x.Rows)
			ss := 0.0
			for i := range x.Rows {
				ss += (x.At(i, j) - mean) * (x.At(i, j) - mean)
			}
			v += ss / float64(x.Rows)
		}
		return v / float64(x.Cols)
	}
	tests := []struct {
		name string
		x    *matrix.Dense
		want float64
	}{
		{"hand", mustRows(t, [][]float64{{0, 0}, {2, 4}}), 2.5}, // variances 1 and 4
		{"one row", mustRows(t, [][]float64{{3, 4}}), 0},
		{"offset", mustRows(t, [][]float64{{1e9 + 1}, {1e9 - 1}}), 1},
		{"many chunks", big, naive(big)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range []int{1, 3} {
				got, err := checkMatrix(tt.x, 1, w)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(got-tt.want) > 1e-12*math.Max(1, tt.want) {
					t.Errorf("workers %d: mean variance %v, want %v", w, got, tt.want)
				}
			}
		})
	}
}
