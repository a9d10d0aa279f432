"""Who among reporters is told what, and the console backend of the demo."""

import logging

from anju.cases import services as s
from anju.cases.choices import ClockUnit
from anju.lib.tracking import display, rating_code
from anju.notify.models import Notification


def reporter_events(case):
    return list(Notification.objects.filter(case=case, reporter__isnull=False).order_by("pk")
                .values_list("event", flat=True))


def test_the_reporter_is_told_of_each_step_they_care_about(new_case, people):
    case = new_case()
    case = s.accept_case(people.dispatcher, case)
    case = s.start_case(people.handler, s.dispatch_case(people.dispatcher, case))
    request = s.request_extension(people.handler, case, amount=3, unit=ClockUnit.WORKING_DAYS, reason="需协调")
    case = s.approve_extension(people.supervisor, case, request_id=request.pk)
    case = s.wait_for_reporter(people.handler, case, question="请补充具体位置")
    case = s.resume_case(people.handler, case)
    s.resolve_case(people.handler, case, reply="已修复")
    assert reporter_events(case) == ["accept", "approve_extension", "wait", "resolve"]
    assert set(Notification.objects.filter(case=case, reporter__isnull=False).values_list("channel", flat=True)) == {
        "sms"}


def test_a_rejected_case_tells_the_reporter_why(new_case, people):
    case = s.reject_case(people.dispatcher, new_case(), reply="不属于受理范围")
    row = Notification.objects.get(case=case)
    assert (row.event, row.body) == ("reject", "不属于受理范围")


def test_anonymous_reporters_and_reporters_without_contact_are_not_told(new_case, people):
    anonymous = new_case(reporter_name="", reporter_phone="")
    name_only = new_case(reporter_name="赵六", reporter_phone="")
    for case in (anonymous, name_only):
        s.accept_case(people.dispatcher, case)
        assert reporter_events(case) == []


def test_reporters_get_no_in_app_messages(new_case, people):
    case = s.accept_case(people.dispatcher, new_case(reporter_email="a@example.cn"))
    assert sorted(Notification.objects.filter(case=case).values_list("channel", flat=True)) == ["email", "sms"]


def test_the_console_backend_logs_every_message_masked_and_counts_it_sent(
        new_case, people, settings, caplog, django_capture_on_commit_callbacks):
    settings.ANJU_NOTIFY_BACKEND = "console"
    case = new_case(reporter_email="zhangsan@example.cn")
    with caplog.at_level(logging.INFO, logger="anju.notify"), django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, case)
    rows = Notification.objects.filter(case=case)
    assert {(row.channel, row.status, row.attempts) for row in rows} == {("sms", "sent", 1), ("email", "sent", 1)}
    logged = caplog.text
    assert "138****1234" in logged and "z***@example.cn" in logged and display(case.tracking_code) in logged
    assert "13800001234" not in logged and "zhangsan@example.cn" not in logged
    # The body carries the rating code, which lets anyone rate the case: not at INFO.
    assert rating_code(case.tracking_code) not in logged


def test_the_console_backend_logs_the_body_only_at_debug(new_case, people, settings, caplog,
                                                         django_capture_on_commit_callbacks):
    settings.ANJU_NOTIFY_BACKEND = "console"
    case = new_case()
    with caplog.at_level(logging.DEBUG, logger="anju.notify"), django_capture_on_commit_callbacks(execute=True):
        s.accept_case(people.dispatcher, case)
    (row,) = Notification.objects.filter(case=case)
    bodies = [r for r in caplog.records if row.body in r.getMessage()]
    assert bodies and all(r.levelno == logging.DEBUG for r in bodies)


def test_messages_are_written_in_the_default_language_whatever_the_user_reads(new_case, people, monkeypatch):
    from django.utils import translation

    from anju.cases import messages as services

    languages = []
    compose = services.staff_message

    def spy(case, event):
        languages.append(translation.get_language())
        return compose(case, event)

    monkeypatch.setattr(services, "staff_message", spy)
    case = new_case()
    with translation.override("en"):
        s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher, case))
    assert languages == ["zh-hans"]
