package prep

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestStats(t *testing.T) {
	// Expected values from numpy 1.24.2 (np.median, np.percentile) and
	// scipy 1.10.1 (scipy.stats.skew, bias=True).
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"median odd", median([]float64{1, 2, 10}), 2},
		{"median even", median([]float64{1, 2, 3, 10}), 2.5},
		{"quantile .25", quantile([]float64{1, 2, 3, 4}, 0.25), 1.75},
		{"quantile .75", quantile([]float64{1, 2, 3, 4}, 0.75), 3.25},
		{"quantile .5 even", quantile([]float64{1, 2, 3, 4}, 0.5), 2.5},
		{"quantile 1", quantile([]float64{1, 2, 3, 4}, 1), 4},
		{"quantile single", quantile([]float64{5}, 0.25), 5},
		{"skew symmetric", skewness([]float64{1, 2, 3}), 0},
		{"skew constant", skewness([]float64{4, 4, 4}), 0},
		{"skew right", skewness([]float64{1, 1, 1, 10}), 1.1547005383792515},
		{"std", popStd([]float64{1, 2, 3, 4}, 2.5), math.Sqrt(1.25)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !closeTo(tt.got, tt.want, 1e-14) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestSelectMedian(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 2, 3, 63, 64, 65, 100, 101, 1000, 4097} {
		for _, distinct := range []int{1, 2, 7, 1 << 30} {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(rng.IntN(distinct)) + rng.Float64()*float64(min(distinct-1, 1))
			}
			want := median(sortedCopy(x))
			if got := selectMedian(slices.Clone(x)); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("n=%d distinct=%d: selectMedian %v, median %v", n, distinct, got, want)
			}
			sorted := sortedCopy(x)
			slices.Reverse(sorted)
			if got := selectMedian(sorted); got != want {
				t.Errorf("n=%d distinct=%d reversed: %v, want %v", n, distinct, got, want)
			}
		}
	}
}
