"""Protection built in (第十八条、第三十条): the body a petition is about never learns who
petitioned, a report of wrongdoing never reaches the body it is about, and nothing restricts,
flags, follows or counts anyone who petitions. These tests hold the services and the core's
access rules to it; the page and API tests check every response."""

import pytest

from anju.cases import access as case_access
from anju.cases import queries as case_queries
from anju.cases import services as case_services
from anju.cases.models import PersonalDataAccess
from anju.cases.services import CaseError
from anju.conftest import at
from anju.petitions import queries, services
from anju.petitions.models import Petition, Petitioner
from anju.petitions.tests import flow

NAME, PHONE = "王秀英", "13800005678"


def _gc_users(people, petitions):
    """Every kind of user of 葛城街道办事处, the body complained about."""
    return [people.handler, petitions.township_leader, petitions.township_supervisor]


def test_a_report_of_wrongdoing_is_invisible_to_every_user_of_the_body_it_is_about(petitions, people):
    case = flow.register(people, category="petition.conduct", about="gc", wrongdoing=True, text="某干部索要好处费")
    for user in _gc_users(people, petitions):
        assert not case_access.visible_to(user).filter(pk=case.pk).exists(), user
        assert not queries.petitions_for(user).filter(pk=case.pk).exists()
        page, _cursor = case_queries.case_list(user, case_queries.CaseFilters(text="好处费"))
        assert case not in list(page)
    # Everyone else in scope still sees it: the petition office, the county supervisor.
    assert case_access.visible_to(people.dispatcher).filter(pk=case.pk).exists()
    assert case_access.visible_to(people.supervisor).filter(pk=case.pk).exists()


def test_a_report_of_wrongdoing_is_never_passed_to_the_body_it_is_about(petitions, people):
    case = flow.register(people, category="petition.conduct", about="gc", wrongdoing=True)
    with pytest.raises(CaseError) as error:
        services.route_petition(people.dispatcher, case, office_code="gc")
    assert error.value.status == 422 and "第三十条" in error.value.message
    case.refresh_from_db()
    assert case.office.code == "centre" and not case.petition.notices.exists()
    # Routed elsewhere, accepted, then no supervisor can move it there either.
    services.route_petition(people.dispatcher, case, office_code="fx")
    services.accept_petition(people.other_handler, case)
    with pytest.raises(CaseError, match="第三十条"):
        services.transfer_petition(people.supervisor, case, office_code="gc", reason="属地")


def test_the_core_never_dispatches_a_report_of_wrongdoing_to_the_body_it_is_about(people, new_case):
    case = new_case(kind="report", about_office_code="gc", reports_wrongdoing=True)
    assert case.confidential
    case = case_services.accept_case(people.dispatcher, case)
    with pytest.raises(CaseError, match="第三十条"):
        case_services.dispatch_case(people.dispatcher, case, office_code="gc")


def test_the_body_complained_about_never_sees_who_petitioned_whatever_the_role(petitions, people):
    case = flow.routed(people, about="gc", official="征收办主任")
    petitioner = case.petition.petitioners.first()
    for user in _gc_users(people, petitions):
        assert case_access.person_hidden_from(user, case)
        with pytest.raises(CaseError) as error:
            services.reveal_petitioner(user, case, petitioner_id=petitioner.pk)
        assert error.value.status == 403
        with pytest.raises(CaseError):
            case_services.reveal_reporter(user, case)
    logged = PersonalDataAccess.objects.filter(case=case)
    assert logged.count() == 6 and not logged.filter(granted=True).exists()
    # The petition office and the county supervisor still may, and that is logged too.
    assert services.reveal_petitioner(people.supervisor, case, petitioner_id=petitioner.pk).name == NAME
    assert logged.filter(user=people.supervisor, granted=True, subject=f"petitioner {petitioner.pk}").exists()


def test_a_global_administrator_of_the_body_is_refused_too(petitions, people, county):
    people.admin.office = county.gecheng_office
    people.admin.save(update_fields=["office"])
    case = flow.routed(people, about="gc")
    with pytest.raises(CaseError):
        services.reveal_petitioner(people.admin, case, petitioner_id=case.petition.petitioners.first().pk)


def test_notices_are_printed_only_by_those_who_may_see_the_petitioners(petitions, people):
    case = flow.accepted(people, about="gc")
    notice = case.petition.notices.first()
    with pytest.raises(CaseError):
        services.log_notice_print(people.handler, notice)
    services.log_notice_print(people.dispatcher, notice)
    looks = PersonalDataAccess.objects.filter(subject=f"notice {notice.pk}").order_by("id")
    assert list(looks.values_list("granted", flat=True)) == [False, True]


# ---------------------------------------------------------------------------- no tracking of persons


def test_a_petitioner_is_recorded_anew_on_every_petition_and_never_linked(petitions, people):
    first = flow.register(people, now=at(2026, 1, 5, 9))
    second = flow.register(people, now=at(2026, 2, 5, 9))
    assert Petitioner.objects.filter(name=NAME).count() == 2
    assert first.reporter_id != second.reporter_id
    # A petitioner belongs to one petition; nothing else points at a person.
    relations = {f.name for f in Petitioner._meta.get_fields() if f.is_relation}
    assert relations == {"petition"}
    assert not any(word in f.name for f in Petition._meta.get_fields() for word in ("count", "times", "history"))


def test_the_tenth_petition_of_the_same_person_is_treated_like_the_first(petitions, people):
    made = [flow.routed(people, now=at(2026, 3, 2 + n, 9)) for n in range(10)]
    first, tenth = made[0], made[-1]
    assert tenth.status == first.status == "submitted"
    assert tenth.due_at - tenth.submitted_at == first.due_at - first.submitted_at
    assert tenth.priority == first.priority and tenth.supervision_level == first.supervision_level == 0
    assert not tenth.confidential and tenth.petition.leader is None


def test_no_list_finds_a_petition_by_who_petitioned(petitions, people):
    case = flow.register(people, text="王秀英反映征地补偿款未发放，电话13800005678")
    for user in (people.dispatcher, people.supervisor, people.admin):
        for words in (NAME, PHONE, "王女士"):
            assert not queries.petitions_for(user, queries.PetitionFilters(text=words)).exists()
            page, _cursor = case_queries.case_list(user, case_queries.CaseFilters(text=words))
            assert case not in list(page)
        assert queries.petitions_for(user, queries.PetitionFilters(text="征地补偿")).get() == case
