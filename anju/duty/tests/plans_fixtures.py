"""Fixtures of the plans and drills tests, imported by each test file that uses them: the
county's emergency bureau and its handler, a township supervisor, a frozen clock, and a
helper that registers a plan with its first approved version.

The clock: ``clock.set(at(...))`` freezes ``timezone.now`` for the services, the API and the
pages alike."""

from datetime import date

import pytest
from django.utils import timezone

from anju.conftest import at, user_with_roles
from anju.duty import plans
from anju.people.models import Office


class Clock:
    def __init__(self, monkeypatch):
        self.now = at(2026, 3, 2, 9)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment):
        self.now = moment
        return moment


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock, at 2026-03-02 09:00 (Asia/Shanghai) until set otherwise."""
    return Clock(monkeypatch)


class PlansWorld:
    """Handles to the plans fixtures."""


@pytest.fixture
def world(county, people, clock):
    """The county's emergency bureau (县应急管理局) with its handler, the county government's
    office, a supervisor of 葛城 only, and ``plan(...)`` to register a plan in force."""
    w = PlansWorld()
    w.county, w.people, w.clock = county, people, clock
    w.emergency = Office.objects.create(code="yjj", name="县应急管理局", kind="department",
                                        jurisdiction=county.county)
    w.government = Office.objects.create(code="zfb", name="县人民政府办公室", kind="department",
                                         jurisdiction=county.county)
    w.emergency_handler = user_with_roles("emergency_handler", w.emergency, handler=[(None, w.emergency)])
    w.township_supervisor = user_with_roles("township_supervisor", county.gecheng_office,
                                            supervisor=[(county.gecheng, None)])

    def plan(title="城口县森林火灾应急预案", *, kind="special", owner=None, approved_on=date(2023, 5, 10),
             actor=None, drill_period_months=None, review_period_months=None,
             scope="全县行政区域内森林火灾的预防和扑救"):
        actor = actor or people.admin
        made = plans.create_plan(actor, plans.NewPlan(
            title=title, kind=kind, owner=(owner or w.emergency).code, scope=scope,
            drill_period_months=drill_period_months, review_period_months=review_period_months))
        if approved_on is not None:
            plans.approve_version(actor, made, plans.NewVersion(approved_on, "县人民政府", ""))
        made.refresh_from_db()
        return made

    w.plan = plan
    return w
