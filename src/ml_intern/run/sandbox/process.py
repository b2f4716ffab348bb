"""The ``process`` backend: a subprocess in a new session, with resource limits and a scrubbed environment.

It does not isolate the file system or the network: generated code can read what the user can read. It says so
when chosen. The streaming loop here is shared with the bubblewrap backend, which only wraps the command.

The job's own environment is scrubbed, but it shares the process table: it could read the environment ml-intern
was started with (and its ancestors') from ``/proc/PID/environ``, tokens included. So before a job starts,
ml-intern makes itself non-dumpable (``prctl(PR_SET_DUMPABLE, 0)``: its ``/proc`` files then need
``CAP_SYS_PTRACE`` to read; the job is dumpable again after its ``execve``), and ``guard_environment`` refuses the
job where a secret would still be readable: a job with ``CAP_SYS_PTRACE`` (root) while ml-intern holds secrets, or
an ancestor (a wrapper shell, ``uv run``, a container's init) whose environment holds one and that the job can read.
(A process of the same user that is non-dumpable is closed to the job; root reads it anyway, so root is refused.)
"""

from __future__ import annotations

import ctypes
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable

from ml_intern.errors import InputError
from ml_intern.run.failures import Stop
from ml_intern.run.sandbox.base import Job, SandboxResult
from ml_intern.run.sandbox.env import secret_names
from ml_intern.run.sandbox.limits import PidsCgroup, enforced, make_preexec
from ml_intern.run.sandbox.output import MAX_OUTPUT_BYTES, BoundedLog, LineSplitter

QUEUED_LINES = 10_000  # lines between the reader and the log writer (then the job waits)

WARNING = ("sandbox 'process' does not isolate: the generated code can read your files and use the network; "
           "only the environment is scrubbed and resources are limited")

_PR_SET_DUMPABLE, _PR_GET_DUMPABLE = 4, 3
_CAP_SYS_PTRACE = 19
FIX = ("use --sandbox bwrap or docker (they hide other processes), or unset the variables before starting "
       "ml-intern (log in with `hf auth login` instead of HF_TOKEN), or run ml-intern as a normal user")


def _environ(pid: int | str) -> dict[str, str] | None:
    """The environment process ``pid`` was started with, as this process can read it (None: it cannot)."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            raw = f.read(4 << 20)
    except OSError:
        return None
    pairs = (item.decode("utf-8", "replace").partition("=") for item in raw.split(b"\0") if item)
    return {k: v for k, _, v in pairs}


def _status(pid: int | str) -> dict[str, str]:
    try:
        with open(f"/proc/{pid}/status") as f:
            return dict(line.rstrip("\n").partition(":\t")[::2] for line in f if ":\t" in line)
    except OSError:
        return {}


def job_can_trace() -> bool:
    """Whether a job started by this process can read a non-dumpable process's ``/proc/PID/environ``: as root (measured
    on Linux 6.18: root reads it even with CAP_SYS_PTRACE dropped from its bounding set), or holding CAP_SYS_PTRACE
    as an ambient capability (kept across ``execve``)."""
    ambient = int(_status("self").get("CapAmb", "0"), 16)
    return os.geteuid() == 0 or bool(ambient & (1 << _CAP_SYS_PTRACE))


def ancestors() -> list[int]:
    """The parent, its parent, ... up to and including init (pid 1 of this pid namespace)."""
    chain, pid = [], os.getppid()
    while pid > 0 and pid not in chain:
        chain.append(pid)
        pid = int(_status(pid).get("PPid", "0") or 0)
    return chain


def make_undumpable() -> bool:
    """``prctl(PR_SET_DUMPABLE, 0)`` on ml-intern itself: its ``/proc/PID/environ`` and memory are closed to other
    processes of the same user without CAP_SYS_PTRACE. Stays set for the life of the process. False if impossible."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 and libc.prctl(_PR_GET_DUMPABLE, 0, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def guard_environment() -> None:
    """Make ml-intern's own environment unreadable to the job, and refuse the job (an ``InputError`` naming the
    process, the variables and the fix) where a secret in an environment would still be readable by it."""
    if not os.path.isdir("/proc/self"):
        return  # no /proc (macOS): no process's environment is a file another can read
    own = {**(_environ("self") or {}), **os.environ}
    held = secret_names(own)
    sealed = make_undumpable()
    if held and (job_can_trace() or not sealed):
        why = ("the job would run as root, which reads any process's /proc/PID/environ"
               if sealed else "ml-intern cannot make itself non-dumpable here")
        raise InputError(f"sandbox process refused: ml-intern's environment holds {', '.join(held)} and {why}",
                         fix=FIX)
    for pid in ancestors():
        # ml-intern runs as the job's user: what it can read here (its own power aside), the job can read too
        environ = _environ(pid)
        if environ and (names := secret_names(environ)):
            name = _status(pid).get("Name", "?")
            raise InputError(f"sandbox process refused: process {pid} ({name}), which started ml-intern, holds "
                             f"{', '.join(names)} in its environment, and the job could read it from "
                             f"/proc/{pid}/environ", fix=FIX)


def kill_group(proc: subprocess.Popen, grace_s: float = 3.0) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def follow(lines: queue.Queue[str | None], job: Job, on_line: Callable[[str], None],
           on_tick: Callable[[], Stop | None], kill: Callable[[], None], started: float,
           splitter: LineSplitter | None = None) -> tuple[bool, Stop | None]:
    """The job's output lines (None at the end) into its log (bounded: ``BoundedLog``) and ``on_line`` as they
    come; ``on_tick`` a few times a second. Stops the job with ``kill`` on the timeout, when ``on_tick`` gives a
    reason, or when the job has printed more than ``MAX_OUTPUT_BYTES`` (``splitter`` counts them): (timed out,
    reason)."""
    with job.log_path.open("a") as f:
        log = BoundedLog(f)
        try:
            while True:
                try:
                    item = lines.get(timeout=0.25)
                except queue.Empty:
                    item = ""
                while item is not None:
                    if item:
                        log.write(item)
                        on_line(item.rstrip("\n"))
                    try:
                        item = lines.get_nowait()
                    except queue.Empty:
                        break
                log.flush()
                reason = on_tick()
                if item is None:
                    return False, None
                if not reason and splitter is not None and splitter.total > MAX_OUTPUT_BYTES:
                    reason = Stop(cls="output_flood", message=f"the job printed more than {MAX_OUTPUT_BYTES // 2**20} "
                                                              "MiB of output")
                if reason:
                    log.note(f"\n[ml-intern] stopped early: {reason}\n")
                    kill()
                    return False, reason
                if time.monotonic() - started > job.timeout_s:
                    log.note(f"\n[ml-intern] timeout after {job.timeout_s:.0f} s: killing the process group\n")
                    kill()
                    return True, None
        finally:
            log.close()


def pump_bytes(read: Callable[[], bytes], lines: queue.Queue[str | None], splitter: LineSplitter) -> None:
    """Raw output chunks from ``read`` (b"" at the end) as bounded lines into ``lines``, then None. The queue is
    bounded: a job that prints faster than ml-intern writes its log waits on its pipe."""
    try:
        while chunk := read():
            for line in splitter.feed(chunk):
                lines.put(line)
    except (OSError, ValueError):  # the pipe or connection broke: that is the end of the output
        pass
    for line in splitter.close():
        lines.put(line)
    lines.put(None)


def run_streaming(argv: list[str], job: Job, on_line: Callable[[str], None],
                  on_tick: Callable[[], Stop | None]) -> SandboxResult:
    """Start ``argv`` in its own session under the job's limits, stream its output, stop it on timeout or when
    ``on_tick`` returns a reason, and kill its whole process group on the way out (Ctrl-C included)."""
    job.log_path.parent.mkdir(parents=True, exist_ok=True)
    cgroup = PidsCgroup(job.limits.processes) if job.limits.processes and os.geteuid() == 0 else None
    job.enforced = enforced(job.limits, cgroup)
    started = time.monotonic()
    proc = subprocess.Popen(argv, cwd=job.host(job.cwd), env=job.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, bufsize=0, start_new_session=True,
                            preexec_fn=make_preexec(job.limits, cgroup.procs if cgroup else None))
    lines: queue.Queue[str | None] = queue.Queue(maxsize=QUEUED_LINES)
    splitter = LineSplitter()
    assert proc.stdout is not None
    stdout = proc.stdout
    reader = threading.Thread(target=pump_bytes, args=(lambda: stdout.read(1 << 16), lines, splitter), daemon=True)
    reader.start()
    try:
        timed_out, stopped = follow(lines, job, on_line, on_tick, lambda: kill_group(proc), started, splitter)
    except BaseException:
        kill_group(proc)  # Ctrl-C or SIGTERM of ml-intern: the training process goes too
        raise
    finally:
        if cgroup:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                kill_group(proc)
            cgroup.close()  # also kills anything that escaped the process group with setsid
    exit_code = proc.wait()
    _drain(lines)
    reader.join(timeout=5)
    return SandboxResult(exit_code=exit_code, timed_out=timed_out, duration_s=time.monotonic() - started,
                         stopped=stopped)


def _drain(lines: queue.Queue) -> None:
    """Empty the queue after ``follow`` returned, so a reader blocked on a full queue can end."""
    try:
        while True:
            lines.get_nowait()
    except queue.Empty:
        pass


class ProcessSandbox:
    name = "process"
    isolates = False

    def run(self, job: Job, on_line: Callable[[str], None], on_tick: Callable[[], Stop | None]) -> SandboxResult:
        if job.mounts:
            raise InputError("sandbox process cannot show a copied run folder at its own paths (a Ray node without "
                             "the shared filesystem)", fix="install bubblewrap on the node, or share the run folder")
        guard_environment()
        return run_streaming(job.argv, job, on_line, on_tick)
