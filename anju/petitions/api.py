"""Petition and reception-day endpoints under /api/v1/petitions and /api/v1/reception-days.
Thin: parse, look the petition (or day, or booking) up through ``anju.petitions.access``, call
the service, answer.

The petitioners are served, never watched: no endpoint filters, searches or counts by
petitioner, the petitioners are masked wherever they are listed (and absent altogether for the
body the petition is about), notices show the addressees masked, and a reception day lists
its bookings by tracking code only. A full look at a petitioner is a separate call, logged."""

from datetime import date, datetime, timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.responses import Status as HTTP

from anju.cases import access as case_access
from anju.cases import queries as case_queries
from anju.cases import services as case_services
from anju.cases.api import ERRORS, MAX_ID, CaseDetail, CaseOut, ExtensionOut, case_detail, case_out
from anju.cases.choices import Priority, Status
from anju.cases.models import Case
from anju.cases.services import CaseError, NewCase
from anju.geo.models import Region
from anju.lib.api import Day, Moment, Text, choices_of
from anju.lib.masking import mask_name
from anju.lib.paging import keyset_page
from anju.lib.workdays import LOCAL, start_of_day
from anju.people.models import Office, User
from anju.petitions import access, queries, services, stats
from anju.petitions.choices import (
    Decision,
    Delivery,
    Level,
    NoticeKind,
    PetitionForm,
    ReceptionStatus,
    RouteKind,
)
from anju.petitions.models import Booking, Notice, Petition, ReceptionDay

router = Router(tags=["petitions"])
reception_router = Router(tags=["reception days"])


# ---------------------------------------------------------------------------- petition schemas


class LimitOut(Schema):
    key: str = Field(description="route, acceptance, objection, answer or window")
    label: str
    at: datetime | date | None = Field(description="a moment for a body's time limit; a day for the petitioner's "
                                                    "window")
    article: str = Field(description="the article of the 信访工作条例 that sets it")
    petitioners: bool = Field(description="the petitioner's own window rather than a body's time limit")
    running: bool = Field(description="the time limit running now")
    met: bool | None
    estimated: bool = Field(description="counted over a day of a year whose holiday arrangement is not announced "
                                        "yet (estimated from the statutory holidays; counted again when it is)")


class PetitionRecordOut(Schema):
    form: str
    form_label: str
    request: str
    level: str
    level_label: str
    about_office: str | None = Field(description="code of the body the petition is about")
    about_official: str
    reports_wrongdoing: bool
    group_size: int = Field(description="people petitioning together")
    route_kind: str
    routed_at: datetime | None
    first_office: str | None = Field(description="code of the first body that accepted it (首办)")
    extension_days: int
    decision: str
    leader: str | None = Field(description="username of the leader in charge (包案领导)")
    leader_name: str | None
    leader_since: datetime | None
    route_due_at: datetime | None = Field(
        description="the petition office routes it by then: 15 days from receipt (第二十二条)")
    acceptance_due_at: datetime | None = Field(
        description="the body tells the petitioner whether it accepts by then: 15 days from routing (第二十三条)")
    objection_due_at: datetime | None = Field(
        description="the body may object that it is not competent until then: 5 working days (第二十三条)")
    answer_due_at: datetime | None = Field(
        description="the written answer is due then: 60 days from acceptance plus an approved extension "
                    "(第三十四条); 30 days from the request for a review or re-examination, hearing days not counted "
                    "(第三十五条、第三十六条)")
    petitioner_window_ends_on: date | None = Field(
        description="last day the petitioner may ask for review or re-examination: 30 days from receiving the "
                    "answer, moved past holidays (第三十五条、第三十六条)")
    limits: list[LimitOut] = Field(description="the time limits at the petition's stage")


class PetitionOut(CaseOut):
    petition: PetitionRecordOut


class PetitionPage(Schema):
    items: list[PetitionOut]
    next_cursor: int | None = Field(description="pass back as cursor for the next page; null at the end")


class PetitionerOut(Schema):
    id: int
    name: str = Field(description="masked")
    phone: str = Field(description="masked")
    address: str = Field(description="cut short")
    is_representative: bool


class PetitionerFull(PetitionerOut):
    name: str
    phone: str
    address: str


class NoticeOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    office: str = Field(description="code of the issuing body")
    office_name: str
    decision: str
    issued_at: datetime
    sent_on: date
    delivery: str
    delivered_on: date | None = Field(description="the day the petitioner received it; their windows count from it")
    addressee: str = Field(description="the addressees, masked")
    content: dict = Field(description="the notice as issued, its addressees masked")


class HearingOut(Schema):
    id: int
    starts_on: date
    ends_on: date
    place: str
    note: str
    recorded_by: str
    created_at: datetime


class BookingOut(Schema):
    id: int
    day: int
    slot_at: datetime
    status: str
    via: str
    place: str
    leader_name: str
    booked_at: datetime
    received_at: datetime | None
    summary: str = Field(description="what was said at the reception")


class ChainLinkOut(Schema):
    id: int
    tracking_code: str
    level: str


class ChainOut(Schema):
    parent: ChainLinkOut | None = Field(description="the petition whose decision this one asks to review")
    requests: list[ChainLinkOut] = Field(description="reviews or re-examinations asked of this one's decision")
    earlier_matter: ChainLinkOut | None = Field(description="a matter concluded after re-examination it repeats")


class PetitionDetail(CaseDetail):
    actions: list[str] = Field(description="petition actions you may take now (route, accept, answer ...)")
    case_actions: list[str] = Field(description="lifecycle actions of the case (/api/v1/cases/{id}/...)")
    petition: PetitionRecordOut
    petitioners_hidden: bool = Field(description="true when who petitioned is hidden from you")
    can_reveal_petitioners: bool
    petitioners: list[PetitionerOut]
    notices: list[NoticeOut]
    hearings: list[HearingOut]
    bookings: list[BookingOut]
    chain: ChainOut = Field(description="the linked petitions you may see")


class PetitionerIn(Schema):
    name: Text = Field(min_length=1, max_length=50)
    phone: Text = Field("", max_length=20)
    address: Text = Field("", max_length=200)
    is_representative: bool = False


class PetitionIn(Schema):
    category: Text = Field(max_length=40, description="a category code in the petition tree")
    text: Text = Field(min_length=1, max_length=5000, description="the matter")
    form: choices_of(PetitionForm.values) = PetitionForm.LETTER  # type: ignore[valid-type]
    request: Text = Field("", max_length=5000, description="what the petitioner asks for (信访诉求)")
    priority: choices_of(Priority.values) = Priority.NORMAL  # type: ignore[valid-type]
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    address: Text = Field("", max_length=200)
    region_code: Text = Field("", max_length=20)
    reporter_email: Text = Field("", max_length=254, description="where the petitioner's messages go, if anywhere")
    confidential: bool = False
    about_office: Text = Field("", max_length=40, description="code of the body the petition is about")
    about_official: Text = Field("", max_length=100, description="an official named, as the petitioner gives it")
    reports_wrongdoing: bool = Field(False, description="kept from the body it is about (第三十条)")
    group_size: int | None = Field(None, ge=1, le=100_000,
                                   description="people petitioning together; the petitioners recorded when empty")
    petitioners: list[PetitionerIn] = Field([], max_length=services.MAX_PETITIONERS)
    received_on: Day | None = Field(None, description="the day it came in (a letter opened later); today when empty: "
                                                      "the 15 days to route it run from then (第二十二条)")


class PetitionFiltersIn(Schema):
    status: list[choices_of(Status.values)] | None = Field(None, max_length=8)  # type: ignore[valid-type]
    level: choices_of(("", *Level.values)) = ""  # type: ignore[valid-type]
    category: Text = Field("", max_length=40, description="category code: the category or any below it")
    region: Text = Field("", max_length=20, description="region code: the petition lies in its subtree")
    office: Text = Field("", max_length=40, description="code of the body that has it")
    leader: Text = Field("", max_length=150, description="username of the leader in charge")
    overdue: bool | None = None
    q: Text = Field("", max_length=100, description="searches the matter, the request and the tracking code, "
                                                    "never the petitioners")
    cursor: int | None = Field(None, ge=1, le=MAX_ID, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


class SendingIn(Schema):
    sent_on: Day | None = Field(None, description="the day the notice was sent; today when empty")
    delivery: choices_of(Delivery.values) = Delivery.ONLINE  # type: ignore[valid-type]


class RouteIn(SendingIn):
    office: Text = Field(min_length=1, max_length=40, description="code of the competent body")
    route_kind: choices_of(RouteKind.values) = RouteKind.TRANSFERRED  # type: ignore[valid-type]
    note: Text = Field("", max_length=1000)


class ObjectionIn(Schema):
    reason: Text = Field(min_length=1, max_length=1000)


class AcceptIn(SendingIn):
    note: Text = Field("", max_length=1000)


class DeclineIn(SendingIn):
    reason: Text = Field(min_length=1, max_length=1000)
    where_to_go: Text = Field("", max_length=500, description="where the petitioner may turn instead")


class PetitionExtensionIn(Schema):
    days: int = Field(ge=1, le=30, description="calendar days; at most 30 in all (第三十四条)")
    reason: Text = Field(min_length=1, max_length=500, description="the petitioner is told it")


class ApproveIn(SendingIn):
    note: Text = Field("", max_length=500)


class DenyIn(Schema):
    note: Text = Field(min_length=1, max_length=500)


class AnswerIn(SendingIn):
    decision: choices_of(Decision.values)  # type: ignore[valid-type]
    findings: Text = Field(min_length=1, max_length=5000, description="facts and reasons")
    basis: Text = Field(min_length=1, max_length=2000, description="the legal basis")


class DeliveredIn(Schema):
    delivered_on: Day


class ReviewIn(Schema):
    reason: Text = Field(min_length=1, max_length=5000)
    asked_on: Day | None = Field(None, description="the day the petitioner asked; today when empty")


class HearingIn(Schema):
    starts_on: Day
    ends_on: Day
    place: Text = Field(min_length=1, max_length=200)
    note: Text = Field("", max_length=2000)


class ConcludedIn(SendingIn):
    earlier_code: Text = Field(min_length=1, max_length=40, description="tracking code of the concluded matter")
    note: Text = Field("", max_length=1000)


class LeaderIn(Schema):
    leader: int = Field(ge=1, le=MAX_ID, description="id of a leader whose scope reaches the petition")


class PetitionTransferIn(Schema):
    office: Text = Field(min_length=1, max_length=40)
    reason: Text = Field(min_length=1, max_length=500)


class BookingIn(Schema):
    day: int = Field(ge=1, le=MAX_ID, description="id of a planned reception day")
    slot_at: Moment = Field(description="one of the day's slots")


class RevealIn(Schema):
    reason: Text = Field("", max_length=200)


# ---------------------------------------------------------------------------- petition output


def _record_of(case: Case) -> Petition:
    # A petition that came in through the core's intake has no record until its first change;
    # a read shows the record's defaults rather than writing one.
    try:
        return case.petition
    except Petition.DoesNotExist:
        return Petition(case=case, form=services.CHANNEL_FORM.get(case.channel, PetitionForm.LETTER),
                        created_at=case.submitted_at)


def _record_out(petition: Petition, now: datetime | None = None) -> dict:
    case = petition.case
    limits = queries.limits_of(petition, now)
    at = {limit.key: limit.at for limit in limits}
    leader = petition.leader if petition.leader_id else None
    return {
        "form": petition.form, "form_label": str(PetitionForm(petition.form).label), "request": petition.request,
        "level": petition.level, "level_label": str(Level(petition.level).label),
        "about_office": case.about_office.code if case.about_office_id else None,
        "about_official": petition.about_official, "reports_wrongdoing": case.reports_wrongdoing,
        "group_size": petition.group_size, "route_kind": petition.route_kind, "routed_at": petition.routed_at,
        "first_office": petition.first_office.code if petition.first_office_id else None,
        "extension_days": petition.extension_days, "decision": petition.decision,
        "leader": leader.username if leader else None, "leader_name": str(leader) if leader else None,
        "leader_since": petition.leader_since,
        "route_due_at": at.get("route"), "acceptance_due_at": at.get("acceptance"),
        "objection_due_at": at.get("objection"), "answer_due_at": at.get("answer"),
        "petitioner_window_ends_on": at.get("window"),
        "limits": [{"key": limit.key, "label": str(limit.label), "at": limit.at, "article": limit.article,
                    "petitioners": limit.petitioners, "running": limit.running, "met": limit.met,
                    "estimated": limit.estimated}
                   for limit in limits],
    }


def petition_out(user, case: Case, now=None) -> dict:
    data = case_out(user, case, now)
    data["petition"] = _record_out(_record_of(case), now)
    return data


def _notice_out(notice: Notice, hidden: bool) -> dict:
    names = [] if hidden else list(notice.content.get("petitioners", []))
    addressee = services.masked_addressee({**notice.content, "petitioners": names})
    content = {**notice.content, "petitioners": [mask_name(n) for n in names], "addressee": addressee}
    return {
        "id": notice.pk, "kind": notice.kind, "kind_label": str(NoticeKind(notice.kind).label),
        "number": notice.number, "office": notice.office.code, "office_name": notice.office.name,
        "decision": notice.decision, "issued_at": notice.issued_at, "sent_on": notice.sent_on,
        "delivery": notice.delivery, "delivered_on": notice.delivered_on, "addressee": addressee, "content": content,
    }


def _hearing_out(hearing) -> dict:
    return {"id": hearing.pk, "starts_on": hearing.starts_on, "ends_on": hearing.ends_on, "place": hearing.place,
            "note": hearing.note, "recorded_by": hearing.recorded_by.username, "created_at": hearing.created_at}


def _booking_out(booking: Booking) -> dict:
    return {"id": booking.pk, "day": booking.day_id, "slot_at": booking.slot_at, "status": booking.status,
            "via": booking.via, "place": booking.day.place, "leader_name": str(booking.day.leader),
            "booked_at": booking.booked_at, "received_at": booking.received_at, "summary": booking.summary}


def _chain_out(user, petition: Petition) -> dict:
    parent = Petition.objects.select_related("case").filter(pk=petition.parent_id).first()
    earlier = Petition.objects.select_related("case").filter(pk=petition.earlier_matter_id).first()
    requests = list(petition.requests.select_related("case").order_by("id"))
    linked = [p for p in (parent, earlier, *requests) if p is not None]
    visible = set(access.petition_cases(user).filter(pk__in=[p.case_id for p in linked])
                  .values_list("pk", flat=True))

    def link(item: Petition | None) -> dict | None:
        if item is None or item.case_id not in visible:
            return None
        return {"id": item.case_id, "tracking_code": item.case.tracking_code, "level": item.level}

    return {"parent": link(parent), "requests": [link(p) for p in requests if p.case_id in visible],
            "earlier_matter": link(earlier)}


def petition_detail(user, case: Case) -> dict:
    data = case_detail(user, case)
    petition = _record_of(case)
    stored = petition.pk is not None
    hidden = case_access.person_hidden_from(user, case)
    data["case_actions"] = data.pop("actions")
    data["actions"] = queries.petition_actions(user, case, petition if stored else None)
    data["petition"] = _record_out(petition)
    data["petitioners_hidden"] = hidden
    people = list(petition.petitioners.all()) if stored and not hidden else []
    data["petitioners"] = [services.masked_petitioner(p) for p in people]
    data["can_reveal_petitioners"] = bool(people) and case_access.can_reveal_person(user, case)
    data["notices"] = [_notice_out(n, hidden) for n in petition.notices.select_related("office")] if stored else []
    data["hearings"] = [_hearing_out(h) for h in petition.hearings.select_related("recorded_by")] if stored else []
    data["bookings"] = [_booking_out(b) for b in queries.bookings_of(petition)] if stored else []
    data["chain"] = _chain_out(user, petition) if stored else {"parent": None, "requests": [],
                                                               "earlier_matter": None}
    return data


_RELATED = (*case_queries.LIST_RELATED, "about_office")


def _petition_case(request, case_id: int) -> Case:
    if not 0 < case_id < MAX_ID:
        raise Http404
    return access.get_petition_case_for(request.user, case_id, Case.objects.select_related(*_RELATED))


def _detail(request, case: Case) -> dict:
    # The answer to the actor's own change, read again without the scope filter: a transfer
    # or an objection moves the petition to another body, yet the actor should see the result.
    return petition_detail(request.user, Case.objects.select_related(*_RELATED).get(pk=case.pk))


def _sub_id(value: int) -> int:
    # Ids of notices, petitioners ... beyond the id range are unknown, like any missing one.
    return value if 0 < value < MAX_ID else 0


# ---------------------------------------------------------------------------- statistics

MAX_STATS_DAYS = 5 * 366


class PetitionStatsFiltersIn(Schema):
    start: Day | None = Field(None, description="first day (Asia/Shanghai); a year before end when empty")
    end: Day | None = Field(None, description="last day, included; today when empty")
    region: Text = Field("", max_length=20, description="region code: count only the petitions in its subtree")
    office: Text = Field("", max_length=40, description="office code: count only the petitions of that body (首办)")


class PetitionStatsRowOut(Schema):
    code: str
    name: str
    received: int
    accepted: int
    not_accepted: int
    answered: int
    answered_on_time: int
    on_time_rate: float | None = Field(description="percent, one decimal; null with nothing to count from")
    extended: int
    reviewed: int
    reexamined: int
    first_time: int = Field(description="answered without review, re-examination or reopening")
    first_time_rate: float | None
    satisfaction: float | None = Field(description="mean rating 1-5, one decimal")
    ratings: int
    leader_in_charge: int


class PetitionStatsPeriodOut(Schema):
    start: date
    end: date
    time_zone: str


class PetitionStatsScopeOut(Schema):
    code: str
    name: str


class PetitionStatsDefinitionOut(Schema):
    key: str
    label: str
    definition: str


class PetitionStatsOut(Schema):
    period: PetitionStatsPeriodOut
    region: PetitionStatsScopeOut | None
    office: PetitionStatsScopeOut | None
    totals: PetitionStatsRowOut
    by_township: list[PetitionStatsRowOut]
    by_office: list[PetitionStatsRowOut] = Field(description="per first handling body (首办)")
    by_month: list[PetitionStatsRowOut]
    definitions: list[PetitionStatsDefinitionOut]
    notes: list[PetitionStatsDefinitionOut]


@router.get("/stats", response={200: PetitionStatsOut, **ERRORS}, summary="Petition figures")
def petition_stats(request, filters: Query[PetitionStatsFiltersIn]):
    """Counts of the petitions you may see over whole days (Asia/Shanghai): received, accepted,
    answered (on time), extended, reviewed, re-examined, first-time resolution, satisfaction and
    leaders in charge, per township, body and month, with each figure's definition. Counts of
    matters, never of persons."""
    end = filters.end or timezone.now().astimezone(LOCAL).date()
    start = filters.start or end - timedelta(days=364)
    if end < start:
        raise CaseError(_("The period must not end before it starts."), status=422, field="end")
    if (end - start).days >= MAX_STATS_DAYS:
        raise CaseError(_("A period of at most %(n)s days.") % {"n": MAX_STATS_DAYS}, status=422, field="start")
    if filters.region and not Region.objects.filter(code=filters.region).exists():
        raise CaseError(_("Unknown region code."), status=422, field="region")
    if filters.office and not Office.objects.filter(code=filters.office).exists():
        raise CaseError(_("Unknown office."), status=422, field="office")
    return stats.petition_stats(request.user, start=start, end=end, region_code=filters.region,
                                office_code=filters.office)


# ---------------------------------------------------------------------------- petition endpoints


@router.get("", response={200: PetitionPage, **ERRORS}, summary="List petitions")
def list_petitions(request, filters: Query[PetitionFiltersIn]):
    """Petitions you may see, newest first, filtered by the matter (never by who petitioned);
    pass ``next_cursor`` back as ``cursor``."""
    empty = {"items": [], "next_cursor": None}
    leader = None
    if filters.leader:
        leader = User.objects.filter(username=filters.leader).values_list("pk", flat=True).first()
        if leader is None:
            return empty
    now = timezone.now()
    rows = queries.petitions_for(request.user, queries.PetitionFilters(
        status=filters.status, level=filters.level, category=filters.category, region=filters.region,
        office=filters.office, leader=leader, overdue=filters.overdue, text=filters.q,
    ), now=now).select_related("about_office", "petition__first_office")
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    return {"items": [petition_out(request.user, c, now) for c in page], "next_cursor": next_cursor}


@router.post("", response={201: PetitionDetail, 200: PetitionDetail, **ERRORS}, summary="Register a petition (登记)")
def register_petition(request, payload: PetitionIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Register a petition (a case of kind ``petition``) with its record and petitioners; the
    petition office has 15 days to route it (第二十二条). The first petitioner (representatives
    first) gets the messages. An ``Idempotency-Key`` header makes retries safe: the same key and
    body return the petition the first request registered (200)."""
    petitioners = [services.NewPetitioner(name=p.name, phone=p.phone, address=p.address,
                                          is_representative=p.is_representative) for p in payload.petitioners]
    facts = services.PetitionFacts(
        form=payload.form, request=payload.request, about_official=payload.about_official,
        group_size=payload.group_size if payload.group_size is not None else max(1, len(petitioners)),
        petitioners=petitioners,
    )
    data = NewCase(
        kind="petition", category_code=payload.category, text=payload.text, priority=payload.priority,
        lat=payload.lat, lng=payload.lng, address=payload.address, region_code=payload.region_code,
        reporter_email=payload.reporter_email, confidential=payload.confidential,
        about_office_code=payload.about_office, reports_wrongdoing=payload.reports_wrongdoing,
    )
    if "\x00" in idempotency_key:
        raise CaseError(_("Idempotency-Key holds characters that are not allowed."), status=422,
                        field="Idempotency-Key")
    case, created = services.register_petition(request.user, data, facts, idempotency_key=idempotency_key.strip(),
                                               received_on=payload.received_on)
    return HTTP(201 if created else 200, _detail(request, case))


@router.get("/{int:case_id}", response={200: PetitionDetail, **ERRORS}, summary="One petition")
def get_petition(request, case_id: int):
    """The petition with its case, record and statutory time limits, petitioners (masked; none
    for the body it is about), written notices, hearings, reception bookings, the linked
    petitions you may see, and the actions you may take now."""
    return petition_detail(request.user, _petition_case(request, case_id))


@router.post("/{int:case_id}/route", response={200: PetitionDetail, **ERRORS},
             summary="Route to the competent body (转送/交办)")
def route(request, case_id: int, payload: RouteIn):
    """The petitioner is sent the notice of receipt and route; the body has 15 days to say
    whether it accepts and 5 working days to object (第二十二条、第二十三条)."""
    case = _petition_case(request, case_id)
    services.route_petition(request.user, case, office_code=payload.office, route_kind=payload.route_kind,
                            note=payload.note, sent_on=payload.sent_on, delivery=payload.delivery)
    return _detail(request, case)


@router.post("/{int:case_id}/object", response={200: PetitionDetail, **ERRORS},
             summary="Object: not within this body's competence (异议)")
def object_to(request, case_id: int, payload: ObjectionIn):
    """Within 5 working days of receiving it (第二十三条); the petition goes back to the office
    that routed it."""
    case = _petition_case(request, case_id)
    services.object_to_petition(request.user, case, reason=payload.reason)
    return _detail(request, case)


@router.post("/{int:case_id}/accept", response={200: PetitionDetail, **ERRORS}, summary="Accept (受理)")
def accept(request, case_id: int, payload: AcceptIn):
    """The petitioner is sent the notice of acceptance; the 60 days to answer start (第三十四条)."""
    case = _petition_case(request, case_id)
    services.accept_petition(request.user, case, note=payload.note, sent_on=payload.sent_on,
                             delivery=payload.delivery)
    return _detail(request, case)


@router.post("/{int:case_id}/decline", response={200: PetitionDetail, **ERRORS}, summary="Not accepted (不予受理)")
def decline(request, case_id: int, payload: DeclineIn):
    """With the reason and where to turn instead, in a written notice; the petition closes."""
    case = _petition_case(request, case_id)
    services.decline_petition(request.user, case, reason=payload.reason, where_to_go=payload.where_to_go,
                              sent_on=payload.sent_on, delivery=payload.delivery)
    return _detail(request, case)


@router.post("/{int:case_id}/extensions", response={201: ExtensionOut, **ERRORS}, summary="Ask for more time")
def request_extension(request, case_id: int, payload: PetitionExtensionIn):
    """At most 30 days in all, with the reason the petitioner will be told (第三十四条); a
    supervisor decides."""
    extension = services.request_petition_extension(request.user, _petition_case(request, case_id),
                                                    days=payload.days, reason=payload.reason)
    return HTTP(201, extension)


@router.post("/{int:case_id}/extensions/{int:request_id}/approve", response={200: PetitionDetail, **ERRORS},
             summary="Approve an extension")
def approve_extension(request, case_id: int, request_id: int, payload: ApproveIn):
    """The answer is due that many days later; the petitioner is sent the notice of extension."""
    case = _petition_case(request, case_id)
    services.approve_petition_extension(request.user, case, request_id=_sub_id(request_id), note=payload.note,
                                        sent_on=payload.sent_on, delivery=payload.delivery)
    return _detail(request, case)


@router.post("/{int:case_id}/extensions/{int:request_id}/deny", response={200: PetitionDetail, **ERRORS},
             summary="Deny an extension")
def deny_extension(request, case_id: int, request_id: int, payload: DenyIn):
    case = _petition_case(request, case_id)
    case_services.deny_extension(request.user, case, request_id=_sub_id(request_id), note=payload.note)
    return _detail(request, case)


@router.post("/{int:case_id}/answer", response={200: PetitionDetail, **ERRORS},
             summary="Answer in writing (处理意见书, 复查/复核意见书)")
def answer(request, case_id: int, payload: AnswerIn):
    """The request, the facts and reasons, the decision and its basis, and what the petitioner
    may do next; the petition is resolved with it."""
    case = _petition_case(request, case_id)
    services.answer_petition(request.user, case, services.AnswerText(
        decision=payload.decision, findings=payload.findings, basis=payload.basis),
        sent_on=payload.sent_on, delivery=payload.delivery)
    return _detail(request, case)


@router.post("/{int:case_id}/notices/{int:notice_id}/delivered", response={200: PetitionDetail, **ERRORS},
             summary="Record the day the petitioner received a notice")
def record_delivery(request, case_id: int, notice_id: int, payload: DeliveredIn):
    """The petitioner's own time to ask for review or re-examination counts from it."""
    case = _petition_case(request, case_id)
    services.record_delivery(request.user, case, notice_id=_sub_id(notice_id), delivered_on=payload.delivered_on)
    return _detail(request, case)


@router.post("/{int:case_id}/review", response={201: PetitionDetail, **ERRORS},
             summary="Record a request for review or re-examination (复查/复核)")
def request_review(request, case_id: int, payload: ReviewIn):
    """What the petitioner handed in, within 30 days of receiving the decision (第三十五条、
    第三十六条): a new petition a level up, linked to this one. Answers the new petition."""
    review = services.request_review(request.user, _petition_case(request, case_id), reason=payload.reason,
                                     asked_on=payload.asked_on)
    return HTTP(201, _detail(request, review))


@router.post("/{int:case_id}/hearings", response={201: HearingOut, **ERRORS}, summary="Record a hearing (听证)")
def record_hearing(request, case_id: int, payload: HearingIn):
    """A hearing of a re-examination: its days do not count towards the 30 days (第三十六条)."""
    hearing = services.record_hearing(request.user, _petition_case(request, case_id), starts_on=payload.starts_on,
                                      ends_on=payload.ends_on, place=payload.place, note=payload.note)
    return HTTP(201, _hearing_out(hearing))


@router.post("/{int:case_id}/concluded", response={200: PetitionDetail, **ERRORS},
             summary="Answer as a matter concluded after re-examination")
def answer_as_concluded(request, case_id: int, payload: ConcludedIn):
    """The same request on the same facts and reasons was concluded by a re-examination
    decision: not accepted again (第三十六条), with a notice citing that decision."""
    case = _petition_case(request, case_id)
    services.answer_as_concluded(request.user, case, earlier_code=payload.earlier_code, note=payload.note,
                                 sent_on=payload.sent_on, delivery=payload.delivery)
    return _detail(request, case)


@router.post("/{int:case_id}/leader", response={200: PetitionDetail, **ERRORS},
             summary="A leader takes personal charge (领导包案)")
def assign_leader(request, case_id: int, payload: LeaderIn):
    """A leader takes charge of a petition in reach; a supervisor names any such leader."""
    case = _petition_case(request, case_id)
    services.assign_leader(request.user, case, leader_id=payload.leader)
    return _detail(request, case)


@router.post("/{int:case_id}/transfer", response={200: PetitionDetail, **ERRORS},
             summary="Approve a transfer to another body")
def transfer(request, case_id: int, payload: PetitionTransferIn):
    """首办责任: the body that accepted a petition keeps it unless a supervisor approves this."""
    case = _petition_case(request, case_id)
    services.transfer_petition(request.user, case, office_code=payload.office, reason=payload.reason)
    return _detail(request, case)


@router.post("/{int:case_id}/take-up", response={200: PetitionDetail, **ERRORS}, summary="Take up (签收)")
def take_up(request, case_id: int):
    """The body a petition was transferred to takes it up; its deadline has kept running."""
    case = _petition_case(request, case_id)
    case_services.start_case(request.user, case)
    return _detail(request, case)


@router.post("/{int:case_id}/bookings", response={201: BookingOut, **ERRORS},
             summary="Book a leader reception at the counter")
def book_reception(request, case_id: int, payload: BookingIn):
    """Book the petition into a slot of a planned reception day (a petition once per day)."""
    booking = services.book_reception(request.user, _petition_case(request, case_id), day_id=payload.day,
                                      slot_at=payload.slot_at)
    return HTTP(201, _booking_out(Booking.objects.select_related("day", "day__leader").get(pk=booking.pk)))


@router.post("/{int:case_id}/petitioners/{int:petitioner_id}/reveal", response={200: PetitionerFull, **ERRORS},
             summary="Reveal a petitioner's details (logged)")
def reveal_petitioner(request, case_id: int, petitioner_id: int, payload: RevealIn):
    """A petitioner's full name, phone and address. Every call is logged, granted or refused;
    the body the petition is about is always refused."""
    person = services.reveal_petitioner(request.user, _petition_case(request, case_id),
                                        petitioner_id=_sub_id(petitioner_id), reason=payload.reason)
    return {**services.masked_petitioner(person), "name": person.name, "phone": person.phone,
            "address": person.address}


# ---------------------------------------------------------------------------- reception-day schemas


class SlotOut(Schema):
    at: datetime
    free: int = Field(description="places still free")


class DayBookingOut(Schema):
    id: int
    case: int = Field(description="id of the petition")
    tracking_code: str
    slot_at: datetime
    status: str
    via: str
    received_at: datetime | None


class ReceptionDayOut(Schema):
    id: int
    leader: str = Field(description="username of the leader who receives")
    leader_name: str
    region_code: str
    region_name: str
    place: str
    starts_at: datetime
    ends_at: datetime
    slot_minutes: int
    per_slot: int
    topic: str
    status: str
    free: int = Field(description="places still free over all slots")


class ReceptionDayDetail(ReceptionDayOut):
    can_cancel: bool
    slots: list[SlotOut]
    bookings: list[DayBookingOut] = Field(description="bookings of petitions you may see, by tracking code only")


class DayFiltersIn(Schema):
    from_: Day | None = Field(None, alias="from", description="first day (Asia/Shanghai); today when empty")
    to: Day | None = Field(None, description="last day, included")
    limit: int = Field(100, ge=1, le=500)


class DayIn(Schema):
    leader: int = Field(ge=1, le=MAX_ID, description="id of the leader who receives")
    region: Text = Field(min_length=1, max_length=20, description="region code")
    place: Text = Field(min_length=1, max_length=200)
    starts_at: Moment
    ends_at: Moment
    slot_minutes: int = Field(30, ge=10, le=240)
    per_slot: int = Field(2, ge=1, le=50)
    topic: Text = Field("", max_length=200)


class CancelDayIn(Schema):
    reason: Text = Field(min_length=1, max_length=500, description="every petitioner booked is told it")


class ReceptionRecordIn(Schema):
    summary: Text = Field(min_length=1, max_length=5000, description="what was said")
    take_charge: bool = Field(False, description="the leader takes personal charge of the matter (包案)")


# ---------------------------------------------------------------------------- reception-day output


def _day_out(day: ReceptionDay, slots: list[dict]) -> dict:
    return {
        "id": day.pk, "leader": day.leader.username, "leader_name": str(day.leader), "region_code": day.region.code,
        "region_name": day.region.name, "place": day.place, "starts_at": day.starts_at, "ends_at": day.ends_at,
        "slot_minutes": day.slot_minutes, "per_slot": day.per_slot, "topic": day.topic, "status": day.status,
        "free": sum(s["free"] for s in slots),
    }


def day_detail(user, day: ReceptionDay) -> dict:
    slots = services.slots_of(day)
    data = _day_out(day, slots)
    data["can_cancel"] = day.status == ReceptionStatus.PLANNED and access.can_plan_reception(user, day.region)
    data["slots"] = slots
    bookings = (day.bookings.filter(petition__case__in=access.petition_cases(user))
                .select_related("petition__case").order_by("slot_at", "id"))
    data["bookings"] = [{"id": b.pk, "case": b.petition.case_id, "tracking_code": b.petition.case.tracking_code,
                         "slot_at": b.slot_at, "status": b.status, "via": b.via, "received_at": b.received_at}
                        for b in bookings]
    return data


def _day(request, day_id: int) -> ReceptionDay:
    # Reception days are the public calendar: any signed-in user reads them.
    if not 0 < day_id < MAX_ID:
        raise Http404
    day = ReceptionDay.objects.select_related("leader", "region").filter(pk=day_id).first()
    if day is None:
        raise Http404
    return day


def _booking(request, booking_id: int) -> Booking:
    """A booking of a petition the user may see; 404 otherwise, as for the petition."""
    if not 0 < booking_id < MAX_ID:
        raise Http404
    booking = (Booking.objects.select_related("day", "day__leader", "petition__case")
               .filter(pk=booking_id, petition__case__in=access.petition_cases(request.user)).first())
    if booking is None:
        raise Http404
    return booking




# ---------------------------------------------------------------------------- reception-day endpoints


@reception_router.get("", response={200: list[ReceptionDayOut], **ERRORS}, summary="Upcoming reception days")
def list_days(request, filters: Query[DayFiltersIn]):
    """Planned leader reception days (领导接访日) from ``from`` (today) to ``to``, soonest first."""
    first = filters.from_ or timezone.now().astimezone(LOCAL).date()
    if filters.to is not None and filters.to < first:
        raise CaseError(_("The period must not end before it starts."), status=422, field="to")
    rows = ReceptionDay.objects.filter(status=ReceptionStatus.PLANNED, ends_at__gte=start_of_day(first))
    if filters.to is not None:
        rows = rows.filter(starts_at__lt=start_of_day(filters.to + timedelta(days=1)))
    rows = rows.select_related("leader", "region").order_by("starts_at", "id")[: filters.limit]
    return [_day_out(day, services.slots_of(day)) for day in rows]


@reception_router.post("", response={201: ReceptionDayDetail, **ERRORS}, summary="Plan a reception day")
def plan_day(request, payload: DayIn):
    """Supervisors and leaders put a leader reception day on the public calendar for a region
    in their scope, in slots with room for ``per_slot`` petitions each."""
    day = services.plan_reception_day(request.user, leader_id=payload.leader, region_code=payload.region,
                                      place=payload.place, starts_at=payload.starts_at, ends_at=payload.ends_at,
                                      slot_minutes=payload.slot_minutes, per_slot=payload.per_slot,
                                      topic=payload.topic)
    return HTTP(201, day_detail(request.user, _day(request, day.pk)))


@reception_router.get("/{int:day_id}", response={200: ReceptionDayDetail, **ERRORS}, summary="One reception day")
def get_day(request, day_id: int):
    """Its slots with the places still free, and the bookings of petitions you may see (by
    tracking code; nothing about who petitioned)."""
    return day_detail(request.user, _day(request, day_id))


@reception_router.post("/{int:day_id}/cancel", response={200: ReceptionDayDetail, **ERRORS},
                       summary="Cancel a reception day")
def cancel_day(request, day_id: int, payload: CancelDayIn):
    """Every petitioner booked is told, with the reason."""
    day = services.cancel_reception_day(request.user, _day(request, day_id), reason=payload.reason)
    return day_detail(request.user, _day(request, day.pk))


@reception_router.post("/bookings/{int:booking_id}/record", response={200: BookingOut, **ERRORS},
                       summary="Record a reception that was held")
def record_reception(request, booking_id: int, payload: ReceptionRecordIn):
    """What was said goes on the petition's timeline; the leader may take charge (包案)."""
    booking = services.record_reception(request.user, _booking(request, booking_id), summary=payload.summary,
                                        take_charge=payload.take_charge)
    return _booking_out(Booking.objects.select_related("day", "day__leader").get(pk=booking.pk))


@reception_router.post("/bookings/{int:booking_id}/cancel", response={200: BookingOut, **ERRORS},
                       summary="Cancel a booking")
def cancel_booking(request, booking_id: int):
    """At the counter, for the petitioner: the place is free again."""
    booking = services.cancel_booking(request.user, _booking(request, booking_id))
    return _booking_out(Booking.objects.select_related("day", "day__leader").get(pk=booking.pk))

