"""The incidents' indicators for the scorecards: incidents received, and incident reports made on
time. Counts of incidents and reports, never of persons.

``compute(region, since, until)`` counts the incidents located in ``region``'s subtree (every
region when None) over the period: dates (whole days in Asia/Shanghai, both included) or aware
datetimes (``since`` <= moment < ``until``). A rate is a percentage with one decimal, None when
there is nothing to count from."""

from datetime import date, datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from anju.cases import modules
from anju.duty.models import Incident, IncidentReport
from anju.geo.models import Region
from anju.lib.periods import between, period_bounds
from anju.lib.workdays import start_of_day


def _bounds(since: date | datetime, until: date | datetime) -> tuple[datetime, datetime]:
    start = since if isinstance(since, datetime) else start_of_day(since)
    end = until if isinstance(until, datetime) else period_bounds(until, until)[1]
    return start, end


def incidents_received(region: Region | None, since, until) -> int:
    """Incidents received: incidents the duty offices learned of (接报) in the period."""
    start, end = _bounds(since, until)
    rows = Incident.objects.filter(between("known_at", start, end))
    if region is not None:
        rows = rows.filter(case__area_path__startswith=region.path)
    return rows.count()


def reports_on_time(region: Region | None, since, until) -> float | None:
    """Incident reports on time (%): of the reports made in the period that answered a deadline
    (the first report by phone and in writing, each follow-up, the final report), the share made
    by it."""
    start, end = _bounds(since, until)
    rows = IncidentReport.objects.filter(between("reported_at", start, end), due_at__isnull=False)
    if region is not None:
        rows = rows.filter(incident__case__area_path__startswith=region.path)
    counts = rows.aggregate(whole=Count("id"), on_time=Count("id", filter=Q(late=False)))
    return round(100 * counts["on_time"] / counts["whole"], 1) if counts["whole"] else None


INDICATORS = [
    modules.Indicator("incidents_received", _("Incidents received"), incidents_received),
    modules.Indicator("incident_reports_on_time", _("Incident reports on time (%)"), reports_on_time),
]
