"""The duty module's indicators for the scorecards (``modules.Indicator``): rosters complete, the
share of days covered by a duty officer and a leader on duty throughout (here), the incidents'
(``incident_stats``) and the plans' (``plans_stats``). Counts of days, never of persons.

``compute(region, since, until)`` counts over the offices keeping a roster whose jurisdiction lies
in ``region``'s subtree (every office when ``region`` is None), and over the days from ``since``
to ``until`` (dates, both included; an aware datetime counts from its day). ``office`` (a code)
narrows it to one office. A rate is a percentage with one decimal, None when no office keeps a
roster there.
"""

from datetime import date, datetime, timedelta

from django.utils.translation import gettext_lazy as _

from anju.cases import modules
from anju.duty import incident_stats, plans_stats
from anju.geo.models import Region
from anju.lib.workdays import local_date


def _day(value: date | datetime) -> date:
    return local_date(value) if isinstance(value, datetime) else value


def rosters_complete(region: Region | None, since, until, *, office: str | None = None) -> float | None:
    """Rosters complete (%): of the days of the period times the offices keeping a roster, the
    share whose every hour is covered by a shift with both a duty officer and a leader on duty."""
    from anju.duty import queries

    first, last = _day(since), _day(until)
    if isinstance(until, datetime) and until == until.replace(hour=0, minute=0, second=0, microsecond=0):
        last -= timedelta(days=1)  # [since, until): a moment at midnight ends the day before
    if last < first:
        return None
    offices = queries.duty_offices()
    if region is not None:
        offices = offices.filter(jurisdiction__path__startswith=region.path)
    if office:
        offices = offices.filter(code=office)
    offices = list(offices)
    if not offices:
        return None
    days = (last - first).days + 1
    covered = sum(len(queries.complete_days(o, first, last)) for o in offices)
    return round(100 * covered / (days * len(offices)), 1)


INDICATORS = [
    modules.Indicator("duty_rosters_complete", _("Rosters complete (值班表完整率)"), rosters_complete),
    *incident_stats.INDICATORS,
    *plans_stats.INDICATORS,
]
