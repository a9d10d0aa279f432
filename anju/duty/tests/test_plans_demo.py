"""The plans demo on the test county: a plan of each kind with versions, one whose review is
overdue, one never drilled within its period, drills held with improvements (one overdue) and
one planned; run twice, it adds nothing."""

from anju.duty import demo_plans as demo
from anju.duty.choices import DrillStatus, PlanKind, PlanStatus
from anju.duty.models import ContingencyPlan, Drill, DrillImprovement
from anju.duty.tests import plans_fixtures
from anju.lib.workdays import local_date

# The fixtures of this module's tests, where pytest finds them.
clock, world = plans_fixtures.clock, plans_fixtures.world


def test_the_demo_shows_every_state(world):
    _done, lines = demo.run_demo()
    assert len(lines) == 1
    today = local_date(world.clock.now)
    rows = list(ContingencyPlan.objects.all())
    assert {p.kind for p in rows} == set(PlanKind.values)
    assert any(p.status == PlanStatus.DRAFT for p in rows)
    assert any(p.current_version >= 2 for p in rows)
    overdue = [p for p in rows if p.review_overdue(today)]
    assert [p.title for p in overdue] == ["城口县森林火灾应急预案"] and overdue[0].missed_deadline
    assert [p.title for p in rows if p.not_drilled(today)] == ["县规划自然资源局地质灾害应急预案"]
    assert Drill.objects.filter(status=DrillStatus.PLANNED).count() == 1
    assert Drill.objects.filter(status=DrillStatus.HELD).count() == 3
    assert sum(1 for i in DrillImprovement.objects.all() if i.is_overdue(today)) == 1
    assert demo.run_demo()[1] == []
