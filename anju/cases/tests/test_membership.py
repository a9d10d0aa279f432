"""Who belongs to an office, and so is kept from what is kept from it: by desk, by a role scoped to
the office, and by a role scoped to a township's or village's area or a part of it. County
departments have members by desk and office roles only."""

import pytest

from anju.cases import access
from anju.cases import services as s
from anju.cases.queries import inbox
from anju.cases.services import CaseError
from anju.conftest import at
from anju.people.access import offices_of
from anju.people.models import RoleAssignment, User

T = at(2026, 11, 2, 9)
REPORTER = {"reporter_name": "周建国", "reporter_phone": "13611112222"}


def user_over(region, role, username):
    user = User.objects.create_user(username, password="pw")
    RoleAssignment.objects.create(user=user, role=role, region=region)
    return user


def test_a_role_over_a_township_or_one_of_its_villages_makes_a_member_of_its_offices(county, people):
    supervisor = user_over(county.gecheng, "supervisor", "gc_supervisor")
    assert county.gecheng_office.pk in offices_of(supervisor)
    assert county.gecheng_office.pk in offices_of(people.gridworker)  # 土城社区 lies in 葛城街道
    assert county.fuxing_office.pk not in offices_of(supervisor)
    # County staff are not members of the county's departments by their county-wide scope.
    assert county.transport.pk not in offices_of(people.supervisor)
    assert offices_of(people.supervisor) == {county.centre.pk}


def test_a_township_supervisor_by_region_does_not_see_a_report_of_wrongdoing_about_the_township(
        county, people, new_case):
    case = new_case(now=T, about_office_code="gc", reports_wrongdoing=True, **REPORTER)
    supervisor = user_over(county.gecheng, "supervisor", "gc_supervisor")
    assert not access.visible_to(supervisor).filter(pk=case.pk).exists()
    assert access.visible_to(people.supervisor).filter(pk=case.pk).exists()


@pytest.mark.parametrize("who", ["township_supervisor", "gridworker"])
def test_the_reporter_of_a_complaint_about_the_township_is_hidden_from_its_members_by_region(
        county, people, new_case, who):
    case = new_case(now=T, about_office_code="gc", **REPORTER)
    user = user_over(county.gecheng, "supervisor", "gc_supervisor") if who == "township_supervisor" \
        else people.gridworker
    assert access.person_hidden_from(user, case)
    with pytest.raises(CaseError):
        s.reveal_reporter(user, case)


def test_county_staff_still_see_who_complained_about_a_county_department(county, people, new_case):
    case = new_case(now=T, about_office_code="jtj", **REPORTER)
    assert not access.person_hidden_from(people.supervisor, case)
    assert s.reveal_reporter(people.supervisor, case).name == "周建国"



def member_of_fuxing_with_gecheng_in_hand(county, membership: str):
    """A handler whose role covers the whole 葛城 office (desk and role), who also belongs to 复兴
    by another role: scoped to 复兴's office, to the township, or to one of its villages."""
    handler = User.objects.create_user("gc_fx_handler", password="pw", office=county.gecheng_office)
    RoleAssignment.objects.create(user=handler, role="handler", office=county.gecheng_office)
    also = {"office role": {"office": county.fuxing_office}, "township role": {"region": county.fuxing},
            "village role": {"region": county.taihe}}[membership]
    RoleAssignment.objects.create(user=handler, role="leader", **also)
    assert county.fuxing_office.pk in offices_of(handler)
    return handler


def wrongdoing_of_fuxing_handled_by_gecheng(people, new_case):
    # 葛城 may handle it: the report is about 复兴.
    case = new_case(now=T, about_office_code="fx", reports_wrongdoing=True, **REPORTER)
    s.accept_case(people.dispatcher, case, now=T)
    return s.dispatch_case(people.dispatcher, case, office_code="gc", now=T)


@pytest.mark.parametrize("membership", ["office role", "township role", "village role"])
def test_a_report_of_wrongdoing_about_an_office_stays_out_of_the_inbox_of_its_members(
        county, people, new_case, membership):
    case = wrongdoing_of_fuxing_handled_by_gecheng(people, new_case)
    handler = member_of_fuxing_with_gecheng_in_hand(county, membership)
    assert case.pk not in [c.pk for c in inbox(handler)]
    # The rest of 葛城's handlers have it in hand.
    assert case.pk in [c.pk for c in inbox(people.handler)]
