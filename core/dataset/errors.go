package dataset

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Errors returned by this package wrap one of these (test
// with errors.Is); errors tied to a place in the file are a *ParseError.
var (
	// ErrEmpty reports a file with no records at all (zero bytes, or only
	// blank lines and a byte order mark).
	ErrEmpty = errors.New("dataset: empty file")
	// ErrHeaderOnly reports a file with a header row but no data rows.
	ErrHeaderOnly = errors.New("dataset: header but no data rows")
	// ErrBinary reports input that is not delimited text: NUL bytes, a
	// known binary signature (zip/xlsx, xls, gzip, pdf), UTF-16, or mostly
	// control characters.
	ErrBinary = errors.New("dataset: not a text file")
	// ErrUnterminatedQuote reports a quoted field whose closing quote never
	// came (the file ended, or the field grew beyond the record size limit).
	ErrUnterminatedQuote = errors.New("dataset: unterminated quoted field")
	// ErrFieldCount reports, in strict mode, a record whose number of fields
	// differs from the header (or from the first record).
	ErrFieldCount = errors.New("dataset: wrong number of fields")
	// ErrTooLong reports a record longer than the record size limit
	// (64 MiB), which nearly always means a stray quote.
	ErrTooLong = errors.New("dataset: record too long")
	// ErrTooWide reports a file with more than 65,536 columns.
	ErrTooWide = errors.New("dataset: too many columns")
	// ErrEncoding reports an Options.Encoding this package does not know.
	ErrEncoding = errors.New("dataset: unknown encoding")
)

// ParseError is a problem at a known place in the file.
type ParseError struct {
	Line   int    // 1-based physical line (line breaks of any style count once)
	Column int    // 1-based field index, 0 if not tied to a field
	Field  string // column name when known
	Err    error  // wraps one of the sentinel errors
}

// Error formats the error as
// `dataset: line 12, column 3 ("Age"): unterminated quoted field`.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("dataset: line ")
	b.WriteString(strconv.Itoa(e.Line))
	if e.Column > 0 {
		b.WriteString(", column ")
		b.WriteString(strconv.Itoa(e.Column))
		if e.Field != "" {
			b.WriteString(" (")
			b.WriteString(strconv.Quote(e.Field))
			b.WriteString(")")
		}
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "dataset: "))
	} else {
		b.WriteString("parse error")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }
