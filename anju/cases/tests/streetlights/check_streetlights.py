"""Run by ``test_example_module.py`` with the example module installed (``ANJU_MODULES``)."""

import pytest
from django.test import Client

from anju.cases import modules
from anju.cases import services as case_services
from anju.cases.services import CaseError, NewCase
from anju.cases.sweep import run_all_sweeps
from anju.cases.tests.streetlights.services import replace_lamp
from anju.conftest import at
from anju.people.services import issue_token

T = at(2026, 11, 2, 9)


def outage(people):
    case, _created = case_services.create_case(
        people.dispatcher, NewCase(kind="streetlight", category_code="urban.road", text="3号路灯不亮", lat=31.905,
                                   lng=108.605), now=T)
    case_services.accept_case(people.dispatcher, case, now=T)
    case_services.dispatch_case(people.dispatcher, case, office_code="gc", now=T)
    return case_services.start_case(people.handler, case, now=T)


def test_the_kind_and_its_event_are_known_and_labelled():
    assert modules.is_kind("streetlight") and modules.kind_label("streetlight") == "Street light out (路灯故障)"
    assert modules.is_event("lamp_replaced") and modules.event_label("lamp_replaced") == "Lamp replaced (更换灯具)"


def test_the_core_refuses_what_the_module_takes_and_the_module_resolves_it(people, county):
    case = outage(people)
    with pytest.raises(CaseError) as refused:
        case_services.resolve_case(people.handler, case, reply="好了", now=T)
    assert "lamp replaced" in refused.value.message
    case = replace_lamp(people.handler, case, note="更换LED灯具", now=T)
    assert case.status == "resolved"
    event = case.events.get(action="lamp_replaced")
    assert event.public and event.get_action_display() == "Lamp replaced (更换灯具)"
    with pytest.raises(CaseError) as forbidden:
        replace_lamp(people.leader, outage(people), note="", now=T)
    assert forbidden.value.status == 403


def test_the_one_sweep_runs_the_modules_sweep(people, county):
    outage(people)
    looked = run_all_sweeps(now=at(2027, 1, 4, 9))
    assert looked["dark street(s)"] == 1


def test_its_api_route_is_served_and_documented(people, county):
    outage(people)
    _record, raw = issue_token(people.handler)
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/streetlights/dark")
    assert answer.status_code == 200 and answer.json() == {"out": 1}
    assert Client().get("/api/v1/streetlights/dark").status_code == 401
    document = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/streetlights/dark" in document["paths"]
    assert "streetlight" in str(document["components"]["schemas"]["CaseIn"])
