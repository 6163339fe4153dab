"""A sweep directory's index, as a DataFrame."""
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
