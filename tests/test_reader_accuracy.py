"""The rule-based reader on real papers (../shared/papers): at least 90% of the stated values, nothing invented."""

import json
from pathlib import Path

import pytest

from ml_intern.bench.reader import score

PAPERS = Path(__file__).resolve().parents[2] / "shared" / "papers"
pytestmark = pytest.mark.skipif(not (PAPERS / "expected.json").exists(),
                                reason="../shared/papers is absent: the real papers come with the project's steering")


def _expected() -> dict:
    return {k: v for k, v in json.loads((PAPERS / "expected.json").read_text()).items() if not k.startswith("_")}


def test_recall_and_no_inventions():
    rows = [score(PAPERS, name, exp) for name, exp in _expected().items()]
    hits, total = sum(r["hp_hits"] for r in rows), sum(r["hp_total"] for r in rows)
    assert hits / total >= 0.9, [r["missed"] for r in rows]
    assert [r["inventions"] for r in rows] == [[]] * len(rows)
    for r in rows:
        found, wanted = r["datasets"].split("/")
        assert found == wanted, r
        assert r["optimizer"].endswith("(ok)"), r


def test_densenet_values_are_kept_apart_by_setting():
    from ml_intern.paper import extract_spec, read_source

    spec = extract_spec(read_source(PAPERS / "densenet-1608.06993.pdf"))
    assert spec.hyperparameter("epochs", "imagenet").value == 90
    assert spec.hyperparameter("batch_size", "imagenet").value == 256
    assert spec.hyperparameter("batch_size", "cifar10").value == 64


def test_seq2seq_says_without_momentum():
    from ml_intern.paper import extract_spec, read_source

    spec = extract_spec(read_source(PAPERS / "seq2seq-1409.3215.pdf"))
    assert spec.hyperparameter("momentum") is None and spec.negation("momentum") is not None


def test_densenet_default_setting_is_the_first_data_set_with_its_own_values():
    from ml_intern.paper import extract_spec, read_source

    spec = extract_spec(read_source(PAPERS / "densenet-1608.06993.pdf"))
    assert spec.default_setting == "cifar10"
    assert spec.hyperparameter("batch_size").value == 64  # CIFAR's, the default setting
    assert spec.hyperparameter("learning_rate", "imagenet").value == 0.1  # paper-wide
