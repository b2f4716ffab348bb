"""Rule-based repair: for each known failure class, a change to the project's config.yaml or train.py, with
what and why. A change of scope (a shorter context, another device) is marked so the loop can ask for approval.

Each rule returns a ``Fix`` describing the change and applies it only when ``apply()`` is called, so the loop
can refuse a scope change without touching the project.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from ml_intern import jobfiles
from ml_intern.run.diagnose import Failure


@dataclass
class Fix:
    description: str  # what changes, with values: also the doom-loop key
    reason: str  # why this should help
    scope_change: bool
    apply: Callable[[], None]


MAX_CONFIG_BYTES = 1024 * 1024
MAX_SCRIPT_BYTES = 4 * 1024 * 1024


class Config:
    """config.yaml read and written back with its leading comment kept."""

    def __init__(self, project: Path):
        self.path = project / "config.yaml"
        # the job may have rewritten it: read without following a link, bounded, aliases refused; what cannot be
        # read safely reads as no settings (then no rule applies and a person decides)
        text = jobfiles.read_text(self.path, MAX_CONFIG_BYTES) or ""
        self.header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
        try:
            values = jobfiles.load_yaml(text) if text else {}
        except (yaml.YAMLError, RecursionError):
            values = {}
        self.values: dict = values if isinstance(values, dict) else {}

    def save(self) -> None:
        jobfiles.write_text_atomic(self.path, self.header + yaml.safe_dump(self.values, sort_keys=False))


def _set(project: Path, **changes) -> Callable[[], None]:
    def apply() -> None:
        cfg = Config(project)
        cfg.values.update(changes)
        cfg.save()
    return apply


def fix_out_of_memory(project: Path, failure: Failure) -> Fix | None:
    cfg = Config(project).values
    batch, accum = int(cfg.get("batch_size", 0) or 0), int(cfg.get("gradient_accumulation_steps", 1) or 1)
    if batch > 1:
        new = batch // 2
        return Fix(f"batch_size {batch} -> {new}, gradient_accumulation_steps {accum} -> {accum * 2}",
                   f"out of memory: half the per-device batch, twice the accumulation; the effective batch stays "
                   f"{batch * accum}" + ("" if batch % 2 == 0 else f" (was {batch * accum}, now {new * accum * 2})"),
                   False, _set(project, batch_size=new, gradient_accumulation_steps=accum * 2))
    if "gradient_checkpointing" in cfg and not cfg["gradient_checkpointing"]:
        return Fix("gradient_checkpointing false -> true", "out of memory at batch 1: recompute activations in the "
                   "backward pass instead of keeping them", False, _set(project, gradient_checkpointing=True))
    if cfg.get("device", "auto") == "cpu":
        return None
    precision = cfg.get("precision", "fp32")
    if precision == "auto":  # the loop chose: bf16 where the GPU has it, else fp32; run_info.json says which
        ran = jobfiles.read_json_object(project / "outputs" / "run_info.json").get("precision")
        if ran == "fp32":
            return Fix("precision auto -> fp16", "out of memory at batch 1 in fp32 on a GPU without bf16: fp16 "
                       "(with loss scaling) halves activation memory", False, _set(project, precision="fp16"))
        if ran is None:  # no record of the run: say what auto means here rather than guess
            return Fix("precision auto -> bf16", "out of memory at batch 1: bf16 halves activation memory", False,
                       _set(project, precision="bf16"))
        return None
    if precision == "fp32":
        return Fix("precision fp32 -> bf16", "out of memory at batch 1: bf16 halves activation memory", False,
                   _set(project, precision="bf16"))
    return None


def fix_nan_loss(project: Path, failure: Failure) -> Fix | None:
    cfg = Config(project).values
    if "learning_rate" not in cfg:
        return None
    lr = float(cfg["learning_rate"])
    changes: dict = {"learning_rate": lr / 10}
    parts = [f"learning_rate {lr:g} -> {lr / 10:g}"]
    if not cfg.get("grad_clip"):
        changes["grad_clip"] = 1.0
        parts.append("grad_clip 0 -> 1.0")
    if "warmup_steps" in cfg and int(cfg.get("warmup_steps") or 0) < 50:
        changes["warmup_steps"] = 50
        parts.append(f"warmup_steps {cfg.get('warmup_steps') or 0} -> 50")
    return Fix(", ".join(parts), "the loss became NaN or diverged: a smaller step, clipped gradients and a warm-up "
               "keep early updates bounded", False, _set(project, **changes))


def fix_label_count(project: Path, failure: Failure) -> Fix | None:
    cfg = Config(project).values
    key = next((k for k in ("num_classes", "num_labels") if cfg.get(k)), None)  # (image recipe; HF recipes)
    if key:
        return Fix(f"{key} {cfg[key]} -> 0 (count from the data)",
                   "a label is out of range for the classifier head: take the number of classes from the data",
                   False, _set(project, **{key: 0}))
    return None


_SEQ_KEYS = ("seq_len", "max_length", "max_seq_length", "block_size")


def fix_sequence_too_long(project: Path, failure: Failure) -> Fix | None:
    cfg = Config(project).values
    key = next((k for k in _SEQ_KEYS if k in cfg), None)
    m = re.search(r"\((\d+)\) must match the existing size \((\d+)\)", failure.message + failure.log_tail)
    if key is None or m is None:
        return None
    limit = min(int(m.group(1)), int(m.group(2)))
    if int(cfg[key]) <= limit:
        return None
    return Fix(f"{key} {cfg[key]} -> {limit}", f"sequences are longer than the model's {limit} positions",
               True, _set(project, **{key: limit}))


_FRAME = re.compile(r'File "([^"]+)", line (\d+), in [\w<>]+\n\s+(.+)')


def _failing_frame(project: Path, failure: Failure) -> tuple[Path, int, str] | None:
    """The project's own file, line number and code of the innermost frame that is the project's."""
    frames = [(Path(f), int(n), code) for f, n, code in _FRAME.findall(failure.log_tail)]
    # the project's own regular files, reached through no link (a fix never writes through one)
    mine = [(file, n, code) for f, n, code in frames if (file := jobfiles.inside(project, f)) is not None]
    if not mine:
        return None
    return mine[-1]


def _failing_call(project: Path, failure: Failure) -> tuple[Path, int, str, list[str]] | None:
    """The project's own line that failed, the module called there and its tensor arguments (simple names)."""
    found = _failing_frame(project, failure)
    if found is None:
        return None
    path, number, code = found
    try:
        tree = ast.parse(code.strip())
    except SyntaxError:
        return None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    for call in calls:
        names = [a.id for a in call.args if isinstance(a, ast.Name)]
        if names:
            return path, number, call.func.id, names
    return None


def _move_args(project: Path, failure: Failure, what: str) -> Fix | None:
    """Insert, before the failing call ``module(x)``, ``x = x.to(<module's device or dtype>)``."""
    found = _failing_call(project, failure)
    if found is None:
        return None
    script, number, module, names = found
    text = jobfiles.read_text(script, MAX_SCRIPT_BYTES)
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    if number > len(lines):
        return None
    target = lines[number - 1]
    indent = target[: len(target) - len(target.lstrip())]
    attr = "device" if what == "device" else "dtype"
    keyword = "" if what == "device" else "dtype="
    # modules without parameters (a loss) have no device or dtype to follow: leave those to a person
    source = f"next({module}.parameters()).{attr}"
    inserted = "".join(f"{indent}if any(True for _ in {module}.parameters()):\n"
                       f"{indent}    {n} = {n}.to({keyword}{source})\n" for n in names)

    def apply() -> None:
        jobfiles.write_text_atomic(script, "".join(lines[: number - 1]) + inserted + "".join(lines[number - 1:]))

    return Fix(f"{script.name}:{number}: move {', '.join(names)} to {module}'s {attr}",
               f"the inputs of `{module}` were on another {attr} than its parameters", False, apply)


def fix_dtype(project: Path, failure: Failure) -> Fix | None:
    cfg = Config(project).values
    if cfg.get("precision", "fp32") != "fp32":
        return Fix(f"precision {cfg['precision']} -> fp32", "mixed dtypes met in one operation: compute in fp32", False,
                   _set(project, precision="fp32"))
    return _move_args(project, failure, "dtype")


def fix_device(project: Path, failure: Failure) -> Fix | None:
    moved = _move_args(project, failure, "device")
    if moved is not None or not (project / "config.yaml").exists():
        return moved
    cfg = Config(project).values
    if cfg.get("device", "auto") != "cpu":
        return Fix(f"device {cfg.get('device', 'auto')} -> cpu", "tensors on two devices and no call to fix in the "
                   "project's code: run everything on the CPU (slower)", True, _set(project, device="cpu"))
    return None


# name -> the import that defines it, for the names training scripts use without importing
KNOWN_IMPORTS = {"np": "import numpy as np", "torch": "import torch", "nn": "from torch import nn",
                 "F": "import torch.nn.functional as F", "math": "import math", "os": "import os", "json": "import json",
                 "time": "import time", "yaml": "import yaml", "random": "import random", "sys": "import sys",
                 "Path": "from pathlib import Path", "dataclass": "from dataclasses import dataclass",
                 "field": "from dataclasses import field", "dataclasses": "import dataclasses", "shutil": "import shutil",
                 "hashlib": "import hashlib", "argparse": "import argparse", "platform": "import platform",
                 "pd": "import pandas as pd", "optim": "from torch import optim"}


def entry_script(project: Path) -> Path:
    return project / "train.py" if (project / "train.py").exists() else next(iter(sorted(project.glob("*.py"))), project / "train.py")


def fix_missing_name(project: Path, failure: Failure) -> Fix | None:
    m = re.search(r"name '(\w+)' is not defined", failure.message)
    if not m or m.group(1) not in KNOWN_IMPORTS:
        return None
    statement = KNOWN_IMPORTS[m.group(1)]
    found = _failing_frame(project, failure)
    script = found[0] if found else jobfiles.inside(project, entry_script(project).name)
    if script is None:
        return None
    text = jobfiles.read_text(script, MAX_SCRIPT_BYTES)
    if text is None:
        return None

    def apply() -> None:
        lines = text.splitlines(keepends=True)
        try:  # after the last whole top-level import statement (a parenthesised import spans lines)
            body = ast.parse(text).body
            last = max((node.end_lineno or node.lineno for node in body if isinstance(node, (ast.Import, ast.ImportFrom))),
                       default=0)
        except SyntaxError:
            last = 0
        lines.insert(last, statement + "\n")
        jobfiles.write_text_atomic(script, "".join(lines))

    return Fix(f"{script.name}: add `{statement}`", f"`{m.group(1)}` is used but never imported", False, apply)


def fix_worker_lost(project: Path, failure: Failure) -> Fix | None:
    return Fix("retry unchanged", f"the code did not fail: the cluster lost the worker running it ({failure.message}); "
                                  "the retry goes on from the last complete checkpoint, if there is one", False, lambda: None)


RULES: dict[str, Callable[[Path, Failure], Fix | None]] = {
    "worker_lost": fix_worker_lost,
    "out_of_memory": fix_out_of_memory,
    "nan_loss": fix_nan_loss,
    "label_count_mismatch": fix_label_count,
    "sequence_too_long": fix_sequence_too_long,
    "dtype_mismatch": fix_dtype,
    "device_mismatch": fix_device,
    "missing_name": fix_missing_name,
}


def propose(project: Path, failure: Failure) -> Fix | None:
    """The rule-based fix for the failure's class, or None (no rule, or the project's files, which the job may have
    rewritten, hold values the rule cannot read: then a person decides)."""
    rule = RULES.get(failure.cls)
    try:
        return rule(project, failure) if rule else None
    except (ValueError, TypeError, OverflowError, KeyError):
        return None
