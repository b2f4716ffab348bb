"""``ml-intern run`` is the composition of the stages; ``resume`` continues a run from its folder.

Each stage's output is written into the run folder (``runfolder.RunFolder``) before the next stage starts, and each
stage's start and end go to the store, so a run stopped anywhere can be inspected and resumed.
"""

from __future__ import annotations

import glob
import shutil
from collections.abc import Callable
from pathlib import Path


from ml_intern import jobfiles
from ml_intern.codegen import Project, build_project
from ml_intern.errors import BudgetExhausted, InputError, Interrupted, MLInternError
from ml_intern.paper import Paper, PaperSpec, read_source, spec_for
from ml_intern.plan import ExperimentPlan, make_plan
from ml_intern.plan.models import Budgets
from ml_intern.run import Outcome, run_attempts
from ml_intern.run.attempts import ExecOptions, Review, check_nodes
from ml_intern.run.sandbox.limits import Limits
from ml_intern.track.report import render_report
from ml_intern.track.verdict import assess
from ml_intern.plan.recipes.hardware import prices, target_gpu
from ml_intern.track.trackers import Tracking, parse_trackers
from ml_intern.ui import QuietUI
from ml_intern.runfolder import RunFolder, RunOptions, RunRecord, RunSummary, read_model
from ml_intern.workspace import Workspace

LIMITS = ("llm_calls", "llm_tokens", "llm_usd", "wall_clock_s", "agent_steps")  # budgets of the whole run, kept in its record


__all__ = ["RunOptions", "RunRecord", "drive", "edit_settings", "editable_settings", "exec_project", "reproduce_run",
           "resume_run", "start_run", "stop_run"]


def exec_options(options: RunOptions, budget_start: int = 0, tracking: Tracking | None = None, llm=None,
                 agent=None) -> ExecOptions:
    """The attempt loop's options from what the person asked for."""
    gpu = bool(glob.glob("/dev/nvidia[0-9]*"))
    return ExecOptions(sandbox=options.sandbox, allow_network=options.allow_network,
                       allow_scope_changes=options.allow_scope_changes, stall_s=options.stall_s,
                       budget_start=budget_start, tracking=tracking, llm=llm, agent=agent,
                       limits=Limits(memory_mb=options.memory_mb, processes=options.max_processes,
                                     file_size_mb=options.file_size_mb, gpu=gpu))


def check_environment(sandbox: str) -> None:
    """Before anything runs: the ``process`` backend (chosen, or what ``auto`` falls back to) refuses where the job
    could read a secret from ml-intern's or an ancestor's environment (``process.guard_environment``)."""
    if sandbox not in ("process", "auto"):
        return
    from ml_intern.run.sandbox import get_sandbox
    from ml_intern.run.sandbox.process import guard_environment

    if get_sandbox(sandbox).name == "process":
        guard_environment()


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
    check_environment(options.sandbox)
    paper = read_source(source)
    ui.stage("read", f"{source}: {len(paper.pages)} page(s), “{paper.title}”")

    def keep_source(folder: RunFolder) -> str:  # the local or fetched file, or the prompt: the run's own copy
        (folder.path / "source").mkdir()
        copy = folder.path / "source" / (Path(paper.file).name if paper.file else "prompt.txt")
        if paper.file:
            shutil.copy2(paper.file, copy)
        else:
            copy.write_text(paper.pages[0].text + "\n")
        return str(copy.relative_to(folder.path))

    folder = ws.create_run(str(source), keep_source, options, paper.title, options.scale)
    ui.note(f"run {folder.id} in {folder.path}")
    return drive(ws, folder.id, ui, paper=paper, prepare=prepare)


def resume_run(run_id: str, ws: Workspace, ui: QuietUI | None = None, allow_scope_changes: bool = False,
               budgets: dict | None = None, settings: dict | None = None) -> dict:
    """``budgets``: new LLM and wall-clock limits (e.g. ``{"llm_calls": 20}``), kept in the run's record.
    ``settings``: values of the project's config.yaml to change first (``edit_settings``), kept as overrides."""
    ui = ui or QuietUI()
    run = ws.resolve_run(run_id)
    if run["status"] == "succeeded":
        raise InputError(f"run {run['id']} already succeeded: nothing to resume", fix=f"see `ml-intern show {run['id']}`")
    if run["status"] == "running":
        raise InputError(f"run {run['id']} is running in process {run['pid']}", fix="wait for it, or stop it first")
    if run["status"] == "failed" and (run.get("error") or "").startswith(STOPPED):
        raise InputError(f"run {run['id']} was stopped for good", fix="start a new run (`ml-intern reproduce` "
                         f"{run['id']} re-runs it)")
    folder = ws.folder(run["id"])
    record = folder.record()
    check_environment(record.options.sandbox)
    # the check above and this claim are one step in the store: of two resumes at once, one claims, one is refused
    ws.store.claim_run(run["id"], run["status"])
    if settings:
        try:
            edit_settings(folder, settings)
        except InputError:  # a setting refused: nothing changed, the claim is given back
            ws.store.set_run_status(run["id"], run["status"], error=run.get("error"))
            raise
        record.options.overrides = {**record.options.overrides, **settings}
    if run["status"] == "needs_review" and (stopped := folder.outcome()) is not None:
        # a person has looked (and maybe edited the project): a new attempt budget, smoke first
        done = len(folder.attempts())
        if not (stopped.review and stopped.review.budget_stop):  # a limit stop goes on where it was
            record.budget_start = done
        folder.set_aside_outcome(done)
    if allow_scope_changes:  # the approval a review asked for, kept in the run's record
        record.options.allow_scope_changes = True
    if budgets:
        record.options.budgets = record.options.budgets.model_copy(update=budgets)
    folder.write_record(record)
    ui.stage("resume", f"run {run['id']} ({run['status']})")
    return drive(ws, run["id"], ui)


STOPPED = "stopped for good"  # the error of a run a person ended (`ml-intern stop`)


def editable_settings(folder: RunFolder) -> dict[str, object]:
    """The project's config.yaml values a person may change before a resume (``resume --set``): every plain value
    (numbers, text, true/false, lists of them), read safely (the job may have rewritten the file)."""
    from ml_intern.run.repair import Config

    project = folder.project()
    if project is None:
        return {}
    values = Config(Path(project.path)).values
    return {k: v for k, v in values.items() if isinstance(k, str) and _plain_setting(v)}


def _plain_setting(value: object) -> bool:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return True
    return isinstance(value, list) and all(isinstance(v, (bool, int, float, str)) for v in value)


def edit_settings(folder: RunFolder, settings: dict[str, object]) -> None:
    """Change settings of the run's project (config.yaml, written atomically; the next attempt's commit holds the
    change). A setting the config does not have, or a value of another type than the one it holds, is an InputError
    naming it: a typo must not become a silently ignored key."""
    from ml_intern.run.repair import Config

    project = folder.project()
    if project is None:
        raise InputError(f"run {folder.id} has no project yet: nothing to edit",
                         fix="resume it without --set; it builds the project from its plan")
    config = Config(Path(project.path))
    current = {k: v for k, v in config.values.items() if _plain_setting(v)}
    for key, value in settings.items():
        if key not in current:
            raise InputError(f"--set {key}: the project's config.yaml has no such setting",
                             fix="one of " + ", ".join(sorted(current)))
        config.values[key] = typed_setting(key, value, current[key])
    config.save()


def typed_setting(key: str, value: object, was: object) -> object:
    """``value`` as the type of the value it replaces (an int for an int, a float for a float or int, …)."""
    if was is None or value is None or type(value) is type(was):
        return value
    if isinstance(was, float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(was, list) and isinstance(value, list) and all(_plain_setting(v) for v in value):
        return value
    raise InputError(f"--set {key}={value!r}: the setting holds a {type(was).__name__} ({was!r}), not a "
                     f"{type(value).__name__}", fix=f"give a {type(was).__name__}")


def stop_run(run_id: str, ws: Workspace) -> dict:
    """End a run for good: a running one is interrupted first (its process is sent SIGTERM and given 30 s to mark
    itself); then its status is failed with the reason, and ``resume`` refuses it."""
    import os
    import signal
    import socket
    import time

    from ml_intern.track.store import _alive

    run = ws.resolve_run(run_id)
    if run["status"] == "succeeded":
        raise InputError(f"run {run['id']} succeeded: there is nothing to stop", fix=f"see `ml-intern show {run['id']}`")
    if run["status"] == "running":
        if run.get("host") != socket.gethostname():
            raise InputError(f"run {run['id']} is running on {run.get('host')}", fix="stop it there")
        try:
            os.kill(run["pid"], signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.time() + 30
        while _alive(run["pid"]) and time.time() < deadline:
            time.sleep(0.2)
    why = f"{STOPPED} by a person (`ml-intern stop`), status before: {run['status']}"
    ws.store.set_run_status(run["id"], "failed", error=why)
    _report(ws, run["id"])
    return ws.store.get_run(run["id"]) or {}


def drive(ws: Workspace, run_id: str, ui: QuietUI, paper: Paper | None = None,
          prepare: Callable[[Path], None] | None = None) -> dict:
    folder = ws.folder(run_id)
    run_dir = folder.path
    record = folder.record()
    store = ws.store
    exec_only = record.source_copy == "project"  # `ml-intern exec`: no paper, no plan
    plan = None
    try:
        if not exec_only:
            spec = _stage(ws, folder, "read", "spec", PaperSpec, lambda: _read(ws, folder, record, paper))
            plan = _stage(ws, folder, "plan", "plan", ExperimentPlan,
                          lambda: make_plan(spec.with_setting(record.options.setting), record.options.scale,
                                            record.options.overrides, record.options.budgets))
            ui.stage("plan", f"recipe {plan.recipe}, data {plan.dataset.key}, scale {plan.scale}")
        project = _stage(ws, folder, "build", "project", Project,
                         lambda: _build(run_dir, plan, prepare))
        ui.stage("build", project.path)
        budgets = plan.budgets if plan else record.options.budgets
        # the run's own limits (LLM, wall clock) are the record's: `resume` may raise them after a plan was made
        budgets = budgets.model_copy(update={k: getattr(record.options.budgets, k) for k in LIMITS})
        if plan and (code := str(plan.values().get("model_code") or "")) and not (Path(project.path) / code).exists():
            why = _write_model(ws, record, folder, plan, spec, Path(project.path), code, budgets, ui)
            if why is not None:
                outcome = Outcome(status="needs_review", attempts=[], summary=f"stopped before any attempt: {why}.",
                                  review=Review(why=why, suggestion=f"write {code} by hand in {project.path} (the "
                                                f"interface is in docs/llm.md), then `ml-intern resume {run_id}`"))
                folder.write("outcome", outcome)
                store.set_run_status(run_id, "needs_review", summary=summarise(plan, outcome, folder.run_info()).model_dump())
                ui.note(f"needs review: {why}")
                _report(ws, run_id)
                return ws.store.get_run(run_id) or {}
        tracking = _tracking(record, run_dir, Path(project.path), ui)
        outcome = _stage(ws, folder, "exec", "outcome", Outcome,
                         lambda: run_attempts(run_id, run_dir, Path(project.path), budgets, store, ui,
                                              exec_options(record.options, 
                                                  record.budget_start, tracking, _run_llm(ws, record, budgets, "diagnose"),
                                                  _run_llm(ws, record, budgets, "agent"))))
    except BudgetExhausted as exc:  # a clean stop: the person raises the limit and resumes
        outcome = Outcome(status="needs_review", attempts=folder.attempts(), summary=f"stopped: {exc.message()}",
                          review=Review(why=exc.message(), budget_stop=True, suggestion=f"raise the limit: `ml-intern resume {run_id} "
                                        "--llm-max-calls N` (or --llm-max-tokens, --llm-max-usd, --max-wall-clock)"))
        folder.write("outcome", outcome)
        store.set_run_status(run_id, "needs_review", summary=summarise(plan, outcome, folder.run_info()).model_dump())
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
    store.set_run_status(run_id, outcome.status, summary=summarise(plan, outcome, folder.run_info()).model_dump())
    report = _report(ws, run_id)
    ui.stage("report", str(report))
    return ws.store.get_run(run_id) or {}


def _stage(ws: Workspace, folder: RunFolder, name: str, part: str, model, produce):
    """Load the stage's output if a previous process wrote it; else produce it, write it, record it."""
    run_id = folder.id
    if folder.has(part):
        return read_model(folder.file(part), model)
    ws.store.stage_started(run_id, name)
    try:
        result = produce()
    except BaseException as exc:
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        ws.store.stage_finished(run_id, name, status, error=str(exc) or type(exc).__name__)
        raise
    out = folder.write(part, result)
    ws.store.stage_finished(run_id, name, "succeeded", output=str(out))
    return result


def _read(ws: Workspace, folder: RunFolder, record: RunRecord, paper: Paper | None) -> PaperSpec:
    from ml_intern.llm import Recorded

    paper = paper or read_source(folder.path / record.source_copy)
    folder.write("paper", paper)
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
    config = jobfiles.read_yaml_object(project / "config.yaml") or {}  # (the job's to rewrite: read safely)
    return Tracking(names, record.id, run_dir, config, note=ui.note)


def _run_llm(ws: Workspace, record: RunRecord, budgets: Budgets, stage: str):
    """With ``--llm``: attempt number -> the run's LLM for ``stage`` (``diagnose``: classify what the rules cannot;
    ``agent``: repair what no rule fixes), recorded and budgeted; None without."""
    if not record.options.llm:
        return None
    from ml_intern.llm import Recorded, get_llm

    return lambda attempt: Recorded(get_llm(record.options.llm), ws.store, record.id, stage, attempt, budgets=budgets)


def _write_model(ws: Workspace, record: RunRecord, folder: RunFolder, plan: ExperimentPlan, spec: PaperSpec,
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
    run_dir = folder.path
    paper = folder.paper()
    sections = paper_sections(paper) if paper is not None and paper.kind != "task" else {}
    arch = spec.architecture
    facts = [(k, q) for k, q in (("family", arch.family), ("model", arch.model)) if q] + list(arch.sizes.items())
    described = "\n".join(f"- {k}: {q.value} (p. {q.source.page}: “{q.source.quote}”)" for k, q in facts)
    options = exec_options(record.options)
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


def summarise(plan: ExperimentPlan | None, outcome: Outcome, run_info: dict | None = None) -> RunSummary:
    results = outcome.results or {}
    metrics = results.get("metrics") or {}
    key = f"{plan.metric.split}_{plan.metric.name}" if plan else None
    value = metrics.get(key) if key else None
    value = value if isinstance(value, (int, float)) else None
    from ml_intern.run.verify import last_check

    checked = last_check(outcome.attempts)
    return RunSummary(status=outcome.status, summary=outcome.summary, attempts=len(outcome.attempts), metric=key,
                      metrics_check=f"{checked.status}: {checked.reason}" if checked else None,
                      value=value, paper_value=plan.metric.paper_value if plan else None, metrics=metrics,
                      steps=results.get("steps") if isinstance(results.get("steps"), int) else None,
                      train_seconds=results.get("train_seconds")
                      if isinstance(results.get("train_seconds"), (int, float)) else None,
                      reproduction=assess(plan, outcome, run_info or {}, prices(), target_gpu()))


def exec_project(path: str, options: RunOptions, ws: Workspace, ui: QuietUI | None = None) -> dict:
    """The exec stage alone, on a project folder (from `ml-intern build`, or any folder with a training script) or a
    lone script. It is copied into the run folder first: the run writes nowhere else, and fixes land in the copy."""
    ui = ui or QuietUI()
    source = Path(path).resolve()
    if not source.exists():
        raise InputError("no such file or folder", subject=str(path), fix="give a project folder or a training script")
    if not (source.is_file() or source.is_dir()):  # /dev/zero would be copied for ever, a pipe waited on
        raise InputError("is a device, pipe or socket, not a regular file or a folder", subject=str(path),
                         fix="give a project folder or a training script")
    if source.is_file() and source.suffix != ".py":
        raise InputError("not a Python script", subject=str(path), fix="give a project folder or a .py script")
    if source.is_dir() and not list(source.glob("*.py")):
        raise InputError("no Python script in the folder", subject=str(path),
                         fix="give a folder written by `ml-intern build`, or one with a training script")
    check_environment(options.sandbox)
    from ml_intern.git import init_repo

    def copy_project(folder: RunFolder) -> str:
        project = folder.path / "project"
        if source.is_dir():
            # links and special files are left out (a link to a secret must not become a file of the run, nor be
            # committed); so is the runs' home, should it be inside
            home = ws.home.relative_to(source).parts[:1] if ws.home.is_relative_to(source) else ()
            left_out = jobfiles.copy_tree(source, project, skip={".git", "outputs", "outputs-smoke", "__pycache__",
                                                                 ".venv", *home})
            if left_out:
                ui.note(f"not copied (links and special files are never copied into a run): {', '.join(left_out[:10])}"
                        + (f" and {len(left_out) - 10} more" if len(left_out) > 10 else ""))
        else:
            project.mkdir()
            if not jobfiles.copy_file(source, project / source.name):
                raise InputError("not a regular file", subject=str(path), fix="give the script itself, not a link")
        init_repo(project)
        folder.write("project", Project(path=str(project), recipe="unknown",
                                        files=sorted(p.name for p in project.iterdir() if p.name != ".git")))
        return "project"

    folder = ws.create_run(str(source), copy_project, options, source.name, "n/a")
    ui.note(f"run {folder.id} in {folder.path}")
    return drive(ws, folder.id, ui)


def reproduce_run(run_id: str, ws: Workspace, ui: QuietUI | None = None) -> tuple[dict, dict]:
    """Re-run a run from its record (source, spec, resolved plan with its seed) into a new run; compare metrics.

    Returns the new run and the comparison: per metric the original value, the new one and whether they are equal,
    plus whether the data fingerprint and the resolved config are the same."""
    ui = ui or QuietUI()
    original = ws.resolve_run(run_id)
    src = ws.folder(original["id"])
    exec_run = src.is_exec()
    if not exec_run and (not src.has("plan") or not src.has("record")):
        raise InputError(f"run {original['id']} has no plan to reproduce (it stopped before planning)",
                         fix=f"`ml-intern show {original['id']}` says why; start a new run instead")
    new = ws.fork_run(src, ("source", "paper", "spec", "plan"), original.get("title"), reproduces=original["id"])
    if exec_run:  # an `exec` run: its project as it was at the first attempt
        from ml_intern.git import git, init_repo

        first = src.attempts()[0].commit
        # the job wrote that project: only its repository is copied (no link followed), and the first attempt's
        # commit checked out of it; what the job left beside the commit never reaches the new run
        project_dir = new.path / "project"
        project_dir.mkdir()
        jobfiles.copy_tree(src.path / "project" / ".git", project_dir / ".git")
        git(project_dir, "checkout", "-q", "-f", first, "--", ".")
        shutil.rmtree(project_dir / ".git")
        init_repo(project_dir)
        project = src.project()
        assert project is not None  # (an exec run writes it when it is created)
        new.write("project", project.model_copy(update={"path": str(new.path / "project")}))
    ui.note(f"run {new.id} reproduces {original['id']} in {new.path}")
    run = drive(ws, new.id, ui)
    comparison = compare_runs(src, new)
    new.write("reproduction", comparison)
    return run, comparison


def compare_runs(a: RunFolder, b: RunFolder) -> dict:
    def outputs(folder: RunFolder) -> tuple[dict, dict]:
        metrics = folder.results().get("metrics")
        return (metrics if isinstance(metrics, dict) else {}), folder.run_info()

    (ma, ia), (mb, ib) = outputs(a), outputs(b)
    metrics = {k: {"original": ma.get(k), "reproduced": mb.get(k), "equal": ma.get(k) == mb.get(k)}
               for k in sorted(set(ma) | set(mb))}
    def config(info: dict) -> dict:
        value = info.get("config")
        return {k: v for k, v in value.items() if k != "output_dir"} if isinstance(value, dict) else {}

    same_config = config(ia) == config(ib)
    return {"original": a.id, "reproduction": b.id, "metrics": metrics,
            "identical": bool(metrics) and all(m["equal"] for m in metrics.values()),
            "same_data": ia.get("data_fingerprint") == ib.get("data_fingerprint") and "data_fingerprint" in ia,
            "same_config": same_config, "same_packages": all(ia.get(k) == ib.get(k) for k in ("torch", "numpy", "sklearn"))}
