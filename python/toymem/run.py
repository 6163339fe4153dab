"""A completed toymem run directory, checked and loaded."""
import json
import pathlib

import numpy as np

from .errors import RunDirectoryError
from .model import ModelSpec, forward


def load_run(path):
    """The completed run in directory `path`; raises RunDirectoryError if it is not one."""
    return Run(path)


def _safetensors(directory, name):
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    path = directory / name
    if not path.is_file():
        raise RunDirectoryError(f"{directory}: {name} is missing")
    try:
        return load_file(str(path))
    except (SafetensorError, OSError, ValueError) as error:
        raise RunDirectoryError(f"{directory}: {name} is damaged: {error}") from error


def _json(directory, name, required=True):
    path = directory / name
    if not path.is_file():
        if required:
            raise RunDirectoryError(f"{directory}: {name} is missing")
        return None
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RunDirectoryError(f"{directory}: {name} is damaged: {error}") from error


class Run:
    """A completed run: everything in its directory, checked against its config on load.

    Attributes: `path`, `config` (the resolved config.json), `meta`, `summary`, `spec`
    (the architecture), `weights` (name → array, as in model.safetensors) and `data`
    (`inputs` [N, 2] int32, `labels` [N] or [N, F] int32, `split` [N] uint8, 1 = held out).
    `metrics`, `analysis` and `neurons` are read when first used.
    """

    def __init__(self, path):
        self.path = pathlib.Path(path)
        if not self.path.is_dir():
            raise RunDirectoryError(f"{self.path}: no such run directory")
        self.meta = _json(self.path, "meta.json")
        if not isinstance(self.meta, dict) or self.meta.get("status") != "completed":
            status = self.meta.get("status") if isinstance(self.meta, dict) else None
            raise RunDirectoryError(f"{self.path}: the run is not completed (status {status})")
        self.config = _json(self.path, "config.json")
        try:
            self.spec = ModelSpec.from_config(self.config)
        except (KeyError, TypeError) as error:
            raise RunDirectoryError(f"{self.path}: config.json is damaged: no {error}") from error
        self.summary = _json(self.path, "summary.json")
        self.weights = _safetensors(self.path, "model.safetensors")
        for name, shape in self.spec.parameter_layout():
            self._check("model.safetensors", self.weights, name, np.float32, shape)
            if not np.isfinite(self.weights[name]).all():
                raise RunDirectoryError(f"{self.path}: model.safetensors: tensor {name} holds NaN or infinite values")
        self.data = _safetensors(self.path, "data.safetensors")
        n = self.data["split"].shape[0] if "split" in self.data else None
        facts = len(self.spec.classes)
        self._check("data.safetensors", self.data, "split", np.uint8, (n,))
        self._check("data.safetensors", self.data, "inputs", np.int32, (n, 2))
        self._check("data.safetensors", self.data, "labels", np.int32, (n,) if facts == 1 else (n, facts))
        inputs, labels = self.data["inputs"], self.data["labels"]
        if (inputs < 0).any() or (inputs[:, 0] >= self.spec.vocabulary_a).any() or (
                inputs[:, 1] >= self.spec.vocabulary_b).any():
            raise RunDirectoryError(f"{self.path}: data.safetensors: tensor inputs lies outside the config's domain")
        if (labels < 0).any() or (labels >= self.spec.classes[0]).any() or not np.isin(self.data["split"],
                                                                                        (0, 1)).all():
            raise RunDirectoryError(
                f"{self.path}: data.safetensors: labels or split hold values the config does not allow")

    def _check(self, file, tensors, name, dtype, shape):
        if name not in tensors:
            raise RunDirectoryError(f"{self.path}: {file}: tensor {name} is missing")
        t = tensors[name]
        if t.dtype != dtype or t.shape != tuple(shape):
            raise RunDirectoryError(f"{self.path}: {file}: tensor {name} is {t.dtype} {list(t.shape)}; "
                                    f"config.json needs {np.dtype(dtype)} {list(shape)}")

    def __repr__(self):
        return (f"toymem.Run({str(self.path)!r}: {self.config['name']}, {self.config['task']['kind']}, "
                f"hidden {list(self.spec.hidden)})")

    # --- Files read on demand ------------------------------------------------------------

    @property
    def metrics(self):
        """metrics.jsonl as a DataFrame, one row per evaluation."""
        import pandas as pd

        return pd.read_json(self.path / "metrics.jsonl", lines=True)

    @property
    def analysis(self):
        """analysis/summary.json (every instrument's results), or None if the run was not analysed."""
        analysis = self.path / "analysis"
        return _json(analysis, "summary.json", required=False) if analysis.is_dir() else None

    @property
    def neurons(self):
        """analysis/neurons.csv as a DataFrame (one row per neuron), or None."""
        import pandas as pd

        csv = self.path / "analysis" / "neurons.csv"
        return pd.read_csv(csv) if csv.is_file() else None

    @property
    def analysis_tables(self):
        """analysis/tables.safetensors: hook name → [A·B, width] activations toymem computed, or {}."""
        path = self.path / "analysis" / "tables.safetensors"
        return _safetensors(self.path / "analysis", "tables.safetensors") if path.is_file() else {}

    def sae(self, hook=None):
        """The `sae` analysis's files (SAELens layout) for `hook`, by default the one analysed: a dict with
        `cfg` (cfg.json), `weights` (W_enc [d_in, d_sae], b_enc, W_dec [d_sae, d_in], b_dec) and `sparsity`
        (log10 of each feature's density + 1e-10)."""
        hook = hook or ((self.analysis or {}).get("sae") or {}).get("hook")
        directory = self.path / "analysis" / "sae" / str(hook)
        if hook is None or not directory.is_dir():
            raise RunDirectoryError(f"{self.path}: no sae analysis{'' if hook is None else ' of ' + hook}")
        return {"cfg": _json(directory, "cfg.json"), "weights": _safetensors(directory, "sae_weights.safetensors"),
                "sparsity": _safetensors(directory, "sparsity.safetensors")["sparsity"]}

    # --- The model ---------------------------------------------------------------------------

    def forward(self, a, b, hooks=None):
        """(logits, cache) for the pairs (a[i], b[i]); `hooks` is a list of hook names or "all".

        logits is [N, C] for one fact and a list of them for several; cache maps hook name → [N, width].
        """
        return forward(self.spec, self.weights, a, b, hooks)

    def table(self, hook):
        """The hook's lookup tables over the whole grid: [A, B, width], entry [a, b, j] = neuron j at (a, b)."""
        a, b = np.meshgrid(np.arange(self.spec.vocabulary_a), np.arange(self.spec.vocabulary_b), indexing="ij")
        _, cache = self.forward(a.ravel(), b.ravel(), hooks=[hook])
        return cache[hook].reshape(self.spec.vocabulary_a, self.spec.vocabulary_b, -1)

    def accuracy(self, fact=0):
        """(trained, held-out) accuracy of fact `fact` recomputed from the weights."""
        logits, _ = self.forward(self.data["inputs"][:, 0], self.data["inputs"][:, 1])
        logits = logits if isinstance(logits, list) else [logits]
        labels = self.data["labels"].reshape(len(self.data["split"]), -1)[:, fact]
        correct = logits[fact].argmax(axis=1) == labels
        split = self.data["split"]
        return float(correct[split == 0].mean()), float(correct[split == 1].mean()) if (split == 1).any() else None

    def to_torch(self):
        """A torch.nn.Module with this run's weights (see toymem.torch_model)."""
        from .torch_model import ToyModel

        return ToyModel.from_run(self)
