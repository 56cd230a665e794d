// Package matrix holds the dense, row-major feature matrix that flows from
// preparation into clustering and evaluation.
package matrix

import "fmt"

// Dense is a row-major matrix of float64: element (i, j) is Data[i*Cols+j].
// A flat slice keeps rows contiguous, so algorithms walk memory in order and
// allocate nothing per row.
type Dense struct {
	Rows int
	Cols int
	Data []float64
}

// New returns a zeroed rows×cols matrix. It panics if either dimension is
// negative, as a caller bug.
func New(rows, cols int) *Dense {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("matrix: negative dimension %d×%d", rows, cols))
	}
	return &Dense{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
}

// FromRows copies rows into a new matrix. Every row must have the same length;
// otherwise FromRows returns an error naming the first row that differs.
func FromRows(rows [][]float64) (*Dense, error) {
	if len(rows) == 0 {
		return &Dense{}, nil
	}
	d := len(rows[0])
	m := New(len(rows), d)
	for i, r := range rows {
		if len(r) != d {
			return nil, fmt.Errorf("matrix: row %d has %d values, want %d", i, len(r), d)
		}
		copy(m.Data[i*d:], r)
	}
	return m, nil
}

// Row returns row i as a slice that shares memory with m.
func (m *Dense) Row(i int) []float64 {
	return m.Data[i*m.Cols : (i+1)*m.Cols : (i+1)*m.Cols]
}

// At returns element (i, j).
func (m *Dense) At(i, j int) float64 { return m.Data[i*m.Cols+j] }

// Set sets element (i, j) to v.
func (m *Dense) Set(i, j int, v float64) { m.Data[i*m.Cols+j] = v }
