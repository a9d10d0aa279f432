"""Reads of the hazards module: lists with their filters, and a campaign's coverage."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from anju.cases import modules
from anju.cases.choices import Status
from anju.cases.queries import LIST_RELATED
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.hazards import access
from anju.hazards.choices import HazardLevel, HazardStage, ItemResult, ListingStatus
from anju.hazards.models import Campaign, Hazard, Inspection, Listing, Site, SiteKind
from anju.lib import tracking

# A hazard case in these statuses may still be linked to its site.
OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS)


@dataclass
class SiteFilters:
    kind: str = ""           # a site kind code: that kind and its children
    township: str = ""       # a region code: sites in its subtree
    department: str = ""     # the supervising department's code
    active: bool | None = None
    text: str = ""           # in the name, address or unit


def sites_for(user, filters: SiteFilters):
    """The sites ``user`` may see, filtered, the newest first."""
    rows = access.visible_sites(user)
    if filters.kind:
        rows = rows.filter(kind__path__startswith=_kind_path(filters.kind))
    if filters.township:
        region = Region.objects.filter(code=filters.township).first()
        rows = rows.filter(area_path__startswith=region.path) if region else rows.none()
    if filters.department:
        rows = rows.filter(department__code=filters.department)
    if filters.active is not None:
        rows = rows.filter(is_active=filters.active)
    if filters.text:
        rows = rows.filter(Q(name__icontains=filters.text) | Q(address__icontains=filters.text)
                           | Q(unit__icontains=filters.text))
    return rows.select_related("kind", "region", "department").order_by("-id")


def last_inspection(site: Site) -> Inspection | None:
    return site.inspections.select_related("inspector", "template").order_by("-inspected_at", "-id").first()


def site_hazard_counts(user, site: Site) -> tuple[int, int]:
    """How many hazards of ``site`` ``user`` may see, and how many of them are not closed."""
    rows = Hazard.objects.filter(site=site, case__in=access.hazard_cases(user))
    return rows.count(), rows.exclude(stage=HazardStage.CLOSED).count()


@dataclass
class InspectionFilters:
    site: int | None = None
    campaign: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def inspections_for(user, filters: InspectionFilters):
    """The inspections of the sites ``user`` may see, filtered, the newest first."""
    rows = access.visible_inspections(user)
    if filters.site is not None:
        rows = rows.filter(site_id=filters.site)
    if filters.campaign is not None:
        rows = rows.filter(campaign_id=filters.campaign)
    if filters.since is not None:
        rows = rows.filter(inspected_at__gte=filters.since)
    if filters.until is not None:
        rows = rows.filter(inspected_at__lt=filters.until)
    return (rows.select_related("site", "template", "inspector")
            .annotate(hazards_found=Count("answers", filter=Q(answers__result=ItemResult.HAZARD))).order_by("-id"))


@dataclass
class HazardFilters:
    stage: str = ""          # a HazardStage, or "" for every stage
    level: str = ""          # a HazardLevel
    township: str = ""       # a region code: hazards in its subtree
    kind: str = ""           # a site kind code: that kind and its children
    department: str = ""     # the owning office's code
    listed: bool | None = None
    overdue: bool | None = None
    site: int | None = None
    text: str = ""


def hazard_cases_for(user, filters: HazardFilters, now: datetime | None = None):
    """The hazard cases ``user`` may see, filtered, newest first, with their hazard record
    (``case.hazard``). A hazard reported through the core's intake has no record until staff
    link it to its site, and counts meanwhile as a general hazard just found."""
    rows = access.hazard_cases(user)
    no_record = Q(hazard__isnull=True)
    if filters.stage:
        condition = Q(hazard__stage=filters.stage)
        rows = rows.filter(condition | no_record if filters.stage == HazardStage.FOUND else condition)
    if filters.level:
        condition = Q(hazard__level=filters.level)
        rows = rows.filter(condition | no_record if filters.level == HazardLevel.GENERAL else condition)
    if filters.township:
        region = Region.objects.filter(code=filters.township).first()
        rows = rows.filter(area_path__startswith=region.path) if region else rows.none()
    if filters.kind:
        rows = rows.filter(hazard__site__kind__path__startswith=_kind_path(filters.kind))
    if filters.department:
        rows = rows.filter(office__code=filters.department)
    if filters.listed is not None:
        listed = Q(hazard__listing__status=ListingStatus.LISTED)
        rows = rows.filter(listed) if filters.listed else rows.exclude(listed)
    if filters.overdue is not None:
        moment = now or timezone.now()
        # A record closed (销号) is not overdue, whatever the reply's clock says.
        closed = Q(pk__in=Hazard.objects.filter(stage=HazardStage.CLOSED).values("case_id"))
        overdue = Q(due_at__lt=moment) & ~closed
        rows = rows.filter(overdue) if filters.overdue else rows.exclude(overdue)
    if filters.site is not None:
        rows = rows.filter(hazard__site_id=filters.site)
    if filters.text:
        condition = (Q(text__icontains=filters.text) | Q(hazard__description__icontains=filters.text)
                     | Q(hazard__site__name__icontains=filters.text))
        code = tracking.normalise(filters.text)
        if code:
            condition |= Q(tracking_code=code)
        rows = rows.filter(condition)
    return (rows.select_related(*LIST_RELATED, "hazard", "hazard__site", "hazard__site__kind", "hazard__listing")
            .order_by("-id"))


def hazards_for(user, filters: HazardFilters, now: datetime | None = None):
    """The hazard records of the hazard cases ``user`` may see, newest first."""
    cases = hazard_cases_for(user, filters, now).values("pk")
    return (Hazard.objects.filter(case__in=cases)
            .select_related("case", "case__office", "case__region", "site", "site__kind", "listing")
            .order_by("-case_id"))


def hazard_actions(user, case, hazard: Hazard | None) -> list[str]:
    """The hazard actions ``user`` may take on ``case`` now (its page and the API offer exactly
    these): link_site, order, work_stopped, plan, rectified, reinspect, list, progress, delist,
    incident."""
    if hazard is None or hazard.site_id is None:
        return ["link_site"] if case.status in OPEN_STATUSES and access.can_link(user, case) else []
    actions = []
    stage, major = hazard.stage, hazard.level == HazardLevel.MAJOR
    if access.can_handle(user, case):
        if stage == HazardStage.FOUND and (not major or hazard.work_stopped_on is not None):
            actions.append("order")
        if major and stage != HazardStage.CLOSED:
            actions += ["work_stopped", "plan"]
        if stage == HazardStage.RECTIFYING and (not major or hazard.has_plan):
            actions.append("rectified")
    if stage in (HazardStage.RECTIFYING, HazardStage.REINSPECTION) and access.can_reinspect(user, case):
        actions.append("reinspect")
    listing = Listing.objects.filter(hazard=hazard).first()
    if access.can_list(user, case):
        if major and stage != HazardStage.CLOSED and listing is None:
            actions.append("list")
        if listing is not None and listing.status == ListingStatus.LISTED and stage == HazardStage.CLOSED:
            actions.append("delist")
    if listing is not None and listing.status == ListingStatus.LISTED and (
            access.can_list(user, case) or access.can_handle(user, case)):
        actions.append("progress")
    if may_open_incident(user, case, hazard):
        actions.append("incident")
    return actions


def incidents_of(case) -> list[dict]:
    """The incidents this hazard opened, as the duty module publishes them (``duty.incidents_for``);
    none when no module keeps incidents."""
    incidents_for = modules.provided("duty.incidents_for")
    return incidents_for("hazards", case.pk) if incidents_for is not None else []


def may_open_incident(actor, case, hazard: Hazard | None) -> bool:
    """A major hazard that is turning into an accident (a slope giving way, a fire) is reported as
    an incident by its owner or the supervisors over it, while no incident it opened is open, and
    only where a module keeps incidents (``duty.open_incident``)."""
    return (modules.provided("duty.open_incident") is not None and hazard is not None
            and hazard.level == HazardLevel.MAJOR and hazard.stage != HazardStage.CLOSED
            and (access.can_handle(actor, case) or access.can_list(actor, case))
            and not any(row["open"] for row in incidents_of(case)))


def _kind_path(code: str) -> str:
    kind = SiteKind.objects.filter(code=code).first()
    return kind.path if kind else "\x00"


@dataclass
class CoverageRow:
    township: Region
    owed: int
    inspected: int

    @property
    def rate(self) -> float | None:
        return self.inspected / self.owed if self.owed else None


def campaign_coverage(campaign: Campaign) -> tuple[list[CoverageRow], list[Site]]:
    """Per township of the campaign's region: the sites the campaign covers (owed) and those
    inspected within it (an inspection recorded for the campaign, or of the site during its
    period); and the sites never inspected, to list when it closes. Two queries."""
    from anju.hazards.services import campaign_sites

    start = datetime.combine(campaign.starts_on, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    end = datetime.combine(campaign.ends_on, datetime.max.time(), tzinfo=timezone.get_current_timezone())
    inspected = Inspection.objects.filter(site=OuterRef("pk")).filter(
        Q(campaign=campaign) | Q(inspected_at__range=(start, end)))
    sites = list(campaign_sites(campaign).annotate(done=Exists(inspected)).select_related("kind", "region")
                 .order_by("area_path", "name"))
    townships = {r.path: r for r in Region.objects.filter(level=Level.TOWNSHIP,
                                                           path__startswith=_township_prefix(campaign.region))}
    rows: dict[str, CoverageRow] = {}
    for site in sites:
        township = next((r for path, r in townships.items() if site.area_path.startswith(path)), None)
        if township is None:
            continue
        row = rows.setdefault(township.path, CoverageRow(township, 0, 0))
        row.owed += 1
        row.inspected += 1 if site.done else 0
    never = [site for site in sites if not site.done]
    return sorted(rows.values(), key=lambda r: r.township.path), never


def _township_prefix(region: Region) -> str:
    """The path townships of ``region`` start with: its own (or its township's, below one)."""
    if region.level in (Level.VILLAGE, Level.GRID):
        township = region.township()
        return township.path if township else region.path
    return region.path


def site_counts_by_kind(user):
    return (access.visible_sites(user).filter(is_active=True).values("kind__code", "kind__name")
            .annotate(n=Count("id")).order_by("kind__code"))
