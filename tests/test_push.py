"""`ml-intern push`: the allow-list, the model card, licence checks, and the upload against a loopback server
that records the requests (no real Hub)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from conftest import SAMPLE_PDF
from ml_intern.track.hub import licence_conflicts

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One real smoke-scale run, shared by the tests here."""
    from ml_intern.cli import main

    home = tmp_path_factory.mktemp("home")
    assert main(["--home", str(home), "run", str(SAMPLE_PDF), "--scale", "smoke", "--json"]) == 0
    run_dir = next(d for d in home.iterdir() if d.is_dir())
    return home, run_dir


def test_dry_run_stages_only_the_allow_list(trained, capsys, monkeypatch):
    from ml_intern.cli import main

    home, run_dir = trained
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("HF_HOME", str(home / "no-hf-home"))  # no saved login either
    capsys.readouterr()
    assert main(["--home", str(home), "push", run_dir.name, "--repo-id", "me/digits", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["dry_run"] is True
    staged = Path(result["staged"])
    on_disk = sorted(str(p.relative_to(staged)) for p in staged.rglob("*") if p.is_file())
    assert on_disk == result["files"]
    assert {"model.safetensors", "README.md", "results.json", "project/train.py", "project/config.yaml"} <= set(on_disk)
    assert not [f for f in on_disk if f.endswith((".pt", ".pkl", ".log")) or "checkpoint" in f or f.startswith("home")]


def test_card_metadata_and_content(trained):
    from ml_intern.track.hub import stage

    _, run_dir = trained
    staged, _ = stage(run_dir, "me/digits", "bsd-3-clause")
    card = (staged / "README.md").read_text()
    meta = yaml.safe_load(card.split("---")[1])
    assert meta["license"] == "bsd-3-clause" and "ml-intern" in meta["tags"] and "accuracy" in meta["metrics"]
    assert "We train with the Adam optimizer with a learning rate of 0.001" in card  # values with their sources
    assert "the paper's setting `default`" in card  # the setting reproduced, and each paper value's
    assert "| paper | default | p. 2: “We train with the Adam optimizer" in card
    assert "| test_accuracy |" in card and "0.9830" in card  # beside the paper's value
    assert "**Did it reproduce?** not comparable: a smoke run" in card and "paper 0.983, baseline " in card
    assert "python train.py --config config.yaml" in card


def test_licence_conflicts():
    assert licence_conflicts("mit", "ImageNet terms of access (non-commercial research)", None)
    assert licence_conflicts("apache-2.0", "CC-BY-4.0", "meta-llama/Llama-3.2-3B")
    assert licence_conflicts("mit", "BSD-3-Clause", None) == []


def test_conflicting_licence_stops_the_push(trained, capsys):
    from ml_intern.cli import main

    home, run_dir = trained
    plan = json.loads((run_dir / "plan.json").read_text())
    plan["dataset"]["license"] = "CC-BY-NC-4.0 (non-commercial)"
    (run_dir / "plan.json").write_text(json.dumps(plan))
    try:
        code = main(["--home", str(home), "push", run_dir.name, "--repo-id", "me/x", "--license", "mit", "--dry-run"])
        assert code == 2 and "licence conflict" in capsys.readouterr().err
        assert main(["--home", str(home), "push", run_dir.name, "--repo-id", "me/x", "--license", "mit", "--dry-run",
                     "--allow-license-conflict"]) == 0
    finally:
        plan["dataset"]["license"] = "BSD-3-Clause"
        (run_dir / "plan.json").write_text(json.dumps(plan))


class Hub(BaseHTTPRequestHandler):
    requests: list = []

    def _reply(self, obj):
        body = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path.endswith("/repos/create"):
            return self._reply({"url": f"{base}/me/digits", "name": "me/digits", "id": "1"})
        if self.path.endswith("/validate-yaml"):
            return self._reply({"errors": [], "warnings": []})
        if "/preupload/" in self.path:
            files = json.loads(body)["files"]
            return self._reply({"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False}
                                          for f in files]})
        if "/commit/" in self.path:
            return self._reply({"commitUrl": f"{base}/me/digits/commit/{'a' * 40}", "commitOid": "a" * 40})
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_upload_against_a_recording_server(trained, monkeypatch, capsys):
    from ml_intern.cli import main

    home, run_dir = trained
    Hub.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("HF_TOKEN", "hf_secret_token_for_test")
    try:
        capsys.readouterr()
        code = main(["--home", str(home), "push", run_dir.name, "--repo-id", "me/digits", "--json"])
        assert code == 0, capsys.readouterr().err
        result = json.loads(capsys.readouterr().out)
    finally:
        server.shutdown()
    assert result["dry_run"] is False and result["url"].endswith("a" * 40)
    paths = [r["path"] for r in Hub.requests]
    assert paths[0] == "/api/repos/create" and paths[-1] == "/api/models/me/digits/commit/main"
    assert all(r["auth"] == "Bearer hf_secret_token_for_test" for r in Hub.requests)
    commit = [json.loads(line) for line in Hub.requests[-1]["body"].decode().splitlines()]
    uploaded = sorted(c["value"]["path"] for c in commit if c["key"] == "file")
    assert uploaded == result["files"]
    # the token is never written anywhere in the run folder or the home
    for path in home.rglob("*"):
        if path.is_file() and path.stat().st_size < 5_000_000:
            assert b"hf_secret_token_for_test" not in path.read_bytes(), path


def test_a_transformers_model_folder_goes_up_with_its_tokenizer_and_config(tmp_path):
    """A recipe that saves with save_pretrained into outputs/model/: weights, config and tokenizer files are
    pushed at the repository's root, where from_pretrained looks; pickles beside them are not."""
    import shutil

    from ml_intern.track.hub import stage

    run_dir = tmp_path / "run"
    (run_dir / "project" / "outputs" / "model").mkdir(parents=True)
    model = run_dir / "project" / "outputs" / "model"
    from safetensors.torch import save_file
    import torch

    save_file({"w": torch.zeros(2)}, str(model / "model.safetensors"))
    (model / "config.json").write_text(json.dumps({"model_type": "bert", "num_labels": 2}))
    (model / "tokenizer.json").write_text(json.dumps({"version": "1.0", "model": {"type": "WordPiece"}}))
    (model / "tokenizer_config.json").write_text("{}")
    (model / "training_args.bin").write_bytes(b"\x80\x04pickle")
    (run_dir / "project" / "train.py").write_text("print('train')\n")
    staged, files = stage(run_dir, "me/bert", "apache-2.0")
    assert {"model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json", "README.md",
            "project/train.py"} == set(files)
    assert json.loads((staged / "config.json").read_text())["num_labels"] == 2
    shutil.rmtree(staged)
