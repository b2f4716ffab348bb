"""Sandboxes: one small interface, ``Sandbox.run(job, on_line, on_tick) -> SandboxResult``, several backends.

This version has the ``process`` backend (a subprocess in its own process group, scrubbed environment,
timeout). The isolation issue adds bubblewrap and Docker behind the same interface.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass
class Job:
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    timeout_s: float
    log_path: Path
    writable: list[Path] = field(default_factory=list)


@dataclass
class SandboxResult:
    exit_code: int | None
    timed_out: bool = False
    duration_s: float = 0.0


class Sandbox(Protocol):
    name: str

    def run(self, job: Job, on_line: Callable[[str], None], on_tick: Callable[[], None]) -> SandboxResult: ...


def get_sandbox(name: str = "process") -> Sandbox:
    from ml_intern.run.sandbox.process import ProcessSandbox

    backends: dict[str, Callable[[], Sandbox]] = {"process": ProcessSandbox, "auto": ProcessSandbox}
    if name not in backends:
        from ml_intern.errors import InputError

        raise InputError(f"unknown sandbox {name!r}", fix=f"one of {', '.join(backends)}")
    return backends[name]()
