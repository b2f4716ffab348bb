"""Image classification with a small convolutional network, on scikit-learn's packaged image data.

The template is ``build/templates/image_classification/train.py``: a plain PyTorch loop (no Trainer), because
for a model this small the Trainer's per-step overhead would dominate and the loop must stay readable for the
repairer. Hub image data sets and ViT/ResNet models go to the image-classification-hf recipe (``hf.py``).
"""

from __future__ import annotations

from pathlib import Path

from ml_intern.plan.models import ExperimentPlan, HardwarePlan, Resolved
from ml_intern.registry import DatasetInfo

TEMPLATE = Path(__file__).resolve().parents[2] / "build" / "templates" / "image_classification"

MODEL_KEYS = ("conv_channels", "kernel_size", "hidden_size")
# scale "smoke": the same code path, a handful of steps
SMOKE_MAX_STEPS = 20


class ImageClassification:
    name = "image-classification"
    task_types = ("image-classification",)
    template = TEMPLATE
    model_keys = MODEL_KEYS
    metric = "accuracy"
    requirements = ("torch>=2.2", "numpy>=1.24", "scikit-learn>=1.3", "pyyaml>=6", "safetensors>=0.4")

    def accepts(self, model: str | None) -> bool:
        """The small CNN: for sources that name no model, or a plain CNN; a ViT or ResNet goes to the HF recipe."""
        return model is None or model.lower() in ("cnn", "convnet", "convolutional network", "lenet", "mlp")

    def supports(self, dataset: DatasetInfo) -> str | None:
        if dataset.loader.startswith("sklearn:") and dataset.image_size:
            return None
        return (f"the small-CNN recipe loads scikit-learn's packaged images (digits); {dataset.key} "
                f"({dataset.loader}) goes to the image-classification-hf recipe (ViT, ResNet)")

    def defaults(self) -> dict[str, tuple[object, str]]:
        return {
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
        }

    def scale(self, values: dict[str, Resolved], scale: str, dataset: DatasetInfo) -> dict[str, Resolved]:
        values = dict(values)
        if scale == "smoke":
            values["max_steps"] = Resolved(value=SMOKE_MAX_STEPS, origin="scale",
                                           reason="scale smoke: a few steps to check the code path")
        # "small" and "paper" are the same here: the paper's setting already runs in minutes on a CPU.
        return values

    def files(self) -> dict[str, Path]:
        return {"train.py": TEMPLATE / "train.py"}

    def hardware(self, values: dict[str, object], dataset: DatasetInfo, scale: str = "small") -> HardwarePlan:
        channels = list(values["conv_channels"])  # type: ignore[arg-type]
        k, size, hidden = int(values["kernel_size"]), dataset.image_size or 8, int(values["hidden_size"])
        classes = dataset.num_classes or 10
        params, macs, c_in = 0, 0, 1
        for c in channels:  # "same" convolutions at full resolution, one 2x2 pooling at the end
            params += c_in * c * k * k + c
            macs += c_in * c * k * k * size * size
            c_in = c
        flat = c_in * (size // 2) ** 2
        params += flat * hidden + hidden + hidden * classes + classes
        macs += flat * hidden + hidden * classes
        batch = int(values["batch_size"])
        activations = batch * sum(channels) * size * size * 4 * 2  # forward outputs kept for backward, fp32
        memory_mb = (params * 4 * 4 + activations) / 2**20  # weights, grads, Adam's two moments
        examples = (dataset.num_examples or 0) * int(values["epochs"])
        return HardwarePlan(device="auto", precision="fp32", per_device_batch=batch, gradient_accumulation_steps=1,
                            effective_batch=batch, parameters=params, memory_estimate_mb=round(memory_mb, 2),
                            flops_estimate=3 * 2.0 * macs * examples,  # forward + backward (2x forward)
                            notes=["fits any CPU or GPU: one device, fp32 (bf16 gains nothing at this size)"])

    def config(self, plan: ExperimentPlan) -> dict[str, object]:
        values = plan.values()
        config = {key: values[key] for key in (*MODEL_KEYS, "dropout", "optimizer", "learning_rate", "weight_decay",
                                                 "batch_size", "epochs", "lr_schedule", "warmup_steps", "seed",
                                                 "test_fraction", "validation_fraction", "grad_clip",
                                                 "label_smoothing")}
        config.update(num_classes=0, gradient_checkpointing=False, dataset=plan.dataset.loader, device=plan.hardware.device, precision=plan.hardware.precision,
                      gradient_accumulation_steps=plan.hardware.gradient_accumulation_steps,
                      batch_size=plan.hardware.per_device_batch, max_steps=values.get("max_steps", 0),
                      output_dir="outputs")
        for key in ("checkpoint_every", "log_every"):
            if key in values:
                config[key] = values[key]
        return config
