package cluster

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// mixedBlobs returns n rows of d columns around k groups, of which the last
// nCat columns are categorical codes (0..3) that depend on the group in 80%
// of the rows, and the group of each row.
func mixedBlobs(n, d, nCat, k int, seed uint64) (*matrix.Dense, []bool, []int) {
	x, truth := synth.Blobs(n, d, k, 3, seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	mask := make([]bool, d)
	for j := d - nCat; j < d; j++ {
		mask[j] = true
		for i := range n {
			c := truth[i] % 4
			if rng.Float64() < 0.2 {
				c = rng.IntN(4)
			}
			x.Set(i, j, float64((c+j)%4))
		}
	}
	return x, mask, truth
}

// totalCost returns the sum over rows of the distance to the nearest of the
// given medoids, from the distance matrix.
func totalCost(dm *distMatrix, med []int) float64 {
	s := 0.0
	for i := range dm.n {
		b := float32(math.Inf(1))
		for _, m := range med {
			b = min(b, dm.at(i, m))
		}
		s += float64(b)
	}
	return s
}

// bestSubset finds the optimal medoids by exhaustive search over all
// k-subsets of the n rows.
func bestSubset(dm *distMatrix, k int) float64 {
	best := math.Inf(1)
	med := make([]int, k)
	var rec func(pos, start int)
	rec = func(pos, start int) {
		if pos == k {
			best = min(best, totalCost(dm, med))
			return
		}
		for i := start; i < dm.n; i++ {
			med[pos] = i
			rec(pos+1, i+1)
		}
	}
	rec(0, 0)
	return best
}

// naivePAM is Kaufman and Rousseeuw's PAM written plainly: BUILD, then the
// best of all single swaps, each evaluated by recomputing the whole cost,
// until none improves.
func naivePAM(dm *distMatrix, k int) float64 {
	pm := &pamState{dm: dm, n: dm.n, k: k}
	if err := pm.build(context.Background()); err != nil {
		panic(err)
	}
	med := pm.med
	cur := totalCost(dm, med)
	for {
		bc, bm, bj := cur, -1, -1
		for m := range med {
			for j := range dm.n {
				if slices.Contains(med, j) {
					continue
				}
				old := med[m]
				med[m] = j
				if c := totalCost(dm, med); c < bc-1e-9 {
					bc, bm, bj = c, m, j
				}
				med[m] = old
			}
		}
		if bm < 0 {
			return cur
		}
		med[bm], cur = bj, bc
	}
}

// TestFasterPAMBruteForce compares FasterPAM with PAM and with the exhaustive
// optimum on small random mixed instances. FasterPAM and PAM both stop at a
// local optimum of single swaps, which need not be the global one nor the
// same one (they visit swaps in different orders), so the test requires that
// FasterPAM ends at a local optimum, never below the exhaustive optimum, and
// reaches the optimum on most instances.
func TestFasterPAMBruteForce(t *testing.T) {
	const instances = 60
	var matchOpt, matchPAM, better, worse int
	for inst := range instances {
		n, k := 10+inst%6, 2+inst%3
		rng := rand.New(rand.NewPCG(uint64(inst), 99))
		x := matrix.New(n, 3)
		for i := range n {
			x.Set(i, 0, rng.NormFloat64()*3)
			x.Set(i, 1, rng.Float64()*10)
			x.Set(i, 2, float64(rng.IntN(3)))
		}
		mask := []bool{false, false, true}
		for _, init := range []string{"build", "random"} {
			m, err := (&KMedoids{K: k, Categorical: mask, Init: init, Seed: uint64(inst)}).Fit(context.Background(), x)
			if err != nil {
				t.Fatal(err)
			}
			g := m.Predictor.(*MedoidPredictor).Gower
			dm, _ := newDistMatrix(context.Background(), x, newGowerCoef(g), 1)
			med := m.Predictor.(*MedoidPredictor).Rows
			got := totalCost(dm, med)
			// Inertia sums float64 Gower distances, the matrix holds float32.
			if math.Abs(got-m.Inertia) > 1e-6 {
				t.Fatalf("instance %d: Inertia %v, recomputed %v", inst, m.Inertia, got)
			}
			opt := bestSubset(dm, k)
			if got < opt-1e-9 {
				t.Fatalf("instance %d: cost %v below the optimum %v", inst, got, opt)
			}
			// A local optimum: no single swap improves.
			for c := range med {
				for j := range n {
					if slices.Contains(med, j) {
						continue
					}
					old := med[c]
					med[c] = j
					if v := totalCost(dm, med); v < got-1e-6 {
						t.Fatalf("instance %d (%s): swapping medoid %d for row %d improves %v to %v", inst, init, c, j, got, v)
					}
					med[c] = old
				}
			}
			if init != "build" {
				continue
			}
			if got <= opt+1e-9 {
				matchOpt++
			}
			pam := naivePAM(dm, k)
			switch {
			case math.Abs(got-pam) <= 1e-9:
				matchPAM++
			case got < pam:
				better++
			default:
				worse++
			}
		}
	}
	t.Logf("FasterPAM (BUILD) on %d instances: optimal %d; same cost as PAM %d, better %d, worse %d",
		instances, matchOpt, matchPAM, better, worse)
	if matchOpt < instances*8/10 {
		t.Errorf("FasterPAM reached the optimum on only %d of %d instances", matchOpt, instances)
	}
}

func TestKMedoidsErrors(t *testing.T) {
	good, _ := matrix.FromRows([][]float64{{1, 0}, {2, 1}, {3, 1}, {9, 2}})
	frac, _ := matrix.FromRows([][]float64{{1, 0}, {2, 1.5}, {3, 1}})
	neg, _ := matrix.FromRows([][]float64{{1, 0}, {2, 1}, {3, -1}})
	nan, _ := matrix.FromRows([][]float64{{1, 0}, {2, math.NaN()}})
	mask := []bool{false, true}
	tests := []struct {
		name string
		km   *KMedoids
		x    *matrix.Dense
		want error
		row  int // expected InputError row, or -1
	}{
		{"nil settings", nil, good, ErrBadSettings, -1},
		{"K=0", &KMedoids{}, good, ErrBadSettings, -1},
		{"method", &KMedoids{K: 2, Method: "pam"}, good, ErrBadSettings, -1},
		{"init", &KMedoids{K: 2, Init: "kmeans"}, good, ErrBadSettings, -1},
		{"mask length", &KMedoids{K: 2, Categorical: []bool{true}}, good, ErrBadSettings, -1},
		{"weights", &KMedoids{K: 2, Weights: []float64{1, -1}}, good, ErrBadSettings, -1},
		{"zero weights", &KMedoids{K: 2, Weights: []float64{0, 0}}, good, ErrBadSettings, -1},
		{"too few", &KMedoids{K: 5}, good, ErrTooFewPoints, -1},
		{"nil matrix", &KMedoids{K: 2}, nil, ErrInvalidInput, -1},
		{"NaN", &KMedoids{K: 1}, nan, ErrInvalidInput, 1},
		{"fractional code", &KMedoids{K: 2, Categorical: mask}, frac, ErrInvalidInput, 1},
		{"negative code", &KMedoids{K: 2, Categorical: mask}, neg, ErrInvalidInput, 2},
		// Refused before anything is read or allocated: Data is empty.
		{"too large", &KMedoids{K: 2}, &matrix.Dense{Rows: MaxKMedoidsRows + 1, Cols: 3}, ErrTooLarge, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.km.Fit(context.Background(), tt.x)
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

func TestKMedoidsCancel(t *testing.T) {
	x, mask, _ := mixedBlobs(500, 4, 1, 4, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&KMedoids{K: 4, Categorical: mask}).Fit(ctx, x); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestKMedoidsMixed checks every method and initialisation on mixed data
// with a known grouping, the agreement of Predict with the training labels,
// and that the result does not depend on Workers.
func TestKMedoidsMixed(t *testing.T) {
	x, mask, truth := mixedBlobs(600, 5, 2, 4, 3)
	for _, method := range []string{"fasterpam", "alternate"} {
		for _, init := range []string{"build", "k-medoids++", "random"} {
			t.Run(method+"/"+init, func(t *testing.T) {
				var iters []int
				km := &KMedoids{K: 4, Categorical: mask, Method: method, Init: init, Seed: 5,
					Progress: func(p Progress) { iters = append(iters, p.Iteration) }}
				m, err := km.Fit(context.Background(), x)
				if err != nil {
					t.Fatal(err)
				}
				ari := adjustedRand(truth, m.Labels)
				t.Logf("ARI %.4f, cost %.4f, %d iterations", ari, m.Inertia, m.Iterations)
				if ari < 0.8 {
					t.Errorf("ARI %.4f < 0.8", ari)
				}
				if len(iters) != m.Iterations {
					t.Errorf("%d progress calls for %d iterations", len(iters), m.Iterations)
				}
				km.Workers, km.Progress = 1, nil
				m1, err := km.Fit(context.Background(), x)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(m1.Labels, m.Labels) || m1.Inertia != m.Inertia {
					t.Errorf("Workers=1 gives a different result")
				}
				rows := m.Predictor.(*MedoidPredictor).Rows
				for i := range x.Rows {
					a, err := m.Predict(x.Row(i))
					if err != nil {
						t.Fatal(err)
					}
					if a.Label != m.Labels[i] {
						t.Fatalf("row %d: Predict %d (%v), trained label %d", i, a.Label, a.Distance, m.Labels[i])
					}
				}
				for c, r := range rows {
					if m.Labels[r] != c {
						t.Errorf("medoid row %d of cluster %d is labelled %d", r, c, m.Labels[r])
					}
				}
			})
		}
	}
}

func TestKMedoidsPredictErrors(t *testing.T) {
	x, _ := matrix.FromRows([][]float64{{1, 0}, {2, 1}, {3, 1}, {9, 2}})
	m, err := (&KMedoids{K: 2, Categorical: []bool{false, true}}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][]float64{{1}, {1, 0.5}, {1, -2}, {math.Inf(1), 0}} {
		if _, err := m.Predict(p); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("Predict(%v) err = %v, want ErrInvalidInput", p, err)
		}
	}
	// An unseen category is valid.
	if _, err := m.Predict([]float64{2, 7}); err != nil {
		t.Errorf("unseen category: %v", err)
	}
}

// TestKMedoidsK1 checks the single-medoid case against the row of least
// total distance.
func TestKMedoidsK1(t *testing.T) {
	x, _ := matrix.FromRows([][]float64{{0}, {1}, {2}, {10}})
	m, err := (&KMedoids{K: 1}).Fit(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	// Ranges 10: row 1 has (1+1+9)/10 = 1.1, row 2 (2+1+8)/10 = 1.1; the
	// first wins.
	if r := m.Predictor.(*MedoidPredictor).Rows; r[0] != 1 || math.Abs(m.Inertia-1.1) > 1e-6 {
		t.Errorf("medoid %v, cost %v; want row 1, 1.1", r, m.Inertia)
	}
}

func BenchmarkKMedoids(b *testing.B) {
	for _, n := range []int{1e3, 5e3, 1e4} {
		x, mask, _ := mixedBlobs(n, 6, 2, 8, benchSeed)
		for _, method := range []string{"fasterpam", "alternate"} {
			b.Run(fmt.Sprintf("%s/n=%d", method, n), func(b *testing.B) {
				b.ReportAllocs()
				var m *Model
				for b.Loop() {
					var err error
					m, err = (&KMedoids{K: 8, Categorical: mask, Method: method}).Fit(context.Background(), x)
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(m.Iterations), "iters")
			})
		}
	}
}
