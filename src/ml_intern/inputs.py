"""Reading what the user names: a paper, a task file, a ``--set`` value. Bounded, regular files only, YAML as data.

The user's input is trusted to be theirs, not to be well-formed: ``/dev/zero`` or a named pipe given as a paper
must not exhaust memory or block, a 600-byte YAML alias bomb must not become a 226 MB title, a typo'd key must not
be ignored. Every refusal is an ``InputError`` naming the file, the problem and the fix. (Files a *job* wrote are
read through ``jobfiles.py``, which also refuses links.)
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from ml_intern.errors import InputError

MAX_PAPER_BYTES = 256 * 2**20  # a PDF, HTML or LaTeX paper (the largest of the 22 test papers is under 20 MB)
MAX_YAML_BYTES = 2**20  # a task file, a prompt file, a project's config.yaml
KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def _size(n: int) -> str:
    return f"{n / 2**20:g} MiB" if n >= 2**20 else f"{n:,} bytes"


def read_input(path: str | Path, limit: int, fix: str) -> bytes:
    """The bytes of the regular file at ``path`` (a link the user made is followed: it is theirs), at most
    ``limit``; a pipe, device, socket or folder, or a longer file, is an ``InputError`` (``fix`` says what to give).
    Opened non-blocking, so a named pipe with no writer is refused at once instead of waiting for one."""
    subject = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", subject=subject, fix=fix) from None
    with os.fdopen(fd, "rb") as file:
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                kind = KINDS.get(stat.S_IFMT(mode), "not a regular file")
                raise InputError(f"is {kind}, not a regular file", subject=subject, fix=fix)
            data = file.read(limit + 1)
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror})", subject=subject, fix=fix) from None
    if len(data) > limit:
        raise InputError(f"is over the {_size(limit)} limit for this kind of file", subject=subject, fix=fix)
    return data


class DataOnlyLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases: one alias can stand for a whole subtree, so a few hundred bytes can
    expand to gigabytes when the value is used (the "billion laughs"). Task files and configs never need them."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused("anchors and aliases (&name, *name, <<) are not accepted", event.start_mark)
        return super().compose_node(parent, index)


class _Refused(yaml.YAMLError):
    def __init__(self, problem: str, mark: yaml.Mark | None):
        self.problem, self.mark = problem, mark
        super().__init__(problem)


def load_yaml(text: str, subject: str | None, fix: str, limit: int = MAX_YAML_BYTES) -> Any:
    """The YAML document in ``text`` as plain data; too long, anchors or aliases, nesting past Python's recursion
    limit, or bad syntax are an ``InputError`` naming ``subject`` and the line."""
    if len(text.encode("utf-8", "replace")) > limit:
        raise InputError(f"is over the {_size(limit)} limit for YAML", subject=subject, fix=fix)
    try:
        return yaml.load(text, Loader=DataOnlyLoader)  # noqa: S506 (a SafeLoader: plain data only)
    except _Refused as exc:
        where = f" (line {exc.mark.line + 1})" if exc.mark else ""
        raise InputError(f"{exc.problem}{where}", subject=subject, fix="write each value out in full") from None
    except RecursionError:
        raise InputError("is nested too deep", subject=subject, fix=fix) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML ({str(exc).splitlines()[0]})", subject=subject, fix=fix) from None
