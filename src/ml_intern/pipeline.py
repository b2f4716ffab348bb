"""``ml-intern run`` is the composition of the stages; ``resume`` continues a run from its folder.

Each stage's output is written into the run folder before the next stage starts (``workspace.STAGE_FILES``), and
each stage's start and end go to the store, so a run stopped anywhere can be inspected and resumed.
"""

from __future__ import annotations

import glob
from collections.abc import Callable
import platform
import json
import shutil
import sys
import time
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from ml_intern import __version__
from ml_intern.build import Project, build_project
from ml_intern.errors import BudgetExhausted, InputError, Interrupted, MLInternError
from ml_intern.paper import Paper, PaperSpec, read_source, spec_for
from ml_intern.plan import ExperimentPlan, make_plan
from ml_intern.plan.models import Budgets, Scale
from ml_intern.run import Outcome, run_attempts
from ml_intern.run.attempts import ExecOptions, Review, check_nodes, load_attempts
from ml_intern.run.sandbox.limits import Limits
from ml_intern.track.report import render_report
from ml_intern.track.trackers import Tracking, parse_trackers
from ml_intern.ui import QuietUI
from ml_intern.workspace import Workspace, new_run_id, read_model, write_json

LIMITS = ("llm_calls", "llm_tokens", "llm_usd", "wall_clock_s", "agent_steps")  # budgets of the whole run, kept in its record


class RunOptions(BaseModel):
    scale: Scale = "small"
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

    def exec_options(self, budget_start: int = 0, tracking: Tracking | None = None, llm=None,
                     agent=None) -> ExecOptions:
        gpu = bool(glob.glob("/dev/nvidia[0-9]*"))
        return ExecOptions(sandbox=self.sandbox, allow_network=self.allow_network,
                           allow_scope_changes=self.allow_scope_changes, stall_s=self.stall_s,
                           budget_start=budget_start, tracking=tracking, llm=llm, agent=agent,
                           limits=Limits(memory_mb=self.memory_mb, processes=self.max_processes,
                                         file_size_mb=self.file_size_mb, gpu=gpu))


class RunRecord(BaseModel):
    """run.json: what was asked, with what, where."""

    id: str
    source: str
    source_copy: str
    created_at: float
    options: RunOptions
    ml_intern_version: str = __version__
    python: str = Field(default_factory=lambda: sys.version.split()[0])
    platform: str = Field(default_factory=platform.platform)
    budget_start: int = 0  # set when a run that needed review is resumed after a human edit
    reproduces: str | None = None  # the run this one re-runs (`ml-intern reproduce`)
    sweep: str | None = None  # the sweep this run is one combination of (`ml-intern sweep`)


def start_run(source: str, options: RunOptions, ws: Workspace, ui: QuietUI | None = None,
              prepare: Callable[[Path], None] | None = None) -> dict:
    """Read the source (bad input fails here, before any run exists), create the run, drive it to the end.
    ``prepare`` edits the freshly built project before its first attempt (the benchmark's deliberate faults)."""
    ui = ui or QuietUI()
    if options.overrides.get("model_code") and not options.llm:
        raise InputError(f"model_code={options.overrides['model_code']} asks the agent to write the model, and the "
                         "agent needs an LLM", fix="add --llm PROVIDER:MODEL (docs/llm.md), or leave model_code out")
    try:
        nodes = int(options.overrides.get("num_nodes") or 1)
    except (TypeError, ValueError):
        nodes = 1  # (the planner names the bad value)
    check_nodes(nodes, options.sandbox, options.allow_network)
    paper = read_source(source)
    ui.stage("read", f"{source}: {len(paper.pages)} page(s), “{paper.title}”")
    run_id = new_run_id()
    run_dir = ws.run_dir(run_id)
    (run_dir / "source").mkdir(parents=True)
    if paper.file:  # the local file, or the fetched arXiv file: the run keeps its own copy
        copy = run_dir / "source" / Path(paper.file).name
        shutil.copy2(paper.file, copy)
    else:  # a task prompt
        copy = run_dir / "source" / "prompt.txt"
        copy.write_text(paper.pages[0].text + "\n")
    record = RunRecord(id=run_id, source=str(source), source_copy=str(copy.relative_to(run_dir)),
                       created_at=time.time(), options=options)
    write_json(run_dir / "run.json", record)
    ws.store.create_run(run_id, str(source), str(run_dir), paper.title, options.scale)
    ui.note(f"run {run_id} in {run_dir}")
    return drive(ws, run_id, ui, paper=paper, prepare=prepare)


def resume_run(run_id: str, ws: Workspace, ui: QuietUI | None = None, allow_scope_changes: bool = False,
               budgets: dict | None = None) -> dict:
    """``budgets``: new LLM and wall-clock limits (e.g. ``{"llm_calls": 20}``), kept in the run's record."""
    ui = ui or QuietUI()
    run = ws.resolve_run(run_id)
    if run["status"] == "succeeded":
        raise InputError(f"run {run['id']} already succeeded: nothing to resume", fix=f"see `ml-intern show {run['id']}`")
    if run["status"] == "running":
        raise InputError(f"run {run['id']} is running in process {run['pid']}", fix="wait for it, or stop it first")
    run_dir = ws.run_dir(run["id"])
    if run["status"] == "needs_review":
        # a person has looked (and maybe edited the project): a new attempt budget, smoke first
        record = read_model(run_dir / "run.json", RunRecord)
        stopped = read_model(run_dir / "outcome.json", Outcome)
        done = len(json.loads((run_dir / "attempts.json").read_text())) if (run_dir / "attempts.json").exists() else 0
        if not (stopped.review and stopped.review.budget_stop):  # a limit stop goes on where it was
            record.budget_start = done
        write_json(run_dir / "run.json", record)
        (run_dir / "outcome.json").replace(run_dir / f"outcome-review-{done}.json")
    if allow_scope_changes:  # the approval a review asked for, kept in the run's record
        record = read_model(run_dir / "run.json", RunRecord)
        record.options.allow_scope_changes = True
        write_json(run_dir / "run.json", record)
    if budgets:
        record = read_model(run_dir / "run.json", RunRecord)
        record.options.budgets = record.options.budgets.model_copy(update=budgets)
        write_json(run_dir / "run.json", record)
    ws.store.claim_run(run["id"])
    ui.stage("resume", f"run {run['id']} ({run['status']})")
    return drive(ws, run["id"], ui)


def drive(ws: Workspace, run_id: str, ui: QuietUI, paper: Paper | None = None,
          prepare: Callable[[Path], None] | None = None) -> dict:
    run_dir = ws.run_dir(run_id)
    record = read_model(run_dir / "run.json", RunRecord)
    store = ws.store
    exec_only = record.source_copy == "project"  # `ml-intern exec`: no paper, no plan
    plan = None
    try:
        if not exec_only:
            spec = _stage(ws, run_id, "read", run_dir / "spec.json", PaperSpec, lambda: _read(ws, run_dir, record, paper))
            plan = _stage(ws, run_id, "plan", run_dir / "plan.json", ExperimentPlan,
                          lambda: make_plan(spec, record.options.scale, record.options.overrides,
                                            record.options.budgets))
            ui.stage("plan", f"recipe {plan.recipe}, data {plan.dataset.key}, scale {plan.scale}")
        project = _stage(ws, run_id, "build", run_dir / "project.json", Project,
                         lambda: _build(run_dir, plan, prepare))
        ui.stage("build", project.path)
        budgets = plan.budgets if plan else record.options.budgets
        # the run's own limits (LLM, wall clock) are the record's: `resume` may raise them after a plan was made
        budgets = budgets.model_copy(update={k: getattr(record.options.budgets, k) for k in LIMITS})
        if plan and (code := str(plan.values().get("model_code") or "")) and not (Path(project.path) / code).exists():
            why = _write_model(ws, record, run_dir, plan, spec, Path(project.path), code, budgets, ui)
            if why is not None:
                outcome = Outcome(status="needs_review", attempts=[], summary=f"stopped before any attempt: {why}.",
                                  review=Review(why=why, suggestion=f"write {code} by hand in {project.path} (the "
                                                f"interface is in docs/llm.md), then `ml-intern resume {run_id}`"))
                write_json(run_dir / "outcome.json", outcome)
                store.set_run_status(run_id, "needs_review", summary=summarise(plan, outcome))
                ui.note(f"needs review: {why}")
                _report(ws, run_id)
                return ws.store.get_run(run_id) or {}
        tracking = _tracking(record, run_dir, Path(project.path), ui)
        outcome = _stage(ws, run_id, "exec", run_dir / "outcome.json", Outcome,
                         lambda: run_attempts(run_id, run_dir, Path(project.path), budgets, store, ui,
                                              record.options.exec_options(
                                                  record.budget_start, tracking, _run_llm(ws, record, budgets, "diagnose"),
                                                  _run_llm(ws, record, budgets, "agent"))))
    except BudgetExhausted as exc:  # a clean stop: the person raises the limit and resumes
        outcome = Outcome(status="needs_review", attempts=load_attempts(run_dir), summary=f"stopped: {exc.message()}",
                          review=Review(why=exc.message(), budget_stop=True, suggestion=f"raise the limit: `ml-intern resume {run_id} "
                                        "--llm-max-calls N` (or --llm-max-tokens, --llm-max-usd, --max-wall-clock)"))
        write_json(run_dir / "outcome.json", outcome)
        store.set_run_status(run_id, "needs_review", summary=summarise(plan, outcome))
        ui.note(f"needs review: {exc.message()}")
        _report(ws, run_id)
        return ws.store.get_run(run_id) or {}
    except KeyboardInterrupt:
        store.set_run_status(run_id, "interrupted", error="interrupted (Ctrl-C or SIGTERM)")
        _report(ws, run_id)
        raise Interrupted(run_id) from None
    except MLInternError as exc:
        store.set_run_status(run_id, "failed", error=exc.message())
        _report(ws, run_id)
        raise
    except Exception as exc:
        store.set_run_status(run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    summary = summarise(plan, outcome)
    store.set_run_status(run_id, outcome.status, summary=summary)
    report = _report(ws, run_id)
    ui.stage("report", str(report))
    return ws.store.get_run(run_id) or {}


def _stage(ws: Workspace, run_id: str, name: str, out: Path, model, produce):
    """Load the stage's output if a previous process wrote it; else produce it, write it, record it."""
    if out.exists():
        return read_model(out, model)
    ws.store.stage_started(run_id, name)
    try:
        result = produce()
    except BaseException as exc:
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        ws.store.stage_finished(run_id, name, status, error=str(exc) or type(exc).__name__)
        raise
    write_json(out, result)
    ws.store.stage_finished(run_id, name, "succeeded", output=str(out))
    return result


def _read(ws: Workspace, run_dir: Path, record: RunRecord, paper: Paper | None) -> PaperSpec:
    from ml_intern.llm import Recorded

    paper = paper or read_source(run_dir / record.source_copy)
    write_json(run_dir / "paper.json", paper)
    return spec_for(paper, record.options.llm,
                    wrap=lambda llm: Recorded(llm, ws.store, record.id, "read", budgets=record.options.budgets))


def _build(run_dir: Path, plan: ExperimentPlan, prepare: Callable[[Path], None] | None = None) -> Project:
    project_dir = run_dir / "project"
    if project_dir.exists():  # a build that was cut short: start it again
        shutil.rmtree(project_dir)
    project = build_project(plan, project_dir)
    if prepare is not None:
        prepare(project_dir)
    return project


def _tracking(record: RunRecord, run_dir: Path, project: Path, ui: QuietUI) -> Tracking | None:
    if not record.options.track:
        return None
    names = parse_trackers(record.options.track)  # a tracker uninstalled since the run began: said here
    config_file = project / "config.yaml"
    try:
        config = yaml.safe_load(config_file.read_text()) if config_file.exists() else {}
    except yaml.YAMLError:
        config = {}
    return Tracking(names, record.id, run_dir, config if isinstance(config, dict) else {}, note=ui.note)


def _run_llm(ws: Workspace, record: RunRecord, budgets: Budgets, stage: str):
    """With ``--llm``: attempt number -> the run's LLM for ``stage`` (``diagnose``: classify what the rules cannot;
    ``agent``: repair what no rule fixes), recorded and budgeted; None without."""
    if not record.options.llm:
        return None
    from ml_intern.llm import Recorded, get_llm

    return lambda attempt: Recorded(get_llm(record.options.llm), ws.store, record.id, stage, attempt, budgets=budgets)


def _write_model(ws: Workspace, record: RunRecord, run_dir: Path, plan: ExperimentPlan, spec: PaperSpec,
                 project: Path, code: str, budgets: Budgets, ui: QuietUI) -> str | None:
    """The plan's model is code no Hub model provides: the agent writes it (``agent.agent.write_model``) and
    its smoke test passes, and it is committed; else why not (the run then waits for a person)."""
    from ml_intern.agent.agent import write_model
    from ml_intern.paper.sections import paper_sections
    from ml_intern.git import commit_attempt
    from ml_intern.run.attempts import deadline_of, smoke_check

    llm = _run_llm(ws, record, budgets, "model")
    if llm is None or code != "model.py":
        return f"model_code is {code}, which does not exist, and only model.py is written by the agent (with --llm)"
    paper = read_model(run_dir / "paper.json", Paper) if (run_dir / "paper.json").exists() else None
    sections = paper_sections(paper) if paper is not None and paper.kind != "task" else {}
    arch = spec.architecture
    facts = [(k, q) for k, q in (("family", arch.family), ("model", arch.model)) if q] + list(arch.sizes.items())
    described = "\n".join(f"- {k}: {q.value} (p. {q.source.page}: “{q.source.quote}”)" for k, q in facts)
    options = record.options.exec_options()
    runs = iter(range(1, 10_000))
    ui.note(f"the agent writes {code} (at most {budgets.agent_steps} steps)")
    deadline = deadline_of(ws.store, record.id, budgets)
    episode = write_model(llm(None), project, plan.task_type, described, sections,
                          lambda: smoke_check(project, run_dir, run_dir / "agent" / f"model-smoke-{next(runs)}.log",
                                              budgets, options, deadline),
                          run_dir / "agent" / "model.json", budgets.agent_steps)
    if episode.status != "done":
        return f"the agent could not write {code} ({episode.status}: {episode.summary}); its steps are in agent/model.json"
    commit_attempt(project, f"{code}: written by the agent, smoke test passed\n\n{episode.summary}")
    ui.note(f"the agent wrote {', '.join(episode.changed)}: {episode.summary}")
    return None


def _report(ws: Workspace, run_id: str) -> Path:
    run = ws.store.get_run(run_id) or {"id": run_id}
    return render_report(ws.run_dir(run_id), run, ws.store.llm_calls(run_id))


def summarise(plan: ExperimentPlan | None, outcome: Outcome) -> dict:
    metrics = (outcome.results or {}).get("metrics", {})
    key = f"{plan.metric.split}_{plan.metric.name}" if plan else None
    return {"status": outcome.status, "summary": outcome.summary, "attempts": len(outcome.attempts),
            "metric": key, "value": metrics.get(key) if key else None,
            "paper_value": plan.metric.paper_value if plan else None, "metrics": metrics,
            "steps": (outcome.results or {}).get("steps"),
            "train_seconds": (outcome.results or {}).get("train_seconds")}


def exec_project(path: str, options: RunOptions, ws: Workspace, ui: QuietUI | None = None) -> dict:
    """The exec stage alone, on a project folder (from `ml-intern build`, or any folder with a training script) or a
    lone script. It is copied into the run folder first: the run writes nowhere else, and fixes land in the copy."""
    ui = ui or QuietUI()
    source = Path(path).resolve()
    if not source.exists():
        raise InputError("no such file or folder", subject=str(path), fix="give a project folder or a training script")
    if source.is_file() and source.suffix != ".py":
        raise InputError("not a Python script", subject=str(path), fix="give a project folder or a .py script")
    if source.is_dir() and not list(source.glob("*.py")):
        raise InputError("no Python script in the folder", subject=str(path),
                         fix="give a folder written by `ml-intern build`, or one with a training script")
    run_id = new_run_id()
    run_dir = ws.run_dir(run_id)
    project = run_dir / "project"
    run_dir.mkdir(parents=True)
    if source.is_dir():
        skip = shutil.ignore_patterns(".git", "outputs", "outputs-smoke", "__pycache__", ".venv")

        def ignore(folder: str, names: list[str]) -> set[str]:  # never the runs' home, should it be inside
            return set(skip(folder, names)) | {n for n in names if Path(folder, n).resolve() == ws.home}

        shutil.copytree(source, project, ignore=ignore)
    else:
        project.mkdir()
        shutil.copy2(source, project / source.name)
    from ml_intern.git import init_repo

    init_repo(project)
    write_json(run_dir / "run.json", RunRecord(id=run_id, source=str(source), source_copy="project",
                                               created_at=time.time(), options=options))
    write_json(run_dir / "project.json", Project(path=str(project), recipe="unknown",
                                                 files=sorted(p.name for p in project.iterdir() if p.name != ".git")))
    ws.store.create_run(run_id, str(source), str(run_dir), source.name, "n/a")
    ui.note(f"run {run_id} in {run_dir}")
    return drive(ws, run_id, ui)


def reproduce_run(run_id: str, ws: Workspace, ui: QuietUI | None = None) -> tuple[dict, dict]:
    """Re-run a run from its record (source, spec, resolved plan with its seed) into a new run; compare metrics.

    Returns the new run and the comparison: per metric the original value, the new one and whether they are equal,
    plus whether the data fingerprint and the resolved config are the same."""
    ui = ui or QuietUI()
    original = ws.resolve_run(run_id)
    src = Path(original["run_dir"])
    exec_run = (src / "run.json").exists() and read_model(src / "run.json", RunRecord).source_copy == "project"
    if not exec_run and (not (src / "plan.json").exists() or not (src / "run.json").exists()):
        raise InputError(f"run {original['id']} has no plan to reproduce (it stopped before planning)",
                         fix=f"`ml-intern show {original['id']}` says why; start a new run instead")
    record = read_model(src / "run.json", RunRecord)
    new_id = new_run_id()
    new_dir = ws.run_dir(new_id)
    new_dir.mkdir(parents=True)
    for name in ("source", "paper.json", "spec.json", "plan.json"):
        if (src / name).is_dir():
            shutil.copytree(src / name, new_dir / name)
        elif (src / name).exists():
            shutil.copy2(src / name, new_dir / name)
    if record.source_copy == "project":  # an `exec` run: its project as it was at the first attempt
        from ml_intern.git import git, init_repo

        first = json.loads((src / "attempts.json").read_text())[0]["commit"]
        shutil.copytree(src / "project", new_dir / "project", ignore=shutil.ignore_patterns("outputs", "outputs-smoke"))
        git(new_dir / "project", "checkout", "-q", first, "--", ".")
        shutil.rmtree(new_dir / "project" / ".git")
        init_repo(new_dir / "project")
        write_json(new_dir / "project.json", read_model(src / "project.json", Project).model_copy(
            update={"path": str(new_dir / "project")}))
    write_json(new_dir / "run.json", record.model_copy(update={"id": new_id, "created_at": time.time(),
                                                               "budget_start": 0, "reproduces": original["id"]}))
    ws.store.create_run(new_id, record.source, str(new_dir), original.get("title"), record.options.scale)
    ui.note(f"run {new_id} reproduces {original['id']} in {new_dir}")
    run = drive(ws, new_id, ui)
    comparison = compare_runs(src, new_dir)
    write_json(new_dir / "reproduction.json", comparison)
    return run, comparison


def compare_runs(a: Path, b: Path) -> dict:
    def outputs(run_dir: Path) -> tuple[dict, dict]:
        out = run_dir / "project" / "outputs"
        results = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else {}
        info = json.loads((out / "run_info.json").read_text()) if (out / "run_info.json").exists() else {}
        return results.get("metrics", {}), info

    (ma, ia), (mb, ib) = outputs(a), outputs(b)
    metrics = {k: {"original": ma.get(k), "reproduced": mb.get(k), "equal": ma.get(k) == mb.get(k)}
               for k in sorted(set(ma) | set(mb))}
    same_config = {k: v for k, v in ia.get("config", {}).items() if k != "output_dir"} == {
        k: v for k, v in ib.get("config", {}).items() if k != "output_dir"}
    return {"original": a.name, "reproduction": b.name, "metrics": metrics,
            "identical": bool(metrics) and all(m["equal"] for m in metrics.values()),
            "same_data": ia.get("data_fingerprint") == ib.get("data_fingerprint") and "data_fingerprint" in ia,
            "same_config": same_config, "same_packages": all(ia.get(k) == ib.get(k) for k in ("torch", "numpy", "sklearn"))}
