"""Dense, not sparse: how many neurons hold each memorised fact, against width and task, beside the trivial
construction with one neuron per entity, built by hand and measured by the same analysis."""
import json
import math
import pathlib
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from safetensors import safe_open  # noqa: E402
from safetensors.numpy import load_file, save_file  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from lab import ROOT, TOYMEM, Lab, analysis, cell, markdown_table, sem  # noqa: E402

lab = Lab("dense-not-sparse")
runs = lab.sweep("sweep.json", quick={"seed": [0, 1], "model.hidden": [[64], [256]]})
runs["width"] = [int(h.strip("[]")) for h in runs["model.hidden"]]
for key in ["participation_ratio_fraction_median"]:
    runs[key] = [analysis(p)["lookup"][key] for p in runs.path]


def hand_built():
    """One neuron per entity: neuron (a, b) fires 1 exactly on its entity and writes its label's logit."""
    run = lab.results / "one_neuron_per_entity"
    subprocess.run([str(TOYMEM), "run", str(lab.here / "hand_built.json"), "--out", str(run), "--force", "--quiet"],
                   cwd=ROOT, check=True, capture_output=True)
    path = run / "model.safetensors"
    with safe_open(path, "np") as f:
        metadata = f.metadata()
    w = load_file(path)
    data = load_file(run / "data.safetensors")
    A, B = w["embed.W_a"].shape[0], w["embed.W_b"].shape[0]
    classes = w["unembed.W_U"].shape[1]
    w["embed.W_a"] = np.eye(A, A + B, dtype=np.float32)
    w["embed.W_b"] = np.eye(B, A + B, k=A, dtype=np.float32)
    neuron = data["inputs"][:, 0] * B + data["inputs"][:, 1]
    w["blocks.0.mlp.W_in"] = np.zeros((A + B, A * B), np.float32)
    w["blocks.0.mlp.W_in"][data["inputs"][:, 0], neuron] = 1
    w["blocks.0.mlp.W_in"][A + data["inputs"][:, 1], neuron] = 1
    w["blocks.0.mlp.b_in"] = np.full(A * B, -1, np.float32)  # 1 + 1 − 1 on its entity, ≤ 0 elsewhere
    w["unembed.W_U"] = np.zeros((A * B, classes), np.float32)
    w["unembed.W_U"][neuron, data["labels"]] = 1
    w["unembed.b_U"] = np.zeros(classes, np.float32)
    save_file(w, str(path), metadata=metadata)
    subprocess.run([str(TOYMEM), "analyze", str(run), "--only", "lookup"], cwd=ROOT, check=True, capture_output=True)
    return analysis(run)["lookup"], A * B


hand, hand_width = hand_built()
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
