"""A resident on a phone finds the public statistics from the report page, switches the period, and
opens the map of open cases, where a pin says the topic and nothing about the reporter."""

from datetime import timedelta

from django.utils import timezone

from anju.cases import services as s
from anju.cases.choices import LocationPrecision
from anju.cases.models import Case
from anju.web.tests.browser.conftest import screenshot, zh


def test_a_resident_reads_the_statistics_and_the_map_on_a_phone(open_page, people, county, new_case):
    county.light.public_location = LocationPrecision.EXACT
    county.light.save()
    county.noise.public_location = LocationPrecision.GRID
    county.noise.save()
    d, h = people.dispatcher, people.handler
    start = timezone.now() - timedelta(days=5)
    for rating, took in ((5, 2), (3, 3)):
        case = new_case(now=start)
        case = s.dispatch_case(d, s.accept_case(d, case, now=start), now=start)
        case = s.start_case(h, case, now=start + timedelta(hours=1))
        case = s.resolve_case(h, case, reply="路灯已修复", now=start + timedelta(days=took, hours=-1))
        s.follow_up_case(d, case, satisfaction=rating, now=start + timedelta(days=took))
    # Open and accepted: only accepted cases are on the map.
    s.accept_case(d, new_case(lat=31.9071, lng=108.6032))
    s.accept_case(d, new_case(category_code="env.noise", lat=31.955, lng=108.705, text="夜间施工噪声"))
    new_case(confidential=True, lat=31.9062, lng=108.6071)

    page = open_page(phone=True)
    page.goto("/report")
    page.get_by_role("link", name=zh("How the county answers: public statistics and a map of open cases")).click()
    page.wait_for_url("**/public/")
    gecheng = page.locator("#townships tr[data-code='500229001']")
    assert gecheng.locator("[data-figure='received']").inner_text() == "4"  # two closed, one open, one confidential
    assert gecheng.locator("[data-figure='closed']").inner_text() == "2"
    assert gecheng.locator("[data-figure='satisfaction']").inner_text().startswith("4.0")
    # On a phone every figure carries its label: no table wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "public_stats_phone")

    page.get_by_role("link", name=zh("Last 12 months")).click()
    page.wait_for_url("**/public/?period=12m")
    assert page.locator(".period-switch [aria-current='page']").inner_text() == zh("Last 12 months")

    page.get_by_role("link", name=zh("Map of open cases")).first.click()
    page.wait_for_url("**/public/map/")
    page.locator("#public-map[data-loaded='2']").wait_for()
    page.locator(".leaflet-marker-icon .pin").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "路灯故障" in popup.inner_text() or "噪声扰民" in popup.inner_text()
    content = page.content()
    for case in Case.objects.all():
        assert case.tracking_code not in content
    assert "张三" not in content
    assert page.js_errors == []
    page.wait_for_timeout(400)  # let the popup's fade-in finish before the picture
    screenshot(page, "public_map_phone")
