"""Escapes from the isolating sandboxes: each test is a real attempt from inside that must fail, run under every
backend that isolates (bubblewrap, and a container of a real Docker engine).

A backend is skipped, with the reason, where it cannot run here: bubblewrap without namespaces (then `auto` falls
back to `process`, which says loudly that it does not isolate), Docker without an engine (`.ci/run` starts one).
"""

import os
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from docker_engine import base_image, bridge_gateway
from ml_intern.run.sandbox import Job
from ml_intern.run.sandbox.bwrap import BwrapSandbox
from ml_intern.run.sandbox.docker import DockerSandbox
from ml_intern.run.sandbox.env import scrubbed_env
from ml_intern.run.sandbox.limits import Limits, PidsCgroup


@pytest.fixture(params=["bwrap", "docker"])
def sandbox(request, monkeypatch):
    if request.param == "bwrap":
        if (why := BwrapSandbox.available()) is not None:
            pytest.skip(f"bubblewrap unavailable here: {why}")
        return BwrapSandbox()
    monkeypatch.setenv("ML_INTERN_DOCKER_BASE", base_image())  # (skips, saying why, without an engine)
    return DockerSandbox()


def host_address(sandbox) -> str:
    """Where a job with the network reaches this machine: its loopback (bwrap shares the host's network), or the
    host's side of Docker's bridge (a container has its own loopback)."""
    return bridge_gateway() if sandbox.name == "docker" else "127.0.0.1"


def run_inside(sandbox, tmp_path: Path, code: str, timeout: float = 60, allow_network: bool = False, **limits):
    run_dir = tmp_path / "run"
    project = run_dir / "project"
    (project / ".git").mkdir(parents=True, exist_ok=True)
    env = scrubbed_env(run_dir, allow_network)
    job = Job(argv=[sys.executable, "-c", code], cwd=project, env=env, timeout_s=timeout, log_path=run_dir / "log.txt",
              writable=[project, run_dir / "home", run_dir / "tmp"], readonly=[project / ".git"],
              allow_network=allow_network,
              limits=Limits(**{"memory_mb": 2048, "processes": 128, "file_size_mb": 100, **limits}))
    lines: list[str] = []
    result = sandbox.run(job, lines.append, lambda: None)
    return result, "\n".join(lines), job


def test_cannot_read_a_planted_secret_outside_the_run_folder(sandbox, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4242")
    code = (f"import os\nfor p in [{str(secret)!r}, os.path.expanduser('~/.ssh/id_rsa'), '/root/.bashrc', '/etc/shadow']:\n"
            "    try:\n        print(p, open(p).read())\n    except OSError as e:\n        print(p, 'denied', type(e).__name__)")
    result, out, _ = run_inside(sandbox, tmp_path, code)
    assert result.exit_code == 0, out
    assert "TOPSECRET" not in out
    assert f"{secret} denied FileNotFoundError" in out


def test_environment_honeytoken_is_not_visible(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_honeytoken_123")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws_honeytoken_456")
    code = ("import os, glob\nprint(dict(os.environ))\n"
            "for f in glob.glob('/proc/*/environ'):\n    try:\n        print(open(f).read())\n    except OSError:\n        pass")
    result, out, _ = run_inside(sandbox, tmp_path, code)
    assert result.exit_code == 0
    assert "hf_honeytoken_123" not in out and "aws_honeytoken_456" not in out
    assert "'HOME'" in out  # the control: the environment was printed


class _Server:
    """A TCP server on loopback that records whether anyone connected."""

    def __init__(self, address: str = "127.0.0.1"):
        self.sock = socket.socket()
        self.sock.bind((address, 0))
        self.sock.listen()
        self.sock.settimeout(15)
        self.port = self.sock.getsockname()[1]
        self.connected = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        try:
            conn, _ = self.sock.accept()
            self.connected = True
            conn.close()
        except OSError:
            pass


def test_no_network_by_default_and_with_permission_it_works(sandbox, tmp_path):
    address = host_address(sandbox)
    server = _Server(address)
    code = (f"import socket\ntry:\n    socket.create_connection(({address!r}, {server.port}), timeout=3); print('CONNECTED')\n"
            "except OSError as e:\n    print('tcp blocked', type(e).__name__)\n"
            "try:\n    socket.getaddrinfo('huggingface.co', 443); print('RESOLVED')\n"
            "except OSError as e:\n    print('dns blocked', type(e).__name__)")
    result, out, _ = run_inside(sandbox, tmp_path, code)
    assert "tcp blocked" in out and "CONNECTED" not in out and "dns blocked" in out
    time.sleep(0.2)
    assert not server.connected
    result, out, _ = run_inside(sandbox, tmp_path, code, allow_network=True)  # the control: the same code, network allowed
    assert "CONNECTED" in out
    time.sleep(0.5)
    assert server.connected


def test_cannot_write_outside_the_run_folder(sandbox, tmp_path):
    outside = tmp_path / "outside.txt"
    host_file = Path(sys.prefix) / "planted-by-sandbox.txt"
    code = (f"import os\nfor p in [{str(outside)!r}, {str(host_file)!r}, '/usr/planted', os.path.join(os.getcwd(), 'ok.txt')]:\n"
            "    try:\n        open(p, 'w').write('x'); print(p, 'WROTE')\n"
            "    except OSError as e:\n        print(p, 'denied', type(e).__name__)")
    result, out, _ = run_inside(sandbox, tmp_path, code)
    assert not outside.exists() and not host_file.exists() and not Path("/usr/planted").exists()
    assert (tmp_path / "run" / "project" / "ok.txt").read_text() == "x"  # the run folder is writable
    # the host's system and Python folders are read-only; a path under the host's /tmp lands in the private /tmp
    assert f"{host_file} denied" in out and "/usr/planted denied" in out


def test_fork_bomb_is_capped(sandbox, tmp_path):
    probe = PidsCgroup(64)
    enforced = probe.path is not None or os.geteuid() != 0 or sandbox.name == "docker"  # (docker: the engine's)
    probe.close()
    if not enforced:
        pytest.skip("no process limit here: running as root without a writable pids cgroup")
    code = ("import os, time\nn = 0\nfor _ in range(2000):\n    try:\n        pid = os.fork()\n"
            "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(30); os._exit(0)\n    n += 1\n"
            "print('forked', n, flush=True)\nos._exit(0)")
    result, out, job = run_inside(sandbox, tmp_path, code, timeout=40, processes=64)
    assert job.enforced["processes"]
    forked = int(out.split("forked")[1].split()[0])
    assert forked < 64


def test_memory_bomb_fails_inside(sandbox, tmp_path):
    code = "blocks = []\nfor _ in range(64):\n    blocks.append(bytearray(2**27))\nprint('ALLOCATED 8 GiB')"
    result, out, _ = run_inside(sandbox, tmp_path, code, memory_mb=1024)
    assert result.exit_code != 0 and "ALLOCATED" not in out and "MemoryError" in out


def test_disk_fill_stops_at_the_file_size_limit(sandbox, tmp_path):
    code = "f = open('big.bin', 'wb')\nfor _ in range(100):\n    f.write(b'0' * 2**20)\n    f.flush()\nprint('WROTE 100 MiB')"
    result, out, _ = run_inside(sandbox, tmp_path, code, file_size_mb=10)
    assert "WROTE" not in out and "File too large" in out
    assert (tmp_path / "run" / "project" / "big.bin").stat().st_size <= 10 * 2**20


def test_nothing_outlives_the_timeout(sandbox, tmp_path):
    marker = tmp_path / "run" / "project" / "survived.txt"
    code = ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
            f"        time.sleep(4); open({str(marker)!r}, 'w').write('alive'); os._exit(0)\n    os._exit(0)\n"
            "time.sleep(600)")
    started = time.monotonic()
    result, _, _ = run_inside(sandbox, tmp_path, code, timeout=2)
    assert result.timed_out and time.monotonic() - started < 15
    time.sleep(5)
    assert not marker.exists(), "a daemonised grandchild outlived the sandbox"


def test_cannot_plant_git_hooks_or_rewrite_the_run_record(sandbox, tmp_path):
    """The host runs git on the project after each attempt: its .git, and the run's own files, stay read-only."""
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "run.json").write_text("{}")
    code = ("import os\nfor p in ['.git/hooks-pre-commit', '../run.json', 'ok.txt']:\n"
            "    try:\n        open(p, 'w').write('x'); print(p, 'WROTE')\n"
            "    except OSError as e:\n        print(p, 'denied', type(e).__name__)")
    result, out, _ = run_inside(sandbox, tmp_path, code)
    assert ".git/hooks-pre-commit denied" in out and "ok.txt WROTE" in out
    assert not (tmp_path / "run" / "project" / ".git" / "hooks-pre-commit").exists()
    # the run folder itself is not mounted: a write there lands in the sandbox's private /tmp, not on the host
    assert (tmp_path / "run" / "run.json").read_text() == "{}"
