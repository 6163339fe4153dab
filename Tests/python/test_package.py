"""The Python package (python/, installed into .venv by scripts/setup) against toymem's own numbers.

Tolerances: the engine and numpy both compute in float32 but sum in different orders; with at
most a few hundred terms per dot product the difference stays within about 1e-5 of the values'
scale, so activations are compared with rtol 1e-4 and atol 1e-5 · max|value|. Accuracies may differ
by at most one flipped near-tie per split.
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import tomllib

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

import toymem

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOYMEM = str(pathlib.Path(os.environ.get("TOYMEM", ROOT / ".build/release/toymem")).resolve())
EXAMPLES = sorted(p.name for p in (ROOT / "Configs").glob("*.json") if not p.name.endswith("schema.json"))
VARIANTS = [
    ["model.combine=concat", "model.hidden=[24,16]", "model.residual=true", "model.activation=gelu_erf"],
    ["model.hidden=[32,32]", "model.activation=gelu"],
]


def train(tmp_path, config, *overrides, name=None):
    out = tmp_path / (name or pathlib.Path(config).stem)
    subprocess.run([TOYMEM, "run", f"Configs/{config}", "train.steps=150", 'analyses=["interaction"]', *overrides,
                    "--out", str(out), "--quiet"], cwd=ROOT, check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every example config and two architecture variants, trained briefly with activation tables."""
    tmp = tmp_path_factory.mktemp("package")
    paths = [train(tmp, c) for c in EXAMPLES]
    paths += [train(tmp, "pure.json", *v, 'task.domain={"a": 30, "b": 20}', name=f"variant{i}")
              for i, v in enumerate(VARIANTS)]
    return paths


def close(actual, expected):
    scale = max(float(np.abs(expected).max()), 1e-6)
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-5 * scale)


def test_version_is_the_binarys():
    binary = subprocess.run([TOYMEM, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    project = tomllib.loads((ROOT / "python/pyproject.toml").read_text())["project"]["version"]
    assert toymem.__version__ == binary == project


def test_reader_reproduces_toymems_accuracies_and_activations(runs):
    for path in runs:
        run = toymem.load_run(path)
        facts = run.summary.get("facts", [run.summary])
        for f, reported in enumerate(facts):
            trained, heldout = run.accuracy(f)
            split = run.data["split"]
            assert abs(trained - reported["train_accuracy"]) <= 1 / (split == 0).sum() + 1e-12, (path, f)
            assert abs(heldout - reported["heldout_accuracy"]) <= 1 / (split == 1).sum() + 1e-12, (path, f)
        tables = run.analysis_tables
        assert tables, f"{path}: no activation tables to compare with"
        a, b = np.meshgrid(np.arange(run.spec.vocabulary_a), np.arange(run.spec.vocabulary_b), indexing="ij")
        _, cache = run.forward(a.ravel(), b.ravel(), hooks=list(tables))
        for hook, table in tables.items():
            close(cache[hook], table)
            close(run.table(hook).reshape(table.shape), table)


def test_forward_covers_every_architecture(runs):
    seen = set()
    for path in runs:
        spec = toymem.load_run(path).spec
        seen |= {spec.combine, spec.activation, f"residual={spec.residual}", f"facts={len(spec.classes)}",
                 f"layers={len(spec.hidden)}"}
    assert {"sum", "concat", "relu", "gelu", "gelu_erf", "residual=True", "residual=False", "facts=2",
            "layers=2"} <= seen


def test_torch_module_matches_numpy_and_the_files(runs):
    torch = pytest.importorskip("torch", reason="torch is optional for the package; scripts/setup installs it")
    for path in runs:
        run = toymem.load_run(path)
        module = run.to_torch()
        state = {k: v.detach().numpy() for k, v in module.state_dict().items()}
        assert sorted(state) == sorted(run.weights)
        for name, value in run.weights.items():
            np.testing.assert_array_equal(state[name], value)
        a, b = run.data["inputs"][:, 0], run.data["inputs"][:, 1]
        logits, cache = module.run_with_cache(torch.tensor(a), torch.tensor(b))
        numpy_logits, numpy_cache = run.forward(a, b, hooks="all")
        for t, n in zip(logits if isinstance(logits, list) else [logits],
                        numpy_logits if isinstance(numpy_logits, list) else [numpy_logits]):
            np.testing.assert_allclose(t.detach().numpy(), n, rtol=1e-5, atol=1e-5)
        assert sorted(cache) == sorted(numpy_cache) == sorted(run.spec.hook_names())
        for hook, table in run.analysis_tables.items():
            grid_a, grid_b = np.meshgrid(np.arange(run.spec.vocabulary_a), np.arange(run.spec.vocabulary_b),
                                         indexing="ij")
            _, grid_cache = module.run_with_cache(torch.tensor(grid_a.ravel()), torch.tensor(grid_b.ravel()))
            close(grid_cache[hook].detach().numpy(), table)
        total = sum(x.sum() for x in (logits if isinstance(logits, list) else [logits]))
        total.backward()
        for name, parameter in module.named_parameters():
            assert parameter.grad is not None and torch.isfinite(parameter.grad).all(), name
            assert parameter.grad.abs().sum() > 0, f"{name}: no gradient reached it"


def test_load_sweep_opens_every_run(tmp_path):
    spec = tmp_path / "tiny.json"
    spec.write_text(json.dumps({
        "base": {"task": {"domain": {"a": 12, "b": 10}}, "model": {"hidden": [8]},
                 "train": {"steps": 20, "batch_size": 16}},
        "parameters": {"seed": {"values": [0, 1]}, "model.activation": {"values": ["relu", "gelu"]}}}))
    out = tmp_path / "sweep"
    subprocess.run([TOYMEM, "sweep", str(spec), "--out", str(out), "--jobs", "2", "--no-report"], cwd=ROOT,
                   check=True, capture_output=True)
    index = toymem.load_sweep(out)
    assert len(index) == 4 and set(index["status"]) == {"completed"}
    for _, row in index.iterrows():
        run = toymem.load_run(row["path"])
        assert (run.config["seed"], run.config["model"]["activation"]) == (row["seed"], row["model.activation"])
        assert run.summary["train_accuracy"] == pytest.approx(row["train_accuracy"])


@pytest.mark.parametrize("damage,message", [
    ("running", "not completed"),
    ("nan", "tensor blocks.0.mlp.W_in holds NaN"),
    ("transposed", "tensor embed.W_a is float32 [64, 30]"),
    ("no-data", "data.safetensors is missing"),
    ("truncated", "model.safetensors is damaged"),
    ("labels", "labels or split hold values"),
])
def test_damaged_run_directories_are_refused(runs, tmp_path, damage, message):
    path = tmp_path / damage
    shutil.copytree(next(p for p in runs if p.name == "variant1"), path)
    if damage == "running":
        meta = json.loads((path / "meta.json").read_text())
        (path / "meta.json").write_text(json.dumps({**meta, "status": "running"}))
    elif damage in ("nan", "transposed"):
        w = load_file(path / "model.safetensors")
        if damage == "nan":
            w["blocks.0.mlp.W_in"][0, 0] = np.nan
        else:
            w["embed.W_a"] = np.ascontiguousarray(w["embed.W_a"].T)
        save_file(w, path / "model.safetensors")
    elif damage == "no-data":
        (path / "data.safetensors").unlink()
    elif damage == "truncated":
        (path / "model.safetensors").write_bytes((path / "model.safetensors").read_bytes()[:100])
    else:
        d = load_file(path / "data.safetensors")
        d["labels"][0] = 7
        save_file(d, path / "data.safetensors")
    with pytest.raises(toymem.RunDirectoryError, match=re.escape(message)):
        toymem.load_run(path)


def test_example_script_runs(runs, tmp_path):
    """examples/notebook_tour.py: loads a run, plots a neuron's table with matplotlib, fits a probe."""
    out = subprocess.run([os.sys.executable, str(ROOT / "examples/notebook_tour.py"), str(runs[0]),
                          "--figure", str(tmp_path / "neuron.png")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "neuron.png").stat().st_size > 1000
    assert re.search(r"probe accuracy on held-out entities: [0-9.]+ \(base rate [0-9.]+\)", out.stdout), out.stdout


def test_readme_snippet_runs(runs):
    text = (ROOT / "README.md").read_text()
    snippet = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    pure = next(p for p in runs if p.name == "pure")
    snippet = snippet.replace("Results/pure/<hash>", str(pure))
    namespace = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    assert namespace["run"].path == pure


def test_load_memscore_reads_the_scores(tmp_path):
    out = tmp_path / "memscore"
    subprocess.run([TOYMEM, "memscore", "Configs/rule_of_thumb.json", 'task.domain={"a": 20, "b": 20}',
                    "train.steps=200", "--models", "4", "--jobs", "2", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True)
    scores, summary = toymem.load_memscore(out)
    assert len(scores) == summary["entities"] == 320 and set(scores["group"]) <= {"rule", "exception"}
    scored = scores.dropna(subset=["mem"])
    assert ((scored["mem"] >= -1) & (scored["mem"] <= 1)).all()
    assert (scores["n_in"] + scores["n_out"] == 4).all()
    (out / "summary.json").unlink()
    with pytest.raises(toymem.RunDirectoryError, match="summary.json is missing"):
        toymem.load_memscore(out)


def test_influence_file_reproduces_the_summary(tmp_path):
    """influence.safetensors, read with the official safetensors reader: the relation means of summary.json
    recomputed from every (held-out, trained) pair, averaged within each held-out entity and then across."""
    out = tmp_path / "memscore"
    subprocess.run([TOYMEM, "memscore", "Configs/pure.json", 'task.domain={"a": 20, "b": 20}', "train.steps=300",
                    "--models", "6", "--jobs", "2", "--influence", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True)
    f, (_, summary) = toymem.load_influence(out), toymem.load_memscore(out)
    assert f["influence"].shape == f["se"].shape == (80, 320) and f["influence"].dtype == np.float32
    row = f["trained_a"][None, :] == f["held_out_a"][:, None]
    shares = row | (f["trained_b"][None, :] == f["held_out_b"][:, None])
    same = f["trained_label"][None, :] == f["held_out_label"][:, None]
    masks = {"shares_row_or_column_same_label": shares & same, "shares_row_or_column_other_label": shares & ~same,
             "neither_same_label": ~shares & same, "neither_other_label": ~shares & ~same}
    values = f["influence"].astype(np.float64)
    for relation, mask in masks.items():
        mask = mask & ~np.isnan(values)
        per_entity = [values[j][mask[j]].mean() for j in range(len(values)) if mask[j].any()]
        # float32 in the file, float64 in the summary.
        assert abs(np.mean(per_entity) - summary["influence"]["relations"][relation]["mean"]) < 1e-6
    assert np.nanmax(np.abs(values)) <= 1
    (out / "influence.safetensors").write_bytes(b"damaged")
    with pytest.raises(toymem.RunDirectoryError, match="influence.safetensors is damaged"):
        toymem.load_influence(out)


def test_sae_files_reproduce_the_reported_metrics(tmp_path):
    """SAELens's files, read with safetensors and numpy: x̂, L0 and the explained variance recomputed
    from the weights and the hook's activations match analysis/summary.json."""
    out = tmp_path / "sae"
    subprocess.run([TOYMEM, "run", "Configs/pure.json", 'task.domain={"a": 30, "b": 30}', "model.hidden=[32]",
                    "train.steps=600", 'analyses=["sae"]', "sae.steps=400", "--out", str(out), "--quiet"], cwd=ROOT,
                   check=True, capture_output=True)
    run = toymem.load_run(out)
    sae, reported = run.sae(), run.analysis["sae"]
    w = sae["weights"]
    assert w["W_enc"].shape == (32, reported["d_sae"]) and w["W_dec"].shape == (reported["d_sae"], 32)
    trained = run.data["split"] == 0
    a, b = run.data["inputs"][trained, 0], run.data["inputs"][trained, 1]
    _, cache = run.forward(a, b, hooks=[reported["hook"]])
    x = cache[reported["hook"]].astype(np.float64) * reported["activation_scale"]
    f = np.maximum(x @ w["W_enc"] + w["b_enc"], 0)
    x_hat = f @ w["W_dec"] + w["b_dec"]
    l0 = (f > 0).sum(axis=1).mean()
    explained = 1 - ((x - x_hat) ** 2).sum() / ((x ** 2).sum() - len(x) * (x.mean(axis=0) ** 2).sum())
    # float64 here, float32 in toymem: a feature within rounding of 0 may count differently (L0 ± 0.02).
    assert abs(l0 - reported["l0"]) < 0.02
    assert abs(explained - reported["explained_variance"]) < 1e-3
    density = (f > 0).mean(axis=0)
    np.testing.assert_allclose(sae["sparsity"], np.log10(density + 1e-10), atol=0.05)
