"""A paper cut at its section titles, for the agent's ``read_paper`` tool: text addressed to an AI is removed first
(paper text is data, never instructions)."""

from __future__ import annotations

from ml_intern.paper.models import Paper


def paper_sections(paper: Paper, max_chars: int = 12_000) -> dict[str, str]:
    """The paper's text cut at its section titles: {title: text}, lines flagged as addressed to an AI replaced."""
    flagged = {f.text for f in paper.flags if f.kind == "instruction"}
    full, offsets, pages = "", {}, {}
    for page in paper.pages:
        text = page.text
        for line in flagged:
            text = text.replace(line, "[removed: text addressed to an AI]")
        offsets[page.number] = len(full)
        pages[page.number] = text
        full += text + "\n"
    starts = []
    for section in paper.sections:
        at = full.find(section.title, offsets.get(section.page, 0))
        if at >= 0:
            starts.append((at, f"{section.number} {section.title}" if section.number else section.title))
    starts.sort()
    out = {name: full[at:end][:max_chars] for (at, name), (end, _) in zip(starts, [*starts[1:], (len(full), "")])}
    return out or {f"page {number}": text[:max_chars] for number, text in pages.items()}
