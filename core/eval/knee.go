package eval

import "math"

// Kneedle finds the knee (or elbow) of a curve with the Kneedle algorithm of
// Satopää, Albrecht, Irwin and Raghavan, "Finding a 'Kneedle' in a Haystack:
// Detecting Knee Points in System Behavior" (ICDCS workshops, 2011), as the
// kneed Python package implements it offline with sensitivity S = 1 and no
// smoothing. It returns the index into xs of the knee, or ok = false when
// the curve has none.
//
// xs must be strictly increasing and ys as long as xs, with at least three
// finite points; otherwise ok is false. decreasing and convex describe the
// shape: an inertia curve over k is decreasing and convex (its "elbow"); a
// curve that rises quickly and then flattens is increasing and concave.
//
// The curve is scaled to the unit square and reflected so that it rises and
// bends down, the difference curve (y − x) is formed, and each local maximum
// of it sets a threshold: its value minus S times the mean spacing of the
// scaled xs, 1/(n−1) for evenly spaced xs. The knee is the first local
// maximum after which the difference curve falls below its threshold before
// a new local maximum appears (a local minimum resets the threshold to 0).
// A straight line has no knee, and neither has a curve whose difference
// curve never falls far enough.
func Kneedle(xs, ys []float64, decreasing, convex bool) (knee int, ok bool) {
	n := len(xs)
	if n < 3 || len(ys) != n {
		return 0, false
	}
	for i := range n {
		if !finite(xs[i]) || !finite(ys[i]) || (i > 0 && xs[i] <= xs[i-1]) {
			return 0, false
		}
	}
	ylo, yhi := ys[0], ys[0]
	for _, y := range ys {
		ylo, yhi = min(ylo, y), max(yhi, y)
	}
	if yhi == ylo {
		return 0, false
	}
	xlo, xhi := xs[0], xs[n-1]

	// Reflect the curve into an increasing concave one: a decreasing convex
	// curve is flipped in y; an increasing convex one in x and y; a
	// decreasing concave one in x. A flip in x reverses the scan order, so
	// position p of the scan is index idx(p) of the input.
	flipX := decreasing != convex
	flipY := convex
	idx := func(p int) int {
		if flipX {
			return n - 1 - p
		}
		return p
	}
	xn := make([]float64, n)
	diff := make([]float64, n)
	for p := range n {
		i := idx(p)
		x := (xs[i] - xlo) / (xhi - xlo)
		y := (ys[i] - ylo) / (yhi - ylo)
		if flipX {
			x = 1 - x
		}
		if flipY {
			y = 1 - y
		}
		xn[p], diff[p] = x, y-x
	}

	// Threshold offset: S times the mean spacing of the scaled xs.
	const sensitivity = 1
	offset := sensitivity * (xn[n-1] - xn[0]) / float64(n-1)

	threshold := math.Inf(-1)
	at := -1
	for p := 1; p < n-1; p++ {
		switch {
		case diff[p] >= diff[p-1] && diff[p] > diff[p+1]: // local maximum
			threshold, at = diff[p]-offset, p
		case diff[p] <= diff[p-1] && diff[p] < diff[p+1]: // local minimum
			threshold = 0
		}
		if at >= 0 && diff[p+1] < threshold {
			return idx(at), true
		}
	}
	return 0, false
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
