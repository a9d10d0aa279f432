import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from anju.webhooks.services import deliver_due, deliver_now

log = logging.getLogger("anju.webhooks")


@db_task()
def deliver_soon(delivery_ids: list[str]) -> None:
    """The first attempt of deliveries just queued, once their transaction has committed.
    No Huey retries: a failed attempt is rescheduled on the delivery itself and picked up by
    ``deliver_webhooks_every_minute``."""
    deliver_now(delivery_ids)


@db_periodic_task(crontab(minute="*"))
@lock_task("anju-webhooks")
def deliver_webhooks_every_minute() -> None:
    """Retries (and first attempts the queue missed), once a minute. The lock keeps one run per
    queue at a time; runs on other queues are safe because each attempt is claimed first."""
    made = deliver_due()
    if made:
        log.info("webhooks: %s attempt(s)", made)
