import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from anju.notify.services import deliver_due, deliver_now

log = logging.getLogger("anju.notify")


@db_task()
def deliver_notification(notification_id: int) -> None:
    """The first attempt, queued when the case's transaction commits. No Huey retries: a
    failure is recorded on the row and ``deliver_due_notifications`` tries again later."""
    deliver_now(notification_id)


@db_periodic_task(crontab(minute="*"))
@lock_task("anju-notify")
def deliver_due_notifications() -> None:
    """Every minute: retry the notifications whose next attempt is due. The lock keeps one run
    per queue at a time; runs on other queues are safe because each row is claimed before it
    is tried."""
    tried = deliver_due()
    if tried:
        log.info("tried %s due notification(s)", tried)
