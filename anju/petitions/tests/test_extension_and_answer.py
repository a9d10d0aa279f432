"""More time with approval (第三十四条: at most 30 days, the petitioner told why) and the written
answer (第三十一条、第三十二条)."""

import pytest

from anju.cases.choices import Status
from anju.cases.models import ExtensionRequest
from anju.cases.services import CaseError
from anju.conftest import at
from anju.petitions import services
from anju.petitions.choices import Decision, Delivery, NoticeKind
from anju.petitions.tests import flow


def test_an_approved_extension_moves_the_answer_and_tells_the_petitioner_why(petitions, people):
    case = flow.accepted(people, now=at(2026, 3, 2, 9))
    request = services.request_petition_extension(people.handler, case, days=20, reason="需要会同国土部门重新测量",
                                                  now=at(2026, 4, 20, 9))
    services.approve_petition_extension(people.supervisor, case, request_id=request.pk, now=at(2026, 4, 21, 9))
    case.refresh_from_db()
    assert case.handle_due_at == case.due_at == at(2026, 5, 21, 23, 59, 59)
    assert case.petition.extension_days == 20
    notice = case.petition.notices.get(kind=NoticeKind.EXTENSION)
    text = " ".join(notice.content["paragraphs"])
    assert "因需要会同国土部门重新测量" in text and "延长20日" in text and "2026年5月21日" in text


def test_extensions_are_at_most_thirty_days_in_all_citing_the_article(petitions, people):
    case = flow.accepted(people, now=at(2026, 3, 2, 9))
    first = services.request_petition_extension(people.handler, case, days=25, reason="复杂", now=at(2026, 4, 1, 9))
    services.approve_petition_extension(people.supervisor, case, request_id=first.pk, now=at(2026, 4, 1, 10))
    with pytest.raises(CaseError) as error:
        services.request_petition_extension(people.handler, case, days=6, reason="仍需时间", now=at(2026, 4, 2, 9))
    assert error.value.status == 422 and "第三十四条" in error.value.message and error.value.field == "days"
    services.request_petition_extension(people.handler, case, days=5, reason="仍需时间", now=at(2026, 4, 2, 9))
    case.refresh_from_db()
    assert case.handle_due_at == at(2026, 5, 26, 23, 59, 59)  # 60 + 25 days; the 5 still wait


def test_only_a_supervisor_approves_an_extension(petitions, people):
    case = flow.accepted(people)
    request = services.request_petition_extension(people.handler, case, days=10, reason="复杂")
    with pytest.raises(CaseError) as error:
        services.approve_petition_extension(people.handler, case, request_id=request.pk)
    assert error.value.status == 403
    assert ExtensionRequest.objects.get().status == "pending"


def test_the_answer_states_request_facts_decision_basis_and_the_review_right(petitions, people):
    case = flow.accepted(people, now=at(2026, 3, 2, 9))
    notice = services.answer_petition(people.handler, case, flow.answer_text(Decision.SUPPORT),
                                      delivery=Delivery.POST, now=at(2026, 4, 1, 15))
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and not case.missed_deadline
    assert case.petition.decision == Decision.SUPPORT
    assert notice.kind == NoticeKind.ANSWER and notice.delivered_on is None
    headings = [heading for heading, _lines in notice.content["sections"]]
    assert headings == ["信访请求", "事实和理由", "处理意见", "依据"]
    assert "予以支持" in notice.content["sections"][2][1][0]
    assert "30日内" in notice.content["closing"][0] and "第三十五条" in notice.content["closing"][0]
    assert notice.number in case.reply and "予以支持" in case.reply


def test_a_first_answer_cannot_uphold_and_a_review_cannot_support(petitions, people):
    case = flow.accepted(people)
    with pytest.raises(CaseError) as error:
        services.answer_petition(people.handler, case, flow.answer_text(Decision.UPHELD))
    assert error.value.field == "decision"
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and not case.petition.notices.filter(kind=NoticeKind.ANSWER).exists()


@pytest.mark.parametrize("field", ["findings", "basis"])
def test_the_answer_needs_facts_and_a_legal_basis(petitions, people, field):
    case = flow.accepted(people)
    with pytest.raises(CaseError) as error:
        services.answer_petition(people.handler, case, flow.answer_text(**{field: "  "}))
    assert error.value.field == field


def test_a_late_answer_counts_as_late(petitions, people):
    # Accepted 2 March: the 60th day is 1 May, in the Labour Day holiday (1–5 May 2026), so the
    # answer is due by the end of Wednesday 6 May.
    in_time = flow.answered(people, now=at(2026, 3, 2, 9), answered_at=at(2026, 5, 6, 23, 0))
    late = flow.answered(people, now=at(2026, 3, 2, 9), answered_at=at(2026, 5, 7, 9))
    assert in_time.petition.answered_on_time is True and not in_time.missed_deadline
    assert late.petition.answered_on_time is False and late.missed_deadline


def test_the_day_a_posted_answer_arrived_is_recorded(petitions, people):
    case = flow.answered(people, now=at(2026, 3, 2, 9), answered_at=at(2026, 4, 1, 9), delivery=Delivery.POST)
    notice = services.answer_of(case.petition)
    with pytest.raises(CaseError) as error:
        services.record_delivery(people.handler, case, notice_id=notice.pk, delivered_on=at(2026, 3, 30).date(),
                                 now=at(2026, 4, 6, 9))
    assert error.value.field == "delivered_on"
    services.record_delivery(people.handler, case, notice_id=notice.pk, delivered_on=at(2026, 4, 4).date(),
                             now=at(2026, 4, 6, 9))
    notice.refresh_from_db()
    assert notice.delivered_on.isoformat() == "2026-04-04"
    # Thirty days after 4 April is 4 May, in the Labour Day holiday (1–5 May): the window ends on the 6th.
    assert services.request_window(case.petition)[0].isoformat() == "2026-05-06"
