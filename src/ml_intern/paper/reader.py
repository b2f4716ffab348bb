"""Turn a source the user names into a ``Paper``: text by page, checked for the ways input goes wrong.

Supported here: a local PDF (text layer via pypdf) and a task file (YAML). Every problem with the input is an
``InputError`` naming the file and the fix, raised before any run is created.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ml_intern.errors import InputError
from ml_intern.inputs import MAX_PAPER_BYTES, MAX_YAML_BYTES, load_yaml, read_input
from ml_intern.paper.models import Page, Paper
from ml_intern.paper.arxiv import fetch_arxiv, parse_arxiv
from ml_intern.paper.html import html_paper, latex_paper
from ml_intern.paper.pdf import read_pdf

TASK_SUFFIXES = {".yaml", ".yml"}
# The keys a task file may hold (examples/digits-task.yaml): any other is a typo or a misunderstanding, said at once.
TASK_KEYS = ("task", "title", "model", "dataset", "metric", "architecture", "hyperparameters")
TASK_FIX = "fix the task file; see examples/digits-task.yaml"


def read_source(source: str | Path, cache: Path | None = None) -> Paper:
    """A local PDF, task file (.yaml), HTML or LaTeX file, prompt file (.txt); an arXiv id or URL; or a one-line
    task prompt ("fine-tune BERT on SST-2")."""
    text = str(source)
    path = Path(text)
    try:
        exists = path.exists()
    except OSError:  # a long prompt is not a valid path ("File name too long")
        exists = False
    if not exists and (arxiv := parse_arxiv(text)):
        from ml_intern.workspace import home_dir

        fetched = fetch_arxiv(*arxiv, cache or home_dir() / "cache")
        paper = read_source(fetched)
        paper.source, paper.file = text, str(fetched)
        return paper
    if not exists and _is_prompt(text):
        return _prompt_paper(text, None)
    if not exists:
        raise InputError("no such file", subject=str(source),
                         fix="give a PDF paper, a task .yaml file, an arXiv id, or a task in quotes "
                             "(\"fine-tune BERT on SST-2\")")
    if path.is_dir():
        raise InputError("is a folder, not a file", subject=str(source),
                         fix="give the path of a PDF paper or a task .yaml file")
    suffix = path.suffix.lower()
    small = suffix in TASK_SUFFIXES or suffix == ".txt"
    data = read_input(path, MAX_YAML_BYTES if small else MAX_PAPER_BYTES,
                      fix="give a PDF paper, or a task .yaml file, saved as a regular file")
    if not data:
        raise InputError("the file is empty", subject=str(source), fix="give a PDF with a text layer")
    if suffix in TASK_SUFFIXES:
        return _read_task(path, data)
    if suffix in (".html", ".htm"):
        return html_paper(str(path), data, _fingerprint(data)).model_copy(update={"file": str(path)})
    if suffix == ".tex":
        return latex_paper(str(path), data.decode("utf-8", "replace"), _fingerprint(data)).model_copy(
            update={"file": str(path)})
    if suffix == ".txt":
        return _prompt_paper(data.decode("utf-8", "replace").strip(), path)
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError("not a PDF (it does not start with %PDF-)", subject=str(source),
                         fix="give a PDF paper, or a task file ending in .yaml")
    return read_pdf(path, data, _fingerprint(data)).model_copy(update={"file": str(path)})


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_task(path: Path, data: bytes) -> Paper:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid YAML ({str(exc).splitlines()[0]})", subject=str(path), fix=TASK_FIX) from None
    task = load_yaml(text, str(path), TASK_FIX)
    if not isinstance(task, dict) or "task" not in task:
        raise InputError("a task file needs a mapping with at least a `task:` key", subject=str(path),
                         fix="see examples/digits-task.yaml")
    if unknown := [str(k) for k in task if k not in TASK_KEYS]:
        raise InputError(f"unknown key(s) {', '.join(map(repr, unknown))} in the task file", subject=str(path),
                         fix=f"the keys are {', '.join(TASK_KEYS)}; hyperparameters go under `hyperparameters:`")
    for key in ("architecture", "hyperparameters"):
        if task.get(key) is not None and not isinstance(task[key], dict):
            raise InputError(f"`{key}:` must be a mapping of names to values", subject=str(path), fix=TASK_FIX)
    return Paper(source=str(path), kind="task", sha256=_fingerprint(data), file=str(path),
                 title=str(task.get("title") or task["task"]), pages=[Page(number=1, text=text)])


def _is_prompt(text: str) -> bool:
    """A task in words: several words, not a path ("fine-tune BERT on SST-2")."""
    return len(text.split()) >= 3 and "/" not in text.split()[0] and not text.lower().endswith((".pdf", ".yaml"))


def _prompt_paper(text: str, path: Path | None) -> Paper:
    if not text:
        raise InputError("the task prompt is empty", subject=str(path), fix='e.g. "fine-tune BERT on SST-2"')
    if len(text) > 2000:
        raise InputError("a task prompt is one or a few sentences (over 2,000 characters given)",
                         subject=str(path) if path else None, fix="put a longer description in a task .yaml file")
    return Paper(source=str(path) if path else text, kind="prompt", sha256=_fingerprint(text.encode()),
                 title=text, pages=[Page(number=1, text=text)], file=str(path) if path else None)
