"""Several processes on one machine: the generated project launched with `accelerate launch` (two processes on the
CPU, gloo), replicated (DDP) or sharded (FSDP). Both processes run, and the result is the one-process run's with the
same effective batch."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.e2e
WINE = ROOT / "examples" / "tasks" / "wine-mlp.yaml"


def build(plan: Path, out: Path, **config) -> Path:
    from ml_intern.codegen import build_project
    from ml_intern.plan import ExperimentPlan
    from ml_intern.runfolder import read_model

    build_project(read_model(plan, ExperimentPlan), out)
    path = out / "config.yaml"
    values = yaml.safe_load(path.read_text())
    values.update(config)
    path.write_text(yaml.safe_dump(values, sort_keys=False))
    return out


def train(project: Path, processes: int) -> tuple[list[dict], dict, str]:
    launcher = ["-m", "accelerate.commands.launch", "--config_file", "accelerate_config.yaml"] if processes > 1 else []
    done = subprocess.run([sys.executable, *launcher, "train.py", "--config", "config.yaml"], cwd=project,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [json.loads(line) for line in (project / "outputs" / "metrics.jsonl").read_text().splitlines()]
    return rows, json.loads((project / "outputs" / "results.json").read_text()), done.stdout


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """The wine MLP's plan at smoke scale, for two processes: batch 16 dealt out as two micro-batches of 8."""
    from ml_intern.paper import extract_spec, read_source
    from ml_intern.plan import make_plan

    made = make_plan(extract_spec(read_source(WINE)), scale="smoke", overrides={"num_processes": 2, "epochs": 2})
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    path.write_text(made.model_dump_json())
    return path


@pytest.fixture(scope="module")
def one_process(plan, tmp_path_factory):
    # the same config, run by one process; no dropout, whose masks each process would draw on its own
    project = build(plan, tmp_path_factory.mktemp("one") / "project", num_processes=1, dropout=0.0)
    return (*train(project, 1), project)


def test_the_plan_deals_the_batch_out_over_the_processes(plan, tmp_path):
    project = build(plan, tmp_path / "project")
    config = yaml.safe_load((project / "config.yaml").read_text())
    assert (config["num_processes"], config["batch_size"], config["gradient_accumulation_steps"]) == (2, 8, 2)
    launch = yaml.safe_load((project / "accelerate_config.yaml").read_text())
    assert launch["num_processes"] == 2 and launch["distributed_type"] == "MULTI_GPU"
    assert "accelerate launch --config_file accelerate_config.yaml train.py" in (project / "README.md").read_text()


def test_processes_that_do_not_divide_the_batch_come_as_close_as_they_can_and_say_so():
    from ml_intern.paper import extract_spec, read_source
    from ml_intern.plan import make_plan

    three = make_plan(extract_spec(read_source(WINE)), scale="smoke", overrides={"num_processes": 3}).hardware
    assert (three.num_devices, three.per_device_batch, three.gradient_accumulation_steps) == (3, 5, 1)
    assert three.effective_batch == 15 and any("effective batch 15: the plan's 16" in n for n in three.notes)
    four = make_plan(extract_spec(read_source(WINE)), scale="smoke", overrides={"num_processes": 4}).hardware
    assert (four.per_device_batch, four.effective_batch) == (4, 16)
    assert not any("does not split evenly" in n for n in four.notes)


def test_a_plan_for_several_gpus_is_launched_on_them_with_its_effective_batch(plan, tmp_path):
    """The hardware plan's GPUs (here 4, sharded): 4 processes, the plan's micro-batch, and the accumulation
    counted over all of them."""
    values = json.loads(plan.read_text())
    values["hardware"].update(num_devices=4, sharding="fsdp", per_device_batch=4, gradient_accumulation_steps=2,
                              effective_batch=32)
    several = tmp_path / "plan.json"
    several.write_text(json.dumps(values))
    project = build(several, tmp_path / "project")
    config = yaml.safe_load((project / "config.yaml").read_text())
    assert (config["num_processes"], config["sharding"], config["batch_size"],
            config["gradient_accumulation_steps"]) == (4, "fsdp", 4, 8)  # 4 x 8 = the plan's 32
    assert yaml.safe_load((project / "accelerate_config.yaml").read_text())["num_processes"] == 4


@pytest.mark.parametrize("sharding", ["ddp", "fsdp"])
def test_two_processes_give_the_one_process_result(plan, one_process, sharding, tmp_path):
    project = build(plan, tmp_path / "project", dropout=0.0, sharding=sharding)
    rows, results, stdout = train(project, 2)
    assert f"process 0 of 2 (gloo, {sharding}): 1 of each step's 2 micro-batches" in stdout
    assert f"process 1 of 2 (gloo, {sharding}): 1 of each step's 2 micro-batches" in stdout
    info = json.loads((project / "outputs" / "run_info.json").read_text())
    assert info["processes"] == 2 and info["sharding"] == sharding
    one_rows, one_results, _, _ = one_process
    losses = [r["loss"] for r in rows if "loss" in r]
    one_losses = [r["loss"] for r in one_rows if "loss" in r]
    assert len(losses) == len(one_losses) > 2 and losses[-1] < losses[0]
    assert losses == pytest.approx(one_losses, rel=1e-4)
    assert results["steps"] == one_results["steps"]
    for name, value in one_results["metrics"].items():
        assert results["metrics"][name] == pytest.approx(value, rel=1e-4, abs=1e-6), name
    # the model saved is whole (FSDP's shards gathered), with the one-process run's weights
    import torch
    from safetensors.torch import load_file

    weights = load_file(str(project / "outputs" / "model" / "model.safetensors"))
    one_weights = load_file(str(one_process[3] / "outputs" / "model" / "model.safetensors"))
    assert weights.keys() == one_weights.keys()
    assert all(torch.allclose(weights[k], one_weights[k], atol=1e-5) for k in weights)


def test_a_run_with_two_processes_is_launched_by_accelerate(cli, home):
    code, out, err = cli("run", WINE, "--scale", "smoke", "--set", "num_processes=2", "--set", "dropout=0",
                         "--json")
    run = json.loads(out)
    assert code == 0 and run["status"] == "succeeded", (err, run.get("summary"))
    attempts = json.loads((Path(run["run_dir"]) / "attempts.json").read_text())
    assert attempts[0]["command"][:4] == ["-m", "accelerate.commands.launch", "--config_file", "accelerate_config.yaml"]
    log = (Path(run["run_dir"]) / attempts[-1]["log"]).read_text()
    assert "process 0 of 2" in log and "process 1 of 2" in log


def test_fp16_with_fsdp_scales_the_loss_over_all_shards(plan, one_process, tmp_path):
    """fp16 (GPUs without bf16) with FSDP: the sharded grad scaler agrees on inf/NaN over every process's shard;
    the run trains like the fp32 one, to fp16's precision."""
    project = build(plan, tmp_path / "project", dropout=0.0, sharding="fsdp", precision="fp16")
    rows, results, _ = train(project, 2)
    losses = [r["loss"] for r in rows if "loss" in r]
    one_losses = [r["loss"] for r in one_process[0] if "loss" in r]
    assert losses[-1] < losses[0] and losses == pytest.approx(one_losses, rel=1e-3)
    assert results["metrics"]["test_accuracy"] == pytest.approx(one_process[1]["metrics"]["test_accuracy"], abs=0.03)


def test_a_forward_fsdp_cannot_see_into_stops_with_the_reason(plan, tmp_path):
    """An output type FSDP cannot look into leaves the sharded parameters without gradients: the loop says so at
    the first step instead of training nothing."""
    project = build(plan, tmp_path / "project", dropout=0.0, sharding="fsdp")
    task = project / "task.py"
    task.write_text(task.read_text().replace("class Output(NamedTuple):", "class Output:\n    def __init__(self, loss, logits):\n        self.loss, self.logits = loss, logits\n\n\nclass Unused(NamedTuple):"))
    done = subprocess.run([sys.executable, "-m", "accelerate.commands.launch", "--config_file",
                           "accelerate_config.yaml", "train.py", "--config", "config.yaml"], cwd=project,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode != 0 and "no parameter the optimizer holds got a gradient" in done.stderr
    assert not (project / "outputs" / "results.json").exists()


def test_two_processes_stopped_mid_run_resume_to_the_uninterrupted_result(plan, tmp_path):
    """Checkpoints of several processes hold the whole states; `--resume` spreads them again and the run ends with
    the metrics of the run that was never stopped."""
    import os
    import signal
    import time

    settings = dict(dropout=0.0, epochs=150, max_steps=0, checkpoint_every=100, log_every=50)
    whole = build(plan, tmp_path / "whole", **settings)
    _, uninterrupted, _ = train(whole, 2)

    project = build(plan, tmp_path / "stopped", **settings)
    argv = [sys.executable, "-m", "accelerate.commands.launch", "--config_file", "accelerate_config.yaml",
            "train.py", "--config", "config.yaml"]
    proc = subprocess.Popen(argv, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    checkpoints = project / "outputs" / "checkpoints"
    deadline = time.monotonic() + 300
    while not any((c / "COMPLETE").exists() for c in checkpoints.glob("step-*")):
        assert proc.poll() is None and time.monotonic() < deadline, "no checkpoint before the run ended"
        time.sleep(0.05)
    # every process of the run, at once, as a power cut would (torch's launcher starts the workers in sessions of
    # their own, so its process group does not hold them)
    for pid in [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]:
        try:
            if Path(f"/proc/{pid}/cwd").resolve() == project.resolve():
                os.kill(pid, signal.SIGKILL)
        except OSError:
            continue
    proc.wait()
    assert not (project / "outputs" / "results.json").exists()
    stopped_at = max(int(c.name.split("-")[1]) for c in checkpoints.glob("step-*") if (c / "COMPLETE").exists())
    assert stopped_at < uninterrupted["steps"]

    done = subprocess.run([*argv, "--resume"], cwd=project, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    resumed = json.loads((project / "outputs" / "results.json").read_text())
    assert resumed["resumed_from"] == stopped_at and resumed["steps"] == uninterrupted["steps"]
    for name, value in uninterrupted["metrics"].items():
        assert resumed["metrics"][name] == pytest.approx(value, rel=1e-6, abs=1e-7), name


def test_a_plan_over_several_machines_says_so_in_its_project(plan, tmp_path):
    from ml_intern.paper import extract_spec, read_source
    from ml_intern.plan import make_plan

    made = make_plan(extract_spec(read_source(WINE)), scale="smoke", overrides={"num_processes": 4, "num_nodes": 2})
    assert (made.hardware.num_devices, made.hardware.num_nodes) == (4, 2)
    assert any("4 processes over 2 machines (num_nodes), 2 on each" in n for n in made.hardware.notes)
    path = tmp_path / "plan.json"
    path.write_text(made.model_dump_json())
    project = build(path, tmp_path / "project")
    config = yaml.safe_load((project / "config.yaml").read_text())
    assert (config["num_processes"], config["num_nodes"]) == (4, 2)
    launch = yaml.safe_load((project / "accelerate_config.yaml").read_text())
    assert launch["num_machines"] == 2 and launch["main_process_ip"] == "FIRST_NODE_ADDRESS"
    assert "Ray Train job (`--sandbox ray --allow-network`)" in (project / "README.md").read_text()


def test_processes_over_several_machines_need_ray_and_the_network_and_an_even_split(cli, home):
    code, _, err = cli("run", WINE, "--scale", "smoke", "--set", "num_processes=2", "--set", "num_nodes=2")
    assert code == 2 and "sandbox auto runs on this one only" in err and "--sandbox ray --allow-network" in err
    code, _, err = cli("run", WINE, "--scale", "smoke", "--set", "num_processes=2", "--set", "num_nodes=2",
                       "--sandbox", "ray")
    assert code == 2 and "exchange gradients over the network" in err and "--allow-network" in err
    assert not home.exists() or not any(home.glob("2*")), "refused before any run was made"
    code, _, err = cli("run", WINE, "--scale", "smoke", "--set", "num_processes=2", "--set", "num_nodes=3",
                       "--sandbox", "ray", "--allow-network")
    assert code == 2 and "do not split evenly over 3 machines" in err


def test_a_project_over_several_machines_is_refused_by_a_local_sandbox_before_any_attempt(cli, home, plan, tmp_path):
    project = build(plan, tmp_path / "project", num_nodes=2)
    code, out, err = cli("exec", project, "--json")
    assert code == 2 and "sandbox auto runs on this one only" in err
    run = next(home.glob("2*"))
    assert not (run / "attempts.json").exists() or json.loads((run / "attempts.json").read_text()) == []
