"""The attempt loop: a smoke attempt first, then the full run; every attempt is a git commit of the project,
a log file, a row in the store and an entry in ``attempts.json``, written as it happens.

While an attempt runs, the monitor reads its output and metrics and may stop it early (NaN, divergence, stall).
A failed attempt is classified (``diagnose.py``) and repaired by a rule (``repair.py``) as a commit that says what
and why; then the loop tries again. It stops as ``needs_review``, with what failed, what was tried (with diffs)
and the suggested next step, when no rule applies, when a fix would change the scope and that is not allowed,
when the same failure comes back after the same fix (doom loop), or when the attempt budget is used up.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

from pydantic import BaseModel, Field

from ml_intern.git import commit_attempt, git
from ml_intern.errors import BudgetExhausted, InputError
from ml_intern.plan.models import Budgets
from ml_intern.run.diagnose import SUGGESTIONS, Failure, classify, classify_with_llm
from ml_intern.run.monitor import Monitor
from ml_intern.run.repair import Fix, entry_script, propose
from ml_intern.run.sandbox import Job, get_sandbox
from ml_intern.run.sandbox.env import scrubbed_env
from ml_intern.run.sandbox.limits import Limits
from ml_intern.track.store import Store
from ml_intern.track.trackers import Tracking
from ml_intern.ui import QuietUI
from ml_intern.runfolder import RunFolder

if TYPE_CHECKING:
    from ml_intern.agent.agent import SmokeResult

AttemptKind = Literal["smoke", "full"]
OUTPUTS = {"smoke": "outputs-smoke", "full": "outputs"}


class Attempt(BaseModel):
    number: int
    kind: AttemptKind
    status: Literal["running", "succeeded", "failed", "interrupted"]
    commit: str
    command: list[str]
    log: str
    sandbox: str = "process"
    limits_enforced: dict[str, bool] = Field(default_factory=dict)
    resumed_from_step: int | None = None
    started_at: float
    finished_at: float | None = None
    exit_code: int | None = None
    failure: Failure | None = None
    fix: str | None = Field(default=None, description="the change made after this attempt failed")
    fix_reason: str | None = None
    fix_diff: str | None = None
    last_step: int | None = None


class Review(BaseModel):
    """What a person needs to act on a run that stopped."""

    why: str
    failure: Failure | None = None
    tried: list[dict] = Field(default_factory=list)  # {attempt, failure, fix, reason, diff}
    suggestion: str
    budget_stop: bool = False  # a run-wide limit (LLM, wall clock) stopped it: resume goes on in the same cycle


class Outcome(BaseModel):
    status: Literal["succeeded", "needs_review"]
    attempts: list[Attempt]
    results: dict | None = None
    summary: str
    review: Review | None = None


@dataclass
class ExecOptions:
    sandbox: str = "auto"
    limits: Limits = field(default_factory=Limits)
    allow_network: bool = False
    allow_scope_changes: bool = False
    stall_s: float = 600.0
    budget_start: int = 0  # attempts before this number belong to an earlier review cycle
    tracking: Tracking | None = None  # experiment trackers fed with the full attempts' metrics
    llm: Callable[[int], object] | None = None  # attempt number -> the run's recorded, budgeted LLM; None: rules only
    agent: Callable[[int], object] | None = None  # the same, for the agent that repairs what no rule can


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
        with self.path.open("rb") as f:  # bytes: offsets stay right whatever the text holds
            f.seek(self.offset)
            chunk = f.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self.offset += len(complete)
        rows = []
        for line in complete.decode("utf-8", "replace").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict) and isinstance(row.get("step"), int):  # other rows are not metrics
                rows.append(row)
        return rows


def _latest_checkpoint_step(output_dir: Path) -> int | None:
    complete = sorted(p for p in (output_dir / "checkpoints").glob("step-*") if (p / "COMPLETE").exists())
    return int(complete[-1].name.split("-")[1]) if complete else None


def local_models(run_dir: Path) -> list[Path]:
    """The model or tokenizer folders the build allowed (``project.json``, outside the sandbox's reach)."""
    try:
        project = RunFolder(run_dir).project()
    except (OSError, InputError):
        return []
    return [Path(p) for p in (project.local_inputs if project else []) if Path(p).is_dir()]


def is_skeleton(project: Path) -> bool:
    """A project in ml-intern's skeleton (train.py with --config/--smoke/--resume) or a lone script."""
    train = project / "train.py"
    return train.exists() and (project / "config.yaml").exists() and "--smoke" in train.read_text()


def _setting(project: Path, key: str) -> int:
    """A count a skeleton project's config.yaml gives (``num_processes``, ``num_nodes``; 1 if it cannot say)."""
    import yaml

    try:
        return max(1, int((yaml.safe_load((project / "config.yaml").read_text()) or {}).get(key) or 1))
    except (OSError, ValueError, TypeError, AttributeError, yaml.YAMLError):
        return 1


def _processes(project: Path) -> int:
    return _setting(project, "num_processes")


def _nodes(project: Path) -> int:
    """The machines a skeleton project's processes spread over (``num_nodes``; a lone script: 1)."""
    return _setting(project, "num_nodes") if is_skeleton(project) and _processes(project) > 1 else 1


def _launcher(project: Path) -> list[str]:
    """``accelerate launch`` when the project runs several processes on this machine (its accelerate_config.yaml),
    else nothing: one process, or processes over several machines, which the ``ray`` backend starts one by one."""
    if _processes(project) > 1 and _nodes(project) == 1 and (project / "accelerate_config.yaml").exists():
        return ["-m", "accelerate.commands.launch", "--config_file", "accelerate_config.yaml"]
    return []


def check_nodes(nodes: int, sandbox: str, allow_network: bool) -> None:
    """Processes over several machines run only as a Ray Train job, and only with the network, which they need to
    reach each other: refused before any attempt (before the run, when --set asks for it), saying so."""
    if nodes <= 1:
        return
    if sandbox != "ray":
        raise InputError(f"the processes spread over {nodes} machines (num_nodes), and sandbox {sandbox} runs on "
                         "this one only", fix="run on a Ray cluster (--sandbox ray --allow-network), or on this "
                                              "machine: num_nodes 1 (--set num_nodes=1, or in the project's config.yaml)")
    if not allow_network:
        raise InputError(f"the processes on {nodes} machines exchange gradients over the network, "
                         "and the sandbox cuts it", fix="allow it explicitly with --allow-network (the job then "
                                                        "shares each node's network)")


def _command(project: Path, kind: AttemptKind, resume: bool) -> list[str]:
    if not is_skeleton(project):
        return [sys.executable, entry_script(project).name]
    argv = [sys.executable, *_launcher(project), "train.py", "--config", "config.yaml", "--output-dir", OUTPUTS[kind]]
    if kind == "smoke":
        argv.append("--smoke")
    elif resume:
        argv.append("--resume")
    return argv


def run_attempts(run_id: str, run_dir: Path, project: Path, budgets: Budgets, store: Store,
                 ui: QuietUI | None = None, options: ExecOptions | None = None) -> Outcome:
    """Run (or continue) the attempts of a run until success, review or the budget; return the outcome."""
    ui = ui or QuietUI()
    options = options or ExecOptions()
    check_nodes(_nodes(project), options.sandbox, options.allow_network)
    backend = get_sandbox(options.sandbox)
    if hasattr(backend, "notify"):  # the docker backend says when it pulls or builds the project's image
        backend.notify = ui.note
    if not backend.isolates:
        from ml_intern.run.sandbox.process import WARNING

        ui.note(f"warning: {WARNING}")
    folder = RunFolder(run_dir, store)  # attempts.json, and each attempt's row in the store
    everything = folder.attempts()
    for a in everything:  # a previous process died mid-attempt
        if a.status == "running":
            a.status, a.finished_at = "interrupted", a.finished_at or time.time()
    folder.save_attempts(everything)
    skeleton = is_skeleton(project)

    while True:
        cycle = [a for a in everything if a.number > options.budget_start]
        smoke_ok = not skeleton or any(a.kind == "smoke" and a.status == "succeeded" for a in cycle)
        full_ok = next((a for a in cycle if a.kind == "full" and a.status == "succeeded"), None)
        if full_ok:
            results_path = project / (OUTPUTS["full"] if skeleton else ".") / "results.json"
            results = json.loads(results_path.read_text()) if results_path.exists() else None
            repaired = sum(1 for a in cycle if a.fix)
            return Outcome(status="succeeded", attempts=everything, results=results,
                           summary=f"succeeded on attempt {full_ok.number}"
                                   + (f" after {repaired} repair(s)" if repaired else ""))
        deadline = deadline_of(store, run_id, budgets)
        if deadline is not None and time.time() >= deadline:
            outcome = _review(everything, cycle, project,
                              f"the run's wall-clock budget ({budgets.wall_clock_s:g} s) is used up")
            assert outcome.review is not None
            outcome.review.budget_stop = True
            return outcome
        # an interrupted attempt (Ctrl-C, a killed runner) is not a failure and does not use the budget
        used = sum(a.status != "interrupted" for a in cycle)
        last = cycle[-1] if cycle else None
        if last and last.status == "failed" and not last.fix:  # (a fix already made is not made again on resume)
            if used >= budgets.max_attempts:
                return _review(everything, cycle, project, f"the attempt budget ({budgets.max_attempts}) is used up")
            assert last.failure is not None
            if last.failure.cls == "unknown" and last.failure.classified_by == "rules" and options.llm:
                last.failure = classify_with_llm(options.llm(last.number), last.failure)  # (budget: may stop here)
                folder.save_attempts(everything)
                ui.note(f"the LLM classifies attempt {last.number}'s failure as {last.failure.cls}")
            fix = propose(project, last.failure)
            if fix is None and options.agent is not None:
                fix, why = _agent_fix(run_dir, project, last, cycle, budgets, options, ui, deadline)
                if fix is None:
                    return _review(everything, cycle, project, why)
            if fix is None:
                why = f"no rule-based fix for {last.failure.cls}"
                return _review(everything, cycle, project, why)
            if any(a.fix == fix.description and a.failure and a.failure.cls == last.failure.cls
                   and a.failure.message == last.failure.message for a in cycle[:-1]):
                return _review(everything, cycle, project,
                               f"the same failure came back after the same fix ({fix.description}): stopping the loop")
            if fix.scope_change and not options.allow_scope_changes:
                return _review(everything, cycle, project,
                               f"the fix changes the scope ({fix.description}: {fix.reason}) and needs approval: "
                               f"`ml-intern resume {run_id} --allow-scope-changes`, or make the change by hand "
                               f"and `ml-intern resume {run_id}`")
            before = git(project, "rev-parse", "HEAD")
            fix.apply()
            last.fix, last.fix_reason = fix.description, fix.reason
            last.fix_diff = git(project, "diff", before, "--", ".")
            folder.save_attempts(everything)
            ui.note(f"fix: {fix.description} ({fix.reason})")
        elif used >= budgets.max_attempts:
            return _review(everything, cycle, project, f"the attempt budget ({budgets.max_attempts}) is used up")

        kind: AttemptKind = "full" if smoke_ok else "smoke"
        output_dir = project / OUTPUTS[kind] if skeleton else project
        resumed_from = None
        # an interrupted attempt, or one whose worker was lost (a cluster's), goes on from its last checkpoint
        lost = last is not None and last.failure is not None and last.failure.cls == "worker_lost"
        if skeleton and kind == "full" and last and last.kind == "full" and (last.status == "interrupted" or lost):
            resumed_from = _latest_checkpoint_step(output_dir)
        argv = _command(project, kind, resumed_from is not None)
        number = len(everything) + 1
        message = f"attempt {number}: {kind}" + (f", resumed from step {resumed_from}" if resumed_from else "")
        if last and last.fix and last.failure:
            message += f"\n\nfix after attempt {last.number} ({last.failure.cls}): {last.fix}\n\nwhy: {last.fix_reason}"
        commit = commit_attempt(project, message)
        log = run_dir / "logs" / f"attempt-{number}.log"
        attempt = Attempt(number=number, kind=kind, status="running", commit=commit, command=argv[1:],
                          log=str(log.relative_to(run_dir)), sandbox=backend.name,
                          resumed_from_step=resumed_from, started_at=time.time())
        everything.append(attempt)
        folder.save_attempts(everything)
        ui.attempt_started(number, kind, budgets.max_attempts)
        if options.tracking:
            options.tracking.begin(number, kind, resumed_from)
        try:
            _run_one(run_id, attempt, argv, project, output_dir, run_dir, log, budgets, store, ui, backend, options,
                     skeleton, deadline)
        except BaseException as exc:  # the sandbox killed the process group; record and re-raise
            # Ctrl-C or SIGTERM interrupt; anything else is ml-intern's own failure, not a resumable interruption
            interrupted = isinstance(exc, KeyboardInterrupt)
            attempt.status, attempt.finished_at = ("interrupted" if interrupted else "failed"), time.time()
            if not interrupted:
                attempt.failure = Failure(cls="unknown", message=f"ml-intern: {type(exc).__name__}: {exc}")
            folder.save_attempts(everything)
            ui.attempt_finished(number, attempt.status)
            raise
        finally:
            if options.tracking:
                options.tracking.end()
        folder.save_attempts(everything)
        ui.attempt_finished(number, attempt.status,
                            f"{attempt.failure.cls}: {attempt.failure.message}" if attempt.failure else "")


def _run_one(run_id: str, attempt: Attempt, argv: list[str], project: Path, output_dir: Path, run_dir: Path,
             log: Path, budgets: Budgets, store: Store, ui: QuietUI, backend, options: ExecOptions,
             skeleton: bool, deadline: float | None = None) -> None:
    metrics = _MetricsTail(output_dir / "metrics.jsonl")
    if skeleton:
        (output_dir / "results.json").unlink(missing_ok=True)
        if "--resume" not in argv:  # a fresh attempt: nothing of an earlier one may be resumed or pruned against
            (output_dir / "metrics.jsonl").unlink(missing_ok=True)
            shutil.rmtree(output_dir / "checkpoints", ignore_errors=True)
    monitor = Monitor(stall_s=options.stall_s)
    state: dict = {"total": None, "loss": None}

    def on_line(line: str) -> None:
        monitor.line(line)
        ui.output_line(line)

    def tick() -> str | None:
        # a resumed attempt: rows up to its checkpoint belong to the attempt it resumes
        rows = [r for r in metrics.read() if attempt.resumed_from_step is None or r["step"] > attempt.resumed_from_step]
        if rows:
            store.add_metrics(run_id, attempt.number, rows)
            if options.tracking:
                options.tracking.log(rows)
            monitor.rows(rows)
            state["loss"] = next((r["loss"] for r in reversed(rows) if "loss" in r), state["loss"])
        if state["total"] is None and (info := output_dir / "run_info.json").exists():
            try:
                state["total"] = json.loads(info.read_text())["total_steps"]
            except (ValueError, KeyError):
                pass
        ui.progress(monitor.step, state["total"], state["loss"])
        return monitor.check()

    timeout = budgets.smoke_timeout_s if attempt.kind == "smoke" else budgets.attempt_timeout_s
    cut_by_deadline = deadline is not None and deadline - time.time() < timeout
    if cut_by_deadline:  # the run's wall clock cuts the attempt short: then it is interrupted, not failed
        timeout = max(1.0, deadline - time.time())
    job = _job(argv, project, run_dir, log, timeout, options)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a") as f:
        f.write(f"[ml-intern] attempt {attempt.number} ({attempt.kind}) in sandbox {backend.name}: "
                f"{shlex.join(argv)}\n")
        if not backend.isolates:
            from ml_intern.run.sandbox.process import WARNING

            f.write(f"[ml-intern] WARNING: {WARNING}\n")
    try:
        result = backend.run(job, on_line, tick)
    finally:
        attempt.last_step = monitor.step or None
        attempt.limits_enforced = job.enforced
    attempt.exit_code, attempt.finished_at = result.exit_code, time.time()
    done = result.exit_code == 0 and not result.timed_out and not result.stopped
    if result.timed_out and cut_by_deadline:
        attempt.status = "interrupted"  # resumable like a Ctrl-C: `resume` with a longer --max-wall-clock
        return
    if done and (not skeleton or (output_dir / "results.json").exists()):
        attempt.status = "succeeded"
    else:
        attempt.status = "failed"
        attempt.failure = classify(result, log.read_text(errors="replace"))


def _job(argv: list[str], project: Path, run_dir: Path, log: Path, timeout: float, options: ExecOptions) -> Job:
    """The sandboxed job: writes only in the project and the run's home and tmp; .git and local models read-only."""
    limits = options.limits
    if limits.cpu_seconds is None:  # CPU time caps a runaway job; it never binds before the wall clock does
        limits = dataclasses.replace(limits, cpu_seconds=int(timeout * (os.cpu_count() or 1)) + 60)
    return Job(argv=argv, cwd=project, env=scrubbed_env(run_dir, options.allow_network), timeout_s=timeout,
               log_path=log, writable=[project, run_dir / "home", run_dir / "tmp"],
               readonly=[project / ".git", *local_models(run_dir)], limits=limits, allow_network=options.allow_network,
               processes=_processes(project) if _launcher(project) or _nodes(project) > 1 else 1,
               nodes=_nodes(project))


def smoke_check(project: Path, run_dir: Path, log: Path, budgets: Budgets, options: ExecOptions,
                deadline: float | None = None) -> SmokeResult:
    """The project's smoke test (``train.py --smoke``; a lone script: the script itself) in the sandbox, as the
    agent's tool runs it: not an attempt (no commit, no row), its log kept at ``log``. The run's wall clock
    (``deadline``) cuts it short; reaching it raises ``BudgetExhausted``."""
    from ml_intern.agent.agent import SmokeResult

    check_nodes(_nodes(project), options.sandbox, options.allow_network)
    skeleton = is_skeleton(project)
    kind: AttemptKind = "smoke" if skeleton else "full"
    output_dir = project / OUTPUTS["smoke"] if skeleton else project
    if skeleton:
        for name in ("results.json", "metrics.jsonl"):
            (output_dir / name).unlink(missing_ok=True)
    argv = _command(project, kind, False)
    metrics, monitor = _MetricsTail(output_dir / "metrics.jsonl"), Monitor(stall_s=options.stall_s)

    def tick() -> str | None:
        monitor.rows(metrics.read())
        return monitor.check()

    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(f"[ml-intern] the agent's smoke test: {shlex.join(argv)}\n")
    timeout = budgets.smoke_timeout_s if skeleton else min(budgets.smoke_timeout_s * 4, budgets.attempt_timeout_s)
    used_up = BudgetExhausted(f"the run's wall-clock budget ({budgets.wall_clock_s or 0:g} s) is used up")
    cut = deadline is not None and deadline - time.time() < timeout
    if cut:
        if deadline - time.time() < 1:
            raise used_up
        timeout = deadline - time.time()
    result = get_sandbox(options.sandbox).run(_job(argv, project, run_dir, log, timeout, options), monitor.line, tick)
    if result.timed_out and cut:
        raise used_up
    monitor.rows(metrics.read())
    text = log.read_text(errors="replace")
    tail = "\n".join(text.splitlines()[-60:])
    if result.exit_code == 0 and not result.timed_out and not result.stopped and (
            not skeleton or (output_dir / "results.json").exists()):
        return SmokeResult(passed=True, step=monitor.step, what="passed", log_tail=tail)
    failure = classify(result, text)
    return SmokeResult(passed=False, step=monitor.step, what=f"{failure.cls}: {failure.message}", log_tail=tail)


def _agent_fix(run_dir: Path, project: Path, last: Attempt, cycle: list[Attempt], budgets: Budgets,
               options: ExecOptions, ui: QuietUI, deadline: float | None = None) -> tuple[Fix | None, str]:
    """No rule fits: the agent tries (``agent/agent.py``). Its change, with a passing smoke test, becomes the fix
    (already in the project's files: the next attempt's commit holds it); else why it did not, for the review."""
    from ml_intern.agent.agent import SmokeResult, repair

    assert options.agent is not None and last.failure is not None
    name = f"repair-after-attempt-{last.number}"
    # what the change must beat: the failed attempt itself, or, after a full attempt, a smoke test that passed
    baseline = (SmokeResult(passed=True, step=0, what="passed") if last.kind == "full" and is_skeleton(project)
                else SmokeResult(passed=False, step=last.last_step or 0,
                                 what=f"{last.failure.cls}: {last.failure.message}"))
    counter = iter(range(1, 10_000))
    ui.note(f"no rule-based fix for {last.failure.cls}: the agent tries (at most {budgets.agent_steps} steps)")
    episode = repair(options.agent(last.number), project, last.failure, run_dir / last.log, baseline,
                     lambda: smoke_check(project, run_dir, run_dir / "agent" / f"{name}-smoke-{next(counter)}.log",
                                         budgets, options, deadline),
                     run_dir / "agent" / f"{name}.json", budgets.agent_steps)
    where = Path(episode.transcript or "").relative_to(run_dir) if episode.transcript else "-"
    if episode.status != "done":
        return None, (f"no rule-based fix for {last.failure.cls}, and the agent's repair did not succeed "
                      f"({episode.status}: {episode.summary}); its steps are in {where}")
    diff = git(project, "diff", "HEAD", "--", ".")
    if any(a.fix_diff == diff and a.failure and a.failure.cls == last.failure.cls for a in cycle[:-1]):
        _undo(project, episode.changed)
        return None, (f"the agent made the same change again ({', '.join(episode.changed)}) for the same failure "
                      f"({last.failure.cls}): stopping the loop; its steps are in {where}")
    checked = ("the smoke test passed before the change too, so only the next full attempt can tell whether it "
               "helps" if baseline.passed else "the smoke test passes now")
    ui.note(f"the agent changed {', '.join(episode.changed)}: {episode.summary} ({checked})")
    return Fix(description=f"the agent's change to {', '.join(episode.changed)}: {episode.summary.splitlines()[0][:200]}",
               reason=f"{episode.summary} ({checked}; steps in {where})", scope_change=False,
               apply=lambda: None), ""


def _undo(project: Path, files: list[str]) -> None:
    """Put files the agent changed back as the last attempt's commit has them (new files are removed)."""
    for name in files:
        if git(project, "ls-files", "--", name):
            git(project, "checkout", "-q", "HEAD", "--", name)
        else:
            (project / name).unlink(missing_ok=True)


def deadline_of(store: Store, run_id: str, budgets: Budgets) -> float | None:
    if budgets.wall_clock_s is None:
        return None
    run = store.get_run(run_id)
    return (run["created_at"] if run else time.time()) + budgets.wall_clock_s


def _review(everything: list[Attempt], cycle: list[Attempt], project: Path, why: str) -> Outcome:
    last = cycle[-1] if cycle else None
    failure = last.failure if last else None
    tried = [{"attempt": a.number, "failure": f"{a.failure.cls}: {a.failure.message}" if a.failure else None,
              "fix": a.fix, "reason": a.fix_reason, "diff": a.fix_diff} for a in cycle if a.fix]
    suggestion = SUGGESTIONS.get(failure.cls, SUGGESTIONS["unknown"]) if failure else "look at the log"
    review = Review(why=why, failure=failure, tried=tried,
                    suggestion=f"{suggestion}; the project is {project} (a git repository: `git log -p` shows each "
                               f"attempt's code)")
    summary = f"stopped after {len(cycle)} attempt(s): {why}."
    if failure and last:
        summary += f" Last failure (attempt {last.number}, {last.kind}): {failure.cls}: {failure.message}. Log: {last.log}."
    if tried:
        summary += " Tried: " + "; ".join(f"{t['fix']} (after attempt {t['attempt']})" for t in tried) + "."
    summary += f" Next: {suggestion}."
    return Outcome(status="needs_review", attempts=everything, summary=summary, review=review)
