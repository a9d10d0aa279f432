"""Every change of the hazards module, one function per change, each in one transaction: the sites
register, checklists, inspections, and the ledger loop of a hazard (排查 → 登记 → 整改 → 复查 →
销号), listed supervision and campaigns.

A hazard is a case of kind ``hazard``: its owner is the office the routing rules give its site's
kind and place (the supervising department, 行业, or the township, 属地), never the unit, which has
no account. Its rectification deadline and then its re-inspection deadline are the case's own
(``do_set_deadline``), so the core sweep warns, marks overdue and escalates them like any case.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anju.cases import deadlines, modules, redaction
from anju.cases import services as case_services
from anju.cases.choices import Action, Channel, Status
from anju.cases.messages import notify_users, region_supervisors
from anju.cases.models import Case
from anju.cases.services import CaseError, NewCase, check_choice, check_text
from anju.geo.models import Region
from anju.hazards import access, queries
from anju.hazards.choices import (
    HAZARD,
    CampaignStatus,
    HazardEvent,
    HazardLevel,
    HazardStage,
    ItemResult,
    ListingStatus,
    RoundResult,
)
from anju.hazards.models import (
    Campaign,
    ChecklistItem,
    ChecklistTemplate,
    Hazard,
    Inspection,
    InspectionAnswer,
    InspectionPhoto,
    Listing,
    ListingProgress,
    RectificationRound,
    Site,
    SiteKind,
)
from anju.lib import tracking
from anju.lib.once import create_once
from anju.lib.redact import Person
from anju.lib.workdays import LOCAL, WORKING_DAYS, Deadline, end_of_day, local_date
from anju.people.models import Office

# A re-inspection is due within this many working days after the rectification deadline.
REINSPECT_WORKING_DAYS = getattr(settings, "ANJU_HAZARD_REINSPECT_DAYS", 5)
# An order gives at most this many days to rectify (a longer one is a typo, or a plan's timeline).
MAX_ORDER_DAYS = 366


def _forbidden() -> CaseError:
    return CaseError(_("You may not do this."), status=403)


def _redact_case_again(case: Case) -> None:
    """Redact every text of a hazard's case again: its site, and so the contact hidden in its
    words, changed."""
    redaction.refresh(case)
    people = redaction.people_on(case)
    hazard = Hazard.objects.filter(case=case).first()
    if hazard is None:
        return
    rows = [hazard, *hazard.rounds.all(), *Listing.objects.filter(hazard=hazard),
            *ListingProgress.objects.filter(listing__hazard=hazard)]
    for row in rows:
        redaction.redo(row, people)


def _redact_site_again(site: Site) -> None:
    """The site's contact changed: its inspections' notes and its hazards' texts hide the new one
    (the site's own notes were redacted again as it was saved)."""
    people = site.people_for_redaction()
    for inspection in site.inspections.all():
        redaction.redo(inspection, people)
    for answer in InspectionAnswer.objects.filter(inspection__site=site):
        redaction.redo(answer, people)
    for case in Case.objects.filter(hazard__site=site):
        _redact_case_again(case)


def people_on_case(case: Case) -> list[Person]:
    """The responsible person of the hazard's site, for the core's redaction of every text of the
    case (``CaseKind.people``)."""
    site = Site.objects.filter(hazards__case=case).first()
    if site is None or not (site.contact_name or site.contact_phone):
        return []
    return [Person(name=site.contact_name, phone=site.contact_phone)]


# ---------------------------------------------------------------------------- sites


@dataclass
class NewSite:
    kind: str
    name: str
    address: str
    lat: float | None
    lng: float | None
    unit: str
    contact_name: str = ""
    contact_phone: str = ""
    department: str = ""
    risk_notes: str = ""


def _number(value, field_name: str, label: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CaseError(_("%(field)s must be a number.") % {"field": label}, status=422, field=field_name)
    if not low <= value <= high:
        raise CaseError(_("%(field)s must be between %(low)s and %(high)s.") % {
            "field": label, "low": low, "high": high}, status=422, field=field_name)
    return float(value)


def _site_fields(actor, data: NewSite) -> dict:
    """The site's fields from ``data``, checked field by field (a 422 naming the first bad one)."""
    kind = SiteKind.objects.filter(code=data.kind, is_active=True).first() if isinstance(data.kind, str) else None
    if kind is None:
        raise CaseError(_("Unknown site kind."), status=422, field="kind")
    lat = _number(data.lat, "lat", _("Latitude"), -90, 90)
    lng = _number(data.lng, "lng", _("Longitude"), -180, 180)
    from anju.geo import gridindex

    grid_id = gridindex.find_grid_id(lat, lng)
    region = Region.objects.filter(pk=grid_id).first() if grid_id is not None else None
    if region is None:
        raise CaseError(_("This point lies outside every grid of the county."), status=422, field="lat")
    phone = check_text(data.contact_phone, "contact_phone", _("Their phone"), 30, required=False)
    if phone and not phone.replace("-", "").replace(" ", "").lstrip("+").isdigit():
        raise CaseError(_("A phone number has digits only."), status=422, field="contact_phone")
    department = None
    if data.department:
        department = Office.objects.filter(code=data.department, is_active=True).first() \
            if isinstance(data.department, str) else None
        if department is None:
            raise CaseError(_("Unknown or inactive office."), status=422, field="department")
    return {
        "kind": kind, "name": check_text(data.name, "name", _("Name"), 200),
        "address": check_text(data.address, "address", _("Address"), 300), "lat": lat, "lng": lng,
        "region": region, "unit": check_text(data.unit, "unit", _("Responsible unit"), 200),
        "contact_name": check_text(data.contact_name, "contact_name", _("Responsible person"), 50, required=False),
        "contact_phone": phone, "department": department,
        "risk_notes": check_text(data.risk_notes, "risk_notes", _("Risk notes"), 2000, required=False),
    }


def _may_keep(actor, fields: dict) -> bool:
    """A site with these fields is the actor's to keep: in a region the actor keeps sites in,
    or supervised by a department the actor handles for."""
    return access.can_keep_sites_in(actor, fields["region"]) or bool(
        fields["department"] and fields["department"].pk in access._departments(actor))


@transaction.atomic
def create_site(actor, data: NewSite, *, now: datetime | None = None) -> Site:
    """Add a site to the register."""
    fields = _site_fields(actor, data)
    if not _may_keep(actor, fields):
        raise _forbidden()
    return Site.objects.create(created_by=actor, created_at=now or timezone.now(), **fields)


def create_site_once(actor, data: NewSite, *, idempotency_key: str = "",
                     now: datetime | None = None) -> tuple[Site, bool]:
    """``create_site`` sent once: the same ``idempotency_key`` and data from the same user again
    return the site stored the first time (``created`` False)."""
    return create_once(actor, idempotency_key, asdict(data), Site, lambda: create_site(actor, data, now=now),
                       owner="created_by")


@transaction.atomic
def update_site(actor, site: Site, data: NewSite) -> Site:
    """Correct a site; the actor must keep it before the change and after it (a site is not
    moved, or handed to another department, out of the actor's reach)."""
    site = Site.objects.select_for_update().select_related("region").get(pk=site.pk)
    if not access.can_keep_site(actor, site):
        raise _forbidden()
    fields = _site_fields(actor, data)
    if not _may_keep(actor, fields):
        raise _forbidden()
    contact = (site.contact_name, site.contact_phone)
    for name, value in fields.items():
        setattr(site, name, value)
    site.save()
    if contact != (site.contact_name, site.contact_phone):
        _redact_site_again(site)
    return site


@transaction.atomic
def retire_site(actor, site: Site) -> Site:
    """A site closed down or demolished: kept with its history, no longer owed inspections."""
    site = Site.objects.select_for_update().select_related("region").get(pk=site.pk)
    if not access.can_keep_site(actor, site):
        raise _forbidden()
    if not site.is_active:
        raise CaseError(_("This site is already retired."), status=409)
    site.is_active = False
    site.save(update_fields=["is_active", "updated_at"])
    return site


# ---------------------------------------------------------------------------- checklists


@dataclass
class NewItem:
    text: str
    basis: str = ""
    evidence: str = ""


@transaction.atomic
def publish_checklist(actor, *, kind: str, title: str, items: list[NewItem],
                      now: datetime | None = None) -> ChecklistTemplate:
    """A new version of the checklist of a site kind; the version before stays with the
    inspections that used it."""
    if not (actor.is_superuser or access.can_keep_sites_in(actor, Region.objects.filter(parent=None).first())):
        raise _forbidden()
    site_kind = SiteKind.objects.select_for_update().filter(code=kind, is_active=True).first() \
        if isinstance(kind, str) else None
    if site_kind is None:
        raise CaseError(_("Unknown site kind."), status=422, field="kind")
    title = check_text(title, "title", _("Title"), 200)
    if not isinstance(items, list) or not items:
        raise CaseError(_("A checklist needs at least one item."), status=422, field="items")
    checked = []
    for index, item in enumerate(items):
        prefix = f"items.{index}"
        checked.append(ChecklistItem(
            number=index + 1, text=check_text(item.text, f"{prefix}.text", _("What to check"), 500),
            basis=check_text(item.basis, f"{prefix}.basis", _("Legal basis"), 300, required=False),
            evidence=check_text(item.evidence, f"{prefix}.evidence", _("Evidence expected"), 300, required=False)))
    last = site_kind.templates.order_by("-version").first()
    site_kind.templates.filter(is_current=True).update(is_current=False)
    template = ChecklistTemplate.objects.create(kind=site_kind, title=title, version=(last.version + 1) if last else 1,
                                                published_by=actor, published_at=now or timezone.now())
    for item in checked:
        item.template = template
    ChecklistItem.objects.bulk_create(checked)
    return template


def current_checklist(kind: SiteKind) -> ChecklistTemplate | None:
    """The checklist in use for ``kind``: its own, or the nearest parent kind's."""
    codes = [c for c in kind.path.split("/") if c]
    templates = {t.kind.code: t for t in ChecklistTemplate.objects.filter(kind__code__in=codes, is_current=True)
                 .select_related("kind")}
    for code in reversed(codes):
        if code in templates:
            return templates[code]
    return None


# ---------------------------------------------------------------------------- inspections


@dataclass
class Answer:
    item: int
    result: str
    note: str = ""
    # For a hazard found at this item: its level.
    level: str = HazardLevel.GENERAL


@dataclass
class NewInspection:
    site: int
    answers: list[Answer]
    signed_as: str
    template: int | None = None
    campaign: int | None = None
    note: str = ""
    photos: list = field(default_factory=list)


def submit_inspection(actor, data: NewInspection, *, idempotency_key: str,
                      now: datetime | None = None, synthetic: bool = False) -> tuple[Inspection, bool]:
    """Record an inspection, item by item, and open a hazard case for every item found wanting.
    Sent once: the same ``idempotency_key`` again returns the inspection stored the first time
    (``created`` False) and changes nothing."""
    key = check_text(idempotency_key, "Idempotency-Key", "Idempotency-Key", 100)
    earlier = Inspection.objects.filter(idempotency_key=key).first()
    if earlier is not None:
        if earlier.inspector_id != actor.pk:
            raise CaseError(_("This Idempotency-Key was already used for another inspection."), status=409,
                            field="Idempotency-Key")
        if earlier.site_id != data.site:
            raise CaseError(_("This Idempotency-Key was used for a different request."), status=422,
                            field="Idempotency-Key")
        return earlier, False
    try:
        with transaction.atomic():
            return _inspect(actor, data, key, now or timezone.now(), synthetic), True
    except IntegrityError:
        # The same key sent twice at once: the first one stored it.
        earlier = Inspection.objects.filter(idempotency_key=key, inspector=actor).first()
        if earlier is None:
            raise
        return earlier, False


def _inspect(actor, data: NewInspection, key: str, now: datetime, synthetic: bool = False) -> Inspection:
    site = Site.objects.select_related("kind", "region").filter(pk=data.site, is_active=True).first() \
        if isinstance(data.site, int) else None
    if site is None or not access.visible_sites(actor).filter(pk=site.pk).exists():
        raise CaseError(_("Unknown site."), status=404, field="site")
    if not access.can_inspect(actor, site):
        raise _forbidden()
    template = current_checklist(site.kind) if data.template is None else ChecklistTemplate.objects.filter(
        pk=data.template).select_related("kind").first() if isinstance(data.template, int) else None
    if template is None or not site.kind.path.startswith(template.kind.path):
        raise CaseError(_("No checklist of this site's kind."), status=422, field="template")
    campaign = None
    if data.campaign is not None:
        campaign = Campaign.objects.filter(pk=data.campaign, status=CampaignStatus.RUNNING).first() \
            if isinstance(data.campaign, int) else None
        if campaign is None or not _in_campaign(site, campaign):
            raise CaseError(_("This site is not in a running campaign of that number."), status=422,
                            field="campaign")
    signed_as = check_text(data.signed_as, "signed_as", _("Signature"), 50)
    note = check_text(data.note, "note", _("Note"), 2000, required=False)
    items = {item.number: item for item in template.items.all()}
    if not isinstance(data.answers, list):
        raise CaseError(_("Answer every item of the checklist."), status=422, field="answers")
    answers = {}
    for index, answer in enumerate(data.answers):
        prefix = f"answers.{index}"
        if answer.item not in items:
            raise CaseError(_("Unknown checklist item."), status=422, field=f"{prefix}.item")
        if answer.item in answers:
            raise CaseError(_("Each item is answered once."), status=422, field=f"{prefix}.item")
        check_choice(answer.result, ItemResult, f"{prefix}.result")
        answer.note = check_text(answer.note, f"{prefix}.note", _("Note"), 500,
                                 required=answer.result == ItemResult.HAZARD)
        if answer.result == ItemResult.HAZARD:
            check_choice(answer.level, HazardLevel, f"{prefix}.level")
        answers[answer.item] = answer
    missing = sorted(set(items) - set(answers))
    if missing:
        raise CaseError(_("Answer every item of the checklist (missing: %(items)s).") % {
            "items": ", ".join(str(n) for n in missing)}, status=422, field="answers")
    photos = [case_services.check_upload(upload) and upload for upload in data.photos or []]
    inspection = Inspection.objects.create(site=site, template=template, campaign=campaign, inspector=actor,
                                           signed_as=signed_as, inspected_at=now, note=note, idempotency_key=key,
                                           created_at=now)
    for number, answer in sorted(answers.items()):
        hazard = None
        if answer.result == ItemResult.HAZARD:
            item = items[number]
            description = f"{item.text}：{answer.note}"
            hazard = _open_hazard(actor, site=site, level=answer.level, description=description, synthetic=synthetic,
                                  inspection=inspection, item_number=number, now=now)
        InspectionAnswer.objects.create(inspection=inspection, item=items[number], result=answer.result,
                                        note=answer.note, hazard=hazard)
    for upload in photos:
        content_type, _ext = case_services.check_upload(upload)
        InspectionPhoto.objects.create(inspection=inspection, file=upload, content_type=content_type,
                                       size=upload.size, uploaded_at=now)
    return inspection


def _is_grid_worker(actor) -> bool:
    from anju.people.access import roles_of
    from anju.people.choices import Role

    return any(a.role == Role.GRID_WORKER for a in roles_of(actor))


def _in_campaign(site: Site, campaign: Campaign) -> bool:
    return site.kind.path.startswith(campaign.kind.path) and site.area_path.startswith(campaign.region.path)


def _open_hazard(actor, *, site: Site, level: str, description: str, inspection: Inspection | None = None,
                 item_number: int | None = None, now: datetime, synthetic: bool = False) -> Hazard:
    """Register a hazard found at ``site`` as a case of kind ``hazard`` and route it to its owner
    by the routing rules (the supervising department or the township), which accepts it."""
    data = NewCase(kind=HAZARD, category_code=site.kind.category.code, text=description,
                   channel=Channel.GRID_WORKER if _is_grid_worker(actor) else Channel.WALK_IN,
                   lat=site.lat, lng=site.lng, address=site.address, region_code=site.region.code)
    # The module checked the inspector's right (``access.can_inspect``): a department's handler
    # inspects the sites it supervises without a right to register cases in the place. The
    # inspector is on the inspection and on the timeline.
    case, _created = case_services.do_create_case(None, data, now=now, synthetic=synthetic)
    hazard = Hazard.objects.create(case=case, site=site, level=level, inspection=inspection,
                                   item_number=item_number, found_at=now, description=description, created_at=now)
    # The case's texts were redacted before it had a site: now the site's contact is on it.
    if site.contact_name or site.contact_phone:
        _redact_case_again(case)
    routed = case_services.route(case)
    owner = site.department if routed is None else routed[0]
    if owner is not None and owner.pk != case.office_id:
        case_services.do_route_for_acceptance(actor, case, office=owner, action=HazardEvent.INSPECTION,
                                              accept_due_at=case_services.deadline_of(case, "accept_due_at"),
                                              data={"site": site.pk, "level": level}, now=now)
    else:
        case_services.do_record_event(case, actor, HazardEvent.INSPECTION, now=now,
                                      data={"site": site.pk, "level": level})
    return hazard


@dataclass
class NewHazard:
    site: int
    level: str
    description: str


def report_hazard(actor, data: NewHazard, *, now: datetime | None = None, synthetic: bool = False) -> Case:
    """Register a hazard seen at a site outside a checklist (on a patrol, by a phone call)."""
    now = now or timezone.now()
    with transaction.atomic():
        site = Site.objects.select_related("kind", "region").filter(pk=data.site, is_active=True).first() \
            if isinstance(data.site, int) else None
        if site is None or not access.visible_sites(actor).filter(pk=site.pk).exists():
            raise CaseError(_("Unknown site."), status=404, field="site")
        if not access.can_inspect(actor, site):
            raise _forbidden()
        check_choice(data.level, HazardLevel, "level")
        description = check_text(data.description, "description", _("What was found"), 2000)
        return _open_hazard(actor, site=site, level=data.level, description=description, now=now,
                            synthetic=synthetic).case


def ensure_hazard(case: Case) -> Hazard | None:
    return Hazard.objects.filter(case=case).select_related("site").first()


@transaction.atomic
def link_site(actor, case: Case, *, site_id: int, level: str, now: datetime | None = None) -> Hazard:
    """A hazard reported by a resident, a grid worker or Open311 in a hazard category becomes the
    hazard record of a site (staff pick the site, or register it first)."""
    now = now or timezone.now()
    case = case_services.lock_case(case)
    if case.kind != HAZARD:
        raise CaseError(_("This case is not a hazard."), status=404)
    if not access.can_link(actor, case):
        raise _forbidden()
    if case.status not in (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS):
        raise CaseError(_("Only an open hazard can be linked to a site."))
    site = access.visible_sites(actor).filter(pk=site_id, is_active=True).first() if isinstance(site_id, int) else None
    if site is None:
        raise CaseError(_("Unknown site."), status=422, field="site")
    check_choice(level, HazardLevel, "level")
    hazard = ensure_hazard(case)
    if hazard is not None and hazard.site_id:
        raise CaseError(_("This hazard is already the record of a site."), status=409, field="site")
    if hazard is None:
        hazard = Hazard(case=case, found_at=case.submitted_at, description=case.text_whole or case.text,
                        created_at=now)
    hazard.site, hazard.level = site, level
    hazard.save()
    _redact_case_again(case)
    case_services.do_record_event(case, actor, HazardEvent.SITE_LINKED, now=now,
                                  data={"site": site.pk, "level": level})
    return hazard


# ---------------------------------------------------------------------------- incidents


def incidents_of(case: Case) -> list[dict]:
    return queries.incidents_of(case)


def open_incident(actor, case: Case, *, grade: str, text: str, occurred_at: datetime,
                  now: datetime | None = None, synthetic: bool = False) -> Case:
    """Report the major hazard's accident as an incident (突发事件) through the duty module's
    published service, linked both ways: the incident names this hazard, and this hazard's
    timeline names the incident. Returns the incident's case."""
    now = now or timezone.now()
    hazard = ensure_hazard(case)
    if not queries.may_open_incident(actor, case, hazard):
        raise CaseError(_("An incident is reported from an open major hazard, by its owner or its supervisors, "
                          "while none it opened is open."), status=409)
    site = hazard.site
    with transaction.atomic():
        incident = modules.provided("duty.open_incident")(
            actor, module="hazards", key=case.pk,
            label=f"{_('Major hazard (重大隐患)')} {tracking.display(case.tracking_code)} · {site.name}",
            url=reverse("hazards:detail", args=[case.pk]), type="accident", grade=grade, text=text,
            occurred_at=occurred_at, lat=site.lat, lng=site.lng, address=site.address, now=now, synthetic=synthetic)
        case_services.do_record_event(case_services.lock_case(case), actor, HazardEvent.INCIDENT, now=now,
                                      data={"incident": incident.tracking_code, "grade": grade})
    return incident


# ---------------------------------------------------------------------------- rectification


def _locked(actor, case: Case, right, *, closed_too: bool = False) -> tuple[Case, Hazard]:
    """The hazard case locked, with its record, for ``actor`` who has ``right``; a case no longer
    open (rejected, closed, merged) takes no rectification step (``closed_too`` for the steps of
    listed supervision, which outlive the hazard's closing)."""
    case = case_services.lock_case(case)
    if case.kind != HAZARD:
        raise CaseError(_("This case is not a hazard."), status=404)
    if not right(actor, case):
        raise _forbidden()
    if not closed_too and case.status not in (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED,
                                              Status.IN_PROGRESS):
        raise CaseError(_("This hazard's case is no longer open."), status=409)
    hazard = Hazard.objects.select_for_update().filter(case=case).first()
    if hazard is None or hazard.site_id is None:
        raise CaseError(_("Link the hazard to its site first."), status=409, field="site")
    hazard.case = case
    return case, hazard


def _current_round(hazard: Hazard) -> RectificationRound | None:
    return hazard.rounds.order_by("-number").first()


def _is_day(value) -> bool:
    # A datetime is a date too, but one that cannot be compared with a day.
    return isinstance(value, date) and not isinstance(value, datetime)


def _order_deadline(due_on, now: datetime, field_name: str = "due_on") -> Deadline:
    if not _is_day(due_on):
        raise CaseError(_("Give the day to rectify by."), status=422, field=field_name)
    today = local_date(now)
    if due_on < today:
        raise CaseError(_("The day to rectify by cannot be in the past."), status=422, field=field_name)
    if (due_on - today).days > MAX_ORDER_DAYS:
        raise CaseError(_("An order gives at most a year; a longer rectification follows the plan's timeline."),
                        status=422, field=field_name)
    # The day the order names: a fixed day, not a period to count.
    at = end_of_day(due_on)
    return Deadline(at, False, {"from": at.isoformat(), "steps": []})


def _reinspect_by(due: datetime) -> Deadline:
    return deadlines.calendar_for(due).add(due, REINSPECT_WORKING_DAYS, WORKING_DAYS)


def _order_number(round_: RectificationRound, now: datetime) -> str:
    return f"（{now.astimezone(LOCAL).year}）隐整字第{round_.pk:05d}号"


@transaction.atomic
def issue_order(actor, case: Case, *, measures: str, due_on: date, now: datetime | None = None) -> RectificationRound:
    """The rectification order (整改通知书) to the unit: the measures and the day to rectify by. A
    major hazard's unit must have stopped the affected work first. The case's running deadline
    becomes that day; the re-inspection is due within a set number of working days after it."""
    now = now or timezone.now()
    case, hazard = _locked(actor, case, access.can_handle)
    if hazard.stage != HazardStage.FOUND:
        raise CaseError(_("An order is already running for this hazard; a new one follows a failed re-inspection."))
    if hazard.level == HazardLevel.MAJOR and hazard.work_stopped_on is None:
        raise CaseError(_("A major hazard's unit stops the affected work before the order: record that first."),
                        status=409, field="work_stopped_on")
    measures = check_text(measures, "measures", _("Measures required"), 5000)
    due = _order_deadline(due_on, now)
    round_ = _new_round(actor, case, hazard, measures, due, now)
    case_services.do_record_event(case, actor, HazardEvent.ORDER, public=True, now=now,
                                  data={"round": round_.number, "order": round_.order_number,
                                        "due_on": due_on.isoformat()})
    return round_


def _new_round(actor, case: Case, hazard: Hazard, measures: str, due: Deadline, now: datetime) -> RectificationRound:
    last = _current_round(hazard)
    round_ = RectificationRound(hazard=hazard, number=(last.number + 1) if last else 1, order_number=f"pending-{now}",
                                measures=measures, ordered_by=actor, office=case.office, ordered_at=now, due_at=due.at,
                                reinspect_by=_reinspect_by(due.at).at)
    round_.save()
    round_.order_number = _order_number(round_, now)
    round_.save(update_fields=["order_number"])
    if case.status == Status.SUBMITTED:
        # The owner accepts the hazard routed to it by ordering its rectification (the order's
        # own event follows).
        case_services.do_accept_into_handling(actor, case, action=Action.ACCEPT, handle_due_at=due, now=now,
                                              data={"accepted_with_order": True})
    else:
        if case.status == Status.DISPATCHED:
            case_services.start_case(actor, case, now=now)
        case_services.do_set_deadline(case_services.lock_case(case), stage="handle", due=due, now=now)
    # The caller writes the order's event with the case as it is now.
    case.refresh_from_db()
    hazard.stage = HazardStage.RECTIFYING
    hazard.save(update_fields=["stage", "updated_at"])
    return round_


@transaction.atomic
def record_work_stopped(actor, case: Case, *, stopped_on: date, now: datetime | None = None) -> Hazard:
    """A major hazard: the unit stopped the affected work (停止作业) on ``stopped_on``."""
    now = now or timezone.now()
    case, hazard = _locked(actor, case, access.can_handle)
    if hazard.level != HazardLevel.MAJOR:
        raise CaseError(_("Only a major hazard stops work."), status=409, field="level")
    if hazard.stage == HazardStage.CLOSED:
        raise CaseError(_("This hazard is already closed."))
    if not _is_day(stopped_on) or stopped_on > local_date(now):
        raise CaseError(_("Give the day the work stopped, not a day in the future."), status=422, field="stopped_on")
    hazard.work_stopped_on = stopped_on
    hazard.save(update_fields=["work_stopped_on", "updated_at"])
    case_services.do_record_event(case, actor, HazardEvent.WORK_STOPPED, now=now,
                                  data={"stopped_on": stopped_on.isoformat()})
    return hazard


@dataclass
class PlanText:
    """The six parts of a major hazard's rectification plan."""

    goals: str
    methods: str
    resources: str
    responsible: str
    timeline: str
    safety: str


PLAN_PARTS = ("goals", "methods", "resources", "responsible", "timeline", "safety")


@transaction.atomic
def record_plan(actor, case: Case, plan: PlanText, *, now: datetime | None = None) -> Hazard:
    """The unit's rectification plan of a major hazard, with each of its six parts."""
    now = now or timezone.now()
    case, hazard = _locked(actor, case, access.can_handle)
    if hazard.level != HazardLevel.MAJOR:
        raise CaseError(_("Only a major hazard needs a rectification plan."), status=409, field="level")
    if hazard.stage == HazardStage.CLOSED:
        raise CaseError(_("This hazard is already closed."))
    labels = {"goals": _("Goals and tasks"), "methods": _("Methods and measures"),
              "resources": _("Money and materials"), "responsible": _("Responsible body and people"),
              "timeline": _("Time limit and requirements"), "safety": _("Safety measures and emergency plan")}
    for part in PLAN_PARTS:
        setattr(hazard, f"plan_{part}", check_text(getattr(plan, part), part, labels[part], 3000))
    hazard.plan_received_at = now
    hazard.save()
    case_services.do_record_event(case, actor, HazardEvent.PLAN, now=now)
    return hazard


@transaction.atomic
def report_rectified(actor, case: Case, *, note: str = "", now: datetime | None = None) -> RectificationRound:
    """The unit reports the rectification done: the case's deadline becomes the re-inspection's."""
    now = now or timezone.now()
    case, hazard = _locked(actor, case, access.can_handle)
    if hazard.stage != HazardStage.RECTIFYING:
        raise CaseError(_("No rectification is running for this hazard."))
    if hazard.level == HazardLevel.MAJOR and not hazard.has_plan:
        raise CaseError(_("A major hazard is rectified by its plan: record the plan first."), status=409,
                        field="plan")
    note = check_text(note, "note", _("Note"), 1000, required=False)
    round_ = _current_round(hazard)
    round_.rectified_at = now
    round_.save(update_fields=["rectified_at"])
    hazard.stage = HazardStage.REINSPECTION
    hazard.save(update_fields=["stage", "updated_at"])
    case_services.do_set_deadline(case, stage="handle", due=_reinspect_by(round_.due_at), now=now)
    case_services.do_record_event(case, actor, HazardEvent.RECTIFIED, public=True, now=now, note=note,
                                  data={"round": round_.number, "on_time": round_.on_time})
    return round_


@transaction.atomic
def reinspect(actor, case: Case, *, passed: bool, evidence: str, new_due_on: date | None = None,
              measures: str = "", now: datetime | None = None) -> RectificationRound:
    """The re-inspection (复查) after the rectification deadline, or once the unit reported the work
    done, or earlier to find it done (an early one never fails). Passed, with the evidence seen:
    the hazard is closed (销号) and the case answered. Failed: a new round with new measures and a
    new day to rectify by starts inside the same hazard, and the township's supervisors are told
    (the failure escalates)."""
    now = now or timezone.now()
    case, hazard = _locked(actor, case, access.can_reinspect)
    if hazard.stage not in (HazardStage.RECTIFYING, HazardStage.REINSPECTION):
        raise CaseError(_("There is nothing to re-inspect: no rectification order is running."))
    if not isinstance(passed, bool):
        raise CaseError(_("Say whether the re-inspection passed."), status=422, field="passed")
    evidence = check_text(evidence, "evidence", _("Evidence seen"), 3000)
    round_ = _current_round(hazard)
    # A unit that has not reported the work done still has until its deadline: a re-inspection
    # then may find it rectified early, never fail it before its time is up.
    if not passed and hazard.stage == HazardStage.RECTIFYING and now < round_.due_at:
        raise CaseError(_("The unit has until %(date)s to rectify and has not reported it done: before then a "
                          "re-inspection can only find the hazard rectified.") % {
                              "date": local_date(round_.due_at).isoformat()}, status=409, field="passed")
    round_.result = RoundResult.PASSED if passed else RoundResult.FAILED
    round_.reinspected_at, round_.reinspected_by, round_.evidence = now, actor, evidence
    if passed:
        round_.save()
        hazard.stage, hazard.closed_at = HazardStage.CLOSED, now
        hazard.save(update_fields=["stage", "closed_at", "updated_at"])
        case_services.do_record_event(case, actor, HazardEvent.REINSPECTION_PASSED, public=True, now=now,
                                      data={"round": round_.number})
        with translation.override(settings.LANGUAGE_CODE):
            reply = _("The hazard was rectified and passed its re-inspection on %(date)s; it is closed (销号).") % {
                "date": local_date(now).isoformat()}
        case_services.do_resolve_case(actor, case, reply=reply, now=now)
        return round_
    due = _order_deadline(new_due_on, now, "new_due_on")
    measures = check_text(measures, "measures", _("Measures required"), 5000)
    round_.save()
    case_services.do_record_event(case, actor, HazardEvent.REINSPECTION_FAILED, public=True, now=now,
                                  data={"round": round_.number})
    next_round = _new_round(actor, case, hazard, measures, due, now)
    case_services.do_record_event(case, actor, HazardEvent.ORDER, public=True, now=now,
                                  data={"round": next_round.number, "order": next_round.order_number,
                                        "due_on": new_due_on.isoformat()})
    township = case.region.township() if case.region_id else None
    notify_users(region_supervisors(township) + region_supervisors(_county_of(case)), case,
                 HazardEvent.REINSPECTION_FAILED)
    return next_round


def _county_of(case: Case):
    region = case.region
    while region is not None and region.parent_id is not None:
        region = region.parent
    return region


# ---------------------------------------------------------------------------- listed supervision


@transaction.atomic
def list_hazard(actor, case: Case, *, owner: str, due_on: date, now: datetime | None = None) -> Listing:
    """The county lists a major hazard for supervision (挂牌督办): who answers for it and by when."""
    now = now or timezone.now()
    case, hazard = _locked(actor, case, access.can_list)
    if hazard.level != HazardLevel.MAJOR:
        raise CaseError(_("Only a major hazard is listed for supervision."), status=409, field="level")
    if hazard.stage == HazardStage.CLOSED:
        raise CaseError(_("This hazard is already closed."))
    if Listing.objects.filter(hazard=hazard).exists():
        raise CaseError(_("This hazard is already listed."), status=409)
    office = Office.objects.filter(code=owner, is_active=True).first() if isinstance(owner, str) else None
    if office is None:
        raise CaseError(_("Unknown or inactive office."), status=422, field="owner")
    if not _is_day(due_on) or due_on < local_date(now):
        raise CaseError(_("Give a day to rectify by that is not in the past."), status=422, field="due_on")
    listing = Listing.objects.create(hazard=hazard, owner=office, due_on=due_on, listed_by=actor, listed_at=now)
    case_services.do_record_event(case, actor, HazardEvent.LISTED, public=True, now=now,
                                  data={"owner": office.code, "due_on": due_on.isoformat()})
    return listing


@transaction.atomic
def record_progress(actor, case: Case, *, note: str, week_of: date | None = None,
                    now: datetime | None = None) -> ListingProgress:
    """A weekly progress entry of a listed hazard (one per week, the Monday it starts)."""
    now = now or timezone.now()
    case = case_services.lock_case(case)
    if case.kind != HAZARD:
        raise CaseError(_("This case is not a hazard."), status=404)
    if not (access.can_list(actor, case) or access.can_handle(actor, case)):
        raise _forbidden()
    listing = Listing.objects.select_for_update().filter(hazard__case=case, status=ListingStatus.LISTED).first()
    if listing is None:
        raise CaseError(_("This hazard is not listed."), status=409)
    day = week_of or local_date(now)
    if not _is_day(day) or day > local_date(now):
        raise CaseError(_("Give a week that has begun."), status=422, field="week_of")
    monday = day - timedelta(days=day.weekday())
    if listing.progress.filter(week_of=monday).exists():
        raise CaseError(_("This week's progress is already recorded."), status=409, field="week_of")
    entry = ListingProgress.objects.create(listing=listing, week_of=monday, recorded_by=actor, recorded_at=now,
                                           note=check_text(note, "note", _("Progress"), 2000))
    case_services.do_record_event(case, actor, HazardEvent.PROGRESS, now=now, data={"week_of": monday.isoformat()})
    return entry


@transaction.atomic
def delist(actor, case: Case, *, acceptance: str, now: datetime | None = None) -> Listing:
    """Delist (摘牌) a listed hazard once it is closed, with the acceptance record (验收)."""
    now = now or timezone.now()
    case, hazard = _locked(actor, case, access.can_list, closed_too=True)
    listing = Listing.objects.filter(hazard=hazard, status=ListingStatus.LISTED).first()
    if listing is None:
        raise CaseError(_("This hazard is not listed."), status=409)
    if hazard.stage != HazardStage.CLOSED:
        raise CaseError(_("A hazard is delisted only once it passed its re-inspection and was closed."), status=409)
    listing.acceptance = check_text(acceptance, "acceptance", _("Acceptance record"), 3000)
    listing.status, listing.delisted_by, listing.delisted_at = ListingStatus.DELISTED, actor, now
    listing.save()
    case_services.do_record_event(case, actor, HazardEvent.DELISTED, public=True, now=now)
    return listing


# ---------------------------------------------------------------------------- campaigns


@transaction.atomic
def open_campaign(actor, *, title: str, kind: str, region: str, starts_on: date, ends_on: date,
                  now: datetime | None = None) -> Campaign:
    """A campaign (专项行动) over a kind of site in a region for a period."""
    now = now or timezone.now()
    site_kind = SiteKind.objects.filter(code=kind, is_active=True).first() if isinstance(kind, str) else None
    if site_kind is None:
        raise CaseError(_("Unknown site kind."), status=422, field="kind")
    area = Region.objects.filter(code=region).first() if isinstance(region, str) else None
    if area is None:
        raise CaseError(_("Unknown region."), status=422, field="region")
    if not access.can_keep_sites_in(actor, area):
        raise _forbidden()
    title = check_text(title, "title", _("Title"), 200)
    if not _is_day(starts_on) or not _is_day(ends_on):
        raise CaseError(_("Give the period as dates."), status=422, field="starts_on")
    if ends_on < starts_on:
        raise CaseError(_("The period must not end before it starts."), status=422, field="ends_on")
    if ends_on < local_date(now):
        raise CaseError(_("The period must not end in the past."), status=422, field="ends_on")
    if (ends_on - starts_on).days > 366:
        raise CaseError(_("A campaign lasts at most a year."), status=422, field="ends_on")
    return Campaign.objects.create(title=title, kind=site_kind, region=area, starts_on=starts_on, ends_on=ends_on,
                                   opened_by=actor, opened_at=now)


def open_campaign_once(actor, *, title: str, kind: str, region: str, starts_on: date, ends_on: date,
                       idempotency_key: str = "", now: datetime | None = None) -> tuple[Campaign, bool]:
    """``open_campaign`` sent once (see ``create_site_once``)."""
    request = {"title": title, "kind": kind, "region": region, "starts_on": starts_on, "ends_on": ends_on}
    return create_once(actor, idempotency_key, request, Campaign, lambda: open_campaign(actor, now=now, **request),
                       owner="opened_by")


@transaction.atomic
def close_campaign(actor, campaign: Campaign, *, now: datetime | None = None) -> Campaign:
    """Close a campaign: its coverage is final, and the sites never inspected are listed."""
    campaign = Campaign.objects.select_for_update().select_related("region", "kind").get(pk=campaign.pk)
    if not access.can_keep_sites_in(actor, campaign.region):
        raise _forbidden()
    if campaign.status != CampaignStatus.RUNNING:
        raise CaseError(_("This campaign is already closed."), status=409)
    campaign.status, campaign.closed_at = CampaignStatus.CLOSED, now or timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    return campaign


def campaign_sites(campaign: Campaign):
    """The sites a campaign covers: active sites of its kind (and its children) in its region."""
    return Site.objects.filter(kind__path__startswith=campaign.kind.path, area_path__startswith=campaign.region.path,
                               is_active=True)
