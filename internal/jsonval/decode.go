package jsonval

import (
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects Decode reads, as
// encoding/json's.
const MaxDepth = 10000

// Errors of Decode besides *SyntaxError.
var (
	ErrEmpty     = errors.New("jsonval: no JSON value, only whitespace")
	ErrTruncated = errors.New("jsonval: the input ends inside the JSON value")
	ErrTrailing  = errors.New("jsonval: data after the JSON value")
)

// SyntaxError is a byte that cannot come where it is.
type SyntaxError struct {
	Offset int    // the byte at fault is the Offset-th, counting from 1, as in encoding/json's SyntaxError
	Msg    string // encoding/json's message, e.g. "invalid character 'x' in numeric literal"
}

func (e *SyntaxError) Error() string {
	return "jsonval: " + e.Msg + " at byte " + strconv.Itoa(e.Offset)
}

// Decode reads the JSON value that data holds (see the package
// documentation).
func Decode(data []byte) (any, error) {
	d := decoder{data: data}
	d.skipSpace()
	if d.i == len(d.data) {
		return nil, ErrEmpty
	}
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.i < len(d.data) {
		return nil, ErrTrailing
	}
	return v, nil
}

// decoder reads data from byte i.
type decoder struct {
	data  []byte
	i     int
	depth int
}

func (d *decoder) skipSpace() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// fail is the error of the byte at i: ErrTruncated past the end, else a
// SyntaxError naming the byte and what was expected.
func (d *decoder) fail(expected string) error {
	if d.i >= len(d.data) {
		return ErrTruncated
	}
	return &SyntaxError{Offset: d.i + 1, Msg: "invalid character " + quoteByte(d.data[d.i]) + " " + expected}
}

// quoteByte names a byte as encoding/json's errors do: 'x', '\n'.
func quoteByte(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// value reads the value at i, which is not whitespace.
func (d *decoder) value() (any, error) {
	if d.i == len(d.data) {
		return nil, ErrTruncated
	}
	switch c := d.data[d.i]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		return s, nil
	case c == '-' || '0' <= c && c <= '9':
		n, err := d.number()
		if err != nil {
			return nil, err
		}
		return n, nil
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	}
	return nil, d.fail("looking for beginning of value")
}

// literal reads the literal lit (true, false, null) at i.
func (d *decoder) literal(lit string) error {
	for j := range len(lit) {
		if d.i == len(d.data) || d.data[d.i] != lit[j] {
			return d.fail("in literal " + lit + " (expecting " + quoteByte(lit[j]) + ")")
		}
		d.i++
	}
	return nil
}

// open counts one more level of nesting at the bracket at i and steps
// past it; empty reports that the closing bracket follows at once (and is
// read).
func (d *decoder) open(closing byte) (empty bool, err error) {
	d.depth++
	if d.depth > MaxDepth {
		return false, d.fail("exceeded max depth")
	}
	d.i++
	d.skipSpace()
	if d.i < len(d.data) && d.data[d.i] == closing {
		d.i++
		d.depth--
		return true, nil
	}
	return false, nil
}

// more reads what follows a member or an element: a comma (more to come)
// or the closing bracket; after names the place in errors.
func (d *decoder) more(closing byte, after string) (bool, error) {
	d.skipSpace()
	if d.i == len(d.data) {
		return false, ErrTruncated
	}
	switch d.data[d.i] {
	case ',':
		d.i++
		d.skipSpace()
		return true, nil
	case closing:
		d.i++
		d.depth--
		return false, nil
	}
	return false, d.fail(after)
}

func (d *decoder) object() (any, error) {
	m := map[string]any{}
	empty, err := d.open('}')
	if err != nil || empty {
		return m, err
	}
	for more := true; more; {
		if d.i == len(d.data) || d.data[d.i] != '"' {
			return nil, d.fail("looking for beginning of object key string")
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.i == len(d.data) || d.data[d.i] != ':' {
			return nil, d.fail("after object key")
		}
		d.i++
		d.skipSpace()
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m[k] = v
		if more, err = d.more('}', "after object key:value pair"); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (d *decoder) array() (any, error) {
	a := []any{}
	empty, err := d.open(']')
	if err != nil || empty {
		return a, err
	}
	for more := true; more; {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		if more, err = d.more(']', "after array element"); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// number reads a number by the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *decoder) number() (json.Number, error) {
	start := d.i
	if d.data[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.data) && d.data[d.i] == '0':
		d.i++
	case d.i < len(d.data) && '1' <= d.data[d.i] && d.data[d.i] <= '9':
		d.digits()
	default:
		return "", d.fail("in numeric literal")
	}
	if d.i < len(d.data) && d.data[d.i] == '.' {
		d.i++
		if !d.isDigit() {
			return "", d.fail("after decimal point in numeric literal")
		}
		d.digits()
	}
	if d.i < len(d.data) && (d.data[d.i] == 'e' || d.data[d.i] == 'E') {
		d.i++
		if d.i < len(d.data) && (d.data[d.i] == '+' || d.data[d.i] == '-') {
			d.i++
		}
		if !d.isDigit() {
			return "", d.fail("in exponent of numeric literal")
		}
		d.digits()
	}
	return json.Number(d.data[start:d.i]), nil
}

func (d *decoder) isDigit() bool {
	return d.i < len(d.data) && '0' <= d.data[d.i] && d.data[d.i] <= '9'
}

func (d *decoder) digits() {
	for d.isDigit() {
		d.i++
	}
}

// str reads the string at i (at its opening quote).
func (d *decoder) str() (string, error) {
	d.i++
	start := d.i
	// Most strings need no unescaping: take them as they are.
	for d.i < len(d.data) {
		c := d.data[d.i]
		if c == '"' {
			s := string(d.data[start:d.i])
			d.i++
			return s, nil
		}
		if c == '\\' || c < ' ' || c >= utf8.RuneSelf {
			break
		}
		d.i++
	}
	b := append([]byte(nil), d.data[start:d.i]...)
	for d.i < len(d.data) {
		c := d.data[d.i]
		switch {
		case c == '"':
			d.i++
			return string(b), nil
		case c < ' ':
			return "", d.fail("in string literal")
		case c == '\\':
			d.i++
			var err error
			if b, err = d.escape(b); err != nil {
				return "", err
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			d.i++
		default:
			r, size := utf8.DecodeRune(d.data[d.i:])
			b = utf8.AppendRune(b, r) // U+FFFD for a byte of invalid UTF-8
			d.i += size
		}
	}
	return "", ErrTruncated
}

// escape appends the character of the escape after the backslash at i-1.
func (d *decoder) escape(b []byte) ([]byte, error) {
	if d.i == len(d.data) {
		return nil, ErrTruncated
	}
	c := d.data[d.i]
	switch c {
	case '"', '\\', '/':
		d.i++
		return append(b, c), nil
	case 'b':
		d.i++
		return append(b, '\b'), nil
	case 'f':
		d.i++
		return append(b, '\f'), nil
	case 'n':
		d.i++
		return append(b, '\n'), nil
	case 'r':
		d.i++
		return append(b, '\r'), nil
	case 't':
		d.i++
		return append(b, '\t'), nil
	case 'u':
		d.i++
		r, err := d.hex4()
		if err != nil {
			return nil, err
		}
		if utf16.IsSurrogate(r) {
			// A pair only if a \u escape of the other half follows;
			// else U+FFFD, and what follows is read on its own.
			if r2, ok := peekU4(d.data[d.i:]); ok {
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					d.i += 6
					return utf8.AppendRune(b, dec), nil
				}
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(b, r), nil
	}
	return nil, d.fail("in string escape code")
}

// hex4 reads the four hexadecimal digits of a \u escape.
func (d *decoder) hex4() (rune, error) {
	var r rune
	for range 4 {
		if d.i == len(d.data) {
			return 0, ErrTruncated
		}
		v, ok := hexValue(d.data[d.i])
		if !ok {
			return 0, d.fail("in \\u hexadecimal character escape")
		}
		r = r*16 + v
		d.i++
	}
	return r, nil
}

// peekU4 reads a \uXXXX escape at the start of b, if there is one.
func peekU4(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		v, ok := hexValue(c)
		if !ok {
			return 0, false
		}
		r = r*16 + v
	}
	return r, true
}

func hexValue(c byte) (rune, bool) {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0'), true
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10), true
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10), true
	}
	return 0, false
}
