"""Fixtures of the warnings' lifecycle, acknowledgement and evacuation tests: monitoring points
with their monitors and households (made directly, on top of the test county), the staff who draft,
approve and keep the duty desk, grid workers of each township, and helpers that draft and issue a
warning at a frozen moment."""

from datetime import date
from types import SimpleNamespace

import pytest

from anju.conftest import at, square, user_with_roles
from anju.warnings import lifecycle
from anju.warnings.models import Household, MonitoringPoint

# The frozen moment the tests start from: a rainy July morning of the flood season.
T0 = at(2026, 7, 15, 9)


class Desk:
    """Handles to the fixtures: points ``p1`` (土城第1网格, a monitor with an account and a
    deputy, three households), ``p2`` (土城社区, kept at village level; a monitor without an
    account, no deputy, two households), ``p3`` (太和第1网格 in 复兴, one household); the
    township's supervisor and leader, a grid worker of 复兴, the monitor's account."""


def build_desk(county, people) -> Desk:
    d = Desk()
    c = county
    d.gc_supervisor = user_with_roles("w_gc_supervisor", c.gecheng_office, supervisor=[(c.gecheng, None)])
    d.gc_leader = user_with_roles("w_gc_leader", c.gecheng_office, leader=[(c.gecheng, None)])
    d.fx_gridworker = user_with_roles("w_fx_gridworker", None, grid_worker=[(c.taihe, None)])
    d.grid1_worker = user_with_roles("w_grid1_worker", None, grid_worker=[(c.grid1, None)])
    d.grid2_worker = user_with_roles("w_grid2_worker", None, grid_worker=[(c.grid2, None)])
    d.monitor = user_with_roles("w_monitor")
    d.monitor.display_name = "张大山"
    d.monitor.save(update_fields=["display_name"])

    def point(code, name, region, lat, lng, **extra):
        fields = {"type": "landslide", "scale_grade": "small", "households": 0, "people": 0,
                  "monitor_name": "", "monitor_phone": "", "shelter_name": "村委会避险点"}
        fields.update(extra)
        return MonitoringPoint.objects.create(code=code, name=name, region=region, lat=lat, lng=lng,
                                              outline=square(lng - 0.001, lat - 0.001, 0.002), **fields)

    d.p1 = point("DZ001", "土城滑坡", c.grid1, 31.905, 108.605, monitor_name="张大山", monitor_phone="13800001111",
                 monitor_user=d.monitor, deputy_name="李小红", deputy_phone="13900002222", households=3, people=9)
    d.p2 = point("DZ002", "土城沟泥石流", c.tucheng, 31.906, 108.612, type="debris_flow", monitor_name="王五",
                 monitor_phone="13700003333", households=2, people=5)
    d.p3 = point("DZ003", "太和危岩", c.grid3, 31.955, 108.705, type="collapse", monitor_name="赵六",
                 monitor_phone="13600004444", households=1, people=4)
    d.households = {}
    threatened = (
        (d.p1, [("陈大福", "13811110001", "土城社区1组12号", 3), ("刘二妹", "13811110002", "土城社区1组14号", 2),
                ("周老三", "", "土城社区1组15号", 4)]),
        (d.p2, [("吴家明", "13811110003", "土城社区3组2号", 3), ("郑秀英", "13811110004", "土城社区3组5号", 2)]),
        (d.p3, [("孙国强", "13811110005", "太和社区2组8号", 4)]),
    )
    for p, rows in threatened:
        d.households[p.code] = [Household.objects.create(point=p, head_name=n, phone=ph, address=a, members=m,
                                                         card_number=f"{p.code}-{i + 1}")
                                for i, (n, ph, a, m) in enumerate(rows)]
    return d


@pytest.fixture
def desk(county, people):
    return build_desk(county, people)


@pytest.fixture
def make_warning(county, people):
    """make_warning(level, points=[...], area=..., status="issued"|"approved"|"draft", now=T0):
    drafted by the county dispatcher, approved by the county leader, issued by the dispatcher."""

    def make(level="orange", points=(), area=None, status="issued", now=T0, evacuate=None, **texts):
        data = lifecycle.NewWarning(
            level=level, hazard_type=texts.pop("hazard_type", "landslide"), area=(area or county.gecheng).code,
            headline=texts.pop("headline", "葛城街道地质灾害橙色预警"),
            description=texts.pop("description", "受强降雨影响，土城社区发生滑坡的可能性大。"),
            instruction=texts.pop("instruction", "请受威胁群众立即转移至避险点。"),
            points=[p.code for p in points], **texts)
        warning, _created = lifecycle.draft_warning(people.dispatcher, data, now=now)
        if status in ("approved", "issued"):
            warning = lifecycle.approve(people.leader, warning, now=now)
        if status == "issued":
            warning = lifecycle.issue(people.dispatcher, warning, now=now, evacuate=evacuate)
        warning.refresh_from_db()
        return warning

    return make


@pytest.fixture
def on_duty_today(duty, people):
    """葛城's day shift of T0's day kept by 陈干事 (gc_officer) with 刘镇长; nothing for 复兴 (the
    county emergency office's roster has no shift then: its supervisors stand in)."""
    from anju.duty import services as duty_services

    duty_services.plan_shift(people.supervisor, duty_services.NewShift("gc", date(2026, 7, 15), "day", "gc_officer",
                                                                       "gc_leader"), now=T0.replace(month=6))
    return SimpleNamespace(duty=duty, officer=duty.gc_officer, leader=duty.gc_leader)
