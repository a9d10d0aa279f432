"""Deadline policies on cases: most specific wins, snapshots, overrides, estimates."""

from datetime import date

import pytest

from anju.cases import services as s
from anju.cases.deadlines import policy_for
from anju.cases.models import CalendarOverride, DeadlinePolicy
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
    assert case.handle_due_at == at(2027, 2, 15, 23, 59, 59)
    assert case.deadline_estimated is True


def test_calendar_overrides_fill_the_missing_year(new_case, people, county):
    policy("建议", kind="suggestion", handle_amount=60)
    # The 2027 Spring Festival, entered by an administrator before the package covers 2027.
    for day in range(6, 13):
        CalendarOverride.objects.create(date=date(2027, 2, day), is_workday=False, note="春节")
    case = new_case(kind="suggestion", now=at(2026, 11, 23, 9))
    case = s.accept_case(people.dispatcher, case, now=at(2026, 11, 23, 10))
    # Five weekdays of 8–12 Feb are off, so the deadline moves five working days on.
    assert case.handle_due_at == at(2027, 2, 22, 23, 59, 59)


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
