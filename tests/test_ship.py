"""A job copied to a node that does not share the run folder (``ship``), without Ray: the parcel unpacked in a
folder of its own, the job run there by bubblewrap at its own paths, and its changes applied back to the run
folder; changes the job could not have made (in .git, through a link, outside its folders) are refused."""

import io
import os
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

from ml_intern.errors import RunError
from ml_intern.run.sandbox import Job, ship


def _job(tmp_path: Path) -> Job:
    run = tmp_path / "run"
    project = run / "project"
    (project / ".git").mkdir(parents=True)
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (project / "outputs" / "checkpoints" / "step-10").mkdir(parents=True)
    (project / "outputs" / "checkpoints" / "step-10" / "state.pt").write_bytes(b"weights" * 100)
    (project / "outputs" / "stale.txt").write_text("from an earlier attempt\n")
    model = tmp_path / "models" / "tiny"
    model.mkdir(parents=True)
    (model / "config.json").write_text('{"hidden": 8}\n')
    (project / "config.yaml").write_text(f"model: {model}\nepochs: 1\n")
    (run / "home").mkdir()
    (run / "tmp").mkdir()
    (run / "tmp" / "scratch.bin").write_bytes(b"x" * 1000)
    return Job(argv=[sys.executable, "train.py"], cwd=project, env={"PATH": os.environ["PATH"]}, timeout_s=60,
               log_path=run / "logs" / "attempt-1.log", writable=[project, run / "home", run / "tmp"],
               readonly=[project / ".git", model])


TRAIN = """\
import pathlib, yaml
config = yaml.safe_load(open("config.yaml"))
hidden = open(pathlib.Path(config["model"]) / "config.json").read()  # an absolute path, as the config gives it
pathlib.Path("outputs/results.json").write_text(hidden)
pathlib.Path("outputs/stale.txt").unlink()
pathlib.Path("config.yaml").write_text("epochs: 2\\n")
print("trained", flush=True)
"""


def test_a_copied_job_runs_at_its_own_paths_and_its_changes_come_back(tmp_path):
    from ml_intern.run.sandbox.bwrap import BwrapSandbox

    if (why := BwrapSandbox.available()) is not None:
        pytest.skip(f"bubblewrap unavailable here: {why}")
    job = _job(tmp_path)
    project = job.cwd
    (project / "train.py").write_text(TRAIN)
    parcel = ship.pack(job)
    names = tarfile.open(fileobj=io.BytesIO(parcel.data)).getnames()
    assert any(n.endswith("step-10/state.pt") for n in names) and any(n.endswith("tiny/config.json") for n in names)
    assert not any(n.endswith("scratch.bin") for n in names), "the scratch folder travels empty"

    node_job = Job(**{**job.__dict__, "mounts": {}})  # the node's own copy of the job, as Ray gives it
    root, before = ship.unpack(parcel, node_job)
    assert node_job.host(project).startswith(str(root)) and node_job.log_path.is_relative_to(root)
    lines: list[str] = []
    result = BwrapSandbox().run(node_job, lines.append, lambda: None)
    assert result.exit_code == 0 and lines == ["trained"], node_job.log_path.read_text()
    assert not (project / "outputs" / "results.json").exists(), "the job wrote the copy, not the run folder"
    returned = ship.changes(node_job, before, root)
    assert not root.exists(), "the node's copy is removed"
    assert "trained" in returned.log

    ship.apply(returned, job)
    assert (project / "outputs" / "results.json").read_text() == '{"hidden": 8}\n'
    assert (project / "config.yaml").read_text() == "epochs: 2\n"
    assert not (project / "outputs" / "stale.txt").exists()
    assert (project / "outputs" / "checkpoints" / "step-10" / "state.pt").read_bytes() == b"weights" * 100
    changed = tarfile.open(fileobj=io.BytesIO(returned.data)).getnames()
    assert sorted(Path(n).name for n in changed) == ["config.yaml", "results.json"], "only the changes come back"


def _returned(files: dict[str, bytes], links: dict[str, str] | None = None, removed=()) -> ship.Returned:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name.lstrip("/"))
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name.lstrip("/"))
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
    return ship.Returned(data=buffer.getvalue(), removed=list(removed))


def test_changes_the_job_could_not_have_made_are_refused_and_none_is_made(tmp_path):
    job = _job(tmp_path)
    project = job.cwd
    outside = tmp_path / "victim.txt"
    outside.write_text("keep\n")
    (project / "outputs" / "escape").symlink_to(tmp_path)  # links the run folder has (made by an earlier attempt)
    (project / "outputs" / "results.json").symlink_to(outside)
    good = {f"{project}/outputs/new.txt": b"fine"}
    for bad in [_returned({**good, f"{project}/.git/HEAD": b"evil"}),  # the read-only .git
                _returned({**good, str(outside): b"evil"}),  # outside every folder the job may write
                _returned({**good, f"{project}/../../victim.txt": b"evil"}),
                _returned(good, links={f"{project}/outputs/link": str(outside)}),
                _returned({**good, f"{project}/outputs/escape/victim.txt": b"evil"}),  # through a link
                _returned({**good, f"{project}/outputs/results.json": b"evil"}),  # onto a link
                _returned(good, removed=[str(outside)]),
                _returned(good, removed=[f"{project}/outputs/escape/victim.txt"]),
                _returned({**good, f"{job.writable[2]}/x": b"scratch"})]:  # the scratch folder never comes back
        with pytest.raises(RunError, match="outside the files the job may write"):
            ship.apply(bad, job)
    assert outside.read_text() == "keep\n"
    assert (project / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert not (project / "outputs" / "link").exists()
    assert not (project / "outputs" / "new.txt").exists(), "a refused parcel makes no change at all"


def test_a_parcel_the_node_cannot_unpack_leaves_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "node-tmp"))
    (tmp_path / "node-tmp").mkdir()
    job = _job(tmp_path)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(str(job.cwd / "evil").lstrip("/"))
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
    with pytest.raises(RunError, match="could not be unpacked"):
        ship.unpack(ship.Parcel(data=buffer.getvalue(), folders=[str(job.cwd)]), job)
    assert not any((tmp_path / "node-tmp").iterdir())


def test_links_out_of_the_run_folder_are_left_out_of_the_copy(tmp_path):
    job = _job(tmp_path)
    (job.cwd / "outputs" / "out").symlink_to("/etc")
    (job.cwd / "outputs" / "latest").symlink_to("checkpoints/step-10")
    names = tarfile.open(fileobj=io.BytesIO(ship.pack(job).data)).getnames()
    assert any(n.endswith("outputs/latest") for n in names)
    assert not any(n.endswith("outputs/out") for n in names)


def test_a_node_whose_sandbox_cannot_show_a_copy_is_refused_before_the_copy():
    from ml_intern.errors import InputError
    from ml_intern.run.sandbox.process import ProcessSandbox

    with pytest.raises(InputError, match=r"its sandbox \(process\) cannot show a copy") as refused:
        ship.check_copy_sandbox(ProcessSandbox())
    assert "bubblewrap" in refused.value.fix
