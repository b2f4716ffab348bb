"""The LLM: one small interface (``LLM.complete_json``), providers behind it, and a scripted model for tests."""

from ml_intern.agent.llm import LLM, OpenAICompatible, ScriptedLLM, get_llm

__all__ = ["LLM", "OpenAICompatible", "ScriptedLLM", "get_llm"]
