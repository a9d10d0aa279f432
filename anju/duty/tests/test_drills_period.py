"""Drills on a frozen clock: a plan never drilled within its period is flagged on the library,
the plan page, the API and the indicator; a plan drilled in time is not; the drill period is
the plan's own (shorter for grassroots plans) and editable; improvements past their deadline
show as overdue."""

from datetime import date

import pytest

from anju.cases import modules
from anju.cases.services import CaseError
from anju.conftest import at
from anju.duty import plans
from anju.duty import plans_stats as stats
from anju.duty.choices import DrillStatus
from anju.duty.models import Drill, DrillImprovement
from anju.duty.tests import plans_fixtures
from anju.people.services import issue_token

# The fixtures of this module's tests, where pytest finds them.
clock, world = plans_fixtures.clock, plans_fixtures.world


@pytest.fixture
def two_plans(world):
    """On 2026-03-02: a forest-fire plan in force since 2022-01-05 and never drilled (its 36 months
    ran out on 2025-01-05), and a flood plan in force as long, drilled on 2025-06-01."""
    never = world.plan("城口县森林火灾应急预案", approved_on=date(2022, 1, 5))
    drilled = world.plan("城口县防汛抗旱应急预案", approved_on=date(2022, 1, 5))
    drill = plans.plan_drill(world.emergency_handler, plans.NewDrill(drilled.pk, "full_scale", "2025年防汛综合演练",
                                                                    date(2025, 6, 1)))
    plans.hold_drill(world.emergency_handler, drill, held_on=date(2025, 6, 1), units="县应急管理局、县水利局、葛城街道",
                     head_count=120, findings="转移路线标识不清")
    never.refresh_from_db()
    drilled.refresh_from_db()
    return never, drilled, drill


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)[1]}"}


def test_a_plan_never_drilled_is_flagged_and_one_drilled_in_time_is_not(two_plans):
    never, drilled, _drill = two_plans
    today = date(2026, 3, 2)
    assert (never.last_drilled_on, never.drill_due_on, never.not_drilled(today)) == (None, date(2025, 1, 5), True)
    assert (drilled.last_drilled_on, drilled.drill_due_on, drilled.not_drilled(today)) == (
        date(2025, 6, 1), date(2028, 6, 1), False)


def test_the_api_flags_it_and_filters_on_it(two_plans, people, client):
    never, drilled, _drill = two_plans
    body = client.get("/api/v1/plans", **bearer(people.dispatcher)).json()
    flags = {p["id"]: (p["never_drilled"], p["not_drilled"]) for p in body["items"]}
    assert flags == {never.pk: (True, True), drilled.pk: (False, False)}
    body = client.get("/api/v1/plans?not_drilled=true", **bearer(people.dispatcher)).json()
    assert [p["id"] for p in body["items"]] == [never.pk]
    detail = client.get(f"/api/v1/plans/{never.pk}", **bearer(people.dispatcher)).json()
    assert detail["not_drilled"] and detail["drill_due_on"] == "2025-01-05"


def test_the_library_and_the_plan_page_flag_it(two_plans, people, client):
    never, drilled, _drill = two_plans
    client.force_login(people.dispatcher)
    page = client.get("/work/duty/plans/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("Not drilled in its period") == 1
    page = client.get("/work/duty/plans/?not_drilled=on", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert never.title in page and drilled.title not in page
    page = client.get(f"/work/duty/plans/{never.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not drilled in its period" in page and "never drilled" in page


def test_the_indicator_counts_plans_drilled_within_their_period(two_plans, county):
    assert stats.drilled_in_period(None, date(2026, 1, 1), date(2026, 3, 31)) == 50.0
    assert stats.drilled_in_period(county.county, date(2026, 1, 1), date(2026, 3, 31)) == 50.0
    # No plan of 复兴's offices: nothing to count.
    assert stats.drilled_in_period(county.fuxing, date(2026, 1, 1), date(2026, 3, 31)) is None
    codes = {i.code for i in modules.indicators()}
    assert {"plans_reviewed_on_time", "plans_drilled_in_period", "drill_improvements_overdue"} <= codes


def test_the_review_indicator_counts_plans_whose_review_is_not_overdue(world):
    world.plan("甲", approved_on=date(2022, 1, 5))  # review due 2025-01-05: overdue
    world.plan("乙", approved_on=date(2024, 1, 5))
    world.plan("丙", approved_on=None)  # a draft is not counted
    assert stats.reviewed_on_time(None, date(2026, 1, 1), date(2026, 3, 31)) == 50.0


def test_a_grassroots_plan_is_drilled_every_year_and_the_period_is_editable(world, county, people):
    plan = world.plan("土城社区地质灾害应急预案", kind="grassroots", owner=county.gecheng_office,
                      approved_on=date(2025, 6, 1))
    assert (plan.drill_period_months, plan.drill_due_on) == (12, date(2026, 6, 1))
    plans.update_plan(people.handler, plan, plans.NewPlan(
        title=plan.title, kind=plan.kind, owner="gc", scope=plan.scope, drill_period_months=6))
    plan.refresh_from_db()
    assert (plan.drill_period_months, plan.drill_due_on) == (6, date(2025, 12, 1))
    assert plan.not_drilled(date(2026, 3, 2))


def test_holding_an_older_drill_does_not_move_the_last_drill_back(two_plans, world):
    _never, drilled, _drill = two_plans
    older = plans.plan_drill(world.emergency_handler,
                             plans.NewDrill(drilled.pk, "tabletop", "桌面推演", date(2024, 5, 1)))
    plans.hold_drill(world.emergency_handler, older, held_on=date(2024, 5, 1), units="县应急管理局", head_count=12)
    drilled.refresh_from_db()
    assert drilled.last_drilled_on == date(2025, 6, 1)


def test_improvements_past_their_deadline_are_overdue_until_done(two_plans, world, county, clock):
    _never, _drilled, drill = two_plans
    late = plans.add_improvement(world.emergency_handler, drill, text="设置转移路线指示牌", owner="gc",
                                 due_on=date(2025, 9, 30))
    on_time = plans.add_improvement(world.emergency_handler, drill, text="更新物资储备清单", owner="yjj",
                                    due_on=date(2026, 6, 30))
    today = date(2026, 3, 2)
    assert late.is_overdue(today) and not on_time.is_overdue(today)
    assert stats.improvements_overdue(None, date(2026, 1, 1), date(2026, 3, 31)) == 1
    # The township office that answers for it marks it done.
    plans.mark_improvement_done(world.people.handler, late, done_on=date(2026, 3, 1), note="已设置12块指示牌")
    late.refresh_from_db()
    assert late.done_on == date(2026, 3, 1) and not late.is_overdue(today)
    assert stats.improvements_overdue(None, date(2026, 1, 1), date(2026, 3, 31)) == 0
    with pytest.raises(CaseError) as refused:
        plans.mark_improvement_done(world.people.handler, on_time, done_on=date(2026, 3, 1))
    assert refused.value.status == 403


def test_a_drill_is_held_or_cancelled_only_while_planned(two_plans, world):
    _never, drilled, drill = two_plans
    for call in (lambda: plans.hold_drill(world.emergency_handler, drill, held_on=date(2025, 6, 2), units="x",
                                          head_count=1),
                 lambda: plans.cancel_drill(world.emergency_handler, drill, reason="x")):
        with pytest.raises(CaseError) as refused:
            call()
        assert refused.value.status == 409
    planned = plans.plan_drill(world.emergency_handler, plans.NewDrill(drilled.pk, "functional", "通信保障演练",
                                                                      date(2026, 5, 1)))
    with pytest.raises(CaseError) as refused:
        plans.add_improvement(world.emergency_handler, planned, text="x", owner="yjj", due_on=date(2026, 6, 1))
    assert refused.value.status == 409
    plans.cancel_drill(world.emergency_handler, planned, reason="汛期提前，改期")
    assert Drill.objects.get(pk=planned.pk).status == DrillStatus.CANCELLED
    assert DrillImprovement.objects.count() == 0


@pytest.mark.parametrize("changes,field", [
    ({"held_on": date(2026, 3, 3)}, "held_on"),
    ({"units": "  "}, "units"),
    ({"head_count": 0}, "head_count"),
    ({"head_count": True}, "head_count"),
])
def test_it_refuses_a_bad_drill_record_and_writes_nothing(world, changes, field):
    plan = world.plan(approved_on=date(2022, 1, 5))
    drill = plans.plan_drill(world.emergency_handler, plans.NewDrill(plan.pk, "tabletop", "桌面推演", date(2026, 3, 1)))
    facts = {"held_on": date(2026, 3, 1), "units": "县应急管理局", "head_count": 10, **changes}
    with pytest.raises(CaseError) as refused:
        plans.hold_drill(world.emergency_handler, drill, **facts)
    assert (refused.value.status, refused.value.field) == (422, field)
    drill.refresh_from_db()
    plan.refresh_from_db()
    assert (drill.status, drill.held_on, plan.last_drilled_on) == (DrillStatus.PLANNED, None, None)


def test_the_clock_decides_what_is_overdue(two_plans, clock):
    never, _drilled, _drill = two_plans
    clock.set(at(2024, 12, 1, 9))
    assert not never.not_drilled(date(2024, 12, 1))
