"""The petitioner's pages: a petition sent online without an account (human check, per-address
limit, anonymous allowed), its codes shown after sending, the public calendar of reception
days, and on the tracking page of a petition its written notices (addressee masked), time
limits, bookings and review chain, with booking, cancelling and asking for review by the
rating code. The core's "not solved" is refused for a petition. These pages run on the real
clock, so every moment here is taken relative to now."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anju.cases.choices import Action, Status
from anju.cases.models import Case, Reporter
from anju.lib import tracking
from anju.lib.workdays import LOCAL
from anju.petitions import services
from anju.petitions.choices import BookedVia, BookingStatus, Level, PetitionEvent, PetitionForm
from anju.petitions.models import Booking, Petition, Petitioner
from anju.petitions.tests import flow
from anju.web import humancheck

PETITION = reverse("petitions:petition")
DONE = reverse("petitions:petition_done")
RECEPTION = reverse("petitions:reception")
TRACK = reverse("web:track")
BOOK = reverse("petitions:track_book")
CANCEL = reverse("petitions:track_cancel_booking")
REVIEW = reverse("petitions:track_review")
NOT_SOLVED = reverse("web:track_not_solved")

NAME, PHONE = "刘桂兰", "13700006789"


def petitioner() -> Client:
    """A petitioner's browser asking for English, so that assertions read the msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def solved_check(age: float = 10) -> dict:
    challenge = humancheck.new_challenge(now=time.time() - age)
    return {"human_token": challenge.token, "human_answer": str(challenge.answer)}


def petition_data(**overrides) -> dict:
    data = {"category": "petition.land", "text": "村里的征地补偿款至今没有足额发放",
            "request": "请求足额发放征地补偿款", "lat": "", "lng": "", "township": "500229001",
            "village": "500229001001", "address": "土城社区5组",
            "about_office": "", "group_size": "1", "name": NAME, "phone": PHONE, **solved_check()}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def nothing_written() -> bool:
    return not (Case.objects.exists() or Petition.objects.exists() or Petitioner.objects.exists()
                or Reporter.objects.exists())


def look_up(client, case) -> None:
    assert client.post(TRACK, {"code": case.tracking_code}).status_code == 302


def tracked(case, client=None):
    client = client or petitioner()
    look_up(client, case)
    return client, client.get(TRACK)


def rating(case) -> str:
    return tracking.rating_code(case.tracking_code)


def wrong_rating(case) -> str:
    return "AAAAAA" if rating(case) != "AAAAAA" else "BBBBBB"


# ---------------------------------------------------------------------------- /petition


def test_it_offers_the_petition_form_without_an_account(petitions):
    response = petitioner().get(PETITION)
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["form"]
    assert [code for code, _label in form.fields["category"].choices[1:]] == [
        "petition", "petition.conduct", "petition.land"]
    assert response.context["question"].startswith("What is ")
    assert "That body never sees who petitioned" in html
    assert "kept from the body it is about" in html
    assert "You may petition anonymously" in html and "tracking page" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_registers_an_online_petition_and_shows_the_codes_out_of_any_url(petitions, county):
    client = petitioner()
    response = client.post(PETITION, petition_data(group_size="3", about_office="gc"))
    assert response.status_code == 302 and response["Location"] == DONE
    case = Case.objects.get()
    record = case.petition
    assert case.kind == "petition" and case.channel == "web" and case.created_by is None
    assert case.region == county.tucheng and case.about_office.code == "gc" and not case.reports_wrongdoing
    assert case.status == Status.SUBMITTED
    assert (record.form, record.request, record.group_size) == (PetitionForm.ONLINE, "请求足额发放征地补偿款", 3)
    assert [(p.name, p.phone, p.is_representative) for p in record.petitioners.all()] == [(NAME, PHONE, True)]
    assert (case.reporter.name, case.reporter.phone) == (NAME, PHONE)
    # The petition office has 15 days to route it (第二十二条).
    assert case.accept_due_at.astimezone(LOCAL).date() == (case.submitted_at.astimezone(LOCAL) + timedelta(15)).date()
    assert case.events.get(action=Action.SUBMIT).actor is None
    done = client.get(DONE).content.decode()
    assert tracking.display(case.tracking_code) in done and rating(case) in done
    assert case.tracking_code not in response["Location"]
    # The tracking page follows the petition just sent, and never shows the rating code.
    track = client.get(TRACK)
    assert track.context["case"] == case and rating(case) not in track.content.decode()
    assert [entry["label"] for entry in track.context["timeline"]] == ["Your petition was received"]


def test_a_report_of_wrongdoing_is_kept_from_the_body_it_is_about(petitions):
    assert petitioner().post(PETITION, petition_data(about_office="gc", reports_wrongdoing="on")).status_code == 302
    case = Case.objects.get()
    assert case.reports_wrongdoing and case.confidential and case.about_office.code == "gc"


def test_an_anonymous_petition_keeps_no_one_and_is_answered_on_the_tracking_page(petitions, people):
    client = petitioner()
    assert client.post(PETITION, petition_data(name="", phone="")).status_code == 302
    case = Case.objects.get()
    assert case.reporter is None and not case.petition.petitioners.exists() and not Reporter.objects.exists()
    assert tracking.display(case.tracking_code) in client.get(DONE).content.decode()
    services.route_petition(people.dispatcher, case, office_code="gc")
    letter = client.get(TRACK).context["module_part"]["notices"][0]
    assert letter["addressee"] == "信访人"


def test_a_phone_alone_is_kept_to_tell_the_petitioner(petitions):
    assert petitioner().post(PETITION, petition_data(name="")).status_code == 302
    case = Case.objects.get()
    assert case.reporter.phone == PHONE and case.reporter.name == "" and not case.petition.petitioners.exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"text": ""}, "text"),
    ({"category": "urban.light"}, "category"),  # not a petition category
    ({"township": "", "village": ""}, "township"),
    ({"township": "500229002"}, "village"),  # 土城社区 lies in 葛城街道
    ({"lat": "31.0", "lng": "100.0", "township": "", "village": ""}, "township"),  # outside every grid
    ({"group_size": "0"}, "group_size"),
    ({"phone": "call me"}, "phone"),
    ({"reports_wrongdoing": "on"}, "about_office"),  # wrongdoing of which body?
    ({"about_office": "nosuch"}, "about_office"),
])
def test_bad_input_names_the_field_and_writes_nothing(petitions, overrides, field):
    data = petition_data(**overrides)
    response = petitioner().post(PETITION, data)
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert "human_answer" not in response.context["form"].errors
    # The question answered stays, so the petitioner need not answer again.
    assert response.context["form"]["human_token"].value() == data["human_token"]
    assert nothing_written()


@pytest.mark.parametrize("problem", ["wrong", "missing", "too_fast"])
def test_a_failed_human_check_writes_nothing_and_asks_a_new_question(petitions, problem):
    data = petition_data()
    if problem == "wrong":
        data["human_answer"] = str(int(data["human_answer"]) + 1)
    elif problem == "missing":
        data["human_answer"] = ""
    else:
        data.update(solved_check(age=0))
    response = petitioner().post(PETITION, data)
    assert response.status_code == 400 and response.context["form"].errors["human_answer"]
    assert response.context["form"]["human_token"].value() != data["human_token"]
    assert "村里的征地补偿款至今没有足额发放" in response.content.decode()
    assert nothing_written()


def test_a_double_tap_makes_one_petition(petitions):
    client = petitioner()
    data = petition_data()
    assert client.post(PETITION, data)["Location"] == DONE
    assert client.post(PETITION, data)["Location"] == DONE
    assert Case.objects.count() == 1


def test_petitions_are_limited_per_address_not_per_person(petitions, settings):
    settings.ANJU_REPORT_RATE = "2/1h"
    client = petitioner()
    for n in range(2):
        assert client.post(PETITION, petition_data(text=f"第{n}件事")).status_code == 302
    response = client.post(PETITION, petition_data(text="第三件事还在这里"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many requests" in html and "第三件事还在这里" in html
    assert Case.objects.count() == 2
    # The same person from another address is not stopped: the limit is on addresses.
    other = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.9.9.9")
    assert other.post(PETITION, petition_data()).status_code == 302


def test_the_done_page_needs_a_petition_first(petitions):
    assert petitioner().get(DONE)["Location"] == PETITION


# ---------------------------------------------------------------------------- /reception


def _day(people, *, days_ahead=3, per_slot=2, region="500229", hours=1):
    start = (timezone.now() + timedelta(days=days_ahead)).astimezone(LOCAL).replace(hour=9, minute=0, second=0,
                                                                                   microsecond=0)
    return services.plan_reception_day(people.supervisor, leader_id=people.leader.pk, region_code=region,
                                       place="县信访接待中心", starts_at=start, ends_at=start + timedelta(hours=hours),
                                       slot_minutes=30, per_slot=per_slot, topic="征地拆迁")


def slot(day, at=None) -> str:
    """The value of a slot in the booking form: the day and the slot's local time."""
    return f"{day.pk}|{(at or day.starts_at).astimezone(LOCAL).isoformat()}"


def test_the_reception_calendar_shows_days_with_free_places_and_welcomes_walk_ins(petitions, people):
    people.leader.display_name = "李县长"
    people.leader.save(update_fields=["display_name"])
    day = _day(people, per_slot=2)
    cancelled = _day(people, days_ahead=5)
    services.cancel_reception_day(people.supervisor, cancelled, reason="会议冲突")
    services.book_reception(None, flow.register(people, now=timezone.now()), day_id=day.pk,
                            slot_at=day.starts_at, by_petitioner=True)
    response = petitioner().get(RECEPTION)
    assert response.status_code == 200
    html = response.content.decode()
    [shown] = response.context["days"]
    assert shown["day"] == day and [s["free"] for s in shown["slots"]] == [1, 2]
    assert "县信访接待中心" in html and "征地拆迁" in html and "李县长" in html
    assert "1 place free" in html and "2 places free" in html
    assert "Walk-ins are welcome" in html


# ---------------------------------------------------------------------------- booking


@pytest.fixture
def petition_case(petitions, people):
    """A petition registered a day ago, routed and accepted: being handled."""
    return flow.accepted(people, now=timezone.now() - timedelta(days=1))


def test_a_wrong_rating_code_books_nothing(petition_case, people):
    day = _day(people)
    client, _page = tracked(petition_case)
    response = client.post(BOOK, {"slot": slot(day), "rating_code": wrong_rating(petition_case)})
    assert response.status_code == 400
    assert response.context["module_part"]["booking_form"].errors["rating_code"]
    assert not Booking.objects.exists()


def test_a_full_slot_is_refused_next_to_the_form(petition_case, people):
    day = _day(people, per_slot=1)
    other = flow.register(people, now=timezone.now())
    services.book_reception(None, other, day_id=day.pk, slot_at=day.starts_at, by_petitioner=True)
    client, page = tracked(petition_case)
    assert f'value="{slot(day)}" disabled' in page.content.decode()
    response = client.post(BOOK, {"slot": slot(day), "rating_code": rating(petition_case)})
    assert response.status_code == 400
    assert "This slot is full" in response.context["module_part"]["booking_form"].errors["slot"][0]
    assert "This slot is full" in response.content.decode()
    assert not Booking.objects.filter(petition=petition_case.petition).exists()


def test_the_petitioner_books_a_slot_and_may_cancel_it(petition_case, people):
    day = _day(people)
    client, page = tracked(petition_case)
    slot_at = day.starts_at + timedelta(minutes=30)
    response = client.post(BOOK, {"slot": slot(day, slot_at), "rating_code": rating(petition_case).lower()})
    assert response.status_code == 302 and response["Location"] == TRACK
    booking = Booking.objects.get()
    assert (booking.petition.case_id, booking.day, booking.slot_at) == (petition_case.pk, day, slot_at)
    assert booking.via == BookedVia.PUBLIC and booking.booked_by is None and booking.status == BookingStatus.BOOKED
    assert petition_case.events.get(action=PetitionEvent.RECEPTION_BOOKED).actor is None
    page = client.get(TRACK)
    html = page.content.decode()
    assert "Booked: the leader reception on" in html and "县信访接待中心" in html
    assert page.context["module_part"]["bookings"][0]["cancel_form"] is not None
    # Cancelling needs the rating code too.
    refused = client.post(CANCEL, {"booking": booking.pk, "rating_code": wrong_rating(petition_case)})
    assert refused.status_code == 400
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert client.post(CANCEL, {"booking": booking.pk, "rating_code": rating(petition_case)})["Location"] == TRACK
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    labels = [entry["label"] for entry in client.get(TRACK).context["timeline"]]
    assert labels[-2:] == ["A leader reception was booked", "A leader reception booking was cancelled"]


def test_a_booking_of_another_petition_cannot_be_cancelled(petition_case, people):
    day = _day(people)
    other = flow.register(people, now=timezone.now())
    theirs = services.book_reception(None, other, day_id=day.pk, slot_at=day.starts_at, by_petitioner=True)
    client, _page = tracked(petition_case)
    response = client.post(CANCEL, {"booking": theirs.pk, "rating_code": rating(petition_case)})
    assert response.status_code == 400
    assert "This booking is not one of this petition's." in response.context["module_part"]["cancel_errors"]
    assert "This booking is not one of this petition" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.BOOKED


def test_only_days_for_the_place_of_the_petition_are_offered(petition_case, people):
    fuxing = _day(people, region="500229002")
    county_day = _day(people, days_ahead=4)
    _client, page = tracked(petition_case)
    days = [day for day, _slots in page.context["module_part"]["booking_form"].days]
    assert days == [county_day] and fuxing not in days


def test_booking_needs_a_petition_looked_up(petitions, people, new_case):
    day = _day(people)
    complaint = new_case()
    client = petitioner()
    assert client.post(BOOK, {"slot": slot(day)})["Location"] == TRACK
    look_up(client, complaint)
    response = client.post(BOOK, {"slot": slot(day), "rating_code": rating(complaint)})
    assert response["Location"] == TRACK and not Booking.objects.exists()


def test_every_try_at_a_rating_code_counts_against_the_tracking_limit(petition_case, people, settings):
    day = _day(people)
    settings.ANJU_TRACK_RATE = "3/10m"
    client = petitioner()
    look_up(client, petition_case)
    assert client.post(BOOK, {"slot": slot(day), "rating_code": wrong_rating(petition_case)}).status_code == 400
    assert client.post(REVIEW, {"reason": "请求复查", "rating_code": wrong_rating(petition_case)}).status_code == 400
    response = client.post(BOOK, {"slot": slot(day), "rating_code": rating(petition_case)})
    assert response.status_code == 429 and "Too many requests" in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_needs_the_csrf_token(petition_case, people):
    day = _day(people)
    session_client = petitioner()
    look_up(session_client, petition_case)
    client = Client(enforce_csrf_checks=True)
    client.cookies = session_client.cookies
    data = {"slot": slot(day), "rating_code": rating(petition_case)}
    assert client.post(BOOK, data).status_code == 403
    assert client.post(REVIEW, {"reason": "x", "rating_code": rating(petition_case)}).status_code == 403
    assert client.post(PETITION, petition_data()).status_code == 403
    assert not Booking.objects.exists()


# ---------------------------------------------------------------------------- notices and limits on /track


def test_the_notices_read_like_letters_with_the_addressee_masked(petitions, people):
    case = flow.answered(people, now=timezone.now() - timedelta(days=3), about="gc")
    _client, page = tracked(case)
    html = page.content.decode()
    letters = page.context["module_part"]["notices"]
    assert [letter["title"] for letter in letters] == [
        "信访事项登记转送告知书", "信访事项受理告知书", "信访事项处理意见书"]
    answer = letters[-1]
    assert answer["addressee"] == "王**、赵**" and "王**、赵**：" in html
    assert answer["number"] in html and answer["date"] in html and "葛城街道办事处" in html
    assert "经核查，补偿款已按批复标准足额发放至村集体账户。" in html and "事实和理由" in html
    assert "第三十五条" in answer["closing"][0] and answer["closing"][0] in html
    assert "Online, on the tracking page" in html  # how it was sent
    # The body's time to answer is shown as met; the petitioner's own window runs.
    limits = {row["limit"].key: row for row in page.context["module_part"]["limits"]}
    assert limits["answer"]["done"] and limits["window"]["limit"].running and limits["window"]["limit"].petitioners
    for secret in ("王秀英", "赵德明", "13800005678", "13900004321", "5678", "土城社区5组8号"):
        assert secret not in html, secret


def test_words_naming_a_petitioner_in_a_notice_are_blanked(petitions, people):
    case = flow.accepted(people, now=timezone.now() - timedelta(days=3))
    findings = "经与王秀英本人核实（电话13800005678），款项已发放。"
    services.answer_petition(people.handler, case, flow.answer_text(findings=findings))
    _client, page = tracked(case)
    html = page.content.decode()
    assert "经与【已隐去】本人核实（电话【已隐去】），款项已发放。" in html
    assert "王秀英" not in html and "13800005678" not in html


def test_the_statutory_limits_are_told_in_words_with_their_articles(petitions, people):
    case = flow.routed(people, now=timezone.now() - timedelta(days=1))
    _client, page = tracked(case)
    limits = page.context["module_part"]["limits"]
    assert [row["limit"].key for row in limits] == ["route", "acceptance", "objection"]
    html = page.content.decode()
    assert "Tell the petitioner whether it is accepted by" in html and "第二十三条" in html
    assert case.accept_due_at.astimezone(LOCAL).strftime("%Y-%m-%d") in html


def test_the_core_not_solved_is_refused_for_a_petition(petitions, people):
    case = flow.answered(people, now=timezone.now() - timedelta(days=3))
    client, page = tracked(case)
    assert not page.context["can_reopen"] and "It is not solved" not in page.content.decode()
    response = client.post(NOT_SOLVED, {"reason": "不满意", "rating_code": rating(case)})
    assert response.status_code == 409
    assert "ask for a review" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.reopen_count == 0


# ---------------------------------------------------------------------------- review


@pytest.fixture
def answered(petitions, people):
    """Answered in writing two days ago, handed over in person: the window is open."""
    return flow.answered(people, now=timezone.now() - timedelta(days=2), about="gc")


def test_a_wrong_rating_code_asks_for_nothing(answered):
    client, page = tracked(answered)
    assert page.context["module_part"]["review"]["state"] == "open"
    response = client.post(REVIEW, {"reason": "补偿标准计算有误", "rating_code": wrong_rating(answered)})
    assert response.status_code == 400
    assert response.context["module_part"]["review"]["form"].errors["rating_code"]
    assert Case.objects.count() == 1


def test_a_review_asked_in_the_window_opens_a_linked_petition_and_shows_its_codes_to_the_asker(answered, people):
    client, page = tracked(answered)
    last = page.context["module_part"]["review"]["last"]
    assert last >= timezone.now().astimezone(LOCAL).date() and "You may ask until" in page.content.decode()
    response = client.post(REVIEW, {"reason": "补偿标准计算有误，请求复查", "rating_code": rating(answered)})
    assert response.status_code == 302 and response["Location"] == TRACK
    review = Case.objects.exclude(pk=answered.pk).get()
    assert review.petition.level == Level.REVIEW and review.petition.parent.case_id == answered.pk
    assert review.channel == "web" and review.about_office.code == "gc"
    page = client.get(TRACK)
    html = page.content.decode()
    chain = page.context["module_part"]["chain"]
    assert [item["raw_code"] for item in chain] == [answered.tracking_code, review.tracking_code]
    assert tracking.display(review.tracking_code) in html and rating(review) in html
    assert page.context["module_part"]["review"]["state"] == "asked"
    # Someone else with the first tracking code sees the request, not its rating code.
    _other, seen = tracked(answered)
    assert tracking.display(review.tracking_code) in seen.content.decode()
    assert rating(review) not in seen.content.decode()
    # The review is followed by its own code and offers the re-examination only once decided.
    _mine, review_page = tracked(review, client)
    assert review_page.context["module_part"]["review"]["state"] == "none"


def test_a_review_after_the_window_is_refused_citing_the_article(petitions, people):
    answered_at = timezone.now() - timedelta(days=45)
    case = flow.answered(people, now=answered_at - timedelta(days=1), answered_at=answered_at)
    client, page = tracked(case)
    review = page.context["module_part"]["review"]
    assert review["state"] == "closed" and review["form"] is None
    html = page.content.decode()
    assert "The time to ask for a review" in html and "ended on" in html and "第三十五条" in html
    assert review["last"].strftime("%Y-%m-%d") in html
    response = client.post(REVIEW, {"reason": "请求复查", "rating_code": rating(case)})
    assert response.status_code == 400
    assert "第三十五条" in response.content.decode() and "that time ended on" in response.content.decode()
    assert Case.objects.count() == 1


def test_a_review_of_a_petition_not_yet_answered_is_refused_with_the_reason(petition_case):
    client, page = tracked(petition_case)
    assert page.context["module_part"]["review"]["state"] == "none"
    response = client.post(REVIEW, {"reason": "请求复查", "rating_code": rating(petition_case)})
    assert response.status_code == 409
    assert "once the petition has been answered in writing" in response.content.decode()
    assert Case.objects.count() == 1
