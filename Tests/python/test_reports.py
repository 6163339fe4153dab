"""HTML reports opened in a real headless browser (Debian's chromium).

Each page declares its figure count in <body data-figures="N">; once rendered by the
browser the DOM must hold exactly that many <svg> figures, the page must log no
console errors, and every figure must come with a Vega-Lite spec that names its data.
"""
import json
import pathlib
import re
import shutil
import subprocess

import pytest

from test_run_files import ROOT, TOYMEM, run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/setup installs it)")


def render(page):
    """The DOM after load, and the browser's console messages."""
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
                             "--v=0", "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    return result.stdout, console


def check_page(page, minimum):
    dom, console = render(page)
    assert console == [], console
    declared = int(re.search(r'data-figures="(\d+)"', dom).group(1))
    assert declared >= minimum
    assert dom.count('class="figure"') == declared
    assert len(re.findall(r"<svg[ >]", dom)) == declared
    for name in re.findall(r'href="figures/([^"]+\.vl\.json)"', dom):
        spec = json.loads((page.parent / "figures" / name).read_text())
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        assert spec["data"]["values"], name


def test_run_report_renders_every_figure(tmp_path):
    out = run(tmp_path, "configs/pure.json", "train.steps=200", 'analyses=["all"]')
    # loss, accuracy, probes, 4 lookup heatmaps, interaction histogram, ablation
    check_page(out / "report.html", minimum=9)


def test_unanalysed_run_report_has_training_curves(tmp_path):
    out = run(tmp_path, "configs/generalising.json", "train.steps=100")
    check_page(out / "report.html", minimum=2)


def test_sweep_report_renders(tmp_path):
    spec = tmp_path / "sweep.json"
    spec.write_text(json.dumps({
        "base": {"task": {"domain": {"a": 20, "b": 20}}, "model": {"embedding": 8},
                 "train": {"steps": 100, "eval_every": 50, "batch_size": 64}, "analyses": ["probes"]},
        "parameters": {"model.hidden": {"values": [[8], [16]]}, "seed": {"values": [0, 1]}}}))
    out = tmp_path / "sweep"
    subprocess.run([TOYMEM, "sweep", str(spec), "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    check_page(out / "report.html", minimum=4)
