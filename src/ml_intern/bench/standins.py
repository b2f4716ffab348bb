"""Stand-ins for the Hub data sets and checkpoints that the plans of real papers name, for running those plans where
the Hub cannot be reached (``benchmarks/paper_smoke.py``, ``tests/test_paper_smoke.py``).

A stand-in data set has the real one's schema (its config names, splits, features: class names, images, translation
pairs, tag sequences) and a few hundred generated rows: word soup from a small vocabulary, images whose colour
follows their class, a "translation" that is a fixed cipher of the source. A stand-in checkpoint is the named
architecture, tiny and randomly initialised, with a tokenizer (or image processor) of its kind built for the stand-in
vocabulary. Both go into a Hugging Face hub cache in the libraries' own layout (downloaded from a loopback Hub by
``huggingface_hub``, ``loopback_hub.fill_cache``), parquet files and a card declaring the configs, as the Hub serves
them; every card and config says it is a stand-in. Nothing here is, or pretends to be, the real data: a run on it
checks that the plan's code path loads and trains, never what the paper measured.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ml_intern.bench.loopback_hub import Files, fill_cache, parquet_bytes, saved_files
from ml_intern.run.fetch import Need

NOTICE = ("A STAND-IN written by ml-intern (ml_intern/bench/standins.py), not the real data set: the real one's "
          "configs, splits and features with generated rows, for running a plan where the Hub cannot be reached.")
WORDS = ("the a of to and in is was for on with as by at from that this it an be are were has had not but which "
         "model data time year city river house music paper light water people world small large early late new "
         "old first last long short high low good bad red green blue black white north south east west game team "
         "school market report family story night morning road bridge garden table window letter number system "
         "question answer energy value group field power sound image color result method change point reason").split()


@dataclass(frozen=True)
class Config:
    """One config of a data set: its features (``datasets.Features`` from a function: the library loads lazily),
    its splits with their stand-in row counts, the folder its files are in, and splits whose labels are hidden."""

    features: Callable[[], object]
    splits: dict[str, int]
    folder: str
    unlabelled: tuple[str, ...] = ()
    shards: int = 1  # files per split (the Hub's train-0000k-of-0000n.parquet)


@dataclass(frozen=True)
class DataSchema:
    configs: dict[str, Config]
    image_size: int = 32
    default: str | None = None  # the config loaded without a name (the Hub's "default: true")


def _class_label(names: list[str]):
    import datasets

    return datasets.ClassLabel(names=names)


def _features(**columns):
    import datasets

    def build():
        return datasets.Features({k: v() if callable(v) else v for k, v in columns.items()})
    return build


def _image():
    import datasets

    return datasets.Image()


def _string():
    import datasets

    return datasets.Value("string")


def _value(dtype: str):
    import datasets

    return lambda: datasets.Value(dtype)


def _list(inner):
    import datasets

    return lambda: datasets.List(inner())


def _translation(*languages: str):
    import datasets

    return lambda: datasets.Translation(languages=list(languages))


CIFAR10 = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
CIFAR100_FINE = (
    "apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly camel can castle "
    "caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup dinosaur dolphin elephant "
    "flatfish forest fox girl hamster house kangaroo keyboard lamp lawn_mower leopard lion lizard lobster man "
    "maple_tree motorcycle mountain mouse mushroom oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree "
    "plain plate poppy porcupine possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper "
    "snail snake spider squirrel streetcar sunflower sweet_pepper table tank telephone television tiger tractor train "
    "trout tulip turtle wardrobe whale willow_tree wolf woman worm").split()
CIFAR100_COARSE = (
    "aquatic_mammals fish flowers food_containers fruit_and_vegetables household_electrical_devices "
    "household_furniture insects large_carnivores large_man-made_outdoor_things large_natural_outdoor_scenes "
    "large_omnivores_and_herbivores medium_mammals non-insect_invertebrates people reptiles small_mammals trees "
    "vehicles_1 vehicles_2").split()
CONLL_NER = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
CONLL_POS = ['"', "''", "#", "$", "(", ")", ",", ".", ":", "``", "CC", "CD", "DT", "EX", "FW", "IN", "JJ", "JJR",
             "JJS", "LS", "MD", "NN", "NNP", "NNPS", "NNS", "NN|SYM", "PDT", "POS", "PRP", "PRP$", "RB", "RBR", "RBS",
             "RP", "SYM", "TO", "UH", "VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "WDT", "WP", "WP$", "WRB"]
CONLL_CHUNK = ["O", "B-ADJP", "I-ADJP", "B-ADVP", "I-ADVP", "B-CONJP", "I-CONJP", "B-INTJ", "I-INTJ", "B-LST",
               "I-LST", "B-NP", "I-NP", "B-PP", "I-PP", "B-PRT", "I-PRT", "B-SBAR", "I-SBAR", "B-UCP", "I-UCP",
               "B-VP", "I-VP"]
DIGITS = [str(d) for d in range(10)]
FASHION = ["T - shirt / top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
# ImageNet's 1,000 class names are not at hand offline: the stand-in keeps the 1,000 classes, numbered
IMAGENET = [f"stand-in class {i}" for i in range(1000)]
SPLITS = {"train": 240, "validation": 48, "test": 48}
IMAGE_SPLITS = {"train": 240, "test": 48}


def _glue(**columns) -> Config:
    return Config(_features(**columns, idx=_value("int32")), dict(SPLITS), "{config}", unlabelled=("test",))


def _pair(a: str, b: str, names: list[str]) -> Config:
    return _glue(**{a: _string, b: _string}, label=lambda: _class_label(names))


WMT = {pair: Config(_features(translation=_translation(*pair.split("-"))), dict(SPLITS), "{config}", shards=2)
       for pair in ("cs-en", "de-en", "fr-en", "hi-en", "ru-en")}

# Hub id -> the real data set's configs, splits and features (as its card declares them)
DATASETS: dict[str, DataSchema] = {
    "uoft-cs/cifar10": DataSchema({"plain_text": Config(
        _features(img=_image, label=lambda: _class_label(CIFAR10)), dict(IMAGE_SPLITS), "plain_text")},
        default="plain_text"),
    "uoft-cs/cifar100": DataSchema({"plain_text": Config(
        _features(img=_image, fine_label=lambda: _class_label(CIFAR100_FINE),
                  coarse_label=lambda: _class_label(CIFAR100_COARSE)), dict(IMAGE_SPLITS), "plain_text")},
        default="plain_text"),
    "ufldl-stanford/svhn": DataSchema({
        "cropped_digits": Config(_features(image=_image, label=lambda: _class_label(DIGITS)),
                                 {"train": 240, "test": 48, "extra": 48}, "cropped_digits"),
        "full_numbers": Config(_features(image=_image, digits=lambda: {
            "bbox": _list(_list(_value("int32")))(), "label": _list(lambda: _class_label(DIGITS))()}),
            {"train": 48, "test": 48, "extra": 48}, "full_numbers")}),
    "ILSVRC/imagenet-1k": DataSchema({"default": Config(
        _features(image=_image, label=lambda: _class_label(IMAGENET)),
        {"train": 240, "validation": 48, "test": 48}, "data", unlabelled=("test",), shards=2)},
        image_size=64, default="default"),
    "wmt/wmt14": DataSchema(WMT),
    "nyu-mll/glue": DataSchema({
        "cola": _glue(sentence=_string, label=lambda: _class_label(["unacceptable", "acceptable"])),
        "sst2": _glue(sentence=_string, label=lambda: _class_label(["negative", "positive"])),
        "mrpc": _pair("sentence1", "sentence2", ["not_equivalent", "equivalent"]),
        "qqp": _pair("question1", "question2", ["not_duplicate", "duplicate"]),
        "stsb": _glue(sentence1=_string, sentence2=_string, label=_value("float32")),
        "mnli": Config(_features(premise=_string, hypothesis=_string,
                                 label=lambda: _class_label(["entailment", "neutral", "contradiction"]),
                                 idx=_value("int32")),
                       {"train": 240, "validation_matched": 48, "validation_mismatched": 48, "test_matched": 48,
                        "test_mismatched": 48}, "mnli", unlabelled=("test_matched", "test_mismatched")),
        "qnli": _pair("question", "sentence", ["entailment", "not_entailment"]),
        "rte": _pair("sentence1", "sentence2", ["entailment", "not_entailment"]),
        "wnli": _pair("sentence1", "sentence2", ["not_entailment", "entailment"])}),
    "stanfordnlp/sst2": DataSchema({"default": Config(
        _features(idx=_value("int32"), sentence=_string, label=lambda: _class_label(["negative", "positive"])),
        dict(SPLITS), "data", unlabelled=("test",))}, default="default"),
    "stanfordnlp/imdb": DataSchema({"plain_text": Config(
        _features(text=_string, label=lambda: _class_label(["neg", "pos"])),
        {"train": 240, "test": 48, "unsupervised": 48}, "plain_text", unlabelled=("unsupervised",))},
        default="plain_text"),
    "eriktks/conll2003": DataSchema({"conll2003": Config(
        _features(id=_string, tokens=_list(_string), pos_tags=_list(lambda: _class_label(CONLL_POS)),
                  chunk_tags=_list(lambda: _class_label(CONLL_CHUNK)), ner_tags=_list(lambda: _class_label(CONLL_NER))),
        dict(SPLITS), "conll2003")}, default="conll2003"),
    "rajpurkar/squad": DataSchema({"plain_text": Config(
        _features(id=_string, title=_string, context=_string, question=_string,
                  answers=lambda: {"text": _list(_string)(), "answer_start": _list(_value("int32"))()}),
        {"train": 240, "validation": 48}, "plain_text")}, default="plain_text"),
    "Salesforce/wikitext": DataSchema({name: Config(_features(text=_string), dict(SPLITS), name) for name in (
        "wikitext-103-raw-v1", "wikitext-103-v1", "wikitext-2-raw-v1", "wikitext-2-v1")}),
    "ylecun/mnist": DataSchema({"mnist": Config(_features(image=_image, label=lambda: _class_label(DIGITS)),
                                                dict(IMAGE_SPLITS), "mnist")}, image_size=28, default="mnist"),
    "zalando-datasets/fashion_mnist": DataSchema({"fashion_mnist": Config(
        _features(image=_image, label=lambda: _class_label(FASHION)), dict(IMAGE_SPLITS), "fashion_mnist")},
        image_size=28, default="fashion_mnist"),
    "fancyzhx/ag_news": DataSchema({"default": Config(
        _features(text=_string, label=lambda: _class_label(["World", "Sports", "Business", "Sci/Tech"])),
        {"train": 240, "test": 48}, "data")}, default="default"),
    "stanfordnlp/snli": DataSchema({"plain_text": Config(
        _features(premise=_string, hypothesis=_string,
                  label=lambda: _class_label(["entailment", "neutral", "contradiction"])), dict(SPLITS),
        "plain_text")}, default="plain_text"),
    "roneneldan/TinyStories": DataSchema({"default": Config(_features(text=_string), {"train": 240, "validation": 48},
                                                            "data")}, default="default"),
    "openai/gsm8k": DataSchema({name: Config(_features(question=_string, answer=_string), {"train": 240, "test": 48},
                                             name) for name in ("main", "socratic")}),
    "EdinburghNLP/xsum": DataSchema({"default": Config(_features(document=_string, summary=_string, id=_string),
                                                       dict(SPLITS), "data")}, default="default"),
    "Skylion007/openwebtext": DataSchema({"plain_text": Config(_features(text=_string), {"train": 240},
                                                              "plain_text")}, default="plain_text"),
    # (its nested columns detoxify, emojis and labels are left out of the stand-in)
    "OpenAssistant/oasst1": DataSchema({"default": Config(_features(
        message_id=_string, parent_id=_string, user_id=_string, created_date=_string, text=_string, role=_string,
        lang=_string, review_count=_value("int32"), review_result=_value("bool"), deleted=_value("bool"),
        rank=_value("int32"), synthetic=_value("bool"), model_name=_string, message_tree_id=_string,
        tree_state=_string), {"train": 240, "validation": 48}, "data")}, default="default"),
    "abisee/cnn_dailymail": DataSchema({name: Config(_features(article=_string, highlights=_string, id=_string),
                                                     dict(SPLITS), name) for name in ("1.0.0", "2.0.0", "3.0.0")}),
}


class NoStandIn(LookupError):
    """No stand-in is known for this Hub id (add its schema to ``DATASETS`` or ``MODELS``)."""


# ---------------------------------------------------------------- rows

def _sentence(rng: random.Random, low: int = 5, high: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _cipher(text: str, lang: str) -> str:
    """A fixed, learnable "translation" of stand-in text into a made-up language (tagged by the language code)."""
    return " ".join(w[::-1] + lang[0] for w in text.split())


def _image_bytes(label: int | None, size: int, rng: random.Random) -> bytes:
    import numpy as np
    from PIL import Image

    hue = np.array([(label or 0) * 37 % 256, (label or 0) * 91 % 256, (label or 0) * 53 % 256], dtype=np.float32)
    pixels = np.clip(hue + np.asarray(rng.choices(range(-40, 41), k=size * size * 3), dtype=np.float32)
                     .reshape(size, size, 3), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def _rows(features, n: int, labelled: bool, image_size: int, seed: int) -> list[dict]:
    """``n`` generated rows of ``features`` (labels -1 where the split hides them, as GLUE's test splits do)."""
    import datasets

    rng = random.Random(seed)
    rows = []
    for i in range(n):
        row: dict = {}
        labels = {k: (rng.randrange(f.num_classes) if labelled else -1) for k, f in features.items()
                  if isinstance(f, datasets.ClassLabel)}
        tokens = _sentence(rng).split()
        for name, feature in features.items():
            if name in labels:
                row[name] = labels[name]
            elif isinstance(feature, datasets.Image):
                label = next(iter(labels.values()), None)
                row[name] = {"bytes": _image_bytes(label if label != -1 else None, image_size, rng), "path": None}
            elif isinstance(feature, datasets.Translation):
                source = _sentence(rng)
                row[name] = {lang: (source if lang == "en" else _cipher(source, lang)) for lang in feature.languages}
            elif isinstance(feature, datasets.List) and name == "tokens":
                row[name] = tokens
            elif isinstance(feature, datasets.List) and isinstance(feature.feature, datasets.ClassLabel):
                row[name] = [rng.randrange(feature.feature.num_classes) for _ in tokens]
            elif isinstance(feature, dict) and "answer_start" in feature:
                context = row.get("context", "")
                start = context.find(" ") + 1
                row[name] = {"text": [context[start:].split(" ")[0]], "answer_start": [start]}
            elif isinstance(feature, dict) and "bbox" in feature:
                row[name] = {"bbox": [[1, 1, 8, 8]], "label": [rng.randrange(10)]}
            elif isinstance(feature, datasets.Value) and feature.dtype == "bool":
                row[name] = False
            elif isinstance(feature, datasets.Value) and feature.dtype.startswith("int"):
                row[name] = i
            elif isinstance(feature, datasets.Value) and feature.dtype.startswith("float"):
                row[name] = round(rng.uniform(0, 5), 2) if labelled else -1.0
            elif name in ("id", "title"):
                row[name] = f"stand-in {i}"
            else:
                long = name in ("context", "article", "text", "document")
                row[name] = _sentence(rng, 20, 60) if long else _sentence(rng)
        rows.append(row)
    return rows


def dataset_files(repo: str, seed: int = 0) -> Files:
    """The files of the stand-in for the Hub data set ``repo``: a card declaring its configs (with their features)
    and a parquet file per split (or several, as the Hub shards large splits) for each config."""
    schema = DATASETS.get(repo)
    if schema is None:
        raise NoStandIn(f"no stand-in for the data set {repo} (known: {', '.join(sorted(DATASETS))})")
    files: Files = {}
    infos, configs = [], []
    for c, (name, config) in enumerate(schema.configs.items()):
        features = config.features()
        folder = config.folder.format(config=name)
        data_files, splits = [], []
        for s, (split, n) in enumerate(config.splits.items()):
            rows = _rows(features, n, split not in config.unlabelled, schema.image_size, seed * 1000 + c * 10 + s)
            shards = config.shards if split == "train" else 1
            size = 0
            for k in range(shards):
                part = rows[k * len(rows) // shards: (k + 1) * len(rows) // shards]
                files[f"{folder}/{split}-{k:05d}-of-{shards:05d}.parquet"] = parquet_bytes(part, features)
                size += len(files[f"{folder}/{split}-{k:05d}-of-{shards:05d}.parquet"])
            data_files.append({"split": split, "path": f"{folder}/{split}-*"})
            splits.append({"name": split, "num_bytes": size, "num_examples": n})
        infos.append({"config_name": name, "features": features._to_yaml_list(), "splits": splits})
        configs.append({"config_name": name, "data_files": data_files, **({"default": True} if name == schema.default
                                                                          else {})})
    card = {"dataset_info": infos, "configs": configs, "tags": ["ml-intern-stand-in"]}
    files["README.md"] = ("---\n" + yaml.safe_dump(card, sort_keys=False) + f"---\n# Stand-in for {repo}\n\n{NOTICE}\n"
                          ).encode()
    return files


# ---------------------------------------------------------------- checkpoints

@dataclass(frozen=True)
class ModelSchema:
    """A checkpoint's architecture (``model_type``), the class saved, tiny sizes, and what reads its input."""

    model_type: str
    auto_class: str
    sizes: dict = field(default_factory=dict)
    tokenizer: str | None = None  # wordpiece | unigram | bpe; None: an image processor
    cased: bool = False
    specials: dict[str, str] = field(default_factory=dict)  # a BPE tokenizer's special tokens (else GPT-2's one)


_BERT = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64,
         "max_position_embeddings": 512}
_DECODER = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 2,
            "intermediate_size": 64, "max_position_embeddings": 2048, "tie_word_embeddings": True}
MODELS: dict[str, ModelSchema] = {
    "google-bert/bert-base-uncased": ModelSchema("bert", "AutoModelForMaskedLM", _BERT, "wordpiece"),
    "google-bert/bert-base-cased": ModelSchema("bert", "AutoModelForMaskedLM", _BERT, "wordpiece", cased=True),
    "google-bert/bert-large-uncased": ModelSchema("bert", "AutoModelForMaskedLM", _BERT, "wordpiece"),
    "distilbert/distilbert-base-uncased": ModelSchema("distilbert", "AutoModelForMaskedLM",
                                                      {"dim": 32, "n_layers": 2, "n_heads": 2, "hidden_dim": 64},
                                                      "wordpiece"),
    "sentence-transformers/all-MiniLM-L6-v2": ModelSchema("bert", "AutoModel", _BERT, "wordpiece"),
    "google-t5/t5-small": ModelSchema("t5", "AutoModelForSeq2SeqLM", {"d_model": 32, "num_layers": 2,
                                      "num_decoder_layers": 2, "num_heads": 2, "d_kv": 16, "d_ff": 64}, "unigram"),
    "google-t5/t5-base": ModelSchema("t5", "AutoModelForSeq2SeqLM", {"d_model": 32, "num_layers": 2,
                                     "num_decoder_layers": 2, "num_heads": 2, "d_kv": 16, "d_ff": 64}, "unigram"),
    "HuggingFaceTB/SmolLM2-135M": ModelSchema("llama", "AutoModelForCausalLM", _DECODER, "bpe"),
    "meta-llama/Llama-3.2-1B": ModelSchema("llama", "AutoModelForCausalLM", _DECODER, "bpe"),
    "Qwen/Qwen2.5-0.5B": ModelSchema("qwen2", "AutoModelForCausalLM", _DECODER, "bpe"),
    "xlnet/xlnet-large-cased": ModelSchema("xlnet", "AutoModel", {"d_model": 32, "n_layer": 2, "n_head": 2,
                                                                  "d_inner": 64}, "unigram", cased=True),
    "xlnet/xlnet-base-cased": ModelSchema("xlnet", "AutoModel", {"d_model": 32, "n_layer": 2, "n_head": 2,
                                                                 "d_inner": 64}, "unigram", cased=True),
    "openai-community/openai-gpt": ModelSchema("openai-gpt", "AutoModelForCausalLM", {
        "n_embd": 32, "n_layer": 2, "n_head": 2, "n_positions": 512}, "bpe", specials={"unk_token": "<unk>"}),
    "openai-community/gpt2": ModelSchema("gpt2", "AutoModelForCausalLM", {"n_embd": 32, "n_layer": 2, "n_head": 2},
                                         "bpe"),
    "facebook/bart-base": ModelSchema("bart", "AutoModelForSeq2SeqLM", {
        "d_model": 32, "encoder_layers": 2, "decoder_layers": 2, "encoder_attention_heads": 2,
        "decoder_attention_heads": 2, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64, "max_position_embeddings": 256},
        "bpe", specials={"bos_token": "<s>", "pad_token": "<pad>", "eos_token": "</s>", "unk_token": "<unk>",
                         "mask_token": "<mask>"}),
    "microsoft/resnet-50": ModelSchema("resnet", "AutoModelForImageClassification",
                                       {"embedding_size": 8, "hidden_sizes": [8, 16, 32, 64], "depths": [1, 1, 1, 1]}),
    "google/vit-base-patch16-224-in21k": ModelSchema("vit", "AutoModel", {"hidden_size": 32, "num_hidden_layers": 2,
                                                     "num_attention_heads": 2, "intermediate_size": 64,
                                                     "image_size": 64, "patch_size": 16}),
}
SPECIALS = {"wordpiece": ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], "unigram": ["<pad>", "</s>", "<unk>"],
            "bpe": ["<|endoftext|>"]}


def _vocabulary(cased: bool) -> list[str]:
    """Every word the stand-in rows hold (their ciphered "translations" too), in both cases where cased."""
    words = set(WORDS) | {_cipher(w, lang) for w in WORDS for lang in ("de", "fr", "cs", "hi", "ru")}
    words |= {w.capitalize() for w in words} if cased else set()
    chars = {ch for w in words for ch in w}
    return sorted(words | chars)


def _tokenizer(schema: ModelSchema):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import BertTokenizer, PreTrainedTokenizerFast, T5Tokenizer

    words = _vocabulary(schema.cased)
    if schema.tokenizer == "wordpiece":
        vocab = SPECIALS["wordpiece"] + words + [f"##{ch}" for ch in sorted({c for w in words for c in w})]
        return BertTokenizer(vocab={t: i for i, t in enumerate(vocab)}, do_lower_case=not schema.cased)
    if schema.tokenizer == "unigram":
        pieces = [(t, 0.0) for t in SPECIALS["unigram"]] + [("▁" + w, -1.0) for w in words] + \
                 [(ch, -5.0) for ch in sorted({c for w in words for c in w})] + [("▁", -2.0)]
        return T5Tokenizer(vocab=pieces, extra_ids=0)
    bpe = Tokenizer(models.BPE())  # byte level, as GPT-2's and Llama 3's
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    end = SPECIALS["bpe"][0]
    specials = schema.specials or {"bos_token": end, "eos_token": end, "unk_token": end}
    bpe.train_from_iterator([" ".join(words)] * 4, trainers.BpeTrainer(
        vocab_size=600, special_tokens=list(dict.fromkeys(specials.values())),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return PreTrainedTokenizerFast(tokenizer_object=bpe, **specials)


def model_files(repo: str, seed: int = 0) -> Files:
    """The files of the stand-in for the checkpoint ``repo``: its architecture, tiny and randomly initialised
    (safetensors and config), with a tokenizer or image processor of its kind, and a card saying it is a stand-in."""
    import torch
    import transformers

    schema = MODELS.get(repo)
    if schema is None:
        raise NoStandIn(f"no stand-in for the model {repo} (known: {', '.join(sorted(MODELS))})")
    torch.manual_seed(seed)
    files: Files = {}
    sizes = dict(schema.sizes)
    if schema.tokenizer:
        tokenizer = _tokenizer(schema)
        sizes["vocab_size"] = len(tokenizer)
        for key in ("pad_token_id", "eos_token_id", "bos_token_id"):
            if getattr(tokenizer, key, None) is not None:
                sizes[key] = getattr(tokenizer, key)
        if schema.model_type == "t5":
            sizes["decoder_start_token_id"] = tokenizer.pad_token_id
        elif schema.model_type == "bart":
            sizes["decoder_start_token_id"] = tokenizer.eos_token_id
        files.update(saved_files(tokenizer.save_pretrained))
    else:
        processor = {"resnet": transformers.ConvNextImageProcessor, "vit": transformers.ViTImageProcessor}[
            schema.model_type](size={"height": 64, "width": 64} if schema.model_type == "vit" else
                               {"shortest_edge": 64})
        files.update(saved_files(processor.save_pretrained))
    config = transformers.AutoConfig.for_model(schema.model_type, **sizes)
    model = getattr(transformers, schema.auto_class).from_config(config)
    files.update(saved_files(lambda folder: model.save_pretrained(folder, safe_serialization=True)))
    files["README.md"] = (f"---\ntags:\n- ml-intern-stand-in\n---\n# Stand-in for {repo}\n\nA STAND-IN written by "
                          f"ml-intern: the {schema.model_type} architecture, tiny and randomly initialised, not the "
                          "real checkpoint's weights or sizes.\n").encode()
    return files


def build(wanted: list[Need], cache: Path) -> list[str]:
    """Write the stand-ins of what ``wanted`` names into the hub cache ``cache`` (the real layout); return the ids
    written. A Hub id no stand-in exists for raises ``NoStandIn``."""
    repos: dict[tuple[str, str], Files] = {}
    for need in wanted:
        if (need.repo_type, need.repo) not in repos:
            repos[(need.repo_type, need.repo)] = (dataset_files(need.repo) if need.repo_type == "dataset"
                                                  else model_files(need.repo))
    fill_cache(repos, Path(cache))
    return [f"{kind} {repo}" for kind, repo in repos]
