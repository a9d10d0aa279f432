"""Every change to disputes, mediation and screening rounds. One function per change: it checks
the actor's right and the current state, writes the case's timeline event, and saves, in one
transaction. Lifecycle changes of the case itself (start, resolve, reopen, hand-over) go
through ``anju.cases.services``; nothing here writes a case's status.
"""

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anju.cases import deadlines, redaction
from anju.cases import services as case_services
from anju.cases.choices import Action, Channel, Status
from anju.cases.messages import office_handlers
from anju.cases.models import Case, Category
from anju.cases.services import CaseError, NewCase
from anju.cases.sweep import claim_due_rows
from anju.disputes import access
from anju.disputes.choices import (
    DISPUTE,
    ENDING_OUTCOMES,
    REOPENING_PERFORMANCE,
    SESSION_ENDS,
    AgreementStatus,
    Consent,
    DisputeEvent,
    JudicialStatus,
    MediationType,
    Outcome,
    PartyRole,
    Performance,
    ReportStatus,
    ReportSweep,
    ResolvedLevel,
    RiskLevel,
    RoundStatus,
    SessionResult,
    TransferStatus,
    VisitStatus,
)
from anju.disputes.models import (
    JUDICIAL_WINDOW_DAYS,
    Dispute,
    FollowUpVisit,
    MediationAgreement,
    MediationSession,
    MediationTransfer,
    Party,
    ScreeningReport,
    ScreeningRound,
)
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.chinese import chinese_date
from anju.lib.masking import mask_address, mask_name, mask_phone
from anju.lib.redact import Person
from anju.lib.workdays import LOCAL, end_of_day, local_date
from anju.notify.services import notify_staff
from anju.people.choices import Role
from anju.people.models import Office, User


def _forbidden() -> CaseError:
    return CaseError(_("You may not do this with this dispute."), status=403)


# The core's checks of text and choices, under the short names this module uses throughout.
_text = case_services.check_text
_choice = case_services.check_choice


# ---------------------------------------------------------------------------- screening rounds


@transaction.atomic
def open_round(actor, *, title: str, region_code: str, starts_on: date, ends_on: date, theme: str = "",
               theme_category_code: str = "", now: datetime | None = None) -> ScreeningRound:
    """Open a screening round (排查) for a region subtree and a period: every grid in the
    subtree owes one report by the end of the period's last day."""
    now = now or timezone.now()
    title = _text(title, "title", _("Title"), 100)
    theme = _text(theme, "theme", _("Theme"), 200, required=False)
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region is None:
        raise CaseError(_("Unknown region code."), status=422, field="region")
    if not access.can_open_round(actor, region):
        raise CaseError(_("You may not open a screening round for this region."), status=403)
    if not isinstance(starts_on, date) or not isinstance(ends_on, date):
        raise CaseError(_("Give the period as dates."), status=422, field="starts_on")
    if ends_on < starts_on:
        raise CaseError(_("The period must not end before it starts."), status=422, field="ends_on")
    if ends_on < local_date(now):
        raise CaseError(_("The period must not end in the past."), status=422, field="ends_on")
    if starts_on > local_date(now) + timedelta(days=366):
        raise CaseError(_("A round must start within a year."), status=422, field="starts_on")
    if (ends_on - starts_on).days > 366:
        raise CaseError(_("A round lasts at most a year."), status=422, field="ends_on")
    theme_category = None
    if theme_category_code:
        theme_category = Category.objects.filter(code=theme_category_code, default_kind=DISPUTE).first()
        if theme_category is None:
            raise CaseError(_("Unknown dispute type."), status=422, field="theme_category")
    grids = list(Region.objects.filter(path__startswith=region.path, level=Level.GRID).order_by("path"))
    if not grids:
        raise CaseError(_("This region has no grids to screen."), status=422, field="region")
    due = end_of_day(ends_on)
    screening = ScreeningRound.objects.create(
        title=title, region=region, theme=theme, theme_category=theme_category, starts_on=starts_on,
        ends_on=ends_on, due_at=due, opened_by=actor, opened_at=now,
    )
    warn = timedelta(hours=settings.ANJU_SCREENING_WARN_HOURS)
    ScreeningReport.objects.bulk_create([
        ScreeningReport(round=screening, grid=grid, area_path=grid.path, due_at=due, sweep_at=max(now, due - warn))
        for grid in grids
    ])
    return screening


@transaction.atomic
def close_round(actor, screening: ScreeningRound, *, now: datetime | None = None) -> ScreeningRound:
    """Close a round: reports still owed stay owed (the grids that never reported), and the
    sweep no longer looks at them."""
    now = now or timezone.now()
    screening = ScreeningRound.objects.select_for_update().get(pk=screening.pk)
    if not access.can_open_round(actor, screening.region):
        raise CaseError(_("You may not close this screening round."), status=403)
    if screening.status != RoundStatus.OPEN:
        raise CaseError(_("This round is already closed."))
    screening.status, screening.closed_by, screening.closed_at = RoundStatus.CLOSED, actor, now
    screening.save(update_fields=["status", "closed_by", "closed_at"])
    owed = screening.reports.filter(status=ReportStatus.OWED)
    if now > screening.due_at:
        # Whether or not the sweep got there first, a grid that never reported missed the round.
        owed.update(sweep_at=None, sweep_stage=ReportSweep.OVERDUE, missed_deadline=True)
    else:
        owed.update(sweep_at=None)
    return screening


@dataclass
class FoundDispute:
    """One dispute found in a screening report: its type (a dispute category code), what it
    is about, how many people it involves, and optionally where."""

    category_code: str
    text: str
    scale: int = 2
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    risk_level: str = RiskLevel.LOW
    risk_reason: str = ""


@transaction.atomic
def submit_report(actor, report: ScreeningReport, *, nothing_found: bool, note: str = "",
                  found: list[FoundDispute] | None = None, now: datetime | None = None,
                  synthetic: bool = False) -> ScreeningReport:
    """A grid worker's screening report for a grid: the disputes found, each registered as a
    dispute case (and routed like any case), or an explicit "nothing found". All or nothing:
    one bad dispute leaves no report and no case. ``synthetic`` marks the cases as demo data."""
    now = now or timezone.now()
    found = found or []
    report = (ScreeningReport.objects.select_for_update(of=("self",)).select_related("round", "grid")
              .get(pk=report.pk))
    if not access.can_report_for(actor, report.grid):
        raise CaseError(_("You may not report for this grid."), status=403)
    if report.round.status != RoundStatus.OPEN:
        raise CaseError(_("This round is closed."))
    if local_date(now) < report.round.starts_on:
        raise CaseError(_("This round has not started yet."))
    if report.status != ReportStatus.OWED:
        raise CaseError(_("This grid has already reported for this round."))
    note = _text(note, "note", _("Note"), 2000, required=False)
    if nothing_found and found:
        raise CaseError(_("Say either that nothing was found or which disputes were found, not both."),
                        status=422, field="nothing_found")
    if not nothing_found and not found:
        raise CaseError(_("List the disputes found, or say that nothing was found."), status=422, field="disputes")
    if len(found) > 50:
        raise CaseError(_("At most 50 disputes in one report."), status=422, field="disputes")
    for index, item in enumerate(found):
        try:
            dispute = _register(
                actor,
                NewCase(kind=DISPUTE, category_code=item.category_code, text=item.text,
                        channel=Channel.GRID_WORKER, lat=item.lat, lng=item.lng, address=item.address,
                        region_code=report.grid.code),
                scale=item.scale, risk_level=item.risk_level, risk_reason=item.risk_reason, now=now,
                synthetic=synthetic,
            )
        except CaseError as error:
            # Name the row of the report: "disputes.2.text".
            error.field = f"disputes.{index}.{error.field or 'text'}"
            raise
        dispute.screening_report = report
        dispute.save(update_fields=["screening_report"])
    report.status = ReportStatus.SUBMITTED
    report.nothing_found = nothing_found
    report.note = note
    report.submitted_by, report.submitted_at = actor, now
    report.sweep_at = None
    if now > report.due_at:
        report.missed_deadline = True
    report.save(update_fields=["status", "nothing_found", "note", "submitted_by", "submitted_at", "sweep_at",
                               "missed_deadline"])
    return report


def sweep_screening_reports(now: datetime | None = None, batch_size: int = 500) -> int:
    """The module's sweep (registered in ``apps.py``) for screening reports: mark an owed report
    due soon (``ANJU_SCREENING_WARN_HOURS`` before) and overdue once its round's period has ended.
    Returns how many reports it looked at."""
    return claim_due_rows(ScreeningReport.objects.all(), _sweep_report, now=now or timezone.now(),
                          batch_size=batch_size)


def _sweep_report(report: ScreeningReport, now: datetime) -> None:
    if report.status != ReportStatus.OWED:
        report.sweep_at = None
    elif now < report.due_at:
        report.sweep_stage, report.sweep_at = ReportSweep.DUE_SOON, report.due_at
        _tell_grid_workers(report)
    else:
        report.sweep_stage, report.sweep_at, report.missed_deadline = ReportSweep.OVERDUE, None, True
        _tell_grid_workers(report)
    report.save(update_fields=["sweep_stage", "sweep_at", "missed_deadline"])


def _tell_grid_workers(report: ScreeningReport) -> None:
    """Tell the grid's workers that its report is due soon or overdue (in the workbench and by
    e-mail), once per stage: the row is locked by the sweep that moves it on."""
    grid, screening = report.grid, report.round
    # Grid workers whose scope is the grid or a region above it (``access.can_report_for``).
    codes = [code for code in grid.path.split("/") if code]
    workers = list(User.objects.filter(is_active=True, roles__role=Role.GRID_WORKER, roles__region__code__in=codes)
                   .distinct().order_by("pk"))
    if not workers:
        return
    facts = {"grid": grid.name, "round": screening.title,
             "due": timezone.localtime(report.due_at).strftime("%Y-%m-%d %H:%M")}
    with translation.override(settings.LANGUAGE_CODE):
        if report.sweep_stage == ReportSweep.OVERDUE:
            subject = _("Screening report of %(grid)s is overdue") % facts
            body = _("The screening report of %(grid)s for %(round)s was due at %(due)s. Report the disputes "
                     "found, or that nothing was found.") % facts
        else:
            subject = _("Screening report of %(grid)s is due soon") % facts
            body = _("The screening report of %(grid)s for %(round)s is due at %(due)s. Report the disputes "
                     "found, or that nothing was found.") % facts
    notify_staff(workers, event=f"screening_{ReportSweep(report.sweep_stage).name.lower()}", subject=subject,
                 body=body, link=reverse("disputes:report", kwargs={"report_id": report.pk}))


# ---------------------------------------------------------------------------- registering


@dataclass
class NewParty:
    role: str
    name: str
    phone: str = ""
    address: str = ""
    claim: str = ""


@dataclass
class DisputeFacts:
    scale: int = 2
    facts: str = ""
    risk_level: str = RiskLevel.LOW
    risk_reason: str = ""
    parties: list[NewParty] = field(default_factory=list)


def register_dispute(actor, data: NewCase, details: DisputeFacts | None = None, *, idempotency_key: str = "",
                     now: datetime | None = None, synthetic: bool = False) -> tuple[Case, bool]:
    """Register a dispute: a case of kind ``dispute`` (routed, on the clock, on the timeline
    like any case) with its dispute record and parties, in one transaction. Returns
    ``(case, created)`` like ``create_case``; ``synthetic`` marks demo and benchmark data."""
    now = now or timezone.now()
    details = details or DisputeFacts()
    data.kind = DISPUTE
    _check_parties(details.parties)
    # A retry with the same Idempotency-Key must also carry the same record and parties.
    data.extra = {**data.extra, "dispute": asdict(details)}
    with transaction.atomic():
        case, created = case_services.create_case(actor, data, idempotency_key=idempotency_key, now=now,
                                                  synthetic=synthetic)
        if created:
            dispute = _new_record(case, scale=details.scale, facts=details.facts, risk_level=details.risk_level,
                                  risk_reason=details.risk_reason)
            for party in details.parties:
                Party.objects.create(dispute=dispute, role=party.role, name=party.name.strip(),
                                     phone=party.phone.strip(), address=party.address.strip(),
                                     claim=party.claim.strip(), created_at=now)
            if details.parties:
                _parties_changed(case)
    return case, created


def people_on_case(case: Case) -> list[Person]:
    """The parties of a dispute's case, for the core's redaction of every text of the case
    (``CaseKind.people``)."""
    return [Person(name=p.name, phone=p.phone, address=p.address) for p in Party.objects.filter(dispute__case=case)]


def _parties_changed(case: Case) -> None:
    """Redact every text of the dispute again: a party was added or their name corrected."""
    redaction.refresh(case)
    people = redaction.people_on(case)
    for row in [*Dispute.objects.filter(case=case), *MediationSession.objects.filter(dispute__case=case),
                *FollowUpVisit.objects.filter(dispute__case=case),
                *MediationAgreement.objects.filter(dispute__case=case),
                *MediationTransfer.objects.filter(dispute__case=case)]:
        redaction.redo(row, people)


def _register(actor, data: NewCase, *, scale: int, risk_level: str, risk_reason: str, now: datetime,
              synthetic: bool) -> Dispute:
    case, _created = case_services.create_case(actor, data, now=now, synthetic=synthetic)
    return _new_record(case, scale=scale, facts="", risk_level=risk_level, risk_reason=risk_reason)


def _new_record(case: Case, *, scale, facts: str, risk_level: str, risk_reason: str) -> Dispute:
    if not isinstance(scale, int) or not 1 <= scale <= 100_000:
        raise CaseError(_("People involved must be a whole number from 1 to 100000."), status=422, field="scale")
    facts = _text(facts, "facts", _("Facts"), 5000, required=False)
    risk_level, risk_reason = _risk(risk_level, risk_reason)
    category = case.category
    if category.default_kind != DISPUTE:
        raise CaseError(_("Choose a dispute type."), status=422, field="category")
    return Dispute.objects.create(case=case, scale=scale, facts=facts, risk_level=risk_level,
                                  risk_reason=risk_reason, created_at=case.submitted_at)


def _risk(level: str, reason: str) -> tuple[str, str]:
    level = _choice(level, RiskLevel, "risk_level")
    reason = _text(reason, "risk_reason", _("Reason for the risk level"), 500, required=level != RiskLevel.LOW)
    return level, reason


def _check_parties(parties: list[NewParty]) -> None:
    if len(parties) > 50:
        raise CaseError(_("At most 50 parties."), status=422, field="parties")
    for index, party in enumerate(parties):
        try:
            _check_party(party.role, party.name, party.phone, party.address, party.claim)
        except CaseError as error:
            error.field = f"parties.{index}.{error.field}"
            raise


def _check_party(role, name, phone, address, claim) -> None:
    _choice(role, PartyRole, "role")
    _text(name, "name", _("Name"), 100)
    phone = (phone or "").strip()
    if phone and (len(phone) > 20 or not all(c.isdigit() or c in "+- " for c in phone)):
        raise CaseError(_("Phone may hold only digits, spaces, + and -."), status=422, field="phone")
    _text(address, "address", _("Address"), 200, required=False)
    _text(claim, "claim", _("What this side asks"), 2000, required=False)


def ensure_dispute(case: Case) -> Dispute:
    """The dispute record of a dispute case, made empty when the case came in through the
    core's intake (a resident's report, the hotline) rather than as a dispute."""
    if case.kind != DISPUTE:
        raise CaseError(_("This case is not a dispute."), status=404)
    dispute = Dispute.objects.filter(case=case).first()
    if dispute is None:
        dispute, _created = Dispute.objects.get_or_create(case=case, defaults={"created_at": case.submitted_at})
    return dispute


# ---------------------------------------------------------------------------- the record


def _locked(actor, case: Case, *, right=access.can_mediate, open_only: bool = True) -> tuple[Case, Dispute]:
    """The case and its dispute record re-read under a row lock, after the right is checked on
    the case as it is now (a caller's copy may be from before a transfer)."""
    # The case first, then its record: the core's own changes (a reopening) lock in that order.
    case = case_services.lock_case(case, "office__jurisdiction")
    if not right(actor, case):
        raise _forbidden()
    dispute = ensure_dispute(case)
    dispute = Dispute.objects.select_for_update(of=("self",)).select_related("mediator").get(pk=dispute.pk)
    dispute.case = case
    if open_only and dispute.case.status in (Status.CLOSED, Status.MERGED, Status.RESOLVED):
        raise CaseError(_("Mediation of this dispute has ended."))
    return dispute.case, dispute


def _mediating(dispute: Dispute) -> None:
    if dispute.case.status not in (Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING):
        raise CaseError(_("The dispute must first be accepted and dispatched to a mediation organisation."))
    if dispute.transfers.filter(status=TransferStatus.PENDING).exists():
        raise CaseError(_("Accept or return the transfer of this dispute first."))


@transaction.atomic
def update_dispute(actor, case: Case, *, scale: int, facts: str, risk_level: str, risk_reason: str,
                   now: datetime | None = None) -> Dispute:
    """Change the record: the people involved, the facts, the risk level with its reason."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    fresh = _new_record_values(scale, facts, risk_level, risk_reason)
    changed = [name for name, value in fresh.items() if getattr(dispute, name) != value]
    for name, value in fresh.items():
        setattr(dispute, name, value)
    dispute.save(update_fields=[*fresh, "updated_at"])
    case_services.do_record_event(case, actor, DisputeEvent.DISPUTE_RECORD, now=now,
                                  data={"changed": changed, "risk_level": dispute.risk_level})
    return dispute


def _new_record_values(scale, facts, risk_level, risk_reason) -> dict:
    if not isinstance(scale, int) or not 1 <= scale <= 100_000:
        raise CaseError(_("People involved must be a whole number from 1 to 100000."), status=422, field="scale")
    risk_level, risk_reason = _risk(risk_level, risk_reason)
    return {"scale": scale, "facts": _text(facts, "facts", _("Facts"), 5000, required=False),
            "risk_level": risk_level, "risk_reason": risk_reason}


@transaction.atomic
def add_party(actor, case: Case, *, role: str, name: str, phone: str = "", address: str = "", claim: str = "",
              now: datetime | None = None) -> Party:
    """Add a party (name, role, contact, what this side asks); consent is asked later."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    _check_party(role, name, phone, address, claim)
    if dispute.parties.count() >= 50:
        raise CaseError(_("At most 50 parties."), status=422, field="parties")
    party = Party.objects.create(dispute=dispute, role=role, name=name.strip(), phone=(phone or "").strip(),
                                 address=(address or "").strip(), claim=(claim or "").strip(), created_at=now)
    _parties_changed(case)
    case_services.do_record_event(case, actor, DisputeEvent.PARTY, now=now,
                                  data={"party": party.pk, "role": role})
    return party


@transaction.atomic
def update_party(actor, case: Case, *, party_id: int, role: str, name: str, phone: str = "", address: str = "",
                 claim: str = "", now: datetime | None = None) -> Party:
    """Correct a party's details or what they ask."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    party = _party(dispute, party_id)
    _check_party(role, name, phone, address, claim)
    party.role, party.name, party.phone = role, name.strip(), (phone or "").strip()
    party.address, party.claim = (address or "").strip(), (claim or "").strip()
    party.save(update_fields=["role", "name", "phone", "address", "claim"])
    _parties_changed(case)
    case_services.do_record_event(case, actor, DisputeEvent.PARTY, now=now,
                                  data={"party": party.pk, "role": role, "changed": True})
    return party


def _party(dispute: Dispute, party_id) -> Party:
    party = dispute.parties.filter(pk=party_id).first() if isinstance(party_id, int) else None
    if party is None:
        raise CaseError(_("Unknown party."), status=404, field="party_id")
    return party


@transaction.atomic
def record_consent(actor, case: Case, *, party_id: int, consent: str, note: str = "",
                   now: datetime | None = None) -> Party:
    """Record whether a party agrees to mediation. Mediation is voluntary: a refusal ends it
    with the outcome "refused" and the reporter is answered."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    _mediating(dispute)
    party = _party(dispute, party_id)
    consent = _choice(consent, Consent, "consent")
    if consent == Consent.PENDING:
        raise CaseError(_("Record that the party agrees or refuses."), status=422, field="consent")
    note = _text(note, "note", _("Note"), 500, required=consent == Consent.REFUSED)
    party.consent, party.consent_at, party.consent_note = consent, now, note
    party.save(update_fields=["consent", "consent_at", "consent_note"])
    case_services.do_record_event(case, actor, DisputeEvent.CONSENT, note=note, now=now,
                                  data={"party": party.pk, "consent": consent})
    if consent == Consent.REFUSED:
        _end(actor, dispute, Outcome.REFUSED, note=note, referral="", now=now)
    return party


@transaction.atomic
def assign_mediator(actor, case: Case, *, mediator_id: int, now: datetime | None = None) -> Dispute:
    """Name the mediator: a handler of the mediating organisation (the owning office)."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case, right=access.can_assign_mediator)
    mediator = User.objects.filter(pk=mediator_id, is_active=True).first() if isinstance(mediator_id, int) else None
    if mediator is None or case.office is None or mediator not in office_handlers(case.office, case):
        raise CaseError(_("The mediator must be a handler of the mediating organisation."), status=422,
                        field="mediator")
    dispute.mediator = mediator
    dispute.save(update_fields=["mediator", "updated_at"])
    case_services.do_record_event(case, actor, DisputeEvent.MEDIATOR, now=now, data={"mediator": mediator.username})
    return dispute


@transaction.atomic
def take_up_dispute(actor, case: Case, *, now: datetime | None = None) -> Dispute:
    """The mediating organisation takes up a dispute dispatched to it (签收): mediation starts
    and the actor becomes its mediator unless one is named."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    if case.status != Status.DISPATCHED:
        raise CaseError(_("Only a dispute waiting to be taken up can be taken up."))
    if dispute.transfers.filter(status=TransferStatus.PENDING).exists():
        raise CaseError(_("Accept or return the transfer of this dispute first."))
    case_services.start_case(actor, case, now=now)
    if dispute.mediator_id is None:
        dispute.mediator = actor
        dispute.save(update_fields=["mediator", "updated_at"])
    return dispute


# ---------------------------------------------------------------------------- sessions


@transaction.atomic
def schedule_session(actor, case: Case, *, scheduled_at: datetime, place: str,
                     now: datetime | None = None) -> MediationSession:
    """Plan a mediation session at a time and place."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    _mediating(dispute)
    if not isinstance(scheduled_at, datetime) or scheduled_at.tzinfo is None:
        raise CaseError(_("Give the time with its date and time of day."), status=422, field="scheduled_at")
    if not now - timedelta(days=366) <= scheduled_at <= now + timedelta(days=366):
        raise CaseError(_("A session must be within a year."), status=422, field="scheduled_at")
    place = _text(place, "place", _("Place"), 200)
    session = MediationSession.objects.create(dispute=dispute, scheduled_at=scheduled_at, place=place,
                                              created_by=actor)
    case_services.do_record_event(case, actor, DisputeEvent.SESSION_SCHEDULED, now=now,
                                  data={"session": session.pk, "at": scheduled_at.isoformat()})
    return session


@transaction.atomic
def record_session(actor, case: Case, *, session_id: int, present: str, summary: str, result: str,
                   held_at: datetime | None = None, referral: str = "", now: datetime | None = None
                   ) -> MediationSession:
    """Record a session that was held: who was present, a summary and the result. A result of
    no agreement, withdrawal or refusal ends mediation with that outcome."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    _mediating(dispute)
    session = dispute.sessions.filter(pk=session_id).first() if isinstance(session_id, int) else None
    if session is None:
        raise CaseError(_("Unknown session."), status=404, field="session_id")
    if session.held_at is not None:
        raise CaseError(_("This session has already been recorded."))
    held_at = held_at or session.scheduled_at
    if not isinstance(held_at, datetime) or held_at.tzinfo is None:
        raise CaseError(_("Give the time with its date and time of day."), status=422, field="held_at")
    if held_at < session.scheduled_at - timedelta(days=366):
        raise CaseError(_("A session must be within a year."), status=422, field="held_at")
    if held_at > now:
        raise CaseError(_("A session can be recorded only once it has been held."), status=422, field="held_at")
    session.present = _text(present, "present", _("Present"), 1000)
    summary = session.summary = _text(summary, "summary", _("Summary"), 5000)
    session.result = _choice(result, SessionResult, "result")
    session.held_at, session.recorded_by = held_at, actor
    session.save(update_fields=["present", "summary", "result", "held_at", "recorded_by"])
    # The summary as written (the saved session shows it redacted).
    case_services.do_record_event(case, actor, DisputeEvent.SESSION_HELD, note=summary, now=now,
                                  data={"session": session.pk, "result": session.result})
    if session.result in SESSION_ENDS:
        _end(actor, dispute, SESSION_ENDS[session.result], note=summary, referral=referral, now=now)
    return session


# ---------------------------------------------------------------------------- agreement


@dataclass
class AgreementText:
    """What a mediation agreement says beyond the parties (People's Mediation Law Art. 29)."""

    facts: str
    matters: str
    responsibilities: str
    terms: str
    performance_manner: str
    performance_deadline: date | None


def _agreement_values(text: AgreementText) -> dict:
    values = {
        "facts": _text(text.facts, "facts", _("Main facts"), 5000),
        "matters": _text(text.matters, "matters", _("Matters in dispute"), 3000),
        "responsibilities": _text(text.responsibilities, "responsibilities", _("Responsibility of each side"), 3000),
        "terms": _text(text.terms, "terms", _("Agreed terms"), 5000),
        "performance_manner": _text(text.performance_manner, "performance_manner", _("Manner of performance"), 500),
    }
    if not isinstance(text.performance_deadline, date):
        raise CaseError(_("%(field)s is required.") % {"field": _("Perform by")}, status=422,
                        field="performance_deadline")
    values["performance_deadline"] = text.performance_deadline
    return values


@transaction.atomic
def draft_agreement(actor, case: Case, text: AgreementText, *, now: datetime | None = None) -> MediationAgreement:
    """Write (or rewrite) the draft of the mediation agreement (调解协议书). The parties come
    from the dispute record; a dispute has one draft at a time."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    _mediating(dispute)
    values = _agreement_values(text)
    if values["performance_deadline"] < local_date(now):
        raise CaseError(_("The performance deadline must not be in the past."), status=422,
                        field="performance_deadline")
    draft = dispute.agreements.filter(status=AgreementStatus.DRAFT).first()
    if draft is None:
        # A placeholder until the row has its id: the number is made from the id.
        draft = MediationAgreement.objects.create(dispute=dispute, number=f"new-{uuid.uuid4().hex}", created_by=actor,
                                                  created_at=now, **values)
        draft.number = _agreement_number(draft, now)
        draft.save(update_fields=["number"])
    else:
        for name, value in values.items():
            setattr(draft, name, value)
        draft.save(update_fields=[*values, "updated_at"])
    case_services.do_record_event(case, actor, DisputeEvent.AGREEMENT_DRAFTED, now=now,
                                  data={"agreement": draft.pk, "number": draft.number})
    return draft


def judicial_window_end(effective_on: date) -> tuple[date, bool]:
    """The last day to apply for judicial confirmation: 30 days after ``effective_on`` (People's
    Mediation Law Art. 33), or the first working day after, when that day is a holiday or a rest
    day (民事诉讼法 Art. 85), on the calendar with the administrator's overrides; and whether it
    is an estimate."""
    day = effective_on + timedelta(days=JUDICIAL_WINDOW_DAYS)
    return deadlines.calendar_for(end_of_day(day)).period_end(effective_on, JUDICIAL_WINDOW_DAYS)


def recount_judicial_windows(days) -> None:
    """The calendar changed on ``days`` (``Module.recompute_deadlines``): count again the windows
    for judicial confirmation still open that those days can move or that were estimates."""
    first = min(days)
    open_windows = (MediationAgreement.objects.filter(judicial_window_ends_on__isnull=False,
                                                      judicial_status=JudicialStatus.NOT_SOUGHT)
                    .filter(Q(judicial_window_ends_on__gte=first) | Q(judicial_window_estimated=True))
                    .select_related("dispute__case"))
    for agreement in open_windows:
        ends_on, estimated = judicial_window_end(agreement.effective_on)
        if (ends_on, estimated) == (agreement.judicial_window_ends_on, agreement.judicial_window_estimated):
            continue
        before = agreement.judicial_window_ends_on
        MediationAgreement.objects.filter(pk=agreement.pk).update(judicial_window_ends_on=ends_on,
                                                                  judicial_window_estimated=estimated)
        case_services.do_record_event(agreement.dispute.case, None, Action.RECOUNT, data={"deadlines": {
            "judicial_window_ends_on": {"from": before.isoformat(), "to": ends_on.isoformat(),
                                        "estimated": estimated}}})


def _agreement_number(agreement: MediationAgreement, now: datetime) -> str:
    """（2026）调协字第 00042 号: the year and the agreement's own number. Not the case's tracking
    code: every party gets the document, and the code would open the reporter's tracking page."""
    return f"（{now.astimezone(LOCAL).year}）调协字第{agreement.pk:05d}号"


@transaction.atomic
def sign_agreement(actor, case: Case, *, agreement_id: int, effective_on: date,
                   now: datetime | None = None) -> MediationAgreement:
    """The parties and the mediator signed: the agreement is in effect from ``effective_on``,
    mediation ends with an agreement, the reporter is answered, the judicial-confirmation
    window opens and the follow-up visits are planned. Every party must have agreed to
    mediation, and there must be two sides."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    _mediating(dispute)
    agreement = dispute.agreements.filter(pk=agreement_id).first() if isinstance(agreement_id, int) else None
    if agreement is None:
        raise CaseError(_("Unknown agreement."), status=404, field="agreement_id")
    if agreement.status != AgreementStatus.DRAFT:
        raise CaseError(_("This agreement has already been signed."))
    if not isinstance(effective_on, date):
        raise CaseError(_("%(field)s is required.") % {"field": _("In effect from")}, status=422,
                        field="effective_on")
    if effective_on > local_date(now):
        raise CaseError(_("An agreement cannot take effect in the future."), status=422, field="effective_on")
    if case.accepted_at and effective_on < local_date(case.accepted_at):
        raise CaseError(_("An agreement cannot take effect before the dispute was accepted."), status=422,
                        field="effective_on")
    parties = list(dispute.parties.all())
    roles = {p.role for p in parties}
    if PartyRole.APPLICANT not in roles or PartyRole.RESPONDENT not in roles:
        raise CaseError(_("An agreement needs at least an applicant and a respondent."), status=422, field="parties")
    not_consenting = [p for p in parties if p.consent != Consent.GIVEN]
    if not_consenting:
        raise CaseError(_("Every party must have agreed to mediation before signing."), status=422,
                        field="parties")
    agreement.status, agreement.effective_on = AgreementStatus.EFFECTIVE, effective_on
    # A court's own mediation needs no confirmation by a court.
    if dispute.mediation_type != MediationType.JUDICIAL:
        agreement.judicial_window_ends_on, agreement.judicial_window_estimated = judicial_window_end(effective_on)
    mediator = dispute.mediator or actor
    agreement.signed_as = {
        "mediation_type": dispute.mediation_type,
        "organisation": case.office.name if case.office_id else "",
        "mediator": mediator.display_name or mediator.username,
        "parties": [{"role": p.role, "name": p.name, "phone": p.phone, "address": p.address} for p in parties],
    }
    agreement.save(update_fields=["status", "effective_on", "judicial_window_ends_on", "judicial_window_estimated",
                                  "signed_as", "updated_at"])
    window = agreement.judicial_window_ends_on
    case_services.do_record_event(
        case, actor, DisputeEvent.AGREEMENT_EFFECTIVE, now=now, public=True,
        data={"agreement": agreement.pk, "number": agreement.number, "effective_on": effective_on.isoformat(),
              "judicial_window_ends_on": window.isoformat() if window else None},
    )
    # Dates in words: the tracking page blanks digit runs that could be phone numbers.
    with translation.override(settings.LANGUAGE_CODE):
        reply = _("Through mediation the parties reached a mediation agreement (No. %(number)s), in effect from "
                  "%(date)s.") % {"number": agreement.number, "date": chinese_date(effective_on)}
        if window:
            reply += " " + _("The parties may jointly apply to the people's court for judicial confirmation "
                             "within 30 days, by %(window)s.") % {"window": chinese_date(window)}
    _conclude(actor, dispute, Outcome.AGREEMENT, note="", referral="", reply=reply, start=effective_on,
              agreement=agreement, now=now)
    return agreement


@transaction.atomic
def end_mediation(actor, case: Case, *, outcome: str, note: str, referral: str = "",
                  now: datetime | None = None) -> Dispute:
    """End mediation without an agreement: no agreement (with where the parties were referred),
    withdrawn, or refused. The reporter is answered with the note."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    _mediating(dispute)
    outcome = _choice(outcome, Outcome, "outcome")
    if outcome not in ENDING_OUTCOMES:
        raise CaseError(_("An agreement ends mediation by being signed."), status=422, field="outcome")
    note = _text(note, "note", _("Note"), 2000)
    _end(actor, dispute, outcome, note=note, referral=referral, now=now)
    return dispute


def _end(actor, dispute: Dispute, outcome: str, *, note: str, referral: str, now: datetime) -> None:
    referral = _text(referral, "referral", _("Referred to"), 200, required=outcome == Outcome.NO_AGREEMENT)
    # The reply reaches the reporter (and /track): it says how mediation ended and where to turn,
    # never the mediator's notes, which name the parties and what they said.
    with translation.override(settings.LANGUAGE_CODE):
        reply = {
            Outcome.NO_AGREEMENT: _("Mediation ended without an agreement. You may turn to: %(referral)s."),
            Outcome.WITHDRAWN: _("Mediation ended: the application was withdrawn."),
            Outcome.REFUSED: _("Mediation ended: a party declined mediation, which is voluntary. You may turn to "
                               "the people's court or another channel."),
        }[outcome] % {"referral": referral}
    _conclude(actor, dispute, outcome, note=note, referral=referral, reply=reply, start=local_date(now),
              agreement=None, now=now)


def _conclude(actor, dispute: Dispute, outcome: str, *, note: str, referral: str, reply: str, start: date,
              agreement: MediationAgreement | None, now: datetime) -> None:
    """Record how mediation ended, answer the reporter (the case is resolved), and plan the
    follow-up visits."""
    case = dispute.case
    if case.status == Status.DISPATCHED:
        case = case_services.start_case(actor, case, now=now)
    if case.status == Status.WAITING:
        case = case_services.resume_case(actor, case, now=now)
    dispute.outcome, dispute.outcome_note, dispute.referral = outcome, note, referral
    dispute.concluded_at = now
    dispute.resolved_level = _level_of(case.office)
    dispute.save(update_fields=["outcome", "outcome_note", "referral", "concluded_at", "resolved_level",
                                "updated_at"])
    case_services.do_record_event(case, actor, DisputeEvent.MEDIATION_ENDED, note=note, now=now,
                                  data={"outcome": outcome, "level": dispute.resolved_level})
    dispute.agreements.filter(status=AgreementStatus.DRAFT).delete()
    case_services.check_right(actor, Action.RESOLVE, case)
    case_services.do_resolve_case(actor, case, reply=reply, now=now)
    FollowUpVisit.objects.bulk_create([
        FollowUpVisit(dispute=dispute, agreement=agreement, due_on=start + timedelta(days=days))
        for days in settings.ANJU_DISPUTE_FOLLOW_UP_DAYS
    ])


def _level_of(office: Office | None) -> str:
    level = office.jurisdiction.level if office is not None else ""
    if level in (Level.VILLAGE, Level.GRID):
        return ResolvedLevel.VILLAGE
    if level == Level.TOWNSHIP:
        return ResolvedLevel.TOWNSHIP
    return ResolvedLevel.ABOVE


# ---------------------------------------------------------------------------- judicial confirmation


def _effective_agreement(dispute: Dispute, agreement_id) -> MediationAgreement:
    agreement = dispute.agreements.filter(pk=agreement_id).first() if isinstance(agreement_id, int) else None
    if agreement is None:
        raise CaseError(_("Unknown agreement."), status=404, field="agreement_id")
    if agreement.status != AgreementStatus.EFFECTIVE:
        # Agreements before the court are never superseded (``on_case_reopened``).
        raise CaseError(_("Only an agreement in effect can be confirmed by a court."))
    return agreement


@transaction.atomic
def record_judicial_application(actor, case: Case, *, agreement_id: int, applied_on: date, court: str,
                                now: datetime | None = None) -> MediationAgreement:
    """Record that the parties jointly applied to a court for judicial confirmation, which
    they may do within 30 days of the agreement taking effect (People's Mediation Law Art. 33)."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case, open_only=False)
    agreement = _effective_agreement(dispute, agreement_id)
    if agreement.judicial_status != JudicialStatus.NOT_SOUGHT:
        raise CaseError(_("An application for judicial confirmation is already recorded."))
    if agreement.judicial_window_ends_on is None:
        raise CaseError(_("An agreement reached in a court's own mediation needs no judicial confirmation."))
    if not isinstance(applied_on, date):
        raise CaseError(_("%(field)s is required.") % {"field": _("Applied on")}, status=422, field="applied_on")
    if applied_on > local_date(now):
        raise CaseError(_("The date of application cannot be in the future."), status=422, field="applied_on")
    if applied_on < agreement.effective_on:
        raise CaseError(_("The application cannot be before the agreement took effect."), status=422,
                        field="applied_on")
    if applied_on > agreement.judicial_window_ends_on:
        raise CaseError(
            _("Judicial confirmation must be applied for within %(days)s days of the agreement taking effect "
              "(People's Mediation Law, Art. 33); the window ended on %(end)s.")
            % {"days": JUDICIAL_WINDOW_DAYS, "end": agreement.judicial_window_ends_on.isoformat()},
            status=422, field="applied_on",
        )
    agreement.court = _text(court, "court", _("Court"), 100)
    agreement.judicial_status, agreement.judicial_applied_on = JudicialStatus.SOUGHT, applied_on
    agreement.save(update_fields=["court", "judicial_status", "judicial_applied_on", "updated_at"])
    case_services.do_record_event(case, actor, DisputeEvent.JUDICIAL_CONFIRMATION, now=now,
                                  data={"agreement": agreement.pk, "status": agreement.judicial_status,
                                          "court": agreement.court, "applied_on": applied_on.isoformat()})
    return agreement


@transaction.atomic
def record_judicial_decision(actor, case: Case, *, agreement_id: int, confirmed: bool, decided_on: date,
                             note: str = "", now: datetime | None = None) -> MediationAgreement:
    """Record the court's decision: the agreement confirmed (enforceable), or not confirmed
    (the parties may change it through mediation or go to court)."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case, open_only=False)
    agreement = _effective_agreement(dispute, agreement_id)
    if agreement.judicial_status != JudicialStatus.SOUGHT:
        raise CaseError(_("Record the application for judicial confirmation first."))
    if not isinstance(confirmed, bool):
        raise CaseError(_("Say whether the court confirmed the agreement."), status=422, field="confirmed")
    if not isinstance(decided_on, date) or decided_on < agreement.judicial_applied_on or decided_on > local_date(now):
        raise CaseError(_("The date of the decision must lie between the application and today."), status=422,
                        field="decided_on")
    agreement.judicial_status = JudicialStatus.CONFIRMED if confirmed else JudicialStatus.REJECTED
    agreement.judicial_decided_on = decided_on
    agreement.judicial_note = _text(note, "note", _("Note"), 500, required=not confirmed)
    agreement.save(update_fields=["judicial_status", "judicial_decided_on", "judicial_note", "updated_at"])
    case_services.do_record_event(case, actor, DisputeEvent.JUDICIAL_CONFIRMATION, note=agreement.judicial_note,
                                  now=now, data={"agreement": agreement.pk, "status": agreement.judicial_status,
                                                   "decided_on": decided_on.isoformat()})
    return agreement


# ---------------------------------------------------------------------------- follow-up visits


@transaction.atomic
def record_visit(actor, case: Case, *, visit_id: int, performance: str, note: str,
                 now: datetime | None = None) -> FollowUpVisit:
    """Record a follow-up visit (回访) and what it found. An agreement partly or not performed
    reopens the dispute: the case goes back to the mediating organisation, the agreement no
    longer counts, and the remaining visits are cancelled."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case, right=access.can_visit, open_only=False)
    visit = dispute.visits.filter(pk=visit_id).first() if isinstance(visit_id, int) else None
    if visit is None:
        raise CaseError(_("Unknown follow-up visit."), status=404, field="visit_id")
    if visit.status != VisitStatus.PLANNED:
        raise CaseError(_("This follow-up visit has already been recorded or was cancelled."))
    performance = _choice(performance, Performance, "performance")
    if visit.agreement_id is None and performance != Performance.NOT_APPLICABLE:
        raise CaseError(_("Without an agreement there is nothing to perform; record the situation instead."),
                        status=422, field="performance")
    if visit.agreement_id is not None and performance == Performance.NOT_APPLICABLE:
        raise CaseError(_("Say whether the agreement was performed."), status=422, field="performance")
    visit.performance = performance
    note = visit.note = _text(note, "note", _("Note"), 2000)
    # An agreement before the court (applied for or confirmed) is not mediated again: the court
    # decides, and a confirmed agreement not performed goes to enforcement (Art. 33 para. 2).
    visit.status, visit.done_at, visit.done_by = VisitStatus.DONE, now, actor
    visit.save(update_fields=["performance", "note", "status", "done_at", "done_by"])
    case_services.do_record_event(case, actor, DisputeEvent.VISIT, note=note, now=now,
                                  data={"visit": visit.pk, "performance": performance})
    with_court = visit.agreement is not None and visit.agreement.judicial_status in (
        JudicialStatus.SOUGHT, JudicialStatus.CONFIRMED)
    if performance in REOPENING_PERFORMANCE and not with_court:
        with translation.override(settings.LANGUAGE_CODE):
            # Public on /track: the finding, not the visit's notes.
            reason = _("Follow-up visit: the mediation agreement was not (fully) performed; mediation resumes.")
        case_services.do_reopen_case(actor, case, reason=reason, data={"visit": visit.pk}, now=now)
    return visit


def check_core_action(case: Case, actor, action: str) -> None:
    """While a dispute waits for the organisation it was passed to (三调联动), the core does not
    return or transfer it: the receiving organisation accepts or returns the transfer first.
    The kind's veto (``CaseKind.check_action``)."""
    if case.kind != DISPUTE or action not in (Action.RETURN, Action.TRANSFER):
        return
    if MediationTransfer.objects.filter(dispute__case=case, status=TransferStatus.PENDING).exists():
        raise CaseError(_("Accept or return the transfer of this dispute first."))


def on_case_reopened(case: Case, actor, now: datetime) -> None:
    """A dispute case reopened (a visit found the agreement not performed, the reporter said it
    is not solved, a supervisor reopened it): mediation goes on, so its outcome no longer
    counts, its agreement is superseded and the visits still planned are cancelled. The kind's
    ``CaseKind.on_reopened``; runs in the reopening's transaction."""
    if case.kind != DISPUTE:
        return
    dispute = Dispute.objects.filter(case=case).first()
    if dispute is None:
        return
    dispute.visits.filter(status=VisitStatus.PLANNED).update(status=VisitStatus.CANCELLED)
    dispute.agreements.filter(status=AgreementStatus.EFFECTIVE).exclude(
        judicial_status__in=[JudicialStatus.SOUGHT, JudicialStatus.CONFIRMED]).update(status=AgreementStatus.SUPERSEDED)
    dispute.outcome, dispute.outcome_note, dispute.referral = "", "", ""
    dispute.concluded_at, dispute.resolved_level = None, ""
    dispute.save(update_fields=["outcome", "outcome_note", "referral", "concluded_at", "resolved_level",
                                "updated_at"])


# ---------------------------------------------------------------------------- 三调联动


@transaction.atomic
def propose_transfer(actor, case: Case, *, to_type: str, to_office_code: str, reason: str,
                     now: datetime | None = None) -> MediationTransfer:
    """Pass a dispute to another mediation type and organisation (people's ⇄ administrative ⇄
    judicial mediation) with the reason. The case moves there at once and waits for the
    receiving organisation to accept or return it."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case, right=access.can_transfer)
    _mediating(dispute)
    if case.status == Status.WAITING:
        raise CaseError(_("Resume the dispute before passing it to another organisation."))
    to_type = _choice(to_type, MediationType, "to_type")
    office = Office.objects.filter(code=to_office_code, is_active=True).first() if to_office_code else None
    if office is None:
        raise CaseError(_("Unknown or inactive office."), status=422, field="to_office")
    if office.pk == case.office_id:
        raise CaseError(_("The dispute is already with this organisation."), status=422, field="to_office")
    reason = _text(reason, "reason", _("Reason"), 500)
    if dispute.transfers.filter(status=TransferStatus.PENDING).exists():
        raise CaseError(_("A transfer of this dispute is already waiting for the receiving organisation."))
    transfer = MediationTransfer.objects.create(
        dispute=dispute, from_type=dispute.mediation_type, to_type=to_type, from_office=case.office,
        to_office=office, reason=reason, proposed_by=actor, proposed_at=now,
    )
    case_services.do_hand_over_case(actor, case, office=office, action=DisputeEvent.MEDIATION_TRANSFER, note=reason,
                                    now=now, data={"transfer": transfer.pk, "from_type": transfer.from_type,
                                                "to_type": to_type})
    dispute.mediator = None
    dispute.save(update_fields=["mediator", "updated_at"])
    return transfer


def _pending_transfer(dispute: Dispute, transfer_id) -> MediationTransfer:
    transfer = dispute.transfers.filter(pk=transfer_id).first() if isinstance(transfer_id, int) else None
    if transfer is None:
        raise CaseError(_("Unknown transfer."), status=404, field="transfer_id")
    if transfer.status != TransferStatus.PENDING:
        raise CaseError(_("This transfer has already been decided."))
    return transfer


@transaction.atomic
def accept_transfer(actor, case: Case, *, transfer_id: int, note: str = "",
                    now: datetime | None = None) -> MediationTransfer:
    """The receiving organisation accepts a transferred dispute: mediation goes on there, of
    the new type, with the actor as mediator."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    transfer = _pending_transfer(dispute, transfer_id)
    note = _text(note, "note", _("Note"), 500, required=False)
    transfer.status, transfer.decided_by, transfer.decided_at, transfer.decision_note = (
        TransferStatus.ACCEPTED, actor, now, note)
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    dispute.mediation_type, dispute.mediator = transfer.to_type, actor
    dispute.save(update_fields=["mediation_type", "mediator", "updated_at"])
    case_services.do_record_event(case, actor, DisputeEvent.MEDIATION_TRANSFER_ACCEPTED, note=note, now=now,
                                  data={"transfer": transfer.pk, "to_type": transfer.to_type})
    if case.status == Status.DISPATCHED:
        case_services.start_case(actor, case, now=now)
    return transfer


@transaction.atomic
def return_transfer(actor, case: Case, *, transfer_id: int, reason: str,
                    now: datetime | None = None) -> MediationTransfer:
    """The receiving organisation returns a transferred dispute with a reason; it goes back
    to the organisation that sent it."""
    now = now or timezone.now()
    case, dispute = _locked(actor, case)
    transfer = _pending_transfer(dispute, transfer_id)
    reason = _text(reason, "reason", _("Reason"), 500)
    transfer.status, transfer.decided_by, transfer.decided_at, transfer.decision_note = (
        TransferStatus.RETURNED, actor, now, reason)
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    case_services.do_hand_over_case(actor, case, office=transfer.from_office,
                                    action=DisputeEvent.MEDIATION_TRANSFER_RETURNED, note=reason, now=now,
                                    data={"transfer": transfer.pk})
    return transfer


# ---------------------------------------------------------------------------- personal data


def reveal_party(actor, case: Case, *, party_id: int, reason: str = "") -> Party:
    """A party's full details for ``actor`` (the core's ``check_reveal``: the one rule, logged)."""
    dispute = ensure_dispute(case)
    party = _party(dispute, party_id)
    case_services.check_reveal(actor, case, subject=f"party {party.pk}", reason=reason,
                               refusal=_("You may not see this party's details."))
    return party


def log_agreement_print(actor, agreement: MediationAgreement) -> None:
    """An agreement printed or downloaded shows the parties' details in full: logged like a reveal.
    Only those who may see the parties' details may print it."""
    case_services.check_reveal(actor, agreement.dispute.case, subject=f"agreement {agreement.pk}", reason="print",
                               refusal=_("You may not see the parties' details of this agreement."))


def masked_party(party: Party) -> dict:
    """A party as shown in lists and pages: name and phone masked, the address cut to its first
    four characters (the village or street, not the house)."""
    address = party.address
    return {"id": party.pk, "role": party.role, "name": mask_name(party.name), "phone": mask_phone(party.phone),
            "address": mask_address(address), "claim": party.claim,
            "consent": party.consent, "consent_at": party.consent_at, "consent_note": party.consent_note}
