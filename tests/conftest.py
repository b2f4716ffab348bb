import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PDF = ROOT / "examples" / "digits-cnn.pdf"
SAMPLE_TASK = ROOT / "examples" / "digits-task.yaml"


def pytest_configure(config):
    """Trackers log into a folder of this session, never the user's: trackio reads TRACKIO_DIR once, at import, so
    it is set before any test (and every subprocess inherits it). Under pytest-xdist each worker runs this."""
    import tempfile

    os.environ["TRACKIO_DIR"] = tempfile.mkdtemp(prefix="ml-intern-trackio-")
    # one worker per core (pytest-xdist, pyproject's addopts): a training run takes one thread, as the cores are
    # taken; OpenMP's threads spin-wait, and two per worker on two cores slow every run (a value given here stands)
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        # and a worker is given COLUMNS=80 and LINES=24, which a run in one process (no terminal) lacks: the CLI's
        # console reads its width from them once, at import, and a test's own COLUMNS would come too late
        for name in ("COLUMNS", "LINES"):
            os.environ.pop(name, None)


@pytest.fixture(autouse=True)
def alone_or_beside(request):
    """Under pytest-xdist, a test marked ``alone`` runs with no other beside it: it holds the run's lock file
    exclusively, every other test holds it shared (flock, released at the test's end). Test_ray's cluster, a CPU a
    node, stalled with another worker's training runs beside it."""
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) < 2:
        yield
        return
    import fcntl
    import tempfile

    # (the workers' parent is the run's controller: one lock file per run)
    path = Path(tempfile.gettempdir()) / f"ml-intern-tests-{os.getppid()}.lock"
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX if request.node.get_closest_marker("alone") else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def no_real_model_requests(monkeypatch):
    """No test reaches a real (paid) LLM: providers refuse, only ScriptedLLM answers."""
    monkeypatch.setattr("ml_intern.llm.ALLOW_MODEL_REQUESTS", False)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh ml-intern home (store and runs) for each test."""
    path = tmp_path / "home"
    monkeypatch.setenv("ML_INTERN_HOME", str(path))
    return path


@pytest.fixture
def cli(home, capsys):
    """Call the CLI in-process: returns (exit code, stdout, stderr)."""
    from ml_intern.cli import main

    def call(*argv: str):
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return call


def subprocess_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["ML_INTERN_HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    return env


ML_INTERN = [sys.executable, "-m", "ml_intern"]


def task_file(file: str, name: str):
    """A skeleton task file imported as a project holds it (sources.py beside it), under the module ``name``; a
    generator for a module-scoped fixture to yield from."""
    import importlib.util

    from ml_intern.codegen.task_contract import SKELETON, TASKS

    spec = importlib.util.spec_from_file_location(name, TASKS / file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(SKELETON))
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(SKELETON))
        sys.modules.pop(name, None)
