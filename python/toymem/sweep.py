"""A sweep directory's index, and a memorisation-score directory, as DataFrames."""
import pathlib

from .errors import RunDirectoryError


def load_sweep(path):
    """`index.csv` of the sweep in directory `path` as a DataFrame, one row per planned run, with
    a `path` column holding each run's directory (open one with `toymem.load_run(row.path)`).
    Runs that are not completed have their status in the `status` column."""
    import pandas as pd

    directory = pathlib.Path(path)
    index = directory / "index.csv"
    if not index.is_file():
        raise RunDirectoryError(f"{directory}: index.csv is missing; not a toymem sweep directory")
    frame = pd.read_csv(index, dtype={"id": str})
    if "id" not in frame.columns or "status" not in frame.columns:
        raise RunDirectoryError(f"{index}: no id or status column; not a toymem sweep index")
    frame["path"] = [str(directory / "runs" / run_id) for run_id in frame["id"]]
    frame.attrs["sweep"] = str(directory)
    return frame


def load_memscore(path):
    """(scores, summary) of a `toymem memscore` directory: scores.csv as a DataFrame (a, b, label,
    group, mem, se, n_in, n_out; one row per trained entity) and summary.json as a dict."""
    import json

    import pandas as pd

    directory = pathlib.Path(path)
    summary_path = directory / "summary.json"
    if not summary_path.is_file():
        raise RunDirectoryError(f"{directory}: summary.json is missing; the scores are incomplete or absent")
    try:
        summary = json.loads(summary_path.read_text())
        scores = pd.read_csv(directory / "scores.csv")
    except (OSError, ValueError) as error:
        raise RunDirectoryError(f"{directory}: scores.csv or summary.json is damaged: {error}") from error
    expected = ["a", "b", "label", "group", "mem", "se", "n_in", "n_out"]
    if list(scores.columns) != expected or len(scores) != summary.get("entities"):
        raise RunDirectoryError(f"{directory}: scores.csv does not have the columns {expected} and one row per entity")
    return scores, summary


def load_influence(path):
    """`influence.safetensors` of a `toymem memscore --influence` directory as a dict of numpy arrays:
    `influence` and `se` ([held-out, trained] float32, NaN where undefined), `held_out_a`, `held_out_b`,
    `held_out_label`, `trained_a`, `trained_b`, `trained_label`. Row j, column i is
    infl(i, j) = P[correct on held-out j | trained i in the subset] - P[... | i not in it]."""
    from .run import _safetensors

    directory = pathlib.Path(path)
    if not (directory / "summary.json").is_file():
        raise RunDirectoryError(f"{directory}: summary.json is missing; the scores are incomplete or absent")
    if not (directory / "influence.safetensors").is_file():
        raise RunDirectoryError(f"{directory}: no influence.safetensors; compute it with toymem memscore --influence")
    return _safetensors(directory, "influence.safetensors")
