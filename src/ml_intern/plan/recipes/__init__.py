"""Recipes: one per task family, each the knowledge to fill the fixed project skeleton, and the name of the task
file it plugs into it (the build package holds the files and copies them: nothing here knows where they lie).

A recipe is a small object (see ``Recipe``) registered in ``RECIPES``; the planner picks one by task type.
"""

from __future__ import annotations

from typing import Protocol

from ml_intern.plan.models import ExperimentPlan, HardwarePlan, Resolved
from ml_intern.registry import DatasetInfo

class Recipe(Protocol):
    name: str
    task_types: tuple[str, ...]
    task_file: str  # the skeleton's task file for this family (``task.py`` in the project), by name
    requirements: tuple[str, ...]
    model_keys: tuple[str, ...]
    metric: str
    paper_names: dict[str, str]  # a paper's name for a value -> the recipe's key (seq_len -> max_length)
    takes: tuple[str, ...]  # keys used only when the paper (or the user) gives them: the loop's own default holds
    data_task_types: tuple[str, ...]  # the data (and registry models) it trains on, by task type
    sizes: tuple[str, ...]  # model sizes which, stated by the paper, mean: build the model from its config (else a
    # recipe with a `model` fine-tunes the registry's checkpoint of the stated shape)
    model_types: tuple[str, ...]  # the architectures it builds from their config (empty: none named, or any)

    def accepts(self, model: str | None) -> bool:
        """Whether the recipe builds the model the source names (None: it names none)."""

    def metric_for(self, values: dict[str, Resolved]) -> str:
        """The metric that judges a plan with these values (a family whose data decides it: causal-LM fine-tuning's
        template), else ``metric``."""

    def supports(self, dataset: DatasetInfo) -> str | None:
        """None when the recipe can load this data set, else the reason it cannot."""

    def defaults(self) -> dict[str, tuple[object, str]]:
        """Every setting the recipe needs: default value and the reason for it."""

    def scale(self, values: dict[str, Resolved], scale: str, dataset: DatasetInfo) -> dict[str, Resolved]:
        """Adjust values for the chosen scale (smoke, small, paper), recording why."""

    def hardware(self, values: dict[str, object], dataset: DatasetInfo, scale: str) -> HardwarePlan: ...

    def config(self, plan: ExperimentPlan) -> dict[str, object]:
        """The project's config.yaml."""

    def requirements_for(self, config: dict[str, object]) -> tuple[str, ...]:
        """requirements.txt for this config (``requirements`` and what its model type needs)."""


def _registry() -> dict[str, Recipe]:
    from ml_intern.plan.recipes.hf import hf_recipes

    recipes: list[Recipe] = [*hf_recipes()]
    return {r.name: r for r in recipes}


RECIPES = _registry()


def recipe_for(task_type: str, dataset: DatasetInfo | None = None, model: str | None = None) -> Recipe | None:
    """The first recipe of the task type that loads the data and takes the model the source names; else the most
    general one of the task type (registered last), whose ``supports`` then says why it cannot."""
    candidates = [r for r in RECIPES.values() if task_type in r.task_types]
    fitting = [r for r in candidates if (dataset is None or r.supports(dataset) is None) and r.accepts(model)]
    return (fitting or candidates[::-1] or [None])[0]
