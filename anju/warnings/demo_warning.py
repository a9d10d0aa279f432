"""The demo county's warning in progress: one orange warning for a township's monitoring points,
played through the services at moments before now, so that the pages show it in force with its
Alert, acknowledgements answered by the link, by a call and after passing on to the deputy, one
point nobody answered (passed on to the duty officer, still missing), and its households being
moved: some moved, one refused with the reason, the rest still to move."""

import random
import re
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from anju.geo.choices import Level as RegionLevel
from anju.notify.models import Notification
from anju.people.choices import Role
from anju.people.models import User
from anju.warnings import acks, evacuation, lifecycle
from anju.warnings import warnings_access as access
from anju.warnings.choices import AckState, EvacuationState, Responder
from anju.warnings.models import Acknowledgement, Evacuation, MonitoringPoint, Warning

# The warning went out this long before now: long enough for the asking to have passed on twice.
ISSUED_BEFORE = timedelta(minutes=50)
REFUSAL = "家中有卧床老人，已安排专人看护，暂不转移"


def _township_of(point: MonitoringPoint):
    return point.region.township() or point.region


def _staff(role: str, area, *, exclude=None) -> User | None:
    """The first active user holding ``role`` with a scope reaching ``area`` (an approving role:
    one that approves there; another: one that drafts there)."""
    rows = (User.objects.filter(is_active=True, roles__role=role).exclude(pk=getattr(exclude, "pk", None))
            .distinct().order_by("username"))
    return next((u for u in rows if _reaches(u, role, area)), None)


def _reaches(user: User, role: str, area) -> bool:
    if role in access.APPROVER_RANK:
        return access.approver_rank(user, area.path) > 0
    return access.can_draft(user, area)


def _grid_worker(point: MonitoringPoint) -> User | None:
    rows = User.objects.filter(is_active=True, roles__role=Role.GRID_WORKER).distinct().order_by("username")
    return next((u for u in rows if access.is_points_grid_worker(u, point)), None)


def link_token(ack: Acknowledgement) -> str | None:
    """The token of the link texted to the person asked (as they would open it)."""
    row = (Notification.objects.filter(channel="sms", address=ack.phone, event=acks.EVENT_ASKED)
           .filter(body__contains="/ack/").order_by("-pk").first()) if ack.phone else None
    found = re.search(r"/ack/([A-Za-z0-9_-]+)/", row.body) if row else None
    return found.group(1) if found else None


def _ask_of(warning: Warning, point: MonitoringPoint, responder: str) -> Acknowledgement | None:
    return Acknowledgement.objects.filter(warning=warning, point=point, responder=responder,
                                          state=AckState.WAITING).order_by("-pk").first()


def build_warning(seed: int, now: datetime | None, points: list[MonitoringPoint]) -> tuple[dict, list[str]]:
    """One orange warning issued for up to four of ``points`` (of the township with the most of
    them, those threatening most households first): what it built, and the lines of its summary."""
    now = now or timezone.now()
    rng = random.Random(seed)
    points = [p for p in points if p.is_active]
    if not points:
        return {}, [_("Warnings: no monitoring points, no warning in progress.")]
    by_township: dict = {}
    for point in points:
        by_township.setdefault(_township_of(point), []).append(point)
    township, candidates = min(by_township.items(), key=lambda item: (-len(item[1]), item[0].code))
    chosen = sorted(candidates, key=lambda p: (-p.household_rows.count(), p.code))[:4]
    drafter = _staff(Role.DISPATCHER, township)
    approver = _staff(Role.LEADER, township, exclude=drafter)
    if drafter is None or approver is None:
        return {}, [_("Warnings: no dispatcher and leader for %(place)s, no warning in progress.") % {
            "place": township.name}]
    issued_at = now - ISSUED_BEFORE
    drafted_at = issued_at - timedelta(minutes=12)
    area = township if township.level in (RegionLevel.TOWNSHIP, RegionLevel.COUNTY) else chosen[0].region
    names = "、".join(p.name for p in chosen)
    warning, _created = lifecycle.draft_warning(drafter, lifecycle.NewWarning(
        level="orange", hazard_type=chosen[0].type, area=area.code, points=[p.code for p in chosen],
        headline=f"{township.name}地质灾害气象风险橙色预警",
        description=(f"受持续强降雨影响，{township.name}{names}等隐患点发生滑坡、泥石流等地质灾害的风险高。"
                     "预计未来24小时降雨仍将持续。"),
        instruction="请受威胁群众立即按避险明白卡路线转移至避险点，监测员加密巡查，发现险情立即报告。",
        headline_en=f"Orange geo-hazard warning for {township.code}",
        description_en="Sustained heavy rain makes landslides and debris flows likely at the points named.",
        instruction_en="Threatened households move to their shelters along the routes on their cards now."),
        now=drafted_at)
    lifecycle.approve(approver, warning, note="同意发布", now=drafted_at + timedelta(minutes=7))
    lifecycle.issue(drafter, warning, now=issued_at)
    minutes = acks.minutes_for(warning)
    # The first point's monitor answers through the link; the second's by phone to the duty desk;
    # the third's monitor misses it and the deputy answers; the fourth's nobody, so far.
    plans = ["link", "call", "deputy", "nobody"][:len(chosen)]
    if len(chosen) > 1:
        plans[-1] = "nobody"
    for point, plan in zip(chosen, plans, strict=True):
        monitor = _ask_of(warning, point, Responder.MONITOR)
        if monitor is None:
            continue
        if plan == "link" and (token := link_token(monitor)):
            acks.acknowledge_by_link(token, now=issued_at + timedelta(minutes=rng.randint(1, max(1, minutes - 3))))
        elif plan == "call":
            acks.record_call(drafter, monitor, note="电话确认已收到",
                             now=issued_at + timedelta(minutes=max(1, minutes - 2)))
    # The sweep passes the unanswered on, as the worker would have.
    for step in range(1, 4):
        at = issued_at + timedelta(minutes=minutes * step)
        if at <= now:
            acks.sweep_acknowledgements(at)
        if step == 1:
            for point, plan in zip(chosen, plans, strict=True):
                deputy = _ask_of(warning, point, Responder.DEPUTY)
                if plan == "deputy" and deputy is not None and (token := link_token(deputy)):
                    acks.acknowledge_by_link(token, now=at + timedelta(minutes=4))
    answered = Acknowledgement.objects.filter(warning=warning, state=AckState.ACKNOWLEDGED).values(
        "point").distinct().count()
    missing = len(chosen) - answered
    moved = refused = 0
    for n, point in enumerate(chosen):
        worker = _grid_worker(point) or drafter
        rows = list(Evacuation.objects.filter(warning=warning, household__point=point).order_by("household_id"))
        share = 1.0 if n == 0 else 0.5 if n == 1 else 0.0
        for index, row in enumerate(rows[:max(0, round(len(rows) * share))]):
            at = issued_at + timedelta(minutes=20 + 3 * index)
            if n == 0 and index == 1 and not refused:
                evacuation.record(worker, row, evacuation.Entry(EvacuationState.REFUSED, reason=REFUSAL), now=at)
                refused += 1
            else:
                people = max(1, row.household.members - (1 if rng.random() < 0.2 else 0))
                evacuation.record(worker, row, evacuation.Entry(EvacuationState.MOVED, people_moved=people), now=at)
                moved += 1
    counts = {"warning": warning.pk, "points": len(chosen), "acknowledged": answered, "missing": missing,
              "moved": moved, "refused": refused, "households": Evacuation.objects.filter(warning=warning).count()}
    return counts, [_("Warning in progress (orange, %(place)s): %(points)d points, acknowledged at %(acknowledged)d, "
                      "%(missing)d still missing; %(moved)d of %(households)d households moved, %(refused)d "
                      "refused") % {**counts, "place": township.name}]

