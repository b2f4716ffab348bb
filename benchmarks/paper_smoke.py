"""Every real paper in ../shared/papers/ through ``ml-intern run PAPER --scale smoke --json`` with the Hub offline,
on stand-ins of the data sets and checkpoints its plan names (``ml_intern.bench.paper_smoke``): per paper the recipe,
the model the plan builds, the stand-ins, the run's status, attempts and verdict, and the seconds it took (reading
the PDF twice included: once to plan the stand-ins, once in the run).

    nice -n 19 python benchmarks/paper_smoke.py [--jobs N] [NAME ...]
    python benchmarks/paper_smoke.py --table DIR [NAME ...]

NAME picks papers whose file name contains it; --jobs runs N papers at once (seconds are each run's own, from its
record's creation, after reading the PDF, to its end, on a machine shared with the others). --table prints the table
again from the homes kept in DIR (ML_INTERN_KEEP=1) through ``ml-intern show --json``, planning again only the
papers with no run there (for the reason they stop). A paper whose plan has no recipe (or no data set) is listed as
stopped, with the reason. Each paper runs in a fresh home under a temporary folder, removed at the end (set
ML_INTERN_KEEP=1 to keep it and print its path).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ml_intern.bench.paper_smoke import kept_row, smoke_paper
from ml_intern.bench.reader import expected_papers

PAPERS = Path(__file__).resolve().parents[2] / "shared" / "papers"


def main(argv: list[str]) -> int:
    jobs, kept = 1, None
    if "--jobs" in argv:
        at = argv.index("--jobs")
        jobs, argv = int(argv[at + 1]), argv[:at] + argv[at + 2:]
    if "--table" in argv:
        at = argv.index("--table")
        kept, argv = Path(argv[at + 1]), argv[:at] + argv[at + 2:]
    expected = expected_papers(PAPERS, argv)
    if expected is None:
        return 0
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import datasets

    datasets.disable_progress_bars()
    work = kept or Path(tempfile.mkdtemp(prefix="ml-intern-paper-smoke-"))
    console = Console(width=240)
    from concurrent.futures import ThreadPoolExecutor

    def one(name: str) -> dict:  # (threads: each run is a process of its own)
        row = (kept_row if kept else smoke_paper)(PAPERS / name, work / Path(name).stem)
        console.print(f"{row['paper']}: {row['status']} ({row['seconds'] or 0:.0f} s) {row['stopped'] or row['why']}")
        return row

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        rows = list(pool.map(one, expected))
    table = Table(title="real papers at scale smoke, offline on stand-ins")
    for col in ("paper", "recipe", "model", "data (stand-ins)", "status", "attempts", "verdict", "seconds"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["paper"], r["recipe"], r["model"], ", ".join(r["data"]) or "-",
                      r["status"] if not r["stopped"] else f"stopped: {r['stopped']}", str(r["attempts"]),
                      f"{r['verdict']}: {r['why']}" if r["verdict"] != "-" else "-",
                      f"{r['seconds']:.0f}" if r["seconds"] else "-")
    console.print(table)
    planned = [r for r in rows if r["recipe"] != "-"]
    ok = [r for r in planned if r["status"] == "succeeded" and r["verdict"] == "not comparable"]
    console.print(f"overall: {len(ok)}/{len(planned)} planned papers succeeded with the verdict 'not comparable'; "
                  f"{len(rows) - len(planned)} stopped before a plan; "
                  f"{sum(r['seconds'] or 0 for r in rows):.0f} s in runs")
    for r in planned:
        if r["status"] != "succeeded":
            console.print(f"{r['paper']}: {(r['run'] or {}).get('summary', {}) or r.get('stderr', '')}")
    if kept or os.environ.get("ML_INTERN_KEEP"):
        console.print(f"homes kept in {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
