"""What a CPU sustains on the models scale smoke and small build, in the FLOPs the plan's estimate counts
(``ml_intern.plan.recipes.hardware.train_flops``): the figures behind ``CPU_FLOPS``.

    python benchmarks/cpu_throughput.py [--threads 1,2] [--steps 5] [--boosting]

Per kind of model (a decoder, an encoder, a convolutional network) it builds the model from its config with
transformers, as the generated project does, at two sizes (a small one and a larger one), and times
training steps (forward, backward, AdamW) on random data after one warm-up step. The FLOPs of a step are the
estimate's own, so FLOP/s here is exactly the divisor the estimate needs. ``--threads 1`` is what a run gets on a
machine with another job on it (two intra-op threads then wait on each other: see docs/recipes.md, "Scales").
``--boosting`` times XGBoost's rounds instead (the tabular recipe's boosted trees): the figure behind
``BOOSTING_SECONDS``.
"""

from __future__ import annotations

import argparse
import time

import torch
from rich.console import Console
from rich.table import Table
from transformers import (GPT2Config, GPT2LMHeadModel, ResNetConfig,
                          ResNetForImageClassification, ViTConfig, ViTForImageClassification)

from ml_intern.plan.recipes.hardware import _model_size, sequence, train_flops

BATCH = 8


def cases():
    """(kind, name, model, inputs, the plan's values for the estimate, its recipe)."""
    for layers, width in ((2, 128), (6, 256)):
        values = {"n_layer": layers, "n_embd": width, "vocab_size": 8000, "block_size": 128}
        model = GPT2LMHeadModel(GPT2Config(n_layer=layers, n_embd=width, n_head=4, vocab_size=8000, n_positions=128))
        ids = torch.randint(0, 8000, (BATCH, 128))
        yield "decoder", f"GPT-2 {layers}x{width}, 128 tokens", model, {"input_ids": ids, "labels": ids}, values, \
            "causal-lm-pretraining"
    for layers, width in ((2, 64), (6, 192)):
        model = ViTForImageClassification(ViTConfig(image_size=32, patch_size=4, hidden_size=width,
                                                    num_hidden_layers=layers, num_attention_heads=2,
                                                    intermediate_size=4 * width, num_labels=10))
        yield "encoder", f"ViT {layers}x{width}, 32 px, patch 4", model, {
            "pixel_values": torch.randn(BATCH, 3, 32, 32), "labels": torch.zeros(BATCH, dtype=torch.long)}, \
            {"model": "", "hidden_size": width, "num_layers": layers, "patch_size": 4, "image_size": 32}, \
            "image-classification-hf"
    for depth, layers in ((18, [2, 2, 2, 2]), (50, [3, 4, 6, 3])):
        kind = "bottleneck" if depth >= 50 else "basic"
        widths = [256, 512, 1024, 2048] if depth >= 50 else [64, 128, 256, 512]
        model = ResNetForImageClassification(ResNetConfig(depths=layers, hidden_sizes=widths, layer_type=kind,
                                                          num_labels=10))
        values = {"model": "", "model_type": "resnet", "depth": depth, "image_size": 32}
        yield "convnet", f"ResNet-{depth}, 32 px", model, {"pixel_values": torch.randn(BATCH, 3, 32, 32),
                                                          "labels": torch.zeros(BATCH, dtype=torch.long)}, values, \
            "image-classification-hf"


def step_flops(recipe: str, values: dict) -> float:
    """The estimate's FLOPs of one step of ``BATCH`` examples."""
    params, layers, width, _ = _model_size(values)
    side = int(values.get("image_size") or 224)
    return train_flops(recipe, values, params, layers, width, sequence(recipe, values, side), side)[0] * BATCH


def seconds_a_step(model: torch.nn.Module, inputs: dict, steps: int) -> float:
    torch.manual_seed(0)
    opt = torch.optim.AdamW(model.parameters(), 1e-4)
    model.train()
    for i in range(steps + 1):
        if i == 1:
            started = time.perf_counter()
        model(**inputs).loss.backward()
        opt.step()
        opt.zero_grad()
    return (time.perf_counter() - started) / steps


def boosting(threads: list[int], rounds: int) -> int:
    """XGBoost's hist rounds (the tabular recipe's boosted trees) on random tables of 28 features, the shape of
    Higgs: seconds per round over rows x features, the figure behind ``BOOSTING_SECONDS``."""
    import numpy as np
    import xgboost as xgb

    from ml_intern.plan.recipes.hardware import BOOSTING_SECONDS

    table = Table(title=f"XGBoost hist rounds on a CPU ({rounds} rounds after one, binary logistic)")
    for col in ("rows x features", "max depth", "threads", "s/round", "s per row-feature-round", "estimate's"):
        table.add_column(col, justify="right")
    rng = np.random.default_rng(0)
    for rows in (50_000, 200_000):
        x = rng.random((rows, 28), dtype=np.float32)
        data = xgb.DMatrix(x, label=(x[:, 0] + x[:, 1] * x[:, 2] > 0.8).astype(np.float32))
        for depth in (6, 8):
            for n in threads:
                booster = xgb.Booster({"objective": "binary:logistic", "tree_method": "hist", "max_depth": depth,
                                       "nthread": n}, [data])
                booster.update(data, 0)  # (the first round also bins the table)
                started = time.perf_counter()
                for i in range(1, rounds + 1):
                    booster.update(data, i)
                s = (time.perf_counter() - started) / rounds
                table.add_row(f"{rows:,} x 28", str(depth), str(n), f"{s:.4f}", f"{s / (rows * 28):.2e}",
                              f"{BOOSTING_SECONDS:.1e}")
    Console(width=140).print(table)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", default="1,2", help="intra-op thread counts to time, comma-separated")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--boosting", action="store_true", help="time XGBoost's rounds instead (boosted trees)")
    args = parser.parse_args()
    if args.boosting:
        return boosting([int(t) for t in args.threads.split(",")], max(args.steps, 10))
    table = Table(title=f"CPU training throughput in the estimate's FLOPs (batch {BATCH}, fp32, AdamW)")
    for col in ("kind", "model", "threads", "s/step", "GFLOP/step", "GFLOP/s"):
        table.add_column(col, justify="right" if col not in ("kind", "model") else "left")
    worst: dict[str, float] = {}
    for kind, name, model, inputs, values, recipe in cases():
        flops = step_flops(recipe, values)
        for threads in (int(t) for t in args.threads.split(",")):
            torch.set_num_threads(threads)
            s = seconds_a_step(model, inputs, args.steps)
            rate = flops / s
            worst[kind] = min(worst.get(kind, rate), rate)
            table.add_row(kind, name, str(threads), f"{s:.3f}", f"{flops / 1e9:.2f}", f"{rate / 1e9:.1f}")
    Console(width=140).print(table)
    print("slowest per kind (GFLOP/s): " + ", ".join(f"{k} {v / 1e9:.1f}" for k, v in worst.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
