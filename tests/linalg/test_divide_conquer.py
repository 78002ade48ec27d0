"""Divide and conquer for the symmetric tridiagonal eigenproblem against LAPACK and against the
bisection + inverse-iteration route it replaces (residual and orthogonality in units of n·ε)."""

import numpy as np
import pytest

from aimath.linalg import tridiagonal
from aimath.linalg.divide_conquer import eigh_tridiagonal_dc, secular_roots

from ._helpers import EPS


def _tri(d, e):
    return np.diag(d) + np.diag(e, 1) + np.diag(e, -1)


def _check(d, e, c=10):
    n = d.size
    T = _tri(d, e)
    w, Z = eigh_tridiagonal_dc(d, e)
    nrm = max(np.abs(T).max(), 1e-300)
    assert np.all(np.diff(w) >= 0)
    assert np.abs(T @ Z - Z * w).max() <= c * n * EPS * nrm
    assert np.abs(Z.T @ Z - np.eye(n)).max() <= c * n * EPS
    assert np.abs(w - np.linalg.eigvalsh(T)).max() <= c * n * EPS * nrm
    return w, Z


def _cases(rng, n):
    m = (n - 1) / 2
    e_tiny = rng.standard_normal(n - 1)
    e_tiny[::5] = 1e-15
    return {
        "random": (rng.standard_normal(n), rng.standard_normal(n - 1)),
        "identity": (np.ones(n), np.zeros(n - 1)),
        "toeplitz": (2 * np.ones(n), np.ones(n - 1)),
        "zero-diagonal": (np.zeros(n), np.ones(n - 1)),
        "wilkinson": (np.abs(np.arange(n) - m), np.ones(n - 1)),
        "graded": (np.logspace(0, -15, n), 0.5 * np.logspace(0, -15, n - 1)),
        "split": (rng.standard_normal(n), e_tiny),
        "ties": (np.round(rng.standard_normal(n), 1), 1e-9 * rng.standard_normal(n - 1)),
        "negative-e": (rng.standard_normal(n), -np.abs(rng.standard_normal(n - 1))),
    }


@pytest.mark.parametrize("n", [1, 2, 3, 7, 32, 33, 70, 130])
def test_against_lapack(rng, n):
    for d, e in _cases(rng, n).values():
        _check(d, e)


def test_glued_wilkinson(rng):
    """Blocks of W21+ glued by 1e-12: eigenvalues pairwise equal to ~1e-14, the classic hard case."""
    w21 = np.abs(np.arange(21) - 10.0)
    d = np.tile(w21, 6)
    e = np.tile(np.r_[np.ones(20), 1e-12], 6)[:-1]
    _check(d, e)


def test_zero_matrix():
    w, Z = eigh_tridiagonal_dc(np.zeros(40), np.zeros(39))
    assert np.all(w == 0) and np.allclose(Z.T @ Z, np.eye(40), atol=0)


def test_secular_roots(rng):
    for k in (1, 2, 10, 60):
        delta = np.sort(rng.standard_normal(k))
        z = rng.standard_normal(k)
        rho = float(rng.uniform(0.1, 3))
        lam = secular_roots(delta, z, rho)
        ref = np.linalg.eigvalsh(np.diag(delta) + rho * np.outer(z, z))
        assert np.abs(lam - ref).max() <= 10 * k * EPS * np.abs(ref).max()
        assert np.all(lam[:-1] > delta[:-1]) and np.all(lam[:-1] < delta[1:])


def test_secular_root_next_to_a_light_pole(monkeypatch):
    """A pole of weight ρz² ≈ 4e-27 has its root ~1e-27 away: closer than the rounding of the
    first iterates resolves, where the two-pole model's step lands outside the bracket. The
    one-pole step finds it in a few iterations (bisection alone needs ~60); reference: the
    secular equation bisected in 60-digit arithmetic."""
    mpmath = pytest.importorskip("mpmath")
    import aimath.linalg.divide_conquer as dc

    monkeypatch.setattr(dc, "_MAX_ITER", 10)
    delta = np.array([-1.5, -1.0, -0.25, -0.15, 0.0])
    z, rho = np.array([0.3171, 0.7267, 0.6425, 0.8315, 6e-14]), 1.0
    lam = secular_roots(delta, z, rho)
    with mpmath.workdps(60):
        def f(x):
            return 1 + rho * sum(mpmath.mpf(zj) ** 2 / (mpmath.mpf(dj) - x) for dj, zj in zip(delta, z, strict=True))

        refs = []
        for a, b in zip(delta, [*delta[1:], delta[-1] + rho * float(z @ z) * (1 + 1e-12)], strict=True):
            lo, hi = mpmath.mpf(a), mpmath.mpf(b)
            for _ in range(300):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
            refs.append(float(lo))
    ref = np.array(refs)
    assert -1e-24 < ref[-2] < 0  # the root next to the light pole δ = 0
    assert np.all(np.abs(lam - ref) <= 4 * EPS * np.abs(ref)), (lam, ref)


@pytest.mark.parametrize("shape", [(1, 20, 20), (2, 64, 64)])
def test_agrees_with_bisection_route(rng, shape, monkeypatch):
    """The fast form and the textbook form (bisection + inverse iteration) give the same
    eigenvalues and, for a simple spectrum, the same eigenvectors up to sign."""
    n = shape[-1]
    A = rng.standard_normal(shape)
    A = A + np.swapaxes(A, -1, -2)
    assert tridiagonal._use_dc(A)
    w1, V1 = tridiagonal.eigh_by_tridiagonal(A)
    monkeypatch.setattr(tridiagonal, "_DC_FROM", 10**9)
    assert not tridiagonal._use_dc(A)
    w2, V2 = tridiagonal.eigh_by_tridiagonal(A)
    assert np.abs(w1 - w2).max() <= 10 * n * EPS * np.abs(w2).max()
    assert np.allclose(np.abs(np.sum(V1 * V2, axis=-2)), 1, atol=1e-9)


@pytest.mark.parametrize("n", [24, 100])
def test_top_eigenpairs(rng, n):
    d, e = rng.standard_normal(n), rng.standard_normal(n - 1)
    w, Z = eigh_tridiagonal_dc(d, e)
    wt, Zt = eigh_tridiagonal_dc(d, e, top=n // 3)
    assert wt.shape == (n // 3,) and Zt.shape == (n, n // 3)
    assert np.array_equal(wt, w[n - n // 3 :])
    assert np.abs(_tri(d, e) @ Zt - Zt * wt).max() <= 10 * n * EPS * np.abs(_tri(d, e)).max()


def test_torch_takes_the_divide_and_conquer_route(xp, rng):
    """Torch tensors (no grad) reduce on their device, solve the tridiagonal on the host by divide
    and conquer and come back with the input's dtype; the bounds hold as for NumPy."""
    from aimath.linalg import eigh, svd

    n = 70
    A = rng.standard_normal((n, n))
    S = A + A.T
    assert tridiagonal._use_dc(xp.asarray(S[None]))
    w, V = (xp.to_numpy(t) for t in eigh(xp.asarray(S)))
    nrm = np.abs(w).max()
    assert np.abs(S @ V - V * w).max() <= 20 * n * EPS * nrm
    assert np.abs(V.T @ V - np.eye(n)).max() <= 20 * n * EPS
    assert np.abs(w - np.linalg.eigvalsh(S)).max() <= 20 * n * EPS * nrm
    B = rng.standard_normal((90, n))
    U, s, Vh = (xp.to_numpy(t) for t in svd(xp.asarray(B), full_matrices=False))
    assert np.abs((U * s) @ Vh - B).max() <= 20 * 90 * EPS * s[0]
    assert np.abs(U.T @ U - np.eye(n)).max() <= 20 * 90 * EPS
    assert np.abs(s - np.linalg.svd(B, compute_uv=False)).max() <= 20 * 90 * EPS * s[0]


def test_grad_tensors_keep_the_torch_route():
    torch = pytest.importorskip("torch")
    A = torch.zeros((1, 64, 64), dtype=torch.float64, requires_grad=True)
    assert not tridiagonal._use_dc(A)
    assert tridiagonal._use_dc(A.detach())


@pytest.mark.parametrize("seed", range(20))
def test_secular_solver_converges_fast(seed, monkeypatch):
    """Gragg's cubically convergent steps, the first from the midpoint of each interval: every
    root of random secular equations, up to
    k = 200 poles with weights spread over four decades, within 9 iterations (bisection needs
    about 50; the two-pole quadratic scheme used before missed 7 of 500 such problems)."""
    import aimath.linalg.divide_conquer as dc

    monkeypatch.setattr(dc, "_MAX_ITER", 9)
    rng = np.random.default_rng(seed)
    for k in (1, 2, 5, 30, 200):
        delta = np.sort(rng.standard_normal(k)) * 10.0 ** rng.uniform(-2, 2)
        z = rng.standard_normal(k) * 10.0 ** rng.uniform(-4, 0, size=k)
        rho = float(rng.uniform(0.1, 3))
        lam = secular_roots(delta, z, rho)
        ref = np.linalg.eigvalsh(np.diag(delta) + rho * np.outer(z, z))
        assert np.abs(lam - ref).max() <= 10 * k * EPS * np.abs(ref).max()


@pytest.mark.parametrize("select", [(0, 0), (5, 9), (90, 129), (129, 129), (0, 129)])
def test_select(rng, select):
    d, e = rng.standard_normal(130), rng.standard_normal(129)
    w0, Z0 = eigh_tridiagonal_dc(d, e)
    w, Z = eigh_tridiagonal_dc(d, e, select=select)
    lo, hi = select
    np.testing.assert_array_equal(w, w0[lo : hi + 1])
    np.testing.assert_allclose(np.abs(np.sum(Z * Z0[:, lo : hi + 1], axis=0)), 1, atol=1e-12)
    with pytest.raises(ValueError, match="select"):
        eigh_tridiagonal_dc(d, e, select=(3, 200))


def test_secular_roots_to_their_rounding_level(monkeypatch):
    """Each computed root μ (offset from its origin pole) lies within a few units of the error
    that rounding alone causes, ε(1 + Σ|t_j| + |μ| f′)/f′ (t_j = ρz_j²/(Δ_j − μ)), of the exact
    root of the same equation (Newton in extended precision from μ). This holds the stopping
    rules to account: a predicted last step taken too early (``_PRED = 1e-4``) fails it."""
    import aimath.linalg.divide_conquer as dc

    L = np.longdouble
    if np.finfo(L).eps > 1e-18:
        pytest.skip("no extended precision on this platform")

    def worst():
        out = 0.0
        for seed in range(60):
            rng = np.random.default_rng(seed)
            k = int(rng.integers(2, 120))
            delta = np.sort(rng.standard_normal(k)) * 10.0 ** rng.uniform(-2, 2)
            z = rng.standard_normal(k) * 10.0 ** rng.uniform(-4, 0, size=k)
            rho = float(rng.uniform(0.1, 3))
            K, mu, Delta, _ = dc._secular(delta[None], z[None], np.array([rho]), np.array([k]))
            D, rz, m = Delta[0].astype(L), L(rho) * z.astype(L) ** 2, mu[0].astype(L)
            for _ in range(8):
                t = rz / (D - m[:, None])
                m = m - (1 + t.sum(1)) / (t / (D - m[:, None])).sum(1)
            t = rz / (D - m[:, None])
            f1 = (t / (D - m[:, None])).sum(1)
            cond = (EPS * (1 + np.abs(t).sum(1) + np.abs(m) * f1) / f1).astype(float)
            out = max(out, float(np.max(np.abs(mu[0] - m.astype(float)) / cond)))
        return out

    assert worst() <= 3.0
    monkeypatch.setattr(dc, "_PRED", 1e-4)
    assert worst() > 3.0


def test_random_orders_and_families():
    """160 tridiagonals of random order 2–199 (every padding of the batched levels) from eight
    families, among them entries scaled over 16 decades, random zero couplings and clusters of
    width 1e-14; each within the bounds of ``_check``."""
    rng = np.random.default_rng(7)
    for trial in range(160):
        n = int(rng.integers(2, 200))
        kind = trial % 8
        if kind == 0:
            d, e = rng.standard_normal(n), rng.standard_normal(n - 1)
        elif kind == 1:
            d, e = np.round(rng.standard_normal(n), 1), 1e-9 * rng.standard_normal(n - 1)
        elif kind == 2:
            d, e = np.logspace(0, -15, n) * rng.choice([-1.0, 1.0], n), 0.5 * np.logspace(0, -15, n - 1)
        elif kind == 3:
            d, e = rng.standard_normal(n), rng.standard_normal(n - 1) * (rng.random(n - 1) > 0.3)
        elif kind == 4:
            d, e = 1 + 1e-14 * rng.standard_normal(n), 1e-13 * rng.standard_normal(n - 1)
        elif kind == 5:
            d, e = np.abs(np.arange(n) - (n - 1) / 2), np.ones(n - 1)
        elif kind == 6:
            d = rng.standard_normal(n) * 10.0 ** rng.uniform(-8, 8, n)
            e = rng.standard_normal(n - 1) * 10.0 ** rng.uniform(-8, 8, n - 1)
        else:  # a Wishart matrix's Lanczos tridiagonal, as in PCA
            from aimath.linalg import lanczos_tridiagonal

            A = rng.standard_normal((3 * n, n))
            d, e, _ = lanczos_tridiagonal(A.T @ A)
        _check(d, e)
