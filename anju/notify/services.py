"""Notifications: one interface for every message Anju sends about a case.

``notify_reporter``, ``notify_office`` and ``notify_user`` queue one ``Notification`` row per
recipient and channel inside the caller's transaction (so a case change that rolls back sends
nothing). After the transaction commits, the worker tries each row once at once; a failure
leaves the row pending with a growing delay, ``deliver_due`` (every minute) tries again, and
after ``ANJU_NOTIFY_MAX_ATTEMPTS`` attempts the row is failed, visible on the case page and in
the admin. Nothing here ever raises into the case's service function after the commit.

Staff messages carry the tracking code, category, office and deadline only, never anything
about the reporter: a confidential case hides its reporter from the office that handles it,
and a notification must not undo that.
"""

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anju.lib import retry
from anju.lib.tracking import display
from anju.notify import backends
from anju.notify.choices import NotificationChannel, NotificationStatus
from anju.notify.models import Notification, mask_email

log = logging.getLogger("anju.notify")

# While a worker is trying a row, its next attempt is held this far ahead, so that no other
# worker picks it up; a worker that dies mid-attempt leaves the row to be retried after this.
CLAIM_SECONDS = 300


# ---------------------------------------------------------------------------- queueing


def notify_reporter(case, event: str, body: str) -> Notification | None:
    """Queue a message to the case's reporter: a text message to the phone and an e-mail to
    the address they gave (each they gave). None for an anonymous case, a reporter who left no
    contact, or a synthetic case. Reporters follow public events on /track, so they get no
    in-app message. Returns the first row queued."""
    reporter = case.reporter
    if reporter is None or not (reporter.phone or reporter.email) or case.is_synthetic:
        # Synthetic (demo, benchmark) reporters are made up: nobody to tell.
        return None
    subject = _in_default_language(_reporter_subject, case, event)
    rows = []
    if reporter.phone:
        rows.append(Notification(channel=NotificationChannel.SMS, address=reporter.phone))
    if reporter.email:
        rows.append(Notification(channel=NotificationChannel.EMAIL, address=reporter.email))
    for row in rows:
        row.case, row.reporter, row.event, row.subject, row.body = case, reporter, event, subject, body
    return _queue(rows)[0]


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
    from anju.cases.access import visible_to

    users = [user for user in users if visible_to(user).filter(pk=case.pk).exists()]
    subject, default_body = _in_default_language(_staff_message, case, event)
    body = default_body if body is None else body
    return _queue(_staff_rows(users, event, subject, body, case=case))


def notify_staff(users, *, event: str, subject: str, body: str, link: str) -> list[Notification]:
    """Queue a message to members of staff about something other than a case (a screening
    report their grid owes): in the workbench, with ``link`` to its page, and by e-mail."""
    return _queue(_staff_rows(users, event, subject, body, link=link))


def _staff_rows(users, event: str, subject: str, body: str, *, case=None, link: str = "") -> list[Notification]:
    rows, seen = [], set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        channels = [(NotificationChannel.IN_APP, "")]
        if user.email:
            channels.append((NotificationChannel.EMAIL, user.email))
        rows += [Notification(case=case, link=link, user=user, event=event, channel=channel, address=address,
                              subject=subject, body=body) for channel, address in channels]
    return rows


def _queue(rows: list[Notification]) -> list[Notification]:
    now = timezone.now()
    for row in rows:
        row.created_at = now
        if row.channel == NotificationChannel.IN_APP:
            # Nothing to deliver: it is on the user's page as soon as the case change commits.
            row.status, row.sent_at = NotificationStatus.SENT, now
        else:
            row.next_attempt_at = now
        row.save()
    pending = [row.pk for row in rows if row.status == NotificationStatus.PENDING]
    if pending:
        transaction.on_commit(lambda: _enqueue(pending))
    return rows


def _enqueue(notification_ids: list[int]) -> None:
    """Hand the rows to the worker. Runs after the case committed: whatever goes wrong here is
    logged, never raised (the periodic ``deliver_due`` picks the rows up anyway)."""
    try:
        from anju.notify.tasks import deliver_notification

        for notification_id in notification_ids:
            deliver_notification(notification_id)
    except Exception:
        log.exception("could not queue notifications %s; the periodic delivery will send them", notification_ids)


# ---------------------------------------------------------------------------- recipients


def office_handlers(office, case) -> list:
    """The active handlers of ``office`` who can see ``case``: users holding the handler role
    scoped to the office, or working in it with a handler role whose scope reaches the case."""
    from anju.cases import access
    from anju.cases.choices import Action
    from anju.people.choices import Role
    from anju.people.models import User

    users = (User.objects.filter(is_active=True, roles__role=Role.HANDLER)
             .filter(Q(roles__office=office) | Q(office=office)).distinct().order_by("pk"))
    return [user for user in users if access.can(user, Action.START, case)]


def deadline_owners(case) -> list:
    """Who answers for the deadline running now: the dispatchers of the owning service centre
    before dispatch (accept, dispatch), the dispatchers who follow up once resolved, and the
    owning office's handlers while it handles the case."""
    from anju.cases import access
    from anju.cases.choices import Action, Status
    from anju.people.choices import Role
    from anju.people.models import User

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
    from anju.people.choices import Role
    from anju.people.models import User

    if region is None:
        return []
    return list(User.objects.filter(is_active=True, roles__role=Role.SUPERVISOR, roles__region=region)
                .distinct().order_by("pk"))


def notify_sweep(case, kind: str, region=None) -> list[Notification]:
    """Tell staff of a notice the deadline sweep issued: due soon and overdue to whoever answers
    for the running deadline; an escalation to them and to the supervisors of the region it
    went up to."""
    from anju.cases.choices import Action, NoticeKind

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


def _reporter_subject(case, event: str) -> str:
    from anju.cases import modules
    from anju.cases.choices import Action

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


def _staff_message(case, event: str) -> tuple[str, str]:
    """(subject, body) for a member of staff: the case's code, category, office and deadline,
    nothing about who reported it."""
    from anju.cases import modules
    from anju.cases.choices import Action

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


# ---------------------------------------------------------------------------- delivery


def deliver_now(notification_id: int, now: datetime | None = None) -> bool:
    """The first attempt, right after the case committed. False when the row is not waiting
    for delivery now (sent, failed, or being tried by another worker)."""
    now = now or timezone.now()
    row = Notification.objects.filter(pk=notification_id, status=NotificationStatus.PENDING).first()
    if row is None or row.next_attempt_at is None or row.next_attempt_at > now:
        return False
    return _claim_and_attempt(row, now)


def deliver_due(now: datetime | None = None, batch_size: int = 100,
                clock: Callable[[], datetime] | None = None) -> int:
    """Try every pending row whose next attempt is due at ``now``; returns how many were tried.

    Each attempt is claimed and recorded at the time it is made (``clock``, the real time by
    default): a run through slow mail servers takes minutes, and a claim computed from the
    start of the run could have run out before its row is tried, letting a second worker send
    it too. Tests pass ``now`` alone to freeze both."""
    if clock is None:
        clock = timezone.now if now is None else (lambda: now)
    now = now or timezone.now()
    tried = 0
    while True:
        # A row tried here moves out of the due set (sent, failed, or due later), so each
        # batch is new rows.
        due = list(
            Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:batch_size]
        )
        tried += sum(1 for row in due if _claim_and_attempt(row, clock()))
        if len(due) < batch_size:
            return tried


def _claim_and_attempt(row: Notification, now: datetime) -> bool:
    # Claimed by moving the next attempt forward, only if no one else moved it first.
    claimed = Notification.objects.filter(
        pk=row.pk, status=NotificationStatus.PENDING, next_attempt_at=row.next_attempt_at
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return False
    attempt(row, now)
    return True


def attempt(row: Notification, now: datetime | None = None) -> Notification:
    """Try to deliver ``row`` once through the configured backend and record the outcome:
    sent; pending with the time of the next attempt; or failed after the last attempt, or at
    once when delivery cannot work at all (no SMS gateway configured)."""
    now = now or timezone.now()
    row.attempts += 1
    try:
        backends.send(row)
    except backends.CannotDeliver as error:
        _failed(row, str(error), final=True)
    except Exception as error:  # any backend failure is the row's, never the case's
        _failed(row, f"{type(error).__name__}: {error}", final=row.attempts >= settings.ANJU_NOTIFY_MAX_ATTEMPTS,
                now=now)
    else:
        row.status, row.sent_at, row.next_attempt_at, row.last_error = NotificationStatus.SENT, now, None, ""
    row.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"])
    return row


_EMAIL_LIKE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_LONG_NUMBER = re.compile(r"[0-9]{7,}")


def mask_contacts(text: str, address: str = "", masked: str = "") -> str:
    """``text`` (a backend's error) with contact details masked: ``address`` in any letter case
    (mail servers echo it as they please), then anything that looks like an e-mail address or
    a phone number (a run of seven or more digits). Errors are shown on the case page and in
    the admin; a contact is only ever shown masked."""
    if address:
        text = re.sub(re.escape(address), masked or "***", text, flags=re.IGNORECASE)
    text = _EMAIL_LIKE.sub(lambda found: mask_email(found.group()), text)
    from anju.cases.services import mask_phone

    return _LONG_NUMBER.sub(lambda found: mask_phone(found.group()), text)


def _failed(row: Notification, error: str, *, final: bool, now: datetime | None = None) -> None:
    row.last_error = mask_contacts(error, row.address, row.masked_address)[:500]
    if final:
        row.status, row.next_attempt_at = NotificationStatus.FAILED, None
        log.warning("notification %s failed after %s attempt(s): %s", row.pk, row.attempts, row.last_error)
    else:
        row.next_attempt_at = retry.next_attempt_at(row.attempts, now)
        log.info("notification %s attempt %s failed, next at %s: %s", row.pk, row.attempts, row.next_attempt_at,
                 row.last_error)


def retry_failed(rows, now: datetime | None = None) -> int:
    """Put failed rows back in the queue (the admin's "retry now"): pending and due now, handed
    to the worker at once. They keep their count of attempts, so each gets one more try and is
    failed again, with its new error, if that one fails too. Returns how many."""
    now = now or timezone.now()
    ids = list(rows.filter(status=NotificationStatus.FAILED).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, next_attempt_at=now
    )
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)


# ---------------------------------------------------------------------------- the inbox


def inbox(user):
    """The user's in-app notifications, newest first."""
    return (Notification.objects.filter(user=user, channel=NotificationChannel.IN_APP)
            .select_related("case").order_by("-created_at", "-pk"))


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, channel=NotificationChannel.IN_APP, read_at__isnull=True).count()


def mark_read(user, ids=None, now: datetime | None = None) -> int:
    """Mark the user's in-app notifications read: those with ``ids``, or all when None. Another
    user's ids are ignored."""
    rows = Notification.objects.filter(user=user, channel=NotificationChannel.IN_APP, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=now or timezone.now())
