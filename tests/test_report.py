"""The HTML report, rendered in headless Chromium: what a person sees (curves drawn, no broken image, the metrics
beside the paper's, each failure's class and each fix's diff, time and LLM cost)."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE_PDF
from ml_intern.bench.faults import FAULTS

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install "
                                                          "chromium; .ci/run installs it)")]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")

# What the page shows, read in the browser: images (loaded or broken) and, for the loss curve, how many of its
# pixels are in each curve's colour (matplotlib's C0 blue for the loss, C2 green for validation accuracy).
PAGE = """() => {
  const images = Array.from(document.images).map(img => {
    const info = {id: img.id, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight};
    if (img.naturalWidth) {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d'); ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let blue = 0, green = 0;
      for (let i = 0; i < px.length; i += 4) {
        const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
        if (Math.abs(r - 31) < 40 && Math.abs(g - 119) < 40 && Math.abs(b - 180) < 40) blue++;
        if (Math.abs(r - 44) < 40 && Math.abs(g - 160) < 40 && Math.abs(b - 44) < 40) green++;
      }
      info.blue = blue; info.green = green;
    }
    return info;
  });
  const table = id => Array.from(document.querySelectorAll('#' + id + ' tr')).map(
      tr => Array.from(tr.children).map(td => td.innerText.trim()));
  return {title: document.querySelector('h1').innerText, status: document.querySelector('#run-status').innerText,
          headings: Array.from(document.querySelectorAll('h2')).map(h => h.innerText), images,
          final: table('final-metrics'), verdict: table('verdict'), attempts: table('attempts'), spec: table('spec'), cost: table('cost'),
          fidelity: (document.querySelector('#fidelity') || {innerText: ''}).innerText,
          diffs: Array.from(document.querySelectorAll('#attempts details pre')).map(p => p.textContent)};
}"""


def render(report: Path) -> dict:
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(report.as_uri())
            return page.evaluate(PAGE)
        finally:
            browser.close()


def test_report_of_a_run_shows_curves_metrics_beside_the_paper_and_cost(cli):
    code, out, err = cli("run", SAMPLE_PDF, "--scale", "smoke", "--json")
    assert code == 0, err
    run = json.loads(out)
    page = render(Path(run["run_dir"]) / "report.html")
    assert page["status"] == "succeeded" and "digit" in page["title"].lower()
    assert {"Final metrics", "Loss curve", "Attempts", "What the paper says", "The plan", "Time and cost"} <= set(
        page["headings"])
    assert page["images"], "no image on the page"
    assert all(i["complete"] and i["width"] > 0 for i in page["images"]), page["images"]  # none broken
    [curve] = [i for i in page["images"] if i["id"] == "loss-curve"]
    assert curve["width"] >= 600 and curve["blue"] > 200 and curve["green"] > 50  # both curves drawn
    header, first = page["final"][0], page["final"][1]
    assert header == ["metric", "this run", "paper", "paper source"]
    ours = run["summary"]["metrics"]["test_accuracy"]
    assert first[0] == "test accuracy" and first[1] == f"{ours:.4f}"
    assert first[2] == f"{run['summary']['paper_value']:.4f}" and first[3].startswith("p. ")  # with its quote
    assert [row[1] for row in page["attempts"][1:]] == ["smoke", "full"]
    assert any(row[0] == "learning_rate" for row in page["spec"])
    stated = json.loads((Path(run["run_dir"]) / "plan.json").read_text())["fidelity"]
    assert stated["stated"] and run["fidelity"]["used"] == stated["used"]  # the plan's fidelity, in show and here
    assert page["fidelity"].startswith(f"Fidelity: {stated['used']}/{stated['stated']} = ")
    assert page["spec"][0] == ["field", "setting", "value", "source"]
    assert ["learning_rate", "default", "0.001"] in [row[:3] for row in page["spec"]]  # each value with its setting
    cost = dict(row for row in page["cost"])
    assert cost["LLM"] == "no calls, $0.00" and cost["time in attempts"].endswith("(2 attempt(s))")
    # did it reproduce? a smoke run is not comparable; the untrained model's accuracy is the baseline beside it
    verdict = dict(row for row in page["verdict"])
    assert verdict["verdict"] == "not comparable" and verdict["why"].startswith("a smoke run")
    baseline = run["summary"]["reproduction"]["baseline"]
    assert 0 <= baseline < ours and f"baseline {baseline:.4f} (untrained model" in verdict["test_accuracy"]
    assert verdict["spent"] == "no GPU (cpu)"
    code, shown, _ = cli("show", run["id"])
    assert code == 0 and "reproduced?" in shown and "not comparable: a smoke run" in shown


def test_report_of_a_repaired_run_shows_the_failure_class_and_the_fix_diff(cli, tmp_path):
    fault = next(f for f in FAULTS if f.name == "missing-import-math")
    fault.make(tmp_path / "proj")
    code, out, err = cli("exec", tmp_path / "proj", "--json")
    assert code == 0, err
    page = render(Path(json.loads(out)["run_dir"]) / "report.html")
    failed = page["attempts"][1]
    assert failed[2] == "failed" and failed[6].startswith("missing_name: ")
    assert "import math" in failed[7]  # the fix, in words
    [diff] = page["diffs"]
    assert "+import math" in diff and "train.py" in diff
    assert all(i["complete"] and i["width"] > 0 for i in page["images"])
