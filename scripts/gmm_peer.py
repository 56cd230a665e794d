#!/usr/bin/python3
"""scikit-learn peer for segkit's Gaussian mixture benchmark.

Reads raw little-endian float64 rows written by segkit's internal/synth
(WriteFloat64), fits sklearn.mixture.GaussianMixture(K,
covariance_type=COV, random_state=SEED) (defaults otherwise: k-means
initialisation, tol=1e-3, reg_covar=1e-6, max_iter=100), limited to the
given number of threads, and prints one JSON object per repetition:
{"seconds": ..., "iterations": ..., "lower_bound": ...}.

With TOL and MAX_ITER (for example 0 29) a fixed number of iterations is
timed instead (scikit-learn warns that the fit did not converge).

Usage: gmm_peer.py PATH D K COV THREADS REPS SEED [TOL MAX_ITER]
"""
import json
import warnings
import sys
import time

import numpy as np
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits


def main():
    path, d, k, cov = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    threads, reps, seed = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
    extra = {}
    if len(sys.argv) > 9:
        extra = {"tol": float(sys.argv[8]), "max_iter": int(sys.argv[9])}
    x = np.fromfile(path, dtype="<f8").reshape(-1, d)
    warnings.simplefilter("ignore")
    with threadpool_limits(limits=threads):
        for rep in range(reps):
            gm = GaussianMixture(k, covariance_type=cov, random_state=seed, **extra)
            start = time.perf_counter()
            gm.fit(x)
            seconds = time.perf_counter() - start
            print(json.dumps({"seconds": seconds, "iterations": int(gm.n_iter_),
                              "lower_bound": float(gm.lower_bound_)}), flush=True)


if __name__ == "__main__":
    main()
