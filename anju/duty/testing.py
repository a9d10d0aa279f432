"""Fixtures of the duty module, shared by every test that needs them (a pytest plugin the root
``conftest.py`` loads for each installed app that has a ``testing.py``)."""

from datetime import time

import pytest

from anju.conftest import user_with_roles
from anju.duty.choices import ShiftPattern
from anju.duty.models import Roster
from anju.people.models import Office


class Duty:
    """Handles to the duty fixtures: the county emergency office and the offices keeping rosters,
    their duty officers, leaders on duty and supervisors."""


@pytest.fixture
def duty(county, people):
    """Duty rosters on top of the test county: the county emergency office (县应急办, 24-hour
    shifts from 08:30) and 葛城's office (day shifts 08:30-17:30, night shifts until 08:30); 复兴
    keeps no roster, so the county's answers for it. Two duty officers and a leader of each, and a
    supervisor of 葛城."""
    return build_duty(county, people)


def build_duty(county, people) -> Duty:
    d = Duty()
    c = county
    d.emergency = Office.objects.create(code="yjb", name="县应急办", kind="department", jurisdiction=c.county)
    Roster.objects.create(office=d.emergency, pattern=ShiftPattern.FULL_DAY, day_starts=time(8, 30))
    Roster.objects.create(office=c.gecheng_office, pattern=ShiftPattern.DAY_NIGHT, day_starts=time(8, 30),
                          night_starts=time(17, 30))
    d.yj_officer = user_with_roles("yj_officer", d.emergency, handler=[(None, d.emergency)])
    d.yj_officer2 = user_with_roles("yj_officer2", d.emergency, handler=[(None, d.emergency)])
    d.yj_leader = people.leader
    d.yj_leader2 = user_with_roles("yj_leader2", None, leader=[(c.county, None)])
    d.gc_officer = user_with_roles("gc_officer", c.gecheng_office, handler=[(None, c.gecheng_office)])
    d.gc_officer2 = user_with_roles("gc_officer2", c.gecheng_office, handler=[(None, c.gecheng_office)])
    d.gc_leader = user_with_roles("gc_leader", c.gecheng_office, leader=[(c.gecheng, None)])
    d.gc_leader2 = user_with_roles("gc_leader2", c.gecheng_office, leader=[(c.gecheng, None)])
    d.gc_supervisor = user_with_roles("gc_supervisor", c.gecheng_office, supervisor=[(c.gecheng, None)])
    for user, name in ((d.yj_officer, "王值班"), (d.yj_officer2, "李值班"), (d.yj_leader2, "赵副县长"),
                       (d.gc_officer, "陈干事"), (d.gc_officer2, "周干事"), (d.gc_leader, "刘镇长"),
                       (d.gc_leader2, "孙副书记"), (d.gc_supervisor, "吴督查")):
        user.display_name = name
        user.save(update_fields=["display_name"])
    return d


class Incidents:
    """Handles to the incident fixtures."""


@pytest.fixture
def incidents(county, people):
    """The county's emergency management bureau (its duty office, ``yjj``, where a township's
    incident reports go up) with a duty officer, on top of the test county and its people."""
    i = Incidents()
    i.emergency = Office.objects.create(code="yjj", name="县应急管理局", kind="department", jurisdiction=county.county)
    i.county_officer = user_with_roles("county_officer", i.emergency, handler=[(None, i.emergency)])
    return i
