package cluster

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/segkit/segkit/core/matrix"
)

// Fitter is implemented by every clustering algorithm: Fit groups the rows of
// x and returns the fitted model. Fit never modifies x.
type Fitter interface {
	Fit(ctx context.Context, x *matrix.Dense) (*Model, error)
}

// Progress describes how far a fit has got. Algorithms send one Progress per
// iteration to the callback in their settings.
type Progress struct {
	// Algorithm names the algorithm, as in Model.Algorithm.
	Algorithm string
	// Run is the restart being fitted, counting from 1.
	Run int
	// Runs is the number of restarts the fit will make.
	Runs int
	// Iteration counts the iterations of the current run from 1. For
	// mini-batch k-means an iteration is one mini-batch step.
	Iteration int
	// MaxIter is the most iterations the current run may take.
	MaxIter int
	// Inertia is the algorithm's current objective: for k-means the sum of
	// squared distances of the rows to the centre they were assigned to in
	// this iteration; for mini-batch k-means an estimate of it from the
	// smoothed mini-batch inertia.
	Inertia float64
}

// Assignment is the answer for one new point.
type Assignment struct {
	// Label is the cluster, 0..K-1, or -1 for noise.
	Label int
	// Distance is the distance to the cluster's representative in the
	// algorithm's own terms: Euclidean (not squared) to the centre, centroid,
	// medoid, mode or subcluster for k-means, agglomerative, mean-shift and
	// BIRCH; to the nearest core point, in the model's metric, for DBSCAN and
	// HDBSCAN; Mahalanobis to the component's mean for Gaussian mixtures; the
	// square root of the mixed cost for k-prototypes; Gower for k-medoids.
	Distance float64
	// Probabilities holds the membership probability of each cluster; nil
	// unless the algorithm has them.
	Probabilities []float64
}

// Predictor assigns a new point to a cluster of a fitted model.
type Predictor interface {
	Predict(x []float64) (Assignment, error)
}

// Model is a fitted clustering.
type Model struct {
	// Algorithm names the algorithm: "kmeans", "minibatch-kmeans", "dbscan",
	// "hdbscan", "meanshift", "gmm", "agglomerative-<linkage>", "birch",
	// "kprototypes" or "kmedoids".
	Algorithm string
	// K is the number of clusters found, excluding noise.
	K int
	// Labels holds the cluster of each training row, 0..K-1; -1 marks noise
	// (k-means has none).
	Labels []int
	// Centers is the K×d matrix of cluster centres, nil for algorithms
	// without centres.
	Centers *matrix.Dense
	// Inertia is the sum of squared Euclidean distances of the training rows
	// to the centre of their cluster.
	Inertia float64
	// Iterations is the number of iterations of the kept run (mini-batch
	// k-means: mini-batch steps).
	Iterations int
	// Converged reports whether the kept run met its stopping rule before
	// its iteration limit.
	Converged bool
	// Predictor assigns new points; for centre-based algorithms it is a
	// [NearestCenter]. A nil Predictor means the model has no honest rule for
	// new points.
	Predictor Predictor
}

// Predict assigns the point x to a cluster with the model's Predictor. It
// returns an error wrapping ErrInvalidInput when x has the wrong number of
// values or a non-finite value, and ErrNotInductive when the model has no
// Predictor.
func (m *Model) Predict(x []float64) (Assignment, error) {
	if m == nil || m.Predictor == nil {
		return Assignment{}, fmt.Errorf("%w: the model has no rule for new points", ErrNotInductive)
	}
	d := -1
	if m.Centers != nil {
		d = m.Centers.Cols
	} else if dp, ok := m.Predictor.(interface{ Dim() int }); ok {
		d = dp.Dim()
	}
	if err := checkPoint(x, d); err != nil {
		return Assignment{}, err
	}
	return m.Predictor.Predict(x)
}

// Errors returned by this package; each is wrapped with details.
var (
	// ErrNotInductive reports that a model cannot assign new points.
	ErrNotInductive = errors.New("cluster: model cannot assign new points")
	// ErrInvalidInput reports unusable data: a nil or malformed matrix, no
	// columns, a point of the wrong length, or a NaN or infinite value (see
	// [InputError], which names the row and column).
	ErrInvalidInput = errors.New("cluster: invalid input")
	// ErrTooFewPoints reports fewer rows than requested clusters.
	ErrTooFewPoints = errors.New("cluster: too few points")
	// ErrBadSettings reports an invalid setting, such as K <= 0.
	ErrBadSettings = errors.New("cluster: bad settings")
	// ErrTooLarge reports an input beyond what an algorithm accepts within
	// its stated memory or time bound. It is returned before anything large
	// is allocated, and the message suggests an algorithm that fits.
	ErrTooLarge = errors.New("cluster: input too large for this algorithm")
)

// InputError reports a non-finite value in the input. It wraps
// ErrInvalidInput.
type InputError struct {
	// Row is the 0-based row of the value in the matrix, or -1 for a single
	// point given to Predict.
	Row int
	// Column is the 0-based column of the value.
	Column int
	// Value is the offending value (NaN, +Inf or -Inf).
	Value float64
}

// Error describes the value and its position.
func (e *InputError) Error() string {
	if e.Row < 0 {
		return fmt.Sprintf("%v: column %d is %v", ErrInvalidInput, e.Column, e.Value)
	}
	return fmt.Sprintf("%v: row %d, column %d is %v", ErrInvalidInput, e.Row, e.Column, e.Value)
}

// Unwrap returns ErrInvalidInput.
func (e *InputError) Unwrap() error { return ErrInvalidInput }

// NearestCenter is the prediction rule of centre-based models: a point joins
// the closest centre (the lowest index on ties), at the Euclidean distance to
// it. Its Centers must not be changed while it is in use.
type NearestCenter struct {
	// Centers holds one centre per row.
	Centers *matrix.Dense
}

// Dim returns the number of values a point must have.
func (nc NearestCenter) Dim() int {
	if nc.Centers == nil {
		return 0
	}
	return nc.Centers.Cols
}

// Predict returns the nearest centre to x and the Euclidean distance to it.
// Probabilities is nil.
func (nc NearestCenter) Predict(x []float64) (Assignment, error) {
	if nc.Centers == nil || nc.Centers.Rows == 0 || len(nc.Centers.Data) < nc.Centers.Rows*nc.Centers.Cols {
		return Assignment{}, fmt.Errorf("%w: no centres", ErrNotInductive)
	}
	if err := checkPoint(x, nc.Centers.Cols); err != nil {
		return Assignment{}, err
	}
	d := nc.Centers.Cols
	best, bestSq := 0, math.Inf(1)
	for j := range nc.Centers.Rows {
		if s := sqdist(x, nc.Centers.Data[j*d:j*d+d]); s < bestSq {
			best, bestSq = j, s
		}
	}
	return Assignment{Label: best, Distance: math.Sqrt(bestSq)}, nil
}

// checkPoint checks that x has d values (d < 0: any number) and all are
// finite.
func checkPoint(x []float64, d int) error {
	if d >= 0 && len(x) != d {
		return fmt.Errorf("%w: point has %d values, the model expects %d", ErrInvalidInput, len(x), d)
	}
	for j, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &InputError{Row: -1, Column: j, Value: v}
		}
	}
	return nil
}

// checkMatrix validates the training matrix for k clusters (shape, at least
// k rows, finite values: the first offending value in row order is
// reported) and returns the mean over columns of the population variance. It
// reads the data once, in parallel chunks whose statistics are combined in
// chunk order (Chan et al.'s pairwise update), so the result does not depend
// on workers.
func checkMatrix(x *matrix.Dense, k, workers int) (meanVar float64, err error) {
	if x == nil {
		return 0, fmt.Errorf("%w: nil matrix", ErrInvalidInput)
	}
	if x.Rows < 0 || x.Cols < 0 || len(x.Data) < x.Rows*x.Cols {
		return 0, fmt.Errorf("%w: matrix is %d×%d but holds %d values", ErrInvalidInput, x.Rows, x.Cols, len(x.Data))
	}
	if x.Rows == 0 {
		return 0, fmt.Errorf("%w: no rows, need at least %d", ErrTooFewPoints, k)
	}
	if x.Cols == 0 {
		return 0, fmt.Errorf("%w: matrix has no columns", ErrInvalidInput)
	}
	n, d := x.Rows, x.Cols
	st := chunkStats(x.Data[:n*d], d, workers)
	if st.bad >= 0 {
		return 0, &InputError{Row: st.bad / d, Column: st.bad % d, Value: x.Data[st.bad]}
	}
	if n < k {
		return 0, fmt.Errorf("%w: %d rows for %d clusters", ErrTooFewPoints, n, k)
	}
	return st.meanVar(n, d), nil
}

// matrixStats are the per-chunk statistics of rows: the first non-finite
// value, and per chunk and column the mean and the sum of squared deviations
// from it.
type matrixStats struct {
	bad      int       // index into the data of the first non-finite value, or -1
	badValue float64   // that value
	mean, m2 []float64 // chunks×d
}

// chunkStats reads rows (d values each) once, in parallel chunks of
// chunkRows.
func chunkStats(data []float64, d, workers int) matrixStats {
	n := len(data) / d
	chunks := numChunks(n)
	bad := make([]int, chunks)        // first non-finite index in the chunk, or -1
	mean := make([]float64, chunks*d) // per chunk and column
	m2 := make([]float64, chunks*d)   // sum of squared deviations from the chunk mean
	forEachChunk(workers, chunks, func(c int) {
		lo, hi := chunkBounds(c, n)
		data := data[lo*d : hi*d]
		bad[c] = -1
		for i, v := range data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				bad[c] = lo*d + i
				return
			}
		}
		mu, ss := mean[c*d:c*d+d], m2[c*d:c*d+d]
		for i := 0; i < len(data); i += d {
			for j, v := range data[i : i+d] {
				mu[j] += v
			}
		}
		cnt := float64(hi - lo)
		for j := range mu {
			mu[j] /= cnt
		}
		for i := 0; i < len(data); i += d {
			for j, v := range data[i : i+d] {
				dv := v - mu[j]
				ss[j] += float64(dv * dv)
			}
		}
	})
	st := matrixStats{bad: -1, mean: mean, m2: m2}
	for _, b := range bad {
		if b >= 0 {
			st.bad, st.badValue = b, data[b]
			break
		}
	}
	return st
}

// meanVar combines the chunk statistics of n rows in chunk order (Chan et
// al.'s pairwise update) and returns the mean over columns of the population
// variance.
func (st matrixStats) meanVar(n, d int) float64 {
	chunks := numChunks(n)
	mean, m2 := st.mean, st.m2
	mu, ss := slices.Clone(mean[:d]), slices.Clone(m2[:d])
	na := float64(min(chunkRows, n))
	for c := 1; c < chunks; c++ {
		lo, hi := chunkBounds(c, n)
		nb := float64(hi - lo)
		nt := na + nb
		for j := range d {
			delta := mean[c*d+j] - mu[j]
			mu[j] += delta * (nb / nt)
			ss[j] += m2[c*d+j] + float64(delta*delta)*(na*nb/nt)
		}
		na = nt
	}
	meanVar := 0.0
	for _, v := range ss {
		meanVar += v / float64(n)
	}
	return meanVar / float64(d)
}

// recoverError turns a panic inside the package into an error, so that no
// panic escapes Fit.
func recoverError(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("cluster: internal error: %v", r)
	}
}
