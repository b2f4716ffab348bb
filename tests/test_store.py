"""The SQLite store: one WAL file; runs whose process died are reported as interrupted, not running."""

import sqlite3
import subprocess
import sys

from ml_intern.track.store import Store


def test_wal_mode_and_round_trip(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.create_run("r1", "paper.pdf", str(tmp_path / "r1"), "A title", "small")
    store.stage_started("r1", "read")
    store.stage_finished("r1", "read", "succeeded", output="spec.json")
    store.attempt_started("r1", 1, "smoke", "abc123", "logs/attempt-1.log")
    store.add_metrics("r1", 1, [{"step": 10, "epoch": 0, "loss": 1.5, "lr": 0.001}, {"step": 10, "eval_accuracy": 0.5}])
    store.add_metrics("r1", 1, [{"step": 10, "epoch": 0, "loss": 1.5, "lr": 0.001}])  # re-read: no duplicate
    store.attempt_finished("r1", 1, "succeeded", 0)
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


def test_a_run_whose_process_died_is_marked_interrupted(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    # another process creates a run and dies without finishing it
    code = ("import sys; from ml_intern.track.store import Store; "
            "s = Store(sys.argv[1]); s.create_run('dead', 'x.pdf', 'd', None, 'small'); "
            "s.attempt_started('dead', 1, 'full', 'sha', 'log')")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.sqlite")], check=True)
    run = store.get_run("dead")
    assert run["status"] == "interrupted" and "ended without finishing" in run["error"]
    assert store.attempts("dead")[0]["status"] == "interrupted"
    # a run of this very process is alive and stays running
    store.create_run("live", "y.pdf", "d", None, "small")
    assert store.get_run("live")["status"] == "running"
