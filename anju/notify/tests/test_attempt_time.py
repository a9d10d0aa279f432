"""Each attempt of a periodic run is claimed and recorded at the time it is made, not at the
start of the run: behind a slow mail server a run takes minutes, and a claim computed from its
start could run out before the row is tried, letting another worker send it too."""

from datetime import timedelta

import pytest

from anju.cases import services as s
from anju.notify import backends, services
from anju.notify.models import Notification


@pytest.fixture
def two_due(new_case, people, settings):
    """Two reporter messages waiting for the worker (the tests run no commit hooks)."""
    settings.ANJU_NOTIFY_BACKEND = "console"
    for phone in ("13800001111", "13800002222"):
        s.accept_case(people.dispatcher, new_case(reporter_phone=phone))
    rows = list(Notification.objects.filter(status="pending").order_by("pk"))
    assert len(rows) == 2
    return rows


def sent_at(rows):
    return [Notification.objects.get(pk=row.pk).sent_at for row in rows]


@pytest.fixture
def T(two_due):
    """A moment when both are due."""
    return max(row.next_attempt_at for row in two_due)


@pytest.fixture
def claims_seen(monkeypatch):
    """The claimed next attempt of each row, as stored while the backend sends it."""
    seen = {}
    send = backends.send

    def spy(notification):
        seen[notification.address] = Notification.objects.get(pk=notification.pk).next_attempt_at
        send(notification)

    monkeypatch.setattr(backends, "send", spy)
    return seen


def test_each_attempt_is_claimed_and_recorded_at_its_own_time(two_due, T, claims_seen):
    times = iter([T + timedelta(minutes=1), T + timedelta(minutes=7)])
    assert services.deliver_due(now=T + timedelta(days=1), clock=lambda: next(times)) == 2
    claim = timedelta(seconds=services.CLAIM_SECONDS)
    assert claims_seen == {"13800001111": T + timedelta(minutes=1) + claim,
                           "13800002222": T + timedelta(minutes=7) + claim}
    assert sent_at(two_due) == [T + timedelta(minutes=1), T + timedelta(minutes=7)]


def test_without_a_clock_the_real_time_is_read_before_each_attempt(two_due, T, claims_seen, monkeypatch):
    times = iter([T + timedelta(days=1), T + timedelta(days=1, minutes=2), T + timedelta(days=1, minutes=9)])
    # The run's start (which rows are due), then one reading per attempt.
    monkeypatch.setattr(services.timezone, "now", lambda: next(times))
    assert services.deliver_due() == 2
    assert sent_at(two_due) == [T + timedelta(days=1, minutes=2),
                                                      T + timedelta(days=1, minutes=9)]


def test_a_frozen_now_alone_freezes_the_attempts_too(two_due, T):
    assert services.deliver_due(now=T + timedelta(days=1)) == 2
    assert set(sent_at(two_due)) == {T + timedelta(days=1)}
