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
    """The offices ``user`` belongs to, and is kept from what is kept from them: where they work,
    every office a role of theirs is scoped to, and every township or village office (街道办事处,
    乡镇人民政府, 村委会, a village's or township's mediation committee ...) whose area a role of
    theirs is scoped to or lies within: a township's supervisor or a grid worker in one of its
    villages belongs to that township's bodies. County departments, whose area is the whole
    county, have members by desk and by office-scoped roles only, so that county staff still
    handle complaints about them. Read once per user object."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_anju_offices"):
        from anju.geo.choices import Level
        from anju.people.models import Office

        offices = {a.office_id for a in roles_of(user) if a.office_id}
        if getattr(user, "office_id", None):
            offices.add(user.office_id)
        codes = {code for a in roles_of(user) if a.region_id for code in a.region.path.split("/") if code}
        if codes:
            offices |= set(Office.objects.filter(jurisdiction__code__in=codes,
                                                 jurisdiction__level__in=[Level.TOWNSHIP, Level.VILLAGE])
                           .values_list("pk", flat=True))
        user._anju_offices = offices
    return user._anju_offices
