package eval

import (
	"math/rand/v2"

	"github.com/segkit/segkit/core/matrix"
)

// Streams of the PCG generators behind the samples of Suggest: the fit
// sample is drawn with rand.NewPCG(Seed, fitSampleStream), the check sample
// from it with rand.NewPCG(Seed, checkSampleStream) and the stability
// subsamples with rand.NewPCG(Seed, stabilityStream).
const (
	fitSampleStream   = 0x7365676b69742d66 // "segkit-f"
	checkSampleStream = 0x7365676b69742d63 // "segkit-c"
	stabilityStream   = 0x7365676b69742d73 // "segkit-s"
)

// stabilityFraction is the share of the fit sample in each stability
// subsample.
const stabilityFraction = 0.8

// StabilityThreshold is the mean adjusted Rand index below which Suggest
// treats a k as unstable and does not let it win (see the package
// documentation). It follows Hennig's reading of bootstrap agreement
// ("Cluster-wise assessment of cluster stability", 2007), where agreement
// under 0.75 means a clustering does not reproduce.
const StabilityThreshold = 0.75

// sampleRows returns m distinct indices in [0, n), ascending, drawn
// uniformly with a partial Fisher–Yates shuffle.
func sampleRows(n, m int, rng *rand.Rand) []int32 {
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	for i := range m {
		j := i + rng.IntN(n-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	return ascending(idx[:m:m], n)
}

// ascending sorts idx, distinct values in [0, n), in place by marking
// them: O(n), and no compiled sort of int32 in the page's binary.
func ascending(idx []int32, n int) []int32 {
	mark := make([]bool, n)
	for _, v := range idx {
		mark[v] = true
	}
	idx = idx[:0]
	for v, in := range mark {
		if in {
			idx = append(idx, int32(v))
		}
	}
	return idx
}

// gather copies the given rows of x, in order, into a new matrix.
func gather(x *matrix.Dense, rows []int32) *matrix.Dense {
	out := matrix.New(len(rows), x.Cols)
	for p, r := range rows {
		copy(out.Row(p), x.Row(int(r)))
	}
	return out
}

// stabilityPair is one pair of subsamples of the fit sample, with the
// positions of their common rows in each.
type stabilityPair struct {
	a, b         *matrix.Dense
	inA, inB     []int // common rows: inA[i] in a is inB[i] in b
	overlapCount int
}

// newStabilityPair draws two independent subsamples of size
// ⌊stabilityFraction·n⌋ of the n rows of x.
func newStabilityPair(x *matrix.Dense, rng *rand.Rand) *stabilityPair {
	m := int(stabilityFraction * float64(x.Rows))
	ra, rb := sampleRows(x.Rows, m, rng), sampleRows(x.Rows, m, rng)
	p := &stabilityPair{a: gather(x, ra), b: gather(x, rb)}
	for i, j := 0, 0; i < len(ra) && j < len(rb); {
		switch {
		case ra[i] < rb[j]:
			i++
		case ra[i] > rb[j]:
			j++
		default:
			p.inA = append(p.inA, i)
			p.inB = append(p.inB, j)
			i++
			j++
		}
	}
	p.overlapCount = len(p.inA)
	return p
}

// agreement returns the adjusted Rand index of two labellings of the pair's
// subsamples, restricted to their common rows.
func (p *stabilityPair) agreement(la, lb []int) (float64, error) {
	a := make([]int, len(p.inA))
	b := make([]int, len(p.inB))
	for i := range p.inA {
		a[i], b[i] = la[p.inA[i]], lb[p.inB[i]]
	}
	return AdjustedRand(a, b)
}
