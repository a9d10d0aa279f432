from io import StringIO

from django.core.management import call_command

from anju.cases.models import SupervisionNotice
from anju.cases.tasks import sweep_every_minute
from anju.conftest import at


def test_the_sweep_command_runs_one_sweep(new_case):
    new_case(now=at(2025, 1, 6, 9))  # long overdue
    out = StringIO()
    call_command("sweep", stdout=out)
    assert "looked at 1 case(s)" in out.getvalue()
    assert SupervisionNotice.objects.filter(kind="overdue").count() == 1


def test_the_periodic_task_runs_the_sweep(new_case, settings):
    new_case(now=at(2025, 1, 6, 9))
    sweep_every_minute.call_local()
    assert SupervisionNotice.objects.filter(kind="overdue").count() == 1


def test_the_nightly_task_gives_sqlite_its_statistics(new_case):
    from django.db import connection

    from anju.cases.tasks import refresh_sqlite_statistics

    new_case()
    refresh_sqlite_statistics.call_local()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'cases_case'")
            assert cursor.fetchone()[0] > 0
