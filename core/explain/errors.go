package explain

import (
	"errors"

	"github.com/segkit/segkit/core/profile"
)

// Sentinel errors; Tree wraps them with the column or label concerned, so
// test for them with errors.Is. The column errors are the profile package's:
// a tree splits on exactly the columns a profile describes (profile.Columns).
var (
	// ErrUnknownColumn: Options.Columns names a column the table does not have.
	ErrUnknownColumn = profile.ErrUnknownColumn
	// ErrNotFeature: a named column is an identifier, text, date or
	// all-missing column, or is named twice.
	ErrNotFeature = profile.ErrNotProfilable
	// ErrNoColumns: there is no feature column.
	ErrNoColumns = profile.ErrNoColumns
	// ErrLabels: the labels do not fit the table (wrong length, a label
	// below -2, or no clustered row).
	ErrLabels = errors.New("explain: invalid labels")
	// ErrOptions: an option is out of range.
	ErrOptions = errors.New("explain: invalid options")
)
