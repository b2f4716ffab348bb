"""The docker backend's container spec. No Docker engine runs here: the spec is what can be tested."""

import sys
from pathlib import Path

import pytest

from ml_intern.errors import InputError
from ml_intern.run.sandbox import Job, get_sandbox
from ml_intern.run.sandbox.docker import container_spec
from ml_intern.run.sandbox.env import scrubbed_env
from ml_intern.run.sandbox.limits import Limits


def _job(tmp_path: Path, **kw) -> Job:
    run_dir = tmp_path / "run"
    return Job(argv=[sys.executable, "train.py", "--config", "config.yaml"], cwd=run_dir / "project",
               env=scrubbed_env(run_dir), timeout_s=60, log_path=run_dir / "log", writable=[run_dir / "project"],
               readonly=[run_dir / "project" / ".git"], **kw)


def test_spec_isolates_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    spec = container_spec(_job(tmp_path, limits=Limits(memory_mb=4096, processes=128)))
    assert spec["network_mode"] == "none" and spec["read_only"] is True
    assert spec["command"] == ["python", "train.py", "--config", "config.yaml"]
    project = str(tmp_path / "run" / "project")
    assert spec["volumes"] == {project: {"bind": project, "mode": "rw"},
                               project + "/.git": {"bind": project + "/.git", "mode": "ro"}}
    assert spec["mem_limit"] == "4096m" and spec["pids_limit"] == 128
    assert "HF_TOKEN" not in spec["environment"] and "PATH" not in spec["environment"]
    assert spec["cap_drop"] == ["ALL"] and "device_requests" not in spec


def test_network_and_gpu_when_asked(tmp_path):
    pytest.importorskip("docker", reason="the Docker SDK (extra ml-intern[docker]) is not installed")
    spec = container_spec(_job(tmp_path, allow_network=True, limits=Limits(gpu=True)), image="my/image:1")
    assert spec["network_mode"] == "bridge" and spec["image"] == "my/image:1"
    (request,) = spec["device_requests"]
    assert request["Count"] == -1 and request["Capabilities"] == [["gpu"]]


def test_without_an_engine_the_error_says_so(tmp_path, monkeypatch):
    pytest.importorskip("docker", reason="the Docker SDK (extra ml-intern[docker]) is not installed")
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    with pytest.raises(InputError, match="no Docker engine reachable"):
        get_sandbox("docker").run(_job(tmp_path), lambda line: None, lambda: None)
