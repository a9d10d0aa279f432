"""A roster planned ahead across the National Day holiday (2026-10-01..07, with the make-up
working days 2026-09-20 and 2026-10-10 of the State Council's notice), a swap asked for and
approved (the roster shows who takes the post), a swap refused (nothing changes), and the month
marked on the Chinese calendar."""

from datetime import date, timedelta

import pytest

from anju.conftest import at
from anju.duty import queries, services
from anju.duty.choices import DayKind, DutyPost, ShiftKind, SwapStatus
from anju.duty.models import Shift, Swap
from anju.lib.errors import ServiceError

PLANNED_AT = at(2026, 9, 15, 10)


@pytest.fixture
def holiday_roster(duty, people):
    """The county emergency office's 24-hour shifts from 28 September to 11 October, planned on
    15 September by the county supervisor: two officers taking turns, two leaders taking turns."""
    day = date(2026, 9, 28)
    while day <= date(2026, 10, 11):
        odd = day.toordinal() % 2
        services.plan_shift(people.supervisor, services.NewShift(
            "yjb", day, ShiftKind.FULL_DAY, (duty.yj_officer if odd else duty.yj_officer2).username,
            (duty.yj_leader if odd else duty.yj_leader2).username), now=PLANNED_AT)
        day += timedelta(days=1)
    return duty


def test_it_marks_the_holiday_and_the_make_up_working_days(holiday_roster):
    october = queries.month_roster(holiday_roster.emergency, 2026, 10)
    kinds = {d.day: d.mark.kind for d in october.days}
    assert [d for d, k in kinds.items() if k == DayKind.HOLIDAY] == [date(2026, 10, n) for n in range(1, 8)]
    assert [d for d, k in kinds.items() if k == DayKind.MAKEUP] == [date(2026, 10, 10)]
    assert kinds[date(2026, 10, 11)] == DayKind.REST and kinds[date(2026, 10, 9)] == DayKind.WORKDAY
    assert {d.mark.holiday for d in october.holidays} == {"国庆节"}
    assert not october.estimated
    september = queries.day_marks(date(2026, 9, 1), date(2026, 9, 30))
    assert september[date(2026, 9, 20)].kind == DayKind.MAKEUP
    # The Mid-Autumn Festival (a Friday) takes its weekend with it.
    assert [d for d, m in september.items() if m.kind == DayKind.HOLIDAY] == [date(2026, 9, n) for n in (25, 26, 27)]


def test_it_marks_days_of_a_year_without_an_official_notice_as_estimates(db):
    marks = queries.day_marks(date(2031, 10, 1), date(2031, 10, 7))
    assert all(m.estimated for m in marks.values())
    assert marks[date(2031, 10, 1)].kind == DayKind.HOLIDAY


def test_the_roster_covers_every_day_planned_with_an_officer_and_a_leader(holiday_roster):
    october = queries.month_roster(holiday_roster.emergency, 2026, 10)
    assert [d.day.day for d in october.days if d.complete] == list(range(1, 12))
    assert october.complete_count == 11
    assert all(d.gaps for d in october.days if d.day.day > 11)
    # Monday first: 1 October 2026 is a Thursday.
    assert [d.day.day if d else None for d in october.weeks[0]] == [None, None, None, 1, 2, 3, 4]


def test_an_approved_swap_puts_the_new_person_on_the_roster(holiday_roster, people):
    d = holiday_roster
    shift = Shift.objects.get(office=d.emergency, day=date(2026, 10, 3))
    holder = shift.officer
    other = d.yj_officer2 if holder == d.yj_officer else d.yj_officer
    swap = services.request_swap(holder, shift, post=DutyPost.OFFICER, to_user=other.username,
                                 reason="家中有事", now=at(2026, 9, 20, 9))
    shift.refresh_from_db()
    assert swap.status == SwapStatus.REQUESTED and shift.officer == holder
    services.approve_swap(people.supervisor, swap, now=at(2026, 9, 21, 9))
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED and swap.decided_by == people.supervisor
    october = queries.month_roster(d.emergency, 2026, 10)
    cell = next(day for day in october.days if day.day == date(2026, 10, 3)).cells[0]
    assert cell.shift.officer == other
    with pytest.raises(ServiceError) as refused:
        services.refuse_swap(people.supervisor, swap, note="晚了", now=at(2026, 9, 21, 10))
    assert refused.value.status == 409


def test_a_refused_swap_changes_nothing(holiday_roster, people):
    d = holiday_roster
    shift = Shift.objects.get(office=d.emergency, day=date(2026, 10, 5))
    before = (shift.officer_id, shift.leader_id)
    swap = services.request_swap(people.supervisor, shift, post=DutyPost.LEADER,
                                 to_user=(d.yj_leader2 if shift.leader == d.yj_leader else d.yj_leader).username,
                                 reason="出差", now=at(2026, 9, 20, 9))
    with pytest.raises(ServiceError) as no_reason:
        services.refuse_swap(people.leader if shift.leader != people.leader else d.yj_leader2, swap, note=" ",
                             now=at(2026, 9, 21, 9))
    assert no_reason.value.field == "note"
    services.refuse_swap(people.dispatcher, swap, note="节日期间不换班", now=at(2026, 9, 21, 9))
    shift.refresh_from_db()
    assert (shift.officer_id, shift.leader_id) == before
    assert Swap.objects.get(pk=swap.pk).status == SwapStatus.REFUSED


def test_a_swap_is_not_decided_by_those_it_concerns(holiday_roster, people):
    d = holiday_roster
    shift = Shift.objects.get(office=d.emergency, day=date(2026, 10, 2))
    swap = services.request_swap(people.supervisor, shift, post=DutyPost.LEADER,
                                 to_user=(d.yj_leader2 if shift.leader == d.yj_leader else d.yj_leader).username,
                                 reason="出差", now=at(2026, 9, 20, 9))
    for who in (people.supervisor, swap.to_user, swap.from_user):
        with pytest.raises(ServiceError) as refused:
            services.approve_swap(who, swap, now=at(2026, 9, 21, 9))
        assert refused.value.status == 403
    with pytest.raises(ServiceError) as refused:
        services.approve_swap(people.handler, swap, now=at(2026, 9, 21, 9))
    assert refused.value.status == 403


def test_a_shift_that_is_over_is_not_changed_nor_swapped(holiday_roster, people):
    d = holiday_roster
    shift = Shift.objects.get(office=d.emergency, day=date(2026, 10, 1))
    after = at(2026, 10, 2, 9)
    with pytest.raises(ServiceError) as refused:
        services.change_shift(people.supervisor, shift, officer=d.yj_officer.username, now=after)
    assert refused.value.status == 409
    with pytest.raises(ServiceError) as refused:
        services.request_swap(shift.officer, shift, post=DutyPost.OFFICER, to_user=d.yj_officer2.username,
                              reason="x", now=after)
    assert refused.value.status == 409
    with pytest.raises(ServiceError) as refused:
        services.plan_shift(people.supervisor, services.NewShift("yjb", date(2026, 9, 1), ShiftKind.FULL_DAY,
                                                                 d.yj_officer.username), now=after)
    assert refused.value.field == "day"


def test_an_approval_after_the_roster_changed_is_refused(holiday_roster, people):
    d = holiday_roster
    shift = Shift.objects.get(office=d.emergency, day=date(2026, 10, 6))
    swap = services.request_swap(shift.officer, shift, post=DutyPost.OFFICER, to_user=people.handler.username,
                                 reason="培训", now=at(2026, 9, 20, 9))
    services.change_shift(people.supervisor, shift, officer=people.dispatcher.username,
                          leader=shift.leader.username, now=at(2026, 9, 20, 10))
    with pytest.raises(ServiceError) as refused:
        services.approve_swap(people.leader if shift.leader != people.leader else d.yj_leader2, swap,
                              now=at(2026, 9, 21, 9))
    assert refused.value.status == 409
    shift.refresh_from_db()
    assert shift.officer == people.dispatcher


def test_the_indicator_counts_the_days_covered_by_an_officer_and_a_leader(holiday_roster, county):
    from anju.cases import modules
    from anju.duty.stats import rosters_complete

    indicator = next(i for i in modules.indicators() if i.code == "duty_rosters_complete")
    assert indicator.compute is rosters_complete
    october = (date(2026, 10, 1), date(2026, 10, 31))
    assert rosters_complete(None, *october, office="yjb") == round(100 * 11 / 31, 1)
    # 葛城 keeps a roster with nothing planned: two offices, 11 of 62 office-days covered.
    assert rosters_complete(None, *october) == round(100 * 11 / 62, 1)
    assert rosters_complete(county.gecheng, *october) == 0
    assert rosters_complete(county.fuxing, *october) is None
    assert rosters_complete(None, at(2026, 10, 1), at(2026, 10, 2), office="yjb") == 100
