"""The warnings' indicators for the scorecards (``modules.Indicator``): acknowledgements answered in
time, evacuations completed, and the three checks of the flood season done. Counts of
acknowledgements, households and points, never of persons.

``compute(region, since, until)`` counts what lies in ``region``'s subtree (every region when
None) over the period: dates (whole days in Asia/Shanghai, both included) or aware datetimes
(``since`` <= moment < ``until``). A rate is a percentage with one decimal, None when there is
nothing to count from."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from anju.cases import modules
from anju.geo.models import Region
from anju.lib.periods import between, period_bounds
from anju.lib.workdays import local_date, start_of_day
from anju.warnings.choices import AckState, CheckRound, EvacuationState
from anju.warnings.models import Acknowledgement, Evacuation, MonitoringPoint, SeasonCheck


def _bounds(since: date | datetime, until: date | datetime) -> tuple[datetime, datetime]:
    start = since if isinstance(since, datetime) else start_of_day(since)
    end = until if isinstance(until, datetime) else period_bounds(until, until)[1]
    return start, end


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def acknowledged_in_time(region: Region | None, since, until) -> float | None:
    """Warnings acknowledged in time (%): of the acknowledgements asked in the period that were
    answered or went past their deadline unanswered, the share answered by their deadline. One
    stood down unasked (someone else at the point answered) or whose warning ended before its
    deadline counts neither way."""
    start, end = _bounds(since, until)
    rows = Acknowledgement.objects.filter(between("asked_at", start, end)).filter(
        Q(state=AckState.ACKNOWLEDGED) | Q(missed_deadline=True))
    if region is not None:
        rows = rows.filter(point__area_path__startswith=region.path)
    counts = rows.aggregate(whole=Count("id"), in_time=Count(
        "id", filter=Q(state=AckState.ACKNOWLEDGED, missed_deadline=False)))
    return _rate(counts["in_time"], counts["whole"])


def evacuations_completed(region: Region | None, since, until) -> float | None:
    """Evacuations completed (%): of the households listed to move under the warnings given the
    all-clear in the period, the share moved (or moved and returned) or that refused with their
    reason recorded, by the all-clear (the evacuation closes then)."""
    start, end = _bounds(since, until)
    rows = Evacuation.objects.filter(between("warning__all_clear_at", start, end))
    if region is not None:
        rows = rows.filter(household__point__area_path__startswith=region.path)
    done = Q(state__in=[EvacuationState.MOVED, EvacuationState.RETURNED]) | (
        Q(state=EvacuationState.REFUSED) & ~Q(reason=""))
    counts = rows.aggregate(whole=Count("id"), done=Count("id", filter=done))
    return _rate(counts["done"], counts["whole"])


def _year_of(until: date | datetime) -> int:
    """The year the period ends in (a moment at midnight ends the day before)."""
    if isinstance(until, datetime):
        return local_date(until - timedelta(microseconds=1)).year
    return until.year


def three_checks_done(region: Region | None, since, until) -> float | None:
    """Three checks done (%): of the active monitoring points, the share with all three checks
    of the flood season (before, during, after: 三查) recorded for the year the period ends in."""
    year = _year_of(until)
    points = MonitoringPoint.objects.filter(is_active=True)
    if region is not None:
        points = points.filter(area_path__startswith=region.path)
    whole = points.count()
    checked = (SeasonCheck.objects.filter(point__in=points, year=year, round__in=CheckRound.values)
               .values("point").annotate(rounds=Count("round", distinct=True))
               .filter(rounds=len(CheckRound.values)).count())
    return _rate(checked, whole)


INDICATORS = [
    modules.Indicator("warnings_acknowledged_in_time", _("Warnings acknowledged in time (%)"), acknowledged_in_time),
    modules.Indicator("evacuations_completed", _("Evacuations completed (%)"), evacuations_completed),
    modules.Indicator("three_checks_done", _("Three checks done (%)"), three_checks_done),
]
