"""Pure memorisation: 100% on trained entities, the base rate on held-out ones, and no label
readable on held-out entities at any hook — for 1- and 2-layer MLPs, plain and residual."""
import math
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from lab import Lab, analysis, cell, markdown_table, sem  # noqa: E402

lab = Lab("pure-memorisation")
runs = lab.sweep("sweep.json", quick={"seed": [0, 1]})
runs["architecture"] = [("2-layer" if h.count(",") else "1-layer")
                        + (" residual" if str(r).lower() == "true" else " plain")
                        for h, r in zip(runs["model.hidden"], runs["model.residual"])]
CLASSES = 3
N_HELDOUT = 2000  # 20% of the 100 × 100 grid
PROBE_TEST = 1500  # held-out entities each probe is scored on (analysis settings: probe_sample)

# 1. Trained entities reach 100%.
lowest = runs.train_accuracy.min()
lab.claim("trained_accuracy", "Trained entities reach 100%", runs.train_accuracy.mean(), runs.train_accuracy.std(),
          "≥ 0.999 in every run", lowest >= 0.999,
          f"lowest of {len(runs)} runs: {lowest:.4f}; 0.999 allows 8 of the 8,000 trained entities to be wrong",
          headline=f"mean {runs.train_accuracy.mean():.4f}, lowest {lowest:.4f}")

# 2. Held-out accuracy sits at the base rate: no better than the majority class, no worse than chance.
p = runs.heldout_accuracy
se = math.sqrt((p * (1 - p) / N_HELDOUT).mean() / len(runs))
excess = (p - runs.base_rate).mean()
at_base = p.mean() <= runs.base_rate.mean() + 3 * se and p.mean() >= 1 / CLASSES - 3 * se
lab.claim("heldout_at_base_rate", "Held-out accuracy sits at the base rate", p.mean(), se,
          "1/C − 3 SE ≤ mean ≤ base rate + 3 SE", at_base,
          f"mean base rate {runs.base_rate.mean():.3f}, chance 1/C = {1 / CLASSES:.3f}; SE is binomial over "
          f"{N_HELDOUT} held-out entities per run and {len(runs)} runs; excess over the base rate {excess:+.4f}",
          headline=f"{p.mean():.3f} (base rate {runs.base_rate.mean():.3f}, SE {se:.3f})")

# 3. Label probes on held-out entities sit at the base rate at every hook.
rows = []
for _, run in runs.iterrows():
    for probe in analysis(run.path)["probes"]:
        if probe["feature"] == "label" and probe["regime"] in ("heldout", "trained"):
            rows.append({"architecture": run.architecture, "hook": probe["hook"], "regime": probe["regime"],
                         "accuracy": probe["accuracy"], "base_rate": probe["base_rate"]})
import pandas as pd  # noqa: E402

probes = pd.DataFrame(rows)
probes["excess"] = probes.accuracy - probes.base_rate
held = probes[probes.regime == "heldout"]
per_hook = held.groupby(["architecture", "hook"], sort=False).excess.agg(["mean", "count"])
probe_se = math.sqrt(0.5 * 0.5 / PROBE_TEST)  # the largest binomial SE of one probe's accuracy
worst = per_hook["mean"].max()
worst_key = per_hook["mean"].idxmax()
threshold = 3 * probe_se / math.sqrt(per_hook["count"].min())
lab.claim("heldout_probes_at_base_rate", "Label probes on held-out entities sit at the base rate at every hook",
          worst, probe_se / math.sqrt(per_hook["count"].min()),
          f"largest mean excess over the base rate ≤ 3 SE = {threshold:.3f}", worst <= threshold,
          f"{len(per_hook)} (architecture, hook) pairs; largest at {worst_key[1]} of {worst_key[0]}; SE binomial "
          f"(p = 1/2 bound) over {PROBE_TEST} held-out entities, averaged over seeds",
          headline=f"largest excess {worst:+.3f}")

# Tables and figure.
lab.table("results", markdown_table(
    runs, ["architecture"], ["train_accuracy", "heldout_accuracy", "base_rate", "bits_per_param",
                             "macrofeature_share"],
    {"train_accuracy": "trained acc.", "heldout_accuracy": "held-out acc.", "base_rate": "base rate",
     "bits_per_param": "bits / param", "macrofeature_share": "logit variance explained by rows + columns"}))
probe_rows = ["| architecture | hook | label probe, trained entities | label probe, held-out | held-out base rate |",
              "|---|---|---|---|---|"]
for (arch, hook), group in probes.groupby(["architecture", "hook"], sort=False):
    t, h = group[group.regime == "trained"], group[group.regime == "heldout"]
    probe_rows.append(f"| {arch} | `{hook}` | {cell(t.accuracy)} | {cell(h.accuracy)} | {cell(h.base_rate)} |")
lab.table("probes", "\n".join(probe_rows))

fig, ax = plt.subplots(figsize=(7.5, 3.6))
labels, positions = [], []
for i, ((arch, hook), group) in enumerate(held.groupby(["architecture", "hook"], sort=False)):
    ax.errorbar(i, group.excess.mean(), yerr=3 * max(sem(group.excess), 0), fmt="o", color="#0072B2")
    labels.append(f"{arch}\n{hook.replace('blocks.', 'b').replace('.mlp.hook_', ' ').replace('hook_', '')}")
    positions.append(i)
ax.axhline(0, color="#555", lw=0.8)
ax.set_xticks(positions, labels, rotation=60, ha="right", fontsize=7)
ax.set_ylabel("held-out label probe − base rate")
ax.set_title("Label probes on held-out entities (mean over seeds, ± 3 SE)")
lab.figure(fig, "heldout_probe_excess")
lab.finish()
