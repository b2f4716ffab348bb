"""The build stage: an ``ExperimentPlan`` becomes a standalone ``Project`` folder (a git repository)."""

from ml_intern.codegen.builder import Project, build_project

__all__ = ["Project", "build_project"]
