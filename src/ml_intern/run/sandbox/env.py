"""The environment generated code sees: an allow-list, never the user's tokens or keys."""

from __future__ import annotations

import os
from pathlib import Path

# Passed through when set: locale, time zone, and the knobs that pick hardware and thread counts.
ALLOWED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TERM", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
           "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def scrubbed_env(run_dir: Path, allow_network: bool = False, hub_cache: Path | None = None) -> dict[str, str]:
    """Only allow-listed variables survive; HOME, caches and temp files point inside the run folder. ``hub_cache``:
    the user's Hugging Face hub cache, which ml-intern filled (``run/fetch.py``) and the sandbox shows read-only: the
    Hub libraries read it, offline (the token file is not in it, and no token variable passes)."""
    env = {k: os.environ[k] for k in ALLOWED if k in os.environ}
    home = run_dir / "home"
    tmp = run_dir / "tmp"
    home.mkdir(parents=True, exist_ok=True)
    tmp.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), TMPDIR=str(tmp), XDG_CACHE_HOME=str(home / ".cache"), HF_HOME=str(home / ".cache/hf"),
               MPLCONFIGDIR=str(home / ".cache/mpl"), PYTHONUNBUFFERED="1", PYTHONHASHSEED="0",
               PYTHONDONTWRITEBYTECODE="1")
    if hub_cache is not None:
        env["HF_HUB_CACHE"] = str(hub_cache)
    if not allow_network or hub_cache is not None:
        # The process backend cannot cut the network; at least the HF libraries will not try it.
        env.update(HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return env


# A variable is a secret when its name says so (a part such as TOKEN, KEY, SECRET, PASSWORD) or its value has the
# shape of a known provider's token; the allow-list above is never secret. Used to decide what the job must not be
# able to read from another process's environment (the ``process`` backend).
SECRET_PARTS = {"TOKEN", "TOKENS", "KEY", "KEYS", "APIKEY", "SECRET", "SECRETS", "PASSWORD", "PASSWD", "PASS", "PWD",
                "CREDENTIAL", "CREDENTIALS", "AUTH", "COOKIE", "SESSION", "PRIVATE", "SIGNATURE"}
SECRET_PREFIXES = ("hf_", "sk-", "sk_", "ghp_", "gho_", "ghs_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "AKIA",
                   "ASIA", "ya29.", "eyJ")
NOT_SECRET = {"PWD", "OLDPWD"}  # the working folder, not a password


def secret_names(environ: dict[str, str]) -> list[str]:
    """The names of the variables in ``environ`` that hold secrets (sorted; values are never returned)."""
    found = []
    for name, value in environ.items():
        if name in ALLOWED or name in NOT_SECRET:
            continue
        parts = set(name.upper().replace("-", "_").split("_"))
        if parts & SECRET_PARTS or value.startswith(SECRET_PREFIXES):
            found.append(name)
    return sorted(found)
