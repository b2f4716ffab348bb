"""What the terminal shows while a run goes: the stage, the attempt, a progress bar with step and loss.

Progress goes to stderr so that stdout carries only the summary (a table, or JSON with ``--json``). Paper titles,
failure messages and the training output are printed as text, never read as Rich markup.
``QuietUI`` shows nothing: for ``--json`` and for library use.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text


class QuietUI:
    def stage(self, name: str, detail: str = "") -> None: ...
    def note(self, text: str) -> None: ...
    def attempt_started(self, number: int, kind: str, max_attempts: int) -> None: ...
    def progress(self, step: int, total: int | None, loss: float | None) -> None: ...
    def output_line(self, line: str) -> None: ...
    def attempt_finished(self, number: int, status: str, detail: str = "") -> None: ...


class ConsoleUI(QuietUI):
    def __init__(self, verbose: bool = False):
        self.console = Console(stderr=True, highlight=False, markup=False)
        self.verbose = verbose
        self._progress: Progress | None = None
        self._task = None

    def stage(self, name: str, detail: str = "") -> None:
        self.console.print(Text.assemble((f"{name:<6}", "bold cyan"), " ", detail))

    def note(self, text: str) -> None:
        self.console.print(Text.assemble("       ", (text, "dim")))

    def attempt_started(self, number: int, kind: str, max_attempts: int) -> None:
        self.console.print(Text.assemble(("exec  ", "bold cyan"), f" attempt {number}/{max_attempts} ({kind})"))
        self._progress = Progress(TextColumn("       "), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[loss]}"),
                                  TimeElapsedColumn(), console=self.console, transient=True)
        self._task = self._progress.add_task("train", total=None, loss="")
        self._progress.start()

    def progress(self, step: int, total: int | None, loss: float | None) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=step, total=total,
                                  loss=f"loss {loss:.4f}" if loss is not None else "")

    def output_line(self, line: str) -> None:
        if self.verbose:
            self.console.print(Text.assemble("       ", (line, "dim")))

    def attempt_finished(self, number: int, status: str, detail: str = "") -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        colour = "green" if status == "succeeded" else "red"
        self.console.print(Text.assemble(f"       attempt {number}: ", (status, colour), f" {detail}"))
