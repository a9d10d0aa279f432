"""A petition about an office reaches that office with who petitioned hidden in every word:
however the petitioner wrote their name, phone, ID number, landline, e-mail and home address in
the petition, its request, a routing note, a reason for more time, a supervision note or a file
name, no user of the office (at the desk, by an office role, by a role over the township's area,
its leader, its supervisor) finds any of it through the pages, the API, the search, the exports,
the files or the messages Anju sends them. The petition office and the county read the words
whole after a logged reveal."""

import html
import zipfile
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from anju.cases import services as case_services
from anju.cases.models import PersonalDataAccess
from anju.notify.models import Notification
from anju.people.models import RoleAssignment, User
from anju.people.services import issue_token
from anju.petitions import services
from anju.petitions.tests import flow

TEXT = ("我叫王建国，村里人都叫我老王，电话139-8765-4321，也可以打一三九八七六五四三二一或+86 139 8765 4321，"
        "座机(023)5921 3456，身份证50022919850312001X，邮箱wjg@163.com，家住葛城街道幸福村3组12号。"
        "街道征收办拖欠我家征地补偿款两年。")
REQUEST = "请求足额发放补偿款，结果请寄给王先生，或发邮件到 wjg at 163 dot com。"
# Every way the words above name the petitioner.
IDENTITY = ["王建国", "老王", "王先生", "139-8765-4321", "一三九八七六五四三二一", "139 8765 4321", "13987654321",
            "5921 3456", "50022919850312001X", "wjg@163.com", "wjg at 163", "幸福村3组12号"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def petition(people, petitions, county):
    petitioner = services.NewPetitioner("王建国", "13987654321", "葛城街道幸福村3组12号", is_representative=True)
    case = flow.register(people, now=None, about="gc", text=TEXT, request=REQUEST, petitioners=[petitioner],
                         group_size=1)
    services.route_petition(people.dispatcher, case, office_code="gc", note="王建国来访，电话 139 8765 4321")
    case.refresh_from_db()
    services.accept_petition(people.handler, case)
    case.refresh_from_db()
    services.request_petition_extension(people.handler, case, days=30, reason="需约王先生（13987654321）现场核实")
    case_services.supervise_case(people.supervisor, case, level=1, note="请尽快答复老王，座机 023-5921 3456")
    case_services.add_attachment(people.dispatcher, case, SimpleUploadedFile("王建国身份证.png", PNG, "image/png"))
    case.refresh_from_db()
    return case


@pytest.fixture
def office_users(people, petitions, county):
    """Every user of 葛城街道办事处: the handler at its desk, a member by an office role, a member by
    a role over the township's area, its leader and its supervisor."""
    by_role = User.objects.create_user("gc_role", password="pw", email="gc_role@example.org")
    RoleAssignment.objects.create(user=by_role, role="handler", office=county.gecheng_office)
    by_area = User.objects.create_user("gc_area", password="pw", email="gc_area@example.org")
    RoleAssignment.objects.create(user=by_area, role="supervisor", region=county.gecheng)
    return [people.handler, by_role, by_area, petitions.township_leader, petitions.township_supervisor]


def _text_of(response) -> str:
    """The response as text, an Excel workbook unpacked first."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(BytesIO(content)) as archive:
            # openpyxl writes Chinese as character references: read them as text.
            return html.unescape("".join(archive.read(name).decode("utf-8", "replace")
                                         for name in archive.namelist()))
    return content.decode("utf-8", "replace")


def _found(response) -> str:
    """The search results of a list page (the petition workbench lists the user's own work above
    them, whatever is searched)."""
    text = _text_of(response)
    return text.split('id="petition-list"', 1)[1] if 'id="petition-list"' in text else text


def _assert_hidden(text: str, where: str) -> None:
    for word in IDENTITY:
        assert word not in text, f"{word} in {where}"


def test_no_user_of_the_office_finds_the_petitioner_in_any_word(petition, office_users):
    attachment = petition.attachments.get()
    pages = ["/work/", "/work/cases/", f"/work/cases/{petition.pk}/", "/work/notifications/", "/work/petitions/",
             f"/work/petitions/{petition.pk}/", "/work/petitions/stats/", "/work/dashboard/"]
    api_reads = ["/api/v1/cases", f"/api/v1/cases/{petition.pk}", "/api/v1/cases/inbox", "/api/v1/petitions",
                 f"/api/v1/petitions/{petition.pk}"]
    for user in office_users:
        page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        page.force_login(user)
        _record, raw = issue_token(user)
        api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        for url in pages:
            # Some pages are not for every role (the statistics): a refusal shows nothing either.
            response = page.get(url)
            assert response.status_code in (200, 403, 404), (user, url)
            _assert_hidden(_text_of(response), f"{url} for {user}")
        for url in api_reads:
            response = api.get(url)
            assert response.status_code == 200, (user, url)
            _assert_hidden(_text_of(response), f"{url} for {user}")
        exports = [page.post("/work/cases/export/"), page.get("/work/petitions/stats/", {"export": "xlsx"})]
        assert exports[0].status_code == 200
        for response in exports:
            if response.status_code == 200:
                assert response.content[:2] == b"PK"
                _assert_hidden(_text_of(response), f"export for {user}")
        # The office reads what the petition is about, without who wrote it.
        detail = api.get(f"/api/v1/cases/{petition.pk}").json()
        assert "征地补偿款两年" in detail["text"] and "【已隐去】" in detail["text"]
        assert detail["attachments"][0]["withheld"]
        assert api.get(f"/api/v1/cases/{petition.pk}/attachments/{attachment.pk}").status_code == 404
        assert page.get(f"/work/cases/{petition.pk}/attachments/{attachment.pk}/").status_code == 404
        assert "征地补偿款两年" in _text_of(page.get(f"/work/petitions/{petition.pk}/"))
        for word in IDENTITY:
            for url in ("/work/cases/", "/work/petitions/"):
                listed = _found(page.get(url, {"q": word}))
                assert f"/{petition.pk}/" not in listed, f"{word} finds it for {user} ({url})"
            for url in ("/api/v1/cases", "/api/v1/petitions"):
                found = api.get(url, {"q": word}).json()["items"]
                assert petition.pk not in [item["id"] for item in found], f"{word} finds it for {user} ({url})"
        # The search on what the petition is about does find it: the searches above could fail.
        assert f"/{petition.pk}/" in _found(page.get("/work/petitions/", {"q": "征地补偿款两年"}))
        messages = Notification.objects.filter(user=user)
        _assert_hidden(" ".join(f"{m.subject} {m.body}" for m in messages), f"notifications of {user}")
    # The handler was told of the routing; the messages read above are not an empty set.
    assert Notification.objects.filter(user=office_users[0], case=petition).exists()
    staff_mail = [m for m in mail.outbox if set(m.to) & {u.email for u in office_users if u.email}]
    _assert_hidden(" ".join(f"{m.subject} {m.body}" for m in staff_mail), "e-mail to the office")


@pytest.mark.parametrize("who", ["clerk", "supervisor"])
def test_the_petition_office_and_the_county_read_the_words_whole_after_a_logged_reveal(petition, people,
                                                                                       petitions, who):
    user = getattr(petitions, who, None) or getattr(people, who)
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(user)
    before = _text_of(page.get(f"/work/petitions/{petition.pk}/"))
    assert "王建国" not in before and "王**" in before
    petitioner = petition.petition.petitioners.get()
    shown = _text_of(page.post(f"/work/petitions/{petition.pk}/petitioners/{petitioner.pk}/reveal/",
                               {"reason": "回访"}))
    for word in ("王建国", "老王", "139-8765-4321", "50022919850312001X", "wjg@163.com", "家住葛城街道幸福村3组12号",
                 "王先生", "wjg at 163 dot com"):
        assert word in shown, word
    _record, raw = issue_token(user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    revealed = api.post(f"/api/v1/cases/{petition.pk}/reporter", {"reason": "核实"}, content_type="application/json")
    assert revealed.status_code == 200 and revealed.json()["text"] == TEXT
    looks = PersonalDataAccess.objects.filter(case=petition, user=user, granted=True)
    assert sorted(look.reason for look in looks) == ["回访", "核实"]
