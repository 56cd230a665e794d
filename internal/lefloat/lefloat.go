// Package lefloat moves float64 values to and from their little-endian
// bytes, the layout of segkit's binary messages, in bulk. On a little-endian
// machine (amd64, arm64, js/wasm) that is a copy of memory; elsewhere it is
// done value by value. Under js/wasm a value-by-value loop costs about as
// much as hashing the bytes, which matters for the tens of megabytes of rows
// the page hands its helper workers.
package lefloat

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// littleEndian reports whether the machine stores a float64 as its
// little-endian bytes.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// Bytes returns the little-endian bytes of v: on a little-endian machine v's
// own memory, not a copy (so it changes with v and must not be written to),
// elsewhere a new slice.
func Bytes(v []float64) []byte {
	if len(v) == 0 {
		return nil
	}
	if !littleEndian {
		return Append(nil, v)
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 8*len(v))
}

// Append appends the little-endian bytes of v to b.
func Append(b []byte, v []float64) []byte {
	if littleEndian {
		return append(b, Bytes(v)...)
	}
	for _, f := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	return b
}

// Decode sets dst[i] to the float64 whose little-endian bytes are
// b[8i:8i+8], for every i < len(dst); b must hold at least 8·len(dst)
// bytes.
func Decode(dst []float64, b []byte) {
	b = b[:8*len(dst)]
	if littleEndian && len(dst) > 0 {
		copy(Bytes(dst), b)
		return
	}
	for i := range dst {
		dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
}
