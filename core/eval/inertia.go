package eval

import (
	"fmt"

	"github.com/segkit/segkit/core/matrix"
)

// Inertia returns the sum of squared Euclidean distances from each non-noise
// row of x to the centre of its cluster: row labels[i] of centers. Rows with a
// negative label are noise and are left out. If centers is nil, the centroid
// (mean) of each label's rows is used instead, so any label values are
// accepted; otherwise every non-negative label must be a row index of
// centers, and centers must have as many columns as x.
//
// Inertia needs no minimum number of clusters; with no non-noise rows it is 0.
func Inertia(x *matrix.Dense, labels []int, centers *matrix.Dense) (float64, error) {
	c, err := prepare(x, labels)
	if err != nil {
		return 0, err
	}
	return c.inertia(labels, centers)
}

func (c *clustering) inertia(labels []int, centers *matrix.Dense) (float64, error) {
	x := c.x
	if centers == nil {
		cent, _ := c.centroids()
		var s float64
		for i, code := range c.codes {
			if code >= 0 {
				s += sqDist(x.Row(i), cent[int(code)*x.Cols:])
			}
		}
		return s, nil
	}
	if err := checkMatrix(centers, "centers"); err != nil {
		return 0, err
	}
	if centers.Cols != x.Cols && centers.Rows > 0 {
		return 0, fmt.Errorf("eval: centers have %d columns, data %d: %w", centers.Cols, x.Cols, ErrLengthMismatch)
	}
	var s float64
	for i, l := range labels {
		if l < 0 {
			continue
		}
		if l >= centers.Rows {
			return 0, fmt.Errorf("eval: row %d has label %d but there are %d centers: %w", i, l, centers.Rows, ErrInvalidInput)
		}
		s += sqDist(x.Row(i), centers.Row(l))
	}
	return s, nil
}
