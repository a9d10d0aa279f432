import logging

from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from anju.cases.sweep import run_all_sweeps

log = logging.getLogger("anju.sweep")


@db_periodic_task(crontab(minute="*"))
@lock_task("anju-sweep")
def sweep_every_minute() -> None:
    """The deadline sweep, once a minute: the cases' and every registered module's. The lock
    keeps one sweep per queue at a time; sweeps on other queues (other machines) are safe
    through SKIP LOCKED and unique notices."""
    for noun, looked in run_all_sweeps().items():
        if looked:
            log.info("sweep looked at %s %s", looked, noun)


@db_periodic_task(crontab(hour="3", minute="17"))
def refresh_sqlite_statistics() -> None:
    """SQLite plans queries without statistics until ANALYZE runs; without them the case
    list at a million cases is several times slower (docs/benchmarks.md). PostgreSQL's
    autovacuum keeps its own statistics."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
