"""The LLM interface and its first provider.

``LLM.complete_json(system, user, schema) -> dict``: one call that must return JSON matching ``schema``. Providers:

- ``openai-compatible:MODEL``: any server that speaks the OpenAI chat-completions API (OpenAI, vLLM, Ollama,
  llama.cpp, LM Studio), base URL from ``ML_INTERN_LLM_BASE_URL`` (default ``http://127.0.0.1:8080/v1``), key from
  ``ML_INTERN_LLM_API_KEY`` or ``OPENAI_API_KEY``; structured output through ``response_format`` with a JSON schema.
- ``ScriptedLLM``: replays given replies and records the prompts: the only fake allowed in tests.

The LLM issue adds Hugging Face Inference Providers, Anthropic, a local model, budgets and call records.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Protocol

from ml_intern.errors import InputError, RunError

# Tests set this to False (tests/conftest.py): a real request then fails instead of reaching a paid API.
ALLOW_MODEL_REQUESTS = True


class LLM(Protocol):
    name: str

    def complete_json(self, system: str, user: str, schema: dict) -> dict: ...


class ScriptedLLM:
    """Replays the given replies in order and keeps every prompt it was sent."""

    name = "scripted"

    def __init__(self, replies: list[dict | str]):
        self.replies = list(replies)
        self.prompts: list[dict] = []

    def complete_json(self, system: str, user: str, schema: dict) -> dict:
        self.prompts.append({"system": system, "user": user, "schema": schema})
        if not self.replies:
            raise RunError("the scripted LLM has no reply left")
        reply = self.replies.pop(0)
        return json.loads(reply) if isinstance(reply, str) else reply


class OpenAICompatible:
    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None, timeout: float = 120):
        self.model = model
        self.name = f"openai-compatible:{model}"
        self.base_url = (base_url or os.environ.get("ML_INTERN_LLM_BASE_URL") or "http://127.0.0.1:8080/v1").rstrip("/")
        self.api_key = api_key or os.environ.get("ML_INTERN_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
        self.timeout = timeout

    def complete_json(self, system: str, user: str, schema: dict) -> dict:
        if not ALLOW_MODEL_REQUESTS:
            raise RunError("real model requests are blocked (tests): use ScriptedLLM")
        body = {"model": self.model, "temperature": 0,
                "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
                "response_format": {"type": "json_schema",
                                    "json_schema": {"name": "extraction", "schema": schema, "strict": True}}}
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(f"{self.base_url}/chat/completions", data=json.dumps(body).encode(),
                                         headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                reply = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                raise InputError(f"the LLM server refused the key ({exc.code})",
                                 fix="set ML_INTERN_LLM_API_KEY (or OPENAI_API_KEY)") from None
            if exc.code == 402:
                raise InputError("the LLM provider asks for payment (402)", fix="check the account's billing") from None
            raise RunError(f"the LLM server answered {exc.code}: {exc.read()[:200]!r}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise InputError(f"cannot reach the LLM server at {self.base_url} ({getattr(exc, 'reason', exc)})",
                             fix="start it, or set ML_INTERN_LLM_BASE_URL, or run without --llm") from None
        try:
            return json.loads(reply["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError, json.JSONDecodeError) as exc:
            raise RunError(f"the LLM's reply is not the JSON asked for ({type(exc).__name__})") from None


def get_llm(spec: str | None) -> LLM | None:
    """``PROVIDER:MODEL`` from ``--llm`` (or None for no LLM)."""
    if not spec:
        return None
    provider, _, model = spec.partition(":")
    if provider in ("openai-compatible", "openai", "vllm", "ollama", "llamacpp", "lmstudio") and model:
        return OpenAICompatible(model)
    raise InputError(f"unknown LLM {spec!r}", fix="use openai-compatible:MODEL (more providers come with the LLM issue)")
