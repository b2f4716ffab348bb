"""Score the paper reader on the real papers in ../shared/papers/ against their expected.json.

    python benchmarks/reader_accuracy.py

Per paper: recall of expected hyperparameter values (per canonical name), data sets and metrics found, and
inventions (a value for a name the paper gives none for). Then overall figures and seconds per page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ml_intern.bench.reader import score

PAPERS = Path(__file__).resolve().parents[2] / "shared" / "papers"


def main() -> int:
    if not (PAPERS / "expected.json").exists():
        print(f"skipped: {PAPERS} is absent (the papers come with the project's steering, beside the project)")
        return 0
    expected = {k: v for k, v in json.loads((PAPERS / "expected.json").read_text()).items() if not k.startswith("_")}
    rows = [score(PAPERS, name, exp) for name, exp in expected.items()]
    table = Table(title="reader accuracy (rule-based extractor)")
    for col in ("paper", "hp recall", "missed", "inventions", "datasets", "metrics", "optimizer", "s/page"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["paper"], f"{r['hp_hits']}/{r['hp_total']}", ", ".join(r["missed"]) or "-",
                      ", ".join(r["inventions"]) or "0", r["datasets"], r["metrics"], r["optimizer"],
                      f"{r['seconds'] / r['pages']:.3f}")
    console = Console(width=180)
    console.print(table)
    hits, total = sum(r["hp_hits"] for r in rows), sum(r["hp_total"] for r in rows)
    inventions = sum(len(r["inventions"]) for r in rows)
    pages, seconds = sum(r["pages"] for r in rows), sum(r["seconds"] for r in rows)
    console.print(f"overall: hyperparameter recall {hits}/{total} = {hits / total:.0%}, inventions {inventions}, "
                  f"{seconds / pages:.3f} s per page over {pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
