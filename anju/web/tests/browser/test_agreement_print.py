"""The mediator drafts and signs the mediation agreement on the dispute page and prints it: the
print page on A4 with no navigation, as the browser prints it and as a PDF."""

import shutil
import subprocess
from datetime import timedelta

import pytest

from anju.disputes.models import MediationAgreement
from anju.disputes.tests.flow import dispute_in, today
from anju.web.tests.browser.conftest import SCREENSHOTS, screenshot, sign_in, zh


def fill(section, label: str, value: str) -> None:
    section.get_by_label(zh(label), exact=False).first.fill(value)


def test_the_mediator_drafts_signs_and_prints_the_agreement(open_page, people, mediation):
    case = dispute_in(people, mediation, "mediating")
    page = open_page()
    sign_in(page, "mediator")
    page.goto(f"/work/disputes/{case.pk}/")
    draft = page.locator("#act-draft")
    draft.locator("summary").click()
    fill(draft, "Main facts", "双方承包地相邻，2026年夏季暴雨后界桩移位，双方对半分地的归属发生争执。")
    fill(draft, "Matters in dispute", "土城社区3组两户之间约半分承包地的归属。")
    fill(draft, "Responsibility of each side", "界桩移位系雨水冲刷所致，双方均无过错。")
    fill(draft, "Agreed terms", "一、以原承包合同附图为准，重新测量并埋设界桩。\n二、测量费用由双方各承担一半。")
    fill(draft, "Manner of performance", "双方共同到场，村委会见证")
    fill(draft, "Perform by", (today() + timedelta(days=20)).isoformat())
    with page.expect_navigation():
        draft.get_by_role("button", name=zh("Save the draft")).click()
    agreement = MediationAgreement.objects.get(dispute__case=case)
    assert agreement.status == "draft"

    sign = page.locator(f"#act-sign-{agreement.pk}")
    sign.locator("summary").click()
    with page.expect_navigation():
        sign.get_by_role("button", name=zh("Put in effect")).click()
    agreement.refresh_from_db()
    assert agreement.status == "effective" and agreement.effective_on == today()
    window = page.locator(f"#agreement-{agreement.pk} .judicial-window")
    assert agreement.judicial_window_ends_on.isoformat() in window.inner_text()
    screenshot(page, "80-dispute-agreement-signed")

    with page.expect_navigation():
        page.locator(f"#agreement-{agreement.pk}").get_by_role("link", name=zh("Print")).click()
    assert "/print/" in page.url
    assert page.locator(".doc-title").inner_text().replace(" ", "") == "人民调解协议书"
    assert "张大山" in page.content() and "13800001111" in page.content()
    screenshot(page, "81-agreement-print-screen")
    page.emulate_media(media="print")
    assert not page.locator(".print-toolbar").is_visible()
    screenshot(page, "82-agreement-print-media")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / "83-agreement-a4.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    assert page.js_errors == []
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm not found: run `make browser` (installs poppler-utils)")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(SCREENSHOTS / "83-agreement-a4-page1")], check=True, timeout=60)
    assert (SCREENSHOTS / "83-agreement-a4-page1.png").exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    assert "人民调解协议书".replace("", " ").strip().replace(" ", "") in text.replace(" ", "")
    assert "司法确认" in text.replace(" ", "")
    # A4 at 80 dpi is 661 × 935 px.
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True, timeout=60).stdout
    assert "595.92 x 842.88 pts (A4)" in info or "595 x 842" in info or "(A4)" in info
