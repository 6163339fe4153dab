#!/usr/bin/env bash
# Regenerates this experiment (tables, figures, verdicts.json); --quick: fewer seeds, verdicts only.
exec "$(dirname "$0")/../run-experiment" "$(dirname "$0")" "$@"
