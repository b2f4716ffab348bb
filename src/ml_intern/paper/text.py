"""Repairs of PDF text extraction artefacts, and the sections of a paper found by their headings.

Lost superscripts ("10−4") are read by the number grammar in ``extract.py``; here: ligatures, words hyphenated
across lines, and headings.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

LIGATURES = {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st", "\u00ad": ""}
_HYPHENATED = re.compile(r"([A-Za-z][a-z]+)-\n\s*([a-z]{2,}\w*)")  # (a capital's two letters too: "Im-\nageNet")


# digits and their marks in full width ("0．1") as ASCII; digit groups set apart by a thin space ("4 096", the SI way)
# as a comma's
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_GROUPED = re.compile(r"(?<=\d)[\u2009\u202f](?=\d{3}(?!\d))")
# digit groups set apart by an apostrophe, the Swiss way ("12’200 steps"), as a comma's
_APOSTROPHE_GROUPED = re.compile(r"(?<=\d)[’'](?=\d{3}(?![\d’']))")
# the same with the thin space extracted as a plain one ("batch size 4 096, weight decay"): only in prose, a word
# before and a mark or a word after, as a table row's two cells ("Batch size 128 256") are not
_SPACE_GROUPED = re.compile(r"(?:(?<=[A-Za-z] )|(?<=[=:] ))(\d{1,3}) (\d{3})(?![\d.,]?\d)(?=[,;.)](?:\s|$)|\s(?:and|or|"
                            r"with|for|in|on|at|to|per|tokens|images|examples|sequences|steps|iterations|updates|"
                            r"epochs)\b)")
# the same in a LaTeX formula, where the comma is set as punctuation with a space after it ("$2,000$" extracts as
# "2, 000"): joined only where the group after the comma starts with a zero, which no number of a list does ("2, 000
# warmup steps" is 2,000; "256, 512" stays two values)
_MATH_GROUPED = re.compile(r"(?<![\d.,])([1-9]\d{0,2}), (0\d\d)((?:, \d{3})*)(?![\d.])")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# a power of ten or two printed with superscript characters ("3×10⁻⁴", "2¹⁹"): typed as the number grammar reads it
_POWER = re.compile(r"(?<![\d.])(10|2)([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})(?![⁰¹²³⁴⁵⁶⁷⁸⁹])")


# LaTeX's ε as some PDF fonts map it: "ǫ" (o with ogonek) where a symbol stands ("Adam ǫ 1e-6", "ǫ = 1e-8"), not
# inside a word of a language that writes the letter
_LOST_EPSILON = re.compile(r"(?<![^\W\d_])ǫ")


def repair(text: str) -> str:
    """Ligatures to letters, soft hyphens out, words hyphenated across lines joined ("bilin-\\ngual"), LaTeX's epsilon
    where a PDF font gives it as "ǫ" ("ǫ = 1e-6" is "ϵ = 1e-6"), the micro sign as μ, digit groups set apart by a
    thin space or an apostrophe joined by a comma ("4 096" and "12’200" are "4,096" and "12,200"; a plain space only in
    prose; "2, 000" from a formula), and powers
    printed in superscript characters typed with a caret ("10⁻⁴" is "10^-4"; a footnote mark on a word is left)."""
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    text = text.translate(_FULLWIDTH)
    text = text.replace("\u00b5", "\u03bc")  # the micro sign many fonts set for μ ("momentum (µ = 0.99)")
    text = _GROUPED.sub(",", text)
    text = _APOSTROPHE_GROUPED.sub(",", text)
    text = _SPACE_GROUPED.sub(r"\1,\2", text)
    text = _MATH_GROUPED.sub(lambda m: (m.group(1) + "," + m.group(2) + m.group(3)).replace(", ", ","), text)
    text = _LOST_EPSILON.sub("ϵ", text)
    text = _POWER.sub(lambda m: m.group(1) + "^" + m.group(2).translate(_SUPERSCRIPTS), text)
    return _HYPHENATED.sub(r"\1\2\n", text)


_GREEK = {name: chr(code) for name, code in (
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3F5), ("varepsilon", 0x3B5),
    ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC),
    ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0), ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4), ("phi", 0x3C6),
    ("varphi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393), ("Delta", 0x394),
    ("Theta", 0x398), ("Lambda", 0x39B), ("Sigma", 0x3A3), ("Phi", 0x3A6), ("Omega", 0x3A9))}
_SYMBOLS = {"times": "×", "cdot": "·", "in": "∈", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "approx": "≈",
            "sim": "∼", "infty": "∞", "ell": "ℓ", "to": "→", "rightarrow": "→", "%": "%", "_": "_", "&": "&", "#": "#",
            "{": "\x00", "}": "\x01"}  # (a set's escaped braces: kept through the braces' removal)
_TEX_TEXT = re.compile(r"\\(?:text|mathrm|textrm|mathit|textit|mathbf|textbf|boldsymbol|bm|operatorname|mathsf|mathtt|"
                       r"texttt|mbox|hbox|emph)\s*\{([^{}]*)\}")


def tex_to_text(tex: str) -> str:
    """Math in LaTeX as a PDF's text shows it, for the rules that read papers: Greek letters as letters, subscripts
    run into their symbol ("\\beta_{1}" is "β1", "d_{\\text{model}}" is "dmodel"), powers typed with a caret
    ("10^{-4}" is "10^-4"), "\\times" and "\\cdot" as signs, "4{,}096" as "4,096", other commands and braces out."""
    text = tex.replace("{,}", ",")
    for _ in range(3):  # (nested: "\\mathrm{\\text{model}}")
        text = _TEX_TEXT.sub(r"\1", text)
    text = re.sub(r"\\sqrt\s*\{([^{}]*)\}", r"√\1", text)
    text = re.sub(r"\\(left|right|big|Big|bigg|Bigg)(?![A-Za-z])", "", text)
    text = re.sub(r"\\([A-Za-z]+|[%{}_&#])", lambda m: _GREEK.get(m.group(1)) or _SYMBOLS.get(m.group(1), " "), text)
    text = re.sub(r"\^\s*\{\s*([-−+]?\s*[\d.]+)\s*\}", r"^\1", text)  # 10^{-4} → 10^-4 (a power the grammar reads)
    text = re.sub(r"_\s*\{([^{}]*)\}", r"\1", text)  # β_{1} → β1
    text = re.sub(r"_(\w)", r"\1", text)
    text = re.sub(r"\\[,;:! ]|~", " ", text)
    text = text.replace("{", "").replace("}", "").replace("\x00", "{").replace("\x01", "}")  # (a set's braces stay)
    return re.sub(r"\s+", " ", text).strip()


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


def heading_kind(line: str) -> str | None:
    """The kind of section a line opens, where it is a numbered or well-known bare heading ("1 Introduction",
    "2 Related Work", "Abstract"); None for any other line."""
    line = line.strip()
    if not line or len(line) > 80 or line.endswith((".", ",", ";")):
        return None
    m = _NUMBERED.match(line) or _BARE.match(line)
    if not m:
        return None
    title, num = m.group("title").strip(), m.groupdict().get("num")
    if num and (re.search(r"\d{3,}|[=+×]", title) or len(title.split()) > 9):
        return None  # a table row or an equation
    return _kind(title, num, False)


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
