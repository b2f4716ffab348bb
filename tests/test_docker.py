"""The docker backend against a real Docker engine: the project's image (built once, reused, a failed build named),
live output, the container's user, its removal after the attempt and on Ctrl-C or kill, the GPU error path, and
`--sandbox docker` end to end with a repair. The escape attempts are in test_security.py, run under each backend.

Skipped, with the reason, where no engine answers (`.ci/run` installs and starts one). No registry is needed: the
base image is made locally (tests/docker_engine.py) and the packages come from a local wheel folder.
"""

import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path

import pytest

from conftest import SAMPLE_PDF, subprocess_env
from docker_engine import base_image, bridge_gateway, containers, wheels_for
from ml_intern.errors import InputError
from ml_intern.run.sandbox import Job, get_sandbox
from ml_intern.run.sandbox.env import scrubbed_env
from ml_intern.run.sandbox.image import ImageBuildError, image_key
from ml_intern.run.sandbox.limits import Limits

# (it removes a project image to see it built again, which test_security's docker runs may be using)
pytestmark = pytest.mark.alone


@pytest.fixture
def base(monkeypatch):
    tag = base_image()  # skips, saying why, without an engine or a base
    monkeypatch.setenv("ML_INTERN_DOCKER_BASE", tag)
    return tag


def _job(run_dir: Path, code: str, timeout: float = 120, **limits) -> Job:
    project = run_dir / "project"
    project.mkdir(parents=True, exist_ok=True)
    return Job(argv=[sys.executable, "-c", code], cwd=project, env=scrubbed_env(run_dir), timeout_s=timeout,
               log_path=run_dir / "logs" / "attempt-1.log", writable=[project, run_dir / "home", run_dir / "tmp"],
               limits=Limits(**limits))


def _ours(project: Path) -> list:
    """The attempt containers whose job ran in ``project`` (still there, in any state)."""
    return [c for c in containers("attempt") if c.attrs["Config"]["WorkingDir"] == str(project)]


def test_output_streams_live_with_the_exit_status_and_not_as_root(base, tmp_path):
    stamps = []
    code = ("import os, time\nprint('uid', os.getuid(), 'gid', os.getgid(), flush=True)\n"
            "for i in range(3):\n    print(i, flush=True); time.sleep(0.5)\nopen('made.txt', 'w').write('x')\n"
            "raise SystemExit(3)")
    job = _job(tmp_path / "run", code)
    result = get_sandbox("docker").run(job, lambda line: stamps.append((line, time.monotonic())), lambda: None)
    assert result.exit_code == 3 and not result.timed_out
    lines = [s[0] for s in stamps]
    uid = int(lines[0].split()[1])
    assert uid != 0, "the training process runs as root inside the container"
    assert lines[1:] == ["0", "1", "2"]
    assert stamps[3][1] - stamps[1][1] > 0.8  # lines arrived as printed, not all at the end
    assert (tmp_path / "run" / "project" / "made.txt").read_text() == "x"  # the run folder is writable
    assert "uid" in job.log_path.read_text()
    assert job.enforced == {"memory": True, "processes": True, "cpu_time": False, "file_size": True}
    assert not _ours(job.cwd), "the container outlived the attempt"


def test_a_killed_job_reports_the_signal_and_a_timeout_removes_the_container(base, tmp_path):
    job = _job(tmp_path / "a", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    assert get_sandbox("docker").run(job, lambda line: None, lambda: None).exit_code == -9
    job = _job(tmp_path / "b", "import time\nprint('up', flush=True)\ntime.sleep(600)", timeout=3)
    started = time.monotonic()
    result = get_sandbox("docker").run(job, lambda line: None, lambda: None)
    assert result.timed_out and time.monotonic() - started < 30
    assert "timeout after 3 s" in job.log_path.read_text()
    assert not _ours(job.cwd)


DRIVER = """
import sys
from pathlib import Path
from ml_intern.run.sandbox import Job
from ml_intern.run.sandbox.docker import DockerSandbox
from ml_intern.run.sandbox.env import scrubbed_env
run = Path(sys.argv[1])
project = run / "project"
project.mkdir(parents=True)
job = Job(argv=["python", "-c", "import time\\nprint('RUNNING', flush=True)\\ntime.sleep(600)"], cwd=project,
          env=scrubbed_env(run), timeout_s=600, log_path=run / "log.txt", writable=[project, run / "home", run / "tmp"])
DockerSandbox().run(job, lambda line: print(line, flush=True), lambda: None)
"""


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["ctrl-c", "term", "kill"])
def test_the_container_goes_when_ml_intern_is_stopped(base, tmp_path, how):
    """Ctrl-C (and the CLI's SIGTERM, turned into the same interrupt) kill and remove it; after a SIGKILL, which
    ml-intern cannot handle, the container's guard sees its stdin close and ends it, and it removes itself."""
    run = tmp_path / "run"
    env = subprocess_env(tmp_path / "home")
    prelude = "import signal\nsignal.signal(signal.SIGTERM, signal.default_int_handler)\n" if how == signal.SIGTERM else ""
    # (SIGINT as a terminal delivers it: a suite started in the background inherits it ignored, and Python then
    # installs no KeyboardInterrupt handler)
    proc = subprocess.Popen([sys.executable, "-c", prelude + DRIVER, str(run)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for line in proc.stdout:
        if line.strip() == "RUNNING":
            break
    else:
        pytest.fail(f"the job did not start: {proc.wait()}")
    assert len(_ours(run / "project")) == 1
    proc.send_signal(how)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _ours(run / "project") and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _ours(run / "project"), "the container outlived ml-intern"


def _numpy_requirements() -> str:
    return f"numpy=={metadata.version('numpy')}\n"


def test_the_projects_image_is_built_once_then_reused(base, tmp_path, monkeypatch):
    import docker

    wheels = wheels_for(_numpy_requirements())
    monkeypatch.setenv("ML_INTERN_DOCKER_WHEELS", str(wheels))
    client = docker.from_env()
    key = image_key(client.images.get(base).id, _numpy_requirements(), wheels, None)
    try:  # made by an earlier session: gone, so that this one builds it
        client.images.remove(f"ml-intern/project:{key[:16]}")
    except docker.errors.ImageNotFound:
        pass
    seen, notes = [], []
    for attempt in ("a", "b"):
        job = _job(tmp_path / attempt, "import numpy\nprint('numpy', numpy.__version__)")
        (job.cwd / "requirements.txt").write_text(_numpy_requirements())
        lines: list[str] = []
        sandbox = get_sandbox("docker")
        sandbox.notify = notes.append  # what the terminal shows whatever the verbosity
        result = sandbox.run(job, lines.append, lambda: None)
        assert result.exit_code == 0, lines
        assert f"numpy {metadata.version('numpy')}" in lines
        seen.append(lines)
    assert notes[-1].startswith("image ml-intern/project:") and notes[-1].endswith("reused (same base and requirements)")
    assert any(line.startswith("[ml-intern] building image ml-intern/project:" + key[:16]) for line in seen[0])
    assert any(line.startswith("[docker build] ") and "numpy" in line for line in seen[0])  # pip's own output, live
    assert any("reused (same base and requirements)" in line for line in seen[1])
    assert not any("building image" in line for line in seen[1])
    log = tmp_path / "a" / "logs" / f"docker-build-{key[:16]}.log"
    assert "Successfully installed numpy" in log.read_text()
    assert any(n.startswith("building image") and str(log) in n for n in notes)
    assert any(n.startswith("image ml-intern/project:") and " built in " in n for n in notes)


def test_packages_from_a_package_index(base, tmp_path, monkeypatch):
    """ML_INTERN_DOCKER_INDEX: a mirror on the local network (here a PEP 503 simple index served by the test on
    this machine's bridge address, standing in for the user's mirror); the install then has the network."""
    import docker

    wheel = next(wheels_for(_numpy_requirements()).glob("numpy-*.whl"))
    (tmp_path / "simple" / "numpy").mkdir(parents=True)
    shutil.copy(wheel, tmp_path / "simple" / "numpy")
    (tmp_path / "simple" / "numpy" / "index.html").write_text(f'<a href="{wheel.name}">{wheel.name}</a>\n')
    server = ThreadingHTTPServer((bridge_gateway(), 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    index = f"http://{bridge_gateway()}:{server.server_address[1]}/simple"
    monkeypatch.setenv("ML_INTERN_DOCKER_INDEX", index)
    monkeypatch.delenv("ML_INTERN_DOCKER_WHEELS", raising=False)
    job = _job(tmp_path / "run", "import numpy\nprint('numpy', numpy.__version__)")
    (job.cwd / "requirements.txt").write_text(_numpy_requirements())
    lines: list[str] = []
    try:
        result = get_sandbox("docker").run(job, lines.append, lambda: None)
    finally:
        server.shutdown()
    assert result.exit_code == 0, lines
    assert f"numpy {metadata.version('numpy')}" in lines
    assert any(f"index {index}" in line for line in lines if "building image" in line)
    key = image_key(docker.from_env().images.get(base).id, _numpy_requirements(), None, index)
    docker.from_env().images.remove(f"ml-intern/project:{key[:16]}")  # (the index's port differs each time)


def test_a_requirement_that_does_not_install_is_named(base, tmp_path, monkeypatch):
    monkeypatch.setenv("ML_INTERN_DOCKER_WHEELS", str(wheels_for(_numpy_requirements())))
    job = _job(tmp_path / "run", "print('never')")
    (job.cwd / "requirements.txt").write_text(_numpy_requirements() + "ml-intern-no-such-package==1.0\n")
    with pytest.raises(ImageBuildError, match=r"pip cannot install ml-intern-no-such-package==1\.0") as raised:
        get_sandbox("docker").run(job, lambda line: None, lambda: None)
    assert "ML_INTERN_DOCKER_WHEELS" in raised.value.fix and "requirements.txt" in raised.value.message()
    assert not containers("build"), "the build container was left behind"


def test_a_base_image_that_cannot_be_had_is_a_typed_error(base, tmp_path, monkeypatch):
    monkeypatch.setenv("ML_INTERN_DOCKER_BASE", "localhost:1/ml-intern/no-such-base:1")  # a registry that is not there
    with pytest.raises(ImageBuildError, match="is not on this Docker engine and cannot be pulled") as raised:
        get_sandbox("docker").run(_job(tmp_path / "run", "print(1)"), lambda line: None, lambda: None)
    assert "ML_INTERN_DOCKER_BASE" in raised.value.fix


def test_a_gpu_run_without_the_nvidia_toolkit_says_how_to_get_it(base, tmp_path):
    import docker

    if "nvidia" in (docker.from_env().info().get("Runtimes") or {}):
        pytest.skip("this engine has the NVIDIA runtime: the error path cannot be shown here")
    job = _job(tmp_path / "run", "print('never')", gpu=True)
    with pytest.raises(InputError, match="NVIDIA Container Toolkit") as raised:
        get_sandbox("docker").run(job, lambda line: None, lambda: None)
    assert "nvidia-ctk runtime configure --runtime=docker" in raised.value.fix
    assert not _ours(job.cwd)


@pytest.mark.e2e
def test_run_the_sample_paper_in_a_container(cli, home, base, monkeypatch):
    from ml_intern.plan.recipes import recipe_for
    from ml_intern.registry import get_dataset

    recipe = recipe_for("image-classification", get_dataset("digits"), "cnn")  # the sample paper's recipe
    names = [re.split(r"[<>=!~\[ ;]", r)[0] for r in recipe.requirements]
    monkeypatch.setenv("ML_INTERN_DOCKER_WHEELS", str(wheels_for("".join(f"{n}=={metadata.version(n)}\n" for n in names))))
    code, out, err = cli("run", SAMPLE_PDF, "--scale", "smoke", "--sandbox", "docker", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["status"] == "succeeded"
    run_dir = Path(summary["run_dir"])
    attempts = json.loads((run_dir / "attempts.json").read_text())
    assert [(a["kind"], a["status"], a["sandbox"]) for a in attempts] == [("smoke", "succeeded", "docker"),
                                                                           ("full", "succeeded", "docker")]
    assert all(a["limits_enforced"]["processes"] and a["limits_enforced"]["memory"] for a in attempts)
    results = json.loads((run_dir / "project/outputs/results.json").read_text())
    assert results["metrics"]["test_accuracy"] > 0.5
    assert "[ml-intern] image ml-intern/project:" in (run_dir / "logs/attempt-2.log").read_text()


@pytest.mark.e2e
def test_the_repair_loop_fixes_a_fault_inside_a_container(cli, home, base, tmp_path, monkeypatch):
    monkeypatch.setenv("ML_INTERN_DOCKER_WHEELS", str(wheels_for(_numpy_requirements())))
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "train.py").write_text("import json\n\nprint(json.dumps({'sum': float(np.arange(4).sum())}))\n")
    (folder / "requirements.txt").write_text(_numpy_requirements())
    code, out, err = cli("exec", folder, "--sandbox", "docker", "--json")
    assert code == 0, err
    run = json.loads(out)
    assert run["status"] == "succeeded"
    first, second = json.loads((home / run["id"] / "outcome.json").read_text())["attempts"]
    assert first["sandbox"] == second["sandbox"] == "docker"
    assert first["failure"]["cls"] == "missing_name" and "+import numpy as np" in first["fix_diff"]
    assert second["status"] == "succeeded"
    assert '{"sum": 6.0}' in (home / run["id"] / second["log"]).read_text()
    assert not [c for c in containers("attempt") if str(home) in c.attrs["Config"]["WorkingDir"]]
