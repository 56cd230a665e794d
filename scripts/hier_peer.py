#!/usr/bin/python3
"""scikit-learn peer for segkit's agglomerative and BIRCH benchmarks.

Reads raw little-endian float64 rows written by segkit's internal/synth
(WriteFloat64; the benchmarks use synth.Blobs(n, 8, 8, 1.5, 1)) and fits,
REPS times, with the given number of threads:
  ward   AgglomerativeClustering(n_clusters=K, linkage="ward")
  single/complete/average  the same with that linkage
  birch  Birch(n_clusters=K, threshold=THRESHOLD) (branching factor 50;
         THRESHOLD defaults to scikit-learn's 0.5)
printing one JSON object per repetition: {"algo", "rows", "seconds" (wall),
"cpu" (process CPU seconds), ...}.

Usage: /usr/bin/python3 scripts/hier_peer.py ALGO PATH D K [THREADS [REPS [THRESHOLD]]]
Needs Debian's python3-sklearn (the `python3` on PATH lacks it).
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import AgglomerativeClustering, Birch
from threadpoolctl import threadpool_limits


def main():
    algo, path, d, k = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    reps = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    threshold = float(sys.argv[7]) if len(sys.argv) > 7 else 0.5
    x = np.fromfile(path, dtype="<f8").reshape(-1, d)
    with threadpool_limits(limits=threads):
        for _ in range(reps):
            start, cpu = time.perf_counter(), time.process_time()
            if algo == "birch":
                try:
                    est = Birch(n_clusters=k, threshold=threshold).fit(x)
                    extra = {"threshold": threshold, "subclusters": int(len(est.subcluster_centers_))}
                except MemoryError as e:
                    extra = {"threshold": threshold, "error": str(e)}
            else:
                est = AgglomerativeClustering(n_clusters=k, linkage=algo).fit(x)
                extra = {}
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(json.dumps(dict(tool="scikit-learn", algo=algo, rows=int(x.shape[0]), seconds=seconds, cpu=cpu, **extra)), flush=True)


if __name__ == "__main__":
    main()
