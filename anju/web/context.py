"""Template context shared by every page."""

from django.conf import settings

from anju.notify.services import unread_count
from anju.web.access import is_dispatcher, is_staff_member, role_names, sees_dashboard


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
        },
        **tiles,
    }
