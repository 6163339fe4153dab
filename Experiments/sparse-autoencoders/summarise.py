"""Tables and figures of the sparse-autoencoder experiment: means ± sd over 3 seeds per task and dictionary size.

usage: summarise.py SWEEP_DIR FIGURES_DIR > results.md
"""
import pathlib
import shutil
import sys

import pandas as pd

import toymem

sweep, figures = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
figures.mkdir(parents=True, exist_ok=True)
rows = []
for _, row in toymem.load_sweep(sweep).iterrows():
    if row["status"] != "completed":
        continue
    run = toymem.load_run(row["path"])
    sae = run.analysis["sae"]
    rows.append({"task": run.config["task"]["kind"], "d_sae": sae["d_sae"], "seed": run.config["seed"],
                 "trained": run.summary["train_accuracy"], "l0": sae["l0"], "explained": sae["explained_variance"],
                 "recovered": sae["accuracy_recovered"], "dead": sae["dead"], "dense": sae["dense"],
                 **{k: v for k, v in sae["census_fractions"].items()}, "path": row["path"]})
frame = pd.DataFrame(rows)
columns = ["trained", "l0", "explained", "recovered", "dead", "dense", "micro", "token", "rule", "label", "other"]
print(f"{len(frame)} runs; mean ± sd over seeds. Census columns are fractions of the live features.\n")
print("| task | d_sae | " + " | ".join(columns) + " |")
print("|---|---|" + "---|" * len(columns))
for (task, d_sae), group in frame.groupby(["task", "d_sae"], sort=False):
    cells = [f"{group[c].mean():.3f} ± {group[c].std():.3f}" for c in columns]
    print(f"| {task} | {d_sae} | " + " | ".join(cells) + " |")
for task, group in frame[frame["d_sae"] == frame["d_sae"].max()].groupby("task", sort=False):
    run_figures = pathlib.Path(group.sort_values("seed").iloc[0]["path"]) / "figures"
    for i, svg in enumerate(sorted(run_figures.glob("sae_feature_*.svg"))[:2]):
        shutil.copy(svg, figures / f"{task}_feature_{i}.svg")
