"""The demo county's geo-hazard monitoring points, played through the module's services.

Run after the core's registers (regions, offices, the demo accounts and one grid worker per
township, ``demo.build``). Deterministic for a seed, at moments counted back from ``now``:

- one to three points in every township, each at a random place inside one of a village's grids,
  with its outline, its evacuation route to a shelter a few hundred metres away, a monitor and
  often a deputy (synthetic names, obviously fake phones), its threatened households (the demo
  grid worker ``gridworker`` is the monitor of one point in his community, with his account);
  one point large by its people, one by its potential loss;
- the county's rain table (1 h, 3 h, 24 h; blue, yellow, orange, red) and a stricter 24 h table
  for the township with the most debris flows; a crack meter's own rules at one point;
- this year's season checks by the townships' grid workers: the check before the flood season
  at most points (not all), during it at some once the season has begun;
- rain gauges (devices) at the points of the county seat's township and of one mountain
  township, posting hourly rain for the last three days, with a gap where one gauge fell silent;
  a storm over the mountain township in the last hours, so that its points stand at a level now
  and warnings are drafted from the readings (``drafting``), blue then orange; a monitor's hand
  readings at 08:00 each day elsewhere.
"""

import math
import random
from collections import Counter
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.demo import build
from anju.demo import catalogue as cat
from anju.geo.choices import Level as RegionLevel
from anju.geo.models import Region
from anju.lib.workdays import LOCAL, local_date
from anju.people.choices import Role
from anju.people.models import RoleAssignment, User
from anju.warnings import points as services
from anju.warnings import readings, rules
from anju.warnings.choices import CheckRound, Level, PointType, ReadingKind
from anju.warnings.models import MonitoringPoint, Warning

# The county's rain table (mm): window hours → {level: threshold}.
RAIN_TABLE = {1: {Level.BLUE: 20, Level.YELLOW: 30, Level.ORANGE: 40, Level.RED: 50},
              3: {Level.BLUE: 40, Level.YELLOW: 60, Level.ORANGE: 80, Level.RED: 100},
              24: {Level.BLUE: 50, Level.YELLOW: 80, Level.ORANGE: 100, Level.RED: 150}}
# The stricter 24 h table of the township with the most debris flows (its gullies fill faster).
STRICT_24H = {Level.BLUE: 40, Level.YELLOW: 65, Level.ORANGE: 85, Level.RED: 120}
# A crack meter's own rules: width change over 24 h (mm).
CRACK_24H = {Level.YELLOW: 5, Level.ORANGE: 10, Level.RED: 20}
TYPES = [(PointType.LANDSLIDE, "HP", "滑坡", 6), (PointType.DEBRIS_FLOW, "NSL", "泥石流", 2),
         (PointType.COLLAPSE, "BT", "危岩", 2), (PointType.SUBSIDENCE, "TX", "地面塌陷", 1),
         (PointType.FLASH_FLOOD, "SH", "山洪沟", 1)]
PLACES = ["后山", "大湾", "河沟", "岩口", "老屋基", "槽头", "梁子", "堡上", "坪上", "沟口", "庙垭", "干田"]
SHELTERS = ["村委会", "小学操场", "文化广场", "安置点", "卫生室坝子"]
SIGNALS = ["鸣锣", "手摇报警器", "村广播", "口哨、电话", "喇叭喊话"]
ADDRESS_GROUPS = 9
HOURS = 72
# The storm over the mountain township: mm of each of the last hours, ending now.
STORM = [2, 3, 6, 9, 14, 22, 26, 12]
METRES_PER_DEGREE = 111_320


def _offset(lat: float, lng: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (round(lat + north_m / METRES_PER_DEGREE, 6),
            round(lng + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))), 6))


def _outline(rng, lat, lng) -> dict:
    """A rough outline of the slope around the point (60–120 m across)."""
    ring = []
    for k in range(6):
        angle = 2 * math.pi * k / 6 + rng.uniform(-0.2, 0.2)
        radius = rng.uniform(30, 60)
        y, x = _offset(lat, lng, radius * math.sin(angle), radius * math.cos(angle))
        ring.append([x, y])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _route(rng, lat, lng) -> tuple[dict, float, float]:
    """A way out from the point to a shelter 300–700 m away, with two bends; and the shelter."""
    bearing = rng.uniform(0, 2 * math.pi)
    length = rng.uniform(300, 700)
    coords = [[lng, lat]]
    for fraction in (0.35, 0.7, 1.0):
        wobble = rng.uniform(-60, 60) if fraction < 1 else 0
        north = length * fraction * math.sin(bearing) + wobble * math.cos(bearing)
        east = length * fraction * math.cos(bearing) - wobble * math.sin(bearing)
        y, x = _offset(lat, lng, north, east)
        coords.append([x, y])
    return {"type": "LineString", "coordinates": coords}, coords[-1][1], coords[-1][0]


class PointsDemo:
    def __init__(self, seed: int, now: datetime):
        self.rng = random.Random(seed + 23)
        self.now = now
        self.today = local_date(now)
        self.admin = User.objects.get(username="admin")
        self.counts: Counter = Counter()
        self.points: list[MonitoringPoint] = []
        self.by_township: dict[str, list[MonitoringPoint]] = {}
        self.codes: Counter = Counter()

    def person(self) -> tuple[str, str]:
        return build.random_person_name(self.rng), build.fake_phone(self.rng)

    # ------------------------------------------------------------------ the register

    def register(self) -> None:
        county = Region.objects.get(code=cat.COUNTY_CODE)
        villages: dict[int, list[Region]] = {}
        for village in Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith=county.path).order_by("code"):
            villages.setdefault(village.parent_id, []).append(village)
        grids: dict[int, list[Region]] = {}
        for grid in Region.objects.filter(level=RegionLevel.GRID, path__startswith=county.path).order_by("code"):
            grids.setdefault(grid.parent_id, []).append(grid)
        weights = [w for *_rest, w in TYPES]
        townships = Region.objects.filter(level=RegionLevel.TOWNSHIP, parent=county).order_by("code")
        for number, township in enumerate(townships):
            count = 3 if number % 5 == 1 else 1 + self.rng.randrange(3)
            choices = [v for v in villages.get(township.pk, []) if grids.get(v.pk)]
            for k in range(count):
                if not choices:
                    break
                village = choices[0] if township.code == "500229001" and k == 0 else self.rng.choice(choices)
                grid = self.rng.choice(grids[village.pk])
                kind = TYPES[self.rng.choices(range(len(TYPES)), weights)[0]]
                if number % 5 == 1 and k == 0:
                    kind = TYPES[1]  # the debris-flow township
                self.add_point(township, village, grid, kind, big=(number == 3 and k == 0),
                               costly=(number == 7 and k == 0),
                               monitor_account=township.code == "500229001" and k == 0)

    def add_point(self, township, village, grid, kind, *, big=False, costly=False, monitor_account=False):
        point_type, prefix, word, _weight = kind
        self.codes[prefix] += 1
        code = f"{cat.COUNTY_CODE}-{prefix}-{self.codes[prefix]:03d}"
        lat, lng = build.random_point_in_grid(self.rng, grid)
        route, shelter_lat, shelter_lng = _route(self.rng, lat, lng)
        monitor, monitor_phone = self.person()
        deputy, deputy_phone = self.person() if self.rng.random() < 0.7 else ("", "")
        households = 30 if big else self.rng.randint(2, 12)
        point = services.create_point(self.admin, services.NewPoint(
            code=code, name=f"{build.short_village_name(village.name)}{self.rng.choice(PLACES)}{word}",
            type=point_type, lat=lat, lng=lng, region=grid.code, outline=_outline(self.rng, lat, lng),
            potential_loss=6200 if costly else self.rng.choice([80, 150, 240, 320, 450, 600]),
            monitor_name=monitor, monitor_phone=monitor_phone,
            monitor_user="gridworker" if monitor_account else "", deputy_name=deputy, deputy_phone=deputy_phone,
            route=route, shelter_name=f"{build.short_village_name(village.name)}{self.rng.choice(SHELTERS)}",
            shelter_lat=shelter_lat, shelter_lng=shelter_lng, shelter_capacity=self.rng.choice([50, 80, 120, 200, 300]),
            warning_signal=self.rng.choice(SIGNALS)), now=self.now - timedelta(days=400))
        for _number in range(households):
            name, phone = self.person()
            services.add_household(self.admin, point, services.NewHousehold(
                head_name=name, members=4 if big else self.rng.randint(1, 6),
                phone=phone if self.rng.random() < 0.85 else "",
                address=f"{build.short_village_name(village.name)}{self.rng.randint(1, ADDRESS_GROUPS)}组"
                        f"{self.rng.randint(1, 60)}号"))
        point.refresh_from_db()
        self.points.append(point)
        self.by_township.setdefault(township.code, []).append(point)
        self.counts["points"] += 1
        self.counts["households"] += point.households
        self.counts[f"type:{point_type}"] += 1
        self.counts[f"grade:{point.scale_grade}"] += 1

    # ------------------------------------------------------------------ rules

    def set_rules(self) -> None:
        county = cat.COUNTY_CODE
        for hours, table in RAIN_TABLE.items():
            for level, mm in table.items():
                rules.create_rule(self.admin, rules.NewRule(kind=ReadingKind.RAIN, window_hours=hours, level=level,
                                                            threshold=mm, area=county), now=self.now)
                self.counts["rules"] += 1
        gullies = max(self.by_township, key=lambda code: sum(p.type == PointType.DEBRIS_FLOW
                                                             for p in self.by_township[code]))
        self.strict_township = gullies
        for level, mm in STRICT_24H.items():
            rules.create_rule(self.admin, rules.NewRule(kind=ReadingKind.RAIN, window_hours=24, level=level,
                                                        threshold=mm, area=gullies), now=self.now)
            self.counts["rules"] += 1

    # ------------------------------------------------------------------ checks

    def grid_worker(self, point) -> User:
        township = point.area_path.split("/")[1]
        if point.monitor_user_id:
            return point.monitor_user
        return User.objects.filter(roles__role=Role.GRID_WORKER, roles__region__code=township).first() or self.admin

    def checks(self) -> None:
        year = self.today.year
        before_day = min(self.today, self.today.replace(month=4, day=20))
        # The checks of the year begin in March; the season in May.
        season_began = self.today >= self.today.replace(month=5, day=15)
        for n, point in enumerate(self.points):
            worker = self.grid_worker(point)
            if self.today.month >= 3 and n % 6 != 5:
                services.record_check(worker, point, round=CheckRound.BEFORE,
                                      checked_on=before_day - timedelta(days=n % 20), now=self.now)
                self.counts["checks"] += 1
            if season_began and n % 3 == 0:
                changed = n % 9 == 0
                services.record_check(worker, point, round=CheckRound.DURING,
                                      checked_on=self.today - timedelta(days=1 + n % 10), stable=not changed,
                                      finding="后缘新增拉张裂缝约2米，已加密巡查" if changed else "", now=self.now)
                self.counts["checks"] += 1
        self.counts["year"] = year

    # ------------------------------------------------------------------ devices and readings

    def devices_and_readings(self) -> None:
        seat = self.by_township.get("500229001", [])
        mountain = self.by_township.get(self.strict_township, [])
        start = self.now.astimezone(LOCAL).replace(minute=0, second=0, microsecond=0) - timedelta(hours=HOURS - 1)
        gauges = []
        for point in seat + mountain:
            device, _key = services.create_device(self.admin, point, services.NewDevice(
                f"{point.name[:8]}雨量计", [ReadingKind.RAIN], 60), now=start - timedelta(days=30))
            # The storm is heaviest over the first of the mountain township's points.
            share = (1.0, 0.6, 0.4)[mountain.index(point)] if point in mountain else 0
            gauges.append((device, share))
            self.counts["devices"] += 1
        crack_point = (mountain or seat or self.points)[0]
        meter, _key = services.create_device(self.admin, crack_point, services.NewDevice(
            f"{crack_point.name[:8]}裂缝计", [ReadingKind.CRACK], 60), now=start - timedelta(days=30))
        self.counts["devices"] += 1
        for level, mm in CRACK_24H.items():
            rules.create_rule(self.admin, rules.NewRule(kind=ReadingKind.CRACK, window_hours=24, level=level,
                                                        threshold=mm, point=crack_point.pk), now=self.now)
            self.counts["rules"] += 1
        storm_start = HOURS - len(STORM)
        silent = gauges[0][0] if gauges else None
        width = 31.0
        for hour in range(HOURS):
            moment = start + timedelta(hours=hour)
            posted = min(moment + timedelta(minutes=2), self.now)
            for device, share in gauges:
                if device is silent and HOURS - 30 <= hour < HOURS - 26:
                    continue  # the gauge fell silent four hours: a gap
                if share and hour >= storm_start:
                    mm = round(STORM[hour - storm_start] * share + self.rng.choice([0, 0.5, 1]), 1)
                elif self.rng.random() < 0.25:
                    mm = round(self.rng.uniform(0.2, 3.5), 1)
                else:
                    mm = 0
                readings.record_readings(device.point, [readings.NewReading(ReadingKind.RAIN, mm, moment)],
                                         device=device, now=posted)
                self.counts["readings"] += 1
            width += 0.05 if hour < storm_start else 0.9
            readings.record_readings(crack_point, [readings.NewReading(ReadingKind.CRACK, round(width, 2), moment)],
                                     device=meter, now=posted)
            self.counts["readings"] += 1
        # Elsewhere, the monitors read their simple gauges by hand at 08:00.
        with_device = {p.pk for p in seat + mountain}
        by_hand = [p for p in self.points if p.pk not in with_device][:6]
        for day in range(3):
            moment = (start + timedelta(days=day)).replace(hour=8)
            if moment > self.now:
                continue
            for point in by_hand:
                readings.record_readings(point, [readings.NewReading(
                    ReadingKind.RAIN, round(self.rng.uniform(0, 18), 1), moment)],
                    actor=self.grid_worker(point), now=min(moment + timedelta(minutes=20), self.now))
                self.counts["readings"] += 1


def _gridworker_monitor() -> None:
    """The demo grid worker keeps the register's monitor account of his community's point; he
    exists in the core demo, and is made here when it ran without him (tests)."""
    if not User.objects.filter(username="gridworker").exists():
        user = User.objects.create(username="gridworker", display_name="孙网格",
                                   password=make_password(cat.DEMO_PASSWORD))
        village = Region.objects.filter(code="500229001001").first()
        RoleAssignment.objects.create(user=user, role=Role.GRID_WORKER, region=village)


@transaction.atomic
def build_points(seed: int = build.DEFAULT_SEED, now: datetime | None = None) -> tuple[dict, list[str]]:
    """The monitoring points demo (see the module's docstring); returns what it built (``points``,
    ``warnings`` drafted from the readings, ``counts``) and the lines of its summary. Adds nothing
    when the register already has points."""
    if MonitoringPoint.objects.exists():
        return {}, [_("Monitoring points: the register is already there, nothing added.")]
    now = now or timezone.now()
    _gridworker_monitor()
    demo = PointsDemo(seed, now)
    demo.register()
    demo.set_rules()
    demo.checks()
    demo.devices_and_readings()
    warnings = list(Warning.objects.filter(points__in=demo.points).distinct().order_by("pk"))
    at_level = [p for p in MonitoringPoint.objects.exclude(level="").order_by("-level")]
    counts = demo.counts
    townships = len(demo.by_township)
    lines = [
        _("Monitoring points (synthetic): %(points)d points in %(townships)d townships threatening %(households)d "
          "households; %(rules)d threshold rules; %(checks)d season checks this year; %(devices)d devices and "
          "%(readings)d readings over three days") % {
            "points": counts["points"], "townships": townships, "households": counts["households"],
            "rules": counts["rules"], "checks": counts["checks"], "devices": counts["devices"],
            "readings": counts["readings"]},
        "  " + _("at a level now: %(points)s; warnings drafted from the readings: %(warnings)d") % {
            "points": "、".join(f"{p.name}（{p.get_level_display()}）" for p in at_level) or "-",
            "warnings": len(warnings)},
    ]
    return {"points": demo.points, "warnings": warnings, "counts": counts}, lines
