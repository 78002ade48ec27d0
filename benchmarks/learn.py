"""aimath.learn against scikit-learn: SVC (SMO vs libsvm) on digits, Ridge, PCA and KernelRidge.

Run: ``.venv/bin/python benchmarks/learn.py [--quick] [--json build/bench/learn.json]``.
The SVC case also reports 5-fold cross-validated accuracy of both (they must agree within 0.5 %).
KernelRidge is timed at n = 2,000 (quick: 1,000) rather than 20,000: a 20,000² Gram matrix is
3.2 GB and its Cholesky factorisation takes minutes for either library on this machine.
"""

from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _harness import Case, main  # noqa: E402


def cases(quick: bool) -> list[Case]:
    from sklearn import decomposition as skd
    from sklearn import kernel_ridge as skkr
    from sklearn import linear_model as sklm
    from sklearn import svm as sksvm
    from sklearn.datasets import load_digits
    from sklearn.model_selection import cross_val_score

    import aimath.learn as L

    X, y = load_digits(return_X_y=True)
    acc_ours = cross_val_score(L.SVC(), X, y, cv=5).mean()
    acc_ref = cross_val_score(sksvm.SVC(), X, y, cv=5).mean()
    note = f"5-fold accuracy aimath {acc_ours:.4f} vs libsvm {acc_ref:.4f} (|Δ| {abs(acc_ours - acc_ref):.4f})"
    print(note)
    rng = np.random.default_rng(0)
    n = 5000 if quick else 20000
    A = rng.standard_normal((n, 100)) * rng.uniform(0.5, 2.0, 100)
    b = A @ rng.standard_normal(100) + rng.standard_normal(n)
    nk = 1000 if quick else 2000
    Ak, bk = A[:nk], b[:nk]
    return [
        Case("SVC(rbf).fit digits 1797x64", lambda: L.SVC().fit(X, y), lambda: sksvm.SVC().fit(X, y),
             "sklearn.svm.SVC (libsvm)", target=3.0, note=note),
        Case(f"Ridge.fit {n}x100", lambda: L.Ridge(1.0).fit(A, b), lambda: sklm.Ridge(1.0).fit(A, b),
             "sklearn Ridge (cholesky)", target=2.0),
        Case(f"PCA(10).fit {n}x100", lambda: L.PCA(10).fit(A), lambda: skd.PCA(10).fit(A),
             "sklearn PCA (auto)", target=2.0),
        Case(f"KernelRidge(rbf).fit {nk}x100", lambda: L.KernelRidge(1.0, kernel="rbf").fit(Ak, bk),
             lambda: skkr.KernelRidge(1.0, kernel="rbf").fit(Ak, bk), "sklearn KernelRidge", target=2.0),
        Case(f"LinearRegression(qr).fit {n}x100", lambda: L.LinearRegression().fit(A, b),
             lambda: sklm.LinearRegression().fit(A, b), "sklearn LinearRegression (lstsq)"),
        Case("LogisticRegression(lbfgs).fit digits", lambda: L.LogisticRegression(max_iter=200).fit(X / 16, y),
             lambda: sklm.LogisticRegression(max_iter=200).fit(X / 16, y), "sklearn LogisticRegression"),
    ]


if __name__ == "__main__":
    main("learn", cases)
