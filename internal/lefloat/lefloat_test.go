package lefloat

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

// reference is the value-by-value encoding every function must agree with.
func reference(v []float64) []byte {
	var b []byte
	for _, f := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		v    []float64
	}{
		{"empty", nil},
		{"one", []float64{1.5}},
		{"special values", []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, math.MaxFloat64, -3.25}},
		{"many", func() []float64 {
			v := make([]float64, 1000)
			for i := range v {
				v[i] = float64(i)*1.1 - 300
			}
			return v
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := reference(tt.v)
			if got := Bytes(tt.v); !slices.Equal(got, want) {
				t.Fatalf("Bytes = % x, want % x", got, want)
			}
			prefix := []byte{7, 8}
			if got := Append(slices.Clone(prefix), tt.v); !slices.Equal(got, append(prefix, want...)) {
				t.Fatalf("Append = % x, want % x", got, append(prefix, want...))
			}
			dst := make([]float64, len(tt.v))
			Decode(dst, append(want, 9)) // a longer buffer: only 8·len(dst) bytes are read
			for i := range dst {
				if math.Float64bits(dst[i]) != math.Float64bits(tt.v[i]) {
					t.Fatalf("Decode[%d] = %v, want %v (bit for bit)", i, dst[i], tt.v[i])
				}
			}
		})
	}
}

func TestDecodeShortBufferPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Decode of 3 values from 16 bytes did not panic")
		}
	}()
	Decode(make([]float64, 3), make([]byte, 16))
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		dst := make([]float64, len(b)/8)
		Decode(dst, b)
		if got := reference(dst); !slices.Equal(got, b[:8*len(dst)]) {
			t.Fatalf("decoding then encoding % x gave % x", b[:8*len(dst)], got)
		}
	})
}
