"""The ``docker`` backend: the job in a container through the Docker SDK (extra ``ml-intern[docker]``).

The image holds the project's requirements (``image.py``: built once per base and requirements, then reused).
The container: no network (``network_mode="none"``) unless the run allows it (then Docker's bridge: the internet,
not the host's loopback services), a read-only root with a private /tmp, only the job's writable folders mounted
read-write at their own paths (the project's ``.git`` and local models read-only), no capabilities, no new
privileges, memory (cgroup, plus a data-segment limit so an allocation past it fails as ``MemoryError``), PID,
CPU-time and file-size limits, GPUs through the engine's device requests when the job uses one.

Not root inside: the job runs as the user running ml-intern, or as ``nobody`` when that is root (the writable
folders are then given to the ``nogroup`` group). Lifetime: a small guard is the container's main process; it
starts the job and ends the container when the stdin ml-intern holds open closes, so the container goes with
ml-intern even when ml-intern is SIGKILLed. The container removes itself when it ends (``auto_remove``); on a
timeout, a stop, Ctrl-C or an error ml-intern kills and removes it.
"""

from __future__ import annotations

import os
import queue
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ml_intern.errors import InputError
from ml_intern.run.failures import Stop
from ml_intern.run.sandbox.base import Job, SandboxResult
from ml_intern.run.sandbox.image import LABEL, image_for
from ml_intern.run.sandbox.output import LineSplitter
from ml_intern.run.sandbox.process import QUEUED_LINES, follow, pump_bytes

SANDBOX_UID = SANDBOX_GID = 65534  # nobody / nogroup: the job's user when ml-intern runs as root

# The container's main process (under docker-init): runs the job in its own session, passes its exit status on
# (128+N for a signal, as a shell does), and ends everything when its stdin (held by ml-intern) closes.
GUARD = '''
import os, signal, subprocess, sys, threading
job = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, start_new_session=True)
def orphaned():
    try:
        while os.read(0, 65536):
            pass
    except OSError:
        pass
    os.killpg(job.pid, signal.SIGKILL)
    os._exit(137)
threading.Thread(target=orphaned, daemon=True).start()
code = job.wait()
sys.exit(128 - code if code < 0 else code)
'''

NO_GPU = ("the run uses a GPU and the Docker engine cannot give one to a container: the NVIDIA Container Toolkit is "
          "not installed or not configured for Docker")
NO_GPU_FIX = ("install the NVIDIA Container Toolkit, run `nvidia-ctk runtime configure --runtime=docker` and restart "
              "the Docker engine; or run with --sandbox bwrap")


def _command(job: Job) -> list[str]:
    """The job's command inside the image: the host's interpreter path means nothing there, the image's ``python``."""
    argv = list(job.argv)
    if argv and "python" in os.path.basename(argv[0]):
        argv[0] = "python"
    return argv


def container_spec(job: Job, image: str, user: str | None = None) -> dict:
    """Keyword arguments for ``docker.from_env().containers.create`` for this job."""
    environment = {k: v for k, v in job.env.items() if k != "PATH"}  # the image's PATH, not the host's
    environment.setdefault("USER", "sandbox")  # getpass.getuser() works for a user the image does not list
    spec = {"image": image, "command": ["python", "-c", GUARD, *_command(job)], "user": user,
            "working_dir": str(job.cwd), "environment": environment, "labels": {LABEL: "attempt"},
            "network_mode": "bridge" if job.allow_network else "none", "read_only": True,
            "tmpfs": {"/tmp": "rw,size=1g"}, "auto_remove": True, "init": True,
            # the guard's lifeline: with detach False the SDK asks for StdinOnce, so the engine closes the stdin
            # when ml-intern's attached connection goes
            "stdin_open": True, "detach": False,
            "volumes": {**{job.host(w): {"bind": str(w), "mode": "rw"} for w in (job.writable or [job.cwd])},
                        **{job.host(r): {"bind": str(r), "mode": "ro"} for r in job.readonly
                           if Path(job.host(r)).exists()}},
            "security_opt": ["no-new-privileges"], "cap_drop": ["ALL"],
            "shm_size": f"{max(64, (job.limits.memory_mb or 4096) // 4)}m"}
    if user is None:
        del spec["user"]
    from docker.types import DeviceRequest, Ulimit

    ulimits = []
    if job.limits.memory_mb:
        spec["mem_limit"] = spec["memswap_limit"] = f"{job.limits.memory_mb}m"
        if not job.limits.gpu:  # CUDA maps large ranges; the cgroup limit still holds
            ulimits.append(Ulimit(name="data", soft=job.limits.memory_mb * 2**20, hard=job.limits.memory_mb * 2**20))
    if job.limits.processes:
        spec["pids_limit"] = job.limits.processes
    if job.limits.cpu_seconds:
        ulimits.append(Ulimit(name="cpu", soft=job.limits.cpu_seconds, hard=job.limits.cpu_seconds + 5))
    if job.limits.file_size_mb:
        ulimits.append(Ulimit(name="fsize", soft=job.limits.file_size_mb * 2**20, hard=job.limits.file_size_mb * 2**20))
    if ulimits:
        spec["ulimits"] = ulimits
    if job.limits.gpu:
        spec["device_requests"] = [DeviceRequest(count=-1, capabilities=[["gpu"]])]
    return spec


def container_user(job: Job) -> str:
    """Who the job runs as inside the container: never root. ml-intern's own user; when that is root, ``nobody``,
    with the job's writable folders (not their read-only parts) made writable for its group, ``nogroup``."""
    if os.geteuid() != 0:
        return f"{os.geteuid()}:{os.getegid()}"
    readonly = {job.host(r) for r in job.readonly}
    for top in (job.writable or [job.cwd]):
        for folder, dirs, files in os.walk(job.host(top)):
            dirs[:] = [d for d in dirs if os.path.join(folder, d) not in readonly]
            for path in [folder, *(os.path.join(folder, f) for f in files)]:
                try:
                    st = os.lstat(path)
                    if stat.S_ISLNK(st.st_mode):
                        continue
                    os.chown(path, -1, SANDBOX_GID)
                    extra = stat.S_IRWXG | stat.S_ISGID if stat.S_ISDIR(st.st_mode) else stat.S_IRGRP | stat.S_IWGRP
                    os.chmod(path, stat.S_IMODE(st.st_mode) | extra)
                except OSError:
                    continue
    return f"{SANDBOX_UID}:{SANDBOX_GID}"


def engine():
    """A client of a Docker engine that answers, else a typed error saying how to get one."""
    try:
        import docker
    except ImportError:
        raise InputError("sandbox docker needs the Docker SDK", fix="pip install 'ml-intern[docker]'") from None
    try:
        client = docker.from_env()
        client.ping()
    except Exception as exc:  # the SDK raises several types for "no engine"
        raise InputError(f"sandbox docker: no Docker engine reachable ({exc})",
                         fix="start Docker (dockerd), or use --sandbox bwrap") from None
    return client


def _gpu_error(exc: Exception) -> InputError | None:
    text = str(exc)
    if "could not select device driver" in text or "nvidia-container-cli" in text or "unknown runtime" in text:
        return InputError(f"{NO_GPU} ({getattr(exc, 'explanation', None) or text})", fix=NO_GPU_FIX)
    return None


class DockerSandbox:
    name = "docker"
    isolates = True

    def __init__(self) -> None:
        # shown whatever the verbosity: pulling the base, building the image (with its log), reusing it
        self.notify: Callable[[str], None] | None = None

    def run(self, job: Job, on_line: Callable[[str], None], on_tick: Callable[[], Stop | None]) -> SandboxResult:
        import docker
        from docker.utils.socket import frames_iter

        client = engine()
        job.log_path.parent.mkdir(parents=True, exist_ok=True)

        def note(line: str) -> None:
            with job.log_path.open("a") as log:
                log.write(line + "\n")
            on_line(line)
            if self.notify and line.startswith("[ml-intern]"):
                self.notify(line.removeprefix("[ml-intern] "))

        image = image_for(client, Path(job.host(job.cwd)), note, job.log_path.parent)
        job.enforced = {"memory": bool(job.limits.memory_mb), "processes": bool(job.limits.processes),
                        "cpu_time": bool(job.limits.cpu_seconds), "file_size": bool(job.limits.file_size_mb)}
        try:
            container = client.containers.create(**container_spec(job, image, container_user(job)))
        except docker.errors.APIError as exc:
            raise _gpu_error(exc) or InputError(f"sandbox docker: the container cannot be made ({exc.explanation})",
                                                fix="see the Docker engine's log") from None
        api, cid, sock = client.api, container.id, None
        started = time.monotonic()
        lines: queue.Queue[str | None] = queue.Queue(maxsize=QUEUED_LINES)
        splitter = LineSplitter()

        def read() -> bytes:  # the next frame's bytes; b"" at the end
            try:
                for _, data in frames:
                    if data:
                        return data
            except Exception:  # noqa: BLE001 - the connection broke: that is the end of the output
                pass
            return b""

        def pump() -> None:
            pump_bytes(read, lines, splitter)

        def kill() -> None:
            try:
                api.kill(cid)
            except docker.errors.APIError:
                pass  # already gone

        try:
            # attached before it starts: all output, and the stdin whose end tells the guard that ml-intern is gone
            sock = api.attach_socket(cid, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
            getattr(sock, "_sock", sock).settimeout(None)  # a quiet job is not a dead connection
            # asked before it starts, so its end is seen though it removes itself (the answer comes at removal)
            waiting = api._post(api._url("/containers/{0}/wait", cid), params={"condition": "removed"}, stream=True,
                                timeout=None)
            try:
                container.start()
            except docker.errors.APIError as exc:
                raise _gpu_error(exc) or InputError(f"sandbox docker: the container does not start ({exc.explanation})",
                                                    fix="see the Docker engine's log") from None
            frames = iter(frames_iter(sock, tty=False))
            reader = threading.Thread(target=pump, daemon=True)
            reader.start()
            timed_out, stopped = follow(lines, job, on_line, on_tick, kill, started, splitter)
            status = waiting.json()
            reader.join(timeout=5)
        except BaseException:
            kill()  # Ctrl-C, SIGTERM or an error here: the container goes too
            try:
                api.remove_container(cid, force=True)
            except docker.errors.APIError:
                pass
            raise
        finally:
            if sock is not None:
                sock.close()
        code = status.get("StatusCode")
        if code is not None and 128 < code <= 128 + 64:  # the guard's (or the engine's) 128+N: killed by signal N
            code = 128 - code
        return SandboxResult(exit_code=code, timed_out=timed_out, duration_s=time.monotonic() - started,
                             stopped=stopped)

