"""A confidential complaint about an office reaches that office with the person hidden in every
word: whatever way the reporter wrote their name, phone, ID number, landline, e-mail and home
address, the office's users (by desk, by office role, by a role over the township's area) find
none of it through the API, the pages, the search, the export, the files or the messages Anju
sends them (webhooks: ``webhooks/tests/test_payload.py``); the county sees the words whole after a
logged reveal."""

from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from anju.cases import services
from anju.cases.models import PersonalDataAccess
from anju.lib.tracking import display
from anju.notify.models import Notification
from anju.people.models import RoleAssignment, User
from anju.people.services import issue_token

TEXT = ("我叫王建国，大家都叫我老王，电话139-8765-4321，也可以打一三九八七六五四三二一或+86 139 8765 4321，"
        "座机(023)5921 3456，身份证50022919850312001X，邮箱wjg@163.com，家住葛城街道幸福村3组12号。"
        "街道办的人把路口挖断了一个月没人管。")
# Every way the words above name the reporter.
IDENTITY = ["王建国", "老王", "139-8765-4321", "一三九八七六五四三二一", "139 8765 4321", "5921 3456",
            "50022919850312001X", "wjg@163.com", "幸福村3组12号", "13987654321", "王先生"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def complaint(people, county, new_case):
    case = new_case(text=TEXT, confidential=True, about_office_code="gc", reporter_name="王建国",
                    reporter_phone="13987654321", reporter_email="wjg@163.com")
    case = services.accept_case(people.dispatcher, case, note="已联系王先生核实")
    case = services.dispatch_case(people.dispatcher, case, office_code="gc")
    services.supervise_case(people.supervisor, case, level=1, note="请尽快回复王建国（13987654321）")
    services.add_attachment(people.dispatcher, case, SimpleUploadedFile("王建国身份证.png", PNG, "image/png"))
    return case


def _member(username: str, **scope) -> User:
    user = User.objects.create_user(username, password="pw")
    RoleAssignment.objects.create(user=user, role="handler", **scope)
    return user


@pytest.fixture
def office_users(people, county):
    """The office complained about: its handler at the desk, a member by office role, and a member
    by a role over the township's area."""
    return [people.handler, _member("gc_role", office=county.gecheng_office),
            _member("gc_area", region=county.gecheng)]


def _api(user) -> Client:
    _record, raw = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _sheet_text(content: bytes) -> str:
    """Every cell of the workbook as text (the XML itself writes Chinese as character references)."""
    book = load_workbook(BytesIO(content), read_only=True)
    return "\n".join(str(value) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for value in row if value is not None)


def _assert_hidden(answer: str, where: str) -> None:
    for word in IDENTITY:
        assert word not in answer, f"{word} in {where}"


def test_the_office_complained_about_finds_the_reporter_nowhere(complaint, office_users, people, client):
    attachment = complaint.attachments.get()
    for user in office_users:
        api = _api(user)
        detail = api.get(f"/api/v1/cases/{complaint.pk}")
        assert detail.status_code == 200, user
        body = detail.content.decode()
        _assert_hidden(body, f"API detail for {user}")
        assert "【已隐去】" in detail.json()["text"] and "路口挖断" in detail.json()["text"]
        [file] = detail.json()["attachments"]
        assert file["withheld"] and file["url"] is None
        assert api.get(f"/api/v1/cases/{complaint.pk}/attachments/{attachment.pk}").status_code == 404
        _assert_hidden(api.get("/api/v1/cases").content.decode(), f"API list for {user}")
        assert api.post(f"/api/v1/cases/{complaint.pk}/reporter", {"reason": ""},
                        content_type="application/json").status_code == 403

        client.force_login(user)
        page = client.get(f"/work/cases/{complaint.pk}/")
        assert page.status_code == 200
        _assert_hidden(page.content.decode(), f"case page for {user}")
        assert client.get(f"/work/cases/{complaint.pk}/attachments/{attachment.pk}/").status_code == 404
        export = client.post("/work/cases/export/")
        assert export.status_code == 200
        sheet = _sheet_text(export.content)
        _assert_hidden(sheet, f"export for {user}")
        assert "路口挖断" in sheet and display(complaint.tracking_code) in sheet
        for word in IDENTITY:
            found = api.get("/api/v1/cases", {"q": word}).json()["items"]
            assert complaint.pk not in [item["id"] for item in found], f"{word} finds it for {user} (API)"
            listed = client.get("/work/cases/", {"q": word}).content.decode()
            assert f"/work/cases/{complaint.pk}/" not in listed, f"{word} finds it for {user} (page)"
        assert f"/work/cases/{complaint.pk}/" in client.get("/work/cases/", {"q": "路口挖断"}).content.decode()
        notified = Notification.objects.filter(user=user)
        _assert_hidden(" ".join(f"{n.subject} {n.body}" for n in notified), f"notifications of {user}")
        _assert_hidden(client.get("/work/notifications/").content.decode(), f"notifications page of {user}")
    # The desk handler was told of the dispatch: the messages read above are not an empty set.
    assert Notification.objects.filter(user=people.handler, case=complaint).exists()
    # Every e-mail but the reporter's own.
    _assert_hidden(" ".join(f"{m.subject} {m.body}" for m in mail.outbox if m.to != ["wjg@163.com"]),
                   "e-mail to staff")
    refused = PersonalDataAccess.objects.filter(case=complaint, granted=False)
    assert {a.user for a in refused} == set(office_users)


def test_the_county_reads_the_words_whole_after_a_logged_reveal(complaint, people, client):
    api = _api(people.dispatcher)
    assert "王建国" not in api.get(f"/api/v1/cases/{complaint.pk}").content.decode()
    revealed = api.post(f"/api/v1/cases/{complaint.pk}/reporter", {"reason": "回访"}, content_type="application/json")
    assert revealed.status_code == 200
    assert revealed.json()["text"] == TEXT and revealed.json()["name"] == "王建国"
    assert "王先生" in " ".join(note["note"] for note in revealed.json()["timeline"])
    client.force_login(people.supervisor)
    page = client.post(f"/work/cases/{complaint.pk}/reporter/", {"reason": "督办"}).content.decode()
    assert "王建国" in page and "139-8765-4321" in page and "家住葛城街道幸福村3组12号" in page
    looks = PersonalDataAccess.objects.filter(case=complaint, granted=True)
    assert {(a.user, a.reason) for a in looks} == {(people.dispatcher, "回访"), (people.supervisor, "督办")}


def test_a_file_marked_free_of_personal_data_opens_for_the_office(complaint, office_users, people, client):
    attachment = complaint.attachments.get()
    assert _api(office_users[0]).post(
        f"/api/v1/cases/{complaint.pk}/attachments/{attachment.pk}/clear").status_code == 403
    cleared = _api(people.dispatcher).post(f"/api/v1/cases/{complaint.pk}/attachments/{attachment.pk}/clear")
    assert cleared.status_code == 200 and cleared.json()["free_of_personal_data"]
    assert complaint.events.filter(action="clear_attachment", actor=people.dispatcher).exists()
    for user in office_users:
        assert _api(user).get(f"/api/v1/cases/{complaint.pk}/attachments/{attachment.pk}").status_code == 200
        # Its name stays redacted.
        client.force_login(user)
        _assert_hidden(client.get(f"/work/cases/{complaint.pk}/").content.decode(), "case page")


def test_a_case_whose_words_identify_the_reporter_can_be_kept_from_the_office(complaint, office_users, people):
    api = _api(people.dispatcher)
    refused = api.post(f"/api/v1/cases/{complaint.pk}/withhold", {"reason": "只有他家在路口"},
                       content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "office"
    kept = api.post(f"/api/v1/cases/{complaint.pk}/withhold", {"reason": "只有他家在路口", "office": "fx"},
                    content_type="application/json")
    assert kept.status_code == 200 and kept.json()["office"] == "fx"
    for user in office_users:
        assert _api(user).get(f"/api/v1/cases/{complaint.pk}").status_code == 404
    assert _api(people.other_handler).get(f"/api/v1/cases/{complaint.pk}").status_code == 200
    again = api.post(f"/api/v1/cases/{complaint.pk}/withhold", {"reason": "再次"}, content_type="application/json")
    assert again.status_code == 409


def test_the_case_page_marks_a_file_free_of_personal_data(complaint, office_users, people, client):
    attachment = complaint.attachments.get()
    clear = f"/work/cases/{complaint.pk}/attachments/{attachment.pk}/clear/"
    client.force_login(office_users[1])
    assert clear not in client.get(f"/work/cases/{complaint.pk}/").content.decode()
    assert client.post(clear).status_code == 403
    client.force_login(people.supervisor)
    assert clear in client.get(f"/work/cases/{complaint.pk}/").content.decode()
    assert client.post(clear).status_code == 302
    client.force_login(office_users[1])
    assert client.get(f"/work/cases/{complaint.pk}/attachments/{attachment.pk}/").status_code == 200
