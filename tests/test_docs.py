"""Docs that stay true: the CLI reference is current, and README's commands are the ones CI runs."""

import re
from pathlib import Path

from ml_intern.cli import reference_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    assert (ROOT / "docs" / "cli.md").read_text() == reference_markdown(), \
        "docs/cli.md is stale: python -m ml_intern.cli_reference > docs/cli.md"


def test_readme_starts_with_install_and_run_then_tests_and_ci_runs_the_latter():
    blocks = re.findall(r"```\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S)
    install_and_run, tests = blocks[0], blocks[1]
    assert install_and_run.startswith("python3 -m venv .venv && .venv/bin/pip install torch==2.13.0 &&")
    assert install_and_run.endswith("ml-intern run examples/digits-cnn.pdf")
    assert (ROOT / "examples" / "digits-cnn.pdf").exists()
    assert "pip install torch==2.13.0 &&" in tests and "pytest" in tests
    assert tests in (ROOT / ".ci" / "run").read_text()


def test_docs_name_modules_that_exist():
    text = (ROOT / "docs" / "architecture.md").read_text()
    for module in set(re.findall(r"`((?:paper|plan|build|run|track)/[\w/]+\.py)`", text)):
        assert (ROOT / "src" / "ml_intern" / module).exists(), module
