"""The image a project runs in under the ``docker`` backend: its ``requirements.txt`` installed on a base image.

One image per (base, requirements, package source), tagged ``ml-intern/project:<hash>`` and reused while the
hash holds, so a run's second attempt and a rerun of the same project start at once.

- base: ``ML_INTERN_DOCKER_BASE`` (default: an official PyTorch CUDA runtime image, pulled when the engine lacks
  it). Its torch is kept (it is built for the image's CUDA) even when the project pins another version.
- packages: ``ML_INTERN_DOCKER_WHEELS``, a folder of wheels, installed with no network and no other source; or
  ``ML_INTERN_DOCKER_INDEX``, a package index URL; else pip's default index.

The install runs in a container of the base (not ``docker build``): the wheel folder is mounted read-only rather
than copied into a layer, the container has no network when the wheels are local, and no capabilities. The
container is then committed as the image. Its output is streamed and kept in a build log; a failed install is an
``ImageBuildError`` naming the requirement pip could not install.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from ml_intern.errors import InputError

DEFAULT_BASE = "pytorch/pytorch:2.9.0-cuda12.8-cudnn9-runtime"
REPOSITORY = "ml-intern/project"
LABEL = "ml-intern"  # on every container and image ml-intern makes (its value says which kind)
KEEP_FROM_BASE = ("torch", "torchvision", "torchaudio", "triton")

# Runs inside the build container, with the base image's Python: the project's requirements less the CUDA stack
# the base already holds (pinned, as a constraint, to the base's version), then pip.
INSTALL = '''
import importlib.metadata, re, subprocess, sys
keep = set(sys.argv[1].split(","))
wanted, pinned = [], []
for line in open("/ml-intern/requirements.txt"):
    req = line.split("#")[0].strip()
    if not req:
        continue
    name = re.sub(r"[-_.]+", "-", re.split(r"[\\s<>=!~;\\[@]", req, maxsplit=1)[0]).lower()
    try:
        have = importlib.metadata.version(name) if name in keep else None
    except importlib.metadata.PackageNotFoundError:
        have = None
    if have:
        print(f"[ml-intern] keeping the base image's {name} {have} (the project asks for {req})", flush=True)
        pinned.append(f"{name}=={have}")
    else:
        wanted.append(req)
open("/tmp/requirements.txt", "w").write("\\n".join(wanted) + "\\n")
open("/tmp/constraints.txt", "w").write("\\n".join(pinned) + "\\n")
if not wanted:
    sys.exit(0)
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "--no-cache-dir", "--disable-pip-version-check",
                          "--progress-bar", "off", "--root-user-action", "ignore", "-r", "/tmp/requirements.txt",
                          "-c", "/tmp/constraints.txt", *sys.argv[2:]]))
'''

# pip's ways of saying which requirement it could not install, most specific first
_PIP_FAILURES = (r"No matching distribution found for (\S+)", r"Could not find a version that satisfies the requirement (\S+)",
                 r"Cannot install (.+?) because these package versions have conflicting dependencies",
                 r"Failed (?:to build|building wheel for) (\S+)", r"Invalid requirement: '?([^'\n]+)'?",
                 r"Could not install packages due to an OSError.*?: '?([^'\n]+)'?")


class ImageBuildError(InputError):
    """The project's image could not be made: the base is missing or a requirement does not install."""


def requirements_of(project: Path) -> str:
    path = project / "requirements.txt"
    return path.read_text() if path.is_file() else ""


def source() -> tuple[str, Path | None, str | None]:
    """(base image, wheel folder, package index) from the environment."""
    wheels = os.environ.get("ML_INTERN_DOCKER_WHEELS")
    if wheels and not Path(wheels).is_dir():
        raise ImageBuildError(f"ML_INTERN_DOCKER_WHEELS is {wheels}, which is not a folder",
                              fix="point it at a folder of wheels (pip download -r requirements.txt -d FOLDER)")
    return (os.environ.get("ML_INTERN_DOCKER_BASE") or DEFAULT_BASE, Path(wheels).resolve() if wheels else None,
            os.environ.get("ML_INTERN_DOCKER_INDEX") or None)


def image_key(base_id: str, requirements: str, wheels: Path | None, index: str | None) -> str:
    """The hash an image is reused by: the base's id, the requirements, where packages come from, the procedure."""
    h = hashlib.sha256()
    for part in (base_id, requirements, index or "", INSTALL, ",".join(KEEP_FROM_BASE)):
        h.update(part.encode() + b"\0")
    if wheels:  # a wheel's name carries its version; the size catches a rebuilt file
        for f in sorted(f for f in wheels.iterdir() if not f.name.startswith(".")):
            h.update(f"{f.name}:{f.stat().st_size}\n".encode())
    return h.hexdigest()


def pip_failure(log: str) -> str:
    """The requirement pip names in its error, else its last error line."""
    for pattern in _PIP_FAILURES:
        if found := re.findall(pattern, log):
            return found[-1].strip().rstrip(".")
    errors = [line.strip() for line in log.splitlines() if line.strip().startswith("ERROR")]
    return errors[-1] if errors else "see the build log"


def _base_id(client, base: str, on_line: Callable[[str], None]) -> str:
    import docker

    try:
        return client.images.get(base).id
    except docker.errors.ImageNotFound:
        pass
    on_line(f"[ml-intern] pulling the base image {base}")
    repository, tag = docker.utils.parse_repository_tag(base)  # (a registry's port, a digest)
    try:
        done = set()
        for event in client.api.pull(repository, tag=tag or "latest", stream=True, decode=True):
            if "error" in event:
                raise docker.errors.APIError(event["error"])
            if event.get("status") in ("Pull complete", "Already exists") and event.get("id") not in done:
                done.add(event.get("id"))
                on_line(f"[ml-intern] base layer {event.get('id')}: {event['status'].lower()} ({len(done)} so far)")
        return client.images.get(base).id
    except docker.errors.DockerException as exc:
        raise ImageBuildError(f"the base image {base} is not on this Docker engine and cannot be pulled ({exc})",
                              fix="pull or `docker load` it where it can be had, or set ML_INTERN_DOCKER_BASE to an "
                                  "image this engine has (docker image ls)") from None


def image_for(client, project: Path, on_line: Callable[[str], None], log_dir: Path) -> str:
    """The image to run ``project`` in: the base itself when the project has no requirements.txt, else the
    project's image, built now (its log in ``log_dir``) unless one with the same hash exists."""
    import docker

    base, wheels, index = source()
    base_id = _base_id(client, base, on_line)
    requirements = requirements_of(project)
    if not requirements.strip():
        return base_id
    key = image_key(base_id, requirements, wheels, index)
    tag = f"{REPOSITORY}:{key[:16]}"
    try:
        client.images.get(tag)
        on_line(f"[ml-intern] image {tag}: reused (same base and requirements)")
        return tag
    except docker.errors.ImageNotFound:
        pass
    log_path = log_dir / f"docker-build-{key[:16]}.log"
    on_line(f"[ml-intern] building image {tag}: requirements.txt on {base} "
            f"({'wheels from ' + str(wheels) if wheels else 'index ' + index if index else 'pip default index'}; "
            f"log {log_path})")
    started = time.monotonic()
    _build(client, base, key, tag, requirements, wheels, index, on_line, log_path)
    on_line(f"[ml-intern] image {tag} built in {time.monotonic() - started:.0f} s")
    return tag


def _build(client, base: str, key: str, tag: str, requirements: str, wheels: Path | None, index: str | None,
           on_line: Callable[[str], None], log_path: Path) -> None:
    import docker

    pip_source = ["--no-index", "--find-links", "/ml-intern-wheels"] if wheels else []
    if index and not wheels:
        pip_source = ["--index-url", index]
        if urlparse(index).scheme == "http":  # a mirror on the local network: pip wants it named to use plain HTTP
            pip_source += ["--trusted-host", urlparse(index).hostname or ""]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ml-intern-image-") as context:
        (Path(context) / "requirements.txt").write_text(requirements)
        (Path(context) / "install.py").write_text(INSTALL)
        os.chmod(context, 0o755)
        volumes = {context: {"bind": "/ml-intern", "mode": "ro"}}
        if wheels:
            volumes[str(wheels)] = {"bind": "/ml-intern-wheels", "mode": "ro"}
        try:
            container = client.containers.create(
                base, command=["python", "-u", "/ml-intern/install.py", ",".join(KEEP_FROM_BASE), *pip_source],
                user="0", network_mode="none" if wheels else "bridge", volumes=volumes, working_dir="/",
                labels={LABEL: "build"}, security_opt=["no-new-privileges"], cap_drop=["ALL"])
        except docker.errors.APIError as exc:
            raise ImageBuildError(f"the build container cannot be made from {base} ({exc.explanation})",
                                  fix="check ML_INTERN_DOCKER_BASE") from None
        try:
            with log_path.open("w") as log:
                try:
                    container.start()
                except docker.errors.APIError as exc:
                    raise ImageBuildError(f"the base image {base} cannot run the install ({exc.explanation})",
                                          fix="use a base image with Python and pip on its PATH (ML_INTERN_DOCKER_BASE)")
                pending = ""
                for chunk in container.logs(stream=True, follow=True):
                    pending += chunk.decode(errors="replace")
                    *lines, pending = pending.split("\n")
                    for line in lines:
                        log.write(line + "\n")
                        log.flush()
                        on_line(f"[docker build] {line}")
                if pending:
                    log.write(pending + "\n")
                    on_line(f"[docker build] {pending}")
            status = container.wait().get("StatusCode")
            if status != 0:
                failed = pip_failure(log_path.read_text(errors="replace"))
                raise ImageBuildError(f"the project's image cannot be built: pip cannot install {failed} "
                                      f"(exit status {status}; build log {log_path})", subject="requirements.txt",
                                      fix="correct that requirement in the project's requirements.txt, or make it "
                                          "available: a wheel in ML_INTERN_DOCKER_WHEELS or a package index in "
                                          "ML_INTERN_DOCKER_INDEX")
            base_config = client.images.get(base).attrs.get("Config") or {}
            changes = [f"CMD {json.dumps(base_config.get('Cmd') or ['python'])}", "WORKDIR /",
                       f"LABEL {LABEL}=project ml-intern.key={key}"]
            container.commit(repository=tag.split(":")[0], tag=tag.split(":")[1], changes=changes)
        finally:
            try:
                container.remove(force=True)
            except docker.errors.APIError:
                pass
