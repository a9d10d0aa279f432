"""Registering a petition (登记): the record, its petitioners, the 15 days to route it, and what
the core refuses to do with a petition by itself."""

import pytest

from anju.cases import services as case_services
from anju.cases.choices import Action, Status
from anju.cases.models import Case
from anju.cases.services import CaseError, NewCase
from anju.conftest import at
from anju.petitions import services
from anju.petitions.choices import PetitionForm
from anju.petitions.models import Petition, Petitioner
from anju.petitions.tests import flow


def test_it_registers_a_petition_with_its_record_and_petitioners(petitions, people):
    case = flow.register(people)
    petition = case.petition
    assert case.kind == "petition" and case.status == Status.SUBMITTED and case.channel == "walk_in"
    assert petition.form == PetitionForm.VISIT and petition.request == "请求足额发放征地补偿款"
    assert petition.group_size == 2 and petition.level == "original"
    names = [(p.name, p.is_representative) for p in petition.petitioners.all()]
    assert names == [("王秀英", True), ("赵德明", False)]
    # The representative is the reporter: the messages reach them.
    assert case.reporter.name == "王秀英" and case.reporter.phone == "13800005678"


def test_it_gives_the_petition_office_fifteen_days_from_receipt_to_route(petitions, people):
    case = flow.register(people, now=at(2026, 11, 2, 16))
    assert case.accept_due_at == at(2026, 11, 17, 23, 59, 59) == case.due_at


def test_it_blanks_the_petitioners_names_and_numbers_from_the_words(petitions, people):
    case = flow.register(people, text="王秀英、赵德明反映：征地补偿款未发放，联系13800005678。王女士说村里不管",
                         request="王秀英请求足额发放")
    assert "王秀英" not in case.text and "赵德明" not in case.text and "13800005678" not in case.text
    assert "王女士" not in case.text and "征地补偿款未发放" in case.text
    assert case.petition.request == "【已隐去】请求足额发放"
    # Kept whole beside the redacted copy, for those who may see who petitioned.
    assert "王秀英、赵德明" in case.text_whole and case.petition.request_whole == "王秀英请求足额发放"


def test_a_report_of_wrongdoing_is_confidential_from_creation(petitions, people):
    case = flow.register(people, category="petition.conduct", about="gc", wrongdoing=True)
    assert case.confidential and case.reports_wrongdoing and case.about_office.code == "gc"


def test_a_report_of_wrongdoing_must_name_the_body_it_is_about(petitions, people):
    with pytest.raises(CaseError) as error:
        flow.register(people, wrongdoing=True)
    assert error.value.status == 422 and error.value.field == "about_office"
    assert not Case.objects.exists()


def test_an_official_named_needs_the_body_the_official_works_for(petitions, people):
    with pytest.raises(CaseError) as error:
        flow.register(people, official="某街道副主任")
    assert error.value.field == "about_office"
    case = flow.register(people, official="某街道副主任", about="gc")
    assert case.petition.about_official == "某街道副主任"


@pytest.mark.parametrize("change, field", [
    ({"category": "nope"}, "category"),
    ({"form": "fax"}, "form"),
    ({"group_size": 1}, "group_size"),
    ({"petitioners": [services.NewPetitioner("")]}, "petitioners.0.name"),
    ({"petitioners": [services.NewPetitioner("李四", "call me")]}, "petitioners.0.phone"),
    ({"request": "长" * 5001}, "request"),
    ({"text": ""}, "text"),
])
def test_it_refuses_bad_input_naming_the_field_and_writes_nothing(petitions, people, change, field):
    with pytest.raises(CaseError) as error:
        flow.register(people, **change)
    assert error.value.status == 422 and error.value.field == field
    assert not Case.objects.exists() and not Petition.objects.exists() and not Petitioner.objects.exists()


def test_it_registers_only_where_the_user_may_register(petitions, people):
    with pytest.raises(CaseError) as error:
        flow.register(people, actor=people.handler)
    assert error.value.status == 403


def test_a_retry_with_the_same_key_returns_the_first_petition(petitions, people):
    def send():
        return services.register_petition(
            people.dispatcher, NewCase(kind="petition", category_code="petition.land", text="补偿款", lat=31.905,
                                       lng=108.605),
            services.PetitionFacts(petitioners=[services.NewPetitioner("李四")]), idempotency_key="k1")

    first, created = send()
    again, created_again = send()
    assert created and not created_again and first.pk == again.pk
    assert Petitioner.objects.count() == 1


@pytest.mark.parametrize("act", [
    lambda s, case, who: s.accept_case(who.dispatcher, case),
    lambda s, case, who: s.reject_case(who.dispatcher, case, reply="不予受理"),
])
def test_the_core_does_not_accept_or_reject_a_petition_by_itself(petitions, people, act):
    case = flow.register(people)
    with pytest.raises(CaseError, match="信访事项页面"):
        act(case_services, case, people)


def test_the_core_does_not_answer_wait_or_extend_a_petition_by_itself(petitions, people):
    case = flow.accepted(people)
    for act in (lambda: case_services.resolve_case(people.handler, case, reply="已办结"),
                lambda: case_services.wait_for_reporter(people.handler, case, question="请补充"),
                lambda: case_services.request_extension(people.handler, case, amount=5, unit="calendar_days",
                                                        reason="复杂")):
        with pytest.raises(CaseError, match="信访事项页面"):
            act()
    allowed = case_services.access.allowed_actions(people.handler, case)
    assert Action.RESOLVE not in allowed and Action.WAIT not in allowed and Action.REQUEST_EXTENSION not in allowed


def test_the_regulations_time_limits_are_kept_whatever_a_deadline_policy_says(petitions, people):
    from anju.cases.models import DeadlinePolicy

    DeadlinePolicy.objects.create(name="错误的信访时限", kind="petition", accept_amount=3, accept_unit="working_days",
                                  handle_amount=90, handle_unit="working_days", reply_amount=5,
                                  reply_unit="working_days", warn_before_hours=48)
    case = flow.register(people, now=at(2026, 11, 2, 16))
    assert case.deadline_rule["accept"] == [15, "calendar_days"] and case.deadline_rule["handle"] == [60,
                                                                                                      "calendar_days"]
    # The policy's warning hours still apply.
    assert case.deadline_rule["warn_before_hours"] == 48
    assert case.accept_due_at == at(2026, 11, 17, 23, 59, 59)


def test_the_fifteen_days_run_from_the_day_a_letter_was_received(petitions, people):
    case, _created = services.register_petition(
        people.dispatcher, NewCase(kind="petition", category_code="petition.land", text="补偿款", lat=31.905,
                                   lng=108.605),
        services.PetitionFacts(form=PetitionForm.LETTER, petitioners=[services.NewPetitioner("李四")]),
        received_on=at(2026, 10, 28).date(), now=at(2026, 11, 2, 10))
    assert case.submitted_at.date().isoformat() == "2026-10-28"
    assert case.accept_due_at == at(2026, 11, 12, 23, 59, 59)


@pytest.mark.parametrize("received_on", [at(2026, 11, 3).date(), at(2025, 10, 1).date()])
def test_a_day_of_receipt_in_the_future_or_long_ago_is_refused(petitions, people, received_on):
    with pytest.raises(CaseError) as error:
        services.register_petition(
            people.dispatcher, NewCase(kind="petition", category_code="petition.land", text="补偿款", lat=31.905,
                                       lng=108.605),
            services.PetitionFacts(petitioners=[services.NewPetitioner("李四")]), received_on=received_on,
            now=at(2026, 11, 2, 10))
    assert error.value.field == "received_on" and not Case.objects.exists()


def test_the_core_intake_does_not_register_a_petition(petitions, people):
    with pytest.raises(CaseError) as error:
        case_services.create_case(people.dispatcher, NewCase(kind="petition", category_code="petition.land",
                                                             text="补偿款", lat=31.905, lng=108.605))
    assert error.value.status == 422 and error.value.field == "kind"
    assert not Case.objects.exists()
