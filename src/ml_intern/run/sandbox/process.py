"""The ``process`` backend: a subprocess in a new session, so the whole process group can be killed.

It scrubs the environment (see ``env.py``) and enforces the wall-clock timeout, but it does not isolate the
file system or the network: the isolation issue adds bubblewrap for that.
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

from ml_intern.run.sandbox import Job, SandboxResult

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child: get SIGKILL when ml-intern dies, even when it is killed with SIGKILL itself."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


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


class ProcessSandbox:
    name = "process"

    def run(self, job: Job, on_line: Callable[[str], None], on_tick: Callable[[], None]) -> SandboxResult:
        job.log_path.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        proc = subprocess.Popen(job.argv, cwd=job.cwd, env=job.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True, errors="replace", bufsize=1,
                                start_new_session=True, preexec_fn=_die_with_parent)
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.put(line)
            lines.put(None)

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        timed_out = False
        try:
            with job.log_path.open("a") as log:
                done = False
                while not done:
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
                    done = item is None
                    log.flush()
                    on_tick()
                    if not done and time.monotonic() - started > job.timeout_s:
                        timed_out = True
                        log.write(f"\n[ml-intern] timeout after {job.timeout_s:.0f} s: killing the process group\n")
                        kill_group(proc)
                        break
        except BaseException:
            kill_group(proc)  # Ctrl-C or SIGTERM of ml-intern: the training process goes too
            raise
        exit_code = proc.wait()
        reader.join(timeout=5)
        return SandboxResult(exit_code=exit_code, timed_out=timed_out, duration_s=time.monotonic() - started)
