"""The dispute page: who may open it, the record with the parties masked, a logged reveal of one
party, and each mediation action form: it changes the dispute as its service does, and bad
input or a refusal comes back next to the field with a 400 and nothing written.

The pages use the real clock, so the disputes here are built relative to ``timezone.now()``
(registered three days ago) through the services; ``dispute_in`` and ``page_client`` are
shared with the other page tests (``dispute_in`` lives in ``flow``)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.cases import services as case_services
from anju.cases.choices import Status
from anju.cases.models import CaseEvent, PersonalDataAccess
from anju.cases.services import NewCase
from anju.disputes import services
from anju.disputes.models import Dispute, MediationAgreement, MediationTransfer, Party
from anju.disputes.tests.flow import dispute_in, today
from anju.web.tests.conftest import english_client


def page_client(people, mediation, who):
    """A client signed in as a persona (``people`` or ``mediation``), asking for English."""
    user = who if not isinstance(who, str) else getattr(mediation, who, None) or getattr(people, who)
    return english_client(user)


def detail(case) -> str:
    return reverse("disputes:detail", args=[case.pk])


def act(client, case, slug, target=None, **fields):
    prefix = slug if target is None else f"{slug}-{target.pk}"
    url = (reverse("disputes:act", args=[case.pk, slug]) if target is None
           else reverse("disputes:act_on", args=[case.pk, slug, target.pk]))
    return client.post(url, {f"{prefix}-{name}": value for name, value in fields.items()})


def snapshot(case):
    case.refresh_from_db()
    dispute = Dispute.objects.get(case=case)
    return (case.status, case.office_id, CaseEvent.objects.filter(case=case).count(), dispute.outcome,
            dispute.risk_level, dispute.mediator_id, Party.objects.filter(dispute=dispute).count(),
            dispute.sessions.count(), dispute.agreements.count(), dispute.transfers.count())


@pytest.fixture
def as_persona(people, mediation):
    return lambda who: page_client(people, mediation, who)


@pytest.fixture
def dispute(people, mediation):
    return lambda state, **kwargs: dispute_in(people, mediation, state, **kwargs)


# ---------------------------------------------------------------------------- who may open it


def test_it_sends_anonymous_visitors_to_sign_in(dispute):
    case = dispute("signed")
    agreement = MediationAgreement.objects.get()
    party = Party.objects.first()
    client = english_client()
    for url in (detail(case), reverse("disputes:agreement_print", args=[case.pk, agreement.pk]),
                reverse("disputes:agreement_docx", args=[case.pk, agreement.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
    for url in (reverse("disputes:act", args=[case.pk, "record"]),
                reverse("disputes:reveal_party", args=[case.pk, party.pk])):
        response = client.post(url, {})
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_it_answers_404_to_users_who_may_not_see_the_dispute(dispute, as_persona, new_case):
    case = dispute("mediating")
    for who in ("other_handler", "nobody", "village_mediator"):
        assert as_persona(who).get(detail(case)).status_code == 404, who
        assert act(as_persona(who), case, "record", scale="3", risk_level="low").status_code == 404, who
    # A case that is not a dispute has no dispute page.
    other = new_case()
    assert as_persona("dispatcher").get(reverse("disputes:detail", args=[other.pk])).status_code == 404
    assert as_persona("mediator").get("/work/disputes/999999/").status_code == 404


def test_it_shows_the_record_with_the_parties_masked(dispute, as_persona):
    case = dispute("mediating")
    response = as_persona("mediator").get(detail(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert "土地山林权属纠纷" in html and "两户因承包地边界发生争执" in html
    assert "葛城街道人民调解委员会" in html and "People&#x27;s mediation" in html
    shown = services.masked_party(Party.objects.get(role="applicant"))["address"]
    assert "张**" in html and "138****1111" in html and shown.endswith("…") and shown in html
    assert "张大山" not in html and "13800001111" not in html and "土城社区3组12号" not in html
    assert "Agrees to mediation" in html and "对方退还占用的半分地" in html
    assert f'href="/work/cases/{case.pk}/"' in html


def test_it_links_the_core_case_page_and_the_dispute_page_both_ways(dispute, as_persona, new_case):
    case = dispute("dispatched")
    html = as_persona("mediator").get(reverse("web:case_detail", args=[case.pk])).content.decode()
    assert f'href="{detail(case)}"' in html
    other = new_case()
    html = as_persona("dispatcher").get(reverse("web:case_detail", args=[other.pk])).content.decode()
    assert "/work/disputes/" not in html.split("<main", 1)[1]


def test_it_makes_the_record_of_a_dispute_that_came_in_through_the_core_intake(people, mediation, as_persona):
    case, _created = case_services.create_case(people.dispatcher, NewCase(
        kind="dispute", category_code="dispute.neighbour", text="楼上漏水与楼下争执", lat=31.905, lng=108.605))
    assert not Dispute.objects.filter(case=case).exists()
    response = as_persona("dispatcher").get(detail(case))
    assert response.status_code == 200
    assert Dispute.objects.filter(case=case).exists()
    assert "No party recorded yet." in response.content.decode()


# ---------------------------------------------------------------------------- revealing a party


def test_it_reveals_one_party_in_that_response_only_and_logs_the_look(dispute, as_persona, mediation):
    case = dispute("mediating")
    applicant = Party.objects.get(role="applicant")
    client = as_persona("mediator")
    response = client.post(reverse("disputes:reveal_party", args=[case.pk, applicant.pk]), {"reason": "电话通知调解"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "张大山" in html and "13800001111" in html and "土城社区3组12号" in html
    assert "李小河" not in html and "13900002222" not in html
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.case, log.subject, log.reason, log.granted) == (
        mediation.mediator, case, f"party {applicant.pk}", "电话通知调解", True)
    assert "张大山" not in client.get(detail(case)).content.decode()


def test_it_refuses_the_reveal_to_a_user_who_sees_but_may_not_reveal_and_logs_the_attempt(dispute, as_persona,
                                                                                         people):
    case = dispute("mediating")
    party = Party.objects.first()
    client = as_persona("leader")
    html = client.get(detail(case)).content.decode()
    assert "Your role does not let you see the parties" in html
    assert reverse("disputes:reveal_party", args=[case.pk, party.pk]) not in html
    response = client.post(reverse("disputes:reveal_party", args=[case.pk, party.pk]), {"reason": ""})
    assert response.status_code == 403
    assert "You may not see this party" in response.content.decode() and "张大山" not in response.content.decode()
    assert PersonalDataAccess.objects.get().granted is False


def test_it_answers_404_for_a_party_of_another_dispute(dispute, as_persona):
    case = dispute("mediating")
    other = dispute("mediating")
    party = other.dispute.parties.first()
    response = as_persona("mediator").post(reverse("disputes:reveal_party", args=[case.pk, party.pk]), {})
    assert response.status_code == 404


# ---------------------------------------------------------------------------- which forms are offered


def forms_on(html: str) -> set[str]:
    import re

    return set(re.findall(r'<details class="action[^"]*" id="act-([a-z_]+)', html))


@pytest.mark.parametrize(("state", "persona", "expected"), [
    ("submitted", "dispatcher", set()),
    ("dispatched", "mediator", {"take_up", "mediator", "record", "add_party", "schedule", "transfer", "end",
                                "draft", "consent"}),
    ("mediating", "mediator", {"mediator", "record", "add_party", "schedule", "transfer", "end", "draft",
                               "consent"}),
    ("session_due", "mediator", {"mediator", "record", "add_party", "schedule", "transfer", "end", "draft",
                                 "consent", "record_session"}),
    ("drafted", "mediator", {"mediator", "record", "add_party", "schedule", "transfer", "end", "draft", "consent",
                             "sign"}),
    ("signed", "mediator", {"judicial_application", "visit"}),
    ("sought", "mediator", {"judicial_decision", "visit"}),
    ("signed", "dispatcher", {"visit"}),
    # Supervisors may name the mediator; leaders only read.
    ("mediating", "leader", set()),
    ("mediating", "supervisor", {"mediator"}),
    # While the transfer waits, the receiving organisation decides on it before it mediates.
    ("transferred", "justice_mediator", {"mediator", "record", "add_party", "accept_transfer", "return_transfer"}),
])
def test_it_offers_exactly_the_actions_the_user_may_take_now(dispute, as_persona, state, persona, expected):
    case = dispute(state)
    response = as_persona(persona).get(detail(case))
    assert response.status_code == 200
    assert forms_on(response.content.decode()) == expected


def test_it_sends_intake_steps_to_the_core_case_page(dispute, as_persona):
    case = dispute("submitted")
    html = as_persona("dispatcher").get(detail(case)).content.decode()
    assert "accept and dispatch it to a mediation organisation on the case page" in html


# ---------------------------------------------------------------------------- each action works


def _party(case, role="applicant"):
    return case.dispute.parties.get(role=role)


def _planned_visit(case):
    return case.dispute.visits.filter(status="planned").order_by("due_on").first()


ACTIONS = [
    # state, persona, slug, target, fields, check
    ("dispatched", "mediator", "take_up", None, {},
     lambda case, m: case.status == Status.IN_PROGRESS and case.dispute.mediator == m.mediator),
    ("mediating", "mediator", "record", None,
     {"scale": "5", "facts": "界桩被移动约半米", "risk_level": "medium", "risk_reason": "双方言语冲突"},
     lambda case, m: (case.dispute.scale, case.dispute.risk_level) == (5, "medium")),
    ("mediating", "mediator", "add_party", None,
     {"role": "third_party", "name": "王村长", "phone": "13700003333", "address": "", "claim": ""},
     lambda case, m: case.dispute.parties.filter(role="third_party", name="王村长").exists()),
    ("mediating", "other_mediator", "mediator", None, {"mediator": "USER:other_mediator"},
     lambda case, m: case.dispute.mediator == m.other_mediator),
    ("mediating", "mediator", "schedule", None, {"scheduled_at": "NEXT_WEEK", "place": "土城社区调解室"},
     lambda case, m: case.dispute.sessions.filter(place="土城社区调解室", held_at__isnull=True).exists()),
    ("session_due", "mediator", "record_session", "session",
     {"held_at": "", "present": "双方当事人、村干部", "summary": "双方同意重新测量", "result": "adjourned"},
     lambda case, m: case.dispute.sessions.get().result == "adjourned" and case.status == Status.IN_PROGRESS),
    ("mediating", "mediator", "draft", None,
     {"facts": "事实", "matters": "半分地", "responsibilities": "均无过错", "terms": "重新埋设界桩",
      "performance_manner": "共同到场", "performance_deadline": "IN_A_MONTH"},
     lambda case, m: case.dispute.agreements.get().status == "draft"),
    ("drafted", "mediator", "sign", "agreement", {"effective_on": "TODAY"},
     lambda case, m: case.dispute.agreements.get().status == "effective" and case.status == Status.RESOLVED),
    ("mediating", "mediator", "end", None,
     {"outcome": "withdrawn", "note": "申请人撤回申请", "referral": "", "confirm": "on"},
     lambda case, m: case.dispute.outcome == "withdrawn" and case.status == Status.RESOLVED),
    ("mediating", "mediator", "consent", "respondent",
     {"consent": "refused", "note": "不愿调解，要求起诉", "confirm": "on"},
     lambda case, m: case.dispute.outcome == "refused" and _party(case, "respondent").consent == "refused"),
    ("signed", "mediator", "judicial_application", "agreement", {"applied_on": "TODAY", "court": "城口县人民法院"},
     lambda case, m: case.dispute.agreements.get().judicial_status == "sought"),
    ("sought", "mediator", "judicial_decision", "agreement", {"confirmed": "yes", "decided_on": "TODAY", "note": ""},
     lambda case, m: case.dispute.agreements.get().judicial_status == "confirmed"),
    ("signed", "dispatcher", "visit", "visit", {"performance": "performed", "note": "已按协议埋设界桩"},
     lambda case, m: case.dispute.visits.filter(status="done", performance="performed").count() == 1),
    ("transferred", "justice_mediator", "accept_transfer", "transfer", {"note": "接收"},
     lambda case, m: MediationTransfer.objects.get().status == "accepted"
     and case.dispute.mediation_type == "administrative"),
    ("transferred", "justice_mediator", "return_transfer", "transfer", {"reason": "不属于行政调解范围"},
     lambda case, m: MediationTransfer.objects.get().status == "returned" and case.office == m.committee),
]


def _target(case, name):
    dispute = case.dispute
    if name is None:
        return None
    if name in ("applicant", "respondent"):
        return _party(case, name)
    return {"session": lambda: dispute.sessions.first(), "agreement": lambda: dispute.agreements.first(),
            "visit": lambda: _planned_visit(case), "transfer": lambda: dispute.transfers.first()}[name]()


def _values(fields, mediation):
    moments = {"TODAY": today().isoformat(), "IN_A_MONTH": (today() + timedelta(days=30)).isoformat(),
               "NEXT_WEEK": (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")}
    values = {}
    for name, value in fields.items():
        if value in moments:
            value = moments[value]
        elif value.startswith("USER:"):
            value = str(getattr(mediation, value[5:]).pk)
        values[name] = value
    return values


@pytest.mark.parametrize(("state", "persona", "slug", "target", "fields", "check"), ACTIONS,
                         ids=[row[2] for row in ACTIONS])
def test_each_action_changes_the_dispute_as_its_service_does(dispute, as_persona, mediation, state, persona, slug,
                                                             target, fields, check):
    case = dispute(state)
    events = CaseEvent.objects.filter(case=case).count()
    response = act(as_persona(persona), case, slug, _target(case, target), **_values(fields, mediation))
    assert response.status_code == 302, response.content.decode()[:3000]
    # A returned transfer takes the dispute back out of the receiving organisation's reach.
    assert response.url == (reverse("disputes:workbench") if slug == "return_transfer" else detail(case))
    case.refresh_from_db()
    assert check(case, mediation)
    assert CaseEvent.objects.filter(case=case).count() > events


def test_a_transfer_out_of_the_mediators_reach_goes_back_to_the_workbench(dispute, as_persona):
    case = dispute("mediating")
    client = as_persona("mediator")
    response = act(client, case, "transfer", to_type="judicial", to_office="court", reason="涉及诉讼程序")
    assert response.status_code == 302 and response.url == reverse("disputes:workbench")
    case.refresh_from_db()
    assert case.office.code == "court" and MediationTransfer.objects.get().status == "pending"
    assert "is no longer with your organisation" in client.get(response.url).content.decode()


def test_the_new_state_is_shown_with_a_success_message(dispute, as_persona):
    case = dispute("dispatched")
    response = as_persona("mediator").post(reverse("disputes:act", args=[case.pk, "take_up"]), {}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Mediation has started." in html and "In progress" in html


# ---------------------------------------------------------------------------- bad input and refusals


REFUSALS = [
    # state, persona, slug, target, fields, field the error stands next to (None: the form's top), words
    ("mediating", "mediator", "record", None, {"scale": "3", "facts": "", "risk_level": "high", "risk_reason": ""},
     "risk_reason", "Reason for the risk level is required."),
    ("mediating", "mediator", "record", None, {"scale": "0", "risk_level": "low"}, "scale", ""),
    ("mediating", "mediator", "add_party", None, {"role": "applicant", "name": "王五", "phone": "call me"},
     "phone", "Phone may hold only digits"),
    ("mediating", "mediator", "end", None, {"outcome": "withdrawn", "note": "撤回"}, "confirm",
     "Tick this box to confirm"),
    ("mediating", "mediator", "end", None, {"outcome": "no_agreement", "note": "分歧大", "confirm": "on"},
     "referral", "Referred to is required."),
    ("mediating", "mediator", "consent", "respondent", {"consent": "refused", "note": "不愿调解"}, "confirm",
     "Tick this box to confirm"),
    ("mediating", "mediator", "consent", "respondent", {"consent": "refused", "note": "", "confirm": "on"}, "note",
     "Note is required."),
    ("mediating", "mediator", "schedule", None, {"scheduled_at": "NEXT_WEEK", "place": ""}, "place", ""),
    ("session_due", "mediator", "record_session", "session",
     {"present": "双方", "summary": "未达成一致", "result": "no_agreement"}, "confirm", "Tick this box"),
    ("drafted", "mediator", "sign", "agreement", {"effective_on": "TOMORROW"}, "effective_on",
     "cannot take effect in the future"),
    ("mediating", "mediator", "draft", None,
     {"facts": "事实", "matters": "半分地", "responsibilities": "无", "terms": "埋设界桩", "performance_manner": "到场",
      "performance_deadline": "YESTERDAY"}, "performance_deadline", "must not be in the past"),
    ("signed", "mediator", "judicial_application", "agreement", {"applied_on": "YESTERDAY", "court": "城口县人民法院"},
     "applied_on", "before the agreement took effect"),
    ("sought", "mediator", "judicial_decision", "agreement", {"confirmed": "no", "decided_on": "TODAY", "note": ""},
     "note", "Note is required."),
    ("mediating", "mediator", "transfer", None, {"to_type": "people", "to_office": "gc-tjw", "reason": "x"},
     "to_office", ""),
    ("signed", "dispatcher", "visit", "visit", {"performance": "not_applicable", "note": "稳定"}, "performance",
     "Select a valid choice."),
    ("signed", "dispatcher", "visit", "visit", {"performance": "performed", "note": ""}, "note", ""),
    ("mediating", "leader", "record", None, {"scale": "3", "risk_level": "low"}, None,
     "You may not do this with this dispute."),
]


@pytest.mark.parametrize(("state", "persona", "slug", "target", "fields", "field", "words"), REFUSALS,
                         ids=[f"{row[2]}-{row[5]}" for row in REFUSALS])
def test_bad_input_comes_back_next_to_its_field_with_nothing_written(dispute, as_persona, mediation, state, persona,
                                                                    slug, target, fields, field, words):
    case = dispute(state)
    target_object = _target(case, target)
    before = snapshot(case)
    values = _values(fields, mediation)
    values.update({name: (today() + timedelta(days=1 if value == "TOMORROW" else -1)).isoformat()
                   for name, value in fields.items() if value in ("TOMORROW", "YESTERDAY")})
    response = act(as_persona(persona), case, slug, target_object, **values)
    html = response.content.decode()
    assert response.status_code == 400
    assert snapshot(case) == before
    prefix = slug if target_object is None else f"{slug}-{target_object.pk}"
    assert "was not done." in html
    if field is None:
        assert words in html
    else:
        section = html.split(f'id="act-{prefix}"', 1)[1].split("</details>", 1)[0]
        assert f'id="id_{prefix}-{field}_error"' in section, section[:3000]
        assert words in section


def test_signing_needs_every_party_to_have_agreed(dispute, as_persona):
    case = dispute("drafted", consent=False)
    agreement = MediationAgreement.objects.get()
    before = snapshot(case)
    response = act(as_persona("mediator"), case, "sign", agreement, effective_on=today().isoformat())
    assert response.status_code == 400
    assert "Every party must have agreed to mediation before signing." in response.content.decode()
    assert snapshot(case) == before and MediationAgreement.objects.get().status == "draft"


def test_it_answers_404_for_an_unknown_action_or_target(dispute, as_persona):
    case = dispute("mediating")
    client = as_persona("mediator")
    assert client.post(reverse("disputes:act", args=[case.pk, "explode"]), {}).status_code == 404
    # An action on an object needs the object, and one on the dispute takes none.
    assert client.post(reverse("disputes:act", args=[case.pk, "consent"]), {}).status_code == 404
    assert client.post(reverse("disputes:act_on", args=[case.pk, "record", 1]), {}).status_code == 404
    other = dispute("mediating")
    party = other.dispute.parties.first()
    assert act(client, case, "consent", party, consent="given").status_code == 404
    assert client.get(reverse("disputes:act", args=[case.pk, "record"])).status_code == 405
