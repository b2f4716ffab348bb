"""Did it reproduce? A run's metric beside the baseline (the model before this run's training, evaluated by the
project on the same test split: untrained, or the pre-trained model it starts from), the paper's value, and a
verdict with its reason and the GPU-hours and dollars spent.

- ``reproduced``: within the tolerance of the paper's value (or better);
- ``partly``: short of the tolerance, but within three times it and above the baseline;
- ``not reproduced``: further off, or no better than the baseline;
- ``not comparable``: a smoke or small run, or a run on other data or another model size than the paper's, or no
  paper value to compare with.

The tolerance is the paper's own spread where the spec states one, else a stated default: 1 point on a metric in
[0, 1] (accuracy, F1), 2% of the value otherwise.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Verdict = Literal["reproduced", "partly", "not reproduced", "not comparable"]
LOWER_IS_BETTER = ("loss", "perplexity", "rmse", "mae", "mse", "error", "wer", "cer")


class Reproduction(BaseModel):
    """A run's result against the paper."""

    verdict: Verdict
    reason: str
    metric: str | None = None
    value: float | None = None
    paper_value: float | None = None
    baseline: float | None = Field(default=None, description="the metric of the model before this run's training")
    baseline_kind: str | None = Field(default=None, description="untrained, or pre-trained (the model it starts from)")
    tolerance: float | None = None
    gpu_hours: float = 0.0
    cost_usd: float = 0.0
    device: str | None = None

    def line(self) -> str:
        """One line: what ``show``, the report, the card and the bench print."""
        def num(x: float | None) -> str:
            return "-" if x is None else f"{x:.4g}"

        spent = (f"{self.gpu_hours:.3g} GPU-hours, ${self.cost_usd:,.2f}" if self.gpu_hours
                 else f"no GPU ({self.device or 'CPU'})")
        return (f"{self.verdict}: {self.reason} | {self.metric or 'metric'} {num(self.value)}, paper {num(self.paper_value)}, "
                f"baseline {num(self.baseline)}{f' ({self.baseline_kind})' if self.baseline_kind else ''} | {spent}")


def judge(metric: str | None, value: float | None, paper_value: float | None, baseline: float | None,
          not_comparable: str | None = None, spread: float | None = None) -> tuple[Verdict, str, float | None]:
    """The verdict, its reason and the tolerance used."""
    if not_comparable:
        return "not comparable", not_comparable, None
    if value is None:
        return "not comparable", "the run has no value of the plan's metric", None
    if paper_value is None:
        return "not comparable", "the paper states no value of this metric", None
    lower = any(w in (metric or "").lower() for w in LOWER_IS_BETTER)
    if spread is not None:
        tolerance, how = abs(spread), "the paper's own spread"
    elif 0 <= paper_value <= 1 and not lower:
        tolerance, how = 0.01, "the default of 1 point"
    else:
        tolerance, how = abs(paper_value) * 0.02, "the default of 2%"
    short = (value - paper_value) if lower else (paper_value - value)  # how far it falls short (<= 0: as good)
    if short <= tolerance:
        return "reproduced", f"{value:.4g} against the paper's {paper_value:.4g}, within {how} ({tolerance:.3g})", tolerance
    beats_baseline = baseline is None or (value < baseline if lower else value > baseline)
    if short <= 3 * tolerance and beats_baseline:
        return "partly", (f"{value:.4g} against the paper's {paper_value:.4g}: short by {short:.3g}, more than "
                          f"{how} ({tolerance:.3g}) but within three times it"), tolerance
    why = "no better than the baseline" if not beats_baseline else f"short by {short:.3g}"
    return "not reproduced", f"{value:.4g} against the paper's {paper_value:.4g}: {why}", tolerance


def spent(attempts: list, run_info: dict, gpu: str | None, price_per_hour: float, processes: int = 1) \
        -> tuple[float, float, str]:
    """(GPU-hours, dollars, device) of a run's attempts: their wall-clock time on the GPUs they held, at the hourly
    price the hardware plan assumes for ``gpu``; a run on the CPU spends no GPU-hours."""
    device = str(run_info.get("device") or "cpu")
    if not device.startswith("cuda"):
        return 0.0, 0.0, device
    seconds = sum(max(0.0, (a.finished_at or a.started_at) - a.started_at) for a in attempts)
    hours = seconds * max(1, processes) / 3600
    return round(hours, 4), round(hours * price_per_hour, 2), f"{device} (priced as {gpu})"


def assess(plan, outcome, run_info: dict, prices: dict[str, float], default_gpu: str) -> Reproduction:
    """A run's ``Reproduction`` from its plan (``ExperimentPlan`` or None), its ``Outcome`` and ``run_info.json``:
    baseline and metric from the results, the verdict, the GPU-hours of its full attempts at the hourly ``prices``
    the hardware plan assumes (its GPU's, else ``default_gpu``'s)."""
    results = outcome.results or {}
    key = f"{plan.metric.split}_{plan.metric.name}" if plan else None
    value = (results.get("metrics") or {}).get(key) if key else None
    value = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    base = results.get("baseline") if isinstance(results.get("baseline"), dict) else {}
    baseline = (base.get("metrics") or {}).get(key) if key and isinstance(base.get("metrics"), dict) else None
    baseline = baseline if isinstance(baseline, (int, float)) and not isinstance(baseline, bool) else None
    why = None
    if plan is None:
        why = "a project run without a paper (ml-intern exec)"
    elif outcome.status != "succeeded":
        why = "the run did not finish"
    elif plan.scale != "paper" or results.get("smoke"):
        why = f"a {plan.scale} run: fewer data and steps than the paper's (run at --scale paper to compare)"
    elif not plan.dataset.name_in_paper:
        why = f"another data set ({plan.dataset.key}) than the paper's"
    elif changed := [f"{k} {v.value} ({v.origin})" for k, v in plan.model.items() if v.origin in ("override", "scale")]:
        why = "another model than the paper's: " + ", ".join(changed)
    paper_value = plan.metric.paper_value if plan else None
    verdict, reason, tolerance = judge(key, value, paper_value, baseline, why)
    config = run_info.get("config") if isinstance(run_info.get("config"), dict) else {}
    try:
        processes = int(config.get("num_processes") or 1)
    except (TypeError, ValueError):
        processes = 1
    gpu = plan.hardware.gpu if plan and plan.hardware.gpu in prices else default_gpu
    gpu_hours, cost, device = spent([a for a in outcome.attempts if a.kind == "full"], run_info, gpu,
                                    prices.get(gpu, 0.0), processes)
    return Reproduction(verdict=verdict, reason=reason, metric=key, value=value, paper_value=paper_value,
                        baseline=baseline, baseline_kind=base.get("kind") if isinstance(base.get("kind"), str) else None,
                        tolerance=tolerance, gpu_hours=gpu_hours, cost_usd=cost, device=device)
