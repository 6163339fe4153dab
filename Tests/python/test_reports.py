"""HTML reports opened in a real headless browser (Debian's chromium).

Each page declares its figure count in <body data-figures="N">; once rendered by the
browser the DOM must hold exactly that many <svg> figures, the page must log no
console errors, and every figure must come with a Vega-Lite spec that names its data.
In the browser, every text element's box must lie inside its SVG's viewBox (nothing clipped).
A screenshot of each report type is kept in .build/test-output/screenshots/ for people to look at.
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


SCREENSHOTS = ROOT / ".build/test-output/screenshots"

# Run in the page by the browser: every <text> whose rendered box leaves its <svg>'s box.
OVERFLOW_PROBE = """<script>
const overflows = [];
document.querySelectorAll("svg").forEach((svg, i) => {
  const box = svg.getBoundingClientRect();
  if (!svg.getAttribute("viewBox")) overflows.push({svg: i, text: "(no viewBox)"});
  svg.querySelectorAll("text").forEach(t => {
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
      overflows.push({svg: i, text: t.textContent, left: r.left - box.left, right: box.right - r.right,
                      top: r.top - box.top, bottom: box.bottom - r.bottom});
  });
});
document.body.setAttribute("data-overflows", JSON.stringify(overflows));
</script>"""


def text_overflows(page):
    """The texts that leave their figure, measured by the browser's own layout."""
    probe = page.parent / f".{page.stem}-overflow-probe.html"
    probe.write_text(page.read_text().replace("</body>", OVERFLOW_PROBE + "</body>"))
    dom, _ = render(probe)
    probe.unlink()
    found = re.search(r'data-overflows="([^"]*)"', dom)
    assert found, "the overflow probe did not run"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={target}", "--window-size=1280,2400", page.as_uri()], capture_output=True,
                   timeout=120, check=True)
    assert target.stat().st_size > 10_000, f"{target} looks empty"


def check_page(page, minimum, name):
    assert text_overflows(page) == []
    screenshot(page, name)
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
    # loss, accuracy, interaction histogram, label/prediction/neuron panels, 4 lookup heatmaps, probes,
    # ablation, bagging
    check_page(out / "report.html", minimum=10, name="run-report")


def test_unanalysed_run_report_has_training_curves(tmp_path):
    out = run(tmp_path, "configs/generalising.json", "train.steps=100")
    check_page(out / "report.html", minimum=2, name="run-report-unanalysed")


def test_sweep_report_renders(tmp_path):
    """Categorical (task) and numeric (width) parameters, long legend labels, task colours."""
    spec = tmp_path / "sweep.json"
    tasks = [{"kind": "pure", "domain": {"a": 20, "b": 20}},
             {"kind": "generalising", "rule": {"kind": "checkerboard", "block": 5}, "domain": {"a": 20, "b": 20}}]
    spec.write_text(json.dumps({
        "base": {"model": {"embedding": 8}, "train": {"steps": 100, "eval_every": 50, "batch_size": 64},
                 "analyses": ["probes"]},
        "parameters": {"task": {"values": tasks}, "model.hidden": {"values": [[8], [16]]},
                       "seed": {"values": [0, 1]}}}))
    out = tmp_path / "sweep"
    subprocess.run([TOYMEM, "sweep", str(spec), "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    check_page(out / "report.html", minimum=8, name="sweep-report")
    dom, _ = render(out / "report.html")
    # The task axis is categorical: points with error bars, never a line joining the tasks.
    task_figure = re.search(r'<figure id="heldout_accuracy_vs_task".*?</figure>', dom, re.S).group(0)
    assert "<polyline" not in task_figure and "<circle" in task_figure
    # Each task kind keeps its colour across figures.
    width_figure = re.search(r'<figure id="heldout_accuracy_vs_model.hidden".*?</figure>', dom, re.S).group(0)
    assert "#D55E00" in width_figure and "#009E73" in width_figure  # pure, generalising
    vl = json.loads((out / "figures/heldout_accuracy_vs_model.hidden.vl.json").read_text())
    assert vl["encoding"]["y"]["scale"]["domain"][1] <= 1  # a bounded quantity stays within [0, 1]


def test_comparison_page_renders(tmp_path):
    runs = [run(tmp_path / str(i), "configs/pure.json", "train.steps=100", f"seed={i}", 'analyses=["probes"]')
            for i in range(2)]
    page = tmp_path / "compare.html"
    html = subprocess.run([TOYMEM, "compare", *map(str, runs), "--html"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout
    page.write_text(html)
    assert text_overflows(page) == []
    screenshot(page, "comparison")


def test_memscore_report_renders(tmp_path):
    out = tmp_path / "memscore"
    subprocess.run([TOYMEM, "memscore", "configs/rule_of_thumb.json", 'task.domain={"a": 30, "b": 30}',
                    "train.steps=200", "--models", "4", "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    # a histogram per group (rule, exception) and the score over the grid
    check_page(out / "report.html", minimum=3, name="memscore-report")


def test_sae_figures_render(tmp_path):
    out = run(tmp_path, "configs/generalising.json", 'task.domain={"a": 30, "b": 30}',
              'task.rule={"kind": "checkerboard", "block": 5}', "model.hidden=[32]", "train.steps=400",
              'analyses=["sae"]', "sae.steps=300")
    # loss, accuracy and the lookup tables of up to four SAE features
    check_page(out / "report.html", minimum=3, name="run-report-sae")
    assert list((out / "figures").glob("sae_feature_*.svg"))
