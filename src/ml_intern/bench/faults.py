"""Deliberately broken training projects, one or more per failure class, for the repair suite and the tests.

Each ``Fault`` makes a project folder (the one project skeleton, from the digits or a table task, or a free-standing
script) with one known defect, and says which class the diagnosis must find, whether a rule-based fix exists, and
which run options the fault needs (a memory limit for a real out-of-memory on the CPU, a short stall limit, …).
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ml_intern.codegen import build_project
from ml_intern.paper import extract_spec, read_source
from ml_intern.plan import make_plan
from ml_intern.run.repair import Config

TASK = Path(__file__).resolve().parents[3] / "examples" / "digits-task.yaml"


@dataclass
class Fault:
    name: str
    expected: str  # the failure class the diagnosis must find first
    fixable: bool  # a rule-based fix exists (else the run must stop for review with that class)
    make: Callable[[Path], None]
    options: dict = field(default_factory=dict)  # RunOptions fields (memory_mb, stall_s, budgets, …); a callable
    # value is computed when the fault runs

    def run_options(self) -> dict:
        return {k: v() if callable(v) else v for k, v in self.options.items()}


def _recipe_project(path: Path, **config) -> None:
    """The digits recipe's project, cut down to a few steps, with ``config`` changes."""
    plan = make_plan(extract_spec(read_source(TASK)), overrides={"epochs": 1, "max_steps": 6})
    build_project(plan, path)
    set_config(path, **config)


def _hf_project(path: Path, task: str, **config) -> None:
    """A Hugging Face recipe's project (train.py + sources.py + task.py) from an example task, with ``config``."""
    plan = make_plan(extract_spec(read_source(TASK.parent / "tasks" / task)), scale="smoke")
    build_project(plan, path)
    set_config(path, **config)


def set_config(path: Path, **values) -> None:
    """Write ``values`` into a built project's config.yaml (a fault's setting)."""
    cfg = Config(path)
    cfg.values.update(values)
    cfg.save()


def edit_train(path: Path, old: str, new: str) -> None:
    train = path / "train.py"
    text = train.read_text()
    assert old in text, old
    train.write_text(text.replace(old, new, 1))


def _script(path: Path, body: str) -> None:
    path.mkdir(parents=True)
    (path / "train.py").write_text(textwrap.dedent(body).lstrip())


@functools.lru_cache(maxsize=1)
def run_baseline_mb() -> int:
    """The address space a digits project of the one skeleton reaches when it trains and evaluates a model too small
    to count (two 1-channel convolutions, batches of 8): its imports, data, threads and allocator arenas, measured by
    running it here (VmPeak), since all of them differ between machines and package versions."""
    import os
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ml-intern-baseline-") as tmp:
        project = Path(tmp) / "project"
        _recipe_project(project, conv_channels=[1, 1], batch_size=8)
        code = ("import runpy, sys\n"
                "sys.argv = ['train.py', '--config', 'config.yaml', '--output-dir', 'outputs']\n"
                "try:\n    runpy.run_path('train.py', run_name='__main__')\nexcept SystemExit as exc:\n"
                "    assert not exc.code, exc.code\n"
                "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmPeak')))")
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
        done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, env=env,
                              timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"the baseline run of the digits project failed: {done.stderr[-2000:]}")
        return int(done.stdout.split()[-1]) // 1024


def batch_need_mb(conv_channels: list[int], batch: int, image_size: int = 8) -> float:
    """What one training micro-batch of the digits CNN needs beyond the imports: every convolution's output and its
    ReLU's, fp32, kept for the backward pass, and the gradients of the same size."""
    kept = 2 * sum(conv_channels) * image_size * image_size * 4  # bytes per example
    return 2 * batch * kept / 2**20


def oom_limit_mb(conv_channels: list[int], batch: int) -> int:
    """A memory limit that the batch cannot fit under on any machine while a quarter of it can: what a run of the
    same project with a negligible model reaches (``run_baseline_mb``: imports, data, threads, evaluation), plus half
    of what the batch needs. Halving the batch twice (the rule's fix) brings the need to half the room."""
    return run_baseline_mb() + int(batch_need_mb(conv_channels, batch) / 2)


OOM_CHANNELS, OOM_BATCH = [512, 512], 1024  # 1 GiB for the batch: far past any import baseline's noise


def _long_sequences(path: Path) -> None:
    _script(path, """
        import yaml, torch
        cfg = yaml.safe_load(open("config.yaml"))
        positions = torch.zeros(1, 512)
        positions.expand(2, cfg["seq_len"])
        print("ok")
        """)
    (path / "config.yaml").write_text("seq_len: 1024\n")


FAULTS: list[Fault] = [
    Fault("oom-batch-too-large", "out_of_memory", True,
          lambda p: _recipe_project(p, conv_channels=OOM_CHANNELS, batch_size=OOM_BATCH),
          {"memory_mb": lambda: oom_limit_mb(OOM_CHANNELS, OOM_BATCH)}),
    Fault("label-count-too-small", "label_count_mismatch", True, lambda p: _recipe_project(p, num_classes=5)),
    # a learning rate typed as 5.0 instead of 5e-4: the loss explodes within a few steps
    Fault("lr-diverges", "nan_loss", True, lambda p: _recipe_project(p, learning_rate=5.0, max_steps=30, log_every=2)),
    Fault("lr-diverges-tabular-hf", "nan_loss", True,
          lambda p: _hf_project(p, "wine-mlp.yaml", learning_rate=5.0, max_steps=30, log_every=2)),
    Fault("missing-import-math", "missing_name", True,
          lambda p: (_recipe_project(p), edit_train(p, "import math\n", ""))),
    Fault("missing-import-np-script", "missing_name", True, lambda p: _script(p, """
        import json
        x = np.arange(10)
        json.dump({"metrics": {"sum": int(x.sum())}}, open("results.json", "w"))
        """)),
    # bf16 by casting the inputs by hand, without autocast: the float32 weights meet bf16 inputs
    Fault("dtype-mismatch-bf16", "dtype_mismatch", True, lambda p: (
        _recipe_project(p, precision="bf16"),
        edit_train(p, "enabled=dtype is not None)", "enabled=False)"),
        edit_train(p, "        batch = to_device(next(batches), run.device)\n",
                   "        batch = to_device(next(batches), run.device)\n"
                   "        if run.dtype is not None:\n"
                   "            batch = {k: v.to(run.dtype) if v.is_floating_point() else v for k, v in batch.items()}\n"))),
    # a position table of 512 met by 1024-token sequences; capping the length is a scope change
    Fault("sequence-too-long", "sequence_too_long", True, lambda p: _long_sequences(p), {"allow_scope_changes": True}),
    Fault("sequence-too-long-needs-approval", "sequence_too_long", False, lambda p: _long_sequences(p)),
    Fault("shape-mismatch", "shape_mismatch", False, lambda p: _script(p, """
        import torch
        torch.nn.Linear(128, 10)(torch.randn(4, 64))
        """)),
    Fault("missing-package", "missing_package", False, lambda p: _script(p, """
        import surely_not_an_installed_package_xyz
        """)),
    Fault("file-not-found", "file_not_found", False, lambda p: _script(p, """
        open("data/train.csv").read()
        """)),
    Fault("stall", "stall", False, lambda p: _script(p, """
        import time
        print("loading", flush=True)
        time.sleep(600)
        """), {"stall_s": 3}),
    Fault("timeout", "timeout", False, lambda p: _script(p, """
        import time
        for i in range(600):
            print("step", i, flush=True)
            time.sleep(0.5)
        """), {"attempt_timeout_s": 4}),
    Fault("disk-full", "disk_full", False, lambda p: _script(p, """
        with open("big.bin", "wb") as f:
            for _ in range(200):
                f.write(b"0" * 2**20)
        """), {"file_size_mb": 50}),
    Fault("killed-by-signal", "killed", False, lambda p: _script(p, """
        import os, signal
        os.kill(os.getpid(), signal.SIGKILL)
        """)),
    Fault("unknown-error", "unknown", False, lambda p: _script(p, """
        raise ValueError("the tokenizer returned something nobody planned for")
        """)),
]
