"""The sandbox's base types: the job to run (``Job``), what running it gave (``SandboxResult``), and the interface
every backend implements (``Sandbox``). Backends and the attempt loop import them from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ml_intern.run.failures import Stop
from ml_intern.run.sandbox.limits import Limits


@dataclass
class Job:
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    timeout_s: float
    log_path: Path
    writable: list[Path] = field(default_factory=list)  # the only places the job may write (inside the run folder)
    readonly: list[Path] = field(default_factory=list)  # read-only inside a writable place (the project's .git)
    limits: Limits = field(default_factory=Limits)
    allow_network: bool = False
    enforced: dict[str, bool] = field(default_factory=dict)  # filled by the backend: which limits held
    processes: int = 1  # training processes the job starts (accelerate launch): a cluster reserves a CPU or GPU each
    nodes: int = 1  # >1: the processes spread over several machines; argv is one process's command (``ray`` only)
    # where the job's folders really are on this machine, when not at their own paths (a copy on a Ray node
    # that does not share the run folder's filesystem): the sandbox shows each at its own path
    mounts: dict[str, str] = field(default_factory=dict)

    def host(self, path: Path | str) -> str:
        """Where ``path`` (a path the job sees) is on this machine."""
        path = str(path)
        for seen, real in self.mounts.items():
            if path == seen or path.startswith(seen.rstrip("/") + "/"):
                return real + path[len(seen):]
        return path


@dataclass
class SandboxResult:
    exit_code: int | None
    timed_out: bool = False
    duration_s: float = 0.0
    stopped: Stop | None = None  # why the monitor (or the backend: a lost worker) stopped the attempt early


class Sandbox(Protocol):
    name: str
    isolates: bool

    def run(self, job: Job, on_line: Callable[[str], None], on_tick: Callable[[], Stop | None]) -> SandboxResult:
        """Run the job, streaming its output to ``on_line``; ``on_tick`` is called a few times a second and may
        return a reason ("CLASS: why") to stop the job early."""
