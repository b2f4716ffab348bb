"""The plan stage: a ``PaperSpec`` becomes an ``ExperimentPlan``."""

from ml_intern.plan.models import ExperimentPlan
from ml_intern.plan.planner import make_plan

__all__ = ["ExperimentPlan", "make_plan"]
