"""Run-wide budgets: LLM calls, tokens and dollars (checked before each call) and the wall clock; a run that
reaches one stops cleanly as needs_review and `resume` with a higher limit goes on."""

import json
import time

import pytest

from ml_intern.llm import Recorded, ScriptedLLM
from ml_intern.errors import BudgetExhausted
from ml_intern.plan.models import Budgets
from ml_intern.track.store import Store
from test_llm_extract import server  # noqa: F401  (a loopback OpenAI-compatible server)


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "runs.db")
    store.create_run("r1", source="x", title=None, scale="smoke", run_dir=str(tmp_path))
    return store


@pytest.mark.parametrize("budgets, usage, what", [
    (Budgets(llm_calls=2), [{"tokens_in": 10, "tokens_out": 5}] * 2, "calls: 2 used of 2"),
    (Budgets(llm_tokens=100), [{"tokens_in": 60, "tokens_out": 50}], "tokens: 110 used of 100"),
    (Budgets(llm_usd=0.01), [{"tokens_in": 3000, "tokens_out": 500}], "dollars"),
])
def test_a_call_past_the_budget_is_refused_and_not_sent(store, budgets, usage, what, monkeypatch):
    monkeypatch.setenv("ML_INTERN_LLM_PRICE", "2.5,10")  # $0.0125 for the first call's tokens
    model = ScriptedLLM([{"ok": True}] * (len(usage) + 1), usage=usage)
    llm = Recorded(model, store, "r1", "read", budgets=budgets)
    for _ in usage:
        assert llm.complete_json("s", "u", {}) == {"ok": True}
    with pytest.raises(BudgetExhausted, match=what):
        llm.complete_json("s", "u", {})
    assert len(model.prompts) == len(usage)  # the refused call never reached the model
    assert store.llm_usage("r1")["calls"] == len(usage)


def test_no_budget_means_no_limit(store):
    llm = Recorded(ScriptedLLM([{"a": 1}] * 5), store, "r1", "read", budgets=Budgets())
    assert [llm.complete_json("s", "u", {}) for _ in range(5)] == [{"a": 1}] * 5


@pytest.mark.e2e
def test_wall_clock_budget_stops_the_run_for_review_and_resume_raises_it(cli, home, tmp_path):
    folder = tmp_path / "proj"
    folder.mkdir()
    # slow the first time only (a marker file in the project says it has run before)
    (folder / "train.py").write_text(
        "import os, time\n"
        "if not os.path.exists('ran'):\n    open('ran', 'w').close()\n    time.sleep(30)\n"
        "print('done')\n")
    started = time.monotonic()
    code, out, _ = cli("exec", folder, "--max-wall-clock", "3", "--json")
    run = json.loads(out)
    assert time.monotonic() - started < 25  # the attempt was cut at the run's deadline, not after 30 s
    assert code == 1 and run["status"] == "needs_review"
    outcome = json.loads((home / run["id"] / "outcome.json").read_text())
    assert "wall-clock budget (3 s) is used up" in outcome["review"]["why"]
    assert outcome["attempts"][0]["status"] == "interrupted"  # cut by the run's limit: no failure, no fix

    code, out, _ = cli("resume", run["id"], "--max-wall-clock", "600", "--json")
    assert code == 0 and json.loads(out)["status"] == "succeeded"
    record = json.loads((home / run["id"] / "run.json").read_text())
    assert record["options"]["budgets"]["wall_clock_s"] == 600


@pytest.mark.parametrize("flag", ["--llm-max-calls", "--llm-max-usd", "--max-wall-clock"])
def test_a_limit_below_one_is_a_typed_input_error(cli, tmp_path, flag):
    code, _, err = cli("exec", tmp_path, flag, "0")
    assert code == 2 and flag in err and "above 0" in err and "Traceback" not in err


FROBNICATOR = ("import yaml\ncfg = yaml.safe_load(open('config.yaml'))\n"
               "raise RuntimeError(f\"the frobnicator jammed at learning rate {cfg['learning_rate']}\")\n")


@pytest.mark.e2e
def test_llm_classifies_what_the_rules_cannot_until_the_budget_stops_the_run(cli, home, tmp_path, server):
    """The rules call the failure unknown; the LLM (a loopback server) says nan_loss, so the rule-based fix for
    that class is made; the next diagnosis would pass the token budget: the run stops as needs_review, and
    `resume` with a higher budget asks again."""
    server.content = json.dumps({"cls": "nan_loss", "reason": "a jam at a high learning rate"})
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "train.py").write_text(FROBNICATOR)
    (folder / "config.yaml").write_text("learning_rate: 0.1\nwarmup_steps: 0\n")
    code, out, err = cli("exec", folder, "--llm", "openai-compatible:judge", "--llm-max-tokens", "1000", "--json")
    run = json.loads(out)
    assert code == 1 and run["status"] == "needs_review", err
    outcome = json.loads((home / run["id"] / "outcome.json").read_text())
    assert "LLM budget is reached (tokens: 1500 used of 1000)" in outcome["review"]["why"]
    first, second = outcome["attempts"]
    assert first["failure"]["cls"] == "nan_loss" and first["failure"]["classified_by"] == "llm"
    assert first["failure"]["reason"].startswith("a jam")
    assert first["fix"].startswith("learning_rate 0.1 -> 0.01")  # the nan_loss rule's fix, made because of the LLM's class
    assert second["failure"]["cls"] == "unknown"  # not asked: the budget was spent
    assert len(server.requests) == 1
    assert "<log>" in server.requests[0]["body"]["messages"][1]["content"]

    code, out, _ = cli("show", run["id"], "--json")
    assert json.loads(out)["llm"]["calls"] == 1

    code, out, _ = cli("resume", run["id"], "--llm-max-tokens", "100000", "--json")
    attempts = json.loads((home / run["id"] / "attempts.json").read_text())
    assert attempts[1]["failure"]["cls"] == "nan_loss" and attempts[1]["fix"]  # asked after all
    # from there on every failure with an attempt left was asked about, one call each: the budget no longer binds
    why = json.loads((home / run["id"] / "outcome.json").read_text())["review"]["why"]
    assert why == "the attempt budget (5) is used up" and len(attempts) == 5
    assert all(a["failure"]["classified_by"] == "llm" for a in attempts[:-1])
    assert len(server.requests) == 4
