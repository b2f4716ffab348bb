"""The ray backend against a real Ray cluster started on loopback in the test (`ray start --head` and a second node
joined to it, a CPU each; stopped after): attempts run on it with their output streamed back, several at once, and
a worker killed mid-run makes the attempt fail as worker_lost with Ray's cause and be retried, with both attempts in
the store. A plan over two machines runs as a Ray Train job with a process on each node."""

import dataclasses
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import yaml

ray = pytest.importorskip("ray", reason="the ml-intern[ray] extra (ray) is not installed")

pytestmark = [pytest.mark.e2e, pytest.mark.alone]  # (a cluster of a CPU a node: nothing else beside it)
RAY = str(Path(sys.executable).parent / "ray")


@pytest.fixture(scope="module")
def cluster():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = tempfile.mkdtemp(prefix="r", dir="/tmp")  # (Ray's socket paths must stay short)
    # token authentication: code in a sandbox with the network cannot use the cluster (ml-intern refuses
    # --allow-network on a cluster without it); the nodes' temporary folder is the test's own
    token = Path(tmp) / "token"
    token.write_text(secrets.token_hex(32))
    auth = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(token)}
    (Path(tmp) / "node-tmp").mkdir()
    env = {**os.environ, "RAY_TMPDIR": tmp, "TMPDIR": str(Path(tmp) / "node-tmp"), **auth}
    started = subprocess.run([RAY, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}",
                              "--num-cpus=1", "--include-dashboard=false", "--disable-usage-stats",
                              f"--temp-dir={tmp}"], env=env, capture_output=True, text=True, timeout=180)
    assert started.returncode == 0, started.stderr[-2000:]
    # a second node (on the same machine), a CPU each: a job of two processes spans both
    joined = subprocess.run([RAY, "start", f"--address=127.0.0.1:{port}", "--node-ip-address=127.0.0.1",
                             "--num-cpus=1", "--disable-usage-stats"], env=env, capture_output=True, text=True,
                            timeout=180)
    assert joined.returncode == 0, joined.stderr[-2000:]
    saved = {k: os.environ.get(k) for k in ("ML_INTERN_RAY_ADDRESS", *auth)}
    os.environ.update(ML_INTERN_RAY_ADDRESS=f"127.0.0.1:{port}", **auth)
    # (Ray reads RAY_AUTH_MODE when imported, as in `RAY_AUTH_MODE=token ml-intern ...`; here it was imported
    # before the fixture set it, so its configuration is read again, as Ray's own token setup does)
    from ray._raylet import Config

    Config.initialize("")
    yield Cluster(address=f"127.0.0.1:{port}", node_tmp=Path(tmp) / "node-tmp")
    ray.shutdown()
    subprocess.run([RAY, "stop", "--force"], env=env, capture_output=True, timeout=120)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    Config.initialize("")


@dataclasses.dataclass
class Cluster:
    address: str
    node_tmp: Path  # the nodes' temporary folder


SLOW = """\
import json, os, time
first = not os.path.exists("first-ran")
open("first-ran", "w").close()
for i in range(240 if first else 8):  # the first attempt runs long, beating: a process left behind would go on
    print("step", i, flush=True)
    if first:
        with open("beat.txt", "a") as f:
            f.write("x")
    time.sleep(0.25)
json.dump({"metrics": {"steps": i + 1}}, open("results.json", "w"))
"""


def _in_background(cli, *argv) -> tuple[threading.Thread, dict]:
    """The CLI call in a thread (the test kills a worker meanwhile); its code, out and err land in the dict."""
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(zip(("code", "out", "err"), cli(*argv))))
    thread.start()
    return thread, result


def _project(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "train.py").write_text(body)
    return folder


def test_an_attempt_runs_on_the_cluster_with_its_output_streamed_back(cli, home, tmp_path, cluster):
    folder = _project(tmp_path, 'print("hello from the cluster", flush=True)\n'
                                'import json; json.dump({"metrics": {"x": 1}}, open("results.json", "w"))\n')
    code, out, err = cli("exec", folder, "--sandbox", "ray", "--json")
    run = json.loads(out)
    assert code == 0 and run["status"] == "succeeded", err
    (attempt,) = json.loads((home / run["id"] / "attempts.json").read_text())
    assert attempt["sandbox"] == "ray"
    log = (home / run["id"] / attempt["log"]).read_text()
    assert "on Ray node" in log and "hello from the cluster" in log
    assert attempt["limits_enforced"], "the node's sandbox reports which limits held"


def test_a_worker_killed_mid_run_fails_the_attempt_with_its_cause_and_it_is_retried(cli, home, tmp_path, cluster):
    folder = _project(tmp_path, SLOW)
    thread, result = _in_background(cli, "exec", folder, "--sandbox", "ray", "--json")
    deadline = time.monotonic() + 120
    pid = None
    while pid is None:
        assert time.monotonic() < deadline, "the attempt never started on the cluster"
        for log in home.glob("*/logs/attempt-1.log"):
            text = log.read_text()
            if "on Ray node" in text and "step 2" in text:
                pid = int(text.split("(pid ")[1].split(")")[0])
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)  # the Ray worker running the attempt, mid-run
    thread.join(timeout=300)
    run = json.loads(result["out"])
    assert result["code"] == 0 and run["status"] == "succeeded", result["err"]
    attempts = json.loads((home / run["id"] / "attempts.json").read_text())
    assert [a["status"] for a in attempts] == ["failed", "succeeded"]
    assert attempts[0]["failure"]["cls"] == "worker_lost" and "was lost" in attempts[0]["failure"]["message"]
    assert attempts[0]["fix"] == "retry unchanged"
    beats = (home / run["id"] / "project" / "beat.txt").stat().st_size
    time.sleep(1.5)
    assert (home / run["id"] / "project" / "beat.txt").stat().st_size == beats, "the first attempt's process lives on"
    code, out, _ = cli("show", run["id"], "--json")
    stored = json.loads(out)["attempts"]
    assert [(a["number"], a["status"], (a["failure"] or {}).get("cls")) for a in stored] == [
        (1, "failed", "worker_lost"), (2, "succeeded", None)]


def test_several_attempts_run_on_the_cluster_at_once(tmp_path, cluster):
    from ml_intern.run.sandbox import Job
    from ml_intern.run.sandbox.ray import RaySandbox

    body = ("import time, pathlib\npathlib.Path('start').write_text(repr(time.time()))\ntime.sleep(3)\n"
            "pathlib.Path('end').write_text(repr(time.time()))\n")
    jobs = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "train.py").write_text(body)
        jobs.append(Job(argv=[sys.executable, "train.py"], cwd=folder, env={"PATH": os.environ["PATH"]},
                        timeout_s=120, log_path=folder / "log.txt", writable=[folder]))
    backend = RaySandbox()
    results = [None, None]

    def run(i: int) -> None:
        results[i] = backend.run(jobs[i], lambda line: None, lambda: None)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(r is not None and r.exit_code == 0 for r in results)
    spans = [(float((j.cwd / "start").read_text()), float((j.cwd / "end").read_text())) for j in jobs]
    assert max(s for s, _ in spans) < min(e for _, e in spans), f"the two attempts did not overlap: {spans}"


def test_a_sweep_fans_its_runs_out_over_the_cluster(cli, home, cluster):
    from conftest import SAMPLE_TASK

    code, out, err = cli("run", SAMPLE_TASK, "--scale", "smoke", "--sandbox", "ray", "--json")
    assert code == 0, err
    base = json.loads(out)["id"]
    code, out, err = cli("sweep", base, "--param", "learning_rate=0.01,0.001", "--parallel", "2", "--json")
    rows = json.loads(out)["runs"]
    assert code == 0 and [r["status"] for r in rows] == ["succeeded", "succeeded"], err
    spans = []
    for row in rows:
        attempts = json.loads((home / row["run"] / "attempts.json").read_text())
        assert all(a["sandbox"] == "ray" for a in attempts)
        spans.append((attempts[0]["started_at"], attempts[-1]["finished_at"]))
    assert max(s for s, _ in spans) < min(e for _, e in spans), f"the two runs' attempts did not overlap: {spans}"


def test_an_attempt_no_node_can_take_is_refused_with_the_reason(tmp_path, cluster, monkeypatch):
    from ml_intern.errors import RunError
    from ml_intern.run.sandbox import Job
    from ml_intern.run.sandbox.ray import RaySandbox

    monkeypatch.setattr("ml_intern.run.sandbox.ray.START_TIMEOUT_S", 3)
    (tmp_path / "train.py").write_text("print('never')\n")
    job = Job(argv=[sys.executable, "train.py"], cwd=tmp_path, env={"PATH": os.environ["PATH"]}, timeout_s=60,
              log_path=tmp_path / "log.txt", writable=[tmp_path], processes=3)  # the cluster has 2 CPUs
    with pytest.raises(RunError, match=r"no Ray node gave the attempt its resources \(3 CPU, 0 GPU\) within 3 s"):
        RaySandbox().run(job, lambda line: None, lambda: None)
    assert not (tmp_path / "log.txt").exists()


def test_the_bench_fans_its_tasks_out_over_the_cluster(cli, home, tmp_path, cluster):
    code, out, err = cli("bench", "--scale", "smoke", "--tasks", "wine-mlp,wine-lr-diverges", "--jobs", "2",
                         "--sandbox", "ray", "--out", tmp_path / "bench", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["totals"]["success"] == 1  # both tasks met their criterion (the fault repaired) on the cluster
    spans = []
    for result in report["results"]:
        attempts = json.loads((home / result["run_id"] / "attempts.json").read_text())
        assert all(a["sandbox"] == "ray" for a in attempts)
        spans.append((attempts[0]["started_at"], attempts[-1]["finished_at"]))
    assert max(s for s, _ in spans) < min(e for _, e in spans), f"the two tasks did not overlap: {spans}"


WINE = Path(__file__).resolve().parents[1] / "examples" / "tasks" / "wine-mlp.yaml"


def test_a_plan_over_two_machines_runs_as_a_ray_train_job_with_the_one_process_result(cli, home, tmp_path, cluster):
    code, out, err = cli("run", WINE, "--scale", "smoke", "--set", "num_processes=2", "--set", "num_nodes=2",
                         "--set", "dropout=0", "--sandbox", "ray", "--allow-network", "--json")
    run = json.loads(out)
    assert code == 0 and run["status"] == "succeeded", (err, run.get("summary"))
    attempts = json.loads((home / run["id"] / "attempts.json").read_text())
    assert attempts[-1]["command"][:3] == ["train.py", "--config", "config.yaml"]  # one process's: Ray starts each
    log = (home / run["id"] / attempts[-1]["log"]).read_text()
    nodes = {line.split("(id ")[1].split(",")[0] for line in log.splitlines() if "on Ray node" in line}
    assert len(nodes) == 2, f"the two processes did not run on two nodes: {log[:1500]}"
    assert "process 0 of 2 (gloo, ddp)" in log and "process 1 of 2 (gloo, ddp)" in log
    assert (home / run["id"] / "logs" / f"attempt-{attempts[-1]['number']}.rank1.log").exists()
    # the same project run by one process on this machine gives the same result
    project = tmp_path / "one"
    subprocess.run(["git", "clone", "-q", str(home / run["id"] / "project"), str(project)], check=True)
    config = yaml.safe_load((project / "config.yaml").read_text())
    config.update(num_processes=1, num_nodes=1)
    (project / "config.yaml").write_text(yaml.safe_dump(config))
    done = subprocess.run([sys.executable, "train.py", "--config", "config.yaml"], cwd=project, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    one = json.loads((project / "outputs" / "results.json").read_text())
    two = json.loads((home / run["id"] / "project" / "outputs" / "results.json").read_text())
    assert two["steps"] == one["steps"]
    for name, value in one["metrics"].items():
        assert two["metrics"][name] == pytest.approx(value, rel=1e-4, abs=1e-6), name


def _train_job(folder: Path, body: str):
    from ml_intern.run.sandbox import Job

    (folder / "train.py").write_text(body)
    return Job(argv=[sys.executable, "train.py"], cwd=folder, env={"PATH": os.environ["PATH"]}, timeout_s=120,
               log_path=folder / "logs" / "attempt-1.log", writable=[folder], allow_network=True, processes=2, nodes=2)


RANKS = """import os, time
rank = int(os.environ["RANK"])
print("rank", rank, "of", os.environ["WORLD_SIZE"], "master", os.environ["MASTER_ADDR"], flush=True)
if rank == 1 and os.environ.get("FAIL"):
    raise ValueError("boom in process 1")
for i in range(240):
    print("beat", rank, i, flush=True)
    time.sleep(0.25)
"""


def test_a_process_that_fails_stops_the_others_and_gives_the_attempt_its_error(tmp_path, cluster):
    from ml_intern.run.sandbox.ray import RaySandbox

    job = _train_job(tmp_path, RANKS)
    job.env["FAIL"] = "1"
    lines: list[str] = []
    result = RaySandbox().run(job, lines.append, lambda: None)
    assert result.exit_code not in (0, None) and not result.stopped
    # (process 0 beats for a minute unless stopped: its last beat, not a time bound that a slow machine's start-up
    # of the job alone can pass)
    assert "beat 0 239" not in lines, "process 0 was not stopped when process 1 failed"
    assert any(line.startswith("rank 0 of 2 master") for line in lines)
    assert any(line.startswith("rank 1 of 2 master") for line in lines)
    log = job.log_path.read_text()
    assert "ValueError: boom in process 1" in log and "process 1 ended first" in log


def test_a_process_that_fails_keeps_its_error_when_the_monitor_stops_the_job_too(tmp_path, cluster):
    """Process 1 fails; its traceback makes the monitor stop the job as well, before or after process 1's end
    reaches ml-intern: the attempt is still process 1's failure, not a stop."""
    from ml_intern.run.sandbox.ray import RaySandbox

    job = _train_job(tmp_path, RANKS.replace('raise ValueError("boom in process 1")',
                                             'print("boom", flush=True); raise ValueError("boom in process 1")'))
    job.env["FAIL"] = "1"
    lines: list[str] = []
    result = RaySandbox().run(job, lines.append, lambda: "nan_loss: loss is NaN" if "boom" in lines else None)
    assert result.exit_code not in (0, None) and not result.stopped, result
    assert "process 1 ended first" in job.log_path.read_text()


def test_the_monitors_stop_reaches_every_process(tmp_path, cluster):
    from ml_intern.run.sandbox.ray import RaySandbox

    job = _train_job(tmp_path, RANKS)
    lines: list[str] = []

    def tick() -> str | None:
        beats = {line.split()[1] for line in lines if line.startswith("beat")}
        return "nan_loss: loss is NaN at step 3" if beats == {"0", "1"} else None

    result = RaySandbox().run(job, lines.append, tick)
    assert result.stopped == "nan_loss: loss is NaN at step 3"
    for rank in (0, 1):
        assert "stopped early: nan_loss" in (tmp_path / "logs" / f"attempt-1.rank{rank}.log").read_text()
    assert max(int(line.split()[2]) for line in lines if line.startswith("beat")) < 100


def test_a_train_worker_killed_mid_run_is_a_lost_worker(tmp_path, cluster):
    from ml_intern.run.sandbox.ray import RaySandbox

    job = _train_job(tmp_path, RANKS)
    box: dict = {}
    thread = threading.Thread(target=lambda: box.update(result=RaySandbox().run(job, lambda line: None,
                                                                                  lambda: None)))
    thread.start()
    deadline = time.monotonic() + 120
    pid = None
    while pid is None:
        assert time.monotonic() < deadline, "the job never started"
        log = job.log_path.read_text() if job.log_path.exists() else ""
        if "beat 1 3" in log:
            pid = int(next(line for line in log.splitlines() if "process 1 on Ray node" in line)
                      .split("pid ")[1].split(")")[0])
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    thread.join(timeout=120)
    result = box["result"]
    assert result.stopped and result.stopped.cls == "worker_lost", result
    assert "was lost" in job.log_path.read_text()


def test_a_lost_workers_attempt_goes_on_from_its_last_checkpoint(cli, home, cluster):
    thread, result = _in_background(cli, "run", WINE, "--scale", "smoke", "--set", "epochs=300", "--set",
                                    "max_steps=2000", "--set", "checkpoint_every=100", "--set", "log_every=100",
                                    "--sandbox", "ray", "--json")
    deadline = time.monotonic() + 300
    pid = None
    while pid is None:
        assert time.monotonic() < deadline, "the full attempt never checkpointed"
        for log in home.glob("*/logs/attempt-2.log"):
            if list(log.parent.parent.glob("project/outputs/checkpoints/step-*/COMPLETE")):
                pid = int(log.read_text().split("(pid ")[1].split(")")[0])
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)  # the Ray worker running the full attempt, after its first checkpoint
    thread.join(timeout=600)
    run = json.loads(result["out"])
    assert result["code"] == 0 and run["status"] == "succeeded", result["err"]
    attempts = json.loads((home / run["id"] / "attempts.json").read_text())
    assert [(a["kind"], a["status"]) for a in attempts] == [("smoke", "succeeded"), ("full", "failed"),
                                                            ("full", "succeeded")]
    assert attempts[1]["failure"]["cls"] == "worker_lost"
    assert attempts[2]["resumed_from_step"] and attempts[2]["resumed_from_step"] % 100 == 0
    assert "--resume" in attempts[2]["command"]
    results = json.loads((home / run["id"] / "project" / "outputs" / "results.json").read_text())
    info = json.loads((home / run["id"] / "project" / "outputs" / "run_info.json").read_text())
    assert results["steps"] == info["total_steps"]


def test_a_node_without_the_run_folder_gets_a_copy_and_sends_the_outputs_back(cli, home, cluster, monkeypatch):
    """ML_INTERN_RAY_SHIP=always: every node is treated as one that does not share the run folder (here, the
    same machine: the node's sandbox shows its copy at the run folder's paths, so the job cannot touch the
    original)."""
    from ml_intern.track.store import Store

    monkeypatch.setenv("ML_INTERN_RAY_SHIP", "always")
    code, out, err = cli("run", WINE, "--scale", "smoke", "--sandbox", "ray", "--json")
    run = json.loads(out)
    assert code == 0 and run["status"] == "succeeded", (err, run.get("summary"))
    attempts = json.loads((home / run["id"] / "attempts.json").read_text())
    log = (home / run["id"] / attempts[-1]["log"]).read_text()
    assert "does not share the run folder: its folders were copied there" in log and "done: test accuracy" in log
    outputs = home / run["id"] / "project" / "outputs"
    results = json.loads((outputs / "results.json").read_text())
    assert (outputs / "model").is_dir() and results["steps"] > 0
    rows = Store(home / "store.sqlite").metrics(run["id"])
    assert any(r.get("step") == results["steps"] for r in rows), "the metrics sent back reach the store"
    assert not list(cluster.node_tmp.glob("ml-intern-ship-*")), "the node's copy is left behind"


def test_a_ray_train_job_on_nodes_without_the_run_folder_gets_the_first_processs_outputs(tmp_path, cluster,
                                                                                          monkeypatch):
    from ml_intern.run.sandbox.ray import RaySandbox

    monkeypatch.setenv("ML_INTERN_RAY_SHIP", "always")
    job = _train_job(tmp_path, "import os, pathlib\nrank = os.environ['RANK']\npathlib.Path('outputs').mkdir()\n"
                               "pathlib.Path(f'outputs/from-{rank}.txt').write_text(rank)\nprint('wrote', rank)\n")
    lines: list[str] = []
    result = RaySandbox().run(job, lines.append, lambda: None)
    assert result.exit_code == 0 and sorted(lines) == ["wrote 0", "wrote 1"]
    assert (tmp_path / "outputs" / "from-0.txt").read_text() == "0"
    assert not (tmp_path / "outputs" / "from-1.txt").exists(), "only the first process's outputs come back"
    for rank in (0, 1):
        assert f"wrote {rank}" in (tmp_path / "logs" / f"attempt-1.rank{rank}.log").read_text()
    log = job.log_path.read_text()
    assert "the job's folders were copied there" in log and log.count("on a copy of the run folder") == 2


def test_a_job_with_the_network_cannot_use_the_cluster_it_runs_on(cli, home, tmp_path, cluster):
    """The cluster asks for a token, which the sandbox never sees: code with the network reaches the cluster's
    port, and is turned away."""
    folder = _project(tmp_path, f"""\
import json
from ray._raylet import GcsClient
try:
    GcsClient(address="{cluster.address}").internal_kv_keys(b"", namespace=None, timeout=20)
    print("ESCAPED: the cluster answered", flush=True)
except Exception as exc:
    print("turned away:", type(exc).__name__, flush=True)
json.dump({{"metrics": {{"x": 1}}}}, open("results.json", "w"))
""")
    code, out, err = cli("exec", folder, "--sandbox", "ray", "--allow-network", "--json")
    run = json.loads(out)
    assert code == 0 and run["status"] == "succeeded", err
    log = (home / run["id"] / "logs" / "attempt-1.log").read_text()
    assert "turned away: AuthenticationError" in log and "ESCAPED" not in log


def test_the_network_is_refused_on_a_cluster_that_asks_for_no_token(home, tmp_path, cluster):
    """A second cluster, without token authentication, started here: the probe (a client without credentials)
    gets in, so a job with the network is refused; on the test's cluster the same probe is turned away."""
    from types import SimpleNamespace

    from conftest import subprocess_env
    from ml_intern.errors import InputError
    from ml_intern.run.sandbox import Job
    from ml_intern.run.sandbox.ray import _without_token, check_network

    ray_tmp = tempfile.mkdtemp(prefix="o", dir="/tmp")
    env = {k: v for k, v in subprocess_env(home).items() if not k.startswith("RAY_AUTH")}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = subprocess.run([RAY, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}",
                              "--num-cpus=1", "--include-dashboard=false", "--disable-usage-stats",
                              f"--temp-dir={ray_tmp}"], env={**env, "RAY_TMPDIR": ray_tmp, "HOME": ray_tmp},
                             capture_output=True, text=True, timeout=180)  # (a home without ~/.ray/auth_token)
    assert started.returncode == 0, started.stderr[-2000:]
    address = f"127.0.0.1:{port}"
    try:
        job = Job(argv=["true"], cwd=tmp_path, env={}, timeout_s=10, log_path=tmp_path / "log", allow_network=True)
        other = SimpleNamespace(get_runtime_context=lambda: SimpleNamespace(gcs_address=address))
        with pytest.raises(InputError, match="answers without a token") as refused:
            check_network(other, job)
        assert "RAY_AUTH_MODE=token" in refused.value.fix
    finally:  # (`ray stop` would stop the test's cluster too: this one's processes are those that name its folder)
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if ray_tmp.encode() in (proc / "cmdline").read_bytes():
                    os.kill(int(proc.name), signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass
    assert _without_token(cluster.address).startswith("AuthenticationError")
