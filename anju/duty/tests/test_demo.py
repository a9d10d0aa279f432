"""The demo county's duty rosters: a month around today for the county emergency management
bureau and every township office, with gaps to show, a swap approved and one waiting, and the
handover log of the shifts on duty now. Built once for the module and rolled back after it."""

from datetime import timedelta

import pytest

from anju.conftest import at, data_for_the_module
from anju.demo import build
from anju.duty import demo, queries, services
from anju.duty.choices import SwapStatus
from anju.duty.models import HandoverEntry, Roster, Shift, Swap
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.people.models import Office

NOW = at(2026, 12, 7, 10)


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    with data_for_the_module(django_db_blocker):
        build.build_registers()
        yield demo.build_rosters(now=NOW)


def test_every_township_office_and_the_emergency_bureau_keep_a_month(counts, db):
    townships = Region.objects.filter(level=Level.TOWNSHIP).count()
    assert counts["offices"] == townships + 1
    bureau = Office.objects.get(code=build.department_code("yjj"))
    assert Roster.objects.filter(office=bureau).exists()
    days = Shift.objects.filter(office=bureau).values_list("day", flat=True)
    assert min(days) == NOW.date() - timedelta(days=demo.BEFORE)
    assert max(days) == NOW.date() + timedelta(days=demo.AFTER)


def test_someone_is_on_duty_now_everywhere_and_the_gaps_show(counts, db):
    rows = queries.board(NOW)
    assert rows and all(r.source == services.ROSTER for r in rows)
    complete = [queries.month_roster(r.office, 2026, 12).complete_count for r in rows[1:]]
    assert min(complete) < max(complete)


def test_a_swap_was_approved_one_waits_and_the_log_is_kept(counts, db):
    assert sorted(Swap.objects.values_list("status", flat=True)) == [SwapStatus.APPROVED, SwapStatus.REQUESTED]
    assert HandoverEntry.objects.filter(closed_at__isnull=False).exists()
    assert HandoverEntry.objects.filter(kind="matter", closed_at__isnull=True).exists()
    # The incidents and plans are built by the first run of the module's demo, nothing by a second.
    demo.run_demo()
    assert demo.run_demo()[1] == []
