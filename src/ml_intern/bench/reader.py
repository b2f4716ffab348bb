"""Score the paper reader against hand-checked facts (``shared/papers/expected.json``).

Honest counting, value by value:
- a *hit* is an expected value found under its own canonical name (hyperparameters and architecture sizes);
- every other number the reader gives is counted against it: a *wrong-field* value when the paper states that
  number for another name ("32,000 words" read as a batch size, a warm-up length read as ``max_steps``), an
  *invention* otherwise (a value the paper gives for nothing the reader may take, names in ``absent`` included);
- *mixed* counts the settings that hold two different values for one name (pre-training and fine-tuning values,
  or two data sets' schedules, put in one setting: the planner then takes whichever came first); the values of a
  search the paper reports ("we experimented with batch sizes of …") are the setting's grid, not a mix;
- data sets: each expected one found, and each one the reader names that the paper does not use (*extra*);
- the task family and the title, against the expected ones.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from ml_intern.paper import extract_spec, read_source
from ml_intern.paper.models import Paper, PaperSpec

# the reader's task names -> expected.json's families
TASK_FAMILIES = {
    "image-classification": "image_classification", "text-classification": "text_classification",
    "token-classification": "token_classification", "named-entity-recognition": "token_classification",
    "seq2seq": "seq2seq", "translation": "seq2seq", "summarization": "seq2seq",
    "causal-lm": "causal_lm_pretraining", "causal-lm-pretraining": "causal_lm_pretraining",
    "causal-lm-finetuning": "causal_lm_finetuning", "tabular-classification": "tabular",
    "tabular-regression": "tabular", "tabular": "tabular", "other": "other",
    # tasks no recipe trains: expected.json's "other"
    "object-detection": "other", "image-segmentation": "other", "image-generation": "other",
    "reinforcement-learning": "other", "speech-recognition": "other", "node-classification": "other",
    "time-series-forecasting": "other", "recommendation": "other",
}
_SKIP = {"optimizer", "lr_schedule"}  # choices, scored apart (optimizer) or not numbers
# what expected.json has no field for (step-schedule points, Nesterov, augmentation, a tree depth, a warm-up in
# epochs, a feed-forward block's width, a patch size, a stochastic depth rate, mixup's and CutMix's α, random
# erasing, RandAugment, a weight average's decay, a layer-wise rate decay, RMSProp's decay): neither hits nor
# inventions; each row lists them (``unscored``) for a person to check
UNSCORED = {"lr_milestones", "lr_milestone_unit", "lr_step_size", "nesterov", "horizontal_flip", "crop_padding",
            "crop_size", "scale_augment", "max_depth", "warmup_epochs", "intermediate_size", "patch_size", "embedding_dim",
            "subsample", "colsample_bytree", "min_child_weight", "target_len", "num_beams", "drop_path_rate",
            "mixup_alpha", "cutmix_alpha", "random_erasing", "ema_decay", "layer_decay", "rmsprop_alpha", "randaugment_ops",
            "randaugment_magnitude", "randaugment_std"}


def expected_papers(papers: Path, only: list[str]) -> dict[str, dict] | None:
    """``expected.json``'s entries (file name -> facts) whose name contains one of ``only`` (all without), or None
    where the papers are absent (they come beside the project, not in it)."""
    import json

    if not (papers / "expected.json").exists():
        print(f"skipped: {papers} is absent (the papers come with the project's steering, beside the project)")
        return None
    return {k: v for k, v in json.loads((papers / "expected.json").read_text()).items()
            if not k.startswith("_") and (not only or any(o in k for o in only))}


def _close(a: object, b: object) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-9 + 1e-6 * abs(float(b))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(a).lower() == str(b).lower()


def _flat(value: object) -> list:
    return list(value) if isinstance(value, list) else [value]


def found_values(spec: PaperSpec) -> list[tuple[str, object, str]]:
    """Every (name, value, setting) the spec states: hyperparameters, and architecture sizes. The values of a search
    the paper reports are its setting's search ("rlhf 175B (search)"), apart from the value it chose."""
    out = [(h.name, v, f"{h.setting} (search)" if getattr(h, "searched", False) else h.setting)
           for h in spec.hyperparameters if h.name not in _SKIP | UNSCORED for v in _flat(h.value)]
    for name, q in spec.architecture.sizes.items():
        out += [(name, v, getattr(q, "setting", None) or "default") for v in _flat(q.value) if name not in UNSCORED]
    for setting, sizes in getattr(spec.architecture, "per_setting", {}).items():
        for name, q in sizes.items():
            out += [(name, v, setting) for v in _flat(q.value) if name not in UNSCORED]
    return out


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _dataset_keys(name: str) -> list[str]:
    """How an expected data set may be named: as written, without its parenthesised note, and its parts."""
    bare = re.sub(r"\([^)]*\)", "", name)
    keys = [_norm(name), _norm(bare)]
    return [k for k in dict.fromkeys(keys) if len(k) >= 2]


def _dataset_match(expected: str, found: str) -> bool:
    f = _norm(found)
    if len(f) < 2:
        return False
    return any(k == f or (len(f) >= 3 and f in k) or (len(k) >= 3 and k in f) for k in _dataset_keys(expected))


def _title_ok(expected: str | None, found: str | None) -> bool | None:
    if not expected:
        return None
    return bool(found) and _norm(expected) == _norm(found or "")


def score_spec(spec: PaperSpec, expected: dict) -> dict:
    hp: dict[str, list] = expected["hp"]
    values = found_values(spec)
    wanted = [(k, v) for k, vs in hp.items() for v in vs]
    hits = [(k, v) for k, v in wanted if any(n == k and _close(x, v) for n, x, _ in values)]
    missed = [f"{k}={v}" for k, v in wanted if (k, v) not in hits]
    wrong_field, inventions = [], []
    for name, value, setting in dict.fromkeys((n, x, s.removesuffix(" (search)")) for n, x, s in values
                                              if isinstance(x, (int, float))):  # (a number once, searched or not)
        if any(_close(value, v) for v in hp.get(name, [])):
            continue
        owners = [k for k, vs in hp.items() if k != name and any(_close(value, v) for v in vs)]
        (wrong_field if owners else inventions).append(
            f"{name}={value}" + (f" (is {'/'.join(owners)})" if owners else "") + ("" if setting == "default"
                                                                                  else f" [{setting}]"))
    by_setting: dict[tuple[str, str], set] = {}
    for name, value, setting in values:
        by_setting.setdefault((setting, name), set()).add(str(value))
    scalar = {h.name for h in spec.hyperparameters if not isinstance(h.value, list)}
    mixed = [f"{name}@{setting}: {', '.join(sorted(v))}" for (setting, name), v in by_setting.items()
             if len(v) > 1 and name in scalar and not setting.endswith(" (search)")]  # (a search's values are a grid)
    names = [d.name for d in spec.datasets] + [d.resolved or "" for d in spec.datasets]
    datasets = [d for d in expected["datasets"] if any(_dataset_match(d, n) for n in names if n)]
    extra = [d.name for d in spec.datasets
             if not any(_dataset_match(e, d.name) or (d.resolved and _dataset_match(e, d.resolved))
                        for e in expected["datasets"])]
    metric_names = " ".join(f"{m.split or ''} {m.name}" for m in spec.metrics).lower()
    metrics = [m for m in expected["metrics"] if m.lower() in metric_names]
    optimizer = next((h.value for h in spec.hyperparameters if h.name == "optimizer"), None)
    task = str(spec.task_type.value) if spec.task_type else None
    family = TASK_FAMILIES.get(task or "", task) if task else None
    task_ok = family == expected.get("task") or (expected.get("task") == "other" and family is None)
    unscored = [f"{h.name}={h.value}" + ("" if h.setting == "default" else f" [{h.setting}]")
                for h in spec.hyperparameters if h.name in UNSCORED]
    unscored += [f"{name}={q.value}" + ("" if setting == "default" else f" [{setting}]")
                 for setting, sizes in spec.architecture.per_setting.items() for name, q in sizes.items()
                 if name in UNSCORED]
    return {"hp_hits": len(hits), "hp_total": len(wanted), "missed": missed, "wrong_field": wrong_field,
            "unscored": unscored,
            "inventions": inventions, "mixed": mixed, "datasets_found": len(datasets),
            "datasets_total": len(expected["datasets"]), "datasets_missed": [d for d in expected["datasets"]
                                                                            if d not in datasets],
            "datasets_extra": extra, "datasets": f"{len(datasets)}/{len(expected['datasets'])}",
            "metrics": f"{len(metrics)}/{len(expected['metrics'])}",
            "optimizer_ok": optimizer == expected.get("optimizer"),
            "optimizer": f"{optimizer} ({'ok' if optimizer == expected.get('optimizer') else 'expected ' + str(expected.get('optimizer'))})",
            "task": f"{family} ({'ok' if task_ok else 'expected ' + str(expected.get('task'))})", "task_ok": task_ok,
            "title_ok": _title_ok(expected.get("title"), spec.title), "title": spec.title}


def score(papers: Path, name: str, expected: dict, paper: Paper | None = None) -> dict:
    """Read ``papers/name`` (or use ``paper`` already read), extract its spec with the rules, and score it."""
    started = time.perf_counter()
    paper = paper or read_source(papers / name)
    spec = extract_spec(paper)
    seconds = time.perf_counter() - started
    return {"paper": name, "pages": len(paper.pages), "seconds": seconds, **score_spec(spec, expected)}


def score_all(papers: Path, expected: dict[str, dict], jobs: int = 1) -> list[dict]:
    """``score`` each paper, in ``jobs`` processes at once (reading a PDF is single-threaded Python: a paper of 15
    pages takes about 10 s on one core). Rows in ``expected``'s order; with ``jobs`` > 1 a row's seconds include
    the other processes' load."""
    if jobs <= 1 or len(expected) <= 1:
        return [score(papers, name, exp) for name, exp in expected.items()]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the caller may hold threads (torch's, a test runner's) that a fork would copy mid-state
    with ProcessPoolExecutor(min(jobs, len(expected)), mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(score, papers, name, exp) for name, exp in expected.items()]
        return [future.result() for future in futures]
