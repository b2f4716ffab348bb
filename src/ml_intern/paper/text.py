"""Repairs of PDF text extraction artefacts, and the sections of a paper found by their headings.

Lost superscripts ("10−4") are read by the number grammar in ``extract.py``; here: ligatures, words hyphenated
across lines, and headings.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

LIGATURES = {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st", "\u00ad": ""}
_HYPHENATED = re.compile(r"([a-z]{2,})-\n\s*([a-z]{2,})")


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# a power of ten or two printed with superscript characters ("3×10⁻⁴", "2¹⁹"): typed as the number grammar reads it
_POWER = re.compile(r"(?<![\d.])(10|2)([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})(?![⁰¹²³⁴⁵⁶⁷⁸⁹])")


def repair(text: str) -> str:
    """Ligatures to letters, soft hyphens out, words hyphenated across lines joined ("bilin-\\ngual"), and powers
    printed in superscript characters typed with a caret ("10⁻⁴" is "10^-4"; a footnote mark on a word is left)."""
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    text = _POWER.sub(lambda m: m.group(1) + "^" + m.group(2).translate(_SUPERSCRIPTS), text)
    return _HYPHENATED.sub(r"\1\2\n", text)


KINDS = [("abstract", r"abstract"), ("introduction", r"introduction"),
         ("related", r"related work|background|prior work"),
         ("method", r"method|approach|model|architecture|our |proposed|framework"),
         ("experiments", r"experiment|evaluation|setup|training|implementation|results|data\b|datasets?|analysis|ablation"),
         ("conclusion", r"conclusion|discussion|summary|future work|limitations"),
         ("acknowledgements", r"acknowledg"), ("references", r"references|bibliography"),
         ("appendix", r"appendix|supplementary")]
_NUMBERED = re.compile(r"^(?P<num>(?:\d{1,2}|[A-H])(?:\.\d{1,2}){0,2})\.?\s+(?P<title>[A-Z][A-Za-z][^\n]{1,70})$")
_BARE = re.compile(r"^(?P<title>Abstract|ABSTRACT|Introduction|INTRODUCTION|References|REFERENCES|Bibliography|"
                   r"Acknowledge?ments|ACKNOWLEDGE?MENTS|Appendix|APPENDIX|Conclusions?|CONCLUSIONS?)\b[^\n]{0,40}$")


class Section(BaseModel):
    title: str
    kind: str  # abstract, introduction, related, method, experiments, conclusion, references, appendix, other
    page: int
    number: str | None = None


def _kind(title: str, number: str | None, after_references: bool) -> str:
    lowered = title.lower()
    for kind, pattern in KINDS:
        if re.search(pattern, lowered):
            return kind
    if after_references and number and number[0].isalpha():
        return "appendix"
    return "other"


def find_sections(pages: list[tuple[int, str]]) -> list[Section]:
    """Headings, in order: numbered ("3 Model", "4.1 Training", "A Details") or well-known bare ones ("Abstract").

    Numbered top-level headings must count up (a numbered list inside a section is not a heading); a subsection
    whose title says nothing takes its parent's kind; lettered sections after the references are appendices.
    """
    sections: list[Section] = []
    last_top = 0
    for number, text in pages:
        for line in text.splitlines():
            line = line.strip()
            if not line or len(line) > 80 or line.endswith((".", ",", ";")):
                continue
            m = _NUMBERED.match(line) or _BARE.match(line)
            if not m:
                continue
            title = m.group("title").strip()
            num = m.groupdict().get("num")
            if num and (re.search(r"\d{3,}|[=+×]", title) or len(title.split()) > 9):
                continue  # a table row or an equation, not a heading
            if num and num.isdigit():
                if not last_top < int(num) <= last_top + 2:
                    continue
                last_top = int(num)
            after_refs = any(s.kind == "references" for s in sections)
            if num and num[0].isalpha() and not after_refs:
                continue  # "A Small Network…" is a title; lettered sections are appendices, after the references
            kind = "appendix" if after_refs and num and num[0].isalpha() else _kind(title, num, after_refs)
            if kind == "other" and num and "." in num:
                parent = next((s for s in reversed(sections) if s.number == num.rsplit(".", 1)[0]), None)
                kind = parent.kind if parent else kind
            sections.append(Section(title=title, kind=kind, page=number, number=num))
    return sections
