"""The documentation stands on its own: every relative link resolves inside the repository,
and no text points outside it."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "Experiments").rglob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def test_there_are_documents_to_check():
    assert len(DOCUMENTS) >= 8


def test_every_relative_link_resolves_inside_the_repository():
    broken = []
    for doc in DOCUMENTS:
        for target in LINK.findall(doc.read_text()):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            path = (doc.parent / target.split("#")[0]).resolve()
            if ROOT not in path.parents and path != ROOT or not path.exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert broken == []


def test_nothing_refers_outside_the_project():
    # Built from parts so that this file does not match itself.
    forbidden = re.compile("|".join(["GUI" + "DE", r"\.\./sha" + "red", "ses" + "sion"]))
    hits = []
    for folder in ["Sources", "Tests", "docs", "Experiments", "scripts", ".ci", "Configs"]:
        for path in (ROOT / folder).rglob("*"):
            text_file = path.suffix in {".swift", ".md", ".py", ".sh", ".json", ".html"} or path.suffix == ""
            if path.is_file() and text_file:
                for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                    if forbidden.search(line):
                        hits.append(f"{path.relative_to(ROOT)}:{number}")
    for number, line in enumerate((ROOT / "README.md").read_text().splitlines(), 1):
        if forbidden.search(line):
            hits.append(f"README.md:{number}")
    assert hits == []
