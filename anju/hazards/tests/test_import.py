"""The sites register imported from Excel: the template, a file of good lines (previewed, then
created on confirmation), a file with bad lines (nothing created, each line reported with its
number, column and reason), files that are no workbook, too large or too long, and who may
import."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from anju.cases.services import CaseError
from anju.hazards import imports
from anju.hazards.models import Site

GOOD = [
    ["building.highrise", "滨河花园7号楼", "葛城街道滨河路22号", 31.905, 108.606, "城口县滨河物业管理有限公司",
     "刘德胜", 13700001111, "zjj", "高层住宅，地下车库"],
    ["mine", "岔溪石场", "葛城街道土城社区7组", "31.9041", "108.6032", "城口县岔溪建材有限公司", "", "", "yjj", ""],
    ["building", "太和农贸市场", "复兴街道太和路9号", 31.956, 108.706, "复兴街道办事处", "陈大姐", "023-5961 2345", "",
     "早市人流密集"],
]


@pytest.fixture(autouse=True)
def english():
    """The service messages are read in English here (the pages' tests read them in Chinese)."""
    with translation.override("en"):
        yield


def workbook(lines, header=None) -> bytes:
    """A file made from the template, with ``lines`` under its header."""
    book = load_workbook(io.BytesIO(imports.template_workbook()))
    sheet = book.worksheets[0]
    if header is not None:
        for index, value in enumerate(header, start=1):
            sheet.cell(row=1, column=index, value=value)
    for number, line in enumerate(lines, start=2):
        for index, value in enumerate(line, start=1):
            sheet.cell(row=number, column=index, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content: bytes, name="sites.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def client_for(user, language="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def errors_of(report) -> list[tuple[int, str]]:
    return [(error.line, error.field) for error in report.errors]


# ---------------------------------------------------------------------------- the functions


def test_it_reads_the_lines_of_a_template_file(people, hazards):
    lines = imports.read_workbook(workbook(GOOD))
    assert [line.line for line in lines] == [2, 3, 4]
    first, second, third = (line.data for line in lines)
    assert first.kind == "building.highrise" and first.lat == 31.905 and first.contact_phone == "13700001111"
    assert second.lat == 31.9041 and second.lng == 108.6032 and second.contact_name == ""
    assert third.contact_phone == "023-5961 2345" and third.department == ""


def test_good_lines_are_created_together(people, hazards):
    lines = imports.read_workbook(workbook(GOOD))
    before = Site.objects.count()
    report = imports.import_sites(people.admin, lines, commit=True)
    assert report.ok and report.committed and [site.line for site in report.sites] == [2, 3, 4]
    assert Site.objects.count() == before + 3
    tower = Site.objects.get(name="滨河花园7号楼")
    assert tower.kind == hazards.highrise and tower.region == Site.objects.get(pk=hazards.tower.pk).region
    assert tower.department == hazards.housing and tower.contact_phone == "13700001111"
    assert tower.created_by == people.admin
    assert Site.objects.get(name="太和农贸市场").region.code == "500229002001001"


def test_a_dry_run_says_what_would_be_created_and_creates_nothing(people, hazards):
    before = Site.objects.count()
    report = imports.import_sites(people.admin, imports.read_workbook(workbook(GOOD)), commit=False)
    assert report.ok and not report.committed
    assert [(site.name, site.kind, site.region) for site in report.sites] == [
        ("滨河花园7号楼", "高层建筑", "土城第1网格"), ("岔溪石场", "非煤矿山", "土城第1网格"),
        ("太和农贸市场", "房屋建筑", "太和第1网格")]
    assert all(site.pk is None for site in report.sites)
    assert Site.objects.count() == before


def test_any_bad_line_creates_nothing_and_each_is_reported_with_its_number_and_column(people, hazards):
    lines = [
        GOOD[0],
        ["shop", "某商店", "葛城街道1号", 31.905, 108.606, "某公司", "", "", "", ""],                 # 3: kind
        ["mine", "", "葛城街道2号", 31.905, 108.606, "某公司", "", "", "", ""],                        # 4: name
        ["mine", "某矿", "葛城街道3号", "北纬31度", 108.606, "某公司", "", "", "", ""],                # 5: lat
        ["mine", "某矿2", "葛城街道4号", 30.0, 100.0, "某公司", "", "", "", ""],                       # 6: outside
        ["mine", "某矿3", "葛城街道5号", 31.905, 108.606, "", "", "", "", ""],                         # 7: unit
        ["mine", "某矿4", "葛城街道6号", 31.905, 108.606, "某公司", "", "电话号码", "", ""],           # 8: phone
        ["mine", "某矿5", "葛城街道7号", 31.905, 108.606, "某公司", "", "", "nope", ""],               # 9: department
        [],                                                                                           # 10: blank
        GOOD[1],
        ["mine", "岔溪石场", "葛城街道土城社区7组", 31.905, 108.606, "某公司", "", "", "", ""],       # 12: twice
        ["building.highrise", "滨河花园3号楼", "葛城街道滨河路18号", 31.905, 108.605, "某公司", "", "", "", ""],  # 13
    ]
    before = Site.objects.count()
    report = imports.import_sites(people.admin, imports.read_workbook(workbook(lines)), commit=True)
    assert not report.ok and not report.committed
    assert errors_of(report) == [(3, "kind"), (4, "name"), (5, "lat"), (6, "lat"), (7, "unit"), (8, "contact_phone"),
                                 (9, "department"), (12, "name"), (13, "name")]
    assert Site.objects.count() == before
    messages = {error.line: error.message for error in report.errors}
    assert "line 11" in messages[12] and "already in the register" in messages[13]


def test_a_line_outside_the_user_s_places_is_refused_as_a_whole(people, hazards):
    # A township dispatcher of 复兴 keeps sites in 复兴 only.
    report = imports.import_sites(people.township_dispatcher, imports.read_workbook(workbook(GOOD)), commit=True)
    assert errors_of(report) == [(2, ""), (3, "")] and report.errors[0].column == ""
    assert not Site.objects.filter(name="太和农贸市场").exists()


@pytest.mark.parametrize("content,name", [
    (b"kind,name,address\nmine,x,y\n", "sites.csv"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "sites.xls"),
    (b"not a workbook at all", "sites.xlsx"),
])
def test_a_file_that_is_not_an_xlsx_is_refused(people, hazards, content, name):
    with pytest.raises(CaseError) as error:
        imports.read_workbook(upload(content, name))
    assert error.value.field == "file" and ".xlsx" in error.value.message


def test_a_zip_that_is_no_workbook_is_refused(people, hazards):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "你好")
    with pytest.raises(CaseError) as error:
        imports.read_workbook(out.getvalue())
    assert error.value.field == "file"


def test_a_file_that_unpacks_to_too_much_is_refused_before_it_is_read(people, hazards, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(CaseError) as error:
        imports.read_workbook(workbook(GOOD))
    assert error.value.field == "file"


def test_the_header_must_be_the_template_s(people, hazards):
    with pytest.raises(CaseError) as error:
        imports.read_workbook(workbook(GOOD, header=["名称", "类型"]))
    assert "场所类型代码" in error.value.message
    # The fields' own names are a header too (for files written by programs).
    lines = imports.read_workbook(workbook(GOOD, header=imports.FIELDS))
    assert len(lines) == 3


def test_a_sheet_without_the_header_is_refused_not_read_from_its_second_line(people, hazards):
    book = Workbook()
    for line in GOOD:
        book.active.append(line)
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(CaseError):
        imports.read_workbook(out.getvalue())


def test_a_file_without_lines_or_with_too_many_is_refused(people, hazards, monkeypatch):
    with pytest.raises(CaseError) as error:
        imports.read_workbook(workbook([[], []]))
    assert "no lines" in error.value.message
    monkeypatch.setattr(imports, "MAX_LINES", 2)
    with pytest.raises(CaseError) as error:
        imports.read_workbook(workbook(GOOD))
    assert "more than 2 lines" in error.value.message


def test_a_file_too_large_is_refused_unread(people, hazards, monkeypatch):
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 1024)
    with pytest.raises(CaseError) as error:
        imports.read_workbook(upload(workbook(GOOD)))
    assert error.value.field == "file" and "larger than" in error.value.message


def test_the_template_lists_the_codes_to_use(people, hazards):
    book = load_workbook(io.BytesIO(imports.template_workbook()))
    assert book.sheetnames == ["场所", "填写说明", "场所类型代码", "监管部门代码"]
    assert [cell.value for cell in book["场所"][1]] == [header for _name, header, _label in imports.COLUMNS]
    kinds = [row for row in book["场所类型代码"].iter_rows(min_row=2, values_only=True)]
    assert ("building.highrise", "高层建筑") in kinds and ("mine", "非煤矿山") in kinds
    departments = [row for row in book["监管部门代码"].iter_rows(min_row=2, values_only=True)]
    assert ("zjj", "县住房城乡建设委") in departments and ("jtj", "县交通局") in departments
    assert all(code != "gc" for code, _name in departments)


# ---------------------------------------------------------------------------- the page


def test_the_page_shows_the_form_and_the_template_downloads(people, hazards):
    client = client_for(people.dispatcher)
    page = client.get("/work/hazards/sites/import/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and "/work/hazards/sites/import/template.xlsx" in html
    template = client.get("/work/hazards/sites/import/template.xlsx")
    assert template.status_code == 200
    assert template["Content-Disposition"] == 'attachment; filename="hazard-sites-template.xlsx"'
    assert load_workbook(io.BytesIO(template.content)).sheetnames[0] == "场所"


def test_the_page_previews_then_creates_on_confirmation(people, hazards):
    client = client_for(people.admin)
    before = Site.objects.count()
    preview = client.post("/work/hazards/sites/import/", {"file": upload(workbook(GOOD))})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "3 sites will be created" in html and "滨河花园7号楼" in html and "Create 3 sites" in html
    assert Site.objects.count() == before
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    done = client.post("/work/hazards/sites/import/", {"token": token, "confirm": "1"})
    assert done.status_code == 302 and done["Location"] == "/work/hazards/sites/"
    assert Site.objects.count() == before + 3
    again = client.post("/work/hazards/sites/import/", {"token": token, "confirm": "1"})
    # The same confirmation sent twice: every line is now already in the register.
    assert again.status_code == 400 and "already in the register" in again.content.decode()
    assert Site.objects.count() == before + 3


def test_the_page_lists_each_bad_line_and_creates_nothing(people, hazards):
    lines = [GOOD[0], ["shop", "某商店", "葛城街道1号", 31.905, 108.606, "某公司", "", "", "", ""],
             ["mine", "某矿", "葛城街道3号", 31.905, 108.606, "某公司", "", "", "nope", ""]]
    before = Site.objects.count()
    response = client_for(people.admin).post("/work/hazards/sites/import/", {"file": upload(workbook(lines))})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html and 'name="token"' not in html
    rows = re.findall(r"<tr><td class=\"nowrap\">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", html)
    assert rows == [("3", "Site kind code", "Unknown site kind."),
                    ("4", "Supervising department code", "Unknown or inactive office.")]
    assert Site.objects.count() == before


def test_the_page_refuses_a_file_that_is_not_an_xlsx(people, hazards):
    response = client_for(people.admin).post("/work/hazards/sites/import/",
                                             {"file": upload(b"kind,name\nmine,x\n", "sites.csv")})
    assert response.status_code == 400 and "This is not an Excel workbook (.xlsx)" in response.content.decode()
    response = client_for(people.admin).post("/work/hazards/sites/import/", {})
    assert response.status_code == 400


def test_a_changed_or_foreign_confirmation_creates_nothing(people, hazards):
    lines = imports.read_workbook(workbook(GOOD))
    token = imports.sign_lines(people.admin, lines)
    before = Site.objects.count()
    for user, sent in ((people.admin, token[:-3] + "abc"), (people.dispatcher, token)):
        response = client_for(user).post("/work/hazards/sites/import/", {"token": sent, "confirm": "1"})
        assert response.status_code == 400 and "upload the file again" in response.content.decode()
    assert Site.objects.count() == before


def test_a_confirmation_checks_the_lines_again(people, hazards):
    token = imports.sign_lines(people.admin, imports.read_workbook(workbook(GOOD)))
    hazards.emergency.is_active = False
    hazards.emergency.save(update_fields=["is_active"])
    response = client_for(people.admin).post("/work/hazards/sites/import/", {"token": token, "confirm": "1"})
    assert response.status_code == 400 and "Unknown or inactive office." in response.content.decode()
    assert not Site.objects.filter(name="滨河花园7号楼").exists()


def test_the_page_speaks_the_user_s_language(people, hazards):
    line = ["mine", "某矿", "葛城街道3号", 31.905, 108.606, "某公司", "", "", "nope", ""]
    response = client_for(people.admin, "zh-hans").post("/work/hazards/sites/import/",
                                                        {"file": upload(workbook([line]))})
    assert response.status_code == 400 and "机构不存在或已停用。" in response.content.decode()


@pytest.mark.parametrize("who", ["gridworker", "leader", "nobody"])
def test_users_who_keep_no_sites_do_not_reach_the_import(people, hazards, who):
    client = client_for(getattr(people, who))
    assert client.get("/work/hazards/sites/import/").status_code == 404
    assert client.get("/work/hazards/sites/import/template.xlsx").status_code == 404
    assert client.post("/work/hazards/sites/import/", {"file": upload(workbook(GOOD))}).status_code == 404


def test_a_department_s_handler_imports_the_sites_it_supervises(people, hazards):
    lines = imports.read_workbook(workbook([GOOD[1]]))
    report = imports.import_sites(hazards.emergency_handler, lines, commit=True)
    assert report.committed
    report = imports.import_sites(hazards.emergency_handler, imports.read_workbook(workbook([GOOD[0]])), commit=True)
    assert errors_of(report) == [(2, "")]
