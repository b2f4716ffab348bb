"""The attempt loop's policy, ``decide(state) -> action``, without a sandbox, a project or a store: every exit."""

from ml_intern.run.attempts import ApplyFix, Attempt, Finish, LoopState, OnFailure, Proposal, RunNext, StopForReview, decide
from ml_intern.run.failures import Failure
from ml_intern.run.repair import Fix


def attempt(number, kind="full", status="failed", cls=None, message="boom", fix=None, classified_by="rules"):
    failure = Failure(cls=cls, message=message, classified_by=classified_by) if cls else None
    return Attempt(number=number, kind=kind, status=status, commit="c", command=[], log="l", started_at=0.0,
                   failure=failure, fix=fix)


def state(*cycle, **kw):
    return LoopState(cycle=list(cycle), skeleton=kw.pop("skeleton", True), max_attempts=kw.pop("max_attempts", 5),
                     run_id="r1", **kw)


def fix(description="batch_size 8 -> 4", scope=False):
    return Fix(description, "why", scope, lambda: None)


def test_a_fresh_run_starts_with_the_smoke_attempt_then_the_full_one():
    assert decide(state()) == RunNext("smoke", resume=False)
    assert decide(state(attempt(1, "smoke", "succeeded"))) == RunNext("full", resume=False)
    assert decide(state(skeleton=False)) == RunNext("full", resume=False)  # a lone script has no smoke run


def test_a_succeeded_full_attempt_finishes_the_run_before_any_limit():
    done = attempt(2, "full", "succeeded")
    assert decide(state(attempt(1, "smoke", "succeeded"), done, out_of_time=True, max_attempts=2)) == Finish(done)


def test_the_wall_clock_stops_for_review_as_a_budget_stop():
    action = decide(state(attempt(1, "smoke", "succeeded"), out_of_time=True, wall_clock_s=60))
    assert action == StopForReview("the run's wall-clock budget (60 s) is used up", budget_stop=True)


def test_a_failure_asks_for_a_repair_then_applies_it():
    last = attempt(1, "smoke", "failed", "out_of_memory")
    assert decide(state(last)) == OnFailure("repair", last)
    proposed = fix()
    assert decide(state(last, proposal=Proposal(proposed))) == ApplyFix(last, proposed)
    # once the fix is made, the next attempt runs (the smoke attempt again: it has not passed yet)
    fixed = attempt(1, "smoke", "failed", "out_of_memory", fix=proposed.description)
    assert decide(state(fixed)) == RunNext("smoke", resume=False)


def test_no_fix_stops_for_review_with_the_reason():
    last = attempt(1, "smoke", "failed", "shape_mismatch")
    assert decide(state(last, proposal=Proposal(None))) == StopForReview("no rule-based fix for shape_mismatch")
    assert decide(state(last, proposal=Proposal(None, "the agent gave up"))) == StopForReview("the agent gave up")


def test_unknown_failures_go_to_the_llm_once_when_there_is_one():
    last = attempt(1, "smoke", "failed", "unknown")
    assert decide(state(last)) == OnFailure("repair", last)  # no LLM: straight to repair
    assert decide(state(last, can_classify=True)) == OnFailure("classify", last)
    asked = attempt(1, "smoke", "failed", "unknown", classified_by="llm")
    assert decide(state(asked, can_classify=True)) == OnFailure("repair", asked)  # the LLM said unknown too: not asked again


def test_the_same_failure_after_the_same_fix_is_a_doom_loop():
    proposed = fix("learning_rate 0.1 -> 0.01")
    first = attempt(2, "full", "failed", "nan_loss", "loss is nan", fix=proposed.description)
    again = attempt(3, "full", "failed", "nan_loss", "loss is nan")
    action = decide(state(attempt(1, "smoke", "succeeded"), first, again, proposal=Proposal(proposed)))
    assert isinstance(action, StopForReview) and "the same failure came back after the same fix" in action.why
    other = attempt(3, "full", "failed", "nan_loss", "loss is inf")  # another message: not the same failure
    assert decide(state(attempt(1, "smoke", "succeeded"), first, other, proposal=Proposal(proposed))) \
        == ApplyFix(other, proposed)


def test_a_scope_change_needs_approval():
    last = attempt(1, "smoke", "failed", "sequence_too_long")
    scoped = fix("max_length 1024 -> 512", scope=True)
    action = decide(state(last, proposal=Proposal(scoped)))
    assert isinstance(action, StopForReview) and "ml-intern resume r1 --allow-scope-changes" in action.why
    assert decide(state(last, proposal=Proposal(scoped), allow_scope_changes=True)) == ApplyFix(last, scoped)


def test_the_attempt_budget_counts_failures_not_interruptions():
    failed = [attempt(i, "smoke", "failed", "nan_loss", fix=f"fix {i}") for i in (1, 2)]
    assert decide(state(*failed, max_attempts=2)) == StopForReview("the attempt budget (2) is used up")
    last = attempt(2, "smoke", "failed", "nan_loss")
    assert decide(state(failed[0], last, max_attempts=2)) == StopForReview("the attempt budget (2) is used up")
    interrupted = attempt(2, "smoke", "interrupted")
    assert decide(state(failed[0], interrupted, max_attempts=2)) == RunNext("smoke", resume=False)


def test_an_interrupted_or_lost_full_attempt_resumes_from_its_checkpoint():
    smoke = attempt(1, "smoke", "succeeded")
    assert decide(state(smoke, attempt(2, "full", "interrupted"))) == RunNext("full", resume=True)
    lost = attempt(2, "full", "failed", "worker_lost", fix="retry unchanged")
    assert decide(state(smoke, lost)) == RunNext("full", resume=True)
    crashed = attempt(2, "full", "failed", "nan_loss", fix="learning_rate 1 -> 0.1")
    assert decide(state(smoke, crashed)) == RunNext("full", resume=False)  # a fix: start over
