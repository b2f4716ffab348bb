"""The build stage, and the generated project run on its own, without ml-intern."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

from conftest import SAMPLE_PDF
from ml_intern.codegen import build_project
from ml_intern.git import commit_attempt, git
from ml_intern.errors import InputError
from ml_intern.paper import extract_spec, read_source
from ml_intern.plan import make_plan


@pytest.fixture(scope="module")
def plan():
    return make_plan(extract_spec(read_source(SAMPLE_PDF)), overrides={"epochs": 3})


def test_project_files_and_config_follow_the_plan(tmp_path, plan):
    project = build_project(plan, tmp_path / "p")
    assert project.files == [".gitignore", "README.md", "config.yaml", "requirements.txt", "sources.py", "task.py",
                             "train.py"]
    config = yaml.safe_load((tmp_path / "p" / "config.yaml").read_text())
    assert config["learning_rate"] == 0.001 and config["epochs"] == 3 and config["conv_channels"] == [32, 64]
    assert config["dataset"] == "sklearn:load_digits"
    requirements = (tmp_path / "p" / "requirements.txt").read_text().split()
    assert any(r.startswith("torch==") for r in requirements)
    assert any(r.startswith("pillow") for r in requirements)  # (the image task file imports PIL)
    readme = (tmp_path / "p" / "README.md").read_text()
    assert "python train.py --config config.yaml" in readme
    assert "learning rate of 0.001" in readme  # the origin of each value travels with the project
    train = (tmp_path / "p" / "train.py").read_text()
    assert train.startswith("# /// script") and "def main(" in train and "import ml_intern" not in train


def test_every_task_file_keeps_the_loops_contract():
    from ml_intern.codegen.task_contract import check_task_file, task_files
    from ml_intern.plan.recipes import RECIPES

    files = task_files()
    assert {r.task_file for r in RECIPES.values()} <= {f.name for f in files}  # every recipe plugs into the skeleton
    assert {f.name: check_task_file(f) for f in files} == {f.name: [] for f in files}


def test_the_contract_check_names_what_a_task_file_gets_wrong(tmp_path):
    from ml_intern.codegen.task_contract import TASKS, check_task_file

    broken = tmp_path / "broken.py"
    broken.write_text((TASKS / "tabular.py").read_text()
                      .replace("def evaluate(model, batches, to_device, autocast, data: Data)", "def evaluate(model, batches)")
                      .replace('METRIC = "accuracy"\n', ""))
    assert check_task_file(broken) == ["METRIC: a non-empty str is missing",
                                       "evaluate: parameters ('model', 'batches'), the loop passes "
                                       "('model', 'batches', 'to_device', 'autocast', 'data')"]


def test_project_is_a_git_repo_with_one_commit_per_attempt(tmp_path, plan):
    build_project(plan, tmp_path / "p")
    first = commit_attempt(tmp_path / "p", "attempt 1: smoke")
    second = commit_attempt(tmp_path / "p", "attempt 2: full")  # nothing changed: still its own commit
    assert first != second
    assert git(tmp_path / "p", "log", "--format=%s").splitlines() == ["attempt 2: full", "attempt 1: smoke"]
    assert "train.py" in git(tmp_path / "p", "ls-files")


def test_building_into_a_non_empty_folder_is_refused(tmp_path, plan):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty"):
        build_project(plan, tmp_path / "p")


# Run train.py with ml_intern made unimportable: the project must stand alone.
STANDALONE = ("import runpy, sys; sys.modules['ml_intern'] = None; sys.argv = ['train.py'] + sys.argv[1:]; "
              "runpy.run_path('train.py', run_name='__main__')")


def _train(project, *args, **kw):
    return subprocess.run([sys.executable, "-c", STANDALONE, "--config", "config.yaml", *args], cwd=project,
                          capture_output=True, text=True, timeout=300, **kw)


def test_generated_project_runs_standalone_smoke_then_full(tmp_path, plan):
    build_project(plan, tmp_path / "p")
    p = tmp_path / "p"
    smoke = _train(p, "--smoke", "--output-dir", "outputs-smoke")
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    results = json.loads((p / "outputs-smoke" / "results.json").read_text())
    assert results["smoke"] is True and results["steps"] == 10  # the skeleton's smoke_steps
    full = _train(p)
    assert full.returncode == 0, full.stdout + full.stderr
    results = json.loads((p / "outputs" / "results.json").read_text())
    info = json.loads((p / "outputs" / "run_info.json").read_text())
    assert results["steps"] == info["total_steps"] == 3 * info["steps_per_epoch"]
    assert 0.5 < results["metrics"]["test_accuracy"] <= 1.0  # three epochs learn something; chance is 0.1
    rows = [json.loads(line) for line in (p / "outputs" / "metrics.jsonl").read_text().splitlines()]
    assert {"step", "loss", "lr"} <= set(rows[0]) and sum("eval_accuracy" in r for r in rows) == 3
    assert (p / "outputs" / "model" / "model.safetensors").stat().st_size > 100_000
    assert info["seed"] == 0 and len(info["data_fingerprint"]) == 64 and info["torch"]
    ckpts = sorted((p / "outputs" / "checkpoints").iterdir())
    assert [c.name for c in ckpts] == [f"step-{2 * info['steps_per_epoch']:08d}", f"step-{3 * info['steps_per_epoch']:08d}"]
    assert all((c / "COMPLETE").exists() for c in ckpts)


@pytest.mark.parametrize("extra", ["", "ema_decay: 0.999\n"])
def test_killed_training_resumes_to_the_same_result(tmp_path, plan, extra):
    """Same seed, same CPU: an interrupted-and-resumed run ends exactly where an uninterrupted one does (with a
    moving average of the weights too: the checkpoint holds the average, which the metrics are the average's)."""
    long_plan = plan.model_copy(deep=True)
    build_project(long_plan, tmp_path / "p")
    p = tmp_path / "p"
    (p / "config.yaml").write_text((p / "config.yaml").read_text().replace("epochs: 3", "epochs: 12")
                                   + "checkpoint_every: 5\n" + extra)
    reference = _train(p, "--output-dir", "reference")
    assert reference.returncode == 0, reference.stderr

    proc = subprocess.Popen([sys.executable, "-c", STANDALONE, "--config", "config.yaml"], cwd=p,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and not list((p / "outputs" / "checkpoints").glob("step-*/COMPLETE")):
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (p / "outputs" / "results.json").exists(), "training finished before it could be interrupted"

    resumed = _train(p, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed from step-" in resumed.stdout
    ours = json.loads((p / "outputs" / "results.json").read_text())
    ref = json.loads((p / "reference" / "results.json").read_text())
    assert ours["resumed_from"] >= 5
    assert ours["metrics"] == ref["metrics"]
    steps = [json.loads(line)["step"] for line in (p / "outputs" / "metrics.jsonl").read_text().splitlines()
             if "loss" in json.loads(line)]
    ref_steps = [json.loads(line)["step"] for line in (p / "reference" / "metrics.jsonl").read_text().splitlines()
                 if "loss" in json.loads(line)]
    assert steps == ref_steps  # no step logged twice, none missing


def test_same_seed_same_metrics(tmp_path, plan):
    build_project(plan, tmp_path / "p")
    a = _train(tmp_path / "p", "--smoke", "--output-dir", "a")
    b = _train(tmp_path / "p", "--smoke", "--output-dir", "b")
    assert a.returncode == b.returncode == 0
    read = lambda d: json.loads((tmp_path / "p" / d / "results.json").read_text())["metrics"]  # noqa: E731
    assert read("a") == read("b")
