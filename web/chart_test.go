package main

import (
	"math"
	"slices"
	"testing"
)

func TestTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 1, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{2, 10, 4, []float64{2, 4, 6, 8, 10}},
		{-3.2, 4.7, 4, []float64{-2, 0, 2, 4}},
		{30.4, 272.9, 4, []float64{100, 200}},
		{0.39, 0.56, 4, []float64{0.4, 0.45, 0.5, 0.55}},
		{1, 1, 4, []float64{1}},
	}
	for _, tt := range tests {
		got := ticks(tt.lo, tt.hi, tt.n)
		if len(got) != len(tt.want) {
			t.Errorf("ticks(%v, %v, %d) = %v, want %v", tt.lo, tt.hi, tt.n, got, tt.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-tt.want[i]) > 1e-9 {
				t.Errorf("ticks(%v, %v, %d) = %v, want %v", tt.lo, tt.hi, tt.n, got, tt.want)
				break
			}
		}
	}
}

func TestFrame(t *testing.T) {
	f := newFrame(10, 20, 100, 50, 0, 10, -1, 1)
	tests := []struct{ x, y, wantX, wantY float64 }{
		{0, -1, 10, 70}, {10, 1, 110, 20}, {5, 0, 60, 45},
	}
	for _, tt := range tests {
		if gx, gy := f.X(tt.x), f.Y(tt.y); gx != tt.wantX || gy != tt.wantY {
			t.Errorf("(%v, %v) → (%v, %v), want (%v, %v)", tt.x, tt.y, gx, gy, tt.wantX, tt.wantY)
		}
	}
	if got := f.polyline([]float64{0, 10}, []float64{-1, 1}); got != "10.00,70.00 110.00,20.00" {
		t.Errorf("polyline %q", got)
	}
	// A flat range is widened, never divided by zero.
	g := newFrame(0, 0, 100, 100, 3, 3, 5, 5)
	if y := g.Y(5); y != 50 || math.IsNaN(g.X(3)) {
		t.Errorf("flat range: y %v, x %v", y, g.X(3))
	}
}

func TestSegmentColour(t *testing.T) {
	got := []string{segmentColour(0), segmentColour(8), segmentColour(-1)}
	if !slices.Equal(got, []string{"#0072B2", "#0072B2", "#999999"}) {
		t.Errorf("colours %q", got)
	}
}
