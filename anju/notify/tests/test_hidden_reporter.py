"""A reporter hidden from an office (a confidential case) stays hidden in the case page's list
of notifications, and a delivery error never shows a contact unmasked, whoever reads it."""

import pytest
from django.test import Client
from django.urls import reverse

from anju.cases import services as s
from anju.notify import backends
from anju.notify.models import Notification
from anju.notify.services import mask_contacts

ADDRESS = "Zhang.San@Example.com"
# Mail servers echo the recipient as they please: here in lower case.
REFUSAL = "{'zhang.san@example.com': (550, b'5.1.1 <zhang.san@example.com>: Recipient address rejected')}"


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def notifications_section(user, case) -> str:
    text = client_for(user).get(reverse("web:case_detail", args=[case.pk])).content.decode()
    return text.split('id="notifications-title"')[1].split("</section>")[0]


class RecipientsRefused(Exception):
    pass


@pytest.fixture
def refused(new_case, people, settings, monkeypatch, django_capture_on_commit_callbacks):
    """A confidential complaint about 葛城街道, handled by 葛城街道, whose reporter's e-mail the mail
    server refused, quoting the address."""
    settings.ANJU_NOTIFY_MAX_ATTEMPTS = 1

    def refuse(notification):
        if notification.channel == "email" and notification.reporter_id:
            raise RecipientsRefused(REFUSAL)

    monkeypatch.setattr(backends, "send", refuse)
    case = new_case(confidential=True, about_office_code="gc", reporter_phone="", reporter_email=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        case = s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher, case))
    return case


def test_the_error_is_recorded_with_the_address_masked_whatever_its_case(refused):
    row = Notification.objects.get(case=refused, reporter__isnull=False)
    assert row.status == "failed" and "RecipientsRefused" in row.last_error
    assert "z***@example.com" in row.last_error.lower()
    assert "zhang.san" not in row.last_error.lower()


def test_the_office_the_reporter_is_hidden_from_sees_none_of_the_reporters_messages(refused, people):
    section = notifications_section(people.handler, refused)
    assert "In the workbench" in section  # the list is there, with the handler's own message
    for shown in ("Reporter", "E-mail", "RecipientsRefused", "550", "z***", "example.com", "zhang"):
        assert shown not in section, shown


def test_staff_the_reporter_is_not_hidden_from_see_the_failure_masked(refused, people):
    section = notifications_section(people.dispatcher, refused)
    assert "Reporter" in section and "RecipientsRefused" in section and "z***@example.com" in section.lower()
    assert "zhang.san" not in section.lower()


def test_the_admin_shows_the_error_masked(refused, people):
    admin = people.admin
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    row = Notification.objects.get(case=refused, reporter__isnull=False)
    # An error recorded before masking was in place, or by another path, is masked when shown.
    Notification.objects.filter(pk=row.pk).update(last_error=f"RecipientsRefused: {REFUSAL} call 13912345678")
    for url in (reverse("admin:notify_notification_changelist"),
                reverse("admin:notify_notification_change", args=[row.pk])):
        text = client_for(admin).get(url).content.decode()
        assert "RecipientsRefused" in text and "z***@example.com" in text.lower(), url
        assert "zhang.san" not in text.lower() and "13912345678" not in text, url


@pytest.mark.parametrize(("error", "address", "expected"), [
    ("refused ZHANGSAN@EXAMPLE.CN", "zhangsan@example.cn", "refused z***@example.cn"),
    ("refused <lisi@example.org> (550)", "", "refused <l***@example.org> (550)"),
    ("gateway: 13800001234 unknown", "", "gateway: 138****1234 unknown"),
    ("gateway: +8613800001234 unknown", "13800001234", "gateway: +86138****1234 unknown"),
    ("gateway: +86 139-1234-5678 refused", "", "gateway: 139****5678 refused"),
    ("timed out after 10 s (code 123456)", "", "timed out after 10 s (code 123456)"),
])
def test_contacts_in_an_error_are_masked(error, address, expected):
    masked = mask_contacts(error, address, "z***@example.cn" if "@" in address else "138****1234")
    assert masked == expected
    # Masking twice changes nothing.
    assert mask_contacts(masked) == masked
