#!/usr/bin/python3
"""scikit-learn 1.2.1 side of segkit's DBSCAN and mean-shift quality table.

Reads the per-set settings from core/cluster/testdata/density_quality.json
(shared with the Go test TestDensityQualityTable, which prints segkit's side)
and prints one JSON line per labelled set with scikit-learn's adjusted Rand
index against the reference labels (noise, label 0, kept as its own class)
and seconds:

  DBSCAN(eps, min_samples) — the settings were chosen once, by the rule
    min_samples = max(4, 2·d) (16 for d > 8) and eps = the knee of the sorted
    min_samples-distance curve (the point farthest below the chord after
    scaling both axes to [0, 1]: cluster.SuggestEps), rounded to 3
    significant digits; other/chameleon_t7_10k uses eps 10, min_samples 10;
    the sets marked "tuned" use the best of a small grid searched once with
    scikit-learn against the reference labels (min_samples in {4, 8, 16},
    eps = the 0.5, 0.7, 0.8, 0.9, 0.95, 0.98 or 0.99 quantile of the
    k-distances, 3 significant digits) — the same settings for both tools.
  HDBSCAN: min_cluster_size = max(5, n // 100); chameleon_t7_10k: 15.
  MeanShift(bin_seeding=True) with scikit-learn's estimated bandwidth
    (quantile 0.3); on sets over 10000 rows the bandwidth is fixed in the
    JSON file to estimate_bandwidth(X, n_samples=10000, random_state=0) so
    both tools use the same value.
  HDBSCAN is not in scikit-learn 1.2.1: only segkit's ARI is reported.

Usage: quality_density.py [SEGKIT_DATA [FIRST]]   (default /work/shared/data, 0)
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN, MeanShift
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SEGKIT_DATA", "/work/shared/data")
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 0  # resume at this set
    bench = os.path.join(data, "bench")
    sets = json.load(open(os.path.join(HERE, "..", "core", "cluster", "testdata", "density_quality.json")))
    with threadpool_limits(limits=2):
        for s in sets[first:]:
            x = np.loadtxt(os.path.join(bench, s["file"]), ndmin=2)
            y = np.loadtxt(os.path.join(bench, s["labels"]), dtype=int)
            out = {"set": s["labels"], "n": s["n"], "d": s["d"], "sklearn": __import__("sklearn").__version__}
            db = s["dbscan"]
            t = time.perf_counter()
            lab = DBSCAN(eps=db["eps"], min_samples=db["min_samples"]).fit(x).labels_
            out["dbscan"] = {"eps": db["eps"], "min_samples": db["min_samples"],
                             "ari": round(adjusted_rand_score(y, lab), 4),
                             "seconds": round(time.perf_counter() - t, 3),
                             "clusters": int(lab.max()) + 1, "noise": int((lab < 0).sum())}
            bw = s["meanshift"].get("bandwidth")
            t = time.perf_counter()
            try:
                ms = MeanShift(bandwidth=bw, bin_seeding=True).fit(x)
                out["meanshift"] = {"bandwidth": bw, "ari": round(adjusted_rand_score(y, ms.labels_), 4),
                                    "seconds": round(time.perf_counter() - t, 3),
                                    "clusters": int(ms.labels_.max()) + 1}
            except ValueError as e:  # e.g. no row within bandwidth of any bin seed
                out["meanshift"] = {"error": str(e).split(".")[0]}
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
