"""Dispute and screening endpoints under /api/v1/disputes and /api/v1/screening-rounds. Thin:
parse, look the dispute (or round, or report) up through ``anju.disputes.access``, call the
service, answer. Intake, acceptance and dispatch of a dispute are the core's
(/api/v1/cases/{id}/accept, /dispatch ...)."""

from datetime import date, datetime, timedelta
from typing import Literal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.responses import Status as HTTP

from anju.cases import access as case_access
from anju.cases import queries as case_queries
from anju.cases.api import ERRORS, MAX_ID, CaseDetail, CaseOut, case_detail, case_out
from anju.cases.choices import Channel, Priority, Status
from anju.cases.messages import office_handlers
from anju.cases.models import Case
from anju.cases.services import CaseError, NewCase
from anju.disputes import access, queries, services, stats
from anju.disputes.choices import (
    ENDING_OUTCOMES,
    AgreementStatus,
    Consent,
    MediationType,
    Outcome,
    PartyRole,
    Performance,
    ReportStatus,
    RiskLevel,
    RoundStatus,
    SessionResult,
)
from anju.disputes.models import Dispute, ScreeningReport, ScreeningRound
from anju.geo.models import Region
from anju.lib.api import Day, Moment, Text, choices_of
from anju.lib.paging import keyset_page
from anju.lib.workdays import LOCAL

router = Router(tags=["disputes"])
rounds_router = Router(tags=["screening rounds"])


# ---------------------------------------------------------------------------- dispute schemas


class DisputeRecordOut(Schema):
    scale: int = Field(description="people involved")
    facts: str
    risk_level: str
    risk_label: str
    risk_reason: str
    mediation_type: str
    mediator: str | None = Field(description="username of the mediator")
    mediator_name: str | None
    screening_report: int | None = Field(description="id of the screening report that found it")
    outcome: str = Field(description="empty while mediation goes on")
    outcome_note: str
    referral: str
    concluded_at: datetime | None
    resolved_level: str


class DisputeOut(CaseOut):
    dispute: DisputeRecordOut


class DisputePage(Schema):
    items: list[DisputeOut]
    next_cursor: int | None = Field(description="pass back as cursor for the next page; null at the end")


class PartyOut(Schema):
    id: int
    role: str
    name: str = Field(description="masked")
    phone: str = Field(description="masked")
    address: str = Field(description="cut short")
    claim: str
    consent: str
    consent_at: datetime | None
    consent_note: str


class PartyFull(PartyOut):
    name: str
    phone: str
    address: str


class SessionOut(Schema):
    id: int
    scheduled_at: datetime
    place: str
    held_at: datetime | None
    present: str
    summary: str
    result: str


class AgreementOut(Schema):
    id: int
    number: str
    facts: str
    matters: str
    responsibilities: str
    terms: str
    performance_manner: str
    performance_deadline: date
    status: str
    effective_on: date | None
    judicial_status: str
    judicial_applied_on: date | None
    court: str
    judicial_decided_on: date | None
    judicial_note: str
    judicial_window_ends_on: date | None = Field(
        description="last day to apply for judicial confirmation (30 days after the agreement took effect)")


class VisitOut(Schema):
    id: int
    agreement: int | None
    due_on: date
    status: str
    performance: str
    note: str
    done_at: datetime | None


class TransferOut(Schema):
    id: int
    from_type: str
    to_type: str
    from_office: str
    to_office: str
    reason: str
    status: str
    proposed_at: datetime
    decided_at: datetime | None
    decision_note: str


class MediatorOut(Schema):
    id: int
    username: str
    name: str


class DisputeDetail(CaseDetail):
    actions: list[str] = Field(description="dispute actions you may take now (update, add_party, take_up ...)")
    case_actions: list[str] = Field(description="lifecycle actions of the case (/api/v1/cases/{id}/...)")
    dispute: DisputeRecordOut
    parties_hidden: bool = Field(description="true when who the parties are is hidden from you")
    can_reveal_parties: bool
    parties: list[PartyOut]
    sessions: list[SessionOut]
    agreements: list[AgreementOut]
    visits: list[VisitOut]
    transfers: list[TransferOut]
    mediators: list[MediatorOut] = Field(description="who may be named mediator (when you may name one)")


class PartyIn(Schema):
    role: choices_of(PartyRole.values)  # type: ignore[valid-type]
    name: Text = Field(min_length=1, max_length=100)
    phone: Text = Field("", max_length=20)
    address: Text = Field("", max_length=200)
    claim: Text = Field("", max_length=2000, description="what this side asks")


class DisputeIn(Schema):
    category: Text = Field(max_length=40, description="dispute type: a category code in the dispute tree")
    text: Text = Field(min_length=1, max_length=5000)
    channel: choices_of(Channel.values) = Channel.HOTLINE  # type: ignore[valid-type]
    priority: choices_of(Priority.values) = Priority.NORMAL  # type: ignore[valid-type]
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    address: Text = Field("", max_length=200)
    region_code: Text = Field("", max_length=20)
    reporter_name: Text = Field("", max_length=50)
    reporter_phone: Text = Field("", max_length=20)
    reporter_email: Text = Field("", max_length=254)
    confidential: bool = False
    about_office: Text = Field("", max_length=40, description="code of the office the concern is about")
    scale: int = Field(2, ge=1, le=100_000, description="people involved")
    facts: Text = Field("", max_length=5000)
    risk_level: choices_of(RiskLevel.values) = RiskLevel.LOW  # type: ignore[valid-type]
    risk_reason: Text = Field("", max_length=500, description="required unless the risk is low")
    parties: list[PartyIn] = Field([], max_length=50)


class DisputeUpdateIn(Schema):
    scale: int = Field(ge=1, le=100_000)
    facts: Text = Field("", max_length=5000)
    risk_level: choices_of(RiskLevel.values)  # type: ignore[valid-type]
    risk_reason: Text = Field("", max_length=500, description="required unless the risk is low")


class DisputeFiltersIn(Schema):
    status: list[choices_of(Status.values)] | None = Field(None, max_length=8)  # type: ignore[valid-type]
    category: Text = Field("", max_length=40, description="dispute type code: the type or any below it")
    region: Text = Field("", max_length=20, description="region code: the dispute lies in its subtree")
    outcome: choices_of(("", *Outcome.values)) = ""  # type: ignore[valid-type]
    risk_level: choices_of(("", *RiskLevel.values)) = ""  # type: ignore[valid-type]
    mediation_type: choices_of(("", *MediationType.values)) = ""  # type: ignore[valid-type]
    office: Text = Field("", max_length=40, description="code of the mediating organisation")
    cursor: int | None = Field(None, ge=1, le=MAX_ID, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


class RevealIn(Schema):
    reason: Text = Field("", max_length=200)


class ConsentIn(Schema):
    consent: Literal[Consent.GIVEN.value, Consent.REFUSED.value]  # type: ignore[valid-type]
    note: Text = Field("", max_length=500, description="required for a refusal")


class MediatorIn(Schema):
    mediator: int = Field(ge=1, le=MAX_ID, description="id of a handler of the mediating organisation")


class SessionIn(Schema):
    scheduled_at: Moment
    place: Text = Field(min_length=1, max_length=200)


class SessionRecordIn(Schema):
    present: Text = Field(min_length=1, max_length=1000)
    summary: Text = Field(min_length=1, max_length=5000)
    result: choices_of(SessionResult.values)  # type: ignore[valid-type]
    held_at: Moment | None = Field(None, description="when it was held; the scheduled time when empty")
    referral: Text = Field("", max_length=200, description="where the parties were referred (no agreement)")


class AgreementIn(Schema):
    facts: Text = Field(min_length=1, max_length=5000)
    matters: Text = Field(min_length=1, max_length=3000)
    responsibilities: Text = Field(min_length=1, max_length=3000)
    terms: Text = Field(min_length=1, max_length=5000)
    performance_manner: Text = Field(min_length=1, max_length=500)
    performance_deadline: Day


class SignIn(Schema):
    effective_on: Day


class JudicialApplicationIn(Schema):
    applied_on: Day
    court: Text = Field(min_length=1, max_length=100)


class JudicialDecisionIn(Schema):
    confirmed: bool
    decided_on: Day
    note: Text = Field("", max_length=500, description="required when not confirmed")


class EndIn(Schema):
    outcome: choices_of(ENDING_OUTCOMES)  # type: ignore[valid-type]
    note: Text = Field(min_length=1, max_length=2000)
    referral: Text = Field("", max_length=200, description="required for no agreement")


class VisitIn(Schema):
    performance: choices_of(Performance.values)  # type: ignore[valid-type]
    note: Text = Field(min_length=1, max_length=2000)


class MediationTransferIn(Schema):
    to_type: choices_of(MediationType.values)  # type: ignore[valid-type]
    to_office: Text = Field(min_length=1, max_length=40, description="code of the receiving organisation")
    reason: Text = Field(min_length=1, max_length=500)


class TransferAcceptIn(Schema):
    note: Text = Field("", max_length=500)


class TransferReturnIn(Schema):
    reason: Text = Field(min_length=1, max_length=500)


class StatsFiltersIn(Schema):
    start: Day | None = Field(None, description="first day (Asia/Shanghai); 29 days before end when empty")
    end: Day | None = Field(None, description="last day, included; today when empty")
    region: Text = Field("", max_length=20, description="region code: count only the disputes in its subtree")


class StatsRowOut(Schema):
    code: str
    name: str
    found: int
    found_by_screening: int
    concluded: int
    resolved: int
    resolution_rate: float | None = Field(description="percent, one decimal; null with nothing to count from")
    resolved_village: int
    resolved_township: int
    resolved_above: int
    median_days_to_resolve: float | None
    visits_done: int
    visits_performed: int
    performance_rate: float | None
    reopened: int
    transfers: int
    transfers_accepted: int
    transfers_returned: int
    transfers_pending: int


class StatsPeriodOut(Schema):
    start: date
    end: date
    time_zone: str


class StatsRegionOut(Schema):
    code: str
    name: str


class TransferPathOut(Schema):
    from_type: str
    to_type: str
    from_label: str
    to_label: str
    transfers: int
    accepted: int
    returned: int
    pending: int


class DefinitionOut(Schema):
    key: str
    label: str
    definition: str


class StatsOut(Schema):
    period: StatsPeriodOut
    region: StatsRegionOut | None
    totals: StatsRowOut
    by_type: list[StatsRowOut]
    by_township: list[StatsRowOut]
    transfer_paths: list[TransferPathOut]
    definitions: list[DefinitionOut]
    notes: list[DefinitionOut]


# The longest period the figures are counted over in one request.
MAX_STATS_DAYS = 5 * 366


# ---------------------------------------------------------------------------- dispute output


def _record_out(dispute: Dispute) -> dict:
    mediator = dispute.mediator if dispute.mediator_id else None
    return {
        "scale": dispute.scale, "facts": dispute.facts, "risk_level": dispute.risk_level,
        "risk_label": str(RiskLevel(dispute.risk_level).label), "risk_reason": dispute.risk_reason,
        "mediation_type": dispute.mediation_type, "mediator": mediator.username if mediator else None,
        "mediator_name": str(mediator) if mediator else None, "screening_report": dispute.screening_report_id,
        "outcome": dispute.outcome, "outcome_note": dispute.outcome_note, "referral": dispute.referral,
        "concluded_at": dispute.concluded_at, "resolved_level": dispute.resolved_level,
    }


def _record_of(case: Case) -> Dispute:
    # A dispute case that came in through the core's intake has no record until its first
    # change; a read shows the record's defaults rather than writing one.
    found = access.dispute_of(case)
    return found if found is not None else Dispute(case=case)


def dispute_out(user, case: Case, now=None) -> dict:
    data = case_out(user, case, now)
    try:
        dispute = case.dispute
    except Dispute.DoesNotExist:
        dispute = Dispute(case=case)
    data["dispute"] = _record_out(dispute)
    return data


def _agreement_out(agreement) -> dict:
    return {name: getattr(agreement, name) for name in AgreementOut.model_fields}


def _transfer_out(transfer) -> dict:
    return {
        "id": transfer.pk, "from_type": transfer.from_type, "to_type": transfer.to_type,
        "from_office": transfer.from_office.code, "to_office": transfer.to_office.code, "reason": transfer.reason,
        "status": transfer.status, "proposed_at": transfer.proposed_at, "decided_at": transfer.decided_at,
        "decision_note": transfer.decision_note,
    }


def _session_out(session) -> dict:
    return {name: getattr(session, name) for name in SessionOut.model_fields}


def dispute_detail(user, case: Case) -> dict:
    data = case_detail(user, case)
    dispute = _record_of(case)
    stored = dispute.pk is not None
    data["case_actions"] = data.pop("actions")
    data["actions"] = queries.dispute_actions(user, case, dispute if stored else None)
    data["dispute"] = _record_out(dispute)
    # The one rule for every person on a case: hidden altogether, not even masked.
    hidden = case_access.person_hidden_from(user, case)
    data["parties_hidden"] = hidden
    data["can_reveal_parties"] = case_access.can_reveal_person(user, case)
    data["parties"] = [services.masked_party(p) for p in dispute.parties.all()] if stored and not hidden else []
    data["sessions"] = [_session_out(s) for s in dispute.sessions.all()] if stored else []
    data["agreements"] = [_agreement_out(a) for a in dispute.agreements.all()] if stored else []
    data["visits"] = [
        {"id": v.pk, "agreement": v.agreement_id, "due_on": v.due_on, "status": v.status,
         "performance": v.performance, "note": v.note, "done_at": v.done_at}
        for v in dispute.visits.all()
    ] if stored else []
    data["transfers"] = [_transfer_out(t) for t in
                         dispute.transfers.select_related("from_office", "to_office")] if stored else []
    mediators = []
    if "assign_mediator" in data["actions"]:
        mediators = [{"id": u.pk, "username": u.username, "name": str(u)} for u in office_handlers(case.office, case)]
    data["mediators"] = mediators
    return data


def _dispute_case(request, case_id: int) -> Case:
    if not 0 < case_id < MAX_ID:
        raise Http404
    return access.get_dispute_case_for(request.user, case_id, Case.objects.select_related(*case_queries.LIST_RELATED))


def _detail(request, case: Case) -> dict:
    # The answer to the actor's own change, read again without the scope filter: a transfer
    # moves the dispute to another organisation, yet the actor should see the result.
    return dispute_detail(request.user, Case.objects.select_related(*case_queries.LIST_RELATED).get(pk=case.pk))


def _sub_id(value: int) -> int:
    # Ids of parties, sessions ... beyond the id range are unknown, like any missing one.
    return value if 0 < value < MAX_ID else 0


# ---------------------------------------------------------------------------- dispute endpoints


@router.get("", response={200: DisputePage, **ERRORS}, summary="List disputes")
def list_disputes(request, filters: Query[DisputeFiltersIn]):
    """Disputes you may see, newest first, filtered; pass ``next_cursor`` back as ``cursor``."""
    rows = queries.disputes_for(request.user, queries.DisputeFilters(
        status=filters.status, category=filters.category, region=filters.region, outcome=filters.outcome,
        risk_level=filters.risk_level, mediation_type=filters.mediation_type, office=filters.office,
    ))
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    now = timezone.now()
    return {"items": [dispute_out(request.user, c, now) for c in page], "next_cursor": next_cursor}


@router.post("", response={201: DisputeDetail, 200: DisputeDetail, **ERRORS}, summary="Register a dispute")
def register_dispute(request, payload: DisputeIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Register a dispute (a case of kind ``dispute``, routed and on the clock like any case)
    with its record and parties. An ``Idempotency-Key`` header makes retries safe: the same
    key and body return the dispute the first request registered (200)."""
    details = services.DisputeFacts(
        scale=payload.scale, facts=payload.facts, risk_level=payload.risk_level, risk_reason=payload.risk_reason,
        parties=[services.NewParty(role=p.role, name=p.name, phone=p.phone, address=p.address, claim=p.claim)
                 for p in payload.parties],
    )
    data = NewCase(
        kind="dispute", category_code=payload.category, text=payload.text, channel=payload.channel,
        priority=payload.priority, lat=payload.lat, lng=payload.lng, address=payload.address,
        region_code=payload.region_code, reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone, reporter_email=payload.reporter_email,
        confidential=payload.confidential, about_office_code=payload.about_office,
    )
    if "\x00" in idempotency_key:
        raise CaseError(_("Idempotency-Key holds characters that are not allowed."), status=422,
                        field="Idempotency-Key")
    case, created = services.register_dispute(request.user, data, details, idempotency_key=idempotency_key.strip())
    return HTTP(201 if created else 200, _detail(request, case))


@router.get("/stats", response={200: StatsOut, **ERRORS}, summary="Dispute figures")
def dispute_stats(request, filters: Query[StatsFiltersIn]):
    """Counts of the disputes you may see over whole days (Asia/Shanghai): found, how mediation
    ended, where disputes were resolved, follow-up visits and transfers, per dispute type and
    per township, with each figure's definition. Counts of disputes, never of persons."""
    end = filters.end or timezone.now().astimezone(LOCAL).date()
    start = filters.start or end - timedelta(days=29)
    if end < start:
        raise CaseError(_("The period must not end before it starts."), status=422, field="end")
    if (end - start).days >= MAX_STATS_DAYS:
        raise CaseError(_("A period of at most %(n)s days.") % {"n": MAX_STATS_DAYS}, status=422, field="start")
    region = None
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        if region is None:
            raise CaseError(_("Unknown region code."), status=422, field="region")
    return stats.dispute_stats(request.user, start=start, end=end, region=region)


@router.get("/{int:case_id}", response={200: DisputeDetail, **ERRORS}, summary="One dispute")
def get_dispute(request, case_id: int):
    """The dispute with its case, record, parties (masked), sessions, agreements, follow-up
    visits and transfers, and the actions you may take now."""
    return dispute_detail(request.user, _dispute_case(request, case_id))


@router.put("/{int:case_id}", response={200: DisputeDetail, **ERRORS}, summary="Change the dispute record")
def update_dispute(request, case_id: int, payload: DisputeUpdateIn):
    case = _dispute_case(request, case_id)
    services.update_dispute(request.user, case, scale=payload.scale, facts=payload.facts,
                            risk_level=payload.risk_level, risk_reason=payload.risk_reason)
    return _detail(request, case)


@router.post("/{int:case_id}/parties", response={201: PartyOut, **ERRORS}, summary="Add a party")
def add_party(request, case_id: int, payload: PartyIn):
    party = services.add_party(request.user, _dispute_case(request, case_id), role=payload.role, name=payload.name,
                               phone=payload.phone, address=payload.address, claim=payload.claim)
    return HTTP(201, services.masked_party(party))


@router.put("/{int:case_id}/parties/{int:party_id}", response={200: PartyOut, **ERRORS}, summary="Correct a party")
def update_party(request, case_id: int, party_id: int, payload: PartyIn):
    party = services.update_party(request.user, _dispute_case(request, case_id), party_id=_sub_id(party_id),
                                  role=payload.role, name=payload.name, phone=payload.phone,
                                  address=payload.address, claim=payload.claim)
    return services.masked_party(party)


@router.post("/{int:case_id}/parties/{int:party_id}/reveal", response={200: PartyFull, **ERRORS},
             summary="Reveal a party's details (logged)")
def reveal_party(request, case_id: int, party_id: int, payload: RevealIn):
    """A party's full name, phone and address. Every call is logged, granted or refused."""
    party = services.reveal_party(request.user, _dispute_case(request, case_id), party_id=_sub_id(party_id),
                                  reason=payload.reason)
    return {**services.masked_party(party), "name": party.name, "phone": party.phone, "address": party.address}


@router.post("/{int:case_id}/parties/{int:party_id}/consent", response={200: DisputeDetail, **ERRORS},
             summary="Record a party's consent to mediation")
def record_consent(request, case_id: int, party_id: int, payload: ConsentIn):
    """Mediation is voluntary: a refusal ends it with the outcome ``refused``."""
    case = _dispute_case(request, case_id)
    services.record_consent(request.user, case, party_id=_sub_id(party_id), consent=payload.consent,
                            note=payload.note)
    return _detail(request, case)


@router.post("/{int:case_id}/mediator", response={200: DisputeDetail, **ERRORS}, summary="Name the mediator")
def assign_mediator(request, case_id: int, payload: MediatorIn):
    case = _dispute_case(request, case_id)
    services.assign_mediator(request.user, case, mediator_id=payload.mediator)
    return _detail(request, case)


@router.post("/{int:case_id}/take-up", response={200: DisputeDetail, **ERRORS}, summary="Take up (签收)")
def take_up(request, case_id: int):
    """The mediating organisation takes up a dispute dispatched to it: mediation starts."""
    case = _dispute_case(request, case_id)
    services.take_up_dispute(request.user, case)
    return _detail(request, case)


@router.post("/{int:case_id}/sessions", response={201: SessionOut, **ERRORS}, summary="Schedule a session")
def schedule_session(request, case_id: int, payload: SessionIn):
    session = services.schedule_session(request.user, _dispute_case(request, case_id),
                                        scheduled_at=payload.scheduled_at, place=payload.place)
    return HTTP(201, _session_out(session))


@router.post("/{int:case_id}/sessions/{int:session_id}/record", response={200: DisputeDetail, **ERRORS},
             summary="Record a session that was held")
def record_session(request, case_id: int, session_id: int, payload: SessionRecordIn):
    """A result of no agreement, withdrawal or refusal ends mediation with that outcome."""
    case = _dispute_case(request, case_id)
    services.record_session(request.user, case, session_id=_sub_id(session_id), present=payload.present,
                            summary=payload.summary, result=payload.result, held_at=payload.held_at,
                            referral=payload.referral)
    return _detail(request, case)


@router.post("/{int:case_id}/agreements", response={201: AgreementOut, 200: AgreementOut, **ERRORS},
             summary="Write the draft agreement (调解协议书)")
def draft_agreement(request, case_id: int, payload: AgreementIn):
    """Writes the dispute's draft (201), or rewrites the draft there is (200)."""
    case = _dispute_case(request, case_id)
    had_draft = Dispute.objects.filter(case=case, agreements__status=AgreementStatus.DRAFT).exists()
    agreement = services.draft_agreement(request.user, case, services.AgreementText(
        facts=payload.facts, matters=payload.matters, responsibilities=payload.responsibilities, terms=payload.terms,
        performance_manner=payload.performance_manner, performance_deadline=payload.performance_deadline,
    ))
    return HTTP(200 if had_draft else 201, _agreement_out(agreement))


@router.post("/{int:case_id}/agreements/{int:agreement_id}/sign", response={200: DisputeDetail, **ERRORS},
             summary="Sign the agreement: it takes effect")
def sign_agreement(request, case_id: int, agreement_id: int, payload: SignIn):
    """Mediation ends with the agreement; the 30-day window for judicial confirmation opens
    and the follow-up visits are planned."""
    case = _dispute_case(request, case_id)
    services.sign_agreement(request.user, case, agreement_id=_sub_id(agreement_id), effective_on=payload.effective_on)
    return _detail(request, case)


@router.post("/{int:case_id}/agreements/{int:agreement_id}/judicial-application",
             response={200: DisputeDetail, **ERRORS}, summary="Record the application for judicial confirmation")
def judicial_application(request, case_id: int, agreement_id: int, payload: JudicialApplicationIn):
    case = _dispute_case(request, case_id)
    services.record_judicial_application(request.user, case, agreement_id=_sub_id(agreement_id),
                                         applied_on=payload.applied_on, court=payload.court)
    return _detail(request, case)


@router.post("/{int:case_id}/agreements/{int:agreement_id}/judicial-decision",
             response={200: DisputeDetail, **ERRORS}, summary="Record the court's decision")
def judicial_decision(request, case_id: int, agreement_id: int, payload: JudicialDecisionIn):
    case = _dispute_case(request, case_id)
    services.record_judicial_decision(request.user, case, agreement_id=_sub_id(agreement_id),
                                      confirmed=payload.confirmed, decided_on=payload.decided_on, note=payload.note)
    return _detail(request, case)


@router.post("/{int:case_id}/end", response={200: DisputeDetail, **ERRORS},
             summary="End mediation without an agreement")
def end_mediation(request, case_id: int, payload: EndIn):
    case = _dispute_case(request, case_id)
    services.end_mediation(request.user, case, outcome=payload.outcome, note=payload.note, referral=payload.referral)
    return _detail(request, case)


@router.post("/{int:case_id}/visits/{int:visit_id}", response={200: DisputeDetail, **ERRORS},
             summary="Record a follow-up visit (回访)")
def record_visit(request, case_id: int, visit_id: int, payload: VisitIn):
    """An agreement partly or not performed reopens the dispute."""
    case = _dispute_case(request, case_id)
    services.record_visit(request.user, case, visit_id=_sub_id(visit_id), performance=payload.performance,
                          note=payload.note)
    return _detail(request, case)


@router.post("/{int:case_id}/transfers", response={201: TransferOut, **ERRORS},
             summary="Pass the dispute to another organisation (三调联动)")
def propose_transfer(request, case_id: int, payload: MediationTransferIn):
    """The dispute moves to the receiving organisation at once and waits there to be accepted
    or returned."""
    transfer = services.propose_transfer(request.user, _dispute_case(request, case_id), to_type=payload.to_type,
                                         to_office_code=payload.to_office, reason=payload.reason)
    return HTTP(201, _transfer_out(transfer))


@router.post("/{int:case_id}/transfers/{int:transfer_id}/accept", response={200: DisputeDetail, **ERRORS},
             summary="Accept a transferred dispute")
def accept_transfer(request, case_id: int, transfer_id: int, payload: TransferAcceptIn):
    case = _dispute_case(request, case_id)
    services.accept_transfer(request.user, case, transfer_id=_sub_id(transfer_id), note=payload.note)
    return _detail(request, case)


@router.post("/{int:case_id}/transfers/{int:transfer_id}/return", response={200: DisputeDetail, **ERRORS},
             summary="Return a transferred dispute")
def return_transfer(request, case_id: int, transfer_id: int, payload: TransferReturnIn):
    case = _dispute_case(request, case_id)
    services.return_transfer(request.user, case, transfer_id=_sub_id(transfer_id), reason=payload.reason)
    return _detail(request, case)


# ---------------------------------------------------------------------------- screening schemas


class RoundOut(Schema):
    id: int
    title: str
    region_code: str
    region_name: str
    theme: str
    theme_category: str | None = Field(description="code of the dispute type in focus")
    starts_on: date
    ends_on: date
    due_at: datetime
    status: str
    opened_at: datetime
    closed_at: datetime | None
    grids: int = Field(description="reports owed to the round, one per grid")
    submitted: int
    owed: int


class TownshipCoverageOut(Schema):
    code: str
    name: str
    grids: int
    submitted: int
    owed: int
    nothing_found: int
    late: int = Field(description="submitted late, or still owed past the due time")


class OwingGridOut(Schema):
    report: int = Field(description="id of the owed report")
    grid_code: str
    grid_name: str
    due_at: datetime
    overdue: bool


class RoundDetail(RoundOut):
    can_close: bool
    coverage: list[TownshipCoverageOut]
    owing: list[OwingGridOut]


class FoundDisputeOut(Schema):
    id: int
    tracking_code: str
    category: str


class ReportOut(Schema):
    id: int
    round: int
    round_title: str
    grid_code: str
    grid_name: str
    status: str
    nothing_found: bool
    note: str
    due_at: datetime
    overdue: bool
    missed_deadline: bool
    submitted_at: datetime | None
    submitted_by: str | None
    can_submit: bool
    disputes: list[FoundDisputeOut] = Field(description="the disputes it reported that you may see")


class RoundIn(Schema):
    title: Text = Field(min_length=1, max_length=100)
    region: Text = Field(min_length=1, max_length=20, description="region code; every grid below it reports")
    starts_on: Day
    ends_on: Day
    theme: Text = Field("", max_length=200)
    theme_category: Text = Field("", max_length=40, description="code of a dispute type in focus")


class FoundIn(Schema):
    category: Text = Field(min_length=1, max_length=40, description="dispute type code")
    text: Text = Field(min_length=1, max_length=5000)
    scale: int = Field(2, ge=1, le=100_000)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    address: Text = Field("", max_length=200)
    risk_level: choices_of(RiskLevel.values) = RiskLevel.LOW  # type: ignore[valid-type]
    risk_reason: Text = Field("", max_length=500)


class ReportIn(Schema):
    nothing_found: bool = False
    note: Text = Field("", max_length=2000)
    disputes: list[FoundIn] = Field([], max_length=50)


class RoundFiltersIn(Schema):
    status: choices_of(("", *RoundStatus.values)) = ""  # type: ignore[valid-type]
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=100_000)


# ---------------------------------------------------------------------------- screening output


def _round_out(screening: ScreeningRound, grids: int, submitted: int) -> dict:
    return {
        "id": screening.pk, "title": screening.title, "region_code": screening.region.code,
        "region_name": screening.region.name, "theme": screening.theme,
        "theme_category": screening.theme_category.code if screening.theme_category_id else None,
        "starts_on": screening.starts_on, "ends_on": screening.ends_on, "due_at": screening.due_at,
        "status": screening.status, "opened_at": screening.opened_at, "closed_at": screening.closed_at,
        "grids": grids, "submitted": submitted, "owed": grids - submitted,
    }


def round_detail(user, screening: ScreeningRound) -> dict:
    now = timezone.now()
    coverage = queries.round_coverage(screening, now)
    grids, submitted = sum(t["grids"] for t in coverage), sum(t["submitted"] for t in coverage)
    data = _round_out(screening, grids, submitted)
    data["can_close"] = screening.status == RoundStatus.OPEN and access.can_open_round(user, screening.region)
    data["coverage"] = coverage
    data["owing"] = [{"report": r.pk, "grid_code": r.grid.code, "grid_name": r.grid.name, "due_at": r.due_at,
                      "overdue": r.due_at < now} for r in queries.owing_grids(screening)]
    return data


def report_out(user, report: ScreeningReport, now=None) -> dict:
    now = now or timezone.now()
    found = access.dispute_cases(user).filter(dispute__screening_report=report).select_related("category")
    return {
        "id": report.pk, "round": report.round_id, "round_title": report.round.title, "grid_code": report.grid.code,
        "grid_name": report.grid.name, "status": report.status, "nothing_found": report.nothing_found,
        "note": report.note, "due_at": report.due_at,
        "overdue": report.status == ReportStatus.OWED and report.due_at < now,
        "missed_deadline": report.missed_deadline, "submitted_at": report.submitted_at,
        "submitted_by": report.submitted_by.username if report.submitted_by_id else None,
        "can_submit": (report.status == ReportStatus.OWED and report.round.status == RoundStatus.OPEN
                       and access.can_report_for(user, report.grid)),
        "disputes": [{"id": c.pk, "tracking_code": c.tracking_code, "category": c.category.code}
                     for c in found.order_by("id")],
    }


def _round(request, round_id: int) -> ScreeningRound:
    if not 0 < round_id < MAX_ID:
        raise Http404
    return access.get_round_for(request.user, round_id)


def _report(request, report_id: int) -> ScreeningReport:
    if not 0 < report_id < MAX_ID:
        raise Http404
    return access.get_report_for(request.user, report_id)


# ---------------------------------------------------------------------------- screening endpoints


@rounds_router.get("", response={200: list[RoundOut], **ERRORS}, summary="List screening rounds")
def list_rounds(request, filters: Query[RoundFiltersIn]):
    """Rounds that reach into your regions, newest first, with how many grids have reported."""
    rows = queries.rounds_with_coverage(request.user).select_related("theme_category")
    if filters.status:
        rows = rows.filter(status=filters.status)
    rows = rows[filters.offset: filters.offset + filters.limit]
    return [_round_out(r, r.grid_count, r.submitted_count) for r in rows]


@rounds_router.post("", response={201: RoundDetail, **ERRORS}, summary="Open a screening round (排查)")
def open_round(request, payload: RoundIn):
    """Every grid below the region owes one report by the end of the period's last day."""
    screening = services.open_round(request.user, title=payload.title, region_code=payload.region,
                                    starts_on=payload.starts_on, ends_on=payload.ends_on, theme=payload.theme,
                                    theme_category_code=payload.theme_category)
    return HTTP(201, round_detail(request.user, screening))


@rounds_router.get("/{int:round_id}", response={200: RoundDetail, **ERRORS}, summary="One round with its coverage")
def get_round(request, round_id: int):
    """Coverage per township and the grids that still owe a report."""
    return round_detail(request.user, _round(request, round_id))


@rounds_router.post("/{int:round_id}/close", response={200: RoundDetail, **ERRORS}, summary="Close a round")
def close_round(request, round_id: int):
    screening = services.close_round(request.user, _round(request, round_id))
    return round_detail(request.user, screening)


@rounds_router.get("/reports/mine", response={200: list[ReportOut], **ERRORS}, summary="Reports I owe")
def my_reports(request, limit: int = Query(100, ge=1, le=500)):
    """Owed reports of open rounds for the grids you report for, the soonest due first."""
    now = timezone.now()
    return [report_out(request.user, r, now) for r in queries.reports_owed_by(request.user, limit)]


@rounds_router.get("/reports/{int:report_id}", response={200: ReportOut, **ERRORS}, summary="One screening report")
def get_report(request, report_id: int):
    return report_out(request.user, _report(request, report_id))


@rounds_router.post("/reports/{int:report_id}", response={200: ReportOut, **ERRORS},
                    summary="Submit a screening report")
def submit_report(request, report_id: int, payload: ReportIn):
    """The disputes found (each registered as a dispute case and routed), or
    ``nothing_found``. All or nothing: one bad dispute leaves no report and no case."""
    report = services.submit_report(request.user, _report(request, report_id), nothing_found=payload.nothing_found,
                                    note=payload.note, found=[
        services.FoundDispute(category_code=d.category, text=d.text, scale=d.scale, lat=d.lat, lng=d.lng,
                              address=d.address, risk_level=d.risk_level, risk_reason=d.risk_reason)
        for d in payload.disputes])
    return report_out(request.user, ScreeningReport.objects.select_related("round", "grid").get(pk=report.pk))
