package dataset

import (
	"bytes"
	"io"
	"math"
	"runtime"
	"testing"
	"unsafe"
)

// unsafeData returns the address of a string's bytes (to check interning).
func unsafeData(s string) *byte { return unsafe.StringData(s) }

// checkInvariants checks what every Table promises.
func checkInvariants(t testing.TB, tab *Table) {
	t.Helper()
	if tab.Rows <= 0 {
		t.Errorf("Rows = %d", tab.Rows)
	}
	if tab.SkippedCount < len(tab.Skipped) || len(tab.Skipped) > maxSkippedList {
		t.Errorf("Skipped %d listed, %d counted", len(tab.Skipped), tab.SkippedCount)
	}
	names := map[string]bool{}
	for _, c := range tab.Columns {
		if names[c.Name] {
			t.Errorf("duplicate column name %q", c.Name)
		}
		names[c.Name] = true
		switch c.Kind {
		case KindEmpty:
			if c.Num != nil || c.Str != nil || c.Missing != tab.Rows {
				t.Errorf("%s: empty column with data (missing %d of %d)", c.Name, c.Missing, tab.Rows)
			}
			continue
		case KindInteger, KindFloat, KindDate:
			if c.Str != nil || len(c.Num) != tab.Rows {
				t.Errorf("%s: %v column has %d numbers (str %v) for %d rows", c.Name, c.Kind, len(c.Num), c.Str != nil, tab.Rows)
				continue
			}
			miss := 0
			for _, v := range c.Num {
				if math.IsNaN(v) {
					miss++
				}
			}
			if miss != c.Missing {
				t.Errorf("%s: Missing %d, %d NaN cells", c.Name, c.Missing, miss)
			}
			if (c.Kind == KindDate) != (c.DateLayout != "") {
				t.Errorf("%s: kind %v with layout %q", c.Name, c.Kind, c.DateLayout)
			}
		case KindCategorical, KindIdentifier, KindText:
			if c.Num != nil || len(c.Str) != tab.Rows {
				t.Errorf("%s: %v column has %d strings for %d rows", c.Name, c.Kind, len(c.Str), tab.Rows)
				continue
			}
			miss := 0
			for _, s := range c.Str {
				if s == "" {
					miss++
				}
			}
			if miss != c.Missing {
				t.Errorf("%s: Missing %d, %d empty cells", c.Name, c.Missing, miss)
			}
		default:
			t.Errorf("%s: unknown kind %v", c.Name, c.Kind)
		}
	}
}

// sameTable reports how two tables differ ("" if they do not).
func sameTable(a, b *Table) string {
	if a.Rows != b.Rows || len(a.Columns) != len(b.Columns) || a.Format != b.Format || a.SkippedCount != b.SkippedCount {
		return "shape or format differs"
	}
	for j, ca := range a.Columns {
		cb := b.Columns[j]
		if ca.Name != cb.Name || ca.Kind != cb.Kind || ca.Missing != cb.Missing || ca.DateLayout != cb.DateLayout {
			return "column " + ca.Name + " differs"
		}
		for i := 0; i < a.Rows; i++ {
			if ca.Text(i) != cb.Text(i) {
				return "column " + ca.Name + " cell differs: " + ca.Text(i) + " / " + cb.Text(i)
			}
		}
	}
	return ""
}

// readBoth reads data serially and pipelined and fails if the results
// differ; it returns the serial result.
func readBoth(t testing.TB, data []byte, opt Options) (*Table, error) {
	t.Helper()
	forceSerial = true
	serial, err1 := Read(bytes.NewReader(data), opt)
	forceSerial = false
	piped, err2 := readPipelinedForTest(data, opt)
	if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
		t.Fatalf("serial error %v, pipelined error %v", err1, err2)
	}
	if err1 == nil {
		if d := sameTable(serial, piped); d != "" {
			t.Fatalf("serial and pipelined reads differ: %s", d)
		}
	}
	return serial, err1
}

// readPipelinedForTest forces the pipelined path even with GOMAXPROCS=1
// and for small inputs (whose size Read cannot see through a plain
// io.Reader).
func readPipelinedForTest(data []byte, opt Options) (*Table, error) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	return Read(struct{ io.Reader }{bytes.NewReader(data)}, opt)
}
