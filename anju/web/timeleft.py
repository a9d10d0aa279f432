"""Deadlines said in words: 剩余 2 个工作日 / 已超期 3 天.

A deadline counted in working days is told in working days, one counted in calendar days or hours in
calendar days or hours, so the words match the rule the office is held to.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anju.cases.choices import ClockUnit
from anju.cases.deadlines import calendar_for


@dataclass(frozen=True)
class TimeLeft:
    words: str
    overdue: bool
    due_soon: bool  # within a day, not yet overdue

    def __str__(self) -> str:
        return self.words


def _unit_of(case, stage: str) -> str:
    rule = case.deadline_rule or {}
    value = rule.get(stage)
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return value[1]
    return ClockUnit.WORKING_DAYS


def _hours_words(delta: timedelta, overdue: bool) -> str:
    hours = max(1, int(delta.total_seconds() // 3600))
    if overdue:
        return ngettext("Overdue by %(n)d hour", "Overdue by %(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d hour left", "%(n)d hours left", hours) % {"n": hours}


def time_left(due: datetime | None, *, unit: str = ClockUnit.WORKING_DAYS, now: datetime | None = None,
              paused: bool = False, calendar=None) -> TimeLeft | None:
    """How long until ``due``, or how long past it, in the deadline's own unit."""
    if paused:
        return TimeLeft(_("Clock paused while waiting for the reporter"), False, False)
    if due is None:
        return None
    now = now or timezone.now()
    if due < now:
        delta = now - due
        if delta < timedelta(days=1):
            return TimeLeft(_hours_words(delta, True), True, False)
        days = delta.days
        return TimeLeft(ngettext("Overdue by %(n)d day", "Overdue by %(n)d days", days) % {"n": days}, True, False)
    delta = due - now
    soon = delta <= timedelta(days=1)
    if delta < timedelta(days=1) and unit == ClockUnit.HOURS:
        return TimeLeft(_hours_words(delta, False), False, soon)
    if unit == ClockUnit.WORKING_DAYS:
        days = (calendar or calendar_for(now)).remaining_working_days(now, due)
        if days == 0:
            return TimeLeft(_("Due today"), False, True)
        return TimeLeft(
            ngettext("%(n)d working day left", "%(n)d working days left", days) % {"n": days}, False, soon
        )
    if delta < timedelta(days=1):
        return TimeLeft(_hours_words(delta, False), False, soon)
    days = delta.days
    return TimeLeft(ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days}, False, soon)


# Which stage's rule the current deadline belongs to, by status.
_STAGE_OF_STATUS = {"submitted": "accept", "resolved": "reply"}


def case_time_left(case, now: datetime | None = None, calendar=None) -> TimeLeft | None:
    """Time left on the case's current deadline. Pass ``calendar`` (from ``calendar_for``) when
    saying it for many cases, so the calendar overrides are read once."""
    unit = _unit_of(case, _STAGE_OF_STATUS.get(case.status, "handle"))
    return time_left(case.due_at, unit=unit, now=now, paused=case.paused_at is not None, calendar=calendar)
