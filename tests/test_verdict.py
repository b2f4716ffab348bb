"""Did it reproduce? The verdict against the paper's value, its tolerance and the baseline (track/verdict.py)."""

from types import SimpleNamespace

from ml_intern.track.verdict import judge, spent


def test_the_verdicts_and_their_reasons():
    assert judge("test_accuracy", 0.975, 0.983, 0.1)[0] == "reproduced"  # within 1 point
    assert judge("test_accuracy", 0.99, 0.983, 0.1)[0] == "reproduced"  # better counts
    verdict, reason, tolerance = judge("test_accuracy", 0.96, 0.983, 0.1)
    assert (verdict, tolerance) == ("partly", 0.01) and "short by 0.023" in reason
    assert judge("test_accuracy", 0.80, 0.983, 0.1)[0] == "not reproduced"
    assert judge("test_accuracy", 0.96, 0.983, 0.97)[0] == "not reproduced"  # no better than the baseline
    # lower is better for perplexity; the default tolerance is 2% of a value outside [0, 1]
    assert judge("test_perplexity", 30.5, 30.0, 1000.0)[0] == "reproduced"
    assert judge("test_perplexity", 31.5, 30.0, 1000.0)[0] == "partly"
    assert judge("test_perplexity", 33.0, 30.0, 1000.0)[0] == "not reproduced"
    # the paper's own spread, where stated
    assert judge("test_accuracy", 0.96, 0.983, 0.1, spread=0.03)[0] == "reproduced"
    assert judge("test_accuracy", 0.99, 0.983, 0.1, not_comparable="a smoke run")[:2] == ("not comparable",
                                                                                       "a smoke run")
    assert judge("test_accuracy", 0.9, None, 0.1)[0] == "not comparable"


def test_gpu_hours_and_dollars_are_the_full_attempts_time_on_the_gpus():
    attempts = [SimpleNamespace(started_at=0.0, finished_at=1800.0), SimpleNamespace(started_at=0.0, finished_at=1800.0)]
    assert spent(attempts, {"device": "cuda:0"}, "H100-80GB", 3.0, processes=2) == (2.0, 6.0,
                                                                                   "cuda:0 (priced as H100-80GB)")
    assert spent(attempts, {"device": "cpu"}, "H100-80GB", 3.0) == (0.0, 0.0, "cpu")
