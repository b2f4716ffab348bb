"""Reading what a job wrote: hostile data, read without following links, with bounds, never crashing.

The training code is untrusted, so every file it leaves (results, metrics, logs, config, the project itself) may be
a link to a host file, a named pipe, a device such as ``/dev/zero``, a gigabyte without a newline, or JSON of the
wrong shape. The functions here open a path with ``O_NOFOLLOW | O_NONBLOCK`` (a link or a pipe never blocks or
leads elsewhere), read only a regular file, and read at most ``limit`` bytes. What cannot be read safely reads as
nothing (``None``, ``{}``, ``[]``): the caller treats a missing result and a hostile one alike.
"""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import Any

MAX_JSON_BYTES = 16 * 1024 * 1024  # results.json, run_info.json
MAX_TEXT_BYTES = 64 * 1024 * 1024  # metrics.jsonl and other line files
MAX_DEPTH = 64  # nesting of a JSON value ml-intern keeps


def read_bytes(path: str | Path, limit: int) -> bytes | None:
    """At most ``limit`` bytes of the regular file at ``path`` (None if it is a link, a pipe, a device, a folder or
    missing). A file longer than ``limit`` reads as its first ``limit`` bytes; callers that need all of it check
    ``len(data) == limit``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, left = [], limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def read_text(path: str | Path, limit: int = MAX_TEXT_BYTES) -> str | None:
    """The file's text (undecodable bytes replaced), bounded as ``read_bytes``; None if it cannot be read safely."""
    data = read_bytes(path, limit)
    return None if data is None else data.decode("utf-8", errors="replace")


def is_plain(value: Any, depth: int = 0) -> bool:
    """Whether a parsed JSON value is safe to keep: finite numbers of sane size, bounded nesting."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int):
        return abs(value) < 2**63
    if isinstance(value, float):
        return True  # nan/inf are a training fact (a diverged loss), kept as read
    if isinstance(value, list):
        return all(is_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain(v, depth + 1) for k, v in value.items())
    return False


def loads(text: str) -> Any:
    """``json.loads`` that raises ValueError (never RecursionError) on a hostile document."""
    try:
        return json.loads(text)
    except RecursionError as e:
        raise ValueError("JSON nested too deep") from e


def read_json_object(path: str | Path, limit: int = MAX_JSON_BYTES) -> dict:
    """The JSON object in the file, or {} if it is missing, not a regular file, too big, not JSON, not an object,
    or holds values ml-intern will not keep (integers past 64 bits, nesting past ``MAX_DEPTH``)."""
    data = read_bytes(path, limit + 1)
    if data is None or len(data) > limit:
        return {}
    try:
        value = loads(data.decode("utf-8", errors="replace"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) and is_plain(value) else {}


def read_json_lines(path: str | Path, limit: int = MAX_TEXT_BYTES, max_rows: int = 1_000_000) -> list[dict]:
    """The JSON objects, one per line, in the file's first ``limit`` bytes (at most ``max_rows``); malformed or
    hostile lines are skipped, and a last line cut by the bound is dropped."""
    data = read_bytes(path, limit + 1)
    if data is None:
        return []
    cut = len(data) > limit
    lines = data[:limit].decode("utf-8", errors="replace").splitlines()
    if cut and lines:
        lines.pop()
    rows: list[dict] = []
    for line in lines:
        if len(rows) >= max_rows:
            break
        try:
            row = loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and is_plain(row):
            rows.append(row)
    return rows


def finite(value: Any) -> float | None:
    """A metric value as a finite float, or None (a string, a bool, nan, inf, an integer past 64 bits)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int) and abs(value) >= 2**63:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
