"""Read-only views of the duty roster: the days of a month marked on the Chinese working-day calendar
(holidays, make-up working days, estimates), an office's month roster with its gaps, which days
are covered by a duty officer and a leader on duty, and the board of who is on duty now."""

import calendar as month_calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import holidays
from django.utils import translation

from anju.cases.deadlines import calendar_for
from anju.duty import services
from anju.duty.choices import SHIFTS_OF, DayKind, ShiftKind
from anju.duty.models import Roster, Shift
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.geo.queries import townships_under
from anju.lib.workdays import Calendar, start_of_day
from anju.people.models import Office


@dataclass
class DayMark:
    """A day as the working-day calendar has it: a working day, a rest day, a day of a holiday
    (with the holiday's name) or a make-up working day (调休上班); ``estimated`` when no official
    notice or override covers its year."""

    day: date
    kind: str
    estimated: bool
    holiday: str = ""


def _holiday_names(years, language: str) -> dict[date, str]:
    names = {}
    for day, name in holidays.China(years=list(years), language=language).items():
        # "国庆节（补假）", "休息日（由 … 调休）" and "National Day (observed)" name the holiday
        # less well than the statutory day beside them.
        if "(" in name or "（" in name:
            continue
        names[day] = name
    return names


def day_marks(first: date, last: date, calendar: Calendar | None = None) -> dict[date, DayMark]:
    """Every day from ``first`` to ``last`` marked. A day off on a weekday is a holiday, and so is
    every day off joined to one by days off (the weekend inside a holiday's run of days); a working
    Saturday or Sunday is a make-up working day."""
    calendar = calendar or calendar_for(start_of_day(first))
    # A week either side, so that a run of days off crossing the month's edge is seen whole.
    start, end = first - timedelta(days=7), last + timedelta(days=7)
    days, day = [], start
    while day <= end:
        workday, estimated = calendar.is_workday(day)
        weekend = day.weekday() >= 5
        if workday:
            kind = DayKind.MAKEUP if weekend else DayKind.WORKDAY
        else:
            kind = DayKind.REST if weekend else DayKind.HOLIDAY
        days.append(DayMark(day, kind, estimated))
        day += timedelta(days=1)
    language = "zh_CN" if (translation.get_language() or "zh").startswith("zh") else "en_US"
    names = _holiday_names({start.year, end.year}, language)
    # Runs of days off: a run holding a holiday is a holiday throughout, named after its holiday.
    run: list[DayMark] = []
    for mark in [*days, None]:
        if mark is not None and mark.kind in (DayKind.REST, DayKind.HOLIDAY):
            run.append(mark)
            continue
        if any(m.kind == DayKind.HOLIDAY for m in run):
            name = next((names[m.day] for m in run if m.day in names), "")
            for m in run:
                m.kind, m.holiday = DayKind.HOLIDAY, name
        run = []
    return {m.day: m for m in days if first <= m.day <= last}


def complete(shifts: list[Shift]) -> bool:
    """Whether a day's ``shifts`` cover it with a duty officer and a leader on duty throughout:
    all the shifts of one arrangement (the 24-hour shift, or the day and the night shift)."""
    staffed = {s.kind for s in shifts if s.officer_id and s.leader_id}
    return any(set(kinds) <= staffed for kinds in SHIFTS_OF.values())


def complete_days(office: Office, first: date, last: date) -> set[date]:
    """The days from ``first`` to ``last`` that ``office``'s roster covers completely."""
    by_day: dict[date, list[Shift]] = {}
    for shift in Shift.objects.filter(office=office, day__range=(first, last)).only(
            "day", "kind", "officer_id", "leader_id"):
        by_day.setdefault(shift.day, []).append(shift)
    return {day for day, shifts in by_day.items() if complete(shifts)}


@dataclass
class ShiftCell:
    """One expected shift of a day: the shift planned, or None (a gap)."""

    kind: str
    shift: Shift | None

    @property
    def label(self) -> str:
        return str(ShiftKind(self.kind).label)

    @property
    def gap(self) -> bool:
        return self.shift is None or self.shift.leader_id is None


@dataclass
class RosterDay:
    day: date
    mark: DayMark
    cells: list[ShiftCell]
    complete: bool
    is_today: bool = False

    @property
    def gaps(self) -> bool:
        return not self.complete


@dataclass
class MonthRoster:
    """An office's roster of a month, day by day and week by week (Monday first), with how many
    days it covers completely."""

    office: Office
    roster: Roster
    first: date
    last: date
    days: list[RosterDay] = field(default_factory=list)
    weeks: list[list[RosterDay | None]] = field(default_factory=list)

    @property
    def complete_count(self) -> int:
        return sum(1 for d in self.days if d.complete)

    @property
    def estimated(self) -> bool:
        return any(d.mark.estimated for d in self.days)

    @property
    def holidays(self) -> list[RosterDay]:
        return [d for d in self.days if d.mark.kind == DayKind.HOLIDAY]

    @property
    def makeup_days(self) -> list[RosterDay]:
        return [d for d in self.days if d.mark.kind == DayKind.MAKEUP]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, month_calendar.monthrange(year, month)[1])


def month_roster(office: Office, year: int, month: int, today: date | None = None) -> MonthRoster:
    first, last = month_bounds(year, month)
    roster = services.roster_of(office)
    marks = day_marks(first, last)
    shifts: dict[date, list[Shift]] = {}
    for shift in Shift.objects.filter(office=office, day__range=(first, last)).select_related("officer", "leader"):
        shifts.setdefault(shift.day, []).append(shift)
    expected = SHIFTS_OF[roster.pattern]
    result = MonthRoster(office=office, roster=roster, first=first, last=last)
    day = first
    while day <= last:
        planned = {s.kind: s for s in shifts.get(day, [])}
        # The kinds of the arrangement, and any shift of another kind planned before it changed.
        kinds = list(expected) + [k for k in planned if k not in expected]
        result.days.append(RosterDay(day, marks[day], [ShiftCell(k, planned.get(k)) for k in kinds],
                                     complete(list(planned.values())), is_today=day == today))
        day += timedelta(days=1)
    week: list[RosterDay | None] = [None] * first.weekday()
    for roster_day in result.days:
        week.append(roster_day)
        if len(week) == 7:
            result.weeks.append(week)
            week = []
    if week:
        result.weeks.append(week + [None] * (7 - len(week)))
    return result


def duty_offices():
    """The active offices that keep a duty roster, county level first."""
    return (Office.objects.filter(is_active=True, duty_roster__isnull=False).select_related("jurisdiction")
            .order_by("jurisdiction__path", "code"))


def board(now: datetime) -> list[services.OnDuty]:
    """Who is on duty at ``now`` for the county and for every township under it, in code order."""
    places = list(Region.objects.filter(level=Level.COUNTY).order_by("code")) + list(townships_under(None).values())
    return [services.on_duty(place, now) for place in places]


def candidates(office: Office, post: str):
    """The staff who may be put on ``post`` of ``office``'s roster, for the pages' choices: those
    working there or holding a role scoped to it or to a region within its jurisdiction; for a
    leader on duty, the leaders and supervisors of its jurisdiction and the regions above it."""
    from django.db.models import Q

    from anju.duty import access
    from anju.duty.choices import DutyPost
    from anju.people.models import User

    path = office.jurisdiction.path
    above = [path[:i + 1] for i, char in enumerate(path) if char == "/"]
    if post == DutyPost.LEADER:
        condition = Q(roles__role__in=access.LEADER_ROLES) & (
            Q(roles__region__path__startswith=path) | Q(roles__region__path__in=above) | Q(roles__office=office))
    else:
        condition = Q(office=office) | Q(roles__office=office) | Q(roles__region__path__startswith=path)
    users = User.objects.filter(condition, is_active=True, roles__isnull=False).distinct().order_by(
        "display_name", "username")
    return [u for u in users if access.may_hold(u, post)]
