"""Train and save the shipped score models: ``python -m aimath.diffusion.train_digits [--steps N] [--out DIR]``.

Writes, into ``aimath/diffusion/weights/`` (or ``--out``):

* ``digits_scorenet.npz``: the digits :class:`ScoreNet` (:func:`aimath.diffusion.digits.train_digits_model`,
  seed 0, ``--steps`` steps of 128);
* ``toy2d_<name>.npz`` for moons, swiss roll and eight Gaussians (:func:`aimath.diffusion.toy2d.train_toy_2d`
  on 4,000 points, seed 0, hidden 256, 3,000 steps of 512, lr 3e-3), with the standardisation as ``meta.mean`` /
  ``meta.std``; skipped with ``--no-toy`` (``--toy-only`` skips the digits).

and prints the training times and the digits judged by the calibrated classifier of real digits
(:func:`aimath.diffusion.digits.train_digits_classifier`) beside its three controls: real test digits,
pixel-permuted digits and independent-pixel images. Deterministic
for a given seed and machine (NumPy, float32). On 2 shared CPU cores the defaults take a few minutes.

Curriculum: B21
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from aimath.diffusion.digits import (
    WEIGHTS_DIR,
    class_probabilities,
    independent_pixel_digits,
    judge_digits,
    permuted_digits,
    sample_digits,
    train_digits_classifier,
    train_digits_model,
)
from aimath.diffusion.toy2d import TOY_DATASETS, save_toy_2d, single_thread, toy_data, train_toy_2d

__all__ = ["main", "train_all"]


def train_all(out=None, *, steps: int = 10000, toy: bool = True, seed: int = 0, progress: bool = True,
              n_sample: int = 1000, classifier_epochs: int = 100, digits: bool = True, init=None, lr: float = 1e-3,
              ema: float = 0.995) -> dict:
    """Train the digits model (and the 2-D models), save them under ``out``; judge ``n_sample`` generated
    digits (500 steps) with a classifier of real digits; return the numbers."""
    out = WEIGHTS_DIR if out is None else Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report = {}
    with single_thread():
        if digits:
            report.update(_digits(out, steps, seed, progress, n_sample, classifier_epochs, init, lr, ema))
        if toy:
            for name in TOY_DATASETS:
                rng = np.random.default_rng(seed)
                res = train_toy_2d(toy_data(name, 4000, rng), rng, steps=3000, hidden=256, lr=3e-3, progress=progress)
                save_toy_2d(res, out / f"toy2d_{name}.npz")
                report[f"{name}_train_seconds"] = res.train_seconds
    return report


def _digits(out, steps, seed, progress, n_sample, classifier_epochs, init, lr, ema):
    report = {}
    model, losses, sec = train_digits_model(steps, rng=seed, progress=progress, init=init, lr=lr, ema=ema)
    model.save(out / "digits_scorenet.npz")
    report["digits_train_seconds"] = sec
    report["digits_final_loss"] = float(np.mean(losses[-200:]))
    clf = train_digits_classifier(seed, epochs=classifier_epochs)
    report["judge_temperature"] = clf.temperature
    t0 = time.perf_counter()
    imgs = sample_digits(model, n_sample, np.random.default_rng(seed + 1), n_steps=500)
    report[f"digits_sample_seconds_{n_sample}x500"] = time.perf_counter() - t0
    report.update({f"digits_{k}": v for k, v in judge_digits(class_probabilities(clf, imgs)).items()})
    from aimath.data import digits

    controls = {"real_test": digits()[1], "permuted": permuted_digits(n_sample, seed),
                "independent_pixel": independent_pixel_digits(n_sample, seed)}
    for name, X in controls.items():
        report[f"{name}_mean_max_prob"] = judge_digits(class_probabilities(clf, X))["mean_max_prob"]
    return report


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=10000, help="digits training steps (batch 128)")
    ap.add_argument("--out", default=None, help="output folder (default: the package's weights/)")
    ap.add_argument("--no-toy", action="store_true", help="skip the 2-D models")
    ap.add_argument("--toy-only", action="store_true", help="only the 2-D models")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", default=None, help="continue from these digits weights (.npz)")
    ap.add_argument("--lr", type=float, default=1e-3, help="digits peak learning rate (cosine-annealed)")
    ap.add_argument("--ema", type=float, default=0.995, help="digits EMA decay")
    ap.add_argument("--sample", type=int, default=1000, help="generated digits to judge")
    ap.add_argument("--classifier-epochs", type=int, default=100)
    ap.add_argument("--quiet", action="store_true", help="no progress bars")
    a = ap.parse_args(argv)
    report = train_all(a.out, steps=a.steps, toy=not a.no_toy, seed=a.seed, progress=not a.quiet, n_sample=a.sample,
                       classifier_epochs=a.classifier_epochs, digits=not a.toy_only, init=a.init, lr=a.lr,
                       ema=a.ema)
    for k, v in report.items():
        print(f"{k}: {np.round(v, 4) if isinstance(v, np.ndarray) else v}")
    return report


if __name__ == "__main__":  # pragma: no cover
    main()
