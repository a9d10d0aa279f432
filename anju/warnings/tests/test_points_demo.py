"""The demo county's monitoring points: points in every township with their households, routes
and shelters, the rain table and a township's stricter one, this year's checks with some
missing, devices with three days of hourly rain (one gauge's gap), a storm over a mountain
township that leaves its points at a level now with warnings drafted from the readings; run
twice, it adds nothing. Built once for the module and rolled back after it."""

import pytest

from anju.conftest import at, data_for_the_module
from anju.demo import build
from anju.geo.choices import Level as RegionLevel
from anju.geo.models import Region
from anju.warnings import demo_points, readings
from anju.warnings.choices import LEVEL_RANK, WarningOrigin, WarningStatus
from anju.warnings.models import Device, Household, MonitoringPoint, Reading, SeasonCheck, ThresholdRule, Warning

NOW = at(2026, 7, 20, 10, 30)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with data_for_the_module(django_db_blocker):
        build.build_registers()
        yield demo_points.build_points(now=NOW)


def test_every_township_has_points_with_households_routes_and_shelters(built, db):
    done, lines = built
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).count()
    points = list(MonitoringPoint.objects.all())
    assert len({p.area_path.split("/")[1] for p in points}) == townships
    assert len(points) == done["counts"]["points"] and len(lines) == 2
    for point in points:
        rows = Household.objects.filter(point=point)
        assert point.households == rows.count() and point.people == sum(r.members for r in rows)
        assert point.route and point.outline and point.shelter_lat is not None and point.region.level == "grid"
    assert {p.scale_grade for p in points} >= {"small", "medium", "large"}
    assert MonitoringPoint.objects.filter(monitor_user__username="gridworker").count() == 1


def test_the_rules_checks_and_devices_are_there(built, db):
    assert ThresholdRule.objects.filter(area__code="500229").count() == 12
    assert ThresholdRule.objects.filter(area__level="township", window_hours=24).count() == 4
    assert ThresholdRule.objects.filter(point__isnull=False, kind="crack").count() == 3
    points = MonitoringPoint.objects.count()
    before = SeasonCheck.objects.filter(year=2026, round="before").count()
    assert 0 < before < points
    assert SeasonCheck.objects.filter(round="during", stable=False).exists()
    assert Device.objects.count() >= 3
    assert Reading.objects.filter(source="hand").exists()


def test_the_storm_leaves_points_at_a_level_with_warnings_drafted_once_per_rise(built, db):
    done, _lines = built
    at_level = MonitoringPoint.objects.exclude(level="")
    assert at_level.exists()
    top = max(at_level, key=lambda p: LEVEL_RANK[p.level])
    assert LEVEL_RANK[top.level] >= LEVEL_RANK["orange"]
    assert readings.level_at(top, NOW) == top.level
    drafts = Warning.objects.filter(points=top).order_by("pk")
    levels = [w.level for w in drafts]
    assert levels == sorted(levels, key=LEVEL_RANK.get) and len(set(levels)) == len(levels)
    assert all(w.status == WarningStatus.DRAFT and w.origin == WarningOrigin.READINGS for w in drafts)
    assert len(done["warnings"]) == Warning.objects.count()
    gauge = Device.objects.order_by("pk").first()  # the gauge that fell silent four hours
    gaps = readings.gaps(gauge.point, since=at(2026, 7, 17, 0), until=NOW, now=NOW)
    assert any(g.minutes >= 240 and g.end is not None for g in gaps)


def test_run_twice_it_adds_nothing(built, db):
    count = MonitoringPoint.objects.count()
    assert demo_points.build_points(now=NOW)[0] == {}
    assert MonitoringPoint.objects.count() == count
