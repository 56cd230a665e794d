package project

import (
	"math/bits"
	"math/rand/v2"
)

// sampleStream is the PCG stream of Sample; with the seed it fixes the
// sequence of random numbers, so samples are identical on every platform.
const sampleStream = 0x5e6c1770

// Sample returns a seeded uniform sample of max row indices out of n, sorted
// in increasing order: every set of max rows is equally likely. When
// n <= max it returns every index 0..n-1, and when max <= 0 or n <= 0 an
// empty slice. The result depends only on n, max and seed, natively and in
// the browser; the page uses it to draw at most 5,000 points of a large
// file, and PCA.Fit to choose the rows it fits on.
//
// Sample draws max random numbers (Floyd's algorithm) and uses n/8 bytes of
// scratch memory besides the result.
func Sample(n, max int, seed uint64) []int {
	if n <= 0 || max <= 0 {
		return []int{}
	}
	if n <= max {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	rng := rand.New(rand.NewPCG(seed, sampleStream))
	chosen := make([]uint64, (n+63)/64)
	// Floyd: for j = n-max .. n-1 pick t uniform in [0, j]; take t unless it
	// is already taken, else take j (which cannot be).
	for j := n - max; j < n; j++ {
		t := int(rng.Uint64N(uint64(j) + 1))
		if chosen[t/64]&(1<<(t%64)) != 0 {
			t = j
		}
		chosen[t/64] |= 1 << (t % 64)
	}
	out := make([]int, 0, max)
	for w, word := range chosen {
		for word != 0 {
			out = append(out, w*64+bits.TrailingZeros64(word))
			word &= word - 1
		}
	}
	return out
}
