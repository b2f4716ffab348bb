"""The plan stage: the recipe from the spec, paper values first, every default and override with its reason."""

import pytest

from conftest import SAMPLE_PDF
from ml_intern.errors import InputError
from ml_intern.paper import extract_spec, read_source
from ml_intern.paper.models import DatasetRef, PaperSpec, Quoted, SourceRef
from ml_intern.plan import make_plan


@pytest.fixture(scope="module")
def spec():
    return extract_spec(read_source(SAMPLE_PDF))


def test_paper_values_win_and_keep_their_quote(spec):
    plan = make_plan(spec)
    assert plan.recipe == "image-classification"
    assert plan.dataset.key == "digits" and plan.dataset.loader == "sklearn:load_digits"
    lr = plan.hyperparameters["learning_rate"]
    assert (lr.value, lr.origin, lr.source.page) == (0.001, "paper", 2)
    assert plan.model["conv_channels"].value == [32, 64] and plan.model["conv_channels"].origin == "paper"
    assert plan.metric.paper_value == pytest.approx(0.983)
    warmup = plan.hyperparameters["warmup_steps"]  # "without warm-up": none, as the paper says
    assert (warmup.value, warmup.origin, warmup.reason) == (0, "paper", "the paper says there is none")
    assert "without warm-up" in warmup.source.quote


def test_defaults_say_why(spec):
    plan = make_plan(spec)
    clip = plan.hyperparameters["grad_clip"]
    assert clip.origin == "default" and clip.reason.startswith("not in the paper")
    assert all(v.reason for v in plan.hyperparameters.values() if v.origin == "default")


def test_a_missing_learning_rate_is_filled_and_said(spec):
    spec = spec.model_copy(deep=True)
    spec.hyperparameters = [h for h in spec.hyperparameters if h.name != "learning_rate"]
    lr = make_plan(spec).hyperparameters["learning_rate"]
    assert lr.origin == "default" and lr.value == 1e-3 and "not in the paper" in lr.reason


def test_overrides_are_typed_and_recorded(spec):
    plan = make_plan(spec, overrides={"epochs": "5", "checkpoint_every": 7})
    assert plan.hyperparameters["epochs"].value == 5 and plan.hyperparameters["epochs"].origin == "override"
    assert plan.values()["checkpoint_every"] == 7


@pytest.mark.parametrize("overrides, problem", [
    ({"epoch": 5}, "unknown setting 'epoch'"),
    ({"epochs": "many"}, "'epochs' = 'many' is not a valid int"),
    ({"batch_size": 2.5}, "is not a valid int"),
])
def test_bad_overrides_are_input_errors(spec, overrides, problem):
    with pytest.raises(InputError, match=problem):
        make_plan(spec, overrides=overrides)


def test_smoke_scale_caps_the_steps(spec):
    plan = make_plan(spec, scale="smoke")
    assert plan.hyperparameters["max_steps"].origin == "scale"
    assert 0 < plan.values()["max_steps"] <= 50


def test_hardware_estimate_counts_the_real_parameters(spec):
    from ml_intern.codegen.task_contract import TASKS, load_task_file

    task = load_task_file(TASKS / "image_classification.py")  # the generated model itself
    plan = make_plan(spec)
    model = task.ConvNet(1, 8, [32, 64], 3, 128, 10)
    assert plan.hardware.parameters == sum(p.numel() for p in model.parameters())
    assert plan.hardware.effective_batch == plan.hardware.per_device_batch * plan.hardware.gradient_accumulation_steps


def _spec(**kw):
    ref = SourceRef(page=1, quote="q")
    return PaperSpec(**{"task_type": Quoted(value="image-classification", source=ref), **kw})


def test_a_dataset_the_recipe_cannot_load_says_why():
    ref = SourceRef(page=1, quote="q")
    with pytest.raises(InputError, match="sst2 is text-classification data"):  # images asked, text given
        make_plan(_spec(datasets=[DatasetRef(name="SST-2", resolved="sst2", source=ref)]))


def test_hub_images_go_to_the_transformers_image_recipe():
    ref = SourceRef(page=1, quote="q")
    plan = make_plan(_spec(datasets=[DatasetRef(name="CIFAR-10", resolved="cifar10", source=ref)]), scale="paper")
    assert plan.recipe == "image-classification-hf" and plan.dataset.loader == "hub:uoft-cs/cifar10"
    assert plan.hardware.gpu == "H100-80GB" and plan.hardware.precision == "bf16"


def test_no_task_and_no_dataset_is_an_input_error():
    with pytest.raises(InputError, match="cannot tell the task type"):
        make_plan(PaperSpec())


def test_unknown_task_type_names_the_available_ones():
    ref = SourceRef(page=1, quote="q")
    with pytest.raises(InputError, match="no recipe for task type 'protein-folding'"):
        make_plan(PaperSpec(task_type=Quoted(value="protein-folding", source=ref)))
