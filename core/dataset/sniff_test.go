package dataset

import (
	"errors"
	"testing"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		delim  rune
		header bool
		enc    string
		ending string
		bom    bool
	}{
		{"comma", "a,b,c\n1,2,3\n4,5,6\n", ',', true, EncodingUTF8, "LF", false},
		{"semicolon with decimal commas", "a;b;c\n1,5;2,5;3\n4;5,1;6\n", ';', true, EncodingUTF8, "LF", false},
		{"semicolon quoted", "\"age\";\"job\"\n30;\"admin.\"\n31;\"blue-collar\"\n", ';', true, EncodingUTF8, "LF", false},
		{"tab", "a\tb c\n1\t2\n3\t4\n", '\t', true, EncodingUTF8, "LF", false},
		{"tab of numbers is tab not spaces", "1.5\t2\n3\t4\n", '\t', false, EncodingUTF8, "LF", false},
		{"pipe", "a|b\n1|2\n", '|', true, EncodingUTF8, "LF", false},
		{"runs of spaces", " 00004 0001 19970101  2   29.33\r\r\n 00004 0001 19970118  2   29.73\r\r\n", ' ', false, EncodingUTF8, "CRCRLF", false},
		{"right aligned", "     58882     63168\n     58959     63322\n", ' ', false, EncodingUTF8, "LF", false},
		{"comma wins over spaces in text", "name,city\nAnn Lee,New York\nBo Wu,Rio de Janeiro\n", ',', true, EncodingUTF8, "LF", false},
		{"single column of text", "name\nAnn Lee\nBo\n", ',', true, EncodingUTF8, "LF", false},
		{"single column of numbers", "1\n2\n3\n", ',', false, EncodingUTF8, "LF", false},
		{"no header: all text with repeats", "Male,Yes\nFemale,No\nMale,No\n", ',', false, EncodingUTF8, "LF", false},
		{"header over text", "gender,churn\nMale,Yes\nFemale,No\n", ',', true, EncodingUTF8, "LF", false},
		{"header over dates", "day,n\n2010-01-01,1\n2010-01-02,2\n", ',', true, EncodingUTF8, "LF", false},
		{"no header over numbers", "1,2\n3,4\n", ',', false, EncodingUTF8, "LF", false},
		{"CRLF", "a,b\r\n1,2\r\n", ',', true, EncodingUTF8, "CRLF", false},
		{"CR", "a,b\r1,2\r", ',', true, EncodingUTF8, "CR", false},
		{"BOM", "\xEF\xBB\xBFa,b\n1,2\n", ',', true, EncodingUTF8, "LF", true},
		{"windows-1252", "a,b\n\xa3,1\n", ',', true, EncodingWindows1252, "LF", false},
		{"quoted newlines do not confuse", "a,b\n\"x\ny\",1\n\"z\",2\n", ',', true, EncodingUTF8, "LF", false},
		{"one header line", "name,age", ',', true, EncodingUTF8, "LF", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Sniff([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			want := Format{Delimiter: tc.delim, Header: tc.header, Encoding: tc.enc, LineEnding: tc.ending, BOM: tc.bom}
			if f != want {
				t.Errorf("Sniff = %+v, want %+v", f, want)
			}
		})
	}
}

func TestSniffErrors(t *testing.T) {
	tests := []struct {
		in  string
		err error
	}{
		{"", ErrEmpty},
		{" \r\n\n", ErrEmpty},
		{"a\x00b", ErrBinary},
		{"PK\x03\x04rest", ErrBinary},
		{"\xD0\xCF\x11\xE0rest", ErrBinary},
		{"%PDF-1.4", ErrBinary},
		{"\xFE\xFF\x00a", ErrBinary},
	}
	for _, tc := range tests {
		if _, err := Sniff([]byte(tc.in)); !errors.Is(err, tc.err) {
			t.Errorf("Sniff(%q) error %v, want %v", tc.in, err, tc.err)
		}
	}
}
