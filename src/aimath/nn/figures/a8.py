"""A8 figures: learned convolution filters and feature maps on MNIST."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.autodiff import no_grad
from aimath.data import mnist
from aimath.figures import figure
from aimath.nn.conv import Conv2d
from aimath.nn.figures._util import single_thread
from aimath.nn.layers import Flatten, Linear, ReLU
from aimath.nn.module import Sequential
from aimath.nn.pool import MaxPool2d
from aimath.nn.training import fit
from aimath.optim import Adam


@figure("A8.conv-filters", "Learned convolution filters and feature maps on MNIST",
        caption="The eight 5×5 filters of the first Conv2d of a small CNN trained for 3 epochs on the MNIST "
                "subset (top), and the ReLU feature maps they produce on one test digit (bottom).")
def conv_filters():
    Xtr, Xte, ytr, yte = mnist(images=True, dtype=np.float32)
    with single_thread():
        net = Sequential(Conv2d(1, 8, 5, rng=0, dtype=np.float32), ReLU(), MaxPool2d(2),
                         Conv2d(8, 16, 5, rng=1, dtype=np.float32), ReLU(), MaxPool2d(2), Flatten(),
                         Linear(256, 10, rng=2, dtype=np.float32))
        fit(net, Xtr[:2000], ytr[:2000], optimizer=Adam(net.parameters(), lr=2e-3), epochs=3, batch_size=32, rng=0,
            progress=False)
        with no_grad():
            maps = net[1](net[0](Xte[:1])).data[0]
    W = net[0].weight.data[:, 0]
    fig = Figure(figsize=(9, 3.6))
    for i in range(8):
        ax = fig.add_subplot(2, 9, i + 2)
        ax.imshow(W[i], cmap="RdBu_r")
        ax.set_axis_off()
        ax = fig.add_subplot(2, 9, 9 + i + 2)
        ax.imshow(maps[i], cmap="viridis")
        ax.set_axis_off()
    ax = fig.add_subplot(2, 9, 10)
    ax.imshow(Xte[0, 0], cmap="gray_r")
    ax.set_axis_off()
    ax.set_title(f"digit {yte[0]}", fontsize=8)
    return fig
