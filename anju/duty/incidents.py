"""Incident reports (突发事件信息报告): receiving an incident, the reports owed on the clock, each
report forwarded up a level with one action and signed for there, and the grade changed as the
facts come in. One function per change of state; each runs in one transaction.

The reports owed are counted in clock time from the moment the duty office learned of the
incident (接报), by its grade's ``ReportingRule``: the first report by phone, the first report in
writing, then a follow-up at least every so many hours until the final report. The report owed
next is the case's running deadline, so the core's sweep warns before it, marks it overdue and
escalates it up the supervision levels like every deadline (the shared deadline kit); the final
report is the case's answer."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anju.cases import services as case_services
from anju.cases.choices import Action, Channel
from anju.cases.models import Case, Category
from anju.cases.services import CaseError, NewCase, check_choice, check_text
from anju.duty import incident_access as access
from anju.duty.choices import (
    GRADE_ORDER,
    INCIDENT,
    IncidentEvent,
    IncidentGrade,
    IncidentType,
    Owed,
    ReportChannel,
    ReportKind,
)
from anju.duty.models import Forward, Incident, IncidentReport, ReportingLine, ReportingRule
from anju.geo.choices import Level
from anju.lib.once import create_once
from anju.lib.workdays import Deadline
from anju.notify.services import notify_staff
from anju.people.models import Office, User

# Minutes to the first report by phone and in writing, hours between follow-ups, by grade, where
# an administrator entered no rule: the serious grades report by phone within 30 minutes and in
# writing within the hour, as county duty rules commonly ask.
DEFAULT_RULES = {
    IncidentGrade.GRAVEST: (30, 60, 12),
    IncidentGrade.MAJOR: (30, 60, 12),
    IncidentGrade.LARGER: (60, 120, 24),
    IncidentGrade.GENERAL: (120, 240, 24),
}
# Where reports go up a level (settings may name others): the county's duty office, by its code,
# and the body above the county, outside Anju.
COUNTY_OFFICE = "yjj"
UPWARD_NAME = "市应急管理局总值班室"
# The category of each type (kept for the core's lists and statistics; never offered to residents).
CATEGORY_ROOT = "incident"
# Warn this long before a report is owed, and escalate one supervision level each hour it stays owed.
WARN_BEFORE_HOURS = 0.25
ESCALATE_AFTER_HOURS = 1


@dataclass(frozen=True)
class Rule:
    phone_minutes: int
    written_minutes: int
    follow_up_hours: int


def rule_for(grade: str) -> Rule:
    row = ReportingRule.objects.filter(grade=grade).first()
    if row is not None:
        return Rule(row.phone_minutes, row.written_minutes, row.follow_up_hours)
    return Rule(*DEFAULT_RULES[grade])


def _clock(start: datetime, minutes: float, what: str) -> Deadline:
    """A reporting deadline: clock time, never working days (an incident does not wait)."""
    return Deadline(start + timedelta(minutes=minutes), False,
                    {"from": start.isoformat(), "steps": [[round(minutes / 60, 4), "hours"]], "what": what})


def owed_next(incident: Incident, reports: list[IncidentReport] | None = None) -> tuple[str, Deadline | None]:
    """The report ``incident`` owes next and its deadline: the first report by phone (any first
    report counts), then the first report in writing, then a follow-up so many hours after the
    last report; nothing once the final report is in."""
    reports = list(incident.reports.all()) if reports is None else reports
    if any(r.kind == ReportKind.FINAL for r in reports):
        return Owed.NOTHING, None
    rule = rule_for(incident.grade)
    firsts = [r for r in reports if r.kind == ReportKind.FIRST]
    if not firsts:
        return Owed.FIRST_PHONE, _clock(incident.known_at, rule.phone_minutes, Owed.FIRST_PHONE)
    if not any(r.channel == ReportChannel.WRITTEN for r in firsts):
        return Owed.FIRST_WRITTEN, _clock(incident.known_at, rule.written_minutes, Owed.FIRST_WRITTEN)
    last = max(r.reported_at for r in reports)
    return Owed.FOLLOW_UP, _clock(last, rule.follow_up_hours * 60, Owed.FOLLOW_UP)


def _owe(case: Case, incident: Incident, now: datetime) -> None:
    """Store the report owed next on the record and as the case's running deadline."""
    owed, due = owed_next(incident)
    incident.owed, incident.owed_due_at = owed, due.at if due else None
    incident.save(update_fields=["owed", "owed_due_at"])
    if due is not None:
        case_services.do_set_deadline(case, stage="handle", due=due, now=now)


def _figures(data, prefix: str = "") -> dict:
    """The casualties and losses given, checked: whole numbers of people, losses in 10,000 yuan."""
    figures = {}
    for name, label in (("deaths", _("Dead")), ("injured", _("Injured")), ("missing", _("Missing"))):
        value = getattr(data, name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100_000:
            raise CaseError(_("%(field)s must be a whole number from 0 to 100000.") % {"field": label}, status=422,
                            field=f"{prefix}{name}")
        figures[name] = value
    losses = data.losses
    if losses is not None:
        try:
            losses = Decimal(str(losses))
        except InvalidOperation:
            losses = None
        if losses is None or not losses.is_finite() or not Decimal(0) <= losses < Decimal("1e10"):
            raise CaseError(_("Direct losses must be an amount of 10,000 yuan from 0 up."), status=422,
                            field=f"{prefix}losses")
        losses = losses.quantize(Decimal("0.01"))
    figures["losses"] = losses
    return figures


def _moment(value, field_name: str, label: str, *, not_after: datetime) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise CaseError(_("%(field)s must be a moment with its time zone.") % {"field": label}, status=422,
                        field=field_name)
    if value > not_after:
        raise CaseError(_("%(field)s must not lie in the future.") % {"field": label}, status=422, field=field_name)
    return value


def _category(type_: str) -> Category:
    """The incidents' category of ``type_`` (created on first use, never offered to residents)."""
    root, _created = Category.objects.get_or_create(
        code=CATEGORY_ROOT, defaults={"name": "突发事件", "default_kind": INCIDENT, "is_public": False})
    with translation.override(settings.LANGUAGE_CODE):
        name = str(IncidentType(type_).label)
    category, _created = Category.objects.get_or_create(
        code=f"{CATEGORY_ROOT}.{type_}",
        defaults={"name": name, "parent": root, "default_kind": INCIDENT, "is_public": False})
    return category


# ---------------------------------------------------------------------------- receiving


@dataclass
class NewIncident:
    type: str
    grade: str
    text: str
    occurred_at: datetime
    known_at: datetime | None = None
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    region_code: str = ""
    # The office that keeps it (its duty office); by default the one the user works in.
    office: str = ""
    deaths: int = 0
    injured: int = 0
    missing: int = 0
    losses: Decimal | float | str | None = None


@dataclass
class Source:
    """Another module's record that opened the incident (linked both ways)."""

    module: str
    key: str
    label: str
    url: str


def open_incident(actor, data: NewIncident, *, idempotency_key: str = "", source: Source | None = None,
                  now: datetime | None = None, synthetic: bool = False) -> tuple[Case, bool]:
    """Receive an incident (接报): a case of kind ``incident`` kept by the duty office, handled at
    once, owing its first report by phone. Sent once: the same key again returns the same case."""
    now = now or timezone.now()
    check_choice(data.type, IncidentType, "type")
    check_choice(data.grade, IncidentGrade, "grade")
    text = check_text(data.text, "text", _("What happened"), 5000)
    occurred_at = _moment(data.occurred_at, "occurred_at", _("Happened at"), not_after=now)
    known_at = now if data.known_at is None else _moment(data.known_at, "known_at", _("Known at"), not_after=now)
    if known_at < occurred_at:
        raise CaseError(_("The duty office cannot learn of an incident before it happened."), status=422,
                        field="known_at")
    figures = _figures(data)
    office = _keeping_office(actor, data.office)
    rule = rule_for(data.grade)
    new_case = NewCase(
        kind=INCIDENT, category_code=_category(data.type).code, text=text, channel=Channel.HOTLINE,
        lat=data.lat, lng=data.lng, address=data.address, region_code=data.region_code,
        deadline_rule={"policy": None, "name": "incident", "accept": [0, "hours"],
                       "handle": [round(rule.phone_minutes / 60, 4), "hours"], "reply": [1, "working_days"],
                       "warn_before_hours": WARN_BEFORE_HOURS, "escalate_after_hours": ESCALATE_AFTER_HOURS},
    )

    def create():
        with transaction.atomic():
            # The module checked the actor's right (``access.can_open``): the duty office keeps it.
            case, _created = case_services.do_create_case(None, new_case, now=now, synthetic=synthetic)
            incident = Incident.objects.create(
                case=case, type=data.type, grade=data.grade, occurred_at=occurred_at, known_at=known_at,
                opened_by=actor, created_at=now, **figures, **({} if source is None else {
                    "source_module": source.module[:30], "source_key": str(source.key)[:40],
                    "source_label": source.label[:200], "source_url": source.url[:300]}))
            facts = {"office": office.code, "grade": data.grade, "type": data.type,
                     "known_at": known_at.isoformat(), **({"source": source.label} if source else {})}
            case = case_services.do_route_for_acceptance(actor, case, office=office, action=IncidentEvent.OPENED,
                                                         accept_due_at=Deadline(now, False, {}), data=facts, now=now)
            phone_due = _clock(known_at, rule.phone_minutes, Owed.FIRST_PHONE)
            case = case_services.do_accept_into_handling(actor, case, action=Action.ACCEPT,
                                                         handle_due_at=phone_due, now=now)
            _owe(case, incident, now)
            return incident

    request = {**asdict(data), "source": asdict(source) if source else None}
    incident, created = create_once(actor, idempotency_key, request, Incident, create, owner="opened_by")
    return Case.objects.get(pk=incident.case_id), created


def _keeping_office(actor, code: str) -> Office:
    office = Office.objects.filter(code=code, is_active=True).first() if code else getattr(actor, "office", None)
    if office is None:
        raise CaseError(_("Choose the office that keeps the incident (its duty office)."), status=422,
                        field="office")
    if not access.can_open(actor, office):
        raise CaseError(_("You may not do this."), status=403)
    return office
# ---------------------------------------------------------------------------- reporting


def _locked(actor, case: Case, right) -> tuple[Case, Incident]:
    """The case and its record locked, after the actor's right and the record's state are checked."""
    case = case_services.lock_case(case)
    incident = Incident.objects.select_for_update().filter(case=case).first()
    if incident is None:
        raise CaseError(_("This case is not an incident."), status=404)
    if not right(actor, case):
        raise CaseError(_("You may not do this."), status=403)
    return case, incident


@dataclass
class NewReport:
    kind: str
    channel: str
    text: str
    deaths: int = 0
    injured: int = 0
    missing: int = 0
    losses: Decimal | float | str | None = None


def make_report(actor, case: Case, data: NewReport, *, idempotency_key: str = "",
                now: datetime | None = None) -> tuple[IncidentReport, bool]:
    """Make a report on the incident: the first (by phone, then in writing), a follow-up, or the
    final report in writing, which answers the case. The report keeps the deadline it answered
    and whether it was late; the figures it gives become the incident's. Sent once."""
    now = now or timezone.now()

    def create():
        with transaction.atomic():
            return _make_report(actor, case, data, now)

    return create_once(actor, idempotency_key, asdict(data) | {"case": case.pk}, IncidentReport, create,
                       owner="reported_by")


def _make_report(actor, case: Case, data: NewReport, now: datetime) -> IncidentReport:
    case, incident = _locked(actor, case, access.can_report)
    if not incident.is_open:
        raise CaseError(_("The final report is in: nothing more is reported on this incident."), status=409)
    check_choice(data.kind, ReportKind, "kind")
    check_choice(data.channel, ReportChannel, "channel")
    text = check_text(data.text, "text", _("What was reported"), 10000)
    figures = _figures(data)
    reports = list(incident.reports.all())
    firsts = [r for r in reports if r.kind == ReportKind.FIRST]
    if data.kind == ReportKind.FIRST and any(r.channel == data.channel for r in firsts):
        raise CaseError(_("The first report was already made this way: make a follow-up report."), status=409,
                        field="kind")
    if data.kind != ReportKind.FIRST and not firsts:
        raise CaseError(_("Make the first report before any other."), status=409, field="kind")
    if data.kind == ReportKind.FINAL and data.channel != ReportChannel.WRITTEN:
        raise CaseError(_("The final report is made in writing."), status=422, field="channel")
    owed, due = owed_next(incident, reports)
    # The deadline this report answers: a first report answers the first report owed; a
    # follow-up or the final report the follow-up owed (none while the written first report is
    # still owed: that one stays owed).
    answers = due if (data.kind == ReportKind.FIRST) == (owed in (Owed.FIRST_PHONE, Owed.FIRST_WRITTEN)) else None
    report = IncidentReport.objects.create(
        incident=incident, number=len(reports) + 1, kind=data.kind, channel=data.channel, text=text,
        reported_by=actor, reported_at=now, due_at=answers.at if answers else None,
        late=bool(answers and now > answers.at), **figures)
    for name, value in figures.items():
        if value is not None:
            setattr(incident, name, value)
    incident.save(update_fields=["deaths", "injured", "missing", "losses"])
    case_services.do_record_event(case, actor, IncidentEvent.REPORTED, note=report.text, now=now, data={
        "report": report.number, "kind": report.kind, "channel": report.channel, "late": report.late,
        "due_at": report.due_at.isoformat() if report.due_at else None})
    if data.kind == ReportKind.FINAL:
        incident.closed_at, incident.owed, incident.owed_due_at = now, Owed.NOTHING, None
        incident.save(update_fields=["closed_at", "owed", "owed_due_at"])
        case_services.do_resolve_case(actor, case, reply=text_for_reply(report), now=now)
    else:
        _owe(case, incident, now)
    return report


def text_for_reply(report: IncidentReport) -> str:
    """The case's answer: the final report as written for the file (redacted like every text)."""
    return report.text_whole or report.text


def upward(incident: Incident) -> tuple[Office | None, str]:
    """Where a report of ``incident`` goes up a level: the keeping office's reporting line where
    an administrator drew one; otherwise from a township's (or a village's) office to the county's
    duty office (``ANJU_DUTY_COUNTY_OFFICE``, by code), and from a county office to the body above
    the county (``ANJU_DUTY_UPWARD_NAME``), outside Anju."""
    office = incident.case.office
    line = ReportingLine.objects.filter(office=office).select_related("up_office").first() if office else None
    if line is not None:
        return line.up_office, line.up_office.name if line.up_office_id else line.up_name
    if office is not None and office.jurisdiction.level != Level.COUNTY:
        county = Office.objects.filter(code=getattr(settings, "ANJU_DUTY_COUNTY_OFFICE", COUNTY_OFFICE),
                                       is_active=True).first()
        if county is not None and county.pk != office.pk:
            return county, county.name
    return None, getattr(settings, "ANJU_DUTY_UPWARD_NAME", UPWARD_NAME)


@transaction.atomic
def forward_report(actor, case: Case, number: int, *, channel: str = ReportChannel.WRITTEN,
                   now: datetime | None = None) -> Forward:
    """Forward report ``number`` up a level with one action (上报): to the county's duty office,
    which is told and signs for it, or to the body above the county. Once per report."""
    now = now or timezone.now()
    case, incident = _locked(actor, case, access.can_report)
    check_choice(channel, ReportChannel, "channel")
    report = incident.reports.filter(number=number).first() if isinstance(number, int) else None
    if report is None:
        raise CaseError(_("Unknown report."), status=404, field="report")
    to_office, to_name = upward(incident)
    if report.forwards.filter(to_name=to_name).exists():
        raise CaseError(_("This report was already forwarded to %(to)s.") % {"to": to_name}, status=409,
                        field="report")
    forward = Forward.objects.create(report=report, to_office=to_office, to_name=to_name, channel=channel,
                                     forwarded_by=actor, forwarded_at=now)
    case_services.do_record_event(case, actor, IncidentEvent.FORWARDED, now=now, data={
        "report": report.number, "to": to_name, "office": to_office.code if to_office else None,
        "channel": channel})
    if to_office is not None and not case.is_synthetic:
        _tell_upper_office(case, incident, report, to_office)
    return forward


def _tell_upper_office(case: Case, incident: Incident, report: IncidentReport, office: Office) -> None:
    users = User.objects.filter(is_active=True).filter(office=office).order_by("pk")
    facts = {"code": case.tracking_code, "grade": incident.get_grade_display(), "kind": report.get_kind_display(),
             "office": case.office.name if case.office_id else ""}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Incident report forwarded: %(code)s (%(grade)s)") % facts
        body = _("%(office)s forwarded its %(kind)s on incident %(code)s. Open it and sign for it.") % facts
    notify_staff(users, event=IncidentEvent.FORWARDED, subject=subject, body=body,
                 link=reverse("duty:incident", args=[case.pk]))


@transaction.atomic
def receive_forward(actor, case: Case, forward_id: int, *, now: datetime | None = None) -> Forward:
    """Sign for a report forwarded to the actor's office (签收): the chain shows who at the level
    above knew of it, and when."""
    now = now or timezone.now()
    case = case_services.lock_case(case)
    forward = Forward.objects.select_for_update().filter(
        pk=forward_id, report__incident__case=case).first() if isinstance(forward_id, int) else None
    if forward is None:
        raise CaseError(_("Unknown forwarded report."), status=404, field="forward")
    if forward.to_office_id is None or not access.can_receive(actor, forward.to_office):
        raise CaseError(_("You may not do this."), status=403)
    if forward.received_at is not None:
        raise CaseError(_("This report was already signed for."), status=409, field="forward")
    forward.received_at, forward.received_by = now, actor
    forward.save(update_fields=["received_at", "received_by"])
    case_services.do_record_event(case, actor, IncidentEvent.RECEIVED, now=now, data={
        "report": forward.report.number, "office": forward.to_office.code})
    return forward


@transaction.atomic
def change_grade(actor, case: Case, *, grade: str, reason: str, now: datetime | None = None) -> Incident:
    """Raise or lower the grade as the facts come in: the reports still owed are counted again by
    the new grade's rule from when the duty office learned of it (a raised grade may make a report
    owed at once)."""
    now = now or timezone.now()
    case, incident = _locked(actor, case, access.can_report)
    if not incident.is_open:
        raise CaseError(_("The final report is in: the grade is kept as reported."), status=409)
    check_choice(grade, IncidentGrade, "grade")
    reason = check_text(reason, "reason", _("Reason"), 1000)
    if grade == incident.grade:
        raise CaseError(_("The incident already has this grade."), status=409, field="grade")
    before = incident.grade
    incident.grade = grade
    incident.save(update_fields=["grade"])
    case_services.do_record_event(case, actor, IncidentEvent.GRADED, note=reason, now=now, data={
        "from": before, "to": grade, "raised": GRADE_ORDER.index(grade) > GRADE_ORDER.index(before)})
    _owe(case, incident, now)
    return incident


# ---------------------------------------------------------------------------- for other modules


def open_from_record(actor, *, module: str, key: str, label: str, url: str, type: str, grade: str, text: str,
                     occurred_at: datetime, lat: float | None = None, lng: float | None = None, address: str = "",
                     region_code: str = "", now: datetime | None = None, synthetic: bool = False) -> Case:
    """Published as ``duty.open_incident``: another module's record (a major hazard, a warning)
    opens an incident linked to it; the actor's own office keeps it. Returns the incident's case."""
    case, _created = open_incident(actor, NewIncident(
        type=type, grade=grade, text=text, occurred_at=occurred_at, lat=lat, lng=lng, address=address,
        region_code=region_code), source=Source(module, str(key), label, url), now=now, synthetic=synthetic)
    return case


def incidents_for(module: str, key) -> list[dict]:
    """Published as ``duty.incidents_for``: the incidents a record of ``module`` opened, for its
    page (the other half of the link), each with its tracking code, grade, whether it is open
    and its page."""
    rows = Incident.objects.filter(source_module=module, source_key=str(key)).select_related("case")
    return [{"case": row.case_id, "code": row.case.tracking_code, "grade": row.grade,
             "grade_label": row.get_grade_display(), "open": row.is_open,
             "url": reverse("duty:incident", args=[row.case_id])} for row in rows.order_by("created_at", "pk")]
