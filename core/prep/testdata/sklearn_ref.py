#!/usr/bin/python3
"""Reference values for core/prep, computed with scikit-learn 1.2.1,
numpy 1.24.2 and scipy 1.10.1 (the versions at /usr/bin/python3 here).

Run from this directory to regenerate sklearn_ref.json:

    /usr/bin/python3 sklearn_ref.py > sklearn_ref.json

For each case the numeric columns go through SimpleImputer (median or mean),
then log1p on the listed columns (FunctionTransformer), then the scaler
(StandardScaler, MinMaxScaler, RobustScaler, or none); the categorical column
goes through SimpleImputer(strategy="most_frequent") and
OneHotEncoder(handle_unknown="ignore") with sorted categories. The output
columns are in the table's column order, as prep orders them. "skewness" is
scipy.stats.skew(bias=True) of each numeric column's non-missing values
(except the constant column, where it is 0/0; prep defines it as 0).
"""
import json
import sys

import numpy as np
import scipy.stats
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import (FunctionTransformer, MinMaxScaler,
                                   OneHotEncoder, RobustScaler,
                                   StandardScaler)

nan = np.nan
# A small customer table: integer, skewed non-negative float, float with
# negative values, a constant column, a mostly-zero count, a categorical.
numeric = {
    "Age": [19, 21, nan, 23, 31, 22, 35, 23, 64, 30, 67, 35],
    "Income": [15.5, 15.0, 16.25, 1200.0, 17.0, nan, 18.0, 18.5, 19.0, 250.75, 19.0, 3.0],
    "Balance": [-40.5, 12.0, 3.25, -7.0, nan, 55.5, 0.0, 18.0, -2.5, 9.0, 101.0, 4.75],
    "Const": [7.0] * 12,
    "Returns": [0, 0, 0, 0, 1, 0, 0, 0, 0, 5, 0, 0],
}
genre = ["Male", "Male", "Female", None, "Female", "Female", "Female",
         "Male", "Male", "Female", "Male", "Other"]
names = list(numeric)


def scaler(name):
    return {"standard": StandardScaler(), "minmax": MinMaxScaler(),
            "robust": RobustScaler(), "none": None}[name]


def run(impute, scale, log_columns):
    X = np.array([numeric[n] for n in names], dtype=float).T
    X = SimpleImputer(strategy=impute).fit_transform(X)
    for n in log_columns:
        j = names.index(n)
        X[:, [j]] = FunctionTransformer(np.log1p).fit_transform(X[:, [j]])
    s = scaler(scale)
    if s is not None:
        X = s.fit_transform(X)
    G = np.array(genre, dtype=object).reshape(-1, 1)
    G = SimpleImputer(strategy="most_frequent", missing_values=None).fit_transform(G)
    enc = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(G)
    cats = [str(c) for c in enc.categories_[0]]
    H = enc.transform(G)
    features = names + ["Genre=" + c for c in cats]
    return features, np.hstack([X, H])


cases = []
for impute in ("median", "mean"):
    for scale in ("standard", "minmax", "robust", "none"):
        for logs in ([], ["Income", "Returns"]):
            features, out = run(impute, scale, logs)
            cases.append({
                "impute": impute, "scale": scale, "log_columns": logs,
                "features": features, "expected": out.tolist(),
            })

doc = {
    "produced_by": "testdata/sklearn_ref.py with scikit-learn %s, numpy %s, scipy %s"
                   % (sklearn.__version__, np.__version__, scipy.__version__),
    "numeric": {n: [None if np.isnan(v) else v for v in numeric[n]] for n in names},
    "genre": genre,
    "skewness": {n: float(scipy.stats.skew(np.array(numeric[n])[~np.isnan(numeric[n])], bias=True))
                 for n in names if n != "Const"},  # constant: 0/0, prep says 0
    "cases": cases,
}
json.dump(doc, sys.stdout, indent=1)
sys.stdout.write("\n")
