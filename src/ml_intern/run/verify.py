"""Metrics you can trust: ml-intern evaluates the saved model itself and checks what the job reported.

A full attempt's ``results.json`` is what the job's own code says, and the job's code is untrusted (a repair, by
rule, agent or hand, may have touched it; a script can write ``accuracy: 1.0`` and train nothing). After a full
attempt of a recipe's project succeeds, ml-intern runs the recipe's *own* code (``train.py``, ``sources.py`` and the
family's task file, taken from ml-intern's package, not from the project) in a fresh sandbox, with the project
read-only: ``train.py --evaluate outputs/model`` builds the model as the config says, loads the saved weights and
evaluates them on the same seeded held-out splits. Each metric the job reported must match ml-intern's within
``ABS_TOL + REL_TOL * |value|`` (bf16 kernels on a GPU reorder sums; a CPU run matches exactly); a metric missing
or out of tolerance makes the attempt fail as ``metric_mismatch``; an evaluation that cannot run (no saved
model, a crash, out of memory) fails it as ``check_failed``.

A run at ``smoke`` scale is not checked (``not checked``): its few steps check the code path, its metrics are no
result (every listing shows the scale), and the check would double its cost.

A project without a recipe (a lone script through ``exec``) or whose model is the project's own code
(``model_code``: the evaluation would run it) cannot be checked this way: its metrics are marked
``self-reported`` wherever they are shown.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ml_intern import jobfiles
from ml_intern.run.sandbox.base import Job

ABS_TOL, REL_TOL = 1e-3, 1e-2
VerificationStatus = Literal["verified", "mismatch", "failed", "self-reported", "not checked"]


class Verification(BaseModel):
    """ml-intern's own evaluation of an attempt's saved model, against what the attempt reported."""

    status: VerificationStatus
    reason: str
    evaluated: dict[str, float] = Field(default_factory=dict, description="ml-intern's own metrics of the model")
    mismatches: dict[str, list[float | None]] = Field(
        default_factory=dict, description="metric -> [reported, evaluated], for those out of tolerance or missing")
    log: str | None = Field(default=None, description="the evaluation's log, relative to the run folder")

    @property
    def trusted(self) -> bool:
        return self.status == "verified"


_NAME = re.compile(r'^NAME\s*=\s*["\']([\w.-]+)["\']', re.M)


def task_file_of(project: Path, recipe: str | None) -> str | None:
    """The skeleton's task file the project was built from: its recipe's, or (a project run through ``exec``) the
    one whose ``NAME`` its task.py declares; None for a project not in the skeleton."""
    from ml_intern.codegen.task_contract import task_files
    from ml_intern.plan.recipes import RECIPES

    if recipe in RECIPES:
        return RECIPES[recipe].task_file
    text = jobfiles.read_text(project / "task.py", 1 << 20)
    name = _NAME.search(text) if text else None
    if name is None or jobfiles.read_bytes(project / "train.py", 0) is None:
        return None
    return next((f.name for f in task_files() if (m := _NAME.search(f.read_text())) and m.group(1) == name.group(1)),
                None)


def last_check(attempts: list) -> Verification | None:
    """The check of the run's result: that of its last successful full attempt (None: there is none)."""
    return next((a.verification for a in reversed(attempts)
                 if a.kind == "full" and a.status == "succeeded" and a.verification), None)


def self_reported(project: Path, task_file: str | None) -> str | None:
    """Why the project's metrics can only be self-reported (None: ml-intern can evaluate its saved model)."""
    if task_file is None:
        return "a project without a recipe: its metrics are what its own code reported"
    config = jobfiles.read_yaml_object(project / "config.yaml")
    if config is None:
        return "config.yaml cannot be read safely (a link, too big, not a mapping)"
    if config.get("model_code"):
        return "the model is the project's own code (model_code), which the evaluation would have to run"
    return None


def compare(reported: dict, evaluated: dict[str, float]) -> dict[str, list[float | None]]:
    """ml-intern's metrics the job reported out of tolerance, or did not report."""
    out: dict[str, list[float | None]] = {}
    for name in sorted(evaluated):  # (a metric only the job computes is not checked, and not shown as checked)
        mine, theirs = jobfiles.finite(evaluated.get(name)), jobfiles.finite(reported.get(name))
        if mine is None and theirs is None:
            continue
        if mine is None or theirs is None or abs(mine - theirs) > ABS_TOL + REL_TOL * abs(mine):
            out[name] = [theirs, mine]
    return out


def verify(project: Path, run_dir: Path, number: int, recipe: str | None, reported: dict,
           run_job: Callable[[Job], object], make_job: Callable[..., Job]) -> Verification:
    """Evaluate attempt ``number``'s saved model with the recipe's own code and compare with ``reported``.

    ``make_job(argv, cwd, log, writable, readonly)`` makes the sandboxed job (the attempt's limits, environment and
    time); ``run_job`` runs it in the attempt's sandbox."""
    from ml_intern.codegen.builder import skeleton_files

    task_file = task_file_of(project, recipe)
    why = self_reported(project, task_file)
    if why:
        return Verification(status="self-reported", reason=why)
    model = project / "outputs" / "model"
    if not any(jobfiles.inside(project, f"outputs/model/{n}") for n in (
            "model.safetensors", "model.safetensors.index.json", "adapter_model.safetensors")):
        return Verification(status="failed", reason="no saved model in outputs/model/ (or it is reached through a link)")
    where = run_dir / "verify" / f"attempt-{number}"
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    assert task_file is not None
    for name, template in skeleton_files(task_file).items():
        shutil.copy2(template, where / name)  # ml-intern's own code, not the project's
    if not jobfiles.copy_file(project / "config.yaml", where / "config.yaml"):
        return Verification(status="failed", reason="config.yaml is not a regular file")
    log = run_dir / "logs" / f"attempt-{number}-evaluation.log"
    log.unlink(missing_ok=True)
    argv = [sys.executable, str(where / "train.py"), "--config", str(where / "config.yaml"), "--evaluate", str(model),
            "--output-dir", str(where / "outputs")]
    result = run_job(make_job(argv, project, log, [where], [project]))
    rel = str(log.relative_to(run_dir))
    found = jobfiles.inside(where, "outputs/evaluation.json")
    evaluated = (jobfiles.read_json_object(found).get("metrics") if found else None) or {}
    evaluated = {k: v for k, v in evaluated.items() if isinstance(k, str) and jobfiles.finite(v) is not None}
    if getattr(result, "exit_code", None) != 0 or not evaluated:
        from ml_intern.run.diagnose import last_exception

        text = jobfiles.read_tail(log, 1 << 20) or ""
        return Verification(status="failed", log=rel, reason="ml-intern's evaluation of the saved model did not "
                            f"finish: {last_exception(text) or 'exit code %s' % getattr(result, 'exit_code', None)}")
    mismatches = compare(reported, evaluated)
    if mismatches:
        shown = "; ".join(f"{k}: reported {a}, evaluated {b}" for k, (a, b) in list(mismatches.items())[:4])
        return Verification(status="mismatch", evaluated=evaluated, mismatches=mismatches, log=rel,
                            reason=f"the reported metrics differ from ml-intern's evaluation of the saved model ({shown})")
    return Verification(status="verified", evaluated=evaluated, log=rel,
                        reason=f"{len(evaluated)} metrics match ml-intern's own evaluation of the saved model")
