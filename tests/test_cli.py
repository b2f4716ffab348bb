"""The CLI: exit codes, one-line typed errors, no run left running, and each stage usable alone."""

import json

import pytest
import yaml

from conftest import SAMPLE_PDF, SAMPLE_TASK


def _no_runs(cli):
    code, out, _ = cli("runs", "--json")
    return code == 0 and json.loads(out) == []


@pytest.mark.parametrize("content, problem", [
    (None, "no such file"),
    (b"", "the file is empty"),
    (b"<html>not a paper</html>", "not a PDF"),
    (b"%PDF-1.4\n%garbage that is not a pdf body", "corrupt or unreadable PDF"),
])
def test_bad_input_exits_2_with_one_line_and_no_run(cli, tmp_path, content, problem):
    path = tmp_path / "paper.pdf"
    if content is not None:
        path.write_bytes(content)
    code, out, err = cli("run", path)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert str(path) in lines[0] and problem in lines[0]
    assert "Traceback" not in err and out == ""
    assert _no_runs(cli)


def test_pdf_without_text_layer(cli, tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "scan.pdf"
    writer.write(path)
    code, _, err = cli("run", path)
    assert code == 2 and "no text layer" in err and "OCR" in err
    assert _no_runs(cli)


def test_an_input_error_after_the_run_exists_marks_it_failed(cli, tmp_path):
    task = tmp_path / "images-of-text.yaml"  # image classification asked, a text data set given
    task.write_text("task: image-classification\ndataset: sst2\n")
    code, _, err = cli("run", task)
    assert code == 2 and "sst2 is text-classification data" in err and "Traceback" not in err
    code, out, _ = cli("runs", "--json")
    runs = json.loads(out)
    assert len(runs) == 1 and runs[0]["status"] == "failed" and "sst2" in runs[0]["error"]
    code, out, _ = cli("show", runs[0]["id"], "--json")
    stages = {s["name"]: s["status"] for s in json.loads(out)["stages"]}
    assert stages == {"read": "succeeded", "plan": "failed"}


@pytest.mark.parametrize("argv, code", [([], 2), (["run"], 2), (["run", "x.pdf", "--scale", "huge"], 2),
                                        (["--help"], 0), (["--version"], 0), (["show", "nope"], 2),
                                        (["run", str(SAMPLE_PDF), "--set", "nokey"], 2)])
def test_usage_exit_codes(cli, argv, code):
    assert cli(*argv)[0] == code


def test_read_plan_build_each_alone(cli, tmp_path):
    code, out, _ = cli("read", SAMPLE_PDF, "--out", tmp_path / "r", "--json")
    assert code == 0 and json.loads(out)["task_type"]["value"] == "image-classification"
    assert (tmp_path / "r" / "spec.json").exists() and (tmp_path / "r" / "paper.json").exists()

    code, out, _ = cli("plan", tmp_path / "r" / "spec.json", "--set", "epochs=2", "--out", tmp_path / "plan.json")
    assert code == 0 and "learning_rate" in out and "paper" in out
    assert json.loads((tmp_path / "plan.json").read_text())["hyperparameters"]["epochs"]["value"] == 2

    code, out, _ = cli("build", tmp_path / "plan.json", "--out", tmp_path / "proj")
    assert code == 0 and "python train.py --config config.yaml" in out
    assert yaml.safe_load((tmp_path / "proj" / "config.yaml").read_text())["epochs"] == 2


def test_read_shows_a_model_the_paper_fine_tunes_that_the_registry_lacks_and_a_rate_per_batch(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")
    code, out, _ = cli("read", "We fine-tune LLaMA-7B with LoRA on OASST1 for 3 epochs with a base learning rate of "
                               "1e-4 × batch size / 256.")
    assert code == 0 and "model named (not in the registry)" in out and "LLaMA-7B" in out
    assert "0.0001 (× batch size / 256)" in out


def test_plan_accepts_a_source_directly(cli):
    code, out, _ = cli("plan", SAMPLE_TASK, "--json")
    plan = json.loads(out)
    assert code == 0 and plan["hyperparameters"]["learning_rate"]["origin"] == "paper"
    assert plan["hyperparameters"]["learning_rate"]["source"]["quote"] == "learning_rate: 0.001"


def test_read_of_a_bad_spec_file_for_plan(cli, tmp_path):
    bad = tmp_path / "spec.json"
    bad.write_text("{\"hyperparameters\": 3}")
    code, _, err = cli("plan", bad)
    assert code == 2 and "not a valid PaperSpec" in err


@pytest.mark.e2e
def test_exec_and_report_on_a_built_project(cli, tmp_path):
    cli("plan", SAMPLE_PDF, "--scale", "smoke", "--out", tmp_path / "plan.json")
    cli("build", tmp_path / "plan.json", "--out", tmp_path / "proj")
    code, out, err = cli("exec", tmp_path / "proj", "--json")
    assert code == 0, err
    run = json.loads(out)
    assert run["status"] == "succeeded"
    assert [a["kind"] for a in run["attempts"]] == ["smoke", "full"]
    code, out, _ = cli("report", run["id"], "--json")
    assert code == 0 and json.loads(out)["report"].endswith("report.html")


def test_an_internal_error_is_one_line_not_a_traceback(cli, monkeypatch):
    def broken(paper):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr("ml_intern.paper.extract_spec", broken)
    monkeypatch.delenv("ML_INTERN_DEBUG", raising=False)
    code, _, err = cli("read", SAMPLE_PDF)
    assert code == 1 and "internal error: RuntimeError: extractor bug" in err and "Traceback" not in err


@pytest.mark.parametrize("argv, problem", [
    (["run", "x" * 300 + " and more words"], "cannot tell the task type"),  # a valid path? no: a long prompt
    (["run", "word " * 600], "a task prompt is one or a few sentences"),
    (["run", str(SAMPLE_PDF), "--max-attempts", "0"], "--max-attempts"),
    (["run", str(SAMPLE_PDF), "--set", "epochs=[1,"], "not valid YAML"),
])
def test_more_bad_input_is_typed(cli, argv, problem):
    code, _, err = cli(*argv)
    assert code == 2 and problem in err and "internal error" not in err


def test_an_error_naming_an_extra_prints_its_brackets(cli, tmp_path, monkeypatch):
    """Error text is never read as Rich markup: `ml-intern[local]` is what to type, brackets and all."""
    monkeypatch.setitem(__import__("sys").modules, "llama_cpp", None)  # (llama-cpp-python not installed)
    (tmp_path / "train.py").write_text("print('hello')\n")
    code, _, err = cli("exec", tmp_path / "train.py", "--llm", "local:smollm2")
    assert code == 2 and "pip install 'ml-intern[local]'" in err, err
    assert _no_runs(cli)


def _indexed(home, run_id: str, source: str, scale: str, value: float | None = None):
    """A run as the store indexes it (what `runs` and `show` list), without training one."""
    from ml_intern.track.store import Store

    store = Store(home / "store.sqlite")
    store.create_run(run_id, source, str(home / run_id), None, scale)
    summary = {"status": "succeeded", "summary": "succeeded on attempt 2", "attempts": 2, "metric": "test_accuracy",
               "value": value, "metrics": {"test_accuracy": value}}
    store.set_run_status(run_id, "succeeded", summary=summary)
    store.close()


def test_runs_and_show_list_the_scale_so_a_smoke_run_is_not_taken_for_a_result(cli, home):
    _indexed(home, "20260101-000000-aaaa", "digits.yaml", "smoke", 0.1)
    _indexed(home, "20260101-000001-bbbb", "digits.yaml", "small", 0.97)
    code, out, _ = cli("runs")
    assert code == 0
    # (the table folds long cells onto a second line: each row's first line holds the status and the scale)
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines() if line.startswith("│ 2026")]
    assert sorted(r[1:3] for r in rows) == [["succeeded", "small"], ["succeeded", "smoke"]], out
    code, out, _ = cli("runs", "--scale", "smoke", "--json")
    assert code == 0 and [(r["id"], r["scale"]) for r in json.loads(out)] == [("20260101-000000-aaaa", "smoke")]
    code, out, _ = cli("runs", "--status", "failed", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = cli("show", "20260101-000000")
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines() if line.startswith("│")]
    assert code == 0 and ["scale", "smoke"] in cells and ["status", "succeeded"] in cells, out


def test_text_from_papers_and_users_is_printed_as_written(cli, home):
    title = "[bold]Attention[/bold] [red]is all[/] you need.pdf"
    _indexed(home, "20260101-000000-cccc", title, "small")
    code, out, _ = cli("show", "20260101-000000-cccc")
    assert code == 0 and title in out, out
