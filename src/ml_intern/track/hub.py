"""`ml-intern push`: stage an allow-list of a run's files with its model card and upload them with huggingface_hub.

Only what is listed in ``ALLOW`` leaves the machine: weights as safetensors, the metrics and results, the card, and
the training project's code and config. Never checkpoints (pickles), logs, the environment or the run's home.
The token comes from huggingface_hub's usual places (``HF_TOKEN``, the saved login) and is never written anywhere;
with no token the push is a dry run that stages the files and lists them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pydantic import BaseModel

from ml_intern import jobfiles
from ml_intern.errors import InputError, RunError
from ml_intern.registry import MODELS
from ml_intern.runfolder import RunFolder
from ml_intern.track.card import render_card

# (path in the run folder, path in the Hub repo)
ALLOW = [("project/outputs/model.safetensors", "model.safetensors"), ("project/outputs/results.json", "results.json"),
         ("project/outputs/metrics.jsonl", "metrics.jsonl"), ("project/outputs/run_info.json", "run_info.json"),
         ("project/config.yaml", "config.yaml"), ("project/train.py", "project/train.py"),
         ("project/config.yaml", "project/config.yaml"), ("project/requirements.txt", "project/requirements.txt"),
         ("project/README.md", "project/README.md"), ("report.html", "report.html")]
# What a Hugging Face model needs beside its weights, as transformers' and peft's save_pretrained write them (into
# outputs/ or outputs/model/): its config, tokenizer or processor, generation config, LoRA adapter. Never pickles.
HF_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "vocab.txt", "vocab.json", "merges.txt", "tokenizer.model",
            "spiece.model", "sentencepiece.bpe.model", "preprocessor_config.json", "processor_config.json",
            "chat_template.jinja", "adapter_config.json", "adapter_model.safetensors")
WEIGHTS = ("project/outputs/model.safetensors", "project/outputs/model/model.safetensors",
           "project/outputs/model/adapter_model.safetensors")
PERMISSIVE = {"mit", "apache-2.0", "bsd-2-clause", "bsd-3-clause", "cc-by-4.0", "cc0-1.0", "openrail", "unlicense"}
NON_COMMERCIAL = ("non-commercial", "noncommercial", "-nc", "research only")


class PushResult(BaseModel):
    repo_id: str
    dry_run: bool
    staged: str
    files: list[str]
    url: str | None = None


def licence_conflicts(license_id: str, data_license: str, base_model: str | None) -> list[str]:
    chosen = license_id.lower()
    problems = []
    if chosen in PERMISSIVE and any(t in data_license.lower() for t in NON_COMMERCIAL):
        problems.append(f"the data's licence ({data_license}) is non-commercial, but {license_id} would allow "
                        "commercial use of the model")
    model = next((m for m in MODELS if m.hub_id == base_model), None)
    if model and "community license" in model.license.lower() and chosen != "other":
        problems.append(f"the base model {model.hub_id} is under the {model.license}, which must be kept for "
                        f"derivatives; {license_id} does not")
    return problems


def stage(run_dir: Path, repo_id: str, license_id: str) -> tuple[Path, list[str]]:
    if not any(jobfiles.inside(run_dir, w) for w in WEIGHTS):
        raise InputError(f"run {run_dir.name} has no trained model to push",
                         fix="push a run whose full attempt succeeded (`ml-intern runs`)")
    staged = run_dir / "push"
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir()
    files = []
    saved = [(f"project/outputs/model/{name}", name) for name in ("model.safetensors", *HF_FILES)]
    allow = saved + ALLOW + [(f"project/outputs/{name}", name) for name in HF_FILES]
    for src, dst in allow:
        if dst in files:  # outputs/model/ first: what save_pretrained wrote wins
            continue
        found = jobfiles.inside(run_dir, src)  # the job wrote these: a link (to a host file) is never staged
        if found is not None:
            (staged / dst).parent.mkdir(parents=True, exist_ok=True)
            if jobfiles.copy_file(found, staged / dst):
                files.append(dst)
    (staged / "README.md").write_text(render_card(run_dir, license_id, repo_id))
    return staged, sorted(files + ["README.md"])


def push_run(run_dir: Path, repo_id: str, license_id: str | None = None, dry_run: bool | None = None,
             allow_license_conflict: bool = False, private: bool = False) -> PushResult:
    from huggingface_hub import HfApi, get_token

    if "/" not in repo_id:
        raise InputError(f"repo id {repo_id!r} is not OWNER/NAME", fix="e.g. --repo-id my-user/digits-cnn")
    folder = RunFolder(run_dir)
    plan, spec = folder.plan(), folder.spec()
    data_license = plan.dataset.license if plan else "unknown"
    base = spec.architecture.model.value if spec and spec.architecture.model else None
    license_id = license_id or (data_license.lower() if data_license.lower() in PERMISSIVE else "other")
    problems = licence_conflicts(license_id, data_license, base)
    if problems and not allow_license_conflict:
        raise InputError("licence conflict: " + "; ".join(problems),
                         fix="choose a compatible --license, or pass --allow-license-conflict if you hold the rights")
    staged, files = stage(run_dir, repo_id, license_id)
    token = get_token()
    if dry_run is None:
        dry_run = token is None
    if dry_run:
        return PushResult(repo_id=repo_id, dry_run=True, staged=str(staged), files=files)
    if token is None:
        raise InputError("no Hugging Face token", fix="`hf auth login` or set HF_TOKEN; or use --dry-run")
    api = HfApi(endpoint=os.environ.get("HF_ENDPOINT") or None, token=token)
    try:
        api.create_repo(repo_id, exist_ok=True, private=private)
        commit = api.upload_folder(repo_id=repo_id, folder_path=str(staged),
                                   commit_message=f"ml-intern run {run_dir.name}")
    except Exception as exc:  # the hub library raises many types; the message is what a person needs
        raise RunError(f"upload to {repo_id} failed: {type(exc).__name__}: {str(exc).splitlines()[0]}") from None
    return PushResult(repo_id=repo_id, dry_run=False, staged=str(staged), files=files, url=str(commit))
