package dataset

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads every record with a Reader (copying the reused slice).
func readAll(r *Reader) ([][]string, []int, error) {
	var recs [][]string
	var lines []int
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, lines, nil
		}
		if err != nil {
			return recs, lines, err
		}
		recs = append(recs, append([]string(nil), rec...))
		lines = append(lines, r.Line())
	}
}

func TestReaderRecords(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		opt    Options
		header []string
		want   [][]string
		lines  []int // Line() of each record, nil to skip
		ending string
	}{
		{
			name: "LF", in: "a,b\n1,2\n3,4\n",
			header: []string{"a", "b"}, want: [][]string{{"1", "2"}, {"3", "4"}}, lines: []int{2, 3}, ending: "LF",
		},
		{
			name: "CRLF without final newline", in: "a,b\r\n1,2\r\n3,4",
			header: []string{"a", "b"}, want: [][]string{{"1", "2"}, {"3", "4"}}, lines: []int{2, 3}, ending: "CRLF",
		},
		{
			name: "CR", in: "a,b\r1,2\r3,4\r",
			header: []string{"a", "b"}, want: [][]string{{"1", "2"}, {"3", "4"}}, lines: []int{2, 3}, ending: "CR",
		},
		{
			name: "CR CR LF is one break", in: "a,b\r\r\n1,2\r\r\n3,4\r\r\n",
			header: []string{"a", "b"}, want: [][]string{{"1", "2"}, {"3", "4"}}, lines: []int{2, 3}, ending: "CRCRLF",
		},
		{
			name: "BOM", in: "\xEF\xBB\xBFa,b\n1,2\n",
			header: []string{"a", "b"}, want: [][]string{{"1", "2"}},
		},
		{
			name: "blank lines skipped", in: "\n\na,b\n\n1,2\n   \n\r\n3,4\n\n",
			header: []string{"a", "b"}, want: [][]string{{"1", "2"}, {"3", "4"}}, lines: []int{5, 8},
		},
		{
			name:   "quoted delimiters, newlines and quotes",
			in:     "name,note\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\nx,\"\"\n",
			header: []string{"name", "note"},
			want:   [][]string{{"Smith, J", "said \"hi\"\nthen left"}, {"x", ""}}, lines: []int{2, 4},
		},
		{
			name: "quoted CRLF kept", in: "a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n",
			header: []string{"a", "b"}, want: [][]string{{"1", "x\r\ny"}, {"2", "z"}}, lines: []int{2, 4},
		},
		{
			name: "space before quote and after closing quote", in: "a,b\n1, \"x,y\" \n",
			header: []string{"a", "b"}, want: [][]string{{"1", "x,y"}},
		},
		{
			name: "lone quote inside quoted field is literal", in: "a,b\n1,\"5\" disk\"\n",
			header: []string{"a", "b"}, want: [][]string{{"1", "5\" disk"}},
		},
		{
			name: "quote inside unquoted field is literal", in: "a,b\n1,5\" disk\n",
			header: []string{"a", "b"}, want: [][]string{{"1", "5\" disk"}},
		},
		{
			name: "trailing spaces after last field", in: "a\tb\n1\t2 \n3\t4  \n",
			header: []string{"a", "b"}, want: [][]string{{"1", "2 "}, {"3", "4  "}},
		},
		{
			name: "trailing delimiter cut back", in: "a,b\n1,2,\n3,4, \n",
			header: []string{"a", "b"}, want: [][]string{{"1", "2"}, {"3", "4"}},
		},
		{
			name: "runs of spaces, leading spaces, no header", in: " 00004 0001 19970101  2   29.33\r\r\n 00004 0001 19970118  2   29.73\r\r\n",
			header: []string{"col1", "col2", "col3", "col4", "col5"},
			want:   [][]string{{"00004", "0001", "19970101", "2", "29.33"}, {"00004", "0001", "19970118", "2", "29.73"}},
			lines:  []int{1, 2}, ending: "CRCRLF",
		},
		{
			name: "spaces with quoted field", in: "x y\n1 \"a b\"\n2 c\n",
			opt:    Options{Delimiter: ' '},
			header: []string{"x", "y"}, want: [][]string{{"1", "a b"}, {"2", "c"}},
		},
		{
			name: "empty fields", in: "a,b,c\n,,\n1,,3\n",
			header: []string{"a", "b", "c"}, want: [][]string{{"", "", ""}, {"1", "", "3"}},
		},
		{
			name: "tab delimited row of empty fields is a row", in: "a\tb\tc\n1\t2\t3\n\t\t\n",
			header: []string{"a", "b", "c"}, want: [][]string{{"1", "2", "3"}, {"", "", ""}},
		},
		{
			name: "header names cleaned", in: " a ,,a\n1,2,3\n",
			opt:    Options{Header: HeaderPresent},
			header: []string{"a", "col2", "a_2"}, want: [][]string{{"1", "2", "3"}},
		},
		{
			name: "single column", in: "x\n1\n2\n",
			header: []string{"x"}, want: [][]string{{"1"}, {"2"}},
		},
		{
			name: "windows-1252", in: "name\nCaf\xe9 \x80 \xa3\n",
			header: []string{"name"}, want: [][]string{{"Café € £"}},
		},
		{
			name: "utf-8 kept", in: "name\nCafé €\n",
			header: []string{"name"}, want: [][]string{{"Café €"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, mode := range []string{"whole", "one byte at a time"} {
				var src io.Reader = strings.NewReader(tc.in)
				if mode != "whole" {
					src = iotest.OneByteReader(src)
				}
				r, err := NewReader(src, tc.opt)
				if err != nil {
					t.Fatalf("%s: NewReader: %v", mode, err)
				}
				got, lines, err := readAll(r)
				if err != nil {
					t.Fatalf("%s: %v", mode, err)
				}
				if !equalRecords([][]string{r.Header()}, [][]string{tc.header}) {
					t.Errorf("%s: header %q, want %q", mode, r.Header(), tc.header)
				}
				if !equalRecords(got, tc.want) {
					t.Errorf("%s: records %q, want %q", mode, got, tc.want)
				}
				if tc.lines != nil && !equalInts(lines, tc.lines) {
					t.Errorf("%s: lines %v, want %v", mode, lines, tc.lines)
				}
				if tc.ending != "" && r.Format().LineEnding != tc.ending {
					t.Errorf("%s: line ending %s, want %s", mode, r.Format().LineEnding, tc.ending)
				}
			}
		})
	}
}

func equalRecords(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReaderRagged(t *testing.T) {
	in := "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"
	r, err := NewReader(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := readAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if !equalRecords(got, [][]string{{"1", "2", "3"}, {"10", "11", "12"}}) {
		t.Errorf("records %q", got)
	}
	issues, n := r.Skipped()
	want := []RowIssue{{Line: 3, Fields: 2, Want: 3, Reason: "too few fields"}, {Line: 4, Fields: 4, Want: 3, Reason: "too many fields"}}
	if n != 2 || len(issues) != 2 || issues[0] != want[0] || issues[1] != want[1] {
		t.Errorf("Skipped() = %+v, %d; want %+v, 2", issues, n, want)
	}

	// Strict: the first ragged row is an error with its line.
	r, err = NewReader(strings.NewReader(in), Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = readAll(r)
	var pe *ParseError
	if !errors.Is(err, ErrFieldCount) || !errors.As(err, &pe) || pe.Line != 3 {
		t.Fatalf("strict: %v, want ErrFieldCount on line 3", err)
	}
	if got := err.Error(); got != "dataset: line 3: wrong number of fields: got 2, want 3" {
		t.Errorf("message %q", got)
	}
	// The error is sticky.
	if _, err2 := r.Next(); err2 != err {
		t.Errorf("after an error Next gave %v", err2)
	}
}

func TestReaderManySkipped(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,b\n")
	for i := 0; i < 250; i++ {
		b.WriteString("1,2\n3\n")
	}
	tab, err := Read(strings.NewReader(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows != 250 || tab.SkippedCount != 250 || len(tab.Skipped) != maxSkippedList {
		t.Errorf("rows %d, skipped %d listed %d", tab.Rows, tab.SkippedCount, len(tab.Skipped))
	}
	if tab.Skipped[0].Line != 3 || tab.Skipped[99].Line != 201 {
		t.Errorf("skipped lines %d .. %d", tab.Skipped[0].Line, tab.Skipped[99].Line)
	}
}

// TestEncodingSwitch: a file valid as UTF-8 in its first chunk but not
// later is read as Windows-1252 throughout.
func TestEncodingSwitch(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("name,n\n")
	b.WriteString("Caf\xc3\xa9,1\n") // "Café" in UTF-8, or "CafÃ©" in cp1252
	for b.Len() < 3*chunkSize {
		b.WriteString("plain ascii row,2\n")
	}
	b.WriteString("price \xa3,3\n") // not UTF-8
	data := b.Bytes()

	r, err := NewReader(bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Format().Encoding != EncodingUTF8 {
		t.Fatalf("first chunk read as %s", r.Format().Encoding)
	}
	recs, _, err := readAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format().Encoding != EncodingWindows1252 {
		t.Errorf("encoding after the switch %s", r.Format().Encoding)
	}
	if last := recs[len(recs)-1][0]; last != "price £" {
		t.Errorf("last record %q", last)
	}

	tab, err := readBoth(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := tab.Column("name").Str
	if names[0] != "CafÃ©" || names[len(names)-1] != "price £" || tab.Format.Encoding != EncodingWindows1252 {
		t.Errorf("first %q, last %q, encoding %s", names[0], names[len(names)-1], tab.Format.Encoding)
	}
	// Forcing UTF-8 keeps the bytes as they are.
	tab, err = Read(bytes.NewReader(data), Options{Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	if names := tab.Column("name").Str; names[0] != "Café" || names[len(names)-1] != "price \xa3" {
		t.Errorf("forced utf-8: first %q, last %q", names[0], names[len(names)-1])
	}
}

// TestLongRecords crosses chunk boundaries inside quoted fields and grows
// the buffer for a record longer than a chunk.
func TestLongRecords(t *testing.T) {
	long := strings.Repeat("x\"\"y,\n", chunkSize/3)
	in := "a,b\n1,\"" + long + "\"\r\n2,z\n"
	r, err := NewReader(strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs, lines, err := readAll(r)
	if err != nil {
		t.Fatal(err)
	}
	wantLong := strings.ReplaceAll(long, "\"\"", "\"")
	if len(recs) != 2 || recs[0][1] != wantLong || recs[1][1] != "z" {
		t.Fatalf("got %d records", len(recs))
	}
	if lines[1] != 3+chunkSize/3 {
		t.Errorf("second record on line %d, want %d", lines[1], 3+chunkSize/3)
	}
}

func TestRecordTooLong(t *testing.T) {
	defer func(m int) { maxRecord = m }(maxRecord)
	maxRecord = 2 * chunkSize
	in := "a,b\n1,\"" + strings.Repeat("y", 3*chunkSize) + "\n2,3\n"
	_, err := Read(strings.NewReader(in), Options{})
	var pe *ParseError
	if !errors.Is(err, ErrUnterminatedQuote) || !errors.As(err, &pe) || pe.Line != 2 || pe.Column != 2 {
		t.Fatalf("got %v, want unterminated quote at line 2 column 2", err)
	}
	in = "a,b\n1," + strings.Repeat("y", 3*chunkSize) + "\n2,3\n"
	if _, err := Read(strings.NewReader(in), Options{}); !errors.Is(err, ErrTooLong) {
		t.Fatalf("got %v, want ErrTooLong", err)
	}
}

func TestReaderErrors(t *testing.T) {
	boom := errors.New("boom")
	in := "a,b\n" + strings.Repeat("1,2\n", 100)
	_, err := Read(iotest.DataErrReader(io.MultiReader(strings.NewReader(in), iotest.ErrReader(boom))), Options{})
	if !errors.Is(err, boom) {
		t.Errorf("read error: %v", err)
	}
	if _, err := NewReader(strings.NewReader(in), Options{Encoding: "ebcdic"}); !errors.Is(err, ErrEncoding) {
		t.Errorf("bad encoding: %v", err)
	}
	if _, err := NewReader(strings.NewReader(in), Options{Delimiter: '"'}); err == nil {
		t.Error("quote as delimiter accepted")
	}
	// A NUL byte after the first chunk.
	big := "a,b\n" + strings.Repeat("1,2\n", chunkSize/2) + "3,\x00\n"
	if _, err := Read(strings.NewReader(big), Options{}); !errors.Is(err, ErrBinary) {
		t.Errorf("late NUL: %v", err)
	}
}

func TestProgress(t *testing.T) {
	in := "a,b\n" + strings.Repeat("1,2\n", chunkSize/2)
	var calls int
	var last int64
	_, err := Read(strings.NewReader(in), Options{Progress: func(n int64) {
		if n < last {
			t.Errorf("progress went back: %d after %d", n, last)
		}
		calls++
		last = n
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 2 || last != int64(len(in)) {
		t.Errorf("%d calls, last %d of %d bytes", calls, last, len(in))
	}
}

func TestTooWide(t *testing.T) {
	defer func(m int) { maxColumns = m }(maxColumns)
	maxColumns = 4
	if _, err := Read(strings.NewReader("a,b,c,d,e\n1,2,3,4,5\n"), Options{}); !errors.Is(err, ErrTooWide) {
		t.Errorf("5 columns with a limit of 4: %v", err)
	}
	tab, err := Read(strings.NewReader("a,b\n1,2\n1,2,3,4,5,6,7,8\n3,4\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows != 2 || tab.SkippedCount != 1 || tab.Skipped[0].Fields != 8 {
		t.Errorf("rows %d, skipped %+v", tab.Rows, tab.Skipped)
	}
}

func TestNextRecord(t *testing.T) {
	r, err := NewReader(strings.NewReader("id,name,amount\n0001,ann,3.5\n0002,bob,\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := map[string]any{"stale": 1}
	want := []map[string]any{
		{"id": "0001", "name": "ann", "amount": "3.5"},
		{"id": "0002", "name": "bob", "amount": ""},
	}
	for i, w := range want {
		if err := r.NextRecord(rec); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rec, w) {
			t.Fatalf("record %d = %v, want %v", i, rec, w)
		}
	}
	if err := r.NextRecord(rec); err != io.EOF {
		t.Fatalf("after the last record: %v, want io.EOF", err)
	}
}

func TestReadRecordsFile(t *testing.T) {
	path := t.TempDir() + "/c.csv"
	if err := os.WriteFile(path, []byte("id;amount\n0001;3,5\n0002;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, err := ReadRecordsFile(path, Options{})
	want := []map[string]any{{"id": "0001", "amount": "3,5"}, {"id": "0002", "amount": ""}}
	if err != nil || !reflect.DeepEqual(recs, want) {
		t.Fatalf("ReadRecordsFile = %v, %v; want %v", recs, err, want)
	}
	if _, err := ReadRecordsFile(path+".missing", Options{}); err == nil {
		t.Fatal("a missing file gave no error")
	}
}
