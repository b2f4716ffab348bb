"""The rule-based extractor: values with a verbatim quote from the page they are on, and nothing invented."""

import re
import textwrap

import pytest

from conftest import SAMPLE_PDF, SAMPLE_TASK
from ml_intern.paper import extract_spec, read_source
from ml_intern.paper.extract import PageText, parse_number, validate_quotes
from ml_intern.paper.models import Hyperparameter, Page, Paper, SourceRef


def _paper(*pages: str) -> Paper:
    return Paper(source="inline", kind="pdf", sha256="0" * 64,
                 pages=[Page(number=i + 1, text=t) for i, t in enumerate(pages)])


def _sizes_by_setting(spec, *names: str) -> dict:
    """Each setting's architecture sizes (those named, or all)."""
    return {s: {n: q.value for n, q in sizes.items() if not names or n in names}
            for s, sizes in spec.architecture.per_setting.items()}


def _by_setting(spec) -> dict:
    """Each (name, setting) the spec states a hyperparameter for, with its value (the optimizer aside)."""
    return {(h.name, h.setting): h.value for h in spec.hyperparameters if h.name != "optimizer"}


def test_sample_paper_spec():
    paper = read_source(SAMPLE_PDF)
    spec = extract_spec(paper)
    values = {h.name: h.value for h in spec.hyperparameters}
    assert values == {"learning_rate": 0.001, "batch_size": 64, "epochs": 30, "weight_decay": 0.0001,
                      "dropout": 0.25, "optimizer": "adam", "lr_schedule": "cosine", "seed": 0,
                      "test_fraction": 0.2, "validation_fraction": 0.1}
    assert [n.name for n in spec.negations] == ["warmup_steps"]  # "without warm-up": none, with its quote
    assert spec.task_type.value == "image-classification"
    assert spec.architecture.family.value == "cnn"
    assert spec.architecture.sizes["conv_channels"].value == [32, 64]
    assert spec.architecture.sizes["hidden_size"].value == 128
    assert [d.resolved for d in spec.datasets] == ["digits"]
    assert spec.datasets[0].license == "BSD-3-Clause"
    accuracy = next(m for m in spec.metrics if m.name == "accuracy")
    assert accuracy.value == pytest.approx(0.983) and accuracy.split == "test"
    assert spec.warnings == []
    # every quote is on its page, and is a sentence, not a heading glued to it
    for h in spec.hyperparameters:
        assert paper.contains_quote(h.source.page, h.source.quote), h
    lr = spec.hyperparameter("learning_rate")
    assert lr.source.page == 2
    assert lr.source.quote.startswith("We train with the Adam optimizer")


@pytest.mark.parametrize("text, value", [
    ("0.001", 0.001), ("1e-3", 0.001), ("3 × 10^-4", 3e-4), ("3·10−4", 3e-4), ("1,797", 1797), ("64", 64),
    (".5", 0.5), ("2.5E-5", 2.5e-5), ("10−4", 1e-4), ("5 · 10−4", 5e-4), ("370K", 370000), ("1.2M", 1_200_000),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)
    assert type(parse_number(text)) is type(value)


def test_flattened_table_does_not_mix_neighbouring_cells():
    spec = extract_spec(_paper("Table 2.\nBatch size\n128\nEpochs\n12\nLearning rate\n0.05\nMomentum\n0.9\n"))
    values = {h.name: h.value for h in spec.hyperparameters}
    assert values["batch_size"] == 128 and values["epochs"] == 12
    assert values["learning_rate"] == 0.05 and values["momentum"] == 0.9
    assert spec.hyperparameter("epochs").source.quote == "Epochs 12"


def test_negation_means_none_not_a_value():
    spec = extract_spec(_paper("We train with SGD without momentum and no weight decay, for 10 epochs. "
                               "The learning rate is 0.1. Momentum methods such as Nesterov momentum of 0.9 are "
                               "common elsewhere."))
    values = {h.name: h.value for h in spec.hyperparameters}
    assert "momentum" not in values and "weight_decay" not in values
    assert {n.name for n in spec.negations} == {"momentum", "weight_decay"}
    assert spec.negation("momentum").source.quote.startswith("We train with SGD without momentum")
    assert values["optimizer"] == "sgd" and values["epochs"] == 10 and values["learning_rate"] == 0.1
    assert any("momentum" in w and "kept none" in w for w in spec.warnings)


@pytest.mark.parametrize("text, name", [
    ("Table 5: Fine-tuning hyperparameters.\nLearning rate 1e-4\nGradient clipping 0.0\nWarmup steps 0\n", "grad_clip"),
    ("Table 5: Fine-tuning hyperparameters.\nLearning rate 1e-4\nGradient clipping 0.0\nWarmup steps 0\n",
     "warmup_steps"),
    ("We fine-tune with SGD, momentum 0 and a learning rate of 0.01.", "momentum"),
    ("We train with 0 warmup steps and a constant learning rate of 3e-4.", "warmup_steps"),
])
def test_a_zero_that_means_none_is_a_negation_not_a_value(text, name):
    spec = extract_spec(_paper(text))
    assert spec.hyperparameter(name) is None and spec.negation(name, spec.default_setting) is not None
    assert spec.hyperparameter("learning_rate") is not None  # (the rest of the table or sentence is read)


@pytest.mark.parametrize("phrase, name", [("without momentum", "momentum"), ("no weight decay", "weight_decay"),
                                          ("without dropout", "dropout"), ("no learning rate warm-up", "warmup_steps"),
                                          ("without gradient clipping", "grad_clip")])
def test_each_negation(phrase, name):
    spec = extract_spec(_paper(f"We train for 5 epochs {phrase}."))
    assert spec.hyperparameter(name) is None and spec.negation(name).source.page == 1


@pytest.mark.parametrize("text, names, schedule", [
    # said with a verb, and each of a list the verb denies
    ("We train for 5 epochs. We did not use dropout.", {"dropout"}, None),
    ("We train for 5 epochs and do not use weight decay or learning-rate decay.", {"weight_decay"}, "constant"),
    ("We do not use any data augmentation or dropout, and train for 5 epochs.", {"dropout"}, None),
    # no decay of the rate is a constant rate
    ("We train for 5 epochs with no learning rate decay.", set(), "constant"),
    # a thing used is no negation; nor is one denied to a part of the model only
    ("We train for 5 epochs and use dropout of 0.1; no other regularisation is used.", set(), None),
    ("We train for 5 epochs with a dropout of 0.1, but we do not apply any dropout to embeddings.", set(), None),
    ("We train for 5 epochs with AdamW, weight decay 0.05 and no weight decay on biases and LayerNorm parameters.",
     set(), None),
])
def test_what_a_paper_says_it_does_not_use(text, names, schedule):
    spec = extract_spec(_paper(text))
    assert {n.name for n in spec.negations} == names
    assert (spec.hyperparameter("lr_schedule").value if spec.hyperparameter("lr_schedule") else None) == schedule
    assert spec.hyperparameter("epochs").value == 5



def test_sections_named_by_a_downstream_task_keep_their_values_apart():
    """An appendix section per downstream task: its values are that experiment's, named by the data set the section
    opens with or else by the task; a table's caption inside a section does not end it."""
    spec = extract_spec(_paper(
        "A.3 Question Answering\nOur model follows the SQuAD baseline of earlier work. We train with a batch size of "
        "45 and dropout of 0.2.\nTable 8: Development set results of each variant.\nWe use a learning rate of 0.001 "
        "throughout.\nA.4 Semantic Role Labeling\nOur tagger is a deep biLSTM. It is trained with dropout of 0.1 and a "
        "learning rate of 1.0.\n"))
    values = {(h.name, h.setting): h.value for h in spec.hyperparameters if h.name != "optimizer"}
    assert values == {("batch_size", "squad"): 45, ("dropout", "squad"): 0.2, ("learning_rate", "squad"): 0.001,
                      ("dropout", "semantic role labeling"): 0.1, ("learning_rate", "semantic role labeling"): 1.0}


def test_values_a_search_reports_are_the_search_not_the_value_chosen():
    spec = extract_spec(_paper("We first experimented with learning rates of 1e-4, 3e-4 and 1e-3 on a small model. "
                               "The final model uses a learning rate of 3e-4 and a batch size of 64."))
    chosen = spec.hyperparameter("learning_rate")
    assert (chosen.value, chosen.searched) == (3e-4, False)
    assert spec.searched("learning_rate").value == [1e-4, 3e-4, 1e-3]
    assert not any("also gives" in w for w in spec.warnings)  # a search beside the choice is no conflict
    assert spec.searched("batch_size") is None
    assert ("learning_rate", "default (search)", "[0.0001, 0.0003, 0.001]") in [r[:3] for r in spec.value_rows()]


@pytest.mark.parametrize("sentence, name, value, searched", [
    # a value fixed before a search, in another clause, is the value chosen; the search's values are the search
    ("After fixing the batch size at 512, we further experimented with batch sizes of 8, 16 and 32.", "batch_size",
     512, False),
    ("After fixing the batch size at 512, we further experimented with batch sizes of 8, 16 and 32.", "batch_size",
     [8, 16, 32], True),
    ("After a grid search on the dev set, we use a dropout of 0.3.", "dropout", 0.3, False),
    # one experiment of several: its values are not the value chosen
    ("In one experiment, we used a batch size of 128 and a learning rate of 4e-6.", "learning_rate", 4e-6, True),
    ("In a separate run, we trained with a batch size of 256.", "batch_size", 256, True),
    # the value a search ended on, after it in the sentence, for the field the sentence names
    ("We searched the learning rate over {1e-5, 3e-4, 1e-3} and found 3e-4 to work best.", "learning_rate", 3e-4,
     False),
    ("We searched the learning rate over {1e-5, 3e-4, 1e-3} and found 3e-4 to work best.", "learning_rate",
     [1e-5, 3e-4, 1e-3], True),
    ("We swept the weight decay in {0.01, 0.1}, and we chose 0.1.", "weight_decay", 0.1, False),
    ("For dropout, we tried 0.1 and 0.3 and found that 0.1 works best.", "dropout", 0.1, False),
    # a value from a set ("∈ {…}", "of [128, 256]") is a search's, whatever its clause says; a "grid-search" with
    # its hyphen is one
    ("We tested the batch size of [128, 256, 512, 1024].", "batch_size", [128, 256, 512, 1024], True),
    ("We also employed L2 regularization proposed in [37, 38], with w = 0.01 on all non bias or gain weights.",
     "weight_decay", 0.01, False),  # (a citation's brackets are no set)
    ("The hyper-parameters we tune are: (1) the batch size ∈ {32, 128}; (2) the dropout ratio ∈ {0, 0.5}.", "dropout",
     [0, 0.5], True),
    ("We carry out grid-search of batch size and learning rate {1e-5, 3e-5, 5e-5} on the development set.",
     "learning_rate", [1e-5, 3e-5, 5e-5], True),
    # a search denied is none
    ("We did not sweep over these values. • We used EMA on model parameters with a decay factor of 0.9999.",
     "ema_decay", 0.9999, False),
])
def test_a_search_is_told_apart_from_the_value_chosen_by_its_clause(sentence, name, value, searched):
    spec = extract_spec(_paper(sentence))
    assert [h.searched for h in spec.hyperparameters if h.name == name and h.value == value] == [searched]


@pytest.mark.parametrize("text, expected", [
    # two data sets in one sentence: each value the one nearest it in its clause
    ("On CIFAR-10 we train for 200 epochs with a batch size of 128; on ImageNet we train for 90 epochs with a batch "
     "size of 256.", {("epochs", "cifar10"): 200, ("batch_size", "cifar10"): 128, ("epochs", "imagenet"): 90,
                      ("batch_size", "imagenet"): 256}),
    ("We train for 160 epochs on CIFAR-100 and for 90 epochs on ImageNet.",
     {("epochs", "cifar100"): 160, ("epochs", "imagenet"): 90}),
    # both stages in one sentence: the one named last before the value ("pre-trained models" names none)
    ("The model is pre-trained with a learning rate of 5e-4 and then fine-tuned with a learning rate of 1e-5.",
     {("learning_rate", "pretraining"): 5e-4, ("learning_rate", "finetuning"): 1e-5}),
    ("The pre-trained model is then fine-tuned for 30 epochs.", {("epochs", "finetuning"): 30}),
    # data sets named together share the value: each has it
    ("On CIFAR-10 and SVHN we train using a batch size of 64.", {("batch_size", "cifar10"): 64,
                                                                ("batch_size", "svhn"): 64}),
])
def test_a_sentence_naming_two_settings_gives_each_value_the_nearest(text, expected):
    spec = extract_spec(_paper(text))
    assert {(h.name, h.setting): h.value for h in spec.hyperparameters if h.name != "optimizer"} == expected


def test_a_stages_negation_is_that_stages_only():
    """"No warm-up" under one stage's heading is that stage's: another stage's stated warm-up stands, and each
    setting's plan value says which (none, as the paper says, or the stated steps)."""
    spec = extract_spec(_paper(
        "C.1 Details of supervised fine-tuning\nWe fine-tune for 3 epochs with a learning rate of 1e-5, with no "
        "learning rate warmup.\n"
        "C.2 Details of pre-training\nWe pre-train with a learning rate of 6e-4 and a warmup over the first 2000 "
        "iterations.\n"))
    assert [(n.name, n.setting) for n in spec.negations] == [("warmup_steps", "finetuning")]
    warmup = spec.hyperparameter("warmup_steps", setting="pretraining")
    assert (warmup.value, warmup.setting) == (2000, "pretraining")
    assert spec.negation("warmup_steps", "finetuning").source.quote.endswith("with no learning rate warmup.")
    assert spec.negation("warmup_steps", "pretraining") is None
    assert not any("kept none" in w for w in spec.warnings)

def test_powers_printed_in_superscripts_are_read_and_footnote_marks_left():
    from ml_intern.paper.text import repair

    text = repair("GPT-3² is larger. We use a learning rate of 3×10⁻⁴ and pre-train for 2¹⁹ steps.")
    assert text.startswith("GPT-3² is larger.")  # a footnote mark on a word is no power
    spec = extract_spec(_paper(text))
    assert spec.hyperparameter("learning_rate").value == pytest.approx(3e-4)
    assert spec.hyperparameter("max_steps").value == 524288


def test_digits_in_full_width_or_grouped_by_a_thin_space_are_read_as_printed():
    from ml_intern.paper.text import repair

    spec = extract_spec(_paper(repair("We use dropout of 0．1 and a batch size of 4\u2009096 for 90\u00a0epochs.")))
    assert (spec.hyperparameter("dropout").value, spec.hyperparameter("batch_size").value) == (0.1, 4096)
    assert spec.hyperparameter("epochs").value == 90  # (a no-break space before a unit is no digit group)


def test_digit_groups_a_pdf_gives_apart_by_a_plain_space_are_joined_in_prose_only():
    """LaTeX's thin space ("4\\,096") comes out of many PDFs as a plain space: one number in a sentence; two cells
    of a table's row ("Batch size 128 256"), a lost power's "1 108 ." and a count after a number are left."""
    from ml_intern.paper.text import repair

    text = repair("We pre-train using Adam, linear warmup of 10k steps, batch size 4 096, and gradient clipping. "
                  "We train for 20 000 steps.\nHyperparameter Base Large\nBatch size 128 256\n"
                  "The false positive rate is bounded by 1 108 . In Table 3 12 768 units are used.")
    assert "batch size 4,096," in text and "20,000 steps" in text
    assert "Batch size 128 256" in text and "by 1 108 ." in text and "3 12 768 units" in text
    # the micro sign some fonts set for μ is μ
    momentum = extract_spec(_paper(repair("We use Nesterov momentum (µ = 0.99).\n"))).hyperparameter("momentum")
    assert momentum.value == 0.99
    spec = extract_spec(_paper(text.split("\n")[0]))
    assert (spec.hyperparameter("batch_size").value, spec.hyperparameter("max_steps").value) == (4096, 20_000)


def test_a_digit_group_a_formula_sets_apart_after_its_comma_is_joined_where_it_starts_with_a_zero():
    """LaTeX math sets "$2,000$" with a space after the comma ("2, 000"): one number where the group after the comma
    starts with a zero (no list's number does), two values otherwise."""
    from ml_intern.paper.text import repair

    text = repair("We use 2, 000 warmup steps and train for 1, 000, 000 steps. Hidden sizes are 256, 512 or 768.")
    assert "2,000 warmup steps" in text and "1,000,000 steps" in text and "256, 512 or 768" in text
    spec = extract_spec(_paper(text))
    assert (spec.hyperparameter("warmup_steps").value, spec.hyperparameter("max_steps").value) == (2000, 1_000_000)
    assert not spec.negations  # ("000 warmup steps" had read as none)


def test_an_epsilon_a_pdf_font_gives_as_o_with_ogonek_is_read_as_epsilon():
    from ml_intern.paper.text import repair

    text = repair("BERT is optimized with Adam using the following parameters: β1 = 0.9, β2 = 0.999, ǫ = 1e-6.\n"
                  "Hyperparam Value\nAdam ǫ 1e-8\n")
    assert "ǫ" not in text
    assert [h.value for h in extract_spec(_paper(text)).hyperparameters if h.name == "adam_epsilon"] == [1e-6, 1e-8]
    assert repair("the word rǫk") == "the word rǫk"  # (the letter inside a word is left)


def test_a_number_run_into_a_unit_is_not_its_first_digit_group():
    # "1,600sec": a batch in seconds of audio, not a batch of 1
    spec = extract_spec(_paper("BASE uses a batch size of 3.2m samples per GPU and we fine-tune on 8 GPUs, giving a "
                               "total batch size of 1,600sec."))
    assert spec.hyperparameter("batch_size") is None
    assert extract_spec(_paper("We use a batch size of 1,600 sequences.")).hyperparameter("batch_size").value == 1600


def test_where_a_schedule_decays_to_is_no_second_rate():
    spec = extract_spec(_paper("We use a cosine learning rate schedule decaying to 8 × 10−7 over 1,200,000 steps, with "
                               "a peak learning rate of 8e-5."))
    assert [h.value for h in spec.hyperparameters if h.name == "learning_rate"] == [8e-5]


def test_a_range_of_lengths_is_no_length():
    assert extract_spec(_paper("We train for 100–200 epochs depending on the dataset.")).hyperparameter("epochs") is None
    assert extract_spec(_paper("The models are trained for 2^20 updates which is between two and three passes over "
                               "the dataset.")).hyperparameter("epochs") is None
    for text in ("We train for 100 to 200 epochs.", "We train for two or three epochs."):
        assert extract_spec(_paper(text)).hyperparameter("epochs") is None, text
    assert extract_spec(_paper("We train for 50k to 100k steps.")).hyperparameter("max_steps") is None
    # a change from one length to another is no range: the length it changes to
    assert extract_spec(_paper("We extend training from 30 to 90 epochs.")).hyperparameter("epochs").value == 90
    assert extract_spec(_paper("We train ResNet-50 for 90 epochs.")).hyperparameter("epochs").value == 90


def test_loss():
    spec = extract_spec(_paper("The model is trained with the label-smoothed cross-entropy loss for 5 epochs."))
    assert spec.loss.value == "label_smoothed_cross_entropy"
    assert extract_spec(read_source(SAMPLE_PDF)).loss.value == "cross_entropy"


def test_a_paper_without_a_learning_rate_yields_none():
    spec = extract_spec(_paper("We fine-tune the network for 3 epochs with a batch size of 32."))
    assert spec.hyperparameter("learning_rate") is None
    assert spec.hyperparameter("batch_size").value == 32


# a page as a PDF gives it: lines of a column, paragraphs opened by run-in headings
_RUN_IN_PAGE = """4 Experiments
4.1 Setup
Pre-training data We train the language model on a large corpus of unlabelled text drawn from
many web pages, kept as one long stream so that the model learns to condition on long contexts.
Architecture and optimisation Our network is a 6-layer transformer trained on raw text. We
use a learning rate of 3e-4 with a batch size of 128 and train for 40 epochs on this corpus.
We use a warm-up over the first 1000 updates and then a cosine schedule for the learning rate.
Fine-tuning details. Unless stated otherwise, we reuse the hyperparameter settings from the
pre-training. We use a learning rate of 2e-5 and a batch size of 16, with a warm-up over 10% of
training. We train for 4 epochs.
CIFAR-10. We train the image model for 200 epochs with a batch size of 64 on this data set.
ImageNet experiments: We train for 90 epochs with a batch size of 256 across all of our runs.
"""


def test_a_variant_named_as_a_run_in_heading_is_a_setting_and_a_changed_initial_rate_its_value():
    """A variant the paper trains, named before a colon at a paragraph's start (its space lost where the heading's
    font ran the words together), keeps its values apart; "the initial learning rate was increased by a factor of 5,
    to 0.05" is that variant's rate; a schedule's later step ("reduced … to 0.001 for the last 10 epochs") is none."""
    spec = extract_spec(_paper(
        "We trained the following networks on ImageNet.\nNet-A1: The baseline network, trained with a learning rate of "
        "0.01.\nNet-B2:Like Net-A1, but the initial learning rate was increased by a factor of 5, to 0.05.\n"))
    assert {(h.setting, h.value) for h in spec.hyperparameters if h.name == "learning_rate"} == \
        {("Net-A1", 0.01), ("Net-B2", 0.05)}
    later = extract_spec(_paper("We then reduced the learning rate by a factor of 10, to 0.001, for the last 10 epochs."))
    assert later.hyperparameter("learning_rate") is None


def test_a_run_in_heading_sets_its_paragraph_s_setting():
    spec = extract_spec(_paper(_RUN_IN_PAGE))
    values = {(h.name, h.setting): h.value for h in spec.hyperparameters}
    # "Architecture and optimisation" names no stage, but the paragraph describes the model being pre-trained (raw
    # text), in a paper that also fine-tunes
    assert values[("learning_rate", "pretraining")] == 3e-4 and values[("epochs", "pretraining")] == 40
    assert values[("warmup_steps", "pretraining")] == 1000 and values[("lr_schedule", "pretraining")] == "cosine"
    assert values[("learning_rate", "finetuning")] == 2e-5 and values[("batch_size", "finetuning")] == 16
    assert values[("warmup_ratio", "finetuning")] == 0.1 and values[("epochs", "finetuning")] == 4
    assert values[("epochs", "cifar10")] == 200 and values[("batch_size", "cifar10")] == 64  # "CIFAR-10."
    assert values[("epochs", "imagenet")] == 90 and values[("batch_size", "imagenet")] == 256  # "ImageNet …:"
    assert spec.architecture.per_setting["pretraining"]["num_layers"].value == 6
    assert not [w for w in spec.warnings if "also gives" in w]  # no setting holds two values of one name
    # "Unless stated otherwise, we reuse the … settings from the pre-training": fine-tuning takes pre-training's
    assert spec.reuses["finetuning"].value == "pretraining"
    assert spec.with_setting("finetuning").hyperparameter("lr_schedule").value == "cosine"


def test_a_run_in_heading_that_names_nothing_ends_the_one_before():
    spec = extract_spec(_paper(
        "3 Method\nFine-tuning. We fine-tune every model with a learning rate of 1e-5 on each of the target tasks\n"
        "and we keep the rest of the procedure the same for all of the tasks and model sizes in the study.\n"
        "Optimisation. We train with a batch size of 32 in every one of the experiments of this paper and we\n"
        "keep the same seeds for all of them, as described in the appendix that follows the references.\n"))
    values = {(h.name, h.setting): h.value for h in spec.hyperparameters}
    assert values == {("learning_rate", "finetuning"): 1e-5, ("batch_size", "default"): 32}


def test_numbered_stages_and_a_colon_before_a_lower_case_word_as_run_in_headings():
    spec = extract_spec(_paper(
        "Stage 1 (supervised fine-tuning): we train for 3 epochs with a learning rate of 2e-5.\n"
        "Stage 2 (reward modeling): we train for 1 epoch with a learning rate of 9e-6.\n"
        "Step 3 (PPO). We train the policy with a learning rate of 1.5e-5 for the rest of the run.\n"
        "Note: we use a batch size of 64 in all of the stages of the work described in this paper.\n"))
    assert _by_setting(spec) == {("epochs", "finetuning"): 3, ("learning_rate", "finetuning"): 2e-5,
                                 ("epochs", "reward_model"): 1, ("learning_rate", "reward_model"): 9e-6,
                                 ("learning_rate", "rlhf"): 1.5e-5,
                                 ("batch_size", "rlhf"): 64}  # ("Note:" names no setting: the paragraph goes on)


def test_a_long_run_in_heading_naming_both_stages_and_a_sentence_naming_the_other():
    """A run-in heading of seven words sets its paragraph's stage (the first it names); a sentence in it that names the
    other stage, with the data set the paper also trains on from scratch, is that stage's, not the data set's."""
    spec = extract_spec(_paper(
        "4.1 Image classification on ImageNet-1K\n"
        "Training from scratch on ImageNet-1K. We train for 300 epochs with a batch size of 1024.\n"
        "Pre-training on ImageNet-22K and fine-tuning on ImageNet-1K. We train for 90 epochs with a batch size of 4096\n"
        "images. In ImageNet-1K fine-tuning, we train for 30 epochs with a learning rate of 1e-5.\n"))
    assert _by_setting(spec) == {("epochs", "imagenet"): 300, ("batch_size", "imagenet"): 1024,
                                 ("epochs", "pretraining"): 90, ("batch_size", "pretraining"): 4096,
                                 ("epochs", "finetuning"): 30, ("learning_rate", "finetuning"): 1e-5}


@pytest.mark.parametrize("text, values", [
    # one value for two data sets named together; one value per data set in one clause
    ("On ImageNet, models are trained for 100 epochs. On CIFAR-10 and CIFAR-100, we train for 200 epochs.",
     {("epochs", "imagenet"): 100, ("epochs", "cifar10"): 200, ("epochs", "cifar100"): 200}),
    ("The learning rate is 0.1 for CIFAR-10 and 0.01 for SVHN.",
     {("learning_rate", "cifar10"): 0.1, ("learning_rate", "svhn"): 0.01}),
    ("We use a dropout of 0.2 on CIFAR-10, while 0.1 on SVHN works better.",
     {("dropout", "cifar10"): 0.2, ("dropout", "svhn"): 0.1}),
    ("We use a dropout of 0.2 for CIFAR-10 and 10 epochs for SVHN.",  # (another field's count: not a dropout)
     {("dropout", "cifar10"): 0.2, ("epochs", "svhn"): 10}),
])
def test_values_for_several_data_sets_in_one_sentence(text, values):
    assert _by_setting(extract_spec(_paper(text))) == values


def test_a_section_heading_that_names_a_data_set_sets_its_values_setting():
    spec = extract_spec(_paper(
        "4.1 Activations over time\nWe trained the small network for 50000 steps with 60 examples per mini-batch.\n"
        "4.2 ImageNet classification\nThe large model was trained with a mini-batch size of 32 on 50 machines.\n"
        "5 Analysis\n3. MNIST (LeCun et al., 1998)\nA classifier of the list above uses a batch size of 8.\n"))
    assert {(h.setting, h.value) for h in spec.hyperparameters if h.name == "batch_size"} == \
        {("default", 60), ("imagenet", 32), ("default", 8)}  # (a numbered list's item is no heading)


def test_schedules_compared_are_not_the_schedule_used():
    spec = extract_spec(_paper("After benchmarking linear and cosine schedules, we use a constant learning rate "
                               "schedule. A cosine decaying schedule is used for the other model."))
    assert [h.value for h in spec.hyperparameters if h.name == "lr_schedule"] == ["constant", "cosine"]


def test_a_sentence_that_ends_on_the_next_line_is_not_a_run_in_heading():
    spec = extract_spec(_paper(
        "In all of our experiments the classifier is trained with the same procedure, for which we\n"
        "use ImageNet. The model is trained for 90 epochs with a batch size of 256 and a learning rate of 0.1\n"
        "that is divided by 10 every 30 epochs, on eight GPUs, with the usual augmentation of crops.\n"))
    assert {h.setting for h in spec.hyperparameters if h.name in ("epochs", "batch_size")} == {"default"}


def test_conflicting_values_keep_the_first_and_warn():
    spec = extract_spec(_paper("We use a learning rate of 0.01.", "Table 3. Learning rate 0.02"))
    assert spec.hyperparameter("learning_rate").value == 0.01
    assert [h.value for h in spec.hyperparameters if h.name == "learning_rate"] == [0.01, 0.02]
    assert any("learning_rate" in w and "0.02" in w for w in spec.warnings)


def test_values_belong_to_the_setting_their_sentence_names():
    spec = extract_spec(_paper("On CIFAR-10 we train for 300 epochs with a batch size of 64. "
                               "On ImageNet, we train models for 90 epochs with a batch size of 256. "
                               "The initial learning rate is set to 0.1."))
    assert spec.hyperparameter("epochs", "cifar10").value == 300
    assert spec.hyperparameter("epochs", "imagenet").value == 90
    assert spec.hyperparameter("batch_size", "imagenet").value == 256
    assert spec.hyperparameter("learning_rate", "imagenet").value == 0.1  # paper-wide: the default setting
    assert spec.warnings == []  # different settings are not conflicts
    assert set(spec.settings) == {"default", "cifar10", "imagenet"}


_SIZES_TABLE = """4 Training details
We train every model with AdamW and a cosine schedule, a weight decay of 0.1 and a warm-up of 500 steps.
Model Layers dmodel Heads Batch size LR
Small 6 512 8 256 6e-4
Base 12 768 12 256 3e-4
Large 24 1024 16 512 2e-4
Table 2: The sizes of the models we train and their settings.
"""


def test_a_table_of_model_sizes_keeps_each_size_apart_and_reproduces_the_largest():
    spec = extract_spec(_paper(_SIZES_TABLE))
    assert {"Small", "Base", "Large"} <= set(spec.settings)
    assert spec.default_setting == "Large"  # the largest model: the one a paper's main result reports
    assert spec.hyperparameter("learning_rate").value == 2e-4 and spec.hyperparameter("batch_size").value == 512
    assert {k: q.value for k, q in spec.architecture.sizes.items()} == {"num_layers": 24, "hidden_size": 1024,
                                                                        "num_heads": 16}
    assert spec.hyperparameter("weight_decay").value == 0.1  # stated for every size
    assert not [w for w in spec.warnings if "also gives" in w]  # no size's value is another's conflict
    small = spec.with_setting("small")  # one flag, the name as the user types it
    assert small.default_setting == "Small" and small.hyperparameter("learning_rate").value == 6e-4
    assert small.architecture.sizes["num_layers"].value == 6 and small.architecture.sizes["hidden_size"].value == 512
    assert small.hyperparameter("weight_decay").value == 0.1


def test_a_table_of_two_models_of_one_size_reproduces_the_one_the_paper_trains():
    """A hyperparameter table comparing a baseline's recipe with the paper's own ("Methods ViT-B DeiT-B"): both are
    base-size models; the main setting is the one the paper says it trains, its row symbol ("Label smoothing ε")
    no obstacle to the row's values."""
    spec = extract_spec(_paper(
        "Table 9: Hyper-parameters of the baseline and of our method.\nMethods ViT-B OurNet-B\nEpochs 300 300\n"
        "Batch size 4096 1024\nlearning rate 0.003 0.0005\nWeight decay 0.3 0.05\nLabel smoothing ε 0.2 0.1\n"
        "Dropout 0.1 0.0\nWe train OurNet-B on ImageNet with AdamW, as the table gives.\n"))
    assert spec.default_setting == "OurNet-B"
    values = {name: spec.hyperparameter(name).value for name in
              ("batch_size", "learning_rate", "weight_decay", "label_smoothing", "dropout", "epochs")}
    assert values == {"batch_size": 1024, "learning_rate": 0.0005, "weight_decay": 0.05, "label_smoothing": 0.1,
                      "dropout": 0.0, "epochs": 300}
    assert spec.hyperparameter("batch_size", "ViT-B").value == 4096


def test_a_sentence_that_names_model_sizes_gives_its_values_to_those_sizes():
    spec = extract_spec(_paper(
        "3.2 Fine-tuning\nWe fine-tune all models for 3 epochs with a cosine schedule. For our 350M and 1.3B models, "
        "we use a learning rate of 2e-5 and a batch size of 64. For 13B, we use a learning rate of 1e-5 and a batch "
        "size of 16. We use a dropout of 0.1 for the 350M model. The weight decay for the 350M, 1.3B, and 13B models "
        "was 0.1, 0.05 and 0.01, respectively.\n"))
    by = {(h.name, h.setting): h.value for h in spec.hyperparameters}
    assert by[("learning_rate", "finetuning 350M")] == by[("learning_rate", "finetuning 1.3B")] == 2e-5
    assert by[("batch_size", "finetuning 1.3B")] == 64
    assert by[("learning_rate", "finetuning 13B")] == 1e-5 and by[("batch_size", "finetuning 13B")] == 16
    assert by[("dropout", "finetuning 350M")] == 0.1  # "... of 0.1 for the 350M model"
    assert [by[("weight_decay", f"finetuning {size}")] for size in ("350M", "1.3B", "13B")] == [0.1, 0.05, 0.01]
    assert ("learning_rate", "finetuning") not in by and by[("epochs", "finetuning")] == 3
    assert spec.default_setting == "finetuning 13B"
    assert spec.hyperparameter("epochs").value == 3  # the stage's, where the size states none
    chosen = spec.with_setting("1.3B")  # a size named without its stage
    assert chosen.default_setting == "finetuning 1.3B" and chosen.hyperparameter("batch_size").value == 64
    assert chosen.hyperparameter("epochs").value == 3


@pytest.mark.parametrize("sentence, name, first, second", [
    ("We use a batch size of 32 for 1.3B and 6B models and 8 for the 175B model.", "batch_size",
     {"1.3B": 32, "6B": 32}, {"175B": 8}),
    ("We set the dropout to 0.1 for BERT-Base, and 0.2 for BERT-Large.", "dropout", {"BERT-Base": 0.1},
     {"BERT-Large": 0.2}),
    ("The learning rate is 1e-4 for the base models while 5e-5 for the large models.", "learning_rate",
     {"base": 1e-4}, {"large": 5e-5}),
    # the first sizes a bound ("models up to 13B"): its value stays every size's, the next one the sizes it names
    ("We use LoRA dropout of 0.1 for models up to 13B and 0.05 for 33B and 65B models.", "dropout",
     {"default": 0.1}, {"33B": 0.05, "65B": 0.05}),
    # the other sizes' value in a clause of their own, the name left out
    ("The 7B and 13B models use a learning rate of 3e-4, while the 33B and 65B models use 1.5e-4.", "learning_rate",
     {"7B": 3e-4, "13B": 3e-4}, {"33B": 1.5e-4, "65B": 1.5e-4}),
    ("The base model uses a dropout of 0.1, while the large model uses 0.3.", "dropout", {"base": 0.1}, {"large": 0.3}),
    # a variant by one letter after its model's name, and a list of three
    ("We use a stochastic depth rate of 0.1 for ViT-B and 0.2 for ViT-L.", "drop_path_rate", {"ViT-B": 0.1},
     {"ViT-L": 0.2}),
    ("We use a learning rate of 4e-3 for ConvNeXt-T and 2e-3 for ConvNeXt-L.", "learning_rate", {"ConvNeXt-T": 4e-3},
     {"ConvNeXt-L": 2e-3}),
    ("The drop path rate is 0.1 for ViT-B, 0.2 for ViT-L and 0.3 for ViT-H.", "drop_path_rate", {"ViT-B": 0.1},
     {"ViT-L": 0.2, "ViT-H": 0.3}),
])
def test_one_value_per_model_size_in_one_clause(sentence, name, first, second):
    spec = extract_spec(_paper(f"We train on our instruction data. {sentence}\n"))
    by = {h.setting: h.value for h in spec.hyperparameters if h.name == name}
    assert by == {**first, **second}
    assert not [w for w in spec.warnings if "also gives" in w]


def test_a_table_row_named_by_a_size_and_data_takes_what_prose_states_for_that_size():
    """"65B All" (the 65B model on all data) is a table row; "0.05 for 33B and 65B models" in prose is that size's
    dropout: the row takes it where it states none, and a paper-wide search stays the sweep around it."""
    spec = extract_spec(_paper(
        "We run a hyperparameter search over LoRA dropout {0.0, 0.05, 0.1}. We use LoRA dropout of 0.1 for models "
        "up to 13B and 0.05 for 33B and 65B models.\n"
        "Table 9: Training hyperparameters.\nParameters Dataset Batch size LR Steps\n7B All 16 2e-4 10000\n"
        "65B All 64 1e-4 2500\nWe fine-tune LLaMA models with LoRA.\n"))
    assert spec.default_setting == "65B All"
    assert spec.hyperparameter("dropout").value == 0.05 and spec.hyperparameter("batch_size").value == 64
    assert spec.reused("65B All") == "65B" and spec.hyperparameter("dropout", "7B All").value == 0.1
    assert ("reuses", "65B All (main)", "65B's values where it states none") in \
        [(f, s, v) for f, s, v, _ in spec.value_rows()]


@pytest.mark.parametrize("table, setting, sizes", [
    # a count's column named "n layers"; a column's symbol after its name ("Hidden size D"); a size the reader has no
    # field for, in two words ("MLP size"); a batch in tokens ("4M") is no batch size
    ("params dimension n heads n layers learning rate batch size n tokens\n6.7B 4096 32 32 3.0e-4 4M 1.0T\n"
     "65.2B 8192 64 80 1.5e-4 4M 1.4T\n", "65.2B", {"hidden_size": 8192, "num_heads": 64, "num_layers": 80}),
    ("Model Layers Hidden size D MLP size Heads Params\nViT-Base 12 768 3072 12 86M\nViT-Large 24 1024 4096 16 307M\n",
     "ViT-Large", {"num_layers": 24, "hidden_size": 1024, "num_heads": 16, "intermediate_size": 4096}),
    # a count's column run into its name ("nlayers"), a model's name of two words and its size, "6.0 × 10−4" in a cell
    ("Model Name nparams nlayers dmodel nheads dhead Batch Size Learning Rate\n"
     "Net Small 125M 12 768 12 64 0.5M 6.0 × 10−4\nNet Large 760M 24 1536 16 96 0.5M 2.5 × 10−4\n",
     "Net Large 760M", {"num_layers": 24, "hidden_size": 1536, "num_heads": 16}),
    # code-style column names, heads and their width slashed in one column, a batch in tokens written out in its cell
    ("Params n_layers d_model n_heads / d_head Training steps Learning Rate Batch Size Tokens\n"
     "125M 12 768 12 / 64 4800 6e-4 0.5M tokens 2.5B\n760M 24 1536 16 / 96 29000 2.5e-4 0.5M tokens 15B\n",
     "760M", {"num_layers": 24, "hidden_size": 1536, "num_heads": 16}),
    # BERT's notation after a model's name, its size run into the name as a lost subscript
    ("We report results on two model sizes: BERTBASE (L=12, H=768, A=12, Total Parameters=110M) and BERTLARGE "
     "(L=24, H=1024, A=16, Total Parameters=340M).", "BERTLARGE", {"num_layers": 24, "hidden_size": 1024,
                                                                   "num_heads": 16}),
])
def test_tables_and_notations_of_model_sizes(table, setting, sizes):
    spec = extract_spec(_paper(table))
    assert spec.default_setting == setting
    if "Learning Rate" in table:
        assert spec.hyperparameter("learning_rate").value == 2.5e-4  # the main size's, exactly
    assert {k: q.value for k, q in spec.architecture.sizes.items()} == sizes
    assert not [h for h in spec.hyperparameters if h.name == "batch_size"]


def test_a_table_whose_columns_are_model_sizes_gives_each_size_its_values():
    spec = extract_spec(_paper("Table 9: Hyperparameters for pretraining our models.\n"
                               "Hyperparam ModelLARGE ModelBASE\nNumber of Layers 24 12\nHidden size 1024 768\n"
                               "Peak Learning Rate 4e-4 6e-4\nBatch Size 8k 8k\nWeight Decay 0.01 0.01\n"))
    by = {(h.name, h.setting): h.value for h in spec.hyperparameters}
    assert by[("learning_rate", "pretraining ModelLARGE")] == 4e-4 and by[("learning_rate", "pretraining ModelBASE")] == 6e-4
    assert by[("batch_size", "pretraining")] == 8000 and by[("weight_decay", "pretraining")] == 0.01  # both columns'
    base = spec.with_setting("ModelBASE")
    assert base.architecture.sizes["num_layers"].value == 12 and base.architecture.sizes["hidden_size"].value == 768
    assert base.hyperparameter("learning_rate").value == 6e-4 and base.hyperparameter("batch_size").value == 8000
    # columns that are neither model sizes nor data sets (kinds of task) keep the row's values together, as a list
    grid = extract_spec(_paper("Hparam Classification Regression Tagging\nBatch size 32 48 128\n"
                               "Learning rate 2e-5 3e-5 2e-5\n"))
    assert [h.value for h in grid.hyperparameters if h.name == "batch_size"] == [[32, 48, 128]]


def test_a_fine_tuning_table_s_stage_worded_rows_the_minimal_rate_and_a_bracketed_beta_pair():
    """A row whose name a stage's hyphenated word opens ("Fine-tuning epochs 100 50") gives each size column its value;
    a schedule's minimal rate is no learning rate; "Adam β (0.9, 0.999)" is Adam's pair."""
    spec = extract_spec(_paper("Table 12: Hyperparameters for fine-tuning on ImageNet.\nHyperparameters ViT-B/16 "
                               "ViT-L/16\nFine-tuning epochs 100 50\nBatch size 512 512\nPeak learning rate 4e-3\n"
                               "Minimal learning rate 1e-6\nAdam β (0.9, 0.999)\n"))
    assert _by_setting(spec) == {("epochs", "finetuning ViT-B/16"): 100, ("epochs", "finetuning ViT-L/16"): 50,
                                 ("batch_size", "finetuning"): 512, ("learning_rate", "finetuning"): 4e-3,
                                 ("adam_beta1", "finetuning"): 0.9, ("adam_beta2", "finetuning"): 0.999}


def test_a_value_in_a_long_sentence_of_both_stages_is_the_stage_named_before_it():
    """A sentence that pre-trains and then fine-tunes, too long for one quote: the values after "fine-tune" are
    fine-tuning's, though the quote around them, cut short, names no stage."""
    spec = extract_spec(_paper(
        "We pre-train our model on the filtered subset for 1 epoch with a learning rate of 2e-3 and a batch size of 128, "
        "and then fine-tune it on the proposed visual instruction-following data set that we collected for this work "
        "for 3 epochs, with a learning rate of 2e-5 and a batch size of 32."))
    assert _by_setting(spec) == {("epochs", "pretraining"): 1, ("learning_rate", "pretraining"): 2e-3,
                                 ("batch_size", "pretraining"): 128, ("epochs", "finetuning"): 3,
                                 ("learning_rate", "finetuning"): 2e-5, ("batch_size", "finetuning"): 32}


def test_a_long_table_of_model_sizes_gives_its_last_rows_their_sizes_too():
    """An appendix's table of twenty rows (ELECTRA's, DeiT's): the header over the first row names the sizes of the
    last one's columns as well."""
    middle = "".join(f"Setting {i} 0.{i} 0.{i} 0.{i}\n" for i in range(1, 17))
    spec = extract_spec(_paper("Table 6: Pre-train hyperparameters.\nHyperparameter Small Base Large\n"
                               f"Number of layers 12 12 24\n{middle}Weight Decay 0.01 0.01 0.01\nBatch Size 128 256 2048\n"))
    by = {(h.name, h.setting): h.value for h in spec.hyperparameters}
    assert (by[("batch_size", "pretraining Small")], by[("batch_size", "pretraining Large")]) == (128, 2048)


@pytest.mark.parametrize("header, settings", [
    ("Hyperparameter Pre-training Fine-tuning", ("pretraining", "finetuning")),
    ("Hyperparameter SFT RM", ("finetuning", "reward_model")),
])
def test_a_table_whose_columns_are_stages_gives_each_stage_its_values(header, settings):
    spec = extract_spec(_paper(f"Table 10: Hyperparameters.\n{header}\nLearning rate 1e-4 2e-5\nBatch size 256 32\n"
                               "Warmup steps 10000 0\n"))
    by = {(h.name, h.setting): h.value for h in spec.hyperparameters}
    first, second = settings
    assert (by[("learning_rate", first)], by[("learning_rate", second)]) == (1e-4, 2e-5)
    assert (by[("batch_size", first)], by[("batch_size", second)]) == (256, 32)
    assert by[("warmup_steps", first)] == 10000 and spec.said_none("warmup_steps", second) is not None


def test_a_table_whose_columns_are_data_sets_gives_each_data_set_its_values():
    """XLNet's fine-tuning table: a column per data set (most of them ones the registry knows), under the fine-tuning
    heading; a value all columns share is the stage's, which each data set takes where it states none."""
    spec = extract_spec(_paper("A.4.2 Hyperparameters for Finetuning\nThe hyperparameters used for finetuning on "
                               "various tasks are shown in Table 8.\nHparam RACE SQuAD MNLI Yelp-5\nDropout 0.1\n"
                               "Batch size 32 48 128 128\nLearning rate 2e-5 3e-5 2e-5 1e-5\n"
                               "Number of steps 12K 8K 10K 10K\nWeight decay 0.01\nTable 8: Hyperparameters for "
                               "finetuning.\n"))
    by = {(h.name, h.setting): h.value for h in spec.hyperparameters}
    assert by[("batch_size", "mnli")] == 128 and by[("max_steps", "mnli")] == 10_000
    assert by[("learning_rate", "squad")] == 3e-5 and by[("batch_size", "finetuning RACE")] == 32  # (a name the
    # registry lacks: a row of the stage)
    assert by[("weight_decay", "finetuning")] == 0.01 and spec.reused("mnli") == "finetuning"
    assert spec.hyperparameter("weight_decay", "mnli").value == 0.01
    assert spec.hyperparameter("batch_size", "mnli").value == 128


# a paper whose captions sit below their tables (as RoBERTa's do): a pre-training table, its caption, then the
# fine-tuning table and its caption, one page
_CAPTIONS_BELOW = ("B Hyperparameters\nWe list the hyperparameters for pretraining and finetuning below.\n"
                   "Hyperparam Large Base\nPeak Learning Rate 4e-4 6e-4\nBatch Size 8k 8k\nWarmup Steps 30k 24k\n"
                   "Table 9: Hyperparameters for pretraining our models.\n"
                   "Hyperparam RACE SQuAD MNLI\nLearning Rate 1e-5 1.5e-5 {1e-5, 2e-5, 3e-5}\nBatch Size 16 48 {16, 32}\n"
                   "Weight Decay 0.1 0.01 0.1\nWarmup ratio 0.06 0.06 0.06\n"
                   "Table 10: Hyperparameters for finetuning on RACE, SQuAD and MNLI.\n")


def test_a_caption_below_its_table_names_the_setting_of_the_rows_above_it():
    spec = extract_spec(_paper(_CAPTIONS_BELOW))
    by = _by_setting(spec)
    assert by[("batch_size", "pretraining")] == 8000 and by[("warmup_steps", "pretraining Base")] == 24_000
    assert by[("learning_rate", "pretraining Large")] == 4e-4
    # the rows after the pre-training table's caption are the fine-tuning table's, which its own caption names
    assert by[("warmup_ratio", "finetuning")] == 0.06
    assert ("warmup_ratio", "pretraining") not in by and ("batch_size", "default") not in by


def test_a_caption_above_its_table_still_names_the_rows_below_it():
    text = ("Table 4: Hyperparameters for finetuning.\nHyperparam Value\nLearning rate 2e-5\nBatch size 32\n"
            "We pretrain the model as described in Section 3. The results follow.\n"
            "Table 5: Results on the development sets.\nModel Accuracy F1\nOurs 91.2 88.0\nBaseline 89.0 86.1\n")
    by = _by_setting(extract_spec(_paper(text)))
    assert by[("learning_rate", "finetuning")] == 2e-5 and by[("batch_size", "finetuning")] == 32


def test_a_table_cell_that_holds_a_set_is_the_values_its_column_was_searched_over():
    spec = extract_spec(_paper(_CAPTIONS_BELOW))
    rates = {h.setting: (h.value, h.searched) for h in spec.hyperparameters if h.name == "learning_rate"
             and h.setting not in ("pretraining Large", "pretraining Base")}
    assert rates == {"RACE": (1e-5, False), "squad": (1.5e-5, False), "mnli": ([1e-5, 2e-5, 3e-5], True)}
    assert spec.hyperparameter("batch_size", "mnli").value == [16, 32]
    one = extract_spec(_paper("Hyperparam Value\nLearning rate {1e-5, 3e-5, 5e-5}\nEpochs 3\n"))
    assert (one.hyperparameter("learning_rate").value, one.hyperparameter("learning_rate").searched) == \
        ([1e-5, 3e-5, 5e-5], True)


def test_a_table_whose_rows_are_data_sets_reads_counts_grouped_by_spaces_and_sets_searched():
    """ViT's fine-tuning table: "20 000" steps (SI digit groups) and a set of rates per data set, the rates searched."""
    spec = extract_spec(_paper("Table 4: Hyperparameters for fine-tuning. All models are fine-tuned with cosine "
                               "learning rate decay and a batch size of 512.\nDataset Steps Base LR\n"
                               "ImageNet 20 000 {0.003, 0.01, 0.03, 0.06}\nCIFAR100 10 000 {0.001, 0.003, 0.01, 0.03}\n"
                               "Oxford-IIIT Pets 500 {0.001, 0.003, 0.01, 0.03}\n"))
    assert spec.hyperparameter("max_steps", "imagenet").value == 20_000
    rate = spec.hyperparameter("learning_rate", "cifar100")
    assert (rate.value, rate.searched) == ([0.001, 0.003, 0.01, 0.03], True)
    # a row of several counts that fits its header is split at its spaces as before: no "12 768" run together
    sizes = extract_spec(_paper("Model Layers Hidden size Heads\nBase 12 768 12\nLarge 24 1024 16\n")).architecture
    assert sizes.per_setting["Base"]["hidden_size"].value == 768
    # a row's name is its words and its first count (its parameters), not the counts of other unnamed columns (FLOPs)
    sizes = extract_spec(_paper("Model Parameters FLOPs/seq dmodel num heads\nT5-Base 0.2B 124B 768 12\n"
                                "Switch-Base 7B 124B 768 12\n")).architecture
    assert sorted(sizes.per_setting) == ["Switch-Base 7B", "T5-Base 0.2B"]


def test_sizes_a_sentence_is_about_and_a_table_with_an_empty_corner():
    spec = extract_spec(_paper(
        "We trained the base models for a total of 100,000 steps or 12 hours. The big models were trained for 300,000 "
        "steps (3.5 days). A model larger than the big model would need a learning rate of 1e-4.\n"
        "Table 3: Variations on the architecture.\nN dmodel dff h Pdrop train steps\nbase 6 512 2048 8 0.1 100K\n"
        "big 6 1024 4096 16 0.3 300K\n"))
    by = {(h.name, h.setting): h.value for h in spec.hyperparameters}
    assert by[("max_steps", "base")] == 100_000 and by[("max_steps", "big")] == 300_000
    assert by[("dropout", "base")] == 0.1 and by[("dropout", "big")] == 0.3
    assert by[("learning_rate", "default")] == 1e-4  # "larger than the big model": not the big model's
    assert spec.default_setting == "big"
    assert {k: q.value for k, q in spec.architecture.sizes.items()} == {"num_layers": 6, "hidden_size": 1024,
                                                                        "intermediate_size": 4096, "num_heads": 16}
    assert spec.with_setting("base").architecture.sizes["hidden_size"].value == 512
    assert spec.with_setting("base").architecture.sizes["intermediate_size"].value == 2048  # the dff column


def test_bulleted_model_variants_each_keep_their_sizes_and_the_largest_is_the_main():
    spec = extract_spec(_paper(
        "Model sizes We train models with a wide range of sizes:\n"
        "• Base. This is our baseline model, with dmodel = 768 and 12 layers each in the encoder and decoder.\n"
        "• Small. We consider a smaller model, which scales the baseline down by using\n"
        "dmodel = 512, dff = 2,048, 8-headed attention, and only 6 layers each in the\n"
        "encoder and decoder. This variant has about 60 million parameters.\n"
        "• 3B and 11B. In both cases, we use dmodel = 1024 and a 24 layer encoder and decoder. For the “3B”\n"
        "variant, we use dff = 16,384 with 32-headed attention; for “11B” we use dff = 65,536 with 128-headed\n"
        "attention producing a model with about 11 billion parameters.\n"))
    assert spec.default_setting == "11B"
    assert {k: q.value for k, q in spec.architecture.sizes.items()} == {
        "hidden_size": 1024, "num_layers": 24, "intermediate_size": 65_536, "num_heads": 128}
    small = spec.with_setting("Small").architecture.sizes
    assert {k: q.value for k, q in small.items()} == {"hidden_size": 512, "intermediate_size": 2048, "num_heads": 8,
                                                      "num_layers": 6}
    assert spec.with_setting("3B").architecture.sizes["intermediate_size"].value == 16_384


@pytest.mark.parametrize("text, name, value, setting", [
    ("We pre-train the model for 2^19 steps on the corpus.", "max_steps", 524_288, "pretraining"),
    ("For T5-Large and T5-3B, we use a batch size of 2048.", "batch_size", 2048, "T5-3B"),
    ("The Small model uses a dropout rate of 0.2.", "dropout", 0.2, "Small"),
    ("The Transformer (big) model trained for English-to-French used dropout rate Pdrop = 0.1, instead of 0.3.",
     "dropout", 0.1, "big"),  # a size in brackets after the model's name
])
def test_powers_as_typed_and_sizes_named_with_their_model(text, name, value, setting):
    spec = extract_spec(_paper(text))
    assert any(h.name == name and h.value == value and h.setting == setting for h in spec.hyperparameters), \
        spec.hyperparameters


def test_where_the_schedule_ends_is_not_the_learning_rate():
    spec = extract_spec(_paper("We use a cosine learning rate schedule, such that the final learning rate is equal to "
                               "10% of the maximal learning rate. The peak learning rate is 3e-4."))
    assert [h.value for h in spec.hyperparameters if h.name == "learning_rate"] == [3e-4]


def test_headings_that_name_feedback_stages_keep_their_values_apart():
    """Supervised fine-tuning, the reward model and the reinforcement learning each state an epoch count and a rate."""
    spec = extract_spec(_paper(
        "C Additional training details\nAll models are trained with the Adam optimizer.\n"
        "C.1 Details of SFT training\nWe train our SFT models for 8 epochs with a learning rate of 1e-5.\n"
        "C.2 Details of RM training\nWe train the reward model for 1 epoch with a learning rate of 5e-6.\n"
        "C.3 Details of RLHF training\nWe train the policy for 2 epochs with a learning rate of 1e-6 and a batch "
        "size of 256.\n"))
    by = {(h.name, h.setting): h.value for h in spec.hyperparameters}
    assert (by[("epochs", "finetuning")], by[("learning_rate", "finetuning")]) == (8, 1e-5)
    assert (by[("epochs", "reward_model")], by[("learning_rate", "reward_model")]) == (1, 5e-6)
    assert (by[("epochs", "rlhf")], by[("learning_rate", "rlhf")], by[("batch_size", "rlhf")]) == (2, 1e-6, 256)
    assert spec.default_setting == "finetuning" and spec.with_setting("rlhf").hyperparameter("epochs").value == 2


@pytest.mark.parametrize("text", [
    "For large batch sizes, we use a learning rate of 0.1.",
    "For 10B tokens, we train with a learning rate of 0.1.",
    "We use a large learning rate of 0.1 for the small-scale runs.",
])
def test_size_words_that_name_no_model_size_make_no_setting(text):
    spec = extract_spec(_paper(text))
    assert [(h.setting, h.value) for h in spec.hyperparameters if h.name == "learning_rate"] == [("default", 0.1)]


def test_an_unknown_or_ambiguous_setting_is_a_clear_error():
    from ml_intern.errors import InputError

    spec = extract_spec(_paper(_SIZES_TABLE))
    with pytest.raises(InputError, match="no setting 'XL'") as info:
        spec.with_setting("XL")
    assert "Small" in info.value.fix and "Large" in info.value.fix


@pytest.mark.parametrize("text, name, value", [
    # lost superscripts, suffixes, and how papers connect a name to its value
    ("An L2 penalty of 5 · 10−4 is applied to all weights.", "weight_decay", 5e-4),
    ("we used a smaller initial learning rate of 10−3.", "learning_rate", 1e-3),
    ("we tried learning rates (5.10−4, 3.10−4) in a grid.", "learning_rate", [5e-4, 3e-4]),
    ("training stops after 250K iterations in total.", "max_steps", 250000),
    ("we train for 60 × 104 iterations in total.", "max_steps", 600000),
    ("We pre-train for 2^19 = 524,288 steps on the corpus.", "max_steps", 524288),
    ("We use 1.5M training steps.", "max_steps", 1_500_000),
    ("with momentum [12] of 0.95 on every layer", "momentum", 0.95),
    ("regularised by dropout (dropout rate set to 0.3).", "dropout", 0.3),
    ("We apply 30% dropout to the output of each layer.", "dropout", 0.3),
    ("We trained our models for a total of 4.5 epochs.", "epochs", 4.5),
    ("The learning rate was initially set to 10−2, and then decreased by a factor of 10", "learning_rate", 0.01),
    ("We clip the gradient norm at 1.5 throughout.", "grad_clip", 1.5),
    ("the norm of the gradient is kept below a threshold of 2 by rescaling.", "grad_clip", 2),
    # a clipping worded as a condition, active or passive
    ("We rescale gradients whenever their L2 norm exceeds 0.5 during training.", "grad_clip", 0.5),
    ("Gradients were clipped when their norm was larger than 10 in all runs.", "grad_clip", 10),
    ("We also use gradient clipping with a maximal gradient norm of 0.1 in the transformer.", "grad_clip", 0.1),
    # a symbol the sentence gives the value, after the name's source
    ("We regularise with an L2 penalty as described in [14], with λ = 0.0002 on all weights.", "weight_decay", 2e-4),
    ("We apply dropout (Srivastava et al., 2014) with p = 0.25 to every embedding.", "dropout", 0.25),
    # where a rate starts, the peak a warm-up reaches, a chosen-from grid, a warm-up as a share of training
    ("The learning rate starts from 0.05 and is halved every 10 epochs.", "learning_rate", 0.05),
    ("The learning rate is warmed up over 5,000 steps to a peak value of 3e-4 and then decayed.", "learning_rate",
     3e-4),
    ("For fine-tuning we use a learning rate chosen from {1e-5, 2e-5, 3e-5} and a batch size of 32.", "learning_rate",
     [1e-5, 2e-5, 3e-5]),
    ("We fine-tune for 3 epochs with 6% warm-up steps.", "warmup_ratio", 0.06),
    # epochs as passes over the data, "for roughly" the length trained; Adam's momentum term is its β1
    ("We trained it for roughly 60 passes through the training data.", "epochs", 60),
    ("We use Adam with a learning rate of 1e-3 and momentum term β1 of 0.6.", "adam_beta1", 0.6),
    # a symbol straight after the name; a clipping "with threshold"; a rate's range read by its verb
    ("We regularise with weight decay λ = 0.02 on every weight matrix.", "weight_decay", 0.02),
    ("Gradient clipping with threshold 2.0 was found to be useful to stabilize training.", "grad_clip", 2.0),
    ("We anneal the learning rate from 1e-3 to 1e-5 with a cosine schedule.", "learning_rate", 1e-3),
    ("The learning rate is linearly warmed up from 0 to 0.002 over the first epoch.", "learning_rate", 0.002),
    # short names with "=", a warm-up as a share of training, the effective batch beside a per-device one
    ("Fine-tuning uses lr=1e-4, bs=256, wd=0.05 and 10 epochs.", "batch_size", 256),
    ("Fine-tuning uses lr=1e-4, bs=256, wd=0.05 and 10 epochs.", "weight_decay", 0.05),
    ("We warm up for 6% of training and then decay linearly.", "warmup_ratio", 0.06),
    ("The warm-up phase lasts about 400 iterations, after which the rate is constant.", "warmup_steps", 400),
    ("We use a per-device batch size of 8 with gradient accumulation over 4 steps, for an effective batch size of 32.",
     "batch_size", 32),
    # memory as the purpose of a training choice, not a measurement
    ("To fit the model in GPU memory, we use a batch size of 16 per device.", "batch_size", 16),
    ("To make full use of the GPU memory, we favor large tiles and reduce the batch to a single image.", "batch_size", 1),
    # a dropout's rate far from its name, in the same clause
    ("Dropout was applied to the outputs of both recurrent layers and the classifier at a rate of 0.35.", "dropout",
     0.35),
    # symbols and subscripts, as text extraction leaves them
    ("We used the Adam optimizer with β1 = 0.9, β2 = 0.98 and ϵ = 10−9.", "adam_beta2", 0.98),
    ("We used the Adam optimizer with β1 = 0.9, β2 = 0.98 and ϵ = 10−9.", "adam_epsilon", 1e-9),
    ("AdamW with momentum β1,β2=0.8, 0.99 for all runs.", "adam_beta1", 0.8),
    ("For the base model, we use a rate of Pdrop = 0.2.", "dropout", 0.2),
    ("During training, we employed label smoothing of value ϵls = 0.2.", "label_smoothing", 0.2),
    ("We used warmup_steps = 3000 in the schedule.", "warmup_steps", 3000),
    ("a linear warm-up over the first 2,500 updates", "warmup_steps", 2500),
    # lists, grids, ranges and table rows
    ("We select the learning rate among {1e-5, 2e-5, 5e-5} on the dev set.", "learning_rate", [1e-5, 2e-5, 5e-5]),
    ("We use batch sizes of 16, 32 and 64.", "batch_size", [16, 32, 64]),
    ("Dropout is increased linearly from 0.1 for the small model to 0.4 for the largest.", "dropout", [0.1, 0.4]),
    ("Table 3: Hyperparameters.\nLearning rate 1e-4 2e-4 1e-4\nWeight decay 0.01\n", "learning_rate", [1e-4, 2e-4]),
    ("We therefore pre-train our models for 1 million steps.", "max_steps", 1_000_000),
    ("We use residual, embedding, and attention dropouts with a rate of 0.1 for regularization.", "dropout", 0.1),
    ("We train for 100 epochs on minibatches of 64 randomly sampled sequences.", "batch_size", 64),
    ("Soft labels come from label smoothing. We fix ε = 0.1 in all our experiments.", "label_smoothing", 0.1),
    # a paper that prints 2^19 as "219 = 524,288" prints its other powers the same way
    ("We pre-train each model for 219 = 524,288 steps. The number of warm-up steps is set to 104.", "warmup_steps", 10_000),
    ("We pre-train each model for 219 = 524,288 steps. We fine-tune for 218 steps.", "max_steps", 262_144),
    # a header whose last columns are names of two words, wrapped: the named columns still line up
    ("Parameters Dataset Batch size LR Steps Source Length Target Length\n7B All 16 2e-4 10000 384 128\n"
     "7B Other 16 2e-4 1875 - 512\n", "max_steps", 1875),
    # a schedule that runs "over" the training: its length (an average "over 5 epochs" is not)
    ("We use AdamW with a cosine learning rate schedule over 50 epochs.", "epochs", 50),
    ("The learning rate is annealed to zero over the course of 90 epochs.", "epochs", 90),
    ("Models are trained with a cosine decay over 100k steps.", "max_steps", 100_000),
    ("We use a peak learning rate of 3e-4 with 2000 warmup steps and cosine decay to zero over 250k steps.",
     "max_steps", 250_000),
    # a warm-up in epochs, as vision papers state it
    ("We use AdamW for 300 epochs with a cosine decay schedule and 20 epochs of linear warm-up.", "warmup_epochs", 20),
    ("We train on ImageNet-22K for 90 epochs with a warmup of 5 epochs.", "warmup_epochs", 5),
    ("Table 9: Training settings.\nEpochs 300\nWarmup epochs 5\nBatch size 1024\n", "warmup_epochs", 5),
    ("The learning rate is linearly warmed up over the first 10 epochs, then decayed.", "warmup_epochs", 10),
    ("We employ AdamW for 90 epochs using a linear decay schedule with a 5-epoch linear warm-up.", "warmup_epochs", 5),
    ("We train on ImageNet-22K for 90 epochs with a warmup of 5 epochs.", "epochs", 90),
    # a rate "with probability p ="; short names (fairseq's "bsz", Adam's "eps")
    ("Dropout with probability p = 0.5 is applied before the classifier.", "dropout", 0.5),
    ("Adam (β1 = 0.9, β2 = 0.95, eps = 1e-8) is used with a learning rate of 1.5e-4.", "adam_epsilon", 1e-8),
    ("We set bsz to 32 and lr to 1e-5, training for 10 epochs.", "batch_size", 32),
    # a dropout layer's rate, a leading-dot decimal; one epoch after a long object
    ("A dropout layer with rate = .5 after the first connected layer prevents co-adaptation.", "dropout", 0.5),
    ("We add a dropout layer with a rate of 0.3 before the classifier.", "dropout", 0.3),
    ("We fine-tune SBERT with a 3-way softmax-classifier objective function for one epoch.", "epochs", 1),
    # a batch and a length counted in their units under the symbols the sentence gives them
    ("Models are pretrained for S = 1,000,000 updates, with minibatches containing B = 256 sequences.", "batch_size",
     256),
    ("We train on batches of 64 images for 90 epochs.", "batch_size", 64),
    # a warm-up whose object is long; a weight average's decay before its name
    ("We linearly warmup the learning rate from 0 to 1e-6 over 150 steps.", "warmup_steps", 150),
    ("We use exponential moving average with 0.9999 decay rate, RandAugment and Mixup.", "ema_decay", 0.9999),
    ("We use the LARS optimizer with learning rate of 4.8 and weight decay of 10−6.", "optimizer", "lars"),
    # a count straight after "train" (whose "in" is no "in 90 epochs"); a warm-up written in two words
    ("We train 90 epochs with SGD and a batch size of 128.", "epochs", 90),
    ("We pretrain 100k steps with a batch size of 256.", "max_steps", 100_000),
    ("We train 1,000 boosting rounds with a learning rate of 0.05.", "max_steps", 1000),
    ("We use a linear warm up of 8,000 steps and a peak learning rate of 8e-5.", "warmup_steps", 8000),
    # RMSProp's decay (its smoothing constant, in TensorFlow's terms) where RMSProp names it; TensorFlow's class names
    ("We train with the RMSProp optimizer with decay 0.9 and momentum 0.9.", "rmsprop_alpha", 0.9),
    ("Optimization uses RMSProp (decay = 0.95, momentum = 0.9).", "rmsprop_alpha", 0.95),
    ("We use RMSProp with a decay rate of 0.9 and ε = 1.0.", "rmsprop_alpha", 0.9),
    ("We trained with the MomentumOptimizer with a momentum of 0.9.", "optimizer", "sgd"),
    # names listed, then one value each of them takes
    ("We use the RMSPropOptimizer with both decay and momentum set to 0.9.", "rmsprop_alpha", 0.9),
    ("We use the RMSPropOptimizer with both decay and momentum set to 0.9.", "momentum", 0.9),
    ("We use the RMSPropOptimizer with both decay and momentum set to 0.9.", "optimizer", "rmsprop"),
    ("Dropout and weight decay were set to 0.1 for all models.", "weight_decay", 0.1),
    ("Dropout and weight decay were set to 0.1 for all models.", "dropout", 0.1),
    # a table's "Train Steps"; a weight average "on" the parameters
    ("Table 6: Pre-train hyperparameters.\nLearning Rate 2e-4\nTrain Steps 400K\n", "max_steps", 400_000),
    ("We used EMA on model parameters with a decay factor of 0.9999.", "ema_decay", 0.9999),
])
def test_lost_superscripts_suffixes_and_phrasings(text, name, value):
    spec = extract_spec(_paper(text))
    assert any(h.name == name and h.value == pytest.approx(value) for h in spec.hyperparameters), spec.hyperparameters


@pytest.mark.parametrize("text, name, value", [
    ("The encoder is composed of a stack of N = 4 identical layers.", "num_layers", 4),
    ("All sub-layers produce outputs of dimension dmodel = 256.", "hidden_size", 256),
    ("We use a 16-layer transformer with 1024 hidden units and 16 attention heads.", "num_heads", 16),
    ("We train on sequences of 1024 tokens.", "seq_len", 1024),
    ("Inputs are truncated to 128 tokens, and we fine-tune for 3 epochs.", "seq_len", 128),  # a length by truncation
    ("We truncate each document to at most 512 word pieces.", "seq_len", 512),
    ("The LoRA adapters use r = 8 and α = 32 on every linear layer.", "lora_alpha", 32),
    ("We trained a 12-layer decoder-only transformer (768 dimensional states and 12 attention heads).", "num_layers", 12),
    ("The large variant uses dmodel = 1,024, dff = 4,096 and 16-headed attention.", "num_heads", 16),
    ("We also increase the context size from 512 to 1024 tokens.", "seq_len", 1024),  # the new size only
    ("Model embedding #heads #layers #params\ndimension\nTiny 192 3 12 5M\n", "hidden_size", 192),
    # an enumeration of sizes; a list's last number counting the noun after it is that noun's
    ("Our model has 340M parameters, 24 layers, a hidden size of 1024 and 16 attention heads.", "num_layers", 24),
    ("Our model has 340M parameters, 24 layers, a hidden size of 1024 and 16 attention heads.", "hidden_size", 1024),
    ("Our model has 340M parameters, 24 layers, a hidden size of 1024 and 16 attention heads.", "num_heads", 16),
    ("We pre-train on sequences of at most T = 256 tokens.", "seq_len", 256),
    ("We use a batch size of 64 sequences of length 128.", "seq_len", 128),
    ("Each transformer block has 12 heads of dimension 64, and the model has 12 such blocks.", "num_layers", 12),
    ("We apply LoRA with rank 16 and alpha 32 to all linear layers.", "lora_rank", 16),
    ("We apply LoRA with rank 16 and alpha 32 to all linear layers.", "lora_alpha", 32),
    ("We use a Transformer model with L = 24 layers, H = 1024 hidden states and A = 16 attention heads.",
     "hidden_size", 1024),
])
def test_architecture_sizes_go_to_the_architecture(text, name, value):
    spec = extract_spec(_paper(text))
    assert spec.architecture.sizes[name].value == value
    assert spec.hyperparameter(name) is None



@pytest.mark.parametrize("text, wrong", [
    ("We use SGD with momentum and a batch size of 256.", ("momentum", 256)),
    ("We use momentum and weight decay of 0.0001.", ("momentum", 0.0001)),
    ("The learning rate warmup of 4000 steps is linear.", ("learning_rate", 4000)),
    ("The learning rate warmup of 4000 steps is linear.", ("max_steps", 4000)),
    ("The learning rate is reduced by a factor of 10.", ("learning_rate", 10)),
    ("The learning rate is decayed by 0.1 every 30 epochs, and we train for 90 epochs.", ("epochs", 30)),
    ("We use the first 4000 steps for warm-up and evaluate every 1000 steps.", ("max_steps", 1000)),
    ("A warm-up of about 400 iterations precedes training.", ("max_steps", 400)),
    ("At inference we use a batch size of 1 to measure latency.", ("batch_size", 1)),
    ("The corpus has a vocabulary of 32,000 words and a batch size of 25000 tokens.", ("batch_size", 32000)),
    ("Figure 3: Training with a batch size of 512 diverges.", ("batch_size", 512)),
    ("LeNet5 [20] consisted of 5 layers.", ("num_layers", 5)),
    ("We apply 1×1 convolutions before each block.", ("kernel_size", 1)),
    ("Dropout is applied to the inputs, and the learning rate of 0.3 halves every epoch.", ("dropout", 0.3)),
    # a memory or compute estimate's example is not training's
    ("The input gradient size is for batch size 1 and is estimated only for the adapters.", ("batch_size", 1)),
    ("Depicted is also batch size 1 with gradient checkpointing.", ("batch_size", 1)),  # what a figure shows
    ("We measure the peak memory of a batch size of 1 on one GPU.", ("batch_size", 1)),
    ("The warm-up phase lasts about 400 iterations, after which the rate is constant.", ("max_steps", 400)),
    ("Each training batch contains 25000 source tokens and the vocabulary has 50,257 tokens.", ("batch_size", 25000)),
    ("We use a per-device batch size of 8 with gradient accumulation over 4 steps, for an effective batch size of 32.",
     ("batch_size", 8)),
    ("We decay the learning rate by 0.1 at epochs 30 and 60, and train for 90 epochs.", ("epochs", [30, 60])),
    ("We use cosine decay of the learning rate down to 10% of its value.", ("learning_rate", 0.1)),
    ("We use Adam with a learning rate of 1e-3 and momentum term β1 of 0.6.", ("momentum", 0.6)),
    ("We subdivide fine-tuning into 12 episodes of 262,144 /12 steps each.", ("max_steps", 12)),  # a divisor
    # early stopping's patience, and the steps another model took to reach an accuracy
    ("Models are trained for 500 epochs or until validation F1 does not improve for 200 epochs.", ("epochs", 200)),
    ("The baseline reached an accuracy of 72.2% after 31M training steps.", ("max_steps", 31_000_000)),
    # a batch norm's momentum, a moving average's decay, a fraction of the learning rate
    ("We use RMSProp with momentum 0.9; batch norm momentum 0.99; weight decay 1e-5.", ("momentum", 0.99)),
    ("Exponential moving averages of the weights are applied, with a decay rate of 0.992.", ("lr_decay_factor", 0.992)),
    ("We use a cosine LR schedule down to 10% of the original learning rate.", ("learning_rate", 0.1)),
    # an average over epochs beside a cosine schedule, and a schedule's "over" that is not the training's length
    ("We use a cosine schedule and report the loss averaged over 5 epochs.", ("epochs", 5)),
    ("The learning rate is linearly warmed up over 5 epochs, then kept constant.", ("epochs", 5)),
    ("We use a cosine warmup over 2k steps, then a constant rate.", ("max_steps", 2000)),
    ("We use AdamW for 300 epochs with 20 epochs of linear warm-up.", ("epochs", 20)),  # the warm-up's, not training's
    # a value that is the subject of a hypothesis is argued about, not used
    ("For example, our large batch size of 2048 sequences would result in the entire data set appearing in each "
     "batch. We therefore use a batch size of 8 during fine-tuning.", ("batch_size", 2048)),
    # the value a change starts from, or one replaced, is not this run's
    ("The training is extended to 300 epochs from the original 90 epochs for ResNets.", ("epochs", 90)),
    ("We train for 50 epochs instead of the usual 100 epochs.", ("epochs", 100)),
    # a table row's last number is no count of the name that starts the row below it
    ("Table 10: Fine-tuning settings.\nlayer-wise lr decay 0.7 0.8\nwarmup epochs None None\nbatch size 512 512\n",
     ("warmup_epochs", 0.8)),
    # a decay that RMSProp does not name is another's; two values for two names are one each
    ("We use RMSProp with learning rate decay 0.94 every 2 epochs.", ("rmsprop_alpha", 0.94)),
    ("We use RMSProp, and the learning rate decays by 0.94 every 2 epochs.", ("rmsprop_alpha", 0.94)),
    ("The momentum and weight decay are set to 0.9 and 5e-4.", ("weight_decay", 0.9)),
    ("The momentum and weight decay are set to 0.9, 5e-4 for all models.", ("weight_decay", 0.9)),
    # the value replaced, its name given again
    ("We use Adam with β1 = 0.7 instead of the default β1 = 0.9 and β2 = 0.99.", ("adam_beta1", 0.9)),
    ("We use a learning rate of 0.01 rather than the standard learning rate of 0.1.", ("learning_rate", 0.1)),
])
def test_neighbouring_phrases_do_not_lend_their_numbers(text, wrong):
    spec = extract_spec(_paper(text))
    assert wrong not in [(h.name, h.value) for h in spec.hyperparameters]


@pytest.mark.parametrize("text, name", [
    ("The classifier has two convolution layers of 32 and 64 channels.", "num_layers"),  # channels, not layers
    ("For a 3x3 convolution and 64 feature channels in the previous layer N = 9 · 64 = 576.", "num_layers"),  # a formula
    ("Since ALBERT involves increasing the model hidden size from 1024 to 2048, it is slower.", "hidden_size"),
    ("Our model largely follows [62], which uses 6 layers.", "num_layers"),  # a cited work's size
    # a header's wrapped second line ("11 weight / layers") over a line that is no row of numbers
    ("ConvNet Configuration\nA B C D E F\n11 weight 11 weight 13 weight 16 weight 16 weight 19 weight\n"
     "layers layers layers layers layers layers\ninput (224 × 224 RGB image)\n", "num_layers"),
    ("It reaches a similar error as a 101-layer ResNet with more parameters.", "num_layers"),  # a compared model
    ("Stacking layers with k = 3 widens the receptive field.", "num_layers"),  # the kernel's symbol, not a count
    ("Averaging all layers λ=1 improves accuracy over using the last layer.", "num_layers"),  # a weight's symbol
    ("The network has layers of 32 and 64 channels.", "num_layers"),  # a list of channel counts, all of it
    ("The gradient size is for sequence length 512 and is estimated only for the adapters.", "seq_len"),
])
def test_sizes_of_other_things_are_not_the_model_s(text, name):
    spec = extract_spec(_paper(text))
    assert name not in spec.architecture.sizes and spec.hyperparameter(name) is None


@pytest.mark.parametrize("text, name, value", [
    # what is usual, not what this paper does
    ("In such networks the hidden layer typically has 200 to 400 units.", "hidden_size", 400),
    # a finding over an ablation's sizes: the variants compared, not the model
    ("The test error falls with the increased network depth, from 8 layers in model P to 22 layers in model S.",
     "num_layers", 22),
    ("Encoders keep improving with more layers, while decoders with three layers are already good.", "num_layers", 3),
    # a bound, and a division's divisor
    ("We also explore much longer schedules (up to 4000 epochs) for the small model.", "epochs", 4000),
    ("Each half is a stack of L/4 layers each in the encoder and decoder.", "num_layers", 4),
    # a part of the network, not the network
    ("A gated residual unit is made up of three layers: a projection, a gate and an output.", "num_layers", 3),
    ("Each block contains two layers with a skip connection.", "num_layers", 2),
    # a bare symbol where the text is about one layer, in a worked example of its cost
    ("Cost for a single layer with K = 5, C = 256, N = 128, S = 28.", "num_layers", 128),
    # widths of some of the layers, and the width of a feed-forward block
    ("The network uses 256 units in the first six layers and 640 units in the last two layers.", "hidden_size", 640),
    ("The top three layers have 1536 units each.", "hidden_size", 1536),
    ("Hidden size 512\nFFN inner hidden size 2048\n", "hidden_size", 2048),
    # another quantity's value, of which layers are the owner
    ("The filter width for layers in the decoder is 7.", "num_layers", 7),
    # a figure's caption that runs over several sentences: what the figure plots
    ("Figure 2. Error against width\n. Every point is one model. The smallest network has 14\nlayers "
     "and the largest has 50 layers.\nWe train all models alike.", "num_layers", 50),
    # a results table's column header over its first row of numbers
    ("Table 5. Error by depth.\nFilter size Decoder layers\n2 4 8\n3 25.1 24.8 24.6\n", "num_layers", 2),
])
def test_values_that_are_not_this_model_s_training_setting(text, name, value):
    spec = extract_spec(_paper(text))
    found = [h.value for h in spec.hyperparameters if h.name == name]
    found += [q.value for sizes in spec.architecture.per_setting.values() for n, q in sizes.items() if n == name]
    assert not any(v == value or (isinstance(v, list) and value in v) for v in found), found


@pytest.mark.parametrize("text, name, value", [
    ("As is well known, larger models need more regularization, so we raise the dropout rate to 0.3.", "dropout", 0.3),
    ("Every other sublayer has a dimensionality of dmodel = 640.", "hidden_size", 640),
    ("Our network has 24 layers in total.", "num_layers", 24),
    ("The encoder is a stack of N = 8 identical layers.", "num_layers", 8),
])
def test_what_those_guards_leave_alone(text, name, value):
    spec = extract_spec(_paper(text))
    got = spec.architecture.sizes[name].value if name in spec.architecture.sizes else spec.hyperparameter(name).value
    assert got == value


def test_an_improvement_is_not_an_accuracy():
    assert extract_spec(_paper("Our method outperforms the baseline by 2.1% accuracy.")).metrics[0].value is None


@pytest.mark.parametrize("text, metrics", [
    ("As the nonlinearity we use the Gaussian Error Linear Unit (GELU) in every block.", []),
    ("The Gaussian Error Linear Unit, or GELU, replaces the ReLU.", []),
    ("Our regressor minimises the Root Mean Square Error (RMSE) of the predictions.", []),
    ("A Residual Error Correction Module is added after each stage.", []),
    # a metric is still one where the text reports it, capitalised or not
    ("Error rates on the test set are given in Table 2.", ["error"]),
    ("We report the test error of each model.", ["error"]),
    ("Table 3: Top-1 Error and Params of the models.", ["top-1 error", "error"]),
])
def test_a_metric_word_inside_a_name_is_not_a_metric(text, metrics):
    assert [m.name for m in extract_spec(_paper(text)).metrics] == metrics


def test_what_a_guarded_sentence_still_gives():
    """The guards above drop the example's number, not the sentence's training values."""
    spec = extract_spec(_paper("Models are trained for 500 epochs or until validation F1 does not improve for 200 "
                               "epochs. We use RMSProp with momentum 0.9; batch norm momentum 0.99."))
    assert spec.hyperparameter("epochs").value == 500 and spec.hyperparameter("momentum").value == 0.9


def test_the_learning_rate_is_not_the_number_of_times_it_was_decreased():
    spec = extract_spec(_paper("In total, the learning rate was decreased 3 times."))
    assert spec.hyperparameter("learning_rate") is None


def test_references_are_not_read_as_facts():
    spec = extract_spec(_paper("We train with SGD and a learning rate of 0.1.",
                               "References\n[1] D. Kingma, J. Ba. Adam: a method for stochastic optimization.\n"
                               "[2] T. Chen et al.\nA Simple Framework for Contrastive Learning\n"
                               "[3] A learning rate of 0.5 is used in X.",
                               "A TRAINING DETAILS\nWe use a batch size of 32."))
    values = {h.name: h.value for h in spec.hyperparameters}
    assert values["optimizer"] == "sgd" and values["learning_rate"] == 0.1 and values["batch_size"] == 32


def test_values_whose_quote_is_not_in_the_paper_are_dropped():
    paper = _paper("We train for 5 epochs.")
    spec = extract_spec(paper)
    invented = Hyperparameter(name="learning_rate", value=0.1, source=SourceRef(page=1, quote="a learning rate of 0.1"))
    wrong_page = Hyperparameter(name="seed", value=1, source=SourceRef(page=2, quote="We train for 5 epochs."))
    spec.hyperparameters += [invented, wrong_page]
    spec = validate_quotes(paper, spec)
    assert [h.name for h in spec.hyperparameters] == ["epochs"]
    assert sum("dropped" in w for w in spec.warnings) == 2


def test_quotes_stop_at_headings():
    text = PageText("3 Model\nThe model has 128 hidden units and is trained with the cross-entropy loss of the labels.\n"
                    "4 Training\nWe train for 10 epochs, which is a long and detailed prose sentence of typical width.")
    start = text.text.index("10 epochs")
    assert text.quote(start, start + 9) == "We train for 10 epochs, which is a long and detailed prose sentence of typical width."


def test_task_file_spec_quotes_its_own_lines():
    paper = read_source(SAMPLE_TASK)
    spec = extract_spec(paper)
    assert spec.extractor == "task-file"
    assert spec.task_type.value == "image-classification"
    assert spec.hyperparameter("learning_rate").value == 0.001
    assert spec.hyperparameter("learning_rate").source.quote == "learning_rate: 0.001"
    assert spec.architecture.sizes["conv_channels"].value == [32, 64]
    assert spec.datasets[0].resolved == "digits"
    assert spec.warnings == []


@pytest.mark.parametrize("text, task", [
    # zero-shot evaluation of a language model is causal LM, though the benchmarks it reports are classification ones
    ("We train a language model on WebText and evaluate it zero-shot. In the zero-shot setting it reaches a lower "
     "perplexity than prior work, and bits per byte of 0.93. It also answers reading comprehension questions.",
     "causal-lm"),
    # a language model trained on a corpus and evaluated zero-shot, whatever downstream tasks its evaluation lists
    ("We train a 1.5B parameter language model on a new corpus of web pages and evaluate it zero-shot on reading "
     "comprehension, natural language inference, machine translation and summarization. The model is never "
     "fine-tuned on these tasks. On GLUE-style text classification it transfers without any parameter update.",
     "causal-lm"),
    # a paper whose contribution is word vectors that others train on: no task family of its own
    ("We propose two architectures for computing continuous vector representations of words. The word vectors are "
     "evaluated on a word similarity task and improve sentiment classification.", "other"),
    ("We pre-train a deep bidirectional encoder and fine-tune it on GLUE for natural language inference and "
     "sentiment classification.", "text-classification"),
    # tasks no recipe trains are named, so the plan can say what is missing
    ("We train a generative adversarial network on CelebA; the generator and the discriminator are trained in turn "
     "and the samples are scored by FID.", "image-generation"),
    ("We train an agent with deep reinforcement learning on Atari games, maximising the return.",
     "reinforcement-learning"),
    # a task named among a network's applications does not outvote the task its main experiment trains
    ("We train a small network for image classification on ImageNet and report its image classification accuracy. "
     "We then show its use in object detection and object detection on COCO.", "image-classification"),
    # reinforcement learning from human feedback fine-tunes a language model
    ("We fine-tune language models with reinforcement learning from human feedback after instruction tuning on "
     "demonstrations.", "causal-lm-finetuning"),
    # more names of the same tasks: image or object recognition, sentiment analysis, paraphrase detection; and
    # extractive question answering, which no recipe trains (named, so the plan says so)
    ("We propose a new architecture for image recognition and evaluate it on ImageNet.", "image-classification"),
    ("We evaluate on sentiment analysis (SST-2) and paraphrase detection (MRPC).", "text-classification"),
    ("We fine-tune a pretrained encoder for extractive question answering on SQuAD.", "question-answering"),
    # a pretrained causal LM named as what is fine-tuned, though it reports perplexity
    ("We fine-tune GPT-2 medium on WikiText-103 and report perplexity.", "causal-lm-finetuning"),
    # more tasks no recipe trains, named so the plan says so: graphs, time series, recommendation, RL by its benchmarks
    ("We introduce graph attention networks for node classification on citation networks.", "node-classification"),
    ("We propose a Transformer for long sequence time-series forecasting on electricity data.",
     "time-series-forecasting"),
    ("We propose neural collaborative filtering for top-K item recommendation with implicit feedback.",
     "recommendation"),
    ("We learn to play Atari 2600 games from raw pixels with deep Q-networks.", "reinforcement-learning"),
    # "we recommend" is no recommendation task
    ("We train a ResNet for image classification on CIFAR-10. We recommend a batch size of 128.",
     "image-classification"),
    # a contrastive image paper's "unsupervised pretraining" is no language model's (a language model's still is)
    ("Most of our study for unsupervised pretraining (learning encoder network f without labels) is done using the "
     "ImageNet ILSVRC-2012 dataset. We report linear evaluation accuracy for image classification on ImageNet.",
     "image-classification"),
    ("We use unsupervised pre-training of a language model on BooksCorpus.", "causal-lm"),
])
def test_task_is_what_the_main_experiment_trains(text, task):
    assert extract_spec(_paper(text)).task_type.value == task


@pytest.mark.parametrize("text, name", [
    ("We finetune on OASST1 and HH-RLHF, and evaluate on the Vicuna benchmark.", "OASST1"),
    ("We finetune on OASST1 and HH-RLHF, and evaluate on the Vicuna benchmark.", "HH-RLHF"),
    ("We finetune on OASST1 and HH-RLHF, and evaluate on the Vicuna benchmark.", "Vicuna"),
    ("The LAMBADA dataset (Paperno et al., 2016) tests long-range dependencies.", "LAMBADA"),  # its own citation
    ("We report results on the test set of RACE, a reading comprehension task.", "RACE"),
    ("Table 3: Zero-shot results.\nModel PTB WikiText-2 enwik8 text8 Wikitext-103 1BW\nOurs 35.8 18.3 0.93 0.98 17.5 42.2\n",
     "enwik8"),  # a results table whose columns are data sets, two of them known
    ("We train on the Quux Word Benchmark, which is used by many language models.", "Quux Word Benchmark"),  # ours too
    # the task it poses between the name and the noun: the whole name, which a two-letter acronym needs
    ("The data set is provided by the EM segmentation challenge [14] that was started in 2012.",
     "EM segmentation challenge"),
    ("We also fine-tune on the Quux reading comprehension benchmark.", "Quux reading comprehension benchmark"),
])
def test_data_sets_outside_the_registry_are_found_where_the_paper_uses_them(text, name):
    spec = extract_spec(_paper(text))
    assert name in [d.name for d in spec.datasets] and all(d.source.quote in text.replace("\n", " ")
                                                           for d in spec.datasets)


@pytest.mark.parametrize("text", [
    "Smith et al. (2019) trained a similar model on the FooBar corpus.",  # other work's data
    "We train on 8 V100 GPUs for 3 days.",  # hardware, not data
    "Table 9: Training details.\nParameters Dataset Batch size LR\n7B All 16 2e-4\n",  # a table's header
    "We compare with an RNN trained on the same data.",
    # named as an example of what exists, in a sentence about others
    "Recently, several benchmarks have been proposed such as GLUE (Wang et al., 2018) to study this.",
    "This metric is commonly used on reading comprehension datasets like SQuAD.",
    "For instance CIFAR-10 has 3.3% overlap between train and test images (Barz & Denzler, 2019).",
    "Summaries are scored with ROUGE-1-F and ROUGE-L-F on the test set.",  # metrics, not data
    "In future work, we plan to investigate fine-tuning on benchmarks such as GLUE.",  # not done here
    # described as what another work uses
    "An alternative dataset, the Quux Word Benchmark, which is used by a similar approach [44], is the same size.",
    "The ImageNet data set, which was used in earlier work (Smith, 2015), holds natural images.",
    # what another model was trained on, in a clause about it, though the sentence goes on about ours
    "Unlike BERT, which was trained on BooksCorpus and English Wikipedia [5], our model learns from raw pixels.",
    # a contrast with a data set; other work the subject of the clause, though ours follows it
    "Unlike ImageNet, our dataset contains only 5,000 images.",
    "Prior work has reported strong results on FooBench and BarQA; we instead study a new problem.",
])
def test_mentions_that_are_not_uses_name_no_data_set(text):
    assert [d.name for d in extract_spec(_paper(text)).datasets] == []


@pytest.mark.parametrize("text, names", [
    # a list introduced by what its items are, or by the use they are put to
    ("We compare the models on three tagging tasks: Penn TreeBank (PTB) POS tagging, CoNLL 2000 chunking, and "
     "CoNLL 2003 NER.", {"CoNLL 2000"}),
    ("We also fine-tune on several public benchmarks: Flowers-102, Stanford Dogs and iNaturalist-17/18.",
     {"Flowers-102", "Stanford Dogs", "iNaturalist-17", "iNaturalist-18"}),
    ("In addition, we include Alpha5 (12GB text) [26], WebCorp 2019 (extended from [5]), and Common Crawl [6] for "
     "pretraining.", {"Alpha5", "WebCorp", "Common Crawl"}),
    # a quoted name, a split of a data set, results over a list
    ("(c) an input image of the \u201cPhX-U9\u201d data set.", {"PhX-U9"}),
    ("Performance shown is the average on the FooBench dev set.", {"FooBench"}),
    ("Answers our model generated on the development set of Quux Questions are shown.", {"Quux Questions"}),
    ("Our model outperforms the baseline by a large margin on AlphaQA, BetaQA, and GammaQA.",
     {"AlphaQA", "BetaQA", "GammaQA"}),
    # a list introduced by "datasets, including", in a sentence about what we do; prior work followed is ours
    ("We evaluate zero-shot transfer on 12 datasets, including Flowers-102, Stanford Dogs and Foo Cars.",
     {"Flowers-102", "Stanford Dogs", "Foo Cars"}),
    ("Following prior work [12], we evaluate on FooBench.", {"FooBench"}),
    # the rows of a table of data sets: a baseline's row is none, a citation is left out, a short name in
    # parentheses is the data set a model was trained on
    ("Table 2: Data used.\nDataset n m Task\nAcme 10 M 42 Claims\nFoo Bar 2.5 B 7 Clicks\nLLaMA no tuning 35.1 46.9\n"
     "Zed-Set (Doe et al., 2020) 1,000 10\nQuokka (OASST9) 36.6 46.4\n", {"Acme", "Foo Bar", "Zed-Set", "OASST9"}),
])
def test_data_sets_named_in_lists_and_tables(text, names):
    assert {d.name for d in extract_spec(_paper(text)).datasets} >= names


@pytest.mark.parametrize("text, names", [
    # a list of names before a plural data-set noun, or in brackets after one: each, in the order the page names them
    ("We use the Cora, Citeseer and Pubmed datasets.", ["Cora", "Citeseer", "Pubmed"]),
    ("We evaluate on the Cora, Citeseer and Pubmed citation network datasets.", ["Cora", "Citeseer", "Pubmed"]),
    ("Experiments on the MovieLens-1M and Pinterest datasets show consistent gains.", ["MovieLens-1M", "Pinterest"]),
    ("We evaluate on four benchmark datasets (Cora, Citeseer, Pubmed and Arxiv-Year).",
     ["Cora", "Citeseer", "Pubmed", "Arxiv-Year"]),
    # a bracket of citations is no list of data; a checkpoint's own training data is not this paper's
    ("This produced a wide landscape of unlabeled data sets (Yang et al., 2019; Liu et al., 2019c).", []),
    ("The reward model was initialized from a model that was fine-tuned on a variety of public NLP datasets (Foo, "
     "BarQA, and Baz).", []),
    # a name in apposition to its noun; a capitalised article after "on" is the name's own
    ("We collect a new dataset, FooBar-1M, of one million images and train on it.", ["FooBar-1M"]),
    ("We pre-train on The Pile and evaluate on LAMBADA.", ["The Pile", "LAMBADA"]),
    ("We use the dataset, which holds 1M images, for training.", []),
])
def test_data_sets_listed_before_or_after_their_noun(text, names):
    assert [d.name for d in extract_spec(_paper(text)).datasets] == names


@pytest.mark.parametrize("text, pair", [
    ("Our main result is that on an English to French translation task from the WMT'14 dataset, our model wins.",
     "en-fr"),
    ("We report BLEU on WMT14 En→De and on WMT14 En→Fr.", "en-de"),  # the first named with the data set
    ("We train on WMT 2014. Results for German–English are in Table 2, and German–English again in Table 3; "
     "English-French is in Table 4.", "de-en"),  # no pair in the data set's sentence: the one named most
    ("We train on WMT 2014 with a batch size of 64.", None),
])
def test_a_translation_data_set_has_the_language_pair_the_paper_translates(text, pair):
    """The pair is what a WMT data set's config is chosen by; it is no data set of its own."""
    spec = extract_spec(_paper(text))
    wmt = next(d for d in spec.datasets if d.resolved == "wmt14")
    assert (wmt.pair.value if wmt.pair else None) == pair
    assert [d.name for d in spec.datasets] == [wmt.name]
    if pair:
        assert wmt.pair.source.quote in text


@pytest.mark.parametrize("text, name", [
    # thanks and who did what, cut like the references (a numbered references heading too)
    ("4 Experiments\nWe train on the Alpha-7 corpus.\nAcknowledgements\nWe thank the team behind the Beta-3 dataset.\n",
     "Beta-3"),
    ("We train on the Alpha-7 corpus.\n8. REFERENCES\n[1] A. Person. The Gamma-2 Challenge Overview. 2011.\n", "Gamma-2"),
    # what another data set is drawn from, and the parts a data set is made of
    ("The Zeta-5 task consists of newswire from the Omega-9 corpus tagged with four entity types.", "Omega-9"),
    ("Chip9 is part of the Delta-2 dataset.", "Delta-2"),
    ("WMT'99 contains the following parallel corpora: Europarl-X (61M words), news (5.5M) and UN (421M).", "Europarl-X"),
    # named as what others use, or as what another paper reports
    ("It asks more reasoning questions than other datasets like FooQA [19] or BarQA [47], which suits our model.",
     "BarQA"),
    ("The Kappa-7 paper itself reports that zero-shot accuracy on FooQA and BarQA drops with scale.", "BarQA"),
    # a list of subjects a benchmark's tasks cover is no list of data sets
    ("We use a multiple-choice benchmark covering 57 tasks including elementary mathematics, US history, and law.",
     "US"),
    ("Reported results are from the Sigma-4 benchmark paper (Doe et al., 2021), though we do not report them.", "Sigma-4"),
    # a results table whose rows are models, though its first column is headed "Dataset"
    ("Table 4\nDataset GLUE (Acc.) Other (RougeL)\nModel RoBERTa-large T5-80M\nBF16 88.6 40.1\nBF16 Q8 88.8 40.3\n",
     "BF16"),
])
def test_what_lists_and_tables_do_not_make_a_data_set(text, name):
    assert name not in [d.name for d in extract_spec(_paper(text)).datasets]


def test_this_paper_is_not_another_paper():
    spec = extract_spec(_paper("This paper reports results on the FooBench dev set."))
    assert [d.name for d in spec.datasets] == ["FooBench"]


def test_a_paper_s_short_name_and_a_longer_name_of_one_data_set_are_one_data_set():
    spec = extract_spec(_paper("CIFAR-10 (C10) has ten classes. Our results on C10 are strong."))
    assert [d.resolved for d in spec.datasets] == ["cifar10"] and len(spec.datasets) == 1
    spec = extract_spec(_paper("4.5 Acme Research Sentence Challenge\nThe Acme Sentence Challenge is a benchmark we "
                               "evaluate on."))
    assert len(spec.datasets) == 1


@pytest.mark.parametrize("text, keys", [
    # a bare name of a numbered data set, followed by another edition's number, is that other edition
    ("We perform experiments on data from the shared translation task of WMT 2015.", []),
    ("We evaluate on CIFAR 100 and report accuracy.", ["cifar100"]),
    # the numbered names however the hyphen or apostrophe is set
    ("We evaluate on CIFAR 10 and report accuracy.", ["cifar10"]),
    ("We outperform it on both WMT’14 English-German and WMT’16 English-Romanian.", ["wmt14", "wmt16"]),
    ("We train on Imagenet1k for 300 epochs.", ["imagenet"]),
])
def test_a_data_set_s_edition_is_the_one_its_number_says(text, keys):
    assert [d.resolved for d in extract_spec(_paper(text)).datasets] == keys


def test_a_data_set_spelled_out_with_its_abbreviation_is_one_data_set():
    spec = extract_spec(_paper("The Conversation Question Answering dataset (CoQA) consists of documents. We evaluate "
                               "on CoQA."))
    assert [d.name for d in spec.datasets] == ["CoQA"]


def test_a_name_two_data_sets_share_is_the_one_its_short_name_in_parentheses_says():
    spec = extract_spec(_paper("We evaluate on the Stanford Sentiment Treebank (SST-5; Socher et al., 2013), a "
                               "five-way sentiment task."))
    assert [d.resolved for d in spec.datasets] == ["sst5"]
    spec = extract_spec(_paper("We fine-tune on the Stanford Sentiment Treebank and report accuracy."))
    assert [d.resolved for d in spec.datasets] == ["sst2"]  # (no short name: the binary task GLUE holds)


@pytest.mark.parametrize("text, keys", [
    # a registry name inside another's longer one is that one only
    ("We train on Fashion MNIST.", ["fashion_mnist"]),
    ("We fine-tune on SQuAD 2.0 and report F1.", ["squad_v2"]),
    ("We train on Tiny ImageNet.", ["tiny_imagenet"]),
    ("We train on ImageNet and then on Tiny ImageNet.", ["imagenet", "tiny_imagenet"]),  # (each named apart)
    # short names papers write
    ("We train a tagger on CoNLL03.", ["conll2003"]),
    ("We fine-tune on CNN/DM and report ROUGE.", ["cnn_dailymail"]),
])
def test_registry_data_sets_by_the_names_papers_write(text, keys):
    assert [d.resolved for d in extract_spec(_paper(text)).datasets] == keys


def test_an_example_in_a_sentence_of_ours_is_a_use():
    spec = extract_spec(_paper("We fine-tune on benchmarks such as GLUE and report the accuracy."))
    assert [d.resolved for d in spec.datasets] == ["glue"]


@pytest.mark.parametrize("text, values", [
    # milestones as fractions of training, as epochs, as iterations; a period; a stated factor either way round
    ("Our learning rate starts at 0.05 and is divided by 5 at 30% and 60% of the total number of training iterations.",
     {"lr_decay_factor": 0.2, "lr_milestones": [0.3, 0.6], "lr_milestone_unit": "fraction"}),
    ("The LR is decayed by a factor of 10 at 50% and 75% of training.",
     {"lr_decay_factor": 0.1, "lr_milestones": [0.5, 0.75], "lr_milestone_unit": "fraction"}),
    ("We train for 164 epochs, starting with a learning rate of 0.1 and dividing it by 10 at 81 and 122 epochs.",
     {"lr_decay_factor": 0.1, "lr_milestones": [81, 122], "lr_milestone_unit": "epochs"}),  # (the verb's -ing form)
    ("The learning rate starts at 0.1 and is lowered by 10 times at epoch 30 and 60.",
     {"lr_decay_factor": 0.1, "lr_milestones": [30, 60], "lr_milestone_unit": "epochs"}),
    ("We start with a learning rate of 0.1, divide it by 10 at 32k and 48k iterations, and terminate training at 64k "
     "iterations.", {"lr_milestones": [32000, 48000], "lr_milestone_unit": "steps", "max_steps": 64000}),
    ("The learning rate is multiplied by 0.2 at epochs 60, 120 and 160.",
     {"lr_decay_factor": 0.2, "lr_milestones": [60, 120, 160], "lr_milestone_unit": "epochs"}),
    # the factor in the verb: halved, every period or at points
    ("The initial learning rate was 0.1 and was halved every 10 epochs.",
     {"learning_rate": 0.1, "lr_decay_factor": 0.5, "lr_step_size": 10, "lr_milestone_unit": "epochs"}),
    ("We halve the learning rate at epochs 30 and 60.",
     {"lr_decay_factor": 0.5, "lr_milestones": [30, 60], "lr_milestone_unit": "epochs"}),
    # "by half", when a figure on the development set stops rising: on plateau
    ("We use an initial learning rate of 0.0004, decreasing by half each time accuracy on the development set did not "
     "increase.", {"learning_rate": 0.0004, "lr_decay_factor": 0.5, "lr_schedule": "plateau"}),
    # the period first and the factor as an exponential rate, or the rate, then the period
    ("We used a learning rate of 0.045, decayed every two epochs using an exponential rate of 0.94.",
     {"lr_decay_factor": 0.94, "lr_step_size": 2, "lr_milestone_unit": "epochs"}),
    ("The learning rate decays at an exponential rate of 0.97 every 2.4 epochs.",
     {"lr_decay_factor": 0.97, "lr_step_size": 2.4, "lr_milestone_unit": "epochs"}),
    ("Our learning rate of 0.256 decays by 0.97 every 2.4 epochs.",
     {"lr_decay_factor": 0.97, "lr_step_size": 2.4, "lr_milestone_unit": "epochs"}),
    # the factor bare after the verb, the period in thousands
    ("We use a learning rate of 0.02, decayed 0.95 every 0.5k iterations, and train for 130k iterations.",
     {"lr_decay_factor": 0.95, "lr_step_size": 500, "lr_milestone_unit": "steps", "max_steps": 130_000}),
    ("The learning rate is decayed exponentially with a factor of 0.96 every 2 epochs.",
     {"lr_decay_factor": 0.96, "lr_step_size": 2, "lr_milestone_unit": "epochs", "lr_schedule": "exponential"}),
    # reduced when a validation figure stops improving: a schedule of its own (reduce on plateau)
    ("Once the validation loss stops improving, we reduce the learning rate by an order of magnitude.",
     {"lr_decay_factor": 0.1, "lr_schedule": "plateau"}),
    # stage by stage: the first stage's rate, the one factor each stage divides by, the points where the stages end
    ("The learning rate is 0.1 for the first 150 epochs, 0.01 for the next 75 epochs and 0.001 for the last 75 epochs.",
     {"learning_rate": 0.1, "lr_decay_factor": 0.1, "lr_milestones": [150, 225], "lr_milestone_unit": "epochs",
      "epochs": 300}),
    ("We slowly raise the learning rate to 10−2. We continue training with 10−2 for 75 epochs, then 10−3 for 30 epochs, "
     "and finally 10−4 for 30 epochs.", {"lr_decay_factor": 0.1, "lr_milestones": [75, 105], "epochs": 135}),
    ("We train with a learning rate of 0.01 for 20k steps, then 0.005 for 10k steps.",
     {"learning_rate": 0.01, "lr_decay_factor": 0.5, "lr_milestones": [20000], "lr_milestone_unit": "steps"}),
])
def test_step_schedules_as_papers_state_them(text, values):
    spec = extract_spec(_paper(text))
    for name, value in values.items():
        hp = spec.hyperparameter(name)
        assert hp is not None and hp.value == pytest.approx(value) if not isinstance(value, str) else hp.value == value, \
            (name, [(h.name, h.value) for h in spec.hyperparameters])
        assert hp.source.quote in text


@pytest.mark.parametrize("text, name", [
    ("Our method reduces the memory by 10 times at 50% of the cost, with a learning rate of 0.1.", "lr_decay_factor"),
    ("The learning rate is divided by 10 at 30 and 60.", "lr_milestones"),  # 30 and 60 of what: not said
    # stages whose rates do not fall by one factor: no step schedule (the rate and the length stand)
    ("The learning rate is 0.1 for the first 100 epochs, 0.05 for the next 50 epochs and 0.001 for the last 50.",
     "lr_decay_factor"),
    # stages in a sentence that is not about the learning rate, nor after one: none of it
    ("We use a dropout of 0.3 for 10 epochs, then 0.1 for 20 epochs.", "lr_milestones"),
    # something else halved; one model's rate halved against another's: no decay
    ("The batch size is halved every 10 epochs, and the learning rate is 0.1.", "lr_decay_factor"),
    ("We halve the learning rate for the 33B and 65B models while doubling the batch size.", "lr_decay_factor"),
    ("To keep the model small, we halved all embedding and hidden dimensions; the learning rate is 0.1.",
     "lr_decay_factor"),
])
def test_what_is_not_a_step_schedule(text, name):
    assert extract_spec(_paper(text)).hyperparameter(name) is None


def test_a_schedule_sentence_belongs_to_the_data_set_the_sentence_before_opens_with():
    spec = extract_spec(_paper("On CIFAR-10 we train for 300 epochs. The learning rate is divided by 10 at 50% and 75% "
                               "of training. On ImageNet, we train for 90 epochs. The learning rate is lowered by 10 "
                               "times at epoch 30 and 60."))
    assert spec.hyperparameter("lr_milestones", "cifar10").value == [0.5, 0.75]
    assert spec.hyperparameter("lr_milestones", "imagenet").value == [30, 60]
    assert spec.hyperparameter("lr_milestone_unit", "imagenet").value == "epochs"


@pytest.mark.parametrize("text, settings", [
    # a schedule in a sentence a data set outside the registry opens, or one naming a model size: theirs, as the rate's
    ("For Flowers-102, we use a learning rate of 0.12 which is exponentially decayed by 0.9× after every 62.5k "
     "iterations.", {("learning_rate", "Flowers-102"): 0.12, ("lr_decay_factor", "Flowers-102"): 0.9}),
    ("For the 7B model, the learning rate is divided by 10 at 100k and 150k steps.",
     {("lr_decay_factor", "7B"): 0.1, ("lr_milestones", "7B"): [100_000, 150_000], ("lr_milestone_unit", "7B"): "steps"}),
])
def test_a_schedule_belongs_to_the_setting_its_sentence_names(text, settings):
    assert _by_setting(extract_spec(_paper(text))) == settings


@pytest.mark.parametrize("text, values", [
    ("We grow every ensemble with a common setting of maximum depth equals 6, shrinkage equals 0.05.",
     {"max_depth": 6, "learning_rate": 0.05}),
    ("Table 2: Training time of the boosting methods with 300 trees on the full data.", {"max_steps": 300}),
    ("The models are trained for 2,000 boosting rounds with a tree depth of 4.", {"max_steps": 2000, "max_depth": 4}),
    # a boosting library's own parameter names
    ("We set eta = 0.1, max_depth = 6 and num_round = 500.", {"learning_rate": 0.1, "max_depth": 6, "max_steps": 500}),
    ("We use n_estimators=1000 and learning_rate=0.05.", {"max_steps": 1000, "learning_rate": 0.05}),
])
def test_boosted_trees_as_papers_state_them(text, values):
    """A tree a round: the trees (boosting rounds) are the loop's steps, the shrinkage its rate."""
    spec = extract_spec(_paper(text))
    assert {n: spec.hyperparameter(n).value if spec.hyperparameter(n) else None for n in values} == values


@pytest.mark.parametrize("text, family", [
    ("GBoost: Scalable Gradient Tree Boosting\nWe describe a tree boosting system.", "gbdt"),
    ("We compare boosted decision trees (LightGBM) on the same tables.", "gbdt"),
    ("We train a multilayer perceptron on every table.", "mlp"),
])
def test_the_model_family_of_a_tables_paper(text, family):
    assert extract_spec(_paper(text)).architecture.family.value == family


@pytest.mark.parametrize("text, nesterov", [
    ("We use a weight decay of 0.0001 and a Nesterov momentum of 0.9.", True),
    ("We train our models with Nesterov's accelerated gradient method and a momentum of 0.99.", True),
    ("Nesterov momentum is a common variant of momentum.", False),  # what it is, not what we train with
    ("We train with SGD without momentum; Nesterov momentum is left for future work.", False),
])
def test_nesterov_momentum(text, nesterov):
    spec = extract_spec(_paper(text))
    assert (spec.hyperparameter("nesterov") is not None) is nesterov
    if "accelerated gradient" in text:  # Nesterov's accelerated gradient method is SGD (the planner: sgd for both)
        assert spec.hyperparameter("optimizer").value == "sgd"


@pytest.mark.parametrize("text, values", [
    ("We follow the simple data augmentation: 4 pixels are padded on each side, and a 32×32 crop is randomly sampled "
     "from the padded image or its horizontal flip.", {"crop_padding": 4, "crop_size": 32, "horizontal_flip": True}),
    ("Training images are augmented with random crops with 4 pixels of padding and horizontally flipped at random.",
     {"crop_padding": 4, "horizontal_flip": True}),
    ("We adopt a standard data augmentation scheme (mirroring/shifting).", {"horizontal_flip": True}),
    ("For scale augmentation, the image is resized with its shorter side randomly sampled in [256, 480]. A 224×224 crop "
     "is randomly sampled from it.", {"scale_augment": [256, 480], "crop_size": 224}),
    ("Scale jittering at training time (S ∈ [256; 512]) helps.", {"scale_augment": [256, 512]}),
    # the crop is the size nearest the crop word, not the size the image is resized to, wherever the sentence ends
    ("Images are resized to 256×256 and randomly cropped to 224×224.", {"crop_size": 224}),
    ("Each image is rescaled to 256x256 and a random 227x227 crop is used for training.", {"crop_size": 227}),
])
def test_augmentation_as_papers_state_it(text, values):
    spec = extract_spec(_paper(text))
    for name, value in values.items():
        hp = spec.hyperparameter(name)
        assert hp is not None and hp.value == value and hp.source.quote in text, name


@pytest.mark.parametrize("text", [
    "We also augment the test set by horizontal flipping of the images.",  # test-time augmentation
    "We apply a single-crop with size 224×224 at test time.",
    "The convolution pads each feature map with 1 pixel of padding.",  # a layer's padding, no crop
    "Missing input data at the border is extrapolated by mirroring.",  # a border's extension, no augmentation
])
def test_augmentation_at_test_time_or_in_layers_is_not_training_augmentation(text):
    spec = extract_spec(_paper(text))
    assert not [h for h in spec.hyperparameters if h.name in ("horizontal_flip", "crop_size", "crop_padding")]


def _stated(spec) -> dict:
    """Each name's value as the spec states it: hyperparameters, then architecture sizes."""
    values = {h.name: h.value for h in spec.hyperparameters if h.name not in ("optimizer", "lr_schedule")}
    return {**values, **{k: q.value for k, q in spec.architecture.sizes.items()}}


@pytest.mark.parametrize("text, values", [
    # the warm-up's verb in its -ing form, the rate between it and the fraction
    ("We optimize with Adam, warming up the learning rate for the first 8% of updates to a peak of 5 × 10−4.",
     {"warmup_ratio": 0.08, "learning_rate": 5e-4}),
    # "trained for up to N": the training's length (with early stopping), a power of ten as typed, a count
    ("The models are trained for up to 60 × 10^4 iterations with a mini-batch size of 256.",
     {"max_steps": 600_000, "batch_size": 256}),
    # a depth as a word before "-layer"
    ("We use a three-layer LSTM model with 1150 units in the hidden layer.", {"num_layers": 3, "hidden_size": 1150}),
    ("The encoder is a single-layer bidirectional LSTM.", {"num_layers": 1}),
    # the feed-forward block's width: its own field, never the model's width
    ("For the position-wise feed-forward networks, we used 3072 dimensional inner states.",
     {"intermediate_size": 3072}),
    ("The model has dmodel = 512, and the inner-layer has dimensionality dff = 2048.",
     {"hidden_size": 512, "intermediate_size": 2048}),
    ("We use dmodel = 512, dff = 2,048, 8-headed attention, and only 6 layers each in the encoder and decoder.",
     {"hidden_size": 512, "intermediate_size": 2048, "num_heads": 8, "num_layers": 6}),  # (not a list "2,048, 8")
    ("Hyperparam Value\nFFN inner hidden size 4096\nHidden size 1024\n", {"intermediate_size": 4096, "hidden_size": 1024}),
    # a patch's side, and layers' width
    ("Images are split into patches of size 16 × 16, and the encoder has 12 layers of width 768.",
     {"patch_size": 16, "num_layers": 12, "hidden_size": 768}),
    ("The stem splits the image into non-overlapping 4×4 patches.", {"patch_size": 4}),
    ("We use a patch size of 14 for the huge model's inputs.", {"patch_size": 14}),
    # values with their names in brackets after them, code-style names, Adam's betas as a pair, a clipping's norm
    ("We used: 0.5 (dropout rate), 5 · 10−4 (L2 regularization) and 16 (number of hidden units).",
     {"dropout": 0.5, "weight_decay": 5e-4, "hidden_size": 16}),
    ("We set lr=3e-4, batch_size=64, weight_decay=0.01 and num_epochs=3.",
     {"learning_rate": 3e-4, "batch_size": 64, "weight_decay": 0.01, "epochs": 3}),
    ("We use Adam with betas (0.9, 0.98) and epsilon 1e-6.", {"adam_beta1": 0.9, "adam_beta2": 0.98,
                                                             "adam_epsilon": 1e-6}),
    ("We use an AdamW optimizer with (β1, β2) set to (0.9, 0.95), and weight decay of 0.1.",
     {"adam_beta1": 0.9, "adam_beta2": 0.95, "weight_decay": 0.1}),
    ("We optimise with AdamW (lr 2e-4, weight decay 0.05, betas 0.9/0.95).",
     {"learning_rate": 2e-4, "weight_decay": 0.05, "adam_beta1": 0.9, "adam_beta2": 0.95}),
    # a table's rows of a network's widths and the share of training a ramp warms up
    ("Parameter Value\nnumber of hidden layers 2\nnumber of hidden units per layer 256\nnumber of samples per "
     "minibatch 128\n", {"num_layers": 2, "hidden_size": 256, "batch_size": 128}),
    ("We use Adam, whose learning rate is increased linearly over the first 10% of the steps, then decayed to zero.",
     {"warmup_ratio": 0.1}),
    # an AWD-LSTM's widths and unroll as its papers say them; a dropout on the weights (DropConnect) is not the dropout
    ("We use an LSTM language model with 3 layers, 1150 hidden activations per layer, and a BPTT batch size of 70.",
     {"num_layers": 3, "hidden_size": 1150, "seq_len": 70}),
    ("We apply dropout of 0.4 to the layers and weight dropout of 0.5 to the hidden-to-hidden matrix.", {"dropout": 0.4}),
    ("We pre-train with Adam, batch size 4,096 and gradient clipping at global norm 1.", {"batch_size": 4096,
                                                                                         "grad_clip": 1}),
    # nor is a dropout of experts or words (a mixture of experts' "expert dropout", a language model's "word dropout")
    ("We use a dropout rate of 0.1 for non-expert layers and an expert dropout of 0.4.", {"dropout": 0.1}),
    ("We apply a word dropout of 0.25 and train for 10 epochs.", {"epochs": 10}),
    ("Both models are trained for 65K gradient updates with sequences length 4,096 and batch size 64.",
     {"max_steps": 65_000, "seq_len": 4096, "batch_size": 64}),
    # a context of "4k tokens" is a power of two (a count of steps in thousands stays one)
    ("We train for 100k steps with a sequence length of 4k tokens.", {"max_steps": 100_000, "seq_len": 4096}),
    # a list's last number is the next field's where that field is named right after it
    ("We use a cosine schedule with a peak learning rate of 2e-5 and 3% warmup.",
     {"learning_rate": 2e-5, "warmup_ratio": 0.03}),
    ("Gradients were clipped to have a maximum L2 norm of 0.25.", {"grad_clip": 0.25}),
    ("We train with lr 1e-3, batch 128, 50 epochs.", {"learning_rate": 1e-3, "batch_size": 128, "epochs": 50}),
    # a table row's scale in brackets after its name
    ("Hyperparameter Value\nLearning rate (×10−4) 3\nTraining steps (K) 500\nWeight decay (x 10^-2) 5\n",
     {"learning_rate": 3e-4, "max_steps": 500_000, "weight_decay": 0.05}),
    # the optimizer's step size is its learning rate; a rate's start given after its schedule
    ("Hyperparameter Value\nHorizon (T) 2048\nAdam stepsize 3 × 10−4\nNum. epochs 10\n", {"learning_rate": 3e-4,
                                                                                        "epochs": 10}),
    ("We use Adam with step size α = 0.001 and train for 20 epochs.", {"learning_rate": 0.001, "epochs": 20}),
    ("The learning rate is decreased by a factor of 10 after 30 and 60 epochs, starting from 0.01, for a total of 90 "
     "epochs.", {"learning_rate": 0.01, "epochs": 90, "lr_decay_factor": 0.1, "lr_milestones": [30, 60],
                 "lr_milestone_unit": "epochs"}),
    # a dropout stated by what it keeps; a warm-up's length run into "-step"; a graph network's depth
    ("We apply dropout with a keep probability of 0.8 and use a 1k-step linear warmup.",
     {"dropout": 0.2, "warmup_steps": 1000}),
    ("Dropout was applied with retention probability p = 0.5 for hidden units.", {"dropout": 0.5}),
    ("We train a two-layer GCN with 16 hidden units for a maximum of 200 epochs.",
     {"num_layers": 2, "hidden_size": 16, "epochs": 200}),
    # the length inputs are truncated at, said by what is longer; a width under its symbol after "of"
    ("Documents longer than 512 tokens are truncated.", {"seq_len": 512}),
    ("We truncate sequences longer than 256 tokens.", {"seq_len": 256}),
    ("Our model uses L = 24 layers, a hidden size of H = 1024 and A = 16 self-attention heads.",
     {"num_layers": 24, "hidden_size": 1024, "num_heads": 16}),
    # a rate's range that is its schedule's: where training starts (a tuned range stays a search's)
    ("The learning rate follows a cosine schedule from 3e-4 down to 3e-5.", {"learning_rate": 3e-4}),
    ("We tune the learning rate from 1e-5 to 1e-3 with a cosine schedule.", {"learning_rate": [1e-5, 1e-3]}),
    ("The input image is decomposed into N patches of a fixed size of 16 × 16 pixels.", {"patch_size": 16}),
    # a word embedding's width: its own field (a tagger's, an RNN's), not the model's width; a character's is none
    ("We use 100-dimensional word embeddings and 200 hidden units.", {"embedding_dim": 100, "hidden_size": 200}),
    ("The word embedding dimensionality is 620.", {"embedding_dim": 620}),
    ("The character representation uses 16 dimensional character embeddings.", {}),
    # any letter after a size's name in full, primed for a student model; an embedding's own symbol
    ("We instantiate a tiny student model (the number of layers M=4, the hidden size d'=312 and the head number h=12).",
     {"num_layers": 4, "hidden_size": 312, "num_heads": 12}),
    ("The default configuration has 3 layers, the feature embedding size d = 192, and learning rate 1e-4.",
     {"num_layers": 3, "embedding_dim": 192, "learning_rate": 1e-4}),
    ("Our models have 8 encoder layers and 8 decoder layers with 1024 LSTM nodes per layer.",
     {"num_layers": 8, "hidden_size": 1024}),
    # two layers' widths, each its own, is no one width
    ("We use a two layer feedforward neural network of 400 and 300 hidden nodes respectively.", {"num_layers": 2}),
    ("We use a two layer feedforward neural network of 400 and 300 hidden units respectively.", {"num_layers": 2}),
    # a searched network's cells are its blocks, no width; an embedding layer's size
    ("A network of 8 cells is trained for 50 epochs with batch size 64.", {"epochs": 50, "batch_size": 64}),
    ("All networks have a hidden layer size of 1000, and an embedding layer size of 620.",
     {"hidden_size": 1000, "embedding_dim": 620}),
    # a width before its name, in a list of sizes; not another model's ("of the teacher")
    ("Our model is a 24-layer Transformer with 1,024 hidden sizes and 16 attention heads.",
     {"num_layers": 24, "hidden_size": 1024, "num_heads": 16}),
    ("Our model has 12 layers, 768 hidden size and 12 attention heads.",
     {"num_layers": 12, "hidden_size": 768, "num_heads": 12}),
    ("The encoder has 33 layers and a 1280 embedding dimension.", {"num_layers": 33, "embedding_dim": 1280}),
    ("The student keeps the 768 hidden size of the teacher and has 6 layers.", {"num_layers": 6}),
    # the widths of each layer in brackets, or after "layers of", are no count of layers
    ("The four EdgeConv layers use shared fully-connected layers (64, 64, 128, 256).", {}),
    ("On the MNIST tasks, we use fully-connected networks with two hidden layers of 100 ReLU units.",
     {"num_layers": 2, "hidden_size": 100}),
    # a rate relative to another's is no rate
    ("We use a learning rate 1/10 as large as used for fine-tuning Codex, and train for 3 epochs.", {"epochs": 3}),
    # a batch in hours or seconds of audio is no count of examples
    ("We train for 400k updates; the total batch size is 1.6h.", {"max_steps": 400_000}),
    ("We fine-tune on 8 GPUs, giving a total batch size of 1,600sec.", {}),
    # the encoder's layers a model contains; the heads by "head number"; a ablation's "with 13 encoder layers" is none
    ("By default, PatchTST contains 3 encoder layers with head number H = 16.", {"num_layers": 3, "num_heads": 16}),
    ("The remaining results are based on the task with 13 encoder layers at kernel size 3.", {}),
    # a relative clause about a model named before it is that model's
    ("For reference, we compare our implementations with published numbers from BERT, which was also trained for 1M "
     "steps on a combination of books and Wikipedia data.", {}),
    # a symbol's count of another thing (its noun after it); an interval's steps said again in brackets
    ("The transformer has 6 encoder and 6 decoder layers with 8 attention heads, and N = 100 decoder query slots.",
     {"num_layers": 6, "num_heads": 8}),
    ("We save a checkpoint every 2,097,152,000 tokens (1,000 iterations). We train for 143,000 steps.",
     {"max_steps": 143_000}),
    # a patience said with "doesn't"
    ("We tune hyper-parameters using the validation set, and training is terminated if validation performance "
     "doesn't improve for 20 epochs.", {}),
    # a momentum before its name; a batch by its size before "-sized"
    ("We use stochastic gradient descent with 0.9 momentum. The model is trained on 128-sized batches.",
     {"momentum": 0.9, "batch_size": 128}),
    # the steps of an evaluation (the verb nearest before them) are not training's
    ("Both models were trained for 60000 iterations, and evaluated using 10 gradient steps at test time.",
     {"max_steps": 60000}),
    ("We evaluate robustness with PGD using 20 iterations and step size 0.003.", {}),
    # a symbol between the name and "set as"; a warm-up "strategy" with its citation, "in the first" steps
    ("The base learning rate η is set as 1.6.", {"learning_rate": 1.6}),
    ("We also use a linear warm-up strategy [13] in the first 8k iterations.", {"warmup_steps": 8000}),
    # a dropout by the ratio it keeps, said of the dropout
    ("We use dropout with keep ratio 0.7 on the last fully connected layer.", {"dropout": 0.3}),
])
def test_sizes_and_lengths_as_more_papers_state_them(text, values):
    spec = extract_spec(_paper(text))
    assert _stated(spec) == values
    assert all(type(_stated(spec)[k]) is type(v) for k, v in values.items())  # counts stay whole numbers


@pytest.mark.parametrize("text, values", [
    # a multiple of another rate is no rate; a pair the sentence replaces (a library's default) is not used
    ("We use linear learning rate warmup with cosine decay to 1e−5, with a peak value of 5× the GPT3 value.", {}),
    ("We use AdamW with β = (.9, .95) instead of the PyTorch default of β = (.9, .999).",
     {"adam_beta1": 0.9, "adam_beta2": 0.95}),
    # the last of a schedule's points after a comma is a milestone, not the length; a later period of a list neither
    ("The learning rate starts from 0.1 and is divided by 10 at 20K, 28K iterations.",
     {"learning_rate": 0.1, "lr_decay_factor": 0.1, "lr_milestone_unit": "steps", "lr_milestones": [20_000, 28_000]}),
    ("The learning rate starts at 0.1 and is decayed exponentially by a factor of 10 every 400k and 350k steps, "
     "respectively.", {"learning_rate": 0.1, "lr_decay_factor": 0.1}),
    # an exponent's minus set apart, as a formula sets it
    ("We set momentum to 0.9 and weight decay to 5e − 4.", {"momentum": 0.9, "weight_decay": 5e-4}),
    # a symbol's count of training instances; a recurrent operator's unrolling; a count inside each block
    ("The operator is built from Fourier integral operator layers. Unless otherwise specified, we use N = 1000 "
     "training instances and 200 testing instances.", {}),
    ("The update operator is unrolled for 12 iterations during training.", {}),
    ("The network consists of 16 residual blocks with 2 convolutional layers per block.", {"num_layers": 16}),
    # a batch whose split over the devices is given in words is the total; a speed measurement's batch is none
    ("The model was trained on a TPU v3 device with 64 cores for 150,000 steps with a batch size of 64 (one example "
     "per core).", {"max_steps": 150_000, "batch_size": 64}),
    ("Following [70], FPS is measured with FP16 and batch size of 1 on a single GPU.", {}),
    # a batch norm's running statistics' average is no average of the weights
    ("Batch normalization statistics were computed as exponential moving averages with momentum 0.9.", {}),
    # an attack's iterations in a list after its perturbation are no training length
    ("For MNIST we set perturbation ε = 0.3, perturbation step size η1 = 0.01, number of iterations K = 40, learning "
     "rate η2 = 0.01, batch size m = 128, and run 100 epochs.",
     {"learning_rate": 0.01, "batch_size": 128, "epochs": 100}),
    ("We generate adversarial examples with PGD and train for 100k iterations.", {"max_steps": 100_000}),
    # the layers a model "stacks", shared or not, and its "interaction blocks"; not an example's blocks ("For
    # instance, stacking 6 blocks …") or a network's dense blocks (its stages)
    ("The Processor uses 16 unshared GNN layers on the multi-mesh.", {"num_layers": 16}),
    ("The model for QM9 stacks six interaction blocks.", {"num_layers": 6}),
    # a kind of layer a proper noun names; not an MLP's own layers
    ("The network consists of 4 Fourier layers followed by a projection.", {"num_layers": 4}),
    ("The backbone uses 24 Mamba blocks.", {"num_layers": 24}),
    ("The projection head has 2 MLP layers.", {}),
    ("We replace the final maxout network with a simpler feedforward network composed of two ReLu layers.", {}),
    # a results table's row, whose label names a field and whose first number is its result
    ("Network Top-1 Error Top-5 Error Cost\nGoogLeNet [20] 29% 9.2% 1.5\nInception-v2 Label Smoothing 22.8% 6.1 3.8\n"
     "Inception-v2 Dropout 0.5 22.1% 6.0 3.8\n", {}),
    ("The AP of our model improves when\nlabel smoothing 0.1 and dropout 0.2 are used.",
     {"label_smoothing": 0.1, "dropout": 0.2}),  # (a line of prose that names a metric is no results header)
    ("Hyperparameter Value Range searched\nLabel smoothing 0.1 0–0.2\nDropout 0.3 0.1–0.5\n",
     {"label_smoothing": 0.1, "dropout": 0.3}),  # (a hyperparameter table's rows are its values)
    # a speed benchmark's batch on each kind of hardware; a baseline's values in a bracket that says they are its
    ("We benchmark the running speed of the network. Batch size is 8 for GPU and 1 for ARM.", {}),
    # a burn-in's iterations (Darknet's warm-up) are no length; layers' channels are no count of layers; a
    # momentum-updated encoder's momentum is no optimizer's
    ("We use a base learning rate of 0.001 with a burn-in of 1000 iterations.", {"learning_rate": 0.001}),
    ("We first change the channels of the three upsampling layers to 256, 128, 64, respectively.", {}),
    ("The key encoder is a momentum-updated copy of the query encoder with momentum m = 0.999.", {}),
    # a schedule's drops in brackets after a length are no lengths; a comparison of two models' lengths is a result's
    ("DLA-34 is trained for 320 epochs (with drops at 270 and 300).", {"epochs": 320}),
    ("Mask2Former trained for 12 epochs already outperforms MaskFormer trained for 300 epochs.", {}),
    # a divisor of a symbol's rate is no rate; a line of prose over a line of prose is no table's header and row
    ("We choose the learning rate of the last layer by fine-tuning only it and use ηl−1 = ηl /2.6 as the learning rate "
     "for lower layers.", {}),
    ("Pre-training We pre-train for 200k steps with a batch size of 512 and a\nlearning rate of 3e-5, using BERT’s "
     "default optimizer. The document embedding step for the MIPS\nindex is parallelized over 16 TPUs.\n\n4.3 Main "
     "results\nTable 1 shows the accuracy of different approaches on the three Open-QA datasets. REALM out-\n",
     {"max_steps": 200_000, "batch_size": 512, "learning_rate": 3e-5}),
    # a clustering's mini-batch; a masked span's length; a codebook's moving average; an epoch's iterations; a
    # cited work's rate, its citation in brackets with its year
    ("We use the MiniBatch- KMeans implementation of scikit-learn [43] with a mini-batch size of 10,000 frames.", {}),
    ("Following [13], we randomly select p = 8% of frames as start indices and mask spans of l = 10 steps.", {}),
    ("Codebook embeddings are updated with an exponential moving average with decay 0.99.", {}),
    ("For TOURISM we use 30 iterations per epoch and 100 epochs.", {"epochs": 100}),
    ("The compared ES-RNN winner (Smyl, 2020) used a learning rate of 0.0005 and dilated LSTMs.", {}),
    # a sampler's batch beside the training batch
    ("Our models train at 2.2 steps per second at batch size 64, and sampling a batch of 128 images takes 300 "
     "seconds.", {"batch_size": 64}),
    # a work cited by its authors and year alone
    ("Kipf & Welling (2017) used a learning rate of 0.01 and dropout 0.5.", {}),
    # a searched network's cells; a rollout's steps per update
    ("The network consists of 14 cells (12 normal cells and 2 reduction cells).", {}),
    ("We use a learning rate of 3 × 10−4 and 2048 steps per update.", {"learning_rate": 3e-4}),
    # a flow's steps per level; a baseline's values, its sentence past a citation's "et al."
    ("We use a model similar to RealNVP with L = 3 levels and K = 32 steps per level on CIFAR-10.", {}),
    # a hyperparameter search's iterations; a tower's widths after "layers is"
    ("Hyperparameter optimization is conducted via random search, using 240 iterations for Volatility, and 60 "
     "iterations for the others.", {}),
    ("The architecture of the neural CF layers is 32 → 16 → 8, and the embedding size is 16.", {"embedding_dim": 16}),
    # a share of the labels in brackets after a length is no length
    ("On the 10% subset we fine-tune for 50 epochs (10%).", {"epochs": 50}),
    # a cited model "was trained" with another's values; a cited optimizer or technique "was used" with ours
    ("EfficientNet [29] was trained for 350 epochs with RMSProp, an initial lr of 0.256 decayed by 0.97 every 2.4 "
     "epochs, batch size 4096.", {}),
    ("BERT (Devlin et al., 2019) was trained for 1M steps with a batch size of 256.", {}),
    ("In Section 4 we observed that the original BERT model was trained for 1M steps with a batch size of 256 "
     "sequences.", {}),
    ("The Adam optimizer [23] was used with a learning rate of 1e-3.", {"learning_rate": 1e-3}),
    ("Adam [23] is used with a learning rate of 1e-3. Dropout [31] is applied with a rate of 0.1.",
     {"learning_rate": 1e-3, "dropout": 0.1}),
    ("We compare with MobileNet v2 [14] (decay rate 0.98 per epoch from an initial rate of 0.045, as reported in their "
     "paper). We train with a learning rate of 0.5 and a batch size of 1024 for GPU training.",
     {"learning_rate": 0.5, "batch_size": 1024}),
    ("For instance, stacking 6 blocks with k = 5 results in an input field of 25 elements.", {}),
    ("The DenseNet used in our experiments has three dense blocks that each has an equal number of layers.", {}),
    # a citation in brackets that attributes the architecture we use leaves its sizes ours; another's stay its own
    ("We use a standard Transformer architecture (Vaswani et al., 2017), with 12 layers of encoder and 12 layers of "
     "decoder with model dimension of 1024 on 16 heads.", {"num_layers": 12, "hidden_size": 1024, "num_heads": 16}),
    ("Our model has 12 layers, whereas GPT-3 has 96 layers (Brown et al., 2020).", {"num_layers": 12}),
    # a rate "initialized as"
    ("The learning rate is initialized as 2 × 10−4 and decayed by a factor of 2 every 2 × 105 of mini-batch updates.",
     {"learning_rate": 2e-4, "lr_decay_factor": 0.5}),
    # an epoch's length in iterations; a window's in time steps; a diffusion sampler's or noise schedule's steps; a
    # norm bound's ε (the training's own steps, beside a sampler, stay)
    ("All networks are trained for 1,000 epochs, with one epoch being defined as 250 training iterations.",
     {"epochs": 1000}),
    ("The student is trained for 1,500 epochs.", {"epochs": 1500}),  # (not the 500 after the thousands' comma)
    ("We train all models for 300 epochs, with one epoch being 2,000 updates with the Adam optimizer.",
     {"epochs": 300}),
    ("Epochs 1,000 (× 250 iterations)\nWeight decay 3 × 10−5\n", {"epochs": 1000, "weight_decay": 3e-5}),
    ("Both the input and the forecast windows are 12 steps (one hour).", {}),
    ("Unless noted otherwise we sample with DDIM using 20 steps and a classifier-free guidance scale of 9.0.", {}),
    ("We use a discrete-time diffusion schedule with 1000 steps.", {}),
    ("We train the model for 600k steps and sample with DDIM, using 50 sampling steps.", {"max_steps": 600_000}),
    ("We update the weights with Adam at a learning rate of 5 × 10−4; the update is constrained by an L∞ norm bound of "
     "ε = 5 × 10−4.", {"learning_rate": 5e-4}),
    # a count of devices after a name's gap is none of its values; a batch "on each GPU" is a device's share
    ("We train the model for 50 epochs on a cluster of 16 NVIDIA A100 GPUs with 40G memory.", {"epochs": 50}),
    ("For FastSpeech 2s, we train on 2 NVIDIA V100 GPUs, with batchsize of 6 sentences on each GPU.",
     {"batch_size": 12}),
    # (guards: training's own steps beside samples, heads "in each" attention module, a batch of graph nodes)
    ("We train on 50M samples for 300k steps.", {"max_steps": 300_000}),
    ("The Transformer uses 8 heads in each attention module.", {"num_heads": 8}),
    ("We use a batch size of 512 nodes for 100 epochs.", {"batch_size": 512, "epochs": 100}),
    # (not "on each worker": an asynchronous worker's batch is an update's)
    ("Our results are based on training with 8 GPUs for about 37 days and batch size 32 on each worker.",
     {"batch_size": 32}),
])
def test_values_in_the_wrong_field_as_further_papers_state_them(text, values):
    spec = extract_spec(_paper(text))
    assert _stated(spec) == values
    assert all(type(_stated(spec)[k]) is type(v) for k, v in values.items())


@pytest.mark.parametrize("text, optimizer", [
    # a cited work's optimizer is not ours; a cited optimizer used, and one after "The", are
    ("EfficientNet [29] was trained for 350 epochs with RMSProp. We train with SGD.", "sgd"),
    # a surname after an initial in a running header is no optimizer, nor does it hide the one used
    ("8 L.-C. Chen, Y. Zhu, G. Papandreou, F. Schroff, and H. Adam\n4 Experimental Evaluation\nWe train with SGD.",
     "sgd"),
    # the family the optimizer used belongs to is not the one used (and its betas are not Adam's)
    ("All models were trained with the NovoGrad optimizer [18], a variant of Adam that computes second moments per "
     "layer.", "novograd"),
    ("The Adam optimizer [23] was used with a learning rate of 1e-3.", "adam"),
    # a search's choices are no choice; the one the sentence after trains with is
    ("The search space is: • optimizer: SGD, Adam • learning rate: 10−2, 10−3, 10−4. The best configuration is "
     "optimized with SGD with a learning rate of 0.01 and a momentum of 0.9.", "sgd"),
    ("We tried Adam or RMSProp for the generator.", None),
    # an optimizer only said possible is not the one trained with (the one used is)
    ("We optimize all loss functions using L-BFGS. For larger data-sets a mini-batch setting can be readily employed "
     "using stochastic gradient descent and its modern variants.", "lbfgs"),
    ("We use Adam, with a learning rate of 1e-3.", "adam"),
    ("We train with Adam, as larger batches can be used on our hardware.", "adam"),
    # one said to do worse is not the one trained with, and leaves the one named beside it
    ("We use standard stochastic gradient descent with momentum [46, 35] for all experiments; we found Nesterov "
     "momentum [30] slightly better, and Adam [20] clearly worse.", "sgd"),
])
def test_an_optimizer_among_alternatives_or_only_said_possible_is_not_the_one_trained_with(text, optimizer):
    found = extract_spec(_paper(text)).hyperparameter("optimizer")
    assert (found and found.value) == optimizer


def test_a_list_of_names_each_with_a_comma_and_its_value_ended_by_semicolons_is_read_for_the_stage_it_opens_with():
    """"…: max learning rate, 1 × 10−3; warmup steps, 10,000; …": each item a name, a comma and its value; the long
    sentence's values belong to the stage it opens with, though their quotes are cut short of it."""
    spec = extract_spec(_paper(
        "Pretraining hyperparameters were optimized to the following final values: activation function, ReLU; max "
        "learning rate, 1 × 10−3; learning scheduler, linear with warmup; optimizer, Adam with weight decay fix; "
        "warmup steps, 10,000; weight decay, 0.001; batch size, 12; dropout probability, 0.02. Unless otherwise "
        "stated, fine-tuning used the following hyperparameters: max learning rate, 5 × 10−5; learning scheduler, linear with "
        "warmup; optimizer, Adam with weight decay fix; warmup steps, 500; weight decay, 0.001; batch size, 12; number "
        "of epochs, 1."))
    assert {(h.setting, h.name): h.value for h in spec.hyperparameters if h.name != "lr_schedule"} == {
        ("pretraining", "learning_rate"): 1e-3, ("pretraining", "warmup_steps"): 10_000,
        ("pretraining", "weight_decay"): 0.001, ("pretraining", "batch_size"): 12,
        ("finetuning", "learning_rate"): 5e-5, ("finetuning", "warmup_steps"): 500,
        ("finetuning", "weight_decay"): 0.001, ("finetuning", "batch_size"): 12,
        # each list's last item, which a full stop ends
        ("pretraining", "dropout"): 0.02, ("finetuning", "epochs"): 1,
        ("default", "optimizer"): "adamw"}  # (Adam "with weight decay fix" is AdamW, the paper's)
    # a comma before a number that no semicolon ends is no such item, nor one a full stop ends outside such a list
    assert _stated(extract_spec(_paper("We tuned the learning rate, 3 times over."))) == {}
    assert _stated(extract_spec(_paper("For the dropout, 0.2. The batch size was not tuned."))) == {}


@pytest.mark.parametrize("text, clip", [
    # a clipping's value where its sentence clips gradients; the norm's "value" after its name
    ("We apply gradient clipping by the global norm of the gradient on every example independently, with a clipping "
     "value of 0.1.", 0.1),
    ("We used gradient (norm) clipping with a maximum norm value of 32.", 32),
    ("We use a clipping value of 0.2 for the probability ratio.", None),
])
def test_a_gradient_clipping_value_as_further_papers_state_it(text, clip):
    found = extract_spec(_paper(text)).hyperparameter("grad_clip")
    assert (found and found.value) == clip


def test_regularisers_denied_as_examples_of_a_kind_are_none():
    spec = extract_spec(_paper("We use early stopping on the validation set and do not employ any further "
                               "regularization such as dropout or weight decay."))
    assert {n.name for n in spec.negations} == {"dropout", "weight_decay"}


@pytest.mark.parametrize("text", [
    # a bound, not a length: "up to" with no training verb before it
    "We consider longer training schedules (up to 7200 epochs, which corresponds to 300 ImageNet epochs).",
    # a result's change over a variant's size
    "Top-5 error drops from 7.1% to 6.3% when using 16 layers.",
    # a compared model's depth, two stacks of layers, an attention's key size, a compared work's patch
    "We analyze the effect of the Transformer by comparing it with a single layer 2048 unit LSTM.",
    "Our baseline model contains two layer stacks instead of one.",
    "The key and value matrices have an inner dimensionality of dkv = 64.",
    "For adapter layers, we report the performance using an inner dimensionality d of 32, 128, 512, 2048.",
    # a step schedule's period is not the training's length, nor is its step size a learning rate
    "The learning rate follows a step schedule with a step size of 30 epochs.",
    "We tuned the batch size and selected 64 examples for the analysis.",  # a count chosen, not a value
    "Hyperparameter Value\nBatch size (K tokens) 512\n",  # a batch counted in tokens
    "The loss spiked in batch 3 of the second epoch, and again in batch 10 of 20.",  # a batch's number
    # the passes an RL update makes over its rollouts are no training's epochs
    "We used a horizon of T = 2048 timesteps and 10 epochs per update.",
    # the length said another way, roughly, in brackets, is not a second length
    "We train for 1.25M iterations (∼1.4 epochs of the data), taking ∼6 days.",
    # each layer's width, of two; a graph's nodes; the rate where training stops
    "The low-dimensional networks had 2 hidden layers with 400 and 300 units respectively.",
    "Each input graph has 1000 nodes on average.",
    "Training is stopped when the learning rate goes under the threshold of 10−5.",
])
def test_what_is_not_a_size_or_length_of_this_model(text):
    spec = extract_spec(_paper(text))
    assert not {"epochs", "num_layers", "hidden_size", "intermediate_size", "learning_rate", "batch_size"} & \
        set(_stated(spec)), _stated(spec)


@pytest.mark.parametrize("text, values", [
    # a table's caption listing the variants its rows compare
    ("Table 3: Results with batch sizes 256, 512 and 1024 on ImageNet.", {}),
    # another work's values, where the other work did it; this paper's value given "as in" a work is its own
    ("Previous work (Smith et al., 2020) used a learning rate of 0.1 and trained for 90 epochs.", {}),
    ("He et al. (2016) trained for 90 epochs with a batch size of 256.", {}),
    ("The learning rate is set to 0.1 as in He et al. (2016).", {"learning_rate": 0.1}),
    # what is usual, unless we do it; a value that failed; sizes a result is given for
    ("Standard practice is to train for 90 epochs with a learning rate of 0.1.", {}),
    ("Following standard practice, we train for 90 epochs with a learning rate of 0.1.",
     {"epochs": 90, "learning_rate": 0.1}),
    ("For comparison, a learning rate of 1e-2 diverged.", {}),
    # a value judged wrong, and the one used in its place
    ("We found the suggested learning rate of 0.001, to be too high, using 0.0002 instead.", {"learning_rate": 0.0002}),
    ("Leaving the dropout at the suggested value of 0.5 resulted in training instability, while reducing it to 0.3 "
     "helped.", {"dropout": 0.3}),
    ("A batch size of 8 was too small.", {}),
    # a variant's effect on a result, any field's, where the clause has no "we" and sets nothing
    ("Figure 3 shows that increasing the batch size from 256 to 1024 improves accuracy.", {}),
    ("Halving the batch size to 128 hurts accuracy by 0.5%.", {}),
    ("A larger learning rate of 1e-3 leads to faster convergence but worse final accuracy.", {}),
    ("A learning rate of 1e-3 is used, which improves stability.", {"learning_rate": 1e-3}),
    ("We use a dropout of 0.3, which improves accuracy.", {"dropout": 0.3}),
    ("A warm-up of 4000 steps helps stabilize training.", {"warmup_steps": 4000}),  # (no variant compared: ours)
    # the effect in one part of the sentence, the setting in the next
    ("Increasing the number of epochs to 300 improves accuracy further, so all models are trained for 300 epochs.",
     {"epochs": 300}),
    ("Label smoothing of 0.1 improves BLEU.", {"label_smoothing": 0.1}),
    # the last of a list of variants' sizes is not one of them alone
    ("Table 5 compares models with 6, 12 and 24 layers.", {}),
    ("The model has a hidden size of 768 and 12 layers.", {"hidden_size": 768, "num_layers": 12}),
    # a concession's condition is no setting
    ("Training remains stable even with a batch size of 8.", {}),
    ("The model does not overfit, even when training for 500k steps.", {}),
    ("The top-5 error is 7.3% with 16 layers and 6.8% with 19 layers.", {}),
    # a variant's effect on a result, and the value a variant replaced; our own choice and its effect is ours
    ("Using 8 heads instead of 16 reduces accuracy by 0.4 points.", {}),
    ("We use 16 heads, which improves accuracy.", {"num_heads": 16}),
    # crops called patches are no ViT's patches (the crop is augmentation's)
    ("During training we randomly crop 64×64 patches from the low-resolution images.", {"crop_size": 64}),
    ("We extract 32 × 32 patches at random locations as training inputs.", {}),
    # an enumeration of the model's sizes joined by "and"
    ("The model has 1.5B parameters and 48 layers with a hidden size of 1600.", {"num_layers": 48, "hidden_size": 1600}),
    # a table caption's list, none of its numbers alone; a part's width; a compared model's sizes in brackets
    ("Table 2: Top-1 accuracy for models trained for 100, 200 and 300 epochs.", {}),
    ("The projection head is a two-layer MLP with a hidden dimension of 2048.", {}),
    ("The LSTM cells have 512 hidden units.", {"hidden_size": 512}),  # (the network's own cells: its width)
    ("We compare with BERT-large (24 layers, 1024 hidden units, 16 heads) as a baseline.", {}),
    # a length used only at evaluation; a batch per device said by what each device processes
    ("At evaluation time we use a sequence length of 2048.", {}),
    ("Each GPU processes 16 sequences of 512 tokens.", {"batch_size": 16, "seq_len": 512}),
    ("Each training step processes 512 sequences of 1024 tokens.", {"batch_size": 512, "seq_len": 1024}),
    # a graph network's depth; Adam's betas with their subscripts set apart by the PDF's text
    ("We use a 3-layer GIN with hidden dimension 300.", {"num_layers": 3, "hidden_size": 300}),
    ("We train with AdamW [30] with β 1 = 0.9, β 2 = 0.999 and weight decay 0.05.",
     {"adam_beta1": 0.9, "adam_beta2": 0.999, "weight_decay": 0.05}),
    # a size a result is reported for, in a sentence that neither has nor uses it
    ("With 16 layers, the model reaches 76.5% top-1 accuracy.", {}),
    ("The model has 12 layers and reaches 84% accuracy.", {"num_layers": 12}),
    # another model's values, in the part of a sentence contrasted with ours
    ("BERT-large uses 24 layers and a hidden size of 1024, while our model uses 12 layers.", {"num_layers": 12}),
    ("While BERT uses 24 layers and a hidden size of 1024, our model uses 12 layers.", {"num_layers": 12}),
    ("We train for 100 epochs, while we keep the batch size at 256.", {"epochs": 100, "batch_size": 256}),
    # our size in the first part of a sentence whose other part cites another work's
    ("Our model has 12 layers, whereas GPT-3 has 96 layers (Brown et al., 2020).", {"num_layers": 12}),
    ("Our model has 12 layers like the model of Devlin et al. [5], which consisted of 24 layers.", {"num_layers": 12}),
    # one layer said in the singular; not a compared model's "single layer 2048 unit LSTM", nor "a single layer stack"
    ("The LSTM has 512 hidden units; we use a single layer.", {"hidden_size": 512, "num_layers": 1}),
    ("We compare it with a single layer 2048 unit LSTM.", {}),
    ("A language model consists of a single Transformer layer stack.", {}),
    # Adam's betas where no optimizer is named still say Adam; a bare ε does not (an ε-greedy policy's)
    ("We set β2 = 0.98 to improve stability. The agent is ε-greedy with ε = 0.1.", {"adam_beta2": 0.98}),
    # a table that compares variants: a row's several values are the variants, not a setting
    ("Table 4: Ablation over the number of layers.\nLayers 6 12 24\nAccuracy 81.2 83.4 84.0\n", {}),
])
def test_whose_value_and_what_for(text, values):
    assert _stated(extract_spec(_paper(text))) == values


@pytest.mark.parametrize("text, batch, unit", [
    # a batch per device on a number of devices: the batch trained on, its making said beside it
    ("We train with a batch size of 32 per GPU on 8 GPUs for 90 epochs.", 256, "(32 per device × 8 devices)"),
    ("We use 2 images per GPU across 16 V100 GPUs.", 32, "(2 per device × 16 devices)"),
    ("Each model was trained for 20k iterations using a batch size of 16 images per GPU across 8 GPUs.", 128,
     "(16 per device × 8 devices)"),  # ("Each model" is no device each)
    # DeepSpeed's micro batch is a device's, and accumulation is said at the sentence's end
    ("Training was performed with DeepSpeed ZeRO-3 on 8×A100 80GB GPUs with a micro batch size of 4 and gradient "
     "accumulation steps of 4.", 128, "(4 per device × 8 devices × 4 accumulation steps)"),
    # the effective batch stated, in the sentence or the next: that one
    ("We use a per-GPU batch size of 64 across 16 GPUs, giving a total batch size of 1024.", 1024, None),
    ("Each mini-batch contains 2 images per GPU. We train on 8 GPUs (so the effective mini-batch size is 16).", 16, None),
    # no device count, or devices that multiply in ways not read: the batch as stated
    ("We use a batch size of 32 per GPU.", 32, None),
    ("We use a batch size of 16 per GPU on 4 nodes with 8 GPUs each.", 16, None),
])
def test_a_batch_stated_per_device(text, batch, unit):
    hp = extract_spec(_paper(text)).hyperparameter("batch_size")
    assert (hp.value, hp.unit) == (batch, unit)


@pytest.mark.parametrize("text, rate, unit", [
    # a rate stated per batch of some size, scaled linearly with the batch: the rate and the batch it is for
    ("We use a base learning rate of 0.1 × batch size / 256.", 0.1, "(× batch size / 256)"),
    ("Following the linear scaling rule, the learning rate is lr = 0.1·B/256.", 0.1, "(× batch size / 256)"),
    ("We set lr = 5e-4 × batchsize/512.", 5e-4, "(× batch size / 512)"),
    ("The learning rate is scaled linearly: lr = 1.5e-4 × batch/256.", 1.5e-4, "(× batch size / 256)"),
    ("We use a learning rate of 3e-4.", 3e-4, None),
    # the rule's product sign as a typeset operator; the rule stated before the base rate it scales
    ("The rate follows the linear scaling rule: lr = 0.0005 ∗ batchsize/256.", 5e-4, "(× batch size / 256)"),
    ("We use a learning rate of lr×BatchSize/256 (linear scaling [14]), with a base lr = 0.05.", 0.05,
     "(× batch size / 256)"),
    # under a symbol the sentence says is the batch size (and not one it says is another thing)
    ("We use an initial learning rate of 0.05·n/128, where n is the batch size.", 0.05, "(× batch size / 128)"),
])
def test_a_rate_stated_per_batch(text, rate, unit):
    hp = extract_spec(_paper(text)).hyperparameter("learning_rate")
    assert (hp.value, hp.unit) == (rate, unit)


@pytest.mark.parametrize("text, values", [
    # a symbol the paper defines as a field's, given its value by itself elsewhere (an algorithm's defaults)
    ("Algorithm 1. Every run used the default values η = 0.0001, k = 0.02, B = 32.\nRequire: η, the learning rate. "
     "k, the clipping bound. B, the batch size.", {"learning_rate": 1e-4, "batch_size": 32}),
    ("We train with SGD, where μ is the momentum and λ the weight decay. We set μ = 0.95.", {"momentum": 0.95}),
    ("The learning rate η is decayed by a cosine schedule. On the small data set, η = 0.3 works best.",
     {"learning_rate": 0.3}),
    # a symbol defined as something else too, a formula's term, a symbol under another quantity's name: none
    ("We write λ, the weight decay, and λ, the weight of the auxiliary loss; we use λ = 0.5.", {}),
    ("With learning rate η we take η = 0.1 × k at step k.", {}),
    ("α, the learning rate, is tuned. At decoding we use a length penalty of α = 0.6.", {}),
    # a letter that names a part of the paper is no symbol
    ("In Table B, the batch size is varied. We find B = 16 works.", {}),
])
def test_a_symbol_the_paper_defines_as_a_field_gives_its_value(text, values):
    assert {k: v for k, v in _stated(extract_spec(_paper(text))).items() if k != "lr_schedule"} == values


def test_a_rate_scaled_by_a_symbol_that_is_not_the_batch_is_not_per_batch():
    hp = extract_spec(_paper("We use an initial learning rate of 0.05·n/128, where n is the number of GPUs.")
                      ).hyperparameter("learning_rate")
    assert hp is None  # (a coefficient of a formula, no rate alone)


def test_a_batch_norm_s_momentum_said_with_a_verb_is_not_the_optimizer_s():
    spec = extract_spec(_paper("Batch normalization uses a momentum of 0.99 and epsilon of 0.001. We train with SGD "
                               "with a momentum of 0.9."))
    assert _stated(spec) == {"momentum": 0.9}


@pytest.mark.parametrize("text, optimizer", [
    # a table's row names the optimizer after its field's name, the line before it flattened onto the same line
    ("Table 3: Hyperparameters.\nWarmup 10k steps\nOptimizer AdamW (β1=0.9, β2=0.95)\n", "adamw"),
    ("We train the model with Adam and a learning rate of 1e-3.", "adam"),
    ("Table 4: Hyperparameters.\nOptimizer Adam\nLearning rate 3e-4\n", "adam"),  # (the next row is no surname)
    # a person's name is no optimizer
    ("We thank Hartwig Adam for discussions. We train with SGD and momentum 0.9.", "sgd"),
    # the optimizer the paper switched to, after one it found unstable
    ("Training becomes unstable when one uses a momentum-based optimizer such as Adam [8]. We therefore switched to "
     "RMSProp [21], which is known to perform well on nonstationary problems.", "rmsprop"),
    # a first name before a surname (authors, references) is no optimizer either; AdaFactor in its authors' casing
    ("Jane Doe, Adam Smith. For optimization, we use AdaFactor.\nReferences\nAdam Jones. A corpus of text. 2013.\n"
     "Adam Brown, Li Wei. A reading data set. 2017.\n", "adafactor"),
])
def test_the_optimizer_as_papers_name_it(text, optimizer):
    spec = extract_spec(_paper(text))
    assert spec.hyperparameter("optimizer").value == optimizer
    if optimizer == "adamw":  # (its betas stand: Adam trains)
        assert (spec.hyperparameter("adam_beta1").value, spec.hyperparameter("adam_beta2").value) == (0.9, 0.95)


@pytest.mark.parametrize("text, values", [
    # GAN papers' Adam without momentum; a diffusion paper's β1 is its noise variance, not Adam's
    ("We use Adam with β1 = 0, β2 = 0.99 and a learning rate of 0.002.",
     {"adam_beta1": 0, "adam_beta2": 0.99, "learning_rate": 0.002}),
    ("We set the forward process variances to constants increasing linearly from β1 = 10−4 to βT = 0.02.", {}),
    # the batch as RL papers say it; an RL update's passes over its rollouts are no training epochs
    ("We used the RMSProp algorithm with minibatches of size 32.", {"batch_size": 32}),
    ("Each update uses 4 epochs over the data with a minibatch size of 64.", {"batch_size": 64}),
    # a momentum encoder's or a teacher's momentum is a moving average's, not the optimizer's
    ("The momentum coefficient m = 0.999 is used for the momentum encoder update.", {}),
    ("The teacher is updated with momentum 0.996. We train with SGD with a momentum of 0.9.", {"momentum": 0.9}),
    # a bare "decay" beside the optimizer's momentum, as small as a weight decay is: the weight decay (not a rate's)
    ("Throughout training we use a batch size of 64, a momentum of 0.9 and a decay of 0.0005.",
     {"batch_size": 64, "momentum": 0.9, "weight_decay": 0.0005}),
    ("We use SGD with momentum 0.9 and a learning rate decay of 0.001 per step.", {"momentum": 0.9}),
    # a LoRA rank "set to" its value
    ("We fine-tune with LoRA. We set the rank to 4 for all experiments.", {"lora_rank": 4}),
    ("We fine-tune with LoRA.\nTable 9: LoRA hyperparameters.\nRank r 8\nLoRA α 16\nLearning rate 2e-4\n",
     {"lora_rank": 8, "lora_alpha": 16, "learning_rate": 2e-4}),
    # a warm-up said by what it does, in epochs or steps
    ("The learning rate is linearly increased from 0 to 1e-3 over the first 10 epochs, then decayed with a cosine "
     "schedule.", {"learning_rate": 1e-3, "warmup_epochs": 10}),
    ("The learning rate is ramped up linearly over the first 2000 iterations.", {"warmup_steps": 2000}),
    # a model's layers each described; Transformer-XL's inner dimension (not an attention's inner dimensionality)
    ("Each of the 6 layers has 8 attention heads and a feed-forward dimension of 2048.",
     {"num_layers": 6, "num_heads": 8, "intermediate_size": 2048}),
    ("We use a 16-layer model with a hidden size of 410, 10 heads, and an inner dimension of 2100.",
     {"num_layers": 16, "hidden_size": 410, "num_heads": 10, "intermediate_size": 2100}),
    ("Each head has an inner dimensionality of dkv = 64.", {}),
    # a formula's coefficient is no rate alone
    ("We use a transformer learning rate schedule with a peak learning rate of 0.05/√d, where d is the model "
     "dimension.", {}),
    ("We set lrate = 0.2 · dmodel^−0.5 · min(step^−0.5, step · 4000^−1.5).", {}),
    # the number said per GPU in brackets is not the batch before it
    ("We use SGD with a mini-batch size of 256 on 8 GPUs (32 per GPU).", {"batch_size": 256}),
    # epochs in words; the terse "bs 64"; a config's "max_seq_length="; label smoothing "with a factor of"
    ("We train for twenty epochs.", {"epochs": 20}),
    ("Hyperparameters: lr=3e-4, bs 64, 10 epochs.", {"learning_rate": 3e-4, "batch_size": 64, "epochs": 10}),
    ("We use max_seq_length=384, doc_stride=128 and a learning rate of 3e-5 for 2 epochs.",
     {"seq_len": 384, "learning_rate": 3e-5, "epochs": 2}),
    ("We use label smoothing with a factor of 0.1.", {"label_smoothing": 0.1}),
    # the network's hidden layer's width; a part's (a classifier's) is not the model's
    ("The network has a single hidden layer of 256 units.", {"hidden_size": 256}),
    ("The classifier has a hidden layer of 256 units.", {}),
])
def test_values_as_more_kinds_of_papers_state_them(text, values):
    assert _stated(extract_spec(_paper(text))) == values


@pytest.mark.parametrize("text, values", [
    # Adam's betas as one pair under a bare β (GAN papers)
    ("We optimize both networks with Adam at a learning rate of 2·10−4 and β = (0.5, 0.999).",
     {"learning_rate": 2e-4, "adam_beta1": 0.5, "adam_beta2": 0.999}),
    # a value, then "as" and the field it is ("91.0 as the batch size grows" is a result, not a setting)
    ("We use 0.1 as the dropout rate and 0.01 as weight decay.", {"dropout": 0.1, "weight_decay": 0.01}),
    ("Accuracy reaches 91.0 as the batch size grows.", {}),
    # early stopping's patience however it is worded is no training length
    ("The patience for early stopping is 10 epochs.", {}),
    ("We use early stopping with a patience of 5 epochs and train for at most 100 epochs.", {"epochs": 100}),
    # a warm-up said with "warmed up … for N steps" and the rate it reaches; its steps are not the training's length,
    # but "warm up and then train for N steps" is
    ("The learning rate is warmed up linearly for 2000 steps to 1e-4 and then decayed with the inverse square root.",
     {"learning_rate": 1e-4, "warmup_steps": 2000}),
    ("A warm-up of 4000 steps is used, and the model is trained for 100k steps.",
     {"warmup_steps": 4000, "max_steps": 100000}),
    # MAE-style: a peak value named after its schedule; "over N epochs of pre-training" is the length, not a bound
    ("The learning rate follows a cosine schedule with a peak value of 1.5e-4 and 40 warm-up epochs, over 800 epochs "
     "of pre-training.", {"learning_rate": 1.5e-4, "warmup_epochs": 40, "epochs": 800}),
    # ours as a bare number after another work's named value
    ("In contrast to [12], who used a learning rate of 1e-3, we use 5e-4.", {"learning_rate": 5e-4}),
    ("Unlike [12], which used a batch size of 256, we use 1024.", {"batch_size": 1024}),
    ("BERT-large uses 24 layers, while our model uses 12.", {"num_layers": 12}),
    ("We use a learning rate of 1e-3, but we use 64 GPUs.", {"learning_rate": 1e-3}),
    # lengths, beams and widths as more papers word them
    ("Each training example is a 1024-token sequence.", {"seq_len": 1024}),
    ("We use a 32k-token vocabulary.", {}),
    ("During decoding we use beam search with a beam of 4 and a length penalty of 0.6.", {"num_beams": 4}),
    ("An embedding layer of size 300 is initialized with GloVe vectors.", {"embedding_dim": 300}),
    ("We use a network with one hidden layer of size 512.", {"hidden_size": 512}),
    # an evaluation's batch, in prose or a table's row, is not training's
    ("We use a batch size of 64 for training and a validation batch size of 256.", {"batch_size": 64}),
    ("The network is trained with a batch size of 64. The test batch size is 1000.", {"batch_size": 64}),
    ("Table 5: Hyperparameters.\nHyperparameter Value\nEval batch size 64\nTrain batch size 32\nEpochs 3\n",
     {"batch_size": 32, "epochs": 3}),
    # names listed, then their values "respectively" (one name with several values is a list of settings, not this)
    ("The learning rate, batch size and number of epochs are 1e-4, 256 and 30, respectively.",
     {"learning_rate": 1e-4, "batch_size": 256, "epochs": 30}),
    ("We set the dropout and weight decay to 0.2 and 0.01, respectively.", {"dropout": 0.2, "weight_decay": 0.01}),
    # a config's keys (PyTorch's, GPT-2's); a terse "wd 0.01"
    ("We set dim_feedforward = 2048 and nhead = 8.", {"intermediate_size": 2048, "num_heads": 8}),
    ("The model uses n_layer = 12, n_head = 12 and n_embd = 768.", {"num_layers": 12, "num_heads": 12,
                                                                  "hidden_size": 768}),
    ("We use AdamW (lr 3e-4, wd 0.01) and train for 5 epochs.", {"learning_rate": 3e-4, "weight_decay": 0.01,
                                                                 "epochs": 5}),
    # where a decay starts; a peak after its warm-up; words embedded into N-dimensional vectors
    ("The learning rate decays from 1e-3 to a minimum of 1e-5 with a cosine schedule.", {"learning_rate": 1e-3}),
    ("We use a cosine learning rate schedule with a linear warmup of 500 steps and a peak of 2e-4.",
     {"warmup_steps": 500, "learning_rate": 2e-4}),
    ("Words are embedded into 300-dimensional vectors.", {"embedding_dim": 300}),
])
def test_values_as_yet_more_papers_state_them(text, values):
    assert _stated(extract_spec(_paper(text))) == values


@pytest.mark.parametrize("text, values", [
    # a value chosen, then "for" and its name (not a result given "for" a setting's value)
    ("We use 0.1 for dropout.", {"dropout": 0.1}),
    ("We set λ = 0.01 for weight decay.", {"weight_decay": 0.01}),
    ("We used a value of 0.5 for the dropout rate.", {"dropout": 0.5}),
    ("We set 0.01 for weight decay and 0.1 for dropout.", {"weight_decay": 0.01, "dropout": 0.1}),
    ("Using 3e-4 for the learning rate, we train for 10 epochs.", {"learning_rate": 3e-4, "epochs": 10}),
    ("This gives 0.1 for the dropout baseline and 0.3 for ours.", {}),
    # Adam's own name for its step size, where the text names Adam and no other α
    ("We train with Adam (α = 0.0002, β1 = 0.5).", {"learning_rate": 2e-4, "adam_beta1": 0.5}),
    ("We use mixup with α = 0.2 and train with Adam.", {"mixup_alpha": 0.2}),  # (mixup's α, not Adam's step)
    # the passive clipping, a symbol inside a name's bracket, a length counted in tokens
    ("Gradients are clipped at 1.0.", {"grad_clip": 1.0}),
    ("Dropout (p = 0.5) is applied between the two fully connected layers.", {"dropout": 0.5}),
    ("All sentences are padded or truncated to a maximum length of 64 tokens.", {"seq_len": 64}),
    # a graph network's layers and a config's keys (transformers' and peft's arguments)
    ("We use a GNN with K = 3 message-passing layers and 64 hidden units.", {"num_layers": 3, "hidden_size": 64}),
    ("We run run_qa.py with max_seq_length=384, learning_rate=3e-5 and num_train_epochs=2.",
     {"seq_len": 384, "learning_rate": 3e-5, "epochs": 2}),
    # where a rate starts, after a schedule whose factor has a decimal point
    ("We use an exponential learning rate decay with a factor of 0.95 per epoch, starting from 1e-3.",
     {"learning_rate": 1e-3}),
    # a momentum that changes during training is no momentum the optimizer takes
    ("We use SGD with momentum increased from 0.85 to 0.95 during training.", {}),
    # a warm-up with its object between; a changed warm-up is not one ("warmup is extended to 50 epochs" for a variant)
    ("We warm up the learning rate linearly for 5 epochs and then decay it with a cosine schedule.",
     {"warmup_epochs": 5}),
    ("The setting is also adopted, but warmup is extended to 50 epochs.", {}),
    # a value tried that failed; a cited work's value said in the passive
    ("We also tried a learning rate of 1e-3, which led to divergence.", {}),
    ("The baseline of Smith et al. (2020) is trained with a batch size of 512.", {}),
    # a width under its symbol in brackets; nanoGPT's block size; a context length as a count
    ("Our model has 6 layers with hidden dimension (d = 512) and 8 heads.",
     {"num_layers": 6, "hidden_size": 512, "num_heads": 8}),
    ("We train with a block size of 1024 tokens.", {"seq_len": 1024}),
    ("Each input is a sequence of maximum length T = 512 tokens.", {"seq_len": 512}),
    # a bare "max length" among training's settings; not a summary's
    ("We use a learning rate of 2e-5, a batch size of 128, 3 epochs, a max length of 512 and a warmup ratio of 0.03.",
     {"learning_rate": 2e-5, "batch_size": 128, "epochs": 3, "seq_len": 512, "warmup_ratio": 0.03}),
    ("We use a learning rate of 2e-5 and the max length of the summaries is 128.", {"learning_rate": 2e-5}),
    ("Models are trained with an 8K context window.", {"seq_len": 8192}),  # (a context's "8K" is 2^13 tokens)
])
def test_values_chosen_for_a_name_and_other_forms(text, values):
    assert _stated(extract_spec(_paper(text))) == values


@pytest.mark.parametrize("text, values", [
    # peft's arguments as a paper copies them, and LoRA's α called its scaling factor
    ("We train with LoRA (r=16, lora_alpha=32, lora_dropout=0.05).", {"lora_rank": 16, "lora_alpha": 32,
                                                                      "dropout": 0.05}),
    ("We apply LoRA with a rank of 8 and a scaling factor α of 16.", {"lora_rank": 8, "lora_alpha": 16}),
    # both set "to" their values
    ("We set the LoRA scaling α to 16 and the rank r to 8.", {"lora_rank": 8, "lora_alpha": 16}),
    ("For LoRA, we set the rank to 4 and alpha to 32.", {"lora_rank": 4, "lora_alpha": 32}),
])
def test_lora_arguments_as_peft_names_them(text, values):
    assert _stated(extract_spec(_paper(text))) == values


@pytest.mark.parametrize("text, batch, unit", [
    # batches summed over accumulation steps (and devices): the batch one optimizer step takes
    ("We use a batch size of 8 with 4 gradient accumulation steps.", 32, "(8 per batch × 4 accumulation steps)"),
    ("We use a per-device batch size of 4 and gradient accumulation over 8 steps on 4 GPUs.", 128,
     "(4 per device × 4 devices × 8 accumulation steps)"),
    ("We train with a batch size of 4 and accumulate gradients over 8 steps.", 32,
     "(4 per batch × 8 accumulation steps)"),
    # the length of the batch's sequences between the two is no other number
    ("We train for 3 epochs with a batch size of 8 sequences of 1024 tokens, and gradient accumulation of 4 steps.", 32,
     "(8 per batch × 4 accumulation steps)"),
    # the effective batch stated: that one
    ("We use a batch size of 8 and accumulate gradients over 4 batches for an effective batch size of 32.", 32, None),
    # a device's share, with the effective batch a sentence or two away: that one
    ("Each mini-batch has 2 images per GPU and each image has 512 sampled RoIs. N is 64 for C4. We train on 8 GPUs (so "
     "effective minibatch size is 16) for 90k iterations.", 16, None),
    ("Training for 300 epochs on 16 V100 GPUs takes 3 days, with 4 images per GPU (hence a total batch size of 64).",
     64, None),
])
def test_a_batch_accumulated_over_steps(text, batch, unit):
    spec = extract_spec(_paper(text))
    assert [(h.value, h.unit) for h in spec.hyperparameters if h.name == "batch_size"] == [(batch, unit)]


def test_a_data_set_that_ends_the_title_line_is_found_where_the_text_uses_it():
    """The title's last word over "Abstract" looks like a proper name ("CIFAR Senior Fellow"); a later mention that
    uses the data set is its mention."""
    spec = extract_spec(_paper("Reproducing GPT-2 Small on OpenWebText\nAbstract\nWe reproduce the GPT-2 model by "
                               "pre-training on OpenWebText and report validation perplexity."))
    assert [d.resolved for d in spec.datasets] == ["openwebtext"]


def test_a_data_set_s_name_that_names_a_network_s_part_is_no_data_set():
    """"C4" is a corpus and a ResNet's fourth stage ("the C4 backbone", "C5 features"): a part's noun after it says
    which; the corpus named as one is still found."""
    detector = extract_spec(_paper("N is 64 for the C4 backbone and 512 for FPN. We perform experiments on the COCO "
                                   "dataset and report AP."))
    assert [d.resolved for d in detector.datasets] == ["coco"]
    corpus = extract_spec(_paper("We pre-train on the C4 corpus for 32k steps."))
    assert [d.resolved for d in corpus.datasets] == ["c4"]


@pytest.mark.parametrize("text, values", [
    # where a cosine decay ends is no learning rate, nor is the rate a warm-up's "to" reaches across it
    ("We use a maximum learning rate of 6e-4 with 2000 warmup iterations and cosine decay to 6e-5 over 600,000 "
     "iterations.", {"learning_rate": 6e-4, "warmup_steps": 2000, "max_steps": 600000}),
    # a batch, then the accumulation steps in the same list: one batch, accumulated
    ("We use a per-device batch size of 8 and 4 gradient accumulation steps on a single GPU.", {"batch_size": 32}),
    # a bracket that says how the batch is made: the batch as stated
    ("We train with a batch size of 128 (16 per device with 8 gradient accumulation steps).", {"batch_size": 128}),
    # a phase of the schedule is not the training's length: "over the next 100 epochs", "starting after 50,000
    # iterations"; the decay said by what the rate does
    ("All networks were trained with a learning rate of 0.0002. We keep the same learning rate for the first 100 "
     "epochs and linearly decay the rate to zero over the next 100 epochs.",
     {"learning_rate": 0.0002}),
    ("We use a batch size of 64 and a learning rate of 10−3 decaying to 10−5 starting after 50,000 iterations.",
     {"batch_size": 64, "learning_rate": 0.001}),
])
def test_ends_of_schedules_and_batches_made_of_parts(text, values):
    assert _stated(extract_spec(_paper(text))) == values


@pytest.mark.parametrize("text, settings", [
    # a feedback pipeline's model as the subject its sentence trains: that stage's values
    ("The SFT model is trained for 2 epochs with a learning rate of 1e-5. The reward model is trained for 1 epoch "
     "with a learning rate of 5e-6.", {("epochs", "finetuning"): 2, ("learning_rate", "finetuning"): 1e-5,
                                       ("epochs", "reward_model"): 1, ("learning_rate", "reward_model"): 5e-6}),
    ("Our PPO policy is trained with a learning rate of 1e-6.", {("learning_rate", "rlhf"): 1e-6}),
    ("The model is trained for 3 epochs.", {("epochs", "default"): 3}),
    # the sizes first and the name left out in the second part
    ("For the 7B model we use a learning rate of 3e-4, and for the 70B model 1.5e-4.",
     {("learning_rate", "7B"): 3e-4, ("learning_rate", "70B"): 1.5e-4}),
])
def test_stages_and_sizes_as_a_sentence_s_subject_or_part_names_them(text, settings):
    assert _by_setting(extract_spec(_paper(text))) == settings


@pytest.mark.parametrize("text, settings", [
    # a value given "for" a name the registry lacks is that name's, not the other data set's the sentence names
    ("We use a batch size of 80 for MR and 40 for SST-2.", {("batch_size", "MR"): 80}),
    # WikiText's short names
    ("We use a batch size of 80 for WT2 and 40 for PTB.", {("batch_size", "wikitext2"): 80, ("batch_size", "ptb"): 40}),
    # a model's part or a variant's range is no setting
    ("We use a dropout of 0.5 for LSTM layers.", {("dropout", "default"): 0.5}),
    ("We linearly increase dropout ratio from 0.2 for EfficientNet-B0 to 0.5 for B7.",
     {("dropout", "default"): [0.2, 0.5]}),
])
def test_a_value_given_for_a_name(text, settings):
    assert _by_setting(extract_spec(_paper(text))) == settings


def test_a_data_set_named_in_capitals_that_opens_a_sentence_has_its_own_values():
    spec = extract_spec(_paper("We evaluate on MR, SST-2, Subj, TREC and CR. For all datasets we use a mini-batch size "
                               "of 50 and train for 25 epochs. For TREC we use 10 epochs."))
    assert _by_setting(spec) == {("batch_size", "default"): 50, ("epochs", "default"): 25, ("epochs", "TREC"): 10}


def test_a_size_s_exception_in_brackets_is_not_the_main_setting():
    """"a learning rate of 1e-4 (5e-5 for the large model)": the paper-wide value is the main run's, the large model's
    an exception (the largest size is main only where it has values of its own)."""
    spec = extract_spec(_paper("We instruction-tune a GPT-2 model on RTE. We fine-tune for 3 epochs with a learning "
                               "rate of 1e-4 (5e-5 for the large model)."))
    assert spec.default_setting == "finetuning" and spec.hyperparameter("learning_rate").value == 1e-4
    spec = extract_spec(_paper("We instruction-tune a GPT-2 model on RTE. We use a learning rate of 1e-4 for the base "
                               "model and 5e-5 for the large model."))
    assert spec.default_setting == "large"


def test_a_larger_size_s_value_in_brackets_does_not_make_it_the_main_setting():
    """"We fine-tune BERT-base-cased … 5e-5 (3e-5 for BERT-large)": the paper's model is the base one."""
    spec = extract_spec(_paper("We fine-tune BERT-base-cased for named entity recognition on CoNLL-2003 for 4 epochs "
                               "with a learning rate of 5e-5 (3e-5 for BERT-large)."))
    assert spec.default_setting == "conll2003" and spec.hyperparameter("learning_rate").value == 5e-5
    assert spec.hyperparameter("learning_rate", "conll2003 BERT-large").value == 3e-5


@pytest.mark.parametrize("text, values", [
    # a count written in words after its name
    ("We train with a batch size of sixty-four for twenty epochs.", {"batch_size": 64, "epochs": 20}),
    ("The number of training epochs is set to fifty.", {"epochs": 50}),
    ("The batch size is one hundred and twenty-eight.", {"batch_size": 128}),
    ("The number of layers is twelve and the number of heads is eight.", {"num_layers": 12, "num_heads": 8}),
    # not a word that is no count
    ("The batch size is one of the most important choices.", {}),
])
def test_counts_written_in_words(text, values):
    assert _stated(extract_spec(_paper(text))) == values


def test_the_values_a_figure_plots_are_an_experiment_s_not_the_run_s():
    spec = extract_spec(_paper("In Figure 3, we plot the loss for learning rates 1e-3 and 1e-4."))
    assert [(h.name, h.value, h.searched) for h in spec.hyperparameters] == [("learning_rate", [1e-3, 1e-4], True)]


def test_the_fixed_values_after_a_list_of_searches_with_a_participle_are_no_search():
    spec = extract_spec(_paper("For each task we search the learning rate in {1e-5, 2e-5, 3e-5} and the batch size in "
                               "{16, 32}, fine-tuning for 10 epochs with a warmup ratio of 0.06."))
    assert {h.name: h.searched for h in spec.hyperparameters} == {
        "learning_rate": True, "batch_size": True, "epochs": False, "warmup_ratio": False}


@pytest.mark.parametrize("text, values", [
    # a warm-up said as a fraction of training; a range a search tunes over (variants compared are none)
    ("The number of warmup steps is set to 10% of the total training steps.", {"warmup_ratio": 0.1}),
    ("The learning rate is tuned between 1e-5 and 1e-3 on a log scale.", {"learning_rate": [1e-5, 1e-3]}),
    ("In Section 5 we vary the number of heads between 4 and 16.", {}),
    # a batch counted in tokens is read whole, never as the number's first digits, millions of them too ("3.2M
    # tokens": too many to be one of examples, one of tokens); millions of anything else are no batch
    ("We finetune all models for 30k gradient steps with a batch size of 8,192 tokens.",
     {"max_steps": 30000, "batch_size": 8192}),
    ("We train with a context length of 2048 and a global batch of 3.2M tokens.",
     {"seq_len": 2048, "batch_size": 3_200_000}),
    ("All models use a batch size of 2 million tokens, except the largest, with 4M tokens.", {"batch_size": 2_000_000}),
    ("We train on 8 GPUs with a batch size of 5M images.", {}),
    # a bare width beside the model's layers or heads is its width; a multiplier's or a kernel's is none
    ("Our model has 12 layers, a width of 768 and 12 heads.", {"num_layers": 12, "hidden_size": 768, "num_heads": 12}),
    ("The network has 18 layers with a width multiplier of 2.", {"num_layers": 18}),
])
def test_fractions_ranges_and_token_batches(text, values):
    assert _stated(extract_spec(_paper(text))) == values


def test_a_batch_counted_in_tokens_says_so():
    spec = extract_spec(_paper("We use a batch size of 16384 tokens. The batch size is 32 sequences. We pre-train "
                               "with a batch size of 0.5M tokens."))
    assert [(h.value, h.unit) for h in spec.hyperparameters if h.name == "batch_size"] == [
        (16384, "tokens"), (32, None), (500_000, "tokens")]


def test_a_size_that_opens_its_sentence_without_a_comma_and_stages_that_share_a_value():
    spec = extract_spec(_paper("For small and medium models, we trained the models for up to 5 epochs. For the large "
                               "model we trained for at most 3 epochs. For large datasets we halve the batch."))
    assert {(h.setting, h.value) for h in spec.hyperparameters if h.name == "epochs"} == {
        ("small", 5), ("medium", 5), ("large", 3)}
    # "both pre-training and fine-tuning used …": every stage's, paper-wide, not the nearer stage's
    spec = extract_spec(_paper("For optimization, both pre-training and fine-tuning used Adafactor with square root "
                               "learning rate decay and dropout rate of 0.1."))
    assert [(h.name, h.setting) for h in spec.hyperparameters if h.name == "dropout"] == [("dropout", "default")]


def test_sizes_in_bert_notation_after_a_verb_with_another_symbol_between():
    spec = extract_spec(_paper("PEGASUSBASE had L = 12, H = 768, F = 3072, A = 12 and PEGASUSLARGE had L = 16, "
                               "H = 1024, F = 4096, A = 16, where L denotes the number of layers."))
    assert _sizes_by_setting(spec, "num_layers", "hidden_size", "num_heads") == {
        "PEGASUSBASE": {"num_layers": 12, "hidden_size": 768, "num_heads": 12},
        "PEGASUSLARGE": {"num_layers": 16, "hidden_size": 1024, "num_heads": 16}}


def test_a_table_with_a_two_word_column_of_names_and_cells_of_sizes_keeps_its_columns_in_line():
    """"Training data" and "Crop size" are one column each (a lower-case noun ends a column's name the reader has no
    field for), and "368 × 496" one cell: the rate, steps and batch under their own names (the rate had been the weight
    decay's cell and the steps the batch's)."""
    spec = extract_spec(_paper("Table 6: Training details for each stage.\nStage Training data Iterations Batch size "
                               "Learning rate Weight decay Crop size\nC Chairs 100k 12 4 × 10−4 10−4 368 × 496\n"
                               "K KITTI-2015 50k 6 10−4 10−5 288 × 960\n"))
    assert {(h.setting, h.name): h.value for h in spec.hyperparameters} == {
        ("C Chairs", "max_steps"): 100_000, ("C Chairs", "batch_size"): 12, ("C Chairs", "learning_rate"): 4e-4,
        ("C Chairs", "weight_decay"): 1e-4, ("K KITTI-2015", "max_steps"): 50_000, ("K KITTI-2015", "batch_size"): 6,
        ("K KITTI-2015", "learning_rate"): 1e-4, ("K KITTI-2015", "weight_decay"): 1e-5}


def test_a_table_row_with_a_pair_of_betas_or_a_name_with_its_size_keeps_its_columns_in_line():
    """"(0.9, 0.95)" is one cell (the epsilon had been read as the weight decay), "XLS-R (0.3B)" one name, "Model
    dim" the width's column, and "Model Dim" first in a header the rows' names, then the width."""
    spec = extract_spec(_paper("Peak LR Betas Epsilon Weight Decay Batch Size (tokens)\n"
                               "OLMo-7B 3.0E-4 (0.9, 0.95) 1.0E-5 0.1 ∼4M\n"
                               "Falcon-7B 6.0E-4 (0.9, 0.99) 1.0E-5 1E-1 ∼4M\n"
                               "Table 3: AdamW hyperparameters of models trained by other teams.\n"))
    assert {(h.setting, h.name): h.value for h in spec.hyperparameters if h.name != "optimizer"} == {
        ("OLMo-7B", "learning_rate"): 3e-4, ("OLMo-7B", "adam_epsilon"): 1e-5, ("OLMo-7B", "weight_decay"): 0.1,
        ("Falcon-7B", "learning_rate"): 6e-4, ("Falcon-7B", "adam_epsilon"): 1e-5, ("Falcon-7B", "weight_decay"): 0.1}
    spec = extract_spec(_paper("Model Blocks Model dim Inner dim Heads Params LR\n"
                               "XLS-R (0.3B) 24 1024 4096 16 317M 5e-3\nXLS-R (1B) 48 1280 5120 16 965M 3e-4\n"))
    assert _sizes_by_setting(spec, "num_layers", "hidden_size", "num_heads") == {
        "XLS-R(0.3B)": {"num_layers": 24, "hidden_size": 1024, "num_heads": 16},
        "XLS-R(1B)": {"num_layers": 48, "hidden_size": 1280, "num_heads": 16}}
    spec = extract_spec(_paper("Model Dim Heads Layers\n300M 1024 16 24\n1.5B 1536 24 48\n"))
    assert _sizes_by_setting(spec, "hidden_size", "num_heads", "num_layers") == {
        "300M": {"hidden_size": 1024, "num_heads": 16, "num_layers": 24},
        "1.5B": {"hidden_size": 1536, "num_heads": 24, "num_layers": 48}}


def test_a_row_with_a_decimal_is_no_header_for_the_row_below():
    # "mixup / cutmix – 0.8 / 1.0" names no columns: the mask ratio below is no CutMix α
    spec = extract_spec(_paper("config pre-training fine-tuning\nlabel smoothing – 0.1\nmixup / cutmix – 0.8\n"
                               "mask ratio 0.75 –\n"))
    assert spec.hyperparameter("cutmix_alpha") is None


def test_a_table_whose_columns_are_data_sets_the_registry_partly_lacks():
    """"Hyperparameter Flowers-102 Pets CIFAR-10": each column is its data set's (the registry knows CIFAR-10 only;
    the others are named in the text as data sets used), not one list per row that the plan takes the first of."""
    spec = extract_spec(_paper("We fine-tune the pretrained ResNet-50 on Flowers-102, Oxford-IIIT Pets and CIFAR-10 "
                               "datasets.\nTable 3: Fine-tuning hyperparameters per dataset.\nHyperparameter "
                               "Flowers-102 Pets CIFAR-10\nLearning rate 0.01 0.01 0.003\nEpochs 100 50 20\n"))
    assert _by_setting(spec) == {("learning_rate", "Flowers-102"): 0.01, ("learning_rate", "Pets"): 0.01,
                                 ("learning_rate", "cifar10"): 0.003, ("epochs", "Flowers-102"): 100,
                                 ("epochs", "Pets"): 50, ("epochs", "cifar10"): 20}


@pytest.mark.parametrize("text, settings", [
    # another setting's value in brackets after a value: the data set, stage, size or language pair it names
    ("We train on CIFAR-10 and SVHN with a batch size of 64 (128 for SVHN).",
     {("batch_size", "cifar10"): 64, ("batch_size", "svhn"): 128}),
    ("On CIFAR-10 we train for 300 epochs (40 for SVHN).", {("epochs", "cifar10"): 300, ("epochs", "svhn"): 40}),
    ("We pre-train for 300 epochs (30 for fine-tuning).",
     {("epochs", "pretraining"): 300, ("epochs", "finetuning"): 30}),
    ("We use a dropout rate of 0.3 (0.1 for the large model).", {("dropout", "default"): 0.3, ("dropout", "large"): 0.1}),
    ("We train on WMT 2014 English-German and English-French. We use a dropout of 0.3 (0.1 for En-Fr).",
     {("dropout", "default"): 0.3, ("dropout", "en-fr"): 0.1}),
    # a bracket that names a part of the model or of training, a device's share or a condition: not read
    ("We use a dropout of 0.3 (0.1 for the decoder).", {("dropout", "default"): 0.3}),
    ("We start with a learning rate of 0.1 (0.01 for the first 400 iterations).",
     {("learning_rate", "default"): 0.1}),
    ("We use a batch size of 256 (32 for each GPU).", {("batch_size", "default"): 256}),
])
def test_another_setting_s_value_in_brackets(text, settings):
    assert _by_setting(extract_spec(_paper(text))) == settings


def test_preference_tuning_and_a_linear_probe_are_stages_of_their_own():
    """A DPO paper is the fine-tuning of a language model; its DPO values are the preference stage's, apart from the
    supervised fine-tuning's. A self-supervised paper's linear evaluation is trained with values of its own."""
    spec = extract_spec(_paper(
        "We align a small language model with direct preference optimization.\nWe first run supervised fine-tuning on "
        "the chosen responses for 1 epoch with a learning rate of 1e-5. DPO training then uses β = 0.1 and a learning "
        "rate of 1e-6 with 150 warmup steps."))
    assert spec.task_type.value == "causal-lm-finetuning"
    assert _by_setting(spec) == {("epochs", "finetuning"): 1, ("learning_rate", "finetuning"): 1e-5,
                                 ("learning_rate", "preference"): 1e-6, ("warmup_steps", "preference"): 150}
    spec = extract_spec(_paper(
        "We pre-train a ResNet-18 on unlabeled images for 500 epochs with a batch size of 512. For linear evaluation, "
        "we freeze the encoder and train a linear classifier for 100 epochs with a batch size of 256."))
    assert _by_setting(spec) == {("epochs", "pretraining"): 500, ("batch_size", "pretraining"): 512,
                                 ("epochs", "linear_probe"): 100, ("batch_size", "linear_probe"): 256}


@pytest.mark.parametrize("text, length, unit", [
    # a schedule given stage by stage: training lasts the stages' sum, which the unit spells out
    ("We continue training with 10−2 for 75 epochs, then 10−3 for 30 epochs, and finally 10−4 for 30 epochs.",
     ("epochs", 135), "(75 + 30 + 30 epochs, the schedule's stages)"),
    ("The learning rate is 0.1 for the first 150 epochs, 0.01 for the next 75 epochs and 0.001 for the last 75.",
     ("epochs", 300), "(150 + 75 + 75 epochs, the schedule's stages)"),
    ("We train with a learning rate of 0.01 for 20k steps, then 0.001 for 10k steps.",
     ("max_steps", 30000), "(20000 + 10000 steps, the schedule's stages)"),
    # no rate before each count: no stages (each model's length, a batch and a length)
    ("We train with a batch size of 512 for 100 epochs.", ("epochs", 100), None),
])
def test_a_schedule_stated_stage_by_stage_lasts_its_stages_sum(text, length, unit):
    spec = extract_spec(_paper(text))
    lengths = [(h.name, h.value, h.unit) for h in spec.hyperparameters if h.name in ("epochs", "max_steps")]
    assert lengths == [(*length, unit)]


@pytest.mark.parametrize("text, settings", [
    # the value "for all other datasets" (or "otherwise") is the paper-wide one; the one before it its data set's
    ("We use a learning rate of 0.1 for CIFAR-10, and 0.01 for all other datasets.",
     {("learning_rate", "cifar10"): 0.1, ("learning_rate", "default"): 0.01}),
    ("The learning rate is 2e-5 for MRPC and 3e-5 otherwise.",
     {("learning_rate", "mrpc"): 2e-5, ("learning_rate", "default"): 3e-5}),
    # a name the paper does not use as a data set has no setting: its value is not put in the paper-wide one; a data
    # set the registry lacks that the paper uses has its own, as one of the registry's
    ("We use Adam with an initial learning rate of 0.01 for Pubmed, and 0.005 for all other datasets.",
     {("learning_rate", "default"): 0.005}),
    ("We use Adam with an initial learning rate of 0.01 for Pubmed, and 0.005 for all other datasets. We evaluate on "
     "the Cora, Citeseer and Pubmed datasets.", {("learning_rate", "Pubmed"): 0.01, ("learning_rate", "default"): 0.005}),
    # a value given for a bracketed group of data sets is the group's (its registry data set's, else the first the
    # paper uses); a value given for no group is all of theirs, not the one data set a group names
    ("We trained the encoders for up to 40 epochs for large datasets (NQ, TriviaQA, SQuAD) and 100 epochs for small "
     "datasets (TREC, WQ), with a learning rate of 10−5 using Adam.",
     {("epochs", "squad"): 40, ("epochs", "TREC"): 100, ("learning_rate", "default"): 1e-5}),
])
def test_the_value_for_the_other_data_sets_is_the_paper_wide_one(text, settings):
    assert _by_setting(extract_spec(_paper(text))) == settings


@pytest.mark.parametrize("text, settings", [
    # each part of the sentence opened by its data set: the value in it is that data set's
    ("For MNLI we use a learning rate of 3e-5 and for SST-2 a learning rate of 2e-5.",
     {("learning_rate", "mnli"): 3e-5, ("learning_rate", "sst2"): 2e-5}),
    # (a data set named after the value is still the one it is given for; "the other GLUE tasks" are GLUE's)
    ("We train for 160 epochs on CIFAR-100 and 90 epochs on ImageNet.",
     {("epochs", "cifar100"): 160, ("epochs", "imagenet"): 90}),
    ("For MNLI we train for 5 epochs, and for the other GLUE tasks for 3 epochs.",
     {("epochs", "mnli"): 5, ("epochs", "glue"): 3}),
    # data sets named together are one: each takes the value given for them, the rest theirs
    ("We fine-tune for 10 epochs on RTE, MRPC and STS-B, and for 3 epochs on the other GLUE tasks.",
     {("epochs", "rte"): 10, ("epochs", "mrpc"): 10, ("epochs", "stsb"): 10, ("epochs", "glue"): 3}),
    # a clause a size opens is that size's; a second value "and … for" the next size after a rule's value
    ("BASE trains for 400k updates, LARGE for 250k updates.",
     {("max_steps", "BASE"): 400_000, ("max_steps", "LARGE"): 250_000}),
    ("We optimize with Adam, warming up the learning rate for the first 8% of updates to a peak of 5 × 10−4 for BASE "
     "and 3 × 10−4 for LARGE, and then linearly decay it.",
     {("warmup_ratio", "default"): 0.08, ("learning_rate", "BASE"): 5e-4, ("learning_rate", "LARGE"): 3e-4}),
    # a sentence that opens with the experiments its values are for (not the paper's at large, nor a search's)
    ("For balanced set experiments, we use a learning rate of 5e-5. For full set experiments, we use a learning rate "
     "of 1e-5.",
     {("learning_rate", "balanced set"): 5e-5, ("learning_rate", "full set"): 1e-5}),
    ("For all experiments, we use a learning rate of 0.1.", {("learning_rate", "default"): 0.1}),
    ("In the experiments, we use a learning rate of 0.1.", {("learning_rate", "default"): 0.1}),  # (no setting "the")
    ("For the transductive baselines we reuse the numbers reported by Kipf & Welling (2017), whose GCN uses dropout "
     "0.5 and a learning rate of 0.01. We train with a learning rate of 0.005.",
     {("dropout", "transductive baseline"): 0.5, ("learning_rate", "transductive baseline"): 0.01,
      ("learning_rate", "default"): 0.005}),
    ("For all models we use a batch size m = 64. The DCGAN baselines use the hyperparameters of Radford et al. [22] "
     "(Adam with a learning rate of 2 × 10−4 and β1 = 0.5).",
     {("batch_size", "default"): 64, ("learning_rate", "DCGAN baseline"): 2e-4, ("adam_beta1", "DCGAN baseline"): 0.5}),
    ("Exceptionally, for the ablation studies, we trained the models for 40K iterations. We train for 160K iterations.",
     {("max_steps", "ablation"): 40_000, ("max_steps", "default"): 160_000}),
    # a list of lengths in steps, with their k and M, one a data set or a size as "respectively" pairs them
    ("We fine-tune for 13k, 13k and 20k updates on SST-2, MNLI and QNLI respectively.",
     {("max_steps", "sst2"): 13000, ("max_steps", "mnli"): 13000, ("max_steps", "qnli"): 20000}),
    ("The models are trained for 1.5M, 2M and 3M steps for the base, large and huge models respectively.",
     {("max_steps", "base"): 1_500_000, ("max_steps", "large"): 2_000_000, ("max_steps", "huge"): 3_000_000}),
    # a list of size words, each a size, one value each
    ("The base and large models use learning rates of 1e-4 and 5e-5, respectively.",
     {("learning_rate", "base"): 1e-4, ("learning_rate", "large"): 5e-5}),
    # a data set named by its held-out split is what the sentence evaluates on, not the values' setting
    ("We train our models for 3 epochs and evaluate every 250 steps on the development set of STS-B.",
     {("epochs", "default"): 3}),
    ("For the unsupervised model, we take the STS-B development set and train for 5 epochs. We fine-tune on SST-2 for "
     "3 epochs.", {("epochs", "default"): 5, ("epochs", "sst2"): 3}),
])
def test_each_value_goes_to_the_data_set_or_size_that_its_part_of_the_sentence_names(text, settings):
    assert _by_setting(extract_spec(_paper(text))) == settings


@pytest.mark.parametrize("text, settings, main", [
    # a translation paper's language pairs, where no data set is named: each part's pair
    ("We train on WMT14 English-German. We train for 300k updates on En-De and 500k updates on En-Fr.",
     {("max_steps", "en-de"): 300000, ("max_steps", "en-fr"): 500000}, "en-de"),
    # one pair: the part it opens is its own (the model size refines it); a pair mentioned in passing is no setting
    ("On the WMT 2014 English-to-German task we train with a dropout of 0.3. For the big model trained on "
     "English-to-French, we used dropout rate Pdrop = 0.1, instead of 0.3.",
     {("dropout", "wmt14"): 0.3, ("dropout", "en-fr big"): 0.1}, "wmt14"),
    ("Unlike most English-German systems, we train with a dropout of 0.2.", {("dropout", "default"): 0.2}, "default"),
])
def test_a_translation_paper_s_values_go_to_the_language_pair_they_are_given_for(text, settings, main):
    """The main setting is the main data set's pair where the paper gives values for that pair alone (it takes the
    rest from the data set's and the paper-wide values); another pair's values stay apart."""
    spec = extract_spec(_paper(text))
    assert _by_setting(spec) == settings
    assert spec.default_setting == main


def test_a_language_that_opens_a_sentence_has_its_own_values_except_english():
    """A multilingual paper's "For German …" value is German's, apart from the paper-wide one the plan runs; English's
    are the main run's (the registry's text data sets are their English editions)."""
    spec = extract_spec(_paper("We fine-tune on CoNLL-2003. All models are trained with a learning rate of 5e-5. For "
                               "German we found a smaller learning rate of 3e-5 to work better. For English, the "
                               "model is trained for 10 epochs."))
    assert _by_setting(spec) == {("learning_rate", "default"): 5e-5, ("learning_rate", "German"): 3e-5,
                                 ("epochs", "default"): 10}


@pytest.mark.parametrize("text, optimizer, schedule", [
    ("Optimization uses RAdam with a learning rate of 1e-3.", "radam", None),
    ("We use Nadam with default parameters.", "nadam", None),
    ("We use the Lion optimizer with a learning rate of 1e-4.", "lion", None),
    ("The learning rate is warmed up linearly and then decayed linearly to zero.", None, "linear"),
    ("We keep the learning rate constant after warm-up.", None, "constant"),
    ("We keep it for 100 epochs and linearly decay the rate to zero over the next 100 epochs.", None, "linear"),
    ("With Adam, the learning rate is linearly annealed to 0.", "adam", "linear"),
    ("The KL weight is linearly annealed from 0 to 1.", None, None),  # another weight's annealing: no schedule
    ("We keep the learning rate constant for the first 10 epochs, then decay it.", None, None),
    ("We use SGD with warm restarts (SGDR) with T0 = 10.", "sgd", "cosine with restarts"),
    # the rate's exponential decay said by its adverb, after the rate's value too
    ("We use Adam with an initial learning rate of 1e-3, exponentially decaying to 1e-5.", "adam", "exponential"),
    ("With SGD, the learning rate is decayed exponentially during training.", "sgd", "exponential"),
    ("Adam with learning rate 0.001, and linearly decaying it to zero.", "adam", "linear"),
    ("The temperature decays exponentially from 1.0 to 0.1, and we use Adam.", "adam", None),
    # a cross-entropy loss before the rate is no other quantity annealed
    ("We train with Adam using the standard cross-entropy loss, with a constant learning rate of 0.3.", "adam",
     "constant"),
    # a schedule the sentence replaces is not the one used
    ("Rather than a step schedule, we use a cosine learning rate decay with SGD.", "sgd", "cosine"),
])
def test_optimizers_and_schedules_as_papers_name_them(text, optimizer, schedule):
    spec = extract_spec(_paper(text))
    assert [(h.value if h else None) for h in (spec.hyperparameter("optimizer"), spec.hyperparameter("lr_schedule"))] \
        == [optimizer, schedule]


@pytest.mark.parametrize("text", [
    "We use an inverse square root learning rate schedule. This sets a constant learning rate of 0.01 for the first "
    "10^4 steps, then exponentially decays the learning rate until pre-training is over.",
    # the name's words run together in the PDF's text, after its closing quote
    "Duringpre-training, weusean“inversesquareroot”learningrateschedule: 1/√max(n,k). This sets a constant learning "
    "rate of 0.01 for the first 104 steps, then exponentially decays the learning rate until pre-training is over.",
])
def test_a_sentence_describing_the_schedule_named_before_it_is_no_other_schedule(text):
    """The shape words of a sentence that describes the schedule the sentence before names are that schedule's: the
    spec gives the one schedule, and no second one to warn about."""
    spec = extract_spec(_paper(text))
    assert [h.value for h in spec.hyperparameters if h.name == "lr_schedule"] == ["inverse square root"]
    assert not [w for w in spec.warnings if "lr_schedule" in w]


ADAPTER_PAPER = ["""Sparse Adapters for Efficient Transfer of Vision Transformers
Abstract
We propose sparse adapters to fine-tune pretrained Vision Transformers for image classification. On CIFAR-100 our
method matches full fine-tuning while training only 2% of the parameters.
1 Introduction
Large pretrained models such as ViT-L (Dosovitskiy et al., 2021) are trained for 300 epochs with a batch size of 4096
on JFT-300M. LoRA (Hu et al., 2022) uses a rank of 8.
2 Related Work
Prior work fine-tunes with a learning rate of 0.01 and 10k steps [12].
""", """3 Method
We insert an adapter after every MLP block of a pretrained ViT-B/16.
4 Experiments
We fine-tune on CIFAR-100 for 50 epochs with AdamW, a learning rate of 1e-3 and a batch size of 128.
For Flowers-102 we train for 100 epochs with a learning rate of 5e-4.
Table 2: Top-1 accuracy (%) for different adapter sizes.
Hidden dim 8 16 32 64
Accuracy 89.1 90.4 91.2 91.3
With a hidden dimension of 64, accuracy improves by only 0.1 points. Full fine-tuning with a learning rate of 1e-4
reaches 91.0%.
""", """A Additional Details
Table 5: Hyperparameters.
Hyperparameter Value
Optimizer AdamW
Adam β1 0.9
Adam β2 0.999
"""]


def test_the_background_results_and_other_data_sets_stay_out_of_the_setting_reproduced():
    """The introduction's and the related work's values are other works' (unless "we" state them); a value a result
    is reported for, and a table's variants, are none; a data set outside the registry that opens its sentence
    keeps its values to itself; "Adam β1" rows are AdamW's parameters where the paper trains with AdamW."""
    spec = extract_spec(_paper(*ADAPTER_PAPER))
    assert _by_setting(spec) == {("epochs", "cifar100"): 50, ("learning_rate", "cifar100"): 1e-3,
                                 ("batch_size", "cifar100"): 128, ("epochs", "Flowers-102"): 100,
                                 ("learning_rate", "Flowers-102"): 5e-4, ("adam_beta1", "default"): 0.9,
                                 ("adam_beta2", "default"): 0.999}
    assert spec.architecture.sizes == {} and spec.hyperparameter("optimizer").value == "adamw"
    assert spec.default_setting == "cifar100"


def test_our_own_values_in_the_introduction_stand():
    spec = extract_spec(_paper("1 Introduction\nWe train our model for 90 epochs with a batch size of 256.\n"))
    assert _by_setting(spec) == {("epochs", "default"): 90, ("batch_size", "default"): 256}


def test_adam_s_parameters_alone_say_adam():
    spec = extract_spec(_paper("We use a learning rate of 2e-4. We also use Adam beta2 of 0.999 and a max grad norm "
                               "of 0.3."))
    assert spec.hyperparameter("optimizer").value == "adam" and spec.hyperparameter("adam_beta2").value == 0.999


def test_a_search_named_after_a_value_is_the_search_of_its_own_name():
    spec = extract_spec(_paper("We fine-tune on each GLUE task for 10 epochs with a batch size of 32 and a learning rate "
                               "selected from {1e-5, 2e-5, 3e-5} on the development set."))
    searched = {h.name: h.searched for h in spec.hyperparameters}
    assert searched == {"epochs": False, "batch_size": False, "learning_rate": True}


def test_the_data_a_paper_trains_on_is_used_though_named_as_where_examples_come_from():
    spec = extract_spec(_paper("Fine-tuning Llama-2-7B on 52K instructions from the Alpaca dataset takes 4 hours. "
                               "Its articles are newswire from the Reuters corpus."))
    assert [d.name for d in spec.datasets] == ["Alpaca"]  # (Reuters: the corpus's source, not a data set used)


def test_a_model_size_other_than_the_one_the_paper_names_is_not_the_main_setting():
    spec = extract_spec(_paper("We fine-tune Llama-2-7B with LoRA for 3 epochs with a learning rate of 2e-4. The 13B "
                               "model uses a learning rate of 1e-4."))
    assert spec.default_setting != "13B" and spec.hyperparameter("learning_rate").value == 2e-4


def test_a_tabular_paper_s_boosting_values_data_sets_and_baseline():
    """A boosting library's sampling rates are read; data sets named with words saying what their data is; a
    baseline's values (and its optimizer) are the baseline's setting, not the experiment's."""
    spec = extract_spec(_paper(
        "We benchmark gradient boosted trees on the Adult census income dataset and the California housing dataset. "
        "We train XGBoost with 1,000 trees, a maximum depth of 6, a learning rate of 0.05, subsample = 0.8 and "
        "colsample_bytree = 0.8. The MLP baseline has three hidden layers of 256 units and is trained with Adam "
        "(lr = 1e-3) for 100 epochs with a batch size of 512."))
    assert [d.name for d in spec.datasets] == ["Adult census income", "California housing"]
    assert {k: v for k, v in _by_setting(spec).items() if k[1] == "default"} == {
        ("max_steps", "default"): 1000, ("max_depth", "default"): 6, ("learning_rate", "default"): 0.05,
        ("subsample", "default"): 0.8, ("colsample_bytree", "default"): 0.8}
    assert _by_setting(spec)[("learning_rate", "MLP baseline")] == 1e-3
    assert spec.hyperparameter("optimizer", setting="MLP baseline").setting == "MLP baseline"


def test_lightgbm_s_names_and_a_data_set_named_with_its_language():
    spec = extract_spec(_paper(
        "We benchmark gradient boosted trees on the German Credit and Taiwan Credit datasets. We use LightGBM with 1,000 "
        "trees, a learning rate of 0.05, a feature fraction of 0.8 and a bagging fraction of 0.7."))
    assert [d.name for d in spec.datasets] == ["German Credit", "Taiwan Credit"]
    assert _by_setting(spec) == {("max_steps", "default"): 1000, ("learning_rate", "default"): 0.05,
                                 ("colsample_bytree", "default"): 0.8, ("subsample", "default"): 0.7}


def test_a_value_fixed_after_a_list_of_searches_is_no_search():
    spec = extract_spec(_paper(
        "For each task we search the learning rate in {1e-5, 2e-5, 3e-5} and the batch size in {16, 32}, train for 10 "
        "epochs, and select the best configuration on the development set."))
    searched = {h.name: bool(h.searched) for h in spec.hyperparameters}
    assert searched == {"learning_rate": True, "batch_size": True, "epochs": False}


def test_a_table_of_stages_gives_each_stage_its_cells_and_a_dash_is_no_value():
    """A value equal in both stage columns is each stage's; a dash marks the column the row has no value for."""
    spec = extract_spec(_paper(
        "Table 7: Pre-training and fine-tuning settings on ImageNet-1K.\nConfig Pre-training Fine-tuning\n"
        "base learning rate 1.5e-4 5e-4\nweight decay 0.05 0.05\ntraining epochs 800 100\nlabel smoothing - 0.1\n"))
    assert _by_setting(spec) == {
        ("learning_rate", "pretraining"): 1.5e-4, ("learning_rate", "finetuning"): 5e-4,
        ("weight_decay", "pretraining"): 0.05, ("weight_decay", "finetuning"): 0.05,
        ("epochs", "pretraining"): 800, ("epochs", "finetuning"): 100, ("label_smoothing", "finetuning"): 0.1}


def test_the_size_a_paper_says_its_main_results_use_is_the_main_setting():
    """Of a table of model sizes, the largest is the main setting unless the paper names another as its main one."""
    table = ("We instruction-tune LLaMA 7B, 13B and 33B with LoRA.\nTable 9: Hyperparameters per model size.\n"
             "Model size 7B 13B 33B\nLearning rate 3e-4 2e-4 1e-4\nLoRA rank 16 16 32\n")
    assert extract_spec(_paper(table)).default_setting == "33B"
    spec = extract_spec(_paper(table + "Our main results use the 13B model."))
    assert spec.default_setting == "13B" and spec.hyperparameter("learning_rate").value == 2e-4
    assert spec.architecture.sizes["lora_rank"].value == 16


def test_a_summarization_paper_s_target_length_beams_and_model():
    """A target's length and the beams of the decoding are read (the seq2seq recipe takes both); an input's and a
    target's lengths named together are each their own; a beam size in a results table's rows is no setting."""
    spec = extract_spec(_paper(
        "We initialize from BART-large (Lewis et al., 2020) and fine-tune on CNN/DailyMail for 20,000 steps with a "
        "learning rate of 3e-5. Source documents are truncated to 1,024 tokens and summaries to 142 tokens. At test "
        "time we use beam search with a beam size of 4."))
    assert (spec.hyperparameter("target_len").value, spec.hyperparameter("num_beams").value) == (142, 4)
    assert spec.architecture.sizes["seq_len"].value == 1024 and spec.architecture.model.value == "facebook/bart-large"
    spec = extract_spec(_paper("The input and target sequence lengths used in finetuning are 1024 and 256, "
                               "respectively."))
    assert (spec.architecture.sizes["seq_len"].value, spec.hyperparameter("target_len").value) == (1024, 256)
    spec = extract_spec(_paper("Method test BLEU\nSingle forward LSTM, beam size 12 26.17\n"))
    assert spec.hyperparameter("num_beams") is None


def test_what_opens_a_sentence_is_a_setting_only_when_it_is_a_named_baseline_or_a_data_set():
    """"Our baseline" is often the paper's own configuration, and a model's name is a model's: neither moves values out
    of the paper-wide setting where it gives none of its own; "the MLP baseline" and a data set outside the registry
    do."""
    spec = extract_spec(_paper("Our baseline uses a learning rate of 0.1. For ResNet-152, we use a batch size of 128. "
                               "The MLP baseline is trained with a learning rate of 1e-3."))
    assert _by_setting(spec) == {("learning_rate", "default"): 0.1, ("batch_size", "default"): 128,
                                 ("learning_rate", "MLP baseline"): 1e-3}


def test_a_model_that_opens_a_sentence_holds_the_values_it_changes():
    """"With ResNeXt [45], … a starting learning rate of 0.01" beside the paper-wide 0.02 is that model's (its name as
    written: "For optimization, we use AdaFactor" opens with none); its value for a name given nowhere else stays the
    paper's."""
    spec = extract_spec(_paper("We train for 160k iterations with a learning rate of 0.02. With ResNeXt [45], we train "
                               "with the same number of iterations, a starting learning rate of 0.01 and a weight decay "
                               "of 0.0001. For ResNet-101, the learning rate is 0.04. For optimization, we use a "
                               "dropout of 0.1."))
    assert _by_setting(spec) == {("max_steps", "default"): 160_000, ("learning_rate", "default"): 0.02,
                                 ("learning_rate", "ResNeXt"): 0.01, ("weight_decay", "default"): 0.0001,
                                 ("learning_rate", "ResNet-101"): 0.04, ("dropout", "default"): 0.1}


@pytest.mark.parametrize("model", ["WideResNet", "Mask R-CNN", "DeBERTa", "ShuffleNet"])
def test_more_well_known_models_that_open_a_sentence_hold_their_values(model):
    spec = extract_spec(_paper(f"We train for 200 epochs with a batch size of 128. For {model}, we use a batch size of "
                               "64."))
    assert _by_setting(spec) == {("epochs", "default"): 200, ("batch_size", "default"): 128,
                                 ("batch_size", model): 64}


def test_an_introduction_whose_end_the_text_lost_does_not_swallow_the_paper():
    """The introduction's kind is carried to the next page only: a section heading lost in extraction leaves the
    later pages' values the paper's."""
    spec = extract_spec(_paper("1 Introduction\nModels such as BERT are trained for 40 epochs.\n",
                               "Deep networks are hard to train.\n",
                               "The model is trained for 90 epochs with a batch size of 256.\n"))
    assert _by_setting(spec) == {("epochs", "default"): 90, ("batch_size", "default"): 256}


@pytest.mark.parametrize("text, value", [
    ("We use stochastic depth with a rate of 0.2.", 0.2), ("We use stochastic depth with a drop rate of 0.1.", 0.1),
    ("We use a drop path rate of 0.3 and no dropout.", 0.3), ("drop_path = 0.1, mixup = 0.8", 0.1),
    ("Stoch. depth 0.1", 0.1), ("The stochastic depth rate is set to 0.5.", 0.5),
    # a survival probability is what stochastic depth keeps, not its rate: not read
    ("We use stochastic depth with a survival probability of 0.8.", None),
    ("We apply stochastic depth with survival probability 0.8 for the last layer.", None)])
def test_stochastic_depth_is_read_as_its_drop_rate(text, value):
    spec = extract_spec(_paper(text))
    assert next((h.value for h in spec.hyperparameters if h.name == "drop_path_rate"), None) == value


def test_a_slash_list_of_values_is_one_per_variant_of_a_slash_list():
    """"0.1/0.2/0.5 for ConvNeXt-S/B/L" pairs each value with its variant, as "respectively" does (test_plan: a slash
    list whose variants the sentence does not name is never planned as a grid); a variant qualified ("isotropic
    ConvNeXt-L") is not taken as the main result's model."""
    spec = extract_spec(_paper("We train ConvNeXt models on ImageNet with a learning rate of 4e-3. The stochastic "
                               "depth rates are 0.1/0.2/0.5 for isotropic ConvNeXt-S/B/L."))
    rates = {h.setting: h.value for h in spec.hyperparameters if h.name == "drop_path_rate"}
    assert rates == {"isotropic ConvNeXt-S": 0.1, "isotropic ConvNeXt-B": 0.2, "isotropic ConvNeXt-L": 0.5}
    assert spec.default_setting == "imagenet"
    spec = extract_spec(_paper("We train ConvNeXt models on ImageNet with a learning rate of 4e-3. The drop path "
                               "rates are 0.1, 0.2 and 0.3 for ConvNeXt-T/S/B, respectively."))
    assert {h.setting: h.value for h in spec.hyperparameters if h.name == "drop_path_rate"} == {
        "ConvNeXt-T": 0.1, "ConvNeXt-S": 0.2, "ConvNeXt-B": 0.3}


@pytest.mark.parametrize("text, expected", [
    ("We use mixup with α = 0.2 and CutMix with α = 1.0.", {"mixup_alpha": 0.2, "cutmix_alpha": 1.0}),
    ("We use a mixup ratio of 0.8 and a cutmix ratio of 1.0.", {"mixup_alpha": 0.8, "cutmix_alpha": 1.0}),
    ("Mixup alpha 0.8", {"mixup_alpha": 0.8}), ("mixup [90] 0.8 0.8", {"mixup_alpha": 0.8}),
    ("random erasing [91] 0.25 0.25", {"random_erasing": 0.25}),
    ("We use Mixup, Cutmix and Random Erasing with probability 0.25.", {"random_erasing": 0.25}),
    ("exp. mov. avg. (EMA) [51] 0.9999 None", {"ema_decay": 0.9999}),
    ("We keep an exponential moving average of the weights with a decay of 0.9999.", {"ema_decay": 0.9999}),
    # the methods named with their citations are no values
    ("We use Mixup [90], Cutmix [89], RandAugment [14] and Random Erasing [91].", {})])
def test_an_image_papers_augmentations_and_weight_average_are_read(text, expected):
    spec = extract_spec(_paper(text))
    names = ("mixup_alpha", "cutmix_alpha", "random_erasing", "ema_decay")
    assert {h.name: h.value for h in spec.hyperparameters if h.name in names} == expected


@pytest.mark.parametrize("text, value", [
    ("We fine-tune with a layer-wise learning rate decay of 0.65 and a learning rate of 5e-4.", 0.65),
    ("We use layer-wise learning rate decay (0.75) following BEiT.", 0.75), ("LLRD 0.8", 0.8),
    ("layer_decay = 0.75", 0.75),
    # a schedule's decay is not a layer-wise one
    ("The learning rate decays by a factor of 0.1 at epochs 30 and 60.", None)])
def test_layer_wise_learning_rate_decay_is_read(text, value):
    spec = extract_spec(_paper(text))
    assert next((h.value for h in spec.hyperparameters if h.name == "layer_decay"), None) == value


def test_a_stage_tables_column_of_a_data_set_trained_in_another_stage_is_that_stages_setting():
    """A fine-tuning table whose columns are named by data sets the paper also trains on from scratch (ConvNeXt's
    "ImageNet-1K ImageNet-22K" columns of its fine-tuning settings): each column's values are fine-tuning's for that
    data set, never the from-scratch setting's, which keeps its own values; a data set trained only in that stage
    (XLNet's RACE column) is still that data set's setting."""
    spec = extract_spec(_paper(
        "We train on ImageNet-1K for 300 epochs with a learning rate of 4e-3 and a batch size of 4096.",
        "A.2 Fine-tuning\nTable 6. ImageNet-1K fine-tuning settings.\nconfig ImageNet-1K ImageNet-22K\n"
        "base learning rate 5e-5 1e-4\nlayer-wise lr decay 0.7 0.8\ntraining epochs 30 30\n"))
    values = _by_setting(spec)
    assert values[("learning_rate", "imagenet")] == 4e-3 and values[("learning_rate", "finetuning imagenet")] == 5e-5
    assert values[("learning_rate", "finetuning ImageNet-22K")] == 1e-4
    assert values[("layer_decay", "finetuning imagenet")] == 0.7
    assert values[("layer_decay", "finetuning ImageNet-22K")] == 0.8
    assert values[("epochs", "imagenet")] == 300 and ("layer_decay", "imagenet") not in values
    assert "imagenet" not in spec.reuses and spec.default_setting == "imagenet"


@pytest.mark.parametrize("text, family", [
    ("A ConvNet for the 2020s\nAs a result, we propose a family of pure ConvNets dubbed ConvNeXt.", "convnext"),
    ("Swin Transformer\nThis paper presents a new vision Transformer, called Swin Transformer, that serves as a "
     "backbone.", "swin"),
    # another work's network, named in passing, is not the paper's
    ("A ConvNet for the 2020s\nWe build on the framework, called ConvNeXt, proposed by Liu et al. (2022).", "cnn"),
    ("Convolutional networks\nA model called ConvNeXt [12] was trained on ImageNet.", "cnn")])
def test_the_network_a_paper_introduces_by_name_is_its_family(text, family):
    """The name a paper gives the network it introduces ("dubbed ConvNeXt", "called Swin Transformer") is its
    family, over a generic one its title gives ("A ConvNet ..."); a network another work introduced is not."""
    assert extract_spec(_paper(text)).architecture.family.value == family


@pytest.mark.parametrize("definition, dropout", [
    ("Each unit is retained with a fixed probability p independent of other units.", 0.2),
    ("Here p is the probability of retaining a unit in the network.", 0.2),
    # a p that is the probability of dropping, or none defined: the rate as written
    ("Each unit is dropped with probability p independent of other units.", 0.8),
    ("Dropout regularizes the network.", 0.8)])
def test_a_dropout_p_the_paper_defines_as_kept_drops_one_minus_it(definition, dropout):
    """The dropout paper's p keeps a unit ("retained with a fixed probability p"): its "p = 0.8 for input units" drops
    0.2 of them. The definition and the value stand on different pages, as they do in papers."""
    paper = Paper(source="inline", kind="pdf", sha256="0" * 64, pages=[
        Page(number=1, text=f"Dropout\n{definition}\n"),
        Page(number=2, text="The networks were trained with dropout with p = 0.8 for input units and a learning rate "
                            "of 10 with a momentum of 0.95.\n")])
    assert extract_spec(paper).hyperparameter("dropout").value == pytest.approx(dropout)


@pytest.mark.parametrize("text, family", [
    # the names as papers write them: plural, the depth run into the name
    ("All ResNets are trained for 90 epochs with SGD on ImageNet.", "resnet"),
    ("We use a ResNet50 backbone trained on ImageNet with a batch size of 256.", "resnet"),
    # a network named as what the paper's is compared with is not the paper's
    ("We compare against ResNets, but our model is a Vision Transformer (ViT) trained on ImageNet.", "vit"),
    ("Compared to a ResNet-50, our ConvNeXt-T has fewer FLOPs.", "convnext"),
    ("Unlike ResNets, which we use as a baseline, we train a ViT.", "vit"),
    # (where only compared ones are named, the first stands)
    ("Our model outperforms ResNet-152 and EfficientNet-B7.", "resnet")])
def test_the_family_is_the_one_the_paper_trains_not_one_it_compares_with(text, family):
    assert extract_spec(_paper(text)).architecture.family.value == family


def test_a_convolutional_network_named_in_general_words_is_the_one_the_page_names():
    spec = extract_spec(_paper("Bag of Tricks for Image Classification with Convolutional Neural Networks\nWe follow a "
                               "widely used implementation of ResNet as our baseline."))
    assert spec.architecture.family.value == "resnet"


@pytest.mark.parametrize("text", [
    "We train a pointer-generator network with 256-dimensional hidden states on the CNN/Daily Mail dataset.",
    "Modeling Relational Data with Graph Convolutional Networks",
    "Table 4: Results on CNN/DM, with prompting examples.",
])
def test_a_data_set_s_name_is_no_model_family(text):
    """The news summarisation corpus is named after a broadcaster, not a convolutional network; a graph's
    convolutional network is no CNN either."""
    assert extract_spec(_paper(text)).architecture.family is None




@pytest.mark.parametrize("text, expected", [
    ("randaugment [14] (9, 0.5) (9, 0.5)", {"randaugment_magnitude": 9, "randaugment_std": 0.5}),
    ("RandAug (9, 0.5)", {"randaugment_magnitude": 9, "randaugment_std": 0.5}),
    ("We use RandAugment with N = 2 and M = 9.", {"randaugment_ops": 2, "randaugment_magnitude": 9}),
    ("RandAugment (N=2, M=10) is applied.", {"randaugment_ops": 2, "randaugment_magnitude": 10}),
    ("augmentation rand-m9-mstd0.5-inc1", {"randaugment_magnitude": 9, "randaugment_std": 0.5}),
    ("rand-m9-n2-mstd0.5", {"randaugment_magnitude": 9, "randaugment_ops": 2, "randaugment_std": 0.5}),
    ("We use Mixup [90], Cutmix [89], RandAugment [14], Random Erasing [91].", {})])
def test_randaugment_is_read_in_the_forms_papers_give_it(text, expected):
    spec = extract_spec(_paper(text))
    assert {h.name: h.value for h in spec.hyperparameters if h.name.startswith("randaugment")} == expected


@pytest.mark.parametrize("text, settings", [
    # a stage named to compare with is not the values' ("the same setup as pretraining"); "N steps of warmup" are the
    # warm-up's; "for a total of N steps" after a warm-up is the training's length
    ("We use a batch size 1024, a learning rate 1e-3 with warmup over 750 steps, and weight decay 0.1, for a total of "
     "36,000 steps. For finetuning, we use the same setup as pretraining, but different hyperparameters: a batch size "
     "of 256 and a learning rate 1e-4 with 50 steps of warmup.",
     {("batch_size", "default"): 1024, ("learning_rate", "default"): 1e-3, ("warmup_steps", "default"): 750,
      ("weight_decay", "default"): 0.1, ("max_steps", "default"): 36_000, ("batch_size", "finetuning"): 256,
      ("learning_rate", "finetuning"): 1e-4, ("warmup_steps", "finetuning"): 50}),
    # a data set the sentence excepts is not its setting
    ("We used an identical learning rate of 0.03 across all datasets other than ImageNet.",
     {("learning_rate", "default"): 0.03}),
    # the size a clause after a semicolon names is that clause's
    ("The 13B model is trained on 8 A100 GPUs; the 33B model uses a learning rate of 1e-5.",
     {("learning_rate", "33B"): 1e-5}),
    # a schedule's stages counted in mini-batches are steps
    ("We use a learning rate of 0.001 for 60k mini-batches, and 0.0001 for the next 20k mini-batches.",
     {("learning_rate", "default"): 0.001, ("lr_decay_factor", "default"): 0.1, ("lr_milestones", "default"): [60_000],
      ("lr_milestone_unit", "default"): "steps"}),
    # the optimizer of a sentence that gives values for two data sets is every data set's; a stage a reason names is
    # not the optimizer's
    ("We use standard SGD with Nesterov momentum and a weight decay of 0.0005 for CIFAR-10 and 0.001 for CIFAR-100.",
     {("optimizer", "default"): "sgd", ("nesterov", "default"): True, ("weight_decay", "cifar10"): 0.0005,
      ("weight_decay", "cifar100"): 0.001}),
    ("We use AdamW for our model rather than Adam as this improves the downstream performance after finetuning.",
     {("optimizer", "default"): "adamw"}),
    # a warm-up from a rate other than zero
    ("The learning rate is increased from 0.0002 to 0.002 for the first 3k iterations and then annealed to 0.0002 "
     "using a cosine schedule.", {("learning_rate", "default"): 0.002, ("warmup_steps", "default"): 3000,
                                  ("lr_schedule", "default"): "cosine"}),
    # a bracket's value with its unit is the bracket's setting's only; an epoch's length in iterations is no length
    ("We train for 300 epochs (600 epochs for ImageNet) with a batch size of 64.",
     {("epochs", "default"): 300, ("epochs", "imagenet"): 600, ("batch_size", "default"): 64}),
    ("All networks are trained for 1000 epochs, with one epoch being defined as 250 training iterations (using a batch "
     "size of 2).", {("epochs", "default"): 1000, ("batch_size", "default"): 2}),
    # every value of a long sentence is the one data set it names before them, not only those its quote reaches
    ("Fine-tuning details\nWe fine-tune GPT-2 small on the WikiText-2 training set for 5 epochs using AdamW with "
     "learning rate 5e-5, β1 = 0.9, β2 = 0.999, weight decay 0.01, batch size 8 with block size 512 tokens, and "
     "linear learning-rate decay with 500 warmup steps. Training takes 40 minutes on a single V100 GPU.",
     {("epochs", "wikitext2"): 5, ("learning_rate", "wikitext2"): 5e-5, ("adam_beta1", "wikitext2"): 0.9,
      ("adam_beta2", "wikitext2"): 0.999, ("weight_decay", "wikitext2"): 0.01, ("batch_size", "wikitext2"): 8,
      ("warmup_steps", "wikitext2"): 500, ("optimizer", "wikitext2"): "adamw", ("lr_schedule", "wikitext2"): "linear"}),
    # sizes in capitals, one value each
    ("The peak learning rates are 5e-4/1.5e-3/3e-3 for BASE/LARGE/X-LARGE models.",
     {("learning_rate", "BASE"): 5e-4, ("learning_rate", "LARGE"): 1.5e-3, ("learning_rate", "X-LARGE"): 3e-3}),
    # a weight average's decay rate is no exponential schedule
    ("During training, the moving averages of all weights of the model are maintained with the exponential decay rate "
     "of 0.999.", {("ema_decay", "default"): 0.999}),
    # a set in square brackets after its connector is a search's values
    ("We tested the batch size of [128, 256, 512, 1024], and the learning rate of [0.0001, 0.0005, 0.001].",
     {("batch_size", "default"): [128, 256, 512, 1024], ("learning_rate", "default"): [0.0001, 0.0005, 0.001]}),
    # whose value it is, between the name and its verb
    ("The learning rate for Adam was set to 0.0000625 with ε = 1.5 × 10−4.",
     {("learning_rate", "default"): 6.25e-5, ("adam_epsilon", "default"): 1.5e-4, ("optimizer", "default"): "adam"}),
    # a schedule's later point said again, its points as ordinals
    ("All models are trained for 90k iterations with an initial learning rate of 0.01, which is then divided by 10 at "
     "60k and again at 80k iterations.",
     {("max_steps", "default"): 90_000, ("learning_rate", "default"): 0.01, ("lr_decay_factor", "default"): 0.1,
      ("lr_milestones", "default"): [60_000, 80_000], ("lr_milestone_unit", "default"): "steps"}),
    ("The learning rate is initially set to 0.1 and is scheduled to decrease by a factor of 5 after each of the 60th, "
     "120th, and 160th epochs.",
     {("learning_rate", "default"): 0.1, ("lr_decay_factor", "default"): 0.2,
      ("lr_milestones", "default"): [60, 120, 160], ("lr_milestone_unit", "default"): "epochs"}),
    # the rate divided when a validation figure falls; the rate where training stops is no learning rate
    ("At each epoch, we divide the learning rate by 5 if the dev accuracy decreases. We use mini-batches of size 64 "
     "and training is stopped when the learning rate goes under the threshold of 10−5.",
     {("lr_decay_factor", "default"): 0.2, ("lr_schedule", "default"): "plateau", ("batch_size", "default"): 64}),
    # a search's set after where it was chosen; a schedule's kind hyphenated, called a policy
    ("We run fastText for 5 epochs with a learning rate selected on a validation set from {0.05, 0.1, 0.25, 0.5}.",
     {("epochs", "default"): 5, ("learning_rate", "default"): [0.05, 0.1, 0.25, 0.5]}),
    ("We use linear-decay learning rate policy (decreased from 0.5 to 0).",
     {("lr_schedule", "default"): "linear", ("learning_rate", "default"): 0.5}),
    # a second size's clause with its name and verb left out
    ("The 160M model uses a learning rate of 6.0 × 10−4 and the 12B model 1.2 × 10−4.",
     {("learning_rate", "160M"): 6e-4, ("learning_rate", "12B"): 1.2e-4}),
    # an LSTM language model's rate of 30 is a rate; DropConnect on a layer's weights is no dropout
    ("We carry out gradient clipping with maximum norm 0.25 and use an initial learning rate of 30 for all "
     "experiments.",
     {("grad_clip", "default"): 0.25, ("learning_rate", "default"): 30}),
    ("For the weight-dropped LSTM, a dropout of 0.5 was applied to the recurrent weight matrices.", {}),
    # an optimizer's step size is its rate
    ("Stepsizes were adapted with Adagrad; the Adagrad global stepsize parameters were chosen from {0.01, 0.02, 0.1}.",
     {("learning_rate", "default"): [0.01, 0.02, 0.1], ("optimizer", "default"): "adagrad"}),
    # a decay by a constant factor each epoch, of a rate in some words, or one that starts late (its factor only)
    ("The learning rate is chosen from [1 × 10−4, 6 × 10−4] and annealed by a constant factor of 1.2 after each epoch.",
     {("learning_rate", "default"): [1e-4, 6e-4], ("lr_decay_factor", "default"): 0.83333333,
      ("lr_step_size", "default"): 1, ("lr_milestone_unit", "default"): "epochs"}),
    ("The learning rate is halved every epoch.", {("lr_decay_factor", "default"): 0.5, ("lr_step_size", "default"): 1,
                                                  ("lr_milestone_unit", "default"): "epochs"}),
    ("We start with a learning rate of 1; after 5 epochs, we begin to halve the learning rate every epoch.",
     {("learning_rate", "default"): 1, ("lr_decay_factor", "default"): 0.5}),
    ("Learning rate decay: decay of rate 0.94 every 2 epochs",
     {("lr_decay_factor", "default"): 0.94, ("lr_step_size", "default"): 2,
      ("lr_milestone_unit", "default"): "epochs"}),
    ("We use a learning rate of 0.25 and once the validation perplexity stops improving, we reduce the learning rate "
     "by an order of magnitude after each epoch until it falls below 10−4.",
     {("learning_rate", "default"): 0.25, ("lr_decay_factor", "default"): 0.1, ("lr_schedule", "default"): "plateau"}),
    # a dropout layer "of rate"; a generator's weight average
    ("Both models include a dropout layer of rate 0.5 before the logistic regression layer.",
     {("dropout", "default"): 0.5}),
    ("For evaluation, we use moving averages of G's weights with a decay of 0.9999.",
     {("ema_decay", "default"): 0.9999}),
    # the schedule's kind, hyphenated; a constant rate said of the rate (not a phase's)
    ("We use the same inverse square-root learning rate schedule used by T5.",
     {("lr_schedule", "default"): "inverse square root"}),
    ("For fine-tuning, we use a constant learning rate of 0.001.",
     {("lr_schedule", "finetuning"): "constant", ("learning_rate", "finetuning"): 0.001}),
    ("We use an inverse square root learning rate schedule. This sets a constant learning rate of 0.01 for the first "
     "10^4 steps, then exponentially decays the learning rate.",
     {("learning_rate", "default"): 0.01, ("lr_schedule", "default"): "inverse square root"}),
    # the point before the factor; a part's rate against the rest's is no decay
    ("Models are trained for 50 epochs and the learning rate is decayed at the 40-th epoch by a factor of 0.1. "
     "Learning rates of the linear projections, used for predicting sampling offsets, are multiplied by a factor "
     "of 0.1.",
     {("epochs", "default"): 50, ("lr_decay_factor", "default"): 0.1, ("lr_milestones", "default"): [40],
      ("lr_milestone_unit", "default"): "epochs"}),
    ("Learning rates of the linear projections are multiplied by a factor of 0.1.", {}),
    # DeepLab's "poly" policy; drop path said as "path dropout"
    ('We employ a "poly" learning rate policy where the initial learning rate is multiplied by (1 − '
     "iter/max_iter)^power with power = 0.9.", {("lr_schedule", "default"): "polynomial"}),
    ("Additional enhancements include cutout, path dropout of probability 0.2 and auxiliary towers with weight 0.4.",
     {("drop_path_rate", "default"): 0.2}),
    # the parameters a stage starts from name no stage: the sentence fine-tunes
    ("Fine-tuning: we use a batch size of 32, and fine-tune the model from our pre-trained parameters for 4 epochs.",
     {("batch_size", "finetuning"): 32, ("epochs", "finetuning"): 4}),
    # NovoGrad's betas are not Adam's
    ("We trained for 400 epochs using NovoGrad with β1 = 0.95, β2 = 0.5, weight decay 0.001.",
     {("epochs", "default"): 400, ("weight_decay", "default"): 0.001, ("optimizer", "default"): "novograd"}),
    # nor are a preconditioner's (a capitalised word before it is no first name) or a quasi-Newton method's
    ("We optimize with Distributed Shampoo with β1 = 0.9, β2 = 0.9 and ε = 10−6, with a learning rate of 1e-4.",
     {("learning_rate", "default"): 1e-4, ("optimizer", "default"): "shampoo"}),
    ("The network is trained with L-BFGS for 500 iterations with a learning rate of 1.0.",
     {("learning_rate", "default"): 1.0, ("max_steps", "default"): 500, ("optimizer", "default"): "lbfgs"}),
    # a boosted model's trees are its rounds; smoothing as a keyword; drop path scheduled; an ℓ2 weight after its value
    ("The number of trees is 5000 for all datasets, with early stopping on the validation set.",
     {("max_steps", "default"): 5000}),
    ("We use cross-entropy loss with label smoothing (smoothing=0.1).", {("label_smoothing", "default"): 0.1}),
    ("We use ScheduledDropPath with a drop probability of 0.3.", {("drop_path_rate", "default"): 0.3}),
    ("We train with a mini-batch size of 512 and an ℓ2 regularization with 1e−6 weight.",
     {("batch_size", "default"): 512, ("weight_decay", "default"): 1e-6}),
    # a search's set "out of" its values; two values for two sizes, in order
    ("We search for the best learning rate out of [3e-5, 5e-5, 1e-4, 1.5e-4].",
     {("learning_rate", "default"): [3e-5, 5e-5, 1e-4, 1.5e-4]}),
    ("Stochastic depth ratios of 0.2 and 0.3 are used for SwinV2-B and SwinV2-L.",
     {("drop_path_rate", "SwinV2-B"): 0.2, ("drop_path_rate", "SwinV2-L"): 0.3}),
    # a factor as a fraction; a period in thousands
    ("We train for 90 epochs and the learning rate is reduced by 1/10 at the 30-th, 60-th, and 80-th epoch, as in "
     "[16].",
     {("epochs", "default"): 90, ("lr_decay_factor", "default"): 0.1, ("lr_milestones", "default"): [30, 60, 80],
      ("lr_milestone_unit", "default"): "epochs"}),
    ("The learning rate was set to 0.0001 and halved every 200K steps.",
     {("learning_rate", "default"): 1e-4, ("lr_decay_factor", "default"): 0.5, ("lr_step_size", "default"): 200_000,
      ("lr_milestone_unit", "default"): "steps"}),
    # exploration's ε annealed is no learning-rate schedule; RandAugment's layers are its operations
    ("The behaviour policy was ε-greedy with ε annealed linearly from 1.0 to 0.1 over the first million frames. The "
     "learning rate was 0.00025.", {("learning_rate", "default"): 0.00025}),
    ("For AugReg, we use Mixup with α = 0.5, RandAugment with 2 layers and magnitude 15.",
     {("mixup_alpha", "default"): 0.5, ("randaugment_ops", "default"): 2, ("randaugment_magnitude", "default"): 15}),
    # Adam has no momentum: a momentum encoder's coefficient is none of the optimizer's
    # Adam's "momentum", said in the sentence that names Adam, is its β1
    ("We use adam optimizer with initial learning rate 0.001, momentum 0.9 and batch size 32.",
     {("optimizer", "default"): "adam", ("learning_rate", "default"): 0.001, ("adam_beta1", "default"): 0.9,
      ("batch_size", "default"): 32}),
    ("By default we use AdamW and a batch size of 4096. The momentum coefficient m is 0.99.",
     {("optimizer", "default"): "adamw", ("batch_size", "default"): 4096}),
])
def test_settings_and_lengths_as_more_papers_state_them(text, settings):
    assert {(h.name, h.setting): h.value for h in extract_spec(_paper(text)).hyperparameters} == settings


def test_a_power_whose_base_is_lost_is_no_number():
    """FCN's "5−5" is 5·10⁻⁵ with its 10 lost: not a learning rate of 5."""
    spec = extract_spec(_paper("We use fixed learning rates of 10−3, 10−4, and 5−5 for FCN-AlexNet, FCN-VGG16, and "
                               "FCN-GoogLeNet, respectively."))
    assert all(v < 1 for h in spec.hyperparameters if h.name == "learning_rate"
               for v in (h.value if isinstance(h.value, list) else [h.value]))


def test_a_grid_of_decay_factors_is_searched():
    spec = extract_spec(_paper("The learning rate is chosen from {0.005, 0.01, 0.02}, the decay rate is chosen from "
                               "{0.4, 0.8, 0.9, 0.95} and the decay iterations from {500, 2000}."))
    assert [(h.value, h.searched) for h in spec.hyperparameters if h.name == "lr_decay_factor"] == [
        ([0.4, 0.8, 0.9, 0.95], True)]  # (no factor chosen: every value of the grid is searched)


def test_only_a_grid_s_values_are_searched_not_the_choices_or_schedule_beside_them():
    spec = extract_spec(_paper("We train with Adagrad. The learning rate is chosen from [1 × 10−4, 6 × 10−4] and "
                               "annealed by a constant factor of 1.2 after each epoch, with Adagrad."))
    assert {h.name: h.searched for h in spec.hyperparameters} == {
        "learning_rate": True, "lr_decay_factor": False, "lr_step_size": False, "lr_milestone_unit": False,
        "optimizer": False}


def test_a_heading_s_data_set_is_the_setting_of_the_fine_tuning_under_it():
    """BERT's sections "4.2 SQuAD v1.1" and "4.3 SQuAD v2.0": each "We fine-tune for …" is that data set's."""
    spec = extract_spec(_paper("4.2 SQuAD v1.1\nWe fine-tune for 3 epochs with a learning rate of 5e-5 and a batch "
                               "size of 32.\n4.3 SQuAD v2.0\nWe fine-tuned for 2 epochs with a learning rate of 5e-5 "
                               "and a batch size of 48.\n"))
    assert _by_setting(spec) == {("epochs", "squad"): 3, ("learning_rate", "squad"): 5e-5, ("batch_size", "squad"): 32,
                                 ("epochs", "squad_v2"): 2, ("learning_rate", "squad_v2"): 5e-5,
                                 ("batch_size", "squad_v2"): 48}


def test_an_appendix_heading_by_the_word_names_its_stage():
    spec = extract_spec(_paper("Appendix B: Pretraining details\nWe use a batch size of 4096 and train for 800 epochs. "
                               "We use a linear warmup for 5% of the training steps.\nAppendix C: Fine-tuning details\n"
                               "We use a batch size of 1024.\n"))
    assert _by_setting(spec) == {("batch_size", "pretraining"): 4096, ("epochs", "pretraining"): 800,
                                 ("warmup_ratio", "pretraining"): 0.05, ("batch_size", "finetuning"): 1024}


def test_a_warm_up_s_steps_after_a_title_with_no_full_stop_are_not_the_training_s():
    spec = extract_spec(_paper("How to train your ViT? Data, Augmentation, and Regularization in Vision Transformers\n"
                               "3 Experimental setup\nWe pre-train all models for 300 epochs with a batch size of 4096 "
                               "using Adam, a cosine learning rate schedule with a linear warmup phase of 10k "
                               "steps.\n"))
    values = _by_setting(spec)
    assert values[("warmup_steps", "pretraining")] == 10_000 and ("max_steps", "pretraining") not in values


def test_a_line_naming_a_data_set_heads_the_list_of_its_values():
    """Xception's optimisation section: "On ImageNet:" and "On JFT:" each head a list of "Name: value" lines."""
    spec = extract_spec(_paper("4.3 Optimization configuration\nA different configuration was used for ImageNet and "
                               "JFT:\nOn ImageNet:\nMomentum: 0.9\nInitial learning rate: 0.045\nOn JFT:\n"
                               "Momentum: 0.9\nInitial learning rate: 0.001\n4.4 Regularization\nWe use a weight decay "
                               "of 1e-5.\n"))
    assert _by_setting(spec) == {("momentum", "imagenet"): 0.9, ("learning_rate", "imagenet"): 0.045,
                                 ("momentum", "JFT"): 0.9, ("learning_rate", "JFT"): 0.001,
                                 ("weight_decay", "default"): 1e-5}


def test_a_recurrent_language_model_paper_is_causal_lm_though_it_drops_out_word_vectors():
    spec = extract_spec(_paper("Regularizing and Optimizing LSTM Language Models\nThe values used for dropout on the "
                               "word vectors and the output of the final LSTM layer were 0.4 and 0.1. We evaluate on "
                               "Penn Treebank and WikiText-2."))
    assert spec.task_type.value == "causal-lm"


@pytest.mark.parametrize("text, settings", [
    # a star as the times sign; a warm-up said with its unit's plural and no word between
    ("Learning rate 6 ∗ 10−4\nBatch size 512\n", {("learning_rate", "default"): 6e-4, ("batch_size", "default"): 512}),
    ("We train the models for a total of 300 epochs with 5 epochs warm-up.",
     {("epochs", "default"): 300, ("warmup_epochs", "default"): 5}),
    ("We train for 100k steps with 4000 steps warmup.",
     {("max_steps", "default"): 100_000, ("warmup_steps", "default"): 4000}),
    # a length trained "up to", without a "for"; a length where training is terminated
    ("The batch size is set to 64 and the model is trained up to 800k steps.",
     {("batch_size", "default"): 64, ("max_steps", "default"): 800_000}),
    ("The base learning rate is set as 1e−3, and is dropped to 1e−4 and 1e−5 at the 170th and 200th epochs, "
     "respectively. The training process is terminated within 210 epochs.",
     {("learning_rate", "default"): 1e-3, ("lr_decay_factor", "default"): 0.1, ("lr_milestones", "default"): [170, 200],
      ("lr_milestone_unit", "default"): "epochs", ("epochs", "default"): 210}),
    # values listed before their names
    ("For all directions, we train with 0.3 dropout, 0.2 label smoothing, 2500 warm-up steps, 3e−5 maximum learning "
     "rate.", {("dropout", "default"): 0.3, ("label_smoothing", "default"): 0.2, ("warmup_steps", "default"): 2500,
               ("learning_rate", "default"): 3e-5}),
    # a part's rate multiplier and the fractions of training where the rate drops are no rates
    ("We use an initial learning rate of 0.0001 and a weight decay of 0.05. A learning rate multiplier of 0.1 is "
     "applied to the backbone and we decay the learning rate at 0.9 and 0.95 fractions of the total number of training "
     "steps by a factor of 10.", {("learning_rate", "default"): 1e-4, ("weight_decay", "default"): 0.05}),
    # the rate of a part that trains beside the model (a discriminator, a critic, a Q-function) is not the model's
    ("By default, the learning rate for the discriminator is 0.0004 and the learning rate for the generator is 0.0001.",
     {("learning_rate", "default"): 1e-4}),
    ("We use a Q-function learning rate of 3e-4 and a policy learning rate of 1e-4, with a batch size of 256.",
     {("learning_rate", "default"): 1e-4, ("batch_size", "default"): 256}),
    # α is Adam's where its own sentence names Adam or gives its betas, not a loss weight after Adam's sentence
    ("We use Adam with a learning rate of 5e-5. We use α = 4.0 on the 1% data condition.",
     {("learning_rate", "default"): 5e-5, ("optimizer", "default"): "adam"}),
    ("We use default values of λ = 10, ncritic = 5, α = 0.0001, β1 = 0, β2 = 0.9.",
     {("learning_rate", "default"): 1e-4, ("adam_beta1", "default"): 0, ("adam_beta2", "default"): 0.9}),
    # steps that are a sampler's or a return's, not training's
    ("For sampling, we report results with the full 4000 steps and with 50 and 100 evenly strided steps.", {}),
    ("In Atari, we use 50 simulations for each search, a discount of γ = 0.997 and n = 10 steps for the value target.",
     {}),
    # "stochastic gradient descent using the ADAM optimizer" trains with Adam
    ("All models were trained with mini-batch stochastic gradient descent using the ADAM optimizer with a batch size "
     "of 32.", {("batch_size", "default"): 32, ("optimizer", "default"): "adam"}),
    # an image's width, an index's cells and a citation's numbers are no sizes or ranges
    ("Table 1. Fixed model hyperparameters.\nParameter Value\nImage Width 96\nImage Height 72\nBatch size 32\n",
     {("batch_size", "default"): 32}),
    ("We partition the embedding space into P = 2000 cells and search the nearest p = 10 cells.", {}),
    ("We use the large-scale jittering (LSJ) augmentation [18, 23] with a random scale sampled from range 0.1 to 2.0.",
     {}),
    # a dropout at the experts' layers and a predictor's row are a part's; a step a mini-batch trained on
    ("We find that setting a smaller dropout rate (0.1) at non-expert layers and a much larger dropout rate (0.4) at "
     "expert layers improves fine-tuning.", {("dropout", "finetuning"): 0.1}),
    ("Table 3. Hyperparameters.\nHyperparameter Value\nEncoder/Decoder Dropout 0.2\nVariance Predictor Dropout 0.5\n"
     "Discriminator learning rate 0.0004\nGenerator learning rate 0.0001\n",
     {("dropout", "default"): 0.2, ("learning_rate", "default"): 1e-4}),
    ("All networks were trained for 1 million mini-batches of size 2048.",
     {("max_steps", "default"): 1_000_000, ("batch_size", "default"): 2048}),
    # a data set named to compare with is not the setting of the values beside it
    ("For CelebA, we train our own model with the same architecture and hyperparameters as the CIFAR10 model, using "
     "Adam with a learning rate of 2 × 10−4.", {("learning_rate", "default"): 2e-4, ("optimizer", "default"): "adam"}),
    # a rate relative to another's is a ratio, and the stage it is relative to is not the values' stage
    ("We train for one epoch with a learning rate of 0.5 relative to the pre-training learning rate, and a batch size "
     "of 1024 sequences.", {("epochs", "default"): 1, ("batch_size", "default"): 1024}),
    # a count in words that "million" scales is not the count; a minimum rate's row, its name abbreviated
    ("Furthermore, we increase the batch size from three to six million tokens per batch during training.", {}),
    ("Table 3. Hyperparameters.\nGlobal Batch Size 256 256\nMin. learning rate 1e-5 6e-6\n",
     {("batch_size", "default"): 256}),
    # an ε something is initialised to is no Adam's; a temperature's warm-up is no rate's; a Greek symbol's count of
    # updates is another quantity's schedule; a batch in minutes of audio is no count of examples
    ("We train with AdamW and a batch size of 1024. The diagonal values of the LayerScale matrices are all initialized "
     "to a fixed small value ε: we set it to ε = 0.1 until depth 18, ε = 10−5 for depth 24 and ε = 10−6 for deeper "
     "networks.", {("batch_size", "default"): 1024, ("optimizer", "default"): "adamw"}),
    ("The teacher temperature is linearly warmed up from 0.04 to 0.07 during the first 30k iterations.", {}),
    ("During pre-training we linearly anneal τ using τ0 = 0.999, τe = 0.9999 and τn = 30,000 updates.", {}),
    ("We train for 400K updates with a batch size of 63 minutes of audio.", {("max_steps", "default"): 400_000}),
    # each clause's size is its own value's: the second rate is the large model's, not the base's
    ("The learning rate for base and small model is 5e-4, while the learning rate for large model is 3e-4.",
     {("learning_rate", "base"): 5e-4, ("learning_rate", "small"): 5e-4, ("learning_rate", "large"): 3e-4}),
    # a name outside the registry that opens a sentence as a registry data set opens the one beside it is its own
    # setting
    ("For CNN/DailyMail, we set batch size to 32, and maximum length to 768. For Gigaword, we set batch size to 64, "
     "and maximum length to 256.", {("batch_size", "cnn_dailymail"): 32, ("batch_size", "Gigaword"): 64}),
    # a data set after a value that opens the next part of the sentence is that part's
    ("Our ImageNet 64 × 64 models are trained for 1.5M iterations and our CIFAR-10 models for 500K iterations.",
     {("max_steps", "imagenet"): 1_500_000, ("max_steps", "cifar10"): 500_000}),
])
def test_values_as_papers_of_more_fields_state_them(text, settings):
    spec = extract_spec(_paper(text))
    assert {(h.name, h.setting): h.value for h in spec.hyperparameters} == settings
    assert len(spec.hyperparameters) == len(settings)  # (no second value under a name)
    assert not spec.architecture.sizes


@pytest.mark.parametrize("text", [
    "The table-to-text models are trained on TITAN Xp or GeForce GTX TITAN X machines.",
    "Here is a description of the six experiment datasets: (1) ETT [41] dataset contains the data collected from "
    "electricity transformers, including load and oil temperature that are recorded every 15 minutes between July 2016 "
    "and July 2018. (2) Electricity dataset contains the hourly electricity consumption of 321 customers.",
    "We use BCE Loss for training the cls and obj branch.",
])
def test_hardware_dates_and_losses_are_no_data_sets(text):
    names = [d.name for d in extract_spec(_paper(text)).datasets]
    assert not [n for n in names if re.search(r"TITAN|July|Loss", n)], names


def test_a_table_whose_header_ends_in_a_name_of_two_words_keeps_its_rows_names_and_columns_in_line():
    """Prefix-Tuning's "learning rate # epoch batch size prefix length": the last column, a field the reader has no
    name for, is two words, so each row (a data set's name, then four numbers) has as many cells as the header has
    words; its name is still the row's, and each number its own column's."""
    spec = extract_spec(_paper("A.1 Hyperparameters\nlearning rate # epoch batch size prefix length\n"
                               "E2E 8e-05 5 10 5\nWebNLG 5e-05 5 5 5\nXSUM 5e-05 30 14 100\n"))
    assert _by_setting(spec) == {
        ("learning_rate", "E2E"): 8e-05, ("epochs", "E2E"): 5, ("batch_size", "E2E"): 10,
        ("learning_rate", "WebNLG"): 5e-05, ("epochs", "WebNLG"): 5, ("batch_size", "WebNLG"): 5,
        ("learning_rate", "xsum"): 5e-05, ("epochs", "xsum"): 30, ("batch_size", "xsum"): 14}


@pytest.mark.parametrize("header, row, expected", [
    # sizes run into the name in lower case ("E5small"), and a model beside its sized variant ("GraphormerSMALL")
    ("E5small E5base E5large", "learning rate 3 × 10−5 2 × 10−5 1 × 10−5",
     {("learning_rate", "E5small"): 3e-5, ("learning_rate", "E5base"): 2e-5, ("learning_rate", "E5large"): 1e-5}),
    ("Graphormer GraphormerSMALL", "Peak Learning Rate 2e-4 3e-4",
     {("learning_rate", "Graphormer"): 2e-4, ("learning_rate", "GraphormerSMALL"): 3e-4}),
])
def test_a_table_s_columns_of_model_sizes_named_as_papers_run_them_into_the_name(header, row, expected):
    spec = extract_spec(_paper(f"Table 8: Hyperparameters.\n{header}\n{row}\nbatch size 256 256\n"))
    assert {k: v for k, v in _by_setting(spec).items() if k[0] == "learning_rate"} == expected


def test_a_table_s_count_of_params_column_and_key_value_heads_keep_the_model_s_sizes_in_line():
    """Qwen's "# of Params Hidden size Heads Layers …" is one column before the sizes; Gemma's "Num KV heads" (grouped
    or multi-query attention's) are not the attention heads."""
    spec = extract_spec(_paper("Table 1: Model sizes.\n# of Params Hidden size Heads Layers Learning rate\n"
                               "1.8B 2048 16 24 3.0 × 10−4\n7B 4096 32 32 3.0 × 10−4\n"))
    assert {s: {n: q.value for n, q in sizes.items()} for s, sizes in spec.architecture.per_setting.items()} == {
        "1.8B": {"hidden_size": 2048, "num_heads": 16, "num_layers": 24},
        "7B": {"hidden_size": 4096, "num_heads": 32, "num_layers": 32}}
    spec = extract_spec(_paper("Table 1: Key model parameters.\nParameters 2B 7B\nd_model 2048 3072\nLayers 18 28\n"
                               "Num heads 8 16\nNum KV heads 1 16\n"))
    assert {s: sizes["num_heads"].value for s, sizes in spec.architecture.per_setting.items()} == {"2B": 8, "7B": 16}


def test_a_table_header_s_abbreviated_column_names_keep_the_columns():
    """ESM-2's "Embedding dim." (its full stop no column of its own): each row's sizes under their names."""
    spec = extract_spec(_paper("Table S1. Model architectures.\nParameters Layers Embedding dim. Attention heads\n"
                               "8M 6 320 20\n650M 33 1280 20\n15B 48 5120 40\n"))
    assert _sizes_by_setting(spec) == {
        "8M": {"num_layers": 6, "hidden_size": 320, "num_heads": 20},
        "650M": {"num_layers": 33, "hidden_size": 1280, "num_heads": 20},
        "15B": {"num_layers": 48, "hidden_size": 5120, "num_heads": 40}}


@pytest.mark.parametrize("text, used", [
    # said not to be used; the data set a model it starts from was trained on
    ("Our models are trained from random initialization; no ImageNet pre-training is used. We train on CIFAR-10.",
     ["cifar10"]),
    ("The network is initialized with weights from a model pretrained on ImageNet and trained on CIFAR-10.",
     ["cifar10"]),
    # the paper's own pre-training is a use
    ("We pre-train on ImageNet and fine-tune on CIFAR-10.", ["imagenet", "cifar10"]),
])
def test_a_data_set_the_paper_does_not_train_on_is_not_used(text, used):
    assert [d.resolved for d in extract_spec(_paper(text)).datasets] == used


def test_a_table_s_counted_symbols_repeated_names_and_unnamed_number_columns_keep_the_sizes_in_line():
    """OPT's "#L #H dmodel" (a count of H is heads, dmodel the width); CLIP's two-line header, whose second line repeats
    "layers width heads" for the text model (the first model's are read) and whose "rate" column the reader has no
    name for (its number is no part of the row's name)."""
    spec = extract_spec(_paper("Table 1: Models.\nModel #L #H dmodel LR\n125M 12 12 768 6.0e−4\n"
                               "175B 96 96 12288 1.2e−4\n"))
    assert _sizes_by_setting(spec) == {"125M": {"num_layers": 12, "num_heads": 12, "hidden_size": 768},
                                       "175B": {"num_layers": 96, "num_heads": 96, "hidden_size": 12288}}
    spec = extract_spec(_paper("Table 21. CLIP-ViT hyperparameters\n"
                               "Learning Embedding Input Vision Transformer Text Transformer\n"
                               "Model rate dimension resolution layers width heads layers width heads\n"
                               "ViT-B/32 5 × 10−4 512 224 12 768 12 12 512 8\n"
                               "ViT-L/14 4 × 10−4 768 224 24 1024 16 12 768 12\n"))
    assert _sizes_by_setting(spec, "num_layers", "num_heads") == {
        "ViT-B/32": {"num_layers": 12, "num_heads": 12}, "ViT-L/14": {"num_layers": 24, "num_heads": 16}}


def test_a_table_s_capitalised_abbreviated_counts_keep_the_columns():
    """Switch Transformer's "Num. Heads Num. Layers" (capitalised, a full stop after the abbreviation)."""
    spec = extract_spec(_paper("Table 9: Switch model design.\nModel Parameters dmodel dff Num. Heads Num. Layers "
                               "Num. Experts Expert Freq.\nT5-Large 0.7B 1024 2816 16 24 – –\n"
                               "Switch-C 1571B 2080 6144 32 15 2048 1\n"))
    assert _sizes_by_setting(spec, "num_heads", "num_layers") == {
        "T5-Large 0.7B": {"num_heads": 16, "num_layers": 24}, "Switch-C 1571B": {"num_heads": 32, "num_layers": 15}}


def test_a_hyperparameter_table_with_data_sets_for_columns_and_rows_of_one_value():
    """LoRA's Table 11: the header names the data sets (not its rows: "Weight Decay" is no data set); a row of one
    name and one value ("# Epoch 5") gives no value to the next row's name ("Warmup Steps 500"); "Label Smooth"."""
    spec = extract_spec(_paper("Table 11: The hyperparameters for GPT-2 LoRA.\nDataset E2E WebNLG DART\n"
                               "Weight Decay 0.01 0.01 0.0\nLabel Smooth 0.1 0.1 0.0\nBatch Size 8\n# Epoch 5\n"
                               "Warmup Steps 500\n"))
    assert [d.name for d in spec.datasets] == ["E2E", "WebNLG", "DART"]
    assert spec.hyperparameter("warmup_steps").value == 500
    assert [h.value for h in spec.hyperparameters if h.name == "warmup_steps"] == [500]
    assert spec.hyperparameter("label_smoothing") is not None and spec.hyperparameter("batch_size").value == 8


def test_a_table_of_data_sets_with_one_letter_symbols_for_columns():
    """RotatE's "Dataset n k γ α b lr steps": "n k" is two columns (symbols), not "the number of k"."""
    spec = extract_spec(_paper("Table 13: The best hyperparameter setting on several benchmarks.\n"
                               "Dataset n k γ α b lr steps\nFB15k 256 1000 24 1.0 1024 0.0001 150000\n"
                               "WN18RR 1024 500 6 0.5 512 0.00005 80000\n"))
    assert _by_setting(spec) == {("learning_rate", "FB15k"): 1e-4, ("max_steps", "FB15k"): 150_000,
                                 ("learning_rate", "WN18RR"): 5e-5, ("max_steps", "WN18RR"): 80_000}


def test_a_size_s_setting_opens_its_sentence_as_its_model_does():
    spec = extract_spec(_paper("For the LARGE setting, our model has a 24-layer Transformer with 1,024 hidden sizes "
                               "and 16 attention heads."))
    assert _sizes_by_setting(spec) == {"LARGE": {"num_layers": 24, "hidden_size": 1024, "num_heads": 16}}


def test_a_later_clause_for_another_size_keeps_its_own_layers():
    spec = extract_spec(_paper("For our base model, we use 6 layers in the encoder and decoder, and for our large "
                               "model we use 12 layers in each."))
    assert _sizes_by_setting(spec, "num_layers") == {"base": {"num_layers": 6}, "large": {"num_layers": 12}}


def test_hyperparameters_fine_tuned_are_no_fine_tuning_stage():
    spec = extract_spec(_paper("We use Adam as the optimizer and fine-tune the hyperparameters on the validation set. "
                               "We train for 10 epochs."))
    assert _by_setting(spec) == {("epochs", "default"): 10} and spec.settings == ["default"]


def test_a_library_named_with_its_abbreviation_is_no_data_set():
    spec = extract_spec(_paper("We use the Transformer Reinforcement Learning (TRL) library for fine-tuning."))
    assert spec.datasets == []


def test_run_in_headings_of_stages_named_by_an_acronym_with_a_letter_before_it_keep_their_values_apart():
    """Zephyr's "dSFT training." and "dDPO training." (distilled SFT and DPO): each paragraph's values are its stage's,
    the lower-case letter before the acronym no bar to a heading or to the sentence break before it."""
    spec = extract_spec(_paper(
        "4.2 Training\ndSFT training. We use a cosine learning rate scheduler with a peak learning rate of 2e-5. We "
        "train all models with a global batch size of 512.\ndDPO training. We use a linear learning rate scheduler "
        "with a peak learning rate of 5e-7. We train all models with a global batch size of 32.\n"))
    assert {k: v for k, v in _by_setting(spec).items() if k[0] in ("learning_rate", "batch_size")} == {
        ("learning_rate", "finetuning"): 2e-5, ("batch_size", "finetuning"): 512,
        ("learning_rate", "preference"): 5e-7, ("batch_size", "preference"): 32}


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_paragraph_a_stage_opens_holds_that_stage_s_values_to_its_end(wrapped):
    """"For reward modeling, we initialize … We train for one epoch …": the paragraph's later sentences are the reward
    model's too, to the paragraph's end (a line that ends a sentence and is short or a whole paragraph long), in one
    line or wrapped as a PDF's lines are; the next paragraph is not."""
    paragraphs = [
        "For reward modeling, we initialize to the supervised baseline, but with a reward head on top. We train for "
        "one epoch and use a batch size of 64; this resulted in a learning rate of 1.5e-5.",
        "All models are trained with the Adam optimizer. We use a batch size of 128 for the final runs."]
    if wrapped:
        lines = [line for p in paragraphs for line in textwrap.wrap(p, 72)]
    else:
        lines = paragraphs
    spec = extract_spec(_paper("B.1 Hyperparameters\n" + "\n".join(lines) + "\n"))
    assert _by_setting(spec) == {("epochs", "reward_model"): 1, ("batch_size", "reward_model"): 64,
                                 ("learning_rate", "reward_model"): 1.5e-5, ("batch_size", "default"): 128}
