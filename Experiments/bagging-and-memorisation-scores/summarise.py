"""Tables and figures of the bagging and memorisation-score experiment.

usage: summarise.py MEMSCORE_DIR SWEEP_DIR FIGURES_DIR > results.md
Means ± sd are over seeds (memorisation scores) or over seeds and widths (bagging).
"""
import json
import pathlib
import shutil
import sys

import pandas as pd

import toymem

memscore, sweep, figures = map(pathlib.Path, sys.argv[1:4])
figures.mkdir(parents=True, exist_ok=True)
tasks = ["pure", "rule_of_thumb", "generalising"]

print("## Memorisation scores (50 models per seed, 70% subsets)\n")
print("| task | group | entities | mean mem | fraction > 0.5 | seconds per seed |")
print("|---|---|---|---|---|---|")
for task in tasks:
    seeds = sorted((memscore / task).glob("seed*"))
    summaries = [toymem.load_memscore(s)[1] for s in seeds]
    for group in summaries[0]["groups"]:
        means = pd.Series([s["groups"][group]["mean"] for s in summaries])
        above = pd.Series([s["groups"][group]["fraction_above_half"] for s in summaries])
        count = summaries[0]["groups"][group]["entities"]
        secs = pd.Series([s["seconds"] for s in summaries])
        print(f"| {task} | {group} | {count} | {means.mean():.3f} ± {means.std():.3f} | "
              f"{above.mean():.3f} ± {above.std():.3f} | {secs.mean():.0f} |")
    for name in ["mem_grid"] + [f"mem_{g}" for g in summaries[0]["groups"]]:
        shutil.copy(seeds[0] / "figures" / f"{name}.svg", figures / f"{task}_{name}.svg")

print("\n## Rule-followers' scores against the exceptions sharing their row or column\n")
print("| seed | correlation | mean mem by quartile of that count (count range) |")
print("|---|---|---|")
for seed in sorted((memscore / "rule_of_thumb").glob("seed*")):
    scores, _ = toymem.load_memscore(seed)
    exceptions = scores[scores["group"] == "exception"]
    rule = scores[scores["group"] == "rule"].copy()
    rule["exceptions"] = (rule["a"].map(exceptions.groupby("a").size()).fillna(0)
                          + rule["b"].map(exceptions.groupby("b").size()).fillna(0))
    quartiles = rule.groupby(pd.qcut(rule["exceptions"], 4, duplicates="drop"), observed=True)["mem"].mean()
    cells = ", ".join(f"{m:.3f} ({int(q.left) + 1}–{int(q.right)})" for q, m in quartiles.items())
    print(f"| {seed.name} | {rule['mem'].corr(rule['exceptions']):.2f} | {cells} |")

print("\n## Influence of trained on held-out entities, by relation\n")
print("Mean influence infl(i, j) over pairs (trained i, held-out j), averaged within each held-out entity, then")
print("over them; mean ± sd over seeds.\n")
relations = ["shares_row_or_column_same_label", "shares_row_or_column_other_label", "neither_same_label",
             "neither_other_label"]
print("| task | " + " | ".join(r.replace("_", " ") for r in relations) + " |")
print("|---|" + "---|" * len(relations))
for task in tasks:
    summaries = [toymem.load_memscore(s)[1] for s in sorted((memscore / task).glob("seed*"))]
    cells = []
    for relation in relations:
        values = pd.Series([s["influence"]["relations"][relation]["mean"] for s in summaries])
        cells.append(f"{values.mean():+.4f} ± {values.std():.4f}")
    print(f"| {task} | " + " | ".join(cells) + " |")

index = toymem.load_sweep(sweep)
index = index[index["status"] == "completed"]
print(f"\n## The bagging picture ({len(index)} runs: 3 widths × 3 seeds per task)\n")
columns = {"bagging_vote_accuracy_median": "median neuron accuracy (vote)",
           "bagging_error_correlation_median": "median error correlation"}
print("| task | " + " | ".join(columns.values()) + " | looks like a bag |")
print("|---|" + "---|" * (len(columns) + 1))
for task in tasks:
    group = index[index["task_kind"] == task]
    cells = [f"{group[c].mean():.3f} ± {group[c].std():.3f}" for c in columns]
    verdicts = group["bagging_verdict"].astype(str).str.lower()
    print(f"| {task} | " + " | ".join(cells) + f" | {(verdicts == 'true').sum()} of {len(group)} runs |")
    first = group.sort_values("path").iloc[0]
    shutil.copy(pathlib.Path(first["path"]) / "figures" / "bagging.svg", figures / f"{task}_bagging.svg")
