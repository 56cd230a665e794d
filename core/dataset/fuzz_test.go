package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"testing"
)

var fuzzSeeds = []string{
	"a,b\n1,2\n",
	"CustomerID,Genre,Age\r\n0001,Male,19\r\n0002,Female,21",
	" 00004 0001 19970101  2   29.33\r\r\n 00004 0001 19970118  2   29.73\r\r\n",
	"\"age\";\"job\"\n30;\"admin.\"\n31;\"x\"\"y\"\n",
	"ID\tIncome\tDt\n1\t\t04-09-2012\n2\t5 \t08-03-2014 \n",
	"a,b\n\"x\ny\",1\n\"unterminated,2\n",
	"d\n01/12/2010 08:26\n20/12/2010 16:09\n",
	"\xEF\xBB\xBFname\nCaf\xe9\n",
	"a,b\n1,2,3\n4\n,,\n",
	"x\n1,234,567.5\n0042\nNA\n?\n1e5\n",
	"",
	"\x00\x01",
}

// FuzzRead: any input gives a Table whose invariants hold, or an error;
// never a panic. The Reader sees the same records whatever the buffer size.
func FuzzRead(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(fuzzOne)
}

func fuzzOne(t *testing.T, data []byte, mode uint8) {
	{
		opt := Options{Strict: mode&1 != 0}
		switch mode >> 1 % 4 {
		case 1:
			opt.Delimiter = ','
		case 2:
			opt.Delimiter = ' '
		case 3:
			opt.Delimiter = '\t'
			opt.Header = HeaderPresent
		}
		tab, err := readBoth(t, data, opt)
		if err != nil {
			if tab != nil {
				t.Fatal("a table and an error")
			}
		} else {
			if tab == nil {
				t.Fatal("no table and no error")
			}
			checkInvariants(t, tab)
		}

		// The tokenizer with a tiny buffer (many refills) must agree with
		// the whole-input parse.
		fixed := Options{Delimiter: []rune{',', ';', '\t', ' '}[mode%4], Header: HeaderAbsent, Encoding: "windows-1252"}
		big, bigLines, bigErr := recordsOf(data, fixed)
		defer func(c int) { chunkSize = c }(chunkSize)
		chunkSize = 1 + int(mode%7)
		small, smallLines, smallErr := recordsOf(data, fixed)
		if errors.Is(bigErr, ErrBinary) || errors.Is(smallErr, ErrBinary) {
			return // judged on a different sample
		}
		if (bigErr == nil) != (smallErr == nil) {
			t.Fatalf("errors differ: %v / %v", bigErr, smallErr)
		}
		if !equalRecords(big, small) || !equalInts(bigLines, smallLines) {
			t.Fatalf("records differ with a small buffer:\n%q %v\n%q %v", big, bigLines, small, smallLines)
		}
	}
}

func recordsOf(data []byte, opt Options) ([][]string, []int, error) {
	r, err := NewReader(bytes.NewReader(data), opt)
	if err != nil {
		return nil, nil, err
	}
	recs, lines, err := readAll(r)
	if err != nil {
		return recs, lines, err
	}
	return append([][]string{r.Header()}, recs...), lines, nil
}

// FuzzRoundTrip writes records with encoding/csv and reads them back.
func FuzzRoundTrip(f *testing.F) {
	f.Add("a", "b,c", "d\"e", uint8(0))
	f.Add(" x", "\r\n", "", uint8(1))
	f.Add("1.5", "NA", "é", uint8(2))
	f.Add("", "", "", uint8(3))
	f.Fuzz(func(t *testing.T, a, b, c string, d uint8) {
		comma := []rune{',', ';', '\t', '|'}[d%4]
		recs := [][]string{{a, b, c}, {c, a, b}, {b, c, a}}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Comma = comma
		if err := w.WriteAll(recs); err != nil {
			t.Skip()
		}
		r, err := NewReader(&buf, Options{Delimiter: comma, Header: HeaderAbsent, Encoding: "utf-8"})
		if errors.Is(err, ErrBinary) {
			t.Skip("NUL bytes or control characters are refused as binary")
		}
		if err != nil {
			t.Fatalf("%q: %v", buf.String(), err)
		}
		var got [][]string
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%q: %v", buf.String(), err)
			}
			got = append(got, append([]string(nil), rec...))
		}
		if !equalRecords(got, recs) {
			t.Fatalf("wrote %q as %q, read back %q", recs, buf.String(), got)
		}
	})
}
