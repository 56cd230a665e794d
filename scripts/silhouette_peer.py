#!/usr/bin/python3
"""scikit-learn peer for segkit's eval.Suggest benchmark.

Reads raw little-endian float64 rows written by segkit's internal/synth
(WriteFloat64), and for k = kmin..kmax fits sklearn.cluster.KMeans(k, n_init=3)
and times silhouette_score(x, labels, sample_size=10000, random_state=0).
Prints one JSON object: the silhouette seconds summed over k (the figure
Suggest must beat), the k-means fit seconds summed over k (not part of the
comparison, for context), and the silhouette of each k.

Usage: /usr/bin/python3 scripts/silhouette_peer.py PATH D [KMIN KMAX [THREADS]]
Needs Debian's python3-sklearn (the `python3` on PATH may lack it).
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits


def main():
    path, d = sys.argv[1], int(sys.argv[2])
    kmin = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    kmax = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else None
    x = np.fromfile(path, dtype="<f8").reshape(-1, d)
    fit_seconds = 0.0
    silhouette_seconds = 0.0
    scores = {}
    with threadpool_limits(limits=threads):
        for k in range(kmin, kmax + 1):
            start = time.perf_counter()
            labels = KMeans(n_clusters=k, n_init=3, random_state=0).fit(x).labels_
            fit_seconds += time.perf_counter() - start
            start = time.perf_counter()
            scores[k] = float(silhouette_score(x, labels, sample_size=10000, random_state=0))
            silhouette_seconds += time.perf_counter() - start
    print(json.dumps({"rows": int(x.shape[0]), "silhouette_seconds": silhouette_seconds,
                      "fit_seconds": fit_seconds, "silhouette": scores}), flush=True)


if __name__ == "__main__":
    main()
