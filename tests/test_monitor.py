"""The monitor stops an attempt early on NaN, divergence and stalls."""

from ml_intern.run.monitor import Monitor


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_healthy_run_is_left_alone():
    m = Monitor(clock=Clock())
    m.rows([{"step": 1, "loss": 2.3}, {"step": 10, "loss": 1.1}, {"step": 500, "loss": 0.001},
            {"step": 510, "loss": 0.04}])  # noise near zero late in training is not divergence
    assert m.check() is None and m.step == 510


def test_nan_and_inf_stop_it():
    for bad in (float("nan"), float("inf")):
        m = Monitor(clock=Clock())
        m.rows([{"step": 1, "loss": 2.3}, {"step": 2, "loss": bad}])
        stop = m.check()
        assert stop.cls == "nan_loss" and stop.message.startswith("the loss is")
        assert str(stop).startswith("nan_loss: the loss is")  # (as the log shows it)


def test_divergence_stops_it():
    m = Monitor(clock=Clock())
    m.rows([{"step": 1, "loss": 2.3}, {"step": 2, "loss": 2.1e8}])
    assert m.check().cls == "nan_loss" and "diverges" in m.check().message


def test_stall_after_silence_but_not_while_output_flows():
    clock = Clock()
    m = Monitor(stall_s=10, clock=clock)
    clock.t = 9
    m.line("still loading")
    clock.t = 18
    assert m.check() is None
    clock.t = 20
    assert m.check().cls == "stall" and m.check().message.startswith("no output and no metrics for 11 s")


def test_negative_losses_are_not_divergence():
    m = Monitor(clock=Clock())
    m.rows([{"step": 1, "loss": -100.0}, {"step": 2, "loss": -120.0}, {"step": 3, "loss": 5.0}])
    assert m.check() is None
