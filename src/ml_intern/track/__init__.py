"""Results: the SQLite store of runs, and the HTML report."""
