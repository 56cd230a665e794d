package synth

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

func TestBlobsDeterministicAndShaped(t *testing.T) {
	a, la := Blobs(1000, 3, 4, 4, 7)
	b, lb := Blobs(1000, 3, 4, 4, 7)
	if a.Rows != 1000 || a.Cols != 3 || len(la) != 1000 {
		t.Fatalf("shape %d×%d, %d labels", a.Rows, a.Cols, len(la))
	}
	for i := range a.Data {
		if a.Data[i] != b.Data[i] {
			t.Fatalf("value %d differs between identical calls", i)
		}
	}
	seen := map[int]int{}
	for i, l := range la {
		if l != lb[i] || l < 0 || l >= 4 {
			t.Fatalf("label %d = %d/%d", i, l, lb[i])
		}
		seen[l]++
	}
	if len(seen) != 4 {
		t.Fatalf("only %d of 4 clusters drawn", len(seen))
	}
	c, _ := Blobs(1000, 3, 4, 4, 8)
	if c.Data[0] == a.Data[0] {
		t.Fatal("a different seed gave the same first value")
	}
}

func TestWriters(t *testing.T) {
	x, _ := Blobs(3, 2, 2, 1, 1)
	var raw bytes.Buffer
	if err := WriteFloat64(&raw, x); err != nil {
		t.Fatal(err)
	}
	if raw.Len() != 3*2*8 {
		t.Fatalf("raw size %d", raw.Len())
	}
	if got := math.Float64frombits(binary.LittleEndian.Uint64(raw.Bytes()[8:])); got != x.At(0, 1) {
		t.Fatalf("second value %v, want %v", got, x.At(0, 1))
	}
	var csv bytes.Buffer
	if err := WriteCSV(&csv, x); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if len(lines) != 4 || lines[0] != "id,x1,x2" || !strings.HasPrefix(lines[1], "1,") {
		t.Fatalf("csv = %q", csv.String())
	}
}
