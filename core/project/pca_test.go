package project

import (
	"encoding/json"
	"errors"
	"hash/fnv"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

func TestFitErrors(t *testing.T) {
	nan := mustRows(t, [][]float64{{1, 2}, {3, 4}, {5, math.NaN()}})
	inf := mustRows(t, [][]float64{{1, math.Inf(-1)}, {3, 4}})
	ok := mustRows(t, [][]float64{{1, 2}, {3, 5}, {4, 4}})
	tests := []struct {
		name string
		pca  PCA
		x    *matrix.Dense
		want error
		msg  string // substring of the message
	}{
		{"nil matrix", PCA{}, nil, ErrInvalidInput, "nil"},
		{"malformed", PCA{}, &matrix.Dense{Rows: 2, Cols: 2, Data: []float64{1}}, ErrInvalidInput, "holds 1 values"},
		{"no columns", PCA{}, matrix.New(5, 0), ErrInvalidInput, "no columns"},
		{"no rows", PCA{}, matrix.New(0, 3), ErrInvalidInput, "0 rows"},
		{"one row", PCA{}, matrix.New(1, 3), ErrInvalidInput, "1 rows"},
		{"NaN", PCA{}, nan, ErrInvalidInput, "row 2, column 1 is NaN"},
		{"Inf", PCA{}, inf, ErrInvalidInput, "row 0, column 1 is -Inf"},
		{"too wide", PCA{}, matrix.New(2, MaxColumns+1), ErrTooWide, "1001 columns"},
		{"negative components", PCA{Components: -1}, ok, ErrInvalidSettings, "Components is -1"},
		{"too many components", PCA{Components: 3}, ok, ErrInvalidSettings, "want 1..2"},
		{"negative sample", PCA{SampleSize: -5}, ok, ErrInvalidSettings, "SampleSize is -5"},
		{"sample of one", PCA{SampleSize: 1}, ok, ErrInvalidSettings, "at least 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, err := tt.pca.Fit(tt.x)
			if !errors.Is(err, tt.want) || pr != nil {
				t.Fatalf("Fit = %v, %v; want error wrapping %v", pr, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "project: ") || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q: want prefix \"project: \" and %q", err, tt.msg)
			}
		})
	}
	var ve *ValueError
	if _, err := (&PCA{}).Fit(nan); !errors.As(err, &ve) || ve.Row != 2 || ve.Column != 1 {
		t.Errorf("NaN: error %v, want *ValueError at row 2, column 1", err)
	}
}

func TestFitHandCases(t *testing.T) {
	s2, s6 := 1/math.Sqrt2, 1/math.Sqrt(6)
	tests := []struct {
		name  string
		rows  [][]float64
		comps [][]float64 // expected components, after the sign convention
		ev    []float64
		ratio []float64
	}{
		{
			// x = t, y = 2t + 1, z = −t: all variance on (1, 2, −1)/√6.
			name:  "line in 3-D",
			rows:  [][]float64{{0, 1, 0}, {1, 3, -1}, {2, 5, -2}, {3, 7, -3}, {4, 9, -4}},
			comps: [][]float64{{s6, 2 * s6, -s6}},
			ev:    []float64{6 * 2.5, 0},
			ratio: []float64{1, 0},
		},
		{
			// Equal magnitudes: the first entry decides the sign.
			name:  "diagonal",
			rows:  [][]float64{{-2, -2}, {-1, -1}, {1, 1}, {2, 2}},
			comps: [][]float64{{s2, s2}, {s2, -s2}},
			ev:    []float64{2 * 10.0 / 3, 0},
			ratio: []float64{1, 0},
		},
		{
			name:  "anti-diagonal",
			rows:  [][]float64{{-2, 2}, {-1, 1}, {1, -1}, {2, -2}},
			comps: [][]float64{{s2, -s2}, {s2, s2}},
			ev:    []float64{2 * 10.0 / 3, 0},
			ratio: []float64{1, 0},
		},
		{
			// Independent axes with variances 4 and 1 (n−1 denominator).
			name:  "axes",
			rows:  [][]float64{{2, 0}, {-2, 0}, {0, 1}, {0, -1}, {0, 0}},
			comps: [][]float64{{1, 0}, {0, 1}},
			ev:    []float64{8.0 / 4, 2.0 / 4},
			ratio: []float64{0.8, 0.2},
		},
		{
			// No variance at all: zero ratios, not NaN.
			name:  "constant",
			rows:  [][]float64{{3, 7}, {3, 7}, {3, 7}},
			comps: [][]float64{{1, 0}, {0, 1}},
			ev:    []float64{0, 0},
			ratio: []float64{0, 0},
		},
		{
			name:  "one column",
			rows:  [][]float64{{1}, {2}, {6}},
			comps: [][]float64{{1}},
			ev:    []float64{7},
			ratio: []float64{1},
		},
	}
	const tol = 1e-12
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := mustRows(t, tt.rows)
			pr, err := (&PCA{}).Fit(x)
			if err != nil {
				t.Fatal(err)
			}
			if pr.Components.Rows != len(tt.ev) {
				t.Fatalf("%d components, want %d", pr.Components.Rows, len(tt.ev))
			}
			for c, want := range tt.comps {
				for j, w := range want {
					if got := pr.Components.At(c, j); math.Abs(got-w) > tol {
						t.Errorf("component %d = %v, want %v", c, pr.Components.Row(c), want)
						break
					}
				}
			}
			for c := range tt.ev {
				if math.Abs(pr.ExplainedVariance[c]-tt.ev[c]) > tol*max(1, tt.ev[0]) ||
					math.Abs(pr.ExplainedVarianceRatio[c]-tt.ratio[c]) > tol {
					t.Errorf("explained variance %v ratio %v, want %v %v",
						pr.ExplainedVariance, pr.ExplainedVarianceRatio, tt.ev, tt.ratio)
					break
				}
			}
			// On a line the second coordinate is zero and the first is the
			// signed distance from the mean along the line.
			if tt.ratio[0] == 1 && len(tt.ratio) > 1 {
				y, err := pr.Transform(x)
				if err != nil {
					t.Fatal(err)
				}
				for i := range y.Rows {
					if math.Abs(y.At(i, 1)) > tol {
						t.Errorf("row %d: second coordinate %v, want 0", i, y.At(i, 1))
					}
				}
			}
		})
	}
}

// TestComponentsOrthonormal checks the components of a wider fit form an
// orthonormal set ordered by explained variance, each with its largest entry
// positive, and that the ratios add up to at most one.
func TestComponentsOrthonormal(t *testing.T) {
	x, _ := synth.Blobs(3000, 12, 5, 3, 7)
	pr, err := (&PCA{Components: 12}).Fit(x)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for a := range 12 {
		va := pr.Components.Row(a)
		for b := a; b < 12; b++ {
			dot := 0.0
			for j, v := range pr.Components.Row(b) {
				dot += v * va[j]
			}
			want := 0.0
			if a == b {
				want = 1
			}
			if math.Abs(dot-want) > 1e-12 {
				t.Errorf("component %d · component %d = %v, want %v", a, b, dot, want)
			}
		}
		big := 0.0
		for _, v := range va {
			if math.Abs(v) > math.Abs(big) {
				big = v
			}
		}
		if big <= 0 {
			t.Errorf("component %d: largest entry %v is not positive", a, big)
		}
		if a > 0 && pr.ExplainedVariance[a] > pr.ExplainedVariance[a-1] {
			t.Errorf("explained variance not decreasing: %v", pr.ExplainedVariance)
		}
		sum += pr.ExplainedVarianceRatio[a]
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("ratios of all components add up to %v, want 1", sum)
	}
}

// TestSampledFit checks that a sampled fit is exactly the fit of the rows
// Sample chooses, and that the default sample size applies above 100,000.
func TestSampledFit(t *testing.T) {
	x, _ := synth.Blobs(20000, 5, 4, 3, 11)
	tests := []struct {
		name   string
		pca    PCA
		sample []int // nil: all rows
	}{
		{"all rows", PCA{}, nil},
		{"size above n", PCA{SampleSize: 50000, Seed: 3}, nil},
		{"sampled", PCA{SampleSize: 5000, Seed: 3}, Sample(20000, 5000, 3)},
		{"other seed", PCA{SampleSize: 5000, Seed: 4}, Sample(20000, 5000, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.pca.Fit(x)
			if err != nil {
				t.Fatal(err)
			}
			sub := x
			if tt.sample != nil {
				sub = matrix.New(len(tt.sample), x.Cols)
				for i, r := range tt.sample {
					copy(sub.Row(i), x.Row(r))
				}
			}
			want, err := (&PCA{}).Fit(sub)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("fit differs from the fit of the sampled rows:\n got %+v\nwant %+v", got, want)
			}
			if got.SampleSize != sub.Rows {
				t.Errorf("SampleSize = %d, want %d", got.SampleSize, sub.Rows)
			}
		})
	}
	if testing.Short() {
		return
	}
	big, _ := synth.Blobs(DefaultSampleSize+1, 2, 2, 3, 1)
	pr, err := (&PCA{}).Fit(big)
	if err != nil {
		t.Fatal(err)
	}
	if pr.SampleSize != DefaultSampleSize {
		t.Errorf("SampleSize = %d for %d rows, want %d", pr.SampleSize, big.Rows, DefaultSampleSize)
	}
}

// projectionHash returns an FNV-1a hash of every float64 bit of pr.
func projectionHash(pr *Projection) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, s := range [][]float64{pr.Mean, pr.Components.Data, pr.ExplainedVariance, pr.ExplainedVarianceRatio} {
		for _, v := range s {
			u := math.Float64bits(v)
			for i := range b {
				b[i] = byte(u >> (8 * i))
			}
			h.Write(b[:])
		}
	}
	return h.Sum64()
}

// TestDeterminism checks that a fit is bit-identical for any GOMAXPROCS,
// and pins its bits so that the same test under js/wasm proves the browser
// gets the same projection as native code.
func TestDeterminism(t *testing.T) {
	x, _ := synth.Blobs(40000, 6, 5, 3, 21)
	tests := []struct {
		name string
		pca  PCA
		want uint64
	}{
		{"all rows", PCA{Components: 3}, 0x852c624188c32cff},
		{"sampled", PCA{SampleSize: 15000, Seed: 9}, 0xab09b6c24c33f082},
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var first *Projection
			for _, procs := range []int{1, 2, 3, 8} {
				runtime.GOMAXPROCS(procs)
				pr, err := tt.pca.Fit(x)
				if err != nil {
					t.Fatal(err)
				}
				y, err := pr.Transform(x)
				if err != nil {
					t.Fatal(err)
				}
				if first == nil {
					first = pr
					continue
				}
				if !reflect.DeepEqual(pr, first) {
					t.Fatalf("GOMAXPROCS=%d: fit differs from GOMAXPROCS=1", procs)
				}
				want, _ := first.Transform(x)
				if !slices.Equal(y.Data, want.Data) {
					t.Fatalf("GOMAXPROCS=%d: Transform differs", procs)
				}
			}
			if h := projectionHash(first); h != tt.want {
				t.Errorf("projection hash %#x, want %#x (pinned natively on amd64)", h, tt.want)
			}
		})
	}
}

func TestTransformAndPoint(t *testing.T) {
	x, _ := synth.Blobs(9000, 4, 3, 3, 5) // more than one Transform chunk
	pr, err := (&PCA{}).Fit(x)
	if err != nil {
		t.Fatal(err)
	}
	y, err := pr.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	if y.Rows != x.Rows || y.Cols != 2 {
		t.Fatalf("Transform is %d×%d, want %d×2", y.Rows, y.Cols, x.Rows)
	}
	for i := range x.Rows {
		p, err := pr.Point(x.Row(i))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p, y.Row(i)) {
			t.Fatalf("row %d: Point %v, Transform %v", i, p, y.Row(i))
		}
	}
	empty, err := pr.Transform(matrix.New(0, 4))
	if err != nil || empty.Rows != 0 || empty.Cols != 2 {
		t.Errorf("Transform of no rows = %v, %v; want a 0×2 matrix", empty, err)
	}

	broken := *pr
	broken.Mean = broken.Mean[:3]
	tests := []struct {
		name string
		pr   *Projection
		x    *matrix.Dense
		row  []float64
		want error
		msg  string
	}{
		{"wrong width", pr, matrix.New(3, 5), make([]float64, 5), ErrDimensionMismatch, "5"},
		{"NaN", pr, mustRows(t, [][]float64{{0, 0, 0, 0}, {0, 0, math.NaN(), 0}}), []float64{0, 0, math.NaN(), 0}, ErrInvalidInput, "column 2 is NaN"},
		{"nil data", pr, nil, nil, ErrInvalidInput, ""},
		{"nil projection", nil, x, x.Row(0), ErrInvalidProjection, "nil"},
		{"broken projection", &broken, x, x.Row(0), ErrInvalidProjection, "k×3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.pr.Transform(tt.x); !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Transform: %v, want %v containing %q", err, tt.want, tt.msg)
			}
			if tt.row == nil && tt.x == nil {
				return
			}
			if _, err := tt.pr.Point(tt.row); !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Point: %v, want %v containing %q", err, tt.want, tt.msg)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	x, _ := synth.Blobs(500, 3, 2, 3, 2)
	pr, err := (&PCA{}).Fit(x)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(pr)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"mean":[`, `"components":[[`, `"explained_variance":[`, `"explained_variance_ratio":[`, `"sample_size":500`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
	var back Projection
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, pr) {
		t.Errorf("round trip: got %+v, want %+v", back, *pr)
	}

	bad := []struct{ name, json string }{
		{"no components", `{"mean":[1,2],"components":[],"explained_variance":[],"explained_variance_ratio":[]}`},
		{"ragged", `{"mean":[1,2],"components":[[1,0],[0]],"explained_variance":[1,1],"explained_variance_ratio":[0.5,0.5]}`},
		{"width", `{"mean":[1,2],"components":[[1,0,0]],"explained_variance":[1],"explained_variance_ratio":[1]}`},
		{"ratios", `{"mean":[1,2],"components":[[1,0]],"explained_variance":[1],"explained_variance_ratio":[]}`},
		{"not an object", `[1,2]`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			var p Projection
			err := json.Unmarshal([]byte(tt.json), &p)
			if err == nil || !strings.Contains(err.Error(), "project: ") {
				t.Errorf("Unmarshal(%s) = %v, want a project: error", tt.json, err)
			}
		})
	}
}

// TestSymEigen checks A·v = λ·v and orthonormality on matrices with known or
// awkward spectra.
func TestSymEigen(t *testing.T) {
	tests := []struct {
		name string
		a    [][]float64
		vals []float64
	}{
		{"diagonal", [][]float64{{1, 0, 0}, {0, 3, 0}, {0, 0, 2}}, []float64{3, 2, 1}},
		{"2x2", [][]float64{{2, 1}, {1, 2}}, []float64{3, 1}},
		{"repeated", [][]float64{{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 1e-300}, {0, 0, 1e-300, 2}}, []float64{2, 2, 2, 2}},
		{"rank one", [][]float64{{1, 2, 3}, {2, 4, 6}, {3, 6, 9}}, []float64{14, 0, 0}},
		{"negative", [][]float64{{0, 1}, {1, 0}}, []float64{1, -1}},
		{"graded", [][]float64{{1e10, 1, 0}, {1, 1, 1e-5}, {0, 1e-5, 1e-10}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := len(tt.a)
			a := mustRows(t, tt.a)
			vals, vecs, err := symEigen(slices.Clone(a.Data), d)
			if err != nil {
				t.Fatal(err)
			}
			scale := math.Abs(vals[0]) + math.Abs(vals[d-1])
			for k := range d {
				if tt.vals != nil && math.Abs(vals[k]-tt.vals[k]) > 1e-13*scale {
					t.Errorf("eigenvalues %v, want %v", vals, tt.vals)
				}
				v := vecs[k*d : k*d+d]
				for i := range d {
					av := 0.0
					for j := range d {
						av += a.At(i, j) * v[j]
					}
					if math.Abs(av-vals[k]*v[i]) > 1e-13*scale {
						t.Errorf("eigenpair %d: (A·v)[%d] = %v, λ·v = %v", k, i, av, vals[k]*v[i])
					}
				}
				for l := range d {
					dot := 0.0
					for j := range d {
						dot += v[j] * vecs[l*d+j]
					}
					if want := float64(b2i(k == l)); math.Abs(dot-want) > 1e-14 {
						t.Errorf("v%d·v%d = %v, want %v", k, l, dot, want)
					}
				}
			}
		})
	}
	if _, _, err := symEigen([]float64{1, math.NaN(), math.NaN(), 1}, 2); !errors.Is(err, ErrNoConvergence) {
		t.Errorf("NaN matrix: %v, want ErrNoConvergence", err)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
