"""The attempt loop: a smoke attempt first, then the full run; every attempt is a git commit of the project,
a log file, a row in the store and an entry in ``attempts.json``, written as it happens.

While an attempt runs, the monitor reads its output and metrics and may stop it early (NaN, divergence, stall).
A failed attempt is classified (``diagnose.py``) and repaired by a rule (``repair.py``) as a commit that says what
and why; then the loop tries again. It stops as ``needs_review``, with what failed, what was tried (with diffs)
and the suggested next step, when no rule applies, when a fix would change the scope and that is not allowed,
when the same failure comes back after the same fix (doom loop), or when the attempt budget is used up.

Two halves: ``decide(state) -> action`` is the whole policy, pure (no files, no sandbox: tested on its own);
``run_attempts`` carries each action out, and ``execute`` is the one way the project runs in the sandbox, for full
and smoke attempts and for the agent's smoke test (``smoke_check``) alike.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

from pydantic import BaseModel, Field

from ml_intern import jobfiles
from ml_intern.git import commit_attempt, git
from ml_intern.errors import BudgetExhausted, InputError
from ml_intern.plan.models import Budgets
from ml_intern.run.diagnose import SUGGESTIONS, classify, classify_with_llm
from ml_intern.run.failures import Failure, Stop, Tried
from ml_intern.run.fetch import FetchFailed, fetch, needs, repo_folder
from ml_intern.run.monitor import Monitor
from ml_intern.run.repair import Fix, entry_script, propose
from ml_intern.run.sandbox import Job, SandboxResult, get_sandbox
from ml_intern.run.sandbox.env import scrubbed_env
from ml_intern.run.sandbox.limits import Limits
from ml_intern.run.verify import Verification, verify
from ml_intern.track.store import Store
from ml_intern.track.trackers import Tracking
from ml_intern.ui import QuietUI
from ml_intern.runfolder import RunFolder

if TYPE_CHECKING:
    from ml_intern.agent.agent import SmokeResult

AttemptKind = Literal["smoke", "full"]
OUTPUTS = {"smoke": "outputs-smoke", "full": "outputs"}
MAX_STORED_ROWS, THIN_EVERY = 100_000, 100  # metric rows per attempt the store keeps in full, then one in 100
MAX_METRICS_BYTES = 1024 * 1024 * 1024  # a metrics.jsonl past this stops the attempt (output_flood)
MAX_LOG_READ = 16 * 1024 * 1024  # the attempt's log is capped near 10 MiB (run/sandbox/output.py)


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
    verification: Verification | None = Field(default=None, description="a full attempt's metrics checked by "
                                              "ml-intern's own evaluation of its saved model (run/verify.py)")


class Review(BaseModel):
    """What a person needs to act on a run that stopped."""

    why: str
    failure: Failure | None = None
    tried: list[Tried] = Field(default_factory=list)
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
    hub_cache: Path | None = None  # the user's Hub cache, filled by ml-intern (``fetch.py``)
    hub_repos: list[Path] = field(default_factory=list)  # its folders of the repos the project loads: shown read-only


class _MetricsTail:
    """Reads new rows of metrics.jsonl while the attempt runs (complete lines only). The file is the job's: opened
    without following links (a link or a pipe reads as nothing), read at most ``CHUNK`` bytes a tick, lines longer
    than ``MAX_ROW`` and rows that are not plain JSON objects with an integer step skipped. ``size`` is how far the
    file has grown: past ``MAX_METRICS_BYTES`` the attempt is stopped (``output_flood``)."""

    CHUNK = 8 * 1024 * 1024
    MAX_ROW = 64 * 1024

    def __init__(self, project: Path, rel: str):
        self.project, self.rel, self.offset, self.inode, self.size = project, rel, 0, None, 0
        self.skipping = False  # inside an over-long line: drop bytes up to its end

    def read(self) -> list[dict]:
        path = jobfiles.inside(self.project, self.rel)  # (no link on the way: outputs/ may be the job's link too)
        if path is None:
            return []
        fd = jobfiles.open_regular(path)
        if fd is None:
            return []
        try:
            st = os.fstat(fd)
            if st.st_ino != self.inode or st.st_size < self.offset:  # replaced (resume truncates it): start over
                self.inode, self.offset, self.skipping = st.st_ino, 0, False
            self.size = st.st_size
            os.lseek(fd, self.offset, os.SEEK_SET)
            chunk = os.read(fd, self.CHUNK)  # bytes: offsets stay right whatever the text holds
        except OSError:
            return []
        finally:
            os.close(fd)
        end = chunk.rfind(b"\n") + 1
        if end == 0 and len(chunk) >= self.MAX_ROW:  # no newline in sight: skip what was read, and the line's rest
            self.offset += len(chunk)
            self.skipping = True
            return []
        complete = chunk[:end]
        self.offset += len(complete)
        rows = []
        for number, raw in enumerate(complete.split(b"\n")[:-1]):
            if number == 0 and self.skipping:
                self.skipping = False
                continue
            if len(raw) > self.MAX_ROW:
                continue
            try:
                row = jobfiles.loads(raw.decode("utf-8", "replace"))
            except ValueError:
                continue
            step = row.get("step") if isinstance(row, dict) else None
            if isinstance(step, int) and not isinstance(step, bool) and 0 <= step < 2**63 and jobfiles.is_plain(row):
                rows.append(row)  # (other rows are not metrics)
        return rows


def fetch_inputs(project: Path, run_dir: Path, options: ExecOptions, ui: QuietUI) -> tuple[Path | None, list[Path]]:
    """Fetch what a skeleton project loads from the Hub (``fetch.py``) into the user's cache, a slice at scale smoke
    or small: the cache and its folders of those repos, which the sandbox is to see (only those, read-only); or
    (None, []): nothing from the Hub, or ``--allow-network``, with which the job loads for itself, without the
    user's token."""
    import yaml

    if options.allow_network or not is_skeleton(project):
        return None, []
    try:
        config = yaml.safe_load((project / "config.yaml").read_text()) or {}
    except (OSError, yaml.YAMLError):
        return None, []
    wanted = needs(config if isinstance(config, dict) else {}, project)
    if not wanted:
        return None, []
    try:
        plan = RunFolder(run_dir).plan()
    except (OSError, InputError):
        plan = None
    cache = fetch(wanted, whole=plan is None or plan.scale == "paper", note=ui.note)
    return cache, [repo_folder(n, cache) for n in wanted if repo_folder(n, cache).is_dir()]


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
    text = jobfiles.read_text(project / "train.py", 4 * 1024 * 1024)
    return text is not None and jobfiles.read_bytes(project / "config.yaml", 1) is not None and "--smoke" in text


def _setting(project: Path, key: str) -> int:
    """A count a skeleton project's config.yaml gives (``num_processes``, ``num_nodes``; 1 if it cannot say)."""
    try:
        return max(1, int((jobfiles.read_yaml_object(project / "config.yaml") or {}).get(key) or 1))
    except (ValueError, TypeError, OverflowError):
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


# ---------------------------------------------------------------- the policy: decide(state) -> action

@dataclass(frozen=True)
class Proposal:
    """What repairing the last failed attempt came to: a fix, or why there is none."""

    fix: Fix | None
    why: str = ""


@dataclass
class LoopState:
    """All ``decide`` looks at."""

    cycle: list[Attempt]  # this review cycle's attempts, oldest first
    skeleton: bool  # the project is the skeleton (smoke attempt first), not a lone script
    max_attempts: int
    run_id: str = "RUN"
    out_of_time: bool = False  # the run's wall clock is used up
    wall_clock_s: float | None = None
    can_classify: bool = False  # an LLM may classify what the rules call unknown
    allow_scope_changes: bool = False
    proposal: Proposal | None = None  # for the last failed attempt, once asked for (``OnFailure`` repair)


@dataclass(frozen=True)
class Finish:
    """The full attempt succeeded."""

    attempt: Attempt


@dataclass(frozen=True)
class StopForReview:
    why: str
    budget_stop: bool = False  # a run-wide limit: resume goes on in the same cycle


@dataclass(frozen=True)
class OnFailure:
    """Work on the last attempt's failure: ``classify`` (ask the LLM: the rules call it unknown), or ``repair`` (find
    a fix: a rule, else the agent when there is one; the loop says what came of it in ``LoopState.proposal``)."""

    what: Literal["classify", "repair"]
    attempt: Attempt


@dataclass(frozen=True)
class ApplyFix:
    attempt: Attempt
    fix: Fix


@dataclass(frozen=True)
class RunNext:
    kind: AttemptKind
    resume: bool  # go on from the last attempt's checkpoint (it was interrupted, or its worker lost)


Action = Finish | StopForReview | OnFailure | ApplyFix | RunNext


def decide(state: LoopState) -> Action:
    """The next step of the loop from what has happened in this cycle: pure, so every exit is tested directly."""
    cycle = state.cycle
    done = next((a for a in cycle if a.kind == "full" and a.status == "succeeded"), None)
    if done is not None:
        return Finish(done)
    if state.out_of_time:
        return StopForReview(f"the run's wall-clock budget ({state.wall_clock_s or 0:g} s) is used up", budget_stop=True)
    used = sum(a.status != "interrupted" for a in cycle)  # an interrupted attempt does not use the budget
    budget = f"the attempt budget ({state.max_attempts}) is used up"
    last = cycle[-1] if cycle else None
    if last is not None and last.status == "failed" and not last.fix:  # (a fix made is not made again on resume)
        failure = last.failure or Failure(cls="unknown", message="the attempt failed without a diagnosis")
        if used >= state.max_attempts:
            return StopForReview(budget)
        if failure.cls == "unknown" and failure.classified_by == "rules" and state.can_classify:
            return OnFailure("classify", last)
        if state.proposal is None:
            return OnFailure("repair", last)
        fix = state.proposal.fix
        if fix is None:
            return StopForReview(state.proposal.why or f"no rule-based fix for {failure.cls}")
        if any(a.fix == fix.description and a.failure and a.failure.cls == failure.cls
               and a.failure.message == failure.message for a in cycle[:-1]):
            return StopForReview(f"the same failure came back after the same fix ({fix.description}): stopping the loop")
        if fix.scope_change and not state.allow_scope_changes:
            return StopForReview(f"the fix changes the scope ({fix.description}: {fix.reason}) and needs approval: "
                                 f"`ml-intern resume {state.run_id} --allow-scope-changes`, or make the change by hand "
                                 f"and `ml-intern resume {state.run_id}`")
        return ApplyFix(last, fix)
    if used >= state.max_attempts:
        return StopForReview(budget)
    smoke_ok = not state.skeleton or any(a.kind == "smoke" and a.status == "succeeded" for a in cycle)
    kind: AttemptKind = "full" if smoke_ok else "smoke"
    lost = last is not None and last.failure is not None and last.failure.cls == "worker_lost"
    resume = (state.skeleton and kind == "full" and last is not None and last.kind == "full"
              and (last.status == "interrupted" or lost))
    return RunNext(kind, resume)


# ---------------------------------------------------------------- carrying the actions out

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
    try:
        if options.hub_cache is None:
            options.hub_cache, options.hub_repos = fetch_inputs(project, run_dir, options, ui)
    except FetchFailed as exc:  # nothing ran: the review names the failure's class and the step that fixes it
        fix = exc.fix.replace("RUN", run_id)
        return Outcome(status="needs_review", attempts=everything, review=Review(why=exc.failure.message,
                       failure=exc.failure, suggestion=fix),
                       summary=f"stopped before any attempt: {exc.failure.cls}: {exc.failure.message}. Next: {fix}.")
    loop = _Loop(run_id, run_dir, project, budgets, store, ui, options, backend, everything, folder)
    proposal: Proposal | None = None

    while True:
        cycle = [a for a in everything if a.number > options.budget_start]
        deadline = deadline_of(store, run_id, budgets)
        state = LoopState(cycle=cycle, skeleton=skeleton, max_attempts=budgets.max_attempts, run_id=run_id,
                          out_of_time=deadline is not None and time.time() >= deadline,
                          wall_clock_s=budgets.wall_clock_s, can_classify=options.llm is not None,
                          allow_scope_changes=options.allow_scope_changes, proposal=proposal)
        action = decide(state)
        if isinstance(action, Finish):
            path = jobfiles.inside(project, f"{OUTPUTS['full']}/results.json" if skeleton else "results.json")
            results = (jobfiles.read_json_object(path) or None) if path else None
            repaired = sum(1 for a in cycle if a.fix)
            return Outcome(status="succeeded", attempts=everything, results=results,
                           summary=f"succeeded on attempt {action.attempt.number}"
                                   + (f" after {repaired} repair(s)" if repaired else ""))
        if isinstance(action, StopForReview):
            outcome = _review(everything, cycle, project, action.why)
            assert outcome.review is not None
            outcome.review.budget_stop = action.budget_stop
            return outcome
        if isinstance(action, OnFailure) and action.what == "classify":
            last = action.attempt
            assert last.failure is not None
            last.failure = classify_with_llm(options.llm(last.number), last.failure)  # (budget: may stop here)
            folder.save_attempts(everything)
            ui.note(f"the LLM classifies attempt {last.number}'s failure as {last.failure.cls}")
            continue
        if isinstance(action, OnFailure):
            proposal = _propose(loop, action.attempt, cycle, deadline)
            continue
        if isinstance(action, ApplyFix):
            last, fix = action.attempt, action.fix
            before = git(project, "rev-parse", "HEAD")
            fix.apply()
            last.fix, last.fix_reason = fix.description, fix.reason
            last.fix_diff = git(project, "diff", before, "--", ".")
            folder.save_attempts(everything)
            ui.note(f"fix: {fix.description} ({fix.reason})")
            proposal = None
            continue
        assert isinstance(action, RunNext)
        proposal = None
        _attempt(loop, action, deadline)


@dataclass
class _Loop:
    """What every step of one ``run_attempts`` call works with."""

    run_id: str
    run_dir: Path
    project: Path
    budgets: Budgets
    store: Store
    ui: QuietUI
    options: ExecOptions
    backend: object
    everything: list[Attempt]  # every attempt of the run, this call's included
    folder: RunFolder  # where they are saved (attempts.json and the store's index) after every step


def _propose(loop: _Loop, last: Attempt, cycle: list[Attempt], deadline: float | None) -> Proposal:
    assert last.failure is not None
    fix = propose(loop.project, last.failure)
    if fix is not None:
        return Proposal(fix)
    if loop.options.agent is not None:
        fix, why = _agent_fix(loop.run_dir, loop.project, last, cycle, loop.budgets, loop.options, loop.ui, deadline)
        return Proposal(fix, why)
    return Proposal(None, f"no rule-based fix for {last.failure.cls}")


def _attempt(loop: _Loop, action: RunNext, deadline: float | None) -> None:
    """One attempt: its commit, its record (saved before it starts and after it ends), the run, the diagnosis."""
    run_id, run_dir, project, everything = loop.run_id, loop.run_dir, loop.project, loop.everything
    budgets, store, ui, options, backend = loop.budgets, loop.store, loop.ui, loop.options, loop.backend
    kind = action.kind
    last = everything[-1] if everything else None
    resumed_from = _latest_checkpoint_step(project / OUTPUTS[kind]) if action.resume else None
    number = len(everything) + 1
    message = f"attempt {number}: {kind}" + (f", resumed from step {resumed_from}" if resumed_from else "")
    if last and last.fix and last.failure:
        message += f"\n\nfix after attempt {last.number} ({last.failure.cls}): {last.fix}\n\nwhy: {last.fix_reason}"
    commit = commit_attempt(project, message)
    log = run_dir / "logs" / f"attempt-{number}.log"
    attempt = Attempt(number=number, kind=kind, status="running", commit=commit,
                      command=_command(project, kind, resumed_from is not None)[1:],
                      log=str(log.relative_to(run_dir)), sandbox=backend.name,
                      resumed_from_step=resumed_from, started_at=time.time())
    everything.append(attempt)
    loop.folder.save_attempts(everything)
    ui.attempt_started(number, kind, budgets.max_attempts)
    if options.tracking:
        options.tracking.begin(number, kind, resumed_from)
    timeout = budgets.smoke_timeout_s if kind == "smoke" else budgets.attempt_timeout_s
    cut_by_deadline = deadline is not None and deadline - time.time() < timeout
    if cut_by_deadline:  # the run's wall clock cuts the attempt short: then it is interrupted, not failed
        timeout = max(1.0, deadline - time.time())
    progress: dict = {"total": None, "loss": None}

    def on_rows(rows: list[dict]) -> None:
        store.add_metrics(run_id, number, rows)
        if options.tracking:
            options.tracking.log(rows)
        progress["loss"] = next((r["loss"] for r in reversed(rows) if "loss" in r), progress["loss"])

    def on_tick(monitor: Monitor, output_dir: Path) -> None:
        if progress["total"] is None:
            info = jobfiles.inside(output_dir.parent, f"{output_dir.name}/run_info.json")
            total = jobfiles.read_json_object(info).get("total_steps") if info else None
            progress["total"] = total if isinstance(total, int) and 0 < total < 2**63 else None
        ui.progress(monitor.step, progress["total"], progress["loss"])

    def on_line(line: str) -> None:
        ui.output_line(line)

    try:
        run = execute(project, run_dir, kind, log, timeout, options, backend=backend, resumed_from=resumed_from,
                      header=f"attempt {number} ({kind}) in sandbox {backend.name}", on_rows=on_rows,
                      on_line=on_line, on_tick=on_tick, keep=lambda ran: _keep(attempt, ran))
    except BaseException as exc:  # the sandbox killed the process group; record and re-raise
        # Ctrl-C or SIGTERM interrupt; anything else is ml-intern's own failure, not a resumable interruption
        interrupted = isinstance(exc, KeyboardInterrupt)
        attempt.status, attempt.finished_at = ("interrupted" if interrupted else "failed"), time.time()
        if not interrupted:
            attempt.failure = Failure(cls="unknown", message=f"ml-intern: {type(exc).__name__}: {exc}",
                                      classified_by="ml-intern")
        loop.folder.save_attempts(everything)
        ui.attempt_finished(number, attempt.status)
        raise
    finally:
        if options.tracking:
            options.tracking.end()
    attempt.exit_code, attempt.finished_at = run.result.exit_code, time.time()
    if run.result.timed_out and cut_by_deadline:
        attempt.status = "interrupted"  # resumable like a Ctrl-C: `resume` with a longer --max-wall-clock
    elif run.passed and kind == "full":
        attempt.verification = _verify(loop, number, run, timeout)
        if attempt.verification.status in ("verified", "self-reported", "not checked"):
            attempt.status = "succeeded"
        else:
            attempt.status = "failed"
            attempt.failure = Failure(cls="metric_mismatch" if attempt.verification.status == "mismatch"
                                      else "check_failed", message=attempt.verification.reason,
                                      classified_by="ml-intern")
    elif run.passed:
        attempt.status = "succeeded"
    else:
        attempt.status = "failed"
        attempt.failure = run.failure()
    loop.folder.save_attempts(everything)
    ui.attempt_finished(number, attempt.status, str(attempt.failure) if attempt.failure else "")


def _verify(loop: _Loop, number: int, ran: Ran, timeout: float) -> Verification:
    """ml-intern's own evaluation of the full attempt's saved model, in the attempt's sandbox (run/verify.py)."""
    project = loop.folder.project()
    plan = loop.folder.plan()
    if plan is not None and plan.scale == "smoke":
        return Verification(status="not checked", reason="a smoke run: a few steps that check the code path, whose "
                                                          "metrics are no result")
    reported = (jobfiles.read_json_object(ran.output_dir / "results.json").get("metrics") or {}) if ran.skeleton else {}
    loop.ui.note("checking the reported metrics: ml-intern evaluates the saved model itself")

    def make_job(argv: list[str], cwd: Path, log: Path, writable: list[Path], readonly: list[Path]) -> Job:
        job = _job(argv, loop.project, loop.run_dir, log, timeout, loop.options)
        job.cwd = cwd
        job.writable = [*writable, loop.run_dir / "home", loop.run_dir / "tmp"]
        job.readonly = [*readonly, *local_models(loop.run_dir), *loop.options.hub_repos]  # (the data it evaluates on)
        job.processes = job.nodes = 1
        return job

    # a Ray cluster runs the training; the check runs here, where the run folder is (in the local sandbox)
    backend = loop.backend if loop.backend.name != "ray" else get_sandbox("auto")

    def run_job(job: Job) -> SandboxResult:
        job.log_path.parent.mkdir(parents=True, exist_ok=True)
        return backend.run(job, lambda line: None, lambda: None)

    return verify(loop.project, loop.run_dir, number, project.recipe if project and ran.skeleton else None,
                  reported if isinstance(reported, dict) else {}, run_job, make_job)


def _keep(attempt: Attempt, ran: Ran) -> None:
    """What the attempt record keeps of a run, even one cut short by an exception."""
    attempt.last_step = ran.monitor.step or None
    attempt.limits_enforced = ran.job.enforced


# ---------------------------------------------------------------- the one executor

@dataclass
class Ran:
    """One run of the project in the sandbox: the job, what the sandbox returned, what the monitor saw."""

    job: Job
    monitor: Monitor
    output_dir: Path
    skeleton: bool
    result: SandboxResult = field(default_factory=lambda: SandboxResult(exit_code=None))

    @property
    def exited_cleanly(self) -> bool:
        r = self.result
        return r.exit_code == 0 and not r.timed_out and r.stopped is None

    @property
    def passed(self) -> bool:
        """Exited 0 by itself (and a skeleton project wrote a results.json ml-intern can read)."""
        return self.exited_cleanly and (not self.skeleton or self.results_problem() is None)

    def results_problem(self) -> str | None:
        """Why the skeleton's results.json cannot be taken (None: it can): missing, not a regular file, too big,
        not a JSON object, or without a ``metrics`` object of numbers."""
        path = jobfiles.inside(self.output_dir.parent, f"{self.output_dir.name}/results.json")
        if path is None:
            return "outputs/results.json is missing, or is a link or another kind of file than a regular one"
        results = jobfiles.read_json_object(path)
        metrics = results.get("metrics")
        if not isinstance(metrics, dict) or not metrics:
            return ("outputs/results.json is not a JSON object with a `metrics` object (or is larger than "
                    f"{jobfiles.MAX_JSON_BYTES // 2**20} MiB)")
        bad = [k for k, v in metrics.items() if v is not None and jobfiles.finite(v) is None
               and not (isinstance(v, float) and v != v)]
        if bad:
            return f"outputs/results.json's metrics {', '.join(sorted(bad)[:5])} are not numbers"
        return None

    def log_text(self) -> str:
        return jobfiles.read_tail(self.job.log_path, MAX_LOG_READ) or ""

    def failure(self) -> Failure:
        if self.exited_cleanly and self.skeleton and (problem := self.results_problem()):
            return Failure(cls="invalid_output", message=problem, log_tail="\n".join(self.log_text().splitlines()[-60:]),
                           classified_by="ml-intern")
        return classify(self.result, self.log_text())


def execute(project: Path, run_dir: Path, kind: AttemptKind, log: Path, timeout: float, options: ExecOptions, *,
            backend=None, resumed_from: int | None = None, header: str = "run",
            on_rows: Callable[[list[dict]], None] | None = None, on_line: Callable[[str], None] | None = None,
            on_tick: Callable[[Monitor, Path], None] | None = None, keep: Callable[[Ran], None] | None = None) -> Ran:
    """Run the project once in the sandbox (``kind``: with ``--smoke`` or not; a lone script: the script), its
    earlier outputs cleared (kept up to the checkpoint when resuming), its metrics fed to the monitor, which may stop
    it. ``keep`` sees the run even when the sandbox raises."""
    backend = backend or get_sandbox(options.sandbox)
    skeleton = is_skeleton(project)
    output_dir = project / OUTPUTS[kind] if skeleton else project
    resume = resumed_from is not None
    if skeleton:
        (output_dir / "results.json").unlink(missing_ok=True)
        if not resume:  # a fresh run: nothing of an earlier one may be resumed or pruned against
            (output_dir / "metrics.jsonl").unlink(missing_ok=True)
            shutil.rmtree(output_dir / "checkpoints", ignore_errors=True)
    argv = _command(project, kind, resume)
    ran = Ran(job=_job(argv, project, run_dir, log, timeout, options), monitor=Monitor(stall_s=options.stall_s),
              output_dir=output_dir, skeleton=skeleton)
    metrics = _MetricsTail(project, str((output_dir / "metrics.jsonl").relative_to(project)))

    seen = [0]  # rows read so far: past MAX_STORED_ROWS, one in THIN_EVERY goes on to the store and trackers

    def read() -> None:
        # a resumed run: rows up to its checkpoint belong to the attempt it resumes
        rows = [r for r in metrics.read() if resumed_from is None or r["step"] > resumed_from]
        if rows:
            if on_rows:
                kept = [r for i, r in enumerate(rows, seen[0])
                        if i < MAX_STORED_ROWS or (i - MAX_STORED_ROWS) % THIN_EVERY == 0]
                if kept:
                    on_rows(kept)
            seen[0] += len(rows)
            ran.monitor.rows(rows)

    def tick():
        read()
        if on_tick:
            on_tick(ran.monitor, output_dir)
        if metrics.size > MAX_METRICS_BYTES:
            return Stop(cls="output_flood", message=f"metrics.jsonl grew past {MAX_METRICS_BYTES // 2**20} MiB")
        return ran.monitor.check()

    def line(text: str) -> None:
        ran.monitor.line(text)
        if on_line:
            on_line(text)

    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a") as f:
        f.write(f"[ml-intern] {header}: {shlex.join(argv)}\n")
        if not backend.isolates:
            from ml_intern.run.sandbox.process import WARNING

            f.write(f"[ml-intern] WARNING: {WARNING}\n")
    try:
        ran.result = backend.run(ran.job, line, tick)
        read()  # (rows written after the last tick)
    finally:
        if keep:
            keep(ran)
    return ran


def _job(argv: list[str], project: Path, run_dir: Path, log: Path, timeout: float, options: ExecOptions) -> Job:
    """The sandboxed job: writes only in the project and the run's home and tmp; .git and local models read-only."""
    limits = options.limits
    if limits.cpu_seconds is None:  # CPU time caps a runaway job; it never binds before the wall clock does
        limits = dataclasses.replace(limits, cpu_seconds=int(timeout * (os.cpu_count() or 1)) + 60)
    hub = list(options.hub_repos)
    return Job(argv=argv, cwd=project, env=scrubbed_env(run_dir, options.allow_network, options.hub_cache),
               timeout_s=timeout, log_path=log, writable=[project, run_dir / "home", run_dir / "tmp"],
               readonly=[project / ".git", *local_models(run_dir), *hub], limits=limits, allow_network=options.allow_network,
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
    timeout = budgets.smoke_timeout_s if skeleton else min(budgets.smoke_timeout_s * 4, budgets.attempt_timeout_s)
    used_up = BudgetExhausted(f"the run's wall-clock budget ({budgets.wall_clock_s or 0:g} s) is used up")
    cut = deadline is not None and deadline - time.time() < timeout
    if cut:
        if deadline - time.time() < 1:
            raise used_up
        timeout = deadline - time.time()
    log.unlink(missing_ok=True)
    ran = execute(project, run_dir, "smoke" if skeleton else "full", log, timeout, options,
                  header="the agent's smoke test")
    if ran.result.timed_out and cut:
        raise used_up
    tail = "\n".join(ran.log_text().splitlines()[-60:])
    if ran.passed:
        return SmokeResult(passed=True, step=ran.monitor.step, what="passed", log_tail=tail)
    return SmokeResult(passed=False, step=ran.monitor.step, what=str(ran.failure()), log_tail=tail)


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
                                 what=str(last.failure)))
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
    tried = [Tried(attempt=a.number, failure=a.failure, fix=a.fix, reason=a.fix_reason, diff=a.fix_diff)
             for a in cycle if a.fix]
    suggestion = SUGGESTIONS.get(failure.cls, SUGGESTIONS["unknown"]) if failure else "look at the log"
    if failure and failure.fix:  # the log named the command that fixes it
        suggestion = f"run `{failure.fix}`, then resume"
    review = Review(why=why, failure=failure, tried=tried,
                    suggestion=f"{suggestion}; the project is {project} (a git repository: `git log -p` shows each "
                               f"attempt's code)")
    summary = f"stopped after {len(cycle)} attempt(s): {why}."
    if failure and last:
        check = last.verification if last.verification and last.verification.log else None
        log = f"{check.log} (the training's: {last.log})" if check and not check.trusted else last.log
        summary += f" Last failure (attempt {last.number}, {last.kind}): {failure.cls}: {failure.message}. Log: {log}."
    if tried:
        summary += " Tried: " + "; ".join(f"{t.fix} (after attempt {t.attempt})" for t in tried) + "."
    summary += f" Next: {suggestion}."
    return Outcome(status="needs_review", attempts=everything, summary=summary, review=review)
