package profile

import (
	"math"

	"github.com/segkit/segkit/core/order"
)

// summary holds the descriptive statistics of one group of values.
type summary struct {
	n              int
	mean, std      float64 // std: sample standard deviation (n-1)
	median, q1, q3 float64
	min, max       float64
	m2             float64 // sum of squared deviations from the mean
}

// summarize computes the statistics of xs, which it may reorder. Every
// value must be finite; an empty xs gives the zero summary. One pass sums
// the values (in the order given: the rows' order, so the result is the
// same on every platform), one finds the least and greatest, one sums the
// squared deviations, and the quartiles come from the order statistics
// they need, found by order.Select in O(n) rather than by sorting: on a
// million customers this is most of a profile's time.
func summarize(xs []float64) summary {
	n := len(xs)
	if n == 0 {
		return summary{}
	}
	// Four values a round (fewer jumps under js/wasm), added one by one in
	// order all the same.
	var sum float64
	i := 0
	for ; i+4 <= n; i += 4 {
		sum += xs[i]
		sum += xs[i+1]
		sum += xs[i+2]
		sum += xs[i+3]
	}
	for _, x := range xs[i:] {
		sum += x
	}
	mean := sum / float64(n)
	lo, hi := order.Bounds(xs)
	var m2 float64
	i = 0
	for ; i+4 <= n; i += 4 {
		d0, d1, d2, d3 := xs[i]-mean, xs[i+1]-mean, xs[i+2]-mean, xs[i+3]-mean
		m2 += d0 * d0
		m2 += d1 * d1
		m2 += d2 * d2
		m2 += d3 * d3
	}
	for _, x := range xs[i:] {
		d := x - mean
		m2 += d * d
	}
	s := summary{n: n, mean: mean, m2: m2, min: lo, max: hi}
	ps := [3]float64{0.25, 0.5, 0.75}
	ranks := make([]int, 0, 2*len(ps))
	for _, p := range ps {
		r, _ := quantileRank(n, p)
		ranks = append(ranks, r, min(r+1, n-1))
	}
	at := order.Select(xs, lo, hi, ranks)
	var q [3]float64
	for i, p := range ps {
		r, frac := quantileRank(n, p)
		a, b := at[2*i], at[2*i+1]
		q[i] = b
		if r < n-1 {
			q[i] = a + frac*(b-a)
		}
	}
	s.q1, s.median, s.q3 = q[0], q[1], q[2]
	if n > 1 {
		s.std = math.Sqrt(m2 / float64(n-1))
	}
	return s
}

// quantileRank returns, for the p-quantile of n sorted values, the rank
// it interpolates from and the weight of the rank above.
func quantileRank(n int, p float64) (lo int, frac float64) {
	h := float64(n-1) * p
	lo = int(math.Floor(h))
	return lo, h - float64(lo)
}

// quantileSorted returns the p-quantile of the sorted, non-empty xs by linear
// interpolation between closest ranks: numpy.quantile's default "linear"
// method (Hyndman & Fan type 7, as R's default and Excel's QUARTILE.INC).
func quantileSorted(xs []float64, p float64) float64 {
	n := len(xs)
	lo, frac := quantileRank(n, p)
	if lo >= n-1 {
		return xs[n-1]
	}
	return xs[lo] + frac*(xs[lo+1]-xs[lo])
}

// cohenD is Cohen's d of group a against group b: the difference of means
// over the pooled standard deviation sqrt((m2a + m2b) / (na + nb - 2)).
// It is 0 when either group is empty or there are fewer than three values.
// When the pooled deviation is 0 (both groups constant) but the means
// differ, the difference is divided by fallback (the population's standard
// deviation) instead, so the result stays finite.
func cohenD(a, b summary, fallback float64) float64 {
	if a.n == 0 || b.n == 0 || a.n+b.n < 3 {
		return 0
	}
	diff := a.mean - b.mean
	if diff == 0 {
		return 0
	}
	pooled := math.Sqrt((a.m2 + b.m2) / float64(a.n+b.n-2))
	if pooled > 0 {
		return diff / pooled
	}
	if fallback > 0 {
		return diff / fallback
	}
	return 0
}

// cohenH is Cohen's h for two proportions: 2·asin(√p) − 2·asin(√q). It is on
// the same scale as Cohen's d (0.2 small, 0.5 medium, 0.8 large).
func cohenH(p, q float64) float64 {
	return 2*math.Asin(math.Sqrt(clamp01(p))) - 2*math.Asin(math.Sqrt(clamp01(q)))
}

func clamp01(x float64) float64 {
	return math.Min(1, math.Max(0, x))
}
