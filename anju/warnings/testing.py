"""Fixtures of the warnings module, shared by every test that needs them (a pytest plugin the root
``conftest.py`` loads for each installed app that has a ``testing.py``).

``points`` builds on the test county (``county``) and its personas (``people``):

    葛城街道 ─ 土城社区 ─ 土城第1网格   CK-GC-001 土城滑坡 (landslide, 3 households, 9 people,
                                      a rain gauge, its monitor and deputy with accounts)
              土城社区                CK-GC-002 土城沟泥石流 (debris flow, in the village, 1 household)
    复兴街道 ─ 太和社区 ─ 太和第1网格   CK-FX-001 太和危岩 (collapse, 2 households)

and the county's rain table (1 h, 3 h and 24 h: blue, yellow, orange, red) set on the county.
``warnings_clock`` freezes ``timezone.now`` for the services, the API and the pages alike."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anju.conftest import at, user_with_roles
from anju.warnings import points as services
from anju.warnings import rules as rule_services
from anju.warnings.choices import Level, PointType, ReadingKind

# The county's rain table of the fixtures: (window hours, {level: mm}).
RAIN_TABLE = [
    (1, {Level.BLUE: 20, Level.YELLOW: 30, Level.ORANGE: 40, Level.RED: 50}),
    (3, {Level.BLUE: 40, Level.YELLOW: 60, Level.ORANGE: 80, Level.RED: 100}),
    (24, {Level.BLUE: 50, Level.YELLOW: 80, Level.ORANGE: 100, Level.RED: 150}),
]


class WarningsClock:
    """``set(moment)`` and ``advance(**delta)`` move the frozen clock."""

    def __init__(self, monkeypatch, start):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment):
        self.now = moment
        return moment

    def advance(self, **delta):
        self.now = self.now + timedelta(**delta)
        return self.now


@pytest.fixture
def warnings_clock(monkeypatch):
    """A frozen clock at 2026-07-10 08:00 (Asia/Shanghai, in the flood season) until moved."""
    return WarningsClock(monkeypatch, at(2026, 7, 10, 8))


class Points:
    """Handles to the points fixtures: the points, their households and device, the monitor's
    and deputy's accounts, a grid worker of 土城第1网格 only, a supervisor of 葛城 only."""


@pytest.fixture
def points(county, people):
    """The monitoring points of the test county (see the module's docstring)."""
    return build_points(county, people)


def build_points(county, people) -> Points:
    p = Points()
    c = county
    p.monitor = user_with_roles("monitor")
    p.deputy = user_with_roles("deputy")
    p.grid1_worker = user_with_roles("grid1_worker", None, grid_worker=[(c.grid1, None)])
    p.gc_keeper = user_with_roles("gc_keeper", c.gecheng_office, supervisor=[(c.gecheng, None)])
    admin = people.admin
    p.slope = services.create_point(admin, services.NewPoint(
        code="CK-GC-001", name="土城滑坡", type=PointType.LANDSLIDE, lat=31.905, lng=108.605,
        region=c.grid1.code, monitor_name="张守山", monitor_phone="13800005555", monitor_user="monitor",
        deputy_name="李副", deputy_phone="13800006666", deputy_user="deputy", potential_loss=300,
        outline={"type": "Polygon", "coordinates": [[[108.604, 31.904], [108.606, 31.904], [108.606, 31.906],
                                                     [108.604, 31.906], [108.604, 31.904]]]},
        route={"type": "LineString", "coordinates": [[108.605, 31.905], [108.607, 31.907], [108.608, 31.909]]},
        shelter_name="土城小学操场", shelter_lat=31.909, shelter_lng=108.608, shelter_capacity=200,
        warning_signal="鸣锣、手摇报警器"))
    p.households = [
        services.add_household(admin, p.slope, services.NewHousehold("王大山", 4, "13900001111", "土城社区3组12号")),
        services.add_household(admin, p.slope, services.NewHousehold("刘二妹", 3, "13900002222", "土城社区3组14号")),
        services.add_household(admin, p.slope, services.NewHousehold("陈老汉", 2, "", "土城社区3组15号")),
    ]
    p.gully = services.create_point(admin, services.NewPoint(
        code="CK-GC-002", name="土城沟泥石流", type=PointType.DEBRIS_FLOW, lat=31.915, lng=108.62,
        region=c.tucheng.code, monitor_name="赵守沟", monitor_phone="13800007777"))
    services.add_household(admin, p.gully, services.NewHousehold("赵家", 5, "13900003333", "土城社区5组1号"))
    p.rock = services.create_point(admin, services.NewPoint(
        code="CK-FX-001", name="太和危岩", type=PointType.COLLAPSE, lat=31.955, lng=108.705,
        region=c.grid3.code, monitor_name="孙守岩", monitor_phone="13800008888", shelter_name="太和村委会"))
    services.add_household(admin, p.rock, services.NewHousehold("孙家", 3, "13900004444", "太和社区1组2号"))
    services.add_household(admin, p.rock, services.NewHousehold("周家", 2, "13900005555", "太和社区1组3号"))
    for point in (p.slope, p.gully, p.rock):
        point.refresh_from_db()
    p.gauge, p.gauge_key = services.create_device(admin, p.slope, services.NewDevice(
        "土城1号雨量计", [ReadingKind.RAIN], 60), now=at(2026, 7, 1, 0))
    p.rules = [rule_services.create_rule(admin, rule_services.NewRule(
        kind=ReadingKind.RAIN, window_hours=hours, level=level, threshold=mm, area=c.county.code))
        for hours, table in RAIN_TABLE for level, mm in table.items()]
    return p
