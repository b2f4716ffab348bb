"""Hub data and models fetched by ml-intern (``run/fetch.py``) and read offline in the sandbox.

The Hugging Face Hub cannot be reached from the test machine, so the download path is tested against a loopback
HTTP server (``ml_intern.bench.loopback_hub``) that speaks the Hub's real HTTP API as huggingface_hub calls it
(``/api/{type}s/{repo}/revision/{rev}``, ``/api/{type}s/{repo}/tree/{rev}``, ``HEAD``/``GET`` of
``/{type}s/{repo}/resolve/{rev}/{file}`` with the ``X-Repo-Commit`` and ``ETag`` headers, and the ``X-Error-Code`` of
gated and missing repositories). What it fills is the real cache layout of huggingface_hub (``datasets--OWNER--NAME/{blobs,refs,snapshots}``), which the sandbox then
reads offline with the real ``datasets`` and ``transformers`` libraries.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ml_intern.bench.loopback_hub import SHA, LoopbackHub, parquet_bytes, saved_files, serve
from ml_intern.run.fetch import FetchFailed, Need, fetch, needs, slice_files
from ml_intern.ui import QuietUI

CARD = """---
configs:
- config_name: tiny
  data_files:
  - split: train
    path: tiny/train-*.parquet
  - split: validation
    path: tiny/validation-*.parquet
---
# tiny
"""


def _model_files() -> dict[str, bytes]:
    from transformers import BertConfig, BertForSequenceClassification

    model = BertForSequenceClassification(BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1,
                                                     num_attention_heads=2, intermediate_size=32, num_labels=2))
    return saved_files(model.save_pretrained)


@pytest.fixture(scope="module")
def hub():
    rows = [{"text": f"sentence {i}", "label": i % 2} for i in range(40)]
    data = {"README.md": CARD.encode(), "tiny/train-00000-of-00002.parquet": parquet_bytes(rows[:20]),
            "tiny/train-00001-of-00002.parquet": parquet_bytes(rows[20:30]),
            "tiny/validation-00000-of-00001.parquet": parquet_bytes(rows[30:])}
    state = LoopbackHub({("dataset", "someone/tiny-sentiment"): data, ("model", "someone/tiny-bert"): _model_files()},
                        gated={"someone/gated"})
    with serve(state):
        yield state


def test_needs_are_read_from_the_project_config():
    config = {"dataset": "hub:someone/tiny-sentiment@v1:tiny", "model": "someone/tiny-bert", "tokenizer": "pkg:x"}
    assert needs(config) == [Need("someone/tiny-sentiment", "dataset", "v1", "tiny"), Need("someone/tiny-bert", "model")]
    assert needs({"dataset": "csv:data/x.csv", "model": "", "tokenizer": "train-bpe"}) == []


def test_a_smoke_slice_is_the_first_file_of_each_split():
    files = {"README.md": 1, "tiny/train-00000-of-00002.parquet": 5, "tiny/train-00001-of-00002.parquet": 5,
             "tiny/validation-00000-of-00001.parquet": 2, "other/train-00000.parquet": 9}
    assert slice_files(files, "tiny", whole=False) == ["README.md", "tiny/train-00000-of-00002.parquet",
                                                       "tiny/validation-00000-of-00001.parquet"]
    assert len(slice_files(files, "tiny", whole=True)) == 4
    mnli = {"mnli/train-00000-of-00002.parquet": 5, "mnli/train-00001-of-00002.parquet": 5,
            "mnli/validation_matched-00000-of-00001.parquet": 1, "mnli/validation_mismatched-00000-of-00001.parquet": 1}
    assert slice_files(mnli, "mnli", whole=False) == ["mnli/train-00000-of-00002.parquet",  # each split of the config
                                                      "mnli/validation_matched-00000-of-00001.parquet",
                                                      "mnli/validation_mismatched-00000-of-00001.parquet"]


def test_fetch_fills_the_hub_cache_and_the_sandbox_reads_it_offline(hub, tmp_path, monkeypatch):
    from ml_intern.run.sandbox import Job, get_sandbox
    from ml_intern.run.sandbox.env import scrubbed_env

    cache = tmp_path / "cache"
    notes: list[str] = []
    wanted = [Need("someone/tiny-sentiment", "dataset", None, "tiny"), Need("someone/tiny-bert", "model")]
    assert fetch(wanted, whole=False, cache_dir=cache, endpoint=hub.url, note=notes.append) == cache
    # the libraries' own layout: blobs, refs/main -> the commit, snapshots/COMMIT/... linking the blobs
    snap = cache / "datasets--someone--tiny-sentiment" / "snapshots" / SHA
    assert (cache / "datasets--someone--tiny-sentiment" / "refs" / "main").read_text() == SHA
    assert (snap / "tiny" / "train-00000-of-00002.parquet").exists()
    assert not (snap / "tiny" / "train-00001-of-00002.parquet").exists(), "a smoke run takes a slice"
    assert any("a slice" in n for n in notes) and any("model someone/tiny-bert" in n for n in notes)
    # the sandbox: the cache read-only, the Hub offline, a token planted in ml-intern's environment not passed on
    monkeypatch.setenv("HF_TOKEN", "hf_planted_secret")
    project, run = tmp_path / "run" / "project", tmp_path / "run"
    project.mkdir(parents=True)
    sources = Path(__file__).resolve().parents[1] / "src/ml_intern/codegen/templates/hf/sources.py"
    (project / "sources.py").write_text(sources.read_text())
    (project / "check.py").write_text(
        "import os, pathlib, sources\n"
        "from transformers import AutoModelForSequenceClassification\n"
        "d = sources.load('hub:someone/tiny-sentiment:tiny')\n"
        "m = AutoModelForSequenceClassification.from_pretrained('someone/tiny-bert')\n"
        "try:\n"
        f"    pathlib.Path({str(snap)!r}, 'planted').write_text('x')\n"
        "    wrote = True\n"
        "except OSError:\n"
        "    wrote = False\n"
        "print('ROWS', len(d['train']), len(d['validation']), 'PARAMS', m.num_parameters(), 'WROTE', wrote,\n"
        "      'TOKEN', 'HF_TOKEN' in os.environ)\n")
    import sys

    env = scrubbed_env(run, hub_cache=cache)
    backend = get_sandbox("auto")
    lines: list[str] = []
    result = backend.run(Job(argv=[sys.executable, "check.py"], cwd=project, env=env, timeout_s=240,
                             log_path=run / "log.txt", writable=[project, run / "home", run / "tmp"],
                             readonly=sorted(cache.glob("*--someone--*"))), lines.append, lambda: None)
    out = (run / "log.txt").read_text()
    assert result.exit_code == 0, out
    line = next(x for x in out.splitlines() if x.startswith("ROWS"))
    assert line.startswith("ROWS 20 10 PARAMS") and "TOKEN False" in line
    if backend.isolates:
        assert "WROTE False" in line, "the cache is read-only in the sandbox"


def test_each_hub_failure_has_its_class_and_its_next_step(hub, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    with pytest.raises(FetchFailed) as gated:
        fetch([Need("someone/gated", "dataset")], cache_dir=cache, endpoint=hub.url)
    assert gated.value.failure.cls == "hub_gated" and "huggingface-cli login" in gated.value.fix
    with pytest.raises(FetchFailed) as missing:
        fetch([Need("someone/nothing", "model")], cache_dir=cache, endpoint=hub.url)
    assert missing.value.failure.cls == "hub_not_found" and "local path" in missing.value.fix
    with pytest.raises(FetchFailed) as large:
        fetch([Need("someone/tiny-sentiment", "dataset", None, "tiny")], cache_dir=cache, endpoint=hub.url,
              max_gb=1e-6)
    assert large.value.failure.cls == "hub_too_large" and "--scale smoke" in large.value.fix
    assert not (cache / "datasets--someone--tiny-sentiment" / "snapshots").exists(), "nothing downloaded"
    fetch([Need("someone/tiny-sentiment", "dataset", None, "tiny")], cache_dir=cache, endpoint=hub.url)
    # offline (HF_HUB_OFFLINE=1, as huggingface_hub reads it; a refused connection takes the same path after the
    # library's own retries, ~25 s): what the cache holds does, what it lacks is a hub_offline failure
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(FetchFailed) as offline:
        fetch([Need("someone/tiny-bert", "model")], cache_dir=cache, endpoint=hub.url)
    assert offline.value.failure.cls == "hub_offline" and "--set model=/PATH" in offline.value.fix
    notes: list[str] = []
    fetch([Need("someone/tiny-sentiment", "dataset", None, "tiny")], cache_dir=cache, endpoint=hub.url,
          note=notes.append)
    assert any("using the cached copy" in n for n in notes)


def test_the_attempt_loop_fetches_first_and_a_fetch_failure_stops_before_any_attempt(hub, tmp_path, monkeypatch):
    """``run_attempts`` on a skeleton project whose config names Hub data: fetched into the user's cache (here a
    folder of the test, the endpoint the loopback server) and shown to the sandbox; a gated one stops for review."""
    import yaml
    from huggingface_hub import constants

    from ml_intern.plan.models import Budgets
    from ml_intern.run.attempts import ExecOptions, fetch_inputs, run_attempts
    from ml_intern.track.store import Store

    monkeypatch.setenv("HF_ENDPOINT", hub.url)  # (a mirror's address, as huggingface_hub reads it)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "hf" / "token"))
    project = tmp_path / "run" / "project"
    project.mkdir(parents=True)
    (project / "train.py").write_text("# a skeleton: --config, --smoke, --resume\n")
    (project / "config.yaml").write_text(yaml.safe_dump({"dataset": "hub:someone/tiny-sentiment:tiny", "model": ""}))
    cache, shown = fetch_inputs(project, tmp_path / "run", ExecOptions(), QuietUI())
    assert cache == tmp_path / "hf" / "hub" and shown == [cache / "datasets--someone--tiny-sentiment"]
    snap = cache / "datasets--someone--tiny-sentiment" / "snapshots" / SHA / "tiny"
    assert sorted(p.name for p in snap.iterdir()) == ["train-00000-of-00002.parquet", "train-00001-of-00002.parquet",
                                                      "validation-00000-of-00001.parquet"], "no plan: the whole set"
    assert fetch_inputs(project, tmp_path / "run", ExecOptions(allow_network=True), QuietUI()) == (None, [])

    (project / "config.yaml").write_text(yaml.safe_dump({"dataset": "hub:someone/gated", "model": ""}))
    outcome = run_attempts("r1", tmp_path / "run", project, Budgets(), Store(tmp_path / "store.db"), QuietUI(),
                           ExecOptions(sandbox="process"))
    assert outcome.status == "needs_review" and outcome.attempts == []
    assert outcome.review.failure.cls == "hub_gated" and "huggingface-cli login" in outcome.review.suggestion
    assert "resume r1" in outcome.review.suggestion
