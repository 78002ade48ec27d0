"""Training loops: :func:`fit` (mini-batch epochs, validation, callbacks, early stopping, a progress
bar), :func:`evaluate` and :func:`predict`.

Curriculum: A1, A5, A7.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from aimath import backend as B
from aimath.autodiff import Tensor, no_grad
from aimath.errors import AimathError, ConvergenceError, DomainError, ShapeError, check_array
from aimath.nn import functional as F
from aimath.nn import losses as L

__all__ = ["History", "EarlyStopping", "fit", "evaluate", "predict"]

_LOSSES = {"cross_entropy": F.cross_entropy, "mse": F.mse_loss, "hinge": F.hinge_loss,
           "logistic": F.logistic_loss, "nll": F.nll_loss}


@dataclasses.dataclass
class History:
    """Per-epoch records of a :func:`fit` run.

    Attributes
    ----------
    history : dict of str → list of float
        ``loss`` (mean training loss over the epoch's batches) and ``accuracy`` (for
        classification), plus ``val_loss``/``val_accuracy`` with validation data.
    epochs : int
        Epochs run.
    stopped_early : bool
    best_epoch : int or None
        The epoch an :class:`EarlyStopping` callback restored, if any.
    """

    history: dict = dataclasses.field(default_factory=dict)
    epochs: int = 0
    stopped_early: bool = False
    best_epoch: int | None = None

    def __getitem__(self, key):
        return self.history[key]

    def __repr__(self) -> str:
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        return f"History(epochs={self.epochs}, {last}{', stopped early' if self.stopped_early else ''})"


class EarlyStopping:
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs; optionally
    restore the best weights.

    Parameters
    ----------
    monitor : str
        A key of the history (``"val_loss"`` by default; ``*accuracy`` keys are maximised).
    patience : int
    min_delta : float
    restore_best : bool
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 5, min_delta: float = 0.0,
                 restore_best: bool = True):
        self.monitor, self.patience, self.min_delta, self.restore_best = monitor, int(patience), min_delta, restore_best
        self.best, self.best_epoch, self.best_state, self.wait = None, None, None, 0

    def on_epoch_end(self, epoch: int, logs: dict, model) -> bool:
        """Record the epoch; return True to stop."""
        if self.monitor not in logs:
            raise AimathError(f"EarlyStopping monitors {self.monitor!r}, but the logs have {sorted(logs)}")
        v = logs[self.monitor]
        sign = -1.0 if "accuracy" in self.monitor else 1.0
        if self.best is None or sign * v < sign * self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = v, epoch, 0
            if self.restore_best:
                self.best_state = model.state_dict()
            return False
        self.wait += 1
        return self.wait >= self.patience

    def on_train_end(self, model, history: History) -> None:
        if self.restore_best and self.best_state is not None:
            model.load_state_dict(self.best_state)
            history.best_epoch = self.best_epoch


def _check_xy(X, y, name="X"):
    check_array(X, name, min_ndim=2, nonempty=True)
    if y is not None:
        ys = tuple(int(s) for s in y.shape)
        if len(ys) < 1 or ys[0] != X.shape[0]:
            raise ShapeError(f"{name} and its targets must have the same number of samples, got {tuple(X.shape)} "
                             f"and {ys}")


def _loss_fn(loss):
    if callable(loss):
        return loss
    if loss not in _LOSSES:
        raise AimathError(f"loss must be a callable or one of {sorted(_LOSSES)}, got {loss!r}")
    return _LOSSES[loss]


def _is_classification(loss, y) -> bool:
    xp = B.namespace(y)
    return loss in ("cross_entropy", "nll") or (callable(loss) and xp.isdtype(y.dtype, "integral") and y.ndim == 1)


def predict(model, X, *, batch_size: int = 1024):
    """Model outputs on ``X`` in evaluation mode, without recording a graph, batch by batch.

    Returns
    -------
    array of the outputs (same library as ``X``).
    """
    _check_xy(X, None)
    was = model.training
    model.eval()
    outs = []
    try:
        with no_grad():
            for i in range(0, X.shape[0], batch_size):
                out = model(X[i:i + batch_size])
                outs.append(out.data if isinstance(out, Tensor) else out)
    finally:
        model.train(was)
    return B.namespace(outs[0]).concat(outs, axis=0)


def evaluate(model, X, y, *, loss="cross_entropy", batch_size: int = 1024) -> dict:
    """Mean loss (and accuracy for classification) of ``model`` on ``(X, y)``.

    Returns
    -------
    dict with ``loss`` and, for integer labels, ``accuracy``.
    """
    _check_xy(X, y)
    out = predict(model, X, batch_size=batch_size)
    fn = _loss_fn(loss)
    val = fn(out, y)
    res = {"loss": float(val.data if isinstance(val, Tensor) else val)}
    if _is_classification(loss, y):
        res["accuracy"] = L.accuracy(out, y)
    return res


def _progress(enabled, total):
    if not enabled:
        return None
    try:
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
    except ImportError:  # pragma: no cover
        return None
    return Progress(TextColumn("epoch {task.completed}/{task.total}"), BarColumn(), TextColumn("{task.description}"),
                    TimeRemainingColumn(), transient=True)


def fit(model, X, y, *, loss="cross_entropy", optimizer, epochs: int = 10, batch_size: int = 32, rng=None,
        validation=None, callbacks=(), progress: bool = True, shuffle: bool = True) -> History:
    """Train ``model`` by mini-batch gradient steps.

    Each epoch visits a fresh random permutation of the samples in batches; for every batch

    .. math:: \\theta \\leftarrow \\text{optimizer.step}\\Big(\\nabla_\\theta \\frac{1}{|B|}\\sum_{i \\in B}
              \\ell(f_\\theta(x_i), y_i)\\Big)

    Parameters
    ----------
    model : Module
    X : array of shape (n, ...)
    y : array of shape (n,) (labels) or (n, ...) (targets)
    loss : str or callable
        ``"cross_entropy"``, ``"mse"``, ``"hinge"``, ``"logistic"``, ``"nll"`` or ``f(outputs, y) -> Tensor``.
    optimizer : aimath.optim.Optimizer
        Built on ``model.parameters()``.
    epochs, batch_size : int
    rng : seed or generator for the shuffling
    validation : (X_val, y_val) or None
        Evaluated after each epoch (``val_loss``, ``val_accuracy``).
    callbacks : sequence
        Objects with ``on_epoch_end(epoch, logs, model) -> bool`` (True stops) and optionally
        ``on_train_end(model, history)``, e.g. :class:`EarlyStopping`.
    progress : bool
        Show a progress bar (rich), transient.

    Returns
    -------
    History

    Raises
    ------
    ShapeError, DomainError
        Mismatched X/y, NaN in X, empty data, bad sizes.
    ConvergenceError
        If the loss becomes NaN or infinite (carries the loss history).

    Curriculum: A1, A7.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.nn import MLP
    >>> from aimath.optim import Adam
    >>> X = np.random.default_rng(0).standard_normal((64, 2)); y = (X[:, 0] > 0).astype(np.int64)
    >>> net = MLP([2, 8, 2], rng=0)
    >>> h = fit(net, X, y, optimizer=Adam(net.parameters(), lr=0.05), epochs=20, rng=0, progress=False)
    >>> h["accuracy"][-1] > 0.9
    True
    """
    _check_xy(X, y)
    if validation is not None:
        _check_xy(validation[0], validation[1], "X_val")
    if int(epochs) < 1 or int(batch_size) < 1:
        raise DomainError(f"epochs and batch_size must be positive, got epochs={epochs}, batch_size={batch_size}")
    fn = _loss_fn(loss)
    classify = _is_classification(loss, y)
    if classify and loss in ("cross_entropy", "nll"):
        L.check_labels(y, y.shape[0], None)
    n = int(X.shape[0])
    g = B.as_generator(rng)
    hist = History({"loss": []} | ({"accuracy": []} if classify else {}))
    if validation is not None:
        hist.history["val_loss"] = []
        if classify:
            hist.history["val_accuracy"] = []
    bar = _progress(progress, epochs)
    task = bar.add_task("", total=epochs) if bar is not None else None
    if bar is not None:
        bar.start()
    model.train()
    try:
        for epoch in range(int(epochs)):
            order = B.to_numpy(B.permutation(g, n)) if shuffle else np.arange(n)
            total, correct = 0.0, 0
            for i in range(0, n, batch_size):
                idx = order[i:i + batch_size]
                xb, yb = X[idx], y[idx]
                out = model(xb)
                ell = fn(out, yb)
                optimizer.zero_grad()
                ell.backward()
                optimizer.step()
                v = float(ell.data)
                if not math.isfinite(v):
                    raise ConvergenceError(f"training diverged at epoch {epoch}: loss {v}", history=hist["loss"])
                total += v * len(idx)
                if classify:
                    correct += int((B.namespace(out.data).argmax(out.data, axis=1) == yb).sum())
            logs = {"loss": total / n}
            if classify:
                logs["accuracy"] = correct / n
            if validation is not None:
                ev = evaluate(model, validation[0], validation[1], loss=loss)
                logs["val_loss"] = ev["loss"]
                if classify:
                    logs["val_accuracy"] = ev["accuracy"]
            for k, v in logs.items():
                hist.history[k].append(v)
            hist.epochs = epoch + 1
            model.train()
            if bar is not None:
                bar.update(task, advance=1, description=" ".join(f"{k}={v:.4f}" for k, v in logs.items()))
            stop = [bool(cb.on_epoch_end(epoch, logs, model)) for cb in callbacks]
            if any(stop):
                hist.stopped_early = True
                break
    finally:
        if bar is not None:
            bar.stop()
    for cb in callbacks:
        if hasattr(cb, "on_train_end"):
            cb.on_train_end(model, hist)
    return hist
