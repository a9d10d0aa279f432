"""Every delivery names its case by ``case_id``, the same in each delivery about it. A tracking
code opens the case on /track, so a case about people (confidential, a complaint about an
office, a report of wrongdoing, a petition) is sent without it and placed only by township."""

from datetime import timedelta

import pytest

from anju.cases import services as cases
from anju.conftest import at
from anju.petitions.tests import flow as petition_flow
from anju.webhooks import services

T = at(2026, 9, 30, 10)


def sent(receiver):
    services.deliver_due(T + timedelta(days=1))
    return [r.json for r in receiver.requests]


def test_every_delivery_about_a_case_carries_its_id(receiver, endpoint, new_case, people, county):
    endpoint()
    case = cases.accept_case(people.dispatcher, new_case(now=T), now=T)
    other = new_case(now=T)
    bodies = sent(receiver)
    assert [(b["event"], b["case_id"]) for b in bodies] == [("submit", case.pk), ("accept", case.pk),
                                                            ("submit", other.pk)]
    # A listed case keeps its tracking code and its grid.
    assert bodies[0]["case"]["tracking_code"] == case.tracking_code
    assert bodies[0]["case"]["region"] == {"code": county.grid1.code, "name": "土城第1网格"}


@pytest.mark.parametrize("overrides", [
    {"confidential": True},
    {"about_office_code": "jtj"},
    {"kind": "report"},
    {"kind": "petition"},
], ids=["confidential", "about an office", "report", "petition"])
def test_a_case_about_people_is_sent_without_its_tracking_code_or_grid(receiver, endpoint, new_case, people,
                                                                       county, overrides):
    endpoint()
    case = petition_flow.accept(people, new_case(now=T, **overrides), now=T)
    bodies = sent(receiver)
    # A petition is routed (and told so in writing) before its body accepts it.
    assert [b["event"] for b in bodies] == (["submit", "petition_route", "notice", "petition_accept", "notice"]
                                            if case.kind == "petition" else ["submit", "accept"])
    for body in bodies:
        assert body["case_id"] == case.pk
        assert body["case"]["tracking_code"] is None
        assert body["case"]["region"] == {"code": county.gecheng.code, "name": "葛城街道"}
    for request in receiver.requests:
        for hidden in (case.tracking_code, county.grid1.code, county.tucheng.code):
            assert hidden.encode() not in request.body, hidden
