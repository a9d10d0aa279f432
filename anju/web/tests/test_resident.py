"""Residents' pages: report a concern without an account, get the tracking and rating codes, follow
the case by the tracking code, rate the answer or say it is not solved with the rating code; the
human check and rate limits; nothing on the tracking page but what the office wrote for the
reporter."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from anju.cases import services as s
from anju.cases.choices import Action, ClockUnit, Status
from anju.cases.models import Attachment, Case, CaseEvent, Reporter
from anju.conftest import at
from anju.lib import masking, ratelimit, tracking
from anju.web import humancheck
from anju.web.tests.conftest import png
from anju.web.views.resident import public_timeline, resident_deadline

REPORT = reverse("web:report")
DONE = reverse("web:report_done")
TRACK = reverse("web:track")
RATE = reverse("web:track_rate")
NOT_SOLVED = reverse("web:track_not_solved")

NAME, PHONE, EMAIL = "赵小梅", "13912345678", "xiaomei@example.com"


def resident() -> Client:
    """A resident's browser asking for English, so that assertions read the msgids."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def solved_check(age: float = 10) -> dict:
    challenge = humancheck.new_challenge(now=time.time() - age)
    return {"human_token": challenge.token, "human_answer": str(challenge.answer)}


def report_data(**overrides) -> dict:
    data = {"category": "urban.light", "kind": "complaint", "text": "滨河路的路灯一周没亮了", "lat": "31.905",
            "lng": "108.605", "address": "滨河路 3 号对面", "township": "", "reporter_name": NAME,
            "reporter_phone": PHONE, "reporter_email": EMAIL, **solved_check()}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def nothing_created():
    return Case.objects.count() == 0 and Attachment.objects.count() == 0 and Reporter.objects.count() == 0


# ---------------------------------------------------------------------------- report


def test_it_offers_the_report_form_without_an_account(county):
    response = resident().get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["question"].startswith("What is ")
    assert 'name="human_token"' in html and 'capture="environment"' in html
    assert "not be shown to the office or unit you complain about" in html
    # Truthful about what may become public, and when.
    assert "once the county has accepted it, the problem may appear on the public map" in html.replace("&#x27;", "'")
    assert "only to handle it" not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_offers_only_public_active_categories(county):
    county.noise.is_public = False
    county.noise.save()
    county.road.is_active = False
    county.road.save()
    choices = resident().get(REPORT).context["form"].fields["category"].choices
    codes = [code for _group, options in choices[1:] for code, _label in options]
    assert codes == ["urban", "urban.light"]


def test_it_receives_a_report_with_contact_and_shows_the_code_without_putting_it_in_a_url(county):
    client = resident()
    photo = SimpleUploadedFile("灯.png", png(), content_type="image/png")
    response = client.post(REPORT, {**report_data(confidential="on"), "photos": [photo]})
    assert response.status_code == 302 and response["Location"] == DONE
    case = Case.objects.get()
    assert case.channel == "web" and case.created_by is None and case.grid == county.grid1
    assert (case.reporter.name, case.reporter.phone, case.reporter.email) == (NAME, PHONE, EMAIL)
    assert case.confidential and case.attachments.count() == 1
    assert case.events.get(action=Action.SUBMIT).actor is None
    done = client.get(DONE)
    assert tracking.display(case.tracking_code) in done.content.decode()
    assert tracking.rating_code(case.tracking_code) in done.content.decode()
    assert case.tracking_code not in response["Location"]


def test_it_receives_a_report_without_contact(county):
    response = resident().post(REPORT, report_data(reporter_name="", reporter_phone="", reporter_email=""))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.reporter is None and not case.confidential


def test_anonymous_drops_the_contact_details(county):
    resident().post(REPORT, report_data(anonymous="on"))
    assert Case.objects.get().reporter is None and Reporter.objects.count() == 0


def test_it_receives_a_report_by_township_without_a_point(county):
    response = resident().post(REPORT, report_data(lat="", lng="", township=county.fuxing.code))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.region == county.fuxing and case.grid is None


@pytest.mark.parametrize(("overrides", "field"), [
    ({"text": ""}, "text"),
    ({"lat": "", "lng": ""}, "township"),
    ({"lat": "31.0", "lng": "100.0"}, "township"),  # outside every grid
    ({"lat": "abc"}, "township"),
    ({"category": "no.such"}, "category"),
    ({"reporter_email": "nope"}, "reporter_email"),
])
def test_it_shows_bad_reports_with_errors_and_keeps_the_human_check(county, overrides, field):
    data = report_data(**overrides)
    response = resident().post(REPORT, data)
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert "human_answer" not in response.context["form"].errors
    # The question answered correctly stays, so the resident need not answer again.
    assert response.context["form"]["human_token"].value() == data["human_token"]
    assert nothing_created()


def test_it_refuses_a_renamed_program(county):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/jpeg")
    response = resident().post(REPORT, {**report_data(), "photos": [fake]})
    assert response.status_code == 400 and response.context["form"].errors["photos"]
    assert nothing_created()


@pytest.mark.parametrize("problem", ["wrong", "missing", "expired", "too_fast", "forged"])
def test_it_refuses_a_failed_human_check_naming_the_field(county, problem):
    data = report_data()
    if problem == "wrong":
        data["human_answer"] = str(int(data["human_answer"]) + 1)
    elif problem == "missing":
        data["human_answer"] = ""
    elif problem == "expired":
        data.update(solved_check(age=2 * 3600 + 60))
    elif problem == "too_fast":
        data.update(solved_check(age=0))
    else:
        data["human_token"] = "e30:forged:signature"
    response = resident().post(REPORT, data)
    assert response.status_code == 400 and response.context["form"].errors["human_answer"]
    html = response.content.decode()
    assert '<p class="field-error" role="alert">Human check: ' in html
    # A new question, the answer box empty; the text stays.
    assert response.context["form"]["human_token"].value() != data["human_token"]
    assert not response.context["form"]["human_answer"].value()
    assert "滨河路的路灯一周没亮了" in html
    assert nothing_created()


def test_a_human_check_is_good_for_one_report(county):
    data = report_data()
    assert resident().post(REPORT, data).status_code == 302
    # Another browser replaying the same form is refused.
    response = resident().post(REPORT, {**data, "text": "另一个问题"})
    assert response.status_code == 400 and response.context["form"].errors["human_answer"]
    assert Case.objects.count() == 1


def test_a_double_tap_makes_one_case_and_shows_its_code(county):
    client = resident()
    data = report_data()
    assert client.post(REPORT, data)["Location"] == DONE
    second = client.post(REPORT, data)
    assert second.status_code == 302 and second["Location"] == DONE
    assert Case.objects.count() == 1


def test_the_eleventh_report_within_the_hour_is_refused_with_the_text_kept(county, settings):
    settings.ANJU_REPORT_RATE = "10/1h"
    client = resident()
    for n in range(10):
        assert client.post(REPORT, report_data(text=f"第 {n} 个问题")).status_code == 302
    response = client.post(REPORT, report_data(text="第十一个问题还在"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "第十一个问题还在" in html and "Too many requests" in html
    assert '<p lang="zh-Hans">' in html and '<p lang="en">' in html  # said in both languages
    assert response.context["form"]["reporter_phone"].value() == PHONE
    assert Case.objects.count() == 10
    # Another address is not affected.
    other = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.9.9.9")
    assert other.post(REPORT, report_data()).status_code == 302


def test_correcting_a_form_does_not_use_up_the_limit_but_failed_checks_do(county, settings):
    settings.ANJU_REPORT_RATE = "2/1h"
    client = resident()
    for _ in range(3):
        assert client.post(REPORT, report_data(text="")).status_code == 400
    assert client.post(REPORT, report_data()).status_code == 302
    assert client.post(REPORT, report_data(human_answer="99")).status_code == 400
    assert client.post(REPORT, report_data()).status_code == 429
    assert Case.objects.count() == 1


def test_the_done_page_needs_a_report_first(county):
    assert resident().get(DONE)["Location"] == REPORT


# ---------------------------------------------------------------------------- rate limit


def test_it_parses_rates():
    assert ratelimit.parse_rate("10/1h") == ratelimit.Rate(10, 3600)
    assert ratelimit.parse_rate("60/10m") == ratelimit.Rate(60, 600)
    assert ratelimit.parse_rate("5/s") == ratelimit.Rate(5, 1)
    for bad in ("", "10", "0/1h", "10/0h", "ten/h", "10/1d"):
        with pytest.raises(Exception, match="rate must look like"):
            ratelimit.parse_rate(bad)


def test_it_counts_per_address_and_says_when_to_try_again():
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    now = 3600 * 1000 + 600.0
    assert all(ratelimit.peek(request, "t", "2/1h", now=now).allowed for _ in range(5))  # peeking is free
    outcomes = [ratelimit.hit(request, "t", "2/1h", now=now) for _ in range(3)]
    assert not ratelimit.peek(request, "t", "2/1h", now=now).allowed
    assert [o.allowed for o in outcomes] == [True, True, False]
    assert outcomes[2].retry_after == 3000
    assert ratelimit.hit(RequestFactory().post("/", REMOTE_ADDR="192.0.2.8"), "t", "2/1h", now=now).allowed
    assert ratelimit.hit(request, "t", "2/1h", now=now + 3000).allowed  # the next window


def test_it_keeps_no_address_in_the_cache():
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.23")
    ratelimit.hit(request, "report", "5/1h")
    keys = list(cache._cache.keys())
    assert keys and not any("198.51.100.23" in key for key in keys)


def test_it_trusts_forwarded_addresses_only_when_told(settings):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.ANJU_TRUSTED_PROXY_HOPS = 1
    assert ratelimit.client_address(request) == "203.0.113.9"


# ---------------------------------------------------------------------------- track


@pytest.fixture
def reported(new_case):
    """A case with a reporter whose details must never show on the tracking page."""
    return new_case(reporter_name=NAME, reporter_phone=PHONE, reporter_email=EMAIL)


def look_up(client, code):
    return client.post(TRACK, {"code": code})


def rating_code(case) -> str:
    return tracking.rating_code(case.tracking_code)


def to_stage(people, case, stage):
    case = s.accept_case(people.dispatcher, case, note="受理备注：已核实")
    case = s.dispatch_case(people.dispatcher, case, note="内部：请交通局老周优先处理")
    case = s.start_case(people.handler, case)
    if stage == "in_progress":
        return case
    case = s.resolve_case(people.handler, case, reply="路灯已于今日修复，感谢反映。")
    return case


def test_it_offers_the_lookup_form(county):
    response = resident().get(TRACK)
    assert response.status_code == 200 and "case" not in response.context


def test_it_tells_a_mistyped_code_from_an_unknown_one(county, reported):
    mistyped = reported.tracking_code[:8] + ("0" if reported.tracking_code[8] != "0" else "1")
    response = look_up(resident(), mistyped)
    assert response.status_code == 400
    assert "mistyped" in response.context["lookup"].errors["code"][0]
    unknown = tracking.new_code()
    while unknown == reported.tracking_code:
        unknown = tracking.new_code()
    response = look_up(resident(), unknown)
    assert response.status_code == 400
    assert "No case has this tracking code" in response.context["lookup"].errors["code"][0]
    assert look_up(resident(), "").status_code == 400


def test_it_finds_the_case_by_a_code_typed_loosely_and_keeps_it_out_of_the_url(county, reported):
    client = resident()
    typed = " " + tracking.display(reported.tracking_code).lower().replace("-", " - ") + " "
    response = look_up(client, typed)
    assert response.status_code == 302 and response["Location"] == TRACK
    page = client.get(TRACK)
    assert page.context["case"] == reported
    assert tracking.display(reported.tracking_code) in page.content.decode()


def test_the_page_never_shows_the_reporter_staff_or_internal_notes(county, people, reported):
    people.handler.display_name = "周办事员"
    people.handler.save()
    people.dispatcher.display_name = "钱调度员"
    people.dispatcher.save()
    case = to_stage(people, reported, "in_progress")
    s.supervise_case(people.supervisor, case, level=1, note="督办：内部意见，勿外传")
    s.request_extension(people.handler, case, amount=2, unit=ClockUnit.WORKING_DAYS, reason="内部：等待供电公司")
    s.resolve_case(people.handler, case, reply="路灯已于今日修复，感谢反映。")
    client = resident()
    look_up(client, case.tracking_code)
    html = client.get(TRACK).content.decode()
    assert "路灯已于今日修复，感谢反映。" in html
    for secret in (NAME, PHONE, EMAIL, masking.mask_phone(PHONE), masking.mask_name(NAME), "周办事员", "钱调度员",
                   "内部：请交通局老周优先处理", "受理备注：已核实", "督办：内部意见，勿外传", "内部：等待供电公司",
                   reported.text):
        assert secret not in html, secret
    assert Case.objects.filter(reporter__phone=PHONE).exists()  # the data is there, just not shown


def track_page(case) -> str:
    """The tracking page of ``case`` as anyone with its code sees it (Open311 lists listed codes)."""
    client = resident()
    look_up(client, case.tracking_code)
    response = client.get(TRACK)
    assert response.status_code == 200
    return response


def test_the_words_for_the_reporter_have_names_numbers_and_mail_blanked(county, people, reported):
    """Replies often greet the reporter by name; the page is open to anyone with the code."""
    case = to_stage(people, reported, "in_progress")
    case = s.wait_for_reporter(people.handler, case, question="赵女士您好，小梅便利店是哪一家？请回电 023-6655-8899")
    html = track_page(case).content.decode()
    assert "【已隐去】您好，【已隐去】便利店是哪一家？请回电 【已隐去】" in html
    case = s.resume_case(people.handler, case)
    s.resolve_case(people.handler, case, reply="赵小梅同志：路灯已修复，联系 xiaomei@example.com 或 13912345678。")
    response = track_page(case)
    html = response.content.decode()
    assert response.context["reply"] == "【已隐去】：路灯已修复，联系 【已隐去】 或 【已隐去】。"
    assert "【已隐去】：路灯已修复，联系 【已隐去】 或 【已隐去】。" in html
    for secret in ("赵女士", "小梅", "023-6655-8899", NAME, EMAIL, PHONE):
        assert secret not in html, secret
    notes = [e["note"] for e in response.context["timeline"] if e["note"]]
    assert notes == ["【已隐去】您好，【已隐去】便利店是哪一家？请回电 【已隐去】",
                     "【已隐去】：路灯已修复，联系 【已隐去】 或 【已隐去】。"]


def test_the_reason_for_not_accepting_is_blanked_too(county, people, reported):
    case = s.reject_case(people.dispatcher, reported, reply="赵女士：此事不属本县，请拨 13700001111 咨询。")
    html = track_page(case).content.decode()
    assert "【已隐去】：此事不属本县，请拨 【已隐去】 咨询。" in html and "赵女士" not in html


@pytest.mark.parametrize("precision, overrides, place", [
    ("township", {}, "葛城街道"),
    ("township", {"confidential": True}, "葛城街道 · 土城社区"),  # its code is never public
    ("hidden", {}, "葛城街道 · 土城社区"),
    ("grid", {}, "葛城街道 · 土城社区"),
    ("exact", {}, "葛城街道 · 土城社区"),
], ids=["township-listed", "township-confidential", "hidden", "grid", "exact"])
def test_the_place_is_no_more_precise_than_the_public_sees_it(county, people, new_case, precision, overrides, place):
    county.light.public_location = precision
    county.light.save()
    case = s.accept_case(people.dispatcher, new_case(**overrides))
    response = track_page(case)
    assert response.context["place"] == place
    if place == "葛城街道":
        assert "土城社区" not in response.content.decode()


def test_a_township_case_shows_only_the_township_while_waiting_to_be_accepted(county, new_case):
    county.light.public_location = "township"
    county.light.save()
    assert track_page(new_case()).context["place"] == "葛城街道"


def test_it_shows_the_question_of_a_case_waiting_for_the_reporter(county, people, reported):
    case = to_stage(people, reported, "in_progress")
    s.wait_for_reporter(people.handler, case, question="请问路灯具体是哪一根？")
    client = resident()
    look_up(client, case.tracking_code)
    response = client.get(TRACK)
    assert "请问路灯具体是哪一根？" in response.content.decode()
    assert response.context["deadline"]["paused"] and not response.context["can_rate"]


def test_the_resident_rates_the_answer_and_the_case_closes(county, people, reported):
    case = to_stage(people, reported, "resolved")
    client = resident()
    look_up(client, case.tracking_code)
    assert client.get(TRACK).context["can_rate"]
    response = client.post(RATE, {"satisfaction": "4", "note": "修得很快", "rating_code": rating_code(case)})
    assert response.status_code == 302 and response["Location"] == TRACK
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.satisfaction == 4
    event = case.events.get(action=Action.FOLLOW_UP)
    assert event.actor is None and event.data == {"satisfaction": 4, "by_reporter": True} and event.public
    page = client.get(TRACK)
    assert "Thank you for your rating" in page.content.decode() and "修得很快" in page.content.decode()


def test_not_solved_reopens_the_case(county, people, reported):
    case = to_stage(people, reported, "resolved")
    client = resident()
    look_up(client, case.tracking_code)
    response = client.post(NOT_SOLVED, {"reason": "路灯晚上还是不亮", "rating_code": rating_code(case)})
    assert response.status_code == 302 and response["Location"] == TRACK
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1
    assert case.events.get(action=Action.REOPEN).data == {"by_reporter": True}
    assert "路灯晚上还是不亮" in client.get(TRACK).content.decode()


def test_not_solved_needs_a_reason(county, people, reported):
    case = to_stage(people, reported, "resolved")
    client = resident()
    look_up(client, case.tracking_code)
    response = client.post(NOT_SOLVED, {"reason": "  ", "rating_code": rating_code(case)})
    assert response.status_code == 400 and response.context["not_solved"].errors["reason"]
    assert "rating_code" not in response.context["not_solved"].errors
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


def test_a_case_that_is_not_answered_cannot_be_rated(county, people, reported):
    case = to_stage(people, reported, "in_progress")
    client = resident()
    look_up(client, case.tracking_code)
    assert not client.get(TRACK).context["can_rate"]
    response = client.post(RATE, {"satisfaction": "5", "rating_code": rating_code(case)})
    assert response.status_code == 409
    assert "Only a case that has been answered" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.satisfaction is None
    refused = client.post(NOT_SOLVED, {"reason": "还没修", "rating_code": rating_code(case)})
    assert refused.status_code == 409 and "cannot be reopened" in refused.content.decode()
    case.refresh_from_db()
    assert case.reopen_count == 0


def test_rating_needs_a_case_looked_up_first(county, people, reported):
    to_stage(people, reported, "resolved")
    response = resident().post(RATE, {"satisfaction": "5"})
    assert response.status_code == 302 and response["Location"] == TRACK
    assert Case.objects.get().status == Status.RESOLVED


def test_rating_and_not_solved_need_the_csrf_token(county, people, reported):
    case = to_stage(people, reported, "resolved")
    client = Client(enforce_csrf_checks=True)
    session_client = resident()
    look_up(session_client, case.tracking_code)
    client.cookies = session_client.cookies
    assert client.post(RATE, {"satisfaction": "5"}).status_code == 403
    assert client.post(NOT_SOLVED, {"reason": "x"}).status_code == 403
    assert client.post(TRACK, {"code": case.tracking_code}).status_code == 403


def test_lookups_are_rate_limited_with_the_code_kept(county, settings, reported):
    settings.ANJU_TRACK_RATE = "2/10m"
    client = resident()
    for _ in range(2):
        assert look_up(client, reported.tracking_code).status_code == 302
    response = look_up(client, "ABCD-EFGHJ")
    assert response.status_code == 429 and "Too many requests" in response.content.decode()
    assert response.context["lookup"]["code"].value() == "ABCD-EFGHJ"


def test_ratings_count_against_the_lookup_limit(county, settings, people, reported):
    case = to_stage(people, reported, "resolved")
    settings.ANJU_TRACK_RATE = "1/10m"
    client = resident()
    look_up(client, case.tracking_code)
    response = client.post(RATE, {"satisfaction": "3", "note": "一般", "rating_code": rating_code(case)})
    assert response.status_code == 429 and response.context["rating"]["note"].value() == "一般"
    assert Case.objects.get().status == Status.RESOLVED


def test_a_merged_case_shows_only_the_status_of_the_case_it_joined(county, people, reported, new_case):
    other = new_case(text="同一路灯，另一位居民", reporter_name="孙大伟", reporter_phone="13700009999")
    s.accept_case(people.dispatcher, reported)
    s.merge_case(people.dispatcher, reported, into=other)
    client = resident()
    look_up(client, reported.tracking_code)
    response = client.get(TRACK)
    html = response.content.decode()
    assert response.context["merged_status"] == "Received, waiting to be accepted"
    for secret in (other.tracking_code, tracking.display(other.tracking_code), other.text, "孙大伟", "13700009999"):
        assert secret not in html, secret


def test_a_residents_session_ends_with_the_browser(county, reported):
    client = resident()
    look_up(client, reported.tracking_code)
    assert client.session.get_expire_at_browser_close()


def test_forgetting_the_case_clears_it_from_the_session(county, reported):
    client = resident()
    look_up(client, reported.tracking_code)
    assert client.post(TRACK, {"forget": "1"})["Location"] == TRACK
    assert "case" not in client.get(TRACK).context


def test_the_reporter_can_follow_the_case_just_reported(county):
    client = resident()
    client.post(REPORT, report_data())
    response = client.get(TRACK)
    assert response.context["case"] == Case.objects.get()
    assert PHONE not in response.content.decode() and NAME not in response.content.decode()


# ---------------------------------------------------------------------------- helpers


def test_the_deadline_is_told_in_working_days_with_an_explicit_now(county, new_case):
    case = new_case(now=at(2026, 9, 28, 10))  # Monday; one working day to accept
    with translation.override("en"):
        shown = resident_deadline(case, now=at(2026, 9, 28, 11))
        late = resident_deadline(case, now=case.due_at + timedelta(days=3))
    assert shown["at"] == case.due_at and not shown["paused"]
    assert (shown["left"].words, shown["left"].overdue) == ("1 working day left", False)
    assert (late["left"].words, late["left"].overdue) == ("Overdue by 3 days", True)


def test_no_deadline_is_shown_once_answered(county, people, new_case):
    case = to_stage(people, new_case(), "resolved")
    assert resident_deadline(case, now=at(2026, 9, 28, 11)) is None


def test_the_public_timeline_holds_only_public_entries_without_actors(county, people, new_case):
    case = to_stage(people, new_case(), "resolved")
    entries = public_timeline(case)
    actions = [e["action"] for e in entries]
    assert actions == [Action.SUBMIT, Action.ACCEPT, Action.START, Action.RESOLVE]
    assert all("actor" not in e for e in entries)
    assert [e["note"] for e in entries if e["note"]] == ["路灯已于今日修复，感谢反映。"]
    assert CaseEvent.objects.filter(case=case, public=False).exists()


# ---------------------------------------------------------------------------- services


def test_a_residents_report_with_a_bad_photo_leaves_nothing(county):
    good = SimpleUploadedFile("a.png", png(), content_type="image/png")
    bad = SimpleUploadedFile("b.jpg", b"not an image at all", content_type="image/jpeg")
    data = s.NewCase(kind="complaint", category_code="urban.light", text="路灯", lat=31.905, lng=108.605,
                     channel="hotline", about_office_code="gc")
    with pytest.raises(s.CaseError) as raised:
        s.create_case_by_resident(data, uploads=[good, bad])
    assert raised.value.field == "file" and nothing_created()
    case = s.create_case_by_resident(data, uploads=[good])
    assert case.channel == "web" and case.about_office is None and case.created_by is None
    assert case.attachments.get().uploaded_by is None


def test_the_reporters_rating_must_be_one_to_five(county, people, new_case):
    case = to_stage(people, new_case(), "resolved")
    for bad in (0, 6, "5"):
        with pytest.raises(s.CaseError):
            s.rate_case_by_reporter(case, satisfaction=bad)
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    closed = s.rate_case_by_reporter(case, satisfaction=5, now=at(2026, 10, 9, 9))
    assert closed.closed_at == at(2026, 10, 9, 9) and closed.due_at is None
    with pytest.raises(s.CaseError):
        s.rate_case_by_reporter(closed, satisfaction=4)
