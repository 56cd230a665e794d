package eval

import (
	"math"
	"math/bits"
)

// u128 is an unsigned 128-bit integer, for the adjusted Rand index's exact
// pair-count products (each up to 2¹²⁴) without math/big, which would add
// about 28 KB to the page's compressed wasm.
type u128 struct{ hi, lo uint64 }

// mul128 returns a·b exactly.
func mul128(a, b uint64) u128 {
	hi, lo := bits.Mul64(a, b)
	return u128{hi, lo}
}

func (a u128) add(b u128) u128 {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, _ := bits.Add64(a.hi, b.hi, c)
	return u128{hi, lo}
}

func (a u128) sub(b u128) u128 {
	lo, c := bits.Sub64(a.lo, b.lo, 0)
	hi, _ := bits.Sub64(a.hi, b.hi, c)
	return u128{hi, lo}
}

func (a u128) less(b u128) bool { return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo }

func (a u128) isZero() bool { return a.hi == 0 && a.lo == 0 }

func (a u128) bitLen() int {
	if a.hi != 0 {
		return 64 + bits.Len64(a.hi)
	}
	return bits.Len64(a.lo)
}

// shl returns a shifted left by s bits, 0 ≤ s < 128 (bits shifted out are
// lost; callers keep the result within 128 bits).
func (a u128) shl(s int) u128 {
	switch {
	case s == 0:
		return a
	case s >= 64:
		return u128{a.lo << (s - 64), 0}
	}
	return u128{a.hi<<s | a.lo>>(64-s), a.lo << s}
}

// ratio128 returns a/b rounded once to the nearest float64 (ties to even),
// as big.Rat's Float64 does, for b > 0 and a, b below 2¹²⁷. It is a long
// division: 55 significant quotient bits and whether a remainder is left
// decide the rounding.
func ratio128(a, b u128) float64 {
	if a.isZero() {
		return 0
	}
	// Align a and b to the same bit length; the quotient is then in (½, 2)
	// and scaled by 2^k.
	k := a.bitLen() - b.bitLen()
	d, r := b, a
	if k > 0 {
		d = b.shl(k)
	} else if k < 0 {
		r = a.shl(-k)
	}
	// Quotient bits from weight 2^k down; e is the weight of the last one.
	var m uint64
	n, e := 0, k
	for {
		bit := !r.less(d)
		if bit {
			r = r.sub(d)
		}
		if n > 0 || bit {
			m = m<<1 | b2u(bit)
			n++
		}
		if n == 55 {
			break
		}
		r, e = r.shl(1), e-1 // r < d < 2¹²⁷: no bit is lost
	}
	mant, rest := m>>2, m&3
	if rest == 3 || rest == 2 && (!r.isZero() || mant&1 == 1) {
		mant++
	}
	return math.Ldexp(float64(mant), e+2)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
