"""Failure classification from the exit status and the traceback (the first cut of the taxonomy)."""

import pytest

from ml_intern.run.diagnose import classify, last_exception
from ml_intern.run.sandbox import SandboxResult

TRACEBACK = """Traceback (most recent call last):
  File "train.py", line 10, in <module>
    main()
{last}
"""


@pytest.mark.parametrize("last, cls", [
    ("ModuleNotFoundError: No module named 'timm'", "missing_package"),
    ("FloatingPointError: loss is nan at step 31", "nan_loss"),
    ("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB", "out_of_memory"),
    ("RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x1024 and 512x128)", "shape_mismatch"),
    ("FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'", "file_not_found"),
    ("NameError: name 'np' is not defined", "missing_name"),
    ("ValueError: something nobody planned for", "unknown"),
])
def test_classes_from_tracebacks(last, cls):
    failure = classify(SandboxResult(exit_code=1), TRACEBACK.format(last=last))
    assert failure.cls == cls
    assert failure.message == last
    assert last in failure.log_tail


def test_timeout_and_signal():
    assert classify(SandboxResult(exit_code=-9, timed_out=True), "step 1").cls == "timeout"
    killed = classify(SandboxResult(exit_code=-9), "step 1\nstep 2")
    assert killed.cls == "killed" and "signal 9" in killed.message


def test_last_exception_skips_later_noise():
    log = TRACEBACK.format(last="KeyError: 'label'") + "wandb: waiting for sync\n"
    assert last_exception(log) == "KeyError: 'label'"
