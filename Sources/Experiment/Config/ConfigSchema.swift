/// The JSON Schema of experiment configs, printed by `toymem schema`.
/// `Configs/toymem.schema.json` is the same text (a test keeps them equal).
public enum ConfigSchema {
    public static let text = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://toymem.dev/schema/config.json",
  "title": "toymem experiment config",
  "description": "One experiment: a task over integer pairs (a, b), a model, its training and the analyses to run. Every field has a default; `toymem validate CONFIG --resolved` prints them all.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "$schema": {"type": "string", "description": "Path or URL of this schema, for editors."},
    "name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$", "description": "Run name; results land in Results/<name>/<hash>/. Default: the config file's name without .json."},
    "description": {"type": "string", "description": "Free text; not part of the run's identity beyond the hash."},
    "seed": {"type": "integer", "minimum": 0, "default": 0, "description": "Seeds the dataset (entities, labels, split), the initialisation and the batch order."},
    "task": {
      "type": "object",
      "additionalProperties": false,
      "description": "Which facts to learn.",
      "properties": {
        "kind": {"enum": ["pure", "rule_of_thumb", "correlated", "generalising"], "default": "pure",
                 "description": "pure: i.i.d. random labels; rule_of_thumb: a rule with a fraction of exceptions; correlated: several facts per entity; generalising: a rule with no exceptions."},
        "domain": {
          "type": "object", "additionalProperties": false,
          "description": "a ∈ [0, a), b ∈ [0, b).",
          "properties": {
            "a": {"type": "integer", "minimum": 1, "default": 100},
            "b": {"type": "integer", "minimum": 1, "default": 100}
          }
        },
        "entities": {"type": ["integer", "null"], "minimum": 1, "default": null, "description": "A seeded random subset of this many pairs; null for the whole grid."},
        "heldout_fraction": {"type": "number", "minimum": 0, "exclusiveMaximum": 1, "default": 0.2, "description": "Fraction of entities never trained on."},
        "classes": {"type": "integer", "minimum": 2, "default": 3, "description": "Classes C per fact (for the sum_mod rule, the modulus p)."},
        "rule": {
          "type": "object", "additionalProperties": false,
          "description": "The rule of rule_of_thumb and generalising tasks.",
          "required": ["kind"],
          "properties": {
            "kind": {"enum": ["checkerboard", "sum_mod", "a_only"],
                     "description": "checkerboard: ((a/block) + (b/block)) mod C; sum_mod: (a + b) mod C; a_only: a fixed random function of a."},
            "block": {"type": "integer", "minimum": 1, "default": 10, "description": "Checkerboard block size."}
          }
        },
        "exception_rate": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.1, "description": "rule_of_thumb: fraction q of entities whose label is redrawn among the other classes."},
        "facts": {"type": "integer", "minimum": 2, "default": 2, "description": "correlated: attributes per entity, one readout each."},
        "correlation": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.8, "description": "correlated: probability that a further fact is a fixed relabelling of the first."}
      }
    },
    "model": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "embedding": {"type": "integer", "minimum": 1, "default": 64, "description": "Embedding width d of each token."},
        "combine": {"enum": ["sum", "concat"], "default": "sum", "description": "W_a[a] + W_b[b] (width d) or [W_a[a], W_b[b]] (width 2d)."},
        "hidden": {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 1, "default": [256], "description": "Hidden width of each MLP block."},
        "activation": {"enum": ["relu", "gelu", "gelu_erf"], "default": "relu", "description": "gelu is the tanh approximation, gelu_erf the exact form."},
        "residual": {"type": "boolean", "default": false, "description": "Residual blocks x + act(x W_in + b_in) W_out + b_out instead of plain act(x W_in + b_in)."}
      }
    },
    "train": {
      "type": "object", "additionalProperties": false,
      "properties": {
        "optimizer": {
          "type": "object", "additionalProperties": false,
          "properties": {
            "kind": {"enum": ["sgd", "adam", "adamw"], "default": "adamw"},
            "lr": {"type": "number", "exclusiveMinimum": 0, "default": 0.001},
            "betas": {"type": "array", "items": {"type": "number", "minimum": 0, "exclusiveMaximum": 1}, "minItems": 2, "maxItems": 2, "default": [0.9, 0.999], "description": "adam and adamw only."},
            "eps": {"type": "number", "exclusiveMinimum": 0, "default": 1e-8, "description": "adam and adamw only."},
            "weight_decay": {"type": "number", "minimum": 0, "default": 0, "description": "Decoupled for adamw, an L2 term for adam and sgd."},
            "momentum": {"type": "number", "minimum": 0, "maximum": 1, "default": 0, "description": "sgd only."}
          }
        },
        "batch_size": {"oneOf": [{"type": "integer", "minimum": 1}, {"const": "full"}], "default": 256, "description": "Examples per step, or \"full\" for full-batch training."},
        "steps": {"type": "integer", "minimum": 1, "default": 2000},
        "eval_every": {"type": "integer", "minimum": 1, "default": 100, "description": "Evaluate on trained and held-out entities every this many steps (and at the end)."},
        "stop_when_memorised": {"type": "boolean", "default": false, "description": "Stop at the first evaluation with 100% accuracy on trained entities."},
        "threads": {"type": "integer", "minimum": 1, "maximum": 64, "default": 1, "description": "Threads that share each training step (toymem's own worker pool; OpenBLAS runs single-threaded inside it): either every matrix product, elementwise pass and the optimizer update is split, or, when that adds little arithmetic, each thread trains its own shard of the batch and the gradients are summed. Results are bit-identical for the same config, seed and thread count."}
      }
    },
    "analyses": {
      "type": "array",
      "items": {"enum": ["all", "lookup", "interaction", "hash", "sparsity", "probes", "ablation", "capacity"]},
      "default": [],
      "description": "Analyses to run after training (written to analysis/)."
    }
  }
}
"""#
}
