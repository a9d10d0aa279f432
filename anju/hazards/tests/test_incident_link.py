"""A major hazard turning into an accident is reported as an incident through the duty module's
published service (``duty.open_incident``), linked both ways; without a module that keeps
incidents the action is not offered."""

from datetime import date

import pytest
from django.urls import reverse

from anju.cases import modules
from anju.cases.services import CaseError
from anju.conftest import at
from anju.hazards import queries, services
from anju.hazards.models import Hazard
from anju.hazards.tests.test_api_sites import client as api_client
from anju.hazards.tests.test_api_sites import send
from anju.hazards.tests.test_pages_hazard import client_for

MONDAY = at(2026, 11, 2, 9)


def major(people, hazards):
    answers = [services.Answer(1, "hazard", "边坡超高超陡，已出现裂缝", level="major"), services.Answer(2, "pass")]
    services.submit_inspection(hazards.emergency_handler, services.NewInspection(
        site=hazards.quarry.pk, answers=answers, signed_as="应急局 王五"), idempotency_key="k-major", now=MONDAY)
    case = Hazard.objects.get().case
    services.record_work_stopped(hazards.emergency_handler, case, stopped_on=date(2026, 11, 2), now=MONDAY)
    return case


def test_a_major_hazard_opens_an_incident_linked_both_ways(people, hazards):
    case = major(people, hazards)
    assert "incident" in queries.hazard_actions(hazards.emergency_handler, case, case.hazard)
    assert "incident" not in queries.hazard_actions(people.gridworker, case, case.hazard)
    incident = services.open_incident(hazards.emergency_handler, case, grade="larger", text="边坡垮塌，掩埋道路",
                                      occurred_at=at(2026, 11, 3, 8), now=at(2026, 11, 3, 8, 10))
    assert incident.kind == "incident" and incident.office == hazards.emergency
    record = incident.incident
    assert record.source_module == "hazards" and record.source_key == str(case.pk)
    assert record.source_url == reverse("hazards:detail", args=[case.pk])
    [linked] = services.incidents_of(case)
    assert linked["case"] == incident.pk and linked["open"]
    assert case.events.filter(action="hazard_incident").exists()
    # One open incident at a time.
    assert "incident" not in queries.hazard_actions(hazards.emergency_handler, case, case.hazard)
    with pytest.raises(CaseError) as again:
        services.open_incident(hazards.emergency_handler, case, grade="larger", text="再次", occurred_at=MONDAY)
    assert again.value.status == 409
    page = client_for(people, hazards, "emergency_handler").get(reverse("hazards:detail", args=[case.pk]))
    assert reverse("duty:incident", args=[incident.pk]) in page.content.decode()
    detail = api_client(hazards.emergency_handler).get(f"/api/v1/hazards/{case.pk}").json()
    assert detail["incidents"][0]["case"] == incident.pk


def test_the_api_opens_one_and_refuses_a_general_hazard(people, hazards):
    case = major(people, hazards)
    client = api_client(hazards.emergency_handler)
    body = {"grade": "general", "text": "边坡局部垮塌", "occurred_at": "2026-11-03T08:00:00+08:00"}
    made = send(client, "POST", f"/api/v1/hazards/{case.pk}/incident", body)
    assert made.status_code == 201 and made.json()["url"] == f"/api/v1/incidents/{made.json()['incident']}"
    bad = send(client, "POST", f"/api/v1/hazards/{case.pk}/incident", {**body, "grade": "huge"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "grade"
    assert send(api_client(people.gridworker), "POST", f"/api/v1/hazards/{case.pk}/incident",
                body).status_code in (404, 409)


def test_without_a_module_that_keeps_incidents_nothing_is_offered(people, hazards, monkeypatch):
    case = major(people, hazards)
    monkeypatch.setattr(modules, "provided", lambda name: None)
    assert "incident" not in queries.hazard_actions(hazards.emergency_handler, case, case.hazard)
    assert services.incidents_of(case) == []
    with pytest.raises(CaseError):
        services.open_incident(hazards.emergency_handler, case, grade="larger", text="垮塌", occurred_at=MONDAY)
