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
//   - [DBSCAN]: density-based clusters and noise through a k-d tree (never an
//     n×n matrix), euclidean, manhattan or haversine (latitude and longitude
//     in degrees, eps in km); [SuggestEps] reads the knee of the k-distance
//     curve.
//   - [HDBSCAN]: hierarchical density-based clustering with excess-of-mass or
//     leaf selection, GLOSH outlier scores and membership strengths.
//   - [MeanShift]: flat kernel, bin seeding, bandwidth estimated as
//     scikit-learn's estimate_bandwidth.
//   - [GaussianMixture]: EM with full, tied, diagonal or spherical
//     covariance, k-means start, BIC and AIC ([GMMCriterion]), posteriors.
//   - [Agglomerative]: ward, complete, average and single linkage with a
//     [Dendrogram] cut by k or by height; Ward runs without a distance
//     matrix beyond 4,096 rows.
//   - [Birch]: scikit-learn's CF tree with a global step, and PartialFit over
//     chunks for files too large to hold.
//   - [KPrototypes] and [KMedoids]: mixed numeric and categorical data
//     (categorical columns as integer codes), the latter on [Gower] distance
//     with FasterPAM.
//
// Each algorithm's doc comment states its time and memory complexity and the
// largest input it accepts; beyond it, Fit refuses with [ErrTooLarge] before
// allocating and names an algorithm that fits. Centre-based models predict
// with [NearestCenter], which other packages can also rebuild from saved
// centres; the others have predictors of their own ([NearestCore],
// [HDBSCANRule], [NearestMode], [Mixture], [BirchPredictor],
// [PrototypePredictor], [MedoidPredictor]).
//
// Data problems (non-finite values, too few rows) and bad settings are
// reported as errors wrapping the sentinels [ErrInvalidInput],
// [ErrTooFewPoints] and [ErrBadSettings]; no panic escapes the package.
package cluster
