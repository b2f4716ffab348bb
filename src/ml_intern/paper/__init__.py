"""The read stage: a source (PDF, arXiv, task file, prompt) becomes a ``Paper``, then a ``PaperSpec``."""

from ml_intern.paper.extract import extract_spec
from ml_intern.paper.models import Paper, PaperSpec
from ml_intern.paper.reader import read_source


def spec_for(paper: Paper, llm_spec: str | None = None, wrap=None) -> PaperSpec:
    """The rule-based spec, merged with the LLM extractor's when an LLM is configured (``--llm``); ``wrap`` wraps
    the LLM (a run records its calls with ``ml_intern.llm.Recorded``)."""
    spec = extract_spec(paper)
    if llm_spec and paper.kind != "task":
        from ml_intern.llm import get_llm
        from ml_intern.paper.llm_extract import extract_with_llm

        llm = get_llm(llm_spec)
        spec = extract_with_llm(paper, spec, wrap(llm) if wrap else llm)
    return spec


__all__ = ["Paper", "PaperSpec", "extract_spec", "read_source", "spec_for"]
