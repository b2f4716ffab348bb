"""Experiment trackers: metrics go to the tools people already use (``--track trackio,tensorboard,wandb,mlflow``).

ml-intern forwards the rows of the project's ``metrics.jsonl`` from its own process, as the monitor reads them,
rather than from inside the generated code. One path serves every recipe, and a tracker's credentials (a W&B
key, an MLflow server's token) stay in ml-intern: generated code never sees them, and its sandbox needs no
network for tracking.

- One tracker run per training trajectory: a full attempt that starts from scratch opens a tracker run named
  ``RUN_ID-aN``; an attempt that resumes from a checkpoint continues the same tracker run, and skips the steps
  that tracker run already holds (a resumed run recomputes them identically), so no step is logged twice or
  missed. Smoke attempts are not tracked.
- A tracker that fails (not installed after all, its folder not writable, its server down) never fails the
  training run: the error is written to ``tracking.json`` and shown, that tracker is dropped, the run goes on.
- Offline defaults with no account: trackio and TensorBoard log locally; W&B logs offline (``wandb sync``
  later) unless a key is configured; MLflow uses ``MLFLOW_TRACKING_URI`` or a local store in ml-intern's home.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Protocol

from ml_intern.errors import InputError

PROJECT = "ml-intern"


class Tracker(Protocol):
    name: str

    def start(self, name: str, group: str, config: dict, resume: bool, state: dict) -> None:
        """Open (or, with resume, reopen) the tracker run ``name``; ``state`` persists across processes."""

    def log(self, metrics: dict[str, float], step: int) -> None: ...

    def finish(self) -> None: ...


class TrackioTracker:
    name = "trackio"

    def __init__(self, home: Path):
        self.run = None

    def start(self, name: str, group: str, config: dict, resume: bool, state: dict) -> None:
        import trackio

        # local SQLite under TRACKIO_DIR (default in the Hugging Face cache); a Space only if the user set one
        self.run = trackio.init(project=PROJECT, name=name, group=group, config=config,
                                resume="allow" if resume else "never", embed=False)
        from trackio.utils import TRACKIO_DIR  # (read once, when trackio is imported)

        state["where"] = f"{TRACKIO_DIR} (`trackio show --project {PROJECT}`)"

    def log(self, metrics: dict[str, float], step: int) -> None:
        self.run.log(metrics, step=step)

    def finish(self) -> None:
        if self.run is not None:
            import trackio

            trackio.finish()  # (not run.finish(): trackio's atexit hook would finish it again, printing)


class TensorBoardTracker:
    name = "tensorboard"

    def __init__(self, home: Path):
        self.home, self.writer = home, None

    def start(self, name: str, group: str, config: dict, resume: bool, state: dict) -> None:
        from torch.utils.tensorboard import SummaryWriter

        logdir = self.home / "tensorboard" / name  # `tensorboard --logdir RUN_DIR/tensorboard`
        self.writer = SummaryWriter(log_dir=str(logdir))
        if not resume:
            self.writer.add_text("config", "```\n" + json.dumps(config, indent=2) + "\n```", 0)
        state["where"] = str(logdir)

    def log(self, metrics: dict[str, float], step: int) -> None:
        for key, value in metrics.items():
            self.writer.add_scalar(key, value, step)

    def finish(self) -> None:
        if self.writer is not None:
            self.writer.close()


class WandbTracker:
    name = "wandb"

    def __init__(self, home: Path):
        self.home, self.run = home, None

    def start(self, name: str, group: str, config: dict, resume: bool, state: dict) -> None:
        import wandb

        mode = os.environ.get("WANDB_MODE") or ("online" if _wandb_key() else "offline")
        self.run = wandb.init(project=os.environ.get("WANDB_PROJECT", PROJECT), id=name, name=name, group=group,
                              config=config, dir=str(self.home), mode=mode, resume="allow",
                              settings=wandb.Settings(silent=True, console="off"))
        state["where"] = f"{mode}: {self.run.dir}"

    def log(self, metrics: dict[str, float], step: int) -> None:
        self.run.log(metrics, step=step)

    def finish(self) -> None:
        if self.run is not None:
            self.run.finish()


class MlflowTracker:
    name = "mlflow"

    def __init__(self, home: Path):
        self.home, self.client, self.run_id = home, None, None

    def start(self, name: str, group: str, config: dict, resume: bool, state: dict) -> None:
        from mlflow.tracking import MlflowClient

        uri = os.environ.get("MLFLOW_TRACKING_URI")
        if not uri:  # no server configured: a local store beside the runs (mlflow-skinny has the file store only)
            os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
            uri = (self.home.parent / "mlruns").as_uri()
        self.client = MlflowClient(tracking_uri=uri)
        if resume and state.get("id"):
            self.run_id = state["id"]
            self.client.update_run(self.run_id, status="RUNNING")
        else:
            experiment = self.client.get_experiment_by_name(PROJECT)
            experiment_id = experiment.experiment_id if experiment else self.client.create_experiment(PROJECT)
            run = self.client.create_run(experiment_id, run_name=name, tags={"ml-intern.run": group})
            self.run_id = state["id"] = run.info.run_id
            for key, value in config.items():
                self.client.log_param(self.run_id, key, str(value)[:500])
        state["where"] = f"{uri} (run {self.run_id})"

    def log(self, metrics: dict[str, float], step: int) -> None:
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        self.client.log_batch(self.run_id, metrics=[Metric(k, v, now, step) for k, v in metrics.items()])

    def finish(self) -> None:
        if self.client is not None and self.run_id:
            self.client.set_terminated(self.run_id)


TRACKERS: dict[str, tuple[type, str]] = {  # name -> (class, the module it needs)
    "trackio": (TrackioTracker, "trackio"),
    "tensorboard": (TensorBoardTracker, "tensorboard"),
    "wandb": (WandbTracker, "wandb"),
    "mlflow": (MlflowTracker, "mlflow"),
}


def _wandb_key() -> bool:
    if os.environ.get("WANDB_API_KEY"):
        return True
    netrc = Path.home() / ".netrc"
    return netrc.exists() and "api.wandb.ai" in netrc.read_text(errors="replace")


def parse_trackers(value: str | list[str] | None) -> list[str]:
    """``trackio,wandb`` -> ["trackio", "wandb"]; unknown names and missing packages are input errors, said
    before the run starts."""
    if not value:
        return []
    names = value if isinstance(value, list) else [v.strip() for v in value.split(",") if v.strip()]
    if names == ["none"]:
        return []
    for name in names:
        if name not in TRACKERS:
            raise InputError(f"unknown tracker {name!r}", fix=f"choose from {', '.join(TRACKERS)} (or none)")
        module = TRACKERS[name][1]
        if importlib.util.find_spec(module) is None:
            raise InputError(f"tracker {name} needs the {module} package",
                             fix=f"pip install 'ml-intern[{name}]', or leave it out of --track")
    return list(dict.fromkeys(names))


class Tracking:
    """The trackers of one run, fed from the attempt loop; its state lives in ``RUN_DIR/tracking.json``."""

    def __init__(self, names: list[str], run_id: str, run_dir: Path, config: dict, note=print):
        self.names, self.run_id, self.run_dir, self.config, self.note = names, run_id, run_dir, config, note
        self.path = run_dir / "tracking.json"
        self.state = json.loads(self.path.read_text()) if self.path.exists() else {"trajectories": [], "errors": []}
        self.active: dict[str, Tracker] = {}
        self.trajectory: dict | None = None
        self.skip_through = -1

    def begin(self, attempt: int, kind: str, resumed_from_step: int | None) -> None:
        """An attempt starts: open the trackers on its trajectory (a new one unless it resumes the last)."""
        self.active, self.trajectory = {}, None
        if not self.names or kind != "full":
            return
        trajectories = self.state["trajectories"]
        resume = resumed_from_step is not None and bool(trajectories)
        if resume:
            self.trajectory = trajectories[-1]
            self.skip_through = self.trajectory.get("last_step", -1)
        else:
            self.trajectory = {"name": f"{self.run_id}-a{attempt}", "attempts": [], "last_step": -1, "trackers": {}}
            trajectories.append(self.trajectory)
            self.skip_through = -1
        self.trajectory["attempts"].append(attempt)
        for name in self.names:
            tracker = TRACKERS[name][0](self.run_dir)
            tstate = self.trajectory["trackers"].setdefault(name, {})
            if self._guard(name, lambda: tracker.start(self.trajectory["name"], self.run_id, self.config,
                                                         resume and bool(tstate.get("started")), tstate)):
                tstate["started"] = True
                self.active[name] = tracker
        self._save()

    def log(self, rows: list[dict]) -> None:
        """Forward rows to every tracker, as one step: a Ctrl-C or SIGTERM that arrives meanwhile takes effect
        once the rows are logged and ``last_step`` saved, so a resume never logs a step twice or misses one."""
        if not self.active or self.trajectory is None:
            return
        with _signals_deferred():
            self._log(rows)

    def _log(self, rows: list[dict]) -> None:
        logged = False
        for row in rows:
            step = row["step"]
            if step <= self.skip_through:  # this tracker run already holds it (before an interruption)
                continue
            values = {k: float(v) for k, v in row.items()
                      if k not in ("step", "epoch") and isinstance(v, (int, float)) and not isinstance(v, bool)}
            if not values:
                continue
            for name, tracker in list(self.active.items()):
                self._guard(name, lambda: tracker.log(values, step))
            self.trajectory["last_step"] = max(self.trajectory["last_step"], step)
            logged = True
        if logged:
            self._save()

    def end(self) -> None:
        for name, tracker in list(self.active.items()):
            self._guard(name, tracker.finish)
        self.active = {}
        self._save()

    def _guard(self, name: str, call) -> bool:
        """Run a tracker call; a failure is recorded and the tracker dropped, never raised."""
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # trackers print banners; our stdout is the summary
                call()
            return True
        except Exception as exc:  # any library error: the training run must go on
            message = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            self.state["errors"].append({"tracker": name, "at": time.time(), "error": message})
            self.active.pop(name, None)
            self.note(f"warning: tracker {name} failed and is off for this attempt ({message}); training goes on")
            return False

    def _save(self) -> None:
        from ml_intern.runfolder import write_json

        write_json(self.path, self.state)


@contextlib.contextmanager
def _signals_deferred():
    """Hold SIGINT and SIGTERM until the block ends, then hand the first one to the handler that was installed.
    (Only the main thread can install handlers; elsewhere the block runs as is.)"""
    signums = tuple(signum for signum in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(signum) is not None)
    if threading.current_thread() is not threading.main_thread() or not signums:  # (None: a handler installed
        yield  # outside Python, which could not be put back)
        return
    caught: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: caught.append(signum)) for signum in signums}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            handler = previous[caught[0]]
            if callable(handler):
                handler(caught[0], None)
            elif handler == signal.SIG_DFL:  # the default action (SIGTERM's: end the process), now
                signal.raise_signal(caught[0])
