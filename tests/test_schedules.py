"""The training skeleton's learning-rate schedules, each checked against its formula (train.py's ``lr_factor``)."""

import importlib.util
import math
import sys

import pytest

from conftest import task_file
from ml_intern.codegen.task_contract import SKELETON, TASKS

pytest.importorskip("transformers", reason="the skeleton's task files import transformers' helpers")


@pytest.fixture(scope="module")
def train():
    """The skeleton as a project holds it: train.py beside sources.py and a task file (the tabular one) as task.py."""
    saved = {k: sys.modules.get(k) for k in ("task", "sources", "skeleton_train")}
    sys.path.insert(0, str(SKELETON))
    try:
        spec = importlib.util.spec_from_file_location("task", TASKS / "tabular.py")
        task = importlib.util.module_from_spec(spec)
        sys.modules["task"] = task
        spec.loader.exec_module(task)
        spec = importlib.util.spec_from_file_location("skeleton_train", SKELETON / "train.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["skeleton_train"] = module  # (its dataclasses look their module up)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(SKELETON))
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


def factors(train, total=100, steps_per_epoch=10, **cfg):
    c = train.Config(**cfg)
    return [train.lr_factor(c, s, total, steps_per_epoch) for s in range(total)]


def test_inverse_square_root_is_the_transformers_formula(train):
    d, w = 512, 40
    got = factors(train, lr_schedule="inverse_sqrt", lr_d_model=d, warmup_steps=w)
    assert got == pytest.approx([d ** -0.5 * min(s ** -0.5, s * w ** -1.5) for s in range(1, 101)])
    peak = factors(train, lr_schedule="inverse_sqrt", warmup_steps=w)  # no d_model: peak 1.0 at the end of warm-up
    assert max(peak) == pytest.approx(1.0) and peak.index(max(peak)) == w - 1


def test_multistep_and_step_decay(train):
    got = factors(train, lr_schedule="multistep", lr_milestones=[30, 60], lr_decay_factor=0.1)
    assert got == pytest.approx([0.1 ** ((s >= 30) + (s >= 60)) for s in range(100)])
    by_epoch = factors(train, lr_schedule="multistep", lr_milestones=[5], lr_milestone_unit="epochs")
    assert by_epoch[49] == 1.0 and by_epoch[50] == pytest.approx(0.1)
    by_fraction = factors(train, lr_schedule="multistep", lr_milestones=[0.5, 0.75], lr_milestone_unit="fraction")
    assert by_fraction[49] == 1.0 and by_fraction[50] == pytest.approx(0.1) and by_fraction[75] == pytest.approx(0.01)
    step = factors(train, lr_schedule="step", lr_step_size=2.4, lr_milestone_unit="epochs", lr_decay_factor=0.97)
    assert step == pytest.approx([0.97 ** (s // 24) for s in range(100)])


def test_warmup_then_cosine_linear_polynomial_constant(train):
    w, total = 10, 100
    progress = [min(1.0, (s - w) / (total - w)) for s in range(total)]
    warm = [(s + 1) / w for s in range(w)]
    cosine = factors(train, lr_schedule="cosine", warmup_steps=w)
    assert cosine == pytest.approx(warm + [0.5 * (1 + math.cos(math.pi * p)) for p in progress[w:]])
    linear = factors(train, lr_schedule="linear", warmup_ratio=0.1)
    assert linear == pytest.approx(warm + [1 - p for p in progress[w:]])
    poly = factors(train, lr_schedule="polynomial", lr_power=2.0, lr_end_factor=0.1)
    assert poly == pytest.approx([0.1 + 0.9 * (1 - s / total) ** 2 for s in range(total)])
    assert factors(train, lr_schedule="constant") == [1.0] * total


def test_every_optimizer_papers_use_is_built_with_its_parameters(train):
    import torch

    model = torch.nn.Linear(4, 2)
    cpu = torch.device("cpu")
    sgd = train.make_optimizer(train.Config(optimizer="sgd", momentum=0.9, nesterov=True), model, cpu)
    assert isinstance(sgd, torch.optim.SGD) and sgd.defaults["nesterov"] and sgd.defaults["momentum"] == 0.9
    adam = train.make_optimizer(train.Config(optimizer="adam", adam_beta2=0.98, adam_epsilon=1e-9), model, cpu)
    assert adam.defaults["betas"] == (0.9, 0.98) and adam.defaults["eps"] == 1e-9
    rms = train.make_optimizer(train.Config(optimizer="rmsprop", rmsprop_alpha=0.9, momentum=0.9), model, cpu)
    assert isinstance(rms, torch.optim.RMSprop) and rms.defaults["alpha"] == 0.9
    delta = train.make_optimizer(train.Config(optimizer="adadelta", adadelta_rho=0.95, adam_epsilon=1e-6), model, cpu)
    assert isinstance(delta, torch.optim.Adadelta) and delta.defaults["rho"] == 0.95
    radam = train.make_optimizer(train.Config(optimizer="radam", adam_beta1=0.8), model, cpu)
    nadam = train.make_optimizer(train.Config(optimizer="nadam", adam_epsilon=1e-7), model, cpu)
    assert isinstance(radam, torch.optim.RAdam) and radam.defaults["betas"] == (0.8, 0.999)
    assert isinstance(nadam, torch.optim.NAdam) and nadam.defaults["eps"] == 1e-7
    factor = train.make_optimizer(train.Config(optimizer="adafactor", learning_rate=1e-3), model, cpu)
    assert type(factor).__name__ == "Adafactor" and factor.defaults["lr"] == 1e-3
    with pytest.raises(SystemExit, match="optimizer 'lamb'"):
        train.make_optimizer(train.Config(optimizer="lamb"), model, cpu)


@pytest.fixture(scope="module")
def image_task(train):
    """The image task file as a project holds it (sources.py beside it)."""
    yield from task_file("image_classification.py", "image_task")


@pytest.mark.parametrize("shortcut, parameters", [("A", 269_722), ("B", 269_722 + 16 * 32 + 32 * 64 + 2 * (32 + 64))])
def test_a_cifar_style_resnet_20_is_he_et_als_network_trains_a_step_on_random_crops_and_reloads(
        image_task, train, shortcut, parameters, tmp_path):
    """ResNet-20 as He et al. built it for CIFAR: a 3x3 stem of 16 maps, no pooling before the stages, 3 stages of 3
    basic blocks on 32, 16 and 8 px maps, 0.27M parameters with option A shortcuts (their Table 6); option B adds
    1x1 projections. A training step on random crops changes it; saved, it reloads into a freshly built one."""
    import torch

    from ml_intern.plan.recipes.hf import resnet_stages

    depths, widths, block = resnet_stages(20)
    cfg = image_task.TaskConfig(model_type="resnet", resnet_depths=depths, resnet_hidden_sizes=widths,
                                resnet_layer_type=block, resnet_variant="cifar", resnet_shortcut=shortcut,
                                channels_last=False)
    data = image_task.Data(None, None, None, collate=None, fingerprint="", labels=list(range(10)), channels=3, size=32)
    model = image_task.build_model(cfg, data)
    convs = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    # 6n+2 weighted layers: the 3x3 stem of 16 maps, 2 x 9 blocks of 3x3 convolutions, the classifier
    assert convs[0].kernel_size == (3, 3) and convs[0].out_channels == 16 and convs[0].stride == (1, 1)
    assert sum(c.kernel_size == (3, 3) for c in convs) == 19 and all(c.kernel_size in ((3, 3), (1, 1)) for c in convs)
    assert sum(c.kernel_size == (1, 1) for c in convs) == (0 if shortcut == "A" else 2)
    assert sum(isinstance(m, torch.nn.Linear) for m in model.modules()) == 1
    assert not any(isinstance(m, torch.nn.MaxPool2d) for m in model.modules())
    assert sum(p.numel() for p in model.parameters()) == parameters  # (0.27M: He et al.)
    sides = []
    for block_ in model.features:
        if isinstance(block_, image_task.CifarResNet.Block):
            block_.register_forward_hook(lambda m, i, o: sides.append((o.shape[1], o.shape[-1])))
    torch.manual_seed(0)
    pixels = torch.randint(0, 256, (8, 3, 32, 32), dtype=torch.uint8)
    images = image_task.Images(pixels, torch.arange(8) % 10, flip=True, pad=4)
    crops = [images[i][0] for i in range(8)]
    assert all(c.shape == (3, 32, 32) for c in crops) and any(not torch.equal(c, p) for c, p in zip(crops, pixels))
    batch = torch.stack(crops).float() / 255
    before = [p.detach().clone() for p in model.parameters()]
    loss = model(pixel_values=batch, labels=torch.arange(8) % 10).loss
    assert sides == [(16, 32)] * 3 + [(32, 16)] * 3 + [(64, 8)] * 3
    loss.backward()
    torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True).step()
    assert torch.isfinite(loss) and any(not torch.equal(a, b) for a, b in zip(before, model.parameters()))
    image_task.save(model, data, tmp_path / "model")
    fresh = image_task.build_model(cfg, data)
    train.load_saved(fresh, tmp_path / "model")
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), fresh.state_dict().values()))


def test_scale_augmentation_zooms_in_and_keeps_the_size(image_task):
    """Scale augmentation (``scale_jitter``): a training image is resized by a random factor, then cropped back to its
    size, so what the model sees is a zoomed-in part of it: same shape, not the image, and drawn from it."""
    import torch

    torch.manual_seed(0)
    # a horizontal ramp: columns 0..31 hold 0, 8, ..., 248; a zoom of 2x to 3x spans fewer grey levels per crop
    ramp = (torch.arange(32) * 8).to(torch.uint8).expand(3, 32, 32).contiguous()
    images = image_task.Images(ramp[None].repeat(6, 1, 1, 1), torch.zeros(6, dtype=torch.long), scale=[2.0, 3.0])
    crops = [images[i][0] for i in range(6)]
    assert all(c.shape == (3, 32, 32) and c.dtype == torch.uint8 for c in crops)
    spans = [int(c[0, 0, -1]) - int(c[0, 0, 0]) for c in crops]
    assert all(0 < span <= 248 / 2 + 8 for span in spans), spans  # at most half the ramp: zoomed in at least 2x
    assert all(torch.equal(c[0], c[0, :1].expand(32, 32)) for c in crops)  # still a horizontal ramp
    unchanged = image_task.Images(ramp[None], torch.zeros(1, dtype=torch.long))
    assert torch.equal(unchanged[0][0], ramp)


def test_a_swin_is_built_at_its_stages_and_windows_trains_and_reloads(image_task, train, tmp_path, capsys):
    """A Swin Transformer (transformers' class) at the width, blocks and heads per stage the plan gives, its patch
    and stochastic depth; on images too small for its windows (32 px at patch 4: a 1x1 map at the last stage, where
    transformers' Swin fails on 7x7 windows) with windows that fit, said so. A training step changes it and the
    saved model reloads."""
    cfg = image_task.TaskConfig(model_type="swin", swin_embed_dim=16, swin_depths=[1, 1, 2, 1], swin_heads=[1, 2, 4, 8],
                                drop_path_rate=0.2, channels_last=False)
    data = image_task.Data(None, None, None, collate=None, fingerprint="", labels=list(range(10)), channels=3, size=32)
    model = image_task.build_model(cfg, data)
    assert type(model).__name__ == "SwinForImageClassification"
    config = model.config
    assert (config.embed_dim, config.depths, config.num_heads, config.patch_size, config.drop_path_rate) == (
        16, [1, 1, 2, 1], [1, 2, 4, 8], 4, 0.2)
    assert model.classifier.in_features == 16 * 8  # the last stage's width: doubled at each of three mergings
    assert config.window_size == 1 and "windows of 1, not 7" in capsys.readouterr().out
    trains_a_step_and_reloads(image_task, train, cfg, model, data, tmp_path)


def test_layer_wise_decay_gives_each_layer_its_multiple_of_the_rate_the_head_the_full_rate(image_task, train):
    """Layer-wise learning-rate decay: the head and the layers above the numbered blocks at the full rate, block k
    below the top at layer_decay^k, the embeddings lowest; nested blocks (a ConvNeXt's stages and their layers) in
    order; the optimizer's first group is the full rate's (the one logged); 1.0 is one rate for all, a model with no
    numbered layers or a decay outside (0, 1] a clear stop."""
    import torch

    cfg = image_task.TaskConfig(model_type="vit", hidden_size=16, num_layers=3, num_heads=2, intermediate_size=32,
                                patch_size=4, channels_last=False)
    data = image_task.Data(None, None, None, collate=None, fingerprint="", labels=list(range(4)), channels=3, size=8)
    vit = image_task.build_model(cfg, data)
    names = [n for n, _ in vit.named_parameters()]
    scales = train.layer_scales(train.Config(layer_decay=0.5), names)
    block = {n: next((int(i) for i in n.split(".") if i.isdigit()), None) for n in names}
    assert all(scales[n] == 0.5 ** (3 - block[n]) for n in names if block[n] is not None)  # blocks 0, 1, 2
    assert all(scales[n] == 0.5 ** 4 for n in names if "embeddings" in n)
    assert all(scales[n] == 1.0 for n in names if n.startswith("classifier"))
    optimizer = train.make_optimizer(train.Config(layer_decay=0.5, learning_rate=0.1), vit, torch.device("cpu"))
    groups = optimizer.param_groups
    assert groups[0]["lr_scale"] == 1.0 and groups[0]["lr"] == pytest.approx(0.1)
    assert sorted({g["lr_scale"] for g in groups}) == [0.0625, 0.125, 0.25, 0.5, 1.0]
    assert sum(len(g["params"]) for g in groups) == len(names)
    assert {g["weight_decay"] for g in groups if g["lr_scale"] == 0.5} == {0.01, 0.0}  # (biases and norms undecayed)
    assert set(train.layer_scales(train.Config(layer_decay=1.0), names).values()) == {1.0}

    convnext = image_task.build_model(image_task.TaskConfig(model_type="convnext", convnext_depths=[1, 2],
                                                            convnext_hidden_sizes=[8, 16], channels_last=False), data)
    nested = train.layer_scales(train.Config(layer_decay=0.5), [n for n, _ in convnext.named_parameters()])
    first, last = (nested[f"convnext.encoder.stages.{s}.layers.{i}.dwconv.weight"] for s, i in ((0, 0), (1, 1)))
    assert first < nested["convnext.encoder.stages.1.layers.0.dwconv.weight"] < last < 1.0
    assert nested["convnext.embeddings.patch_embeddings.weight"] < first
    with pytest.raises(SystemExit, match="no numbered layers"):
        train.layer_scales(train.Config(layer_decay=0.5), ["hidden.weight", "out.bias"])
    with pytest.raises(SystemExit, match="between 0 and 1"):
        train.layer_scales(train.Config(layer_decay=0.0), names)


def test_the_weights_moving_average_follows_each_step_by_its_decay(train):
    """``ema_decay``: after each optimizer step the average moves (1 - decay) of the way to the weights (the first
    step takes them as they are), buffers averaged too; a decay outside (0, 1) or a sharded run is a clear stop."""
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    procs = train.Processes()
    ema = train.make_ema(train.Config(ema_decay=0.9), model, procs)
    assert ema is not None and not ema.training and train.make_ema(train.Config(), model, procs) is None
    weights = []
    for _ in range(3):
        with torch.no_grad():
            model[0].weight.add_(torch.randn(2, 3))
            model[1].running_mean.add_(1.0)
        ema.update_parameters(model)
        weights.append((model[0].weight.detach().clone(), model[1].running_mean.clone()))
    expected_w, expected_m = weights[0]
    for w, m in weights[1:]:
        expected_w, expected_m = 0.9 * expected_w + 0.1 * w, 0.9 * expected_m + 0.1 * m
    assert torch.allclose(ema.module[0].weight, expected_w) and torch.allclose(ema.module[1].running_mean, expected_m)
    with pytest.raises(SystemExit, match="between 0 and 1"):
        train.make_ema(train.Config(ema_decay=1.5), model, procs)
    with pytest.raises(SystemExit, match="sharded"):
        train.make_ema(train.Config(ema_decay=0.9, sharding="fsdp"), model, train.Processes(world=2))


def test_mixup_and_cutmix_mix_two_images_and_their_labels_by_the_same_share(image_task):
    """Mixup: a weighted average of two training images, the labels the same average (class probabilities summing to
    1); CutMix: a box of the other image pasted in, the labels mixed by the area each keeps; with both, each image is
    mixed one way or the other. Seeded, the same draws again; without either, images and labels as they are."""
    import torch

    # image k is all 10 * (k + 1): a mixed pixel tells which images it came from and in what share
    pixels = torch.stack([torch.full((3, 16, 16), 10 * (k + 1), dtype=torch.uint8) for k in range(4)])
    labels = torch.arange(4)
    mixup = image_task.Images(pixels, labels, mixup=0.4, classes=4)
    torch.manual_seed(0)
    rows = [mixup[k] for k in range(4) for _ in range(5)]
    for image, target in rows:
        assert target.shape == (4,) and target.sum() == pytest.approx(1.0) and image.dtype == torch.float32
        value = 10 * (torch.arange(4) + 1).float() @ target  # the labels' share of each image is the pixels' share
        assert torch.allclose(image, value.expand_as(image), atol=1e-3)
    assert any(0.01 < float(t.max()) < 0.99 for _, t in rows)  # (shares other than all or nothing)
    torch.manual_seed(0)
    again = [mixup[k] for k in range(4) for _ in range(5)]
    assert all(torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]) for a, b in zip(rows, again))  # the same draws

    cutmix = image_task.Images(pixels, labels, cutmix=1.0, classes=4)
    torch.manual_seed(1)
    for k in range(4):
        for _ in range(5):
            image, target = cutmix[k]
            kept = float((image == 10 * (k + 1)).all(0).float().mean())  # the share of the area still image k's
            others = {int(v) for v in image.unique()} - {10 * (k + 1)}
            assert len(others) <= 1 and target.sum() == pytest.approx(1.0) and target[k] == pytest.approx(kept)
    both = image_task.Images(pixels, labels, mixup=0.4, cutmix=1.0, classes=4)
    torch.manual_seed(2)
    blended = [len(both[0][0].unique()) for _ in range(40)]
    assert 1 in blended or 2 in blended  # CutMix keeps whole pixels of each image; mixup's are blends
    plain = image_task.Images(pixels, labels)
    assert torch.equal(plain[2][0], pixels[2]) and plain[2][1] == 2


def test_random_erasing_fills_a_box_of_the_image_with_noise_at_its_probability(image_task):
    """Random erasing: with its probability, a box of 2% to a third of the image filled with random values, the rest
    untouched and the label kept; at 0 never."""
    import torch

    torch.manual_seed(0)
    pixels = torch.zeros(20, 3, 32, 32, dtype=torch.uint8)
    erased = [image_task.Images(pixels, torch.arange(20), erasing=1.0)[k] for k in range(20)]
    for k, (image, label) in enumerate(erased):
        changed = (image != 0).any(0)
        rows, cols = changed.any(1).nonzero(), changed.any(0).nonzero()
        box = (int(rows.max()) - int(rows.min()) + 1) * (int(cols.max()) - int(cols.min()) + 1)
        assert 0.02 * 1024 * 0.5 <= box <= 1024 / 3 * 1.2 and label == k and image.dtype == torch.uint8
    half = image_task.Images(pixels, torch.zeros(20, dtype=torch.long), erasing=0.5)
    hits = sum(bool(half[k][0].any()) for k in range(20) for _ in range(10))
    assert 60 <= hits <= 140  # about half of 200
    never = image_task.Images(pixels, torch.zeros(20, dtype=torch.long), erasing=0.0)
    assert not any(never[k][0].any() for k in range(20))


@pytest.mark.parametrize("setting, message", [
    ({"mixup_alpha": -0.2}, "alpha is above 0"), ({"cutmix_alpha": -1.0}, "alpha is above 0"),
    ({"random_erasing": 1.5}, "a probability, 0 to 1"), ({"randaugment_ops": -1}, r"randaugment_ops -1 \(0 or more\)"),
    ({"randaugment_magnitude": 45.0}, r"randaugment_magnitude 45.0 \(0 to 30")])
def test_an_augmentation_out_of_its_range_is_a_clear_stop_before_any_data_is_read(image_task, setting, message):
    with pytest.raises(SystemExit, match=message):
        image_task.load_data(image_task.TaskConfig(dataset="hub:nowhere/never-read", **setting), 0, None)


def test_randaugment_applies_its_operations_to_color_and_gray_images_reproducibly(image_task):
    """RandAugment: each of its operations drawn at random and applied with probability 0.5, at the magnitude (and
    its noise) given; the image keeps its shape and type (RGB and one-channel alike), most draws change it, the same
    seed gives the same images, and 0 operations leaves a training image as it is."""
    import torch

    torch.manual_seed(0)
    color = (torch.rand(3, 32, 32) * 255).to(torch.uint8)
    gray = (torch.rand(1, 8, 8) * 255).to(torch.uint8)
    torch.manual_seed(1)
    first = [image_task.rand_augment(image, 2, 9, 0.5) for image in (color, gray) for _ in range(40)]
    assert all(out.shape == image.shape and out.dtype == torch.uint8
               for out, image in zip(first, [color] * 40 + [gray] * 40))
    assert sum(not torch.equal(out, color) for out in first[:40]) >= 20  # (no operation at all: 1 in 4)
    torch.manual_seed(1)
    again = [image_task.rand_augment(image, 2, 9, 0.5) for image in (color, gray) for _ in range(40)]
    assert all(torch.equal(a, b) for a, b in zip(first, again))
    images = image_task.Images(color[None], torch.zeros(1, dtype=torch.long), randaugment=(0, 9.0, 0.0))
    assert torch.equal(images[0][0], color)
    augmented = image_task.Images(color[None], torch.zeros(1, dtype=torch.long), randaugment=(2, 9.0, 0.5))
    assert sum(not torch.equal(augmented[0][0], color) for _ in range(20)) >= 10  # (a training image, as drawn)


def test_the_loop_tells_mixed_labels_from_class_indices_and_regression_targets(image_task, train, monkeypatch):
    """The loop takes a batch's labels as class probabilities (mixup's, CutMix's: trained on by its own cross-entropy,
    never given to the model) only from a task that makes them and only as one row per example; class indices and a
    regression's targets are the model's as before. (That a run with mixed labels trains, and its saved model is a
    single-label classifier, is test_recipes' ConvNeXt run.)"""
    import torch

    soft = {"pixel_values": torch.zeros(2, 3, 8, 8), "labels": torch.tensor([[0.7, 0.3], [0.0, 1.0]])}
    assert not train.soft_targets(soft)  # (the fixture's tabular task makes no mixed labels)
    monkeypatch.setattr(train, "task", image_task)
    assert train.soft_targets(soft) and not train.soft_targets({"labels": torch.tensor([0, 1])})
    assert not train.soft_targets({"labels": torch.tensor([0.5, 1.5])})  # (a regression's targets)


def test_a_test_split_without_labels_is_replaced_by_the_validation_split(image_task, tmp_path, monkeypatch):
    """ImageNet-1k's test split holds -1 for every label (as GLUE's do): the image task tests on the validation split
    (here the Hub layout of a stand-in with ImageNet's splits and 1,000 classes, read offline)."""
    from huggingface_hub import constants

    from ml_intern.bench.standins import build
    from ml_intern.run.fetch import Need

    build([Need("ILSVRC/imagenet-1k", "dataset")], tmp_path / "hub")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "datasets"))
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    data = image_task.load_data(image_task.TaskConfig(dataset="hub:ILSVRC/imagenet-1k", validation_fraction=0.25),
                                seed=0, smoke_examples=None)
    assert len(data.labels) == 1000 and len(data.test) == 48
    assert all(0 <= int(data.test[i][1]) < 1000 for i in range(48))
    assert len(data.train) + len(data.val) == 240  # the validation split cut from train


def test_glue_mnli_is_evaluated_on_its_matched_validation_split():
    """A data set whose held-out splits carry a suffix (GLUE MNLI: validation_matched/_mismatched, and unlabelled
    test_matched/_mismatched) is evaluated on its own matched validation split, not on a slice cut from train."""
    from datasets import Dataset, DatasetDict

    spec = importlib.util.spec_from_file_location("skeleton_sources", SKELETON / "sources.py")
    sources = importlib.util.module_from_spec(spec)
    sys.modules["skeleton_sources"] = sources  # (its dataclasses look their module up)
    try:
        spec.loader.exec_module(sources)
    finally:
        sys.modules.pop("skeleton_sources")
    rows = lambda n, label: Dataset.from_dict({"premise": [f"p{i}" for i in range(n)], "label": [label] * n})  # noqa
    dsd = DatasetDict(train=rows(100, 0), validation_matched=rows(7, 1), validation_mismatched=rows(5, 2),
                      test_matched=rows(6, -1), test_mismatched=rows(4, -1))
    train, val, test = sources.split(dsd, 0, 0.1, 0.1, labelled=lambda ds: min(ds["label"]) >= 0)
    assert test["label"] == [1] * 7  # the unlabelled test replaced by the matched validation split
    assert len(train) + len(val) == 100 and set(val["label"]) == {0}  # validation then cut from train
    plain = DatasetDict(train=rows(100, 0), validation=rows(7, 1), test=rows(6, 2))
    train, val, test = sources.split(plain, 0, 0.1, 0.1)
    assert (len(train), val["label"], test["label"]) == (100, [1] * 7, [2] * 6)


def test_reduce_on_plateau_cuts_the_rate_when_the_validation_metric_stops_improving(train, tmp_path, monkeypatch):
    """lr_schedule plateau on a real (tiny) run of the tabular task: at a rate too small to move the validation loss,
    every evaluation after the first fails to improve on the best, so each cuts the rate by lr_decay_factor
    (patience 0); the steps between evaluations keep the cut rate."""
    import json

    import yaml

    (tmp_path / "config.yaml").write_text(yaml.safe_dump({
        "dataset": "sklearn:load_wine", "optimizer": "sgd", "learning_rate": 1e-6, "weight_decay": 0.0,
        "lr_schedule": "plateau", "lr_decay_factor": 0.1, "lr_patience": 0, "lr_plateau_metric": "loss",
        "epochs": 3, "batch_size": 40, "log_every": 1, "output_dir": str(tmp_path / "out")}))
    monkeypatch.chdir(tmp_path)
    assert train.main(["--config", str(tmp_path / "config.yaml")]) == 0
    rows = [json.loads(line) for line in (tmp_path / "out" / "metrics.jsonl").read_text().splitlines()]
    evals = [r["step"] for r in rows if "eval_loss" in r]
    assert len(evals) == 3
    lr = {r["step"]: r["lr"] for r in rows if "lr" in r}
    second = evals[1]
    assert all(lr[s] == pytest.approx(1e-6) for s in lr if s <= second)  # the first evaluation sets the best
    assert all(lr[s] == pytest.approx(1e-7) for s in lr if second < s <= evals[2])


def test_reduce_on_plateau_reads_the_metric_in_its_direction(train):
    import torch

    opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=1.0)
    assert train.make_plateau(train.Config(lr_schedule="cosine"), opt) is None
    by_accuracy = train.make_plateau(train.Config(lr_schedule="plateau", lr_plateau_metric="accuracy"), opt)
    by_loss = train.make_plateau(train.Config(lr_schedule="plateau", lr_plateau_metric="loss", lr_patience=2), opt)
    assert by_accuracy.mode == "max" and by_loss.mode == "min" and by_loss.patience == 2
    with pytest.raises(SystemExit, match="lr_decay_factor"):
        train.make_plateau(train.Config(lr_schedule="plateau", lr_decay_factor=1.5), opt)


def trains_a_step_and_reloads(image_task, train, cfg, model, data, folder) -> None:
    """A training step on 32 px images changes the weights, and the saved model loads into a freshly built one by
    the loop's own loader (as the metrics check does)."""
    import torch

    torch.manual_seed(0)
    before = [p.detach().clone() for p in model.parameters()]
    loss = model(pixel_values=torch.randn(4, 3, 32, 32), labels=torch.arange(4)).loss
    loss.backward()
    torch.optim.SGD(model.parameters(), lr=0.1).step()
    assert torch.isfinite(loss) and any(not torch.equal(a, b) for a, b in zip(before, model.parameters()))
    image_task.save(model, data, folder / "model")
    fresh = image_task.build_model(cfg, data)
    train.load_saved(fresh, folder / "model")
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), fresh.state_dict().values()))


@pytest.mark.parametrize("model_type, cls, sizes", [
    ("efficientnet", "EfficientNetForImageClassification", {"width_coefficient": 0.25}),
    ("efficientnet", "EfficientNetForImageClassification", {"width_coefficient": 0.25, "depth_coefficient": 1.4}),
    ("mobilenet_v1", "MobileNetV1ForImageClassification", {"width_coefficient": 0.25}),
    ("vgg", "VGG", {"depth": 11, "width_coefficient": 0.125, "vgg_fc_size": 64}),
    ("vgg", "VGG", {"depth": 11, "width_coefficient": 0.125, "vgg_fc_size": 64, "vgg_batch_norm": True}),
    ("densenet", "DenseNet", {"densenet_blocks": [2, 2, 2], "growth_rate": 4})])
def test_the_papers_convolutional_network_is_built_from_its_config_trains_and_reloads(image_task, train, model_type,
                                                                                      cls, sizes, tmp_path):
    """EfficientNet and MobileNet (transformers' classes), VGG and DenseNet-BC (the task file's own) at a fraction of
    their width on 32 px images: the paper's dropout, a training step that changes the weights, and the saved model
    loaded into a freshly built one by the loop's own loader (as the metrics check does)."""
    import torch

    cfg = image_task.TaskConfig(model_type=model_type, dropout=0.3, channels_last=False, **sizes)
    data = image_task.Data(None, None, None, collate=None, fingerprint="", labels=list(range(10)), channels=3, size=32)
    model = image_task.build_model(cfg, data)
    assert type(model).__name__ == cls
    assert any(isinstance(m, torch.nn.Dropout) and m.p == 0.3 for m in model.modules())
    trains_a_step_and_reloads(image_task, train, cfg, model, data, tmp_path)
    if model_type == "efficientnet":  # B0's 16 MBConv blocks; B3's depth coefficient 1.4: 26, as in its paper
        assert len(model.efficientnet.encoder.blocks) == (26 if sizes.get("depth_coefficient") else 16)
    if model_type == "vgg":  # VGG-11: 8 convolutions, each followed by batch normalisation in VGG-11-BN
        norms = sum(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules())
        assert sum(isinstance(m, torch.nn.Conv2d) for m in model.modules()) == 8
        assert norms == (8 if sizes.get("vgg_batch_norm") else 0)
    if model_type == "densenet":  # DenseNet-BC: each layer adds k maps; transitions halve them (2k + 2k = 16 -> 8)
        convs = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
        assert [c.out_channels for c in convs[:4]] == [8, 16, 4, 16] and convs[5].out_channels == 8


def test_a_convnext_is_built_at_its_stages_with_the_papers_stochastic_depth_trains_and_reloads(image_task, train,
                                                                                               tmp_path):
    """A ConvNeXt (transformers' class) at the blocks and widths per stage the plan gives, its 4x4 patch stem, and the
    paper's stochastic depth: the last block dropped at that rate, the first never (the rate rises linearly, as in
    Liu et al.); a training step changes the weights, and the saved model loads into a freshly built one."""
    import torch

    cfg = image_task.TaskConfig(model_type="convnext", convnext_depths=[1, 1, 2, 1], convnext_hidden_sizes=[8, 16, 24, 32],
                                drop_path_rate=0.3, channels_last=False)
    data = image_task.Data(None, None, None, collate=None, fingerprint="", labels=list(range(10)), channels=3, size=32)
    model = image_task.build_model(cfg, data)
    assert type(model).__name__ == "ConvNextForImageClassification"
    stages = model.convnext.encoder.stages
    assert [len(stage.layers) for stage in stages] == [1, 1, 2, 1]
    assert [stage.layers[0].pwconv2.out_features for stage in stages] == [8, 16, 24, 32]
    assert model.convnext.embeddings.patch_embeddings.kernel_size == (4, 4)
    drops = [layer.drop_path for stage in stages for layer in stage.layers]
    assert isinstance(drops[0], torch.nn.Identity) and drops[-1].drop_prob == pytest.approx(0.3)
    trains_a_step_and_reloads(image_task, train, cfg, model, data, tmp_path)


@pytest.mark.parametrize("model_type, sizes", [("resnet", {"resnet_depths": [1, 1], "resnet_hidden_sizes": [8, 16],
                                                          "resnet_layer_type": "basic"}),
                                              ("vgg", {"depth": 11, "width_coefficient": 0.125, "vgg_fc_size": 16})])
def test_a_channels_last_model_is_still_the_model_it_saves_and_reloads_as(image_task, train, model_type, sizes,
                                                                          tmp_path):
    """On a GPU the image task runs its network channels_last (``channels_last``): the same class and weight names,
    the same outputs, saved and reloaded by the loop's own loader as the metrics check does (a wrapper module's
    ``model.`` prefix made every weight unknown to a freshly built model). The memory format works on a CPU too."""
    import torch

    cfg = image_task.TaskConfig(model_type=model_type, channels_last=False, **sizes)
    data = image_task.Data(None, None, None, collate=None, fingerprint="", labels=list(range(4)), channels=3, size=32)
    torch.manual_seed(0)
    plain = image_task.build_model(cfg, data).eval()
    fast = image_task.channels_last(image_task.build_model(cfg, data).eval())
    fast.load_state_dict(plain.state_dict())
    assert type(fast) is type(plain) and list(fast.state_dict()) == list(plain.state_dict())
    pixels = torch.randn(2, 3, 32, 32)
    assert torch.allclose(fast(pixel_values=pixels).logits, plain(pixel_values=pixels).logits, atol=1e-5)
    image_task.save(fast, data, tmp_path / "model")
    fresh = image_task.build_model(cfg, data)
    train.load_saved(fresh, tmp_path / "model")
    assert all(torch.equal(a, b) for a, b in zip(plain.state_dict().values(), fresh.state_dict().values()))


def test_every_choice_the_planner_allows_is_one_the_skeleton_runs(train):
    """planner.CHOICES is what ``--set`` may give; each must be a value train.py builds, not one it stops on."""
    import torch

    from ml_intern.plan.planner import CHOICES

    model, cpu = torch.nn.Linear(3, 2), torch.device("cpu")
    for name in CHOICES["optimizer"]:
        assert isinstance(train.make_optimizer(train.Config(optimizer=name), model, cpu), torch.optim.Optimizer)
    for schedule in CHOICES["lr_schedule"]:
        for unit in CHOICES["lr_milestone_unit"]:
            got = factors(train, lr_schedule=schedule, lr_milestone_unit=unit, lr_milestones=[0.5], lr_step_size=0.5)
            assert all(math.isfinite(f) and f >= 0 for f in got), (schedule, unit)
    for mode in CHOICES["lr_plateau_mode"]:
        optimizer = train.make_optimizer(train.Config(), model, cpu)
        assert train.make_plateau(train.Config(lr_schedule="plateau", lr_plateau_mode=mode), optimizer) is not None
    with pytest.raises(SystemExit, match="optimizer 'lamb'"):  # (the skeleton's own check, for a config edited by hand)
        train.make_optimizer(train.Config(optimizer="lamb"), model, cpu)

