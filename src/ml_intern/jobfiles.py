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
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ml_intern.inputs import DataOnlyLoader

MAX_JSON_BYTES = 16 * 1024 * 1024  # results.json, run_info.json
MAX_TEXT_BYTES = 64 * 1024 * 1024  # metrics.jsonl and other line files
MAX_DEPTH = 64  # nesting of a JSON value ml-intern keeps


def open_regular(path: str | Path) -> int | None:
    """A read-only descriptor of the regular file at ``path``, opened without following a link and without
    blocking (a pipe); None for anything else. The type is checked before the open (a device is never opened)
    and after it (the entry may have been swapped in between)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def read_bytes(path: str | Path, limit: int) -> bytes | None:
    """At most ``limit`` bytes of the regular file at ``path`` (None if it is a link, a pipe, a device, a folder or
    missing). A file longer than ``limit`` reads as its first ``limit`` bytes; callers that need all of it check
    ``len(data) == limit``."""
    fd = open_regular(path)
    if fd is None:
        return None
    try:
        chunks, left = [], limit
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
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


def read_tail(path: str | Path, limit: int) -> str | None:
    """The last ``limit`` bytes of the regular file at ``path`` as text (no-follow, as ``read_bytes``)."""
    fd = open_regular(path)
    if fd is None:
        return None
    try:
        os.lseek(fd, max(0, os.fstat(fd).st_size - limit), os.SEEK_SET)
        chunks, left = [], limit
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks).decode("utf-8", errors="replace")
    except OSError:
        return None
    finally:
        os.close(fd)


def inside(root: str | Path, path: str | Path) -> Path | None:
    """``path`` (relative to ``root`` or absolute) if it names a regular file inside ``root`` reached through no
    link (neither the file nor a folder on the way); else None."""
    root = Path(root)
    path = Path(path)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError:
            try:
                path = path.relative_to(root.resolve())
            except ValueError:
                return None
    if any(part in ("", ".", "..") for part in path.parts):
        return None
    here = root
    for part in path.parts:
        here = here / part
        try:
            mode = os.lstat(here).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return None
    return here if stat.S_ISREG(mode) else None


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to a new file beside ``path`` and rename it over ``path``: a link there is replaced, never
    written through."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.ml-intern-{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def copy_file(src: str | Path, dst: str | Path) -> bool:
    """Copy the regular file at ``src`` (not through a link) to a new file ``dst``; False if it is not one."""
    fd = open_regular(src)
    if fd is None:
        return False
    with os.fdopen(fd, "rb") as source:
        mode = os.fstat(fd).st_mode
        with open(dst, "xb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
    os.chmod(dst, stat.S_IMODE(mode) & 0o755)
    return True


def copy_tree(src: str | Path, dst: str | Path, skip: Iterable[str] = ()) -> list[str]:
    """Copy the folders and regular files under ``src`` to a new folder ``dst`` without following a link: links,
    pipes, sockets and devices are left out, and so are entries named in ``skip`` (at any depth). Returns what was
    left out (relative paths), so the caller can say so."""
    src, dst, skip = Path(src), Path(dst), set(skip)
    left_out: list[str] = []
    dst.mkdir(parents=True)
    for here, folders, files in os.walk(src, followlinks=False):
        rel = Path(here).relative_to(src)
        for name in sorted(folders):
            if name in skip:
                folders.remove(name)
            elif os.path.islink(Path(here, name)):
                folders.remove(name)
                left_out.append(str(rel / name))
            else:
                (dst / rel / name).mkdir()
        for name in sorted(files):
            if name in skip:
                continue
            if not copy_file(Path(here, name), dst / rel / name):
                left_out.append(str(rel / name))
    return left_out


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


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` that refuses anchors and aliases (raises ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=DataOnlyLoader)  # noqa: S506 - a SafeLoader subclass


def read_yaml_object(path: str | Path, limit: int = MAX_JSON_BYTES) -> dict | None:
    """The YAML mapping in the file, {} for an empty file, None if it cannot be read safely or is not a mapping."""
    data = read_bytes(path, limit + 1)
    if data is None or len(data) > limit:
        return None
    try:
        value = load_yaml(data.decode("utf-8", errors="replace"))
    except (yaml.YAMLError, RecursionError):
        return None
    if value is None:
        return {}
    return value if isinstance(value, dict) else None


def finite(value: Any) -> float | None:
    """A metric value as a finite float, or None (a string, a bool, nan, inf, an integer past 64 bits)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int) and abs(value) >= 2**63:
        return None
    value = float(value)
    return value if math.isfinite(value) else None
