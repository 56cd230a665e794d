package eval

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/segkit/segkit/core/matrix"
)

// TestGapStats checks Gap(k) and s(k) against values worked out by hand.
func TestGapStats(t *testing.T) {
	// Two reference sets: log W* = {2, 4} at k = 1 and {1, 1} at k = 2.
	// Gap(1) = 3 − 1 = 2, sd = 1, s = √(1 + 1/2) = 1.2247…;
	// Gap(2) = 1 − 0.5 = 0.5, sd = 0, s = 0. k = 3 has W = 0: unusable.
	gap, se, ok := gapStats([]float64{1, 0.5, math.Inf(-1)}, [][]float64{{2, 1, 0}, {4, 1, 0}})
	tests := []struct {
		name      string
		got, want float64
	}{
		{"gap 1", gap[0], 2},
		{"se 1", se[0], math.Sqrt(1.5)},
		{"gap 2", gap[1], 0.5},
		{"se 2", se[1], 0},
		{"gap 3", gap[2], 0},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if !ok[0] || !ok[1] || ok[2] {
		t.Errorf("ok = %v, want [true true false]", ok)
	}
}

// TestGapChoice checks Tibshirani's one-standard-error rule.
func TestGapChoice(t *testing.T) {
	all := []bool{true, true, true, true}
	tests := []struct {
		name       string
		gap, se    []float64
		ok, elig   []bool
		want       int
		wantRising bool
	}{
		{"peak", []float64{0.1, 0.5, 0.4, 0.3}, []float64{0.01, 0.01, 0.01, 0.01}, all, all, 1, false},
		// Gap(0) ≥ Gap(1) − s(1): the rise is within one standard error.
		{"within one se", []float64{0.45, 0.5, 0.4, 0.3}, []float64{0.1, 0.1, 0.1, 0.1}, all, all, 0, false},
		{"still rising", []float64{0.1, 0.2, 0.3, 0.4}, []float64{0.01, 0.01, 0.01, 0.01}, all, all, 3, true},
		{"first ineligible", []float64{0.45, 0.5, 0.4, 0.3}, []float64{0.1, 0.1, 0.1, 0.1}, all, []bool{false, true, true, true}, 1, false},
		{"unusable gap skipped", []float64{0.45, 0, 0.4, 0.3}, []float64{0.1, 0, 0.1, 0.1}, []bool{true, false, true, true}, all, 2, false},
		{"rising, last ineligible", []float64{0.1, 0.2, 0.3, 0.4}, []float64{0.01, 0.01, 0.01, 0.01}, all, []bool{true, true, true, false}, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rising := gapChoice(tt.gap, tt.se, tt.ok, tt.elig)
			if got != tt.want || rising != tt.wantRising {
				t.Errorf("gapChoice = %d, %v; want %d, %v", got, rising, tt.want, tt.wantRising)
			}
		})
	}
}

// TestReferenceInBox checks that reference points stay in the bounding box.
func TestReferenceInBox(t *testing.T) {
	x, _ := matrix.FromRows([][]float64{{-1, 10}, {3, 12}, {0, 11}})
	lo, hi := boundingBox(x)
	if lo[0] != -1 || lo[1] != 10 || hi[0] != 3 || hi[1] != 12 {
		t.Fatalf("box %v–%v", lo, hi)
	}
	ref := matrix.New(1000, 2)
	uniformReference(ref, lo, hi, rand.New(rand.NewPCG(1, 2)))
	for i := range ref.Rows {
		for j, v := range ref.Row(i) {
			if v < lo[j] || v > hi[j] {
				t.Fatalf("row %d column %d = %v outside [%v, %v]", i, j, v, lo[j], hi[j])
			}
		}
	}
}

// TestStabilityPair checks that the two subsamples share exactly the rows
// they are said to share, and that identical labellings agree fully.
func TestStabilityPair(t *testing.T) {
	x := matrix.New(50, 1)
	for i := range x.Rows {
		x.Data[i] = float64(i) // each row holds its index
	}
	p := newStabilityPair(x, rand.New(rand.NewPCG(3, 4)))
	if p.a.Rows != 40 || p.b.Rows != 40 {
		t.Fatalf("subsamples of %d and %d rows, want 40", p.a.Rows, p.b.Rows)
	}
	inA := map[float64]bool{}
	for _, v := range p.a.Data {
		inA[v] = true
	}
	common := 0
	for _, v := range p.b.Data {
		if inA[v] {
			common++
		}
	}
	if common != p.overlapCount {
		t.Fatalf("%d common rows, pair says %d", common, p.overlapCount)
	}
	for i := range p.inA {
		if p.a.Data[p.inA[i]] != p.b.Data[p.inB[i]] {
			t.Fatalf("common row %d: %v vs %v", i, p.a.Data[p.inA[i]], p.b.Data[p.inB[i]])
		}
	}
	la, lb := make([]int, 40), make([]int, 40)
	for i := range la {
		la[i] = int(p.a.Data[i]) / 10
		lb[i] = 7 - int(p.b.Data[i])/10 // same partition, other names
	}
	if ari, err := p.agreement(la, lb); err != nil || ari != 1 {
		t.Errorf("agreement = %v, %v; want 1", ari, err)
	}
}
