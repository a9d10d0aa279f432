"""The lists of the points register, filtered as the API and the pages filter them; the season
checks owed this year; the map's features; the register as an Excel workbook; the point page's
chart."""

import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from anju.geo.choices import Level as RegionLevel
from anju.geo.models import Region
from anju.lib.masking import mask_name, mask_phone
from anju.lib.workdays import LOCAL
from anju.warnings import points_access as access
from anju.warnings import readings
from anju.warnings.choices import CheckRound, Level, ReadingKind
from anju.warnings.models import MonitoringPoint, SeasonCheck

NO_LEVEL = "none"
# The day by which each check of the year is owed (the flood season of the mountain counties
# runs from May to September): before it by 30 April, during it by 30 September, after it by 30
# November. A check not recorded by its day is overdue.
CHECK_DUE = {CheckRound.BEFORE: (4, 30), CheckRound.DURING: (9, 30), CheckRound.AFTER: (11, 30)}


@dataclass
class PointFilters:
    township: str = ""  # a region code: the points in its subtree
    type: str = ""
    grade: str = ""
    level: str = ""  # a Level, "none" (below every rule), or empty for all
    text: str = ""  # in the code or the name
    active: bool | None = True


def points_for(user, filters: PointFilters):
    rows = access.visible_points(user).select_related("region")
    if filters.township:
        region = Region.objects.filter(code=filters.township).first()
        rows = rows.filter(area_path__startswith=region.path) if region else rows.none()
    if filters.type:
        rows = rows.filter(type=filters.type)
    if filters.grade:
        rows = rows.filter(scale_grade=filters.grade)
    if filters.level == NO_LEVEL:
        rows = rows.filter(level="")
    elif filters.level:
        rows = rows.filter(level=filters.level)
    if filters.text:
        rows = rows.filter(Q(code__icontains=filters.text) | Q(name__icontains=filters.text))
    if filters.active is not None:
        rows = rows.filter(is_active=filters.active)
    return rows


def township_names(area_paths) -> dict[str, str]:
    """The township's name of each area path, in one query."""
    codes = {p.split("/")[1] for p in area_paths if p.count("/") >= 2}
    names = dict(Region.objects.filter(code__in=codes, level=RegionLevel.TOWNSHIP).values_list("code", "name"))
    return {p: names.get(p.split("/")[1], "") if p.count("/") >= 2 else "" for p in area_paths}


def mask_point(point: MonitoringPoint) -> MonitoringPoint:
    """The monitor's and deputy's names and phones as every list shows a person: masked."""
    point.monitor_masked = mask_name(point.monitor_name)
    point.monitor_phone_masked = mask_phone(point.monitor_phone) if point.monitor_phone else ""
    point.deputy_masked = mask_name(point.deputy_name)
    point.deputy_phone_masked = mask_phone(point.deputy_phone) if point.deputy_phone else ""
    return point


# ---------------------------------------------------------------------------- the three checks


@dataclass
class CheckRow:
    """A point and its checks of one year, by round (None: not recorded)."""

    point: MonitoringPoint
    checks: dict[str, SeasonCheck | None] = field(default_factory=dict)
    overdue: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [r for r in CheckRound.values if self.checks.get(r) is None]


def check_due_on(year: int, round_: str) -> date:
    month, day = CHECK_DUE[round_]
    return date(year, month, day)


def checks_of_year(points, year: int, today: date) -> list[CheckRow]:
    """Each of ``points`` (a list) with its checks of ``year`` and the rounds overdue by ``today``."""
    by_point: dict[int, dict[str, SeasonCheck]] = {}
    for check in SeasonCheck.objects.filter(point__in=[p.pk for p in points], year=year).select_related("checked_by"):
        by_point.setdefault(check.point_id, {})[check.round] = check
    rows = []
    for point in points:
        done = by_point.get(point.pk, {})
        row = CheckRow(point, {r: done.get(r) for r in CheckRound.values})
        row.overdue = [r for r in row.missing if check_due_on(year, r) < today]
        rows.append(row)
    return rows


def points_missing_checks(user, year: int, *, township: str = "", round_: str = ""):
    """The active points ``user`` sees that lack a check of ``year`` (``round_`` only, when given)."""
    rows = points_for(user, PointFilters(township=township))
    rounds = [round_] if round_ else list(CheckRound.values)
    condition = Q()
    for r in rounds:
        condition |= ~Q(pk__in=SeasonCheck.objects.filter(year=year, round=r).values("point_id"))
    return rows.filter(condition)


# ---------------------------------------------------------------------------- the map


def map_features(points) -> list[dict]:
    """GeoJSON features of ``points``: the point itself (coloured by its level on the map), its
    outline, its evacuation route and its shelter; names are plain text for the map to write as
    text, never as HTML."""
    features = []
    for point in points:
        props = {"id": point.pk, "code": point.code, "name": point.name, "type": point.get_type_display(),
                 "level": point.level, "level_name": point.get_level_display() if point.level else "",
                 "grade": point.get_scale_grade_display(), "households": point.households, "people": point.people}
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [point.lng, point.lat]},
                         "properties": {**props, "role": "point"}})
        if point.outline:
            features.append({"type": "Feature", "geometry": point.outline,
                             "properties": {"id": point.pk, "level": point.level, "role": "outline"}})
        if point.route:
            features.append({"type": "Feature", "geometry": point.route,
                             "properties": {"id": point.pk, "name": point.name, "role": "route"}})
        if point.shelter_lat is not None and point.shelter_lng is not None:
            features.append({"type": "Feature",
                             "geometry": {"type": "Point", "coordinates": [point.shelter_lng, point.shelter_lat]},
                             "properties": {"id": point.pk, "name": point.shelter_name, "point": point.name,
                                            "capacity": point.shelter_capacity, "role": "shelter"}})
    return features


# ---------------------------------------------------------------------------- the register as a workbook

EXPORT_COLUMNS = ["隐患点编号", "名称", "类型", "乡镇（街道）", "村（社区）/网格", "纬度", "经度", "规模等级",
                  "威胁户数", "威胁人数", "潜在经济损失（万元）", "监测员", "监测员电话", "副监测员", "副监测员电话",
                  "避险场所", "容纳人数", "预警信号", "当前预警等级", "状态"]


def register_workbook(points, *, scope: str, made_on: date) -> bytes:
    """The register as the county files it: one point a line; the monitors masked, as every
    export masks a person."""
    book = Workbook()
    sheet = book.active
    sheet.title = "地质灾害隐患点"
    sheet.append([f"地质灾害隐患点台账（{scope}）"])
    sheet.append([f"制表日期：{made_on:%Y年%m月%d日}"])
    sheet.append(EXPORT_COLUMNS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    points = list(points)
    townships = township_names({p.area_path for p in points})
    for p in points:
        sheet.append([p.code, p.name, p.get_type_display(), townships.get(p.area_path, ""), p.region.name, p.lat,
                      p.lng, p.get_scale_grade_display(), p.households, p.people, float(p.potential_loss),
                      mask_name(p.monitor_name), mask_phone(p.monitor_phone) if p.monitor_phone else "",
                      mask_name(p.deputy_name), mask_phone(p.deputy_phone) if p.deputy_phone else "",
                      p.shelter_name, p.shelter_capacity, p.warning_signal,
                      p.get_level_display() if p.level else "", "在用" if p.is_active else "已核销"])
    for index, width in enumerate((14, 22, 18, 12, 16, 10, 10, 12, 8, 8, 12, 8, 14, 8, 14, 20, 8, 18, 12, 8),
                                  start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------- the point page's chart


def chart_data(point: MonitoringPoint, now: datetime, hours: int = 72) -> dict:
    """The last ``hours`` hours at the point, hour by hour: the rain of each hour, its 24 h
    accumulation, and the level reached; the other kinds' readings as they came; the 24 h rain
    thresholds in force. For the page's chart (and its table when the chart cannot draw)."""
    end = now.astimezone(LOCAL).replace(minute=0, second=0, microsecond=0)
    moments = [end - timedelta(hours=hours - 1 - i) for i in range(hours)]
    series = readings.Series(point, list(ReadingKind.values), moments[0] - timedelta(hours=25), now)
    rain = [series.measure(ReadingKind.RAIN, 1, t) for t in moments]
    rain24 = [series.measure(ReadingKind.RAIN, 24, t) for t in moments]
    levels = [a.level for a in readings.levels_over(point, moments)]
    others = {}
    for kind in (ReadingKind.DISPLACEMENT, ReadingKind.CRACK, ReadingKind.WATER_LEVEL):
        points_ = []
        for times, values in series.by_kind.get(kind, {}).values():
            points_ += [[t.astimezone(LOCAL).strftime("%m-%d %H:%M"), v] for t, v in zip(times, values, strict=True)
                        if t > moments[0] - timedelta(hours=1)]
        if points_:
            others[kind] = {"label": str(ReadingKind(kind).label), "points": sorted(points_)}
    thresholds = [{"level": rule.level, "value": rule.threshold, "label": str(Level(rule.level).label)}
                  for rule in readings.rules_in_force(point).get((ReadingKind.RAIN, 24), [])]
    return {"times": [t.strftime("%m-%d %H:%M") for t in moments], "rain": rain, "rain24": rain24,
            "levels": levels, "others": others, "thresholds": thresholds,
            "has_rain": any(v is not None for v in rain)}


# ---------------------------------------------------------------------------- the card's sketch


def sketch(point: MonitoringPoint, width: int = 400, height: int = 240, margin: int = 24) -> dict | None:
    """The point, its outline, route and shelter drawn to scale in an SVG box (the 避险明白卡's
    route sketch: printed without a map server); None when there is no route to draw."""
    if not point.route:
        return None
    import math

    coords = [(point.lng, point.lat)] + [tuple(c[:2]) for c in point.route["coordinates"]]
    if point.outline:
        coords += [tuple(c[:2]) for c in point.outline["coordinates"][0]]
    if point.shelter_lat is not None and point.shelter_lng is not None:
        coords.append((point.shelter_lng, point.shelter_lat))
    squeeze = math.cos(math.radians(point.lat))
    xs, ys = [x * squeeze for x, _y in coords], [y for _x, y in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    scale = min((width - 2 * margin) / max(max(xs) - min(xs), 1e-9) if max(xs) > min(xs) else float("inf"),
                (height - 2 * margin) / max(max(ys) - min(ys), 1e-9) if max(ys) > min(ys) else float("inf"),
                (min(width, height) - 2 * margin) / span)
    left = (width - (max(xs) - min(xs)) * scale) / 2
    top = (height - (max(ys) - min(ys)) * scale) / 2

    def xy(lng, lat):
        return round(left + (lng * squeeze - min(xs)) * scale, 1), round(top + (max(ys) - lat) * scale, 1)

    def path(points):
        return " ".join(f"{x},{y}" for x, y in (xy(lng, lat) for lng, lat, *_rest in points))

    route = point.route["coordinates"]
    metres = sum(math.dist((a[0] * squeeze * 111_320, a[1] * 111_320), (b[0] * squeeze * 111_320, b[1] * 111_320))
                 for a, b in zip(route, route[1:], strict=False))
    shelter = xy(point.shelter_lng, point.shelter_lat) if point.shelter_lat is not None else xy(*route[-1][:2])
    return {"width": width, "height": height, "route": path(route),
            "outline": path(point.outline["coordinates"][0]) if point.outline else "",
            "point": xy(point.lng, point.lat), "shelter": shelter, "metres": round(metres / 10) * 10}
