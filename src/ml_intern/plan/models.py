"""Typed output of the plan stage: ``ExperimentPlan``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ml_intern.paper.models import SourceRef

Scale = Literal["smoke", "small", "paper"]
Origin = Literal["paper", "default", "override", "scale", "unsupported"]


class Resolved(BaseModel):
    """One setting of the experiment and where it came from."""

    value: float | int | str | bool | list[int] | list[float] | list[str]
    origin: Origin
    reason: str | None = Field(default=None, description="why a default, override or scale change was used, or why "
                                                      "the paper's value cannot be (unsupported)")
    source: SourceRef | None = Field(default=None, description="the paper quote, when origin is paper")
    setting: str | None = Field(default=None, description="the paper's setting the value is stated for (default: "
                                                          "paper-wide), when origin is paper")


class DataChoice(BaseModel):
    key: str
    name_in_paper: str | None = None
    loader: str
    license: str
    num_classes: int | None = None
    num_examples: int | None = None
    columns: dict[str, str] = Field(default_factory=dict, description="the recipe's column settings for the data")


class MetricTarget(BaseModel):
    name: str
    split: str = "test"
    paper_value: float | None = None
    source: SourceRef | None = None


class HardwarePlan(BaseModel):
    device: str = Field(description="auto picks CUDA when present, else CPU")
    precision: str
    per_device_batch: int
    gradient_accumulation_steps: int
    effective_batch: int
    num_devices: int = 1
    num_nodes: int = 1
    gpu: str | None = Field(default=None, description="the GPU the estimate is for (paper scale), else None: CPU")
    gradient_checkpointing: bool = False
    sharding: str | None = Field(default=None, description="fsdp when the model does not fit one device")
    parameters: int
    trainable_parameters: int | None = None
    memory_estimate_mb: float = Field(description="parameters, gradients, optimizer states and activations")
    flops_estimate: float = Field(description="training FLOPs for the whole run (6 x params x examples seen)")
    hours_estimate: float | None = Field(default=None, description="wall-clock hours on num_devices")
    gpu_hours: float | None = None
    cost_usd: float | None = Field(default=None, description="gpu_hours x the GPU's assumed hourly price")
    fits: bool = True
    notes: list[str] = Field(default_factory=list)


class Budgets(BaseModel):
    max_attempts: int = Field(default=5, ge=1)
    smoke_timeout_s: float = Field(default=300, gt=0)
    attempt_timeout_s: float = Field(default=3600, gt=0)
    # per run; None: no limit. A call is not started once a limit is reached (its reply may pass it).
    llm_calls: int | None = Field(default=None, gt=0, description="LLM calls")
    llm_tokens: int | None = Field(default=None, gt=0, description="LLM tokens, in and out")
    llm_usd: float | None = Field(default=None, gt=0, description="LLM dollars (calls of unpriced models count 0)")
    wall_clock_s: float | None = Field(default=None, gt=0, description="seconds from the run's start")
    agent_steps: int = Field(default=12, gt=0, description="steps of each agent episode (one LLM call each)")


class Fidelity(BaseModel):
    """How much of what the paper states for the chosen setting the plan carries."""

    stated: int = Field(description="values the paper states for the setting (sizes and hyperparameters, by name)")
    used: int = Field(description="of those, values the project uses (at scale paper: as stated)")
    missed: list[str] = Field(default_factory=list, description="stated names not used: unsupported or overridden")

    @property
    def value(self) -> float | None:
        return self.used / self.stated if self.stated else None

    def text(self) -> str:
        return f"{self.used}/{self.stated} = {self.value:.2f}" if self.stated else "no values stated"


class ExperimentPlan(BaseModel):
    title: str | None = None
    recipe: str
    task_type: str
    scale: Scale
    setting: str = Field(default="default", description="the paper's setting this plan reproduces (`--setting`; "
                                                       "else the main result's)")
    model: dict[str, Resolved]
    dataset: DataChoice
    hyperparameters: dict[str, Resolved]
    metric: MetricTarget
    hardware: HardwarePlan
    budgets: Budgets = Field(default_factory=Budgets)
    warnings: list[str] = Field(default_factory=list)
    choices: dict[str, Resolved] = Field(default_factory=dict, description="how the task, data set and paper "
                                         "setting were chosen (task_type, dataset, setting)")
    unsupported: dict[str, Resolved] = Field(default_factory=dict, description="values the paper states that the "
                                             "project cannot use, each with the reason (not in config.yaml)")
    fidelity: Fidelity | None = None
    grid: dict[str, list[str]] = Field(default_factory=dict, description="values the paper tried for the setting "
                                       "(a grid it picked from on validation data): `sweep --paper-grid` runs it")

    def values(self) -> dict[str, object]:
        """Every resolved value by name: what the recipe writes into config.yaml."""
        return {k: v.value for k, v in {**self.model, **self.hyperparameters}.items()}
