"""The hardware plan's estimates against known figures: measured H100 throughputs (bf16; ../shared/OFFLINE.md's
references) and the sizes of well-known runs. A number a person would laugh at is a bug."""

import pytest

from ml_intern.plan.recipes.hardware import estimate, throughput
from ml_intern.registry import DATASETS

DATA = {d.key: d for d in DATASETS}
GPT2 = dict(model="", model_type="gpt2", n_layer=12, n_head=12, n_embd=768, vocab_size=50257, block_size=1024)
RESNET50 = dict(model="", model_type="resnet", depth=50, patch_size=4, hidden_size=192, num_layers=6, num_heads=3)


def test_throughput_matches_measured_h100_figures():
    # GPT-2 124M, batch 16 x 1024, bf16, compiled: 466,836 tokens/s
    assert throughput("causal-lm-pretraining", GPT2) * 1024 == pytest.approx(466_836, rel=0.1)
    # ResNet-50 at 224 px: 3,401 images/s
    assert throughput("image-classification-hf", {**RESNET50, "image_size": 224}) == pytest.approx(3_401, rel=0.1)
    # BERT-base sequence classification at sequence 128: 1,242 samples/s
    assert throughput("text-classification", {"model": "google-bert/bert-base-uncased", "max_length": 128}) \
        == pytest.approx(1_242, rel=0.1)


def test_an_image_classifier_at_small_scale_fits_a_laptop():
    values = {**RESNET50, "image_size": 0, "batch_size": 128, "epochs": 10, "max_train_examples": 5000}
    plan = estimate("image-classification-hf", values, DATA["cifar10"], "small")
    assert 100 < plan.memory_estimate_mb < 8_000, plan  # was ~5,334,315 MB
    # CPU-minutes (was 8,031): 50,000 images through ResNet-50 at 32 px; one CPU thread trains about 11 such
    # images a second (benchmarks/cpu_throughput.py: 0.7 s a step of 8), so about 75 minutes
    assert 30 < plan.hours_estimate * 60 < 150, plan


def test_resnet50_on_imagenet_costs_what_such_runs_cost():
    values = {**RESNET50, "image_size": 224, "batch_size": 256, "epochs": 90}
    plan = estimate("image-classification-hf", values, DATA["imagenet"], "paper")
    # 90 epochs of 1.33M images at ~3,400 images/s: about 10 GPU-hours on H100s
    assert 5 < plan.gpu_hours < 20 and plan.cost_usd > 10 and plan.fits, plan
    assert plan.memory_estimate_mb < 80 * 1024 and not plan.gradient_checkpointing


def test_a_translation_model_at_paper_scale_is_not_free():
    values = dict(model="", model_type="t5", d_model=512, num_layers=6, num_heads=8, d_ff=2048, batch_size=25000,
                  epochs=1, max_steps=100_000, max_length=0)
    plan = estimate("seq2seq", values, DATA["wmt14"], "paper")
    # the Transformer base: 12 h on 8 P100s; an epoch of WMT'14 on H100s is GPU-hours, not "0.00 h, $0.00"
    assert 0.5 < plan.gpu_hours < 100 and plan.cost_usd >= 1, plan
    assert any("tokens per batch" in n for n in plan.notes)


def test_gpt2_at_batch_16_fits_one_h100_as_the_reference_run_did():
    values = {**GPT2, "batch_size": 16, "epochs": 1, "max_train_tokens": 1e9}
    plan = estimate("causal-lm-pretraining", values, DATA["shakespeare"], "paper")
    assert plan.per_device_batch == 16 and plan.num_devices == 1 and not plan.gradient_checkpointing, plan
    assert 4 * 1024 < plan.memory_estimate_mb < 40 * 1024, plan  # states ~2 GB, activations and logits ~10 GB
    assert plan.parameters == pytest.approx(124e6, rel=0.05)
    # a billion tokens at ~467k tokens/s: about 0.6 hours
    assert 0.4 < plan.hours_estimate < 0.9, plan
