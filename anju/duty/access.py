"""Who may see and do what with the duty roster.

Rosters, shifts, the handover log and the board of who is on duty are work information every
member of staff may read: whoever needs to reach the duty officer of a township must find them.
Keeping an office's roster (planning shifts, importing a month, changing the arrangement) is for
dispatchers, supervisors and administrators whose scope reaches the office; deciding a swap also
for the leaders whose scope reaches it. Someone on duty asks to swap their own post and writes
their shift's log. Objects are fetched through ``get_*_for``: missing and not allowed look the
same (404)."""

from django.http import Http404

from anju.duty.choices import DutyPost
from anju.duty.models import HandoverEntry, Shift, Swap
from anju.people.access import is_global, roles_of
from anju.people.choices import Role
from anju.people.models import Office

# Roles that keep an office's roster within their scope.
KEEPERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN})
# Roles that decide swaps within their scope.
APPROVERS = KEEPERS | {Role.LEADER}
# Roles a leader on duty (带班领导) must hold somewhere.
LEADER_ROLES = frozenset({Role.LEADER, Role.SUPERVISOR})


def is_staff(user) -> bool:
    """A signed-in, active user holding a role (or a superuser): who reads rosters."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_global(user) or bool(roles_of(user))


def _reaches(user, office: Office, roles) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_global(user):
        return True
    path = office.jurisdiction.path
    for assignment in roles_of(user):
        if assignment.role not in roles:
            continue
        if assignment.office_id == office.pk:
            return True
        if assignment.region_id and path.startswith(assignment.region.path):
            return True
    return False


def can_keep(user, office: Office) -> bool:
    """May ``user`` plan and change ``office``'s shifts and arrangement?"""
    return _reaches(user, office, KEEPERS)


def can_decide_swaps(user, office: Office) -> bool:
    """May ``user`` approve or refuse swaps of ``office``'s shifts?"""
    return _reaches(user, office, APPROVERS)


def can_request_swap(user, shift: Shift, post: str) -> bool:
    """The holder of the post asks for a swap of it; a keeper of the roster for anyone."""
    holder_id = shift.officer_id if post == DutyPost.OFFICER else shift.leader_id
    return (user.is_authenticated and holder_id == user.pk) or can_keep(user, shift.office)


def can_write_log(user, shift: Shift) -> bool:
    """Those on the shift write its handover log, and the roster's keepers."""
    return (user.is_authenticated and user.pk in (shift.officer_id, shift.leader_id)) or can_keep(user, shift.office)


def keepable_offices(user):
    """The active offices whose roster ``user`` keeps."""
    if not is_staff(user):
        return Office.objects.none()
    offices = Office.objects.filter(is_active=True).select_related("jurisdiction")
    return offices.filter(pk__in=[o.pk for o in offices if can_keep(user, o)])


def may_hold(user, post: str) -> bool:
    """Whether ``user`` may be put on ``post``: an active member of staff; a leader on duty holds
    a leader's or supervisor's role (or is an administrator)."""
    if user is None or not user.is_active or not is_staff(user):
        return False
    if post == DutyPost.LEADER:
        return is_global(user) or any(a.role in LEADER_ROLES for a in roles_of(user))
    return True


def get_office_for(user, code) -> Office:
    office = Office.objects.select_related("jurisdiction").filter(code=code, is_active=True).first() \
        if isinstance(code, str) and is_staff(user) else None
    if office is None:
        raise Http404
    return office


def get_shift_for(user, shift_id) -> Shift:
    row = Shift.objects.select_related("office__jurisdiction", "officer", "leader").filter(pk=shift_id).first() \
        if isinstance(shift_id, int) and is_staff(user) else None
    if row is None:
        raise Http404
    return row


def get_swap_for(user, swap_id) -> Swap:
    row = Swap.objects.select_related("shift__office__jurisdiction", "from_user", "to_user").filter(
        pk=swap_id).first() if isinstance(swap_id, int) and is_staff(user) else None
    if row is None:
        raise Http404
    return row


def get_entry_for(user, entry_id) -> HandoverEntry:
    row = HandoverEntry.objects.select_related("shift__office__jurisdiction").filter(pk=entry_id).first() \
        if isinstance(entry_id, int) and is_staff(user) else None
    if row is None:
        raise Http404
    return row
