package dataset

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/segkit/segkit/internal/lefloat"
)

// PartParser parses parts of a file somewhere else — on other Web Workers
// in the page, on goroutines natively — while ReadSplit parses the first
// part itself.
type PartParser interface {
	// Start hands over one job per part. It must not wait for the
	// results: it returns a function that does, giving one ParsePart
	// output per job, in order.
	Start(jobs []PartJob) (wait func() ([][]byte, error), err error)
}

// PartJob is one part of a file to parse: ParsePart(Head, Data).
type PartJob struct {
	Head []byte // how to read the part (a few bytes)
	Data []byte // the part's bytes: a window on the file, not a copy
}

// minPartBytes is the smallest part worth parsing elsewhere (a variable for
// tests).
var minPartBytes = 2 << 20

// ReadSplit reads a whole file held in memory, as Read does, with the work
// shared: the file is cut at line breaks into up to parts parts, pp parses
// all but the first (ParsePart) while this goroutine parses the first, and
// the columns are joined. The result is Read's, value for value: where a
// part cannot be joined exactly — a quoted field running across a cut, a
// column that is numbers in one part and text in an earlier one, a switch
// of encoding, any error — the whole file is read again by Read, which
// also gives any error its exact line. Files too small to split are read
// by Read directly. joined is the number of parts joined: 1 when the file
// was read whole.
func ReadSplit(data []byte, opt Options, parts int, pp PartParser) (t *Table, joined int, err error) {
	t, ok, err := readSplit(data, opt, parts, pp)
	if !ok {
		return t, 1, err
	}
	return t, len(cutPoints(data, parts)) - 1, err
}

// readSplit is ReadSplit reporting whether the parts were joined (false
// when it fell back to Read).
func readSplit(data []byte, opt Options, parts int, pp PartParser) (*Table, bool, error) {
	serial := func() (*Table, bool, error) {
		t, err := Read(bytes.NewReader(data), opt)
		return t, false, err
	}
	cuts := cutPoints(data, parts)
	if pp == nil || len(cuts) < 3 {
		return serial()
	}
	first := opt
	if p := opt.Progress; p != nil {
		// The parts advance together: the first one's share stands for all.
		scale := float64(len(data)) / float64(cuts[1])
		first.Progress = func(n int64) { p(int64(float64(n) * scale)) }
	}
	r, err := NewReader(bytes.NewReader(data[:cuts[1]]), first)
	if err != nil || r.bytesRead >= int64(cuts[1]) {
		// An error gets its exact report from Read; a sniff that read the
		// whole first part may have seen less than Read's sample.
		return serial()
	}
	encMode := byte(encUTF8Open)
	switch {
	case r.enc == EncodingWindows1252:
		encMode = encCP1252
	case r.encFixed:
		encMode = encUTF8Fixed
	}
	jobs := make([]PartJob, len(cuts)-2)
	for i := range jobs {
		part := data[cuts[i+1]:cuts[i+2]]
		job := partJob{delim: r.delim, enc: encMode, strict: opt.Strict, want: r.want,
			hint: rowsHint(int64(len(part)), r.buf[:r.end])}
		jobs[i] = PartJob{Head: job.appendTo(nil), Data: part}
	}
	wait, err := pp.Start(jobs)
	if err != nil {
		return serial()
	}
	nparts := len(jobs)
	cols := make([]builder, r.want)
	hint := rowsHint(int64(len(data)), r.buf[:r.end])
	for i := range cols {
		cols[i].name = r.header[i]
		cols[i].hint = hint
	}
	rows, _, err := readSerial(r, cols)
	outs, werr := wait()
	if err != nil || werr != nil || r.switched || len(outs) != nparts {
		return serial()
	}
	lines := r.line
	for _, out := range outs {
		p, err := decodePart(out, r.want)
		if err != nil || p.failed {
			return serial()
		}
		for j := range cols {
			if !cols[j].join(&p.cols[j]) {
				return serial()
			}
		}
		for _, s := range p.skipped {
			if len(r.skipped) < maxSkippedList {
				s.Line += lines
				r.skipped = append(r.skipped, s)
			}
		}
		r.nskipped += p.nskipped
		rows += p.rows
		lines += p.lines
	}
	t, err := finishTable(r, cols, rows, -1)
	return t, err == nil, err
}

// cutPoints returns where to cut data into at most parts parts of at least
// minPartBytes each: 0, the starts of the parts after the first (each just
// after a line feed), len(data).
func cutPoints(data []byte, parts int) []int {
	parts = min(parts, len(data)/max(minPartBytes, 1))
	cuts := []int{0}
	for i := 1; i < parts; i++ {
		at := max(len(data)*i/parts, cuts[len(cuts)-1]+1)
		if at >= len(data) {
			break
		}
		k := bytes.IndexByte(data[at:], '\n')
		if k < 0 || at+k+1 >= len(data) {
			break
		}
		cuts = append(cuts, at+k+1)
	}
	return append(cuts, len(data))
}

// rowsHint estimates the rows of size bytes from the line density of
// sample, for the builders' capacity (0 when it cannot tell).
func rowsHint(size int64, sample []byte) int {
	if size <= 0 || len(sample) == 0 {
		return 0
	}
	lines := int64(bytes.Count(sample, []byte{'\n'}) + bytes.Count(sample, []byte{'\r'}))
	if lines == 0 {
		return 0
	}
	est := size*lines/int64(len(sample)) + 16
	return int(min(est, size/2+16, 1<<28))
}

// Encoding modes of a part: what the first part's reader knew.
const (
	encUTF8Open  = iota // UTF-8 so far; invalid UTF-8 would switch (a part cannot)
	encUTF8Fixed        // UTF-8, given by the caller
	encCP1252           // Windows-1252
)

// partJob is what a part's parser needs besides its bytes.
type partJob struct {
	delim  byte
	enc    byte
	strict bool
	want   int
	hint   int
}

// partJobVersion and partVersion start the encoded job and result.
const (
	partJobVersion = 1
	partVersion    = 1
)

// appendTo appends the encoded job (a PartJob's Head) to b.
func (j *partJob) appendTo(b []byte) []byte {
	b = append(b, partJobVersion, j.delim, j.enc, boolByte(j.strict))
	b = binary.AppendUvarint(b, uint64(j.want))
	return binary.AppendUvarint(b, uint64(j.hint))
}

// errPartJob is wrapped by the errors of ParsePart.
var errPartJob = errors.New("dataset: malformed part job")

// ParsePart parses the part data of a file for ReadSplit: head and data are
// those of one of the PartJobs ReadSplit hands its PartParser, and the
// result goes back to it as is. A part that does not parse cleanly is
// reported in the result (ReadSplit then reads the file again itself); the
// error is for a malformed head.
func ParsePart(head, data []byte) ([]byte, error) {
	if len(head) < 4 || head[0] != partJobVersion {
		return nil, fmt.Errorf("%w: no header", errPartJob)
	}
	j := partJob{delim: head[1], enc: head[2], strict: head[3] != 0}
	rest := head[4:]
	var vals [2]uint64
	for i := range vals {
		v, n := binary.Uvarint(rest)
		if n <= 0 || v > uint64(maxColumns)<<12 {
			return nil, fmt.Errorf("%w: field %d", errPartJob, i+1)
		}
		vals[i], rest = v, rest[n:]
	}
	j.want, j.hint = int(vals[0]), int(min(vals[1], uint64(len(data))/2+16))
	if len(rest) != 0 || j.want < 1 || j.want > maxColumns || j.enc > encCP1252 || !validDelim(j.delim) {
		return nil, fmt.Errorf("%w: %d columns, encoding %d, delimiter %q, %d bytes more", errPartJob, j.want, j.enc, j.delim, len(rest))
	}
	return parsePart(&j, data).appendTo(nil), nil
}

// validDelim reports whether d is a delimiter a Reader can use.
func validDelim(d byte) bool {
	return d == ' ' || d == '\t' || (d > ' ' && d < 0x7F && d != '"' &&
		!('0' <= d && d <= '9') && !('a' <= d && d <= 'z') && !('A' <= d && d <= 'Z') && d != '.' && d != '-')
}

// part is a parsed part: its columns' builders and what the Reader counted.
type part struct {
	failed   bool // the part did not parse cleanly on its own
	rows     int
	lines    int // line breaks in the part
	nskipped int
	skipped  []RowIssue // lines counted from the part's start
	cols     []builder
}

// parsePart parses data, the records of one part, with the first part's
// format.
func parsePart(j *partJob, data []byte) *part {
	r := &Reader{src: bytes.NewReader(data), opt: Options{Strict: j.strict}, want: j.want,
		buf: make([]byte, min(chunkSize, len(data)+16))}
	r.enc, r.encFixed = EncodingUTF8, j.enc != encUTF8Open
	if j.enc == encCP1252 {
		r.enc = EncodingWindows1252
	}
	r.setDelim(j.delim)
	p := &part{cols: make([]builder, j.want)}
	for i := range p.cols {
		p.cols[i].hint = j.hint
	}
	rows, _, err := readSerial(r, p.cols)
	if err != nil || r.switched {
		return &part{failed: true}
	}
	p.rows, p.lines, p.skipped, p.nskipped = rows, r.line, r.skipped, r.nskipped
	return p
}

// join appends the column of a later part to c, as if c had read its rows
// itself. It reports false where that cannot be told from the two (Read
// would have turned the later values to text as they came, or the dates'
// orders disagree); c is then left in an undefined state.
func (c *builder) join(p *builder) bool {
	switch {
	case p.mode == modeUnknown:
		c.rows += p.rows
		c.missing += p.missing
		switch c.mode {
		case modeNum, modeDate:
			for range p.rows {
				c.num = append(c.num, math.NaN())
			}
		case modeStr:
			c.str = append(c.str, make([]string, p.rows)...)
		}
		return true
	case c.mode == modeUnknown:
		// Only missing cells so far: the part decided alone, as Read would
		// have with the same leading missing cells.
		n := c.rows
		name, hint := c.name, c.hint
		*c = builder{name: name, hint: hint, mode: p.mode, rows: n + p.rows, missing: c.missing + p.missing, allInt: p.allInt, plain: p.plain,
			date: p.date, from: p.from, spaced: p.spaced, coded: p.coded, totalLen: p.totalLen}
		if p.mode == modeStr {
			c.str = make([]string, n, max(n+p.rows, c.hint))
		} else {
			c.num = make([]float64, n, max(n+p.rows, c.hint))
			for i := range c.num {
				c.num[i] = math.NaN()
			}
		}
		c.appendPart(p)
		return true
	case c.mode == modeNum && p.mode == modeNum:
		c.allInt = c.allInt && p.allInt
	case c.mode == modeDate && p.mode == modeDate:
		st, ps := &c.date, &p.date
		if st.shape != ps.shape || (st.aOver12 || ps.aOver12) && (st.bOver12 || ps.bOver12) {
			return false
		}
		st.unpadA, st.unpadB, st.unpadH = st.unpadA || ps.unpadA, st.unpadB || ps.unpadB, st.unpadH || ps.unpadH
		st.aOver12, st.bOver12 = st.aOver12 || ps.aOver12, st.bOver12 || ps.bOver12
	case c.mode == modeStr && (p.mode == modeNum || p.mode == modeStr && p.from == modeNum) && p.plain:
		// Read would have kept the part's numbers as written, which is how
		// they render.
		if p.mode == modeNum {
			p.decodeNums()
			p.toStr()
		}
	case p.mode == modeStr && (p.from == modeUnknown || p.from == modeNum && c.mode == modeNum):
		// Read turns c to text at the part's first text value (or, when the
		// part began with numbers, at its first text value after them):
		// earlier values rendered, later ones as written.
		if c.mode != modeStr {
			c.toStr()
		}
	default:
		return false
	}
	c.rows += p.rows
	c.missing += p.missing
	c.spaced += p.spaced
	c.coded += p.coded
	c.totalLen += p.totalLen
	c.appendPart(p)
	return true
}

// appendPart appends p's cells to c, interning p's distinct strings into
// c's as Read would have.
func (c *builder) appendPart(p *builder) {
	if c.mode != modeStr {
		if p.raw == nil {
			c.num = append(c.num, p.num...)
			return
		}
		at := len(c.num)
		c.num = slices.Grow(c.num, len(p.raw)/8)[:at+len(p.raw)/8]
		lefloat.Decode(c.num[at:], p.raw)
		return
	}
	if p.overflow || c.overflow {
		c.overflow, c.intern = true, nil
	}
	if p.dict == nil {
		c.str = append(c.str, p.str...)
		if !c.overflow {
			for _, s := range p.str {
				if s != "" {
					c.internString(s)
				}
			}
		}
		return
	}
	// The part's strings by code, as c's shared copies where c has them.
	canon := make([]string, len(p.dict)+1)
	for i, s := range p.dict {
		canon[i+1] = s
		if !c.overflow {
			canon[i+1] = c.internString(s)
		}
	}
	for _, k := range p.codes {
		c.str = append(c.str, canon[k])
	}
}

// decodeNums decodes the numbers of a part's column that came as bytes.
func (c *builder) decodeNums() {
	if c.raw == nil {
		return
	}
	c.num = make([]float64, len(c.raw)/8)
	lefloat.Decode(c.num, c.raw)
	c.raw = nil
}

// internString adds s to c's interned strings (up to internLimit, then the
// column overflows) and returns the copy to share.
func (c *builder) internString(s string) string {
	if c.overflow {
		return s
	}
	if v, ok := c.intern[s]; ok {
		return v
	}
	if c.intern == nil {
		c.intern = make(map[string]string)
	}
	if len(c.intern) >= internLimit {
		c.overflow, c.intern = true, nil
		return s
	}
	c.intern[s] = s
	return s
}

// Flags of an encoded column.
const (
	flagAllInt = 1 << iota
	flagOverflow
	flagYearFirst
	flagYear2
	flagSecs
	flagZulu
	flagUnpadA
	flagUnpadB
	flagUnpadH
	flagAOver12
	flagBOver12
	flagPlain
)

// appendTo encodes the part: a version byte, a status byte, the counts and
// skipped rows as varints, then each column (see appendColumn).
func (p *part) appendTo(b []byte) []byte {
	if b == nil {
		b = make([]byte, 0, p.sizeHint())
	}
	b = append(b, partVersion, boolByte(p.failed))
	if p.failed {
		return b
	}
	for _, v := range []int{p.rows, p.lines, p.nskipped, len(p.skipped), len(p.cols)} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	for _, s := range p.skipped {
		b = binary.AppendUvarint(b, uint64(s.Line))
		b = binary.AppendUvarint(b, uint64(s.Fields))
		b = binary.AppendUvarint(b, uint64(s.Want))
		b = appendString(b, s.Reason)
	}
	for i := range p.cols {
		b = p.cols[i].appendTo(b)
	}
	return b
}

// sizeHint is about the bytes appendTo writes (a little more, so that the
// buffer is allocated once).
func (p *part) sizeHint() int {
	n := 64 + 32*len(p.skipped)
	for i := range p.cols {
		c := &p.cols[i]
		n += 64 + 8*len(c.num) + 3*len(c.str)
		if c.overflow {
			for _, s := range c.str {
				n += len(s)
			}
		} else {
			for s := range c.intern {
				n += len(s) + 3
			}
		}
	}
	return n
}

// appendTo encodes a column builder: mode, the mode it was turned to text
// from, flags, the date shape's separators, counts, then the cells —
// float64 bits for numbers and dates; for text, the distinct values and a
// code per row (0 for a missing cell), or every value when the column has
// too many distinct values to intern.
func (c *builder) appendTo(b []byte) []byte {
	flags := 0
	for i, on := range []bool{c.allInt, c.overflow, c.date.shape.yearFirst, c.date.shape.year2, c.date.shape.secs,
		c.date.shape.zulu, c.date.unpadA, c.date.unpadB, c.date.unpadH, c.date.aOver12, c.date.bOver12, c.plain} {
		if on {
			flags |= 1 << i
		}
	}
	b = append(b, byte(c.mode), byte(c.from), c.date.shape.sep, c.date.shape.tsep)
	for _, v := range []int{flags, c.rows, c.missing, c.spaced, c.coded, c.totalLen} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	switch c.mode {
	case modeNum, modeDate:
		b = binary.AppendUvarint(b, uint64(len(c.num)))
		b = lefloat.Append(b, c.num)
	case modeStr:
		b = binary.AppendUvarint(b, uint64(len(c.str)))
		if c.overflow {
			for _, s := range c.str {
				b = appendString(b, s)
			}
			return b
		}
		code := make(map[string]uint64, len(c.intern))
		var dict []string
		for _, s := range c.str {
			if _, ok := code[s]; !ok && s != "" {
				dict = append(dict, s)
				code[s] = uint64(len(dict))
			}
		}
		b = binary.AppendUvarint(b, uint64(len(dict)))
		for _, s := range dict {
			b = appendString(b, s)
		}
		for _, s := range c.str {
			b = binary.AppendUvarint(b, code[s])
		}
	}
	return b
}

// appendString appends s with its length.
func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// errPart is wrapped by the errors of decodePart.
var errPart = errors.New("dataset: malformed part")

// partDecoder reads an encoded part.
type partDecoder struct {
	b   []byte
	err error
}

func (d *partDecoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", errPart, what)
	}
}

func (d *partDecoder) byte1(what string) byte {
	if len(d.b) < 1 {
		d.fail(what)
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

// int reads a varint of at most limit.
func (d *partDecoder) int(what string, limit int) int {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > uint64(limit) {
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *partDecoder) string(what string) string {
	n := d.int(what, len(d.b))
	if d.err == nil && n > len(d.b) {
		d.fail(what)
	}
	if d.err != nil {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// decodePart reads an encoded part of want columns.
func decodePart(b []byte, want int) (*part, error) {
	d := &partDecoder{b: b}
	if d.byte1("version") != partVersion {
		d.fail("version")
	}
	p := &part{failed: d.byte1("status") != 0}
	if d.err != nil || p.failed {
		return p, d.err
	}
	big := len(b)
	p.rows = d.int("rows", big)
	p.lines = d.int("lines", big)
	p.nskipped = d.int("skipped", big)
	listed := d.int("skipped list", maxSkippedList)
	if n := d.int("columns", maxColumns); d.err == nil && n != want {
		d.fail(fmt.Sprintf("%d columns, want %d", n, want))
	}
	for range listed {
		if d.err != nil {
			break
		}
		s := RowIssue{Line: d.int("line", big), Fields: d.int("fields", big+maxColumns), Want: d.int("want", maxColumns)}
		s.Reason = d.string("reason")
		p.skipped = append(p.skipped, s)
	}
	if d.err != nil {
		return nil, d.err
	}
	p.cols = make([]builder, want)
	for i := range p.cols {
		d.column(&p.cols[i], p.rows)
		if d.err != nil {
			return nil, fmt.Errorf("%w (column %d)", d.err, i+1)
		}
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last column", errPart, len(d.b))
	}
	return p, nil
}

// column reads one column of rows cells into c.
func (d *partDecoder) column(c *builder, rows int) {
	c.mode, c.from = int(d.byte1("mode")), int(d.byte1("from"))
	c.date.shape.sep, c.date.shape.tsep = d.byte1("separator"), d.byte1("time separator")
	flags := d.int("flags", 1<<12-1)
	c.allInt, c.overflow, c.plain = flags&flagAllInt != 0, flags&flagOverflow != 0, flags&flagPlain != 0
	sh := &c.date.shape
	sh.yearFirst, sh.year2, sh.secs, sh.zulu = flags&flagYearFirst != 0, flags&flagYear2 != 0, flags&flagSecs != 0, flags&flagZulu != 0
	st := &c.date
	st.unpadA, st.unpadB, st.unpadH = flags&flagUnpadA != 0, flags&flagUnpadB != 0, flags&flagUnpadH != 0
	st.aOver12, st.bOver12 = flags&flagAOver12 != 0, flags&flagBOver12 != 0
	c.rows = d.int("rows", rows)
	c.missing = d.int("missing", rows)
	c.spaced = d.int("spaced", rows)
	c.coded = d.int("coded", rows)
	c.totalLen = d.int("length", math.MaxInt32)
	if d.err != nil {
		return
	}
	if c.rows != rows || c.mode > modeStr || c.from > modeStr {
		d.fail(fmt.Sprintf("mode %d of %d rows in a part of %d", c.mode, c.rows, rows))
		return
	}
	switch c.mode {
	case modeUnknown:
		if c.missing != rows {
			d.fail("an empty column with present cells")
		}
	case modeNum, modeDate:
		if d.int("cells", rows) != rows || len(d.b) < 8*rows {
			d.fail("cells")
			return
		}
		c.raw = d.b[:8*rows] // decoded where they are joined
		d.b = d.b[8*rows:]
	case modeStr:
		if d.int("cells", rows) != rows {
			d.fail("cells")
			return
		}
		if c.overflow {
			c.str = make([]string, rows)
			for i := range c.str {
				c.str[i] = d.string("cell")
			}
			return
		}
		n := d.int("distinct values", min(internLimit, rows))
		c.dict = make([]string, 0, n)
		for range n {
			c.dict = append(c.dict, d.string("value"))
		}
		c.codes = make([]uint32, rows)
		for i := range c.codes {
			c.codes[i] = uint32(d.int("code", n))
		}
	}
}
