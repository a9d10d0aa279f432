"""Fixtures of the hazards module, shared by every test that needs them (a pytest plugin the root
``conftest.py`` loads for each installed app that has a ``testing.py``)."""

import pytest

from anju.cases.models import Category, DeadlinePolicy, RoutingRule
from anju.conftest import user_with_roles
from anju.hazards import services
from anju.hazards.models import Site, SiteKind
from anju.people.models import Office


class Hazards:
    """Handles to the hazard fixtures: site kinds, the supervising departments, their handlers,
    checklists and sites."""


@pytest.fixture
def hazards(county, people):
    """Hazards on top of the test county: a kind tree (建筑 ⊃ 高层建筑; 非煤矿山) with their hazard
    categories, the county housing bureau (行业 of buildings, by routing rule) and emergency bureau
    (of mines), a handler of each, a checklist per kind, and sites: two high-rises and a quarry
    in 葛城's grids, a high-rise in 复兴."""
    return build_hazards(county, people)


def build_hazards(county, people) -> Hazards:
    h = Hazards()
    c = county
    h.root_category = Category.objects.create(code="hazard", name="安全隐患", default_kind="hazard")
    h.building_category = Category.objects.create(code="hazard.building", name="房屋建筑安全隐患",
                                                  parent=h.root_category, default_kind="hazard")
    h.mine_category = Category.objects.create(code="hazard.mine", name="非煤矿山安全隐患", parent=h.root_category,
                                              default_kind="hazard")
    DeadlinePolicy.objects.create(name="安全隐患", kind="hazard", accept_amount=1, accept_unit="working_days",
                                  handle_amount=15, handle_unit="working_days", reply_amount=5,
                                  reply_unit="working_days")
    h.housing = Office.objects.create(code="zjj", name="县住房城乡建设委", kind="department", jurisdiction=c.county)
    h.emergency = Office.objects.create(code="yjj", name="县应急管理局", kind="department", jurisdiction=c.county)
    RoutingRule.objects.create(category=h.building_category, region=c.county, office=h.housing, basis="sector")
    RoutingRule.objects.create(category=h.mine_category, region=c.county, office=h.emergency, basis="sector")
    h.building = SiteKind.objects.create(code="building", name="房屋建筑", category=h.building_category)
    h.highrise = SiteKind.objects.create(code="building.highrise", name="高层建筑", parent=h.building,
                                         category=h.building_category)
    h.mine = SiteKind.objects.create(code="mine", name="非煤矿山", category=h.mine_category)
    h.housing_handler = user_with_roles("housing_handler", h.housing, handler=[(None, h.housing)])
    h.emergency_handler = user_with_roles("emergency_handler", h.emergency, handler=[(None, h.emergency)])
    h.building_checklist = services.publish_checklist(people.admin, kind="building", title="房屋建筑安全检查表", items=[
        services.NewItem("消防通道畅通，无占用堵塞", "《消防法》第二十八条", "现场查看通道"),
        services.NewItem("外墙、阳台无空鼓脱落风险", "《城市危险房屋管理规定》", "外立面照片"),
        services.NewItem("电气线路无私拉乱接", "《高层民用建筑消防安全管理规定》第二十七条", "配电箱照片"),
    ])
    h.mine_checklist = services.publish_checklist(people.admin, kind="mine", title="非煤矿山安全检查表", items=[
        services.NewItem("边坡台阶高度、坡面角符合设计", "《金属非金属矿山安全规程》", "边坡测量记录"),
        services.NewItem("爆破器材专库存放、专人管理", "《民用爆炸物品安全管理条例》", "台账"),
    ])
    h.tower = Site.objects.create(kind=h.highrise, name="滨河花园3号楼", address="葛城街道滨河路18号", lat=31.905,
                                  lng=108.605, region=c.grid1, unit="城口县滨河物业管理有限公司",
                                  contact_name="刘德胜", contact_phone="13700001111", department=h.housing)
    h.tower2 = Site.objects.create(kind=h.highrise, name="滨河花园5号楼", address="葛城街道滨河路20号", lat=31.906,
                                   lng=108.616, region=c.grid2, unit="城口县滨河物业管理有限公司",
                                   contact_name="刘德胜", contact_phone="13700001111", department=h.housing)
    h.quarry = Site.objects.create(kind=h.mine, name="土城石场", address="葛城街道土城社区5组", lat=31.904,
                                   lng=108.603, region=c.grid1, unit="城口县土城建材有限公司",
                                   contact_name="陈国强", contact_phone="13600002222", department=h.emergency)
    h.far_tower = Site.objects.create(kind=h.highrise, name="太和大厦", address="复兴街道太和路1号", lat=31.955,
                                      lng=108.705, region=c.grid3, unit="城口县太和置业有限公司",
                                      department=h.housing)
    return h
