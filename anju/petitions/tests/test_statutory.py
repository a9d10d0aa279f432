"""The statutory deadlines of the 2022 信访工作条例 at fixed moments, on the official calendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from anju.lib.workdays import Calendar
from anju.petitions import statutory as law

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


CALENDAR = Calendar()


def test_it_gives_the_petition_office_fifteen_days_to_route_from_the_day_after_receipt():
    assert law.body_deadline(at(2026, 11, 2, 16), law.ROUTE, CALENDAR) == at(2026, 11, 17, 23, 59, 59)


def test_it_ends_a_bodys_time_limit_on_its_last_day_even_in_a_holiday():
    # Received 16 September: the 15th day is 1 October, National Day. The body does not gain days.
    assert law.body_deadline(at(2026, 9, 16, 10), law.ACCEPTANCE_NOTICE, CALENDAR) == at(2026, 10, 1, 23, 59, 59)


def test_it_counts_the_objection_in_working_days_across_the_national_day_holiday():
    # Referral received Tuesday 29 September 2026. Working days after it: 30 Sept, 8 Oct, 9 Oct,
    # Saturday 10 Oct (a make-up working day) and Monday 12 Oct; 1–7 Oct are the holiday.
    assert law.body_deadline(at(2026, 9, 29, 15), law.OBJECTION, CALENDAR) == at(2026, 10, 12, 23, 59, 59)


def test_it_follows_the_administrators_calendar_for_the_objection():
    corrected = Calendar({date(2026, 10, 12): False})
    assert law.body_deadline(at(2026, 9, 29, 15), law.OBJECTION, corrected) == at(2026, 10, 13, 23, 59, 59)


def test_it_answers_within_sixty_days_of_acceptance_and_thirty_more_when_extended():
    accepted = at(2026, 3, 2, 9)
    assert law.handling_deadline(accepted, CALENDAR) == at(2026, 5, 1, 23, 59, 59)
    assert law.handling_deadline(accepted, CALENDAR, extension_days=30) == at(2026, 5, 31, 23, 59, 59)


def test_it_refuses_an_extension_beyond_thirty_days_citing_the_article():
    with pytest.raises(ValueError, match="第三十四条"):
        law.handling_deadline(at(2026, 3, 2, 9), CALENDAR, extension_days=31)


@pytest.mark.parametrize("received, last_day", [
    (date(2026, 11, 2), date(2026, 12, 2)),   # a Wednesday: 30 days exactly
    (date(2026, 11, 7), date(2026, 12, 7)),   # the 30th day is a Monday
    (date(2026, 11, 6), date(2026, 12, 7)),   # the 30th day is a Sunday: the Monday after
    (date(2026, 9, 2), date(2026, 10, 8)),    # the 30th day falls in the National Day holiday
])
def test_it_gives_the_petitioner_thirty_days_to_ask_for_review_moved_past_holidays(received, last_day):
    assert law.petitioner_window_end(received, law.REVIEW_REQUEST, CALENDAR) == last_day


def test_it_refuses_a_review_request_after_the_window_and_before_the_answer():
    received = date(2026, 11, 2)
    assert law.within_window(date(2026, 12, 2), received, law.REVIEW_REQUEST, CALENDAR)
    assert not law.within_window(date(2026, 12, 3), received, law.REVIEW_REQUEST, CALENDAR)
    assert not law.within_window(date(2026, 11, 1), received, law.REVIEW_REQUEST, CALENDAR)


def test_it_stops_the_reexamination_clock_for_hearing_days():
    requested = at(2026, 11, 2, 10)
    assert law.reexamination_deadline(requested, CALENDAR) == at(2026, 12, 2, 23, 59, 59)
    # A hearing on 10–11 November and an overlapping one on 11–12 November: three days.
    hearings = [(date(2026, 11, 10), date(2026, 11, 11)), (date(2026, 11, 11), date(2026, 11, 12))]
    assert law.hearing_days(hearings) == 3
    assert law.reexamination_deadline(requested, CALENDAR, hearings) == at(2026, 12, 5, 23, 59, 59)


def test_it_refuses_a_hearing_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        law.hearing_days([(date(2026, 11, 12), date(2026, 11, 10))])
