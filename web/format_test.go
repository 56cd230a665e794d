package main

import (
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {42, "42"}, {-3.5, "-3.5"}, {0.123456, "0.123"}, {99.87, "99.9"}, {123.45, "123.5"},
		{1234.6, "1,235"}, {-1234567, "-1,234,567"}, {12000, "12,000"}, {math.NaN(), "–"},
	}
	for _, tt := range tests {
		if got := number(tt.v); got != tt.want {
			t.Errorf("number(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{12: "12 bytes", 2048: "2.0 kB", 3 << 20: "3.0 MB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}
