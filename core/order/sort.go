package order

import (
	"math"
	"slices"
)

// SortByValue sorts idx so that vals[idx[i]] ascend, keeping the order of
// idx among equal values (a stable sort; -0 equals +0), as
// slices.SortStableFunc comparing vals[a] with vals[b] would; the values
// at idx must not be NaN. It sorts by radix — eight passes of one byte
// over the values' bits, ordered as the numbers, skipping the bytes all
// values share — so it makes no call per comparison: under js/wasm several
// times faster than a comparison sort.
func SortByValue(idx []int32, vals []float64) {
	n := len(idx)
	if n < 2 {
		return
	}
	keys := make([]uint64, n)
	var counts [8][256]int
	for i, r := range idx {
		k := math.Float64bits(vals[r] + 0) // + 0 folds -0 into +0
		// Negative numbers: flip every bit; others: flip the sign bit, so
		// the keys order as the numbers do.
		if k>>63 != 0 {
			k = ^k
		} else {
			k |= 1 << 63
		}
		keys[i] = k
		for d := range 8 {
			counts[d][byte(k>>(8*d))]++
		}
	}
	tmpKeys := make([]uint64, n)
	out, tmpIdx := idx, make([]int32, n)
	for d := range 8 {
		c := &counts[d]
		if c[byte(keys[0]>>(8*d))] == n {
			continue // every key has this byte
		}
		pos := 0
		for b := range c {
			c[b], pos = pos, pos+c[b]
		}
		shift := uint(8 * d)
		for i, k := range keys {
			b := byte(k >> shift)
			p := c[b]
			c[b]++
			tmpKeys[p], tmpIdx[p] = k, out[i]
		}
		keys, tmpKeys = tmpKeys, keys
		out, tmpIdx = tmpIdx, out
	}
	if &out[0] != &idx[0] {
		copy(idx, out)
	}
}

// SortFunc sorts s by cmp as slices.SortStableFunc does — elements cmp
// finds equal keep their order — by sorting their positions and moving each
// element once. Every element type then shares the one compiled sort of
// int positions: under js/wasm each type slices' sorts are instantiated
// for costs about 10–20 KB of the page's binary, and a struct element is
// moved once instead of on every swap.
func SortFunc[T any](s []T, cmp func(a, b T) int) {
	if len(s) < 2 {
		return
	}
	pos := make([]int, len(s))
	for i := range pos {
		pos[i] = i
	}
	slices.SortFunc(pos, func(a, b int) int {
		if c := cmp(s[a], s[b]); c != 0 {
			return c
		}
		return int(a - b)
	})
	sorted := make([]T, len(s))
	for i, p := range pos {
		sorted[i] = s[p]
	}
	copy(s, sorted)
}
