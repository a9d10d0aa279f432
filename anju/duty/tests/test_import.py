"""A month's roster imported from Excel: planned and changed shifts, people written by username or
by name, and a file with bad lines reported line by line (Excel's row numbers) with nothing
changed; refused files and who may import, by the API and the page."""

import io
from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from anju.conftest import at
from anju.duty import imports, services
from anju.duty.choices import ShiftKind
from anju.duty.models import Shift
from anju.lib.errors import ServiceError
from anju.people.services import issue_token

NOW = at(2026, 9, 20, 10)
HEADER = ["日期", "班次", "值班员", "带班领导", "备注"]


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def workbook(*rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def roster():
    return list(Shift.objects.order_by("id").values_list("office__code", "day", "kind", "officer__username",
                                                         "leader__username", "note"))


@pytest.fixture
def planned(duty, people):
    services.plan_shift(people.supervisor, services.NewShift("gc", date(2026, 10, 2), ShiftKind.DAY, "gc_officer2",
                                                             "gc_leader2"), now=at(2026, 9, 1))
    return duty


GOOD = [
    (datetime(2026, 10, 1), "白班", "gc_officer", "刘镇长", "国庆"),
    ("2026-10-01", "夜班", "周干事", "gc_leader2", ""),
    ("2026/10/02", "day", "gc_officer", "gc_leader", "改排"),
]


def test_a_good_month_plans_and_changes_its_shifts(planned, people):
    lines = imports.read_workbook(workbook(*GOOD))
    report = imports.import_month(people.supervisor, Shift.objects.first().office, date(2026, 10, 1), lines,
                                  commit=True)
    assert report.ok and report.committed
    assert [(p.line, p.action) for p in report.shifts] == [(2, "plan"), (3, "plan"), (4, "change")]
    assert roster() == [("gc", date(2026, 10, 2), "day", "gc_officer", "gc_leader", "改排"),
                        ("gc", date(2026, 10, 1), "day", "gc_officer", "gc_leader", "国庆"),
                        ("gc", date(2026, 10, 1), "night", "gc_officer2", "gc_leader2", "")]


def test_a_file_with_bad_lines_reports_each_and_changes_nothing(planned, people):
    before = roster()
    rows = [*GOOD,
            ("2026-11-01", "白班", "gc_officer", "", ""),         # line 5: not in October
            ("明天", "白班", "gc_officer", "", ""),               # line 6: not a date
            ("2026-10-03", "早班", "gc_officer", "", ""),         # line 7: no such shift
            ("2026-10-03", "白班", "无名氏", "", ""),              # line 8: no such person
            ("2026-10-04", "白班", "gc_officer", "gc_officer2", ""),  # line 9: leader without a leader's role
            ("2026-10-01", "白班", "gc_officer2", "", ""),        # line 10: the same shift as line 2
            ("2026-09-01", "白班", "gc_officer", "", ""),         # line 11: not in October (and over)
            (None, None, None, None, None),                      # line 12: blank, skipped
            ("2026-10-05", "白班", "", "gc_leader", "")]          # line 13: no officer
    lines = imports.read_workbook(workbook(*rows))
    report = imports.import_month(people.supervisor, Shift.objects.first().office, date(2026, 10, 1), lines,
                                  commit=True)
    assert not report.committed
    assert [(e.line, e.field) for e in report.errors] == [
        (5, "day"), (6, "day"), (7, "kind"), (8, "officer"), (9, "leader"), (10, "kind"), (11, "day"),
        (13, "officer")]
    assert roster() == before


def test_a_dry_run_changes_nothing(planned, people):
    lines = imports.read_workbook(workbook(*GOOD))
    report = imports.import_month(people.supervisor, Shift.objects.first().office, date(2026, 10, 1), lines,
                                  commit=False)
    assert report.ok and not report.committed and len(report.shifts) == 3
    assert len(roster()) == 1


@pytest.mark.parametrize("content", [
    b"not a workbook",
    workbook(("2026-10-01", "白班", "gc_officer", "", ""), header=["day", "who"]),
    workbook(),
])
def test_it_refuses_a_file_it_cannot_read(content):
    with pytest.raises(ServiceError) as refused:
        imports.read_workbook(content)
    assert refused.value.field == "file"


def test_the_template_reads_back_as_an_empty_file():
    with pytest.raises(ServiceError) as refused:
        imports.read_workbook(imports.template_workbook())
    assert "no lines" in refused.value.message or refused.value.field == "file"


def _upload(user, content, **fields):
    _record, raw = issue_token(user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"office": "gc", "month": "2026-10", **fields,
            "file": SimpleUploadedFile("roster.xlsx", content)}
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post("/api/v1/duty/import", data)


def test_the_api_imports_a_month_and_reports_bad_lines(planned, people):
    bad = _upload(people.supervisor, workbook(*GOOD, ("2026-10-03", "早班", "gc_officer", "", "")))
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"line": 5, "field": "kind", "message": bad.json()["errors"][0]["message"]}]
    assert len(roster()) == 1
    dry = _upload(people.supervisor, workbook(*GOOD), dry_run="true")
    assert dry.status_code == 200 and dry.json()["committed"] is False and len(roster()) == 1
    done = _upload(people.supervisor, workbook(*GOOD))
    assert done.status_code == 200 and done.json()["committed"] and len(roster()) == 3


def test_the_api_import_is_for_the_roster_s_keepers_with_a_good_month_and_file(planned, people):
    assert _upload(people.handler, workbook(*GOOD)).status_code == 403
    assert _upload(people.township_dispatcher, workbook(*GOOD)).status_code == 403
    assert _upload(people.nobody, workbook(*GOOD)).status_code == 404
    month = _upload(people.supervisor, workbook(*GOOD), month="October")
    assert month.status_code == 422 and month.json()["errors"][0]["field"] == "month"
    unreadable = _upload(people.supervisor, b"PK\x03\x04 broken")
    assert unreadable.status_code == 422 and unreadable.json()["errors"][0]["field"] == "file"
    assert _upload(people.supervisor, workbook(*GOOD), office="nowhere").status_code == 404
    assert len(roster()) == 1


def test_the_import_page_lists_the_bad_lines(planned, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(people.supervisor)
    url = "/work/duty/gc/2026/10/import/"
    assert c.get(url).status_code == 200
    page = c.post(url, {"file": SimpleUploadedFile("r.xlsx", workbook(*GOOD, ("2026-10-03", "早班", "x", "", "")))})
    assert page.status_code == 400 and "Nothing was imported" in page.content.decode()
    assert len(roster()) == 1
    done = c.post(url, {"file": SimpleUploadedFile("r.xlsx", workbook(*GOOD))})
    assert done.status_code == 302 and len(roster()) == 3
    handler = Client()
    handler.force_login(people.handler)
    assert handler.get(url).status_code == 404
    assert c.get("/work/duty/template.xlsx").status_code == 200
