"""Function transforms built on the engine: grad, value_and_grad, vjp, jacobian, hessian, hvp.

They take a function of Tensors and give a function of plain arrays, returning plain arrays:

.. math::

    \\operatorname{grad}(f)(x) = \\nabla f(x), \\qquad
    \\operatorname{vjp}(f, x) = \\big(f(x),\\ \\bar y \\mapsto J_f(x)^{\\top} \\bar y\\big).

Curriculum: B11.
"""

from __future__ import annotations

from aimath.autodiff._arrays import ns_of
from aimath.autodiff.tensor import Tensor, enable_grad
from aimath.errors import ShapeError

__all__ = ["grad", "value_and_grad", "vjp", "jacobian", "hessian", "hvp"]


def _argnums(argnums, nargs):
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    for a in nums:
        if not -nargs <= a < nargs:
            raise ValueError(f"argnums {a} is out of range for a function called with {nargs} argument(s)")
    return single, tuple(a % nargs for a in nums)


def _leaf(x):
    d = x.data if isinstance(x, Tensor) else x
    return Tensor(d, requires_grad=True)


def _prepare(args, nums):
    args = list(args)
    leaves = []
    for a in nums:
        t = _leaf(args[a])
        args[a] = t
        leaves.append(t)
    return args, leaves


def _grads_of(leaves):
    out = []
    for t in leaves:
        g = t.grad
        out.append(ns_of(t.data).zeros_like(t.data) if g is None else g)
    return out


def _scalar_output(y, name):
    if not isinstance(y, Tensor):
        raise TypeError(f"{name}: the function must return a Tensor, got {type(y).__name__}")
    if y.size != 1:
        raise ShapeError(f"{name}: the function must return a scalar (one element), got shape {y.shape}")


def value_and_grad(f, argnums=0, has_aux: bool = False):
    """``f`` and its gradient in one pass: returns ``g(*args) -> (value, gradient)``.

    Parameters
    ----------
    f : callable
        A function of Tensors returning a one-element Tensor.
    argnums : int or tuple of int
        Which positional arguments to differentiate; a tuple gives a tuple of gradients.
    has_aux : bool
        ``f`` returns ``(loss, aux)``; ``aux`` is passed through untouched (as JAX).

    Returns
    -------
    callable
        ``(*args) -> (value, grad)`` with ``value`` an array (shape of f's output) and ``grad``
        an array of the argument's shape (a tuple of them for tuple ``argnums``); with
        ``has_aux``, ``((value, aux), grad)``.

    Raises
    ------
    ShapeError
        ``f`` returns more than one element.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import value_and_grad
    >>> v, g = value_and_grad(lambda x: (x * x).sum())(np.array([1.0, 2.0]))
    >>> float(v), g
    (5.0, array([2., 4.]))

    Curriculum: B11.
    """

    def wrapped(*args, **kwargs):
        single, nums = _argnums(argnums, len(args))
        args, leaves = _prepare(args, nums)
        with enable_grad():
            y = f(*args, **kwargs)
        aux = None
        if has_aux:
            if not (isinstance(y, tuple) and len(y) == 2):
                raise TypeError(f"value_and_grad(has_aux=True): f must return (loss, aux), got {type(y).__name__}")
            y, aux = y
        _scalar_output(y, "value_and_grad")
        if y.requires_grad:
            y.backward()
        gs = _grads_of(leaves)
        g = gs[0] if single else tuple(gs)
        return ((y.data, aux), g) if has_aux else (y.data, g)

    return wrapped


def grad(f, argnums=0, has_aux: bool = False):
    """The gradient of a scalar function of Tensors, as a function of arrays.

    .. math:: \\operatorname{grad}(f)(x) = \\nabla_x f(x)

    Parameters
    ----------
    f : callable
        Function of Tensors returning a one-element Tensor.
    argnums : int or tuple of int
        Argument(s) to differentiate.
    has_aux : bool
        ``f`` returns ``(loss, aux)``; the result is then ``(grad, aux)``.

    Returns
    -------
    callable
        ``(*args) -> array`` of the differentiated argument's shape (a tuple for tuple argnums).

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import grad, sin
    >>> grad(lambda x: sin(x).sum())(np.array([0.0]))
    array([1.])

    Curriculum: B11.
    """
    vg = value_and_grad(f, argnums, has_aux=has_aux)

    def wrapped(*args, **kwargs):
        out, g = vg(*args, **kwargs)
        return (g, out[1]) if has_aux else g

    return wrapped


def vjp(f, *primals):
    """Evaluate ``f(*primals)`` and return its pullback.

    .. math:: \\bar y \\mapsto \\big(J_{f,1}^{\\top}\\bar y, \\dots, J_{f,k}^{\\top}\\bar y\\big)

    Parameters
    ----------
    f : callable
        Function of Tensors returning a Tensor.
    *primals : arrays
        Where to linearise.

    Returns
    -------
    y : array
        ``f(*primals)``.
    pullback : callable
        ``pullback(cotangent) -> tuple`` of arrays, one per primal; may be called many times.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import vjp
    >>> y, pb = vjp(lambda x: x * 3.0, np.array([1.0, 2.0]))
    >>> pb(np.array([1.0, 1.0]))
    (array([3., 3.]),)

    Curriculum: B11.
    """
    leaves = [_leaf(p) for p in primals]
    with enable_grad():
        y = f(*leaves)
    if not isinstance(y, Tensor):
        raise TypeError(f"vjp: the function must return a Tensor, got {type(y).__name__}")

    def pullback(cotangent):
        for t in leaves:
            t.grad = None
        if y.requires_grad:
            y.backward(cotangent, retain_graph=True)
        return tuple(_grads_of(leaves))

    return y.data, pullback


def _zeros(shape, like):
    """Zeros of ``shape`` in ``like``'s library, dtype and device."""
    if ns_of(like).name == "torch":
        return ns_of(like).torch.zeros(shape, dtype=like.dtype, device=like.device)
    import numpy as np

    return np.zeros(shape, dtype=like.dtype)


def _flat_basis(x):
    """The standard basis of ``x``'s space, shape ``(n,) + x.shape``, in ``x``'s library and dtype."""
    ns = ns_of(x)
    n = 1
    for s in x.shape:
        n *= int(s)
    if ns.name == "torch":
        eye = ns.torch.eye(n, dtype=x.dtype, device=x.device)
    else:
        import numpy as np

        eye = np.eye(n, dtype=x.dtype)
    return eye.reshape((n,) + tuple(x.shape)), n


def jacobian(f, argnums: int = 0, mode: str = "rev"):
    """The Jacobian of ``f`` with respect to one argument, by reverse or forward mode.

    .. math:: J_{ij} = \\partial f_i / \\partial x_j

    Parameters
    ----------
    f : callable
        Function of Tensors returning a Tensor.
    argnums : int
        Which argument.
    mode : {"rev", "fwd"}
        ``"rev"``: one backward pass per output entry (cheap for few outputs); ``"fwd"``: one
        forward pass on duals carrying all input directions (cheap for few inputs).

    Returns
    -------
    callable
        ``(*args) -> array`` of shape ``f(x).shape + x.shape``.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import jacobian
    >>> jacobian(lambda x: x * x)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])

    Curriculum: B11.
    """
    if mode not in ("rev", "fwd"):
        raise ValueError(f"mode must be 'rev' or 'fwd', got {mode!r}")

    def wrapped(*args):
        _, (a,) = _argnums(argnums, len(args))
        x = args[a].data if isinstance(args[a], Tensor) else args[a]
        if mode == "fwd":
            from aimath.autodiff.forward import push_forward

            basis, n = _flat_basis(x)
            rest = list(args)

            def g(t):
                rest[a] = t
                return f(*rest)

            y, ty = push_forward(g, (x,), (basis,))
            m = 1
            for s in y.shape:
                m *= int(s)
            return ty.reshape((n, m)).T.reshape(tuple(y.shape) + tuple(x.shape))
        args, (leaf,) = _prepare(args, (a,))
        with enable_grad():
            y = f(*args)
        if not isinstance(y, Tensor):
            raise TypeError(f"jacobian: the function must return a Tensor, got {type(y).__name__}")
        basis, m = _flat_basis(y.data)
        ns = ns_of(x)
        if not y.requires_grad or m == 0 or x.size == 0:  # constant output, or an empty Jacobian
            return _zeros(tuple(y.shape) + tuple(x.shape), x)
        rows = []
        for i in range(m):
            leaf.grad = None
            y.backward(basis[i], retain_graph=True)
            rows.append(leaf.grad if leaf.grad is not None else ns.zeros_like(x))
        return ns.stack(rows, axis=0).reshape(tuple(y.shape) + tuple(x.shape))

    return wrapped


def _forward_over_reverse(f, x, tangents):
    """Gradient of scalar ``f`` at ``x`` and its derivative along each tangent (shape (k,) + x.shape)."""
    from aimath.autodiff.dual import Dual

    leaf = Tensor(Dual(x, tangents), requires_grad=True)
    with enable_grad():
        y = f(leaf)
    _scalar_output(y, "hessian")
    if y.requires_grad:
        y.backward()
    g = leaf.grad
    ns = ns_of(x)
    if g is None:
        return ns.zeros_like(x), ns.zeros_like(tangents)
    if isinstance(g, Dual):
        return g.primal, g.tangent
    return g, ns.zeros_like(tangents)


def hessian(f, argnums: int = 0, batched: bool = True):
    """The Hessian of a scalar function, by forward-over-reverse.

    .. math:: H_{ij} = \\partial^2 f / \\partial x_i \\partial x_j,
              \\qquad H e_j = \\frac{d}{d\\varepsilon} \\nabla f(x + \\varepsilon e_j)\\Big|_{\\varepsilon=0}

    The backward pass runs on dual numbers whose tangents are the basis directions, so the
    gradient comes out together with its directional derivatives: with ``batched=True`` (the
    fast form) all ``n`` directions ride in one pass; ``batched=False`` is the textbook form, one
    Hessian–vector product :func:`hvp` per column.

    Parameters
    ----------
    f : callable
        Function of Tensors returning a one-element Tensor.
    argnums : int
        Which argument.
    batched : bool
        One pass with ``n`` tangents (default) or ``n`` passes with one tangent each.

    Returns
    -------
    callable
        ``(*args) -> array`` of shape ``x.shape + x.shape``.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import hessian
    >>> hessian(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])

    Curriculum: B11.
    """

    def wrapped(*args):
        _, (a,) = _argnums(argnums, len(args))
        x = args[a].data if isinstance(args[a], Tensor) else args[a]
        basis, n = _flat_basis(x)
        rest = list(args)

        def g(t):
            rest[a] = t
            return f(*rest)

        if batched:
            _, dg = _forward_over_reverse(g, x, basis)
            return dg.reshape((n, n)).T.reshape(tuple(x.shape) + tuple(x.shape))
        cols = [hvp(g, x, basis[j]).reshape(-1) for j in range(n)]  # column j = H e_j
        return ns_of(x).stack(cols, axis=1).reshape(tuple(x.shape) + tuple(x.shape))

    return wrapped


def hvp(f, x, v):
    """Hessian–vector product :math:`\\nabla^2 f(x)\\, v` without forming the Hessian.

    Parameters
    ----------
    f : callable
        Function of one Tensor returning a one-element Tensor.
    x, v : array
        The point and the direction (same shape).

    Returns
    -------
    array
        :math:`\\nabla^2 f(x) v`, of ``x``'s shape.

    Raises
    ------
    ShapeError
        ``v``'s shape differs from ``x``'s.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import hvp
    >>> hvp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([ 6., 12.])

    Curriculum: B11.
    """
    x = x.data if isinstance(x, Tensor) else x
    v = v.data if isinstance(v, Tensor) else v
    if tuple(v.shape) != tuple(x.shape):
        raise ShapeError(f"v must have x's shape {tuple(x.shape)}, got {tuple(v.shape)}")
    _, dg = _forward_over_reverse(f, x, v.reshape((1,) + tuple(v.shape)))
    return dg[0]
