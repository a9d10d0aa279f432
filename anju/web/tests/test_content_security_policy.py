"""Every response carries a Content-Security-Policy that lets the pages load only Anju's own
scripts and styles (and images from the map tile server when one is set), and no template needs
more: no inline script, no inline event handler, no style attribute. The browser tests fail on
any violation Chromium reports (browser/conftest.py)."""

import re
from pathlib import Path

import pytest
from django.test import Client

from anju.lib import csp
from anju.lib.env import ConfigError

ANJU = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in header.split(";"))}


@pytest.mark.parametrize("url", ["/accounts/login/", "/report", "/work/", "/api/v1/docs", "/public/"])
def test_every_page_carries_the_policy(client, people, url):
    client.force_login(people.dispatcher)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_api_answers_carry_it_too(db):
    assert "Content-Security-Policy" in Client().get("/api/v1/me")


def test_with_debug_on_the_browser_only_reports_what_the_policy_would_block(client, db, settings):
    # Django's debug pages are made of inline styles and scripts.
    settings.DEBUG = True
    response = client.get("/report")
    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"] == settings.CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("tile_url,source", [
    ("https://tiles.example/{z}/{x}/{y}.png", "https://tiles.example"),
    ("https://{s}.tiles.example:8443/{z}/{x}/{y}.png", "https://*.tiles.example:8443"),
    ("http://10.1.2.3/tiles/{z}/{x}/{y}.png", "http://10.1.2.3"),
])
def test_map_tiles_are_allowed_from_the_tile_server_only(tile_url, source):
    assert directives(csp.policy(tile_url))["img-src"] == ["'self'", "data:", source]


@pytest.mark.parametrize("tile_url", ["tiles.example/{z}/{x}/{y}.png", "ftp://tiles.example/{z}.png",
                                      "https://tiles.{s}.example/{z}/{x}/{y}.png"])
def test_a_tile_url_whose_host_cannot_be_named_is_refused(tile_url):
    with pytest.raises(ConfigError):
        csp.policy(tile_url)


def test_the_configured_policy_reaches_the_response(client, db, settings):
    settings.CONTENT_SECURITY_POLICY = csp.policy("https://tiles.example/{z}/{x}/{y}.png")
    response = client.get("/report")
    assert "https://tiles.example" in directives(response["Content-Security-Policy"])["img-src"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
# An attribute named on…= (onclick, onchange …), not a word such as "common=".
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def test_no_template_has_an_inline_script_event_handler_or_style():
    found = []
    for path in sorted(ANJU.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for name, pattern in (("inline script", INLINE_SCRIPT), ("event handler", EVENT_HANDLER),
                              ("style attribute", STYLE_ATTRIBUTE), ("style element", STYLE_ELEMENT)):
            found += [f"{path.relative_to(ANJU)}: {name}: {m.group()[:80]}" for m in pattern.finditer(text)]
    assert found == []
