"""Rules before exceptions: learning curves per group, held-out accuracy against the exception rate, and whether
exceptions pull the held-out entities of their rows and columns away from the rule."""
import math
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from lab import Lab, analysis, cell, metrics  # noqa: E402

lab = Lab("rules-before-exceptions")
runs = lab.sweep("sweep.json", quick={"seed": [0, 1], "task.exception_rate": [0.1, 0.2]})
N_HELDOUT = 2000
LEARNED = 0.9
rows, curves = [], {}
for _, run in runs.iterrows():
    m = metrics(run.path)
    q = float(run["task.exception_rate"])
    curves[(q, run.seed)] = m
    x = analysis(run.path)["exceptions"]
    rows.append({
        "q": q, "seed": run.seed, "heldout": run.heldout_accuracy,
        "rule learned at": m[m.train_accuracy_rule >= LEARNED].step.min(),
        "exceptions learned at": m[m.train_accuracy_exception >= LEARNED].step.min(),
        "lowest exception accuracy": m.train_accuracy_exception.min(),
        "held-out rule-followers": m.heldout_accuracy_rule.iloc[-1],
        "held-out exceptions": m.heldout_accuracy_exception.iloc[-1],
        "slope": x["error_slope"], "slope se": x["error_slope_se"], "bins": x["by_exceptions"]})
table = pd.DataFrame(rows)

before = (table["rule learned at"] < table["exceptions learned at"]).all()
lab.claim("rules_before_exceptions", "Accuracy on rule-following entities rises before accuracy on exceptions",
          (table["exceptions learned at"] - table["rule learned at"]).mean(),
          (table["exceptions learned at"] - table["rule learned at"]).std(),
          f"trained rule-followers reach {LEARNED} before trained exceptions do, in every run", before,
          f"{len(table)} runs; steps to {LEARNED}: rule-followers {cell(table['rule learned at'], 0)}, exceptions "
          f"{cell(table['exceptions learned at'], 0)}; exceptions first fall to "
          f"{cell(table['lowest exception accuracy'])}"
          " (the model applies the rule to them) before they are memorised",
          headline=f"rule at step {cell(table['rule learned at'], 0)}, "
          f"exceptions at {cell(table['exceptions learned at'], 0)}")

by_q = table.groupby("q")
shortfall = by_q.heldout.mean() - (1 - by_q.heldout.mean().index)
se = pd.Series({q: math.sqrt((1 - q) * q / N_HELDOUT / len(g) + 1e-12) for q, g in by_q})
worst = (shortfall.abs() / se).idxmax()
lab.claim("heldout_reaches_one_minus_q", "Held-out accuracy reaches 1 − q, what the rule alone scores",
          shortfall[worst], se[worst], "|mean − (1 − q)| ≤ 3 SE at every exception rate q",
          (shortfall.abs() <= 3 * se).all(),
          "held-out minus 1 − q by q: " + ", ".join(f"{q:g}: {s:+.3f}" for q, s in shortfall.items())
          + f"; SE binomial over {N_HELDOUT} held-out entities per run",
          headline=f"{shortfall[worst]:+.3f} at q = {worst:g}")

pulled = (table.slope > 3 * table["slope se"]).all()
lab.claim("exceptions_pull_neighbours", "Exceptions pull their rows and columns: held-out rule-followers err more "
          "the more trained exceptions share their row or column", table.slope.mean(), table["slope se"].mean(),
          "error slope per neighbouring exception > 3 SE in every run", pulled,
          "slope by q: " + ", ".join(f"{q:g}: {cell(g.slope, 4)}" for q, g in by_q)
          + "; SE of each run's least-squares slope; held-out rule-followers score "
          + ", ".join(f"{cell(g['held-out rule-followers'])} at q = {q:g}" for q, g in by_q),
          headline=f"+{table.slope.mean():.4f} error per exception (SE {table['slope se'].mean():.4f})")

summary = ["| q | held-out acc. | 1 − q | held-out rule-followers | held-out exceptions | rule learned at | "
           "exceptions learned at | error per neighbouring exception | runs |", "|---" * 9 + "|"]
for q, g in by_q:
    summary.append(f"| {q:g} | {cell(g.heldout)} | {1 - q:.3f} | {cell(g['held-out rule-followers'])} | "
                   f"{cell(g['held-out exceptions'])} | {cell(g['rule learned at'], 0)} | "
                   f"{cell(g['exceptions learned at'], 0)} | {cell(g.slope, 4)} | {len(g)} |")
lab.table("results", "\n".join(summary))

fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
for (q, seed), m in sorted(curves.items()):
    if q != 0.1:
        continue
    for key, colour in [("train_accuracy_rule", "#0072B2"), ("train_accuracy_exception", "#D55E00"),
                        ("heldout_accuracy_rule", "#56B4E9"), ("heldout_accuracy_exception", "#E69F00")]:
        axes[0].plot(m.step, m[key], color=colour, lw=1, label=key.replace("_accuracy_", ", ") if seed == 0 else None)
axes[0].set_xscale("log")
axes[0].set_xlabel("step")
axes[0].set_ylabel("accuracy")
axes[0].set_title("q = 0.1: accuracy per group, every seed", fontsize=10)
axes[0].legend(fontsize=7)
for q, colour in zip(sorted(table.q.unique()), ["#0072B2", "#E69F00", "#009E73"]):
    pooled = pd.DataFrame([b for bins in table[table.q == q].bins for b in bins])
    pooled["right"] = pooled.accuracy * pooled.entities
    g = pooled.groupby("exceptions")[["right", "entities"]].sum()
    g = g[g.entities >= 30]
    axes[1].plot(g.index, 1 - g.right / g.entities, marker="o", ms=3, color=colour, label=f"q = {q:g}")
axes[1].set_xlabel("trained exceptions in the entity's row + column")
axes[1].set_ylabel("held-out error of rule-followers")
axes[1].set_title("Errors next to exceptions (bins of ≥ 30 entities)", fontsize=10)
axes[1].legend(fontsize=7)
fig.tight_layout()
lab.figure(fig, "groups_and_neighbours")
lab.finish()
