package project

import (
	"slices"
	"testing"
)

func TestSample(t *testing.T) {
	tests := []struct {
		name    string
		n, max  int
		seed    uint64
		want    []int // nil: only check the shape
		wantLen int
	}{
		{"empty n", 0, 5, 1, []int{}, 0},
		{"negative n", -3, 5, 1, []int{}, 0},
		{"zero max", 10, 0, 1, []int{}, 0},
		{"max above n", 4, 10, 1, []int{0, 1, 2, 3}, 4},
		{"max equals n", 3, 3, 1, []int{0, 1, 2}, 3},
		{"one of many", 1000, 1, 7, nil, 1},
		{"all but one", 1000, 999, 7, nil, 999},
		{"plot", 1_000_000, 5000, 42, nil, 5000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sample(tt.n, tt.max, tt.seed)
			if tt.want != nil && !slices.Equal(got, tt.want) {
				t.Fatalf("Sample(%d, %d, %d) = %v, want %v", tt.n, tt.max, tt.seed, got, tt.want)
			}
			if got == nil || len(got) != tt.wantLen {
				t.Fatalf("Sample(%d, %d, %d) has %d indices (nil %v), want %d", tt.n, tt.max, tt.seed, len(got), got == nil, tt.wantLen)
			}
			for i, v := range got {
				if v < 0 || v >= tt.n || (i > 0 && v <= got[i-1]) {
					t.Fatalf("index %d = %d: not sorted, distinct and in [0, %d)", i, v, tt.n)
				}
			}
			if again := Sample(tt.n, tt.max, tt.seed); !slices.Equal(again, got) {
				t.Errorf("not deterministic")
			}
		})
	}
	if slices.Equal(Sample(1000, 10, 1), Sample(1000, 10, 2)) {
		t.Error("seeds 1 and 2 give the same sample")
	}
}

// TestSamplePinned pins samples computed natively, so the js/wasm run of
// this test proves the browser draws the same rows.
func TestSamplePinned(t *testing.T) {
	got := Sample(100, 8, 2024)
	want := []int{5, 18, 37, 44, 71, 82, 89, 90}
	if !slices.Equal(got, want) {
		t.Errorf("Sample(100, 8, 2024) = %v, want %v", got, want)
	}
}

// TestSampleUniform checks every index is chosen with probability max/n:
// over 20,000 seeds, each of 10 indices appears 6,000 times (3 of 10) give
// or take 5 standard deviations (about 324).
func TestSampleUniform(t *testing.T) {
	const n, m, trials = 10, 3, 20000
	var count [n]int
	for seed := range uint64(trials) {
		for _, i := range Sample(n, m, seed) {
			count[i]++
		}
	}
	for i, c := range count {
		if c < 6000-324 || c > 6000+324 {
			t.Errorf("index %d chosen %d times, want 6000 ± 324 (counts %v)", i, c, count)
		}
	}
}
