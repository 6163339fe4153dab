"""`toymem sweep --slurm` against a real Slurm: scripts/local-slurm's single-node cluster.

scripts/test starts that cluster and exports SLURM_CONF (and TOYMEM_REQUIRE_SLURM=1, so a missing
cluster fails the suite instead of skipping these tests); elsewhere they run if SLURM_CONF points
at a working Slurm. Every job is found by the ids the sweep recorded, never by name.
"""
import csv
import json
import os
import pathlib
import shutil
import subprocess
import time

import pytest

from test_run_files import ROOT, TOYMEM

if not (shutil.which("sbatch") and os.environ.get("SLURM_CONF")):
    if os.environ.get("TOYMEM_REQUIRE_SLURM"):
        raise RuntimeError("TOYMEM_REQUIRE_SLURM is set but there is no sbatch on PATH or no SLURM_CONF")
    pytest.skip("no Slurm here (scripts/local-slurm start brings one up)", allow_module_level=True)

# ~10 s per run on one core: long enough to cancel mid-way.
LONG_BASE = {"task": {"kind": "pure", "domain": {"a": 30, "b": 30}}, "model": {"embedding": 16, "hidden": [128]},
             "train": {"steps": 150000, "eval_every": 50000, "batch_size": 256}}


def toymem(*args, env=None, check=None):
    result = subprocess.run([TOYMEM, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=600,
                            env=env)
    if check is not None:
        assert result.returncode == check, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def spec(tmp_path, name, base, parameters):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"name": name, "base": base, "parameters": parameters}))
    return path


def index(directory):
    with open(directory / "index.csv") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def jobs(directory):
    return json.loads((directory / "slurm/jobs.json").read_text())["submissions"]


def queued(ids):
    result = subprocess.run(["squeue", "-h", "-r", "-o", "%i", "-j", ",".join(ids)], capture_output=True, text=True)
    return result.stdout.split()


def status(directory):
    return json.loads(toymem("sweep", "status", directory, "--json", check=0).stdout)


def wait_until(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out after {seconds} s waiting for {what}"
        time.sleep(0.2)


def test_an_array_gives_the_index_of_a_local_sweep_and_packs_runs(tmp_path):
    ci = ROOT / "Configs/sweeps/ci.json"
    local, slurm = tmp_path / "local", tmp_path / "slurm"
    toymem("sweep", ci, "--out", local, "--jobs", "2", check=0)
    toymem("sweep", ci, "--out", slurm, "--slurm", "--runs-per-task", "3", "--wait", check=0)
    # 8 points, 3 per task: tasks of 3, 3 and 2, all recorded for a person to read.
    lines = (slurm / "slurm/map.tsv").read_text().splitlines()
    assert lines[0] == "task\truns" and [len(line.split("\t")[1].split()) for line in lines[1:]] == [3, 3, 2]
    assert "#SBATCH --array=0-2" in (slurm / "slurm/array.sh").read_text()
    [submission] = jobs(slurm)
    assert len(submission["items"]) == 8 and submission["collect_job"]
    # Runs are deterministic: the same config hashes and the same numbers, only the wall time differs.
    a, b = index(local), index(slurm)
    assert a.keys() == b.keys() and len(a) == 8
    for run_id in a:
        assert b[run_id]["status"] == "completed"
        assert {k: v for k, v in a[run_id].items() if k != "wall_seconds"} == \
            {k: v for k, v in b[run_id].items() if k != "wall_seconds"}
    assert (slurm / "report.html").exists(), "the collect job writes the sweep report"
    assert status(slurm)["counts"]["completed"] == 8
    # Submitting again resumes: with everything completed, nothing is submitted.
    again = toymem("sweep", ci, "--out", slurm, "--slurm", check=0)
    assert "nothing to submit" in again.stdout and len(jobs(slurm)) == 1


def test_a_failing_point_shows_in_status_and_makes_wait_exit_1(tmp_path):
    base = {"task": {"domain": {"a": 20, "b": 20}}, "model": {"embedding": 8, "hidden": [8]},
            "train": {"steps": 60, "eval_every": 20, "batch_size": 32, "optimizer": {"kind": "sgd"}}}
    path = spec(tmp_path, "failing", base, {"train.optimizer.lr": {"values": [1e30, 0.1, 0.05]}})
    out = tmp_path / "failing"
    result = toymem("sweep", path, "--out", out, "--slurm", "--runs-per-task", "2", "--wait", check=1)
    assert "1 of 3 submitted runs did not complete" in result.stderr
    s = status(out)
    assert s["counts"]["completed"] == 2 and s["counts"]["diverged"] == 1
    [problem] = s["problems"]
    assert problem["status"] == "diverged" and "train.optimizer.lr=1e+30" in problem["parameters"]
    assert pathlib.Path(problem["log"]).is_file()
    assert problem["log"] in toymem("sweep", "status", out, check=0).stdout
    assert [row["status"] for row in index(out).values()].count("diverged") == 1


def test_a_cancelled_task_leaves_its_run_unfinished_and_the_resume_completes_it(tmp_path):
    path = spec(tmp_path, "long", LONG_BASE, {"seed": {"values": [0, 1]}})
    out = tmp_path / "long"
    toymem("sweep", path, "--out", out, "--slurm", check=0)
    [submission] = jobs(out)
    first = submission["items"][0]
    meta = out / "runs" / first / "meta.json"
    wait_until(meta.exists, 60, "the first run to start")
    subprocess.run(["scancel", f"{submission['array_job']}_0"], check=True)
    # The collect job runs once every task has ended (afterany), the killed one included.
    wait_until(lambda: not queued([submission["array_job"], submission["collect_job"]]), 120, "the array to end")
    assert json.loads(meta.read_text())["status"] == "running", "a killed run must never look completed"
    assert not any(str(out / "configs" / first) in p.read_text(errors="replace")
                   for p in pathlib.Path("/proc").glob("[0-9]*/cmdline") if p.exists()), \
        "the killed task's toymem run outlived it"
    s = status(out)
    assert s["counts"] == {"completed": 1, "failed": 0, "diverged": 0, "running": 0, "interrupted": 1, "pending": 0}
    assert index(out)[first]["status"] == "running"
    toymem("sweep", path, "--out", out, "--slurm", "--wait", check=0)
    assert jobs(out)[1]["items"] == [first], "the resume submits only the unfinished run"
    assert status(out)["counts"]["completed"] == 2
    assert index(out)[first]["status"] == "completed"


def test_a_resume_while_jobs_are_in_flight_is_refused_and_cancel_empties_the_queue(tmp_path):
    path = spec(tmp_path, "inflight", LONG_BASE, {"seed": {"values": [2, 3, 4]}})
    out = tmp_path / "inflight"
    toymem("sweep", path, "--out", out, "--slurm", "--array-parallelism", "1", check=0)
    [submission] = jobs(out)
    again = toymem("sweep", path, "--out", out, "--slurm", check=2)
    assert "still queued or running" in again.stderr and submission["array_job"] in again.stderr
    assert len(jobs(out)) == 1, "nothing was submitted twice"
    s = status(out)
    assert {job["job"] for job in s["slurm"] if job["in_queue"]} == {submission["array_job"], submission["collect_job"]}
    cancelled = toymem("sweep", "cancel", out, check=0)
    assert submission["array_job"] in cancelled.stdout
    assert queued([submission["array_job"], submission["collect_job"]]) == []
    assert "no job of this sweep" in toymem("sweep", "cancel", out, check=0).stdout
    assert not any(job["in_queue"] for job in status(out)["slurm"])


def test_bad_input_submits_nothing(tmp_path):
    small = {"task": {"domain": {"a": 20, "b": 20}}, "train": {"batch_size": 32, "steps": 50}}
    path = spec(tmp_path, "small", small, {"seed": {"values": [0, 1]}})
    before = subprocess.run(["squeue", "-h", "-o", "%i"], capture_output=True, text=True, check=True).stdout
    no_slurm = toymem("sweep", path, "--out", tmp_path / "a", "--slurm",
                      env={**os.environ, "PATH": str(tmp_path)}, check=2)
    assert "sbatch is not on PATH" in no_slurm.stderr
    partition = toymem("sweep", path, "--out", tmp_path / "b", "--slurm", "--partition", "nosuch", check=2)
    assert "sbatch refused" in partition.stderr and "partition" in partition.stderr.lower()
    bad_time = toymem("sweep", path, "--out", tmp_path / "c", "--slurm", "--time", "soon", check=2)
    assert "sbatch refused" in bad_time.stderr and "time" in bad_time.stderr.lower()
    other = spec(tmp_path, "other", small, {"seed": {"values": [5]}})
    toymem("sweep", other, "--out", tmp_path / "d", "--jobs", "1", check=0)
    mixed = toymem("sweep", path, "--out", tmp_path / "d", "--slurm", check=2)
    assert "holds a different sweep" in mixed.stderr
    assert toymem("sweep", path, "--out", tmp_path / "e", "--wait", check=2).stderr.count("need --slurm") == 1
    dry = toymem("sweep", path, "--out", tmp_path / "f", "--slurm", "--dry-run", check=0)
    assert "#SBATCH --array=0-1" in dry.stdout and not (tmp_path / "f").exists()
    after = subprocess.run(["squeue", "-h", "-o", "%i"], capture_output=True, text=True, check=True).stdout
    assert after == before, "bad input submitted a job"


def test_memorisation_scores_through_slurm_equal_one_process_and_resume_by_part(tmp_path):
    config = ROOT / "configs/rule_of_thumb.json"
    local, slurm = tmp_path / "local", tmp_path / "slurm"
    toymem("memscore", config, "--models", "12", "--jobs", "2", "--out", local, check=0)
    args = ["memscore", config, "--models", "12", "--out", slurm, "--slurm", "--runs-per-task", "4", "--influence"]
    toymem(*args, "--wait", check=0)
    # 12 models, 4 per part: 3 parts, one per array task; the combined scores equal one process's.
    assert sorted(p.name for p in (slurm / "parts").iterdir()) == [f"part-{i}-of-3.safetensors" for i in (1, 2, 3)]
    [submission] = jobs(slurm)
    assert submission["items"] == ["1", "2", "3"]
    assert (slurm / "scores.csv").read_text() == (local / "scores.csv").read_text()
    # The collect job passes --influence on; the parts carry what the influence needs.
    summaries = [json.loads((d / "summary.json").read_text()) for d in (local, slurm)]
    assert summaries[0]["influence"] == summaries[1]["influence"] and (slurm / "influence.safetensors").is_file()
    assert "already computed" in toymem(*args, check=0).stdout
    # A lost part (a killed task never writes its file) is all a resume submits.
    (slurm / "parts/part-2-of-3.safetensors").unlink()
    (slurm / "summary.json").unlink()
    toymem(*args, "--wait", check=0)
    assert jobs(slurm)[1]["items"] == ["2"]
    assert (slurm / "scores.csv").read_text() == (local / "scores.csv").read_text()
    assert "slurm array job" in toymem("sweep", "status", slurm, check=0).stdout
