"""The model toymem trains, rebuilt in numpy from `config.json` and `model.safetensors`.

For embedding width d, hidden widths h_1 … h_L and activation act:

    x_0 = W_a[a] + W_b[b]                      (combine "sum"; "concat": [W_a[a], W_b[b]], width 2d)
    pre_l = x_{l-1} W_in + b_in                blocks.{l}.mlp.hook_pre
    post_l = act(pre_l)                        blocks.{l}.mlp.hook_post
    x_l = post_l                               (plain blocks)
    x_l = x_{l-1} + post_l W_out + b_out       (residual blocks: blocks.{l}.hook_resid_post)
    logits_f = x_L W_U + b_U                   unembed.hook_out (one fact), unembed.{f}.hook_out

Weights are [inputs, outputs] and biases [outputs], as `model.safetensors` stores them; hook
names are TransformerLens's, as toymem writes them.
"""
import math
from dataclasses import dataclass

import numpy as np

_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_erf = np.vectorize(math.erf, otypes=[np.float64])


def relu(x):
    return np.maximum(x, 0)


def gelu_tanh(x):
    """0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))): toymem's and PyTorch's approximate="tanh"."""
    return 0.5 * x * (1 + np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))


def gelu_erf(x):
    """0.5 x (1 + erf(x / √2)): the exact GELU."""
    return (0.5 * x * (1 + _erf(x.astype(np.float64) / math.sqrt(2)))).astype(x.dtype)


ACTIVATIONS = {"relu": relu, "gelu": gelu_tanh, "gelu_erf": gelu_erf}


@dataclass(frozen=True)
class ModelSpec:
    """The architecture a resolved config describes."""

    vocabulary_a: int
    vocabulary_b: int
    embedding: int
    combine: str
    hidden: tuple
    activation: str
    residual: bool
    classes: tuple  # one entry per fact

    @classmethod
    def from_config(cls, config):
        model, task = config["model"], config["task"]
        facts = task.get("facts", 1) if task["kind"] == "correlated" else 1
        return cls(task["domain"]["a"], task["domain"]["b"], model["embedding"], model["combine"],
                   tuple(model["hidden"]), model["activation"], model["residual"], (task["classes"],) * facts)

    @property
    def embedding_width(self):
        return self.embedding if self.combine == "sum" else 2 * self.embedding

    def readout_prefix(self, fact):
        return "unembed." if len(self.classes) == 1 else f"unembed.{fact}."

    def logits_hook(self, fact):
        return "unembed.hook_out" if len(self.classes) == 1 else f"unembed.{fact}.hook_out"

    def parameter_layout(self):
        """[(name, shape)] of every parameter, in toymem's order."""
        layout = [("embed.W_a", (self.vocabulary_a, self.embedding)),
                  ("embed.W_b", (self.vocabulary_b, self.embedding))]
        width = self.embedding_width
        for layer, h in enumerate(self.hidden):
            p = f"blocks.{layer}.mlp."
            layout += [(p + "W_in", (width, h)), (p + "b_in", (h,))]
            if self.residual:
                layout += [(p + "W_out", (h, width)), (p + "b_out", (width,))]
            else:
                width = h
        for f, c in enumerate(self.classes):
            p = self.readout_prefix(f)
            layout += [(p + "W_U", (width, c)), (p + "b_U", (c,))]
        return layout

    def hook_names(self):
        """Every hook in forward order."""
        names = ["hook_embed"]
        for layer in range(len(self.hidden)):
            names += [f"blocks.{layer}.mlp.hook_pre", f"blocks.{layer}.mlp.hook_post"]
            if self.residual:
                names.append(f"blocks.{layer}.hook_resid_post")
        return names + [self.logits_hook(f) for f in range(len(self.classes))]


def forward(spec, weights, a, b, hooks=None):
    """(logits, cache) for the pairs (a[i], b[i]) in float32, as toymem computes them.

    logits is an [N, C] array for a one-fact model and a list of them otherwise; cache maps each
    requested hook name to its [N, width] activations.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"a and b must be 1-D arrays of the same length, got shapes {a.shape} and {b.shape}")
    for name, tokens, size in (("a", a, spec.vocabulary_a), ("b", b, spec.vocabulary_b)):
        if not np.issubdtype(tokens.dtype, np.integer):
            raise ValueError(f"{name} must hold integers, got {tokens.dtype}")
        if tokens.size and (tokens.min() < 0 or tokens.max() >= size):
            raise ValueError(f"{name} must lie in [0, {size}), got values in [{tokens.min()}, {tokens.max()}]")
    wanted = set(spec.hook_names() if hooks == "all" else hooks or [])
    unknown = wanted - set(spec.hook_names())
    if unknown:
        raise KeyError(f"no hook {sorted(unknown)} in this model; its hooks are {spec.hook_names()}")
    cache = {}

    def record(name, value):
        if name in wanted:
            cache[name] = value

    ea, eb = weights["embed.W_a"][a], weights["embed.W_b"][b]
    x = ea + eb if spec.combine == "sum" else np.concatenate([ea, eb], axis=1)
    record("hook_embed", x)
    act = ACTIVATIONS[spec.activation]
    for layer in range(len(spec.hidden)):
        p = f"blocks.{layer}.mlp."
        pre = x @ weights[p + "W_in"] + weights[p + "b_in"]
        post = act(pre)
        record(p + "hook_pre", pre)
        record(p + "hook_post", post)
        if spec.residual:
            x = x + post @ weights[p + "W_out"] + weights[p + "b_out"]
            record(f"blocks.{layer}.hook_resid_post", x)
        else:
            x = post
    logits = []
    for f in range(len(spec.classes)):
        p = spec.readout_prefix(f)
        out = x @ weights[p + "W_U"] + weights[p + "b_U"]
        record(spec.logits_hook(f), out)
        logits.append(out)
    return (logits[0] if len(logits) == 1 else logits), cache
