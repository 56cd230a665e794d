package dataset

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0", 0, true},
		{"42", 42, true},
		{" -7 ", -7, true},
		{"+3.25", 3.25, true},
		{".5", 0.5, true},
		{"5.", 5, true},
		{"1e3", 1000, true},
		{"1E-3", 0.001, true},
		{"-2.5e+2", -250, true},
		{"0042", 42, true},
		{"1,234,567", 1234567, true},
		{"1,234,567.25", 1234567.25, true},
		{"-1,234.5", -1234.5, true},
		{"1,234", 0, false},     // thousands or a decimal comma: ambiguous
		{"1,5", 0, false},       // decimal comma: not supported
		{"12,34,567", 0, false}, // not groups of three
		{"1,2345", 0, false},
		{"1234,567", 0, false},
		{"", 0, false},
		{" ", 0, false},
		{"-", 0, false},
		{".", 0, false},
		{"e5", 0, false},
		{"1e", 0, false},
		{"1e+", 0, false},
		{"1.2.3", 0, false},
		{"0x1F", 0, false},
		{"1_000", 0, false},
		{"Inf", 0, false},
		{"NaN", 0, false},
		{"1e400", 0, false},
		{"12abc", 0, false},
		{"$5", 0, false},
		{"9007199254740993", 9007199254740993, true}, // rounds like strconv
		{"-3.000000000000000000e+00", -3, true},
		{"123456789012345678901234567890", 1.2345678901234568e29, true},
	}
	for _, tc := range tests {
		got, ok := ParseNumber(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if v, _ := ParseNumber("-0"); !math.Signbit(v) {
		t.Error("-0 lost its sign")
	}
}

func TestParseNumberFlags(t *testing.T) {
	tests := []struct {
		in    string
		flags int
	}{
		{"12", numInt | numPlain},
		{" -12 ", numInt | numPlain},
		{"+12", numInt},
		{"0", numInt | numPlain},
		{"-0", numInt},
		{"007", numInt | numLeadZero},
		{"-01", numInt | numLeadZero},
		{"1.0", 0},
		{"1e2", 0},
		{"9007199254740992", numInt | numPlain},
		{"9007199254740993", numInt | numBig},
		{"12345678901234567890123", numInt | numBig},
		{"1,234,567", numInt},
	}
	for _, tc := range tests {
		_, fl, ok := parseNum(tc.in)
		if !ok || fl != tc.flags {
			t.Errorf("parseNum(%q) flags %b (ok %v), want %b", tc.in, fl, ok, tc.flags)
		}
	}
	// A plain integer renders back as written.
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		s := strconv.FormatInt(rng.Int64N(1<<54)-1<<53, 10)
		if rng.IntN(4) == 0 {
			s = s[:1+rng.IntN(len(s))]
		}
		v, fl, ok := parseNum(s)
		if ok && fl&numPlain != 0 && formatNumber(v) != s {
			t.Fatalf("%q is plain but renders as %q", s, formatNumber(v))
		}
	}
}

// TestParseNumberMatchesStrconv checks the fast paths against
// strconv.ParseFloat on many generated decimals.
func TestParseNumberMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 200000; i++ {
		var s string
		switch i % 5 {
		case 0:
			s = strconv.FormatFloat(rng.NormFloat64()*math.Pow(10, float64(rng.IntN(40)-20)), 'g', -1, 64)
		case 1:
			s = strconv.FormatFloat(rng.Float64()*1e6, 'f', rng.IntN(12), 64)
		case 2:
			s = strconv.FormatInt(rng.Int64N(1<<62)-1<<61, 10)
		case 3:
			digits := make([]byte, 1+rng.IntN(25))
			for k := range digits {
				digits[k] = byte('0' + rng.IntN(10))
			}
			p := rng.IntN(len(digits) + 1)
			s = string(digits[:p]) + "." + string(digits[p:])
			if s == "." {
				s = "0"
			}
		default:
			s = strconv.FormatFloat(rng.ExpFloat64(), 'e', rng.IntN(18), 64)
		}
		want, err := strconv.ParseFloat(s, 64)
		got, ok := ParseNumber(s)
		if err != nil {
			continue
		}
		if !ok || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("ParseNumber(%q) = %v, %v; strconv says %v", s, got, ok, want)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1", "-2.5e3", "1,234,567.5", "0.1", ".5", "5.", "1e400", "00012", " 7 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseNumber(s)
		if !ok {
			return
		}
		if math.IsNaN(got) || math.IsInf(got, 0) {
			t.Fatalf("ParseNumber(%q) = %v", s, got)
		}
		want, err := strconv.ParseFloat(strings.ReplaceAll(strings.Trim(s, " \t"), ",", ""), 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("ParseNumber(%q) = %v; strconv gives %v, %v", s, got, want, err)
		}
	})
}

func TestIsMissingToken(t *testing.T) {
	for _, s := range []string{"", " ", "\t", "NA", "na", " N/A ", "n/a", "#N/A", "NaN", "nan", "NULL", "null", "?"} {
		if !IsMissingToken(s) {
			t.Errorf("IsMissingToken(%q) = false", s)
		}
	}
	for _, s := range []string{"0", "N", "NAN1", "none", "-", "??", "unknown", "Nat"} {
		if IsMissingToken(s) {
			t.Errorf("IsMissingToken(%q) = true", s)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := map[string]string{" Male ": "Male", "NA": "", "\tx y\t": "x y", "": "", "a": "a"}
	for in, want := range tests {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}
