"""Building the demo county 城口县 (500229): the registers, then a year of synthetic cases.

The register builders (``build_regions``, ``build_categories``, ``build_offices``,
``build_rules_and_policies``, ``build_users``) write with the ORM and can be called on their
own, in that order, by anything that needs the same county (tests, benchmarks); each one
leaves rows that already exist alone. ``generate_cases`` plays each case's history through
the service functions of ``anju.cases.services`` at past times, so the timelines, deadlines
and counters are the ones real use would have produced.
"""

import json
import math
import random
import time as clock_time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Point, shape

from anju.cases import services
from anju.cases.choices import Channel, ClockUnit, Kind, Priority, RoutingBasis, Status
from anju.cases.models import Case, Category, DeadlinePolicy, RoutingRule
from anju.demo import catalogue as cat
from anju.disputes.choices import DISPUTE
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.workdays import LOCAL, Calendar
from anju.people.choices import OfficeKind, Role
from anju.people.models import Office, RoleAssignment, User
from anju.petitions.choices import PETITION

DATA_FILE = Path(__file__).parent / "data" / "chengkou.json"
DEFAULT_SEED = 500229

# ---------------------------------------------------------------------------- regions

# Village blocks sit on a lattice of square slots; a slot holds one village's grids, so no
# two villages (of the same township or of neighbouring ones) can overlap. The county seat's
# two streets are under 4 km apart, which is why a plain offset per township is not enough.
SLOT_M = 1800
LATTICE_ORIGIN = (31.9, 108.7)
M_PER_DEG_LAT = 111_320.0
M_PER_DEG_LNG = M_PER_DEG_LAT * math.cos(math.radians(LATTICE_ORIGIN[0]))


def load_division() -> dict:
    """The county's townships and villages (codes and names) from ``data/chengkou.json``."""
    with DATA_FILE.open(encoding="utf-8") as f:
        return json.load(f)


def short_village_name(name: str) -> str:
    """The place name of a village or community without its committee: 土城社区居民委员会 → 土城社区."""
    for suffix in ("居民委员会", "村民委员会"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _lattice_slot(lat: float, lng: float) -> tuple[int, int]:
    return (
        round((lng - LATTICE_ORIGIN[1]) * M_PER_DEG_LNG / SLOT_M),
        round((lat - LATTICE_ORIGIN[0]) * M_PER_DEG_LAT / SLOT_M),
    )


def _slot_centre(slot: tuple[int, int]) -> tuple[float, float]:
    i, j = slot
    return LATTICE_ORIGIN[0] + j * SLOT_M / M_PER_DEG_LAT, LATTICE_ORIGIN[1] + i * SLOT_M / M_PER_DEG_LNG


def _slots_around(centre: tuple[int, int], radius: int = 8) -> list[tuple[int, int]]:
    """Slots around ``centre``, nearest first (ties broken by angle, so the order is fixed)."""
    ci, cj = centre
    slots = [(ci + di, cj + dj) for di in range(-radius, radius + 1) for dj in range(-radius, radius + 1)]
    return sorted(slots, key=lambda s: ((s[0] - ci) ** 2 + (s[1] - cj) ** 2, math.atan2(s[1] - cj, s[0] - ci)))


def _grid_cells(rng: random.Random, lat: float, lng: float, count: int) -> list[dict]:
    """``count`` adjacent rectangles of 300–550 m centred on (lat, lng), as GeoJSON Polygons."""
    width, height = rng.uniform(350, 550), rng.uniform(300, 550)
    cols, rows = {2: (2, 1), 3: (3, 1), 4: (2, 2)}[count]
    # Column and row edges are computed once, so that neighbouring cells share them exactly.
    xs = [round(lng + (c * width - cols * width / 2) / M_PER_DEG_LNG, 6) for c in range(cols + 1)]
    ys = [round(lat + (rows * height / 2 - r * height) / M_PER_DEG_LAT, 6) for r in range(rows + 1)]
    cells = []
    for r in range(rows):
        for c in range(cols):
            west, east, north, south = xs[c], xs[c + 1], ys[r], ys[r + 1]
            ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
            cells.append({"type": "Polygon", "coordinates": [ring]})
    return cells[:count]


def _region(code: str, name: str, level: str, parent: Region | None, **fields) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        region = Region(code=code, name=name, level=level, parent=parent, **fields)
        region.save()
    return region


@transaction.atomic
def build_regions(seed: int = DEFAULT_SEED) -> Region:
    """The region tree: the county, its 25 townships and 204 villages (codes from the data
    file), and 2–4 grids per village with square-ish polygons laid side by side around the
    village point. Deterministic for a seed. Returns the county."""
    rng = random.Random(seed)
    data = load_division()
    townships = data["townships"]
    county = _region(
        data["county"]["code"], data["county"]["name"], Level.COUNTY, None,
        lat=round(sum(t["lat"] for t in townships) / len(townships), 6),
        lng=round(sum(t["lng"] for t in townships) / len(townships), 6),
    )
    taken: set[tuple[int, int]] = set()
    for item in townships:
        township = _region(item["code"], item["name"], Level.TOWNSHIP, county, lat=item["lat"], lng=item["lng"])
        free = (s for s in _slots_around(_lattice_slot(item["lat"], item["lng"])) if s not in taken)
        for village_item in item["villages"]:
            slot = next(free)
            taken.add(slot)
            count = rng.randint(2, 4)
            centre_lat, centre_lng = _slot_centre(slot)
            # A little jitter inside the slot, kept small enough that the block stays inside it.
            centre_lat += rng.uniform(-120, 120) / M_PER_DEG_LAT
            centre_lng += rng.uniform(-60, 60) / M_PER_DEG_LNG
            name = short_village_name(village_item["name"])
            village = _region(
                village_item["code"], name, Level.VILLAGE, township, lat=round(centre_lat, 6), lng=round(centre_lng, 6)
            )
            for number, boundary in enumerate(_grid_cells(rng, centre_lat, centre_lng, count), start=1):
                ring = boundary["coordinates"][0]
                _region(
                    f"{village.code}{number:03d}", f"{name}第{number}网格", Level.GRID, village, boundary=boundary,
                    lat=round((ring[0][1] + ring[2][1]) / 2, 6), lng=round((ring[0][0] + ring[1][0]) / 2, 6),
                )
    return county


def random_point_in_grid(rng: random.Random, grid_region: Region) -> tuple[float, float]:
    """A random (lat, lng) strictly inside the grid's polygon, away from its edges, so that
    the grid lookup finds this grid and no neighbour."""
    polygon = shape(grid_region.boundary)
    minx, miny, maxx, maxy = polygon.bounds
    margin_x, margin_y = (maxx - minx) * 0.04, (maxy - miny) * 0.04
    for _attempt in range(200):
        lng = round(rng.uniform(minx + margin_x, maxx - margin_x), 6)
        lat = round(rng.uniform(miny + margin_y, maxy - margin_y), 6)
        point = Point(lng, lat)
        if polygon.contains(point) and polygon.exterior.distance(point) > 2e-5:
            return lat, lng
    inside = polygon.representative_point()
    return round(inside.y, 6), round(inside.x, 6)


# ---------------------------------------------------------------------------- categories


def _category_defaults() -> dict[str, str]:
    kinds = {}
    for code, _name, kind, children in cat.CATEGORIES:
        kinds[code] = kind
        for child in children:
            kinds[child[0]] = child[2]
    return kinds


CATEGORY_KINDS = _category_defaults()


@transaction.atomic
def build_categories() -> dict[str, Category]:
    """The category tree (two levels) with default kinds; 信访 categories are not offered
    on the public form. Returns the categories by code."""
    result = {}
    for code, name, kind, children in cat.CATEGORIES:
        top = Category.objects.filter(code=code).first()
        if top is None:
            top = Category(code=code, name=name, default_kind=kind, is_public=code not in cat.NOT_PUBLIC)
            top.save()
        result[code] = top
        for child_code, child_name, child_kind, *_weights in children:
            child = Category.objects.filter(code=child_code).first()
            if child is None:
                child = Category(
                    code=child_code, name=child_name, parent=top, default_kind=child_kind,
                    is_public=code not in cat.NOT_PUBLIC,
                    public_location=cat.PUBLIC_LOCATION.get(child_code, "hidden"),
                )
                child.save()
            result[child_code] = child
    return result


# ---------------------------------------------------------------------------- offices


def township_office_code(township_code: str) -> str:
    return f"{township_code}-office"


def mediation_office_code(township_code: str) -> str:
    return f"{township_code}-tjw"


def department_code(suffix: str) -> str:
    return f"{cat.COUNTY_CODE}-{suffix}"


def _office(code: str, name: str, kind: str, jurisdiction: Region) -> Office:
    office, _created = Office.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "jurisdiction": jurisdiction}
    )
    return office


@transaction.atomic
def build_offices() -> dict[str, Office]:
    """The county centre (综治中心), the county departments with the categories they answer
    for, the county and city governments (who review and re-examine petitions), one office per
    township (街道办事处 / 乡镇人民政府) and a few people's mediation committees (of townships,
    and of one community). Call after ``build_regions`` and ``build_categories``. Returns
    offices by code."""
    county = Region.objects.get(code=cat.COUNTY_CODE)
    categories = {c.code: c for c in Category.objects.all()}
    offices = {}
    offices[cat.CENTRE[0]] = _office(cat.CENTRE[0], cat.CENTRE[1], OfficeKind.CENTRE, county)
    for suffix, name, category_codes in cat.DEPARTMENTS:
        office = _office(department_code(suffix), name, OfficeKind.DEPARTMENT, county)
        office.categories.add(*[categories[c] for c in category_codes if c in categories])
        offices[office.code] = office
    # The bodies that review and re-examine petitions; the city's has no region of its own in
    # the demo, so it reaches the county.
    for suffix, name in (cat.COUNTY_GOVERNMENT, cat.CITY_GOVERNMENT):
        office = _office(department_code(suffix), name, OfficeKind.DEPARTMENT, county)
        offices[office.code] = office
    for township in Region.objects.filter(level=Level.TOWNSHIP, parent=county):
        suffix = "办事处" if township.name.endswith("街道") else "人民政府"
        office = _office(township_office_code(township.code), township.name + suffix, OfficeKind.TOWNSHIP, township)
        offices[office.code] = office
        if township.code in cat.MEDIATION_TOWNSHIPS:
            office = _office(
                mediation_office_code(township.code), township.name + "人民调解委员会", OfficeKind.MEDIATION, township
            )
            if "dispute" in categories:
                office.categories.add(categories["dispute"])
            offices[office.code] = office
    for village in Region.objects.filter(level=Level.VILLAGE, code__in=cat.VILLAGE_MEDIATION):
        office = _office(mediation_office_code(village.code), village.name + "人民调解委员会", OfficeKind.MEDIATION,
                         village)
        offices[office.code] = office
    return offices


# ---------------------------------------------------------------------------- rules and policies


def _rule(category: Category | None, region: Region, office: Office, basis: str) -> None:
    RoutingRule.objects.get_or_create(category=category, region=region, defaults={"office": office, "basis": basis})


@transaction.atomic
def build_rules_and_policies() -> None:
    """Routing rules and deadline policies. Every township routes its cases to its own office
    (属地); the departments take their sectors county-wide (行业); in the county seat a few
    urban categories go to the city management bureau, and in townships with a mediation
    committee disputes go to it. Call after ``build_offices``."""
    county = Region.objects.get(code=cat.COUNTY_CODE)
    categories = {c.code: c for c in Category.objects.all()}
    offices = {o.code: o for o in Office.objects.all()}
    for township in Region.objects.filter(level=Level.TOWNSHIP, parent=county):
        _rule(None, township, offices[township_office_code(township.code)], RoutingBasis.TERRITORIAL)
        if township.code in cat.MEDIATION_TOWNSHIPS:
            _rule(categories["dispute"], township, offices[mediation_office_code(township.code)],
                  RoutingBasis.TERRITORIAL)
        if township.code in cat.COUNTY_SEAT:
            for category_code, suffix in cat.COUNTY_SEAT_RULES:
                _rule(categories[category_code], township, offices[department_code(suffix)], RoutingBasis.SECTOR)
    for category_code, suffix in cat.SECTOR_RULES:
        _rule(categories[category_code], county, offices[department_code(suffix)], RoutingBasis.SECTOR)

    for name, kind, category_code, priority, accept, handle, reply, warn, escalate in cat.DEADLINE_POLICIES:
        DeadlinePolicy.objects.get_or_create(
            kind=kind, category=categories[category_code] if category_code else None, priority=priority,
            defaults={
                "name": name, "accept_amount": accept[0], "accept_unit": accept[1], "handle_amount": handle[0],
                "handle_unit": handle[1], "reply_amount": reply[0], "reply_unit": reply[1],
                "warn_before_hours": warn, "escalate_after_hours": escalate,
            },
        )


# ---------------------------------------------------------------------------- users


def random_person_name(rng: random.Random) -> str:
    """A common Chinese surname and given name."""
    return rng.choice(cat.SURNAMES) + rng.choice(cat.GIVEN_NAMES)


def fake_phone(rng: random.Random) -> str:
    """An obviously fake mobile number (1990000xxxx)."""
    return cat.FAKE_PHONE_PREFIX + f"{rng.randrange(10_000):04d}"


def _scope(key: str) -> tuple[Region | None, Office | None]:
    if key == "all":
        return None, None
    if key == "county":
        return Region.objects.get(code=cat.COUNTY_CODE), None
    what, code = key.split(":", 1)
    if what == "office":
        return None, Office.objects.get(code=code)
    return Region.objects.get(code=code), None


@transaction.atomic
def build_users(seed: int = DEFAULT_SEED) -> list[User]:
    """The seven demo accounts and the extra staff the history needs: more dispatchers at the
    county centre, one handler per office that can receive cases, one grid worker per
    township, the petition office's clerk and two more county leaders. Every password is
    ``demo`` (hashed once: hashing 80 passwords one by one would take half a minute). Call
    after ``build_offices``. Returns the seven demo accounts."""
    rng = random.Random(seed + 1)
    password = make_password(cat.DEMO_PASSWORD)
    centre = Office.objects.get(code=cat.CENTRE[0])
    county = Region.objects.get(code=cat.COUNTY_CODE)

    def user(username, display_name, office=None, *roles, superuser=False):
        account, created = User.objects.get_or_create(
            username=username,
            defaults={"display_name": display_name, "office": office, "password": password,
                      "is_staff": superuser, "is_superuser": superuser},
        )
        for role, region, role_office in roles:
            RoleAssignment.objects.get_or_create(user=account, role=role, region=region, office=role_office)
        return account

    demo = []
    for username, display_name, role, scope in cat.DEMO_ACCOUNTS:
        region, office = _scope(scope)
        home = centre if role == Role.DISPATCHER else office
        demo.append(user(username, display_name, home, (role, region, office), superuser=role == Role.ADMIN))

    for number in range(2, 2 + cat.EXTRA_DISPATCHERS):
        user(f"dispatcher-{number}", random_person_name(rng), centre, (Role.DISPATCHER, county, None))
    receiving = Office.objects.exclude(kind=OfficeKind.CENTRE).order_by("code")
    taken = {r.office_id for r in RoleAssignment.objects.filter(role=Role.HANDLER, office__isnull=False)}
    for office in receiving:
        if office.pk in taken:
            continue
        suffix = office.code.removeprefix(f"{cat.COUNTY_CODE}-").removesuffix("-office")
        user(f"handler-{suffix}", random_person_name(rng), office, (Role.HANDLER, None, office))
    for township in Region.objects.filter(level=Level.TOWNSHIP, parent=county).order_by("code"):
        user(f"grid-{township.code}", random_person_name(rng), None, (Role.GRID_WORKER, township, None))
    # The petition office's clerk registers and routes petitions county-wide; two more county
    # leaders take turns with the demo leader on reception days.
    petition_office = Office.objects.get(code=department_code("xfb"))
    user(cat.PETITION_CLERK[0], cat.PETITION_CLERK[1], petition_office, (Role.DISPATCHER, county, None))
    for username, display_name in cat.EXTRA_LEADERS:
        user(username, display_name, None, (Role.LEADER, county, None))
    return demo


def account_rows() -> list[tuple[str, str, str, str]]:
    """(username, password, role, scope) of the demo accounts, in Chinese and English."""
    rows = []
    for username, _display, role, scope in cat.DEMO_ACCOUNTS:
        zh, en = cat.ACCOUNT_LABELS.get(username) or cat.ROLE_LABELS[role]
        if scope == "all":
            where = "全部 / everything"
        elif scope == "county":
            where = "城口县全县 / all of Chengkou county"
        else:
            what, code = scope.split(":", 1)
            if what == "office":
                office = Office.objects.filter(code=code).first()
                where = f"{office.name if office else code} / cases owned by this office"
            else:
                region = Region.objects.filter(code=code).select_related("parent").first()
                name = f"{region.parent.name}{region.name}" if region and region.parent else code
                where = f"{name} ({code}) / cases located in this community"
        rows.append((username, cat.DEMO_PASSWORD, f"{zh} / {en}", where))
    return rows


# ---------------------------------------------------------------------------- texts


class _Slots(dict):
    """Fills a template's {slots}, drawing each one once from catalogue.SLOTS."""

    def __init__(self, rng: random.Random, **fixed):
        super().__init__(**fixed)
        self.rng = rng

    def __missing__(self, key):
        value = self.rng.choice(cat.SLOTS[key])
        self[key] = value
        return value


def _texts_for(category_code: str) -> list[str]:
    if category_code in cat.TEXTS:
        return cat.TEXTS[category_code]
    children = [t for code, texts in cat.TEXTS.items() if code.startswith(category_code + ".") for t in texts]
    return children or ["{loc}有个问题想反映一下，{when}一直没有解决。"]


def _compose(rng: random.Random, category_code: str, village_name: str, township_name: str,
             patrol: bool = False) -> tuple[str, str, int]:
    """(text, address, which template) of a concern in this category, at a spot in the village.
    ``patrol``: a grid worker's report, so no text told in a resident's first person."""
    spots = cat.URBAN_SPOTS if village_name.endswith("社区") else cat.RURAL_SPOTS
    spot = rng.choice(spots)
    address = f"{township_name}{village_name}{spot}"
    templates = _texts_for(category_code)
    choices = range(len(templates))
    if patrol:
        choices = [i for i in choices if "我" not in templates[i]] or choices
    template = rng.choice(choices)
    text = templates[template]
    openers = cat.PATROL_OPENERS if patrol else cat.OPENERS
    if not text.startswith("{loc}") or text.startswith("{loc}我"):
        # Only a text that starts with the place may follow an opener naming the village.
        openers = [o for o in openers if "{village}" not in o]
    opener = rng.choice(openers)
    if "{village}" in opener:
        # The opener already says where the reporter lives: the body only needs the spot.
        loc = spot
    else:
        loc = (township_name if rng.random() < 0.5 else "") + village_name + spot
    slots = _Slots(rng, loc=loc, village=village_name, township=township_name)
    body = text.format_map(slots)
    opener = opener.format_map(slots)
    closers = (cat.CLOSERS.get(category_code.split(".")[0])
               or cat.CLOSERS.get(CATEGORY_KINDS.get(category_code, "complaint")))
    closer = rng.choice(closers or [""])
    if any(word in body[-14:] for word in ("请", "希望", "？", "吗")):
        closer = ""
    return opener + body + closer, address, template


def synthetic_text(rng: random.Random, category_code: str, village_name: str, township_name: str) -> str:
    """A resident's concern in natural Chinese for this category and place, varied by ``rng``:
    葛城街道土城社区滨河路口有一处路面塌陷，坑大约两米左右宽，……希望尽快处理。"""
    return _compose(rng, category_code, village_name, township_name)[0]


def synthetic_reply(rng: random.Random, category_code: str, anonymous: bool = False, template: int | None = None,
                    again: bool = False, grid_worker: bool = False) -> str:
    """The office's reply when it resolves a case of this category; with ``template`` (the
    index of the text the case was written from) the reply answers that very concern.
    ``anonymous`` and ``grid_worker`` (found on patrol) say there is no resident to call."""
    actions = cat.REPLIES.get(category_code) or ["已按职责进行处理"]
    action = actions[template] if template is not None and template < len(actions) else rng.choice(actions)
    if again:
        openers = cat.REPLY_OPENERS_AGAIN
    elif CATEGORY_KINDS.get(category_code) == Kind.CONSULTATION:
        openers = cat.REPLY_OPENERS_CONSULTATION
    elif anonymous or grid_worker:
        openers = cat.REPLY_OPENERS_NO_REPORTER
    else:
        openers = cat.REPLY_OPENERS
    # An opener ("经现场核实，") leads into what was done ("已…"), not into a sentence that
    # has its own subject or its own "经…".
    opener = rng.choice(openers) if action.startswith("已") else ""
    if grid_worker:
        closer = rng.choice(cat.REPLY_CLOSER_GRID_WORKER)
    elif anonymous:
        closer = cat.REPLY_CLOSER_ANONYMOUS
    else:
        closer = rng.choice([c for c in cat.REPLY_CLOSERS if "巡查" not in c or "巡查" not in action])
    return f"{opener}{action}。{closer}"


# ---------------------------------------------------------------------------- working time

DAY_START, DAY_END = time(8, 30), time(18, 0)
WORKING_MINUTES_PER_DAY = 570


class WorkClock:
    """Office hours (8:30–18:00 on Chinese working days) for playing history realistically."""

    def __init__(self):
        self.calendar = Calendar()
        self._workdays: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        if day not in self._workdays:
            self._workdays[day] = self.calendar.is_workday(day)[0]
        return self._workdays[day]

    def next_open(self, moment: datetime) -> datetime:
        """``moment`` if the office is open then, otherwise when it next opens."""
        moment = moment.astimezone(LOCAL)
        day = moment.date()
        for _ in range(60):
            if self.is_workday(day):
                start = datetime.combine(day, DAY_START, tzinfo=LOCAL)
                if moment < start:
                    return start
                if moment < datetime.combine(day, DAY_END, tzinfo=LOCAL):
                    return moment
            day += timedelta(days=1)
            moment = datetime.combine(day, DAY_START, tzinfo=LOCAL)
        return moment

    def after(self, moment: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` of office time after ``moment``."""
        moment = self.next_open(moment)
        remaining = minutes
        while True:
            closing = datetime.combine(moment.date(), DAY_END, tzinfo=LOCAL)
            available = (closing - moment).total_seconds() / 60
            if remaining <= available:
                return moment + timedelta(minutes=remaining)
            remaining -= available
            moment = self.next_open(closing + timedelta(seconds=1))


# ---------------------------------------------------------------------------- case generation


class _Stop(Exception):
    """The next step of a case's history would lie in the future: its history ends here."""


class _Timeline:
    """Hands out strictly increasing moments for one case, stopping before ``cutoff``."""

    def __init__(self, cutoff: datetime):
        self.cutoff = cutoff
        self.last: datetime | None = None

    def at(self, moment: datetime) -> datetime:
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(minutes=1)
        if moment >= self.cutoff:
            raise _Stop
        self.last = moment
        return moment


@dataclass
class _Plan:
    submitted_at: datetime
    township: Region
    village: Region
    grid: Region
    category: str
    kind: str
    channel: str
    priority: str
    reporter_name: str = ""
    reporter_phone: str = ""
    confidential: bool = False
    about_office_code: str = ""
    fates: set = field(default_factory=set)
    template: int | None = None


@dataclass
class _Staff:
    dispatchers: list
    supervisors: list
    leaders: list
    handlers: dict  # office id → user
    grid_workers: dict  # township code → user
    village_grid_workers: dict  # village code → user


def _load_staff() -> _Staff:
    staff = _Staff([], [], [], {}, {}, {})
    assignments = RoleAssignment.objects.select_related("user", "region", "office").order_by("user__username")
    for assignment in assignments:
        user = assignment.user
        if assignment.role == Role.DISPATCHER and assignment.region_id:
            # The petition office's clerk registers petitions only (``anju.demo.petitions``).
            if user.username != cat.PETITION_CLERK[0]:
                staff.dispatchers.append(user)
        elif assignment.role == Role.SUPERVISOR and assignment.region_id:
            staff.supervisors.append(user)
        elif assignment.role == Role.LEADER and assignment.region_id:
            staff.leaders.append(user)
        elif assignment.role == Role.HANDLER and assignment.office_id:
            staff.handlers.setdefault(assignment.office_id, user)
        elif assignment.role == Role.GRID_WORKER and assignment.region_id:
            if assignment.region.level == Level.TOWNSHIP:
                staff.grid_workers.setdefault(assignment.region.code, user)
            elif assignment.region.level == Level.VILLAGE:
                staff.village_grid_workers.setdefault(assignment.region.code, user)
    # The main demo dispatcher takes most calls.
    staff.dispatchers.sort(key=lambda u: u.username != "dispatcher")
    return staff


CHANNEL_WEIGHTS = {
    Channel.HOTLINE: 45, Channel.GRID_WORKER: 18, Channel.APP: 12, Channel.WEB: 10, Channel.WALK_IN: 10,
    Channel.LETTER: 3, Channel.API: 2,
}


def township_weight(township: Region, villages: int) -> float:
    """How many cases a township sends, relative to the others: the county seat busiest,
    towns busier than rural townships, more villages more cases."""
    if township.code == cat.COUNTY_SEAT[0]:
        return villages * 5.0
    if township.code in cat.COUNTY_SEAT:
        return villages * 3.0
    return villages * (1.2 if township.name.endswith("镇") else 0.8)


def build_registers(seed: int = DEFAULT_SEED) -> None:
    """Everything of the demo county but its cases: regions and grids, categories, offices,
    routing rules and deadline policies, users. One transaction."""
    with transaction.atomic():
        build_regions(seed)
        build_categories()
        build_offices()
        build_rules_and_policies()
        build_users(seed)


class _Generator:
    """Plans cases and plays their histories. One instance per ``generate_cases`` call."""

    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now
        self.cutoff = now - timedelta(minutes=5)
        self.clock = WorkClock()
        self.staff = _load_staff()
        if not self.staff.dispatchers or not self.staff.handlers:
            raise RuntimeError("build_users() first: no dispatcher or handler found")
        self.categories = {c.code: c for c in Category.objects.all()}
        self.offices = {o.code: o for o in Office.objects.all()}
        self.offices_by_id = {o.pk: o for o in self.offices.values()}
        # Departments that answer for a category (directly or through its parent).
        self.departments_for: dict[str, list[Office]] = {}
        for office in Office.objects.filter(kind=OfficeKind.DEPARTMENT).prefetch_related("categories"):
            for category in office.categories.all():
                self.departments_for.setdefault(category.code, []).append(office)
        county = Region.objects.get(code=cat.COUNTY_CODE)
        self.townships = list(Region.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code"))
        villages = list(Region.objects.filter(level=Level.VILLAGE, path__startswith=county.path).order_by("code"))
        grids = list(Region.objects.filter(level=Level.GRID, path__startswith=county.path).order_by("code"))
        self.villages_of: dict[int, list[Region]] = {}
        for village in villages:
            self.villages_of.setdefault(village.parent_id, []).append(village)
        self.grids_of: dict[int, list[Region]] = {}
        for grid in grids:
            self.grids_of.setdefault(grid.parent_id, []).append(grid)
        self.township_weights = [township_weight(t, len(self.villages_of.get(t.pk, []))) for t in self.townships]
        self._category_tables: dict[tuple[bool, int], tuple[list[str], list[float]]] = {}
        self.stats: Counter = Counter()
        # Imported here: the disputes and petitions players use this module's helpers.
        from anju.demo.disputes import Mediation
        from anju.demo.petitions import PetitionOffice

        self.mediation = Mediation(self)
        self.petitions = PetitionOffice(self)

    # ------------------------------------------------------------------ planning

    def _category_table(self, urban: bool, month: int) -> tuple[list[str], list[float]]:
        key = (urban, month)
        if key not in self._category_tables:
            codes, weights = [], []
            for _code, _name, _kind, children in cat.CATEGORIES:
                for code, _child_name, _child_kind, w_urban, w_rural, season in children:
                    weight = w_urban if urban else w_rural
                    if season and month in season[0]:
                        weight *= season[1]
                    if weight > 0 and code in self.categories:
                        codes.append(code)
                        weights.append(weight)
            self._category_tables[key] = (codes, weights)
        return self._category_tables[key]

    def _submission_time(self, channel: str) -> datetime:
        rng = self.rng
        office_only = channel in (Channel.WALK_IN, Channel.LETTER, Channel.GRID_WORKER)
        for _attempt in range(50):
            # Slightly more cases recently, as a new system gets known.
            days_ago = 365 * rng.random() ** 1.15
            day = (self.now - timedelta(days=days_ago)).astimezone(LOCAL).date()
            workday = self.clock.is_workday(day)
            if office_only and not workday and rng.random() < 0.85:
                continue
            if not workday and rng.random() < 0.35:
                continue
            if office_only:
                minute = rng.uniform(8 * 60 + 40, 17 * 60 + 40)
            elif channel == Channel.HOTLINE:
                hour = rng.choices(range(7, 23), weights=[1, 3, 6, 7, 7, 5, 3, 5, 6, 6, 5, 4, 3, 3, 2, 1])[0]
                minute = hour * 60 + rng.uniform(0, 60)
            else:
                minute = rng.uniform(6 * 60, 23 * 60 + 50)
            moment = datetime.combine(day, time(0), tzinfo=LOCAL) + timedelta(minutes=minute)
            if moment < self.cutoff - timedelta(minutes=30):
                return moment
        return self.cutoff - timedelta(hours=rng.uniform(1, 48))

    def plan(self) -> _Plan:
        rng = self.rng
        township = rng.choices(self.townships, weights=self.township_weights)[0]
        villages = self.villages_of[township.pk]
        village = rng.choices(villages, weights=[1.5 if v.name.endswith("社区") else 1.0 for v in villages])[0]
        grid = rng.choice(self.grids_of[village.pk])
        channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
        submitted_at = self._submission_time(channel)
        codes, weights = self._category_table(village.name.endswith("社区"), submitted_at.astimezone(LOCAL).month)
        category = rng.choices(codes, weights=weights)[0]
        kind = CATEGORY_KINDS[category]
        if kind == PETITION and channel not in (Channel.LETTER, Channel.WALK_IN, Channel.HOTLINE):
            # Petitions come by letter or in person (信访), during office hours.
            channel = rng.choice([Channel.LETTER, Channel.WALK_IN])
            submitted_at = self._submission_time(channel)
        plan = _Plan(submitted_at, township, village, grid, category, kind, channel, self._priority(category, kind))
        anonymous = channel == Channel.GRID_WORKER or (kind != PETITION and rng.random() < 0.15)
        if not anonymous:
            plan.reporter_name = random_person_name(rng)
            plan.reporter_phone = fake_phone(rng) if rng.random() < 0.95 else ""
            if category in cat.ABOUT_TOWNSHIP_OFFICE:
                plan.confidential = True
                plan.about_office_code = township_office_code(township.code)
            elif kind in (Kind.COMPLAINT, Kind.REPORT) and rng.random() < 0.04:
                plan.confidential = True
        plan.fates = self._fates(plan)
        return plan

    def _priority(self, category: str, kind: str) -> str:
        roll = self.rng.random()
        if category == "safety.geohazard":
            return Priority.EMERGENCY if roll < 0.08 else Priority.URGENT if roll < 0.35 else Priority.NORMAL
        if category.startswith("safety."):
            return Priority.EMERGENCY if roll < 0.04 else Priority.URGENT if roll < 0.22 else Priority.NORMAL
        if kind in (PETITION, Kind.CONSULTATION, Kind.SUGGESTION):
            return Priority.NORMAL
        return Priority.EMERGENCY if roll < 0.004 else Priority.URGENT if roll < 0.04 else Priority.NORMAL

    def _fates(self, plan: _Plan) -> set:
        """What will happen to the case besides the main path (independent rolls)."""
        rng = self.rng
        fates = set()
        rolls = [
            ("reject", 0.045 if plan.channel not in (Channel.GRID_WORKER, Channel.LETTER) else 0.01),
            ("late_accept", 0.03),
            ("never_accepted", 0.001),
            ("return", 0.04),
            ("stall_start", 0.012),
            ("transfer", 0.03),
            ("wait", 0.06),
            ("supervise", 0.05),
            ("leader", 0.008),
            ("late", 0.07),
            ("stall_resolve", 0.022),
            ("no_follow_up", 0.02),
            ("late_follow_up", 0.03),
            ("reporter_reopen", 0.01 if plan.reporter_phone else 0),
        ]
        for name, chance in rolls:
            if rng.random() < chance:
                fates.add(name)
        return fates

    # ------------------------------------------------------------------ helpers

    def dispatcher(self) -> User:
        dispatchers = self.staff.dispatchers
        return dispatchers[0] if self.rng.random() < 0.55 else self.rng.choice(dispatchers)

    def handler(self, case: Case) -> User:
        user = self.staff.handlers.get(case.office_id)
        if user is None:
            raise RuntimeError(f"no handler for office {case.office_id}; build_users() creates one per office")
        return user

    def creator(self, plan: _Plan) -> User:
        if plan.channel == Channel.GRID_WORKER:
            worker = self.staff.village_grid_workers.get(plan.village.code) or self.staff.grid_workers.get(
                plan.township.code
            )
            if worker is not None:
                return worker
        return self.dispatcher()

    def follower(self, plan: _Plan) -> User:
        """Who makes the follow-up visit or call (回访)."""
        worker = self.staff.village_grid_workers.get(plan.village.code) or self.staff.grid_workers.get(
            plan.township.code
        )
        if worker is not None and (not plan.reporter_phone or self.rng.random() < 0.3):
            return worker
        return self.dispatcher()

    def supervisor(self) -> User:
        return self.rng.choice(self.staff.supervisors) if self.staff.supervisors else self.staff.dispatchers[0]

    def alternative_office(self, case: Case, plan: _Plan) -> Office | None:
        """Where a wrongly dispatched case should have gone: a department for a township's
        case, the township for a department's."""
        office = self.offices_by_id.get(case.office_id)
        if office is None:
            return None
        if office.kind in (OfficeKind.TOWNSHIP, OfficeKind.MEDIATION):
            parent = plan.category.split(".")[0]
            options = self.departments_for.get(plan.category, []) + self.departments_for.get(parent, [])
            options = [o for o in options if o.pk != office.pk and o.pk in self.staff.handlers]
            return self.rng.choice(options) if options else None
        township_office = self.offices.get(township_office_code(plan.township.code))
        return township_office if township_office and township_office.pk != office.pk else None

    def after(self, moment: datetime, minutes: float, fast: bool) -> datetime:
        """``minutes`` later: of office time, or of clock time for urgent matters."""
        if fast:
            return moment + timedelta(minutes=minutes)
        return self.clock.after(moment, minutes)

    def satisfaction(self, plan: _Plan, late: bool) -> int:
        weights = [3, 4, 10, 28, 55]
        if late:
            weights = [8, 10, 20, 32, 30]
        elif plan.kind == Kind.CONSULTATION:
            weights = [1, 2, 7, 30, 60]
        return self.rng.choices([1, 2, 3, 4, 5], weights=weights)[0]

    def _handle_time(self, plan: _Plan, start: datetime) -> datetime:
        """When the office would finish, on its ordinary pace."""
        rng = self.rng
        if plan.priority == Priority.EMERGENCY:
            return start + timedelta(hours=rng.uniform(1, 16))
        if plan.priority == Priority.URGENT or plan.category == "safety.geohazard":
            return start + timedelta(hours=rng.uniform(3, 40))
        if plan.kind == PETITION:
            return self.clock.next_open(start + timedelta(days=rng.uniform(7, 50)))
        if plan.kind == Kind.CONSULTATION:
            return self.clock.after(start, rng.uniform(30, 2.5 * WORKING_MINUTES_PER_DAY))
        days = rng.triangular(0.2, 13, 3.5)
        return self.clock.after(start, days * WORKING_MINUTES_PER_DAY)

    def _planned_resolve(self, plan: _Plan, case: Case, start: datetime) -> datetime:
        due = case.handle_due_at
        resolve = self._handle_time(plan, start)
        if "late" in plan.fates:
            if plan.priority != Priority.NORMAL or plan.category == "safety.geohazard":
                resolve = due + timedelta(hours=self.rng.uniform(2, 48))
            else:
                resolve = self.clock.after(due, self.rng.uniform(0.3, 8) * WORKING_MINUTES_PER_DAY)
        elif resolve > due:
            resolve = max(start + timedelta(minutes=30), due - timedelta(minutes=self.rng.uniform(60, 600)))
        if "stall_resolve" in plan.fates:
            resolve += timedelta(days=self.rng.uniform(40, 300))
        return resolve

    # ------------------------------------------------------------------ playing

    def create(self, plan: _Plan, moment: datetime, actor: User | None = None) -> Case:
        text, address, plan.template = _compose(
            self.rng, plan.category, plan.village.name, plan.township.name, patrol=plan.channel == Channel.GRID_WORKER
        )
        lat, lng = random_point_in_grid(self.rng, plan.grid)
        data = services.NewCase(
            kind=plan.kind, category_code=plan.category, text=text, channel=plan.channel, priority=plan.priority,
            lat=lat, lng=lng, address=address, reporter_name=plan.reporter_name,
            reporter_phone=plan.reporter_phone, confidential=plan.confidential,
            about_office_code=plan.about_office_code,
        )
        case, _created = services.create_case(actor or self.creator(plan), data, now=moment, synthetic=True)
        self.stats["created"] += 1
        return case

    def play(self, plan: _Plan, spawn_duplicate: bool = False) -> None:
        """Create the case and play its history until it ends or reaches the present; a
        petition is registered and played by the petition office (``anju.demo.petitions``)."""
        if plan.kind == PETITION:
            self.petitions.play(plan)
            return
        line = _Timeline(self.cutoff)
        case = self.create(plan, line.at(plan.submitted_at))
        try:
            self._play(plan, case, line, spawn_duplicate)
        except _Stop:
            pass

    def _play(self, plan: _Plan, case: Case, line: _Timeline, spawn_duplicate: bool) -> None:
        rng, fates = self.rng, plan.fates
        fast = plan.priority != Priority.NORMAL or plan.category == "safety.geohazard"
        dispatcher = self.dispatcher()
        t = plan.submitted_at

        # Accept (受理) or reject (不予受理).
        t = self.after(t, rng.uniform(5, 50) if fast else rng.uniform(10, 150), fast)
        if "late_accept" in fates and not fast:
            t = self.clock.after(t, rng.uniform(1.0, 3.0) * WORKING_MINUTES_PER_DAY)
        if "never_accepted" in fates:
            t += timedelta(days=400)
        if "reject" in fates:
            services.reject_case(dispatcher, case, reply=rng.choice(cat.REJECT_REASONS), now=line.at(t))
            self.stats["rejected"] += 1
            return
        case = services.accept_case(dispatcher, case, now=line.at(t))

        # Dispatch (派单) by the routing rules.
        t = self.after(t, rng.uniform(3, 60), fast)
        case = services.dispatch_case(dispatcher, case, note=rng.choice(cat.DISPATCH_NOTES), now=line.at(t))

        if "return" in fates and (other := self.alternative_office(case, plan)) is not None:
            # The office sends a wrong dispatch back (退单); the centre sends it on.
            t = self.after(t, rng.uniform(30, 500), fast)
            key = "to_department" if other.kind == OfficeKind.DEPARTMENT else "to_township"
            reason = cat.RETURN_REASONS[key].format(office=other.name)
            case = services.return_case(self.handler(case), case, reason=reason, now=line.at(t))
            t = self.after(t, rng.uniform(15, 180), fast)
            case = services.dispatch_case(dispatcher, case, office_code=other.code, now=line.at(t))
            self.stats["returned"] += 1

        # Start (签收办理).
        t = self.after(t, rng.uniform(10, 60) if fast else rng.uniform(20, 570), fast)
        if "stall_start" in fates:
            t += timedelta(days=rng.uniform(45, 300))
        dispute = plan.kind == DISPUTE
        if dispute:
            # A dispute is taken up by the mediating organisation, which records the parties.
            case = self.mediation.take_up(plan, case, line, t)
            t = line.last
        else:
            case = services.start_case(self.handler(case), case, note=rng.choice(cat.START_NOTES), now=line.at(t))

        if "transfer" in fates and (other := self.alternative_office(case, plan)) is not None and dispute:
            # 三调联动: passed to another mediation organisation, which accepts it.
            case = self.mediation.transfer(case, other, line, self.after(t, rng.uniform(60, 900), fast))
            t = line.last
            self.stats["transferred"] += 1
        elif "transfer" in fates and other is not None:
            t = self.after(t, rng.uniform(60, 900), fast)
            note = rng.choice(cat.TRANSFER_NOTES).format(office=other.name)
            case = services.transfer_case(dispatcher, case, office_code=other.code, note=note, now=line.at(t))
            t = self.after(t, rng.uniform(15, 240), fast)
            case = services.start_case(self.handler(case), case, now=line.at(t))
            self.stats["transferred"] += 1

        resolve_at = self._planned_resolve(plan, case, t)

        if "wait" in fates and not fast:
            # Ask the reporter for more (the clock stops), resume when they answer.
            t = self.clock.after(t, rng.uniform(30, 900))
            questions = cat.WAIT_QUESTIONS.get(plan.category.split(".")[0], cat.WAIT_QUESTIONS["default"])
            case = services.wait_for_reporter(self.handler(case), case, question=rng.choice(questions),
                                              now=line.at(t))
            paused_from = t
            t = self.clock.next_open(t + timedelta(days=rng.uniform(0.5, 7)))
            case = services.resume_case(self.handler(case), case, note=rng.choice(cat.RESUME_NOTES), now=line.at(t))
            resolve_at = max(resolve_at, t) + (t - paused_from)
            self.stats["waited"] += 1

        if spawn_duplicate:
            # Someone else reports the same thing; the centre merges it into this case.
            duplicate_at = t + timedelta(hours=rng.uniform(1, 30))
            duplicate_plan = _Plan(
                duplicate_at, plan.township, plan.village, plan.grid, plan.category, plan.kind,
                rng.choice([Channel.HOTLINE, Channel.APP, Channel.WEB]), plan.priority,
                reporter_name=random_person_name(rng), reporter_phone=fake_phone(rng),
            )
            duplicate = self.create(duplicate_plan, line.at(duplicate_at), actor=dispatcher)
            t = self.after(duplicate_at, rng.uniform(10, 120), fast)
            note = rng.choice(cat.MERGE_NOTES).format(code=case.tracking_code)
            services.merge_case(dispatcher, duplicate, into=case, note=note, now=line.at(t))
            resolve_at = max(resolve_at, t + timedelta(hours=2))
            self.stats["merged"] += 1

        if "supervise" in fates or "leader" in fates:
            moment = t + (resolve_at - t) * rng.uniform(0.3, 0.8)
            if self.clock.next_open(moment) < resolve_at:
                moment = self.clock.next_open(moment)
            if "leader" in fates and self.staff.leaders:
                actor, level, note = rng.choice(self.staff.leaders), 3, rng.choice(cat.LEADER_NOTES)
            else:
                actor, level, note = self.supervisor(), rng.choice([1, 1, 2]), rng.choice(cat.SUPERVISE_NOTES)
            services.supervise_case(actor, case, level=level, note=note, now=line.at(moment))
            t = moment
            self.stats["supervised"] += 1

        due = case.handle_due_at
        if (
            "late" in fates and "stall_resolve" not in fates and due is not None and rng.random() < 0.55
            and resolve_at > due > t
        ):
            t = self._extension(plan, case, line, t, due, resolve_at)
            if t > resolve_at:
                resolve_at = t + timedelta(hours=1)

        if dispute:
            # Mediation ends (the case is resolved with the service's reply), then the reporter is
            # called (the core follow-up) and the dispute's follow-up visits are made.
            case = self.mediation.conclude(plan, case, line, t, resolve_at)
            t = self._follow_up_time(plan, case, line.last + timedelta(days=400 if "no_follow_up" in fates else 0))
            case = self._follow_up(plan, case, line, t, self.satisfaction(plan, case.missed_deadline))
            self.mediation.visits(plan, case, line)
            return

        # Resolve (办结) with the reply to the reporter.
        anonymous = not plan.reporter_name
        patrol = plan.channel == Channel.GRID_WORKER
        reply = synthetic_reply(rng, plan.category, anonymous, plan.template, grid_worker=patrol)
        case = services.resolve_case(self.handler(case), case, reply=reply, now=line.at(resolve_at))
        late = case.missed_deadline
        t = resolve_at

        if "reporter_reopen" in fates:
            t = t + timedelta(hours=rng.uniform(3, 72))
            case = services.reopen_case(None, case, reason=rng.choice(cat.REPORTER_REOPEN_REASONS),
                                        by_reporter=True, now=line.at(t))
            t = self.clock.after(t, rng.uniform(0.5, 5) * WORKING_MINUTES_PER_DAY)
            reply = synthetic_reply(rng, plan.category, anonymous, plan.template, again=True, grid_worker=patrol)
            case = services.resolve_case(self.handler(case), case, reply=reply, now=line.at(t))
            self.stats["reopened"] += 1

        if "no_follow_up" in fates:
            t += timedelta(days=400)
        t = self._follow_up_time(plan, case, t)
        rating = self.satisfaction(plan, late)
        case = self._follow_up(plan, case, line, t, rating)

        if rating <= 2 and rng.random() < 0.5:
            # Not satisfied: reopened, handled again, followed up again.
            t = self.clock.after(t, rng.uniform(30, 2 * WORKING_MINUTES_PER_DAY))
            actor = self.supervisor() if rng.random() < 0.4 else dispatcher
            case = services.reopen_case(actor, case, reason=rng.choice(cat.REOPEN_REASONS), now=line.at(t))
            self.stats["reopened"] += 1
            days = rng.uniform(0.5, 6) + (rng.uniform(60, 200) if rng.random() < 0.05 else 0)
            t = self.clock.after(t, days * WORKING_MINUTES_PER_DAY)
            reply = synthetic_reply(rng, plan.category, anonymous, plan.template, again=True, grid_worker=patrol)
            case = services.resolve_case(self.handler(case), case, reply=reply, now=line.at(t))
            t = self._follow_up_time(plan, case, t)
            self._follow_up(plan, case, line, t, rng.choices([3, 4, 5], weights=[3, 4, 3])[0])

    def _extension(self, plan: _Plan, case: Case, line: _Timeline, t: datetime, due: datetime,
                   resolve_at: datetime) -> datetime:
        """The office asks for more time before the deadline; a supervisor decides."""
        rng = self.rng
        # During office hours on one of the last days before the deadline.
        requested_at = self.clock.next_open(max(t + timedelta(minutes=30), due - timedelta(hours=rng.uniform(24, 72))))
        if requested_at >= min(due, resolve_at):
            return t
        unit = case.deadline_rule.get("handle", [15, ClockUnit.WORKING_DAYS])[1]
        if unit == ClockUnit.HOURS:
            amount = max(1, math.ceil((resolve_at - due).total_seconds() / 3600) + rng.randint(2, 12))
        else:
            amount = min(30, max(1, (resolve_at - due).days + rng.randint(2, 5)))
        request = services.request_extension(
            self.handler(case), case, amount=amount, unit=unit, reason=rng.choice(cat.EXTENSION_REASONS),
            now=line.at(requested_at),
        )
        decided_at = self.clock.after(requested_at, rng.uniform(30, 480))
        if decided_at >= min(due, resolve_at):
            decided_at = requested_at + (min(due, resolve_at) - requested_at) / 2
        supervisor = self.supervisor()
        if rng.random() < 0.75:
            services.approve_extension(supervisor, case, request_id=request.pk, note=rng.choice(cat.APPROVE_NOTES),
                                       now=line.at(decided_at))
            self.stats["extension_approved"] += 1
        else:
            services.deny_extension(supervisor, case, request_id=request.pk, note=rng.choice(cat.DENY_NOTES),
                                    now=line.at(decided_at))
            self.stats["extension_denied"] += 1
        return line.last

    def _follow_up_time(self, plan: _Plan, case: Case, resolved_at: datetime) -> datetime:
        """When the follow-up call is made: within a few office days, and before the reply
        deadline unless this case's follow-up is late."""
        moment = self.clock.after(resolved_at, self.rng.uniform(60, 3 * WORKING_MINUTES_PER_DAY))
        due = case.reply_due_at
        if due is not None and moment > due and "late_follow_up" not in plan.fates:
            moment = resolved_at + (due - resolved_at) * self.rng.uniform(0.2, 0.9)
        return moment

    def _follow_up(self, plan: _Plan, case: Case, line: _Timeline, t: datetime, rating: int) -> Case:
        rng = self.rng
        actor = self.follower(plan)
        if not plan.reporter_name:
            kind = "grid_worker" if plan.channel == Channel.GRID_WORKER else "anonymous"
            note = rng.choice(cat.FOLLOW_UP_NOTES[kind])
            rating = max(rating, 4)
        else:
            note = rng.choice(cat.FOLLOW_UP_NOTES["good" if rating >= 4 else "poor"])
        return services.follow_up_case(actor, case, satisfaction=rating, note=note, now=line.at(t))


def generate_cases(n: int, rng: random.Random, stdout=None, *, now: datetime | None = None,
                   batch_size: int = 200) -> Counter:
    """Create ``n`` synthetic cases over the last twelve months and play each one's history
    through the case services (accept, dispatch, start, resolve, follow up … and the detours:
    rejections, returns, transfers, waits, extensions, supervision, reopenings, merged
    duplicates); cases of kind dispute are mediated through the dispute services instead of
    being simply resolved (``anju.demo.disputes.Mediation``), and petitions are registered,
    routed, accepted and answered through the petition services
    (``anju.demo.petitions.PetitionOffice``). Cases are spread over the townships (the county
    seat busiest), categories (with seasons) and channels; recent ones are still open, a few
    old ones are stuck and overdue. Writes a progress line every 500
    cases to ``stdout`` if given. Returns counts of what happened."""
    generator = _Generator(rng, now or timezone.now())
    duplicates = round(n * 0.02)
    plans = sorted((generator.plan() for _ in range(n - duplicates)), key=lambda p: p.submitted_at)
    # Duplicates are spawned by old enough cases that will certainly reach "in progress".
    eligible = [
        i for i, p in enumerate(plans)
        if p.submitted_at < generator.now - timedelta(days=14) and p.kind != PETITION
        and not p.fates & {"reject", "never_accepted", "stall_start"}
    ]
    spawners = set(rng.sample(eligible, min(duplicates, len(eligible))))
    started = clock_time.perf_counter()
    reported = 0

    def progress():
        elapsed = clock_time.perf_counter() - started
        done = generator.stats["created"]
        stdout.write(f"  {done:>6} / {n} cases  {elapsed:6.1f} s  ({done / max(elapsed, 1e-9):.0f} cases/s)")
        return done

    # Batches in one transaction each: much faster on SQLite than a commit per service call.
    for first in range(0, len(plans), batch_size):
        with transaction.atomic():
            for index in range(first, min(first + batch_size, len(plans))):
                generator.play(plans[index], spawn_duplicate=index in spawners)
                if stdout is not None and generator.stats["created"] >= reported + 500:
                    reported = progress() // 500 * 500
    if stdout is not None and generator.stats["created"] != reported:
        progress()
    return generator.stats


def status_counts() -> dict[str, int]:
    """Synthetic cases per status, in lifecycle order."""
    counts = Counter(Case.objects.filter(is_synthetic=True).values_list("status", flat=True))
    return {status: counts.get(status, 0) for status in Status.values}

