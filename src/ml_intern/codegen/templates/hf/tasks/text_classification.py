"""Task: text classification (single sentences or pairs, as GLUE), fine-tuning a pretrained encoder.

Metric: accuracy (and macro F1). The model is ``AutoModelForSequenceClassification`` from ``model`` (a Hub id, a
folder, or ``pkg:PACKAGE``) with a new classification head; SDPA attention where the architecture has it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sources

NAME = "text-classification"
METRIC = "accuracy"


@dataclass
class TaskConfig:
    dataset: str = "hub:stanfordnlp/sst2"
    text_column: str = ""  # empty: the first of text, sentence, sentence1, question
    text_pair_column: str = ""  # empty: sentence2 / question2 / hypothesis when present
    label_column: str = "label"
    model: str = "google-bert/bert-base-uncased"
    max_length: int = 128
    num_labels: int = 0  # 0: count the labels in the data
    dropout: float = -1.0  # every dropout of the model's config; -1: the model's own
    validation_fraction: float = 0.1
    test_fraction: float = 0.1
    max_train_examples: int = 0  # 0: all


@dataclass
class Data(sources.Splits):
    tokenizer: object
    labels: list


def _column(ds, wanted: str, candidates: tuple[str, ...]) -> str:
    if wanted:
        return wanted
    found = next((c for c in candidates if c in ds.column_names), None)
    if found is None:
        raise SystemExit(f"no text column among {ds.column_names}: set text_column in config.yaml")
    return found


def load_data(cfg: TaskConfig, seed: int, smoke_examples: int | None) -> Data:
    from transformers import AutoTokenizer, DataCollatorWithPadding

    def labelled(ds) -> bool:  # GLUE's test splits hold -1 for every label
        values = ds[cfg.label_column]
        return len(ds) > 0 and not all(isinstance(v, int) and v < 0 for v in values)

    train, val, test = sources.splits(cfg, seed, smoke_examples, labelled)
    # rows without a gold label (-1: SNLI's no-consensus pairs) cannot be trained or scored on
    train, val, test = (ds.filter(lambda row: not (isinstance(row[cfg.label_column], int)
                                                   and row[cfg.label_column] < 0)) for ds in (train, val, test))
    text = _column(train, cfg.text_column, ("text", "sentence1", "question1", "question", "premise", "sentence"))
    pair = cfg.text_pair_column or next((c for c in ("sentence2", "question2", "hypothesis", "sentence")
                                         if c in train.column_names and c != text), "")
    names = getattr(train.features[cfg.label_column], "names", None)
    labels = list(names) if names else sorted({str(v) for ds in (train, val, test) for v in ds[cfg.label_column]})
    index = {str(name): i for i, name in enumerate(labels)}
    tokenizer = AutoTokenizer.from_pretrained(sources.model_path(cfg.model))
    if tokenizer.pad_token is None:  # a decoder (GPT-1) has none: batches pad with its end or unknown token, and the
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token  # model reads the last token before them

    def encode(batch):
        enc = tokenizer(batch[text], batch[pair] if pair else None, truncation=True, max_length=cfg.max_length)
        # (a pair: GLUE's QNLI question + sentence, QQP question1 + question2, MNLI premise + hypothesis)
        values = batch[cfg.label_column]
        enc["labels"] = values if names else [index[str(v)] for v in values]
        return enc

    columns = train.column_names
    encoded = [ds.map(encode, batched=True, remove_columns=columns) for ds in (train, val, test)]
    return Data(*encoded, collate=DataCollatorWithPadding(tokenizer, return_tensors="pt"), tokenizer=tokenizer,
                labels=labels, fingerprint=sources.fingerprint(train, val, test))


def build_model(cfg: TaskConfig, data: Data):
    from transformers import AutoModelForSequenceClassification

    num_labels = cfg.num_labels or len(data.labels)
    kwargs = dict(num_labels=num_labels, id2label=dict(enumerate(map(str, data.labels))) if len(data.labels) ==
                  num_labels else None)
    kwargs = {**{k: v for k, v in kwargs.items() if v is not None}, **sources.dropout_kwargs(cfg.model, cfg.dropout)}
    if getattr(data, "tokenizer", None) is not None and data.tokenizer.pad_token_id is not None:
        kwargs["pad_token_id"] = data.tokenizer.pad_token_id  # (a decoder's head finds each row's last token by it)
    try:
        return AutoModelForSequenceClassification.from_pretrained(sources.model_path(cfg.model),
                                                                  attn_implementation="sdpa", **kwargs)
    except (ValueError, ImportError):  # an architecture without SDPA support
        return AutoModelForSequenceClassification.from_pretrained(sources.model_path(cfg.model), **kwargs)


def evaluate(model, batches, to_device, autocast, data: Data) -> dict:
    from sklearn.metrics import f1_score

    loss_sum, n, predictions, gold = 0.0, 0, [], []
    for batch, out in sources.outputs(model, batches, to_device, autocast):
        size = len(batch["labels"])
        loss_sum += float(out.loss) * size
        n += size
        predictions += out.logits.argmax(-1).tolist()
        gold += batch["labels"].tolist()
    correct = sum(int(p == g) for p, g in zip(predictions, gold))
    return {"loss": loss_sum / max(n, 1), "accuracy": correct / max(n, 1),
            "f1": float(f1_score(gold, predictions, average="macro")) if n else 0.0}


def save(model, data: Data, folder) -> None:
    model.save_pretrained(folder, safe_serialization=True)
    data.tokenizer.save_pretrained(folder)

