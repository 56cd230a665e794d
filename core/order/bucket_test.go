package order

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bounds returns the least and greatest of x (len(x) > 0).
func bounds(x []float64) (lo, hi float64) {
	return slices.Min(x), slices.Max(x)
}

// checkSelect compares Select (with the given small-slice threshold)
// against reading sorted values, for the ranks given.
func checkSelect(t *testing.T, name string, x []float64, lo, hi float64, ranks []int, small int) {
	t.Helper()
	sorted := slices.Sorted(slices.Values(x))
	y := slices.Clone(x)
	var got []float64
	if small == bucketMin {
		got = Select(y, lo, hi, ranks)
	} else {
		got = selectWith(y, lo, hi, ranks, small)
	}
	for i, r := range ranks {
		if got[i] != sorted[r] {
			t.Fatalf("%s n=%d: rank %d = %v, want %v", name, len(x), r, got[i], sorted[r])
		}
	}
	slices.Sort(y)
	if !slices.Equal(y, sorted) {
		t.Fatalf("%s n=%d: Select lost or changed values", name, len(x))
	}
}

// selectWith is Select with another small-slice threshold.
func selectWith(x []float64, lo, hi float64, ranks []int, small int) []float64 {
	want := slices.Sorted(slices.Values(ranks))
	want = slices.Compact(want)
	vals := make([]float64, len(want))
	selectBuckets(x, lo, hi, want, vals, 0, small)
	out := make([]float64, len(ranks))
	for i, r := range ranks {
		j, _ := slices.BinarySearch(want, r)
		out[i] = vals[j]
	}
	return out
}

// quartileRanks are the ranks a profile asks for: each quartile's lower
// rank and the one above, and the ends.
func quartileRanks(n int) []int {
	var r []int
	for _, p := range []float64{0.25, 0.5, 0.75} {
		lo := int(math.Floor(float64(n-1) * p))
		r = append(r, lo, min(lo+1, n-1))
	}
	return append(r, 0, n-1)
}

// TestSelectEqualsSorting checks Select against sorted values on data
// that stress buckets: ties, heavy duplicates, one value, sorted and
// reversed runs, heavy tails that crowd one bucket, extreme and tiny
// magnitudes, infinities, signed zeros, and bounds that are not x's.
func TestSelectEqualsSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	gens := map[string]func(i, n int) float64{
		"normal":     func(int, int) float64 { return rng.NormFloat64() },
		"exp":        func(int, int) float64 { return rng.ExpFloat64() * 1000 },
		"ties":       func(int, int) float64 { return float64(rng.IntN(4)) },
		"two values": func(int, int) float64 { return float64(rng.IntN(2)) * 1e9 },
		"heavy dups": func(i, n int) float64 { return map[bool]float64{true: 5, false: rng.Float64()}[rng.IntN(10) > 0] },
		"constant":   func(int, int) float64 { return -3.5 },
		"sorted":     func(i, _ int) float64 { return float64(i) },
		"reversed":   func(i, n int) float64 { return float64(n - i) },
		"organ":      func(i, n int) float64 { return float64(min(i, n-i)) },
		"pareto":     func(int, int) float64 { return math.Pow(1-rng.Float64(), -3) },
		"outlier":    func(i, _ int) float64 { return map[bool]float64{true: 1e300, false: rng.Float64()}[i == 17] },
		"extreme":    func(int, int) float64 { return math.Copysign(math.MaxFloat64*rng.Float64(), rng.NormFloat64()) },
		"tiny":       func(int, int) float64 { return rng.NormFloat64() * 5e-324 * 8 },
		"subnormal":  func(int, int) float64 { return float64(rng.IntN(1000)) * 5e-324 },
		"infinities": func(i, _ int) float64 { return []float64{math.Inf(-1), rng.NormFloat64(), math.Inf(1)}[rng.IntN(3)] },
		"zeros":      func(int, int) float64 { return []float64{math.Copysign(0, -1), 0, 1, -1}[rng.IntN(4)] },
		"integers":   func(int, int) float64 { return float64(rng.IntN(200)) },
	}
	sizes := []int{1, 2, 3, 5, 16, 17, 31, 100, 2047, 2048, 5000, 100_003}
	for name, gen := range gens {
		for _, n := range sizes {
			x := make([]float64, n)
			for i := range x {
				x[i] = gen(i, n)
			}
			lo, hi := bounds(x)
			ranks := quartileRanks(n)
			every := make([]int, 0, n)
			for r := 0; r < n; r += max(1, n/97) {
				every = append(every, r)
			}
			for _, small := range []int{bucketMin, 16} {
				checkSelect(t, name, x, lo, hi, ranks, small)
				checkSelect(t, name+" every", x, lo, hi, every, small)
				// Bounds that are not x's: the answer stays exact.
				checkSelect(t, name+" narrow bounds", x, lo/2+hi/2, hi, ranks, small)
				checkSelect(t, name+" wide bounds", x, lo-1e6, hi+1e6, ranks, small)
				checkSelect(t, name+" swapped bounds", x, hi, lo, ranks, small)
			}
		}
	}
}

// TestSelectRankOrder checks that ranks may come in any order and repeat,
// and that no rank gives an empty answer.
func TestSelectRankOrder(t *testing.T) {
	x := []float64{5, 1, 4, 2, 3}
	got := Select(slices.Clone(x), 1, 5, []int{4, 0, 2, 2, 1})
	if want := []float64{5, 1, 3, 3, 2}; !slices.Equal(got, want) {
		t.Fatalf("Select = %v, want %v", got, want)
	}
	if got := Select(slices.Clone(x), 1, 5, nil); len(got) != 0 {
		t.Fatalf("Select with no ranks = %v", got)
	}
}

func TestSelectRankOutOfRangePanics(t *testing.T) {
	for _, r := range []int{-1, 3} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("rank %d: no panic", r)
				}
			}()
			Select([]float64{1, 2, 3}, 1, 3, []int{r})
		}()
	}
}

// FuzzSelect compares Select, with buckets from 16 values up so that short
// inputs reach every path, against sorted values. The input's bytes are
// float64s (NaN, which callers never pass, are replaced); the bounds are
// x's, or wrong ones derived from the fuzzed values.
func FuzzSelect(f *testing.F) {
	seed := func(vals ...float64) []byte {
		b := make([]byte, 0, 8*len(vals))
		for _, v := range vals {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f.Add(seed(3, 1, 2), uint8(0), 0.0, 0.0)
	f.Add(seed(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 0, 1, 1), uint8(1), 0.0, 1.0)
	f.Add(seed(math.Inf(1), 0, -1, math.MaxFloat64, -math.MaxFloat64, 5e-324, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), uint8(0), 0.0, 0.0)
	f.Fuzz(func(t *testing.T, data []byte, mode uint8, lo, hi float64) {
		n := len(data) / 8
		if n == 0 || n > 4096 {
			return
		}
		x := make([]float64, n)
		for i := range x {
			v := math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
			if math.IsNaN(v) {
				v = float64(i % 3)
			}
			x[i] = v
		}
		if mode%2 == 0 || math.IsNaN(lo) || math.IsNaN(hi) {
			lo, hi = bounds(x)
		}
		ranks := quartileRanks(n)
		for r := int(mode); r < n; r += 1 + int(mode) {
			ranks = append(ranks, r)
		}
		checkSelect(t, "fuzz", x, lo, hi, ranks, 16)
		checkSelect(t, "fuzz", x, lo, hi, ranks, bucketMin)
	})
}

func BenchmarkQuartiles(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1_000_000)
	for i := range x {
		x[i] = rng.ExpFloat64()
	}
	lo, hi := bounds(x)
	ranks := quartileRanks(len(x))
	y := make([]float64, len(x))
	b.Run("buckets", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			copy(y, x)
			Select(y, lo, hi, ranks)
		}
	})
	b.Run("partition", func(b *testing.B) {
		b.ReportAllocs()
		want := slices.Compact(slices.Sorted(slices.Values(ranks)))
		for b.Loop() {
			copy(y, x)
			SelectRanks(y, want)
		}
	})
}

// TestBounds checks Bounds against slices.Min and slices.Max, to the bit
// (signed zeros included).
func TestBounds(t *testing.T) {
	negZero := math.Copysign(0, -1)
	rng := rand.New(rand.NewPCG(5, 5))
	cases := [][]float64{
		{1}, {negZero}, {0}, {0, negZero}, {negZero, 0}, {negZero, negZero, 0, 1}, {-1, 0, negZero},
		{math.Inf(-1), 3, math.Inf(1)}, {5, 4, 3, 2, 1}, {math.MaxFloat64, -math.MaxFloat64, 5e-324},
	}
	for range 200 {
		x := make([]float64, 1+rng.IntN(20))
		for i := range x {
			x[i] = []float64{negZero, 0, 1, -1, rng.NormFloat64()}[rng.IntN(5)]
		}
		cases = append(cases, x)
	}
	for _, x := range cases {
		lo, hi := Bounds(x)
		if math.Float64bits(lo) != math.Float64bits(slices.Min(x)) || math.Float64bits(hi) != math.Float64bits(slices.Max(x)) {
			t.Errorf("Bounds(%v) = %v, %v; want %v, %v", x, lo, hi, slices.Min(x), slices.Max(x))
		}
	}
}
