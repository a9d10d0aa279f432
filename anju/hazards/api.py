"""The hazards API: /api/v1/sites, /api/v1/inspections, /api/v1/hazards and /api/v1/campaigns.
Thin: parse, look the site (inspection, hazard, campaign) up through ``anju.hazards.access``, call
the one service, answer. A hazard reported by a resident comes in through the core's intake
(/api/v1/cases) and is accepted and dispatched there; its loop (排查 → 登记 → 整改 → 复查 → 销号)
and its listed supervision are here, one endpoint per action.

A site's responsible person is a contact, masked wherever shown."""

from datetime import date, datetime, timedelta

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema
from ninja.responses import Status as HTTP

from anju.cases import access as case_access
from anju.cases import queries as case_queries
from anju.cases.api import ERRORS, MAX_ID, CaseDetail, CaseOut, case_detail, case_out
from anju.cases.models import Case
from anju.cases.services import CaseError
from anju.geo.models import Region
from anju.hazards import access, queries, services
from anju.hazards.choices import CampaignStatus, HazardLevel, HazardStage, ItemResult, ListingStatus
from anju.hazards.models import Campaign, Hazard, Inspection, Listing, RectificationRound, Site, SiteKind
from anju.lib.api import Day, Moment, Text, choices_of
from anju.lib.masking import mask_name, mask_phone
from anju.lib.paging import keyset_page
from anju.lib.workdays import start_of_day
from anju.people.models import Office

sites_router = Router(tags=["sites"])
inspections_router = Router(tags=["inspections"])
hazards_router = Router(tags=["hazards"])
campaigns_router = Router(tags=["campaigns"])

CURSOR = Field(None, ge=1, le=MAX_ID, description="next_cursor of the previous page")
NEXT_CURSOR = Field(description="pass back as cursor for the next page; null at the end")


def _id(value: int) -> int:
    # Ids beyond the id range are unknown, like any missing one.
    if not 0 < value < MAX_ID:
        raise Http404
    return value


def _idempotency_key(value: str) -> str:
    if "\x00" in value:
        raise CaseError(_("Idempotency-Key holds characters that are not allowed."), status=422,
                        field="Idempotency-Key")
    return value.strip()


def _check_codes(*, kind: str = "", township: str = "", department: str = "") -> None:
    """A filter naming a code that does not exist is a mistake to tell the client of: an empty
    list would read as "no hazards there"."""
    if kind and not SiteKind.objects.filter(code=kind).exists():
        raise CaseError(_("Unknown site kind."), status=422, field="kind")
    if township and not Region.objects.filter(code=township).exists():
        raise CaseError(_("Unknown region code."), status=422, field="township")
    if department and not Office.objects.filter(code=department).exists():
        raise CaseError(_("Unknown office."), status=422, field="department")


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# ---------------------------------------------------------------------------- sites


class SiteOut(Schema):
    id: int
    kind: str = Field(description="site kind code")
    kind_name: str
    name: str
    address: str
    lat: float
    lng: float
    region_code: str = Field(description="the grid (or region) the site lies in")
    region_name: str
    unit: str = Field(description="the responsible unit")
    contact_name: str = Field(description="the unit's responsible person, masked")
    contact_phone: str = Field(description="masked")
    department: str | None = Field(description="code of the supervising department (行业)")
    department_name: str | None
    risk_notes: str
    is_active: bool = Field(description="false once retired (closed down, demolished)")
    created_at: datetime
    updated_at: datetime


class SitePage(Schema):
    items: list[SiteOut]
    next_cursor: int | None = NEXT_CURSOR


class LastInspectionOut(Schema):
    id: int
    inspected_at: datetime
    inspector: str
    signed_as: str
    checklist_version: int
    hazards_found: int


class SiteDetail(SiteOut):
    actions: list[str] = Field(description="what you may do with the site now: update, retire, inspect")
    hazards: int = Field(description="the site's hazards that you may see")
    hazards_open: int = Field(description="of them, not closed (销号) yet")
    last_inspection: LastInspectionOut | None


class SiteIn(Schema):
    kind: Text = Field(min_length=1, max_length=50, description="site kind code")
    name: Text = Field(min_length=1, max_length=200)
    address: Text = Field(min_length=1, max_length=300)
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)
    unit: Text = Field(min_length=1, max_length=200, description="the responsible unit")
    contact_name: Text = Field("", max_length=50, description="the unit's responsible person")
    contact_phone: Text = Field("", max_length=30)
    department: Text = Field("", max_length=40, description="code of the supervising department (行业)")
    risk_notes: Text = Field("", max_length=2000)


class SiteFiltersIn(Schema):
    kind: Text = Field("", max_length=50, description="site kind code: that kind and the kinds below it")
    township: Text = Field("", max_length=20, description="region code: sites in its subtree")
    department: Text = Field("", max_length=40, description="code of the supervising department")
    active: bool | None = Field(None, description="true: in use; false: retired; both when empty")
    q: Text = Field("", max_length=100, description="text in the name, address or unit")
    cursor: int | None = CURSOR
    limit: int = Field(50, ge=1, le=200)


class ChecklistItemOut(Schema):
    number: int
    text: str
    basis: str = Field(description="the legal basis")
    evidence: str = Field(description="the evidence the inspector is expected to see")


class ChecklistOut(Schema):
    id: int
    kind: str = Field(description="the kind the checklist is written for (the site's, or a parent kind)")
    kind_name: str
    title: str
    version: int
    published_at: datetime
    items: list[ChecklistItemOut]


def site_out(site: Site) -> dict:
    return {
        "id": site.pk, "kind": site.kind.code, "kind_name": site.kind.name, "name": site.name,
        "address": site.address, "lat": site.lat, "lng": site.lng, "region_code": site.region.code,
        "region_name": site.region.name, "unit": site.unit, "contact_name": mask_name(site.contact_name),
        "contact_phone": mask_phone(site.contact_phone) if site.contact_phone else "",
        "department": site.department.code if site.department_id else None,
        "department_name": site.department.name if site.department_id else None,
        "risk_notes": site.risk_notes, "is_active": site.is_active, "created_at": site.created_at,
        "updated_at": site.updated_at,
    }


def site_detail(user, site: Site) -> dict:
    data = site_out(site)
    actions = []
    if site.is_active and access.can_keep_site(user, site):
        actions += ["update", "retire"]
    if site.is_active and access.can_inspect(user, site):
        actions.append("inspect")
    data["actions"] = actions
    data["hazards"], data["hazards_open"] = queries.site_hazard_counts(user, site)
    last = queries.last_inspection(site)
    data["last_inspection"] = None if last is None else {
        "id": last.pk, "inspected_at": last.inspected_at, "inspector": last.inspector.username,
        "signed_as": last.signed_as, "checklist_version": last.template.version,
        "hazards_found": last.answers.filter(result=ItemResult.HAZARD).count(),
    }
    return data


def checklist_out(template) -> dict:
    return {"id": template.pk, "kind": template.kind.code, "kind_name": template.kind.name, "title": template.title,
            "version": template.version, "published_at": template.published_at,
            "items": [{"number": i.number, "text": i.text, "basis": i.basis, "evidence": i.evidence}
                      for i in template.items.all()]}


def _site(request, site_id: int) -> Site:
    return access.get_site_for(request.user, _id(site_id))


def _site_again(site: Site) -> Site:
    # The answer to the actor's own change, read without the scope filter.
    return Site.objects.select_related("kind", "region", "department").get(pk=site.pk)


def _new_site(payload: SiteIn) -> services.NewSite:
    return services.NewSite(kind=payload.kind, name=payload.name, address=payload.address, lat=payload.lat,
                            lng=payload.lng, unit=payload.unit, contact_name=payload.contact_name,
                            contact_phone=payload.contact_phone, department=payload.department,
                            risk_notes=payload.risk_notes)


@sites_router.get("", response={200: SitePage, **ERRORS}, summary="List sites")
def list_sites(request, filters: Query[SiteFiltersIn]):
    """The sites you may see (in your regions, or supervised by your department), newest first;
    pass ``next_cursor`` back as ``cursor``. The responsible person is masked."""
    _check_codes(kind=filters.kind, township=filters.township, department=filters.department)
    rows = queries.sites_for(request.user, queries.SiteFilters(
        kind=filters.kind, township=filters.township, department=filters.department, active=filters.active,
        text=filters.q))
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    return {"items": [site_out(s) for s in page], "next_cursor": next_cursor}


@sites_router.post("", response={201: SiteDetail, 200: SiteDetail, **ERRORS}, summary="Register a site")
def create_site(request, payload: SiteIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Add a site to the register; its grid is found from its point. An ``Idempotency-Key``
    header makes retries safe: the same key and body return the site the first request
    registered (200)."""
    site, created = services.create_site_once(request.user, _new_site(payload),
                                              idempotency_key=_idempotency_key(idempotency_key))
    return HTTP(201 if created else 200, site_detail(request.user, _site_again(site)))


@sites_router.get("/{int:site_id}", response={200: SiteDetail, **ERRORS}, summary="One site")
def get_site(request, site_id: int):
    """The site with how many of its hazards you may see (and how many are open) and its last
    inspection."""
    return site_detail(request.user, _site(request, site_id))


@sites_router.put("/{int:site_id}", response={200: SiteDetail, **ERRORS}, summary="Correct a site")
def update_site(request, site_id: int, payload: SiteIn):
    site = services.update_site(request.user, _site(request, site_id), _new_site(payload))
    return site_detail(request.user, _site_again(site))


@sites_router.post("/{int:site_id}/retire", response={200: SiteDetail, **ERRORS}, summary="Retire a site")
def retire_site(request, site_id: int):
    """A site closed down or demolished keeps its history and is no longer owed inspections."""
    site = services.retire_site(request.user, _site(request, site_id))
    return site_detail(request.user, _site_again(site))


@sites_router.get("/{int:site_id}/checklist", response={200: ChecklistOut, **ERRORS},
                  summary="The checklist to inspect the site with")
def site_checklist(request, site_id: int):
    """The checklist in use for the site's kind (its own, or the nearest parent kind's), item by
    item with the legal basis and the evidence expected."""
    template = services.current_checklist(_site(request, site_id).kind)
    if template is None:
        raise CaseError(_("No checklist of this site's kind."), status=404)
    return checklist_out(template)


# ---------------------------------------------------------------------------- inspections


class InspectionOut(Schema):
    id: int
    site: int
    site_name: str
    checklist: int = Field(description="id of the checklist version used")
    checklist_version: int
    campaign: int | None
    inspector: str = Field(description="username of the inspector")
    signed_as: str
    inspected_at: datetime
    note: str
    hazards_found: int


class InspectionPage(Schema):
    items: list[InspectionOut]
    next_cursor: int | None = NEXT_CURSOR


class AnswerOut(Schema):
    item: int = Field(description="the item's number")
    text: str
    result: str
    note: str
    hazard: int | None = Field(description="id of the hazard opened at this item, when you may see it")


class HazardBriefOut(Schema):
    id: int = Field(description="the hazard's case id (/api/v1/hazards/{id})")
    tracking_code: str
    status: str
    level: str
    stage: str


class InspectionDetail(InspectionOut):
    answers: list[AnswerOut]
    photos: int = Field(description="photos taken")
    hazards: list[HazardBriefOut] = Field(description="the hazards it opened that you may see")


class ItemAnswerIn(Schema):
    item: int = Field(ge=1, le=32767, description="the item's number on the checklist")
    result: choices_of(ItemResult.values)  # type: ignore[valid-type]
    note: Text = Field("", max_length=500, description="what was found; required for a hazard")
    level: choices_of(HazardLevel.values) = HazardLevel.GENERAL  # type: ignore[valid-type]


class InspectionIn(Schema):
    site: int = Field(ge=1, le=MAX_ID)
    answers: list[ItemAnswerIn] = Field(max_length=500, description="one per item of the checklist")
    signed_as: Text = Field(min_length=1, max_length=50, description="the inspector's signature")
    template: int | None = Field(None, ge=1, le=MAX_ID,
                                 description="id of the checklist version filled in; the current one when empty")
    campaign: int | None = Field(None, ge=1, le=MAX_ID, description="id of the running campaign it is done for")
    note: Text = Field("", max_length=2000)


class InspectionFiltersIn(Schema):
    site: int | None = Field(None, ge=1, le=MAX_ID)
    campaign: int | None = Field(None, ge=1, le=MAX_ID)
    since: Day | None = Field(None, description="first day (Asia/Shanghai)")
    until: Day | None = Field(None, description="last day, included")
    cursor: int | None = CURSOR
    limit: int = Field(50, ge=1, le=200)


def inspection_out(inspection: Inspection, hazards_found: int | None = None) -> dict:
    if hazards_found is None:
        hazards_found = inspection.answers.filter(result=ItemResult.HAZARD).count()
    return {
        "id": inspection.pk, "site": inspection.site_id, "site_name": inspection.site.name,
        "checklist": inspection.template_id, "checklist_version": inspection.template.version,
        "campaign": inspection.campaign_id, "inspector": inspection.inspector.username,
        "signed_as": inspection.signed_as, "inspected_at": inspection.inspected_at, "note": inspection.note,
        "hazards_found": hazards_found,
    }


def inspection_detail(user, inspection: Inspection) -> dict:
    data = inspection_out(inspection)
    visible = access.hazard_cases(user)
    hazards = list(Hazard.objects.filter(inspection=inspection, case__in=visible).select_related("case")
                   .order_by("item_number", "id"))
    shown = {h.pk: h.case_id for h in hazards}
    data["answers"] = [{"item": a.item.number, "text": a.item.text, "result": a.result, "note": a.note,
                        "hazard": shown.get(a.hazard_id)} for a in inspection.answers.select_related("item")]
    data["photos"] = inspection.photos.count()
    data["hazards"] = [{"id": h.case_id, "tracking_code": h.case.tracking_code, "status": h.case.status,
                        "level": h.level, "stage": h.stage} for h in hazards]
    return data


def _inspection(request, inspection_id: int) -> Inspection:
    return access.get_inspection_for(request.user, _id(inspection_id))


@inspections_router.get("", response={200: InspectionPage, **ERRORS}, summary="List inspections")
def list_inspections(request, filters: Query[InspectionFiltersIn]):
    """Inspections of the sites you may see, newest first; pass ``next_cursor`` back as ``cursor``."""
    if filters.since and filters.until and filters.until < filters.since:
        raise CaseError(_("The period must not end before it starts."), status=422, field="until")
    rows = queries.inspections_for(request.user, queries.InspectionFilters(
        site=filters.site, campaign=filters.campaign,
        since=start_of_day(filters.since) if filters.since else None,
        until=start_of_day(filters.until + timedelta(days=1)) if filters.until else None))
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    return {"items": [inspection_out(i, i.hazards_found) for i in page], "next_cursor": next_cursor}


@inspections_router.post("", response={201: InspectionDetail, 200: InspectionDetail, **ERRORS},
                         summary="Submit an inspection")
def submit_inspection(request, payload: InspectionIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """An inspection of a site, item by item (pass, hazard, not applicable), signed; every item
    found wanting opens a hazard, routed to its owner. The ``Idempotency-Key`` header is
    required: a phone sends its inspection until it is answered, and the same key again returns
    the inspection stored the first time (200) and changes nothing."""
    data = services.NewInspection(
        site=payload.site, signed_as=payload.signed_as, template=payload.template, campaign=payload.campaign,
        note=payload.note, answers=[services.Answer(item=a.item, result=a.result, note=a.note, level=a.level)
                                    for a in payload.answers])
    inspection, created = services.submit_inspection(request.user, data,
                                                     idempotency_key=_idempotency_key(idempotency_key))
    inspection = Inspection.objects.select_related("site", "template", "inspector").get(pk=inspection.pk)
    return HTTP(201 if created else 200, inspection_detail(request.user, inspection))


@inspections_router.get("/{int:inspection_id}", response={200: InspectionDetail, **ERRORS},
                        summary="One inspection")
def get_inspection(request, inspection_id: int):
    """The answers item by item, how many photos, and the hazards it opened that you may see."""
    return inspection_detail(request.user, _inspection(request, inspection_id))


# ---------------------------------------------------------------------------- hazards


class SiteBriefOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    address: str
    unit: str


class RectificationRoundOut(Schema):
    number: int
    order_number: str = Field(description="number of the rectification order (整改通知书)")
    measures: str
    ordered_at: datetime
    ordered_by: str
    due_at: datetime = Field(description="rectify by")
    reinspect_by: datetime
    rectified_at: datetime | None = Field(description="when the unit reported it rectified")
    on_time: bool | None = Field(description="rectified by the deadline; null while not reported")
    result: str = Field(description="passed or failed; empty until re-inspected")
    reinspected_at: datetime | None
    reinspected_by: str | None
    evidence: str = Field(description="the evidence seen at the re-inspection")


class HazardRecordOut(Schema):
    site: SiteBriefOut | None = Field(description="null until staff link a reported hazard to its site")
    level: str
    level_label: str
    stage: str
    stage_label: str
    found_at: datetime
    inspection: int | None = Field(description="id of the inspection that found it")
    item_number: int | None
    description: str
    work_stopped_on: date | None = Field(description="a major hazard: the day the affected work stopped")
    plan_received: bool
    closed_at: datetime | None = Field(description="closed (销号) at")
    listed: bool = Field(description="under listed supervision (挂牌督办) now")
    current_round: RectificationRoundOut | None


class HazardOut(CaseOut):
    hazard: HazardRecordOut


class HazardPage(Schema):
    items: list[HazardOut]
    next_cursor: int | None = NEXT_CURSOR


class PlanOut(Schema):
    goals: str = Field(description="goals and tasks")
    methods: str = Field(description="methods and measures")
    resources: str = Field(description="money and materials")
    responsible: str = Field(description="responsible body and people")
    timeline: str = Field(description="time limit and requirements")
    safety: str = Field(description="safety measures and emergency plan")
    received_at: datetime


class ProgressOut(Schema):
    week_of: date = Field(description="the Monday of the week")
    note: str
    recorded_by: str
    recorded_at: datetime


class ListingOut(Schema):
    owner: str = Field(description="code of the office that answers for it")
    owner_name: str
    due_on: date
    status: str
    listed_by: str
    listed_at: datetime
    acceptance: str = Field(description="the acceptance record (验收) that delisted it")
    delisted_at: datetime | None
    progress: list[ProgressOut]


class ContactOut(Schema):
    hidden: bool = Field(description="true when the people on the case are hidden from you")
    name: str = Field(description="masked")
    phone: str = Field(description="masked")


class HazardIncidentOut(Schema):
    case: int = Field(description="id of the incident's case (/api/v1/incidents/{id})")
    code: str = Field(description="its tracking code")
    grade: str
    grade_label: str
    open: bool = Field(description="its final report is not made yet")
    url: str = Field(description="its page")


class HazardDetail(CaseDetail):
    actions: list[str] = Field(description="hazard actions you may take now (link_site, order, work_stopped, plan, "
                                           "rectified, reinspect, list, progress, delist, incident)")
    case_actions: list[str] = Field(description="lifecycle actions of the case (/api/v1/cases/{id}/...)")
    hazard: HazardRecordOut
    contact: ContactOut = Field(description="the unit's responsible person")
    rounds: list[RectificationRoundOut]
    plan: PlanOut | None
    listing: ListingOut | None
    incidents: list[HazardIncidentOut] = Field(description="incidents (突发事件) reported from it")


class HazardFiltersIn(Schema):
    stage: choices_of(("", *HazardStage.values)) = ""  # type: ignore[valid-type]
    level: choices_of(("", *HazardLevel.values)) = ""  # type: ignore[valid-type]
    township: Text = Field("", max_length=20, description="region code: hazards in its subtree")
    kind: Text = Field("", max_length=50, description="site kind code: that kind and the kinds below it")
    department: Text = Field("", max_length=40, description="code of the owning office")
    listed: bool | None = Field(None, description="under listed supervision (挂牌督办) now")
    overdue: bool | None = Field(None, description="past the running deadline and not closed")
    site: int | None = Field(None, ge=1, le=MAX_ID)
    q: Text = Field("", max_length=100, description="text in the description or site name, or a tracking code")
    cursor: int | None = CURSOR
    limit: int = Field(50, ge=1, le=200)


class LinkSiteIn(Schema):
    site: int = Field(ge=1, le=MAX_ID, description="id of the site")
    level: choices_of(HazardLevel.values) = HazardLevel.GENERAL  # type: ignore[valid-type]


class OrderIn(Schema):
    measures: Text = Field(min_length=1, max_length=5000, description="the measures required")
    due_on: Day = Field(description="the day to rectify by")


class WorkStoppedIn(Schema):
    stopped_on: Day


class PlanIn(Schema):
    goals: Text = Field(min_length=1, max_length=3000, description="goals and tasks")
    methods: Text = Field(min_length=1, max_length=3000, description="methods and measures")
    resources: Text = Field(min_length=1, max_length=3000, description="money and materials")
    responsible: Text = Field(min_length=1, max_length=3000, description="responsible body and people")
    timeline: Text = Field(min_length=1, max_length=3000, description="time limit and requirements")
    safety: Text = Field(min_length=1, max_length=3000, description="safety measures and emergency plan")


class RectifiedIn(Schema):
    note: Text = Field("", max_length=1000)


class ReinspectIn(Schema):
    passed: bool
    evidence: Text = Field(min_length=1, max_length=3000, description="the evidence seen")
    new_due_on: Day | None = Field(None, description="failed: the new day to rectify by")
    measures: Text = Field("", max_length=5000, description="failed: the measures of the new round")


class ListIn(Schema):
    owner: Text = Field(min_length=1, max_length=40, description="code of the office that answers for it")
    due_on: Day = Field(description="the day to rectify by")


class ProgressIn(Schema):
    note: Text = Field(min_length=1, max_length=2000)
    week_of: Day | None = Field(None, description="a day of the week it reports on; this week when empty")


class DelistIn(Schema):
    acceptance: Text = Field(min_length=1, max_length=3000, description="the acceptance record (验收)")


class HazardIncidentIn(Schema):
    grade: choices_of(("general", "larger", "major", "gravest"))  # type: ignore[valid-type]
    text: Text = Field(min_length=1, max_length=5000, description="what happened")
    occurred_at: Moment


def _round_out(round_: RectificationRound) -> dict:
    return {
        "number": round_.number, "order_number": round_.order_number, "measures": round_.measures,
        "ordered_at": round_.ordered_at, "ordered_by": round_.ordered_by.username, "due_at": round_.due_at,
        "reinspect_by": round_.reinspect_by, "rectified_at": round_.rectified_at, "on_time": round_.on_time,
        "result": round_.result, "reinspected_at": round_.reinspected_at,
        "reinspected_by": round_.reinspected_by.username if round_.reinspected_by_id else None,
        "evidence": round_.evidence,
    }


def _record_of(case: Case) -> Hazard:
    # A hazard from the core's intake has no record until it is linked to its site; a read
    # shows the record's defaults rather than writing one.
    try:
        return case.hazard
    except Hazard.DoesNotExist:
        return Hazard(case=case, found_at=case.submitted_at, description=case.text)


def _listing_of(hazard: Hazard) -> Listing | None:
    if hazard.pk is None:
        return None
    try:
        return hazard.listing
    except Listing.DoesNotExist:
        return None


def _hazard_record_out(hazard: Hazard, current: RectificationRound | None) -> dict:
    site = hazard.site if hazard.site_id else None
    listing = _listing_of(hazard)
    listed = listing is not None and listing.status == ListingStatus.LISTED
    return {
        "site": None if site is None else {"id": site.pk, "name": site.name, "kind": site.kind.code,
                                           "kind_name": site.kind.name, "address": site.address, "unit": site.unit},
        "level": hazard.level, "level_label": str(HazardLevel(hazard.level).label), "stage": hazard.stage,
        "stage_label": str(HazardStage(hazard.stage).label), "found_at": hazard.found_at,
        "inspection": hazard.inspection_id, "item_number": hazard.item_number, "description": hazard.description,
        "work_stopped_on": hazard.work_stopped_on, "plan_received": hazard.has_plan, "closed_at": hazard.closed_at,
        "listed": listed, "current_round": None if current is None else _round_out(current),
    }


def _current_rounds(hazards: list[Hazard]) -> dict[int, RectificationRound]:
    """The latest round of each of ``hazards``, in one query."""
    rounds = RectificationRound.objects.filter(hazard__in=[h for h in hazards if h.pk]).select_related(
        "ordered_by", "reinspected_by").order_by("hazard_id", "number")
    return {r.hazard_id: r for r in rounds}


def hazard_out(user, case: Case, hazard: Hazard, current: RectificationRound | None, now=None) -> dict:
    data = case_out(user, case, now)
    data["hazard"] = _hazard_record_out(hazard, current)
    return data


def hazard_detail(user, case: Case) -> dict:
    data = case_detail(user, case)
    hazard = _record_of(case)
    stored = hazard.pk is not None
    rounds = list(hazard.rounds.select_related("ordered_by", "reinspected_by")) if stored else []
    data["case_actions"] = data.pop("actions")
    data["actions"] = queries.hazard_actions(user, case, hazard if stored else None)
    data["hazard"] = _hazard_record_out(hazard, rounds[-1] if rounds else None)
    hidden = case_access.person_hidden_from(user, case)
    site = hazard.site if hazard.site_id else None
    data["contact"] = {"hidden": hidden,
                       "name": "" if hidden or site is None else mask_name(site.contact_name),
                       "phone": "" if hidden or site is None or not site.contact_phone else mask_phone(
                           site.contact_phone)}
    data["rounds"] = [_round_out(r) for r in rounds]
    data["incidents"] = services.incidents_of(case)
    data["plan"] = None if not hazard.has_plan else {
        "goals": hazard.plan_goals, "methods": hazard.plan_methods, "resources": hazard.plan_resources,
        "responsible": hazard.plan_responsible, "timeline": hazard.plan_timeline, "safety": hazard.plan_safety,
        "received_at": hazard.plan_received_at}
    listing = _listing_of(hazard)
    data["listing"] = None if listing is None else {
        "owner": listing.owner.code, "owner_name": listing.owner.name, "due_on": listing.due_on,
        "status": listing.status, "listed_by": listing.listed_by.username, "listed_at": listing.listed_at,
        "acceptance": listing.acceptance, "delisted_at": listing.delisted_at,
        "progress": [{"week_of": p.week_of, "note": p.note, "recorded_by": p.recorded_by.username,
                      "recorded_at": p.recorded_at} for p in listing.progress.select_related("recorded_by")]}
    return data


def _hazard_case(request, case_id: int) -> Case:
    return access.get_hazard_case_for(request.user, _id(case_id))


def _detail(request, case: Case) -> dict:
    # The answer to the actor's own change, read again without the scope filter.
    return hazard_detail(request.user, Case.objects.select_related(
        *case_queries.LIST_RELATED, "hazard", "hazard__site", "hazard__site__kind", "hazard__listing",
        "hazard__listing__owner", "hazard__listing__listed_by").get(pk=case.pk))


@hazards_router.get("", response={200: HazardPage, **ERRORS}, summary="List hazards")
def list_hazards(request, filters: Query[HazardFiltersIn]):
    """The hazards you may see, newest first, each with its case's tracking code, status and
    running deadline, its site, level, stage and current rectification round; pass
    ``next_cursor`` back as ``cursor``."""
    _check_codes(kind=filters.kind, township=filters.township, department=filters.department)
    now = timezone.now()
    rows = queries.hazard_cases_for(request.user, queries.HazardFilters(
        stage=filters.stage, level=filters.level, township=filters.township, kind=filters.kind,
        department=filters.department, listed=filters.listed, overdue=filters.overdue, site=filters.site,
        text=filters.q), now)
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    records = [_record_of(c) for c in page]
    current = _current_rounds(records)
    items = [hazard_out(request.user, c, h, current.get(h.pk), now) for c, h in zip(page, records, strict=True)]
    return {"items": items, "next_cursor": next_cursor}


@hazards_router.get("/{int:case_id}", response={200: HazardDetail, **ERRORS}, summary="One hazard")
def get_hazard(request, case_id: int):
    """The hazard's case (as /api/v1/cases/{id}) with its record: the site, level and stage, the
    rectification rounds, the plan of a major hazard, its listed supervision with the weekly
    progress, and the actions you may take now."""
    return _detail(request, _hazard_case(request, case_id))


@hazards_router.post("/{int:case_id}/link-site", response={200: HazardDetail, **ERRORS},
                     summary="Link a reported hazard to its site")
def link_site(request, case_id: int, payload: LinkSiteIn):
    """A hazard reported by a resident, a grid worker or Open311 becomes the hazard record of a
    site (register the site first when it is new)."""
    case = _hazard_case(request, case_id)
    services.link_site(request.user, case, site_id=payload.site, level=payload.level)
    return _detail(request, case)


@hazards_router.post("/{int:case_id}/order", response={200: HazardDetail, **ERRORS},
                     summary="Issue the rectification order (整改通知书)")
def issue_order(request, case_id: int, payload: OrderIn):
    """The measures and the day to rectify by; the case's deadline becomes that day. A major
    hazard's unit must have stopped the affected work first."""
    case = _hazard_case(request, case_id)
    services.issue_order(request.user, case, measures=payload.measures, due_on=payload.due_on)
    return _detail(request, case)


@hazards_router.post("/{int:case_id}/work-stopped", response={200: HazardDetail, **ERRORS},
                     summary="Record the affected work stopped (停止作业)")
def work_stopped(request, case_id: int, payload: WorkStoppedIn):
    case = _hazard_case(request, case_id)
    services.record_work_stopped(request.user, case, stopped_on=payload.stopped_on)
    return _detail(request, case)


@hazards_router.post("/{int:case_id}/plan", response={200: HazardDetail, **ERRORS},
                     summary="Record the rectification plan of a major hazard")
def record_plan(request, case_id: int, payload: PlanIn):
    """The six parts the rules ask for, each required."""
    case = _hazard_case(request, case_id)
    services.record_plan(request.user, case, services.PlanText(
        goals=payload.goals, methods=payload.methods, resources=payload.resources, responsible=payload.responsible,
        timeline=payload.timeline, safety=payload.safety))
    return _detail(request, case)


@hazards_router.post("/{int:case_id}/rectified", response={200: HazardDetail, **ERRORS},
                     summary="Record the rectification reported done")
def report_rectified(request, case_id: int, payload: RectifiedIn):
    """The case's deadline becomes the re-inspection's."""
    case = _hazard_case(request, case_id)
    services.report_rectified(request.user, case, note=payload.note)
    return _detail(request, case)


@hazards_router.post("/{int:case_id}/reinspect", response={200: HazardDetail, **ERRORS},
                     summary="Record the re-inspection (复查)")
def reinspect(request, case_id: int, payload: ReinspectIn):
    """Passed, with the evidence seen: the hazard is closed (销号) and the case answered. Failed:
    a new round with ``measures`` and ``new_due_on`` starts inside the same hazard, and the
    supervisors are told."""
    case = _hazard_case(request, case_id)
    services.reinspect(request.user, case, passed=payload.passed, evidence=payload.evidence,
                       new_due_on=payload.new_due_on, measures=payload.measures)
    return _detail(request, case)


@hazards_router.post("/{int:case_id}/list", response={200: HazardDetail, **ERRORS},
                     summary="List a major hazard for supervision (挂牌督办)")
def list_hazard(request, case_id: int, payload: ListIn):
    case = _hazard_case(request, case_id)
    services.list_hazard(request.user, case, owner=payload.owner, due_on=payload.due_on)
    return _detail(request, case)


@hazards_router.post("/{int:case_id}/progress", response={200: HazardDetail, **ERRORS},
                     summary="Record a week's progress of a listed hazard")
def record_progress(request, case_id: int, payload: ProgressIn):
    """One entry a week (the week of ``week_of``, this week when empty)."""
    case = _hazard_case(request, case_id)
    services.record_progress(request.user, case, note=payload.note, week_of=payload.week_of)
    return _detail(request, case)


@hazards_router.post("/{int:case_id}/delist", response={200: HazardDetail, **ERRORS},
                     summary="Delist (摘牌) a closed hazard")
def delist(request, case_id: int, payload: DelistIn):
    """Once the hazard passed its re-inspection and was closed, with the acceptance record."""
    case = _hazard_case(request, case_id)
    services.delist(request.user, case, acceptance=payload.acceptance)
    return _detail(request, case)


class HazardIncidentOpenedOut(Schema):
    incident: int = Field(description="id of the incident's case (/api/v1/incidents/{id})")
    tracking_code: str
    url: str


@hazards_router.post("/{int:case_id}/incident", response={201: HazardIncidentOpenedOut, **ERRORS},
                     summary="Report an incident (突发事件) from a major hazard")
def open_incident(request, case_id: int, payload: HazardIncidentIn):
    """A major hazard turning into an accident is received by the duty module as an incident
    linked to the hazard (and the hazard names it); answers the incident's id and tracking code.
    Refused (409) where no module keeps incidents, for a hazard not major or closed, or while an
    incident it opened is still open."""
    case = _hazard_case(request, case_id)
    incident = services.open_incident(request.user, case, grade=payload.grade, text=payload.text,
                                      occurred_at=payload.occurred_at)
    return HTTP(201, {"incident": incident.pk, "tracking_code": incident.tracking_code,
                      "url": f"/api/v1/incidents/{incident.pk}"})


# ---------------------------------------------------------------------------- campaigns


class CampaignOut(Schema):
    id: int
    title: str
    kind: str = Field(description="site kind code: the campaign covers that kind and the kinds below it")
    kind_name: str
    region_code: str
    region_name: str
    starts_on: date
    ends_on: date
    status: str
    opened_by: str
    opened_at: datetime
    closed_at: datetime | None


class CampaignPage(Schema):
    items: list[CampaignOut]
    next_cursor: int | None = NEXT_CURSOR


class CoverageOut(Schema):
    code: str = Field(description="township code")
    name: str
    owed: int = Field(description="sites the campaign covers")
    inspected: int = Field(description="of them, inspected for the campaign or during its period")
    rate: float | None = Field(description="percent, one decimal; null with no site owed")


class NeverInspectedOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    region_code: str


class CampaignDetail(CampaignOut):
    can_close: bool
    owed: int
    inspected: int
    rate: float | None = Field(description="percent, one decimal; null with no site owed")
    coverage: list[CoverageOut] = Field(description="per township")
    never_inspected: list[NeverInspectedOut] = Field(description="the sites not inspected (yet)")


class CampaignIn(Schema):
    title: Text = Field(min_length=1, max_length=200)
    kind: Text = Field(min_length=1, max_length=50, description="site kind code")
    region: Text = Field(min_length=1, max_length=20, description="region code")
    starts_on: Day
    ends_on: Day


class CampaignFiltersIn(Schema):
    status: choices_of(("", *CampaignStatus.values)) = ""  # type: ignore[valid-type]
    cursor: int | None = CURSOR
    limit: int = Field(50, ge=1, le=200)


def campaign_out(campaign: Campaign) -> dict:
    return {
        "id": campaign.pk, "title": campaign.title, "kind": campaign.kind.code, "kind_name": campaign.kind.name,
        "region_code": campaign.region.code, "region_name": campaign.region.name, "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on, "status": campaign.status, "opened_by": campaign.opened_by.username,
        "opened_at": campaign.opened_at, "closed_at": campaign.closed_at,
    }


def campaign_detail(user, campaign: Campaign) -> dict:
    data = campaign_out(campaign)
    rows, never = queries.campaign_coverage(campaign)
    owed, inspected = sum(r.owed for r in rows), sum(r.inspected for r in rows)
    data.update(
        can_close=campaign.status == CampaignStatus.RUNNING and access.can_keep_sites_in(user, campaign.region),
        owed=owed, inspected=inspected, rate=_rate(inspected, owed),
        coverage=[{"code": r.township.code, "name": r.township.name, "owed": r.owed, "inspected": r.inspected,
                   "rate": _rate(r.inspected, r.owed)} for r in rows],
        never_inspected=[{"id": s.pk, "name": s.name, "kind": s.kind.code, "address": s.address,
                          "region_code": s.region.code} for s in never],
    )
    return data


def _campaign(request, campaign_id: int) -> Campaign:
    return access.get_campaign_for(request.user, _id(campaign_id))


def _campaign_again(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_related("kind", "region", "opened_by").get(pk=campaign.pk)


@campaigns_router.get("", response={200: CampaignPage, **ERRORS}, summary="List campaigns")
def list_campaigns(request, filters: Query[CampaignFiltersIn]):
    """Campaigns over your regions or a region yours lie in, newest first; pass ``next_cursor``
    back as ``cursor``."""
    rows = access.visible_campaigns(request.user).select_related("kind", "region", "opened_by").order_by("-id")
    if filters.status:
        rows = rows.filter(status=filters.status)
    page, next_cursor = keyset_page(rows, filters.cursor, filters.limit)
    return {"items": [campaign_out(c) for c in page], "next_cursor": next_cursor}


@campaigns_router.post("", response={201: CampaignDetail, 200: CampaignDetail, **ERRORS},
                       summary="Open a campaign (专项行动)")
def open_campaign(request, payload: CampaignIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Every active site of the kind (and the kinds below it) in the region is owed an inspection
    in the period. An ``Idempotency-Key`` header makes retries safe (200 with the campaign the
    first request opened)."""
    campaign, created = services.open_campaign_once(
        request.user, title=payload.title, kind=payload.kind, region=payload.region, starts_on=payload.starts_on,
        ends_on=payload.ends_on, idempotency_key=_idempotency_key(idempotency_key))
    return HTTP(201 if created else 200, campaign_detail(request.user, _campaign_again(campaign)))


@campaigns_router.get("/{int:campaign_id}", response={200: CampaignDetail, **ERRORS},
                      summary="One campaign with its coverage")
def get_campaign(request, campaign_id: int):
    """Coverage per township (sites owed, inspected, rate) and the sites never inspected."""
    return campaign_detail(request.user, _campaign(request, campaign_id))


@campaigns_router.post("/{int:campaign_id}/close", response={200: CampaignDetail, **ERRORS},
                       summary="Close a campaign")
def close_campaign(request, campaign_id: int):
    campaign = services.close_campaign(request.user, _campaign(request, campaign_id))
    return campaign_detail(request.user, _campaign_again(campaign))
