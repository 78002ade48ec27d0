"""aimath.learn against scikit-learn: SVC (SMO vs libsvm) on digits, Ridge, PCA, KernelRidge, and
LinearSVC (dual coordinate descent vs liblinear) on breast cancer and digits.

Run: ``.venv/bin/python benchmarks/learn.py [--quick] [--json build/bench/learn.json]``.
The SVC case also reports 5-fold cross-validated accuracy of both (they must agree within 0.5 %).
The LinearSVC cases use C = 0.1, where both solvers converge (tol 1e-4) well before max_iter; the
note gives both primal objectives. The reference is liblinear's dual coordinate descent
(``dual=True``, the same algorithm, shrinking and stopping rule); scikit-learn's default
``dual="auto"`` picks liblinear's primal trust-region Newton method when n > d. There is no
target: liblinear's loop is compiled C, ours a Python loop over coordinates (with shrinking).
KernelRidge is timed at n = 2,000 (quick: 1,000) by default: a 20,000² Gram matrix is 3.2 GB
and one fit takes 60–90 s for either library on this machine. The issue's size is one
environment variable away (each library then runs three times, about 10 minutes in all):
``AIMATH_BENCH_KR_N=20000 .venv/bin/python benchmarks/learn.py -k KernelRidge --repeat 1``.
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
    from sklearn.datasets import load_breast_cancer, load_digits
    from sklearn.model_selection import cross_val_score
    from sklearn.preprocessing import StandardScaler

    import aimath.learn as L
    from aimath.learn.linear_svc import linear_svm_objective

    X, y = load_digits(return_X_y=True)
    acc_ours = cross_val_score(L.SVC(), X, y, cv=5).mean()
    acc_ref = cross_val_score(sksvm.SVC(), X, y, cv=5).mean()
    note = f"5-fold accuracy aimath {acc_ours:.4f} vs libsvm {acc_ref:.4f} (|Δ| {abs(acc_ours - acc_ref):.4f})"
    print(note)
    rng = np.random.default_rng(0)
    n = 5000 if quick else 20000
    A = rng.standard_normal((n, 100)) * rng.uniform(0.5, 2.0, 100)
    b = A @ rng.standard_normal(100) + rng.standard_normal(n)
    nk = int(os.environ.get("AIMATH_BENCH_KR_N", 1000 if quick else 2000))
    Ak, bk = A[:nk], b[:nk]
    if nk > n:  # more rows than the other cases use, drawn the same way
        Ak = rng.standard_normal((nk, 100)) * rng.uniform(0.5, 2.0, 100)
        bk = Ak @ rng.standard_normal(100) + rng.standard_normal(nk)
    Xc, yc = load_breast_cancer(return_X_y=True)
    Xc = StandardScaler().fit_transform(Xc)
    Xd = X / 16.0

    def svc_note(Xs, ys):
        ours = L.LinearSVC(C=0.1, random_state=0).fit(Xs, ys)
        ref = sksvm.LinearSVC(C=0.1, dual=True, random_state=0).fit(Xs, ys)
        Xa = np.hstack([Xs, np.ones((len(ys), 1))])
        cls = ref.classes_ if len(ref.classes_) > 2 else ref.classes_[1:]
        Y = np.where(ys[None, :] == cls[:, None], 1.0, -1.0)
        f = [linear_svm_objective(np.c_[m.coef_, m.intercept_], Xa, Y, 0.1, "squared_hinge").sum()
             for m in (ours, ref)]
        return (f"primal objective aimath {f[0]:.6f} vs liblinear {f[1]:.6f}; epochs {ours.n_iter_} vs "
                f"{ref.n_iter_}; accuracy {ours.score(Xs, ys):.4f} vs {ref.score(Xs, ys):.4f}")

    return [
        Case("LinearSVC(C=0.1).fit breast_cancer 569x30", lambda: L.LinearSVC(C=0.1, random_state=0).fit(Xc, yc),
             lambda: sksvm.LinearSVC(C=0.1, dual=True, random_state=0).fit(Xc, yc),
             "sklearn LinearSVC(dual=True) (liblinear dual CD)", note=svc_note(Xc, yc)),
        Case("LinearSVC(C=0.1).fit digits/16 1797x64 OvR",
             lambda: L.LinearSVC(C=0.1, random_state=0).fit(Xd, y),
             lambda: sksvm.LinearSVC(C=0.1, dual=True, random_state=0).fit(Xd, y),
             "sklearn LinearSVC(dual=True) (liblinear dual CD)", note=svc_note(Xd, y)),
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
