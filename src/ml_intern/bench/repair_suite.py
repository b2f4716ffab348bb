"""Run broken projects through `ml-intern exec` (no LLM) and measure diagnosis and repair."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from ml_intern.bench.faults import Fault
from ml_intern.plan.models import Budgets
from ml_intern.ui import QuietUI
from ml_intern.workspace import Workspace


@dataclass
class Row:
    fault: str
    expected: str
    detected: str | None  # the class of the first failed attempt
    fixed: bool
    status: str
    attempts: int
    seconds: float
    sandbox: str
    summary: str

    @property
    def ok(self) -> bool:
        """Diagnosed right, and fixed when a fix is expected, else stopped for review (as the test asks: a run that
        ended any other way, an error of ml-intern's own included, is not what a fault without a rule should do)."""
        return self.detected == self.expected and self.status == ("succeeded" if self.fixed else "needs_review")


def run_fault(fault: Fault, workdir: Path, ws: Workspace, sandbox: str = "auto") -> Row:
    from ml_intern.pipeline import RunOptions, exec_project

    project = workdir / fault.name
    fault.make(project)
    budget_keys = set(Budgets.model_fields)
    fault_options = fault.run_options()
    budgets = Budgets(**{k: v for k, v in fault_options.items() if k in budget_keys})
    options = RunOptions(budgets=budgets, sandbox=sandbox,
                         **{k: v for k, v in fault_options.items() if k not in budget_keys})
    started = time.monotonic()
    run = exec_project(str(project), options, ws, QuietUI())
    seconds = time.monotonic() - started
    attempts = json.loads((Path(run["run_dir"]) / "attempts.json").read_text())
    first_failure = next((a["failure"]["cls"] for a in attempts if a.get("failure")), None)
    return Row(fault=fault.name, expected=fault.expected, detected=first_failure, fixed=fault.fixable,
               status=run["status"], attempts=len(attempts), seconds=seconds,
               sandbox=attempts[0]["sandbox"] if attempts else "", summary=(run.get("summary") or {}).get("summary", ""))
