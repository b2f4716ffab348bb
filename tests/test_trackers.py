"""Experiment trackers: metrics reach trackio, TensorBoard, MLflow and W&B (offline, no account); a failing tracker
never fails the run; a resumed attempt continues the same tracker run with no step twice and none missing."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ML_INTERN, SAMPLE_PDF, SAMPLE_TASK, subprocess_env
from ml_intern.track.trackers import Tracking

pytest.importorskip("trackio", reason="trackio is in the test extra")
pytest.importorskip("tensorboard", reason="tensorboard is in the test extra")


@pytest.fixture(autouse=True)
def local_trackers(monkeypatch):
    # TRACKIO_DIR is set for the whole session in conftest.py: trackio reads it once, at import
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("WANDB_API_KEY", raising=False)
    monkeypatch.setenv("WANDB_MODE", "offline")


def tensorboard_scalars(logdir: Path, tag: str) -> list[tuple[int, float]]:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    acc = EventAccumulator(str(logdir))
    acc.Reload()
    return [(e.step, e.value) for e in acc.Scalars(tag)]


def trackio_rows(name: str, key: str) -> list[tuple[int, float]]:
    from trackio.sqlite_storage import SQLiteStorage

    return [(r["step"], r[key]) for r in SQLiteStorage.get_logs("ml-intern", name) if key in r]


def jsonl_rows(run_dir: Path, key: str) -> list[tuple[int, float]]:
    rows = [json.loads(line) for line in (run_dir / "project/outputs/metrics.jsonl").read_text().splitlines()]
    return [(r["step"], r[key]) for r in rows if key in r]


def same(logged: list[tuple[int, float]], expected: list[tuple[int, float]]) -> bool:
    """The same steps, each once, with the same values (TensorBoard keeps float32); where they differ is printed."""
    for i, (got, want) in enumerate(zip(logged, expected)):
        if got[0] != want[0] or got[1] != pytest.approx(want[1], rel=1e-6):
            print(f"row {i} differs: logged {got}, expected {want}")
            return False
    if len(logged) != len(expected):
        print(f"{len(logged)} rows logged, {len(expected)} expected; the longer goes on with "
              f"{(logged if len(logged) > len(expected) else expected)[min(len(logged), len(expected))]}")
        return False
    return True


def test_unknown_tracker_is_an_input_error(cli):
    code, _, err = cli("run", SAMPLE_TASK, "--track", "neptune")
    assert code == 2
    assert "unknown tracker 'neptune'" in err and "trackio, tensorboard, wandb, mlflow" in err


@pytest.mark.e2e
def test_metrics_reach_every_tracker(cli, home):
    pytest.importorskip("mlflow", reason="mlflow is in the test extra")
    pytest.importorskip("wandb", reason="wandb is in the test extra")
    code, out, err = cli("run", SAMPLE_TASK, "--scale", "smoke", "--track", "trackio,tensorboard,mlflow,wandb",
                         "--json")
    assert code == 0, err
    run = json.loads(out)
    run_dir = Path(run["run_dir"])
    state = json.loads((run_dir / "tracking.json").read_text())
    assert state["errors"] == []
    [trajectory] = state["trajectories"]  # the smoke attempt is not tracked; the full attempt is
    name = f"{run['id']}-a2"
    assert trajectory["name"] == name and trajectory["attempts"] == [2]
    losses = jsonl_rows(run_dir, "loss")
    assert len(losses) >= 2
    assert same(tensorboard_scalars(run_dir / "tensorboard" / name, "loss"), losses)
    assert same(tensorboard_scalars(run_dir / "tensorboard" / name, "eval_accuracy"), jsonl_rows(run_dir, "eval_accuracy"))
    assert same(trackio_rows(name, "loss"), losses)

    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=(home / "mlruns").as_uri())
    history = client.get_metric_history(trajectory["trackers"]["mlflow"]["id"], "loss")
    assert same([(m.step, m.value) for m in history], losses)
    assert client.get_run(trajectory["trackers"]["mlflow"]["id"]).data.params["seed"] == "0"

    [offline] = (run_dir / "wandb").glob(f"offline-run-*-{name}")  # `wandb sync` uploads it later
    data = next(offline.glob("*.wandb")).read_bytes()
    assert b"eval_accuracy" in data and b"learning_rate" in data
    assert "Uploading logs" not in out  # trackers' banners never reach stdout (JSON here)


@pytest.mark.e2e
def test_a_tracker_that_fails_never_fails_the_run(cli, home, monkeypatch):
    pytest.importorskip("mlflow", reason="mlflow is in the test extra")
    # an MLflow server that is down: nothing listens on this loopback port
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:9")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "5")
    code, out, err = cli("run", SAMPLE_TASK, "--scale", "smoke", "--track", "mlflow,trackio")
    assert code == 0, err
    assert "tracker mlflow failed" in err and "training goes on" in err
    run_dir = next(p for p in home.iterdir() if (p / "tracking.json").exists())
    state = json.loads((run_dir / "tracking.json").read_text())
    assert [e["tracker"] for e in state["errors"]] == ["mlflow"]
    name = state["trajectories"][0]["name"]
    assert same(trackio_rows(name, "loss"), jsonl_rows(run_dir, "loss"))  # the other tracker still got everything


def _rows(first: int, last: int) -> list[dict]:
    out = []
    for step in range(first, last + 1):
        out.append({"step": step, "epoch": 0, "loss": 1.0 / step})
        if step % 10 == 0:
            out.append({"step": step, "epoch": 0, "eval_accuracy": step / 100})
    return out


def test_a_resumed_attempt_continues_the_same_tracker_run(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    first = Tracking(["tensorboard", "trackio"], "r1", run_dir, {"learning_rate": 0.001})
    first.begin(2, "full", None)
    first.log(_rows(1, 30))  # logged up to step 30; its last checkpoint was at step 20; then it was killed
    first.end()

    # a new process resumes attempt 2's training from the checkpoint at step 20 as attempt 3: it recomputes steps
    # 21..30 (identically) and goes on; the trackers get 31..40 only, in the same tracker run
    again = Tracking(["tensorboard", "trackio"], "r1", run_dir, {"learning_rate": 0.001})
    again.begin(3, "full", resumed_from_step=20)
    again.log(_rows(1, 40))  # metrics.jsonl as the resumed attempt's tail reads it: kept rows, then new ones
    again.end()

    expected = [(s, 1.0 / s) for s in range(1, 41)]
    assert same(tensorboard_scalars(run_dir / "tensorboard" / "r1-a2", "loss"), expected)
    assert same(tensorboard_scalars(run_dir / "tensorboard" / "r1-a2", "eval_accuracy"),
                [(s, s / 100) for s in (10, 20, 30, 40)])
    assert same(trackio_rows("r1-a2", "loss"), expected)
    state = json.loads((run_dir / "tracking.json").read_text())
    assert [(t["name"], t["attempts"]) for t in state["trajectories"]] == [("r1-a2", [2, 3])]

    # an attempt that starts from scratch after a failure is a new trajectory: a new tracker run
    fresh = Tracking(["tensorboard"], "r1", run_dir, {})
    fresh.begin(4, "full", None)
    fresh.log(_rows(1, 5))
    fresh.end()
    assert [s for s, _ in tensorboard_scalars(run_dir / "tensorboard" / "r1-a4", "loss")] == [1, 2, 3, 4, 5]
    assert len(tensorboard_scalars(run_dir / "tensorboard" / "r1-a2", "loss")) == 40


def test_a_signal_while_rows_are_logged_takes_effect_after_them(tmp_path, monkeypatch):
    # SIGTERM (as the CLI handles it: an interrupt) arrives after TensorBoard took step 25 and before trackio did
    from ml_intern.track.trackers import TensorBoardTracker

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    log = TensorBoardTracker.log

    def log_then_signal(self, metrics, step):
        log(self, metrics, step)
        if step == 25 and "loss" in metrics:
            os.kill(os.getpid(), signal.SIGTERM)

    run_dir = tmp_path / "run"
    run_dir.mkdir()
    try:
        monkeypatch.setattr(TensorBoardTracker, "log", log_then_signal)
        first = Tracking(["tensorboard", "trackio"], "r1", run_dir, {})
        first.begin(2, "full", None)
        with pytest.raises(KeyboardInterrupt):
            first.log(_rows(1, 30))
        first.end()
    finally:
        signal.signal(signal.SIGTERM, previous)
    monkeypatch.setattr(TensorBoardTracker, "log", log)
    again = Tracking(["tensorboard", "trackio"], "r1", run_dir, {})
    again.begin(3, "full", resumed_from_step=20)
    again.log(_rows(1, 40))
    again.end()
    expected = [(s, 1.0 / s) for s in range(1, 41)]
    assert same(tensorboard_scalars(run_dir / "tensorboard" / "r1-a2", "loss"), expected)
    assert same(trackio_rows("r1-a2", "loss"), expected)


@pytest.mark.e2e
def test_interrupted_run_resumes_into_the_same_tracker_run(cli, home):
    proc = subprocess.Popen([*ML_INTERN, "run", str(SAMPLE_PDF), "--set", "epochs=80", "--set", "checkpoint_every=25",
                             "--track", "tensorboard,trackio", "--json"], env=subprocess_env(home), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 180
    state_file = None
    while time.time() < deadline:  # wait until the trackers hold steps past a checkpoint
        found = list(home.glob("*/tracking.json"))
        if found and json.loads(found[0].read_text())["trajectories"] and \
                json.loads(found[0].read_text())["trajectories"][0]["last_step"] >= 60:
            state_file = found[0]
            break
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    assert state_file, "the trackers logged nothing within 180 s"
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    run_dir = state_file.parent
    code, out, err = cli("resume", run_dir.name, "--json")
    assert code == 0, err
    attempts = json.loads(out)["attempts"]
    assert attempts[2]["resumed_from_step"]
    state = json.loads(state_file.read_text())
    [trajectory] = state["trajectories"]
    assert trajectory["attempts"] == [2, 3]
    losses = jsonl_rows(run_dir, "loss")
    assert same(tensorboard_scalars(run_dir / "tensorboard" / trajectory["name"], "loss"), losses)
    assert same(trackio_rows(trajectory["name"], "loss"), losses)
    assert losses[-1][0] == json.loads(out)["summary"]["steps"]


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
