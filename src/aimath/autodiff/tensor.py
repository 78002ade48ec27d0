"""The reverse-mode engine: :class:`Tensor`, the computational graph and the backward pass.

A :class:`Tensor` wraps an array of any supported library (NumPy by default, torch tensors too,
and the forward-mode :class:`~aimath.autodiff.dual.Dual` numbers). Every op that involves a tensor
with ``requires_grad=True`` records its inputs and a *pullback* (vector–Jacobian product)

.. math::

    \\bar x_i \\mathrel{+}= \\Big(\\frac{\\partial y}{\\partial x_i}\\Big)^{\\!\\top} \\bar y ,

and :meth:`Tensor.backward` visits the graph in reverse topological order, found without recursion
(depth 10⁵ is fine), summing the cotangents that reach each node. Gradients of broadcast operands
are reduced back to the operand's shape (sum over the expanded axes).

The engine never calls ``torch.autograd``: with torch tensors as data it does its own
differentiation using torch only for the array arithmetic.

Curriculum: B11, A7.
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np

from aimath.autodiff._arrays import ns_of
from aimath.errors import AimathError, ShapeError

__all__ = ["Tensor", "no_grad", "enable_grad", "is_grad_enabled", "as_tensor", "unbroadcast"]

class _GradMode(threading.local):
    """Whether ops record the graph; one flag per thread (``no_grad`` in one thread leaves the others alone)."""

    grad = True


_STATE = _GradMode()


def is_grad_enabled() -> bool:
    """Whether new ops record the graph (False inside :func:`no_grad`)."""
    return _STATE.grad


@contextlib.contextmanager
def no_grad():
    """Context manager in which ops record no graph (results have ``requires_grad=False``).

    >>> from aimath.autodiff import Tensor, no_grad
    >>> x = Tensor([1.0, 2.0], requires_grad=True)
    >>> with no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """
    old = _STATE.grad
    _STATE.grad = False
    try:
        yield
    finally:
        _STATE.grad = old


@contextlib.contextmanager
def enable_grad():
    """Context manager re-enabling graph recording (inside :func:`no_grad`)."""
    old = _STATE.grad
    _STATE.grad = True
    try:
        yield
    finally:
        _STATE.grad = old


def _freed(g):
    raise AimathError(
        "the graph behind this tensor was freed by an earlier backward(); "
        "pass retain_graph=True to the first backward() to go through it twice"
    )


def _to_array(data, dtype=None):
    """Convert user data to a backend array (NumPy unless it already is a torch tensor or Dual)."""
    ns = ns_of(data)
    if ns.name == "numpy":
        arr = data if isinstance(data, np.ndarray) and dtype is None else np.asarray(data, dtype=dtype)
        if arr.dtype.kind not in "biufc":
            raise TypeError(f"data must be numeric (bool, int, float or complex), got dtype {arr.dtype} "
                            f"from {type(data).__name__}")
        return arr
    if ns.name == "torch":
        data = data.detach()
        if dtype is not None and not isinstance(dtype, type(data.dtype)):
            dtype = getattr(ns.torch, np.dtype(dtype).name)  # a NumPy dtype names the torch one
        return data if dtype is None else data.to(dtype)
    return data


def _is_float(data) -> bool:
    dt = getattr(data, "dtype", None)
    if dt is None:
        return False
    kind = getattr(dt, "kind", None)
    if kind is not None:
        return kind == "f"
    return bool(getattr(dt, "is_floating_point", False))


class Tensor:
    """An array that records the operations applied to it, for reverse-mode differentiation.

    Parameters
    ----------
    data : array_like, torch.Tensor or Dual
        The values. Lists and scalars become NumPy arrays (dtype as NumPy infers it); NumPy
        arrays and torch tensors are used as they are (no copy).
    requires_grad : bool
        Whether gradients with respect to this tensor are wanted; needs a floating dtype.
    dtype : optional
        Convert the data to this dtype first.

    Attributes
    ----------
    data : array
        The values, a plain array of the backend.
    grad : array or None
        The accumulated gradient, same shape as ``data``; ``None`` until a backward pass reaches
        this leaf. Each :meth:`backward` *adds* to it (``x.grad = x.grad + ∂y/∂x``); call
        :meth:`zero_grad` (which sets it to ``None``) between independent passes.

    Raises
    ------
    TypeError
        ``requires_grad=True`` on non-floating data, or non-numeric data.

    Notes
    -----
    NaN and infinity propagate through the ops as in the array library (``-inf`` masks are
    legitimate inputs to ``softmax``, for example); they are not rejected here.

    Examples
    --------
    >>> from aimath.autodiff import Tensor
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad
    array([2., 4., 6.])

    Curriculum: B11, A7.
    """

    __slots__ = ("data", "grad", "requires_grad", "_parents", "_vjp", "_op", "_retain", "__weakref__")
    __array_priority__ = 1000.0
    __array_ufunc__ = None  # NumPy defers ``array op Tensor`` to the Tensor's reflected operator

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        if isinstance(data, Tensor):
            data = data.data
        data = _to_array(data, dtype)
        if requires_grad and not _is_float(data) and ns_of(data).name != "dual":
            raise TypeError(f"requires_grad=True needs a floating dtype, got {data.dtype}")
        self.data = data
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self._parents = ()
        self._vjp = None
        self._op = "leaf"
        self._retain = False

    # ------------------------------------------------------------------ properties
    @property
    def shape(self) -> tuple:
        return tuple(self.data.shape)

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def size(self) -> int:
        n = 1
        for s in self.data.shape:
            n *= int(s)
        return n

    @property
    def is_leaf(self) -> bool:
        """True for tensors created by the user (not by an op recording the graph)."""
        return self._vjp is None

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return int(self.data.shape[0])

    def __setitem__(self, idx, value):
        raise TypeError("Tensors are not modified in place (that would corrupt the recorded graph); build a new "
                        "one with where(), concatenate() or scatter into .data of a leaf outside the graph")

    def __array__(self, dtype=None, copy=None):
        if self.requires_grad:
            raise TypeError("cannot convert a Tensor that requires grad to a NumPy array (the graph would be lost); "
                            "use .data or .detach().numpy()")
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def astype(self, dtype) -> Tensor:
        """The values converted to ``dtype``; the gradient is converted back to the old dtype."""
        d = self.data
        ns = ns_of(d)
        old = d.dtype
        if ns.name == "torch":
            out = d.to(dtype if not isinstance(dtype, type | np.dtype) else getattr(ns.torch, np.dtype(dtype).name))
            return _result(out, (self,), lambda g: (g.to(old),), "astype")
        out = d.astype(dtype)
        return _result(out, (self,), lambda g: (g.astype(old),), "astype")

    def __repr__(self) -> str:
        body = repr(self.data)
        if self.requires_grad:
            extra = f", op={self._op}" if self._op != "leaf" else ""
            return f"Tensor({body}, requires_grad=True{extra})"
        return f"Tensor({body})"

    def item(self) -> float:
        """The value of a one-element tensor as a Python number."""
        return self.data.item()

    def numpy(self) -> np.ndarray:
        """The data as a NumPy array (torch data is moved to the CPU)."""
        from aimath.backend import to_numpy

        return to_numpy(self.data)

    def __float__(self) -> float:
        return float(self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __hash__(self) -> int:
        return id(self)

    # ------------------------------------------------------------------ graph utilities
    def detach(self) -> Tensor:
        """A new leaf tensor sharing the data, cut from the graph (``requires_grad=False``)."""
        return Tensor(self.data)

    def requires_grad_(self, flag: bool = True) -> Tensor:
        """Set ``requires_grad`` in place on a leaf; returns ``self``."""
        if flag and not _is_float(self.data) and ns_of(self.data).name != "dual":
            raise TypeError(f"requires_grad=True needs a floating dtype, got {self.data.dtype}")
        if not self.is_leaf:
            raise AimathError("requires_grad_ can only be set on a leaf tensor; use detach() first")
        self.requires_grad = bool(flag)
        return self

    def retain_grad(self) -> Tensor:
        """Ask a non-leaf tensor to keep its gradient in ``.grad`` during backward; returns ``self``."""
        self._retain = True
        return self

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``grad = None``, as PyTorch's ``set_to_none``)."""
        self.grad = None

    def backward(self, grad=None, retain_graph: bool = False) -> None:
        """Accumulate ``(∂self/∂leaf)ᵀ grad`` into the ``.grad`` of every leaf that requires grad.

        Parameters
        ----------
        grad : array, optional
            The cotangent, of ``self``'s shape. Optional only when ``self`` has one element
            (then it is 1).
        retain_graph : bool
            Keep the graph so that ``backward`` can run through it again. By default the
            pullbacks are freed as they are used.

        Raises
        ------
        AimathError
            ``self`` does not require grad, or the graph was freed by an earlier pass.
        ShapeError
            ``grad`` is missing for a non-scalar tensor, or has the wrong shape.
        """
        if not self.requires_grad:
            raise AimathError("backward() on a tensor that does not require grad (no leaf asked for gradients)")
        data = self.data
        ns = ns_of(data)
        if grad is None:
            if self.size != 1:
                raise ShapeError(
                    f"backward() without grad needs a tensor with one element, got shape {self.shape}; "
                    "pass grad= of that shape"
                )
            grad = ns.ones_like(data)
        else:
            if isinstance(grad, Tensor):
                grad = grad.data
            if not hasattr(grad, "shape"):
                grad = ns.asarray(grad, data)
            if tuple(grad.shape) != self.shape:
                raise ShapeError(f"grad must have the tensor's shape {self.shape}, got shape {tuple(grad.shape)}")
        _run_backward(self, grad, retain_graph)

    # comparisons give plain (non-differentiable) boolean tensors
    def __lt__(self, other):
        return Tensor(self.data < _data(other))

    def __le__(self, other):
        return Tensor(self.data <= _data(other))

    def __gt__(self, other):
        return Tensor(self.data > _data(other))

    def __ge__(self, other):
        return Tensor(self.data >= _data(other))


_new = object.__new__


def _result(data, parents, vjp, op: str) -> Tensor:
    """Make the output tensor of an op; record the graph if grad is on and a parent needs it."""
    t = _new(Tensor)
    if isinstance(data, np.generic):  # NumPy ufuncs return scalars for 0-d input: keep arrays
        data = np.asarray(data)
    t.data = data
    t.grad = None
    t._op = op
    t._retain = False
    if _STATE.grad:
        for p in parents:
            if p.requires_grad:
                t.requires_grad = True
                t._parents = parents
                t._vjp = vjp
                return t
    t.requires_grad = False
    t._parents = ()
    t._vjp = None
    return t


def _data(x):
    return x.data if isinstance(x, Tensor) else x


def as_tensor(x) -> Tensor:
    """``x`` if it is a Tensor, else a constant Tensor around it."""
    return x if isinstance(x, Tensor) else Tensor(x)


def _store_grad(node: Tensor, g, owned: set) -> None:
    """Add ``g`` to ``node.grad``.

    A first gradient is stored without a copy when it is a fresh array (not a view, not the seed,
    not already stored on another node in this pass: ``owned`` holds the ids of those); otherwise
    it is copied, so that no two tensors' ``.grad`` share memory and in-place edits stay local.
    """
    if node.grad is None:
        if isinstance(g, np.ndarray):
            if g.base is not None or id(g) in owned or not g.flags.writeable:
                g = g.copy()
        elif isinstance(g, np.generic):
            g = np.array(g)
        elif hasattr(g, "clone") and (id(g) in owned or g._is_view()):
            g = g.clone()
        owned.add(id(g))
        node.grad = g
    else:
        node.grad = node.grad + g


def _run_backward(root: Tensor, grad, retain_graph: bool) -> None:
    # reverse topological order of the nodes that require grad, by an explicit DFS stack
    order = []
    seen = set()
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        k = id(node)
        if k in seen:
            continue
        seen.add(k)
        stack.append((node, True))
        for p in node._parents:
            if p.requires_grad and id(p) not in seen:
                stack.append((p, False))
    grads = {id(root): grad}
    owned = {id(grad)}  # arrays some tensor (or the caller) already holds: never stored twice uncopied
    for node in reversed(order):
        g = grads.pop(id(node), None)
        if g is None:
            continue
        vjp = node._vjp
        if vjp is None:
            _store_grad(node, g, owned)
            continue
        if node._retain:
            _store_grad(node, g, owned)
        parents = node._parents
        gs = vjp(g)
        if not retain_graph:
            node._vjp = _freed
            node._parents = ()
        for p, gp in zip(parents, gs, strict=False):
            if gp is None or not p.requires_grad:
                continue
            k = id(p)
            prev = grads.get(k)
            grads[k] = gp if prev is None else prev + gp


def unbroadcast(g, shape):
    """Sum ``g`` over the axes that broadcasting added or expanded, giving an array of ``shape``."""
    gs = g.shape
    if gs == shape:
        return g
    ns = ns_of(g)
    lead = len(gs) - len(shape)
    if lead > 0:
        g = ns.sum(g, axis=tuple(range(lead)))
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    if axes:
        g = ns.sum(g, axis=axes, keepdims=True)
    return g
