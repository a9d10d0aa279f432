"""Deadline policies on cases: most specific wins, snapshots, overrides, estimates."""

from datetime import date, datetime

import pytest

from anju.cases import services as s
from anju.cases.deadlines import policy_for
from anju.cases.models import CalendarOverride, DeadlinePolicy, HolidayNotice
from anju.conftest import at


def policy(name, **fields):
    values = {"accept_amount": 1, "accept_unit": "working_days", "handle_amount": 15,
              "handle_unit": "working_days", "reply_amount": 5, "reply_unit": "working_days"}
    values.update(fields)
    return DeadlinePolicy.objects.create(name=name, **values)


def test_priority_wins_then_the_deeper_category_then_kind(county):
    default = DeadlinePolicy.objects.get()
    urban = policy("城建", category=county.urban)
    road = policy("道路", category=county.road)
    complaint_road = policy("道路投诉", category=county.road, kind="complaint")
    urgent = policy("紧急", priority="urgent", accept_amount=4, accept_unit="hours")
    assert policy_for("help", county.noise, "normal") == default
    assert policy_for("help", county.light, "normal") == urban
    assert policy_for("help", county.road, "normal") == road
    assert policy_for("complaint", county.road, "normal") == complaint_road
    assert policy_for("complaint", county.road, "urgent") == urgent


def test_a_case_keeps_the_policy_it_was_received_under(new_case, county, people):
    road = policy("道路", category=county.road, handle_amount=3)
    case = new_case(category_code="urban.road", now=at(2026, 11, 2, 9))
    DeadlinePolicy.objects.filter(pk=road.pk).update(handle_amount=30)
    case = s.accept_case(people.dispatcher, case, now=at(2026, 11, 2, 10))
    assert case.deadline_rule["handle"] == [3, "working_days"]
    assert case.handle_due_at == at(2026, 11, 5, 23, 59, 59)


def test_an_urgent_case_is_counted_in_hours(new_case, county):
    policy("紧急", priority="urgent", accept_amount=4, accept_unit="hours")
    case = new_case(priority="urgent", now=at(2026, 10, 1, 22))  # a holiday night: hours still run
    assert case.accept_due_at == at(2026, 10, 2, 2)


def test_a_sixty_working_day_deadline_from_23_november_2026_is_estimated_not_a_crash(new_case, people, county):
    policy("建议", kind="suggestion", handle_amount=60)
    case = new_case(kind="suggestion", now=at(2026, 11, 23, 9))
    case = s.accept_case(people.dispatcher, case, now=at(2026, 11, 23, 10))
    # 28 working days in 2026, then 32 in 2027 around its statutory holidays (1 Jan; 除夕 5 Feb to
    # 8 Feb) and the two days after them the estimate takes as days off.
    assert case.handle_due_at == at(2027, 2, 22, 23, 59, 59)
    assert case.deadline_estimated is True
    assert case.deadline_basis["handle_due_at"]["estimated"] is True


def test_entering_the_2027_notice_counts_the_estimate_again(new_case, people, county,
                                                            django_capture_on_commit_callbacks):
    policy("建议", kind="suggestion", handle_amount=60)
    case = new_case(kind="suggestion", now=at(2026, 11, 23, 9))
    case = s.accept_case(people.dispatcher, case, now=at(2026, 11, 23, 10))
    assert (case.handle_due_at, case.deadline_estimated) == (at(2027, 2, 22, 23, 59, 59), True)
    # An administrator enters a 2027 arrangement (here a made-up one: 5–13 February off, Saturday
    # 20 February a make-up working day) and records the notice.
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(9, 13):
            CalendarOverride.objects.create(date=date(2027, 2, day), is_workday=False, note="春节调休")
        CalendarOverride.objects.create(date=date(2027, 2, 20), is_workday=True, note="春节调休上班")
        HolidayNotice.objects.create(year=2027, title="国务院办公厅关于2027年部分节假日安排的通知")
    case.refresh_from_db()
    # 24 working days up to 4 Feb, 15–19 Feb, the make-up Saturday 20 Feb, then 22 and 23 Feb.
    assert (case.handle_due_at, case.due_at, case.deadline_estimated) == (
        at(2027, 2, 23, 23, 59, 59), at(2027, 2, 23, 23, 59, 59), False)
    moved = case.events.get(action="recount").data["deadlines"]["handle_due_at"]
    assert datetime.fromisoformat(moved["from"]) == at(2027, 2, 22, 23, 59, 59)
    assert datetime.fromisoformat(moved["to"]) == at(2027, 2, 23, 23, 59, 59)
    assert moved["estimated"] is False


def test_calendar_overrides_alone_leave_the_year_an_estimate(new_case, people, county):
    policy("建议", kind="suggestion", handle_amount=60)
    # The 2027 Spring Festival entered day by day, but the notice not recorded: the year is still
    # counted from the statutory holidays and the guesses, with the overrides over them.
    for day in range(9, 13):
        CalendarOverride.objects.create(date=date(2027, 2, day), is_workday=False, note="春节")
    case = new_case(kind="suggestion", now=at(2026, 11, 23, 9))
    case = s.accept_case(people.dispatcher, case, now=at(2026, 11, 23, 10))
    # 11 and 12 Feb are off too now: two more working days on, 24 Feb.
    assert (case.handle_due_at, case.deadline_estimated) == (at(2027, 2, 24, 23, 59, 59), True)


def test_without_any_policy_a_fallback_still_sets_every_deadline(new_case, people):
    DeadlinePolicy.objects.all().delete()
    case = new_case(now=at(2026, 11, 2, 9))
    assert case.deadline_rule["name"] == "default" and case.accept_due_at == at(2026, 11, 3, 23, 59, 59)


def test_a_rejected_case_cannot_be_reopened(new_case, people):
    case = s.reject_case(people.dispatcher, new_case(), reply="不属于受理范围")
    with pytest.raises(s.CaseError):
        s.reopen_case(people.supervisor, case, reason="重新看看")
    with pytest.raises(s.CaseError):
        s.reopen_case(None, case, reason="没解决", by_reporter=True)


# A calendar-day extension of an ordinary case is a period too: it ends on a working day. The
# handling time is 10 calendar days from acceptance; the expected days are typed in from the
# State Council's notice for 2026 and 《全国年节及纪念日放假办法》 for 2027.
@pytest.mark.parametrize("accepted_on, handle_ends, days, moved_to, estimated", [
    # 28 Sept + 7 = 5 October, in the National Day holiday: Thursday 8 October.
    (date(2026, 9, 18), date(2026, 9, 28), 7, date(2026, 10, 8), False),
    # 11 Feb + 4 = 15 February, in the Spring Festival holiday: Tuesday 24 February.
    (date(2026, 2, 1), date(2026, 2, 11), 4, date(2026, 2, 24), False),
    # 12 Nov + 16 = Saturday 28 November: Monday 30 November.
    (date(2026, 11, 2), date(2026, 11, 12), 16, date(2026, 11, 30), False),
    # 30 Sept + 10 = Saturday 10 October, a make-up working day: not moved.
    (date(2026, 9, 20), date(2026, 9, 30), 10, date(2026, 10, 10), False),
    # 21 Dec + 11 = Friday 1 January 2027, then the weekend: Monday 4 January, an estimate.
    # (10 days from 10 December end on Sunday 20 December, moved to Monday 21.)
    (date(2026, 12, 10), date(2026, 12, 21), 11, date(2027, 1, 4), True),
])
def test_a_calendar_day_extension_ends_on_a_working_day(new_case, people, county, accepted_on, handle_ends, days,
                                                        moved_to, estimated):
    policy("日历日", kind="suggestion", handle_amount=10, handle_unit="calendar_days")
    moment = at(accepted_on.year, accepted_on.month, accepted_on.day, 9)
    case = s.accept_case(people.dispatcher, new_case(kind="suggestion", now=moment), now=moment)
    assert case.handle_due_at.date() == handle_ends
    case = s.dispatch_case(people.dispatcher, case, office_code="gc", now=moment)
    case = s.start_case(people.handler, case, now=moment)
    request = s.request_extension(people.handler, case, amount=days, unit="calendar_days", reason="需要协调",
                                  now=moment)
    case = s.approve_extension(people.supervisor, case, request_id=request.pk, now=moment)
    assert case.handle_due_at == at(moved_to.year, moved_to.month, moved_to.day, 23, 59, 59)
    assert case.deadline_estimated is estimated


def test_a_calendar_day_extension_ending_on_the_eve_of_the_2027_spring_festival_is_estimated(new_case, people,
                                                                                              county):
    policy("日历日", kind="suggestion", handle_amount=10, handle_unit="calendar_days")
    moment = at(2026, 12, 10, 9)
    case = s.accept_case(people.dispatcher, new_case(kind="suggestion", now=moment), now=moment)
    case = s.dispatch_case(people.dispatcher, case, office_code="gc", now=moment)
    case = s.start_case(people.handler, case, now=moment)
    # 21 Dec + 46 = 除夕, 5 February 2027; the statutory holidays run to 8 February.
    request = s.request_extension(people.handler, case, amount=46, unit="calendar_days", reason="需要协调", now=moment)
    case = s.approve_extension(people.supervisor, case, request_id=request.pk, now=moment)
    assert case.deadline_estimated and case.handle_due_at.date() >= date(2027, 2, 9)
