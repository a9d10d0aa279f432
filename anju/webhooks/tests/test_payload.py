"""What a delivery says: the case's codes and status, the note of a public event, and never
the reporter, the case's text, an internal note, or any words of a confidential case."""

import json
from datetime import timedelta

from anju.cases import services as cases
from anju.conftest import at
from anju.webhooks import services
from anju.webhooks.models import Delivery

T = at(2026, 9, 30, 10)
REPORTER = {"reporter_name": "王小明", "reporter_phone": "13912345678", "reporter_email": "wxm@example.org"}
TEXT = "滨河路东段路灯不亮已经一周，晚上很危险"


def take_to_resolved(people, case, reply):
    case = cases.accept_case(people.dispatcher, case, note="已受理，将尽快处理", now=T)
    case = cases.dispatch_case(people.dispatcher, case, note="内部：请葛城街道速办", now=T)
    case = cases.start_case(people.handler, case, now=T)
    return cases.resolve_case(people.handler, case, reply=reply, now=T + timedelta(hours=5))


def sent(receiver):
    services.deliver_due(T + timedelta(days=1))
    return {r.json["event"]: r for r in receiver.requests}


def test_it_describes_the_case_and_the_event(receiver, endpoint, new_case, people, county):
    endpoint()
    case = take_to_resolved(people, new_case(now=T), "路灯已修复")
    by_event = sent(receiver)
    assert list(by_event) == ["submit", "accept", "dispatch", "start", "resolve"]
    resolve = by_event["resolve"]
    body = resolve.json
    delivery = Delivery.objects.get(event="resolve")
    assert body["id"] == str(delivery.uuid) == resolve.headers["X-Anju-Delivery"]
    assert body["event"] == "resolve" == resolve.headers["X-Anju-Event"]
    assert body["occurred_at"] == "2026-09-30T15:00:00+08:00"
    case.refresh_from_db()
    assert body["case"] == {
        "tracking_code": case.tracking_code,
        "kind": "complaint",
        "category": {"code": "urban.light", "name": "路灯故障"},
        "status": "resolved",
        "from_status": "in_progress",
        "region": {"code": county.grid1.code, "name": "土城第1网格"},
        "office": {"code": "gc", "name": "葛城街道办事处"},
        "due_at": case.due_at.astimezone(T.tzinfo).isoformat(),
        "submitted_at": "2026-09-30T10:00:00+08:00",
    }
    assert body["note"] == "路灯已修复"
    assert resolve.headers["Content-Type"] == "application/json"
    assert delivery.event_id == case.events.get(action="resolve").pk


def test_the_note_of_a_public_event_is_sent_and_an_internal_one_is_not(receiver, endpoint, new_case, people):
    endpoint()
    take_to_resolved(people, new_case(now=T), "路灯已修复")
    by_event = sent(receiver)
    assert by_event["accept"].json["note"] == "已受理，将尽快处理"
    assert "note" not in by_event["dispatch"].json
    assert "note" not in by_event["submit"].json
    assert all("内部".encode() not in body for body in receiver.bodies)


def test_the_body_is_utf8_json_without_escapes(receiver, endpoint, new_case):
    endpoint()
    new_case(now=T)
    (request,) = sent(receiver).values()
    assert "路灯故障".encode() in request.body
    assert b"\\u" not in request.body
    assert json.loads(request.body) == Delivery.objects.get().payload


def test_it_never_sends_reporter_data_or_the_case_text(receiver, endpoint, new_case, people):
    endpoint()
    case = new_case(now=T, text=TEXT, address="滨河路18号", **REPORTER)
    reply = "王小明您好，路灯已修复。如仍有问题请拨打13912345678或写信到wxm@example.org"
    take_to_resolved(people, case, reply)
    cases.follow_up_case(people.dispatcher, case, satisfaction=5, note="王小明表示满意", now=T + timedelta(days=1))
    by_event = sent(receiver)
    assert "resolve" in by_event and "follow_up" in by_event
    for body in receiver.bodies:
        for secret_word in ("王小明", "13912345678", "wxm@example.org", TEXT, "滨河路18号", "dispatcher", "handler"):
            assert secret_word.encode() not in body, secret_word
    # The reply still reaches the other system, with the personal parts blanked.
    assert "路灯已修复" in by_event["resolve"].json["note"]


def test_a_confidential_case_sends_no_words(receiver, endpoint, new_case, people):
    endpoint()
    case = new_case(now=T, text=TEXT, confidential=True, **REPORTER)
    take_to_resolved(people, case, "经核查，相关问题已整改完毕")
    by_event = sent(receiver)
    assert by_event["resolve"].json["case"]["status"] == "resolved"
    for body in receiver.bodies:
        assert b'"note"' not in body
        for words in (TEXT, "已受理", "整改完毕", "王小明"):
            assert words.encode() not in body


def test_a_complaint_about_an_office_sends_no_words(receiver, endpoint, new_case, people):
    endpoint()
    case = new_case(now=T, about_office_code="jtj")
    cases.accept_case(people.dispatcher, case, note="已受理", now=T)
    assert list(sent(receiver)) == ["submit", "accept"]
    assert all(b'"note"' not in body for body in receiver.bodies)


def test_a_test_event_carries_no_case(receiver, endpoint, django_capture_on_commit_callbacks):
    registered = endpoint(["resolve"], active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_test_event(registered, now=T)
    (request,) = receiver.requests
    assert request.verified
    assert request.json == {"id": request.headers["X-Anju-Delivery"], "event": "test",
                            "occurred_at": "2026-09-30T10:00:00+08:00", "case_id": None, "case": None}
    assert Delivery.objects.get().status == "sent"


def test_a_reply_greeting_the_reporter_by_another_form_of_the_name_is_blanked(receiver, endpoint, new_case, people):
    """The reply's words go out as the public reads them: 王先生 and 小明 of 王小明 too, as Open311 and
    /track blank them."""
    endpoint()
    case = new_case(now=T, text=TEXT, **REPORTER)
    take_to_resolved(people, case, "王先生您好：路灯已修复。小明反映的另一处也已查看。")
    note = sent(receiver)["resolve"].json["note"]
    assert "路灯已修复" in note
    assert "王先生" not in note and "小明" not in note


def test_a_reply_naming_the_reporter_in_any_form_goes_out_blanked(receiver, endpoint, new_case, people):
    """Every way a reply can name the reporter (issue: the person hidden in every word): the forms
    of the name, a phone grouped or in Chinese numerals, a landline, an ID number, an e-mail address
    typed or spelled out, where they live. The note still carries what was done."""
    endpoint()
    case = new_case(now=T, text=TEXT, reporter_name="王建国", reporter_phone="13987654321",
                    reporter_email="wjg@163.com")
    reply = ("老王您好：路灯已修复。王先生留的电话139-8765-4321、一三九八七六五四三二一、+86 139 8765 4321，"
             "座机(023)5921 3456，身份证50022919850312001X，邮箱wjg@163.com、wjg at 163 dot com，"
             "家住葛城街道幸福村3组12号的王建国已确认。")
    take_to_resolved(people, case, reply)
    note = sent(receiver)["resolve"].json["note"]
    assert "路灯已修复" in note and "【已隐去】" in note
    for word in ("王建国", "老王", "王先生", "139-8765-4321", "一三九八七六五四三二一", "139 8765 4321", "5921 3456",
                 "50022919850312001X", "wjg@163.com", "wjg at 163", "幸福村3组12号"):
        assert word not in note, word
