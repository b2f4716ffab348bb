"""Where runs live: the home folder (``$ML_INTERN_HOME``, default ``./ml-intern-runs``) holds the SQLite store
and one folder per run (``runfolder.RunFolder``). A run is created here, in one place: its folder, its record and
its row in the store's index, whether it is new (``run``, ``exec``) or a fork of another (``reproduce``, ``sweep``)."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ml_intern.errors import InputError
from ml_intern.runfolder import RunFolder, RunOptions, RunRecord
from ml_intern.track.store import Store


def home_dir(home: str | Path | None = None) -> Path:
    return Path(home or os.environ.get("ML_INTERN_HOME") or "ml-intern-runs").resolve()


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)


class Workspace:
    def __init__(self, home: str | Path | None = None):
        self.home = home_dir(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.home / "store.sqlite")

    def run_dir(self, run_id: str) -> Path:
        return self.home / run_id

    def folder(self, run_id: str) -> RunFolder:
        """The run's folder, writing its attempts through to this store's index."""
        return RunFolder(self.run_dir(run_id), self.store)

    def create_run(self, source: str, source_copy: str | Callable[[RunFolder], str], options: RunOptions,
                   title: str | None, scale: str, **record: object) -> RunFolder:
        """A new run: its folder, ``run.json`` and its row in the store. ``source_copy`` is the copy's path in the
        folder, or a function that puts the copy there and returns that path."""
        run_id = new_run_id()
        folder = self.folder(run_id)
        folder.path.mkdir(parents=True)
        copy = source_copy(folder) if callable(source_copy) else source_copy
        folder.write_record(RunRecord(id=run_id, source=source, source_copy=copy, created_at=time.time(),
                                      options=options, **record))
        self.store.create_run(run_id, source, str(folder.path), title, scale)
        return folder

    def fork_run(self, base: RunFolder, parts: Iterable[str], title: str | None, options: RunOptions | None = None,
                 **record: object) -> RunFolder:
        """A new run made from ``base``'s record with ``parts`` of its folder copied (``reproduce``, ``sweep``)."""
        was = base.record()
        options = options or was.options

        def fill(folder: RunFolder) -> str:
            base.copy_parts(folder, parts)
            return was.source_copy

        return self.create_run(was.source, fill, options, title, options.scale, **record)

    def resolve_run(self, run_id: str) -> dict:
        """The run with this id (or unique id prefix), else an InputError listing what to do."""
        run = self.store.get_run(run_id)
        if run is None:
            matches = self.store.find_runs(run_id)
            if len(matches) == 1:
                run = self.store.get_run(matches[0])
            elif len(matches) > 1:
                raise InputError(f"run id prefix {run_id!r} matches {len(matches)} runs", fix="give more of the id")
        if run is None:
            raise InputError(f"no run {run_id!r} in {self.store.path}", fix="`ml-intern runs` lists the runs")
        return run
