"""Who sees which case: scope by region and office; missing and forbidden alike are 404."""

import pytest
from django.http import Http404

from anju.cases import services as s
from anju.cases.access import get_case_for, visible_to


@pytest.fixture
def cases(new_case, people):
    gecheng = new_case()
    fuxing = new_case(lat=31.955, lng=108.705)
    s.accept_case(people.dispatcher, gecheng)
    s.dispatch_case(people.dispatcher, gecheng)
    return gecheng, fuxing


def ids(user):
    return set(visible_to(user).values_list("pk", flat=True))


def test_county_roles_see_everything_in_the_county(cases, people):
    gecheng, fuxing = cases
    for user in (people.dispatcher, people.supervisor, people.leader, people.admin):
        assert ids(user) == {gecheng.pk, fuxing.pk}


def test_a_handler_sees_only_the_cases_of_their_office(cases, people):
    gecheng, fuxing = cases
    assert ids(people.handler) == {gecheng.pk}
    assert ids(people.other_handler) == set()


def test_a_township_dispatcher_sees_only_their_township(cases, people):
    assert ids(people.township_dispatcher) == {cases[1].pk}


def test_a_grid_worker_sees_their_villages_and_what_they_reported(cases, people, new_case):
    gecheng, fuxing = cases
    assert ids(people.gridworker) == {gecheng.pk}


def test_a_user_without_roles_sees_nothing(cases, people):
    assert ids(people.nobody) == set()


def test_out_of_scope_and_missing_look_the_same(cases, people):
    gecheng, _ = cases
    with pytest.raises(Http404):
        get_case_for(people.other_handler, gecheng.pk)
    with pytest.raises(Http404):
        get_case_for(people.other_handler, 999_999)
    assert get_case_for(people.handler, gecheng.pk) == gecheng


def test_a_grid_worker_may_register_only_in_their_villages(people, new_case):
    new_case(actor=people.gridworker)
    with pytest.raises(s.CaseError) as refused:
        new_case(actor=people.gridworker, lat=31.955, lng=108.705)
    assert refused.value.status == 403


def test_a_handler_cannot_register_cases(people, new_case):
    with pytest.raises(s.CaseError) as refused:
        new_case(actor=people.handler)
    assert refused.value.status == 403


def test_the_inbox_of_a_user_whose_role_is_narrower_than_the_office_goes_through_the_scope(cases, people, county):
    from anju.cases.queries import inbox
    from anju.people.models import RoleAssignment

    gecheng, _ = cases
    assert [c.pk for c in inbox(people.handler)] == [gecheng.pk]
    # Same office, but a role limited to 复兴: the 葛城 case is not theirs to see.
    narrow = people.nobody
    narrow.office = county.gecheng_office
    narrow.save()
    RoleAssignment.objects.create(user=narrow, role="handler", office=county.gecheng_office, region=county.fuxing)
    assert list(inbox(narrow)) == []
