package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"unicode/utf8"
)

// HeaderMode says whether the first record holds column names.
type HeaderMode uint8

// Header modes.
const (
	HeaderAuto    HeaderMode = iota // decide from the data (see Sniff)
	HeaderPresent                   // the first record holds column names
	HeaderAbsent                    // no header: columns are named col1..colN
)

// Options control reading. The zero value sniffs everything.
type Options struct {
	// Delimiter is the field separator: ',', ';', '\t', '|' or any other
	// ASCII punctuation, or ' ' for runs of spaces and tabs (fixed-width
	// style). Zero means sniff it from the first chunk.
	Delimiter rune
	// Header says whether the first record holds names; the zero value
	// (HeaderAuto) decides from the data.
	Header HeaderMode
	// Encoding is "utf-8" or "windows-1252" (also accepted: "cp1252",
	// "latin-1", "iso-8859-1"). Empty means detect: UTF-8 unless the file
	// holds bytes that are not valid UTF-8 (see Reader).
	Encoding string
	// Strict makes a record with the wrong number of fields an error
	// (ErrFieldCount) instead of skipping and counting it.
	Strict bool
	// Progress, if set, is called after each chunk is read with the number
	// of bytes read so far.
	Progress func(bytesRead int64)
}

// maxSkippedList is how many ragged rows are listed (all are counted).
const maxSkippedList = 100

// Variables for tests.
var (
	chunkSize  = 1 << 20  // bytes read at a time; the first chunk is the sniff sample
	maxRecord  = 64 << 20 // the most bytes one record may span
	maxColumns = 1 << 16  // the most columns a file may have
)

// parse status
const (
	stOK    = iota // a record was parsed
	stMore         // the buffer ended inside the record: read more
	stQuote        // end of input inside a quoted field
)

// character classes for the unquoted-field scan
const (
	clsDelim = 1
	clsCR    = 2
	clsLF    = 3
)

// Reader reads records from delimited text one at a time, in chunks, so
// memory stays bounded by the longest record. It is what Read uses, and
// what a caller uses to re-emit original rows.
//
// Records are returned with quotes removed and decoded to UTF-8. Fields are
// not trimmed and missing tokens are not interpreted (see CleanText,
// ParseNumber). Blank lines (empty or only spaces) are skipped; line breaks
// may be LF, CRLF, CR or CR CR LF, each counting as one line. Quoted fields
// may hold delimiters, line breaks and doubled quotes; a quote that is
// neither doubled nor followed by a delimiter or line end is kept as a
// literal character. A record with more fields than expected whose extra
// fields are all blank (trailing delimiters or spaces) is cut back to the
// expected width; other records with the wrong number of fields are
// skipped and counted (Skipped), or are an error with Options.Strict.
//
// Encoding: when Options.Encoding is empty the first chunk (1 MiB) decides.
// If it is valid UTF-8 the file is read as UTF-8, and every later chunk is
// checked too: at the first chunk holding invalid UTF-8 the Reader switches
// to Windows-1252 for the rest of the file (Format reports the switch).
// Records already returned before the switch were decoded as UTF-8; that is
// only visible if they held non-ASCII bytes, and Read repairs them (decoding
// valid UTF-8 keeps the bytes, so re-decoding them as Windows-1252 is
// exact).
type Reader struct {
	src    io.Reader
	opt    Options
	format Format
	header []string
	want   int

	buf       []byte
	pos, end  int
	eof       bool
	validated int // buf[:validated] has been checked (encoding, NUL)
	line      int // line breaks consumed before pos
	recLine   int // 1-based line where the last record started
	bytesRead int64

	delim byte // ' ' when ws
	ws    bool
	cls   [256]uint8

	fields  [][]byte
	extra   int // fields of the record beyond maxColumns+1, not kept
	scratch []byte
	out     []string
	dec     decoder

	enc      string
	encFixed bool
	switched bool // switched from UTF-8 to Windows-1252 mid-stream
	nonASCII bool // decoded non-ASCII text as UTF-8 before any switch

	// state of the last stMore/stQuote parse
	inQuote bool
	qLines  int
	qCol    int

	pending  bool // fields holds the first data record, not yet returned
	skipped  []RowIssue
	nskipped int
	err      error // sticky error
}

// NewReader reads the first chunk of r, sniffs its format (Sniff) except
// where opt fixes it, and reads the header if there is one. An input with
// no records gives ErrEmpty.
func NewReader(r io.Reader, opt Options) (*Reader, error) {
	size := chunkSize
	if n := sizeOf(r); n >= 0 && n < int64(chunkSize)-16 {
		size = int(n) + 16 // a small input needs no full chunk
	}
	rd := &Reader{src: r, opt: opt, buf: make([]byte, size)}
	if opt.Encoding != "" {
		rd.enc = normalizeEncoding(opt.Encoding)
		if rd.enc == "" {
			return nil, fmt.Errorf("%w %q (want utf-8 or windows-1252)", ErrEncoding, opt.Encoding)
		}
		rd.encFixed = true
	}
	var delim byte
	if d := opt.Delimiter; d != 0 {
		if d >= utf8.RuneSelf || d == '"' || d == '\r' || d == '\n' || (d < ' ' && d != '\t') ||
			('0' <= d && d <= '9') || ('a' <= d && d <= 'z') || ('A' <= d && d <= 'Z') || d == '.' || d == '-' {
			return nil, fmt.Errorf("dataset: unsupported delimiter %q", d)
		}
		delim = byte(d)
	}
	// Fill the first chunk (several reads if the source returns short ones).
	for !rd.eof && rd.end < len(rd.buf) {
		if err := rd.read(); err != nil {
			return nil, err
		}
	}
	// The sample must hold at least one whole non-blank line.
	for !rd.eof && !sampleReady(rd.buf[:rd.end]) && len(rd.buf) < maxRecord {
		if rd.end == len(rd.buf) {
			nb := make([]byte, 2*len(rd.buf))
			copy(nb, rd.buf[:rd.end])
			rd.buf = nb
		}
		if err := rd.read(); err != nil {
			return nil, err
		}
	}
	if rd.opt.Progress != nil {
		rd.opt.Progress(rd.bytesRead)
	}
	sample := rd.buf[:rd.end]
	f, err := sniff(sample, rd.eof, delim)
	if err != nil {
		return nil, err
	}
	if f.BOM {
		rd.pos = 3
	}
	rd.validated = rd.pos
	if rd.encFixed {
		f.Encoding = rd.enc
	} else {
		rd.enc = f.Encoding
		rd.encFixed = f.Encoding == EncodingWindows1252
	}
	switch opt.Header {
	case HeaderPresent:
		f.Header = true
	case HeaderAbsent:
		f.Header = false
	}
	rd.format = f
	rd.setDelim(byte(f.Delimiter))
	if err := rd.check(); err != nil {
		return nil, err
	}
	if err := rd.readRecord(); err != nil {
		if err == io.EOF {
			return nil, ErrEmpty
		}
		return nil, err
	}
	if n := len(rd.fields) + rd.extra; n > maxColumns {
		return nil, &ParseError{Line: rd.recLine, Err: fmt.Errorf("%w: %d fields, the limit is %d", ErrTooWide, n, maxColumns)}
	}
	if f.Header {
		rd.header = headerNames(rd.fields, rd.decode)
	} else {
		rd.header = make([]string, len(rd.fields))
		for i := range rd.header {
			rd.header[i] = "col" + strconv.Itoa(i+1)
		}
		rd.pending = true
	}
	rd.want = len(rd.header)
	return rd, nil
}

// sampleReady reports whether b holds a non-blank line and its line break.
func sampleReady(b []byte) bool {
	b = bytes.TrimLeft(b, "\xEF\xBB\xBF \t\r\n")
	return len(b) > 0 && bytes.IndexAny(b, "\r\n") >= 0
}

// setDelim prepares the character classes for delimiter d (' ' = runs of
// spaces and tabs).
func (r *Reader) setDelim(d byte) {
	r.delim = d
	r.ws = d == ' '
	r.cls = [256]uint8{}
	r.cls['\r'] = clsCR
	r.cls['\n'] = clsLF
	if r.ws {
		r.cls[' '] = clsDelim
		r.cls['\t'] = clsDelim
	} else {
		r.cls[d] = clsDelim
	}
}

// headerNames turns the header record into column names: decoded, trimmed,
// empty names replaced by colN, duplicates suffixed _2, _3, ...
func headerNames(fields [][]byte, decode func([]byte) string) []string {
	names := make([]string, len(fields))
	seen := make(map[string]bool, len(fields))
	for i, f := range fields {
		n := trim(decode(f))
		if n == "" {
			n = "col" + strconv.Itoa(i+1)
		}
		base := n
		for k := 2; seen[n]; k++ {
			n = base + "_" + strconv.Itoa(k)
		}
		seen[n] = true
		names[i] = n
	}
	return names
}

// Format returns what was detected (or given) about the file. The encoding
// may change from "utf-8" to "windows-1252" while reading (see Reader).
func (r *Reader) Format() Format {
	f := r.format
	f.Encoding = r.enc
	return f
}

// Header returns the column names: from the header record, or col1..colN.
func (r *Reader) Header() []string { return r.header }

// Line returns the 1-based physical line where the last record returned by
// Next started.
func (r *Reader) Line() int { return r.recLine }

// Skipped returns the first ragged rows skipped (at most 100) and how many
// were skipped in all.
func (r *Reader) Skipped() ([]RowIssue, int) { return r.skipped, r.nskipped }

// NextRecord reads the next data record into rec as raw field text by
// column name (the form prep.Pipeline.TransformRecord and model.Predict
// take), clearing rec first so a map can be reused across rows. It returns
// io.EOF after the last record.
func (r *Reader) NextRecord(rec map[string]any) error {
	fields, err := r.Next()
	if err != nil {
		return err
	}
	clear(rec)
	for i, name := range r.header {
		if i < len(fields) {
			rec[name] = fields[i]
		}
	}
	return nil
}

// ReadRecordsFile returns every data row of a file as a record of raw field
// text by column name (see NextRecord), in file order; ragged rows are
// skipped as Next skips them. It holds the whole file as records, so it is
// for small files: scoring a sample, tests.
func ReadRecordsFile(path string, opt Options) ([]map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	r, err := NewReader(f, opt)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for {
		rec := map[string]any{}
		if err := r.NextRecord(rec); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
}

// Next returns the next data record, or io.EOF after the last. The returned
// slice (not the strings) is reused by the next call; copy it to keep it.
func (r *Reader) Next() ([]string, error) {
	f, err := r.nextRaw()
	if err != nil {
		return nil, err
	}
	r.out = r.out[:0]
	for _, b := range f {
		r.out = append(r.out, r.decode(b))
	}
	return r.out, nil
}

// decode converts a raw field to a UTF-8 string.
func (r *Reader) decode(b []byte) string {
	r.dec.cp1252 = r.enc == EncodingWindows1252
	return string(r.dec.bytes(b))
}

// nextRaw returns the raw fields of the next data record of the expected
// width, dealing with ragged records.
func (r *Reader) nextRaw() ([][]byte, error) {
	if r.pending {
		r.pending = false
		return r.fields, nil
	}
	for {
		if err := r.readRecord(); err != nil {
			return nil, err
		}
		f := r.fields
		if len(f) == r.want {
			return f, nil
		}
		if len(f) > r.want && r.extra == 0 && allBlank(f[r.want:]) {
			r.fields = f[:r.want]
			return r.fields, nil
		}
		n := len(f) + r.extra
		if r.opt.Strict {
			r.err = &ParseError{Line: r.recLine,
				Err: fmt.Errorf("%w: got %d, want %d", ErrFieldCount, n, r.want)}
			return nil, r.err
		}
		r.nskipped++
		if len(r.skipped) < maxSkippedList {
			reason := "too few fields"
			if n > r.want {
				reason = "too many fields"
			}
			r.skipped = append(r.skipped, RowIssue{Line: r.recLine, Fields: n, Want: r.want, Reason: reason})
		}
	}
}

func allBlank(f [][]byte) bool {
	for _, b := range f {
		if len(trim(b)) != 0 {
			return false
		}
	}
	return true
}

// readRecord reads the next non-blank record into r.fields (io.EOF at end).
func (r *Reader) readRecord() error {
	if r.err != nil {
		return r.err
	}
	for {
		if err := r.skipBlank(); err != nil {
			if err != io.EOF {
				r.err = err
			}
			return err
		}
		n, lines, st := r.parseRecord(r.buf[r.pos:r.end], r.eof)
		switch st {
		case stOK:
			r.recLine = r.line + 1
			r.line += lines
			r.pos += n
			return nil
		case stQuote:
			r.err = r.quoteError("")
			return r.err
		}
		if r.eof { // cannot happen: parseRecord completes at EOF
			r.err = errors.New("dataset: internal error: parser wants more input at end of file")
			return r.err
		}
		if err := r.fill(); err != nil {
			if errors.Is(err, ErrTooLong) && r.inQuote {
				err = r.quoteError(" (no closing quote within 64 MiB)")
			}
			r.err = err
			return err
		}
	}
}

func (r *Reader) quoteError(detail string) error {
	pe := &ParseError{Line: r.line + 1 + r.qLines, Column: r.qCol, Err: ErrUnterminatedQuote}
	if detail != "" {
		pe.Err = fmt.Errorf("%w%s", ErrUnterminatedQuote, detail)
	}
	if r.qCol >= 1 && r.qCol <= len(r.header) {
		pe.Field = r.header[r.qCol-1]
	}
	return pe
}

// skipBlank moves past empty and space-only lines.
func (r *Reader) skipBlank() error {
	for {
		b := r.buf[r.pos:r.end]
		j := 0
		for j < len(b) && (b[j] == ' ' || (b[j] == '\t' && r.delim != '\t')) {
			j++
		}
		if j == len(b) {
			if r.eof {
				r.pos = r.end
				return io.EOF
			}
			if err := r.fill(); err != nil {
				return err
			}
			continue
		}
		switch b[j] {
		case '\n':
			r.pos += j + 1
			r.line++
			continue
		case '\r':
			k, ok := crLen(b[j:], r.eof)
			if !ok {
				if err := r.fill(); err != nil {
					return err
				}
				continue
			}
			r.pos += j + k
			r.line++
			continue
		}
		return nil
	}
}

// crLen returns the length of the line break starting with the CR at b[0]:
// CR LF and CR CR LF are one break. ok is false if more input is needed to
// decide.
func crLen(b []byte, eof bool) (int, bool) {
	if len(b) < 2 {
		return 1, eof
	}
	if b[1] == '\n' {
		return 2, true
	}
	if b[1] == '\r' {
		if len(b) < 3 {
			return 1, eof
		}
		if b[2] == '\n' {
			return 3, true
		}
	}
	return 1, true
}

// countBreaks counts line breaks inside quoted text, with crLen's rules.
func countBreaks(b []byte) int {
	if bytes.IndexByte(b, '\n') < 0 && bytes.IndexByte(b, '\r') < 0 {
		return 0
	}
	n := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n':
			n++
		case '\r':
			k, _ := crLen(b[i:], true)
			i += k - 1
			n++
		}
	}
	return n
}

// parseRecord splits the record at the start of b into r.fields. It returns
// the bytes consumed (with the line break), the line breaks consumed, and
// a status; with stMore nothing is consumed (the caller reads more and
// calls again). b does not start with a blank line.
func (r *Reader) parseRecord(b []byte, eof bool) (n, lines, st int) {
	r.fields = r.fields[:0]
	r.scratch = r.scratch[:0]
	r.extra = 0
	r.inQuote = false
	cls := &r.cls
	ws := r.ws
	i := 0
	for {
		// At the start of a field.
		if ws {
			for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
				i++
			}
		}
		q := i
		if !ws {
			for q < len(b) && b[q] == ' ' {
				q++
			}
		}
		if q == len(b) && !eof {
			return 0, 0, stMore
		}
		if q < len(b) && b[q] == '"' {
			// Quoted field.
			r.inQuote, r.qLines, r.qCol = true, lines, len(r.fields)+1
			i = q + 1
			start := i
			esc := false
			for {
				k := bytes.IndexByte(b[i:], '"')
				if k < 0 {
					if !eof {
						return 0, 0, stMore
					}
					return 0, lines, stQuote
				}
				i += k
				if i+1 >= len(b) && !eof {
					return 0, 0, stMore
				}
				if i+1 < len(b) && b[i+1] == '"' {
					esc = true
					i += 2
					continue
				}
				j := i + 1
				for j < len(b) && (b[j] == ' ' || (b[j] == '\t' && r.delim != '\t')) {
					j++
				}
				if j == len(b) && !eof {
					return 0, 0, stMore
				}
				if j == len(b) || cls[b[j]] != 0 || (ws && j > i+1) {
					content := b[start:i]
					lines += countBreaks(content)
					if esc {
						s0 := len(r.scratch)
						r.scratch = appendUnescaped(r.scratch, content)
						content = r.scratch[s0:len(r.scratch):len(r.scratch)]
					}
					r.addField(content)
					r.inQuote = false
					i = j
					break
				}
				i++ // a lone quote inside the field: keep it
			}
			if i == len(b) {
				return i, lines, stOK
			}
			if ws && cls[b[i]] == 0 {
				continue // the next field starts here
			}
		} else {
			start := i
			for i < len(b) && cls[b[i]] == 0 {
				i++
			}
			if i == len(b) {
				if !eof {
					return 0, 0, stMore
				}
				r.addField(b[start:i])
				return i, lines, stOK
			}
			r.addField(b[start:i])
		}
		// b[i] is a delimiter or a line break.
		switch cls[b[i]] {
		case clsDelim:
			i++
			if ws {
				for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
					i++
				}
				if i == len(b) {
					if !eof {
						return 0, 0, stMore
					}
					return i, lines, stOK
				}
				if c := cls[b[i]]; c == clsCR || c == clsLF {
					goto eol
				}
			}
			continue
		}
	eol:
		if b[i] == '\n' {
			return i + 1, lines + 1, stOK
		}
		k, ok := crLen(b[i:], eof)
		if !ok {
			return 0, 0, stMore
		}
		return i + k, lines + 1, stOK
	}
}

// addField appends a field to the record; beyond maxColumns+1 fields it
// only counts them (the record is too wide to keep anyway).
func (r *Reader) addField(f []byte) {
	if len(r.fields) <= maxColumns {
		r.fields = append(r.fields, f)
	} else {
		r.extra++
	}
}

// appendUnescaped appends quoted content with doubled quotes made single.
func appendUnescaped(dst, b []byte) []byte {
	for i := 0; i < len(b); i++ {
		dst = append(dst, b[i])
		if b[i] == '"' && i+1 < len(b) && b[i+1] == '"' {
			i++
		}
	}
	return dst
}

// read performs one Read into the free part of the buffer.
func (r *Reader) read() error {
	for tries := 0; ; tries++ {
		n, err := r.src.Read(r.buf[r.end:])
		if n < 0 || n > len(r.buf)-r.end {
			return errors.New("dataset: reader returned an invalid count")
		}
		r.end += n
		r.bytesRead += int64(n)
		if err == io.EOF {
			r.eof = true
			return nil
		}
		if err != nil {
			return fmt.Errorf("dataset: reading: %w", err)
		}
		if n > 0 {
			return nil
		}
		if tries >= 100 {
			return fmt.Errorf("dataset: reading: %w", io.ErrNoProgress)
		}
	}
}

// fill moves the unconsumed bytes to the front of the buffer (growing it
// if the record fills it) and reads more.
func (r *Reader) fill() error {
	if r.pos > 0 {
		n := copy(r.buf, r.buf[r.pos:r.end])
		r.validated -= r.pos
		r.end = n
		r.pos = 0
	}
	if r.end == len(r.buf) {
		if len(r.buf) >= maxRecord {
			return &ParseError{Line: r.line + 1, Err: fmt.Errorf("%w (over %d MiB)", ErrTooLong, maxRecord>>20)}
		}
		nb := make([]byte, 2*len(r.buf))
		copy(nb, r.buf[:r.end])
		r.buf = nb
	}
	if err := r.read(); err != nil {
		return err
	}
	if r.opt.Progress != nil {
		r.opt.Progress(r.bytesRead)
	}
	return r.check()
}

// check validates bytes read since the last check: no NUL bytes, and while
// reading as UTF-8, valid UTF-8 (else switch to Windows-1252).
func (r *Reader) check() error {
	seg := r.buf[r.validated:r.end]
	if k := bytes.IndexByte(seg, 0); k >= 0 {
		at := min(r.pos, r.validated+k)
		return &ParseError{Line: r.line + 1 + bytes.Count(r.buf[at:r.validated+k], []byte{'\n'}),
			Err: fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, r.bytesRead-int64(r.end-r.validated-k))}
	}
	if r.enc == EncodingUTF8 && !r.encFixed && !asciiOnly(seg) {
		cut := len(seg)
		if !r.eof {
			cut -= incompleteTail(seg)
		}
		if utf8.Valid(seg[:cut]) {
			r.nonASCII = true
			r.validated += cut
			return nil
		}
		r.enc = EncodingWindows1252
		r.encFixed = true
		r.switched = true
	}
	r.validated = r.end
	return nil
}
