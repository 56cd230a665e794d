package jsonval

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
)

// checkString fails unless AppendString writes s as json.Marshal does.
func checkString(t *testing.T, s string) {
	t.Helper()
	want, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := AppendString([]byte("x"), s); string(got) != "x"+string(want) {
		t.Fatalf("%q: AppendString %s, json.Marshal %s", s, got[1:], want)
	}
}

// checkFloat fails unless AppendFloat writes f as json.Marshal does, or
// fails where it fails.
func checkFloat(t *testing.T, f float64) {
	t.Helper()
	want, werr := json.Marshal(f)
	got, err := AppendFloat([]byte("x"), f)
	if (err != nil) != (werr != nil) || err != nil && !errors.Is(err, ErrUnsupported) {
		t.Fatalf("%v: AppendFloat error %v, json.Marshal error %v", f, err, werr)
	}
	if err == nil && string(got) != "x"+string(want) {
		t.Fatalf("%v: AppendFloat %s, json.Marshal %s", f, got[1:], want)
	}
	if err != nil && string(got) != "x" {
		t.Fatalf("%v: AppendFloat appended %q with its error", f, got)
	}
}

var stringCases = []string{"", "plain", `quote " backslash \ slash /`, "<script>&amp;</script>", "\b\f\n\r\t\x00\x01\x1f\x7f",
	"é中😀", "\u2028\u2029", "\xff", "a\xe2\x82", "\xed\xa0\x80", "Annual Income (k$)", "Segment 3 · High spending"}

var floatCases = []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.0 / 3, 1e-6, 9.999999999999999e-7, 1e-7, 1.5e-7, 1e20, 1e21, 1e21 - 65536,
	-1e21, 123456789012345678, 1e300, 5e-324, math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308,
	0.8301392316, 12345.678, math.NaN(), math.Inf(1), math.Inf(-1)}

func TestAppendStringAsEncodingJSON(t *testing.T) {
	for _, s := range stringCases {
		checkString(t, s)
	}
	// Every single byte and every rune up to U+3000 on its own.
	for c := range 256 {
		checkString(t, string([]byte{byte(c)}))
	}
	for r := rune(0); r < 0x3000; r++ {
		checkString(t, "a"+string(r)+"b")
	}
}

func TestAppendFloatAsEncodingJSON(t *testing.T) {
	for _, f := range floatCases {
		checkFloat(t, f)
	}
	// Around the switches between fixed and exponent notation.
	for _, edge := range []float64{1e-6, 1e21} {
		for _, f := range []float64{math.Nextafter(edge, 0), edge, math.Nextafter(edge, math.Inf(1))} {
			checkFloat(t, f)
			checkFloat(t, -f)
		}
	}
}

// TestAppendByHand pins a few outputs independently of encoding/json.
func TestAppendByHand(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{string(AppendString(nil, "a<b>&\"\\\n\u2028\xff")), `"a\u003cb\u003e\u0026\"\\\n\u2028\ufffd"`},
		{string(must(AppendFloat(nil, 1e-7))), "1e-7"},
		{string(must(AppendFloat(nil, 1e21))), "1e+21"},
		{string(must(AppendFloat(nil, 123456789e-3))), "123456.789"},
		{string(must(AppendFloat(nil, math.Copysign(0, -1)))), "-0"},
		{string(AppendStrings(nil, nil)), "null"},
		{string(AppendStrings(nil, []string{})), "[]"},
		{string(AppendStrings(nil, []string{"a", "<"})), `["a","\u003c"]`},
		{string(must(AppendFloats(nil, []float64{0.5, 2}))), "[0.5,2]"},
		{string(must(AppendFloats(nil, nil))), "null"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
	if _, err := AppendFloats(nil, []float64{1, math.NaN()}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("AppendFloats with NaN: %v", err)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestAppendListsAsEncodingJSON(t *testing.T) {
	for _, ss := range [][]string{nil, {}, stringCases} {
		want, _ := json.Marshal(ss)
		if got := AppendStrings(nil, ss); string(got) != string(want) {
			t.Errorf("%q: AppendStrings %s, json.Marshal %s", ss, got, want)
		}
	}
	finite := floatCases[:len(floatCases)-3]
	for _, fs := range [][]float64{nil, {}, finite} {
		want, _ := json.Marshal(fs)
		if got, err := AppendFloats(nil, fs); err != nil || string(got) != string(want) {
			t.Errorf("%v: AppendFloats %s (%v), json.Marshal %s", fs, got, err, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range stringCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkString(t, s)
		// And it reads back through Decode to what encoding/json reads.
		v, err := Decode(AppendString(nil, s))
		var want string
		json.Unmarshal(AppendString(nil, s), &want)
		if err != nil || v != want {
			t.Fatalf("%q: Decode %q (%v), want %q", s, v, err, want)
		}
	})
}

func FuzzAppendFloat(f *testing.F) {
	for _, v := range floatCases {
		f.Add(math.Float64bits(v))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		checkFloat(t, math.Float64frombits(bits))
	})
}
