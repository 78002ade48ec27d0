r"""The 2-D learned-score result: train a :class:`ScoreNet` on moons / swiss roll / eight Gaussians and
judge its samples by MMD against held-out data.

**The criterion.** With held-out data split at random into halves :math:`A, B` of ``n`` points and
``n`` generated samples :math:`G`, both compared with the biased (V-statistic) MMD² of one RBF
kernel whose bandwidth is the median pairwise distance of the held-out data,

.. math:: \widehat{\mathrm{MMD}}{}^2_b(G, A) \;\le\; 2\,\widehat{\mathrm{MMD}}{}^2_b(B, A).

Both sides are averaged over ``splits`` random half-splits of the held-out set (the same statistic
with less variance). Since :math:`\mathbb E\,\widehat{\mathrm{MMD}}{}^2_b(G, A) \approx
\mathrm{MMD}^2(p_\theta, p) + \mathbb E\,\widehat{\mathrm{MMD}}{}^2_b(B, A)`, this asks the model's
squared MMD to the data to be at most the noise floor of two samples of size ``n``.

**What is reached, and its limits.** The shipped models (hidden 256, 3,000 steps of 512, 20–220 s
each on the shared 2-core machine depending on load; ``python -m aimath.diffusion.toy2d`` prints
the ratios: moons 0.96, swiss roll 0.93, eight Gaussians 0.34) meet the bound. The bound is weak,
though: with the median-heuristic bandwidth and ``n = 1000``, moons with noise 0.2 instead of 0.1
also pass it, and the shipped moons samples are visibly blurred (figure ``B21.learned-2d``) while
passing. Training is also unstable from run to run: the same recipe at another seed or learning
rate gave crisp moons once and blurred swiss rolls another time. The likely cause is the score at
small ``t``: an error in ε̂ is divided by σ(t) (see ``test_learned_score_of_gaussian_data``). No
theorem is registered for this result.

Curriculum: B21
"""

from __future__ import annotations

import contextlib
import time
from typing import NamedTuple

import numpy as np

from aimath import backend as B
from aimath.diffusion.forward import VPSDE
from aimath.diffusion.metrics import _bandwidth, mmd
from aimath.diffusion.samplers import euler_maruyama_sampler
from aimath.diffusion.score_net import ScoreNet
from aimath.diffusion.training import train_score_model
from aimath.errors import DomainError

__all__ = ["TOY_DATASETS", "toy_data", "Toy2DResult", "train_toy_2d", "mmd_vs_heldout", "single_thread", "save_toy_2d",
           "load_toy_2d"]


def single_thread():
    """Limit BLAS to one thread while training small networks (threaded BLAS spins on a shared machine)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(1)


def _moons(n, rng):
    from aimath.data import moons

    return moons(n, 0.1, rng=rng)[0]


def _swiss(n, rng):
    from aimath.data import swiss_roll_2d

    return swiss_roll_2d(n, 0.25, rng=rng)


def _eight(n, rng):
    from aimath.data import eight_gaussians

    out = eight_gaussians(n, 0.1, rng=rng)
    return out[0] if isinstance(out, tuple) else out


TOY_DATASETS = {"moons": _moons, "swiss_roll": _swiss, "eight_gaussians": _eight}


def toy_data(name: str, n: int, rng):
    """``n`` shuffled points of a 2-D toy set (moons with noise 0.1, swiss roll 0.25, eight Gaussians 0.1)."""
    if name not in TOY_DATASETS:
        raise DomainError(f"name must be one of {sorted(TOY_DATASETS)}, got {name!r}")
    g = B.as_generator(rng)
    x = np.asarray(B.to_numpy(TOY_DATASETS[name](int(n), g)), dtype=np.float64)
    return x[g.permutation(len(x))]


class Toy2DResult(NamedTuple):
    """A trained 2-D model: the EMA network, the SDE, the standardisation, the losses and timings."""

    model: ScoreNet
    sde: VPSDE
    mean: np.ndarray
    std: np.ndarray
    losses: np.ndarray
    train_seconds: float
    samples_per_second: float

    def sample(self, n: int, rng, *, n_steps: int = 300):
        """``n`` generated points in data units (reverse-SDE Euler–Maruyama, ``n_steps`` steps)."""
        dt = self.model.inp.weight.data.dtype
        z = euler_maruyama_sampler(self.sde, self.model.score_fn(self.sde), (int(n), 2), rng, n_steps=n_steps,
                                   dtype=dt)
        return np.asarray(z, dtype=np.float64) * self.std + self.mean


def train_toy_2d(train, rng, *, steps: int = 2500, batch_size: int = 512, lr: float = 3e-3, hidden: int = 128,
                 depth: int = 3, ema: float = 0.99, dtype=np.float32, progress: bool = False) -> Toy2DResult:
    r"""Train a :class:`ScoreNet` on 2-D points by denoising score matching under the VP SDE.

    The data are standardised per coordinate; Adam with cosine-annealed learning rate ``lr``,
    ``steps`` steps of ``batch_size``, EMA decay ``ema``.

    Parameters
    ----------
    train : array of shape (n, 2)
    rng : seed or Generator
    steps, batch_size, lr, hidden, depth, ema, dtype, progress
        As :func:`train_score_model` and :class:`ScoreNet`.

    Returns
    -------
    Toy2DResult
    """
    from aimath.optim import Adam, CosineAnnealingLR

    train = np.asarray(train, dtype=np.float64)
    if train.ndim != 2 or train.shape[1] != 2:
        raise DomainError(f"train must have shape (n, 2), got {train.shape}")
    g = B.as_generator(rng)
    mean, std = train.mean(axis=0), train.std(axis=0)
    z = ((train - mean) / std).astype(dtype)
    net = ScoreNet(2, hidden=hidden, depth=depth, embed_dim=16, rng=g, dtype=dtype)
    opt = Adam(net.parameters(), lr=lr)
    sde = VPSDE()
    t0 = time.perf_counter()
    model, losses = train_score_model(net, z, sde, opt, steps, batch_size, g, progress=progress, ema=ema,
                                      scheduler=CosineAnnealingLR(opt, steps))
    sec = time.perf_counter() - t0
    return Toy2DResult(model, sde, mean, std, losses, sec, steps * batch_size / sec)


def mmd_vs_heldout(generated, heldout, rng, *, splits: int = 4) -> tuple[float, float, float]:
    """``(MMD²_b(G, A), MMD²_b(B, A), bandwidth)`` averaged over random half-splits (module docstring).

    ``heldout`` has ``2n`` rows and ``generated`` ``n``.
    """
    G, H = np.asarray(generated, dtype=np.float64), np.asarray(heldout, dtype=np.float64)
    n = G.shape[0]
    if H.shape[0] != 2 * n:
        raise DomainError(f"heldout must have twice the rows of generated ({2 * n}), got {H.shape[0]}")
    g = B.as_generator(rng)
    h = _bandwidth(np, H, H[:0], "median")
    gen, floor = [], []
    for _ in range(int(splits)):
        p = g.permutation(2 * n)
        A, Bh = H[p[:n]], H[p[n:]]
        gen.append(mmd(G, A, bandwidth=h, biased=True))
        floor.append(mmd(Bh, A, bandwidth=h, biased=True))
    return float(np.mean(gen)), float(np.mean(floor)), h



def save_toy_2d(result: Toy2DResult, path) -> None:
    """Write a trained 2-D model with its standardisation (``meta.mean``, ``meta.std``) to ``.npz``."""
    arrays = {k: B.to_numpy(v) for k, v in result.model.state_dict().items()}
    arrays["meta.mean"], arrays["meta.std"] = np.asarray(result.mean), np.asarray(result.std)
    np.savez(path, **arrays)


def load_toy_2d(name: str, path=None) -> Toy2DResult:
    """The shipped 2-D model for ``name`` (or the one saved at ``path``), as a :class:`Toy2DResult`."""
    from aimath.diffusion.digits import WEIGHTS_DIR

    if name not in TOY_DATASETS:
        raise DomainError(f"name must be one of {sorted(TOY_DATASETS)}, got {name!r}")
    path = WEIGHTS_DIR / f"toy2d_{name}.npz" if path is None else path
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    mean, std = arrays.pop("meta.mean"), arrays.pop("meta.std")
    hidden = arrays["inp.weight"].shape[0]
    depth = 1 + sum(1 for k in arrays if k.startswith("h") and k.endswith(".weight"))
    net = ScoreNet(2, hidden=hidden, depth=depth, embed_dim=arrays["inp.weight"].shape[1] - 2,
                   dtype=arrays["inp.weight"].dtype)
    net.load_state_dict(arrays)
    return Toy2DResult(net.eval(), VPSDE(), mean, std, np.zeros(0), float("nan"), float("nan"))


def results(*, train: bool = False, n: int = 1000, seed: int = 0, steps: int = 3000, hidden: int = 256,
            lr: float = 3e-3) -> dict:
    """The 2-D result for every data set: ``{name: (MMD²_b(G, A), MMD²_b(B, A), ratio)}``.

    With ``train`` each model is trained afresh (``steps``, ``hidden``, ``lr``; minutes on a shared CPU),
    otherwise the shipped weights are used. ``n`` generated points against ``2n`` held-out ones.
    """
    out = {}
    with single_thread():
        for name in TOY_DATASETS:
            rng = np.random.default_rng(seed)
            if train:
                res = train_toy_2d(toy_data(name, 4000, rng), rng, steps=steps, hidden=hidden, lr=lr)
            else:
                res = load_toy_2d(name)
            fresh = np.random.default_rng([seed, 1])  # held-out data: a stream the training never saw
            held = toy_data(name, 2 * n, fresh)
            gen = res.sample(n, fresh)
            g, f, _ = mmd_vs_heldout(gen, held, fresh)
            out[name] = (g, f, g / f)
    return out


if __name__ == "__main__":  # pragma: no cover - `python -m aimath.diffusion.toy2d [--train]`
    import sys

    for k, (g, f, r) in results(train="--train" in sys.argv).items():
        print(f"{k:16s} MMD²_b(generated, held-out) = {g:.3e}   MMD²_b(held-out halves) = {f:.3e}   ratio = {r:.2f}")
