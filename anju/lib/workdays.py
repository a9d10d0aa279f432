"""Deadline arithmetic on the Chinese working-day calendar.

A day is a working day if an override says so; otherwise as the ``chinesecalendar``
package says (holidays and make-up working days announced by the State Council);
otherwise, for years the package does not cover yet, Monday to Friday, and the answer is
marked as an estimate so that callers can warn that the official schedule is missing.

Conventions: N working days after a moment end at the end (23:59:59 local time) of the
Nth working day after that moment's date; N calendar days end at the end of the Nth day;
N hours are N clock hours.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

LOCAL = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
HOURS = "hours"
# A deadline search never walks further than this; a calendar with no working day in ten
# years is a data error, not a deadline.
_MAX_DAYS = 3660


@dataclass(frozen=True)
class Deadline:
    at: datetime
    # True when a day on the way was guessed from weekends alone.
    estimated: bool


class Calendar:
    """Working days with administrator overrides on top of the official schedule."""

    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self.overrides = dict(overrides or {})

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is it a working day, is that an estimate)."""
        if day in self.overrides:
            return self.overrides[day], False
        try:
            return chinese_calendar.is_workday(day), False
        except NotImplementedError:
            return day.weekday() < 5, True

    def add(self, start: datetime, amount: int, unit: str) -> Deadline:
        """The deadline ``amount`` units after ``start`` (an aware datetime)."""
        if amount < 0:
            raise ValueError("amount must not be negative")
        if unit == HOURS:
            return Deadline(start + timedelta(hours=amount), False)
        local = start.astimezone(LOCAL).date()
        if unit == CALENDAR_DAYS:
            return Deadline(end_of_day(local + timedelta(days=amount)), False)
        if unit == WORKING_DAYS:
            return self._add_working_days(local, amount)
        raise ValueError(f"unknown clock unit {unit!r}")

    def _add_working_days(self, day: date, amount: int) -> Deadline:
        estimated = False
        if amount == 0:
            return Deadline(end_of_day(day), False)
        counted = 0
        for _ in range(_MAX_DAYS):
            day += timedelta(days=1)
            workday, guess = self.is_workday(day)
            estimated = estimated or guess
            if workday:
                counted += 1
                if counted == amount:
                    return Deadline(end_of_day(day), estimated)
        raise ValueError("no working day found within ten years; check the calendar overrides")

    def working_day_on_or_after(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it: where a
        period of Chinese procedure ends when its last day is a weekend or a holiday."""
        for _ in range(_MAX_DAYS):
            if self.is_workday(day)[0]:
                return day
            day += timedelta(days=1)
        raise ValueError("no working day found within ten years; check the calendar overrides")

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days whose date lies after ``start``'s date, up to and including ``end``'s."""
        first = start.astimezone(LOCAL).date()
        last = end.astimezone(LOCAL).date()
        count = 0
        day = first
        while day < last:
            day += timedelta(days=1)
            if self.is_workday(day)[0]:
                count += 1
        return count

    def shift(self, due: datetime, paused_at: datetime, resumed_at: datetime, unit: str) -> Deadline:
        """Move ``due`` on by the time the clock was paused, measured in ``unit``: for
        working days, the working days that passed during the pause."""
        if unit == WORKING_DAYS:
            days = self.working_days_between(paused_at, resumed_at)
            if days == 0:
                return Deadline(due, False)
            return self._add_working_days(due.astimezone(LOCAL).date(), days)
        return Deadline(due + (resumed_at - paused_at), False)

    def remaining_working_days(self, now: datetime, due: datetime) -> int:
        """Working days left from ``now`` until ``due`` (0 on the due day itself)."""
        return self.working_days_between(now, due)


def end_of_day(day: date) -> datetime:
    """23:59:59 of ``day`` in Asia/Shanghai: where a period counted in days ends."""
    return datetime.combine(day, END_OF_DAY, tzinfo=LOCAL)


def start_of_day(day: date) -> datetime:
    """00:00 of ``day`` in Asia/Shanghai."""
    return datetime.combine(day, time.min, tzinfo=LOCAL)


def local_date(moment: datetime) -> date:
    """The day ``moment`` falls on in Asia/Shanghai."""
    return moment.astimezone(LOCAL).date()


def covered_until() -> int:
    """The last year the holiday package knows."""
    return max(chinese_calendar.holidays).year
