"""PDF to ``Paper``: text by page (pypdf, in the content stream's order, which for two-column papers is column by
column), repaired; tables as rows and cells and hidden text (pdfplumber's character data); sections; flags.

Hidden text (white, or smaller than 2 pt) is cut out of the page text, so no value can rest on a quote a reader
cannot see, and is flagged together with visible text that addresses an AI ("ignore previous instructions").
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ml_intern.errors import InputError
from ml_intern.paper.models import Flag, Page, Paper, Table
from ml_intern.paper.text import find_sections, repair

MAX_PAGES = 200  # past this, the rest is not read (a thesis or a book, not a paper): said in a warning
_MIN_TEXT_CHARS = 20  # fewer characters than this across all pages means there is no usable text layer
_WHITE = {(1,), (1, 1, 1), (0, 0, 0, 0), (1.0,), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0)}
INSTRUCTIONS = re.compile(
    r"(?:ignore|disregard|forget) (?:all |any )?(?:the )?(?:previous|prior|above|earlier) (?:instructions|prompts?)"
    r"|\byou are (?:now )?(?:an? )?(?:AI|assistant|language model|LLM|agent)\b|\bsystem prompt\b"
    r"|\b(?:as an? (?:AI|LLM|language model))\b|<\|im_start\|>|\[INST\]"
    r"|\b(?:reviewers?|agents?|LLMs?|AI) (?:must|should) (?:output|respond|report|use|set|ignore)\b", re.I)


def read_pdf(path: Path, data: bytes, sha256: str) -> Paper:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # recoverable damage: the checks below decide
    warnings: list[str] = []
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("the PDF is encrypted with a password", subject=str(path),
                             fix="give an unencrypted copy (e.g. qpdf --decrypt)")
        count = len(reader.pages)
        if count > MAX_PAGES:
            warnings.append(f"the PDF has {count} pages: only the first {MAX_PAGES} were read")
        raw = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
        title = (reader.metadata.title if reader.metadata else None) or None
    except FileNotDecryptedError:
        raise InputError("the PDF is encrypted with a password", subject=str(path),
                         fix="give an unencrypted copy (e.g. qpdf --decrypt)") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise InputError(f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})", subject=str(path),
                         fix="re-download or re-export the PDF") from None
    if not raw:
        raise InputError("the PDF has no pages", subject=str(path), fix="re-download or re-export the PDF")
    if sum(len(t.strip()) for t in raw) < _MIN_TEXT_CHARS:
        raise InputError("the PDF has no text layer (scanned images?)", subject=str(path),
                         fix="run OCR on it first (e.g. ocrmypdf) or give a PDF with selectable text")
    tables, hidden, printed_title = _layout(path, len(raw), warnings)
    flags: list[Flag] = []
    pages = []
    for number, text in enumerate(raw, start=1):
        for run in hidden.get(number, []):
            flags.append(Flag(kind="hidden_text", page=number, text=run))
            text = _cut(text, run)
        text = repair(text)
        for line in dict.fromkeys(_line_of(text, m.start()) for m in INSTRUCTIONS.finditer(text)):
            flags.append(Flag(kind="instruction", page=number, text=line))
        pages.append(Page(number=number, text=text))
    # the title as printed (the largest type on page 1) beats metadata, which is often a file name, a URL, a
    # journal's name or cut short; the first line of text is the last resort (it may be a running header)
    title = printed_title or (title if title and _title_like(title) else None) or \
        next((line.strip() for line in pages[0].text.splitlines() if line.strip()), None)
    return Paper(source=str(path), kind="pdf", sha256=sha256, title=title, pages=pages, tables=tables, flags=flags,
                 sections=find_sections([(p.number, p.text) for p in pages]), warnings=warnings)


def _hidden(char: dict) -> bool:
    colour = char.get("non_stroking_color")
    colour = tuple(colour) if isinstance(colour, (list, tuple)) else (colour,) if colour is not None else None
    return (char.get("size") or 10) < 2 or colour in _WHITE


def _title_like(text: str) -> bool:
    """Metadata that reads as a title: words, not a URL, an arXiv stamp, a file name or a journal header."""
    t = text.strip()
    return (len(t.split()) >= 2 and not re.search(r"https?:|www\.|arXiv:|\.(?:pdf|dvi|tex|docx?)\b|^Microsoft Word|"
                                                  r"Journal of|Proceedings|\bvol\.|\d{4}\)", t, re.I))


def _printed_title(page) -> str | None:
    """The largest upright type in the top half of page 1, in reading order: the title as printed."""
    chars = [c for c in page.chars if c.get("upright", True) and c.get("top", 0) < page.height / 2
             and c["text"].strip() and not _hidden(c)]
    if not chars:
        return None
    biggest = max(round(c.get("size") or 0, 1) for c in chars)
    body = sorted(round(c.get("size") or 0, 1) for c in chars)[len(chars) // 2]
    if biggest < body * 1.15:
        return None  # no type larger than the text: no printed title to find
    # the lines that carry the largest type, with every character of theirs that is not much smaller (titles set
    # in small capitals print the first letter of each word larger than the rest)
    bottoms = sorted({round(c["bottom"]) for c in chars if (c.get("size") or 0) >= biggest - 0.6})
    lines: dict[int, list[dict]] = {}
    for c in chars:
        near = [b for b in bottoms if abs(c["bottom"] - b) <= 2]
        if near and (c.get("size") or 0) >= 0.45 * biggest:
            lines.setdefault(near[0], []).append(c)
    words = []
    for _, line in sorted(lines.items()):
        line.sort(key=lambda c: c["x0"])
        text, last = "", None
        for c in line:
            if last is not None and c["x0"] - last["x1"] > 0.2 * (c.get("size") or 10):
                text += " "
            text, last = text + c["text"], c
        words.append(text.strip())
    title = repair(re.sub(r"\s+", " ", " ".join(words))).strip()
    return title if 2 <= len(title.split()) <= 40 and _title_like(title) else None


def _layout(path: Path, pages: int, warnings: list[str]) -> tuple[list[Table], dict[int, list[str]], str | None]:
    """Tables and runs of hidden text by page, and the printed title, from pdfplumber's character data."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    tables: list[Table] = []
    hidden: dict[int, list[str]] = {}
    title = None
    try:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages[:pages], start=1):
                if number == 1:
                    title = _printed_title(page)
                for rows in page.extract_tables() or _booktabs(page):
                    cells = [[repair(c or "").strip() for c in row] for row in rows]
                    cells = [row for row in cells if any(row)]
                    if len(cells) > 1 and any(any(c for c in row) for row in cells):
                        tables.append(Table(page=number, rows=cells))
                runs: list[str] = []
                run, top = "", None
                for char in page.chars:
                    same_line = top is not None and abs(char.get("top", 0) - top) < 2
                    if _hidden(char) and (same_line or not run):
                        run, top = run + char["text"], char.get("top", 0)
                        continue
                    runs.append(run)
                    run, top = (char["text"], char.get("top", 0)) if _hidden(char) else ("", None)
                runs.append(run)
                hidden[number] = [r.strip() for r in runs if len(r.strip()) >= 12]
    except Exception as exc:  # layout is an extra: text extraction already succeeded
        warnings.append(f"tables and hidden-text checks skipped: {type(exc).__name__}: {exc}")
    return tables, hidden, title


def _booktabs(page) -> list[list[list[str | None]]]:
    """Tables ruled only by horizontal lines (top, header, bottom), as most papers draw them: rules of the same
    width mark a table's box; inside it, rows and columns come from the text's positions."""
    rules: dict[tuple[int, int], list[float]] = {}
    for edge in page.horizontal_edges:
        if edge["x1"] - edge["x0"] > 30:
            rules.setdefault((round(edge["x0"]), round(edge["x1"])), []).append(edge["top"])
    tables = []
    for (x0, x1), tops in rules.items():
        if len(tops) < 2:
            continue
        box = page.crop((max(x0 - 1, 0), max(min(tops) - 1, 0), min(x1 + 1, page.width), min(max(tops) + 1, page.height)))
        table = box.extract_table({"vertical_strategy": "text", "horizontal_strategy": "text"})
        if table:
            tables.append(table)
    return tables


def _cut(text: str, run: str) -> str:
    """Remove a hidden run from the page text, whatever white space pypdf put between its characters."""
    chars = [re.escape(c) for c in run if not c.isspace()]
    if not chars:
        return text
    return re.sub(r"\s*".join(chars), " ", text, count=1)


def _line_of(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start: end if end != -1 else len(text)].strip()
