"""The error taxonomy that drives control flow.

- ``InputError``: the user gave something we cannot use (missing file, not a PDF, no text layer, bad
  task file, unknown run id). The CLI prints one line naming the thing and the fix, and exits 2.
- ``RunError``: the run could not proceed for a reason outside the user's input (e.g. git missing).
  The CLI prints one line and exits 1.

Failures of *generated* code are not exceptions: they are recorded on the attempt, classified and
handed to the repair loop (see ``ml_intern.run``).
"""

from __future__ import annotations


class MLInternError(Exception):
    """Base class: every error the CLI turns into a one-line message."""

    exit_code = 1

    def __init__(self, problem: str, *, fix: str | None = None, subject: str | None = None):
        self.problem = problem
        self.fix = fix
        self.subject = subject
        super().__init__(self.message())

    def message(self) -> str:
        head = f"{self.subject}: {self.problem}" if self.subject else self.problem
        return f"{head} ({self.fix})" if self.fix else head


class InputError(MLInternError):
    """Bad input or usage: exit code 2."""

    exit_code = 2


class UnsupportedTask(InputError):
    """The source's task is one no recipe trains (a GAN, detection, segmentation, RL...): planning it as another
    task would be a wrong experiment, so the run stops and says what is missing."""


class DataNeeded(InputError):
    """The task has a recipe (``recipe``), but none of the source's data sets is one ml-intern knows how to load: the
    user names the data (a registry name, a Hub id, a local file) and the plan goes on."""

    def __init__(self, problem: str, *, recipe: str, fix: str | None = None, subject: str | None = None):
        self.recipe = recipe
        super().__init__(problem, fix=fix, subject=subject)


class RunError(MLInternError):
    """The run could not proceed: exit code 1."""

    exit_code = 1


class InvalidReply(RunError):
    """An LLM's reply does not fit the schema asked for (validated with pydantic on return)."""


class BudgetExhausted(RunError):
    """A run's LLM or wall-clock budget is reached: the run stops cleanly as ``needs_review``."""


class Interrupted(Exception):
    """Ctrl-C or SIGTERM stopped a run; it is marked interrupted in the store and can be resumed (exit 130)."""

    def __init__(self, run_id: str):
        self.run_id = run_id
        super().__init__(run_id)
