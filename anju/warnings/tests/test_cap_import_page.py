"""The staff page that imports an upstream CAP alert (/work/warnings/import/): for the county
centre only; a pasted or uploaded document refused with each reason and nothing stored, or
passed on as a draft warning shown on the page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from anju.warnings import cap
from anju.warnings.models import CapMessage, Warning
from anju.warnings.tests import cap_fixtures

URL = "/work/warnings/import/"


def upstream(**changes) -> bytes:
    now = timezone.now()
    times = {"sent": cap.format_time(now - timedelta(minutes=10)), "expires": cap.format_time(now + timedelta(days=1))}
    return cap_fixtures.upstream(**{**times, **changes})


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_it_asks_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["handler", "gridworker", "township_dispatcher"])
def test_it_is_not_there_for_staff_beyond_the_county_centre(people, persona):
    assert signed_in(getattr(people, persona)).get(URL).status_code == 404
    assert signed_in(getattr(people, persona)).post(URL, {"document": upstream().decode()}).status_code == 404
    assert not CapMessage.objects.exists()


def test_it_shows_the_form(people):
    response = signed_in(people.dispatcher).get(URL)
    assert response.status_code == 200
    assert b'name="document"' in response.content and b'name="file"' in response.content


def test_a_pasted_alert_becomes_a_draft_warning(people):
    response = signed_in(people.dispatcher).post(URL, {"document": upstream().decode()})
    assert response.status_code == 200
    warning = Warning.objects.get()
    assert warning.status == "draft" and warning.origin == "upstream"
    assert "passed on as a draft warning" in response.content.decode()
    assert warning.headline in response.content.decode()


def test_an_uploaded_alert_is_read_as_its_bytes(people):
    upload = SimpleUploadedFile("alert.xml", upstream(), content_type="application/xml")
    response = signed_in(people.supervisor).post(URL, {"file": upload})
    assert response.status_code == 200 and Warning.objects.count() == 1


def test_a_refused_document_shows_every_reason_and_stores_nothing(people):
    response = signed_in(people.dispatcher).post(URL, {"document": upstream(status="Real", msg_type="Update")
                                                       .decode()})
    assert response.status_code == 422
    page = response.content.decode()
    assert "The alert was refused; nothing was kept" in page and "[facet &#x27;enumeration&#x27;]" in page
    assert not CapMessage.objects.exists() and not Warning.objects.exists()


def test_an_empty_form_or_both_inputs_are_asked_again(people):
    client = signed_in(people.dispatcher)
    assert client.post(URL, {"document": "  "}).status_code == 400
    upload = SimpleUploadedFile("alert.xml", upstream(), content_type="application/xml")
    both = client.post(URL, {"document": upstream().decode(), "file": upload})
    assert both.status_code == 400 and "not both" in both.content.decode()
    assert not CapMessage.objects.exists()


def test_a_file_too_big_is_refused(people, settings):
    settings.ANJU_WARNINGS_CAP_MAX_BYTES = 500
    upload = SimpleUploadedFile("alert.xml", upstream(), content_type="application/xml")
    response = signed_in(people.dispatcher).post(URL, {"file": upload})
    assert response.status_code == 400 and "larger than 500 bytes" in response.content.decode()


def test_it_offers_and_opens_an_incident_where_the_duty_module_keeps_them(people, incidents):
    client = signed_in(people.dispatcher)
    assert b'name="open_incident"' in client.get(URL).content
    response = client.post(URL, {"document": upstream().decode(), "open_incident": "on"})
    assert response.status_code == 200
    warning = Warning.objects.get()
    assert list(warning.log.values_list("code", flat=True)) == ["imported", "incident"]
    assert "/work/duty/incidents/" in response.content.decode()
