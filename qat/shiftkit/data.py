"""Data sets for the training CLI, as float tensors whose power-of-two input scaling
makes the hardware input the raw pixel integers.

- digits: scikit-learn's embedded 8x8 digits (pixels 0..16), x = pixel / 16, input
  exponent -4, so the integer input is the pixel itself (unsigned 8-bit).
- fashion-mnist: the Debian package dataset-fashion-mnist (28x28, pixels 0..255),
  x = pixel / 256, input exponent -8, integer input = pixel.
"""

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")
DATASETS = ("digits", "fashion-mnist")


@dataclass
class Dataset:
    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    in_exp: int  # exponent at which x * 2^-in_exp is the integer pixel
    image_shape: tuple  # (C, H, W) of one sample; x_* hold the samples flattened
    classes: int = 10


def load(name, seed=0):
    if name == "digits":
        return load_digits(seed)
    if name == "fashion-mnist":
        return load_fashion_mnist()
    raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")


def load_digits(seed=0):
    """scikit-learn digits, a stratified 75/25 split fixed by seed."""
    from sklearn.datasets import load_digits as sk_load_digits
    from sklearn.model_selection import train_test_split

    digits = sk_load_digits()
    x_train, x_test, y_train, y_test = train_test_split(digits.data, digits.target, test_size=0.25,
                                                        random_state=seed, stratify=digits.target)
    as_x = lambda a: torch.tensor(a, dtype=torch.float32) / 16.0
    as_y = lambda a: torch.tensor(a, dtype=torch.int64)
    return Dataset("digits", as_x(x_train), as_y(y_train), as_x(x_test), as_y(y_test), in_exp=-4,
                   image_shape=(1, 8, 8))


def _read_idx(path, header_words):
    with gzip.open(path, "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=4 * header_words)


def load_fashion_mnist(directory=FASHION_MNIST_DIR):
    """Fashion-MNIST's official 60000/10000 split from the idx files."""
    directory = Path(directory)
    files = {key: directory / f"{key}-idx{3 if 'images' in key else 1}-ubyte.gz"
             for key in ("train-images", "train-labels", "t10k-images", "t10k-labels")}
    missing = [str(p) for p in files.values() if not p.exists()]
    if missing:
        raise FileNotFoundError(f"Fashion-MNIST not found ({', '.join(missing)}): install the Debian package "
                                f"dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist)")
    images = lambda key: torch.from_numpy(_read_idx(files[key], 4).reshape(-1, 784).astype(np.float32)) / 256.0
    labels = lambda key: torch.from_numpy(_read_idx(files[key], 2).astype(np.int64))
    return Dataset("fashion-mnist", images("train-images"), labels("train-labels"), images("t10k-images"),
                   labels("t10k-labels"), in_exp=-8, image_shape=(1, 28, 28))
