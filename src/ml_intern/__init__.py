"""ml-intern: reads a paper or task, plans the experiment, writes and runs the project, reports."""

__version__ = "0.1.0"
