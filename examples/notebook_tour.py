"""A first look at a trained toymem model from Python, as in a notebook.

Loads a run, draws one neuron's lookup table over the [A, B] grid with matplotlib (held-out
cells marked), and fits a scikit-learn logistic-regression probe for the label on the hidden
activations: trained on trained entities, scored on held-out ones, beside the base rate.

    .venv/bin/python examples/notebook_tour.py Results/pure/<hash> --figure neuron.png
"""
import argparse

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

import toymem  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", help="a completed run directory")
    parser.add_argument("--hook", default="blocks.0.mlp.hook_post")
    parser.add_argument("--figure", default="neuron.png")
    args = parser.parse_args()

    run = toymem.load_run(args.run)
    print(run)
    tables = run.table(args.hook)  # [A, B, width]
    neuron = int(np.argmax(tables.reshape(-1, tables.shape[2]).var(axis=0)))  # the most variable one
    a, b = run.data["inputs"][:, 0], run.data["inputs"][:, 1]
    heldout = run.data["split"] == 1

    fig, ax = plt.subplots(figsize=(5, 4.2), constrained_layout=True)
    limit = float(np.abs(tables[:, :, neuron]).max()) or 1.0
    image = ax.imshow(tables[:, :, neuron], cmap="RdBu_r", vmin=-limit, vmax=limit, origin="lower",
                      aspect="auto", interpolation="nearest")
    ax.scatter(b[heldout], a[heldout], s=2, c="black", marker="s", linewidths=0, label="held out")
    ax.set(xlabel="b (second token)", ylabel="a (first token)", title=f"{args.hook}, neuron {neuron}")
    fig.colorbar(image, ax=ax, label="activation")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), frameon=False)
    fig.savefig(args.figure, dpi=150)
    print(f"neuron {neuron}'s lookup table → {args.figure}")

    _, cache = run.forward(a, b, hooks=[args.hook])
    x, y = cache[args.hook], run.data["labels"].reshape(len(a), -1)[:, 0]
    probe = LogisticRegression(max_iter=2000).fit(x[~heldout], y[~heldout])
    base = np.bincount(y[~heldout]).argmax()
    print(f"probe accuracy on held-out entities: {probe.score(x[heldout], y[heldout]):.3f} "
          f"(base rate {(y[heldout] == base).mean():.3f})")


if __name__ == "__main__":
    main()
