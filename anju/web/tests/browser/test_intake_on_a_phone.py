"""A grid worker registers what he finds on his round, on a phone, and is told of a likely duplicate."""

import re

from anju.cases.models import Case
from anju.lib import tracking
from anju.web.tests.browser.conftest import screenshot, sign_in, zh


def test_it_offers_a_nearby_duplicate_and_registers_the_case(open_page, people, county, new_case):
    earlier = new_case(text="土城社区 2 号楼前路灯不亮")
    page = open_page(phone=True)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 31.9052, "longitude": 108.6051})
    sign_in(page, "gridworker")
    page.goto("/work/new/")
    page.get_by_label(zh("Kind")).select_option("help")
    page.get_by_label(re.compile("^" + zh("Category"))).select_option(label="路灯故障")
    page.get_by_label(zh("What is the concern?")).fill("土城社区 2 号楼前的路灯晚上不亮")
    page.get_by_role("button", name=zh("Use my location")).click()
    page.locator("#pickmap-out").get_by_text("土城第1网格").wait_for()
    duplicates = page.locator("#duplicates")
    duplicates.get_by_role("link", name=tracking.display(earlier.tracking_code)).wait_for()
    screenshot(page, "60-intake-grid-worker-375")
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Register the case")).click()
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert case.grid_id == county.grid1.pk
    assert case.created_by == people.gridworker
    assert case.channel == "grid_worker"
    assert page.js_errors == []
