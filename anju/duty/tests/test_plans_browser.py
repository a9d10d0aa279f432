"""The plans library, a plan's page and a drill's page in Chromium against a live server, with
screenshots for a person to look at (test-artifacts/screenshots/plans-*.png)."""

from datetime import date

from anju.duty import plans
from anju.duty.tests import plans_fixtures
from anju.web.tests.browser import conftest as browser_kit
from anju.web.tests.browser.conftest import screenshot, sign_in

# The fixtures of this module's tests, where pytest finds them.
clock, world = plans_fixtures.clock, plans_fixtures.world
browser, media, open_page = browser_kit.browser, browser_kit.media, browser_kit.open_page


def test_the_library_and_a_plan_page_show_their_flags_and_actions(open_page, world, county, transactional_db):
    never = world.plan("城口县地质灾害应急预案", approved_on=date(2022, 1, 5))
    fire = world.plan("城口县森林火灾应急预案", approved_on=date(2023, 1, 10))
    plans.approve_version(world.emergency_handler, fire, plans.NewVersion(date(2025, 3, 1), "县人民政府",
                                                                          "调整扑火指挥部成员单位"))
    drill = plans.plan_drill(world.emergency_handler, plans.NewDrill(fire.pk, "full_scale", "森林火灾扑救综合演练",
                                                                    date(2025, 11, 9)))
    plans.hold_drill(world.emergency_handler, drill, held_on=date(2025, 11, 9), units="县应急管理局、葛城街道办事处",
                     head_count=150, findings="扑火力量集结点设置偏远")
    plans.add_improvement(world.emergency_handler, drill, text="调整集结点至镇区", owner="gc", due_on=date(2026, 1, 31))
    plans.add_improvement(world.emergency_handler, drill, text="补充风力灭火机", owner="yjj", due_on=date(2026, 6, 30))
    plans.plan_drill(world.emergency_handler, plans.NewDrill(fire.pk, "tabletop", "春季防火桌面推演", date(2026, 4, 1)))
    world.plan("葛城街道防汛应急预案", kind="grassroots", owner=county.gecheng_office, approved_on=None)

    page = open_page()
    sign_in(page, "emergency_handler")
    page.goto("/work/duty/plans/")
    assert page.locator(".plan-table tbody tr").count() == 3
    assert page.locator(".plan-table").get_by_text("城口县地质灾害应急预案").is_visible()
    assert page.locator(".plan-table .due-overdue").count() == 2  # review overdue and not drilled, of one plan
    screenshot(page, "plans-library")

    page.goto(f"/work/duty/plans/{never.pk}/")
    assert page.locator(".plan-alerts .due-overdue").count() == 2
    assert page.locator("#approve_version").is_visible() and page.locator("#review").is_visible()
    screenshot(page, "plans-plan-page")

    page.goto(f"/work/duty/plans/{fire.pk}/")
    screenshot(page, "plans-plan-page-drilled")
    page.get_by_role("link", name="森林火灾扑救综合演练").click()
    assert page.locator(".case-table .due-overdue").count() == 1
    screenshot(page, "plans-drill-page")

    phone = open_page(phone=True)
    sign_in(phone, "emergency_handler")
    phone.goto("/work/duty/plans/")
    screenshot(phone, "plans-library-phone")
    assert page.js_errors == [] and phone.js_errors == []
