package dataset

import (
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"runtime"
)

// Read reads a whole file into typed columns (see the package comment for
// the inference rules). Memory is bounded by the columns built plus one
// chunk: the text is never held whole. Ragged rows are skipped and counted
// in Table.Skipped and Table.SkippedCount unless opt.Strict.
//
// Errors: ErrEmpty for a file without records, ErrHeaderOnly for a header
// without data rows, ErrBinary for non-text input, and *ParseError (wrapping
// ErrUnterminatedQuote, ErrFieldCount, ...) for problems at a known line.
func Read(src io.Reader, opt Options) (*Table, error) {
	size := sizeOf(src)
	r, err := NewReader(src, opt)
	if err != nil {
		return nil, err
	}
	hint := rowsHint(size, r.buf[:r.end]) // from the first chunk's line density
	cols := make([]builder, r.want)
	for i := range cols {
		cols[i].name = r.header[i]
		cols[i].hint = hint
	}
	var rows, switchRow int
	// Two goroutines pay off from a few MiB on, and only with two threads
	// (js/wasm has one).
	if pipelineable && runtime.GOMAXPROCS(0) > 1 && !forceSerial && (size < 0 || size > 4<<20) {
		rows, switchRow, err = readPipelined(r, cols)
	} else {
		rows, switchRow, err = readSerial(r, cols)
	}
	if err != nil {
		return nil, err
	}
	return finishTable(r, cols, rows, switchRow)
}

// finishTable makes the table of the rows the builders hold, or the error
// of a file without data rows. switchRow is the first row decoded after a
// switch to Windows-1252, -1 if none.
func finishTable(r *Reader, cols []builder, rows, switchRow int) (*Table, error) {
	if rows == 0 {
		if r.format.Header {
			if r.nskipped > 0 {
				return nil, fmt.Errorf("%w (%d rows skipped: wrong number of fields)", ErrHeaderOnly, r.nskipped)
			}
			return nil, ErrHeaderOnly
		}
		return nil, ErrEmpty
	}
	t := &Table{Rows: rows, Format: r.Format(), Skipped: r.skipped, SkippedCount: r.nskipped}
	t.Columns = make([]*Column, len(cols))
	for i := range cols {
		t.Columns[i] = cols[i].finish(rows)
		cols[i] = builder{}
	}
	if r.switched && r.nonASCII {
		// Rows before the switch were decoded as UTF-8: decode them again.
		if switchRow < 0 {
			switchRow = rows
		}
		for _, c := range t.Columns {
			c.Name = recodeCP1252(c.Name)
			for i := 0; i < switchRow && i < len(c.Str); i++ {
				c.Str[i] = recodeCP1252(c.Str[i])
			}
		}
	}
	return t, nil
}

// forceSerial turns off the two-goroutine pipeline (for tests).
var forceSerial = false

// pipelineable is false under js/wasm, which runs one thread: the pipeline
// is then never used, and its code stays out of the page's binary.
const pipelineable = runtime.GOARCH != "wasm"

// readSerial feeds every record to the column builders. It returns the
// number of rows and the first row decoded after a switch to Windows-1252
// (-1 if none).
func readSerial(r *Reader, cols []builder) (rows, switchRow int, err error) {
	switchRow = -1
	var dec decoder
	for {
		f, err := r.nextRaw()
		if err == io.EOF {
			return rows, switchRow, nil
		}
		if err != nil {
			return 0, 0, err
		}
		if switchRow < 0 && r.switched {
			switchRow = rows
		}
		dec.cp1252 = r.enc == EncodingWindows1252
		for i, b := range f {
			cols[i].add(&dec, b)
		}
		rows++
	}
}

// batch is a run of records copied out of the Reader's buffer.
type batch struct {
	data   []byte // the fields' bytes, one after another
	ends   []int  // where each field ends in data, row by row
	rows   int
	cpFrom int // rows from this one on are Windows-1252
}

// Batch limits for readPipelined.
const (
	batchRows  = 4096
	batchBytes = 1 << 20
)

// readPipelined is readSerial with the work split in two stages: this
// goroutine tokenizes records and copies them into batches, another parses
// the values into the column builders (the builders are touched by that
// goroutine only). Results are identical to readSerial.
func readPipelined(r *Reader, cols []builder) (rows, switchRow int, err error) {
	work := make(chan *batch, 2)
	free := make(chan *batch, 3)
	for range 3 {
		free <- &batch{}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var dec decoder
		w := len(cols)
		for b := range work {
			start, k := 0, 0
			for row := 0; row < b.rows; row++ {
				dec.cp1252 = row >= b.cpFrom
				for j := 0; j < w; j++ {
					end := b.ends[k]
					cols[j].add(&dec, b.data[start:end])
					start = end
					k++
				}
			}
			free <- b
		}
	}()
	switchRow = -1
	var cur *batch
	for {
		f, e := r.nextRaw()
		if e != nil {
			if e != io.EOF {
				err = e
			}
			break
		}
		if cur == nil {
			cur = <-free
			cur.data, cur.ends, cur.rows, cur.cpFrom = cur.data[:0], cur.ends[:0], 0, math.MaxInt
		}
		if switchRow < 0 && r.switched {
			switchRow = rows
		}
		if r.enc == EncodingWindows1252 && cur.cpFrom > cur.rows {
			cur.cpFrom = cur.rows
		}
		for _, b := range f {
			cur.data = append(cur.data, b...)
			cur.ends = append(cur.ends, len(cur.data))
		}
		cur.rows++
		rows++
		if cur.rows >= batchRows || len(cur.data) >= batchBytes {
			work <- cur
			cur = nil
		}
	}
	if cur != nil && cur.rows > 0 {
		work <- cur
	}
	close(work)
	<-done
	if err != nil {
		return 0, 0, err
	}
	return rows, switchRow, nil
}

// sizeOf returns the number of bytes left in src when src can tell, else -1.
func sizeOf(src io.Reader) int64 {
	switch s := src.(type) {
	case interface{ Len() int }:
		return int64(s.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := s.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	case interface{ Size() int64 }:
		return s.Size()
	}
	return -1
}

// ReadFile opens path and calls Read.
func ReadFile(path string, opt Options) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	return Read(f, opt)
}

// Text renders cell i as text: "" when missing (or out of range); numbers
// in their shortest form without spurious decimals ("12", "29.33"); dates
// in the column's DateLayout; strings as stored.
func (c *Column) Text(i int) string {
	switch {
	case c.Num != nil:
		if i < 0 || i >= len(c.Num) {
			return ""
		}
		if c.Kind == KindDate && c.DateLayout != "" {
			return formatDate(c.Num[i], c.DateLayout)
		}
		return formatNumber(c.Num[i])
	case c.Str != nil:
		if i < 0 || i >= len(c.Str) {
			return ""
		}
		return c.Str[i]
	}
	return ""
}
