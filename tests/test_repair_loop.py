"""The loop around repair: doom-loop guard, attempt budget, scope approval, resume after a person's edit."""

import json
from pathlib import Path

import pytest

from conftest import SAMPLE_TASK

pytestmark = pytest.mark.e2e


def _script(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "train.py").write_text(body)
    return folder


def _outcome(home: Path, run_id: str) -> dict:
    return json.loads((home / run_id / "outcome.json").read_text())


def test_same_failure_after_same_fix_stops_the_loop(cli, home, tmp_path):
    # the added import cannot help: the script deletes the name again
    folder = _script(tmp_path, "import json\nimport numpy as np\ndel np\nprint(np.arange(3))\n")
    code, out, _ = cli("exec", folder, "--json")
    run = json.loads(out)
    assert code == 1 and run["status"] == "needs_review"
    outcome = _outcome(home, run["id"])
    assert "the same failure came back after the same fix" in outcome["review"]["why"]
    assert len(outcome["attempts"]) == 2  # the first fix was tried once, then the loop stopped


def test_attempt_budget_ends_the_run_with_what_was_tried(cli, home, tmp_path):
    # the loss is NaN whatever the learning rate: each fix differs, so the budget is what stops it
    folder = _script(tmp_path, "import yaml\ncfg = yaml.safe_load(open('config.yaml'))\n"
                               "raise FloatingPointError(f\"loss is nan (learning_rate {cfg['learning_rate']})\")\n")
    (folder / "config.yaml").write_text("learning_rate: 0.1\nwarmup_steps: 0\n")
    code, out, _ = cli("exec", folder, "--max-attempts", "3", "--json")
    run = json.loads(out)
    assert code == 1 and run["status"] == "needs_review"
    outcome = _outcome(home, run["id"])
    assert outcome["review"]["why"] == "the attempt budget (3) is used up"
    assert [t["fix"].split(",")[0] for t in outcome["review"]["tried"]] == [
        "learning_rate 0.1 -> 0.01", "learning_rate 0.01 -> 0.001"]
    assert "+learning_rate: 0.01" in outcome["review"]["tried"][0]["diff"]


def test_scope_change_needs_approval_then_is_made_with_the_flag(cli, home, tmp_path):
    body = "import yaml, torch\ncfg = yaml.safe_load(open('config.yaml'))\ntorch.zeros(1, 512).expand(2, cfg['seq_len'])\n"
    folder = _script(tmp_path, body)
    (folder / "config.yaml").write_text("seq_len: 1024\n")
    code, out, _ = cli("exec", folder, "--json")
    outcome = _outcome(home, json.loads(out)["id"])
    assert code == 1 and "needs approval" in outcome["review"]["why"] and "--allow-scope-changes" in outcome["review"]["why"]
    assert (home / json.loads(out)["id"] / "project" / "config.yaml").read_text() == "seq_len: 1024\n"  # untouched
    run_id = json.loads(out)["id"]
    assert f"ml-intern resume {run_id} --allow-scope-changes" in outcome["review"]["why"]
    code, out, err = cli("resume", run_id, "--allow-scope-changes", "--json")  # the approval, on the same run
    assert code == 0 and json.loads(out)["status"] == "succeeded", err
    assert (home / run_id / "project" / "config.yaml").read_text() == "seq_len: 512\n"
    code, out, _ = cli("exec", folder, "--allow-scope-changes", "--json")  # or approved up front
    assert code == 0 and json.loads(out)["status"] == "succeeded"


def test_resume_after_a_persons_edit(cli, home, tmp_path):
    folder = _script(tmp_path, "import torch\nprint(torch.nn.Linear(128, 10)(torch.randn(4, 64)).shape)\n")
    code, out, _ = cli("exec", folder, "--json")
    run = json.loads(out)
    assert code == 1 and run["summary"]["summary"].startswith("stopped after 1 attempt(s): no rule-based fix for "
                                                              "shape_mismatch")
    project = home / run["id"] / "project"
    (project / "train.py").write_text("import torch\nprint(torch.nn.Linear(64, 10)(torch.randn(4, 64)).shape)\n")
    code, out, err = cli("resume", run["id"], "--json")
    assert code == 0, err
    resumed = json.loads(out)
    assert resumed["status"] == "succeeded"
    assert [a["status"] for a in resumed["attempts"]] == ["failed", "succeeded"]
    assert (home / run["id"] / "outcome-review-1.json").exists()  # the review that was acted on is kept


def test_run_records_the_sandbox_and_its_limits(cli, home):
    code, out, _ = cli("run", SAMPLE_TASK, "--scale", "smoke", "--json")
    run = json.loads(out)
    attempts = json.loads((home / run["id"] / "attempts.json").read_text())
    from ml_intern.run.sandbox.bwrap import BwrapSandbox

    expected = "bwrap" if BwrapSandbox.available() is None else "process"
    assert {a["sandbox"] for a in attempts} == {expected}
    assert attempts[0]["limits_enforced"]["memory"] is True
