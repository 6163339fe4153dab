#!/usr/bin/env bash
# Regenerates this experiment (about 6 minutes on 2 cores): memorisation scores of the three
# example tasks over 3 seeds, the bagging picture from the analysed memorise-vs-generalise sweep
# (resumed if it was run before), then results.md and figures/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
[ -x .build/release/toymem ] && [ -x .venv/bin/python ] || scripts/setup
out=Results/experiments/bagging-and-memorisation-scores
for task in pure rule_of_thumb generalising; do
    for seed in 0 1 2; do
        .build/release/toymem memscore "Configs/$task.json" "seed=$seed" --models 50 --jobs 2 \
            --out "$out/memscore/$task/seed$seed"
    done
done
sweep=Results/sweeps/memorise_vs_generalise
.build/release/toymem sweep Configs/sweeps/memorise_vs_generalise.json --out "$sweep"
.venv/bin/python "$here/summarise.py" "$out/memscore" "$sweep" "$here/figures" > "$here/results.md"
echo "wrote $here/results.md and figures/"
