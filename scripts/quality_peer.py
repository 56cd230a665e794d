#!/usr/bin/python3
"""scikit-learn side of `go run ./cmd/build quality`.

Reads one JSON job per line on standard input and prints one JSON line per
job, in order: {"id": ..., "ari": [one per seed], "seconds": [...]} or
{"id": ..., "error": "..."}. A job names a labelled benchmark set (gzipped
data and labels files), its k, an algorithm and its settings:

  kmeans         KMeans(k, n_init=N_INIT, random_state=SEED) for each seed
  gmm            GaussianMixture(k, covariance_type="full", random_state=SEED)
                 for each seed (k-means start, n_init=1, defaults otherwise)
  dbscan         DBSCAN(eps=EPS, min_samples=MIN_SAMPLES)
  meanshift      MeanShift(bandwidth=BANDWIDTH or estimated, bin_seeding=True)
  ward, complete, average, single
                 AgglomerativeClustering(k, linkage=...)
  birch          Birch(n_clusters=k, threshold=THRESHOLD)

Everything else is scikit-learn 1.2.1's defaults. The adjusted Rand index is
against the reference labels, noise (label 0) kept as its own class, as on
segkit's side. Needs Debian's python3-sklearn (/usr/bin/python3).
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN, AgglomerativeClustering, Birch, KMeans, MeanShift
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits


def fit(job, x, seed):
    algo, p, k = job["algo"], job.get("params") or {}, job["k"]
    if algo == "kmeans":
        return KMeans(n_clusters=k, n_init=int(p["n_init"]), random_state=seed).fit(x).labels_
    if algo == "gmm":
        return GaussianMixture(k, covariance_type="full", random_state=seed).fit_predict(x)
    if algo == "dbscan":
        return DBSCAN(eps=p["eps"], min_samples=int(p["min_samples"])).fit(x).labels_
    if algo == "meanshift":
        return MeanShift(bandwidth=p.get("bandwidth") or None, bin_seeding=True).fit(x).labels_
    if algo in ("ward", "complete", "average", "single"):
        return AgglomerativeClustering(n_clusters=k, linkage=algo).fit(x).labels_
    if algo == "birch":
        return Birch(n_clusters=k, threshold=p.get("threshold") or 0.5).fit(x).labels_
    raise ValueError("unknown algorithm " + algo)


def main():
    cache = {}
    with threadpool_limits(limits=2):
        for line in sys.stdin:
            job = json.loads(line)
            out = {"id": job["id"], "ari": [], "seconds": []}
            try:
                if job["data"] not in cache:
                    cache.clear()  # jobs come grouped by set
                    cache[job["data"]] = np.loadtxt(job["data"], ndmin=2)
                x = cache[job["data"]]
                y = np.loadtxt(job["labels"], dtype=int)
                for seed in job.get("seeds") or [0]:
                    start = time.perf_counter()
                    labels = fit(job, x, seed)
                    out["seconds"].append(time.perf_counter() - start)
                    out["ari"].append(adjusted_rand_score(y, labels))
            except ValueError as e:  # e.g. mean-shift with no row near a seed
                out["error"] = str(e).split("\n")[0]
            out["sklearn"] = __import__("sklearn").__version__
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
