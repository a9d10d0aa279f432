import logging

from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from anju.cases.services import run_sweep
from anju.disputes.services import sweep_screening_reports

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
    # Screening reports owed by grids (disputes) are on the same clock.
    reports = sweep_screening_reports()
    if reports:
        log.info("sweep looked at %s screening report(s)", reports)


@db_periodic_task(crontab(hour="3", minute="17"))
def refresh_sqlite_statistics() -> None:
    """SQLite plans queries without statistics until ANALYZE runs; without them the case
    list at a million cases is several times slower (docs/benchmarks.md). PostgreSQL's
    autovacuum keeps its own statistics."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
