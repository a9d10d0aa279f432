"""The rectification order (整改通知书) of a hazard printed by Chromium to an A4 PDF: one page or
two, its words in the PDF's text and no toolbar, and page 1 rendered to a PNG
(test-artifacts/screenshots/hazard-order-a4.png) for a person to look at."""

import re
import shutil
import subprocess
from datetime import date

import pytest

from anju.conftest import at
from anju.hazards import services
from anju.hazards.models import Hazard
from anju.web.tests.browser.conftest import SCREENSHOTS, sign_in


def _run(*args) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True, timeout=60).stdout


def test_the_rectification_order_prints_on_a4(open_page, people, hazards):
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm not found: run `make browser` (installs poppler-utils)")
    found = "一至六层楼梯间堆放纸箱、旧家具等杂物，堵塞疏散通道；物业负责人刘德胜称无处存放"
    answers = [services.Answer(1, "hazard", found), services.Answer(2, "pass"), services.Answer(3, "na")]
    services.submit_inspection(people.gridworker, services.NewInspection(
        site=hazards.tower.pk, answers=answers, signed_as="网格员 张三"), idempotency_key="print-1",
        now=at(2026, 11, 2, 9))
    case = Hazard.objects.get().case
    order = services.issue_order(hazards.housing_handler, case, due_on=date(2026, 11, 9), now=at(2026, 11, 2, 15),
                                 measures="清理一至六层楼梯间全部杂物，保持疏散通道畅通。\n在楼梯间设置禁止堆放警示标识，"
                                          "明确专人每日巡查。")
    page = open_page()
    sign_in(page, "housing_handler")
    page.goto(f"/work/hazards/{case.pk}/orders/1/print/")
    assert page.locator(".doc-title").inner_text() == "安全隐患整改通知书"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "hazard-order-a4.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    _run("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(SCREENSHOTS / "hazard-order-a4"))
    assert (SCREENSHOTS / "hazard-order-a4.png").exists()
    info = _run("pdfinfo", str(pdf))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 1 <= pages <= 2
    width, height = (float(v) for v in re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2
    text = re.sub(r"\s+", "", _run("pdftotext", "-layout", str(pdf), "-"))
    for words in ("安全隐患整改通知书", order.order_number, "城口县滨河物业管理有限公司：", "《消防法》第二十八条",
                  "请于2026年11月9日前整改完毕。", "县住房城乡建设委（印章）", "2026年11月2日", "被检查单位签收"):
        assert words in text, words
    # The unit's responsible person is a person: never on the paper. The toolbar is the screen's.
    assert "刘德胜" not in text and "Word" not in text and "docx" not in text
    assert page.js_errors == []


def test_the_ledger_on_screen_and_its_workbook_hold_the_same_rows(open_page, people, hazards, tmp_path):
    """The ledger page of the county (test-artifacts/screenshots/hazard-ledger.png) and the
    workbook its button downloads, read back row by row."""
    from openpyxl import load_workbook

    for key, (site, text, level) in enumerate([
            (hazards.tower, "一至六层楼梯间堆放纸箱、旧家具等杂物，堵塞疏散通道", "general"),
            (hazards.tower2, "配电箱线路老化，存在私拉乱接", "general"),
            (hazards.quarry, "边坡超高超陡，东侧已出现裂缝", "major")]):
        actor = hazards.emergency_handler if site == hazards.quarry else hazards.housing_handler
        passed = [services.Answer(n, "pass") for n in range(2, 3 if site == hazards.quarry else 4)]
        services.submit_inspection(actor, services.NewInspection(
            site=site.pk, answers=[services.Answer(1, "hazard", text, level=level), *passed], signed_as="检查员"),
            idempotency_key=f"ledger-{key}", now=at(2026, 11, 2 + key, 9))
    first = Hazard.objects.get(site=hazards.tower).case
    services.issue_order(hazards.housing_handler, first, measures="清理楼梯间全部杂物，保持疏散通道畅通",
                         due_on=date(2026, 11, 9), now=at(2026, 11, 2, 15))
    page = open_page()
    sign_in(page, "supervisor")
    page.goto("/work/hazards/ledger/")
    rows = page.locator(".ledger-table tbody tr")
    assert rows.count() == 3
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "hazard-ledger.png"), full_page=True)
    # The columns past the right edge, scrolled into view.
    page.locator(".ledger-table").evaluate("table => table.parentElement.scrollLeft = table.scrollWidth")
    page.screenshot(path=str(SCREENSHOTS / "hazard-ledger-right.png"), full_page=True)
    with page.expect_download() as download:
        page.locator(".ledger-head a[download]").click()
    path = tmp_path / "ledger.xlsx"
    download.value.save_as(str(path))
    sheet = load_workbook(path).active
    assert [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)] == [
        rows.nth(i).locator("td").nth(1).inner_text() for i in range(3)]
    assert page.js_errors == []
