#!/usr/bin/python3
"""scikit-learn peer for segkit's k-means benchmark.

Reads raw little-endian float64 rows written by segkit's internal/synth
(WriteFloat64), fits sklearn.cluster.KMeans with the settings segkit's
benchmark uses (lloyd, n_init=1, tol=1e-4, k-means++), limited to the given
number of threads, and prints one JSON object per repetition:
{"seconds": ..., "iterations": ..., "inertia": ...}.

Run by `go run ./cmd/build bench`; needs Debian's python3-sklearn.
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits


def main():
    path, d, k, threads, reps, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    x = np.fromfile(path, dtype="<f8").reshape(-1, d)
    with threadpool_limits(limits=threads):
        for rep in range(reps):
            km = KMeans(n_clusters=k, n_init=1, algorithm="lloyd", tol=1e-4, init="k-means++", random_state=seed + rep)
            start = time.perf_counter()
            km.fit(x)
            seconds = time.perf_counter() - start
            print(json.dumps({"seconds": seconds, "iterations": int(km.n_iter_), "inertia": float(km.inertia_)}), flush=True)


if __name__ == "__main__":
    main()
