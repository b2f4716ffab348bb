"""Print the CLI reference (docs/cli.md): ``python -m ml_intern.cli_reference > docs/cli.md``."""

from ml_intern.cli import reference_markdown

print(reference_markdown(), end="")
