"""Task: causal language modelling: pre-training from scratch (a model built from its config, random init) or
fine-tuning a pretrained model, fully or with LoRA adapters (peft).

Sequences are packed: documents are tokenized, joined with the end-of-text token and cut into blocks of
``block_size`` tokens, so no step is spent on padding. Metric: perplexity (exp of the mean token loss).
The tokenizer is the model's, or with ``tokenizer: train-bpe`` a byte-level BPE trained on the training split
(pre-training with no tokenizer at hand, e.g. offline).
"""

from __future__ import annotations

import math
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


@dataclass
class Data(sources.Splits):
    tokenizer: object


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


def evaluate(model, batches, to_device, autocast, data: Data) -> dict:
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
