"""E-mail to reporters through a real SMTP server (aiosmtpd on 127.0.0.1), including a server
that is down and one that refuses twice before it accepts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anju.cases import services as s
from anju.cases.choices import Status
from anju.cases.models import Case
from anju.lib.tracking import display, rating_code
from anju.notify import tasks
from anju.notify.models import Notification
from anju.notify.services import deliver_due


@pytest.fixture
def emailed_case(new_case):
    """A case whose reporter gave an e-mail address only."""
    return new_case(reporter_phone="", reporter_email="zhangsan@example.cn")


def test_it_emails_the_reporter_when_the_case_is_accepted(emailed_case, people, smtp_server,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, emailed_case)
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["to"] == ["zhangsan@example.cn"]
    assert mail["from"] == "anju@localhost"
    assert display(emailed_case.tracking_code) in mail["subject"]
    # The body is the message in Chinese, the default language.
    rating = rating_code(emailed_case.tracking_code)
    assert f"您的诉求（查询码：{emailed_case.tracking_code}）已受理；评价码 {rating}（" in mail["body"]
    row = Notification.objects.get(case=emailed_case)
    assert (row.channel, row.status, row.attempts, row.address) == ("email", "sent", 1, "zhangsan@example.cn")
    assert row.sent_at is not None and row.next_attempt_at is None and row.last_error == ""


def test_it_emails_the_reply_when_the_case_is_resolved(emailed_case, people, smtp_server,
                                                        django_capture_on_commit_callbacks):
    case = s.start_case(people.handler, s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher,
                                                                                          emailed_case)))
    with django_capture_on_commit_callbacks(execute=True):
        s.resolve_case(people.handler, case, reply="路灯已于今日修复，感谢您的反映。")
    (mail,) = smtp_server.messages
    # The rating code the reporter rates it with, then the reply.
    rating, *_blank, reply = [line.strip() for line in mail["body"].strip().splitlines()]
    assert reply == "路灯已于今日修复，感谢您的反映。"
    assert rating_code(case.tracking_code) in rating


def test_nothing_is_sent_when_the_case_change_rolls_back(emailed_case, people, smtp_server,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(s.CaseError):
            s.reject_case(people.dispatcher, emailed_case, reply="   ")
    assert callbacks == [] and smtp_server.messages == []
    assert not Notification.objects.exists()


def test_a_receiver_that_fails_twice_gets_the_message_on_the_third_attempt(
        emailed_case, people, flaky_smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, emailed_case)
    row = Notification.objects.get(case=emailed_case)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "451" in row.last_error
    first_retry = row.next_attempt_at
    # One minute after the first attempt, which ran at once after the commit.
    assert row.created_at + timedelta(minutes=1) <= first_retry <= timezone.now() + timedelta(minutes=1)

    # Before its time nothing is tried.
    assert deliver_due(now=first_retry - timedelta(seconds=1)) == 0
    assert Notification.objects.get(pk=row.pk).attempts == 1

    assert deliver_due(now=first_retry) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 2)
    # The delay grows: two minutes after the second failure.
    assert row.next_attempt_at == first_retry + timedelta(minutes=2)
    second_retry = row.next_attempt_at
    assert deliver_due(now=second_retry - timedelta(seconds=1)) == 0

    assert deliver_due(now=second_retry) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at, row.next_attempt_at) == ("sent", 3, second_retry, None)
    assert flaky_smtp_server.data_commands == 3
    assert len(flaky_smtp_server.messages) == 1
    assert flaky_smtp_server.messages[0]["to"] == ["zhangsan@example.cn"]
    # A sent row is never tried again.
    assert deliver_due(now=second_retry + timedelta(days=1)) == 0


def test_a_down_smtp_server_never_blocks_a_case_action(emailed_case, people, smtp_down,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        accepted = s.accept_case(people.dispatcher, emailed_case)
    assert accepted.status == Status.ACCEPTED
    assert Case.objects.get(pk=emailed_case.pk).status == Status.ACCEPTED
    row = Notification.objects.get(case=emailed_case)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "Connection" in row.last_error and row.next_attempt_at is not None


def test_a_broken_queue_never_blocks_a_case_action(emailed_case, people, smtp_server, monkeypatch,
                                                   django_capture_on_commit_callbacks):
    def broken(notification_id):
        raise ConnectionError("queue storage unavailable")

    monkeypatch.setattr(tasks, "deliver_notification", broken)
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, emailed_case)
    row = Notification.objects.get(case=emailed_case)
    assert (row.status, row.attempts) == ("pending", 0)
    # The periodic delivery picks it up.
    assert deliver_due(now=row.next_attempt_at) == 1
    assert Notification.objects.get(pk=row.pk).status == "sent" and len(smtp_server.messages) == 1


def test_the_periodic_task_delivers_due_rows(emailed_case, people, smtp_server):
    # Without the after-commit hook (tests roll back), the row waits for the periodic task.
    s.accept_case(people.dispatcher, emailed_case)
    assert Notification.objects.get(case=emailed_case).status == "pending"
    tasks.deliver_due_notifications()
    assert Notification.objects.get(case=emailed_case).status == "sent"
    assert len(smtp_server.messages) == 1


def test_the_error_shown_masks_the_address(emailed_case, people, smtp_server, monkeypatch,
                                           django_capture_on_commit_callbacks):
    from anju.notify import backends

    def refused(address, subject, body):
        raise RuntimeError(f"recipient {address} refused")

    monkeypatch.setattr(backends, "send_email", refused)
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, emailed_case)
    row = Notification.objects.get(case=emailed_case)
    assert "zhangsan@example.cn" not in row.last_error and "z***@example.cn" in row.last_error
