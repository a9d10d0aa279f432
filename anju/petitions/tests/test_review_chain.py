"""Review (复查, 第三十五条) and re-examination (复核, 第三十六条): the petitioner's 30-day windows,
the 30 days to answer, hearing days not counted, the chain visible from each end, and a matter
concluded after re-examination."""

from datetime import date

import pytest

from anju.cases.choices import Status
from anju.cases.models import Case
from anju.cases.services import CaseError
from anju.conftest import at
from anju.petitions import services
from anju.petitions.choices import Decision, Level, NoticeKind, PetitionEvent
from anju.petitions.tests import flow

ANSWERED = at(2026, 11, 2, 15)  # the answer handed over in person on Monday 2 November
ASKED = at(2026, 11, 20, 10)
DECIDED = at(2026, 12, 10, 9)


@pytest.fixture
def answered(petitions, people):
    return flow.answered(people, now=at(2026, 10, 9, 9), answered_at=ANSWERED, about="gc", official="征收办主任")


def _review(people, answered, when=ASKED, **kwargs):
    return services.request_review(None, answered, reason="补偿标准计算有误，请求复查", by_petitioner=True, now=when,
                                   **kwargs)


def test_a_review_asked_in_time_opens_a_linked_petition_a_level_up(answered, people):
    review = _review(people, answered)
    record = review.petition
    assert record.level == Level.REVIEW and record.parent.case_id == answered.pk
    assert review.status == Status.SUBMITTED and review.channel == "web"
    # The petitioners and the protection of the first petition go with it.
    assert [p.name for p in record.petitioners.all()] == ["王秀英", "赵德明"]
    assert review.about_office.code == "gc" and record.about_official == "征收办主任"
    assert review.tracking_code != answered.tracking_code and review.reporter_id != answered.reporter_id
    # The review answers within 30 days of the request: the 30th day is Sunday 20 December, so
    # Monday 21 December.
    assert review.accept_due_at == review.due_at == at(2026, 12, 21, 23, 59, 59)
    event = answered.events.get(action=PetitionEvent.REVIEW_REQUESTED)
    assert event.public and event.data["code"] == review.tracking_code
    assert [p.case_id for p in services.chain(record)] == [answered.pk, review.pk]
    assert [p.case_id for p in services.chain(answered.petition)] == [answered.pk, review.pk]


def test_the_last_day_of_the_window_is_still_in_time(answered, people):
    # Thirty days after 2 November is Wednesday 2 December.
    review = _review(people, answered, when=at(2026, 12, 2, 23, 0))
    assert review.petition.level == Level.REVIEW


def test_a_review_asked_after_the_window_is_refused_citing_the_rule(answered, people):
    with pytest.raises(CaseError) as error:
        _review(people, answered, when=at(2026, 12, 3, 9))
    assert error.value.status == 422 and error.value.field == "asked_on"
    assert "第三十五条" in error.value.message and "2026年12月2日" in error.value.message
    assert Case.objects.count() == 1


def test_staff_record_the_day_the_petitioner_asked_and_the_clock_counts_from_it(answered, people):
    review = services.request_review(people.dispatcher, answered, reason="来信请求复查", asked_on=date(2026, 11, 30),
                                     now=at(2026, 12, 4, 10))
    assert review.channel == "letter" and review.submitted_at.date() == date(2026, 11, 30)
    assert review.due_at == at(2026, 12, 30, 23, 59, 59)
    with pytest.raises(CaseError) as error:
        services.request_review(people.dispatcher, answered, reason="再次", asked_on=date(2026, 11, 30))
    assert "不能重复申请" in error.value.message


def test_a_review_of_an_unanswered_petition_is_refused(petitions, people):
    case = flow.accepted(people)
    with pytest.raises(CaseError, match="书面答复后才能申请复查"):
        services.request_review(None, case, reason="请求复查", by_petitioner=True)


def test_a_posted_answer_not_yet_known_to_have_arrived_leaves_the_window_open(petitions, people):
    case = flow.answered(people, now=at(2026, 1, 5, 9), delivery="post")
    review = services.request_review(None, case, reason="请求复查", by_petitioner=True, now=at(2026, 11, 30, 9))
    assert review.petition.level == Level.REVIEW


def test_a_review_is_decided_by_a_body_a_level_up(answered, people, petitions):
    review = _review(people, answered)
    with pytest.raises(CaseError) as error:
        services.route_petition(people.dispatcher, review, office_code="gc", now=at(2026, 11, 20, 11))
    assert error.value.field == "office" and "第三十五条" in error.value.message
    services.route_petition(people.dispatcher, review, office_code="xzf", now=at(2026, 11, 20, 11))
    services.accept_petition(petitions.county_handler, review, now=at(2026, 11, 23, 9))
    review.refresh_from_db()
    # Routing and acceptance do not restart the review's 30 days (Sunday 20 December, so Monday 21).
    assert review.handle_due_at == review.due_at == at(2026, 12, 21, 23, 59, 59)
    notice = services.answer_petition(petitions.county_handler, review, flow.answer_text(Decision.UPHELD),
                                      now=at(2026, 12, 10, 9))
    assert notice.kind == NoticeKind.REVIEW_DECISION
    headings = [heading for heading, _lines in notice.content["sections"]]
    assert headings == ["复查请求", "原处理意见", "事实和理由", "复查意见", "依据"]
    assert services.answer_of(answered.petition).number in notice.content["sections"][1][1][0]
    assert "第三十六条" in notice.content["closing"][0]


def _decided_review(people, petitions, answered, decided=DECIDED):
    review = _review(people, answered)
    services.route_petition(people.dispatcher, review, office_code="xzf", now=at(2026, 11, 20, 11))
    services.accept_petition(petitions.county_handler, review, now=at(2026, 11, 23, 9))
    services.answer_petition(petitions.county_handler, review, flow.answer_text(Decision.UPHELD), now=decided)
    review.refresh_from_db()
    return review


def test_a_reexamination_window_closes_thirty_days_after_the_review_decision(answered, people, petitions):
    # Decided Monday 7 December: the window ends Wednesday 6 January 2027.
    review = _decided_review(people, petitions, answered, decided=at(2026, 12, 7, 9))
    with pytest.raises(CaseError) as error:
        services.request_review(None, review, reason="请求复核", by_petitioner=True, now=at(2027, 1, 7, 9))
    assert "第三十六条" in error.value.message and "2027年1月6日" in error.value.message
    reexamination = services.request_review(None, review, reason="请求复核", by_petitioner=True,
                                            now=at(2027, 1, 6, 20))
    assert reexamination.petition.level == Level.REEXAMINATION
    assert reexamination.petition.parent.case_id == review.pk


def test_hearing_days_do_not_count_towards_the_reexamination(answered, people, petitions):
    review = _decided_review(people, petitions, answered)
    reexamination = services.request_review(None, review, reason="请求复核", by_petitioner=True,
                                            now=at(2026, 12, 14, 9))
    assert reexamination.due_at == at(2027, 1, 13, 23, 59, 59)
    with pytest.raises(CaseError):
        services.route_petition(people.dispatcher, reexamination, office_code="xzf", now=at(2026, 12, 14, 10))
    services.route_petition(people.dispatcher, reexamination, office_code="szf", now=at(2026, 12, 14, 10))
    services.accept_petition(petitions.city_handler, reexamination, now=at(2026, 12, 15, 9))
    services.record_hearing(petitions.city_handler, reexamination, starts_on=date(2026, 12, 28),
                            ends_on=date(2026, 12, 30), place="市信访局听证室", now=at(2026, 12, 21, 9))
    reexamination.refresh_from_db()
    # Three hearing days: the 33rd day is Saturday 16 January 2027, so Monday 18 January (an
    # estimate: 2027 is not announced yet).
    assert reexamination.handle_due_at == reexamination.due_at == at(2027, 1, 18, 23, 59, 59)
    assert reexamination.deadline_estimated
    event = reexamination.events.get(action=PetitionEvent.HEARING)
    assert event.public and event.data["ends_on"] == "2026-12-30"
    notice = services.answer_petition(petitions.city_handler, reexamination, flow.answer_text(Decision.UPHELD),
                                      now=at(2027, 1, 14, 9))
    assert "不再受理" in notice.content["closing"][0]
    with pytest.raises(CaseError, match="第三十六条"):
        services.request_review(None, reexamination, reason="再请求", by_petitioner=True, now=at(2027, 1, 15, 9))


def test_only_a_reexamination_holds_hearings(answered, people):
    with pytest.raises(CaseError, match="只有复核才能举行"):
        services.record_hearing(people.admin, answered, starts_on=date(2026, 11, 3), ends_on=date(2026, 11, 3),
                                place="会议室")


def test_a_new_petition_on_a_concluded_matter_is_answered_with_the_earlier_decision(answered, people, petitions):
    review = _decided_review(people, petitions, answered)
    reexamination = services.request_review(None, review, reason="请求复核", by_petitioner=True,
                                            now=at(2026, 12, 14, 9))
    services.route_petition(people.dispatcher, reexamination, office_code="szf", now=at(2026, 12, 14, 10))
    services.accept_petition(petitions.city_handler, reexamination, now=at(2026, 12, 15, 9))
    decision = services.answer_petition(petitions.city_handler, reexamination, flow.answer_text(Decision.UPHELD),
                                        now=at(2027, 1, 5, 9))
    again = flow.register(people, now=at(2027, 3, 1, 9))
    notice = services.answer_as_concluded(people.dispatcher, again, earlier_code=answered.tracking_code,
                                          now=at(2027, 3, 2, 9))
    again.refresh_from_db()
    assert again.status == Status.CLOSED and again.petition.earlier_matter.case_id == reexamination.pk
    assert notice.kind == NoticeKind.CONCLUDED and decision.number in notice.content["paragraphs"][0]
    assert "第三十六条" in notice.content["paragraphs"][1] and decision.number in again.reply


def test_a_matter_not_concluded_by_reexamination_must_be_handled(answered, people):
    again = flow.register(people, now=at(2026, 11, 10, 9))
    with pytest.raises(CaseError) as error:
        services.answer_as_concluded(people.dispatcher, again, earlier_code=answered.tracking_code,
                                     now=at(2026, 11, 10, 10))
    assert error.value.field == "earlier_code"
    again.refresh_from_db()
    assert again.status == Status.SUBMITTED


def test_a_review_asked_before_the_decision_arrived_is_called_early_not_late(petitions, people):
    # Sent by post on Monday 2 November, received on Thursday 5 November.
    case = flow.answered(people, now=at(2026, 10, 9, 9), answered_at=ANSWERED, delivery="post")
    notice = services.answer_of(case.petition)
    services.record_delivery(people.handler, case, notice_id=notice.pk, delivered_on=date(2026, 11, 5),
                             now=at(2026, 11, 6, 9))
    with pytest.raises(CaseError) as error:
        services.request_review(people.dispatcher, case, reason="不服", asked_on=date(2026, 11, 4),
                                now=at(2026, 11, 6, 10))
    assert error.value.field == "asked_on" and error.value.status == 422
    # In the county's language: "this request is early", never "that time ended".
    assert "过早" in error.value.message and "2026年11月5日" in error.value.message
    assert "已于" not in error.value.message and "ended" not in error.value.message
