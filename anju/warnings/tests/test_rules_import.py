"""The county's threshold table imported from Excel: a preview that changes nothing, then the
rules set (a rule already there takes its new threshold); a file with one bad line changes
nothing at all and names every bad line; a file that is not a workbook is refused; the page's
upload, preview and confirmation."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from anju.warnings import rules
from anju.warnings.models import ThresholdRule
from anju.warnings.tests.apitools import client

HEADER = ["区域代码或隐患点编号", "监测类型", "时段（小时）", "预警等级", "阈值"]
GOOD = [
    ["500229", "rain", 24, "blue", 55],  # the county's: changed from 50
    ["500229", "降雨量", 6, "蓝色", 45],
    ["500229", "rain", 6, "黄色", 70],
    ["500229001", "rain", 6, "orange", 90],
    ["CK-GC-001", "crack", 0, "red", 30],
    ["CK-GC-001", "裂缝", 0, "orange", 20],
    ["500229", "rain", 1, "red", 50],  # as it is
]


def workbook(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table():
    return list(ThresholdRule.objects.order_by("pk").values_list("point_id", "area_id", "kind", "window_hours",
                                                                 "level", "threshold"))


def post(user, content, commit=None):
    data = {"file": SimpleUploadedFile("rules.xlsx", content)}
    if commit is not None:
        data["commit"] = "true" if commit else "false"
    return client(user).post("/api/v1/monitoring-points/rules/import", data)


def test_a_preview_changes_nothing_and_the_import_sets_the_rules(points, people):
    before = table()
    preview = post(people.admin, workbook(GOOD))
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["committed"] is False and body["errors"] == []
    assert [r["action"] for r in body["rules"]] == ["change", "create", "create", "create", "create", "create",
                                                    "same"]
    assert body["rules"][4]["scope_name"] == "土城滑坡" and body["rules"][1]["kind"] == "rain"
    assert table() == before
    done = post(people.admin, workbook(GOOD), commit=True)
    assert done.status_code == 200 and done.json()["committed"] is True
    assert ThresholdRule.objects.count() == len(before) + 5
    assert ThresholdRule.objects.get(area__code="500229", window_hours=24, level="blue").threshold == 55
    crack = ThresholdRule.objects.filter(point=points.slope, kind="crack").order_by("threshold")
    assert [(r.level, r.threshold) for r in crack] == [("orange", 20), ("red", 30)]
    # Imported again: every rule is as it is.
    again = post(people.admin, workbook(GOOD), commit=True)
    assert {r["action"] for r in again.json()["rules"]} == {"same"}


def test_a_file_with_a_bad_line_changes_nothing_and_names_every_bad_line(points, people):
    before = table()
    bad = GOOD + [
        ["500229", "wind", 1, "blue", 10],  # line 9: unknown kind
        ["CK-NOWHERE", "rain", 1, "blue", 10],  # line 10: no such code
        ["500229", "rain", "一小时", "blue", 10],  # line 11: not a number
        ["500229", "rain", 6, "red", 60],  # line 12: red below yellow's 70
        ["500229", "rain", 6, "蓝色", 46],  # line 13: the same rule as line 3
        ["500229", "rain", 3, "purple", 10],  # line 14
        ["500229", "rain", 3, "red", -1],  # line 15
    ]
    response = post(people.admin, workbook(bad), commit=True)
    assert response.status_code == 422
    body = response.json()
    assert body["committed"] is False and body["detail"]
    assert [(e["line"], e["field"]) for e in body["errors"]] == [
        (9, "kind"), (10, "scope"), (11, "window_hours"), (12, "threshold"), (13, "level"), (14, "level"),
        (15, "threshold")]
    assert body["errors"][1]["column"] == "Area code or point code" or body["errors"][1]["column"]
    assert table() == before


def test_a_township_supervisor_sets_rules_for_its_township_only(points, people):
    before = table()
    response = post(points.gc_keeper, workbook([["500229001", "rain", 6, "blue", 40],
                                                ["500229", "rain", 6, "yellow", 60]]), commit=True)
    assert response.status_code == 422
    assert [(e["line"], e["field"]) for e in response.json()["errors"]] == [(3, "")]
    assert table() == before
    assert post(people.dispatcher, workbook(GOOD)).status_code == 403
    assert post(people.leader, workbook(GOOD)).status_code == 403
    assert Client().post("/api/v1/monitoring-points/rules/import").status_code == 401


def test_a_file_that_is_not_the_template_is_refused(points, people):
    for content in (b"not a workbook", workbook(GOOD, header=["code", "kind"]), workbook([])):
        response = post(people.admin, content, commit=True)
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file"
    missing = client(people.admin).post("/api/v1/monitoring-points/rules/import", {})
    assert missing.status_code == 422


def test_the_template_has_the_header_the_import_reads(points):
    book = load_workbook(io.BytesIO(rules.template_workbook()))
    assert [c.value for c in book.worksheets[0][1]] == HEADER
    assert len(rules.read_workbook(workbook(GOOD))) == len(GOOD)


def test_the_page_previews_then_imports(points, people):
    page = Client()
    page.force_login(people.admin)
    assert page.get("/work/warnings/rules/import/").status_code == 200
    preview = page.post("/work/warnings/rules/import/", {"file": SimpleUploadedFile("r.xlsx", workbook(GOOD))})
    assert preview.status_code == 200 and "土城滑坡" in preview.content.decode()
    token = preview.context["token"]
    assert table() == table() and ThresholdRule.objects.count() == 12
    done = page.post("/work/warnings/rules/import/", {"token": token, "confirm": "1"})
    assert done.status_code == 302 and ThresholdRule.objects.count() == 17
    bad = page.post("/work/warnings/rules/import/", {"file": SimpleUploadedFile(
        "r.xlsx", workbook([["500229", "wind", 1, "blue", 10]]))})
    assert bad.status_code == 400 and "wind" in bad.content.decode()
    template = page.get("/work/warnings/rules/import/template.xlsx")
    assert template.status_code == 200
    outsider = Client()
    outsider.force_login(people.leader)
    assert outsider.get("/work/warnings/rules/import/").status_code == 404
