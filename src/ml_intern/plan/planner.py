"""Pick a recipe for the spec, resolve every value (paper, default with reason, or user override), size it."""

from __future__ import annotations

import re

from ml_intern.errors import DataNeeded, InputError, UnsupportedTask
from ml_intern.paper.models import TOKENS_UNIT, Hyperparameter, Negation, PaperSpec, SourceRef
from ml_intern.paper.extract import INTRODUCED
from ml_intern.paper.values import slashed
from ml_intern.plan.models import (Budgets, DataChoice, ExperimentPlan, Fidelity, HardwarePlan, MetricTarget,
                                   Resolved, Scale)
from ml_intern.plan.recipes import RECIPES, recipe_for
from ml_intern.registry import MODELS, DatasetInfo, get_dataset

# Settings that exist only for bookkeeping; users may override them, papers do not give them.
RUN_KEYS = {"max_steps": 0, "checkpoint_every": 0, "log_every": 10}
TASK_ALIASES = {"image classification": "image-classification", "classification of images": "image-classification",
                "sentiment classification": "text-classification", "language modelling": "language-modeling",
                "named entity recognition": "named-entity-recognition", "fine-tuning": "causal-lm-finetuning",
                "causal language modeling": "causal-lm", "causal language modelling": "causal-lm",
                "lora fine-tuning": "causal-lm-finetuning", "machine translation": "translation",
                "image-classification": "image-classification", "text classification": "text-classification",
                "token classification": "token-classification", "causal lm pretraining": "causal-lm-pretraining",
                "causal lm finetuning": "causal-lm-finetuning", "masked-lm": "masked-lm"}
MODEL_TYPES = {"resnext": "resnext", "wideresnet": "wide_resnet", "resnet": "resnet", "convnext": "convnext",
               "swin": "swin", "vit": "vit", "visiontransformer": "vit", "gpt2": "gpt2", "llama": "llama",
               "t5": "t5", "efficientnet": "efficientnet", "mobilenetv2": "mobilenet_v2", "mobilenet": "mobilenet_v1",
               "vgg": "vgg", "densenet": "densenet", "inception": "inception", "googlenet": "inception",
               "lstm": "bilstm-crf", "gbdt": "gbdt", "boost": "gbdt"}  # (boosted trees: XGBoost, tree boosting, ...)
# architectures a task file writes itself (not transformers' classes built by model_type): a family naming one plans
# it only with a recipe that lists it in its model_types (an LSTM is a tagger's, not a translation model's)
OWN_TYPES = {"vgg", "densenet", "cnn", "bilstm-crf", "bilstm", "gbdt", "mlp"}
# an LSTM tagger with a CRF on top, as papers name it ("BiLSTM-CRF", "LSTM-CRF", "conditional random field"); an LSTM
# tagger without one predicts each word's tag by a softmax
CRF_NAMES = re.compile(r"\bCRFs?\b|conditional random fields?", re.I)
# architectures by the paper that introduced them: a paper's own architecture is the one to build, and its title
# names it where its text names only others ("Very Deep Convolutional Networks ..." is VGG)
ARCHITECTURE_PAPERS = {
    "Deep Residual Learning for Image Recognition": "resnet",
    "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale": "vit",
    "EfficientNet: Rethinking Model Scaling for Convolutional Neural Networks": "efficientnet",
    "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications": "mobilenet_v1",
    "MobileNetV2: Inverted Residuals and Linear Bottlenecks": "mobilenet_v2",
    "Very Deep Convolutional Networks for Large-Scale Image Recognition": "vgg",
    "Densely Connected Convolutional Networks": "densenet",
    "Going Deeper with Convolutions": "inception",
    "Rethinking the Inception Architecture for Computer Vision": "inception",
}
# architectures papers name that no recipe builds (transformers has none of them; timm and torchvision would need
# another torch than the pinned one), and the nearest one built in their place
UNBUILT = {"inception": ("Inception network", "resnet"), "resnext": ("ResNeXt", "resnet"),
           "wide_resnet": ("Wide ResNet", "resnet")}
# the variant of an architecture a paper names (in its model, family or title), as the image recipe reads it
# (``model_variant``): EfficientNet-B3 ("b3"); a MobileNet's width multiplier and resolution ("0.75 MobileNet-160",
# "MobileNetV2 1.4", "width multiplier of 0.5": "0.75-160", "1.4", "0.5"); a VGG with batch normalisation ("bn"); a
# ConvNeXt's or Swin's size ("ConvNeXt-B", "Swin-T": "b", "t")
VARIANTS = {
    "efficientnet": re.compile(r"\bEfficientNet[- ]?(B[0-7])\b", re.I),
    "convnext": re.compile(r"\bConvNeXt[- ](T|S|B|L|XL)(?![\w/-])"),
    "swin": re.compile(r"\bSwin[- ](T|S|B|L)(?![\w/-])"),
    "mobilenet": re.compile(r"(?<![\w.])(0?\.\d+|1\.0)[- ]MobileNet(?:[- ]?v[12])?(?:[- ](\d{3})\b)?"
                            r"|\bMobileNet(?:[- ]?v[12])?[- ](0?\.\d+|1\.\d+)\b(?:[- ](\d{3})\b)?"
                            r"|\bwidth multiplier (?:of |α ?= ?)?(0?\.\d+|1\.\d+)", re.I),
    "vgg": re.compile(r"\bVGG[- ]?(?:11|13|16|19)?[-_ ]?BN\b|\bVGG\S*(?: \S+){0,5} (?:with|and|using) batch[- ]"
                      r"normali[sz]ation", re.I),
}
CHOICE_KEYS = {"optimizer", "lr_schedule", "model_type", "problem", "lr_milestone_unit", "lr_plateau_mode", "template"}
# what the generated project accepts for its choice settings (train.py's make_optimizer, lr_factor and make_plateau;
# causal_lm.py's templates): a --set outside them is an input error now, not a failed run later
CHOICES = {"optimizer": ("adamw", "adam", "radam", "nadam", "sgd", "rmsprop", "adadelta", "adagrad", "adafactor"),
           "lr_schedule": ("constant", "linear", "cosine", "polynomial", "inverse_sqrt", "step", "multistep",
                           "plateau"),
           "lr_milestone_unit": ("steps", "epochs", "fraction"), "lr_plateau_mode": ("min", "max", "auto"),
           "template": ("text", "classification", "question-answering", "seq2seq", "auto")}
# a data set given as a source rather than a registry name (task files): loaded as written
SOURCE_PREFIXES = ("hub:", "csv:", "json:", "text:", "sklearn:")


# overrides that change what is planned rather than one value: the task, the data set, the paper's setting
REPLAN_KEYS = ("task_type", "dataset", "setting")
# a task no recipe trains, as papers name it, and what training it needs that no recipe has
UNCOVERED = [
    (re.compile(r"generative adversarial|\bGANs?\b|image generation|image synthesis", re.I),
     "image generation with a GAN or diffusion model (a generator, a discriminator or denoiser, their losses, FID)"),
    (re.compile(r"object detection|\bdetection\b.*\b(?:boxes|objects?)\b|\bdetectors?\b", re.I),
     "object detection (box regression, anchors or queries, mAP on boxes)"),
    (re.compile(r"segmentation", re.I), "segmentation (per-pixel masks, their loss, mIoU)"),
    (re.compile(r"reinforcement learning|policy gradient|\bQ-learning\b|\bAtari\b", re.I),
     "reinforcement learning (an environment, a policy, returns)"),
    (re.compile(r"speech recognition|\bword error rate\b", re.I),
     "speech recognition (audio features, a CTC or sequence decoder, word error rate)"),
    (re.compile(r"word embeddings?|word vectors?|word representations?|\bskip-gram\b", re.I),
     "word embeddings (skip-gram or CBOW objectives, analogy and similarity evaluation)"),
    (re.compile(r"node classification|graph (?:classification|neural network)|link prediction", re.I),
     "learning on graphs (message passing over a graph's nodes and edges, a graph data loader)"),
    (re.compile(r"time series forecasting|forecasting", re.I),
     "time-series forecasting (windows over a series, a forecasting head, MSE or MAE over a horizon)"),
    (re.compile(r"\bcontrastive(?: learning| pre-?training| loss)?$|\bcontrastive (?:learning|pre-?training)\b|"
                r"\bself-supervised (?:vision|visual|image)|\bunsupervised visual representation learning\b|"
                r"\bmasked autoencoders?\b|\bmasked image (?:modell?ing|pre-?training)\b|"
                r"\bmomentum contrast\b", re.I),
     "self-supervised pre-training (a contrastive or masked-reconstruction objective over unlabelled images or text, "
     "then a linear probe or fine-tuning)"),
    (re.compile(r"^recommendation$|\brecommender\b|collaborative filtering|\b(?:item|top-k|news|movie|product|music|"
                r"sequential|personali[sz]ed) recommendations?\b", re.I),  # (not "Practical recommendations for …")
     "recommendation (user and item embeddings, negative sampling, ranking metrics such as HR@K and NDCG)"),
]
# the stages of training on preferences or human feedback, which no recipe trains: a plan reproduces the supervised
# fine-tuning before them and says what it leaves out; asked to reproduce one, it stops
UNTRAINED_STAGES = {"preference": ("preference optimization", "pairs of chosen and rejected responses, a frozen "
                                                               "reference model, DPO's loss"),
                    "reward_model": ("reward modelling", "a model trained on ranked comparisons of responses"),
                    "rlhf": ("RLHF", "reinforcement learning against a reward model, PPO over sampled responses")}
SCHEDULE_NAMES = {"inversesquareroot": "inverse_sqrt", "inverse square root": "inverse_sqrt", "rsqrt": "inverse_sqrt",
                  "invsqrt": "inverse_sqrt", "poly": "polynomial", "cosineannealing": "cosine", "multi-step": "multistep",
                  "piecewise": "multistep", "none": "constant", "fixed": "constant"}
FRACTIONAL = {"epochs", "lr_step_size"}
LIST_KEYS = {"lr_milestones", "lora_target_modules", "scale_jitter"}  # list values by nature, not a grid  # settings that may be fractional where the recipe's default is whole
# loop settings that only some optimizers or schedules read: (the plan's setting, the values that read it)
READ_BY = {"momentum": ("optimizer", ("sgd", "rmsprop")), "nesterov": ("optimizer", ("sgd",)),
           "adam_beta1": ("optimizer", ("adam", "adamw", "radam", "nadam")),
           "adam_beta2": ("optimizer", ("adam", "adamw", "radam", "nadam")),
           "adam_epsilon": ("optimizer", ("adam", "adamw", "radam", "nadam", "rmsprop", "adadelta", "adagrad")),
           "rmsprop_alpha": ("optimizer", ("rmsprop",)), "adadelta_rho": ("optimizer", ("adadelta",)),
           "lr_milestones": ("lr_schedule", ("multistep",)), "lr_step_size": ("lr_schedule", ("step",)),
           "lr_decay_factor": ("lr_schedule", ("step", "multistep", "plateau")),
           "lr_patience": ("lr_schedule", ("plateau",)), "lr_plateau_metric": ("lr_schedule", ("plateau",)),
           "lr_power": ("lr_schedule", ("polynomial",)), "lr_end_factor": ("lr_schedule", ("polynomial",)),
           "lr_d_model": ("lr_schedule", ("inverse_sqrt",))}
# one quantity stated two ways: a setting that states one of them does not take the other from another setting
SAME_QUANTITY = (("warmup_steps", "warmup_ratio"), ("epochs", "max_steps"))
ARCHITECTURE_NAMES = ("num_layers", "hidden_size", "num_heads", "intermediate_size", "patch_size", "seq_len",
                      "lora_rank", "lora_alpha", "lora_targets")


def make_plan(spec: PaperSpec, scale: Scale = "small", overrides: dict[str, object] | None = None,
              budgets: Budgets | None = None) -> ExperimentPlan:
    overrides = dict(overrides or {})
    replan = {k: overrides.pop(k) for k in REPLAN_KEYS if k in overrides}
    warnings: list[str] = []
    choices: dict[str, Resolved] = {}
    if "setting" in replan:
        spec = spec.with_setting(str(replan["setting"]))
        choices["setting"] = Resolved(value=spec.default_setting, origin="override", reason="set by the user")
    elif spec.default_setting != "default":
        choices["setting"] = Resolved(value=spec.default_setting, origin="paper",
                                      reason="the setting of the paper's main result")

    if (stage := next((s for s in spec.lineage(spec.default_setting) if s in UNTRAINED_STAGES), None)) is not None:
        name, needs = UNTRAINED_STAGES[stage]
        raise UnsupportedTask(f"the setting {spec.default_setting!r} is {name} ({needs}): no recipe trains it "
                              "in this version", fix="plan the supervised fine-tuning before it with --setting finetuning"
                              if "finetuning" in spec.settings else f"choose another setting with --setting (the "
                              f"paper's: {', '.join(spec.settings)})")
    if left := [s for s in UNTRAINED_STAGES if any(h.setting == s for h in spec.hyperparameters)]:
        warnings.append(f"the paper's {' and '.join(UNTRAINED_STAGES[s][0] for s in left)} stage"
                        f"{'s are' if len(left) > 1 else ' is'} not trained (no recipe trains "
                        f"{'them' if len(left) > 1 else 'it'}): this plan reproduces the {spec.default_setting} setting")

    # the data set of the setting the paper mainly reports, else the first known one it names
    known = [d for d in spec.datasets if d.resolved and get_dataset(d.resolved)]
    main = spec.lineage(spec.default_setting)  # a model size's setting: the data set of the one it refines
    dataset_ref = next((d for d in known if d.resolved in main), known[0] if known else None)
    dataset = get_dataset(dataset_ref.resolved) if dataset_ref and dataset_ref.resolved else None

    task_type = None
    if "task_type" in replan:
        task_type = _task_name(str(replan["task_type"]))
        choices["task_type"] = Resolved(value=task_type, origin="override", reason="set by the user")
    elif spec.task_type:
        task_type = _task_name(str(spec.task_type.value))
        choices["task_type"] = Resolved(value=task_type, origin="paper", source=spec.task_type.source)
    if "dataset" in replan:
        dataset_ref = None
        dataset = _dataset_override(str(replan["dataset"]), task_type)
        choices["dataset"] = Resolved(value=str(replan["dataset"]), origin="override",
                                      reason=f"set by the user: {dataset.loader}")
    if dataset is None and spec.extractor == "task-file":  # a source written out (json:data/train.jsonl,
        # hub:org/name) in the user's own task file; never from paper text, which could name any file here
        dataset_ref = next((d for d in spec.datasets if d.name.startswith(SOURCE_PREFIXES)), None)
        if dataset_ref is not None:
            dataset = DatasetInfo(key="custom", aliases=[], loader=dataset_ref.name, task_type=task_type or "unknown",
                                  license="unknown (data given as a source: check its terms)")
    if "dataset" not in choices and dataset_ref is not None:
        choices["dataset"] = Resolved(value=dataset.key if dataset else dataset_ref.name, origin="paper",
                                      source=dataset_ref.source)
    covered = {t for r in RECIPES.values() for t in r.task_types}
    if "task_type" not in replan or task_type not in covered:  # (a task chosen with --set is planned as asked)
        _stop_uncovered(spec, task_type, covered)
    if task_type is None and dataset:
        task_type = dataset.task_type
        choices["task_type"] = Resolved(value=task_type, origin="default", reason=f"the paper does not state its "
                                        f"task: {dataset.key}'s")
        warnings.append(f"the paper does not state its task; {task_type} inferred from the data set {dataset.key}")
    if task_type is None:
        raise InputError("cannot tell the task type: the source names no task and no known data set",
                         fix="add `task:` and `dataset:` to the task file, or check the paper text with `ml-intern read`")
    named = spec.architecture.model or spec.architecture.family
    model_name = str(named.value) if named else None
    recipe = recipe_for(task_type, dataset, model_name)
    if recipe is None:
        raise UnsupportedTask(f"no recipe trains {task_type!r} in this version",
                              fix=f"recipes train: {', '.join(sorted(covered))}; plan one of them on purpose with "
                                  "--set task_type=NAME")
    if dataset_ref is not None and "dataset" not in replan and (trained := _trained_elsewhere(spec, dataset_ref)):
        column = ", and its label column with --set target_column=NAME" if "target_column" in recipe.takes else ""
        raise DataNeeded(f"the paper trains on {trained.name}, which is not in the registry, so ml-intern cannot tell "
                         f"where to load it from; {dataset_ref.name}, which the registry has, the paper only evaluates "
                         f"on (the {recipe.name} recipe would train it)", recipe=recipe.name,
                         fix=f"give {trained.name} with --set dataset=NAME (a Hub id with its config as org/name:config, "
                             f"or a local file as csv:PATH or json:PATH){column}, or `dataset:` in a task file")
    if dataset is None:
        names = ", ".join(d.name for d in spec.datasets) or "none"
        column = ", and its label column with --set target_column=NAME" if "target_column" in recipe.takes else ""
        raise DataNeeded(f"no known data set found (named in the source: {names}): none is in the registry, so "
                         f"ml-intern cannot tell where to load it from (the {recipe.name} recipe would train it)",
                         recipe=recipe.name, fix="name one with --set dataset=NAME (a registry name, a Hub id with "
                         f"its config as org/name:config, or a local file as csv:PATH or json:PATH){column}, or "
                         "`dataset:` in a task file")
    reason = recipe.supports(dataset)
    if reason and "dataset" not in replan and (found := _loadable(known, task_type, model_name)) is not None:
        warnings.append(f"{reason}: the paper's {found[0].name} is planned instead")
        dataset_ref, dataset, recipe = found
        choices["dataset"] = Resolved(value=dataset.key, origin="paper", source=dataset_ref.source,
                                      reason="the first data set the paper names that the task's recipe loads")
        reason = None
    if reason:
        raise InputError(reason, fix=f"name a data set of the {recipe.name} recipe's kind with --set dataset=NAME, "
                                     f"or another task with --set task_type=NAME (docs/recipes.md)")

    if dataset_ref is not None and dataset_ref.pair is not None and "dataset" not in replan:
        if (paired := _with_pair(dataset, str(dataset_ref.pair.value))) is not None:
            dataset = paired
            choices["language_pair"] = Resolved(value=dataset_ref.pair.value, origin="paper",
                                                source=dataset_ref.pair.source,
                                                reason=f"the pair the paper translates: {dataset.loader}")
        else:
            warnings.append(f"the paper translates {dataset_ref.pair.value}, which {dataset.key} has no config for "
                            f"here: {dataset.loader} is planned (another with --set dataset=NAME/CONFIG)")

    stated = _stated(spec, dataset.key)
    if spec.extractor == "task-file":  # the user's own words: a name the recipe does not know is a typo, never ignored
        known = set(recipe.defaults()) | set(RUN_KEYS) | set(recipe.takes)
        given = [hp.name for hp in spec.hyperparameters] + list(spec.architecture.sizes)
        if unknown := [name for name in given if name not in known]:
            raise InputError(f"the task file names {', '.join(map(repr, unknown))}, which the {recipe.name} recipe "
                             "does not know", fix=f"its settings are: {', '.join(sorted(known))}")
    values = _resolve(spec, recipe, dataset, stated, warnings)
    values = recipe.scale(values, scale, dataset)
    for key, value in overrides.items():
        known = set(values) | set(RUN_KEYS) | set(recipe.takes)
        if key not in known:
            raise InputError(f"unknown setting {key!r} in --set",
                             fix=f"known settings: {', '.join(sorted(known | set(REPLAN_KEYS)))}")
        default = values[key].value if key in values and values[key].origin != "unsupported" else \
            RUN_KEYS.get(key, _parsed(value))
        values[key] = Resolved(value=_coerce(key, value, default), origin="override", reason="set by the user")
        if key in CHOICES and values[key].value not in CHOICES[key]:
            raise InputError(f"--set {key}={value!r}: the project has no such {key}",
                             fix=f"use one of: {', '.join(CHOICES[key])}")
    if "randaugment_magnitude" in overrides:  # (a magnitude set alone: RandAugment's usual operations, as a paper's)
        from ml_intern.plan.recipes.hf import randaugment_defaults
        values = randaugment_defaults(values)

    if values.get("optimizer") is not None and values["optimizer"].value == "sgd":
        _sgd_defaults(values, stated, recipe)  # (after the recipe built or fetched its model, and the user's --set)
    elif values.get("optimizer") is not None and values["optimizer"].value in _OWN_RATES:
        _own_rate(values, stated, recipe)
    unsupported = {k.split("@")[0]: v for k, v in values.items() if v.origin == "unsupported"}
    values = {k: v for k, v in values.items() if v.origin != "unsupported"}
    carried = _carried(values, stated) | _tied_embedding(values, stated)  # the sizes the model has as stated
    for name, (hp_value, _source) in stated.items():  # what no key took: unsupported, with the reason
        key = _key(name, recipe, values, stated)
        if key not in values and key not in unsupported and name not in unsupported and name not in carried:
            unsupported[key] = Resolved(value=_value(hp_value), origin="unsupported", source=_source,
                                        reason=_why_not(name, recipe.name, values, stated))
    fidelity = _fidelity(stated, recipe, values, unsupported, carried)
    grid = {recipe.paper_names.get(n, n): [str(v) for v in dict.fromkeys(hp_value)] for n, (hp_value, source) in
            stated.items() if isinstance(hp_value, list) and len(set(map(str, hp_value))) > 1
            and not slashed(hp_value, source.quote)  # ("0.1/0.2/0.5 for isotropic ConvNeXt-S/B/L": one per variant)
            and n not in ARCHITECTURE_NAMES and recipe.paper_names.get(n, n) not in LIST_KEYS
            and recipe.paper_names.get(n, n) in values
            and values[recipe.paper_names.get(n, n)].origin in ("paper", "scale")
            and not isinstance(values[recipe.paper_names.get(n, n)].value, list)}  # (a list-valued setting: no grid)
    for name in stated:  # a value chosen beside the values the paper searched: the search, around the chosen one
        key = recipe.paper_names.get(name, name)
        searched = spec.searched(name, dataset.key)
        if key in grid or key not in values or values[key].origin != "paper" or key in LIST_KEYS \
                or isinstance(values[key].value, list) or searched is None or not isinstance(searched.value, list):
            continue
        own = spec.lineage(values[key].setting or "default")
        if searched.setting not in own and not (searched.setting == "default" and _paper_wide_size(spec, own[0])):
            continue  # (a search of the chosen value's own setting, or a paper-wide one beside a model size's value
            # ("0.05 for 33B and 65B models"), not a paper-wide one beside a stage's or a data set's value)
        grid[key] = list(dict.fromkeys([str(values[key].value), *map(str, searched.value)]))

    if (other := _other_network(spec, recipe.name, values)) is not None:
        warnings.append(other)
    model = {k: v for k, v in values.items() if k in recipe.model_keys}
    hyper = {k: v for k, v in values.items() if k not in recipe.model_keys}
    metric_name = "rmse" if dataset.task_type == "tabular-regression" else recipe.metric_for(values)
    reported = [m for m in spec.metrics if m.name == metric_name and m.split in (None, "test")]
    metric_ref = next((m for m in reported if m.value is not None), reported[0] if reported else None)
    metric = MetricTarget(name=metric_name, split="test", paper_value=metric_ref.value if metric_ref else None,
                          source=metric_ref.source if metric_ref else None)
    hardware = recipe.hardware({k: v.value for k, v in values.items()}, dataset, scale)
    processes = int(values["num_processes"].value) if "num_processes" in values else 1  # type: ignore[call-overload]
    if processes > 1 and hardware.num_devices == 1:
        hardware = spread_over(hardware, processes)
    if "num_nodes" in values and values["num_nodes"].origin == "override":
        hardware = over_nodes(hardware, int(values["num_nodes"].value))  # type: ignore[call-overload]
    if not hardware.fits:
        raise InputError("the plan cannot fit: " + next(n for n in hardware.notes if n.startswith("does not fit")),
                         fix="a smaller model, LoRA (--set lora=true), or a shorter context")
    plan = ExperimentPlan(
        title=spec.title, recipe=recipe.name, task_type=task_type, scale=scale, setting=spec.default_setting,
        model=model,
        dataset=DataChoice(key=dataset.key, name_in_paper=dataset_ref.name if dataset_ref else None,
                           loader=dataset.loader, license=dataset.license, num_classes=dataset.num_classes,
                           num_examples=dataset.num_examples, columns=dataset.columns),
        hyperparameters=hyper, metric=metric,
        hardware=hardware,
        budgets=budgets or Budgets(), warnings=warnings + spec.warnings, choices=choices, unsupported=unsupported,
        fidelity=fidelity, grid=grid)
    return plan


def _other_network(spec: PaperSpec, recipe: str, values: dict[str, Resolved]) -> str | None:
    """Where a text paper trains a network of its own kind from scratch (a CNN or an LSTM over word vectors) and the
    plan fine-tunes the recipe's pretrained encoder instead, or an LSTM language model the plan builds as a GPT, the
    warning that says so: another network, whose figures need not match the paper's. None where the plan builds the
    paper's network or the paper names none."""
    family, model = spec.architecture.family, values.get("model")
    if family is None or str(family.value) not in ("cnn", "lstm"):
        return None
    kind = {"cnn": "a convolutional network", "lstm": "an LSTM"}[str(family.value)]
    said = f"the paper trains {kind} of its own (page {family.source.page}: \"{family.source.quote}\"); the {recipe} recipe"
    if recipe == "causal-lm-pretraining" and str(family.value) == "lstm":
        built = values.get("model_type")
        return (f"{said} builds a {built.value if built else 'GPT-2'} Transformer with the paper's sizes instead: "
                "another network, whose figures need not match the paper's")
    if recipe not in ("text-classification", "token-classification") or model is None or not model.value or \
            model.origin != "default":
        return None
    return (f"{said} fine-tunes {model.value} instead: another network, whose figures need not match the paper's "
            "(--set model=NAME for another checkpoint)")


_TRAINS_ON = re.compile(r"\b(?:train|fine-?tun|pre-?train|instruction[- ]tun)\w*", re.IGNORECASE)
_EVALUATES_ON = re.compile(r"\b(?:evaluat\w*|report\w*|zero-shot|few-shot|\d+-shot|tested\s+on|test\s+on)\b", re.IGNORECASE)


def _trained_elsewhere(spec: PaperSpec, chosen) -> object | None:
    """The data set the paper trains on, where the registry lacks it and the registry's data set the plan would take
    is one the paper only evaluates on ("Fine-tuning … on 52K instructions from the Alpaca dataset"; "We evaluate on
    MMLU (5-shot)"): training on the benchmark would be another experiment. None otherwise."""
    if not _EVALUATES_ON.search(chosen.source.quote) or _TRAINS_ON.search(chosen.source.quote):
        return None
    trained = next((d for d in spec.datasets if _TRAINS_ON.search(d.source.quote)
                    and not _EVALUATES_ON.search(d.source.quote)), None)
    return trained if trained is not None and not (trained.resolved and get_dataset(trained.resolved)) else None


def _loadable(known: list, task_type: str, model: str | None) -> tuple | None:
    """(reference, data set, recipe) of the first data set the paper names that a recipe of the task loads."""
    for ref in known:
        info = get_dataset(ref.resolved)
        recipe = recipe_for(task_type, info, model) if info is not None else None
        if recipe is not None and info is not None and recipe.supports(info) is None:
            return ref, info, recipe
    return None


def _task_name(text: str) -> str:
    name = text.lower().strip().replace("_", "-")
    return TASK_ALIASES.get(name, TASK_ALIASES.get(name.replace("-", " "), name)).replace(" ", "-")


def _stop_uncovered(spec: PaperSpec, task_type: str | None, covered: set[str]) -> None:
    """A paper whose task no recipe trains (its title, task, architecture or loss names one) stops here, naming what
    is missing, rather than being planned as the task its data set (or a misread task) suggests. A stated task no
    recipe has stops too."""
    said = [str(q.value) for q in (spec.task_type, spec.architecture.family, spec.loss) if q is not None]
    for text in [task_type or "", *said, spec.title or ""]:
        for pattern, missing in UNCOVERED:
            if pattern.search(text) or pattern.search(text.replace("-", " ")):  # ("object-detection", a task's name)
                raise UnsupportedTask(f"the paper's task is {missing}: no recipe trains it in this version",
                                      fix=f"recipes train: {', '.join(sorted(covered))}; to plan one of them anyway, "
                                          "--set task_type=NAME --set dataset=NAME")
    if task_type is not None and task_type not in covered:
        raise UnsupportedTask(f"no recipe trains {task_type!r} in this version",
                              fix=f"recipes train: {', '.join(sorted(covered))}; plan one of them on purpose with "
                                  "--set task_type=NAME")


def _with_pair(info: DatasetInfo, pair: str) -> DatasetInfo | None:
    """A translation data set loaded for the language pair a paper translates ("en-fr": WMT14's fr-en config, English
    the source, French the target); None where it has no config of that pair."""
    source, _, target = pair.partition("-")
    config = next((c for c in info.configs if set(c.split("-")) == {source, target}), None)
    if config is None or not info.loader.startswith("hub:"):
        return None
    base = info.loader.split(":")[1]
    return info.model_copy(update={"loader": f"hub:{base}:{config}",
                                   "columns": {**info.columns, "source_lang": source, "target_lang": target}})


def _dataset_override(text: str, task_type: str | None) -> DatasetInfo:
    """``--set dataset=``: a registry name, NAME/CONFIG of a registry data set (glue/sst2), a Hub id with an optional
    config (org/name or org/name:config), or a source (json:PATH, csv:PATH, hub:ID)."""
    if info := get_dataset(text):
        return info
    name, _, config = text.partition("/")
    if config and (info := get_dataset(config)) and name.lower() in (info.loader + info.key).lower():
        return info  # glue/sst2: the registry's sst2
    if config and (info := get_dataset(name)) and info.loader.startswith("hub:"):
        if re.fullmatch(r"[a-z]{2}-[a-z]{2}", config):  # a translation pair: its config, with its source and target
            # (wmt14/fr-en: English to French, as the registry's de-en is English to German; a pair without English
            # in the order it is written)
            langs = config.split("-")
            pair = f"en-{next(lang for lang in langs if lang != 'en')}" if "en" in langs else config
            if (paired := _with_pair(info, pair)) is not None:
                return paired.model_copy(update={"key": f"{info.key}/{config}"})
        base = info.loader.split(":")[1]
        return info.model_copy(update={"key": f"{info.key}/{config}", "loader": f"hub:{base}:{config}"})
    if text.startswith(SOURCE_PREFIXES) or "/" in text:
        loader = text if text.startswith(SOURCE_PREFIXES) else f"hub:{text}"
        return DatasetInfo(key="custom", aliases=[], loader=loader, task_type=task_type or "unknown",
                           license="unknown (data given by the user: check its terms)")
    raise InputError(f"--set dataset={text}: no such data set in the registry",
                     fix="a registry name (docs/recipes.md), NAME/CONFIG (glue/sst2), a Hub id org/name[:config], or "
                         "json:PATH / csv:PATH")


def _stated(spec: PaperSpec, setting: str) -> dict[str, tuple[object, object]]:
    """name -> (value, source) of every size and hyperparameter the paper states for the setting: the chosen data
    set's, the reproduced stage's, the one that stage reuses as the paper says, or the paper-wide one (a name given
    for other settings only is not stated). Where one quantity is stated two ways (warm-up as steps or as a ratio,
    training length as epochs or steps), the reproduced setting's own statement stands and the other's is dropped."""
    relevant = {"default", *spec.lineage(setting), *spec.lineage(spec.default_setting)}
    out: dict[str, tuple[object, object]] = {}
    settings: dict[str, str] = {}
    for name, quoted in spec.architecture.sizes.items():
        out[name] = (quoted.value, quoted.source)
    for name in dict.fromkeys(h.name for h in spec.hyperparameters):
        if any(h.name == name and h.setting in relevant for h in spec.hyperparameters):
            hp = spec.hyperparameter(name, setting=setting)
            if hp is not None:
                out[name], settings[name] = (hp.value, hp.source), hp.setting
    own = {setting, spec.default_setting}
    for pair in SAME_QUANTITY:
        if all(n in out for n in pair) and len({settings.get(n) in own for n in pair}) == 2:
            for name in pair:
                if settings.get(name) not in own:
                    del out[name]
    return out


def _paper_wide_size(spec: PaperSpec, setting: str) -> bool:
    """Whether ``setting`` is a model size of the paper-wide values ("65B", its table row "65B All"), not one of a
    stage's or data set's ("finetuning 175B")."""
    while (base := spec.reused(setting)) and setting.startswith(base + " "):
        setting = base
    return spec.of_a_size(setting)


def _none(negation: Negation, value: object) -> Resolved:
    """The value of a setting the paper says there is none of ("no warm-up"), with its quote."""
    return Resolved(value=value, origin="paper", source=negation.source,  # type: ignore[arg-type]
                    setting=negation.setting, reason="the paper says there is none")


def _value(value: object) -> object:
    """A stated value as ``Resolved`` holds it."""
    if isinstance(value, list):
        kinds = {type(v) for v in value}
        return [str(v) for v in value] if len(kinds) > 1 or str in kinds else value
    return value


def _parsed(value: object) -> object:
    """A type for a setting that has no default (the loop's own holds): the value's."""
    if isinstance(value, str):
        for kind in (int, float):
            try:
                return kind(value)
            except ValueError:
                pass
    return value


def _resolve(spec: PaperSpec, recipe, dataset: DatasetInfo, stated: dict, warnings: list[str]) -> dict[str, Resolved]:
    """Every recipe setting: the paper's value (under its own name or the family's), the paper's stated absence, or
    the recipe's default with its reason; then the values the loop takes only when the paper states them."""
    values: dict[str, Resolved] = {}
    defaults = recipe.defaults()
    names = recipe.paper_names
    if "model" in defaults and (model := _model(spec, recipe.task_types + recipe.data_task_types)) is not None:
        values["model"] = model
    if "model" in defaults and not recipe.sizes and (sized := _sized_checkpoint(
            spec, recipe, stated, values.get("model"), str(defaults["model"][0]))) is not None:
        values["model"] = sized  # (a recipe that fine-tunes a checkpoint: the one of the paper's shape)
    by_key = {names.get(n, n): n for n in stated}
    named = spec.architecture.named
    if "model" in defaults and "model" not in values and named is not None and defaults["model"][0]:
        default = defaults["model"][0]  # the model the paper fine-tunes is none the registry can fetch: say so
        values["model"] = Resolved(value=default, origin="default", reason=(
            f"the paper fine-tunes {named.value}, which is no model the registry has; {default}, the recipe's default, "
            f"stands in (--set model=ID for another)"))
    for key, (default, why) in defaults.items():
        if key in values:
            continue
        name = by_key.get(key, key)
        hp = spec.hyperparameter(name, setting=dataset.key)
        size = _size_for(spec, name, dataset.key)
        if size is None and recipe.name == "causal-lm-pretraining" and names.get("hidden_size") == key and \
                "hidden_size" not in stated:
            size = spec.architecture.sizes.get("embedding_dim")  # a GPT's "embedding dimension of 768" is its width
            # (n_embd): its token embeddings are as wide as the model
        negation = spec.negation(name, dataset.key)  # said for this setting, nearer than any value
        if negation is not None and isinstance(default, (int, float)):
            values[key] = _none(negation, _coerce(key, 0, default))
        elif hp is not None and name in stated:
            value = hp.value[0] if isinstance(hp.value, list) and not isinstance(default, list) else hp.value
            other = None if hp.setting in ("default", dataset.key, spec.default_setting) else \
                f"the paper gives it for {hp.setting}, not for {dataset.key}"
            values[key] = Resolved(value=_coerce(key, value, default), origin="paper", source=hp.source,
                                   setting=hp.setting, reason="; ".join(filter(None, (_derived(hp), other))) or None)
        elif size is not None:
            values[key] = Resolved(value=_coerce(key, size.value, default), origin="paper", source=size.source,
                                   setting=_size_setting(spec, name, size))
        else:
            values[key] = Resolved(value=default, origin="default", reason=f"not in the paper; {why}")
    for name, (value, source) in stated.items():
        key = names.get(name, name)
        if key in values or key not in recipe.takes:
            continue
        first = value[0] if isinstance(value, list) and key not in LIST_KEYS else value
        hp = spec.hyperparameter(name, setting=dataset.key)  # (as `_stated` chose it: columns of one table row share
        setting = hp.setting if hp is not None and hp.source == source else next(  # its quote)
            (h.setting for h in spec.hyperparameters if h.name == name and h.source == source), None)
        if (negation := spec.negation(name, dataset.key)) is not None and isinstance(first, (int, float)):
            values[key] = _none(negation, 0)
            continue  # a stage's "no warm-up", nearer than the warm-up of the stage whose values it reuses
        quoted = next((h for h in spec.hyperparameters if h.name == name and h.source == source), None)
        values[key] = Resolved(value=_value(first), origin="paper", source=source,  # type: ignore[arg-type]
                               setting=setting, reason=_derived(quoted) if quoted else None)
    for negation in spec.negations:  # a setting the loop takes only when stated, that the paper says there is none of
        key = names.get(negation.name, negation.name)  # ("stochastic gradient descent without momentum": momentum 0,
        if key not in values and key in recipe.takes and spec.negation(negation.name, dataset.key) is negation:
            values[key] = _none(negation, 0)  # not the loop's own default of 0.9)

    family = spec.architecture.family
    if family is not None and "model_type" in values and values["model_type"].origin == "default":
        built = _built_type(str(family.value))
        if built is not None and (built in recipe.model_types or built in UNBUILT
                                  or not recipe.model_types and built not in OWN_TYPES):
            # "a ResNet", "GPT-2", "Llama", "BiLSTM-CRF": the architecture to build from its config
            if built == "bilstm-crf" and not CRF_NAMES.search(" ".join(
                    [str(family.value), family.source.quote, str(spec.architecture.model.value if spec.architecture.model
                                                                 else ""), spec.title or ""])):
                built = "bilstm"
            values["model_type"] = Resolved(value=built, origin="paper", source=family.source)
    if "model_type" in values and recipe.model_types:
        _own_architecture(spec, recipe, values)
        if (variant := _variant(spec, str(values["model_type"].value))) is not None:
            values["model_variant"] = variant
    if "model_type" in values and values["model_type"].value == "vit":
        _vit_variant(spec, values)
    values = _optimisation(values, stated, recipe)
    _warmup_in_epochs(spec, values, stated)
    _token_batch(spec, values)
    _rate_per_batch(spec, values)
    return values


_LENGTH_KEYS = ("block_size", "max_length", "max_source_length", "max_seq_length")


def _token_batch(spec: PaperSpec, values: dict[str, Resolved]) -> None:
    """A batch the paper counts in tokens ("a batch size of 8,192 tokens") is planned in sequences of the plan's
    length: 8 of 1,024 tokens (the recipes batch examples, and 8,192 sequences would be another experiment)."""
    batch = values.get("batch_size")
    if batch is None or batch.origin != "paper" or batch.source is None or not isinstance(batch.value, int):
        return
    hp = next((h for h in spec.hyperparameters if h.name == "batch_size" and h.source == batch.source
               and h.value == batch.value), None)
    length = next((values[k] for k in _LENGTH_KEYS if k in values and isinstance(values[k].value, int)
                   and values[k].value > 0), None)
    if hp is None or hp.unit != TOKENS_UNIT or length is None:
        return
    sequences = max(1, round(batch.value / length.value))
    values["batch_size"] = batch.model_copy(update={"value": sequences, "reason": (
        f"{batch.value:,} tokens per batch, as the paper counts it, in sequences of {length.value:,} tokens: "
        f"{sequences}")})


def _rate_per_batch(spec: PaperSpec, values: dict[str, Resolved]) -> None:
    """A learning rate the paper states per batch of some size and scales linearly with the batch ("0.1 × batch
    size / 256") is planned for the batch planned: 0.4 at 1,024 (the rule as the quote states it)."""
    rate, batch = values.get("learning_rate"), values.get("batch_size")
    if rate is None or batch is None or rate.origin != "paper" or rate.source is None:
        return
    hp = next((h for h in spec.hyperparameters if h.name == "learning_rate" and h.source == rate.source and h.unit), None)
    reference = hp.per_batch if hp is not None else None
    if reference is None or not isinstance(rate.value, (int, float)) or not isinstance(batch.value, int):
        return
    scaled = float(f"{rate.value * batch.value / reference:.6g}")
    values["learning_rate"] = rate.model_copy(update={"value": scaled, "reason": (
        f"{rate.value} × batch size {batch.value} / {reference}: the paper's rate for a batch of {reference}, scaled "
        f"linearly to the batch planned, as its quote states the rule")})


# a Vision Transformer named by its size and patch ("ViT-S/16", "ViT-Base/32", "DeiT-B"): the shape of that variant
# (layers, width, heads, feed-forward width; Dosovitskiy et al.'s Table 1, Touvron et al.'s Ti and S)
_VIT_NAME = re.compile(r"\b(?:ViT|DeiT)[- ](Ti|Tiny|S|Small|B|Base|L|Large|H|Huge)(?:/(\d{1,2}))?(?![\w-])")
_VIT_SHAPES = {"ti": (12, 192, 3), "s": (12, 384, 6), "b": (12, 768, 12), "l": (24, 1024, 16), "h": (32, 1280, 16)}
_VIT_SIZE = {"ti": "ti", "tiny": "ti", "s": "s", "small": "s", "b": "b", "base": "b", "l": "l", "large": "l", "h": "h",
             "huge": "h"}
_SIZE_WORDS = {"num_layers": "depth", "hidden_size": "width", "num_heads": "heads", "intermediate_size":
               "feed-forward width", "patch_size": "patch"}


_FINE_TUNED = re.compile(r"\b(?:fine-?tun\w*|pre-?trained)\b", re.IGNORECASE)


def _vit_variant(spec: PaperSpec, values: dict[str, Resolved]) -> None:
    """The sizes of the ViT variant the paper names ("we train a ViT-S/16"), where it does not state them itself:
    the model is then built at that shape, not the in21k ViT-B checkpoint fine-tuned in its place."""
    named = next(((found, source) for text, source in _naming_texts(spec) if (found := list(_VIT_NAME.finditer(text)))),
                 None)
    if named is None:
        return
    # of the variants named together ("We pre-train ViT-S and ViT-B"), the largest: the one a main result reports,
    # as a paper's table of model sizes is planned at its largest
    order = list(_VIT_SHAPES)
    m = max(named[0], key=lambda v: order.index(_VIT_SIZE[v.group(1).lower()]))
    source = named[1]
    layers, width, heads = _VIT_SHAPES[_VIT_SIZE[m.group(1).lower()]]
    shape = {"num_layers": layers, "hidden_size": width, "num_heads": heads, "intermediate_size": 4 * width}
    if m.group(2):
        shape["patch_size"] = int(m.group(2))
    model = values.get("model")
    checkpoint = next((m for m in MODELS if model is not None and m.hub_id == model.value), None)
    if checkpoint is not None and _FINE_TUNED.search(source.quote) and checkpoint.sizes and \
            all(checkpoint.sizes.get(key, value) == value for key, value in shape.items()):
        return  # "we fine-tune a ViT-B/16": the pretrained checkpoint of that very shape, fine-tuned
    for key, value in shape.items():
        if key in values and values[key].origin not in ("paper", "override"):
            values[key] = Resolved(value=value, origin="paper", source=source,
                                   reason=f"{m.group(0)}'s {_SIZE_WORDS[key]}: the variant the paper names")


def _naming_texts(spec: PaperSpec) -> list[tuple[str, SourceRef]]:
    """Where a paper names the network it trains, each with its source: its model and family (as read, then their
    quotes), then its title."""
    named = [q for q in (spec.architecture.model, spec.architecture.family) if q is not None]
    texts = [(str(q.value), q.source) for q in named] + [(q.source.quote, q.source) for q in named]
    return texts + ([(spec.title, SourceRef(page=1, quote=spec.title))] if spec.title else [])


def _variant(spec: PaperSpec, kind: str) -> Resolved | None:
    """The variant of the ``kind`` of network the paper names (``VARIANTS``), with the quote that names it."""
    pattern = VARIANTS.get("mobilenet" if kind.startswith("mobilenet") else kind)
    if pattern is None:
        return None
    for text, source in _naming_texts(spec):
        if m := pattern.search(text):
            if kind == "vgg":
                value = "bn"
            elif kind in ("efficientnet", "convnext", "swin"):
                value = m.group(1).lower()
            else:
                width = m.group(1) or m.group(3) or m.group(5)
                side = m.group(2) or m.group(4)
                value = f"{float(width):g}" + (f"-{side}" if side else "")
            return Resolved(value=value, origin="paper", source=source)
    return None


def _built_type(family: str) -> str | None:
    """The architecture (``model_type``) a family the paper names is built as ("ResNeXt" before "ResNet"), or None."""
    key = next((k for k in MODEL_TYPES if k in family.lower().replace("-", "")), None)
    return MODEL_TYPES[key] if key is not None else None


def _own_architecture(spec: PaperSpec, recipe, values: dict[str, Resolved]) -> None:
    """The paper's own architecture (by its title, or by the name the paper gives the network it introduces, "a
    family of pure ConvNets dubbed ConvNeXt") is built from its config, never a checkpoint its text only mentions;
    one no library builds is unsupported, and the nearest built one said so."""
    own = {_title_key(t): kind for t, kind in ARCHITECTURE_PAPERS.items()}.get(_title_key(spec.title))
    source = SourceRef(page=1, quote=str(spec.title))
    family = spec.architecture.family
    if own is None and family is not None and INTRODUCED.search(family.source.quote):
        if (built := _built_type(str(family.value))) in recipe.model_types:
            own, source = built, family.source
    if own is not None:
        values["model_type"] = Resolved(value=own, origin="paper", source=source,
                                        reason="the architecture the paper introduces")
        model = values.get("model")
        if model is not None and model.value and model.origin == "paper":
            values["model"] = Resolved(value="", origin="default", reason=f"the paper's own {own}, built from its "
                                       f"config (the checkpoint its text names, {model.value}, is another model)")
    kind = str(values["model_type"].value)
    if kind in UNBUILT and kind not in recipe.model_types:
        name, nearest = UNBUILT[kind]
        values["model_type@paper"] = values["model_type"].model_copy(update={
            "origin": "unsupported", "reason": f"no library here builds a {name} (transformers has none; timm and "
                                               f"torchvision would need another torch than the pinned one)"})
        values["model_type"] = Resolved(value=nearest, origin="default", reason=f"the paper's {name} cannot be built "
                                        f"(see unsupported): a {nearest}, the nearest network the recipe builds")


# the optimizers that scale each layer's step by a trust ratio (large-batch training), which neither torch nor
# transformers has: the one each adapts, whose rates are of the same kind (an SGD rate for LARS; an Adam rate for
# LAMB), in their place, rather than a recipe's AdamW given an SGD rate of 4.8
LAYERWISE_BASE = {
    "lars": ("sgd", "the paper's LARS is unsupported (layer-wise trust ratios); SGD with momentum, the optimizer LARS "
                    "adapts, takes its rate"),
    "lamb": ("adamw", "the paper's LAMB is unsupported (layer-wise trust ratios); AdamW, the optimizer LAMB adapts, "
                      "takes its rate"),
    # NovoGrad normalises each layer's gradient, then steps with momentum: its rates (QuartzNet's 0.05) are SGD's kind,
    # which AdamW would diverge at
    "novograd": ("sgd", "the paper's NovoGrad is unsupported (layer-wise gradient normalisation); SGD with momentum, "
                        "whose rates NovoGrad's are like, takes its rate"),
    # Shampoo preconditions with second-moment matrices and grafts its step onto Adam's: its rates are Adam's kind
    "shampoo": ("adamw", "the paper's Shampoo is unsupported (a second-order preconditioner); AdamW, whose step "
                         "Shampoo's is grafted onto, takes its rate"),
}
# a quasi-Newton method's "learning rate" scales a line search's step (L-BFGS's 1.0): no first-order rate, which a
# first-order optimizer given it would diverge at
LINE_SEARCH = {"lbfgs": "L-BFGS"}


def _optimisation(values: dict[str, Resolved], stated: dict, recipe) -> dict[str, Resolved]:
    """The paper's optimizer and schedule as the loop names them; what follows from them (a stated schedule without
    warm-up has none, a decay factor without a schedule is step decay, iterations without epochs run by steps)."""
    from ml_intern.plan.recipes.hf import OPTIMIZERS, SCHEDULES

    opt = values.get("optimizer")
    if opt is not None and opt.origin == "paper" and str(opt.value) not in OPTIMIZERS:
        values["optimizer@paper"] = opt.model_copy(update={"origin": "unsupported", "reason": f"no {opt.value} "
                                                   f"optimizer in torch or transformers; the loop has "
                                                   f"{', '.join(OPTIMIZERS)}"})
        if (base := LAYERWISE_BASE.get(str(opt.value))) is not None:
            values["optimizer"] = Resolved(value=base[0], origin="default", reason=base[1])
        elif (method := LINE_SEARCH.get(str(opt.value))) is not None:
            values["optimizer@paper"] = values["optimizer@paper"].model_copy(update={"reason": f"torch's {method} "
                                                                             f"steps through a closure that "
                                                                             f"re-evaluates the loss, which the "
                                                                             f"training loop does not give"})
            default, why = recipe.defaults()["optimizer"]
            values["optimizer"] = Resolved(value=default, origin="default", reason=f"the paper's {method} is "
                                           f"unsupported (a quasi-Newton method with a line search); {why}")
            rate = values.get("learning_rate")
            if rate is not None and rate.origin == "paper":
                values["learning_rate@paper"] = rate.model_copy(update={
                    "origin": "unsupported", "reason": f"{method}'s step size, which scales a line search: no rate "
                                                       f"for {default}"})
                value, why = recipe.defaults()["learning_rate"]
                values["learning_rate"] = Resolved(value=value, origin="default", reason=why)
        else:
            default, why = recipe.defaults()["optimizer"]
            values["optimizer"] = Resolved(value=default, origin="default", reason=f"the paper's {opt.value} is "
                                           f"unsupported; {why}")
    sched = values.get("lr_schedule")
    if sched is not None and sched.origin == "paper":
        name = str(sched.value).lower().strip()
        name = SCHEDULE_NAMES.get(name, SCHEDULE_NAMES.get(name.replace(" ", ""), name))
        if name == "exponential":  # a decay every epoch: step decay, one epoch a step
            name = "step"
            if "lr_step_size" not in values:
                values["lr_step_size"] = Resolved(value=1.0, origin="default", reason="exponential decay: the rate "
                                                  "is multiplied by lr_decay_factor every epoch")
                values["lr_milestone_unit"] = Resolved(value="epochs", origin="default", reason="an epoch a step")
            if "lr_decay_factor" not in values:  # (not step decay's 0.1: a tenth every epoch ends near zero)
                epochs = values.get("epochs")
                count = float(epochs.value) if epochs is not None and float(epochs.value) >= 1 else 20.0
                values["lr_decay_factor"] = Resolved(
                    value=round(0.01 ** (1 / count), 6), origin="default",
                    reason=f"the paper gives no factor for its exponential decay: the rate falls to 1/100 of its "
                           f"start over the {count:g} epochs planned")
        if name == "step" and "lr_step_size" not in values:
            name = "multistep"
        if name in SCHEDULES:
            values["lr_schedule"] = sched.model_copy(update={"value": name})
        else:
            values["lr_schedule@paper"] = sched.model_copy(update={"origin": "unsupported", "reason": f"no {name} "
                                                           f"schedule in the loop ({', '.join(SCHEDULES)})"})
            values["lr_schedule"] = Resolved(value=recipe.defaults()["lr_schedule"][0], origin="default",
                                             reason=f"the paper's {name} schedule is unsupported")
    elif "lr_step_size" in values and values["lr_step_size"].origin == "paper" and "lr_schedule" in values:
        values["lr_schedule"] = Resolved(value="step", origin="default", reason="the paper multiplies the rate by a "
                                         "factor every lr_step_size and names no schedule: step decay")
    elif ("lr_decay_factor" in values or "lr_milestones" in values) and "lr_schedule" in values:
        values["lr_schedule"] = Resolved(value="multistep", origin="default", reason="the paper multiplies the rate "
                                         "by a factor (lr_decay_factor) at milestones and names no schedule: step decay")
    schedule = str(values["lr_schedule"].value) if "lr_schedule" in values else ""
    if schedule == "multistep" and "lr_milestones" not in values:
        values["lr_milestones"] = Resolved(value=[0.5, 0.75], origin="default", reason="the paper gives no "
                                           "milestones: at 50% and 75% of training, a common choice")
        values["lr_milestone_unit"] = Resolved(value="fraction", origin="default", reason="milestones as fractions "
                                               "of all steps")
    if schedule in ("step", "multistep", "plateau") and "lr_decay_factor" not in values:
        values["lr_decay_factor"] = Resolved(value=0.1, origin="default", reason="the paper gives no factor: "
                                             "divided by 10, the usual step decay")
    if schedule == "plateau":
        _plateau(values)
    paper_schedule = "lr_schedule" in stated or "lr_decay_factor" in stated
    if paper_schedule and not {"warmup_steps", "warmup_ratio"} & set(stated):
        for key in ("warmup_ratio", "warmup_steps"):
            if key in values and values[key].origin == "default" and values[key].value:
                values[key] = Resolved(value=type(values[key].value)(0), origin="default",  # type: ignore[call-arg]
                                       reason="the paper states its schedule and no warm-up")
    if "optimizer" in stated and "grad_clip" not in stated and "grad_clip" in values \
            and values["grad_clip"].origin == "default" and values["grad_clip"].value:
        values["grad_clip"] = Resolved(value=0.0, origin="default", reason="the paper states its optimizer and no "
                                       "gradient clipping")
    if "max_steps" in stated and "epochs" not in stated and "epochs" in values:
        values["epochs"] = Resolved(value=0, origin="default", reason="the paper gives iterations (max_steps), not "
                                    "epochs: no epoch limit")
    if ("momentum" in stated or "nesterov" in stated) and "optimizer" not in stated and "optimizer" in values:
        values["optimizer"] = Resolved(value="sgd", origin="default", reason="the paper gives a momentum and names no "
                                       "optimizer: SGD with momentum")
    if "nesterov" in stated and "momentum" not in stated and values.get("optimizer") is not None \
            and values["optimizer"].value == "sgd" and "momentum" not in values:
        values["momentum"] = Resolved(value=0.9, origin="default", reason="Nesterov momentum without its coefficient: "
                                      "0.9, the usual one")
    if "warmup_steps" in stated and "warmup_ratio" in stated and "warmup_ratio" in values:
        values["warmup_ratio"] = values["warmup_ratio"].model_copy(update={
            "origin": "unsupported", "reason": "the paper also gives warmup_steps, which the loop takes instead"})
    for key, (setting, readers) in READ_BY.items():  # a paper value nothing reads is not used, so not `paper`
        if key in values and values[key].origin == "paper" and setting in values \
                and str(values[setting].value) not in readers:
            values[key] = values[key].model_copy(update={
                "origin": "unsupported", "reason": f"the plan's {setting} is {values[setting].value}: "
                                                   f"only {', '.join(readers)} read {key}"})
    if schedule == "inverse_sqrt" and "learning_rate" not in stated and "learning_rate" in values:
        width = next((stated[n][0] for n in ("hidden_size",) if n in stated), None)
        if width is not None:
            values["learning_rate"] = Resolved(value=1.0, origin="default", reason="the inverse square root "
                                               "schedule's formula gives the rate (d_model^-0.5 ...)")
            values["lr_d_model"] = Resolved(value=int(_value(width if not isinstance(width, list) else width[0])),
                                            origin="paper", source=stated["hidden_size"][1])
    return values


# what a validation figure is called in a paper -> the key of the task's evaluation the loop reads (perplexity is
# exp(loss): the same plateaus)
PLATEAU_METRICS = ((re.compile(r"perplexit|\bloss\b|\bcross[- ]entropy", re.I), "loss"),
                   (re.compile(r"\baccurac|\berror\b", re.I), "accuracy"), (re.compile(r"\bBLEU\b"), "bleu"),
                   (re.compile(r"\bF1\b|F-(?:score|measure)", re.I), "f1"))


def _recipe_default(values: dict[str, Resolved], stated: dict, recipe, name: str) -> Resolved | None:
    """``name``'s planned value where it is the recipe's own default, untouched (not the paper's, the user's, nor one
    the recipe chose for the optimizer); None otherwise. An optimizer unlike AdamW replaces such a value with its own."""
    current = values.get(name)
    if current is None or current.origin != "default" or name in stated or \
            current.value != recipe.defaults().get(name, (None,))[0]:
        return None
    return current


def _sgd_defaults(values: dict[str, Resolved], stated: dict, recipe) -> None:
    """A plan that trains with SGD where the recipe's defaults are AdamW's: a rate and a weight decay the paper does
    not state are SGD's, not AdamW's (an AdamW rate of 3e-4 barely moves SGD; AdamW's decoupled decay of 0.05, as
    SGD's L2 penalty, holds the weights near zero), and the momentum SGD runs with is shown."""
    if str(values.get("model_type", Resolved(value="", origin="default")).value) == "gbdt":
        return  # (trees: no optimizer)
    # (the recipe's own default, not one a recipe chose for SGD: the tagger's 0.01)
    if (rate := _recipe_default(values, stated, recipe, "learning_rate")) is not None:
        pretrained = bool(values.get("model") and values["model"].value)
        values["learning_rate"] = Resolved(value=0.01 if pretrained else 0.1, origin="default", reason=(
            f"not in the paper; the recipe's {rate.value} is an AdamW rate: SGD with momentum "
            + ("fine-tunes a pretrained network at 0.01" if pretrained else "trains a network from scratch at 0.1, "
               "as ResNets")))
    decay = _recipe_default(values, stated, recipe, "weight_decay")
    if decay is not None and isinstance(decay.value, (int, float)) and decay.value > 1e-3:
        values["weight_decay"] = Resolved(value=5e-4, origin="default", reason=(
            f"not in the paper; the recipe's {decay.value} is AdamW's decoupled decay: SGD's is an L2 penalty "
            "scaled by the rate, 5e-4 as ResNets on CIFAR"))
    if "momentum" not in values and "momentum" in recipe.takes and "momentum" not in stated and "nesterov" not in stated:
        values["momentum"] = Resolved(value=0.9, origin="default", reason="not in the paper; SGD with the usual "
                                      "momentum of 0.9")


# optimizers whose step is scaled unlike Adam's, so that an AdamW rate (3e-4, or a fine-tuning's 2e-5) barely moves
# them: their own usual rate, and why
_OWN_RATES = {"adadelta": (1.0, "Adadelta scales its own steps; its rate is a multiplier, 1.0 as Zeiler (2012) and "
                                "torch's default"),
              "adagrad": (0.01, "Adagrad's usual rate, torch's default")}


def _own_rate(values: dict[str, Resolved], stated: dict, recipe) -> None:
    """A plan that trains with Adadelta or Adagrad where the recipe's defaults are AdamW's: a rate the paper does not
    state is the optimizer's own, and a weight decay it does not state is none (the recipe's is AdamW's decoupled
    decay; these take it as an L2 penalty the paper does not give)."""
    optimizer = str(values["optimizer"].value)
    if (rate := _recipe_default(values, stated, recipe, "learning_rate")) is not None:
        own, why = _OWN_RATES[optimizer]
        values["learning_rate"] = Resolved(value=own, origin="default", reason=(
            f"not in the paper; the recipe's {rate.value} is an AdamW rate: {why}"))
    decay = _recipe_default(values, stated, recipe, "weight_decay")
    if decay is not None and isinstance(decay.value, (int, float)) and decay.value > 0:
        values["weight_decay"] = Resolved(value=0.0, origin="default", reason=(
            f"not in the paper; the recipe's {decay.value} is AdamW's decoupled decay, which {optimizer} would take "
            "as an L2 penalty the paper does not give"))


def _plateau(values: dict[str, Resolved]) -> None:
    """A rate cut when a validation figure stops improving: the figure the paper's sentence names (else the validation
    loss) and the evaluations it waits."""
    sched = values["lr_schedule"]
    quote = sched.source.quote if sched.origin == "paper" and sched.source is not None else ""
    named = next((key for pattern, key in PLATEAU_METRICS if pattern.search(quote)), None)
    if "lr_plateau_metric" not in values:
        values["lr_plateau_metric"] = Resolved(value=named, origin="paper", source=sched.source) if named else \
            Resolved(value="loss", origin="default", reason="the paper names no validation figure: the validation "
                     "loss, which every task's evaluation gives")
    if "lr_patience" not in values:
        values["lr_patience"] = Resolved(value=0, origin="default", reason="the paper gives no patience: the rate is "
                                         "cut at the first evaluation (every epoch) that does not improve on the best, "
                                         "as fairseq's reduce_lr_on_plateau does by default")


def _warmup_in_epochs(spec: PaperSpec, values: dict[str, Resolved], stated: dict) -> None:
    """A warm-up the paper states in epochs ("20 epochs of linear warm-up" of 300) is the loop's warm-up ratio, where
    the paper states no warm-up in steps or as a ratio and the run's length in epochs is the paper's."""
    if "warmup_epochs" not in stated or {"warmup_steps", "warmup_ratio"} & set(stated) or "warmup_ratio" not in values:
        return
    warmup, source = stated["warmup_epochs"]
    warmup = warmup[0] if isinstance(warmup, list) else warmup
    epochs = values.get("epochs")
    if epochs is None or epochs.origin != "paper" or not isinstance(epochs.value, (int, float)) or epochs.value <= 0 \
            or not 0 <= warmup < epochs.value:
        return
    setting = next((h.setting for h in spec.hyperparameters if h.name == "warmup_epochs" and h.source == source
                    and h.value == warmup), None)  # (a table row's cells share one quote: the value's own column)
    values["warmup_ratio"] = Resolved(value=round(warmup / epochs.value, 6), origin="paper", source=source,
                                      setting=setting, reason=f"{warmup:g} warm-up epochs of {epochs.value:g}")


def _key(name: str, recipe, values: dict[str, Resolved], stated: dict) -> str:
    """The plan's key for a value the paper names ``name``: the family's name for it (a ResNet's layers: depth), or
    the key it became (a warm-up in epochs: the warm-up ratio planned from its quote)."""
    if name == "num_layers" and "depth" in values and "num_layers" not in values:
        return "depth"
    if name == "warmup_epochs" and (ratio := values.get("warmup_ratio")) is not None and ratio.origin == "paper" \
            and ratio.source == stated[name][1]:
        return "warmup_ratio"
    return recipe.paper_names.get(name, name)


# a Transformer's shape as papers state it, and as the registry's checkpoints record theirs (ModelInfo.sizes)
SHAPE = ("num_layers", "hidden_size", "num_heads", "intermediate_size")


def _shape(stated: dict) -> dict[str, int]:
    """The model shape the paper states (the first value where it gives several)."""
    shape = {}
    for name in SHAPE:
        if name in stated:
            value = stated[name][0][0] if isinstance(stated[name][0], list) else stated[name][0]
            try:
                shape[name] = int(float(value))
            except (TypeError, ValueError):
                pass
    return shape


def _shape_text(sizes: dict) -> str:
    return ", ".join(f"{name} {sizes[name]}" for name in SHAPE if name in sizes)


def _title_key(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


def _sized_checkpoint(spec: PaperSpec, recipe, stated: dict, named: Resolved | None, default: str) -> Resolved | None:
    """The checkpoint to fine-tune when the paper states its model's shape (layers, width, heads, feed-forward): of
    the registry's checkpoints for the recipe's tasks, the paper's own model (one its title introduced), else the
    family the paper names (its model or architecture), else the recipe's default, the first whose sizes are all
    the stated ones. None when none of them has them: the model stays, and the sizes are unsupported."""
    from ml_intern.registry import MODELS

    shape = _shape(stated)
    if not shape:
        return None
    kinds = set(recipe.task_types) | set(recipe.data_task_types)
    known = [m for m in MODELS if m.sizes and set(m.task_types) & kinds]
    title = _title_key(spec.title)
    own = [m for m in known if title and m.paper and _title_key(m.paper) == title]
    said = " ".join(str(q.value).lower() for q in (spec.architecture.model, spec.architecture.family) if q is not None)
    families = {m.family for m in known if named is not None and m.hub_id == named.value}
    families |= {m.family for m in known if re.search(rf"(?<![\w-]){re.escape(m.family)}(?![\w-])", said)}
    family = [m for m in known if m.family in families]
    pool = own or family or [m for m in known if m.hub_id == (named.value if named is not None else default)]
    info = next((m for m in pool if all(m.sizes.get(n) == v for n, v in shape.items())), None)
    if info is None or (named is not None and info.hub_id == named.value):
        return None
    source = stated[next(iter(shape))][1]
    if pool is own or pool is family:
        whose = "the paper's own model" if pool is own else f"the {info.family} checkpoint"
        return Resolved(value=info.hub_id, origin="paper", source=source,
                        reason=f"{whose} of the shape it states ({_shape_text(shape)})")
    return Resolved(value=info.hub_id, origin="default", reason=f"the paper names no model of its own: {info.key}, "
                    f"the recipe's default, has the shape it states ({_shape_text(shape)})")


def _tied_embedding(values: dict[str, Resolved], stated: dict) -> set[str]:
    """A word embedding's width the model planned has as stated though no key takes it: a Transformer's embeddings
    are as wide as the model ("1000 dimensional word embeddings" beside 1000 cells, built as a T5 of d_model 1000)."""
    if "embedding_dim" not in stated:
        return set()
    width = next((values[k].value for k in ("d_model", "n_embd", "hidden_size") if k in values), None)
    return {"embedding_dim"} if width is not None and width == stated["embedding_dim"][0] else set()


def _carried(values: dict[str, Resolved], stated: dict) -> set[str]:
    """The stated shape (layers, width, ...) as the checkpoint the plan fine-tunes has it: all of it or nothing."""
    from ml_intern.registry import MODELS

    model = values.get("model")
    info = next((m for m in MODELS if model is not None and model.value and m.hub_id == model.value), None)
    shape = _shape(stated)
    if info is None or not shape or any(info.sizes.get(n) != v for n, v in shape.items()):
        return set()
    return set(shape)


def _why_not(name: str, recipe: str, values: dict[str, Resolved], stated: dict) -> str:
    from ml_intern.registry import MODELS

    model = values.get("model")
    if name in SHAPE and model is not None and model.value:
        info = next((m for m in MODELS if m.hub_id == model.value and m.sizes), None)
        has = f" ({_shape_text(info.sizes)})" if info is not None else ""
        return (f"no checkpoint the {recipe} recipe knows of the paper's family has its shape "
                f"({_shape_text(_shape(stated))}): it fine-tunes {model.value}{has}")
    if name in ("lora_rank", "lora_alpha"):
        return (f"the {recipe} recipe trains every weight of its model: LoRA adapters (peft) are the "
                "causal-lm-finetuning recipe's; the paper's adapter-only training is not reproduced")
    if name in ARCHITECTURE_NAMES and model is not None and model.value:
        return f"the {recipe} recipe fine-tunes a pretrained model ({model.value}): its sizes are the checkpoint's"
    if name in ARCHITECTURE_NAMES:
        return f"the {recipe} recipe's model has no setting for {name}"
    if name == "embedding_dim" and (width := next((values[k].value for k in ("d_model", "n_embd", "hidden_size")
                                                     if k in values), None)) is not None:
        return (f"the {recipe} recipe's model embeds words as wide as the model ({width}): a word embedding of its own "
                f"width is not built")
    if name == "ema_decay":
        return (f"the {recipe} recipe keeps no moving average of the weights (the image recipes do): the paper's "
                "averaged (EMA) model is not evaluated, the run's own weights are")
    if name in ("mixup_alpha", "cutmix_alpha", "random_erasing"):
        return f"the {recipe} recipe does not augment its data so: the image recipes do"
    if name == "warmup_epochs":
        return ("a warm-up in epochs becomes the loop's warm-up ratio only beside the paper's epochs; the paper gives "
                "its length otherwise, or its warm-up also in steps or as a ratio")
    return f"the {recipe} recipe does not use {name}"


def _fidelity(stated: dict, recipe, values: dict[str, Resolved], unsupported: dict[str, Resolved],
              carried: set[str] = frozenset()) -> Fidelity:  # type: ignore[assignment]
    """Used: a stated value the project takes as the paper gives it (a scale's smaller value counts: at scale paper
    it is the paper's), or a size the fine-tuned checkpoint has (``carried``). Not used: unsupported, or replaced by
    the user."""
    used, missed = 0, []
    for name in stated:
        key = _key(name, recipe, values, stated)
        resolved = values.get(key)
        if name in carried or resolved is not None and resolved.origin in ("paper", "scale") \
                and name not in unsupported and key not in unsupported:
            used += 1
        else:
            missed.append(name)
    return Fidelity(stated=len(stated), used=used, missed=missed)


def _derived(hp: Hyperparameter) -> str | None:
    """How a paper's value was made from the numbers its quote states ("256 = 32 per device × 8 devices, as the quote
    states them"); None for a value the quote states as it is."""
    if not hp.unit or hp.per_batch:  # (a rate per batch: scaled by ``_rate_per_batch``)
        return None
    return f"{hp.value} = {hp.unit.strip('()')}, as the quote states them"


def _size_for(spec: PaperSpec, name: str, key: str):
    """The size ``name`` the plan builds for data set ``key``: the one the paper states for that data set, else the
    spec's (paper-wide, or the main setting's); never one the paper states for another data set only ("On IMDB we
    truncate reviews to 512 tokens" is no length of an SST-2 run)."""
    own = spec.architecture.per_setting.get(key, {}).get(name)
    if own is not None and not isinstance(own.value, list):
        return own
    size = spec.architecture.sizes.get(name)
    if size is None:
        return None
    setting = _size_setting(spec, name, size)
    root = spec.lineage(setting)[-1] if setting in spec.settings else setting
    if setting != "default" and root != key and root not in spec.lineage(spec.default_setting) and (
            get_dataset(root) is not None or any(d.name == root for d in spec.datasets)):
        return None
    return size


def _size_setting(spec: PaperSpec, name: str, size) -> str:
    """The setting an architecture size is stated for: the one whose sizes hold this very quote and value (the
    main setting's lineage first: a table's columns share one quote)."""
    lineage = spec.lineage(spec.default_setting)
    settings = sorted(spec.architecture.per_setting.items(), key=lambda item: item[0] not in lineage)
    return next((setting for setting, sizes in settings
                 if (q := sizes.get(name)) is not None and q.source == size.source and q.value == size.value), "default")


def spread_over(hardware: HardwarePlan, processes: int) -> HardwarePlan:
    """A one-device plan run by ``processes`` processes (``num_processes``): each step's micro-batches must split
    evenly over them, so the micro-batch and the accumulation are chosen to keep the effective batch, or come as
    close to it as they can (said in a note)."""
    effective = hardware.per_device_batch * hardware.gradient_accumulation_steps
    best = None
    for k in range(1, effective + 1):
        accumulation = processes * k
        batch = max(1, round(effective / accumulation))
        gap = abs(batch * accumulation - effective)
        if best is None or gap < best[0]:
            best = (gap, batch, accumulation)
        if batch == 1:
            break
    assert best is not None
    _, batch, accumulation = best
    notes = [*hardware.notes, f"{processes} processes (num_processes): micro-batches of {batch}, "
                              f"{accumulation} per optimizer step over all processes"]
    if batch * accumulation != effective:
        notes.append(f"effective batch {batch * accumulation}: the plan's {effective} does not split evenly over "
                     f"{processes} processes")
    return hardware.model_copy(update={"num_devices": processes, "per_device_batch": batch,
                                       "gradient_accumulation_steps": accumulation // processes,
                                       "effective_batch": batch * accumulation, "notes": notes})


def over_nodes(hardware: HardwarePlan, nodes: int) -> HardwarePlan:
    """The plan's processes spread over ``nodes`` machines (``num_nodes``), the same number on each."""
    if nodes < 1 or hardware.num_devices % nodes:
        raise InputError(f"num_nodes {nodes}: the plan's {hardware.num_devices} processes do not split evenly over "
                         f"{nodes} machines", fix="set num_processes to a multiple of num_nodes (--set num_processes=N)")
    return hardware.model_copy(update={"num_nodes": nodes, "notes": [
        *hardware.notes, f"{hardware.num_devices} processes over {nodes} machines (num_nodes), "
                         f"{hardware.num_devices // nodes} on each: a Ray Train job with --sandbox ray"]})


def _model(spec: PaperSpec, task_types: tuple[str, ...] = ()) -> Resolved | None:
    """The model to start from, as the source names it: a registry model (its Hub id), a Hub id, a folder, or a
    model shipped in a package (pkg:NAME). A registry model made for other tasks than the recipe's (a paper planned
    as another task with --set task_type) is not."""
    from ml_intern.registry import MODELS

    for quoted in (spec.architecture.model, spec.architecture.family):
        if quoted is None:
            continue
        ref = str(quoted.value).strip()
        info = next((m for m in MODELS if m.hub_id == ref or ref.lower() == m.key or ref.lower() in m.aliases), None)
        if info is not None and task_types and info.task_types and not set(info.task_types) & set(task_types):
            continue
        if info is not None:
            return Resolved(value=info.hub_id, origin="paper", source=quoted.source,
                            reason=None if info.hub_id == ref else f"{ref} is {info.hub_id} on the Hub")
        if "/" in ref or ref.startswith("pkg:"):
            return Resolved(value=ref, origin="paper", source=quoted.source)
    return None


def _coerce(key: str, value: object, like: object) -> object:
    """Give ``value`` the type of the recipe's default, or fail with a message naming the setting."""
    try:
        if isinstance(like, bool):
            if isinstance(value, str):
                return value.lower() in ("1", "true", "yes", "on")
            return bool(value)
        if isinstance(like, int) and not isinstance(like, bool):
            as_float = float(value)  # type: ignore[arg-type]
            if as_float != int(as_float):
                if key in FRACTIONAL:  # 7.5 epochs: the loop counts steps from a fractional number of epochs
                    return as_float
                raise ValueError
            return int(as_float)
        if isinstance(like, float):
            return float(value)  # type: ignore[arg-type]
        if isinstance(like, list):
            items = value if isinstance(value, list) else [value]
            return [_coerce(key, v, like[0]) for v in items] if like else list(items)
        if isinstance(like, str):  # names of choices are case-insensitive; ids, paths and columns are not
            return str(value).lower() if key in CHOICE_KEYS else str(value)
    except (TypeError, ValueError):
        raise InputError(f"setting {key!r} = {value!r} is not a valid {type(like).__name__}",
                         fix=f"give a {type(like).__name__}, e.g. {key}={like!r}") from None
    return value
