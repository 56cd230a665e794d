package dataset

import (
	"math"
	"strconv"
)

// Kind is the inferred type of a column.
type Kind uint8

// The column kinds, in the order inference tries them.
const (
	KindEmpty       Kind = iota // every cell is missing
	KindInteger                 // whole numbers (thousands separators allowed when unambiguous)
	KindFloat                   // real numbers: sign, decimals, exponent
	KindDate                    // dates or date-times; Num holds Unix seconds (UTC)
	KindCategorical             // few distinct strings (or few distinct codes)
	KindIdentifier              // unique or near-unique values such as "0001" or "C10001": never a feature by default
	KindText                    // free text with many distinct values
)

var kindNames = [...]string{"empty", "integer", "float", "date", "categorical", "identifier", "text"}

// String returns the lower-case name of the kind, as printed by the CLI.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind is the inverse of Kind.String.
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	return 0, false
}

// IsNumeric reports whether the column's values are numbers (integer or float).
func (k Kind) IsNumeric() bool { return k == KindInteger || k == KindFloat }

// Column is one typed column of a Table.
//
// Numeric and date columns keep their values in Num, with NaN marking a
// missing cell (Missing counts them; a missing value is never a zero).
// Categorical, identifier and text columns keep their values in Str, with
// the empty string marking a missing cell. Exactly one of Num and Str is
// non-nil, except for KindEmpty where both are nil.
type Column struct {
	Name    string
	Kind    Kind
	Missing int       // number of missing cells
	Num     []float64 // integer, float and date columns; NaN = missing
	Str     []string  // categorical, identifier and text columns; "" = missing

	// DateLayout is the Go time layout that parsed a date column,
	// e.g. "02/01/2006 15:04" for dd/mm/yyyy HH:MM.
	DateLayout string
}

// Len returns the number of rows in the column.
func (c *Column) Len() int {
	if c.Num != nil {
		return len(c.Num)
	}
	return len(c.Str)
}

// IsMissing reports whether row i of the column is missing.
func (c *Column) IsMissing(i int) bool {
	switch {
	case c.Num != nil:
		return math.IsNaN(c.Num[i])
	case c.Str != nil:
		return c.Str[i] == ""
	}
	return true
}

// Table is a whole file read into typed columns.
type Table struct {
	Columns []*Column
	Rows    int    // data rows kept (header and skipped rows excluded)
	Format  Format // what was detected (or given) about the file
	// Skipped lists data rows that were dropped (ragged rows), in file order.
	// SkippedCount may exceed len(Skipped): only the first few are listed.
	Skipped      []RowIssue
	SkippedCount int
}

// RowIssue describes a row that could not be kept.
type RowIssue struct {
	Line   int    // 1-based physical line where the record starts
	Fields int    // number of fields found
	Want   int    // number of fields expected (from the header or first row)
	Reason string // short human-readable reason
}

// Index returns the position of the column named name, or -1.
func (t *Table) Index(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Column returns the column named name, or nil.
func (t *Table) Column(name string) *Column {
	if i := t.Index(name); i >= 0 {
		return t.Columns[i]
	}
	return nil
}

// Names returns the column names in file order.
func (t *Table) Names() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// Format records how a file is laid out.
type Format struct {
	// Delimiter is the field separator: ',', ';', '\t', '|', or ' ' meaning
	// runs of spaces/tabs (fixed-width style exports).
	Delimiter rune
	Header    bool   // the first record holds column names
	Encoding  string // "utf-8" or "windows-1252" (which covers Latin-1)
	BOM       bool   // a UTF-8 byte order mark was present (and removed)
	// LineEnding is the dominant line ending: "LF", "CRLF", "CR" or "CRCRLF".
	LineEnding string
}
