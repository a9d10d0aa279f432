"""Every refusal answers with the spec's status code (403 api_key, 404 unknown jurisdiction,
service, request, token or format, 400 the rest) and the spec's error body, in JSON and XML,
naming the field; nothing is written, and nothing ever ends in a 500."""

import pytest
from django.test import Client

from anju.cases.models import Case, Reporter
from anju.conftest import at
from anju.open311 import services
from anju.open311.models import Open311Request
from anju.open311.tests.conftest import BASE, FORMATS, KEY, errors_of, post, spec_example

LONG = "x" * 4001

# (why, changed fields, dropped fields, status, words the description must contain)
POST_ERRORS = [
    ("no api_key", {}, ["api_key"], 403, "api_key"),
    ("an unknown api_key", {"api_key": "guessed"}, [], 403, "api_key"),
    ("another jurisdiction", {"jurisdiction_id": "sf.gov"}, [], 404, "jurisdiction_id"),
    ("no service_code", {}, ["service_code"], 400, "service_code"),
    ("an unknown service_code", {"service_code": "999"}, [], 404, "service_code"),
    ("a category not offered to residents", {"service_code": "internal.audit"}, [], 404, "service_code"),
    ("no location", {}, ["lat", "long", "address_string"], 400, "location"),
    ("lat without long", {}, ["long"], 400, "lat and long"),
    ("a lat that is no number", {"lat": "north"}, [], 400, "lat"),
    ("a lat beyond the pole", {"lat": "95"}, [], 400, "lat"),
    ("a long that is not finite", {"long": "nan"}, [], 400, "long"),
    ("a point outside every grid without an address", {"lat": "30", "long": "100"}, ["address_string"], 400,
     "address_string"),
    ("a description of 4001 characters", {"description": LONG}, [], 400, "description"),
    ("an address of 201 characters", {"address_string": "x" * 201}, [], 400, "address_string"),
    ("a bad e-mail", {"email": "smith at domain"}, [], 400, "email"),
    ("a phone with letters", {"phone": "call 111"}, [], 400, "phone"),
    ("a media_url that is no web address", {"media_url": "javascript:alert(1)"}, [], 400, "media_url"),
    ("a device_id of 101 characters", {"device_id": "d" * 101}, [], 400, "device_id"),
    ("a missing required attribute", {}, ["attribute[SURFACE]"], 400, "attribute[SURFACE]"),
    ("a value not among the keys", {"attribute[SURFACE]": "marble"}, [], 400, "attribute[SURFACE]"),
    ("two values for a single-value list", {"attribute[SURFACE]": ["asphalt", "concrete"]}, [], 400,
     "attribute[SURFACE]"),
    ("a multi-value answer not among the keys", {"attribute[DAMAGE][]": ["pothole", "flood"]}, [], 400,
     "attribute[DAMAGE]"),
    ("a number that is not numeric", {"attribute[DEPTH]": "deep"}, [], 400, "attribute[DEPTH]"),
    ("a datetime without a time zone", {"attribute[SEEN]": "2026-09-01T08:00:00"}, [], 400, "attribute[SEEN]"),
    ("an attribute the service does not have", {"attribute[COLOUR]": "red"}, [], 400, "attribute[COLOUR]"),
    ("an attribute key in the wrong form", {"attribute[SURFACE": "asphalt"}, [], 400, "attribute[SURFACE"),
    ("a NUL character", {"description": "bad\x00byte"}, [], 400, "description"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("why", "changes", "drop", "status", "words"), POST_ERRORS, ids=[e[0] for e in POST_ERRORS])
def test_a_bad_post_is_refused_with_the_spec_error(english, services_county, application, fmt, why, changes, drop,
                                                     status, words):
    response = post(english, fmt, spec_example(changes, drop))
    assert response.status_code == status
    errors = errors_of(response, fmt)
    assert {code for code, _d in errors} == {status}
    assert any(words in description for _c, description in errors), errors
    assert Case.objects.count() == Reporter.objects.count() == Open311Request.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_revoked_key_is_refused(english, services_county, application, fmt):
    assert post(english, fmt, spec_example()).status_code == 200
    services.revoke_applications(type(application).objects.filter(pk=application.pk))
    response = post(english, fmt, spec_example())
    assert response.status_code == 403
    assert errors_of(response, fmt) == [(403, "api_key is not valid or has been revoked.")]
    assert Case.objects.count() == 1


def test_a_key_is_compared_as_a_whole(english, services_county, application):
    assert post(english, "json", spec_example({"api_key": KEY[:-1]})).status_code == 403
    assert post(english, "json", spec_example({"api_key": KEY + "x"})).status_code == 403


# (path, query, status, words)
GET_ERRORS = [
    ("services.{fmt}", {"jurisdiction_id": "sf.gov"}, 404, "jurisdiction_id"),
    ("discovery.{fmt}", {"jurisdiction_id": "sf.gov"}, 404, "jurisdiction_id"),
    ("services/999.{fmt}", {}, 404, "service_code"),
    ("services/internal.audit.{fmt}", {}, 404, "internal.audit"),
    ("requests.{fmt}", {"start_date": "yesterday"}, 400, "start_date"),
    ("requests.{fmt}", {"end_date": "2026-13-01T00:00:00Z"}, 400, "end_date"),
    ("requests.{fmt}", {"start_date": "2026-09-01T00:00:00"}, 400, "start_date"),
    ("requests.{fmt}", {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"}, 400, "90 days"),
    ("requests.{fmt}", {"start_date": "2026-09-02T00:00:00Z", "end_date": "2026-09-01T00:00:00Z"}, 400,
     "start_date"),
    ("requests.{fmt}", {"start_date": "9999-12-31T00:00:00Z"}, 400, "start_date"),
    ("requests.{fmt}", {"end_date": "0001-01-01"}, 400, "end_date"),
    ("requests.{fmt}", {"service_code": "urban\x00road"}, 400, "service_code"),
    ("services/urban%00road.{fmt}", {}, 400, "path"),
    ("tokens/abc%00.{fmt}", {}, 400, "path"),
    ("requests.{fmt}", {"status": "pending"}, 400, "status"),
    ("requests.{fmt}", {"page_size": "0"}, 400, "page_size"),
    ("requests.{fmt}", {"page_size": "1001"}, 400, "page_size"),
    ("requests.{fmt}", {"page": "-1"}, 400, "page"),
    # Digits that str.isdigit() takes and int() refuses.
    ("requests.{fmt}", {"page": "²"}, 400, "page"),
    ("requests.{fmt}", {"page_size": "²"}, 400, "page_size"),
    ("requests.{fmt}", {"page_size": "١٠"}, 400, "page_size"),
    # No id that can be a tracking code: nothing to look for, and no period to fall back on.
    ("requests.{fmt}", {"service_request_id": "!!!"}, 400, "service_request_id"),
    ("requests.{fmt}", {"service_request_id": "!!!, ,??"}, 400, "service_request_id"),
    ("requests.{fmt}", {"jurisdiction_id": "sf.gov"}, 404, "jurisdiction_id"),
    ("requests/K7M2-9QXPA.{fmt}", {}, 404, "K7M2-9QXPA"),
    ("requests/nonsense.{fmt}", {}, 404, "nonsense"),
    ("tokens/0123456789abcdef.{fmt}", {}, 404, "0123456789abcdef"),
    ("no/such/thing.{fmt}", {}, 404, "/open311/v2/no/such/thing"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("path", "query", "status", "words"), GET_ERRORS, ids=[f"{e[0]} {e[1]}" for e in GET_ERRORS])
def test_a_bad_get_is_refused_with_the_spec_error(english, services_county, fmt, path, query, status, words):
    response = english.get(f"{BASE}/{path.format(fmt=fmt)}", query)
    assert response.status_code == status
    errors = errors_of(response, fmt)
    assert {code for code, _d in errors} == {status}
    assert any(words in description for _c, description in errors), errors


@pytest.mark.parametrize("path", ["services.html", "services.XML", "requests.csv", "requests/K7M2-9QXPA.txt",
                                  "discovery.yaml", "services"])
def test_an_unknown_format_is_not_found(english, services_county, path):
    response = english.get(f"{BASE}/{path}")
    assert response.status_code == 404
    [(code, _description)] = errors_of(response, "xml")


def test_a_post_in_an_unknown_format_writes_nothing(english, services_county, application):
    response = english.post(f"{BASE}/requests.csv", data="api_key=" + KEY,
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 404
    assert Case.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_other_methods_are_refused_with_400_and_the_allowed_ones(english, services_county, fmt):
    """The spec knows 403, 404 and 400 "otherwise": no 405."""
    response = english.put(f"{BASE}/requests.{fmt}")
    assert response.status_code == 400 and response["Allow"] == "GET, HEAD, POST"
    assert errors_of(response, fmt) == [(400, "Method PUT is not allowed here; use GET, HEAD, POST.")]
    response = english.post(f"{BASE}/services.{fmt}")
    assert response.status_code == 400 and response["Allow"] == "GET, HEAD"
    assert errors_of(response, fmt)[0][0] == 400


def test_machine_clients_need_no_csrf_token(services_county, application):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    assert post(client, "json", spec_example()).status_code == 200
    assert client.post(f"{BASE}/services.json").status_code == 400
    assert client.post(f"{BASE}/nowhere.json").status_code == 404


def test_the_own_jurisdiction_is_accepted(english, services_county, application):
    assert english.get(f"{BASE}/services.json", {"jurisdiction_id": "anju.local"}).status_code == 200
    assert post(english, "json", spec_example({"jurisdiction_id": ""})).status_code == 200


def test_a_json_body_is_no_form_and_gets_the_api_key_error(english, services_county, application):
    response = english.post(f"{BASE}/requests.json", data={"api_key": KEY}, content_type="application/json")
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_descriptions_are_translated_when_chinese_is_asked_for(client, services_county):
    """The Chinese is whatever the catalogue holds; the English is never answered to a Chinese client
    unless the catalogue lacks the message."""
    from django.utils import translation

    response = client.get(f"{BASE}/services/999.json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    with translation.override("zh-hans"):
        expected = translation.gettext("Unknown service_code: %(code)s.") % {"code": "999"}
    assert errors_of(response, "json") == [(404, expected)]


def test_an_id_that_is_no_code_is_skipped_when_another_is_one(english, public_cases):
    code = public_cases.pothole.tracking_code
    response = english.get(f"{BASE}/requests.json", {"service_request_id": f"!!!,{code}"})
    assert response.status_code == 200
    assert [r["service_request_id"] for r in response.json()] == [code]


def test_parse_filters_defaults_to_the_last_90_days():
    now = at(2026, 11, 24, 12)
    filters = services.parse_filters({}, now=now)
    assert (filters.start, filters.end) == (at(2026, 8, 26, 12), now)
    only_start = services.parse_filters({"start_date": "2026-01-01"}, now=now)
    assert (only_start.start, only_start.end) == (at(2026, 1, 1), at(2026, 4, 1))
    only_end = services.parse_filters({"end_date": "2026-04-01T00:00:00+08:00"}, now=now)
    assert (only_end.start, only_end.end) == (at(2026, 1, 1), at(2026, 4, 1))
    # Exactly 90 days is allowed; an unescaped + in a query string arrives as a space and is forgiven.
    exact = services.parse_filters({"start_date": "2026-01-01T00:00:00 08:00", "end_date": "2026-04-01"}, now=now)
    assert exact.start == at(2026, 1, 1)
