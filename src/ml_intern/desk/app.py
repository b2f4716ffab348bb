"""The desk's routes (Starlette): pages rendered with Jinja2 (autoescaped), one server-sent event stream per open
run page, and POSTs that put CLI commands on the queue (``jobs.Queue``) or stop a run.

Every state change the desk makes is a command the CLI has (``run``, ``resume --allow-scope-changes``, ``resume
--set``, ``resume --llm-max-calls``, ``stop``), run the way the CLI runs it, so the run records it as the CLI would;
the job's command is shown beside it, to copy into a terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import secrets
import shlex
import threading
import time
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ml_intern import jobfiles
from ml_intern.desk import state
from ml_intern.desk.jobs import Queue
from ml_intern.desk.security import REPORT_CSP, Guard, check_csrf
from ml_intern.errors import InputError, MLInternError
from ml_intern.track.store import RUN_STATUSES, Store

HERE = Path(__file__).parent
RUN_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$")
PENDING_ID = re.compile(r"^[0-9a-f]{16}$")
SWEEP_ID = re.compile(r"^sweep-[0-9A-Za-z-]{1,80}$")
BENCH_FOLDER = re.compile(r"^[0-9A-Za-z._-]{1,100}$")
TRACKERS = ("trackio", "tensorboard", "wandb", "mlflow")
LIMITS = {"llm_max_calls": ("--llm-max-calls", int), "llm_max_tokens": ("--llm-max-tokens", int),
          "llm_max_usd": ("--llm-max-usd", float), "max_wall_clock": ("--max-wall-clock", float),
          "agent_steps": ("--agent-steps", int)}
BUDGETS = {"max_attempts": ("--max-attempts", int), "timeout": ("--timeout", float),
           "smoke_timeout": ("--smoke-timeout", float), **LIMITS}


class Desk:
    """The app's state: the home folder, the queue, one store per thread (sqlite connections stay in theirs)."""

    def __init__(self, home: Path, parallel: int, max_upload: int):
        self.home = home
        self.queue = Queue(home, parallel)
        self.max_upload = max_upload
        self._local = threading.local()
        for sub in ("uploads", "pending"):
            (home / "desk" / sub).mkdir(parents=True, exist_ok=True)

    def store(self) -> Store:
        if getattr(self._local, "store", None) is None:
            self._local.store = Store(self.home / "store.sqlite")
        return self._local.store

    def call(self, fn, *args, **kwargs):
        """``fn(store, ...)`` in a worker thread (the store and the run folders are blocking I/O)."""
        return run_in_threadpool(lambda: fn(self.store(), *args, **kwargs))


def create_app(home: Path, token: str, *, parallel: int = 1, max_upload_mb: float = 50, loopback_only: bool = True,
               start_queue: bool = True) -> Starlette:
    desk = Desk(Path(home), parallel, int(max_upload_mb * 1024 * 1024))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["when"] = lambda t: time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) if t else ""
    env.filters["num"] = lambda v: "—" if v is None else (f"{v:.4f}" if isinstance(v, float) else str(v))
    env.filters["duration"] = _duration

    def page(request: Request, name: str, code: int = 200, **context) -> HTMLResponse:
        html = env.get_template(name).render(csrf=request.scope["state"]["csrf"], path=request.url.path, **context)
        return HTMLResponse(html, status_code=code)

    async def form_of(request: Request):
        form = await request.form(max_files=1, max_fields=200, max_part_size=1024 * 1024)
        if not check_csrf(request, form):
            raise HTTPException(403, "forbidden: bad CSRF token")
        return form

    # -- runs
    async def runs_page(request: Request) -> Response:
        q = request.query_params
        status = q.get("status") if q.get("status") in RUN_STATUSES else None
        scale = q.get("scale") if q.get("scale") in ("smoke", "small", "paper", "n/a") else None
        sort = q.get("sort") if q.get("sort") in state.SORTS else "created"
        descending = q.get("order", "desc") != "asc"
        rows = await desk.call(state.runs, status, scale, q.get("q"), sort, descending)
        jobs = [j for j in desk.queue.jobs() if j.state != "finished"][::-1]
        sweeps = await run_in_threadpool(state.sweeps, desk.home)
        return page(request, "runs.html.j2", runs=rows, jobs=jobs, sweeps=sweeps, statuses=RUN_STATUSES,
                    status=status, scale=scale,
                    sort=sort, descending=descending, text=q.get("q") or "")

    async def run_page(request: Request) -> Response:
        run_id = _run_id(request)
        data = await desk.call(state.run_page, run_id)
        jobs = [j for j in desk.queue.jobs() if j.run_id == run_id or run_id in j.argv]
        return page(request, "run.html.j2", jobs=jobs, **data)

    async def events(request: Request) -> Response:
        from sse_starlette import EventSourceResponse

        run_id = _run_id(request)
        await desk.call(state.run_row, run_id)  # (404 before the stream starts)

        async def stream():
            since, last = None, None
            while not await request.is_disconnected():
                now = await desk.call(state.live, run_id, since)
                if now["metrics"]:
                    attempt = max(m[0] for m in now["metrics"])
                    since = (attempt, max(m[1] for m in now["metrics"] if m[0] == attempt))
                waiting = any(j.state != "finished" and (j.run_id == run_id or run_id in j.argv)
                              for j in desk.queue.jobs())
                shown = {k: v for k, v in now.items() if k != "metrics"}
                if now["metrics"] or shown != last:
                    yield {"event": "state", "data": json.dumps(now)}
                    last = shown
                if now["status"] != "running" and not waiting:
                    yield {"event": "end", "data": now["status"]}
                    return
                await asyncio.sleep(1.0)

        return EventSourceResponse(stream(), ping=15)

    async def report(request: Request) -> Response:
        run = await desk.call(state.run_row, _run_id(request))
        path = jobfiles.inside(run.run_dir, "report.html")
        text = jobfiles.read_text(path, 64 * 1024 * 1024) if path else None
        if text is None:
            raise HTTPException(404, "this run has no report yet")
        return HTMLResponse(text, headers={"content-security-policy": REPORT_CSP})

    async def compare_page(request: Request) -> Response:
        ids = [i for i in request.query_params.getlist("run") if RUN_ID.match(i)][:20]
        sweep = request.query_params.get("sweep") or ""
        if SWEEP_ID.match(sweep):  # a sweep's runs (`ml-intern sweep`), side by side
            ids = await run_in_threadpool(state.sweep_runs, desk.home, sweep)
        if len(ids) < 2:
            return page(request, "error.html.j2", 400, message="choose two runs or more to compare")
        return page(request, "compare.html.j2", **await desk.call(state.compare, ids))

    # -- start a run
    async def new_page(request: Request) -> Response:
        return page(request, "new.html.j2", **_new_context(), values={}, error=None)

    async def preview(request: Request) -> Response:
        form = await form_of(request)
        values = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        try:
            argv = await _argv_of(desk, form)
            plan = await run_in_threadpool(_plan_of, argv)
        except MLInternError as exc:
            return page(request, "new.html.j2", 400, **_new_context(), values=values, error=exc.message())
        pending = secrets.token_hex(8)
        jobfiles.write_text_atomic(desk.home / "desk" / "pending" / f"{pending}.json", json.dumps(argv))
        return page(request, "preview.html.j2", plan=plan, argv=argv, pending=pending,
                    command="ml-intern " + shlex.join(argv))

    async def confirm(request: Request) -> Response:
        form = await form_of(request)
        pending = str(form.get("pending") or "")
        path = desk.home / "desk" / "pending" / f"{pending}.json"
        if not PENDING_ID.match(pending) or not path.is_file():
            return page(request, "error.html.j2", 400, message="no such plan to confirm: start again")
        argv = json.loads(path.read_text())
        path.unlink()
        desk.queue.add(argv, f"run {argv[-1][:80]}")
        return RedirectResponse("/", status_code=303)

    # -- the review queue and the actions on a run
    async def review_page(request: Request) -> Response:
        return page(request, "review.html.j2", waiting=await desk.call(state.review_queue), error=None)

    async def resume(request: Request) -> Response:
        run_id = _run_id(request)
        form = await form_of(request)
        run = await desk.call(state.run_row, run_id)
        argv, what = ["resume", run.id], []
        try:
            if form.get("allow_scope_changes"):
                argv.append("--allow-scope-changes")
                what.append("approve the scope change")
            settings = await desk.call(lambda store: _edited_settings(store, run.id, form))
            for key, value in settings.items():
                argv += ["--set", f"{key}={value}"]
            if settings:
                what.append("set " + ", ".join(settings))
            for name, (flag, kind) in LIMITS.items():
                raw = str(form.get(name) or "").strip()
                if raw:
                    argv += [flag, str(_positive(flag, raw, kind))]
                    what.append(f"{flag} {raw}")
            if run.status in ("running", "succeeded"):
                raise InputError(f"run {run.id} is {run.status}: there is nothing to resume")
        except MLInternError as exc:
            waiting = await desk.call(state.review_queue)
            return page(request, "review.html.j2", 400, waiting=waiting, error=exc.message())
        desk.queue.add(argv, f"resume {run.id}" + (f" ({'; '.join(what)})" if what else ""), run_id=run.id)
        return RedirectResponse(f"/runs/{run.id}", status_code=303)

    async def stop(request: Request) -> Response:
        from ml_intern.pipeline import stop_run
        from ml_intern.workspace import Workspace

        run_id = _run_id(request)
        await form_of(request)
        try:
            await run_in_threadpool(lambda: stop_run(run_id, Workspace(desk.home)))
        except MLInternError as exc:
            return page(request, "error.html.j2", 400, message=exc.message())
        return RedirectResponse(f"/runs/{run_id}", status_code=303)

    # -- the queue, bench
    async def job_page(request: Request) -> Response:
        job = desk.queue.get(request.path_params["job"])
        if job is None:
            raise HTTPException(404, "no such job")
        log = jobfiles.read_tail(desk.queue.log(job), state.LOG_TAIL_BYTES) or ""
        return page(request, "job.html.j2", job=job, log=log)

    async def bench_page(request: Request) -> Response:
        return page(request, "bench.html.j2", bench=await run_in_threadpool(state.latest_bench, desk.home))

    async def bench_html(request: Request) -> Response:
        folder = request.path_params["folder"]
        path = jobfiles.inside(desk.home / "bench", f"{folder}/bench.html") if BENCH_FOLDER.match(folder) else None
        text = jobfiles.read_text(path, 64 * 1024 * 1024) if path else None
        if text is None:
            raise HTTPException(404, "no such bench page")
        return HTMLResponse(text, headers={"content-security-policy": REPORT_CSP})

    async def on_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            code, message = exc.status_code, exc.detail
        elif isinstance(exc, InputError):
            code, message = 404, exc.message()
        else:
            raise exc
        if "csrf" not in request.scope.get("state", {}):
            return PlainTextResponse(message, code)
        return page(request, "error.html.j2", code, message=message)

    routes = [
        Route("/", runs_page), Route("/runs/{run_id}", run_page), Route("/runs/{run_id}/events", events),
        Route("/runs/{run_id}/report", report), Route("/compare", compare_page),
        Route("/new", new_page), Route("/new", preview, methods=["POST"]), Route("/new/confirm", confirm,
                                                                                 methods=["POST"]),
        Route("/review", review_page), Route("/runs/{run_id}/resume", resume, methods=["POST"]),
        Route("/runs/{run_id}/stop", stop, methods=["POST"]), Route("/jobs/{job}", job_page),
        Route("/bench", bench_page), Route("/bench/{folder}/bench.html", bench_html),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        if start_queue:
            desk.queue.start()
        yield
        desk.queue.stop()

    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: on_error, InputError: on_error})
    app.state.desk = desk
    # the guard wraps everything, static files and errors included
    return Guard(app, token, desk.max_upload, loopback_only)


def _run_id(request: Request) -> str:
    run_id = request.path_params["run_id"]
    if not RUN_ID.match(run_id):
        raise HTTPException(404, "no such run")
    return run_id


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = max(0.0, seconds)
    return f"{seconds:.0f} s" if seconds < 120 else (f"{seconds / 60:.0f} min" if seconds < 7200
                                                     else f"{seconds / 3600:.1f} h")


def _new_context() -> dict:
    from ml_intern.run.sandbox import BACKENDS

    return {"sandboxes": BACKENDS, "trackers": TRACKERS, "scales": ("smoke", "small", "paper")}


def _positive(flag: str, raw: str, kind: type) -> int | float:
    try:
        value = kind(raw)
    except ValueError:
        raise InputError(f"{flag} {raw!r} is not a {'whole ' if kind is int else ''}number") from None
    if value <= 0:
        raise InputError(f"{flag} must be above 0, got {raw}", fix="leave it empty for the default")
    return value


async def _argv_of(desk: Desk, form) -> list[str]:
    """The ``ml-intern run`` command a start form asks for (its upload saved under a name of the desk's own)."""
    kind = form.get("source_kind")
    uploads = desk.home / "desk" / "uploads"
    if kind == "pdf":
        upload = form.get("pdf")
        if not isinstance(upload, UploadFile):
            raise InputError("no PDF uploaded", fix="choose a PDF file")
        data = await upload.read(desk.max_upload + 1)
        if len(data) > desk.max_upload:
            raise HTTPException(413, f"the PDF is over {desk.max_upload} bytes")
        if not data.startswith(b"%PDF-"):
            raise InputError("the uploaded file is not a PDF (it does not start with %PDF-)",
                             fix="upload the paper's PDF")
        source = uploads / f"{secrets.token_hex(8)}.pdf"  # (the upload's own name is never a path)
        source.write_bytes(data)
        source = str(source)
    elif kind == "arxiv":
        source = str(form.get("arxiv") or "").strip()
        if not re.fullmatch(r"(arXiv:)?[0-9]{4}\.[0-9]{4,5}(v[0-9]+)?|https://arxiv\.org/(abs|pdf)/[\w./-]+", source):
            raise InputError(f"{source!r} is not an arXiv id",
                             fix="e.g. 1512.03385, or https://arxiv.org/abs/1512.03385")
    elif kind == "task_text":
        source = str(form.get("task_text") or "").strip()
        if not source or "\n" in source:
            raise InputError("a task is one line of text", fix="e.g. a small CNN on the scikit-learn digits; "
                             "use a task file (YAML) for more")
    elif kind == "task_yaml":
        text = str(form.get("task_yaml") or "")
        if not text.strip():
            raise InputError("the task file is empty", fix="paste a task YAML (examples/digits-task.yaml)")
        path = uploads / f"{secrets.token_hex(8)}.yaml"
        path.write_text(text)
        source = str(path)
    else:
        raise InputError("choose where the run starts from: a PDF, an arXiv id or a task")
    argv = ["run", "--scale", str(form.get("scale") or "small"), "--sandbox", str(form.get("sandbox") or "auto")]
    for name, (flag, kind_) in BUDGETS.items():
        raw = str(form.get(name) or "").strip()
        if raw:
            argv += [flag, str(_positive(flag, raw, kind_))]
    trackers = [t for t in form.getlist("track") if t in TRACKERS]
    if trackers:
        argv += ["--track", ",".join(trackers)]
    llm = str(form.get("llm") or "").strip()
    if llm:
        argv += ["--llm", llm]
    for flag in ("allow_network", "allow_scope_changes"):
        if form.get(flag):
            argv.append("--" + flag.replace("_", "-"))
    for line in str(form.get("settings") or "").splitlines():
        if line.strip():
            argv += ["--set", line.strip()]
    return [*argv, "--", source]


def _plan_of(argv: list[str]):
    """The plan the command would make (rules only: a preview spends no LLM calls), validating the command with the
    CLI's own parser first."""
    from ml_intern import cli
    from ml_intern.paper import read_source, spec_for
    from ml_intern.plan import make_plan

    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors):
            args = cli.build_parser().parse_args(argv)
    except SystemExit:
        raise InputError(errors.getvalue().strip().splitlines()[-1].removeprefix("ml-intern run: ")) from None
    options = cli._run_options(args, scale=args.scale, overrides=cli._parse_set(args.set), llm=args.llm)
    if options.llm:
        from ml_intern.llm import get_llm

        get_llm(options.llm)  # an unknown provider is an input error before anything is queued
    spec = spec_for(read_source(args.source), None)
    return make_plan(spec, options.scale, options.overrides, options.budgets)


def _edited_settings(store: Store, run_id: str, form) -> dict[str, str]:
    """The settings an edit form changed (``set.NAME`` fields), each checked against the project's config.yaml as
    ``resume --set`` checks it, so a bad value is refused here, before anything is queued."""
    import yaml

    from ml_intern.pipeline import editable_settings, typed_setting
    from ml_intern.runfolder import RunFolder

    folder = RunFolder(state.run_row(store, run_id).run_dir)
    current = editable_settings(folder)
    changed = {}
    for field, raw in form.multi_items():
        if not field.startswith("set.") or not isinstance(raw, str):
            continue
        key = field[4:]
        if key not in current:
            raise InputError(f"the project has no setting {key!r}")
        if raw.strip() == state._shown(current[key]):
            continue
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise InputError(f"{key}: {raw!r} is not a valid value", fix="e.g. 0.001, 16, true, [32, 64]") from None
        typed_setting(key, value, current[key])
        changed[key] = raw.strip()
    return changed
