"""A plan's periodic review (评估, "原则上每3年评估一次") on a frozen clock: the sweep warns the
owning office's handlers and its supervisors before the review falls due, marks it overdue
after, once per stage; recording the review moves the date on; a revision puts the plan under
revision until its next version."""

from datetime import date

import pytest

from anju.cases.services import CaseError
from anju.cases.sweep import run_all_sweeps
from anju.conftest import at
from anju.duty import plans
from anju.duty.choices import PlanStatus, ReviewSweep
from anju.duty.models import ContingencyPlan, PlanReview
from anju.duty.tests import plans_fixtures
from anju.notify.models import Notification

# The fixtures of this module's tests, where pytest finds them.
clock, world = plans_fixtures.clock, plans_fixtures.world


def messages_to(user, event):
    return Notification.objects.filter(user=user, event=event).count()


def test_it_dates_the_first_review_three_years_after_the_approval(world):
    plan = world.plan(approved_on=date(2023, 5, 10))
    assert (plan.status, plan.current_version, plan.in_force_since) == (PlanStatus.IN_FORCE, 1, date(2023, 5, 10))
    assert plan.next_review_on == date(2026, 5, 10)
    assert plan.due_at == at(2026, 5, 10, 23, 59, 59)
    # The warning is planned 30 days before.
    assert plan.sweep_at == at(2026, 4, 10, 23, 59, 59)


def test_a_draft_is_not_reviewed_or_swept(world):
    plan = world.plan(approved_on=None)
    assert (plan.status, plan.next_review_on, plan.sweep_at, plan.drill_due_on) == (PlanStatus.DRAFT, None, None,
                                                                                      None)


def test_the_sweep_warns_then_marks_overdue_and_tells_the_office_and_its_supervisors(world, people):
    plan = world.plan(approved_on=date(2023, 5, 10))
    world.clock.set(at(2026, 4, 1, 9))
    assert run_all_sweeps()["plan review(s)"] == 0

    world.clock.set(at(2026, 4, 15, 9))
    assert run_all_sweeps()["plan review(s)"] == 1
    plan.refresh_from_db()
    assert (plan.sweep_stage, plan.missed_deadline, plan.sweep_at) == (ReviewSweep.DUE_SOON, False, plan.due_at)
    assert messages_to(world.emergency_handler, "plan_review_due_soon") >= 1
    assert messages_to(people.supervisor, "plan_review_due_soon") >= 1
    # Not the handlers of other offices, nor a township's supervisor.
    assert messages_to(people.handler, "plan_review_due_soon") == 0
    assert messages_to(world.township_supervisor, "plan_review_due_soon") == 0
    row = Notification.objects.filter(user=people.supervisor, event="plan_review_due_soon").first()
    assert "城口县森林火灾应急预案" in row.subject and row.link == f"/work/duty/plans/{plan.pk}/"

    # Looking again before the day tells nobody twice.
    before = Notification.objects.count()
    assert run_all_sweeps()["plan review(s)"] == 0
    assert Notification.objects.count() == before

    world.clock.set(at(2026, 5, 11, 0, 30))
    assert run_all_sweeps()["plan review(s)"] == 1
    plan.refresh_from_db()
    assert (plan.sweep_stage, plan.missed_deadline, plan.sweep_at) == (ReviewSweep.OVERDUE, True, None)
    assert plan.review_overdue(date(2026, 5, 11))
    assert messages_to(world.emergency_handler, "plan_review_overdue") >= 1
    assert messages_to(people.supervisor, "plan_review_overdue") >= 1
    assert run_all_sweeps()["plan review(s)"] == 0


def test_a_plan_first_looked_at_after_its_day_is_marked_overdue_at_once(world, people):
    plan = world.plan(approved_on=date(2022, 1, 5))
    assert plan.next_review_on == date(2025, 1, 5)
    assert run_all_sweeps()["plan review(s)"] == 1
    plan.refresh_from_db()
    assert plan.sweep_stage == ReviewSweep.OVERDUE and plan.missed_deadline
    assert messages_to(people.supervisor, "plan_review_due_soon") == 0
    assert messages_to(people.supervisor, "plan_review_overdue") >= 1


def test_a_township_plan_tells_the_township_supervisor(world, people, county):
    plan = world.plan("葛城街道防汛应急预案", kind="grassroots", owner=county.gecheng_office,
                      approved_on=date(2022, 1, 5))
    run_all_sweeps()
    assert messages_to(world.township_supervisor, "plan_review_overdue") >= 1
    assert messages_to(people.handler, "plan_review_overdue") >= 1
    assert messages_to(people.supervisor, "plan_review_overdue") == 0
    assert plan.pk


def test_recording_the_review_moves_the_date_on(world, people):
    plan = world.plan(approved_on=date(2023, 5, 10))
    world.clock.set(at(2026, 5, 20, 10))
    run_all_sweeps()
    review = plans.record_review(world.emergency_handler, plan, reviewed_on=date(2026, 5, 20), conclusion="keep")
    plan.refresh_from_db()
    assert (review.was_overdue, review.next_review_on) == (True, date(2029, 5, 20))
    assert (plan.status, plan.next_review_on, plan.last_reviewed_on) == (PlanStatus.IN_FORCE, date(2029, 5, 20),
                                                                          date(2026, 5, 20))
    assert (plan.sweep_stage, plan.missed_deadline) == (ReviewSweep.NONE, False)
    assert plan.sweep_at == at(2029, 4, 20, 23, 59, 59)
    assert not plan.review_overdue(date(2026, 5, 20))


def test_a_review_that_asks_for_revision_puts_the_plan_under_revision_until_a_new_version(world):
    plan = world.plan(approved_on=date(2023, 5, 10))
    world.clock.set(at(2026, 4, 20, 10))
    with pytest.raises(CaseError) as refused:
        plans.record_review(world.emergency_handler, plan, reviewed_on=date(2026, 4, 20), conclusion="revise")
    assert (refused.value.status, refused.value.field) == (422, "note")
    plans.record_review(world.emergency_handler, plan, reviewed_on=date(2026, 4, 20), conclusion="revise",
                        note="机构改革后职责调整，需修订")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVISING and plan.next_review_on == date(2029, 4, 20)
    world.clock.set(at(2026, 9, 1, 10))
    with pytest.raises(CaseError) as refused:
        plans.approve_version(world.emergency_handler, plan, plans.NewVersion(date(2026, 8, 30), "县人民政府", ""))
    assert refused.value.field == "changes"
    plans.approve_version(world.emergency_handler, plan,
                          plans.NewVersion(date(2026, 8, 30), "县人民政府", "按机构改革调整指挥部成员单位"))
    plan.refresh_from_db()
    assert (plan.status, plan.current_version, plan.next_review_on) == (PlanStatus.IN_FORCE, 2, date(2029, 8, 30))
    assert plan.in_force_since == date(2023, 5, 10)


@pytest.mark.parametrize("reviewed_on,field", [(date(2026, 3, 3), "reviewed_on"), (date(2023, 5, 9), "reviewed_on"),
                                               (date(1999, 1, 1), "reviewed_on")])
def test_it_refuses_a_review_in_the_future_or_before_the_plan(world, reviewed_on, field):
    plan = world.plan(approved_on=date(2023, 5, 10))
    with pytest.raises(CaseError) as refused:
        plans.record_review(world.emergency_handler, plan, reviewed_on=reviewed_on, conclusion="keep")
    assert (refused.value.status, refused.value.field) == (422, field)
    assert PlanReview.objects.count() == 0
    assert ContingencyPlan.objects.get(pk=plan.pk).next_review_on == date(2026, 5, 10)


def test_a_retired_plan_is_no_longer_reviewed_swept_or_drilled(world):
    plan = world.plan(approved_on=date(2022, 1, 5))
    drill = plans.plan_drill(world.emergency_handler, plans.NewDrill(plan.pk, "tabletop", "桌面推演", date(2026, 6, 1)))
    plans.retire_plan(world.emergency_handler, plan, reason="已被新预案替代")
    plan.refresh_from_db()
    drill.refresh_from_db()
    assert (plan.status, plan.sweep_at, plan.next_review_on, plan.drill_due_on) == (PlanStatus.RETIRED, None, None,
                                                                                     None)
    assert drill.status == "cancelled"
    assert run_all_sweeps()["plan review(s)"] == 0
    for call in (lambda: plans.record_review(world.emergency_handler, plan, reviewed_on=date(2026, 3, 1),
                                             conclusion="keep"),
                 lambda: plans.retire_plan(world.emergency_handler, plan, reason="again"),
                 lambda: plans.approve_version(world.emergency_handler, plan,
                                               plans.NewVersion(date(2026, 3, 1), "县人民政府", "x"))):
        with pytest.raises(CaseError) as refused:
            call()
        assert refused.value.status == 409


def test_a_version_may_not_predate_the_one_it_replaces_nor_be_in_the_future(world):
    plan = world.plan(approved_on=date(2023, 5, 10))
    for day in (date(2023, 5, 9), date(2026, 3, 3)):
        with pytest.raises(CaseError) as refused:
            plans.approve_version(world.emergency_handler, plan, plans.NewVersion(day, "县人民政府", "修订"))
        assert (refused.value.status, refused.value.field) == (422, "approved_on")
    assert plan.versions.count() == 1


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert plans.add_months(date(2024, 2, 29), 36) == date(2027, 2, 28)
    assert plans.add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert plans.add_months(date(2023, 12, 31), 12) == date(2024, 12, 31)
