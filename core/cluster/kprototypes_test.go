package cluster

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/shareddata"
)

// TestKPrototypesNumericIsKMeans checks that with no categorical column
// k-prototypes behaves as k-means: same seeding draws, Lloyd iterations.
func TestKPrototypesNumericIsKMeans(t *testing.T) {
	tests := []struct {
		battery, name string
		k             int
	}{
		{"fcps", "hepta", 7},
		{"sipu", "s1", 15},
		{"uci", "glass", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, _ := loadBench(t, tt.battery, tt.name)
			km, err := (&KMeans{K: tt.k, NInit: 3, Seed: 4, Tol: 1e-12}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			kp, err := (&KPrototypes{K: tt.k, NInit: 3, Seed: 4, MaxIter: 300}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			ari := adjustedRand(km.Labels, kp.Labels)
			t.Logf("ARI(kmeans, kprototypes) = %.6f; inertia %.8g vs %.8g", ari, km.Inertia, kp.Inertia)
			if ari < 0.9999 || math.Abs(km.Inertia-kp.Inertia) > 1e-9*km.Inertia {
				t.Errorf("k-prototypes differs from k-means: ARI %v, inertia %v vs %v", ari, kp.Inertia, km.Inertia)
			}
		})
	}
}

func TestKPrototypesErrors(t *testing.T) {
	good, _ := matrix.FromRows([][]float64{{1, 0}, {2, 1}, {3, 1}, {9, 2}})
	frac, _ := matrix.FromRows([][]float64{{1, 0}, {2, 1.5}, {3, 1}})
	neg, _ := matrix.FromRows([][]float64{{1, 0}, {2, 1}, {3, -1}})
	mask := []bool{false, true}
	tests := []struct {
		name string
		kp   *KPrototypes
		x    *matrix.Dense
		want error
		row  int
	}{
		{"nil settings", nil, good, ErrBadSettings, -1},
		{"K=0", &KPrototypes{}, good, ErrBadSettings, -1},
		{"gamma", &KPrototypes{K: 2, Gamma: -1}, good, ErrBadSettings, -1},
		{"init", &KPrototypes{K: 2, Init: "random"}, good, ErrBadSettings, -1},
		{"NInit", &KPrototypes{K: 2, NInit: -1}, good, ErrBadSettings, -1},
		{"mask length", &KPrototypes{K: 2, Categorical: []bool{true}}, good, ErrBadSettings, -1},
		{"too few", &KPrototypes{K: 5}, good, ErrTooFewPoints, -1},
		{"nil matrix", &KPrototypes{K: 2}, nil, ErrInvalidInput, -1},
		{"fractional code", &KPrototypes{K: 2, Categorical: mask}, frac, ErrInvalidInput, 1},
		{"negative code", &KPrototypes{K: 2, Categorical: mask}, neg, ErrInvalidInput, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.kp.Fit(context.Background(), tt.x)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.row >= 0 {
				var ie *InputError
				if !errors.As(err, &ie) || ie.Row != tt.row || ie.Column != 1 {
					t.Errorf("err = %v, want an InputError at row %d, column 1", err, tt.row)
				}
			}
		})
	}
}

// TestKPrototypesMixed checks each initialisation on mixed data with a
// known grouping, the default Gamma, Predict against the training labels and
// independence from Workers.
func TestKPrototypesMixed(t *testing.T) {
	x, mask, truth := mixedBlobs(2000, 5, 2, 4, 3)
	// k-means on the three numeric columns alone, for comparison.
	num := &matrix.Dense{Rows: x.Rows, Cols: 3, Data: make([]float64, x.Rows*3)}
	for i := range x.Rows {
		copy(num.Row(i), x.Row(i)[:3])
	}
	km, err := (&KMeans{K: 4, Seed: 2}).Fit(context.Background(), num)
	if err != nil {
		t.Fatal(err)
	}
	kmARI := adjustedRand(truth, km.Labels)
	for _, init := range []string{"cao", "huang", "k-means++"} {
		t.Run(init, func(t *testing.T) {
			calls := 0
			kp := &KPrototypes{K: 4, Categorical: mask, Init: init, Seed: 2, Progress: func(Progress) { calls++ }}
			m, err := kp.Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			ari := adjustedRand(truth, m.Labels)
			t.Logf("ARI %.4f (k-means on the numeric columns %.4f), cost %.2f, %d iterations, %d progress calls", ari, kmARI, m.Inertia, m.Iterations, calls)
			if ari < 0.8 || ari < kmARI {
				t.Errorf("ARI %.4f < 0.8 or below k-means' %.4f", ari, kmARI)
			}
			kp.Workers, kp.Progress = 1, nil
			m1, err := kp.Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m1.Labels, m.Labels) || m1.Inertia != m.Inertia {
				t.Errorf("Workers=1 gives a different result")
			}
			p := m.Predictor.(*PrototypePredictor)
			if init == "cao" {
				// The default Gamma: 0.5 × mean population std of the
				// three numeric columns.
				want := 0.0
				for j := range 3 {
					mu, ss := 0.0, 0.0
					for i := range x.Rows {
						mu += x.At(i, j)
					}
					mu /= float64(x.Rows)
					for i := range x.Rows {
						ss += (x.At(i, j) - mu) * (x.At(i, j) - mu)
					}
					want += math.Sqrt(ss/float64(x.Rows)) / 3
				}
				if math.Abs(p.Gamma-want/2) > 1e-9 {
					t.Errorf("Gamma = %v, want %v", p.Gamma, want/2)
				}
			}
			cost := 0.0
			for i := range x.Rows {
				a, err := m.Predict(x.Row(i))
				if err != nil {
					t.Fatal(err)
				}
				if a.Label != m.Labels[i] {
					t.Fatalf("row %d: Predict %d, label %d", i, a.Label, m.Labels[i])
				}
				cost += a.Distance * a.Distance
			}
			if math.Abs(cost-m.Inertia) > 1e-6*m.Inertia {
				t.Errorf("Σ Distance² = %v, Inertia %v", cost, m.Inertia)
			}
			for c := range m.K {
				for j, cat := range mask {
					if v := m.Centers.At(c, j); cat && (v != math.Trunc(v) || v < 0 || v > 3) {
						t.Errorf("prototype %d column %d = %v, not a code", c, j, v)
					}
				}
			}
		})
	}
}

func TestKPrototypesCancel(t *testing.T) {
	x, mask, _ := mixedBlobs(500, 4, 1, 4, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&KPrototypes{K: 4, Categorical: mask}).Fit(ctx, x); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// mallCustomers reads Mall_Customers.csv: Genre (Female 0, Male 1), then
// Age, Annual Income and Spending Score, z-scored.
func mallCustomers(t testing.TB) *matrix.Dense {
	raw, err := os.ReadFile(shareddata.Path(t, "Mall_Customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]float64
	for i, line := range strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n") {
		f := strings.Split(line, ",")
		if i == 0 || len(f) != 5 {
			continue
		}
		r := []float64{0, 0, 0, 0}
		if f[1] == "Male" {
			r[0] = 1
		}
		for j := 2; j < 5; j++ {
			if r[j-1], err = strconv.ParseFloat(f[j], 64); err != nil {
				t.Fatal(err)
			}
		}
		rows = append(rows, r)
	}
	x, err := matrix.FromRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	for j := 1; j < 4; j++ {
		mu, ss := 0.0, 0.0
		for i := range x.Rows {
			mu += x.At(i, j)
		}
		mu /= float64(x.Rows)
		for i := range x.Rows {
			ss += (x.At(i, j) - mu) * (x.At(i, j) - mu)
		}
		sd := math.Sqrt(ss / float64(x.Rows))
		for i := range x.Rows {
			x.Set(i, j, (x.At(i, j)-mu)/sd)
		}
	}
	return x
}

// TestMallCustomers segments the mall customers (Genre categorical, three
// z-scored numeric columns). With Huang's default Gamma (0.5 here) one
// gender mismatch weighs as much as half a standard deviation in one
// column, so Genre only breaks ties and the segments are close to k-means'
// on the numeric columns; with Gamma = 2 it splits segments by gender. On
// Gower's distance one mismatch weighs 1/4 of the maximum distance, so
// k-medoids' segments are all single-gender.
func TestMallCustomers(t *testing.T) {
	x := mallCustomers(t)
	if x.Rows != 200 {
		t.Fatalf("%d rows, want 200", x.Rows)
	}
	mask := []bool{true, false, false, false}
	purity := func(labels []int, k int) float64 {
		male := make([]int, k)
		size := make([]int, k)
		for i, l := range labels {
			size[l]++
			male[l] += int(x.At(i, 0))
		}
		p := 0
		for c := range k {
			p += max(male[c], size[c]-male[c])
		}
		return float64(p) / float64(len(labels))
	}
	sizes := func(labels []int, k int) []int {
		s := make([]int, k)
		for _, l := range labels {
			s[l]++
		}
		return s
	}
	const k = 6
	kp, err := (&KPrototypes{K: k, Categorical: mask, Seed: 1}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	kmed, err := (&KMedoids{K: k, Categorical: mask}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	num := &matrix.Dense{Rows: x.Rows, Cols: 3, Data: make([]float64, x.Rows*3)}
	for i := range x.Rows {
		copy(num.Row(i), x.Row(i)[1:])
	}
	km, err := (&KMeans{K: k, Seed: 1}).Fit(context.Background(), num)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("k-prototypes: sizes %v, gender purity %.2f, gamma %.3f", sizes(kp.Labels, k), purity(kp.Labels, k), kp.Predictor.(*PrototypePredictor).Gamma)
	t.Logf("k-medoids:    sizes %v, gender purity %.2f", sizes(kmed.Labels, k), purity(kmed.Labels, k))
	t.Logf("k-means (numeric only): sizes %v, gender purity %.2f", sizes(km.Labels, k), purity(km.Labels, k))
	for c := range k {
		t.Logf("prototype %d: %s", c, fmt.Sprint(kp.Centers.Row(c)))
	}
	kp2, err := (&KPrototypes{K: k, Categorical: mask, Seed: 1, Gamma: 2}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("k-prototypes, gamma 2: sizes %v, gender purity %.2f", sizes(kp2.Labels, k), purity(kp2.Labels, k))
	if p := purity(kp.Labels, k); p < purity(km.Labels, k) {
		t.Errorf("k-prototypes gender purity %.2f below k-means' %.2f", p, purity(km.Labels, k))
	}
	if p := purity(kp2.Labels, k); p < 0.9 {
		t.Errorf("k-prototypes (Gamma 2) gender purity %.2f < 0.9", p)
	}
	if p := purity(kmed.Labels, k); p < 0.9 {
		t.Errorf("k-medoids gender purity %.2f < 0.9", p)
	}
}

func BenchmarkKPrototypes(b *testing.B) {
	for _, n := range []int{1e4, 1e5} {
		x, mask, _ := mixedBlobs(n, 6, 2, 8, benchSeed)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var m *Model
			for b.Loop() {
				var err error
				m, err = (&KPrototypes{K: 8, Categorical: mask, NInit: 1, Seed: 1}).Fit(context.Background(), x)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(m.Iterations), "iters")
		})
	}
}

// TestAllCategorical checks both algorithms on purely categorical rows
// (k-prototypes is then k-modes, with Gamma 1).
func TestAllCategorical(t *testing.T) {
	x, _ := matrix.FromRows([][]float64{
		{0, 1, 2}, {0, 1, 2}, {0, 1, 1}, {0, 0, 2},
		{3, 2, 0}, {3, 2, 0}, {3, 2, 1}, {1, 2, 0},
	})
	mask := []bool{true, true, true}
	want := []int{0, 0, 0, 0, 1, 1, 1, 1}
	for _, f := range []Fitter{
		&KPrototypes{K: 2, Categorical: mask},
		&KPrototypes{K: 2, Categorical: mask, Init: "huang", Seed: 3},
		&KMedoids{K: 2, Categorical: mask},
	} {
		m, err := f.Fit(context.Background(), x)
		if err != nil {
			t.Fatal(err)
		}
		if ari := adjustedRand(want, m.Labels); ari != 1 {
			t.Errorf("%T: labels %v", f, m.Labels)
		}
		if p, ok := m.Predictor.(*PrototypePredictor); ok {
			if p.Gamma != 1 {
				t.Errorf("Gamma = %v, want 1", p.Gamma)
			}
			c := m.Centers.Row(m.Labels[0])
			if !slices.Equal(c, []float64{0, 1, 2}) {
				t.Errorf("mode of the first group = %v, want [0 1 2]", c)
			}
		}
	}
}
