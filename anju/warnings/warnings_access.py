"""Who sees warnings and who takes each step of one.

A warning is the county's message to the people in the way of a hazard: every member of staff
whose scope meets its area reads it (a scope within the area, or an area within the scope), and
so does whoever was asked to acknowledge it. Drafting and issuing are the desk's work
(dispatchers, supervisors, leaders and administrators whose scope reaches the area); approving,
changing, cancelling and the all-clear need the role the level requires (``level_policy``'s
``approver_role`` or a higher one: leader > supervisor) with a scope reaching the area, and nobody
approves a warning they drafted. The duty desk (the drafters and the handlers of an office whose
jurisdiction reaches the area) records acknowledgements made by phone, enters evacuations and
opens an incident; the grid workers whose grid a point lies in enter its households'
evacuation."""

from django.db.models import Q
from django.http import Http404

from anju.people.access import is_global, roles_of
from anju.people.choices import Role
from anju.warnings.choices import Responder
from anju.warnings.models import Acknowledgement, MonitoringPoint, Warning

# Roles that draft and issue warnings within their scope.
DRAFTERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
# Roles that keep the duty desk of a warning: the drafters, and handlers (the duty officers of an
# office whose jurisdiction reaches the area).
OPERATORS = DRAFTERS | {Role.HANDLER}
# Roles that read warnings within their scope.
READERS = OPERATORS | {Role.GRID_WORKER}
# The approving roles, lowest first: a role approves what its rank or a lower one may.
APPROVER_RANK = {Role.SUPERVISOR: 1, Role.LEADER: 2}


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_staff(user) -> bool:
    """A signed-in, active user holding at least one role."""
    return _active(user) and (is_global(user) or bool(roles_of(user)))


def _scope_path(assignment) -> str | None:
    """The region path a role assignment reaches: its region, else its office's jurisdiction;
    "" for an administrator without a scope (everywhere); None for a role reaching nowhere."""
    if assignment.region_id:
        return assignment.region.path
    if assignment.office_id:
        return assignment.office.jurisdiction.path
    return "" if assignment.role == Role.ADMIN else None


def scope_paths(user, roles=READERS) -> list[str] | None:
    """The region paths ``user``'s roles in ``roles`` reach; None for a user who reaches all."""
    if not _active(user):
        return []
    if is_global(user):
        return None
    paths = (_scope_path(a) for a in roles_of(user) if a.role in roles)
    return [p for p in paths if p is not None]


def _reaches(user, area_path: str, roles) -> bool:
    """A role of ``roles`` whose scope holds ``area_path``."""
    paths = scope_paths(user, roles)
    return paths is None or any(area_path.startswith(path) for path in paths)


def _meets(user, area_path: str, roles) -> bool:
    """A role of ``roles`` whose scope holds ``area_path`` or lies within it."""
    paths = scope_paths(user, roles)
    return paths is None or any(area_path.startswith(path) or path.startswith(area_path) for path in paths)


def ancestors(path: str) -> list[str]:
    """The paths of the regions from the root down to ``path`` itself."""
    codes = [c for c in path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[:n]) for n in range(1, len(codes) + 1)]


def visible_warnings(user):
    """The warnings ``user`` may read: those whose area meets their scope, and those they were
    asked to acknowledge."""
    rows = Warning.objects.all()
    if not _active(user):
        return rows.none()
    paths = scope_paths(user)
    if paths is None:
        return rows
    condition = Q(pk__in=Acknowledgement.objects.filter(user=user).values("warning_id"))
    for path in paths:
        condition |= Q(area_path__startswith=path) | Q(area_path__in=ancestors(path))
    return rows.filter(condition)


def get_warning_for(user, warning_id) -> Warning:
    """The warning, or 404 alike when it does not exist and when the user may not read it."""
    try:
        warning_id = int(warning_id)
    except (TypeError, ValueError):
        raise Http404 from None
    warning = visible_warnings(user).select_related("area", "drafted_by", "approved_by").filter(
        pk=warning_id).first() if 0 < warning_id < 2**62 else None
    if warning is None:
        raise Http404
    return warning


def can_draft(user, area) -> bool:
    """Draft a warning for ``area`` (a Region): a drafter whose scope reaches it."""
    return _active(user) and _reaches(user, area.path, DRAFTERS)


def may_draft_any(user) -> bool:
    """Whether the user drafts warnings anywhere (the "new warning" link)."""
    paths = scope_paths(user, DRAFTERS)
    return paths is None or bool(paths)


def approver_rank(user, area_path: str) -> int:
    """The highest approving rank ``user`` holds with a scope reaching ``area_path`` (0: none).
    Approving is a decision of the roles that carry it: an administrator approves only by
    holding such a role too."""
    if not _active(user):
        return 0
    ranks = [APPROVER_RANK[a.role] for a in roles_of(user)
             if a.role in APPROVER_RANK and (path := _scope_path(a)) is not None and area_path.startswith(path)]
    return max(ranks, default=0)


def required_rank(approver_role: str) -> int:
    """The rank a level's ``approver_role`` asks for (an unknown role asks for the highest)."""
    return APPROVER_RANK.get(approver_role, max(APPROVER_RANK.values()))


def holds_approver_role(user, warning: Warning, approver_role: str) -> bool:
    """The role a level requires, or a higher one, reaching the warning's area."""
    return approver_rank(user, warning.area_path) >= required_rank(approver_role)


def can_approve(user, warning: Warning, approver_role: str) -> bool:
    """Approve (or turn down) a draft: the role its level requires, not its drafter."""
    return holds_approver_role(user, warning, approver_role) and warning.drafted_by_id != user.pk


def can_issue(user, warning: Warning) -> bool:
    """Issue an approved warning: a drafter whose scope reaches its area."""
    return _active(user) and _reaches(user, warning.area_path, DRAFTERS)


def can_operate(user, warning: Warning) -> bool:
    """Keep the duty desk of a warning: record acknowledgements made by phone, enter
    evacuations, open an incident."""
    return _active(user) and _reaches(user, warning.area_path, OPERATORS)


def is_points_grid_worker(user, point: MonitoringPoint) -> bool:
    """A grid worker whose grid (or village) the point lies in, or whose grid lies in the point's
    village when the point is kept at village level."""
    paths = scope_paths(user, {Role.GRID_WORKER})
    return paths is None or any(point.area_path.startswith(p) or p.startswith(point.area_path) for p in paths)


def can_enter_evacuation(user, warning: Warning, point: MonitoringPoint) -> bool:
    """Enter a household's evacuation at ``point``: the point's grid workers and the duty desk."""
    return _active(user) and (is_points_grid_worker(user, point) or can_operate(user, warning))


def can_answer(user, ack: Acknowledgement) -> bool:
    """Acknowledge in the app: the person asked; where the supervisors stand in for a duty
    officer (no roster, or no shift now), any supervisor or leader reaching the point."""
    if not _active(user):
        return False
    if ack.user_id is not None:
        return ack.user_id == user.pk
    if ack.responder != Responder.DUTY_OFFICER:
        return False
    path = ack.point.area_path if ack.point_id else ack.warning.area_path
    return approver_rank(user, path) > 0
