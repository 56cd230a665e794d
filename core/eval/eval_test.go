package eval

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/segkit/segkit/core/matrix"
)

// TestHandComputed pins values worked out by hand.
func TestHandComputed(t *testing.T) {
	// Four points on a line, {0, 1} and {4, 5}:
	//   silhouette of 0: a = 1, b = (4+5)/2 = 4.5, s = 3.5/4.5 = 7/9;
	//   silhouette of 1: a = 1, b = (3+4)/2 = 3.5, s = 2.5/3.5 = 5/7;
	//   by symmetry the mean is (7/9 + 5/7)/2 = 47/63.
	//   centroids 0.5 and 4.5, overall mean 2.5: between = 2·4 + 2·4 = 16,
	//   within = 4·0.25 = 1, CH = 16·(4-2) / (1·(2-1)) = 32, inertia = 1;
	//   spreads 0.5 and 0.5, centroid distance 4: DB = (0.5+0.5)/4 = 0.25.
	line := &matrix.Dense{Rows: 4, Cols: 1, Data: []float64{0, 1, 4, 5}}
	lineLabels := []int{7, 7, -2 + 5, 3} // non-contiguous ids
	sil := func() (float64, error) { return Silhouette(line, lineLabels) }
	ch := func() (float64, error) { return CalinskiHarabasz(line, lineLabels) }
	db := func() (float64, error) { return DaviesBouldin(line, lineLabels) }
	in := func() (float64, error) { return Inertia(line, lineLabels, nil) }
	// The same with a noise row far away, which must change nothing.
	noisy := &matrix.Dense{Rows: 5, Cols: 1, Data: []float64{0, 1, 100, 4, 5}}
	noisyLabels := []int{0, 0, -1, 1, 1}
	silNoise := func() (float64, error) { return Silhouette(noisy, noisyLabels) }
	chNoise := func() (float64, error) { return CalinskiHarabasz(noisy, noisyLabels) }
	inNoise := func() (float64, error) {
		return Inertia(noisy, noisyLabels, &matrix.Dense{Rows: 2, Cols: 1, Data: []float64{0, 5}})
	}

	// ARI of the 2×2 contingency [[2 1] [1 2]] (truth 000111, pred 001011),
	// by Hubert and Arabie: Σ C(n_ij, 2) = 1+0+0+1 = 2, Σ C(a_i, 2) = 3+3 = 6,
	// Σ C(b_j, 2) = 6, C(6, 2) = 15; expected = 6·6/15 = 2.4, max = 6,
	// ARI = (2 - 2.4) / (6 - 2.4) = -1/9.
	ari2x2 := func() (float64, error) {
		return AdjustedRand([]int{0, 0, 0, 1, 1, 1}, []int{0, 0, 1, 0, 1, 1})
	}
	// truth 0011, pred 0012: Σ C(n_ij,2) = 1, Σ C(a,2) = 2, Σ C(b,2) = 1,
	// C(4,2) = 6; expected = 1/3, max = 3/2, ARI = (2/3)/(7/6) = 4/7.
	// pred refines truth, so I = H(truth) = ln 2; H(pred) = 1.5 ln 2;
	// NMI = ln 2 / ((ln 2 + 1.5 ln 2)/2) = 0.8.
	ariRefine := func() (float64, error) { return AdjustedRand([]int{0, 0, 1, 1}, []int{0, 0, 1, 2}) }
	nmiRefine := func() (float64, error) { return NormalizedMutualInfo([]int{0, 0, 1, 1}, []int{0, 0, 1, 2}) }
	// Independent: every truth class split evenly, I = 0.
	nmiIndep := func() (float64, error) { return NormalizedMutualInfo([]int{0, 0, 1, 1}, []int{0, 1, 0, 1}) }
	ariIndep := func() (float64, error) { return AdjustedRand([]int{0, 0, 1, 1}, []int{0, 1, 0, 1}) }
	// -1 is an ordinary class for the external indices.
	ariNoise := func() (float64, error) { return AdjustedRand([]int{-1, -1, 2, 2}, []int{5, 5, -1, -1}) }
	nmiOne := func() (float64, error) { return NormalizedMutualInfo([]int{4, 4, 4}, []int{-1, -1, -1}) }

	tests := []struct {
		name string
		f    func() (float64, error)
		want float64
	}{
		{"silhouette line", sil, 47.0 / 63},
		{"calinski-harabasz line", ch, 32},
		{"davies-bouldin line", db, 0.25},
		{"inertia line", in, 1},
		{"silhouette ignores noise", silNoise, 47.0 / 63},
		{"calinski-harabasz ignores noise", chNoise, 32},
		// (0-0)² + (1-0)² + (4-5)² + (5-5)² = 2, the noise row at 100 skipped.
		{"inertia with centers ignores noise", inNoise, 2},
		{"ari 2x2", ari2x2, -1.0 / 9},
		{"ari refinement", ariRefine, 4.0 / 7},
		{"nmi refinement", nmiRefine, 0.8},
		{"nmi independent", nmiIndep, 0},
		{"ari independent", ariIndep, -0.5},
		{"ari renamed with -1", ariNoise, 1},
		{"nmi both one class", nmiOne, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.f()
			if err != nil {
				t.Fatal(err)
			}
			if !near(got, tt.want) {
				t.Errorf("got %.17g, want %.17g", got, tt.want)
			}
		})
	}
}

// TestAdjustedRandLarge checks ARI on 3e6 labels, where n² pair products
// overflow int64, against the Hubert–Arabie formula in exact rationals.
func TestAdjustedRandLarge(t *testing.T) {
	// Contingency [[a b] [c d]] built as label runs.
	cells := [2][2]int64{{1_200_000, 300_000}, {250_000, 1_250_000}}
	var truth, pred []int
	for i := range 2 {
		for j := range 2 {
			for range cells[i][j] {
				truth = append(truth, i)
				pred = append(pred, j)
			}
		}
	}
	choose2 := func(v int64) *big.Rat { return new(big.Rat).SetFrac(big.NewInt(v*(v-1)), big.NewInt(2)) }
	sumIJ, sumA, sumB := new(big.Rat), new(big.Rat), new(big.Rat)
	for i := range 2 {
		sumA.Add(sumA, choose2(cells[i][0]+cells[i][1]))
		sumB.Add(sumB, choose2(cells[0][i]+cells[1][i]))
		for j := range 2 {
			sumIJ.Add(sumIJ, choose2(cells[i][j]))
		}
	}
	expected := new(big.Rat).Mul(sumA, sumB)
	expected.Quo(expected, choose2(int64(len(truth))))
	maxIdx := new(big.Rat).Add(sumA, sumB)
	maxIdx.Quo(maxIdx, big.NewRat(2, 1))
	num := new(big.Rat).Sub(sumIJ, expected)
	den := new(big.Rat).Sub(maxIdx, expected)
	want, _ := new(big.Rat).Quo(num, den).Float64()

	got, err := AdjustedRand(truth, pred)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("AdjustedRand = %.17g, exact %.17g", got, want)
	}
	if got, err := AdjustedRand(truth, truth); err != nil || got != 1 {
		t.Errorf("AdjustedRand(truth, truth) = %v, %v; want 1", got, err)
	}
	if got, err := NormalizedMutualInfo(truth, truth); err != nil || !near(got, 1) {
		t.Errorf("NormalizedMutualInfo(truth, truth) = %v, %v; want 1", got, err)
	}
}

func TestErrors(t *testing.T) {
	x := &matrix.Dense{Rows: 4, Cols: 1, Data: []float64{0, 1, 4, 5}}
	nan := &matrix.Dense{Rows: 4, Cols: 1, Data: []float64{0, math.NaN(), 4, 5}}
	short := &matrix.Dense{Rows: 4, Cols: 2, Data: []float64{0, 1, 4}}
	two := []int{0, 0, 1, 1}
	tests := []struct {
		name string
		f    func() error
		want error
	}{
		{"silhouette nil", func() error { _, err := Silhouette(nil, two); return err }, ErrInvalidInput},
		{"silhouette NaN", func() error { _, err := Silhouette(nan, two); return err }, ErrInvalidInput},
		{"silhouette short data", func() error { _, err := Silhouette(short, two); return err }, ErrInvalidInput},
		{"silhouette labels", func() error { _, err := Silhouette(x, two[:3]); return err }, ErrLengthMismatch},
		{"silhouette one cluster", func() error { _, err := Silhouette(x, []int{1, 1, 1, 1}); return err }, ErrTooFewClusters},
		{"silhouette k = n", func() error { _, err := Silhouette(x, []int{0, 1, 2, 3}); return err }, ErrTooFewClusters},
		{"silhouette k = m after noise", func() error { _, err := Silhouette(x, []int{0, 1, -1, -1}); return err }, ErrTooFewClusters},
		{"samples all noise", func() error { _, err := SilhouetteSamples(x, []int{-1, -1, -1, -1}); return err }, ErrTooFewClusters},
		{"sampled one cluster in sample", func() error {
			_, err := SilhouetteSampled(x, []int{0, 0, 0, 1}, 1, 1)
			return err
		}, ErrTooFewClusters},
		{"calinski-harabasz one cluster", func() error { _, err := CalinskiHarabasz(x, []int{0, 0, 0, -1}); return err }, ErrTooFewClusters},
		{"davies-bouldin labels", func() error { _, err := DaviesBouldin(x, nil); return err }, ErrLengthMismatch},
		{"inertia label without center", func() error {
			_, err := Inertia(x, []int{0, 0, 1, 2}, &matrix.Dense{Rows: 2, Cols: 1, Data: []float64{0, 1}})
			return err
		}, ErrInvalidInput},
		{"inertia center columns", func() error {
			_, err := Inertia(x, two, &matrix.Dense{Rows: 1, Cols: 2, Data: []float64{0, 1}})
			return err
		}, ErrLengthMismatch},
		{"inertia NaN center", func() error {
			_, err := Inertia(x, two, &matrix.Dense{Rows: 2, Cols: 1, Data: []float64{0, math.Inf(1)}})
			return err
		}, ErrInvalidInput},
		{"summarize one cluster", func() error {
			_, err := Summarize(x, []int{0, 0, 0, 0}, nil, SummaryOptions{})
			return err
		}, ErrTooFewClusters},
		{"ari lengths", func() error { _, err := AdjustedRand(two, two[1:]); return err }, ErrLengthMismatch},
		{"nmi lengths", func() error { _, err := NormalizedMutualInfo(nil, two); return err }, ErrLengthMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.f()
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "eval: ") {
				t.Errorf("error %q lacks the eval: prefix", err)
			}
		})
	}
}

// blobs returns n rows in d dimensions around k well-separated centres, with
// every fifth row labelled noise when noise is set.
func blobs(n, d, k int, noise bool, seed uint64) (*matrix.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := matrix.New(n, d)
	labels := make([]int, n)
	for i := range n {
		c := rng.IntN(k)
		labels[i] = 10 * c
		for j := range d {
			x.Set(i, j, float64(4*c*(j%2))+rng.NormFloat64())
		}
		if noise && i%5 == 0 {
			labels[i] = -1
		}
	}
	return x, labels
}

func TestSilhouetteSampled(t *testing.T) {
	x, labels := blobs(3000, 4, 3, true, 7)
	exact, err := Silhouette(x, labels)
	if err != nil {
		t.Fatal(err)
	}
	m := 2400 // non-noise rows
	for _, size := range []int{0, -5, m, m + 1, 1 << 30} {
		got, err := SilhouetteSampled(x, labels, size, 99)
		if err != nil || got != exact {
			t.Errorf("SilhouetteSampled(size %d) = %v, %v; want exact %v", size, got, err, exact)
		}
	}
	a, err := SilhouetteSampled(x, labels, 800, 42)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := SilhouetteSampled(x, labels, 800, 42)
	c, _ := SilhouetteSampled(x, labels, 800, 43)
	if a != b {
		t.Errorf("same seed gave %v and %v", a, b)
	}
	if a == c {
		t.Errorf("seeds 42 and 43 gave the same estimate %v", a)
	}
	if math.Abs(a-exact) > 0.03 {
		t.Errorf("sampled %v too far from exact %v", a, exact)
	}
}

// TestSilhouetteDeterministic checks that the parallel silhouette does not
// depend on the number of goroutines.
func TestSilhouetteDeterministic(t *testing.T) {
	x, labels := blobs(2500, 3, 4, false, 3)
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	serial, err := SilhouetteSamples(x, labels)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GOMAXPROCS(4)
	parallel, err := SilhouetteSamples(x, labels)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(serial, parallel) {
		t.Errorf("silhouette differs between 1 and 4 goroutines")
	}
}

func TestSummarize(t *testing.T) {
	x, labels := blobs(10500, 2, 3, true, 5) // 8400 non-noise rows
	tests := []struct {
		name        string
		opt         SummaryOptions
		wantSampled bool
		wantSample  int
	}{
		{"default exact", SummaryOptions{}, false, 8400},
		{"sampled", SummaryOptions{SilhouetteSampleSize: 500, Seed: 1}, true, 500},
		{"size above m", SummaryOptions{SilhouetteSampleSize: 9000}, false, 8400},
		{"negative is exact", SummaryOptions{SilhouetteSampleSize: -1}, false, 8400},
	}
	exact, err := Silhouette(x, labels)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Summarize(x, labels, nil, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if s.SilhouetteSampled != tt.wantSampled || s.SilhouetteSample != tt.wantSample {
				t.Errorf("sampled %v over %d rows, want %v over %d", s.SilhouetteSampled, s.SilhouetteSample, tt.wantSampled, tt.wantSample)
			}
			if s.K != 3 || len(s.Sizes) != 3 || s.Sizes[0]+s.Sizes[1]+s.Sizes[2] != 8400 {
				t.Errorf("K = %d, Sizes = %v", s.K, s.Sizes)
			}
			if !tt.wantSampled && s.Silhouette != exact {
				t.Errorf("Silhouette = %v, want exact %v", s.Silhouette, exact)
			}
		})
	}

	// Over 10000 non-noise rows, the default samples 10000.
	big, bigLabels := blobs(10002, 2, 3, false, 5)
	s, err := Summarize(big, bigLabels, nil, SummaryOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !s.SilhouetteSampled || s.SilhouetteSample != 10000 {
		t.Errorf("default on 10002 rows: sampled %v over %d", s.SilhouetteSampled, s.SilhouetteSample)
	}

	b, err := json.Marshal(Summary{K: 2, Sizes: []int{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"k":2,"sizes":[1,2],"inertia":0,"silhouette":0,"calinski_harabasz":0,"davies_bouldin":0,"silhouette_sampled":false,"silhouette_sample":0}`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}

// TestEncodeSparse covers labels spread too widely for a dense table.
func TestEncodeSparse(t *testing.T) {
	truth := []int{math.MinInt, math.MinInt, math.MaxInt, math.MaxInt, 0}
	pred := []int{5, 5, -1 << 30, -1 << 30, 1<<30 + 7}
	if got, err := AdjustedRand(truth, pred); err != nil || got != 1 {
		t.Errorf("AdjustedRand = %v, %v; want 1", got, err)
	}
	codes, values := encode([]int{1 << 30, -3, 1 << 30, 7}, true)
	if !slices.Equal(codes, []int32{1, -1, 1, 0}) || !slices.Equal(values, []int{7, 1 << 30}) {
		t.Errorf("encode = %v, %v", codes, values)
	}
}
