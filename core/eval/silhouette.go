package eval

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/segkit/segkit/core/matrix"
)

// Silhouette returns the mean silhouette coefficient of the non-noise rows of
// x, as scikit-learn's silhouette_score with the Euclidean metric. Rows with a
// negative label are noise and are left out entirely. It needs
// 2 <= k <= m-1 clusters among the m non-noise rows.
//
// It is exact: O(m²·d) time, but O(m + k) memory — the distance matrix is
// never stored. Large inputs are split over goroutines in fixed chunks; the
// result does not depend on how many run. For large m consider
// SilhouetteSampled.
func Silhouette(x *matrix.Dense, labels []int) (float64, error) {
	c, err := prepareK(x, labels)
	if err != nil {
		return 0, err
	}
	return mean(silhouetteOf(x, c.codes, c.sizes, nil)), nil
}

// SilhouetteSamples returns the silhouette coefficient of every row of x, as
// scikit-learn's silhouette_samples with the Euclidean metric: for a row with
// mean distance a to the other rows of its cluster and mean distance b to the
// rows of the nearest other cluster, (b-a)/max(a, b). A row alone in its
// cluster scores 0, as does a row with a = b = 0.
//
// The result has one value per row of x. Noise rows (negative labels) are
// left out of every computation and score 0; tell them apart by their label.
func SilhouetteSamples(x *matrix.Dense, labels []int) ([]float64, error) {
	c, err := prepareK(x, labels)
	if err != nil {
		return nil, err
	}
	s := silhouetteOf(x, c.codes, c.sizes, nil)
	out := make([]float64, x.Rows)
	p := 0
	for i, code := range c.codes {
		if code >= 0 {
			out[i] = s[p]
			p++
		}
	}
	return out, nil
}

// sampleStream is the second word of the PCG state used by SilhouetteSampled:
// its generator is rand.NewPCG(seed, sampleStream).
const sampleStream = 0x7365676b69742d65 // "segkit-e"

// SilhouetteSampled returns the mean silhouette of a random sample of the
// non-noise rows, as scikit-learn's silhouette_score with sample_size: it
// draws sampleSize distinct non-noise rows uniformly (a partial Fisher–Yates
// shuffle driven by rand.NewPCG(seed, sampleStream) from math/rand/v2, so the
// same seed gives the same sample natively and in the browser) and returns
// the exact silhouette of the sample, its clusters being those present in it.
//
// If sampleSize <= 0 or sampleSize >= m, the number of non-noise rows, it
// returns the exact Silhouette. The sample must hold 2 <= k <= sampleSize-1
// clusters, else the error wraps ErrTooFewClusters. Time is
// O(sampleSize²·d + m), memory O(m + k).
func SilhouetteSampled(x *matrix.Dense, labels []int, sampleSize int, seed uint64) (float64, error) {
	c, err := prepare(x, labels)
	if err != nil {
		return 0, err
	}
	s, _, err := c.silhouetteSampled(sampleSize, seed)
	return s, err
}

// silhouetteSampled returns the mean silhouette and the number of rows it was
// computed on.
func (c *clustering) silhouetteSampled(sampleSize int, seed uint64) (float64, int, error) {
	if sampleSize <= 0 || sampleSize >= c.m {
		if err := c.checkK(); err != nil {
			return 0, 0, err
		}
		return mean(silhouetteOf(c.x, c.codes, c.sizes, nil)), c.m, nil
	}
	rows := make([]int32, 0, c.m)
	for i, code := range c.codes {
		if code >= 0 {
			rows = append(rows, int32(i))
		}
	}
	rng := rand.New(rand.NewPCG(seed, sampleStream))
	for i := range sampleSize {
		j := i + rng.IntN(len(rows)-i)
		rows[i], rows[j] = rows[j], rows[i]
	}
	rows = ascending(rows[:sampleSize], len(c.codes))

	// Re-encode the clusters present in the sample.
	remap := make([]int32, c.k())
	for i := range remap {
		remap[i] = -1
	}
	codes := make([]int32, len(rows))
	var sizes []int
	for p, r := range rows {
		old := c.codes[r]
		if remap[old] < 0 {
			remap[old] = int32(len(sizes))
			sizes = append(sizes, 0)
		}
		codes[p] = remap[old]
		sizes[remap[old]]++
	}
	if k := len(sizes); k < 2 || k > sampleSize-1 {
		return 0, 0, fmt.Errorf("eval: %d clusters in a sample of %d rows: %w", k, sampleSize, ErrTooFewClusters)
	}
	return mean(silhouetteOf(c.x, codes, sizes, rows)), sampleSize, nil
}

// mean sums v in order and divides by its length.
func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// chunkRows is the number of points a goroutine takes at a time.
const chunkRows = 32

// parallelWork is the number of distance evaluations (m²) above which
// silhouetteOf uses more than one goroutine.
const parallelWork = 1 << 20

// silhouetteOf computes the silhouette of each point of a clustering and
// returns them in point order. A point is row rows[p] of x, or row p when
// rows is nil; codes[p] is its cluster in 0..len(sizes)-1, or -1 to skip it
// (only when rows is nil). Every returned value depends only on its own
// point, summed in a fixed order, so the result is independent of the number
// of goroutines.
func silhouetteOf(x *matrix.Dense, codes []int32, sizes []int, rows []int32) []float64 {
	k := len(sizes)
	// Points grouped by cluster: order[start[c]:start[c+1]] are the row
	// indices of cluster c, ascending.
	start := make([]int, k+1)
	for c, n := range sizes {
		start[c+1] = start[c] + n
	}
	m := start[k]
	order := make([]int32, m)
	next := slices.Clone(start[:k])
	point := make([]int32, 0, m)     // row index of each point
	pointCode := make([]int32, 0, m) // cluster of each point
	for i, code := range codes {
		if code < 0 {
			continue
		}
		r := int32(i)
		if rows != nil {
			r = rows[i]
		}
		order[next[code]] = r
		next[code]++
		point = append(point, r)
		pointCode = append(pointCode, code)
	}

	out := make([]float64, m)
	d := x.Cols
	// finish turns the per-cluster distance sums of point p into its
	// silhouette.
	finish := func(p int, sums []float64) {
		own := pointCode[p]
		if sizes[own] <= 1 {
			return // out[p] stays 0
		}
		a := sums[own] / float64(sizes[own]-1)
		b := math.Inf(1)
		for c := range k {
			if c != int(own) {
				b = min(b, sums[c]/float64(sizes[c]))
			}
		}
		if den := max(a, b); den > 0 {
			out[p] = (b - a) / den
		}
	}
	// work computes points lo..hi-1. Four points go together, so that four
	// independent sums hide the latency of the additions; each point's sum
	// is still taken in the same order, so blocking does not change results.
	work := func(sums []float64, lo, hi int) {
		p := lo
		for ; p+4 <= hi; p += 4 {
			x0 := x.Data[int(point[p])*d:][:d]
			x1 := x.Data[int(point[p+1])*d:][:d]
			x2 := x.Data[int(point[p+2])*d:][:d]
			x3 := x.Data[int(point[p+3])*d:][:d]
			for c := range k {
				var s0, s1, s2, s3 float64
				for _, r := range order[start[c]:start[c+1]] {
					y := x.Data[int(r)*d:][:d]
					var t0, t1, t2, t3 float64
					for j, v := range y {
						u0, u1, u2, u3 := x0[j]-v, x1[j]-v, x2[j]-v, x3[j]-v
						t0 += u0 * u0
						t1 += u1 * u1
						t2 += u2 * u2
						t3 += u3 * u3
					}
					s0 += math.Sqrt(t0)
					s1 += math.Sqrt(t1)
					s2 += math.Sqrt(t2)
					s3 += math.Sqrt(t3)
				}
				sums[c], sums[k+c], sums[2*k+c], sums[3*k+c] = s0, s1, s2, s3
			}
			for q := range 4 {
				finish(p+q, sums[q*k:(q+1)*k])
			}
		}
		for ; p < hi; p++ {
			xi := x.Data[int(point[p])*d:][:d]
			for c := range k {
				var s float64
				for _, r := range order[start[c]:start[c+1]] {
					y := x.Data[int(r)*d:][:d]
					var t float64
					for j, v := range y {
						u := xi[j] - v
						t += u * u
					}
					s += math.Sqrt(t)
				}
				sums[c] = s
			}
			finish(p, sums[:k])
		}
	}

	workers := runtime.GOMAXPROCS(0)
	if float64(m)*float64(m) < parallelWork || workers < 2 {
		work(make([]float64, 4*k), 0, m)
		return out
	}
	var nextChunk atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			sums := make([]float64, 4*k)
			for {
				lo := int(nextChunk.Add(chunkRows)) - chunkRows
				if lo >= m {
					return
				}
				work(sums, lo, min(lo+chunkRows, m))
			}
		})
	}
	wg.Wait()
	return out
}
