"""POST /api/v1/warnings/import: the CAP document as the body; who may send one (401/403), the
body's form (415, 400, 413), a refused document (422 with every reason, field "body", nothing
stored), a duplicate (409), and an accepted one (201, a draft warning)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anju.conftest import openapi_schema
from anju.people.services import issue_token
from anju.warnings import cap
from anju.warnings.models import CapMessage, Warning
from anju.warnings.tests import cap_fixtures

URL = "/api/v1/warnings/import"


def upstream(**changes) -> bytes:
    """The suite's upstream alert, sent ten minutes ago and in force for a day (the API's clock is
    the real one)."""
    now = timezone.now()
    times = {"sent": cap.format_time(now - timedelta(minutes=10)), "expires": cap.format_time(now + timedelta(days=1))}
    return cap_fixtures.upstream(**{**times, **changes})


def client(user, **headers):
    _record, raw = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **headers)


def post(client, body: bytes, content_type="application/cap+xml", **extra):
    return client.generic("POST", URL, body, content_type=content_type, **extra)


def stored():
    return CapMessage.objects.count(), Warning.objects.count()


def test_the_endpoint_is_in_the_openapi_document_with_its_body():
    operation = openapi_schema()["paths"][URL]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/cap+xml", "application/xml"}


@pytest.mark.parametrize("method,path", [(m.upper(), p) for p, ms in openapi_schema()["paths"].items()
                                         for m in ms if p.startswith("/api/v1/warnings/import")])
def test_it_requires_a_token(db, method, path):
    response = Client().generic(method, re.sub(r"\{[^}]+\}", "1", path), upstream(),
                                content_type="application/cap+xml")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert stored() == (0, 0)


@pytest.mark.parametrize("persona", ["handler", "gridworker", "township_dispatcher", "nobody"])
def test_it_is_forbidden_beyond_the_county_centre(people, persona):
    response = post(client(getattr(people, persona)), upstream())
    assert response.status_code == 403 and stored() == (0, 0)


@pytest.mark.parametrize("persona", ["dispatcher", "supervisor", "leader", "admin"])
def test_the_county_centre_imports_a_valid_alert(people, persona):
    response = post(client(getattr(people, persona)), upstream())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["message"]["identifier"] == "50000041600000_20260701140000_0"
    assert (body["message"]["sender"], body["message"]["msg_type"]) == ("cq-meteo@cma.gov.cn", "Alert")
    assert (body["level"], body["status"], body["area"], body["incident"]) == ("orange", "draft", "500229001001", None)
    assert Warning.objects.get(pk=body["warning"]).origin == "upstream"


def test_application_xml_is_accepted_too(people):
    assert post(client(people.dispatcher), upstream(), "application/xml; charset=utf-8").status_code == 201


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "text/xml", "multipart/form-data"])
def test_any_other_content_type_is_415(people, content_type):
    response = post(client(people.dispatcher), upstream(), content_type)
    assert response.status_code == 415 and response.json()["errors"][0]["field"] == "body"
    assert stored() == (0, 0)


def test_an_empty_body_is_400(people):
    response = post(client(people.dispatcher), b"")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "body"
    assert stored() == (0, 0)


def test_a_body_too_big_is_413(people, settings):
    settings.ANJU_WARNINGS_CAP_MAX_BYTES = 1000
    response = post(client(people.dispatcher), upstream())
    assert response.status_code == 413 and response.json()["errors"][0]["field"] == "body"
    assert stored() == (0, 0)


def test_a_refused_document_is_422_with_every_reason_in_the_caller_s_language(people):
    bad = upstream(status="Real", sent="2026-07-01T06:00:00Z")
    response = post(client(people.dispatcher, HTTP_ACCEPT_LANGUAGE="en"), bad)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "This is not a valid CAP 1.2 alert."
    assert [e["field"] for e in body["errors"]] == ["body", "body"]
    assert "[facet 'pattern']" in body["errors"][0]["message"] and body["errors"][0]["message"].startswith("line 5:")
    assert "[facet 'enumeration']" in body["errors"][1]["message"]
    chinese = post(client(people.dispatcher), bad).json()
    assert chinese["errors"][0]["message"].startswith("第5行")
    assert stored() == (0, 0)


@pytest.mark.parametrize("document", [b"<alert", b"\x00\x01\x02", b"{}", b'{"identifier": "x"}',
                                      b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"])
def test_garbage_is_422_never_500(people, document):
    response = post(client(people.dispatcher), document)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body"


def test_the_same_alert_twice_is_409(people):
    dispatcher = client(people.dispatcher)
    assert post(dispatcher, upstream()).status_code == 201
    again = post(dispatcher, upstream())
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "body"
    assert stored() == (1, 1)


def test_an_alert_for_elsewhere_is_422(people):
    response = post(client(people.dispatcher, HTTP_ACCEPT_LANGUAGE="en"),
                    upstream(polygon="29.5,106.5 29.5,106.6 29.6,106.6 29.5,106.5"))
    assert response.status_code == 422 and "not for this county" in response.json()["detail"]


def test_it_opens_an_incident_on_request(people, incidents):
    response = post(client(people.dispatcher), upstream(), QUERY_STRING="open_incident=true")
    assert response.status_code == 201 and response.json()["incident"]


def test_a_bad_open_incident_flag_names_the_field(people):
    response = post(client(people.dispatcher), upstream(), QUERY_STRING="open_incident=perhaps")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "open_incident"
    assert stored() == (0, 0)
