package profile

import (
	"github.com/segkit/segkit/core/order"
	"math"
	"slices"
)

// summary holds the descriptive statistics of one group of values.
type summary struct {
	n              int
	mean, std      float64 // std: sample standard deviation (n-1)
	median, q1, q3 float64
	min, max       float64
	m2             float64 // sum of squared deviations from the mean
}

// summarize computes the statistics of xs, which it reorders. Every value
// must be finite; an empty xs gives the zero summary. The quartiles come
// from the order statistics they need, found by selection in O(n) rather
// than by sorting: on a million customers this is most of a profile's time.
func summarize(xs []float64) summary {
	n := len(xs)
	if n == 0 {
		return summary{}
	}
	mean, m2 := meanM2(xs)
	s := summary{n: n, mean: mean, m2: m2, min: slices.Min(xs), max: slices.Max(xs)}
	ps := [3]float64{0.25, 0.5, 0.75}
	var los []int // the lower rank each quantile interpolates from
	for _, p := range ps {
		los = append(los, int(math.Floor(float64(n-1)*p)))
	}
	los = slices.Compact(los)
	order.SelectRanks(xs, los)
	// The rank above each is the least value between it and the next
	// selected rank: a scan, cheaper than another selection.
	for i, lo := range los {
		end := n
		if i+1 < len(los) {
			end = los[i+1]
		}
		if lo+1 < end {
			j := lo + 1
			for t := lo + 2; t < end; t++ {
				if xs[t] < xs[j] {
					j = t
				}
			}
			xs[lo+1], xs[j] = xs[j], xs[lo+1]
		}
	}
	s.q1, s.median, s.q3 = quantileSorted(xs, ps[0]), quantileSorted(xs, ps[1]), quantileSorted(xs, ps[2])
	if n > 1 {
		s.std = math.Sqrt(m2 / float64(n-1))
	}
	return s
}

// meanM2 returns the mean of xs and the sum of squared deviations from it,
// by two passes in the order given (the rows' order, so the result is the
// same on every platform).
func meanM2(xs []float64) (mean, m2 float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean = sum / float64(len(xs))
	for _, x := range xs {
		d := x - mean
		m2 += d * d
	}
	return mean, m2
}

// quantileSorted returns the p-quantile of the sorted, non-empty xs by linear
// interpolation between closest ranks: numpy.quantile's default "linear"
// method (Hyndman & Fan type 7, as R's default and Excel's QUARTILE.INC).
func quantileSorted(xs []float64, p float64) float64 {
	n := len(xs)
	if n == 1 {
		return xs[0]
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return xs[n-1]
	}
	frac := h - float64(lo)
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
