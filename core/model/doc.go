// Package model is segkit's portable, versioned model: the fitted
// preparation pipeline, the algorithm with its parameters, what prediction
// needs (for k-means the centres), and the segment names. The same bytes give
// the same answer natively (the CLI), in the page and in the edge worker.
//
// Version 1 holds the algorithms that assign a new customer to the nearest
// centre — k-means and mini-batch k-means (centres), agglomerative clustering
// (Ward: cluster centroids; complete, average and single linkage: medoids,
// which are training rows in prepared units) and mean-shift (modes) — and
// every other algorithm of the suite with its own rule, its state beside
// the centres:
//   - "gmm", "mixture": weights and covariances beside the means in
//     "centers"; highest posterior, with probabilities;
//   - "dbscan", "core": the core points with their segments, eps and metric;
//     the nearest core point within eps, else noise;
//   - "hdbscan", "hdbscan": every training row with its core distance, the
//     distance at which it left the condensed tree and its segment, and per
//     segment its birth and densest distances; the new customer is inserted
//     into the fitted hierarchy (cluster.HDBSCANRule): it meets the training
//     row of least mutual-reachability distance and joins that row's segment
//     if it meets it below the segment's birth, else it is noise;
//   - "birch", "subclusters": the leaf subclusters' centroids with their
//     segments; the nearest subcluster's segment ("centers" holds the
//     segments' centres, for display);
//   - "kprototypes", "prototypes": the categorical mask and gamma beside the
//     prototypes in "centers" (means of numeric features, modal category
//     codes); the cheapest prototype by Huang's cost;
//   - "kmedoids", "gower": the categorical mask, per-feature ranges and
//     weights beside the medoids in "centers" (training rows); the nearest
//     medoid by Gower distance.
//
// Noise is segment -1, named "Noise". Every rule but agglomerative
// clustering's gives each training row its training label. DBSCAN and
// HDBSCAN models therefore carry training rows in prepared units (DBSCAN its
// core points, HDBSCAN all rows, since a new customer's core distance is
// measured against them); Save refuses a model above MaxSize. NewCompact is
// the compact alternative for every algorithm on numeric features
// ("compact": true): only the segments' centroids, nearest-centroid
// assignment, no training rows.
//
// Apart from those, a model holds only the K
// centres (in prepared, scaled units), the per-segment sizes and,
// once a profile is applied, each segment's name, one-line description and
// distinguishing features (aggregate statistics such as segment means).
// Segment names are unique; Rename changes one and the model's ID with it.
//
// # Format, version 1
//
//	{
//	  "format": "segkit-model",
//	  "version": 1,
//	  "id": "9f2c…",                 // first 16 hex digits of SHA-256 of the model with "id" empty
//	  "algorithm": "kmeans",          // or "minibatch-kmeans", "agglomerative-<linkage>", "meanshift", "gmm", "dbscan", "hdbscan", "birch", "kprototypes", "kmedoids"
//	  "params": {"k": 3, "seed": 1, "n_init": 10},
//	  "pipeline": {…},                // prep.Pipeline
//	  "features": ["Fresh", …],       // the pipeline's output columns, in order
//	  "centers": [[…], …],            // K rows of len(features) numbers
//	  "segments": [{"id": 0, "name": "High income · Low spending", "size": 39,
//	                "description": "39 customers (19.5 %) with …",     // from ApplyProfile
//	                "features": ["Annual Income (k$) high: mean 86.5 vs 60.6", …]}, …],
//	  "training": {"rows": 440, "inertia": 1553.3}
//	}
//
// Decode and Load validate strictly: an unknown format, version, algorithm or
// field, wrong shapes, non-finite numbers, or features that do not match the
// pipeline are errors that say what is wrong.
package model
