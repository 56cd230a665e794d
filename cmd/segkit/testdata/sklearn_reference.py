#!/usr/bin/python3
"""Reference labels for the CLI tests, computed with scikit-learn 1.2.1
(Debian python3-sklearn) from ../../../testdata/wholesale-customers.csv.

Pipeline, as `segkit cluster --k 3 --drop Channel,Region` documents it:
the six spending columns (all non-negative with skewness > 1) -> log1p ->
StandardScaler -> KMeans(n_clusters=3, n_init=10). The labels of the best of
20 seeds (lowest inertia) are written one per line to wholesale_k3.labels.
Run: /usr/bin/python3 sklearn_reference.py
"""
import numpy as np
from scipy.stats import skew
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

x = np.loadtxt("../../../testdata/wholesale-customers.csv", delimiter=",", skiprows=1)[:, 2:]
for c in range(x.shape[1]):
    assert (x[:, c] >= 0).all() and skew(x[:, c], bias=False) > 1, c
z = StandardScaler().fit_transform(np.log1p(x))
best = min((KMeans(n_clusters=3, n_init=10, random_state=s).fit(z) for s in range(20)), key=lambda m: m.inertia_)
np.savetxt("wholesale_k3.labels", best.labels_, fmt="%d")
print("inertia", best.inertia_, "sizes", np.bincount(best.labels_))
