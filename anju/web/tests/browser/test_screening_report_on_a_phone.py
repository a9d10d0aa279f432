"""Screening on a phone: a grid worker reports one dispute found in his grid, the worker of the
next grid reports that nothing was found, and the supervisor watches the coverage fill up
without reloading (htmx polls every 30 s)."""

import re
from datetime import timedelta

from anju.cases.models import Case
from anju.disputes import services
from anju.disputes.models import Dispute, ScreeningReport
from anju.disputes.tests.flow import today
from anju.people.models import RoleAssignment, User
from anju.web.tests.browser.conftest import screenshot, sign_in, zh


def test_grid_workers_report_from_a_phone_and_the_supervisor_sees_the_coverage(open_page, people, county,
                                                                                 mediation):
    screening = services.open_round(people.supervisor, title="春节前矛盾纠纷排查", region_code="500229001",
                                    starts_on=today(), ends_on=today() + timedelta(days=7), theme="欠薪、邻里纠纷")
    # The worker of 土城第2网格 only; the shared grid-worker persona covers the whole of 土城社区.
    second = User.objects.create_user("gridworker2", password="pw", display_name="网格员二")
    RoleAssignment.objects.create(user=second, role="grid_worker", region=county.grid2)

    phone = open_page(phone=True)
    sign_in(phone, "gridworker")
    phone.goto("/work/screening/reports/")
    phone.get_by_role("link", name="土城第1网格").click()
    phone.get_by_label(zh("One or more disputes (发现矛盾纠纷)")).check()
    row = phone.locator("fieldset.found-row").first
    row.get_by_label(re.compile("^" + re.escape(zh("Dispute type")))).select_option("dispute.wages")
    row.get_by_label(re.compile("^" + re.escape(zh("What is it about?")))).fill("工地拖欠12名工人三个月工资")
    row.get_by_label(re.compile("^" + re.escape(zh("People involved")))).fill("12")
    row.get_by_label(zh("Risk level"), exact=True).select_option("medium")
    row.get_by_label(re.compile("^" + re.escape(zh("Reason for the risk level")))).fill("临近春节，工人情绪激动")
    screenshot(phone, "70-screening-report-dispute-found-375")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the report form is {width} px wide on a 375 px phone"
    with phone.expect_navigation():
        phone.get_by_role("button", name=zh("Send the report")).click()
    assert "/work/screening/reports/" in phone.url
    report = ScreeningReport.objects.get(round=screening, grid=county.grid1)
    assert report.status == "submitted" and not report.nothing_found
    dispute = Dispute.objects.get(screening_report=report)
    assert (dispute.case.category.code, dispute.scale, dispute.risk_level) == ("dispute.wages", 12, "medium")
    assert dispute.case.office == mediation.committee or dispute.case.status == "submitted"

    supervisor = open_page()
    sign_in(supervisor, "supervisor")
    # The page's own clock, so that the test need not wait the 30 s of the poll in real time.
    supervisor.clock.install()
    supervisor.goto(f"/work/screening/{screening.pk}/")
    township = supervisor.locator('tr[data-township="500229001"]')
    assert "1 / 2" in township.inner_text()
    assert "土城第2网格" in supervisor.locator(".owing-grids").inner_text()

    other = open_page(phone=True)
    sign_in(other, "gridworker2")
    other.goto("/work/screening/reports/")
    assert other.get_by_role("link", name="土城第1网格").count() == 0
    other.get_by_role("link", name="土城第2网格").click()
    other.get_by_label(zh("Nothing found (无矛盾纠纷)")).check()
    other.get_by_label(re.compile("^" + re.escape(zh("Note (optional)")))).fill("已逐户走访，未发现矛盾纠纷")
    screenshot(other, "71-screening-report-nothing-found-375")
    with other.expect_navigation():
        other.get_by_role("button", name=zh("Send the report")).click()
    assert ScreeningReport.objects.get(round=screening, grid=county.grid2).nothing_found
    assert Case.objects.count() == 1

    # The supervisor's open page catches up by itself within the 30 s poll.
    assert "1 / 2" in township.inner_text()
    supervisor.clock.run_for("00:31")
    township.get_by_text("2 / 2").wait_for(timeout=10_000)
    supervisor.get_by_text(zh("Every grid has reported.")).wait_for()
    screenshot(supervisor, "72-screening-coverage-supervisor")
    for page in (phone, other, supervisor):
        assert page.js_errors == []
