"""B11 matrix calculus, measured: the standard gradient identities (engine vs closed form vs
central differences), the softmax Jacobian, the logistic Hessian ⪰ 0, the error orders of central
differences and Taylor remainders, and forward mode = reverse mode."""

from __future__ import annotations

import numpy as np

import aimath.autodiff as ad
from aimath.autodiff import Tensor
from aimath.autodiff.check import central_difference
from aimath.linalg import eigvalsh, inv
from aimath.theorems import Evidence, theorem

_H = 1e-5  # central-difference step for the identity checks (error ~ h² ≈ 1e-10)


def _engine_and_cd(f, X):
    """The engine's gradient of scalar f at X and the central-difference gradient."""
    g = ad.grad(f)(X)
    cd = central_difference(lambda Z: float(f(Tensor(Z)).data), X, _H)
    return g, cd


def _spd(rng, n):
    M = rng.standard_normal((n, n))
    return M @ M.T / n + np.eye(n)


@theorem("B11.grad-quadratic-form", "∇ₓ xᵀAx = (A + Aᵀ)x (engine to 1e-12, central differences to 1e-7)")
def grad_quadratic_form(rng):
    n = 7
    A, x = rng.standard_normal((n, n)), rng.standard_normal(n)
    g, cd = _engine_and_cd(lambda z: z @ (Tensor(A) @ z), x)
    exact = (A + A.T) @ x
    return Evidence.all(engine=Evidence.close(g, exact, rtol=1e-12, atol=1e-12),
                        central_difference=Evidence.close(cd, exact, rtol=1e-7, atol=1e-7))


@theorem("B11.grad-trace", "∇_X tr(AX) = Aᵀ (engine exact, central differences to 1e-7)")
def grad_trace(rng):
    A, X = rng.standard_normal((4, 6)), rng.standard_normal((6, 4))
    g, cd = _engine_and_cd(lambda Z: ad.einsum("ij,ji->", Tensor(A), Z), X)
    return Evidence.all(engine=Evidence.close(g, A.T, rtol=1e-14, atol=1e-14),
                        central_difference=Evidence.close(cd, A.T, rtol=1e-7, atol=1e-7))


@theorem("B11.grad-logdet", "∇_X log|det X| = X⁻ᵀ (engine to 1e-10, central differences to 1e-7)")
def grad_logdet(rng):
    n = 5
    X = 2 * np.eye(n) + rng.standard_normal((n, n)) / (2 * np.sqrt(n))  # eigenvalues near 2: well conditioned
    X = X if rng.random() < 0.5 else -X  # and a negative determinant half the time (odd n)
    g, cd = _engine_and_cd(lambda Z: ad.slogdet(Z)[1], X)
    exact = inv(X).T
    return Evidence.all(engine=Evidence.close(g, exact, rtol=1e-10, atol=1e-12),
                        central_difference=Evidence.close(cd, exact, rtol=1e-7, atol=1e-7))


@theorem("B11.softmax-jacobian", "J_softmax(z) = diag(s) − ssᵀ, by reverse and forward mode (1e-12)")
def softmax_jacobian(rng):
    z = 2 * rng.standard_normal(6)
    s = np.exp(z - z.max())
    s /= s.sum()
    exact = np.diag(s) - np.outer(s, s)
    Jr = ad.jacobian(ad.softmax, mode="rev")(z)
    Jf = ad.jacobian(ad.softmax, mode="fwd")(z)
    return Evidence.all(reverse=Evidence.close(Jr, exact, rtol=1e-12, atol=1e-14),
                        forward=Evidence.close(Jf, exact, rtol=1e-12, atol=1e-14),
                        rows_sum_to_zero=Evidence.bound(float(np.abs(Jr.sum(axis=1)).max()), 1e-15))


@theorem("B11.logistic-hessian-psd",
         "the logistic loss Hessian is Xᵀdiag(σ(1−σ))X ⪰ 0 (autodiff Hessian vs closed form 1e-10; λ_min ≥ 0)")
def logistic_hessian(rng):
    m, d = 40, 6
    X = rng.standard_normal((m, d))
    y = rng.choice([-1.0, 1.0], m)
    w = rng.standard_normal(d)
    Xy = Tensor(X * y[:, None])

    def loss(v):
        return ad.softplus(-(Xy @ v)).sum()

    H = ad.hessian(loss)(w)
    p = 1 / (1 + np.exp(-(X @ w) * y))
    exact = X.T @ ((p * (1 - p))[:, None] * X)
    lam = eigvalsh((H + H.T) / 2)
    return Evidence.all(closed_form=Evidence.close(H, exact, rtol=1e-10, atol=1e-12),
                        psd=Evidence.bound(float(lam.min()), -1e-12 * float(lam.max()), kind=">=",
                                           note="smallest eigenvalue"))


def _exp_instance(rng, n=5):
    """f(x) = Σ_j exp((Ax)_j) with A > 0 entrywise and a direction v > 0: every directional
    derivative D^k f[v,…,v] = Σ_j (Av)_j^k e^{(Ax)_j} is positive, so the remainders have a
    non-vanishing leading term and no cancellations."""
    A = rng.uniform(0.2, 1.0, (n, n)) / n
    x = rng.standard_normal(n)
    v = rng.uniform(0.5, 1.0, n)

    def f(z):
        return ad.exp(Tensor(A) @ z).sum()

    return f, x, v


@theorem("B11.central-difference-order", "central-difference error = O(h²): fitted log–log slope 2 ± 0.1")
def central_difference_order(rng):
    f, x, v = _exp_instance(rng)
    exact = float(ad.grad(f)(x) @ v)
    hs = np.geomspace(1e-1, 1e-3, 6)
    fv = lambda z: float(f(Tensor(z)).data)  # noqa: E731
    errs = [abs((fv(x + h * v) - fv(x - h * v)) / (2 * h) - exact) for h in hs]
    return Evidence.slope(hs, errs, 2.0, 0.1)


@theorem("B11.taylor-remainder-orders",
         "f(x+hv) − f(x) − h∇f·v = O(h²) and, minus ½h²vᵀ∇²f v, O(h³): slopes 2 and 3 ± 0.15")
def taylor_orders(rng):
    f, x, v = _exp_instance(rng)
    fv = lambda z: float(f(Tensor(z)).data)  # noqa: E731
    g = ad.grad(f)(x) @ v
    q = ad.hvp(f, x, v) @ v
    hs = np.geomspace(5e-2, 2e-3, 6)
    r1 = [abs(fv(x + h * v) - fv(x) - h * g) for h in hs]
    r2 = [abs(fv(x + h * v) - fv(x) - h * g - 0.5 * h * h * q) for h in hs]
    return Evidence.all(first_order=Evidence.slope(hs, r1, 2.0, 0.15),
                        second_order=Evidence.slope(hs, r2, 3.0, 0.15))


@theorem("B11.forward-equals-reverse",
         "forward and reverse mode agree: J_fwd = J_rev and ⟨u, J v⟩ (jvp) = ⟨Jᵀu, v⟩ (vjp) to 1e-12")
def forward_equals_reverse(rng):
    W1, W2 = rng.standard_normal((5, 8)), rng.standard_normal((8, 3))

    def net(x):
        return ad.log_softmax(ad.tanh(x @ Tensor(W1)) @ Tensor(W2)) * ad.sigmoid(x[:3])

    x, v, u = rng.standard_normal(5), rng.standard_normal(5), rng.standard_normal(3)
    Jf = ad.jacobian(net, mode="fwd")(x)
    Jr = ad.jacobian(net, mode="rev")(x)
    _, jv = ad.jvp(net, (x,), (v,))
    _, pull = ad.vjp(net, x)
    (ju,) = pull(u)
    scale = float(np.abs(Jr).max())
    return Evidence.all(jacobians=Evidence.close(Jf, Jr, rtol=1e-12, atol=1e-14 * scale),
                        duality=Evidence.close(float(u @ jv), float(ju @ v), rtol=1e-12, atol=1e-14))


@theorem("B11.hessian-symmetric", "the Hessian is symmetric and equals central differences of the gradient (1e-7)")
def hessian_symmetric(rng):
    A = _spd(rng, 6)
    x = rng.standard_normal(6)

    def f(z):
        return ad.logsumexp(Tensor(A) @ ad.tanh(z)) + (z**4).sum() / 12

    H = ad.hessian(f)(x)
    g = ad.grad(f)
    fd = np.stack([(g(x + _H * e) - g(x - _H * e)) / (2 * _H) for e in np.eye(6)], axis=1)
    return Evidence.all(symmetric=Evidence.close(H, H.T, rtol=1e-13, atol=1e-15),
                        central_difference=Evidence.close(fd, H, rtol=1e-7, atol=1e-7))


@theorem("B11.grad-least-squares", "∇_X ‖AX − B‖_F² = 2Aᵀ(AX − B) (engine to 1e-12, central differences to 1e-7)")
def grad_least_squares(rng):
    A, B, X = rng.standard_normal((6, 4)), rng.standard_normal((6, 3)), rng.standard_normal((4, 3))
    g, cd = _engine_and_cd(lambda Z: ((Tensor(A) @ Z - B) ** 2).sum(), X)
    exact = 2 * A.T @ (A @ X - B)
    return Evidence.all(engine=Evidence.close(g, exact, rtol=1e-12, atol=1e-12),
                        central_difference=Evidence.close(cd, exact, rtol=1e-7, atol=1e-7))


@theorem("B11.chain-rule", "Jacobians compose: J_{g∘f}(x) = J_g(f(x)) J_f(x) (1e-12)")
def chain_rule(rng):
    W, V = rng.standard_normal((4, 5)), rng.standard_normal((3, 4))

    def f(x):
        return ad.tanh(Tensor(W) @ x)

    def g(u):
        return ad.softmax(Tensor(V) @ u) * ad.sigmoid(u[:3])

    x = rng.standard_normal(5)
    u = np.asarray(f(Tensor(x)).data)
    composite = ad.jacobian(lambda z: g(f(z)))(x)
    product = ad.jacobian(g)(u) @ ad.jacobian(f, mode="fwd")(x)
    return Evidence.close(composite, product, rtol=1e-12, atol=1e-14)
