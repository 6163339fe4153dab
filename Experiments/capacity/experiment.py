"""Capacity: bits memorised per parameter at the point where a model can no longer hold everything."""
import math
import pathlib
import sys

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from lab import Lab, analysis, markdown_table, mean_sd, sem  # noqa: E402

lab = Lab("capacity")
runs = lab.sweep("sweep.json", quick={"seed": [0, 1], "task.classes": [8], "model.hidden": [[16], [64], [64, 64]]})
runs["fraction_of_maximum"] = [analysis(p)["capacity"]["fraction_of_maximum"] for p in runs.path]
runs["width"] = [int(h.strip("[]").split(",")[0]) for h in runs["model.hidden"]]
runs["layers"] = [h.count(",") + 1 for h in runs["model.hidden"]]
# At capacity: the model could not memorise every fact, so its bits measure what it can hold.
SATURATED = 0.9
saturated = runs[runs.fraction_of_maximum < SATURATED]
full, deep = saturated[saturated.layers == 1], saturated[saturated.layers == 2]
m, sd = mean_sd(full.bits_per_param)
se = sem(full.bits_per_param)
lab.claim("bits_per_param_about_2", "At capacity a 1-layer MLP stores about 2 bits per parameter "
          "(Allen-Zhu & Li 2024; about 2 in published toy-model measurements)", m, se,
          "|mean − 2| ≤ 0.4 + 2 SE", abs(m - 2) <= 0.4 + 2 * se,
          f"{len(full)} runs below {SATURATED:.0%} of the maximum bits; sd {sd:.2f} over them; 0.4 is the ±20% "
          "spread of published figures across set-ups, 2 SE the sampling error of our mean",
          headline=f"{m:.2f} ± {se:.2f} bits/param (sd {sd:.2f}, {len(full)} runs)")
by_width = full.groupby("width").bits_per_param.mean()
# Does bits/param at capacity depend on width? Slope of bits/param against log2(width), with its standard error
# from the least-squares fit over the saturated runs.
(slope, _), cov = np.polyfit(np.log2(full.width), full.bits_per_param, 1, cov=True)
slope_se = math.sqrt(cov[0, 0])
lab.claim("capacity_proportional_to_parameters", "Capacity grows in proportion to parameters: bits/param at "
          "capacity does not depend on width", slope, slope_se, "|slope per doubling of width| ≤ 3 SE",
          abs(slope) <= 3 * slope_se,
          f"bits/param at capacity by width: {', '.join(f'{w}: {v:.2f}' for w, v in by_width.items())}; slope "
          "of a least-squares line against log2(width), SE from the fit",
          headline=f"{slope:+.3f} ± {slope_se:.3f} bits/param per doubling of width")
m2, sd2 = mean_sd(deep.bits_per_param)
se2 = sem(deep.bits_per_param)
lab.claim("two_layer_bits_per_param_about_2_4", "At capacity a 2-layer MLP stores about 2.4 bits per parameter "
          "(Z. Liu 2026)", m2, se2, "|mean − 2.4| ≤ 0.48 + 2 SE", abs(m2 - 2.4) <= 0.48 + 2 * se2,
          f"{len(deep)} 2-layer runs below {SATURATED:.0%} of the maximum bits; sd {sd2:.2f}; 0.48 is the same ±20% "
          "allowance as for the 1-layer figure",
          headline=f"{m2:.2f} ± {se2:.2f} bits/param (sd {sd2:.2f}, {len(deep)} runs)")
m_ne, sd_ne = mean_sd(full.bits_per_non_embedding_param)
lab.table("results", markdown_table(
    runs, ["task.classes", "task.entities", "model.hidden"],
    ["train_accuracy", "fraction_of_maximum", "bits_memorised", "params", "bits_per_param",
     "bits_per_non_embedding_param"],
    {"task.classes": "C", "task.entities": "entities", "model.hidden": "hidden", "train_accuracy": "trained acc.",
     "fraction_of_maximum": "bits / maximum", "bits_memorised": "bits", "bits_per_param": "bits / param",
     "bits_per_non_embedding_param": "bits / non-embedding param"}))
m2_ne, sd2_ne = mean_sd(deep.bits_per_non_embedding_param)
lab.table("plateau", f"At capacity, 1-layer ({len(full)} runs): **{m:.2f} ± {sd:.2f}** bits per parameter, "
          f"**{m_ne:.1f} ± {sd_ne:.1f}** bits per non-embedding parameter; 2-layer ({len(deep)} runs): "
          f"**{m2:.2f} ± {sd2:.2f}** and **{m2_ne:.1f} ± {sd2_ne:.1f}** (mean ± sd).")
fig, ax = plt.subplots(figsize=(6, 3.8))
colours = {}
for (classes, entities, layers), group in runs.groupby(["task.classes", "task.entities", "layers"]):
    g = group.groupby("params").bits_memorised
    key = (classes, entities)
    line = ax.errorbar(g.mean().index, g.mean().values, yerr=g.std().fillna(0).values, marker="o" if layers == 1
                       else "s", ls="-" if layers == 1 else "--", capsize=3, color=colours.get(key),
                       label=f"C = {classes}, {entities} entities, {layers} layer{'s' if layers > 1 else ''} "
                       f"(max {entities * math.log2(classes):.0f} bits)")
    colours[key] = line[0].get_color()
xs = sorted(runs.params.unique())
ax.plot(xs, [2 * x for x in xs], "k--", lw=0.8, label="2 bits / parameter")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("parameters")
ax.set_ylabel("bits memorised")
ax.set_title("Bits memorised against parameters (mean ± sd over seeds)")
ax.legend(fontsize=7)
lab.figure(fig, "bits_vs_params")
lab.finish()
