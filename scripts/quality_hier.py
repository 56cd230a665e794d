#!/usr/bin/python3
"""scikit-learn 1.2.1 side of segkit's quality table for agglomerative
clustering and BIRCH.

For every row of bench/index.csv (one reference labelling each) it fits
  * AgglomerativeClustering(n_clusters=k, linkage=L) for L in ward, complete,
    average, single (scikit-learn's defaults otherwise: Euclidean metric),
  * Birch(n_clusters=k) with scikit-learn's defaults (threshold=0.5,
    branching_factor=50, global step AgglomerativeClustering(k) = Ward on the
    subcluster centroids),
where k is the number of clusters of the reference labels (noise, label 0,
is kept as its own class when scoring, as segkit's tables do), and prints one
JSON line per set and algorithm with the adjusted Rand index and the
seconds of the fit.

Skipped (a line with "skipped" and the reason):
  * agglomerative on sets above segkit's bounds: ward and single above 50,000
    rows, complete and average above 16,384 rows (segkit refuses them with
    ErrTooLarge; scipy would need n(n-1)/2 float64 = 40 GB at 100,000 rows);
  * BIRCH where the threshold leaves more than 50,000 subclusters
    (scikit-learn's global Ward step would need a 10 GB distance matrix,
    segkit refuses with ErrTooLarge).

BIRCH thresholds: scikit-learn's default 0.5, except on the three 100,000-row
sipu sets whose coordinates are in the hundreds of thousands (at 0.5 every
row is its own subcluster): birch1 10000 (1,760 subclusters), birch2 1000
(1,244), worms_2 20 (8,494), chosen for a few thousand subclusters; the
same thresholds are used on segkit's side (TestHierQualityTable).

Usage: SEGKIT_DATA=/work/shared/data /usr/bin/python3 scripts/quality_hier.py [ALGO ...]
(ALGO among ward complete average single birch; all by default). The
environment variable SETS, if set, keeps only the sets whose labels file
contains one of its space-separated words.
"""
import csv
import json
import os
import sys
import time

import numpy as np
from sklearn.cluster import AgglomerativeClustering, Birch
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

LIMITS = {"ward": 50000, "single": 50000, "complete": 16384, "average": 16384}
THRESHOLDS = {"sipu/birch1": 10000.0, "sipu/birch2": 1000.0, "sipu/worms_2": 20.0}


def main():
    root = os.path.join(os.environ.get("SEGKIT_DATA", "../shared/data"), "bench")
    algos = sys.argv[1:] or ["ward", "complete", "average", "single", "birch"]
    with open(os.path.join(root, "index.csv")) as f:
        rows = list(csv.DictReader(f))
    if os.environ.get("SETS"):
        rows = [r for r in rows if any(w in r["labels_file"] for w in os.environ["SETS"].split())]
    with threadpool_limits(limits=2):
        for r in rows:
            x = np.loadtxt(os.path.join(root, r["file"]), ndmin=2)
            y = np.loadtxt(os.path.join(root, r["labels_file"]), dtype=int)
            k = int(r["k"])
            set_id = r["labels_file"].replace(".gz", "")
            for algo in algos:
                out = {"set": set_id, "algo": algo, "n": len(x), "k": k}
                if algo in LIMITS and len(x) > LIMITS[algo]:
                    out["skipped"] = "above segkit's bound of %d rows for %s" % (LIMITS[algo], algo)
                    print(json.dumps(out), flush=True)
                    continue
                start = time.perf_counter()
                if algo == "birch":
                    thr = THRESHOLDS.get(r["battery"] + "/" + r["name"], 0.5)
                    out["threshold"] = thr
                    b = Birch(n_clusters=None, threshold=thr).fit(x)
                    nsub = len(b.subcluster_centers_)
                    out["subclusters"] = nsub
                    if nsub > 50000:
                        out["skipped"] = "%d subclusters at threshold %g: the global Ward step is beyond the bound" % (nsub, thr)
                        print(json.dumps(out), flush=True)
                        continue
                    start = time.perf_counter()
                    labels = Birch(n_clusters=k, threshold=thr).fit(x).labels_
                else:
                    labels = AgglomerativeClustering(n_clusters=k, linkage=algo).fit(x).labels_
                out["seconds"] = time.perf_counter() - start
                out["ari"] = adjusted_rand_score(y, labels)
                print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
