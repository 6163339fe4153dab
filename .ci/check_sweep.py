"""Scientific invariants of the CI sweep (Configs/sweeps/ci.json), read from its index.csv
through toymem's Python package, which also opens every run and recomputes its accuracies.

- every run completed;
- pure memorisation: trained entities memorised, held-out accuracy within noise of the base rate;
- generalising checkerboard: held-out accuracy high;
- layer-0 pre-activations are additive in the tokens: interaction share zero (to float rounding).
"""
import math
import sys

import toymem

index = toymem.load_sweep(sys.argv[1])
assert len(index) == 8, f"expected 8 runs, found {len(index)}"
assert (index["status"] == "completed").all(), index[["id", "status"]]
for _, row in index.iterrows():
    trained, heldout = toymem.load_run(row["path"]).accuracy()
    # float32 in a different summation order: at most one near-tie may flip (1,750 / 750 entities).
    assert abs(trained - row["train_accuracy"]) <= 1 / 1750 + 1e-12, row["id"]
    assert abs(heldout - row["heldout_accuracy"]) <= 1 / 750 + 1e-12, row["id"]

pure = index[index["task_kind"] == "pure"]
general = index[index["task_kind"] == "generalising"]
assert len(pure) == 4 and len(general) == 4
assert (pure["train_accuracy"] == 1).all(), pure["train_accuracy"]
# 750 held-out entities, p = 1/2: sd of a label-blind accuracy 0.018; difference of two such ≈ 0.026. Allow 4 sd.
tolerance = 4 * math.sqrt(2 * 0.25 / 750)
gap = (pure["heldout_accuracy"] - pure["base_rate"]).abs()
assert (gap < tolerance).all(), f"pure held-out accuracy departs from the base rate: {list(gap)} (tolerance {tolerance:.3f})"
assert (general["heldout_accuracy"] > 0.95).all(), general["heldout_accuracy"]
assert (index["interaction_share_pre0"] < 1e-9).all(), index["interaction_share_pre0"]
assert (index["interaction_share_post0"] > 0.01).all(), index["interaction_share_post0"]
print(f"sweep invariants hold: pure held-out − base rate ≤ {gap.max():.3f} (< {tolerance:.3f}), "
      f"generalising held-out ≥ {general['heldout_accuracy'].min():.3f}, "
      f"layer-0 pre interaction ≤ {index['interaction_share_pre0'].max():.1e}")
