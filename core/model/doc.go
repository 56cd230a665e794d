// Package model is segkit's portable, versioned model: the fitted
// preparation pipeline, the algorithm with its parameters, what prediction
// needs (for k-means the centres), and the segment names. The same bytes give
// the same answer natively (the CLI), in the page and in the edge worker.
//
// Version 1 holds the algorithms that assign a new customer to the nearest
// centre — k-means and mini-batch k-means (centres), agglomerative clustering
// (Ward: cluster centroids; complete, average and single linkage: medoids,
// which are training rows in prepared units) and mean-shift (modes) — and
// two more: Gaussian mixtures ("mixture": weights and covariances beside the
// means in "centers"; highest posterior, with probabilities) and DBSCAN
// ("core": the core points with their segments, eps and metric; the nearest
// core point within eps, else noise, segment -1 named "Noise"). A DBSCAN
// model therefore carries training rows, the core points, in prepared units;
// the other kinds carry none. HDBSCAN and BIRCH are not saved yet with their
// own rules. NewCompact is the compact alternative for every algorithm
// ("compact": true): only the segments' centroids, nearest-centroid
// assignment, no training rows.
//
// A model never holds training rows beyond medoids: it holds only the K
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
//	  "algorithm": "kmeans",          // or "minibatch-kmeans", "agglomerative-<linkage>", "meanshift"
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
