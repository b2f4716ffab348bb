"""The run folder: the one typed record of a run, and the one way to read and write it.

A run folder holds what was asked (``run.json``: ``RunRecord``), each stage's output (``paper.json``, ``spec.json``,
``plan.json``, ``project.json``, ``attempts.json``, ``outcome.json``) and the project the attempts ran. Every file is
a pydantic model's JSON, written atomically (a temporary file, then a rename) after every step, so a process killed
at any moment leaves each file whole: the last step's, or the one before. The SQLite store (``track/store.py``) is the
index of these records for listing and querying: the same models, the same names.

This module is a shared part at the bottom: stages import it; it imports only the stage *models* (plain pydantic
modules), and ``Project``, ``Attempt`` and ``Outcome`` at the moment a file of theirs is read.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ml_intern.track.verdict import Reproduction
from pydantic import BaseModel, Field

from ml_intern import __version__, jobfiles
from ml_intern.errors import InputError
from ml_intern.paper.models import Paper, PaperSpec
from ml_intern.plan.models import Budgets, ExperimentPlan, Scale

if TYPE_CHECKING:
    from ml_intern.codegen.builder import Project
    from ml_intern.run.attempts import Attempt, Outcome
    from ml_intern.track.store import Store

M = TypeVar("M", bound=BaseModel)

# what each part of the record is called in the folder
FILES = {"record": "run.json", "paper": "paper.json", "spec": "spec.json", "plan": "plan.json",
         "project": "project.json", "attempts": "attempts.json", "outcome": "outcome.json",
         "reproduction": "reproduction.json"}


def write_json(path: Path, data: BaseModel | dict | list) -> None:
    """Write to a temporary file, then rename: a reader never sees half a file."""
    text = data.model_dump_json(indent=2) if isinstance(data, BaseModel) else json.dumps(data, indent=2)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def read_model(path: Path, model: type[M]) -> M:
    try:
        return model.model_validate_json(path.read_text())
    except FileNotFoundError:
        raise InputError("no such file", subject=str(path)) from None
    except ValueError as exc:
        raise InputError(f"not a valid {model.__name__} ({str(exc).splitlines()[0]})", subject=str(path),
                         fix=f"give the {model.__name__} JSON written by the previous stage") from None


class RunOptions(BaseModel):
    """What the person asked for on the command line (kept in the record: ``resume`` and ``reproduce`` reuse it)."""

    scale: Scale = "small"
    setting: str | None = None  # the paper's setting to reproduce (`--setting`); None: its main result's
    overrides: dict[str, object] = Field(default_factory=dict)
    budgets: Budgets = Field(default_factory=Budgets)
    sandbox: str = "auto"
    allow_network: bool = False
    allow_scope_changes: bool = False
    memory_mb: int | None = 8192
    max_processes: int | None = 256
    file_size_mb: int | None = 4096
    stall_s: float = 600.0
    llm: str | None = None  # PROVIDER:MODEL: extraction, classifying unknown failures, the agent; None: rules only
    track: list[str] = Field(default_factory=list)  # experiment trackers (track/trackers.py)


class RunRecord(BaseModel):
    """run.json: what was asked, with what, where."""

    id: str
    source: str
    source_copy: str = Field(description="the run's copy of its source, relative to the folder; `project` for a "
                                         "run of `ml-intern exec` (no paper, no plan)")
    created_at: float
    options: RunOptions
    ml_intern_version: str = __version__
    python: str = Field(default_factory=lambda: sys.version.split()[0])
    platform: str = Field(default_factory=platform.platform)
    budget_start: int = 0  # set when a run that needed review is resumed after a human edit
    reproduces: str | None = None  # the run this one re-runs (`ml-intern reproduce`)
    sweep: str | None = None  # the sweep this run is one combination of (`ml-intern sweep`)


class RunSummary(BaseModel):
    """The end of a run in a few fields: what the store's index shows in ``runs`` and ``show``."""

    status: str | None = None
    summary: str | None = None
    attempts: int | None = None
    metric: str | None = Field(None, description="the plan's metric, as `SPLIT_NAME` (e.g. `test_accuracy`)")
    value: float | None = None
    paper_value: float | None = None
    metrics: dict[str, Any] = Field(default_factory=dict)
    steps: int | None = None
    train_seconds: float | None = None
    metrics_check: str | None = Field(None, description="`verified` (ml-intern's own evaluation of the saved model "
                                      "agrees) or `self-reported` (it could not evaluate it), with the reason")
    reproduction: Reproduction | None = Field(None, description="the metric against the baseline and the paper: "
                                                                "the verdict, its reason, GPU-hours and dollars")


class LLMUsage(BaseModel):
    """Totals of a run's LLM calls (``cost_known`` is false when some call's model has no price)."""

    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    cost_known: bool = True


class RunRow(BaseModel):
    """A run as the store's index lists it (``Store.get_run``, ``list_runs``): what ``runs`` and ``show`` render."""

    id: str
    created_at: float
    updated_at: float
    source: str
    title: str | None = None
    status: str
    scale: str | None = None
    run_dir: str
    pid: int | None = None
    host: str | None = None
    summary: RunSummary | None = None
    error: str | None = None
    llm: LLMUsage | None = None


class RunFolder:
    """One run's folder. Reads return the stage's model (or None where the stage has not written it yet); a file that
    does not validate is an ``InputError`` naming it. With a store, ``save_attempts`` also indexes each attempt."""

    def __init__(self, path: str | Path, store: Store | None = None):
        self.path = Path(path)
        self.store = store

    @property
    def id(self) -> str:
        return self.path.name

    def file(self, part: str) -> Path:
        return self.path / FILES[part]

    def has(self, part: str) -> bool:
        return self.file(part).exists()

    def _read(self, part: str, model: type[M]) -> M | None:
        return read_model(self.file(part), model) if self.has(part) else None

    def write(self, part: str, data: BaseModel | dict | list) -> Path:
        write_json(self.file(part), data)
        return self.file(part)

    # -- the record and the stages' outputs
    def record(self) -> RunRecord:
        return read_model(self.file("record"), RunRecord)

    def write_record(self, record: RunRecord) -> None:
        self.write("record", record)

    def is_exec(self) -> bool:
        """A run of ``ml-intern exec``: a project, no paper and no plan."""
        return self.has("record") and self.record().source_copy == "project"

    def paper(self) -> Paper | None:
        return self._read("paper", Paper)

    def spec(self) -> PaperSpec | None:
        return self._read("spec", PaperSpec)

    def plan(self) -> ExperimentPlan | None:
        return self._read("plan", ExperimentPlan)

    def project(self) -> Project | None:
        from ml_intern.codegen.builder import Project

        return self._read("project", Project)

    def outcome(self) -> Outcome | None:
        from ml_intern.run.attempts import Outcome

        return self._read("outcome", Outcome)

    def attempts(self) -> list[Attempt]:
        from ml_intern.run.attempts import Attempt

        if not self.has("attempts"):
            return []
        try:
            return [Attempt.model_validate(a) for a in json.loads(self.file("attempts").read_text())]
        except (ValueError, TypeError) as exc:
            raise InputError(f"not a valid list of attempts ({str(exc).splitlines()[0]})",
                             subject=str(self.file("attempts"))) from None

    def save_attempts(self, attempts: list[Attempt]) -> None:
        """attempts.json, atomically, then each attempt's row in the store's index."""
        self.write("attempts", [a.model_dump(mode="json") for a in attempts])
        if self.store is not None:
            self.store.put_attempts(self.id, attempts)

    def set_aside_outcome(self, done: int) -> None:
        """A run that needed review goes on: its outcome is kept as ``outcome-review-N.json``."""
        self.file("outcome").replace(self.path / f"outcome-review-{done}.json")

    # -- what the training code wrote (untrusted: bounded reads, a malformed file reads as nothing)
    def outputs(self) -> Path:
        return self.path / "project" / "outputs"

    def _output(self, name: str) -> Path | None:
        """outputs/``name`` if it is a regular file reached through no link, else None (the job wrote it)."""
        return jobfiles.inside(self.path / "project", f"outputs/{name}")

    def _output_json(self, name: str) -> dict:
        path = self._output(name)
        return jobfiles.read_json_object(path) if path else {}

    def results(self) -> dict:
        """The full attempt's ``results.json`` (metrics, steps, seed), or {}."""
        return self._output_json("results.json")

    def run_info(self) -> dict:
        """The full attempt's ``run_info.json`` (versions, device, data fingerprint, config), or {}."""
        return self._output_json("run_info.json")

    def metrics_rows(self) -> list[dict]:
        """The full attempt's ``metrics.jsonl`` rows (malformed lines skipped)."""
        path = self._output("metrics.jsonl")
        return jobfiles.read_json_lines(path) if path else []

    # -- forking (reproduce, sweep)
    def copy_parts(self, to: RunFolder, parts: Iterable[str]) -> None:
        """Copy parts of this run into a new one: record parts by name (``paper``, ``spec``, …) or folders
        (``source``)."""
        for part in parts:
            src, dst = (self.file(part), to.file(part)) if part in FILES else (self.path / part, to.path / part)
            if src.is_dir():
                shutil.copytree(src, dst)
            elif src.exists():
                shutil.copy2(src, dst)
