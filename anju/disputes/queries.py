"""Read-only lists and figures of disputes and screening rounds, shared by the API and the
pages. Every list starts from what the user may see (``anju.disputes.access``); nothing here
writes a row."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from anju.cases import access as case_access
from anju.cases.choices import Status
from anju.cases.models import Case, Category
from anju.cases.queries import LIST_RELATED
from anju.disputes import access
from anju.disputes.choices import (
    AgreementStatus,
    JudicialStatus,
    MediationType,
    ReportStatus,
    RiskLevel,
    RoundStatus,
    TransferStatus,
    VisitStatus,
)
from anju.disputes.models import (
    Dispute,
    FollowUpVisit,
    MediationAgreement,
    MediationSession,
    MediationTransfer,
    ScreeningReport,
    ScreeningRound,
)
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib import tracking
from anju.lib.workdays import local_date

# Statuses in which a dispute is being mediated (the mediating organisation has it in hand).
MEDIATING_STATUSES = (Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING)
# Statuses in which mediation has ended or the case is gone.
ENDED_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.MERGED)


# ---------------------------------------------------------------------------- screening rounds


def rounds_with_coverage(user):
    """The rounds ``user`` may see, newest first, each annotated with ``grid_count`` (reports
    owed to the round in all) and ``submitted_count`` (reports submitted)."""
    return access.visible_rounds(user).annotate(
        grid_count=Count("reports"),
        submitted_count=Count("reports", filter=Q(reports__status=ReportStatus.SUBMITTED)),
    ).order_by("-starts_on", "-id")


def _township_of(path: str, townships: dict[str, Region]) -> Region | None:
    """The township whose path is a prefix of ``path`` (the grid's ancestor at that level)."""
    prefix = ""
    for code in path.split("/")[:-1]:
        prefix += code + "/"
        if prefix in townships:
            return townships[prefix]
    return None


def round_coverage(screening: ScreeningRound, now: datetime | None = None) -> list[dict]:
    """Coverage of a round per township (乡镇街道), ordered by township code: ``code``,
    ``name``, ``grids`` (reports owed to the round), ``submitted``, ``owed`` (still to come),
    ``nothing_found`` (submitted with nothing found), ``late`` (submitted after the due time
    or still owed past it). Grids under no township count under the round's own region."""
    now = now or timezone.now()
    region = screening.region
    ancestors = [p for p in _prefixes(region.path)]
    townships = {t.path: t for t in Region.objects.filter(level=Level.TOWNSHIP).filter(
        Q(path__startswith=region.path) | Q(path__in=ancestors))}
    rows: dict[str, dict] = {}
    reports = screening.reports.values_list("area_path", "status", "nothing_found", "missed_deadline", "due_at")
    for area_path, status, nothing_found, missed, due_at in reports:
        township = _township_of(area_path, townships) or region
        row = rows.setdefault(township.code, {"code": township.code, "name": township.name, "grids": 0,
                                              "submitted": 0, "owed": 0, "nothing_found": 0, "late": 0})
        row["grids"] += 1
        if status == ReportStatus.SUBMITTED:
            row["submitted"] += 1
            row["nothing_found"] += int(nothing_found)
        else:
            row["owed"] += 1
        if missed or (status == ReportStatus.OWED and due_at < now):
            row["late"] += 1
    return [rows[code] for code in sorted(rows)]


def _prefixes(path: str) -> list[str]:
    codes = [c for c in path.split("/") if c]
    return ["".join(f"{c}/" for c in codes[:i + 1]) for i in range(len(codes))]


def owing_grids(screening: ScreeningRound):
    """The reports of a round still owed, with their grid, in the order of the region tree:
    the grids that have not reported yet."""
    return (screening.reports.filter(status=ReportStatus.OWED).select_related("grid", "round")
            .order_by("area_path", "id"))


def reports_owed_by(user, limit: int = 200) -> list[ScreeningReport]:
    """Owed reports of open rounds that ``user`` may submit (a grid worker's grids; every grid
    for an administrator), the soonest due first, at most ``limit``."""
    rows = (access.visible_reports(user, ScreeningReport.objects.select_related("round", "grid", "round__region"))
            .filter(status=ReportStatus.OWED, round__status=RoundStatus.OPEN).order_by("due_at", "area_path", "id"))
    found = []
    for report in rows.iterator(chunk_size=500):
        if access.can_report_for(user, report.grid):
            found.append(report)
            if len(found) >= limit:
                break
    return found


# ---------------------------------------------------------------------------- disputes


# The outcome filter of the disputes whose mediation has not ended (no outcome yet).
NOT_ENDED = "none"


@dataclass
class DisputeFilters:
    """Filters of the dispute list, one declaration for the page and the API; empty values do
    not filter. ``category`` and ``region`` are codes and take their subtree; ``outcome`` is an
    outcome or ``NOT_ENDED``; ``text`` searches the text, the address and the tracking code."""

    status: list[str] | None = None
    category: str = ""
    region: str = ""
    outcome: str = ""
    risk_level: str = ""
    mediation_type: str = ""
    office: str = ""
    text: str = ""


def disputes_for(user, filters: DisputeFilters | None = None):
    """The dispute cases ``user`` may see, filtered, newest first, with their dispute record
    (``case.dispute``; a dispute case that came in through the core's intake may not have one
    yet and then counts with the record's defaults: low risk, people's mediation, no outcome)."""
    filters = filters or DisputeFilters()
    rows = access.dispute_cases(user)
    if filters.status:
        rows = rows.filter(status__in=filters.status)
    if filters.category:
        category = Category.objects.filter(code=filters.category).first()
        rows = rows.filter(category__path__startswith=category.path) if category else rows.none()
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        rows = rows.filter(area_path__startswith=region.path) if region else rows.none()
    if filters.office:
        rows = rows.filter(office__code=filters.office)
    no_record = Q(dispute__isnull=True)
    if filters.outcome == NOT_ENDED:
        rows = rows.filter(no_record | Q(dispute__outcome=""))
    elif filters.outcome:
        rows = rows.filter(dispute__outcome=filters.outcome)
    if filters.risk_level:
        condition = Q(dispute__risk_level=filters.risk_level)
        rows = rows.filter(condition | no_record if filters.risk_level == RiskLevel.LOW else condition)
    if filters.mediation_type:
        condition = Q(dispute__mediation_type=filters.mediation_type)
        rows = rows.filter(condition | no_record if filters.mediation_type == MediationType.PEOPLE else condition)
    if filters.text:
        condition = Q(text__icontains=filters.text) | Q(address__icontains=filters.text)
        code = tracking.normalise(filters.text)
        if code:
            condition |= Q(tracking_code=code)
        rows = rows.filter(condition)
    return rows.select_related(*LIST_RELATED, "dispute", "dispute__mediator").order_by("-id")


def sessions_due(user, now: datetime | None = None, days: int = 7, limit: int = 200) -> list[MediationSession]:
    """Mediation sessions not yet recorded, scheduled before the end of the next ``days`` days
    (those already past first: they wait to be recorded), of disputes being mediated that
    ``user`` may mediate; at most ``limit``."""
    now = now or timezone.now()
    cases = access.dispute_cases(user).filter(status__in=MEDIATING_STATUSES)
    rows = (MediationSession.objects.filter(held_at__isnull=True, scheduled_at__lt=now + timedelta(days=days),
                                            dispute__case__in=cases)
            .select_related("dispute", "dispute__case", "dispute__case__office", "dispute__case__category")
            .order_by("scheduled_at", "id"))
    return _actionable(rows, lambda s: access.can_mediate(user, s.dispute.case), limit)


def visits_due(user, now: datetime | None = None, days: int = 0, limit: int = 200) -> list[FollowUpVisit]:
    """Planned follow-up visits due by today (or within ``days`` more days), the longest due
    first, of disputes ``user`` may visit (mediators, dispatchers, grid workers); at most
    ``limit``."""
    now = now or timezone.now()
    rows = (FollowUpVisit.objects.filter(status=VisitStatus.PLANNED, due_on__lte=local_date(now) + timedelta(days=days),
                                         dispute__case__in=access.dispute_cases(user))
            .select_related("dispute", "dispute__case", "dispute__case__office", "dispute__case__category",
                            "agreement")
            .order_by("due_on", "id"))
    return _actionable(rows, lambda v: access.can_visit(user, v.dispute.case), limit)


def pending_transfers_to(user, limit: int = 200) -> list[MediationTransfer]:
    """Transfers (三调联动) waiting for an organisation where ``user`` mediates: the dispute
    is already with the receiving office, which accepts or returns it; oldest first."""
    rows = (MediationTransfer.objects.filter(status=TransferStatus.PENDING,
                                             dispute__case__in=access.dispute_cases(user))
            .select_related("dispute", "dispute__case", "dispute__case__office", "dispute__case__category",
                            "from_office", "to_office", "proposed_by")
            .order_by("proposed_at", "id"))
    return _actionable(rows, lambda t: access.can_mediate(user, t.dispute.case), limit)


def judicial_windows_ending(user, now: datetime | None = None, days: int = 7, limit: int = 200
                            ) -> list[MediationAgreement]:
    """Agreements in effect, not yet before a court, whose window for judicial confirmation
    ends within the next ``days`` days (today included), of disputes ``user`` may mediate;
    the soonest first, each with ``days_left``."""
    today = local_date(now or timezone.now())
    rows = (MediationAgreement.objects
            .filter(status=AgreementStatus.EFFECTIVE, judicial_status=JudicialStatus.NOT_SOUGHT,
                    judicial_window_ends_on__range=(today, today + timedelta(days=days)),
                    dispute__case__in=access.dispute_cases(user))
            .select_related("dispute__case", "dispute__case__category", "dispute__case__office")
            .order_by("judicial_window_ends_on", "id"))
    found = _actionable(rows, lambda a: access.can_mediate(user, a.dispute.case), limit)
    for agreement in found:
        agreement.days_left = (agreement.judicial_window_ends_on - today).days
    return found


def _actionable(rows, allowed, limit: int) -> list:
    found = []
    for row in rows.iterator(chunk_size=500):
        if allowed(row):
            found.append(row)
            if len(found) >= limit:
                break
    return found


# ---------------------------------------------------------------------------- what may be done now


def dispute_actions(user, case: Case, dispute: Dispute | None = None, now: datetime | None = None) -> list[str]:
    """The dispute actions ``user`` could take on ``case`` right now, by the same rights and
    states the services check (a service may still refuse on the details given): ``update``,
    ``add_party``, ``update_party``, ``reveal_party``, ``record_consent``, ``assign_mediator``,
    ``take_up``, ``schedule_session``, ``record_session``, ``draft_agreement``,
    ``sign_agreement``, ``judicial_application``, ``judicial_decision``, ``end_mediation``,
    ``record_visit``, ``propose_transfer``, ``accept_transfer``, ``return_transfer``."""
    now = now or timezone.now()
    if dispute is None:
        dispute = Dispute.objects.filter(case=case).first()
    is_open = case.status not in ENDED_STATUSES
    mediating = case.status in MEDIATING_STATUSES
    mediate = access.can_mediate(user, case)
    has_parties = dispute is not None and dispute.parties.exists()
    pending = dispute is not None and dispute.transfers.filter(status=TransferStatus.PENDING).exists()
    agreements = list(dispute.agreements.all()) if dispute is not None else []
    effective = [a for a in agreements if a.status == AgreementStatus.EFFECTIVE]
    actions = []
    if mediate and is_open:
        actions += ["update", "add_party"]
        if has_parties:
            actions.append("update_party")
    if has_parties and case_access.can_reveal_person(user, case):
        actions.append("reveal_party")
    # While a transfer waits, the receiving organisation only accepts or returns it.
    if mediate and mediating and has_parties and not pending:
        actions.append("record_consent")
    if is_open and case.office_id is not None and access.can_assign_mediator(user, case):
        actions.append("assign_mediator")
    if mediate and case.status == Status.DISPATCHED and not pending:
        actions.append("take_up")
    if mediate and mediating and not pending:
        actions += ["schedule_session"]
        if dispute is not None and dispute.sessions.filter(held_at__isnull=True, scheduled_at__lte=now).exists():
            actions.append("record_session")
        actions.append("draft_agreement")
        if any(a.status == AgreementStatus.DRAFT for a in agreements):
            actions.append("sign_agreement")
        actions.append("end_mediation")
    if mediate and any(a.judicial_status == JudicialStatus.NOT_SOUGHT and a.judicial_window_ends_on
                       for a in effective):
        actions.append("judicial_application")
    if mediate and any(a.judicial_status == JudicialStatus.SOUGHT for a in effective):
        actions.append("judicial_decision")
    if (dispute is not None and access.can_visit(user, case)
            and dispute.visits.filter(status=VisitStatus.PLANNED).exists()):
        actions.append("record_visit")
    if case.status in (Status.DISPATCHED, Status.IN_PROGRESS) and not pending and access.can_transfer(user, case):
        actions.append("propose_transfer")
    if mediate and is_open and pending:
        actions += ["accept_transfer", "return_transfer"]
    return actions
