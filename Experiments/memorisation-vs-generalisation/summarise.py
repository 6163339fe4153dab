"""The table of the memorisation-vs-generalisation experiment: means over seeds (± sd) per task and width."""
import sys

import pandas as pd

index = pd.read_csv(sys.argv[1])
index = index[index["status"] == "completed"]
columns = {
    "heldout_accuracy": "held-out acc.",
    "base_rate": "base rate",
    "probe_label_heldout": "label probe, held-out",
    "probe_label_heldout_base_rate": "probe base rate",
    "bits_per_param": "bits / param",
    "k90_fraction_median": "k90 / width",
    "interaction_share_post0": "interaction share (post)",
    "hash_score_post0": "hash score",
    "hash_score_shuffled_post0": "hash score, shuffled",
}
groups = index.groupby(["task_kind", "model.hidden"], sort=False)
print(f"{len(index)} completed runs; mean ± sd over {groups.size().max()} seeds.\n")
print("| task | hidden | " + " | ".join(columns.values()) + " |")
print("|" + "---|" * (len(columns) + 2))
for (task, hidden), group in groups:
    cells = [f"{group[c].mean():.3f} ± {group[c].std():.3f}" for c in columns]
    print(f"| {task} | {hidden} | " + " | ".join(cells) + " |")
