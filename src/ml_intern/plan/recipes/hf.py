"""The recipes, one ``Family`` each: text classification, token classification, causal-LM pre-training, causal-LM
fine-tuning (full or LoRA), sequence to sequence, image classification (a small CNN on packaged images; ViT or
ResNet) and tabular, on one generated skeleton.

Every project they write has the same three files: ``train.py`` (the loop: accumulation, schedule, clipping, bf16,
TF32, fused AdamW, ``torch.compile`` where it repays, checkpoints, metrics), ``sources.py`` (data and model
sources: the Hub, local files, packaged data) and ``task.py`` (the family's data, model and metric: the task file a
family names, which the build package copies). A hand-written loop rather than the Trainer: the Trainer reached
64% of a hand-written compiled loop's GPT-2 throughput on an H100 (``../shared/OFFLINE.md``), and one fixed loop is
what the repairer knows how to edit.

A family's planning knowledge is all in its entry of ``FAMILIES``: defaults with reasons, the small-scale values,
and hooks for what only it does (``adjust``: values that follow from the data set; ``from_config``: what changes
when the paper's sizes say to build the model from its config; ``smoke_model``: that model at a size for a smoke run).

Scale smoke checks the planned code path in a few steps on a CPU: when the estimate of those steps is more than
``SMOKE_CPU_MINUTES``, the plan cuts, in this order and only as far as needed, the batch (and the learning rate in
proportion), then the inputs (image side, sequence lengths), then a model built from its config to the smoke size
of its kind (its type, block type, stage layout and patch size kept). A pretrained checkpoint keeps its size and
its input size: its weights (and a ViT's position embeddings) are what the run checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ml_intern.plan.models import ExperimentPlan, HardwarePlan, Resolved
from ml_intern.plan.recipes.hardware import CONV_NETS, TAGGERS, conv_net, estimate
from ml_intern.registry import DatasetInfo

REQUIREMENTS = ("torch>=2.2", "transformers>=4.44", "datasets>=2.20", "accelerate>=0.33", "safetensors>=0.4",
                "pyyaml>=6", "numpy>=1.24", "scikit-learn>=1.3", "pandas>=2")

# the loop's settings every family shares: (default, reason)
LOOP = {
    "optimizer": ("adamw", "AdamW is the standard optimizer for fine-tuning and pre-training Transformers"),
    "weight_decay": (0.01, "the usual decoupled weight decay for Transformers"),
    "lr_schedule": ("linear", "linear decay after warm-up, as in BERT and most fine-tuning recipes"),
    "warmup_ratio": (0.06, "a short warm-up (6% of the steps) keeps the first updates of Adam stable"),
    "grad_clip": (1.0, "clipping the gradient norm at 1.0 is the common default for Transformers"),
    "seed": (0, "a fixed seed makes the run reproducible"),
    "model_code": ("", "the task's model class; model.py: code the agent writes (with --llm) for an architecture "
                       "no Hub model provides"),
    "num_processes": (1, "one process; a plan for several GPUs launches one per GPU (accelerate launch)"),
    "num_nodes": (1, "one machine; a plan for more GPUs than a machine holds spreads its processes over several, "
                     "as a Ray Train job (--sandbox ray)"),
}


# what the loop also takes when the paper states it (no default in the plan: the loop's own holds)
LOOP_TAKES = ("momentum", "nesterov", "adam_beta1", "adam_beta2", "adam_epsilon", "label_smoothing", "lr_decay_factor",
              "lr_milestones", "lr_step_size", "lr_milestone_unit", "lr_power", "lr_end_factor", "lr_d_model",
              "max_steps", "warmup_steps", "warmup_ratio", "rmsprop_alpha", "adadelta_rho", "lr_patience",
              "lr_plateau_metric", "lr_plateau_mode")
# the optimizers and schedules the loop has (train.py's make_optimizer, lr_factor and make_plateau)
OPTIMIZERS = ("adamw", "adam", "radam", "nadam", "sgd", "rmsprop", "adadelta", "adagrad", "adafactor")
SCHEDULES = ("constant", "linear", "cosine", "polynomial", "inverse_sqrt", "step", "multistep", "plateau")
# ResNet depths transformers' ResNet builds: (blocks per stage, widths, block type); CIFAR-style 6n+2 (the image task's
# own network) added below
RESNETS = {18: ([2, 2, 2, 2], [64, 128, 256, 512], "basic"), 34: ([3, 4, 6, 3], [64, 128, 256, 512], "basic"),
           50: ([3, 4, 6, 3], [256, 512, 1024, 2048], "bottleneck"),
           101: ([3, 4, 23, 3], [256, 512, 1024, 2048], "bottleneck"),
           152: ([3, 8, 36, 3], [256, 512, 1024, 2048], "bottleneck")}
VIT_KEYS = ("patch_size", "hidden_size", "num_heads", "intermediate_size")
RANDAUGMENT = ("randaugment_ops", "randaugment_magnitude", "randaugment_std")  # (the image task's RandAugment)
# what both image recipes take where a paper states it: the image task's augmentations and the loop's weight average
IMAGE_TRAINING = ("mixup_alpha", "cutmix_alpha", "random_erasing", "ema_decay", *RANDAUGMENT)

Values = dict[str, Resolved]


@dataclass
class Family:
    name: str
    task_types: tuple[str, ...]
    task_file: str  # the task file of the project skeleton (``task.py``), by name
    metric: str
    dataset_task_types: tuple[str, ...]
    defaults: dict[str, tuple[object, str]]
    model_keys: tuple[str, ...] = ()
    extra_requirements: tuple[str, ...] = ()
    small: dict[str, tuple[object, str]] = field(default_factory=dict)  # scale "small": minutes on a CPU
    models: tuple[str, ...] | None = None  # the model names it takes (lower case; None: any); no name always fits
    datasets: Callable[[DatasetInfo], str | None] | None = None  # why it cannot load a data set its task types fit
    cap_eval: bool = True  # at scale small and smoke, metrics on 1,000 held-out examples
    sizes: tuple[str, ...] = ()  # model sizes which, from the paper, mean: build the model from its config
    from_config: Callable[[Values, Resolved], Values] | None = None  # what else that changes (``sizes``)
    adjust: Callable[[Values, DatasetInfo], Values] | None = None  # values that follow from the data set
    hardware: Callable[[dict, DatasetInfo, str], HardwarePlan] | None = None  # else ``hardware.estimate``
    config_defaults: dict[str, object] = field(default_factory=dict)  # config.yaml keys the values may lack
    paper_names: dict[str, str] = field(default_factory=dict)  # a paper's name -> this family's key (seq_len: ...)
    takes: tuple[str, ...] = ()  # task keys taken when the paper states them (no default in the plan)
    smoke_model: Callable[[Values], Values] | None = None  # a model built from its config, at smoke size
    model_types: tuple[str, ...] = ()  # the architectures it builds from their config (model_type); () none, or any
    metric_of: Callable[[Values], str] | None = None  # the metric when the plan's values decide it (else ``metric``)
    # data of other kinds it also trains on, turned into its own kind (causal-LM fine-tuning: rows as prompt and
    # completion); unlike ``dataset_task_types``, not the kinds of registry model it takes
    formats: tuple[str, ...] = ()
    # a registry data set's column keys (``DatasetInfo.columns``) -> this family's keys where its task file names them
    # otherwise (a seq2seq set's source and target are a causal LM's prompt and completion); a list key takes [name]
    columns: dict[str, str] = field(default_factory=dict)
    model_requirements: dict[str, tuple[str, ...]] = field(default_factory=dict)  # model_type -> what else it needs


# a sentence in which the paper trains the network it names itself ("We train a ResNet-50 on ImageNet for 90 epochs"),
# not one that starts from pretrained weights ("we fine-tune a ResNet-50 pretrained on ImageNet")
_TRAINS = re.compile(r"\b(?:train(?:s|ed|ing)?|from scratch|randomly initiali[sz]ed)\b", re.IGNORECASE)
_PRETRAINED = re.compile(r"\b(?:pre-?train\w*|fine-?tun\w*|checkpoints?|initiali[sz]ed (?:from|with)|transfer\w*|"
                         r"backbones?|weights)\b", re.IGNORECASE)


def _trained_itself(named: Resolved) -> bool:
    """The checkpoint the paper names is an architecture it trains itself: its quote trains it, and speaks of no
    pretrained weights. (Fine-tuning a checkpoint on the data it was trained on is no reproduction.)"""
    quote = named.source.quote if named.origin == "paper" and named.source is not None else ""
    return bool(_TRAINS.search(quote)) and not _PRETRAINED.search(quote)


def _not_its_sizes(values: Values, keys: tuple[str, ...], reason: Callable[[str], str]) -> None:
    """The sizes ``keys`` the network built does not take: a paper's (or the user's) unsupported with ``reason(key)``,
    a default's dropped."""
    for key in keys:
        if key in values and values[key].origin in ("paper", "override"):
            values[key] = values[key].model_copy(update={"origin": "unsupported", "reason": reason(key)})
        elif key in values:
            del values[key]


# the image task file's own imports beyond the loop's: Pillow (RandAugment's operations, images of mixed sizes)
IMAGE_REQUIREMENTS = ("pillow>=9",)


def randaugment_defaults(values: Values, dataset: DatasetInfo | None = None) -> Values:
    """RandAugment given by its magnitude alone ("RandAugment (9, 0.5)": M and its noise; or ``--set
    randaugment_magnitude=9``): the usual two operations per image, said to be a default."""
    if "randaugment_magnitude" in values and "randaugment_ops" not in values:
        values = {**values, "randaugment_ops": Resolved(value=2, origin="default", reason=(
            "not in the paper; RandAugment's usual two operations per image (Cubuk et al.'s N = 2, timm's default)"))}
    return values


def _image_model_type(values: Values, named: Resolved) -> Values:
    kind = next((k for k in ("resnet", "convnext", "swin") if k in str(named.value).lower()), "vit")
    return {**values, "model_type": Resolved(value=kind, origin="paper", source=named.source)}


def _seq2seq_tokenizer(values: Values, named: Resolved) -> Values:
    values = dict(values)
    pretrained = named.origin == "paper"
    values["tokenizer"] = Resolved(value=named.value if pretrained else "train-bpe", origin="default",
                                   reason=f"the tokenizer of {named.value}" if pretrained else
                                   "no pretrained tokenizer: a BPE trained on the training data")
    if not pretrained:
        values["vocab_size"] = Resolved(value=min(int(values["vocab_size"].value), 8000), origin="default",
                                        reason="a BPE vocabulary sized for the data")
    return values


def _scale_jitter(values: Values) -> Values:
    """A paper's scale augmentation gives the range of the image's shorter side in pixels ([256, 480]) around its crop
    (224): the task takes it as factors of the crop ([1.143, 2.143])."""
    jitter = values.get("scale_jitter")
    if jitter is None or jitter.origin != "paper" or not isinstance(jitter.value, list) or len(jitter.value) != 2:
        return values
    low, high = (float(v) for v in jitter.value)  # type: ignore[union-attr]
    if high <= 8:  # already factors
        return values
    crop = values.get("image_size")
    stated = crop is not None and crop.origin == "paper" and crop.value
    side = int(crop.value) if stated else 224  # type: ignore[union-attr, arg-type]
    note = f"the paper's shorter side in [{low:g}, {high:g}] px over its {side} px crop" if stated else \
        f"the paper's shorter side in [{low:g}, {high:g}] px over a {side} px crop (no crop size in the paper: the usual one)"
    factors = [round(max(low / side, 1.0), 3), round(max(high / side, 1.0), 3)]
    return {**values, "scale_jitter": jitter.model_copy(update={"value": factors, "reason": note})}


def _flips(values: Values, dataset: DatasetInfo) -> Values:
    if "augment" in values and values["augment"].origin in ("paper", "override"):
        return values
    natural = not dataset.loader.startswith("sklearn:")
    return {**values, "augment": Resolved(value=natural, origin="default", reason="random horizontal flips for "
                                          "natural images" if natural else "no flips: digits are not symmetric")}


def resnet_stages(depth: int) -> tuple[list[int], list[int], str] | None:
    """(blocks per stage, widths, block type) of a ResNet of ``depth`` layers: the ImageNet ones (18 to 152) and the
    CIFAR-style 6n+2 (20, 32, 44, 56, 110: three stages of n basic blocks, 16/32/64 wide); None: no such ResNet."""
    if depth in RESNETS:
        return RESNETS[depth]
    if depth >= 8 and (depth - 2) % 6 == 0:
        n = (depth - 2) // 6
        return [n, n, n], [16, 32, 64], "basic"
    return None


# EfficientNet-B0 and MobileNet 1.0 (width and depth 1.0): the sizes of their config, and the dropout before the
# classifier (B0's 0.2; TensorFlow's MobileNets keep 0.999 of it: 0.001)
CONV_NET_DEFAULTS = {"efficientnet": ("EfficientNet-B0", 0.2), "mobilenet_v1": ("MobileNet v1 1.0", 0.001),
                     "mobilenet_v2": ("MobileNet v2 1.0", 0.001)}
# their weighted layers at depth 1.0, counted as their papers count them (MobileNet v1: the first convolution, 13
# depthwise and 13 pointwise ones and the classifier, "28 layers")
CONV_NET_LAYERS = {"mobilenet_v1": 28}


# EfficientNet-B0 to B7 (Tan & Le, 2019; their released code's table): width and depth coefficients, resolution,
# dropout before the classifier
EFFICIENTNETS = {"b0": (1.0, 1.0, 224, 0.2), "b1": (1.0, 1.1, 240, 0.2), "b2": (1.1, 1.2, 260, 0.3),
                 "b3": (1.2, 1.4, 300, 0.3), "b4": (1.4, 1.8, 380, 0.4), "b5": (1.6, 2.2, 456, 0.4),
                 "b6": (1.8, 2.6, 528, 0.5), "b7": (2.0, 3.1, 600, 0.5)}


def _conv_net(values: Values) -> Values:
    """An EfficientNet or MobileNet built from its config: its size is its width (and EfficientNet's depth)
    coefficient, not a ViT's sizes or a layer count (a paper's are unsupported); the dropout before its classifier.
    The variant the paper names (``model_variant``) sets them: EfficientNet-B1 to B7 their coefficients, resolution
    and dropout; a MobileNet its width multiplier (and resolution)."""
    kind = str(values["model_type"].value)
    name, dropout = CONV_NET_DEFAULTS[kind]
    variant = values.pop("model_variant", None)
    width, depth, side = 1.0, 1.0, 0
    if variant is not None and kind == "efficientnet":
        width, depth, side, dropout = EFFICIENTNETS[str(variant.value)]
        name = f"EfficientNet-{str(variant.value).upper()}"
    elif variant is not None:
        width_text, _, side_text = str(variant.value).partition("-")
        width, side = float(width_text), int(side_text or 0)
        name = f"{name.rsplit(' ', 1)[0]} {width:g}" + (f" at {side} px" if side else "")
    keys = (*VIT_KEYS, "num_layers")
    if "num_layers" in values and values["num_layers"].value == CONV_NET_LAYERS.get(kind):
        values["num_layers"] = values["num_layers"].model_copy(update={"reason": (
            f"{name} has these {values['num_layers'].value} layers (depthwise and pointwise convolutions counted "
            "apart, and the classifier), as built")})
        keys = VIT_KEYS
    _not_its_sizes(values, keys, lambda key: f"{name}'s size is set by its width"
                   f"{' and depth' if kind == 'efficientnet' else ''} coefficient, not a {key}")
    def sized(value: float, what: str) -> Resolved:
        if variant is None:
            return Resolved(value=value, origin="default", reason=f"{name}'s {what}")
        return Resolved(value=value, origin="paper", source=variant.source, reason=f"{name}'s {what}, the variant "
                        "the paper names")

    if "width_coefficient" not in values or values["width_coefficient"].origin not in ("paper", "override"):
        values["width_coefficient"] = sized(width, "width")
    if kind == "efficientnet":
        values["depth_coefficient"] = sized(depth, "depth")
    if side and values.get("image_size") is not None and values["image_size"].origin == "default":
        values["image_size"] = Resolved(value=side, origin="default", reason=f"{name}'s resolution (the variant the "
                                        "paper names)")
    if "dropout" not in values or values["dropout"].origin == "default":
        values["dropout"] = Resolved(value=dropout, origin="default", reason=f"{name}'s dropout before the classifier")
    return values


# networks built in stages, by the variant a paper names: ConvNeXt-T to XL (Liu et al., 2022, section 3: blocks per
# stage, the widths of the four stages) and Swin-T to L (Liu et al., 2021, section 3.3: its first stage's width, each
# later stage's twice the one before; blocks and heads per stage)
STAGED = {
    "convnext": {"t": {"convnext_depths": [3, 3, 9, 3], "convnext_hidden_sizes": [96, 192, 384, 768]},
                 "s": {"convnext_depths": [3, 3, 27, 3], "convnext_hidden_sizes": [96, 192, 384, 768]},
                 "b": {"convnext_depths": [3, 3, 27, 3], "convnext_hidden_sizes": [128, 256, 512, 1024]},
                 "l": {"convnext_depths": [3, 3, 27, 3], "convnext_hidden_sizes": [192, 384, 768, 1536]},
                 "xl": {"convnext_depths": [3, 3, 27, 3], "convnext_hidden_sizes": [256, 512, 1024, 2048]}},
    "swin": {size: {"swin_embed_dim": width, "swin_depths": depths, "swin_heads": heads, "window_size": 7}
             for size, width, depths, heads in (("t", 96, [2, 2, 6, 2], [3, 6, 12, 24]),
                                                ("s", 96, [2, 2, 18, 2], [3, 6, 12, 24]),
                                                ("b", 128, [2, 2, 18, 2], [4, 8, 16, 32]),
                                                ("l", 192, [2, 2, 18, 2], [6, 12, 24, 48]))},
}
_STAGED_NAMES = {"convnext": "ConvNeXt", "swin": "Swin"}
_STAGED_WHAT = {"convnext_depths": "blocks per stage", "convnext_hidden_sizes": "widths of its four stages",
                "swin_embed_dim": "first stage's width", "swin_depths": "blocks per stage",
                "swin_heads": "heads per stage", "window_size": "attention windows (7x7)"}


def _staged(values: Values, dataset: DatasetInfo) -> Values:
    """A ConvNeXt or Swin built from its config (transformers' classes): the variant the paper names
    (``model_variant``, else the smallest, T) sets its blocks, widths and heads per stage; a single width, head count
    or layer count the paper states (a ViT's sizes) is not its size and is unsupported; its patch (ConvNeXt's 4x4
    "patchify" stem) is ``patch_size``."""
    kind = str(values["model_type"].value)
    variant = values.pop("model_variant", None)
    size = str(variant.value) if variant is not None and str(variant.value) in STAGED[kind] else "t"
    name = f"{_STAGED_NAMES[kind]}-{size.upper()}"
    _not_its_sizes(values, ("hidden_size", "num_heads", "intermediate_size", "num_layers"),
                   lambda key: f"{name}'s size is its blocks, widths and heads per stage (its variant's), not one {key}")
    for key, value in STAGED[kind][size].items():
        if key in values and values[key].origin == "override":
            continue
        values[key] = Resolved(value=value, origin="default", reason=f"{name}'s {_STAGED_WHAT[key]}") \
            if variant is None else Resolved(value=value, origin="paper", source=variant.source,
                                             reason=f"{name}'s {_STAGED_WHAT[key]}, the variant the paper names")
    image = values.get("image_size")
    if kind == "swin" and image is not None and image.origin == "default" and not image.value \
            and (dataset.image_size or 224) < 224:  # (its 7x7 windows, 4x4 patches and three mergings: 224 px)
        values["image_size"] = Resolved(value=224, origin="default", reason=f"{name}'s windows (7x7 at every stage) "
                                        f"need 224 px images: the data's {dataset.image_size} px are resized")
    return values


VGG_DEPTHS = (11, 13, 16, 19)  # configurations A, B, D, E (train.py's task file: VGG_LAYERS)
# DenseNet's ImageNet networks (growth rate 32): depth -> layers per dense block (Huang et al., Table 1)
DENSENETS = {121: [6, 12, 24, 16], 169: [6, 12, 32, 32], 201: [6, 12, 48, 32], 264: [6, 12, 64, 48]}


def densenet_blocks(depth: int) -> list[int] | None:
    """Layers per dense block of a DenseNet of ``depth``: the ImageNet ones, or DenseNet-BC's three blocks of
    (depth - 4) / 6 bottleneck layers (100, 190, 250); None: no such DenseNet."""
    if depth in DENSENETS:
        return DENSENETS[depth]
    return [(depth - 4) // 6] * 3 if depth >= 10 and (depth - 4) % 6 == 0 else None


def _plain_net(values: Values, dataset: DatasetInfo) -> Values:
    """A VGG or DenseNet-BC (the task file's own): its depth from the paper's layer count where it has one (else
    its default, said so), no ViT sizes (a paper's are unsupported), its dropout and width."""
    kind = str(values["model_type"].value)
    for key in VIT_KEYS:
        if key in values and values[key].origin in ("paper", "override"):
            values[key] = values[key].model_copy(update={"origin": "unsupported", "reason": f"a Vision Transformer's "
                                                  f"size: the plan builds a {kind}"})
        elif key in values:
            del values[key]
    layers = values.pop("num_layers")
    stated = layers.origin in ("paper", "override")
    small = (dataset.image_size or 224) <= 64
    variant = values.pop("model_variant", None)
    if kind == "vgg":
        default, fits = 16, stated and int(layers.value) in VGG_DEPTHS  # type: ignore[arg-type]
        values["vgg_fc_size"] = Resolved(value=4096, origin="default", reason="VGG's fully connected layers")
        values["vgg_batch_norm"] = Resolved(value=True, origin="paper", source=variant.source, reason="batch "
                                            "normalisation after each convolution, as the paper names it") \
            if variant is not None else Resolved(value=False, origin="default", reason="VGG as Simonyan & Zisserman "
                                                 "built it: no batch normalisation")
        dropout = (0.5, "VGG's dropout in its two fully connected layers")
    else:
        default = 100 if small else 121
        fits = stated and densenet_blocks(int(layers.value)) is not None  # type: ignore[arg-type]
        depth = int(layers.value) if fits else default  # type: ignore[arg-type]
        blocks = densenet_blocks(depth)
        values["densenet_blocks"] = Resolved(value=blocks, origin="default", reason=f"DenseNet-{depth}'s dense blocks"
                                             + (" (DenseNet-BC: (depth - 4) / 6 bottleneck layers each)"
                                                if depth not in DENSENETS else ""))
        k = 32 if depth in DENSENETS else 12
        values["growth_rate"] = Resolved(value=k, origin="default", reason=f"growth rate {k}: DenseNet's for the "
                                         + ("ImageNet networks" if k == 32 else "CIFAR networks (DenseNet-BC, k = 12)"))
        dropout = (0.0, "DenseNet trains without dropout on augmented data")
    if fits:
        values["depth"] = layers.model_copy(update={"reason": f"the {kind}'s depth"})
    else:
        values["depth"] = Resolved(value=default, origin="default", reason=f"{kind} of {default} layers" + (
            " (the paper's depth cannot be built: see unsupported)" if stated else " when the paper gives no depth"))
        if stated:
            values["num_layers"] = layers.model_copy(update={"origin": "unsupported", "reason": (
                f"no VGG has {layers.value} weight layers: 11, 13, 16, 19" if kind == "vgg" else
                f"no DenseNet has {layers.value} layers: 121, 169, 201, 264 and DenseNet-BC's 6n+4 (100, 190, 250)")})
    values["width_coefficient"] = Resolved(value=1.0, origin="default", reason=f"the {kind}'s own widths")
    if "dropout" not in values or values["dropout"].origin == "default":
        values["dropout"] = Resolved(value=dropout[0], origin="default", reason=dropout[1])
    return values


def _vit_shape(values: dict[str, Resolved]) -> None:
    """A ViT's sizes the paper leaves out, made to fit the ones it gives (ViT's and DeiT's own proportions): 64-wide
    heads (768 wide is 12 heads, 384 is 6) and a feed-forward block 4 x the width; so a paper's width of 512 never
    meets the recipe's 3 heads (512 is no multiple of 3: transformers refuses the model)."""
    def stated(key: str) -> int | None:
        value = values.get(key)  # (a list of widths is no one width: left as it is)
        return int(value.value) if value is not None and value.origin in ("paper", "override") and isinstance(
            value.value, (int, float)) and not isinstance(value.value, bool) else None

    width, heads = stated("hidden_size"), stated("num_heads")
    if width and not heads:
        heads = width // 64 if width % 64 == 0 else next((h for h in (16, 12, 8, 6, 4, 3, 2) if width % h == 0), 1)
        values["num_heads"] = Resolved(value=heads, origin="default", reason=f"not in the paper; {heads} heads of "
                                       f"{width // heads} for the paper's width {width} (ViT's heads are 64 wide)")
    elif heads and not width:
        width = 64 * heads
        values["hidden_size"] = Resolved(value=width, origin="default", reason=f"not in the paper; 64 per head for "
                                         f"the paper's {heads} heads (ViT's heads are 64 wide)")
    if width and not stated("intermediate_size"):
        values["intermediate_size"] = Resolved(value=4 * width, origin="default", reason=f"not in the paper; 4 x the "
                                               f"width {width}, as in ViT")


_NAMED_DEPTH = {"resnet": r"(?:Pre-?Act-?)?ResNet", "vgg": r"VGG", "densenet": r"DenseNet(?:-BC)?"}


def _depth_named(values: dict[str, Resolved]) -> None:
    """A network the paper names with its depth ("a ResNet-110", "VGG-19", "DenseNet-121") and whose layers it does
    not count otherwise is built at that depth, its quote the sentence that names it."""
    kind, layers = values["model_type"], values.get("num_layers")
    pattern = _NAMED_DEPTH.get(str(kind.value))
    if pattern is None or kind.origin != "paper" or kind.source is None or \
            (layers is not None and layers.origin in ("paper", "override")):
        return
    if m := re.search(rf"\b{pattern}-?(\d{{2,3}})\b", kind.source.quote):
        values["num_layers"] = Resolved(value=int(m.group(1)), origin="paper", source=kind.source,
                                        reason=f"the depth its name gives ({m.group(0)})")


def _image_hf(values: Values, dataset: DatasetInfo) -> Values:
    """A ResNet drops the ViT's sizes (a paper's own are unsupported) and takes its depth (``num_layers``) as the
    stage layout; an EfficientNet or MobileNet its coefficients (``_conv_net``), a VGG or DenseNet its depth
    (``_plain_net``); then the flips."""
    values = dict(values)
    if values["model_type"].value == "vit" and not values["model"].value:
        _vit_shape(values)
    if not values["model"].value:
        _depth_named(values)
    if values["model_type"].value in CONV_NETS and not values["model"].value:
        values = _conv_net(values)
    if values["model_type"].value in ("vgg", "densenet") and not values["model"].value:
        values = _plain_net(values, dataset)
    if values["model_type"].value in STAGED and not values["model"].value:
        values = _staged(values, dataset)
    elif "drop_path_rate" in values and values["drop_path_rate"].origin == "paper":
        values["drop_path_rate"] = values["drop_path_rate"].model_copy(update={"origin": "unsupported", "reason": (
            "stochastic depth: of the networks the recipe builds, only its ConvNeXt and Swin drop blocks")})
    values.pop("model_variant", None)  # (a variant of a network not built: a pretrained model's is its own)
    if values["model_type"].value == "resnet" and not values["model"].value:
        _not_its_sizes(values, VIT_KEYS, lambda key: "a Vision Transformer's size: the plan builds a ResNet")
        layers = values.pop("num_layers")
        stated = layers.origin in ("paper", "override")
        depth = int(layers.value) if stated else 50  # type: ignore[arg-type]
        stages = resnet_stages(depth)
        if stages is None:
            values["num_layers"] = layers.model_copy(update={"origin": "unsupported", "reason": (
                f"no ResNet has {depth} layers: the recipe builds 18, 34, 50, 101, 152 (transformers' ResNet) and "
                "the CIFAR-style 6n+2 (20, 32, 44, 56, 110)")})
            depth, stages = 50, RESNETS[50]
            values["depth"] = Resolved(value=50, origin="default", reason="ResNet-50, the paper's depth cannot be "
                                       "built (see unsupported)")
        else:
            values["depth"] = (layers.model_copy(update={"reason": "the ResNet's depth"}) if stated else
                               Resolved(value=50, origin="default", reason="ResNet-50 when the paper gives no depth"))
        depths, widths, block = stages
        note = f"ResNet-{depth}'s stages"
        values["resnet_depths"] = Resolved(value=depths, origin="default", reason=note)
        values["resnet_hidden_sizes"] = Resolved(value=widths, origin="default", reason=note)
        values["resnet_layer_type"] = Resolved(value=block, origin="default", reason=note)
        cifar = widths[0] == 16
        values["resnet_variant"] = Resolved(value="cifar" if cifar else "imagenet", origin="default", reason=(
            f"ResNet-{depth} is a CIFAR network (6n+2 layers, He et al., section 4.2): a 3x3 convolution of 16 maps, "
            "three stages of basic blocks 16/32/64 wide, global average pooling, the classifier" if cifar else
            f"ResNet-{depth} is an ImageNet network: transformers' ResNet (7x7 stride-2 stem, max-pooling)"))
        if cifar:
            values["resnet_shortcut"] = Resolved(value="A", origin="default", reason="option A, He et al.'s for CIFAR: "
                                                 "identity shortcuts, zero-padded where the width doubles")
        if "dropout" in values and values["dropout"].origin == "paper":
            values["dropout"] = values["dropout"].model_copy(update={"origin": "unsupported", "reason": "a ResNet "
                                                              "has no dropout layer (He et al.'s, as transformers')"})
        for key, why in (("warmup_ratio", "ResNets train without warm-up (He et al.)"),
                         ("grad_clip", "ResNets train without gradient clipping")):
            if values[key].origin == "default":
                values[key] = Resolved(value=0.0, origin="default",
                                       reason=f"not in the paper; {why}")
    return _flips(_scale_jitter(randaugment_defaults(values)), dataset)


# the token-classification task's own taggers (model empty): a BiLSTM-CRF (Huang et al., 2015), or a BiLSTM with a
# softmax per word (TAGGERS); their settings, used only when no pretrained encoder is fine-tuned
TAGGER = {
    "model_type": ("bilstm-crf", "the tagger built when no pretrained encoder is fine-tuned (model empty): a BiLSTM-CRF"),
    "embedding_dim": (100, "100-dimensional word embeddings, as Lample et al.'s BiLSTM-CRF"),
    "hidden_size": (100, "100 LSTM units each way, as Lample et al.'s BiLSTM-CRF"),
    "num_layers": (1, "one bidirectional LSTM layer, as in Huang et al. and Lample et al."),
    "min_word_frequency": (2, "training words seen once are [UNK], so the [UNK] embedding is trained too"),
}
TAGGER_NAMES = {"bilstm-crf": "BiLSTM-CRF", "bilstm": "BiLSTM tagger"}


def _tagger(values: Values, dataset: DatasetInfo) -> Values:
    """A paper's LSTM tagger (``model_type`` from the paper) is built, not a pretrained encoder fine-tuned in its
    place, with the sizes it states and defaults for a network trained from scratch; a pretrained encoder's plan
    drops the tagger's sizes (the checkpoint's own are its: a paper's are carried or unsupported by the planner)."""
    values = dict(values)
    kind = values["model_type"]
    name = TAGGER_NAMES.get(str(kind.value), str(kind.value))
    if kind.origin == "paper" and values["model"].origin == "default":
        values["model"] = Resolved(value="", origin="default", reason=f"the paper's {name} is built (random init, a "
                                   "word vocabulary from the training split), not a pretrained encoder")
    if values["model"].value:
        for key in TAGGER:
            if key == "model_type" and values[key].origin == "paper":
                values[key] = kind.model_copy(update={"origin": "unsupported", "reason": f"the plan fine-tunes "
                                              f"{values['model'].value} with a linear tag layer, not the paper's {name}"})
            elif key != "model_type":
                values.pop(key, None)
        return values
    if "dropout" not in values:
        values["dropout"] = Resolved(value=0.5, origin="default", reason=f"not in the paper; dropout 0.5 on the "
                                     f"{name}'s embeddings and LSTM outputs, as Lample et al.")
    fits = {"learning_rate": (0.01 if values["optimizer"].value == "sgd" else 1e-3,
                              "SGD at 0.01, as Lample et al." if values["optimizer"].value == "sgd" else
                              "AdamW at 1e-3, the usual rate for a network trained from scratch"),
            "epochs": (10, "10 epochs: a tagger trained from scratch needs more passes than a fine-tuned encoder"),
            "max_length": (128, "128 words cover most sentences")}
    for key, (value, why) in fits.items():
        if values[key].origin == "default":
            values[key] = Resolved(value=value, origin="default", reason=f"not in the paper; {why}")
    return values


# causal-LM fine-tuning on data that is not plain text: the data's kind -> the project's prompt template (causal_lm.py)
PROMPT_TEMPLATES = {"text-classification": "classification", "question-answering": "question-answering",
                    "seq2seq": "seq2seq", "causal-lm": "text"}
TEMPLATE_WHY = {
    "classification": "each row a prompt (its text columns, the class names as options) and its class name as the "
                      "completion, the loss on the completion only; accuracy by rank classification (the class the "
                      "model finds likeliest, as FLAN scores classification)",
    "question-answering": "each row a prompt (context and question) and its first answer as the completion, the loss "
                          "on the completion only; exact match and F1 of the greedy answer against every gold answer",
    "seq2seq": "each row a prompt (the source; an instruction for a translation) and the target as the completion, "
               "the loss on the completion only; perplexity of the completion (BLEU or ROUGE would need long "
               "generations and their scorer)",
    "text": "plain text, packed into blocks, the loss on every token",
    "auto": "the kind read from the data's columns when the project loads it (classification, question answering, "
            "sequence pairs or plain text)",
}
TEMPLATE_METRICS = {"classification": "accuracy", "question-answering": "f1"}


def _instruction_template(values: Values, dataset: DatasetInfo) -> Values:
    """The prompt template for the data's kind (recorded in the plan: the project turns rows into prompt and
    completion by it)."""
    kind = "auto" if dataset.key == "custom" else PROMPT_TEMPLATES.get(dataset.task_type, "text")
    data = "data given as a source" if kind == "auto" else f"{dataset.key} is {dataset.task_type} data"
    return {**values, "template": Resolved(value=kind, origin="default", reason=f"{data}: {TEMPLATE_WHY[kind]}")}


def _template_metric(values: Values) -> str:
    template = values.get("template")
    return TEMPLATE_METRICS.get(str(template.value) if template else "text", "perplexity")


def _problem(values: Values, dataset: DatasetInfo) -> Values:
    values = {**values, "problem": Resolved(value="regression" if dataset.task_type == "tabular-regression"
                                            else "classification", origin="default",
                                            reason=f"{dataset.key} is {dataset.task_type} data")}
    return _boosting(values) if values.get("model_type") and values["model_type"].value == "gbdt" else values


# gradient-boosted trees (tabular.py's Boosted): the loop's rate is the shrinkage and its steps the rounds
GBDT_DEFAULTS = {
    "learning_rate": (0.3, "XGBoost's default shrinkage (eta)"),
    "max_steps": (100, "100 boosting rounds (trees), XGBoost's scikit-learn default"),
    "epochs": (0, "boosted trees count rounds (max_steps), not epochs: a round fits a tree to the whole split"),
    "lr_schedule": ("constant", "XGBoost's shrinkage is the same every round"),
    "warmup_ratio": (0.0, "no warm-up: trees have no optimizer state to settle"),
    "weight_decay": (0.0, "trees have no weights to decay (reg_lambda is their L2 penalty on the leaves)"),
    "grad_clip": (0.0, "no gradient steps to clip"),
    "batch_size": (1024, "evaluation batches only: each round sees the whole training split"),
    "optimizer": ("adamw", "none fits the trees: the loop's optimizer only carries the rate each round reads"),
}


def _boosting(values: Values) -> Values:
    """A plan for boosted trees: the MLP's settings dropped, the loop's defaults replaced by boosting's (the paper's
    and the user's values stay), evaluations and checkpoints every tenth of the rounds."""
    values = {k: v for k, v in values.items() if k not in ("hidden_sizes", "dropout")}
    for key, (value, why) in GBDT_DEFAULTS.items():
        if key not in values or values[key].origin == "default":
            values[key] = Resolved(value=value, origin="default", reason=f"not in the paper; {why}")
    tenth = max(1, int(values["max_steps"].value) // 10)  # type: ignore[call-overload]
    for key in ("eval_every", "checkpoint_every"):
        if key not in values or values[key].origin == "default":
            values[key] = Resolved(value=tenth, origin="default", reason="every tenth of the rounds")
    return values


def _packaged_images(dataset: DatasetInfo) -> str | None:
    if dataset.loader.startswith("sklearn:") and dataset.image_size:
        return None
    return (f"the small-CNN recipe loads scikit-learn's packaged images (digits); {dataset.key} "
            f"({dataset.loader}) goes to the image-classification-hf recipe (ViT, ResNet)")


def _cnn_hardware(values: dict, dataset: DatasetInfo, scale: str) -> HardwarePlan:
    return conv_net(values, dataset, scale)


SMOKE_CPU_MINUTES = 0.5  # what a smoke run's steps may take on a CPU before the plan cuts them down
SMOKE_BATCH = 8
SMOKE_IMAGE_SIDE = 32
SMOKE_LENGTH = 64


def _cut(values: Values, key: str, value: object, why: str) -> None:
    """``key`` set to ``value`` for scale smoke (origin ``scale``), saying what it was and why."""
    old = values.get(key)
    if old is None or old.value == value or old.origin == "override":
        return
    values[key] = Resolved(value=value, origin="scale", source=old.source,
                           reason=f"scale smoke: {why} (the plan's {old.value!r} is for a larger scale)")


def _smoke_batch(values: Values) -> None:
    """The batch cut to ``SMOKE_BATCH``, and the learning rate with it in proportion (the linear scaling rule: a
    paper's rate for a batch of thousands diverges in a few steps of 8, and each halving of the repair costs a
    smoke attempt)."""
    batch = int(values["batch_size"].value)  # type: ignore[arg-type]
    _cut(values, "batch_size", min(batch, SMOKE_BATCH), f"{SMOKE_BATCH} examples a step")
    rate = values.get("learning_rate")
    if batch > SMOKE_BATCH and values["batch_size"].value == SMOKE_BATCH and rate is not None and rate.value:
        _cut(values, "learning_rate", float(f"{float(rate.value) * SMOKE_BATCH / batch:.3g}"),  # type: ignore[arg-type]
             f"the rate scaled with the batch ({SMOKE_BATCH}/{batch}, the linear scaling rule)")


def _smoke_inputs(values: Values) -> None:
    image = values.get("image_size")
    pretrained = "model" in values and bool(values["model"].value)  # (its position embeddings: its input size)
    if image is not None and not pretrained and (not image.value
                                                 or int(image.value) > SMOKE_IMAGE_SIDE):  # type: ignore[arg-type]
        _cut(values, "image_size", SMOKE_IMAGE_SIDE, f"images resized to {SMOKE_IMAGE_SIDE} px")
    for key in ("max_length", "max_source_length", "max_target_length", "block_size"):
        if key in values and int(values[key].value) > SMOKE_LENGTH:  # type: ignore[arg-type]
            _cut(values, key, SMOKE_LENGTH, f"{SMOKE_LENGTH}-token sequences")
    if "max_generate_examples" in values:
        _cut(values, "max_generate_examples", 16, "generation on 16 examples")


def _seq2seq_smoke(values: Values) -> Values:
    if values["model"].value:
        return values
    values = dict(values)
    for key, size in (("d_model", 64), ("num_layers", 2), ("num_heads", 2), ("d_ff", 256)):
        _cut(values, key, size, "the encoder-decoder at smoke size")
    if values.get("tokenizer") and values["tokenizer"].value == "train-bpe":
        _cut(values, "vocab_size", min(int(values["vocab_size"].value), 2000), "a 2,000-token BPE")  # type: ignore
    return values


def _image_smoke(values: Values) -> Values:
    if values["model"].value:
        return values
    values = dict(values)
    if values["model_type"].value in CONV_NETS:
        _cut(values, "width_coefficient", 0.25, "a quarter of the channels")
        return values
    if values["model_type"].value == "vgg":
        _cut(values, "width_coefficient", 0.125, "an eighth of the channels")
        _cut(values, "vgg_fc_size", 256, "256-wide fully connected layers")
        return values
    if values["model_type"].value == "densenet":
        _cut(values, "densenet_blocks", [2] * len(values["densenet_blocks"].value), "two layers a block")  # type: ignore
        return values
    if values["model_type"].value == "swin":
        _cut(values, "swin_depths", [1] * len(values["swin_depths"].value), "one block per stage")  # type: ignore
        _cut(values, "swin_embed_dim", 16, "16 wide at the first stage")
        _cut(values, "swin_heads", [1, 2, 4, 8][:len(values["swin_heads"].value)], "a head per 16 of width")  # type: ignore
        return values
    if values["model_type"].value in ("resnet", "convnext"):
        kind = str(values["model_type"].value)
        depths, widths = values[f"{kind}_depths"].value, values[f"{kind}_hidden_sizes"].value
        _cut(values, f"{kind}_depths", [1] * len(depths), "one block per stage")  # type: ignore[arg-type]
        _cut(values, f"{kind}_hidden_sizes", [max(8, int(w) // 8) for w in widths],  # type: ignore[union-attr]
             "an eighth of the widths")
        return values
    for key, size in (("hidden_size", 64), ("num_layers", 2), ("num_heads", 2), ("intermediate_size", 128)):
        _cut(values, key, size, "the Vision Transformer at smoke size")
    return values


FAMILIES = [
    Family("text-classification", ("text-classification", "sentiment-analysis", "natural-language-inference",
                                   "sequence-classification"), "text_classification.py", "accuracy",
           ("text-classification",), {
               "model": ("google-bert/bert-base-uncased", "BERT-base, the standard encoder to fine-tune for "
                                                          "classification when the paper names none"),
               "learning_rate": (2e-5, "within BERT's recommended fine-tuning range {2e-5, 3e-5, 5e-5}"),
               "batch_size": (32, "BERT's recommended fine-tuning batch size {16, 32}"),
               "epochs": (3, "BERT's recommended 2 to 4 epochs of fine-tuning"),
               "max_length": (128, "128 tokens cover most single sentences and sentence pairs"),
               **LOOP}, model_keys=("model", "max_length", "dropout"), extra_requirements=(),
           paper_names={"seq_len": "max_length"}, takes=("dropout", "layer_decay"),
           small={"max_train_examples": (2000, "scale small: 2,000 training examples, minutes on a CPU"),
                  "max_length": (64, "scale small: 64 tokens"), "epochs": (1, "scale small: one epoch")}),
    Family("token-classification", ("token-classification", "named-entity-recognition", "ner", "pos-tagging"),
           "token_classification.py", "f1", ("token-classification",), {
               "model": ("google-bert/bert-base-cased", "cased BERT-base: capitals matter for names"),
               "learning_rate": (5e-5, "a common fine-tuning rate for NER with BERT"),
               "batch_size": (32, "a common fine-tuning batch size"),
               "epochs": (3, "3 epochs, as in the BERT NER fine-tuning setup"),
               "max_length": (128, "128 sub-word tokens cover most sentences"),
               **TAGGER, **LOOP},
           model_keys=("model", "max_length", "dropout", *TAGGER), extra_requirements=("seqeval>=1.2",),
           paper_names={"seq_len": "max_length"}, takes=("dropout", "layer_decay", *TAGGER),
           small={"max_train_examples": (2000, "scale small: 2,000 training sentences"),
                  "epochs": (1, "scale small: one epoch")}, adjust=_tagger, model_types=TAGGERS),
    Family("causal-lm-pretraining", ("causal-lm", "causal-lm-pretraining", "language-modeling", "pre-training",
                                     "pretraining"), "causal_lm.py", "perplexity", ("causal-lm",), {
               "model_type": ("gpt2", "GPT-2's architecture when the paper names none"),
               "n_layer": (12, "GPT-2 small (124M): 12 layers"), "n_head": (12, "GPT-2 small: 12 heads"),
               "n_embd": (768, "GPT-2 small: width 768"), "block_size": (1024, "GPT-2's context of 1,024 tokens"),
               "dropout": (0.0, "no dropout for pre-training, as in nanoGPT"),
               "tokenizer": ("", "GPT-2's tokenizer"), "vocab_size": (50257, "GPT-2's vocabulary"),
               "learning_rate": (6e-4, "GPT-2 small's peak rate (GPT-3 paper, table 2.1)"),
               "batch_size": (16, "16 sequences of 1,024 tokens per device"),
               "epochs": (1, "one pass over the corpus"),
               "weight_decay": (0.1, "GPT-3's weight decay of 0.1"),
               "adam_beta2": (0.95, "GPT-3's beta2 of 0.95 for stable pre-training"),
               **{k: v for k, v in LOOP.items() if k not in ("weight_decay",)},
               "lr_schedule": ("cosine", "cosine decay, as GPT-3"),
               "warmup_ratio": (0.02, "a short linear warm-up"),
           }, model_keys=("model_type", "n_layer", "n_head", "n_embd", "block_size", "dropout", "tokenizer",
                          "vocab_size", "intermediate_size"), extra_requirements=("tokenizers>=0.15", "peft>=0.12"),
           small={"n_layer": (2, "scale small: a 2-layer model trains in minutes on a CPU"),
                  "n_head": (4, "scale small: 4 heads"), "n_embd": (128, "scale small: width 128"),
                  "block_size": (128, "scale small: 128-token context"),
                  "tokenizer": ("train-bpe", "scale small: a BPE trained on the data (no download)"),
                  "vocab_size": (4096, "scale small: a 4,096-token vocabulary"),
                  "learning_rate": (3e-3, "scale small: a tiny model takes a larger rate"),
                  "max_train_tokens": (400_000, "scale small: 400k training tokens"),
                  "batch_size": (16, "scale small: 16 sequences")}, config_defaults={"model": ""},
           paper_names={"num_layers": "n_layer", "hidden_size": "n_embd", "num_heads": "n_head", "seq_len": "block_size",
                        "d_ff": "intermediate_size"}, takes=("intermediate_size",)),
    Family("causal-lm-finetuning", ("causal-lm-finetuning", "instruction-tuning", "lora", "qlora",
                                    "supervised-fine-tuning"), "causal_lm.py", "perplexity", ("causal-lm",), {
               "model": ("HuggingFaceTB/SmolLM2-135M", "a small open model when the paper names none"),
               "lora": (True, "LoRA adapters: a fraction of the memory of full fine-tuning"),
               "lora_r": (16, "rank 16, a common LoRA rank"), "lora_alpha": (32, "alpha = 2 x rank"),
               "lora_dropout": (0.05, "the usual LoRA dropout"),
               "block_size": (1024, "1,024-token packed sequences"),
               "learning_rate": (2e-4, "the usual LoRA learning rate"),
               "batch_size": (8, "8 sequences per device"), "epochs": (1, "one epoch of fine-tuning"),
               **LOOP}, model_keys=("model", "lora", "lora_r", "lora_alpha", "lora_dropout", "block_size",
                                    "lora_target_modules"),
           extra_requirements=("peft>=0.12", "tokenizers>=0.15"),
           paper_names={"seq_len": "block_size", "lora_rank": "lora_r", "dropout": "lora_dropout",
                        "lora_targets": "lora_target_modules", "target_len": "max_answer_tokens"},
           takes=("lora_target_modules", "prompt_columns", "completion_column", "source_lang", "target_lang",
                  "max_answer_tokens", "max_generate_examples"),
           small={"block_size": (128, "scale small: 128-token sequences"),
                  "max_train_tokens": (100_000, "scale small: 100k training tokens"),
                  "max_generate_examples": (50, "scale small: answers generated for 50 held-out questions")},
           adjust=_instruction_template, metric_of=_template_metric,
           formats=("text-classification", "question-answering", "seq2seq"),  # instruction tuning
           columns={"source_column": "prompt_columns", "target_column": "completion_column"}),
    Family("seq2seq", ("seq2seq", "translation", "machine-translation", "summarization", "summarisation"),
           "seq2seq.py", "bleu", ("seq2seq",), {
               "model": ("google-t5/t5-small", "T5-small, a standard encoder-decoder to fine-tune"),
               "learning_rate": (3e-4, "a common rate for fine-tuning T5 with AdamW"),
               "batch_size": (32, "a common batch size for T5-small"), "epochs": (3, "3 epochs"),
               "max_source_length": (128, "128 source tokens"), "max_target_length": (128, "128 target tokens"),
               "num_beams": (1, "greedy decoding for the evaluation (beam search costs more)"),
               "model_type": ("t5", "T5's encoder-decoder when the model is built from its config"),
               "d_model": (512, "T5-small's width"), "num_layers": (6, "T5-small's depth"),
               "num_heads": (8, "T5-small's heads"), "d_ff": (2048, "T5-small's feed-forward width"),
               "tokenizer": ("", "the model's own tokenizer"), "vocab_size": (32000, "T5's vocabulary size"),
               "dropout": (0.1, "T5's dropout"),
               **LOOP}, model_keys=("model", "model_type", "d_model", "num_layers", "num_heads", "d_ff", "dropout",
                                    "tokenizer",
                                    "vocab_size", "max_source_length", "max_target_length"),
           extra_requirements=("sacrebleu>=2",),
           small={"max_train_examples": (2000, "scale small: 2,000 sentence pairs"),
                  "max_generate_examples": (100, "scale small: BLEU on 100 generated examples")},
           sizes=("d_model", "num_layers", "num_heads", "d_ff"), from_config=_seq2seq_tokenizer,
           smoke_model=_seq2seq_smoke,
           paper_names={"hidden_size": "d_model", "seq_len": "max_source_length", "intermediate_size": "d_ff",
                        "target_len": "max_target_length"}),
    # The small CNN on packaged images: plain PyTorch in the task file (for a model this small the per-step overhead
    # of anything heavier would dominate). Registered before the ViT/ResNet family, which takes every other image.
    Family("image-classification", ("image-classification",), "image_classification.py", "accuracy",
           ("image-classification",), {
               "model_type": ("cnn", "a small convolutional network for small images when the paper names no "
                                     "other architecture"),
               "conv_channels": ([32, 64], "two convolution layers: enough for 8x8 images"),
               "kernel_size": (3, "the usual 3x3 kernel"),
               "hidden_size": (128, "a small fully connected layer for 10 classes"),
               "dropout": (0.25, "common regulariser for small CNNs"),
               "optimizer": ("adamw", "robust default without tuning"),
               "learning_rate": (1e-3, "the Adam default, stable for small CNNs"),
               "weight_decay": (0.0, "the paper states none"),
               "batch_size": (64, "small batches suit a data set of this size"),
               "epochs": (20, "enough for a small CNN on a small data set to converge"),
               "lr_schedule": ("cosine", "a decaying schedule usually helps the final accuracy"),
               "warmup_steps": (0, "no warm-up is needed at this size"),
               "seed": (0, "a fixed seed makes the run reproducible"),
               "test_fraction": (0.2, "a held-out test split of 20% when the paper names none"),
               "validation_fraction": (0.1, "10% of the training data for validation"),
               "grad_clip": (0.0, "no clipping unless the paper asks for it"),
               "label_smoothing": (0.0, "none unless the paper asks for it"),
               "augment": (False, "no flips: digits are not symmetric"),
               "model_code": LOOP["model_code"], "num_processes": LOOP["num_processes"],
               "num_nodes": LOOP["num_nodes"]},
           model_keys=("model_type", "conv_channels", "kernel_size", "hidden_size", "dropout"),
           models=("cnn", "convnet", "convolutional network", "lenet", "mlp"), datasets=_packaged_images,
           cap_eval=False, hardware=_cnn_hardware, config_defaults={"model": ""}, adjust=randaugment_defaults,
           takes=("crop_padding", *IMAGE_TRAINING), extra_requirements=IMAGE_REQUIREMENTS,
           paper_names={"horizontal_flip": "augment"}),
    Family("image-classification-hf", ("image-classification",), "image_classification.py", "accuracy",
           ("image-classification",), {
               "model": ("", "built from its config (a small ViT) when the paper names no pretrained model"),
               "model_type": ("vit", "a Vision Transformer when the paper names no architecture"),
               "patch_size": (4, "4x4 patches suit small images (CIFAR's 32 px: 64 patches)"),
               "hidden_size": (192, "ViT-Tiny's width"), "num_layers": (6, "half of ViT-Tiny's depth"),
               "num_heads": (3, "ViT-Tiny's heads"), "intermediate_size": (768, "4 x width"),
               "image_size": (0, "the model's or the data's own size"),
               "learning_rate": (3e-4, "an AdamW rate that trains small ViTs and ResNets stably"),
               "batch_size": (64, "64 images per step"), "epochs": (10, "10 epochs"),
               **{**LOOP, "weight_decay": (0.05, "ViT's usual weight decay"),
                  "lr_schedule": ("cosine", "cosine decay, as in ViT and DeiT"),
                  "warmup_ratio": (0.05, "a short warm-up for the Transformer")}},
           model_keys=("model", "model_type", "patch_size", "hidden_size", "num_layers", "num_heads",
                       "intermediate_size", "image_size", "depth", "resnet_depths", "resnet_hidden_sizes",
                       "resnet_layer_type", "resnet_variant", "resnet_shortcut", "width_coefficient",
                       "vgg_batch_norm", "depth_coefficient", "vgg_fc_size",
                       "densenet_blocks", "growth_rate", "dropout", "convnext_depths", "convnext_hidden_sizes",
                       "swin_embed_dim", "swin_depths", "swin_heads", "window_size", "drop_path_rate"),
           small={"max_train_examples": (5000, "scale small: 5,000 training images")},
           sizes=("patch_size", "hidden_size", "num_layers", "num_heads", "intermediate_size"),
           from_config=_image_model_type, adjust=_image_hf, takes=("dropout", "crop_padding", "augment", "scale_jitter",
                                                                 "drop_path_rate", "layer_decay", *IMAGE_TRAINING),
           paper_names={"horizontal_flip": "augment", "crop_size": "image_size", "scale_augment": "scale_jitter"},
           smoke_model=_image_smoke, model_types=("vit", "swin", "resnet", "convnext", "vgg", "densenet",
                                                             *CONV_NETS), extra_requirements=IMAGE_REQUIREMENTS),
    Family("tabular", ("tabular-classification", "tabular-regression", "tabular"), "tabular.py", "accuracy",
           ("tabular-classification", "tabular-regression"), {
               "model_type": ("mlp", "a multilayer perceptron; gradient-boosted trees (gbdt) where the paper's "
                                     "model is boosted trees"),
               "hidden_sizes": ([128, 64], "a two-layer perceptron, a solid baseline for small tables"),
               "dropout": (0.1, "light dropout for small data"),
               "learning_rate": (1e-3, "the Adam default"), "batch_size": (32, "small batches for small tables"),
               "epochs": (50, "enough passes over a small table to converge"),
               **{**LOOP, "weight_decay": (1e-4, "a little weight decay for a small MLP"),
                  "lr_schedule": ("cosine", "cosine decay"), "warmup_ratio": (0.0, "no warm-up needed")}},
           model_keys=("model_type", "hidden_sizes", "dropout", "max_depth", "min_child_weight", "subsample",
                       "colsample_bytree", "reg_lambda"), cap_eval=False, adjust=_problem,
           model_types=("mlp", "gbdt"), model_requirements={"gbdt": ("xgboost>=2.0",)},
           takes=("target_column", "max_depth", "min_child_weight", "subsample", "colsample_bytree",
                  "reg_lambda")),  # (a table of the user's own: its label column; the trees' settings)
]


class HFRecipe:
    """A family as the planner and the builder see it (``Recipe``)."""

    def __init__(self, family: Family):
        self.family = family
        self.name = family.name
        self.task_types = family.task_types
        self.model_keys = family.model_keys
        self.metric = family.metric
        self.task_file = family.task_file
        self.requirements = REQUIREMENTS + family.extra_requirements
        self.paper_names = family.paper_names
        self.data_task_types = family.dataset_task_types
        self.takes = LOOP_TAKES + family.takes
        self.sizes = family.sizes
        self.model_types = family.model_types

    def accepts(self, model: str | None) -> bool:
        return model is None or self.family.models is None or model.lower() in self.family.models

    def metric_for(self, values: dict[str, Resolved]) -> str:
        return self.family.metric_of(values) if self.family.metric_of is not None else self.metric

    def supports(self, dataset: DatasetInfo) -> str | None:
        if dataset.needs_config:
            return dataset.needs_config
        if self.family.datasets is not None:
            return self.family.datasets(dataset)
        kinds = self.family.dataset_task_types + self.family.formats
        if dataset.task_type in kinds or dataset.key == "custom":
            return None
        return f"the {self.name} recipe trains on {'/'.join(kinds)} data; {dataset.key} is {dataset.task_type} data"

    def defaults(self) -> dict[str, tuple[object, str]]:
        return dict(self.family.defaults)

    def scale(self, values: dict[str, Resolved], scale: str, dataset: DatasetInfo) -> dict[str, Resolved]:
        values = dict(values)
        if scale in ("small", "smoke"):
            for key, (value, why) in self.family.small.items():  # (paper values too: the plan says so)
                paper = values.get(key)
                note = f" (the paper's {paper.value} is for scale paper)" if paper and paper.origin == "paper" else ""
                values[key] = Resolved(value=value, origin="scale", reason=why + note)
            if self.family.cap_eval:
                values["max_eval_examples"] = Resolved(value=1000, origin="scale", reason=f"scale {scale}: validation "
                                                       "and test metrics on the first 1,000 held-out examples")
        if scale == "smoke":
            values["max_steps"] = Resolved(value=20, origin="scale", reason="scale smoke: a few steps to check "
                                                                            "the code path")
        sized = any(values[k].origin == "paper" for k in self.family.sizes if k in values)
        if self.family.sizes and values["model"].value and (sized or _trained_itself(values["model"])):
            named = values["model"]  # a family or a checkpoint; the paper's own sizes say: build it, random init
            values["model"] = Resolved(value="", origin="paper", source=named.source, reason=(
                f"the paper gives the architecture's sizes: built from its config ({named.value}), random init" if sized
                else f"the paper trains the network itself (its quote names no pretrained weights): built from the "
                     f"config of {named.value}, random init, not the checkpoint fine-tuned"))
            if self.family.from_config is not None:
                values = self.family.from_config(values, named)
        elif self.family.sizes and values["model"].value:  # a pretrained checkpoint keeps its own shape: the sizes a
            # model built from its config would take are not used, and the plan says so rather than showing them as
            # the model's (a ViT-B checkpoint beside "hidden_size 192")
            for key in self.family.sizes:
                if key in values and values[key].origin == "default":
                    values[key] = values[key].model_copy(update={"reason": f"unused: the pretrained checkpoint "
                                                                 f"{values['model'].value} keeps its own shape"})
        if self.family.adjust is not None:
            values = self.family.adjust(values, dataset)
        if scale == "smoke":
            values = self._fit_smoke(values, dataset)
        return values

    def _fit_smoke(self, values: dict[str, Resolved], dataset: DatasetInfo) -> dict[str, Resolved]:
        """The smoke run's steps cut to about ``SMOKE_CPU_MINUTES`` on a CPU (see the module's docstring)."""
        def minutes(vals: dict[str, Resolved]) -> float:
            return (self.hardware({k: v.value for k, v in vals.items()}, dataset, "smoke").hours_estimate or 0.0) * 60

        cuts = [_smoke_batch, _smoke_inputs]
        for cut in cuts:
            if "batch_size" not in values or minutes(values) <= SMOKE_CPU_MINUTES:
                return values
            values = dict(values)
            cut(values)
        if self.family.smoke_model is not None and minutes(values) > SMOKE_CPU_MINUTES:
            values = self.family.smoke_model(values)
        return values

    def hardware(self, values: dict[str, object], dataset: DatasetInfo, scale: str = "paper") -> HardwarePlan:
        if not values.get("epochs") and values.get("max_steps"):  # iterations, no epoch limit: the epochs they take
            seen = float(values["max_steps"]) * float(values["batch_size"])  # type: ignore[arg-type]
            # (of the examples the run trains on: a cap, where the scale sets one, else the whole set)
            pool = float(values.get("max_train_examples") or dataset.num_examples or seen)  # type: ignore[arg-type]
            values = {**values, "epochs": seen / pool}
        if self.family.hardware is not None:
            return self.family.hardware(values, dataset, scale)
        if values.get("model_type") == "resnet" and "depth" in values and "patch_size" not in values:
            # hardware.estimate knows an image model built from its config by a patch size (for a ResNet: the
            # positions of its feature map, as the ViT default gave it)
            values = {**values, "patch_size": 4}
        return estimate(self.name, values, dataset, scale)

    def requirements_for(self, config: dict[str, object]) -> tuple[str, ...]:
        """What the project needs for this config: the family's, and its model type's (boosted trees: XGBoost)."""
        return self.requirements + self.family.model_requirements.get(str(config.get("model_type", "")), ())

    def config(self, plan: ExperimentPlan) -> dict[str, object]:
        values = plan.values()
        config: dict[str, object] = {"dataset": plan.dataset.loader}
        for key, column in plan.dataset.columns.items():
            key = self.family.columns.get(key, key)
            config[key] = [column] if key.endswith("_columns") else column  # (prompt_columns: a list)
        config.update({k: v for k, v in values.items()})
        hw = plan.hardware
        # gradient_accumulation_steps counts the micro-batches of one optimizer step over all processes: the
        # effective batch is batch_size x gradient_accumulation_steps however many processes share them
        # (the plan's devices: the hardware estimate's, or num_processes spread over by the planner)
        config.update(batch_size=hw.per_device_batch,
                      gradient_accumulation_steps=hw.gradient_accumulation_steps * hw.num_devices,
                      num_processes=hw.num_devices, num_nodes=hw.num_nodes,
                      sharding="fsdp" if hw.sharding == "fsdp" else "ddp",
                      precision="fp16" if hw.precision == "fp16" else "auto",
                      gradient_checkpointing=hw.gradient_checkpointing, device=hw.device, output_dir="outputs")
        for key, value in self.family.config_defaults.items():
            config.setdefault(key, value)
        return config


def hf_recipes() -> list[HFRecipe]:
    return [HFRecipe(f) for f in FAMILIES]
