"""The browser fixtures of the web app's browser tests (Chromium, a live server, screenshots)."""

from anju.web.tests.browser.conftest import browser, media, open_page  # noqa: F401
