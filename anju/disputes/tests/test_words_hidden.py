"""A confidential dispute (调解 case) about an office reaches that office with its people hidden in
every word: whatever way the reporter, the facts, the mediator's record of a session, the note on
how mediation ended and the follow-up visit wrote the parties' names, phones, ID number, landline,
e-mail and home addresses, the office's users (by desk, by office role, by a role over the
township's area) find none of it through the dispute pages and API, the case page and API, the
lists, the search, the export, the notifications or the files, and cannot reveal it; the county
sees the people whole after a reveal, and every look, refused or granted, is logged.

The dispute is about 葛城街道办事处 (code "gc") and is dispatched to that very office, which
mediates it: so the office's desk and office-role users see the dispute itself (a dispute left
with the 葛城 mediation committee, as the routing rules would send it, is out of their scope
altogether) and its people must still be hidden from them, its own mediator included
(``access.person_hidden_from``: hidden from every user of the office a case is about).

The last test goes on with the same dispute into the other words a mediator writes (risk reason,
session place, draft agreement, transfer reasons), each kept whole beside a redacted copy too."""

import html
import re
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from anju.cases import services as case_services
from anju.cases.models import PersonalDataAccess
from anju.cases.services import NewCase
from anju.disputes import services
from anju.disputes.choices import Consent, Outcome, Performance, SessionResult
from anju.disputes.tests import flow
from anju.lib.redact import MARK
from anju.lib.tracking import display
from anju.people.models import RoleAssignment, User
from anju.people.services import issue_token

# What the applicant told the hotline, recorded as the dispute's facts: every way the applicant
# names himself, and the other party named with his phone and home.
TEXT = ("我叫王建国，大家都叫我老王，电话139-8765-4321，也可以打一三九八七六五四三二一或+86 139 8765 4321，"
        "座机(023)5921 3456，身份证50022919850312001X，邮箱wjg@163.com，家住葛城街道幸福村3组12号。"
        "邻居赵德明（电话13700002222，住幸福村3组15号）占了我家半分地。"
        "街道办修路时把两家之间的界桩挖掉了，一个月没人管。")
# The words of the facts that say what happened, not who: still shown to the office.
WHAT_HAPPENED = "街道办修路时把两家之间的界桩挖掉了"
# The case's own text, as the dispatcher summed it up.
CASE_TEXT = "王建国与邻居赵德明因承包地界桩争执：街道办修路挖掉界桩后双方互不相让。"
PRESENT = "申请人王先生、被申请人赵师傅，村调解员"
SUMMARY = ("老王称对方占地半分，要求恢复界桩；赵德明称界桩原在此处。王先生留手机1398-765-4321，"
           "赵师傅留1370000 2222，约定下次带承包合同再谈。")
OUTCOME_NOTE = "王建国坚持恢复原界桩，赵德明（13700002222）不同意，调解未成。"
VISIT_NOTE = "回访王建国（手机139 8765 4321）：与赵德明未再争吵，等待法院立案。"
SUPERVISION_NOTE = "请尽快联系王建国（13987654321）组织调解"
ACCEPT_NOTE = "已联系王先生核实"
# Every way the words above name the two parties, and the masked forms a page could show.
IDENTITY = ["王建国", "老王", "王先生", "139-8765-4321", "一三九八七六五四三二一", "139 8765 4321", "1398-765-4321",
            "13987654321", "5921 3456", "50022919850312001X", "wjg@163.com", "幸福村3组12号",
            "赵德明", "赵师傅", "13700002222", "1370000 2222", "幸福村3组15号",
            "王**", "赵**", "139****4321", "137****2222"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def dispute(people, county, mediation):
    """A confidential land dispute about 葛城街道办事处, registered by the county's dispatcher three
    days ago with its two parties, accepted and dispatched to that office, supervised by the
    county, with the applicant's ID card attached; the office took it up, held a session,
    ended mediation without an agreement and recorded the first follow-up visit, every note
    naming the parties."""
    start = timezone.now() - timedelta(days=3)
    case, _created = services.register_dispute(
        people.dispatcher,
        NewCase(kind="dispute", category_code="dispute.land", text=CASE_TEXT, lat=31.905, lng=108.605,
                reporter_name="王建国", reporter_phone="13987654321", reporter_email="wjg@163.com",
                confidential=True, about_office_code="gc"),
        services.DisputeFacts(facts=TEXT, parties=[
            services.NewParty("applicant", "王建国", "13987654321", "葛城街道幸福村3组12号", "恢复原界桩"),
            services.NewParty("respondent", "赵德明", "13700002222", "葛城街道幸福村3组15号", "按现状为准"),
        ]), now=start)
    case_services.accept_case(people.dispatcher, case, note=ACCEPT_NOTE, now=start)
    case = case_services.dispatch_case(people.dispatcher, case, office_code="gc", now=start)
    case_services.supervise_case(people.supervisor, case, level=1, note=SUPERVISION_NOTE, now=start)
    case_services.add_attachment(people.dispatcher, case, SimpleUploadedFile("王建国身份证.png", PNG, "image/png"),
                                 now=start)
    # The office mediates: its handler takes the dispute up and records what the parties said.
    services.take_up_dispute(people.handler, case, now=start)
    for party in case.dispute.parties.all():
        services.record_consent(people.handler, case, party_id=party.pk, consent=Consent.GIVEN, now=start)
    held = timezone.now() - timedelta(days=2)
    session = services.schedule_session(people.handler, case, scheduled_at=held, place="村委会调解室", now=start)
    services.record_session(people.handler, case, session_id=session.pk, present=PRESENT, summary=SUMMARY,
                            result=SessionResult.ADJOURNED, held_at=held)
    services.end_mediation(people.handler, case, outcome=Outcome.NO_AGREEMENT, note=OUTCOME_NOTE,
                           referral="县人民法院")
    visit = case.dispute.visits.order_by("due_on").first()
    services.record_visit(people.handler, case, visit_id=visit.pk, performance=Performance.NOT_APPLICABLE,
                          note=VISIT_NOTE)
    case.refresh_from_db()
    return case


def _office_user(who: str, people, county) -> User:
    """A user of 葛城街道办事处: its handler at the desk, a member by an office-scoped role, or a
    member by a role over the township's area."""
    if who == "desk":
        return people.handler
    user = User.objects.create_user(f"gc_{who}", password="pw")
    scope = {"office": county.gecheng_office} if who == "office_role" else {"region": county.gecheng}
    RoleAssignment.objects.create(user=user, role="handler", **scope)
    return user


def _api(user) -> Client:
    _record, raw = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _text_of(response) -> str:
    """The response as text, an Excel workbook unpacked first (openpyxl writes Chinese as
    character references, read back as text)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(BytesIO(content)) as archive:
            return html.unescape("".join(archive.read(name).decode("utf-8", "replace")
                                         for name in archive.namelist()))
    return content.decode("utf-8", "replace")


def _echo_removed(text: str, word: str) -> str:
    """A search page shows the words searched for in its search box, and keeps its own address
    for the language menu to come back to: that is the user's own input, not what the page found."""
    text = text.replace(f'name="q" value="{html.escape(word)}"', 'name="q" value=""')
    return re.sub(r'name="next" value="[^"]*"', 'name="next" value=""', text)


def _found_in(text: str) -> list[str]:
    return [word for word in IDENTITY if word in text]


@pytest.mark.parametrize("who", ["desk", "office_role", "area_role"])
def test_no_user_of_the_office_the_dispute_is_about_finds_its_people(dispute, people, county, who):
    user = _office_user(who, people, county)
    api, page = _api(user), _page(user)
    attachment = dispute.attachments.get()
    party = dispute.dispute.parties.get(role="applicant")
    case_id = dispute.pk

    seen = {
        f"/work/disputes/{case_id}/": page.get(f"/work/disputes/{case_id}/"),
        "/work/disputes/": page.get("/work/disputes/"),
        f"/work/cases/{case_id}/": page.get(f"/work/cases/{case_id}/"),
        "/work/cases/": page.get("/work/cases/"),
        "/work/": page.get("/work/"),
        "/work/notifications/": page.get("/work/notifications/"),
        "/work/map/cases.json": page.get("/work/map/cases.json"),
        "export": page.post("/work/cases/export/"),
        f"/api/v1/disputes/{case_id}": api.get(f"/api/v1/disputes/{case_id}"),
        "/api/v1/disputes": api.get("/api/v1/disputes"),
        f"/api/v1/cases/{case_id}": api.get(f"/api/v1/cases/{case_id}"),
        "/api/v1/cases": api.get("/api/v1/cases"),
        "/api/v1/cases/inbox": api.get("/api/v1/cases/inbox"),
    }
    # Every answer is a page the user may have (nothing is hidden by refusing the whole page).
    assert {url: r.status_code for url, r in seen.items()} == dict.fromkeys(seen, 200)
    # The figures, where the user's role reaches them (counts of disputes, never of persons).
    seen["/work/disputes/stats/"] = page.get("/work/disputes/stats/")
    seen["/api/v1/disputes/stats"] = api.get("/api/v1/disputes/stats")
    texts = {url: _text_of(response) for url, response in seen.items()}
    leaks = {url: _found_in(text) for url, text in texts.items() if _found_in(text)}
    assert leaks == {}, f"{user} reads the parties in {leaks}"

    # The sweep above can fail: the dispute is there, with what happened, the people blanked.
    detail = seen[f"/api/v1/disputes/{case_id}"].json()
    assert WHAT_HAPPENED in detail["dispute"]["facts"] and MARK in detail["dispute"]["facts"]
    assert detail["parties_hidden"] is True and detail["parties"] == [] and not detail["can_reveal_parties"]
    [session] = detail["sessions"]
    assert MARK in session["present"] and "村调解员" in session["present"]
    assert "承包合同" in session["summary"] and MARK in session["summary"]
    assert MARK in detail["dispute"]["outcome_note"] and "调解未成" in detail["dispute"]["outcome_note"]
    [visit] = [v for v in detail["visits"] if v["status"] == "done"]
    assert MARK in visit["note"] and "法院立案" in visit["note"]
    assert detail["reporter"] == {"anonymous": False, "hidden": True, "name": "", "phone": ""}
    assert WHAT_HAPPENED in texts[f"/work/disputes/{case_id}/"] and "parties-hidden" in texts[
        f"/work/disputes/{case_id}/"]
    assert display(dispute.tracking_code) in texts["/work/disputes/"]
    assert "界桩" in texts["export"] and display(dispute.tracking_code) in texts["export"]
    assert case_id in [item["id"] for item in seen["/api/v1/disputes"].json()["items"]]

    # The ID card is withheld: named with the name blanked, not served.
    [file] = seen[f"/api/v1/cases/{case_id}"].json()["attachments"]
    assert file["withheld"] and file["url"] is None and MARK in file["name"]
    assert api.get(f"/api/v1/cases/{case_id}/attachments/{attachment.pk}").status_code == 404
    assert page.get(f"/work/cases/{case_id}/attachments/{attachment.pk}/").status_code == 404

    # Searching by any word that names a party finds nothing, on every list with a search
    # (the disputes API has no text search); searching by what happened does.
    for word in IDENTITY:
        for url in ("/work/disputes/", "/work/cases/"):
            listed = _echo_removed(_text_of(page.get(url, {"q": word})), word)
            assert f"/{case_id}/" not in listed, f"{word} finds it for {user} on {url}"
            assert not _found_in(listed), f"{url}?q={word} shows {_found_in(listed)} to {user}"
        found = api.get("/api/v1/cases", {"q": word}).json()["items"]
        assert case_id not in [item["id"] for item in found], f"{word} finds it for {user} (API)"
    assert f"/work/disputes/{case_id}/" in _text_of(page.get("/work/disputes/", {"q": "界桩"}))
    assert f"/work/cases/{case_id}/" in _text_of(page.get("/work/cases/", {"q": "界桩"}))
    assert case_id in [item["id"] for item in api.get("/api/v1/cases", {"q": "界桩"}).json()["items"]]

    # Revealing is refused, by the page and the API alike, and each attempt is logged.
    assert api.post(f"/api/v1/disputes/{case_id}/parties/{party.pk}/reveal", {"reason": "联系"},
                    content_type="application/json").status_code == 403
    refused_page = page.post(f"/work/disputes/{case_id}/parties/{party.pk}/reveal/", {"reason": "联系"})
    assert refused_page.status_code == 403 and not _found_in(_text_of(refused_page))
    assert api.post(f"/api/v1/cases/{case_id}/reporter", {"reason": "联系"},
                    content_type="application/json").status_code == 403
    refused_reporter = page.post(f"/work/cases/{case_id}/reporter/", {"reason": "联系"})
    assert refused_reporter.status_code == 403 and not _found_in(_text_of(refused_reporter))
    looks = PersonalDataAccess.objects.filter(case=dispute, user=user)
    assert not looks.filter(granted=True).exists()
    assert sorted(looks.values_list("subject", flat=True)) == sorted(
        ["", "", f"party {party.pk}", f"party {party.pk}"])


def test_the_county_sees_the_people_whole_after_a_logged_reveal(dispute, people):
    """The county's dispatcher and supervisor, who may see the people of a case not about their
    own office, read the parties and the reporter's words whole only by revealing them, and
    every reveal is logged with its reason."""
    case_id = dispute.pk
    applicant = dispute.dispute.parties.get(role="applicant")
    respondent = dispute.dispute.parties.get(role="respondent")
    api = _api(people.dispatcher)
    # Before the reveal the county reads the dispute as everyone does: masked, blanked.
    before = api.get(f"/api/v1/disputes/{case_id}")
    assert before.status_code == 200 and before.json()["can_reveal_parties"]
    assert "王建国" not in before.content.decode() and "王**" in before.content.decode()

    revealed = api.post(f"/api/v1/disputes/{case_id}/parties/{applicant.pk}/reveal", {"reason": "通知开庭"},
                        content_type="application/json")
    assert revealed.status_code == 200
    assert (revealed.json()["name"], revealed.json()["phone"], revealed.json()["address"]) == (
        "王建国", "13987654321", "葛城街道幸福村3组12号")
    reporter = api.post(f"/api/v1/cases/{case_id}/reporter", {"reason": "回访"}, content_type="application/json")
    assert reporter.status_code == 200
    body = reporter.json()
    assert (body["name"], body["phone"], body["email"]) == ("王建国", "13987654321", "wjg@163.com")
    assert body["text"] == CASE_TEXT
    # The timeline as written: the acceptance, the supervision, the session's summary, the end of
    # mediation and the visit name the parties whole.
    notes = " ".join(event["note"] for event in body["timeline"])
    for written in (ACCEPT_NOTE, SUPERVISION_NOTE, SUMMARY, OUTCOME_NOTE, VISIT_NOTE):
        assert written in notes, written
    # No answer gives the dispute's facts or a session's list of who was present as written
    # (``facts_whole``, ``present_whole``): the reveals above return the party and the case's
    # own words and timeline only, so the county reads those two redacted like everyone else.

    page = _page(people.supervisor)
    shown = _text_of(page.post(f"/work/disputes/{case_id}/parties/{respondent.pk}/reveal/", {"reason": "督办"}))
    assert "赵德明" in shown and "13700002222" in shown and "葛城街道幸福村3组15号" in shown
    case_page = _text_of(page.post(f"/work/cases/{case_id}/reporter/", {"reason": "督办"}))
    assert "王建国" in case_page and "13987654321" in case_page

    granted = PersonalDataAccess.objects.filter(case=dispute, granted=True)
    assert sorted((a.user.username, a.subject, a.reason) for a in granted) == sorted([
        ("dispatcher", f"party {applicant.pk}", "通知开庭"), ("dispatcher", "", "回访"),
        ("supervisor", f"party {respondent.pk}", "督办"), ("supervisor", "", "督办"),
    ])
    assert not PersonalDataAccess.objects.filter(case=dispute, granted=False).exists()


def test_the_dispute_s_other_words_hide_the_people_too(dispute, people, county, mediation):
    """The same dispute, reopened and mediated on, with the other words a mediator writes: why the
    risk is high, where the session is held, the draft agreement, why the dispute was passed to the
    justice bureau and why it came back. Every one of them may name a party as naturally as the
    facts do, and every one reaches the office, redacted."""
    case = case_services.reopen_case(people.supervisor, dispute, reason="回访发现纠纷仍未化解")
    services.update_dispute(people.handler, case, scale=2, facts=TEXT, risk_level="high",
                            risk_reason="赵德明扬言要去县里上访")
    services.schedule_session(people.handler, case, scheduled_at=timezone.now() + timedelta(days=1),
                              place="王建国家中")
    services.draft_agreement(people.handler, case, services.AgreementText(
        facts="王建国与赵德明承包地相邻，因界桩被挖发生争执。", matters="王建国主张的半分地的归属。",
        responsibilities="界桩系修路挖掉，王建国、赵德明均无过错。", terms="赵德明按原承包合同附图退还半分地给王建国。",
        performance_manner="王建国、赵德明共同到场，村委会见证",
        performance_deadline=flow.today() + timedelta(days=30)))
    transfer = services.propose_transfer(people.handler, case, to_type="administrative", to_office_code="sfj",
                                         reason="王建国要求由司法局调解")
    services.return_transfer(mediation.justice_mediator, case, transfer_id=transfer.pk,
                             reason="赵德明不同意由司法局调解")
    user = people.handler
    api, page = _api(user), _page(user)
    detail = api.get(f"/api/v1/disputes/{case.pk}")
    assert detail.status_code == 200
    assert detail.json()["parties_hidden"] and "修路" in detail.json()["dispute"]["facts"]
    # The printed agreement names the parties whole: refused to the office, and logged.
    agreement = case.dispute.agreements.get()
    assert page.get(f"/work/disputes/{case.pk}/agreements/{agreement.pk}/print/").status_code == 403
    assert PersonalDataAccess.objects.filter(user=user, subject=f"agreement {agreement.pk}", granted=False).exists()
    seen = {
        f"/api/v1/disputes/{case.pk}": detail, "/api/v1/disputes": api.get("/api/v1/disputes"),
        f"/api/v1/cases/{case.pk}": api.get(f"/api/v1/cases/{case.pk}"),
        f"/work/disputes/{case.pk}/": page.get(f"/work/disputes/{case.pk}/"),
        "/work/disputes/": page.get("/work/disputes/"), f"/work/cases/{case.pk}/": page.get(f"/work/cases/{case.pk}/"),
    }
    leaks = {url: _found_in(_text_of(response)) for url, response in seen.items() if _found_in(_text_of(response))}
    # Each of these words is kept whole beside a copy redacted of the parties (``REDACTED`` of
    # Dispute, MediationSession, MediationAgreement and MediationTransfer); a session's place is
    # not copied into its timeline event.
    assert leaks == {}, f"{user} reads the parties in {leaks}"
