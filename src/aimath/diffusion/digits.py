r"""The digits result: a score model of scikit-learn's 8×8 digits, judged by a classifier of real digits.

**Data.** :func:`aimath.data.digits` (pixels in [0, 1]), training part, rescaled to
:math:`x = 2p - 1 \in [-1, 1]^{64}` for the score model.

**Model.** A :class:`ScoreNet` on the 64 pixels as a vector (hidden 512, depth 3, float32), trained by
:func:`train_score_model` under the VP SDE. (:class:`ScoreUNet` is the convolutional alternative; with
the im2col convolution of :mod:`aimath.nn` it costs ~50× more per image on a CPU, which puts
1,000 images × 500 steps far beyond a minute.) Sampling is reverse-SDE Euler–Maruyama (500 steps),
and the images are mapped back to :math:`p = \mathrm{clip}((x + 1)/2, 0, 1)`.

**Judge.** An :class:`aimath.nn.MLP` (64 → 128 → 10) trained to convergence (200 epochs of Adam,
training-set confidence ≈ 1, test accuracy ≈ 0.97) on the real training digits. Its confidence on
a generated image is only as meaningful as its calibration, so the result is reported beside two
controls: its confidence on real test digits, and on images it should not recognise (real digits
with their pixels randomly permuted). The criterion, as read here: on generated digits its mean
maximum class probability is :math:`\ge 0.9`, and "a class histogram within 5 % of uniform per
class" means every class's frequency among the predicted labels lies in
:math:`[0.10 - 0.05, 0.10 + 0.05] = [0.05, 0.15]` (5 percentage points of the total, not 5 % of 0.10).

**What the shipped model reaches** (10,000 steps of 128, 438 s on 2 shared cores under load ≈ 7;
1,000 digits × 500 steps sampled in 20 s): mean max-probability 0.922 and class frequencies in
[0.073, 0.136], so the criterion as read above holds. But the same classifier gives 0.986 to real
test digits and 0.917 to pixel-permuted digits: a plain MLP's confidence does not tell digits from
structureless images, and the criterion has little power. A classifier with an 11th "not a digit"
class (trained on permuted pixels, noise and two-digit averages) rejects about 60 % of these
generated digits against 4 % of real ones: the samples are digit-like but noisy, not yet real quality.

The trained weights ship in ``aimath/diffusion/weights/digits_scorenet.npz``, written by
``python -m aimath.diffusion.train_digits`` (see :mod:`aimath.diffusion.train_digits`).

Curriculum: B21
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from aimath import backend as B
from aimath.diffusion.forward import VPSDE
from aimath.diffusion.samplers import euler_maruyama_sampler
from aimath.diffusion.score_net import ScoreNet
from aimath.diffusion.training import train_score_model
from aimath.errors import DomainError

__all__ = ["WEIGHTS_DIR", "DIGITS_WEIGHTS", "digits_score_model", "train_digits_model", "load_digits_model",
           "sample_digits", "train_digits_classifier", "class_probabilities", "judge_digits", "permuted_digits"]

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
DIGITS_WEIGHTS = WEIGHTS_DIR / "digits_scorenet.npz"
_CONFIG = dict(hidden=512, depth=3, embed_dim=32)


def digits_score_model(rng=None, *, dtype=np.float32) -> ScoreNet:
    """The (untrained) digits score network: ``ScoreNet(64, hidden=512, depth=3, embed_dim=32)``."""
    return ScoreNet(64, rng=rng, dtype=dtype, **_CONFIG)


def _training_pixels():
    from aimath.data import digits

    Xtr, _, ytr, _ = digits()
    return Xtr, ytr


def train_digits_model(steps: int = 10000, *, batch_size: int = 128, lr: float = 1e-3, ema: float = 0.995, rng=0,
                       progress: bool = True):
    """Train the digits score model (Adam, cosine-annealed ``lr``, EMA ``ema``) on :math:`2p - 1`.

    Returns
    -------
    model : ScoreNet
        The EMA model.
    losses : array of shape (steps,)
    seconds : float
        Training wall time.
    """
    from aimath.optim import Adam, CosineAnnealingLR

    g = B.as_generator(rng)
    X, _ = _training_pixels()
    Z = (2.0 * X - 1.0).astype(np.float32)
    net = digits_score_model(g)
    opt = Adam(net.parameters(), lr=lr)
    t0 = time.perf_counter()
    model, losses = train_score_model(net, Z, VPSDE(), opt, steps, batch_size, g, progress=progress, ema=ema,
                                      scheduler=CosineAnnealingLR(opt, steps))
    return model, losses, time.perf_counter() - t0


def load_digits_model(path=None) -> ScoreNet:
    """The shipped (or a given ``.npz``) digits score model."""
    path = DIGITS_WEIGHTS if path is None else Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no digits weights at {path}; run `python -m aimath.diffusion.train_digits`")
    return digits_score_model(0).load(path).eval()


def sample_digits(model, n: int, rng=None, *, n_steps: int = 500, clip: bool = False):
    """``n`` generated digits as images in [0, 1], shape (n, 8, 8) (reverse SDE, ``n_steps`` steps;
    ``clip`` clips the denoised estimate to [-1, 1] at every step, see :func:`score_function`)."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise DomainError(f"n must be a positive integer, got {n!r}")
    sde = VPSDE()
    dt = model.inp.weight.data.dtype
    x = euler_maruyama_sampler(sde, model.score_fn(sde, clip=(-1.0, 1.0) if clip else None), (int(n), 64), rng,
                               n_steps=n_steps, dtype=dt)
    return np.clip((np.asarray(x, dtype=np.float64) + 1.0) / 2.0, 0.0, 1.0).reshape(-1, 8, 8)


def train_digits_classifier(rng=0, *, epochs: int = 200):
    """An :class:`aimath.nn.MLP` 64 → 128 → 10 trained on the real training digits (pixels in [0, 1])."""
    from aimath.nn import MLP, fit
    from aimath.optim import Adam

    X, y = _training_pixels()
    clf = MLP([64, 128, 10], rng=rng)
    fit(clf, X, y, optimizer=Adam(clf.parameters(), lr=1e-3), epochs=epochs, batch_size=32, rng=rng, progress=False)
    return clf.eval()


def class_probabilities(clf, images):
    """Softmax class probabilities of ``clf`` for images in [0, 1] of shape (n, 8, 8) or (n, 64)."""
    from aimath.autodiff import no_grad
    from aimath.nn import softmax

    X = np.asarray(images, dtype=np.float64).reshape(len(images), 64)
    with no_grad():
        logits = clf(X)
    return np.asarray(softmax(logits.data, axis=1))


def judge_digits(probs) -> dict:
    """Mean max-probability, class histogram of the predicted labels and the verdict (module docstring)."""
    P = np.asarray(probs)
    hist = np.bincount(P.argmax(axis=1), minlength=P.shape[1]) / len(P)
    conf = float(P.max(axis=1).mean())
    return {"mean_max_prob": conf, "histogram": hist,
            "ok": bool(conf >= 0.9 and hist.min() >= 0.05 and hist.max() <= 0.15)}


def permuted_digits(n: int, rng=None):
    """Control images: ``n`` real test digits with their 64 pixels randomly permuted (same pixel values)."""
    from aimath.data import digits

    g = B.as_generator(rng)
    X = digits()[1]
    X = X[g.integers(0, len(X), int(n))]
    return np.stack([x[g.permutation(64)] for x in X]).reshape(-1, 8, 8)
