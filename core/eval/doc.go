// Package eval scores clusterings: internal indices that need only the data
// and the labels (inertia, silhouette, Calinski–Harabasz, Davies–Bouldin), a
// one-call Summary of them, and external indices that compare two labellings
// (adjusted Rand index, normalised mutual information).
//
// # Labels
//
// Labels are arbitrary ints; they need not be 0..k-1 or contiguous. For the
// internal indices a negative label marks noise (as DBSCAN and HDBSCAN
// produce): noise rows are excluded from every internal index, which is then
// computed on the remaining rows exactly as if the noise rows were absent.
// The internal indices other than inertia need 2 <= k <= m-1 clusters, where
// m is the number of non-noise rows, as scikit-learn does; otherwise they
// return an error wrapping ErrTooFewClusters.
//
// The external indices compare the labels as given: -1 is just another class,
// as in scikit-learn.
//
// # Agreement with scikit-learn
//
// Every index follows scikit-learn 1.2.1, including its edge cases (a
// singleton cluster has silhouette 0; two labellings that each have one class
// have ARI and NMI 1). The tests compare against values computed by
// scikit-learn with testdata/reference.py to a relative tolerance of 1e-9.
//
// # Cost
//
// Silhouette is exact and costs O(m²·d) time but only O(m + k) memory: it
// never builds the m×m distance matrix. It runs over several goroutines when
// the input is large, with a result that does not depend on their number.
// SilhouetteSampled bounds the time for large inputs. The other internal
// indices cost O(m·d + k²·d); ARI and NMI cost O(n) plus the size of the
// contingency table, with integer pair counts that are exact for any n this
// package accepts.
package eval
