"""The ``ray`` backend: each attempt runs on a Ray cluster (extra ``ml-intern[ray]``).

The cluster's address comes from ``ML_INTERN_RAY_ADDRESS`` (default ``auto``: the cluster this machine belongs
to, as ``ray start`` left it). An attempt is one actor (``_Runner``) placed by Ray with the CPUs and GPUs the job
asks for. On its node, the actor runs the job through that node's own sandbox (``auto``: bubblewrap where it
works), so the isolation, limits, timeout and log file are those of a local attempt. ml-intern polls the actor for
output lines, which feed the monitor and the terminal as usual. The monitor's reasons to stop go back to the actor.

The run folder is best at the same path on every node (one machine, or a shared filesystem): the job reads its
project there and writes its log, metrics, checkpoints and model there, so nothing needs copying. A node that does
not see it gets a copy of the job's folders and sends back what the job changed (``ship``).

A node or worker that dies takes the actor with it: the attempt ends as ``worker_lost``, with Ray's cause, and the
repair loop retries it unchanged (``repair.fix_worker_lost``).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable

from ml_intern.errors import InputError, RunError
from ml_intern.run.sandbox import ship
from ml_intern.run.sandbox.base import Job, SandboxResult
from ml_intern.run.sandbox.output import MAX_LINE, BoundedLog
from ml_intern.run.sandbox.ray_common import START_TIMEOUT_S, lost as _lost, ray_module as _ray

POLL_S = 0.3
_RUNNER = None
_CONNECT = threading.Lock()


def _runner_class(ray):
    global _RUNNER
    if _RUNNER is not None:
        return _RUNNER

    @ray.remote(max_restarts=0, max_task_retries=0)
    class Runner:
        """Runs one job through the node's own sandbox in a thread; hands out its output lines as they come."""

        def __init__(self):
            self.job: Job | None = None
            self.lines: list[str] = []
            self.result: SandboxResult | None = None
            self.error: str | None = None
            self.stop_reason: str | None = None
            self.lock = threading.Lock()
            self.shipped: tuple = ()
            self.returned: ship.Returned | None = None

        def start(self, job: Job, inner: str, probe: str | None, parcel: ship.Parcel | None = None) -> dict:
            """Start the job; a node that does not see the run folder (the probe file) asks for a parcel first."""
            from ml_intern.run.sandbox import get_sandbox

            if parcel is None and ship.needs_parcel(probe):
                return {"needs_parcel": True}
            backend = get_sandbox(inner)
            if parcel is not None:
                ship.check_copy_sandbox(backend)
                self.shipped = ship.unpack(parcel, job)
            gpus = [str(int(g)) for g in ray.get_gpu_ids()]  # the GPUs Ray gave this actor, and only those
            job.limits = dataclasses.replace(job.limits, gpu=bool(gpus))
            job.env = {**job.env, "CUDA_VISIBLE_DEVICES": ",".join(gpus)}
            self.job = job

            def on_line(line: str) -> None:
                with self.lock:
                    self.lines.append(line)

            def work() -> None:
                try:
                    result = backend.run(job, on_line, lambda: self.stop_reason)
                    if parcel is not None:  # (before the result: the driver takes both at once)
                        root, before = self.shipped
                        self.returned = ship.changes(job, before, root)
                    self.result = result
                except BaseException as exc:  # reported to the driver, which records the attempt as failed
                    if self.shipped:
                        ship.remove(self.shipped[0])
                    self.error = f"{type(exc).__name__}: {exc}"

            threading.Thread(target=work, daemon=True).start()
            return {"pid": os.getpid(), "node": os.uname().nodename, "sandbox": backend.name,
                    "isolates": backend.isolates, "copied_mb": len(parcel.data) / 2**20 if parcel else None}

        def poll(self) -> tuple[list[str], SandboxResult | None, str | None, dict, ship.Returned | None]:
            result, error = self.result, self.error  # (first: the lines it printed before ending come with it)
            with self.lock:
                lines, self.lines = self.lines, []
            return lines, result, error, dict(self.job.enforced), self.returned if result else None

        def stop(self, reason: str) -> None:
            self.stop_reason = reason

    _RUNNER = Runner
    return Runner


# Run with no credentials (no token variables, an empty home): does the cluster answer someone without its token?
PROBE = """\
import sys
from ray._raylet import GcsClient
try:
    GcsClient(address=sys.argv[1]).internal_kv_keys(b"", namespace=None, timeout=20)
    print("open")
except Exception as exc:
    print(type(exc).__name__, exc)
"""


@functools.cache
def _without_token(gcs_address: str) -> str:
    """What the cluster says to a client without its token: "AuthenticationError ..." when it asks for one."""
    with tempfile.TemporaryDirectory() as home:
        try:
            done = subprocess.run([sys.executable, "-c", PROBE, gcs_address], capture_output=True, text=True,
                                  timeout=120, env={"PATH": os.environ.get("PATH", ""), "HOME": home})
        except subprocess.TimeoutExpired:
            return "no answer"
    return (done.stdout.strip() or done.stderr.strip() or "no answer").splitlines()[-1][:300]


def check_network(ray, job: Job) -> None:
    """A job with the network can reach the cluster's own ports. Unless the cluster asks for a token (which the
    sandbox never sees), it could run code on any node outside its sandbox: refused, unless the user accepts it."""
    if not job.allow_network or os.environ.get("ML_INTERN_RAY_INSECURE") == "1":
        return
    answer = _without_token(ray.get_runtime_context().gcs_address)
    if not answer.startswith("AuthenticationError"):
        raise InputError("with the network allowed, code in the sandbox can reach this Ray cluster, which answers "
                         f"without a token ({answer}): it could run code on any node, outside its sandbox",
                         fix="start the cluster with token authentication (RAY_AUTH_MODE=token, and the token from "
                             "`ray get-auth-token --generate` on every node and here), or accept the risk with "
                             "ML_INTERN_RAY_INSECURE=1")


def _messages_to_stderr() -> None:
    """Ray's driver prints the cluster's error messages ("A worker died…") to stdout, where `--json` output goes:
    they go to stderr instead. (``print_to_stdstream`` is Ray's internal printer, looked up at each call.)"""
    import ray._private.worker as ray_worker

    printer = ray_worker.print_to_stdstream
    if getattr(printer, "to_stderr", False):
        return

    def to_stderr(data, ignore_prefix):
        return printer({**data, "is_err": True}, ignore_prefix)

    to_stderr.to_stderr = True  # type: ignore[attr-defined]
    ray_worker.print_to_stdstream = to_stderr


class RaySandbox:
    name = "ray"

    def __init__(self, address: str | None = None, inner: str = "auto"):
        self.ray = _ray()
        self.address = address or os.environ.get("ML_INTERN_RAY_ADDRESS") or "auto"
        self.inner = inner
        self.isolates = True  # the node's own sandbox isolates (the attempt's log names the one used there)

    def _connect(self) -> None:
        with _CONNECT:  # (one connection per process, whichever thread's run comes first: bench --jobs)
            if self.ray.is_initialized():
                return
            _messages_to_stderr()
            try:
                self.ray.init(address=self.address, ignore_reinit_error=True, log_to_driver=False,
                              logging_level="ERROR", configure_logging=False)
            except ConnectionError as exc:
                raise InputError(f"cannot reach the Ray cluster at {self.address} ({exc})",
                                 fix="start it (`ray start --head`) or set ML_INTERN_RAY_ADDRESS") from None

    def run(self, job: Job, on_line: Callable[[str], None], on_tick: Callable[[], str | None]) -> SandboxResult:
        self._connect()
        check_network(self.ray, job)
        if job.nodes > 1:
            from ml_intern.run.sandbox.ray_train import run_train_job

            return run_train_job(self.ray, job, self.inner, on_line, on_tick)
        ray = self.ray
        started = time.monotonic()
        # a CPU per training process, and a GPU each where the run or the cluster has GPUs
        gpus = job.limits.gpu or ray.cluster_resources().get("GPU", 0) > 0
        resources = {"num_cpus": job.processes, "num_gpus": job.processes if gpus else 0}
        runner = _runner_class(ray).options(**resources).remote()
        done = False
        probe = None if ship.forced() else ship.make_probe(job)
        try:
            try:
                where = ray.get(runner.start.remote(job, self.inner, str(probe) if probe else None),
                                timeout=START_TIMEOUT_S)
                if where.get("needs_parcel"):  # no shared filesystem there: the job's folders go with it
                    where = ray.get(runner.start.remote(job, self.inner, None, ship.pack(job)),
                                    timeout=START_TIMEOUT_S)
            except ray.exceptions.GetTimeoutError:
                raise RunError(f"no Ray node gave the attempt its resources ({resources['num_cpus']} CPU, "
                               f"{resources['num_gpus']} GPU) within {START_TIMEOUT_S:g} s",
                               fix="check the cluster's free resources (`ray status`)") from None
            except ray.exceptions.RayActorError as exc:  # the node went away before the job started
                done = True
                return _lost(job, "(starting)", exc, started)
            except ray.exceptions.RayTaskError as exc:
                done = True
                if isinstance(getattr(exc, "cause", None), InputError):
                    raise exc.cause from None
                raise RunError(f"the Ray worker could not start the attempt: {str(exc).strip()[:500]}") from None
            except ray.exceptions.RayError as exc:
                raise RunError(f"Ray could not start the attempt: {str(exc).strip()[:500]}") from None
            with job.log_path.open("a") as log:
                log.write(f"[ml-intern] on Ray node {where['node']} (pid {where['pid']}), sandbox {where['sandbox']}\n")
                if where["copied_mb"] is not None:
                    log.write(f"[ml-intern] the node does not share the run folder: its folders were copied there "
                              f"({where['copied_mb']:.1f} MB); what the job changes comes back when it ends\n")
                if not where["isolates"]:
                    from ml_intern.run.sandbox.process import WARNING

                    log.write(f"[ml-intern] WARNING on node {where['node']}: {WARNING}\n")
            result = self._follow(runner, where, job, on_line, on_tick, started)
            done = True
            return result
        finally:
            if probe is not None:
                probe.unlink(missing_ok=True)
            if not done:  # Ctrl-C, or ml-intern's own error: the node's sandbox stops its job cleanly first
                _stop(ray, runner)
            try:
                ray.kill(runner)
            except Exception:  # (already gone)
                pass

    def _follow(self, runner, where: dict, job: Job, on_line: Callable[[str], None],
                on_tick: Callable[[], str | None], started: float) -> SandboxResult:
        """Poll the runner for output until its job ends; a runner that cannot be reached is a lost worker."""
        copied = where["copied_mb"] is not None
        # the node writes its own copy's log; this one is written here, head and tail kept like a local attempt's
        log = BoundedLog(job.log_path.open("a", encoding="utf-8")) if copied else None
        try:
            return self._poll(runner, where, job, on_line, on_tick, started, log)
        finally:
            if log is not None:
                log.close()
                log.f.close()

    def _poll(self, runner, where: dict, job: Job, on_line: Callable[[str], None], on_tick: Callable[[], str | None],
              started: float, log: BoundedLog | None) -> SandboxResult:
        ray = self.ray
        stop_sent = None
        unanswered = 0
        while True:
            try:
                lines, result, error, enforced, returned = ray.get(runner.poll.remote(), timeout=60)
                unanswered = 0
            except ray.exceptions.RayActorError as exc:
                if log is not None:
                    log.close()  # (the tail so far, before the note of the loss)
                return _lost(job, where["node"], exc, started)
            except ray.exceptions.GetTimeoutError as exc:  # alive but silent, or gone: three minutes decide
                unanswered += 1
                if unanswered < 3:
                    continue
                _stop(ray, runner)
                if log is not None:
                    log.close()
                return _lost(job, where["node"], exc, started)
            job.enforced = enforced
            if log is not None:
                for line in lines:
                    log.write(line + "\n")
            for line in lines:
                on_line(line)
            if error is not None:
                raise RunError(f"the attempt's runner on {where['node']} failed: {error}")
            if result is not None:
                if log is not None and returned is not None:
                    ship.apply(returned, job)
                    for line in returned.log.splitlines()[-1000:]:  # the sandbox's own notes (a stop, a timeout)
                        if line.startswith("[ml-intern]"):
                            log.note(line[:MAX_LINE] + "\n")
                    on_tick()  # (the outputs are here now: the metrics the job wrote reach the store)
                return result
            reason = on_tick()
            if reason and stop_sent is None:
                stop_sent = reason
                runner.stop.remote(reason)
            time.sleep(POLL_S)


def _stop(ray, runner, grace_s: float = 15.0) -> None:
    """Ask the runner to stop its job (the node's sandbox kills the job's processes, its cgroup included) and
    wait a little for it to be done, before the actor itself is killed."""
    try:
        runner.stop.remote("stopped by ml-intern")
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            _, result, error, _, _ = ray.get(runner.poll.remote(), timeout=grace_s)
            if result is not None or error is not None:
                return
            time.sleep(POLL_S)
    except Exception:  # (the actor is gone already, or never started: nothing of it left to stop)
        return
