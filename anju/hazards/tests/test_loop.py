"""The ledger loop of a hazard at fixed moments: 排查 → 登记 → 整改 → 复查 → 销号, for a general hazard
and for a major one (stopped work, the six-part plan, a failed re-inspection that starts a new
round and escalates, listed supervision with weekly progress and delisting on acceptance)."""

from datetime import date

import pytest

from anju.cases import sweep as case_sweep
from anju.cases.choices import Status
from anju.cases.models import SupervisionNotice
from anju.cases.services import CaseError
from anju.conftest import at
from anju.hazards import services
from anju.hazards.choices import HazardEvent, HazardLevel, HazardStage, RoundResult
from anju.hazards.models import Hazard, Inspection
from anju.notify.models import Notification

# Monday 2 November 2026.
MONDAY = at(2026, 11, 2, 9)


def inspect(people, hazards, *, site=None, answers=None, key="k1", now=MONDAY, actor=None):
    site = site or hazards.tower
    answers = answers or [services.Answer(1, "hazard", "楼梯间堆放杂物堵塞通道"), services.Answer(2, "pass"),
                          services.Answer(3, "na")]
    data = services.NewInspection(site=site.pk, answers=answers, signed_as="网格员 张三")
    return services.submit_inspection(actor or people.gridworker, data, idempotency_key=key, now=now)


def test_an_inspection_opens_a_hazard_routed_to_the_supervising_department(people, hazards):
    inspection, created = inspect(people, hazards)
    assert created and inspection.template == hazards.building_checklist
    [hazard] = Hazard.objects.all()
    case = hazard.case
    assert case.kind == "hazard" and case.office == hazards.housing and case.status == Status.SUBMITTED
    assert hazard.site == hazards.tower and hazard.level == HazardLevel.GENERAL and hazard.item_number == 1
    assert "楼梯间堆放杂物" in case.text
    assert case.events.filter(action=HazardEvent.INSPECTION).exists()
    # Sent again with the same key (a double tap): the same inspection, nothing new.
    again, created = inspect(people, hazards)
    assert not created and again.pk == inspection.pk
    assert Inspection.objects.count() == 1 and Hazard.objects.count() == 1


def test_an_inspection_answers_every_item_once(people, hazards):
    with pytest.raises(CaseError) as error:
        inspect(people, hazards, answers=[services.Answer(1, "pass")])
    assert error.value.field == "answers"
    with pytest.raises(CaseError) as error:
        inspect(people, hazards, answers=[services.Answer(1, "hazard"), services.Answer(2, "pass"),
                                          services.Answer(3, "pass")])
    assert error.value.field == "answers.0.note"
    with pytest.raises(CaseError) as error:
        inspect(people, hazards, answers=[services.Answer(1, "maybe"), services.Answer(2, "pass"),
                                          services.Answer(3, "pass")])
    assert error.value.field == "answers.0.result"
    assert not Inspection.objects.exists()


def test_a_general_hazard_is_ordered_rectified_reinspected_and_closed(people, hazards):
    inspect(people, hazards)
    case = Hazard.objects.get().case
    order = services.issue_order(hazards.housing_handler, case, measures="清理楼梯间杂物，保持通道畅通",
                                 due_on=date(2026, 11, 9), now=MONDAY)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.due_at == at(2026, 11, 9, 23, 59, 59)
    assert order.order_number.endswith("号") and order.number == 1 and order.office == hazards.housing
    # One event for the order, written with the case as it is after the order.
    [ordered] = case.events.filter(action=HazardEvent.ORDER)
    assert ordered.to_status == Status.IN_PROGRESS
    # Re-inspection within 5 working days after the deadline: Monday 16 November.
    assert order.reinspect_by == at(2026, 11, 16, 23, 59, 59)
    services.report_rectified(hazards.housing_handler, case, note="物业已清理", now=at(2026, 11, 6, 10))
    case.refresh_from_db()
    assert case.due_at == at(2026, 11, 16, 23, 59, 59) and case.hazard.stage == HazardStage.REINSPECTION
    services.reinspect(hazards.housing_handler, case, passed=True, evidence="现场复查，通道已畅通（附照片）",
                       now=at(2026, 11, 10, 15))
    case.refresh_from_db()
    hazard = case.hazard
    assert case.status == Status.RESOLVED and hazard.stage == HazardStage.CLOSED
    assert hazard.rounds.get().result == RoundResult.PASSED and hazard.rounds.get().on_time
    assert "销号" in case.reply


def test_a_reinspection_before_the_deadline_may_find_the_work_done_but_never_fail_it(people, hazards):
    inspect(people, hazards)
    case = Hazard.objects.get().case
    services.issue_order(hazards.housing_handler, case, measures="清理楼梯间杂物", due_on=date(2026, 11, 9), now=MONDAY)
    with pytest.raises(CaseError) as early:
        services.reinspect(hazards.housing_handler, case, passed=False, evidence="杂物仍在",
                           new_due_on=date(2026, 11, 20), measures="继续清理", now=at(2026, 11, 9, 16))
    assert early.value.status == 409 and early.value.field == "passed" and "2026-11-09" in early.value.message
    assert case.hazard.rounds.get().result == ""
    # Past the deadline with no report from the unit, the re-inspection may fail it.
    services.reinspect(hazards.housing_handler, case, passed=False, evidence="杂物仍在", new_due_on=date(2026, 11, 20),
                       measures="继续清理", now=at(2026, 11, 10, 9))
    assert [r.result for r in Hazard.objects.get().rounds.order_by("number")] == [RoundResult.FAILED, ""]
    # Before the new deadline, found done: it passes and closes.
    services.reinspect(hazards.housing_handler, case, passed=True, evidence="通道已畅通", now=at(2026, 11, 16, 9))
    assert Hazard.objects.get().stage == HazardStage.CLOSED


def test_a_major_hazard_stops_work_plans_fails_once_and_is_listed_until_accepted(people, hazards, county):
    answers = [services.Answer(1, "hazard", "边坡超高超陡，已出现裂缝", level="major"), services.Answer(2, "pass")]
    inspect(people, hazards, site=hazards.quarry, answers=answers, actor=hazards.emergency_handler)
    case = Hazard.objects.get().case
    assert case.office == hazards.emergency and case.hazard.level == HazardLevel.MAJOR
    with pytest.raises(CaseError) as error:
        services.issue_order(hazards.emergency_handler, case, measures="削坡减载", due_on=date(2026, 12, 1),
                             now=MONDAY)
    assert error.value.field == "work_stopped_on"
    services.record_work_stopped(hazards.emergency_handler, case, stopped_on=date(2026, 11, 2), now=MONDAY)
    services.issue_order(hazards.emergency_handler, case, measures="削坡减载，设置截排水沟", due_on=date(2026, 12, 1),
                         now=MONDAY)
    listing = services.list_hazard(people.supervisor, case, owner="yjj", due_on=date(2026, 12, 31), now=MONDAY)
    assert listing.status == "listed"
    services.record_progress(hazards.emergency_handler, case, note="已完成削坡方案设计", now=at(2026, 11, 6, 9))
    with pytest.raises(CaseError) as error:
        services.record_progress(people.supervisor, case, note="重复", now=at(2026, 11, 6, 10))
    assert error.value.field == "week_of"
    with pytest.raises(CaseError) as error:
        services.report_rectified(hazards.emergency_handler, case, now=at(2026, 11, 20, 9))
    assert error.value.field == "plan"
    services.record_plan(hazards.emergency_handler, case, services.PlanText(
        goals="消除边坡失稳隐患", methods="分台阶削坡，修建截排水沟", resources="投入资金80万元、挖掘机2台",
        responsible="企业主要负责人负总责，安全副矿长具体实施", timeline="2026年11月30日前完成",
        safety="设置警戒区，雨天停止作业，专人监测"), now=at(2026, 11, 9, 9))
    services.report_rectified(hazards.emergency_handler, case, now=at(2026, 11, 27, 9))
    # The re-inspection fails: a second round with a new deadline, inside the same hazard, and
    # the township's and the county's supervisors are told.
    second = services.reinspect(people.supervisor, case, passed=False, evidence="截排水沟未完工",
                                new_due_on=date(2026, 12, 15), measures="完成截排水沟", now=at(2026, 12, 2, 10))
    case.refresh_from_db()
    assert second.number == 2 and case.status == Status.IN_PROGRESS
    assert case.due_at == at(2026, 12, 15, 23, 59, 59) and case.hazard.stage == HazardStage.RECTIFYING
    assert case.hazard.rounds.get(number=1).result == RoundResult.FAILED
    assert Notification.objects.filter(case=case, user=people.supervisor,
                                       event=HazardEvent.REINSPECTION_FAILED).exists()
    with pytest.raises(CaseError):
        services.delist(people.supervisor, case, acceptance="验收", now=at(2026, 12, 3, 9))
    services.report_rectified(hazards.emergency_handler, case, now=at(2026, 12, 14, 9))
    services.reinspect(people.supervisor, case, passed=True, evidence="截排水沟完工，边坡稳定", now=at(2026, 12, 16, 9))
    listing = services.delist(people.supervisor, case, acceptance="经县应急局组织专家验收合格", now=at(2026, 12, 17, 9))
    assert listing.status == "delisted"
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


def test_an_order_not_met_is_swept_overdue_and_escalated(people, hazards):
    inspect(people, hazards)
    case = Hazard.objects.get().case
    services.issue_order(hazards.housing_handler, case, measures="清理", due_on=date(2026, 11, 9), now=MONDAY)
    case_sweep.run_sweep(now=at(2026, 11, 10, 9))
    case.refresh_from_db()
    assert case.missed_deadline
    assert SupervisionNotice.objects.filter(case=case, kind="overdue").exists()


def test_only_the_owner_orders_and_the_core_does_not_close_a_hazard(people, hazards):
    inspect(people, hazards)
    case = Hazard.objects.get().case
    for outsider in (people.handler, people.gridworker, hazards.emergency_handler):
        with pytest.raises(CaseError) as error:
            services.issue_order(outsider, case, measures="x", due_on=date(2026, 11, 9), now=MONDAY)
        assert error.value.status == 403
    services.issue_order(hazards.housing_handler, case, measures="清理", due_on=date(2026, 11, 9), now=MONDAY)
    from anju.cases import services as case_services

    with pytest.raises(CaseError):
        case_services.resolve_case(hazards.housing_handler, case, reply="好了", now=MONDAY)


def test_a_hazard_rejected_at_intake_takes_no_rectification_step(people, hazards):
    from anju.cases import services as case_services

    inspect(people, hazards)
    case = Hazard.objects.get().case
    case = case_services.reject_case(people.dispatcher, case, reply="重复登记", now=MONDAY)
    with pytest.raises(CaseError) as error:
        services.issue_order(hazards.housing_handler, case, measures="清理", due_on=date(2026, 11, 9), now=MONDAY)
    assert error.value.status == 409
    assert not case.hazard.rounds.exists()


def test_the_township_owning_a_hazard_sees_its_site(people, hazards, county):
    from anju.cases.models import Category
    from anju.hazards import access
    from anju.hazards.models import Site, SiteKind

    # Rented self-built houses: no department's routing rule, so their hazards go to the township
    # (属地) by the territorial rule, and the site has no supervising department.
    category = Category.objects.create(code="hazard.rental", name="出租自建房安全隐患", parent=hazards.root_category,
                                       default_kind="hazard")
    kind = SiteKind.objects.create(code="rental", name="出租自建房", category=category)
    house = Site.objects.create(kind=kind, name="土城社区5组李家自建房", address="葛城街道土城社区5组", lat=31.905,
                                lng=108.605, region=county.grid1, unit="房主")
    assert not access.visible_sites(people.handler).filter(pk=house.pk).exists()
    services.report_hazard(people.gridworker, services.NewHazard(site=house.pk, level="general",
                                                                 description="外墙瓷砖脱落"), now=MONDAY)
    case = Hazard.objects.get().case
    assert case.office == county.gecheng_office
    assert access.visible_sites(people.handler).filter(pk=house.pk).exists()
