"""The warnings' pages in Chromium against a live server, with screenshots for a person to look at
(test-artifacts/screenshots/warnings-*.png): the board, a warning's page with its acknowledgement
board refreshing itself and a call recorded from it, the evacuation entered on a phone, the page of
an acknowledgement link, and the form of a new warning."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from anju.warnings import acks, evacuation
from anju.warnings.choices import AckState, EvacuationState, Responder
from anju.warnings.models import Acknowledgement, Evacuation
from anju.warnings.tests.test_acks import token_sent_to
from anju.web.tests.browser import conftest as browser_kit
from anju.web.tests.browser.conftest import screenshot, sign_in

# The browser fixtures, where pytest finds them.
browser, media, open_page = browser_kit.browser, browser_kit.media, browser_kit.open_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def in_progress(make_warning, desk, people):
    """An orange warning issued 20 minutes ago for 土城滑坡 and 土城沟: the first's monitor answered
    by the link, the second's passed on (no deputy) to the supervisors standing in for a duty
    officer; two households moved, one refused."""
    issued = timezone.now() - timedelta(minutes=20)
    warning = make_warning("orange", [desk.p1, desk.p2], now=issued, headline="葛城街道地质灾害气象风险橙色预警",
                           description="受持续强降雨影响，土城社区滑坡、泥石流风险高，预计未来24小时降雨仍将持续。")
    acks.acknowledge_by_link(token_sent_to("13800001111"), now=issued + timedelta(minutes=4))
    acks.sweep_acknowledgements(issued + timedelta(minutes=15))
    rows = list(Evacuation.objects.filter(warning=warning).order_by("household__point__code", "household_id"))
    evacuation.record(desk.grid1_worker, rows[0], evacuation.Entry(EvacuationState.MOVED), now=issued)
    evacuation.record(desk.grid1_worker, rows[1], evacuation.Entry(EvacuationState.REFUSED, reason="老人行动不便"),
                      now=issued)
    evacuation.record(people.handler, rows[3], evacuation.Entry(EvacuationState.MOVED, people_moved=2), now=issued)
    return warning


def test_the_board_and_a_warning_in_progress(open_page, in_progress, desk, people):
    page = open_page()
    sign_in(page, "handler")
    page.goto("/work/warnings/")
    card = page.locator(".warning-card")
    assert card.count() == 1 and "葛城街道地质灾害气象风险橙色预警" in card.inner_text()
    screenshot(page, "warnings-board")

    card.get_by_role("link").click()
    page.wait_for_url(f"**/work/warnings/{in_progress.pk}/")
    board = page.locator("#acks")
    assert board.locator(".ack-acknowledged").count() == 1 and board.locator(".ack-escalated").count() == 1
    assert "张**" in board.inner_text() and "张大山" not in page.content()
    assert page.locator("#evacuation tbody tr").count() == 2
    screenshot(page, "warnings-warning-page")

    # The board refreshes itself: an answer given elsewhere shows without reloading the page.
    stand_in = Acknowledgement.objects.get(warning=in_progress, responder=Responder.DUTY_OFFICER)
    acks.acknowledge_in_app(people.supervisor, stand_in)
    expect(page.locator("#acks .ack-point").nth(1)).to_contain_text("✓", timeout=20_000)
    assert page.locator("#acks .figure-bad").count() == 0
    screenshot(page, "warnings-warning-page-answered")
    assert page.js_errors == []


def test_a_call_is_recorded_from_the_board(open_page, in_progress, people):
    page = open_page()
    sign_in(page, "handler")
    page.goto(f"/work/warnings/{in_progress.pk}/")
    page.locator("#acks .ack-call button").first.click()
    page.wait_for_url(re.compile(r".*/work/warnings/\d+/#acks$"))
    assert Acknowledgement.objects.filter(warning=in_progress, channel="call", recorded_by=people.handler).exists()
    assert page.locator("#acks .ack-call").count() == 0
    assert page.js_errors == []


def test_a_grid_worker_enters_the_evacuation_on_a_phone(open_page, in_progress, desk):
    phone = open_page(phone=True)
    sign_in(phone, desk.grid1_worker.username)
    phone.goto(f"/work/warnings/{in_progress.pk}/")
    phone.get_by_role("link", name=re.compile("转移|evacuation", re.I)).first.click()
    phone.wait_for_url(f"**/work/warnings/{in_progress.pk}/evacuation/")
    assert phone.locator(".household").count() == 5
    screenshot(phone, "warnings-evacuation-phone")
    waiting = phone.locator(".household").filter(has=phone.locator(".state-to_move")).first
    waiting.locator("input[type=number]").fill("2")
    waiting.get_by_role("button", name=re.compile("已转移|Moved")).click()
    phone.wait_for_url(re.compile(r".*/evacuation/#h\d+$"))
    assert Evacuation.objects.filter(warning=in_progress, state=EvacuationState.MOVED).count() == 3
    screenshot(phone, "warnings-evacuation-phone-entered")
    assert phone.js_errors == []


def test_the_link_s_page_on_a_phone(open_page, make_warning, desk):
    make_warning("red", [desk.p2], headline="土城沟泥石流红色预警", now=timezone.now())
    phone = open_page(phone=True)
    phone.goto(f"/ack/{token_sent_to('13700003333')}/")
    assert "王" not in phone.locator("main").inner_text()
    screenshot(phone, "warnings-ack-link")
    phone.locator("main button[type=submit]").click()
    expect(phone.locator(".ack-done")).to_be_visible()
    assert Acknowledgement.objects.get(point=desk.p2).state == AckState.ACKNOWLEDGED
    screenshot(phone, "warnings-ack-link-done")
    assert phone.js_errors == []


def test_the_form_of_a_new_warning(open_page, desk):
    page = open_page()
    sign_in(page, "dispatcher")
    page.goto("/work/warnings/new/")
    page.locator("#id_level").select_option("orange")
    page.locator("#id_area").select_option("500229001")
    page.get_by_label("DZ001 土城滑坡").check()
    page.locator("#id_headline").fill("葛城街道地质灾害橙色预警")
    page.locator("#id_description").fill("强降雨")
    screenshot(page, "warnings-new")
    page.get_by_role("button", name=re.compile("保存草稿|Save the draft")).click()
    page.wait_for_url(re.compile(r".*/work/warnings/\d+/$"))
    screenshot(page, "warnings-draft-page")
    assert page.js_errors == []
