"""arXiv sources: an id or URL becomes a fetched file (HTML rendering first, then the PDF, the LaTeX source as a
last resort), cached under the home folder and copied into the run folder.

The base URL is ``$ML_INTERN_ARXIV_URL`` (default ``https://arxiv.org``): tests point it at a loopback server that
serves recorded responses. Offline, the fetch fails with an error that says so and what to do instead.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

from ml_intern import __version__
from ml_intern.errors import InputError
from ml_intern.inputs import MAX_PAPER_BYTES

_ID = r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?"
_PATTERNS = [re.compile(rf"^(?:arxiv:)?{_ID}$", re.I),
             re.compile(rf"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/{_ID}(?:\.pdf)?/?$", re.I)]


def parse_arxiv(source: str) -> tuple[str, str] | None:
    """(id, version) for ``1810.04805``, ``arXiv:1810.04805v2``, ``https://arxiv.org/abs/…`` or ``/pdf/…``."""
    for pattern in _PATTERNS:
        if m := pattern.match(source.strip()):
            return m.group(1), m.group(2) or ""
    return None


def _get(url: str, timeout: float = 30) -> bytes | None:
    """The body, or None for a 404; network trouble is an InputError that names it."""
    request = urllib.request.Request(url, headers={"User-Agent": f"ml-intern/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_PAPER_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            return None
        raise InputError(f"arXiv answered {exc.code} for {url}", fix="try again later, or download the PDF and "
                         "give its path") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"cannot reach arXiv ({reason}): this machine may be offline",
                         fix="download the paper's PDF elsewhere and give its path") from None
    if len(body) > MAX_PAPER_BYTES:
        raise InputError(f"{url} is over the {MAX_PAPER_BYTES >> 20} MiB limit for a paper",
                         fix="download the paper's PDF elsewhere and give its path")
    return body


def latex_text(data: bytes) -> str:
    """The .tex files of an e-print (a gzipped tar, or one gzipped .tex), concatenated."""
    if data[:2] == b"\x1f\x8b":  # bounded: a small archive can expand without limit
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
            try:
                raw = unzipped.read(MAX_PAPER_BYTES + 1)
            except (OSError, EOFError):
                raw = b""
        if len(raw) > MAX_PAPER_BYTES:
            raise InputError(f"the e-print expands past the {MAX_PAPER_BYTES >> 20} MiB limit for a paper",
                             fix="download the paper's PDF elsewhere and give its path")
    else:
        raw = data
    try:
        with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
            parts = [tar.extractfile(m).read().decode("utf-8", "replace") for m in tar.getmembers()
                     if m.isfile() and m.name.endswith(".tex")]
        return "\n".join(parts)
    except tarfile.TarError:
        return raw.decode("utf-8", "replace")


def fetch_arxiv(arxiv_id: str, version: str, cache: Path) -> Path:
    """Fetch (or reuse from the cache) the paper; return the local file: .html, .pdf or .tex."""
    base = os.environ.get("ML_INTERN_ARXIV_URL", "https://arxiv.org").rstrip("/")
    folder = cache / "arxiv" / (arxiv_id.replace("/", "_") + version)
    for suffix in (".html", ".pdf", ".tex"):
        if (cached := folder / f"paper{suffix}").exists():
            return cached
    folder.mkdir(parents=True, exist_ok=True)
    if (body := _get(f"{base}/html/{arxiv_id}{version}")) is not None and b"<html" in body[:2000].lower():
        (folder / "paper.html").write_bytes(body)
        return folder / "paper.html"
    if (body := _get(f"{base}/pdf/{arxiv_id}{version}")) is not None and body.lstrip()[:5] == b"%PDF-":
        (folder / "paper.pdf").write_bytes(body)
        return folder / "paper.pdf"
    if (body := _get(f"{base}/e-print/{arxiv_id}{version}")) is not None:
        (folder / "paper.tex").write_text(latex_text(body))
        return folder / "paper.tex"
    raise InputError(f"arXiv has no HTML, PDF or source for {arxiv_id}{version}", fix="check the id")
