package dataset

import (
	"strings"
	"unicode/utf8"
)

// Encoding names reported in Format.Encoding.
const (
	EncodingUTF8        = "utf-8"
	EncodingWindows1252 = "windows-1252"
)

// cp1252High maps bytes 0x80–0x9F to runes per the Windows-1252 table. The
// five bytes the table leaves undefined map to the same code point (as in
// Latin-1 and the WHATWG decoder). Bytes 0xA0–0xFF are Latin-1.
var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// normalizeEncoding maps a user-supplied encoding name to one of the two
// names this package reports, or "" when unknown.
func normalizeEncoding(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "utf-8", "utf8":
		return EncodingUTF8
	case "windows-1252", "cp1252", "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1":
		return EncodingWindows1252
	}
	return ""
}

// appendCP1252 appends the UTF-8 encoding of the Windows-1252 bytes b.
func appendCP1252(dst, b []byte) []byte {
	for _, c := range b {
		switch {
		case c < 0x80:
			dst = append(dst, c)
		case c < 0xA0:
			dst = utf8.AppendRune(dst, cp1252High[c-0x80])
		default:
			dst = utf8.AppendRune(dst, rune(c))
		}
	}
	return dst
}

// hasHigh reports whether b holds a byte ≥ 0x80.
func hasHigh[T string | []byte](b T) bool {
	for i := 0; i < len(b); i++ {
		if b[i] >= 0x80 {
			return true
		}
	}
	return false
}

// asciiOnly reports whether every byte of b is below 0x80, eight bytes at
// a time.
func asciiOnly(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		v := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
		if v&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= 0x80 {
			return false
		}
	}
	return true
}

// incompleteTail returns how many bytes at the end of b form the start of a
// UTF-8 sequence that may be completed by bytes not yet read (0–3).
func incompleteTail(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < 0x80 {
			return 0
		}
		if c >= 0xC0 { // a leading byte
			need := 2
			switch {
			case c >= 0xF0:
				need = 4
			case c >= 0xE0:
				need = 3
			}
			if need > k {
				return k
			}
			return 0
		}
	}
	return 0
}

// recodeCP1252 re-decodes a string that was decoded as UTF-8 but whose
// bytes were in fact Windows-1252 (used when a file turns out not to be
// UTF-8 after some of it was decoded: valid UTF-8 decoding keeps the bytes,
// so this is exact).
func recodeCP1252(s string) string {
	if !hasHigh(s) {
		return s
	}
	return string(appendCP1252(nil, []byte(s)))
}

// decoder turns raw field bytes into UTF-8.
type decoder struct {
	cp1252 bool   // the bytes are Windows-1252 (else UTF-8, kept as is)
	buf    []byte // reused for transcoded fields
}

// bytes returns b as UTF-8: b itself, or a transcoded copy valid until the
// next call.
func (d *decoder) bytes(b []byte) []byte {
	if d.cp1252 && hasHigh(b) {
		d.buf = appendCP1252(d.buf[:0], b)
		return d.buf
	}
	return b
}
