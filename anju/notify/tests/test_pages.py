"""The staff notifications page, the unread count in the navigation, and the notifications
listed on the case page."""

import pytest
from django.test import Client
from django.urls import reverse

from anju.cases import services as s
from anju.cases.messages import notify_user
from anju.lib.tracking import display
from anju.notify.models import Notification

from .conftest import free_port

PAGE = reverse("web:notifications")


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def dispatched(new_case, people):
    return s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher, new_case()))


def test_it_requires_a_login(client, county):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_is_not_found_for_a_user_without_a_role(people):
    assert client_for(people.nobody).get(PAGE).status_code == 404


def test_a_user_sees_only_their_own_notifications(dispatched, people):
    code = display(dispatched.tracking_code)
    mine = client_for(people.handler).get(PAGE)
    assert mine.status_code == 200 and code in mine.content.decode()
    assert reverse("web:case_detail", args=[dispatched.pk]) in mine.content.decode()
    theirs = client_for(people.other_handler).get(PAGE).content.decode()
    assert code not in theirs and "You have no notifications yet." in theirs


def test_the_navigation_counts_unread_notifications(dispatched, people):
    text = client_for(people.handler).get(reverse("web:home")).content.decode()
    assert 'href="/work/notifications/"' in text and "1 unread" in text
    other = client_for(people.other_handler).get(reverse("web:home")).content.decode()
    assert 'href="/work/notifications/"' in other and "unread" not in other


def test_marking_one_read_changes_only_the_users_own(dispatched, people):
    row = Notification.objects.get(user=people.handler, channel="in_app")
    # Another user posting the id changes nothing.
    client_for(people.other_handler).post(PAGE, {"id": row.pk})
    assert Notification.objects.get(pk=row.pk).read_at is None
    response = client_for(people.handler).post(PAGE, {"id": row.pk})
    assert response.status_code == 302
    assert Notification.objects.get(pk=row.pk).read_at is not None
    assert "unread" not in client_for(people.handler).get(reverse("web:home")).content.decode()


def test_mark_all_read(dispatched, people):
    notify_user(people.handler, dispatched, "dispatch", "第二条")
    assert Notification.objects.filter(user=people.handler, read_at__isnull=True).count() == 2
    client_for(people.handler).post(PAGE, {"all": "1"})
    assert not Notification.objects.filter(user=people.handler, read_at__isnull=True).exists()


def test_it_pages_through_many_notifications(dispatched, people):
    for n in range(25):
        notify_user(people.handler, dispatched, "dispatch", f"消息{n}")
    first = client_for(people.handler).get(PAGE).content.decode()
    assert "消息24" in first and "消息0<" not in first and 'rel="next"' in first
    second = client_for(people.handler).get(PAGE + "?page=2").content.decode()
    assert "消息0<" in second and "消息24" not in second
    assert client_for(people.handler).get(PAGE + "?page=abc").status_code == 200


def test_a_case_out_of_reach_is_not_linked(dispatched, people):
    case = s.transfer_case(people.dispatcher, dispatched, office_code="jtj")
    text = client_for(people.handler).get(PAGE).content.decode()
    assert reverse("web:case_detail", args=[case.pk]) not in text and "No longer in your scope" in text


def test_the_case_page_shows_each_notification_with_its_status_and_masked_address(dispatched, people):
    text = client_for(people.dispatcher).get(reverse("web:case_detail", args=[dispatched.pk])).content.decode()
    assert 'aria-labelledby="notifications-title"' in text
    assert "138****1234" in text and "13800001234" not in text
    assert "Pending" in text and "Text message" in text
    assert "In the workbench" in text and "handler" in text


def test_a_confidential_reporters_address_is_hidden_from_the_office_concerned(new_case, people):
    case = new_case(confidential=True, about_office_code="gc")
    case = s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher, case))
    text = client_for(people.handler).get(reverse("web:case_detail", args=[case.pk])).content.decode()
    assert 'aria-labelledby="notifications-title"' in text
    section = text.split('id="notifications-title"')[1].split("</section>")[0]
    # The reporter's message is left out altogether: even masked it would say the reporter
    # is not anonymous and gave a phone number.
    assert "Reporter" not in section and "Text message" not in section and "138****" not in section
    assert "In the workbench" in section  # the handler's own message about the dispatch
    shown = client_for(people.dispatcher).get(reverse("web:case_detail", args=[case.pk])).content.decode()
    assert "138****1234" in shown


def test_a_down_smtp_server_does_not_stop_an_action_on_the_case_page(new_case, people, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.ANJU_NOTIFY_BACKEND = "smtp"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    case = new_case(reporter_phone="", reporter_email="x@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.dispatcher).post(reverse("web:case_action", args=[case.pk, "accept"]), {})
    assert response.status_code == 302
    row = Notification.objects.get(case=case)
    assert row.status == "pending" and row.attempts == 1


@pytest.mark.parametrize("value", ["²", "١", "99999999999999999999999", "-1", "1.0", ""])
def test_odd_numbers_are_ignored_not_an_error(dispatched, people, value):
    row = Notification.objects.get(user=people.handler, channel="in_app")
    client = client_for(people.handler)
    response = client.post(PAGE, {"id": [value, str(row.pk)], "page": value})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert Notification.objects.get(pk=row.pk).read_at is not None
    assert client.get(PAGE, {"page": value}).status_code == 200
