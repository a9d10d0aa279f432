"""The core flows work with JavaScript off: report, track, rate, act on a case."""

import re

from anju.cases import services as s
from anju.cases.choices import Status
from anju.cases.models import Case
from anju.lib import tracking
from anju.web.tests.browser.conftest import act, answer_human_check, screenshot, sign_in, zh


def test_it_reports_tracks_rates_and_acts_without_javascript(open_page, people, county, quick_human_check):
    resident = open_page(phone=True, javascript=False)
    resident.goto("/report")
    # No map without JavaScript: the place is an address and a township.
    assert not resident.locator("[data-pickmap]").is_visible()
    resident.get_by_label(zh("What is it about?")).select_option(label="路灯故障")
    resident.get_by_label(zh("Describe the concern")).fill("复兴街道太和社区村口的路灯不亮。")
    resident.get_by_label(zh("Address or landmark")).fill("太和社区村口")
    resident.get_by_label(zh("Township or street")).select_option(label="复兴街道")
    resident.get_by_label(zh("Stay anonymous")).check()
    answer_human_check(resident)
    screenshot(resident, "12-resident-report-no-javascript-375")
    resident.get_by_role("button", name=zh("Send the report")).click()
    code_shown = resident.get_by_label(zh("Tracking code")).inner_text().strip()
    rating_shown = resident.get_by_label(zh("Rating code")).inner_text().strip()
    case = Case.objects.get(tracking_code=tracking.normalise(code_shown))
    assert rating_shown == tracking.rating_code(case.tracking_code)
    assert case.region_id == county.fuxing.pk
    assert case.reporter is None or not (case.reporter.name or case.reporter.phone)

    dispatcher = open_page(javascript=False)
    sign_in(dispatcher, "dispatcher")
    dispatcher.goto(f"/work/cases/{case.pk}/")
    act(dispatcher, "accept")
    act(dispatcher, "dispatch")
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED
    assert case.office == county.fuxing_office

    resident.goto("/track")
    resident.get_by_label(zh("Tracking code")).fill(code_shown)
    resident.get_by_role("button", name=zh("Show my case")).click()
    assert code_shown in resident.content()
    assert "复兴街道" in resident.content()
    screenshot(resident, "13-resident-track-no-javascript-375")

    s.start_case(people.other_handler, case)
    s.resolve_case(people.other_handler, case, reply="路灯已修复。")
    resident.goto("/track")
    rate = resident.get_by_role("region", name=zh("Rate the answer"))
    rate.get_by_text("★★★★☆").click()
    rate.get_by_label(zh("Rating code")).fill(rating_shown)
    rate.get_by_role("button", name=zh("Send my rating")).click()
    case.refresh_from_db()
    assert (case.status, case.satisfaction) == (Status.CLOSED, 4)


def test_a_form_error_is_shown_next_to_its_field_without_javascript(open_page, people, county, new_case):
    case = new_case()
    handler_case = case
    dispatcher = open_page(javascript=False)
    sign_in(dispatcher, "dispatcher")
    dispatcher.goto(f"/work/cases/{handler_case.pk}/")
    section = dispatcher.locator("#act-reject")
    section.locator("summary").click()
    # Blank after trimming: the browser's own check lets it through, the server must not.
    section.get_by_label(re.compile("^" + zh("Reply to the reporter"))).fill("   ")
    section.get_by_role("button", name=zh("Reject")).click()
    section = dispatcher.locator("#act-reject")
    assert section.locator(".field-error").first.is_visible()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED
