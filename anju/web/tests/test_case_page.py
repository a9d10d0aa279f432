"""The case page: who sees it, what it shows (deadlines in words, the masked reporter, the
timeline, files, the map), which actions each persona is offered, and the logged reveal."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from anju.cases import services as s
from anju.cases import sweep
from anju.cases.choices import ClockUnit, SupervisionLevel
from anju.cases.models import Case, CaseEvent, PersonalDataAccess
from anju.conftest import at
from anju.lib.tracking import display, rating_code
from anju.web.timeleft import time_left

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"\x00" * 64
PHONE = "13800001234"


def page(case) -> str:
    return reverse("web:case_detail", args=[case.pk])


def offered_actions(html: str) -> set[str]:
    return set(re.findall(r'/act/([a-z_]+)/"', html)) - {"attach"}


# ---------------------------------------------------------------------------- who may look


def test_it_sends_anonymous_visitors_to_sign_in(case_at):
    case = case_at("dispatched")
    attachment = s.add_attachment(case.created_by, case, SimpleUploadedFile("a.png", PNG))
    client = Client()
    for response in (
        client.get(page(case)),
        client.post(reverse("web:case_action", args=[case.pk, "start"]), {}),
        client.post(reverse("web:reveal_reporter", args=[case.pk]), {}),
        client.get(reverse("web:attachment", args=[case.pk, attachment.pk])),
    ):
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert PersonalDataAccess.objects.count() == 0


def test_it_answers_not_found_outside_the_users_scope(case_at, browse, people):
    case = case_at("dispatched")
    attachment = s.add_attachment(people.dispatcher, case, SimpleUploadedFile("a.png", PNG))
    for name in ("other_handler", "transport_handler", "township_dispatcher", "nobody"):
        client = browse(name)
        assert client.get(page(case)).status_code == 404, name
        assert client.post(reverse("web:case_action", args=[case.pk, "start"]), {}).status_code == 404
        assert client.post(reverse("web:reveal_reporter", args=[case.pk]), {}).status_code == 404
        assert client.get(reverse("web:attachment", args=[case.pk, attachment.pk])).status_code == 404
    case.refresh_from_db()
    assert case.status == "dispatched"
    assert PersonalDataAccess.objects.count() == 0


def test_missing_and_forbidden_cases_look_the_same(case_at, browse):
    case = case_at("dispatched")
    client = browse("other_handler")
    assert client.get(page(case)).status_code == client.get("/work/cases/999999/").status_code == 404


# ---------------------------------------------------------------------------- what it shows


def test_it_shows_the_case_with_its_place(case_at, browse, county):
    case = case_at("submitted", address="滨河路 12 号")
    response = browse("dispatcher").get(page(case))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (display(case.tracking_code), "Submitted (待受理)", "Complaint (投诉)", "路灯故障", "Normal (一般)",
                 "Hotline (12345)", "滨河路路灯不亮已经一周", "滨河路 12 号", "葛城街道", "土城第1网格",
                 "31.905000, 108.605000"):
        assert text in html, text
    # The grid outline goes to the map as JSON; no tile server unless one is configured.
    assert '<script id="case-map-data" type="application/json">' in html
    assert "108.61, 31.91" in html
    assert 'data-tile-url=""' in html


def test_it_adds_tiles_only_when_a_tile_server_is_configured(case_at, browse, settings):
    settings.ANJU_TILE_URL = "https://tiles.example.cn/{z}/{x}/{y}.png"
    settings.ANJU_TILE_ATTRIBUTION = "© 示例地图"
    html = browse("dispatcher").get(page(case_at("submitted"))).content.decode()
    assert 'data-tile-url="https://tiles.example.cn/{z}/{x}/{y}.png"' in html
    assert "© 示例地图" in html


def test_a_case_without_a_point_has_no_map(case_at, browse):
    case = case_at("submitted", lat=None, lng=None, region_code="500229001001")
    html = browse("dispatcher").get(page(case)).content.decode()
    assert "No point given" in html and "case-map-data" not in html
    assert "土城社区" in html and "葛城街道" in html


# ---------------------------------------------------------------------------- actions per persona


@pytest.mark.parametrize(("persona", "stage", "expected"), [
    ("dispatcher", "submitted", {"accept", "reject", "merge"}),
    ("dispatcher", "accepted", {"dispatch", "merge"}),
    ("dispatcher", "in_progress", {"transfer", "merge"}),
    ("dispatcher", "resolved", {"follow_up", "reopen"}),
    ("dispatcher", "rejected", set()),
    ("handler", "dispatched", {"start", "return", "request_extension"}),
    ("handler", "in_progress", {"wait", "resolve", "request_extension"}),
    ("handler", "pending_extension", {"wait", "resolve"}),
    ("handler", "waiting", {"resume", "request_extension"}),
    ("handler", "resolved", set()),
    ("supervisor", "in_progress", {"supervise"}),
    ("supervisor", "pending_extension", {"supervise", "approve_extension", "deny_extension"}),
    ("supervisor", "resolved", {"supervise", "reopen"}),
    ("supervisor", "closed", {"reopen"}),
    ("leader", "in_progress", {"supervise"}),
    ("gridworker", "resolved", {"follow_up"}),
    ("gridworker", "in_progress", set()),
    ("admin", "submitted", {"accept", "reject", "merge", "supervise"}),
])
def test_it_offers_exactly_the_actions_the_persona_may_take_now(case_at, browse, persona, stage, expected):
    case = case_at(stage)
    response = browse(persona).get(page(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert offered_actions(html) == expected
    if not expected:
        assert "There is nothing you can do with this case now." in html


def test_it_preselects_the_office_the_routing_rules_suggest(case_at, browse):
    html = browse("dispatcher").get(page(case_at("accepted"))).content.decode()
    assert re.search(r'<option value="gc" selected>葛城街道办事处</option>', html)
    assert "Suggested by the routing rules: 葛城街道办事处 (Territorial (属地))." in html


def test_it_offers_no_upload_on_a_closed_case(case_at, browse):
    html = browse("dispatcher").get(page(case_at("closed"))).content.decode()
    assert "/act/attach/" not in html
    html = browse("dispatcher").get(page(case_at("submitted"))).content.decode()
    assert "/act/attach/" in html


# ---------------------------------------------------------------------------- deadlines


def test_it_says_how_long_is_left_on_the_current_deadline(case_at, browse):
    case = case_at("submitted")
    html = browse("dispatcher").get(page(case)).content.decode()
    due = timezone.localtime(case.accept_due_at).strftime("%Y-%m-%d %H:%M")
    assert f"Current deadline: <strong>{due}</strong>" in html
    # Accepting is due at the end of the next working day, whenever the case arrives.
    assert "1 working day left" in html
    assert "allowed: 15 working days" in html


def test_it_says_how_long_a_deadline_is_overdue_and_that_it_was_missed(new_case, people, browse):
    case = new_case(now=timezone.now() - timedelta(days=12))
    sweep.run_sweep(now=timezone.now())
    html = browse("dispatcher").get(page(case)).content.decode()
    assert re.search(r'class="due due-overdue"[^>]*>Overdue by \d+ days<', html)
    assert re.search(r"Missed a deadline</dt>\s*<dd><span class=\"due-overdue\">Yes</span>", html)
    case.refresh_from_db()
    assert case.supervision_level > 0  # the sweep put the case under supervision and escalated it
    assert f"Supervision</dt><dd>{SupervisionLevel(case.supervision_level).label}</dd>" in html


def test_it_says_the_clock_is_paused_while_waiting_for_the_reporter(case_at, browse):
    html = browse("handler").get(page(case_at("waiting"))).content.decode()
    assert "Clock paused while waiting for the reporter" in html
    assert "Current deadline:" not in html


def test_it_lists_extension_requests(case_at, browse):
    case = case_at("pending_extension")
    html = browse("supervisor").get(page(case)).content.decode()
    assert "3 working days" in html and "需协调供电公司" in html and "waiting for a decision" in html
    assert 'href="#act-approve_extension"' in html


def test_it_lists_supervision_notices(case_at, browse, people):
    case = case_at("in_progress")
    s.supervise_case(people.supervisor, case, level=2, note="请三日内办结")
    html = browse("handler").get(page(case)).content.decode()
    assert "请三日内办结" in html and "Supervision notice (督办单)" in html and "Township level" in html


# Deadline words, with explicit clocks (anju.web.timeleft).


@pytest.mark.django_db
def test_working_days_are_counted_across_a_weekend():
    with translation.override("en"):
        left = time_left(at(2025, 1, 14, 23, 59, 59), now=at(2025, 1, 10, 10))  # Friday → Tuesday
    assert (left.words, left.overdue, left.due_soon) == ("2 working days left", False, False)


@pytest.mark.django_db
def test_working_days_are_counted_across_a_public_holiday():
    # National Day 2025: 1–8 October off, so from 30 September only 9 and 10 October count.
    with translation.override("zh-hans"):
        left = time_left(at(2025, 10, 10, 23, 59, 59), now=at(2025, 9, 30, 10))
    assert left.words == "剩余 2 个工作日"


@pytest.mark.django_db
def test_an_overdue_deadline_is_told_in_days():
    due = at(2025, 1, 10, 23, 59, 59)
    with translation.override("en"):
        assert time_left(due, now=at(2025, 1, 14, 0, 30)).words == "Overdue by 3 days"
    with translation.override("zh-hans"):
        left = time_left(due, now=at(2025, 1, 14, 0, 30))
    assert left.words == "已超期 3 天" and left.overdue


@pytest.mark.django_db
def test_a_deadline_in_hours_is_told_in_hours():
    due = at(2025, 1, 10, 15)
    with translation.override("en"):
        left = time_left(due, unit=ClockUnit.HOURS, now=at(2025, 1, 10, 10))
        late = time_left(due, unit=ClockUnit.HOURS, now=at(2025, 1, 10, 18, 10))
    assert (left.words, left.due_soon) == ("5 hours left", True)
    assert (late.words, late.overdue) == ("Overdue by 3 hours", True)


@pytest.mark.django_db
def test_a_paused_clock_says_so_instead_of_counting():
    with translation.override("en"):
        left = time_left(at(2025, 1, 10, 15), now=at(2025, 1, 20, 10), paused=True)
    assert (left.words, left.overdue) == ("Clock paused while waiting for the reporter", False)


# ---------------------------------------------------------------------------- the reporter


@pytest.mark.parametrize("persona", ["dispatcher", "handler", "supervisor", "leader", "admin"])
def test_it_never_shows_the_full_phone_unless_revealed(case_at, browse, persona):
    html = browse(persona).get(page(case_at("in_progress"))).content.decode()
    assert PHONE not in html
    assert "138****1234" in html and "张*" in html


def test_a_reveal_is_logged_and_shows_the_details_in_that_answer_only(case_at, browse, people):
    case = case_at("in_progress")
    client = browse("handler")
    assert reverse("web:reveal_reporter", args=[case.pk]) in client.get(page(case)).content.decode()
    response = client.post(reverse("web:reveal_reporter", args=[case.pk]), {"reason": "回访核实"})
    assert response.status_code == 200
    html = response.content.decode()
    assert PHONE in html and "张三" in html
    assert "no-store" in response["Cache-Control"]
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.case, log.granted, log.reason) == (people.handler, case, True, "回访核实")
    assert PHONE not in client.get(page(case)).content.decode()


def test_a_confidential_reporter_is_hidden_from_the_office_concerned(case_at, browse, people):
    case = case_at("dispatched", confidential=True, about_office_code="gc")
    client = browse("handler")
    html = client.get(page(case)).content.decode()
    assert "hidden from your office" in html
    assert reverse("web:reveal_reporter", args=[case.pk]) not in html
    assert PHONE not in html and "138****1234" not in html
    response = client.post(reverse("web:reveal_reporter", args=[case.pk]), {"reason": "想知道是谁"})
    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    assert "You may not see who reported this case." in response.content.decode()
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.granted) == (people.handler, False)
    # The dispatcher at the centre is not the office concerned.
    assert PHONE in browse("dispatcher").post(reverse("web:reveal_reporter", args=[case.pk])).content.decode()


def test_a_role_without_the_right_gets_no_button_and_a_logged_refusal(case_at, browse, people):
    case = case_at("in_progress")
    client = browse("leader")
    html = client.get(page(case)).content.decode()
    assert reverse("web:reveal_reporter", args=[case.pk]) not in html
    assert "Your role does not let you see the reporter's full details." in html
    response = client.post(reverse("web:reveal_reporter", args=[case.pk]))
    assert response.status_code == 403 and PHONE not in response.content.decode()
    assert PersonalDataAccess.objects.get().granted is False


def test_an_anonymous_case_says_so(case_at, browse):
    case = case_at("submitted", reporter_name="", reporter_phone="")
    html = browse("dispatcher").get(page(case)).content.decode()
    assert "Anonymous: the reporter left no name or contact." in html
    assert reverse("web:reveal_reporter", args=[case.pk]) not in html


# ---------------------------------------------------------------------------- timeline


def test_the_timeline_shows_every_event_staff_may_see(case_at, browse, people):
    case = case_at("resolved")
    s.reopen_case(None, case, reason="路灯又坏了", by_reporter=True)
    sweep.run_sweep(now=timezone.now() + timedelta(days=60))
    events = list(CaseEvent.objects.filter(case=case))
    assert {e.public for e in events} == {True, False}
    html = browse("handler").get(page(case)).content.decode()
    assert html.count('<li class="event ') == len(events)
    assert html.count('visibility-public">Seen by the reporter</span>') == sum(e.public for e in events)
    assert html.count('visibility-internal">Internal</span>') == sum(not e.public for e in events)
    for text in ("Dispatched", "To: 葛城街道办事处", "Accepted (已受理) → Dispatched (已派单)", "路灯已修复",
                 "路灯又坏了", "Overdue", 'who-staff">handler<', 'who-staff">dispatcher<',
                 'who-resident">Resident<', 'who-system">System<'):
        assert text in html, text


def test_a_residents_own_report_is_shown_as_the_residents(county, browse):
    data = s.NewCase(kind="complaint", category_code="urban.light", text="路灯不亮", lat=31.905, lng=108.605)
    case = s.create_case_by_resident(data, uploads=[SimpleUploadedFile("灯.png", PNG)])
    html = browse("dispatcher").get(page(case)).content.decode()
    assert html.count('who-resident">Resident<') == 2  # the report and its photo
    assert "who-system" not in html


# ---------------------------------------------------------------------------- files and duplicates


def test_it_lists_files_with_thumbnails_and_serves_them_in_scope(case_at, browse, people):
    case = case_at("dispatched")
    photo = s.add_attachment(people.dispatcher, case, SimpleUploadedFile("路灯.png", PNG))
    scan = s.add_attachment(people.dispatcher, case, SimpleUploadedFile("回执.pdf", PDF))
    client = browse("handler")
    html = client.get(page(case)).content.decode()
    photo_url = reverse("web:attachment", args=[case.pk, photo.pk])
    assert f'<img src="{photo_url}" alt="路灯.png"' in html and "回执.pdf" in html
    response = client.get(photo_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("inline")
    pdf = client.get(reverse("web:attachment", args=[case.pk, scan.pk]))
    assert pdf["Content-Disposition"].startswith("attachment")


def test_an_attachment_is_only_found_through_its_own_case(case_at, browse, people):
    case = case_at("dispatched")
    other = case_at("submitted")
    photo = s.add_attachment(people.dispatcher, case, SimpleUploadedFile("a.png", PNG))
    client = browse("dispatcher")
    assert client.get(reverse("web:attachment", args=[other.pk, photo.pk])).status_code == 404
    assert client.get(reverse("web:attachment", args=[case.pk, photo.pk + 1000])).status_code == 404


def test_merged_cases_link_to_each_other(case_at, browse, people):
    target = case_at("submitted")
    duplicate = s.merge_case(people.dispatcher, case_at("submitted"), into=target)
    client = browse("dispatcher")
    html = client.get(page(duplicate)).content.decode()
    assert f'<a href="{page(target)}">{display(target.tracking_code)}</a>' in html
    html = client.get(page(target)).content.decode()
    assert f'<a href="{page(duplicate)}">{display(duplicate.tracking_code)}</a>' in html


# ---------------------------------------------------------------------------- the rating code


def shows_rating_code(client, case) -> bool:
    html = client.get(page(case)).content.decode()
    assert display(case.tracking_code) in html  # the page itself is there
    return rating_code(case.tracking_code) in html and "case-rating-code" in html


@pytest.mark.parametrize(("persona", "shown"), [
    ("dispatcher", True),  # does the follow-up
    ("gridworker", True),  # may follow up in the grid
    ("admin", True),
    ("handler", False),  # wrote the answer that would be rated
    ("supervisor", False),
    ("leader", False),
])
def test_the_rating_code_is_shown_only_to_staff_who_may_follow_up(case_at, browse, persona, shown):
    case = case_at("resolved")
    assert shows_rating_code(browse(persona), case) is shown


def test_staff_who_registered_the_case_see_its_rating_code(case_at, browse, people):
    case = case_at("resolved")
    handler = browse("handler")
    assert not shows_rating_code(handler, case)
    Case.objects.filter(pk=case.pk).update(created_by=people.handler)
    assert shows_rating_code(handler, case)
