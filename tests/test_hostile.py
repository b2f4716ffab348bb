"""The host never trusts what the job wrote: a job that misbehaves on purpose, run through `ml-intern exec` in a
real sandbox (bubblewrap, and the `process` backend), against ml-intern's own process. Each attack has a positive
control beside it: the same kind of output, written honestly, is still taken.

ml-intern runs in a subprocess here, so its own peak memory can be read as it ends: ``VmHWM`` of that process (the
high-water mark of its own address space, not of the job's). ``ru_maxrss`` would not do: Linux carries the forking
parent's resident size across ``fork``/``exec``, so under a large pytest process it reads the parent's size. Flat is
measured against a quiet job run the same way (the control): a flood may cost ml-intern little more than that.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import subprocess_env
from ml_intern.run.sandbox.bwrap import BwrapSandbox

SANDBOXES = [pytest.param("bwrap", marks=pytest.mark.skipif(BwrapSandbox.available() is not None,
                                                           reason=f"bubblewrap: {BwrapSandbox.available()}")),
             "process"]
FLAT_MIB = 100  # what a flood may add to ml-intern's peak over a quiet job's (the floods here are 150 MB to endless)

# ml-intern's CLI in a process of its own; its peak resident memory on stderr's last line
RUNNER = """
import re, sys
from ml_intern.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as status:
    print("PEAK_KIB", re.search(r"^VmHWM:\\s*(\\d+) kB", status.read(), re.M).group(1), file=sys.stderr)
sys.exit(code)
"""


def ml_intern(home: Path, *argv: str, timeout: float = 300, as_json: bool = True) -> tuple[int, dict, float, str]:
    """(exit code, the --json summary, ml-intern's peak MiB, stderr)."""
    done = subprocess.run([sys.executable, "-c", RUNNER, *argv, *(["--json"] if as_json else [])], capture_output=True,
                          text=True, env=subprocess_env(home), timeout=timeout)
    peak = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KIB")) / 1024
    try:
        summary = json.loads(done.stdout)
    except json.JSONDecodeError:
        summary = {}
    return done.returncode, summary, peak, done.stderr


def script(tmp_path: Path, body: str, name: str = "job.py") -> Path:
    folder = tmp_path / "job"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(body).lstrip())
    return folder / name


def run_dir(summary: dict) -> Path:
    return Path(summary["run_dir"])


@pytest.fixture
def secret(tmp_path) -> Path:
    """A host file the job must never get ml-intern to read, copy or stage."""
    path = tmp_path / "host-secret.json"
    path.write_text(json.dumps({"metrics": {"stolen": 4242.0}, "token": "hf_HOSTSECRET"}))
    return path


# ---------------------------------------------------------------- links

@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_results_linked_to_a_host_file_are_not_read(home, tmp_path, sandbox, secret):
    job = script(tmp_path, f"""
        import os
        os.symlink({str(secret)!r}, "results.json")
        print("done")
    """)
    code, summary, _, err = ml_intern(home, "exec", str(job), "--sandbox", sandbox)
    assert code == 0, err
    outcome = json.loads((run_dir(summary) / "outcome.json").read_text())
    assert outcome["results"] is None
    assert "4242" not in json.dumps(summary) and "HOSTSECRET" not in (run_dir(summary) / "outcome.json").read_text()


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_results_written_as_a_file_are_read(home, tmp_path, sandbox):  # (the control)
    job = script(tmp_path, """
        import json
        json.dump({"metrics": {"accuracy": 0.5}}, open("results.json", "w"))
    """)
    code, summary, _, err = ml_intern(home, "exec", str(job), "--sandbox", sandbox)
    assert code == 0, err
    assert json.loads((run_dir(summary) / "outcome.json").read_text())["results"] == {"metrics": {"accuracy": 0.5}}


def test_a_repair_never_writes_through_a_link(home, tmp_path, sandbox="process"):
    """A fake NameError in a project file that is a link to a host file: the missing-import rule must not prepend
    an import to the host file."""
    host = tmp_path / "host.py"
    host.write_text("SECRET = 1\n")
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "train.py").write_text(textwrap.dedent(f"""
        import os, sys
        if not os.path.lexists("evil.py"):
            os.symlink({str(host)!r}, "evil.py")
        sys.stderr.write('Traceback (most recent call last):\\n  File "evil.py", line 1, in <module>\\n    np.zeros(1)\\n'
                         "NameError: name 'np' is not defined\\n")
        sys.exit(1)
    """).lstrip())
    code, summary, _, err = ml_intern(home, "exec", str(folder), "--sandbox", sandbox, "--max-attempts", "2")
    assert host.read_text() == "SECRET = 1\n"
    assert summary["status"] == "needs_review", err


def test_exec_copies_no_link_into_the_run(home, tmp_path, secret):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "train.py").write_text("print('ok')\n")
    (folder / "notes.txt").write_text("mine\n")
    os.symlink(secret, folder / "secret.json")
    os.mkfifo(folder / "pipe")
    code, _, _, err = ml_intern(home, "exec", str(folder), "--sandbox", "process", as_json=False)
    assert code == 0, err
    project = next(home.glob("*/project"))
    assert (project / "notes.txt").read_text() == "mine\n"  # (the control: regular files are copied)
    assert not os.path.lexists(project / "secret.json") and not os.path.lexists(project / "pipe")
    assert "secret.json" in err  # said, not silently dropped
    tracked = subprocess.run(["git", "ls-files"], cwd=project, capture_output=True, text=True).stdout
    assert "secret.json" not in tracked and "train.py" in tracked


def test_a_git_filter_the_job_configures_never_runs_on_the_host(home, tmp_path):
    """The process backend lets the job write .git/config; the filter it names must not run when ml-intern
    commits the next attempt."""
    marker = tmp_path / "filter-ran"
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "train.py").write_text(textwrap.dedent(f"""
        import os, sys
        with open(".git/config", "a") as f:
            f.write('[filter "x"]\\n\\tclean = touch {marker}\\n[core]\\n\\tfsmonitor = touch {marker}\\n')
        open(".gitattributes", "w").write("* filter=x\\n")
        open("changed.txt", "w").write("so the next commit has something to clean\\n")
        sys.stderr.write("Traceback (most recent call last):\\nRuntimeError: CUDA out of memory\\n")
        sys.exit(1)
    """).lstrip())
    (folder / "config.yaml").write_text("batch_size: 8\n")
    ml_intern(home, "exec", str(folder), "--sandbox", "process", "--max-attempts", "2")
    assert not marker.exists()


# ---------------------------------------------------------------- floods

@pytest.fixture(scope="module")
def quiet_peak(tmp_path_factory) -> dict[str, float]:
    """ml-intern's peak MiB over a job that prints a line and writes a few metric rows, per sandbox (the control)."""
    peaks = {}
    for sandbox in ("bwrap", "process"):
        if sandbox == "bwrap" and BwrapSandbox.available() is not None:
            continue
        root = tmp_path_factory.mktemp(f"quiet-{sandbox}")
        (root / "home").mkdir()
        job = script(root, """
            import json
            print("hello")
            with open("metrics.jsonl", "w") as f:
                for step in range(10):
                    f.write(json.dumps({"step": step, "loss": 1.0}) + "\\n")
        """)
        code, _, peaks[sandbox], err = ml_intern(root / "home", "exec", str(job), "--sandbox", sandbox)
        assert code == 0, err
    return peaks


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_metrics_linked_to_dev_zero_leave_ml_intern_flat(home, tmp_path, sandbox, quiet_peak):
    job = script(tmp_path, """
        import os, time
        os.symlink("/dev/zero", "metrics.jsonl")
        time.sleep(3)
    """)
    code, summary, peak, err = ml_intern(home, "exec", str(job), "--sandbox", sandbox)
    assert code == 0, err
    assert peak < quiet_peak[sandbox] + FLAT_MIB, (peak, quiet_peak)


def test_metrics_as_a_named_pipe_never_block_ml_intern(home, tmp_path):
    job = script(tmp_path, """
        import os, time
        os.mkfifo("metrics.jsonl")
        os.mkfifo("results.json")
        time.sleep(2)
    """)
    code, summary, _, err = ml_intern(home, "exec", str(job), "--sandbox", "process", timeout=120)
    assert code == 0 and summary["status"] == "succeeded", err


@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_a_long_line_without_newline_is_cut_and_memory_stays_flat(home, tmp_path, sandbox, quiet_peak):
    job = script(tmp_path, """
        import sys
        chunk = "x" * (1 << 20)
        for _ in range(300):
            sys.stdout.write(chunk)
        sys.stdout.write("\\nlast line\\n")
    """)
    code, summary, peak, err = ml_intern(home, "exec", str(job), "--sandbox", sandbox)
    assert code == 0, err
    assert peak < quiet_peak[sandbox] + FLAT_MIB, (peak, quiet_peak)
    log = (run_dir(summary) / "logs" / "attempt-1.log").read_text()
    assert len(log) < 20 * 2**20 and "line cut at" in log and "last line" in log


def test_a_log_flood_keeps_the_head_and_the_tail(home, tmp_path, quiet_peak):
    job = script(tmp_path, """
        print("first line")
        line = "y" * 1000
        for i in range(150_000):
            print(line)
        print("the error is here")
    """)
    code, summary, peak, err = ml_intern(home, "exec", str(job), "--sandbox", "process")
    assert code == 0, err
    log_path = run_dir(summary) / "logs" / "attempt-1.log"
    log = log_path.read_text()
    assert log_path.stat().st_size < 12 * 2**20  # 150 MB printed
    assert "first line" in log and "the error is here" in log and "left out here" in log
    assert peak < quiet_peak["process"] + FLAT_MIB, (peak, quiet_peak)


def test_terminal_escapes_never_reach_the_log_or_the_terminal(home, tmp_path):
    job = script(tmp_path, r"""
        print("\x1b[2J\x1b]0;pwned\x07red\x1b[31m text\x1b[0m")
    """)
    code, summary, _, err = ml_intern(home, "exec", str(job), "--sandbox", "process")
    assert code == 0, err
    log = (run_dir(summary) / "logs" / "attempt-1.log").read_text()
    assert "\x1b" not in log and "\x07" not in log and "red text" in log


def test_a_metric_row_flood_is_thinned_in_the_store(home, tmp_path):
    job = script(tmp_path, """
        import json
        with open("metrics.jsonl", "w") as f:
            for step in range(1, 200_001):
                f.write(json.dumps({"step": step, "loss": 1.0}) + "\\n")
            f.write(json.dumps({"step": 2**70, "loss": 1.0}) + "\\n")  # an integer past 64 bits
            f.write(json.dumps({"step": 7, "loss": [1, 2]}) + "\\n")  # not a number
    """)
    code, summary, peak, err = ml_intern(home, "exec", str(job), "--sandbox", "process")
    assert code == 0 and summary["status"] == "succeeded", err
    from ml_intern.track.store import Store

    rows = Store(home / "store.sqlite").metrics(summary["id"], "loss")
    assert 100_000 <= len(rows) <= 101_000  # every row up to 100k, then one in 100
    assert max(r["step"] for r in rows) <= 200_000


# ---------------------------------------------------------------- job data is data

SKELETON = """
import argparse, json, os
p = argparse.ArgumentParser()
p.add_argument("--config"); p.add_argument("--output-dir", default="outputs"); p.add_argument("--smoke", action="store_true")
p.add_argument("--resume", action="store_true")
a = p.parse_args()
os.makedirs(a.output_dir, exist_ok=True)
with open(os.path.join(a.output_dir, "results.json"), "w") as f:
    f.write(RESULTS)
print("[/] and [bold]markup[/bold] in a message")
"""


@pytest.mark.parametrize("results, taken", [
    ('{"metrics": {"accuracy": 0.5}}', True),  # the control
    ("not json", False), ("[1, 2]", False), ('{"metrics": [1]}', False), ('{"metrics": {"accuracy": "high"}}', False),
])
def test_malformed_results_are_a_classified_failure_never_a_crash(home, tmp_path, cli, results, taken):
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "train.py").write_text(SKELETON.replace("RESULTS", repr(results)))
    (folder / "config.yaml").write_text("seed: 0\n")
    code, out, err = cli("exec", folder, "--sandbox", "process", "--max-attempts", "2", "--json")
    summary = json.loads(out)
    attempts = json.loads((Path(summary["run_dir"]) / "attempts.json").read_text())
    if taken:
        assert summary["status"] == "succeeded", err
        # (a project in the skeleton's shape but no recipe's task file: its metrics are its own word)
        assert attempts[-1]["verification"]["status"] == "self-reported"
    else:
        assert summary["status"] == "needs_review"
        assert attempts[0]["failure"]["cls"] == "invalid_output"
    code, out, err = cli("show", summary["id"])  # the job's text (with [/]) never breaks `show`
    assert code == 0, err


# ---------------------------------------------------------------- metrics you can trust

@pytest.mark.e2e
@pytest.mark.parametrize("fake", [False, True, "unsaved"])
def test_a_faked_metric_fails_ml_intern_s_own_evaluation(home, tmp_path, cli, fake):
    from ml_intern.bench.faults import _recipe_project, edit_train

    project = tmp_path / "digits"
    _recipe_project(project)  # the digits recipe's project, a few steps
    if fake == "unsaved":  # reports honestly, then removes what would prove it
        edit_train(project, '        write_json(run.out / "results.json", results)',
                   '        write_json(run.out / "results.json", results)\n'
                   '        import shutil; shutil.rmtree(run.out / "model")')
    elif fake:  # a "fix" that reports what it wishes
        edit_train(project, '        write_json(run.out / "results.json", results)',
                   '        results["metrics"]["test_accuracy"] = 1.0\n'
                   '        write_json(run.out / "results.json", results)')
    code, out, err = cli("exec", project, "--sandbox", "process", "--max-attempts", "2", "--json")
    summary = json.loads(out)
    attempts = json.loads((Path(summary["run_dir"]) / "attempts.json").read_text())
    check = attempts[-1]["verification"]
    if fake == "unsaved":  # a check that cannot run is no disagreement, and no success either
        assert summary["status"] == "needs_review"
        assert attempts[-1]["failure"]["cls"] == "check_failed" and check["status"] == "failed"
        assert "no saved model" in check["reason"]
    elif fake:
        assert summary["status"] == "needs_review"
        assert attempts[-1]["failure"]["cls"] == "metric_mismatch"
        assert check["status"] == "mismatch" and check["mismatches"]["test_accuracy"][0] == 1.0
        assert check["mismatches"]["test_accuracy"][1] < 0.9  # what the model really does after a few steps
        assert f"logs/attempt-{attempts[-1]['number']}-evaluation.log" in json.dumps(summary)  # where to look
    else:
        assert summary["status"] == "succeeded", err
        assert check["status"] == "verified"
        results = json.loads((Path(summary["run_dir"]) / "project/outputs/results.json").read_text())
        assert abs(check["evaluated"]["test_accuracy"] - results["metrics"]["test_accuracy"]) < 1e-6
        code, out, err = cli("show", summary["id"])
        assert "verified" in out


def test_a_lone_script_s_metrics_are_marked_self_reported(home, tmp_path, cli):
    job = script(tmp_path, """
        import json
        json.dump({"metrics": {"accuracy": 1.0}}, open("results.json", "w"))
    """)
    code, out, err = cli("exec", job, "--sandbox", "process", "--json")
    summary = json.loads(out)
    code, out, err = cli("show", summary["id"])
    assert "self-reported" in out
