"""The HTML report: spec with quotes, plan with origins, loss curve, attempt timeline, final metrics.

Rendered with Jinja2 (autoescaped: paper text is data and must never become markup) from the files in the run
folder, so it can be re-rendered at any time with `ml-intern report RUN_ID`. The curve is drawn with
matplotlib and embedded as a PNG (also written beside the report).
"""

from __future__ import annotations

import base64
import io
import time
from pathlib import Path

import jinja2

from ml_intern.runfolder import RunFolder

TEMPLATES = Path(__file__).with_name("templates")


def _plain(record):
    return record.model_dump(mode="json") if record is not None else None


def loss_curve_png(rows: list[dict]) -> bytes | None:
    train = [(r["step"], r["loss"]) for r in rows if "loss" in r]
    evals = [(r["step"], r["eval_accuracy"]) for r in rows if "eval_accuracy" in r]
    if not train:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.5), dpi=100)
    ax.plot(*zip(*train), color="#1f77b4", label="training loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    if evals:
        ax2 = ax.twinx()
        ax2.plot(*zip(*evals), color="#2ca02c", marker="o", markersize=3, label="validation accuracy")
        ax2.set_ylabel("validation accuracy")
        ax2.set_ylim(0, 1)
        lines = ax.get_lines() + ax2.get_lines()
        ax.legend(lines, [line.get_label() for line in lines], loc="center right")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def render_report(run_dir: Path, run: dict, llm_calls: list[dict] | None = None) -> Path:
    """Write report.html (and loss.png) into the run folder from what the stages wrote; return its path.
    ``run`` is the store's record (status, times, LLM totals); ``llm_calls`` its LLM calls, one row each."""
    folder = RunFolder(run_dir)
    # the run's typed record, as plain data for the template (autoescaped there)
    spec_record = folder.spec()
    spec = _plain(spec_record)
    # every size and hyperparameter with the paper's setting it is stated for (a source as plain data)
    spec_rows = [(name, setting, value, source.model_dump(mode="json"))
                 for name, setting, value, source in (spec_record.value_rows() if spec_record else [])]
    plan = _plain(folder.plan())
    outcome = _plain(folder.outcome())
    attempts = [a.model_dump(mode="json") for a in folder.attempts()]
    rows = folder.metrics_rows()
    png = loss_curve_png(rows)
    if png:
        (run_dir / "loss.png").write_bytes(png)
    for a in attempts:
        a["duration_s"] = (a["finished_at"] - a["started_at"]) if a.get("finished_at") else None
    results = (outcome or {}).get("results") or {}
    comparison = []
    if plan and results:
        metric = plan["metric"]
        ours = results.get("metrics", {}).get(f"{metric['split']}_{metric['name']}")
        comparison.append({"key": f"{metric['split']}_{metric['name']}", "name": f"{metric['split']} {metric['name']}",
                           "ours": ours,
                           "paper": metric.get("paper_value"), "source": metric.get("source")})
    from ml_intern.run.verify import last_check

    checked = last_check(folder.attempts())
    check = checked.model_dump(mode="json") if checked else None
    summary = run.get("summary") if isinstance(run.get("summary"), dict) else {}
    reproduction = summary.get("reproduction") if isinstance(summary.get("reproduction"), dict) else None
    llm = run.get("llm") or {"calls": 0, "tokens_in": 0, "tokens_out": 0, "cost_usd": 0.0, "cost_known": True}
    timing = {"wall_s": (run["updated_at"] - run["created_at"]) if run.get("updated_at") and run.get("created_at")
              else None,
              "attempts_s": sum(a["duration_s"] or 0 for a in attempts),
              "train_s": results.get("train_seconds")}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["when"] = lambda t: time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) if t else ""
    html = env.get_template("report.html.j2").render(
        run=run, spec=spec, spec_rows=spec_rows, plan=plan, outcome=outcome, attempts=attempts, results=results,
        comparison=comparison, reproduction=reproduction, check=check,
        llm=llm, llm_calls=llm_calls or [], timing=timing, loss_png=base64.b64encode(png).decode() if png else None, generated=time.time())
    out = run_dir / "report.html"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(html)
    tmp.replace(out)
    return out
