"""Text messages to reporters through the SMS gateway hook, against a real local HTTP server."""

from anju.cases import services as s
from anju.lib.tracking import rating_code
from anju.notify.models import Notification
from anju.notify.services import deliver_due


def test_it_posts_the_text_message_to_the_gateway(new_case, people, sms_gateway, django_capture_on_commit_callbacks):
    case = new_case()
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, case)
    assert len(sms_gateway.received) == 1
    request = sms_gateway.received[0]
    assert request["path"] == "/sms/send" and request["content_type"].startswith("application/json")
    assert request["json"]["phone"] == "13800001234"
    rating = rating_code(case.tracking_code)
    assert f"您的诉求（查询码：{case.tracking_code}）已受理；评价码 {rating}（" in request["json"]["text"]
    assert set(request["json"]) == {"phone", "text"}
    row = Notification.objects.get(case=case)
    assert (row.channel, row.status, row.attempts, row.address) == ("sms", "sent", 1, "13800001234")


def test_a_reporter_with_phone_and_email_gets_both(new_case, people, sms_gateway, smtp_server,
                                                   django_capture_on_commit_callbacks):
    case = new_case(reporter_email="zs@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, case)
    assert sorted(Notification.objects.filter(case=case).values_list("channel", "status")) == [
        ("email", "sent"), ("sms", "sent")]
    assert len(sms_gateway.received) == 1 and len(smtp_server.messages) == 1


def test_an_error_answer_is_a_failure_to_retry(new_case, people, sms_gateway, django_capture_on_commit_callbacks):
    sms_gateway.status = 503
    case = new_case()
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, case)
    row = Notification.objects.get(case=case)
    assert (row.status, row.attempts) == ("pending", 1) and "HTTP 503" in row.last_error
    sms_gateway.status = 200
    assert deliver_due(now=row.next_attempt_at) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(sms_gateway.received) == 2


def test_without_a_gateway_the_text_message_fails_and_says_why(new_case, people, settings,
                                                               django_capture_on_commit_callbacks):
    settings.ANJU_NOTIFY_BACKEND = "smtp"
    settings.ANJU_SMS_HOOK_URL = ""
    case = new_case()
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, case)
    row = Notification.objects.get(case=case)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 1, None)
    assert "no SMS gateway configured" in row.last_error
