"""git for the generated project: each attempt's code is one commit, so every fix is a diff.

A shared part at the bottom: the builder makes the repository, the attempt loop commits each attempt, the pipeline
forks a project for ``reproduce``. Hooks, fsmonitor and remote protocols are off: the project's files are written by
untrusted code, and git must run nothing of theirs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ml_intern.errors import RunError

_SAFE_GIT = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "protocol.allow=never"]
GITIGNORE = "outputs/\noutputs-smoke/\n__pycache__/\ndata/\n"


def git(project: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *_SAFE_GIT, *args], cwd=project, capture_output=True, text=True, check=True)
    except FileNotFoundError:
        raise RunError("git is not installed", fix="install git: each attempt's code is kept as a commit") from None
    except subprocess.CalledProcessError as exc:
        raise RunError(f"git {' '.join(args)} failed: {exc.stderr.strip()}") from None
    return done.stdout.strip()


def init_repo(project: Path) -> None:
    """Make the project a git repository of its own (each attempt's code is one commit)."""
    if not (project / ".gitignore").exists():
        (project / ".gitignore").write_text(GITIGNORE)
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.name", "ml-intern")
    git(project, "config", "user.email", "ml-intern@localhost")


def commit_attempt(project: Path, message: str) -> str:
    """Commit the project's code as it is for this attempt (empty when nothing changed); return the sha."""
    git(project, "add", "-A")
    git(project, "commit", "-q", "--allow-empty", "-m", message)
    return git(project, "rev-parse", "HEAD")
