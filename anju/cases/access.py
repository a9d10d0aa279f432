"""Who may see and do what with a case.

Every read goes through ``visible_to(user)``; every single case through ``get_case_for``,
which answers "not found" alike for a case that does not exist and one out of the user's
scope, so the API never reveals what exists.
"""

from django.db.models import Q
from django.http import Http404

from anju.cases import modules
from anju.cases.choices import Action
from anju.cases.models import Case
from anju.people.access import is_global, offices_of, roles_of
from anju.people.choices import Role

CREATE = "create"
REVEAL_REPORTER = "reveal_reporter"

# What each role may do, within its scope.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.DISPATCHER: frozenset(
        {CREATE, Action.ACCEPT, Action.REJECT, Action.DISPATCH, Action.TRANSFER, Action.MERGE,
         Action.FOLLOW_UP, Action.REOPEN, Action.WITHHOLD, REVEAL_REPORTER}
    ),
    Role.HANDLER: frozenset(
        {Action.START, Action.WAIT, Action.RESUME, Action.RESOLVE, Action.RETURN,
         Action.REQUEST_EXTENSION, REVEAL_REPORTER}
    ),
    Role.SUPERVISOR: frozenset(
        {Action.APPROVE_EXTENSION, Action.DENY_EXTENSION, Action.SUPERVISE, Action.REOPEN, Action.WITHHOLD,
         REVEAL_REPORTER}
    ),
    Role.LEADER: frozenset({Action.SUPERVISE}),
    Role.GRID_WORKER: frozenset({CREATE, Action.FOLLOW_UP}),
}
ALL_ACTIONS = frozenset({CREATE, REVEAL_REPORTER, *Action.values})


def actions_of(assignment) -> frozenset[str]:
    if assignment.role == Role.ADMIN:
        return ALL_ACTIONS
    return ROLE_ACTIONS.get(assignment.role, frozenset())


def _scope_q(assignment) -> Q:
    condition = Q()
    if assignment.region_id:
        condition &= Q(area_path__startswith=assignment.region.path)
    if assignment.office_id:
        condition &= Q(office_id=assignment.office_id)
    return condition


def _in_scope(assignment, case: Case) -> bool:
    if assignment.region_id and not case.area_path.startswith(assignment.region.path):
        return False
    if assignment.office_id and case.office_id != assignment.office_id:
        return False
    return True


def without_reports_about_own_offices(user, queryset):
    """``queryset`` less the reports of wrongdoing, and the other cases kept from the office they
    are about (``kept_from_office_about``), about any office ``user`` belongs to (``offices_of``),
    whatever the role: the one rule every list of cases applies, directly or through
    ``visible_to``."""
    offices = offices_of(user)
    if not offices:
        return queryset
    return queryset.exclude(kept_from_office_about=True, about_office_id__in=offices)


def visible_to(user, queryset=None):
    """The cases ``user`` may see: in the scope of any of the user's roles, or created by
    the user. A report of wrongdoing, or any case kept from the office it is about, is never
    seen by that office, and a grid worker's scope does not reach the kinds whose module says
    so (``CaseKind.grid_workers_reach``)."""
    queryset = Case.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    queryset = without_reports_about_own_offices(user, queryset)
    if is_global(user):
        return queryset
    condition = Q(created_by=user)
    for assignment in roles_of(user):
        if assignment.region_id is None and assignment.office_id is None:
            # A non-admin role without a scope reaches nothing: scopes are explicit.
            continue
        scope = _scope_q(assignment)
        if assignment.role == Role.GRID_WORKER:
            scope &= Q(kind__in=modules.grid_worker_kinds())
        condition |= scope
    return queryset.filter(condition)


def get_case_for(user, case_id, queryset=None) -> Case:
    """The case with this id if ``user`` may see it; Http404 otherwise (missing and
    forbidden look the same)."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    case = visible_to(user, queryset).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def can(user, action: str, case: Case) -> bool:
    """May ``user`` take ``action`` on ``case`` (ignoring the case's status)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if case.kept_from_office_about and case.about_office_id in offices_of(user):
        return False
    if is_global(user):
        return True
    for assignment in roles_of(user):
        if assignment.region_id is None and assignment.office_id is None:
            continue
        if assignment.role == Role.GRID_WORKER and case.kind not in modules.grid_worker_kinds():
            continue
        if action in actions_of(assignment) and _in_scope(assignment, case):
            return True
    return False


def can_create_in(user, region) -> bool:
    """May ``user`` register a case located in ``region``?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_global(user):
        return True
    for assignment in roles_of(user):
        if CREATE in actions_of(assignment) and assignment.region_id:
            if region.path.startswith(assignment.region.path):
                return True
    return False


def person_hidden_from(user, case: Case) -> bool:
    """The one rule of who may not learn who a person on a case is: its reporter, and every
    person a domain module keeps on it (a dispute's parties, a petition's petitioners, ...).

    Hidden from every user of the office the case is about (``offices_of``), whatever the role.
    A confidential case also hides them from the office that owns it (often the same: complaints
    are routed to the township; before dispatch it is the service centre), administrators apart,
    but for a user whose work on the case is to reach its people, as the kind's module says
    (``CaseKind.owner_reaches_people``: a mediator mediating the dispute)."""
    offices = offices_of(user)
    if case.about_office_id in offices:
        return True
    if not (case.confidential and case.office_id in offices) or is_global(user):
        return False
    kind = modules.case_kind(case.kind)
    reaches = kind.hook("owner_reaches_people") if kind is not None else None
    return not (reaches is not None and reaches(user, case))


def attachment_withheld(user, case: Case, attachment) -> bool:
    """A file of a case whose people are hidden from ``user`` (a scanned letter, a photo of an
    ID card) is not given to that user, unless staff who may see them marked it free of
    personal data (``services.clear_attachment``)."""
    return not attachment.free_of_personal_data and person_hidden_from(user, case)


def can_reveal_person(user, case: Case) -> bool:
    """May ``user`` see in full who a person on ``case`` is (the reporter, a party, a petitioner):
    the role's right, and not hidden from the user (``person_hidden_from``)."""
    return can(user, REVEAL_REPORTER, case) and not person_hidden_from(user, case)


def allowed_actions(user, case: Case) -> list[str]:
    """The lifecycle actions ``user`` could take on ``case`` right now."""
    from anju.cases.choices import TRANSITIONS

    return [
        action for action, (sources, _target) in TRANSITIONS.items()
        if case.status in sources and can(user, action, case)
        # Taken on the module's own page (``CaseKind.module_actions``).
        and modules.module_refusal(case, action) is None
        and (action != Action.WITHHOLD or (case.about_office_id is not None and not case.kept_from_office_about))
    ]
