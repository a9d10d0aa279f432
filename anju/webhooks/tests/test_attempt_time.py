"""Each attempt is signed, claimed and recorded at the time it is made, not at the start of the
run: behind slow receivers a run takes minutes, and a timestamp from its start would be stale
(receivers refuse timestamps older than five minutes) and a lease from its start could have
run out before the attempt, letting a second worker send it too."""

from datetime import timedelta

import pytest

from anju.conftest import at
from anju.webhooks import services
from anju.webhooks.models import Delivery

T = at(2026, 9, 30, 10)


@pytest.fixture
def three_due(receiver, endpoint, new_case):
    endpoint(["submit"])
    for _n in range(3):
        new_case(now=T)
    assert Delivery.objects.filter(status="pending").count() == 3


@pytest.fixture
def leases_seen(monkeypatch):
    """The lease each delivery held in the database while it was being posted."""
    seen = []
    post = services.post

    def spy(delivery, now):
        seen.append(Delivery.objects.get(pk=delivery.pk).next_attempt_at)
        return post(delivery, now)

    monkeypatch.setattr(services, "post", spy)
    return seen


def stamps(receiver) -> list[int]:
    return [int(r.headers["X-Anju-Timestamp"]) for r in receiver.requests]


def test_each_attempt_is_signed_and_claimed_at_its_own_time(three_due, receiver, leases_seen, settings):
    times = iter([T + timedelta(minutes=n) for n in (1, 4, 9)])
    assert services.deliver_due(T, clock=lambda: next(times)) == 3
    start = int(T.timestamp())
    assert stamps(receiver) == [start + 60, start + 240, start + 540]
    assert all(r.verified for r in receiver.requests)
    lease = timedelta(seconds=settings.ANJU_WEBHOOK_TIMEOUT + services.LEASE_MARGIN_SECONDS)
    assert leases_seen == [T + timedelta(minutes=n) + lease for n in (1, 4, 9)]
    assert [d.delivered_at for d in Delivery.objects.order_by("id")] == [T + timedelta(minutes=n) for n in (1, 4, 9)]


def test_a_failed_attempt_is_due_again_counting_from_its_own_time(three_due, receiver):
    receiver.answer(500, 500, 500)
    times = iter([T + timedelta(minutes=n) for n in (1, 4, 9)])
    services.deliver_due(T, clock=lambda: next(times))
    assert [d.next_attempt_at for d in Delivery.objects.order_by("id")] == [
        T + timedelta(minutes=n + 1) for n in (1, 4, 9)]


def test_without_a_clock_the_real_time_is_read_before_each_attempt(three_due, receiver, monkeypatch):
    real = T + timedelta(days=1)
    times = iter([real, real + timedelta(minutes=2), real + timedelta(minutes=5), real + timedelta(minutes=6)])
    # The start of the run (which deliveries are due), then one reading per attempt.
    monkeypatch.setattr(services.timezone, "now", lambda: next(times))
    assert services.deliver_due() == 3
    start = int(real.timestamp())
    assert stamps(receiver) == [start + 120, start + 300, start + 360]


def test_the_first_attempts_after_a_commit_are_each_signed_at_their_own_time(three_due, receiver):
    times = iter([T + timedelta(seconds=n) for n in (0, 10, 30)])
    ids = list(Delivery.objects.order_by("id").values_list("uuid", flat=True))
    assert services.deliver_now(ids, now=T, clock=lambda: next(times)) == 3
    start = int(T.timestamp())
    assert stamps(receiver) == [start, start + 10, start + 30]
