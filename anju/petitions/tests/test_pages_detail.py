"""The petition page: who may open it, the record with its statutory time limits in words and
their articles, the petitioners masked with a logged reveal (and nothing at all for the body the
petition is about), the written notices, the chain, and each action form: it changes the
petition as its one service does, and a refusal comes back next to the form with a 400 and
nothing written.

The pages use the real clock: the petitions here are brought to a state through the services
at the present moment (``flow`` with ``now=None``); ``petition_in`` and ``page_client`` are
shared with the other page tests."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.cases import deadlines
from anju.cases.choices import ExtensionStatus, Status
from anju.cases.models import Case, CaseEvent, ExtensionRequest, PersonalDataAccess
from anju.lib.tracking import display
from anju.lib.workdays import LOCAL
from anju.petitions import services, statutory
from anju.petitions.choices import Decision, Delivery, Level, NoticeKind
from anju.petitions.models import Booking, Hearing, Notice, Petition, Petitioner
from anju.petitions.tests import flow
from anju.web.tests.conftest import english_client

NAMES = ("王秀英", "赵德明", "13800005678", "13900004321", "王**", "赵**", "138****5678", "139****4321")


def page_client(people, petitions, who):
    """A client signed in as a persona (``petitions`` or ``people``), asking for English."""
    user = who if not isinstance(who, str) else getattr(petitions, who, None) or getattr(people, who)
    return english_client(user)


def today():
    return timezone.now().astimezone(LOCAL).date()


def petition_in(people, petitions, state, **kwargs):
    """A petition brought to ``state`` now, through the services, as the personas would:
    registered by the dispatcher in 葛城 with two petitioners, routed to 葛城街道办事处 and
    accepted there by ``people.handler`` …; ``review`` is a review of an answered petition
    routed to the county government, ``reexamination`` a re-examination routed to the city."""
    if state == "registered":
        return flow.register(people, now=None, **kwargs)
    if state == "routed":
        return flow.routed(people, now=None, **kwargs)
    if state == "accepted":
        return flow.accepted(people, now=None, **kwargs)
    if state == "pending_extension":
        case = flow.accepted(people, now=None, **kwargs)
        services.request_petition_extension(people.handler, case, days=10, reason="需要现场复核测量")
        return refreshed(case)
    if state == "answered":
        return flow.answered(people, now=None, **kwargs)
    if state == "answered_by_post":
        return flow.answered(people, now=None, delivery=Delivery.POST, **kwargs)
    if state == "transferred":
        case = flow.accepted(people, now=None, **kwargs)
        services.transfer_petition(people.supervisor, case, office_code="fx", reason="涉及复兴街道的征地批次")
        return refreshed(case)
    if state in ("review", "reexamination"):
        answered = flow.answered(people, now=None, **kwargs)
        review = services.request_review(people.dispatcher, answered, reason="对处理意见不服，请求复查")
        services.route_petition(people.dispatcher, review, office_code="xzf")
        if state == "review":
            return refreshed(review)
        services.accept_petition(petitions.county_handler, review)
        services.answer_petition(petitions.county_handler, refreshed(review),
                                 flow.answer_text(Decision.UPHELD), delivery=Delivery.IN_PERSON)
        again = services.request_review(people.dispatcher, refreshed(review), reason="对复查意见不服，请求复核")
        services.route_petition(people.dispatcher, again, office_code="szf")
        return refreshed(again)
    raise ValueError(state)


def refreshed(case):
    return Case.objects.get(pk=case.pk)


def detail(case) -> str:
    return reverse("petitions:detail", args=[case.pk])


def act(client, case, slug, target=None, **fields):
    prefix = slug if target is None else f"{slug}-{target.pk}"
    url = (reverse("petitions:act", args=[case.pk, slug]) if target is None
           else reverse("petitions:act_on", args=[case.pk, slug, target.pk]))
    return client.post(url, {f"{prefix}-{name}": value for name, value in fields.items()})


def snapshot(case):
    """Everything an action could write about this petition."""
    case = refreshed(case)
    petition = Petition.objects.get(case=case)
    return (case.status, case.office_id, case.due_at, CaseEvent.objects.filter(case=case).count(),
            petition.routed_at, petition.decision, petition.leader_id, petition.leader_since,
            petition.extension_days, Notice.objects.filter(petition=petition).count(),
            list(Notice.objects.filter(petition=petition).values_list("delivered_on", flat=True)),
            list(ExtensionRequest.objects.filter(case=case).values_list("status", flat=True)),
            Hearing.objects.filter(petition=petition).count(), Booking.objects.count(), Petition.objects.count())


def forms_on(html: str) -> set[str]:
    return {re.sub(r"-\d+$", "", key)
            for key in re.findall(r'<details class="action[^"]*" id="act-([a-z_]+(?:-\d+)?)"', html)}


@pytest.fixture
def as_persona(people, petitions):
    return lambda who: page_client(people, petitions, who)


@pytest.fixture
def petition(people, petitions):
    return lambda state, **kwargs: petition_in(people, petitions, state, **kwargs)


def refused(response, words: str) -> str:
    html = response.content.decode()
    assert response.status_code == 400, html[:2000]
    assert "was not done." in html and words in html, html
    return html


# ---------------------------------------------------------------------------- who may open it


def test_it_sends_anonymous_visitors_to_sign_in(petition):
    case = petition("routed")
    person = Petitioner.objects.first()
    client = english_client()
    response = client.get(detail(case))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    for url in (reverse("petitions:act", args=[case.pk, "accept"]), reverse("petitions:reveal",
                                                                            args=[case.pk, person.pk])):
        response = client.post(url, {})
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
    assert refreshed(case).status == Status.SUBMITTED


def test_it_answers_404_to_users_who_may_not_see_the_petition(petition, as_persona, new_case):
    case = petition("routed")
    person = Petitioner.objects.first()
    for who in ("other_handler", "transport_handler", "nobody", "county_handler"):
        client = as_persona(who)
        assert client.get(detail(case)).status_code == 404, who
        assert act(client, case, "accept").status_code == 404, who
        assert client.post(reverse("petitions:reveal", args=[case.pk, person.pk]), {}).status_code == 404, who
    assert refreshed(case).status == Status.SUBMITTED and not PersonalDataAccess.objects.exists()
    # A case that is not a petition has no petition page.
    assert as_persona("dispatcher").get(detail(new_case())).status_code == 404
    assert as_persona("dispatcher").get("/work/petitions/999999/").status_code == 404


def test_it_answers_404_for_an_unknown_action_or_a_missing_target(petition, as_persona):
    case = petition("pending_extension")
    client = as_persona("supervisor")
    assert client.post(reverse("petitions:act", args=[case.pk, "dance"]), {}).status_code == 404
    assert client.post(reverse("petitions:act", args=[case.pk, "approve_extension"]), {}).status_code == 404
    assert client.post(reverse("petitions:act_on", args=[case.pk, "approve_extension", 999999]),
                       {}).status_code == 404
    assert client.post(reverse("petitions:act_on", args=[case.pk, "assign_leader", 1]), {}).status_code == 404
    assert refreshed(case).petition.extension_days == 0


# ---------------------------------------------------------------------------- the record


def test_it_shows_the_record_with_the_petitioners_masked(petition, as_persona):
    case = petition("routed", official="某街道副主任", about="fx")
    response = as_persona("dispatcher").get(detail(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert "征地拆迁" in html and "征地补偿款至今未足额发放" in html and "请求足额发放征地补偿款" in html
    assert "葛城街道办事处" in html and "复兴街道办事处" in html and "某街道副主任" in html
    assert "Visit (来访)" in html and display(case.tracking_code) in html
    assert "王**" in html and "138****5678" in html and "赵**" in html and "139****4321" in html
    assert "王秀英" not in html and "13800005678" not in html and "土城社区5组8号" not in html
    assert f'href="/work/cases/{case.pk}/"' in html


def test_it_links_the_case_page_and_the_petition_page_both_ways(petition, as_persona, new_case):
    case = petition("routed")
    html = as_persona("handler").get(reverse("web:case_detail", args=[case.pk])).content.decode()
    assert f'href="{detail(case)}"' in html
    other = new_case()
    html = as_persona("dispatcher").get(reverse("web:case_detail", args=[other.pk])).content.decode()
    assert "/work/petitions/" not in html.split("<main", 1)[1]


@pytest.mark.parametrize(("state", "persona", "rows"), [
    ("registered", "dispatcher", [("Route to the competent body by", "第二十二条", "days left")]),
    # The limit to route stays on the record once routed, with whether it was met.
    ("routed", "handler", [("Route to the competent body by", "第二十二条", "met"),
                           ("Tell the petitioner whether it is accepted by", "第二十三条", "days left"),
                           ("Object that it is not within the body", "第二十三条", "working days left")]),
    ("accepted", "handler", [("Route to the competent body by", "第二十二条", "met"),
                             ("Tell the petitioner whether it is accepted by", "第二十三条", "met"),
                             ("Answer in writing by", "第三十四条", "days left")]),
    ("review", "county_handler", [("Object that it is not within the body", "第二十三条", "working days left"),
                                  ("Answer the review by", "第三十五条", "30 days left")]),
    ("answered", "dispatcher", [("Route to the competent body by", "第二十二条", "met"),
                                ("Tell the petitioner whether it is accepted by", "第二十三条", "met"),
                                ("Answer in writing by", "第三十四条", "met"),
                                ("The petitioner may ask for review until", "第三十五条", "days left")]),
])
def test_it_shows_the_statutory_limits_with_the_time_left_in_words_and_the_article(petition, as_persona, state,
                                                                                   persona, rows):
    case = petition(state)
    html = as_persona(persona).get(detail(case)).content.decode()
    table = html.split('id="limits-title"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r"<tr class=\"limit-[^\"]*\">(.*?)</tr>", table, re.S)
    assert len(found) == len(rows), table
    for (label, article, words), row in zip(rows, found, strict=True):
        assert label in row and article in row and words in row, row


def test_the_answer_limit_in_words_counts_calendar_days(petition, as_persona):
    case = petition("accepted")
    left = (case.handle_due_at.astimezone(LOCAL).date() - today()).days
    html = as_persona("handler").get(detail(case)).content.decode()
    # 60 calendar days after today: the words say the days left, the date is the 60th day.
    assert f"{left} days left" in html or f"{left - 1} days left" in html
    assert case.handle_due_at.astimezone(LOCAL).strftime("%Y-%m-%d") in html


def test_it_shows_the_written_notices_with_print_links_only_to_those_who_may_print(petition, as_persona):
    case = petition("answered_by_post")
    notices = list(Notice.objects.filter(petition__case=case).order_by("id"))
    assert [n.kind for n in notices] == [NoticeKind.RECEIPT, NoticeKind.ACCEPTANCE, NoticeKind.ANSWER]
    html = as_persona("dispatcher").get(detail(case)).content.decode()
    section = html.split('id="notices-title"', 1)[1].split("</section>", 1)[0]
    for notice in notices:
        assert notice.number in section and notice.get_kind_display() in section
        assert reverse("petitions:notice_print", args=[case.pk, notice.pk]) in section
        assert reverse("petitions:notice_docx", args=[case.pk, notice.pk]) in section
    assert "By post (邮寄送达)" in section and "day of receipt not yet known" in section
    assert f"Sent on {today():%Y-%m-%d}" in section and f"received on {today():%Y-%m-%d}" in section
    # A leader sees the notices but may not see the petitioners, so may not print them.
    html = as_persona("leader").get(detail(case)).content.decode()
    assert notices[0].number in html and "/print/" not in html and "notice.docx" not in html


def test_it_links_the_chain_of_a_review(petition, as_persona, people):
    review = petition("review")
    original = review.petition.parent.case
    html = as_persona("dispatcher").get(detail(review)).content.decode()
    chain = html.split('id="chain-title"', 1)[1].split("</section>", 1)[0]
    assert f'href="{detail(original)}"' in chain and display(original.tracking_code) in chain
    html = as_persona("dispatcher").get(detail(original)).content.decode()
    chain = html.split('id="chain-title"', 1)[1].split("</section>", 1)[0]
    assert f'href="{detail(review)}"' in chain and "Review (复查)" in chain
    # The handler of the first answer does not see the review a level up, so no link to it.
    html = as_persona("handler").get(detail(original)).content.decode()
    assert f'href="{detail(review)}"' not in html


def test_it_lists_hearings_bookings_and_extension_requests(petition, as_persona, people, petitions):
    case = petition("reexamination")
    start = today() + timedelta(days=1)
    services.record_hearing(petitions.city_handler, case, starts_on=start, ends_on=start, place="市信访局听证室")
    day = _reception_day(people)
    services.book_reception(people.dispatcher, case, day_id=day.pk, slot_at=day.starts_at)
    html = as_persona("dispatcher").get(detail(case)).content.decode()
    assert "市信访局听证室" in html.split('id="hearings-title"', 1)[1]
    bookings = html.split('id="bookings-title"', 1)[1].split("</section>", 1)[0]
    assert "县信访接待中心" in bookings and "Booked" in bookings and "At the counter" in bookings
    pending = petition("pending_extension")
    html = as_persona("handler").get(detail(pending)).content.decode()
    extensions = html.split('id="extensions-title"', 1)[1].split("</section>", 1)[0]
    assert "需要现场复核测量" in extensions and "10 days" in extensions and "Pending" in extensions


# ---------------------------------------------------------------------------- petitioners


def test_it_reveals_one_petitioner_in_that_response_only_and_logs_the_look(petition, as_persona, people):
    case = petition("routed")
    first = Petitioner.objects.get(name="王秀英")
    client = as_persona("dispatcher")
    response = client.post(reverse("petitions:reveal", args=[case.pk, first.pk]), {"reason": "电话告知受理情况"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "王秀英" in html and "13800005678" in html and "土城社区5组8号" in html
    assert "赵德明" not in html and "13900004321" not in html
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.case, log.subject, log.reason, log.granted) == (
        people.dispatcher, case, f"petitioner {first.pk}", "电话告知受理情况", True)
    assert "王秀英" not in client.get(detail(case)).content.decode()


def test_it_refuses_the_reveal_to_a_user_who_sees_but_may_not_reveal_and_logs_the_attempt(petition, as_persona):
    case = petition("routed")
    person = Petitioner.objects.first()
    client = as_persona("leader")
    html = client.get(detail(case)).content.decode()
    assert "王**" in html and "Your role does not let you see the petitioners" in html
    assert reverse("petitions:reveal", args=[case.pk, person.pk]) not in html
    response = client.post(reverse("petitions:reveal", args=[case.pk, person.pk]), {"reason": ""})
    assert response.status_code == 403
    assert "You may not see who petitioned." in response.content.decode()
    assert "王秀英" not in response.content.decode()
    assert PersonalDataAccess.objects.get().granted is False


def test_it_answers_404_for_a_petitioner_of_another_petition(petition, as_persona):
    case = petition("routed")
    other = petition("routed")
    person = Petitioner.objects.filter(petition__case=other).first()
    response = as_persona("dispatcher").post(reverse("petitions:reveal", args=[case.pk, person.pk]), {})
    assert response.status_code == 404 and not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("who", ["handler", "township_leader", "township_supervisor"])
def test_the_body_complained_about_never_sees_who_petitioned(petition, as_persona, who):
    case = petition("accepted", about="gc")
    person = Petitioner.objects.filter(petition__case=case).first()
    client = as_persona(who)
    response = client.get(detail(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The petitioners are hidden from your body by law" in html
    assert not [word for word in NAMES if word in html]
    assert reverse("petitions:reveal", args=[case.pk, person.pk]) not in html
    assert "/print/" not in html and "notice.docx" not in html
    response = client.post(reverse("petitions:reveal", args=[case.pk, person.pk]), {"reason": "核实"})
    assert response.status_code == 403 and not [word for word in NAMES if word in response.content.decode()]
    assert PersonalDataAccess.objects.get().granted is False
    # A petition about another body shows them masked to the same user.
    other = petition("accepted", about="fx")
    html = client.get(detail(other)).content.decode()
    assert "王**" in html and "The petitioners are hidden" not in html


@pytest.mark.parametrize("who", ["handler", "township_leader", "township_supervisor"])
def test_a_report_of_wrongdoing_does_not_exist_for_the_body_it_is_about(petition, as_persona, who):
    case = petition("registered", category="petition.conduct", about="gc", wrongdoing=True)
    person = Petitioner.objects.filter(petition__case=case).first()
    client = as_persona(who)
    assert client.get(detail(case)).status_code == 404
    assert act(client, case, "book_reception", slot="").status_code == 404
    assert client.post(reverse("petitions:reveal", args=[case.pk, person.pk]), {}).status_code == 404
    assert not PersonalDataAccess.objects.exists()
    # The petition office sees it, and that it is confidential by rule.
    html = as_persona("dispatcher").get(detail(case)).content.decode()
    assert "confidential by rule, never passed to or shown to the body it is about" in html


# ---------------------------------------------------------------------------- which forms are offered


@pytest.mark.parametrize(("state", "persona", "expected"), [
    ("registered", "dispatcher", {"route", "decline", "answer_concluded", "book_reception"}),
    ("registered", "leader", {"take_charge"}),
    ("routed", "handler", {"accept", "object", "decline", "answer_concluded", "book_reception"}),
    ("routed", "dispatcher", {"route", "decline", "answer_concluded", "book_reception"}),
    ("routed", "township_leader", {"take_charge"}),
    ("accepted", "handler", {"answer", "request_extension", "book_reception"}),
    ("accepted", "supervisor", {"transfer", "assign_leader"}),
    ("accepted", "leader", {"take_charge"}),
    ("pending_extension", "supervisor", {"transfer", "assign_leader", "approve_extension", "deny_extension"}),
    ("pending_extension", "handler", {"answer", "book_reception"}),
    ("answered_by_post", "handler", {"record_delivery", "request_review", "book_reception"}),
    ("answered", "handler", {"request_review", "book_reception"}),
    ("transferred", "other_handler", {"take_up", "book_reception"}),
    ("review", "county_handler", {"accept", "object", "decline", "answer_concluded", "book_reception"}),
    ("reexamination", "city_handler", {"accept", "object", "decline", "answer_concluded", "record_hearing",
                                       "book_reception"}),
])
def test_it_offers_exactly_the_actions_the_user_may_take_now(petition, as_persona, state, persona, expected):
    case = petition(state)
    response = as_persona(persona).get(detail(case))
    assert response.status_code == 200
    assert forms_on(response.content.decode()) == expected


def test_it_asks_before_declining_answering_concluding_and_transferring(petition, as_persona):
    html = as_persona("dispatcher").get(detail(petition("registered"))).content.decode()
    assert re.search(r'act/decline/" data-confirm="Decline this petition\?', html)
    assert re.search(r'act/answer_concluded/" data-confirm="Answer that the matter is concluded\?', html)
    assert not re.search(r'act/route/" data-confirm', html)
    case = petition("accepted")
    assert re.search(r'act/answer/" data-confirm="Send this written answer\?',
                     as_persona("handler").get(detail(case)).content.decode())
    assert re.search(r'act/transfer/" data-confirm="Transfer this petition',
                     as_persona("supervisor").get(detail(case)).content.decode())


# ---------------------------------------------------------------------------- each action through the page


def test_routing_sends_it_to_the_body_and_tells_the_petitioner(petition, as_persona, petitions):
    case = petition("registered")
    response = act(as_persona("clerk"), case, "route", office="gc", route_kind="assigned", note="",
                   sent_on=f"{today():%Y-%m-%d}", delivery="online")
    assert response.status_code == 302 and response.url == detail(case)
    case = refreshed(case)
    assert case.office.code == "gc" and case.petition.route_kind == "assigned" and case.petition.routed_at
    notice = Notice.objects.get(petition__case=case)
    assert notice.kind == NoticeKind.RECEIPT and notice.office == petitions.office and notice.sent_on == today()


def test_routing_a_report_of_wrongdoing_to_the_body_it_is_about_is_refused(petition, as_persona):
    case = petition("registered", category="petition.conduct", about="gc", wrongdoing=True)
    before = snapshot(case)
    response = act(as_persona("dispatcher"), case, "route", office="gc", route_kind="transferred",
                   sent_on=f"{today():%Y-%m-%d}", delivery="online")
    html = refused(response, "A report of wrongdoing is never passed to the body it is about")
    assert 'id="id_route-office_error"' in html
    assert snapshot(case) == before


def test_the_body_objects_and_the_petition_goes_back(petition, as_persona):
    case = petition("routed")
    response = act(as_persona("handler"), case, "object", reason="属于县交通局职权范围")
    # The handler's body no longer has it: back to the workbench, with a word why.
    assert response.status_code == 302 and response.url == reverse("petitions:workbench")
    case = refreshed(case)
    assert case.office.code == "centre" and case.petition.routed_at is None and case.status == Status.SUBMITTED


def test_an_objection_without_a_reason_is_refused(petition, as_persona):
    case = petition("routed")
    before = snapshot(case)
    html = refused(act(as_persona("handler"), case, "object", reason=""), "This field is required.")
    assert 'id="id_object-reason_error"' in html
    assert snapshot(case) == before


def test_accepting_starts_sixty_days_and_sends_the_notice(petition, as_persona):
    case = petition("routed")
    # The notice is sent today and online unless told otherwise.
    form = as_persona("handler").get(detail(case)).content.decode().split('id="act-accept"', 1)[1]
    form = form.split("</details>", 1)[0]
    assert re.search(rf'name="accept-sent_on" value="{today():%Y-%m-%d}"', form)
    assert re.search(r'<option value="online" selected>', form)
    response = act(as_persona("handler"), case, "accept", note="", sent_on=f"{today():%Y-%m-%d}",
                   delivery="sms")
    assert response.status_code == 302 and response.url == detail(case)
    case = refreshed(case)
    assert case.status == Status.IN_PROGRESS and case.petition.first_office.code == "gc"
    # 60 days from today, or the first working day after (the rule is in test_statutory).
    calendar = deadlines.calendar_for(timezone.now())
    assert case.handle_due_at == statutory.handling_deadline(case.accepted_at, calendar).at
    assert (case.handle_due_at.astimezone(LOCAL).date() - today()).days >= 60
    notice = Notice.objects.get(petition__case=case, kind=NoticeKind.ACCEPTANCE)
    assert notice.delivery == Delivery.SMS


def test_a_notice_dated_in_the_future_is_refused(petition, as_persona):
    case = petition("routed")
    before = snapshot(case)
    html = refused(act(as_persona("handler"), case, "accept", sent_on=f"{today() + timedelta(days=1):%Y-%m-%d}",
                       delivery="online"), "A notice cannot be sent in the future.")
    assert 'id="id_accept-sent_on_error"' in html
    assert snapshot(case) == before


def test_declining_closes_it_with_the_reason(petition, as_persona):
    case = petition("registered")
    response = act(as_persona("dispatcher"), case, "decline", reason="属于诉讼途径解决的事项",
                   where_to_go="依法向人民法院提起诉讼。", sent_on=f"{today():%Y-%m-%d}", delivery="in_person")
    assert response.status_code == 302
    case = refreshed(case)
    assert case.status == Status.CLOSED and "属于诉讼途径解决的事项" in case.reply
    assert Notice.objects.filter(petition__case=case, kind=NoticeKind.NON_ACCEPTANCE).exists()


def test_a_notice_dated_before_the_petition_came_is_refused(petition, as_persona):
    case = petition("registered")
    before = snapshot(case)
    refused(act(as_persona("dispatcher"), case, "decline", reason="不属于信访事项",
                sent_on=f"{today() - timedelta(days=1):%Y-%m-%d}", delivery="online"),
            "A notice cannot be sent before the petition was received.")
    assert snapshot(case) == before


def _concluded_matter(people, petitions):
    """A matter concluded by a re-examination decision (复核意见), through the services."""
    again = petition_in(people, petitions, "reexamination")
    services.accept_petition(petitions.city_handler, again)
    services.answer_petition(petitions.city_handler, refreshed(again), flow.answer_text(Decision.UPHELD))
    return again.petition.parent.parent.case


def test_a_petition_on_a_concluded_matter_is_answered_as_concluded(petition, as_persona, people, petitions):
    earlier = _concluded_matter(people, petitions)
    case = petition("registered")
    response = act(as_persona("dispatcher"), case, "answer_concluded", earlier_code=display(earlier.tracking_code),
                   note="", sent_on=f"{today():%Y-%m-%d}", delivery="online")
    assert response.status_code == 302
    case = refreshed(case)
    assert case.status == Status.CLOSED and case.petition.earlier_matter.level == Level.REEXAMINATION
    assert Notice.objects.filter(petition__case=case, kind=NoticeKind.CONCLUDED).exists()
    html = as_persona("dispatcher").get(detail(case)).content.decode()
    assert "Repeats the concluded matter" in html


def test_answering_as_concluded_a_matter_not_concluded_is_refused(petition, as_persona):
    earlier = petition("answered")
    case = petition("registered")
    before = snapshot(case)
    html = refused(act(as_persona("dispatcher"), case, "answer_concluded", earlier_code=earlier.tracking_code,
                       sent_on=f"{today():%Y-%m-%d}", delivery="online"),
                   "That matter has not been concluded by a re-examination decision")
    assert 'id="id_answer_concluded-earlier_code_error"' in html
    assert snapshot(case) == before


def test_the_body_asks_for_more_time(petition, as_persona):
    case = petition("accepted")
    response = act(as_persona("handler"), case, "request_extension", days="20", reason="需要现场复核测量")
    assert response.status_code == 302
    request = ExtensionRequest.objects.get(case=case)
    assert (request.status, request.amount, request.unit) == (ExtensionStatus.PENDING, 20, "calendar_days")


def test_more_than_thirty_days_in_all_are_refused(petition, as_persona, people):
    case = petition("pending_extension")
    request = ExtensionRequest.objects.get(case=case)
    services.approve_petition_extension(people.supervisor, case, request_id=request.pk)
    before = snapshot(case)
    refused(act(as_persona("handler"), case, "request_extension", days="25", reason="仍需协调"),
            "20 days remain")
    assert snapshot(case) == before


def test_a_supervisor_approves_the_extension_and_the_petitioner_is_told(petition, as_persona):
    case = petition("pending_extension")
    request = ExtensionRequest.objects.get(case=case)
    due = case.handle_due_at
    response = act(as_persona("supervisor"), case, "approve_extension", request, note="同意",
                   sent_on=f"{today():%Y-%m-%d}", delivery="online")
    assert response.status_code == 302
    case = refreshed(case)
    # The 60 days and the 10 are one period from acceptance (test_statutory has the rule).
    assert case.handle_due_at == statutory.handling_deadline(case.accepted_at, deadlines.calendar_for(timezone.now()),
                                                             extension_days=10).at
    assert case.handle_due_at > due and case.petition.extension_days == 10
    assert ExtensionRequest.objects.get().status == ExtensionStatus.APPROVED
    assert Notice.objects.filter(petition__case=case, kind=NoticeKind.EXTENSION).exists()


def test_an_approval_with_a_notice_dated_in_the_future_is_refused(petition, as_persona):
    case = petition("pending_extension")
    request = ExtensionRequest.objects.get(case=case)
    before = snapshot(case)
    html = refused(act(as_persona("supervisor"), case, "approve_extension", request,
                       sent_on=f"{today() + timedelta(days=3):%Y-%m-%d}", delivery="online"),
                   "A notice cannot be sent in the future.")
    assert f'id="id_approve_extension-{request.pk}-sent_on_error"' in html
    assert snapshot(case) == before


def test_a_supervisor_denies_the_extension(petition, as_persona):
    case = petition("pending_extension")
    request = ExtensionRequest.objects.get(case=case)
    response = act(as_persona("supervisor"), case, "deny_extension", request, note="期限内可以办结")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ExtensionStatus.DENIED and request.decision_note == "期限内可以办结"


def test_a_denial_without_a_reason_is_refused(petition, as_persona):
    case = petition("pending_extension")
    request = ExtensionRequest.objects.get(case=case)
    before = snapshot(case)
    refused(act(as_persona("supervisor"), case, "deny_extension", request, note=""), "This field is required.")
    assert snapshot(case) == before


def test_the_body_answers_in_writing(petition, as_persona):
    case = petition("accepted")
    response = act(as_persona("handler"), case, "answer", decision="support", findings="经核查，补偿款确有差额。",
                   basis="《土地管理法》第四十八条", sent_on=f"{today():%Y-%m-%d}", delivery="in_person")
    assert response.status_code == 302
    case = refreshed(case)
    assert case.status == Status.RESOLVED and case.petition.decision == Decision.SUPPORT
    notice = Notice.objects.get(petition__case=case, kind=NoticeKind.ANSWER)
    assert notice.delivered_on == today()


def test_an_answer_the_service_refuses_writes_nothing(petition, as_persona):
    case = petition("accepted")
    before = snapshot(case)
    html = refused(act(as_persona("handler"), case, "answer", decision="explain", findings="已解释",
                       basis="有关规定", sent_on=f"{today() + timedelta(days=1):%Y-%m-%d}", delivery="online"),
                   "A notice cannot be sent in the future.")
    assert 'id="id_answer-sent_on_error"' in html
    # A review's decision is not a first answer's.
    refused(act(as_persona("handler"), case, "answer", decision="upheld", findings="已解释", basis="有关规定",
                sent_on=f"{today():%Y-%m-%d}", delivery="online"), "Select a valid choice.")
    assert snapshot(case) == before


def test_the_day_a_posted_notice_arrived_is_recorded(petition, as_persona):
    case = petition("answered_by_post")
    notice = Notice.objects.get(petition__case=case, kind=NoticeKind.ANSWER)
    response = act(as_persona("handler"), case, "record_delivery", notice, delivered_on=f"{today():%Y-%m-%d}")
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.delivered_on == today()


def test_a_day_of_receipt_before_the_notice_was_sent_is_refused(petition, as_persona):
    case = petition("answered_by_post")
    notice = Notice.objects.get(petition__case=case, kind=NoticeKind.ANSWER)
    before = snapshot(case)
    refused(act(as_persona("handler"), case, "record_delivery", notice,
                delivered_on=f"{today() - timedelta(days=1):%Y-%m-%d}"),
            "The day of receipt must lie between the day it was sent and today.")
    assert snapshot(case) == before


def test_a_request_for_review_opens_a_petition_a_level_up(petition, as_persona):
    case = petition("answered")
    response = act(as_persona("dispatcher"), case, "request_review", reason="对处理意见不服",
                   asked_on=f"{today():%Y-%m-%d}")
    review = Petition.objects.get(parent__case=case)
    # The petition office sees the new petition and goes to it.
    assert response.status_code == 302 and response.url == detail(review.case)
    assert review.level == Level.REVIEW and review.petitioners.count() == 2


def test_a_request_for_review_dated_in_the_future_is_refused(petition, as_persona):
    case = petition("answered")
    before = snapshot(case)
    refused(act(as_persona("handler"), case, "request_review", reason="不服",
                asked_on=f"{today() + timedelta(days=2):%Y-%m-%d}"),
            "Give the day the petitioner asked, not a day in the future.")
    assert snapshot(case) == before


def test_a_hearing_of_a_re_examination_moves_its_time_limit(petition, as_persona):
    case = petition("reexamination")
    due = case.due_at
    start = today() + timedelta(days=2)
    response = act(as_persona("city_handler"), case, "record_hearing", starts_on=f"{start:%Y-%m-%d}",
                   ends_on=f"{start + timedelta(days=1):%Y-%m-%d}", place="市信访局听证室", note="")
    assert response.status_code == 302
    assert Hearing.objects.get().place == "市信访局听证室"
    # Two hearing days not counted: 32 days from the request, or the first working day after.
    case = refreshed(case)
    assert case.due_at == statutory.reexamination_deadline(
        case.submitted_at, deadlines.calendar_for(timezone.now()), [(start, start + timedelta(days=1))]).at
    assert case.due_at >= due


def test_a_hearing_ending_before_it_starts_is_refused(petition, as_persona):
    case = petition("reexamination")
    before = snapshot(case)
    start = today() + timedelta(days=2)
    refused(act(as_persona("city_handler"), case, "record_hearing", starts_on=f"{start:%Y-%m-%d}",
                ends_on=f"{start - timedelta(days=1):%Y-%m-%d}", place="听证室"),
            "A hearing cannot end before it starts.")
    assert snapshot(case) == before


def test_a_supervisor_names_the_leader_in_charge(petition, as_persona, petitions):
    case = petition("accepted")
    response = act(as_persona("supervisor"), case, "assign_leader", leader=str(petitions.township_leader.pk))
    assert response.status_code == 302
    assert refreshed(case).petition.leader == petitions.township_leader


def test_naming_the_leader_already_in_charge_is_refused(petition, as_persona, people):
    case = petition("accepted")
    services.assign_leader(people.leader, case, leader_id=people.leader.pk)
    before = snapshot(case)
    refused(act(as_persona("supervisor"), case, "assign_leader", leader=str(people.leader.pk)),
            "This leader is already in charge of the petition.")
    assert snapshot(case) == before


def test_a_leader_takes_personal_charge(petition, as_persona, people):
    case = petition("accepted")
    response = act(as_persona("leader"), case, "take_charge")
    assert response.status_code == 302
    assert refreshed(case).petition.leader == people.leader
    # Taking charge again is refused and changes nothing.
    before = snapshot(case)
    refused(act(as_persona("leader"), case, "take_charge"), "This leader is already in charge of the petition.")
    assert snapshot(case) == before


def test_a_supervisor_approves_a_transfer_and_the_new_body_takes_it_up(petition, as_persona):
    case = petition("accepted")
    response = act(as_persona("supervisor"), case, "transfer", office="fx", reason="涉及复兴街道的征地批次")
    assert response.status_code == 302
    case = refreshed(case)
    assert case.status == Status.DISPATCHED and case.office.code == "fx"
    response = act(as_persona("other_handler"), case, "take_up", note="")
    assert response.status_code == 302
    assert refreshed(case).status == Status.IN_PROGRESS


def test_a_transfer_of_a_petition_not_yet_accepted_is_refused(petition, as_persona):
    case = petition("routed")
    before = snapshot(case)
    refused(act(as_persona("supervisor"), case, "transfer", office="fx", reason="不属本街道"),
            "Only a petition being handled can be transferred.")
    assert snapshot(case) == before


def test_taking_up_without_the_right_is_refused(petition, as_persona):
    case = petition("transferred")
    before = snapshot(case)
    refused(act(as_persona("supervisor"), case, "take_up", note=""), "You may not do this with this case.")
    assert snapshot(case) == before


def _reception_day(people, per_slot=2):
    start = (timezone.now() + timedelta(days=3)).astimezone(LOCAL).replace(hour=9, minute=0, second=0,
                                                                            microsecond=0)
    return services.plan_reception_day(people.supervisor, leader_id=people.leader.pk, region_code="500229",
                                       place="县信访接待中心", starts_at=start, ends_at=start + timedelta(hours=1),
                                       slot_minutes=30, per_slot=per_slot)


def test_the_counter_books_a_leader_reception(petition, as_persona, people):
    day = _reception_day(people)
    case = petition("routed")
    html = as_persona("dispatcher").get(detail(case)).content.decode()
    value = f"{day.pk}|{day.starts_at.astimezone(LOCAL).isoformat()}"
    assert f'value="{value}"' in html
    response = act(as_persona("dispatcher"), case, "book_reception", slot=value)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.petition.case_id == case.pk and booking.slot_at == day.starts_at and booking.via == "counter"


def test_a_second_booking_on_the_same_day_is_refused(petition, as_persona, people):
    day = _reception_day(people)
    case = petition("routed")
    services.book_reception(people.dispatcher, case, day_id=day.pk, slot_at=day.starts_at)
    before = snapshot(case)
    later = (day.starts_at + timedelta(minutes=30)).astimezone(LOCAL)
    refused(act(as_persona("dispatcher"), case, "book_reception", slot=f"{day.pk}|{later.isoformat()}"),
            "This petition is already booked on that day.")
    assert snapshot(case) == before


def test_a_refused_action_comes_back_open_next_to_its_form(petition, as_persona):
    case = petition("routed")
    html = refused(act(as_persona("handler"), case, "object", reason=""), "This field is required.")
    assert re.search(r'<details class="action action-danger" id="act-object" open>', html)
