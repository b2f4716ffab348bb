"""What the docker sandbox costs over bubblewrap: seconds per attempt for the same project, and the image build.

    python benchmarks/docker_cost.py [--repeat 5]

Needs a Docker engine and bubblewrap. The project is the sample paper's (examples/digits-cnn.pdf) at smoke scale,
built by `ml-intern run --sandbox bwrap`. Its image is built on ML_INTERN_DOCKER_BASE (default here: the base
`.ci/docker-base` makes) from ML_INTERN_DOCKER_WHEELS (default: a folder this machine's pip fills), so no registry is
needed. Rows: an empty job (`python -c pass`: the fixed cost), the project's smoke attempt, both alternated and
timed end to end (median of --repeat); the image built cold (base present, wheels local) and found again (cached).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]


def _project(home: Path) -> Path:
    from ml_intern.cli import main

    os.environ["ML_INTERN_HOME"] = str(home)
    out = home.parent / "run.json"
    with out.open("w") as f:
        saved, sys.stdout = sys.stdout, f
        try:
            code = main(["run", str(ROOT / "examples" / "digits-cnn.pdf"), "--scale", "smoke", "--sandbox", "bwrap",
                         "--json"])
        finally:
            sys.stdout = saved
    if code != 0:
        raise SystemExit(f"the sample run failed (exit {code}): {out.read_text()[-2000:]}")
    return Path(json.loads(out.read_text())["run_dir"])


def _wheels(project: Path, folder: Path) -> Path:
    names = [line.split("==")[0] for line in (project / "requirements.txt").read_text().split()]
    (folder / "requirements.txt").write_text("".join(f"{n}=={metadata.version(n)}\n" for n in names))
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--only-binary", ":all:", "-d", str(folder / "w"),
                    "-r", str(folder / "requirements.txt")], check=True)
    return folder / "w"


def _job(run_dir: Path, argv: list[str], name: str):
    from ml_intern.run.sandbox import Job
    from ml_intern.run.sandbox.env import scrubbed_env

    project = run_dir / "project"
    return Job(argv=argv, cwd=project, env=scrubbed_env(run_dir), timeout_s=600,
               log_path=run_dir / "logs" / f"bench-{name}.log", writable=[project, run_dir / "home", run_dir / "tmp"],
               readonly=[project / ".git"])


def _timed(sandbox, job) -> float:
    started = time.perf_counter()
    result = sandbox.run(job, lambda line: None, lambda: None)
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"{sandbox.name}: exit {result.exit_code}; see {job.log_path}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from ml_intern.run.sandbox.bwrap import BwrapSandbox
    from ml_intern.run.sandbox.docker import DockerSandbox, engine
    from ml_intern.run.sandbox.image import image_for

    if (why := BwrapSandbox.available()) is not None:
        raise SystemExit(f"bubblewrap does not work here: {why}")
    client = engine()
    if not os.environ.get("ML_INTERN_DOCKER_BASE"):
        os.environ["ML_INTERN_DOCKER_BASE"] = subprocess.run([str(ROOT / ".ci" / "docker-base")], check=True,
                                                             capture_output=True, text=True).stdout.split()[-1]
    console = Console(width=140)
    with tempfile.TemporaryDirectory() as tmp:
        console.print("building the sample project (ml-intern run --scale smoke --sandbox bwrap) …", style="dim")
        run_dir = _project(Path(tmp) / "home")
        project = run_dir / "project"
        if not os.environ.get("ML_INTERN_DOCKER_WHEELS"):
            os.environ["ML_INTERN_DOCKER_WHEELS"] = str(_wheels(project, Path(tmp)))
        logs = run_dir / "logs"
        requirements = " ".join((project / "requirements.txt").read_text().split())
        tag = image_for(client, project, lambda line: None, logs)  # (maybe reused: removed, then built cold)
        client.images.remove(tag)
        started = time.perf_counter()
        image_for(client, project, lambda line: None, logs)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        image_for(client, project, lambda line: None, logs)
        cached = time.perf_counter() - started

        smoke = ["python", "train.py", "--config", "config.yaml", "--output-dir", "outputs-bench", "--smoke"]
        rows = []
        for name, argv in (("empty job (python -c pass)", [sys.executable, "-c", "pass"]),
                           ("the sample project's smoke attempt (train.py --smoke)", [sys.executable, *smoke[1:]])):
            times: dict[str, list[float]] = {"bwrap": [], "docker": []}
            for i in range(args.repeat):
                for sandbox in (BwrapSandbox(), DockerSandbox()):
                    console.print(f"{name}: {sandbox.name} {i + 1}/{args.repeat} …", style="dim")
                    times[sandbox.name].append(_timed(sandbox, _job(run_dir, argv, sandbox.name)))
            b, d = statistics.median(times["bwrap"]), statistics.median(times["docker"])
            rows.append((name, f"{b:.2f}", f"{d:.2f}", f"{d - b:+.2f}"))
    table = Table(title=f"docker sandbox cost (median of {args.repeat}; seconds)")
    for col in ("what", "bwrap", "docker", "extra"):
        table.add_column(col)
    for row in rows:
        table.add_row(*row)
    table.add_row("image build, cold (base here, wheels local)", "-", f"{cold:.1f}", "-")
    table.add_row("image build, cached (same base and requirements)", "-", f"{cached:.2f}", "-")
    console.print(table)
    console.print(f"base {os.environ['ML_INTERN_DOCKER_BASE']}; requirements: {requirements}; "
                  f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
