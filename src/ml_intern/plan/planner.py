"""Pick a recipe for the spec, resolve every value (paper, default with reason, or user override), size it."""

from __future__ import annotations

from ml_intern.errors import InputError
from ml_intern.paper.models import PaperSpec
from ml_intern.plan.models import (Budgets, DataChoice, ExperimentPlan, HardwarePlan, MetricTarget, Resolved,
                                   Scale)
from ml_intern.plan.recipes import RECIPES, recipe_for
from ml_intern.registry import DatasetInfo, get_dataset

# Settings that exist only for bookkeeping; users may override them, papers do not give them.
RUN_KEYS = {"max_steps": 0, "checkpoint_every": 0, "log_every": 10}
TASK_ALIASES = {"image classification": "image-classification", "classification of images": "image-classification",
                "sentiment classification": "text-classification", "language modelling": "language-modeling",
                "named entity recognition": "named-entity-recognition", "fine-tuning": "causal-lm-finetuning",
                "causal language modeling": "causal-lm", "causal language modelling": "causal-lm",
                "lora fine-tuning": "causal-lm-finetuning", "machine translation": "translation"}
MODEL_TYPES = {"resnet": "resnet", "vit": "vit", "visiontransformer": "vit", "gpt2": "gpt2", "llama": "llama",
               "t5": "t5"}
CHOICE_KEYS = {"optimizer", "lr_schedule", "model_type", "problem"}
# a data set given as a source rather than a registry name (task files): loaded as written
SOURCE_PREFIXES = ("hub:", "csv:", "json:", "text:", "sklearn:")


def make_plan(spec: PaperSpec, scale: Scale = "small", overrides: dict[str, object] | None = None,
              budgets: Budgets | None = None) -> ExperimentPlan:
    overrides = dict(overrides or {})
    warnings: list[str] = []

    # the data set of the setting the paper mainly reports, else the first known one it names
    known = [d for d in spec.datasets if d.resolved and get_dataset(d.resolved)]
    dataset_ref = next((d for d in known if d.resolved == spec.default_setting), known[0] if known else None)
    dataset = get_dataset(dataset_ref.resolved) if dataset_ref and dataset_ref.resolved else None

    task_type = None
    if spec.task_type:
        task_type = str(spec.task_type.value).lower().strip()
        task_type = TASK_ALIASES.get(task_type, task_type).replace(" ", "-")
    if dataset is None and spec.extractor == "task-file":  # a source written out (json:data/train.jsonl,
        # hub:org/name) in the user's own task file; never from paper text, which could name any file here
        dataset_ref = next((d for d in spec.datasets if d.name.startswith(SOURCE_PREFIXES)), None)
        if dataset_ref is not None:
            dataset = DatasetInfo(key="custom", aliases=[], loader=dataset_ref.name, task_type=task_type or "unknown",
                                  license="unknown (data given as a source: check its terms)")
    if task_type is None and dataset:
        task_type = dataset.task_type
        warnings.append(f"the paper does not state its task; {task_type} inferred from the data set {dataset.key}")
    if task_type is None:
        raise InputError("cannot tell the task type: the source names no task and no known data set",
                         fix="add `task:` and `dataset:` to the task file, or check the paper text with `ml-intern read`")
    named = spec.architecture.model or spec.architecture.family
    recipe = recipe_for(task_type, dataset, str(named.value) if named else None)
    if recipe is None:
        raise InputError(f"no recipe for task type {task_type!r} in this version",
                         fix=f"available: {', '.join(dict.fromkeys(t for r in RECIPES.values() for t in r.task_types))}")
    if dataset is None:
        named = ", ".join(d.name for d in spec.datasets) or "none"
        raise InputError(f"no known data set found (named in the source: {named})",
                         fix="name a data set from the registry (e.g. `dataset: digits` in a task file)")
    if reason := recipe.supports(dataset):
        raise InputError(reason, fix=f"name a data set of the {recipe.name} recipe's kind (docs/recipes.md)")

    values: dict[str, Resolved] = {}
    defaults = recipe.defaults()
    if "model" in defaults and (model := _model(spec)) is not None:
        values["model"] = model
    for key, (default, why) in defaults.items():
        if key in values:
            continue
        hp = spec.hyperparameter(key, setting=dataset.key)
        size = spec.architecture.sizes.get(key)
        negation = spec.negation(key)
        if hp is not None:
            value = hp.value[0] if isinstance(hp.value, list) and not isinstance(default, list) else hp.value
            values[key] = Resolved(value=_coerce(key, value, default), origin="paper", source=hp.source,
                                   setting=hp.setting, reason=None if hp.setting in ("default", dataset.key) else
                                   f"the paper gives it for {hp.setting}, not for {dataset.key}")
        elif negation is not None and isinstance(default, (int, float)):
            values[key] = Resolved(value=_coerce(key, 0, default), origin="paper", source=negation.source,
                                   reason="the paper says there is none")
        elif size is not None:
            values[key] = Resolved(value=_coerce(key, size.value, default), origin="paper", source=size.source,
                                   setting=_size_setting(spec, key, size))
        else:
            values[key] = Resolved(value=default, origin="default", reason=f"not in the paper; {why}")
    for hp in spec.hyperparameters:
        if hp.name not in values and hp.setting in ("default", dataset.key):
            if hp.name == "max_steps":
                values["max_steps"] = Resolved(value=int(hp.value), origin="paper", source=hp.source,  # type: ignore[arg-type]
                                               setting=hp.setting)
            else:
                warnings.append(f"the paper gives {hp.name} = {hp.value!r}; the {recipe.name} recipe does not use it")

    family = spec.architecture.family
    if family is not None and "model_type" in values and values["model_type"].origin == "default":
        kind = next((k for k in MODEL_TYPES if k in str(family.value).lower().replace("-", "")), None)
        if kind is not None:  # "a ResNet", "GPT-2", "Llama": the architecture to build from its config
            values["model_type"] = Resolved(value=MODEL_TYPES[kind], origin="paper", source=family.source)
    values = recipe.scale(values, scale, dataset)
    for key, value in overrides.items():
        known = set(values) | set(RUN_KEYS)
        if key not in known:
            raise InputError(f"unknown setting {key!r} in --set", fix=f"known settings: {', '.join(sorted(known))}")
        default = values[key].value if key in values else RUN_KEYS[key]
        values[key] = Resolved(value=_coerce(key, value, default), origin="override", reason="set by the user")

    model = {k: v for k, v in values.items() if k in recipe.model_keys}
    hyper = {k: v for k, v in values.items() if k not in recipe.model_keys}
    metric_name = "rmse" if dataset.task_type == "tabular-regression" else recipe.metric
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
        budgets=budgets or Budgets(), warnings=warnings + spec.warnings)
    return plan


def _size_setting(spec: PaperSpec, name: str, size) -> str:
    """The setting an architecture size is stated for: the one whose sizes hold this very quote."""
    return next((setting for setting, sizes in spec.architecture.per_setting.items()
                 if (q := sizes.get(name)) is not None and q.source == size.source), "default")


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


def _model(spec: PaperSpec) -> Resolved | None:
    """The model to start from, as the source names it: a registry model (its Hub id), a Hub id, a folder, or a
    model shipped in a package (pkg:NAME)."""
    from ml_intern.registry import MODELS

    for quoted in (spec.architecture.model, spec.architecture.family):
        if quoted is None:
            continue
        ref = str(quoted.value).strip()
        info = next((m for m in MODELS if m.hub_id == ref or ref.lower() == m.key or ref.lower() in m.aliases), None)
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
