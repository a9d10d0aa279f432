"""The staff's side of a petition in a real browser, in Chinese: the petition office registers a
petition about 葛城街道 and routes it there; that office accepts and answers it without ever
seeing who petitioned; the county supervisor reads the workbench, the petition page and the
statistics; the leader's reception day. Screenshots of each page are saved to be looked at."""

from datetime import timedelta

from django.utils import timezone

from anju.cases.choices import Status
from anju.cases.models import Case
from anju.lib.workdays import LOCAL
from anju.petitions import services
from anju.petitions.tests import flow
from anju.web.tests.browser.conftest import screenshot, sign_in, zh

NAME, PHONE = "王秀英", "13800005678"


def open_action(page, key: str):
    section = page.locator(f"#act-{key}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    return section


def test_a_petition_is_registered_routed_accepted_and_answered_on_the_staff_pages(open_page, people, petitions,
                                                                                  county):
    # The petition office registers a petition about 葛城街道办事处 brought in by two villagers.
    page = open_page()
    sign_in(page, "clerk")
    page.goto("/work/petitions/new/")
    page.get_by_label(zh("How it came")).select_option("visit")
    page.get_by_label(zh("Category")).select_option("petition.land")
    page.get_by_label(zh("The matter (信访事项)")).fill("土城社区5组征地补偿款自2025年起只发放了一半，"
                                                       "街道征收办未作说明。")
    page.get_by_label(zh("The request (信访诉求)")).fill("请求足额发放征地补偿款并公开补偿标准。")
    page.get_by_label(zh("Grid, village or township")).select_option(county.grid1.code)
    page.get_by_label(zh("Body complained about")).select_option("gc")
    page.get_by_label(zh("Official complained about")).fill("街道征收办负责人")
    rows = page.locator(".petitioner-row")
    rows.nth(0).get_by_label(zh("Name")).fill(NAME)
    rows.nth(0).get_by_label(zh("Phone")).fill(PHONE)
    rows.nth(0).get_by_label(zh("Representative")).check()
    rows.nth(1).get_by_label(zh("Name")).fill("赵德明")
    screenshot(page, "petition-staff-10-register")
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Register the petition")).click()
    case = Case.objects.get(kind="petition")
    assert page.url.endswith(f"/work/petitions/{case.pk}/") and case.about_office.code == "gc"

    route = open_action(page, "route")
    route.get_by_label(zh("Competent body")).select_option("gc")
    with page.expect_navigation():
        route.get_by_role("button", name=zh("Route")).click()
    case.refresh_from_db()
    assert case.office.code == "gc" and case.status == Status.SUBMITTED
    screenshot(page, "petition-staff-20-routed")

    # The body complained about accepts and answers it, and never sees who petitioned.
    page = open_page()
    sign_in(page, "handler")
    page.goto("/work/petitions/")
    assert case.tracking_code[:4] in page.content().replace("-", "")
    screenshot(page, "petition-staff-30-body-workbench")
    page.goto(f"/work/petitions/{case.pk}/")
    assert NAME not in page.content() and PHONE not in page.content() and "王**" not in page.content()
    with page.expect_navigation():
        open_action(page, "accept").get_by_role("button", name=zh("Accept")).click()
    answer = open_action(page, "answer")
    answer.locator("input[value=not_support]").check()
    answer.get_by_label(zh("Facts and reasons")).fill("经核查，补偿款已按区政府批复标准足额拨付至村集体账户，"
                                                     "村集体已按户分配。")
    answer.get_by_label(zh("Legal basis")).fill("《中华人民共和国土地管理法》第四十八条")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        answer.get_by_role("button", name=zh("Send the answer")).click()
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.petition.decision == "not_support"
    assert NAME not in page.content()
    screenshot(page, "petition-staff-40-body-answered")

    # The county supervisor sees the petitioners masked, the notices and the statistics.
    start = (timezone.now() + timedelta(days=2)).astimezone(LOCAL).replace(hour=9, minute=0, second=0, microsecond=0)
    day = services.plan_reception_day(people.supervisor, leader_id=people.leader.pk, region_code="500229",
                                      place="县信访接待中心", starts_at=start, ends_at=start + timedelta(hours=2),
                                      topic="征地拆迁")
    other = flow.routed(people, now=None, text="移民安置补助发放不及时")
    services.book_reception(people.dispatcher, other, day_id=day.pk, slot_at=start)
    page = open_page()
    sign_in(page, "supervisor")
    page.goto(f"/work/petitions/{case.pk}/")
    assert "王**" in page.content() and NAME not in page.content()
    screenshot(page, "petition-staff-50-supervisor-petition")
    page.goto("/work/petitions/")
    screenshot(page, "petition-staff-60-supervisor-workbench")
    page.goto("/work/petitions/stats/")
    screenshot(page, "petition-staff-70-stats")
    page.goto(f"/work/reception/{day.pk}/")
    screenshot(page, "petition-staff-80-reception-day")
    assert page.js_errors == []
