package dataset

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// sniffRecords is how many records the sniffer looks at per candidate.
const sniffRecords = 100

// Sniff guesses the layout of delimited text from a sample of its start
// (ideally whole lines; a cut last line only adds a little noise):
//
//   - BOM: a UTF-8 byte order mark is noted (and skipped); UTF-16 text,
//     NUL bytes, known binary signatures (zip/xlsx, xls, gzip, pdf) and
//     mostly control characters give ErrBinary.
//   - Encoding: "utf-8" if the sample is valid UTF-8, else "windows-1252".
//   - LineEnding: the most frequent of LF, CRLF, CR and CR CR LF.
//   - Delimiter: among , \t ; | and runs of spaces (' '), the one that
//     splits the most records into the same number (≥ 2) of fields — at
//     least half of them; for spaces 90% and the first record too; ties go
//     to more fields, then to that order (so a TAB file is TAB, not
//     spaces). When nothing splits the records consistently the file has a single
//     column, which is valid, and Delimiter is ','.
//   - Header: true when the first record has no numbers or dates and some
//     column below it is mostly numbers or dates; when every column is
//     text, true unless a first-row value reappears in its column below.
//
// A sample with no records gives ErrEmpty.
func Sniff(sample []byte) (Format, error) {
	return sniff(sample, true, 0)
}

// sniff is Sniff; complete says whether sample is the whole input, and a
// non-zero delim fixes the delimiter.
func sniff(sample []byte, complete bool, delim byte) (Format, error) {
	f := Format{Encoding: EncodingUTF8, LineEnding: "LF"}
	if err := checkBinary(sample); err != nil {
		return f, err
	}
	if bytes.HasPrefix(sample, []byte("\xEF\xBB\xBF")) {
		f.BOM = true
		sample = sample[3:]
	}
	if len(bytes.Trim(sample, " \t\r\n")) == 0 {
		return f, ErrEmpty
	}
	cut := len(sample)
	if !complete {
		cut -= incompleteTail(sample)
	}
	if !utf8.Valid(sample[:cut]) {
		f.Encoding = EncodingWindows1252
	}
	f.LineEnding = lineEnding(sample)
	if !complete {
		// Drop the last, probably cut, line when there is more than one.
		if k := bytes.LastIndexAny(sample, "\r\n"); k > 0 {
			sample = sample[:k+1]
		}
	}
	if delim == 0 {
		delim = sniffDelim(sample)
	}
	f.Delimiter = rune(delim)
	f.Header = sniffHeader(sample, delim)
	return f, nil
}

// checkBinary rejects input that is not text.
func checkBinary(b []byte) error {
	sigs := []struct{ magic, what string }{
		{"PK\x03\x04", "a zip archive (an .xlsx or .ods spreadsheet?); export it as CSV"},
		{"\xD0\xCF\x11\xE0", "an Office document (an .xls spreadsheet?); export it as CSV"},
		{"\x1F\x8B", "gzip-compressed; decompress it first"},
		{"%PDF", "a PDF document"},
		{"\xFF\xFE", "UTF-16 text; save it as UTF-8"},
		{"\xFE\xFF", "UTF-16 text; save it as UTF-8"},
	}
	for _, s := range sigs {
		if bytes.HasPrefix(b, []byte(s.magic)) {
			return fmt.Errorf("%w: the file is %s", ErrBinary, s.what)
		}
	}
	if k := bytes.IndexByte(b, 0); k >= 0 {
		return fmt.Errorf("%w: NUL byte at offset %d (binary data or UTF-16 text)", ErrBinary, k)
	}
	ctrl := 0
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	for _, c := range b {
		if (c < ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F {
			ctrl++
		}
	}
	if ctrl >= 8 && ctrl*10 > len(b) {
		return fmt.Errorf("%w: %d of %d bytes are control characters", ErrBinary, ctrl, len(b))
	}
	return nil
}

// lineEnding returns the most frequent line break style.
func lineEnding(b []byte) string {
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	if bytes.IndexByte(b, '\r') < 0 {
		return "LF"
	}
	var lf, crlf, cr, crcrlf int
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n':
			lf++
		case '\r':
			k, _ := crLen(b[i:], true)
			switch k {
			case 3:
				crcrlf++
			case 2:
				crlf++
			default:
				cr++
			}
			i += k - 1
		}
	}
	best, name := lf, "LF"
	if crlf > best {
		best, name = crlf, "CRLF"
	}
	if cr > best {
		best, name = cr, "CR"
	}
	if crcrlf > best {
		name = "CRCRLF"
	}
	return name
}

// sampleReader returns a Reader over a complete in-memory sample.
func sampleReader(sample []byte, delim byte) *Reader {
	r := &Reader{buf: sample, end: len(sample), eof: true, enc: EncodingUTF8, encFixed: true}
	r.setDelim(delim)
	return r
}

// sniffDelim picks the delimiter (see Sniff).
func sniffDelim(sample []byte) byte {
	best, bestFreq, bestMode := byte(','), 0.0, 0
	for _, d := range []byte{',', '\t', ';', '|', ' '} {
		r := sampleReader(sample, d)
		counts := map[int]int{}
		total, first := 0, 0
		for total < sniffRecords && r.readRecord() == nil {
			if total == 0 {
				first = len(r.fields)
			}
			counts[len(r.fields)]++
			total++
		}
		mode, modeN := 0, 0
		for c, n := range counts {
			if n > modeN || (n == modeN && c > mode) {
				mode, modeN = c, n
			}
		}
		if mode < 2 || total == 0 {
			continue
		}
		freq := float64(modeN) / float64(total)
		if freq < 0.5 || (d == ' ' && (freq < 0.9 || first != mode)) {
			continue
		}
		if freq > bestFreq+1e-9 || (freq > bestFreq-1e-9 && mode > bestMode) {
			best, bestFreq, bestMode = d, freq, mode
		}
	}
	return best
}

// sniffHeader decides whether the first record is a header (see Sniff).
func sniffHeader(sample []byte, delim byte) bool {
	r := sampleReader(sample, delim)
	if r.readRecord() != nil {
		return false
	}
	first := make([]string, len(r.fields))
	letters := false
	for j, f := range r.fields {
		c := trim(f)
		first[j] = string(c)
		if len(c) == 0 {
			continue
		}
		if _, _, ok := parseNum(c); ok {
			return false
		}
		if _, ok := parseDateCell(c); ok {
			return false
		}
		for _, ch := range c {
			if lower(ch) >= 'a' && lower(ch) <= 'z' || ch >= 0x80 {
				letters = true
			}
		}
	}
	if !letters {
		return false
	}
	typed := make([]int, len(first))
	present := make([]int, len(first))
	repeated, rows := false, 0
	for ; rows < sniffRecords && r.readRecord() == nil; rows++ {
		for j, f := range r.fields {
			if j >= len(first) {
				break
			}
			c := trim(f)
			if isMissing(c) {
				continue
			}
			present[j]++
			if _, _, ok := parseNum(c); ok {
				typed[j]++
			} else if _, ok := parseDateCell(c); ok {
				typed[j]++
			}
			if first[j] != "" && string(c) == first[j] {
				repeated = true
			}
		}
	}
	if rows == 0 {
		return true
	}
	for j := range first {
		if first[j] != "" && present[j] > 0 && typed[j]*2 > present[j] {
			return true
		}
	}
	return !repeated
}
