package cluster

import (
	"fmt"
	"math"

	"github.com/segkit/segkit/core/matrix"
)

// Mixed numeric and categorical data.
//
// KPrototypes and KMedoids take the same matrix as every other algorithm,
// with a mask saying which columns hold categories: a categorical cell holds
// the category's code as a float64, a whole number >= 0 (0..m-1 for m
// categories is the convention, but any whole non-negative codes work: only
// equality of codes matters). Missing values are not expected; impute them,
// or give them a category of their own, before clustering.

// Gower is Gower's (1971) general dissimilarity for mixed rows: the weighted
// mean over columns of a per-column dissimilarity in [0, 1],
//
//	d(a, b) = Σ_j w_j s_j(a_j, b_j) / Σ_j w_j,
//
// where, for a numeric column, s_j = |a_j - b_j| / Ranges[j] (the range,
// max - min, of the column in the training data), and for a categorical one
// s_j = 0 when the codes are equal and 1 otherwise. A numeric column whose
// range is 0 (constant in training) counts like a category: 0 when the values
// are equal, 1 otherwise. For training rows d is in [0, 1]; a new point
// outside the training range can be farther than 1 from a training row (s_j
// is not capped, so far points stay ordered by how far they are).
type Gower struct {
	// Categorical marks the categorical columns; nil means all numeric.
	// When not nil it has one entry per column.
	Categorical []bool
	// Ranges holds, per column, the training range of a numeric column;
	// entries of categorical columns are ignored. It has one entry per
	// column.
	Ranges []float64
	// Weights holds one weight >= 0 per column (not all 0); nil weights all
	// columns equally.
	Weights []float64
}

// Distance returns the Gower distance between the rows a and b, which must
// each have len(g.Ranges) values. A categorical pair counts as a mismatch
// unless the values are exactly equal.
func (g Gower) Distance(a, b []float64) float64 {
	num, den := 0.0, 0.0
	for j, r := range g.Ranges {
		w := 1.0
		if g.Weights != nil {
			w = g.Weights[j]
		}
		den += w
		x, y := a[j], b[j]
		switch {
		case x == y:
		case (g.Categorical != nil && g.Categorical[j]) || r <= 0:
			num += w
		default:
			num += float64(w * (math.Abs(x-y) / r))
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// gowerCoef is Gower prepared for fast, repeated use: per column a
// coefficient c_j and whether it is categorical, so that
// d = Σ_num c_j |a_j-b_j| + Σ_cat c_j [a_j != b_j]. Columns of zero range or
// weight are dropped (they contribute 0 between training rows).
type gowerCoef struct {
	num, cat   []int     // column indices
	cNum, cCat []float64 // coefficients w_j/(Σw·range_j) and w_j/Σw
}

func newGowerCoef(g Gower) gowerCoef {
	var gc gowerCoef
	den := 0.0
	for j := range g.Ranges {
		if g.Weights != nil {
			den += g.Weights[j]
		} else {
			den++
		}
	}
	for j, r := range g.Ranges {
		w := 1.0
		if g.Weights != nil {
			w = g.Weights[j]
		}
		if w == 0 || den == 0 {
			continue
		}
		if g.Categorical != nil && g.Categorical[j] {
			gc.cat = append(gc.cat, j)
			gc.cCat = append(gc.cCat, w/den)
		} else if r > 0 {
			gc.num = append(gc.num, j)
			gc.cNum = append(gc.cNum, w/(den*r))
		}
	}
	return gc
}

// dist returns the Gower distance between two training rows (where
// zero-range columns are equal).
func (gc *gowerCoef) dist(a, b []float64) float64 {
	s := 0.0
	for t, j := range gc.num {
		s += float64(gc.cNum[t] * math.Abs(a[j]-b[j]))
	}
	for t, j := range gc.cat {
		if a[j] != b[j] {
			s += gc.cCat[t]
		}
	}
	return s
}

// checkMask checks a Categorical mask against d columns.
func checkMask(cat []bool, d int) error {
	if cat != nil && len(cat) != d {
		return fmt.Errorf("%w: Categorical has %d entries for %d columns", ErrBadSettings, len(cat), d)
	}
	return nil
}

// isCat reports whether column j is categorical under the mask.
func isCat(cat []bool, j int) bool { return cat != nil && cat[j] }

// checkCategorical checks that every categorical cell of x is a whole number
// >= 0 and returns an *InputError (wrapping ErrInvalidInput) naming the first
// offending cell in row order. x has already passed checkMatrix.
func checkCategorical(x *matrix.Dense, cat []bool) error {
	if cat == nil {
		return nil
	}
	d := x.Cols
	for i := range x.Rows {
		row := x.Data[i*d : i*d+d]
		for j, cj := range cat {
			if cj && !validCode(row[j]) {
				return fmt.Errorf("%w (a categorical column must hold whole category codes >= 0)",
					&InputError{Row: i, Column: j, Value: row[j]})
			}
		}
	}
	return nil
}

// checkCategoricalPoint is checkCategorical for one point given to Predict.
func checkCategoricalPoint(x []float64, cat []bool) error {
	for j, cj := range cat {
		if cj && j < len(x) && !validCode(x[j]) {
			return fmt.Errorf("%w (a categorical column must hold whole category codes >= 0)",
				&InputError{Row: -1, Column: j, Value: x[j]})
		}
	}
	return nil
}

func validCode(v float64) bool { return v >= 0 && v == math.Trunc(v) && !math.IsInf(v, 0) }

// columnRanges returns max-min of every numeric column of x (0 for
// categorical columns).
func columnRanges(x *matrix.Dense, cat []bool) []float64 {
	d := x.Cols
	lo := make([]float64, d)
	hi := make([]float64, d)
	copy(lo, x.Data[:d])
	copy(hi, x.Data[:d])
	for i := 1; i < x.Rows; i++ {
		for j, v := range x.Data[i*d : i*d+d] {
			lo[j] = min(lo[j], v)
			hi[j] = max(hi[j], v)
		}
	}
	for j := range hi {
		if isCat(cat, j) {
			hi[j] = 0
		} else {
			hi[j] -= lo[j]
		}
	}
	return hi
}
