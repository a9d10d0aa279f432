"""Public statistics: how the county answers, per township and per office.

Definitions (the page's footnote says the same in the reader's language):

- Periods, in Asia/Shanghai time, each ending at ``now``:
  ``30d`` the last 30 days (from exactly 30 × 24 hours ago); ``12m`` the last 12 months (from the
  same date and time one year ago; 29 February falls back to 28 February); ``ytd`` the year to
  date (from 1 January of the current year, 00:00). A time counts when ``start <= time <= end``.
- received: cases submitted in the period; duplicates merged into another case are left out.
- closed: cases closed (归档) in the period, the ones not accepted (不予受理, with a reason) included.
  A case reopened and not yet closed again does not count as closed.
- on-time closure rate: the share of closed cases that never missed a deadline
  (``missed_deadline`` false), in percent.
- median time to close: the median of (closed − submitted) over the closed cases, in days.
- satisfaction: the mean rating (1–5) of the closed cases that have one, with the number of ratings.
- reopen rate: the share of closed cases that had been reopened at least once, in percent.
- Per township: cases located in the township (the case's region lies under it). Per office: the
  office that owns the case now (``case.office``).
- Every figure has one decimal, rounded half up; a rate with nothing to divide by is None ("—").
- Counts include every case, confidential ones too: a count reveals nothing about a case.

定义（页面脚注以读者的语言说明同样的内容）：

- 统计期（北京时间），均截至当前时刻：``30d`` 最近 30 天（自 30×24 小时前起）；``12m`` 最近 12 个月
  （自一年前同一日期同一时刻起，2 月 29 日按 2 月 28 日计）；``ytd`` 今年以来（自当年 1 月 1 日 0 时起）。
  时间满足 起点 ≤ 时间 ≤ 终点 即计入。
- 收到：统计期内提交的事件，已合并到其他事件的重复事件不计。
- 办结：统计期内归档的事件，包括不予受理（附理由答复）的事件；被重新办理且尚未再次归档的不计。
- 按时办结率：办结事件中从未超过任何办理时限的比例（百分比）。
- 办结用时中位数：办结事件（归档时间 − 提交时间）的中位数，单位为天。
- 满意度：办结事件中有评价的平均分（1–5 分），并给出评价数。
- 重新办理率：办结事件中曾被重新办理（重启）的比例（百分比）。
- 按乡镇（街道）：事件所在地属于该乡镇（街道）；按部门：事件当前的承办单位。
- 所有数值保留一位小数（四舍五入）；没有分母的比例为空（“—”）。
- 计数包括全部事件（含保密事件）：计数不透露任何事件的内容。

Every figure comes from a few GROUP BY queries; only the medians read one row per closed case
(two timestamps), because SQLite has no median aggregate.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.cases.choices import Status
from anju.cases.models import Case
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.people.models import Office

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_PERIOD = "30d"
PERIODS = {
    "30d": gettext_lazy("Last 30 days"),
    "12m": gettext_lazy("Last 12 months"),
    "ytd": gettext_lazy("This year"),
}
_MICROSECONDS_PER_DAY = 86_400 * 10**6


class PeriodError(ValueError):
    """An unknown period key; the message is the reason, naming the keys allowed."""


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        return str(PERIODS[self.key])


def period_bounds(key: str, now: datetime) -> Period:
    """The period ``key`` (30d, 12m, ytd) ending at ``now``, in Asia/Shanghai."""
    if key not in PERIODS:
        raise PeriodError(_("must be one of: %(choices)s") % {"choices": ", ".join(PERIODS)})
    local = now.astimezone(SHANGHAI)
    if key == "30d":
        start = local - timedelta(days=30)
    elif key == "12m":
        day = 28 if (local.month, local.day) == (2, 29) else local.day
        start = local.replace(year=local.year - 1, day=day)
    else:
        start = datetime(local.year, 1, 1, tzinfo=SHANGHAI)
    return Period(key, start, local)


def one_decimal(value: Fraction | None) -> float | None:
    """``value`` with one decimal, rounded half up (exact: no binary-float surprises at .x5)."""
    if value is None:
        return None
    tenths = (value * 10 + Fraction(1, 2)).__floor__()
    return tenths / 10


def median(values: list[int]) -> Fraction | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


@dataclass
class Row:
    """The figures of one township or office. Counts are filled by ``public_figures``; the rates
    are read from them."""

    code: str
    name: str
    received: int = 0
    closed: int = 0
    on_time: int = 0
    reopened: int = 0
    ratings: int = 0
    rating_sum: int = 0
    # Microseconds from submission to closing, one per closed case.
    durations: list[int] = field(default_factory=list)

    def _share(self, part: int) -> float | None:
        return one_decimal(Fraction(100 * part, self.closed)) if self.closed else None

    @property
    def on_time_rate(self) -> float | None:
        return self._share(self.on_time)

    @property
    def reopen_rate(self) -> float | None:
        return self._share(self.reopened)

    @property
    def satisfaction(self) -> float | None:
        return one_decimal(Fraction(self.rating_sum, self.ratings)) if self.ratings else None

    @property
    def median_days_to_close(self) -> float | None:
        middle = median(self.durations)
        return one_decimal(middle / _MICROSECONDS_PER_DAY) if middle is not None else None

    def as_json(self) -> dict:
        return {
            "code": self.code, "name": self.name, "received": self.received, "closed": self.closed,
            "on_time_rate": self.on_time_rate, "median_days_to_close": self.median_days_to_close,
            "satisfaction": self.satisfaction, "ratings": self.ratings, "reopen_rate": self.reopen_rate,
        }


@dataclass
class Figures:
    period: Period
    townships: list[Row]
    offices: list[Row]

    def as_json(self) -> dict:
        return {
            "period": {"key": self.period.key, "label": self.period.label, "start": self.period.start.isoformat(),
                       "end": self.period.end.isoformat(), "time_zone": "Asia/Shanghai"},
            "townships": [row.as_json() for row in self.townships],
            "offices": [row.as_json() for row in self.offices],
        }


def _in(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})


def _closed_counts():
    return {
        "closed": Count("id"),
        "on_time": Count("id", filter=Q(missed_deadline=False)),
        "reopened": Count("id", filter=Q(reopen_count__gt=0)),
        "ratings": Count("satisfaction"),
        "rating_sum": Sum("satisfaction"),
    }


def _add_closed(row: Row, counted: dict) -> None:
    row.closed += counted["closed"]
    row.on_time += counted["on_time"]
    row.reopened += counted["reopened"]
    row.ratings += counted["ratings"]
    row.rating_sum += counted["rating_sum"] or 0


def _township_rows(received, closed, durations) -> list[Row]:
    townships = list(Region.objects.filter(level=Level.TOWNSHIP).order_by("code").values_list("code", "name", "path"))
    rows = {path: Row(code, name) for code, name, path in townships}
    # Group by the township part of the materialised path: one GROUP BY per path length, and township
    # paths of one county all have the same length.
    for length in sorted({len(path) for path in rows}):
        prefix = Substr("area_path", 1, length)
        for counted in received.annotate(prefix=prefix).values("prefix").annotate(n=Count("id")).order_by():
            if counted["prefix"] in rows:
                rows[counted["prefix"]].received += counted["n"]
        for counted in closed.annotate(prefix=prefix).values("prefix").annotate(**_closed_counts()).order_by():
            if counted["prefix"] in rows:
                _add_closed(rows[counted["prefix"]], counted)
    lengths = sorted({len(path) for path in rows})
    for area_path, _office, micros in durations:
        for length in lengths:
            row = rows.get(area_path[:length])
            if row is not None:
                row.durations.append(micros)
                break
    return list(rows.values())


def _office_rows(received, closed, durations) -> list[Row]:
    """Every active office that owns cases or has a routing rule (so that one with no case yet shows
    as zero), and any other office that has figures in the period."""
    received_by = dict(received.filter(office__isnull=False).values_list("office").annotate(n=Count("id")).order_by())
    closed_by = {
        counted["office"]: counted
        for counted in closed.filter(office__isnull=False).values("office").annotate(**_closed_counts()).order_by()
    }
    listed = Office.objects.filter(
        Q(is_active=True, routing_rules__isnull=False)
        | Q(is_active=True) & Exists(Case.objects.filter(office=OuterRef("pk")))
        | Q(pk__in=set(received_by) | set(closed_by))
    ).distinct().order_by("code")
    rows = {pk: Row(code, name) for pk, code, name in listed.values_list("pk", "code", "name")}
    for pk, n in received_by.items():
        rows[pk].received = n
    for pk, counted in closed_by.items():
        _add_closed(rows[pk], counted)
    for _area, office_id, micros in durations:
        if office_id in rows:
            rows[office_id].durations.append(micros)
    return list(rows.values())


def public_figures(key: str, now: datetime) -> Figures:
    """The public figures for period ``key`` ending at ``now``, per township and per office.

    Raises ``PeriodError`` for an unknown period."""
    period = period_bounds(key, now)
    received = Case.objects.filter(_in("submitted_at", period)).exclude(status=Status.MERGED)
    closed = Case.objects.filter(_in("closed_at", period), status=Status.CLOSED)
    durations = [
        (area_path, office_id, (closed_at - submitted_at) // timedelta(microseconds=1))
        for area_path, office_id, submitted_at, closed_at in closed.values_list(
            "area_path", "office_id", "submitted_at", "closed_at"
        ).iterator(chunk_size=5000)
    ]
    return Figures(period, _township_rows(received, closed, durations), _office_rows(received, closed, durations))
