"""Hostile input around the sandbox: the process backend against a job that reads other processes' environments,
input files that are bombs, devices, pipes, typos or console markup, two resumes of one run at once, and the pids
cgroups a job leaves. Every case is real (real processes, files, SQLite, cgroups) with a positive control."""

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ML_INTERN, SAMPLE_TASK, subprocess_env
from ml_intern.errors import InputError
from ml_intern.run.sandbox import Job
from ml_intern.run.sandbox.env import scrubbed_env, secret_names
from ml_intern.run.sandbox.limits import PREFIX, PidsCgroup, _pids_root
from ml_intern.run.sandbox.process import ProcessSandbox, job_can_trace
from ml_intern.track.store import Store

HONEY = "hf_honeytoken_5150"

# What a hostile job runs: its parent's environment and every ancestor's, up to init.
READER = textwrap.dedent("""
    import os
    pid = os.getppid()
    while pid > 0:
        try:
            env = open(f'/proc/{pid}/environ', 'rb').read().decode(errors='replace').replace('\\0', ' ')
            print(pid, 'read', env)
        except OSError as e:
            print(pid, 'denied', type(e).__name__)
        try:
            pid = int([l for l in open(f'/proc/{pid}/status') if l.startswith('PPid:')][0].split()[1])
        except OSError:
            break
""")

# ml-intern's side, in a process of its own: a control (a plain child reads its parent's environment), then the
# same reader as a job of the process backend; prints what each saw, or the refusal.
DRIVER = textwrap.dedent("""
    import json, subprocess, sys
    from pathlib import Path
    from ml_intern.errors import InputError
    from ml_intern.run.sandbox import Job
    from ml_intern.run.sandbox.env import scrubbed_env
    from ml_intern.run.sandbox.process import ProcessSandbox
    reader, run = Path(sys.argv[1]).read_text(), Path(sys.argv[2])
    control = subprocess.run([sys.executable, '-c', reader], capture_output=True, text=True).stdout
    job = Job(argv=[sys.executable, '-c', reader], cwd=run, env=scrubbed_env(run), timeout_s=60,
              log_path=run / 'log.txt')
    lines = []
    try:
        result = ProcessSandbox().run(job, lines.append, lambda: None)
        print(json.dumps({'control': control, 'job': '\\n'.join(lines), 'exit': result.exit_code}))
    except InputError as e:
        print(json.dumps({'control': control, 'refused': e.message()}))
""")


@pytest.fixture
def shared_dir():
    """A folder another user can use (pytest's tmp_path is private to its user)."""
    path = Path(tempfile.mkdtemp(prefix="ml-intern-hostile-"))
    path.chmod(0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _drive(folder: Path, wrapper: list[str], env: dict) -> dict:
    """Run DRIVER as a normal user (as the process backend is meant to be used; root is refused, tested below)."""
    (folder / "reader.py").write_text(READER)
    (folder / "driver.py").write_text(DRIVER)
    run = folder / "run"
    run.mkdir()
    run.chmod(0o777)
    python, as_user = sys.executable, []
    if os.geteuid() == 0:
        python = next((p for p in ("/usr/bin/python3.11", "/usr/bin/python3", "/usr/local/bin/python3")
                       if os.access(p, os.X_OK)), None)
        if not shutil.which("setpriv") or python is None:
            pytest.skip("running as root without setpriv or a system Python: cannot run ml-intern as a normal user")
        as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    import ml_intern
    import pydantic

    path = [str(Path(ml_intern.__file__).parents[1]), str(Path(pydantic.__file__).parents[1])]  # src, site-packages
    done = subprocess.run([*as_user, *wrapper, python, str(folder / "driver.py"), str(folder / "reader.py"), str(run)],
                          capture_output=True, text=True, env={**env, "PYTHONPATH": os.pathsep.join(path)},
                          timeout=120)
    if os.geteuid() == 0 and "ModuleNotFoundError" in done.stderr:
        pytest.skip(f"the system Python cannot load ml-intern's dependencies as a normal user: {done.stderr[-200:]}")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if not secret_names({k: v}) and not k.startswith("PYTEST")}


# ------------------------------------------------------------------ 5. the process backend and /proc/PID/environ

def test_the_job_cannot_read_ml_interns_environment(shared_dir):
    """ml-intern (a normal user) holds a token; its job reads /proc/$PPID/environ and every ancestor's: denied.
    Control: a plain child of the same process, before the job, reads the token there."""
    seen = _drive(shared_dir, [], {**_clean_env(), "HF_TOKEN": HONEY})
    assert HONEY in seen["control"]  # the attack works on an unprotected process
    assert "refused" not in seen, seen.get("refused")
    assert seen["exit"] == 0
    assert HONEY not in seen["job"]
    parent = seen["job"].splitlines()[0].split()
    assert parent[1] == "denied", seen["job"]  # /proc/$PPID/environ: ml-intern is non-dumpable


def test_an_ancestor_holding_a_token_is_refused(shared_dir):
    """A wrapper (a shell started with the token, which then starts ml-intern without it) keeps the token in its
    environment: the job could read it there, so the job is refused, naming the process and the fix."""
    wrapper = ["sh", "-c", 'env -u HF_TOKEN "$@"; exit $?', "wrapper"]
    seen = _drive(shared_dir, wrapper, {**_clean_env(), "HF_TOKEN": HONEY})
    assert HONEY in seen["control"]  # the control: a child of ml-intern reads it from the wrapper
    assert "refused" in seen, seen
    assert "(sh)" in seen["refused"] and "HF_TOKEN" in seen["refused"] and "--sandbox bwrap or docker" in seen["refused"]
    assert HONEY not in seen["refused"]  # names, never values


@pytest.mark.skipif(not job_can_trace(), reason="a job started here would not run as root nor hold CAP_SYS_PTRACE")
def test_root_with_ptrace_and_a_secret_is_refused(tmp_path, monkeypatch, cli):
    """As root, non-dumpable does not stop the job: with a secret in ml-intern's environment the
    process backend refuses, before any run exists, with exit 2 and the fix; without one it runs (control)."""
    (tmp_path / "run").mkdir()
    job = Job(argv=[sys.executable, "-c", READER], cwd=tmp_path / "run", env=scrubbed_env(tmp_path / "run"),
              timeout_s=60, log_path=tmp_path / "log.txt")
    for name in [k for k in os.environ if secret_names({k: os.environ[k]})]:
        monkeypatch.delenv(name)
    lines: list[str] = []
    assert ProcessSandbox().run(job, lines.append, lambda: None).exit_code == 0  # control: no secret, it runs
    assert lines and " read " in lines[0]  # and root reads the non-dumpable parent: why a secret must refuse

    monkeypatch.setenv("OPENAI_API_KEY", "sk-honey")
    with pytest.raises(InputError, match="OPENAI_API_KEY .*would run as root"):
        ProcessSandbox().run(job, lines.append, lambda: None)
    script = tmp_path / "train.py"
    script.write_text("print('trained')\n")
    code, out, err = cli("exec", script, "--sandbox", "process")
    assert code == 2 and "Traceback" not in err
    assert "sandbox process refused" in err and "--sandbox bwrap or docker" in err and "sk-honey" not in err
    assert cli("runs", "--json")[1].strip() in ("[]", "")  # refused before a run was made


# ------------------------------------------------------------------ 6. input limits

def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\ntask: image-classification\ndataset: digits\ntitle: *i\n"


def test_a_yaml_alias_bomb_is_refused(cli, tmp_path, home):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_alias_bomb())
    assert len(bomb.read_bytes()) < 700  # expands to 9**9 strings
    code, out, err = cli("read", bomb)
    assert code == 2 and "anchors and aliases" in err and "Traceback" not in err
    plain = tmp_path / "plain.yaml"  # control: the same task without aliases reads
    plain.write_text("task: image-classification\ndataset: digits\ntitle: lol\n")
    assert cli("read", plain)[0] == 0
    code, _, err = cli("plan", SAMPLE_TASK, "--set", "epochs=&x 3")
    assert code == 2 and "--set epochs: anchors and aliases" in err


def test_oversized_and_special_files_are_refused_at_once(cli, tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("task: image-classification\ndataset: digits\n" + "# padding\n" * 120_000)
    code, _, err = cli("read", big)
    assert code == 2 and "over the 1 MiB limit" in err
    fifo = tmp_path / "paper.pdf"
    os.mkfifo(fifo)  # no writer: reading it would block for ever
    started = time.monotonic()
    code, _, err = cli("read", fifo)
    assert code == 2 and "is a named pipe, not a regular file" in err
    code, _, err = cli("read", "/dev/zero")  # would read without end
    assert code == 2 and "is a character device" in err
    assert time.monotonic() - started < 10
    (tmp_path / "zero.pdf").symlink_to("/dev/zero")  # the user's own link is followed, to a device: refused
    assert "is a character device" in cli("read", tmp_path / "zero.pdf")[2]
    for special in ("/dev/zero", fifo.with_suffix(".py")):  # as the project or script of `exec`
        if special != "/dev/zero":
            os.mkfifo(special)
        code, _, err = cli("exec", special)
        assert code == 2 and "is a device, pipe or socket" in err
    assert time.monotonic() - started < 10


def test_unknown_task_keys_are_an_error_naming_the_known_ones(cli, tmp_path):
    typo = tmp_path / "typo.yaml"
    typo.write_text("task: image-classification\ndataset: digits\nhyperparameters:\n  learning_rat: 0.5\n")
    code, _, err = cli("plan", typo)
    assert code == 2 and "'learning_rat'" in err and "learning_rate" in err
    top = tmp_path / "top.yaml"
    top.write_text("task: image-classification\ndataset: digits\nlearning_rate: 0.5\n")
    code, _, err = cli("read", top)
    assert code == 2 and "unknown key(s) 'learning_rate'" in err and "hyperparameters" in err
    good = tmp_path / "good.yaml"  # control: spelled right, the value is the plan's
    good.write_text("task: image-classification\ndataset: digits\nhyperparameters:\n  learning_rate: 0.5\n")
    code, out, _ = cli("plan", good, "--json")
    assert code == 0 and json.loads(out)["hyperparameters"]["learning_rate"]["value"] == 0.5


@pytest.mark.parametrize("name", ["x[/].pdf", "[bold]x[/bold].yaml", "y[/red]"])
def test_paths_with_console_markup_are_printed_as_given(cli, tmp_path, name):
    code, out, err = cli("read", name)  # missing
    assert code == 2 and f"{name}: no such file" in err and "Traceback" not in err
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("not a pdf at all")  # present, and bad
    code, out, err = cli("read", target)
    assert code == 2 and str(target) in err
    assert cli("exec", target)[0] == 2  # exec names it too, and stays an input error


# ------------------------------------------------------------------ 7. resume claims atomically; cgroups go

def test_a_claim_is_a_compare_and_set(tmp_path):
    """The two steps of a resume (read the status, claim) from two connections, interleaved: the second claim of a
    run read as interrupted finds it running and is refused, naming the holder."""
    a, b = Store(tmp_path / "store.sqlite"), Store(tmp_path / "store.sqlite")
    a.create_run("r1", "task.yaml", str(tmp_path / "r1"), "t", "smoke")
    a.set_run_status("r1", "interrupted")
    assert a.get_run("r1")["status"] == b.get_run("r1")["status"] == "interrupted"  # both checked
    a.claim_run("r1", "interrupted")
    with pytest.raises(InputError, match=f"is running in process {os.getpid()}"):
        b.claim_run("r1", "interrupted")
    a.set_run_status("r1", "interrupted")  # control: once released, the other claims it
    b.claim_run("r1", "interrupted")
    assert b.get_run("r1")["status"] == "running"


def test_two_resumes_of_one_run_at_once_start_it_once(home, tmp_path):
    """Real `ml-intern exec` and two real `ml-intern resume` processes started together: one resumes the job, the
    other is refused with exit 2 naming the process that holds the run."""
    script = tmp_path / "train.py"  # waits until the test lets it finish
    script.write_text("import os, time\nwhile not os.path.exists('release'):\n    time.sleep(0.1)\nprint('done')\n")
    env = subprocess_env(home)
    first = subprocess.Popen([*ML_INTERN, "exec", str(script), "--max-attempts", "1"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    store = Store(home / "store.sqlite")
    deadline = time.monotonic() + 120
    while not list(home.glob("**/logs/attempt-*.log")):  # the attempt has started
        assert time.monotonic() < deadline and first.poll() is None, first.communicate()[0]
        time.sleep(0.2)
    os.killpg(first.pid, signal.SIGKILL)  # killed hard mid-attempt: the run is interrupted
    first.wait()
    run_id = store.list_runs()[0]["id"]
    assert store.get_run(run_id)["status"] == "interrupted"
    racers = [subprocess.Popen([*ML_INTERN, "resume", run_id], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True) for _ in range(2)]
    refused = None
    while refused is None:
        assert time.monotonic() < deadline, "neither resume was refused"
        refused = next((p for p in racers if p.poll() is not None), None)
        time.sleep(0.1)
    winner = next(p for p in racers if p is not refused)
    _, err = refused.communicate()
    assert refused.returncode == 2 and f"is running in process {winner.pid}" in err, err
    project = Path(store.get_run(run_id)["run_dir"]) / "project"
    (project / "release").write_text("")
    _, err = winner.communicate(timeout=120)
    assert "is running in process" not in err
    assert store.get_run(run_id)["status"] != "running"
    log = "".join(p.read_text() for p in (Path(store.get_run(run_id)["run_dir"]) / "logs").glob("attempt-*.log"))
    assert "done" in log  # the winner ran the job to its end


def _job_tmp(tmp_path: Path, code: str) -> Job:
    run = tmp_path / "run"
    run.mkdir(exist_ok=True)
    return Job(argv=[sys.executable, "-c", code], cwd=run, env=scrubbed_env(run), timeout_s=60,
               log_path=tmp_path / "log.txt")


@pytest.mark.skipif(os.geteuid() != 0 or _pids_root() is None,
                    reason="no pids cgroup can be made here (needs root and a writable pids hierarchy)")
def test_pids_cgroups_are_removed_when_the_jobs_processes_are_gone(tmp_path, monkeypatch):
    root = _pids_root()
    mine = lambda: set(root.glob(f"{PREFIX}{os.getpid()}-*"))  # noqa: E731
    before = mine()
    for name in [k for k in os.environ if secret_names({k: os.environ[k]})]:
        monkeypatch.delenv(name)  # (as root with a secret the process backend refuses: tested above)
    # a job that leaves a process behind in its own session (escaping the process group) and exits
    code = ("import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], "
            "start_new_session=True)\nprint('left one behind', flush=True)")
    lines: list[str] = []
    result = ProcessSandbox().run(_job_tmp(tmp_path, code), lines.append, lambda: None)
    assert result.exit_code == 0 and lines == ["left one behind"]
    assert mine() == before  # killed, waited for, removed
    # a cgroup of an ml-intern that was killed before it could close it (control: it exists) goes with the next job
    stale = root / f"{PREFIX}999999999-abcdef"
    stale.mkdir()
    assert stale.exists()
    probe = PidsCgroup(8)
    assert not stale.exists() and probe.path is not None and probe.path.exists()
    assert probe.close() and not probe.path.exists()
