"""Grokking: with weight decay, modular addition generalises long after the training set is memorised;
without it, held-out accuracy stays at the base rate for the same number of steps."""
import math
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from lab import Lab, cell, mean_sd, metrics  # noqa: E402

lab = Lab("grokking")
runs = lab.sweep("sweep.json", quick={"seed": [0, 1]})
N_HELDOUT = 384  # 40% of the 31 × 31 pairs
MEMORISED, GENERALISED = 0.99, 0.9
rows, curves = [], {}
for _, run in runs.iterrows():
    m = metrics(run.path)
    decay = float(run["train.optimizer.weight_decay"])
    curves[(decay, run.seed)] = m
    memorised = m[m.train_accuracy >= MEMORISED].step.min()
    generalised = m[m.heldout_accuracy >= GENERALISED].step.min()
    rows.append({"weight decay": decay, "seed": run.seed, "memorised at": memorised, "generalised at": generalised,
                 "gap": generalised - memorised, "final held-out": m.heldout_accuracy.iloc[-1],
                 "best held-out": m.heldout_accuracy.max(), "base rate": run.base_rate})
table = pd.DataFrame(rows)
wd, plain = table[table["weight decay"] > 0], table[table["weight decay"] == 0]

generalises = wd["generalised at"].notna().all() and (wd["final held-out"] >= GENERALISED).all()
lab.claim("weight_decay_generalises", "With weight decay, modular addition generalises to held-out pairs",
          wd["final held-out"].mean(), wd["final held-out"].std(), f"held-out ≥ {GENERALISED} at the end of every run",
          generalises,
          f"{len(wd)} seeds; final held-out accuracy {', '.join(f'{x:.3f}' for x in wd['final held-out'])}",
          headline=f"final held-out {cell(wd['final held-out'])}")
gap_mean, gap_sd = mean_sd(wd.gap)
late = bool(generalises) and (wd["generalised at"] >= 10 * wd["memorised at"]).all()
lab.claim("generalisation_long_after_memorisation", "Generalisation comes long after the training set is memorised",
          gap_mean, gap_sd, "generalisation step ≥ 10 × memorisation step in every seed", late,
          f"memorised (trained ≥ {MEMORISED}) at step {cell(wd['memorised at'], 0)}, generalised (held-out ≥ "
          f"{GENERALISED}) at step {cell(wd['generalised at'], 0)}; evaluations every 25 steps bound both to ±25",
          headline=f"memorised at {cell(wd['memorised at'], 0)}, generalised at {cell(wd['generalised at'], 0)}")
best = plain["best held-out"].max()
se = math.sqrt(plain["base rate"].mean() * (1 - plain["base rate"].mean()) / N_HELDOUT)
lab.claim("no_weight_decay_stays_at_base_rate", "Without weight decay, the same steps leave held-out accuracy at the "
          "base rate", best, se, "best held-out accuracy of every run ≤ base rate + 3 SE",
          best <= plain["base rate"].max() + 3 * se,
          f"{len(plain)} seeds; SE binomial at the base rate over {N_HELDOUT} held-out pairs; the runs memorise "
          f"(trained 100% at step {cell(plain['memorised at'], 0)}) but never rise above chance",
          headline=f"best held-out {best:.3f} (base rate {plain['base rate'].mean():.3f})")

summary = ["| weight decay | memorised at step | generalised at step | gap (steps) | final held-out | base rate "
           "| seeds |",
           "|---|---|---|---|---|---|---|"]
for decay, group in table.groupby("weight decay", sort=False):
    gen = cell(group["generalised at"], 0) if group["generalised at"].notna().all() else "never"
    gap = cell(group.gap, 0) if group.gap.notna().all() else "—"
    summary.append(f"| {decay:g} | {cell(group['memorised at'], 0)} | {gen} | {gap} | "
                   f"{cell(group['final held-out'])} | {cell(group['base rate'])} | {len(group)} |")
lab.table("results", "\n".join(summary))

fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
for ax, decay in zip(axes, [1.0, 0.0]):
    for (d, seed), m in sorted(curves.items()):
        if d != decay:
            continue
        ax.plot(m.step, m.train_accuracy, color="#0072B2", lw=1, alpha=0.8, label="trained" if seed == 0 else None)
        ax.plot(m.step, m.heldout_accuracy, color="#D55E00", lw=1, alpha=0.8, label="held out" if seed == 0 else None)
    ax.set_xscale("log")
    ax.set_xlabel("step")
    ax.set_title(f"weight decay {decay:g}")
axes[0].set_ylabel("accuracy")
axes[0].legend(fontsize=8)
fig.suptitle("Modular addition mod 31: accuracy against step, every seed")
lab.figure(fig, "accuracy_vs_step")
lab.finish()
