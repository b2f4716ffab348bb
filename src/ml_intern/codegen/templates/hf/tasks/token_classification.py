"""Task: token classification (named-entity recognition, tagging), fine-tuning a pretrained encoder.

Words come as lists (``tokens``) with one tag each (``ner_tags``, ids of a ClassLabel or the tag strings); the
first sub-word of each word carries its tag, the others are ignored in the loss. Metric: entity-level F1
(seqeval), with token accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

import sources

NAME = "token-classification"
METRIC = "f1"


@dataclass
class TaskConfig:
    dataset: str = "hub:eriktks/conll2003"
    tokens_column: str = "tokens"
    tags_column: str = "ner_tags"
    model: str = "google-bert/bert-base-cased"
    max_length: int = 128
    num_labels: int = 0  # 0: count the tags in the data
    dropout: float = -1.0  # every dropout of the model's config; -1: the model's own
    validation_fraction: float = 0.1
    test_fraction: float = 0.1
    max_train_examples: int = 0


@dataclass
class Data(sources.Splits):
    tokenizer: object
    labels: list


def load_data(cfg: TaskConfig, seed: int, smoke_examples: int | None) -> Data:
    import datasets
    from transformers import AutoTokenizer, DataCollatorForTokenClassification

    train, val, test = sources.splits(cfg, seed, smoke_examples)
    feature = train.features[cfg.tags_column]
    names = getattr(getattr(feature, "feature", None), "names", None)
    labels = list(names) if names else sorted({t for ds in (train, val, test) for tags in ds[cfg.tags_column]
                                               for t in tags})
    index = {name: i for i, name in enumerate(labels)}
    tokenizer = AutoTokenizer.from_pretrained(sources.model_path(cfg.model))

    def encode(ds):
        enc = tokenizer(list(ds[cfg.tokens_column]), is_split_into_words=True, truncation=True, max_length=cfg.max_length)
        all_labels = []
        for i, tags in enumerate(ds[cfg.tags_column]):
            ids = tags if names else [index[t] for t in tags]
            previous, row = None, []
            for word in enc.word_ids(i):
                row.append(-100 if word is None or word == previous else ids[word])
                previous = word
            all_labels.append(row)
        enc["labels"] = all_labels
        return datasets.Dataset.from_dict(dict(enc))

    return Data(*(encode(ds) for ds in (train, val, test)),
                collate=DataCollatorForTokenClassification(tokenizer, return_tensors="pt"), tokenizer=tokenizer,
                labels=labels, fingerprint=sources.fingerprint(train, val, test))


def build_model(cfg: TaskConfig, data: Data):
    from transformers import AutoModelForTokenClassification

    n = cfg.num_labels or len(data.labels)
    names = dict(enumerate(data.labels)) if len(data.labels) == n else None
    kwargs = {"num_labels": n, **({"id2label": names, "label2id": {v: k for k, v in names.items()}} if names else {}),
              **sources.dropout_kwargs(cfg.model, cfg.dropout)}
    return AutoModelForTokenClassification.from_pretrained(sources.model_path(cfg.model), **kwargs)


def evaluate(model, batches, to_device, autocast, data: Data) -> dict:
    from seqeval.metrics import f1_score

    loss_sum, n, gold, predicted, right, tokens = 0.0, 0, [], [], 0, 0
    for batch, out in sources.outputs(model, batches, to_device, autocast):
        loss_sum += float(out.loss) * len(batch["labels"])
        n += len(batch["labels"])
        for labels, guesses in zip(batch["labels"].tolist(), out.logits.argmax(-1).tolist()):
            pairs = [(data.labels[g], data.labels[p]) for g, p in zip(labels, guesses) if g != -100]
            gold.append([g for g, _ in pairs])
            predicted.append([p for _, p in pairs])
            right += sum(g == p for g, p in pairs)
            tokens += len(pairs)
    return {"loss": loss_sum / max(n, 1), "f1": float(f1_score(gold, predicted)) if tokens else 0.0,
            "accuracy": right / max(tokens, 1)}


def save(model, data: Data, folder) -> None:
    model.save_pretrained(folder, safe_serialization=True)
    data.tokenizer.save_pretrained(folder)
