"""Every kind of written notice a petition's life produces, printed by Chromium to an A4 PDF: one
or two pages, the notice's words in the PDF's text, and page 1 rendered to a PNG
(test-artifacts/screenshots/petition-notice-<kind>.png) for a person to look at."""

import re
import shutil
import subprocess

import pytest

from anju.conftest import at
from anju.petitions import services
from anju.petitions.choices import Decision, NoticeKind
from anju.petitions.models import Notice
from anju.petitions.tests import flow
from anju.web.tests.browser.conftest import SCREENSHOTS, sign_in


def _petitions_with_every_notice(people, petitions) -> dict[str, Notice]:
    """A petition extended, answered, reviewed and re-examined; one not accepted; one on the
    concluded matter: every notice kind once."""
    case = flow.accepted(people, now=at(2026, 3, 2, 9))
    request = services.request_petition_extension(people.handler, case, days=20, reason="需要会同国土部门重新测量",
                                                  now=at(2026, 4, 20, 9))
    services.approve_petition_extension(people.supervisor, case, request_id=request.pk, now=at(2026, 4, 21, 9))
    services.answer_petition(people.handler, case, flow.answer_text(
        Decision.NOT_SUPPORT,
        findings="经核查，2019年征收土城社区5组土地时，补偿款已按区政府批复标准足额拨付至村集体账户。\n"
                 "村集体已于2020年1月按户分配，王秀英户应得款项已由其本人签字领取。\n"
                 "信访人所称的地上附着物补偿，经现场核对，已计入原补偿方案，不存在漏算。"),
        now=at(2026, 5, 12, 15))
    case.refresh_from_db()
    review = services.request_review(None, case, reason="补偿标准计算有误，请求复查", by_petitioner=True,
                                     now=at(2026, 5, 20, 9))
    services.route_petition(people.dispatcher, review, office_code="xzf", now=at(2026, 5, 20, 10))
    services.accept_petition(petitions.county_handler, review, now=at(2026, 5, 21, 9))
    services.answer_petition(petitions.county_handler, review, flow.answer_text(Decision.UPHELD),
                             now=at(2026, 6, 10, 9))
    review.refresh_from_db()
    reexamination = services.request_review(None, review, reason="请求复核", by_petitioner=True,
                                            now=at(2026, 6, 15, 9))
    services.route_petition(people.dispatcher, reexamination, office_code="szf", now=at(2026, 6, 15, 10))
    services.accept_petition(petitions.city_handler, reexamination, now=at(2026, 6, 16, 9))
    services.answer_petition(petitions.city_handler, reexamination, flow.answer_text(Decision.UPHELD),
                             now=at(2026, 7, 1, 9))
    declined = flow.register(people, now=at(2026, 3, 9, 9), text="邻居违章搭建影响采光", request="请求拆除违章建筑")
    services.decline_petition(people.dispatcher, declined, reason="属于相邻关系民事纠纷，不属于信访事项受理范围",
                              where_to_go="向人民法院提起民事诉讼，或申请人民调解委员会调解。", now=at(2026, 3, 10, 9))
    again = flow.register(people, now=at(2026, 8, 3, 9))
    services.answer_as_concluded(people.dispatcher, again, earlier_code=case.tracking_code,
                                 note="你（们）如对复核意见仍有异议，可以依法通过其他途径解决。", now=at(2026, 8, 4, 9))
    notices = {n.kind: n for n in Notice.objects.order_by("id")}
    assert set(notices) == set(NoticeKind.values)
    return notices


def _run(*args) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True, timeout=60).stdout


def test_every_kind_of_notice_prints_on_one_or_two_a4_pages(open_page, people, petitions):
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm not found: run `make browser` (installs poppler-utils)")
    notices = _petitions_with_every_notice(people, petitions)
    page = open_page()
    sign_in(page, "dispatcher")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for kind, notice in notices.items():
        name = f"petition-notice-{kind.replace('_', '-')}"
        page.goto(f"/work/petitions/{notice.petition.case_id}/notices/{notice.pk}/print/")
        assert page.locator(".doc-title").inner_text() == notice.content["title"]
        pdf = SCREENSHOTS / f"{name}.pdf"
        page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
        _run("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(SCREENSHOTS / name))
        assert (SCREENSHOTS / f"{name}.png").exists()
        info = _run("pdfinfo", str(pdf))
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        assert 1 <= pages <= 2, (kind, pages)
        width, height = (float(v) for v in re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, (kind, width, height)
        text = re.sub(r"\s+", "", _run("pdftotext", "-layout", str(pdf), "-"))
        for words in (notice.content["title"], notice.number, notice.content["date"], f"{notice.office.name}（印章）",
                      "王秀英、赵德明："):
            assert re.sub(r"\s+", "", words) in text, (kind, words)
        # The toolbar is the screen's, never the paper's.
        assert "Word" not in text and "docx" not in text
    assert page.js_errors == []
