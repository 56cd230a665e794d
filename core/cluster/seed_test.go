package cluster

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/internal/synth"
)

// naivePlusPlus is scikit-learn's _kmeans_plusplus written out plainly, with
// no pruning and no fused passes, drawing from rng in the same order. It
// returns the indices of the rows chosen as centres.
func naivePlusPlus(x []float64, n, d, k int, rng *rand.Rand) []int {
	trials := 2 + int(math.Log(float64(k)))
	closest := make([]float64, n)
	first := rng.IntN(n)
	chosen := []int{first}
	for i := range n {
		closest[i] = sqdist(x[i*d:i*d+d], x[first*d:first*d+d])
	}
	pot := 0.0
	for _, v := range closest {
		pot += v
	}
	for len(chosen) < k {
		ids := make([]int, trials)
		for t := range ids {
			r := rng.Float64() * pot
			cum, id := 0.0, n-1
			for i, v := range closest {
				cum += v
				if cum >= r {
					id = i
					break
				}
			}
			ids[t] = id
		}
		best, bestPot := -1, math.Inf(1)
		for _, id := range ids {
			p := 0.0
			for i := range n {
				p += min(closest[i], sqdist(x[i*d:i*d+d], x[id*d:id*d+d]))
			}
			if p < bestPot {
				best, bestPot = id, p
			}
		}
		for i := range n {
			closest[i] = min(closest[i], sqdist(x[i*d:i*d+d], x[best*d:best*d+d]))
		}
		pot = bestPot
		chosen = append(chosen, best)
	}
	return chosen
}

// TestSeedMatchesNaive checks that the pruned, fused k-means++ picks the same
// centres as the plain algorithm. Floating-point sums are grouped differently
// (chunks), so this uses data where that cannot change a choice in practice.
func TestSeedMatchesNaive(t *testing.T) {
	tests := []struct {
		name    string
		n, d, k int
		seed    uint64
		genK    int
		workers int
	}{
		{"small", 300, 2, 5, 1, 5, 1},
		{"many chunks", 20000, 3, 12, 2, 6, 3},
		{"k=1", 100, 4, 1, 3, 3, 1},
		{"d=8", 9000, 8, 8, 4, 8, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, _ := synth.Blobs(tt.n, tt.d, tt.genK, 4, tt.seed)
			want := naivePlusPlus(x.Data, tt.n, tt.d, tt.k, rand.New(rand.NewPCG(tt.seed, 0)))
			st := newKMState(x, tt.k, tt.workers)
			if err := st.seed(context.Background(), rand.New(rand.NewPCG(tt.seed, 0))); err != nil {
				t.Fatal(err)
			}
			for i := range tt.n {
				st.acceptRow(i, false)
			}
			for c, id := range want {
				for j := range tt.d {
					if st.centers[c*tt.d+j] != x.At(id, j) {
						t.Fatalf("centre %d is not row %d (chosen %v)", c, id, want)
					}
				}
			}
			// Labels and distances must be those of the nearest centre.
			buf := make([]float64, tt.k)
			for i := range tt.n {
				b, d1 := nearest(x.Row(i), st.centers, buf)
				if b != st.labels[i] || d1 != st.lower[i] {
					t.Fatalf("row %d: label %d dist %v, want %d %v", i, st.labels[i], st.lower[i], b, d1)
				}
			}
		})
	}
}

// TestSeedSecondBound checks the bound the seeding leaves on each row's
// distance to its second-nearest centre (in upper, with the pending
// candidate applied as the first assignment pass applies it): never above
// the true second-nearest squared distance, which would let the first pass
// keep a wrong label, and never below the nearest one (but for the few ulps
// it is lowered by), so that the first pass settles every row without a
// search. Duplicate rows give exact ties; k = 25 has candidates beyond the
// first four.
func TestSeedSecondBound(t *testing.T) {
	blobs, _ := synth.Blobs(12000, 3, 6, 4, 21)
	rounded, _ := synth.Blobs(12000, 2, 4, 3, 22)
	for i, v := range rounded.Data {
		rounded.Data[i] = math.Round(v)
	}
	tests := []struct {
		name    string
		x       *matrix.Dense
		k       int
		workers int
	}{
		{"blobs", blobs, 6, 2},
		{"k=25, five candidates", blobs, 25, 1},
		{"rounded, ties", rounded, 9, 3},
		{"k=2", blobs, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, k := tt.x, tt.k
			st := newKMState(x, k, tt.workers)
			if err := st.seed(context.Background(), rand.New(rand.NewPCG(7, 0))); err != nil {
				t.Fatal(err)
			}
			var pbit uint16
			if st.pending >= 0 {
				pbit = 1 << st.pendingCand
			}
			buf := make([]float64, k)
			for i := range x.Rows {
				sec := st.upper[i]
				if st.improve[i]&pbit != 0 {
					sec = min(sec, st.lower[i])
				}
				st.acceptRow(i, false)
				b, d1 := nearest(x.Row(i), st.centers, buf)
				if b != st.labels[i] || d1 != st.lower[i] {
					t.Fatalf("row %d: label %d at %v, want %d at %v", i, st.labels[i], st.lower[i], b, d1)
				}
				d2 := math.Inf(1)
				for j, v := range buf {
					if j != b {
						d2 = min(d2, v)
					}
				}
				if sec > d2 || sec < d1*(1-1e-12) {
					t.Fatalf("row %d: second-nearest bound %v, want between the nearest %v and the second nearest %v", i, sec, d1, d2)
				}
			}
		})
	}
}
