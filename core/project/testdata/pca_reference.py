#!/usr/bin/python3
"""Reference values for segkit's core/project, computed by scikit-learn.

Run from the repository root with the interpreter that has scikit-learn 1.2.1:

    /usr/bin/python3 core/project/testdata/pca_reference.py

It writes core/project/testdata/pca_reference.json next to this script. The
Go tests fit every case with Components = d (all components) and with the
default of 2, and compare with the values here.

Each case holds the input x, sklearn's PCA(n_components=d, svd_solver="full")
results (explained_variance_, explained_variance_ratio_, mean_), its raw
components_ ("sklearn_components"), and the components and transformed points
after segkit's sign convention ("components", "transformed", "signs" with
components = signs * sklearn_components).

segkit's sign convention: each component's largest entry in magnitude is
positive; among entries within a relative 1e-9 of the largest magnitude, the
first counts. scikit-learn 1.2.1 uses svd_flip(U, Vt) with u_based_decision:
the row with the largest absolute score on each component has a positive
score. The script asserts that property of sklearn's output, so the JSON
documents both conventions.

"full" is forced: sklearn's default "auto" switches to the randomized solver
(approximate) when max(n, d) > 500 and n_components < 0.8 * min(n, d).
"""
import gzip
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.decomposition import PCA

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def orient(v):
    """segkit's sign: the first entry within 1e-9 of the largest |value| > 0."""
    big = np.max(np.abs(v))
    j = int(np.argmax(np.abs(v) >= big * (1 - 1e-9)))
    return -1.0 if v[j] < 0 else 1.0


def case(name, x, note=""):
    x = np.asarray(x, dtype=np.float64)
    n, d = x.shape
    pca = PCA(n_components=d, svd_solver="full").fit(x)
    raw = pca.components_
    scores = pca.transform(x)
    # sklearn 1.2.1's own convention (svd_flip on U): the largest |score| of
    # each component is positive.
    for c in range(d):
        i = int(np.argmax(np.abs(scores[:, c])))
        assert scores[i, c] > 0, (name, c)
    signs = np.array([orient(raw[c]) for c in range(d)])
    comps = raw * signs[:, None]
    ev = pca.explained_variance_
    # Eigenvectors are determined to about eps * ev[0] / gap: record the
    # smallest gap between consecutive eigenvalues, relative to the largest.
    gaps = np.diff(ev[::-1])[::-1] / ev[0] if d > 1 else np.array([1.0])
    # Cross-check against numpy's eigh of the covariance matrix.
    w = np.linalg.eigvalsh(np.cov(x, rowvar=False))[::-1]
    assert np.allclose(w, ev, rtol=0, atol=1e-12 * ev[0]), name
    return {
        "name": name,
        "note": note,
        "x": x.tolist(),
        "mean": pca.mean_.tolist(),
        "sklearn_components": raw.tolist(),
        "signs": signs.tolist(),
        "components": comps.tolist(),
        "explained_variance": ev.tolist(),
        "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
        "transformed": (scores * signs[None, :]).tolist(),
        "min_relative_gap": float(np.min(gaps)),
    }


def correlated(n, d, seed):
    """n rows of d correlated columns: independent normals with standard
    deviations from 3 down to 0.3, turned by a random orthogonal matrix, then
    shifted away from the origin."""
    rs = np.random.RandomState(seed)
    z = rs.randn(n, d) * np.linspace(3.0, 0.3, d)[None, :]
    q, _ = np.linalg.qr(rs.randn(d, d))
    return z @ q + rs.uniform(-50, 50, size=d)[None, :]


def main():
    cases = []
    for n, d, seed in [(40, 2, 1), (60, 3, 2), (120, 8, 3), (200, 17, 4)]:
        cases.append(case("correlated_n%d_d%d" % (n, d), correlated(n, d, seed),
                          "normals with sd 3..0.3, random rotation, shift; seed %d" % seed))
    ecoli = os.path.join(ROOT, "..", "shared", "data", "bench", "uci", "ecoli.data.gz")
    with gzip.open(ecoli, "rt") as f:
        x = np.loadtxt(f)
    cases.append(case("uci_ecoli", x, "bench/uci/ecoli.data.gz read with numpy.loadtxt"))

    out = {
        "origin": {
            "tool": "scikit-learn",
            "sklearn_version": sklearn.__version__,
            "numpy_version": np.__version__,
            "python": sys.version.split()[0],
            "script": "core/project/testdata/pca_reference.py",
            "note": "PCA(n_components=d, svd_solver='full'); components and transformed "
                    "points flipped to segkit's sign convention (signs * sklearn)",
        },
        "cases": cases,
    }
    path = os.path.join(HERE, "pca_reference.json")
    with open(path, "w") as f:
        f.write('{"origin": %s,\n"cases": [\n' % json.dumps(out["origin"], indent=1))
        f.write(",\n".join(json.dumps(c) for c in cases))
        f.write("\n]}\n")
    for c in cases:
        print(c["name"], "min relative gap %.3g" % c["min_relative_gap"],
              "ratio", np.round(c["explained_variance_ratio"], 4).tolist(),
              "signs", c["signs"])


if __name__ == "__main__":
    main()
