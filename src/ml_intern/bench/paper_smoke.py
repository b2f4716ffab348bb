"""A real paper through ``ml-intern run PAPER --scale smoke`` with the Hub offline, on stand-ins of the data and
checkpoints its plan names (``standins.py``): the benchmark ``benchmarks/paper_smoke.py`` and the test
``tests/test_paper_smoke.py``.

For one paper: read it and plan it at scale smoke (the rule-based reader, as ``run`` does), take what the project's
config loads from the Hub (``run.fetch.needs``), write those stand-ins into a fresh Hugging Face cache, then run the
real CLI in a fresh process and home with ``HF_HUB_OFFLINE=1`` and that cache as ``HF_HOME``: ml-intern's fetch finds
the cache holding what the plan needs, and the sandboxed project loads it through ``datasets`` and
``from_pretrained`` as it would the real files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from ml_intern.errors import DataNeeded, MLInternError, UnsupportedTask

# one stand-in build at a time: transformers' lazy imports are not safe from two threads at once (--jobs)
_BUILDING = threading.Lock()


def model_text(plan) -> str:
    """The model the plan names: a checkpoint (its id), or the architecture built from its config, with its sizes."""
    m = {k: v.value for k, v in plan.model.items()}
    if m.get("model"):
        return str(m["model"])
    kind = m.get("model_type")
    if kind == "gbdt":
        values = plan.values()
        return f"boosted trees (XGBoost): {values.get('max_steps')} rounds, depth {values.get('max_depth', 6)}"
    if kind == "resnet":
        return (f"ResNet-{m.get('depth')}{' (CIFAR)' if m.get('resnet_variant') == 'cifar' else ''} from config: "
                f"stages {m.get('resnet_depths')}, "
                f"widths {m.get('resnet_hidden_sizes')}")
    if kind == "convnext":
        return (f"ConvNeXt from config: stages {m.get('convnext_depths')}, widths {m.get('convnext_hidden_sizes')}, "
                f"stochastic depth {m.get('drop_path_rate', 0.0)}")
    if kind == "vit":
        return (f"ViT from config: patch {m.get('patch_size')}, {m.get('num_layers')} layers x {m.get('hidden_size')}, "
                f"{m.get('num_heads')} heads")
    if kind in ("bilstm-crf", "bilstm"):
        return (f"{'BiLSTM-CRF' if kind == 'bilstm-crf' else 'BiLSTM'} from config: {m.get('num_layers')} layer(s) x "
                f"{m.get('hidden_size')} each way, {m.get('embedding_dim')}-d word embeddings")
    if "d_model" in m:
        return f"{kind} from config: {m.get('num_layers')}+{m.get('num_layers')} layers x {m.get('d_model')}"
    if "n_layer" in m:
        return f"{kind} from config: {m.get('n_layer')} layers x {m.get('n_embd')}"
    return str(kind or "-")


def plan_paper(path: Path, overrides: dict | None = None):
    """(spec, plan at scale smoke, what its project loads from the Hub), as ``ml-intern run`` would plan it (with
    ``--set`` ``overrides``)."""
    from ml_intern.paper import read_source, spec_for
    from ml_intern.plan import make_plan
    from ml_intern.plan.recipes import RECIPES
    from ml_intern.run.fetch import needs

    spec = spec_for(read_source(str(path)))
    plan = make_plan(spec, scale="smoke", overrides=overrides)
    return spec, plan, needs(RECIPES[plan.recipe].config(plan))


def stand_in_table(path: Path, rows: int = 300, features: int = 8, seed: int = 0) -> Path:
    """A local table for a paper whose data sets no hub the registry knows holds (XGBoost's Higgs, Criteo, ...): numeric
    features and a binary ``label`` that depends on them, given to the run as a user would, with ``--set
    dataset=csv:PATH --set target_column=label``."""
    import random

    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join([*(f"f{i}" for i in range(features)), "label"])]
    for _ in range(rows):
        x = [rng.gauss(0, 1) for _ in range(features)]
        lines.append(",".join([*(f"{v:.5f}" for v in x), str(int(x[0] + x[1] * x[2] + 0.3 * rng.gauss(0, 1) > 0))]))
    path.write_text("\n".join(lines) + "\n")
    return path


def data_overrides(home: Path) -> dict[str, str]:
    """What a user gives a paper whose data sets ml-intern cannot load: a local copy (here a stand-in table)."""
    return {"dataset": f"csv:{stand_in_table(home / 'data' / 'table.csv')}", "target_column": "label"}


def offline_env(home: Path) -> dict[str, str]:
    """The environment of a fresh ``ml-intern`` process: its own home, the stand-in cache as the user's Hugging Face
    cache, and the Hub offline."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "HF_", "HUGGINGFACE"))}
    env.update(ML_INTERN_HOME=str(home / "runs"), HF_HOME=str(home / "hf"), HF_HUB_CACHE=str(home / "hf" / "hub"),
               HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", PYTHONUNBUFFERED="1")
    return env


def smoke_paper(path: Path, home: Path, timeout_s: float = 1800) -> dict:
    """One paper: planned, its stand-ins written into ``home``'s cache, ``ml-intern run PAPER --scale smoke --json``
    run offline there. A row: paper, recipe, model, data (the stand-ins), status, attempts, verdict (and its
    reason), seconds (the run's own); ``stopped`` says why a paper was not run; ``run`` is the CLI's JSON."""
    from ml_intern.bench.standins import NoStandIn, build

    started = time.perf_counter()
    row, planned = _planned(path, home)
    if planned is not None:
        plan, wanted = planned
        row.update(recipe=plan.recipe, model=model_text(plan), plan=plan)
        home.mkdir(parents=True, exist_ok=True)
        try:
            with _BUILDING:
                row["data"] = build(wanted, home / "hf" / "hub") + (
                    ["a local stand-in table (--set dataset=csv:PATH)"] if row["given"] else [])
        except NoStandIn as exc:
            row["stopped"] = str(exc)
    if row["stopped"] is None:
        given = [arg for k, v in row["given"].items() for arg in ("--set", f"{k}={v}")]
        proc = subprocess.run([sys.executable, "-m", "ml_intern", "run", str(path), "--scale", "smoke", "--json",
                               *given], env=offline_env(home), cwd=home, capture_output=True, text=True,
                              timeout=timeout_s)
        row.update(_run_row(proc))
    row["total_seconds"] = time.perf_counter() - started
    return row


def _run_row(proc: subprocess.CompletedProcess) -> dict:
    """The run's columns from ``ml-intern run|show --json``: status, attempts, verdict and its reason, and the
    run's own seconds (from its record's creation, after reading the paper, to its end)."""
    try:
        run = json.loads(proc.stdout)
    except json.JSONDecodeError:
        run = {}
    summary = run.get("summary") or {}
    verdict = summary.get("reproduction") or {}
    said = [line for line in proc.stderr.splitlines() if line.strip()]
    seconds = (run["updated_at"] - run["created_at"]) if run.get("updated_at") and run.get("created_at") else None
    return {"run": run, "stderr": proc.stderr[-4000:], "status": run.get("status") or f"exit {proc.returncode}",
            "attempts": len(run.get("attempts") or []), "verdict": verdict.get("verdict") or "-",
            "why": verdict.get("reason") or summary.get("summary") or (said[-1] if said else ""), "seconds": seconds}


def kept_row(path: Path, home: Path) -> dict:
    """The row of a paper run earlier into ``home`` (kept), read back through ``ml-intern show --json``; a paper
    with no home there is planned again for its reason to stop."""
    from ml_intern.plan.models import ExperimentPlan

    if not (home / "runs" / "store.sqlite").exists():
        return _stopped_row(path)
    from ml_intern.track.store import Store

    run_id = Store(home / "runs" / "store.sqlite").list_runs(limit=1)[0]["id"]
    shown = subprocess.run([sys.executable, "-m", "ml_intern", "show", run_id, "--json"], env=offline_env(home),
                           cwd=home, capture_output=True, text=True, timeout=300)
    row = {"paper": path.stem, "stopped": None, **_run_row(shown)}
    plan = ExperimentPlan.model_validate_json((Path(row["run"]["run_dir"]) / "plan.json").read_text())
    cached = sorted(p.name.split("--", 1) for p in (home / "hf" / "hub").glob("*--*--*"))
    row.update(recipe=plan.recipe, model=model_text(plan), plan=plan,
               data=[f"{kind[:-1]} {name.replace('--', '/')}" for kind, name in cached])
    return row


def _planned(path: Path, home: Path | None = None) -> tuple[dict, tuple | None]:
    """A paper's row before its run, and (plan, what it loads from the Hub); None, with ``stopped`` saying why, for a
    paper no recipe covers or that cannot be planned. A paper whose data sets ml-intern cannot load is planned, and
    run, on a local stand-in table given with ``--set`` (the row's ``given``), as a user gives their copy."""
    row: dict = {"paper": path.stem, "recipe": "-", "model": "-", "data": [], "status": "stopped", "attempts": 0,
                 "verdict": "-", "why": "", "stopped": None, "run": None, "seconds": None, "given": {}}
    try:
        try:
            _spec, plan, wanted = plan_paper(path)
        except DataNeeded:
            if home is None:
                raise
            row["given"] = data_overrides(home)
            _spec, plan, wanted = plan_paper(path, row["given"])
    except UnsupportedTask as exc:
        row["stopped"] = f"no recipe: {exc.problem}"
    except MLInternError as exc:
        row["stopped"] = f"not planned: {exc.problem}"
    else:
        return row, (plan, wanted)
    return row, None


def _stopped_row(path: Path) -> dict:
    row, planned = _planned(path)
    if planned is not None:
        row["stopped"] = "planned, not run in this session"
    return row
