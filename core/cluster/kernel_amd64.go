//go:build amd64 && !purego

package cluster

// useAVX2 reports whether the AVX2 kernels of kernel_amd64.s run: the CPU
// has AVX2 and the operating system saves the YMM registers. Otherwise (and
// on other GOARCH, or with the purego tag) the pure-Go loops run; both give
// bit-identical results.
var useAVX2 = hasAVX2()

// hasAVX2 detects AVX2 with CPUID and XGETBV, as internal/cpu does.
func hasAVX2() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx1&osxsave == 0 || ecx1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv0(); xcr0&6 != 6 { // XMM and YMM state enabled
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

// cpuid returns EAX, EBX, ECX and EDX of CPUID leaf, subleaf sub.
func cpuid(leaf, sub uint32) (a, b, c, d uint32)

// xgetbv0 returns the extended control register XCR0 (XGETBV with ECX = 0).
func xgetbv0() (lo, hi uint32)

// nearest2RowsAVX2 is nearest2's loop over the groups of four centres in ct
// (groups·4·d values, interleaved by transposeGroups) for the rows of x at
// the offsets xo; the offsets are not checked.
//
//go:noescape
func nearest2RowsAVX2(x, ct []float64, d, groups int, xo, best []int, d1, d2 []float64)

// dist4RowsAVX2 sets out[4i:4i+4] to the squared distances from the row of x
// at offset xo[i] to the four centres interleaved in ct (4·d values); the
// offsets are not checked.
//
//go:noescape
func dist4RowsAVX2(x, ct []float64, d int, xo []int, out []float64)

// sqdistRowsAVX2 is sqdistRows for the first len(out)&^3 pairs; the offsets
// are not checked.
//
//go:noescape
func sqdistRowsAVX2(x, cs []float64, d int, xo, co []int, out []float64)
