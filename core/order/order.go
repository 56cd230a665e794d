// Package order finds order statistics — medians, quartiles — in linear
// expected time without sorting (Select: buckets, then selection within
// the few buckets that hold the ranks), and sorts indices by value without
// a call per comparison (SortByValue): on a million customers per column
// that is most of the time profiling, preparation and the rules' tree
// take. It has one job and no dependency beyond the standard library, so
// core/prep, core/profile and core/explain share it.
package order

import (
	"math/bits"
	"slices"
)

// NthElement reorders x so that x[k] is the value a sort would put there,
// with x[:k] ≤ x[k] ≤ x[k+1:] (C++'s nth_element), and returns x[k]. It
// partitions around a median of three with Hoare's scheme (few swaps, and
// runs of equal values split evenly, so they cost no more than distinct
// ones) and sorts what is left when the partitioning is not shrinking fast
// enough, so the worst case stays O(n log n). x must hold no NaN.
func NthElement(x []float64, k int) float64 {
	lo, hi := 0, len(x) // the answer lies in x[lo:hi]
	budget := 2 * bits.Len(uint(len(x)))
	for hi-lo > 16 && budget > 0 {
		budget--
		a, b, c := x[lo], x[lo+(hi-lo)/2], x[hi-1]
		pivot := max(min(a, b), min(max(a, b), c))
		// Hoare: afterwards x[lo:j+1] ≤ pivot ≤ x[j+1:hi]. The pivot is a
		// value of the range, so neither scan runs off it.
		i, j := lo-1, hi
		for {
			for i++; x[i] < pivot; i++ {
			}
			for j--; x[j] > pivot; j-- {
			}
			if i >= j {
				break
			}
			x[i], x[j] = x[j], x[i]
		}
		if k <= j {
			hi = j + 1
		} else {
			lo = j + 1
		}
	}
	slices.Sort(x[lo:hi])
	return x[k]
}

// SelectRanks reorders x so that x[r] holds the value a sort would put there
// for every rank r of ranks (ascending, distinct, each in [0, len(x))):
// enough to read quantiles at those ranks as from sorted values. It selects
// the middle rank and recurses on both sides.
func SelectRanks(x []float64, ranks []int) {
	selectRanks(x, ranks, 0)
}

func selectRanks(x []float64, ranks []int, off int) {
	if len(ranks) == 0 {
		return
	}
	mid := len(ranks) / 2
	r := ranks[mid] - off
	NthElement(x, r)
	selectRanks(x[:r], ranks[:mid], off)
	selectRanks(x[r+1:], ranks[mid+1:], off+r+1)
}
