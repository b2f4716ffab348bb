"""`ml-intern bench`: tasks are normal runs; the table has first-attempt success, success after repair, attempts,
time and LLM cost; a task that errors is a failure with its reason and the benchmark goes on."""

import json
from pathlib import Path

import pytest

from ml_intern.bench.suite import CLASSIC, BenchTask, run_bench
from ml_intern.workspace import Workspace

pytestmark = pytest.mark.e2e


def test_the_classic_suite_covers_every_recipe_family_with_faults():
    from ml_intern.plan.recipes import RECIPES

    assert len(CLASSIC) >= 12
    assert {t.family for t in CLASSIC} == set(RECIPES)
    assert sum(1 for t in CLASSIC if t.fault) >= 4
    assert all(t.paper_task for t in CLASSIC if not t.fault and t.family != "tabular")


def test_bench_reports_first_attempt_and_after_repair(cli, home, tmp_path):
    code, out, err = cli("bench", "--scale", "smoke", "--tasks", "wine-mlp,wine-lr-diverges", "--out",
                         tmp_path / "bench", "--json")
    assert code == 0, err
    report = json.loads(out)
    rows = {r["task"]: r for r in report["tasks"]}
    assert rows["wine-mlp"]["first_attempt"] == 1 and rows["wine-mlp"]["attempts"] == 2
    fault = rows["wine-lr-diverges"]
    assert fault["first_attempt"] == 0 and fault["success"] == 1 and fault["attempts"] > 2  # repaired, not lucky
    assert report["totals"]["success"] == 1 and report["totals"]["llm_cost_usd"] == 0
    # every task is a normal run, in the store, with its report
    for r in report["results"]:
        assert (home / r["run_id"] / "report.html").exists()
    code, listed, _ = cli("runs", "--json")
    assert {r["id"] for r in json.loads(listed)} == {r["run_id"] for r in report["results"]}
    html = (tmp_path / "bench" / "bench.html").read_text()
    assert "wine-lr-diverges" in html and 'id="chart"' in html and "data:image/png;base64," in html


def test_a_task_that_errors_is_a_failure_with_its_reason(home, tmp_path):
    broken = BenchTask("no-such-data", "tabular", """
        title: a table that is not there
        task: tabular-classification
        dataset: csv:/nonexistent/table.csv
        """, ("accuracy", ">=", 0.5))
    good = next(t for t in CLASSIC if t.name == "wine-mlp")
    report = run_bench([broken, good], "smoke", [0], Workspace(home), tmp_path / "work")
    failed, passed = report.results
    assert not failed.success and "no such data file" in failed.reason
    assert passed.success  # the benchmark went on
    assert report.totals["failed"] == ["no-such-data"] and report.totals["success"] == 0.5


def test_unknown_task_and_bad_seeds_are_input_errors(cli):
    code, _, err = cli("bench", "--tasks", "nope")
    assert code == 2 and "unknown task(s) nope" in err
    code, _, err = cli("bench", "--seeds", "a,b")
    assert code == 2 and "--seeds" in err


def test_criteria_come_from_the_task_not_from_a_run():
    from ml_intern.bench.criteria import Criterion, chance, majority, mean_rmse, published
    from ml_intern.bench.suite import judged

    digits = Criterion("accuracy", ">=", majority("load_digits"), 0.85)
    assert judged(digits)[:3] == ("accuracy", ">=", 183 / 1797 + 0.85)  # 183 of the 1,797 digits are the commonest
    assert judged(digits)[3] == "majority class of load_digits 0.1018 + 0.85"
    assert judged(Criterion("accuracy", ">=", chance(4), 0.1))[2] == 0.35
    rmse = judged(Criterion("rmse", "<=", mean_rmse("load_diabetes"), 0.85))
    assert 65 < rmse[2] < 66 and rmse[3].startswith("RMSE of the mean of load_diabetes 77")
    assert judged(published("bleu", ">=", 20.0)) == ("bleu", ">=", 20.0, "the published figure")
    assert judged(("accuracy", ">=", 0.5)) == ("accuracy", ">=", 0.5, "")  # a fixed bar, as a user may give
    for task in CLASSIC:  # every task of the suite judged from its task, at every scale it has
        for criterion in (task.criterion, task.smoke_criterion, task.paper_criterion):
            assert criterion is None or isinstance(criterion, Criterion), task.name
        assert not task.fault or task.expected, f"{task.name}: a fault names the class it must fail with first"


def test_a_fault_that_does_not_fail_first_is_no_success(home, tmp_path):
    """A faulty task whose fault never showed (here: none was put in) is not counted as repaired."""
    wine = next(t for t in CLASSIC if t.name == "wine-mlp")
    unbroken = BenchTask("wine-not-broken", "tabular", wine.task, wine.criterion, fault="none, by mistake",
                         expected="nan_loss", smoke_criterion=wine.smoke_criterion)
    report = run_bench([unbroken], "smoke", [0], Workspace(home), tmp_path / "work")
    result = report.results[0]
    assert result.status == "succeeded" and not result.success
    assert result.reason == "the fault did not fail first as nan_loss: no attempt failed"
