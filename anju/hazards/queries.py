"""Reads of the hazards module: lists with their filters, and a campaign's coverage."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from anju.geo.choices import Level
from anju.geo.models import Region
from anju.hazards import access
from anju.hazards.choices import HazardStage
from anju.hazards.models import Campaign, Hazard, Inspection, Site


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


def hazards_for(user, filters: HazardFilters, now: datetime | None = None):
    """The hazard records of the hazard cases ``user`` may see, newest first."""
    rows = Hazard.objects.filter(case__in=access.hazard_cases(user))
    if filters.stage:
        rows = rows.filter(stage=filters.stage)
    if filters.level:
        rows = rows.filter(level=filters.level)
    if filters.township:
        region = Region.objects.filter(code=filters.township).first()
        rows = rows.filter(case__area_path__startswith=region.path) if region else rows.none()
    if filters.kind:
        rows = rows.filter(site__kind__path__startswith=_kind_path(filters.kind))
    if filters.department:
        rows = rows.filter(case__office__code=filters.department)
    if filters.listed is not None:
        rows = rows.filter(listing__status="listed") if filters.listed else rows.exclude(listing__status="listed")
    if filters.overdue is not None:
        moment = now or timezone.now()
        overdue = Q(case__due_at__lt=moment) & ~Q(stage=HazardStage.CLOSED)
        rows = rows.filter(overdue) if filters.overdue else rows.exclude(overdue)
    if filters.site is not None:
        rows = rows.filter(site_id=filters.site)
    if filters.text:
        rows = rows.filter(Q(description__icontains=filters.text) | Q(site__name__icontains=filters.text))
    return (rows.select_related("case", "case__office", "case__region", "site", "site__kind", "listing")
            .order_by("-case_id"))


def _kind_path(code: str) -> str:
    from anju.hazards.models import SiteKind

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
