"""The Docker engine, base image and wheels the Docker tests use; they skip, saying why, where there is none.

No image registry is needed: the base is made here by `.ci/docker-base` (Debian by debootstrap, Python 3.11) unless
ML_INTERN_DOCKER_BASE names one, and the project's packages come from a wheel folder filled by this machine's pip.
"""

import functools
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def engine_missing() -> str | None:
    try:
        import docker
    except ImportError:
        return "the Docker SDK (extra ml-intern[docker]) is not installed"
    try:
        docker.from_env().ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no engine
        return f"no Docker engine answers here ({type(exc).__name__}); .ci/run starts one"
    return None


@functools.cache
def _base() -> tuple[str | None, str | None]:
    if os.environ.get("ML_INTERN_DOCKER_BASE"):
        return os.environ["ML_INTERN_DOCKER_BASE"], None
    made = subprocess.run([str(ROOT / ".ci" / "docker-base")], capture_output=True, text=True)
    if made.returncode != 0:
        return None, f"no base image: .ci/docker-base failed ({(made.stderr.strip().splitlines() or ['?'])[-1]})"
    return made.stdout.strip().splitlines()[-1], None


def base_image() -> str:
    """The base image's tag, or skip with the reason."""
    if why := engine_missing():
        pytest.skip(why)
    tag, why = _base()
    if why:
        pytest.skip(why)
    return tag


def wheels_for(requirements: str) -> Path:
    """A folder with the wheels of ``requirements`` (and their dependencies), from this machine's pip sources."""
    folder = Path(tempfile.gettempdir()) / "ml-intern-test-wheels" / hashlib.sha256(requirements.encode()).hexdigest()[:16]
    if not (folder / ".complete").exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "requirements.txt").write_text(requirements)
        done = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--only-binary", ":all:", "-d", str(folder),
                               "-r", str(folder / "requirements.txt")], capture_output=True, text=True)
        (folder / "requirements.txt").unlink()
        if done.returncode != 0:
            pytest.skip(f"the wheels for the Docker image cannot be had here: {done.stderr.strip()[-300:]}")
        (folder / ".complete").unlink(missing_ok=True)
        (folder / ".complete").write_text("")
    return folder


def containers(label_value: str | None = None) -> list:
    """ml-intern's containers on the engine now (all states)."""
    import docker

    from ml_intern.run.sandbox.image import LABEL

    wanted = f"{LABEL}={label_value}" if label_value else LABEL
    return docker.from_env().containers.list(all=True, filters={"label": wanted})


def bridge_gateway() -> str:
    """This machine's address on Docker's default bridge: where a container with the network reaches the host."""
    import ipaddress

    import docker

    config = docker.from_env().networks.get("bridge").attrs["IPAM"]["Config"][0]
    return config.get("Gateway") or str(next(ipaddress.ip_network(config["Subnet"]).hosts()))  # (the engine's default)
