"""shiftkit: power-of-two quantization-aware training whose integer forward is the
golden datapath (docs/datapath.md), with export to .skm and a torch.ao drop-in.

    from shiftkit import ShiftNet, QuantInput, QuantLinear, export, export_vectors

See docs/qat.md. Submodules: arith (requantize), intmodel (integer network), skm
(file format), quantizers, modules, exporter, golden (ctypes binding to libshiftkit),
torch_ao (QConfig and to_skm), data, train (CLI).
"""

from .arith import ROUNDING_CODES
from .exporter import export, export_vectors
from .intmodel import IntLayer, IntModel, ModelError
from .modules import QuantInput, QuantLinear, ShiftNet
from .quantizers import PotQuantizer

__all__ = ["ROUNDING_CODES", "export", "export_vectors", "IntLayer", "IntModel", "ModelError", "QuantInput",
           "QuantLinear", "ShiftNet", "PotQuantizer"]
