"""Fixtures of the disputes module, shared by every test that needs them (a pytest plugin the
root ``conftest.py`` loads for each installed app that has a ``testing.py``)."""

import pytest

from anju.cases.models import Category, DeadlinePolicy, RoutingRule
from anju.conftest import user_with_roles
from anju.people.models import Office


class Mediation:
    """Handles to the dispute fixtures: mediation organisations, dispute types, mediators."""


@pytest.fixture
def mediation(county, people):
    """Disputes on top of the test county: dispute types, the 30-day mediation policy, a
    people's mediation committee in 葛城 (where disputes are routed) and one in 土城社区, the
    county justice bureau (administrative mediation) and the county court (judicial mediation),
    each with a handler persona (``mediation.mediator`` … ``mediation.court_mediator``)."""
    return build_mediation(county, people)


def build_mediation(county, people) -> Mediation:
    m = Mediation()
    c = county
    m.root = Category.objects.create(code="dispute", name="矛盾纠纷", default_kind="dispute")
    m.neighbour = Category.objects.create(code="dispute.neighbour", name="邻里纠纷", parent=m.root,
                                          default_kind="dispute")
    m.land = Category.objects.create(code="dispute.land", name="土地山林权属纠纷", parent=m.root,
                                     default_kind="dispute")
    m.wages = Category.objects.create(code="dispute.wages", name="劳动报酬（欠薪）纠纷", parent=m.root,
                                      default_kind="dispute")
    DeadlinePolicy.objects.create(name="纠纷调解（一个月）", kind="dispute", accept_amount=1,
                                  accept_unit="working_days", handle_amount=30, handle_unit="calendar_days",
                                  reply_amount=15, reply_unit="calendar_days")
    m.committee = Office.objects.create(code="gc-tjw", name="葛城街道人民调解委员会", kind="mediation",
                                        jurisdiction=c.gecheng)
    m.village_committee = Office.objects.create(code="tc-tjw", name="土城社区人民调解委员会", kind="mediation",
                                                jurisdiction=c.tucheng)
    m.justice = Office.objects.create(code="sfj", name="县司法局", kind="department", jurisdiction=c.county)
    m.court = Office.objects.create(code="court", name="县人民法院诉调对接中心", kind="department",
                                    jurisdiction=c.county)
    RoutingRule.objects.create(category=m.root, region=c.gecheng, office=m.committee, basis="territorial")
    m.mediator = user_with_roles("mediator", m.committee, handler=[(None, m.committee)])
    m.other_mediator = user_with_roles("other_mediator", m.committee, handler=[(None, m.committee)])
    m.village_mediator = user_with_roles("village_mediator", m.village_committee, handler=[(None, m.village_committee)])
    m.justice_mediator = user_with_roles("justice_mediator", m.justice, handler=[(None, m.justice)])
    m.court_mediator = user_with_roles("court_mediator", m.court, handler=[(None, m.court)])
    return m
