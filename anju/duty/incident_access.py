"""Who sees and acts on incidents. An incident is a case: who sees it is the core's rule
(``cases.access``), widened to the office a report of it was forwarded to (the level above signs
for it). The duty office that keeps it reports on it: its members, and staff whose role reaches
the case to handle or supervise it."""

from django.db.models import Q
from django.http import Http404

from anju.cases import access as case_access
from anju.cases.choices import Action
from anju.cases.models import Case
from anju.duty.choices import INCIDENT
from anju.duty.models import Forward
from anju.people.access import is_global, offices_of, roles_of
from anju.people.choices import Role

# Roles that receive incidents for a region their scope reaches (the duty offices' staff
# receive them for their own office).
RECEIVERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _member_of(user, office_id) -> bool:
    """Works in the office (or in its area, ``offices_of``) with a role beyond a grid worker's:
    a grid worker reports what he sees through the intake, not for the duty office."""
    return office_id in offices_of(user) and any(a.role != Role.GRID_WORKER for a in roles_of(user))


def incident_cases(user):
    """The incident cases ``user`` may see: the core's rule, and those forwarded to their office."""
    rows = Case.objects.filter(kind=INCIDENT)
    if not _active(user):
        return rows.none()
    if is_global(user):
        return case_access.visible_to(user, rows)
    forwarded = Forward.objects.filter(to_office_id__in=offices_of(user)).values("report__incident__case_id")
    return rows.filter(Q(pk__in=case_access.visible_to(user, rows).values("pk")) | Q(pk__in=forwarded))


def get_incident_case_for(user, case_id) -> Case:
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    case = incident_cases(user).select_related("incident", "office", "region").filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def can_open(user, office) -> bool:
    """Receive an incident for ``office`` to keep: its own members, and staff whose role reaches
    the office's area to receive cases there."""
    if not _active(user) or office is None:
        return False
    if is_global(user) or _member_of(user, office.pk):
        return True
    return any(a.role in RECEIVERS and a.region_id and office.jurisdiction.path.startswith(a.region.path)
               for a in roles_of(user))


def can_report(user, case: Case) -> bool:
    """Report on an incident, forward its reports and change its grade: the members of the office
    that keeps it, and staff who may handle or supervise the case."""
    if not _active(user):
        return False
    if case.office_id and _member_of(user, case.office_id):
        return True
    return any(case_access.can(user, action, case) for action in (Action.START, Action.RESOLVE, Action.SUPERVISE))


def can_receive(user, office) -> bool:
    """Sign for a report forwarded to ``office``: its members."""
    return _active(user) and (is_global(user) or _member_of(user, office.pk))
