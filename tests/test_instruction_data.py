"""Causal-LM fine-tuning on data that is not plain text (the causal-LM task file's templates): each kind of data set,
made here as a ``datasets.Dataset``, becomes the prompt and completion a person would write from its own column and
class names; the planner accepts those kinds for the causal-LM fine-tuning recipe and records the template."""

import pytest

from ml_intern.codegen.task_contract import TASKS, load_task_file

datasets = pytest.importorskip("datasets", reason="the task file reads datasets' features")


@pytest.fixture(scope="module")
def task():
    pytest.importorskip("torch", reason="the task file imports torch")
    return load_task_file(TASKS / "causal_lm.py")


def test_classification_rows_become_a_prompt_with_the_options_and_the_class_name_as_completion(task):
    ds = datasets.Dataset.from_dict(
        {"premise": ["A dog runs."], "hypothesis": ["An animal moves."], "label": [1], "idx": [0]},
        features=datasets.Features({"premise": datasets.Value("string"), "hypothesis": datasets.Value("string"),
                                    "label": datasets.ClassLabel(names=["entailment", "not_entailment"]),
                                    "idx": datasets.Value("int32")}))
    cfg = task.TaskConfig(template="auto")
    assert task.data_kind(ds, cfg) == "classification"
    template = task.make_template(ds, cfg, "classification")
    assert template.prompt(ds[0]) == ("Premise: A dog runs.\nHypothesis: An animal moves.\n"
                                      "Options: entailment, not entailment\nAnswer:")
    assert template.completion(ds[0]) == " not entailment"
    assert template.class_index(ds[0]["label"]) == 1


def test_classification_of_plain_label_values_takes_the_classes_from_every_split(task):
    train = datasets.Dataset.from_dict({"sentence": ["good film", "bad film"], "label": ["pos", "neg"]})
    test = datasets.Dataset.from_dict({"sentence": ["odd film"], "label": ["mixed"]})
    cfg = task.TaskConfig(template="auto")
    assert task.data_kind(train, cfg) == "classification"
    template = task.make_template(train, cfg, "classification", (test,))
    assert template.classes == ["mixed", "neg", "pos"]
    assert template.prompt(train[0]) == "Sentence: good film\nOptions: mixed, neg, pos\nAnswer:"
    assert template.completion(test[0]) == " mixed" and template.class_index("pos") == 2


def test_question_answering_rows_ask_the_question_after_the_context_and_keep_every_gold_answer(task):
    ds = datasets.Dataset.from_dict({
        "id": ["1"], "title": ["Rivers"], "context": ["The Nile flows north."], "question": ["Which way?"],
        "answers": [{"text": ["north", "northwards"], "answer_start": [15, 15]}]})
    cfg = task.TaskConfig(template="auto")
    assert task.data_kind(ds, cfg) == "question-answering"
    template = task.make_template(ds, cfg, "question-answering")
    assert template.prompt(ds[0]) == "Context: The Nile flows north.\nQuestion: Which way?\nAnswer:"
    assert template.completion(ds[0]) == " north"
    assert template.references(ds[0]) == ["north", "northwards"]
    # a question with a plain answer column and no context (GSM8K's shape)
    plain = datasets.Dataset.from_dict({"question": ["2 + 2?"], "answer": ["4"]})
    template = task.make_template(plain, cfg, task.data_kind(plain, cfg))
    assert template.prompt(plain[0]) == "Question: 2 + 2?\nAnswer:" and template.completion(plain[0]) == " 4"


def test_translation_and_summary_pairs_name_their_languages_and_columns(task):
    pairs = datasets.Dataset.from_dict(
        {"translation": [{"de": "Guten Morgen", "en": "Good morning"}]},
        features=datasets.Features({"translation": datasets.Translation(languages=["de", "en"])}))
    cfg = task.TaskConfig(template="auto")
    assert task.data_kind(pairs, cfg) == "seq2seq"
    template = task.make_template(pairs, cfg, "seq2seq")
    assert template.prompt(pairs[0]) == "Translate English to German.\nEnglish: Good morning\nGerman:"
    assert template.completion(pairs[0]) == " Guten Morgen"
    back = task.make_template(pairs, task.TaskConfig(source_lang="de", target_lang="en"), "seq2seq")
    assert back.prompt(pairs[0]).startswith("Translate German to English.") and back.completion(pairs[0]) == \
        " Good morning"
    summaries = datasets.Dataset.from_dict({"document": ["A long text."], "summary": ["Short."], "id": ["7"]})
    template = task.make_template(summaries, cfg, task.data_kind(summaries, cfg))
    assert template.prompt(summaries[0]) == "Document: A long text.\nSummary:"
    assert template.completion(summaries[0]) == " Short."


def test_data_of_no_kind_and_a_missing_column_stop_with_the_setting_to_fix(task):
    odd = datasets.Dataset.from_dict({"a": [1], "b": [2]})
    with pytest.raises(SystemExit, match="template auto: cannot tell the kind.*prompt_columns"):
        task.data_kind(odd, task.TaskConfig(template="auto"))
    with pytest.raises(SystemExit, match="no answer column.*completion_column"):
        task.make_template(datasets.Dataset.from_dict({"question": ["?"]}), task.TaskConfig(), "question-answering")


def test_answers_are_scored_as_squad_scores_them(task):
    assert task.answer_scores("The Nile.", ["nile"]) == (1.0, 1.0)
    exact, f1 = task.answer_scores("black cat", ["a cat", "dog"])
    assert exact == 0.0 and f1 == pytest.approx(2 / 3)
    assert task.answer_scores("", ["north"]) == (0.0, 0.0)


def test_the_collator_masks_the_prompt_and_the_padding_and_keeps_held_out_rows(task):
    import torch

    collate = task.PadCollator(pad_id=0)
    batch = collate([{"input_ids": [5, 6, 7], "labels": [-100, -100, 7], "row": 3},
                     {"input_ids": [5, 8], "labels": [-100, 8], "row": 4}])
    assert batch["input_ids"].tolist() == [[5, 6, 7], [5, 8, 0]]
    assert batch["labels"].tolist() == [[-100, -100, 7], [-100, 8, -100]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 1, 0]] and batch["row"].tolist() == [3, 4]
    assert [p.tolist() for p in task._prompts(batch)] == [[5, 6], [5]]
    assert "row" not in collate([{"input_ids": [1], "labels": [1]}]) and torch.is_tensor(batch["row"])


def test_loaded_rows_hold_the_prompt_then_the_completion_and_learn_only_the_completion(task, tmp_path):
    """A local file through the task's own loading, tokenized by a decoder's tokenizer: the labels are -100 on the
    prompt and the completion (the class name, then end-of-text) is what remains."""
    import json

    from transformers import AutoTokenizer

    from ml_intern.bench.standins import _tokenizer, MODELS

    _tokenizer(MODELS["HuggingFaceTB/SmolLM2-135M"]).save_pretrained(tmp_path / "model")
    rows = [{"sentence": f"the {w} river", "label": "yes" if i % 2 else "no"}
            for i, w in enumerate(["red", "blue"] * 10)]
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    cfg = task.TaskConfig(dataset=f"json:{tmp_path / 'rows.jsonl'}", model=str(tmp_path / "model"), template="auto",
                          block_size=64)
    data = task.load_data(cfg, seed=0, smoke_examples=None)
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "model")
    assert data.template.kind == "classification" and data.template.classes == ["no", "yes"]
    assert len(data.train) + len(data.val) + len(data.test) == 20 and all("row" in r for r in data.test)
    for row in data.train[:3]:
        completion = [t for t in row["labels"] if t != -100]
        prompt = row["input_ids"][:len(row["input_ids"]) - len(completion)]
        assert row["labels"][:len(prompt)] == [-100] * len(prompt)
        assert tokenizer.decode(prompt).endswith("Options: no, yes\nAnswer:")
        assert tokenizer.decode(completion) in (" no<|endoftext|>", " yes<|endoftext|>")
    assert [tokenizer.decode(c) for c in data.choices] == [" no<|endoftext|>", " yes<|endoftext|>"]
    assert data.references[data.test[0]["row"]][0] in ("no", "yes")


def _plan(tmp_path, dataset: str, *extra: str):
    from ml_intern.paper import read_source, spec_for
    from ml_intern.plan import make_plan

    task = tmp_path / "task.yaml"
    task.write_text(f"title: Instruction tuning\ntask: instruction-tuning\ndataset: {dataset}\n" + "".join(extra))
    return make_plan(spec_for(read_source(str(task))), scale="smoke")


@pytest.mark.parametrize(("dataset", "template", "metric"), [
    ("rte", "classification", "accuracy"), ("squad", "question-answering", "f1"),
    ("wmt14", "seq2seq", "perplexity"), ("shakespeare", "text", "perplexity")])
def test_the_plan_fine_tunes_a_causal_lm_on_each_kind_with_its_template_and_metric(tmp_path, dataset, template,
                                                                                   metric):
    plan = _plan(tmp_path, dataset)
    assert plan.recipe == "causal-lm-finetuning" and plan.metric.name == metric
    chosen = plan.hyperparameters["template"]
    assert chosen.value == template and chosen.origin == "default" and dataset in chosen.reason
    assert plan.model["model"].value == "HuggingFaceTB/SmolLM2-135M"  # a decoder, never the data's own kind of model


@pytest.mark.parametrize(("dataset", "kind"), [("stsb", "text-regression"), ("cifar10", "image-classification"),
                                               ("conll2003", "token-classification")])
def test_data_no_template_can_train_is_still_refused_with_the_way_out(tmp_path, dataset, kind):
    from ml_intern.errors import InputError

    with pytest.raises(InputError, match=f"trains on causal-lm/text-classification/question-answering/seq2seq "
                                         f"data; {dataset} is {kind} data") as err:
        _plan(tmp_path, dataset)
    assert "--set dataset=" in err.value.fix


def test_a_table_the_registry_does_not_know_stops_with_the_fix_and_a_local_file_plans_the_tabular_recipe(tmp_path):
    """XGBoost's data sets (Allstate, Higgs, Yahoo LTRC, Criteo) are in no registry: the plan names them and how to
    give a copy; a local CSV with its label column then plans the tabular recipe (the same path as the paper's)."""
    from ml_intern.errors import InputError
    from ml_intern.paper import read_source, spec_for
    from ml_intern.plan import make_plan
    from ml_intern.plan.recipes import RECIPES

    task = tmp_path / "boosting.yaml"
    task.write_text("title: Tree boosting\ntask: tabular\ndataset: Allstate\n")
    spec = spec_for(read_source(str(task)))
    with pytest.raises(InputError, match=r"no known data set found \(named in the source: Allstate\)") as err:
        make_plan(spec, scale="smoke")
    assert "--set dataset=" in err.value.fix and "csv:PATH" in err.value.fix and "target_column" in err.value.fix
    assert err.value.recipe == "tabular"  # (DataNeeded: the task has a recipe; only the data is missing)
    table = tmp_path / "higgs.csv"
    table.write_text("f1,f2,label\n0.1,0.2,1\n0.3,0.1,0\n")
    plan = make_plan(spec, scale="smoke", overrides={"dataset": f"csv:{table}", "target_column": "label"})
    config = RECIPES[plan.recipe].config(plan)
    assert plan.recipe == "tabular" and config["dataset"] == f"csv:{table}" and config["target_column"] == "label"
    assert plan.choices["dataset"].origin == "override"


def test_squad_through_the_hub_cache_is_tested_on_its_validation_split_the_papers_held_out_set(task, tmp_path,
                                                                                               monkeypatch):
    """SQuAD has train and validation splits only: the test metrics are the validation split's (the one papers
    report), not a slice of the training data. Its stand-in (the real schema, generated rows) is read from a Hugging
    Face cache laid out as the Hub's libraries lay it out, offline."""
    from huggingface_hub import constants

    from ml_intern.bench.standins import MODELS, _tokenizer, build
    from ml_intern.run.fetch import Need

    build([Need("rajpurkar/squad", "dataset")], tmp_path / "hub")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    _tokenizer(MODELS["HuggingFaceTB/SmolLM2-135M"]).save_pretrained(tmp_path / "model")
    cfg = task.TaskConfig(dataset="hub:rajpurkar/squad", model=str(tmp_path / "model"), template="question-answering",
                          block_size=1024)
    data = task.load_data(cfg, seed=0, smoke_examples=None)
    assert len(data.test) == 48 and len(data.train) + len(data.val) == 240  # the stand-in's validation / train rows
    first = data.test[0]
    prompt = data.tokenizer.decode([t for t, label in zip(first["input_ids"], first["labels"]) if label == -100])
    assert prompt.startswith("Context: ") and "\nQuestion: " in prompt and prompt.endswith("\nAnswer:")
    assert data.references[first["row"]] and all(data.answers[r["row"]] == -1 for r in data.test)


def test_held_out_questions_are_answered_by_generation_and_scored(task, tmp_path, monkeypatch):
    """The question-answering metric end to end on a tiny decoder (random weights, so the scores are whatever they
    are): greedy answers generated for the first rows of the split, scored against every gold answer."""
    import contextlib

    import torch
    from huggingface_hub import constants

    from ml_intern.bench.standins import build, model_files
    from ml_intern.run.fetch import Need

    build([Need("rajpurkar/squad", "dataset")], tmp_path / "hub")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for name, content in model_files("HuggingFaceTB/SmolLM2-135M").items():
        (tmp_path / "model" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "model" / name).write_bytes(content)
    cfg = task.TaskConfig(dataset="hub:rajpurkar/squad", model=str(tmp_path / "model"), template="question-answering",
                          block_size=256, lora=True)
    data = task.load_data(cfg, seed=0, smoke_examples=8)
    assert data.generate == (4, 8)  # (--smoke: a few short answers)
    model = task.build_model(cfg, data).eval()
    batches = [data.collate(data.test[i:i + 3]) for i in range(0, len(data.test), 3)]
    answered = []
    original = task.generate_answers

    def generate_answers(model, batch, data, autocast):  # (the task's own, its answers kept to check)
        answers = original(model, batch, data, autocast)
        answered.extend(answers)
        return answers

    monkeypatch.setattr(task, "generate_answers", generate_answers)
    with torch.no_grad():
        result = task.evaluate(model, batches, lambda b: b, contextlib.nullcontext, data)
    assert len(answered) == 4 and all(isinstance(a, str) for a in answered)
    assert 0.0 <= result["exact_match"] <= result["f1"] <= 1.0 and result["loss"] > 0 and "perplexity" in result


def test_the_templates_the_planner_allows_are_the_task_files_and_another_is_refused_when_planned(task, tmp_path):
    from ml_intern.errors import InputError
    from ml_intern.paper import read_source, spec_for
    from ml_intern.plan import make_plan
    from ml_intern.plan.planner import CHOICES

    assert set(CHOICES["template"]) == {"text", "auto", *task.KINDS}
    source = tmp_path / "task.yaml"
    source.write_text("title: Instruction tuning\ntask: instruction-tuning\ndataset: rte\n")
    spec = spec_for(read_source(str(source)))
    assert make_plan(spec, scale="smoke", overrides={"template": "Auto"}).hyperparameters["template"].value == "auto"
    with pytest.raises(InputError, match="no such template") as err:  # (not a run that stops in load_data)
        make_plan(spec, scale="smoke", overrides={"template": "chat"})
    assert "question-answering" in err.value.fix
