"""Readings at monitoring points, the levels they reach and the gaps between them.

A reading is placed by its own time (``measured_at``), however late or out of order it arrives.
Posted again by its device (the same device, kind and time) it is the same reading: answered as
such, never stored twice; the same time with another value is refused (409). Entered by hand, a
reading is matched the same way on the point, kind and time among the readings entered by hand.

Levels are never stored per window: they are computed from the readings by their times
(``assess``, ``level_at``), so a late reading changes the level of every window it falls in
wherever that level is read (the point's chart, ``level_at`` of a past moment). What is stored
is the point's level now (``MonitoringPoint.level``): recomputed after every batch of readings
(``record_readings``) and by the sweep (``sweep_levels``, as rain stops and windows empty).
When it changes, ``drafting.draft_from_reading`` is told, which drafts a warning when it rose.
A late reading that changes only the past changes nothing now, and drafts nothing.

What a rule measures (``measure``), over the readings of one source (a device, or the hand
entries) — two gauges at one point measure the same rain, so the larger of their measures counts:

- rain: the millimetres summed over the readings in the window (t − window, t]; window 0 is the
  latest reading's own interval;
- displacement, crack width, water level with window 0: the latest value, if measured within
  ``LATEST_WITHIN``; with a window: the change over it, the latest value in the window less the
  last one before it (or the window's first when none is before it).
"""

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.lib.errors import ServiceError
from anju.warnings import points_access as access
from anju.warnings.choices import LEVEL_RANK, ReadingKind, ReadingSource
from anju.warnings.models import Device, MonitoringPoint, Reading, ThresholdRule
from anju.warnings.points import number

RAIN_WINDOWS = (1, 3, 24)
# A clock a little ahead is forgiven; a reading further in the future is refused.
FUTURE_SKEW = timedelta(minutes=5)
# A device's buffer emptied after an outage is taken up to a year late.
MAX_LATE = timedelta(days=366)
# A latest value (window 0) older than this says nothing about now.
LATEST_WITHIN = timedelta(hours=72)
MAX_BATCH = 500
# A device's clock drifts: readings up to this much later than its interval leave no gap.
GAP_GRACE = timedelta(minutes=1)
# The plausible values of one reading (rain: mm in one interval; the others mm or m).
VALUE_RANGES = {
    ReadingKind.RAIN: (0, 500),
    ReadingKind.DISPLACEMENT: (-100_000, 100_000),
    ReadingKind.CRACK: (-100_000, 100_000),
    ReadingKind.WATER_LEVEL: (-10_000, 10_000),
}
HAND = "hand"


@dataclass
class NewReading:
    kind: str
    value: float
    measured_at: datetime


@dataclass
class Recorded:
    """A reading of a batch, and whether this request stored it (False: it was there already)."""

    reading: Reading
    created: bool


@dataclass(frozen=True)
class Cause:
    """A rule reached: what was measured over which window, against which threshold."""

    kind: str
    window_hours: int
    value: float
    threshold: float
    level: str
    rule_id: int | None = None


@dataclass
class Assessment:
    """A point's level at a moment (``""`` below every rule), every rule reached (highest level
    first) and the measure of every (kind, window) a rule in force reads."""

    at: datetime
    level: str = ""
    causes: list[Cause] = field(default_factory=list)
    measures: dict[tuple[str, int], float | None] = field(default_factory=dict)

    @property
    def cause(self) -> Cause | None:
        return self.causes[0] if self.causes else None


def rank(level: str) -> int:
    return LEVEL_RANK.get(level, 0)


# ---------------------------------------------------------------------------- checking a reading


def _field(name: str, index: int | None) -> str:
    return name if index is None else f"readings[{index}].{name}"


def check_reading(item: NewReading, *, now: datetime, device: Device | None = None,
                  index: int | None = None) -> NewReading:
    """``item`` checked: a known kind (one the device measures), a plausible finite value, a
    moment with its zone, not in the future beyond ``FUTURE_SKEW`` nor older than ``MAX_LATE``.
    Refused with 422 naming the field (``readings[i].field`` in a batch)."""
    kind = item.kind
    if not isinstance(kind, str) or kind not in ReadingKind.values:
        raise ServiceError(_("Unknown reading kind: %(kind)s.") % {"kind": str(kind)[:30] or "''"}, status=422,
                           field=_field("kind", index))
    if device is not None and kind not in (device.kinds or []):
        raise ServiceError(_("This device does not measure %(kind)s.") % {"kind": ReadingKind(kind).label},
                           status=422, field=_field("kind", index))
    low, high = VALUE_RANGES[kind]
    value = number(item.value, _field("value", index), _("Value"), low, high)
    moment = item.measured_at
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ServiceError(_("Give the time of the reading with its zone, e.g. 2026-07-01T08:00:00+08:00."),
                           status=422, field=_field("measured_at", index))
    if moment > now + FUTURE_SKEW:
        raise ServiceError(_("The reading's time is in the future: check the device's clock."), status=422,
                           field=_field("measured_at", index))
    if moment < now - MAX_LATE:
        raise ServiceError(_("The reading is more than a year old."), status=422, field=_field("measured_at", index))
    return NewReading(kind, value, moment)


# ---------------------------------------------------------------------------- recording


def record_readings(point: MonitoringPoint, items: list[NewReading], *, device: Device | None = None, actor=None,
                    now: datetime | None = None, index: bool = False) -> list[Recorded]:
    """Record a batch of readings at ``point``, posted by ``device`` or entered by hand by
    ``actor``, all or nothing: every reading is checked first and a refused one stores none.
    A reading already there (the same source, kind and time) is answered as itself; the same
    time with another value is refused (409). Then the point's level now is recomputed
    (``refresh_level``). ``index``: name a refused reading's field by its place in the batch."""
    now = now or timezone.now()
    if not isinstance(items, list) or not items:
        raise ServiceError(_("Send at least one reading."), status=422, field="readings")
    if len(items) > MAX_BATCH:
        raise ServiceError(_("Send at most %(n)s readings at a time.") % {"n": MAX_BATCH}, status=422,
                           field="readings")
    with transaction.atomic():
        point = MonitoringPoint.objects.select_for_update().select_related("region").get(pk=point.pk)
        if device is not None:
            device = Device.objects.select_for_update().get(pk=device.pk)
            if not device.is_active or device.point_id != point.pk:
                raise ServiceError(_("This device is disabled."), status=401)
        elif actor is None or not access.can_work_at(actor, point):
            raise ServiceError(_("You may not do this."), status=403)
        if not point.is_active:
            raise ServiceError(_("This point is retired and takes no readings."), status=409)
        checked = [check_reading(item, now=now, device=device, index=i if index else None)
                   for i, item in enumerate(items)]
        results = _store(point, checked, device=device, actor=actor, now=now, index=index)
        if device is not None:
            device.last_seen_at = now
            device.save(update_fields=["last_seen_at"])
        created = [r.reading for r in results if r.created]
        if created:
            refresh_level(point, now, new_readings=created)
    return results


def _store(point, checked: list[NewReading], *, device, actor, now, index: bool) -> list[Recorded]:
    earlier = Reading.objects.filter(point=point, kind__in={r.kind for r in checked},
                                     measured_at__in=[r.measured_at for r in checked])
    earlier = earlier.filter(device=device) if device is not None else \
        earlier.filter(device__isnull=True, source=ReadingSource.HAND)
    known = {(r.kind, r.measured_at): r for r in earlier}
    results, pending = [], {}
    for i, item in enumerate(checked):
        key = (item.kind, item.measured_at)
        row = known.get(key) or pending.get(key)
        if row is not None:
            if abs(row.value - item.value) > 1e-9:
                raise ServiceError(
                    _("A reading of this kind at this time is already recorded with another value (%(value)s).")
                    % {"value": f"{row.value:g}"}, status=409, field=_field("value", i if index else None))
            results.append(Recorded(row, False))
            continue
        row = Reading(point=point, kind=item.kind, value=item.value, measured_at=item.measured_at, received_at=now,
                      source=ReadingSource.DEVICE if device is not None else ReadingSource.HAND, device=device,
                      entered_by=actor if device is None else None)
        pending[key] = row
        results.append(Recorded(row, True))
    Reading.objects.bulk_create(list(pending.values()))
    return results


# ---------------------------------------------------------------------------- rules in force


def _ancestor_paths(area_path: str) -> list[str]:
    codes = [c for c in area_path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[:n]) for n in range(1, len(codes) + 1)]


def rules_in_force(point: MonitoringPoint) -> dict[tuple[str, int], list[ThresholdRule]]:
    """The rules that apply to ``point``, by (kind, window): its own rules for a kind and window,
    else the rules of the nearest area above it that has rules for that kind and window."""
    found: dict[tuple[str, int], list[ThresholdRule]] = {}
    for rule in ThresholdRule.objects.filter(point=point, is_active=True):
        found.setdefault((rule.kind, rule.window_hours), []).append(rule)
    nearest: dict[tuple[str, int], int] = {}
    area_rules = ThresholdRule.objects.filter(area__path__in=_ancestor_paths(point.area_path), is_active=True) \
        .select_related("area")
    for rule in area_rules:
        key = (rule.kind, rule.window_hours)
        if key in found and key not in nearest:
            continue  # the point's own
        depth = len(rule.area.path)
        if key not in nearest or depth > nearest[key]:
            nearest[key], found[key] = depth, [rule]
        elif depth == nearest[key]:
            found[key].append(rule)
    for rules in found.values():
        rules.sort(key=lambda r: (rank(r.level), r.threshold))
    return found


# ---------------------------------------------------------------------------- measures


class Series:
    """The readings of a point loaded once, by kind and source, sorted by time; measured at any
    moment inside the range loaded."""

    def __init__(self, point: MonitoringPoint, kinds, start: datetime, end: datetime):
        self.by_kind: dict[str, dict[object, tuple[list[datetime], list[float]]]] = defaultdict(dict)
        rows = Reading.objects.filter(point=point, kind__in=list(kinds), measured_at__gt=start,
                                      measured_at__lte=end).order_by("measured_at", "pk") \
            .values_list("kind", "device_id", "measured_at", "value")
        for kind, device_id, moment, value in rows:
            times, values = self.by_kind[kind].setdefault(device_id or HAND, ([], []))
            times.append(moment)
            values.append(value)

    def measure(self, kind: str, window_hours: int, t: datetime) -> float | None:
        """The largest of the sources' measures (see the module's docstring), None when no
        source has a reading to measure."""
        found = [value for times, values in self.by_kind.get(kind, {}).values()
                 if (value := _measure(kind, window_hours, t, times, values)) is not None]
        return max(found) if found else None


def _measure(kind: str, window_hours: int, t: datetime, times: list[datetime], values: list[float]) -> float | None:
    end = bisect.bisect_right(times, t)  # readings at or before t: [:end]
    if end == 0:
        return None
    if window_hours == 0:
        if times[end - 1] <= t - LATEST_WITHIN:
            return None
        return values[end - 1]
    window_start = t - timedelta(hours=window_hours)
    start = bisect.bisect_right(times, window_start)  # readings in (window_start, t]: [start:end]
    if start >= end:
        return None
    if kind == ReadingKind.RAIN:
        return round(sum(values[start:end]), 3)
    if start > 0 and times[start - 1] > window_start - LATEST_WITHIN:
        baseline = values[start - 1]
    else:
        baseline = values[start]
    return round(values[end - 1] - baseline, 3)


def _span(rules: dict) -> timedelta:
    hours = max((window for _kind, window in rules), default=0)
    return timedelta(hours=hours) + LATEST_WITHIN


def _assess(rules: dict, series: Series, t: datetime) -> Assessment:
    assessment = Assessment(at=t)
    for (kind, window), kept in rules.items():
        value = series.measure(kind, window, t)
        assessment.measures[(kind, window)] = value
        if value is None:
            continue
        for rule in kept:
            if value >= rule.threshold:
                assessment.causes.append(Cause(kind, window, value, rule.threshold, rule.level, rule.pk))
    assessment.causes.sort(key=lambda c: (-rank(c.level), c.kind, c.window_hours))
    if assessment.causes:
        assessment.level = assessment.causes[0].level
    return assessment


def assess(point: MonitoringPoint, t: datetime, *, rules: dict | None = None) -> Assessment:
    """The point's level at ``t`` with what reached it: the highest level any rule in force
    reaches with the readings measured up to ``t``."""
    rules = rules_in_force(point) if rules is None else rules
    if not rules:
        return Assessment(at=t)
    series = Series(point, {kind for kind, _window in rules}, t - _span(rules), t)
    return _assess(rules, series, t)


def level_at(point: MonitoringPoint, t: datetime) -> str:
    """The point's level at moment ``t`` ("" below every rule), from the readings measured up to
    ``t`` that are known now (a late reading counts at its own time)."""
    return assess(point, t).level


def levels_over(point: MonitoringPoint, moments: list[datetime]) -> list[Assessment]:
    """``assess`` at each of ``moments`` (in order), the readings loaded once (the chart)."""
    if not moments:
        return []
    rules = rules_in_force(point)
    if not rules:
        return [Assessment(at=t) for t in moments]
    series = Series(point, {kind for kind, _window in rules}, min(moments) - _span(rules), max(moments))
    return [_assess(rules, series, t) for t in moments]


def accumulations(point: MonitoringPoint, t: datetime) -> dict[int, float | None]:
    """The rain fallen at the point over 1 h, 3 h and 24 h up to ``t`` (None: no reading then)."""
    series = Series(point, [ReadingKind.RAIN], t - timedelta(hours=max(RAIN_WINDOWS)), t)
    return {hours: series.measure(ReadingKind.RAIN, hours, t) for hours in RAIN_WINDOWS}


# ---------------------------------------------------------------------------- the level now


def refresh_level(point: MonitoringPoint, now: datetime, *, new_readings=()) -> Assessment:
    """Recompute the point's level now; when it changed (rose or fell), keep it with the moment
    and tell ``drafting.draft_from_reading`` (a rise drafts a warning). Runs in the caller's
    transaction, the point locked by it (``record_readings``) or here."""
    from anju.warnings import drafting

    with transaction.atomic():
        point = MonitoringPoint.objects.select_for_update().select_related("region").get(pk=point.pk)
        assessment = assess(point, now)
        old = point.level
        if assessment.level == old:
            return assessment
        point.level = assessment.level
        point.level_since = now
        point.save(update_fields=["level", "level_since", "updated_at"])
        cause = assessment.cause
        trigger = None
        if cause is not None:
            same_kind = [r for r in new_readings if r.kind == cause.kind]
            trigger = max(same_kind, key=lambda r: r.measured_at) if same_kind else None
        drafting.draft_from_reading(point, assessment.level, old, trigger, now, cause=cause)
    return assessment


def refresh_levels(points, now: datetime | None = None) -> int:
    """``refresh_level`` of each of ``points`` (after their rules changed); how many changed."""
    now = now or timezone.now()
    changed = 0
    for point in points:
        before = point.level
        if refresh_level(point, now).level != before:
            changed += 1
    return changed


def sweep_levels(now: datetime | None = None) -> int:
    """The periodic sweep: the level now of every active point that stands at a level or had a
    reading within the longest window, so that a level falls as the rain stops even when no
    reading comes. Returns how many points it looked at."""
    now = now or timezone.now()
    since = now - timedelta(hours=max(RAIN_WINDOWS)) - timedelta(hours=1)
    recent = Reading.objects.filter(measured_at__gt=since).values("point_id").annotate(last=Max("measured_at"))
    ids = set(MonitoringPoint.objects.filter(is_active=True).exclude(level="").values_list("pk", flat=True))
    ids |= {row["point_id"] for row in recent}
    points = MonitoringPoint.objects.filter(pk__in=ids, is_active=True)
    for point in points:
        refresh_level(point, now)
    return len(ids)


# ---------------------------------------------------------------------------- gaps


@dataclass
class Gap:
    """Two readings of one device and kind further apart than its interval; ``end`` None while
    the device is silent still (an open gap, up to now)."""

    device_id: int
    device_name: str
    kind: str
    start: datetime
    end: datetime | None
    minutes: int


def gaps(point: MonitoringPoint, *, since: datetime, until: datetime, now: datetime | None = None,
         kind: str = "") -> list[Gap]:
    """The gaps of ``point``'s devices between ``since`` and ``until``, per device and kind,
    oldest first. A device is expected at its interval (plus ``GAP_GRACE``); readings entered by
    hand keep no schedule and leave no gaps."""
    now = now or timezone.now()
    found = []
    for device in point.devices.order_by("pk"):
        limit = timedelta(minutes=device.interval_minutes) + GAP_GRACE
        for device_kind in sorted(device.kinds or []):
            if kind and device_kind != kind:
                continue
            rows = Reading.objects.filter(device=device, kind=device_kind)
            before = rows.filter(measured_at__lte=since).order_by("-measured_at").values_list("measured_at",
                                                                                             flat=True).first()
            times = list(rows.filter(measured_at__gt=since, measured_at__lte=until).order_by("measured_at")
                         .values_list("measured_at", flat=True))
            if before is not None:
                times.insert(0, before)
            for a, b in zip(times, times[1:], strict=False):
                if b - a > limit:
                    found.append(Gap(device.pk, device.name, device_kind, a, b, int((b - a).total_seconds() // 60)))
            end = min(until, now)
            last = times[-1] if times else None
            if device.is_active and last is None and device.created_at < end - limit:
                last = max(since, device.created_at)
            if device.is_active and last is not None and end - last > limit:
                found.append(Gap(device.pk, device.name, device_kind, last, None,
                                 int((end - last).total_seconds() // 60)))
    found.sort(key=lambda g: (g.start, g.device_id, g.kind))
    return found
