"""Task: token classification (named-entity recognition, tagging): fine-tuning a pretrained encoder (``model``: a
Hub id, folder or ``pkg:PACKAGE``), or, with ``model`` empty, a tagger built here in plain PyTorch (no library
provides one): ``model_type: bilstm-crf``, the BiLSTM-CRF of Huang et al. (2015) and Lample et al. (2016), word
embeddings, a bidirectional LSTM, a linear layer of tag scores per word and a linear-chain CRF over them (trained on
the sentence's negative log-likelihood, the forward algorithm; predicting by Viterbi decoding); ``bilstm``: the same
network with a softmax per word in place of the CRF.

Words come as lists (``tokens``) with one tag each (``ner_tags``, ids of a ClassLabel or the tag strings). A
pretrained encoder's first sub-word of each word carries its tag, the others are ignored in the loss. The tagger's
words are ids of a word-level vocabulary built from the training split (``sources.train_words``: a transformers fast
tokenizer, so the alignment of tags to words is the same code, and it saves beside the model). Metric: entity-level
F1 (seqeval), with token accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import torch
from torch import nn

import sources

NAME = "token-classification"
METRIC = "f1"
TAGGERS = ("bilstm-crf", "bilstm")


@dataclass
class TaskConfig:
    dataset: str = "hub:eriktks/conll2003"
    tokens_column: str = "tokens"
    tags_column: str = "ner_tags"
    model: str = "google-bert/bert-base-cased"  # a pretrained encoder to fine-tune; empty: build `model_type`
    model_type: str = "bilstm-crf"  # with `model` empty: bilstm-crf | bilstm
    max_length: int = 128  # tokens (a pretrained encoder's sub-words; the tagger's words)
    num_labels: int = 0  # 0: count the tags in the data
    dropout: float = -1.0  # every dropout of a pretrained model's config (-1: its own); the tagger's (-1: 0.5)
    embedding_dim: int = 100  # the tagger's word embeddings
    hidden_size: int = 100  # the tagger's LSTM units in each direction
    num_layers: int = 1  # the tagger's stacked bidirectional LSTM layers
    min_word_frequency: int = 2  # the tagger's vocabulary: rarer training words are [UNK] (so [UNK] is trained)
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
    if cfg.model:
        tokenizer = AutoTokenizer.from_pretrained(sources.model_path(cfg.model))
    elif cfg.model_type in TAGGERS:
        tokenizer = sources.train_words(train[cfg.tokens_column], cfg.min_word_frequency)
    else:
        raise SystemExit(f"model_type {cfg.model_type!r}: with no pretrained model, use {' or '.join(TAGGERS)}")

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


class Output(NamedTuple):  # (a named tuple: FSDP finds the tensors in it to hook the backward pass)
    loss: torch.Tensor | None
    logits: torch.Tensor  # the tag scores of each token (the CRF's emissions)
    predictions: torch.Tensor | None = None  # the CRF's Viterbi tags (evaluation only)


class CRF(nn.Module):
    """A linear-chain conditional random field over ``num_tags`` tags: a score for starting in each tag, for moving
    from each tag to each, for ending in each. A path's score is those plus the emissions of its tags; training
    minimises the path's negative log-likelihood against all paths (the forward algorithm, in log space), prediction is
    the best path (Viterbi). Sequences are the first ``mask.sum(1)`` positions of each row."""

    def __init__(self, num_tags: int):
        super().__init__()
        self.start = nn.Parameter(torch.empty(num_tags).uniform_(-0.1, 0.1))
        self.end = nn.Parameter(torch.empty(num_tags).uniform_(-0.1, 0.1))
        self.transitions = nn.Parameter(torch.empty(num_tags, num_tags).uniform_(-0.1, 0.1))  # [from, to]

    def score(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The score of each row's path ``tags`` (batch,)."""
        tags = tags.masked_fill(~mask, 0)
        on = mask.to(emissions.dtype)
        emitted = (emissions.gather(-1, tags.unsqueeze(-1)).squeeze(-1) * on).sum(1)
        moved = (self.transitions[tags[:, :-1], tags[:, 1:]] * on[:, 1:]).sum(1)
        last = tags.gather(1, (mask.sum(1) - 1).clamp(min=0).unsqueeze(1)).squeeze(1)
        return self.start[tags[:, 0]] + emitted + moved + self.end[last]

    def log_partition(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """log of the sum over every path of exp(its score) (batch,): the forward algorithm."""
        alpha = self.start + emissions[:, 0]
        for t in range(1, emissions.shape[1]):
            step = torch.logsumexp(alpha.unsqueeze(2) + self.transitions + emissions[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, t:t + 1], step, alpha)  # (past a row's end its sum stays)
        return torch.logsumexp(alpha + self.end, dim=1)

    @torch.compiler.disable  # (a loop over positions of varying length: compiled, it would recompile per length)
    def nll(self, emissions: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Each row's negative log-likelihood of its tags (batch,); 0 for a row with no positions."""
        emissions = emissions.float()
        return (self.log_partition(emissions, mask) - self.score(emissions, tags, mask)) * mask[:, 0]

    @torch.compiler.disable
    def decode(self, emissions: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The best path of each row (batch, length): Viterbi; positions past a row's end repeat its last tag."""
        emissions = emissions.float()
        best = self.start + emissions[:, 0]
        back = []
        for t in range(1, emissions.shape[1]):
            scores, came_from = (best.unsqueeze(2) + self.transitions).max(dim=1)
            best = torch.where(mask[:, t:t + 1], scores + emissions[:, t], best)
            back.append(came_from)
        tag = (best + self.end).argmax(dim=1)
        path = [tag]
        for t in range(emissions.shape[1] - 1, 0, -1):
            tag = torch.where(mask[:, t], back[t - 1].gather(1, tag.unsqueeze(1)).squeeze(1), tag)
            path.append(tag)
        return torch.stack(path[::-1], dim=1)


class BiLSTMTagger(nn.Module):
    """Word embeddings, dropout, a bidirectional LSTM of ``hidden_size`` units each way (``num_layers`` stacked),
    dropout, a linear layer to each tag's score, then a CRF over the sentence's words (``crf``) or a softmax per word.
    The words are the positions that carry a tag (a word's first token); the CRF runs over them in order."""

    def __init__(self, vocab_size: int, num_tags: int, embedding_dim: int = 100, hidden_size: int = 100,
                 num_layers: int = 1, dropout: float = 0.5, crf: bool = True, pad_id: int = 0):
        super().__init__()
        self.model_type = "bilstm-crf" if crf else "bilstm"
        self.settings = {"vocab_size": vocab_size, "num_tags": num_tags, "embedding_dim": embedding_dim,
                         "hidden_size": hidden_size, "num_layers": num_layers, "dropout": dropout, "pad_id": pad_id}
        self.pad_id = pad_id
        self.embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_id)
        self.dropout = nn.Dropout(dropout)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers, batch_first=True, bidirectional=True,
                            dropout=dropout if num_layers > 1 else 0.0)
        self.emissions = nn.Linear(2 * hidden_size, num_tags)
        self.crf = CRF(num_tags) if crf else None

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                labels: torch.Tensor | None = None, **_) -> Output:
        mask = attention_mask.bool() if attention_mask is not None else input_ids != self.pad_id
        lengths = mask.sum(1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.dropout(self.embeddings(input_ids)), lengths, batch_first=True,
                                                   enforce_sorted=False)  # (padding is on the right)
        hidden, _ = nn.utils.rnn.pad_packed_sequence(self.lstm(packed)[0], batch_first=True,
                                                     total_length=input_ids.shape[1])
        scores = self.emissions(self.dropout(hidden)).float()
        if self.crf is None:
            loss = None if labels is None else nn.functional.cross_entropy(scores.flatten(0, 1), labels.flatten(),
                                                                           ignore_index=-100)
            return Output(loss, scores)
        words = labels != -100 if labels is not None else mask
        order = torch.sort((~words).int(), dim=1, stable=True).indices  # each row's words first, in order
        in_order = words.gather(1, order)
        emissions = scores.gather(1, order.unsqueeze(-1).expand_as(scores))
        loss = None
        if labels is not None:
            loss = self.crf.nll(emissions, labels.gather(1, order), in_order).mean()
        predictions = None
        if not self.training:  # the best path, put back at the words' own positions
            predictions = torch.zeros_like(input_ids).scatter_(1, order, self.crf.decode(emissions, in_order))
        return Output(loss, scores, predictions)

    def save_pretrained(self, folder, safe_serialization: bool = True) -> None:
        sources.save_weights(self, folder, {"model_type": self.model_type, **self.settings})


def build_model(cfg: TaskConfig, data: Data):
    n = cfg.num_labels or len(data.labels)
    if not cfg.model:
        return BiLSTMTagger(len(data.tokenizer), n, cfg.embedding_dim, cfg.hidden_size, cfg.num_layers,
                            cfg.dropout if cfg.dropout >= 0 else 0.5, crf=cfg.model_type == "bilstm-crf",
                            pad_id=data.tokenizer.pad_token_id)
    from transformers import AutoModelForTokenClassification

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
        guessed = getattr(out, "predictions", None)
        for labels, guesses in zip(batch["labels"].tolist(),
                                   (guessed if guessed is not None else out.logits.argmax(-1)).tolist()):
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
