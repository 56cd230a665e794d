package dataset

import (
	"math"
	"strconv"
)

// Flags describing the syntax of a parsed number.
const (
	numInt      = 1 << iota // integer syntax: no decimal point, no exponent
	numLeadZero             // integer syntax with a leading zero, e.g. "0042"
	numBig                  // integer syntax beyond 2^53 (not exact as float64)
	numPlain                // an integer written as formatNumber writes it: digits, no '+', no leading zero, no "-0"
)

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// isSpace reports whether c is an ASCII space or tab (the only characters
// trimmed from values).
func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// trim removes ASCII spaces and tabs from both ends.
func trim[T string | []byte](b T) T {
	i, j := 0, len(b)
	for i < j && isSpace(b[i]) {
		i++
	}
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

// ParseNumber parses a decimal number the way column inference does:
// surrounding spaces and tabs are ignored; an optional sign, digits with an
// optional decimal point, and an optional exponent are accepted ("-1.5e3",
// ".5", "5."). Thousands separators are accepted only where they cannot be a
// decimal comma: at least two comma groups ("1,234,567") or a comma group
// followed by a decimal point ("1,234.5"); "1,234" alone is rejected. Hex,
// underscores, "Inf" and "NaN" are rejected, as is anything that overflows.
// The result equals strconv.ParseFloat on the same text without commas.
func ParseNumber(s string) (float64, bool) {
	v, _, ok := parseNum(s)
	return v, ok
}

// parseNum is ParseNumber for strings and byte slices, also returning the
// syntax flags (numInt, numLeadZero, numBig).
func parseNum[T string | []byte](b T) (v float64, flags int, ok bool) {
	b = trim(b)
	n := len(b)
	if n == 0 {
		return 0, 0, false
	}
	i := 0
	neg := false
	if c := b[0]; c == '-' || c == '+' {
		neg = c == '-'
		i++
	}
	firstDigit := i
	var mant uint64
	nd := 0 // significant digits in mant
	exp10 := 0
	trunc := false
	dot := false
	for ; i < n; i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		if nd < 19 {
			mant = mant*10 + uint64(d)
			if mant != 0 {
				nd++
			}
		} else {
			exp10++
			trunc = trunc || d != 0
		}
	}
	digits := i - firstDigit
	if i < n && b[i] == '.' {
		dot = true
		i++
		f0 := i
		for ; i < n; i++ {
			d := b[i] - '0'
			if d > 9 {
				break
			}
			if nd < 19 {
				mant = mant*10 + uint64(d)
				if mant != 0 {
					nd++
				}
				exp10--
			} else {
				trunc = trunc || d != 0
			}
		}
		digits += i - f0
	}
	if i < n && b[i] == ',' {
		return parseThousands(b)
	}
	if digits == 0 {
		return 0, 0, false
	}
	hasExp := false
	if i < n && (b[i] == 'e' || b[i] == 'E') {
		hasExp = true
		i++
		eneg := false
		if i < n && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		if i == n {
			return 0, 0, false
		}
		e := 0
		for ; i < n; i++ {
			d := b[i] - '0'
			if d >= 10 {
				return 0, 0, false
			}
			if e < 100000 {
				e = e*10 + int(d)
			}
		}
		if eneg {
			e = -e
		}
		exp10 += e
	}
	if i != n {
		return 0, 0, false
	}
	if !dot && !hasExp {
		flags |= numInt
		if digits > 1 && b[firstDigit] == '0' {
			flags |= numLeadZero
		}
		if trunc || exp10 > 0 || mant > 1<<53 {
			flags |= numBig
		}
		if flags&(numLeadZero|numBig) == 0 && b[0] != '+' && !(neg && mant == 0) {
			flags |= numPlain
		}
	}
	if mant == 0 {
		if neg {
			return math.Copysign(0, -1), flags, true
		}
		return 0, flags, true
	}
	if !trunc && mant > 1<<53 {
		for mant%10 == 0 {
			mant /= 10
			exp10++
		}
	}
	if !trunc && mant <= 1<<53 {
		f := float64(mant)
		fast := true
		switch {
		case exp10 == 0:
		case exp10 > 0 && exp10 <= 22:
			f *= pow10[exp10]
		case exp10 < 0 && exp10 >= -22:
			f /= pow10[-exp10]
		case exp10 > 22 && exp10 <= 22+15:
			m := mant
			for k := exp10 - 22; k > 0 && m <= 1<<53; k-- {
				m *= 10
			}
			if m <= 1<<53 {
				f = float64(m) * 1e22
			} else {
				fast = false
			}
		default:
			fast = false
		}
		if fast {
			if neg {
				f = -f
			}
			return f, flags, true
		}
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, 0, false
	}
	return f, flags, true
}

// parseThousands handles numbers with comma thousands separators (see
// ParseNumber for which forms are accepted).
func parseThousands[T string | []byte](b T) (float64, int, bool) {
	var buf [64]byte
	out := buf[:0]
	i, n := 0, len(b)
	if i < n && (b[i] == '-' || b[i] == '+') {
		out = append(out, b[i])
		i++
	}
	lead := 0
	for i < n && b[i]-'0' < 10 {
		out = append(out, b[i])
		i++
		lead++
	}
	if lead == 0 || lead > 3 || (lead > 1 && out[len(out)-lead] == '0') {
		return 0, 0, false
	}
	groups := 0
	for i < n && b[i] == ',' {
		i++
		for k := 0; k < 3; k++ {
			if i >= n || b[i]-'0' >= 10 {
				return 0, 0, false
			}
			out = append(out, b[i])
			i++
		}
		groups++
		if len(out) > 40 {
			return 0, 0, false
		}
	}
	rest := 0
	if i < n {
		if b[i] != '.' {
			return 0, 0, false
		}
		for ; i < n; i++ {
			if len(out) >= len(buf) {
				return 0, 0, false
			}
			out = append(out, b[i])
			rest++
		}
	}
	if groups == 0 || (groups < 2 && rest == 0) {
		return 0, 0, false
	}
	for _, c := range out {
		if c == ',' {
			return 0, 0, false
		}
	}
	v, flags, ok := parseNum(out)
	return v, flags &^ (numLeadZero | numPlain), ok
}

// IsMissingToken reports whether s marks a missing value: the empty string,
// only spaces/tabs, or (ignoring case and surrounding spaces) NA, N/A, #N/A,
// NaN, NULL, or "?".
func IsMissingToken(s string) bool { return isMissing(s) }

func isMissing[T string | []byte](b T) bool {
	b = trim(b)
	switch len(b) {
	case 0:
		return true
	case 1:
		return b[0] == '?'
	case 2:
		return lower(b[0]) == 'n' && lower(b[1]) == 'a'
	case 3:
		return (lower(b[0]) == 'n' && b[1] == '/' && lower(b[2]) == 'a') ||
			(lower(b[0]) == 'n' && lower(b[1]) == 'a' && lower(b[2]) == 'n')
	case 4:
		return (b[0] == '#' && lower(b[1]) == 'n' && b[2] == '/' && lower(b[3]) == 'a') ||
			(lower(b[0]) == 'n' && lower(b[1]) == 'u' && lower(b[2]) == 'l' && lower(b[3]) == 'l')
	}
	return false
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// CleanText returns a raw field as a string column stores it: "" when
// IsMissingToken(s), otherwise s without surrounding spaces and tabs. The
// prep package uses it to treat a new record's categorical field exactly as
// training rows were treated.
func CleanText(s string) string {
	if isMissing(s) {
		return ""
	}
	return trim(s)
}

// formatNumber renders v without spurious decimals: the shortest text that
// parses back to v, in plain notation unless |v| ≥ 1e21 or < 1e-6.
func formatNumber(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	a := math.Abs(v)
	if a != 0 && (a >= 1e21 || a < 1e-6) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
