"""Read toymem run directories, sweeps and models in Python.

    import toymem
    run = toymem.load_run("Results/pure/<hash>")
    logits, cache = run.forward(a, b, hooks=["blocks.0.mlp.hook_post"])
    sweep = toymem.load_sweep("Results/sweeps/ci")
"""
from .errors import RunDirectoryError
from .model import ModelSpec
from .run import Run, load_run
from .sweep import load_influence, load_memscore, load_sweep

__version__ = "0.1.0"
__all__ = ["Run", "ModelSpec", "RunDirectoryError", "load_influence", "load_memscore", "load_run", "load_sweep",
           "__version__"]
