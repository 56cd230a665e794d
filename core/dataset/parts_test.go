package dataset

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/segkit/segkit/internal/shareddata"
)

// goParts parses the jobs of ReadSplit on goroutines, through their byte
// encoding, as the page's helper workers do.
type goParts struct{ started int }

func (g *goParts) Start(jobs []PartJob) (func() ([][]byte, error), error) {
	g.started += len(jobs)
	outs := make([][]byte, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Go(func() { outs[i], errs[i] = ParsePart(job.Head, job.Data) })
	}
	return func() ([][]byte, error) {
		wg.Wait()
		return outs, errors.Join(errs...)
	}, nil
}

// withSmallParts lets tiny inputs be split: parts of any size and a sniff
// sample of chunk bytes.
func withSmallParts(t testing.TB, chunk int) {
	oldMin, oldChunk := minPartBytes, chunkSize
	minPartBytes, chunkSize = 1, chunk
	t.Cleanup(func() { minPartBytes, chunkSize = oldMin, oldChunk })
}

// sameExactly reports how two tables differ, cell for cell and bit for bit
// ("" if they do not).
func sameExactly(a, b *Table) string {
	if a.Rows != b.Rows || len(a.Columns) != len(b.Columns) || a.Format != b.Format || a.SkippedCount != b.SkippedCount {
		return fmt.Sprintf("shape or format: %d×%d %+v %d / %d×%d %+v %d", a.Rows, len(a.Columns), a.Format, a.SkippedCount,
			b.Rows, len(b.Columns), b.Format, b.SkippedCount)
	}
	if !reflect.DeepEqual(a.Skipped, b.Skipped) {
		return fmt.Sprintf("skipped rows %+v / %+v", a.Skipped, b.Skipped)
	}
	for j, ca := range a.Columns {
		cb := b.Columns[j]
		if ca.Name != cb.Name || ca.Kind != cb.Kind || ca.Missing != cb.Missing || ca.DateLayout != cb.DateLayout {
			return fmt.Sprintf("column %d: %q %v %d %q / %q %v %d %q", j, ca.Name, ca.Kind, ca.Missing, ca.DateLayout,
				cb.Name, cb.Kind, cb.Missing, cb.DateLayout)
		}
		if len(ca.Num) != len(cb.Num) || len(ca.Str) != len(cb.Str) {
			return fmt.Sprintf("column %q: %d/%d numbers, %d/%d strings", ca.Name, len(ca.Num), len(cb.Num), len(ca.Str), len(cb.Str))
		}
		for i := range ca.Num {
			if math.Float64bits(ca.Num[i]) != math.Float64bits(cb.Num[i]) {
				return fmt.Sprintf("column %q row %d: %v / %v", ca.Name, i, ca.Num[i], cb.Num[i])
			}
		}
		for i := range ca.Str {
			if ca.Str[i] != cb.Str[i] {
				return fmt.Sprintf("column %q row %d: %q / %q", ca.Name, i, ca.Str[i], cb.Str[i])
			}
		}
	}
	return ""
}

// splitAgainstRead reads data with ReadSplit in parts and with Read, fails
// if they differ in any value or error, and returns the split result and
// whether its parts were joined.
func splitAgainstRead(t testing.TB, data []byte, opt Options, parts int) (*Table, bool, error) {
	t.Helper()
	want, wantErr := Read(bytes.NewReader(data), opt)
	got, joined, err := readSplit(data, opt, parts, &goParts{})
	if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
		t.Fatalf("split error %v, Read error %v", err, wantErr)
	}
	if err == nil {
		if d := sameExactly(want, got); d != "" {
			t.Fatalf("split (joined %v) and Read differ: %s", joined, d)
		}
	}
	return got, joined, err
}

func TestReadSplitJoins(t *testing.T) {
	ids := func(n int) string {
		var b strings.Builder
		b.WriteString("CustomerID,Spend\n")
		for i := range n {
			fmt.Fprintf(&b, "C%05d,%d.%d\n", i, i*7%1000, i%10)
		}
		return b.String()
	}
	tests := []struct {
		name   string
		data   string
		opt    Options
		joined bool // the parts are joined (else Read reads it again)
		check  func(t *testing.T, tab *Table)
	}{
		{name: "numbers and categories", joined: true,
			data: "age,city,spend\n" + strings.Repeat("31,Paris,10.5\n42,Lyon,7\n", 40)},
		{name: "identifiers beyond the intern limit", data: ids(3000), joined: true,
			check: func(t *testing.T, tab *Table) {
				if c := tab.Column("CustomerID"); c.Kind != KindIdentifier || c.Str[2999] != "C02999" {
					t.Errorf("CustomerID: %v, last %q", c.Kind, c.Str[2999])
				}
			}},
		{name: "missing cells only in the first part", joined: true,
			data: "a,b\n" + strings.Repeat("1,\n", 30) + strings.Repeat("2,x\n", 30),
			check: func(t *testing.T, tab *Table) {
				if c := tab.Column("b"); c.Kind != KindCategorical || c.Missing != 30 || c.Str[59] != "x" {
					t.Errorf("b: %v, %d missing", c.Kind, c.Missing)
				}
			}},
		{name: "numbers then text in a later part", joined: true,
			data: "code\n" + strings.Repeat("1.50\n", 40) + strings.Repeat("A1.5\n", 40),
			check: func(t *testing.T, tab *Table) {
				// Read renders the numbers read before the first text value.
				if c := tab.Column("code"); c.Str[0] != "1.5" || c.Str[79] != "A1.5" {
					t.Errorf("code: %q … %q", c.Str[0], c.Str[79])
				}
			}},
		{name: "text then numbers in a later part",
			data: "code\n" + strings.Repeat("A1.5\n", 40) + strings.Repeat("1.50\n", 40),
			check: func(t *testing.T, tab *Table) {
				if c := tab.Column("code"); c.Str[79] != "1.50" {
					t.Errorf("code: %q, want the text as written", c.Str[79])
				}
			}},
		{name: "day-first dates decided in a later part", joined: true,
			data: "d\n" + strings.Repeat("01/02/2020\n", 40) + strings.Repeat("25/02/2020\n", 40),
			check: func(t *testing.T, tab *Table) {
				if c := tab.Column("d"); c.Kind != KindDate || c.DateLayout != "02/01/2006" {
					t.Errorf("d: %v %q", c.Kind, c.DateLayout)
				}
			}},
		{name: "dates of two orders",
			data: "d\n" + strings.Repeat("25/02/2020\n", 40) + strings.Repeat("02/25/2020\n", 40)},
		{name: "a quoted line break across a cut",
			data: "note,n\nx,1\n\"" + strings.Repeat("a long\nnote\n", 200) + "\",2\ny,3\n"},
		{name: "text then plain integers in a later part", joined: true,
			data: "code\n" + strings.Repeat("A15\n", 40) + strings.Repeat(" 15\n-7\n", 20),
			check: func(t *testing.T, tab *Table) {
				if c := tab.Column("code"); c.Str[78] != "15" || c.Str[79] != "-7" {
					t.Errorf("code: %q %q", c.Str[78], c.Str[79])
				}
			}},
		{name: "text then integers then text", joined: true,
			data: "code\n" + strings.Repeat("A15\n", 40) + strings.Repeat("15\n", 30) + strings.Repeat("B\n", 10)},
		{name: "ragged rows in every part", joined: true,
			data: "a,b\n" + strings.Repeat("1,2\n3\n4,5,6\n", 30),
			check: func(t *testing.T, tab *Table) {
				if tab.SkippedCount != 60 || tab.Skipped[59].Line != 91 {
					t.Errorf("skipped %d, the 60th on line %d", tab.SkippedCount, tab.Skipped[59].Line)
				}
			}},
		{name: "a ragged row with Strict", opt: Options{Strict: true},
			data: "a,b\n" + strings.Repeat("1,2\n", 60) + "3\n" + strings.Repeat("1,2\n", 10)},
		{name: "windows-1252 from the start", joined: true,
			data: "name,n\n" + strings.Repeat("Caf\xe9,1\n", 60)},
		{name: "invalid UTF-8 in a later part",
			data: "name,n\n" + strings.Repeat("Café,1\n", 40) + strings.Repeat("Caf\xe9,1\n", 20)},
		{name: "no header, CRLF", opt: Options{Header: HeaderAbsent}, joined: true,
			data: strings.Repeat("1,2.5\r\n3,4\r\n", 40)},
		{name: "blank lines and a byte order mark", joined: true,
			data: "\xEF\xBB\xBFx;y\n" + strings.Repeat("1;a\n\n  \n2;b\n", 30)},
		{name: "a NUL byte in a later part",
			data: "a,b\n" + strings.Repeat("1,2\n", 60) + "3,\x00\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withSmallParts(t, 16)
			for _, parts := range []int{2, 3, 5} {
				tab, joined, err := splitAgainstRead(t, []byte(tt.data), tt.opt, parts)
				if joined != tt.joined {
					t.Errorf("%d parts: joined %v, want %v (err %v)", parts, joined, tt.joined, err)
				}
				if err == nil && tt.check != nil {
					tt.check(t, tab)
				}
			}
		})
	}
}

// The shared customer files, each cut into three parts, read as Read reads
// them, and joined unless their encoding changes after the first chunk.
func TestReadSplitRealFiles(t *testing.T) {
	for _, w := range realFiles {
		t.Run(w.file, func(t *testing.T) {
			data, err := os.ReadFile(shareddata.Path(t, w.file))
			if err != nil {
				t.Fatal(err)
			}
			withSmallParts(t, min(chunkSize, len(data)/8))
			tab, joined, err := splitAgainstRead(t, data, Options{}, 3)
			if err != nil {
				t.Fatal(err)
			}
			// A file that turns out not to be UTF-8 after its first chunk is
			// read again whole (Read decodes it in two steps).
			r, err := NewReader(bytes.NewReader(data), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := readSerial(r, make([]builder, r.want)); err != nil {
				t.Fatal(err)
			}
			if joined == r.switched {
				t.Errorf("joined %v, switched encoding %v", joined, r.switched)
			}
			if tab.Rows != w.rows {
				t.Errorf("%d rows, want %d", tab.Rows, w.rows)
			}
		})
	}
}

// A transaction log of 10 MB — the Online Retail slice turned to UTF-8 and
// written out three times — is cut into parts at the page's real sizes and
// joined to Read's table: invoice numbers that turn to text ("C536379")
// in each part, stock codes, descriptions, unpadded day/month dates with
// times, customer ids with missing cells.
func TestReadSplitTransactionLog(t *testing.T) {
	raw, err := os.ReadFile(shareddata.Path(t, "online_retail_head.csv"))
	if err != nil {
		t.Fatal(err)
	}
	text := recodeCP1252(string(raw)) // its bytes are Windows-1252
	header, body, _ := strings.Cut(text, "\n")
	data := []byte(header + "\n" + body + body + body)
	if len(data) < 3*minPartBytes {
		t.Fatalf("%d bytes: too few for three parts of %d", len(data), minPartBytes)
	}
	tab, joined, err := splitAgainstRead(t, data, Options{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !joined {
		t.Fatal("read again whole, not joined")
	}
	for name, kind := range map[string]Kind{"InvoiceNo": KindIdentifier, "InvoiceDate": KindDate, "Quantity": KindInteger,
		"UnitPrice": KindFloat, "Country": KindCategorical} {
		if c := tab.Column(name); c == nil || c.Kind != kind {
			t.Errorf("%s: %v, want %v", name, c, kind)
		}
	}
}

func TestCutPoints(t *testing.T) {
	defer func(m int) { minPartBytes = m }(minPartBytes)
	minPartBytes = 4
	data := []byte("h\naaaa\nbbbb\ncccc\ndddd\n")
	tests := []struct {
		parts int
		want  []int
	}{
		{1, []int{0, 22}},
		{2, []int{0, 12, 22}},
		{4, []int{0, 7, 12, 17, 22}},
		{9, []int{0, 7, 12, 17, 22}}, // at most len/minPartBytes parts, each cut after a line feed
	}
	for _, tt := range tests {
		if got := cutPoints(data, tt.parts); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d parts: %v, want %v", tt.parts, got, tt.want)
		}
	}
	if got := cutPoints([]byte("no line feed at all, only text"), 3); !reflect.DeepEqual(got, []int{0, 30}) {
		t.Errorf("without line feeds: %v", got)
	}
}

// FuzzReadSplit: ReadSplit gives Read's table or error on any input, cut
// into any number of parts.
func FuzzReadSplit(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s+s+s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		withSmallParts(t, 4+int(mode>>4))
		opt := Options{Strict: mode&8 != 0}
		if mode&4 != 0 {
			opt.Header = HeaderAbsent
		}
		splitAgainstRead(t, data, opt, 2+int(mode&3))
	})
}

// FuzzParsePart: any job is parsed or refused, and any part decoded or
// refused; never a panic.
func FuzzParsePart(f *testing.F) {
	job := partJob{delim: ',', want: 2, hint: 4}
	part := []byte("1,x\n2,y\n3,\n")
	f.Add(job.appendTo(nil), part)
	out, _ := ParsePart(job.appendTo(nil), part)
	f.Add(out, []byte(nil))
	f.Fuzz(func(t *testing.T, b, data []byte) {
		if out, err := ParsePart(b, data); err == nil {
			w, _ := binary.Uvarint(b[4:])
			want := int(w)
			if p, err := decodePart(out, want); err == nil && !p.failed && len(p.cols) != want {
				t.Fatalf("%d columns decoded, want %d", len(p.cols), want)
			}
		}
		for want := 1; want <= 3; want++ {
			if p, err := decodePart(b, want); err == nil && !p.failed {
				for i := range p.cols {
					c := &p.cols[i]
					if c.rows != p.rows || (c.mode == modeStr && c.dict == nil && len(c.str) != p.rows) ||
						(c.dict != nil && len(c.codes) != p.rows) || ((c.mode == modeNum || c.mode == modeDate) && len(c.raw) != 8*p.rows) {
						t.Fatalf("column %d decoded with %d rows in a part of %d", i, c.rows, p.rows)
					}
				}
			}
		}
	})
}
