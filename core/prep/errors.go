package prep

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors; the errors returned wrap one of them with the column (and
// row) concerned, so test them with errors.Is.
var (
	// ErrUnknownColumn: a Spec names a column the table does not have.
	ErrUnknownColumn = errors.New("prep: unknown column")
	// ErrNotFeature: a column that cannot be a feature was selected
	// (identifier, text, all-missing, or categorical without OneHot).
	ErrNotFeature = errors.New("prep: not a feature")
	// ErrNoFeatures: the selection is empty.
	ErrNoFeatures = errors.New("prep: no feature columns")
	// ErrNoRows: no row is left to fit on.
	ErrNoRows = errors.New("prep: no rows")
	// ErrMissingColumn: a table given to Transform lacks input columns.
	ErrMissingColumn = errors.New("prep: input columns missing")
	// ErrMissingValue: a value is missing where the pipeline drops rows
	// (ImputeDrop), so a single record cannot be transformed.
	ErrMissingValue = errors.New("prep: missing value")
	// ErrBadValue: a value cannot be read as the column's kind.
	ErrBadValue = errors.New("prep: invalid value")
	// ErrNotFinite: a value is, or becomes, infinite or NaN.
	ErrNotFinite = errors.New("prep: value not finite")
	// ErrInvalidPipeline: a Pipeline (usually decoded JSON) is inconsistent.
	ErrInvalidPipeline = errors.New("prep: invalid pipeline")
)

// ValueError reports a problem with one value: which column, which row, and
// what was expected. Err is ErrMissingValue, ErrBadValue or ErrNotFinite.
type ValueError struct {
	Column string
	// Row is the 0-based row index in the table (the numbering of
	// Report.Kept), or -1 for a record given to TransformRecord.
	Row    int
	Detail string // what is wrong and what was expected
	Err    error
}

// Error returns e.g. `prep: column "Income", row 12: value "abc" is not a number`.
func (e *ValueError) Error() string {
	if e.Row < 0 {
		return fmt.Sprintf("prep: field %q: %s", e.Column, e.Detail)
	}
	return fmt.Sprintf("prep: column %q, row %d: %s", e.Column, e.Row, e.Detail)
}

// Unwrap returns the sentinel.
func (e *ValueError) Unwrap() error { return e.Err }

// unknownColumn is the error for a name that is not a column of the table.
func unknownColumn(name string, available []string) error {
	return fmt.Errorf("%w %q; available: %s", ErrUnknownColumn, name, strings.Join(available, ", "))
}
