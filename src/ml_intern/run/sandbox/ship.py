"""A job's folders copied to a Ray node that does not share the run folder's filesystem, and its writes back.

ml-intern leaves a probe file in the run's log folder before an attempt starts. A node that cannot see it (or every
node, with ``ML_INTERN_RAY_SHIP=always``) gets a parcel: a tar of the job's folders (the project with its ``.git``
and outputs, checkpoints included; the run's home; the local model folders it reads). The node unpacks it in a
folder of its own, and its sandbox shows each folder at its own path (bubblewrap's binds), so paths in the project's
config still hold. When the job ends, the node sends back what changed in the folders the job may write (new and
changed regular files, and the files it removed), and its log. ml-intern applies them to the run folder: only
regular files, only inside those folders, never through a link, never into a read-only one (the project's
``.git``). Then the node's copy is removed.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ml_intern.errors import InputError, RunError
from ml_intern.run.sandbox.base import Job

SCRATCH = "tmp"  # the run's scratch folder: sent empty, never sent back
_EMPTY = tarfile.NUL * tarfile.BLOCKSIZE * 2  # a tar of nothing


def forced() -> bool:
    return os.environ.get("ML_INTERN_RAY_SHIP", "").lower() == "always"


def make_probe(job: Job) -> Path:
    """A file only a node sharing the run folder can see."""
    probe = job.log_path.parent / f".ray-probe-{uuid.uuid4().hex}"
    probe.parent.mkdir(parents=True, exist_ok=True)
    probe.write_text("ml-intern\n")
    return probe


def check_copy_sandbox(backend) -> None:
    """A node's sandbox that cannot show a copy at the run folder's paths (``process``) is refused before the copy
    is made (``ProcessSandbox`` itself refuses a job with mounts too)."""
    if not backend.isolates:
        raise InputError(f"the Ray node {os.uname().nodename} does not share the run folder, and its sandbox "
                         f"({backend.name}) cannot show a copy of it at its own paths",
                         fix="install bubblewrap on the node, or share the run folder")


def needs_parcel(probe: str | None) -> bool:
    """On the node: no shared filesystem (or copying forced)."""
    return forced() or probe is None or not Path(probe).exists()


@dataclass
class Parcel:
    data: bytes
    folders: list[str]  # the absolute folders it holds, made on the node even when empty


@dataclass
class Returned:
    data: bytes  # a tar of the changed and new regular files, by absolute path without the leading /
    removed: list[str] = field(default_factory=list)
    log: str = ""  # the node's log of the job


def _folders(job: Job) -> tuple[list[Path], list[Path]]:
    """The folders the job may write, and those it only reads outside them (local models)."""
    writable = [Path(w) for w in (job.writable or [job.cwd])]
    readonly = [Path(r) for r in job.readonly if not any(Path(r).is_relative_to(w) for w in writable)]
    return writable, readonly


def pack(job: Job) -> Parcel:
    """The job's folders as they are now (the scratch folder empty). Links that lead out of their folder are
    left out: a copy cannot hold them (the node would refuse the whole parcel)."""
    writable, readonly = _folders(job)
    buffer = io.BytesIO()

    def inside(folder: Path):
        def keep(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
            if info.issym() or info.islnk():
                target = Path("/" + info.name).parent / info.linkname if info.issym() else Path("/" + info.linkname)
                if not os.path.normpath(target).startswith(str(folder) + "/"):
                    return None
            return info
        return keep

    try:
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            for folder in [*writable, *readonly]:
                if folder.name == SCRATCH or not folder.exists():
                    continue
                tar.add(str(folder), arcname=str(folder).lstrip("/"), filter=inside(folder))
    except (OSError, tarfile.TarError) as exc:
        raise RunError(f"could not copy the job's folders for a Ray node: {exc}",
                       fix="check the run folder (permissions, space), or share it with the nodes") from None
    return Parcel(data=buffer.getvalue(), folders=[str(f) for f in [*writable, *readonly]])


def remove(root: Path) -> None:
    """The node's copy, gone (folders the job made read-only included)."""
    for dirpath, dirnames, _ in os.walk(root):
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, 0o700)
    shutil.rmtree(root, ignore_errors=True)


def unpack(parcel: Parcel, job: Job) -> tuple[Path, dict[str, tuple[int, int]]]:
    """On the node: the parcel in a folder of its own, the job pointed at it (``mounts``), its log kept there too;
    returns the folder and what the writable folders held (to send back only the changes)."""
    root = Path(tempfile.mkdtemp(prefix="ml-intern-ship-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(parcel.data)) as tar:
            tar.extractall(root, filter="data")
        for folder in parcel.folders:
            (root / folder.lstrip("/")).mkdir(parents=True, exist_ok=True)
    except (OSError, tarfile.TarError) as exc:
        remove(root)
        raise RunError(f"the copy of the job's folders could not be unpacked on {os.uname().nodename}: {exc}",
                       fix="check the node's temporary folder (space), or share the run folder") from None
    job.mounts = {folder: str(root / folder.lstrip("/")) for folder in parcel.folders}
    job.log_path = root / "log" / job.log_path.name
    job.log_path.parent.mkdir()
    return root, _state(job)


def log_of(job: Job, root: Path) -> str:
    """On the node, after the job: only its log (a process whose outputs do not count); the copy is removed."""
    log = job.log_path.read_text(errors="replace") if job.log_path.exists() else ""
    remove(root)
    return log


def _state(job: Job) -> dict[str, tuple[int, int]]:
    """Every regular file of the writable folders (but scratch), by the path the job sees: (size, mtime)."""
    files = {}
    writable, _ = _folders(job)
    for folder in writable:
        if folder.name == SCRATCH:
            continue
        real = Path(job.host(folder))
        for dirpath, _, names in os.walk(real):
            for name in names:
                path = Path(dirpath) / name
                if path.is_symlink() or not path.is_file():
                    continue
                st = path.stat()
                files[str(folder / path.relative_to(real))] = (st.st_size, st.st_mtime_ns)
    return files


def changes(job: Job, before: dict[str, tuple[int, int]], root: Path) -> Returned:
    """On the node, after the job: what it changed, and its log; then the node's copy is removed."""
    try:
        after = _state(job)
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as tar:
            for path, stamp in sorted(after.items()):
                if before.get(path) != stamp:  # (each as a plain file: never a link)
                    info = tarfile.TarInfo(path.lstrip("/"))
                    with os.fdopen(os.open(job.host(path), os.O_RDONLY | os.O_NOFOLLOW), "rb") as source:
                        st = os.fstat(source.fileno())
                        info.size, info.mtime, info.mode = st.st_size, int(st.st_mtime), st.st_mode & 0o755
                        tar.addfile(info, source)
        log = job.log_path.read_text(errors="replace") if job.log_path.exists() else ""
    finally:
        remove(root)
    return Returned(data=buffer.getvalue(), removed=sorted(set(before) - set(after)), log=log)


def _inside(job: Job, path: Path) -> bool:
    """A path the job may have written: in a writable folder (not scratch), not in a read-only one, and reached
    through no link."""
    writable, _ = _folders(job)
    home = next((w for w in writable if w.name != SCRATCH and path.is_relative_to(w)), None)
    if home is None or ".." in path.parts or any(path.is_relative_to(r) for r in job.readonly):
        return False
    here = home
    for part in path.relative_to(home).parts[:-1]:
        here = here / part
        if here.is_symlink():
            return False
    return not path.is_symlink()


def apply(returned: Returned, job: Job) -> None:
    """On ml-intern's machine: the node's changes into the run folder. Every change is checked before any is made:
    one the job could not have made (outside its folders, in .git, a link, through a link) fails the attempt,
    with nothing written. Each file is written beside its place and renamed into it, checkpoints' COMPLETE
    markers last, removals after."""
    refused = [name for name in returned.removed if not _inside(job, Path(name))]
    with tarfile.open(fileobj=io.BytesIO(returned.data or _EMPTY)) as tar:
        members = tar.getmembers()
        refused += [m.name for m in members if not m.isfile() or not _inside(job, Path("/" + m.name))]
        if refused:
            raise RunError(f"the node sent back {len(refused)} change(s) outside the files the job may write "
                           f"(first: {refused[0]}); none was made")
        members.sort(key=lambda m: Path(m.name).name == "COMPLETE")
        for member in members:
            path = Path("/" + member.name)
            if path.is_dir():
                shutil.rmtree(path)  # (the job replaced a folder by a file)
            path.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None
            part = path.with_name(f".{path.name}.ml-intern-part")
            with part.open("wb") as out:
                shutil.copyfileobj(source, out)
            os.chmod(part, (member.mode & 0o755) | 0o600)
            os.replace(part, path)
    for name in returned.removed:
        path = Path(name)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
