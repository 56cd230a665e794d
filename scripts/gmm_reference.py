#!/usr/bin/python3
"""scikit-learn 1.2.1 reference values for segkit's GaussianMixture tests.

Fits sklearn.mixture.GaussianMixture on fcps/hepta (212×3, K=7) for each
covariance type, started from the same hard responsibilities that segkit's
test passes as InitLabels: label(i) = (truth(i) - 1 + (1 if i % 3 == 0 else 0)) % 7
(the reference partition with every third row moved to the next class, so EM has
work to do). Defaults otherwise (tol=1e-3, reg_covar=1e-6, max_iter=100).
Prints one JSON line per covariance type with weights, means, covariances,
lower bound, n_iter, converged, BIC, AIC and score.

Usage: SEGKIT_DATA=/work/shared/data /usr/bin/python3 scripts/gmm_reference.py
"""
import json
import os

import numpy as np
from sklearn.mixture import GaussianMixture


class LabelInit(GaussianMixture):
    """GaussianMixture started from given hard labels."""

    def __init__(self, labels=None, **kw):
        super().__init__(**kw)
        self.labels = labels

    def _initialize_parameters(self, X, random_state):
        resp = np.zeros((X.shape[0], self.n_components))
        resp[np.arange(X.shape[0]), self.labels] = 1
        self._initialize(X, resp)


def main():
    root = os.environ.get("SEGKIT_DATA", "/work/shared/data")
    x = np.loadtxt(os.path.join(root, "bench/fcps/hepta.data.gz"), ndmin=2)
    y = np.loadtxt(os.path.join(root, "bench/fcps/hepta.labels0.gz"), dtype=int)
    k = 7
    labels = np.array([(y[i] - 1 + (1 if i % 3 == 0 else 0)) % k for i in range(len(y))])
    for cov in ["full", "tied", "diag", "spherical"]:
        gm = LabelInit(labels=labels, n_components=k, covariance_type=cov)
        gm.fit(x)
        print(json.dumps({
            "cov": cov,
            "weights": gm.weights_.tolist(),
            "means": gm.means_.ravel().tolist(),
            "covariances": np.asarray(gm.covariances_).ravel().tolist(),
            "lower_bound": gm.lower_bound_,
            "n_iter": int(gm.n_iter_),
            "converged": bool(gm.converged_),
            "bic": gm.bic(x),
            "aic": gm.aic(x),
            "score": gm.score(x),
            "labels": gm.predict(x).tolist(),
        }), flush=True)


if __name__ == "__main__":
    main()
