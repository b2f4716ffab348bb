"""Classify a failed attempt from its exit status, the traceback in its log and its metrics.

This is the first cut of the closed taxonomy; the repair issue extends the classes and adds the fixes.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from ml_intern.run.sandbox import SandboxResult

_EXC = re.compile(r"^(\w+(?:\.\w+)*(?:Error|Exception|Interrupt|Exit)): ?(.*)$")
_CLASSES = [
    ("out_of_memory", re.compile(r"out of memory|OutOfMemoryError|Cannot allocate memory|MemoryError", re.I)),
    ("nan_loss", re.compile(r"FloatingPointError|loss is nan|loss is inf|nan loss", re.I)),
    ("missing_package", re.compile(r"ModuleNotFoundError|No module named", re.I)),
    ("missing_name", re.compile(r"ImportError|NameError|AttributeError: module", re.I)),
    ("shape_mismatch", re.compile(r"shapes?\b.*cannot be multiplied|size mismatch|must match the size", re.I)),
    ("file_not_found", re.compile(r"FileNotFoundError|No such file or directory", re.I)),
    ("disk_full", re.compile(r"No space left on device", re.I)),
]


class Failure(BaseModel):
    cls: str
    message: str
    log_tail: str = ""


def last_exception(log: str) -> str | None:
    for line in reversed(log.splitlines()):
        if _EXC.match(line.strip()):
            return line.strip()
    return None


def classify(result: SandboxResult, log: str) -> Failure:
    tail = "\n".join(log.splitlines()[-30:])
    if result.timed_out:
        return Failure(cls="timeout", message="the attempt ran past its time limit and was stopped", log_tail=tail)
    exception = last_exception(log)
    text = exception or tail
    for cls, pattern in _CLASSES:
        if pattern.search(text):
            return Failure(cls=cls, message=exception or f"exit code {result.exit_code}", log_tail=tail)
    if result.exit_code is not None and result.exit_code < 0:
        return Failure(cls="killed", message=f"killed by signal {-result.exit_code}", log_tail=tail)
    return Failure(cls="unknown", message=exception or f"exit code {result.exit_code}", log_tail=tail)
