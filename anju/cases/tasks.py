import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from anju.cases.services import run_sweep

log = logging.getLogger("anju.sweep")


@db_periodic_task(crontab(minute="*"))
@lock_task("anju-sweep")
def sweep_every_minute() -> None:
    """The deadline sweep, once a minute. The lock keeps one sweep per queue at a time;
    sweeps on other queues (other machines) are safe through SKIP LOCKED and unique
    notices."""
    looked = run_sweep()
    if looked:
        log.info("sweep looked at %s case(s)", looked)
