"""The model card: YAML metadata the Hub understands, then what was reproduced, how well, from what, and how to
run it again. Written from the run folder, like the report."""

from __future__ import annotations

from pathlib import Path

import yaml

from ml_intern.runfolder import RunFolder


def render_card(run_dir: Path, license_id: str, repo_id: str) -> str:
    """The card of a run (a run of `exec` has no paper and no plan: its card says what it can)."""
    folder = RunFolder(run_dir)
    plan, spec, outcome, info = folder.plan(), folder.spec(), folder.outcome(), folder.run_info()
    results = (outcome.results if outcome else None) or {}
    metrics = results.get("metrics") or {}
    loader = plan.dataset.loader if plan else "unknown"
    data_license = plan.dataset.license if plan else "unknown"
    base_model = spec.architecture.model.value if spec and spec.architecture.model else None
    meta = {"license": license_id, "library_name": "pytorch",
            "tags": ["ml-intern", plan.recipe if plan else "training", plan.task_type if plan else ""],
            "datasets": [loader.split(":", 1)[1].split(":")[0]] if loader.startswith("hub:") else [],
            "metrics": sorted({m.split("_", 1)[-1] for m in metrics})}
    if base_model:
        meta["base_model"] = base_model
    meta = {k: [t for t in v if t] if isinstance(v, list) else v for k, v in meta.items() if v not in ([], None, "")}
    metric = plan.metric if plan else None
    key = f"{metric.split}_{metric.name}" if metric else None
    paper_value = metric.paper_value if metric else None
    rows = "\n".join(f"| {name} | {value:.4f} | {f'{paper_value:.4f}' if name == key and paper_value is not None else ''} |"
                     for name, value in metrics.items() if isinstance(value, (int, float)) and not isinstance(value, bool))
    from ml_intern.plan.recipes.hardware import prices, target_gpu
    from ml_intern.track.verdict import assess

    verdict = assess(plan, outcome, info, prices(), target_gpu()).line() if outcome else "the run has not finished"
    values = {**plan.model, **plan.hyperparameters} if plan else {}
    hp_rows = "\n".join(f"| `{name}` | `{v.value}` | {v.origin} | {v.setting or ''} | "
                        + (f"p. {v.source.page}: “{v.source.quote}”" if v.source else (v.reason or "")) + " |"
                        for name, v in values.items())
    deviations = (list(plan.warnings) + [f"`{k}` is not in the paper: {v.reason}"
                                         for k, v in plan.hyperparameters.items() if v.origin == "default"]
                  if plan else [])
    source = folder.record().source if folder.has("record") else ""
    from ml_intern.run.verify import last_check

    check = last_check(folder.attempts())
    checked = ("" if check is None else f"Checked by ml-intern: {check.reason}." if check.status == "verified"
               else f"Not checked: {check.reason}." if check.status == "not checked"
               else f"**Self-reported**: {check.reason}.")
    return f"""---
{yaml.safe_dump(meta, sort_keys=False).strip()}
---

# {(plan.title if plan else None) or repo_id}

Trained by ml-intern from `{source}`: recipe `{plan.recipe if plan else None}`, scale `{plan.scale if plan else None}`,
the paper's setting `{plan.setting if plan else None}`,
data `{loader}` (licence: {data_license}){f", base model `{base_model}`" if base_model else ""}.

## Results

| metric | this model | paper |
|---|---|---|
{rows or '| (no metrics) | | |'}

{checked}

**Did it reproduce?** {verdict}

{f"The paper's value is quoted from page {metric.source.page}: “{metric.source.quote}”" if metric and metric.source else ''}

## Training setup

| field | value | origin | paper setting | source or reason |
|---|---|---|---|---|
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

Licences: data {data_license}; this model is published under `{license_id}`.
"""
