"""pytest setup for the shiftkit package: import path, golden library, CLI path.

The golden library is found the way shiftkit.golden documents (SHIFTKIT_LIB, else
build/lib/libshiftkit.so); `make test-qat` builds it first. The shiftkit CLI is
$SHIFTKIT_CLI or build/bin/shiftkit.
"""

import os
import sys
from pathlib import Path

import pytest
import torch

QAT_DIR = Path(__file__).resolve().parents[1]
REPO = QAT_DIR.parent
sys.path.insert(0, str(QAT_DIR))

from shiftkit import golden  # noqa: E402

torch.set_num_threads(1)  # the machine is shared


@pytest.fixture(scope="session", autouse=True)
def golden_library():
    """Every test compares with the golden model: fail early and clearly without it."""
    path = golden.library_path()
    if not path.exists():
        pytest.exit(f"golden library {path} missing: run `make lib` (or set SHIFTKIT_LIB)", returncode=1)
    return golden.library()


@pytest.fixture(scope="session")
def shiftkit_cli():
    path = Path(os.environ.get("SHIFTKIT_CLI") or REPO / "build" / "bin" / "shiftkit")
    if not path.exists():
        pytest.skip(f"{path} not built (make build/bin/shiftkit)")
    return path
