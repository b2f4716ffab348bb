"""Turn a source the user names into a ``Paper``: text by page, checked for the ways input goes wrong.

Supported here: a local PDF (text layer via pypdf) and a task file (YAML). Every problem with the input is an
``InputError`` naming the file and the fix, raised before any run is created.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import yaml

from ml_intern.errors import InputError
from ml_intern.paper.models import Page, Paper

TASK_SUFFIXES = {".yaml", ".yml"}
_MIN_TEXT_CHARS = 20  # fewer characters than this across all pages means there is no usable text layer


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
    return _read_pdf(path, data)


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_pdf(path: Path, data: bytes) -> Paper:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs recoverable damage as warnings; the checks below decide whether the result is usable.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        pages = [Page(number=i + 1, text=page.extract_text() or "") for i, page in enumerate(reader.pages)]
        title = (reader.metadata.title if reader.metadata else None) or None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise InputError(f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})", subject=str(path),
                         fix="re-download or re-export the PDF") from None
    if not pages:
        raise InputError("the PDF has no pages", subject=str(path), fix="re-download or re-export the PDF")
    if sum(len(p.text.strip()) for p in pages) < _MIN_TEXT_CHARS:
        raise InputError("the PDF has no text layer (scanned images?)", subject=str(path),
                         fix="run OCR on it first (e.g. ocrmypdf) or give a PDF with selectable text")
    if not title:
        first = next((line.strip() for line in pages[0].text.splitlines() if line.strip()), None)
        title = first
    return Paper(source=str(path), kind="pdf", sha256=_fingerprint(data), title=title, pages=pages)


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
