"""aimath: the mathematics of deep learning and machine learning as executable, verified, fast Python."""

__version__ = "0.1.0"

