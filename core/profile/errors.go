package profile

import "errors"

// Sentinel errors; Build wraps them with the column or label concerned, so
// test for them with errors.Is.
var (
	// ErrUnknownColumn: Options.Columns names a column the table does not have.
	ErrUnknownColumn = errors.New("profile: unknown column")
	// ErrNotProfilable: a named column is an identifier, text, date or
	// all-missing column, or is named twice.
	ErrNotProfilable = errors.New("profile: column cannot be profiled")
	// ErrNoColumns: there is no column to profile.
	ErrNoColumns = errors.New("profile: no columns to profile")
	// ErrLabels: the labels do not fit the table (wrong length, a label
	// below -2, or no clustered row at all).
	ErrLabels = errors.New("profile: invalid labels")
	// ErrOptions: an option is out of range.
	ErrOptions = errors.New("profile: invalid options")
	// ErrNoSegment: Rename names a segment the profile does not have.
	ErrNoSegment = errors.New("profile: no such segment")
	// ErrName: Rename was given an empty name or one another segment has.
	ErrName = errors.New("profile: invalid name")
)
