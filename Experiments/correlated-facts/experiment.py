"""Correlated facts: the smallest width that memorises two facts per entity, against their correlation rho,
beside two single-fact models and the joint entropy of the facts."""
import json
import math
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from lab import Lab, cell, sem  # noqa: E402

lab = Lab("correlated-facts")
joint = lab.sweep("sweep.json", quick={"seed": [0], "task.correlation": [0, 0.8, 1]})
single = lab.sweep("single.json", quick={"seed": [0]})
C, MEMORISED = 4, 0.99


def prepare(runs):
    runs["width"] = [int(h.strip("[]")) for h in runs["model.hidden"]]
    runs["accuracy"] = [min(f["train_accuracy"] for f in s.get("facts", [s]))
                        for s in (json.loads((pathlib.Path(p) / "summary.json").read_text()) for p in runs.path)]
    return runs


def smallest(runs, keys):
    """Per group: the smallest width whose every fact is ≥ 99% right, and its parameter count."""
    out = []
    for key, g in runs.sort_values("width").groupby(keys):
        done = g[g.accuracy >= MEMORISED]
        out.append(dict(zip(keys, key if isinstance(key, tuple) else (key,)),
                        width=done.width.min() if len(done) else np.nan,
                        params=done.params.iloc[0] if len(done) else np.nan))
    return pd.DataFrame(out)


def joint_entropy(rho):
    """H(f0, f1) in bits: f0 uniform over C classes; f1 = a fixed relabelling of f0 with probability rho, else
    uniform."""
    p, q = rho + (1 - rho) / C, (1 - rho) / C
    conditional = -(p * math.log2(p) + ((C - 1) * q * math.log2(q) if q > 0 else 0))
    return math.log2(C) + conditional


joint, single = prepare(joint), prepare(single)
need = smallest(joint, ["task.correlation", "seed"])
one = smallest(single, ["seed"])
STEP = 4  # the width grid's step around the thresholds: a threshold is known to ±STEP/2


def width_se(x):
    """Standard error of a mean threshold width: the seeds' and the grid's quantisation (uniform, STEP/√12)."""
    return math.sqrt((sem(x) if len(x) > 1 else 0) ** 2 + STEP ** 2 / 12)


w1, w1_se = one.width.mean(), width_se(one.width)
by_rho = need.groupby("task.correlation")
w = by_rho.width.mean()
w_se = by_rho.width.apply(width_se)
rhos = list(w.index)

lab.claim("cheaper_as_correlation_rises", "Correlated facts are cheaper to store jointly: the width that memorises "
          "both falls as their correlation rises", w[rhos[0]] - w[rhos[-1]],
          math.hypot(w_se[rhos[0]], w_se[rhos[-1]]), "width at ρ = 0 minus width at ρ = 1 > 3 SE",
          w[rhos[0]] - w[rhos[-1]] > 3 * math.hypot(w_se[rhos[0]], w_se[rhos[-1]]),
          "smallest width memorising both facts by ρ: " + ", ".join(f"{r:g}: {cell(g.width, 1)}" for r, g in by_rho)
          + "; SE from the seeds and the width grid (±2 around the thresholds)",
          headline=" → ".join(f"{w[r]:.0f}" for r in rhos) + f" for ρ = {' → '.join(f'{r:g}' for r in rhos)}")

two = 2 * one.params.mean()
ratio = by_rho.params.mean() / two
lab.claim("joint_beats_two_models", "One model storing both facts needs fewer parameters than two single-fact "
          "models", ratio.max(), None, "parameters of the joint model / those of two single-fact models < 1 at every ρ",
          (ratio < 1).all(),
          "ratio by ρ: " + ", ".join(f"{r:g}: {x:.2f}" for r, x in ratio.items()) + f"; a single fact needs width "
          f"{cell(one.width, 1)} ({one.params.mean():.0f} parameters, 960 of them embeddings); in hidden width alone "
          f"two independent facts need {w[rhos[0]]:.0f} jointly against {2 * w1:.0f} in two models",
          headline=f"{ratio[rhos[0]]:.2f} at ρ = 0, {ratio[rhos[-1]]:.2f} at ρ = 1")

expected = pd.Series({r: w1 * joint_entropy(r) / math.log2(C) for r in rhos})
deviation = w - expected
expected_se = pd.Series({r: w1_se * joint_entropy(r) / math.log2(C) for r in rhos})
total_se = np.sqrt(w_se ** 2 + expected_se ** 2)
worst = (deviation.abs() / total_se).idxmax()
lab.claim("width_tracks_joint_entropy", "The width needed is proportional to the joint entropy H(f₀, f₁), one fact "
          "needing the width of a single-fact model", deviation[worst], total_se[worst],
          "|width − w₁ · H(f₀, f₁) / H(f)| ≤ 3 SE at every ρ", (deviation.abs() <= 3 * total_se).all(),
          "measured against expected width by ρ: " + ", ".join(f"{r:g}: {w[r]:.1f} vs {expected[r]:.1f}" for r in rhos)
          + "; H(f₀, f₁) / 2H(f) = " + ", ".join(f"{joint_entropy(r) / (2 * math.log2(C)):.2f}" for r in rhos),
          headline=f"largest gap {deviation[worst]:+.1f} at ρ = {worst:g}")

rows = ["| ρ | H(f₀, f₁) / 2H(f) | smallest width | expected from entropy | parameters | joint / two models | seeds |",
        "|---|---|---|---|---|---|---|"]
for r, g in by_rho:
    rows.append(f"| {r:g} | {joint_entropy(r) / (2 * math.log2(C)):.3f} | {cell(g.width, 1)} | {expected[r]:.1f} | "
                f"{cell(g.params, 0)} | {ratio[r]:.2f} | {len(g)} |")
rows.append(f"| one fact alone | 0.5 | {cell(one.width, 1)} | — | {cell(one.params, 0)} | — | {len(one)} |")
lab.table("results", "\n".join(rows))

fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
axes[0].errorbar(rhos, w.values, yerr=w_se.values, marker="o", capsize=3, color="#0072B2", label="measured")
fine = np.linspace(0, 1, 101)
axes[0].plot(fine, [w1 * joint_entropy(r) / math.log2(C) for r in fine], "k--", lw=1,
             label="w₁ · H(f₀, f₁) / H(f)")
axes[0].axhline(2 * w1, color="#D55E00", ls=":", label="two single-fact models (2 w₁)")
axes[0].axhline(w1, color="#009E73", ls=":", label="one fact (w₁)")
axes[0].set_xlabel("correlation ρ")
axes[0].set_ylabel("smallest width memorising both")
axes[0].legend(fontsize=7)
axes[0].set_title("Width needed against correlation (mean ± SE)", fontsize=10)
for (r, g), colour in zip(joint.groupby("task.correlation"), plt.cm.viridis(np.linspace(0, 0.9, len(rhos)))):
    m = g.groupby("width").accuracy.mean()
    axes[1].plot(m.index, m.values, marker="o", ms=3, color=colour, label=f"ρ = {r:g}")
m = single.groupby("width").accuracy.mean()
axes[1].plot(m.index, m.values, "k--", marker="s", ms=3, label="one fact")
axes[1].set_xscale("log", base=2)
axes[1].set_xlabel("width")
axes[1].set_ylabel("trained accuracy (worst fact)")
axes[1].legend(fontsize=7)
axes[1].set_title("Accuracy against width", fontsize=10)
fig.tight_layout()
lab.figure(fig, "width_vs_correlation")
lab.finish()
