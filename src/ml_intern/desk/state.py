"""What the desk's pages show, read from the store (the index) and the run folders (the typed record), as the CLI's
``runs`` and ``show`` read them. Everything the job wrote (logs, metrics files, run_info.json) is read bounded and
without following links (``jobfiles``); nothing here writes."""

from __future__ import annotations

import json
import time
from pathlib import Path

from ml_intern import jobfiles
from ml_intern.errors import InputError
from ml_intern.runfolder import RunFolder, RunRow
from ml_intern.track.store import Store

LOG_TAIL_BYTES = 16 * 1024
MAX_POINTS = 5000  # metric steps sent in one event
SORTS = {"created": lambda r: r.created_at, "updated": lambda r: r.updated_at, "status": lambda r: r.status,
         "scale": lambda r: r.scale or "", "source": lambda r: (r.title or r.source).lower(),
         "metric": lambda r: (r.summary.value if r.summary and r.summary.value is not None else float("-inf")),
         "cost": lambda r: r.llm.cost_usd if r.llm else 0.0}


def runs(store: Store, status: str | None = None, scale: str | None = None, text: str | None = None,
         sort: str = "created", descending: bool = True, limit: int = 500) -> list[RunRow]:
    """The runs as ``ml-intern runs`` lists them, filtered by status, scale and a piece of their id, title or
    source, sorted by a column."""
    rows = [RunRow.model_validate({**r, "llm": store.llm_usage(r["id"])})
            for r in store.list_runs(limit, status=status or None, scale=scale or None)]
    if text:
        needle = text.lower()
        rows = [r for r in rows if needle in f"{r.id} {r.title or ''} {r.source}".lower()]
    return sorted(rows, key=SORTS.get(sort, SORTS["created"]), reverse=descending)


def run_row(store: Store, run_id: str) -> RunRow:
    row = store.get_run(run_id)
    if row is None:
        raise InputError(f"no run {run_id!r}", fix="the runs page lists them")
    return RunRow.model_validate(row)


def run_page(store: Store, run_id: str) -> dict:
    """Everything the run's page shows: the record and each stage's output (None where a stage has not run or its
    file is damaged, with the reason)."""
    run = run_row(store, run_id)
    folder = RunFolder(run.run_dir)
    parts: dict = {"problems": []}
    for name in ("record", "spec", "plan", "outcome"):
        try:
            parts[name] = getattr(folder, name)() if (name != "record" or folder.has("record")) else None
        except InputError as exc:
            parts[name] = None
            parts["problems"].append(exc.message())
    try:
        attempts = folder.attempts()
    except InputError as exc:
        attempts, parts["problems"] = [], [*parts["problems"], exc.message()]
    return {"run": run, "attempts": attempts, "stages": store.stages(run_id),
            "report": (Path(run.run_dir) / "report.html").is_file(), **parts}


def live(store: Store, run_id: str, since: tuple[int, int] | None) -> dict:
    """The run now, for the live page: status, stage, current attempt, progress, new metric rows, the log's tail."""
    run = run_row(store, run_id)
    folder = RunFolder(run.run_dir)
    stages = store.stages(run_id)
    attempts = store.attempts(run_id)
    current = attempts[-1] if attempts else None
    rows = _thinned(store.metrics(run_id, since=since))
    progress = None
    log = None
    if current:
        steps = [r["step"] for r in rows if r["attempt"] == current["number"]]
        output = "outputs-smoke" if current["kind"] == "smoke" else "outputs"
        info = jobfiles.inside(folder.path / "project", f"{output}/run_info.json")
        total = jobfiles.read_json_object(info).get("total_steps") if info else None
        progress = {"step": max(steps) if steps else (current.get("last_step") or 0),
                    "total": total if isinstance(total, int) and not isinstance(total, bool) else None}
        log_path = jobfiles.inside(folder.path, current.get("log") or "")
        log = jobfiles.read_tail(log_path, LOG_TAIL_BYTES) if log_path else None
    return {"status": run.status, "updated_at": run.updated_at, "error": run.error,
            "stage": stages[-1]["name"] + " (" + stages[-1]["status"] + ")" if stages else None,
            "attempt": ({k: current[k] for k in ("number", "kind", "status")} | {"failure": (current.get("failure")
                        or {}).get("cls")}) if current else None,
            "attempts": len(attempts), "progress": progress,
            "metrics": [[r["attempt"], r["step"], r["name"], r["value"]] for r in rows], "log": log}


def _thinned(rows: list[dict]) -> list[dict]:
    """Each series (attempt and name) at most about ``MAX_POINTS`` rows (every k-th, and its last): a long run's first
    event stays small, and a sparse series (evaluations) is kept whole; a chart needs no more points than pixels."""
    series: dict[tuple, list[dict]] = {}
    for r in rows:
        series.setdefault((r["attempt"], r["name"]), []).append(r)
    if all(len(s) <= MAX_POINTS for s in series.values()):
        return rows
    kept = []
    for s in series.values():
        every = len(s) // MAX_POINTS + 1
        kept += s[::every] + ([s[-1]] if (len(s) - 1) % every else [])
    return sorted(kept, key=lambda r: (r["attempt"], r["step"]))


def review_queue(store: Store) -> list[dict]:
    """Runs that need a person: each with its outcome's review (why it stopped, what was tried, the next step) and
    the settings a resume may change."""
    from ml_intern.pipeline import editable_settings

    waiting = []
    for run in runs(store, status="needs_review", sort="updated"):
        folder = RunFolder(run.run_dir)
        try:
            outcome, settings = folder.outcome(), editable_settings(folder)
        except InputError as exc:
            outcome, settings = None, {}
            run = run.model_copy(update={"error": exc.message()})
        waiting.append({"run": run, "outcome": outcome, "settings": {k: _shown(v) for k, v in settings.items()},
                        "kinds": {k: type(v).__name__ for k, v in settings.items()},
                        "scope": bool(outcome and outcome.review and "--allow-scope-changes" in
                                      f"{outcome.review.why} {outcome.review.suggestion}")})
    return waiting


def _shown(value: object) -> str:
    """A setting as the edit form shows it: YAML's flow form, which ``--set KEY=VALUE`` reads back."""
    import yaml

    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()


def latest_bench(home: Path) -> dict | None:
    """The newest ``ml-intern bench`` output under HOME/bench (its bench.json), or None."""
    found = sorted((p for p in (home / "bench").glob("*/bench.json") if p.is_file()), key=lambda p: p.stat().st_mtime)
    if not found:
        return None
    path = found[-1]
    data = json.loads(jobfiles.read_text(path, jobfiles.MAX_JSON_BYTES) or "{}")
    data["folder"] = path.parent.name
    data["when"] = time.strftime("%Y-%m-%d %H:%M", time.localtime(data.get("started_at") or path.stat().st_mtime))
    data["has_html"] = (path.parent / "bench.html").is_file()
    return data


def compare(store: Store, run_ids: list[str]) -> dict:
    """Runs side by side: their metrics and the plan's settings that differ between them first."""
    rows, plans = [], {}
    for run_id in run_ids:
        run = run_row(store, run_id)
        rows.append(run)
        try:
            plan = RunFolder(run.run_dir).plan()
        except InputError:
            plan = None
        plans[run.id] = plan.values() if plan else {}
    names = sorted({k for p in plans.values() for k in p})
    settings = [(n, [_shown(plans[r.id].get(n)) if n in plans[r.id] else "—" for r in rows]) for n in names]
    settings.sort(key=lambda s: len(set(s[1])) == 1)  # the ones that differ first
    metrics = sorted({k for r in rows for k in (r.summary.metrics if r.summary else {})})
    return {"runs": rows, "settings": settings, "metrics": metrics}


def sweeps(home: Path) -> list[dict]:
    """The sweeps of this home (``ml-intern sweep``), newest first: id, base run, the settings varied."""
    from ml_intern.sweep import Sweep

    found = []
    for path in sorted((home / "sweeps").glob("sweep-*.json"), reverse=True)[:50]:
        try:
            sweep = Sweep.model_validate_json(jobfiles.read_text(path, jobfiles.MAX_JSON_BYTES) or "")
        except ValueError:
            continue
        found.append({"id": sweep.id, "base": sweep.base, "params": sweep.params, "runs": len(sweep.runs)})
    return found


def sweep_runs(home: Path, sweep_id: str) -> list[str]:
    """The runs a sweep has started so far."""
    from ml_intern.sweep import Sweep

    text = jobfiles.read_text(home / "sweeps" / f"{sweep_id}.json", jobfiles.MAX_JSON_BYTES)
    if text is None:
        raise InputError(f"no sweep {sweep_id}")
    return [r.run_id for r in Sweep.model_validate_json(text).runs if r.run_id]
