"""The desk's queue: each job is one CLI command (``ml-intern run ...``, ``ml-intern resume ...``) run in a process
of its own, in a session of its own, so closing or restarting the desk never stops or loses a run.

Jobs are files (``HOME/desk/jobs/JOB.json``: the command, the state, the process, the run it made), so the queue
survives the desk. A scheduler starts the oldest waiting job while fewer than ``parallel`` runs are going on the
machine: runs started from the CLI count too (the store says which are running), one at a time by default (one
GPU). A job's output goes to ``HOME/desk/jobs/JOB.log``; the run it made is the store's run whose recorded process
is the job's.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ml_intern.runfolder import write_json
from ml_intern.track.store import Store, _alive

State = Literal["queued", "started", "finished"]


class Job(BaseModel):
    id: str
    argv: list[str] = Field(description="the ml-intern command, without the program and --home")
    label: str
    created_at: float
    state: State = "queued"
    pid: int | None = None
    started_at: float | None = None
    finished_at: float | None = None
    exit_code: int | None = None
    run_id: str | None = Field(None, description="the run this job made or resumed")

    def command(self) -> str:
        """The same command for a terminal."""
        import shlex

        return "ml-intern " + shlex.join(self.argv)


class Queue:
    def __init__(self, home: Path, parallel: int = 1):
        self.home = home
        self.folder = home / "desk" / "jobs"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.parallel = parallel
        self._lock = threading.Lock()
        self._children: dict[int, subprocess.Popen] = {}  # the processes this desk started (reaped here)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the jobs
    def add(self, argv: list[str], label: str, run_id: str | None = None) -> Job:
        job = Job(id=time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3), argv=argv, label=label,
                  created_at=time.time(), run_id=run_id)
        self._save(job)
        self.tick()
        return job

    def jobs(self) -> list[Job]:
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                found.append(Job.model_validate_json(path.read_text()))
            except (OSError, ValueError):
                continue  # (a half-written file cannot be: writes are atomic; anything else is not ours)
        return found

    def get(self, job_id: str) -> Job | None:
        return next((j for j in self.jobs() if j.id == job_id), None)

    def log(self, job: Job) -> Path:
        return self.folder / f"{job.id}.log"

    def _save(self, job: Job) -> None:
        write_json(self.folder / f"{job.id}.json", job)

    # -- the scheduler
    def tick(self, store: Store | None = None) -> None:
        """Note the jobs that ended, link started jobs to their runs, start waiting jobs while there is room."""
        with self._lock:
            own = store is None
            store = store or Store(self.home / "store.sqlite")
            try:
                self._tick(store)
            finally:
                if own:
                    store.close()

    def _tick(self, store: Store) -> None:
        jobs = self.jobs()
        running = store.list_runs(10_000, status="running")
        for job in jobs:
            if job.state != "started":
                continue
            if job.run_id is None:
                job.run_id = next((r["id"] for r in store.list_runs(50) if r["pid"] == job.pid
                                   and r["created_at"] >= (job.started_at or 0) - 1), None)
            child = self._children.get(job.pid or -1)
            if child is not None:
                code = child.poll()
                ended = code is not None
            else:  # started by an earlier desk: its exit status went to that desk; the run's record says how it ended
                code, ended = None, not _alive(job.pid)
            if ended:
                job.state, job.exit_code, job.finished_at = "finished", code, time.time()
                self._children.pop(job.pid or -1, None)
            self._save(job)
        busy_pids = {r["pid"] for r in running}
        busy = len(running) + sum(1 for j in jobs if j.state == "started" and j.pid not in busy_pids)
        for job in jobs:
            if busy >= self.parallel:
                break
            if job.state == "queued":
                self._start(job)
                busy += 1

    def _start(self, job: Job) -> None:
        with open(self.log(job), "ab") as log:
            # a session of its own: Ctrl-C in the desk's terminal, or the desk ending, never reaches the run
            child = subprocess.Popen([sys.executable, "-m", "ml_intern", "--home", str(self.home), *job.argv],
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True, cwd=self.home,
                                     env=job_env())
        self._children[child.pid] = child
        job.state, job.pid, job.started_at = "started", child.pid, time.time()
        self._save(job)

    def start(self, every: float = 1.0) -> None:
        """Tick in a thread of its own until ``stop``."""
        def loop() -> None:
            store = Store(self.home / "store.sqlite")
            try:
                while not self._stop.wait(every):
                    try:
                        self.tick(store)
                    except Exception as exc:  # the next tick tries again; the desk stays up
                        print(f"ml-intern ui: queue: {type(exc).__name__}: {exc}", file=sys.stderr)
            finally:
                store.close()

        self._thread = threading.Thread(target=loop, name="ml-intern-desk-queue", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def job_env() -> dict[str, str]:
    """The desk's environment for a job, less the desk's own token (a run has no use for it)."""
    env = {k: v for k, v in os.environ.items() if k != "ML_INTERN_UI_TOKEN"}
    return {**env, "PYTHONUNBUFFERED": "1"}
