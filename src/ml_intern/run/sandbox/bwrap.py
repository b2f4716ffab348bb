"""The ``bwrap`` backend: bubblewrap namespaces around the same streaming loop as ``process``.

What the job sees: a fresh root with the system folders (/usr, /lib*, /bin, /sbin, a few files of /etc) and the
Python installation read-only, /proc, a minimal /dev (plus the NVIDIA devices when a GPU is asked for), an empty
private /tmp, and the run folder (read-write) at its own path. No network unless the run allows it. Not visible:
the user's home, other projects, /root, /work, anything else on the host.
"""

from __future__ import annotations

import functools
import glob
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from ml_intern.run.failures import Stop
from ml_intern.run.sandbox.base import Job, SandboxResult
from ml_intern.run.sandbox.process import run_streaming

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ssl", "/etc/ca-certificates",
             "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/localtime", "/etc/alternatives",
             "/etc/hosts", "/etc/resolv.conf", "/etc/mime.types", "/etc/matplotlibrc")


def python_dirs() -> list[str]:
    """The interpreter and its packages: the prefixes and the user's site-packages when Python uses it. Editable
    installs (path files pointing elsewhere) are not bound: generated code needs its requirements, not ml-intern."""
    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(sys.executable).resolve().parents[1])}
    import site

    user_site = site.getusersitepackages() if site.ENABLE_USER_SITE else None
    if user_site and Path(user_site).is_dir() and user_site in sys.path:
        dirs.add(user_site)
    return sorted(d for d in dirs if not any(d != o and d.startswith(o + "/") for o in dirs))


TMPFS_BYTES = 64 * 1024 * 1024


def bwrap_argv(job: Job) -> list[str]:
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session"]
    if job.allow_network:  # with the host's name too: peers find each other by it (torch.distributed's gloo)
        argv.append("--share-net")
    else:
        argv += ["--hostname", "sandbox"]
    for d in SYSTEM_DIRS:
        argv += ["--ro-bind-try", d, d]
    for f in ETC_FILES:
        argv += ["--ro-bind-try", f, f]
    # /tmp is memory the memory limit does not count: capped (TMPDIR, the job's scratch space, is on disk)
    argv += ["--proc", "/proc", "--dev", "/dev", "--size", str(TMPFS_BYTES), "--tmpfs", "/tmp"]
    for d in python_dirs():
        argv += ["--ro-bind", d, d]
    if job.limits.gpu:
        for dev in sorted(glob.glob("/dev/nvidia*")):
            argv += ["--dev-bind", dev, dev]
    for w in job.writable:  # after /tmp: a run folder under /tmp is bound over the private tmpfs
        argv += ["--bind", job.host(w), str(w)]  # (a copy elsewhere on this node: shown at its own path)
    for r in job.readonly:  # after the writable binds, so they win
        if Path(job.host(r)).exists():
            argv += ["--ro-bind", job.host(r), str(r)]
    argv += ["--chdir", str(job.cwd), "--"]
    return argv + job.argv


class BwrapSandbox:
    name = "bwrap"
    isolates = True

    @staticmethod
    @functools.cache
    def available() -> str | None:
        """None when bubblewrap can make its namespaces here, else why not."""
        if shutil.which("bwrap") is None:
            return "bwrap is not installed"
        probe = subprocess.run(["bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc",
                                "--dev", "/dev", "true"], capture_output=True, text=True, timeout=30)
        if probe.returncode != 0:
            return (probe.stderr.strip().splitlines() or ["namespaces are not available"])[-1]
        return None

    def run(self, job: Job, on_line: Callable[[str], None], on_tick: Callable[[], Stop | None]) -> SandboxResult:
        if not job.writable:
            job.writable = [job.cwd]
        result = run_streaming(bwrap_argv(job), job, on_line, on_tick)
        # bwrap reports a child killed by signal N as exit status 128+N; report it as a subprocess would (-N)
        if result.exit_code is not None and 128 < result.exit_code <= 128 + 64:
            result.exit_code = 128 - result.exit_code
        return result
