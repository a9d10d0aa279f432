"""The module's demo as `anju demo` runs it: monitoring points across the county's townships with
readings, and one warning in progress, issued as CAP and listed in the public feed, with some
acknowledgements missing. Run twice, it adds nothing."""

from datetime import timedelta

import pytest
from capvalidator import check_schema
from django.test import Client

from anju.conftest import at, data_for_the_module
from anju.demo import build
from anju.geo.choices import Level as RegionLevel
from anju.geo.models import Region
from anju.people.models import User
from anju.warnings import demo, lifecycle
from anju.warnings.cap import validate
from anju.warnings.choices import AckState, WarningStatus
from anju.warnings.models import Acknowledgement, MonitoringPoint, Reading, Warning

NOW = at(2026, 7, 20, 10, 30)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with data_for_the_module(django_db_blocker):
        build.build_registers()
        yield demo.run_demo(now=NOW)


def test_points_across_the_townships_with_readings_and_a_warning_in_progress(built, db):
    _label, lines = built
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).count()
    assert len({p.area_path.split("/")[1] for p in MonitoringPoint.objects.all()}) == townships
    assert Reading.objects.count() > 100 and lines
    [issued] = Warning.objects.filter(status=WarningStatus.ISSUED)
    states = set(Acknowledgement.objects.filter(warning=issued).values_list("state", flat=True))
    assert AckState.ACKNOWLEDGED in states and (AckState.WAITING in states or AckState.ESCALATED in states)
    assert Acknowledgement.objects.filter(warning=issued, answered_at__isnull=True).exists()


def test_the_public_feed_lists_the_warning_and_its_message_validates(built, db):
    issued = Warning.objects.get(status=WarningStatus.ISSUED)
    message = issued.messages.get()
    feed = Client().get("/cap/feed.xml")
    assert feed.status_code == 200 and message.identifier in feed.content.decode()
    document = Client().get(f"/cap/{message.identifier}.xml")
    assert document.status_code == 200 and validate(document.content) == []


def test_run_twice_it_adds_nothing(built, db):
    points, warnings = MonitoringPoint.objects.count(), Warning.objects.count()
    assert demo.run_demo(now=NOW)[1] == []
    assert (MonitoringPoint.objects.count(), Warning.objects.count()) == (points, warnings)


def test_its_alert_an_update_and_a_cancel_pass_both_validators(built, db):
    issued = Warning.objects.get(status=WarningStatus.ISSUED)
    leader = User.objects.get(username="leader")
    later = NOW + timedelta(minutes=40)
    lifecycle.update(leader, issued, lifecycle.WarningChange(level="red", note="雨势加大"), now=later)
    lifecycle.cancel(leader, issued, reason="降雨结束，险情解除", now=later + timedelta(hours=3))
    messages = list(issued.messages.order_by("sent_at", "pk"))
    assert [m.msg_type for m in messages] == ["Alert", "Update", "Cancel"]
    assert messages[2].references.count(",") == 2 * 2  # the alert's and the update's
    for message in messages:
        xml = bytes(message.xml)
        assert validate(xml) == []
        result = check_schema(xml)
        assert result.passed, result.message
