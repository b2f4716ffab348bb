"""Task: sequence to sequence (translation, summarisation) with an encoder-decoder Transformer: a pretrained one
(T5, BART, Marian: ``model``) or one built from its config (``model_type: t5``, random init).

Metric: BLEU (sacrebleu, on greedy or beam-search outputs) beside the token loss.
"""

from __future__ import annotations

from dataclasses import dataclass

import sources

NAME = "seq2seq"
METRIC = "bleu"


@dataclass
class TaskConfig:
    dataset: str = "hub:wmt/wmt14:de-en"
    source_column: str = "source"  # for data with a `translation` column: the language codes below are used
    target_column: str = "target"
    source_lang: str = "en"
    target_lang: str = "de"
    source_prefix: str = ""  # e.g. "translate English to German: " for T5
    model: str = ""  # a Hub id or folder; empty: build `model_type` from its config
    model_type: str = "t5"
    d_model: int = 512
    num_layers: int = 6
    num_heads: int = 8
    d_ff: int = 2048
    dropout: float = 0.1
    tokenizer: str = ""  # empty: the model's; train-bpe: a byte-level BPE trained on the training split
    vocab_size: int = 32000
    max_source_length: int = 128
    max_target_length: int = 128
    num_beams: int = 1
    max_generate_examples: int = 500  # generation is slow: BLEU on the first N examples of a split
    validation_fraction: float = 0.1
    test_fraction: float = 0.1
    max_train_examples: int = 0


@dataclass
class Data(sources.Splits):
    tokenizer: object
    cfg: TaskConfig


def _pairs(ds, cfg: TaskConfig) -> tuple[list[str], list[str]]:
    if "translation" in ds.column_names:
        rows = ds["translation"]
        return [r[cfg.source_lang] for r in rows], [r[cfg.target_lang] for r in rows]
    return ds[cfg.source_column], ds[cfg.target_column]


def load_data(cfg: TaskConfig, seed: int, smoke_examples: int | None) -> Data:
    from transformers import AutoTokenizer, DataCollatorForSeq2Seq

    train, val, test = sources.splits(cfg, seed, smoke_examples)
    if cfg.tokenizer == "train-bpe":
        src, tgt = _pairs(train, cfg)
        tokenizer = sources.train_bpe(list(src) + list(tgt), cfg.vocab_size)
    else:
        tokenizer = AutoTokenizer.from_pretrained(sources.model_path(cfg.tokenizer or cfg.model))

    def encode(ds):
        src, tgt = _pairs(ds, cfg)
        enc = tokenizer([cfg.source_prefix + s for s in src], truncation=True, max_length=cfg.max_source_length)
        labels = tokenizer(text_target=list(tgt), truncation=True, max_length=cfg.max_target_length - 1)["input_ids"]
        eos = tokenizer.eos_token_id  # generation stops at it: every target ends with it
        enc["labels"] = [ids if ids and ids[-1] == eos else ids + [eos] for ids in labels]
        import datasets

        return datasets.Dataset.from_dict(dict(enc))

    splits = [encode(ds) for ds in (train, val, test)]
    return Data(*splits, collate=DataCollatorForSeq2Seq(tokenizer, label_pad_token_id=-100, return_tensors="pt"),
                tokenizer=tokenizer, fingerprint=sources.fingerprint(train, val, test), cfg=cfg)


def build_model(cfg: TaskConfig, data: Data):
    from transformers import AutoConfig, AutoModelForSeq2SeqLM

    if cfg.model:
        return AutoModelForSeq2SeqLM.from_pretrained(sources.model_path(cfg.model))
    tok = data.tokenizer
    config = AutoConfig.for_model(cfg.model_type, vocab_size=len(tok), d_model=cfg.d_model, num_layers=cfg.num_layers,
                                  num_decoder_layers=cfg.num_layers, num_heads=cfg.num_heads, d_ff=cfg.d_ff,
                                  d_kv=cfg.d_model // cfg.num_heads, dropout_rate=cfg.dropout,
                                  pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
                                  decoder_start_token_id=tok.pad_token_id)
    return AutoModelForSeq2SeqLM.from_config(config)


def evaluate(model, batches, to_device, autocast, data: Data) -> dict:
    import sacrebleu

    tok, cfg = data.tokenizer, data.cfg
    loss_sum, n, hypotheses, references = 0.0, 0, [], []
    for batch, out in sources.outputs(model, batches, to_device, autocast):
        size = len(batch["input_ids"])
        loss_sum += float(out.loss) * size
        n += size
        if len(hypotheses) < cfg.max_generate_examples:
            inner = getattr(model, "_orig_mod", model)  # (generation on the uncompiled module)
            with autocast():
                generated = inner.generate(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                                           max_new_tokens=cfg.max_target_length, num_beams=cfg.num_beams)
            hypotheses += tok.batch_decode(generated, skip_special_tokens=True)
            labels = batch["labels"].masked_fill(batch["labels"] == -100, tok.pad_token_id)
            references += tok.batch_decode(labels, skip_special_tokens=True)
    bleu = sacrebleu.corpus_bleu(hypotheses, [references]).score if hypotheses else 0.0
    return {"loss": loss_sum / max(n, 1), "bleu": bleu}


def save(model, data: Data, folder) -> None:
    model.save_pretrained(folder, safe_serialization=True)
    data.tokenizer.save_pretrained(folder)
