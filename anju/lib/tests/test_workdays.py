"""Deadline arithmetic on the Chinese calendar, with frozen, explicit moments."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anju.lib.workdays import Calendar, covered_until, known

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


def test_it_skips_the_national_day_holiday_and_counts_the_make_up_saturday():
    # 2026: 1–7 October off; Saturday 10 October is a make-up working day.
    deadline = Calendar().add(at(2026, 9, 30, 10), 3, "working_days")
    # Working days after 30 Sept: 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Sat, make-up).
    assert deadline.at == at(2026, 10, 10, 23, 59, 59)
    assert not deadline.estimated


def test_it_counts_the_make_up_sunday_before_the_holiday():
    # Sunday 20 September 2026 is a make-up working day.
    assert Calendar().add(at(2026, 9, 19, 12), 1, "working_days").at == at(2026, 9, 20, 23, 59, 59)


def test_it_estimates_from_the_statutory_holidays_beyond_the_years_the_package_covers():
    assert covered_until() == 2026
    # 60 working days from Monday 23 November 2026 reach into 2027, which the package lacks.
    deadline = Calendar().add(at(2026, 11, 23, 9), 60, "working_days")
    assert deadline.estimated
    # 28 working days left in 2026 (24 Nov – 31 Dec, 2026 schedule), then 32 in 2027. The
    # statutory holidays of 2027 (全国年节及纪念日放假办法): 1 Jan (Fri), 除夕 5 Feb and 6–8 Feb; the
    # holiday package also guesses 9 and 10 Feb off. Weekdays 4–29 Jan give 20, 1–4 Feb 4, then
    # 11–12 Feb, 15–19 Feb and 22 Feb.
    assert deadline.at == at(2027, 2, 22, 23, 59, 59)
    # With the 2027 notice recorded (and no override), only the statutory holidays are days off:
    # 9 and 10 Feb count, and nothing is an estimate.
    noticed = Calendar(notice_years=[2027]).add(at(2026, 11, 23, 9), 60, "working_days")
    assert (noticed.at, noticed.estimated) == (at(2027, 2, 18, 23, 59, 59), False)


def test_overrides_win_over_the_package_and_the_statutory_holidays():
    spring_festival = {date(2027, 2, d): False for d in range(9, 13)}  # 9–12 Feb 2027 off
    spring_festival[date(2027, 2, 20)] = True  # a make-up Saturday
    calendar = Calendar(spring_festival, notice_years=[2027])
    deadline = calendar.add(at(2027, 2, 3, 9), 3, "working_days")
    # Working days after 3 Feb: 4 Feb (Thu); 除夕 5 Feb to 8 Feb are statutory holidays, 9–12 Feb
    # off by the overrides; then 15 Feb (Mon), 16 Feb (Tue).
    assert (deadline.at, deadline.estimated) == (at(2027, 2, 16, 23, 59, 59), False)
    assert calendar.add(at(2027, 2, 18, 9), 2, "working_days").at == at(2027, 2, 20, 23, 59, 59)
    # An override also wins over the package inside covered years.
    moved = Calendar({date(2026, 12, 1): False}).add(at(2026, 11, 30, 9), 1, "working_days")
    assert moved.at == at(2026, 12, 2, 23, 59, 59)


def test_hours_run_around_the_clock_and_calendar_days_end_on_a_working_day():
    assert Calendar().add(at(2026, 10, 1, 22), 4, "hours").at == at(2026, 10, 2, 2)
    # 2 days from Monday 2 November 2026 end on Wednesday 4 November.
    assert Calendar().add(at(2026, 11, 2, 22), 2, "calendar_days").at == at(2026, 11, 4, 23, 59, 59)
    # 2 days from 1 October end on 3 October, in the National Day holiday (1–7 October 2026):
    # the period ends on the first working day after it, Thursday 8 October.
    assert Calendar().add(at(2026, 10, 1, 22), 2, "calendar_days").at == at(2026, 10, 8, 23, 59, 59)


def test_a_pause_moves_the_deadline_by_the_working_days_that_passed():
    calendar = Calendar()
    due = known(at(2026, 10, 12, 23, 59, 59))
    # Paused Wed 30 Sept, resumed Fri 9 Oct: working days 8 and 9 Oct passed.
    shifted = calendar.shift(due, at(2026, 9, 30, 10), at(2026, 10, 9, 10), "working_days")
    assert shifted.at == at(2026, 10, 14, 23, 59, 59)
    hours = calendar.shift(known(at(2026, 10, 1, 12)), at(2026, 10, 1, 8), at(2026, 10, 1, 10), "hours")
    assert hours.at == at(2026, 10, 1, 14)


def test_a_deadline_is_counted_again_from_its_basis_on_a_changed_calendar():
    first = Calendar()
    deadline = first.then(first.add(at(2026, 12, 7, 9), 60, "calendar_days"), 10, "calendar_days")
    # 60 days from 7 Dec 2026 end on 除夕 5 Feb 2027: moved past the Spring Festival to the
    # first day the estimate has as a working day (11 Feb); 10 more days end on Sunday 21 Feb,
    # moved to Monday 22 Feb.
    assert (deadline.at, deadline.estimated) == (at(2027, 2, 22, 23, 59, 59), True)
    assert first.count(deadline.basis) == deadline
    # The 2027 notice entered: 9 and 10 Feb are working days after all (no override), so the 60
    # days end on 9 Feb and the 10 more on Friday 19 Feb.
    again = Calendar(notice_years=[2027]).count(deadline.basis)
    assert (again.at, again.estimated) == (at(2027, 2, 19, 23, 59, 59), False)


def test_it_refuses_negative_amounts_and_unknown_units():
    with pytest.raises(ValueError):
        Calendar().add(at(2026, 1, 5, 9), -1, "working_days")
    with pytest.raises(ValueError):
        Calendar().add(at(2026, 1, 5, 9), 1, "fortnights")


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=80))
def test_a_working_day_deadline_always_lands_on_a_working_day_after_the_start(start, amount):
    calendar = Calendar()
    deadline = calendar.add(datetime(start.year, start.month, start.day, 9, tzinfo=SH), amount, "working_days")
    day = deadline.at.date()
    assert day > start
    assert calendar.is_workday(day)[0]
    assert calendar.working_days_between(datetime(start.year, start.month, start.day, 9, tzinfo=SH),
                                         deadline.at) == amount


def test_it_finds_the_first_working_day_on_or_after_a_day():
    calendar = Calendar()
    assert calendar.working_day_on_or_after(date(2026, 10, 2)) == (date(2026, 10, 8), False)
    assert calendar.working_day_on_or_after(date(2026, 10, 10)) == (date(2026, 10, 10), False)  # a make-up Saturday
    assert calendar.working_day_on_or_after(date(2026, 12, 5)) == (date(2026, 12, 7), False)
    # 1 Jan 2027 (New Year, a Friday) and the weekend after it: an estimate.
    assert calendar.working_day_on_or_after(date(2027, 1, 1)) == (date(2027, 1, 4), True)
