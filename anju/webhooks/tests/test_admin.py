"""The administrator's pages: registering an endpoint (URL and events validated), its secret
shown and rotated after a confirmation, test events, and the read-only delivery log with its
filters and "retry now"."""

import pytest
from django.test import Client
from django.urls import reverse

from anju.conftest import at
from anju.webhooks import services
from anju.webhooks.models import Delivery, Endpoint
from anju.webhooks.signing import verify_signature

T = at(2026, 9, 30, 10)
ADD = reverse("admin:webhooks_endpoint_add")
ENDPOINTS = reverse("admin:webhooks_endpoint_changelist")
DELIVERIES = reverse("admin:webhooks_delivery_changelist")


def form_errors(response):
    return response.context["adminform"].form.errors


def test_it_registers_an_endpoint_and_shows_its_secret(staff):
    response = staff.post(ADD, {"name": "县应急指挥平台", "url": "https://yjj.example.gov.cn/anju",
                                "events": ["accept", "resolve"], "active": "on"})
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    assert endpoint.events == ["accept", "resolve"] and endpoint.active
    assert len(endpoint.secret) >= 43
    page = staff.get(response.url)
    assert page.status_code == 200 and endpoint.secret in page.content.decode()


def test_the_add_form_offers_every_case_action_and_all(staff):
    page = staff.get(ADD).content.decode()
    for value in ("*", "submit", "accept", "resolve", "overdue", "supervise"):
        assert f'value="{value}"' in page


def test_all_events_with_others_ticked_is_simply_all(staff):
    staff.post(ADD, {"name": "平台", "url": "http://10.0.0.5:8080/hook", "events": ["*", "accept"]})
    assert Endpoint.objects.get().events == ["*"]


@pytest.mark.parametrize("url", ["ftp://files.example.org/hook", "file:///etc/passwd", "javascript:alert(1)",
                                 "http://", "not a url"])
def test_it_refuses_a_url_that_is_not_http(staff, url):
    response = staff.post(ADD, {"name": "平台", "url": url, "events": ["accept"]})
    assert response.status_code == 200
    assert "url" in form_errors(response)
    assert not Endpoint.objects.exists()


def test_it_names_the_scheme_problem(staff):
    response = staff.post(ADD, {"name": "平台", "url": "ftp://files.example.org/hook", "events": ["accept"]})
    assert form_errors(response)["url"] == ["The URL must start with http:// or https://."]


@pytest.mark.parametrize("events", [["explode"], ["accept", "delete_everything"], []])
def test_it_refuses_unknown_or_no_events(staff, events):
    response = staff.post(ADD, {"name": "平台", "url": "https://example.org/hook", "events": events})
    assert response.status_code == 200
    assert "events" in form_errors(response)
    assert not Endpoint.objects.exists()


def test_the_model_refuses_unknown_events_and_other_schemes_too(db):
    from django.core.exceptions import ValidationError

    endpoint = Endpoint(name="平台", url="gopher://example.org/", events=["accept", "nope"])
    with pytest.raises(ValidationError) as refused:
        endpoint.full_clean()
    assert set(refused.value.message_dict) == {"url", "events"}
    assert "nope" in refused.value.message_dict["events"][0]


def test_it_rotates_the_secret_after_a_confirmation(staff, endpoint):
    registered = endpoint()
    old = registered.secret
    data = {"action": "rotate_secret", "_selected_action": [registered.pk]}
    asking = staff.post(ENDPOINTS, data)
    assert asking.status_code == 200
    assert "Rotate the secret?" in asking.content.decode() and registered.name in asking.content.decode()
    registered.refresh_from_db()
    assert registered.secret == old
    done = staff.post(ENDPOINTS, {**data, "confirmed": "yes"})
    assert done.status_code == 302
    registered.refresh_from_db()
    assert registered.secret != old and len(registered.secret) >= 43


def test_a_rotated_secret_signs_the_next_attempt(receiver, endpoint, new_case):
    registered = endpoint(["submit"])
    old = registered.secret
    receiver.answer(500)
    new_case(now=T)
    services.deliver_due(T)
    receiver.secret = services.rotate_secret(registered)
    services.deliver_due(Delivery.objects.get().next_attempt_at)
    first, second = receiver.requests
    assert first.verified and second.verified
    assert not verify_signature(old, second.headers["X-Anju-Timestamp"], second.body,
                                second.headers["X-Anju-Signature"])


def test_it_sends_a_test_event_from_the_endpoint_list(staff, receiver, endpoint, django_capture_on_commit_callbacks):
    registered = endpoint(["resolve"])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(ENDPOINTS, {"action": "send_test_event", "_selected_action": [registered.pk]})
    assert response.status_code == 302
    (request,) = receiver.requests
    assert request.verified and request.json["event"] == "test" and request.json["case"] is None
    delivery = Delivery.objects.get()
    assert (delivery.event, delivery.status, delivery.event_id) == ("test", "sent", None)


@pytest.fixture
def log(endpoint, new_case, receiver, settings):
    """A sent delivery to one endpoint, a failed one to another."""
    settings.ANJU_WEBHOOK_MAX_ATTEMPTS = 1
    good = endpoint(["submit"], name="好的平台")
    bad = endpoint(["submit"], name="坏的平台")
    new_case(now=T)
    sent = Delivery.objects.get(endpoint=good)
    failed = Delivery.objects.get(endpoint=bad)
    services.attempt(Delivery.objects.select_related("endpoint").get(pk=sent.pk), T)
    receiver.answer(500)
    services.attempt(Delivery.objects.select_related("endpoint").get(pk=failed.pk), T)
    sent.refresh_from_db()
    failed.refresh_from_db()
    assert (sent.status, failed.status) == ("sent", "failed")
    return sent, failed


def shown(response):
    return list(response.context["cl"].result_list)


def test_the_delivery_log_filters_by_endpoint_status_and_event(staff, log):
    sent, failed = log
    assert set(shown(staff.get(DELIVERIES))) == {sent, failed}
    assert shown(staff.get(DELIVERIES + "?status__exact=failed")) == [failed]
    assert shown(staff.get(DELIVERIES + f"?endpoint__id__exact={sent.endpoint_id}")) == [sent]
    assert set(shown(staff.get(DELIVERIES + "?event=submit"))) == {sent, failed}
    assert shown(staff.get(DELIVERIES + "?event=resolve")) == []
    assert set(shown(staff.get(DELIVERIES + f"?q={sent.tracking_code}"))) == {sent, failed}
    page = staff.get(DELIVERIES).content.decode()
    assert "HTTP 500" in page and "Retry now" in page


def test_a_delivery_page_shows_the_payload_and_cannot_be_changed(staff, log):
    sent, failed = log
    page = staff.get(reverse("admin:webhooks_delivery_change", args=[failed.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert failed.tracking_code in text and "answer 500" in text and "路灯故障" in text
    assert 'name="_save"' not in text
    assert staff.get(reverse("admin:webhooks_delivery_add")).status_code == 403
    assert staff.post(reverse("admin:webhooks_delivery_delete", args=[failed.pk])).status_code == 403


def test_retry_now_tries_a_failed_delivery_again(staff, log, receiver, django_capture_on_commit_callbacks):
    sent, failed = log
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(DELIVERIES, {"action": "retry_now", "_selected_action": [sent.pk, failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_status_code) == ("sent", 2, 200)
    assert (sent.status, sent.attempts) == ("sent", 1)
    assert len(receiver.requests) == 3


def test_staff_without_the_right_cannot_retry(log, people):
    sent, failed = log
    people.nobody.is_staff = True
    people.nobody.save(update_fields=["is_staff"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people.nobody)
    assert client.get(DELIVERIES).status_code == 403
    client.post(DELIVERIES, {"action": "retry_now", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == "failed"


@pytest.mark.parametrize("persona", ["dispatcher", "admin"])
def test_it_sends_a_persona_without_staff_status_to_the_login(client, people, persona):
    client.force_login(getattr(people, persona))
    for path in (ENDPOINTS, DELIVERIES, ADD):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def staff_with(people, *codenames) -> Client:
    """A member of the admin staff holding only the named permissions."""
    from django.contrib.auth.models import Permission

    user = people.nobody
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="webhooks", codename__in=codenames))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_secret_is_not_shown_to_those_who_may_only_view_endpoints(people, endpoint):
    registered = endpoint()
    page = staff_with(people, "view_endpoint").get(reverse("admin:webhooks_endpoint_change", args=[registered.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and registered.name in text and registered.url in text
    assert registered.secret not in text and "Signing" not in text


def test_the_secret_is_shown_to_those_who_may_change_endpoints(people, endpoint):
    registered = endpoint()
    page = staff_with(people, "view_endpoint", "change_endpoint").get(
        reverse("admin:webhooks_endpoint_change", args=[registered.pk]))
    assert page.status_code == 200 and registered.secret in page.content.decode()
