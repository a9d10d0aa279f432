"""Template context shared by every page."""

from django.conf import settings

from anju.notify.services import unread_count
from anju.web.access import is_dispatcher, is_staff_member, role_names, sees_dashboard

# Roles that work with disputes whatever their office (mediators are handlers of a mediation office).
DISPUTE_ROLES = {"dispatcher", "supervisor", "leader", "grid_worker", "admin"}
SCREENING_ROLES = {"supervisor", "leader", "grid_worker", "admin"}
# Roles that work with petitions whatever their office (a handler only when the office holds petitions).
PETITION_ROLES = {"dispatcher", "supervisor", "leader", "admin"}


def _mediates(user) -> bool:
    """A handler whose office mediates: a mediation committee, or an office holding disputes
    (the justice bureau and the court receive them through 三调联动 transfers)."""
    from anju.cases.choices import Kind
    from anju.cases.models import Case
    from anju.people.choices import OfficeKind

    office = user.office
    if office is None:
        return False
    return office.kind == OfficeKind.MEDIATION or Case.objects.filter(office=office, kind=Kind.DISPUTE).exists()


def _holds_petitions(user) -> bool:
    """A handler whose office has been sent petitions (routed to it, accepted or transferred)."""
    from anju.cases.choices import Kind
    from anju.cases.models import Case

    return user.office_id is not None and Case.objects.filter(office_id=user.office_id, kind=Kind.PETITION).exists()


def navigation(request):
    tiles = {"tile_url": settings.ANJU_TILE_URL, "tile_attribution": settings.ANJU_TILE_ATTRIBUTION}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"staff": False}, **tiles}
    roles = role_names(user)
    staff = is_staff_member(user)
    return {
        "nav": {
            "staff": staff,
            # Unread in-app notifications, shown on the nav link to /work/notifications/.
            "notifications_unread": unread_count(user) if staff else 0,
            "dispatcher": is_dispatcher(user),
            "dashboard": sees_dashboard(user),
            "admin": user.is_staff,
            "can_register": bool(roles & {"dispatcher", "grid_worker", "admin"}),
            "disputes": staff and bool(roles & DISPUTE_ROLES or ("handler" in roles and _mediates(user))),
            "screening": staff and bool(roles & SCREENING_ROLES),
            "petitions": staff and bool(roles & PETITION_ROLES or ("handler" in roles and _holds_petitions(user))),
        },
        **tiles,
    }
