"""What every experiment shares: sweeps run through toymem, tables of mean ± sd over seeds, verdicts
computed from the measurements, and the generated parts of each README.

An experiment script does::

    lab = Lab("pure-memorisation")            # parses --quick
    runs = lab.sweep("sweep.json")            # index.csv as a DataFrame (completed runs only)
    lab.claim("trained_accuracy", "Trained entities reach 100%", value=..., uncertainty=...,
              threshold="≥ 0.999 in every run", passed=..., reasoning="...")
    lab.table("results", markdown)            # fills <!-- results --> … <!-- /results --> in README.md
    lab.figure(fig, "heldout_vs_q")           # figures/heldout_vs_q.svg
    lab.finish()                              # verdicts.json, README blocks

The full run writes `Experiments/<name>/verdicts.json`, the README's generated blocks and figures;
`--quick` (fewer seeds, smaller grids) writes only `Results/experiments-quick/<name>/verdicts.json`,
which `Experiments/run-all --quick` compares with the committed verdicts.
"""
import json
import math
import pathlib
import re
import subprocess
import sys

import matplotlib
import numpy as np
import pandas as pd

matplotlib.use("Agg")
# Fixed ids inside the SVGs, so a regenerated figure is byte-identical when its numbers are.
matplotlib.rcParams["svg.hashsalt"] = "toymem"

ROOT = pathlib.Path(__file__).resolve().parents[1]
TOYMEM = ROOT / ".build/release/toymem"
sys.path.insert(0, str(ROOT / "python"))
import toymem  # noqa: E402  (the package in python/, also when not installed)


class Lab:
    def __init__(self, name, argv=None):
        argv = sys.argv[1:] if argv is None else argv
        unknown = [a for a in argv if a != "--quick"]
        if unknown:
            sys.exit(f"usage: Experiments/{name}/run.sh [--quick]; unknown argument {unknown[0]!r}")
        self.name = name
        self.quick = "--quick" in argv
        self.here = ROOT / "Experiments" / name
        self.results = ROOT / "Results" / ("experiments-quick" if self.quick else "experiments") / name
        self.results.mkdir(parents=True, exist_ok=True)
        self.claims = []
        self.blocks = {}

    # --- running -----------------------------------------------------------------------------------

    def sweep(self, spec, quick=None, name=None):
        """Runs a sweep spec (a path relative to the experiment) and returns its completed runs.

        `quick` maps swept parameters to the values the quick version keeps, e.g. {"seed": [0, 1]}.
        The sweep resumes if it was run before; a failed run stops the experiment.
        """
        source = self.here / spec
        document = json.loads(source.read_text())
        base = document.get("base")
        if isinstance(base, str):  # the written spec moves: keep its base config where it was
            document["base"] = str((source.parent / base).resolve())
        if self.quick and quick:
            for path, values in quick.items():
                document["parameters"][path] = {"values": values}
        name = name or pathlib.Path(spec).stem
        document["name"] = f"{self.name}-{name}"
        written = self.results / f"{name}.spec.json"
        written.write_text(json.dumps(document, indent=2))
        out = self.results / name
        print(f"[{self.name}] sweep {name}{' (quick)' if self.quick else ''} → {out}", file=sys.stderr)
        result = subprocess.run([str(TOYMEM), "sweep", str(written), "--out", str(out), "--no-report"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            sys.exit(f"[{self.name}] sweep {name} failed:\n{result.stderr[-3000:]}")
        index = toymem.load_sweep(out)
        return index[index.status == "completed"].reset_index(drop=True)

    def hand_built(self, config, name, build, only):
        """A run directory whose weights are written by hand and then analysed by toymem.

        `config` (relative to the experiment) is trained for its (one) step only to create the run directory;
        `build(weights, data)` edits the dict of numpy weights in place (data: data.safetensors); the run is
        then analysed with `toymem analyze --only <only>`. Returns the run directory.
        """
        from safetensors import safe_open
        from safetensors.numpy import load_file, save_file

        def toymem(*arguments):
            subprocess.run([str(TOYMEM), *arguments], cwd=ROOT, check=True, capture_output=True)

        run = self.results / name
        toymem("run", str(self.here / config), "--out", str(run), "--force", "--quiet")
        path = run / "model.safetensors"
        with safe_open(path, "np") as f:
            metadata = f.metadata()
        weights = load_file(path)
        build(weights, load_file(run / "data.safetensors"))
        save_file(weights, str(path), metadata=metadata)
        toymem("analyze", str(run), "--only", *only)
        return run

    # --- verdicts ----------------------------------------------------------------------------------

    def claim(self, key, claim, value, uncertainty, threshold, passed, reasoning, headline=None):
        """Records one verdict. `value` and `uncertainty` are numbers (uncertainty: the sd or standard
        error the reasoning names); `threshold` says what the value is judged against."""
        self.claims.append({
            "claim": key, "statement": claim, "value": _number(value), "uncertainty": _number(uncertainty),
            "threshold": threshold, "passed": bool(passed), "reasoning": reasoning,
            "headline": headline or f"{_fmt(value)} ± {_fmt(uncertainty)}",
        })

    def table(self, block, markdown):
        self.blocks[block] = markdown.strip()

    def figure(self, fig, name):
        """Saves a matplotlib figure as figures/<name>.svg (full runs only)."""
        import matplotlib.pyplot as plt
        if not self.quick:
            (self.here / "figures").mkdir(exist_ok=True)
            fig.savefig(self.here / "figures" / f"{name}.svg", bbox_inches="tight", metadata={"Date": None})
        plt.close(fig)

    def finish(self):
        verdicts = {"experiment": self.name, "quick": self.quick, "claims": self.claims}
        target = self.results if self.quick else self.here
        (target / "verdicts.json").write_text(json.dumps(verdicts, indent=2) + "\n")
        if not self.quick:
            self.blocks["verdicts"] = verdict_table(self.claims)
            readme = self.here / "README.md"
            text = readme.read_text()
            for block, markdown in self.blocks.items():
                pattern = re.compile(rf"(<!-- {block} -->\n).*?(<!-- /{block} -->)", re.S)
                if not pattern.search(text):
                    sys.exit(f"{readme}: no <!-- {block} --> … <!-- /{block} --> block to fill")
                text = pattern.sub(lambda m: m.group(1) + markdown + "\n" + m.group(2), text)
            readme.write_text(text)
        for c in self.claims:
            print(f"[{self.name}] {'PASS' if c['passed'] else 'FAIL'} {c['claim']}: {c['headline']} "
                  f"({c['threshold']})", file=sys.stderr)


def one_neuron_per_entity(weights):
    """One-hot embeddings of a and b, and a first layer with one AND neuron per entity: neuron (a, b) has weights
    e_a + e_b and bias −1, so it is 1 on its own entity and ≤ 0 elsewhere. Returns the neuron index of each cell
    of the row-major grid."""
    A, B = weights["embed.W_a"].shape[0], weights["embed.W_b"].shape[0]
    weights["embed.W_a"] = np.eye(A, A + B, dtype=np.float32)
    weights["embed.W_b"] = np.eye(B, A + B, k=A, dtype=np.float32)
    a, b = np.divmod(np.arange(A * B), B)
    weights["blocks.0.mlp.W_in"] = np.zeros((A + B, A * B), np.float32)
    weights["blocks.0.mlp.W_in"][a, np.arange(A * B)] = 1
    weights["blocks.0.mlp.W_in"][A + b, np.arange(A * B)] = 1
    weights["blocks.0.mlp.b_in"] = np.full(A * B, -1, np.float32)
    return A, B


def verdict_table(claims):
    rows = ["| claim | measured | threshold | verdict | reasoning |", "|---|---|---|---|---|"]
    for c in claims:
        rows.append(f"| {c['statement']} | {c['headline']} | {c['threshold']} | "
                    f"**{'confirmed' if c['passed'] else 'not confirmed'}** | {c['reasoning']} |")
    return "\n".join(rows)


# --- statistics ------------------------------------------------------------------------------------

def mean_sd(values):
    values = np.asarray(values, dtype=float)
    return float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else 0.0


def sem(values):
    values = np.asarray(values, dtype=float)
    return float(values.std(ddof=1) / math.sqrt(len(values))) if len(values) > 1 else float("nan")


def cell(values, digits=3):
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return "—"
    m, s = mean_sd(values)
    return f"{m:.{digits}f} ± {s:.{digits}f}"


def markdown_table(frame, groups, columns, labels=None):
    """mean ± sd over seeds of `columns` per group of `groups`, as a markdown table."""
    labels = labels or {}
    head = [labels.get(g, g) for g in groups] + [labels.get(c, c) for c in columns] + ["runs"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, group in frame.groupby(groups, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        rows.append("| " + " | ".join([str(k) for k in key] + [cell(group[c]) for c in columns]
                                      + [str(len(group))]) + " |")
    return "\n".join(rows)


def analysis(run_path):
    return json.loads((pathlib.Path(run_path) / "analysis/summary.json").read_text())


def metrics(run_path):
    return pd.read_json(pathlib.Path(run_path) / "metrics.jsonl", lines=True)


def _number(x):
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else float(x)


def _fmt(x):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:.0f}"
