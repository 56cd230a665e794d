#!/usr/bin/python3
"""scikit-learn 1.2.1 side of segkit's density benchmarks (DBSCAN, mean-shift).

Times scikit-learn on the raw float64 files that
`SEGKIT_BENCH_OUT=DIR go test -run TestWriteDensityBenchData ./core/cluster/`
writes (synth.Blobs(n, d, 8, 10, 1)) and prints one JSON line per run.

Usage:
  density_peer.py dbscan FILE D EPS MIN_SAMPLES [REPEATS]
  density_peer.py meanshift FILE D [REPEATS]
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN, MeanShift
from threadpoolctl import threadpool_limits


def main():
    algo, path, d = sys.argv[1], sys.argv[2], int(sys.argv[3])
    x = np.fromfile(path, "<f8").reshape(-1, d)
    if algo == "dbscan":
        eps, ms = float(sys.argv[4]), int(sys.argv[5])
        reps = int(sys.argv[6]) if len(sys.argv) > 6 else 3
        make = lambda: DBSCAN(eps=eps, min_samples=ms)
    else:
        reps = int(sys.argv[4]) if len(sys.argv) > 4 else 3
        make = lambda: MeanShift(bin_seeding=True)
    with threadpool_limits(limits=2):
        for _ in range(reps):
            start = time.perf_counter()
            m = make().fit(x)
            sec = time.perf_counter() - start
            k = int(m.labels_.max()) + 1
            print(json.dumps({"algo": algo, "n": x.shape[0], "d": d, "seconds": round(sec, 3),
                              "clusters": k, "noise": int((m.labels_ < 0).sum())}), flush=True)


if __name__ == "__main__":
    main()
