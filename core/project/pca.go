package project

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/segkit/segkit/core/matrix"
)

const (
	// DefaultComponents is the number of components when PCA.Components is
	// zero: two, for a scatter plot.
	DefaultComponents = 2

	// DefaultSampleSize is the number of rows PCA.Fit uses at most when
	// PCA.SampleSize is zero.
	DefaultSampleSize = 100_000

	// MaxColumns is the most columns PCA.Fit accepts: the cyclic Jacobi
	// eigen-decomposition costs O(d³) per sweep.
	MaxColumns = 1000
)

// transformRows is the number of rows in one unit of parallel work in
// Transform.
const transformRows = 4096

// PCA holds the settings of a principal component analysis. The zero value
// fits two components on at most DefaultSampleSize rows.
type PCA struct {
	// Components is the number of principal components to keep, between 1
	// and the number of columns. Zero means DefaultComponents, or 1 when the
	// data have a single column. Components beyond the rank of the rows used
	// have zero variance and an arbitrary (but deterministic) direction.
	Components int

	// SampleSize is the number of rows used to fit, at least 2. Zero means
	// DefaultSampleSize. When the data have more rows, Fit uses the rows
	// Sample(n, SampleSize, Seed) chooses; otherwise it uses every row and
	// Seed has no effect.
	SampleSize int

	// Seed fixes the sample of rows; the same seed gives the same
	// projection natively and in the browser.
	Seed uint64
}

// Projection is a fitted PCA: it maps a row x of d values to the
// coordinates (x − Mean)·c for each component c, like scikit-learn's
// PCA.transform. It encodes to JSON with snake_case keys, Components as an
// array of rows.
type Projection struct {
	// Mean is the mean of the rows used to fit, one value per column.
	Mean []float64 `json:"mean"`

	// Components holds one unit-length principal axis per row
	// (Components×d), in decreasing order of explained variance; each
	// row's largest entry in magnitude is positive (see the package
	// documentation).
	Components *matrix.Dense `json:"components"`

	// ExplainedVariance is the variance of the rows used along each
	// component, with the n−1 denominator (scikit-learn's
	// explained_variance_).
	ExplainedVariance []float64 `json:"explained_variance"`

	// ExplainedVarianceRatio is each ExplainedVariance divided by the total
	// variance of the rows used (the sum over all d components, not only
	// those kept), or zero when the total variance is zero.
	ExplainedVarianceRatio []float64 `json:"explained_variance_ratio"`

	// SampleSize is the number of rows the projection was fitted on.
	SampleSize int `json:"sample_size"`
}

// Fit computes the principal components of the rows of x (n×d), using a
// seeded sample of rows when n exceeds the sample size. It returns an error
// wrapping ErrInvalidInput when x is nil or malformed, has no columns, has
// fewer than two rows, or holds a NaN or infinite value (a *ValueError
// naming its row and column; every row is checked, sampled or not);
// ErrTooWide when d > MaxColumns; and ErrInvalidSettings when a setting is
// out of range. A nil *PCA fits with the default settings.
func (p *PCA) Fit(x *matrix.Dense) (*Projection, error) {
	if p == nil {
		p = &PCA{}
	}
	if err := checkShape(x); err != nil {
		return nil, err
	}
	n, d := x.Rows, x.Cols
	if d == 0 {
		return nil, fmt.Errorf("project: data have no columns: %w", ErrInvalidInput)
	}
	if d > MaxColumns {
		return nil, fmt.Errorf("project: %d columns, at most %d supported (the eigen-decomposition costs O(d³)); select fewer features or one-hot encode fewer categories: %w",
			d, MaxColumns, ErrTooWide)
	}
	k := p.Components
	switch {
	case k == 0:
		k = min(DefaultComponents, d)
	case k < 0 || k > d:
		return nil, fmt.Errorf("project: Components is %d, want 1..%d (the number of columns): %w",
			p.Components, d, ErrInvalidSettings)
	}
	size := p.SampleSize
	switch {
	case size == 0:
		size = DefaultSampleSize
	case size < 2:
		return nil, fmt.Errorf("project: SampleSize is %d, want at least 2 (or 0 for %d): %w",
			p.SampleSize, DefaultSampleSize, ErrInvalidSettings)
	}
	if n < 2 {
		return nil, fmt.Errorf("project: %d rows, need at least 2 to fit: %w", n, ErrInvalidInput)
	}
	if err := checkFinite(x.Data, d, 0); err != nil {
		return nil, err
	}

	r := &rows{data: x.Data, d: d, m: n}
	if n > size {
		r.idx = Sample(n, size, p.Seed)
		r.m = size
	}
	mean, cov, err := covariance(r)
	if err != nil {
		return nil, err
	}
	trace := 0.0
	for j := range d {
		trace += cov[j*d+j]
	}
	vals, vecs, err := symEigen(cov, d)
	if err != nil {
		return nil, err
	}

	pr := &Projection{
		Mean:                   mean,
		Components:             matrix.New(k, d),
		ExplainedVariance:      make([]float64, k),
		ExplainedVarianceRatio: make([]float64, k),
		SampleSize:             r.m,
	}
	copy(pr.Components.Data, vecs[:k*d])
	for c := range k {
		orient(pr.Components.Row(c))
		ev := max(vals[c], 0) // rounding can leave a zero eigenvalue slightly negative
		pr.ExplainedVariance[c] = ev
		if trace > 0 {
			pr.ExplainedVarianceRatio[c] = ev / trace
		}
	}
	return pr, nil
}

// orient flips v so that its largest entry in magnitude is positive; of the
// entries within a relative 1e-9 of the largest magnitude, the first counts.
func orient(v []float64) {
	big := 0.0
	for _, x := range v {
		big = max(big, math.Abs(x))
	}
	for _, x := range v {
		if math.Abs(x) >= big*(1-1e-9) {
			if x < 0 {
				for j := range v {
					v[j] = -v[j]
				}
			}
			return
		}
	}
}

// Transform returns the coordinates of every row of x on the components, an
// n×Components matrix. x must have as many columns as the data pr was
// fitted on (else ErrDimensionMismatch) and finite values (else a
// *ValueError).
func (pr *Projection) Transform(x *matrix.Dense) (*matrix.Dense, error) {
	if err := pr.validate(); err != nil {
		return nil, err
	}
	if err := checkShape(x); err != nil {
		return nil, err
	}
	d, k := len(pr.Mean), pr.Components.Rows
	if x.Cols != d {
		return nil, fmt.Errorf("project: data have %d columns, the projection %d: %w",
			x.Cols, d, ErrDimensionMismatch)
	}
	n := x.Rows
	out := matrix.New(n, k)
	if n == 0 {
		return out, nil
	}
	if err := checkFinite(x.Data, d, 0); err != nil {
		return nil, err
	}
	chunks := (n + transformRows - 1) / transformRows
	err := forEach(chunks, func(c int) {
		buf := make([]float64, d)
		for i := c * transformRows; i < min(n, (c+1)*transformRows); i++ {
			pr.project(x.Row(i), out.Row(i), buf)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Point returns the coordinates of one row on the components, exactly as
// Transform computes them. row must have as many values as the data pr was
// fitted on (else ErrDimensionMismatch), all finite (else a *ValueError with
// Row -1).
func (pr *Projection) Point(row []float64) ([]float64, error) {
	if err := pr.validate(); err != nil {
		return nil, err
	}
	d := len(pr.Mean)
	if len(row) != d {
		return nil, fmt.Errorf("project: point has %d values, the projection %d columns: %w",
			len(row), d, ErrDimensionMismatch)
	}
	if err := checkFinite(row, d, -1); err != nil {
		return nil, err
	}
	out := make([]float64, pr.Components.Rows)
	pr.project(row, out, make([]float64, d))
	return out, nil
}

// project writes the coordinates of row into out, using buf (d values) for
// the centred row. Each coordinate is summed in column order without fused
// multiply-adds, so it is identical on every platform.
func (pr *Projection) project(row, out, buf []float64) {
	d := len(pr.Mean)
	for j, v := range row[:d] {
		buf[j] = v - pr.Mean[j]
	}
	for c := range out {
		comp := pr.Components.Data[c*d : c*d+d]
		s := 0.0
		for j, v := range buf {
			s += float64(v * comp[j])
		}
		out[c] = s
	}
}

// validate checks that the fields of pr agree with one another and are
// finite.
func (pr *Projection) validate() error {
	if pr == nil {
		return fmt.Errorf("project: projection is nil: %w", ErrInvalidProjection)
	}
	c := pr.Components
	d := len(pr.Mean)
	switch {
	case d == 0:
		return fmt.Errorf("project: projection has no mean: %w", ErrInvalidProjection)
	case c == nil || c.Rows < 1 || c.Cols != d || len(c.Data) != c.Rows*c.Cols:
		return fmt.Errorf("project: projection components do not form a k×%d matrix: %w", d, ErrInvalidProjection)
	case len(pr.ExplainedVariance) != c.Rows || len(pr.ExplainedVarianceRatio) != c.Rows:
		return fmt.Errorf("project: projection has %d components but %d explained variances and %d ratios: %w",
			c.Rows, len(pr.ExplainedVariance), len(pr.ExplainedVarianceRatio), ErrInvalidProjection)
	}
	for _, s := range [][]float64{pr.Mean, c.Data, pr.ExplainedVariance, pr.ExplainedVarianceRatio} {
		for _, v := range s {
			if !isFinite(v) {
				return fmt.Errorf("project: projection holds %v: %w", v, ErrInvalidProjection)
			}
		}
	}
	return nil
}

// projectionJSON is the JSON form of a Projection.
type projectionJSON struct {
	Mean                   []float64   `json:"mean"`
	Components             [][]float64 `json:"components"`
	ExplainedVariance      []float64   `json:"explained_variance"`
	ExplainedVarianceRatio []float64   `json:"explained_variance_ratio"`
	SampleSize             int         `json:"sample_size"`
}

// MarshalJSON encodes pr with snake_case keys and the components as an
// array of rows.
func (pr *Projection) MarshalJSON() ([]byte, error) {
	if err := pr.validate(); err != nil {
		return nil, err
	}
	j := projectionJSON{
		Mean:                   pr.Mean,
		Components:             make([][]float64, pr.Components.Rows),
		ExplainedVariance:      pr.ExplainedVariance,
		ExplainedVarianceRatio: pr.ExplainedVarianceRatio,
		SampleSize:             pr.SampleSize,
	}
	for c := range j.Components {
		j.Components[c] = pr.Components.Row(c)
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes the form MarshalJSON writes and checks that the
// fields agree (else ErrInvalidProjection).
func (pr *Projection) UnmarshalJSON(b []byte) error {
	var j projectionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("project: decoding projection: %w", err)
	}
	comps, err := matrix.FromRows(j.Components)
	if err != nil || len(j.Components) == 0 {
		return fmt.Errorf("project: projection components are not a non-empty matrix: %w", ErrInvalidProjection)
	}
	dec := Projection{
		Mean:                   j.Mean,
		Components:             comps,
		ExplainedVariance:      j.ExplainedVariance,
		ExplainedVarianceRatio: j.ExplainedVarianceRatio,
		SampleSize:             j.SampleSize,
	}
	if err := dec.validate(); err != nil {
		return err
	}
	*pr = dec
	return nil
}
