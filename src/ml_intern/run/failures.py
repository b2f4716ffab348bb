"""The failure vocabulary the monitor, the sandbox, the diagnoser, the repairer and the attempt loop share: typed
values end to end, never a ``"class: message"`` string parsed again downstream.

- ``FailureClass``: the closed taxonomy (``diagnose.py`` classifies into it; ``repair.py`` has a rule per class).
- ``Stop``: why an attempt was stopped early (by the monitor: a NaN, divergence, a stall; by a backend: a lost
  worker); the sandbox carries it back in ``SandboxResult.stopped``.
- ``Failure``: a failed attempt's class, message, log tail, and who classified it and why.
- ``Tried``: a fix made after a failed attempt, as a review lists it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

FailureClass = Literal[
    "out_of_memory", "shape_mismatch", "label_count_mismatch", "sequence_too_long", "device_mismatch",
    "dtype_mismatch", "missing_package", "missing_name", "file_not_found", "nan_loss", "timeout", "stall",
    "disk_full", "killed", "worker_lost", "missing_extra", "missing_data", "hub_gated", "hub_not_found",
    "hub_too_large", "hub_offline", "output_flood", "invalid_output", "metric_mismatch", "check_failed", "unknown",
]
FAILURE_CLASSES: tuple[str, ...] = FailureClass.__args__  # type: ignore[attr-defined]

# who put a failure in its class: the rules on the log, the monitor that stopped the attempt (or a backend that lost
# its worker), the LLM (asked when the rules said unknown), or ml-intern itself (its own error during an attempt)
Classifier = Literal["rules", "monitor", "llm", "ml-intern"]


class Stop(BaseModel, frozen=True):
    """Why an attempt was stopped before it ended by itself."""

    cls: FailureClass
    message: str

    def __str__(self) -> str:  # (how the log and the progress line show it)
        return f"{self.cls}: {self.message}"


class Failure(BaseModel):
    cls: FailureClass = Field(description="the failure's class in the closed taxonomy")
    message: str = Field(description="the exception line, or what the monitor saw")
    log_tail: str = ""
    classified_by: Classifier = "rules"
    reason: str | None = Field(default=None, description="the classifier's own reason: the LLM's sentence, or why "
                                                         "its reply was refused (the class then stays unknown)")
    fix: str | None = Field(default=None, description="the command or step that fixes this failure, where the "
                                                      "log names it (``pip install 'ml-intern[offline-data]'``)")

    @model_validator(mode="before")
    @classmethod
    def _earlier_records(cls, data):
        """attempts.json written before the classifier and its reason were two fields: ``"llm: <reason>"``."""
        if isinstance(data, dict) and str(data.get("classified_by", "")).startswith("llm:"):
            data = {**data, "classified_by": "llm", "reason": data.get("reason") or data["classified_by"][4:].strip()}
        return data

    def __str__(self) -> str:
        return f"{self.cls}: {self.message}" + (f" (fix: `{self.fix}`)" if self.fix else "")


class Tried(BaseModel):
    """A fix made after a failed attempt."""

    attempt: int = Field(description="the attempt whose failure it answered")
    failure: Failure | None = None
    fix: str = Field(description="what changed, with values")
    reason: str | None = Field(default=None, description="why it should help")
    diff: str | None = Field(default=None, description="the change to the project, as git shows it")
