"""aimath.linalg against NumPy/SciPy LAPACK (float64, same process, 2 threads).

    python benchmarks/linalg.py [--quick] [--json build/bench/linalg.json] [-k FILTER]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import scipy.linalg as sl  # noqa: E402

import aimath.linalg as al  # noqa: E402
from _harness import Case, main  # noqa: E402


def cases(quick: bool) -> list[Case]:
    rng = np.random.default_rng(0)
    n = 256 if quick else 1024
    ne = 128 if quick else 512
    nb = 1000 if quick else 10_000
    A = rng.standard_normal((n, n))
    S = A @ A.T + n * np.eye(n)
    b = rng.standard_normal(n)
    E = rng.standard_normal((ne, ne))
    Es = E + E.T
    small = rng.standard_normal((nb, 8, 8))
    small_s = small + np.swapaxes(small, -1, -2)
    M = rng.standard_normal((100, 100))
    Ms = M @ M.T
    return [
        Case(f"qr n={n}", lambda: al.qr(A), lambda: np.linalg.qr(A), "numpy.linalg.qr", 2.0),
        Case(f"lu_factor n={n}", lambda: al.lu_factor(A), lambda: sl.lu_factor(A, check_finite=False),
             "scipy.linalg.lu_factor", 3.0),
        Case(f"cholesky n={n}", lambda: al.cholesky(S), lambda: np.linalg.cholesky(S), "numpy.linalg.cholesky", 2.0),
        Case(f"solve n={n}", lambda: al.solve(A, b), lambda: np.linalg.solve(A, b), "numpy.linalg.solve", 3.0),
        Case(f"eigh n={ne}", lambda: al.eigh(Es), lambda: np.linalg.eigh(Es), "numpy.linalg.eigh", 10.0),
        Case(f"svd n={ne}", lambda: al.svd(E), lambda: np.linalg.svd(E), "numpy.linalg.svd", 10.0),
        Case("eigh n=100", lambda: al.eigh(Ms), lambda: np.linalg.eigh(Ms), "numpy.linalg.eigh", None,
             "small n: Python overhead per divide-and-conquer level"),
        Case("eigh n=100, top 10", lambda: al.eigh(Ms, subset_by_index=(90, 99)),
             lambda: sl.eigh(Ms, subset_by_index=(90, 99), check_finite=False),
             "scipy.linalg.eigh(subset_by_index)", None, "the PCA(10) covariance route"),
        Case(f"qr {nb}x8x8", lambda: al.qr(small), lambda: np.linalg.qr(small), "numpy.linalg.qr (batched)", 1.0),
        Case(f"eigh {nb}x8x8", lambda: al.eigh(small_s), lambda: np.linalg.eigh(small_s),
             "numpy.linalg.eigh (batched)", 1.0),
        Case(f"svd {nb}x8x8", lambda: al.svd(small), lambda: np.linalg.svd(small), "numpy.linalg.svd (batched)", 1.0),
    ]


if __name__ == "__main__":
    main("linalg", cases)
