"""Fixtures of the petitions module, shared by every test that needs them (a pytest plugin the
root ``conftest.py`` loads for each installed app that has a ``testing.py``)."""

import pytest

from anju.cases.models import Category
from anju.conftest import user_with_roles
from anju.people.models import Office


class Petitions:
    """Handles to the petition fixtures: petition categories, the county petition office and the
    bodies a level and two levels up, and their staff."""


@pytest.fixture
def petitions(county, people):
    """Petitions on top of the test county: categories in the ``petition`` subtree, the county
    petition office (信访办, whose clerk registers and routes), the county government (reviews
    the townships' answers) and the city government (re-examines), a handler in each, and two
    users of 葛城街道办事处 (the body a petition may be about) who are not handlers: a township
    leader and a township supervisor."""
    return build_petitions(county, people)


def build_petitions(county, people) -> Petitions:
    t = Petitions()
    c = county
    t.root = Category.objects.create(code="petition", name="信访事项", default_kind="petition")
    t.land = Category.objects.create(code="petition.land", name="征地拆迁", parent=t.root, default_kind="petition")
    t.conduct = Category.objects.create(code="petition.conduct", name="干部作风", parent=t.root,
                                        default_kind="petition")
    t.office = Office.objects.create(code="xfb", name="县信访办", kind="department", jurisdiction=c.county)
    t.county_gov = Office.objects.create(code="xzf", name="县人民政府", kind="department", jurisdiction=c.county)
    t.city_gov = Office.objects.create(code="szf", name="市人民政府", kind="department", jurisdiction=c.county)
    t.clerk = user_with_roles("clerk", t.office, dispatcher=[(c.county, None)])
    t.county_handler = user_with_roles("county_handler", t.county_gov, handler=[(None, t.county_gov)])
    t.city_handler = user_with_roles("city_handler", t.city_gov, handler=[(None, t.city_gov)])
    t.township_leader = user_with_roles("township_leader", c.gecheng_office, leader=[(c.gecheng, None)])
    t.township_supervisor = user_with_roles("township_supervisor", c.gecheng_office, supervisor=[(c.gecheng, None)])
    return t
