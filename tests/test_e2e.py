"""End to end: `ml-intern run` on the sample paper, for real (tiny training on the CPU), and interrupt/resume."""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ML_INTERN, SAMPLE_PDF, SAMPLE_TASK, subprocess_env
from ml_intern.git import git
from ml_intern.track.store import Store

pytestmark = pytest.mark.e2e

STAGES = ["read", "plan", "build", "exec"]


def _single_run_dir(home: Path) -> Path:
    dirs = [d for d in home.iterdir() if d.is_dir()]
    assert len(dirs) == 1
    return dirs[0]


def test_run_sample_paper_at_smoke_scale(cli, home):
    code, out, err = cli("run", SAMPLE_PDF, "--scale", "smoke", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["status"] == "succeeded"
    run_dir = Path(summary["run_dir"])
    assert run_dir == _single_run_dir(home)

    # every stage's output is in the run folder
    for name in ("run.json", "paper.json", "spec.json", "plan.json", "project.json", "attempts.json", "outcome.json",
                 "report.html", "loss.png", "source/digits-cnn.pdf", "logs/attempt-1.log", "logs/attempt-2.log",
                 "project/train.py", "project/outputs/results.json", "project/outputs/model/model.safetensors"):
        assert (run_dir / name).exists(), name
    plan = json.loads((run_dir / "plan.json").read_text())
    assert plan["scale"] == "smoke" and plan["hyperparameters"]["learning_rate"]["origin"] == "paper"
    results = json.loads((run_dir / "project/outputs/results.json").read_text())
    assert results["steps"] == plan["hyperparameters"]["max_steps"]["value"]

    # the store agrees
    store = Store(home / "store.sqlite")
    run = store.get_run(summary["id"])
    assert run["status"] == "succeeded" and run["summary"]["value"] == results["metrics"]["test_accuracy"]
    assert [(s["name"], s["status"]) for s in store.stages(run["id"])] == [(s, "succeeded") for s in STAGES]
    attempts = store.attempts(run["id"])
    assert [(a["kind"], a["status"], a["exit_code"]) for a in attempts] == [("smoke", "succeeded", 0),
                                                                               ("full", "succeeded", 0)]
    losses = store.metrics(run["id"], "loss")
    assert losses and all(m["attempt"] in (1, 2) for m in losses)
    assert max(m["step"] for m in losses if m["attempt"] == 2) == results["steps"]

    # one commit per attempt, each named in the store
    log = git(run_dir / "project", "log", "--format=%H %s").splitlines()
    assert [line.split(" ", 1)[1] for line in log] == ["attempt 2: full", "attempt 1: smoke"]
    assert {line.split()[0] for line in log} == {a["commit"] for a in attempts}

    # the report shows the spec with its quotes, the plan, the curve, the attempts and the metrics
    report = (run_dir / "report.html").read_text()
    assert "We train with the Adam optimizer with a learning rate of 0.001" in report
    assert 'id="loss-curve"' in report and "data:image/png;base64," in report
    assert report.count("class=\"status succeeded\"") == 3  # the run and both attempts
    assert f"{results['metrics']['test_accuracy']:.4f}" in report and "0.9830" in report


def test_main_job_beats_95_percent(cli, home):
    """The README's main job: the sample paper at the default scale, on a real held-out split."""
    code, out, err = cli("run", SAMPLE_PDF, "--json")
    assert code == 0, err
    summary = json.loads(out)["summary"]
    assert summary["metric"] == "test_accuracy" and summary["value"] > 0.95
    assert summary["train_seconds"] < 240


def test_run_task_file(cli, home):
    code, out, err = cli("run", SAMPLE_TASK, "--scale", "smoke", "--json")
    assert code == 0, err
    run_dir = Path(json.loads(out)["run_dir"])
    spec = json.loads((run_dir / "spec.json").read_text())
    assert spec["extractor"] == "task-file"


def _start_long_run(home: Path) -> subprocess.Popen:
    return subprocess.Popen([*ML_INTERN, "run", str(SAMPLE_PDF), "--set", "epochs=80", "--set", "checkpoint_every=5",
                             "--json"], env=subprocess_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_for_checkpoint(home: Path, proc: subprocess.Popen) -> Path:
    deadline = time.time() + 180
    while time.time() < deadline:
        found = list(home.glob("*/project/outputs/checkpoints/step-*/COMPLETE"))
        if found:
            return found[0].parents[4]
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("no checkpoint within 180 s")


def _check_resumed(cli, home: Path, run_dir: Path) -> None:
    run_id = run_dir.name
    code, out, err = cli("resume", run_id, "--json")
    assert code == 0, err
    run = json.loads(out)
    assert run["status"] == "succeeded"
    kinds = [(a["kind"], a["status"]) for a in run["attempts"]]
    assert kinds == [("smoke", "succeeded"), ("full", "interrupted"), ("full", "succeeded")]
    resumed_from = run["attempts"][2]["resumed_from_step"]
    assert resumed_from and resumed_from % 5 == 0
    rows = [json.loads(line) for line in (run_dir / "project/outputs/metrics.jsonl").read_text().splitlines()]
    steps = [r["step"] for r in rows if "loss" in r]
    assert steps == sorted(set(steps)) and steps[-1] == run["summary"]["steps"]  # none twice, ends at the end
    results = json.loads((run_dir / "project/outputs/results.json").read_text())
    assert results["resumed_from"] == resumed_from
    log = git(run_dir / "project", "log", "--format=%s").splitlines()
    assert log[0] == f"attempt 3: full, resumed from step {resumed_from}"


def test_sigterm_marks_interrupted_and_resume_continues(cli, home):
    proc = _start_long_run(home)
    run_dir = _wait_for_checkpoint(home, proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert f"ml-intern resume {run_dir.name}" in err and "Traceback" not in err
    code, out, _ = cli("show", run_dir.name, "--json")
    shown = json.loads(out)
    assert shown["status"] == "interrupted"
    assert [a["status"] for a in shown["attempts"]] == ["succeeded", "interrupted"]
    assert not (run_dir / "project/outputs/results.json").exists()
    _check_resumed(cli, home, run_dir)


def test_sigkill_of_the_runner_stops_training_and_the_run_can_resume(cli, home):
    proc = _start_long_run(home)
    run_dir = _wait_for_checkpoint(home, proc)
    proc.kill()
    proc.communicate(timeout=30)
    outputs = run_dir / "project/outputs"

    def progress():
        metrics = outputs / "metrics.jsonl"
        return sorted(p.name for p in (outputs / "checkpoints").iterdir()), metrics.exists() and metrics.stat().st_size

    time.sleep(1.5)  # the training process dies with its parent
    before = progress()
    time.sleep(1.5)
    assert progress() == before, "training went on after the runner was killed"
    code, out, _ = cli("runs", "--json")
    assert [r["status"] for r in json.loads(out)] == ["interrupted"]
    _check_resumed(cli, home, run_dir)


def test_resume_refuses_a_finished_run(cli, home):
    code, out, _ = cli("run", SAMPLE_TASK, "--scale", "smoke", "--json")
    run_id = json.loads(out)["id"]
    code, _, err = cli("resume", run_id)
    assert code == 2 and "already succeeded" in err
    assert os.path.exists(Path(json.loads(out)["run_dir"]) / "report.html")


def test_reproduce_gives_identical_metrics(cli, home):
    code, out, _ = cli("run", SAMPLE_PDF, "--scale", "smoke", "--json")
    original = json.loads(out)
    code, out, err = cli("reproduce", original["id"], "--json")
    assert code == 0, err
    result = json.loads(out)
    comparison = result["comparison"]
    assert result["id"] != original["id"] and comparison["original"] == original["id"]
    assert comparison["identical"] and comparison["same_data"] and comparison["same_config"]
    assert comparison["metrics"]["test_accuracy"]["reproduced"] == original["summary"]["metrics"]["test_accuracy"]
    run_json = json.loads((home / result["id"] / "run.json").read_text())
    assert run_json["reproduces"] == original["id"]
    assert (home / result["id"] / "reproduction.json").exists()


def test_reproduce_an_exec_run_from_its_first_commit(cli, home, tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "train.py").write_text("import json\nprint(np.arange(3))\n")  # fixed by repair on the first run
    code, out, _ = cli("exec", folder, "--json")
    assert code == 0
    code, out, err = cli("reproduce", json.loads(out)["id"], "--json")
    result = json.loads(out)
    assert result["status"] == "succeeded", err
    assert [a["status"] for a in result["attempts"]] == ["failed", "succeeded"]  # the same defect, the same fix
