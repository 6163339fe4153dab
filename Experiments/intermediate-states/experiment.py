"""Intermediate states in 2-layer MLPs: non-linear excess inherited by layer 1 against created by layer 0, and
label probes per layer on trained and held-out entities."""
import math
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from lab import Lab, analysis, cell, sem  # noqa: E402

lab = Lab("intermediate-states")
runs = lab.sweep("sweep.json", quick={"seed": [0, 1]})
HOOKS = {"hook_embed": "embedding", "blocks.0.mlp.hook_pre": "layer 0 pre", "blocks.0.mlp.hook_post": "layer 0 post",
         "blocks.1.mlp.hook_pre": "layer 1 pre", "blocks.1.mlp.hook_post": "layer 1 post"}
PROBE_TEST = 1500
rows = []
for _, run in runs.iterrows():
    a = analysis(run.path)
    row = {"task": run.task_kind, "seed": run.seed}
    for hook, name in HOOKS.items():
        row[f"interaction {name}"] = a["hooks"][hook]["interaction_share_median"]
    for p in a["probes"]:
        if p["feature"] == "label" and p["hook"] in HOOKS:
            row[f"label {p['regime']} {HOOKS[p['hook']]}"] = p["accuracy"]
            row[f"base {p['regime']} {HOOKS[p['hook']]}"] = p["base_rate"]
    rows.append(row)
table = pd.DataFrame(rows)
tasks = list(dict.fromkeys(table.task))

# 1. Layer-1 pre-activations carry non-linear excess (inherited from layer 0) in every task.
inherited = table.groupby("task")["interaction layer 1 pre"]
lowest_task = inherited.mean().idxmin()
low_mean, low_se = inherited.mean()[lowest_task], sem(table[table.task == lowest_task]["interaction layer 1 pre"])
lab.claim("layer1_inherits_excess", "Layer-1 neurons already carry non-linear excess before their activation, "
          "inherited from layer 0", low_mean, low_se, "median interaction share at layer 1 pre > 3 SE in every task",
          (inherited.mean() > 3 * inherited.apply(sem)).all(),
          "median interaction share of layer-1 pre-activations by task: "
          + ", ".join(f"{t} {cell(g)}" for t, g in inherited) + "; the pre-activation of layer 0 has none (a test)",
          headline=f"{', '.join(f'{t} {m:.2f}' for t, m in inherited.mean().items())}")

# 2. Is most of layer 1's excess inherited rather than created by its own activation?
table["inherited fraction"] = table["interaction layer 1 pre"] / table["interaction layer 1 post"]
fraction = table["inherited fraction"]
lab.claim("layer1_excess_mostly_inherited", "Most of the non-linear excess of layer-1 neurons is inherited, not "
          "created by their own activation", fraction.mean(), sem(fraction),
          "share at layer 1 pre / share at layer 1 post ≥ 0.5 (mean over runs, beyond 3 SE)",
          fraction.mean() - 3 * sem(fraction) >= 0.5,
          "ratio by task: " + ", ".join(f"{t} {cell(g)}" for t, g in table.groupby("task")["inherited fraction"])
          + "; layer 0 post, the excess layer 0 creates: "
          + ", ".join(f"{t} {cell(g)}" for t, g in table.groupby("task")["interaction layer 0 post"]),
          headline=f"{fraction.mean():.2f} ± {sem(fraction):.2f} of layer 1's excess is inherited")

# 3. On trained entities of pure memorisation, the label becomes readable gradually: partly after layer 0.
pure = table[table.task == "pure"]
binomial = math.sqrt(0.25 / PROBE_TEST) / math.sqrt(len(pure))
embed, middle, last = (pure[f"label trained {k}"] for k in ["embedding", "layer 0 post", "layer 1 post"])
se = max(sem(middle), binomial)
gradual = middle.mean() - embed.mean() > 3 * se and last.mean() - middle.mean() > 3 * se
way = (middle.mean() - embed.mean()) / (last.mean() - embed.mean())
lab.claim("label_readable_gradually", "In pure memorisation the label becomes linearly readable gradually, not all "
          "at once (probes on trained entities)", middle.mean(), se,
          "layer-0 probe above the embedding's and below layer 1's, each by > 3 SE", gradual,
          f"embedding {cell(embed)}, layer 0 {cell(middle)}, layer 1 {cell(last)}: layer 0 goes {way:.0%} of the "
          "way; SE is the larger of the seeds' and the binomial bound over 1,500 test entities",
          headline=f"{embed.mean():.2f} → {middle.mean():.2f} → {last.mean():.2f}")

interaction = ["| task | " + " | ".join(HOOKS.values()) + " | inherited / layer 1 post |", "|---" * 7 + "|"]
probes = ["| task | regime | " + " | ".join(["embedding", "layer 0 post", "layer 1 post"]) + " | base rate |",
          "|---" * 6 + "|"]
for task in tasks:
    g = table[table.task == task]
    interaction.append(f"| {task} | " + " | ".join(cell(g[f"interaction {n}"]) for n in HOOKS.values())
                       + f" | {cell(g['inherited fraction'])} |")
    for regime in ["trained", "heldout"]:
        probes.append(f"| {task} | {regime} | " + " | ".join(
            cell(g[f"label {regime} {n}"]) for n in ["embedding", "layer 0 post", "layer 1 post"])
            + f" | {cell(g[f'base {regime} layer 1 post'])} |")
lab.table("interaction", "\n".join(interaction))
lab.table("probes", "\n".join(probes))

fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
names = list(HOOKS.values())
for task, colour in zip(tasks, ["#0072B2", "#E69F00", "#009E73"]):
    g = table[table.task == task]
    axes[0].errorbar(range(len(names)), [g[f"interaction {n}"].mean() for n in names],
                     yerr=[g[f"interaction {n}"].std() for n in names], marker="o", capsize=3, color=colour, label=task)
    for regime, style in [("trained", "-"), ("heldout", "--")]:
        keys = ["embedding", "layer 0 post", "layer 1 post"]
        axes[1].errorbar(range(3), [g[f"label {regime} {k}"].mean() for k in keys],
                         yerr=[g[f"label {regime} {k}"].std() for k in keys], marker="o", capsize=3, color=colour,
                         ls=style, label=f"{task}, {regime}")
axes[0].set_xticks(range(len(names)), names, rotation=30, fontsize=8)
axes[0].set_ylabel("median interaction share")
axes[0].set_title("Non-linear excess per hook", fontsize=10)
axes[1].set_xticks(range(3), ["embedding", "layer 0 post", "layer 1 post"], fontsize=8)
axes[1].set_ylabel("label probe accuracy")
axes[1].set_title("Label probes per layer (solid: trained, dashed: held out)", fontsize=10)
axes[0].legend(fontsize=7)
axes[1].legend(fontsize=6)
fig.tight_layout()
lab.figure(fig, "interaction_and_probes_per_layer")
lab.finish()
