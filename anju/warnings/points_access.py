"""Who may see and do what with the monitoring points register, its households, checks, devices,
readings and threshold rules. Missing and forbidden look the same (404) wherever a point is
fetched (``get_point_for``).

- **Reading** the register: staff whose role's region reaches the point (dispatchers,
  supervisors, leaders, administrators, grid workers: a grid worker of a grid or village sees the
  points there), the handlers of an office whose jurisdiction reaches it (a township's duty
  officers; the county's natural resources and emergency bureaus, whose area is the county), and
  the point's own monitor and deputy when they have an account. Households are masked for all.
- **Keeping** a point (registering, correcting, its households, devices and rules of its own):
  dispatchers, supervisors and administrators whose region reaches it, as the hazards sites
  register is kept (``hazards.access.KEEPERS``).
- **Working at** a point (entering readings by hand, recording a season check, seeing a
  household's head and phone in full, logged, and printing its 避险明白卡): its keepers, the grid
  workers whose region reaches it, and its monitor and deputy: they are the ones who walk to the
  households and call them when the rain comes.
- **Threshold rules**: supervisors and administrators whose region reaches the rule's area (for a
  county-wide rule, a scope over the whole county) or the rule's point.
"""

from django.db.models import Q
from django.http import Http404

from anju.geo.models import Region
from anju.people.access import is_global, roles_of
from anju.people.choices import Role
from anju.people.models import Office
from anju.warnings.models import Device, Household, MonitoringPoint, ThresholdRule

# Roles that read the register within their region scope (handlers read by office jurisdiction).
READERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN, Role.GRID_WORKER})
# Roles that keep the register within their region scope.
KEEPERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN})
# Roles that work at a point within their region scope: readings by hand, checks, the households.
WORKERS = KEEPERS | {Role.GRID_WORKER}
# Roles that keep threshold rules within their region scope.
RULE_KEEPERS = frozenset({Role.SUPERVISOR, Role.ADMIN})


# Ids beyond this are unknown, like any missing one (the databases' integers end there).
MAX_ID = 2**62


def _id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < MAX_ID


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def region_paths(user, roles=READERS) -> list[str] | None:
    """The region paths ``user``'s roles in ``roles`` reach; None for a user who reaches all.
    An administrator without a region but scoped to an office reaches nothing by region."""
    if is_global(user):
        return None
    return [a.region.path if a.region_id else "" for a in roles_of(user)
            if a.role in roles and (a.region_id or (a.role == Role.ADMIN and not a.office_id))]


def _handler_paths(user) -> list[str]:
    """The jurisdictions of the offices ``user`` handles for (an office-scoped handler role, and
    the office at the user's desk when they hold a handler role)."""
    offices = {a.office_id for a in roles_of(user) if a.role == Role.HANDLER and a.office_id}
    if getattr(user, "office_id", None) and any(a.role == Role.HANDLER for a in roles_of(user)):
        offices.add(user.office_id)
    if not offices:
        return []
    return list(Office.objects.filter(pk__in=offices).values_list("jurisdiction__path", flat=True))


def _reaches(paths: list[str] | None, area_path: str) -> bool:
    return paths is None or any(area_path.startswith(path) for path in paths)


def _own_point(user, point: MonitoringPoint) -> bool:
    """The point's monitor or deputy, by their account."""
    return user.pk is not None and user.pk in (point.monitor_user_id, point.deputy_user_id)


# ---------------------------------------------------------------------------- reading


def visible_points(user, queryset=None):
    """The points ``user`` may see (the module's docstring), retired ones included."""
    rows = MonitoringPoint.objects.all() if queryset is None else queryset
    if not _active(user):
        return rows.none()
    paths = region_paths(user)
    if paths is None:
        return rows
    condition = Q(monitor_user=user) | Q(deputy_user=user)
    for path in paths + _handler_paths(user):
        condition |= Q(area_path__startswith=path)
    return rows.filter(condition)


def can_see(user, point: MonitoringPoint) -> bool:
    if not _active(user):
        return False
    paths = region_paths(user)
    return _reaches(paths, point.area_path) or _own_point(user, point) or \
        _reaches(_handler_paths(user), point.area_path)


def get_point_for(user, point_id) -> MonitoringPoint:
    """The point, or 404 alike when it does not exist and when ``user`` may not see it."""
    point = visible_points(user).select_related("region", "monitor_user", "deputy_user") \
        .filter(pk=point_id).first() if _id(point_id) else None
    if point is None:
        raise Http404
    return point


def get_household_for(user, point: MonitoringPoint, household_id) -> Household:
    """A household of ``point`` (which the caller fetched with ``get_point_for``), or 404."""
    row = point.household_rows.filter(pk=household_id).first() if _id(household_id) else None
    if row is None:
        raise Http404
    row.point = point
    return row


def get_device_for(user, point: MonitoringPoint, device_id) -> Device:
    row = point.devices.filter(pk=device_id).first() if _id(device_id) else None
    if row is None:
        raise Http404
    row.point = point
    return row


# ---------------------------------------------------------------------------- keeping


def can_keep_points_in(user, region: Region) -> bool:
    """May ``user`` register points in ``region`` (and correct points there)?"""
    return _active(user) and _reaches(region_paths(user, KEEPERS), region.path)


def can_keep(user, point: MonitoringPoint) -> bool:
    """Correct the point, keep its households and devices."""
    return _active(user) and _reaches(region_paths(user, KEEPERS), point.area_path)


def may_add_points(user) -> bool:
    """Whether ``user`` keeps the register anywhere (the "register a point" link)."""
    if not _active(user):
        return False
    paths = region_paths(user, KEEPERS)
    return paths is None or bool(paths)


def keepable_regions(user):
    """The villages and grids in which ``user`` may register points."""
    rows = Region.objects.filter(level__in=["village", "grid"]).order_by("path")
    paths = region_paths(user, KEEPERS)
    if paths is None:
        return rows
    if not paths:
        return rows.none()
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return rows.filter(condition)


# ---------------------------------------------------------------------------- working at a point


def can_work_at(user, point: MonitoringPoint) -> bool:
    """Enter readings by hand, record a season check, see a household in full (logged), print
    the households' 避险明白卡: keepers and grid workers whose region reaches the point, and the
    point's monitor and deputy."""
    if not _active(user):
        return False
    return _reaches(region_paths(user, WORKERS), point.area_path) or _own_point(user, point)


def can_reveal_households(user, point: MonitoringPoint) -> bool:
    """The one rule of who may see a threatened household's head and contacts in full: whoever
    works at the point (``can_work_at``); every look is logged (``points.reveal_household``)."""
    return can_work_at(user, point)


def can_reveal_monitors(user, point: MonitoringPoint) -> bool:
    """Who may see the monitor's and deputy's phones in full (logged): whoever works at the point,
    and the handlers of an office whose area reaches it (the duty officers who call the monitor
    when a warning goes out)."""
    return can_work_at(user, point) or (_active(user) and _reaches(_handler_paths(user), point.area_path))


# ---------------------------------------------------------------------------- threshold rules


def can_keep_rules_in(user, region: Region) -> bool:
    """Set rules for every point of ``region``: a supervisor or administrator whose scope
    reaches the whole of it."""
    return _active(user) and _reaches(region_paths(user, RULE_KEEPERS), region.path)


def can_keep_rules_of(user, point: MonitoringPoint) -> bool:
    """Set rules of one point's own."""
    return _active(user) and _reaches(region_paths(user, RULE_KEEPERS), point.area_path)


def can_keep_rule(user, rule: ThresholdRule) -> bool:
    if rule.point_id:
        return can_keep_rules_of(user, rule.point)
    return can_keep_rules_in(user, rule.area)


def may_keep_rules(user) -> bool:
    """Whether ``user`` keeps rules anywhere (the rules page's forms and the import)."""
    if not _active(user):
        return False
    paths = region_paths(user, RULE_KEEPERS)
    return paths is None or bool(paths)


def visible_rules(user):
    """The rules ``user`` may read: those of an area their reading scope lies in or reaches, and
    those of the points they see."""
    rows = ThresholdRule.objects.all()
    if not _active(user):
        return rows.none()
    paths = region_paths(user)
    if paths is None:
        return rows
    paths = paths + _handler_paths(user)
    condition = Q(point__in=visible_points(user))
    for path in paths:
        codes = [c for c in path.split("/") if c]
        ancestors = ["".join(f"{c}/" for c in codes[:n]) for n in range(1, len(codes) + 1)]
        condition |= Q(area__path__startswith=path) | Q(area__path__in=ancestors)
    return rows.filter(condition)


def get_rule_for(user, rule_id) -> ThresholdRule:
    row = visible_rules(user).select_related("point", "area").filter(pk=rule_id).first() if _id(rule_id) else None
    if row is None:
        raise Http404
    return row


# ---------------------------------------------------------------------------- what a user may do now


def point_actions(user, point: MonitoringPoint) -> list[str]:
    """What ``user`` may do with ``point`` now (the API's ``actions``, the page's forms):
    update, households, devices, rules, readings, checks, reveal, cards."""
    actions = []
    if can_keep(user, point):
        actions += ["update", "households", "devices"]
    if can_keep_rules_of(user, point):
        actions.append("rules")
    if point.is_active and can_work_at(user, point):
        actions += ["readings", "checks"]
    if can_reveal_households(user, point):
        actions += ["reveal", "cards"]
    return actions
