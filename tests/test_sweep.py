"""`ml-intern sweep`: one run per combination, re-planned from a run's spec with the combination as overrides, run
in turn, compared in one table; kept on disk so that running it again goes on instead of starting over."""

import json
from pathlib import Path

import pytest
import yaml

from conftest import SAMPLE_TASK

pytestmark = pytest.mark.e2e


@pytest.fixture
def base(cli) -> str:
    code, out, err = cli("run", SAMPLE_TASK, "--scale", "smoke", "--json")
    assert code == 0, err
    return json.loads(out)["id"]


def test_a_sweep_runs_each_value_as_an_override_and_compares_them(cli, home, base):
    code, out, err = cli("sweep", base, "--param", "learning_rate=0.01,0.001", "--json")
    sweep = json.loads(out)
    assert code == 0, err
    assert [r["params"] for r in sweep["runs"]] == [{"learning_rate": "0.01"}, {"learning_rate": "0.001"}]
    assert all(r["status"] == "succeeded" and r["metric"] == "test_accuracy" and r["value"] is not None
               for r in sweep["runs"])
    for row in sweep["runs"]:
        run_dir = home / row["run"]
        plan = json.loads((run_dir / "plan.json").read_text())
        lr = plan["hyperparameters"]["learning_rate"]
        assert lr["origin"] == "override" and lr["value"] == float(row["params"]["learning_rate"])
        assert json.loads((run_dir / "run.json").read_text())["sweep"] == sweep["id"]
    record = json.loads((home / "sweeps" / f"{sweep['id']}.json").read_text())
    assert record["base"] == base and [r["run_id"] for r in record["runs"]] == [r["run"] for r in sweep["runs"]]

    # again: every run is finished, nothing is run twice
    code, out, _ = cli("sweep", sweep["id"], "--json")
    assert code == 0 and [r["run"] for r in json.loads(out)["runs"]] == [r["run"] for r in sweep["runs"]]
    code, out, _ = cli("runs", "--json")
    assert len(json.loads(out)) == 3  # the base and the two combinations


def test_bad_sweeps_are_refused_before_any_run(cli, home, base):
    code, _, err = cli("sweep", base, "--param", "learning_rat=0.1")
    assert code == 2 and "the plan has no such setting" in err and "learning_rate" in err
    code, _, err = cli("sweep", base, "--param", "learning_rate")
    assert code == 2 and "is not NAME=V1,V2" in err
    code, _, err = cli("sweep", base)
    assert code == 2 and "needs at least one --param" in err
    code, _, err = cli("sweep", "sweep-nothing")
    assert code == 2 and "no sweep sweep-nothing" in err
    assert not (home / "sweeps").exists() or not list((home / "sweeps").iterdir())


def test_a_value_the_plan_cannot_take_fails_that_run_only(cli, home, base):
    code, out, _ = cli("sweep", base, "--param", "learning_rate=fast,0.01", "--json")
    rows = json.loads(out)["runs"]
    assert code == 1 and [r["status"] for r in rows] == ["failed", "succeeded"]
    assert "learning_rate" in rows[0]["error"]


def test_runs_side_by_side_each_in_a_process_of_its_own(cli, home, base, tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("ML_INTERN_HOME", str(tmp_path / "elsewhere"))  # the sweep's --home wins, for its runs too
    code, out, err = cli("--home", home, "sweep", base, "--param", "learning_rate=0.01,0.001", "--parallel", "2",
                         "--json")
    rows = json.loads(out)["runs"]
    assert code == 0 and [r["status"] for r in rows] == ["succeeded", "succeeded"], err
    code, out, _ = cli("--home", home, "runs", "--json")
    pids = {r["id"]: r["pid"] for r in json.loads(out)}
    assert len({pids[r["run"]] for r in rows} | {os.getpid()}) == 3  # two processes, neither this one
    spans = []
    for row in rows:
        attempts = json.loads((home / row["run"] / "attempts.json").read_text())
        spans.append((attempts[0]["started_at"], attempts[-1]["finished_at"]))
    assert max(s for s, _ in spans) < min(e for _, e in spans), f"the runs did not overlap: {spans}"
    code, _, err = cli("sweep", base, "--param", "learning_rate=0.1", "--parallel", "0")
    assert code == 2 and "--parallel must be at least 1" in err


def test_ctrl_c_stops_a_parallel_sweep_cleanly_and_running_it_again_goes_on(cli, home, base):
    """SIGINT to `ml-intern sweep --parallel 2` reaches each run's process once: both runs are marked interrupted,
    nothing runs on, and `ml-intern sweep SWEEP_ID` resumes them to the end."""
    import signal
    import subprocess
    import time

    from conftest import ML_INTERN, subprocess_env

    # (SIGINT as a terminal delivers it: a suite started in the background inherits it ignored, and Python then
    # installs no KeyboardInterrupt handler)
    proc = subprocess.Popen([*ML_INTERN, "sweep", base, "--param", "max_steps=3000,3001", "--parallel", "2",
                             "--json"], env=subprocess_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 240
    while len([log for log in home.glob("*/logs/attempt-2.log") if "step" in log.read_text()]) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else "slow"
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 130, err
    sweep_id = next((home / "sweeps").glob("*.json")).stem
    code, out, _ = cli("runs", "--json")
    runs = [r for r in json.loads(out) if r["id"] != base]
    assert [r["status"] for r in runs] == ["interrupted", "interrupted"]
    code, out, err = cli("sweep", sweep_id, "--json")
    rows = json.loads(out)["runs"]
    assert code == 0 and [r["status"] for r in rows] == ["succeeded", "succeeded"], err
    assert {r["run"] for r in rows} == {r["id"] for r in runs}  # the same runs, resumed, not new ones


def test_a_papers_grid_and_schedule_run_as_stated_and_the_best_is_picked_on_validation(cli, home, tmp_path):
    """A paper (here a task file) that states SGD with Nesterov momentum, a step schedule with milestones, label
    smoothing, random crops and a grid of learning rates: the project trains with exactly those (the logged rates
    follow the milestones) and `run --sweep-paper-grid` runs the grid, the first run counting as its combination,
    and picks on the validation split."""
    task = tmp_path / "paper.yaml"
    task.write_text("title: A small CNN with a step schedule\ntask: image-classification\ndataset: digits\n"
                    "model: cnn\nmetric: accuracy\nhyperparameters:\n  optimizer: sgd\n  momentum: 0.9\n"
                    "  nesterov: true\n  learning_rate: [0.05, 0.01]\n  lr_schedule: multistep\n"
                    "  lr_milestones: [5, 10]\n  lr_decay_factor: 0.1\n  label_smoothing: 0.1\n  crop_padding: 1\n")
    code, out, err = cli("run", task, "--scale", "smoke", "--set", "log_every=1", "--sweep-paper-grid", "--json")
    sweep = json.loads(out)
    assert code == 0, (err, sweep)
    assert sweep["params"] == {"learning_rate": ["0.05", "0.01"]}
    first, second = sweep["runs"]
    assert first["status"] == second["status"] == "succeeded" and first["run"] != second["run"]
    from ml_intern.workspace import Workspace

    run_dir = Workspace(home).run_dir(first["run"])
    plan = json.loads((run_dir / "plan.json").read_text())
    assert plan["grid"] == {"learning_rate": ["0.05", "0.01"]} and plan["fidelity"]["used"] == plan["fidelity"]["stated"]
    config = yaml.safe_load((run_dir / "project" / "config.yaml").read_text())
    assert config["nesterov"] is True and config["lr_milestones"] == [5, 10] and config["crop_padding"] == 1
    assert config["label_smoothing"] == 0.1 and config["optimizer"] == "sgd" and config["learning_rate"] == 0.05
    rows = [json.loads(line) for line in (run_dir / "project/outputs/metrics.jsonl").read_text().splitlines()]
    rates = {r["step"]: r["lr"] for r in rows if "lr" in r}
    assert len(rates) == 20  # smoke scale: 20 steps, each logged
    assert all(rates[k] == pytest.approx(0.05 * 0.1 ** ((k - 1 >= 5) + (k - 1 >= 10))) for k in rates)
    picked = [r for r in sweep["runs"] if r["picked"]]
    assert len(picked) == 1 and picked[0]["val"] == max(r["val"] for r in sweep["runs"])
    assert picked[0]["val_metric"] == "val_accuracy"
