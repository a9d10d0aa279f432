"""The lists of plans and drills, filtered as the API and the pages filter them."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from anju.duty import plans_access as access
from anju.duty.choices import LIVE_STATUSES, PlanStatus
from anju.duty.plans import REVIEW_WARN_DAYS


@dataclass
class PlanFilters:
    owner: str = ""  # office code
    kind: str = ""
    status: str = ""  # a PlanStatus; empty: all but retired
    due_review: bool = False  # review overdue or due within REVIEW_WARN_DAYS
    not_drilled: bool = False  # not drilled within the drill period
    text: str = ""


def plans_for(user, filters: PlanFilters, *, today: date):
    rows = access.visible_plans(user).select_related("owner")
    if filters.owner:
        rows = rows.filter(owner__code=filters.owner)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    else:
        rows = rows.exclude(status=PlanStatus.RETIRED)
    if filters.due_review:
        rows = rows.filter(status__in=LIVE_STATUSES,
                           next_review_on__lte=today + timedelta(days=REVIEW_WARN_DAYS))
    if filters.not_drilled:
        rows = rows.filter(status__in=LIVE_STATUSES, drill_due_on__lt=today)
    if filters.text:
        rows = rows.filter(Q(title__icontains=filters.text) | Q(number__icontains=filters.text) |
                           Q(scope__icontains=filters.text))
    return rows.order_by("-id")


@dataclass
class DrillFilters:
    plan: int | None = None
    status: str = ""
    drill_type: str = ""


def drills_for(user, filters: DrillFilters):
    rows = access.visible_drills(user).select_related("plan", "plan__owner") \
        .annotate(improvements_open=Count("improvements", filter=Q(improvements__done_on__isnull=True)))
    if filters.plan:
        rows = rows.filter(plan_id=filters.plan)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.drill_type:
        rows = rows.filter(drill_type=filters.drill_type)
    return rows.order_by("-id")
