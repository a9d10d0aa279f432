"""Who may see and do what with disputes and screening rounds.

A dispute is seen by whoever sees its case (``anju.cases.access.visible_to``). The mediating
organisation's handlers mediate; supervisors open screening rounds for the regions they
supervise; grid workers report for the grids in their scope.
"""

from django.db.models import Q
from django.http import Http404

from anju.cases import access as case_access
from anju.cases.choices import Action
from anju.cases.models import Case
from anju.disputes.choices import DISPUTE
from anju.disputes.models import Dispute, ScreeningReport, ScreeningRound
from anju.people import access as people_access
from anju.people.choices import Role

# Mediating: the record, parties, sessions, agreement, conclusion. The core's handler rights
# in the owning office (administrators hold every right).
MEDIATE = Action.RESOLVE
# Passing a dispute to another organisation: its mediators, or a dispatcher's transfer right.
TRANSFER_RIGHTS = (Action.RESOLVE, Action.TRANSFER)
# A follow-up visit: the mediators, or whoever may do the core follow-up (dispatchers, grid workers).
VISIT_RIGHTS = (Action.RESOLVE, Action.FOLLOW_UP)


def dispute_cases(user):
    """The dispute cases ``user`` may see."""
    return case_access.visible_to(user, Case.objects.filter(kind=DISPUTE))


def get_dispute_case_for(user, case_id, queryset=None) -> Case:
    """The dispute case with this id if ``user`` may see it; Http404 otherwise."""
    queryset = Case.objects.filter(kind=DISPUTE) if queryset is None else queryset.filter(kind=DISPUTE)
    return case_access.get_case_for(user, case_id, queryset)


def can_mediate(user, case: Case) -> bool:
    return case_access.can(user, MEDIATE, case)


def can_transfer(user, case: Case) -> bool:
    return any(case_access.can(user, right, case) for right in TRANSFER_RIGHTS)


def can_visit(user, case: Case) -> bool:
    return any(case_access.can(user, right, case) for right in VISIT_RIGHTS)


def can_assign_mediator(user, case: Case) -> bool:
    """The mediating organisation's handlers, or a supervisor (the supervisor's own right to
    decide extensions, which leaders do not hold)."""
    return can_mediate(user, case) or case_access.can(user, Action.APPROVE_EXTENSION, case)


# ---------------------------------------------------------------------------- screening


def _region_scopes(user, roles=None) -> list:
    """The regions of the user's region-scoped roles (optionally only of ``roles``)."""
    return [a.region for a in people_access.roles_of(user)
            if a.region_id and (roles is None or a.role in roles or a.role == Role.ADMIN)]


def can_open_round(user, region) -> bool:
    """Supervisors (and administrators) open rounds for regions within their scope."""
    if not user.is_authenticated or not user.is_active:
        return False
    if people_access.is_global(user):
        return True
    return any(region.path.startswith(r.path) for r in _region_scopes(user, {Role.SUPERVISOR}))


def can_report_for(user, grid) -> bool:
    """Grid workers (and administrators) report for the grids in their scope."""
    if not user.is_authenticated or not user.is_active:
        return False
    if people_access.is_global(user):
        return True
    return any(grid.path.startswith(r.path) for r in _region_scopes(user, {Role.GRID_WORKER}))


def visible_rounds(user):
    """Rounds that reach into the user's region scopes (or cover them)."""
    rounds = ScreeningRound.objects.select_related("region")
    if not user.is_authenticated or not user.is_active:
        return rounds.none()
    if people_access.is_global(user):
        return rounds
    condition = Q(pk__in=[])
    for scope in _region_scopes(user):
        codes = [c for c in scope.path.split("/") if c]
        above = ["".join(f"{c}/" for c in codes[:i + 1]) for i in range(len(codes))]
        condition |= Q(region__path__startswith=scope.path) | Q(region__path__in=above)
    return rounds.filter(condition)


def get_round_for(user, round_id) -> ScreeningRound:
    try:
        round_id = int(round_id)
    except (TypeError, ValueError):
        raise Http404 from None
    found = visible_rounds(user).filter(pk=round_id).first()
    if found is None:
        raise Http404
    return found


def visible_reports(user, queryset=None):
    """Screening reports of grids within the user's region scopes."""
    reports = ScreeningReport.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return reports.none()
    if people_access.is_global(user):
        return reports
    condition = Q(pk__in=[])
    for scope in _region_scopes(user):
        condition |= Q(area_path__startswith=scope.path)
    return reports.filter(condition)


def get_report_for(user, report_id) -> ScreeningReport:
    try:
        report_id = int(report_id)
    except (TypeError, ValueError):
        raise Http404 from None
    found = visible_reports(user, ScreeningReport.objects.select_related("round", "grid")).filter(pk=report_id).first()
    if found is None:
        raise Http404
    return found


def dispute_of(case: Case) -> Dispute | None:
    return Dispute.objects.filter(case=case).first()
