"""The unit's responsible person is a contact, masked wherever shown, and hidden in every word
written about the site too: its risk notes, an inspection's notes, a listed hazard's weekly
progress and its acceptance record are kept whole and shown redacted on the pages, in the API,
the ledger and the printed order; an edit of a redacted copy keeps what the marks hid, and a new
contact is hidden in what was written before."""

import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from anju.conftest import at
from anju.hazards import services
from anju.hazards.models import Hazard, Inspection, InspectionAnswer, ListingProgress, Site
from anju.hazards.tests.test_api_sites import client as api_client
from anju.hazards.tests.test_pages_hazard import client_for
from anju.lib.redact import MARK

MONDAY = at(2026, 11, 2, 9)
# The quarry's contact is 陈国强, 13600002222; each text names them in another form.
RISK = "负责人陈国强（电话136-0000-2222）常驻矿部，边坡东侧雨后易滑塌"
ANSWER = "边坡超高超陡，陈国强称下周处理，联系电话 136 0000 2222"
NOTE = "现场由陈国强陪同检查"
PROGRESS = "已约谈陈国强，13600002222 承诺月底前完成削坡"
ACCEPTANCE = "经验收合格，陈国强签字确认"
WORDS = ("陈国强", "13600002222", "136-0000-2222", "136 0000 2222")


def shows_no_one(text: str) -> bool:
    return not any(word in text for word in WORDS)


def inspected(people, hazards):
    quarry = hazards.quarry
    quarry.risk_notes = RISK
    quarry.save()
    answers = [services.Answer(1, "hazard", ANSWER, level="major"), services.Answer(2, "pass")]
    inspection, _created = services.submit_inspection(hazards.emergency_handler, services.NewInspection(
        site=quarry.pk, answers=answers, signed_as="应急局 王五", note=NOTE), idempotency_key="k-words", now=MONDAY)
    case = Hazard.objects.get().case
    services.record_work_stopped(hazards.emergency_handler, case, stopped_on=date(2026, 11, 2), now=MONDAY)
    services.issue_order(hazards.emergency_handler, case, measures="削坡减载", due_on=date(2026, 12, 1), now=MONDAY)
    services.list_hazard(people.supervisor, case, owner="yjj", due_on=date(2026, 12, 31), now=MONDAY)
    services.record_progress(hazards.emergency_handler, case, note=PROGRESS, now=at(2026, 11, 6, 9))
    return inspection, case


def test_every_text_about_a_site_is_kept_whole_and_shown_without_its_contact(people, hazards):
    inspection, case = inspected(people, hazards)
    quarry = Site.objects.get(pk=hazards.quarry.pk)
    answer = InspectionAnswer.objects.get(inspection=inspection, item__number=1)
    entry = ListingProgress.objects.get()
    written = {(quarry.risk_notes, quarry.risk_notes_whole): RISK,
               (Inspection.objects.get().note, Inspection.objects.get().note_whole): NOTE,
               (answer.note, answer.note_whole): ANSWER, (entry.note, entry.note_whole): PROGRESS}
    for (shown, whole), text in written.items():
        assert whole == text
        assert MARK in shown and shows_no_one(shown), shown
    assert "边坡东侧雨后易滑塌" in quarry.risk_notes


def test_no_page_api_answer_or_document_names_the_contact(people, hazards):
    inspection, case = inspected(people, hazards)
    pages = client_for(people, hazards, "emergency_handler")
    api = api_client(hazards.emergency_handler)
    answers = {
        "site page": pages.get(reverse("hazards:site_detail", args=[hazards.quarry.pk])),
        "inspection page": pages.get(reverse("hazards:inspection_detail", args=[inspection.pk])),
        "hazard page": pages.get(reverse("hazards:detail", args=[case.pk])),
        "order": pages.get(reverse("hazards:order_print", args=[case.pk, 1])),
        "site API": api.get(f"/api/v1/sites/{hazards.quarry.pk}"),
        "sites API": api.get("/api/v1/sites"),
        "inspection API": api.get(f"/api/v1/inspections/{inspection.pk}"),
        "hazard API": api.get(f"/api/v1/hazards/{case.pk}"),
    }
    for what, response in answers.items():
        assert response.status_code == 200, what
        body = response.content.decode()
        assert shows_no_one(body), what
    assert "边坡东侧雨后易滑塌" in answers["site page"].content.decode()
    assert "承诺月底前完成削坡" in answers["hazard page"].content.decode()
    ledger = pages.get(reverse("hazards:ledger"))
    assert ledger.status_code == 200
    sheet = load_workbook(io.BytesIO(ledger.content)).active
    assert shows_no_one(" ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell))


def test_a_delisting_record_hides_the_contact(people, hazards):
    _inspection, case = inspected(people, hazards)
    services.reinspect(hazards.emergency_handler, case, passed=True, evidence="边坡已削至设计坡比",
                       now=at(2026, 12, 2, 9))
    listing = services.delist(people.supervisor, Hazard.objects.get(case=case).case, acceptance=ACCEPTANCE,
                              now=at(2026, 12, 3, 9))
    listing.refresh_from_db()
    assert listing.acceptance_whole == ACCEPTANCE and shows_no_one(listing.acceptance)


def test_editing_the_redacted_notes_keeps_what_the_marks_hid(people, hazards):
    inspected(people, hazards)
    site = Site.objects.get(pk=hazards.quarry.pk)
    data = services.NewSite(kind="mine", name="土城石场（北区）", address=site.address, lat=site.lat, lng=site.lng,
                            unit=site.unit, contact_name=site.contact_name, contact_phone=site.contact_phone,
                            department="yjj", risk_notes=site.risk_notes + "；北坡已加固")
    services.update_site(people.dispatcher, site, data)
    site.refresh_from_db()
    assert site.risk_notes_whole == RISK + "；北坡已加固"
    assert shows_no_one(site.risk_notes)


def test_a_new_contact_is_hidden_in_what_was_written_before(people, hazards):
    _inspection, case = inspected(people, hazards)
    site = Site.objects.get(pk=hazards.quarry.pk)
    services.update_site(people.dispatcher, site, services.NewSite(
        kind="mine", name=site.name, address=site.address, lat=site.lat, lng=site.lng, unit=site.unit,
        contact_name="王建华", contact_phone="13900003333", department="yjj",
        risk_notes="新负责人王建华，电话13900003333"))
    site.refresh_from_db()
    assert site.risk_notes_whole == "新负责人王建华，电话13900003333"
    assert "王建华" not in site.risk_notes and "13900003333" not in site.risk_notes
    services.record_progress(hazards.emergency_handler, case, note="王建华到场，13900003333", now=at(2026, 11, 13, 9))
    latest = ListingProgress.objects.order_by("-week_of").first()
    assert "王建华" not in latest.note and "13900003333" not in latest.note
