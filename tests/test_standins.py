"""Stand-ins of Hub data sets and checkpoints (``ml_intern.bench.standins``), for running real papers' plans where
the Hub cannot be reached: the libraries' own cache layout, the real schema, loaded offline as a project loads it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from ml_intern.bench.loopback_hub import SHA
from ml_intern.bench.standins import build
from ml_intern.registry import get_dataset
from ml_intern.run.fetch import Need, parse_data

SOURCES = Path(__file__).resolve().parents[1] / "src/ml_intern/codegen/templates/hf"


def test_stand_ins_are_laid_out_as_the_hub_cache_and_load_offline_by_the_registry_loader(tmp_path):
    """SVHN (two configs on the Hub, so its registry loader names the classification one) and a BERT checkpoint."""
    loader = get_dataset("svhn").loader
    cache = tmp_path / "hf" / "hub"
    assert build([parse_data(loader), Need("google-bert/bert-base-uncased", "model")], cache) == \
        ["dataset ufldl-stanford/svhn", "model google-bert/bert-base-uncased"]
    repo = cache / "datasets--ufldl-stanford--svhn"
    assert (repo / "refs" / "main").read_text() == SHA
    files = [p for p in (repo / "snapshots" / SHA).rglob("*") if not p.is_dir()]
    assert files and all(p.is_symlink() and p.resolve().parent == (repo / "blobs").resolve() for p in files)
    card = (repo / "snapshots" / SHA / "README.md").read_text()
    meta = yaml.safe_load(card.split("---")[1])
    assert [c["config_name"] for c in meta["configs"]] == ["cropped_digits", "full_numbers"] and "STAND-IN" in card

    # a fresh process with the Hub offline, as the sandboxed project reads it: sources.load and from_pretrained
    script = ("import sources\n"
              f"d = sources.load({loader!r})\n"
              "train = d['train']\n"
              "print('SPLITS', sorted(d), 'LABELS', train.features['label'].names, 'SIZE', train[0]['image'].size)\n"
              "from transformers import AutoModelForSequenceClassification, AutoTokenizer\n"
              "m = AutoModelForSequenceClassification.from_pretrained('google-bert/bert-base-uncased', num_labels=2)\n"
              "t = AutoTokenizer.from_pretrained('google-bert/bert-base-uncased')\n"
              "cls = t('the river')['input_ids'][0] == t.cls_token_id\n"
              "print('MODEL', m.config.model_type, m.config.hidden_size, cls)\n")
    env = {"HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(cache), "HF_HOME": str(tmp_path / "hf"),
           "HF_DATASETS_CACHE": str(tmp_path / "datasets"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(SOURCES)}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    lines = {line.split()[0]: line for line in out.stdout.splitlines() if line.split()}
    digits = [str(d) for d in range(10)]
    assert lines["SPLITS"] == f"SPLITS ['extra', 'test', 'train'] LABELS {digits} SIZE (32, 32)"
    assert lines["MODEL"] == "MODEL bert 32 True"  # the architecture, tiny, with a tokenizer of its kind
