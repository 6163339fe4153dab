#!/usr/bin/env bash
# Regenerates this experiment: runs the sweep (resuming if it was run before),
# then writes results.md (the table) and copies the sweep's figures here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
[ -x .build/release/toymem ] && [ -x .venv/bin/python ] || scripts/setup
sweep=Results/sweeps/memorise_vs_generalise
.build/release/toymem sweep Configs/sweeps/memorise_vs_generalise.json --out "$sweep"
.venv/bin/python "$here/summarise.py" "$sweep/index.csv" > "$here/results.md"
rm -rf "$here/figures"
cp -r "$sweep/figures" "$here/figures"
cp "$sweep/report.html" "$here/report.html"
echo "wrote $here/results.md, report.html and figures/"
