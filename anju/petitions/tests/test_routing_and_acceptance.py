"""Routing (转送/交办, 第二十二条), the body's 15 days to accept and 5 working days to object
(第二十三条), acceptance with the 60 days to answer (第三十四条), and non-acceptance."""

import pytest

from anju.cases.choices import Status
from anju.cases.services import CaseError
from anju.conftest import at
from anju.petitions import services
from anju.petitions.choices import NoticeKind, PetitionEvent, RouteKind
from anju.petitions.tests import flow


def test_routing_gives_the_body_fifteen_days_to_accept_and_tells_the_petitioner(petitions, people):
    case = flow.register(people, now=at(2026, 11, 2, 9))
    services.route_petition(people.dispatcher, case, office_code="gc", route_kind=RouteKind.ASSIGNED,
                            now=at(2026, 11, 4, 10))
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.office.code == "gc"
    assert case.accept_due_at == case.due_at == at(2026, 11, 19, 23, 59, 59)
    notice = case.petition.notices.get()
    assert notice.kind == NoticeKind.RECEIPT and "交办葛城街道办事处" in " ".join(notice.content["paragraphs"])
    assert notice.sent_on.isoformat() == "2026-11-04" and notice.delivered_on == notice.sent_on
    event = case.events.get(action=PetitionEvent.NOTICE)
    assert event.public and event.data["number"] == notice.number


def test_the_body_may_object_within_five_working_days_across_national_day(petitions, people):
    # Routed Tuesday 29 September 2026: 30 Sept, 8, 9, Saturday 10 (a make-up working day) and 12 October.
    case = flow.routed(people, now=at(2026, 9, 29, 15))
    assert case.petition.objection_due_at == at(2026, 10, 12, 23, 59, 59)
    services.object_to_petition(people.handler, case, reason="属于县交通局职权", now=at(2026, 10, 12, 17))
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.office.code == "centre"
    assert case.petition.routed_at is None
    # The petition office routes anew within 15 days of the objection.
    assert case.due_at == at(2026, 10, 27, 23, 59, 59)


def test_an_objection_after_five_working_days_is_refused_citing_the_rule(petitions, people):
    case = flow.routed(people, now=at(2026, 9, 29, 15))
    with pytest.raises(CaseError) as error:
        services.object_to_petition(people.handler, case, reason="不属于本机关", now=at(2026, 10, 13, 9))
    assert error.value.status == 422 and "第二十三条" in error.value.message and "2026年10月12日" in error.value.message
    case.refresh_from_db()
    assert case.office.code == "gc"


def test_acceptance_starts_sixty_days_to_answer_and_sends_the_acceptance_notice(petitions, people):
    case = flow.routed(people, now=at(2026, 3, 2, 9))
    services.accept_petition(people.handler, case, now=at(2026, 3, 5, 11))
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.accepted_at == at(2026, 3, 5, 11)
    # The 60th day is 4 May, in the Labour Day holiday (1–5 May 2026): Wednesday 6 May.
    assert case.handle_due_at == case.due_at == at(2026, 5, 6, 23, 59, 59)
    assert case.petition.first_office.code == "gc"
    notice = case.petition.notices.get(kind=NoticeKind.ACCEPTANCE)
    assert "2026年5月6日前" in " ".join(notice.content["paragraphs"])


def test_only_the_body_it_was_sent_to_accepts(petitions, people):
    case = flow.routed(people)
    with pytest.raises(CaseError) as error:
        services.accept_petition(people.other_handler, case)
    # It cannot even see it: missing and forbidden look the same.
    assert error.value.status == 404


def test_a_petition_is_routed_before_it_is_accepted(petitions, people):
    case = flow.register(people)
    with pytest.raises(CaseError, match="请先将信访事项转送"):
        services.accept_petition(people.admin, case)


def test_not_accepted_closes_it_with_the_reason_and_where_to_turn(petitions, people):
    case = flow.routed(people)
    services.decline_petition(people.handler, case, reason="该诉求应当通过诉讼途径解决",
                              where_to_go="依法向人民法院提起诉讼。", now=flow.MONDAY)
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.resolved_at is None
    notice = case.petition.notices.get(kind=NoticeKind.NON_ACCEPTANCE)
    assert "理由：该诉求应当通过诉讼途径解决" in notice.content["paragraphs"]
    assert "该诉求应当通过诉讼途径解决" in case.reply and notice.number in case.reply


def test_a_notice_cannot_be_dated_in_the_future_or_before_receipt(petitions, people):
    case = flow.register(people, now=at(2026, 11, 2, 9))
    for sent_on, in [(at(2026, 11, 20).date(),), (at(2026, 10, 1).date(),)]:
        with pytest.raises(CaseError) as error:
            services.route_petition(people.dispatcher, case, office_code="gc", sent_on=sent_on,
                                    now=at(2026, 11, 3, 9))
        assert error.value.field == "sent_on"
    case.refresh_from_db()
    assert case.office.code == "centre" and not case.petition.notices.exists()


def test_routing_refuses_an_unknown_body(petitions, people):
    case = flow.register(people)
    with pytest.raises(CaseError) as error:
        services.route_petition(people.dispatcher, case, office_code="nope")
    assert error.value.field == "office"


def test_the_receipt_notice_is_signed_by_the_petition_office_that_routed_it(petitions, people):
    case = flow.register(people)
    services.route_petition(petitions.clerk, case, office_code="gc")
    notice = case.petition.notices.get()
    assert notice.office == petitions.office and notice.content["office"] == "县信访办"
