from ml_intern.cli import entry

entry()
