"""The LLM interface and its first provider.

``LLM.complete_json(system, user, schema) -> dict``: one call that must return JSON matching ``schema``. Providers:

- ``openai-compatible:MODEL``: any server that speaks the OpenAI chat-completions API (OpenAI, vLLM, Ollama,
  llama.cpp, LM Studio), base URL from ``ML_INTERN_LLM_BASE_URL`` (default ``http://127.0.0.1:8080/v1``), key from
  ``ML_INTERN_LLM_API_KEY`` or ``OPENAI_API_KEY``; structured output through ``response_format`` with a JSON schema.
- ``ScriptedLLM``: replays given replies and records the prompts: the only fake allowed in tests.

Every call of a run goes through ``Recorded``, which writes it to the store (provider, model, prompt hash, tokens
in and out as the provider reports them, cost from ``PRICES``, latency, stage and attempt): the report and
``ml-intern show`` add them up. The LLM issue adds Hugging Face Inference Providers, Anthropic, a local model and
budgets.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from typing import Protocol

from ml_intern.errors import InputError, RunError

# Tests set this to False (tests/conftest.py): a real request then fails instead of reaching a paid API.
ALLOW_MODEL_REQUESTS = True


# US dollars per million tokens (input, output), as the providers list them; a model not here is counted in tokens
# and its cost shown as unknown. ML_INTERN_LLM_PRICE="IN,OUT" sets the price of the configured model.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "claude-3-5-haiku-latest": (0.80, 4.00),
    "claude-sonnet-4-5": (3.00, 15.00),
}


class LLM(Protocol):
    name: str
    model: str
    last_usage: dict | None  # {"tokens_in", "tokens_out"} of the last call, as the provider reported them

    def complete_json(self, system: str, user: str, schema: dict) -> dict: ...


def price_of(model: str) -> tuple[float, float] | None:
    if env := os.environ.get("ML_INTERN_LLM_PRICE"):
        try:
            tokens_in, tokens_out = (float(v) for v in env.split(","))
            return tokens_in, tokens_out
        except ValueError:
            raise InputError(f"ML_INTERN_LLM_PRICE={env!r} is not IN,OUT",
                             fix="dollars per million input and output tokens, e.g. 0.15,0.60") from None
    return PRICES.get(model)


class Recorded:
    """Wraps an LLM: every call (failed ones too) becomes a row of the store's ``llm_calls``."""

    def __init__(self, llm: LLM, store, run_id: str, stage: str, attempt: int | None = None):
        self.llm, self.store, self.run_id, self.stage, self.attempt = llm, store, run_id, stage, attempt
        self.name = llm.name

    def complete_json(self, system: str, user: str, schema: dict) -> dict:
        started = time.monotonic()
        self.llm.last_usage = None
        error = None
        try:
            return self.llm.complete_json(system, user, schema)
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            usage = self.llm.last_usage or {}
            tokens_in, tokens_out = usage.get("tokens_in"), usage.get("tokens_out")
            price = price_of(self.llm.model)
            cost = None
            if price and tokens_in is not None and tokens_out is not None:
                cost = (tokens_in * price[0] + tokens_out * price[1]) / 1e6
            provider, _, _ = self.llm.name.partition(":")
            self.store.add_llm_call(self.run_id, {
                "at": time.time(), "stage": self.stage, "attempt": self.attempt, "provider": provider,
                "model": self.llm.model, "prompt_hash": hashlib.sha256((system + "\0" + user).encode()).hexdigest(),
                "tokens_in": tokens_in, "tokens_out": tokens_out, "cost_usd": cost,
                "latency_s": round(time.monotonic() - started, 4), "ok": error is None, "error": error})


class ScriptedLLM:
    """Replays the given replies in order and keeps every prompt it was sent."""

    name = "scripted"
    model = "scripted"

    def __init__(self, replies: list[dict | str], usage: list[dict] | None = None):
        """``usage``: per reply, the token counts the scripted provider reports (none: it reports none)."""
        self.replies = list(replies)
        self.usage = list(usage or [])
        self.prompts: list[dict] = []
        self.last_usage: dict | None = None

    def complete_json(self, system: str, user: str, schema: dict) -> dict:
        self.prompts.append({"system": system, "user": user, "schema": schema})
        if not self.replies:
            raise RunError("the scripted LLM has no reply left")
        self.last_usage = self.usage.pop(0) if self.usage else None
        reply = self.replies.pop(0)
        return json.loads(reply) if isinstance(reply, str) else reply


class OpenAICompatible:
    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None, timeout: float = 120):
        self.model = model
        self.name = f"openai-compatible:{model}"
        self.base_url = (base_url or os.environ.get("ML_INTERN_LLM_BASE_URL") or "http://127.0.0.1:8080/v1").rstrip("/")
        self.api_key = api_key or os.environ.get("ML_INTERN_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
        self.timeout = timeout
        self.last_usage: dict | None = None

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
        usage = reply.get("usage") if isinstance(reply, dict) else None
        if isinstance(usage, dict) and "prompt_tokens" in usage:
            self.last_usage = {"tokens_in": usage.get("prompt_tokens"), "tokens_out": usage.get("completion_tokens")}
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
