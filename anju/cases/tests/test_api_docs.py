"""The API's interactive documentation (/api/v1/docs) loads its scripts, styles and icons from
Anju's own static files only: many county networks are closed, and a CDN would also choose the
version."""

from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client

DOCS = "/api/v1/docs"


class Assets(HTMLParser):
    """The addresses of the scripts, style sheets and icons a page loads."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "img" and attrs.get("src"):
            self.urls.append(attrs["src"])


def assets_of(html: str) -> list[str]:
    parser = Assets()
    parser.feed(html)
    return parser.urls


def test_the_docs_page_loads_only_our_own_static_files(db):
    response = Client().get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    urls = assets_of(html)
    assert any(url.endswith(".js") for url in urls) and any(url.endswith(".css") for url in urls)
    static_url = static("")
    for url in urls:
        assert url.startswith(static_url), url
        assert finders.find(url.removeprefix(static_url)), url
    assert "http://" not in html and "https://" not in html
