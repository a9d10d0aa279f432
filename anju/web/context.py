"""Template context shared by every page."""

from django.conf import settings
from django.db.models import Exists
from django.urls import reverse

from anju.cases import modules
from anju.cases.models import Case
from anju.notify.services import unread_count
from anju.people.models import Office
from anju.web.access import is_dispatcher, is_staff_member, role_names, sees_dashboard


def _module_links(user, roles: set[str]) -> list[dict]:
    """The registered modules' staff links this user gets (``modules.NavEntry``). A handler's
    link may depend on the office (its kind, or holding a case of the module's kinds): one query
    answers that for every module at once, and only for handlers whose roles alone do not."""
    entries = [e for e in modules.nav_entries() if not e.public]
    shown = [e for e in entries if roles & e.roles]
    pending = [e for e in entries if e not in shown and "handler" in roles and (e.office_kinds or e.held_kinds)]
    office = user.office if pending and user.office_id else None
    if office is not None:
        shown += [e for e in pending if office.kind in e.office_kinds]
        pending = [e for e in pending if e not in shown]
        wanted = sorted(set().union(*(e.held_kinds for e in pending)))
        if wanted:
            # One EXISTS per kind, in one query: each stops at the office's first case of the kind.
            held = Office.objects.filter(pk=office.pk).values(**{
                f"k{i}": Exists(Case.objects.filter(office_id=office.pk, kind=kind)) for i, kind in enumerate(wanted)
            }).first() or {}
            held_kinds = {kind for i, kind in enumerate(wanted) if held.get(f"k{i}")}
            shown += [e for e in pending if held_kinds & e.held_kinds]
    return [{"label": e.label, "url": reverse(e.url_name), "section": e.section}
            for e in entries if e in shown]


def _public_links() -> list[dict]:
    return [{"label": e.label, "url": reverse(e.url_name), "section": e.section}
            for e in modules.nav_entries() if e.public]


def navigation(request):
    tiles = {"tile_url": settings.ANJU_TILE_URL, "tile_attribution": settings.ANJU_TILE_ATTRIBUTION}
    public = {"public_links": _public_links()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"staff": False}, **public, **tiles}
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
            # The registered domain modules' links (``modules.NavEntry``).
            "modules": _module_links(user, roles) if staff else [],
        },
        **public,
        **tiles,
    }
