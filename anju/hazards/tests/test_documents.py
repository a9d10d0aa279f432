"""The hazards documents: the rectification order and the re-inspection record (their words, the
print page and the .docx), who may print them, and the hazard ledger as an Excel workbook with
its filters."""

import io
import re
from datetime import date

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from anju.conftest import at
from anju.hazards import documents, services
from anju.hazards.models import Hazard, RectificationRound

MONDAY = at(2026, 11, 2, 9)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def found(people, hazards, *, site=None, note="楼梯间堆放杂物堵塞通道，物业负责人刘德胜（13700001111）称无处存放",
          level="general", key="k1", actor=None, now=MONDAY):
    """A hazard found at item 1 of the site's checklist; its case."""
    site = site or hazards.tower
    items = site.kind.path.startswith("mine") and 2 or 3
    answers = [services.Answer(1, "hazard", note, level=level)] + [services.Answer(n, "pass")
                                                                   for n in range(2, items + 1)]
    data = services.NewInspection(site=site.pk, answers=answers, signed_as="网格员 张三")
    services.submit_inspection(actor or people.gridworker, data, idempotency_key=key, now=now)
    return Hazard.objects.get(inspection__idempotency_key=key).case


def ordered(people, hazards, **kwargs):
    case = found(people, hazards, **kwargs)
    services.issue_order(hazards.housing_handler, case, measures="清理楼梯间杂物\n保持疏散通道畅通",
                         due_on=date(2026, 11, 9), now=MONDAY)
    return case


def failed_then_passed(people, hazards):
    case = ordered(people, hazards)
    services.report_rectified(hazards.housing_handler, case, now=at(2026, 11, 6, 10))
    services.reinspect(hazards.housing_handler, case, passed=False, evidence="二楼楼梯间仍有杂物",
                       new_due_on=date(2026, 11, 20), measures="彻底清理二楼楼梯间", now=at(2026, 11, 10, 15))
    services.report_rectified(hazards.housing_handler, case, now=at(2026, 11, 18, 10))
    services.reinspect(hazards.housing_handler, case, passed=True, evidence="现场复查，通道已畅通（附照片3张）",
                       now=at(2026, 11, 23, 10))
    return case


def round_of(case, number=1) -> RectificationRound:
    """The round read afresh (the case's cached hazard may be older than the round's)."""
    return RectificationRound.objects.select_related("hazard").get(hazard__case=case, number=number)


def client_for(user, language="zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------- the order


def test_the_order_names_the_unit_site_hazard_measures_deadline_basis_and_office(people, hazards):
    case = ordered(people, hazards)
    round_ = round_of(case)
    layout = documents.order_layout(round_)
    text = "\n".join([layout.title, layout.number, layout.addressee, *layout.lead,
                      *(line for heading, lines in layout.sections for line in [heading, *lines]),
                      *layout.signatures, layout.office, layout.date])
    assert layout.title == "安全隐患整改通知书" and layout.number == round_.order_number
    assert layout.addressee == "城口县滨河物业管理有限公司："
    assert "滨河花园3号楼（葛城街道滨河路18号）" in text and "2026年11月2日" in text
    assert "隐患等级：一般隐患。" in text and "楼梯间堆放杂物堵塞通道" in text
    assert "清理楼梯间杂物" in text and "保持疏散通道畅通" in text
    assert "请于2026年11月9日前整改完毕。" in text
    # The legal basis of checklist item 1, and the re-inspection day (5 working days after the deadline).
    assert "《消防法》第二十八条" in text and "2026年11月16日前组织复查" in text
    assert layout.office == "县住房城乡建设委" and layout.date == "2026年11月2日"
    assert [heading for heading, _lines in layout.sections] == ["一、存在的隐患", "二、整改措施和期限", "三、检查依据",
                                                                 "四、其他要求"]


def test_the_unit_s_responsible_person_is_never_printed(people, hazards):
    case = ordered(people, hazards)
    round_ = round_of(case)
    page = client_for(hazards.housing_handler).get(f"/work/hazards/{case.pk}/orders/1/print/")
    word = client_for(hazards.housing_handler).get(f"/work/hazards/{case.pk}/orders/1/order.docx")
    for text in (page.content.decode(), docx_text(word.content), repr(documents.order_layout(round_))):
        assert "刘德胜" not in text and "13700001111" not in text
        assert "城口县滨河物业管理有限公司" in text


def test_a_hazard_reported_outside_a_checklist_has_no_basis_section(people, hazards):
    case = services.report_hazard(people.gridworker, services.NewHazard(site=hazards.tower.pk, level="general",
                                                                        description="外墙瓷砖松动"), now=MONDAY)
    services.issue_order(hazards.housing_handler, case, measures="拆除松动瓷砖", due_on=date(2026, 11, 9), now=MONDAY)
    layout = documents.order_layout(round_of(case))
    assert [heading for heading, _lines in layout.sections] == ["一、存在的隐患", "二、整改措施和期限", "三、其他要求"]


def test_a_major_hazard_s_order_names_the_stopped_work_and_the_six_part_plan(people, hazards):
    case = found(people, hazards, site=hazards.quarry, note="边坡超高超陡，已出现裂缝", level="major",
                 actor=hazards.emergency_handler)
    services.record_work_stopped(hazards.emergency_handler, case, stopped_on=date(2026, 11, 2), now=MONDAY)
    services.issue_order(hazards.emergency_handler, case, measures="削坡减载", due_on=date(2026, 12, 1), now=MONDAY)
    layout = documents.order_layout(round_of(case))
    text = "".join(line for _heading, lines in layout.sections for line in lines)
    assert "隐患等级：重大隐患。" in text and "已于2026年11月2日停止" in text
    for part in ("治理的目标和任务", "采取的方法和措施", "经费和物资的落实", "负责治理的机构和人员", "治理的时限和要求",
                 "安全措施和应急预案"):
        assert part in text
    assert "《金属非金属矿山安全规程》" in text and layout.office == "县应急管理局"


def test_the_order_of_a_second_round_refers_to_the_failed_re_inspection(people, hazards):
    case = failed_then_passed(people, hazards)
    first, second = round_of(case, 1), round_of(case, 2)
    layout = documents.order_layout(second)
    assert first.order_number in layout.lead[0] and "整改不合格" in layout.lead[0]
    assert "请于2026年11月20日前整改完毕。" in layout.sections[1][1]


def test_the_order_prints_on_a4_and_downloads_as_word(people, hazards):
    case = ordered(people, hazards)
    round_ = round_of(case)
    client = client_for(hazards.housing_handler)
    page = client.get(f"/work/hazards/{case.pk}/orders/1/print/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "hazards/print.css" in html and "<style" not in html
    assert '<h1 class="doc-title">安全隐患整改通知书</h1>' in html and round_.order_number in html
    assert "县住房城乡建设委（印章）" in html and f"/work/hazards/{case.pk}/orders/1/order.docx" in html
    word = client.get(f"/work/hazards/{case.pk}/orders/1/order.docx")
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    assert word["Content-Disposition"] == f'attachment; filename="hazard-order-{case.pk}-1.docx"'
    document = Document(io.BytesIO(word.content))
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:3] == ["安全隐患整改通知书", round_.order_number, "城口县滨河物业管理有限公司："]
    assert "县住房城乡建设委（印章）" in paragraphs and "2026年11月2日" in paragraphs
    assert "《消防法》第二十八条。" in paragraphs and "请于2026年11月9日前整改完毕。" in paragraphs
    assert document.paragraphs[0].runs[0].font.name == "SimHei"


# ---------------------------------------------------------------------------- the re-inspection record


def test_the_re_inspection_record_says_result_evidence_date_and_re_inspector(people, hazards):
    case = failed_then_passed(people, hazards)
    first, second = round_of(case, 1), round_of(case, 2)
    failed = documents.reinspection_layout(first)
    text = squeeze("".join([*failed.lead, *(line for heading, lines in failed.sections for line in [heading, *lines]),
                            *failed.signatures]))
    assert failed.title == "安全隐患整改复查意见书" and failed.number.endswith("号") and "隐复字" in failed.number
    assert "二楼楼梯间仍有杂物" in text and "整改不合格" in text and second.order_number in text
    assert "2026年11月20日前整改完毕" in text and "2026年11月10日" in text and failed.date == "2026年11月10日"
    assert "复查人员：housing_handler" in text
    assert "你单位于2026年11月6日报告整改完成（按期）" in text
    passed = documents.reinspection_layout(second)
    passed_text = "".join(line for _heading, lines in passed.sections for line in lines)
    assert "通道已畅通" in passed_text and "予以销号" in passed_text and passed.date == "2026年11月23日"


def test_the_re_inspection_record_prints_and_downloads_once_re_inspected(people, hazards):
    case = failed_then_passed(people, hazards)
    client = client_for(hazards.housing_handler)
    page = client.get(f"/work/hazards/{case.pk}/orders/2/reinspection/print/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "安全隐患整改复查意见书" in html and "予以销号" in html
    assert f"/work/hazards/{case.pk}/orders/2/reinspection.docx" in html
    word = client.get(f"/work/hazards/{case.pk}/orders/2/reinspection.docx")
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    text = docx_text(word.content)
    assert "安全隐患整改复查意见书" in text and "现场复查，通道已畅通（附照片3张）" in text
    assert "县住房城乡建设委（印章）" in text and "2026年11月23日" in text


def test_a_round_not_re_inspected_yet_has_no_record(people, hazards):
    case = ordered(people, hazards)
    client = client_for(hazards.housing_handler)
    assert client.get(f"/work/hazards/{case.pk}/orders/1/reinspection/print/").status_code == 404
    assert client.get(f"/work/hazards/{case.pk}/orders/1/reinspection.docx").status_code == 404
    assert client.get(f"/work/hazards/{case.pk}/orders/2/print/").status_code == 404


# ---------------------------------------------------------------------------- who may print


@pytest.mark.parametrize("who,status", [
    ("housing_handler", 200), ("supervisor", 200), ("dispatcher", 200), ("leader", 200),
    ("other_handler", 404), ("emergency_handler", 404), ("transport_handler", 404), ("nobody", 404),
])
def test_only_users_who_see_the_hazard_print_its_documents(people, hazards, who, status):
    case = failed_then_passed(people, hazards)
    user = getattr(hazards, who, None) or getattr(people, who)
    client = client_for(user)
    for url in (f"/work/hazards/{case.pk}/orders/1/print/", f"/work/hazards/{case.pk}/orders/1/order.docx",
                f"/work/hazards/{case.pk}/orders/1/reinspection/print/",
                f"/work/hazards/{case.pk}/orders/1/reinspection.docx"):
        assert client.get(url).status_code == status, url


def test_a_case_that_is_no_hazard_has_no_order(people, hazards, new_case):
    case = new_case()
    assert client_for(people.admin).get(f"/work/hazards/{case.pk}/orders/1/print/").status_code == 404


def test_signed_out_users_are_sent_to_sign_in(people, hazards):
    case = ordered(people, hazards)
    response = Client().get(f"/work/hazards/{case.pk}/orders/1/print/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------------------- the ledger


def ledger(client, **params):
    return client.get("/work/hazards/ledger.xlsx", params)


def rows_of(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return sheet, [row for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_the_ledger_has_a_title_a_frozen_header_and_one_row_a_hazard(people, hazards):
    closed = failed_then_passed(people, hazards)
    open_ = found(people, hazards, site=hazards.quarry, note="爆破器材未专库存放", key="k2",
                  actor=hazards.emergency_handler, now=at(2026, 11, 3, 9))
    response = ledger(client_for(people.supervisor))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert re.match(r'attachment; filename="hazard-ledger-\d{8}.xlsx"', response["Content-Disposition"])
    sheet, rows = rows_of(response.content)
    assert sheet["A1"].value == "安全隐患排查整治台账" and "全县" in sheet["A2"].value
    assert "制表日期" in sheet["A2"].value
    header = [cell.value for cell in sheet[3]]
    assert header == [title for title, _width in documents.LEDGER_COLUMNS]
    assert sheet.freeze_panes == "C4" and sheet.column_dimensions["G"].width == 48
    assert len(rows) == 2
    by_site = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    tower = by_site["滨河花园3号楼"]
    assert tower["场所类型"] == "高层建筑" and tower["乡镇（街道）"] == "葛城街道"
    assert tower["发现日期"].date() == date(2026, 11, 2) and tower["隐患等级"] == "一般隐患"
    assert "楼梯间堆放杂物" in tower["隐患描述"] and tower["整改措施"] == "彻底清理二楼楼梯间"
    assert tower["整改期限"].date() == date(2026, 11, 20)
    assert tower["责任单位"] == "城口县滨河物业管理有限公司" and tower["监管（属地）单位"] == "县住房城乡建设委"
    assert tower["复查日期"].date() == date(2026, 11, 23) and tower["复查结果"] == "合格（第2轮）"
    assert tower["销号日期"].date() == date(2026, 11, 23) and tower["状态"] == "已销号"
    quarry = by_site["土城石场"]
    assert quarry["监管（属地）单位"] == "县应急管理局" and quarry["整改措施"] is None
    assert quarry["复查日期"] is None and quarry["销号日期"] is None and quarry["状态"] == "已登记"
    assert closed.hazard.pk != open_.hazard.pk


def test_the_ledger_shows_the_redacted_text_without_the_contact(people, hazards):
    ordered(people, hazards)
    _sheet, rows = rows_of(ledger(client_for(people.supervisor)).content)
    text = repr(rows)
    assert "刘德胜" not in text and "13700001111" not in text


def test_the_ledger_lists_only_what_the_user_may_see(people, hazards):
    ordered(people, hazards)
    found(people, hazards, site=hazards.quarry, note="爆破器材未专库存放", key="k2", actor=hazards.emergency_handler)
    _sheet, rows = rows_of(ledger(client_for(hazards.emergency_handler)).content)
    assert [row[1] for row in rows] == ["土城石场"]
    _sheet, rows = rows_of(ledger(client_for(people.other_handler)).content)
    assert rows == []


def test_the_ledger_filters_by_township_department_and_the_days_found(people, hazards):
    ordered(people, hazards)
    found(people, hazards, site=hazards.quarry, note="爆破器材未专库存放", key="k2", actor=hazards.emergency_handler,
          now=at(2026, 11, 5, 9))
    found(people, hazards, site=hazards.far_tower, note="消防通道被占用", key="k3", actor=people.supervisor,
          now=at(2026, 11, 6, 9))
    client = client_for(people.supervisor)

    def sites(**params):
        sheet, rows = rows_of(ledger(client, **params).content)
        return sheet["A2"].value, sorted(row[1] for row in rows)

    assert sites()[1] == ["土城石场", "太和大厦", "滨河花园3号楼"]
    scope, names = sites(township="500229001")
    assert names == ["土城石场", "滨河花园3号楼"] and "葛城街道" in scope
    scope, names = sites(department="zjj")
    assert names == ["太和大厦", "滨河花园3号楼"] and "县住房城乡建设委" in scope
    scope, names = sites(since="2026-11-05", until="2026-11-05")
    assert names == ["土城石场"] and "2026年11月5日至2026年11月5日" in scope
    assert sites(since="2026-11-06")[1] == ["太和大厦"]
    assert sites(until="2026-11-02")[1] == ["滨河花园3号楼"]


@pytest.mark.parametrize("params,words", [
    ({"township": "999"}, "Unknown township or street."),
    ({"township": "500229001001"}, "Unknown township or street."),
    ({"department": "nope"}, "Unknown office."),
    ({"since": "2026-13-01"}, "since must be a date written as YYYY-MM-DD."),
    ({"until": "yesterday"}, "until must be a date written as YYYY-MM-DD."),
    ({"since": "2026-11-05", "until": "2026-11-01"}, "The period must not end before it starts."),
])
def test_bad_ledger_filters_answer_400_with_what_is_wrong(people, hazards, params, words):
    response = ledger(client_for(people.supervisor, "en"), **params)
    assert response.status_code == 400 and words in response.content.decode()


def test_bad_ledger_filters_are_explained_in_the_user_s_language(people, hazards):
    response = ledger(client_for(people.supervisor), department="nope")
    assert response.status_code == 400 and "Unknown office." not in response.content.decode()


def test_a_description_starting_with_equals_stays_text(people, hazards):
    found(people, hazards, note="=HYPERLINK(\"http://example.com\")")
    sheet, _rows = rows_of(ledger(client_for(people.supervisor)).content)
    cell = sheet["G4"]
    assert cell.data_type == "s" and cell.value.endswith('=HYPERLINK("http://example.com")')


# ---------------------------------------------------------------------------- the ledger on screen


def test_the_ledger_page_shows_the_workbook_s_rows_and_offers_the_same_scope_to_download(people, hazards):
    failed_then_passed(people, hazards)
    found(people, hazards, site=hazards.quarry, note="爆破器材未专库存放", key="k2", actor=hazards.emergency_handler,
          now=at(2026, 11, 3, 9))
    client = client_for(people.supervisor, "en")
    response = client.get("/work/hazards/ledger/", {"township": "500229001", "since": "2026-11-01"})
    html = response.content.decode()
    assert response.status_code == 200
    for title, _width in documents.LEDGER_COLUMNS:
        assert f"<th scope=\"col\">{title}</th>" in html
    assert "范围：葛城街道，2026年11月1日至发现" in html
    assert 'href="/work/hazards/ledger.xlsx?township=500229001&amp;since=2026-11-01"' in html
    _sheet, rows = rows_of(ledger(client, township="500229001", since="2026-11-01").content)
    assert len(rows) == 2
    for row in rows:
        # Every cell of the workbook's row is on the page, as text or as a day.
        for value in row:
            if value is not None:
                shown = value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)
                assert shown in html, shown
    assert "2 hazards" in html


def test_the_ledger_page_pages_its_rows_and_names_a_bad_filter(people, hazards, monkeypatch):
    from anju.hazards.views import documents as views

    monkeypatch.setattr(views, "LEDGER_PAGE_SIZE", 1)
    failed_then_passed(people, hazards)
    found(people, hazards, site=hazards.quarry, note="爆破器材未专库存放", key="k2", actor=hazards.emergency_handler,
          now=at(2026, 11, 3, 9))
    client = client_for(people.supervisor, "en")
    first = client.get("/work/hazards/ledger/").content.decode()
    second = client.get("/work/hazards/ledger/", {"page": 2}).content.decode()
    assert "page 1 of 2" in first and "page 2 of 2" in second
    assert ("滨河花园3号楼" in first) != ("滨河花园3号楼" in second)
    bad = client.get("/work/hazards/ledger/", {"since": "2026-11-05", "until": "2026-11-01"})
    assert bad.status_code == 400 and "The period must not end before it starts." in bad.content.decode()
    assert client.get("/work/hazards/ledger/", {"township": "999"}).status_code == 400


def test_the_ledger_page_is_for_staff(people, hazards):
    response = Client().get("/work/hazards/ledger/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
