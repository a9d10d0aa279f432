"""The API's interactive documentation works in a browser from Anju's own server alone."""

from urllib.parse import urlparse


def test_the_api_documentation_renders_without_any_other_host(open_page, live_server, db):
    page = open_page(locale="en-US")
    ours = urlparse(live_server.url).netloc
    elsewhere = []
    page.on("request", lambda request: request.url.startswith("http") and urlparse(request.url).netloc != ours
            and elsewhere.append(request.url))
    page.goto("/api/v1/docs")
    # Swagger UI builds the page from the whole OpenAPI document (every module's routes): on a
    # loaded 2-core machine that takes longer than the default 10 s.
    page.locator(".swagger-ui .info .title").get_by_text("Anju API").wait_for(timeout=45_000)
    page.locator(".opblock-summary-path").get_by_text("/api/v1/cases/inbox", exact=True).first.wait_for(
        timeout=45_000)
    assert elsewhere == []
    assert page.js_errors == []
