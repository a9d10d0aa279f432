"""A petitioner's path in a real browser on a phone: a petition sent online on /petition (the codes
noted from the page after sending), a leader reception slot booked from /track with the rating
code, the receipt notice read on /track once the petition office has routed the petition, the
written answer read there once the competent body has accepted and answered it, and a review
asked for within the window, whose own tracking code the page then shows. The staff's steps are
service calls, as the staff pages have browser tests of their own."""

from datetime import timedelta

from django.utils import timezone

from anju.cases.choices import Status
from anju.cases.models import Case
from anju.lib import tracking
from anju.lib.workdays import LOCAL
from anju.petitions import services
from anju.petitions.choices import BookedVia, Level
from anju.petitions.models import Booking
from anju.petitions.tests import flow
from anju.web.tests.browser.conftest import PHONE, answer_human_check, screenshot, zh

NAME, PHONE_NUMBER = "刘桂兰", "13700006789"


def fits_the_phone(page) -> bool:
    """Nothing wider than the phone's screen: no sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_petitioner_petitions_online_books_a_reception_reads_the_answer_and_asks_for_review(
        open_page, people, petitions, county, quick_human_check):
    people.leader.display_name = "李县长"
    people.leader.save(update_fields=["display_name"])
    start = (timezone.now() + timedelta(days=2)).astimezone(LOCAL).replace(hour=9, minute=0, second=0, microsecond=0)
    day = services.plan_reception_day(people.supervisor, leader_id=people.leader.pk, region_code=county.county.code,
                                      place="县信访接待中心（县政务中心二楼）", starts_at=start,
                                      ends_at=start + timedelta(hours=2), slot_minutes=30, per_slot=2, topic="征地拆迁")

    # 1. The petitioner writes the petition on a phone, without an account.
    page = open_page(phone=True)
    page.goto("/petition")
    assert fits_the_phone(page)
    screenshot(page, "petition-10-form-375")
    page.get_by_label(zh("What is the petition about?")).select_option("petition.land")
    page.get_by_label(zh("The matter")).fill("土城社区5组的征地补偿款自2025年起只发放了一半，村委会一直没有说明原因。")
    page.get_by_label(zh("What do you ask for?")).fill("请求足额发放征地补偿款，并公开补偿标准。")
    page.get_by_label(zh("Township or street")).select_option(county.gecheng.code)
    page.get_by_label(zh("Village or community (optional)")).select_option(county.tucheng.code)
    page.get_by_label(zh("The body you complain about (optional)")).select_option(county.gecheng_office.code)
    page.get_by_label(zh("How many people petition together?")).fill("3")
    page.get_by_label(zh("Your name (optional)")).fill(NAME)
    page.get_by_label(zh("Your phone (optional)")).fill(PHONE_NUMBER)
    answer_human_check(page)
    screenshot(page, "petition-11-form-filled-375")
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Send the petition")).click()
    code_shown = page.get_by_label(zh("Tracking code")).inner_text().strip()
    rating_shown = page.get_by_label(zh("Rating code")).inner_text().strip()
    assert fits_the_phone(page)
    screenshot(page, "petition-12-codes-375")
    case = Case.objects.get(tracking_code=tracking.normalise(code_shown))
    assert rating_shown == tracking.rating_code(case.tracking_code)
    assert case.kind == "petition" and case.status == Status.SUBMITTED and case.about_office == county.gecheng_office
    assert case.petition.group_size == 3 and case.petition.petitioners.get().name == NAME
    assert code_shown not in page.url and rating_shown not in page.url

    # 2. It books a slot of the reception day from the tracking page, with the rating code.
    page.get_by_role("link", name=zh("Follow my petition")).click()
    page.wait_for_url("**/track")
    reception = page.get_by_role("region", name=zh("Meet a leader (领导接访)"))
    slot_at = day.starts_at + timedelta(minutes=30)
    reception.locator("select").select_option(f"{day.pk}|{slot_at.astimezone(LOCAL).isoformat()}")
    reception.get_by_label(zh("Rating code")).fill(rating_shown.lower())
    with page.expect_navigation():
        reception.get_by_role("button", name=zh("Book this time")).click()
    booking = Booking.objects.get()
    assert booking.petition.case_id == case.pk and booking.slot_at == slot_at and booking.via == BookedVia.PUBLIC
    assert "县信访接待中心" in page.get_by_role("region", name=zh("Meet a leader (领导接访)")).inner_text()
    assert fits_the_phone(page)
    screenshot(page, "petition-20-booked-375")

    # 3. The petition office routes it to the township (转送): the receipt notice is on the page.
    services.route_petition(petitions.clerk, case, office_code=county.gecheng_office.code)
    page.goto("/track")
    notices = page.get_by_role("region", name=zh("Written notices"))
    receipt = notices.locator("article.letter").last
    assert "信访事项登记转送告知书" in receipt.inner_text()
    assert "刘**等3人：" in receipt.inner_text()
    assert "葛城街道办事处" in receipt.inner_text()
    assert NAME not in page.content() and PHONE_NUMBER not in page.content()
    assert fits_the_phone(page)
    screenshot(page, "petition-30-receipt-notice-375")

    # 4. The township accepts it and answers in writing; the petitioner reads the answer.
    case.refresh_from_db()
    services.accept_petition(people.handler, case)
    case.refresh_from_db()
    services.answer_petition(people.handler, case, flow.answer_text(
        findings="经核查，土城社区5组征地补偿款已按县政府批复标准于2026年6月足额拨付至村集体账户，由村集体分配。"))
    page.goto("/track")
    answer = page.get_by_role("region", name=zh("Written notices")).locator("article.letter").last
    answer_text = answer.inner_text()
    assert "信访事项处理意见书" in answer_text and "事实和理由" in answer_text and "第三十五条" in answer_text
    assert page.get_by_role("button", name=zh("It is not solved")).count() == 0
    assert NAME not in page.content() and PHONE_NUMBER not in page.content()
    assert fits_the_phone(page)
    screenshot(page, "petition-40-answer-375")

    # 5. It asks for a review within the window, with the rating code; the review's code is shown.
    review_section = page.locator("section.petition-review")
    assert "第三十五条" in review_section.inner_text()
    review_section.get_by_label(zh("Why do you disagree with the decision?")).fill(
        "村集体只向部分农户分配了补偿款，请求复查分配情况。")
    # A wrong rating code asks for nothing and is explained next to the field, the reason kept.
    review_section.get_by_label(zh("Rating code")).fill("AAAAAA" if rating_shown != "AAAAAA" else "BBBBBB")
    with page.expect_navigation():
        review_section.get_by_role("button").click()
    review_section = page.locator("section.petition-review")
    assert review_section.locator(".field-invalid .field-error").is_visible()
    assert Case.objects.count() == 1
    assert fits_the_phone(page)
    screenshot(page, "petition-45-wrong-rating-code-375")
    review_section.get_by_label(zh("Rating code")).fill(rating_shown)
    with page.expect_navigation():
        review_section.get_by_role("button").click()
    review = Case.objects.exclude(pk=case.pk).get()
    assert review.petition.level == Level.REVIEW and review.petition.parent.case_id == case.pk
    chain = page.get_by_role("region", name=zh("The matter's path"))
    assert tracking.display(review.tracking_code) in chain.inner_text()
    assert tracking.rating_code(review.tracking_code) in chain.inner_text()
    assert fits_the_phone(page)
    screenshot(page, "petition-50-review-asked-375")

    # 6. The public calendar shows the day with one place fewer in the booked slot.
    page.get_by_role("link", name=zh("Reception days")).first.click()
    page.wait_for_url("**/reception")
    assert "李县长" in page.content()
    assert fits_the_phone(page)
    screenshot(page, "petition-60-reception-calendar-375")
    assert page.js_errors == []


def test_a_petition_is_sent_and_a_slot_booked_without_javascript(open_page, people, petitions, county,
                                                                    quick_human_check):
    start = (timezone.now() + timedelta(days=3)).astimezone(LOCAL).replace(hour=14, minute=0, second=0, microsecond=0)
    day = services.plan_reception_day(people.supervisor, leader_id=people.leader.pk, region_code=county.gecheng.code,
                                      place="葛城街道综治中心", starts_at=start, ends_at=start + timedelta(hours=1))
    page = open_page(phone=True, javascript=False)
    page.goto("/petition")
    assert page.locator("[data-pickmap]").is_hidden()  # the map needs JavaScript; the lists do not
    page.get_by_label(zh("What is the petition about?")).select_option("petition.conduct")
    page.get_by_label(zh("The matter")).fill("办事窗口多次以材料不全为由拒绝受理低保申请，却不一次性告知缺什么材料。")
    page.get_by_label(zh("Township or street")).select_option(county.gecheng.code)
    answer_human_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Send the petition")).click()
    rating_shown = page.get_by_label(zh("Rating code")).inner_text().strip()
    case = Case.objects.get()
    assert case.reporter is None and case.region == county.gecheng  # anonymous, placed by the list
    page.get_by_role("link", name=zh("Follow my petition")).click()
    reception = page.get_by_role("region", name=zh("Meet a leader (领导接访)"))
    reception.locator("select").select_option(f"{day.pk}|{start.isoformat()}")
    reception.get_by_label(zh("Rating code")).fill(rating_shown)
    with page.expect_navigation():
        reception.get_by_role("button", name=zh("Book this time")).click()
    assert Booking.objects.get().petition.case_id == case.pk
    assert fits_the_phone(page)
    screenshot(page, "petition-70-booked-without-javascript-375")
