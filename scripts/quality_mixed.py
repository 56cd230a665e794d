#!/usr/bin/python3
"""scikit-learn side of segkit's quality table for KPrototypes and KMedoids.

scikit-learn 1.2.1 has neither k-prototypes nor k-medoids (scikit-learn-extra
is not installed, and neither is the kmodes package). On the labelled
benchmark sets, all purely numeric, k-prototypes with no categorical column
is k-means, so the reference is sklearn.cluster.KMeans(n_clusters=k,
n_init=10, random_state=0) with scikit-learn's defaults otherwise (k-means++,
lloyd, tol=1e-4); segkit runs KPrototypes{K: k, NInit: 10 (default)}. The
same KMeans ARI is shown beside KMedoids (FasterPAM from BUILD on Gower's
distance, i.e. range-normalised Manhattan) as context only: it is a different
objective, not a peer.

Prints one JSON line per labels file of bench/index.csv: the set id, scikit-
learn's ARI (noise points, label 0, kept as their own class) and seconds.

Usage: SEGKIT_DATA=/work/shared/data /usr/bin/python3 scripts/quality_mixed.py
The Go side: SEGKIT_QUALITY_TABLE=1 go test -run TestMixedQualityTable -v ./core/cluster/
"""
import csv
import json
import os
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits


def main():
    bench = os.path.join(os.environ.get("SEGKIT_DATA", "../shared/data"), "bench")
    with open(os.path.join(bench, "index.csv")) as f, threadpool_limits(limits=2):
        for row in csv.DictReader(f):
            x = np.loadtxt(os.path.join(bench, row["file"]), ndmin=2)
            y = np.loadtxt(os.path.join(bench, row["labels_file"]), dtype=int)
            k = int(row["k"])
            start = time.perf_counter()
            km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(x)
            sec = time.perf_counter() - start
            name = os.path.basename(row["labels_file"]).removesuffix(".gz")
            print(json.dumps({
                "set": "%s/%s/%s" % (row["battery"], row["name"], name.removeprefix(row["name"] + ".")),
                "sklearn_kmeans_ari": adjusted_rand_score(y, km.labels_),
                "sklearn_kmeans_s": sec,
            }), flush=True)


if __name__ == "__main__":
    main()
