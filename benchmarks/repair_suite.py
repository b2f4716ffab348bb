"""The repair suite: every deliberately broken project through `ml-intern exec`, no LLM; prints a table.

    python benchmarks/repair_suite.py [--sandbox auto|bwrap|process] [--only NAME,NAME]

Columns: the class the diagnosis should find, the class it found, whether the run ended as it should (fixed when
a rule-based fix exists, stopped for review when none does), attempts used and wall time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ml_intern.bench.faults import FAULTS
from ml_intern.bench.repair_suite import run_fault
from ml_intern.workspace import Workspace


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox", default="auto")
    parser.add_argument("--only", help="comma-separated fault names")
    args = parser.parse_args()
    faults = [f for f in FAULTS if not args.only or f.name in args.only.split(",")]
    console = Console(width=160)
    table = Table(title=f"repair suite ({len(faults)} broken projects, no LLM)")
    for col in ("fault", "expected class", "detected", "fix expected", "final status", "attempts", "seconds", "ok"):
        table.add_column(col)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "home")
        for fault in faults:
            console.print(f"running {fault.name} …", style="dim")
            row = run_fault(fault, Path(tmp), ws, args.sandbox)
            rows.append(row)
            table.add_row(row.fault, row.expected, row.detected or "-", "yes" if row.fixed else "no (review)",
                          row.status, str(row.attempts), f"{row.seconds:.1f}", "✔" if row.ok else "✘")
    console.print(table)
    ok = sum(r.ok for r in rows)
    fixable = [r for r in rows if r.fixed]
    console.print(f"diagnosed right: {sum(r.detected == r.expected for r in rows)}/{len(rows)}; "
                  f"fixed: {sum(r.status == 'succeeded' for r in fixable)}/{len(fixable)} with a rule; "
                  f"as expected: {ok}/{len(rows)}; sandbox: {rows[0].sandbox if rows else '-'}")
    return 0 if ok == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
