"""Gradient-boosted trees in the tabular recipe (``model_type: gbdt``, XGBoost): a paper or task whose model is
boosted trees is planned as trees (rounds = ``max_steps``, shrinkage = ``learning_rate``), the project trains them a
round per loop step, its checkpoints resume to the same trees, and the saved model re-evaluates to the same
metrics."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("xgboost", reason="boosted trees train with XGBoost (the test extra installs xgboost-cpu)")
TASK = ROOT / "examples" / "tasks" / "breast-cancer-xgboost.yaml"


def _plan(task: Path = TASK, scale: str = "small", **overrides):
    from ml_intern.paper import read_source, spec_for
    from ml_intern.plan import make_plan

    return make_plan(spec_for(read_source(str(task))), scale=scale, overrides=overrides or None)


def test_a_task_that_names_boosted_trees_plans_trees_with_its_rounds_and_shrinkage():
    from ml_intern.plan.recipes import RECIPES

    plan = _plan()
    values = plan.values()
    assert plan.recipe == "tabular" and plan.model["model_type"].value == "gbdt"
    assert (values["learning_rate"], values["max_steps"], values["max_depth"], values["epochs"]) == (0.3, 60, 3, 0)
    assert "hidden_sizes" not in values and "dropout" not in values  # (the perceptron's settings are not the trees')
    assert values["eval_every"] == values["checkpoint_every"] == 6  # every tenth of the rounds
    config = RECIPES[plan.recipe].config(plan)
    assert "xgboost>=2.0" in RECIPES[plan.recipe].requirements_for(config)
    assert "xgboost>=2.0" not in RECIPES["tabular"].requirements_for({"model_type": "mlp"})
    # the estimate counts rounds over rows and features, not a network's FLOPs
    hw = plan.hardware
    assert hw.parameters == 0 and 0 < hw.hours_estimate * 3600 < 60 and "60 rounds" in hw.notes[0]
    ten_times = _plan(max_steps=600).hardware
    assert ten_times.hours_estimate == pytest.approx(10 * hw.hours_estimate, rel=0.01)


def test_the_perceptron_stays_the_default_for_tables():
    plan = _plan(ROOT / "examples" / "tasks" / "wine-mlp.yaml")
    assert plan.model["model_type"].value == "mlp" and plan.values()["hidden_sizes"] == [128, 64]


def _train(project: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "train.py", "--config", "config.yaml", *args], cwd=project,
                          capture_output=True, text=True, timeout=600, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_the_project_trains_a_round_a_step_resumes_to_the_same_trees_and_its_saved_model_re_evaluates(tmp_path):
    from ml_intern.codegen.builder import build_project

    project = tmp_path / "project"
    build_project(_plan(), project)
    with (project / "config.yaml").open("a") as config:
        config.write("keep_checkpoints: 20\n")  # (every tenth of the rounds kept, to resume from the middle)
    _train(project)
    out = project / "outputs"
    whole = json.loads((out / "results.json").read_text())
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    losses = [r["loss"] for r in rows if "loss" in r]
    assert whole["steps"] == 60 and losses[-1] < losses[0] / 3  # each round lowers the training loss
    assert whole["metrics"]["test_accuracy"] > 0.9 > whole["baseline"]["metrics"]["test_accuracy"]
    saved = json.loads((out / "model" / "config.json").read_text())
    assert saved["model_type"] == "gbdt" and saved["max_depth"] == 3
    import xgboost  # (the version the project was tested with is pinned and recorded, whichever build provides it)

    assert f"xgboost=={xgboost.__version__}" in (project / "requirements.txt").read_text().splitlines()
    info = json.loads((out / "run_info.json").read_text())
    assert xgboost.__version__ in (info.get("xgboost"), info.get("xgboost-cpu"))

    # interrupted after round 30: resumed from its checkpoint, the same trees and metrics as the run that was not
    for ckpt in (out / "checkpoints").glob("step-*"):
        if int(ckpt.name.split("-")[1]) > 30:
            shutil.rmtree(ckpt)
    _train(project, "--resume")
    resumed = json.loads((out / "results.json").read_text())
    assert resumed["resumed_from"] == 30 and resumed["metrics"] == whole["metrics"]

    # ml-intern's metrics check: the saved trees, loaded into a fresh model, give the run's own metrics
    _train(project, "--evaluate", "outputs/model", "--output-dir", str(tmp_path / "check"))
    again = json.loads((tmp_path / "check" / "evaluation.json").read_text())["metrics"]
    assert again == pytest.approx(whole["metrics"])


@pytest.mark.e2e
def test_ml_intern_runs_boosted_trees_end_to_end_and_its_metrics_are_verified(cli):
    code, out, err = cli("run", TASK, "--scale", "small", "--json")  # (a smoke scale run is not checked)
    run = json.loads(out)
    assert code == 0 and run["status"] == "succeeded", (err, run.get("summary"))
    assert [a["kind"] for a in run["attempts"]] == ["smoke", "full"]
    assert run["summary"]["metrics"]["test_accuracy"] > 0.85
    assert run["attempts"][-1]["verification"]["status"] == "verified"  # ml-intern's own evaluation agrees
