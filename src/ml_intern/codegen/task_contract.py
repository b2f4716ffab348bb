"""The contract between the one training loop (``templates/hf/train.py``) and a family's task file (``task.py`` in
the project, ``templates/hf/tasks/<family>.py`` here). The loop knows nothing else about a task.

A task file is a module with:

- ``NAME: str`` and ``METRIC: str``: the family, and the key of ``evaluate``'s result that judges a run (a regression
  may report another: the loop then takes the first key that is not ``loss``);
- ``TaskConfig``: a dataclass of the task's own settings; config.yaml holds them flat beside the loop's ``Config``,
  and ``sources.splits`` reads ``dataset``, ``validation_fraction`` and ``test_fraction`` from it;
- ``Data``: a dataclass extending ``sources.Splits`` (``train``, ``val``, ``test``: map-style datasets;
  ``collate``: rows to a batch dict of tensors; ``fingerprint``) with what the model and the metric need;
- ``load_data(cfg, seed, smoke_examples) -> Data``: ``smoke_examples`` (an int, or None/False for the whole data) cuts
  every split to a few examples for ``--smoke``;
- ``build_model(cfg, data) -> torch.nn.Module``: ``model(**batch)`` returns an object with ``.loss`` (a scalar tensor)
  and ``.logits`` (a transformers ``ModelOutput`` or a named tuple: FSDP must see its tensors);
  ``gradient_checkpointing_enable`` is used when the model has it; a model with ``fit_round(learning_rate) -> loss``
  trains by rounds, not gradient steps (boosted trees: a round each loop step, over the whole training split, in one
  process), and keeps what it learns in its state dict (checkpoints, saving and reloading are the loop's usual);
- ``evaluate(model, batches, to_device, autocast, data) -> dict[str, float]``: ``loss`` and the metrics, on the
  batches given (``to_device(batch)``, ``with autocast():``), the model in eval mode;
- ``save(model, data, folder)``: the trained model (safetensors) and what reloading it needs, into ``folder``.

``TaskModule`` says the same as a ``typing.Protocol``; ``check_task_file`` checks a file against it (the tests
check every task file).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, runtime_checkable

SKELETON = Path(__file__).resolve().parent / "templates" / "hf"
TASKS = SKELETON / "tasks"

# function -> its parameters, in order, as the loop passes them
SIGNATURES = {
    "load_data": ("cfg", "seed", "smoke_examples"),
    "build_model": ("cfg", "data"),
    "evaluate": ("model", "batches", "to_device", "autocast", "data"),
    "save": ("model", "data", "folder"),
}
CONFIG_FIELDS = ("dataset", "validation_fraction", "test_fraction")  # what sources.splits reads
SPLITS_FIELDS = ("train", "val", "test", "collate", "fingerprint")


@runtime_checkable
class TaskModule(Protocol):
    NAME: str
    METRIC: str
    TaskConfig: type
    Data: type

    def load_data(self, cfg: Any, seed: int, smoke_examples: int | None) -> Any: ...

    def build_model(self, cfg: Any, data: Any) -> Any: ...

    def evaluate(self, model: Any, batches: Any, to_device: Any, autocast: Any, data: Any) -> dict[str, float]: ...

    def save(self, model: Any, data: Any, folder: Path) -> None: ...


def task_files() -> list[Path]:
    return sorted(p for p in TASKS.glob("*.py") if not p.name.startswith("_"))


def load_task_file(path: Path) -> ModuleType:
    """Import a task file as the project does (``import task``, with ``sources`` beside it)."""
    added = str(SKELETON) not in sys.path
    if added:
        sys.path.insert(0, str(SKELETON))
    try:
        spec = importlib.util.spec_from_file_location(f"_task_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # (dataclasses look their module up)
        spec.loader.exec_module(module)
        return module
    finally:
        if added:
            sys.path.remove(str(SKELETON))


def check_task_module(module: ModuleType) -> list[str]:
    """What the module lacks or gets wrong against the contract (empty: it keeps it)."""
    problems = []
    for name in ("NAME", "METRIC"):
        if not isinstance(getattr(module, name, None), str) or not getattr(module, name):
            problems.append(f"{name}: a non-empty str is missing")
    config = getattr(module, "TaskConfig", None)
    if not (isinstance(config, type) and dataclasses.is_dataclass(config)):
        problems.append("TaskConfig: not a dataclass")
    else:
        fields = {f.name for f in dataclasses.fields(config)}
        problems += [f"TaskConfig: no field {f!r}" for f in CONFIG_FIELDS if f not in fields]
        try:
            config()
        except TypeError as exc:
            problems.append(f"TaskConfig: a field has no default ({exc})")
    data = getattr(module, "Data", None)
    if not (isinstance(data, type) and dataclasses.is_dataclass(data)):
        problems.append("Data: not a dataclass")
    else:
        fields = [f.name for f in dataclasses.fields(data)]
        problems += [f"Data: no field {f!r} (extend sources.Splits)" for f in SPLITS_FIELDS if f not in fields]
    for name, params in SIGNATURES.items():
        fn = getattr(module, name, None)
        if not callable(fn):
            problems.append(f"{name}: no such function")
            continue
        got = tuple(inspect.signature(fn).parameters)
        if got[: len(params)] != params or any(
                p.default is inspect.Parameter.empty for p in list(inspect.signature(fn).parameters.values())[len(params):]):
            problems.append(f"{name}: parameters {got}, the loop passes {params}")
    if not problems and not isinstance(module, TaskModule):
        problems.append("does not satisfy TaskModule")
    return problems


def check_task_file(path: Path) -> list[str]:
    return check_task_module(load_task_file(path))
