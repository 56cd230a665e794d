package jsonval

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// reference decodes data as the edge endpoint did with encoding/json: one
// Decoder.Decode with UseNumber, then nothing but whitespace after it.
// kind is "ok", "empty", "truncated", "trailing" or "syntax" (then msg and
// offset are the SyntaxError's).
func reference(data []byte) (v any, kind, msg string, offset int) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(&v)
	var se *json.SyntaxError
	switch {
	case err == io.EOF:
		return nil, "empty", "", 0
	case err == io.ErrUnexpectedEOF:
		return nil, "truncated", "", 0
	case errors.As(err, &se):
		return nil, "syntax", se.Error(), int(se.Offset)
	case err != nil:
		panic(err)
	}
	if len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) > 0 {
		return nil, "trailing", "", 0
	}
	return v, "ok", "", 0
}

// kindOf classifies an error of Decode as reference does.
func kindOf(err error) (kind, msg string, offset int) {
	var se *SyntaxError
	switch {
	case err == nil:
		return "ok", "", 0
	case errors.Is(err, ErrEmpty):
		return "empty", "", 0
	case errors.Is(err, ErrTruncated):
		return "truncated", "", 0
	case errors.Is(err, ErrTrailing):
		return "trailing", "", 0
	case errors.As(err, &se):
		return "syntax", se.Msg, se.Offset
	}
	return "unknown: " + err.Error(), "", 0
}

// checkAgainstEncodingJSON fails unless Decode accepts data exactly when
// encoding/json does (json.Valid), with the same value, and refuses it for
// the same reason, with the same message and offset.
func checkAgainstEncodingJSON(t *testing.T, data []byte) {
	t.Helper()
	got, err := Decode(data)
	want, wkind, wmsg, woff := reference(data)
	kind, msg, off := kindOf(err)
	if (err == nil) != json.Valid(data) {
		t.Fatalf("%q: Decode error %v; json.Valid %v", data, err, json.Valid(data))
	}
	if kind != wkind || msg != wmsg || off != woff {
		t.Fatalf("%q: Decode %s %q at %d (%v); encoding/json %s %q at %d", data, kind, msg, off, err, wkind, wmsg, woff)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: Decode %#v; encoding/json %#v", data, got, want)
	}
}

var decodeCases = []string{
	// values
	`{}`, `[]`, ` {"a": 1} `, "\t\r\n[1, 2.5, -0, 1e400, -1.5E-3, 0.0e+0]\n", `"x"`, `true`, `false`, `null`, `0`, `-0.5`,
	`{"customer": {"Genre": "Female", "Age": 31, "Income": null, "vip": true}}`,
	`{"customers": [{"a": 1}, {"b": "2"}, {}]}`,
	`{"a": 1, "a": 2}`, `{"a": {"b": 1}, "a": [1]}`, `{"": ""}`,
	`[[[[[]]]], {"a": [{"b": []}]}]`,
	`12345678901234567890123456789`, `1E5`, `1e-5`, `-1`,
	// strings
	`"\u00e9\u4e2d\ud83d\ude00 \"\\\/\b\f\n\r\t"`, `"\uD83D\uDE00"`, `"\ud800"`, `"\ud800x"`, `"\udc00\ud800"`,
	`"\ud800\u0041"`, `"\ud800\ud800\udc00"`, `"\ud800\u12"`, "\"\xff\xfe\"", "\"a\xe2\x82\"", "\"\xed\xa0\x80\"",
	"\"caf\xc3\xa9\"", "\"\x7f\"", "{\"\xff\": 1}", `"\u0000"`,
	// errors
	``, `   `, `{`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,`, `[`, `[1`, `[1,`, `"abc`, `"\`, `"\u12`, `tru`, `nul`, `-`, `1.`, `1e`, `1e+`,
	`{"a":1,}`, `[1,]`, `{,}`, `{"a" 1}`, `{1: 2}`, `[1 2]`, `{"a":1 "b":2}`, `01`, `1x`, `{} {}`, `{} x`, `[] ]`, `-x`, `1.x`, `1ex`,
	`+1`, `.5`, `NaN`, `Infinity`, `'a'`, `truex`, `[truex]`, `nulL`, `[1}`, `{"a":1]`, "\"a\x01\"", "\"a\tb\"", `"\x"`, `"\'"`, `"\u12g4"`,
	"\xef\xbb\xbf{}", "{}\x00", "\x00", `{"a":[1,{"b":}]}`, `]`, `}`, `:`,
	strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth),
	strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1),
	strings.Repeat(`{"a":`, MaxDepth) + "1" + strings.Repeat("}", MaxDepth),
	strings.Repeat(`{"a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1),
	strings.Repeat("[", 20000),
}

// TestDecodeAsEncodingJSON runs the edge cases through the differential
// check; FuzzDecode explores beyond them.
func TestDecodeAsEncodingJSON(t *testing.T) {
	for _, c := range decodeCases {
		checkAgainstEncodingJSON(t, []byte(c))
	}
}

func FuzzDecode(f *testing.F) {
	for _, c := range decodeCases {
		if len(c) < 1000 {
			f.Add([]byte(c))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgainstEncodingJSON(t, data)
	})
}

// TestDecodeValues pins values by hand, independently of encoding/json.
func TestDecodeValues(t *testing.T) {
	cases := []struct {
		in   string
		want any
	}{
		{`{"customer": {"Age": 31, "Genre": "F", "x": null, "ok": false}}`,
			map[string]any{"customer": map[string]any{"Age": json.Number("31"), "Genre": "F", "x": nil, "ok": false}}},
		{`[1e400, "1e400", -0]`, []any{json.Number("1e400"), "1e400", json.Number("-0")}},
		{`{"a": 1, "a": 2}`, map[string]any{"a": json.Number("2")}},
		{`"\ud83d\ude00\u00e9\/"`, "😀é/"},
		{`"\ud800z"`, "\ufffdz"},
		{"\"a\xffb\"", "a\ufffdb"},
		{"\"\xed\xa0\x80\"", "\ufffd\ufffd\ufffd"},
		{`[]`, []any{}},
		{`{}`, map[string]any{}},
	}
	for _, c := range cases {
		got, err := Decode([]byte(c.in))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %#v, %v; want %#v", c.in, got, err, c.want)
		}
	}
}

// TestDecodeErrors pins the errors by hand: kind, message and position.
func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		in   string
		want error
		text string
	}{
		{" \n", ErrEmpty, ""},
		{`{"customer": {`, ErrTruncated, ""},
		{`{"customer": {}} {}`, ErrTrailing, ""},
		{`{"customer": {"Fresh": 1,}}`, nil, `jsonval: invalid character '}' looking for beginning of object key string at byte 26`},
		{`[1, 2 3]`, nil, `jsonval: invalid character '3' after array element at byte 7`},
		{`{"a": tru}`, nil, `jsonval: invalid character '}' in literal true (expecting 'e') at byte 10`},
		{"\"\x01\"", nil, `jsonval: invalid character '\x01' in string literal at byte 2`},
		{strings.Repeat("[", MaxDepth+1), nil, "jsonval: invalid character '[' exceeded max depth at byte 10001"},
	}
	for _, c := range cases {
		_, err := Decode([]byte(c.in))
		if c.want != nil && !errors.Is(err, c.want) || c.want == nil && (err == nil || err.Error() != c.text) {
			t.Errorf("%.40q: error %v, want %v%s", c.in, err, c.want, c.text)
		}
	}
}
