"""The dashboard's numbers, as plain functions of ``user`` and ``now``.

Every function starts from ``visible_to(user)``, so a township supervisor's dashboard counts only
that township's cases, and lets the database count (GROUP BY), never a Python loop over cases.
Weeks and months are those of Asia/Shanghai: a week starts on Monday at 00:00 there.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Max, Q
from django.db.models.functions import Substr, TruncWeek

from anju.cases.access import visible_to
from anju.cases.choices import OPEN_STATUSES, Action, Status
from anju.geo.choices import Level
from anju.geo.models import Region

SHANGHAI = ZoneInfo("Asia/Shanghai")


def cases_for(user, township: Region | None = None):
    """The cases the dashboard counts: those ``user`` may see, within ``township`` if given."""
    rows = visible_to(user)
    if township is not None:
        rows = rows.filter(area_path__startswith=township.path)
    return rows


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 (Asia/Shanghai) of the week ``moment`` falls in."""
    local = moment.astimezone(SHANGHAI)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=SHANGHAI)


def month_start(moment: datetime) -> datetime:
    """The first day of ``moment``'s calendar month, 00:00 Asia/Shanghai."""
    local = moment.astimezone(SHANGHAI)
    return datetime(local.year, local.month, 1, tzinfo=SHANGHAI)


def _next_month(start: datetime) -> datetime:
    return datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class WeekRow:
    week: date  # the Monday
    received: int
    closed: int


def _per_week(rows, field: str, start: datetime, end: datetime) -> dict[date, int]:
    counted = (
        rows.filter(**{f"{field}__gte": start, f"{field}__lt": end})
        .annotate(week=TruncWeek(field, tzinfo=SHANGHAI))
        .values("week")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["week"].astimezone(SHANGHAI).date(): row["n"] for row in counted}


def weekly_flow(user, now: datetime, *, township: Region | None = None, weeks: int = 12) -> list[WeekRow]:
    """Cases received (submitted) and closed (archived, including those not accepted) per week, for
    the last ``weeks`` weeks including the current one, oldest first; weeks with none count 0."""
    end = week_start(now) + timedelta(weeks=1)
    start = end - timedelta(weeks=weeks)
    rows = cases_for(user, township)
    received = _per_week(rows, "submitted_at", start, end)
    closed = _per_week(rows.filter(status=Status.CLOSED), "closed_at", start, end)
    mondays = [(start + timedelta(weeks=i)).date() for i in range(weeks)]
    return [WeekRow(monday, received.get(monday, 0), closed.get(monday, 0)) for monday in mondays]


@dataclass(frozen=True)
class OnTimeRow:
    code: str
    name: str
    resolved: int
    on_time: int

    @property
    def rate(self) -> float:
        """Percent, one decimal."""
        return round(100 * self.on_time / self.resolved, 1) if self.resolved else 0.0


def on_time_by_township(user, now: datetime, *, township: Region | None = None, days: int = 30) -> list[OnTimeRow]:
    """Per township, the cases resolved (办结) in the last ``days`` days and still resolved or closed
    (a reopened case is back in hand and waits for its next resolution), and how many of them never
    missed a deadline (``missed_deadline`` false). Best rate first; townships without any resolved
    case are left out, there is no rate to show."""
    townships = Region.objects.filter(level=Level.TOWNSHIP)
    if township is not None:
        townships = townships.filter(pk=township.pk)
    by_path = {t.path: t for t in townships}
    rows = cases_for(user, township).filter(
        status__in=[Status.RESOLVED, Status.CLOSED], resolved_at__gte=now - timedelta(days=days), resolved_at__lt=now
    )
    result = []
    # Group by the township part of the materialised path; township paths are usually all the same
    # length, so this is one GROUP BY query.
    for length in sorted({len(path) for path in by_path}):
        counted = (
            rows.annotate(prefix=Substr("area_path", 1, length))
            .values("prefix")
            .annotate(resolved=Count("id"), on_time=Count("id", filter=Q(missed_deadline=False)))
            .order_by()
        )
        for row in counted:
            found = by_path.get(row["prefix"])
            if found is not None:
                result.append(OnTimeRow(found.code, found.name, row["resolved"], row["on_time"]))
    return sorted(result, key=lambda r: (-r.rate, r.code))


@dataclass(frozen=True)
class CountRow:
    code: str
    name: str
    count: int


def top_categories(user, now: datetime, *, township: Region | None = None, limit: int = 10) -> list[CountRow]:
    """The categories with the most cases received this calendar month (Asia/Shanghai), most first."""
    start = month_start(now)
    counted = (
        cases_for(user, township)
        .filter(submitted_at__gte=start, submitted_at__lt=_next_month(start))
        .values("category__code", "category__name")
        .annotate(n=Count("id"))
        .order_by("-n", "category__code")[:limit]
    )
    return [CountRow(r["category__code"], r["category__name"], r["n"]) for r in counted]


def overdue_by_office(user, now: datetime, *, township: Region | None = None, limit: int = 15) -> list[CountRow]:
    """Open cases whose running deadline has passed, counted per owning office, most first."""
    counted = (
        cases_for(user, township)
        .filter(status__in=OPEN_STATUSES, due_at__lt=now)
        .values("office__code", "office__name")
        .annotate(n=Count("id"))
        .order_by("-n", "office__code")[:limit]
    )
    return [CountRow(r["office__code"] or "", r["office__name"] or "", r["n"]) for r in counted]


def recently_reopened(user, now: datetime, *, township: Region | None = None, limit: int = 10):
    """Cases reopened at least once, the latest reopening first, each with ``reopened_at``."""
    return (
        cases_for(user, township)
        .filter(reopen_count__gt=0)
        .annotate(reopened_at=Max("events__at", filter=Q(events__action=Action.REOPEN, events__at__lte=now)))
        .select_related("category", "office")
        .order_by(F("reopened_at").desc(nulls_last=True), "-id")[:limit]
    )
