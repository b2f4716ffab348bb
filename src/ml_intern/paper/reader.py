"""Turn a source the user names into a ``Paper``: text by page, checked for the ways input goes wrong.

Supported here: a local PDF (text layer via pypdf) and a task file (YAML). Every problem with the input is an
``InputError`` naming the file and the fix, raised before any run is created.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from ml_intern.errors import InputError
from ml_intern.paper.models import Page, Paper
from ml_intern.paper.pdf import read_pdf

TASK_SUFFIXES = {".yaml", ".yml"}


def read_source(source: str | Path) -> Paper:
    path = Path(source)
    if not path.exists():
        raise InputError("no such file", subject=str(source),
                         fix="give the path of a PDF paper or a task .yaml file")
    if path.is_dir():
        raise InputError("is a folder, not a file", subject=str(source),
                         fix="give the path of a PDF paper or a task .yaml file")
    data = path.read_bytes()
    if not data:
        raise InputError("the file is empty", subject=str(source), fix="give a PDF with a text layer")
    if path.suffix.lower() in TASK_SUFFIXES:
        return _read_task(path, data)
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError("not a PDF (it does not start with %PDF-)", subject=str(source),
                         fix="give a PDF paper, or a task file ending in .yaml")
    return read_pdf(path, data, _fingerprint(data))


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_task(path: Path, data: bytes) -> Paper:
    try:
        text = data.decode("utf-8")
        task = yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"not valid YAML ({str(exc).splitlines()[0]})", subject=str(path),
                         fix="fix the task file; see examples/digits-task.yaml") from None
    if not isinstance(task, dict) or "task" not in task:
        raise InputError("a task file needs a mapping with at least a `task:` key", subject=str(path),
                         fix="see examples/digits-task.yaml")
    return Paper(source=str(path), kind="task", sha256=_fingerprint(data),
                 title=str(task.get("title") or task["task"]), pages=[Page(number=1, text=text)])
