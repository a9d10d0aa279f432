"""The demo county's duty rosters (值班), played through ``anju.duty.services``.

Run by ``anju demo`` after the core's registers (``Module.demo``). For the county emergency
management bureau (县应急管理局, 24-hour shifts) and every township office (24-hour shifts; the
county seat's streets day and night shifts), a month of roster around today: from two weeks
before to two weeks after, planned ahead by the demo supervisor. Each township gets two duty
officers and a leader on duty of its own (``duty-<code>-1``, ``duty-<code>-2`` and
``duty-leader-<code>``, password ``demo``) beside its handler, when the core demo has none; the
county's leaders take turns leading the bureau's duty. A few gaps are left for the roster page to
show (one township without a leader on duty some days, the last days of the month not planned
yet in another), a swap approved and one waiting, and the handover log of the shifts on duty now
with an open matter taken over and a call.
"""

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.demo import build
from anju.demo import catalogue as cat
from anju.duty import demo_incidents, demo_plans, services
from anju.duty.choices import ShiftKind, ShiftPattern
from anju.duty.models import HandoverEntry, Roster, Shift, Swap
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.workdays import LOCAL, local_date
from anju.people.choices import Role
from anju.people.models import Office, RoleAssignment, User

# The roster runs from this many days before today to this many days after.
BEFORE, AFTER = 14, 16
EMERGENCY_SUFFIX = "yjj"


def _user(username: str, display_name: str, office: Office | None, password: str, role: str, region=None,
          role_office=None) -> User:
    account, _created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, "office": office, "password": password})
    RoleAssignment.objects.get_or_create(user=account, role=role, region=region, office=role_office)
    return account


def _people(rng: random.Random) -> dict[Office, tuple[list[User], list[User]]]:
    """The offices keeping a roster, each with its duty officers and leaders on duty."""
    password = make_password(cat.DEMO_PASSWORD)
    county = Region.objects.get(code=cat.COUNTY_CODE)
    emergency = Office.objects.get(code=build.department_code(EMERGENCY_SUFFIX))
    officers = list(User.objects.filter(roles__role=Role.HANDLER, roles__office=emergency).order_by("username"))
    while len(officers) < 3:
        officers.append(_user(f"duty-yjj-{len(officers) + 1}", build.random_person_name(rng), emergency, password,
                              Role.HANDLER, role_office=emergency))
    leaders = list(User.objects.filter(roles__role=Role.LEADER, roles__region=county, is_active=True)
                   .distinct().order_by("username"))
    staff = {emergency: (officers, leaders)}
    for township in Region.objects.filter(level=Level.TOWNSHIP, parent=county).order_by("code"):
        office = Office.objects.filter(code=build.township_office_code(township.code)).first()
        if office is None:
            continue
        officers = [_user(f"duty-{township.code}-{n}", build.random_person_name(rng), office, password, Role.HANDLER,
                          role_office=office) for n in (1, 2)]
        handler = User.objects.filter(roles__role=Role.HANDLER, roles__office=office).exclude(
            pk__in=[o.pk for o in officers]).order_by("username").first()
        if handler is not None:
            officers.append(handler)
        leaders = [_user(f"duty-leader-{township.code}", build.random_person_name(rng), office, password,
                         Role.LEADER, region=township)]
        staff[office] = (officers, leaders)
    return staff


def build_rosters(now: datetime | None = None, seed: int = build.DEFAULT_SEED) -> dict[str, int]:
    """The month of rosters, swaps and handover logs, in one transaction. Returns counts."""
    now = now or timezone.now()
    rng = random.Random(seed + 17)
    today = local_date(now)
    first, last = today - timedelta(days=BEFORE), today + timedelta(days=AFTER)
    planned_at = datetime.combine(first - timedelta(days=3), time(9), tzinfo=LOCAL)
    keeper = User.objects.get(username="supervisor")
    approver = User.objects.get(username="leader")
    with transaction.atomic():
        staff = _people(rng)
        offices = list(staff)
        seat = set(cat.COUNTY_SEAT)
        no_leader = offices[2] if len(offices) > 2 else None
        unfinished = offices[3] if len(offices) > 3 else None
        for index, office in enumerate(offices):
            pattern = ShiftPattern.DAY_NIGHT if office.jurisdiction.code in seat else ShiftPattern.FULL_DAY
            Roster.objects.update_or_create(office=office, defaults={
                "pattern": pattern, "day_starts": time(8, 30), "night_starts": time(17, 30), "updated_by": keeper})
            kinds = [ShiftKind.DAY, ShiftKind.NIGHT] if pattern == ShiftPattern.DAY_NIGHT else [ShiftKind.FULL_DAY]
            officers, leaders = staff[office]
            turn = index
            day = first
            while day <= last:
                if office == unfinished and day > last - timedelta(days=4):
                    break
                for kind in kinds:
                    officer = officers[turn % len(officers)]
                    leader = leaders[(turn // len(kinds)) % len(leaders)] if leaders else None
                    if office == no_leader and day.weekday() == 6:
                        leader = None
                    services.plan_shift(keeper, services.NewShift(office.code, day, kind, officer.username,
                                                                  leader.username if leader else ""), now=planned_at)
                    turn += 1
                day += timedelta(days=1)
        _swaps(offices[0], staff[offices[0]][0], keeper, approver, today, now)
        _logs(offices, now)
    return summary()


def _swaps(office: Office, officers: list[User], keeper: User, approver: User, today: date, now: datetime) -> None:
    """A swap approved (a duty officer's family matter, three days from now) and one waiting
    (a week from now), asked for by those on duty two days ago."""
    asked_at = now - timedelta(days=2)
    for days_ahead, reason, approve in ((3, "家中老人住院，需陪护", True), (7, "参加市里业务培训", False)):
        shift = Shift.objects.filter(office=office, day=today + timedelta(days=days_ahead)).first()
        if shift is None:
            continue
        other = next(o for o in officers if o.pk != shift.officer_id)
        swap = services.request_swap(shift.officer, shift, post="officer", to_user=other.username, reason=reason,
                                     now=asked_at)
        if approve:
            services.approve_swap(approver, swap, note="同意，请做好交接", now=asked_at + timedelta(hours=3))


def _logs(offices: list[Office], now: datetime) -> None:
    """The handover log of yesterday's and today's shifts of the bureau and the first township:
    an open matter handed on, a call, an instruction; one matter of yesterday closed today."""
    texts = [
        ("matter", "复兴街道太和社区滑坡隐患点降雨后裂缝加宽，已通知网格员每两小时巡查，请下一班跟进"),
        ("call", "县气象局来电：今夜至明晨有中到大雨，局地暴雨，请做好防范"),
        ("instruction", "带班领导要求：各乡镇值班人员24小时在岗，重要情况随时报告"),
    ]
    for office in offices[:2]:
        current = Shift.objects.filter(office=office, starts_at__lte=now, ends_at__gt=now).first()
        if current is None:
            continue
        earlier = Shift.objects.filter(office=office, ends_at__lte=current.starts_at).order_by("-ends_at").first()
        if earlier is not None:
            matter = services.write_entry(earlier.officer, earlier, kind="matter", text="县道X203线K12处落石，"
                                          "已设警示并通知交通局清理，待回复", now=earlier.ends_at - timedelta(hours=2))
            services.write_entry(earlier.officer, earlier, kind="call", text="群众来电反映路灯不亮，已登记为事件转城管",
                                 now=earlier.ends_at - timedelta(hours=5))
            services.close_matter(current.officer, matter, now=max(current.starts_at, now - timedelta(minutes=30)))
        written_at = max(current.starts_at + timedelta(minutes=20), now - timedelta(hours=1))
        if written_at > now:
            written_at = now
        for kind, text in texts:
            services.write_entry(current.officer, current, kind=kind, text=text, now=written_at)


def summary() -> dict[str, int]:
    return {
        "offices": Roster.objects.count(),
        "shifts": Shift.objects.count(),
        "swaps": Swap.objects.count(),
        "entries": HandoverEntry.objects.count(),
    }


def run_demo(seed: int = build.DEFAULT_SEED) -> tuple[str, list[str]]:
    """The module's demo (``modules.Module.demo``): the rosters, the incidents and the plans, each
    built once; the lines of its summary."""
    lines = []
    if not Roster.objects.exists():
        counts = build_rosters(seed=seed)
        lines.append(_(
            "Duty rosters (synthetic): %(offices)d offices, %(shifts)d shifts over a month around today, %(swaps)d "
            "swaps, %(entries)d handover log entries. Logins (password %(password)s): supervisor plans the rosters, "
            "leader decides swaps, duty-<township code>-1 is on duty in a township.") % {
                **counts, "password": cat.DEMO_PASSWORD})
    for part in (demo_incidents.run_demo, demo_plans.run_demo):
        _done, more = part(seed)
        lines += more
    return _("duty: a month of rosters, swaps, handover logs; incidents; plans and drills"), lines
