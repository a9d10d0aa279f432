"""Who may see and do what in the hazards module. A hazard is a case: who sees it and who acts on it
is the core's rule (``cases.access``); the sites, checklists, inspections and campaigns are read
by staff whose region scope reaches them (or who work in the site's supervising department) and
changed by those roles only."""

from django.db.models import Q
from django.http import Http404

from anju.cases import access as case_access
from anju.cases.choices import Action
from anju.cases.models import Case
from anju.hazards.choices import HAZARD
from anju.hazards.models import Campaign, Hazard, Inspection, Site
from anju.people.access import is_global, roles_of
from anju.people.choices import Role

# Roles that keep the sites register and open campaigns, within their region scope.
KEEPERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN})
# Roles that inspect sites within their region scope (and handlers of a site's department).
INSPECTORS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN, Role.HANDLER, Role.GRID_WORKER})
# Roles that read the register, inspections and campaigns within their region scope: the
# inspectors, and the leaders, who see the hazards found there and take charge of them.
READERS = INSPECTORS | {Role.LEADER}


def _region_paths(user, roles=READERS) -> list[str] | None:
    """The region paths the user's roles in ``roles`` reach; None for a user who reaches all."""
    if is_global(user):
        return None
    return [a.region.path if a.region_id else "" for a in roles_of(user) if a.role in roles and
            (a.region_id or a.role == Role.ADMIN)]


def _departments(user) -> set[int]:
    """The offices the user handles for: a department's handlers see and inspect its sites."""
    offices = {a.office_id for a in roles_of(user) if a.role == Role.HANDLER and a.office_id}
    if getattr(user, "office_id", None) and any(a.role == Role.HANDLER for a in roles_of(user)):
        offices.add(user.office_id)
    return offices


def visible_sites(user, queryset=None):
    """The sites the user may see: in a region their roles reach, or supervised by an office they
    handle for."""
    rows = Site.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return rows.none()
    paths = _region_paths(user)
    if paths is None:
        return rows
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(area_path__startswith=path)
    departments = _departments(user)
    if departments:
        # The department that supervises the site, and the office that owns one of its hazards
        # (a township, by territorial routing).
        condition |= Q(department_id__in=departments)
        condition |= Q(pk__in=Hazard.objects.filter(case__office_id__in=departments).values("site_id"))
    return rows.filter(condition)


def get_site_for(user, site_id) -> Site:
    site = visible_sites(user).select_related("kind", "region", "department").filter(pk=site_id).first() \
        if isinstance(site_id, int) else None
    if site is None:
        raise Http404
    return site


def can_keep_sites_in(user, region) -> bool:
    """May ``user`` add or change sites in ``region`` (and open campaigns there)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    paths = _region_paths(user, KEEPERS)
    return paths is None or any(region.path.startswith(path) for path in paths)


def can_keep_site(user, site: Site) -> bool:
    return can_keep_sites_in(user, site.region) or (site.department_id in _departments(user))


def can_inspect(user, site: Site) -> bool:
    """May ``user`` inspect ``site``: a role reaching its region, or a handler of its department."""
    if not user.is_authenticated or not user.is_active:
        return False
    paths = _region_paths(user, INSPECTORS)
    if paths is None or any(site.area_path.startswith(path) for path in paths):
        return True
    return site.department_id in _departments(user)


def visible_inspections(user):
    return Inspection.objects.filter(site__in=visible_sites(user))


def get_inspection_for(user, inspection_id) -> Inspection:
    row = visible_inspections(user).select_related("site", "template", "inspector").filter(pk=inspection_id).first() \
        if isinstance(inspection_id, int) else None
    if row is None:
        raise Http404
    return row


def visible_campaigns(user):
    rows = Campaign.objects.all()
    paths = _region_paths(user)
    if paths is None:
        return rows
    if not user.is_authenticated:
        return rows.none()
    condition = Q(pk__in=[])
    for path in paths:
        # A campaign over a region the user's scope lies in, or within the user's scope.
        condition |= Q(region__path__startswith=path)
        condition |= Q(pk__in=Campaign.objects.filter(region__path__in=_ancestors(path)).values("pk"))
    return rows.filter(condition)


def _ancestors(path: str) -> list[str]:
    codes = [c for c in path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[:n]) for n in range(1, len(codes) + 1)]


def get_campaign_for(user, campaign_id) -> Campaign:
    row = visible_campaigns(user).select_related("kind", "region").filter(pk=campaign_id).first() \
        if isinstance(campaign_id, int) else None
    if row is None:
        raise Http404
    return row


def hazard_cases(user):
    """The hazard cases the user may see (the core's rule)."""
    return case_access.visible_to(user).filter(kind=HAZARD)


def get_hazard_case_for(user, case_id) -> Case:
    return case_access.get_case_for(user, case_id, hazard_cases(user))


def can_handle(user, case: Case) -> bool:
    """Issue orders, record the unit's plan and its rectification: the owning office's handlers."""
    return case_access.can(user, Action.START, case) or case_access.can(user, Action.RESOLVE, case)


def can_reinspect(user, case: Case) -> bool:
    """Re-inspect (复查): the owning office's handlers, and supervisors over the case."""
    return can_handle(user, case) or case_access.can(user, Action.SUPERVISE, case)


def can_list(user, case: Case) -> bool:
    """List a major hazard for supervision, record its progress, delist it: the county's
    supervisors and leaders over the case (督办)."""
    return case_access.can(user, Action.SUPERVISE, case)


def can_link(user, case: Case) -> bool:
    """Link a reported hazard to a site: the dispatchers who accept it and the owning office."""
    return case_access.can(user, Action.ACCEPT, case) or can_handle(user, case)
