"""Hardware-exact modules: eval-mode outputs of QuantLinear / ShiftNet equal the C
golden model (sk_infer_flat) bit for bit, for every rounding mode, bit width,
per-tensor and per-channel exponents, raw heads, and at the shift and accumulator
edges; quantizers produce power-of-two exponents and in-range integers."""

import math

import pytest
import torch
from torch import nn

from shiftkit import QuantInput, QuantLinear, ShiftNet, golden
from shiftkit.arith import SHIFT_MAX, SHIFT_MIN
from shiftkit.intmodel import acc_bounds
from shiftkit.quantizers import PotQuantizer

MODES = ["floor", "half_up", "half_away", "half_even"]


def random_net(seed, w_bits, act_bits, per_channel, rounding, raw_head, sizes=(24, 16, 12, 5), in_signed=False):
    torch.manual_seed(seed)
    layers = []
    for i, (k, n) in enumerate(zip(sizes, sizes[1:])):
        last = i == len(sizes) - 2
        layers.append(QuantLinear(k, n, w_bits=w_bits, per_channel=per_channel, out_bits=act_bits,
                                  relu=not last and i % 2 == 0, rounding=rounding, raw_output=last and raw_head))
    net = ShiftNet(QuantInput(act_bits, signed=in_signed), layers)
    with torch.no_grad():
        for layer in layers:  # spread channel magnitudes so per-channel exponents differ
            layer.weight.mul_(torch.logspace(-3, 1, layer.out_features, base=2).unsqueeze(1))
            layer.bias.mul_(4)
    x = torch.randn(64, sizes[0]) * 2
    net.calibrate([x])
    # evaluate beyond the calibrated range too, so outputs saturate
    return net.eval(), torch.cat([x, 3 * x])


@pytest.mark.parametrize("rounding", MODES)
@pytest.mark.parametrize("bits", range(2, 9))
def test_eval_forward_equals_golden(rounding, bits):
    for per_channel in (False, True):
        for raw_head in (False, True):
            net, x = random_net(bits * 10 + per_channel, bits, bits, per_channel, rounding, raw_head,
                                in_signed=per_channel)
            model = net.integer_model()
            x_int = net.input_to_int(x)
            golden_out = golden.infer(model, x_int)
            assert torch.equal(model(x_int), golden_out)
            # the module-level eval forward (real values) is the same integers scaled
            y = net(x).to(torch.float64)
            head = model.layers[-1]
            exp = (model.layer_in_exp(len(model.layers) - 1) + head.w_exp) if head.raw_output else head.out_exp
            assert torch.equal(y * torch.pow(2.0, -torch.as_tensor(exp, dtype=torch.float64)),
                               golden_out.to(torch.float64))


def ties_and_clamps(model, x_int):
    """(rounding ties, outputs clamped at the type's maximum) over every requantizing
    layer of an integer model on x_int (HWC outputs: channel fastest)."""
    trace = []
    model(x_int, trace)
    ties = clamps = 0
    for i, (acc, out) in enumerate(trace):
        layer = model.layers[i]
        if layer.kind == "maxpool" or layer.raw_output:
            continue
        s = model.shifts(i).repeat(acc.shape[1] // layer.n)
        pos = s > 0
        ties += int(((acc[:, pos] % (2 ** s[pos])) == 2 ** (s[pos] - 1)).sum())
        hi = 2 ** (layer.out_bits - (1 if layer.out_signed else 0)) - 1
        clamps += int((out == hi).sum())
    return ties, clamps


def test_requantized_outputs_exercise_ties_and_saturation():
    """The random nets above are not trivial: ties and clamps do occur."""
    net, x = random_net(1, 4, 4, True, "half_up", False)
    ties, clamps = ties_and_clamps(net.integer_model(), net.input_to_int(x))
    assert ties > 0 and clamps > 0


def test_shift_edges_are_clamped_into_range_and_exact():
    """Tiny and huge weight channels would need shifts beyond 31 and below -16; the
    layer moves those exponents to the range edge and the model stays golden-exact."""
    layer = QuantLinear(8, 4, per_channel=True, rounding="half_away")
    with torch.no_grad():
        layer.weight.copy_(torch.randn(4, 8) * torch.tensor([[1e-30], [1.0], [1e12], [0.0]]))
        layer.bias.zero_()
    layer.out_quant = PotQuantizer(8, signed=True, mode="fixed", fixed_exp=0)
    net = ShiftNet(QuantInput(8, signed=True), [layer])
    x = torch.randn(32, 8)
    net.calibrate([x])
    net.eval()
    model = net.integer_model()
    shifts = model.shifts(0)
    assert shifts.min() >= SHIFT_MIN and shifts.max() <= SHIFT_MAX
    assert SHIFT_MAX in shifts.tolist() and SHIFT_MIN in shifts.tolist()
    x_int = net.input_to_int(x)
    assert torch.equal(model(x_int), golden.infer(model, x_int))


def test_bias_is_clamped_to_the_accumulator_bound():
    """A bias that would break the §3 bound is clamped so that the golden loader
    accepts the model, and the outputs still match."""
    layer = QuantLinear(4, 2, rounding="floor")
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[1.0, -1.0, 1.0, 1.0], [0.5, 0.5, 0.5, 0.5]]))
        layer.bias.copy_(torch.tensor([1e9, -1e9]))
    net = ShiftNet(QuantInput(8, signed=True, mode="fixed", fixed_exp=-20), [layer])
    x = torch.randn(16, 4) * 1e-5
    net.calibrate([x])
    net.eval()
    model = net.integer_model()
    lo, hi = acc_bounds(model.layers[0].weights, model.layers[0].bias, 8, True)
    assert int(hi[0]) == 2**31 - 1 and int(lo[1]) == -(2**31)  # pinned exactly at the bound
    x_int = net.input_to_int(x)
    assert torch.equal(model(x_int), golden.infer(model, x_int))


@pytest.mark.parametrize("bits", range(2, 9))
def test_weight_quantizer_is_power_of_two_and_narrow(bits):
    torch.manual_seed(bits)
    w = torch.randn(6, 10) * torch.tensor([[0.01], [0.1], [1], [3], [100], [0.5]])
    q = PotQuantizer(bits, narrow=True, channels=6, running=False)
    q.observe(w)
    e = q.exponent()
    q_max = 2 ** (bits - 1) - 1
    for c in range(6):
        m = float(w[c].abs().max())
        # smallest e with max |w| / 2^e <= q_max (no clipping): the spec of "stats"
        assert m / 2.0 ** int(e[c]) <= q_max < m / 2.0 ** (int(e[c]) - 1)
    ints = q.to_int(w, e)
    assert ints.abs().max() <= q_max


def test_learned_threshold_gets_a_gradient_and_moves_the_exponent():
    torch.manual_seed(0)
    q = PotQuantizer(4, signed=True, mode="learned")
    x = torch.randn(1000)
    q.observe(x)
    e0 = int(q.exponent())
    opt = torch.optim.Adam(q.parameters(), lr=0.05)
    for _ in range(50):  # a loss that wants a wider range: reconstruct 10x larger values
        loss = ((q.fake_quant(x * 10, q.exponent_float()) - x * 10) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        assert q.log2_threshold.grad is not None and q.log2_threshold.grad.abs().sum() > 0
        opt.step()
    assert int(q.exponent()) > e0


def test_from_float_copies_and_fuses():
    seq = nn.Sequential(nn.Flatten(), nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3))
    net = ShiftNet.from_float(seq, QuantInput(8, signed=True))
    assert [layer.relu for layer in net.layers] == [True, False]
    assert net.layers[-1].raw_output
    assert torch.equal(net.layers[0].weight, seq[1].weight)
    with pytest.raises(ValueError, match="unsupported module Conv1d"):
        ShiftNet.from_float(nn.Sequential(nn.Conv1d(1, 1, 1)), QuantInput())


def test_eval_before_statistics_is_a_clear_error():
    net = ShiftNet(QuantInput(8), [QuantLinear(3, 2)]).eval()
    with pytest.raises(RuntimeError, match="no statistics yet"):
        net(torch.zeros(1, 3))


def test_training_forward_tracks_the_integer_forward():
    """Fake quantization (training) and the integer path (eval) compute the same
    function up to float rounding of the accumulation: outputs agree to one step."""
    net, x = random_net(7, 8, 8, True, "half_up", False)
    y_eval = net(x)
    net.train()
    for q in net.modules():
        if isinstance(q, PotQuantizer):
            q.momentum = 0.0  # freeze the statistics for the comparison
    with torch.no_grad():
        y_train = net(x)
    step = 2.0 ** net.integer_model().layers[-1].out_exp
    assert float((y_train - y_eval).abs().max()) <= step * (1 + 1e-6)
    assert math.isclose(float((y_train == y_eval).float().mean()), 1.0, abs_tol=0.02)


def test_wrong_input_width_is_a_clear_error():
    net, x = random_net(2, 8, 8, False, "floor", False)
    with pytest.raises(ValueError, match="input has 23 features per sample, the first layer takes 24"):
        net(x[:, :23])


def test_learned_exponents_train_and_stay_golden_exact():
    torch.manual_seed(3)
    seq = nn.Sequential(nn.Linear(16, 12), nn.ReLU(), nn.Linear(12, 4))
    net = ShiftNet.from_float(seq, QuantInput(8, signed=True), w_bits=5, act_bits=6, per_channel=True,
                              rounding="half_even", mode="learned")
    x, y = torch.randn(128, 16), torch.randint(0, 4, (128,))
    net.calibrate([x])
    thresholds = [p for n, p in net.named_parameters() if n.endswith("log2_threshold")]
    before = [t.detach().clone() for t in thresholds]
    opt = torch.optim.Adam(net.parameters(), lr=0.05)
    for _ in range(20):
        loss = nn.functional.cross_entropy(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert len(thresholds) == 3 and any  # two weight quantizers, one hidden output(not torch.equal(a, b) for a, b in zip(before, thresholds))
    net.eval()
    model = net.integer_model()
    x_int = net.input_to_int(x)
    assert torch.equal(model(x_int), golden.infer(model, x_int))
