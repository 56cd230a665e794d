package prep

import (
	"math"
	"slices"

	"github.com/segkit/segkit/core/order"
)

// mean returns the arithmetic mean of x (len(x) > 0).
func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// popStd returns the population standard deviation (divisor n) of x around m,
// computed in two passes as scikit-learn's StandardScaler does (ddof = 0).
func popStd(x []float64, m float64) float64 {
	s := 0.0
	for _, v := range x {
		d := v - m
		s += d * d
	}
	return math.Sqrt(s / float64(len(x)))
}

// median returns the median of sorted values: the middle one, or the mean of
// the two middle ones (as numpy.median).
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// quantile returns the q-quantile of sorted values with linear interpolation
// between closest ranks (numpy.percentile's default "linear" method,
// including its way of interpolating from the nearer end).
func quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	h := q * float64(n-1)
	lo := math.Floor(h)
	i := int(lo)
	if i >= n-1 {
		return sorted[n-1]
	}
	a, b, t := sorted[i], sorted[i+1], h-lo
	d := b - a
	if t >= 0.5 {
		return b - d*(1-t)
	}
	return a + d*t
}

// skewness returns the sample skewness g1 = m3 / m2^(3/2), where
// mk = (1/n) Σ (x - mean)^k (scipy.stats.skew with bias=True), or 0 when
// m2 is 0.
func skewness(x []float64) float64 {
	return skewnessAround(x, mean(x))
}

// skewnessAround is skewness(x) given m = mean(x).
func skewnessAround(x []float64, m float64) float64 {
	var m2, m3 float64
	for _, v := range x {
		d := v - m
		m2 += d * d
		m3 += d * d * d
	}
	n := float64(len(x))
	m2 /= n
	m3 /= n
	if m2 == 0 {
		return 0
	}
	return m3 / math.Pow(m2, 1.5)
}

// sortedCopy returns x sorted ascending, leaving x alone.
func sortedCopy(x []float64) []float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	return s
}

// minMax returns the smallest and largest of x (len(x) > 0, no NaN), as
// the min and max builtins would (order.Bounds).
func minMax(x []float64) (lo, hi float64) {
	return order.Bounds(x)
}

// selectMedian returns the median of x (as median of the sorted values, to
// the bit) in linear expected time, possibly reordering x.
func selectMedian(x []float64) float64 {
	lo, hi := minMax(x)
	return medianWithin(x, lo, hi)
}

// medianWithin is selectMedian given the least and greatest values of x
// (see order.Select).
func medianWithin(x []float64, lo, hi float64) float64 {
	n := len(x)
	if n%2 == 1 {
		return order.Select(x, lo, hi, []int{n / 2})[0]
	}
	v := order.Select(x, lo, hi, []int{n/2 - 1, n / 2})
	return (v[0] + v[1]) / 2
}
