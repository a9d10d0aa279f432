"""The hazards module's indicators for the scorecards (``modules.Indicator``): hazards found,
rectified on time, overdue now, major hazards open, listed and delisted, the re-inspection pass
rate and campaign coverage. Counts of hazards, rounds, listings and sites: never of persons.

Each ``compute(region, since, until)`` counts in ``region``'s subtree (a hazard where its case
is located, a site where it stands; every region when ``region`` is None) over the period:
``since`` and ``until`` are dates (whole days in Asia/Shanghai, both included) or aware
datetimes (``since`` <= moment < ``until``). Keyword arguments narrow a figure to a site kind
(its code: that kind and the kinds under it) or to an office (its code: the office owning the
hazards; for campaign coverage, the sites' supervising department), for the tables by township,
site kind and department. A rate is a percentage with one decimal, None when there is nothing
to count from. ``DEFINITIONS`` says the same as the docstrings, in the reader's language.
"""

from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.cases import modules
from anju.geo.models import Region
from anju.hazards.choices import HazardLevel, HazardStage, ListingStatus, RoundResult
from anju.hazards.models import Campaign, Hazard, Inspection, Listing, RectificationRound, Site, SiteKind
from anju.lib.periods import between, period_bounds
from anju.lib.workdays import local_date, start_of_day


def _bounds(since: date | datetime, until: date | datetime) -> tuple[datetime, datetime]:
    """The moments [start, end) of the period."""
    start = since if isinstance(since, datetime) else start_of_day(since)
    end = until if isinstance(until, datetime) else period_bounds(until, until)[1]
    return start, end


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _kind_path(code: str) -> str:
    kind = SiteKind.objects.filter(code=code).first()
    return kind.path if kind else "\x00"  # an unknown kind matches nothing


def _scope(prefix: str, region: Region | None, kind: str | None, department: str | None) -> Q:
    """Rows whose hazard (reached through ``prefix``) lies in ``region`` and matches the filters."""
    condition = Q()
    if region is not None:
        condition &= Q(**{f"{prefix}case__area_path__startswith": region.path})
    if kind:
        condition &= Q(**{f"{prefix}site__kind__path__startswith": _kind_path(kind)})
    if department:
        condition &= Q(**{f"{prefix}case__office__code": department})
    return condition


def hazards_found(region: Region | None, since, until, *, kind: str | None = None,
                  department: str | None = None) -> int:
    """Hazards found: hazards registered (found at an inspection, reported at a site, or linked
    to a site from a report) whose finding falls in the period."""
    start, end = _bounds(since, until)
    return Hazard.objects.filter(_scope("", region, kind, department), between("found_at", start, end)).count()


def rectified_on_time(region: Region | None, since, until, *, kind: str | None = None,
                      department: str | None = None, now: datetime | None = None) -> float | None:
    """Rectified on time (%): of the rectification rounds whose day to rectify by falls in the
    period and is past (or which were reported done already), the share reported rectified by
    that day and not failed at their re-inspection."""
    start, end = _bounds(since, until)
    moment = now or timezone.now()
    rounds = RectificationRound.objects.filter(
        _scope("hazard__", region, kind, department), between("due_at", start, end),
        Q(due_at__lt=moment) | Q(rectified_at__isnull=False))
    counts = rounds.aggregate(whole=Count("id"), on_time=Count("id", filter=Q(
        rectified_at__isnull=False, rectified_at__lte=F("due_at")) & ~Q(result=RoundResult.FAILED)))
    return _rate(counts["on_time"], counts["whole"])


def overdue_now(region: Region | None, since=None, until=None, *, kind: str | None = None,
                department: str | None = None, now: datetime | None = None) -> int:
    """Overdue now: open hazards (not closed) whose running deadline (to accept, to rectify or
    to re-inspect) has passed, counted at the moment of computing; the period is not used."""
    moment = now or timezone.now()
    return (Hazard.objects.filter(_scope("", region, kind, department), case__due_at__lt=moment)
            .exclude(stage=HazardStage.CLOSED).count())


def major_open(region: Region | None, since, until, *, kind: str | None = None,
               department: str | None = None, now: datetime | None = None) -> int:
    """Major hazards open: major hazards found before the end of the period (or now, if sooner)
    and not closed (销号) by then."""
    _start, end = _bounds(since, until)
    end = min(end, now or timezone.now())
    return Hazard.objects.filter(
        _scope("", region, kind, department), Q(closed_at__isnull=True) | Q(closed_at__gte=end),
        level=HazardLevel.MAJOR, found_at__lt=end).count()


def listed(region: Region | None, since, until, *, kind: str | None = None, department: str | None = None) -> int:
    """Listed: major hazards the county listed for supervision (挂牌督办) in the period."""
    start, end = _bounds(since, until)
    return Listing.objects.filter(_scope("hazard__", region, kind, department),
                                  between("listed_at", start, end)).count()


def delisted(region: Region | None, since, until, *, kind: str | None = None, department: str | None = None) -> int:
    """Delisted: listed hazards delisted (摘牌) in the period, each on its acceptance record."""
    start, end = _bounds(since, until)
    return Listing.objects.filter(_scope("hazard__", region, kind, department), between("delisted_at", start, end),
                                  status=ListingStatus.DELISTED).count()


def reinspection_pass_rate(region: Region | None, since, until, *, kind: str | None = None,
                           department: str | None = None) -> float | None:
    """Re-inspection pass rate (%): of the re-inspections (复查) made in the period, the share
    passed (the hazard closed) rather than failed (a new round ordered)."""
    start, end = _bounds(since, until)
    counts = RectificationRound.objects.filter(
        _scope("hazard__", region, kind, department), between("reinspected_at", start, end),
        result__in=[RoundResult.PASSED, RoundResult.FAILED],
    ).aggregate(whole=Count("id"), passed=Count("id", filter=Q(result=RoundResult.PASSED)))
    return _rate(counts["passed"], counts["whole"])


def campaign_coverage(region: Region | None, since, until, *, kind: str | None = None,
                      department: str | None = None) -> float | None:
    """Campaign coverage (%): for the campaigns (专项行动) running at some time in the period, the
    sites each owes an inspection in this region (active sites of its kind in its area), and of
    them the share inspected within the campaign (an inspection recorded for it, or of the site
    during its period); a site in two campaigns counts in each."""
    start, end = _bounds(since, until)
    first_day, last_day = local_date(start), local_date(end - timedelta(microseconds=1))
    campaigns = Campaign.objects.filter(starts_on__lte=last_day, ends_on__gte=first_day).select_related(
        "kind", "region")
    owed = inspected = 0
    for campaign in campaigns:
        if region is not None and not (campaign.region.path.startswith(region.path)
                                       or region.path.startswith(campaign.region.path)):
            continue
        first, after = period_bounds(campaign.starts_on, campaign.ends_on)
        done = Inspection.objects.filter(site=OuterRef("pk")).filter(
            Q(campaign=campaign) | Q(inspected_at__gte=first, inspected_at__lt=after))
        sites = Site.objects.filter(kind__path__startswith=campaign.kind.path,
                                    area_path__startswith=campaign.region.path, is_active=True)
        if region is not None:
            sites = sites.filter(area_path__startswith=region.path)
        if kind:
            sites = sites.filter(kind__path__startswith=_kind_path(kind))
        if department:
            sites = sites.filter(department__code=department)
        counts = sites.annotate(done=Exists(done)).aggregate(owed=Count("id"),
                                                             inspected=Count("id", filter=Q(done=True)))
        owed += counts["owed"]
        inspected += counts["inspected"]
    return _rate(inspected, owed)


DEFINITIONS = {
    "hazards_found": _("Hazards registered (found at an inspection, reported at a site, or linked to a site from "
                       "a report) whose finding falls in the period."),
    "hazards_rectified_on_time": _("Of the rectification rounds whose day to rectify by falls in the period and is "
                                   "past (or which were reported done already), the percentage reported rectified "
                                   "by that day and not failed at their re-inspection."),
    "hazards_overdue": _("Open hazards whose running deadline (to accept, to rectify or to re-inspect) has passed, "
                         "counted now; the period is not used."),
    "major_hazards_open": _("Major hazards found before the end of the period and not closed (销号) by then."),
    "hazards_listed": _("Major hazards listed for supervision by the county (挂牌督办) in the period."),
    "hazards_delisted": _("Listed hazards delisted (摘牌) in the period, each on its acceptance record."),
    "hazard_reinspection_pass_rate": _("Of the re-inspections (复查) made in the period, the percentage passed "
                                       "(the hazard closed) rather than failed (a new round ordered)."),
    "hazard_campaign_coverage": _("For the campaigns (专项行动) running in the period: of the sites each owes an "
                                  "inspection in the region, the percentage inspected within the campaign."),
}

INDICATORS = [
    modules.Indicator("hazards_found", _("Hazards found"), hazards_found),
    modules.Indicator("hazards_rectified_on_time", _("Hazards rectified on time (%)"), rectified_on_time),
    modules.Indicator("hazards_overdue", _("Hazards overdue now"), overdue_now),
    modules.Indicator("major_hazards_open", _("Major hazards open"), major_open),
    modules.Indicator("hazards_listed", _("Major hazards listed for supervision"), listed),
    modules.Indicator("hazards_delisted", _("Listed hazards delisted"), delisted),
    modules.Indicator("hazard_reinspection_pass_rate", _("Re-inspection pass rate (%)"), reinspection_pass_rate),
    modules.Indicator("hazard_campaign_coverage", _("Campaign coverage (%)"), campaign_coverage),
]
