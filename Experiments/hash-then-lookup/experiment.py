"""Hash, then lookup? The hash score calibrated on hand-built layers with known answers, a measure of what kind of
interaction a layer holds beside it, and both on trained pure-memorisation models and their shuffled controls."""
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
from lab import Lab, analysis, cell, one_neuron_per_entity  # noqa: E402

lab = Lab("hash-then-lookup")
runs = lab.sweep("sweep.json", quick={"seed": [0, 1]})
runs["depth"] = ["2 layers" if h.count(",") else "1 layer" for h in runs["model.hidden"]]


def calibration_layers(weights, data):
    """Additive pre-activations, then one AND per entity (a lookup), then a random code per entity (a hash)."""
    A, B = one_neuron_per_entity(weights)
    hidden = weights["blocks.1.mlp.W_in"].shape[1]
    weights["blocks.1.mlp.W_in"] = np.random.default_rng(0).standard_normal((A * B, hidden)).astype(np.float32)
    weights["blocks.1.mlp.b_in"] = np.zeros(hidden, np.float32)


calibration = lab.hand_built("hand_built.json", "calibration", calibration_layers, ["hash"])
hooks = analysis(calibration)["hooks"]
# A random hash's expected randomness on the (square) grid, or the 64 × 64 sub-grid of larger ones.
side = min(json.loads((calibration / "config.json").read_text())["task"]["domain"]["a"], 64) - 1
hash_level = 1 - (2 * math.sqrt(side)) ** 2 / side ** 2
additive, lookup, random_hash = (hooks[h] for h in ["blocks.0.mlp.hook_pre", "blocks.0.mlp.hook_post",
                                                    "blocks.1.mlp.hook_pre"])
lab.claim("hash_score_separates_additive_from_hash", "Calibration: the hash score reads 0 on an additive layer and "
          "about 1 on a random hash", random_hash["hash_score"] - additive["hash_score"], None,
          "additive < 0.01 and random hash within 0.1 of 1", additive["hash_score"] < 0.01
          and abs(random_hash["hash_score"] - 1) <= 0.1,
          f"hand-built layers: additive {additive['hash_score']:.3f}, random hash {random_hash['hash_score']:.3f}",
          headline=f"additive {additive['hash_score']:.3f}, hash {random_hash['hash_score']:.3f}")
lab.claim("hash_score_separates_lookup_from_hash", "Calibration: the hash score tells a lookup layer (one AND per "
          "entity) from a random hash", random_hash["hash_score"] - lookup["hash_score"], None,
          "hash minus lookup > 0.3, half the distance from additive to hash",
          random_hash["hash_score"] - lookup["hash_score"] > 0.3,
          f"hand-built: lookup {lookup['hash_score']:.3f}, random hash {random_hash['hash_score']:.3f}; the score "
          "measures how much of a hook is non-additive, and one-hot codes are as non-additive as random ones",
          headline=f"lookup {lookup['hash_score']:.3f} vs hash {random_hash['hash_score']:.3f}")
lab.claim("randomness_separates_lookup_from_hash", "Calibration: hash randomness tells ANDs (0) from a random hash "
          f"(the random-matrix value {hash_level:.3f})", random_hash["hash_randomness_median"],
          None, "ANDs < 0.01 and random hash within 0.05 of the random-matrix value",
          lookup["hash_randomness_median"] < 0.01 and abs(random_hash["hash_randomness_median"] - hash_level) <= 0.05,
          f"hand-built: ANDs {lookup['hash_randomness_median']:.3f}, random hash "
          f"{random_hash['hash_randomness_median']:.3f}, additive layer: no interaction (no score)",
          headline=f"ANDs {lookup['hash_randomness_median']:.3f}, hash {random_hash['hash_randomness_median']:.3f}")

rows = []
for _, run in runs.iterrows():
    for hook, v in analysis(run.path)["hooks"].items():
        rows.append({"depth": run.depth, "seed": run.seed, "hook": hook, **{k: v.get(k) for k in [
            "hash_score", "hash_score_shuffled", "hash_randomness_median", "hash_randomness_shuffled_median",
            "interaction_share_median"]}})
table = pd.DataFrame(rows)
first = table[(table.hook == "blocks.0.mlp.hook_post") & (table.depth == "1 layer")]
gap = first.hash_score - first.hash_score_shuffled
lab.claim("hash_score_separates_trained_from_shuffled", "The hash score of a trained first layer differs from its "
          "shuffled-weights control", gap.mean(), gap.std(), "|trained − shuffled| > 0.1 in every seed (1 layer)",
          (gap.abs() > 0.1).all(), f"trained {cell(first.hash_score)}, shuffled {cell(first.hash_score_shuffled)}",
          headline=f"trained {first.hash_score.mean():.2f} vs shuffled {first.hash_score_shuffled.mean():.2f}")
hidden = table[table.hook.str.endswith("hook_post")]
worst = hidden.hash_randomness_median.max()
lab.claim("early_layer_is_a_hash", "An early (hidden) layer of a pure-memorisation model acts like a hash",
          hidden.hash_randomness_median.mean(), hidden.hash_randomness_median.std(),
          f"median hash randomness of hidden layers ≥ half the random-hash value ({hash_level / 2:.2f})",
          hidden.hash_randomness_median.mean() >= hash_level / 2,
          f"every hidden layer, 1 and 2 layers: {cell(hidden.hash_randomness_median)} (largest {worst:.2f}); their "
          f"shuffled controls {cell(hidden.hash_randomness_shuffled_median)}; a random hash scores {hash_level:.2f}",
          headline=f"{hidden.hash_randomness_median.mean():.2f} (hash {hash_level:.2f}, AND 0)")
out = table[table.hook == "unembed.hook_out"]
inner = table[table.hook.str.startswith("blocks.") & table.interaction_share_median.notna()]


def hash_like(frame):
    """Both halves of a hash: mostly non-additive (interaction share ≥ 0.8) and random (≥ 0.8 × the hash value)."""
    return (frame.interaction_share_median >= 0.8) & (frame.hash_randomness_median >= 0.8 * hash_level)


lab.claim("lookup_assembled_at_readout", "The random table is assembled only at the read-out: the logits are "
          "hash-like, no hidden layer is", out.hash_randomness_median.mean(), out.hash_randomness_median.std(),
          "logits: interaction share ≥ 0.8 and hash randomness ≥ 0.8 × the hash value, in every run; every hidden "
          "hook fails one of the two", hash_like(out).all() and not hash_like(inner).any(),
          f"logits: interaction share {cell(out.interaction_share_median)}, randomness "
          f"{cell(out.hash_randomness_median)}; hidden hooks: interaction share at most "
          f"{inner.interaction_share_median.max():.2f}, randomness at most {inner.hash_randomness_median.max():.2f}",
          headline=f"logits {out.interaction_share_median.mean():.2f} / {out.hash_randomness_median.mean():.2f}; "
          f"hidden ≤ {inner.interaction_share_median.max():.2f} / {inner.hash_randomness_median.max():.2f}")

calibration = ["| hand-built hook | what it is | hash score | hash randomness |", "|---|---|---|---|"]
for hook, what in [("blocks.0.mlp.hook_pre", "additive (one-hot a + one-hot b)"),
                   ("blocks.0.mlp.hook_post", "one AND per entity (a lookup)"),
                   ("blocks.1.mlp.hook_pre", "random projection of the entity (a hash)"),
                   ("blocks.1.mlp.hook_post", "ReLU of the hash")]:
    r = hooks[hook]["hash_randomness_median"]
    calibration.append(f"| `{hook}` | {what} | {hooks[hook]['hash_score']:.3f} | "
                       f"{'— (no interaction)' if r is None else f'{r:.3f}'} |")
lab.table("calibration", "\n".join(calibration))
trained = ["| model | hook | hash score | shuffled | hash randomness | shuffled | interaction share |",
           "|---|---|---|---|---|---|---|"]
for (depth, hook), g in table.groupby(["depth", "hook"], sort=False):
    if hook in ("hook_embed",) or hook.endswith("hook_pre") and hook.startswith("blocks.0"):
        continue
    trained.append(f"| {depth} | `{hook}` | {cell(g.hash_score)} | {cell(g.hash_score_shuffled)} | "
                   f"{cell(g.hash_randomness_median)} | {cell(g.hash_randomness_shuffled_median)} | "
                   f"{cell(g.interaction_share_median) if g.interaction_share_median.notna().all() else '—'} |")
lab.table("results", "\n".join(trained))

fig, ax = plt.subplots(figsize=(7, 4))
for (depth, hook), g in table.groupby(["depth", "hook"], sort=False):
    if g.hash_randomness_median.isna().any():
        continue
    label = f"{depth}: {hook.replace('blocks.', 'b').replace('.mlp.hook_', ' ').replace('unembed.hook_out', 'logits')}"
    ax.scatter(g.hash_score, g.hash_randomness_median, s=25, label=label)
    ax.scatter(g.hash_score_shuffled, g.hash_randomness_shuffled_median, s=25, marker="x", color="grey")
for hook, marker, what in [("blocks.0.mlp.hook_post", "s", "hand-built ANDs"),
                           ("blocks.1.mlp.hook_pre", "D", "hand-built hash")]:
    ax.scatter(hooks[hook]["hash_score"], hooks[hook]["hash_randomness_median"], marker=marker, s=60, color="k",
               label=what)
ax.set_xlabel("hash score (how much is non-additive)")
ax.set_ylabel("hash randomness (what kind: 0 AND, high hash)")
ax.set_title("Hooks of trained models (dots), shuffled controls (grey ×), calibration (black)", fontsize=9)
ax.legend(fontsize=6)
lab.figure(fig, "score_vs_randomness")
lab.finish()
