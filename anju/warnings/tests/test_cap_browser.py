"""The CAP import page in Chromium against a live server: a refused document with its reasons,
then an accepted one passed on as a draft warning, on a desktop and a phone, with screenshots for
a person to look at (test-artifacts/screenshots/warnings-cap-import-*.png)."""

from datetime import timedelta

from django.utils import timezone

from anju.warnings import cap
from anju.warnings.models import Warning
from anju.warnings.tests import cap_fixtures
from anju.web.tests.browser import conftest as browser_kit
from anju.web.tests.browser.conftest import screenshot, sign_in

browser, media, open_page = browser_kit.browser, browser_kit.media, browser_kit.open_page


def upstream(**changes) -> str:
    now = timezone.now()
    times = {"sent": cap.format_time(now - timedelta(minutes=10)), "expires": cap.format_time(now + timedelta(days=1))}
    return cap_fixtures.upstream(**{**times, **changes}).decode()


def test_the_import_page_refuses_with_reasons_and_passes_a_good_alert_on(open_page, people, transactional_db):
    page = open_page()
    sign_in(page, "dispatcher")
    page.goto("/work/warnings/import/")
    page.locator("textarea[name=document]").fill(upstream(status="Real", sent="2026-07-01T06:00:00Z",
                                                          polygon="31.90,108.60 31.90,108.62 31.91,108.62"))
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".cap-reasons li").count() == 2
    screenshot(page, "warnings-cap-import-refused")

    page.locator("textarea[name=document]").fill(upstream())
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".cap-result").is_visible() and Warning.objects.count() == 1
    screenshot(page, "warnings-cap-import-accepted")

    phone = open_page(phone=True)
    sign_in(phone, "dispatcher")
    phone.goto("/work/warnings/import/")
    phone.locator("textarea[name=document]").fill(upstream(identifier="x-2", msg_type="Update"))
    phone.locator("form.card button[type=submit]").click()
    phone.wait_for_load_state()
    screenshot(phone, "warnings-cap-import-phone")
    assert page.js_errors == [] and phone.js_errors == []
