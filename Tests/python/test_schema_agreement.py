"""The JSON Schema and the loader give the same verdict on the same configs.

Both derive from one field table; this runs the official `jsonschema` validator and
`toymem validate` over a corpus of valid and invalid configs and requires that they agree.
Checks across fields (entities that fit the domain, a batch no larger than the training set)
are beyond a schema, so the corpus does not rely on them.
"""
import json
import os
import pathlib
import subprocess

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOYMEM = os.environ.get("TOYMEM", str(ROOT / ".build/release/toymem"))
SCHEMA = json.loads((ROOT / "Configs/toymem.schema.json").read_text())

CORPUS = [
    # valid
    {},
    {"task": {"kind": "rule_of_thumb", "rule": {"kind": "checkerboard", "block": 5}, "exception_rate": 0.2}},
    {"task": {"kind": "generalising", "rule": {"kind": "sum_mod"}, "classes": 7, "domain": {"a": 7, "b": 7}},
     "train": {"batch_size": "full"}},
    {"task": {"kind": "correlated", "facts": 3, "correlation": 0.5}},
    {"task": {"entities": None}},
    {"task": {"entities": 500}},
    {"train": {"optimizer": {"kind": "sgd", "momentum": 0.9}, "batch_size": "full"}},
    {"train": {"optimizer": {"kind": "adam", "betas": [0.8, 0.9], "eps": 1e-6}}},
    {"model": {"hidden": [8, 8], "residual": True, "activation": "gelu_erf", "combine": "concat"}},
    {"analyses": ["all"], "description": "x", "$schema": "y", "name": "ok-name.1"},
    {"train": {"optimizer": {"eps": 1e-30, "betas": [0.9, 0.9999999], "lr": 3e38}}},
    {"name": "n" * 128},
    {"analyses": ["sae"]},
    {"analyses": ["probes", "sae"], "sae": {"architecture": "topk", "k": 4, "d_sae": 100, "entities": "all"}},
    # invalid
    {"modle": {}},
    {"task": {"kind": "rule_of_thumb"}},
    {"task": {"rule": {"kind": "sum_mod"}}},
    {"task": {"exception_rate": 0.1}},
    {"task": {"kind": "rule_of_thumb", "rule": {"kind": "sum_mod"}, "facts": 2}},
    {"task": {"kind": "generalising", "rule": {"kind": "sum_mod", "block": 2}}},
    {"task": {"kind": "generalising", "rule": {"block": 2}}},
    {"task": {"heldout_fraction": 1}},
    {"task": {"classes": 1}},
    {"task": {"domain": {"a": 0}}},
    {"task": {"entities": 0}},
    {"train": {"steps": None}},
    {"train": {"steps": 2.5}},
    {"train": {"threads": 65}},
    {"train": {"batch_size": "half"}},
    {"train": {"optimizer": {"momentum": 0.5}}},
    {"train": {"optimizer": {"kind": "sgd", "eps": 1e-6}}},
    {"train": {"optimizer": {"betas": [0.9]}}},
    {"train": {"optimizer": {"lr": 0}}},
    {"model": {"hidden": []}},
    {"model": {"activation": "tanh"}},
    {"analyses": ["lookups"]},
    {"name": "has space"},
    {"seed": -1},
    # values that mean nothing in Float32, the engine's precision
    {"train": {"optimizer": {"eps": 1e-50}}},
    {"train": {"optimizer": {"betas": [0.9, 0.99999999999]}}},
    {"train": {"optimizer": {"lr": 1e39}}},
    # sizes beyond the Int32 tokens
    {"task": {"domain": {"a": 2147483648}}},
    {"task": {"kind": "generalising", "rule": {"kind": "checkerboard", "block": 3000000000}}},
    {"task": {"classes": 2147483648}},
    {"name": "n" * 129},
    # the sae section only when analyses lists "sae"
    {"sae": {}},
    {"analyses": ["all"], "sae": {"steps": 10}},
    {"analyses": ["sae"], "sae": {"k": 4}},
    {"analyses": ["sae"], "sae": {"architecture": "gated"}},
    {"analyses": ["sae"], "sae": {"lr": 0}},
]


@pytest.mark.parametrize("config", CORPUS, ids=[json.dumps(c)[:60] for c in CORPUS])
def test_schema_and_loader_agree(tmp_path, config):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(config))
    loader = subprocess.run([TOYMEM, "validate", str(path)], capture_output=True, text=True)
    assert loader.returncode in (0, 2), loader.stderr
    try:
        jsonschema.validate(config, SCHEMA)
        schema_ok = True
    except jsonschema.ValidationError:
        schema_ok = False
    assert schema_ok == (loader.returncode == 0), loader.stderr
