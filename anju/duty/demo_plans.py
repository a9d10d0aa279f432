"""The demo of contingency plans and drills (``modules.Module.demo``), built through the module's
services on the demo county's offices, dated back from today: a plan of each kind with its
versions, one whose review is overdue, one never drilled within its period, drills held with
improvements (one overdue) and a drill planned, and a draft."""

import random
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from anju.duty import plans
from anju.duty.choices import PlanKind
from anju.duty.models import ContingencyPlan, DrillImprovement
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.workdays import local_date
from anju.people.access import is_global
from anju.people.models import Office, User

DEFAULT_SEED = 500229


def _office(suffix: str, name: str, county) -> Office:
    """The demo's county department ``suffix`` (its code is the county's code and the suffix),
    or one made like it when the department is missing."""
    office = Office.objects.filter(code=f"{county.code}-{suffix}").first()
    if office is None:
        office, _created = Office.objects.get_or_create(
            code=f"{county.code}-{suffix}", defaults={"name": name, "kind": "department", "jurisdiction": county})
    return office


def _keeper() -> User:
    """An administrator who keeps every plan: the demo's ``admin``, or any global user."""
    user = User.objects.filter(username="admin").first()
    if user is not None and is_global(user):
        return user
    for user in User.objects.filter(is_active=True).order_by("pk"):
        if is_global(user):
            return user
    return User.objects.create_superuser("plans-demo", password=None)


def plans_demo(seed: int = DEFAULT_SEED) -> dict:
    """Build the showcase; returns what was built by name."""
    rng = random.Random(seed)
    today = local_date(timezone.now())
    county = Region.objects.filter(level=Level.COUNTY).order_by("code").first()
    admin = _keeper()
    government = _office("xzf", "县人民政府", county)
    emergency = _office("yjj", "县应急管理局", county)
    water = _office("slj", "县水利局", county)
    resources = _office("ghzyj", "县规划自然资源局", county)
    township = Office.objects.filter(kind="township", is_active=True).order_by("code").first() or emergency

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def plan(title, kind, owner, scope, number=""):
        return plans.create_plan(admin, plans.NewPlan(title=title, kind=kind, owner=owner.code, scope=scope,
                                                      number=number))

    def version(made, days, body, changes=""):
        plans.approve_version(admin, made, plans.NewVersion(ago(days), body, changes))

    def drill(made, kind, title, days, *, held=True, units="", heads=0, findings=""):
        # A negative ``days`` plans it ahead of today.
        row = plans.plan_drill(admin, plans.NewDrill(made.pk, kind, title, ago(days)))
        if held:
            plans.hold_drill(admin, row, held_on=ago(days), units=units, head_count=heads, findings=findings)
        return row

    built = {}
    overall = plan("城口县突发事件总体应急预案", PlanKind.OVERALL, government,
                   "本县行政区域内自然灾害、事故灾难、公共卫生事件和社会安全事件的应对工作", "城府发〔2021〕12号")
    version(overall, 1500, "县人民政府")
    version(overall, 700, "县人民政府", "按机构改革调整应急指挥机构及成员单位职责，增加预警分级响应措施")
    full = drill(overall, "full_scale", "全县突发事件综合应急演练", 240,
                 units="县应急管理局、县公安局、县卫生健康委、各乡镇（街道）", heads=rng.randint(180, 260),
                 findings="部门间信息报送存在延迟；应急物资调拨流程不清")
    plans.add_improvement(admin, full, text="建立部门间突发事件信息30分钟报送机制", owner=government.code,
                          due_on=ago(60))
    done = plans.add_improvement(admin, full, text="修订应急物资调拨流程并公布", owner=emergency.code, due_on=ago(120))
    plans.mark_improvement_done(admin, done, done_on=ago(130), note="流程已印发并上墙")
    plans.add_improvement(admin, full, text="组织乡镇应急队伍专项培训", owner=township.code,
                          due_on=today + timedelta(days=45))
    built["overall"] = overall

    forest = plan("城口县森林火灾应急预案", PlanKind.SPECIAL, emergency, "本县行政区域内森林火灾的预防、扑救和灾后处置")
    version(forest, 3 * 365 + 60, "县人民政府")
    drill(forest, "tabletop", "森林火灾扑救桌面推演", 365, units="县应急管理局、县规划自然资源局、各乡镇", heads=45,
          findings="扑火力量集结点设置偏远")
    built["review_overdue"] = forest

    flood = plan("城口县防汛抗旱应急预案", PlanKind.SPECIAL, water, "本县行政区域内洪涝、干旱灾害的防御和应急处置")
    version(flood, 400, "县人民政府")
    drill(flood, "functional", "汛前防汛通信保障功能演练", -30, held=False)
    built["drill_planned"] = flood

    geo = plan("县规划自然资源局地质灾害应急预案", PlanKind.DEPARTMENT, resources,
               "本部门职责范围内地质灾害的监测预警、调查评估和应急技术支撑")
    version(geo, 3 * 365 + 180, "县规划自然资源局")
    plans.record_review(admin, geo, reviewed_on=ago(180), conclusion="keep", note="预案内容与现行职责相符")
    built["never_drilled"] = geo

    local = plan(f"{township.name}防汛应急预案", PlanKind.GRASSROOTS, township,
                 "辖区内山洪、滑坡等灾害的群测群防、人员转移和避险安置")
    version(local, 300, township.name)
    drill(local, "full_scale", "山洪灾害人员转移避险演练", 60,
          units=f"{township.name}、各村（社区）居委会、民兵应急分队", heads=rng.randint(90, 140),
          findings="部分转移路线指示牌缺失")
    built["grassroots"] = local

    built["draft"] = plan("城口县危险化学品事故应急预案", PlanKind.SPECIAL, emergency,
                          "本县行政区域内危险化学品生产、储存、运输环节事故的应急处置")
    plans.sweep_plan_reviews(timezone.now())
    return built


def run_demo(seed: int = DEFAULT_SEED) -> tuple[str, list[str]]:
    """The module's demo (``modules.Module.demo``): build it, and the lines of its summary."""
    if ContingencyPlan.objects.exists():
        return _("Plans: the plans library is already there, nothing added."), []
    built = plans_demo(seed)
    today = local_date(timezone.now())
    overdue = sum(1 for row in DrillImprovement.objects.all() if row.is_overdue(today))
    return _("plans: contingency plans with versions, reviews and drills"), [
        _("Contingency plans (应急预案): %(n)d plans; review overdue: %(review)s; never drilled within its period: "
          "%(drill)s; a drill planned on %(planned)s; %(overdue)d drill improvement(s) overdue") % {
            "n": ContingencyPlan.objects.count(), "review": built["review_overdue"].title,
            "drill": built["never_drilled"].title, "planned": built["drill_planned"].title, "overdue": overdue},
    ]
