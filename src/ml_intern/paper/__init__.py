"""The read stage: a source (PDF or task file) becomes a ``Paper``, then a ``PaperSpec``."""

from ml_intern.paper.extract import extract_spec
from ml_intern.paper.models import Paper, PaperSpec
from ml_intern.paper.reader import read_source

__all__ = ["Paper", "PaperSpec", "extract_spec", "read_source"]
