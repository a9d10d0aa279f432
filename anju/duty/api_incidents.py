"""The incidents API, /api/v1/incidents: receive an incident, make its reports on the clock,
forward each up a level, sign for one forwarded to your office, change the grade. Thin: parse,
look the incident up through ``incident_access``, call the one service, answer."""

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.responses import Status as HTTP

from anju.cases import queries as case_queries
from anju.cases.api import ERRORS, MAX_ID, CaseDetail, CaseOut, case_detail, case_out
from anju.cases.models import Case
from anju.cases.services import CaseError
from anju.duty import incident_access as access
from anju.duty import incident_queries as queries
from anju.duty import incidents as services
from anju.duty.choices import IncidentGrade, IncidentType, ReportChannel, ReportKind
from anju.duty.models import Incident, IncidentReport
from anju.geo.models import Region
from anju.lib.api import Moment, Text, choices_of
from anju.lib.paging import keyset_page

incidents_router = Router(tags=["incidents"])


def _id(value: int) -> int:
    if not 0 < value < MAX_ID:
        raise Http404
    return value


class IncidentRecordOut(Schema):
    type: str
    type_label: str
    grade: str
    grade_label: str
    occurred_at: datetime
    known_at: datetime = Field(description="when the duty office learned of it (接报); reports are owed from it")
    deaths: int
    injured: int
    missing: int
    losses: Decimal | None = Field(description="direct losses in 10,000 yuan")
    owed: str = Field(description="the report owed next: first_phone, first_written, follow_up; empty once final")
    owed_due_at: datetime | None
    overdue: bool = Field(description="the report owed is past its deadline")
    closed_at: datetime | None = Field(description="when the final report (终报) was made")
    source: dict | None = Field(description="the record of another module that opened it: module, key, label, url")


class IncidentForwardOut(Schema):
    id: int
    to: str
    to_office: str | None = Field(description="code of the office in Anju it went to; null for a body outside")
    channel: str
    forwarded_by: str
    forwarded_at: datetime
    received_by: str | None
    received_at: datetime | None


class IncidentReportOut(Schema):
    number: int
    kind: str
    kind_label: str
    channel: str
    text: str
    deaths: int
    injured: int
    missing: int
    losses: Decimal | None
    reported_by: str
    reported_at: datetime
    due_at: datetime | None = Field(description="the deadline it answered")
    late: bool
    forwards: list[IncidentForwardOut]


class IncidentOut(CaseOut):
    incident: IncidentRecordOut


class IncidentPage(Schema):
    items: list[IncidentOut]
    next_cursor: int | None = Field(description="pass back as cursor for the next page; null at the end")


class IncidentDetail(CaseDetail):
    actions: list[str] = Field(description="what you may do now: report, forward, receive, grade")
    case_actions: list[str] = Field(description="lifecycle actions of the case (/api/v1/cases/{id}/...)")
    incident: IncidentRecordOut
    reports: list[IncidentReportOut]


class IncidentFiltersIn(Schema):
    open: bool | None = Field(None, description="true: final report not made yet; false: closed")
    grade: choices_of(("", *IncidentGrade.values)) = ""  # type: ignore[valid-type]
    type: choices_of(("", *IncidentType.values)) = ""  # type: ignore[valid-type]
    township: Text = Field("", max_length=20, description="region code: incidents in its subtree")
    overdue: bool | None = Field(None, description="a report owed past its deadline")
    q: Text = Field("", max_length=100, description="text of the incident, or its tracking code")
    cursor: int | None = Field(None, ge=1, le=MAX_ID, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


class IncidentIn(Schema):
    type: choices_of(IncidentType.values)  # type: ignore[valid-type]
    grade: choices_of(IncidentGrade.values)  # type: ignore[valid-type]
    text: Text = Field(min_length=1, max_length=5000, description="what happened, where, and what is being done")
    occurred_at: Moment
    known_at: Moment | None = Field(None, description="when the duty office learned of it; now when empty")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    address: Text = Field("", max_length=300)
    region_code: Text = Field("", max_length=20)
    office: Text = Field("", max_length=40, description="code of the office that keeps it; yours when empty")
    deaths: int = Field(0, ge=0, le=100000)
    injured: int = Field(0, ge=0, le=100000)
    missing: int = Field(0, ge=0, le=100000)
    losses: Decimal | None = Field(None, ge=0, lt=10**10, decimal_places=2, description="in 10,000 yuan")


class IncidentReportIn(Schema):
    kind: choices_of(ReportKind.values)  # type: ignore[valid-type]
    channel: choices_of(ReportChannel.values)  # type: ignore[valid-type]
    text: Text = Field(min_length=1, max_length=10000)
    deaths: int = Field(0, ge=0, le=100000)
    injured: int = Field(0, ge=0, le=100000)
    missing: int = Field(0, ge=0, le=100000)
    losses: Decimal | None = Field(None, ge=0, lt=10**10, decimal_places=2, description="in 10,000 yuan")


class IncidentForwardIn(Schema):
    channel: choices_of(ReportChannel.values) = ReportChannel.WRITTEN  # type: ignore[valid-type]


class IncidentGradeIn(Schema):
    grade: choices_of(IncidentGrade.values)  # type: ignore[valid-type]
    reason: Text = Field(min_length=1, max_length=1000)


class ReportingRuleOut(Schema):
    grade: str
    grade_label: str
    phone_minutes: int
    written_minutes: int
    follow_up_hours: int


def _record_out(incident: Incident, now) -> dict:
    return {
        "type": incident.type, "type_label": incident.get_type_display(), "grade": incident.grade,
        "grade_label": incident.get_grade_display(), "occurred_at": incident.occurred_at,
        "known_at": incident.known_at, "deaths": incident.deaths, "injured": incident.injured,
        "missing": incident.missing, "losses": incident.losses, "owed": incident.owed,
        "owed_due_at": incident.owed_due_at,
        "overdue": incident.is_open and incident.owed_due_at is not None and incident.owed_due_at < now,
        "closed_at": incident.closed_at,
        "source": {"module": incident.source_module, "key": incident.source_key, "label": incident.source_label,
                   "url": incident.source_url} if incident.source_module else None,
    }


def _report_out(report: IncidentReport) -> dict:
    return {
        "number": report.number, "kind": report.kind, "kind_label": report.get_kind_display(),
        "channel": report.channel, "text": report.text, "deaths": report.deaths, "injured": report.injured,
        "missing": report.missing, "losses": report.losses, "reported_by": report.reported_by.username,
        "reported_at": report.reported_at, "due_at": report.due_at, "late": report.late,
        "forwards": [{"id": f.pk, "to": f.to_name, "to_office": f.to_office.code if f.to_office_id else None,
                      "channel": f.channel, "forwarded_by": f.forwarded_by.username, "forwarded_at": f.forwarded_at,
                      "received_by": f.received_by.username if f.received_by_id else None,
                      "received_at": f.received_at} for f in report.forwards.all()],
    }


def incident_detail(user, case: Case) -> dict:
    now = timezone.now()
    data = case_detail(user, case)
    incident = case.incident
    data["case_actions"] = data.pop("actions")
    data["actions"] = queries.incident_actions(user, case, incident)
    data["incident"] = _record_out(incident, now)
    reports = incident.reports.select_related("reported_by").prefetch_related(
        "forwards__to_office", "forwards__forwarded_by", "forwards__received_by")
    data["reports"] = [_report_out(r) for r in reports]
    return data


def _incident_case(request, case_id: int) -> Case:
    return access.get_incident_case_for(request.user, _id(case_id))


def _detail(request, case: Case) -> dict:
    return incident_detail(request.user, Case.objects.select_related(*case_queries.LIST_RELATED, "incident").get(
        pk=case.pk))


@incidents_router.get("", response={200: IncidentPage, **ERRORS}, summary="List incidents")
def list_incidents(request, filters: Query[IncidentFiltersIn]):
    """The incidents you may see (those of your scope, and those forwarded to your office), newest
    first, each with the report it owes next; pass ``next_cursor`` back as ``cursor``."""
    if filters.township and not Region.objects.filter(code=filters.township).exists():
        raise CaseError(_("Unknown region code."), status=422, field="township")
    now = timezone.now()
    rows = queries.incident_cases_for(request.user, queries.IncidentFilters(
        open=filters.open, grade=filters.grade, type=filters.type, township=filters.township,
        overdue=filters.overdue, text=filters.q), now)
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    items = [{**case_out(request.user, c, now), "incident": _record_out(c.incident, now)} for c in page]
    return {"items": items, "next_cursor": next_cursor}


@incidents_router.post("", response={201: IncidentDetail, 200: IncidentDetail, **ERRORS},
                       summary="Receive an incident (接报)")
def open_incident(request, payload: IncidentIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """The incident becomes a case kept by the duty office (yours unless ``office`` names another
    you may receive for), owing its first report by phone from ``known_at``. An
    ``Idempotency-Key`` makes retries safe: the same key and body return the same incident (200)."""
    case, created = services.open_incident(request.user, services.NewIncident(
        type=payload.type, grade=payload.grade, text=payload.text, occurred_at=payload.occurred_at,
        known_at=payload.known_at, lat=payload.lat, lng=payload.lng, address=payload.address,
        region_code=payload.region_code, office=payload.office, deaths=payload.deaths, injured=payload.injured,
        missing=payload.missing, losses=payload.losses), idempotency_key=idempotency_key)
    return HTTP(201 if created else 200, _detail(request, case))


@incidents_router.get("/rules", response={200: list[ReportingRuleOut], **ERRORS},
                      summary="The reporting deadlines by grade")
def reporting_rules(request):
    """How fast the reports are owed for each grade, counted from when the duty office learned of
    the incident: the first report by phone and in writing (minutes), then follow-ups (hours)."""
    if not request.user.is_authenticated:
        raise CaseError(_("Authentication required."), status=401)
    rules = []
    for grade, label in IncidentGrade.choices:
        rule = services.rule_for(grade)
        rules.append({"grade": grade, "grade_label": str(label), "phone_minutes": rule.phone_minutes,
                      "written_minutes": rule.written_minutes, "follow_up_hours": rule.follow_up_hours})
    return rules


@incidents_router.get("/{int:case_id}", response={200: IncidentDetail, **ERRORS}, summary="One incident")
def get_incident(request, case_id: int):
    """The incident's case (as /api/v1/cases/{id}) with its record, its reports with the deadline
    each answered and where each was forwarded, and the actions you may take now."""
    return _detail(request, _incident_case(request, case_id))


@incidents_router.post("/{int:case_id}/reports", response={201: IncidentDetail, 200: IncidentDetail, **ERRORS},
                       summary="Make a report (首报, 续报, 终报)")
def make_report(request, case_id: int, payload: IncidentReportIn,
                idempotency_key: str = Header("", alias="Idempotency-Key")):
    """The first report (by phone, then in writing), a follow-up, or the final report in writing,
    which answers the case. The figures given become the incident's."""
    case = _incident_case(request, case_id)
    _report, created = services.make_report(request.user, case, services.NewReport(
        kind=payload.kind, channel=payload.channel, text=payload.text, deaths=payload.deaths,
        injured=payload.injured, missing=payload.missing, losses=payload.losses), idempotency_key=idempotency_key)
    return HTTP(201 if created else 200, _detail(request, case))


@incidents_router.post("/{int:case_id}/reports/{int:number}/forward", response={200: IncidentDetail, **ERRORS},
                       summary="Forward a report up a level (上报)")
def forward_report(request, case_id: int, number: int, payload: IncidentForwardIn):
    """To the county's duty office from a township's, or to the body above the county from a
    county office; once per report."""
    case = _incident_case(request, case_id)
    services.forward_report(request.user, case, _id(number), channel=payload.channel)
    return _detail(request, case)


@incidents_router.post("/{int:case_id}/forwards/{int:forward_id}/receive", response={200: IncidentDetail, **ERRORS},
                       summary="Sign for a report forwarded to your office (签收)")
def receive_forward(request, case_id: int, forward_id: int):
    case = _incident_case(request, case_id)
    services.receive_forward(request.user, case, _id(forward_id))
    return _detail(request, case)


@incidents_router.post("/{int:case_id}/grade", response={200: IncidentDetail, **ERRORS},
                       summary="Change the grade")
def change_grade(request, case_id: int, payload: IncidentGradeIn):
    """The reports still owed are counted again by the new grade's deadlines."""
    case = _incident_case(request, case_id)
    services.change_grade(request.user, case, grade=payload.grade, reason=payload.reason)
    return _detail(request, case)

