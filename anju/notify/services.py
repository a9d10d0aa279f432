"""Queueing notifications. Delivery happens in the worker after the transaction commits."""

import logging

from django.db import transaction
from django.utils import timezone

from anju.notify.models import Notification

log = logging.getLogger("anju.notify")


def notify_reporter(case, event: str, body: str) -> Notification | None:
    """Queue a message to the case's reporter; None for an anonymous case, a reporter who
    left no contact, or a synthetic case."""
    reporter = case.reporter
    if reporter is None or not (reporter.phone or reporter.email) or case.is_synthetic:
        # Synthetic (demo, benchmark) reporters are made up: nobody to tell.
        return None
    notification = Notification.objects.create(case=case, reporter=reporter, event=event, body=body)
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def _enqueue(notification_id: int) -> None:
    from anju.notify.tasks import deliver_notification

    deliver_notification(notification_id)


def deliver(notification: Notification) -> None:
    """Send one notification through the console backend (the log). Other backends (SMS,
    e-mail) plug in here."""
    target = notification.reporter or notification.user
    log.info("notification %s to %s: %s", notification.pk, target, notification.body)
    notification.status = Notification.Status.SENT
    notification.attempts += 1
    notification.sent_at = timezone.now()
    notification.save(update_fields=["status", "attempts", "sent_at"])
