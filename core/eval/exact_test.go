package eval

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

func bigOf(a u128) *big.Int {
	x := new(big.Int).SetUint64(a.hi)
	x.Lsh(x, 64)
	return x.Or(x, new(big.Int).SetUint64(a.lo))
}

// checkRatio compares ratio128 with big.Rat's correctly rounded quotient.
func checkRatio(t *testing.T, a, b u128) {
	t.Helper()
	want, _ := new(big.Rat).SetFrac(bigOf(a), bigOf(b)).Float64()
	if got := ratio128(a, b); got != want {
		t.Fatalf("ratio128(%v, %v) = %v (%b), want %v (%b)", bigOf(a), bigOf(b), got, got, want, want)
	}
}

// TestRatio128 checks the long division against big.Rat: hand-picked cases
// (exact quotients, halfway ties both ways, the largest operands, tiny and
// huge ratios) and random operands of every bit length.
func TestRatio128(t *testing.T) {
	max127 := u128{1<<63 - 1, 1<<64 - 1}
	cases := [][2]u128{
		{{0, 1}, {0, 3}},
		{{0, 0}, {0, 7}},
		{{0, 6}, {0, 3}},
		{{0, 1}, {0, 1}},
		{{0, 1<<53 + 1}, {0, 1}}, // a tie: rounds to even (down)
		{{0, 1<<53 + 3}, {0, 1}}, // a tie: rounds to even (up)
		{{1, 1}, {0, 1 << 10}},   // above 2⁵³: needs the sticky remainder
		{max127, {0, 1}},         // the largest quotient
		{{0, 1}, max127},         // the smallest
		{max127, max127},
		{max127, {max127.hi, max127.lo - 1}},
		{{1 << 62, 0}, {1<<62 - 1, 1<<64 - 1}},
	}
	for _, c := range cases {
		checkRatio(t, c[0], c[1])
	}
	rng := rand.New(rand.NewPCG(1, 2))
	random := func() u128 {
		v := u128{rng.Uint64() >> 1, rng.Uint64()} // below 2¹²⁷
		return u128{v.hi >> rng.IntN(64), v.lo}
	}
	for range 20000 {
		a, b := random(), random()
		if rng.IntN(2) == 0 {
			a = u128{0, a.lo >> rng.IntN(64)}
		}
		if b.isZero() {
			continue
		}
		checkRatio(t, a, b)
	}
}

// FuzzRatio128 compares the long division with big.Rat on any operands
// below 2¹²⁷.
func FuzzRatio128(f *testing.F) {
	f.Add(uint64(0), uint64(1), uint64(0), uint64(3))
	f.Add(uint64(1<<63-1), uint64(1<<64-1), uint64(0), uint64(1))
	f.Fuzz(func(t *testing.T, ahi, alo, bhi, blo uint64) {
		a, b := u128{ahi >> 1, alo}, u128{bhi >> 1, blo}
		if b.isZero() {
			return
		}
		checkRatio(t, a, b)
	})
}

// TestAdjustedRandExact: the index of pair counts from very large inputs is
// the correctly rounded value of its exact fraction.
func TestAdjustedRandExact(t *testing.T) {
	// Two labellings of 200,000 items whose pair counts go past 2⁵³.
	truth, pred := make([]int, 200_000), make([]int, 200_000)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range truth {
		truth[i] = rng.IntN(7)
		pred[i] = truth[i]
		if rng.IntN(3) == 0 {
			pred[i] = rng.IntN(5)
		}
	}
	got, err := AdjustedRand(truth, pred)
	if err != nil {
		t.Fatal(err)
	}
	// The same formula with big integers.
	tab, _ := newContingency(truth, pred)
	sq := func(vs []int64) *big.Int {
		s := new(big.Int)
		for _, v := range vs {
			s.Add(s, new(big.Int).Mul(big.NewInt(v), big.NewInt(v)))
		}
		return s
	}
	n := big.NewInt(tab.n)
	sumSq, rowSq, colSq := sq(tab.cells), sq(tab.rows), sq(tab.cols)
	tp := new(big.Int).Sub(sumSq, n)
	fp := new(big.Int).Sub(colSq, sumSq)
	fn := new(big.Int).Sub(rowSq, sumSq)
	tn := new(big.Int).Mul(n, n)
	tn.Sub(tn, rowSq).Sub(tn, colSq).Add(tn, sumSq)
	num := new(big.Int).Sub(new(big.Int).Mul(tp, tn), new(big.Int).Mul(fn, fp))
	num.Lsh(num, 1)
	den := new(big.Int).Add(new(big.Int).Mul(new(big.Int).Add(tp, fn), new(big.Int).Add(fn, tn)),
		new(big.Int).Mul(new(big.Int).Add(tp, fp), new(big.Int).Add(fp, tn)))
	want, _ := new(big.Rat).SetFrac(num, den).Float64()
	if got != want {
		t.Errorf("AdjustedRand = %v, exact %v", got, want)
	}
}
