"""Browser tests: Debian's Chromium, headless, driven by Playwright against a live test server.

Screenshots go to ``test-artifacts/screenshots/`` (ignored by git) for a person to look at.
"""

import os
import re
from pathlib import Path

import pytest
from django.db import connections
from django.utils import translation
from playwright.sync_api import sync_playwright

from anju.web import humancheck
from anju.web.case_forms import FORMS

CHROMIUM = os.environ.get("ANJU_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "screenshots"
# Without the background-networking flags Chromium keeps trying to reach outside hosts, which closed
# networks refuse; nothing in these tests needs them.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def browser():
    """One Chromium for a test module's browser tests (each test opens contexts of its own)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (installs Debian's chromium)")
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
        # still plain synchronous code, so Django's async guard would refuse them without this.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            # Queries made while Playwright's loop is current (the tests', the database flushes
            # after them) get a connection of their own; close it while that loop is still
            # current, or PostgreSQL refuses to drop the test database at the end.
            connections.close_all()
            chromium.close()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def open_page(browser, live_server, media):
    """open_page(phone=False, locale="zh-CN", javascript=True) → a fresh browser context's page at the
    live server. Whatever the test, no page may break the Content-Security-Policy: Chromium reports
    each violation on the console, and the test fails at its end if one was."""
    contexts = []
    violations = []

    def make(*, phone: bool = False, locale: str = "zh-CN", javascript: bool = True):
        context = browser.new_context(
            java_script_enabled=javascript,
            base_url=live_server.url, viewport=PHONE if phone else DESKTOP, locale=locale,
            timezone_id="Asia/Shanghai", device_scale_factor=1, is_mobile=phone, has_touch=phone,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda message: "Content Security Policy" in message.text
                and violations.append(f"{page.url}: {message.text}"))
        page.js_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()
    assert violations == []


def sign_in(page, username: str, password: str = "pw") -> None:
    """Sign in through the real form."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/work/**")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def zh(text) -> str:
    """The Chinese the page shows for an English msgid (or a lazy label)."""
    with translation.override("zh-hans"):
        return str(translation.gettext(str(text)))


def answer_human_check(page) -> None:
    question = page.locator(".human-check .question").inner_text()
    a, b = (int(n) for n in re.findall(r"\d+", question)[:2])
    page.locator(".human-check input").fill(str(a + b))


def act(page, slug: str, **fields) -> None:
    """Open an action on the case page, fill its fields by label, press its button."""
    form_class = FORMS[slug]
    section = page.locator(f"#act-{slug}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    for label, value in fields.items():
        section.get_by_label(zh(label)).fill(value)
    with page.expect_navigation():
        section.get_by_role("button", name=zh(form_class.submit_label)).click()


@pytest.fixture
def quick_human_check(monkeypatch):
    # The check refuses answers given within 3 s of the question; a test types faster than a person.
    monkeypatch.setattr(humancheck, "MIN_AGE_SECONDS", 0)
