#!/usr/bin/env bash
# Regenerates this experiment (about 10 minutes on 2 cores): the sweep Configs/sweeps/sae_census.json
# (resumed if it was run before), then results.md and figures/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
[ -x .build/release/toymem ] && [ -x .venv/bin/python ] || scripts/setup
sweep=Results/sweeps/sae_census
.build/release/toymem sweep Configs/sweeps/sae_census.json --out "$sweep"
.venv/bin/python "$here/summarise.py" "$sweep" "$here/figures" > "$here/results.md"
echo "wrote $here/results.md and figures/"
