"""Periods of whole days in Asia/Shanghai, as the module statistics count them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Q

from anju.lib.periods import between, months_of, period_bounds

SH = ZoneInfo("Asia/Shanghai")


def test_it_runs_from_the_first_day_midnight_to_the_midnight_after_the_last_day_in_shanghai_time():
    assert period_bounds(date(2026, 2, 1), date(2026, 2, 28)) == (datetime(2026, 2, 1, tzinfo=SH),
                                                                   datetime(2026, 3, 1, tzinfo=SH))


def test_a_period_of_one_day_runs_for_that_day():
    since, until = period_bounds(date(2026, 12, 31), date(2026, 12, 31))
    assert (since, until) == (datetime(2026, 12, 31, tzinfo=SH), datetime(2027, 1, 1, tzinfo=SH))


def test_it_includes_the_start_and_leaves_out_the_end():
    since, until = datetime(2026, 1, 1, tzinfo=SH), datetime(2026, 2, 1, tzinfo=SH)
    assert between("submitted_at", since, until) == Q(submitted_at__gte=since, submitted_at__lt=until)


def test_it_lists_every_month_of_a_period_across_a_new_year():
    assert months_of(date(2025, 11, 30), date(2026, 2, 1)) == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]


def test_a_period_within_one_month_has_that_month():
    assert months_of(date(2026, 3, 5), date(2026, 3, 9)) == [(2026, 3)]
