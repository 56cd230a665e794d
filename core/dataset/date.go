package dataset

import (
	"math"
	"strings"
	"time"
)

// ParseDate parses s with the Go time layout (as found in Column.DateLayout)
// and returns Unix seconds in UTC. Surrounding spaces are ignored; missing
// tokens and text that does not match the layout give false.
func ParseDate(s, layout string) (float64, bool) {
	s = strings.TrimSpace(s)
	if isMissing(s) || layout == "" {
		return 0, false
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return 0, false
	}
	return float64(t.Unix()) + float64(t.Nanosecond())/1e9, true
}

// dateShape is the layout family of a date cell; every cell of a date
// column must share one shape.
type dateShape struct {
	yearFirst bool // yyyy-mm-dd; otherwise a/b/yyyy with a, b day and month in some order
	sep       byte // '-', '/' or '.'
	year2     bool // two-digit year (only a/b/yy)
	tsep      byte // 0 (no time), ' ' or 'T'
	secs      bool // HH:MM:SS rather than HH:MM
	zulu      bool // a trailing 'Z'
}

// dateCell is one parsed date cell before the column's day/month order is
// known. For yearFirst shapes a is the month and b the day.
type dateCell struct {
	shape            dateShape
	a, b, y          int
	sod              int // seconds of the day
	padA, padB, padH bool
}

// packed encodes the cell in one float64 (exact: below 2^53).
func (c *dateCell) packed() float64 {
	return float64((int64(c.y)*10000+int64(c.a)*100+int64(c.b))*86400 + int64(c.sod))
}

func unpack(v float64) (y, a, b, sod int) {
	p := int64(v)
	sod = int(p % 86400)
	p /= 86400
	b = int(p % 100)
	p /= 100
	a = int(p % 100)
	y = int(p / 100)
	return
}

// digitsAt reads 1..max decimal digits at b[i:], returning the value, the
// count and the new index.
func digitsAt[T string | []byte](b T, i, max int) (v, n, j int) {
	j = i
	for j < len(b) && n < max && b[j]-'0' < 10 {
		v = v*10 + int(b[j]-'0')
		j++
		n++
	}
	return v, n, j
}

// parseDateCell recognises the date shapes inference knows: yyyy-mm-dd
// (also with / or .), a/b/yyyy (also with - or .), a/b/yy, each optionally
// followed by " HH:MM" or " HH:MM:SS" (or "T" after a year-first date, and
// an optional "Z").
func parseDateCell[T string | []byte](s T) (c dateCell, ok bool) {
	s = trim(s)
	if len(s) < 6 || len(s) > 32 {
		return c, false
	}
	v1, n1, i := digitsAt(s, 0, 4)
	if n1 == 0 || i >= len(s) {
		return c, false
	}
	sep := s[i]
	if sep != '-' && sep != '/' && sep != '.' {
		return c, false
	}
	v2, n2, i := digitsAt(s, i+1, 2)
	if n2 == 0 || i >= len(s) || s[i] != sep {
		return c, false
	}
	v3, n3, i := digitsAt(s, i+1, 4)
	c.shape.sep = sep
	switch {
	case n1 == 4 && (n3 == 1 || n3 == 2):
		c.shape.yearFirst = true
		c.y, c.a, c.b = v1, v2, v3
		c.padA, c.padB = n2 == 2, n3 == 2
		if c.a < 1 || c.a > 12 || c.b < 1 || c.b > daysIn(c.a, c.y) {
			return c, false
		}
	case n1 <= 2 && (n3 == 4 || (n3 == 2 && sep == '/')):
		c.a, c.b = v1, v2
		c.padA, c.padB = n1 == 2, n2 == 2
		if c.a < 1 || c.b < 1 || c.a > 31 || c.b > 31 || (c.a > 12 && c.b > 12) {
			return c, false
		}
		c.y = v3
		if n3 == 2 {
			c.shape.year2 = true
			if v3 >= 69 {
				c.y = 1900 + v3
			} else {
				c.y = 2000 + v3
			}
		}
	default:
		return c, false
	}
	c.padH = true
	if i == len(s) {
		return c, true
	}
	t := s[i]
	if t != ' ' && !(t == 'T' && c.shape.yearFirst) {
		return c, false
	}
	c.shape.tsep = t
	h, nh, i := digitsAt(s, i+1, 2)
	if nh == 0 || i >= len(s) || s[i] != ':' || h > 23 {
		return c, false
	}
	m, nm, i := digitsAt(s, i+1, 2)
	if nm != 2 || m > 59 {
		return c, false
	}
	c.padH = nh == 2
	c.sod = h*3600 + m*60
	if i < len(s) && s[i] == ':' {
		sec, ns, j := digitsAt(s, i+1, 2)
		if ns != 2 || sec > 59 {
			return c, false
		}
		c.shape.secs = true
		c.sod += sec
		i = j
	}
	if i < len(s) && s[i] == 'Z' {
		c.shape.zulu = true
		i++
	}
	return c, i == len(s)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(m, y int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns days since 1970-01-01 for a proleptic Gregorian date
// (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// dateState accumulates what a date column's cells say about its layout.
type dateState struct {
	shape          dateShape
	unpadA, unpadB bool
	unpadH         bool
	aOver12        bool
	bOver12        bool
}

// add records the cell; false if it does not fit the column's shape.
func (st *dateState) add(c *dateCell) bool {
	if c.shape != st.shape {
		return false
	}
	st.unpadA = st.unpadA || !c.padA
	st.unpadB = st.unpadB || !c.padB
	st.unpadH = st.unpadH || !c.padH
	if !c.shape.yearFirst {
		st.aOver12 = st.aOver12 || c.a > 12
		st.bOver12 = st.bOver12 || c.b > 12
	}
	return !(st.aOver12 && st.bOver12)
}

// dayFirst decides the order of an a/b/yyyy column: a first field above 12
// means day first, a second field above 12 means month first; when no value
// decides, '/' dates are read month first (US) and '-' or '.' dates day
// first (European).
func (st *dateState) dayFirst() bool {
	switch {
	case st.aOver12:
		return true
	case st.bOver12:
		return false
	}
	return st.shape.sep != '/'
}

// layout returns the Go time layout for the column.
func (st *dateState) layout() string {
	sep := string(st.shape.sep)
	pad := func(unpadded bool, p, u string) string {
		if unpadded {
			return u
		}
		return p
	}
	var l string
	if st.shape.yearFirst {
		l = "2006" + sep + pad(st.unpadA, "01", "1") + sep + pad(st.unpadB, "02", "2")
	} else {
		year := "2006"
		if st.shape.year2 {
			year = "06"
		}
		if st.dayFirst() {
			l = pad(st.unpadA, "02", "2") + sep + pad(st.unpadB, "01", "1") + sep + year
		} else {
			l = pad(st.unpadA, "01", "1") + sep + pad(st.unpadB, "02", "2") + sep + year
		}
	}
	if st.shape.tsep != 0 {
		l += string(st.shape.tsep) + "15:04"
		if st.shape.secs {
			l += ":05"
		}
	}
	if st.shape.zulu {
		l += "Z"
	}
	return l
}

// finish converts packed cells (NaN = missing) in place to Unix seconds; it
// reports false, changing nothing, if some cell is not a real date in the
// decided order.
func (st *dateState) finish(num []float64) bool {
	dayFirst := !st.shape.yearFirst && st.dayFirst()
	civil := func(v float64) (y, m, d, sod int) {
		y, m, d, sod = unpack(v)
		if dayFirst {
			m, d = d, m
		}
		return
	}
	for _, v := range num {
		if math.IsNaN(v) {
			continue
		}
		y, m, d, _ := civil(v)
		if m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
			return false
		}
	}
	for i, v := range num {
		if !math.IsNaN(v) {
			y, m, d, sod := civil(v)
			num[i] = float64(daysFromCivil(y, m, d)*86400 + int64(sod))
		}
	}
	return true
}

// renderPacked renders a packed cell back to text in the column's shape
// (used when a column that looked like dates turns out not to be).
func (st *dateState) renderPacked(v float64) string {
	y, a, b, sod := unpack(v)
	two := func(n int, unpadded bool) string {
		if unpadded && n < 10 {
			return string(rune('0' + n))
		}
		return string([]byte{byte('0' + n/10%10), byte('0' + n%10)})
	}
	sep := string(st.shape.sep)
	var s string
	if st.shape.yearFirst {
		s = itoa4(y) + sep + two(a, st.unpadA) + sep + two(b, st.unpadB)
	} else {
		year := itoa4(y)
		if st.shape.year2 {
			year = two(y%100, false)
		}
		s = two(a, st.unpadA) + sep + two(b, st.unpadB) + sep + year
	}
	if st.shape.tsep != 0 {
		s += string(st.shape.tsep) + two(sod/3600, st.unpadH) + ":" + two(sod/60%60, false)
		if st.shape.secs {
			s += ":" + two(sod%60, false)
		}
	}
	if st.shape.zulu {
		s += "Z"
	}
	return s
}

func itoa4(y int) string {
	return string([]byte{byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10)})
}

// yyyymmdd reports whether the integer v reads as a date yyyymmdd between
// 1900 and 2100, and returns its Unix seconds.
func yyyymmdd(v float64) (float64, bool) {
	if v < 19000101 || v > 21001231 || v != math.Trunc(v) {
		return 0, false
	}
	n := int(v)
	y, m, d := n/10000, n/100%100, n%100
	if m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return 0, false
	}
	return float64(daysFromCivil(y, m, d) * 86400), true
}

// formatDate renders Unix seconds with a Go layout.
func formatDate(v float64, layout string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	sec := math.Floor(v)
	return time.Unix(int64(sec), int64((v-sec)*1e9)).UTC().Format(layout)
}
