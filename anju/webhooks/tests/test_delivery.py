"""Sending deliveries to a real local HTTP receiver: signed, retried with growing delays on a
frozen clock, failed for good after the last attempt, and never an error in a case action."""

from datetime import timedelta

import pytest

from anju.cases import services as cases
from anju.cases.choices import Status
from anju.conftest import at
from anju.webhooks import services
from anju.webhooks.models import Delivery
from anju.webhooks.tasks import deliver_webhooks_every_minute

T = at(2026, 9, 30, 10)
MINUTE = timedelta(minutes=1)


def test_it_retries_a_receiver_that_fails_twice_before_succeeding(receiver, endpoint, new_case):
    endpoint(["submit"])
    receiver.answer(500, 500, 200)
    case = new_case(now=T)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("pending", 0, T)

    assert services.deliver_due(T) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at == T + MINUTE
    assert delivery.last_error.startswith("HTTP 500") and delivery.last_response == "answer 500"

    assert services.deliver_due(T + timedelta(seconds=59)) == 0
    assert len(receiver.requests) == 1

    assert services.deliver_due(T + MINUTE) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 2)
    assert delivery.next_attempt_at == T + 3 * MINUTE
    assert services.deliver_due(T + 3 * MINUTE - timedelta(seconds=1)) == 0

    assert services.deliver_due(T + 3 * MINUTE) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("sent", 3, 200)
    assert delivery.delivered_at == T + 3 * MINUTE and delivery.next_attempt_at is None
    assert delivery.last_error == ""

    assert len(receiver.requests) == 3
    assert all(r.verified for r in receiver.requests)
    # The same delivery, the same bytes, each attempt signed at its own time.
    assert {r.headers["X-Anju-Delivery"] for r in receiver.requests} == {str(delivery.uuid)}
    assert len(set(receiver.bodies)) == 1
    stamps = [int(r.headers["X-Anju-Timestamp"]) for r in receiver.requests]
    assert [s - stamps[0] for s in stamps] == [0, 60, 180] and stamps[0] == int(T.timestamp())
    assert receiver.requests[0].json["case"]["tracking_code"] == case.tracking_code
    assert services.deliver_due(T + timedelta(days=1)) == 0


def test_it_gives_up_after_the_last_attempt_and_the_admin_shows_it(receiver, endpoint, new_case, staff, settings):
    settings.ANJU_WEBHOOK_MAX_ATTEMPTS = 3
    endpoint(["submit"])
    receiver.answer(503, 503, 503, 503)
    case = new_case(now=T)
    now = T
    for _attempt in range(3):
        assert services.deliver_due(now) == 1
        now = Delivery.objects.get().next_attempt_at or now
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert delivery.last_status_code == 503
    assert services.deliver_due(T + timedelta(days=30)) == 0
    assert len(receiver.requests) == 3

    page = staff.get("/admin/webhooks/delivery/?status__exact=failed")
    assert page.status_code == 200
    text = page.content.decode()
    assert case.tracking_code in text and "HTTP 503" in text
    assert list(page.context["cl"].result_list) == [delivery]


def test_it_sends_the_first_attempt_right_after_the_commit(receiver, endpoint, new_case,
                                                           django_capture_on_commit_callbacks):
    endpoint(["submit"])
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert len(receiver.requests) == 1 and receiver.requests[0].verified
    assert receiver.requests[0].json["case"]["tracking_code"] == case.tracking_code


def test_nothing_is_sent_before_the_commit(receiver, endpoint, new_case, django_capture_on_commit_callbacks):
    endpoint(["submit"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new_case()
    assert receiver.requests == [] and len(callbacks) == 1


def test_a_refused_connection_is_a_failed_attempt_and_the_case_action_succeeds(
        endpoint, closed_url, new_case, people, django_capture_on_commit_callbacks):
    endpoint(["submit", "accept"], url=closed_url)
    with django_capture_on_commit_callbacks(execute=True):
        case = new_case()
    with django_capture_on_commit_callbacks(execute=True):
        case = cases.accept_case(people.dispatcher, case)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    deliveries = list(Delivery.objects.order_by("id"))
    assert [d.event for d in deliveries] == ["submit", "accept"]
    for delivery in deliveries:
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
        assert "refused" in delivery.last_error.lower()
        assert delivery.next_attempt_at is not None


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(receiver, endpoint, new_case, settings):
    settings.ANJU_WEBHOOK_TIMEOUT = 0.5
    receiver.hang = True
    endpoint(["submit"])
    new_case(now=T)
    assert services.deliver_due(T) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert "timed out" in delivery.last_error.lower()
    assert delivery.next_attempt_at == T + MINUTE


def test_a_redirect_is_a_failed_attempt_and_is_not_followed(receiver, endpoint, new_case):
    receiver.answer(302)
    receiver.answer_headers = {"Location": receiver.url + "/elsewhere"}
    endpoint(["submit"])
    new_case(now=T)
    services.deliver_due(T)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("pending", 302)
    assert len(receiver.requests) == 1


def test_an_endpoint_for_resolve_only_gets_nothing_for_accept(receiver, endpoint, new_case, people):
    endpoint(["resolve"])
    case = new_case(now=T)
    case = cases.accept_case(people.dispatcher, case, now=T)
    case = cases.dispatch_case(people.dispatcher, case, now=T)
    case = cases.start_case(people.handler, case, now=T)
    assert not Delivery.objects.exists()
    cases.resolve_case(people.handler, case, reply="路灯已修复", now=T)
    assert list(Delivery.objects.values_list("event", flat=True)) == ["resolve"]
    services.deliver_due(T)
    assert [r.headers["X-Anju-Event"] for r in receiver.requests] == ["resolve"]


def test_an_inactive_endpoint_gets_nothing(receiver, endpoint, new_case, people):
    endpoint(active=False)
    case = new_case(now=T)
    cases.accept_case(people.dispatcher, case, now=T)
    assert not Delivery.objects.exists()
    assert services.deliver_due(T) == 0 and receiver.requests == []


def test_deliveries_of_an_endpoint_deactivated_later_wait_until_it_is_active_again(receiver, endpoint, new_case):
    registered = endpoint(["submit"])
    new_case(now=T)
    registered.active = False
    registered.save(update_fields=["active"])
    assert services.deliver_due(T) == 0
    registered.active = True
    registered.save(update_fields=["active"])
    assert services.deliver_due(T) == 1
    assert Delivery.objects.get().status == "sent"


def test_each_endpoint_gets_its_own_delivery_signed_with_its_own_secret(receiver, endpoint, new_case):
    first = endpoint(["submit"], name="A")
    endpoint(["*"], name="B")
    new_case(now=T)
    assert Delivery.objects.count() == 2
    services.deliver_due(T)
    assert len(receiver.requests) == 2
    # The receiver checks with the secret of the endpoint made last: only B's delivery passes.
    assert sorted(r.verified for r in receiver.requests) == [False, True]
    ids = {r.headers["X-Anju-Delivery"] for r in receiver.requests}
    assert ids == {str(d.uuid) for d in Delivery.objects.all()}
    assert first.secret != receiver.secret


def test_two_workers_never_send_the_same_attempt(receiver, endpoint, new_case):
    endpoint(["submit"])
    new_case(now=T)
    seen_by_one = Delivery.objects.select_related("endpoint").get()
    seen_by_other = Delivery.objects.select_related("endpoint").get()
    assert services.attempt(seen_by_one, T) is True
    assert services.attempt(seen_by_other, T) is False
    assert len(receiver.requests) == 1


def test_an_attempt_cut_short_is_due_again_after_its_lease(receiver, endpoint, new_case, settings):
    endpoint(["submit"])
    new_case(now=T)
    delivery = Delivery.objects.get()
    # A worker claimed it and died before recording the answer.
    assert services._claim(delivery, T)
    assert services.deliver_due(T + MINUTE) == 0
    lease = timedelta(seconds=settings.ANJU_WEBHOOK_TIMEOUT + services.LEASE_MARGIN_SECONDS)
    assert services.deliver_due(T + lease) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_the_minute_task_sends_what_is_due(receiver, endpoint, new_case):
    endpoint(["submit"])
    new_case(now=T)
    deliver_webhooks_every_minute()
    assert Delivery.objects.get().status == "sent"
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_every_2xx_answer_is_a_delivery(receiver, endpoint, new_case, status):
    receiver.answer(status)
    endpoint(["submit"])
    new_case(now=T)
    services.deliver_due(T)
    assert Delivery.objects.get().status == "sent"
