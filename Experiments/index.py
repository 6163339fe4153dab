"""The index of computed verdicts: fills the table in Experiments/README.md from every experiment's
verdicts.json; with --quick, checks that the quick versions reached the committed verdicts."""
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
QUICK = HERE.parent / "Results/experiments-quick"


def committed():
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(HERE.glob("*/verdicts.json"))}


def check_quick():
    failures = []
    for name, full in committed().items():
        path = QUICK / name / "verdicts.json"
        if not path.exists():
            failures.append(f"{name}: the quick version wrote no verdicts ({path})")
            continue
        quick = {c["claim"]: c for c in json.loads(path.read_text())["claims"]}
        for claim in full["claims"]:
            got = quick.get(claim["claim"])
            if got is None:
                failures.append(f"{name}/{claim['claim']}: missing from the quick version")
            elif got["passed"] != claim["passed"]:
                failures.append(f"{name}/{claim['claim']}: committed {claim['passed']}, quick {got['passed']} "
                                f"({got['headline']}; {got['threshold']})")
            else:
                print(f"{name}/{claim['claim']}: {'confirmed' if got['passed'] else 'not confirmed'}, as committed "
                      f"(quick: {got['headline']})")
    for failure in failures:
        print(f"VERDICT CHANGED: {failure}", file=sys.stderr)
    return 1 if failures else 0


def write_index():
    rows = ["| claim | verdict | headline | experiment |", "|---|---|---|---|"]
    for name, verdicts in committed().items():
        for c in verdicts["claims"]:
            rows.append(f"| {c['statement']} | **{'confirmed' if c['passed'] else 'not confirmed'}** | "
                        f"{c['headline']} | [{name}]({name}/README.md) |")
    readme = HERE / "README.md"
    text = readme.read_text()
    pattern = re.compile(r"(<!-- index -->\n).*?(<!-- /index -->)", re.S)
    if not pattern.search(text):
        sys.exit(f"{readme}: no <!-- index --> … <!-- /index --> block")
    readme.write_text(pattern.sub(lambda m: m.group(1) + "\n".join(rows) + "\n" + m.group(2), text))
    return 0


if __name__ == "__main__":
    sys.exit(check_quick() if sys.argv[1:] == ["--quick"] else write_index())
