"""Who may see and do what with petitions and reception days.

A petition is seen by whoever sees its case (``anju.cases.access.visible_to``), which already
keeps a report of wrongdoing from the body it is about. The petition office's dispatchers
register and route; the competent body's handlers accept, object, answer and ask for more
time; supervisors approve extensions and transfers; leaders take personal charge (包案). The
petitioners' identity is hidden from every user of the body the petition is about, whatever
the role: the one rule of ``cases.access.person_hidden_from`` for every person on a case.
"""

from anju.cases import access as case_access
from anju.cases.choices import Action
from anju.cases.models import Case
from anju.people import access as people_access
from anju.people.choices import Role
from anju.petitions.choices import PETITION

# The petition office (登记、转送、交办; recording what a petitioner hands in at the counter).
ROUTE = Action.DISPATCH
# The competent body (受理、异议、答复、申请延期、听证).
HANDLE = Action.RESOLVE
# Supervisors (approving an extension or a transfer, naming the leader in charge).
APPROVE = Action.APPROVE_EXTENSION


def petition_cases(user, queryset=None):
    """The petition cases ``user`` may see."""
    queryset = Case.objects.filter(kind=PETITION) if queryset is None else queryset.filter(kind=PETITION)
    return case_access.visible_to(user, queryset)


def get_petition_case_for(user, case_id, queryset=None) -> Case:
    """The petition case with this id if ``user`` may see it; Http404 otherwise."""
    queryset = Case.objects.filter(kind=PETITION) if queryset is None else queryset.filter(kind=PETITION)
    return case_access.get_case_for(user, case_id, queryset)


def can_route(user, case: Case) -> bool:
    return case_access.can(user, ROUTE, case)


def can_handle(user, case: Case) -> bool:
    return case_access.can(user, HANDLE, case)


def can_approve(user, case: Case) -> bool:
    return case_access.can(user, APPROVE, case)


def can_record_for_petitioner(user, case: Case) -> bool:
    """Record what the petitioner hands in (a review request, a delivery date, a booking at the
    counter): the petition office, or the body handling it."""
    return can_route(user, case) or can_handle(user, case)


def is_leader_for(user, case: Case) -> bool:
    """Holds the leader role with a scope that reaches the case, sees it, and is not of the body
    the petition is about (a leader of that body would learn who petitioned)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    roles = people_access.roles_of(user)
    return (any(a.role == Role.LEADER for a in roles) and case_access.can(user, Action.SUPERVISE, case)
            and case_access.visible_to(user).filter(pk=case.pk).exists()
            and not case_access.person_hidden_from(user, case))


def can_name_leader(user, case: Case, leader) -> bool:
    """A leader takes personal charge of a petition in reach; a supervisor names any such leader."""
    if not is_leader_for(leader, case):
        return False
    return (user.pk == leader.pk) or can_approve(user, case)


# ---------------------------------------------------------------------------- reception days


def can_plan_reception(user, region) -> bool:
    """Supervisors and leaders (and administrators) plan reception days for regions in scope."""
    if not user.is_authenticated or not user.is_active:
        return False
    if people_access.is_global(user):
        return True
    return any(a.region_id and region.path.startswith(a.region.path) and a.role in (Role.SUPERVISOR, Role.LEADER)
               for a in people_access.roles_of(user))


def is_leader(user) -> bool:
    return user.is_authenticated and any(a.role == Role.LEADER for a in people_access.roles_of(user))
