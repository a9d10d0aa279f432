"""Deadline policies and the working-day calendar with the administrator's overrides."""

import logging
from datetime import datetime, timedelta

from django.db.models import Q

from anju.cases.choices import ClockUnit
from anju.cases.models import CalendarOverride, Case, Category, DeadlinePolicy, HolidayNotice
from anju.lib.workdays import Calendar, Deadline

log = logging.getLogger("anju.deadlines")

# Used when no policy matches, so that no case is ever without a deadline.
FALLBACK_RULE = {
    "policy": None,
    "name": "default",
    "accept": [1, ClockUnit.WORKING_DAYS],
    "handle": [15, ClockUnit.WORKING_DAYS],
    "reply": [5, ClockUnit.WORKING_DAYS],
    "warn_before_hours": 24,
    "escalate_after_hours": 24,
}


def calendar_for(start: datetime) -> Calendar:
    """A calendar with the overrides that can matter for deadlines starting at ``start``."""
    first = start.date() - timedelta(days=400)
    last = start.date() + timedelta(days=3 * 366)
    overrides = dict(
        CalendarOverride.objects.filter(date__range=(first, last)).values_list("date", "is_workday")
    )
    return Calendar(overrides, HolidayNotice.objects.values_list("year", flat=True))


def _specificity(policy: DeadlinePolicy, category_depth: dict[int, int]):
    return (
        1 if policy.priority else 0,
        category_depth.get(policy.category_id, -1),
        1 if policy.kind else 0,
    )


def policy_for(kind: str, category: Category, priority: str) -> DeadlinePolicy | None:
    """The most specific policy matching (kind, category, priority): priority first, then
    the deepest category (a policy on a category covers its children), then kind."""
    ancestor_codes = [c for c in category.path.split("/") if c]
    ancestors = dict(Category.objects.filter(code__in=ancestor_codes).values_list("id", "depth"))
    candidates = DeadlinePolicy.objects.filter(kind__in=["", kind], priority__in=["", priority]).filter(
        Q(category_id__in=list(ancestors)) | Q(category__isnull=True)
    )
    best = None
    for policy in candidates:
        if best is None or _specificity(policy, ancestors) > _specificity(best, ancestors):
            best = policy
    return best


def rule_from_policy(policy: DeadlinePolicy | None) -> dict:
    """The snapshot of a policy stored on a case: later edits of the policy do not move
    the deadlines of cases already received."""
    if policy is None:
        return dict(FALLBACK_RULE)
    return {
        "policy": policy.pk,
        "name": policy.name,
        "accept": [policy.accept_amount, policy.accept_unit],
        "handle": [policy.handle_amount, policy.handle_unit],
        "reply": [policy.reply_amount, policy.reply_unit],
        "warn_before_hours": policy.warn_before_hours,
        "escalate_after_hours": policy.escalate_after_hours,
    }


def compute(case: Case, stage: str, start: datetime) -> Deadline:
    """The deadline of ``stage`` ("accept", "handle" or "reply") counted from ``start``."""
    amount, unit = case.deadline_rule.get(stage) or FALLBACK_RULE[stage]
    deadline = calendar_for(start).add(start, amount, unit)
    if deadline.estimated:
        log.warning(
            "deadline for case %s (%s) is an estimate: the State Council's holiday notice for its year "
            "is not entered yet; enter it as calendar overrides", case.tracking_code, stage,
        )
    return deadline



def estimated(case: Case, field_name: str = "due_at") -> bool:
    """Whether the deadline in ``field_name`` (the running one by default) was counted over a day
    no official calendar or override covers yet."""
    basis = case.deadline_basis or {}
    if field_name != "due_at":
        return bool(basis.get(field_name, {}).get("estimated"))
    return any(entry.get("estimated") for name, entry in basis.items()
               if case.due_at is not None and getattr(case, name, None) == case.due_at)
