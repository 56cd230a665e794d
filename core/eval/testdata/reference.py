#!/usr/bin/python3
"""Reference values for segkit's core/eval, computed by scikit-learn.

Run from the repository root with the interpreter that has scikit-learn 1.2.1:

    /usr/bin/python3 core/eval/testdata/reference.py

It writes core/eval/testdata/reference.json next to this script. The Go tests
load that file and compare every metric with a relative tolerance of 1e-9.

Rules mirrored from the Go package:
  * labels < 0 are noise: internal indices (silhouette, Calinski-Harabasz,
    Davies-Bouldin, inertia) are computed by sklearn on the non-noise subset;
    silhouette_samples is reported for every row, 0 for noise rows.
  * ARI and NMI compare the labels as given (-1 is just another class).
  * inertia is computed with numpy: the sum of squared Euclidean distances of
    non-noise rows to centers[label] ("inertia"), and to the centroid of
    each label ("inertia_centroids").
"""
import json
import os
import sys

import numpy as np
import sklearn
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    normalized_mutual_info_score,
    silhouette_samples,
    silhouette_score,
)


def inertia(x, labels, centers):
    keep = labels >= 0
    d = x[keep] - centers[labels[keep]]
    return float(np.sum(d * d))


def inertia_centroids(x, labels):
    total = 0.0
    for k in np.unique(labels[labels >= 0]):
        pts = x[labels == k]
        d = pts - pts.mean(axis=0)
        total += float(np.sum(d * d))
    return total


def internal_case(name, x, labels, truth=None, centers=None):
    x = np.asarray(x, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    keep = labels >= 0
    xs, ls = x[keep], labels[keep]
    samples = np.zeros(len(labels))
    samples[keep] = silhouette_samples(xs, ls)
    # Cross-check sklearn's dot-product distances against exact ones, so the
    # 1e-9 tolerance in the Go tests is about the metric, not the distance.
    exact = silhouette_samples(cdist(xs, xs), ls, metric="precomputed")
    assert np.allclose(samples[keep], exact, rtol=1e-11, atol=1e-12), name
    case = {
        "name": name,
        "x": x.tolist(),
        "labels": labels.tolist(),
        "silhouette": float(silhouette_score(xs, ls)),
        "silhouette_samples": samples.tolist(),
        "calinski_harabasz": float(calinski_harabasz_score(xs, ls)),
        "davies_bouldin": float(davies_bouldin_score(xs, ls)),
        "inertia_centroids": inertia_centroids(x, labels),
    }
    if centers is not None:
        centers = np.asarray(centers, dtype=np.float64)
        case["centers"] = centers.tolist()
        case["inertia"] = inertia(x, labels, centers)
    if truth is not None:
        truth = np.asarray(truth, dtype=np.int64)
        case["truth"] = truth.tolist()
        case["ari"] = float(adjusted_rand_score(truth, labels))
        case["nmi"] = float(normalized_mutual_info_score(truth, labels))
    return case


def label_case(name, truth, pred):
    return {
        "name": name,
        "truth": list(map(int, truth)),
        "pred": list(map(int, pred)),
        "ari": float(adjusted_rand_score(truth, pred)),
        "nmi": float(normalized_mutual_info_score(truth, pred)),
    }


def main():
    cases = []

    # Hand-written: three obvious groups in 2-D.
    x = [[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [6, 5], [10, 0], [10, 1]]
    lab = [0, 0, 0, 1, 1, 1, 2, 2]
    cases.append(internal_case("hand_three_groups", x, lab, truth=[0, 0, 1, 1, 1, 2, 2, 2]))

    # A singleton cluster (its silhouette is 0) and duplicate points.
    x = [[1, 1], [1, 1], [1, 1], [4, 4], [4, 5], [9, 9]]
    cases.append(internal_case("singleton_and_duplicates", x, [0, 0, 0, 1, 1, 2]))

    # One dimension, two clusters, a mislabelled point.
    x = [[0.5], [1.5], [2.0], [7.0], [8.0], [1.0], [9.5]]
    cases.append(internal_case("one_dim_mislabelled", x, [0, 0, 0, 1, 1, 1, 1],
                               centers=[[1.0], [6.0]]))

    # Seeded blobs with 2..5 clusters; labels from k-means, centres from it.
    for k, n, d, seed in [(2, 40, 2, 1), (3, 90, 3, 2), (4, 120, 5, 3), (5, 150, 4, 4)]:
        x, truth = make_blobs(n_samples=n, centers=k, n_features=d,
                              cluster_std=2.0, random_state=seed)
        km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(x)
        case = internal_case("blobs_k%d_n%d_d%d" % (k, n, d), x, km.labels_,
                             truth=truth, centers=km.cluster_centers_)
        assert abs(case["inertia"] - km.inertia_) <= 1e-9 * km.inertia_
        cases.append(case)

    # Noise: some rows labelled -1 (DBSCAN style), excluded from internal
    # indices; ARI/NMI treat -1 as a class.
    x, truth = make_blobs(n_samples=60, centers=3, n_features=2, cluster_std=1.5,
                          random_state=7)
    rng = np.random.RandomState(7)
    lab = truth.copy()
    lab[rng.choice(60, size=8, replace=False)] = -1
    cent = np.array([x[lab == k].mean(axis=0) for k in range(3)]) + 0.25
    cases.append(internal_case("blobs_with_noise", x, lab, truth=truth, centers=cent))

    # Non-contiguous label values (and a negative-free large id).
    x, truth = make_blobs(n_samples=50, centers=4, n_features=3, cluster_std=3.0,
                          random_state=11)
    ids = np.array([3, 10, 42, 1000])
    lab = ids[(truth + (rng.rand(50) < 0.2)) % 4]
    cent = np.zeros((1001, 3))
    for k in ids:
        cent[k] = x[lab == k].mean(axis=0)
    cases.append(internal_case("noncontiguous_labels", x, lab, truth=truth * 7 - 5,
                               centers=cent))

    label_cases = [
        label_case("identical", [0, 0, 1, 1, 2], [0, 0, 1, 1, 2]),
        label_case("renamed", [0, 0, 1, 1, 2], [5, 5, -3, -3, 9]),
        label_case("both_single_cluster", [1, 1, 1, 1], [7, 7, 7, 7]),
        label_case("both_all_singletons", [0, 1, 2, 3], [3, 2, 1, 0]),
        label_case("one_vs_all_singletons", [0, 0, 0, 0], [0, 1, 2, 3]),
        label_case("single_vs_two", [0, 0, 1, 1], [0, 0, 0, 0]),
        label_case("sklearn_doc", [0, 0, 1, 1], [0, 0, 1, 2]),
        label_case("half", [0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]),
        label_case("noise_as_class", [-1, -1, 0, 0, 1, 1, -1], [0, 0, 0, 1, 1, 1, -1]),
        label_case("one_sample", [3], [4]),
        label_case("empty", [], []),
    ]
    rs = np.random.RandomState(2024)
    for n, k1, k2 in [(200, 3, 4), (1000, 10, 7), (5000, 2, 50)]:
        t = rs.randint(0, k1, size=n)
        p = (t * 13 + rs.randint(0, k2, size=n) * (rs.rand(n) < 0.4)) % k2 - 1
        label_cases.append(label_case("random_n%d_%dx%d" % (n, k1, k2), t, p))

    out = {
        "origin": {
            "tool": "scikit-learn",
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "python": sys.version.split()[0],
            "script": "core/eval/testdata/reference.py",
            "note": "internal indices on the non-noise subset (labels >= 0); "
                    "silhouette_samples is 0 for noise rows; inertia by numpy",
        },
        "cases": cases,
        "label_cases": label_cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    # One case per line: small enough to diff, readable enough to review.
    with open(path, "w") as f:
        f.write('{"origin": %s,\n' % json.dumps(out["origin"], indent=1))
        for key in ("cases", "label_cases"):
            f.write('"%s": [\n' % key)
            f.write(",\n".join(json.dumps(c) for c in out[key]))
            f.write("\n]" + (",\n" if key == "cases" else "}\n"))


if __name__ == "__main__":
    main()
