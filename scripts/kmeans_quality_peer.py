#!/usr/bin/python3
"""scikit-learn side of segkit's k-means quality table.

For each labelled benchmark set named on the command line as
DATA_GZ LABELS_GZ K, and each seed, fits sklearn.cluster.KMeans(n_clusters=K,
n_init=N_INIT, random_state=SEED) — scikit-learn 1.2.1's defaults otherwise
(k-means++, lloyd, tol=1e-4) — and prints one JSON line per set with the
adjusted Rand indices against the reference labels (noise points, label 0,
are kept as their own class, as segkit's table does), one per seed.

Usage: kmeans_quality_peer.py N_INIT SEED[,SEED...] DATA_GZ LABELS_GZ K [DATA_GZ LABELS_GZ K ...]
Run by `go run ./cmd/build quality`; needs Debian's python3-sklearn.
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits


def main():
    n_init, seeds = int(sys.argv[1]), [int(v) for v in sys.argv[2].split(",")]
    rest = sys.argv[3:]
    with threadpool_limits(limits=2):
        for i in range(0, len(rest), 3):
            data, labels, k = rest[i], rest[i + 1], int(rest[i + 2])
            x = np.loadtxt(data, ndmin=2)
            y = np.loadtxt(labels, dtype=int)
            aris, inertias, seconds = [], [], []
            for seed in seeds:
                start = time.perf_counter()
                km = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(x)
                seconds.append(time.perf_counter() - start)
                aris.append(adjusted_rand_score(y, km.labels_))
                inertias.append(float(km.inertia_))
            print(json.dumps({
                "labels": labels,
                "ari": aris,
                "inertia": inertias,
                "seconds": seconds,
                "sklearn": __import__("sklearn").__version__,
            }), flush=True)


if __name__ == "__main__":
    main()
