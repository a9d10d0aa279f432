"""Who may bring an upstream CAP alert into Anju (the city's or the meteorological bureau's): the
county centre's dispatchers, supervisors, leaders and administrators, whose scope is the whole
county, and global administrators. A township's staff receive warnings from the county, not from
upstream. The public CAP feed and messages need no one's rights."""

from anju.people.access import is_global, roles_of
from anju.people.choices import Role

IMPORTERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


def _county_wide(assignment) -> bool:
    if assignment.region_id is not None:
        return assignment.region.parent_id is None
    if assignment.office_id is not None:
        return assignment.office.jurisdiction.parent_id is None
    return assignment.role == Role.ADMIN


def can_import(user) -> bool:
    """May ``user`` import an upstream CAP alert (and pass it on as a draft warning)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_global(user):
        return True
    return any(a.role in IMPORTERS and _county_wide(a) for a in roles_of(user))
