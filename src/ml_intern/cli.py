"""The command line: a thin layer over the library. ``main(argv) -> int`` so tests call it directly.

Exit codes: 0 success; 1 the run failed or needs review; 2 bad input or usage; 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

from ml_intern import __version__, views
from ml_intern.errors import InputError, Interrupted, MLInternError
from ml_intern.inputs import load_yaml
from ml_intern.plan.models import Budgets
from ml_intern.track.store import RUN_STATUSES
from ml_intern.views import err, out

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _parse_set(items: list[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--set {item!r} is not KEY=VALUE", fix="e.g. --set epochs=5")
        values[key.strip()] = load_yaml(raw, f"--set {key.strip()}", fix="e.g. --set conv_channels=[32,64]")
    return values


def _budgets(args: argparse.Namespace) -> Budgets:
    import pydantic

    try:
        return Budgets(max_attempts=args.max_attempts, attempt_timeout_s=args.timeout,
                       smoke_timeout_s=args.smoke_timeout, **_limits(args))
    except pydantic.ValidationError as exc:
        error = exc.errors()[0]
        raise InputError(f"--{str(error['loc'][0]).replace('_s', '').replace('_', '-')}: {error['msg']}",
                         fix="--max-attempts at least 1, timeouts and limits above 0") from None


def _limits(args: argparse.Namespace) -> dict:
    """The run-wide limits given on the command line (LLM calls, tokens, dollars; wall clock; agent steps)."""
    given = {}
    for name, flag in LIMIT_FLAGS.items():
        value = getattr(args, flag[2:].replace("-", "_"))
        if value is not None and value <= 0:
            raise InputError(f"{flag} must be above 0, got {value:g}", fix="leave it out for no limit")
        if value is not None:
            given[name] = value
    return given


LIMIT_FLAGS = {"llm_calls": "--llm-max-calls", "llm_tokens": "--llm-max-tokens", "llm_usd": "--llm-max-usd",
               "wall_clock_s": "--max-wall-clock", "agent_steps": "--agent-steps"}  # Budgets field -> its flag


def _run_options(args: argparse.Namespace, **extra):
    from ml_intern.pipeline import RunOptions

    from ml_intern.track.trackers import parse_trackers

    return RunOptions(budgets=_budgets(args), sandbox=args.sandbox, allow_network=args.allow_network,
                      allow_scope_changes=args.allow_scope_changes, memory_mb=args.memory_mb or None,
                      max_processes=args.max_processes or None, stall_s=args.stall,
                      track=parse_trackers(args.track), **extra)


def _ui(args: argparse.Namespace):
    from ml_intern.ui import ConsoleUI, QuietUI

    return QuietUI() if args.json else ConsoleUI(verbose=getattr(args, "verbose", False))


def _workspace(args: argparse.Namespace):
    from ml_intern.workspace import Workspace

    return Workspace(args.home)


def _print_run(run: dict, args: argparse.Namespace, attempts: list[dict], **extra: object) -> None:
    """A run as the store indexes it, with its attempts (the Attempt model's JSON): JSON, or the tables."""
    from ml_intern.runfolder import RunFolder

    plan = RunFolder(Path(run["run_dir"])).plan() if run.get("run_dir") else None
    fidelity = plan.fidelity if plan is not None else None
    if args.json:
        print(json.dumps({**run, "attempts": attempts, **extra,
                          **({"fidelity": {**fidelity.model_dump(), "value": fidelity.value}} if fidelity else {})},
                         indent=2, default=str))
        return
    from ml_intern.run.attempts import Attempt
    from ml_intern.runfolder import RunRow

    report = Path(run["run_dir"]) / "report.html"
    views.run_view(RunRow.model_validate(run), [Attempt.model_validate(a) for a in attempts],
                   str(report) if report.exists() else None, fidelity.text() if fidelity else None)


def _exit_for(run: dict) -> int:
    return EXIT_OK if run.get("status") == "succeeded" else EXIT_FAILED


# ---------------------------------------------------------------- commands

def cmd_run(args: argparse.Namespace) -> int:
    from ml_intern.pipeline import start_run

    ws = _workspace(args)
    overrides = _parse_set(args.set)
    if args.setting:
        overrides["setting"] = args.setting
    ui = _ui(args)
    run = start_run(args.source, _run_options(args, scale=args.scale, overrides=overrides, llm=args.llm), ws, ui)
    if args.sweep_paper_grid and run.get("status") == "succeeded":
        from ml_intern.sweep import new_sweep, paper_grid

        plan = ws.folder(run["id"]).plan()
        if plan is not None and plan.grid:  # the run is the grid's first combination; the sweep runs the others
            return _sweep(new_sweep(run["id"], paper_grid(run["id"], ws), ws, reuse_base=True), ws, ui, args)
        ui.note("the paper states no grid for this setting: nothing to sweep")
    _print_run(run, args, ws.store.attempts(run["id"]))
    return _exit_for(run)


def cmd_resume(args: argparse.Namespace) -> int:
    from ml_intern.pipeline import resume_run

    ws = _workspace(args)
    run = resume_run(args.run_id, ws, _ui(args), allow_scope_changes=args.allow_scope_changes,
                     budgets=_limits(args), settings=_parse_set(args.set))
    _print_run(run, args, ws.store.attempts(run["id"]))
    return _exit_for(run)


def cmd_stop(args: argparse.Namespace) -> int:
    from ml_intern.pipeline import stop_run

    ws = _workspace(args)
    run = stop_run(args.run_id, ws)
    if args.json:
        print(json.dumps(run, indent=2, default=str))
    else:
        out.print(f"run {run['id']}: {run['status']} ({run['error']})")
    return EXIT_OK


def cmd_ui(args: argparse.Namespace) -> int:
    from ml_intern.desk import serve

    serve(_workspace(args).home, host=args.host, port=args.port, token=args.token or os.environ.get(
          "ML_INTERN_UI_TOKEN"), parallel=args.parallel, max_upload_mb=args.max_upload_mb, open_browser=args.open)
    return EXIT_OK


def cmd_reproduce(args: argparse.Namespace) -> int:
    from ml_intern.pipeline import reproduce_run

    ws = _workspace(args)
    run, comparison = reproduce_run(args.run_id, ws, _ui(args))
    if args.json:
        print(json.dumps({**run, "attempts": ws.store.attempts(run["id"]), "comparison": comparison}, indent=2,
                         default=str))
    else:
        from ml_intern.runfolder import RunRow

        views.comparison_view(RunRow.model_validate(run), comparison)
    if run.get("status") != "succeeded":
        return EXIT_FAILED
    return EXIT_OK if comparison["identical"] else EXIT_FAILED


def cmd_sweep(args: argparse.Namespace) -> int:
    from ml_intern.sweep import load_sweep, new_sweep, paper_grid, parse_params

    ws, ui = _workspace(args), _ui(args)
    if args.parallel < 1:
        raise InputError(f"--parallel must be at least 1, got {args.parallel}", fix="--parallel 1 runs them in turn")
    if args.target.startswith("sweep-"):
        if args.param or args.paper_grid:
            raise InputError(f"{args.target} is a sweep: its settings are fixed", fix=f"`ml-intern sweep {args.target}` "
                             "goes on with it; start a new sweep from a run id")
        sweep = load_sweep(ws, args.target)
    else:
        params = parse_params(args.param)
        if args.paper_grid:
            params = {**paper_grid(args.target, ws), **params}
        sweep = new_sweep(args.target, params, ws, reuse_base=args.paper_grid)
    return _sweep(sweep, ws, ui, args)


def _sweep(sweep, ws, ui, args: argparse.Namespace) -> int:
    from ml_intern.sweep import run_sweep, sweep_table

    ui.note(f"sweep {sweep.id}: {len(sweep.runs)} run(s) from {sweep.base}")
    run_sweep(sweep, ws, ui, parallel=getattr(args, "parallel", 1))
    rows = sweep_table(sweep, ws)
    if args.json:
        print(json.dumps({"id": sweep.id, "base": sweep.base, "params": sweep.params, "runs": rows}, indent=2,
                         default=str))
    else:
        out.print(views.sweep_table(sweep.id, sweep.base, list(sweep.params), rows))
    return EXIT_OK if all(r["status"] == "succeeded" for r in rows) else EXIT_FAILED


def cmd_push(args: argparse.Namespace) -> int:
    from ml_intern.track.hub import push_run

    ws = _workspace(args)
    run = ws.resolve_run(args.run_id)
    result = push_run(Path(run["run_dir"]), args.repo_id, args.license, True if args.dry_run else None,
                      args.allow_license_conflict, args.private)
    if args.json:
        print(result.model_dump_json(indent=2))
        return EXIT_OK
    what = "would upload (dry run; staged in " + result.staged + ")" if result.dry_run else f"uploaded to {result.url}"
    out.print(f"{result.repo_id}: {what}:")
    for name in result.files:
        out.print(f"  {name}")
    return EXIT_OK


def cmd_read(args: argparse.Namespace) -> int:
    from ml_intern.paper import read_source, spec_for
    from ml_intern.runfolder import write_json

    paper = read_source(args.source)
    spec = spec_for(paper, args.llm)
    if args.out:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        write_json(folder / "paper.json", paper)
        write_json(folder / "spec.json", spec)
    if args.json:
        print(spec.model_dump_json(indent=2))
        return EXIT_OK
    out.print(views.spec_table(spec, args.source))
    for w in spec.warnings:
        views.warning(w)
    if args.out:
        err.print(f"wrote {Path(args.out) / 'spec.json'} and paper.json")
    return EXIT_OK


def _load_spec(source: str, llm: str | None = None):
    from ml_intern.paper import PaperSpec, read_source, spec_for
    from ml_intern.runfolder import read_model

    if source.endswith(".json"):
        return read_model(Path(source), PaperSpec)
    return spec_for(read_source(source), llm)


def cmd_plan(args: argparse.Namespace) -> int:
    from ml_intern.plan import make_plan
    from ml_intern.runfolder import write_json

    overrides = _parse_set(args.set)
    if args.setting:
        overrides["setting"] = args.setting
    plan = make_plan(_load_spec(args.source, args.llm), args.scale, overrides, _budgets(args))
    if args.out:
        write_json(Path(args.out), plan)
    if args.json:
        print(plan.model_dump_json(indent=2))
        return EXIT_OK
    views.plan_view(plan)
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from ml_intern.codegen import build_project
    from ml_intern.plan import ExperimentPlan
    from ml_intern.runfolder import read_model

    project = build_project(read_model(Path(args.plan), ExperimentPlan), args.out)
    if args.json:
        print(project.model_dump_json(indent=2))
    else:
        out.print(f"wrote {project.path}: {', '.join(project.files)}\nrun it with: cd {project.path} && {project.command}")
    return EXIT_OK


def cmd_exec(args: argparse.Namespace) -> int:
    from ml_intern.pipeline import exec_project

    ws = _workspace(args)
    if args.llm:
        from ml_intern.llm import get_llm

        get_llm(args.llm)  # an unknown provider is an input error before anything runs
    run = exec_project(args.project, _run_options(args, llm=args.llm), ws, _ui(args))
    _print_run(run, args, ws.store.attempts(run["id"]))
    return _exit_for(run)


def cmd_report(args: argparse.Namespace) -> int:
    from ml_intern.track.report import render_report

    ws = _workspace(args)
    run = ws.resolve_run(args.run_id)
    path = render_report(Path(run["run_dir"]), run, ws.store.llm_calls(run["id"]))
    print(json.dumps({"report": str(path)}) if args.json else path)
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    import time as _time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ml_intern.bench.suite import per_task, run_bench, select, write_outputs

    tasks = select(args.suite, args.tasks)
    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError:
        raise InputError(f"--seeds {args.seeds!r} is not a list of integers", fix="e.g. --seeds 0,1,2") from None
    if args.llm:
        from ml_intern.llm import get_llm

        get_llm(args.llm)  # an unknown provider is an input error before anything runs
    ws = _workspace(args)
    folder = Path(args.out) if args.out else ws.home / "bench" / _time.strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    progress = Progress(TextColumn("bench"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[last]}", markup=False),
                        TimeElapsedColumn(), console=err, disable=args.json)
    bar = progress.add_task("bench", total=len(tasks) * len(seeds), last="")
    with progress:
        report = run_bench(tasks, args.scale, seeds, ws, folder / "work", jobs=args.jobs, llm=args.llm,
                           sandbox=args.sandbox, suite=args.suite,
                           on_done=lambda r: progress.update(bar, advance=1, last=f"{r.task} (seed {r.seed}): "
                                                             f"{'ok' if r.success else 'failed'}"))
    json_path, html_path = write_outputs(report, folder)
    if args.json:
        print(json_path.read_text())
        return EXIT_OK if report.totals["success"] == 1 else EXIT_FAILED
    views.bench_view(f"bench {args.suite}, scale {args.scale}, seeds {args.seeds}", per_task(report.results),
                     report.totals, report.seconds, report.results, f"{json_path}, {html_path}")
    t = report.totals
    return EXIT_OK if t["success"] == 1 else EXIT_FAILED


def cmd_runs(args: argparse.Namespace) -> int:
    from ml_intern.runfolder import RunRow

    runs = _workspace(args).store.list_runs(args.limit, status=args.status, scale=args.scale)
    if args.json:
        print(json.dumps(runs, indent=2, default=str))
        return EXIT_OK
    out.print(views.runs_table(RunRow.model_validate(r) for r in runs))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    run = ws.resolve_run(args.run_id)
    attempts = ws.store.attempts(run["id"])
    _print_run(run, args, attempts, stages=ws.store.stages(run["id"]))
    return EXIT_OK


# ---------------------------------------------------------------- flags shared by commands

def _common(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--json", action="store_true", help="print a machine-readable result instead of tables")
    return p


def _budget_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-attempts", type=int, default=5, help="attempt budget (default 5)")
    p.add_argument("--timeout", type=float, default=3600, help="seconds per full attempt (default 3600)")
    p.add_argument("--smoke-timeout", type=float, default=300, help="seconds for the smoke attempt (default 300)")
    _limit_flags(p)


def _limit_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--llm-max-calls", type=int, help="LLM calls for the whole run (default: no limit)")
    p.add_argument("--llm-max-tokens", type=int, help="LLM tokens, in and out, for the whole run")
    p.add_argument("--llm-max-usd", type=float, help="LLM dollars for the whole run (priced models)")
    p.add_argument("--max-wall-clock", type=float, metavar="SECONDS",
                   help="seconds from the run's start; reaching a limit stops the run as needs_review")
    p.add_argument("--agent-steps", type=int, metavar="N",
                   help="steps (LLM calls) of each agent episode, with --llm (default 12)")


def _llm_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--llm", metavar="PROVIDER:MODEL",
                   help="also use an LLM (openai-compatible:MODEL, server from ML_INTERN_LLM_BASE_URL; hf:MODEL; "
                        "anthropic:MODEL; local:smollm2): extraction, whose values still need quotes found in the "
                        "paper, classifying failures the rules cannot, and the agent that repairs what no rule "
                        "fixes (docs/llm.md)")


def _planning_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scale", choices=["smoke", "small", "paper"], default="small",
                   help="smoke: a few steps; small: minutes on a CPU; paper: the paper's setting (default small)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a planned setting, e.g. --set epochs=5 (repeatable); task_type=NAME and "
                        "dataset=NAME (a registry name, glue/sst2, org/name:config, json:PATH) plan another task or "
                        "data set; each is recorded as an override")
    p.add_argument("--setting", metavar="NAME", help="reproduce this setting of the paper (pre-training, "
                   "fine-tuning, a data set, a model size such as 1.3B or Base...; `read` lists them) instead of its "
                   "main result's (recorded as an override)")


def _execution_flags(p: argparse.ArgumentParser) -> None:
    from ml_intern.run.sandbox import BACKENDS

    p.add_argument("--sandbox", default="auto", choices=BACKENDS,
                   help="where generated code runs: auto picks bwrap where it works, else process (default auto)")
    p.add_argument("--allow-network", action="store_true", help="let the generated code use the network")
    p.add_argument("--allow-scope-changes", action="store_true",
                   help="let repair change the scope (shorter context, another device) without asking")
    p.add_argument("--memory-mb", type=int, default=8192, help="memory limit of the training process "
                   "(address space, CPU runs only; 0: none; default 8192)")
    p.add_argument("--max-processes", type=int, default=256, help="process limit (0: none; default 256)")
    p.add_argument("--stall", type=float, default=600, help="stop an attempt that prints nothing and logs no "
                   "metrics for this many seconds (default 600)")
    p.add_argument("--track", metavar="TRACKERS", help="send metrics to experiment trackers: a comma-separated "
                   "list of trackio, tensorboard, wandb, mlflow, or none (default none); offline they log "
                   "locally")
    p.add_argument("-v", "--verbose", action="store_true", help="show the training output")


# ---------------------------------------------------------------- one parser per command

def _add_run(sub) -> None:
    p = _common(sub.add_parser("run", help="read, plan, build, execute and report, end to end"))
    p.add_argument("source", help="a PDF paper, an arXiv id or URL, a task .yaml file, or a task in quotes")
    _planning_flags(p)
    _budget_flags(p)
    _execution_flags(p)
    _llm_flag(p)
    p.add_argument("--sweep-paper-grid", action="store_true",
                   help="when the paper states a grid for the setting (e.g. learning rates {5e-5, 3e-5}), run every "
                        "combination after this run and pick the best on the validation split")
    p.set_defaults(func=cmd_run)


def _add_resume(sub) -> None:
    p = _common(sub.add_parser("resume", help="continue an interrupted run from its last complete stage and checkpoint, "
                                            "or a run that needed review after you edited its project"))
    p.add_argument("run_id")
    p.add_argument("--allow-scope-changes", action="store_true",
                   help="approve the scope change a review asked for (recorded in the run)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="change a setting of the run's project (config.yaml) first, e.g. --set batch_size=16; the "
                        "value keeps the setting's type (repeatable; kept in the run's record)")
    _limit_flags(p)
    p.add_argument("-v", "--verbose", action="store_true", help="show the training output")
    p.set_defaults(func=cmd_resume)


def _add_stop(sub) -> None:
    p = _common(sub.add_parser("stop", help="end a run for good: a running one is interrupted, then the run is marked "
                                          "failed (stopped by a person) and `resume` refuses it"))
    p.add_argument("run_id")
    p.set_defaults(func=cmd_stop)


def _add_ui(sub) -> None:
    p = sub.add_parser("ui", help="the review desk: a local web app to start runs, watch them live and act on the "
                                  "ones that need a person (docs/ui.md)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, loopback only; "
                   "another address needs --token)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: a free one)")
    p.add_argument("--token", help="the access token (default: $ML_INTERN_UI_TOKEN, else a random one printed at "
                   "start); at least 16 characters")
    p.add_argument("--parallel", type=int, default=1, metavar="N",
                   help="runs the desk's queue lets go at once, counting runs started from the CLI (default 1: one "
                        "GPU job at a time)")
    p.add_argument("--max-upload-mb", type=float, default=50, help="largest upload (a PDF paper), in MB (default 50)")
    p.add_argument("--open", action="store_true", help="open the desk in the default web browser")
    p.set_defaults(func=cmd_ui)


def _add_reproduce(sub) -> None:
    p = _common(sub.add_parser("reproduce", help="re-run a run from its record (same seed, config, data) into a new "
                                               "run and compare the metrics; exit 1 if they differ"))
    p.add_argument("run_id")
    p.add_argument("-v", "--verbose", action="store_true", help="show the training output")
    p.set_defaults(func=cmd_reproduce)


def _add_sweep(sub) -> None:
    p = _common(sub.add_parser("sweep", help="one run per combination of settings, re-planned from a run's spec, run "
                                           "in turn or side by side and compared; exit 1 unless all succeed"))
    p.add_argument("target", metavar="RUN_ID|SWEEP_ID", help="the run to vary, or a sweep to go on with after an "
                                                            "interruption")
    p.add_argument("--param", action="append", default=[], metavar="NAME=V1,V2",
                   help="a setting of the plan and its values (repeat for a grid), e.g. learning_rate=1e-5,3e-5")
    p.add_argument("--parallel", type=int, default=1, metavar="N",
                   help="runs at once, each in a process of its own (default 1: in turn); with --sandbox ray on the "
                        "base run their attempts share the cluster")
    p.add_argument("--paper-grid", action="store_true",
                   help="sweep the grid the paper states for the run's setting (the plan shows it); the base run "
                        "counts as its own combination; the best is picked on the validation split")
    p.add_argument("-v", "--verbose", action="store_true", help="show the training output")
    p.set_defaults(func=cmd_sweep)


def _add_push(sub) -> None:
    p = _common(sub.add_parser("push", help="upload a run's model, card, metrics and project to the Hugging Face Hub "
                                          "(a dry run without a token)"))
    p.add_argument("run_id")
    p.add_argument("--repo-id", required=True, metavar="OWNER/NAME")
    p.add_argument("--dry-run", action="store_true", help="stage and list the files, upload nothing")
    p.add_argument("--license", help="licence of the uploaded model (default: the data's when permissive, else other)")
    p.add_argument("--allow-license-conflict", action="store_true",
                   help="push even when the licence conflicts with the data's or the base model's")
    p.add_argument("--private", action="store_true", help="create the repository as private")
    p.set_defaults(func=cmd_push)


def _add_read(sub) -> None:
    p = _common(sub.add_parser("read", help="stage 1: source -> paper.json and spec.json"))
    p.add_argument("source", help="a PDF paper, an arXiv id or URL, a task .yaml file, or a task in quotes")
    p.add_argument("--out", help="folder to write paper.json and spec.json into")
    _llm_flag(p)
    p.set_defaults(func=cmd_read)


def _add_plan(sub) -> None:
    p = _common(sub.add_parser("plan", help="stage 2: spec.json (or a source) -> plan.json"))
    p.add_argument("source", help="spec.json from `read`, or a source as for `read`")
    _planning_flags(p)
    _budget_flags(p)
    _llm_flag(p)
    p.add_argument("--out", help="file to write the plan to (plan.json)")
    p.set_defaults(func=cmd_plan)


def _add_build(sub) -> None:
    p = _common(sub.add_parser("build", help="stage 3: plan.json -> a standalone training project"))
    p.add_argument("plan", help="plan.json from `plan`")
    p.add_argument("--out", required=True, help="new folder for the project")
    p.set_defaults(func=cmd_build)


def _add_exec(sub) -> None:
    p = _common(sub.add_parser("exec", help="stage 4: run a project's attempts (smoke, then full; diagnose, repair) "
                                          "as a new run"))
    p.add_argument("project", help="a project folder from `build`, any folder with a training script, or a lone "
                                   "script; it is copied into the run folder")
    _budget_flags(p)
    _execution_flags(p)
    _llm_flag(p)
    p.set_defaults(func=cmd_exec)


def _add_report(sub) -> None:
    p = _common(sub.add_parser("report", help="stage 5: (re)write a run's report.html"))
    p.add_argument("run_id")
    p.set_defaults(func=cmd_report)


def _add_bench(sub) -> None:
    p = _common(sub.add_parser("bench", help="the classic-tasks benchmark: every recipe family, some with deliberate "
                                           "faults; success on the first attempt and after repair, attempts, time, "
                                           "LLM cost"))
    p.add_argument("--suite", default="classic", help="the task suite (default classic)")
    p.add_argument("--scale", choices=["smoke", "small", "paper"], default="small",
                   help="smoke and small run offline on a CPU; paper is the published settings (GPU, network)")
    p.add_argument("--tasks", metavar="A,B", help="only these tasks (default: all of the suite)")
    p.add_argument("--seeds", default="0", metavar="0,1,2", help="repeat each task with these seeds (mean and spread)")
    p.add_argument("--jobs", type=int, default=1, help="tasks run at once (default 1: each training uses all cores)")
    p.add_argument("--out", help="folder for bench.json and bench.html (default: HOME/bench/TIMESTAMP)")
    p.add_argument("--sandbox", default="auto", help="sandbox of every run (default auto)")
    _llm_flag(p)
    p.set_defaults(func=cmd_bench)


def _add_runs(sub) -> None:
    p = _common(sub.add_parser("runs", help="list runs"))
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--status", choices=RUN_STATUSES, help="only runs with this status")
    p.add_argument("--scale", choices=["smoke", "small", "paper", "n/a"],
                   help="only runs at this scale (n/a: runs of `exec`, which have no plan)")
    p.set_defaults(func=cmd_runs)


def _add_show(sub) -> None:
    p = _common(sub.add_parser("show", help="show one run: status, metrics, stages and attempts"))
    p.add_argument("run_id")
    p.set_defaults(func=cmd_show)


COMMANDS = [_add_run, _add_resume, _add_stop, _add_reproduce, _add_sweep, _add_push, _add_read, _add_plan, _add_build, _add_exec, _add_report, _add_bench, _add_runs, _add_show, _add_ui]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ml-intern", description="Reads an ML paper or task, plans the experiment, "
                                     "writes and runs the training project, and reports.")
    parser.add_argument("--version", action="version", version=f"ml-intern {__version__}")
    parser.add_argument("--home", help="folder of runs and the store (default: $ML_INTERN_HOME or ./ml-intern-runs)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def _sigterm(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help and --version exit 0
        return int(exc.code or 0)
    previous = signal.signal(signal.SIGTERM, _sigterm) if _main_thread() else None
    try:
        return args.func(args)
    except MLInternError as exc:
        views.error(exc.message())
        return exc.exit_code
    except Interrupted as exc:
        views.note("interrupted:", f"run {exc.run_id} is marked interrupted; continue it with "
                                   f"`ml-intern resume {exc.run_id}`")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:  # before a run existed: nothing to mark
        views.note("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug in ml-intern, not in the input: one line, the traceback on request
        if os.environ.get("ML_INTERN_DEBUG"):
            raise
        err.print(views.styled("internal error:", "bold red", f"{type(exc).__name__}: {exc} (set ML_INTERN_DEBUG=1 "
                                                              "for the traceback, and please report it)"), soft_wrap=True)
        return EXIT_FAILED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def entry() -> None:
    sys.exit(main())


def reference_markdown() -> str:
    """docs/cli.md: every command's --help, at a fixed width (a test checks the file is current)."""
    from unittest import mock

    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    parts = ["# CLI reference\n", "Generated from `--help` by `python -m ml_intern.cli_reference > docs/cli.md`;",
             "`tests/test_docs.py` fails when this file is out of date.\n",
             "Exit codes: 0 success; 1 the run failed or needs review; 2 bad input or usage; 130 interrupted",
             "(the run is marked interrupted and `ml-intern resume RUN_ID` continues it).\n"]
    with mock.patch.dict(os.environ, {"COLUMNS": "100"}):
        parts += ["## ml-intern\n", "```text", parser.format_help().rstrip(), "```\n"]
        for name, sub in subparsers.choices.items():
            parts += [f"## ml-intern {name}\n", "```text", sub.format_help().rstrip(), "```\n"]
    return "\n".join(parts)
