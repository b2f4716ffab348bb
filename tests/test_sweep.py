"""`ml-intern sweep`: one run per combination, re-planned from a run's spec with the combination as overrides, run
in turn, compared in one table; kept on disk so that running it again goes on instead of starting over."""

import json
from pathlib import Path

import pytest

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


def test_runs_side_by_side_each_in_a_process_of_its_own(cli, home, base):
    import os

    code, out, err = cli("sweep", base, "--param", "learning_rate=0.01,0.001", "--parallel", "2", "--json")
    rows = json.loads(out)["runs"]
    assert code == 0 and [r["status"] for r in rows] == ["succeeded", "succeeded"], err
    code, out, _ = cli("runs", "--json")
    pids = {r["id"]: r["pid"] for r in json.loads(out)}
    assert len({pids[r["run"]] for r in rows} | {os.getpid()}) == 3  # two processes, neither this one
    code, _, err = cli("sweep", base, "--param", "learning_rate=0.1", "--parallel", "0")
    assert code == 2 and "--parallel must be at least 1" in err
