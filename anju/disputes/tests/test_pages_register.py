"""Registering a dispute from the staff pages: the case fields, the record and up to three
parties, all or nothing."""

import pytest

from anju.cases.models import Case
from anju.disputes.models import Dispute, Party
from anju.disputes.tests.test_pages_dispute import page_client
from anju.web.tests.conftest import english_client

URL = "/work/disputes/new/"


@pytest.fixture
def as_persona(people, mediation):
    return lambda who: page_client(people, mediation, who)


def form(**changes) -> dict:
    data = {
        "category": "dispute.neighbour", "text": "楼上装修漏水，楼下要求赔偿", "channel": "walk_in",
        "lat": "", "lng": "", "address": "土城社区5栋", "region": "500229001001001",
        "scale": "2", "facts": "漏水持续两周", "risk_level": "low", "risk_reason": "", "idempotency_key": "k1",
        "party-0-role": "applicant", "party-0-name": "赵一", "party-0-phone": "13600001111",
        "party-0-address": "土城社区5栋201", "party-0-claim": "赔偿损失",
        "party-1-role": "respondent", "party-1-name": "钱二", "party-1-phone": "", "party-1-address": "",
        "party-1-claim": "",
        "party-2-role": "", "party-2-name": "", "party-2-phone": "", "party-2-address": "", "party-2-claim": "",
    }
    data.update(changes)
    return data


def test_it_sends_anonymous_visitors_to_sign_in_and_refuses_users_who_may_not_register(as_persona):
    response = english_client().get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    for who in ("nobody", "leader", "mediator"):
        assert as_persona(who).get(URL).status_code == 404, who
        assert as_persona(who).post(URL, form()).status_code == 404, who
    assert not Case.objects.exists()


def test_it_offers_dispute_types_only(as_persona, county):
    html = as_persona("dispatcher").get(URL).content.decode()
    assert "邻里纠纷" in html and "劳动报酬（欠薪）纠纷" in html and "路灯故障" not in html
    assert 'name="party-2-name"' in html and 'name="party-3-name"' not in html


def test_it_registers_the_dispute_with_its_record_and_parties(as_persona, people, mediation):
    response = as_persona("dispatcher").post(URL, form())
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/work/disputes/{case.pk}/"
    assert (case.kind, case.category.code, case.channel, case.region.code, case.created_by) == (
        "dispute", "dispute.neighbour", "walk_in", "500229001001001", people.dispatcher)
    dispute = Dispute.objects.get(case=case)
    assert (dispute.scale, dispute.facts) == (2, "漏水持续两周")
    assert list(dispute.parties.values_list("role", "name", "phone")) == [
        ("applicant", "赵一", "13600001111"), ("respondent", "钱二", "")]


def test_a_grid_worker_registers_by_the_point(as_persona, people, county):
    response = as_persona("gridworker").post(URL, form(region="", lat="31.905", lng="108.615", channel="grid_worker",
                                                       idempotency_key="k2"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.grid == county.grid2 and case.created_by == people.gridworker


def test_sending_the_same_form_twice_registers_one_dispute(as_persona):
    client = as_persona("dispatcher")
    assert client.post(URL, form()).status_code == 302
    assert client.post(URL, form()).status_code == 302
    assert Case.objects.count() == 1 and Party.objects.count() == 2


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"party-1-phone": "call me"}, "party-1-phone", "Phone may hold only digits"),
    ({"risk_level": "high"}, "risk_reason", "Reason for the risk level is required."),
    ({"party-2-name": "孙三"}, "party-2-role", "Choose the party"),
    ({"party-2-claim": "赔偿"}, "party-2-name", "Give the party"),
    ({"region": "", "lat": "", "lng": ""}, "region", "Give the point"),
    ({"lat": "31.9", "lng": ""}, "lat", "Give both latitude and longitude"),
    ({"category": "urban.light"}, "category", "Select a valid choice"),
    ({"scale": "0"}, "scale", ""),
    ({"text": " "}, "text", ""),
    ({"region": "", "lat": "31.955", "lng": "108.705", "channel": "grid_worker"}, "region", "outside the area"),
])
def test_bad_input_comes_back_next_to_its_field_with_nothing_registered(as_persona, changes, field, words):
    client = as_persona("gridworker" if changes.get("channel") == "grid_worker" else "dispatcher")
    response = client.post(URL, form(**changes))
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html, html[html.find("form-error"):][:2000]
    assert words in html
    assert "nothing was registered" in html
    assert not Case.objects.exists() and not Dispute.objects.exists() and not Party.objects.exists()
