package order

import (
	"cmp"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// stableReference sorts idx by vals with a plain stable comparison sort.
func stableReference(idx []int32, vals []float64) []int32 {
	out := slices.Clone(idx)
	slices.SortStableFunc(out, func(a, b int32) int { return cmp.Compare(vals[a]+0, vals[b]+0) })
	return out
}

func checkSortByValue(t *testing.T, name string, vals []float64, idx []int32) {
	t.Helper()
	want := stableReference(idx, vals)
	got := slices.Clone(idx)
	SortByValue(got, vals)
	if !slices.Equal(got, want) {
		t.Fatalf("%s n=%d: SortByValue = %v, want %v", name, len(idx), got[:min(len(got), 20)], want[:min(len(want), 20)])
	}
}

// TestSortByValueEqualsStableSort checks SortByValue against a stable
// comparison sort on ties, signed zeros, infinities, extreme and tiny
// magnitudes, sorted and reversed input, and index lists that are a
// subset of the values in any order.
func TestSortByValueEqualsStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	negZero := math.Copysign(0, -1)
	gens := map[string]func(i, n int) float64{
		"normal":     func(int, int) float64 { return rng.NormFloat64() },
		"ties":       func(int, int) float64 { return float64(rng.IntN(5)) },
		"constant":   func(int, int) float64 { return 2.5 },
		"sorted":     func(i, _ int) float64 { return float64(i) },
		"reversed":   func(i, n int) float64 { return float64(n - i) },
		"zeros":      func(int, int) float64 { return []float64{negZero, 0, -1, 1}[rng.IntN(4)] },
		"infinities": func(int, int) float64 { return []float64{math.Inf(-1), math.Inf(1), rng.NormFloat64()}[rng.IntN(3)] },
		"extreme":    func(int, int) float64 { return math.Copysign(math.MaxFloat64*rng.Float64(), rng.NormFloat64()) },
		"subnormal":  func(int, int) float64 { return float64(rng.IntN(50)-25) * 5e-324 },
		"money":      func(int, int) float64 { return math.Round(rng.ExpFloat64()*10000) / 100 },
	}
	for name, gen := range gens {
		for _, n := range []int{0, 1, 2, 3, 10, 257, 5000} {
			vals := make([]float64, n)
			for i := range vals {
				vals[i] = gen(i, n)
			}
			idx := make([]int32, n)
			for i := range idx {
				idx[i] = int32(i)
			}
			checkSortByValue(t, name, vals, idx)
			rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
			checkSortByValue(t, name+" shuffled", vals, idx)
			checkSortByValue(t, name+" subset", vals, idx[:n/2])
		}
	}
}

// FuzzSortByValue compares SortByValue with a stable comparison sort on
// float64s read from the input's bytes (NaN replaced: callers never pass
// one).
func FuzzSortByValue(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0xf0, 0xbf})
	f.Fuzz(func(t *testing.T, data []byte) {
		n := len(data) / 8
		vals := make([]float64, n)
		idx := make([]int32, n)
		for i := range vals {
			v := math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
			if math.IsNaN(v) {
				v = float64(i % 2)
			}
			vals[i], idx[i] = v, int32(n-1-i)
		}
		checkSortByValue(t, "fuzz", vals, idx)
	})
}

func BenchmarkSortByValue(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	vals := make([]float64, 50_000)
	for i := range vals {
		vals[i] = math.Round(rng.NormFloat64()*1e4) / 100
	}
	idx := make([]int32, len(vals))
	b.Run("radix", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range idx {
				idx[i] = int32(i)
			}
			SortByValue(idx, vals)
		}
	})
	b.Run("comparison", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range idx {
				idx[i] = int32(i)
			}
			slices.SortStableFunc(idx, func(a, b int32) int { return cmp.Compare(vals[a], vals[b]) })
		}
	})
}

// SortFunc orders as slices.SortStableFunc does, ties in their first order.
func TestSortFuncIsStable(t *testing.T) {
	type item struct {
		key  int
		name string
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 2, 7, 100, 5000} {
		s := make([]item, n)
		for i := range s {
			s[i] = item{rng.IntN(10), strconv.Itoa(i)}
		}
		want := slices.Clone(s)
		byKey := func(a, b item) int { return cmp.Compare(a.key, b.key) }
		slices.SortStableFunc(want, byKey)
		SortFunc(s, byKey)
		if !slices.Equal(s, want) {
			t.Fatalf("%d items: %v, want %v", n, s, want)
		}
	}
}
