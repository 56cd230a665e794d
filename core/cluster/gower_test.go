package cluster

import (
	"math"
	"testing"
)

// TestGowerDistance checks Gower's distance against values worked out by
// hand from its definition.
func TestGowerDistance(t *testing.T) {
	mask := []bool{false, true, false}
	ranges := []float64{40, 0, 100}
	tests := []struct {
		name string
		g    Gower
		a, b []float64
		want float64
	}{
		// (10/40 + 1 + 10/100) / 3 = (0.25 + 1 + 0.1) / 3
		{"mixed", Gower{Categorical: mask, Ranges: ranges}, []float64{20, 1, 50}, []float64{30, 0, 40}, 0.45},
		// (2·0.25 + 1 + 0.1) / 4
		{"weighted", Gower{Categorical: mask, Ranges: ranges, Weights: []float64{2, 1, 1}}, []float64{20, 1, 50}, []float64{30, 0, 40}, 0.4},
		{"same category", Gower{Categorical: mask, Ranges: ranges}, []float64{20, 3, 50}, []float64{20, 3, 75}, 0.25 / 3},
		{"identical", Gower{Categorical: mask, Ranges: ranges}, []float64{1, 2, 3}, []float64{1, 2, 3}, 0},
		// Constant training column: equal values 0, different values 1.
		{"zero range equal", Gower{Ranges: []float64{0, 10}}, []float64{5, 0}, []float64{5, 10}, 0.5},
		{"zero range differs", Gower{Ranges: []float64{0, 10}}, []float64{5, 0}, []float64{6, 10}, 1},
		// Outside the training range the term is not capped: 30/10.
		{"beyond range", Gower{Ranges: []float64{10}}, []float64{0}, []float64{30}, 3},
		// All numeric: range-normalised Manhattan / d = (1/2 + 3/4) / 2.
		{"numeric", Gower{Ranges: []float64{2, 4}}, []float64{0, 0}, []float64{1, 3}, 0.625},
		{"zero weight ignored", Gower{Categorical: mask, Ranges: ranges, Weights: []float64{1, 0, 1}}, []float64{20, 1, 50}, []float64{30, 0, 40}, 0.175},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.g.Distance(tt.a, tt.b)
			if math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("Distance = %v, want %v", got, tt.want)
			}
			if sym := tt.g.Distance(tt.b, tt.a); sym != got {
				t.Errorf("not symmetric: %v vs %v", sym, got)
			}
			if tt.name == "zero range differs" || tt.name == "beyond range" {
				return // not training rows
			}
			gc := newGowerCoef(tt.g)
			if fast := gc.dist(tt.a, tt.b); math.Abs(fast-tt.want) > 1e-12 {
				t.Errorf("fast distance = %v, want %v", fast, tt.want)
			}
		})
	}
}
