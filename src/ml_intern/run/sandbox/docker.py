"""The ``docker`` backend: the job in a container through the Docker SDK (extra ``ml-intern[docker]``).

The container: the image (default ``python:3.11-slim``, set ``ML_INTERN_DOCKER_IMAGE``), no network
(``network_mode="none"``) unless the run allows it, a read-only root file system with a private /tmp, the run
folder mounted read-write at its own path, memory and PID limits, GPUs through device requests. The image must
hold the project's requirements. No Docker engine runs on ml-intern's own CI: the container spec is tested, the
engine path is not.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from ml_intern.errors import InputError
from ml_intern.run.failures import Stop
from ml_intern.run.sandbox import Job, SandboxResult

DEFAULT_IMAGE = "python:3.11-slim"


def container_spec(job: Job, image: str | None = None) -> dict:
    """Keyword arguments for ``docker.from_env().containers.run`` for this job."""
    from_docker = {"image": image or os.environ.get("ML_INTERN_DOCKER_IMAGE") or DEFAULT_IMAGE,
                   "command": ["python", *job.argv[1:]] if job.argv and "python" in os.path.basename(job.argv[0])
                   else job.argv,
                   "working_dir": str(job.cwd), "environment": dict(job.env), "detach": True,
                   "network_mode": "bridge" if job.allow_network else "none", "read_only": True,
                   "tmpfs": {"/tmp": "rw,size=1g"}, "auto_remove": False, "init": True,
                   "volumes": {**{job.host(w): {"bind": str(w), "mode": "rw"} for w in (job.writable or [job.cwd])},
                               **{job.host(r): {"bind": str(r), "mode": "ro"} for r in job.readonly}},
                   "security_opt": ["no-new-privileges"], "cap_drop": ["ALL"]}
    # the host's PATH and interpreter mean nothing inside the image
    from_docker["environment"].pop("PATH", None)
    if job.limits.memory_mb:
        from_docker["mem_limit"] = f"{job.limits.memory_mb}m"
        from_docker["memswap_limit"] = f"{job.limits.memory_mb}m"
    if job.limits.processes:
        from_docker["pids_limit"] = job.limits.processes
    if job.limits.gpu:
        from docker.types import DeviceRequest  # noqa: PLC0415 - only with the extra

        from_docker["device_requests"] = [DeviceRequest(count=-1, capabilities=[["gpu"]])]
    return from_docker


class DockerSandbox:
    name = "docker"
    isolates = True

    def run(self, job: Job, on_line: Callable[[str], None], on_tick: Callable[[], Stop | None]) -> SandboxResult:
        try:
            import docker
        except ImportError:
            raise InputError("sandbox docker needs the Docker SDK", fix="pip install 'ml-intern[docker]'") from None
        try:
            client = docker.from_env()
            client.ping()
        except Exception as exc:  # the SDK raises several types for "no engine"
            raise InputError(f"sandbox docker: no Docker engine reachable ({exc})",
                             fix="start Docker, or use --sandbox bwrap") from None
        job.enforced = {"memory": bool(job.limits.memory_mb), "processes": bool(job.limits.processes),
                        "cpu_time": False, "file_size": False}
        started = time.monotonic()
        container = client.containers.run(**container_spec(job))
        done = threading.Event()

        def pump() -> None:
            with job.log_path.open("a") as log:
                for chunk in container.logs(stream=True, follow=True):
                    for line in chunk.decode(errors="replace").splitlines():
                        log.write(line + "\n")
                        on_line(line)
            done.set()

        threading.Thread(target=pump, daemon=True).start()
        timed_out, stopped = False, None
        try:
            while not done.wait(0.25):
                if reason := on_tick():
                    stopped = reason
                    break
                if time.monotonic() - started > job.timeout_s:
                    timed_out = True
                    break
            if stopped or timed_out:
                container.kill()
            status = container.wait(timeout=30)
        except BaseException:
            container.kill()
            raise
        finally:
            on_tick()
        container.remove(force=True)
        return SandboxResult(exit_code=status.get("StatusCode"), timed_out=timed_out,
                             duration_s=time.monotonic() - started, stopped=stopped)
