"""Score the paper reader on the real papers in ../shared/papers/ against their expected.json.

    python benchmarks/reader_accuracy.py [--jobs N] [NAME ...]

Per paper and overall (``ml_intern.bench.reader``): recall of the stated values (hyperparameters and architecture
sizes, each under its own name), values in the wrong field (a number the paper states for another name),
inventions (a number the paper states for no field the reader may take), settings that mix two values of one
name, data sets found / missed / named but not used, metrics, task, title, and seconds per page (PDF reading
and extraction), and the values expected.json has no field for (schedule points, Nesterov, augmentation: unscored,
listed for a person to check). NAME picks papers whose file name contains it. --jobs N reads N papers at once (the seconds then
include the others' load; the default, 1, times each paper alone).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ml_intern.bench.reader import expected_papers, score_all

PAPERS = Path(__file__).resolve().parents[2] / "shared" / "papers"


def main(only: list[str], jobs: int = 1) -> int:
    expected = expected_papers(PAPERS, only)
    if expected is None:
        return 0
    rows = score_all(PAPERS, expected, jobs)
    table = Table(title="reader accuracy (rule-based extractor)")
    for col in ("paper", "recall", "missed", "wrong field", "inventions", "mixed", "data sets", "not used",
                "metrics", "task", "title", "s/page", "unscored (schedule, augmentation)"):
        table.add_column(col, overflow="fold")
    for r in rows:  # (cells escaped: "[imagenet]", a setting, is not console markup)
        table.add_row(*(escape(cell) for cell in (r["paper"].removesuffix(".pdf"), f"{r['hp_hits']}/{r['hp_total']}", ", ".join(r["missed"]) or "-",
                      ", ".join(r["wrong_field"]) or "0", ", ".join(r["inventions"]) or "0", str(len(r["mixed"])),
                      r["datasets"], ", ".join(r["datasets_extra"]) or "-", r["metrics"], r["task"],
                      {True: "ok", False: f"wrong: {r['title']}", None: "-"}[r["title_ok"]],
                      f"{r['seconds'] / r['pages']:.3f}", ", ".join(r["unscored"]) or "-")))
    console = Console(width=240)
    console.print(table)
    hits, total = sum(r["hp_hits"] for r in rows), sum(r["hp_total"] for r in rows)
    pages, seconds = sum(r["pages"] for r in rows), sum(r["seconds"] for r in rows)
    titled = [r for r in rows if r["title_ok"] is not None]
    console.print(
        f"overall: recall {hits}/{total} = {hits / total:.0%}; wrong field {sum(len(r['wrong_field']) for r in rows)}; "
        f"inventions {sum(len(r['inventions']) for r in rows)}; mixed settings {sum(len(r['mixed']) for r in rows)}; "
        f"data sets {sum(r['datasets_found'] for r in rows)}/{sum(r['datasets_total'] for r in rows)}, "
        f"not used {sum(len(r['datasets_extra']) for r in rows)}; task {sum(r['task_ok'] for r in rows)}/{len(rows)}; "
        f"title {sum(bool(r['title_ok']) for r in titled)}/{len(titled)}; optimizer "
        f"{sum(r['optimizer_ok'] for r in rows)}/{len(rows)}; {seconds / pages:.3f} s per page over {pages} pages; "
        f"unscored values {sum(len(r['unscored']) for r in rows)}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="papers whose file name contains NAME (default: all)")
    parser.add_argument("--jobs", type=int, default=1, help="papers read at once (default 1: each timed alone)")
    args = parser.parse_args()
    sys.exit(main(args.names, args.jobs))
