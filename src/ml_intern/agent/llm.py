"""Moved to ``ml_intern.llm`` (the LLM client is a shared part the reader, the diagnoser and the pipeline use).
This name stays until ``run/diagnose.py`` imports ``ml_intern.llm`` itself."""

from ml_intern.llm import ask

__all__ = ["ask"]
