"""Sandboxes: one small interface, ``Sandbox.run(job, on_line, on_tick) -> SandboxResult``, several backends.

- ``bwrap``: bubblewrap. No network, only system folders and the Python environment visible (read-only), a
  private /tmp, the run folder the only writable place, dies with its parent; plus the resource limits.
- ``process``: a plain subprocess with the same limits and environment scrubbing; does not isolate.
- ``docker``: a container through the Docker SDK, in an image of the project's requirements (``image.py``):
  network none, read-only root, not root inside, memory, PID, CPU-time and file-size limits, GPUs.
- ``auto``: the strongest that works here, probed at start.
"""

from __future__ import annotations

from ml_intern.run.sandbox.base import Job, Sandbox, SandboxResult

__all__ = ["BACKENDS", "Job", "Sandbox", "SandboxResult", "get_sandbox"]


BACKENDS = ("auto", "bwrap", "process", "docker", "ray")


def get_sandbox(name: str = "auto") -> Sandbox:
    """The backend by name; ``auto`` picks bwrap where it works, else process."""
    from ml_intern.errors import InputError
    from ml_intern.run.sandbox.bwrap import BwrapSandbox
    from ml_intern.run.sandbox.docker import DockerSandbox
    from ml_intern.run.sandbox.process import ProcessSandbox

    if name == "auto":
        return BwrapSandbox() if BwrapSandbox.available() is None else ProcessSandbox()
    if name == "bwrap":
        if (why := BwrapSandbox.available()) is not None:
            raise InputError(f"sandbox bwrap does not work here: {why}",
                             fix="install bubblewrap (apt-get install bubblewrap) or use --sandbox process")
        return BwrapSandbox()
    if name == "process":
        return ProcessSandbox()
    if name == "docker":
        return DockerSandbox()
    if name == "ray":
        from ml_intern.run.sandbox.ray import RaySandbox

        return RaySandbox()
    raise InputError(f"unknown sandbox {name!r}", fix=f"one of {', '.join(BACKENDS)}")
