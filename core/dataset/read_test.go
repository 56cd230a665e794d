package dataset

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestReadBadInput(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		opt      Options
		err      error // nil: success expected
		line     int   // ParseError line, 0 to skip
		column   int
		field    string
		rows     int // on success
		cols     int
		skipped  int
		contains string // in the error message
	}{
		{name: "empty file", in: "", err: ErrEmpty},
		{name: "only blank lines", in: "\n\r\n  \n", err: ErrEmpty},
		{name: "only a BOM", in: "\xEF\xBB\xBF", err: ErrEmpty},
		{name: "header only", in: "name,age\n", err: ErrHeaderOnly},
		{name: "header only, no newline", in: "name,age", err: ErrHeaderOnly},
		{name: "header and ragged rows only", in: "a,b\n1\n2\n", err: ErrHeaderOnly, contains: "2 rows skipped"},
		{name: "declared header only", in: "1,2\n", opt: Options{Header: HeaderPresent}, err: ErrHeaderOnly},
		{name: "NUL bytes", in: "a,b\n1,\x002\n", err: ErrBinary, contains: "NUL"},
		{name: "xlsx", in: "PK\x03\x04\x14\x00\x06\x00", err: ErrBinary, contains: "xlsx"},
		{name: "gzip", in: "\x1f\x8b\x08\x00\x00\x00", err: ErrBinary, contains: "gzip"},
		{name: "UTF-16", in: "\xFF\xFEa\x00,\x00b\x00", err: ErrBinary, contains: "UTF-16"},
		{name: "control characters", in: "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f,a\n", err: ErrBinary, contains: "control"},
		{
			name: "unterminated quote", in: "name,age,city\nAnn,31,Oslo\nBob,\"42,Rome\nCid,5,Bonn\n",
			err: ErrUnterminatedQuote, line: 3, column: 2, field: "age",
			contains: `dataset: line 3, column 2 ("age"): unterminated quoted field`,
		},
		{
			name: "unterminated quote after a quoted newline", in: "a,b\n\"x\ny\",\"z\n",
			err: ErrUnterminatedQuote, line: 3, column: 2, field: "b",
		},
		{
			name: "ragged strict", in: "a,b\n1,2\n3\n", opt: Options{Strict: true},
			err: ErrFieldCount, line: 3, contains: "line 3",
		},
		{name: "ragged skipped", in: "a,b\n1,2\n3\n4,5,6\n7,8\n", rows: 2, cols: 2, skipped: 2},
		{name: "single column", in: "score\n1\n2\n3\n", rows: 3, cols: 1},
		{name: "single column no header", in: "1\n2\n", rows: 2, cols: 1},
		{name: "single value", in: "42", rows: 1, cols: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := Read(strings.NewReader(tc.in), tc.opt)
			if tc.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				checkInvariants(t, tab)
				if tab.Rows != tc.rows || len(tab.Columns) != tc.cols || tab.SkippedCount != tc.skipped {
					t.Errorf("%d rows × %d columns, %d skipped; want %d × %d, %d", tab.Rows, len(tab.Columns), tab.SkippedCount, tc.rows, tc.cols, tc.skipped)
				}
				return
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if tab != nil {
				t.Error("table returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "dataset: ") {
				t.Errorf("message %q lacks the package prefix", err)
			}
			if tc.contains != "" && !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("message %q does not contain %q", err, tc.contains)
			}
			if tc.line != 0 {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("%v is not a *ParseError", err)
				}
				if pe.Line != tc.line || pe.Column != tc.column || pe.Field != tc.field {
					t.Errorf("at line %d column %d field %q, want %d %d %q", pe.Line, pe.Column, pe.Field, tc.line, tc.column, tc.field)
				}
			}
		})
	}
}

func TestInference(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		kinds   []Kind
		missing []int
		layouts []string   // "" for non-dates
		text    [][]string // Text(i) of each column, nil to skip
	}{
		{
			name:    "numbers and missing tokens",
			in:      "i,f,m\n1,1.5,NA\n-2,2e3, \n3,.5,7\n,N/A,null\n",
			kinds:   []Kind{KindInteger, KindFloat, KindInteger},
			missing: []int{1, 1, 3},
			text:    [][]string{{"1", "-2", "3", ""}, {"1.5", "2000", "0.5", ""}, {"", "", "7", ""}},
		},
		{
			name:    "thousands separators",
			in:      "a;b\n\"1,234,567\";\"1,234.5\"\n2;3\n",
			kinds:   []Kind{KindInteger, KindFloat},
			missing: []int{0, 0},
			text:    [][]string{{"1234567", "2"}, {"1234.5", "3"}},
		},
		{
			name:    "leading zeros make identifiers kept as text",
			in:      "code,n\n0001,1\n0002,2\n0003,3\n",
			kinds:   []Kind{KindIdentifier, KindInteger},
			missing: []int{0, 0},
			text:    [][]string{{"0001", "0002", "0003"}, nil},
		},
		{
			name:    "numbers then text re-renders the numbers",
			in:      "inv,q\n536365,1\n536366,2\nC536367,3\n",
			kinds:   []Kind{KindIdentifier, KindInteger},
			missing: []int{0, 0},
			text:    [][]string{{"536365", "536366", "C536367"}, nil},
		},
		{
			name:    "unique integer id by name",
			in:      "CustomerID,Region\n10,1\n11,2\n12,1\n",
			kinds:   []Kind{KindIdentifier, KindInteger},
			missing: []int{0, 0},
			text:    [][]string{{"10", "11", "12"}, nil},
		},
		{
			name:    "repeated integer id stays integer",
			in:      "CustomerID,Paid\n10,1\n10,2\n,1\n",
			kinds:   []Kind{KindInteger, KindInteger},
			missing: []int{1, 0},
		},
		{
			name:    "day first decided by the data",
			in:      "d,t\n01/12/2010,01/12/2010 08:26\n20/12/2010,20/12/2010 16:09\n",
			kinds:   []Kind{KindDate, KindDate},
			missing: []int{0, 0},
			layouts: []string{"02/01/2006", "02/01/2006 15:04"},
			text:    [][]string{{"01/12/2010", "20/12/2010"}, {"01/12/2010 08:26", "20/12/2010 16:09"}},
		},
		{
			name:    "month first decided by the data",
			in:      "d\n12/1/2010\n1/20/2010\n",
			kinds:   []Kind{KindDate},
			missing: []int{0},
			layouts: []string{"1/2/2006"},
			text:    [][]string{{"12/1/2010", "1/20/2010"}},
		},
		{
			name:    "undecided slash dates are month first",
			in:      "d\n01/02/2010\n03/04/2010\n",
			kinds:   []Kind{KindDate},
			missing: []int{0},
			layouts: []string{"01/02/2006"},
		},
		{
			name:    "dashes are day first",
			in:      "d\n04-09-2012\n08-03-2014\n",
			kinds:   []Kind{KindDate},
			missing: []int{0},
			layouts: []string{"02-01-2006"},
		},
		{
			name:    "iso dates and times",
			in:      "d,t,z\n2024-01-31,2024-01-31 23:59:58,2024-01-31T10:00:00Z\n2024-02-29,NA,2024-02-01T00:00:00Z\n",
			kinds:   []Kind{KindDate, KindDate, KindDate},
			missing: []int{0, 1, 0},
			layouts: []string{"2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z"},
			text:    [][]string{{"2024-01-31", "2024-02-29"}, {"2024-01-31 23:59:58", ""}, nil},
		},
		{
			name:    "impossible dates are text",
			in:      "d\n31/02/2010\n30/02/2011\n31/02/2010\n",
			kinds:   []Kind{KindCategorical},
			missing: []int{0},
			text:    [][]string{{"31/02/2010", "30/02/2011", "31/02/2010"}},
		},
		{
			name:    "mixed day and month overflow is text",
			in:      "d\n13/01/2010\n01/13/2010\n13/01/2010\n",
			kinds:   []Kind{KindCategorical},
			missing: []int{0},
			text:    [][]string{{"13/01/2010", "01/13/2010", "13/01/2010"}},
		},
		{
			name:    "yyyymmdd integers are dates",
			in:      "d,n\n19970101,20250101\n19980630,1\n",
			kinds:   []Kind{KindDate, KindInteger},
			missing: []int{0, 0},
			layouts: []string{"20060102", ""},
			text:    [][]string{{"19970101", "19980630"}, nil},
		},
		{
			name:    "categorical trimmed and text",
			in:      "g,desc\nMale ,a long description here\n Female,another one entirely\nMale,third line of text\n",
			kinds:   []Kind{KindCategorical, KindCategorical},
			missing: []int{0, 0},
			text:    [][]string{{"Male", "Female", "Male"}, nil},
		},
		{
			name:    "empty column",
			in:      "a,b\n1,\n2,NA\n",
			kinds:   []Kind{KindInteger, KindEmpty},
			missing: []int{0, 2},
			text:    [][]string{nil, {"", ""}},
		},
		{
			name:    "big integers are not numbers",
			in:      "card\n12345678901234567890\n98765432109876543210\n",
			kinds:   []Kind{KindIdentifier},
			missing: []int{0},
			text:    [][]string{{"12345678901234567890", "98765432109876543210"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := Read(strings.NewReader(tc.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, tab)
			if len(tab.Columns) != len(tc.kinds) {
				t.Fatalf("%d columns, want %d", len(tab.Columns), len(tc.kinds))
			}
			for j, c := range tab.Columns {
				if c.Kind != tc.kinds[j] || c.Missing != tc.missing[j] {
					t.Errorf("%s: %v with %d missing, want %v with %d", c.Name, c.Kind, c.Missing, tc.kinds[j], tc.missing[j])
				}
				if tc.layouts != nil && c.DateLayout != tc.layouts[j] {
					t.Errorf("%s: layout %q, want %q", c.Name, c.DateLayout, tc.layouts[j])
				}
				if tc.text != nil && tc.text[j] != nil {
					for i, want := range tc.text[j] {
						if got := c.Text(i); got != want {
							t.Errorf("%s: Text(%d) = %q, want %q", c.Name, i, got, want)
						}
					}
				}
			}
		})
	}
}

func TestStringKinds(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,code,desc,cat,name_id\n")
	for i := 0; i < 3000; i++ {
		// id: unique codes; code: 1500 distinct codes; desc: many phrases; cat: 5 values.
		b.WriteString("C")
		b.WriteString(itoa(10000 + i))
		b.WriteString(",P")
		b.WriteString(itoa(i % 1500))
		b.WriteString(",item number ")
		b.WriteString(itoa(i % 2000))
		b.WriteString(" in red,")
		b.WriteString([]string{"a", "b", "c", "d", "e"}[i%5])
		b.WriteString(",x")
		b.WriteString(itoa(i))
		b.WriteString("y\n")
	}
	tab, err := Read(strings.NewReader(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, tab)
	want := []Kind{KindIdentifier, KindIdentifier, KindText, KindCategorical, KindIdentifier}
	for j, c := range tab.Columns {
		if c.Kind != want[j] {
			t.Errorf("%s: %v, want %v", c.Name, c.Kind, want[j])
		}
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestColumnText(t *testing.T) {
	c := &Column{Kind: KindFloat, Num: []float64{1, 2.50, math.NaN(), 1e21, 1e-7, -0.125}}
	want := []string{"1", "2.5", "", "1e+21", "1e-07", "-0.125"}
	for i, w := range want {
		if got := c.Text(i); got != w {
			t.Errorf("Text(%d) = %q, want %q", i, got, w)
		}
	}
	if c.Text(-1) != "" || c.Text(99) != "" {
		t.Error("out of range Text is not empty")
	}
	d := &Column{Kind: KindDate, Num: []float64{1291191960}, DateLayout: "02/01/2006 15:04"}
	if got := d.Text(0); got != "01/12/2010 08:26" {
		t.Errorf("date Text = %q", got)
	}
	e := &Column{Kind: KindEmpty}
	if e.Text(0) != "" {
		t.Error("empty column Text")
	}
}

// TestIDColumns checks which integer columns named like an id become
// identifiers: unique keys and repeated keys with many values do; a short
// code list (RegionID 1–3) stays a number.
func TestIDColumns(t *testing.T) {
	var b strings.Builder
	b.WriteString("RegionID,CustomerID,OrderID,Amount\n")
	for i := range 600 {
		fmt.Fprintf(&b, "%d,%d,%d,%d\n", 1+i%3, 1000+i%150, 50000+i, i%7)
	}
	tab, err := Read(strings.NewReader(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]Kind{"RegionID": KindInteger, "CustomerID": KindIdentifier, "OrderID": KindIdentifier, "Amount": KindInteger} {
		if got := tab.Column(name).Kind; got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	if got := tab.Column("CustomerID").Text(1); got != "1001" {
		t.Errorf("CustomerID text %q", got)
	}
}
