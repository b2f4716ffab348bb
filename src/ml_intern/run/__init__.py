"""The exec stage: run the project's attempts in a sandbox, watch them, classify failures."""

from ml_intern.run.attempts import Attempt, Outcome, run_attempts

__all__ = ["Attempt", "Outcome", "run_attempts"]
