//go:build amd64 && !purego

package cluster

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/segkit/segkit/internal/synth"
)

// requireAVX2 skips the test when the AVX2 kernels cannot run here.
func requireAVX2(t testing.TB) {
	t.Helper()
	if !useAVX2 {
		t.Skip("no AVX2: the pure-Go kernels are the only ones")
	}
}

// pureGo runs f with the AVX2 kernels switched off.
func pureGo(f func()) {
	defer func(v bool) { useAVX2 = v }(useAVX2)
	useAVX2 = false
	f()
}

// kernelValues returns n values of the given kind: "normal" (standard normal),
// "ints" (small integers, so distinct centres are often exactly equally far),
// "extreme" (magnitudes from subnormal to 1e300, whose squares underflow or
// overflow to +Inf; never NaN) or "zeros".
func kernelValues(rng *rand.Rand, kind string, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		switch kind {
		case "normal":
			v[i] = rng.NormFloat64()
		case "ints":
			v[i] = float64(rng.IntN(3) - 1)
		case "extreme":
			mags := []float64{0, 5e-324, 1e-310, 1e-160, 1, 1e150, 1e154, 1e160, 1e300, math.MaxFloat64}
			m := mags[rng.IntN(len(mags))]
			if m < 1e300 {
				m *= 1 + rng.Float64()
			}
			v[i] = m * float64(2*rng.IntN(2)-1)
		case "zeros":
		}
	}
	return v
}

// refNearest2 is nearest2 written plainly: sqdist to every centre, then the
// lowest index of the smallest distance and the second smallest of all the
// distances (counting a repeated smallest one twice).
func refNearest2(x, cs []float64, k int) (best int, d1, d2 float64) {
	d := len(x)
	s := make([]float64, k)
	for j := range k {
		s[j] = sqdist(x, cs[j*d:j*d+d])
	}
	best = 0
	for j := range k {
		if s[j] < s[best] {
			best = j
		}
	}
	sorted := slices.Clone(s)
	slices.Sort(sorted)
	d1, d2 = sorted[0], math.Inf(1)
	if k > 1 {
		d2 = sorted[1]
	}
	return best, d1, d2
}

// checkKernels compares the AVX2 kernels with the pure-Go ones, bit for bit,
// on rows of x against the k centres of cs (k×d). The pure-Go nearest2Rows
// (rows two at a time, nearest2Pair) is checked in one batch and in batches
// of three (a pair and a single row).
func checkKernels(t *testing.T, x, cs []float64, n, d, k int) {
	t.Helper()
	csT := make([]float64, k/4*4*d)
	transposeGroups(csT, cs, k, d)
	bits := math.Float64bits
	// All rows in one batch, then in reverse order in batches of three.
	rows := make([]int, n)
	for i := range n {
		rows[i] = i * d
	}
	bs, d1s, d2s := make([]int, n), make([]float64, n), make([]float64, n)
	nearest2Rows(x, csT, cs, d, k, rows, bs, d1s, d2s)
	slices.Reverse(rows)
	rbs, rd1s, rd2s := make([]int, n), make([]float64, n), make([]float64, n)
	for lo := 0; lo < n; lo += 3 {
		hi := min(lo+3, n)
		nearest2Rows(x, csT, cs, d, k, rows[lo:hi], rbs[lo:], rd1s[lo:], rd2s[lo:])
	}
	slices.Reverse(rbs)
	slices.Reverse(rd1s)
	slices.Reverse(rd2s)
	// The pure-Go path: in one batch, and in batches of three.
	fwd := make([]int, n)
	for i := range n {
		fwd[i] = i * d
	}
	gbs, gd1s, gd2s := make([]int, n), make([]float64, n), make([]float64, n)
	tbs, td1s, td2s := make([]int, n), make([]float64, n), make([]float64, n)
	pureGo(func() {
		nearest2Rows(x, csT, cs, d, k, fwd, gbs, gd1s, gd2s)
		for lo := 0; lo < n; lo += 3 {
			hi := min(lo+3, n)
			nearest2Rows(x, csT, cs, d, k, fwd[lo:hi], tbs[lo:], td1s[lo:], td2s[lo:])
		}
	})
	for i := range n {
		if gbs[i] != bs[i] || bits(gd1s[i]) != bits(d1s[i]) || bits(gd2s[i]) != bits(d2s[i]) ||
			tbs[i] != bs[i] || bits(td1s[i]) != bits(d1s[i]) || bits(td2s[i]) != bits(d2s[i]) {
			t.Fatalf("row %d: nearest2Rows AVX2 (%d, %v, %v), Go in one batch (%d, %v, %v), Go in threes (%d, %v, %v)",
				i, bs[i], d1s[i], d2s[i], gbs[i], gd1s[i], gd2s[i], tbs[i], td1s[i], td2s[i])
		}
	}
	for i := range n {
		xi := x[i*d : i*d+d]
		b, d1, d2 := bs[i], d1s[i], d2s[i]
		if b != rbs[i] || bits(d1) != bits(rd1s[i]) || bits(d2) != bits(rd2s[i]) {
			t.Fatalf("row %d: nearest2Rows in one batch (%d, %v, %v), in batches of three (%d, %v, %v)",
				i, b, d1, d2, rbs[i], rd1s[i], rd2s[i])
		}
		var gb int
		var gd1, gd2 float64
		pureGo(func() { gb, gd1, gd2 = nearest2(xi, csT, cs, k) })
		rb, rd1, rd2 := refNearest2(xi, cs, k)
		if b != gb || bits(d1) != bits(gd1) || bits(d2) != bits(gd2) ||
			gb != rb || bits(gd1) != bits(rd1) || bits(gd2) != bits(rd2) {
			t.Fatalf("row %d: nearest2Rows AVX2 (%d, %v, %v), nearest2 Go (%d, %v, %v), reference (%d, %v, %v)",
				i, b, d1, d2, gb, gd1, gd2, rb, rd1, rd2)
		}
	}
	// Every row against each group of four, in one batch, with and without
	// AVX2 (the pure-Go loop goes two rows at a time: an odd batch too).
	for g := range k / 4 {
		ct := csT[g*4*d : (g+1)*4*d]
		got, want, odd := make([]float64, 4*n), make([]float64, 4*n), make([]float64, 4*n)
		dist4Rows(x, ct, d, rows, got)
		pureGo(func() {
			dist4Rows(x, ct, d, rows, want)
			dist4Rows(x, ct, d, rows[:n-1], odd[:4*(n-1)])
		})
		copy(odd[4*(n-1):], want[4*(n-1):])
		if !slices.Equal(odd, want) {
			t.Fatalf("dist4Rows in Go: %d rows at once differ from %d", n-1, n)
		}
		for q, o := range rows {
			for j := range 4 {
				ref := sqdist(x[o:o+d], cs[(4*g+j)*d:(4*g+j+1)*d])
				if bits(got[4*q+j]) != bits(ref) || bits(want[4*q+j]) != bits(ref) {
					t.Fatalf("row %d: dist4Rows centre %d = %v (AVX2), %v (Go), sqdist %v",
						o/d, 4*g+j, got[4*q+j], want[4*q+j], ref)
				}
			}
		}
	}
	// Every row against a centre of its own, in varying batch lengths.
	xo, co := make([]int, n), make([]int, n)
	for i := range n {
		xo[i], co[i] = i*d, (i*7%k)*d
	}
	for _, m := range []int{0, 1, 3, 4, 5, 8, n} {
		m = min(m, n)
		got, want := make([]float64, m), make([]float64, m)
		sqdistRows(x, cs, d, xo, co, got)
		pureGo(func() { sqdistRows(x, cs, d, xo, co, want) })
		for i := range m {
			if bits(got[i]) != bits(want[i]) || bits(want[i]) != bits(sqdist(x[xo[i]:xo[i]+d], cs[co[i]:co[i]+d])) {
				t.Fatalf("sqdistRows pair %d of %d: AVX2 %v, Go %v", i, m, got[i], want[i])
			}
		}
	}
}

// TestKernelsMatchGo checks the assembly kernels against the pure-Go code
// bit for bit: distances, the nearest index (the lowest on ties) and the
// second-nearest distance, for dimensions around the vector width and
// numbers of centres that are not multiples of four.
func TestKernelsMatchGo(t *testing.T) {
	requireAVX2(t)
	for _, kind := range []string{"normal", "ints", "extreme", "zeros"} {
		for _, d := range []int{1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 64} {
			for _, k := range []int{1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17} {
				t.Run(fmt.Sprintf("%s/d=%d/k=%d", kind, d, k), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(uint64(d), uint64(k)))
					n := 40
					x := kernelValues(rng, kind, n*d)
					cs := kernelValues(rng, kind, k*d)
					// Ties: some centres repeated, some rows equal to a centre.
					if k > 2 {
						copy(cs[(k-1)*d:], cs[:d])
						copy(cs[d:2*d], cs[(k-2)*d:(k-1)*d])
					}
					for i := 0; i < n; i += 5 {
						copy(x[i*d:i*d+d], cs[(i%k)*d:(i%k)*d+d])
					}
					checkKernels(t, x, cs, n, d, k)
				})
			}
		}
	}
}

// TestKernelTies checks the tie-breaking on exactly equal distances: a row at
// the origin and centres at ±1 along the axes are all at distance 1, across
// groups, lanes and the Go tail.
func TestKernelTies(t *testing.T) {
	requireAVX2(t)
	for _, d := range []int{1, 2, 3, 8, 9} {
		for _, k := range []int{2, 4, 5, 8, 11, 16} {
			cs := make([]float64, k*d)
			for j := range k {
				cs[j*d+j/2%d] = float64(1 - 2*(j%2))
			}
			x := make([]float64, 3*d)
			x[d] = 2 // second row: nearer the +1 centres of axis 0
			copy(x[2*d:], cs[(k-1)*d:])
			checkKernels(t, x, cs, 3, d, k)
			var b [1]int
			var d1, d2 [1]float64
			nearest2Rows(x, transposed(cs, k, d), cs, d, k, []int{0}, b[:], d1[:], d2[:])
			if b[0] != 0 || d1[0] != 1 || d2[0] != 1 {
				t.Errorf("d=%d k=%d: all at distance 1: got (%d, %v, %v), want (0, 1, 1)", d, k, b[0], d1[0], d2[0])
			}
		}
	}
}

func transposed(cs []float64, k, d int) []float64 {
	csT := make([]float64, k/4*4*d)
	transposeGroups(csT, cs, k, d)
	return csT
}

// FuzzKernels compares the assembly kernels with the pure-Go code on random
// data drawn from the fuzzed seed.
func FuzzKernels(f *testing.F) {
	f.Add(uint64(1), uint8(8), uint8(8), uint8(0))
	f.Add(uint64(2), uint8(3), uint8(7), uint8(1))
	f.Add(uint64(3), uint8(17), uint8(13), uint8(2))
	f.Fuzz(func(t *testing.T, seed uint64, d, k, kind uint8) {
		requireAVX2(t)
		dd, kk := 1+int(d)%70, 1+int(k)%40
		kinds := []string{"normal", "ints", "extreme", "zeros"}
		rng := rand.New(rand.NewPCG(seed, 0))
		n := 16
		x := kernelValues(rng, kinds[int(kind)%len(kinds)], n*dd)
		cs := kernelValues(rng, kinds[int(kind)%len(kinds)], kk*dd)
		checkKernels(t, x, cs, n, dd, kk)
	})
}

// TestKMeansSameWithoutAVX2 fits with and without the AVX2 kernels: labels,
// centres, inertia and iterations must be bit-identical.
func TestKMeansSameWithoutAVX2(t *testing.T) {
	requireAVX2(t)
	for _, tt := range []struct {
		n, d, k, g int
		spread     float64
	}{
		{3000, 8, 8, 8, 1.5},
		{2500, 3, 7, 5, 2},
		{2000, 17, 13, 6, 1},
		{1500, 1, 5, 3, 1},
		{5000, 2, 4, 4, 0.5},
	} {
		t.Run(fmt.Sprintf("n=%d/d=%d/k=%d", tt.n, tt.d, tt.k), func(t *testing.T) {
			x, _ := synth.Blobs(tt.n, tt.d, tt.g, tt.spread, uint64(tt.n))
			fit := func() *Model {
				m, err := (&KMeans{K: tt.k, NInit: 2, Seed: 3, Workers: 2}).Fit(context.Background(), x)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			m := fit()
			var g *Model
			pureGo(func() { g = fit() })
			if !slices.Equal(m.Labels, g.Labels) || !slices.Equal(m.Centers.Data, g.Centers.Data) ||
				m.Inertia != g.Inertia || m.Iterations != g.Iterations {
				t.Errorf("AVX2 and pure Go differ: inertia %v vs %v, iterations %d vs %d",
					m.Inertia, g.Inertia, m.Iterations, g.Iterations)
			}
		})
	}
}
