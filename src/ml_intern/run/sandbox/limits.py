"""Resource limits for the generated code, applied in the child before it execs.

- memory: RLIMIT_AS (address space), so an allocation past the limit fails with a clear MemoryError / "can't
  allocate memory" instead of the machine swapping. Not set when a GPU is in use: CUDA reserves huge address ranges.
- CPU time: RLIMIT_CPU (SIGXCPU past it); file size: RLIMIT_FSIZE (SIGXFSZ / EFBIG past it).
- processes: RLIMIT_NPROC counts all the processes of the user and does not bind root, so where ml-intern runs as
  root it uses a pids cgroup instead when one can be made (cgroup v1 or v2); else it says the limit is not enforced.
"""

from __future__ import annotations

import ctypes
import os
import resource
import secrets
import signal
import time
from dataclasses import dataclass
from pathlib import Path

_PR_SET_PDEATHSIG = 1


@dataclass
class Limits:
    memory_mb: int | None = 8192
    cpu_seconds: int | None = None
    processes: int | None = 256
    file_size_mb: int | None = 4096
    gpu: bool = False


def _pids_root() -> Path | None:
    for root in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
        if (root / "cgroup.procs").exists() and os.access(root, os.W_OK):
            if root.name == "cgroup":  # cgroup v2: children get the pids controller only if it is delegated
                control = root / "cgroup.subtree_control"
                if not control.exists() or "pids" not in control.read_text().split():
                    continue
            return root
    return None


PREFIX = "ml-intern-"


def remove_stale(root: Path) -> list[Path]:
    """Remove the pids cgroups of ml-intern processes that are gone (killed before they could close theirs) and that
    no process is left in; return those removed."""
    removed = []
    for path in root.glob(PREFIX + "*"):
        owner = path.name[len(PREFIX):].split("-")[0]
        if not owner.isdigit() or Path(f"/proc/{owner}").exists():  # (its process still runs)
            continue
        try:
            if not (path / "cgroup.procs").read_text().split():
                path.rmdir()
                removed.append(path)
        except OSError:
            continue
    return removed


class PidsCgroup:
    """A pids cgroup for one job; ``procs`` is the file the child writes its pid into. Removed on close, once the
    processes in it are gone (killed first); those of a killed ml-intern are removed by the next job's."""

    def __init__(self, max_pids: int):
        self.path: Path | None = None
        root = _pids_root()
        if root is None:
            return
        remove_stale(root)
        path = root / f"{PREFIX}{os.getpid()}-{secrets.token_hex(3)}"
        try:
            path.mkdir()
        except OSError:
            return
        try:
            (path / "pids.max").write_text(str(max_pids))
            self.path = path
        except OSError:
            try:
                path.rmdir()
            except OSError:
                pass

    @property
    def procs(self) -> str | None:
        return str(self.path / "cgroup.procs") if self.path else None

    def close(self, wait_s: float = 10.0) -> bool:
        """Kill what is left in the cgroup, wait until it is empty (a killed process leaves it only once it has
        exited), and remove it. True if it is gone."""
        if self.path is None:
            return True
        deadline = time.monotonic() + wait_s
        while True:
            try:
                pids = (self.path / "cgroup.procs").read_text().split()
            except FileNotFoundError:
                return True
            except OSError:
                pids = []
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if not pids:
                try:
                    self.path.rmdir()
                    return True
                except FileNotFoundError:
                    return True
                except OSError:
                    pass  # EBUSY: a process was still leaving
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)


def enforced(limits: Limits, cgroup: PidsCgroup | None) -> dict[str, bool]:
    """Which limits hold for this job: recorded with the attempt and said in the docs."""
    return {"memory": bool(limits.memory_mb) and not limits.gpu, "cpu_time": bool(limits.cpu_seconds),
            "file_size": bool(limits.file_size_mb),
            "processes": bool(limits.processes) and (os.geteuid() != 0 or bool(cgroup and cgroup.path))}


def user_tasks() -> int:
    """Threads the current user runs now (what RLIMIT_NPROC counts)."""
    uid, count, me = os.getuid(), 0, str(os.getpid())
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:  # (a non-dumpable process's /proc folder is root's: ml-intern's own, once it guards its environment)
                if entry.stat().st_uid == uid or entry.name == me:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


def make_preexec(limits: Limits, cgroup_procs: str | None):
    """The function the child runs between fork and exec. Only async-signal-safe-ish work: no imports, no locks."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True) if os.path.exists("/proc") else None
    root = os.geteuid() == 0
    # RLIMIT_NPROC counts every thread of the user, not just the job's: allow what already runs plus the job's share
    nproc = (user_tasks() + limits.processes) if limits.processes and not root else None

    def preexec() -> None:
        if libc is not None:
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # die with ml-intern, even if it is SIGKILLed
        if cgroup_procs:
            with open(cgroup_procs, "w") as f:
                f.write(str(os.getpid()))
        if limits.memory_mb and not limits.gpu:
            size = limits.memory_mb * 2**20
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
        if limits.cpu_seconds:
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        if limits.file_size_mb:
            size = limits.file_size_mb * 2**20
            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        if nproc:
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))

    return preexec
