"""Who may read and keep contingency plans and drills.

Every member of staff reads the plans library (a plan is a public duty of an office, not a
record about anyone). A plan, its versions, reviews and drills are kept by administrators whose
scope reaches the owning office's area, by supervisors and leaders of the county (a scope at
county level or above it that reaches that area), and by the handlers of the owning office for
its own plans. An improvement is also marked done by the handlers of the office responsible
for it."""

from django.http import Http404

from anju.duty.choices import DRILL_TRANSITIONS, PLAN_TRANSITIONS, PlanStatus
from anju.duty.models import ContingencyPlan, Drill, DrillImprovement
from anju.geo.choices import Level
from anju.people.access import is_global, roles_of
from anju.people.choices import Role
from anju.people.models import Office

# Supervisors and leaders keep plans only with a county-wide scope (or wider).
COUNTY_KEEPERS = frozenset({Role.SUPERVISOR, Role.LEADER})


def is_staff(user) -> bool:
    """A signed-in, active user holding at least one role."""
    return bool(user.is_authenticated and user.is_active and (is_global(user) or roles_of(user)))


def handled_offices(user) -> set[int]:
    """The offices ``user`` handles for: handler roles scoped to an office, and the office the
    user works in when they hold a handler role."""
    offices = {a.office_id for a in roles_of(user) if a.role == Role.HANDLER and a.office_id}
    if getattr(user, "office_id", None) and any(a.role == Role.HANDLER for a in roles_of(user)):
        offices.add(user.office_id)
    return offices


def _keeps_area(user, area_path: str) -> bool:
    """An administrator whose scope reaches ``area_path``, or a county supervisor or leader
    whose scope reaches it."""
    for a in roles_of(user):
        if a.role == Role.ADMIN and a.office_id is None and \
                (a.region_id is None or area_path.startswith(a.region.path)):
            return True
        if a.role in COUNTY_KEEPERS and a.region_id and a.region.level == Level.COUNTY \
                and area_path.startswith(a.region.path):
            return True
    return False


def can_keep_plans_of(user, office: Office) -> bool:
    """May ``user`` register and keep plans owned by ``office``?"""
    if not is_staff(user):
        return False
    if is_global(user):
        return True
    return office.pk in handled_offices(user) or _keeps_area(user, office.jurisdiction.path)


def can_keep(user, plan: ContingencyPlan) -> bool:
    """May ``user`` change ``plan``: its details, versions, reviews, retirement and drills."""
    if not is_staff(user):
        return False
    if is_global(user):
        return True
    return plan.owner_id in handled_offices(user) or _keeps_area(user, plan.area_path)


def may_keep_any(user) -> bool:
    """Whether the user keeps plans of at least one office (the "new plan" link)."""
    if not is_staff(user):
        return False
    if is_global(user) or handled_offices(user):
        return True
    return any(a.role == Role.ADMIN and a.office_id is None or
               (a.role in COUNTY_KEEPERS and a.region_id and a.region.level == Level.COUNTY) for a in roles_of(user))


def keepable_offices(user):
    """The active offices whose plans ``user`` keeps (for the choice of owner)."""
    rows = Office.objects.filter(is_active=True).select_related("jurisdiction").order_by("kind", "code")
    return [o for o in rows if can_keep_plans_of(user, o)]


def can_mark_done(user, improvement: DrillImprovement) -> bool:
    """Mark an improvement done: whoever keeps the plan, and the handlers of the office
    responsible for the improvement."""
    return can_keep(user, improvement.drill.plan) or (is_staff(user) and improvement.owner_id in handled_offices(user))


def visible_plans(user):
    """The plans ``user`` may read: every plan for staff, none otherwise."""
    rows = ContingencyPlan.objects.all()
    return rows if is_staff(user) else rows.none()


def visible_drills(user):
    rows = Drill.objects.all()
    return rows if is_staff(user) else rows.none()


def get_plan_for(user, plan_id) -> ContingencyPlan:
    """The plan, or 404 alike when it does not exist and when the user may not read it."""
    plan = visible_plans(user).select_related("owner", "owner__jurisdiction").filter(pk=plan_id).first() \
        if isinstance(plan_id, int) else None
    if plan is None:
        raise Http404
    return plan


def get_drill_for(user, drill_id) -> Drill:
    drill = visible_drills(user).select_related("plan", "plan__owner").filter(pk=drill_id).first() \
        if isinstance(drill_id, int) else None
    if drill is None:
        raise Http404
    return drill


def get_improvement_for(user, drill: Drill, improvement_id) -> DrillImprovement:
    row = drill.improvements.select_related("owner", "drill__plan").filter(pk=improvement_id).first() \
        if isinstance(improvement_id, int) else None
    if row is None:
        raise Http404
    return row


def plan_actions(user, plan: ContingencyPlan) -> list[str]:
    """What ``user`` may do with ``plan`` now (the API's ``actions``, the page's forms)."""
    if not can_keep(user, plan):
        return []
    order = ("update", "approve_version", "review", "plan_drill", "retire")
    return [action for action in order if plan.status in PLAN_TRANSITIONS[action]]


def drill_actions(user, drill: Drill) -> list[str]:
    """What ``user`` may do with ``drill`` now: hold, cancel, add_improvement."""
    if not can_keep(user, drill.plan) or drill.plan.status == PlanStatus.RETIRED:
        return []
    return [action for action in ("hold", "cancel", "add_improvement") if drill.status in DRILL_TRANSITIONS[action]]
