"""Sweeps: one run per combination of settings, each re-planned from a base run's spec with the combination as
overrides (recorded as such), run one after another, and compared in one table.

``ml-intern sweep RUN_ID --param learning_rate=1e-5,3e-5,5e-5 --param batch_size=16,32`` makes six runs. The sweep
is kept in ``$ML_INTERN_HOME/sweeps/SWEEP_ID.json`` (its settings and each combination's run, written as each
starts), so ``ml-intern sweep SWEEP_ID`` after an interruption goes on: finished runs are kept, an interrupted
run is resumed, and combinations not started yet are started.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pydantic import BaseModel, Field

from ml_intern.errors import InputError, MLInternError
from ml_intern.plan.planner import RUN_KEYS
from ml_intern.ui import QuietUI
from ml_intern.runfolder import read_model, write_json
from ml_intern.workspace import Workspace, new_run_id

FINISHED = ("succeeded", "needs_review", "failed")


class SweepRun(BaseModel):
    params: dict[str, str]
    run_id: str | None = None


class Sweep(BaseModel):
    id: str
    base: str
    params: dict[str, list[str]]
    created_at: float = Field(default_factory=time.time)
    runs: list[SweepRun]


def parse_params(given: list[str]) -> dict[str, list[str]]:
    """``["learning_rate=1e-5,3e-5"]`` -> ``{"learning_rate": ["1e-5", "3e-5"]}``."""
    params: dict[str, list[str]] = {}
    for item in given:
        name, sep, values = item.partition("=")
        name = name.strip()
        choices = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not name or not choices:
            raise InputError(f"--param {item!r} is not NAME=V1,V2,...", fix="e.g. --param learning_rate=1e-5,3e-5")
        if name in params:
            raise InputError(f"--param {name} is given twice", fix="give each setting once, with all its values")
        params[name] = list(dict.fromkeys(choices))
    return params


def paper_grid(run_id: str, ws: Workspace) -> dict[str, list[str]]:
    """The grid the paper states for the run's setting (its plan's ``grid``): the sweep's settings."""
    base = ws.resolve_run(run_id)
    plan = ws.folder(base["id"]).plan()
    if plan is None or not plan.grid:
        raise InputError(f"run {base['id']}'s plan has no grid from the paper" if plan else
                         f"run {base['id']} has no plan", fix="give the values with --param NAME=V1,V2")
    return plan.grid


def _same(planned: object, given: str) -> bool:
    try:
        return float(planned) == float(given)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(planned) == given


def sweep_path(ws: Workspace, sweep_id: str) -> Path:
    return ws.home / "sweeps" / f"{sweep_id}.json"


def new_sweep(run_id: str, params: dict[str, list[str]], ws: Workspace, reuse_base: bool = False) -> Sweep:
    """Check the base run and the settings (typed errors before any run exists) and write the sweep's record.
    ``reuse_base``: the base run counts as the combination its own plan holds (a paper grid's first values)."""
    base = ws.resolve_run(run_id)
    src = ws.folder(base["id"])
    plan = src.plan()
    if not src.has("spec") or plan is None:
        raise InputError(f"run {base['id']} has no " + ("paper or plan to vary (it ran a project with `exec`)"
                                                         if src.is_exec() else "plan (it stopped before planning)"),
                         fix="sweep a run started with `ml-intern run`")
    if not params:
        raise InputError("a new sweep needs at least one --param", fix="e.g. --param learning_rate=1e-5,3e-5")
    known = set(plan.model) | set(plan.hyperparameters) | set(RUN_KEYS)
    for name in params:
        if name not in known:
            raise InputError(f"--param {name}: the plan has no such setting",
                             fix=f"settings of this plan: {', '.join(sorted(known))}")
    combos = [dict(zip(params, values)) for values in itertools.product(*params.values())]
    runs = [SweepRun(params=c) for c in combos]
    if reuse_base and base["status"] == "succeeded":  # the base run already is the combination its plan holds
        planned = plan.values()
        for item in runs:
            if all(_same(planned.get(k), v) for k, v in item.params.items()):
                item.run_id = base["id"]
                break
    sweep = Sweep(id="sweep-" + new_run_id(), base=base["id"], params=params, runs=runs)
    path = sweep_path(ws, sweep.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json(path, sweep)
    return sweep


def run_sweep(sweep: Sweep, ws: Workspace, ui: QuietUI | None = None, parallel: int = 1) -> Sweep:
    """Start or resume each combination's run; the record is written before each run starts. ``parallel`` > 1 runs
    that many at once, each in an ml-intern process of its own (``python -m ml_intern.sweep RUN_ID``): with
    ``--sandbox ray`` their attempts run side by side on the cluster."""
    ui = ui or QuietUI()
    path = sweep_path(ws, sweep.id)
    todo = []
    for i, item in enumerate(sweep.runs, 1):
        label = f"sweep {sweep.id} {i}/{len(sweep.runs)}: " + ", ".join(f"{k}={v}" for k, v in item.params.items())
        if item.run_id is not None:
            run = ws.store.get_run(item.run_id)  # (a run whose process died is marked interrupted here)
            if run is None:
                item.run_id = None  # recorded, never created in the store: start it
            elif run["status"] in FINISHED or run["status"] == "running":  # done, or another process drives it
                if run["status"] == "running":
                    ui.note(f"{label}: run {item.run_id} is running in process {run['pid']}: left to it")
                continue
        todo.append((item, label))
    if parallel <= 1:
        for item, label in todo:
            _run_one(sweep, item, label, ws, ui, path)
        return sweep
    from ml_intern.run.sandbox.process import make_undumpable

    make_undumpable()  # this process's environment holds the user's tokens: closed to the runs' jobs (process backend)
    running: dict[subprocess.Popen, str] = {}
    env = {**os.environ, "ML_INTERN_HOME": str(ws.home)}  # (the children use this sweep's store, --home included)
    try:
        while todo or running:
            while todo and len(running) < parallel:
                item, label = todo.pop(0)
                run_id = item.run_id or _new_run(sweep, item, ws, path)
                ui.note(f"{label}: run {run_id} (in its own process)")
                with (ws.run_dir(run_id) / "sweep.log").open("a") as log:
                    # its own session: a signal reaches it from this process, once (see below)
                    running[subprocess.Popen([sys.executable, "-m", "ml_intern.sweep", run_id], stdout=log,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                                             start_new_session=True)] = run_id
            for proc in [p for p in running if p.poll() is not None]:
                run_id = running.pop(proc)
                run = ws.store.get_run(run_id) or {}
                ui.note(f"run {run_id}: {run.get('status')}")
            time.sleep(0.2)
    finally:  # Ctrl-C, SIGTERM or an error here: each run's process stops its run cleanly (marked interrupted)
        _stop(list(running))
    return sweep


def _stop(procs: list[subprocess.Popen], grace_s: float = 120.0) -> None:
    """Ctrl-C for each still running child, then wait for all of them together; terminate what is left."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    deadline = time.monotonic() + grace_s
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait()


def _new_run(sweep: Sweep, item: SweepRun, ws: Workspace, path: Path) -> str:
    """The combination's run, created from the base run's source and spec with the combination as overrides."""
    base = ws.resolve_run(sweep.base)
    src = ws.folder(base["id"])
    options = src.record().options
    options = options.model_copy(update={"overrides": {**options.overrides, **item.params}})
    # (not the plan: it is made again with the combination)
    new = ws.fork_run(src, ("source", "paper", "spec"), base.get("title"), options, sweep=sweep.id)
    item.run_id = new.id
    write_json(path, sweep)  # before the run: an interruption leaves it resumable
    return new.id


def _run_one(sweep: Sweep, item: SweepRun, label: str, ws: Workspace, ui: QuietUI, path: Path) -> None:
    from ml_intern.pipeline import drive, resume_run

    try:
        if item.run_id is not None:
            ui.note(f"{label}: resuming run {item.run_id}")
            resume_run(item.run_id, ws, ui)
            return
        run_id = _new_run(sweep, item, ws, path)
        ui.note(f"{label}: run {run_id}")
        drive(ws, run_id, ui)
    except MLInternError as exc:  # (a value the plan cannot take): that run failed, recorded; the others go on
        ui.note(f"run {item.run_id} failed: {exc.message()}")


def _child(run_id: str) -> int:
    """One run of a parallel sweep, in this process: a new run is claimed and driven, an interrupted one resumed."""
    from ml_intern.errors import Interrupted
    from ml_intern.pipeline import drive, resume_run

    signal.signal(signal.SIGTERM, signal.default_int_handler)  # as in the CLI: SIGTERM stops the run like Ctrl-C
    ws = Workspace()
    run = ws.store.get_run(run_id)
    try:
        if run is not None and run["status"] == "running" and run["pid"] == os.getppid():  # made for this process
            ws.store.claim_run(run_id, "running", holder=os.getppid())
            drive(ws, run_id, QuietUI())
        else:
            resume_run(run_id, ws, QuietUI())
    except MLInternError as exc:
        print(f"run {run_id} failed: {exc.message()}", flush=True)
        return exc.exit_code
    except Interrupted:
        return 130
    return 0


def sweep_table(sweep: Sweep, ws: Workspace) -> list[dict]:
    """One row per combination: its settings, run, status, scale and the plan's metric."""
    rows = []
    for item in sweep.runs:
        run = ws.store.get_run(item.run_id) if item.run_id else None
        summary = (run or {}).get("summary") or {}
        metric = summary.get("metric") or ""
        val_key = "val_" + metric.split("_", 1)[-1] if metric else None
        val = (summary.get("metrics") or {}).get(val_key) if val_key else None
        rows.append({"params": item.params, "run": item.run_id, "status": run["status"] if run else "not started",
                     "scale": (run or {}).get("scale"), "metric": summary.get("metric"), "value": summary.get("value"),
                     "val_metric": val_key, "val": val if isinstance(val, (int, float)) else None,
                     "error": (run or {}).get("error"), "picked": False})
    if best := pick(rows):
        best["picked"] = True
    return rows


LOWER_IS_BETTER = ("perplexity", "rmse", "loss", "error")


def pick(rows: list[dict]) -> dict | None:
    """The succeeded combination with the best validation metric (as the paper picked from its grid: on validation
    data, never on the test split); None when no run has one."""
    scored = [r for r in rows if r["status"] == "succeeded" and r.get("val") is not None]
    if not scored:
        return None
    lower = any(w in (scored[0]["val_metric"] or "") for w in LOWER_IS_BETTER)
    return (min if lower else max)(scored, key=lambda r: r["val"])


def load_sweep(ws: Workspace, sweep_id: str) -> Sweep:
    path = sweep_path(ws, sweep_id)
    if not path.exists():
        raise InputError(f"no sweep {sweep_id}", fix=f"sweeps are in {path.parent}; start one with "
                                                     "`ml-intern sweep RUN_ID --param NAME=V1,V2`")
    return read_model(path, Sweep)


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1]))
