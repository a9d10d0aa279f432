"""Queueing case events: in the case's own transaction, once per endpoint and event, for one
query per event when no endpoint is registered, and never at the price of the case action."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from anju.cases import services as cases
from anju.cases import sweep
from anju.cases.models import Case, CaseEvent
from anju.conftest import at
from anju.webhooks import services
from anju.webhooks.models import Delivery, Endpoint

T = at(2026, 9, 30, 10)


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_creating_a_case_without_endpoints_costs_one_query_more(new_case, monkeypatch):
    new_case(now=T)  # Warm up: the first case loads the grid index and the calendar.
    with_webhooks = queries_of(lambda: new_case(now=T))
    monkeypatch.setattr(services, "queue_case_event", lambda event: [])
    without_webhooks = queries_of(lambda: new_case(now=T))
    assert with_webhooks == without_webhooks + 1
    assert not Delivery.objects.exists()


def test_an_inactive_endpoint_costs_no_more_than_none(new_case):
    new_case(now=T)
    without = queries_of(lambda: new_case(now=T))
    Endpoint.objects.create(name="停用", url="https://example.org/hook", events=["*"], active=False)
    assert queries_of(lambda: new_case(now=T)) == without


def test_the_deliveries_are_written_with_the_event_or_not_at_all(endpoint, new_case):
    endpoint()
    with pytest.raises(RuntimeError), transaction.atomic():
        new_case(now=T)
        assert Delivery.objects.count() == 1
        raise RuntimeError("the case action failed after its event")
    assert not Case.objects.exists() and not Delivery.objects.exists()


def test_an_event_is_queued_once_per_endpoint(endpoint, new_case):
    endpoint()
    new_case(now=T)
    event = CaseEvent.objects.get()
    services.queue_case_event(event)
    assert Delivery.objects.count() == 1


def test_a_problem_while_queueing_never_stops_the_case_action(endpoint, new_case, people, monkeypatch, caplog):
    endpoint()

    def broken(event):
        raise ValueError("a bug in the payload")

    monkeypatch.setattr(services, "case_payload", broken)
    case = new_case(now=T)
    case = cases.accept_case(people.dispatcher, case, now=T)
    assert case.status == "accepted" and case.events.count() == 2
    assert not Delivery.objects.exists()
    assert "could not queue webhook deliveries" in caplog.text


def test_sweep_events_are_queued_too(endpoint, new_case):
    endpoint(["overdue"])
    case = new_case(now=T)
    sweep.run_sweep(case.due_at + (case.due_at - T))
    assert list(Delivery.objects.values_list("event", flat=True)) == ["overdue"]
