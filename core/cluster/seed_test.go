package cluster

import (
	"context"
	"github.com/segkit/segkit/internal/synth"
	"math"
	"math/rand/v2"
	"testing"
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
