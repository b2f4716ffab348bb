"""What a project loads from the Hugging Face Hub, fetched by ml-intern before the first attempt.

ml-intern, outside the sandbox, downloads the data set (with its config and revision) and the model and tokenizer
the project's ``config.yaml`` names, with the user's token (huggingface_hub finds it: ``HF_TOKEN`` or the file
``huggingface-cli login`` wrote), into the user's Hugging Face cache (``HF_HUB_CACHE``), with progress. The sandbox
then sees that cache read-only, with the Hub libraries offline (``run/sandbox/env.py``): the generated code never
sees the token and never needs the network to load what the plan named.

A smoke or small run takes a slice: the first data file of each split of the config, never the whole set. Failures
are typed (``FetchFailed`` with a ``Failure`` of class ``hub_gated``, ``hub_not_found``, ``hub_too_large`` or
``hub_offline``) and each names the step that fixes it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from ml_intern.errors import RunError
from ml_intern.run.failures import Failure, FailureClass

DATA_SUFFIXES = (".parquet", ".arrow", ".csv", ".tsv", ".json", ".jsonl", ".txt", ".tar", ".zip", ".gz", ".zst")
# weights in safetensors where the repo has them (never pickles when it does), configs, tokenizers, processors
MODEL_FILES = ("*.json", "*.safetensors", "*.model", "*.txt", "*.tiktoken", "merges.txt", "*.py")
_SHARD = re.compile(r"^(.+?)-\d+-of-\d+\.")
_REPO = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")
DEFAULT_MAX_GB = 200.0


@dataclass(frozen=True)
class Need:
    """One thing the project loads from the Hub."""

    repo: str
    repo_type: Literal["dataset", "model"]
    revision: str | None = None
    config: str | None = None

    def __str__(self) -> str:
        rev = f"@{self.revision}" if self.revision else ""
        return f"{self.repo_type} {self.repo}{rev}" + (f" (config {self.config})" if self.config else "")


class FetchFailed(RunError):
    """What the plan needs could not be fetched; ``failure`` is its class and ``fix`` the step that fixes it."""

    def __init__(self, failure: Failure, fix: str):
        self.failure = failure.model_copy(update={"fix": fix})
        super().__init__(failure.message, fix=fix)


def parse_data(source: str) -> Need | None:
    """``hub:ID[@REVISION][:CONFIG]`` -> the data set to fetch; other sources (local, packaged) -> None."""
    kind, _, rest = str(source).partition(":")
    if kind != "hub" or not rest:
        return None
    ref, _, config = rest.partition(":")
    repo, _, revision = ref.partition("@")
    return Need(repo, "dataset", revision or None, config or None)


def is_hub_model(value: object, project: Path | None = None) -> bool:
    """A Hub model id (``owner/name`` or a bare legacy id), not a local folder, ``pkg:``, ``train-bpe`` or empty."""
    text = str(value or "")
    if not text or text.startswith(("/", ".", "pkg:")) or text == "train-bpe" or not _REPO.match(text):
        return False
    return "/" in text or project is None or not (project / text).exists()


def needs(config: dict, project: Path | None = None) -> list[Need]:
    """What a project's config loads from the Hub: its data set, its model and tokenizer (each once)."""
    found: list[Need] = []
    if (data := parse_data(str(config.get("dataset") or ""))) is not None:
        found.append(data)
    for key in ("model", "tokenizer"):
        value = config.get(key)
        if is_hub_model(value, project):
            repo, _, revision = str(value).partition("@")
            need = Need(repo, "model", revision or config.get("model_revision") or None)
            if need not in found:
                found.append(need)
    return found


def hub_cache() -> Path:
    """The user's Hugging Face hub cache (``HF_HUB_CACHE``, else ``HF_HOME/hub``, else ~/.cache/huggingface/hub)."""
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def check_cache_safe(cache: Path) -> None:
    """The token file must not be inside the folder shown to the sandbox."""
    from huggingface_hub import constants

    token = Path(constants.HF_TOKEN_PATH).resolve()
    if token.is_relative_to(cache.resolve()):
        raise FetchFailed(Failure(cls="hub_offline", classified_by="ml-intern",
                                  message=f"the Hugging Face token file {token} is inside the cache {cache}, which the "
                                          "sandbox would see"),
                          fix="set HF_HUB_CACHE to a folder of its own (the default is HF_HOME/hub)")


def slice_files(files: dict[str, int | None], config: str | None, whole: bool) -> list[str]:
    """The repo files a data set's config needs: its card and scripts-free metadata, and its data files (all of them,
    or for a slice the first file of each split). ``files``: path -> size."""
    data = [f for f in files if f.lower().endswith(DATA_SUFFIXES) and not f.startswith(".")]
    if config:  # the config's own folder when the repo has one (``glue/sst2/train-0000.parquet``)
        mine = [f for f in data if config in PurePosixPath(f).parts[:-1]]
        data = mine or data
    if not whole:
        first: dict[tuple[str, str], str] = {}
        for f in sorted(data):
            p = PurePosixPath(f)
            shard = _SHARD.match(p.name)  # the Hub's SPLIT-00000-of-00003.parquet ("validation_matched" a split)
            split = shard.group(1) if shard else re.split(r"[-_.]", p.name, maxsplit=1)[0]
            first.setdefault((str(p.parent), split), f)
        data = sorted(first.values())
    meta = [f for f in files if f in ("README.md", "dataset_infos.json") or f.endswith("/dataset_info.json")]
    return sorted(set(meta) | set(data))


def fetch(wanted: list[Need], whole: bool = True, cache_dir: Path | None = None, endpoint: str | None = None,
          token: str | None = None, note: Callable[[str], None] | None = None,
          max_gb: float | None = None) -> Path:
    """Download what ``wanted`` names into the hub cache (files already cached are not downloaded again) and
    return the cache. ``whole``: all of each data set's files, else a slice (first file of each split)."""
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import (GatedRepoError, LocalEntryNotFoundError, OfflineModeIsEnabled,
                                        RepositoryNotFoundError, RevisionNotFoundError)

    endpoint = endpoint or os.environ.get("HF_ENDPOINT") or None  # a mirror, as huggingface_hub names it
    cache = Path(cache_dir) if cache_dir else hub_cache()
    cache.mkdir(parents=True, exist_ok=True)
    check_cache_safe(cache)
    note = note or (lambda _: None)
    limit = max_gb if max_gb is not None else float(os.environ.get("ML_INTERN_MAX_DOWNLOAD_GB") or DEFAULT_MAX_GB)
    api = HfApi(endpoint=endpoint, token=token)
    _UNREACHABLE = _unreachable()
    for need in wanted:
        def failed(cls: FailureClass, message: str, fix: str) -> FetchFailed:
            return FetchFailed(Failure(cls=cls, message=f"{need}: {message}", classified_by="ml-intern"), fix)

        try:
            try:
                from huggingface_hub import constants

                if constants.HF_HUB_OFFLINE:  # the user said so (HF_HUB_OFFLINE=1): no request, no retries
                    raise OfflineModeIsEnabled("HF_HUB_OFFLINE is set")
                tree = {f.path: getattr(f, "size", None)
                        for f in api.list_repo_tree(need.repo, repo_type=need.repo_type, revision=need.revision,
                                                    recursive=True) if hasattr(f, "size")}
            except (RepositoryNotFoundError, RevisionNotFoundError):
                raise
            except _UNREACHABLE as exc:  # no Hub (or it answers 5xx): what the cache holds must do
                if not _cached(need, cache):
                    raise failed("hub_offline", f"the Hub cannot be reached ({type(exc).__name__}) and the cache "
                                 f"{cache} does not hold it",
                                 "run where the Hub can be reached (ml-intern downloads it, then `ml-intern resume "
                                 "RUN`), or give a local copy: --set dataset=csv:PATH (data) or --set model=/PATH "
                                 "(a folder written by save_pretrained)") from None
                note(f"{need}: the Hub cannot be reached; using the cached copy in {cache}")
                continue
            if need.repo_type == "dataset":
                patterns = slice_files(tree, need.config, whole)
                if need.config and not any(need.config in PurePosixPath(f).parts[:-1] for f in patterns) \
                        and any(f.endswith(".py") for f in tree):
                    raise failed("hub_not_found", "the data set is a loading script, which the offline sandbox "
                                 "cannot run", "give a data set with data files (parquet, csv, json), or --allow-network")
            else:
                import fnmatch

                patterns = [f for f in tree if any(fnmatch.fnmatch(PurePosixPath(f).name, p) for p in MODEL_FILES)]
                if any(f.endswith(".safetensors") for f in patterns):
                    patterns = [f for f in patterns if not f.endswith((".bin", ".pt", ".pth"))]
                elif not any(f.endswith(".safetensors") for f in tree):
                    patterns += [f for f in tree if f.endswith(("pytorch_model.bin", ".bin.index.json"))]
            size = sum(tree.get(f) or 0 for f in patterns)
            free = shutil.disk_usage(cache).free
            if size > limit * 2**30 or size > free:
                raise failed("hub_too_large", f"{size / 2**30:,.1f} GiB to download, more than "
                             + (f"the {free / 2**30:,.1f} GiB free in {cache}" if size > free else
                                f"the limit of {limit:g} GiB (ML_INTERN_MAX_DOWNLOAD_GB)"),
                             "run at --scale smoke or small (a slice of the data), raise ML_INTERN_MAX_DOWNLOAD_GB, "
                             "free disk space, or give a local copy (--set dataset=csv:PATH)")
            what = "whole" if whole or need.repo_type == "model" else "a slice: the first file of each split"
            note(f"fetching {need}: {len(patterns)} file(s), {size / 2**20:,.1f} MiB ({what}) into {cache}")
            snapshot_download(need.repo, repo_type=need.repo_type, revision=need.revision, cache_dir=cache,
                              allow_patterns=patterns, endpoint=endpoint, token=token)
        except FetchFailed:
            raise
        except GatedRepoError as exc:
            login = getattr(exc.response, "status_code", 401) == 401
            raise failed("hub_gated", "a gated repository: " + ("no token was sent" if login else
                                                               "this account has not been granted access"),
                         "log in: `huggingface-cli login` (or set HF_TOKEN), then `ml-intern resume RUN`" if login else
                         f"accept its licence at https://huggingface.co/{'datasets/' if need.repo_type == 'dataset' else ''}"
                         f"{need.repo} with the account of your token, then `ml-intern resume RUN`") from None
        except RevisionNotFoundError:
            raise failed("hub_not_found", f"no revision {need.revision!r}",
                         "name a revision the repository has (a branch, tag or commit)") from None
        except RepositoryNotFoundError:
            raise failed("hub_not_found", "no such repository on the Hub (or it is private)",
                         "check the id (--set dataset=hub:OWNER/NAME or --set model=OWNER/NAME); a private one needs "
                         "`huggingface-cli login`; or give a local path") from None
        except (LocalEntryNotFoundError, OfflineModeIsEnabled) as exc:
            raise failed("hub_offline", f"the Hub cannot be reached ({type(exc).__name__})",
                         "run where the Hub can be reached, then `ml-intern resume RUN`; or give a local path") from None
    return cache


def _unreachable() -> tuple[type[BaseException], ...]:
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    try:
        import httpx2 as httpx  # (what huggingface_hub 2 speaks HTTP with)
    except ImportError:
        import httpx
    return OfflineModeIsEnabled, httpx.ConnectError, httpx.TimeoutException, HfHubHTTPError


def repo_folder(need: Need, cache: Path) -> Path:
    """The repo's folder in the hub cache, as huggingface_hub lays it out (``datasets--OWNER--NAME``)."""
    return cache / f"{need.repo_type}s--{need.repo.replace('/', '--')}"


def _cached(need: Need, cache: Path) -> bool:
    """The cache holds a snapshot of the repo at the revision (a branch or tag through its ref, or a commit)."""
    folder = repo_folder(need, cache)
    rev = need.revision or "main"
    if (folder / "refs" / rev).is_file():
        rev = (folder / "refs" / rev).read_text().strip()
    return (folder / "snapshots" / rev).is_dir()
