package dataset

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Inference modes of a column while reading.
const (
	modeUnknown = iota // only missing cells so far
	modeNum            // numbers (Num)
	modeDate           // dates (Num holds packed cells until the end)
	modeStr            // strings (Str)
)

// internLimit is the number of distinct strings a column interns; beyond it
// the column cannot be categorical (see catThreshold) and strings are kept
// as they come.
const internLimit = 1000

// builder accumulates one column.
type builder struct {
	name    string
	hint    int // expected number of rows (capacity to reserve), 0 if unknown
	mode    int
	rows    int
	missing int
	num     []float64
	str     []string
	allInt  bool
	plain   bool // every number so far written as formatNumber renders it (see numPlain)
	date    dateState

	from int // the mode a string column was turned from (modeUnknown if it was text from the first value)

	intern   map[string]string
	overflow bool // more than internLimit distinct values
	spaced   int  // values with inner whitespace
	coded    int  // single-token values holding a digit
	totalLen int

	// A column of a part read elsewhere (ReadSplit), before it is joined:
	// for text, its distinct values and a code per row (0 for missing, i
	// for dict[i-1]; nil when the column holds too many distinct values).
	dict  []string
	codes []uint32
	raw   []byte // the numbers of a part's column as sent, until joined
}

func (c *builder) add(d *decoder, b []byte) {
	c.rows++
	switch c.mode {
	case modeNum:
		v, fl, ok := parseNum(b)
		if ok && fl&(numLeadZero|numBig) == 0 {
			c.num = append(c.num, v)
			if fl&numInt == 0 {
				c.allInt = false
			}
			if fl&numPlain == 0 {
				c.plain = false
			}
			return
		}
		if !ok && isMissing(b) {
			c.num = append(c.num, math.NaN())
			c.missing++
			return
		}
		c.toStr()
	case modeDate:
		if d, ok := parseDateCell(b); ok && c.date.add(&d) {
			c.num = append(c.num, d.packed())
			return
		}
		if isMissing(b) {
			c.num = append(c.num, math.NaN())
			c.missing++
			return
		}
		c.toStr()
	case modeUnknown:
		if isMissing(b) {
			c.missing++
			return
		}
		c.rows--
		c.first(b)
		c.add(d, b)
		return
	}
	// modeStr
	if isMissing(b) {
		c.str = append(c.str, "")
		c.missing++
		return
	}
	c.str = append(c.str, c.value(d.bytes(trim(b))))
}

// first picks the column's mode from its first non-missing value, padding
// the earlier (missing) rows.
func (c *builder) first(b []byte) {
	n := c.rows
	if _, fl, ok := parseNum(b); ok && fl&(numLeadZero|numBig) == 0 {
		c.mode = modeNum
		c.allInt, c.plain = true, true
	} else if d, ok := parseDateCell(b); ok {
		c.mode = modeDate
		c.date = dateState{shape: d.shape}
	} else {
		c.mode = modeStr
		c.str = make([]string, n, max(n, 16, c.hint))
		return
	}
	c.num = make([]float64, n, max(n, 16, c.hint))
	for i := range c.num {
		c.num[i] = math.NaN()
	}
}

// value interns s (for low-cardinality columns) and keeps the statistics
// the kind decision needs.
func (c *builder) value(b []byte) string {
	c.totalLen += len(b)
	sp, digit := false, false
	for _, ch := range b {
		if ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' {
			sp = true
		} else if ch-'0' < 10 {
			digit = true
		}
	}
	if sp {
		c.spaced++
	} else if digit {
		c.coded++
	}
	if c.overflow {
		return string(b)
	}
	if s, ok := c.intern[string(b)]; ok {
		return s
	}
	if c.intern == nil {
		c.intern = make(map[string]string)
	}
	s := string(b)
	if len(c.intern) >= internLimit {
		c.overflow = true
		c.intern = nil
		return s
	}
	c.intern[s] = s
	return s
}

// toStr turns a numeric or date column into a string column, rendering the
// values read so far (numbers in their shortest form — "1,234,567" comes
// back as "1234567" — and dates in the column's shape).
func (c *builder) toStr() {
	old, mode := c.num, c.mode
	c.mode, c.from = modeStr, mode
	c.num = nil
	c.str = make([]string, len(old), max(2*len(old), 16, c.hint))
	for i, v := range old {
		if math.IsNaN(v) {
			continue
		}
		var s string
		if mode == modeDate {
			s = c.date.renderPacked(v)
		} else {
			s = formatNumber(v)
		}
		c.str[i] = c.value([]byte(s))
	}
}

// renderInts renders whole numbers as strings ("" for NaN), all sharing one
// allocation.
func renderInts(num []float64) []string {
	var sb strings.Builder
	sb.Grow(len(num) * 8)
	ends := make([]int, len(num))
	var buf []byte
	for i, v := range num {
		switch {
		case math.IsNaN(v):
		case math.Abs(v) < 1<<62:
			buf = strconv.AppendInt(buf[:0], int64(v), 10)
			sb.Write(buf)
		default:
			sb.WriteString(formatNumber(v))
		}
		ends[i] = sb.Len()
	}
	all := sb.String()
	out := make([]string, len(num))
	start := 0
	for i, e := range ends {
		out[i] = all[start:e]
		start = e
	}
	return out
}

// clip returns s without much unused capacity.
func clip[T any](s []T) []T {
	if cap(s)-len(s) > len(s)/4+4096 {
		return slices.Clone(s)
	}
	return s
}

// catThreshold is the most distinct values a categorical column of n
// non-missing values may have: max(20, min(1000, n/10)).
func catThreshold(n int) int {
	return max(20, min(internLimit, n/10))
}

// finish builds the typed column.
func (c *builder) finish(rows int) *Column {
	col := &Column{Name: c.name, Missing: c.missing}
	switch c.mode {
	case modeUnknown:
		col.Kind = KindEmpty
		col.Missing = rows
		return col
	case modeDate:
		if c.date.finish(c.num) {
			col.Kind, col.Num, col.DateLayout = KindDate, clip(c.num), c.date.layout()
			return col
		}
		// Not real dates in any one order: text after all.
		c.toStr()
	case modeNum:
		col.Num = c.num
		col.Kind = KindFloat
		if c.allInt {
			col.Kind = KindInteger
			if toDates(c.num) {
				col.Kind, col.DateLayout = KindDate, "20060102"
			} else if isIDName(c.name) && keyLike(c.num) {
				col.Kind, col.Num = KindIdentifier, nil
				col.Str = renderInts(c.num)
			}
		}
		if col.Num != nil {
			col.Num = clip(col.Num)
		}
		return col
	}
	col.Str = clip(c.str)
	col.Kind = c.stringKind()
	return col
}

// stringKind applies the rules for string columns (see doc.go).
func (c *builder) stringKind() Kind {
	n := c.rows - c.missing
	if n <= 0 {
		return KindEmpty
	}
	if !c.overflow {
		d := len(c.intern)
		if n >= 2 && d*100 >= 95*n && (c.coded*10 >= 9*n || isIDName(c.name)) {
			return KindIdentifier
		}
		if d <= catThreshold(n) {
			return KindCategorical
		}
	}
	if c.spaced*10 >= n || c.totalLen > 50*n {
		return KindText
	}
	return KindIdentifier
}

// toDates converts an integer column in place to dates when every value
// reads as yyyymmdd (1900–2100); it leaves the column alone otherwise.
func toDates(num []float64) bool {
	seen := false
	for _, v := range num {
		if math.IsNaN(v) {
			continue
		}
		if _, ok := yyyymmdd(v); !ok {
			return false
		}
		seen = true
	}
	if !seen {
		return false
	}
	for i, v := range num {
		if !math.IsNaN(v) {
			num[i], _ = yyyymmdd(v)
		}
	}
	return true
}

// keyLike reports whether an integer column named like an id holds keys
// rather than codes: its values are unique (a customer table), or it has
// more than idMinDistinct distinct values (the customer id of a transaction
// log, where each customer has many rows). A handful of values named like
// an id (a RegionID 1–5) stays a number.
func keyLike(num []float64) bool {
	d, n := distinctNums(num)
	return n >= 2 && (d == n || d > idMinDistinct)
}

// idMinDistinct is the number of distinct values above which an integer
// column named like an id is an identifier even when its values repeat.
const idMinDistinct = 100

// distinctNums returns the number of distinct non-missing values and the
// number of non-missing values.
func distinctNums(num []float64) (distinct, n int) {
	vals := make([]float64, 0, len(num))
	for _, v := range num {
		if !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return 0, 0
	}
	slices.Sort(vals)
	distinct = 1
	for i := 1; i < len(vals); i++ {
		if vals[i] != vals[i-1] {
			distinct++
		}
	}
	return distinct, len(vals)
}

// isIDName reports whether a column name has the word "id" in it
// ("ID", "CustomerID", "customer_id", "userId", "id_client"; not "Paid",
// "Kidhome"), or "uuid"/"guid".
func isIDName(name string) bool {
	words := NameWords(name)
	for _, w := range words {
		switch w {
		case "id", "uid", "uuid", "guid":
			return true
		}
	}
	return false
}

// NameWords splits a column name into lower-case words at anything that is
// not a letter or digit and where a lower-case letter or digit is followed
// by an upper-case one: "Annual Income (k$)" → annual income k,
// "CustomerID" → customer id, "invoice_date" → invoice date. Every package
// that recognises columns by their names (identifiers here, RFM columns,
// age and latitude/longitude columns) uses it, so they agree on what a word
// is.
func NameWords(s string) []string {
	var words []string
	var cur []rune
	prevLower := false
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			prevLower = false
			continue
		}
		if unicode.IsUpper(r) && prevLower {
			flush()
		}
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		cur = append(cur, unicode.ToLower(r))
	}
	flush()
	return words
}
