"""Watch an attempt while it runs: metrics rows and output lines in, a reason to stop it early out.

Stops on a non-finite loss, on divergence (the loss grows past ``divergence_factor`` times the first logged loss:
an untrained model's loss is about the highest a healthy run sees, so a loss well above it is blowing up, while
noise near zero late in training is not), and on a stall (neither output nor metrics for ``stall_s`` seconds).
"""

from __future__ import annotations

import math
import time

from ml_intern.run.failures import Stop


class Monitor:
    def __init__(self, stall_s: float = 600.0, divergence_factor: float = 3.0, clock=time.monotonic):
        self.stall_s, self.divergence_factor = stall_s, divergence_factor
        self.clock = clock
        self.last_activity = clock()
        self.first_loss: float | None = None  # (the divergence check's reference; constant memory)
        self.step = 0
        self.reason: Stop | None = None

    def line(self, _text: str) -> None:
        self.last_activity = self.clock()

    def rows(self, rows: list[dict]) -> None:
        if rows:
            self.last_activity = self.clock()
        for row in rows:
            self.step = max(self.step, int(row.get("step", 0) or 0))
            if "loss" not in row:
                continue
            loss = row["loss"]
            if loss is None or (isinstance(loss, float) and not math.isfinite(loss)) or isinstance(loss, str):
                self.reason = self.reason or Stop(cls="nan_loss", message=f"the loss is {str(loss)[:40]} at step "
                                                                          f"{row.get('step')}")
                continue
            if isinstance(loss, bool) or not isinstance(loss, (int, float)):
                continue  # (the job wrote something else under "loss": not a loss to judge)
            loss = float(loss)
            first = self.first_loss
            if first is not None and first > 0 and loss > self.divergence_factor * first:
                self.reason = self.reason or Stop(cls="nan_loss", message=(
                    f"the loss diverges ({loss:.4g} at step {row.get('step')}, "
                    f"{loss / first:.1f} times the first logged loss)"))
            if first is None:
                self.first_loss = loss

    def check(self) -> Stop | None:
        if self.reason:
            return self.reason
        idle = self.clock() - self.last_activity
        if idle > self.stall_s:
            return Stop(cls="stall", message=f"no output and no metrics for {idle:.0f} s (limit {self.stall_s:.0f} s)")
        return None
