"""Read-only lists and facts of petitions and reception days, shared by the API and the pages.
Every list starts from what the user may see (``anju.petitions.access``); nothing here writes a
row.

There is no search by petitioner: lists filter by the matter (its words, its place, its body),
never by who petitioned."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anju.cases import access as case_access
from anju.cases.choices import ExtensionStatus, Status
from anju.cases.models import Case, Category
from anju.cases.queries import LIST_RELATED
from anju.geo.models import Region
from anju.lib import tracking
from anju.lib.workdays import LOCAL
from anju.petitions import access, services, statutory
from anju.petitions.choices import Level, ReceptionStatus
from anju.petitions.models import Petition, ReceptionDay

# Statuses in which the competent body has the petition in hand.
HANDLING_STATUSES = (Status.DISPATCHED, Status.IN_PROGRESS)


@dataclass
class PetitionFilters:
    """Filters of the petition list; empty values do not filter. ``category`` and ``region``
    are codes and take their subtree; ``text`` searches the matter's words and the tracking
    code, never the petitioners."""

    status: list[str] | None = None
    level: str = ""
    category: str = ""
    region: str = ""
    office: str = ""
    leader: int | None = None
    overdue: bool | None = None
    text: str = ""


def petitions_for(user, filters: PetitionFilters | None = None, now: datetime | None = None):
    """The petition cases ``user`` may see, filtered, newest first, with their petition record
    (``case.petition``; a petition that came in through the core's intake may have none yet)."""
    filters = filters or PetitionFilters()
    rows = access.petition_cases(user)
    if filters.status:
        rows = rows.filter(status__in=filters.status)
    if filters.level:
        rows = rows.filter(Q(petition__level=filters.level) | (
            Q(petition__isnull=True) if filters.level == Level.ORIGINAL else Q(pk__in=[])))
    if filters.category:
        category = Category.objects.filter(code=filters.category).first()
        rows = rows.filter(category__path__startswith=category.path) if category else rows.none()
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        rows = rows.filter(area_path__startswith=region.path) if region else rows.none()
    if filters.office:
        rows = rows.filter(office__code=filters.office)
    if filters.leader:
        rows = rows.filter(petition__leader_id=filters.leader)
    if filters.overdue is not None:
        moment = now or timezone.now()
        rows = rows.filter(due_at__lt=moment) if filters.overdue else rows.exclude(due_at__lt=moment)
    if filters.text:
        condition = Q(text__icontains=filters.text) | Q(petition__request__icontains=filters.text)
        code = tracking.normalise(filters.text)
        if code:
            condition |= Q(tracking_code=code)
        rows = rows.filter(condition)
    return rows.select_related(*LIST_RELATED, "petition", "petition__leader").order_by("-id")


def leader_cases(user):
    """Open petitions a leader is in personal charge of (领导包案), soonest deadline first."""
    return (access.petition_cases(user).filter(petition__leader=user).exclude(status__in=[Status.CLOSED,
                                                                                         Status.MERGED])
            .select_related(*LIST_RELATED, "petition").order_by("due_at", "id"))


def upcoming_days(now: datetime | None = None, limit: int = 100):
    """Reception days planned from today on, soonest first: the public calendar."""
    today = (now or timezone.now()).astimezone(LOCAL).date()
    start = datetime.combine(today, datetime.min.time(), tzinfo=LOCAL)
    return (ReceptionDay.objects.filter(status=ReceptionStatus.PLANNED, ends_at__gte=start)
            .select_related("leader", "region").order_by("starts_at", "id")[:limit])


def bookings_of(petition: Petition):
    return petition.bookings.select_related("day", "day__leader").order_by("-slot_at", "-id")


# ---------------------------------------------------------------------------- the statutory clock


@dataclass
class Limit:
    """One time limit of a petition, as its page and the API show it: what it is, until when,
    the article that sets it, whether it binds a body or is the petitioner's own window, and
    whether it is the one running now."""

    key: str
    label: str
    at: datetime | date | None
    article: str
    petitioners: bool = False
    running: bool = False
    met: bool | None = None
    # A day it depends on is covered by no official calendar or override yet.
    estimated: bool = False


def _estimated(case, field_name: str) -> bool:
    return bool((case.deadline_basis or {}).get(field_name, {}).get("estimated"))


def limits_of(petition: Petition, now: datetime | None = None) -> list[Limit]:
    """The statutory time limits of a petition at its stage: to route (第二十二条), to say whether
    it is accepted (第二十三条), to object (第二十三条), to answer (第三十四、三十五、三十六条, with
    an approved extension or hearing days), and the petitioner's own window for review or
    re-examination (第三十五、三十六条)."""
    now = now or timezone.now()
    case = petition.case
    rows = []
    submitted = case.status == Status.SUBMITTED
    if petition.level == Level.ORIGINAL:
        if petition.routed_at is None:
            rows.append(Limit("route", _("Route to the competent body by"), case.accept_due_at,
                              statutory.ROUTE.article, running=submitted,
                              estimated=_estimated(case, "accept_due_at")))
        else:
            if petition.route_due_at is not None:
                rows.append(Limit("route", _("Route to the competent body by"), petition.route_due_at,
                                  statutory.ROUTE.article, met=petition.routed_in_time))
            # Met when the body accepted or declined it by then (the acceptance deadline stays
            # stored on the case after the decision).
            decided = case.accepted_at or (case.closed_at if case.resolved_at is None else None)
            met = None if submitted or decided is None or case.accept_due_at is None else decided <= case.accept_due_at
            rows.append(Limit("acceptance", _("Tell the petitioner whether it is accepted by"), case.accept_due_at,
                              statutory.ACCEPTANCE_NOTICE.article, running=submitted, met=met,
                              estimated=_estimated(case, "accept_due_at")))
    if petition.routed_at is not None and petition.objection_due_at is not None and submitted:
        rows.append(Limit("objection", _("Object that it is not within the body's competence by"),
                          petition.objection_due_at, statutory.OBJECTION.article,
                          estimated=petition.objection_estimated))
    if petition.level == Level.ORIGINAL and case.accepted_at is not None:
        label = _("Answer in writing by") if not petition.extension_days else _("Answer in writing by (extended)")
        rows.append(Limit("answer", label, case.handle_due_at, statutory.HANDLING.article,
                          running=case.status in HANDLING_STATUSES, met=petition.answered_on_time,
                          estimated=_estimated(case, "handle_due_at")))
    elif petition.level != Level.ORIGINAL:
        rule = services.ANSWER_RULES[petition.level]
        field_name = "handle_due_at" if case.accepted_at is not None else "accept_due_at"
        rows.append(Limit("answer", _("Answer the review by") if petition.level == Level.REVIEW
                          else _("Answer the re-examination by (hearing days not counted)"),
                          getattr(case, field_name), rule.article,
                          running=case.status in (Status.SUBMITTED, *HANDLING_STATUSES),
                          met=petition.answered_on_time, estimated=_estimated(case, field_name)))
    if case.status in (Status.RESOLVED, Status.CLOSED) and petition.decision:
        last, rule, estimated = services.request_window_estimated(petition)
        if rule is not None:
            label = _("The petitioner may ask for review until") if petition.level == Level.ORIGINAL else _(
                "The petitioner may ask for re-examination until")
            rows.append(Limit("window", label, last, rule.article, petitioners=True,
                              running=last is not None and last >= now.astimezone(LOCAL).date(),
                              estimated=estimated))
    return rows


# ---------------------------------------------------------------------------- what may be done now


def petition_actions(user, case: Case, petition: Petition | None = None, now: datetime | None = None) -> list[str]:
    """The petition actions ``user`` could take on ``case`` right now, by the same rights and
    states the services check (a service may still refuse on the details given): ``route``,
    ``object``, ``accept``, ``decline``, ``answer_concluded``, ``request_extension``,
    ``approve_extension``, ``deny_extension``, ``answer``, ``record_delivery``,
    ``request_review``, ``record_hearing``, ``assign_leader``, ``take_charge``, ``transfer``,
    ``take_up``, ``book_reception``, ``reveal_petitioner``, ``print_notice``."""
    now = now or timezone.now()
    petition = petition or Petition.objects.filter(case=case).first()
    level = petition.level if petition else Level.ORIGINAL
    route, handle, approve = access.can_route(user, case), access.can_handle(user, case), access.can_approve(user, case)
    record = route or handle
    routed = petition is not None and petition.routed_at is not None
    actions = []
    if case.status == Status.SUBMITTED:
        if route:
            actions.append("route")
        if handle and routed:
            actions.append("accept")
            if petition.objection_due_at and now <= petition.objection_due_at:
                actions.append("object")
        if record:
            actions += ["decline", "answer_concluded"]
        if handle and level == Level.REEXAMINATION:
            actions.append("record_hearing")
    if case.status == Status.IN_PROGRESS:
        pending = case.extension_requests.filter(status=ExtensionStatus.PENDING).exists()
        if handle:
            actions.append("answer")
            if level == Level.ORIGINAL and not pending and petition is not None and \
                    petition.extension_days < statutory.EXTENSION_MAX.days:
                actions.append("request_extension")
            if level == Level.REEXAMINATION:
                actions.append("record_hearing")
        if approve and pending:
            actions += ["approve_extension", "deny_extension"]
    if case.status == Status.DISPATCHED and handle:
        actions.append("take_up")
    if case.status in HANDLING_STATUSES and approve:
        actions.append("transfer")
    if petition is not None and record and petition.notices.filter(delivered_on__isnull=True).exists():
        actions.append("record_delivery")
    if (petition is not None and record and level in services.WINDOWS and petition.decision
            and case.status in (Status.RESOLVED, Status.CLOSED)
            and not services.review_asked(petition)):
        actions.append("request_review")
    if case.is_open:
        if approve:
            actions.append("assign_leader")
        if access.is_leader_for(user, case) and (petition is None or petition.leader_id != user.pk):
            actions.append("take_charge")
        if record and case.status != Status.MERGED:
            actions.append("book_reception")
    if petition is not None and case_access.can_reveal_person(user, case):
        if petition.petitioners.exists():
            actions.append("reveal_petitioner")
        if petition.notices.exists():
            actions.append("print_notice")
    return actions
