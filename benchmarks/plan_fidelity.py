"""How faithfully the planner carries the real papers in ../shared/papers/: per paper the task and recipe chosen,
the fidelity (values the plan uses / values the paper states for the chosen setting, at scale paper) and what it
lists as unsupported, with the reason; a paper whose task no recipe trains should stop (UnsupportedTask). A paper
whose data sets ml-intern cannot load (DataNeeded) is planned on a local table given as a user gives their copy
(``--set dataset=csv:PATH``), and says so.

    python benchmarks/plan_fidelity.py [NAME ...]

The right task is the one ``expected.json`` gives (``other``: no recipe, so stopping is right). NAME picks papers
whose file name contains it. Reading uses the rule-based extractor (offline); its misses are the reader's, and show
here as a lower ``stated`` count or a wrong task, not as the planner's.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ml_intern.bench.paper_smoke import data_overrides
from ml_intern.bench.reader import expected_papers
from ml_intern.errors import DataNeeded, MLInternError, UnsupportedTask
from ml_intern.paper import read_source, spec_for
from ml_intern.plan import make_plan

PAPERS = Path(__file__).resolve().parents[2] / "shared" / "papers"
# expected.json's task -> the recipe task families that train it (None: no recipe, the plan should stop)
FAMILIES = {"image_classification": ("image-classification", "image-classification-hf"),
            "text_classification": ("text-classification",), "token_classification": ("token-classification",),
            "seq2seq": ("seq2seq",), "causal_lm_pretraining": ("causal-lm-pretraining",),
            "causal_lm_finetuning": ("causal-lm-finetuning",), "tabular": ("tabular",), "other": None}


def plan_paper(path: Path, expected: dict) -> dict:
    started = time.perf_counter()
    row = {"paper": path.stem, "expected": expected.get("task"), "task": "-", "recipe": "-", "fidelity": None,
           "used": 0, "stated": 0, "unsupported": [], "stopped": None}
    try:
        spec = spec_for(read_source(str(path)))
        try:
            plan = make_plan(spec, scale="paper")
        except DataNeeded as exc:  # planned on a local table as the user would give it: the plan is the paper's
            with tempfile.TemporaryDirectory() as home:
                plan = make_plan(spec, scale="paper", overrides=data_overrides(Path(home)))
            row["stopped"] = f"data: {exc.problem} (planned here on a local table, --set dataset=csv:PATH)"
    except UnsupportedTask as exc:
        row["stopped"] = f"unsupported task: {exc.problem}"
    except MLInternError as exc:
        row["stopped"] = exc.problem
    else:
        row.update(task=plan.task_type, recipe=plan.recipe, used=plan.fidelity.used, stated=plan.fidelity.stated,
                   fidelity=plan.fidelity.value,
                   unsupported=[f"{k}={v.value} ({v.reason})" for k, v in plan.unsupported.items()])
    families = FAMILIES.get(row["expected"] or "", ())
    row["right"] = (row["recipe"] in families) if families else (families is None and row["recipe"] == "-")
    row["seconds"] = time.perf_counter() - started
    return row


def main(only: list[str]) -> int:
    expected = expected_papers(PAPERS, only)
    if expected is None:
        return 0
    rows = [plan_paper(PAPERS / name, exp) for name, exp in expected.items()]
    table = Table(title="plan fidelity (scale paper, rule-based reader)")
    for col in ("paper", "expected task", "recipe", "right", "fidelity", "unsupported", "stopped"):
        table.add_column(col, overflow="fold")
    for r in rows:
        fidelity = f"{r['used']}/{r['stated']} = {r['fidelity']:.2f}" if r["fidelity"] is not None else "-"
        table.add_row(r["paper"], str(r["expected"]), r["recipe"], "yes" if r["right"] else "no", fidelity,
                      "; ".join(r["unsupported"]) or "-", r["stopped"] or "-")
    console = Console(width=240)
    console.print(table)
    covered = [r for r in rows if FAMILIES.get(r["expected"] or "")]
    planned = [r for r in rows if r["fidelity"] is not None]
    used, stated = sum(r["used"] for r in planned), sum(r["stated"] for r in planned)
    console.print(
        f"overall: right task {sum(r['right'] for r in covered)}/{len(covered)} papers whose family has a recipe, "
        f"{sum(r['right'] for r in rows if r not in covered)}/{len(rows) - len(covered)} others stopped; "
        f"fidelity {used}/{stated} = {used / max(stated, 1):.2f} over {len(planned)} plans, "
        f"{sum(r['fidelity'] >= 0.9 for r in planned)}/{len(planned)} at 0.9 or more; "
        f"{sum(len(r['unsupported']) for r in planned)} values unsupported; "
        f"{sum(r['seconds'] for r in rows):.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
