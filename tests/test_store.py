"""The SQLite store: one WAL file indexing the run folders' records under their own names; runs whose process died
are reported as interrupted, not running; a store of the first schema is migrated when opened."""

import json
import sqlite3
import subprocess
import sys
import time

from ml_intern.run.attempts import Attempt
from ml_intern.run.diagnose import Failure
from ml_intern.runfolder import RunFolder
from ml_intern.track.store import Store


def attempt(number: int, status: str = "running", **extra) -> Attempt:
    return Attempt(number=number, kind="smoke", status=status, commit="abc123", command=["train.py"],
                   log=f"logs/attempt-{number}.log", started_at=time.time(), **extra)


def test_wal_mode_and_round_trip(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.create_run("r1", "paper.pdf", str(tmp_path / "r1"), "A title", "small")
    store.stage_started("r1", "read")
    store.stage_finished("r1", "read", "succeeded", output="spec.json")
    store.put_attempts("r1", [attempt(1)])
    store.add_metrics("r1", 1, [{"step": 10, "epoch": 0, "loss": 1.5, "lr": 0.001}, {"step": 10, "eval_accuracy": 0.5}])
    store.add_metrics("r1", 1, [{"step": 10, "epoch": 0, "loss": 1.5, "lr": 0.001}])  # re-read: no duplicate
    store.put_attempts("r1", [attempt(1, "succeeded", exit_code=0)])
    store.set_run_status("r1", "succeeded", summary={"value": 0.9})
    store.close()

    db = sqlite3.connect(tmp_path / "s.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store = Store(tmp_path / "s.sqlite")
    run = store.get_run("r1")
    assert run["status"] == "succeeded" and run["summary"] == {"value": 0.9} and run["title"] == "A title"
    assert [s["name"] for s in store.stages("r1")] == ["read"]
    assert store.attempts("r1")[0]["exit_code"] == 0
    assert sorted((m["name"], m["value"]) for m in store.metrics("r1")) == [
        ("eval_accuracy", 0.5), ("loss", 1.5), ("lr", 0.001)]
    assert store.find_runs("r") == ["r1"]


def test_the_store_holds_the_run_folders_attempts_under_their_own_names(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.create_run("r1", "paper.pdf", str(tmp_path / "r1"), None, "small")
    (tmp_path / "r1").mkdir()
    folder = RunFolder(tmp_path / "r1", store)
    failed = attempt(1, "failed", exit_code=1, failure=Failure(cls="nan_loss", message="loss is nan at step 3"),
                     fix="halve the learning rate")
    folder.save_attempts([failed])
    # the same record in the folder and in the store: the Attempt model's JSON, its names (commit, failure.cls)
    stored = store.attempts("r1")
    assert stored == [failed.model_dump(mode="json")] == json.loads(folder.file("attempts").read_text())
    assert Attempt.model_validate(stored[0]) == folder.attempts()[0] == failed
    assert stored[0]["commit"] == "abc123" and stored[0]["failure"]["cls"] == "nan_loss"
    # and the index can be queried by those names
    assert [tuple(r) for r in store._db.execute('SELECT "commit", failure_cls FROM attempts')] == [("abc123", "nan_loss")]


def test_a_store_of_the_first_schema_is_migrated_from_the_run_folders(tmp_path):
    """A store written before the run record was one (columns commit_sha, failure_class): opening it re-indexes each
    run's attempts from its folder, or from the old columns where the folder is gone; nothing else is lost."""
    db = sqlite3.connect(tmp_path / "s.sqlite")
    db.executescript("""
        CREATE TABLE runs (id TEXT PRIMARY KEY, created_at REAL NOT NULL, updated_at REAL NOT NULL, source TEXT NOT NULL,
            title TEXT, status TEXT NOT NULL, scale TEXT, run_dir TEXT NOT NULL, pid INTEGER, host TEXT, summary TEXT,
            error TEXT);
        CREATE TABLE attempts (run_id TEXT NOT NULL REFERENCES runs(id), number INTEGER NOT NULL, kind TEXT NOT NULL,
            status TEXT NOT NULL, started_at REAL, finished_at REAL, exit_code INTEGER, failure_class TEXT,
            failure_message TEXT, commit_sha TEXT, resumed_from_step INTEGER, log_path TEXT,
            PRIMARY KEY (run_id, number));
        CREATE TABLE metrics (run_id TEXT NOT NULL REFERENCES runs(id), attempt INTEGER NOT NULL, step INTEGER NOT NULL,
            name TEXT NOT NULL, value REAL, PRIMARY KEY (run_id, attempt, step, name));
    """)
    kept = tmp_path / "kept"
    kept.mkdir()
    in_folder = attempt(1, "failed", exit_code=1, failure=Failure(cls="out_of_memory", message="CUDA out of memory"))
    RunFolder(kept).save_attempts([in_folder])
    for run_id, run_dir in (("kept", kept), ("gone", tmp_path / "gone")):
        db.execute("INSERT INTO runs VALUES (?, 1, 2, 'x.pdf', NULL, 'failed', 'small', ?, NULL, NULL, NULL, NULL)",
                   (run_id, str(run_dir)))
    db.execute("INSERT INTO attempts VALUES ('kept', 1, 'smoke', 'failed', 1, 2, 1, 'out_of_memory', 'old text', 'abc123', NULL,"
               " '/x/logs/attempt-1.log')")
    db.execute("INSERT INTO attempts VALUES ('gone', 1, 'full', 'failed', 1, 2, 1, 'nan_loss', 'loss is nan',"
               " 'def456', NULL, '/y/logs/attempt-1.log')")
    db.execute("INSERT INTO metrics VALUES ('gone', 1, 10, 'loss', 1.5)")
    db.commit()
    db.close()

    store = Store(tmp_path / "s.sqlite")
    assert store.attempts("kept") == [in_folder.model_dump(mode="json")]  # the folder's record, whole
    (gone,) = store.attempts("gone")
    assert (gone["commit"], gone["failure"], gone["log"]) == ("def456", {"cls": "nan_loss", "message": "loss is nan"},
                                                              "/y/logs/attempt-1.log")
    assert store.metrics("gone") == [{"attempt": 1, "step": 10, "name": "loss", "value": 1.5}]
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == 1
    store.close()
    assert Store(tmp_path / "s.sqlite").attempts("gone")[0]["commit"] == "def456"  # (opened again: nothing to do)


def test_a_run_whose_process_died_is_marked_interrupted(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    # another process creates a run and dies without finishing it
    code = ("import sys, time; from ml_intern.track.store import Store; from ml_intern.run.attempts import Attempt; "
            "s = Store(sys.argv[1]); s.create_run('dead', 'x.pdf', 'd', None, 'small'); "
            "s.put_attempts('dead', [Attempt(number=1, kind='full', status='running', commit='sha', command=[], "
            "log='log', started_at=time.time())])")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.sqlite")], check=True)
    run = store.get_run("dead")
    assert run["status"] == "interrupted" and "ended without finishing" in run["error"]
    (dead,) = store.attempts("dead")
    assert dead["status"] == "interrupted" and dead["finished_at"] is not None
    # a run of this very process is alive and stays running
    store.create_run("live", "y.pdf", "d", None, "small")
    assert store.get_run("live")["status"] == "running"
