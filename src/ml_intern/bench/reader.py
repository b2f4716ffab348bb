"""Score the paper reader against hand-checked facts (``shared/papers/expected.json``)."""

from __future__ import annotations

import time
from pathlib import Path

from ml_intern.paper import extract_spec, read_source


def _close(a: object, b: object) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-9 + 1e-6 * abs(float(b))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(a).lower() == str(b).lower()


def score(papers: Path, name: str, expected: dict) -> dict:
    started = time.perf_counter()
    paper = read_source(papers / name)
    spec = extract_spec(paper)
    seconds = time.perf_counter() - started
    found: dict[str, list] = {}
    for h in spec.hyperparameters:
        values = h.value if isinstance(h.value, list) else [h.value]
        found.setdefault(h.name, []).extend(values)
    wanted = [(k, v) for k, vs in expected["hp"].items() for v in vs]
    hits = [(k, v) for k, v in wanted if any(_close(x, v) for x in found.get(k, []))]
    missed = [f"{k}={v}" for k, v in wanted if (k, v) not in hits]
    inventions = [f"{k}={found[k]}" for k in expected.get("absent", []) if found.get(k)]
    text_names = " ".join([d.name for d in spec.datasets] + [d.resolved or "" for d in spec.datasets]).lower()
    datasets = [d for d in expected["datasets"] if d.lower() in text_names]
    metric_names = " ".join(f"{m.split or ''} {m.name}" for m in spec.metrics).lower()
    metrics = [m for m in expected["metrics"] if m.lower() in metric_names]
    optimizer = next((h.value for h in spec.hyperparameters if h.name == "optimizer"), None)
    return {"paper": name, "pages": len(paper.pages), "seconds": seconds, "hp_hits": len(hits), "hp_total": len(wanted),
            "missed": missed, "inventions": inventions, "datasets": f"{len(datasets)}/{len(expected['datasets'])}",
            "metrics": f"{len(metrics)}/{len(expected['metrics'])}",
            "optimizer": f"{optimizer} ({'ok' if optimizer == expected.get('optimizer') else 'expected ' + str(expected.get('optimizer'))})"}
