"""A loopback HTTP server that speaks the Hugging Face Hub's HTTP API as huggingface_hub calls it, for the places
where the Hub cannot be reached: the download path's tests (``tests/test_fetch.py``) and the stand-in caches of the
real-paper smoke benchmark (``bench/standins.py``).

It serves ``/api/{type}s/{repo}/revision/{rev}``, ``/api/{type}s/{repo}/tree/{rev}`` and ``HEAD``/``GET`` of
``/{type}s/{repo}/resolve/{rev}/{file}`` with the ``X-Repo-Commit`` and ``ETag`` headers, and the ``X-Error-Code`` of
gated and missing repositories. ``fill_cache`` downloads repositories from it with huggingface_hub's own
``snapshot_download``, so the cache it leaves is the libraries' real layout (``datasets--OWNER--NAME/{blobs,refs,
snapshots}``), written by the library itself rather than imitated.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

SHA = "0123456789abcdef0123456789abcdef01234567"  # the one commit every repository of the server is at

Files = dict[str, bytes]  # a repository's files: path -> content


@dataclass
class LoopbackHub:
    """The repositories the server holds: (type, id) -> files; gated ids answer 401; ``gets``: files downloaded."""

    repos: dict[tuple[str, str], Files]
    gated: set[str] = field(default_factory=set)
    gets: list[str] = field(default_factory=list)
    url: str = ""


def parquet_bytes(rows: list[dict], features=None) -> bytes:
    """A parquet file of ``rows``; with ``features`` (``datasets.Features``) written by the datasets library, so the
    file carries the features (class names, images, translations) in its schema metadata, as the Hub's files do."""
    buffer = io.BytesIO()
    if features is None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), buffer)
    else:
        import datasets

        datasets.Dataset.from_list(rows, features=features).to_parquet(buffer)
    return buffer.getvalue()


def saved_files(save) -> Files:
    """The files ``save(folder)`` writes (a model's or tokenizer's ``save_pretrained``), as a repository's files."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        save(tmp)
        return {p.relative_to(tmp).as_posix(): p.read_bytes() for p in sorted(Path(tmp).rglob("*")) if p.is_file()}


def _handler(hub: LoopbackHub):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _error(self, status: int, code: str) -> None:
            self.send_response(status)
            self.send_header("X-Error-Code", code)
            self.send_header("X-Error-Message", code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _json(self, body) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _repo(self, kind: str, parts: list[str]):
            repo = "/".join(parts[:2])
            if repo in hub.gated:
                self._error(401, "GatedRepo")
                return None, None
            files = hub.repos.get((kind, repo))
            if files is None:
                self._error(404, "RepoNotFound")
            return repo, files

        def _serve(self, body: bool) -> None:
            parts = [unquote(p) for p in urlparse(self.path).path.strip("/").split("/")]
            if parts[0] == "api":  # /api/{datasets|models}/OWNER/NAME/{revision|tree}/REV[/...]
                kind = parts[1][:-1]
                repo, files = self._repo(kind, parts[2:])
                if files is None:
                    return
                if parts[4] == "revision":
                    return self._json({"id": repo, "sha": SHA, "private": False,
                                       "siblings": [{"rfilename": f} for f in files]})
                return self._json([{"type": "file", "path": f, "size": len(d), "oid": hashlib.sha1(d).hexdigest()}
                                   for f, d in files.items()])
            kind = "dataset" if parts[0] == "datasets" else "model"
            rest = parts[1:] if kind == "dataset" else parts
            repo, files = self._repo(kind, rest)  # OWNER/NAME/resolve/REV/PATH
            if files is None:
                return
            data = files.get("/".join(rest[4:]))
            if data is None:
                return self._error(404, "EntryNotFound")
            self.send_response(200)
            self.send_header("X-Repo-Commit", SHA)
            self.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()}"')
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                hub.gets.append("/".join(rest[4:]))
                self.wfile.write(data)

        def do_GET(self):
            self._serve(True)

        def do_HEAD(self):
            self._serve(False)

    return Handler


@contextmanager
def serve(hub: LoopbackHub) -> Iterator[LoopbackHub]:
    """The server on a free loopback port while the block runs (``hub.url`` its address)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hub.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def fill_cache(repos: dict[tuple[str, str], Files], cache: Path) -> list[Path]:
    """Download every repository from a loopback Hub holding ``repos`` into the hub cache ``cache`` with
    huggingface_hub's ``snapshot_download``; return the snapshot folders."""
    from huggingface_hub import snapshot_download

    snapshots = []
    with serve(LoopbackHub(dict(repos))) as hub:
        for kind, repo in repos:
            snapshots.append(Path(snapshot_download(repo, repo_type=kind, cache_dir=cache, endpoint=hub.url,
                                                    token=False)))
    return snapshots
