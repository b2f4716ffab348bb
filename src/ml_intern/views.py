"""What the CLI shows: tables and lines rendered from typed records (``RunRow``, ``Attempt``, ``PaperSpec``,
``ExperimentPlan``, …). The CLI parses and calls the library; this module only draws.

Text from users, papers and errors is never read as Rich markup: the consoles are made with ``markup=False`` and
styles are applied to ``Text`` pieces, so ``pip install 'ml-intern[local]'`` prints its brackets.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ml_intern.runfolder import LLMUsage, RunRow, RunSummary

if TYPE_CHECKING:
    from ml_intern.paper import PaperSpec
    from ml_intern.plan import ExperimentPlan
    from ml_intern.run.attempts import Attempt

out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, markup=False)


def fmt(value: object) -> str:
    return f"{value:.4f}" if isinstance(value, float) else ("—" if value is None else str(value))


def styled(label: str, style: str, text: str = "") -> Text:
    """``label`` in ``style``, then ``text`` as it is (never markup)."""
    return Text.assemble((label, style), (" " + text) if text else "")


def error(message: str) -> None:
    err.print(styled("error:", "bold red", message), soft_wrap=True)


def warning(message: str) -> None:
    err.print(styled("warning:", "yellow", message), soft_wrap=True)


def note(label: str, message: str = "") -> None:
    err.print(styled(label, "yellow", message), soft_wrap=True)


def result(run: RunRow) -> str:
    """The run's metric, or nothing (the scale is a column of its own: a smoke run is not a result)."""
    s = run.summary
    if not (s and s.metric and s.value is not None):
        return ""
    return f"{s.metric} {fmt(s.value)}" + (" (self-reported)" if self_reported(s) else "")


def self_reported(s: RunSummary) -> bool:
    """The run's metrics are only what its own code said (no recipe, or the model is the project's code)."""
    return bool(s.metrics_check and s.metrics_check.startswith("self-reported"))


def llm_cost(llm: LLMUsage) -> str:
    if not llm.calls:
        return "no calls, $0.00"
    cost = f"${llm.cost_usd:.4f}" + ("" if llm.cost_known else " + calls of unpriced models")
    return f"{llm.calls} call(s), {llm.tokens_in:,} tokens in, {llm.tokens_out:,} out, {cost}"


def run_view(run: RunRow, attempts: list[Attempt], report: str | None = None, fidelity: str | None = None) -> None:
    table = Table(title=f"run {run.id}", show_header=False)
    table.add_row("status", run.status)
    table.add_row("scale", run.scale or "—")
    if fidelity:
        table.add_row("plan fidelity", f"{fidelity} (paper values used / stated for the setting)")
    table.add_row("source", run.source)
    table.add_row("folder", run.run_dir)
    s = run.summary
    if s and s.summary:
        table.add_row("outcome", s.summary)
    for name, value in (s.metrics if s else {}).items():
        paper = s.paper_value if s and name == s.metric else None
        table.add_row(name, fmt(value) + (f"  (paper: {fmt(paper)})" if paper is not None else ""))
    if s and s.metrics_check:
        table.add_row("metrics check", s.metrics_check)
    if s and s.reproduction:
        table.add_row("reproduced?", s.reproduction.line())
    if s and s.train_seconds is not None:
        table.add_row("training time", f"{s.train_seconds:.1f} s, {s.steps} steps")
    if run.llm:
        table.add_row("LLM", llm_cost(run.llm))
    if run.error:
        table.add_row("error", run.error)
    if report:
        table.add_row("report", report)
    out.print(table)
    if attempts:
        out.print(attempts_table(attempts))


def attempts_table(attempts: Iterable[Attempt]) -> Table:
    t = Table(title="attempts")
    for col in ("#", "kind", "status", "commit", "duration", "failure"):
        t.add_column(col)
    for a in attempts:
        duration = f"{a.finished_at - a.started_at:.1f} s" if a.finished_at else ""
        failure = f"{a.failure.cls}: {a.failure.message}" if a.failure else ""
        t.add_row(str(a.number), a.kind, a.status, a.commit[:8], duration, failure)
    return t


def runs_table(runs: Iterable[RunRow]) -> Table:
    table = Table(title="runs")
    for col in ("id", "status", "scale", "created", "source", "result"):
        table.add_column(col, overflow="fold")
    for r in runs:
        table.add_row(r.id, r.status, r.scale or "—", time.strftime("%Y-%m-%d %H:%M", time.localtime(r.created_at)),
                      r.source, result(r))
    return table


def comparison_view(run: RunRow, comparison: dict) -> None:
    table = Table(title=f"run {run.id} ({run.scale}) reproduces {comparison['original']}")
    for col in ("metric", "original", "reproduced", "equal"):
        table.add_column(col)
    for name, m in comparison["metrics"].items():
        table.add_row(name, fmt(m["original"]), fmt(m["reproduced"]), "yes" if m["equal"] else "NO")
    out.print(table)
    out.print(f"same data: {comparison['same_data']}; same config: {comparison['same_config']}; "
              f"same packages: {comparison['same_packages']}")


def sweep_table(sweep_id: str, base: str, params: list[str], rows: list[dict]) -> Table:
    table = Table(title=f"sweep {sweep_id} (from run {base})")
    for col in (*params, "run", "status", "scale", "validation", "result", "picked"):
        table.add_column(col)
    for row in rows:
        value = f"{row['metric']} {fmt(row['value'])}" if row["value"] is not None else (row["error"] or "")
        val = f"{row['val_metric']} {fmt(row['val'])}" if row.get("val") is not None else ""
        table.add_row(*(row["params"][k] for k in params), row["run"] or "-", row["status"], row["scale"] or "—",
                      val, value, "best on validation" if row.get("picked") else "")
    return table


def spec_table(spec: PaperSpec, title: str) -> Table:
    table = Table(title=spec.title or title)
    for col in ("field", "setting", "value", "page", "quote"):
        table.add_column(col, overflow="fold")
    quoted = [("task", spec.task_type), ("architecture", spec.architecture.family), ("model", spec.architecture.model),
              ("model named (not in the registry)", spec.architecture.named), ("loss", spec.loss)]
    for label, q in quoted:
        if q:
            table.add_row(label, "", str(q.value), str(q.source.page), q.source.quote)
    for name, setting, value, source in spec.value_rows():  # sizes and hyperparameters, each with its setting
        table.add_row(name, setting, value, str(source.page), source.quote)
    for n in spec.negations:
        table.add_row(n.name, n.setting, "none", str(n.source.page), n.source.quote)
    for d in spec.datasets:
        table.add_row("dataset", "", f"{d.name} → {d.resolved}", str(d.source.page), d.source.quote)
        if d.pair:
            table.add_row("language pair", "", f"{d.name}: {d.pair.value}", str(d.pair.source.page), d.pair.source.quote)
    for m in spec.metrics:
        table.add_row(f"reported {m.split or ''} {m.name}", "", fmt(m.value), str(m.source.page), m.source.quote)
    return table


def plan_view(plan: ExperimentPlan) -> None:
    table = Table(title=f"plan: {plan.recipe} on {plan.dataset.key} ({plan.scale}), the paper's setting "
                        f"{plan.setting}")
    for col in ("field", "value", "origin", "paper setting", "why / source"):
        table.add_column(col, overflow="fold")
    for name, v in {**plan.choices, **plan.model, **plan.hyperparameters, **plan.unsupported}.items():
        why = f"p. {v.source.page}: “{v.source.quote}”" if v.source else ""
        if v.reason and (v.origin != "paper" or not v.source):
            why = f"{v.reason}; {why}" if why else v.reason
        table.add_row(name, str(v.value), v.origin, v.setting or "", why)
    out.print(table)
    if plan.fidelity is not None:
        out.print(f"fidelity: {plan.fidelity.text()} of the values the paper states for this setting are used"
                  + (f" (not used: {', '.join(plan.fidelity.missed)})" if plan.fidelity.missed else ""))
    if plan.grid:
        out.print("the paper's grid: " + "; ".join(f"{k} in {{{', '.join(v)}}}" for k, v in plan.grid.items())
                  + " (ml-intern sweep RUN_ID --paper-grid, or ml-intern run --sweep-paper-grid, runs it and picks on "
                    "the validation split)")
    h = plan.hardware
    where = (f"{h.num_devices} x {h.gpu}" + (f" on {h.num_nodes} nodes" if h.num_nodes > 1 else "")) if h.gpu else "CPU"
    out.print(f"hardware: {where}, precision {h.precision}, batch {h.per_device_batch} per device x "
              f"{h.gradient_accumulation_steps} accumulation (effective {h.effective_batch})"
              + (", gradient checkpointing" if h.gradient_checkpointing else "")
              + (f", {h.sharding.upper()}" if h.sharding else "")
              + f"; {h.parameters:,} parameters" + (f" ({h.trainable_parameters:,} trainable)"
                                                    if h.trainable_parameters not in (None, h.parameters) else "")
              + f", ~{h.memory_estimate_mb:,.0f} MB per device, {h.flops_estimate:.3g} training FLOPs")
    if h.gpu_hours is not None:
        out.print(f"estimate: {h.hours_estimate:.2f} h wall clock, {h.gpu_hours:.2f} GPU-hours, ~${h.cost_usd:,.2f}")
    for line in h.notes:
        out.print(f"  - {line}")
    for w in plan.warnings:
        warning(w)


def bench_view(title: str, per_task: list[dict], totals: dict, seconds: float, results: Iterable, written: str) -> None:
    table = Table(title=title)
    for col in ("task", "fault", "criterion", "value", "verdict", "1st attempt", "after iteration", "attempts",
                "seconds", "LLM $"):
        table.add_column(col)
    for r in per_task:
        value = "—" if r["value"] is None else f"{r['value']:.4g}" + (f" ± {r['spread']:.2g}" if r["seeds"] > 1 else "")
        table.add_row(r["task"], r["fault"] or "", r["criterion"], value, ", ".join(r.get("verdicts") or []) or "—",
                      f"{r['first_attempt']:.0%}",
                      f"{r['success']:.0%}", f"{r['attempts']:.1f}", f"{r['seconds']:.0f}", f"{r['llm_cost_usd']:.4f}")
    out.print(table)
    out.print(f"first-attempt success {totals['first_attempt_success']:.0%}, success after iteration "
              f"{totals['success']:.0%}, mean attempts {totals['attempts']:.1f}, {seconds:.0f} s, LLM cost "
              f"${totals['llm_cost_usd']:.4f}")
    for r in results:
        if r.reason and not r.success:
            out.print(f"  {r.task} (seed {r.seed}): {r.reason}")
    out.print(f"written: {written}")
