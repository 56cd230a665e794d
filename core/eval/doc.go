// Package eval scores clusterings: internal indices that need only the data
// and the labels (inertia, silhouette, Calinski–Harabasz, Davies–Bouldin), a
// one-call Summary of them, external indices that compare two labellings
// (adjusted Rand index, normalised mutual information), and Suggest, which
// chooses the number of clusters.
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
//
// # Choosing the number of clusters
//
// Suggest fits every k from KMin to KMax (2 to 10 by default) and scores each
// fit with these criteria, all on the same fit sample:
//
//   - silhouette (highest is best), on a seeded sample of the fit sample;
//   - Calinski–Harabasz (highest is best);
//   - Davies–Bouldin (lowest is best);
//   - the elbow: the knee of the inertia curve over k found by Kneedle;
//   - the gap statistic of Tibshirani, Walther and Hastie (2001): B uniform
//     reference sets in the bounding box of the data, each clustered for
//     every k; Gap(k) = mean log W*_k − log W_k with standard error s_k;
//   - BIC (lowest is best), when SuggestOptions.Criterion supplies it, as
//     for mixture models; AIC is reported but does not vote, as it is known
//     to favour too many components;
//   - stability: the mean adjusted Rand index of the fits of pairs of
//     independent 80 % subsamples, compared on the rows they share.
//
// The rule, in order:
//
//  1. Stability veto. A k whose stability is below StabilityThreshold (0.75)
//     is ineligible: its partition does not reproduce on resampled data, so
//     it is not taken as structure. If no k is stable, every k stays
//     eligible and the reasons say so. With stability disabled every k is
//     eligible.
//  2. Votes. Each criterion votes once, for its best eligible k: the highest
//     silhouette, the highest Calinski–Harabasz, the lowest Davies–Bouldin,
//     the lowest BIC; the elbow votes for the knee if it is eligible (a
//     curve without a knee does not vote); the gap statistic votes by
//     Tibshirani's one-standard-error rule, the smallest eligible k with
//     Gap(k) ≥ Gap(k+1) − s(k+1), or, when none qualifies, KMax if it is
//     eligible (the gap still rises at the end of the range).
//  3. Plurality. The eligible k with the most votes wins; a tie goes to the
//     higher silhouette, then to the smaller k.
//
// The reasons name the numbers behind the choice ("k = 5: highest silhouette
// 0.555, lowest Davies–Bouldin 0.572, elbow of the inertia curve at 5,
// stability 0.99"), how many criteria agreed, what each dissenting criterion
// preferred, which ks were ruled out as unstable, and the sample sizes.
//
// Every criterion is computed on what the fitter returns: when k-means falls
// into a local minimum at the true k (a merged pair and a split cluster), a
// neighbouring k can score better on every index. More restarts
// (SuggestOptions.NInit, or a Fitter) make that less likely, at a
// proportional cost.
//
// Sampling keeps Suggest interactive on large inputs: each k is fitted on a
// seeded sample of at most 20000 rows, the silhouette is computed on 5000 of
// them, and the gap statistic and stability, which need B + 2·runs further
// fits per k, on a check sample of 5000. Suggestion states every size used.
// Everything is driven by SuggestOptions.Seed, so the result is the same
// natively and in the browser.
//
// The ks can be scored in several processes (Web Workers): Plan splits
// Suggest into NewPlan, Plan.Score for one k, and Plan.Decide over the
// results of every k. A k's result depends only on the data, the options
// and k, so the Suggestion is the same bit for bit however the ks are
// shared out; KResult.MarshalBinary carries a k's result between processes.
package eval
