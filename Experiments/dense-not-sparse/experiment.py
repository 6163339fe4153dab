"""Dense, not sparse: how many neurons hold each memorised fact, against width and task, beside the trivial
construction with one neuron per entity, built by hand and measured by the same analysis."""
import math
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from lab import Lab, analysis, cell, markdown_table, one_neuron_per_entity  # noqa: E402

lab = Lab("dense-not-sparse")
runs = lab.sweep("sweep.json", quick={"seed": [0, 1], "model.hidden": [[64], [256]]})
runs["width"] = [int(h.strip("[]")) for h in runs["model.hidden"]]
runs["participation_ratio_fraction_median"] = [
    analysis(p)["lookup"]["participation_ratio_fraction_median"] for p in runs.path]


def one_neuron_per_fact(weights, data):
    """Each entity's AND neuron writes its label's logit, and nothing else does."""
    A, B = one_neuron_per_entity(weights)
    classes = weights["unembed.W_U"].shape[1]
    neuron = data["inputs"][:, 0] * B + data["inputs"][:, 1]
    weights["unembed.W_U"] = np.zeros((A * B, classes), np.float32)
    weights["unembed.W_U"][neuron, data["labels"]] = 1
    weights["unembed.b_U"] = np.zeros(classes, np.float32)


hand_run = lab.hand_built("hand_built.json", "one_neuron_per_entity", one_neuron_per_fact, ["lookup"])
hand = analysis(hand_run)["lookup"]
hand_width = hand["components"]
trained = runs[runs.task_kind == "pure"]
k90 = trained.k90_fraction_median
lab.claim("memorisation_is_dense", "Memorisation is dense: a memorised fact is spread over many neurons, not held "
          "by a few", k90.min(), None,
          f"k90 / width ≥ 10 × that of one neuron per entity ({10 * hand['k90_fraction_median']:.3f}) in every "
          "pure-memorisation run", (k90 >= 10 * hand["k90_fraction_median"]).all() and hand["k90_median"] == 1,
          f"pure memorisation: k90 / width {cell(k90)} (smallest {k90.min():.3f}), participation ratio "
          f"{cell(trained.participation_ratio_median, 1)} neurons; the hand-built construction measures k90 = "
          f"{hand['k90_median']} and PR = {hand['participation_ratio_median']:.2f} of {hand_width} neurons",
          headline=f"k90 / width {k90.min():.2f}–{k90.max():.2f} against {hand['k90_fraction_median']:.3f} "
          "(one neuron) by hand")
# Does the number of neurons per fact grow with width (dense), or stay fixed (sparse)?
(slope, _), cov = np.polyfit(np.log2(trained.width), np.log2(trained.k90_median), 1, cov=True)
slope_se = math.sqrt(cov[0, 0])
lab.claim("k90_grows_with_width", "The neurons holding a fact grow with width, as in a dense code, rather than "
          "staying fixed as in a sparse one (pure memorisation)",
          slope, slope_se, "slope of log₂ k90 against log₂ width above 0.5 by 3 SE (0: sparse, 1: dense)",
          slope - 3 * slope_se > 0.5,
          f"least-squares slope over {len(trained)} runs, SE from the fit; slope 0 would mean a fixed number of "
          "neurons per fact (sparse), 1 a fixed fraction (dense)",
          headline=f"k90 ∝ width^{slope:.3f} ± {slope_se:.3f}")

lab.table("results", markdown_table(
    runs, ["task_kind", "width"], ["train_accuracy", "k90_median", "k90_fraction_median", "participation_ratio_median",
                                   "participation_ratio_fraction_median"],
    {"task_kind": "task", "train_accuracy": "trained acc.", "k90_median": "k90", "k90_fraction_median": "k90 / width",
     "participation_ratio_median": "PR", "participation_ratio_fraction_median": "PR / width"}))
lab.table("hand", "| model | width | k90 | k90 / width | PR | PR / width | check |\n|---|---|---|---|---|---|---|\n"
          f"| one neuron per entity (by hand) | {hand_width} | {hand['k90_median']} | "
          f"{hand['k90_fraction_median']:.4f} | {hand['participation_ratio_median']:.2f} | "
          f"{hand['participation_ratio_fraction_median']:.4f} | reconstruction error "
          f"{hand['reconstruction_max_error']:.1e} |")

fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
for task, colour in zip(["pure", "rule_of_thumb", "generalising"], ["#0072B2", "#E69F00", "#009E73"]):
    g = runs[runs.task_kind == task].groupby("width")
    for ax, key in zip(axes, ["k90_median", "participation_ratio_median"]):
        ax.errorbar(g[key].mean().index, g[key].mean().values, yerr=g[key].std().fillna(0).values, marker="o",
                    capsize=3, color=colour, label=task)
for ax, key, title in zip(axes, ["k90_median", "participation_ratio_median"], ["k90 (median over entities)",
                                                                                "participation ratio (median)"]):
    ax.axhline(1, color="k", ls=":", lw=1, label="one neuron per entity")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xlabel("width")
    ax.set_title(title, fontsize=10)
axes[0].legend(fontsize=7)
fig.tight_layout()
lab.figure(fig, "neurons_per_fact_vs_width")
lab.finish()
