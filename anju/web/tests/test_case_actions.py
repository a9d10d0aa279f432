"""The action forms on the case page: each changes the case as its service would, bad input
comes back next to the field with nothing changed, and refusals are explained."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from anju.cases import services as s
from anju.cases.choices import ClockUnit, ExtensionStatus
from anju.cases.models import Attachment, CaseEvent, ExtensionRequest, SupervisionNotice
from anju.lib.tracking import display
from anju.web.case_forms import FORMS
from anju.web.tests.test_case_page import PNG


def act(client, case, slug, **fields):
    data = {f"{slug}-{name}": value for name, value in fields.items()}
    return client.post(reverse("web:case_action", args=[case.pk, slug]), data)


def page(case) -> str:
    return reverse("web:case_detail", args=[case.pk])


def snapshot(case):
    case.refresh_from_db()
    return case.status, case.office_id, case.events.count(), case.due_at


# ---------------------------------------------------------------------------- every action works


@pytest.mark.parametrize(("stage", "persona", "slug", "fields", "status"), [
    ("submitted", "dispatcher", "accept", {"note": "已核实"}, "accepted"),
    ("submitted", "dispatcher", "reject", {"reply": "属于司法程序，请向法院起诉"}, "closed"),
    ("accepted", "dispatcher", "dispatch", {"office": "gc", "note": "属地办理"}, "dispatched"),
    ("in_progress", "dispatcher", "transfer", {"office": "jtj", "note": "涉及道路"}, "dispatched"),
    ("dispatched", "handler", "start", {"note": "已签收"}, "in_progress"),
    ("in_progress", "handler", "wait", {"question": "请补充路灯编号"}, "waiting"),
    ("waiting", "handler", "resume", {"note": "已收到补充"}, "in_progress"),
    ("in_progress", "handler", "resolve", {"reply": "已更换灯泡，恢复照明"}, "resolved"),
    ("resolved", "gridworker", "follow_up", {"satisfaction": "4", "note": "满意"}, "closed"),
    ("resolved", "supervisor", "reopen", {"reason": "群众反映仍不亮"}, "in_progress"),
    ("in_progress", "supervisor", "supervise", {"level": "2", "note": "请加快办理"}, "in_progress"),
    ("dispatched", "handler", "request_extension", {"amount": "5", "unit": "working_days", "reason": "需协调"},
     "dispatched"),
])
def test_each_action_changes_the_case_as_its_service_does(case_at, browse, stage, persona, slug, fields, status):
    case = case_at(stage)
    before = case.events.count()
    response = act(browse(persona), case, slug, **fields)
    assert response.status_code == 302 and response.url == page(case), response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.status == status
    assert case.events.count() == before + 1
    assert case.events.last().action == slug


def test_the_new_state_is_shown_with_a_success_message(case_at, browse):
    case = case_at("submitted")
    client = browse("dispatcher")
    response = client.post(reverse("web:case_action", args=[case.pk, "accept"]), {"accept-note": ""}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The case was accepted." in html and "Accepted (已受理)" in html
    assert response.redirect_chain == [(page(case), 302)]


def test_the_details_of_each_action_reach_the_case(case_at, browse, people, county):
    case = case_at("accepted")
    act(browse("dispatcher"), case, "dispatch", office="jtj")
    case.refresh_from_db()
    assert case.office == county.transport

    case = case_at("in_progress")
    act(browse("handler"), case, "resolve", reply="已修复")
    act(browse("gridworker"), case, "follow_up", satisfaction="2")
    case.refresh_from_db()
    assert (case.reply, case.satisfaction, case.status) == ("已修复", 2, "closed")

    case = case_at("in_progress")
    act(browse("supervisor"), case, "supervise", level="3", note="县级督办")
    notice = SupervisionNotice.objects.get(case=case)
    assert (notice.level, notice.note, notice.issued_by) == (3, "县级督办", people.supervisor)

    case = case_at("dispatched")
    act(browse("handler"), case, "request_extension", amount="5", unit="calendar_days", reason="需协调")
    request = ExtensionRequest.objects.get(case=case)
    assert (request.amount, request.unit, request.status) == (5, "calendar_days", "pending")


def test_a_supervisor_approves_or_denies_the_pending_extension(case_at, browse):
    case = case_at("pending_extension")
    request = ExtensionRequest.objects.get(case=case)
    before = case.handle_due_at
    response = act(browse("supervisor"), case, "approve_extension", request_id=str(request.pk), note="同意")
    assert response.status_code == 302
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.status == ExtensionStatus.APPROVED and case.handle_due_at > before

    case = case_at("pending_extension")
    request = ExtensionRequest.objects.get(case=case)
    response = act(browse("supervisor"), case, "deny_extension", request_id=str(request.pk), note="理由不充分")
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decision_note) == (ExtensionStatus.DENIED, "理由不充分")


def test_the_approve_form_carries_the_pending_request(case_at, browse):
    case = case_at("pending_extension")
    request = ExtensionRequest.objects.get(case=case)
    html = browse("supervisor").get(page(case)).content.decode()
    assert f'name="approve_extension-request_id" value="{request.pk}"' in html


def test_a_return_sends_the_handler_back_to_the_workbench(case_at, browse, county):
    case = case_at("dispatched")
    response = act(browse("handler"), case, "return", reason="路灯归城管局管理")
    # The case left the handler's office, so its page would now be "not found" for them.
    assert response.status_code == 302 and response.url == reverse("web:home")
    case.refresh_from_db()
    assert (case.status, case.office, case.returned_reason) == ("accepted", county.centre, "路灯归城管局管理")


def test_a_case_is_merged_by_tracking_code(case_at, browse):
    target = case_at("submitted")
    duplicate = case_at("submitted")
    typed = display(target.tracking_code).lower()  # people type codes in any case
    response = act(browse("dispatcher"), duplicate, "merge", into=typed, note="同一路灯")
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("merged", target)
    assert target.events.last().action == "absorb"


def test_a_file_is_attached_from_the_page(case_at, browse):
    case = case_at("dispatched")
    response = browse("handler").post(reverse("web:case_action", args=[case.pk, "attach"]),
                                      {"attach-file": SimpleUploadedFile("现场.png", PNG, content_type="image/png")})
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=case)
    assert attachment.original_name == "现场.png" and case.events.last().action == "attach"


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("stage", "persona", "slug", "fields", "field", "message"), [
    ("in_progress", "handler", "resolve", {"reply": "   "}, "reply", "This field is required."),
    ("submitted", "dispatcher", "reject", {"reply": ""}, "reply", "This field is required."),
    ("dispatched", "handler", "return", {"reason": ""}, "reason", "This field is required."),
    ("in_progress", "handler", "wait", {"question": ""}, "question", "This field is required."),
    ("resolved", "dispatcher", "follow_up", {"satisfaction": "7"}, "satisfaction",
     "Select a valid choice. 7 is not one of the available choices."),
    ("resolved", "dispatcher", "follow_up", {"satisfaction": "很好"}, "satisfaction", "Select a valid choice."),
    ("resolved", "dispatcher", "follow_up", {}, "satisfaction", "This field is required."),
    ("accepted", "dispatcher", "dispatch", {"office": "nowhere"}, "office",
     "Select a valid choice. nowhere is not one of the available choices."),
    ("in_progress", "dispatcher", "transfer", {"office": ""}, "office", "This field is required."),
    ("submitted", "dispatcher", "merge", {"into": "ABCD-EFGH2"}, "into", "Unknown case."),
    ("submitted", "dispatcher", "merge", {"into": "不是编号"}, "into", "Unknown case."),
    ("in_progress", "supervisor", "supervise", {"level": "9", "note": "x"}, "level", "Select a valid choice."),
    ("in_progress", "supervisor", "supervise", {"level": "1", "note": ""}, "note", "This field is required."),
    ("pending_extension", "supervisor", "deny_extension", {"note": ""}, "note", "This field is required."),
    ("dispatched", "handler", "request_extension", {"amount": "0", "unit": "hours", "reason": "x"}, "amount",
     "Ensure this value is greater than or equal to 1."),
    # The service's own rule (at most 60 working days), shown next to the field it names.
    ("dispatched", "handler", "request_extension", {"amount": "61", "unit": "working_days", "reason": "x"},
     "amount", "Amount must be a whole number from 1 to 60."),
])
def test_bad_input_is_explained_next_to_the_field_and_changes_nothing(case_at, browse, stage, persona, slug,
                                                                      fields, field, message):
    case = case_at(stage)
    if slug == "deny_extension":
        fields = {**fields, "request_id": str(ExtensionRequest.objects.get(case=case).pk)}
    before = snapshot(case)
    requests_before = ExtensionRequest.objects.filter(case=case).values_list("status", flat=True)
    requests_before = list(requests_before)
    response = act(browse(persona), case, slug, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    error_id = f'id="id_{slug}-{field}_error"'
    assert error_id in html
    assert message in html.split(error_id, 1)[1][:300]
    assert f'id="act-{slug}" open' in html  # the form comes back unfolded
    assert snapshot(case) == before
    assert list(ExtensionRequest.objects.filter(case=case).values_list("status", flat=True)) == requests_before


def test_a_case_out_of_the_users_scope_cannot_be_a_merge_target(case_at, browse, people, county):
    elsewhere = case_at("submitted", lat=31.955, lng=108.705)  # 复兴
    case = case_at("submitted", lat=31.955, lng=108.705)
    mine = case_at("submitted")
    response = act(browse("township_dispatcher"), case, "merge", into=mine.tracking_code)
    assert response.status_code == 400 and "Unknown case." in response.content.decode()
    case.refresh_from_db()
    assert case.status == "submitted"
    assert act(browse("township_dispatcher"), case, "merge", into=elsewhere.tracking_code).status_code == 302


def test_a_decision_on_an_unknown_request_is_refused(case_at, browse):
    case = case_at("pending_extension")
    response = act(browse("supervisor"), case, "approve_extension", request_id="987654", note="")
    assert response.status_code == 400
    assert "Unknown extension request." in response.content.decode()
    assert ExtensionRequest.objects.get(case=case).status == ExtensionStatus.PENDING


def test_a_bad_file_is_explained_next_to_the_upload_field(case_at, browse):
    case = case_at("dispatched")
    response = browse("handler").post(reverse("web:case_action", args=[case.pk, "attach"]),
                                      {"attach-file": SimpleUploadedFile("x.png", b"#!/bin/sh\n", "image/png")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Only JPEG, PNG, GIF, WebP and PDF files are accepted." in html.split('id="id_attach-file_error"')[1][:200]
    assert Attachment.objects.count() == 0


# ---------------------------------------------------------------------------- refusals


def test_an_action_not_allowed_to_the_user_is_refused_with_the_reason(case_at, browse):
    case = case_at("dispatched")
    before = snapshot(case)
    response = act(browse("dispatcher"), case, "start", note="")
    assert response.status_code == 400
    assert "You may not do this with this case." in response.content.decode()
    assert snapshot(case) == before


def test_an_action_not_allowed_in_the_current_status_is_refused_with_the_reason(case_at, browse):
    case = case_at("accepted")
    before = snapshot(case)
    response = act(browse("dispatcher"), case, "accept", note="")
    assert response.status_code == 400
    assert "A case that is Accepted (已受理) cannot be Accepted." in response.content.decode()
    assert snapshot(case) == before


def test_a_rejected_case_cannot_be_reopened(case_at, browse):
    case = case_at("rejected")
    response = act(browse("dispatcher"), case, "reopen", reason="再看看")
    assert response.status_code == 400
    assert "cannot be reopened" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "closed"


def test_it_answers_not_found_for_an_unknown_action(case_at, browse):
    case = case_at("submitted")
    assert act(browse("dispatcher"), case, "delete").status_code == 404
    assert act(browse("dispatcher"), case, "submit").status_code == 404


def test_actions_are_posted_not_fetched(case_at, browse):
    case = case_at("submitted")
    assert browse("dispatcher").get(reverse("web:case_action", args=[case.pk, "accept"])).status_code == 405


def test_out_of_scope_users_get_not_found_and_change_nothing(case_at, browse):
    case = case_at("dispatched")
    before = snapshot(case)
    for name in ("other_handler", "transport_handler", "nobody"):
        assert act(browse(name), case, "start", note="").status_code == 404
        assert act(browse(name), case, "request_extension", amount="1", unit="hours", reason="x").status_code == 404
    assert snapshot(case) == before
    assert not CaseEvent.objects.filter(case=case, action="start").exists()


def test_anonymous_visitors_are_sent_to_sign_in(case_at):
    case = case_at("dispatched")
    response = act(Client(), case, "start", note="")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    case.refresh_from_db()
    assert case.status == "dispatched"


def test_every_lifecycle_action_has_a_form():
    from anju.cases.choices import TRANSITIONS

    assert set(TRANSITIONS) <= set(FORMS)
    for slug, form in FORMS.items():
        assert form.slug == slug and form.title


def test_the_time_unit_choices_are_the_clock_units():
    assert dict(FORMS["request_extension"].base_fields["unit"].choices) == dict(ClockUnit.choices)


def test_the_office_list_offers_only_active_offices(case_at, browse, county):
    county.transport.is_active = False
    county.transport.save()
    case = case_at("accepted")
    html = browse("dispatcher").get(page(case)).content.decode()
    assert 'value="jtj"' not in html and 'value="fx"' in html
    assert act(browse("dispatcher"), case, "dispatch", office="jtj").status_code == 400
    assert s.route(case) is not None
