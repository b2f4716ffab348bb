"""The docker backend's container spec and image key, without an engine (tests/test_docker.py runs them on one)."""

import sys
from pathlib import Path

import pytest

from ml_intern.errors import InputError
from ml_intern.run.sandbox import Job, get_sandbox
from ml_intern.run.sandbox.docker import container_spec
from ml_intern.run.sandbox.env import scrubbed_env
from ml_intern.run.sandbox.image import image_key, pip_failure
from ml_intern.run.sandbox.limits import Limits

pytest.importorskip("docker", reason="the Docker SDK (extra ml-intern[docker]) is not installed")


def _job(tmp_path: Path, **kw) -> Job:
    run_dir = tmp_path / "run"
    (run_dir / "project" / ".git").mkdir(parents=True)
    return Job(argv=[sys.executable, "train.py", "--config", "config.yaml"], cwd=run_dir / "project",
               env=scrubbed_env(run_dir), timeout_s=60, log_path=run_dir / "log", writable=[run_dir / "project"],
               readonly=[run_dir / "project" / ".git"], **kw)


def test_spec_isolates_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    spec = container_spec(_job(tmp_path, limits=Limits(memory_mb=4096, processes=128, cpu_seconds=100,
                                                       file_size_mb=10)), "img", "65534:65534")
    assert spec["network_mode"] == "none" and spec["read_only"] is True and spec["user"] == "65534:65534"
    assert spec["command"][:2] == ["python", "-c"]  # the guard, then the job with the image's python
    assert spec["command"][3:] == ["python", "train.py", "--config", "config.yaml"]
    project = str(tmp_path / "run" / "project")
    assert spec["volumes"] == {project: {"bind": project, "mode": "rw"},
                               project + "/.git": {"bind": project + "/.git", "mode": "ro"}}
    assert spec["mem_limit"] == "4096m" and spec["pids_limit"] == 128
    limits = {u["Name"]: (u["Soft"], u["Hard"]) for u in spec["ulimits"]}
    assert limits == {"data": (4096 * 2**20,) * 2, "cpu": (100, 105), "fsize": (10 * 2**20,) * 2}
    assert "HF_TOKEN" not in spec["environment"] and "PATH" not in spec["environment"]
    assert spec["cap_drop"] == ["ALL"] and "device_requests" not in spec and spec["auto_remove"] is True
    assert spec["stdin_open"] is True and spec["detach"] is False  # the guard's lifeline (StdinOnce)


def test_network_and_gpu_when_asked(tmp_path):
    spec = container_spec(_job(tmp_path, allow_network=True, limits=Limits(gpu=True)), "my/image:1")
    assert spec["network_mode"] == "bridge" and spec["image"] == "my/image:1"
    (request,) = spec["device_requests"]
    assert request["Count"] == -1 and request["Capabilities"] == [["gpu"]]
    assert "data" not in {u["Name"] for u in spec["ulimits"]}  # CUDA maps large ranges: the cgroup limit only


def test_the_image_key_follows_base_requirements_and_wheels(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / "numpy-2.0-py3-none-any.whl").write_bytes(b"x")
    key = image_key("sha256:base", "numpy==2.0\n", wheels, None)
    assert key == image_key("sha256:base", "numpy==2.0\n", wheels, None)
    assert key != image_key("sha256:other", "numpy==2.0\n", wheels, None)
    assert key != image_key("sha256:base", "numpy==2.1\n", wheels, None)
    assert key != image_key("sha256:base", "numpy==2.0\n", None, "http://index.local/simple")
    (wheels / "numpy-2.0-py3-none-any.whl").write_bytes(b"xy")  # a rebuilt wheel
    assert key != image_key("sha256:base", "numpy==2.0\n", wheels, None)


def test_pip_failures_name_the_requirement():
    assert pip_failure("ERROR: Could not find a version that satisfies the requirement foo==9 (from versions: none)\n"
                       "ERROR: No matching distribution found for foo==9\n") == "foo==9"
    assert pip_failure("ERROR: Cannot install a==1 and b==2 because these package versions have conflicting "
                       "dependencies.\n") == "a==1 and b==2"
    assert pip_failure("  error: subprocess-exited-with-error\nERROR: Failed to build seqeval\n") == "seqeval"


def test_without_an_engine_the_error_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    with pytest.raises(InputError, match="no Docker engine reachable"):
        get_sandbox("docker").run(_job(tmp_path), lambda line: None, lambda: None)
