"""PNG plots written by the training CLI: learning curves and per-layer exponents."""

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def plot_curves(history, path):
    """Train loss and test accuracy per epoch, float pre-training then QAT."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    step = range(1, len(history) + 1)
    for phase in dict.fromkeys(h["phase"] for h in history):
        xs = [i for i, h in zip(step, history) if h["phase"] == phase]
        ax_loss.plot(xs, [h["loss"] for h in history if h["phase"] == phase], marker="o", label=phase)
        ax_acc.plot(xs, [h["test_acc"] for h in history if h["phase"] == phase], marker="o", label=phase)
    ax_loss.set(xlabel="epoch", ylabel="train loss", title="loss")
    ax_acc.set(xlabel="epoch", ylabel="test accuracy (%)", title="accuracy (QAT: golden-exact integer forward)")
    for ax in (ax_loss, ax_acc):
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_exponents(int_model, path):
    """Per layer: weight exponent (layers with weights) and shift of every output channel."""
    count = len(int_model.layers)
    fig, axes = plt.subplots(1, count, figsize=(4 * count, 3.5), squeeze=False)
    for i, (ax, layer) in enumerate(zip(axes[0], int_model.layers)):
        channels = range(layer.n)
        if layer.has_weights:
            ax.step(channels, layer.w_exp.expand(layer.n).tolist(), where="mid", label="e_w")
        ax.step(channels, int_model.shifts(i).tolist(), where="mid", label="shift")
        kind = "raw head" if layer.raw_output else f"e_out={layer.out_exp}"
        ax.set(title=f"layer {i} ({layer.kind}): e_in={int_model.layer_in_exp(i)}, {kind}", xlabel="output channel")
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
