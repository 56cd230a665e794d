package eval

import (
	"cmp"
	"errors"
	"fmt"
	"math"

	"github.com/segkit/segkit/core/matrix"
	"github.com/segkit/segkit/core/order"
)

// Sentinel errors. Functions wrap them with context, so test for them with
// errors.Is.
var (
	// ErrLengthMismatch reports inputs whose sizes disagree: labels and rows,
	// two labellings, or the columns of the data and of the centres.
	ErrLengthMismatch = errors.New("eval: length mismatch")

	// ErrTooFewClusters reports a number of clusters k (noise excluded)
	// outside 2 <= k <= m-1, where m is the number of non-noise rows; the
	// internal indices are undefined there, as in scikit-learn.
	ErrTooFewClusters = errors.New("eval: number of clusters must be between 2 and the number of non-noise rows minus 1")

	// ErrInvalidInput reports a nil or malformed matrix, a value that is NaN
	// or infinite, or a label with no centre.
	ErrInvalidInput = errors.New("eval: invalid input")
)

// maxLabelled bounds the number of rows or labels accepted: indices are held
// as int32, and n² pair counts then fit in an int64.
const maxLabelled = math.MaxInt32

// checkMatrix validates that x is a well-formed matrix of finite values with
// at least one column; name identifies it in errors.
func checkMatrix(x *matrix.Dense, name string) error {
	if x == nil {
		return fmt.Errorf("eval: %s is nil: %w", name, ErrInvalidInput)
	}
	if x.Rows < 0 || x.Cols < 0 || len(x.Data) != x.Rows*x.Cols {
		return fmt.Errorf("eval: %s is %d×%d but holds %d values: %w",
			name, x.Rows, x.Cols, len(x.Data), ErrInvalidInput)
	}
	if x.Cols == 0 && x.Rows > 0 {
		return fmt.Errorf("eval: %s has no columns: %w", name, ErrInvalidInput)
	}
	for i, v := range x.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("eval: %s row %d, column %d is %v: %w",
				name, i/x.Cols, i%x.Cols, v, ErrInvalidInput)
		}
	}
	return nil
}

// encode maps label values to dense codes 0..len(values)-1 in ascending order
// of value. With skipNoise, negative labels get code -1 and are not counted in
// values.
func encode(labels []int, skipNoise bool) (codes []int32, values []int) {
	codes = make([]int32, len(labels))
	lo, hi, found := 0, 0, false
	for _, l := range labels {
		if skipNoise && l < 0 {
			continue
		}
		if !found {
			lo, hi, found = l, l, true
		}
		lo, hi = min(lo, l), max(hi, l)
	}
	if !found {
		for i := range codes {
			codes[i] = -1
		}
		return codes, nil
	}
	// Dense table when the range of values is small (no overflow: the
	// subtraction is done in uint64).
	if span := uint64(hi) - uint64(lo); span <= uint64(2*len(labels)+1024) {
		table := make([]int32, span+1)
		for _, l := range labels {
			if !(skipNoise && l < 0) {
				table[uint64(l)-uint64(lo)] = 1
			}
		}
		for v := range table {
			if table[v] != 0 {
				table[v] = int32(len(values))
				values = append(values, lo+v)
			} else {
				table[v] = -1
			}
		}
		for i, l := range labels {
			if skipNoise && l < 0 {
				codes[i] = -1
			} else {
				codes[i] = table[uint64(l)-uint64(lo)]
			}
		}
		return codes, values
	}
	seen := make(map[int]int32)
	for _, l := range labels {
		if !(skipNoise && l < 0) {
			seen[l] = 0
		}
	}
	values = make([]int, 0, len(seen))
	for v := range seen {
		values = append(values, v)
	}
	order.SortFunc(values, cmp.Compare[int])
	for c, v := range values {
		seen[v] = int32(c)
	}
	for i, l := range labels {
		if skipNoise && l < 0 {
			codes[i] = -1
		} else {
			codes[i] = seen[l]
		}
	}
	return codes, values
}

// clustering is a validated input to the internal indices: the data, a dense
// cluster code per row (-1 for noise), and per-cluster sizes.
type clustering struct {
	x      *matrix.Dense
	codes  []int32
	values []int // label value of each code, ascending
	sizes  []int
	m      int // non-noise rows
}

func (c *clustering) k() int { return len(c.sizes) }

// prepare validates x and labels and encodes the labels; noise is dropped.
func prepare(x *matrix.Dense, labels []int) (*clustering, error) {
	if err := checkMatrix(x, "data"); err != nil {
		return nil, err
	}
	if len(labels) != x.Rows {
		return nil, fmt.Errorf("eval: %d labels for %d rows: %w", len(labels), x.Rows, ErrLengthMismatch)
	}
	if x.Rows > maxLabelled {
		return nil, fmt.Errorf("eval: %d rows, at most %d supported: %w", x.Rows, maxLabelled, ErrInvalidInput)
	}
	codes, values := encode(labels, true)
	c := &clustering{x: x, codes: codes, values: values, sizes: make([]int, len(values))}
	for _, code := range codes {
		if code >= 0 {
			c.sizes[code]++
			c.m++
		}
	}
	return c, nil
}

// prepareK is prepare followed by checkK, for the indices that need
// 2 <= k <= m-1.
func prepareK(x *matrix.Dense, labels []int) (*clustering, error) {
	c, err := prepare(x, labels)
	if err != nil {
		return nil, err
	}
	if err := c.checkK(); err != nil {
		return nil, err
	}
	return c, nil
}

// checkK reports ErrTooFewClusters unless 2 <= k <= m-1.
func (c *clustering) checkK() error {
	if k := c.k(); k < 2 || k > c.m-1 {
		return fmt.Errorf("eval: %d clusters in %d non-noise rows: %w", k, c.m, ErrTooFewClusters)
	}
	return nil
}

// centroids returns the k×d matrix of cluster means and the mean of all
// non-noise rows.
func (c *clustering) centroids() (cent []float64, mean []float64) {
	d := c.x.Cols
	cent = make([]float64, c.k()*d)
	mean = make([]float64, d)
	for i, code := range c.codes {
		if code < 0 {
			continue
		}
		row := c.x.Row(i)
		cr := cent[int(code)*d : int(code)*d+d]
		for j, v := range row {
			cr[j] += v
			mean[j] += v
		}
	}
	for code, n := range c.sizes {
		cr := cent[code*d : code*d+d]
		for j := range cr {
			cr[j] /= float64(n)
		}
	}
	if c.m > 0 {
		for j := range mean {
			mean[j] /= float64(c.m)
		}
	}
	return cent, mean
}

// sqDist is the squared Euclidean distance between equal-length a and b.
func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	var s float64
	for j, v := range a {
		t := v - b[j]
		s += t * t
	}
	return s
}
