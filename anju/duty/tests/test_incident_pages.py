"""The incident pages: the list with the report each owes, receiving an incident sent once, the
incident's page with its report chain and exactly the actions allowed now, each action by its
form, and who may see what."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from anju.cases.models import Case
from anju.conftest import at
from anju.duty import incidents as services
from anju.duty.models import Forward, Incident, IncidentReport
from anju.web.tests.conftest import english_client

KNOWN = at(2026, 11, 2, 9)


def received(people, now=KNOWN):
    case, _created = services.open_incident(people.handler, services.NewIncident(
        type="accident", grade="major", text="G69高速土城段货车侧翻，1人被困", occurred_at=now - timedelta(minutes=10),
        known_at=now, lat=31.905, lng=108.605), now=now)
    return case


def test_it_sends_anonymous_visitors_to_sign_in_and_hides_incidents_from_others(people, incidents):
    case = received(people)
    assert english_client().get(reverse("duty:incidents")).status_code == 302
    assert english_client(people.other_handler).get(reverse("duty:incident", args=[case.pk])).status_code == 404
    listed = english_client(people.other_handler).get(reverse("duty:incidents")).content.decode()
    assert "G69" not in listed


def test_the_list_shows_the_report_owed_and_filters(people, incidents):
    case = received(people)
    client = english_client(people.handler)
    html = client.get(reverse("duty:incidents")).content.decode()
    assert "G69高速土城段货车侧翻" in html and "First report by phone" in html
    assert reverse("duty:incident", args=[case.pk]) in html
    assert "G69" not in client.get(reverse("duty:incidents"), {"state": "closed"}).content.decode()
    assert "G69" not in client.get(reverse("duty:incidents"), {"grade": "general"}).content.decode()
    assert client.get(reverse("duty:incidents"), {"grade": "huge"}).status_code == 400


def test_receiving_an_incident_twice_by_a_double_tap_stores_one(people, incidents):
    client = english_client(people.handler)
    page = client.get(reverse("duty:incident_new")).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    data = {"type": "natural", "grade": "larger", "text": "山洪冲毁便道", "occurred_at": "2026-11-02T08:00",
            "known_at": "2026-11-02T08:30", "region": "500229001", "address": "土城社区5组", "office": "gc",
            "deaths": 0, "injured": 0, "missing": 0, "losses": "", "idempotency_key": key}
    first, second = client.post(reverse("duty:incident_new"), data), client.post(reverse("duty:incident_new"), data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Incident.objects.count() == 1
    incident = Incident.objects.get()
    assert incident.known_at == at(2026, 11, 2, 8, 30) and incident.case.office.code == "gc"


@pytest.mark.parametrize("change,words", [
    ({"text": ""}, "This field is required."),
    ({"occurred_at": "yesterday"}, "Enter a valid date/time."),
    ({"deaths": "-1"}, "Ensure this value is greater than or equal to 0."),
    ({"known_at": "2026-11-02T07:00"}, "cannot learn of an incident before it happened"),
    ({"office": "fx"}, "Select a valid choice."),
])
def test_a_bad_new_incident_is_named_and_nothing_is_stored(people, incidents, change, words):
    client = english_client(people.handler)
    data = {"type": "natural", "grade": "larger", "text": "山洪冲毁便道", "occurred_at": "2026-11-02T08:00",
            "known_at": "", "region": "500229001", "address": "", "office": "gc", "deaths": 0, "injured": 0,
            "missing": 0, "losses": "", "idempotency_key": "k", **change}
    response = client.post(reverse("duty:incident_new"), data)
    assert response.status_code == 400 and words in response.content.decode()
    assert not Case.objects.exists()


def test_the_page_shows_the_chain_and_only_the_actions_allowed(people, incidents):
    case = received(people)
    client = english_client(people.handler)
    html = client.get(reverse("duty:incident", args=[case.pk])).content.decode()
    assert "Known to the duty office" in html and "First report by phone" in html
    for slug in ("report", "grade"):
        assert f'id="act-{slug}"' in html
    assert 'id="act-forward"' not in html and 'id="act-receive"' not in html
    url = reverse("duty:incident_act", args=[case.pk, "report"])
    response = client.post(url, {"report-kind": "first", "report-channel": "phone", "report-text": "电话首报：1人被困",
                                 "report-deaths": 0, "report-injured": 0, "report-missing": 1, "report-losses": "",
                                 "report-idempotency_key": "r1"})
    assert response.status_code == 302
    assert IncidentReport.objects.get().text == "电话首报：1人被困"
    html = client.get(reverse("duty:incident", args=[case.pk])).content.decode()
    assert 'id="act-forward"' in html and "Not forwarded to 县应急管理局 yet." in html
    assert client.post(reverse("duty:incident_act", args=[case.pk, "forward"]),
                       {"forward-report": 1, "forward-channel": "phone"}).status_code == 302
    county = english_client(incidents.county_officer)
    html = county.get(reverse("duty:incident", args=[case.pk])).content.decode()
    assert 'id="act-receive"' in html and 'id="act-report"' not in html
    forward = Forward.objects.get()
    assert county.post(reverse("duty:incident_act", args=[case.pk, "receive"]),
                       {"receive-forward": forward.pk}).status_code == 302
    assert "signed for" in client.get(reverse("duty:incident", args=[case.pk])).content.decode()


def test_an_action_not_open_is_refused_with_its_reason(people, incidents):
    case = received(people)
    county = english_client(incidents.county_officer)
    # The county's duty office does not see an incident nobody forwarded to it.
    assert county.post(reverse("duty:incident_act", args=[case.pk, "grade"]), {}).status_code == 404
    client = english_client(people.handler)
    refused = client.post(reverse("duty:incident_act", args=[case.pk, "receive"]), {"receive-forward": 1})
    assert refused.status_code == 409
    bad = client.post(reverse("duty:incident_act", args=[case.pk, "report"]), {
        "report-kind": "final", "report-channel": "written", "report-text": "终报", "report-deaths": 0,
        "report-injured": 0, "report-missing": 0})
    assert bad.status_code == 400 and "Make the first report before any other." in bad.content.decode()
    assert client.post(reverse("duty:incident_act", args=[case.pk, "nothing"]), {}).status_code == 404
