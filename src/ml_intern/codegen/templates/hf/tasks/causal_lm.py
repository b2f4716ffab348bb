"""Task: causal language modelling: pre-training from scratch (a model built from its config, random init) or
fine-tuning a pretrained model, fully or with LoRA adapters (peft).

Plain text (``template: text``) is packed: documents are tokenized, joined with the end-of-text token and cut into
blocks of ``block_size`` tokens, so no step is spent on padding. Metric: perplexity (exp of the mean token loss).
The tokenizer is the model's, or with ``tokenizer: train-bpe`` a byte-level BPE trained on the training split
(pre-training with no tokenizer at hand, e.g. offline).

Data that is not plain text is instruction-tuned, as FLAN and InstructGPT's supervised fine-tuning do: each row
becomes a prompt and its completion by the template of its kind (``template``), written from the data set's own
column and class names, and the loss is on the completion only (the prompt's labels are -100):

- ``classification`` (a label column; its ``ClassLabel`` names, else its values): the text columns, the options,
  ``Answer:``; the completion is the class name. Metric: accuracy of rank classification (the class whose name the
  model gives the highest log-likelihood after the prompt, as FLAN scores its classification tasks).
- ``question-answering`` (a question and answers column, a context where there is one): context, question,
  ``Answer:``; the completion is the first answer. Metric: exact match and F1 of the greedy answer against every
  gold answer (SQuAD's normalisation), on the first ``max_generate_examples`` examples of a split.
- ``seq2seq`` (a ``translation`` column, or a source and a target column: document/summary, article/highlights):
  an instruction for a translation, the source, the target column's name; the completion is the target. Metric:
  perplexity of the completion (BLEU or ROUGE would need long greedy generations and their own scorer).
- ``auto``: the kind read from the columns (local files: ``json:PATH``, ``csv:PATH``).

The test split is the data set's held-out one: its test split where it has labels, else its validation split (GLUE,
SQuAD), the validation split then cut from the training data with the seed.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from dataclasses import dataclass, field

import torch

import sources

NAME = "causal-lm"
METRIC = "perplexity"
SHIFT_LABELS = True  # token t predicts label t+1 (the loop's label smoothing shifts them so)


@dataclass
class TaskConfig:
    dataset: str = "hub:Salesforce/wikitext:wikitext-2-raw-v1"
    text_column: str = "text"
    model: str = ""  # a Hub id, folder or pkg:PACKAGE to fine-tune; empty: build `model_type` from its config
    model_type: str = "gpt2"  # gpt2 | llama (pre-training from scratch)
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    intermediate_size: int = 0  # 0: 4 x n_embd
    dropout: float = 0.0
    tokenizer: str = ""  # empty: the model's (or openai-community/gpt2 from scratch); train-bpe: trained here
    vocab_size: int = 50257  # for train-bpe and models built from a config
    block_size: int = 1024
    lora: bool = False
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    lora_target_modules: list[str] = field(default_factory=lambda: ["all-linear"])
    validation_fraction: float = 0.05
    test_fraction: float = 0.05
    max_train_tokens: int = 0  # 0: all
    # instruction tuning (see the module's docstring): the data's kind, and its columns where the names say nothing
    template: str = "text"  # text | classification | question-answering | seq2seq | auto
    prompt_columns: list[str] = field(default_factory=list)  # empty: read from the data set
    completion_column: str = ""  # empty: read from the data set
    label_column: str = "label"
    source_lang: str = ""  # a translation column's languages; empty: English to the other one
    target_lang: str = ""
    max_answer_tokens: int = 32  # question answering: the longest answer generated
    max_generate_examples: int = 200  # generation is slow: exact match and F1 on the first N examples of a split


@dataclass
class Data(sources.Splits):
    tokenizer: object
    template: Template | None = None  # instruction tuning: how a row became a prompt and a completion
    choices: list[list[int]] = field(default_factory=list)  # classification: each class's completion, tokenized
    references: list[list[str]] = field(default_factory=list)  # held-out rows' gold answers (by their "row")
    answers: list[int] = field(default_factory=list)  # held-out rows' gold class (by their "row")
    cfg: TaskConfig | None = None
    generate: tuple[int, int] = (0, 0)  # question answering: (examples, tokens) generated per split


# ---------------------------------------------------------------- templates: a row as a prompt and its completion

KINDS = ("classification", "question-answering", "seq2seq")
QUESTIONS = ("question", "query", "problem")
ANSWERS = ("answers", "answer")
CONTEXTS = ("context", "passage", "paragraph", "document", "article")
SOURCES = ("source", "document", "article", "dialogue", "input", "src")
TARGETS = ("target", "summary", "highlights", "output", "tgt", "response")
IDS = ("id", "idx", "guid", "uid")
LANGUAGES = {"en": "English", "de": "German", "fr": "French", "ro": "Romanian", "cs": "Czech", "fi": "Finnish",
             "ru": "Russian", "tr": "Turkish", "es": "Spanish", "hi": "Hindi", "zh": "Chinese", "ja": "Japanese",
             "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "et": "Estonian", "lv": "Latvian", "gu": "Gujarati",
             "kk": "Kazakh", "lt": "Lithuanian"}


@dataclass
class Template:
    """How a row of one data set becomes a prompt and its completion: the kind, the columns shown in the prompt (in
    order) with the names they are shown under, the column the completion comes from, and the class names."""

    kind: str
    inputs: list[str]
    target: str
    names: dict[str, str]  # input column -> the name it is shown under
    answer: str = "Answer"  # the name the completion is asked for under (the last line of the prompt)
    classes: list[str] = field(default_factory=list)  # classification: the class names, as the completions say them
    raw_classes: list[str] | None = None  # a label column of values (not a ClassLabel): its values, as strings
    instruction: str = ""  # a first line (translation: "Translate English to German.")
    languages: tuple[str, str] = ("", "")  # a translation column's source and target language codes

    def prompt(self, row: dict) -> str:
        lines = [self.instruction] if self.instruction else []
        for column in self.inputs:
            value = row[column][self.languages[0]] if self.languages[0] else row[column]
            lines.append(f"{self.names[column]}: {value}")
        if self.kind == "classification":
            lines.append("Options: " + ", ".join(self.classes))
        lines.append(f"{self.answer}:")
        return "\n".join(lines)

    def references(self, row: dict) -> list[str]:
        """The gold completions of a row (question answering: every answer given)."""
        value = row[self.target]
        if self.kind == "classification":
            return [self.classes[self.class_index(value)]]
        if self.languages[1]:
            value = value[self.languages[1]]
        if isinstance(value, dict):  # SQuAD's {"text": [...], "answer_start": [...]}
            value = value.get("text", [])
        answers = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        return [a.strip() for a in answers if str(a).strip()] or [""]

    def completion(self, row: dict) -> str:
        return " " + self.references(row)[0]

    def class_index(self, value) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and self.raw_classes is None:
            return value
        return self.raw_classes.index(str(value))  # type: ignore[union-attr]


def _shown(column: str) -> str:
    return column.replace("_", " ").strip().capitalize()


def _is_text(feature) -> bool:
    return getattr(feature, "dtype", None) in ("string", "large_string")


def data_kind(ds, cfg: TaskConfig) -> str:
    """The kind of a data set from its columns (``template: auto``)."""
    import datasets

    columns, features = ds.column_names, ds.features
    if cfg.completion_column and cfg.prompt_columns:
        label = features.get(cfg.completion_column)
        return "classification" if isinstance(label, datasets.ClassLabel) else "seq2seq"
    if cfg.label_column in columns or any(isinstance(f, datasets.ClassLabel) for f in features.values()):
        return "classification"
    if any(c in columns for c in ANSWERS) and any(c in columns for c in QUESTIONS):
        return "question-answering"
    if "translation" in columns or (any(c in columns for c in SOURCES) and any(c in columns for c in TARGETS)):
        return "seq2seq"
    if cfg.text_column in columns:
        return "text"
    raise SystemExit(f"template auto: cannot tell the kind of data from its columns {columns}: set template "
                     f"({', '.join(KINDS)} or text) and prompt_columns / completion_column in config.yaml")


def make_template(ds, cfg: TaskConfig, kind: str, held_out=()) -> Template:
    """The template of ``kind`` for the data set ``ds`` (its training split), from its column and class names;
    ``held_out``: the other splits, whose label values count too where the label is not a ``ClassLabel``."""
    import datasets

    columns, features = ds.column_names, ds.features

    def pick(wanted: str, candidates: tuple[str, ...], what: str, setting: str, required: bool = True) -> str:
        if wanted:
            if wanted not in columns:
                raise SystemExit(f"{setting} {wanted!r} is not a column of the data set ({', '.join(columns)})")
            return wanted
        found = next((c for c in candidates if c in columns), "")
        if not found and required:
            raise SystemExit(f"template {kind}: no {what} column among {columns} (looked for {', '.join(candidates)}): "
                             f"set {setting} in config.yaml")
        return found

    if kind == "classification":
        label = pick(cfg.completion_column, (cfg.label_column,) + tuple(
            c for c, f in features.items() if isinstance(f, datasets.ClassLabel)), "label", "completion_column")
        names = getattr(features[label], "names", None)
        raw = None
        if not names:  # plain values (a local file): the classes are the values the splits hold
            values = {v for split in (ds, *held_out) for v in split[label] if not (isinstance(v, int) and v < 0)}
            raw = sorted(map(str, values), key=lambda v: (len(v), v) if v.lstrip("-").isdigit() else (0, v))
            names = raw
        inputs = cfg.prompt_columns or [c for c, f in features.items() if c != label and c.lower() not in IDS
                                        and _is_text(f)]
        if not inputs:
            raise SystemExit(f"template classification: no text column beside {label!r} in {columns}: set "
                             "prompt_columns in config.yaml")
        classes = [str(n).replace("_", " ") for n in names]
        return Template(kind, inputs, label, {c: _shown(c) for c in inputs}, classes=classes, raw_classes=raw)
    if kind == "question-answering":
        answer = pick(cfg.completion_column, ANSWERS, "answer", "completion_column")
        if cfg.prompt_columns:
            inputs = list(cfg.prompt_columns)
        else:
            question = pick("", QUESTIONS, "question", "prompt_columns")
            context = pick("", CONTEXTS, "context", "prompt_columns", required=False)
            inputs = [c for c in (context, question) if c]
        return Template(kind, inputs, answer, {c: _shown(c) for c in inputs})
    if kind == "seq2seq":
        if "translation" in columns and not cfg.completion_column:
            languages = list(getattr(features["translation"], "languages", None) or ds[0]["translation"].keys())
            source = cfg.source_lang or ("en" if "en" in languages else languages[0])
            target = cfg.target_lang or next(lang for lang in languages if lang != source)
            for lang in (source, target):
                if lang not in languages:
                    raise SystemExit(f"source_lang/target_lang {lang!r}: the translation column holds "
                                     f"{', '.join(languages)}")
            src, tgt = LANGUAGES.get(source, source), LANGUAGES.get(target, target)
            return Template(kind, ["translation"], "translation", {"translation": src}, answer=tgt,
                            instruction=f"Translate {src} to {tgt}.", languages=(source, target))
        target = pick(cfg.completion_column, TARGETS, "target", "completion_column")
        inputs = cfg.prompt_columns or [pick("", tuple(c for c in SOURCES if c != target), "source", "prompt_columns")]
        return Template(kind, list(inputs), target, {c: _shown(c) for c in inputs}, answer=_shown(target))
    raise SystemExit(f"template {kind!r}: use text, auto, {', '.join(KINDS)}")


class Blocks(torch.utils.data.Dataset):
    def __init__(self, ids: torch.Tensor, block: int):
        n = (len(ids) - 1) // block
        self.ids, self.block, self.n = ids, block, max(n, 0)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> torch.Tensor:
        return self.ids[i * self.block:(i + 1) * self.block]


def collate(blocks: list[torch.Tensor]) -> dict:
    input_ids = torch.stack(blocks)
    return {"input_ids": input_ids, "labels": input_ids}


def load_data(cfg: TaskConfig, seed: int, smoke_examples: int | None) -> Data:
    if cfg.template != "text":
        return load_instructions(cfg, seed, smoke_examples)
    return load_text(cfg, seed, smoke_examples)


def load_text(cfg: TaskConfig, seed: int, smoke_examples: int | None) -> Data:
    from transformers import AutoTokenizer

    train, val, test = sources.splits(cfg, seed, None)  # (smoke runs cut later: rows here, tokens there)
    if cfg.tokenizer == "train-bpe":
        tokenizer = sources.train_bpe(train[cfg.text_column], cfg.vocab_size)
    else:
        tokenizer = AutoTokenizer.from_pretrained(sources.model_path(cfg.tokenizer or cfg.model
                                                                     or "openai-community/gpt2"))
    eos = tokenizer.eos_token_id if tokenizer.eos_token_id is not None else 0

    def pack(ds, limit: int) -> torch.Tensor:
        ids: list[int] = []
        for text in ds[cfg.text_column]:
            if text and text.strip():
                ids += tokenizer(text)["input_ids"] + [eos]
                if limit and len(ids) >= limit:
                    break
        return torch.tensor(ids[:limit] if limit else ids, dtype=torch.long)

    limit = cfg.max_train_tokens
    if smoke_examples:  # a few blocks of each split
        limit = smoke_examples * (cfg.block_size + 1)
    blocks = [Blocks(pack(ds, limit if ds is train else (limit and limit // 2)), cfg.block_size)
              for ds in (train, val, test)]
    if any(len(b) == 0 for b in blocks):
        raise SystemExit(f"a split holds fewer than block_size={cfg.block_size} tokens: lower block_size")
    return Data(*blocks, collate=collate, tokenizer=tokenizer, fingerprint=sources.fingerprint(train, val, test))


def build_model(cfg: TaskConfig, data: Data):
    from transformers import AutoConfig, AutoModelForCausalLM

    vocab = len(data.tokenizer)
    if cfg.model:
        model = AutoModelForCausalLM.from_pretrained(sources.model_path(cfg.model), attn_implementation="sdpa")
    else:  # pre-training: the architecture from its config, random init
        inner = cfg.intermediate_size or 4 * cfg.n_embd
        if cfg.model_type == "gpt2":
            config = AutoConfig.for_model("gpt2", vocab_size=vocab, n_positions=cfg.block_size, n_embd=cfg.n_embd,
                                          n_layer=cfg.n_layer, n_head=cfg.n_head, n_inner=inner,
                                          resid_pdrop=cfg.dropout, embd_pdrop=cfg.dropout, attn_pdrop=cfg.dropout,
                                          bos_token_id=data.tokenizer.eos_token_id,
                                          eos_token_id=data.tokenizer.eos_token_id)
        else:
            config = AutoConfig.for_model(cfg.model_type, vocab_size=vocab, max_position_embeddings=cfg.block_size,
                                          hidden_size=cfg.n_embd, num_hidden_layers=cfg.n_layer,
                                          num_attention_heads=cfg.n_head, intermediate_size=inner,
                                          bos_token_id=data.tokenizer.eos_token_id,
                                          eos_token_id=data.tokenizer.eos_token_id)
        model = AutoModelForCausalLM.from_config(config, attn_implementation="sdpa")
    if model.get_input_embeddings().num_embeddings < vocab:
        model.resize_token_embeddings(vocab)
    if cfg.lora:
        from peft import LoraConfig, get_peft_model

        targets = cfg.lora_target_modules
        model = get_peft_model(model, LoraConfig(
            task_type="CAUSAL_LM", r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
            target_modules=targets[0] if targets == ["all-linear"] else targets))
    return model


class PadCollator:
    """Prompt-and-completion rows to a right-padded batch (labels -100 on the prompt and the padding); held-out rows
    keep their ``row``, which names their gold answers in ``Data``."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, rows: list[dict]) -> dict:
        width = max(len(r["input_ids"]) for r in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        labels = torch.full((len(rows), width), -100, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            n = len(r["input_ids"])
            ids[i, :n], labels[i, :n], mask[i, :n] = torch.tensor(r["input_ids"]), torch.tensor(r["labels"]), 1
        batch = {"input_ids": ids, "attention_mask": mask, "labels": labels}
        if "row" in rows[0]:
            batch["row"] = torch.tensor([r["row"] for r in rows])
        return batch


def load_instructions(cfg: TaskConfig, seed: int, smoke_examples: int | None) -> Data:
    """Rows as prompt and completion token ids (see the module's docstring), the loss on the completion only."""
    import datasets
    from transformers import AutoTokenizer

    def labelled(ds) -> bool:  # GLUE's test splits hold -1 for every label: the validation split is the test then
        labels = [c for c, f in ds.features.items() if isinstance(f, datasets.ClassLabel)]
        return len(ds) > 0 and not any(all(isinstance(v, int) and v < 0 for v in ds[c]) for c in labels)

    loaded = sources.load(cfg.dataset)
    held_out = next((k for k in ("validation", "valid", "dev") if k in loaded), None)
    if "test" not in loaded and held_out:  # (SQuAD: its validation split is the held-out set papers report on)
        loaded = datasets.DatasetDict({"train": loaded["train"], "test": loaded[held_out]})
    train, val, test = sources.split(loaded, seed, cfg.validation_fraction, cfg.test_fraction, labelled)
    if smoke_examples:
        train, val, test = (sources.take(ds, smoke_examples, seed) for ds in (train, val, test))
    kind = data_kind(train, cfg) if cfg.template == "auto" else cfg.template
    if kind == "text":
        return load_text(cfg, seed, smoke_examples)
    template = make_template(train, cfg, kind, (val, test))
    if kind == "classification":  # rows without a gold label (-1: SNLI's no-consensus pairs) cannot be scored
        train, val, test = (ds.filter(lambda row: not (isinstance(row[template.target], int)
                                                       and row[template.target] < 0)) for ds in (train, val, test))
    tokenizer = AutoTokenizer.from_pretrained(sources.model_path(cfg.tokenizer or cfg.model or "openai-community/gpt2"))
    eos = tokenizer.eos_token_id if tokenizer.eos_token_id is not None else 0
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos

    def tokens(prompt: str, completion: str) -> tuple[list[int], list[int]]:
        done = tokenizer(completion, add_special_tokens=False)["input_ids"] + [eos]
        done = done[:max(1, cfg.block_size // 2)]  # (a long summary: its first half-block)
        asked = tokenizer(prompt)["input_ids"]
        room = cfg.block_size - len(done)
        if len(asked) > room:  # the prompt's end (the question, the options, "Answer:") matters most
            first = asked[:1] if asked[0] == tokenizer.bos_token_id else []
            asked = first + asked[len(asked) - room + len(first):]
        return asked, done

    data = Data(train=[], val=[], test=[], collate=PadCollator(pad), tokenizer=tokenizer, template=template,
                fingerprint=sources.fingerprint(train, val, test), cfg=cfg,
                # (--smoke checks the code path: a few short answers, generation being the slow part on a CPU)
                generate=(min(cfg.max_generate_examples, 4), min(cfg.max_answer_tokens, 8)) if smoke_examples
                else (cfg.max_generate_examples, cfg.max_answer_tokens))
    if kind == "classification":
        data.choices = [tokens("", " " + name)[1] for name in template.classes]
    budget = cfg.max_train_tokens
    for ds, rows in ((train, data.train), (val, data.val), (test, data.test)):
        for example in ds:
            asked, done = tokens(template.prompt(example), template.completion(example))
            row = {"input_ids": asked + done, "labels": [-100] * len(asked) + done}
            if rows is not data.train:
                row["row"] = len(data.references)
                data.references.append(template.references(example))
                data.answers.append(template.class_index(example[template.target]) if kind == "classification" else -1)
            rows.append(row)
            if rows is data.train and budget:  # (max_train_tokens: the training rows up to that many tokens)
                budget -= len(row["input_ids"])
                if budget <= 0:
                    break
    return data


def _normalise(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


def answer_scores(answer: str, references: list[str]) -> tuple[float, float]:
    """(exact match, F1) of an answer against the best of its gold answers, as SQuAD's evaluation scores them."""
    exact, best = 0.0, 0.0
    said = _normalise(answer).split()
    for reference in references:
        gold = _normalise(reference).split()
        exact = max(exact, float(said == gold))
        common = sum((Counter(said) & Counter(gold)).values())
        if common:
            precision, recall = common / len(said), common / len(gold)
            best = max(best, 2 * precision * recall / (precision + recall))
        elif not said and not gold:
            best = 1.0
    return exact, best


def _prompts(batch: dict) -> list[torch.Tensor]:
    """Each row's prompt: its tokens before the first labelled one."""
    labelled = batch["labels"] != -100
    return [ids[:int(row.nonzero()[0])] if row.any() else ids[:int(mask.sum())]
            for ids, row, mask in zip(batch["input_ids"], labelled, batch["attention_mask"])]


def rank_classes(model, batch: dict, data: Data, autocast) -> list[int]:
    """Each row's class by rank classification: the class whose completion has the highest log-likelihood after the
    prompt (one forward pass over a row's candidates at a time: a batch of them would hold every logit)."""
    predicted = []
    pad = data.collate.pad_id
    for prompt in _prompts(batch):
        seqs = [torch.cat([prompt, torch.tensor(c, device=prompt.device)]) for c in data.choices]
        width = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), width), pad, dtype=torch.long, device=prompt.device)
        mask = torch.zeros_like(ids)
        for i, s in enumerate(seqs):
            ids[i, :len(s)], mask[i, :len(s)] = s, 1
        with autocast():
            logits = model(input_ids=ids, attention_mask=mask).logits
        scores = []
        for i, choice in enumerate(data.choices):
            start = len(prompt)
            logp = torch.log_softmax(logits[i, start - 1:start - 1 + len(choice)].float(), -1)
            scores.append(float(logp.gather(-1, torch.tensor(choice, device=logp.device)[:, None]).sum()))
        predicted.append(max(range(len(scores)), key=scores.__getitem__))
    return predicted


def generate_answers(model, batch: dict, data: Data, autocast) -> list[str]:
    """The greedy answer to each row's prompt (left-padded, as a decoder generates a batch), its first line."""
    inner = getattr(model, "_orig_mod", model)  # (generation on the uncompiled module)
    if isinstance(inner, torch.nn.parallel.DistributedDataParallel):
        inner = inner.module
    prompts = _prompts(batch)
    width = max(len(p) for p in prompts)
    pad = data.collate.pad_id
    ids = torch.full((len(prompts), width), pad, dtype=torch.long, device=prompts[0].device)
    mask = torch.zeros_like(ids)
    for i, p in enumerate(prompts):
        ids[i, width - len(p):], mask[i, width - len(p):] = p, 1
    with autocast():
        out = inner.generate(input_ids=ids, attention_mask=mask, max_new_tokens=data.generate[1],
                             do_sample=False, pad_token_id=pad, eos_token_id=data.tokenizer.eos_token_id)
    texts = data.tokenizer.batch_decode(out[:, width:], skip_special_tokens=True)
    return [(t.strip().splitlines() or [""])[0].strip() for t in texts]


def evaluate_instructions(model, batches, to_device, autocast, data: Data) -> dict:
    """The completion's loss, and the template's metric (see the module's docstring)."""
    kind = data.template.kind
    loss_sum, n_tokens, correct, n, exact, f1, generated = 0.0, 0, 0, 0, 0.0, 0.0, 0
    for batch in batches:
        batch = to_device(batch)
        rows = batch.pop("row").tolist()
        with autocast():
            out = model(**batch)
        tokens = int((batch["labels"][:, 1:] != -100).sum())
        loss_sum += float(out.loss) * tokens
        n_tokens += tokens
        if kind == "classification":
            predicted = rank_classes(model, batch, data, autocast)
            correct += sum(int(p == data.answers[r]) for p, r in zip(predicted, rows))
            n += len(rows)
        elif kind == "question-answering" and generated < data.generate[0]:
            keep = data.generate[0] - generated
            for answer, r in zip(generate_answers(model, {k: v[:keep] for k, v in batch.items()}, data, autocast),
                                 rows[:keep]):
                em, f = answer_scores(answer, data.references[r])
                exact, f1, generated = exact + em, f1 + f, generated + 1
    loss = loss_sum / max(n_tokens, 1)
    result = {"loss": loss, "perplexity": math.exp(min(loss, 50.0))}  # (of the completion, for every kind)
    if kind == "classification":
        result["accuracy"] = correct / max(n, 1)
    if kind == "question-answering":
        result.update(f1=f1 / max(generated, 1), exact_match=exact / max(generated, 1))
    return result


def evaluate(model, batches, to_device, autocast, data: Data) -> dict:
    if data.template is not None:
        return evaluate_instructions(model, batches, to_device, autocast, data)
    loss_sum, n = 0.0, 0
    for batch, out in sources.outputs(model, batches, to_device, autocast):
        tokens = batch["labels"][:, 1:].numel()
        loss_sum += float(out.loss) * tokens
        n += tokens
    loss = loss_sum / max(n, 1)
    return {"loss": loss, "perplexity": math.exp(min(loss, 50.0))}


def save(model, data: Data, folder) -> None:
    model.save_pretrained(folder, safe_serialization=True)  # (LoRA: the adapter only)
    data.tokenizer.save_pretrained(folder)
