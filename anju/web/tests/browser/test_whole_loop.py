"""The whole loop in a real browser: a resident reports with a photo, the dispatcher accepts and
dispatches, the handler asks the reporter, resumes and resolves, the resident reads the reply and
says it is not solved (with the rating code shown after the report), the case reopens, and the
supervisor sees it on the dashboard."""

from anju.cases.choices import Status
from anju.cases.models import Attachment, Case, PersonalDataAccess
from anju.lib import tracking
from anju.web.tests.browser.conftest import act, answer_human_check, screenshot, sign_in, zh
from anju.web.tests.conftest import png

PHONE_NUMBER = "13912345678"


def test_it_goes_round_the_whole_loop(open_page, people, county, quick_human_check, tmp_path):
    # 1. A resident reports on a phone, with a photo and a phone number, using the phone's location.
    resident = open_page(phone=True)
    resident.context.grant_permissions(["geolocation"])
    resident.context.set_geolocation({"latitude": 31.905, "longitude": 108.605})
    resident.goto("/report")
    screenshot(resident, "10-resident-report-375")
    resident.get_by_label(zh("What is it about?")).select_option(label="路灯故障")
    resident.get_by_label(zh("Describe the concern")).fill("滨河路 3 号门口的路灯坏了一个星期，晚上很黑。")
    resident.get_by_role("button", name=zh("Use my location")).click()
    resident.locator("#pickmap-out").get_by_text("土城第1网格").wait_for()
    photo = tmp_path / "lamp.png"
    photo.write_bytes(png())
    resident.get_by_label(zh("Photos (optional)")).set_input_files(str(photo))
    resident.get_by_label(zh("Your name (optional)")).fill("李四")
    resident.get_by_label(zh("Your phone (optional)")).fill(PHONE_NUMBER)
    answer_human_check(resident)
    with resident.expect_navigation():
        resident.get_by_role("button", name=zh("Send the report")).click()
    code_shown = resident.get_by_label(zh("Tracking code")).inner_text().strip()
    rating_shown = resident.get_by_label(zh("Rating code")).inner_text().strip()
    screenshot(resident, "11-resident-tracking-code-375")
    code = tracking.normalise(code_shown)
    case = Case.objects.get(tracking_code=code)
    assert rating_shown == tracking.rating_code(code)
    assert case.status == Status.SUBMITTED
    assert case.grid_id == county.grid1.pk
    assert case.reporter.phone == PHONE_NUMBER
    assert Attachment.objects.filter(case=case).count() == 1
    assert resident.js_errors == []

    # 2. The dispatcher finds it in the queue of cases not yet accepted, accepts and dispatches it.
    dispatcher = open_page()
    sign_in(dispatcher, "dispatcher")
    screenshot(dispatcher, "20-workbench-dispatcher")
    dispatcher.locator('[data-tile="unaccepted"]').click()
    dispatcher.get_by_role("link", name=code_shown).click()
    act(dispatcher, "accept", Note="已受理，转属地办理。")
    act(dispatcher, "dispatch")
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED
    assert case.office == county.gecheng_office
    assert dispatcher.js_errors == []

    # 3. The handler starts it, asks the reporter, resumes and resolves with a reply.
    handler = open_page()
    sign_in(handler, "handler")
    screenshot(handler, "30-workbench-handler")
    handler.goto(f"/work/cases/{case.pk}/")
    assert PHONE_NUMBER not in handler.content()
    act(handler, "start")
    act(handler, "wait", **{"Question to the reporter": "请问是哪一根灯杆？门口有两根。"})
    case.refresh_from_db()
    assert case.status == Status.WAITING

    resident.goto("/track")
    resident.get_by_label(zh("Tracking code")).fill(code_shown.lower())
    with resident.expect_navigation():
        resident.get_by_role("button", name=zh("Show my case")).click()
    assert "请问是哪一根灯杆" in resident.content()

    act(handler, "resume")
    reply = "已更换滨河路 3 号门口东侧灯杆的灯具，经夜间查看已正常照明。"
    act(handler, "resolve", **{"Reply to the reporter": reply})
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    screenshot(handler, "31-case-page-resolved")
    assert handler.js_errors == []

    # 4. The resident reads the reply by tracking code, never sees the phone number, says "not solved".
    resident.goto("/track")
    assert reply in resident.content()
    assert PHONE_NUMBER not in resident.content()
    assert PHONE_NUMBER[-4:] not in resident.content()
    screenshot(resident, "40-resident-track-resolved-375")
    not_solved = resident.get_by_role("region", name=zh("Not solved?"))
    not_solved.get_by_label(zh("What is still wrong?")).fill("晚上八点以后还是不亮。")
    # A wrong rating code changes nothing and is explained next to the field.
    not_solved.get_by_label(zh("Rating code")).fill("AAAAAA" if rating_shown != "AAAAAA" else "BBBBBB")
    resident.once("dialog", lambda dialog: dialog.accept())
    with resident.expect_navigation():
        not_solved.get_by_role("button", name=zh("It is not solved")).click()
    not_solved = resident.get_by_role("region", name=zh("Not solved?"))
    assert not_solved.locator(".field-invalid .field-error").is_visible()
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    screenshot(resident, "42-resident-wrong-rating-code-375")
    not_solved.get_by_label(zh("Rating code")).fill(rating_shown.lower())
    resident.once("dialog", lambda dialog: dialog.accept())
    with resident.expect_navigation():
        not_solved.get_by_role("button", name=zh("It is not solved")).click()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.reopen_count == 1
    assert PHONE_NUMBER not in resident.content()
    screenshot(resident, "41-resident-track-reopened-375")
    assert resident.js_errors == []

    # 5. The supervisor sees the reopened case on the dashboard, then on the map and in the case page.
    supervisor = open_page()
    sign_in(supervisor, "supervisor")
    supervisor.goto("/work/dashboard/")
    reopened = supervisor.locator("#reopened")
    assert reopened.get_by_role("link", name=code_shown).is_visible()
    screenshot(supervisor, "50-dashboard")
    supervisor.goto("/work/map/")
    supervisor.locator(".leaflet-marker-icon").first.wait_for()
    screenshot(supervisor, "51-map")
    supervisor.goto(f"/work/cases/{case.pk}/")
    screenshot(supervisor, "52-case-page-supervisor")
    assert supervisor.js_errors == []

    # 6. A handler of another township gets "not found" for the case's page.
    outsider = open_page()
    sign_in(outsider, "other_handler")
    response = outsider.goto(f"/work/cases/{case.pk}/")
    assert response.status == 404
    assert not PersonalDataAccess.objects.filter(case=case, user=people.other_handler).exists()
