"""The process sandbox: scrubbed environment, streamed output, timeout that kills the whole process group."""

import os
import sys
import time

import pytest

from ml_intern.errors import InputError
from ml_intern.run.sandbox import Job, get_sandbox
from ml_intern.run.sandbox.env import scrubbed_env
from ml_intern.run.sandbox.process import job_can_trace

SECRETS = {"HF_TOKEN": "hf_secret", "OPENAI_API_KEY": "sk-secret", "AWS_SECRET_ACCESS_KEY": "aws-secret",
           "ANTHROPIC_API_KEY": "ant-secret", "MY_COMPANY_DB_PASSWORD": "hunter2"}


def _job(tmp_path, code, timeout=30, env=None):
    return Job(argv=[sys.executable, "-c", code], cwd=tmp_path, env=env or scrubbed_env(tmp_path),
               timeout_s=timeout, log_path=tmp_path / "log.txt")


def test_generated_code_never_sees_secrets(tmp_path, monkeypatch):
    for k, v in SECRETS.items():
        monkeypatch.setenv(k, v)
    lines = []
    code = "import os; print('\\n'.join(f'{k}={v}' for k, v in os.environ.items()))"
    job = _job(tmp_path, code)  # its environment made while the secrets are set
    if job_can_trace():  # as root the job could read them from ml-intern's /proc/PID/environ: refused
        with pytest.raises(InputError, match="sandbox process refused"):  # (tests/test_hostile_input.py)
            get_sandbox("process").run(job, lines.append, lambda: None)
        for k in SECRETS:
            monkeypatch.delenv(k)
    result = get_sandbox("process").run(job, lines.append, lambda: None)
    assert result.exit_code == 0
    seen = "\n".join(lines)
    for k, v in SECRETS.items():
        assert k not in seen and v not in seen
    env = dict(line.split("=", 1) for line in lines if "=" in line)
    assert env["HOME"].startswith(str(tmp_path)) and env["HF_HUB_OFFLINE"] == "1"
    assert (tmp_path / "log.txt").read_text().count("\n") == len(lines)


def test_output_streams_while_the_process_runs(tmp_path):
    stamps = []
    code = "import time\nfor i in range(3):\n    print(i, flush=True); time.sleep(0.4)"
    get_sandbox("process").run(_job(tmp_path, code), lambda line: stamps.append((line, time.monotonic())), lambda: None)
    assert [s[0] for s in stamps] == ["0", "1", "2"]
    assert stamps[-1][1] - stamps[0][1] > 0.6  # lines arrived as printed, not all at the end


def test_timeout_kills_the_process_group_including_grandchildren(tmp_path):
    pidfile = tmp_path / "grandchild.pid"
    code = (f"import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']);"
            f"open({str(pidfile)!r}, 'w').write(str(p.pid)); time.sleep(600)")
    started = time.monotonic()
    result = get_sandbox("process").run(_job(tmp_path, code, timeout=2), lambda line: None, lambda: None)
    assert result.timed_out and time.monotonic() - started < 15
    grandchild = int(pidfile.read_text())
    time.sleep(0.2)
    try:
        os.kill(grandchild, 0)
        stat = open(f"/proc/{grandchild}/stat").read()
        assert stat.rsplit(")", 1)[1].split()[0] == "Z", "grandchild still running"
    except ProcessLookupError:
        pass
    assert "timeout after 2 s" in (tmp_path / "log.txt").read_text()


def test_exit_code_is_reported(tmp_path):
    result = get_sandbox("process").run(_job(tmp_path, "raise SystemExit(3)"), lambda line: None, lambda: None)
    assert result.exit_code == 3 and not result.timed_out


def test_the_ray_backend_without_ray_says_how_to_install_it(monkeypatch):
    import pytest

    from ml_intern.errors import InputError

    monkeypatch.setitem(sys.modules, "ray", None)  # as on a machine without the extra: `import ray` fails
    with pytest.raises(InputError, match=r"sandbox ray needs Ray \(pip install 'ml-intern\[ray\]'\)"):
        get_sandbox("ray")
