"""What the answer, a reopening and a merge tell whom: the answer carries the rating code, a
reopened case is a new assignment for the office, and a merge never gives a reporter the other
case's tracking code."""

from django.test import Client
from django.urls import reverse
from django.utils import translation

from anju.cases import services as s
from anju.cases.choices import Action
from anju.cases.messages import staff_message
from anju.lib.tracking import display, rating_code
from anju.notify.models import Notification


def answered(people, case):
    case = s.start_case(people.handler, s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher, case)))
    return s.resolve_case(people.handler, case, reply="路灯已修复，感谢反映。")


def bodies(case, event, **filters):
    return list(Notification.objects.filter(case=case, event=event, **filters).values_list("body", flat=True))


# ---------------------------------------------------------------------------- the answer


def test_the_answer_carries_the_rating_code_before_the_reply(new_case, people):
    # Before: a text message cut for length keeps the code.
    case = answered(people, new_case(reporter_email="zs@example.cn"))
    told = bodies(case, Action.RESOLVE, reporter__isnull=False)
    assert len(told) == 2  # a text message and an e-mail
    for body in told:
        assert body.endswith("\n\n路灯已修复，感谢反映。")
        assert rating_code(case.tracking_code) in body.split("\n\n", 1)[0]


def test_the_rating_line_is_in_the_default_language_whatever_the_handler_reads(new_case, people):
    case = s.start_case(people.handler, s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher,
                                                                                          new_case())))
    with translation.override("en"):
        s.resolve_case(people.handler, case, reply="已修复")
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "Rating code %(rating)s (needed to rate this answer or say it is not solved; keep it to yourself)."
        ) % {"rating": rating_code(case.tracking_code)}
    assert bodies(case, Action.RESOLVE, reporter__isnull=False) == [f"{expected}\n\n已修复"]


def test_staff_are_not_given_the_rating_code(new_case, people):
    case = answered(people, new_case())
    case = s.reopen_case(people.dispatcher, case, reason="反映人表示仍不亮")
    staff_bodies = list(Notification.objects.filter(case=case, user__isnull=False).values_list("body", flat=True))
    assert staff_bodies and not any(rating_code(case.tracking_code) in body for body in staff_bodies)


# ---------------------------------------------------------------------------- reopening


def test_a_reopened_case_is_a_new_assignment_for_the_offices_handlers(new_case, people):
    people.handler.email = "handler@gc.example.cn"
    people.handler.save(update_fields=["email"])
    case = answered(people, new_case())
    case = s.reopen_case(people.dispatcher, case, reason="反映人表示仍不亮")
    rows = Notification.objects.filter(case=case, event=Action.REOPEN)
    assert sorted(rows.values_list("user__username", "channel")) == [("handler", "email"), ("handler", "in_app")]
    row = rows.get(channel="in_app")
    assert display(case.tracking_code) in row.subject and display(case.tracking_code) in row.body
    assert "路灯故障" in row.body and "葛城街道办事处" in row.body
    # Its own words, not the catch-all "changed".
    assert (row.subject, row.body) != _staff_message_for(case, "no_such_event")
    # Nothing about the reporter, nor the reason they gave.
    assert "张" not in row.body and "仍不亮" not in row.body


def _staff_message_for(case, event):
    with translation.override("zh-hans"):
        return staff_message(case, event)


def test_the_reporters_own_not_solved_tells_the_office_too(new_case, people):
    case = answered(people, new_case())
    s.reopen_case(None, case, reason="晚上还是不亮", by_reporter=True)
    assert sorted(Notification.objects.filter(case=case, event=Action.REOPEN, channel="in_app")
                  .values_list("user__username", flat=True)) == ["handler"]


def test_the_reopen_message_says_the_case_was_reopened(new_case, people):
    case = answered(people, new_case())
    with translation.override("en"):
        subject, body = staff_message(case, Action.REOPEN)
    assert subject == f"Case {display(case.tracking_code)} was reopened"
    assert "reopened" in body and "葛城街道办事处" in body and "Deadline:" in body


# ---------------------------------------------------------------------------- merging


def test_a_merge_never_tells_a_reporter_the_other_cases_code(new_case, people):
    duplicate = new_case(text="同一路灯", reporter_phone="13700001111")
    target = new_case(text="路灯不亮", reporter_phone="13900002222", confidential=True, about_office_code="gc")
    s.merge_case(people.dispatcher, duplicate, into=target)
    [told_duplicate] = bodies(duplicate, Action.MERGE)
    [told_target] = bodies(target, Action.ABSORB)
    for code in (target.tracking_code, display(target.tracking_code)):
        assert code not in told_duplicate
    for code in (duplicate.tracking_code, display(duplicate.tracking_code)):
        assert code not in told_target
    # Each is told their own code, to keep following their report with.
    assert duplicate.tracking_code in told_duplicate and target.tracking_code in told_target
    # Subjects too.
    other = {duplicate.pk: target, target.pk: duplicate}
    for row in Notification.objects.filter(case__in=[duplicate, target]):
        code = other[row.case_id].tracking_code
        assert code not in row.subject + row.body and display(code) not in row.subject + row.body


def test_a_merged_reporter_can_follow_the_joint_case_with_their_own_code(new_case, people):
    duplicate, target = new_case(text="同一路灯"), new_case(text="路灯不亮")
    s.merge_case(people.dispatcher, duplicate, into=target)
    page = Client(HTTP_ACCEPT_LANGUAGE="en").post(reverse("web:track"), {"code": duplicate.tracking_code},
                                                  follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert "handled together" in text and target.tracking_code not in text
    assert display(target.tracking_code) not in text
