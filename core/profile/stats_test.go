package profile

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// Quartiles as numpy.quantile(x, [0.25, 0.5, 0.75]) gives them (method
// "linear"), worked by hand: h = (n-1)p, x[floor h] + frac·(next − it).
func TestSummarize(t *testing.T) {
	tests := []struct {
		name                              string
		xs                                []float64
		mean, std, q1, median, q3, lo, hi float64
	}{
		{"one", []float64{7}, 7, 0, 7, 7, 7, 7, 7},
		{"two", []float64{4, 2}, 3, math.Sqrt2, 2.5, 3, 3.5, 2, 4},
		{"three", []float64{3, 1, 2}, 2, 1, 1.5, 2, 2.5, 1, 3},
		{"four", []float64{1, 2, 3, 4}, 2.5, math.Sqrt(5.0 / 3), 1.75, 2.5, 3.25, 1, 4},
		{"ten", []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 5.5, math.Sqrt(55.0 / 6), 3.25, 5.5, 7.75, 1, 10},
		{"ties", []float64{5, 5, 5, 1, 9}, 5, math.Sqrt(8), 5, 5, 5, 1, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := summarize(append([]float64(nil), tt.xs...))
			got := []float64{s.mean, s.std, s.q1, s.median, s.q3, s.min, s.max}
			want := []float64{tt.mean, tt.std, tt.q1, tt.median, tt.q3, tt.lo, tt.hi}
			for i := range got {
				if !near(got[i], want[i]) {
					t.Errorf("mean, std, q1, median, q3, min, max = %v, want %v", got, want)
					break
				}
			}
			if s.n != len(tt.xs) {
				t.Errorf("n = %d", s.n)
			}
		})
	}
	if s := summarize(nil); s != (summary{}) {
		t.Errorf("empty: %+v", s)
	}
}

func TestEffectSizes(t *testing.T) {
	sum := func(xs ...float64) summary { return summarize(xs) }
	tests := []struct {
		name      string
		got, want float64
	}{
		// Pooled sd of {1,2,3} and {10,11,12}: sqrt((2+2)/4) = 1.
		{"d separated", cohenD(sum(1, 2, 3), sum(10, 11, 12), 5), -9},
		// {1,3} vs {2,4,6}: means 2 and 4, SS 2 and 8, pooled sqrt(10/3).
		{"d unequal", cohenD(sum(1, 3), sum(2, 4, 6), 0), -2 / math.Sqrt(10.0/3)},
		{"d equal means", cohenD(sum(1, 3), sum(0, 4), 1), 0},
		{"d constant groups", cohenD(sum(1, 1), sum(3, 3), 2), -1},
		{"d empty rest", cohenD(sum(1, 2), summary{}, 1), 0},
		{"h half vs none", cohenH(0.5, 0), math.Pi / 2},
		{"h all vs half", cohenH(1, 0.5), math.Pi / 2},
		{"h equal", cohenH(0.3, 0.3), 0},
	}
	for _, tt := range tests {
		if !near(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestShortLabel(t *testing.T) {
	tests := []struct{ in, short, long string }{
		{"Annual Income (k$)", "income", "annual income"},
		{"Spending Score (1-100)", "spending", "spending score"},
		{"Age", "age", "age"},
		{"MntWines", "wines", "mnt wines"},
		{"NumWebPurchases", "web purchases", "num web purchases"},
		{"BALANCE_FREQUENCY", "balance frequency", "balance frequency"},
		{"PURCHASES_INSTALLMENTS_FREQUENCY", "purchases installments frequency", "purchases installments frequency"},
		{"Customer LTV [EUR]", "LTV", "customer LTV"},
		{"Total Score", "total score", "total score"},
		{"Average Order Value per Visit Month", "order visit month", "average order value per visit month"},
		{"(1-100)", "(1-100)", "(1-100)"},
	}
	for _, tt := range tests {
		if got := ShortLabel(tt.in); got != tt.short {
			t.Errorf("ShortLabel(%q) = %q, want %q", tt.in, got, tt.short)
		}
		if got := longLabel(tt.in); got != tt.long {
			t.Errorf("longLabel(%q) = %q, want %q", tt.in, got, tt.long)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{86.54, "86.5"}, {60.56, "60.6"}, {86, "86"}, {1234.56, "1235"}, {0.8182, "0.818"},
		{0, "0"}, {-0.04, "-0.04"}, {-3.96, "-4"}, {99.96, "100"}, {1e-5, "1e-05"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.in); got != tt.want {
			t.Errorf("formatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := percent(0.195); got != "19.5 %" {
		t.Errorf("percent = %q", got)
	}
	if got := percent(0.7); got != "70 %" {
		t.Errorf("percent = %q", got)
	}
}

// TestSelectionQuartilesEqualSorted checks the quartiles found by selection
// against those of the sorted values, exactly, on data with and without
// ties, sorted, reversed and random, of every small size and a large one.
func TestSelectionQuartilesEqualSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	gens := map[string]func(i, n int) float64{
		"random":   func(int, int) float64 { return rng.NormFloat64() },
		"ties":     func(int, int) float64 { return float64(rng.IntN(4)) },
		"sorted":   func(i, _ int) float64 { return float64(i) },
		"reversed": func(i, n int) float64 { return float64(n - i) },
		"constant": func(int, int) float64 { return 7 },
	}
	sizes := []int{100_003}
	for n := 1; n <= 70; n++ {
		sizes = append(sizes, n)
	}
	for name, gen := range gens {
		for _, n := range sizes {
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = gen(i, n)
			}
			sorted := slices.Sorted(slices.Values(xs))
			got := summarize(slices.Clone(xs))
			want := [5]float64{sorted[0], quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.5), quantileSorted(sorted, 0.75), sorted[n-1]}
			if have := [5]float64{got.min, got.q1, got.median, got.q3, got.max}; have != want {
				t.Fatalf("%s, n = %d: min, q1, median, q3, max = %v, want %v", name, n, have, want)
			}
		}
	}
}
