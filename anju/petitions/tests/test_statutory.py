"""The statutory deadlines of the 2022 信访工作条例 at fixed moments, counted as the law counts
periods (民法典 Art. 201, 203; 民事诉讼法 Art. 85): the day of the event is not counted, and a
period whose last day is a statutory holiday or a rest day ends on the first working day after
it. Every expected date below is typed in from the facts, not computed by the calendar
libraries the code uses:

- the State Council's notice for 2026 (国办发明电〔2025〕7号): Spring Festival 15–23 February off,
  Saturdays 14 and 28 February working; National Day 1–7 October off, Sunday 20 September and
  Saturday 10 October working;
- 《全国年节及纪念日放假办法》 for 2027, whose arrangement is not announced yet: New Year's Day
  1 January (a Friday), the Spring Festival 除夕 5 February to 初三 8 February; weekends are rest
  days. Deadlines over 2027 are estimates.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from anju.lib.workdays import Calendar
from anju.petitions import statutory as law

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


CALENDAR = Calendar()
END = (23, 59, 59)

# (the last day as counted, the day the period ends): each a fact of the notices above.
NATIONAL_DAY_2026 = (date(2026, 10, 5), date(2026, 10, 8))      # in the holiday: Thursday 8 October
SPRING_FESTIVAL_2026 = (date(2026, 2, 15), date(2026, 2, 24))   # in the holiday: Tuesday 24 February
WEEKEND = (date(2026, 11, 28), date(2026, 11, 30))              # a Saturday: the Monday after
MAKE_UP_SATURDAY = (date(2026, 10, 10), date(2026, 10, 10))     # a working day: not moved
NEW_YEAR_2027 = (date(2027, 1, 1), date(2027, 1, 4))            # Friday, then the weekend: Monday 4 January
LANDINGS_2026 = [NATIONAL_DAY_2026, SPRING_FESTIVAL_2026, WEEKEND, MAKE_UP_SATURDAY]
# 除夕 2027: the statutory holidays end on 8 February; the first working day after them is
# 9 February at the earliest (the State Council's arrangement may add days off: an estimate).
EVE_2027 = date(2027, 2, 5)
FIRST_AFTER_SPRING_FESTIVAL_2027 = date(2027, 2, 9)

BODIES_LIMITS = [
    ("route (第二十二条)", law.ROUTE, 0),
    ("tell whether accepted (第二十三条)", law.ACCEPTANCE_NOTICE, 0),
    ("answer (第三十四条)", law.HANDLING, 0),
    ("answer with the longest extension (第三十四条)", law.HANDLING, 30),
    ("answer a review (第三十五条)", law.REVIEW_ANSWER, 0),
    ("answer a re-examination (第三十六条)", law.REEXAMINATION_ANSWER, 0),
]


def _start(last_day: date, days: int) -> datetime:
    """The moment of the event whose period of ``days`` has ``last_day`` as its last day."""
    return datetime.combine(last_day - timedelta(days=days), datetime.min.time(), tzinfo=SH).replace(hour=10)


@pytest.mark.parametrize("name, rule, extra", BODIES_LIMITS, ids=[b[0] for b in BODIES_LIMITS])
@pytest.mark.parametrize("last_day, ends_on", [*LANDINGS_2026, NEW_YEAR_2027],
                         ids=["national-day", "spring-festival", "weekend", "make-up-saturday", "new-year-2027"])
def test_a_bodys_time_limit_ends_on_a_working_day(name, rule, extra, last_day, ends_on):
    deadline = law.body_deadline(_start(last_day, rule.days + extra), rule, CALENDAR, extra_days=extra)
    assert deadline.at == datetime.combine(ends_on, datetime.min.time(), tzinfo=SH).replace(
        hour=23, minute=59, second=59)
    assert deadline.estimated == (ends_on.year == 2027)


@pytest.mark.parametrize("name, rule, extra", BODIES_LIMITS, ids=[b[0] for b in BODIES_LIMITS])
def test_a_bodys_time_limit_that_ends_on_the_eve_of_the_2027_spring_festival_is_moved_and_estimated(name, rule,
                                                                                                   extra):
    deadline = law.body_deadline(_start(EVE_2027, rule.days + extra), rule, CALENDAR, extra_days=extra)
    assert deadline.estimated
    assert deadline.at.date() >= FIRST_AFTER_SPRING_FESTIVAL_2027
    # Once the 2027 notice is recorded with no extra day off, the period ends on 9 February.
    noticed = law.body_deadline(_start(EVE_2027, rule.days + extra), rule, Calendar(notice_years=[2027]),
                                extra_days=extra)
    assert (noticed.at.date(), noticed.estimated) == (FIRST_AFTER_SPRING_FESTIVAL_2027, False)


def test_the_issues_examples():
    # Received 2026-09-20: the 15th day is 5 October (National Day); 2026-11-13: Saturday 28
    # November; 2026-01-31: 15 February (Spring Festival).
    assert law.body_deadline(at(2026, 9, 20, 9), law.ROUTE, CALENDAR).at == at(2026, 10, 8, *END)
    assert law.body_deadline(at(2026, 11, 13, 9), law.ROUTE, CALENDAR).at == at(2026, 11, 30, *END)
    assert law.body_deadline(at(2026, 1, 31, 9), law.ROUTE, CALENDAR).at == at(2026, 2, 24, *END)
    # Accepted 2026-12-07: the 60th day is 除夕 2027.
    answer = law.handling_deadline(at(2026, 12, 7, 9), CALENDAR)
    assert answer.estimated and answer.at.date() >= FIRST_AFTER_SPRING_FESTIVAL_2027


def test_it_counts_the_objection_in_working_days_across_the_national_day_holiday():
    # Referral received Tuesday 29 September 2026. Working days after it: 30 Sept, 8 Oct, 9 Oct,
    # Saturday 10 Oct (a make-up working day) and Monday 12 Oct; 1–7 Oct are the holiday.
    assert law.body_deadline(at(2026, 9, 29, 15), law.OBJECTION, CALENDAR).at == at(2026, 10, 12, *END)


def test_it_counts_the_objection_across_the_spring_festival_with_its_make_up_saturday():
    # Referral received Thursday 12 February 2026: 13 Feb, Saturday 14 Feb (make-up), then after
    # the holiday 24, 25 and 26 Feb.
    assert law.body_deadline(at(2026, 2, 12, 15), law.OBJECTION, CALENDAR).at == at(2026, 2, 26, *END)


def test_it_follows_the_administrators_calendar_for_the_objection():
    corrected = Calendar({date(2026, 10, 12): False})
    assert law.body_deadline(at(2026, 9, 29, 15), law.OBJECTION, corrected).at == at(2026, 10, 13, *END)


def test_it_refuses_an_extension_beyond_thirty_days_citing_the_article():
    with pytest.raises(ValueError, match="第三十四条"):
        law.handling_deadline(at(2026, 3, 2, 9), CALENDAR, extension_days=31)


WINDOWS = [("review (第三十五条)", law.REVIEW_REQUEST), ("re-examination (第三十六条)", law.REEXAMINATION_REQUEST)]


@pytest.mark.parametrize("name, rule", WINDOWS, ids=[w[0] for w in WINDOWS])
@pytest.mark.parametrize("last_day, ends_on", [*LANDINGS_2026, NEW_YEAR_2027],
                         ids=["national-day", "spring-festival", "weekend", "make-up-saturday", "new-year-2027"])
def test_the_petitioners_window_ends_on_a_working_day(name, rule, last_day, ends_on):
    received = last_day - timedelta(days=rule.days)
    assert law.petitioner_window(received, rule, CALENDAR) == (ends_on, ends_on.year == 2027)


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
    assert law.reexamination_deadline(requested, CALENDAR).at == at(2026, 12, 2, *END)
    # A hearing on 10–11 November and an overlapping one on 11–12 November: three days, so the
    # 33rd day, Saturday 5 December, which moves to Monday 7 December.
    hearings = [(date(2026, 11, 10), date(2026, 11, 11)), (date(2026, 11, 11), date(2026, 11, 12))]
    assert law.hearing_days(hearings) == 3
    assert law.reexamination_deadline(requested, CALENDAR, hearings).at == at(2026, 12, 7, *END)


def test_it_refuses_a_hearing_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        law.hearing_days([(date(2026, 11, 12), date(2026, 11, 10))])
