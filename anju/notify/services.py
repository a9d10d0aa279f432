"""Notifications: the queue and delivery of every message Anju sends.

``queue`` saves one ``Notification`` row per recipient and channel inside the caller's
transaction (so a change that rolls back sends nothing); who is told what about a case, in
which words, is the cases app's part (``anju.cases.messages``), which calls in here. After the
transaction commits, the worker tries each row once at once; a failure leaves the row pending
with a growing delay, ``deliver_due`` (every minute) tries again, and after
``ANJU_NOTIFY_MAX_ATTEMPTS`` attempts the row is failed, visible on the case page and in the
admin. Nothing here ever raises into the caller's service function after the commit.
"""

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from anju.lib import retry
from anju.lib.masking import mask_email, mask_phones_in
from anju.notify import backends
from anju.notify.choices import NotificationChannel, NotificationStatus
from anju.notify.models import Notification

log = logging.getLogger("anju.notify")

# While a worker is trying a row, its next attempt is held this far ahead, so that no other
# worker picks it up; a worker that dies mid-attempt leaves the row to be retried after this.
CLAIM_SECONDS = 300


# ---------------------------------------------------------------------------- queueing


def notify_staff(users, *, event: str, subject: str, body: str, link: str) -> list[Notification]:
    """Queue a message to members of staff about something other than a case (a screening
    report their grid owes): in the workbench, with ``link`` to its page, and by e-mail."""
    return queue(staff_rows(users, event, subject, body, link=link))


def staff_rows(users, event: str, subject: str, body: str, *, case=None, link: str = "") -> list[Notification]:
    """The rows of a message to members of staff: in the workbench, and by e-mail when they have an
    address (staff have no phone number in Anju). Each active user once."""
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


def queue(rows: list[Notification]) -> list[Notification]:
    """Save the rows (in the caller's transaction) and hand the ones to deliver to the worker
    once it commits. An in-app row is delivered as it is saved."""
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


def mask_contacts(text: str, address: str = "", masked: str = "") -> str:
    """``text`` (a backend's error) with contact details masked: ``address`` in any letter case
    (mail servers echo it as they please), then anything that looks like an e-mail address or
    a phone number in any form, or any run of seven or more digits (``mask_phones_in``). Errors
    are shown on the case page and in the admin; a contact is only ever shown masked."""
    if address:
        text = re.sub(re.escape(address), masked or "***", text, flags=re.IGNORECASE)
    text = _EMAIL_LIKE.sub(lambda found: mask_email(found.group()), text)
    return mask_phones_in(text)


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
