"""HTML (arXiv's rendering) and LaTeX sources as text. Neither has pages: the whole text is page 1."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ml_intern.paper.models import Page, Paper, Table
from ml_intern.paper.text import Section, _kind, repair, tex_to_text

_BLOCK = {"p", "div", "section", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "figcaption", "caption"}
_SKIP = {"script", "style", "nav", "header", "footer", "math", "annotation", "button"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.heading: list[str] | None = None
        self.headings: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "math" and not self.skip:  # arXiv's math (LaTeXML): its LaTeX source as a PDF's text shows it
            # ("\\beta_{1}=0.9" is "β1=0.9", "3\\times 10^{-4}" is "3× 10^-4"); its MathML is skipped
            tex = dict(attrs).get("alttext") or ""
            self.handle_data(f" {tex_to_text(tex)} " if tex else "")
        if tag in _SKIP:
            self.skip += 1
        if tag in _BLOCK:
            self.parts.append("\n")
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = []
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.row = []
        if tag in ("td", "th"):
            self.cell = []
            self.parts.append(" ")  # (a row's cells as a PDF's text shows them: "Learning rate 3e-4", not run together)
        if tag == "title":
            self.in_title = True

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        if re.fullmatch(r"h[1-6]", tag) and self.heading is not None:
            self.headings.append(" ".join("".join(self.heading).split()))
            self.heading = None
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        if tag == "tr" and self.row is not None and self.tables:
            self.tables[-1].append(self.row)
            self.row = None
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.skip:
            return
        self.parts.append(data)
        for buf in (self.heading, self.cell):
            if buf is not None:
                buf.append(data)


def html_paper(source: str, data: bytes, sha256: str) -> Paper:
    parser = _Text()
    parser.feed(data.decode("utf-8", "replace"))
    text = re.sub(r"[ \t]+", " ", "".join(parser.parts))
    text = re.sub(r"\n\s*\n+", "\n", repair(text)).strip()
    sections = []
    for title in parser.headings:
        m = re.match(r"^(?P<num>\d+(?:\.\d+)*)?\.?\s*(?P<title>.+)$", title)
        if m:
            sections.append(Section(title=m.group("title"), kind=_kind(m.group("title"), m.group("num"), False),
                                    page=1, number=m.group("num")))
    tables = [Table(page=1, rows=rows) for rows in parser.tables if len(rows) > 1]
    title = " ".join(parser.title.split()) or (parser.headings[0] if parser.headings else None)
    return Paper(source=source, kind="html", sha256=sha256, title=title, pages=[Page(number=1, text=text)],
                 sections=sections, tables=tables)


_COMMANDS = re.compile(r"\\(?:cite|ref|label|eqref|citep|citet|footnote|url)\{[^}]*\}")


# inline and display math, bounded (an unmatched "$" spans no more than a paragraph's worth); not an escaped "\\$"
_MATH = re.compile(r"(?<!\\)\$\$([^$]{1,2000})\$\$|(?<!\\)\$([^$]{1,500})\$|\\\(([^$]{1,500}?)\\\)")


def latex_paper(source: str, text: str, sha256: str) -> Paper:
    """LaTeX as text: comments, citations and labels out; math as a PDF's text shows it (``tex_to_text``: ``10^{-4}``
    is ``10^-4``, ``\\beta_1`` is ``β1``); macros unwrapped."""
    body = re.sub(r"(?<!\\)%.*", "", text)
    body = _COMMANDS.sub("", body)
    body = re.sub(r"\\(?:section|subsection|subsubsection)\*?\{([^}]*)\}", r"\n\1\n", body)
    body = _MATH.sub(lambda m: tex_to_text(next(g for g in m.groups() if g is not None)), body)
    body = re.sub(r"\\[a-zA-Z]+\*?(?:\[[^\]]*\])?", " ", body)
    body = re.sub(r"[{}$~]", " ", body)
    title = re.search(r"\\title\{([^}]*)\}", text)
    return Paper(source=source, kind="latex", sha256=sha256, title=title.group(1) if title else None,
                 pages=[Page(number=1, text=re.sub(r"[ \t]+", " ", body))])
