"""The token-classification task's own BiLSTM-CRF (``templates/hf/tasks/token_classification.py``): the CRF against
brute force over every tag path, and a tiny BiLSTM-CRF project planned from a paper that names one, trained on CPU
by the generated loop, and its saved model evaluated again in a fresh process as ml-intern's metrics check does."""

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import task_file

torch = pytest.importorskip("torch")
pytest.importorskip("transformers", reason="the task file imports transformers' helpers")
NER = Path(__file__).resolve().parents[1] / "examples/data/ner.jsonl"


@pytest.fixture(scope="module")
def task():
    """The token-classification task file as a project holds it (sources.py beside it)."""
    yield from task_file("token_classification.py", "token_task")


def _brute_force(crf, emissions, length):
    """Every path of ``length`` tags with its score, by the CRF's definition written out."""
    tags = range(emissions.shape[-1])
    scores = {}
    for path in itertools.product(tags, repeat=length):
        s = crf.start[path[0]] + crf.end[path[-1]] + sum(emissions[i, t] for i, t in enumerate(path))
        s = s + sum(crf.transitions[a, b] for a, b in zip(path, path[1:]))
        scores[path] = float(s)
    return scores


def test_the_crf_likelihood_and_viterbi_path_are_those_of_brute_force_over_every_path(task):
    """Rows of lengths 4, 2 and 1 padded to 4: the forward algorithm's log-partition is the log-sum-exp of every
    path's score, the likelihood of a path is its share, and Viterbi returns the argmax path; padding changes none."""
    torch.manual_seed(0)
    crf = task.CRF(3)
    with torch.no_grad():  # larger than the initial ones, so that a wrong transition term shows
        for p in crf.parameters():
            p.normal_()
    emissions = torch.randn(3, 4, 3)
    lengths = [4, 2, 1]
    mask = torch.arange(4).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)
    tags = torch.tensor([[0, 2, 1, 1], [2, 2, 0, 0], [1, 0, 0, 0]])
    nll = crf.nll(emissions, tags, mask).detach()
    path = crf.decode(emissions, mask)
    for row, n in enumerate(lengths):
        with torch.no_grad():
            scores = _brute_force(crf, emissions[row], n)
        log_z = torch.logsumexp(torch.tensor(list(scores.values())), 0)
        gold = scores[tuple(tags[row, :n].tolist())]
        assert float(nll[row]) == pytest.approx(float(log_z) - gold, abs=1e-4)
        assert tuple(path[row, :n].tolist()) == max(scores, key=scores.get)
    # garbage in the padding is ignored
    noisy = emissions.masked_fill(~mask.unsqueeze(-1), 50.0)
    assert torch.allclose(crf.nll(noisy, tags.masked_fill(~mask, 2), mask), nll)
    assert all(torch.equal(crf.decode(noisy, mask)[r, :n], path[r, :n]) for r, n in enumerate(lengths))
    # a row with no positions costs nothing
    assert float(crf.nll(emissions[:1], tags[:1], torch.zeros(1, 4, dtype=torch.bool))[0].detach()) == 0.0


def test_the_tagger_runs_the_crf_over_the_tagged_positions_only(task):
    """A position without a tag (-100: a word's later token) is left out of the CRF: the loss is the CRF's over the
    tagged positions' scores in order, and the best path comes back at the words' own positions."""
    torch.manual_seed(0)
    model = task.BiLSTMTagger(vocab_size=10, num_tags=3, embedding_dim=8, hidden_size=6, dropout=0.0).eval()
    ids, labels = torch.tensor([[2, 3, 5, 4]]), torch.tensor([[0, 1, -100, 2]])
    out = model(input_ids=ids, attention_mask=torch.ones_like(ids), labels=labels)
    words = out.logits[:, [0, 1, 3]]
    every = torch.ones(1, 3, dtype=torch.bool)
    with torch.no_grad():
        assert torch.allclose(out.loss, model.crf.nll(words, torch.tensor([[0, 1, 2]]), every).mean())
        assert out.predictions[0, [0, 1, 3]].tolist() == model.crf.decode(words, every)[0].tolist()


def test_a_bilstm_crf_paper_trains_a_bilstm_crf_that_saves_and_evaluates_again(tmp_path):
    """A paper naming a BiLSTM-CRF with its hidden size, planned on local NER data: the project builds the paper's
    tagger (word vocabulary, hidden size 300 per direction, a CRF), trains a few steps on CPU to a finite loss and an
    entity F1, and ``train.py --evaluate`` in a fresh process rebuilds it and gets the same metrics."""
    from ml_intern.codegen import build_project
    from ml_intern.paper.models import Architecture, DatasetRef, PaperSpec, Quoted, SourceRef
    from ml_intern.plan import make_plan

    ref = SourceRef(page=1, quote="q")
    spec = PaperSpec(title="Bidirectional LSTM-CRF Models for Sequence Tagging",
                     task_type=Quoted(value="named-entity-recognition", source=ref),
                     architecture=Architecture(family=Quoted(value="lstm", source=SourceRef(
                         page=1, quote="Bidirectional LSTM-CRF Models for Sequence Tagging")),
                         sizes={"hidden_size": Quoted(value=300, source=ref)}),
                     datasets=[DatasetRef(name="CoNLL 2003", resolved="conll2003", source=ref)])
    plan = make_plan(spec, scale="small", overrides={"dataset": f"json:{NER}", "max_steps": 6, "batch_size": 8,
                                                     "embedding_dim": 16, "max_eval_examples": 64})
    build_project(plan, tmp_path / "p")
    project = tmp_path / "p"
    config = yaml.safe_load((project / "config.yaml").read_text())
    assert (config["model"], config["model_type"], config["hidden_size"]) == ("", "bilstm-crf", 300)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "train.py", "--config", "config.yaml"], cwd=project, capture_output=True,
                          text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    results = json.loads((project / "outputs/results.json").read_text())
    rows = [json.loads(line) for line in (project / "outputs/metrics.jsonl").read_text().splitlines()]
    losses = [r["loss"] for r in rows if "loss" in r]
    assert results["steps"] == 6 and all(isinstance(x, float) and x == x and abs(x) < 1e6 for x in losses)
    assert 0.0 <= results["metrics"]["test_f1"] <= 1.0 and results["metrics"]["test_accuracy"] > 0
    saved = json.loads((project / "outputs/model/config.json").read_text())
    assert saved["model_type"] == "bilstm-crf" and saved["hidden_size"] == 300 and saved["embedding_dim"] == 16
    assert (project / "outputs/model/tokenizer.json").exists()
    again = subprocess.run([sys.executable, "train.py", "--config", "config.yaml", "--evaluate", "outputs/model",
                            "--output-dir", str(tmp_path / "check")], cwd=project, capture_output=True, text=True,
                           timeout=300, env=env)
    assert again.returncode == 0, again.stderr[-3000:]
    evaluated = json.loads((tmp_path / "check/evaluation.json").read_text())["metrics"]
    for name in ("test_f1", "test_accuracy", "test_loss"):
        assert evaluated[name] == pytest.approx(results["metrics"][name], abs=1e-6)


@pytest.mark.parametrize("layers", [1, 2])
def test_the_hardware_plan_counts_the_taggers_parameters_as_the_task_file_builds_them(task, layers):
    from ml_intern.plan.recipes.hardware import TAGGER_TAGS, TAGGER_VOCABULARY, tagger_size

    values = {"model": "", "model_type": "bilstm-crf", "embedding_dim": 50, "hidden_size": 300, "num_layers": layers}
    model = task.BiLSTMTagger(TAGGER_VOCABULARY, TAGGER_TAGS, 50, 300, layers)
    total, multiplying = tagger_size(values)
    assert total == sum(p.numel() for p in model.parameters())
    assert multiplying == total - model.embeddings.weight.numel()
