"""Who a user is in Anju: their role assignments and the offices they belong to. The rules of
what each role may do with a case live with the cases (``anju.cases.access``)."""

from anju.people.choices import Role


def roles_of(user):
    """The user's role assignments, loaded once per user object."""
    if not hasattr(user, "_anju_roles"):
        user._anju_roles = list(user.roles.select_related("region", "office")) if user.is_authenticated else []
    return user._anju_roles


def is_global(user) -> bool:
    """A superuser, or an administrator without a scope: sees and may do everything (but what is
    kept from the offices the user belongs to)."""
    if user.is_superuser:
        return True
    return any(a.role == Role.ADMIN and a.region_id is None and a.office_id is None for a in roles_of(user))


def offices_of(user) -> set[int]:
    """The offices ``user`` belongs to: where they work, and every office a role of theirs is
    scoped to. A user of an office in either sense is kept from what is kept from that office."""
    if not user.is_authenticated:
        return set()
    offices = {a.office_id for a in roles_of(user) if a.office_id}
    if getattr(user, "office_id", None):
        offices.add(user.office_id)
    return offices
