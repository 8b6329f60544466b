"""A job asked for by a write is queued for the worker; with the broker away the write still
succeeds, the failure is logged, and the job is left for the sweeps to start again."""

import logging

from kombu.exceptions import OperationalError

from vssid_portal.jobs import dispatch


class Task:
    name = "app.build"

    def __init__(self, error=None):
        self.error, self.queued = error, []

    def delay(self, *args):
        if self.error:
            raise self.error
        self.queued.append(args)


def test_a_job_is_queued_with_its_arguments():
    task = Task()
    dispatch(task, 7, "http://testserver")
    assert task.queued == [(7, "http://testserver")]


def test_a_broker_away_is_logged_and_the_write_goes_on(caplog):
    with caplog.at_level(logging.WARNING, logger="vssid_portal.jobs"):
        dispatch(Task(OperationalError("Error 111 connecting to 127.0.0.1:6379")), 7)
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.exc_info
    assert record.getMessage() == "app.build(7,) not dispatched; left to be started again"


def test_personal_arguments_are_queued_but_not_logged(caplog):
    """A password reset's task carries a BHXH code and a client's address: queued as any, named by no
    warning when the broker is away."""
    task = Task()
    dispatch(task, "7901234567", "203.0.113.9", personal=True)
    assert task.queued == [("7901234567", "203.0.113.9")]
    with caplog.at_level(logging.WARNING, logger="vssid_portal.jobs"):
        dispatch(Task(OperationalError("Error 111")), "7901234567", "203.0.113.9", personal=True)
    [record] = caplog.records
    assert record.getMessage() == "app.build(…) not dispatched; left to be started again"
    assert "7901234567" not in record.getMessage() and "203.0.113" not in record.getMessage()
