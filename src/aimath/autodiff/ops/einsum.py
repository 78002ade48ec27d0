"""Einstein summation of Tensors with its pullback.

For :math:`Y_{out} = \\sum \\prod_j X^{(j)}_{s_j}` the cotangent of operand :math:`i` is again an
einsum: contract :math:`\\bar Y` with the other operands onto the subscripts of operand
:math:`i`,

.. math::

    \\bar X^{(i)}_{s_i} = \\sum \\bar Y_{out} \\prod_{j \\ne i} X^{(j)}_{s_j},

broadcast along any index of :math:`s_i` that appears nowhere else (it was summed away).

Curriculum: B11.
"""

from __future__ import annotations

from aimath.autodiff._arrays import ns_of
from aimath.autodiff.tensor import Tensor, _result, as_tensor
from aimath.errors import ShapeError

__all__ = ["einsum"]


def _parse(subscripts: str, nops: int):
    s = subscripts.replace(" ", "")
    if "." in s:
        raise ValueError("einsum: ellipsis ('...') is not supported; write the indices explicitly")
    if "->" in s:
        ins, out = s.split("->")
    else:
        ins = s
        letters = ins.replace(",", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    terms = ins.split(",")
    if len(terms) != nops:
        raise ValueError(f"einsum: subscripts name {len(terms)} operand(s), got {nops}")
    for t in terms:
        if len(set(t)) != len(t):
            raise ValueError(f"einsum: repeated index within one operand ({t!r}) is not supported")
        if not t.isalpha() and t:
            raise ValueError(f"einsum: subscripts must be letters, got {t!r}")
    return terms, out


def einsum(subscripts: str, *operands) -> Tensor:
    """Einstein summation, as ``numpy.einsum`` (explicit or implicit output, no ellipsis).

    .. math:: Y_{out} = \\sum_{\\text{other indices}} \\prod_j X^{(j)}_{s_j}

    Parameters
    ----------
    subscripts : str
        For example ``"ij,jk->ik"`` (matmul), ``"bi,bi->b"`` (batched dot), ``"ij->ji"``.
    *operands : Tensor or array

    Returns
    -------
    Tensor

    Raises
    ------
    ShapeError
        An index is bound to two different sizes, or an operand's rank differs from its subscripts.
    ValueError
        Ellipsis or an index repeated within one operand.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import Tensor, einsum
    >>> A = Tensor(np.ones((2, 3)), requires_grad=True)
    >>> einsum("ij,j->i", A, np.arange(3.0)).sum().backward()
    >>> A.grad
    array([[0., 1., 2.],
           [0., 1., 2.]])

    Curriculum: B11.
    """
    ts = [as_tensor(o) for o in operands]
    terms, out = _parse(subscripts, len(ts))
    datas = [t.data for t in ts]
    sizes: dict[str, int] = {}
    for t, d in zip(terms, datas, strict=True):
        if len(t) != d.ndim:
            raise ShapeError(f"einsum: operand with subscripts {t!r} needs {len(t)} dimension(s), got shape "
                             f"{tuple(d.shape)}")
        for c, n in zip(t, d.shape, strict=True):
            if sizes.setdefault(c, int(n)) != int(n):
                raise ShapeError(f"einsum: index {c!r} has size {sizes[c]} and {int(n)} in different operands "
                                 f"(shapes {[tuple(x.shape) for x in datas]})")
    spec = ",".join(terms) + "->" + out
    ns = ns_of(datas[0])
    for d in datas[1:]:
        if ns_of(d).name == "dual":
            ns = ns_of(d)
    y = ns.einsum(spec, *datas)

    def vjp(g):
        res = []
        for i, t in enumerate(ts):
            if not t.requires_grad:
                res.append(None)
                continue
            others = [terms[j] for j in range(len(ts)) if j != i]
            present = set(out).union(*others) if others else set(out)
            reduced = "".join(c for c in terms[i] if c in present)
            args = [g] + [datas[j] for j in range(len(ts)) if j != i]
            nsg = ns_of(g)
            for a in args[1:]:
                if ns_of(a).name == "dual":
                    nsg = ns_of(a)
            gi = nsg.einsum(",".join([out] + others) + "->" + reduced, *args)
            if reduced != terms[i]:
                kept = tuple(sizes[c] if c in present else 1 for c in terms[i])
                gi = ns_of(gi).broadcast_to(gi.reshape(kept), tuple(sizes[c] for c in terms[i]))
            res.append(gi)
        return tuple(res)

    return _result(y, tuple(ts), vjp, "einsum")
