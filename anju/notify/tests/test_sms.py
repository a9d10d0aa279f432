"""Text messages to reporters through the SMS gateway hook, against a real local HTTP server."""

from http.server import BaseHTTPRequestHandler

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from anju.cases import services as s
from anju.lib.tracking import rating_code
from anju.notify.backends import SMS_MAX_CHARS, sms_text
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


@pytest.fixture
def redirecting_gateway(settings, http_server):
    """An SMS hook that answers every POST with a 302 to a page that answers GET with 200: a
    client following the redirect would take that 200 for a message sent."""
    seen = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append(("POST", self.path))
            self.send_response(302)
            self.send_header("Location", "/moved")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self):
            seen.append(("GET", self.path))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    settings.ANJU_NOTIFY_BACKEND = "smtp"
    settings.ANJU_SMS_HOOK_URL = http_server(Hook) + "/sms/send"
    return seen


def test_a_redirect_is_a_failure_and_is_not_followed(new_case, people, redirecting_gateway,
                                                     django_capture_on_commit_callbacks):
    case = new_case()
    with django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, case)
    assert redirecting_gateway == [("POST", "/sms/send")]
    row = Notification.objects.get(case=case)
    assert (row.status, row.attempts) == ("pending", 1) and "HTTP 302" in row.last_error


def test_a_long_message_is_cut_and_says_so(new_case, people, sms_gateway, django_capture_on_commit_callbacks):
    case = s.start_case(people.handler, s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher,
                                                                                          new_case())))
    reply = "经现场核查，" + "路灯线路老化，已更换。" * 80
    with django_capture_on_commit_callbacks(execute=True):
        s.resolve_case(people.handler, case, reply=reply)
    text = sms_gateway.received[-1]["json"]["text"]
    with translation.override(django_settings.LANGUAGE_CODE):
        ending = "…" + translation.gettext("(the whole text is on the tracking page, with your tracking code)")
    assert len(text) == SMS_MAX_CHARS and text.endswith(ending)
    # The rating code comes before the reply, so the cut keeps it.
    subject, rating, cut_reply = text.split("\n", 2)
    assert rating_code(case.tracking_code) in rating
    assert reply.startswith(cut_reply.strip().removesuffix(ending))


def test_a_short_message_is_sent_whole():
    row = Notification(subject="标题", body="路灯已修复。")
    assert sms_text(row) == "标题\n路灯已修复。"
    exact = Notification(subject="", body="字" * SMS_MAX_CHARS)
    assert sms_text(exact) == exact.body
