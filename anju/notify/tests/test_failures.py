"""A delivery that keeps failing ends as failed after ANJU_NOTIFY_MAX_ATTEMPTS attempts,
visible in the admin (filtered by status, channel and event) and on the case page, and an
administrator can send it again with "retry now"."""

import pytest
from django.test import Client
from django.urls import reverse

from anju.cases import services as s
from anju.lib.tracking import display
from anju.notify.models import Notification
from anju.notify.services import deliver_due

from .conftest import free_port

CHANGELIST = "admin:notify_notification_changelist"


@pytest.fixture
def failed_row(new_case, people, smtp_server, settings, django_capture_on_commit_callbacks):
    """An e-mail to a reporter that failed three times against a server that was down."""
    settings.ANJU_NOTIFY_MAX_ATTEMPTS = 3
    settings.EMAIL_PORT = free_port()
    case = new_case(reporter_phone="", reporter_email="lisi@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, case)
    row = Notification.objects.get(case=case)
    for expected in (2, 3):
        assert deliver_due(now=row.next_attempt_at) == 1
        row.refresh_from_db()
        assert row.attempts == expected
    return row


def test_it_fails_after_the_last_attempt_and_stops_trying(failed_row):
    assert (failed_row.status, failed_row.attempts, failed_row.next_attempt_at) == ("failed", 3, None)
    assert "Connection" in failed_row.last_error
    assert deliver_due(now=failed_row.created_at.replace(year=failed_row.created_at.year + 1)) == 0


def test_the_admin_lists_failed_notifications_by_status_channel_and_event(failed_row, staff):
    code = failed_row.case.tracking_code
    page = staff.get(reverse(CHANGELIST) + "?status__exact=failed&channel__exact=email&event=accept")
    assert page.status_code == 200
    text = page.content.decode()
    assert code in text and "l***@example.cn" in text and "lisi@example.cn" not in text
    assert code not in staff.get(reverse(CHANGELIST) + "?status__exact=sent").content.decode()
    assert code in staff.get(reverse(CHANGELIST) + f"?q={code}").content.decode()
    change = staff.get(reverse("admin:notify_notification_change", args=[failed_row.pk]))
    assert change.status_code == 200 and "lisi@example.cn" not in change.content.decode()
    assert 'name="_save"' not in change.content.decode()


def test_retry_now_sends_a_failed_notification_again(failed_row, staff, smtp_server, settings,
                                                     django_capture_on_commit_callbacks):
    settings.EMAIL_PORT = smtp_server.port
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse(CHANGELIST), {"action": "retry_now", "_selected_action": [failed_row.pk]},
                                  follow=True)
    assert "1 notification was queued again." in response.content.decode()
    failed_row.refresh_from_db()
    assert (failed_row.status, failed_row.attempts, failed_row.last_error) == ("sent", 4, "")
    assert [m["to"] for m in smtp_server.messages] == [["lisi@example.cn"]]


def test_retry_now_leaves_rows_that_did_not_fail(new_case, people, staff):
    case = new_case()
    s.accept_case(people.dispatcher, case)
    row = Notification.objects.get(case=case)
    response = staff.post(reverse(CHANGELIST), {"action": "retry_now", "_selected_action": [row.pk]},
                              follow=True)
    assert "None of the selected notifications had failed." in response.content.decode()
    assert Notification.objects.get(pk=row.pk).status == "pending"


def test_a_failed_retry_is_failed_again_at_once(failed_row, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse(CHANGELIST), {"action": "retry_now", "_selected_action": [failed_row.pk]})
    failed_row.refresh_from_db()
    assert (failed_row.status, failed_row.attempts) == ("failed", 4)


def test_the_case_page_shows_the_failure(failed_row, people):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(people.dispatcher)
    text = client.get(reverse("web:case_detail", args=[failed_row.case_id])).content.decode()
    assert "l***@example.cn" in text and "lisi@example.cn" not in text
    assert "Not delivered after 3 attempts." in text
    assert display(failed_row.case.tracking_code) in text
