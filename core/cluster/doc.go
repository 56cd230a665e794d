// Package cluster groups the rows of a feature matrix into segments.
//
// Every algorithm is a settings struct whose zero values are documented per
// field and whose Fit method implements [Fitter]: it takes a context (checked
// between iterations), a row-major [matrix.Dense], and returns a [Model]
// holding the labels of the training rows, the centres where the algorithm has
// them, and a [Predictor] that assigns new points by an honest rule.
//
// Results are reproducible: for the same input, settings and Seed, the labels
// and centres are bit-identical whatever the number of Workers, natively and
// under GOOS=js GOARCH=wasm. Work is split into fixed-size chunks of rows whose
// partial results are combined in chunk order, so parallelism never changes
// the order of floating-point additions. On amd64 CPUs with AVX2 the distance
// kernels of k-means run in assembly; they add in the same order and never
// fuse a multiply with an add, so their results are the same bit for bit (the
// tag purego keeps to the Go code).
//
// Algorithms:
//   - [KMeans]: k-means++ seeding as in scikit-learn, Lloyd iterations
//     accelerated with Hamerly's bounds, restarts keeping the lowest inertia.
//   - [MiniBatchKMeans]: scikit-learn's mini-batch k-means for large inputs,
//     followed by a full assignment pass.
//
// Centre-based models predict with [NearestCenter], which other packages can
// also rebuild from saved centres.
//
// Data problems (non-finite values, too few rows) and bad settings are
// reported as errors wrapping the sentinels [ErrInvalidInput],
// [ErrTooFewPoints] and [ErrBadSettings]; no panic escapes the package.
package cluster
