"""The indicators of contingency plans and drills for the scorecards (``modules.Indicator``):
the share of plans reviewed on time, the share drilled within their period, and the drill
improvements overdue. Counts of plans and improvements, never of persons.

Each ``compute(region, since, until)`` counts the plans of the offices whose area lies in
``region``'s subtree (every plan when ``region`` is None) as they stand at the end of the
period (``until``, a date or an aware datetime; today when the period runs on past it): the
plans in force or under revision then, from their current dates. A rate is a percentage with
one decimal, None when there is no plan to count.
"""

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.cases import modules
from anju.duty.choices import LIVE_STATUSES
from anju.duty.models import ContingencyPlan, DrillImprovement
from anju.geo.models import Region
from anju.lib.workdays import local_date


def _as_of(until: date | datetime) -> date:
    day = local_date(until) if isinstance(until, datetime) else until
    return min(day, local_date(timezone.now()))


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def live_plans(region: Region | None):
    rows = ContingencyPlan.objects.filter(status__in=LIVE_STATUSES)
    return rows if region is None else rows.filter(area_path__startswith=region.path)


def reviewed_on_time(region: Region | None, since, until) -> float | None:
    """Plans reviewed on time (%): of the plans in force or under revision, those whose next
    review is not past ("原则上每3年评估一次")."""
    day = _as_of(until)
    rows = live_plans(region)
    return _rate(rows.filter(Q(next_review_on__isnull=True) | Q(next_review_on__gte=day)).count(), rows.count())


def drilled_in_period(region: Region | None, since, until) -> float | None:
    """Plans drilled within their period (%): of the plans in force or under revision, those
    drilled within their drill period (counted from the day they came into force when never
    drilled)."""
    day = _as_of(until)
    rows = live_plans(region)
    return _rate(rows.filter(Q(drill_due_on__isnull=True) | Q(drill_due_on__gte=day)).count(), rows.count())


def improvements_overdue(region: Region | None, since, until) -> int:
    """Drill improvements overdue: not done and past their deadline at the end of the period."""
    rows = DrillImprovement.objects.filter(due_on__lt=_as_of(until), done_on__isnull=True)
    return rows.count() if region is None else rows.filter(drill__plan__area_path__startswith=region.path).count()


INDICATORS = [
    modules.Indicator("plans_reviewed_on_time", _("Plans reviewed on time (%)"), reviewed_on_time),
    modules.Indicator("plans_drilled_in_period", _("Plans drilled within their period (%)"), drilled_in_period),
    modules.Indicator("drill_improvements_overdue", _("Drill improvements overdue"), improvements_overdue),
]
