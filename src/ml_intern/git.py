"""git for the generated project: each attempt's code is one commit, so every fix is a diff.

A shared part at the bottom: the builder makes the repository, the attempt loop commits each attempt, the pipeline
forks a project for ``reproduce``. The project's files are written by untrusted code, and git must run nothing of
theirs: hooks, fsmonitor and remote protocols are off, no system or global configuration is read, and before every
call the repository's own ``.git/config`` is written afresh by ml-intern (a filter, diff or merge driver, an
``include``, a ``core.*`` program or an alternate object store the job put there is gone). A ``.git`` that is a link
or a file (a pointer to a repository elsewhere) is refused.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from ml_intern import jobfiles
from ml_intern.errors import RunError

_SAFE_GIT = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "protocol.allow=never"]
GITIGNORE = "outputs/\noutputs-smoke/\n__pycache__/\ndata/\n"


_CONFIG = ("[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n"
           "[user]\n\tname = ml-intern\n\temail = ml-intern@localhost\n")
_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0",
        "GIT_ATTR_NOSYSTEM": "1"}


def _own_repository(project: Path) -> None:
    """Make the project's repository ml-intern's again before git reads it (see the module's note)."""
    dot_git = project / ".git"
    try:
        mode = os.lstat(dot_git).st_mode
    except FileNotFoundError:
        return  # (git init makes it)
    if not stat.S_ISDIR(mode):
        raise RunError(f"{dot_git} is not a folder (a link or a pointer to another repository)",
                       fix="remove it; ml-intern keeps each attempt's code in a repository of its own")
    for name in ("config", "objects/info/alternates", "info/attributes", "commondir"):
        part = dot_git / name
        if os.path.lexists(part) and not stat.S_ISREG(os.lstat(part).st_mode):
            raise RunError(f"{part} is not a regular file", fix="remove the project's .git folder's odd entry")
    jobfiles.write_text_atomic(dot_git / "config", _CONFIG)
    for name in ("objects/info/alternates", "info/attributes", "commondir"):
        (dot_git / name).unlink(missing_ok=True)


def git(project: Path, *args: str) -> str:
    _own_repository(project)
    try:
        done = subprocess.run(["git", *_SAFE_GIT, *args], cwd=project, capture_output=True, text=True, check=True,
                              env={**os.environ, **_ENV})
    except FileNotFoundError:
        raise RunError("git is not installed", fix="install git: each attempt's code is kept as a commit") from None
    except subprocess.CalledProcessError as exc:
        raise RunError(f"git {' '.join(args)} failed: {exc.stderr.strip()}") from None
    return done.stdout.strip()


def init_repo(project: Path) -> None:
    """Make the project a git repository of its own (each attempt's code is one commit)."""
    if not (project / ".gitignore").exists():
        (project / ".gitignore").write_text(GITIGNORE)
    git(project, "init", "-q", "-b", "main")  # (user.name and user.email: in the config git() writes)


def commit_attempt(project: Path, message: str) -> str:
    """Commit the project's code as it is for this attempt (empty when nothing changed); return the sha."""
    git(project, "add", "-A")
    git(project, "commit", "-q", "--allow-empty", "-m", message)
    return git(project, "rev-parse", "HEAD")
