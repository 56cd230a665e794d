package eval

import (
	"math"
	"testing"
)

// TestKneedle checks Kneedle on hand-made curves. The first is the example of
// Satopää et al. (their Figure 2, kneed's DataGenerator.figure2): ten evenly
// spaced x in [0, 1] and y = 5 − 1/(x + 0.1), whose knee kneed reports at
// x = 0.222, the third point. Its reflections have the knee at the mirrored
// point.
func TestKneedle(t *testing.T) {
	grid := make([]float64, 10)
	for i := range grid {
		grid[i] = float64(i) / 9
	}
	curve := func(f func(x float64) float64) []float64 {
		y := make([]float64, len(grid))
		for i, x := range grid {
			y[i] = f(x)
		}
		return y
	}
	figure2 := curve(func(x float64) float64 { return 5 - 1/(x+0.1) })

	tests := []struct {
		name               string
		xs, ys             []float64
		decreasing, convex bool
		want               int
		wantOK             bool
	}{
		{"paper figure 2, concave increasing", grid, figure2, false, false, 2, true},
		{"1/x, convex decreasing", grid, curve(func(x float64) float64 { return 1 / (x + 0.1) }), true, true, 2, true},
		{"mirrored 1/x, convex increasing", grid, curve(func(x float64) float64 { return 1 / (1.1 - x) }), false, true, 7, true},
		{"mirrored 1/x negated, concave decreasing", grid, curve(func(x float64) float64 { return -1 / (1.1 - x) }), true, false, 7, true},
		// Scaling x or y does not move the knee: Kneedle works in the unit square.
		{"figure 2 scaled", []float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, curve(func(x float64) float64 { return 1e6 * (5 - 1/(x+0.1)) }), false, false, 2, true},
		// An inertia curve over k = 2..8: normalised, the difference curve is
		// 0, .43, .56, .45, .31, .15, 0; its maximum at k = 4 has threshold
		// .56 − 1/6 = .39, which k = 6 falls below.
		{"inertia elbow", []float64{2, 3, 4, 5, 6, 7, 8}, []float64{100, 50, 25, 20, 18, 17, 16}, true, true, 2, true},
		// Uneven x spacing is allowed: normalised, the difference curve is
		// 0, .70, .80, .72, .50, 0 and the threshold .80 − 1/5.
		{"uneven x", []float64{1, 2, 4, 8, 16, 32}, []float64{64, 20, 10, 7, 5, 4}, true, true, 2, true},
		// On a plateau of the difference curve the knee is its last point,
		// as in kneed: 0, .48, .68, .68, .48, 0.
		{"plateau", []float64{1, 2, 4, 8, 16, 32}, []float64{64, 32, 16, 8, 4, 2}, true, true, 3, true},
		{"straight line", grid, curve(func(x float64) float64 { return 3 - 2*x }), true, true, 0, false},
		// The shape is wrong for the curve: a concave increasing curve read
		// as convex increasing has a difference curve that never rises.
		{"wrong shape", grid, figure2, false, true, 0, false},
		{"constant", grid, curve(func(float64) float64 { return 1 }), true, true, 0, false},
		{"two points", []float64{1, 2}, []float64{2, 1}, true, true, 0, false},
		{"length mismatch", []float64{1, 2, 3}, []float64{3, 2}, true, true, 0, false},
		{"x not increasing", []float64{1, 3, 2, 4}, []float64{4, 2, 1, 0}, true, true, 0, false},
		{"NaN", []float64{1, 2, 3, 4}, []float64{4, math.NaN(), 1, 0}, true, true, 0, false},
		{"infinite", []float64{1, 2, 3, 4}, []float64{math.Inf(1), 2, 1, 0}, true, true, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Kneedle(tt.xs, tt.ys, tt.decreasing, tt.convex)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Kneedle = %d, %v; want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
