"""The points register in Chromium against a live server, with screenshots for a person to look
at (test-artifacts/screenshots/points-*.png): the register, the map with points coloured by
their level, routes and shelters, a point's page with its chart, gaps and forms, the point's
form with its drawing map, and a household's 避险明白卡; on a phone too. No page breaks the
Content-Security-Policy or throws a script error."""

from datetime import timedelta

from anju.conftest import at
from anju.warnings import readings
from anju.warnings.readings import NewReading
from anju.web.tests.browser import conftest as browser_kit
from anju.web.tests.browser.conftest import SCREENSHOTS, screenshot, sign_in

browser, media, open_page = browser_kit.browser, browser_kit.media, browser_kit.open_page


def rain_for_three_days(points, now):
    """Hourly rain at the gauge: light, a four-hour gap, then a storm reaching orange now."""
    start = now - timedelta(hours=71)
    storm = [3, 6, 12, 18, 24, 42]
    for hour in range(72):
        moment = start + timedelta(hours=hour)
        if 40 <= hour < 44:
            continue
        mm = storm[hour - 66] if hour >= 66 else (1.5 if hour % 7 == 0 else 0)
        readings.record_readings(points.slope, [NewReading("rain", mm, moment)], device=points.gauge,
                                 now=moment + timedelta(minutes=1))
    readings.record_readings(points.slope, [NewReading("crack", 12.5, now - timedelta(hours=30)),
                                            NewReading("crack", 13.4, now - timedelta(hours=6))],
                             actor=points.monitor, now=now)


def test_the_register_map_and_a_points_page(open_page, points, people, transactional_db, warnings_clock):
    now = warnings_clock.set(at(2026, 7, 10, 8, 20))
    rain_for_three_days(points, at(2026, 7, 10, 8))
    from anju.warnings.models import MonitoringPoint

    MonitoringPoint.objects.filter(pk=points.rock.pk).update(level="yellow", level_since=now)
    page = open_page()
    sign_in(page, "admin")

    page.goto("/work/warnings/points/")
    assert page.locator(".point-table tbody tr").count() == 3
    assert page.locator(".point-table .level-orange").count() == 1
    screenshot(page, "points-register")

    page.goto("/work/warnings/points/map/")
    page.wait_for_selector("#points-map .shelter-icon")
    # Three points, one outline, one route; the shelter is a marker.
    assert page.locator("#points-map path.leaflet-interactive").count() >= 4
    assert page.locator("#points-map .shelter-icon").count() == 1
    page.wait_for_timeout(300)
    screenshot(page, "points-map")

    page.goto(f"/work/warnings/points/{points.slope.pk}/")
    page.wait_for_selector(".point-chart svg")
    assert page.locator(".gap-row").count() >= 1
    # The map draws once its data has come: wait for the shelter, then count.
    page.wait_for_selector("#points-map .shelter-icon")
    assert page.locator("#points-map .shelter-icon").count() == 1
    page.locator(".household-table .row-actions form button").first.click()
    assert page.get_by_text("王大山").is_visible()
    page.wait_for_selector(".point-chart svg")
    screenshot(page, "points-point-page")
    for section in ("readings", "households", "devices"):
        page.locator(f"#{section}").screenshot(path=str(SCREENSHOTS / f"points-point-{section}.png"))
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "points-point-top.png"))

    page.goto(f"/work/warnings/points/{points.slope.pk}/edit/")
    page.wait_for_selector("#draw-map .leaflet-interactive")
    screenshot(page, "points-point-form")

    page.goto(f"/work/warnings/points/{points.slope.pk}/households/{points.households[0].pk}/card/")
    assert page.locator(".card-sheet").count() == 1 and page.locator(".route-sketch polyline").count() == 1
    screenshot(page, "points-card")
    page.emulate_media(media="print")
    screenshot(page, "points-card-print")

    phone = open_page(phone=True)
    sign_in(phone, "grid1_worker")
    phone.goto(f"/work/warnings/points/{points.slope.pk}/")
    phone.wait_for_selector(".point-chart svg")
    screenshot(phone, "points-point-page-phone")
    assert page.js_errors == [] and phone.js_errors == []


def test_the_demo_countys_map_and_its_storm(open_page, transactional_db, warnings_clock):
    from anju.demo import build
    from anju.warnings import demo_points
    from anju.warnings.models import MonitoringPoint

    now = warnings_clock.set(at(2026, 7, 20, 10, 30))
    build.build_registers()
    demo_points.build_points(now=now)
    page = open_page()
    sign_in(page, "admin", "demo")
    page.goto("/work/warnings/points/map/")
    page.wait_for_selector("#points-map .leaflet-interactive")
    page.wait_for_timeout(300)
    screenshot(page, "points-demo-map")
    storm = MonitoringPoint.objects.exclude(level="").order_by("-level_since").first()
    page.goto(f"/work/warnings/points/{storm.pk}/")
    page.wait_for_selector(".point-chart svg")
    screenshot(page, "points-demo-storm-point")
    page.goto("/work/warnings/points/checks/?missing=1")
    screenshot(page, "points-demo-checks")
    page.goto("/work/warnings/rules/")
    screenshot(page, "points-demo-rules")
    assert page.js_errors == []
