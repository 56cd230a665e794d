#!/usr/bin/python3
"""scikit-learn side of segkit's Gaussian mixture quality table.

For every labelled set in $SEGKIT_DATA/bench/index.csv (or those whose id
battery/name[.labelsN] is named on the command line), fits
sklearn.mixture.GaussianMixture(n_components=k, covariance_type="full",
random_state=SEED) — scikit-learn 1.2.1's defaults otherwise: k-means
initialisation, n_init=1, tol=1e-3, reg_covar=1e-6, max_iter=100 — for each
seed in SEEDS (default 0,1,2,3,4), with k the number of reference classes,
and prints one JSON line per set with the adjusted Rand indices against the
reference labels (noise, label 0, kept as its own class) and the seconds of
each fit. A fit that fails (a covariance singular even with reg_covar) is
reported with its error. segkit's side is TestGMMQualityTable
(SEGKIT_GMM_TABLE=1 go test -run GMMQualityTable ./core/cluster/ -v).

With --init-dir DIR it also writes, for each set and seed, the labels of
the k-means run that starts scikit-learn's fit (KMeans(k, n_init=1,
random_state=SEED), as GaussianMixture draws it) to DIR/BATTERY_NAME.LABELS.seedSEED.txt;
TestGMMQualityTable with SEGKIT_GMM_INIT_DIR=DIR starts segkit from the same
labels, which separates differences of EM from differences of the k-means
starts.

Usage: SEGKIT_DATA=/work/shared/data /usr/bin/python3 scripts/quality_gmm.py [--init-dir DIR] [SEEDS] [ID ...]
"""
import csv
import json
import os
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits


def main():
    root = os.path.join(os.environ.get("SEGKIT_DATA", "/work/shared/data"), "bench")
    seeds = [0, 1, 2, 3, 4]
    args = sys.argv[1:]
    init_dir = None
    if args[:1] == ["--init-dir"]:
        init_dir, args = args[1], args[2:]
        os.makedirs(init_dir, exist_ok=True)
    if args and args[0].replace(",", "").isdigit():
        seeds = [int(s) for s in args[0].split(",")]
        args = args[1:]
    with open(os.path.join(root, "index.csv")) as f:
        rows = list(csv.DictReader(f))
    with threadpool_limits(limits=2):
        for row in rows:
            lab = os.path.basename(row["labels_file"]).split(".")[1]
            ident = row["battery"] + "/" + row["name"] + "." + lab
            if args and ident not in args:
                continue
            x = np.loadtxt(os.path.join(root, row["file"]), ndmin=2)
            y = np.loadtxt(os.path.join(root, row["labels_file"]), dtype=int)
            k = int(row["k"])
            out = {"set": ident, "n": x.shape[0], "d": x.shape[1], "k": k, "ari": [], "seconds": []}
            for seed in seeds:
                if init_dir:
                    km = KMeans(n_clusters=k, n_init=1, random_state=np.random.RandomState(seed)).fit(x)
                    name = "%s_%s.%s.seed%d.txt" % (row["battery"], row["name"], lab, seed)
                    np.savetxt(os.path.join(init_dir, name), km.labels_, fmt="%d")
                start = time.perf_counter()
                try:
                    labels = GaussianMixture(k, covariance_type="full", random_state=seed).fit_predict(x)
                except ValueError as e:
                    out["error"] = str(e).split("\n")[0]
                    break
                out["seconds"].append(time.perf_counter() - start)
                out["ari"].append(adjusted_rand_score(y, labels))
            if out["ari"]:
                out["mean_ari"] = float(np.mean(out["ari"]))
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
