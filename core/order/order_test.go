package order

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSelectionEqualsSorting checks every rank, and sets of ranks, against
// the sorted values on data with and without ties, sorted, reversed,
// constant and random, of every small size and some large ones.
func TestSelectionEqualsSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	gens := map[string]func(i, n int) float64{
		"random":   func(int, int) float64 { return rng.NormFloat64() },
		"ties":     func(int, int) float64 { return float64(rng.IntN(4)) },
		"sorted":   func(i, _ int) float64 { return float64(i) },
		"reversed": func(i, n int) float64 { return float64(n - i) },
		"constant": func(int, int) float64 { return 7 },
		"organ":    func(i, n int) float64 { return float64(min(i, n-i)) },
	}
	sizes := []int{1000, 100_003}
	for n := 1; n <= 40; n++ {
		sizes = append(sizes, n)
	}
	for name, gen := range gens {
		for _, n := range sizes {
			x := make([]float64, n)
			for i := range x {
				x[i] = gen(i, n)
			}
			sorted := slices.Sorted(slices.Values(x))
			for _, k := range []int{0, n / 4, n / 2, n - 1} {
				y := slices.Clone(x)
				if got := NthElement(y, k); got != sorted[k] || y[k] != sorted[k] {
					t.Fatalf("%s n=%d: NthElement(%d) = %v, want %v", name, n, k, got, sorted[k])
				}
				for i := range y {
					if (i < k && y[i] > y[k]) || (i > k && y[i] < y[k]) {
						t.Fatalf("%s n=%d k=%d: x[%d] = %v on the wrong side of %v", name, n, k, i, y[i], y[k])
					}
				}
			}
			ranks := slices.Compact([]int{0, (n - 1) / 4, (n-1)/4 + 1, (n - 1) / 2, (n-1)/2 + 1, 3 * (n - 1) / 4, n - 1})
			ranks = slices.DeleteFunc(ranks, func(r int) bool { return r >= n })
			slices.Sort(ranks)
			ranks = slices.Compact(ranks)
			y := slices.Clone(x)
			SelectRanks(y, ranks)
			for _, r := range ranks {
				if y[r] != sorted[r] {
					t.Fatalf("%s n=%d: SelectRanks left %v at rank %d, want %v", name, n, y[r], r, sorted[r])
				}
			}
		}
	}
}

func BenchmarkMedian(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1_000_000)
	for i := range x {
		x[i] = rng.ExpFloat64()
	}
	y := make([]float64, len(x))
	b.Run("select", func(b *testing.B) {
		for b.Loop() {
			copy(y, x)
			NthElement(y, len(y)/2)
		}
	})
	b.Run("sort", func(b *testing.B) {
		for b.Loop() {
			copy(y, x)
			slices.Sort(y)
		}
	})
}
