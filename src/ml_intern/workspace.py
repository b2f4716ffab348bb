"""Where runs live: the home folder (``$ML_INTERN_HOME``, default ``./ml-intern-runs``) holds the SQLite store
and one folder per run. A run folder holds every stage's output, written atomically before the next starts."""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from ml_intern.errors import InputError
from ml_intern.track.store import Store

M = TypeVar("M", bound=BaseModel)

# stage name -> the file in the run folder that holds its output
STAGE_FILES = {"read": "spec.json", "plan": "plan.json", "build": "project.json", "exec": "outcome.json",
               "report": "report.html"}


def home_dir(home: str | Path | None = None) -> Path:
    return Path(home or os.environ.get("ML_INTERN_HOME") or "ml-intern-runs").resolve()


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(2)


def write_json(path: Path, data: BaseModel | dict | list) -> None:
    """Write to a temporary file, then rename: a reader never sees half a file."""
    text = data.model_dump_json(indent=2) if isinstance(data, BaseModel) else json.dumps(data, indent=2)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def read_model(path: Path, model: type[M]) -> M:
    try:
        return model.model_validate_json(path.read_text())
    except FileNotFoundError:
        raise InputError("no such file", subject=str(path)) from None
    except ValueError as exc:
        raise InputError(f"not a valid {model.__name__} ({str(exc).splitlines()[0]})", subject=str(path),
                         fix=f"give the {model.__name__} JSON written by the previous stage") from None


class Workspace:
    def __init__(self, home: str | Path | None = None):
        self.home = home_dir(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.home / "store.sqlite")

    def run_dir(self, run_id: str) -> Path:
        return self.home / run_id

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
