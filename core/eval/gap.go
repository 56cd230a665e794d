package eval

import (
	"math"
	"math/rand/v2"

	"github.com/segkit/segkit/core/matrix"
)

// gapStream is the second word of the PCG state that draws the reference
// sets of the gap statistic: rand.NewPCG(Seed, gapStream).
const gapStream = 0x7365676b69742d67 // "segkit-g"

// boundingBox returns the per-column minimum and maximum of x.
func boundingBox(x *matrix.Dense) (lo, hi []float64) {
	lo = make([]float64, x.Cols)
	hi = make([]float64, x.Cols)
	if x.Rows == 0 {
		return lo, hi
	}
	copy(lo, x.Row(0))
	copy(hi, x.Row(0))
	for i := 1; i < x.Rows; i++ {
		for j, v := range x.Row(i) {
			lo[j], hi[j] = min(lo[j], v), max(hi[j], v)
		}
	}
	return lo, hi
}

// uniformReference fills dst with points drawn uniformly in the box [lo, hi]
// (Tibshirani, Walther and Hastie's reference distribution (a)).
func uniformReference(dst *matrix.Dense, lo, hi []float64, rng *rand.Rand) {
	d := len(lo)
	for i, p := 0, 0; i < dst.Rows; i++ {
		for j := range d {
			dst.Data[p] = lo[j] + rng.Float64()*(hi[j]-lo[j])
			p++
		}
	}
}

// gapStats turns the log within-cluster dispersions of the data, logW[k], and
// of B reference sets, refLogW[b][k], into Gap(k) = mean_b refLogW[b][k] −
// logW[k] and s(k) = sd_k·√(1 + 1/B), sd_k being the standard deviation over
// b (divided by B), as Tibshirani et al. define them. ok[k] is false where a
// dispersion is zero or not finite; gap and se are then 0.
func gapStats(logW []float64, refLogW [][]float64) (gap, se []float64, ok []bool) {
	nk, b := len(logW), float64(len(refLogW))
	gap, se, ok = make([]float64, nk), make([]float64, nk), make([]bool, nk)
	for k := range nk {
		good := finite(logW[k])
		var sum float64
		for _, r := range refLogW {
			good = good && finite(r[k])
			sum += r[k]
		}
		if !good {
			continue
		}
		m := sum / b
		var ss float64
		for _, r := range refLogW {
			ss += (r[k] - m) * (r[k] - m)
		}
		gap[k] = m - logW[k]
		se[k] = math.Sqrt(ss/b) * math.Sqrt(1+1/b)
		ok[k] = true
	}
	return gap, se, ok
}

// logDispersion is log W_k for a within-cluster sum of squares w; −Inf for
// w <= 0 (every point on its centre), which gapStats treats as unusable.
func logDispersion(w float64) float64 {
	if w <= 0 {
		return math.Inf(-1)
	}
	return math.Log(w)
}

// gapChoice applies Tibshirani's rule to the gap statistics of consecutive
// ks: the first position i (in eligible positions, with a usable gap) with
// Gap(i) ≥ Gap(i+1) − s(i+1). When no position qualifies it returns the last
// eligible position with a usable gap and rising = true (the gap still rises
// at the end of the range, as R's cluster::maxSE returns K then), or −1 when
// there is none.
func gapChoice(gap, se []float64, ok, eligible []bool) (pos int, rising bool) {
	n := len(gap)
	for i := 0; i+1 < n; i++ {
		if eligible[i] && ok[i] && ok[i+1] && gap[i] >= gap[i+1]-se[i+1] {
			return i, false
		}
	}
	if last := n - 1; last >= 0 && eligible[last] && ok[last] {
		return last, true
	}
	return -1, false
}
