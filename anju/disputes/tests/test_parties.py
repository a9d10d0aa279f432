"""Parties' personal data: masked wherever shown, every reveal logged, granted or refused."""

import pytest

from anju.cases.models import PersonalDataAccess
from anju.cases.services import CaseError
from anju.disputes import services
from anju.disputes.tests.flow import MONDAY, in_mediation, signed


def test_it_masks_a_party_wherever_it_is_listed(people, mediation):
    case = in_mediation(people, mediation.mediator)
    applicant = case.dispute.parties.get(role="applicant")
    shown = services.masked_party(applicant)
    assert shown["name"] == "张**" and shown["phone"] == "138****1111"
    assert "3组" not in shown["address"]
    assert "张大山" not in str(shown) and "13800001111" not in str(shown)


def test_it_logs_a_granted_reveal_of_a_party(people, mediation):
    case = in_mediation(people, mediation.mediator)
    party = case.dispute.parties.get(role="respondent")
    shown = services.reveal_party(mediation.mediator, case, party_id=party.pk, reason="通知调解时间")
    assert (shown.name, shown.phone) == ("李小河", "13900002222")
    log = PersonalDataAccess.objects.get(subject=f"party {party.pk}")
    assert log.granted and log.user == mediation.mediator and log.reason == "通知调解时间"


def test_it_logs_and_refuses_a_reveal_out_of_role(people, mediation):
    case = in_mediation(people, mediation.mediator)
    party = case.dispute.parties.get(role="respondent")
    with pytest.raises(CaseError) as refused:
        services.reveal_party(people.leader, case, party_id=party.pk)
    assert refused.value.status == 403
    log = PersonalDataAccess.objects.get(subject=f"party {party.pk}")
    assert not log.granted and log.user == people.leader


def test_it_logs_the_print_of_an_agreement_with_the_parties_details(people, mediation):
    case, agreement = signed(people, mediation.mediator)
    services.log_agreement_print(mediation.mediator, agreement)
    with pytest.raises(CaseError):
        services.log_agreement_print(people.leader, agreement)
    logs = PersonalDataAccess.objects.filter(subject=f"agreement {agreement.pk}").order_by("id")
    logs = list(logs.values_list("user__username", "granted"))
    assert logs == [("mediator", True), ("leader", False)]


def test_it_adds_and_corrects_a_party(people, mediation):
    case = in_mediation(people, mediation.mediator)
    party = services.add_party(mediation.mediator, case, role="third_party", name="王村长", phone="023-5920 1234",
                               now=MONDAY)
    services.update_party(mediation.mediator, case, party_id=party.pk, role="third_party", name="王德明",
                          phone="13700003333", address="土城社区", claim="无", now=MONDAY)
    party.refresh_from_db()
    assert (party.name, party.phone, party.consent) == ("王德明", "13700003333", "pending")
    with pytest.raises(CaseError) as bad:
        services.update_party(mediation.mediator, case, party_id=party.pk, role="third_party", name="王德明",
                              phone="电话", now=MONDAY)
    assert bad.value.field == "phone"
    with pytest.raises(CaseError) as unknown:
        services.update_party(mediation.mediator, case, party_id=10**9, role="applicant", name="x", now=MONDAY)
    assert unknown.value.status == 404


def test_it_hides_the_parties_of_a_confidential_dispute_from_the_office_it_is_about(people, mediation, county):
    from anju.cases.models import Case
    from anju.people.models import RoleAssignment

    case = in_mediation(people, mediation.mediator)
    Case.objects.filter(pk=case.pk).update(confidential=True, about_office=county.gecheng_office)
    case = Case.objects.get(pk=case.pk)
    # A handler of the office complained about, who can also see the dispute.
    RoleAssignment.objects.create(user=people.handler, role="handler", region=county.gecheng)
    party = case.dispute.parties.get(role="applicant")
    with pytest.raises(CaseError):
        services.reveal_party(people.handler, case, party_id=party.pk)
    assert services.reveal_party(mediation.mediator, case, party_id=party.pk, reason="联系").name == "张大山"


# Every role a user may hold while working at the office a dispute is about (葛城街道办事处): by desk,
# with a role scoped to the township, or with a role scoped to the office itself.
ROLES_AT_THE_OFFICE = [
    ("dispatcher", "region"), ("handler", "office"), ("supervisor", "region"), ("leader", "region"),
    ("grid_worker", "region"), ("admin", "region"), ("dispatcher", "office"), ("supervisor", "office"),
]


@pytest.mark.parametrize(("role", "scope"), ROLES_AT_THE_OFFICE)
def test_nobody_at_the_office_a_dispute_is_about_learns_who_its_parties_or_reporter_are(
        people, mediation, county, role, scope):
    """The one rule (``person_hidden_from``) for the reporter and the parties alike, confidential
    or not: a dispatcher at the office a dispute is about could once reveal a party who was the
    reporter, while the reporter's own reveal refused the same person."""
    from anju.cases import access as case_access
    from anju.cases import services as case_services
    from anju.cases.models import Case
    from anju.people.models import RoleAssignment, User

    case = in_mediation(people, mediation.mediator)
    Case.objects.filter(pk=case.pk).update(about_office=county.gecheng_office)
    case = Case.objects.get(pk=case.pk)
    user = User.objects.create_user(f"gc_{role}_{scope}", password="pw", office=county.gecheng_office)
    RoleAssignment.objects.create(user=user, role=role, region=county.gecheng if scope == "region" else None,
                                  office=county.gecheng_office if scope == "office" else None)
    party = case.dispute.parties.get(role="applicant")
    assert case_access.person_hidden_from(user, case)
    with pytest.raises(CaseError) as refused:
        services.reveal_party(user, case, party_id=party.pk)
    assert refused.value.status == 403
    with pytest.raises(CaseError):
        case_services.reveal_reporter(user, case)
    logs = PersonalDataAccess.objects.filter(user=user).values_list("subject", "granted")
    assert sorted(logs) == [("", False), (f"party {party.pk}", False)]
    # The mediating organisation, which must reach the parties, and a dispatcher elsewhere still may.
    assert services.reveal_party(mediation.mediator, case, party_id=party.pk).name == "张大山"
    assert services.reveal_party(people.dispatcher, case, party_id=party.pk).name == "张大山"


def test_a_confidential_dispute_hides_its_people_from_the_centre_that_owns_it_but_not_from_its_mediator(
        people, mediation, county):
    """The mediators reach the parties of a confidential dispute (``owner_reaches_people``); the
    service centre that owns it before dispatch does not, as for any confidential case."""
    from anju.cases import access as case_access
    from anju.cases import services as case_services
    from anju.cases.models import Case
    from anju.disputes.tests.flow import register

    case = register(people)
    Case.objects.filter(pk=case.pk).update(confidential=True)
    case = Case.objects.get(pk=case.pk)
    assert case.office == county.centre and case_access.person_hidden_from(people.dispatcher, case)
    party = case.dispute.parties.get(role="applicant")
    with pytest.raises(CaseError):
        services.reveal_party(people.dispatcher, case, party_id=party.pk)
    with pytest.raises(CaseError):
        case_services.reveal_reporter(people.dispatcher, case)
    case_services.accept_case(people.dispatcher, case, now=MONDAY)
    case = case_services.dispatch_case(people.dispatcher, case, now=MONDAY)
    assert case.office == mediation.committee
    assert services.reveal_party(mediation.mediator, case, party_id=party.pk).name == "张大山"
    assert case_services.reveal_reporter(mediation.mediator, case).name == "张大山"


def test_the_dispute_page_and_api_leave_out_the_parties_for_the_office_it_is_about(people, mediation, county):
    from django.test import Client

    from anju.cases.models import Case
    from anju.people.models import RoleAssignment
    from anju.people.services import issue_token

    case = in_mediation(people, mediation.mediator)
    Case.objects.filter(pk=case.pk).update(about_office=county.gecheng_office)
    RoleAssignment.objects.create(user=people.handler, role="supervisor", region=county.gecheng)
    page = Client()
    page.force_login(people.handler)
    html = page.get(f"/work/disputes/{case.pk}/").content.decode()
    assert "parties-hidden" in html and "张**" not in html and "138****1111" not in html
    _record, raw = issue_token(people.handler)
    body = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"/api/v1/disputes/{case.pk}").json()
    assert body["parties_hidden"] is True and body["parties"] == []
    mine = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(mediation.mediator)[1]}")
    body = mine.get(f"/api/v1/disputes/{case.pk}").json()
    assert body["parties_hidden"] is False and len(body["parties"]) == 2
