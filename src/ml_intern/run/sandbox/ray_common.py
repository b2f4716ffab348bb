"""What the two Ray backends share: the Ray module (an extra), how long a node may take to start a job, and the
result of a job whose Ray worker was lost. ``ray.py`` (one actor per attempt) and ``ray_train.py`` (a Ray Train job
over several machines) both import it; neither imports the other's internals."""

from __future__ import annotations

import os
import time

from ml_intern.errors import InputError
from ml_intern.run.failures import Stop
from ml_intern.run.sandbox.base import Job, SandboxResult

START_TIMEOUT_S = float(os.environ.get("ML_INTERN_RAY_START_TIMEOUT") or 600)  # for a node to take the attempt


def ray_module():
    try:
        import ray
    except ImportError:
        raise InputError("sandbox ray needs Ray", fix="pip install 'ml-intern[ray]'") from None
    return ray


def lost(job: Job, node: str, exc: Exception, started: float) -> SandboxResult:
    why = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
    with job.log_path.open("a") as log:
        log.write(f"\n[ml-intern] the Ray worker running this attempt was lost: {why}\n")
    return SandboxResult(exit_code=None, duration_s=time.monotonic() - started,
                         stopped=Stop(cls="worker_lost", message=f"the Ray worker on {node} was lost ({why})"))
