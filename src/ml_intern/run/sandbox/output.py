"""The job's output as ml-intern takes it: hostile bytes, cut into bounded, printable lines; a log with a size cap.

Every backend reads the job's stdout and stderr as raw bytes and hands them to a ``LineSplitter``: a line ends at
``\\n`` or ``\\r`` (a progress bar redraws with ``\\r``), a line longer than ``MAX_LINE`` is cut there (the rest of it
dropped, the cut said), and control characters (terminal escape sequences among them) are removed, so nothing the
job prints moves the user's cursor, recolours the terminal or reaches console markup. ``BoundedLog`` keeps the log's
first ``HEAD_BYTES`` and its last ``TAIL_BYTES`` (the error is at the end), whatever the job prints; the total is
counted, and past ``MAX_OUTPUT_BYTES`` the job is stopped (``output_flood``).
"""

from __future__ import annotations

import collections
import re
from typing import IO

MAX_LINE = 16 * 1024  # characters a line keeps
HEAD_BYTES = 8 * 1024 * 1024  # the log's head, written as it comes
TAIL_BYTES = 2 * 1024 * 1024  # the log's tail, kept in memory once the head is full, written at the end
MAX_OUTPUT_BYTES = 1024 * 1024 * 1024  # more than any training run prints: the job is stopped

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def printable(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (tabs kept)."""
    return _CONTROL.sub("", text)


class LineSplitter:
    """Raw output bytes in, bounded printable lines (each ending in ``\\n``) out."""

    def __init__(self, max_line: int = MAX_LINE):
        self.max_line = max_line
        self.pending = bytearray()
        self.cutting = False  # inside a line already cut: drop bytes up to its end
        self.total = 0

    def feed(self, data: bytes) -> list[str]:
        self.total += len(data)
        out: list[str] = []
        start = 0
        for m in re.finditer(rb"\r\n|[\r\n]", data):
            self._take(data[start:m.start()], out)
            if not self.cutting:
                if self.pending or m.group() != b"\r":  # (a bare \r redraws: no empty line)
                    out.append(self._line(bytes(self.pending)))
            self.pending.clear()
            self.cutting = False
            start = m.end()
        self._take(data[start:], out)
        return out

    def _take(self, part: bytes, out: list[str]) -> None:
        if self.cutting or not part:
            return
        room = self.max_line - len(self.pending)
        if len(part) <= room:
            self.pending += part
            return
        self.pending += part[:room]
        out.append(self._line(bytes(self.pending), cut=True))
        self.pending.clear()
        self.cutting = True

    def _line(self, raw: bytes, cut: bool = False) -> str:
        text = printable(raw.decode("utf-8", errors="replace"))
        return text + (f" [ml-intern: line cut at {self.max_line} characters]\n" if cut else "\n")

    def close(self) -> list[str]:
        """The last line, if the output did not end with a newline."""
        if self.pending and not self.cutting:
            line = self._line(bytes(self.pending))
            self.pending.clear()
            return [line]
        return []


class BoundedLog:
    """The attempt's log file: the head written as it comes, then the tail kept in memory and written at ``close``
    (with how much was left out between them)."""

    def __init__(self, f: IO[str], head: int = HEAD_BYTES, tail: int = TAIL_BYTES):
        self.f, self.head_left, self.tail_max = f, head, tail
        self.tail: collections.deque[str] = collections.deque()
        self.tail_size = 0
        self.dropped = 0

    def write(self, text: str) -> None:
        if self.head_left > 0 and not self.tail:
            self.f.write(text)
            self.head_left -= len(text)
            return
        self.tail.append(text)
        self.tail_size += len(text)
        while self.tail_size > self.tail_max and len(self.tail) > 1:
            gone = self.tail.popleft()
            self.tail_size -= len(gone)
            self.dropped += len(gone)

    def note(self, text: str) -> None:
        """ml-intern's own line (a stop, a timeout): always written, after the tail so far."""
        self.close()
        self.f.write(text)

    def flush(self) -> None:
        self.f.flush()

    def close(self) -> None:
        if self.dropped:
            self.f.write(f"\n[ml-intern] {self.dropped} characters of output left out here (the log keeps its first "
                         f"{HEAD_BYTES // 2**20} MiB and last {TAIL_BYTES // 2**20} MiB)\n\n")
            self.dropped = 0
        while self.tail:
            self.f.write(self.tail.popleft())
        self.tail_size = 0
        self.head_left = 0  # after a note, what follows goes to the tail again
        self.f.flush()
