"""The run folder: the one typed record of a run. Reads give the stage's model or None; a file that does not
validate is an input error naming it; writes are atomic; what the training code wrote is read bounded; runs are
created and forked in one place."""

import json
import os

import pytest

from ml_intern.errors import InputError
from ml_intern.paper import PaperSpec
from ml_intern.runfolder import RunFolder, RunOptions
from ml_intern.workspace import Workspace


def test_a_new_run_has_its_record_and_its_row_and_nothing_else_yet(tmp_path):
    ws = Workspace(tmp_path / "home")
    folder = ws.create_run("paper.pdf", "source/paper.pdf", RunOptions(scale="smoke"), "A title", "smoke")
    record = folder.record()
    assert (record.id, record.source, record.options.scale) == (folder.id, "paper.pdf", "smoke")
    assert ws.store.get_run(folder.id)["scale"] == "smoke" and ws.store.get_run(folder.id)["title"] == "A title"
    assert folder.spec() is None and folder.plan() is None and folder.project() is None and folder.outcome() is None
    assert folder.attempts() == [] and folder.results() == {} and folder.metrics_rows() == []


def test_a_fork_copies_the_parts_named_and_says_whose_fork_it_is(tmp_path):
    ws = Workspace(tmp_path / "home")
    base = ws.create_run("task.yaml", "source/task.yaml", RunOptions(overrides={"epochs": 2}), None, "small")
    (base.path / "source").mkdir()
    (base.path / "source" / "task.yaml").write_text("task: x\n")
    base.write("spec", PaperSpec(title="t"))
    options = base.record().options.model_copy(update={"overrides": {"epochs": 2, "learning_rate": 0.1}})
    fork = ws.fork_run(base, ("source", "spec", "plan"), None, options, sweep="sweep-1")
    assert fork.id != base.id and (fork.path / "source" / "task.yaml").read_text() == "task: x\n"
    assert fork.spec() == base.spec() and not fork.has("plan")  # (the base has none: nothing copied)
    record = fork.record()
    assert (record.source, record.source_copy, record.sweep, record.reproduces) == ("task.yaml", "source/task.yaml",
                                                                                    "sweep-1", None)
    assert record.options.overrides == {"epochs": 2, "learning_rate": 0.1}
    assert ws.store.get_run(fork.id)["status"] == "running"


def test_a_damaged_record_is_an_input_error_naming_the_file(tmp_path):
    folder = RunFolder(tmp_path)
    folder.file("spec").write_text("{not json")
    with pytest.raises(InputError, match="spec.json"):
        folder.spec()
    folder.file("attempts").write_text('[{"number": "one"}]')
    with pytest.raises(InputError, match="attempts.json"):
        folder.attempts()


def test_writes_are_atomic_and_leave_no_temporary_file(tmp_path):
    folder = RunFolder(tmp_path)
    folder.write("spec", PaperSpec(title="first"))
    folder.write("spec", PaperSpec(title="second"))
    assert folder.spec().title == "second" and sorted(p.name for p in tmp_path.iterdir()) == ["spec.json"]


def test_what_the_training_code_wrote_is_read_bounded(tmp_path):
    folder = RunFolder(tmp_path)
    outputs = folder.outputs()
    outputs.mkdir(parents=True)
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"metrics": {"test_accuracy": 1.0}}))
    os.symlink(secret, outputs / "results.json")  # the job may leave a link to anything: not followed
    (outputs / "run_info.json").write_text("[1, 2]")  # not an object: nothing
    (outputs / "metrics.jsonl").write_text('{"step": 1, "loss": 2.0}\nnot json\n[3]\n{"step": 2, "loss": 1.0}\n')
    assert folder.results() == {} and folder.run_info() == {}
    assert [r["step"] for r in folder.metrics_rows()] == [1, 2]
