"""Helpers shared by the nn figures."""

from __future__ import annotations

import contextlib


def single_thread():
    """Limit BLAS to one thread (threaded BLAS spins on a shared machine)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(1)


def standardised_digits():
    """The digits split with features standardised by the training mean and std (+0.1)."""
    from aimath.data import digits

    Xtr, Xte, ytr, yte = digits()
    mu, sd = Xtr.mean(0), Xtr.std(0) + 0.1
    return (Xtr - mu) / sd, (Xte - mu) / sd, ytr, yte
