"""The continuum from a pure rule (q = 0) to pure memorisation (q = 1): every diagnostic against the fraction q
of entities whose label is redrawn at random."""
import math
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy.optimize import curve_fit  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from lab import Lab, analysis, markdown_table  # noqa: E402

lab = Lab("continuum")
runs = lab.sweep("sweep.json", quick={"seed": [0], "memscore.models": [8]})
C, N_HELDOUT = 2, 2000
runs["q"] = runs["task.exception_rate"] * C / (C - 1)
runs["depth"] = ["2 layers" if h.count(",") else "1 layer" for h in runs["model.hidden"]]
runs["expected_heldout"] = 1 - runs.q * (C - 1) / C


def held_out_probe(path, feature):
    probes = [p for p in analysis(path)["probes"]
              if p["feature"] == feature and p["regime"] == "heldout" and p["hook"].endswith("hook_post")]
    return probes[-1]["accuracy"]


runs["rule_probe_heldout"] = [held_out_probe(p, "rule") for p in runs.path]
by_q = runs.groupby("q")

# 1. Held-out accuracy against 1 − q (C − 1) / C.
shortfall = by_q.apply(lambda g: (g.heldout_accuracy - g.expected_heldout).mean())
se = by_q.apply(lambda g: math.sqrt((g.expected_heldout * (1 - g.expected_heldout) / N_HELDOUT).mean() / len(g)))
worst_q = (shortfall.abs() - 3 * se).idxmax()
follows = (shortfall.abs() <= 3 * se.clip(lower=1e-3)).all()
lab.claim("heldout_follows_rule", "Held-out accuracy follows 1 − q (C − 1) / C, what the rule alone would score",
          shortfall[worst_q], se[worst_q], "|mean − 1 + q/2| ≤ 3 SE at every q", follows,
          f"shortfall by q: {', '.join(f'{q:g}: {s:+.3f}' for q, s in shortfall.items())}; SE binomial over "
          f"{N_HELDOUT} held-out entities per run",
          headline=f"largest shortfall {shortfall[worst_q]:+.3f} at q = {worst_q:g}")

# 2. and 3. The macrofeature share: from about 1 to about 0, and the shape of the fall.
share = by_q.macrofeature_share.mean()
ends = share.loc[0.0] >= 0.9 and share.loc[1.0] <= 0.1
lab.claim("macrofeature_share_falls", "The logit variance a linear function of the macrofeatures explains falls from "
          "about 1 (q = 0) to about 0 (q = 1)", share.loc[0.0] - share.loc[1.0], None,
          "share ≥ 0.9 at q = 0 and ≤ 0.1 at q = 1", ends,
          f"mean share by q: {', '.join(f'{q:g}: {s:.3f}' for q, s in share.items())}",
          headline=f"{share.loc[0.0]:.3f} at q = 0 → {share.loc[1.0]:.3f} at q = 1")
interior = runs[(runs.q > 0) & (runs.q < 1)]
chord = share.loc[0.0] + (share.loc[1.0] - share.loc[0.0]) * interior.q
residual = interior.macrofeature_share - chord
res_mean, res_se = residual.mean(), residual.std(ddof=1) / math.sqrt(len(residual))
(gamma,), cov = curve_fit(lambda q, g: share.loc[0.0] * (1 - q) ** g, runs.q, runs.macrofeature_share, p0=[1.0])
lab.claim("macrofeature_share_linear", "The share falls linearly in q", res_mean, res_se,
          "mean distance from the straight line between q = 0 and q = 1 within 3 SE of 0",
          abs(res_mean) <= 3 * res_se,
          f"below the line by {-res_mean:.3f} on average; a power law share(0)·(1 − q)^γ fits with γ = {gamma:.2f} ± "
          f"{math.sqrt(cov[0, 0]):.2f} (γ = 1 is the line); no threshold: it falls at every step of q",
          headline=f"{res_mean:+.3f} from the line; (1 − q)^γ with γ = {gamma:.2f}")

columns = ["heldout_accuracy", "expected_heldout", "rule_probe_heldout", "probe_label_heldout", "macrofeature_share",
           "macrofeature_rule_share", "macrofeature_token_share", "k90_fraction_median", "interaction_share_post0",
           "bits_per_param", "bagging_error_correlation_median", "memscore_rule_mean", "memscore_exception_mean"]
labels = {"heldout_accuracy": "held-out acc.", "expected_heldout": "1 − q/2", "rule_probe_heldout": "rule probe",
          "probe_label_heldout": "label probe", "macrofeature_share": "macro share",
          "macrofeature_rule_share": "rule only", "macrofeature_token_share": "rows + cols only",
          "k90_fraction_median": "k90 / width", "interaction_share_post0": "interaction (post 0)",
          "bits_per_param": "bits / param", "bagging_error_correlation_median": "error corr. (bagging)",
          "memscore_rule_mean": "mem, rule-followers", "memscore_exception_mean": "mem, exceptions"}
lab.table("results", markdown_table(runs.sort_values(["depth", "q"]), ["depth", "q"], columns, labels))

fig, axes = plt.subplots(2, 4, figsize=(14, 6.2))
panels = [("held-out accuracy", ["heldout_accuracy"]), ("held-out probes (last hook_post)",
          ["rule_probe_heldout", "probe_label_heldout"]),
          ("logit variance explained", ["macrofeature_share", "macrofeature_rule_share", "macrofeature_token_share"]),
          ("k90 / width (median)", ["k90_fraction_median"]), ("interaction share, post 0", ["interaction_share_post0"]),
          ("bits / parameter", ["bits_per_param"]),
          ("memorisation score (mean)", ["memscore_rule_mean", "memscore_exception_mean"])]
styles = {"1 layer": "-", "2 layers": "--"}
for ax, (title, keys) in zip(axes.flat, panels):
    for key, colour in zip(keys, ["#0072B2", "#D55E00", "#009E73"]):
        for depth, group in runs.groupby("depth"):
            g = group.groupby("q")[key]
            ax.errorbar(g.mean().index, g.mean().values, yerr=g.std().fillna(0).values, ls=styles[depth],
                        color=colour, marker="o", ms=3, capsize=2,
                        label=f"{labels[key]}, {depth}" if len(keys) > 1 or key == "heldout_accuracy" else depth)
    if keys == ["heldout_accuracy"]:
        qs = np.linspace(0, 1, 50)
        ax.plot(qs, 1 - qs * (C - 1) / C, "k:", lw=1, label="1 − q (C − 1)/C")
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("q (fraction of labels redrawn)")
    ax.legend(fontsize=6)
fig.suptitle("From a rule (q = 0) to pure memorisation (q = 1): mean ± sd over seeds")
fig.tight_layout()
axes.flat[-1].axis("off")
lab.figure(fig, "diagnostics_vs_q")
lab.finish()
