"""Names in tooltips are text: a grid or township whose name looks like HTML shows that name in
the tooltips of the case page's map, the map of open cases and the dashboard's chart, and no
element is made of it."""

from anju.cases import services as s
from anju.web.tests.browser.conftest import sign_in

NAME = '<img src="x" class="planted" onerror="document.title=\'planted\'">土城第1网格'


def hover_grid(page, map_selector: str):
    """Move the mouse into the first grid outline on the map, off its middle (where the pin is),
    and return its tooltip."""
    outline = page.locator(f"{map_selector} path.leaflet-interactive").first
    outline.wait_for()
    box = outline.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 4, box["y"] + box["height"] / 4)
    tooltip = page.locator(f"{map_selector} .leaflet-tooltip:not(.township-label)")
    tooltip.wait_for()
    return tooltip


def test_a_grid_name_that_looks_like_html_is_shown_as_text(open_page, people, county, new_case):
    county.grid1.name = NAME
    county.grid1.save(update_fields=["name"])
    case = new_case()
    s.accept_case(people.dispatcher, case)
    page = open_page()
    sign_in(page, "dispatcher")

    page.goto(f"/work/cases/{case.pk}/")
    tooltip = hover_grid(page, "#case-map")
    assert tooltip.inner_text() == NAME
    assert tooltip.locator("img").count() == 0

    page.goto("/work/map/")
    page.locator("#case-map .leaflet-marker-icon").first.wait_for()
    tooltip = hover_grid(page, "#case-map")
    assert tooltip.inner_text() == NAME
    assert tooltip.locator("img").count() == 0

    assert page.locator("img.planted").count() == 0
    assert page.title() != "planted"
    assert page.js_errors == []


def test_a_township_name_that_looks_like_html_is_shown_as_text_in_a_chart_tooltip(open_page, people, county,
                                                                                    new_case):
    county.gecheng.name = NAME
    county.gecheng.save(update_fields=["name"])
    case = s.dispatch_case(people.dispatcher, s.accept_case(people.dispatcher, new_case()))
    s.resolve_case(people.handler, s.start_case(people.handler, case), reply="路灯已修复")
    page = open_page()
    sign_in(page, "supervisor")
    page.goto("/work/dashboard/")
    chart = page.locator('[data-chart="onTime"]')
    chart.locator("svg").wait_for()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = chart.get_by_text("土城第1网格")
    tooltip.wait_for()
    assert NAME in tooltip.inner_text()
    assert chart.locator("img").count() == 0
    assert page.title() != "planted"
    assert page.js_errors == []
