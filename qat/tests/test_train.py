"""A short digits run of the training CLI: every output file, report fields, zero
golden mismatches on the whole test set, vectors accepted by `shiftkit check`."""

import json
import subprocess

import numpy as np
import pytest

from shiftkit import skm, train


def test_short_digits_run(tmp_path, shiftkit_cli):
    out = tmp_path / "run"
    status = train.main(["--dataset", "digits", "--per-channel", "--weight-bits", "6", "--act-bits", "8",
                         "--rounding", "half_away", "--epochs", "2", "--qat-epochs", "1", "--vector-samples", "0",
                         "-o", str(out)])
    assert status == 0
    report = json.loads((out / "report.json").read_text())
    for key in ("fp32_acc", "float_scale_int8_acc", "pot_qat_acc", "golden_acc", "golden_mismatches", "weight_bits",
                "act_bits", "per_channel", "seed", "wall_time_s", "torch_ao_pot_acc", "torch_engine_vs_golden"):
        assert key in report, key
    assert report["golden_mismatches"] == 0
    assert report["golden_acc"] == report["pot_qat_acc"]
    assert report["test_samples"] == 450 and report["weight_bits"] == 6 and report["per_channel"] is True
    for name in ("model.skm", "curves.png", "exponents.png", "vectors/input.npy", "vectors/expected.npy",
                 "vectors/trace/layer00_acc.npy", "torch_ao_model.skm"):
        assert (out / name).stat().st_size > 0, name
    model = skm.load(out / "model.skm")
    # hidden layers per channel; the raw head per tensor, so argmax over its integers is the prediction
    assert [layer.per_channel for layer in model.layers] == [True, True, False] and model.layers[-1].raw_output
    assert all(layer.rounding == "half_away" for layer in model.layers)
    assert np.load(out / "vectors" / "input.npy").dtype == np.uint8
    labels, expected = np.load(out / "vectors" / "labels.npy"), np.load(out / "vectors" / "expected.npy")
    assert len(labels) == len(expected) == 450  # --vector-samples 0: the whole test set
    assert round(100 * float((expected.argmax(axis=1) == labels).mean()), 2) == report["golden_acc"]
    result = subprocess.run([str(shiftkit_cli), "check", str(out / "model.skm"), str(out / "vectors" / "input.npy"),
                             str(out / "vectors" / "expected.npy")], capture_output=True, text=True)
    assert result.returncode == 0 and "450 passed, 0 failed" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("argv,message", [
    (["--weight-bits", "9"], "--weight-bits must be in 2..8"),
    (["--hidden", "a,b"], "--hidden must be comma-separated"),
    (["--dataset", "cifar"], "invalid choice"),
])
def test_bad_arguments_are_usage_errors(argv, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        train.main(argv + ["-o", str(tmp_path)])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_missing_fashion_mnist_names_the_package(tmp_path):
    from shiftkit import data
    with pytest.raises(FileNotFoundError, match="dataset-fashion-mnist"):
        data.load_fashion_mnist(tmp_path)


def test_short_digits_cnn_run(tmp_path, shiftkit_cli):
    """--arch cnn: conv+ReLU, maxpool, conv+ReLU, maxpool, dense head; the torch.ao
    comparison runs on the same CNN; NHWC vectors pass `shiftkit check`."""
    out = tmp_path / "cnn"
    status = train.main(["--dataset", "digits", "--arch", "cnn", "--channels", "4,8", "--per-channel", "--epochs", "1",
                         "--qat-epochs", "1", "--vector-samples", "0", "-o", str(out)])
    assert status == 0
    report = json.loads((out / "report.json").read_text())
    assert report["golden_mismatches"] == 0 and report["golden_acc"] == report["pot_qat_acc"]
    assert report["channels"] == [4, 8] and report["input_shape"] == [1, 8, 8]
    assert report["torch_engine_vs_golden"]["half_even"]["outputs_differ"] == 0
    model = skm.load(out / "model.skm")
    assert [layer.kind for layer in model.layers] == ["conv2d", "maxpool", "conv2d", "maxpool", "dense"]
    assert [layer.kind for layer in skm.load(out / "torch_ao_model.skm").layers] == [layer.kind for layer in model.layers]
    inputs = np.load(out / "vectors" / "input.npy")
    assert inputs.shape == (450, 8, 8, 1) and inputs.dtype == np.uint8
    result = subprocess.run([str(shiftkit_cli), "check", str(out / "model.skm"), str(out / "vectors" / "input.npy"),
                             str(out / "vectors" / "expected.npy")], capture_output=True, text=True)
    assert result.returncode == 0 and "450 passed, 0 failed" in result.stdout, result.stdout + result.stderr
