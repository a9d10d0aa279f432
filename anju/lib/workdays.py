"""Deadline arithmetic on the Chinese working-day calendar.

Whether a day is a working day, from the most authoritative source that covers it:

1. an administrator's override (a State Council notice entered by hand, a local day);
2. the ``chinesecalendar`` package: the holidays and make-up working days of every year the
   State Council has announced;
3. for a year neither covers, the statutory holidays of 《全国年节及纪念日放假办法》 (New Year,
   the Spring Festival from 除夕, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day)
   as the ``holidays`` package computes them from the lunar calendar, with the extra days off it
   guesses ("observed") counted as rest days too, and Monday to Friday otherwise. Such a day is
   an estimate until the year's notice is entered: the make-up arrangement (调休) is announced
   late. A year whose notice an administrator entered (``notice_years``: its extra days off and
   make-up working days as overrides) is counted from the overrides, the statutory holidays and
   Monday to Friday, and is no estimate.

Periods, as the law counts them (民法典 Art. 201 and 203; 民事诉讼法 Art. 85, which the
Administrative Litigation Law Art. 101 and the Administrative Reconsideration Law Art. 88
adopt): the day of the event is not counted; N calendar days end at the end (23:59:59 local
time) of the Nth day after it or, when that day is a statutory holiday or a rest day (a weekend
that is no make-up working day), at the end of the first working day after it. N working days
end at the end of the Nth working day after the event's date; N hours are N clock hours.

Every deadline carries whether a day it was counted over is an estimate, and the steps it was
counted by (``basis``), so that it can be counted again when the calendar changes (``count``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar
import holidays

LOCAL = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)

WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
HOURS = "hours"
SHIFT = "shift"
# A deadline search never walks further than this; a calendar with no working day in ten
# years is a data error, not a deadline.
_MAX_DAYS = 3660

# Where a year's working days come from (``Calendar.coverage``).
OFFICIAL = "official"      # the State Council's notice, as chinesecalendar has it
NOTICE = "notice"          # the State Council's notice, entered by an administrator as overrides
STATUTORY = "statutory"    # the statutory holidays only: an estimate


@dataclass(frozen=True)
class Deadline:
    at: datetime
    # True when a day it was counted over is covered by no official notice and no override.
    estimated: bool
    # How it was counted: {"from": ISO moment, "steps": [[amount, unit], ...]} (see ``count``).
    basis: dict = field(default_factory=dict, compare=False)


@cache
def _days_off(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The statutory holidays of ``year`` (《全国年节及纪念日放假办法》) and the extra days off the
    ``holidays`` package guesses the State Council will add ("observed")."""
    statutory, guessed = set(), set()
    for day, name in holidays.China(years=[year]).items():
        (guessed if "observed" in name.lower() else statutory).add(day)
    return frozenset(statutory), frozenset(guessed - statutory)


@cache
def _official(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 30))
    except NotImplementedError:
        return False
    return True


class Calendar:
    """Working days with administrator overrides on top of the official schedule."""

    def __init__(self, overrides: Mapping[date, bool] | None = None, notice_years: Iterable[int] = ()):
        self.overrides = dict(overrides or {})
        self.notice_years = frozenset(notice_years)

    def coverage(self, year: int) -> str:
        """``OFFICIAL``, ``NOTICE`` or ``STATUTORY`` (estimates): what ``year`` is counted from."""
        if _official(year):
            return OFFICIAL
        return NOTICE if year in self.notice_years else STATUTORY

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is it a working day, is that an estimate)."""
        if day in self.overrides:
            return self.overrides[day], False
        coverage = self.coverage(day.year)
        if coverage == OFFICIAL:
            return chinese_calendar.is_workday(day), False
        statutory, guessed = _days_off(day.year)
        if coverage == NOTICE:
            return day.weekday() < 5 and day not in statutory, False
        return day.weekday() < 5 and day not in statutory and day not in guessed, True

    def add(self, start: datetime, amount: int, unit: str) -> Deadline:
        """The deadline ``amount`` units after ``start`` (an aware datetime)."""
        if amount < 0:
            raise ValueError("amount must not be negative")
        basis = {"from": start.isoformat(), "steps": [[amount, unit]]}
        if unit == HOURS:
            return Deadline(start + timedelta(hours=amount), False, basis)
        local = start.astimezone(LOCAL).date()
        if unit == CALENDAR_DAYS:
            day, estimated = self.period_end(local, amount)
            return Deadline(end_of_day(day), estimated, basis)
        if unit == WORKING_DAYS:
            day, estimated = self._add_working_days(local, amount)
            return Deadline(end_of_day(day), estimated, basis)
        raise ValueError(f"unknown clock unit {unit!r}")

    def then(self, deadline: Deadline, amount: int, unit: str) -> Deadline:
        """``deadline`` moved on by ``amount`` units (an extension), counted from its own end."""
        moved = self.add(deadline.at, amount, unit)
        return Deadline(moved.at, deadline.estimated or moved.estimated, _step(deadline, [amount, unit]))

    def period_end(self, day: date, days: int) -> tuple[date, bool]:
        """The last day of a period of ``days`` calendar days after ``day`` (not counted): the
        ``days``-th day, or the first working day after it when it is a holiday or a rest day;
        and whether that is an estimate. A period of 0 days ends on ``day`` itself."""
        if days == 0:
            return day, False
        return self.working_day_on_or_after(day + timedelta(days=days))

    def _add_working_days(self, day: date, amount: int) -> tuple[date, bool]:
        estimated = False
        if amount == 0:
            return day, False
        counted = 0
        for _ in range(_MAX_DAYS):
            day += timedelta(days=1)
            workday, guess = self.is_workday(day)
            estimated = estimated or guess
            if workday:
                counted += 1
                if counted == amount:
                    return day, estimated
        raise ValueError("no working day found within ten years; check the calendar overrides")

    def working_day_on_or_after(self, day: date) -> tuple[date, bool]:
        """``day`` itself if it is a working day, else the first working day after it: where a
        period ends when its last day is a weekend or a holiday; and whether a day looked at is
        an estimate."""
        estimated = False
        for _ in range(_MAX_DAYS):
            workday, guess = self.is_workday(day)
            estimated = estimated or guess
            if workday:
                return day, estimated
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

    def shift(self, due: Deadline, paused_at: datetime, resumed_at: datetime, unit: str) -> Deadline:
        """Move ``due`` on by the time the clock was paused, measured in ``unit``: for
        working days, the working days that passed during the pause."""
        step = [SHIFT, paused_at.isoformat(), resumed_at.isoformat(), unit]
        if unit == WORKING_DAYS:
            days = self.working_days_between(paused_at, resumed_at)
            if days == 0:
                return Deadline(due.at, due.estimated, _step(due, step))
            day, estimated = self._add_working_days(due.at.astimezone(LOCAL).date(), days)
            return Deadline(end_of_day(day), due.estimated or estimated, _step(due, step))
        return Deadline(due.at + (resumed_at - paused_at), due.estimated, _step(due, step))

    def count(self, basis: dict) -> Deadline:
        """Count a deadline again from its ``basis`` (after the calendar changed)."""
        steps = basis.get("steps") or []
        start = datetime.fromisoformat(basis["from"])
        deadline = Deadline(start, False, {"from": basis["from"], "steps": []})
        for index, step in enumerate(steps):
            if step[0] == SHIFT:
                deadline = self.shift(deadline, datetime.fromisoformat(step[1]), datetime.fromisoformat(step[2]),
                                      step[3])
            elif index == 0:
                deadline = self.add(start, step[0], step[1])
            else:
                deadline = self.then(deadline, step[0], step[1])
        return deadline

    def remaining_working_days(self, now: datetime, due: datetime) -> int:
        """Working days left from ``now`` until ``due`` (0 on the due day itself)."""
        return self.working_days_between(now, due)


def _step(deadline: Deadline, step: list) -> dict:
    basis = deadline.basis or {"from": deadline.at.isoformat(), "steps": []}
    return {"from": basis["from"], "steps": [*basis.get("steps", []), step]}


def known(at: datetime) -> Deadline:
    """A deadline fixed by hand or by an earlier rule, with nothing to count again."""
    return Deadline(at, False, {"from": at.isoformat(), "steps": []})


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
