"""Structured mutation testing of the toymem command line.

Mutates the example configs, the sweep specs and a good run directory (types, ranges, sizes,
deletions, corrupted bytes, inconsistent shapes), runs the real binary under a memory limit and a
timeout, and checks the promises about bad input:

- the exit code is 0, 1 or 2: never a signal, never a timeout;
- exit 2 names a place (the file, or the run directory, at fault);
- nothing is written for rejected input;
- a run that was accepted either completes or is marked failed or diverged.

The tests run a few hundred cases; run it by hand for longer:

    .venv/bin/python Tests/python/cli_mutation.py --cases 5000 --seed 1
"""
import argparse
import collections
import json
import os
import pathlib
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOYMEM = str(pathlib.Path(os.environ.get("TOYMEM", ROOT / ".build/release/toymem")).resolve())
MEMORY_LIMIT = 4 << 30  # address space of each toymem process
TIMEOUT = 60  # seconds; accepted runs are chosen to take well under one
QUICK_FLOPS = 3e9  # configs estimated under this many operations are also run


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def toymem(*args, cwd):
    """(exit code or 'signal N' or 'timeout', stdout, stderr)."""
    try:
        p = subprocess.run([TOYMEM, *map(str, args)], cwd=cwd, capture_output=True, timeout=TIMEOUT,
                           preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        return "timeout", "", ""
    code = p.returncode if p.returncode >= 0 else f"signal {-p.returncode}"
    return code, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


# --- Mutations of JSON documents -------------------------------------------------------------

def strange_values(rng):
    return [None, True, "", "x" * rng.choice([1, 300, 100_000]), -1, 0, 1, 2**31, 2**63, 10**15, 1e300, -1e300,
            1e-50, 0.5, 0.99999999999, 1.5, [], {}, [1, 2], {"kind": "x"}, [[[[[]]]]], "\ud800".encode(
                "utf-16", "surrogatepass").decode("utf-16", "replace"), 3.7, 10**10, 100_000]


def paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from paths(v, prefix + (i,))


def get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def mutate_json(doc, rng):
    """A structurally mutated copy of doc (one to three edits)."""
    doc = json.loads(json.dumps(doc))
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        all_paths = list(paths(doc))
        path = rng.choice(all_paths)
        if not path:
            continue
        parent, key = get(doc, path[:-1]), path[-1]
        value = parent[key]
        op = rng.random()
        if op < 0.2 and isinstance(parent, dict):
            del parent[key]
        elif op < 0.35 and isinstance(value, (int, float)) and not isinstance(value, bool):
            parent[key] = rng.choice([value * 10 ** rng.randint(1, 12), -value, value + 0.5, value * 1e-9, 0])
        elif op < 0.45 and isinstance(parent, dict):
            parent[key + rng.choice(["", "s", "_x"])[: rng.randint(0, 2)] + "z"] = value
        elif op < 0.55 and isinstance(value, list) and value:
            parent[key] = value * rng.randint(2, 5) if rng.random() < 0.5 else value[1:]
        else:
            parent[key] = rng.choice(strange_values(rng))
    return doc


def damage_bytes(text, rng):
    data = bytearray(text.encode())
    op = rng.random()
    if op < 0.3 and data:
        del data[rng.randrange(len(data)):]
    elif op < 0.6 and data:
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif op < 0.8:
        depth = rng.choice([10, 300, 50_000])
        data = bytearray(b"[" * depth + b"]" * depth)
    else:
        i = rng.randrange(len(data) + 1)
        data[i:i] = rng.choice([b"\xff\xfe", b'"\\uD800\\u0041"', b",,", b"{", b"\x00"])
    return bytes(data)


# --- Cases ---------------------------------------------------------------------------------

class Campaign:
    def __init__(self, work, rng):
        self.work, self.rng = work, rng
        self.codes = collections.Counter()
        self.commands = collections.Counter()  # (command, exit code)
        self.failures = []
        self.configs = sorted(p for p in (ROOT / "Configs").glob("*.json") if not p.name.endswith("schema.json"))
        self.specs = sorted((ROOT / "Configs/sweeps").glob("*.json"))
        # A copy of Configs/ so that mutated sweep specs find their base configs by relative path.
        shutil.copytree(ROOT / "Configs", work / "Configs")
        self.good_run = work / "good-run"
        code, _, err = toymem("run", "Configs/pure.json", "train.steps=40", 'task.domain={"a": 20, "b": 15}',
                              "model.hidden=[16]", "model.embedding=8", "train.batch_size=32",
                              "--out", self.good_run, "--quiet", cwd=work)
        assert code == 0, err
        self.count = 0

    def fail(self, kind, detail, input_path):
        keep = self.work / "failures" / f"{len(self.failures)}-{input_path.name}"
        keep.parent.mkdir(exist_ok=True)
        if input_path.is_dir():
            shutil.copytree(input_path, keep, dirs_exist_ok=True)
        elif input_path.exists():
            shutil.copy(input_path, keep)
        self.failures.append(f"{kind}: {detail} (input kept as {keep})")

    def check(self, code, err, kind, place, input_path):
        self.codes[code] += 1
        self.commands[kind, code] += 1
        if code not in (0, 1, 2):
            self.fail(kind, f"exit {code}; stderr: {err[-400:]}", input_path)
        elif code == 2 and str(place) not in err:
            self.fail(kind, f"exit 2 without naming {place}: {err[-400:]}", input_path)
        return code

    def config_case(self):
        source = self.rng.choice(self.configs)
        path = self.work / f"case-{self.count}.json"
        if self.rng.random() < 0.8:
            path.write_text(json.dumps(mutate_json(json.loads(source.read_text()), self.rng)))
        else:
            path.write_bytes(damage_bytes(source.read_text(), self.rng))
        code, out, err = toymem("validate", path, cwd=self.work)
        self.check(code, err, "validate", path, path)
        if code != 0:
            return
        # Accepted configs are also run, shortened so that the campaign takes minutes, not days.
        short = ["train.steps=25", "train.eval_every=10"]
        code, out, err = toymem("validate", path, *short, cwd=self.work)
        match = re.search(r"([0-9.]+e[+-][0-9]+) floating-point operations", out)
        if code != 0 or not match or float(match.group(1)) > QUICK_FLOPS:
            return
        run_dir = self.work / f"run-{self.count}"
        code, _, err = toymem("run", path, *short, "--out", run_dir, "--quiet", cwd=self.work)
        self.check(code, err, "run", path, path)
        meta = run_dir / "meta.json"
        status = json.loads(meta.read_text())["status"] if meta.exists() else None
        if code == 0 and status != "completed":
            self.fail("run", f"exit 0 but status {status}", path)
        if code == 1 and status not in ("failed", "diverged"):
            self.fail("run", f"exit 1 but status {status}", path)
        if code == 2 and run_dir.exists():
            self.fail("run", "rejected config left a run directory", path)
        shutil.rmtree(run_dir, ignore_errors=True)

    def spec_case(self):
        source = self.rng.choice(self.specs)
        path = self.work / "Configs/sweeps" / f"case-{self.count}.json"
        if self.rng.random() < 0.8:
            path.write_text(json.dumps(mutate_json(json.loads(source.read_text()), self.rng)))
        else:
            path.write_bytes(damage_bytes(source.read_text(), self.rng))
        out = self.work / f"sweep-{self.count}"
        code, _, err = toymem("sweep", path, "--dry-run", "--out", out, cwd=self.work)
        self.check(code, err, "sweep", path, path)
        if out.exists():
            self.fail("sweep", "a dry run wrote its directory", path)
        path.unlink()

    def run_dir_case(self):
        copy = self.work / f"rundir-{self.count}"
        shutil.copytree(self.good_run, copy)
        victim = copy / self.rng.choice(["model.safetensors", "data.safetensors", "config.json", "meta.json",
                                         "summary.json"])
        op = self.rng.random()
        if op < 0.15:
            victim.unlink()
        elif victim.suffix == ".json" and op < 0.7:
            try:
                victim.write_text(json.dumps(mutate_json(json.loads(victim.read_text()), self.rng)))
            except json.JSONDecodeError:
                pass
        elif victim.suffix == ".safetensors" and op < 0.7:
            data = bytearray(victim.read_bytes())
            length = int.from_bytes(data[:8], "little")
            header = json.loads(data[8:8 + length])
            name = self.rng.choice([k for k in header if k != "__metadata__"])
            field = self.rng.choice(["shape", "dtype", "data_offsets"])
            header[name][field] = self.rng.choice([[2**32, 2**32], [1], "F64", [0, 10**18], [], [-1, 3],
                                                   list(reversed(header[name][field])) if isinstance(
                                                       header[name][field], list) else "I32"])
            text = json.dumps(header).encode()
            text += b" " * (-len(text) % 8)
            victim.write_bytes(len(text).to_bytes(8, "little") + text + bytes(data[8 + length:]))
        else:
            victim.write_bytes(damage_bytes(victim.read_text(errors="replace"), self.rng))
        code, _, err = toymem("analyze", copy, cwd=self.work)
        self.check(code, err, "analyze", copy, copy)
        if code != 0 and (copy / "analysis").exists():
            self.fail("analyze", "a refused run directory got an analysis/", copy)
        shutil.rmtree(copy, ignore_errors=True)

    def run(self, cases):
        kinds = [self.config_case] * 5 + [self.spec_case] * 3 + [self.run_dir_case] * 2
        for self.count in range(cases):
            self.rng.choice(kinds)()


def campaign(cases, seed, work=None):
    work = pathlib.Path(work or tempfile.mkdtemp(prefix="toymem-mutation-"))
    c = Campaign(work, random.Random(seed))
    c.run(cases)
    return c


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", help="scratch directory (default: a new temporary one)")
    args = parser.parse_args()
    c = campaign(args.cases, args.seed, args.work)
    print(json.dumps({"cases": args.cases, "seed": args.seed,
                      "exit_codes": {str(k): v for k, v in sorted(c.codes.items(), key=str)},
                      "by_command": {f"{k} {code}": v for (k, code), v in sorted(c.commands.items(), key=str)},
                      "failures": len(c.failures)}, indent=1))
    for f in c.failures:
        print(f, file=sys.stderr)
    sys.exit(1 if c.failures else 0)


if __name__ == "__main__":
    main()
