"""The model card: YAML metadata the Hub understands, then what was reproduced, how well, from what, and how to
run it again. Written from the run folder, like the report."""

from __future__ import annotations

import json
from pathlib import Path

import yaml


def _read(path: Path):
    return json.loads(path.read_text()) if path.exists() else None


def render_card(run_dir: Path, license_id: str, repo_id: str) -> str:
    spec = _read(run_dir / "spec.json") or {}
    plan = _read(run_dir / "plan.json") or {}
    outcome = _read(run_dir / "outcome.json") or {}
    run = _read(run_dir / "run.json") or {}
    info = _read(run_dir / "project" / "outputs" / "run_info.json") or {}
    results = (outcome.get("results") or {})
    metrics = results.get("metrics", {})
    dataset = plan.get("dataset", {})
    base_model = (spec.get("architecture") or {}).get("model")
    meta = {"license": license_id, "library_name": "pytorch",
            "tags": ["ml-intern", plan.get("recipe", "training"), plan.get("task_type", "")],
            "datasets": [dataset["loader"].split(":", 1)[1].split(":")[0]] if dataset.get("loader", "").startswith("hub:")
            else [], "metrics": sorted({m.split("_", 1)[-1] for m in metrics})}
    if base_model:
        meta["base_model"] = base_model["value"]
    meta = {k: [t for t in v if t] if isinstance(v, list) else v for k, v in meta.items() if v not in ([], None, "")}
    metric = plan.get("metric", {})
    key = f"{metric.get('split', 'test')}_{metric.get('name', '')}"
    paper_value = metric.get("paper_value")
    rows = "\n".join(f"| {name} | {value:.4f} | {f'{paper_value:.4f}' if name == key and paper_value is not None else ''} |"
                     for name, value in metrics.items() if isinstance(value, (int, float)))
    hp_rows = "\n".join(
        f"| `{name}` | `{v['value']}` | {v['origin']} | "
        + (f"p. {v['source']['page']}: “{v['source']['quote']}”" if v.get("source") else (v.get("reason") or "")) + " |"
        for name, v in {**plan.get("model", {}), **plan.get("hyperparameters", {})}.items())
    deviations = [w for w in plan.get("warnings", [])] + [
        f"`{k}` is not in the paper: {v['reason']}" for k, v in plan.get("hyperparameters", {}).items()
        if v.get("origin") == "default"]
    source = run.get("source", "")
    return f"""---
{yaml.safe_dump(meta, sort_keys=False).strip()}
---

# {plan.get('title') or repo_id}

Trained by ml-intern from `{source}`: recipe `{plan.get('recipe')}`, scale `{plan.get('scale')}`,
data `{dataset.get('loader')}` (licence: {dataset.get('license', 'unknown')}){f", base model `{base_model['value']}`" if base_model else ""}.

## Results

| metric | this model | paper |
|---|---|---|
{rows or '| (no metrics) | | |'}

{f"The paper's value is quoted from page {metric['source']['page']}: “{metric['source']['quote']}”" if metric.get('source') else ''}

## Training setup

| setting | value | origin | source or reason |
|---|---|---|---|
{hp_rows}

Hardware: {info.get('device', 'unknown')} ({info.get('platform', '')}), torch {info.get('torch', '?')},
{results.get('steps', '?')} steps in {results.get('train_seconds', '?')} s, seed {results.get('seed', '?')},
data fingerprint `{info.get('data_fingerprint', '?')}`.

## Known deviations from the paper

{chr(10).join(f'- {d}' for d in deviations) or '- none recorded'}

## Reproduce

The training project is in `project/`:

```
pip install -r project/requirements.txt
cd project && python train.py --config config.yaml
```

Licences: data {dataset.get('license', 'unknown')}; this model is published under `{license_id}`.
"""
