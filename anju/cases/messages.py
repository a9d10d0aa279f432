"""Who is told what about a case, in which words: the reporter by text message and e-mail, staff
in the workbench and by e-mail. The rows go through ``anju.notify`` (queue and delivery).

Staff messages carry the tracking code, category, office and deadline only, never anything
about the reporter: a confidential case hides its reporter from the office that handles it,
and a notification must not undo that.
"""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anju.cases import access, modules
from anju.cases.choices import Action, NoticeKind, Status
from anju.lib.tracking import display
from anju.notify.choices import NotificationChannel
from anju.notify.models import Notification
from anju.notify.services import queue, staff_rows
from anju.people.choices import Role
from anju.people.models import User


def notify_reporter(case, event: str, body: str) -> Notification | None:
    """Queue a message to the case's reporter: a text message to the phone and an e-mail to
    the address they gave (each they gave). None for an anonymous case, a reporter who left no
    contact, or a synthetic case. Reporters follow public events on /track, so they get no
    in-app message. Returns the first row queued."""
    reporter = case.reporter
    if reporter is None or not (reporter.phone or reporter.email) or case.is_synthetic:
        # Synthetic (demo, benchmark) reporters are made up: nobody to tell.
        return None
    subject = _in_default_language(reporter_subject, case, event)
    rows = []
    if reporter.phone:
        rows.append(Notification(channel=NotificationChannel.SMS, address=reporter.phone))
    if reporter.email:
        rows.append(Notification(channel=NotificationChannel.EMAIL, address=reporter.email))
    for row in rows:
        row.case, row.reporter, row.event, row.subject, row.body = case, reporter, event, subject, body
    return queue(rows)[0]


def notify_user(user, case, event: str, body: str | None = None) -> list[Notification]:
    """Queue a message to a member of staff: in the workbench (their notifications page) and by
    e-mail when they have an address. Staff have no phone number in Anju, so no text message.
    Without ``body`` the standard message for ``event`` is written (in the default language)."""
    return notify_users([user], case, event, body)


def notify_office(case, office, event: str, body: str | None = None) -> list[Notification]:
    """Queue a message to the handlers of ``office`` who can see ``case``: a new assignment,
    or a deadline of theirs coming up or missed."""
    if office is None or case.is_synthetic:
        return []
    return notify_users(office_handlers(office, case), case, event, body)


def notify_users(users, case, event: str, body: str | None = None) -> list[Notification]:
    """``notify_user`` for several users at once, each told once; only those who may see the
    case are told of it (a report of wrongdoing is never told to the office it is about)."""
    if case.is_synthetic:
        return []

    users = [user for user in users if access.visible_to(user).filter(pk=case.pk).exists()]
    subject, default_body = _in_default_language(staff_message, case, event)
    body = default_body if body is None else body
    return queue(staff_rows(users, event, subject, body, case=case))


# ---------------------------------------------------------------------------- recipients


def office_handlers(office, case) -> list:
    """The active handlers of ``office`` who can see ``case``: users holding the handler role
    scoped to the office, or working in it with a handler role whose scope reaches the case."""

    users = (User.objects.filter(is_active=True, roles__role=Role.HANDLER)
             .filter(Q(roles__office=office) | Q(office=office)).distinct().order_by("pk"))
    return [user for user in users if access.can(user, Action.START, case)]


def deadline_owners(case) -> list:
    """Who answers for the deadline running now: the dispatchers of the owning service centre
    before dispatch (accept, dispatch), the dispatchers who follow up once resolved, and the
    owning office's handlers while it handles the case."""

    if case.status in (Status.SUBMITTED, Status.ACCEPTED, Status.RESOLVED):
        action = {Status.SUBMITTED: Action.ACCEPT, Status.ACCEPTED: Action.DISPATCH}.get(case.status,
                                                                                          Action.FOLLOW_UP)
        users = User.objects.filter(is_active=True, roles__role=Role.DISPATCHER)
        if case.status != Status.RESOLVED and case.office_id:
            users = users.filter(Q(roles__office=case.office_id) | Q(office=case.office_id))
        return [user for user in users.distinct().order_by("pk") if access.can(user, action, case)]
    return office_handlers(case.office, case) if case.office_id else []


def region_supervisors(region) -> list:
    """The supervisors whose scope is exactly ``region``: the level an escalation goes to."""

    if region is None:
        return []
    return list(User.objects.filter(is_active=True, roles__role=Role.SUPERVISOR, roles__region=region)
                .distinct().order_by("pk"))


def notify_sweep(case, kind: str, region=None) -> list[Notification]:
    """Tell staff of a notice the deadline sweep issued: due soon and overdue to whoever answers
    for the running deadline; an escalation to them and to the supervisors of the region it
    went up to."""

    event = {NoticeKind.DUE_SOON: Action.DUE_SOON, NoticeKind.OVERDUE: Action.OVERDUE,
             NoticeKind.ESCALATION: Action.ESCALATE}.get(kind)
    if event is None or case.is_synthetic:
        return []
    users = deadline_owners(case)
    if kind == NoticeKind.ESCALATION:
        users += region_supervisors(region)
    return notify_users(users, case, event)


# ---------------------------------------------------------------------------- messages


def _in_default_language(compose, *args):
    """Messages leave Anju in the county's language whatever language the person whose click
    caused them reads the workbench in (and the worker has no request language at all)."""
    with translation.override(settings.LANGUAGE_CODE):
        return compose(*args)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else _("none")


def reporter_subject(case, event: str) -> str:

    what = {
        Action.ACCEPT: _("accepted"), Action.REJECT: _("not accepted"), Action.WAIT: _("information needed"),
        Action.RESOLVE: _("answered"), Action.MERGE: _("merged"), Action.ABSORB: _("merged"),
        Action.APPROVE_EXTENSION: _("deadline moved"),
    }.get(event)
    if what is None:
        # A module's event says what it is in its registration (``EventCode.reporter_word``).
        declared = modules.event_code(event)
        what = str(declared.reporter_word) if declared and declared.reporter_word else _("update")
    return _("Your concern %(code)s: %(what)s") % {"code": display(case.tracking_code), "what": what}


def staff_message(case, event: str) -> tuple[str, str]:
    """(subject, body) for a member of staff: the case's code, category, office and deadline,
    nothing about who reported it."""
    facts = {"code": display(case.tracking_code), "category": case.category.name,
             "office": case.office.name if case.office_id else _("none"), "due": _when(case.due_at)}
    if event == Action.DISPATCH:
        subject = _("New case %(code)s") % facts
        body = _("Case %(code)s (%(category)s) was dispatched to %(office)s. Deadline: %(due)s.") % facts
    elif event == Action.TRANSFER:
        subject = _("New case %(code)s") % facts
        body = _("Case %(code)s (%(category)s) was transferred to %(office)s. Deadline: %(due)s.") % facts
    elif event == Action.DUE_SOON:
        subject = _("Case %(code)s is due soon") % facts
        body = _("Case %(code)s (%(category)s, %(office)s) is due at %(due)s.") % facts
    elif event == Action.OVERDUE:
        subject = _("Case %(code)s is overdue") % facts
        body = _("Case %(code)s (%(category)s, %(office)s) missed its deadline of %(due)s.") % facts
    elif event == Action.REOPEN:
        # Back with the office that answered it: for its handlers a new assignment.
        subject = _("Case %(code)s was reopened") % facts
        body = _("Case %(code)s (%(category)s) was reopened and is back with %(office)s to be handled again. "
                 "Deadline: %(due)s.") % facts
    elif event == Action.ESCALATE:
        subject = _("Case %(code)s was escalated") % facts
        body = _("Case %(code)s (%(category)s, %(office)s) is overdue since %(due)s and was escalated to "
                 "supervision at a higher level.") % facts
    elif (declared := modules.event_code(event)) is not None and declared.staff_subject:
        # A module's event brings its own words (``EventCode.staff_subject``, ``staff_body``).
        subject = str(declared.staff_subject) % facts
        body = str(declared.staff_body or _("Case %(code)s (%(category)s, %(office)s) changed.")) % facts
    else:
        subject = _("Case %(code)s") % facts
        body = _("Case %(code)s (%(category)s, %(office)s) changed.") % facts
    return subject, body
