"""A grid worker inspects a high-rise on a phone: he answers the checklist item by item, marks one
item as a hazard, and taps "send" twice in quick succession; one inspection and one hazard are
stored. The housing bureau's handler then issues the rectification order on the hazard page."""

import threading
import time
from datetime import timedelta

from django.utils import timezone

from anju.hazards import services
from anju.hazards.models import Hazard, Inspection, RectificationRound
from anju.lib.tracking import display
from anju.lib.workdays import LOCAL
from anju.web.tests.browser.conftest import screenshot, sign_in, zh
from anju.web.tests.conftest import png


def test_a_double_tap_on_send_stores_one_inspection_and_one_hazard(open_page, people, hazards, monkeypatch):
    # Each submission that reaches the server is counted, and the first answer is held back a
    # moment, as on a slow mobile network, so that the second tap lands while it is on its way.
    # The two write one after the other, as SQLite's file database makes them wait their turn:
    # the in-memory database of the tests would refuse the second at once. (On PostgreSQL two at
    # the same instant meet at the unique key, which the service reads as the same inspection.)
    reached = []
    turn = threading.Lock()
    submit = services.submit_inspection

    def slow_submit(actor, data, *, idempotency_key, now=None):
        with turn:
            result = submit(actor, data, idempotency_key=idempotency_key, now=now)
            reached.append((idempotency_key, result[1]))
        if len(reached) == 1:
            time.sleep(2.0)
        return result

    monkeypatch.setattr(services, "submit_inspection", slow_submit)

    phone = open_page(phone=True)
    sign_in(phone, "gridworker")
    phone.goto(f"/work/hazards/sites/{hazards.tower.pk}/")
    phone.get_by_role("link", name=zh("Inspect now")).click()
    phone.wait_for_url(f"**/sites/{hazards.tower.pk}/inspect/")
    phone.locator('input[name="item_1_result"][value="hazard"]').check()
    phone.locator("#id_item_1_note").fill("一楼消防通道堆放电动车并充电，堵塞通道")
    phone.locator('input[name="item_2_result"][value="pass"]').check()
    phone.locator('input[name="item_3_result"][value="na"]').check()
    # The level is asked for the hazard only.
    assert phone.locator("#id_item_1_level").is_visible() and not phone.locator("#id_item_2_level").is_visible()
    phone.locator("#id_item_1_level").select_option("general")
    phone.locator("#id_photos").set_input_files([{"name": "通道.png", "mimeType": "image/png", "buffer": png(64, 48)}])
    phone.locator("#id_signed_as").fill("网格员 王五")
    screenshot(phone, "90-hazard-inspection-filled-375")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the inspection form is {width} px wide on a 375 px phone"

    send = phone.get_by_role("button", name=zh("Send the inspection"))
    send.scroll_into_view_if_needed()
    # Two taps 300 ms apart, from the page itself (Playwright's own clicks would wait for the
    # navigation the first one started, which a thumb does not). The second tap's navigation
    # replaces the first one's, whose answer the phone drops: wait for the page to arrive rather
    # than for one navigation, as Playwright's waits fail on the dropped one.
    send.evaluate("button => { button.click(); setTimeout(() => button.click(), 300); }")
    deadline = time.monotonic() + 30
    while "/work/hazards/inspections/" not in phone.url and time.monotonic() < deadline:
        phone.wait_for_timeout(100)
    phone.wait_for_load_state()
    assert len(reached) == 2 and reached[0][0] == reached[1][0], reached
    assert [created for _key, created in reached] == [True, False]
    assert Inspection.objects.count() == 1 and Hazard.objects.count() == 1
    inspection = Inspection.objects.get()
    hazard = Hazard.objects.get()
    assert inspection.photos.count() == 1 and hazard.item_number == 1 and hazard.site == hazards.tower
    phone.get_by_role("link", name=display(hazard.case.tracking_code)).wait_for()
    screenshot(phone, "91-hazard-inspection-sent-375")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the inspection page is {width} px wide on a 375 px phone"

    # The supervising department orders the rectification from the hazard page.
    desk = open_page()
    sign_in(desk, "housing_handler")
    desk.goto(f"/work/hazards/{hazard.case_id}/")
    action = desk.locator("#act-order")
    action.locator("summary").click()
    measures = "立即清理一楼消防通道内的电动车，禁止在楼道内充电，设置集中充电点"
    action.get_by_label(zh("Measures required")).fill(measures)
    due = (timezone.now().astimezone(LOCAL) + timedelta(days=7)).date()
    action.get_by_label(zh("Rectify by")).fill(due.isoformat())
    with desk.expect_navigation():
        action.get_by_role("button", name=zh("Issue the order")).click()
    round_ = RectificationRound.objects.get()
    assert round_.hazard == hazard and round_.due_at.astimezone(LOCAL).date() == due
    desk.get_by_text(round_.order_number).wait_for()
    assert desk.locator("#act-rectified").count() == 1 and desk.locator("#act-order").count() == 0
    screenshot(desk, "92-hazard-page-order-issued")
    for page in (phone, desk):
        # Nothing may still be on its way to the live server when the test's database goes.
        page.wait_for_load_state("networkidle")
        assert page.js_errors == []
