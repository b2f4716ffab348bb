"""A project over several machines (``num_nodes`` > 1) as a Ray Train job, for the ``ray`` backend.

Ray Train's ``TorchTrainer`` starts one worker per training process, with a GPU each where the cluster has GPUs
(else a CPU), packed onto as few nodes as hold them. Each worker runs one process of the job (``python train.py
...``, the job's argv) through its node's own sandbox, so isolation, limits and timeout are those of a local
attempt, with torch.distributed's variables set as ``torchrun`` sets them:

- ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``LOCAL_WORLD_SIZE``, ``NODE_RANK``: from Ray Train's context;
- ``MASTER_ADDR``: the first worker's node, as Ray Train gives it; ``MASTER_PORT``: a free port there, which the
  first worker sends the others over the workers' own gloo group;
- ``CUDA_VISIBLE_DEVICES``: the GPUs of the node's workers, as Ray Train shares them (``LOCAL_RANK`` picks one).

The processes reach each other over the network, so the sandboxes share the nodes' network: the run must allow it
(``--allow-network``; ``attempts.check_nodes`` refuses otherwise).

Output: each worker sends its process's lines to a relay actor, which ml-intern polls. So the monitor, the
terminal and the attempt's log get every process's lines, as from ``accelerate launch`` on one machine; each
process also keeps its own log beside it (``attempt-N.rankR.log``, on its node). A node that does not share the run folder gets a copy of the job's
folders, as for a one-actor attempt (``ship``); the first process writes the outputs, so its changes come back,
with every process's log. A stop goes to every worker
through the relay: the monitor's (NaN, stall…), or the first process that ended badly (the others would wait for
it in a collective). A worker lost with its node ends the attempt as ``worker_lost``, as for one-actor attempts.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import socket
import threading
import time
from collections.abc import Callable

from ml_intern.errors import InputError, RunError
from ml_intern.run.sandbox import ship
from ml_intern.run.sandbox.base import Job, SandboxResult
from ml_intern.run.sandbox.ray_common import START_TIMEOUT_S, lost as _lost

POLL_S = 0.3
PARCEL_WAIT_S = 600.0  # a worker waiting for its copy of the job's folders
SIBLING = "sibling"  # the stop reason a process gets when another one ended badly (never the attempt's own)

_RELAY = None


def _relay_class(ray):
    global _RELAY
    if _RELAY is None:
        @ray.remote(num_cpus=0, max_restarts=0)
        class Relay:
            """Between ml-intern and the job's workers: their lines one way, the stop reason the other."""

            def __init__(self):
                self.lines: list[str] = []
                self.where: dict[int, dict] = {}
                self.ends: dict[int, tuple[SandboxResult, dict]] = {}
                self.reason: str | None = None
                self.first_bad: int | None = None
                self.wanted = False  # a node that does not share the run folder asked for a parcel
                self.parcel: list | None = None  # [its object ref] (in a list: Ray passes it on unresolved)

            def started(self, rank: int, where: dict) -> None:
                self.where[rank] = where

            def put(self, lines: list[str]) -> None:
                self.lines.extend(lines)

            def want_parcel(self) -> None:
                self.wanted = True

            def give_parcel(self, parcel: list) -> None:
                self.parcel = parcel

            def get_parcel(self) -> list | None:
                return self.parcel

            def ended(self, rank: int, result: SandboxResult, enforced: dict,
                      returned: ship.Returned | None) -> None:
                self.ends[rank] = (result, enforced, returned)
                bad = result.exit_code != 0 or result.timed_out or result.stopped
                if bad and not result.stopped and self.first_bad is None:  # it failed by itself: its error counts
                    self.first_bad = rank  # (even when a stop, the monitor's, came before it ended)
                if bad and self.reason is None:  # the others would wait for it in a collective: stop them
                    self.reason = f"{SIBLING}: process {rank} ended"

            def stop(self, reason: str) -> None:
                if self.reason is None:
                    self.reason = reason

            def stop_reason(self) -> str | None:
                return self.reason

            def poll(self) -> tuple[list[str], dict, dict, int | None, bool]:
                """New lines, where each process runs, how the ended ones ended (without what they send back)."""
                lines, self.lines = self.lines, []
                ends = {rank: (result, enforced) for rank, (result, enforced, _) in self.ends.items()}
                return lines, dict(self.where), ends, self.first_bad, self.wanted and self.parcel is None

            def returned(self, rank: int) -> ship.Returned | None:
                return self.ends[rank][2]

        _RELAY = Relay
    return _RELAY


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("", 0))
        return s.getsockname()[1]


def _worker(config: dict) -> None:
    """One training process: runs in a Ray Train worker, the job through the node's sandbox."""
    import ray
    import ray.train
    import torch.distributed as dist

    from ml_intern.run.sandbox import get_sandbox

    ctx = ray.train.get_context()
    rank, relay = ctx.get_world_rank(), config["relay"]
    port = [_free_port() if rank == 0 else None]
    dist.broadcast_object_list(port, src=0)  # (Ray Train's own gloo group between its workers)
    job: Job = copy.deepcopy(config["job"])
    node = os.uname().nodename
    backend = get_sandbox(config["inner"])
    job.log_path = job.log_path.with_name(f"{job.log_path.stem}.rank{rank}{job.log_path.suffix}")
    shipped = None
    if ship.needs_parcel(config["probe"]):  # no shared filesystem here: a copy of the job's folders
        ship.check_copy_sandbox(backend)
        relay.want_parcel.remote()
        waited = time.monotonic()
        while (box := ray.get(relay.get_parcel.remote())) is None:
            if ray.get(relay.stop_reason.remote()) or time.monotonic() - waited > PARCEL_WAIT_S:
                return  # (stopped, or ml-intern never sent it: nothing ran)
            time.sleep(POLL_S)
        shipped = ship.unpack(ray.get(box[0]), job)
    try:
        result, returned = _run_process(ctx, rank, relay, job, backend, node, port[0], shipped)
    except BaseException:
        if shipped is not None:
            ship.remove(shipped[0])
        raise
    ray.get(relay.ended.remote(rank, result, dict(job.enforced), returned))


def _run_process(ctx, rank: int, relay, job: Job, backend, node: str, port: int,
                 shipped: tuple | None) -> tuple[SandboxResult, ship.Returned | None]:
    import ray

    gpus = os.environ.get("CUDA_VISIBLE_DEVICES", "")
    job.env = {**job.env, "RANK": str(rank), "WORLD_SIZE": str(ctx.get_world_size()),
               "LOCAL_RANK": str(ctx.get_local_rank()), "LOCAL_WORLD_SIZE": str(ctx.get_local_world_size()),
               "NODE_RANK": str(ctx.get_node_rank()), "MASTER_ADDR": os.environ["MASTER_ADDR"],
               "MASTER_PORT": str(port), "CUDA_VISIBLE_DEVICES": gpus}
    if "OMP_NUM_THREADS" in os.environ:  # (Ray's: the worker's CPUs)
        job.env.setdefault("OMP_NUM_THREADS", os.environ["OMP_NUM_THREADS"])
    job.limits = dataclasses.replace(job.limits, gpu=bool(gpus))
    ray.get(relay.started.remote(rank, {"node": node, "pid": os.getpid(), "sandbox": backend.name,
                                        "copied": shipped is not None,
                                        "isolates": backend.isolates, "node_rank": ctx.get_node_rank(),
                                        "node_id": ray.get_runtime_context().get_node_id()}))
    pending: list[str] = []
    lock = threading.Lock()
    state = {"reason": None, "asked": 0.0, "done": False}

    def on_line(line: str) -> None:
        with lock:
            pending.append(line)

    def flush() -> None:
        with lock:
            batch = pending[:]
            pending.clear()
        if batch:
            relay.put.remote(batch)  # (in order: one caller's calls to an actor run in the order made)

    def flusher() -> None:
        while not state["done"]:
            flush()
            time.sleep(POLL_S)

    def on_tick() -> str | None:
        if state["reason"] is None and time.monotonic() - state["asked"] > 0.5:
            state["asked"] = time.monotonic()
            try:
                state["reason"] = ray.get(relay.stop_reason.remote(), timeout=30)
            except ray.exceptions.RayError:  # ml-intern (the relay's owner) is gone: nobody reads on
                state["reason"] = "interrupted: ml-intern is gone"
        return state["reason"]

    threading.Thread(target=flusher, daemon=True).start()
    try:
        result = backend.run(job, on_line, on_tick)
    finally:
        state["done"] = True
    flush()
    returned = None
    if shipped is not None:  # the first process writes the outputs; the others send back their logs only
        root, before = shipped
        returned = ship.changes(job, before, root) if rank == 0 else ship.Returned(b"", log=ship.log_of(job, root))
    return result, returned


def run_train_job(ray, job: Job, inner: str, on_line: Callable[[str], None],
                  on_tick: Callable[[], str | None]) -> SandboxResult:
    """The job's processes as a Ray Train job; the attempt's result: the first process that ended badly's, else
    the first process's."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    if not job.allow_network:
        raise InputError(f"the job's {job.processes} processes on {job.nodes} machines need the network between "
                         "them", fix="allow it explicitly (--allow-network)")
    started = time.monotonic()
    job.log_path.parent.mkdir(parents=True, exist_ok=True)
    gpus = job.limits.gpu or ray.cluster_resources().get("GPU", 0) > 0
    per_worker = {"CPU": 1, **({"GPU": 1} if gpus else {})}
    _wait_for_room(ray, job.processes, per_worker)
    here = NodeAffinitySchedulingStrategy(node_id=ray.get_runtime_context().get_node_id(), soft=False)
    relay = _relay_class(ray).options(scheduling_strategy=here).remote()  # (on this node: lost only with it)
    fitter = _fitter_class(ray).options(scheduling_strategy=here).remote()
    probe = None if ship.forced() else ship.make_probe(job)
    fitting = fitter.fit.remote({"job": job, "inner": inner, "relay": relay, "probe": str(probe) if probe else None},
                                gpus, per_worker, int(START_TIMEOUT_S))
    where: dict[int, dict] = {}
    parcel = None
    ends: dict = {}
    first_bad = None
    stop_sent = None
    finished = False
    try:
        with job.log_path.open("a") as log:
            log.write(f"[ml-intern] Ray Train job: {job.processes} processes, over up to {job.nodes} nodes\n")
            while True:
                alive = not ray.wait([fitting], timeout=0)[0]
                try:
                    lines, now_where, ends, first_bad, wanted = ray.get(relay.poll.remote(), timeout=60)
                except ray.exceptions.RayError as exc:  # (the relay lives on this node: Ray itself is in trouble)
                    finished = True  # (nothing left to stop through it)
                    return _lost(job, "(the relay)", exc, started)
                if wanted and parcel is None:  # (packed once, for every node that asks)
                    parcel = [ray.put(ship.pack(job))]
                    relay.give_parcel.remote(parcel)
                    log.write("[ml-intern] a node does not share the run folder: the job's folders were copied "
                              "there; the first process's changes come back when it ends\n")
                for rank in sorted(set(now_where) - set(where)):
                    w = now_where[rank]
                    log.write(f"[ml-intern] process {rank} on Ray node {w['node']} (id {w['node_id'][:12]}, node "
                              f"rank {w['node_rank']}, pid {w['pid']}), sandbox {w['sandbox']}"
                              f"{', on a copy of the run folder' if w['copied'] else ''}\n")
                    if not w["isolates"]:
                        from ml_intern.run.sandbox.process import WARNING

                        log.write(f"[ml-intern] WARNING on node {w['node']}: {WARNING}\n")
                where = now_where
                for line in lines:
                    log.write(line + "\n")
                    on_line(line)
                log.flush()
                if not alive:
                    break
                reason = on_tick()
                if reason and stop_sent is None:
                    stop_sent = reason
                    relay.stop.remote(reason)
                    log.write(f"\n[ml-intern] stopped early: {reason}\n")
                if not where and time.monotonic() - started > START_TIMEOUT_S + 60:
                    raise RunError(f"the Ray Train job's {job.processes} workers did not start within "
                                   f"{START_TIMEOUT_S:g} s", fix="check the cluster (`ray status`)")
                time.sleep(POLL_S)
        finished = True
        outcome = _fit_outcome(ray, fitting)
    finally:
        if probe is not None:
            probe.unlink(missing_ok=True)
        if not finished:  # Ctrl-C or ml-intern's own error: every node's sandbox stops its process, then the
            relay.stop.remote("stopped by ml-intern")  # job goes (its controller and workers with the fitter)
            ray.wait([fitting], timeout=30)
            ray.kill(relay)
        ray.kill(fitter)  # (its fit is over, or given up: the controller and workers go with it)
    if len(ends) < job.processes:
        ray.kill(relay)
        if isinstance(outcome.get("input_error"), InputError):
            raise outcome["input_error"]
        if outcome.get("lost") or outcome.get("error") is None:
            return _lost(job, ", ".join(sorted({w["node"] for w in where.values()})) or "(starting)",
                         RuntimeError(outcome.get("error") or "a worker ended without a result"), started)
        raise RunError(f"the Ray Train job failed: {outcome['error'][:500]}")
    try:
        for r in sorted(ends):
            returned = ray.get(relay.returned.remote(r))
            if returned is not None:  # a node's copy: its process's log, and the first process's outputs
                job.log_path.with_name(f"{job.log_path.stem}.rank{r}{job.log_path.suffix}").write_text(returned.log)
                ship.apply(returned, job)
    finally:
        ray.kill(relay)
    if parcel is not None:
        on_tick()  # (the outputs are here now: the metrics the job wrote reach the store)
    rank = first_bad if first_bad is not None else 0  # the process that ended badly first has the real error
    result, enforced = ends[rank]
    job.enforced = enforced
    if result.stopped and str(result.stopped).startswith(SIBLING):  # (a node's own stop: the reason sent there)
        result = dataclasses.replace(result, stopped=stop_sent)
    if rank != 0:
        with job.log_path.open("a") as log:
            log.write(f"\n[ml-intern] process {rank} ended first, with exit status {result.exit_code}: "
                      "the others were stopped\n")
    return dataclasses.replace(result, duration_s=time.monotonic() - started)


_FITTER = None


def _fitter_class(ray):
    """Runs the TorchTrainer. In an actor of its own, so that killing it takes the job's Ray Train controller and
    workers with it (they belong to it): Ray Train has no other way to cancel a run from another thread."""
    global _FITTER
    if _FITTER is None:
        @ray.remote(num_cpus=0, max_restarts=0)
        class Fitter:
            def fit(self, config: dict, gpus: bool, per_worker: dict, timeout_s: int) -> dict:
                from ray.train import FailureConfig, RunConfig, ScalingConfig
                from ray.train.torch import TorchConfig, TorchTrainer

                job: Job = config["job"]
                trainer = TorchTrainer(
                    _worker, train_loop_config=config, torch_config=TorchConfig(backend="gloo", timeout_s=timeout_s),
                    scaling_config=ScalingConfig(num_workers=job.processes, use_gpu=gpus,
                                                 resources_per_worker=per_worker),
                    run_config=RunConfig(name=f"ml-intern-{job.log_path.stem}-{int(time.time())}",
                                         storage_path=str(job.log_path.parent / "ray-train"),
                                         failure_config=FailureConfig(max_failures=0)))
                try:
                    trainer.fit()
                except Exception as exc:  # (described here, where Ray Train's types are at hand)
                    for failure in (getattr(exc, "worker_failures", None) or {}).values():
                        cause = getattr(failure, "cause", failure)
                        if isinstance(cause, InputError):
                            return {"input_error": cause}
                    return {"error": f"{type(exc).__name__}: {str(exc).strip()}", "lost": _lost_worker(ray, exc)}
                return {}

        _FITTER = Fitter
    return _FITTER


def _fit_outcome(ray, fitting) -> dict:
    try:
        return ray.get(fitting)
    except ray.exceptions.RayError as exc:  # the fitter itself is gone (its node, or Ray)
        return {"error": f"{type(exc).__name__}: {str(exc).strip()}", "lost": True}


def _lost_worker(ray, exc: BaseException) -> bool:
    """A Ray Train failure that is a worker (or its node) gone, not an error of the code it ran."""
    gone = (ray.exceptions.RayActorError, ray.exceptions.NodeDiedError)
    failures = (getattr(exc, "worker_failures", None) or {}).values()
    # (Ray Train wraps a worker it could not reach in a failed health check, the cause inside; or it timed out)
    return any(isinstance(getattr(f, "health_check_failure", f), gone)
               or type(f).__name__ == "WorkerHealthCheckTimeoutError" for f in failures)


def _wait_for_room(ray, workers: int, per_worker: dict) -> None:
    """Refuse, naming what it asked for, a job the cluster cannot give its workers within START_TIMEOUT_S (Ray
    Train would wait for ever): a placement group of the same bundles is made, then removed for Ray Train's own."""
    from ray.util.placement_group import placement_group, remove_placement_group


    group = placement_group([dict(per_worker)] * workers, strategy="PACK")
    try:
        if not group.wait(timeout_seconds=START_TIMEOUT_S):
            raise RunError(f"no Ray nodes gave the job's {workers} workers their resources ({per_worker} each) "
                           f"within {START_TIMEOUT_S:g} s", fix="check the cluster's free resources (`ray status`)")
    finally:
        remove_placement_group(group)
