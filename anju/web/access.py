"""Who may open which staff page. Case-level access stays in ``anju.cases.access``."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from anju.people.access import is_global, roles_of
from anju.people.choices import Role


def role_names(user) -> set[str]:
    """The roles the user holds anywhere (administrators hold them all)."""
    if not user.is_authenticated:
        return set()
    if is_global(user):
        return set(Role.values)
    return {a.role for a in roles_of(user)}


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.is_active and bool(role_names(user))


def sees_dashboard(user) -> bool:
    return bool(role_names(user) & {Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


def is_dispatcher(user) -> bool:
    return bool(role_names(user) & {Role.DISPATCHER, Role.ADMIN})


def staff_required(view):
    """Login required; signed-in users without any role get a 404 like any page they may not see."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def dashboard_required(view):
    """Supervisors, leaders and administrators only."""

    @wraps(view)
    @staff_required
    def wrapper(request, *args, **kwargs):
        if not sees_dashboard(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
