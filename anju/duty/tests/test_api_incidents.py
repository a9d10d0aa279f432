"""The incidents API (/api/v1/incidents): receiving an incident once per Idempotency-Key, its
reports on the clock, forwarding and signing for them, the grade; every endpoint's permission
(401/403/404) and bad input (a 4xx naming the field, nothing written)."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anju.conftest import openapi_schema
from anju.duty import incidents as services
from anju.duty.models import Forward, Incident, IncidentReport
from anju.people.services import issue_token


def client(user, **headers):
    _record, raw = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)


def send(client, method, url, body=None, **headers):
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return client.generic(method, url, data, content_type="application/json", **headers)


def errors(response):
    return [e["field"] for e in response.json()["errors"]]


def operations(prefix):
    for path, methods in openapi_schema()["paths"].items():
        if path.startswith(prefix):
            for method in methods:
                yield method.upper(), path


def ago(minutes: int) -> str:
    return (timezone.now() - timedelta(minutes=minutes)).isoformat()


def new_incident(**change):
    return {"type": "natural", "grade": "major", "text": "土城社区5组山体滑坡，2人被困", "occurred_at": ago(30),
            "known_at": ago(10), "lat": 31.905, "lng": 108.605, "injured": 1, **change}


def stored():
    """Everything a refused request must leave as it was."""
    return (list(Incident.objects.values_list("grade", "deaths", "injured", "missing", "closed_at")),
            list(IncidentReport.objects.values_list("number", "kind", "text")),
            list(Forward.objects.values_list("to_name", "received_at")))


@pytest.fixture
def incident(people, incidents):
    case, _created = services.open_incident(people.handler, services.NewIncident(
        type="accident", grade="larger", text="货车侧翻", occurred_at=timezone.now() - timedelta(minutes=20),
        lat=31.905, lng=108.605))
    return case


@pytest.mark.parametrize("method,path", list(operations("/api/v1/incidents")))
def test_it_requires_a_token_on_every_incident_endpoint(method, path, incident):
    url = re.sub(r"\{[^}]+\}", "1", path).replace("/1/reports/1", f"/{incident.pk}/reports/1")
    url = url.replace("/incidents/1", f"/incidents/{incident.pk}")
    before = stored()
    response = send(Client(), method, url, new_incident())
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert stored() == before


def test_it_receives_an_incident_once_per_key_and_answers_its_record(people, incidents):
    handler = client(people.handler)
    body = new_incident()
    first = send(handler, "POST", "/api/v1/incidents", body, HTTP_IDEMPOTENCY_KEY="i-1")
    again = send(handler, "POST", "/api/v1/incidents", body, HTTP_IDEMPOTENCY_KEY="i-1")
    assert first.status_code == 201 and again.status_code == 200 and first.json()["id"] == again.json()["id"]
    body = first.json()
    assert body["kind"] == "incident" and body["office"] == "gc" and body["status"] == "in_progress"
    assert body["incident"]["owed"] == "first_phone" and body["incident"]["injured"] == 1
    assert body["actions"] == ["report", "grade"] and body["reports"] == []
    other = send(handler, "POST", "/api/v1/incidents", new_incident(text="另一起"), HTTP_IDEMPOTENCY_KEY="i-1")
    assert other.status_code == 422 and errors(other) == ["Idempotency-Key"]
    assert Incident.objects.count() == 1


def test_the_reports_forwarding_and_receipt_through_the_api(people, incidents, incident):
    handler, county = client(people.handler), client(incidents.county_officer)
    url = f"/api/v1/incidents/{incident.pk}"
    made = send(handler, "POST", f"{url}/reports", {"kind": "first", "channel": "phone", "text": "电话首报",
                                                    "missing": 1}, HTTP_IDEMPOTENCY_KEY="r-1")
    assert made.status_code == 201 and made.json()["reports"][0]["late"] is False
    assert send(handler, "POST", f"{url}/reports", {"kind": "first", "channel": "phone", "text": "电话首报",
                                                    "missing": 1}, HTTP_IDEMPOTENCY_KEY="r-1").status_code == 200
    assert IncidentReport.objects.count() == 1
    assert county.get(url).status_code == 404
    forwarded = send(handler, "POST", f"{url}/reports/1/forward", {"channel": "phone"})
    assert forwarded.status_code == 200
    [sent] = forwarded.json()["reports"][0]["forwards"]
    assert sent["to"] == "县应急管理局" and sent["to_office"] == "yjj" and sent["received_at"] is None
    assert send(handler, "POST", f"{url}/reports/1/forward", {}).status_code == 409
    seen = county.get(url).json()
    assert seen["actions"] == ["receive"]
    assert send(handler, "POST", f"{url}/forwards/{sent['id']}/receive").status_code == 403
    signed = send(county, "POST", f"{url}/forwards/{sent['id']}/receive")
    assert signed.status_code == 200 and signed.json()["reports"][0]["forwards"][0]["received_by"] == "county_officer"
    listed = county.get("/api/v1/incidents").json()["items"]
    assert [i["id"] for i in listed] == [incident.pk]
    graded = send(handler, "POST", f"{url}/grade", {"grade": "major", "reason": "被困人数增加"})
    assert graded.status_code == 200 and graded.json()["incident"]["grade"] == "major"
    rules = handler.get("/api/v1/incidents/rules").json()
    assert {r["grade"]: r["phone_minutes"] for r in rules} == {"general": 120, "larger": 60, "major": 30,
                                                             "gravest": 30}


def test_the_list_filters_and_refuses_an_unknown_township(people, incidents, incident):
    handler = client(people.handler, HTTP_ACCEPT_LANGUAGE="en")

    def ids(query):
        response = handler.get(f"/api/v1/incidents?{query}")
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["items"]]

    assert ids("") == [incident.pk]
    assert ids("open=true") == [incident.pk] and ids("open=false") == []
    assert ids("grade=larger") == [incident.pk] and ids("grade=major") == []
    assert ids("type=accident") == [incident.pk] and ids("type=natural") == []
    assert ids("township=500229001") == [incident.pk] and ids("township=500229002") == []
    bad = handler.get("/api/v1/incidents?township=999")
    assert bad.status_code == 422 and errors(bad) == ["township"]
    assert handler.get("/api/v1/incidents?grade=huge").status_code == 422
    assert client(people.other_handler).get("/api/v1/incidents").json()["items"] == []


@pytest.mark.parametrize("who", ["other_handler", "gridworker", "nobody", "transport_handler"])
def test_who_may_not_act_is_refused_and_nothing_changes(people, incidents, incident, who):
    user = client(getattr(people, who))
    url = f"/api/v1/incidents/{incident.pk}"
    before = stored()
    # A user outside the incident's scope does not see it at all.
    assert send(user, "POST", f"{url}/reports", {"kind": "first", "channel": "phone", "text": "x"}).status_code in (
        403, 404)
    assert send(user, "POST", f"{url}/grade", {"grade": "major", "reason": "x"}).status_code in (403, 404)
    refused = send(user, "POST", "/api/v1/incidents", new_incident(office="gc"))
    assert refused.status_code == 403
    assert stored() == before


BAD_INCIDENTS = [
    ({"type": "war"}, "type"), ({"grade": "tiny"}, "grade"), ({"text": ""}, "text"),
    ({"occurred_at": "yesterday"}, "occurred_at"), ({"occurred_at": "2026-11-02T09:00:00"}, "occurred_at"),
    ({"known_at": ago(60)}, "known_at"), ({"deaths": -1}, "deaths"), ({"losses": "lots"}, "losses"),
    ({"lat": 200}, "lat"), ({"office": "nope"}, "office"), ({"region_code": "999", "lat": None, "lng": None},
                                                           "region_code"),
]


def test_bad_input_names_the_field_and_writes_nothing(people, incidents, incident):
    handler = client(people.handler, HTTP_ACCEPT_LANGUAGE="en")
    before = stored()
    for change, field in BAD_INCIDENTS:
        response = send(handler, "POST", "/api/v1/incidents", new_incident(**change))
        assert response.status_code == 422, (change, response.content)
        assert errors(response)[0] == field, (change, response.json())
        assert response.json()["errors"][0]["message"]
    url = f"/api/v1/incidents/{incident.pk}"
    for body, field in [({"kind": "first", "channel": "fax", "text": "x"}, "channel"),
                        ({"kind": "later", "channel": "phone", "text": "x"}, "kind"),
                        ({"kind": "first", "channel": "phone", "text": ""}, "text"),
                        ({"kind": "first", "channel": "phone", "text": "x", "injured": -2}, "injured"),
                        ({"kind": "follow_up", "channel": "phone", "text": "x"}, "kind")]:
        response = send(handler, "POST", f"{url}/reports", body)
        assert response.status_code in (409, 422) and errors(response) == [field], (body, response.content)
    assert send(handler, "POST", f"{url}/reports/9/forward", {}).status_code == 404
    assert send(handler, "POST", f"{url}/forwards/9/receive").status_code == 404
    assert errors(send(handler, "POST", f"{url}/grade", {"grade": "larger", "reason": "x"})) == ["grade"]
    assert errors(send(handler, "POST", f"{url}/grade", {"grade": "major", "reason": ""})) == ["reason"]
    malformed = send(handler, "POST", "/api/v1/incidents", '{"type": "natural",')
    assert malformed.status_code == 400 and errors(malformed) == ["body"]
    assert handler.get("/api/v1/incidents/99999999").status_code == 404
    assert stored() == before and Incident.objects.count() == 1


def test_errors_are_in_chinese_by_default(people, incidents):
    response = send(client(people.handler), "POST", "/api/v1/incidents", new_incident(text=""))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "text"
    assert not re.search(r"[A-Za-z]{4,}", response.json()["errors"][0]["message"])
