// Package project computes the two-dimensional view of the data that the
// page's scatter plot and the CLI show: a principal component analysis (PCA)
// with the share of variance each axis explains, fitted on a seeded sample
// when the data are large, and a seeded sample of rows to draw.
//
// # Method
//
// PCA.Fit centres the rows, accumulates the d×d covariance matrix with a
// corrected two-pass algorithm (the mean first, then the centred cross
// products together with the sum of the centred values, which removes the
// rounding left in the mean), and diagonalises it with the cyclic Jacobi
// method, which finds small eigenvalues to high relative accuracy. The
// explained variance of a component is its eigenvalue, the variance of the
// data along it with the n−1 denominator, as in scikit-learn; the ratio
// divides it by the total variance (the trace of the covariance matrix).
//
// # Sign convention
//
// An eigenvector is defined only up to its sign. Each component is returned
// as a unit vector whose largest entry in magnitude is positive; when several
// entries are within a relative 1e-9 of the largest magnitude, the first of
// them is made positive. The rule depends only on the component, not on the
// rows used to fit it, so a projection fitted on another sample of the same
// data points the same way.
//
// scikit-learn 1.2.1 instead applies svd_flip to the scores (U of the SVD):
// the row with the largest absolute score on a component gets a positive
// score. Its components therefore equal these up to the sign of each one;
// the tests check both the values and that the signs differ only by ±1.
//
// # Size and cost
//
// Fit uses every row up to 100,000 (DefaultSampleSize) and a seeded sample
// of rows above that (see PCA.SampleSize and Sample); it checks every row for
// NaN and infinities either way. The covariance costs O(m·d²) time for m rows
// used, and the eigen-decomposition O(d³) time per Jacobi sweep, usually 6
// to 10 sweeps. Measured natively on a shared 2-core machine: 10 ms for
// 100,000×8, 40 ms for 1,000,000×8 (sampled to 100,000), 0.4 s for the
// eigen-decomposition at d = 300 and 30 s at d = 1000; the browser is 2.4 to
// 3.6 times slower. Memory is O(d²) besides the input: d×d partial sums for
// at most 64 blocks of rows (capped at 32 MiB in all) plus three d×d
// matrices, and n/8 bytes when sampling. Fit refuses more than MaxColumns
// (1000) columns with ErrTooWide before allocating anything.
//
// Work is split over GOMAXPROCS goroutines in blocks fixed by the number of
// rows and columns alone, with partial sums added in block order, so results
// are bit-for-bit identical for any GOMAXPROCS, natively and under js/wasm.
package project
