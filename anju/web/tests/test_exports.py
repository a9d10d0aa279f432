"""Excel export of the filtered case list: at once for small lists, in the background with a
progress page for large ones; no reporter's personal data in the file."""

import html
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anju.cases import services as s
from anju.cases.models import Case
from anju.conftest import at
from anju.lib import tracking
from anju.web import tasks
from anju.web.models import Export, ExportStatus

START = "/work/cases/export/"
FUXING = {"lat": 31.955, "lng": 108.705}
HEADERS = ["查询码", "类型", "分类", "状态", "诉求内容", "地址", "乡镇（街道）", "网格", "承办单位", "提交时间",
           "办理期限", "办结时间", "是否超期", "满意度"]
PERSONAL = ("13800001234", "张三", "zhang@example.cn")


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "exports"


@pytest.fixture
def cases(new_case, people):
    """Two cases in 葛城 (one dispatched), one in 复兴; every reporter with name, phone, e-mail."""
    reporter = {"reporter_email": "zhang@example.cn"}
    light = new_case(now=at(2026, 9, 30, 10, 15), address="滨河路12号", **reporter)
    road = new_case(now=at(2026, 9, 29, 9), category_code="urban.road", text="路面塌陷", **reporter)
    s.accept_case(people.dispatcher, road)
    s.dispatch_case(people.dispatcher, road)
    noise = new_case(now=at(2026, 9, 28, 8), category_code="env.noise", text="夜间施工噪声", **FUXING, **reporter)
    return {"light": light, "road": road, "noise": noise}


def sheet_rows(content: bytes) -> list[tuple]:
    book = load_workbook(BytesIO(content))
    return [tuple(cell.value for cell in row) for row in book.active.iter_rows()]


def assert_no_personal_data(content: bytes):
    with zipfile.ZipFile(BytesIO(content)) as archive:
        for name in archive.namelist():
            # openpyxl writes Chinese as character references (&#24352;): read them as text.
            data = html.unescape(archive.read(name).decode("utf-8", "replace"))
            for value in PERSONAL:
                assert value not in data, (name, value)


def export(client, user, query=""):
    client.force_login(user)
    return client.post(f"{START}?{query}" if query else START)


# ---------------------------------------------------------------------------- at once


def test_it_exports_the_filtered_list_at_once(client, people, cases, county):
    response = export(client, people.dispatcher, f"township={county.gecheng.pk}&sort=submitted")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"].startswith('attachment; filename="anju-cases-')
    rows = sheet_rows(response.content)
    assert list(rows[0]) == HEADERS
    codes = [row[0] for row in rows[1:]]
    assert codes == [tracking.display(cases[name].tracking_code) for name in ("road", "light")]
    assert_no_personal_data(response.content)


def test_the_cells_hold_chinese_labels_and_shanghai_times(client, people, cases):
    light = cases["light"]
    row = dict(zip(HEADERS, sheet_rows(export(client, people.dispatcher, "kind=complaint&sort=-submitted")
                                      .content)[1], strict=True))
    light.refresh_from_db()
    assert row["查询码"] == tracking.display(light.tracking_code)
    assert (row["类型"], row["分类"], row["状态"]) == ("投诉", "路灯故障", "待受理")
    assert (row["诉求内容"], row["地址"]) == ("滨河路路灯不亮已经一周", "滨河路12号")
    assert (row["乡镇（街道）"], row["网格"], row["承办单位"]) == ("葛城街道", "土城第1网格", "县综治中心")
    assert row["提交时间"] == at(2026, 9, 30, 10, 15).replace(tzinfo=None)
    assert row["提交时间"].tzinfo is None
    assert row["办理期限"] == timezone.localtime(light.due_at).replace(tzinfo=None, microsecond=0)
    assert row["办结时间"] is None and row["满意度"] is None
    # Accepting was due a working day after 30 September 2026: long past.
    assert row["是否超期"] == "是"


def test_the_export_masks_numbers_in_the_text_and_never_writes_formulas(client, people, new_case):
    new_case(text='=HYPERLINK("http://example.cn","看") 请回电13912345678\x07', address="+1 地址")
    rows = sheet_rows(export(client, people.dispatcher).content)
    text, address = rows[1][4], rows[1][5]
    assert text == '=HYPERLINK("http://example.cn","看") 请回电【已隐去】'
    assert address == "+1 地址"
    book = load_workbook(BytesIO(export(client, people.dispatcher).content))
    assert book.active.cell(row=2, column=5).data_type == "s"


@pytest.mark.parametrize("written", ["023-6123 4567", "(023)61234567", "+86 139 1234 5678", "0086-139-1234-5678",
                                     "139 1234 5678", "（023）6123-4567"])
def test_the_export_masks_phone_numbers_whatever_their_form(client, people, new_case, written):
    new_case(text=f"请回电{written}，谢谢", address=f"滨河路12号 {written}")
    text, address = sheet_rows(export(client, people.dispatcher).content)[1][4:6]
    digits = "".join(c for c in written if c.isdigit())
    # The text is redacted when written (【已隐去】); the address, the place of the concern, is
    # masked in the export.
    assert "【已隐去】" in text and "****" in address
    for cell in (text, address):
        assert digits[-8:-4] not in "".join(c for c in cell if c.isdigit()), cell
    assert text.startswith("请回电") and text.endswith("，谢谢")


def test_the_export_keeps_to_the_users_scope(client, people, cases):
    assert export(client, people.handler).status_code == 302  # the handler's office has nothing yet…
    cases["light"].refresh_from_db()
    s.accept_case(people.dispatcher, cases["light"])
    s.dispatch_case(people.dispatcher, cases["light"])
    rows = sheet_rows(export(client, people.handler).content)
    assert [row[0] for row in rows[1:]] == [tracking.display(cases["light"].tracking_code)]


def test_it_sends_an_empty_or_invalid_export_back_to_the_list(client, people, cases):
    response = export(client, people.handler)
    assert response.status_code == 302 and response.url == reverse("web:case_list")
    response = export(client, people.dispatcher, "status=bogus&q=x")
    assert response.status_code == 302
    assert response.url == reverse("web:case_list") + "?status=bogus&q=x"
    assert client.get(response.url).status_code == 400
    assert Export.objects.count() == 0


def test_exporting_needs_a_post_and_a_staff_member(client, people, cases):
    client.force_login(people.dispatcher)
    assert client.get(START).status_code == 405
    client.logout()
    response = client.post(START)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert export(client, people.nobody).status_code == 404


# ---------------------------------------------------------------------------- in the background


@pytest.fixture
def small_threshold(settings, monkeypatch):
    settings.ANJU_EXPORT_INLINE_MAX_ROWS = 2
    monkeypatch.setattr(tasks, "EXPORT_BATCH_ROWS", 2)


def test_a_large_export_runs_in_the_background_to_the_end(client, people, cases, small_threshold, export_dir):
    response = export(client, people.dispatcher, "sort=submitted")
    assert response.status_code == 302
    job = Export.objects.get()
    assert response.url == reverse("web:export_status", args=[job.pk])
    assert job.user == people.dispatcher and job.params["query"] == "sort=submitted"
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.DONE, 3, 3)
    assert job.path.parent == export_dir and job.path.is_file()
    assert not list(export_dir.glob("*.part"))

    page = client.get(response.url).content.decode()
    assert reverse("web:export_download", args=[job.pk]) in page
    assert "every 1s" not in page and 'http-equiv="refresh"' not in page

    download = client.get(reverse("web:export_download", args=[job.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    rows = sheet_rows(content)
    assert [row[0] for row in rows[1:]] == [
        tracking.display(cases[name].tracking_code) for name in ("noise", "road", "light")
    ]
    assert_no_personal_data(content)


def test_the_background_export_saves_its_progress_batch_by_batch(people, cases, small_threshold, monkeypatch):
    seen = []
    write = tasks.WorkbookWriter.write

    def watching(writer, case):
        seen.append(Export.objects.values_list("rows_done", flat=True).get())
        write(writer, case)

    monkeypatch.setattr(tasks.WorkbookWriter, "write", watching)
    job = Export.objects.create(user=people.dispatcher, params={"query": "", "now": timezone.now().isoformat()})
    tasks.build_export(job.pk)
    job.refresh_from_db()
    assert seen == [0, 0, 2]
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.DONE, 3, 3)


def test_the_status_page_shows_progress_and_polls_until_done(client, people):
    job = Export.objects.create(user=people.dispatcher, status=ExportStatus.RUNNING, rows_total=5000, rows_done=1200)
    client.force_login(people.dispatcher)
    url = reverse("web:export_status", args=[job.pk])
    page = client.get(url).content.decode()
    assert '<progress id="export-bar" max="5000" value="1200">' in page
    assert "1,200 / 5,000" in page
    assert 'hx-trigger="every 1s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert reverse("web:export_download", args=[job.pk]) not in page

    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="export-progress"')
    assert "<html" not in fragment and "1,200 / 5,000" in fragment

    Export.objects.filter(pk=job.pk).update(status=ExportStatus.DONE, rows_done=5000, file="x.xlsx")
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment
    assert reverse("web:export_download", args=[job.pk]) in fragment


def test_a_failed_export_says_so(client, people, cases, export_dir):
    job = Export.objects.create(user=people.dispatcher, params={"query": "category=999999"})
    tasks.build_export(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error
    assert not export_dir.exists() or not list(export_dir.iterdir())
    client.force_login(people.dispatcher)
    page = client.get(reverse("web:export_status", args=[job.pk])).content.decode()
    assert 'role="alert"' in page and "every 1s" not in page
    assert client.get(reverse("web:export_download", args=[job.pk])).status_code == 404


def test_an_export_is_written_once_even_if_two_workers_get_it(people, cases, export_dir):
    job = Export.objects.create(user=people.dispatcher, params={"query": ""})
    tasks.build_export(job.pk)
    tasks.build_export(job.pk)
    assert len(list(export_dir.iterdir())) == 1


def test_only_the_user_who_asked_may_see_or_download_an_export(client, people, cases, small_threshold):
    export(client, people.dispatcher)
    job = Export.objects.get()
    status = reverse("web:export_status", args=[job.pk])
    download = reverse("web:export_download", args=[job.pk])
    for other in (people.supervisor, people.handler, people.admin):
        client.force_login(other)
        assert client.get(status).status_code == 404
        assert client.get(download).status_code == 404
    client.force_login(people.nobody)
    assert client.get(status).status_code == 404
    client.logout()
    assert client.get(download).url.startswith("/accounts/login/")
    client.force_login(people.dispatcher)
    assert client.get(reverse("web:export_status", args=[job.pk + 1000])).status_code == 404


def test_the_background_export_uses_the_scope_and_filters_of_its_user(people, cases):
    job = Export.objects.create(user=people.handler, params={"query": "", "now": timezone.now().isoformat()})
    tasks.build_export(job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows_total) == (ExportStatus.DONE, 0)
    job = Export.objects.create(user=people.dispatcher, params={"query": "kind=complaint&category="
                                                                         f"{cases['noise'].category_id}"})
    tasks.build_export(job.pk)
    job.refresh_from_db()
    rows = sheet_rows(job.path.read_bytes())
    assert [row[0] for row in rows[1:]] == [tracking.display(cases["noise"].tracking_code)]


def test_old_exports_are_deleted_with_their_files(people, cases, export_dir):
    old = Export.objects.create(user=people.dispatcher, params={"query": ""})
    tasks.build_export(old.pk)
    old.refresh_from_db()
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    recent = Export.objects.create(user=people.dispatcher, params={"query": ""})
    tasks.delete_old_exports.call_local()
    assert list(Export.objects.all()) == [recent]
    assert not old.path.exists()
    assert Case.objects.count() == 3
