"""A toymem model as a torch.nn.Module, with the same forward pass as `toymem.model.forward`.

Parameters are named as in model.safetensors (`embed.W_a`, `blocks.0.mlp.W_in`, `unembed.W_U`,
`unembed.1.b_U`, …), so `module.state_dict()` round-trips with the file:

    module = run.to_torch()
    logits = module(torch.tensor(a), torch.tensor(b))
    logits, cache = module.run_with_cache(a, b)     # cache: hook name → activations
    logits.sum().backward()                         # gradients reach every parameter
"""

import torch
from torch import nn

from .model import ModelSpec


def _parameter(array):
    return nn.Parameter(torch.tensor(array, dtype=torch.float32))


class _Params(nn.Module):
    """A module that only holds named parameters (`W_in`, `b_in`, …)."""

    def __init__(self, **tensors):
        super().__init__()
        for name, array in tensors.items():
            self.register_parameter(name, _parameter(array))


class _Block(nn.Module):
    def __init__(self, mlp):
        super().__init__()
        self.mlp = mlp


class ToyModel(nn.Module):
    """The MLP toymem trains; `spec` is its `toymem.ModelSpec`."""

    def __init__(self, spec: ModelSpec, weights):
        super().__init__()
        self.spec = spec
        self.embed = _Params(W_a=weights["embed.W_a"], W_b=weights["embed.W_b"])
        blocks = []
        for layer in range(len(spec.hidden)):
            p = f"blocks.{layer}.mlp."
            names = ["W_in", "b_in"] + (["W_out", "b_out"] if spec.residual else [])
            blocks.append(_Block(_Params(**{n: weights[p + n] for n in names})))
        self.blocks = nn.ModuleList(blocks)
        readouts = [_Params(W_U=weights[spec.readout_prefix(f) + "W_U"], b_U=weights[spec.readout_prefix(f) + "b_U"])
                    for f in range(len(spec.classes))]
        self.unembed = readouts[0] if len(readouts) == 1 else nn.ModuleList(readouts)

    @classmethod
    def from_run(cls, run):
        return cls(run.spec, run.weights)

    def _activation(self, x):
        if self.spec.activation == "relu":
            return torch.relu(x)
        return nn.functional.gelu(x, approximate="tanh" if self.spec.activation == "gelu" else "none")

    def _readouts(self):
        return [self.unembed] if len(self.spec.classes) == 1 else list(self.unembed)

    def run_with_cache(self, a, b):
        """(logits, cache): logits as `forward` returns them, cache mapping every hook name to its activations."""
        a, b = torch.as_tensor(a, dtype=torch.long), torch.as_tensor(b, dtype=torch.long)
        cache = {}
        ea, eb = self.embed.W_a[a], self.embed.W_b[b]
        x = ea + eb if self.spec.combine == "sum" else torch.cat([ea, eb], dim=1)
        cache["hook_embed"] = x
        for layer, block in enumerate(self.blocks):
            pre = x @ block.mlp.W_in + block.mlp.b_in
            post = self._activation(pre)
            cache[f"blocks.{layer}.mlp.hook_pre"], cache[f"blocks.{layer}.mlp.hook_post"] = pre, post
            if self.spec.residual:
                x = x + post @ block.mlp.W_out + block.mlp.b_out
                cache[f"blocks.{layer}.hook_resid_post"] = x
            else:
                x = post
        logits = []
        for f, readout in enumerate(self._readouts()):
            out = x @ readout.W_U + readout.b_U
            cache[self.spec.logits_hook(f)] = out
            logits.append(out)
        return (logits[0] if len(logits) == 1 else logits), cache

    def forward(self, a, b):
        """Logits [N, C] for the pairs (a[i], b[i]) (a list of them for several facts)."""
        return self.run_with_cache(a, b)[0]

