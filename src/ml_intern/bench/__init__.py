"""Benchmarks users can run: the deliberately broken projects of the repair suite (and, later, `ml-intern bench`)."""
