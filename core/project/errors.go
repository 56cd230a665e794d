package project

import (
	"errors"
	"fmt"
	"math"

	"github.com/segkit/segkit/core/matrix"
)

// Sentinel errors. Errors returned by this package wrap one of these, so test
// for them with errors.Is; a non-finite value is reported as a *ValueError.
var (
	// ErrInvalidInput reports a nil or malformed matrix, a matrix with no
	// columns or fewer than two rows to fit, or a NaN or infinite value.
	ErrInvalidInput = errors.New("project: invalid input")

	// ErrInvalidSettings reports a PCA setting out of range.
	ErrInvalidSettings = errors.New("project: invalid settings")

	// ErrTooWide reports data with more than MaxColumns columns.
	ErrTooWide = errors.New("project: too many columns")

	// ErrDimensionMismatch reports rows whose width differs from the
	// projection's.
	ErrDimensionMismatch = errors.New("project: dimension mismatch")

	// ErrInvalidProjection reports a Projection whose fields disagree, such
	// as one decoded from damaged JSON.
	ErrInvalidProjection = errors.New("project: invalid projection")

	// ErrNoConvergence reports that the eigen-decomposition did not
	// converge; the cyclic Jacobi method converges quadratically, so this
	// means the covariance matrix was not finite.
	ErrNoConvergence = errors.New("project: eigen-decomposition did not converge")
)

// ValueError reports a NaN or infinite value at a place in the data.
type ValueError struct {
	Row    int // 0-based row, -1 for the single row given to Point
	Column int // 0-based column
	Value  float64
}

// Error formats the error as "project: row 3, column 1 is NaN".
func (e *ValueError) Error() string {
	if e.Row < 0 {
		return fmt.Sprintf("project: column %d is %v", e.Column, e.Value)
	}
	return fmt.Sprintf("project: row %d, column %d is %v", e.Row, e.Column, e.Value)
}

// Unwrap returns ErrInvalidInput.
func (e *ValueError) Unwrap() error { return ErrInvalidInput }

// checkShape validates that x is non-nil and holds Rows×Cols values.
func checkShape(x *matrix.Dense) error {
	if x == nil {
		return fmt.Errorf("project: data matrix is nil: %w", ErrInvalidInput)
	}
	if x.Rows < 0 || x.Cols < 0 || len(x.Data) != x.Rows*x.Cols {
		return fmt.Errorf("project: data matrix is %d×%d but holds %d values: %w",
			x.Rows, x.Cols, len(x.Data), ErrInvalidInput)
	}
	return nil
}

// checkFinite returns a *ValueError for the first NaN or infinite value of
// data, a row-major matrix with d columns (d > 0); row is the index of the
// first row of data, or -1 for a single point.
func checkFinite(data []float64, d, row int) error {
	for i, v := range data {
		if v-v != 0 { // NaN or ±Inf
			r := -1
			if row >= 0 {
				r = row + i/d
			}
			return &ValueError{Row: r, Column: i % d, Value: v}
		}
	}
	return nil
}

// isFinite reports whether v is neither NaN nor infinite.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
