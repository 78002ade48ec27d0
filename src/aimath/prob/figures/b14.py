"""B14 figures: mode-seeking vs mass-covering Gaussian fits, entropy and mutual information."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.prob import Mixture, Normal, entropy, mutual_information


@figure("B14.kl-asymmetry", "KL asymmetry: mass-covering and mode-seeking fits",
        caption="A bimodal target p and the best Gaussian q on a grid of (μ, σ) under each divergence: "
                "minimising KL(p‖q) matches the moments of p and spreads over both modes; minimising KL(q‖p) "
                "locks onto one mode, since q is punished wherever it puts mass that p lacks.")
def kl_asymmetry():
    p = Mixture([Normal(-2.0, 0.6), Normal(2.0, 0.6)], np.array([0.5, 0.5]))
    x = np.linspace(-8, 8, 801)
    log_p = p.log_prob(x)
    M, S = np.meshgrid(np.linspace(-3.5, 3.5, 71), np.linspace(0.3, 3.5, 41), indexing="ij")
    log_q = Normal(M[..., None], S[..., None]).log_prob(x)
    pq = np.exp(log_p)
    qq = np.exp(log_q)
    forward = np.trapezoid(pq * (log_p - log_q), x, axis=-1)
    reverse = np.trapezoid(np.where(qq > 0, qq * (log_q - log_p), 0.0), x, axis=-1)
    fig = Figure(figsize=(9, 3.6))
    ax, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.6, 1]})
    ax.fill_between(x, pq, color="0.8", label="target p")
    for grid, name, c in ((forward, "argmin KL(p‖q): mass-covering", "C0"),
                          (reverse, "argmin KL(q‖p): mode-seeking", "C3")):
        i = np.unravel_index(np.argmin(grid), grid.shape)
        ax.plot(x, np.exp(Normal(M[i], S[i]).log_prob(x)), color=c, lw=2,
                label=f"{name} (μ={M[i]:.2f}, σ={S[i]:.2f})")
    ax.set_xlim(-6, 6)
    ax.legend(fontsize=7.5, loc="upper left")
    ax.set_title("Gaussian fits to a bimodal target")
    ax2.contour(M, S, np.log(reverse), levels=14, cmap="Reds")
    ax2.contour(M, S, np.log(forward), levels=14, cmap="Blues")
    ax2.set_xlabel("μ")
    ax2.set_ylabel("σ")
    ax2.set_title("log KL over (μ, σ): blue forward, red reverse", fontsize=9)
    fig.tight_layout()
    return fig


@figure("B14.entropy-mi", "Entropy and mutual information",
        caption="Left: the binary entropy H(p) in bits, maximal (1 bit) at p = ½. Right: the mutual "
                "information between the input and output of a binary symmetric channel with flip "
                "probability ε and a uniform input, computed from the joint table: I = 1 − H(ε) bits, zero when "
                "the output is independent of the input (ε = ½).")
def entropy_mi():
    p = np.linspace(0, 1, 401)
    H = entropy(np.stack([p, 1 - p], axis=-1), base=2)
    eps = np.linspace(0, 1, 401)
    joint = 0.5 * np.stack([np.stack([1 - eps, eps], -1), np.stack([eps, 1 - eps], -1)], axis=-2)
    I = mutual_information(joint, base=2)
    fig = Figure(figsize=(8, 3.2))
    a1, a2 = fig.subplots(1, 2)
    a1.plot(p, H, color="C0")
    a1.set_xlabel("p")
    a1.set_ylabel("H(p) [bits]")
    a1.set_title("Binary entropy")
    a2.plot(eps, I, color="C2", label="I(X; Y) from the joint table")
    a2.plot(eps, 1 - H, "k:", label="1 − H(ε)")
    a2.set_xlabel("flip probability ε")
    a2.set_ylabel("bits")
    a2.set_title("Binary symmetric channel")
    a2.legend(fontsize=8)
    fig.tight_layout()
    return fig
