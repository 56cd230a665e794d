package order

import (
	"cmp"
	"slices"
)

// bucketMin is the smallest slice Select splits into buckets; below it,
// selection by partitioning is as fast.
const bucketMin = 1 << 11

// maxBuckets is the most buckets one pass counts into: their counts fit
// in a first-level cache.
const maxBuckets = 1 << 12

// maxDepth is the most times Select narrows a bucket down into buckets of
// its own (heavy tails put most values into one bucket of the full range)
// before it selects by partitioning.
const maxDepth = 3

// Select returns the values a sort of x would put at each of ranks (each
// in [0, len(x)), in any order, repeats allowed), in the order of ranks,
// exactly as reading them from sorted values; it may reorder x. x must
// hold no NaN.
//
// lo and hi should be the least and greatest values of x (a pass the caller
// usually makes anyway): Select then counts the values into up to 4,096
// buckets of equal width over [lo, hi], finds the buckets holding the
// ranks, gathers only their values and selects among those, so it reads x
// twice and partitions little. The result is exact whatever lo and hi are
// (the bucket of a value never decreases as the value grows; values outside
// [lo, hi] fall into the end buckets), only slower when they are not x's
// bounds. When most values fall into one bucket (heavy tails, few distinct
// values) it narrows that bucket into buckets of its own, and after a few
// rounds, on infinite or tiny ranges and on small slices, it selects by
// partitioning (SelectRanks).
func Select(x []float64, lo, hi float64, ranks []int) []float64 {
	out := make([]float64, len(ranks))
	if len(ranks) == 0 {
		return out
	}
	for _, r := range ranks {
		if r < 0 || r >= len(x) {
			panic("order: rank out of range")
		}
	}
	// Distinct ranks, ascending; out is filled from them at the end.
	want := slices.Clone(ranks)
	SortFunc(want, cmp.Compare[int])
	want = slices.Compact(want)
	vals := make([]float64, len(want))
	selectBuckets(x, lo, hi, want, vals, 0, bucketMin)
	for i, r := range ranks {
		j, _ := slices.BinarySearch(want, r)
		out[i] = vals[j]
	}
	return out
}

// selectBuckets sets vals[i] to the value of rank ranks[i] (ascending,
// distinct) of x; slices shorter than small are selected by partitioning
// (bucketMin; tests make it smaller to reach every path on small inputs).
func selectBuckets(x []float64, lo, hi float64, ranks []int, vals []float64, depth, small int) {
	n := len(x)
	nb := max(1, min(maxBuckets, n/16))
	width := hi - lo
	scale := float64(nb) / width
	// width-width != 0 catches an infinite or NaN range, and scale-scale
	// one too small to divide by.
	if n < small || depth >= maxDepth || !(width > 0) || width-width != 0 || scale-scale != 0 {
		selectByPartition(x, ranks, vals)
		return
	}
	// Bucket b holds the values v with int((v-lo)*scale) = b: nb of them
	// over [lo, hi), and bucket nb for those that round up to it at hi.
	// The map is monotone in v, so the buckets are in the values' order.
	// The first pass takes that formula as it is, with no test but the
	// range of the result (branches are dear under js/wasm); it gives up
	// at a value outside [lo, hi] (wrong bounds; a NaN, not allowed, but
	// never a panic), and both passes then use clamped buckets.
	top := uint(nb)
	counts := make([]int32, nb+1)
	inRange := true
	i := 0
	for ; i+4 <= n && inRange; i += 4 { // four at a time: fewer jumps under js/wasm
		u0 := uint(int((x[i] - lo) * scale))
		u1 := uint(int((x[i+1] - lo) * scale))
		u2 := uint(int((x[i+2] - lo) * scale))
		u3 := uint(int((x[i+3] - lo) * scale))
		if max(u0, u1, u2, u3) > top {
			inRange = false
			break
		}
		counts[u0]++
		counts[u1]++
		counts[u2]++
		counts[u3]++
	}
	for ; i < n && inRange; i++ {
		u := uint(int((x[i] - lo) * scale))
		if u > top {
			inRange = false
			break
		}
		counts[u]++
	}
	bucket := func(v float64) int {
		// A conversion out of range gives some int outside [0, nb] on
		// every platform; f then says which end.
		f := (v - lo) * scale
		if b := int(f); uint(b) <= top {
			return b
		}
		if f > 0 {
			return nb
		}
		return 0
	}
	if !inRange {
		clear(counts)
		for _, v := range x {
			counts[bucket(v)]++
		}
	}

	// The buckets holding the ranks: for each, its first rank (the count
	// of the values below it) and the ranks it holds.
	type hit struct {
		b, first, size int
		ranks          []int // ranks within the bucket
		at             int   // index in ranks of the first
	}
	var hits []hit
	below := 0
	i = 0
	for b, c := range counts {
		c := int(c)
		if i < len(ranks) && ranks[i] < below+c {
			h := hit{b: b, first: below, size: c, at: i}
			for i < len(ranks) && ranks[i] < below+c {
				h.ranks = append(h.ranks, ranks[i]-below)
				i++
			}
			hits = append(hits, h)
		}
		below += c
	}
	slot := make([]int32, nb+1) // 1 + index in hits, 0 for a bucket not wanted
	offs := make([]int, len(hits)+1)
	for j, h := range hits {
		slot[h.b] = int32(j + 1)
		offs[j+1] = offs[j] + h.size
	}
	// Gather the wanted buckets' values, each bucket into its own stretch.
	buf := make([]float64, offs[len(hits)])
	fill := slices.Clone(offs[:len(hits)])
	if inRange {
		for _, v := range x {
			if s := slot[uint(int((v-lo)*scale))]; s != 0 {
				buf[fill[s-1]] = v
				fill[s-1]++
			}
		}
	} else {
		for _, v := range x {
			if s := slot[bucket(v)]; s != 0 {
				buf[fill[s-1]] = v
				fill[s-1]++
			}
		}
	}
	for j, h := range hits {
		seg := buf[offs[j]:offs[j+1]]
		sub := vals[h.at : h.at+len(h.ranks)]
		if len(seg) < small {
			selectByPartition(seg, h.ranks, sub)
			continue
		}
		// A crowded bucket: narrow it down with buckets of its own range.
		blo, bhi := seg[0], seg[0]
		for _, v := range seg[1:] {
			if v < blo {
				blo = v
			}
			if v > bhi {
				bhi = v
			}
		}
		if blo == bhi {
			for k := range sub {
				sub[k] = blo
			}
			continue
		}
		selectBuckets(seg, blo, bhi, h.ranks, sub, depth+1, small)
	}
}

// selectByPartition sets vals[i] to the value of rank ranks[i] (ascending,
// distinct) of x, by SelectRanks.
func selectByPartition(x []float64, ranks []int, vals []float64) {
	SelectRanks(x, ranks)
	for i, r := range ranks {
		vals[i] = x[r]
	}
}

// Bounds returns the least and greatest values of the non-empty x, as
// slices.Min and slices.Max do (so -0 is below +0), x holding no NaN. It
// compares values rather than calling the min and max builtins, which
// under js/wasm are a runtime call per value; a zero bound is settled by a
// second look at the zeros.
func Bounds(x []float64) (lo, hi float64) {
	lo, hi = x[0], x[0]
	see := func(v float64) {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	i := 0
	for ; i+4 <= len(x); i += 4 { // four at a time: fewer jumps under js/wasm
		see(x[i])
		see(x[i+1])
		see(x[i+2])
		see(x[i+3])
	}
	for _, v := range x[i:] {
		see(v)
	}
	if lo == 0 || hi == 0 {
		// Which zeros are there: min(-0, +0) is -0, max(-0, +0) is +0.
		for _, v := range x {
			if v == 0 {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	return lo, hi
}
