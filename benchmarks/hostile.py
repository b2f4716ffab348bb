"""Hostile jobs against ml-intern's own process: does each attack stay contained, and what does it cost ml-intern?

Each attack is a lone script run through `ml-intern exec` (a process of its own, so that its peak resident memory is
ml-intern's alone) under each sandbox asked for. Prints a table: attack, sandbox, contained, ml-intern's peak MiB,
seconds. The same attacks, with positive controls, are asserted in tests/test_hostile.py.

    python benchmarks/hostile.py                      # bwrap (where it works) and process
    python benchmarks/hostile.py --sandbox process
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

RUNNER = """
import re, sys
from ml_intern.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as status:  # VmHWM: this address space's own high-water mark (ru_maxrss would carry
    print("PEAK_KIB", re.search(r"^VmHWM:\\s*(\\d+) kB", status.read(), re.M).group(1), file=sys.stderr)  # the parent's)
sys.exit(code)
"""


def _no_secret(run_dir: Path, secret: Path) -> bool:
    marker = json.loads(secret.read_text())["token"]
    return not any(marker in p.read_text(errors="replace") for p in run_dir.glob("*.json"))


# name -> (script body, check(run_dir, secret, home) -> contained). {secret} is a host file with a token in it.
ATTACKS = {
    "results.json linked to a host file": (
        "import os\nos.symlink({secret!r}, 'results.json')\n", lambda d, s, h: _no_secret(d, s)),
    "metrics.jsonl linked to /dev/zero": (
        "import os, time\nos.symlink('/dev/zero', 'metrics.jsonl')\ntime.sleep(2)\n", lambda d, s, h: True),
    "metrics.jsonl and results.json as named pipes": (
        "import os, time\nos.mkfifo('metrics.jsonl')\nos.mkfifo('results.json')\ntime.sleep(2)\n", lambda d, s, h: True),
    "300 MiB of stdout without a newline": (
        "import sys\nfor _ in range(300):\n    sys.stdout.write('x' * 2**20)\nprint()\n",
        lambda d, s, h: (d / "logs/attempt-1.log").stat().st_size < 20 * 2**20),
    "150 MB of log lines": (
        "line = 'y' * 1000\nfor _ in range(150_000):\n    print(line)\n",
        lambda d, s, h: (d / "logs/attempt-1.log").stat().st_size < 12 * 2**20),
    "200k metric rows": (
        "import json\nwith open('metrics.jsonl', 'w') as f:\n"
        "    for i in range(1, 200_001):\n        f.write(json.dumps({{'step': i, 'loss': 1.0}}) + '\\n')\n",
        lambda d, s, h: _rows(h, d.name) <= 101_000),
    "terminal escape sequences": (
        "print('\\x1b[2J\\x1b]0;pwned\\x07text')\n", lambda d, s, h: "\x1b" not in (d / "logs/attempt-1.log").read_text()),
    "a self-reported accuracy of 1.0": (
        "import json\njson.dump({{'metrics': {{'accuracy': 1.0}}}}, open('results.json', 'w'))\n",
        lambda d, s, h: json.loads((d / "outcome.json").read_text()).get("status") == "succeeded"
        and _check(d) == "self-reported"),
}


def _rows(home: Path, run_id: str) -> int:
    from ml_intern.track.store import Store

    return len(Store(home / "store.sqlite").metrics(run_id, "loss"))


def _check(run_dir: Path) -> str | None:
    attempts = json.loads((run_dir / "attempts.json").read_text())
    return ((attempts[-1].get("verification") or {}).get("status")) if attempts else None


def run(name: str, sandbox: str, work: Path) -> tuple[bool, float, float]:
    body, check = ATTACKS[name]
    case = Path(tempfile.mkdtemp(dir=work))
    secret = case / "host-secret.json"
    secret.write_text(json.dumps({"token": "hf_HOSTILE_BENCH_SECRET"}))
    job = case / "job.py"
    job.write_text(textwrap.dedent(body.format(secret=str(secret))))
    home = case / "home"
    env = {**os.environ, "ML_INTERN_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUNNER, "exec", str(job), "--sandbox", sandbox, "--json"],
                          capture_output=True, text=True, env=env, timeout=600)
    seconds = time.perf_counter() - started
    peak = next((int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KIB")), 0) / 1024
    try:
        run_dir = Path(json.loads(done.stdout)["run_dir"])
        contained = done.returncode == 0 and check(run_dir, secret, home)
    except (ValueError, KeyError, OSError):
        contained = False
    return contained, peak, seconds


def main() -> None:
    from ml_intern.run.sandbox.bwrap import BwrapSandbox

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox", action="append", choices=["bwrap", "process"])
    args = parser.parse_args()
    sandboxes = args.sandbox or (["bwrap"] if BwrapSandbox.available() is None else []) + ["process"]
    print("| attack | sandbox | contained | ml-intern peak MiB | seconds |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for name in ATTACKS:
            for sandbox in sandboxes:
                contained, peak, seconds = run(name, sandbox, Path(work))
                print(f"| {name} | {sandbox} | {'yes' if contained else '**no**'} | {peak:.0f} | {seconds:.1f} |",
                      flush=True)
    seconds = classifier_seconds()
    print(f"| the failure classifier on a 240 KB line of 'shape ' (in-process, no sandbox) | — | "
          f"{'yes' if seconds < 1 else '**no**'} | — | {seconds:.2f} |")


def classifier_seconds() -> float:
    """The classifier's time on a hostile log: one 240 KB line that almost matches its patterns (quadratic before)."""
    from ml_intern.run.diagnose import classify
    from ml_intern.run.sandbox.base import SandboxResult

    log = "Traceback (most recent call last):\n" + "shape " * 40_000 + "\nRuntimeError: " + "size " * 40_000 + "\n"
    started = time.perf_counter()
    classify(SandboxResult(exit_code=1), log)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
