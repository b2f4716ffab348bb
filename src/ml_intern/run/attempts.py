"""The attempt loop: a smoke attempt first, then the full run; every attempt is a git commit of the project,
a log file, a row in the store and an entry in ``attempts.json``, written as it happens.

A failed attempt is classified (``diagnose.py``). The repair issue plugs fixes in at ``REPAIRS``; with no fix for
a failure the loop stops and the run needs review, with the failure and the log tail in the summary.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ml_intern.build.builder import commit_attempt
from ml_intern.plan.models import Budgets
from ml_intern.run.diagnose import Failure, classify
from ml_intern.run.sandbox import Job, get_sandbox
from ml_intern.run.sandbox.env import scrubbed_env
from ml_intern.track.store import Store
from ml_intern.ui import QuietUI
from ml_intern.workspace import write_json

AttemptKind = Literal["smoke", "full"]
OUTPUTS = {"smoke": "outputs-smoke", "full": "outputs"}

# A repair takes (project path, failure) and returns a one-line description of the change it made, or None.
Repair = Callable[[Path, Failure], str | None]
REPAIRS: list[Repair] = []


class Attempt(BaseModel):
    number: int
    kind: AttemptKind
    status: Literal["running", "succeeded", "failed", "interrupted"]
    commit: str
    command: list[str]
    log: str
    resumed_from_step: int | None = None
    started_at: float
    finished_at: float | None = None
    exit_code: int | None = None
    failure: Failure | None = None
    fix: str | None = Field(default=None, description="the change made after this attempt failed")
    last_step: int | None = None


class Outcome(BaseModel):
    status: Literal["succeeded", "needs_review"]
    attempts: list[Attempt]
    results: dict | None = None
    summary: str


class _MetricsTail:
    """Reads new rows of metrics.jsonl while the attempt runs (complete lines only)."""

    def __init__(self, path: Path):
        self.path, self.offset, self.inode = path, 0, None

    def read(self) -> list[dict]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return []
        if st.st_ino != self.inode or st.st_size < self.offset:  # replaced (resume truncates it): start over
            self.inode, self.offset = st.st_ino, 0
        with self.path.open() as f:
            f.seek(self.offset)
            chunk = f.read()
        complete = chunk[: chunk.rfind("\n") + 1]
        self.offset += len(complete)
        rows = []
        for line in complete.splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return rows


def _load_attempts(run_dir: Path) -> list[Attempt]:
    path = run_dir / "attempts.json"
    return [Attempt.model_validate(a) for a in json.loads(path.read_text())] if path.exists() else []


def _save_attempts(run_dir: Path, attempts: list[Attempt]) -> None:
    write_json(run_dir / "attempts.json", [a.model_dump() for a in attempts])


def _latest_checkpoint_step(output_dir: Path) -> int | None:
    complete = sorted(p for p in (output_dir / "checkpoints").glob("step-*") if (p / "COMPLETE").exists())
    return int(complete[-1].name.split("-")[1]) if complete else None


def run_attempts(run_id: str, run_dir: Path, project: Path, budgets: Budgets, store: Store,
                 ui: QuietUI | None = None, sandbox: str = "process") -> Outcome:
    """Run (or continue) the attempts of a run until success or the budget; return the outcome."""
    ui = ui or QuietUI()
    backend = get_sandbox(sandbox)
    attempts = _load_attempts(run_dir)
    for a in attempts:  # a previous process died mid-attempt
        if a.status == "running":
            a.status, a.finished_at = "interrupted", a.finished_at or time.time()
    _save_attempts(run_dir, attempts)
    budget = budgets.max_attempts

    while True:
        smoke_ok = any(a.kind == "smoke" and a.status == "succeeded" for a in attempts)
        full_ok = next((a for a in attempts if a.kind == "full" and a.status == "succeeded"), None)
        if full_ok:
            results = json.loads((project / OUTPUTS["full"] / "results.json").read_text())
            return Outcome(status="succeeded", attempts=attempts, results=results,
                           summary=f"succeeded on attempt {full_ok.number}")
        # an interrupted attempt (Ctrl-C, a killed runner) is not a failure and does not use the budget
        if sum(a.status != "interrupted" for a in attempts) >= budget:
            return Outcome(status="needs_review", attempts=attempts,
                           summary=_review_summary(attempts, f"the attempt budget ({budget}) is used up"))
        last = attempts[-1] if attempts else None
        if last and last.status == "failed":
            fix = next((desc for repair in REPAIRS if (desc := repair(project, last.failure))), None)  # type: ignore[arg-type]
            repeated = fix and any(a.fix == fix and a.failure and last.failure and a.failure.cls == last.failure.cls
                                   for a in attempts[:-1])
            if not fix or repeated:
                why = "no known fix for this failure" if not fix else "the same fix already failed once"
                return Outcome(status="needs_review", attempts=attempts, summary=_review_summary(attempts, why))
            last.fix = fix
            _save_attempts(run_dir, attempts)

        kind: AttemptKind = "full" if smoke_ok else "smoke"
        output_dir = project / OUTPUTS[kind]
        argv = [sys.executable, "train.py", "--config", "config.yaml", "--output-dir", OUTPUTS[kind]]
        resumed_from = None
        if kind == "smoke":
            argv.append("--smoke")
        elif last and last.kind == "full" and last.status == "interrupted":
            resumed_from = _latest_checkpoint_step(output_dir)
            if resumed_from is not None:
                argv.append("--resume")
        number = len(attempts) + 1
        message = f"attempt {number}: {kind}" + (f", resumed from step {resumed_from}" if resumed_from else "")
        if last and last.fix:
            message += f"\n\nfix after attempt {last.number} ({last.failure.cls if last.failure else ''}): {last.fix}"
        commit = commit_attempt(project, message)
        log = run_dir / "logs" / f"attempt-{number}.log"
        attempt = Attempt(number=number, kind=kind, status="running", commit=commit, command=argv[1:],
                          log=str(log.relative_to(run_dir)), resumed_from_step=resumed_from, started_at=time.time())
        attempts.append(attempt)
        _save_attempts(run_dir, attempts)
        store.attempt_started(run_id, number, kind, commit, str(log), resumed_from)
        ui.attempt_started(number, kind, budget)

        try:
            _run_one(run_id, number, argv, project, output_dir, run_dir, log, budgets, store, ui, backend, kind, attempt)
        except BaseException:  # Ctrl-C or SIGTERM: the sandbox killed the process group; record and re-raise
            attempt.status, attempt.finished_at = "interrupted", time.time()
            _save_attempts(run_dir, attempts)
            store.attempt_finished(run_id, number, "interrupted", None)
            ui.attempt_finished(number, "interrupted")
            raise
        _save_attempts(run_dir, attempts)
        store.attempt_finished(run_id, number, attempt.status, attempt.exit_code,
                               attempt.failure.cls if attempt.failure else None,
                               attempt.failure.message if attempt.failure else None)
        ui.attempt_finished(number, attempt.status,
                            f"{attempt.failure.cls}: {attempt.failure.message}" if attempt.failure else "")


def _run_one(run_id: str, number: int, argv: list[str], project: Path, output_dir: Path, run_dir: Path, log: Path,
             budgets: Budgets, store: Store, ui: QuietUI, backend, kind: AttemptKind, attempt: Attempt) -> None:
    metrics = _MetricsTail(output_dir / "metrics.jsonl")
    (output_dir / "results.json").unlink(missing_ok=True)
    if "--resume" not in argv:
        (output_dir / "metrics.jsonl").unlink(missing_ok=True)
    state = {"step": 0, "total": None, "loss": None}

    def tick() -> None:
        rows = metrics.read()
        if rows:
            store.add_metrics(run_id, number, rows)
            for row in rows:
                state["step"] = max(state["step"], int(row.get("step", 0)))
                if "loss" in row:
                    state["loss"] = row["loss"]
        if state["total"] is None and (info := output_dir / "run_info.json").exists():
            try:
                state["total"] = json.loads(info.read_text())["total_steps"]
            except (ValueError, KeyError):
                pass
        ui.progress(state["step"], state["total"], state["loss"])

    timeout = budgets.smoke_timeout_s if kind == "smoke" else budgets.attempt_timeout_s
    job = Job(argv=argv, cwd=project, env=scrubbed_env(run_dir), timeout_s=timeout, log_path=log,
              writable=[project, run_dir])
    try:
        result = backend.run(job, ui.output_line, tick)
    finally:
        attempt.last_step = state["step"] or None
    tick()
    attempt.exit_code, attempt.finished_at = result.exit_code, time.time()
    if result.exit_code == 0 and not result.timed_out and (output_dir / "results.json").exists():
        attempt.status = "succeeded"
    else:
        attempt.status = "failed"
        attempt.failure = classify(result, log.read_text(errors="replace"))


def _review_summary(attempts: list[Attempt], why: str) -> str:
    last = attempts[-1] if attempts else None
    if last is None or last.failure is None:
        return f"stopped: {why}"
    return (f"stopped after {len(attempts)} attempt(s): {why}. Last failure (attempt {last.number}, {last.kind}): "
            f"{last.failure.cls}: {last.failure.message}. Log: {last.log}")
