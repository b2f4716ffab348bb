"""Task: image classification with a Vision Transformer, a Swin Transformer, a ResNet, a ConvNeXt, an EfficientNet or a
MobileNet (v1, v2): fine-tuning a pretrained one (``model``: a Hub id, folder or ``pkg:PACKAGE``) or one built from its
config (``model_type: vit | swin | resnet | convnext | efficientnet | mobilenet_v1 | mobilenet_v2``, transformers'
classes, random init); a VGG or a DenseNet-BC (``model_type: vgg | densenet``, plain PyTorch here: no library provides
them without another torch), and the CIFAR ResNets of He et al. (``resnet_variant: cifar``: 6n+2 layers, a 3x3 stem,
likewise here); or a small convolutional network (``model_type: cnn``: ``conv_channels`` same-size convolutions, one
2x2 pooling, a hidden layer of ``hidden_size``), plain PyTorch, for small images such as scikit-learn's digits.

Images are kept as uint8 tensors and resized and normalised per batch (so CIFAR-10 fits in memory as bytes);
data sets of 8x8-style pixel columns (scikit-learn's digits) become one-channel images. On a GPU the convolutions
run channels_last. Metric: accuracy (and top-1 error).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import torch
from torch import nn

import sources

NAME = "image-classification"
METRIC = "accuracy"


@dataclass
class TaskConfig:
    dataset: str = "hub:uoft-cs/cifar10"
    image_column: str = ""  # empty: img, image or pixel columns
    label_column: str = "label"
    model: str = ""  # a Hub id, folder or pkg:PACKAGE to fine-tune; empty: build `model_type` from its config
    # vit | swin | resnet | convnext | efficientnet | mobilenet_v1 | mobilenet_v2 | vgg | densenet | cnn
    model_type: str = "vit"
    num_classes: int = 0  # 0: the labels the data holds
    image_size: int = 0  # 0: the model's (pretrained) or the data's own size
    patch_size: int = 4  # vit, swin: its patches; convnext: its stem's (a patch_size x patch_size convolution, stride too)
    hidden_size: int = 192
    num_layers: int = 6
    num_heads: int = 3
    intermediate_size: int = 768
    depth: int = 0  # a ResNet's depth, as the paper names it (resnet_depths, resnet_hidden_sizes build it)
    resnet_depths: list[int] = field(default_factory=lambda: [3, 4, 6, 3])  # ResNet-50
    resnet_hidden_sizes: list[int] = field(default_factory=lambda: [256, 512, 1024, 2048])
    resnet_layer_type: str = "bottleneck"  # basic (ResNet-18/34, CIFAR-style) | bottleneck (ResNet-50 and deeper)
    # imagenet: transformers' ResNet (7x7 stride-2 stem, max-pooling); cifar: He et al.'s CIFAR network, written here
    # (a 3x3 stem of resnet_hidden_sizes[0] maps, no pooling, basic blocks, each stage after the first halving the side)
    resnet_variant: str = "imagenet"
    resnet_shortcut: str = "A"  # cifar: where a block changes shape, A: identity, subsampled and zero-padded; B: 1x1 conv
    # a ConvNeXt's blocks and width per stage (ConvNeXt-T); a ConvNeXt's or Swin's stochastic depth: the rate at which
    # its last block is dropped (rising linearly from 0 at the first), as the paper states it
    convnext_depths: list[int] = field(default_factory=lambda: [3, 3, 9, 3])
    convnext_hidden_sizes: list[int] = field(default_factory=lambda: [96, 192, 384, 768])
    # a Swin Transformer's (Swin-T): its first stage's width (each later stage twice the one before), blocks and heads
    # per stage, and the side of its attention windows
    swin_embed_dim: int = 96
    swin_depths: list[int] = field(default_factory=lambda: [2, 2, 6, 2])
    swin_heads: list[int] = field(default_factory=lambda: [3, 6, 12, 24])
    window_size: int = 7
    drop_path_rate: float = 0.0  # convnext, swin
    # EfficientNet's compound scaling (B0: 1.0 and 1.0; B7: 2.0 and 3.1) and a MobileNet's width multiplier (alpha)
    width_coefficient: float = 1.0  # (and a VGG's or DenseNet's channels, as a multiple of the paper's)
    depth_coefficient: float = 1.0
    vgg_fc_size: int = 4096  # a VGG's two fully connected layers (depth: 11, 13, 16 or 19 weight layers)
    vgg_batch_norm: bool = False  # batch normalisation after each of a VGG's convolutions (VGG-16-BN)
    densenet_blocks: list[int] = field(default_factory=lambda: [16, 16, 16])  # layers per dense block (BC-100)
    growth_rate: int = 12  # a DenseNet's k: the maps each layer adds
    conv_channels: list[int] = field(default_factory=lambda: [32, 64])  # cnn
    kernel_size: int = 3  # cnn
    dropout: float = 0.0  # cnn, vgg: before each hidden linear layer; vit, swin: hidden dropout; efficientnet, mobilenet:
    # before the classifier; densenet: after each convolution but the first
    label_smoothing: float = 0.0  # cnn, vgg, densenet, the CIFAR ResNet (the others: the loop's)
    channels_last: bool = True  # on a GPU
    augment: bool = False  # random horizontal flips of training images (natural images; not digits or text)
    crop_padding: int = 0  # random crops of the training images after padding each side with this many zeros
    # scale augmentation: each training image resized so its side is a random [low, high] times its own, then a random
    # crop of its own size (a paper's shorter side S in [256, 480] for 224 crops: [1.143, 2.143]); empty: none
    scale_jitter: list[float] = field(default_factory=list)
    # mixup and CutMix (Zhang et al., 2018; Yun et al., 2019): each training image mixed with another of the split, by
    # a weight drawn from Beta(alpha, alpha) (CutMix: a box of the other image pasted, its area that share), the
    # labels mixed likewise (soft targets); with both, each image is mixed one way or the other at even odds, as
    # timm's Mixup does; 0: none
    mixup_alpha: float = 0.0
    cutmix_alpha: float = 0.0
    # random erasing (Zhong et al., 2020): with this probability, a box of 2% to 1/3 of a training image (aspect ratio
    # 0.3 to 3.3) filled with random values; 0: none
    random_erasing: float = 0.0
    # RandAugment (Cubuk et al., 2020): this many operations per training image, each drawn from timm's 15 and
    # applied with probability 0.5 as timm does, at this magnitude (of 10), jittered by a normal noise of this standard
    # deviation (timm's "rand-m9-mstd0.5": 9 and 0.5); 0 operations: none
    randaugment_ops: int = 0
    randaugment_magnitude: float = 9.0
    randaugment_std: float = 0.0
    validation_fraction: float = 0.1
    test_fraction: float = 0.1
    max_train_examples: int = 0


SOFT_TARGETS = True  # mixup's and CutMix's labels are class probabilities: the loop's loss takes them as such


class Images(torch.utils.data.Dataset):
    def __init__(self, pixels: torch.Tensor, labels: torch.Tensor, flip: bool = False, pad: int = 0,
                 scale: list[float] | None = None, erasing: float = 0.0, mixup: float = 0.0, cutmix: float = 0.0,
                 classes: int = 0, randaugment: tuple[int, float, float] = (0, 9.0, 0.0)):
        self.pixels, self.labels, self.flip, self.pad, self.scale = pixels, labels, flip, pad, scale or []
        self.erasing, self.mixup, self.cutmix, self.classes = erasing, mixup, cutmix, classes
        self.randaugment = randaugment

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int):
        image, label = self.augmented(i)
        if not (self.mixup or self.cutmix):
            return image, label
        # (the seeded global generator, as every augmentation here: reproducible)
        other, other_label = self.augmented(int(torch.randint(0, len(self), ())))
        cut = self.cutmix > 0 and (self.mixup <= 0 or torch.rand(()) < 0.5)
        alpha = self.cutmix if cut else self.mixup
        share = float(torch.distributions.Beta(alpha, alpha).sample())  # this image's share
        image = image.float()
        if cut:  # a box of the other image, of (1 - share) of the area, centred anywhere (clipped at the edges)
            h, w = image.shape[-2:]
            bh, bw = round(h * math.sqrt(1 - share)), round(w * math.sqrt(1 - share))
            cy, cx = int(torch.randint(0, h, ())), int(torch.randint(0, w, ()))
            top, bottom, left, right = max(cy - bh // 2, 0), min(cy + bh - bh // 2, h), max(cx - bw // 2, 0), \
                min(cx + bw - bw // 2, w)
            image[..., top:bottom, left:right] = other[..., top:bottom, left:right].float()
            share = 1 - (bottom - top) * (right - left) / (h * w)  # the area actually kept
        else:
            image = share * image + (1 - share) * other.float()
        target = share * nn.functional.one_hot(label, self.classes).float() + \
            (1 - share) * nn.functional.one_hot(other_label, self.classes).float()
        return image, target

    def augmented(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        image = self.pixels[i]
        if self.scale:  # scale augmentation: resized by a random factor in [low, high], then a random crop of its size
            h, w = image.shape[-2:]
            low, high = self.scale
            factor = low + float(torch.rand(())) * (high - low)
            size = (max(h, round(h * factor)), max(w, round(w * factor)))
            resized = torch.nn.functional.interpolate(image[None].float(), size=size, mode="bilinear",
                                                      antialias=True, align_corners=False)[0]
            top, left = int(torch.randint(0, size[0] - h + 1, ())), int(torch.randint(0, size[1] - w + 1, ()))
            image = resized[..., top:top + h, left:left + w].round().clamp(0, 255).to(self.pixels.dtype)
        if self.flip and torch.rand(()) < 0.5:  # (the seeded global generator: reproducible)
            image = image.flip(-1)
        if self.pad:  # a random crop of the image padded with zeros, at its own size
            h, w = image.shape[-2:]
            padded = torch.nn.functional.pad(image, (self.pad,) * 4)
            top, left = (int(torch.randint(0, 2 * self.pad + 1, ())) for _ in range(2))
            image = padded[..., top:top + h, left:left + w]
        if self.randaugment[0]:
            image = rand_augment(image, *self.randaugment)
        if self.erasing and torch.rand(()) < self.erasing:
            image = erase(image)
        return image, self.labels[i]


# RandAugment's operations as timm implements them (Cubuk et al.'s 14 less the identity, with Invert and SolarizeAdd),
# each at a level in [0, 1] (the magnitude over 10), the geometric and enhancing ones in a random direction; the
# space an operation uncovers is mid-grey, as timm's
_RANDAUG = ("AutoContrast", "Equalize", "Invert", "Rotate", "Posterize", "Solarize", "SolarizeAdd", "Color",
            "Contrast", "Brightness", "Sharpness", "ShearX", "ShearY", "TranslateX", "TranslateY")


def rand_augment(image: torch.Tensor, ops: int, magnitude: float, std: float) -> torch.Tensor:
    """``ops`` of RandAugment's operations, each drawn at random and applied with probability 0.5, at ``magnitude``
    (of 10) plus a normal noise of ``std``, on a uint8 image (PIL's operations: torchvision and timm would need another
    torch than the pinned one)."""
    import numpy as np
    from PIL import Image, ImageEnhance, ImageOps

    gray = image.shape[0] == 1
    pil = Image.fromarray(image[0].numpy() if gray else image.permute(1, 2, 0).numpy())
    fill = 128 if gray else (128, 128, 128)
    w, h = pil.size
    for _ in range(ops):
        name = _RANDAUG[int(torch.randint(len(_RANDAUG), ()))]
        if torch.rand(()) >= 0.5:
            continue
        level = min(max(magnitude + (float(torch.randn(())) * std if std > 0 else 0.0), 0.0), 10.0) / 10.0
        sign = -1.0 if torch.rand(()) < 0.5 else 1.0
        if name == "AutoContrast":
            pil = ImageOps.autocontrast(pil)
        elif name == "Equalize":
            pil = ImageOps.equalize(pil)
        elif name == "Invert":
            pil = ImageOps.invert(pil)
        elif name == "Rotate":
            pil = pil.rotate(sign * 30.0 * level, fillcolor=fill)
        elif name == "Posterize":
            pil = ImageOps.posterize(pil, max(1, 8 - round(4 * level)))
        elif name == "Solarize":
            pil = ImageOps.solarize(pil, 256 - round(256 * level))
        elif name == "SolarizeAdd":
            array = np.asarray(pil).astype(np.int32)
            pil = Image.fromarray(np.where(array < 128, np.minimum(array + round(110 * level), 255), array).astype(np.uint8))
        elif name in ("Color", "Contrast", "Brightness", "Sharpness"):
            pil = getattr(ImageEnhance, name)(pil).enhance(1.0 + sign * 0.9 * level)
        else:  # shears (up to 0.3) and translations (up to 45% of the side)
            matrix = {"ShearX": (1, sign * 0.3 * level, 0, 0, 1, 0), "ShearY": (1, 0, 0, sign * 0.3 * level, 1, 0),
                      "TranslateX": (1, 0, sign * 0.45 * level * w, 0, 1, 0),
                      "TranslateY": (1, 0, 0, 0, 1, sign * 0.45 * level * h)}[name]
            pil = pil.transform(pil.size, Image.Transform.AFFINE, matrix, fillcolor=fill)
    array = torch.from_numpy(np.array(pil))
    return array[None] if gray else array.permute(2, 0, 1).contiguous()


def erase(image: torch.Tensor) -> torch.Tensor:
    """A random box of 2% to 1/3 of the image, aspect ratio 0.3 to 3.3 (log-uniform), filled with random values (a
    few tries for a box that fits, as Zhong et al.'s; none fitting leaves the image as it is)."""
    h, w = image.shape[-2:]
    for _ in range(10):
        area = h * w * (0.02 + float(torch.rand(())) * (1 / 3 - 0.02))
        ratio = math.exp(math.log(0.3) + float(torch.rand(())) * (math.log(1 / 0.3) - math.log(0.3)))
        bh, bw = round(math.sqrt(area * ratio)), round(math.sqrt(area / ratio))
        if 0 < bh < h and 0 < bw < w:
            top, left = int(torch.randint(0, h - bh + 1, ())), int(torch.randint(0, w - bw + 1, ()))
            image = image.clone()
            image[..., top:top + bh, left:left + bw] = torch.randint(0, 256, (image.shape[0], bh, bw)).to(image.dtype)
            return image
    return image


@dataclass
class Data(sources.Splits):
    labels: list
    channels: int
    size: int
    processor: object = None


def _to_tensors(ds, cfg: TaskConfig, index: dict) -> tuple[torch.Tensor, torch.Tensor]:
    import numpy as np

    column = cfg.image_column or next((c for c in ("img", "image") if c in ds.column_names), "")
    if column:
        arrays = [np.asarray(im.convert("RGB")) for im in ds[column]]
        sizes = {a.shape for a in arrays}
        if len(sizes) > 1:  # mixed sizes: the most common one for all
            h, w, _ = max(sizes, key=[a.shape for a in arrays].count)
            from PIL import Image

            arrays = [np.asarray(Image.fromarray(a).resize((w, h))) for a in arrays]
        pixels = torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()
    else:  # pixel columns (scikit-learn's digits: pixel_0_0 ... pixel_7_7, values 0..16)
        columns = [c for c in ds.column_names if c.startswith("pixel")]
        values = np.stack([np.asarray(ds[c], dtype=np.float32) for c in columns], axis=1)
        side = int(math.isqrt(len(columns)))
        values = values / max(float(values.max()), 1.0) * 255.0
        pixels = torch.from_numpy(values.round().astype(np.uint8)).reshape(-1, 1, side, side)
    labels = torch.tensor([index[str(v)] for v in ds[cfg.label_column]], dtype=torch.long)
    return pixels, labels


def load_data(cfg: TaskConfig, seed: int, smoke_examples: int | None) -> Data:
    if cfg.mixup_alpha < 0 or cfg.cutmix_alpha < 0 or not 0 <= cfg.random_erasing <= 1:
        raise SystemExit(f"mixup_alpha {cfg.mixup_alpha}, cutmix_alpha {cfg.cutmix_alpha}: a Beta distribution's alpha "
                         f"is above 0 (0: none); random_erasing {cfg.random_erasing}: a probability, 0 to 1")
    if cfg.randaugment_ops < 0 or not 0 <= cfg.randaugment_magnitude <= 30 or cfg.randaugment_std < 0:
        raise SystemExit(f"randaugment_ops {cfg.randaugment_ops} (0 or more), randaugment_magnitude "
                         f"{cfg.randaugment_magnitude} (0 to 30; papers give 0 to 10 mostly), randaugment_std "
                         f"{cfg.randaugment_std} (0 or more)")

    def labelled(ds) -> bool:  # ImageNet-1k's test split holds -1 for every label: the validation split tests
        column = cfg.label_column if cfg.label_column in ds.column_names else "target"
        return len(ds) > 0 and not all(isinstance(v, int) and v < 0 for v in ds[column])

    train, val, test = sources.splits(cfg, seed, smoke_examples, labelled)
    label = cfg.label_column if cfg.label_column in train.column_names else "target"  # (scikit-learn's name)
    cfg.label_column = label
    names = getattr(train.features[label], "names", None)
    labels = list(names) if names else sorted({str(v) for ds in (train, val, test) for v in ds[label]},
                                              key=lambda v: (len(v), v))
    index = {str(i) if names else name: i for i, name in enumerate(labels)}
    tensors = [_to_tensors(ds, cfg, index) for ds in (train, val, test)]
    channels, size = tensors[0][0].shape[1], tensors[0][0].shape[-1]
    processor = None
    mean, std = [0.5] * channels, [0.5] * channels
    if cfg.model:
        from transformers import AutoImageProcessor

        processor = AutoImageProcessor.from_pretrained(sources.model_path(cfg.model))
        mean, std = list(processor.image_mean), list(processor.image_std)
        crop = getattr(processor, "crop_size", None) or processor.size
        size = cfg.image_size or int(crop.get("height") or crop.get("shortest_edge") or size)
        channels = 3
    elif cfg.image_size:
        size = cfg.image_size
    mean_t, std_t = torch.tensor(mean).view(1, -1, 1, 1), torch.tensor(std).view(1, -1, 1, 1)

    def collate(rows):
        pixels = torch.stack([r[0] for r in rows]).float() / 255.0
        if pixels.shape[1] != channels:
            pixels = pixels.expand(-1, channels, -1, -1)
        if pixels.shape[-1] != size:
            pixels = torch.nn.functional.interpolate(pixels, size=(size, size), mode="bilinear", antialias=True,
                                                     align_corners=False)
        pixels = (pixels - mean_t) / std_t
        return {"pixel_values": pixels, "labels": torch.stack([r[1] for r in rows])}

    train_images = Images(*tensors[0], flip=cfg.augment, pad=cfg.crop_padding, scale=cfg.scale_jitter,
                          erasing=cfg.random_erasing, mixup=cfg.mixup_alpha, cutmix=cfg.cutmix_alpha,
                          classes=cfg.num_classes or len(labels),
                          randaugment=(cfg.randaugment_ops, cfg.randaugment_magnitude, cfg.randaugment_std))
    return Data(train_images, Images(*tensors[1]), Images(*tensors[2]), collate=collate, labels=labels, channels=channels, size=size,
                fingerprint=sources.fingerprint(train, val, test), processor=processor)


def channels_last(model: nn.Module) -> nn.Module:
    """The model with its weights in channels_last memory format and its images made so on the way in (faster
    convolutions on tensor cores). It stays the model it was, its class and its weights' names, so saving it and
    reloading it (ml-intern's metrics check) are as for any model."""
    model = model.to(memory_format=torch.channels_last)

    def images_channels_last(module, args, kwargs):
        if "pixel_values" in kwargs:
            kwargs["pixel_values"] = kwargs["pixel_values"].contiguous(memory_format=torch.channels_last)
        elif args:
            args = (args[0].contiguous(memory_format=torch.channels_last), *args[1:])
        return args, kwargs

    model.register_forward_pre_hook(images_channels_last, with_kwargs=True)
    return model


class Output(NamedTuple):  # (a named tuple: FSDP finds the tensors in it to hook the backward pass)
    loss: torch.Tensor | None
    logits: torch.Tensor


class PlainModel(nn.Module):
    """A network written here in plain PyTorch: the task's output (loss and logits), gradient checkpointing of its
    feature extractor, and saving as weights (safetensors) and the settings that rebuild it (config.json)."""

    model_type = ""
    settings: dict
    features: nn.Module
    head: nn.Module
    label_smoothing = 0.0
    checkpointing = False

    def gradient_checkpointing_enable(self, gradient_checkpointing_kwargs: dict | None = None) -> None:
        """Recompute the convolutions' activations in the backward pass (less memory), as transformers' models do."""
        self.checkpointing = True

    def forward(self, pixel_values: torch.Tensor, labels: torch.Tensor | None = None) -> Output:
        if self.checkpointing and self.training:
            from torch.utils.checkpoint import checkpoint

            features = checkpoint(self.features, pixel_values, use_reentrant=False)
        else:
            features = self.features(pixel_values)
        logits = self.head(features)
        loss = None if labels is None else nn.functional.cross_entropy(logits.float(), labels,
                                                                       label_smoothing=self.label_smoothing)
        return Output(loss, logits)

    def save_pretrained(self, folder, safe_serialization: bool = True) -> None:
        sources.save_weights(self, folder, {"model_type": self.model_type, **self.settings})


# VGG's configurations A, B, D, E (Simonyan & Zisserman, Table 1): 3x3 convolution widths, M a 2x2 max-pooling
VGG_LAYERS = {11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
              13: [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
              16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
              19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512,
                   "M"]}


class VGG(PlainModel):
    """VGG of ``depth`` weight layers: 3x3 convolutions with ReLU (and batch normalisation before it, ``batch_norm``:
    VGG-16-BN) in five max-pooled stages, the map averaged to 7x7
    (the size a 224 px image gives), two fully connected layers with ReLU and dropout, the classifier."""

    model_type = "vgg"

    def __init__(self, channels: int, depth: int, num_classes: int, width: float = 1.0, fc_size: int = 4096,
                 dropout: float = 0.5, label_smoothing: float = 0.0, batch_norm: bool = False):
        super().__init__()
        if depth not in VGG_LAYERS:
            raise SystemExit(f"depth {depth}: VGG has 11, 13, 16 or 19 weight layers")
        self.settings = {"channels": channels, "depth": depth, "num_classes": num_classes, "width": width,
                         "fc_size": fc_size, "dropout": dropout, "label_smoothing": label_smoothing,
                         "batch_norm": batch_norm}
        layers, maps = [], channels
        for item in VGG_LAYERS[depth]:
            if item == "M":
                layers.append(nn.MaxPool2d(2, ceil_mode=True))  # (ceil: a small image keeps a 1x1 map)
            else:
                out = max(8, round(int(item) * width))
                layers += [nn.Conv2d(maps, out, 3, padding=1), *([nn.BatchNorm2d(out)] if batch_norm else []),
                           nn.ReLU(inplace=True)]
                maps = out
        self.features = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(7))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(maps * 49, fc_size), nn.ReLU(inplace=True),
                                  nn.Dropout(dropout), nn.Linear(fc_size, fc_size), nn.ReLU(inplace=True),
                                  nn.Dropout(dropout), nn.Linear(fc_size, num_classes))
        self.label_smoothing = label_smoothing


class DenseNet(PlainModel):
    """DenseNet-BC (Huang et al.): dense blocks of bottleneck layers (BN-ReLU-1x1 convolution to 4k maps, BN-ReLU-3x3
    convolution to k, dropout), each layer's k maps concatenated to all before it; between blocks a transition
    halves the maps (compression 0.5) and the side. Three blocks: the CIFAR network (a 3x3 stem of 2k maps); four:
    the ImageNet one (7x7 stride-2 stem and max-pooling)."""

    model_type = "densenet"

    class Layer(nn.Module):
        def __init__(self, maps: int, k: int, dropout: float):
            super().__init__()
            self.body = nn.Sequential(nn.BatchNorm2d(maps), nn.ReLU(inplace=True), nn.Conv2d(maps, 4 * k, 1, bias=False),
                                      nn.Dropout(dropout), nn.BatchNorm2d(4 * k), nn.ReLU(inplace=True),
                                      nn.Conv2d(4 * k, k, 3, padding=1, bias=False), nn.Dropout(dropout))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.cat([x, self.body(x)], 1)

    def __init__(self, channels: int, blocks: list[int], num_classes: int, growth_rate: int = 12,
                 dropout: float = 0.0, label_smoothing: float = 0.0):
        super().__init__()
        self.settings = {"channels": channels, "blocks": list(blocks), "num_classes": num_classes,
                         "growth_rate": growth_rate, "dropout": dropout, "label_smoothing": label_smoothing}
        k, maps = growth_rate, 2 * growth_rate
        if len(blocks) >= 4:
            layers: list[nn.Module] = [nn.Conv2d(channels, maps, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(maps),
                                       nn.ReLU(inplace=True), nn.MaxPool2d(3, stride=2, padding=1)]
        else:
            layers = [nn.Conv2d(channels, maps, 3, padding=1, bias=False)]
        for i, n in enumerate(blocks):
            for _ in range(n):
                layers.append(self.Layer(maps, k, dropout))
                maps += k
            if i < len(blocks) - 1:
                out = maps // 2
                layers += [nn.BatchNorm2d(maps), nn.ReLU(inplace=True), nn.Conv2d(maps, out, 1, bias=False),
                           nn.Dropout(dropout), nn.AvgPool2d(2, ceil_mode=True)]
                maps = out
        layers += [nn.BatchNorm2d(maps), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d(1)]
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(maps, num_classes))
        self.label_smoothing = label_smoothing


class CifarResNet(PlainModel):
    """He et al.'s ResNet for CIFAR (2016, section 4.2), 6n+2 weighted layers: a 3x3 convolution of 16 maps, three
    stages of n basic blocks (two 3x3 convolutions with batch norm, ReLU after the sum) 16, 32 and 64 wide on 32, 16
    and 8 px maps (the first block of a stage strides 2), global average pooling and the classifier. Where a block
    changes the shape its shortcut is option A (the identity, subsampled and zero-padded to the new width: no
    parameters) or B (a 1x1 strided convolution and batch norm)."""

    model_type = "resnet"

    class Block(nn.Module):
        def __init__(self, maps: int, out: int, stride: int, shortcut: str):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(maps, out, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(out),
                                      nn.ReLU(inplace=True), nn.Conv2d(out, out, 3, padding=1, bias=False),
                                      nn.BatchNorm2d(out))
            self.stride, self.pad = stride, out - maps
            changes = stride != 1 or out != maps
            self.project = nn.Sequential(nn.Conv2d(maps, out, 1, stride=stride, bias=False), nn.BatchNorm2d(out)) \
                if changes and shortcut == "B" else None

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if self.project is not None:
                short = self.project(x)
            else:
                short = x[..., ::self.stride, ::self.stride] if self.stride != 1 else x
                if self.pad:
                    short = nn.functional.pad(short, (0, 0, 0, 0, 0, self.pad))  # (zero maps appended)
            return torch.relu(self.body(x) + short)

    def __init__(self, channels: int, depths: list[int], widths: list[int], num_classes: int, shortcut: str = "A",
                 label_smoothing: float = 0.0):
        super().__init__()
        if shortcut not in ("A", "B"):
            raise SystemExit(f"resnet_shortcut {shortcut!r}: A (identity, zero-padded) or B (projection)")
        if len(depths) != len(widths):
            raise SystemExit(f"resnet_depths {depths} and resnet_hidden_sizes {widths}: one width per stage")
        self.settings = {"channels": channels, "depths": list(depths), "widths": list(widths),
                         "num_classes": num_classes, "shortcut": shortcut, "label_smoothing": label_smoothing,
                         "variant": "cifar"}
        layers: list[nn.Module] = [nn.Conv2d(channels, widths[0], 3, padding=1, bias=False), nn.BatchNorm2d(widths[0]),
                                   nn.ReLU(inplace=True)]
        maps = widths[0]
        for i, (n, out) in enumerate(zip(depths, widths)):
            for j in range(n):
                layers.append(self.Block(maps, out, 2 if i > 0 and j == 0 else 1, shortcut))
                maps = out
        self.features = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(maps, num_classes))
        self.label_smoothing = label_smoothing
        for m in self.modules():  # He et al.'s initialisation
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")


class ConvNet(PlainModel):
    """Same-size convolutions with ReLU, one 2x2 max-pooling, then dropout, a hidden layer and the classifier."""

    model_type = "cnn"

    def __init__(self, channels: int, size: int, conv_channels: list[int], kernel_size: int, hidden_size: int,
                 num_classes: int, dropout: float = 0.0, label_smoothing: float = 0.0):
        super().__init__()
        self.settings = {"channels": channels, "size": size, "conv_channels": list(conv_channels),
                         "kernel_size": kernel_size, "hidden_size": hidden_size, "num_classes": num_classes,
                         "dropout": dropout, "label_smoothing": label_smoothing}
        layers, width = [], channels
        for out in conv_channels:
            layers += [nn.Conv2d(width, out, kernel_size, padding=kernel_size // 2), nn.ReLU()]
            width = out
        layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(width * (size // 2) ** 2, hidden_size),
                                  nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden_size, num_classes))
        self.label_smoothing = label_smoothing


def build_model(cfg: TaskConfig, data: Data):
    n = cfg.num_classes or len(data.labels)
    if cfg.model_type == "cnn" and not cfg.model:
        model = ConvNet(data.channels, data.size, cfg.conv_channels, cfg.kernel_size, cfg.hidden_size, n,
                        cfg.dropout, cfg.label_smoothing)
        return channels_last(model) if cfg.channels_last and torch.cuda.is_available() else model
    if cfg.model_type == "resnet" and cfg.resnet_variant == "cifar" and not cfg.model:
        model = CifarResNet(data.channels, cfg.resnet_depths, cfg.resnet_hidden_sizes, n, cfg.resnet_shortcut,
                            cfg.label_smoothing)
        return channels_last(model) if cfg.channels_last and torch.cuda.is_available() else model
    if cfg.model_type in ("vgg", "densenet") and not cfg.model:
        model = VGG(data.channels, cfg.depth, n, cfg.width_coefficient, cfg.vgg_fc_size, cfg.dropout,
                    cfg.label_smoothing, cfg.vgg_batch_norm) if cfg.model_type == "vgg" else \
            DenseNet(data.channels, cfg.densenet_blocks, n, max(1, round(cfg.growth_rate * cfg.width_coefficient)),
                     cfg.dropout, cfg.label_smoothing)
        return channels_last(model) if cfg.channels_last and torch.cuda.is_available() else model
    from transformers import AutoConfig, AutoModelForImageClassification

    labels = ([str(v) for v in data.labels] + [str(i) for i in range(len(data.labels), n)])[:n]
    names = {"num_labels": n, "id2label": dict(enumerate(labels)), "label2id": {v: i for i, v in enumerate(labels)}}
    if cfg.model:
        model = AutoModelForImageClassification.from_pretrained(sources.model_path(cfg.model),
                                                                ignore_mismatched_sizes=True, **names)
    elif cfg.model_type == "vit":
        config = AutoConfig.for_model("vit", image_size=data.size, patch_size=cfg.patch_size,
                                      num_channels=data.channels, hidden_size=cfg.hidden_size,
                                      num_hidden_layers=cfg.num_layers, num_attention_heads=cfg.num_heads,
                                      intermediate_size=cfg.intermediate_size, hidden_dropout_prob=cfg.dropout,
                                      **names)
        model = AutoModelForImageClassification.from_config(config, attn_implementation="sdpa")
    elif cfg.model_type == "resnet":
        config = AutoConfig.for_model("resnet", num_channels=data.channels, depths=cfg.resnet_depths,
                                      hidden_sizes=cfg.resnet_hidden_sizes, layer_type=cfg.resnet_layer_type,
                                      embedding_size=min(64, cfg.resnet_hidden_sizes[0]), **names)
        model = AutoModelForImageClassification.from_config(config)
    elif cfg.model_type == "convnext":
        config = AutoConfig.for_model("convnext", num_channels=data.channels, image_size=data.size,
                                      patch_size=cfg.patch_size, num_stages=len(cfg.convnext_depths),
                                      depths=cfg.convnext_depths,
                                      hidden_sizes=cfg.convnext_hidden_sizes, drop_path_rate=cfg.drop_path_rate,
                                      **names)
        model = AutoModelForImageClassification.from_config(config)
    elif cfg.model_type == "swin":
        # transformers' Swin needs each stage's map at least a window wide: on images too small for the paper's
        # windows (32 px at patch 4: a 1x1 map at the last stage), windows that fit, said so
        last = max(1, data.size // cfg.patch_size // 2 ** (len(cfg.swin_depths) - 1))
        window = min(cfg.window_size, last)
        if window < cfg.window_size:
            print(f"swin: windows of {window}, not {cfg.window_size}: the last stage's map is {last}x{last} at "
                  f"{data.size} px (set image_size to {cfg.window_size * cfg.patch_size * 2 ** (len(cfg.swin_depths) - 1)} "
                  "for the paper's windows)", flush=True)
        config = AutoConfig.for_model("swin", image_size=data.size, patch_size=cfg.patch_size,
                                      num_channels=data.channels, embed_dim=cfg.swin_embed_dim, depths=cfg.swin_depths,
                                      num_heads=cfg.swin_heads, window_size=window,
                                      drop_path_rate=cfg.drop_path_rate, hidden_dropout_prob=cfg.dropout, **names)
        model = AutoModelForImageClassification.from_config(config)
    elif cfg.model_type == "efficientnet":
        config = AutoConfig.for_model("efficientnet", num_channels=data.channels, image_size=data.size,
                                      width_coefficient=cfg.width_coefficient, depth_coefficient=cfg.depth_coefficient,
                                      dropout_rate=cfg.dropout, **names)
        from transformers.models.efficientnet.modeling_efficientnet import round_filters

        config.hidden_dim = round_filters(config, 1280)  # (the config's default is B7's width, whatever the coefficient)
        model = AutoModelForImageClassification.from_config(config)
    elif cfg.model_type in ("mobilenet_v1", "mobilenet_v2"):
        config = AutoConfig.for_model(cfg.model_type, num_channels=data.channels, image_size=data.size,
                                      depth_multiplier=cfg.width_coefficient, classifier_dropout_prob=cfg.dropout,
                                      **names)
        model = AutoModelForImageClassification.from_config(config)
    else:
        raise SystemExit(f"model_type {cfg.model_type!r}: use vit, swin, resnet, convnext, efficientnet, mobilenet_v1, "
                         "mobilenet_v2, vgg, densenet or cnn, or name a pretrained model")
    if cfg.channels_last and torch.cuda.is_available():
        return channels_last(model)
    return model


def evaluate(model, batches, to_device, autocast, data: Data) -> dict:
    loss_sum, n, right = 0.0, 0, 0
    for batch, out in sources.outputs(model, batches, to_device, autocast):
        size = len(batch["labels"])
        loss_sum += float(out.loss) * size
        n += size
        right += int((out.logits.argmax(-1) == batch["labels"]).sum())
    accuracy = right / max(n, 1)
    return {"loss": loss_sum / max(n, 1), "accuracy": accuracy, "top1_error": 1.0 - accuracy}


def save(model, data: Data, folder) -> None:
    model.save_pretrained(folder, safe_serialization=True)
    if data.processor is not None:
        data.processor.save_pretrained(folder)
