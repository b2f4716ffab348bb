"""The SQLite store: one file (WAL mode) indexing runs, stages, attempts, metrics, LLM calls and status.

The run folder (``runfolder.RunFolder``) holds the run's typed record; the store is the index that `ml-intern runs`
and `show` read and that the attempt loop writes after every step, so a crash loses nothing that had happened. An
attempt's row holds the ``Attempt`` model's own JSON (``data``) beside the columns a query needs, under the model's
names (``commit``, ``failure.cls``): reading it back gives the record the run folder has.

Stores written before that (schema version 0: ``commit_sha``, ``failure_class``, ``log_path`` columns) are migrated
when opened: each run's attempts are indexed again from its folder's ``attempts.json`` (from the old columns where
the folder is gone); runs, stages, metrics and LLM calls are kept as they are.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ml_intern.errors import InputError

ATTEMPTS = """CREATE TABLE IF NOT EXISTS attempts (
    run_id TEXT NOT NULL REFERENCES runs(id),
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    "commit" TEXT,
    started_at REAL,
    finished_at REAL,
    exit_code INTEGER,
    failure_cls TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, number)
);
"""
SCHEMA = ATTEMPTS + """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    source TEXT NOT NULL,
    title TEXT,
    status TEXT NOT NULL,
    scale TEXT,
    run_dir TEXT NOT NULL,
    pid INTEGER,
    host TEXT,
    summary TEXT,
    error TEXT
);
CREATE TABLE IF NOT EXISTS stages (
    run_id TEXT NOT NULL REFERENCES runs(id),
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at REAL,
    finished_at REAL,
    output TEXT,
    error TEXT,
    PRIMARY KEY (run_id, name)
);
CREATE TABLE IF NOT EXISTS metrics (
    run_id TEXT NOT NULL REFERENCES runs(id),
    attempt INTEGER NOT NULL,
    step INTEGER NOT NULL,
    name TEXT NOT NULL,
    value REAL,
    PRIMARY KEY (run_id, attempt, step, name)
);
CREATE TABLE IF NOT EXISTS llm_calls (
    run_id TEXT NOT NULL REFERENCES runs(id),
    at REAL NOT NULL,
    stage TEXT NOT NULL,
    attempt INTEGER,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    tokens_in INTEGER,
    tokens_out INTEGER,
    cost_usd REAL,
    latency_s REAL NOT NULL,
    ok INTEGER NOT NULL,
    error TEXT
);
"""

RUN_STATUSES = ("running", "succeeded", "failed", "needs_review", "interrupted")
SCHEMA_VERSION = 1  # PRAGMA user_version


MAX_METRICS_PER_ROW = 64  # a metrics row's names the store keeps (the job writes the rows)


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        old = [r[1] for r in self._db.execute("PRAGMA table_info(attempts)")]
        if "commit_sha" in old:
            self._migrate_v0()
        self._db.executescript(SCHEMA)
        self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _migrate_v0(self) -> None:
        """Attempts of the first schema (other names for the same facts) become rows of the Attempt model's JSON."""
        with self._tx() as db:
            rows = [dict(r) for r in db.execute("SELECT a.*, r.run_dir FROM attempts a JOIN runs r ON r.id = a.run_id")]
            db.execute("ALTER TABLE attempts RENAME TO attempts_v0")
            db.execute(ATTEMPTS)
            folders: dict[str, dict[int, dict]] = {}
            for row in rows:
                if row["run_id"] not in folders:
                    folders[row["run_id"]] = _folder_attempts(Path(row["run_dir"]))
                data = folders[row["run_id"]].get(row["number"]) or _v0_attempt(row)
                db.execute("INSERT OR REPLACE INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (row["run_id"], *_columns(data), json.dumps(data)))
            db.execute("DROP TABLE attempts_v0")

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- runs
    def create_run(self, run_id: str, source: str, run_dir: str, title: str | None, scale: str) -> None:
        now = time.time()
        with self._tx() as db:
            db.execute("INSERT INTO runs (id, created_at, updated_at, source, title, status, scale, run_dir, pid, host)"
                       " VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)",
                       (run_id, now, now, source, title, scale, run_dir, os.getpid(), socket.gethostname()))

    def claim_run(self, run_id: str, expected: str, holder: int | None = None) -> None:
        """Mark a run as running in this process (start of a resume), if its status is still ``expected`` (a run
        ``running`` only when process ``holder`` holds it: a sweep hands a run it made to a process of its own): a
        compare-and-set in one write transaction, so of two processes claiming one run, one wins and the other gets
        an ``InputError`` naming the process that holds it."""
        with self._tx() as db:
            claimed = db.execute("UPDATE runs SET status='running', pid=?, host=?, updated_at=?, error=NULL "
                                 "WHERE id=? AND status=? AND (status != 'running' OR pid=?)",
                                 (os.getpid(), socket.gethostname(), time.time(), run_id, expected, holder)).rowcount
            row = None if claimed else db.execute("SELECT status, pid FROM runs WHERE id=?", (run_id,)).fetchone()
        if not claimed:
            held = ("is not in the store" if row is None else f"is running in process {row['pid']}"
                    if row["status"] == "running" else f"changed to {row['status']} meanwhile")
            raise InputError(f"run {run_id} {held}", fix="wait for it, or stop it first")

    def set_run_status(self, run_id: str, status: str, *, summary: dict | None = None, error: str | None = None) -> None:
        assert status in RUN_STATUSES, status
        with self._tx() as db:
            db.execute("UPDATE runs SET status=?, updated_at=?, summary=COALESCE(?, summary), error=? WHERE id=?",
                       (status, time.time(), json.dumps(summary) if summary is not None else None, error, run_id))

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        self._reap_stale()
        row = self._db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        return {**_run_dict(row), "llm": self.llm_usage(run_id)} if row else None

    def find_runs(self, prefix: str) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT id FROM runs WHERE id LIKE ? ORDER BY id", (prefix + "%",))]

    def list_runs(self, limit: int = 50, status: str | None = None, scale: str | None = None) -> list[dict[str, Any]]:
        """The newest runs first; only those with this status or scale when given."""
        self._reap_stale()
        where = [(c, v) for c, v in (("status", status), ("scale", scale)) if v is not None]
        sql = "SELECT * FROM runs" + (" WHERE " + " AND ".join(f"{c}=?" for c, _ in where) if where else "")
        rows = self._db.execute(sql + " ORDER BY created_at DESC LIMIT ?", (*[v for _, v in where], limit)).fetchall()
        return [_run_dict(r) for r in rows]

    def _reap_stale(self) -> None:
        """A run marked running whose process is gone (killed hard) was interrupted: say so."""
        host = socket.gethostname()
        for row in self._db.execute("SELECT id, pid FROM runs WHERE status='running' AND host=?", (host,)).fetchall():
            if not _alive(row["pid"]):
                self.set_run_status(row["id"], "interrupted", error="the ml-intern process ended without finishing")
                with self._tx() as db:
                    now = time.time()
                    db.execute("UPDATE attempts SET status='interrupted', finished_at=?, data=json_set(data, "
                               "'$.status', 'interrupted', '$.finished_at', ?) WHERE run_id=? AND status='running'",
                               (now, now, row["id"]))
                    db.execute("UPDATE stages SET status='interrupted', finished_at=? WHERE run_id=? AND status='running'",
                               (time.time(), row["id"]))

    # -- stages
    def stage_started(self, run_id: str, name: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO stages (run_id, name, status, started_at) VALUES (?, ?, 'running', ?)",
                       (run_id, name, time.time()))

    def stage_finished(self, run_id: str, name: str, status: str, output: str | None = None,
                       error: str | None = None) -> None:
        with self._tx() as db:
            db.execute("UPDATE stages SET status=?, finished_at=?, output=?, error=? WHERE run_id=? AND name=?",
                       (status, time.time(), output, error, run_id, name))

    def stages(self, run_id: str) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT * FROM stages WHERE run_id=? ORDER BY started_at", (run_id,)).fetchall()
        return [dict(r) for r in rows]

    # -- attempts
    def put_attempts(self, run_id: str, attempts: list) -> None:
        """Index the run's attempts (``Attempt`` models) as they are now: one row each, the model's JSON in ``data``."""
        with self._tx() as db:
            for attempt in attempts:
                data = attempt.model_dump(mode="json")
                db.execute("INSERT OR REPLACE INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (run_id, *_columns(data), json.dumps(data)))

    def attempts(self, run_id: str) -> list[dict[str, Any]]:
        """The run's attempts as the ``Attempt`` model's JSON (``Attempt.model_validate`` gives the model back)."""
        rows = self._db.execute("SELECT data FROM attempts WHERE run_id=? ORDER BY number", (run_id,)).fetchall()
        return [json.loads(r["data"]) for r in rows]

    # -- metrics
    def add_metrics(self, run_id: str, attempt: int, rows: list[dict[str, Any]]) -> None:
        """Record metric rows as read from metrics.jsonl (idempotent: re-reading a row changes nothing)."""
        values = [(run_id, attempt, int(r["step"]), k, float(v)) for r in rows
                  for k, v in list(r.items())[:MAX_METRICS_PER_ROW]
                  if k not in ("step", "epoch") and len(k) <= 100 and isinstance(v, (int, float))]
        with self._tx() as db:
            db.executemany("INSERT OR REPLACE INTO metrics VALUES (?, ?, ?, ?, ?)", values)

    def metrics(self, run_id: str, name: str | None = None, since: tuple[int, int] | None = None) -> list[dict[str, Any]]:
        """The run's metric rows; ``since=(attempt, step)``: only those from that step on (a live view's next read)."""
        sql, args = "SELECT attempt, step, name, value FROM metrics WHERE run_id=?", [run_id]
        if name:
            sql, args = sql + " AND name=?", [*args, name]
        if since:
            sql, args = sql + " AND (attempt > ? OR (attempt = ? AND step >= ?))", [*args, since[0], *since]
        return [dict(r) for r in self._db.execute(sql + " ORDER BY attempt, step", args).fetchall()]


    # -- LLM calls
    def add_llm_call(self, run_id: str, call: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO llm_calls (run_id, at, stage, attempt, provider, model, prompt_hash, tokens_in,"
                       " tokens_out, cost_usd, latency_s, ok, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (run_id, call["at"], call["stage"], call.get("attempt"), call["provider"], call["model"],
                        call["prompt_hash"], call.get("tokens_in"), call.get("tokens_out"), call.get("cost_usd"),
                        call["latency_s"], int(call["ok"]), call.get("error")))

    def llm_calls(self, run_id: str) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT * FROM llm_calls WHERE run_id=? ORDER BY at", (run_id,)).fetchall()
        return [dict(r) for r in rows]

    def llm_usage(self, run_id: str) -> dict[str, Any]:
        """Totals of a run's LLM calls; a run with none shows zero. ``cost_known`` is false when some call's model
        has no price in the table (its tokens are counted, its cost is not)."""
        calls = self.llm_calls(run_id)
        return {"calls": len(calls), "tokens_in": sum(c["tokens_in"] or 0 for c in calls),
                "tokens_out": sum(c["tokens_out"] or 0 for c in calls),
                "cost_usd": round(sum(c["cost_usd"] or 0.0 for c in calls), 6),
                "cost_known": all(c["cost_usd"] is not None for c in calls)}


def _columns(data: dict) -> tuple:
    """An attempt's indexed columns, from its model JSON."""
    failure = data.get("failure") or {}
    return (data["number"], data["kind"], data["status"], data.get("commit"), data.get("started_at"),
            data.get("finished_at"), data.get("exit_code"), failure.get("cls"))


def _folder_attempts(run_dir: Path) -> dict[int, dict]:
    """A run folder's attempts by number, as their model's JSON ({} where the folder is gone or unreadable)."""
    from ml_intern.errors import InputError
    from ml_intern.runfolder import RunFolder

    try:
        return {a.number: a.model_dump(mode="json") for a in RunFolder(run_dir).attempts()}
    except (OSError, InputError):
        return {}


def _v0_attempt(row: dict) -> dict:
    """An attempt of a store of the first schema whose run folder is gone: what its columns said."""
    failure = {"cls": row["failure_class"], "message": row["failure_message"] or ""} if row["failure_class"] else None
    return {"number": row["number"], "kind": row["kind"], "status": row["status"], "commit": row["commit_sha"] or "",
            "command": [], "log": row["log_path"] or "", "resumed_from_step": row["resumed_from_step"],
            "started_at": row["started_at"] or 0.0, "finished_at": row["finished_at"], "exit_code": row["exit_code"],
            "failure": failure}


def _run_dict(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["summary"] = json.loads(d["summary"]) if d.get("summary") else None
    return d


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (killed, not yet reaped by its parent) is not running
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True
